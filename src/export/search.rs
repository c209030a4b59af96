//! The search index: built here, read by `themes/default/static/js/search.js`.
//!
//! Every searchable string (name, reading, English name, address, type labels, municipality)
//! is folded with [`crate::fold::fold`] (the browser folds queries the same way) and cut into
//! character bigrams (and single characters, so one-character queries work). The inverted
//! index is split into shards by a hash of the gram, so a query loads only the shards of its
//! own grams, never one huge file, however large the site:
//!
//! - `search/meta.json`: shard count, document count, chunk size, areas, type labels and the
//!   types of public health bodies (by kind), which rank first among equal matches.
//! - `search/shards/<n>.json`: `{ gram: [doc numbers, delta-encoded] }` for grams whose hash
//!   is `n` modulo the shard count.
//! - `search/docs/<n>.json`: documents `n*CHUNK ..`: `[id, kind, type, area, municipality,
//!   name, name_kana, name_en, address, tags, reading, [lat, lon] or null, municipality_en]`, for
//!   showing, checking and ranking the hits (the English name of the municipality, which is
//!   indexed, must be there for "Takamatsu hospital" to rank, and is what English results show);
//!   `tags` are the labels of the type, kind, departments, checkups, topics and audiences in
//!   every language, space-separated. A query of several words must match each word in one of
//!   these fields.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use crate::fold::{bigrams, fold};
use crate::model::Model;
use crate::registry::{Kind, RecordId, RecordType};

/// Documents per `docs/<n>.json` file.
pub const CHUNK: usize = 256;

/// FNV-1a of the gram's UTF-8 bytes: simple, and written the same way in search.js.
pub fn gram_hash(gram: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in gram.as_bytes() {
        h ^= *b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Shards for `docs` documents: about 2,000 documents' grams per shard, a power of two.
pub fn shard_count(docs: usize) -> usize {
    (docs / 2_000).max(1).next_power_of_two().min(1024)
}

/// The grams a folded string is indexed under: its bigrams and its characters.
pub fn grams(folded: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = bigrams(folded).into_iter().collect();
    out.extend(folded.chars().map(String::from));
    out
}

/// A gram of [`grams`] (one or two characters) as a number: the index of 80,000 documents
/// collects some 10 million of them, and a `String` each was most of its time. The order of
/// grams is their text's order (UTF-8 sorts as code points do; a character before the pairs it
/// starts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Gram(u64);

impl Gram {
    fn new(first: char, second: Option<char>) -> Gram {
        Gram((u64::from(first) << 32) | second.map_or(0, |c| u64::from(c) + 1))
    }

    /// Adds the grams of `folded` (with repeats) to `out`.
    fn extend(out: &mut Vec<Gram>, folded: &str) {
        let mut chars = folded.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(Gram::new(c, None));
            if let Some(&next) = chars.peek() {
                out.push(Gram::new(c, Some(next)));
            }
        }
    }

    fn text(self) -> String {
        let char_at = |bits: u64| char::from_u32(bits as u32).expect("made from a char");
        let mut s = String::from(char_at(self.0 >> 32));
        let second = self.0 & 0xFFFF_FFFF;
        if second != 0 {
            s.push(char_at(second - 1));
        }
        s
    }
}

/// The search files: (path, JSON).
pub fn index(model: &Model, labels: &BTreeMap<&str, &serde_json::Value>) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    let docs: Vec<RecordId> = model.by_kind.iter().flatten().copied().collect();
    let (rows, doc_grams): (Vec<Value>, Vec<Vec<Gram>>) =
        docs.par_iter().map(|&i| document(model, labels, i)).unzip();
    let shards = shard_count(docs.len());
    let mut files = shard_files(&doc_grams, shards);
    for (n, chunk) in rows.chunks(CHUNK).enumerate() {
        files.push((
            format!("search/docs/{n}.json"),
            serde_json::to_vec(chunk).expect("JSON"),
        ));
    }
    let meta = meta(model, labels, rows.len(), shards);
    files.insert(
        0,
        (
            "search/meta.json".into(),
            serde_json::to_vec(&meta).expect("JSON"),
        ),
    );
    files
}

/// A record's row of `docs/<n>.json` and its grams (sorted, each once).
fn document(
    model: &Model,
    labels: &BTreeMap<&str, &serde_json::Value>,
    i: RecordId,
) -> (Value, Vec<Gram>) {
    let r = model.record(i);
    let placement = model.site.placements[i];
    let municipality = placement.map(|p| &model.site.geo.municipalities[p.municipality]);
    let area = placement
        .map(|p| model.site.geo.areas[p.area].code.clone())
        .unwrap_or_default();
    // Type labels in every language are searchable ("病院", "hospital").
    let mut texts: Vec<String> = vec![r.name.value.clone()];
    texts.extend(r.name_kana.as_ref().map(|s| s.value.clone()));
    texts.extend(r.name_en.as_ref().map(|s| s.value.clone()));
    texts.extend(r.address.as_ref().map(|s| s.value.clone()));
    if let Some(m) = municipality {
        texts.push(m.name.clone());
        texts.extend(m.name_en.clone());
    }
    // The area's names (the search ranks them from meta.json's areas): 「Shozu hospital」.
    if let Some(a) = placement.map(|p| model.area(p.area)) {
        texts.push(a.name.clone());
        texts.extend(a.name_en.clone());
    }
    // Labels a resident may type: the type, departments, checkups, topics and audiences,
    // in every language ("病院", "hospital", "内科", "メンタルヘルス").
    let mut tags: Vec<String> = Vec::new();
    for strings in labels.values() {
        if let Some(l) = strings["types"][r.kind.as_str()][r.record_type.as_str()].as_str() {
            tags.push(l.to_owned());
        }
        if let Some(l) = strings["kinds"][r.kind.as_str()].as_str() {
            tags.push(l.to_owned());
        }
    }
    match &r.details {
        crate::registry::Details::Facility(d) => {
            tags.extend(d.departments.iter().cloned());
            tags.extend(d.checkups.iter().cloned());
        }
        crate::registry::Details::Consultation(d) => {
            use crate::registry::vocab::Vocab;
            for strings in labels.values() {
                for t in &d.topics {
                    tags.extend(strings["topics"][t.as_str()].as_str().map(str::to_owned));
                }
                for a in &d.audiences {
                    tags.extend(strings["audiences"][a.as_str()].as_str().map(str::to_owned));
                }
            }
        }
        _ => {}
    }
    let mut seen = BTreeSet::new();
    tags.retain(|t| seen.insert(t.clone()));
    texts.extend(tags.iter().cloned());
    // A reading generated by the analyser, only where the registry gives none.
    let generated = model.generated_kana(i).map(str::to_owned);
    texts.extend(generated.clone());
    let mut doc_grams = Vec::new();
    for t in &texts {
        Gram::extend(&mut doc_grams, &fold(t));
    }
    doc_grams.sort_unstable();
    doc_grams.dedup();
    let row = json!([
        r.id.value,
        r.kind,
        r.record_type.value,
        area,
        municipality.map(|m| m.name.clone()).unwrap_or_default(),
        r.name.value,
        r.name_kana
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        r.name_en
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        r.address
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        tags.join(" "),
        // A generated reading (searched, never shown as the name's reading).
        generated.unwrap_or_default(),
        r.location.as_ref().map(|l| {
            let round = |x: f64| (x * 1e5).round() / 1e5;
            json!([round(l.lat), round(l.lon)])
        }),
        municipality
            .and_then(|m| m.name_en.clone())
            .unwrap_or_default(),
    ]);
    (row, doc_grams)
}

/// `shards/<n>.json`: each gram's documents (numbers ascending, stored as gaps), in the shard
/// of the gram's hash, grams in their text's order.
fn shard_files(doc_grams: &[Vec<Gram>], shards: usize) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    let mut postings: HashMap<Gram, Vec<u32>> = HashMap::new();
    for (n, grams) in doc_grams.iter().enumerate() {
        for &g in grams {
            postings.entry(g).or_default().push(n as u32);
        }
    }
    let mut by_shard: Vec<Vec<(Gram, Vec<u32>)>> = vec![Vec::new(); shards];
    for (g, ids) in postings {
        let text = g.text();
        by_shard[gram_hash(&text) as usize % shards].push((g, ids));
    }
    by_shard
        .into_par_iter()
        .enumerate()
        .map(|(n, mut shard)| {
            shard.sort_unstable_by_key(|(g, _)| *g);
            let delta: serde_json::Map<String, Value> = shard
                .into_iter()
                .map(|(g, ids)| {
                    let mut prev = 0;
                    let gaps: Vec<u32> = ids
                        .into_iter()
                        .map(|id| {
                            let gap = id - prev;
                            prev = id;
                            gap
                        })
                        .collect();
                    (g.text(), json!(gaps))
                })
                .collect();
            (
                format!("search/shards/{n}.json"),
                serde_json::to_vec(&delta).expect("JSON"),
            )
        })
        .collect()
}

/// `meta.json`: what the script needs before its first query.
fn meta(
    model: &Model,
    labels: &BTreeMap<&str, &serde_json::Value>,
    docs: usize,
    shards: usize,
) -> Value {
    let areas: Vec<Value> = model
        .areas
        .iter()
        .map(|a| json!({ "code": a.code, "name": a.name, "name_en": a.name_en }))
        .collect();
    let mut type_labels = serde_json::Map::new();
    for (lang, strings) in labels {
        let mut kinds = serde_json::Map::new();
        for kind in Kind::ALL {
            let mut types = strings["types"][kind.as_str()]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for t in model.site.config.types.get(&kind).into_iter().flatten() {
                let label = if *lang == "en" {
                    t.en.clone().unwrap_or_else(|| t.ja.clone())
                } else {
                    t.ja.clone()
                };
                types.insert(t.key.clone(), json!(label));
            }
            kinds.insert(
                kind.as_str().to_owned(),
                json!({ "label": strings["kinds"][kind.as_str()], "types": types }),
            );
        }
        type_labels.insert((*lang).to_owned(), Value::Object(kinds));
    }
    // The search ranks public health bodies first among equal matches; which types those are
    // is the registry's to say, not a copy of its list in the script.
    let public: serde_json::Map<String, Value> = Kind::ALL
        .into_iter()
        .map(|kind| {
            let types: Vec<&str> = kind
                .builtin_types()
                .into_iter()
                .filter(|t| RecordType::parse(kind, t).is_public_body())
                .collect();
            (kind.as_str().to_owned(), json!(types))
        })
        .collect();
    json!({
        "version": 1,
        "docs": docs,
        "chunk": CHUNK,
        "shards": shards,
        // How the 11th field of the documents was made (null: no generated readings).
        "readings": crate::readings::SOURCE,
        "areas": areas,
        "labels": type_labels,
        "public": public,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference() {
        // Reference values of 32-bit FNV-1a.
        assert_eq!(gram_hash(""), 0x811c9dc5);
        assert_eq!(gram_hash("a"), 0xe40c292c);
        assert_eq!(gram_hash("foobar"), 0xbf9cf968);
    }

    #[test]
    fn grams_include_characters_for_one_letter_queries() {
        let g = grams(&fold("高松市"));
        assert!(g.contains("高松") && g.contains("松市") && g.contains("高"));
    }

    #[test]
    fn numbered_grams_are_the_grams_in_the_order_of_their_text() {
        for text in ["高松市", "たかまつ", "a", "", "ab ab", "𠮷野家", "\0x"] {
            let folded = fold(text);
            let mut numbered = Vec::new();
            Gram::extend(&mut numbered, &folded);
            numbered.sort_unstable();
            numbered.dedup();
            let texts: Vec<String> = numbered.iter().map(|g| g.text()).collect();
            let expected: Vec<String> = grams(&folded).into_iter().collect();
            assert_eq!(texts, expected, "{text:?}");
        }
    }

    #[test]
    fn shards_grow_with_the_site() {
        assert_eq!(shard_count(480), 1);
        assert_eq!(shard_count(80_000), 64);
        assert_eq!(shard_count(10_000_000), 1024);
    }
}
