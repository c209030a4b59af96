// The Nu Html Checker (vnu-jar) over every HTML file of the built demo: 0 errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { site, filesUnder, VNU_JAR } from "./support.mjs";

test("the Nu Html Checker reports no error on any page", (t) => {
  let java;
  try {
    java = execFileSync("sh", ["-c", "command -v java"], { encoding: "utf8" }).trim();
  } catch {
    if (process.env.CI === "true") throw new Error("java is not installed (scripts/test installs it)");
    return t.skip("java is not installed");
  }
  const root = site();
  const pages = filesUnder(root, ".html");
  assert.ok(pages.length > 1000, `${pages.length} pages`);
  let output = "";
  try {
    execFileSync(java, ["-Xss4m", "-jar", VNU_JAR, "--errors-only", "--format", "json", "--skip-non-html", root], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (error) {
    // vnu exits 1 when it reports errors; the report is on stderr.
    output = error.stderr || String(error);
  }
  const messages = output ? JSON.parse(output).messages.filter((m) => m.type === "error") : [];
  const shown = messages.slice(0, 30).map((m) => `${m.url.replace(`file:${root}`, "")}:${m.lastLine ?? "?"}: ${m.message}`);
  assert.equal(messages.length, 0, `${messages.length} errors, e.g.\n${shown.join("\n")}`);
});
