// What every page script needs of the page: elements made safely, the UI strings the template
// hands over, the language's URL prefix and a count with its unit. One module, imported by
// filters.js, search-page.js, finder-page.js and map.js (each had its own copy); loaded as a
// module file like them, so the strict CSP (script-src 'self', no inline script) holds.
// Nothing here touches the document when imported: the node tests import it too.

/**
 * An element with attributes and children. Attributes that are undefined, null or false are
 * left out (so `{ hidden: cond }` works); so are null, undefined and false children. Text is
 * set as text, never as HTML.
 */
export function element(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v);
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}

/**
 * The UI strings a template puts in a hidden `<dl id="…">` (`<dt>key</dt><dd>text</dd>`): the
 * theme's i18n in the page's language, without inline script.
 */
export function pageStrings(id, doc = document) {
  return Object.fromEntries([...doc.querySelectorAll(`#${id} dt`)].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]));
}

/** The language switch keeps the page's query (`?q=…`, the filters), so the other language
 *  shows the same results. */
export function keepInLanguageLinks(query) {
  for (const a of document.querySelectorAll(".lang-switch a")) {
    const url = new URL(a.href, location.href);
    url.search = query;
    a.href = url.pathname + url.search + url.hash;
  }
}

/** The site's root ("../../", from data-root) and the page's language (data-lang). */
export function site(doc = document) {
  const root = doc.body.dataset.root || "";
  const lang = doc.body.dataset.lang || "ja";
  return { root, lang, pages: root + langPrefix(lang) };
}

/** The URL prefix of a language's pages: "" for Japanese, "en/" for English (as `Lang::prefix`). */
export function langPrefix(lang) {
  return lang === "en" ? "en/" : "";
}

/**
 * "12件" / "12 places" / "1 place": the unit carries its own space (en.yaml " places"), and
 * `record_one` is used for one where the language has a singular, as in the `records` filter
 * of src/render.
 */
export function countLabel(n, strings) {
  const unit = n === 1 && strings.record_one ? strings.record_one : strings.records;
  return `${n}${unit}`;
}
