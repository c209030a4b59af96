// Run with: node --test tests/js/
// The browser's finder rules against the vectors the Rust tests also read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { find } from "../../themes/default/static/js/finder.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/finder.json", import.meta.url), "utf8"));

test("every shared case gives the same bodies, in the same order, for the same reasons", () => {
  for (const c of vectors.cases) {
    const found = find(c.query, vectors.bodies);
    assert.deepEqual(found.map((m) => m.id), c.expected, c.name);
    if (c.reasons) {
      const reasons = found[0].reasons.map((r) => (r.value === undefined ? { reason: r.reason } : r));
      const expected = c.reasons.map((r) => (r.value === undefined ? { reason: r.reason } : r));
      assert.deepEqual(reasons, expected, c.name);
    }
  }
});
