// Japanese-aware search over the index the build writes in search/ (see src/export/search.rs):
// the query is folded like the index (fold.js mirrors src/fold.rs), cut into grams, and only
// the shards of those grams and the documents of the hits are fetched.
import { fold, bigrams } from "./fold.js";

/** FNV-1a, as gram_hash in src/export/search.rs. */
export function gramHash(gram) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(gram)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The grams a folded query needs: its bigrams, or the character of a one-letter query. */
export function queryGrams(folded) {
  return [...new Set(Array.from(folded).length === 1 ? [folded] : bigrams(folded))];
}

/** Results per page of the search page. */
export const PAGE_SIZE = 50;

/**
 * The words of a query, each folded: spaces (full-width too) separate words, and every word
 * must match ("小豆 病院", "高松市　病院").
 */
export function queryWords(query) {
  return [...new Set(String(query).normalize("NFKC").split(/\s+/).map(fold).filter(Boolean))];
}

export class Index {
  constructor(base) {
    this.base = base;
    this.cache = new Map();
  }

  async json(path) {
    if (!this.cache.has(path)) {
      this.cache.set(path, fetch(this.base + path).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${path}: ${r.status}`)))));
    }
    return this.cache.get(path);
  }

  /** Documents whose grams include every gram of the query (candidates, not yet checked). */
  async candidates(grams) {
    const meta = await this.json("meta.json");
    let result = null;
    for (const g of grams) {
      const shard = await this.json(`shards/${gramHash(g) % meta.shards}.json`);
      const gaps = shard[g];
      if (!gaps) return [];
      let n = 0;
      const ids = new Set(gaps.map((gap) => (n += gap)));
      result = result === null ? ids : new Set([...result].filter((id) => ids.has(id)));
      if (result.size === 0) return [];
    }
    return [...(result || [])].sort((a, b) => a - b);
  }

  async doc(n) {
    const meta = await this.json("meta.json");
    const chunk = await this.json(`docs/${Math.floor(n / meta.chunk)}.json`);
    const [id, kind, type, area, municipality, name, kana, nameEn, address, tags, reading, loc, municipalityEn] = chunk[n % meta.chunk];
    const areaInfo = meta.areas.find((a) => a.code === area);
    return {
      n, id, kind, type, area, municipality, municipalityEn: municipalityEn || "", name, kana, nameEn, address,
      tags: tags || "", reading: reading || "", loc: loc || null,
      public: (meta.public?.[kind] || []).includes(type),
      areaName: areaInfo?.name || "", areaNameEn: areaInfo?.name_en || "",
    };
  }

  /**
   * Every match of a query, ranked (exact name > prefix > substring; readings and English
   * names count; address, municipality, area and labels less), with the true total. Each word of
   * the query must match one of the fields.
   */
  async search(query) {
    const words = queryWords(query);
    const q = words.join(" ");
    if (!words.length) return { query: q, results: [], total: 0 };
    let ids = null;
    for (const w of words) {
      const found = new Set(await this.candidates(queryGrams(w)));
      ids = ids === null ? found : new Set([...ids].filter((n) => found.has(n)));
      if (ids.size === 0) return { query: q, results: [], total: 0 };
    }
    const docs = await Promise.all([...ids].sort((a, b) => a - b).map((n) => this.doc(n)));
    const results = [];
    for (const d of docs) {
      let score = 0;
      for (const w of words) {
        const s = rank(w, d);
        if (s === 0) {
          score = 0;
          break;
        }
        score += s;
      }
      if (score > 0) results.push({ ...d, score });
    }
    results.sort((a, b) => b.score - a.score || Array.from(a.name).length - Array.from(b.name).length || a.n - b.n);
    return { query: q, results, total: results.length };
  }
}

/** How well a document matches a folded query (0: not at all). */
export function rank(q, d) {
  let best = 0;
  for (const field of [d.name, d.kana, d.nameEn]) {
    if (!field) continue;
    const f = fold(field);
    if (f === q) best = Math.max(best, 100);
    else if (f.startsWith(q)) best = Math.max(best, 80);
    else if (f.includes(q)) best = Math.max(best, 60);
  }
  // A reading the build generated (not an authoritative name_kana) counts a little less.
  if (d.reading) {
    const f = fold(d.reading);
    if (f === q) best = Math.max(best, 90);
    else if (f.startsWith(q)) best = Math.max(best, 70);
    else if (f.includes(q)) best = Math.max(best, 50);
  }
  for (const field of [d.address, d.municipality, d.municipalityEn, d.areaName, d.areaNameEn]) {
    if (field && fold(field).includes(q)) best = Math.max(best, 30);
  }
  if (d.tags && d.tags.split(" ").some((t) => fold(t).includes(q))) best = Math.max(best, 25);
  // Public health bodies come first among equally good matches: for an ambiguous query such
  // as 高松 a resident is best served by the city's 保健所 before a private clinic.
  return best > 0 && d.public ? best + 5 : best;
}
