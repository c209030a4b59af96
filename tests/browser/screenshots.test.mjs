// Screenshots of the pages a resident sees first, on a phone and on a desktop, for people to
// look at (their paths are printed). The assertions are only that nothing overflows sideways.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { setup, settled, screenshotDir } from "./support.mjs";

let env;
before(async () => {
  env = await setup();
});
after(async () => env?.close());

const VIEWPORTS = [
  ["phone", { width: 390, height: 844 }],
  ["desktop", { width: 1280, height: 800 }],
];
const PAGES = [
  ["home", ""],
  ["area", "areas/3706/"],
  ["record", "facilities/takamatsu-health-center-1/"],
  ["finder", "consultation/?who=worker&topic=mental_health&where=372013"],
  ["search", "search/?q=たかまつ"],
];

for (const [device, viewport] of VIEWPORTS) {
  for (const [name, url] of PAGES) {
    test(`screenshot: ${name} on a ${device}`, async (t) => {
      if (env.skip) return t.skip(env.skip);
      const page = await env.open(url, { viewport });
      await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
      const file = path.join(screenshotDir(), `${name}-${device}.png`);
      await page.screenshot({ path: file });
      console.log(`# screenshot ${file}`);
      await page.context().close();
    });
  }
}
