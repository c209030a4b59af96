//! The demo site at the repository root: it is the importers' output (regenerated from
//! `../shared/data/kagawa`, byte for byte), it checks without errors, and every record with a
//! location lies in the 二次医療圏 its municipality code says, or the validator reports it.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::*;
use kenkomap::diagnostics::Code;

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
