//! The demo site at the repository root: it is the importers' output (regenerated from
//! `../shared/data/kagawa`, byte for byte), it checks without errors, and every record with a
//! location lies in the 二次医療圏 its municipality code says, or the validator reports it.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common::*;
use kenkomap::diagnostics::Code;
use kenkomap::registry::RecordType;
use kenkomap::registry::vocab::FacilityType;

/// Files of `data/` written by `scripts/import-demo` (everything but hand-written samples).
fn imported_files(root: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(root.join("data"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| !p.ends_with("samples.yaml"))
        .collect()
}

#[test]
fn demo_data_is_the_importers_output() {
    let Some(data) = shared("data/kagawa") else {
        return;
    };
    let repo = manifest_dir();
    let tmp = tempfile::tempdir().unwrap();
    // A site with the hand-written parts only; the importers write the rest.
    std::fs::copy(repo.join("site.yaml"), tmp.path().join("site.yaml")).unwrap();
    for kind in ["restaurants", "consultation"] {
        let samples = repo.join(format!("data/{kind}/samples.yaml"));
        std::fs::create_dir_all(tmp.path().join("data").join(kind)).unwrap();
        std::fs::copy(
            &samples,
            tmp.path().join(format!("data/{kind}/samples.yaml")),
        )
        .unwrap();
    }
    let out = Command::new(repo.join("scripts/import-demo"))
        .env("DATA", &data)
        .env("SITE", tmp.path())
        .env("KENKOMAP", bin())
        .env("KENKOMAP_TODAY", TODAY)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let committed = imported_files(&repo);
    let regenerated = imported_files(tmp.path());
    assert_eq!(committed, regenerated, "the same files");
    // Header comments name the data directory as given; compare with it normalised.
    let data_arg = data.to_string_lossy().into_owned();
    for file in &committed {
        let a = std::fs::read_to_string(repo.join(file)).unwrap();
        let b = std::fs::read_to_string(tmp.path().join(file))
            .unwrap()
            .replace(&data_arg, "../shared/data/kagawa");
        assert!(
            a == b,
            "{file} differs from a fresh `scripts/import-demo`: run it and commit"
        );
    }
}

#[test]
fn the_demo_checks_without_errors() {
    let out = run(&[
        "check",
        "--site",
        manifest_dir().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let errors: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("\"severity\":\"error\""))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn every_record_is_in_its_municipalitys_area_or_reported() {
    let root = manifest_dir();
    let today = jiff::civil::date(2026, 11, 21);
    let checked = kenkomap::site::check(&root, today).unwrap();
    let site = checked.site.as_ref().unwrap();
    let reported: BTreeSet<(u32, u32, u32)> = checked
        .diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.code,
                Code::OutsideMunicipality | Code::NearestMunicipality
            )
        })
        .filter_map(|d| d.span.map(|s| (s.file.0, s.line, s.col)))
        .collect();
    let mut checked_records = 0;
    let mut exceptions = Vec::new();
    for (i, r) in site.records.iter().enumerate() {
        let (Some(loc), Some(code)) = (&r.location, &r.municipality) else {
            continue;
        };
        checked_records += 1;
        let by_code = site.geo.municipalities[site.geo.municipality(code.value).unwrap()].area;
        let by_point = site
            .geo
            .locate(loc.lat, loc.lon)
            .map(|m| site.geo.municipalities[m].area);
        assert_eq!(
            site.placements[i].map(|p| p.area),
            Some(by_code),
            "{}: placed by its code",
            r.id.value
        );
        if by_point != Some(by_code) {
            // Boundaries for the web are simplified: a point a few hundred metres off its
            // municipality's outline (the coast, a border) is fine; anything farther must be
            // reported.
            let m = site.geo.municipality(code.value).unwrap();
            let km = site.geo.distance_km(m, loc.lat, loc.lon).unwrap();
            if km <= kenkomap::geo::OUTSIDE_TOLERANCE_KM {
                continue;
            }
            let span = loc.span;
            exceptions.push(format!("{} ({km:.1} km)", r.id.value));
            assert!(
                reported.contains(&(span.file.0, span.line, span.col)),
                "{}: its location is {km:.1} km outside its municipality, in another area or none, but nothing reports it",
                r.id.value
            );
        }
    }
    assert!(
        checked_records > 100,
        "the demo has located records with codes ({checked_records})"
    );
    eprintln!("{checked_records} records checked; reported exceptions: {exceptions:?}");
}

/// The consultation finder on the demo's real bodies: a worker in 高松市 with a mental-health
/// question is pointed to 高松市保健所.
#[test]
fn the_finder_sends_a_takamatsu_worker_to_the_hokenjo() {
    let checked = kenkomap::site::check(&manifest_dir(), jiff::civil::date(2026, 11, 21)).unwrap();
    let model = kenkomap::model::Model::new(std::sync::Arc::new(checked.site.unwrap()));
    let consultation = kenkomap::model::kind_index(kenkomap::registry::Kind::Consultation);
    let bodies: Vec<kenkomap::finder::Body> = model.by_kind[consultation]
        .iter()
        .filter_map(|&i| kenkomap::export::finder::body(&model, i))
        .collect();
    let query = kenkomap::finder::Query {
        who: Some(kenkomap::finder::Who::Worker),
        topic: Some("mental_health".into()),
        municipality: Some("372013".into()),
        ..Default::default()
    };
    let found = kenkomap::finder::find(&query, &bodies);
    assert_eq!(found[0].id, "hokenjo-37201", "{found:?}");
    // Bodies of 高松市 itself, then the area's, then the prefecture-wide center.
    assert!(found.windows(2).all(|w| w[0].tier <= w[1].tier));
    assert_eq!(found.last().unwrap().id, "sample-sanpo-center");
    assert_eq!(found.last().unwrap().tier, 2);
    // A worker at a 60-person company is not sent to the 地域産業保健センター (under 50).
    let big = kenkomap::finder::find(
        &kenkomap::finder::Query {
            employees: Some(60),
            ..query
        },
        &bodies,
    );
    assert!(big.iter().all(|m| !m.id.starts_with("sample-chiiki-sanpo")));
}

/// The boundaries published for the web are simplified, but a border two municipalities share
/// keeps the same points on both sides (also between areas), so maps show no gaps or overlaps.
#[test]
fn published_boundaries_keep_shared_borders_identical() {
    use std::collections::{BTreeMap, BTreeSet};
    type Vertex = (i64, i64);
    fn vertices(feature: &serde_json::Value, scale: f64) -> BTreeSet<Vertex> {
        let mut out = BTreeSet::new();
        let geometry = &feature["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str().unwrap() {
            "Polygon" => vec![&geometry["coordinates"]],
            _ => geometry["coordinates"].as_array().unwrap().iter().collect(),
        };
        for polygon in polygons {
            for ring in polygon.as_array().unwrap() {
                for c in ring.as_array().unwrap() {
                    out.insert((
                        (c[0].as_f64().unwrap() * scale).round() as i64,
                        (c[1].as_f64().unwrap() * scale).round() as i64,
                    ));
                }
            }
        }
        out
    }
    let root = manifest_dir();
    let original: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root.join("data/boundaries/kagawa-municipalities.geojson")).unwrap(),
    )
    .unwrap();
    let mut owners: BTreeMap<Vertex, BTreeSet<String>> = BTreeMap::new();
    for f in original["features"].as_array().unwrap() {
        let code = f["properties"]["N03_007"].as_str().unwrap().to_owned();
        // The source has 6 decimals: vertices equal there are truly shared.
        for v in vertices(f, 1e6) {
            owners.entry(v).or_default().insert(code.clone());
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(
        run(&[
            "build",
            "--site",
            root.to_str().unwrap(),
            "--out",
            out.to_str().unwrap()
        ])
        .status
        .success()
    );
    let mut published: BTreeMap<String, BTreeSet<Vertex>> = BTreeMap::new();
    for entry in std::fs::read_dir(out.join("data/boundaries")).unwrap() {
        let file: serde_json::Value =
            serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
        for f in file["features"].as_array().unwrap() {
            let code5 = f["properties"]["code"].as_str().unwrap()[..5].to_owned();
            // The published files round to 5 decimals.
            published.insert(code5, vertices(f, 1e5));
        }
    }
    let mut shared_kept = 0;
    for (v, codes) in owners.iter().filter(|(_, c)| c.len() > 1) {
        let rounded = (
            ((v.0 as f64) / 10.0).round() as i64,
            ((v.1 as f64) / 10.0).round() as i64,
        );
        let kept: Vec<bool> = codes
            .iter()
            .map(|c| published[c].contains(&rounded))
            .collect();
        assert!(
            kept.iter().all(|k| *k == kept[0]),
            "border vertex {v:?} of {codes:?} kept on one side only"
        );
        shared_kept += kept[0] as usize;
    }
    let total_before: usize = owners.values().map(BTreeSet::len).sum();
    let total_after: usize = published.values().map(BTreeSet::len).sum();
    assert!(shared_kept > 0);
    assert!(
        total_after < total_before,
        "simplified: {total_after} vertices from {total_before}"
    );
}

/// Issue 14: 高松市's residents see its clinics with phone numbers, and the hospitals that both
/// 医療情報ネット and 高松市 list appear once (高松市's file supplements 医療情報ネット's records).
#[test]
fn the_demo_has_takamatsus_clinics_with_phones_and_no_duplicate_hospitals() {
    let checked = kenkomap::site::check(&manifest_dir(), jiff::civil::date(2026, 11, 21)).unwrap();
    let site = checked.site.as_ref().unwrap();
    let in_takamatsu = |r: &&kenkomap::registry::Record| {
        r.municipality
            .as_ref()
            .is_some_and(|m| m.value.to_string() == "372013")
    };
    let clinics_with_phones = site
        .records
        .iter()
        .filter(in_takamatsu)
        .filter(|r| {
            r.record_type.value == RecordType::Facility(FacilityType::Clinic) && !r.phone.is_empty()
        })
        .count();
    // 363 clinics (有床 44, 無床 319) in 高松市's file, one without a phone number.
    assert!(clinics_with_phones >= 350, "{clinics_with_phones}");
    let hospitals: Vec<_> = site
        .records
        .iter()
        .filter(in_takamatsu)
        .filter(|r| r.record_type.value == RecordType::Facility(FacilityType::Hospital))
        .collect();
    let with_phone = hospitals.iter().filter(|r| !r.phone.is_empty()).count();
    // 医療情報ネット's 33 hospitals of 高松市 (32 with 高松市's phone; 高松市民病院塩江分院 is now a
    // clinic in 高松市's file), none of them twice.
    assert_eq!(
        hospitals.len(),
        33,
        "{:?}",
        hospitals.iter().map(|r| &r.name.value).collect::<Vec<_>>()
    );
    assert_eq!(with_phone, 32);
    let duplicates: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DuplicatePlace)
        .map(|d| d.message.as_str())
        .collect();
    // The one left: a 運動センター's gymnasium and tennis courts, one name, two facilities
    // (imported --no-merge, see scripts/import-demo).
    assert_eq!(
        duplicates,
        [
            "`takamatsu-gymnasium-2` and `takamatsu-tennis-court-4` have the same name at the same place"
        ]
    );
    assert!(
        !checked
            .diagnostics
            .iter()
            .any(|d| matches!(d.code, Code::SupplementUnknown | Code::SupplementDisagrees)),
        "every supplement applies"
    );
}
