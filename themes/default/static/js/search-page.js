// The search page (/search/): results as you type, the query in the URL (?q=…).
import { Index, PAGE_SIZE } from "./search.js";
import { byDistance, kmLabel, nearMe } from "./filters.js";
import { countLabel, element, keepInLanguageLinks, pageStrings, site } from "./page.js";

const { root, lang, pages: pages_ } = site();
const form = document.querySelector("form.search-form");
const input = document.getElementById("q");
const results = document.getElementById("results");
const index = new Index(`${root}search/`);
const strings = pageStrings("search-strings");

function remember(query, page) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (page > 1) params.set("page", String(page));
  const search = params.size ? `?${params}` : "";
  history.replaceState(null, "", search || location.pathname);
  keepInLanguageLinks(search);
}

// "現在地から探す": the results sorted by distance from the device (its position stays in the page).
let here = null;
nearMe(document.querySelector(".near-me"), document.getElementById("near-me-note"), {
  changed: (at) => {
    here = at;
    run(input.value);
  },
  failed: (message) => results.prepend(element("p", { role: "alert" }, message)),
});

let pending = 0;
/** Shows page `page` of the results of `query`, with the true count of all of them. */
async function run(query, page = 1) {
  const ticket = ++pending;
  // The results take the place of the links to browse (the area keeps a screen's height, so
  // that nothing below moves when they come).
  const browse = document.getElementById("browse");
  if (browse) browse.hidden = Boolean(query.trim());
  if (!query.trim()) {
    results.replaceChildren();
    results.removeAttribute("data-total");
    results.removeAttribute("data-query");
    return;
  }
  const meta = await index.json("meta.json");
  const { results: found, total } = await index.search(query);
  if (ticket !== pending) return;
  if (here) byDistance(found, here);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  page = Math.min(Math.max(1, page), pages);
  const first = (page - 1) * PAGE_SIZE;
  const labels = meta.labels[lang] || meta.labels.ja;
  const areaName = Object.fromEntries(meta.areas.map((a) => [a.code, lang === "en" && a.name_en ? a.name_en : a.name]));
  const heading = element("h2", { id: "results-h", tabindex: "-1" }, `${strings.search_results}: ${countLabel(total, strings)}`);
  results.replaceChildren(heading);
  results.dataset.total = String(total);
  // The query these results answer (what a test, or a script, waits for).
  results.dataset.query = query;
  if (found.length === 0) {
    results.append(element("p", {}, strings.search_none));
    return;
  }
  if (pages > 1) results.append(element("p", { class: "range" }, strings.search_range.replace("{from}", String(first + 1)).replace("{to}", String(Math.min(total, first + PAGE_SIZE)))));
  const list = element("ol", { class: "search-results", start: String(first + 1) });
  for (const d of found.slice(first, first + PAGE_SIZE)) {
    const name = lang === "en" && d.nameEn ? d.nameEn : d.name;
    const kind = labels[d.kind];
    // English pages show the municipality's English name, or its Japanese name tagged as Japanese.
    const japaneseMunicipality = lang === "en" && !d.municipalityEn && d.municipality;
    const municipality = japaneseMunicipality ? null : lang === "en" ? d.municipalityEn : d.municipality;
    const meta = element("span", { class: "meta" }, [kind?.label, kind?.types?.[d.type], areaName[d.area], municipality].filter(Boolean).join(" ・ "));
    if (japaneseMunicipality) meta.append(" ・ ", element("span", { lang: "ja" }, d.municipality));
    list.append(
      element(
        "li",
        { "data-id": d.id },
        element("a", { href: `${pages_}${d.kind}/${d.id}/`, ...(lang === "en" && !d.nameEn ? { lang: "ja" } : {}) }, name),
        meta,
        d.address ? element("span", { class: "address", lang: "ja" }, d.address) : null,
        here && Number.isFinite(d.km) ? element("span", { class: "distance" }, kmLabel(d.km)) : null,
      ),
    );
  }
  results.append(list);
  if (pages > 1) {
    const nav = element("nav", { class: "pagination", "aria-label": strings.page });
    const go = (p) => {
      remember(query, p);
      run(query, p).then(() => document.getElementById("results-h")?.focus());
    };
    if (page > 1) {
      const prev = element("button", { type: "button", class: "button secondary" }, strings.previous);
      prev.addEventListener("click", () => go(page - 1));
      nav.append(prev);
    }
    nav.append(element("span", {}, `${strings.page} ${page} / ${pages}`));
    if (page < pages) {
      const next = element("button", { type: "button", class: "button secondary" }, strings.next);
      next.addEventListener("click", () => go(page + 1));
      nav.append(next);
    }
    results.append(nav);
  }
}

const params = new URLSearchParams(location.search);
if (params.get("q")) {
  input.value = params.get("q");
  keepInLanguageLinks(location.search);
  run(input.value, Number(params.get("page")) || 1);
}
let timer;
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 150);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  remember(input.value, 1);
  run(input.value);
});
