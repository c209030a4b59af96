// axe-core (WCAG 2.0/2.1 A and AA) on every kind of page, in both languages, with and without
// JavaScript where it changes the page; search and finder pages empty and with results.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { setup, settled, AXE_PATH } from "./support.mjs";

let env;
before(async () => {
  env = await setup();
});
after(async () => env?.close());

const PAGES = [
  ["", true],
  ["areas/", true],
  ["areas/3706/", true],
  ["areas/3706/", false],
  ["areas/3706/parks/", true],
  ["areas/3706/print/", true],
  ["facilities/", true],
  ["parks/", true],
  ["restaurants/", true],
  ["consultation/", false],
  ["facilities/takamatsu-health-center-1/", true],
  ["facilities/mhlw-3711370100010/", true],
  ["parks/takamatsu-park-272/", true],
  ["restaurants/sample-healthy-teishoku/", true],
  ["consultation/hokenjo-37201/", true],
  ["consultation/sample-sanpo-center/", true],
  ["about/", true],
  ["credits/", true],
  ["search/", true],
  ["search/?q=高松", true],
  ["search/?q=小豆 病院", true],
  ["search/names/", true],
  ["areas/3706/?open=1", true],
  ["areas/3706/parks/?walking=1", true],
  ["parks/sample-waterfront-walk/", true],
  ["consultation/", true],
  ["consultation/?who=worker&topic=mental_health&where=372013", true],
  ["data/", true],
  ["no-such-page/", true],
];

async function axe(page) {
  await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join("\n    ")}`);
  });
}

for (const lang of ["", "en/"]) {
  for (const [path, javaScript] of PAGES) {
    const url = lang + path;
    test(`axe: /${url}${javaScript ? "" : " (without the site's scripts)"}`, async (t) => {
      if (env.skip) return t.skip(env.skip);
      const page = await env.open(url, {
        bypassCSP: true,
        blockScripts: !javaScript,
        expectStatus: url.includes("no-such-page") ? 404 : 200,
      });
      await settled(page);
      const violations = await axe(page);
      assert.deepEqual(violations, [], violations.join("\n"));
      await page.context().close();
    });
  }
}
