//! `kenkomap import` writes only what passes `check`: the records are checked with the same
//! rules before the import exits 0, and each problem is reported at its source line. And, on
//! real data for every prefecture in the national 医療情報ネット file, the areas and the
//! hospitals of each import and check with no error.

use std::path::Path;

use crate::common::*;

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
    assert_eq!(clinic[0].record_type.as_str(), "clinic");
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

/// A site for 山口県 (35) or 熊本県 (43), as `kenkomap init --prefecture` makes it.
fn prefecture_site(code: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let out = run(&["init", "--prefecture", code, s(&site)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    tmp
}

/// What `import` printed: its output, and the counts of its last line
/// (`N read, N written, N to check (# CHECK), N warnings`).
struct Imported {
    output: String,
    read: usize,
    written: usize,
    warnings: usize,
}

/// `kenkomap import ods ../shared/data/municipal/<file> <args>` into the site; it must succeed.
fn import_municipal(site: &Path, file: &Path, args: &[&str]) -> Imported {
    let mut argv = vec!["import", "ods", s(file), "--site", s(site)];
    argv.extend_from_slice(args);
    let out = run(&argv);
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{argv:?}:\n{output}");
    let last = output.lines().last().unwrap_or("").to_owned();
    let numbers: Vec<usize> = last
        .split([' ', ','])
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(numbers.len(), 4, "{last}");
    Imported {
        read: numbers[0],
        written: numbers[1],
        warnings: numbers[3],
        output,
    }
}

/// `check` on the site: no error (warnings are fine: `# CHECK` marks, hours notes).
fn check_has_no_errors(site: &Path) {
    let out = run(&["check", "--site", s(site), "--format", "json"]);
    let errors: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"code\":\"E"))
        .map(str::to_owned)
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The records of a written registry file, as JSON values.
fn records(site: &Path, rel: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(site.join(rel)).unwrap();
    let v: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    v["records"].as_array().unwrap().clone()
}

fn record<'a>(records: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    records
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no record named {name}"))
}

fn count_type(records: &[serde_json::Value], t: &str) -> usize {
    records.iter().filter(|r| r["type"] == t).count()
}

/// One municipal file (see ../shared/data/municipal/README.md), imported with the flags a
/// council employee would type, into a new site of its prefecture; then `check` has no error.
fn municipal(
    prefecture: &str,
    file: &str,
    args: &[&str],
    out: &str,
) -> Option<(tempfile::TempDir, Imported, Vec<serde_json::Value>)> {
    let data = shared("data/municipal")?;
    let tmp = prefecture_site(prefecture);
    let site = tmp.path().join("site");
    let imported = import_municipal(&site, &data.join(file), args);
    check_has_no_errors(&site);
    eprintln!(
        "{file}: {} read, {} written, {} warnings",
        imported.read, imported.written, imported.warnings
    );
    let recs = records(&site, out);
    assert_eq!(recs.len(), imported.written);
    Some((tmp, imported, recs))
}

const HOSPITAL_TYPES: &str = "病院=hospital,*=clinic";

#[test]
fn kudamatsu_hospitals_2024_layout() {
    let Some((_site, imp, recs)) = municipal(
        "35",
        "kudamatsu/352071_hospital.csv",
        &["--kind", "facilities", "--type-map", HOSPITAL_TYPES],
        "data/facilities/352071-hospital.yaml",
    ) else {
        return;
    };
    assert_eq!((imp.read, imp.written), (68, 68));
    assert_eq!(count_type(&recs, "hospital"), 3);
    let ai = record(&recs, "医療法人社団\u{3000}あいクリニック");
    assert_eq!(ai["phone"], "0833-48-1111", "(0833)48-1111");
    assert_eq!(ai["fax"], "0833-48-1112");
    assert_eq!(ai["address"], "山口県下松市西柳3丁目2-34", "ー as a hyphen");
    assert_eq!(
        ai["departments"],
        serde_json::json!(["皮膚科", "小児科", "アレルギー科"]),
        "診療科目 split on 、"
    );
    assert!(
        ai["hours_note"].as_str().unwrap().contains("\n"),
        "bare LF kept"
    );
    // Every 2024 column is known: no "unknown column" warning.
    assert!(
        !imp.output.contains("columns not imported"),
        "{}",
        imp.output
    );
}

#[test]
fn iwakuni_hospitals_cp932_with_exponent_corporate_numbers() {
    let Some((site, imp, recs)) = municipal(
        "35",
        "iwakuni/352080_hospital.csv",
        &["--kind", "facilities", "--type-map", HOSPITAL_TYPES],
        "data/facilities/352080-hospital.yaml",
    ) else {
        return;
    };
    // The last row has no ID: its id is made from the name.
    assert_eq!((imp.read, imp.written), (164, 164), "{}", imp.output);
    assert!(recs.iter().any(|r| r["name"] == "うめだ皮ふ科クリニック"));
    assert_eq!(count_type(&recs, "hospital"), 17);
    let yaml = std::fs::read_to_string(
        site.path()
            .join("site/data/facilities/352080-hospital.yaml"),
    )
    .unwrap();
    assert!(!yaml.contains("E+12"), "法人番号 is never imported");
    // 備考 repeats one disclaimer on every row: no record gets it as a description.
    assert!(recs.iter().all(|r| r.get("description").is_none()));
    let r = recs
        .iter()
        .find(|r| r["phone"] == "0827-34-1000")
        .expect("a known phone");
    assert!(r["address"].as_str().unwrap().starts_with("山口県岩国市"));
    // Times with seconds (9:00:00) read as times.
    assert!(recs.iter().filter(|r| r.get("hours").is_some()).count() > 100);
}

#[test]
fn iwakuni_aeds_older_layout_padded_with_empty_columns() {
    let Some((_site, imp, recs)) = municipal(
        "35",
        "iwakuni/352080_aed.csv",
        &["--kind", "facilities", "--type", "other"],
        "data/facilities/352080-aed.yaml",
    ) else {
        return;
    };
    // One duplicate row is skipped; the last row has no NO (an id from the name).
    assert_eq!((imp.read, imp.written), (174, 173), "{}", imp.output);
    assert!(recs.iter().any(|r| r["name"] == "周東若葉プール"));
    assert!(
        !imp.output.contains("電話なし"),
        "電話なし is no phone, no warning"
    );
    assert!(
        !imp.output.contains("columns not imported"),
        "{}",
        imp.output
    );
    assert!(recs.iter().filter(|r| r.get("phone").is_none()).count() >= 19);
    let annotated = recs
        .iter()
        .find(|r| r["phone"].to_string().contains("錦川鉄道㈱"))
        .expect("㈱ decoded from CP932, kept as the number's label");
    assert_eq!(annotated["phone"][0]["number"], "0827-41-1477");
    // 設置位置 is the description (full-width digits folded); 備考 says the same on every row.
    assert!(recs.iter().any(|r| r["description"] == "1階ロビー"));
    assert!(!imp.output.contains("令和７年１月時点の情報"));
}

#[test]
fn mine_parks_and_sports_facilities() {
    let Some((_site, imp, recs)) = municipal(
        "35",
        "mine/352136_park_sports_facility.csv",
        &[
            "--kind",
            "parks",
            "--type-map",
            "*プール=pool,*公園=park,*=sports_facility",
        ],
        "data/parks/352136-park-sports-facility.yaml",
    ) else {
        return;
    };
    assert_eq!((imp.read, imp.written), (41, 41));
    assert_eq!(count_type(&recs, "pool"), 2);
    assert_eq!(count_type(&recs, "park"), 3);
    assert!(
        imp.output.contains("matched against the names"),
        "{}",
        imp.output
    );
    // 経度 values with a trailing space are numbers.
    assert_eq!(
        recs.iter().filter(|r| r.get("location").is_some()).count(),
        41
    );
    let pool = record(&recs, "美祢市民プール");
    assert_eq!(pool["municipality"], "352136");
}

#[test]
fn tabuse_clinics_tab_separated() {
    let Some((_site, imp, recs)) = municipal(
        "35",
        "tabuse/353434_hospital.csv",
        &["--kind", "facilities", "--type-map", HOSPITAL_TYPES],
        "data/facilities/353434-hospital.yaml",
    ) else {
        return;
    };
    assert_eq!((imp.read, imp.written), (11, 11));
    let with_dash = recs
        .iter()
        .find(|r| r["phone"] == "0820-52-0118")
        .expect("a known phone");
    assert!(
        with_dash["address"]
            .as_str()
            .unwrap()
            .starts_with("山口県田布施町")
    );
    assert!(
        recs.iter()
            .any(|r| r["address"] == "山口県田布施町下田布施937-12"),
        "the prefecture added, － as a hyphen"
    );
    assert!(
        recs.iter()
            .any(|r| r["departments"] == serde_json::json!(["内科", "小児科", "眼科"])),
        "診療科目 split on _"
    );
}

#[test]
fn yamaguchi_hospitals_with_labelled_phones() {
    let Some((_site, imp, recs)) = municipal(
        "35",
        "yamaguchi/352039_hospital_20240401.csv",
        &["--kind", "facilities", "--type-map", HOSPITAL_TYPES],
        "data/facilities/352039-hospital-20240401.yaml",
    ) else {
        return;
    };
    // The last record is all empty fields.
    assert_eq!((imp.read, imp.written), (145, 145));
    assert_eq!(count_type(&recs, "hospital"), 17);
    let two = record(&recs, "おがたクリニック");
    assert_eq!(
        two["phone"],
        serde_json::json!([
            { "number": "083-934-3800", "label": "耳鼻咽喉科" },
            { "number": "083-934-3801", "label": "眼科" }
        ])
    );
    assert!(
        recs.iter()
            .all(|r| r["address"].as_str().unwrap().starts_with("山口県山口市")),
        "所在地_連結表記 without the prefecture gets it"
    );
    assert!(
        recs.iter()
            .any(|r| r["departments"].as_array().is_some_and(|d| d.len() > 3))
    );
}

#[test]
fn yamaguchi_health_facilities_typed_by_name() {
    let Some((_site, imp, recs)) = municipal(
        "35",
        "yamaguchi/352039_health_welfare_facility_20240401.csv",
        &[
            "--kind",
            "facilities",
            "--type-map",
            "*健診センター=checkup_center,*保健*センター=health_center,*診療所=clinic,*=other",
        ],
        "data/facilities/352039-health-welfare-facility-20240401.yaml",
    ) else {
        return;
    };
    assert_eq!((imp.read, imp.written), (10, 10));
    assert_eq!(count_type(&recs, "health_center"), 5);
    assert_eq!(count_type(&recs, "clinic"), 4);
    assert_eq!(count_type(&recs, "checkup_center"), 1);
    // 所在地_ｰ以下 is 所在地_番地以下; the one 連結表記 without the prefecture is completed.
    assert!(!imp.output.contains("所在地_ｰ以下"), "{}", imp.output);
    assert!(
        recs.iter()
            .any(|r| r["address"] == "山口県山口市小郡下郷1773-1")
    );
    assert!(
        recs.iter().any(|r| r["phone"] == "0835-53-0500"),
        "（0835）53-0500"
    );
}

#[test]
fn kumamoto_hospitals_from_excel() {
    let Some((site, imp, recs)) = municipal(
        "43",
        "kumamoto/byouin_list.xlsx",
        &["--kind", "facilities", "--type", "hospital"],
        "data/facilities/byouin-list.yaml",
    ) else {
        return;
    };
    assert_eq!((imp.read, imp.written), (90, 90));
    let yaml =
        std::fs::read_to_string(site.path().join("site/data/facilities/byouin-list.yaml")).unwrap();
    for leak in ["カンセンショウ", "シンリョウカモク", "令和"] {
        assert!(!yaml.contains(leak), "{leak} leaked into the registry");
    }
    // Neither the 管理者氏名 column nor the people in the workbook's metadata (read here from
    // the file, never written into the repository).
    for name in workbook_people(&shared("data/municipal/kumamoto/byouin_list.xlsx").unwrap()) {
        let family = name.split(['\u{3000}', ' ']).next().unwrap();
        assert!(
            !yaml.contains(family),
            "a name of the workbook's metadata leaked"
        );
    }
    let managers = column_values(
        &shared("data/municipal/kumamoto/byouin_list.xlsx").unwrap(),
        "管理者氏名",
    );
    assert_eq!(managers.len(), 90);
    for name in managers {
        assert!(!yaml.contains(&name), "a 管理者氏名 leaked");
    }
    let r = record(&recs, "熊本中央病院");
    assert_eq!(r["address"], "熊本県熊本市南区田井島1丁目5-1");
    assert_eq!(r["phone"], "096-370-3111");
    // No code column: the ward from the address (熊本市南区).
    assert_eq!(r["municipality"], "431044");
    let deps = r["departments"].as_array().unwrap();
    assert!(deps.contains(&serde_json::json!("内科")), "{deps:?}");
    assert!(
        deps.contains(&serde_json::json!("緩和ケア内科")),
        "診療科目その他"
    );
    assert!(
        deps.contains(&serde_json::json!("乳腺・内分泌外科")),
        "one department with ・"
    );
    assert!(
        r["beds"].as_u64().is_some_and(|b| b > 0),
        "the five bed counts summed"
    );
    assert!(imp.output.contains("sheet 公開データ"), "{}", imp.output);
}

/// A mistyped --type is an error with a suggestion, before anything is written; unknown
/// --type-map values are all reported in one run.
#[test]
fn type_mistakes_are_reported_at_once() {
    let site = valid_site();
    let csv = site.path().join("h.csv");
    std::fs::write(
        &csv,
        "ID,名称,種別,全国地方公共団体コード\n1,a,病院,372013\n2,b,診療所,372013\n3,c,歯科,372013\n4,d,診療所,372013\n",
    )
    .unwrap();
    let base = [
        "import",
        "ods",
        s(&csv),
        "--site",
        s(site.path()),
        "--kind",
        "facilities",
    ];
    let mut args = base.to_vec();
    args.extend(["--type", "hospitl"]);
    let out = run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("did you mean hospital?"), "{stderr}");
    assert!(!site.path().join("data/facilities/h.yaml").exists());
    let mut args = base.to_vec();
    args.extend(["--type-map", "病院=hospital"]);
    let out = run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("2 values of 種別 are not in --type-map")
            && stderr.contains("\"診療所\" (2 rows: line 3, 5)")
            && stderr.contains("\"歯科\" (1 row: line 4)"),
        "{stderr}"
    );
    let mut args = base.to_vec();
    args.extend([
        "--type-map",
        "病院=hospital,*=clinic",
        "--where-not",
        "種別=歯科",
    ]);
    let out = run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(site.path(), "data/facilities/h.yaml");
    assert_eq!(recs.len(), 3);
    assert_eq!(count_type(&recs, "clinic"), 2);
}

/// A misspelt coordinate header is one message naming the column, not one per row.
#[test]
fn a_misspelt_header_is_named_once() {
    let site = valid_site();
    let csv = site.path().join("p.csv");
    std::fs::write(
        &csv,
        "ID,名称,緯土,経度,住所（所在地）\n1,玉藻公園,34.35,134.05,香川県高松市玉藻町\n2,栗林公園,34.33,134.04,香川県高松市栗林町\n",
    )
    .unwrap();
    let out = run(&[
        "import",
        "ods",
        s(&csv),
        "--site",
        s(site.path()),
        "--kind",
        "parks",
        "--type",
        "park",
        "--municipality",
        "372013",
    ]);
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{all}");
    assert_eq!(all.matches("did you mean 緯度?").count(), 2, "{all}");
    assert!(!all.contains("not numbers"), "{all}");
    let recs = records(site.path(), "data/parks/p.yaml");
    assert_eq!(
        recs[0]["address"], "香川県高松市玉藻町",
        "住所（所在地） is the address"
    );
}

/// The people a workbook's metadata names (docProps/core.xml: creator, lastModifiedBy).
fn workbook_people(path: &Path) -> Vec<String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("docProps/core.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    ["dc:creator", "cp:lastModifiedBy"]
        .iter()
        .filter_map(|tag| {
            let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
            let end = xml[start..].find('<')? + start;
            Some(xml[start..end].to_owned()).filter(|n| !n.is_empty())
        })
        .collect()
}

/// The values of one column of a workbook's first sheet, read with calamine as the importer
/// does.
fn column_values(path: &Path, header: &str) -> Vec<String> {
    use calamine::{DataType, Reader};
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    let mut rows = range.rows();
    let headers = rows.next().unwrap();
    let i = headers
        .iter()
        .position(|h| h.as_string().as_deref() == Some(header))
        .unwrap();
    rows.map(|r| r[i].to_string())
        .filter(|v| !v.trim().is_empty())
        .collect()
}
