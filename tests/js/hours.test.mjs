// Run with: node --test tests/js/
// The browser's "open now" against the vectors the Rust tests also check (tests/vectors/open_now.json).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isOpenAt, nextChange, japanTime, clock } from "../../themes/default/static/js/hours.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/open_now.json", import.meta.url), "utf8"));

/** A Japan-time "YYYY-MM-DDTHH:MM" as an instant. */
const jst = (s) => new Date(`${s}:00+09:00`);

test("every shared check agrees", () => {
  const failures = [];
  for (const c of vectors.cases) {
    for (const check of c.checks) {
      const got = isOpenAt(c.schedule, jst(check.at));
      const expected = c.schedule.unknown ? null : check.open;
      if (got !== expected && !(expected === false && got === null)) {
        failures.push(`${c.hours} at ${check.at}: got ${got}, expected ${check.open} (${check.note ?? ""})`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test("Japan time whatever the visitor's zone", () => {
  // 2026-09-24 01:00 UTC is 10:00 in Japan (a Thursday).
  const t = japanTime(new Date(Date.UTC(2026, 8, 24, 1, 0)));
  assert.equal(t.minute, 600);
  assert.equal(t.weekday, 3);
});

test("next change: opens at 8:30 tomorrow", () => {
  const c = vectors.cases.find((c) => c.hours.startsWith("Mo-Fr 08:30-17:15"));
  const next = nextChange(c.schedule, jst("2026-09-24T20:00"));
  assert.deepEqual(next, { open: false, at: { days: 1, minute: 510 } });
  assert.equal(clock(510), "8:30");
});

test("outside the window the answer is unknown", () => {
  const c = vectors.cases[0];
  assert.equal(isOpenAt(c.schedule, jst("2030-01-01T10:00")), null);
});
