//! Bad input never panics: valid registry files, mutated at random, go through the whole
//! front half of the pipeline (YAML with spans, decoding, validation rules, geo), in process.
//! Any outcome is fine except a panic. The case count is bounded so CI stays fast; raise it
//! with PROPTEST_CASES for a longer search.

use crate::common;

use std::path::Path;

use proptest::prelude::*;

/// The files mutations start from: every registry of the valid fixture and a slice of the demo.
fn seeds() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in [common::fixtures().join("valid"), common::manifest_dir()] {
        for sub in [
            "data/facilities",
            "data/parks",
            "data/restaurants",
            "data/consultation",
            "data/areas",
        ] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for e in entries {
                let path = e.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                // Large demo files are cut to their first records: mutations are what matter.
                let text: String = text.lines().take(60).collect::<Vec<_>>().join("\n");
                out.push((sub.to_owned(), text));
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the character at (relative) position with one of YAML's special characters.
    Replace(f64, char),
    /// Delete a span of characters.
    Delete(f64, usize),
    /// Insert text.
    Insert(f64, String),
    /// Duplicate a line (duplicate keys, duplicate ids).
    DuplicateLine(f64),
    /// Change a line's indentation.
    Indent(f64, i8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let special = prop::sample::select(vec![
        ':', '-', '[', ']', '{', '}', '"', '\'', '#', '&', '*', '!', '|', '>', '%', '@', '`', '\n',
        '\t', ' ', '0', 'ー', '\u{feff}', '\\',
    ]);
    let text = prop::sample::select(vec![
        "lat: 999".to_owned(),
        "{ lat: 0, lon: 0 }".into(),
        "- ".into(),
        ": :".into(),
        "&a [*a, *a]".into(),
        "hours: \"Mo-Fr 25:00-26:99\"".into(),
        "municipality: \"999999\"".into(),
        "\n  - id: x\n".into(),
        "!!binary aGVsbG8=".into(),
        "~".into(),
        "1e999".into(),
        "高松市".into(),
        "<script>".into(),
        "serves: [\"372013\", 3]".into(),
        "menus: [{ name: 1, kcal: -1 }]".into(),
    ]);
    prop_oneof![
        (0.0..1.0f64, special).prop_map(|(p, c)| Mutation::Replace(p, c)),
        (0.0..1.0f64, 1..40usize).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (0.0..1.0f64, text).prop_map(|(p, t)| Mutation::Insert(p, t)),
        (0.0..1.0f64).prop_map(Mutation::DuplicateLine),
        (0.0..1.0f64, -3..4i8).prop_map(|(p, d)| Mutation::Indent(p, d)),
    ]
}

fn at(text: &str, p: f64) -> usize {
    let chars: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    chars[((chars.len() - 1) as f64 * p) as usize]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut s = text.to_owned();
    match m {
        Mutation::Replace(p, c) => {
            let i = at(&s, *p);
            if let Some(old) = s[i..].chars().next() {
                s.replace_range(i..i + old.len_utf8(), &c.to_string());
            }
        }
        Mutation::Delete(p, n) => {
            let i = at(&s, *p);
            let end = s[i..]
                .char_indices()
                .nth(*n)
                .map_or(s.len(), |(j, _)| i + j);
            s.replace_range(i..end, "");
        }
        Mutation::Insert(p, t) => {
            let i = at(&s, *p);
            s.insert_str(i, t);
        }
        Mutation::DuplicateLine(p) => {
            let mut lines: Vec<&str> = s.lines().collect();
            if !lines.is_empty() {
                let i = ((lines.len() - 1) as f64 * p) as usize;
                lines.insert(i, lines[i]);
            }
            s = lines.join("\n");
        }
        Mutation::Indent(p, d) => {
            let mut lines: Vec<String> = s.lines().map(str::to_owned).collect();
            if !lines.is_empty() {
                let i = ((lines.len() - 1) as f64 * p) as usize;
                if *d > 0 {
                    lines[i].insert_str(0, &" ".repeat(*d as usize));
                } else {
                    let trim = (-*d as usize).min(lines[i].len() - lines[i].trim_start().len());
                    lines[i].replace_range(..trim, "");
                }
            }
            s = lines.join("\n");
        }
    }
    s
}

/// Decodes one file the way the pipeline does, in process.
fn decode(dir: &str, text: &str) {
    use kenkomap::validate::{decode, reader::Cx};
    let file = kenkomap::diagnostics::FileId(0);
    let mut diags = Vec::new();
    let mut cx = Cx::new(&mut diags, text, jiff::civil::date(2026, 11, 21));
    let Ok(node) = kenkomap::load::yaml::parse(text, file) else {
        return;
    };
    match dir {
        "data/areas" => {
            decode::areas_file(&node, file, &mut cx);
        }
        _ => {
            let kind = kenkomap::registry::Kind::from_dir(dir.trim_start_matches("data/")).unwrap();
            let records = decode::registry_file(&node, kind, Some(&[]), &mut cx);
            kenkomap::validate::rules::duplicate_ids(&records);
            kenkomap::validate::rules::duplicate_places(&records);
        }
    }
    // Rendering every diagnostic exercises spans against the text (columns, line ends).
    // With the tree's `internal` keys, so hiding them is exercised too.
    let mut sources = kenkomap::diagnostics::Sources::default();
    let internal = kenkomap::load::yaml::internal_values(&node);
    sources.add_parsed("x.yaml".into(), text.into(), internal.into());
    for d in &diags {
        for format in [
            kenkomap::diagnostics::Format::Human,
            kenkomap::diagnostics::Format::Github,
            kenkomap::diagnostics::Format::Json,
        ] {
            kenkomap::diagnostics::render(d, &sources, format, false);
        }
    }
}

/// `PROPTEST_CASES` raises the count for a longer search (CI uses the default).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2_000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_registries_never_panic(seed in any::<prop::sample::Index>(), mutations in prop::collection::vec(mutation(), 1..6)) {
        let seeds = seeds();
        let (dir, text) = &seeds[seed.index(seeds.len())];
        let mut mutated = text.clone();
        for m in &mutations {
            mutated = apply(&mutated, m);
        }
        decode(dir, &mutated);
    }
}

/// A few whole mutated sites through `check` (geo included), as the CLI runs it.
#[test]
fn mutated_sites_never_panic() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: cases(40) / 10 + 36,
        failure_persistence: None,
        ..Config::default()
    });
    let valid = common::fixtures().join("valid");
    runner
        .run(
            &(
                prop::sample::select(vec![
                    "data/parks/parks.yaml",
                    "data/facilities/health.yaml",
                    "data/areas/kagawa.yaml",
                    "site.yaml",
                    "content/about.md",
                ]),
                prop::collection::vec(mutation(), 1..5),
            ),
            |(file, mutations)| {
                let site = tempfile::tempdir().unwrap();
                common::copy_dir(&valid, site.path());
                let path = site.path().join(file);
                let mut text = std::fs::read_to_string(&path).unwrap();
                for m in &mutations {
                    text = apply(&text, m);
                }
                std::fs::write(&path, text).unwrap();
                let _ =
                    kenkomap::site::check(Path::new(site.path()), jiff::civil::date(2026, 11, 21));
                Ok(())
            },
        )
        .unwrap();
}

/// `kenkomap import …` parsed as the CLI does, to run importers in process.
#[derive(clap::Parser)]
struct ImportCli {
    #[command(subcommand)]
    command: kenkomap::import::ImportCommand,
}

/// Real CSV files of several municipalities and their import commands (`FILE` and `OUT` are
/// replaced): every importer gets mutated real input.
const IMPORT_SEEDS: &[(&str, &str)] = &[
    (
        "kagawa/takamatsu/park__data.csv",
        "ods FILE --kind parks --type park --municipality 372013 --out OUT",
    ),
    (
        "kagawa/takamatsu/health_center__data.csv",
        "ods FILE --kind facilities --type health_center --municipality 372013 --out OUT",
    ),
    (
        "kagawa/takamatsu/hospital__data.csv",
        "ods FILE --kind facilities --type-from alternativeName --type-map 病院=hospital,診療所=clinic --municipality 372013 --out OUT",
    ),
    (
        "kagawa/mhlw_hospital_facility_info_20250601_kagawa.csv",
        "mhlw FILE --out OUT",
    ),
    (
        "municipal/mine/352136_park_sports_facility.csv",
        "ods FILE --kind parks --type park --out OUT",
    ),
    (
        "municipal/yamaguchi/352039_hospital_20240401.csv",
        "ods FILE --kind facilities --type hospital --out OUT",
    ),
    (
        "municipal/iwakuni/352080_hospital.csv",
        "ods FILE --kind facilities --type hospital --out OUT",
    ),
    (
        "municipal/iwakuni/352080_aed.csv",
        "ods FILE --kind facilities --type other --out OUT",
    ),
    (
        "municipal/kudamatsu/352071_hospital.csv",
        "ods FILE --kind facilities --type-map 病院=hospital,*=clinic --out OUT",
    ),
    (
        "municipal/tabuse/353434_hospital.csv",
        "ods FILE --kind facilities --type-map 病院=hospital,*=clinic --where-not 医療機関の種類=病院 --out OUT",
    ),
    (
        "municipal/yamaguchi/352039_health_welfare_facility_20240401.csv",
        "ods FILE --kind facilities --type-map *診療所=clinic,*=health_center --out OUT",
    ),
];

/// Mutated real CSV files through the importers, in process: any outcome but a panic.
#[test]
fn mutated_import_files_never_panic() {
    use clap::Parser;
    use proptest::test_runner::{Config, TestRunner};
    let Some(data) = common::shared("data") else {
        return;
    };
    let seeds: Vec<(String, &str)> = IMPORT_SEEDS
        .iter()
        .map(|(file, args)| {
            let bytes = std::fs::read(data.join(file)).unwrap();
            // Shift_JIS files are mutated as text too (the importer detects either).
            let text = String::from_utf8(bytes.clone())
                .unwrap_or_else(|_| encoding_rs::SHIFT_JIS.decode(&bytes).0.into_owned());
            // The first rows are enough for the mutations to matter.
            (text.lines().take(40).collect::<Vec<_>>().join("\n"), *args)
        })
        .collect();
    let mut runner = TestRunner::new(Config {
        cases: cases(300),
        failure_persistence: None,
        ..Config::default()
    });
    let csv_mutation = prop_oneof![
        mutation(),
        (
            0.0..1.0f64,
            prop::sample::select(vec![',', '"', '\r', '\n', '０', '　', '〜', '時'])
        )
            .prop_map(|(p, c)| Mutation::Replace(p, c)),
    ];
    runner
        .run(
            &(
                any::<prop::sample::Index>(),
                prop::collection::vec(csv_mutation, 1..6),
            ),
            |(seed, mutations)| {
                let (text, args) = &seeds[seed.index(seeds.len())];
                let dir = tempfile::tempdir().unwrap();
                let file = dir.path().join("input.csv");
                let mut mutated = text.clone();
                for m in &mutations {
                    mutated = apply(&mutated, m);
                }
                std::fs::write(&file, mutated).unwrap();
                let out = dir.path().join("out.yaml");
                let argv = std::iter::once("kenkomap".to_owned()).chain(args.split(' ').map(|a| {
                    a.replace("FILE", file.to_str().unwrap())
                        .replace("OUT", out.to_str().unwrap())
                }));
                let cli = ImportCli::try_parse_from(argv).expect("the seed's arguments parse");
                let _ = kenkomap::import::run(&cli.command, dir.path(), None);
                Ok(())
            },
        )
        .unwrap();
}

/// Mutated sites through `serve`'s in-memory build and the pages it renders on request.
#[test]
fn mutated_sites_never_panic_in_serve() {
    use proptest::test_runner::{Config, TestRunner};
    let mut runner = TestRunner::new(Config {
        cases: cases(40) / 10 + 16,
        failure_persistence: None,
        ..Config::default()
    });
    let valid = common::fixtures().join("valid");
    runner
        .run(
            &(
                prop::sample::select(vec![
                    "data/parks/parks.yaml",
                    "data/facilities/health.yaml",
                    "site.yaml",
                    "content/about.md",
                ]),
                prop::collection::vec(mutation(), 1..4),
            ),
            |(file, mutations)| {
                let site = tempfile::tempdir().unwrap();
                common::copy_dir(&valid, site.path());
                let path = site.path().join(file);
                let mut text = std::fs::read_to_string(&path).unwrap();
                for m in &mutations {
                    text = apply(&text, m);
                }
                std::fs::write(&path, text).unwrap();
                let mut cache = kenkomap::load::LoadCache::default();
                let today = jiff::civil::date(2026, 11, 21);
                if let Ok(built) = kenkomap::serve::build_in_memory(site.path(), today, &mut cache)
                {
                    for page in [
                        "index.html",
                        "areas/3706/index.html",
                        "parks/index.html",
                        "about/index.html",
                        "data/resources.geojson",
                        "en/index.html",
                    ] {
                        let _ = built.get(page);
                    }
                }
                Ok(())
            },
        )
        .unwrap();
}

/// The entries of a zip file (a workbook), in order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().unwrap().into_owned(), data)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in entries {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// 熊本市's real workbook, mutated inside (the XML of its sheet, shared strings and workbook,
/// rezipped) and as raw bytes, through `import ods`, in process: any outcome but a panic.
#[test]
fn mutated_workbooks_never_panic() {
    use clap::Parser;
    use proptest::test_runner::{Config, TestRunner};
    let Some(data) = common::shared("data/municipal/kumamoto/byouin_list.xlsx") else {
        return;
    };
    let original = std::fs::read(data).unwrap();
    let entries = unzip(&original);
    let xml_entries: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| {
            n.ends_with("sheet1.xml")
                || n.ends_with("sharedStrings.xml")
                || n.ends_with("workbook.xml")
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(xml_entries.len(), 3, "the workbook's entries changed");
    let xml_mutation = prop_oneof![
        mutation(),
        (
            0.0..1.0f64,
            prop::sample::select(vec!['<', '>', '"', '&', '/', '○', '0', '9', '-', '\u{0}'])
        )
            .prop_map(|(p, c)| Mutation::Replace(p, c)),
        (
            0.0..1.0f64,
            prop::sample::select(vec![
                "<c r=\"XFD1048576\" t=\"s\"><v>99999999</v></c>".to_owned(),
                "<dimension ref=\"A1:XFD1048576\"/>".into(),
                "<rPh sb=\"0\" eb=\"9\"><t>カナ</t></rPh>".into(),
                "<v>1e308</v>".into(),
                "t=\"n\"".into(),
                "</row><row r=\"0\">".into(),
            ])
        )
            .prop_map(|(p, t)| Mutation::Insert(p, t)),
    ];
    let mut runner = TestRunner::new(Config {
        cases: cases(64),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(
            &(
                any::<prop::sample::Index>(),
                prop::collection::vec(xml_mutation, 1..4),
                prop::option::of((0.0..1.0f64, any::<u8>())),
            ),
            |(entry, mutations, byte)| {
                let mut entries = entries.clone();
                let i = xml_entries[entry.index(xml_entries.len())];
                let mut text = String::from_utf8_lossy(&entries[i].1).into_owned();
                for m in &mutations {
                    text = apply(&text, m);
                }
                entries[i].1 = text.into_bytes();
                let mut bytes = rezip(&entries);
                // Now and then a raw byte of the zip itself.
                if let Some((p, b)) = byte {
                    let at = ((bytes.len() - 1) as f64 * p) as usize;
                    bytes[at] = b;
                }
                let dir = tempfile::tempdir().unwrap();
                let file = dir.path().join("input.xlsx");
                std::fs::write(&file, bytes).unwrap();
                let out = dir.path().join("out.yaml");
                let cli = ImportCli::try_parse_from([
                    "kenkomap",
                    "ods",
                    file.to_str().unwrap(),
                    "--kind",
                    "facilities",
                    "--type",
                    "hospital",
                    "--out",
                    out.to_str().unwrap(),
                ])
                .expect("the arguments parse");
                let _ = kenkomap::import::run(&cli.command, dir.path(), None);
                Ok(())
            },
        )
        .unwrap();
}
