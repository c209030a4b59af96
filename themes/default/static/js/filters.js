// Filters of the list pages (area, area-kind and kind pages): type, "open now", open on
// Saturday/Sunday, after 18:00, free, wheelchair, smoke-free, walking course.
//
// The form is in the HTML (nothing moves when this starts). The filters work over every record
// of the page's scope, not only the ones the page prints: the scope's records files
// (areas/<code>/records.json, see src/export/lists.rs) are loaded when a filter is first used.
// Records whose hours are not known are a state of their own: a time filter leaves them out,
// says how many, and includes them when asked ("unknown"). The state is in the URL query, so a
// shared filter URL gives the same lists as the clicks; the counts and the map's markers follow
// (map.js listens to kenkomap:filter).
import { isOpenAt, prepare } from "./hours.js";
import { countLabel as count, element, keepInLanguageLinks, pageStrings, site } from "./page.js";

const page = typeof document !== "undefined";
const form = page ? document.getElementById("filters") : null;
const lists = page ? [...document.querySelectorAll("ul.records[data-scope-kind]")] : [];
const TIME = new Set(["open", "sat", "sun", "evening"]);
/** Matches rendered per list before a "show more" button. */
const PAGE = 100;

const strings = page ? pageStrings("filter-strings") : {};
const { lang, pages: langRoot } = page ? site() : { lang: "ja", pages: "" };
const en = lang === "en";

/** Great-circle distance in km (as km_between in src/render/mod.rs). */
export function km(a, b) {
  const rad = Math.PI / 180;
  const dp = (b[0] - a[0]) * rad;
  const dl = (b[1] - a[1]) * rad;
  const h = Math.sin(dp / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dl / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** "0.4 km", "12 km". */
export function kmLabel(d) {
  return d < 10 ? `${d.toFixed(1)} km` : `${Math.round(d)} km`;
}

/** Sorts records with a distance from `here` ([lat, lon]) nearest first; those without a place last. */
export function byDistance(records, here) {
  for (const r of records) r.km = r.loc ? km(here, r.loc) : Infinity;
  return records.sort((a, b) => a.km - b.km);
}

/** The device's position as [lat, lon], asked for when the resident presses the button (the browser asks for consent). */
export function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error("no geolocation"));
    navigator.geolocation.getCurrentPosition((p) => resolve([p.coords.latitude, p.coords.longitude]), reject, { timeout: 15000, maximumAge: 60000 });
  });
}

/**
 * The "現在地から探す" button (`near`, with its `note`): shown where the browser can locate, it
 * toggles between sorting by distance and not, its state in aria-pressed. `changed(here)` gets
 * the position ([lat, lon]) or null when turned off; `failed(message)` the button's
 * data-failed text when the position could not be had (no consent, no fix).
 */
export function nearMe(near, note, { changed, failed }) {
  if (!near) return;
  if (!("geolocation" in navigator)) {
    near.hidden = true;
    return;
  }
  near.classList.remove("js-pending");
  note?.classList.remove("js-pending");
  near.addEventListener("click", async () => {
    let here = null;
    if (near.getAttribute("aria-pressed") !== "true") {
      try {
        here = await position();
      } catch {
        return failed(near.dataset.failed);
      }
    }
    near.setAttribute("aria-pressed", String(Boolean(here)));
    return changed(here);
  });
}

/** A count with the page's unit (see page.js). */
export function countLabel(n, s = strings) {
  return count(n, s);
}

/** Every record of the page's scope (its kind only on a kind page), loaded once. */
let scope = null;
function loadScope() {
  scope ||= (async () => {
    const sources = (form.dataset.sources || "").split(" ").filter(Boolean);
    const files = await Promise.all(
      sources.map((url) => fetch(url).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${url}: ${r.status}`))))),
    );
    const out = [];
    for (const file of files) {
      const schedules = (file.schedules || []).map(prepare);
      for (const r of file.records) {
        if (form.dataset.kind && r.kind !== form.dataset.kind) continue;
        out.push({ ...r, area: file.area, facetSet: new Set(r.facets.split(" ")), prepared: r.schedule === undefined ? null : schedules[r.schedule] });
      }
    }
    return out;
  })();
  return scope;
}

/**
 * Whether a record passes the filters: true, false, or "unknown" when a time filter asks
 * about hours that are not known.
 */
export function verdict(r, { type, wanted }, now) {
  if (type && r.type !== type) return false;
  let unknown = false;
  for (const w of wanted) {
    if (TIME.has(w)) {
      if (w === "open") {
        const open = r.prepared ? isOpenAt(r.prepared, now) : null;
        if (open === null) unknown = true;
        else if (!open) return false;
      } else if (r.facetSet.has("hours_unknown")) unknown = true;
      else if (!r.facetSet.has(w)) return false;
    } else if (!r.facetSet.has(w)) return false;
  }
  return unknown ? "unknown" : true;
}

/** A record as the lists show it (the same markup as macros.html's record_item). */
function item(r) {
  const meta = element("p", { class: "meta" }, element("span", { class: "type" }, r.type_label));
  if (r.municipality) meta.append(` ・ ${r.municipality}`);
  if (r.suspended) meta.append(" ", element("span", { class: "badge badge-warn" }, strings.suspended));
  if (r.sample) meta.append(" ", element("span", { class: "badge badge-sample" }, strings.sample));
  const contact = element("p", { class: "contact" });
  if (r.phone) contact.append(element("a", { class: "tel", href: r.phone[1] }, r.phone[0]));
  contact.append(r.hours ? element("span", { class: "hours" }, r.hours) : element("span", { class: "hours hours-unknown" }, strings.hours_not_known));
  if (Number.isFinite(r.km)) contact.append(element("span", { class: "distance" }, kmLabel(r.km)));
  return element(
    "li",
    {
      class: `record kind-${r.kind}`,
      "data-id": r.id,
      "data-kind": r.kind,
      "data-area": r.area,
      "data-facets": r.facets,
      "data-lat": r.loc?.[0],
      "data-lon": r.loc?.[1],
    },
    element("h3", { class: "record-name" }, element("a", { href: langRoot + r.href, lang: r.ja ? "ja" : undefined }, r.name)),
    meta,
    r.address ? element("p", { class: "address", lang: "ja" }, r.address) : null,
    contact,
  );
}

/** Shows `matches` in `list`, PAGE at a time, with a button for more. */
function fill(list, matches) {
  list.replaceChildren(...matches.slice(0, PAGE).map(item));
  list.nextElementSibling?.classList.contains("filter-more") && list.nextElementSibling.remove();
  if (matches.length > PAGE) {
    const button = element("button", { type: "button", class: "button secondary" }, `${strings.more} (${matches.length - PAGE})`);
    const more = element("p", { class: "filter-more" }, button);
    button.addEventListener("click", () => {
      const shown = list.children.length;
      list.append(...matches.slice(shown, shown + PAGE).map(item));
      const rest = matches.length - list.children.length;
      if (rest > 0) button.textContent = `${strings.more} (${rest})`;
      else more.remove();
      list.children[shown]?.querySelector("a")?.focus();
    });
    list.after(more);
  }
}

/** The language switch keeps the page's filter state. */
/** Tells the map which records to show (null: all); kept on the document for a map that starts later. */
function announce(visible) {
  const detail = { visible };
  document.kenkomapFilter = detail;
  document.dispatchEvent(new CustomEvent("kenkomap:filter", { detail }));
}

async function main() {
  if (!form) return;
  const originals = new Map(lists.map((list) => [list, [...list.children]]));
  const status = form.querySelector(".filter-status");
  const unknownBox = form.elements.namedItem("unknown");
  const wantedBoxes = [...form.querySelectorAll('input[type="checkbox"]')].filter((b) => b.name !== "unknown");

  // The URL query -> the form.
  const params = new URLSearchParams(location.search);
  for (const [k, v] of params) {
    const control = form.elements.namedItem(k);
    if (control instanceof HTMLSelectElement) control.value = v;
    else if (control instanceof HTMLInputElement) control.checked = v === "1";
  }

  // "現在地から探す": the lists sorted by distance from the device (its position stays in the page).
  let here = null;
  const near = form.querySelector(".near-me");
  nearMe(near, form.querySelector(".near-me-note"), {
    changed: (at) => {
      here = at;
      return apply();
    },
    failed: (message) => {
      status.textContent = message;
    },
  });

  let ticket = 0;
  let filtered = false;
  async function apply() {
    const mine = ++ticket;
    const state = new URLSearchParams();
    const type = form.elements.namedItem("type")?.value || "";
    if (type) state.set("type", type);
    const wanted = wantedBoxes.filter((b) => b.checked).map((b) => b.name);
    for (const w of wanted) state.set(w, "1");
    const timed = wanted.some((w) => TIME.has(w));
    const includeUnknown = unknownBox.checked;
    if (includeUnknown) state.set("unknown", "1");
    unknownBox.closest("label").hidden = !timed;
    const query = state.toString();
    history.replaceState(null, "", (query ? `?${query}` : location.pathname) + location.hash);
    keepInLanguageLinks(query ? `?${query}` : "");

    if (!type && wanted.length === 0 && !here) {
      // Nothing to undo before the first filter: re-inserting every item of the printed lists
      // would only cost a layout of the whole page (the longest task of an area page's load).
      if (!filtered) {
        status.textContent = countLabel(Number(form.dataset.total));
        return;
      }
      filtered = false;
      for (const [list, children] of originals) {
        list.replaceChildren(...children);
        if (list.nextElementSibling?.classList.contains("filter-more")) list.nextElementSibling.remove();
      }
      for (const count of document.querySelectorAll("[data-all]")) count.textContent = count.dataset.all;
      status.textContent = countLabel(Number(form.dataset.total));
      announce(null);
      return;
    }
    filtered = true;
    form.setAttribute("aria-busy", "true");
    const records = await loadScope();
    if (mine !== ticket) return;
    const now = new Date();
    const visible = new Set();
    let unknown = 0;
    const byList = new Map(lists.map((list) => [list, []]));
    for (const r of records) {
      const v = verdict(r, { type, wanted }, now);
      if (v === false) continue;
      if (v === "unknown") {
        unknown++;
        if (!includeUnknown) continue;
      }
      visible.add(r.id);
      for (const list of lists) {
        if (list.dataset.scopeKind === r.kind && (!list.dataset.scopeArea || list.dataset.scopeArea === r.area)) byList.get(list).push(r);
      }
    }
    for (const [list, matches] of byList) {
      if (here) byDistance(matches, here);
      else for (const r of matches) delete r.km;
      fill(list, matches);
      const count = list.closest("section")?.querySelector(":scope > h2 .count, :scope > h3 .count");
      if (count) {
        count.dataset.all ||= count.textContent;
        count.textContent = `${matches.length} / ${count.dataset.all}`;
      }
    }
    let text = `${countLabel(visible.size)}${en ? " " : ""}${strings.count}`;
    if (timed && unknown > 0) {
      const note = (includeUnknown ? strings.included : strings.left_out).replace("{n}", String(unknown));
      text += en ? ` (${note})` : `（${note}）`;
    }
    status.textContent = text;
    status.dataset.unknown = String(unknown);
    form.removeAttribute("aria-busy");
    announce(visible);
  }
  form.addEventListener("change", () => apply());
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    apply();
  });
  form.addEventListener("reset", () => {
    here = null;
    near?.setAttribute("aria-pressed", "false");
    setTimeout(apply);
  });
  form.classList.add("enhanced");
  await apply();
}

if (page) main().catch((error) => console.warn("filters could not start; the lists remain", error));
