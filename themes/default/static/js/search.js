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

const MAX_RESULTS = 50;

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
    const [id, kind, type, area, municipality, name, kana, nameEn, address] = chunk[n % meta.chunk];
    return { n, id, kind, type, area, municipality, name, kana, nameEn, address };
  }

  /** Ranked matches: exact name > prefix > substring; readings and English names count. */
  async search(query) {
    const q = fold(query);
    if (!q) return { query: q, results: [] };
    const ids = await this.candidates(queryGrams(q));
    const docs = await Promise.all(ids.slice(0, 2000).map((n) => this.doc(n)));
    const results = [];
    for (const d of docs) {
      const score = rank(q, d);
      if (score > 0) results.push({ ...d, score });
    }
    results.sort((a, b) => b.score - a.score || Array.from(a.name).length - Array.from(b.name).length || a.n - b.n);
    return { query: q, results: results.slice(0, MAX_RESULTS), total: results.length };
  }
}

/**
 * Public health bodies come first among equally good matches: for an ambiguous query such as
 * 高松 a resident is best served by the city's 保健所 before a private clinic.
 */
const PUBLIC_TYPES = new Set(["health_center", "public_health_center", "mental_health_center", "occupational_health_center", "regional_occupational_health_center"]);

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
  for (const field of [d.address, d.municipality]) {
    if (field && fold(field).includes(q)) best = Math.max(best, 30);
  }
  return best > 0 && PUBLIC_TYPES.has(d.type) ? best + 5 : best;
}
