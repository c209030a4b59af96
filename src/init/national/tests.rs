use std::collections::{BTreeMap, BTreeSet};

use super::*;

fn code(raw: &str) -> Result<&'static str, String> {
    find_prefecture(raw).map(|p| p.code)
}

#[test]
fn prefectures_by_code_name_and_english_name() {
    for raw in [
        "36",
        "036",
        "３６",
        "徳島県",
        "徳島",
        "Tokushima",
        "tokushima",
        " TOKUSHIMA ",
    ] {
        assert_eq!(code(raw), Ok("36"), "{raw}");
    }
    assert_eq!(code("1"), Ok("01"));
    assert_eq!(code("北海道"), Ok("01"));
    assert_eq!(code("東京"), Ok("13"));
    assert_eq!(code("京都府"), Ok("26"));
    assert_eq!(code("okinawa"), Ok("47"));
}

#[test]
fn a_bad_prefecture_says_what_was_meant_or_lists_them() {
    let near = code("徳嶋県").unwrap_err();
    assert!(
        near.contains("did you mean 徳島県 (36, Tokushima)?"),
        "{near}"
    );
    let typo = code("Tokushma").unwrap_err();
    assert!(typo.contains("did you mean 徳島県"), "{typo}");
    for raw in ["99", "0", "", "x"] {
        let e = code(raw).unwrap_err();
        assert!(
            e.contains("01 北海道") && e.contains("47 沖縄県"),
            "{raw}: {e}"
        );
    }
}

/// The table's rows: pref_code, area_code, area_name, name_en, muni_code, muni_name, citykana.
fn rows() -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(AREAS_CSV.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_table_has_every_prefecture_area_and_english_name() {
    let rows = rows();
    assert_eq!(rows.len(), 1896);
    let prefs: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(prefs.len(), 47);
    let areas: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(areas.len(), 335);
    for (area, en) in &areas {
        assert!(
            !en.is_empty() && en.is_ascii() && en.starts_with(|c: char| c.is_ascii_uppercase()),
            "{area}: {en:?}"
        );
    }
    assert_eq!(areas["3601"], "Tobu");
    assert_eq!(areas["0101"], "Minamioshima");
    assert_eq!(areas["0501"], "Odate-Kazuno");
    for r in &rows {
        assert!(
            crate::import::muni_code6(&r[4]).as_deref() == Ok(r[4].as_str()),
            "{r:?}"
        );
        assert!(!r[6].is_empty(), "no reading: {r:?}");
    }
}

#[test]
fn every_municipality_of_the_table_has_a_boundary() {
    let fc: geojson::FeatureCollection = boundaries().unwrap().parse().unwrap();
    let codes: BTreeSet<String> = fc
        .features
        .iter()
        .filter_map(|f| f.property("N03_007")?.as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        codes.len(),
        fc.features.len(),
        "one feature per municipality"
    );
    let table: BTreeSet<String> = rows().iter().map(|r| r[4][..5].to_owned()).collect();
    assert_eq!(codes, table);
}

fn area_file(code: &str) -> serde_json::Value {
    let p = find_prefecture(code).unwrap();
    let out = areas(&p, "kenkomap init x --prefecture 36").unwrap();
    assert!(out.warnings.is_empty(), "{code}: {:?}", out.warnings);
    serde_saphyr::from_str(&out.yaml).unwrap()
}

#[test]
fn a_prefecture_gets_its_areas_with_english_names() {
    let f = area_file("36");
    assert_eq!(f["prefecture"]["name"], "徳島県");
    assert_eq!(
        f["boundaries"],
        "boundaries/tokushima-municipalities.geojson"
    );
    let areas = f["areas"].as_array().unwrap();
    let names: Vec<(&str, &str)> = areas
        .iter()
        .map(|a| (a["name"].as_str().unwrap(), a["name_en"].as_str().unwrap()))
        .collect();
    assert_eq!(
        names,
        [("東部", "Tobu"), ("南部", "Nanbu"), ("西部", "Seibu")]
    );
    let first = &areas[0]["municipalities"][0];
    assert_eq!(first["code"], "362018");
    assert_eq!(first["name"], "徳島市");
    assert_eq!(first["name_en"], "Tokushima");
}

#[test]
fn wards_of_a_designated_city_are_named_with_their_city() {
    let f = area_file("01");
    let sapporo = f["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "札幌")
        .unwrap();
    let chuo = &sapporo["municipalities"][0];
    assert_eq!(chuo["code"], "011011");
    assert_eq!(chuo["name"], "札幌市中央区");
    assert_eq!(chuo["name_en"], "Sapporo Chuo");
}

#[test]
fn the_sample_place_is_inside_the_first_municipality() {
    for code in ["13", "36", "47"] {
        let p = find_prefecture(code).unwrap();
        let out = areas(&p, "").unwrap();
        let place = sample_place(&out).unwrap();
        let polygon = municipality_polygon(&out.geojson, &place.code[..5]).unwrap();
        for loc in &place.locations {
            let v: serde_json::Value = serde_saphyr::from_str(loc).unwrap();
            let point = Point::new(v["lon"].as_f64().unwrap(), v["lat"].as_f64().unwrap());
            assert!(polygon.contains(&point), "{code}: {loc}");
        }
    }
}
