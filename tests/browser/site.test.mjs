// The site in a real browser (issue: area pages, Leaflet, language switch).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { setup, eventually } from "./support.mjs";

let env;
before(async () => {
  env = await setup();
});
after(async () => env?.close());

/** Records with a location of an area, from the area's GeoJSON the build wrote. */
function locatedRecords(code) {
  const file = JSON.parse(fs.readFileSync(path.join(env.root, `data/areas/${code}.geojson`), "utf8"));
  return file.features.length;
}

test("without JavaScript an area page shows the lists and the SVG map", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3706/", { javaScript: false });
  const svg = page.locator(".map-figure svg[role=img]");
  assert.equal(await svg.count(), 1);
  // The map's own title and description (markers have their own <title>s).
  assert.ok((await svg.locator(":scope > title").textContent()).includes("東部"));
  assert.ok((await svg.locator(":scope > desc").textContent()).length > 10);
  assert.ok((await svg.locator("use").count()) > 100, "markers are drawn");
  for (const kind of ["facilities", "parks", "consultation"]) {
    const items = page.locator(`#${kind} li.record`);
    assert.ok((await items.count()) > 0, `${kind} listed`);
    const href = await items.first().locator("a").first().getAttribute("href");
    assert.match(href, new RegExp(`${kind}/[a-z0-9-]+/$`));
  }
  assert.ok(await page.locator("#facilities li.record a", { hasText: "高松市保健所" }).first().isVisible());
  assert.equal(await page.locator(".leaflet-container").count(), 0);
  await page.context().close();
});

/** Individual markers plus the counts on cluster icons. */
async function markerTotal(page) {
  return page.evaluate(() => {
    const markers = document.querySelectorAll(".leaflet-marker-icon.km-marker").length;
    const clusters = [...document.querySelectorAll(".marker-cluster")].reduce((n, c) => n + Number(c.querySelector(".cluster-count")?.textContent.trim() || 0), 0);
    return markers + clusters;
  });
}

for (const code of ["3706", "3707"]) {
  test(`with JavaScript the Leaflet map of ${code} shows every located record`, async (t) => {
    if (env.skip) return t.skip(env.skip);
    const page = await env.open(`areas/${code}/`);
    await page.waitForSelector(".map.enhanced .leaflet-container");
    await page.waitForFunction(() => document.querySelector("#map")?.dataset.markers);
    const expected = locatedRecords(code);
    assert.ok(expected > 10);
    assert.equal(Number(await page.locator("#map").getAttribute("data-markers")), expected);
    const total = await eventually(() => markerTotal(page), (n) => n === expected);
    assert.equal(total, expected, "markers and cluster counts add up");
    // Leaflet's own controls speak the page's language, and a cluster says what it is.
    assert.equal(await page.locator(".leaflet-control-zoom-in").getAttribute("title"), "拡大");
    const cluster = page.locator(".marker-cluster").first();
    if (await cluster.count()) {
      const n = (await cluster.locator(".cluster-count").textContent()).trim();
      assert.equal((await cluster.locator(".visually-hidden").textContent()).trim(), `${n}件（選ぶと拡大します）`);
    }
    assert.deepEqual(page.problems.filter((p) => !p.includes("favicon")), []);
    await page.context().close();
  });
}

test("a marker's popup links to its record page, and a kind toggle hides its markers", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3702/");
  await page.waitForSelector(".map.enhanced .leaflet-container");
  const placed = Number(await page.locator("#map").getAttribute("data-markers"));
  const before = await eventually(() => markerTotal(page), (n) => n === placed);
  assert.equal(before, placed);
  const marker = page.locator(".leaflet-marker-icon.km-marker").first();
  await marker.click();
  const link = page.locator(".map-popup a");
  await link.waitFor();
  assert.match(await link.getAttribute("href"), /(facilities|parks|restaurants|consultation)\/[a-z0-9-]+\/$/);
  const toggle = page.locator('.map-toggles input[value="facilities"]');
  const facilities = await page.locator("#facilities li.record[data-lat]").count();
  await toggle.uncheck();
  const after = await eventually(() => markerTotal(page), (n) => n === before - facilities);
  assert.equal(after, before - facilities);
  await page.context().close();
});

test("the language switch goes to the English page and back", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3706/");
  await page.getByRole("link", { name: "English" }).click();
  await page.waitForURL(/\/en\/areas\/3706\/$/);
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.ok((await page.locator("h1").textContent()).includes("Tobu"));
  await page.getByRole("link", { name: "日本語" }).click();
  await page.waitForURL(/\/areas\/3706\/$/);
  assert.equal(await page.locator("html").getAttribute("lang"), "ja");
  await page.context().close();
});
