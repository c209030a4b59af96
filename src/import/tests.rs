//! Tests on the real data in `../shared/data` (see its README). Without it, they print a message
//! and pass, unless CI=true.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ods::TypeRule;
use super::*;

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KENKOMAP_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.join("kagawa").is_dir() {
        Some(dir)
    } else if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "{} is missing (CI=true): the import tests need it",
            dir.display()
        );
    } else {
        println!("skipped: {} is missing", dir.display());
        None
    }
}

fn read(dir: &Path, rel: &str) -> String {
    text::decode(&std::fs::read(dir.join(rel)).unwrap(), rel).unwrap()
}

const TAKAMATSU: &str = "高松市オープンデータ (CC BY 4.0)";

fn ods_opts(file: &str, kind: Kind, t: &str) -> OdsOptions {
    let mut o = OdsOptions::new(file, kind, TypeRule::Fixed(t.into()));
    o.municipality = Some("372013".into());
    o.source = Some(TAKAMATSU.into());
    o
}

fn takamatsu(dir: &Path, name: &str, kind: Kind, t: &str) -> Imported {
    let file = format!("{name}__data.csv");
    let text = read(dir, &format!("kagawa/takamatsu/{file}"));
    import_ods(&text, &ods_opts(&file, kind, t)).unwrap()
}

/// Parses emitted YAML back, proving it is YAML with the intended types; checks every `hours`
/// with the opening_hours parser and the id syntax.
fn parse_back(yaml: &str) -> Value {
    let v: Value = serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    for r in v["records"].as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        assert!(
            !id.is_empty()
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{id}"
        );
        assert!(r["name"].is_string());
        assert!(r["type"].is_string());
        if let Some(h) = r.get("hours") {
            let h = h.as_str().unwrap();
            h.parse::<opening_hours::OpeningHours>()
                .unwrap_or_else(|e| panic!("{id}: {h}: {e}"));
        }
        if let Some(m) = r.get("municipality") {
            assert_eq!(m.as_str().unwrap().len(), 6);
        }
        if let Some(l) = r.get("location") {
            assert!(l["lat"].is_f64() && l["lon"].is_f64(), "{l}");
        }
        match r.get("phone") {
            None | Some(Value::String(_)) => {}
            Some(Value::Array(list)) => {
                for p in list {
                    assert!(p["number"].is_string());
                }
            }
            Some(other) => panic!("phone {other}"),
        }
    }
    v
}

fn record<'a>(imp: &'a Imported, id: &str) -> &'a Record {
    imp.records.iter().find(|r| r.id == id).unwrap()
}

#[test]
fn health_center() {
    let Some(dir) = data_dir() else { return };
    let imp = takamatsu(&dir, "health_center", Kind::Facilities, "health_center");
    assert_eq!(imp.records.len(), 9);
    let r = record(&imp, "health-center-1");
    assert_eq!(r.name, "高松市保健所");
    assert_eq!(
        r.hours.as_deref(),
        Some("Mo-Fr 08:30-17:00; PH off; Dec 29-Jan 03 off")
    );
    assert_eq!(
        r.hours_note.as_deref(),
        Some(
            "国民の祝日に関する法律に規定する休日及び年末年始（12/29から翌年の1/3）は終日利用不可"
        )
    );
    let Some(Contact::Many(phones)) = &r.phone else {
        panic!("{:?}", r.phone)
    };
    let got: Vec<(&str, &str)> = phones
        .iter()
        .map(|p| (p.value.as_str(), p.label.as_deref().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("087-839-2860", "保健医療政策課"),
            ("087-839-2870", "感染症対策課"),
            ("087-839-2865", "生活衛生課")
        ]
    );
    let Some(Contact::Many(urls)) = &r.url else {
        panic!()
    };
    assert_eq!(urls.len(), 3);
    assert_eq!(urls[2].label.as_deref(), Some("生活衛生課"));
    assert!(urls[2].value.ends_with("/seikatsueisei.html"));
    assert_eq!(r.municipality, None, "the default covers it");
    assert!(r.checks.is_empty(), "{:?}", r.checks);
    // 庵治ほっとぴあん: only the year end is closed.
    assert_eq!(
        record(&imp, "health-center-3").hours.as_deref(),
        Some("Tu-Su 10:00-21:00; Dec 29-Jan 03 off")
    );
    // The id column skips 9: ids follow the source, not the row number.
    assert!(imp.records.iter().any(|r| r.id == "health-center-10"));

    let yaml = render_yaml(&imp);
    assert!(yaml.starts_with("# Imported by kenkomap from health_center__data.csv (9 records).\n# Source: 高松市オープンデータ (CC BY 4.0)\n"));
    assert!(yaml.contains("\ndefaults:\n  source: 高松市オープンデータ (CC BY 4.0)\n  municipality: \"372013\"\nrecords:\n  - id: health-center-1\n    name: 高松市保健所\n    type: health_center\n    address: 高松市桜町一丁目10-27\n    phone:\n      - { number: 087-839-2860, label: 保健医療政策課 }\n"), "{yaml}");
    assert!(yaml.contains("    location: { lat: 34.330488, lon: 134.052607 }\n    hours: Mo-Fr 08:30-17:00; PH off; Dec 29-Jan 03 off\n    hours_note: 国民の祝日"));
    let v = parse_back(&yaml);
    assert_eq!(v["defaults"]["municipality"], "372013");
    let r0 = &v["records"][0];
    assert_eq!(r0["phone"][1]["number"], "087-839-2870");
    assert_eq!(r0["phone"][1]["label"], "感染症対策課");
    assert_eq!(r0["location"]["lat"].as_f64(), Some(34.330488));
    assert_eq!(v["records"][2]["phone"], "087-871-2534");
    // Deterministic.
    let again = takamatsu(&dir, "health_center", Kind::Facilities, "health_center");
    assert_eq!(render_yaml(&again), yaml);
}

#[test]
fn shift_jis_copy_gives_identical_yaml() {
    let Some(dir) = data_dir() else { return };
    // Not hospital__data.csv: an establisher's name there has 晣, which CP932 cannot hold.
    for name in ["health_center", "park"] {
        let file = format!("{name}__data.csv");
        let bytes = std::fs::read(dir.join("kagawa/takamatsu").join(&file)).unwrap();
        let utf8 = text::decode(&bytes, &file).unwrap();
        let (sjis, _, had_errors) = encoding_rs::SHIFT_JIS.encode(&utf8);
        assert!(!had_errors, "{file} has characters Shift_JIS cannot hold");
        assert!(
            std::str::from_utf8(&sjis).is_err(),
            "the copy must not be UTF-8"
        );
        let from_sjis = text::decode(&sjis, &file).unwrap();
        let opts = ods_opts(&file, Kind::Facilities, "health_center");
        let a = render_yaml(&import_ods(&utf8, &opts).unwrap());
        let b = render_yaml(&import_ods(&from_sjis, &opts).unwrap());
        assert_eq!(a.as_bytes(), b.as_bytes());
    }
}

#[test]
fn consultation_and_parks() {
    let Some(dir) = data_dir() else { return };
    let imp = takamatsu(
        &dir,
        "regional_comprehensive_support_center",
        Kind::Consultation,
        "other",
    );
    assert_eq!(imp.records.len(), 7);
    assert!(imp.records.iter().all(|r| r.hours.as_deref()
        == Some("Mo-Fr 08:30-17:00; PH off; Dec 29-Jan 03 off")
        && r.checks.is_empty()));
    parse_back(&render_yaml(&imp));

    let park = takamatsu(&dir, "park", Kind::Parks, "park");
    let rural = takamatsu(&dir, "rural_park", Kind::Parks, "park");
    assert_eq!((park.records.len(), rural.records.len()), (310, 12));
    assert_eq!(park.records.len() + rural.records.len(), 322);
    assert_eq!(
        record(&rural, "rural-park-11").description.as_deref(),
        Some("駐車場有\n（隣接駐車場、香南体育館）")
    );
    // A park phone without area code is not written (check would refuse it) but kept, as
    // written, in the record's CHECK comment.
    let r = park
        .records
        .iter()
        .find(|r| r.checks.iter().any(|c| c.contains("869-0758")))
        .unwrap();
    assert_eq!(r.phone, None);
    assert_eq!(
        r.checks,
        [
            "phone 869-0758 is not valid (a number without the area code is incomplete; add the 0… area code): not written, fix and add it"
        ]
    );
    let v = parse_back(&render_yaml(&rural));
    assert_eq!(
        v["records"][10]["description"],
        "駐車場有\n（隣接駐車場、香南体育館）"
    );
    parse_back(&render_yaml(&park));
}

fn hospital_types() -> TypeRule {
    TypeRule::FromColumn {
        column: "alternativeName".into(),
        map: vec![
            ("病院".into(), "hospital".into()),
            ("有床診療所".into(), "clinic".into()),
            ("無床診療所".into(), "clinic".into()),
            ("歯科".into(), "dental_clinic".into()),
        ],
    }
}

#[test]
fn hospitals() {
    let Some(dir) = data_dir() else { return };
    let file = "hospital__data.csv";
    let text = read(&dir, &format!("kagawa/takamatsu/{file}"));
    let mut opts = ods_opts(file, Kind::Facilities, "");
    opts.type_rule = hospital_types();
    opts.id_prefix = "takamatsu-medical".into();
    let imp = import_ods(&text, &opts).unwrap();
    assert_eq!(imp.rows, 617);
    // 神原歯科医院 is listed twice (ids 464 and 465, 3 m apart): the second is skipped.
    assert_eq!(imp.records.len(), 616);
    let dup = imp
        .warnings
        .iter()
        .find(|w| w.message.contains("duplicate"))
        .unwrap();
    assert_eq!(
        dup.to_string(),
        "line 452: 神原歯科医院 is a duplicate of line 451 (same name, address, phone and type): row skipped"
    );
    let count = |t: &str| imp.records.iter().filter(|r| r.kind_type == t).count();
    assert_eq!(
        (count("hospital"), count("clinic"), count("dental_clinic")),
        (32, 363, 221)
    );
    // Same name, different clinics: both kept.
    assert_eq!(
        imp.records.iter().filter(|r| r.name == "長尾医院").count(),
        2
    );

    let r = record(&imp, "takamatsu-medical-1");
    assert_eq!(r.name, "独立行政法人国立病院機構高松医療センター");
    assert_eq!(r.beds, Some(232));
    assert_eq!(r.departments.len(), 14);
    assert_eq!(r.departments[0], "内科");
    assert_eq!(r.phone, Some(Contact::One("087-841-2146".into())));
    assert_eq!(r.address.as_deref(), Some("香川県高松市新田町乙8番地"));
    assert_eq!(r.municipality, None, "372013 is the default");
    // Full-width letters folded, the ideographic space kept, trailing space trimmed.
    assert_eq!(
        record(&imp, "takamatsu-medical-298").name,
        "BCクリニック\u{3000}高松院"
    );
    assert_eq!(
        record(&imp, "takamatsu-medical-2").name,
        "かがわ総合リハビリテーション病院"
    );
    // Row without location and a suspended clinic.
    let r = record(&imp, "takamatsu-medical-623");
    assert_eq!(r.name, "西岡耳鼻咽喉科医院");
    assert_eq!(r.status.as_deref(), Some("suspended"));
    assert_eq!(r.location, None);
    assert_eq!(r.checks.len(), 2, "{:?}", r.checks);
    // 19（休床中）
    assert!(
        imp.records
            .iter()
            .any(|r| r.beds == Some(19) && r.checks.iter().any(|c| c.contains("休床中")))
    );
    // The row without prefCode falls back to the default.
    assert_eq!(record(&imp, "takamatsu-medical-590").municipality, None);

    let yaml = render_yaml(&imp);
    // People's names never reach the output.
    for personal in ["理事長", "新木", "梶本", "晣"] {
        assert!(!yaml.contains(personal), "{personal}");
    }
    assert!(
        yaml.contains("# Not imported (people's names): corporateRepresentative, establisher\n")
    );
    assert!(imp.warnings.iter().any(|w| w.line.is_none()
        && w.message == "not imported (people's names must not be published): corporateRepresentative, establisher"));
    let v = parse_back(&yaml);
    assert_eq!(v["records"][0]["beds"], 232);
    assert_eq!(v["records"][0]["departments"][0], "内科");
}

#[test]
fn sports_facilities() {
    let Some(dir) = data_dir() else { return };
    let mut total = 0;
    let mut all_hours = Vec::new();
    for (name, t, n) in [
        ("pool", "pool", 6),
        ("gymnasium", "sports_facility", 11),
        ("ground", "sports_facility", 9),
        ("tennis_court", "sports_facility", 11),
        ("other_sports_facilities", "sports_facility", 7),
        ("athletics_stadium", "sports_facility", 1),
    ] {
        let imp = takamatsu(&dir, name, Kind::Parks, t);
        assert_eq!(imp.records.len(), n, "{name}");
        total += n;
        parse_back(&render_yaml(&imp));
        all_hours.extend(imp.records.into_iter().map(|r| (r.id, r.hours, r.checks)));
    }
    assert_eq!(total, 45);
    let find = |id: &str| all_hours.iter().find(|(i, _, _)| i == id).unwrap();
    assert_eq!(
        find("gymnasium-1").1.as_deref(),
        Some("Mo,We-Su 09:00-22:00")
    );
    assert_eq!(
        find("ground-1").1.as_deref(),
        Some("Mo,We-Su 09:00-17:00; Jun-Aug Mo,We-Su 09:00-19:00")
    );
    assert_eq!(
        find("other-sports-facilities-6").1.as_deref(),
        Some("Mo-Su sunrise-sunset")
    );
    // Seasonal pool: 開設期間は7月20日から8月31日 restricts the weekly rule.
    let (_, h, checks) = find("pool-3");
    assert_eq!(h.as_deref(), Some("Jul 20-Aug 31 Mo,We-Su 09:00-18:00"));
    assert!(checks.is_empty(), "{checks:?}");
    // Not convertible: the weekly rule stays, and the problem names the file's note column.
    let (_, h, checks) = find("pool-2");
    assert_eq!(
        h.as_deref(),
        Some("Mo,We-Su 10:00-20:30; Jul-Aug Mo-Su 10:00-20:30")
    );
    assert!(checks.is_empty(), "{checks:?}");
}

#[test]
fn mhlw_hospitals() {
    let Some(dir) = data_dir() else { return };
    let file = "mhlw_hospital_facility_info_20250601_kagawa.csv";
    let bytes = std::fs::read(dir.join("kagawa").join(file)).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = text::decode(&bytes, file).unwrap();
    let imp = import_mhlw(&text, &MhlwOptions::new(file)).unwrap();
    assert_eq!(imp.records.len(), 86);
    assert!(imp.records.iter().all(|r| {
        r.kind_type == "hospital"
            && r.hours.is_none()
            && r.location.is_some()
            && r.municipality
                .as_ref()
                .is_some_and(|m| muni_code6(m).as_ref() == Ok(m))
    }));
    let r = record(&imp, "mhlw-3711370100010");
    assert_eq!(r.name, "香川県立白鳥病院");
    assert_eq!(
        r.name_kana.as_deref(),
        Some("カガワケンリツシロトリビョウイン")
    );
    // Romaji is no English name (issue 15): the English page shows the Japanese name.
    assert_eq!(r.name_en, None);
    assert_eq!(r.municipality.as_deref(), Some("372072"));
    assert_eq!(r.address.as_deref(), Some("香川県東かがわ市松原963"));
    let takamatsu = imp
        .records
        .iter()
        .filter(|r| r.municipality.as_deref() == Some("372013"))
        .count();
    assert_eq!(takamatsu, 33);
    let by_name = |n: &str| imp.records.iter().find(|r| r.name.contains(n)).unwrap();
    assert_eq!(
        by_name("西紋病院").hours_note.as_deref(),
        Some("休診日：木曜・日曜・祝日・12月31日〜1月3日")
    );
    assert_eq!(
        by_name("森川整形外科病院").hours_note.as_deref(),
        Some(
            "休診日：8月15日・12月31日〜1月3日。その他：日曜祭日は患者のけが等の処置のため午前中診療"
        )
    );
    assert_eq!(
        by_name("白井病院").name_en.as_deref(),
        Some("Shirai Hospital")
    );
    assert!(imp.records.iter().all(|r| r.beds.is_some()));
    assert_eq!(by_name("大西精神衛生研究所").beds, Some(374));
    assert!(
        imp.warnings
            .iter()
            .any(|w| w.message.contains("35 決まった週に休診"))
    );
    let v = parse_back(&render_yaml(&imp));
    assert_eq!(v["records"].as_array().unwrap().len(), 86);
    assert!(v["records"][0].get("hours").is_none());
}

#[test]
fn mhlw_unknown_coordinates() {
    let csv = "ID,正式名称,機関区分,都道府県コード,市区町村コード,所在地,所在地座標（緯度）,所在地座標（経度）\n\
               1,テスト病院,1,37,201,香川県高松市,0.0,0.0\n";
    let imp = import_mhlw(csv, &MhlwOptions::new("t.csv")).unwrap();
    assert_eq!(imp.records[0].location, None);
    assert_eq!(
        imp.warnings.last().unwrap().to_string(),
        "line 2: latitude/longitude 0.0,0.0 means unknown: the record has no location"
    );
    let yaml = render_yaml(&imp);
    assert!(yaml.contains("  # CHECK: latitude/longitude 0.0,0.0 means unknown: the record has no location\n  - id: mhlw-1\n"));
}

fn kagawa_areas(dir: &Path, membership: &str) -> AreasOutput {
    import_areas(&kagawa_input(dir, membership)).unwrap()
}

fn kagawa_input(dir: &Path, membership: &str) -> AreasInput {
    AreasInput {
        boundaries_json: read(dir, "kagawa/municipalities_N03-21_37_s0010.geojson"),
        boundaries_file: "municipalities_N03-21_37_s0010.geojson".into(),
        membership_csv: read(dir, membership),
        membership_file: "membership.csv".into(),
        prefecture: "37".into(),
        code_property: "N03_007".into(),
        name_property: "N03_004".into(),
        readings_csv: Some(read(dir, "kagawa/localgovjp_municipal_offices_kagawa.csv")),
        area_names_csv: Some("area_code,name_en\n3702,Shozu\n3706,Tobu\n3707,Seibu\n".into()),
        slug: None,
        source: "国土数値情報".into(),
        geojson_source: None,
        command: String::new(),
    }
}

#[test]
fn areas() {
    let Some(dir) = data_dir() else { return };
    let out = kagawa_areas(&dir, "kagawa/municipality_to_secondary_area_37.csv");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert_eq!((out.areas, out.municipalities, out.features), (3, 17, 17));
    assert_eq!(out.slug, "kagawa");
    assert_eq!(
        out.boundaries_path,
        "boundaries/kagawa-municipalities.geojson"
    );
    assert!(out.yaml.contains(
        "prefecture: { code: \"37\", name: 香川県, name_en: Kagawa }\nboundaries: boundaries/kagawa-municipalities.geojson\ncode_property: N03_007\nareas:\n  - code: \"3702\"\n    name: 小豆\n    name_en: Shozu\n    municipalities:\n      - { code: \"373222\", name: 土庄町, name_en: Tonosho }\n      - { code: \"373249\", name: 小豆島町, name_en: Shodoshima }\n"
    ), "{}", out.yaml);
    let v: Value = serde_saphyr::from_str(&out.yaml).unwrap();
    assert_eq!(v["prefecture"]["code"], "37");
    let east = &v["areas"][1];
    assert_eq!(east["code"], "3706");
    assert_eq!(east["municipalities"][0]["code"], "372013");
    assert_eq!(east["municipalities"][0]["name_en"], "Takamatsu");
    let all: Vec<&Value> = v["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["municipalities"].as_array().unwrap())
        .collect();
    assert_eq!(all.len(), 17);
    for m in &all {
        let c = m["code"].as_str().unwrap();
        assert_eq!(muni_code6(c).unwrap(), c);
    }
    // Check digits agree with the lgcode column of localgovjp.
    let offices = read(&dir, "kagawa/localgovjp_municipal_offices_kagawa.csv");
    let mut rdr = csv::Reader::from_reader(offices.as_bytes());
    for row in rdr.records() {
        let row = row.unwrap();
        assert_eq!(muni_code6(&row[2]).unwrap(), &row[9]);
    }

    // GeoJSON: only code and name, 6 decimals.
    let gj: Value = serde_json::from_str(&out.geojson).unwrap();
    let features = gj["features"].as_array().unwrap();
    assert_eq!(features.len(), 17);
    assert_eq!(
        features[0]["properties"],
        serde_json::json!({"N03_007": "37201", "N03_004": "高松市"})
    );
    let mut max_decimals = 0;
    for n in out
        .geojson
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
    {
        if let Some((_, frac)) = n.split_once('.') {
            max_decimals = max_decimals.max(frac.len());
        }
    }
    assert_eq!(max_decimals, 6);
    assert!(out.geojson.len() < 97_724);

    // The national membership CSV with --prefecture 37 gives the same areas.
    let national = kagawa_areas(&dir, "national/municipality_to_secondary_area_A38-20.csv");
    assert_eq!(national.yaml, out.yaml);
    // And the national boundaries too: only Kagawa's 17 features are kept.
    let all = import_areas(&AreasInput {
        boundaries_json: read(&dir, "national/municipalities_N03-21_all_s0010.geojson"),
        boundaries_file: "municipalities_N03-21_37_s0010.geojson".into(),
        ..kagawa_input(&dir, "national/municipality_to_secondary_area_A38-20.csv")
    })
    .unwrap();
    assert_eq!(all.features, 17);
    assert_eq!(all.yaml, out.yaml);
    assert!(all.warnings.is_empty(), "{:?}", all.warnings);
}

#[test]
fn hokenjo_p28() {
    let Some(dir) = data_dir() else { return };
    let file = "hokenjo_P28-13_kagawa.csv";
    let text = read(&dir, &format!("kagawa/{file}"));
    let mut opts = OdsOptions::new(
        file,
        Kind::Facilities,
        TypeRule::Fixed("health_center".into()),
    );
    opts.id_prefix = "hokenjo".into();
    opts.id_column = Some("admin_code".into());
    opts.source = Some("国土数値情報（保健所データ）（国土交通省）".into());
    opts.address_relative = true;
    let areas = kagawa_areas(&dir, "kagawa/municipality_to_secondary_area_37.csv");
    let tmp = temp_site("p28");
    std::fs::create_dir_all(tmp.join("data/areas")).unwrap();
    std::fs::write(tmp.join("data/areas/kagawa.yaml"), &areas.yaml).unwrap();
    opts.municipality_names = areas::municipality_names(&tmp.join("data/areas")).unwrap();
    let _ = std::fs::remove_dir_all(&tmp);
    let imp = import_ods(&text, &opts).unwrap();
    assert_eq!(imp.records.len(), 5);
    let r = &imp.records[0];
    assert_eq!(r.id, "hokenjo-37201");
    assert_eq!(r.municipality.as_deref(), Some("372013"));
    assert_eq!(r.address.as_deref(), Some("香川県高松市桜町1-10-27"));
    assert_eq!(
        r.location,
        Some(LatLon {
            lat: 34.330515,
            lon: 134.052644
        })
    );
    assert_eq!(imp.records[4].name, "小豆保健所（小豆総合事務所）");
    assert_eq!(
        imp.records[4].address.as_deref(),
        Some("香川県土庄町渕崎甲2079-5")
    );
    parse_back(&render_yaml(&imp));
}

fn temp_site(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kenkomap-import-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Everything is in Takamatsu, except a point near 男木島 that is 2.5 km off.
struct Double;

impl MunicipalityLocator for Double {
    fn locate(&self, lat: f64, _lon: f64) -> Option<String> {
        (lat < 34.38).then(|| "372013".into())
    }
    fn distance_km(&self, code: &str, lat: f64, _lon: f64) -> Option<f64> {
        (code == "372013").then_some(if lat < 34.38 { 0.0 } else { 2.5 })
    }
}

#[test]
fn run_writes_and_refuses_to_overwrite() {
    let Some(dir) = data_dir() else { return };
    let site = temp_site("run");
    let cmd = ImportCommand::Ods(OdsArgs {
        file: dir.join("kagawa/takamatsu/health_center__data.csv"),
        kind: Kind::Facilities,
        record_type: Some("health_center".into()),
        type_from: None,
        type_map: vec![],
        where_: vec![],
        where_not: vec![],
        sheet: None,
        id_prefix: Some("takamatsu-health".into()),
        keep_ids: false,
        id_column: None,
        columns: vec![],
        municipality: Some("37201".into()),
        address_relative: false,
        source: Some(TAKAMATSU.into()),
        set: Vec::new(),
        kana: None,
        output: OutputArgs::default(),
    });
    let report = run(&cmd, &site, Some(&Double)).unwrap();
    let out = site.join("data/facilities/takamatsu-health.yaml");
    assert_eq!(
        report.files,
        [WrittenFile {
            path: out.clone(),
            count: 9
        }]
    );
    assert_eq!((report.read, report.written), (9, 9));
    // 庵治ほっとぴあん (34.388) is "outside" per the double.
    assert_eq!(report.checks, 1);
    let w = report
        .warnings
        .iter()
        .find(|w| w.line == Some(4))
        .unwrap_or_else(|| panic!("{:?}", report.warnings));
    assert_eq!(
        w.to_string(),
        "line 4: location 34.388354, 134.129475 is 2.5 km outside municipality 372013 (in no municipality)"
    );
    let yaml = std::fs::read_to_string(&out).unwrap();
    assert!(yaml.contains("# Command: kenkomap import ods "));
    assert!(yaml.contains(" --municipality 37201 --source '高松市オープンデータ (CC BY 4.0)'\n"));
    assert!(yaml.contains("  # CHECK: location 34.388354, 134.129475 is 2.5 km outside municipality 372013 (in no municipality)\n  - id: takamatsu-health-3\n"));
    parse_back(&yaml);

    match run(&cmd, &site, Some(&Double)) {
        Err(ImportError::Exists(p)) => assert_eq!(p, out),
        other => panic!("{other:?}"),
    }
    let ImportCommand::Ods(mut args) = cmd else {
        unreachable!()
    };
    args.output.force = true;
    let forced = ImportCommand::Ods(args);
    run(&forced, &site, None).unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap().lines().count(),
        yaml.lines().count() - 1
    );

    // Areas: both files, and the same refusal.
    let areas = ImportCommand::Areas(AreasArgs {
        boundaries: dir.join("kagawa/municipalities_N03-21_37_s0010.geojson"),
        membership: dir.join("national/municipality_to_secondary_area_A38-20.csv"),
        prefecture: "37".into(),
        code_property: "N03_007".into(),
        name_property: "N03_004".into(),
        readings: Some(dir.join("kagawa/localgovjp_municipal_offices_kagawa.csv")),
        area_names: None,
        slug: None,
        source: "国土数値情報".into(),
        force: false,
    });
    let report = run(&areas, &site, None).unwrap();
    assert_eq!(report.files.len(), 2);
    assert!(
        site.join("data/boundaries/kagawa-municipalities.geojson")
            .is_file()
    );
    assert_eq!(report.warnings.len(), 3, "{:?}", report.warnings); // no English area names
    assert!(matches!(
        run(&areas, &site, None),
        Err(ImportError::Exists(_))
    ));

    // P28 with --address-relative reads the areas just written.
    let p28 = ImportCommand::Ods(OdsArgs {
        file: dir.join("kagawa/hokenjo_P28-13_kagawa.csv"),
        kind: Kind::Facilities,
        record_type: Some("health_center".into()),
        type_from: None,
        type_map: vec![],
        where_: vec![],
        where_not: vec![],
        sheet: None,
        id_prefix: Some("hokenjo".into()),
        keep_ids: false,
        id_column: Some("admin_code".into()),
        columns: vec![],
        municipality: None,
        address_relative: true,
        source: Some("国土数値情報（保健所データ）".into()),
        set: Vec::new(),
        kana: None,
        output: OutputArgs::default(),
    });
    let report = run(&p28, &site, None).unwrap();
    // 高松市保健所 is in 高松市's file, imported above: merged into that record, not repeated.
    assert_eq!(report.written, 4);
    let merge = report.merge.unwrap();
    assert_eq!((merge.merged, merge.new), (1, 4));
    let yaml = std::fs::read_to_string(site.join("data/facilities/hokenjo.yaml")).unwrap();
    assert!(
        yaml.contains("\nsupplements:\n  # 高松市保健所 (data/facilities/"),
        "{yaml}"
    );
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn errors_are_clear() {
    let opts = OdsOptions::new("x.csv", Kind::Parks, TypeRule::Fixed("park".into()));
    // Without an id column, ids come from the names (熊本市's list has none).
    let imp = import_ods("name,address\n公園,高松市\n", &opts).unwrap();
    assert_eq!(imp.records[0].id, "x-77cdee4e");
    assert!(
        imp.warnings[0].message.starts_with("no id column"),
        "{:?}",
        imp.warnings
    );
    let e = import_ods("#property,name\n1,a\n1,b\n", &opts).unwrap_err();
    assert_eq!(
        e.to_string(),
        "x.csv:3: id \"1\" gives x-1 again (first on line 2); ids must be unique: use --id-column"
    );
    let mut o = opts.clone();
    o.type_rule = TypeRule::FromColumn {
        column: "種別".into(),
        map: vec![("公園".into(), "park".into())],
    };
    let e = import_ods("#property,name,種別\n1,a,公園\n2,b,広場\n", &o).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("x.csv: 1 value of 種別 is not in --type-map: \"広場\" (1 row: line 3)"),
        "{e}"
    );
    // Personal-name columns are dropped even when asked for.
    let mut o = opts.clone();
    o.columns = vec![(ods::Field::Description, "開設者".into())];
    let imp = import_ods("#property,name,開設者\n1,a,山田 太郎\n", &o).unwrap();
    assert!(!render_yaml(&imp).contains("山田"));
    // CRLF files: warnings name the right line (the csv crate alone says 2 here).
    let imp = import_ods("#property,name\r\n1,a\r\n2,\r\n", &opts).unwrap();
    assert_eq!(
        imp.warnings.last().unwrap().to_string(),
        "line 3: no name: row skipped"
    );
    // YAML-sensitive values stay strings.
    let imp = import_ods("#property,name,address\n1,yes,null\n2,~,372013\n", &opts).unwrap();
    let v = parse_back(&render_yaml(&imp));
    assert_eq!(v["records"][0]["name"], "yes");
    assert_eq!(v["records"][0]["address"], "null");
    assert_eq!(v["records"][1]["name"], "~");
    assert_eq!(v["records"][1]["address"], "372013");
}

#[test]
fn clap_shape() {
    use clap::{CommandFactory, Parser};
    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: ImportCommand,
    }
    Cli::command().debug_assert();
    let cli = Cli::try_parse_from([
        "import",
        "ods",
        "hospital__data.csv",
        "--kind",
        "facilities",
        "--type-from",
        "alternativeName",
        "--type-map",
        "病院=hospital,歯科=dental_clinic",
        "--municipality",
        "372013",
    ])
    .unwrap();
    let ImportCommand::Ods(a) = &cli.cmd else {
        panic!()
    };
    assert_eq!(a.type_map, ["病院=hospital", "歯科=dental_clinic"]);
    assert_eq!(
        cli.cmd.command_line(),
        "kenkomap import ods hospital__data.csv --kind facilities --type-from alternativeName --type-map 病院=hospital,歯科=dental_clinic --municipality 372013"
    );
    assert!(
        Cli::try_parse_from([
            "import",
            "ods",
            "f.csv",
            "--kind",
            "parks",
            "--type",
            "park",
            "--type-from",
            "x",
            "--type-map",
            "a=b"
        ])
        .is_err()
    );
    // Without --type or --type-from, the types come from the 種別キー column of kenkomap's
    // exports (a file without it is refused by import_ods, see below); --type-map without
    // --type-from reads the file's type column, and cannot go with --type.
    assert!(Cli::try_parse_from(["import", "ods", "f.csv", "--kind", "parks"]).is_ok());
    assert!(
        Cli::try_parse_from([
            "import",
            "ods",
            "f.csv",
            "--kind",
            "parks",
            "--type-map",
            "a=b"
        ])
        .is_ok()
    );
    assert!(
        Cli::try_parse_from([
            "import",
            "ods",
            "f.csv",
            "--kind",
            "parks",
            "--type",
            "park",
            "--type-map",
            "a=b"
        ])
        .is_err()
    );
    let opts = OdsOptions::new("f.csv", Kind::Parks, TypeRule::KeyColumn);
    let err = import_ods("ID,名称\n1,公園\n", &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no type: pass --type TYPE") && err.contains("種別キー"),
        "{err}"
    );
}

/// Every Takamatsu CSV imports (also those the demo does not use: AED, 鍼灸, 歯科技工所, 助産所,
/// ...), and no value of a personal-name column reaches the YAML.
#[test]
fn every_takamatsu_file_imports_without_personal_names() {
    let Some(dir) = data_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("kagawa/takamatsu"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    assert!(files.len() >= 20);
    let mut total = 0;
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = text::decode(&std::fs::read(&path).unwrap(), &file).unwrap();
        let imp = import_ods(&text, &ods_opts(&file, Kind::Facilities, "other"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!imp.records.is_empty(), "{file}");
        total += imp.records.len();
        let yaml = render_yaml(&imp);
        parse_back(&yaml);
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let personal: Vec<usize> = rdr
            .headers()
            .unwrap()
            .iter()
            .enumerate()
            .filter(|(_, h)| ods::is_personal(&text::header_key(h)))
            .map(|(i, _)| i)
            .collect();
        for row in rdr.records() {
            let row = row.unwrap();
            for &i in &personal {
                let v = row[i].trim();
                if v.contains('\u{3000}') {
                    assert!(!yaml.contains(v), "{file}: {v}");
                }
            }
        }
    }
    assert!(total > 2000, "{total}");
}

/// kenkomap's own CSV export (a `種別キー` column) reads back exactly; the same columns in
/// another file are read too.
#[test]
fn kenkomap_exports_read_back_exactly() {
    let csv = "\u{FEFF}全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,名称_英字,所在地_連結表記,緯度,経度,電話番号,URL,利用可能曜日,開始時間,終了時間,利用可能日時特記事項,備考,設備,コース延長_km,種別キー,利用可能時間_OSM,料金区分,アクセシビリティ,対応言語,状態,情報確認日,出典,サンプル\r\n\
372013,tamamo-park,香川県高松市,玉藻公園（休止中）,タマモコウエン,Tamamo Park,香川県高松市玉藻町２－１,34.3501371234,134.051639,（管理事務所）087-851-1521 （売店）087-000-0000,https://example.jp/,月火水木金土日,07:00,17:00,\"入園は閉園の30分前まで\n12/29〜12/31は休園\",\"公園です。\n\n- 天守台\",\"toilet,parking\",1.5,park,Mo-Su 07:00-17:00; Dec 29-Dec 31 off,paid,wheelchair,\"ja,en\",suspended,2026-10-01,高松市 (CC BY 4.0),\r\n\
372013,tamamo-park-2,香川県高松市,玉藻公園,,,,34.35,134.05,,,,,,,,,,park,,,,,active,2026-10-01,高松市 (CC BY 4.0),true\r\n";
    let opts = OdsOptions::new("parks.csv", Kind::Parks, TypeRule::KeyColumn);
    let imp = import_ods(csv, &opts).unwrap();
    assert!(imp.warnings.is_empty(), "{:?}", imp.warnings);
    let r = record(&imp, "tamamo-park");
    // As written: no width folding, no status from the name, no rounding.
    assert_eq!(r.name, "玉藻公園（休止中）");
    assert_eq!(r.address.as_deref(), Some("香川県高松市玉藻町２－１"));
    assert_eq!(r.location.unwrap().lat, 34.3501371234);
    assert_eq!(r.kind_type, "park");
    // The OSM column wins over 利用可能曜日/開始時間/終了時間; the note is kept as it is.
    assert_eq!(
        r.hours.as_deref(),
        Some("Mo-Su 07:00-17:00; Dec 29-Dec 31 off")
    );
    assert_eq!(
        r.hours_note.as_deref(),
        Some("入園は閉園の30分前まで\n12/29〜12/31は休園")
    );
    assert_eq!(r.description.as_deref(), Some("公園です。\n\n- 天守台"));
    assert_eq!(r.status.as_deref(), Some("suspended"));
    assert_eq!(r.amenities, ["toilet", "parking"]);
    let yaml = render_yaml(&imp);
    // What every record shares goes to defaults once.
    assert!(
        yaml.contains("defaults:\n  source: 高松市 (CC BY 4.0)\n  verified: 2026-10-01\n"),
        "{yaml}"
    );
    for line in [
        "  - id: tamamo-park\n",
        "      - { number: 087-851-1521, label: 管理事務所 }\n",
        "    location: { lat: 34.3501371234, lon: 134.051639 }\n",
        "    course_km: 1.5\n",
        "    languages: [ja, en]\n",
        "    accessibility: [wheelchair]\n",
        "    fee: paid\n",
        "    status: suspended\n",
        "    description: \"公園です。\\n\\n- 天守台\"\n",
        "  - id: tamamo-park-2\n",
        "    sample: true\n",
    ] {
        assert!(yaml.contains(line), "{line}in\n{yaml}");
    }
    assert!(!yaml.contains("status: active"), "{yaml}");
    parse_back(&yaml);

    // --id-prefix makes <prefix>-<id> ids again; ids kept must be slugs.
    let mut prefixed = opts.clone();
    prefixed.id_prefix = "x".into();
    prefixed.keep_ids = Some(false);
    assert_eq!(
        import_ods(csv, &prefixed).unwrap().records[0].id,
        "x-tamamo-park"
    );
    let bad = csv.replace(",tamamo-park-2,", ",Tamamo_2,");
    let err = import_ods(&bad, &opts).unwrap_err().to_string();
    assert!(err.contains("\"Tamamo_2\" is not a slug"), "{err}");

    // Bad values of kenkomap columns are reported and left out, like any other.
    let bad = csv.replace(",paid,wheelchair,", ",gratis,lift,");
    let imp = import_ods(&bad, &opts).unwrap();
    let r = record(&imp, "tamamo-park");
    assert!(
        r.checks.iter().any(|c| c.contains("\"gratis\"")),
        "{:?}",
        r.checks
    );
    assert!(
        r.checks.iter().any(|c| c.contains("\"lift\"")),
        "{:?}",
        r.checks
    );
}

/// `地方公共団体名` (prefecture and municipality) is never taken for the name, and `--keep-ids`
/// and `--type-from` without a map work on other files.
#[test]
fn standard_columns_of_other_files() {
    let csv = "全国地方公共団体コード,ID,地方公共団体名,名称,種類\n37201,a-1,香川県高松市,高松市保健所,health_center\n";
    let mut opts = OdsOptions::new(
        "x.csv",
        Kind::Facilities,
        TypeRule::FromColumn {
            column: "種類".into(),
            map: vec![],
        },
    );
    opts.keep_ids = Some(true);
    let imp = import_ods(csv, &opts).unwrap();
    let r = &imp.records[0];
    assert_eq!(
        (r.id.as_str(), r.name.as_str(), r.kind_type.as_str()),
        ("a-1", "高松市保健所", "health_center")
    );
    assert_eq!(r.municipality.as_deref(), Some("372013"));
    assert!(
        !imp.warnings
            .iter()
            .any(|w| w.message.contains("地方公共団体名")),
        "{:?}",
        imp.warnings
    );
}

/// 熊本市's workbook: the shared strings carry ruby (rPh) runs; only the base text is read,
/// numbers are whole numbers, and no metadata (staff names in docProps) reaches a cell.
#[test]
fn kumamoto_workbook_reads_base_text_only() {
    let Some(dir) = data_dir() else { return };
    let bytes = std::fs::read(dir.join("municipal/kumamoto/byouin_list.xlsx")).unwrap();
    let t = table::from_workbook(&bytes, None).unwrap();
    assert_eq!(t.sheet.as_deref(), Some("公開データ"));
    assert_eq!(t.headers.len(), 118);
    assert!(
        t.headers.iter().any(|h| h == "感染症病床数"),
        "{:?}",
        t.headers
    );
    assert!(t.headers.iter().any(|h| h == "診療科目その他"));
    assert!(
        !t.headers.iter().any(|h| h.contains("カンセンショウ")),
        "ruby text leaked: {:?}",
        t.headers
    );
    assert_eq!(t.rows.len(), 90);
    assert_eq!(t.rows[0].line, 2, "rows are numbered as in Excel");
    let beds = t.headers.iter().position(|h| h == "一般病床数").unwrap();
    assert!(
        t.rows.iter().all(|r| !r.cells[beds].contains('.')),
        "bed counts are integers"
    );
    let err = table::from_workbook(&bytes, Some("Sheet9")).unwrap_err();
    assert!(err.message.contains("公開データ"), "{}", err.message);
    let mut opts = OdsOptions::new(
        "byouin_list.xlsx",
        Kind::Facilities,
        TypeRule::Fixed("hospital".into()),
    );
    opts.source = Some("病院一覧（熊本市）".into());
    let imp = import_workbook(&bytes, None, &opts).unwrap();
    assert_eq!(imp.records.len(), 90);
    assert!(
        imp.warnings
            .iter()
            .all(|w| w.sheet.as_deref() == Some("公開データ"))
    );
}

/// 田布施町's file is tab-separated although named .csv; 岩国市's AED list pads every row with
/// 54 empty columns: neither gives a warning about columns.
#[test]
fn municipal_csv_quirks() {
    let Some(dir) = data_dir() else { return };
    let opts = OdsOptions::new(
        "353434_hospital.csv",
        Kind::Facilities,
        TypeRule::Fixed("clinic".into()),
    );
    let imp = import_ods(&read(&dir, "municipal/tabuse/353434_hospital.csv"), &opts).unwrap();
    assert_eq!(imp.records.len(), 11);
    assert!(
        imp.records
            .iter()
            .all(|r| r.municipality.as_deref() == Some("353434"))
    );
    let opts = OdsOptions::new(
        "352080_aed.csv",
        Kind::Facilities,
        TypeRule::Fixed("other".into()),
    );
    let imp = import_ods(&read(&dir, "municipal/iwakuni/352080_aed.csv"), &opts).unwrap();
    assert!(
        !imp.warnings
            .iter()
            .any(|w| w.message.contains("fields, the header has")
                || w.message.contains("columns not imported")),
        "{:?}",
        imp.warnings
    );
}

/// `--where`/`--where-not`: columns and values compared like headers (NFKC, no spaces).
#[test]
fn rows_are_selected_by_column_values() {
    let csv = "ID,名称,医療機関の種類\n1,a,病院\n2,b,無床診療所\n3,c,有床診療所\n4,d,ﾋﾞｮｳｲﾝ\n";
    let mut opts = OdsOptions::new("x.csv", Kind::Facilities, TypeRule::Fixed("clinic".into()));
    opts.filters = vec![Filter::parse("医療機関の種類 = 無床診療所,有床診療所", true).unwrap()];
    let imp = import_ods(csv, &opts).unwrap();
    let names: Vec<&str> = imp.records.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["b", "c"]);
    assert!(
        imp.warnings
            .iter()
            .any(|w| w.message == "2 of 4 rows left out by --where/--where-not")
    );
    opts.filters = vec![Filter::parse("医療機関の種類=病院", false).unwrap()];
    assert_eq!(import_ods(csv, &opts).unwrap().records.len(), 3);
    opts.filters = vec![Filter::parse("医療機関の種别=病院", true).unwrap()];
    let e = import_ods(csv, &opts).unwrap_err().to_string();
    assert!(
        e.contains("no such column (did you mean 医療機関の種類?)"),
        "{e}"
    );
    assert!(Filter::parse("no-equals", true).is_err());
}
