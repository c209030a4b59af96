// Run with: node --test tests/js/
// page.js: the helpers every page script shares.
import { test } from "node:test";
import assert from "node:assert/strict";
import { countLabel, langPrefix, pageStrings, site } from "../../themes/default/static/js/page.js";
import { legendGlyphs } from "../../themes/default/static/js/map.js";

test("a count takes the singular only for one, where the language has one", () => {
  const en = { records: " places", record_one: " place" };
  assert.equal(countLabel(1, en), "1 place");
  assert.equal(countLabel(0, en), "0 places");
  assert.equal(countLabel(12, en), "12 places");
  assert.equal(countLabel(1, { records: "件" }), "1件");
});

test("the language prefix is the one Lang::prefix gives", () => {
  assert.equal(langPrefix("ja"), "");
  assert.equal(langPrefix("en"), "en/");
});

test("the page's strings, root and language come from the HTML", () => {
  const dt = (key, text) => ({ textContent: key, nextElementSibling: { textContent: text } });
  const doc = {
    querySelectorAll: (sel) => (sel === "#search-strings dt" ? [dt("records", "件"), dt("search_none", "なし")] : []),
    body: { dataset: { root: "../../", lang: "en" } },
  };
  assert.deepEqual(pageStrings("search-strings", doc), { records: "件", search_none: "なし" });
  assert.deepEqual(site(doc), { root: "../../", lang: "en", pages: "../../en/" });
  assert.deepEqual(site({ body: { dataset: {} } }), { root: "", lang: "ja", pages: "" });
});

test("Leaflet's markers take each kind's glyph from the legend's data-kind items", () => {
  const item = (kind, g) => ({ dataset: { kind }, querySelector: () => (g ? { outerHTML: g } : null) });
  const legend = { querySelectorAll: () => [item("parks", '<g fill="#15803d"><rect/></g>'), item("facilities", null)] };
  assert.deepEqual(legendGlyphs(legend), { parks: '<g fill="#15803d"><rect/></g>' });
  assert.deepEqual(legendGlyphs(null), {});
});
