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

/// A site with the demo's areas and boundaries (香川県) and no records.
fn kagawa_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let repo = manifest_dir();
    std::fs::copy(repo.join("site.yaml"), tmp.path().join("site.yaml")).unwrap();
    for dir in ["data/areas", "data/boundaries"] {
        copy_dir(&repo.join(dir), &tmp.path().join(dir));
    }
    tmp
}

/// Every file under `data/`, with its bytes.
fn data_files(site: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(site.join("data"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(site).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// 医療情報ネット's hospitals, then 高松市's hospitals and clinics: the 32 hospitals of 高松市 that
/// 医療情報ネット lists keep their ids and gain 高松市's phone numbers and departments; the clinics
/// become records; differences are reported; importing the same file again changes nothing.
#[test]
fn a_second_source_merges_into_the_records_of_the_first() {
    let Some(kagawa) = shared("data/kagawa") else {
        return;
    };
    let site = kagawa_site();
    let mhlw = kagawa.join("mhlw_hospital_facility_info_20250601_kagawa.csv");
    let out = run(&["import", "mhlw", s(&mhlw), "--site", s(site.path())]);
    assert!(out.status.success(), "{}", output(&out));
    let takamatsu = kagawa.join("takamatsu/hospital__data.csv");
    let args = [
        "import",
        "ods",
        s(&takamatsu),
        "--site",
        s(site.path()),
        "--kind",
        "facilities",
        "--type-from",
        "alternativeName",
        "--type-map",
        "病院=hospital,有床診療所=clinic,無床診療所=clinic,歯科=dental_clinic",
        "--id-prefix",
        "takamatsu-hospital",
        "--municipality",
        "372013",
        "--source",
        "高松市オープンデータ (CC BY 4.0)",
        "--force",
    ];
    let out = run(&args);
    let text = output(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("32 merged (supplements of existing records), 584 new, 11 conflicting"),
        "{text}"
    );
    // A conflict: both have beds and they differ; the record keeps its own, the line says both.
    assert!(
        text.contains(
            "line 4: 高松赤十字病院 differs from data/facilities/mhlw.yaml: beds: mhlw-3711370500080 has \"507\", this file \"463\" (kept)"
        ),
        "{text}"
    );

    let checked = kenkomap::site::check(site.path(), jiff::civil::date(2026, 11, 21)).unwrap();
    assert!(
        checked.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        checked.diagnostics
    );
    let duplicates: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == kenkomap::diagnostics::Code::DuplicatePlace)
        .map(|d| d.message.clone())
        .collect();
    assert!(
        duplicates.is_empty(),
        "no duplicate hospitals: {duplicates:?}"
    );
    let site_records = &checked.site.as_ref().unwrap().records;
    let named = |name: &str| -> Vec<&kenkomap::registry::Record> {
        site_records
            .iter()
            .filter(|r| r.name.value == name)
            .collect()
    };
    // In both sources: one record, 医療情報ネット's id and beds, 高松市's phone and departments.
    let red_cross = named("高松赤十字病院");
    assert_eq!(red_cross.len(), 1, "{red_cross:?}");
    let red_cross = red_cross[0];
    assert_eq!(red_cross.id.value, "mhlw-3711370500080");
    assert_eq!(red_cross.phone[0].value.value, "087-831-7101");
    let kenkomap::registry::Details::Facility(f) = &red_cross.details else {
        panic!("a facility");
    };
    assert_eq!(f.beds, Some(507), "the record's own value is kept");
    assert!(f.departments.contains(&"救急科".to_owned()), "{f:?}");
    let source = &red_cross.source.as_ref().unwrap().value;
    assert!(
        source.starts_with("厚生労働省")
            && source.ends_with("phone, departments: 高松市オープンデータ (CC BY 4.0)"),
        "{source}"
    );
    // Named with the operator in one source and without in the other, 52 m apart.
    assert_eq!(
        named("医療法人社団弘徳会マオカ病院")[0].phone[0]
            .value
            .value,
        "087-862-8888"
    );
    assert!(named("マオカ病院").is_empty());
    // Only in 高松市's file: a record of its own.
    let clinic = named("むらかわクリニック");
    assert_eq!(clinic.len(), 1);
    assert!(clinic[0].id.value.starts_with("takamatsu-hospital-"));
    assert_eq!(clinic[0].record_type.value, "clinic");
    assert_eq!(clinic[0].phone[0].value.value, "087-823-2525");

    // The same import again: not one byte changes.
    let before = data_files(site.path());
    let out = run(&args);
    assert!(out.status.success(), "{}", output(&out));
    assert!(
        before == data_files(site.path()),
        "a re-import changes nothing"
    );
    // So does re-importing the first source (its file is not supplemented by itself).
    let out = run(&[
        "import",
        "mhlw",
        s(&mhlw),
        "--site",
        s(site.path()),
        "--force",
    ]);
    assert!(output(&out).contains("0 merged"), "{}", output(&out));
    assert!(
        before == data_files(site.path()),
        "a re-import changes nothing"
    );
}

/// The same hospitals from the national file under another id prefix: found by their
/// 医療情報ネット code, whatever the names.
#[test]
fn records_with_the_same_official_code_are_merged() {
    let (Some(kagawa), Some(national)) = (shared("data/kagawa"), shared("data/national")) else {
        return;
    };
    let site = kagawa_site();
    let mhlw = kagawa.join("mhlw_hospital_facility_info_20250601_kagawa.csv");
    assert!(
        run(&["import", "mhlw", s(&mhlw), "--site", s(site.path())])
            .status
            .success()
    );
    let all = national.join("mhlw_hospital_facility_info_20250601_excl_01_22.csv");
    let out = run_fast(&[
        "import",
        "mhlw",
        s(&all),
        "--prefecture",
        "37",
        "--id-prefix",
        "national",
        "--site",
        s(site.path()),
    ]);
    let text = output(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("86 merged"), "{text}");
    assert!(text.contains("0 new, 0 conflicting"), "{text}");
    let yaml = std::fs::read_to_string(site.path().join("data/facilities/national.yaml")).unwrap();
    assert!(
        yaml.contains(
            "(香川県立白鳥病院): same codes.mhlw 3711370100010\n  - id: mhlw-3711370100010\n"
        ),
        "{yaml}"
    );
    let check = run(&["check", "--site", s(site.path())]);
    assert!(check.status.success(), "{}", output(&check));
}

/// Another pair: the hospitals of 山口県 from the national 医療情報ネット file, then 山口市's
/// 医療機関一覧. 15 of 山口市's 17 hospitals are merged (丘病院 and 佐々木外科病院 are listed
/// under other names nationally: おか整形外科病院, 佐々木医院メディカルプラザ); its clinics are new.
#[test]
fn yamaguchi_shis_list_merges_into_the_national_hospitals() {
    let (Some(national), Some(municipal)) = (shared("data/national"), shared("data/municipal"))
    else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(
        run(&["init", s(&site), "--prefecture", "35"])
            .status
            .success()
    );
    let all = national.join("mhlw_hospital_facility_info_20250601_excl_01_22.csv");
    let out = run_fast(&[
        "import",
        "mhlw",
        s(&all),
        "--prefecture",
        "35",
        "--site",
        s(&site),
    ]);
    assert!(out.status.success(), "{}", output(&out));
    let city = municipal.join("yamaguchi/352039_hospital_20240401.csv");
    let args = [
        "import",
        "ods",
        s(&city),
        "--site",
        s(&site),
        "--kind",
        "facilities",
        "--type-from",
        "医療機関の種類",
        "--type-map",
        "病院=hospital,有床診療所=clinic,無床診療所=clinic",
        "--id-prefix",
        "yamaguchi-hospital",
        "--force",
    ];
    let out = run(&args);
    let text = output(&out);
    assert!(out.status.success(), "{text}");
    let counts = text
        .lines()
        .find(|l| l.contains(" merged (supplements"))
        .unwrap_or_default()
        .to_owned();
    eprintln!("山口市: {counts}");
    assert!(counts.starts_with("15 merged"), "{text}");
    let check = run(&["check", "--site", s(&site), "--format", "json"]);
    let diags = String::from_utf8_lossy(&check.stdout);
    assert!(!diags.contains("\"W0401\""), "{diags}");
    let before = data_files(&site);
    assert!(run(&args).status.success());
    assert!(before == data_files(&site), "a re-import changes nothing");
}
