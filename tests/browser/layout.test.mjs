// Layout on phones: no page scrolls sideways at 320–414 px, and nothing jumps after load
// (cumulative layout shift ≤ 0.05, measured in the page with the Layout Instability API).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup } from "./support.mjs";

let env;
before(async () => {
  env = await setup();
});
after(async () => env?.close());

const PAGES = [
  "",
  "areas/",
  "areas/3702/",
  "areas/3706/",
  "areas/3706/parks/",
  "facilities/",
  "parks/",
  "consultation/",
  "consultation/?who=worker&topic=mental_health",
  "facilities/mhlw-3711370100010/",
  "parks/takamatsu-pool-2/",
  "search/",
  "search/?q=%E9%AB%98%E6%9D%BE",
  "data/",
  "about/",
  "en/areas/3702/",
  "en/search/?q=hospital",
];

/** Waits until the page's scripts have done their work (the map, filters, search results). */
async function quiet(page) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

for (const width of [320, 360, 390, 414]) {
  test(`no page scrolls sideways at ${width} px`, async (t) => {
    if (env.skip) return t.skip(env.skip);
    const context = await env.browser.newContext({ viewport: { width, height: 800 }, locale: "ja-JP" });
    const wide = [];
    for (const path of PAGES) {
      const page = await context.newPage();
      await page.goto(env.url + path);
      await quiet(page);
      const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      if (scroll > client) wide.push(`${path || "/"}: ${scroll} > ${client}`);
      await page.close();
    }
    assert.deepEqual(wide, []);
    await context.close();
  });
}

test("no page kind shifts its layout after load (CLS ≤ 0.05 at 390 px)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: "ja-JP" });
  await context.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  const shifts = [];
  for (const path of PAGES) {
    const page = await context.newPage();
    await page.goto(env.url + path);
    await quiet(page);
    const cls = await page.evaluate(() => window.__cls);
    if (cls > 0.05) shifts.push(`${path || "/"}: ${cls.toFixed(3)}`);
    await page.close();
  }
  assert.deepEqual(shifts, []);
  await context.close();
});

test("landmarks have unique names, skip links work, map targets are at least 24 × 24 px (axe best practices, WCAG 2.2 target size)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const { AXE_PATH } = await import("./support.mjs");
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: "ja-JP", bypassCSP: true });
  const problems = [];
  for (const path of PAGES) {
    const page = await context.newPage();
    await page.goto(env.url + path);
    await quiet(page);
    await page.addScriptTag({ path: AXE_PATH });
    const found = await page.evaluate(async () => {
      const r = await window.axe.run(document, { runOnly: { type: "rule", values: ["landmark-unique", "skip-link", "target-size", "landmark-no-duplicate-banner", "landmark-no-duplicate-contentinfo", "landmark-main-is-top-level"] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    });
    for (const f of found) problems.push(`${path || "/"}: ${f}`);
    await page.close();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("keyboard: the skip link passes the map, and markers can be focused once a cluster opens", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, locale: "ja-JP" });
  const page = await context.newPage();
  await page.goto(env.url + "areas/3706/");
  await page.waitForSelector(".map.enhanced .leaflet-container");
  const skip = page.getByRole("link", { name: "地図をとばして一覧へ" });
  await skip.focus();
  assert.ok(await skip.isVisible(), "the skip link shows when focused");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "after-map");
  // A cluster opened with the keyboard: its markers take the focus in turn.
  const cluster = page.locator(".marker-cluster").first();
  await cluster.focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll(".leaflet-marker-icon.km-marker[tabindex='0']").length > 0);
  const marker = page.locator(".leaflet-marker-icon.km-marker[tabindex='0']").first();
  await marker.focus();
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("km-marker")), true);
  await page.keyboard.press("Enter");
  await page.locator(".map-popup a").waitFor();
  await context.close();
});

test("a print sheet's URL wraps on a phone only after a slash, never inside a word, and its dates not at all", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const context = await env.browser.newContext({ viewport: { width: 320, height: 800 }, locale: "ja-JP" });
  const page = await context.newPage();
  for (const path of ["areas/3706/print/", "areas/3706/parks/print/", "en/areas/3702/consultation/print/"]) {
    await page.goto(env.url + path);
    // The characters after which the URL's text moves to a new line.
    const breaks = await page.locator(".sheet-qr .url").evaluate((el) => {
      const range = document.createRange();
      const chars = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        for (let i = 0; i < text.length; i++) {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          chars.push([text.data[i], range.getBoundingClientRect().top]);
        }
      }
      const found = [];
      for (let i = 1; i < chars.length; i++) {
        if (chars[i][1] > chars[i - 1][1] + 1) found.push(chars.slice(0, i).map((c) => c[0]).join(""));
      }
      return found;
    });
    assert.ok(breaks.length > 0, `${path}: the URL fits one line at 320 px, so this test proves nothing`);
    for (const before of breaks) assert.ok(before.endsWith("/"), `${path}: the URL breaks after «${before}»`);
    // A date is one word too: 「2026年12月1日」 never breaks after 「12」.
    const dateLines = await page.locator(".sheet-date time").evaluateAll((els) => els.map((e) => [e.textContent, e.getClientRects().length]));
    for (const [date, lines] of dateLines) assert.equal(lines, 1, `${path}: «${date}» is on ${lines} lines`);
  }
  await context.close();
});
