//! `kenkomap import` writes only what passes `check`: the records are checked with the same
//! rules before the import exits 0, and each problem is reported at its source line. And, on
//! real data for every prefecture in the national 医療情報ネット file, the areas and the
//! hospitals of each import and check with no error.

mod common;

use std::path::Path;

use common::*;

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn an_import_that_would_fail_check_writes_nothing_and_names_the_source_lines() {
    let site = valid_site();
    let csv = site.path().join("parks.csv");
    std::fs::write(
        &csv,
        "ID,名称,住所,全国地方公共団体コード\n1,玉藻公園,高松市玉藻町,372013\n2,東京の公園,東京都千代田区,131016\n",
    )
    .unwrap();
    let out_file = site.path().join("data/parks/imported.yaml");
    let args = [
        "import",
        "ods",
        s(&csv),
        "--site",
        s(site.path()),
        "--kind",
        "parks",
        "--type",
        "park",
        "--out",
        "data/parks/imported.yaml",
    ];
    let out = run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("parks.csv:3: record parks-2: "), "{stderr}");
    assert!(
        stderr.contains("131016") && stderr.contains("(E0202)"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!out_file.exists(), "a failed import leaves no file");
    // The same file without the stray row imports, and then checks clean.
    std::fs::write(
        &csv,
        "ID,名称,住所,全国地方公共団体コード\n1,玉藻公園,高松市玉藻町,372013\n",
    )
    .unwrap();
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out_file.is_file());
    let check = run(&["check", "--site", s(site.path())]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

/// `kenkomap` as [`run`] does, with the release binary when scripts/test built one (the
/// national boundaries are parsed 45 times: a debug build takes minutes).
fn run_fast(args: &[&str]) -> std::process::Output {
    match std::env::var_os("KENKOMAP_RELEASE_BIN") {
        Some(bin) => std::process::Command::new(bin)
            .args(args)
            .env("KENKOMAP_TODAY", TODAY)
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
        None => run(args),
    }
}

/// For each of the 45 prefectures of the national 医療情報ネット file: `init`, the areas from
/// the national N03 and A38 files, the hospitals from the 医療情報ネット file, then `check`
/// with no error. The warnings are counted by code and printed.
#[test]
fn every_prefecture_imports_its_areas_and_hospitals_and_checks_clean() {
    let Some(national) = shared("data/national") else {
        return;
    };
    let mhlw = national.join("mhlw_hospital_facility_info_20250601_excl_01_22.csv");
    let boundaries = national.join("municipalities_N03-21_all_s0010.geojson");
    let membership = national.join("municipality_to_secondary_area_A38-20.csv");
    let readings = national.join("localgovjp_municipalities.csv");
    let mut warnings = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for code in (2..=47).filter(|c| *c != 22).map(|c| format!("{c:02}")) {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        assert!(run_fast(&["init", s(&site)]).status.success());
        for example in ["data/areas/example.yaml", "data/boundaries/example.geojson"] {
            std::fs::remove_file(site.join(example)).unwrap();
        }
        for kind in ["facilities", "parks", "restaurants", "consultation"] {
            std::fs::remove_file(site.join(format!("data/{kind}/example.yaml"))).unwrap();
        }
        let areas = run_fast(&[
            "import",
            "areas",
            s(&boundaries),
            "--membership",
            s(&membership),
            "--prefecture",
            &code,
            "--readings",
            s(&readings),
            "--site",
            s(&site),
        ]);
        let hospitals = run_fast(&[
            "import",
            "mhlw",
            s(&mhlw),
            "--prefecture",
            &code,
            "--site",
            s(&site),
        ]);
        let check = run_fast(&["check", "--site", s(&site), "--format", "json"]);
        for line in String::from_utf8_lossy(&check.stdout).lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            *warnings
                .entry(v["code"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        for (what, out) in [
            ("import areas", &areas),
            ("import mhlw", &hospitals),
            ("check", &check),
        ] {
            if !out.status.success() {
                failures.push(format!(
                    "{code} {what}: {}{}",
                    String::from_utf8_lossy(&out.stderr),
                    String::from_utf8_lossy(&out.stdout)
                ));
            }
        }
    }
    eprintln!("diagnostics over the 45 prefectures, by code: {warnings:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(warnings.keys().all(|c| c.starts_with('W')), "{warnings:?}");
}
