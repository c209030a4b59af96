//! `data/<kind>.csv`: the 自治体標準オープンデータセット-style exports open in a spreadsheet (BOM,
//! CRLF, the standard columns first), are documented in the README, and give back the same
//! records through `kenkomap import ods`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::common::*;
use kenkomap::export::csv::{STANDARD, headers};
use kenkomap::registry::{Details, Kind, Record, Sp};
use serde_json::Value;

fn today() -> jiff::civil::Date {
    TODAY.parse().unwrap()
}

/// Records of every field, for the round trip: a closed facility with a multi-line Markdown
/// description, phone numbers and labels the plain cell form cannot carry, departments that
/// need the JSON form; a park, a restaurant and a consultation body with all their fields.
const MORE_FACILITIES: &str = r##"
defaults:
  verified: 2026-06-01
records:
  - id: closed-clinic
    name: "  閉院テストクリニック　本院"
    name_kana: ヘイインテストクリニック
    name_en: Closed Test Clinic
    type: clinic
    municipality: "372013"
    address: 香川県高松市番町1-1-1 テストビル２階
    phone:
      - "+81 87-000-0001"
      - { number: "#7119", label: 救急安心センター }
      - { number: 087-000-0002, label: 窓口（代表） }
    fax: 087-000-0003
    email: info@clinic.example.jp
    url:
      - { url: "https://clinic.example.jp/", label: トップ }
      - https://clinic.example.jp/健診/案内(1).html
    location: { lat: 34.3412345678, lon: 134.0423456789 }
    hours: Mo-Fr 08:30-12:00,13:30-18:00; Sa 08:30-12:00; PH off; Dec 29-Jan 03 off
    hours_note: "木曜午後は休診。\n臨時休診あり"
    languages: [ja, en, zh]
    accessibility: [wheelchair, braille]
    fee: insurance
    description: |
      # 閉院のお知らせ

      - 2026年3月に閉院しました。
      - カルテの開示は **高松市保健所** へ。
    description_en: The clinic closed in March 2026.
    valid_until: 2027-12-31
    status: closed
    source: テスト医師会 (CC BY 4.0)
    departments: ["内科、循環器内科", 小児科]
    checkups: [特定健診, がん検診]
    beds: 0
    emergency: false
    internal: { contact: 担当 佐藤 }
"##;

const MORE_PARKS: &str = r##"
records:
  - id: sink-walk
    name: テスト遊歩道
    type: walking_course
    location: { lat: 34.3, lon: 134.1 }
    hours: sunrise-sunset
    amenities: [toilet, drinking_water, benches]
    course_km: 3
    accessibility: [step_free]
    sample: true
  - id: formula-park
    name: '=HYPERLINK("http://x")'
    name_kana: "'=1"
    name_en: "@SUM(A1)"
    type: park
    municipality: "372013"
    address: "-5"
    hours_note: "+1+2"
    description: "-2+3+cmd|' /C calc'!A0"
    source: "''=x"
"##;

const MORE_RESTAURANTS: &str = r##"
records:
  - id: sink-cafe
    name: テストカフェ
    type: cafeteria
    municipality: "373222"
    smoke_free: false
    certification: { name: "健康づくり応援店, 第2号" }
    menus:
      - { name: "サラダ, 大盛り", kcal: 180.5 }
      - { name: 小鉢, salt_g: 0.8, vegetables_g: 70, price_yen: 200 }
    phone: 0879-00-0000
    status: suspended
"##;

const MORE_CONSULTATION: &str = r##"
records:
  - id: sink-counseling
    name: テストメンタルヘルス相談室
    type: mental_health_counseling
    municipality: "372021"
    phone:
      - { number: 0120-000-000, label: "フリーダイヤル（平日）" }
      - { number: 087-000-0004, label: "受付）" }
    url: https://soudan.example.jp/
    email: soudan@example.jp
    hours: Mo-Fr 09:00-17:00; Sa 10:00-15:00 "要予約"; PH off
    audiences: [workers, supervisors, families]
    topics: [mental_health, harassment, return_to_work]
    channels: [phone, online, email]
    max_employees: 49
    reservation: recommended
    anonymous: true
    serves: ["372021", "373222"]
    registration: { number: "香川-0001", until: 2028-03-31 }
    languages: [ja, en]
    fee: free
"##;

/// The valid fixture plus the records above, in a temp dir.
fn fixture_site() -> tempfile::TempDir {
    let dir = valid_site();
    for (kind, yaml) in [
        ("facilities", MORE_FACILITIES),
        ("parks", MORE_PARKS),
        ("restaurants", MORE_RESTAURANTS),
        ("consultation", MORE_CONSULTATION),
    ] {
        std::fs::write(dir.path().join(format!("data/{kind}/zz-more.yaml")), yaml).unwrap();
    }
    dir
}

/// A site's configuration, content and data (not its theme packages).
fn copy_site(from: &Path, to: &Path) {
    for entry in ["site.yaml", "data", "content"] {
        let path = from.join(entry);
        if path.is_dir() {
            copy_dir(&path, &to.join(entry));
        } else if path.is_file() {
            std::fs::copy(&path, to.join(entry)).unwrap();
        }
    }
}

/// The CSV's bytes, checked for the spreadsheet conventions, as text without the BOM.
fn read_csv(out: &Path, kind: Kind) -> String {
    let bytes = std::fs::read(out.join(format!("data/{kind}.csv"))).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{kind}.csv has no BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let header_line = text.split("\r\n").next().unwrap();
    assert!(!header_line.contains('\n'), "{kind}.csv: CRLF line ends");
    let header: Vec<&str> = header_line.split(',').collect();
    assert_eq!(&header[..STANDARD.len()], &STANDARD[..], "{kind}.csv");
    assert_eq!(header, headers(kind), "{kind}.csv");
    text
}

/// A site with the same configuration and areas, and the records of `out`'s CSVs imported.
fn reimport(site: &Path, out: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_site(site, dir.path());
    for kind in Kind::ALL {
        let registry = dir.path().join("data").join(kind.as_str());
        if registry.is_dir() {
            std::fs::remove_dir_all(&registry).unwrap();
        }
        let csv = out.join(format!("data/{kind}.csv"));
        let o = run(&[
            "--site",
            dir.path().to_str().unwrap(),
            "import",
            "ods",
            csv.to_str().unwrap(),
            "--kind",
            kind.as_str(),
        ]);
        assert!(
            o.status.success(),
            "import of {kind}.csv failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let report = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            report.contains("0 to check (# CHECK), 0 warnings"),
            "{kind}: {report}"
        );
        let yaml = std::fs::read_to_string(registry.join(format!("{kind}.yaml"))).unwrap();
        assert!(
            !yaml.lines().any(|l| l.trim_start().starts_with("# CHECK:")),
            "{yaml}"
        );
    }
    dir
}

fn strip<T: Clone>(s: &Sp<T>) -> Sp<T> {
    Sp::new(s.value.clone(), Default::default())
}

fn strip_opt<T: Clone>(s: &Option<Sp<T>>) -> Option<Sp<T>> {
    s.as_ref().map(strip)
}

/// A record without spans. The municipality is the one the record was placed in: the
/// standard column holds it also for records that give only a location.
fn normalise(r: &Record, placed_in: Option<kenkomap::registry::MuniCode>) -> Record {
    let mut r = r.clone();
    r.span = Default::default();
    r.id = strip(&r.id);
    r.name = strip(&r.name);
    r.name_kana = strip_opt(&r.name_kana);
    r.name_en = strip_opt(&r.name_en);
    r.record_type = strip(&r.record_type);
    r.municipality = placed_in
        .map(|c| Sp::new(c, Default::default()))
        .or(strip_opt(&r.municipality));
    r.address = strip_opt(&r.address);
    for c in r.phone.iter_mut().chain(r.url.iter_mut()) {
        c.value = strip(&c.value);
    }
    r.fax = strip_opt(&r.fax);
    r.email = strip_opt(&r.email);
    r.location = strip_opt(&r.location);
    r.hours = strip_opt(&r.hours);
    r.hours_note = strip_opt(&r.hours_note);
    r.languages = r.languages.iter().map(strip).collect();
    r.description = strip_opt(&r.description);
    r.description_en = strip_opt(&r.description_en);
    r.verified = strip_opt(&r.verified);
    r.valid_until = strip_opt(&r.valid_until);
    r.source = strip_opt(&r.source);
    for (_, code) in r.codes.iter_mut() {
        *code = strip(code);
    }
    match &mut r.details {
        Details::Restaurant(d) => {
            if let Some(c) = &mut d.certification {
                c.until = strip_opt(&c.until);
            }
        }
        Details::Consultation(d) => {
            d.serves = d.serves.iter().map(strip).collect();
            if let Some(reg) = &mut d.registration {
                reg.until = strip_opt(&reg.until);
            }
        }
        Details::Facility(_) | Details::Park(_) => {}
    }
    r
}

struct Checked {
    /// Records by id, in site order, without spans.
    records: Vec<(String, Record)>,
    /// GeoJSON features (geometry and properties) by id.
    features: BTreeMap<String, Value>,
}

fn check(site: &Path) -> Checked {
    let checked = kenkomap::site::check(site, today()).unwrap();
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{d:?}"))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", site.display());
    let site_data = Arc::new(checked.site.expect("a site"));
    let model = kenkomap::model::Model::new(site_data.clone());
    let records = site_data
        .records
        .iter()
        .zip(&site_data.placements)
        .map(|(r, p)| {
            let code = p.map(|p| site_data.geo.municipalities[p.municipality].code);
            (r.id.value.clone(), normalise(r, code))
        })
        .collect();
    let geojson: serde_json::Value =
        serde_json::from_slice(&kenkomap::export::geojson::resources(&model)).unwrap();
    let features = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["id"].as_str().unwrap().to_owned(), f.clone()))
        .collect();
    Checked { records, features }
}

/// Builds `site`, re-imports its CSVs into a copy without registries, and compares.
fn assert_round_trip(site: &Path) -> Checked {
    let out = tempfile::tempdir().unwrap();
    build_to(site, out.path());
    for kind in Kind::ALL {
        read_csv(out.path(), kind);
    }
    let copy = reimport(site, out.path());
    let before = check(site);
    let after = check(copy.path());
    let ids = |c: &Checked| {
        c.records
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&before),
        ids(&after),
        "the same records in the same order"
    );
    for ((id, a), (_, b)) in before.records.iter().zip(&after.records) {
        assert_eq!(a, b, "record {id} changed in the round trip");
        assert_eq!(before.features[id], after.features[id], "feature {id}");
    }
    before
}

#[test]
fn fixture_csvs_round_trip() {
    let site = fixture_site();
    let checked = assert_round_trip(site.path());
    // The round trip covered what it is meant to: every kind, closed and suspended records,
    // labelled phones, menus.
    let get = |id: &str| &checked.records.iter().find(|(i, _)| i == id).unwrap().1;
    assert_eq!(get("closed-clinic").status.to_string(), "closed");
    assert_eq!(get("formula-park").name.value, r#"=HYPERLINK("http://x")"#);
    assert_eq!(get("formula-park").name_kana.as_ref().unwrap().value, "'=1");
    assert_eq!(get("tonosho-clinic").status.to_string(), "suspended");
    assert_eq!(get("closed-clinic").phone.len(), 3);
    assert_eq!(
        get("takamatsu-hokenjo").phone[1].label.as_deref(),
        Some("感染症対策課")
    );
    let Details::Restaurant(d) = &get("sample-healthy-diner").details else {
        panic!()
    };
    assert_eq!(d.menus[0].kcal, Some(620.0));
    let Details::Consultation(d) = &get("sink-counseling").details else {
        panic!()
    };
    assert_eq!(d.serves.len(), 2);
    assert!(
        get("closed-clinic")
            .description
            .as_ref()
            .unwrap()
            .contains("\n\n- 2026年3月")
    );
}

#[test]
fn fixture_csv_cells() {
    let site = fixture_site();
    let out = tempfile::tempdir().unwrap();
    build_to(site.path(), out.path());
    let text = read_csv(out.path(), Kind::Facilities);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<BTreeMap<String, String>> = rdr
        .records()
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    let row = |id: &str| rows.iter().find(|r| r["ID"] == id).unwrap();
    let hokenjo = row("takamatsu-hokenjo");
    assert_eq!(hokenjo["全国地方公共団体コード"], "372013");
    assert_eq!(hokenjo["地方公共団体名"], "香川県高松市");
    assert_eq!(
        hokenjo["電話番号"],
        "（保健医療政策課）087-839-2860 （感染症対策課）087-839-2870"
    );
    assert_eq!(hokenjo["利用可能曜日"], "月火水木金");
    assert_eq!(hokenjo["開始時間"], "08:30");
    assert_eq!(hokenjo["終了時間"], "17:00");
    assert_eq!(hokenjo["利用可能時間_OSM"], "Mo-Fr 08:30-17:00; PH off");
    assert_eq!(
        hokenjo["利用可能日時特記事項"],
        "年末年始（12/29〜1/3）は休み"
    );
    assert_eq!(hokenjo["種別キー"], "health_center");
    assert_eq!(hokenjo["アクセシビリティ"], "wheelchair,accessible_toilet");
    // A record placed by its location has the code of the municipality it lies in.
    assert_eq!(row("marugame-hospital")["全国地方公共団体コード"], "372021");
    assert_eq!(row("marugame-hospital")["診療科目"], "内科、外科");
    let closed = row("closed-clinic");
    assert_eq!(closed["状態"], "closed");
    // Two intervals a day: only the OSM column can say it.
    assert_eq!(closed["利用可能曜日"], "");
    assert_eq!(closed["診療科目"], r#"["内科、循環器内科","小児科"]"#);
    assert!(!text.contains("佐藤"), "internal is never exported");
    assert!(!text.contains("internal"));
    // Every row ends with CRLF; line breaks inside cells stay LF.
    assert_eq!(text.matches("\r\n").count(), rows.len() + 1);
}

/// Values a spreadsheet would run as formulas get a `'` in front (and values that start with
/// `'` and a formula character one more), plain numbers stay, and the round trip above reads
/// every one of them back exactly.
#[test]
fn formula_cells_are_neutralised() {
    let site = fixture_site();
    let out = tempfile::tempdir().unwrap();
    build_to(site.path(), out.path());
    let text = read_csv(out.path(), Kind::Parks);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let row: BTreeMap<String, String> = rdr
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[1] == "formula-park")
        .map(|r| {
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .unwrap();
    assert_eq!(row["名称"], r#"'=HYPERLINK("http://x")"#);
    assert_eq!(row["名称_カナ"], "''=1");
    assert_eq!(row["名称_英字"], "'@SUM(A1)");
    assert_eq!(row["利用可能日時特記事項"], "'+1+2");
    assert_eq!(row["備考"], "'-2+3+cmd|' /C calc'!A0");
    assert_eq!(row["出典"], "'''=x");
    // A plain number is a number to a spreadsheet too, never a formula.
    assert_eq!(row["所在地_連結表記"], "-5");
    // No cell of any file starts a formula (numbers aside).
    for kind in Kind::ALL {
        let text = read_csv(out.path(), kind);
        for record in csv::Reader::from_reader(text.as_bytes()).records() {
            for cell in record.unwrap().iter() {
                let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                    && cell.parse::<f64>().is_err();
                assert!(!formula, "{kind}.csv: {cell:?}");
            }
        }
    }
}

#[test]
fn readme_documents_every_column() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let section = readme
        .split("## Open data")
        .nth(1)
        .expect("README has an Open data section");
    for kind in Kind::ALL {
        for h in headers(kind) {
            assert!(
                section.contains(&format!("| `{h}` |")),
                "README's Open data table lacks `{h}`"
            );
        }
    }
}

/// The demo (the repository root, 480 records of real data) round-trips too.
#[test]
fn demo_csvs_round_trip() {
    let site = tempfile::tempdir().unwrap();
    copy_site(&manifest_dir(), site.path());
    let checked = assert_round_trip(site.path());
    assert!(checked.records.len() >= 400, "{}", checked.records.len());
}
