// "Open now" on a record page, in Japan time whatever the visitor's time zone, with when it
// opens or closes next. The schedule is in the element's data-schedule (no inline script).
import { isOpenAt, nextChange, clock } from "./hours.js";

const el = document.getElementById("open-now");
if (el) {
  const schedule = JSON.parse(el.dataset.schedule);
  const now = new Date();
  const open = isOpenAt(schedule, now);
  if (open !== null) {
    const next = nextChange(schedule, now);
    const en = document.documentElement.lang === "en";
    let hint = "";
    if (next && next.at) {
      const when = `${next.at.days === 1 ? `${el.dataset.tomorrow} ` : ""}${clock(next.at.minute)}`;
      const verb = open ? el.dataset.closes : el.dataset.opens;
      if (next.at.days <= 1) hint = en ? ` (${verb} ${when})` : `（${when}${verb}）`;
    }
    el.textContent = (open ? el.dataset.open : el.dataset.closed) + hint;
    el.classList.add(open ? "is-open" : "is-closed");
  }
}
