// The consultation finder page: the questions (in the HTML, so that nothing moves when this
// starts; without JavaScript the page is a list by topic, audience and area), the answers from consultation/finder.json, the query in
// the URL so a result can be shared.
import { find } from "./finder.js";
import { isOpenAt } from "./hours.js";
import { countLabel, element, pageStrings, site } from "./page.js";

const form = document.getElementById("finder");
const results = document.getElementById("finder-results");
const strings = pageStrings("finder-strings");
const { root, lang, pages } = site();
const placeName = Object.fromEntries([...form.querySelectorAll("#finder-where option")].map((o) => [o.value, o.textContent]));

const say = (key, x) => (strings[key] || key).replace("{x}", x ?? "");

function reasonText(r) {
  switch (r.reason) {
    case "audience":
      return say("reason_audience", strings[`audiences.${r.value}`]);
    case "topic":
      return say("reason_topic", strings[`topics.${r.value}`]);
    case "channel":
      return say("reason_channel", strings[`channels.${r.value}`]);
    case "serves":
    case "area":
      return say(`reason_${r.reason}`, placeName[r.value]);
    case "eligible":
      return say("reason_eligible", r.value);
    default:
      return say(`reason_${r.reason}`);
  }
}

function queryFromForm() {
  const data = new FormData(form);
  const q = {};
  if (data.get("who")) q.who = data.get("who");
  if (data.get("topic")) q.topic = data.get("topic");
  const channels = data.getAll("channel");
  if (channels.length) q.channels = channels;
  if (data.get("when")) q.when = data.get("when");
  if (data.get("where")) q.municipality = data.get("where");
  const n = parseInt(data.get("employees"), 10);
  if (n > 0) q.employees = n;
  return q;
}

function formFromUrl() {
  const p = new URLSearchParams(location.search);
  for (const [name, value] of p) {
    for (const input of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.value === value) input.checked = true;
      } else {
        input.value = value;
      }
    }
  }
  return p.size > 0;
}

function urlFromForm() {
  const p = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (v) p.append(k, v);
  const search = p.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

function render(data, query) {
  const now = new Date();
  for (const b of data.bodies) {
    b.open_now = b.schedule !== undefined && isOpenAt(data.schedules[b.schedule], now) === true;
  }
  const found = find(query, data.bodies);
  const byId = Object.fromEntries(data.bodies.map((b) => [b.id, b]));
  results.replaceChildren();
  results.hidden = false;
  const heading = element("h2", { id: "finder-results-h", tabindex: "-1" }, `${strings.finder_results}: ${countLabel(found.length, strings)}`);
  results.append(heading);
  if (found.length === 0) {
    results.append(element("p", {}, strings.finder_none));
    return heading;
  }
  const list = element("ol", { class: "finder-list" });
  for (const m of found) {
    const b = byId[m.id];
    const name = lang === "en" && b.name_en ? b.name_en : b.name;
    const item = element("li", { class: "finder-item", "data-id": b.id });
    item.append(element("h3", {}, element("a", { href: pages + b.href, ...(lang === "en" && !b.name_en ? { lang: "ja" } : {}) }, name)));
    const meta = element("p", { class: "meta" }, strings[`types.${b.type}`] || b.type);
    if (b.sample) meta.append(" ", element("span", { class: "badge badge-sample" }, strings.sample));
    item.append(meta);
    const why = element("ul", { class: "reasons", "aria-label": strings.why });
    for (const r of m.reasons) why.append(element("li", {}, reasonText(r)));
    item.append(why);
    const contact = element("p", { class: "contact", "aria-label": strings.how_to_reach });
    if (b.phone) contact.append(element("a", { class: "tel", href: `tel:${b.phone.replace(/[^0-9+#]/g, "")}` }, b.phone));
    const hours = lang === "en" ? b.hours_en : b.hours_ja;
    if (hours) contact.append(element("span", { class: "hours" }, hours));
    if (b.reservation) contact.append(element("span", { class: "badge" }, strings[`reservation.${b.reservation}`]));
    if (b.anonymous) contact.append(element("span", { class: "badge" }, strings.anonymous));
    item.append(contact);
    list.append(item);
  }
  results.append(list);
  return heading;
}

async function main() {
  const response = await fetch(`${root}consultation/finder.json`);
  if (!response.ok) return;
  const data = await response.json();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    urlFromForm();
    render(data, queryFromForm()).focus();
  });
  if (formFromUrl()) render(data, queryFromForm());
}

main().catch((error) => console.warn("the finder could not start; the lists remain", error));
