// The consultation finder's rules, the same as src/finder.rs (tests/vectors/finder.json is
// shared by both test suites), and the page that asks the questions.

const AUDIENCES = {
  worker: ["workers"],
  employer: ["employers", "small_workplaces"],
  supervisor: ["supervisors", "employers"],
  family: ["families"],
  resident: ["residents"],
};

/** Whether `body` fits `query`, and why; null when it does not. */
export function matches(query, body) {
  const reasons = [];
  const has = (list, x) => (list || []).includes(x);
  if (query.who && (body.audiences || []).length > 0) {
    const hit = AUDIENCES[query.who].find((a) => has(body.audiences, a));
    if (!hit) return null;
    reasons.push({ reason: "audience", value: hit });
  }
  if (query.topic) {
    if (!has(body.topics, query.topic)) return null;
    reasons.push({ reason: "topic", value: query.topic });
  }
  if (query.channels && query.channels.length > 0) {
    const hit = query.channels.find((c) => has(body.channels, c));
    if (!hit) return null;
    reasons.push({ reason: "channel", value: hit });
  }
  if (query.when) {
    const ok = { now: body.open_now, evening: body.evening, weekend: body.weekend }[query.when];
    if (!ok) return null;
    reasons.push({ reason: { now: "open_now", evening: "evening", weekend: "weekend" }[query.when] });
  }
  let tier = 0;
  if (query.municipality) {
    const m = query.municipality;
    const serves = body.serves || [];
    if (body.prefecture_wide && serves.includes(m)) {
      tier = 2;
      reasons.push({ reason: "prefecture_wide" });
    } else if (serves.includes(m) || (serves.length === 0 && body.municipality === m)) {
      reasons.push({ reason: "serves", value: m });
    } else if (serves.length === 0 && has(body.area_municipalities, m)) {
      tier = 1;
      reasons.push({ reason: "area", value: m });
    } else {
      return null;
    }
  }
  if (body.max_employees != null) {
    if (query.employees != null && query.employees > body.max_employees) return null;
    reasons.push({ reason: "eligible", value: body.max_employees });
  }
  return { id: body.id, tier, reasons };
}

/** Code-point order, as Rust compares strings (not the locale's order). */
function byCodePoints(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Every body that fits, closest first, then by name. */
export function find(query, bodies) {
  const found = [];
  for (const body of bodies) {
    const m = matches(query, body);
    if (m) found.push([body, m]);
  }
  found.sort(([a, ma], [b, mb]) => ma.tier - mb.tier || byCodePoints(a.name, b.name));
  return found.map(([, m]) => m);
}
