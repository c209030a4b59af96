// "Open now" in the browser, from the compact schedules the build derives from `hours`
// (src/hours.rs documents the format; tests/vectors/open_now.json is shared with the Rust
// tests). Times are Japan time whatever the visitor's time zone: Japan has one zone and no
// daylight saving time, so Japan time is UTC+9.

const DAY = 1440;
const JST = 9 * 60 * 60 * 1000;

/** The Japan-time calendar date (UTC midnight Date) and minute of the day of `instant`. */
export function japanTime(instant) {
  const t = new Date(instant.getTime() + JST);
  const date = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  return { date, minute: t.getUTCHours() * 60 + t.getUTCMinutes(), weekday: (t.getUTCDay() + 6) % 7 };
}

function parseDate(ymd) {
  const [y, m, d] = ymd.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

/** A schedule with its exceptions indexed, ready to evaluate many times. */
export function prepare(schedule) {
  return {
    ...schedule,
    start: parseDate(schedule.from),
    byOffset: new Map(schedule.exceptions.map(([offset, intervals]) => [offset, intervals])),
  };
}

/** The intervals of day `k` (days from `from`). */
function day(s, k, weekday) {
  return s.byOffset.has(k) ? s.byOffset.get(k) : s.week[weekday];
}

/**
 * Whether the place is open at `instant` (a Date): true, false, or null when the hours are
 * unknown or the date is outside the schedule's window.
 */
export function isOpenAt(schedule, instant) {
  const s = schedule.byOffset ? schedule : prepare(schedule);
  if (s.unknown) return null;
  const { date, minute, weekday } = japanTime(instant);
  const k = Math.round((date - s.start) / 86400000);
  if (k < 0 || k >= s.days) return null;
  const today = day(s, k, weekday);
  if (today.some(([a, b]) => a <= minute && minute < b)) return true;
  const yesterday = day(s, k - 1, (weekday + 6) % 7);
  return yesterday.some(([a, b]) => a <= minute + DAY && minute + DAY < b);
}

/**
 * When the state changes next, within a week: { open, at: { days, minute } } where `days` is
 * 0 for today and 1 for tomorrow. null when unknown.
 */
export function nextChange(schedule, instant) {
  const s = schedule.byOffset ? schedule : prepare(schedule);
  const open = isOpenAt(s, instant);
  if (open === null) return null;
  const { date } = japanTime(instant);
  // Walk forward in 5-minute steps (a week at most): simple and exact enough for a hint.
  for (let step = 5; step <= 7 * DAY; step += 5) {
    const t = new Date(instant.getTime() + step * 60000);
    if (isOpenAt(s, t) !== open) {
      const j = japanTime(t);
      const m = j.minute - (j.minute % 5);
      return { open, at: { days: Math.round((j.date - date) / 86400000), minute: m } };
    }
  }
  return { open, at: null };
}

/** "9:00" from minutes. */
export function clock(minute) {
  const m = ((minute % DAY) + DAY) % DAY;
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}`;
}
