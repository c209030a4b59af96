// Finding things (issue "Finding things"): Japanese search, "open now" in Japan time, the
// consultation finder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup } from "./support.mjs";

let env;
before(async () => {
  env = await setup();
});
after(async () => env?.close());

for (const q of ["たかまつしほけんじょ", "ﾀｶﾏﾂ", "タカマツ", "高松"]) {
  test(`search "${q}" finds 高松市保健所 first`, async (t) => {
    if (env.skip) return t.skip(env.skip);
    const page = await env.open(`search/?q=${encodeURIComponent(q)}`);
    await page.waitForSelector("#results li");
    assert.equal((await page.locator("#results li a").first().textContent()).trim(), "高松市保健所");
    await page.context().close();
  });
}

test("typing in the search box searches as you type and the header form leads there", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("areas/3706/");
  await page.locator(".header-search input").fill("ほけんじょ");
  await page.locator(".header-search button").click();
  await page.waitForURL(/\/search\/\?q=/);
  await page.waitForSelector("#results li");
  assert.ok((await page.locator("#results li").count()) >= 5);
  await page.locator("#q").fill("ぶっしょうざん");
  await page.waitForFunction(() => document.querySelector("#results li a")?.textContent.includes("仏生山"));
  await page.context().close();
});

// 高松市保健所: Mo-Fr 08:30-17:00; PH off; Dec 29-Jan 03 off. The browser is in New York, where
// these instants are the evening before: the answer must follow Japan time.
const NEW_YORK = "America/New_York";
for (const [label, instant, expected] of [
  ["a public holiday (勤労感謝の日, Monday 2026-11-23 10:00 JST)", "2026-11-23T10:00:00+09:00", "閉まっています"],
  ["a weekday at 10:00 JST (Tuesday 2026-11-24)", "2026-11-24T10:00:00+09:00", "開いています"],
  ["年末年始 (2026-12-29 10:00 JST, a Tuesday)", "2026-12-29T10:00:00+09:00", "閉まっています"],
]) {
  test(`open now on ${label}, with the browser in ${NEW_YORK}`, async (t) => {
    if (env.skip) return t.skip(env.skip);
    const page = await env.open("facilities/takamatsu-health-center-1/", { timezoneId: NEW_YORK, clock: new Date(instant) });
    assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), NEW_YORK);
    const status = page.locator("#open-now");
    await status.waitFor();
    assert.ok((await status.textContent()).startsWith(expected), await status.textContent());
    await page.context().close();
  });
}

test("the open-now filter on an area page follows Japan time too", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const holiday = await env.open("areas/3706/?open=1", { timezoneId: NEW_YORK, clock: new Date("2026-11-23T10:00:00+09:00") });
  await holiday.waitForSelector(".filter-status");
  await holiday.waitForFunction(() => document.querySelector(".filter-status")?.textContent.length > 0);
  const hokenjo = holiday.locator('li.record[data-id="takamatsu-health-center-1"]');
  assert.equal(await hokenjo.isHidden(), true, "closed on a holiday");
  const weekday = await env.open("areas/3706/?open=1", { timezoneId: NEW_YORK, clock: new Date("2026-11-24T10:00:00+09:00") });
  await weekday.waitForFunction(() => document.querySelector(".filter-status")?.textContent.length > 0);
  assert.equal(await weekday.locator('li.record[data-id="takamatsu-health-center-1"]').isVisible(), true);
  await holiday.context().close();
  await weekday.context().close();
});

test("the finder: worker, mental health, 高松市 lists 高松市保健所 first, with why and how", async (t) => {
  if (env.skip) return t.skip(env.skip);
  const page = await env.open("consultation/");
  await page.waitForSelector("#finder:not([hidden])");
  await page.getByLabel("働いている人").check();
  await page.locator("#finder-topic").selectOption("mental_health");
  await page.locator("#finder-where").selectOption("372013");
  await page.getByRole("button", { name: "相談先を探す" }).click();
  await page.waitForSelector(".finder-item");
  const first = page.locator(".finder-item").first();
  assert.equal((await first.locator("h3 a").textContent()).trim(), "高松市保健所");
  const reasons = await first.locator(".reasons li").allTextContents();
  assert.ok(reasons.some((r) => r.includes("メンタルヘルス")), reasons.join(" / "));
  assert.ok(reasons.some((r) => r.includes("高松市")), reasons.join(" / "));
  assert.match(page.url(), /who=worker/, "the query is in the URL");
  // A workplace of 60 people is not sent to the 地域産業保健センター (under 50).
  await page.locator("#finder-size").fill("60");
  await page.getByRole("button", { name: "相談先を探す" }).click();
  await page.waitForFunction(() => new URLSearchParams(location.search).get("employees") === "60");
  const names = await page.locator(".finder-item h3 a").allTextContents();
  assert.ok(!names.some((n) => n.includes("地域産業保健センター")), names.join(" / "));
  await page.context().close();
});
