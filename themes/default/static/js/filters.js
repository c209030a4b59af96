// Filters over the lists already in the page (area, area-kind and kind pages): type,
// accessibility, fee, languages, "open now", open on Saturday/Sunday, after 18:00,
// smoke-free, walking course. The state is in the URL query, so a filtered view can be
// shared; the counts follow; the map's markers follow (map.js listens to kenkomap:filter).
import { isOpenAt, prepare } from "./hours.js";

const host = document.getElementById("filters");
const items = [...document.querySelectorAll("ul.records > li.record")];

function element(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

const strings = Object.fromEntries(
  [...document.querySelectorAll("#filter-strings dt")].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
);
const facets = (li) => new Set((li.dataset.facets || "").split(" ").filter(Boolean));

/** Schedules by record id, from the areas' GeoJSON (fetched when "open now" is first used). */
let schedules = null;
async function loadSchedules() {
  if (schedules) return schedules;
  const root = document.body.dataset.root || "";
  const areas = [...new Set(items.map((li) => li.dataset.area).filter(Boolean))];
  const files = await Promise.all(
    areas.map((code) => fetch(`${root}data/areas/${code}.geojson`).then((r) => (r.ok ? r.json() : { features: [], schedules: [] }))),
  );
  schedules = new Map();
  for (const file of files) {
    const prepared = (file.schedules || []).map(prepare);
    for (const f of file.features) {
      if (f.properties.schedule !== undefined) schedules.set(f.properties.id, prepared[f.properties.schedule]);
    }
  }
  return schedules;
}

function checkbox(name, label) {
  const input = element("input", { type: "checkbox", name, value: "1" });
  return [input, element("label", {}, input, ` ${label}`)];
}

async function main() {
  if (!host || items.length === 0) return;
  const all = items.map(facets);
  const has = (f) => all.some((s) => s.has(f));
  const types = new Map();
  for (const li of items) {
    const key = [...facets(li)].find((f) => f.startsWith("type:"));
    if (key && !types.has(key)) types.set(key, li.querySelector(".type")?.textContent || key.slice(5));
  }
  const form = element("form", { class: "filter-form", "aria-labelledby": "filter-h" });
  form.append(element("h2", { id: "filter-h", class: "filter-title" }, strings.filter));
  const controls = element("div", { class: "filter-controls" });
  if (types.size > 1) {
    const select = element("select", { name: "type", id: "filter-type" }, element("option", { value: "" }, strings.all));
    for (const [key, label] of types) select.append(element("option", { value: key.slice(5) }, label));
    controls.append(element("span", { class: "field" }, element("label", { for: "filter-type" }, strings.type), select));
  }
  const boxes = [];
  const add = (name, label, available = true) => {
    if (!available) return;
    const [input, labelled] = checkbox(name, label);
    boxes.push(input);
    controls.append(labelled);
  };
  add("open", strings.open_now, items.some((li) => li.querySelector(".hours")));
  add("sat", strings.saturday, has("sat"));
  add("sun", strings.sunday, has("sun"));
  add("evening", strings.evening, has("evening"));
  add("free", strings.free, has("free"));
  add("wheelchair", strings.wheelchair, has("wheelchair"));
  add("smoke_free", strings.smoke_free, has("smoke_free"));
  add("walking", strings.walking, has("walking"));
  form.append(controls);
  const status = element("p", { class: "filter-status", role: "status" });
  const reset = element("button", { type: "reset", class: "link-button" }, strings.reset);
  form.append(element("div", { class: "filter-footer" }, status, reset));
  host.append(form);
  host.hidden = false;

  // The URL query -> the form.
  const params = new URLSearchParams(location.search);
  for (const [k, v] of params) {
    const control = form.elements.namedItem(k);
    if (control instanceof HTMLSelectElement) control.value = v;
    else if (control instanceof HTMLInputElement) control.checked = v === "1";
  }

  async function apply() {
    const state = new URLSearchParams();
    const type = form.elements.namedItem("type")?.value || "";
    if (type) state.set("type", type);
    const wanted = boxes.filter((b) => b.checked).map((b) => b.name);
    for (const w of wanted) state.set(w, "1");
    const needOpen = wanted.includes("open");
    const open = needOpen ? await loadSchedules() : null;
    const now = new Date();
    const visible = new Set();
    for (const li of items) {
      const f = facets(li);
      let show = !type || f.has(`type:${type}`);
      for (const w of wanted) {
        if (w === "open") show &&= open.has(li.dataset.id) && isOpenAt(open.get(li.dataset.id), now) === true;
        else show &&= f.has(w);
      }
      li.hidden = !show;
      if (show) visible.add(li.dataset.id);
    }
    // Section counts follow.
    for (const list of document.querySelectorAll("ul.records")) {
      const count = list.closest("section")?.querySelector("h2 .count, h3 .count");
      if (count) {
        if (!count.dataset.all) count.dataset.all = count.textContent;
        const shown = [...list.children].filter((li) => !li.hidden).length;
        count.textContent = state.size ? `${shown} / ${count.dataset.all}` : count.dataset.all;
      }
    }
    status.textContent = `${visible.size}${visible.size === 1 && strings.record_one ? strings.record_one : strings.records}${strings.count.startsWith(" ") ? "" : document.documentElement.lang === "en" ? " " : ""}${strings.count}`;
    const query = state.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
    document.dispatchEvent(new CustomEvent("kenkomap:filter", { detail: { visible: state.size ? visible : null } }));
  }
  form.addEventListener("change", () => apply());
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("reset", () => setTimeout(apply));
  await apply();
}

main().catch((error) => console.warn("filters could not start; the lists remain", error));
