// The search page (/search/): results as you type, the query in the URL (?q=…).
import { Index } from "./search.js";

const root = document.body.dataset.root || "";
const lang = document.body.dataset.lang || "ja";
const pages = root + (lang === "en" ? "en/" : "");
const form = document.querySelector("form.search-form");
const input = document.getElementById("q");
const results = document.getElementById("results");
const index = new Index(`${root}search/`);
const strings = Object.fromEntries(
  [...document.querySelectorAll("#search-strings dt")].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
);

function element(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

let pending = 0;
async function run(query) {
  const ticket = ++pending;
  if (!query.trim()) {
    results.replaceChildren();
    return;
  }
  const meta = await index.json("meta.json");
  const { results: found, total } = await index.search(query);
  if (ticket !== pending) return;
  const labels = meta.labels[lang] || meta.labels.ja;
  const areaName = Object.fromEntries(meta.areas.map((a) => [a.code, lang === "en" && a.name_en ? a.name_en : a.name]));
  results.replaceChildren(element("h2", {}, `${strings.search_results}: ${total}${total === 1 && strings.record_one ? strings.record_one : strings.records}`));
  if (found.length === 0) {
    results.append(element("p", {}, strings.search_none));
    return;
  }
  const list = element("ol", { class: "search-results" });
  for (const d of found) {
    const name = lang === "en" && d.nameEn ? d.nameEn : d.name;
    const kind = labels[d.kind];
    const meta = [kind?.label, kind?.types?.[d.type], areaName[d.area], d.municipality].filter(Boolean).join(" ・ ");
    list.append(
      element(
        "li",
        { "data-id": d.id },
        element("a", { href: `${pages}${d.kind}/${d.id}/`, ...(lang === "en" && !d.nameEn ? { lang: "ja" } : {}) }, name),
        element("span", { class: "meta" }, meta),
        d.address ? element("span", { class: "address", lang: "ja" }, d.address) : null,
      ),
    );
  }
  results.append(list);
}

const params = new URLSearchParams(location.search);
if (params.get("q")) {
  input.value = params.get("q");
  run(input.value);
}
let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 150);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const q = input.value;
  history.replaceState(null, "", q ? `?q=${encodeURIComponent(q)}` : location.pathname);
  run(q);
});
