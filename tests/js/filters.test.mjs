// filters.js and search.js without a page: the verdict of the filters (unknown hours are a state
// of their own), distances, and the words of a query.
import { test } from "node:test";
import assert from "node:assert/strict";
import { verdict, km, kmLabel, byDistance } from "../../themes/default/static/js/filters.js";
import { queryWords } from "../../themes/default/static/js/search.js";

const record = (facets, extra = {}) => ({ type: "hospital", facetSet: new Set(facets.split(" ")), prepared: null, ...extra });

test("a time filter sets records of unknown hours apart, other filters decide as before", () => {
  const now = new Date("2026-11-21T10:00:00+09:00");
  assert.equal(verdict(record("type:hospital hours_unknown"), { type: "hospital", wanted: ["sat"] }, now), "unknown");
  assert.equal(verdict(record("type:hospital hours_unknown"), { type: "hospital", wanted: ["open"] }, now), "unknown");
  assert.equal(verdict(record("type:hospital sat"), { type: "hospital", wanted: ["sat"] }, now), true);
  assert.equal(verdict(record("type:hospital"), { type: "hospital", wanted: ["sat"] }, now), false);
  assert.equal(verdict(record("type:hospital hours_unknown"), { type: "clinic", wanted: ["sat"] }, now), false);
  assert.equal(verdict(record("type:hospital hours_unknown"), { type: "", wanted: ["free"] }, now), false);
  assert.equal(verdict(record("type:hospital hours_unknown free"), { type: "", wanted: ["free"] }, now), true);
});

test("distances in km, nearest first, places without a location last", () => {
  const station = [34.3507, 134.0467];
  assert.ok(Math.abs(km(station, [34.3507, 134.0467])) < 1e-9);
  // 高松駅 to 玉藻公園 is about 0.4 km.
  assert.ok(Math.abs(km(station, [34.3503, 134.0513]) - 0.42) < 0.05);
  assert.equal(kmLabel(0.42), "0.4 km");
  assert.equal(kmLabel(12.4), "12 km");
  const sorted = byDistance([{ id: "far", loc: [34.5, 134.2] }, { id: "none" }, { id: "near", loc: [34.351, 134.047] }], station);
  assert.deepEqual(sorted.map((r) => r.id), ["near", "far", "none"]);
});

test("a query's words are split at any space, full-width too, and folded", () => {
  assert.deepEqual(queryWords("高松市　病院"), ["高松市", "病院"]);
  assert.deepEqual(queryWords(" 小豆  病院 "), ["小豆", "病院"]);
  assert.deepEqual(queryWords("マツシマ"), ["まつしま"]);
  assert.deepEqual(queryWords("   "), []);
});

test("search: an area's name matches, in Japanese and English (「Shozu hospital」)", async () => {
  const { rank } = await import("../../themes/default/static/js/search.js");
  const doc = { name: "内海病院", municipality: "小豆島町", municipalityEn: "Shodoshima", areaName: "小豆", areaNameEn: "Shozu", type: "hospital" };
  assert.ok(rank("shozu", doc) > 0);
  assert.ok(rank("小豆", doc) > 0);
  assert.equal(rank("shozu", { ...doc, areaNameEn: "" }), 0);
});

test("search: a public health body ranks above an equal match that is not one", async () => {
  const { rank } = await import("../../themes/default/static/js/search.js");
  const doc = { name: "高松市保健所", municipality: "高松市", type: "health_center" };
  assert.ok(rank("高松", { ...doc, public: true }) > rank("高松", { ...doc, public: false }));
  assert.equal(rank("丸亀", { ...doc, public: true }), 0);
});
