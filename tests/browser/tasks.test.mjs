// Residents' tasks on the demo, done as a resident would on a phone (390 px), with a fixed clock
// (page.clock) for "open now". Each test is one task of issue 15.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { setup } from "./support.mjs";

let env;
before(async () => {
  env = await setup();
});
after(async () => env?.close());

const PHONE = { width: 390, height: 844 };
/** A Saturday morning in Japan, within the build's schedule window (support.mjs builds with --today 2026-11-21). */
const SATURDAY_10 = new Date("2026-11-21T10:00:00+09:00");

const status = (page) => page.locator("#filters .filter-status");

/** Waits until the filter status has settled on a filtered count ("… を表示中" / "… shown"). */
async function settled(page) {
  await page.waitForFunction(() => {
    const form = document.getElementById("filters");
    return form && !form.hasAttribute("aria-busy") && /表示中|shown/.test(form.querySelector(".filter-status").textContent);
  });
  return (await status(page).textContent()).trim();
}

test("task: a hospital in 小豆 open on Saturday (hours not known are counted and can be included)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3702/", { viewport: PHONE, clock: SATURDAY_10 });
  // The form is in the page from the start.
  await page.getByLabel("種類").selectOption({ label: "病院" });
  await page.getByLabel("土曜に開いている").check();
  const text = await settled(page);
  // No hospital of the demo has hours: none is claimed open, and the page says how many it left out.
  const scope = JSON.parse(fs.readFileSync(path.join(env.root, "areas/3702/records.json"), "utf8")).records;
  const hospitals = scope.filter((r) => r.type === "hospital");
  assert.ok(hospitals.length > 0, "小豆 has hospitals");
  const left = text.match(/時間の情報がない(\d+)件は含めていません/);
  assert.ok(left, `the status says what was left out: ${text}`);
  assert.equal(Number(left[1]), hospitals.filter((r) => !r.hours).length);
  assert.match(text, /^0件を表示中/);
  assert.equal(await page.locator("#facilities li.record").count(), 0);
  // The resident includes them: each is shown with "時間の情報なし".
  const include = page.getByLabel("時間の情報がないものも含める");
  assert.ok(await include.isVisible());
  await include.check();
  await page.waitForFunction(() => /含めています/.test(document.querySelector("#filters .filter-status").textContent));
  const shown = page.locator("#facilities li.record");
  assert.equal(await shown.count(), Number(left[1]));
  for (const li of await shown.all()) {
    assert.match(await li.locator(".type").textContent(), /病院/);
    assert.equal((await li.locator(".hours").textContent()).trim(), "時間の情報なし");
  }
  assert.match(page.url(), /type=hospital/);
  assert.match(page.url(), /sat=1/);
  assert.match(page.url(), /unknown=1/);
  // The shared URL gives the same result as the clicks.
  const shared = await env.open(`areas/3702/${new URL(page.url()).search}`, { viewport: PHONE, clock: SATURDAY_10 });
  await settled(shared);
  await shared.waitForFunction(() => /含めています/.test(document.querySelector("#filters .filter-status").textContent));
  assert.equal((await status(shared).textContent()).trim(), (await status(page).textContent()).trim());
  assert.equal(await shared.locator("#facilities li.record").count(), Number(left[1]));
  assert.ok(await shared.getByLabel("土曜に開いている").isChecked());
  assert.deepEqual(page.problems, []);
  await shared.context().close();
  await page.context().close();
});

test("task: parks open now on 東部, the same as /areas/3706/parks/?open=1", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3706/", { viewport: PHONE, clock: SATURDAY_10 });
  const printed = await page.locator("#parks li.record").count();
  const total = Number((await page.locator("#h-parks .count").textContent()).match(/\d+/)[0]);
  assert.ok(total > printed, `東部 has more parks (${total}) than its page prints (${printed})`);
  await page.getByLabel("今開いている").check();
  const text = await settled(page);
  assert.match(text, /時間の情報がない\d+件は含めていません/, text);
  const count = (await page.locator("#h-parks .count").textContent()).trim();
  const [open, all] = count.match(/\d+/g).map(Number);
  assert.equal(all, total);
  assert.ok(open > 0, "some parks are open on Saturday at 10:00");
  const ids = await page.locator("#parks li.record").evaluateAll((lis) => lis.map((li) => li.dataset.id).sort());
  // Every listed park is open now, as its own page says.
  assert.equal(ids.length, open);

  const kindPage = await env.open("areas/3706/parks/?open=1", { viewport: PHONE, clock: SATURDAY_10 });
  await settled(kindPage);
  const kindIds = await kindPage.locator("ul.records li.record").evaluateAll((lis) => lis.map((li) => li.dataset.id).sort());
  assert.deepEqual(ids, kindIds);
  assert.ok(await kindPage.getByLabel("今開いている").isChecked());

  // The map shows the open places only.
  await page.waitForFunction(() => document.querySelector("#map")?.dataset.shown);
  const located = await page.locator("ul.records li.record[data-lat]").count();
  if ((await page.locator(".filter-more").count()) === 0) {
    assert.equal(Number(await page.locator("#map").getAttribute("data-shown")), located);
  }
  // The language switch keeps the filter.
  assert.match(await page.locator(".lang-switch a").getAttribute("href"), /\?open=1$/);
  assert.deepEqual(page.problems, []);
  await kindPage.context().close();
  await page.context().close();
});

/** Searches on the search page as a resident types and submits; returns the results' texts. */
async function search(page, query) {
  await page.locator("#q").fill(query);
  await page.locator("#q").press("Enter");
  await page.waitForFunction((q) => document.querySelector("#results")?.dataset.query === q, query);
  const total = Number(await page.locator("#results").getAttribute("data-total"));
  const items = await page.locator("#results li").evaluateAll((lis) => lis.map((li) => li.textContent));
  return { total, items };
}

test("task: search with several words (「小豆 病院」, 「高松市　病院」) and a topic (「メンタルヘルス」)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("search/", { viewport: PHONE });
  const shodo = await search(page, "小豆 病院");
  assert.ok(shodo.total > 0, "hospitals in 小豆 are found");
  for (const text of shodo.items) {
    assert.match(text, /病院/);
    assert.match(text, /小豆|土庄町|小豆島町/);
  }
  const takamatsu = await search(page, "高松市　病院");
  assert.ok(takamatsu.total > 0, "hospitals in 高松市 are found (full-width space)");
  for (const text of takamatsu.items) assert.match(text, /高松市/);
  for (const text of takamatsu.items) assert.match(text, /病院/);
  // Fewer than either word alone: the words narrow.
  const city = await search(page, "高松市");
  assert.ok(city.total > takamatsu.total);
  const mental = await search(page, "メンタルヘルス");
  assert.ok(mental.total >= 9, `bodies with the mental-health topic: ${mental.total}`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("task: search results are paged with the true count", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("search/?q=%E9%AB%98%E6%9D%BE", { viewport: PHONE });
  await page.waitForFunction(() => document.querySelector("#results")?.dataset.total);
  const total = Number(await page.locator("#results").getAttribute("data-total"));
  assert.ok(total > 50, `高松 finds more than a page: ${total}`);
  assert.match(await page.locator("#results h2").textContent(), new RegExp(`${total}件`));
  let seen = await page.locator("#results li").count();
  assert.equal(seen, 50);
  while (await page.getByRole("button", { name: "次へ" }).count()) {
    const before = await page.locator("#results li").first().getAttribute("data-id");
    await page.getByRole("button", { name: "次へ" }).click();
    await page.waitForFunction((id) => document.querySelector("#results li")?.dataset.id !== id, before);
    seen += await page.locator("#results li").count();
  }
  assert.equal(seen, total, "every result is reachable");
  assert.match(page.url(), /page=\d+/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

/** 高松駅, as a stubbed device position (the resident allows location access). */
const TAKAMATSU_STATION = { latitude: 34.3507, longitude: 134.0467 };

async function openAt(pathname, geolocation = TAKAMATSU_STATION) {
  const context = await env.browser.newContext({ viewport: PHONE, locale: "ja-JP", geolocation, permissions: ["geolocation"] });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && page.problems.push(`console: ${m.text()}`));
  await page.goto(env.url + pathname);
  return page;
}

const distances = (page, selector) =>
  page.locator(selector).evaluateAll((els) => els.map((e) => Number(e.textContent.replace(/[^\d.]/g, ""))));

test("task: a park with a walking course near 高松駅 (現在地から探す, stubbed geolocation)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await openAt("areas/3706/parks/");
  await page.getByLabel("ウォーキングコースあり").check();
  await page.getByRole("button", { name: "現在地から探す" }).click();
  await page.waitForFunction(() => document.querySelector(".near-me")?.getAttribute("aria-pressed") === "true" && document.querySelector("ul.records .distance"));
  const first = page.locator("ul.records li.record").first();
  const name = await first.locator(".record-name a").textContent();
  assert.match(name, /ウォーキングコース/);
  const km = await distances(page, "ul.records li.record .distance");
  assert.ok(km[0] < 1, `the walking course is ${km[0]} km from 高松駅`);
  assert.deepEqual([...km].sort((a, b) => a - b), km, "nearest first");
  // Its page lists what is near it, with distances.
  await first.locator(".record-name a").click();
  await page.waitForURL(/parks\/sample-waterfront-walk\/$/);
  assert.ok(await page.getByText("これは架空の例です").first().isVisible(), "the sample says it is not real");
  const nearby = page.locator("ul.nearby li");
  assert.ok((await nearby.count()) > 0);
  const near = await distances(page, "ul.nearby .nowrap");
  assert.deepEqual([...near].sort((a, b) => a - b), near);
  assert.ok(near.every((d) => d <= 3));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("task: search results sorted by distance from 高松駅", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await openAt("search/?q=%E5%85%AC%E5%9C%92");
  await page.waitForFunction(() => document.querySelector("#results")?.dataset.total);
  await page.getByRole("button", { name: "現在地から探す" }).click();
  await page.waitForFunction(() => document.querySelector("#results .distance"));
  const km = await distances(page, "#results li .distance");
  assert.ok(km.length > 10);
  assert.deepEqual([...km].sort((a, b) => a - b), km, "nearest first");
  assert.ok(km[0] < 1);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("task: on a record page, is it open now, how do I get there, how do I report a mistake", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("parks/takamatsu-pool-2/", { viewport: PHONE, clock: SATURDAY_10 });
  // "Open now" beside the name (Saturday 10:00; open We-Su 10:00-20:30).
  const openNow = page.locator(".record-header #open-now");
  await page.waitForFunction(() => document.querySelector("#open-now")?.textContent);
  assert.match(await openNow.textContent(), /^開いています/);
  const geo = page.getByRole("link", { name: "地図アプリで開く" });
  assert.match(await geo.getAttribute("href"), /^geo:34\.342913,134\.072627/);
  assert.match(await page.getByRole("link", { name: "地理院地図で見る" }).getAttribute("href"), /^https:\/\/maps\.gsi\.go\.jp\/#17\/34\.342913\/134\.072627\/$/);
  // Tap targets: the phone number and the map links are at least 44 px high.
  for (const link of [page.locator(".facts a.tel").first(), geo]) {
    const box = await link.boundingBox();
    assert.ok(box.height >= 44, `tap target ${box.height} px`);
  }
  // A resident is told where to report a mistake (site.yaml corrections), not to send a pull request.
  const report = page.getByRole("group", { name: "情報の誤りを知らせる" });
  assert.ok(await report.isVisible());
  assert.equal(await report.getByRole("link", { name: "お知らせフォーム" }).getAttribute("href"), "https://github.com/kenkomap/kenkomap/issues/new");
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test("task: English pages show Japanese names as Japanese (no romaji as English), sorted by the name shown", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("en/facilities/mhlw-3711370100010/", { viewport: PHONE });
  const h1 = page.locator("h1");
  assert.equal((await h1.textContent()).trim(), "香川県立白鳥病院");
  assert.equal(await h1.getAttribute("lang"), "ja");
  const list = await env.open("en/areas/3706/", { viewport: PHONE });
  const names = await list.locator("#facilities li.record .record-name a").evaluateAll((as) => as.map((a) => ({ text: a.textContent, lang: a.getAttribute("lang") })));
  assert.ok(names.length > 10);
  for (const n of names) {
    assert.doesNotMatch(n.text, /byou?inn?\b|byoin|IROUHOUJIN/i, `romaji shown as English: ${n.text}`);
    if (/[\u3040-\u9fff]/.test(n.text)) assert.equal(n.lang, "ja", `${n.text} is tagged Japanese`);
  }
  const latin = names.filter((n) => !n.lang).map((n) => n.text.toLowerCase());
  assert.deepEqual([...latin].sort(), latin, "English names in alphabetical order");
  const firstJapanese = names.findIndex((n) => n.lang === "ja");
  assert.ok(names.slice(firstJapanese).every((n) => n.lang === "ja"), "Japanese names after the English ones");
  await list.context().close();
  await page.context().close();
});

test("task without JavaScript: the header search leads to the 五十音 index of names", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3706/", { javaScript: false, viewport: PHONE });
  await page.getByRole("searchbox").first().fill("白鳥病院");
  await page.getByRole("button", { name: "検索" }).first().click();
  await page.waitForURL(/\/search\/\?q=/);
  // (getByText skips <noscript>: its text is read from the element.)
  const note = page.locator("noscript p").first();
  assert.ok(await note.isVisible());
  assert.match(await note.textContent(), /検索にはJavaScriptが必要です/);
  await page.getByRole("link", { name: "名前の五十音索引を見る" }).click();
  await page.waitForURL(/\/search\/names\/$/);
  await page.getByRole("navigation", { name: "五十音の行" }).getByRole("link", { name: "か行" }).click();
  const row = page.locator("#row-1");
  const link = row.getByRole("link", { name: "香川県立白鳥病院" });
  assert.ok(await link.isVisible());
  assert.equal(await link.getAttribute("href"), "../../facilities/mhlw-3711370100010/");
  // Names whose reading is not known are listed too, last, not dropped.
  assert.ok(await page.locator("#row-other").getByRole("link", { name: "松島公園" }).count());
  await page.context().close();
});

test("task without JavaScript: a shared filter URL says filtering needs JavaScript and shows the full list", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3706/?open=1", { javaScript: false, viewport: PHONE });
  const note = page.locator("#filters .filter-nojs");
  assert.ok(await note.isVisible());
  assert.equal(await note.textContent(), "絞り込みにはJavaScriptが必要です。JavaScriptなしでは一覧をすべて表示しています。");
  const total = Number((await page.locator("#h-parks .count").textContent()).match(/\d+/)[0]);
  assert.equal(await page.locator("#parks li.record").count(), Math.min(total, 100));
  assert.ok(await page.getByRole("link", { name: /すべて見る|see all/i }).first().isVisible());
  // Records without hours say so.
  assert.ok((await page.locator("#parks .hours-unknown").count()) > 0);
  await page.context().close();
});

test("task: Japanese text reads well (no stray spaces at line breaks, strict line breaking, whole tokens, Japanese dates and fonts)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("consultation/sample-sanpo-center/", { viewport: PHONE });
  const prose = await page.locator(".prose").first().textContent();
  // The description breaks its line after 「…センターは、」: the lines join without a space.
  assert.match(prose, /センターは、事業者/);
  const style = await page.locator(".prose").first().evaluate((e) => {
    const s = getComputedStyle(e);
    return { lineBreak: s.lineBreak, font: s.fontFamily };
  });
  assert.equal(style.lineBreak, "strict");
  assert.match(style.font, /^"Noto Sans JP"/);
  assert.match(await page.locator("time").first().textContent(), /^\d{4}年\d{1,2}月\d{1,2}日$/);
  const data = await env.open("data/", { viewport: { width: 320, height: 800 } });
  // A format and a size stay on one line each (GeoJSON, 259.1 KB).
  for (const cell of await data.locator("table.downloads td").all()) {
    const lines = await cell.evaluate((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
    });
    assert.ok(lines <= 1, `${await cell.textContent()} breaks over ${lines} lines`);
  }
  await data.context().close();
  await page.context().close();
});

test("task: search by reading: まつしま finds 松島公園, たまも finds 玉藻公園 (readings generated at build time)", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const meta = JSON.parse(fs.readFileSync(path.join(env.root, "search/meta.json"), "utf8"));
  if (!meta.readings) return t.skip("built without the readings feature (cargo build --features readings)");
  const page = await env.open("search/", { viewport: PHONE });
  for (const [query, name] of [["まつしま", "松島公園"], ["たまも", "玉藻公園"], ["マツシマ", "松島公園"]]) {
    const { items } = await search(page, query);
    assert.ok(items.some((text) => text.includes(name)), `${query} finds ${name}`);
  }
  // A generated reading is for search only: no page shows it as the name's reading.
  const record = await env.open("parks/takamatsu-park-1/", { viewport: PHONE });
  assert.equal(await record.locator(".kana").count(), 0);
  await record.context().close();
  await page.context().close();
});
