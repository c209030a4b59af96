//! The hours corpus: every distinct weekday/start/end/note combination in the real files of
//! `../shared/data` (the municipal files and 高松市's), and every distinct その他の休診日 text of
//! the Kagawa 医療情報ネット file, converted and compared with `tests/vectors/hours_corpus.json`.
//!
//! The vectors were written by reading each text. The test fails when a text of the corpus has
//! no entry (add one), when an entry's output differs, and prints the share converted fully,
//! partially (hours written with a CHECK) and not at all.
//!
//! In the vectors, `{days}`, `{start}`, `{end}` and `{note}` in the checks stand for the
//! headers of the file the text came from (the same text occurs under different headers).
//!
//! The national 医療情報ネット file (2,417 distinct その他の休診日 texts) is too large to write out by
//! hand: it is run through [`hours::closures`] for panics and syntax only, and its share printed.
//!
//! `KENKOMAP_HOURS_DRAFT=1` writes the actual outputs of the entries that are missing or differ
//! to `target/hours_corpus_draft.json`, to read and copy by hand, never blindly.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::hours::{self, Columns};
use super::text;

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KENKOMAP_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("municipal").is_dir() && dir.join("kagawa").is_dir() {
        Some(dir)
    } else if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "{} is missing (CI=true): the hours corpus test needs it",
            dir.display()
        );
    } else {
        println!(
            "skipped: {} is missing (the hours corpus is read from the real data beside the repository)",
            dir.display()
        );
        None
    }
}

const DAYS: [&str; 3] = ["利用可能曜日", "診療曜日", "availableDate"];
const STARTS: [&str; 3] = ["開始時間", "診療開始時間", "startTime"];
const ENDS: [&str; 3] = ["終了時間", "診療終了時間", "endTime"];
const NOTES: [&str; 4] = [
    "診療日時特記事項",
    "利用可能日時特記事項",
    "利用可能時間特記事項",
    "availableDateNote",
];

/// One text of the corpus: the four cells, the headers, and the first file it occurs in.
struct Text {
    key: [String; 4],
    cols: Columns,
    file: String,
    count: usize,
}

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in ["municipal", "kagawa/takamatsu"] {
        for e in walkdir::WalkDir::new(dir.join(sub)).sort_by_file_name() {
            let e = e.unwrap();
            if e.path().extension().is_some_and(|x| x == "csv") {
                out.push(e.path().to_owned());
            }
        }
    }
    out
}

/// Every distinct (days, start, end, note) of the files that have hours columns.
fn corpus(dir: &Path) -> Vec<Text> {
    let mut out: Vec<Text> = Vec::new();
    let mut files_with_hours = 0;
    for path in csv_files(dir) {
        let rel = path.strip_prefix(dir).unwrap().display().to_string();
        let text = text::decode(&std::fs::read(&path).unwrap(), &rel).unwrap();
        let first = text.lines().next().unwrap_or("");
        let delim = if first.matches('\t').count() > first.matches(',').count() {
            b'\t'
        } else {
            b','
        };
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delim)
            .flexible(true)
            .has_headers(true)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = rdr
            .headers()
            .unwrap()
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
        let idx = [find(&DAYS), find(&STARTS), find(&ENDS), find(&NOTES)];
        if idx.iter().all(Option::is_none) {
            continue;
        }
        files_with_hours += 1;
        let name = |i: Option<usize>, d: String| i.map_or(d, |i| headers[i].clone());
        let def = Columns::default();
        let cols = Columns {
            days: name(idx[0], def.days),
            start: name(idx[1], def.start),
            end: name(idx[2], def.end),
            note: name(idx[3], def.note),
        };
        for rec in rdr.records() {
            let rec = rec.unwrap();
            let key: [String; 4] = std::array::from_fn(|k| {
                idx[k]
                    .and_then(|i| rec.get(i))
                    .unwrap_or("")
                    .trim()
                    .to_owned()
            });
            if key.iter().all(String::is_empty) {
                continue;
            }
            match out.iter_mut().find(|t| t.key == key && t.cols == cols) {
                Some(t) => t.count += 1,
                None => out.push(Text {
                    key,
                    cols: cols.clone(),
                    file: rel.clone(),
                    count: 1,
                }),
            }
        }
    }
    assert_eq!(files_with_hours, 7 + 13, "files with hours columns");
    out
}

/// The distinct その他の休診日 texts of a 医療情報ネット file.
fn mhlw_texts(path: &Path) -> (String, Vec<String>) {
    let text = text::decode(&std::fs::read(path).unwrap(), "mhlw").unwrap();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let i = headers
        .iter()
        .position(|h| h.starts_with("その他の休診日"))
        .unwrap();
    let mut out: Vec<String> = Vec::new();
    for rec in rdr.records() {
        let v = rec.unwrap().get(i).unwrap_or("").trim().to_owned();
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    (headers[i].to_owned(), out)
}

fn placeholders(checks: &[String], cols: &Columns) -> Vec<String> {
    checks
        .iter()
        .map(|c| {
            // The longest names first: 診療開始時間 contains 開始時間.
            let mut c = c.clone();
            let mut names = [
                (&cols.note, "{note}"),
                (&cols.start, "{start}"),
                (&cols.end, "{end}"),
                (&cols.days, "{days}"),
            ];
            names.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
            for (n, p) in names {
                c = c.replace(n.as_str(), p);
            }
            c
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn hours_corpus() {
    let Some(dir) = data_dir() else { return };
    let vectors_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/hours_corpus.json");
    let vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(&vectors_path).unwrap()).unwrap();
    let mut expected: BTreeMap<[String; 4], (Option<String>, Vec<String>)> = BTreeMap::new();
    for e in vectors["entries"].as_array().unwrap() {
        let key: [String; 4] =
            ["days", "start", "end", "note"].map(|k| e[k].as_str().unwrap().to_owned());
        let hours = e["hours"].as_str().map(str::to_owned);
        let prev = expected.insert(key.clone(), (hours, strings(&e["checks"])));
        assert!(prev.is_none(), "two entries for {key:?}");
    }

    let texts = corpus(&dir);
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    let mut draft = Vec::new();
    let (mut full, mut partial, mut none) = (0, 0, 0);
    let (mut full_rows, mut partial_rows, mut none_rows) = (0, 0, 0);
    let mut used = std::collections::BTreeSet::new();
    let mut rendered = std::collections::BTreeSet::new();
    for t in &texts {
        let [d, s, e, n] = &t.key;
        let got = hours::convert(d, s, e, n, &t.cols);
        if let Some(h) = got
            .hours
            .as_ref()
            .filter(|h| rendered.insert(h.to_string()))
        {
            // Parses, and the site's renderings of it work (weekly table, summaries, "open now").
            let parsed = crate::hours::parse(h)
                .unwrap_or_else(|e| panic!("{h:?} does not parse ({}): {e}", t.file));
            let day = jiff::civil::date(2026, 6, 1);
            let week = parsed.week(day);
            assert!(
                !week.rows_ja().is_empty() || !week.summary_ja().is_empty(),
                "{h:?}"
            );
            assert!(!parsed.summary_en(day).is_empty(), "{h:?}");
            parsed.compact_schedule(day, 30);
        }
        match (&got.hours, got.problems.is_empty()) {
            (Some(_), true) => (full += 1, full_rows += t.count),
            (Some(_), false) => (partial += 1, partial_rows += t.count),
            (None, _) => (none += 1, none_rows += t.count),
        };
        let got_checks = placeholders(&got.problems, &t.cols);
        let entry = || {
            json!({"days": d, "start": s, "end": e, "note": n, "hours": got.hours,
                   "checks": got_checks, "file": t.file})
        };
        used.insert(t.key.clone());
        match expected.get(&t.key) {
            None => {
                missing.push(format!("{}: {:?}", t.file, t.key));
                draft.push(entry());
            }
            Some((h, c)) => {
                if *h != got.hours || *c != got_checks {
                    wrong.push(format!(
                        "{}: {:?}\n  expected {h:?} {c:?}\n  got      {:?} {got_checks:?}",
                        t.file, t.key, got.hours
                    ));
                    draft.push(entry());
                }
            }
        }
    }
    let stale: Vec<_> = expected.keys().filter(|k| !used.contains(*k)).collect();

    // 医療情報ネット closures (Kagawa): expected entries.
    let mut closures_expected: BTreeMap<String, (Option<String>, Vec<String>)> = BTreeMap::new();
    for e in vectors["closures"].as_array().unwrap() {
        closures_expected.insert(
            e["text"].as_str().unwrap().to_owned(),
            (
                e["rules"].as_str().map(str::to_owned),
                strings(&e["checks"]),
            ),
        );
    }
    let (column, kagawa) =
        mhlw_texts(&dir.join("kagawa/mhlw_hospital_facility_info_20250601_kagawa.csv"));
    let (mut c_full, mut c_partial, mut c_none) = (0, 0, 0);
    for t in &kagawa {
        let got = hours::closures(t, &column);
        let got_checks = placeholders(
            &got.problems,
            &Columns {
                note: column.clone(),
                ..Columns::default()
            },
        );
        match (&got.hours, got.problems.is_empty()) {
            (Some(_), true) => c_full += 1,
            (Some(_), false) => c_partial += 1,
            (None, _) => c_none += 1,
        }
        match closures_expected.get(t) {
            None => {
                missing.push(format!("mhlw kagawa: {t:?}"));
                draft.push(json!({"text": t, "rules": got.hours, "checks": got_checks}));
            }
            Some((h, c)) if *h != got.hours || *c != got_checks => {
                wrong.push(format!(
                    "mhlw: {t:?}\n  expected {h:?} {c:?}\n  got      {:?} {got_checks:?}",
                    got.hours
                ));
                draft.push(json!({"text": t, "rules": got.hours, "checks": got_checks}));
            }
            Some(_) => {}
        }
    }

    // The national file: no panic, every output parses.
    let (_, national) =
        mhlw_texts(&dir.join("national/mhlw_hospital_facility_info_20250601_excl_01_22.csv"));
    let (mut n_full, mut n_partial, mut n_none) = (0, 0, 0);
    for t in &national {
        let got = hours::closures(t, &column);
        if let Some(h) = &got.hours {
            assert!(crate::hours::parse(h).is_ok(), "{h:?} from {t:?}");
        }
        match (&got.hours, got.problems.is_empty()) {
            (Some(_), true) => n_full += 1,
            (Some(_), false) => n_partial += 1,
            (None, _) => n_none += 1,
        }
    }

    let pct = |n: usize, total: usize| 100.0 * n as f64 / total.max(1) as f64;
    let total = texts.len();
    let rows = full_rows + partial_rows + none_rows;
    println!(
        "hours corpus: {total} distinct texts (with their headers; {rows} rows): converted fully {full} ({:.1}%), partially {partial} ({:.1}%), not at all {none} ({:.1}%)",
        pct(full, total),
        pct(partial, total),
        pct(none, total)
    );
    println!(
        "  by rows: fully {full_rows} ({:.1}%), partially {partial_rows} ({:.1}%), not at all {none_rows} ({:.1}%)",
        pct(full_rows, rows),
        pct(partial_rows, rows),
        pct(none_rows, rows)
    );
    let kt = kagawa.len();
    println!(
        "医療情報ネット closures (Kagawa): {kt} distinct texts: fully {c_full} ({:.1}%), partially {c_partial} ({:.1}%), not at all {c_none} ({:.1}%)",
        pct(c_full, kt),
        pct(c_partial, kt),
        pct(c_none, kt)
    );
    let nt = national.len();
    println!(
        "医療情報ネット closures (national, not in the vectors): {nt} distinct texts: fully {n_full} ({:.1}%), partially {n_partial} ({:.1}%), not at all {n_none} ({:.1}%)",
        pct(n_full, nt),
        pct(n_partial, nt),
        pct(n_none, nt)
    );
    if std::env::var("KENKOMAP_HOURS_DRAFT").as_deref() == Ok("1") {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/hours_corpus_draft.json");
        std::fs::write(&p, serde_json::to_string_pretty(&draft).unwrap()).unwrap();
        println!("draft written to {}", p.display());
    }
    assert!(
        missing.is_empty(),
        "{} corpus texts have no entry in {}:\n{}",
        missing.len(),
        vectors_path.display(),
        missing.join("\n")
    );
    assert!(
        wrong.is_empty(),
        "{} entries differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(
        stale.is_empty(),
        "entries for texts no longer in the corpus: {stale:?}"
    );
}
