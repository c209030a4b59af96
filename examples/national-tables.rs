//! Builds the national tables that `kenkomap init --prefecture` carries in the binary
//! (`src/init/national/`), from the files of `../shared/data/national`:
//!
//! - `areas.csv`: every 二次医療圏 (国土数値情報 A38-20) with its English name, and its
//!   municipalities with 6-digit codes, names and kana readings (localgovjp, CC0), which the
//!   importer romanises as `kenkomap import areas --readings` does;
//! - `boundaries.geojson.gz`: the municipality polygons (国土数値情報 N03-21), rounded to 5
//!   decimals (about 1 m). They are simplified for the web already (the source is the 1:10
//!   simplification, `s0010`): simplifying them once more as the build does (~30 m, shared
//!   borders kept) removes 1 % of their vertices, so it is not done here.
//!
//! Run it with `scripts/national-tables`; the same inputs give the same files.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use kenkomap::import::{PREFECTURES, hepburn, muni_code6, municipality_name_en};

/// Coordinates are rounded to 1e-5 degrees (about 1 m); the few municipalities whose rings
/// would then touch or cross keep 1e-6, as `kenkomap import areas` writes them.
const SCALES: [f64; 2] = [1e5, 1e6];

/// One row of the A38 membership CSV.
struct Member {
    pref: String,
    code5: String,
    name: String,
    area_code: String,
    area_name: String,
}

/// A municipality of localgovjp: written name and kana reading.
struct Reading {
    pref: String,
    name: String,
    kana: String,
}

type Rows = Vec<BTreeMap<String, String>>;

fn read_csv(path: &Path) -> Result<Rows, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    reader
        .records()
        .map(|r| {
            let r = r.map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.trim().to_owned()))
                .collect())
        })
        .collect()
}

fn field(row: &BTreeMap<String, String>, name: &str) -> String {
    row.get(name).cloned().unwrap_or_default()
}

fn members(dir: &Path) -> Result<Vec<Member>, String> {
    let rows = read_csv(&dir.join("municipality_to_secondary_area_A38-20.csv"))?;
    Ok(rows
        .iter()
        .map(|r| Member {
            pref: field(r, "pref_code"),
            code5: field(r, "muni_code5"),
            name: field(r, "muni_name"),
            area_code: field(r, "area_code"),
            area_name: field(r, "area_name"),
        })
        .collect())
}

/// localgovjp by 5-digit code (its `cid` drops the leading zero: 1100 is 01100).
fn readings(dir: &Path) -> Result<BTreeMap<String, Reading>, String> {
    let rows = read_csv(&dir.join("localgovjp_municipalities.csv"))?;
    Ok(rows
        .iter()
        .map(|r| {
            let reading = Reading {
                pref: field(r, "pref"),
                name: field(r, "city"),
                kana: field(r, "citykana"),
            };
            (format!("{:0>5}", field(r, "cid")), reading)
        })
        .collect())
}

/// Our own readings of the parts of area names that are no municipality's name (written
/// name -> kana; an empty reading drops the part, as 地域 in 津軽地域; a Latin one is the
/// English word itself, where Hepburn without macrons would mislead: 県央 Ken-o, not Keno).
fn part_readings(path: &Path) -> Result<BTreeMap<String, String>, String> {
    Ok(read_csv(path)?
        .iter()
        .map(|r| (field(r, "name"), field(r, "kana")))
        .collect())
}

/// English names of the municipalities of one prefecture (localgovjp, 政令市 included: their
/// wards are the members of the areas), by written name with and without the suffix:
/// 札幌市 and 札幌 -> Sapporo.
fn municipality_words(
    pref_name: &str,
    readings: &BTreeMap<String, Reading>,
) -> BTreeMap<String, String> {
    let mut words = BTreeMap::new();
    for r in readings.values().filter(|r| r.pref == pref_name) {
        if r.name.contains(' ') {
            continue;
        }
        let Some(en) = municipality_name_en(&r.name, &r.kana) else {
            continue;
        };
        let stem = r.name.trim_end_matches(['市', '町', '村', '区']);
        if !stem.is_empty() {
            words.insert(stem.to_owned(), en.clone());
        }
        words.insert(r.name.clone(), en);
    }
    words
}

/// The English name of an area name: each part (split at ・) cut into the longest known words,
/// our readings first, then the prefecture's municipality names; words are joined by spaces,
/// parts by hyphens (大館・鹿角 -> Odate-Kazuno, 上川中部 -> Kamikawa Chubu).
fn area_name_en(
    name: &str,
    parts: &BTreeMap<String, String>,
    munis: &BTreeMap<String, String>,
) -> Result<String, String> {
    let mut out = Vec::new();
    for part in name.split('・') {
        let chars: Vec<char> = part.chars().collect();
        let mut words = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (end, word) = (i + 1..=chars.len())
                .rev()
                .find_map(|j| {
                    let s: String = chars[i..j].iter().collect();
                    let word = match parts.get(&s) {
                        Some(kana) if kana.is_ascii() => Some(kana.clone()),
                        Some(kana) => hepburn(kana),
                        None => munis.get(&s).cloned(),
                    };
                    word.map(|w| (j, w))
                })
                .ok_or_else(|| chars[i..].iter().collect::<String>())?;
            if !word.is_empty() {
                words.push(word);
            }
            i = end;
        }
        out.push(words.join(" "));
    }
    Ok(out.join("-"))
}

/// The English name of every area (by area code); all the names that cannot be read are
/// reported at once, to be added to the readings list.
fn area_names_en(
    members: &[Member],
    readings: &BTreeMap<String, Reading>,
    parts: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, String> {
    let mut words = BTreeMap::new();
    let mut names = BTreeMap::new();
    let mut missing = BTreeSet::new();
    for m in members {
        let pref_name = PREFECTURES
            .iter()
            .find(|p| p.0 == m.pref)
            .map(|p| p.1)
            .ok_or_else(|| format!("no prefecture {}", m.pref))?;
        let munis = words
            .entry(m.pref.clone())
            .or_insert_with(|| municipality_words(pref_name, readings));
        match area_name_en(&m.area_name, parts, munis) {
            Ok(en) if !en.is_empty() => {
                names.insert(m.area_code.clone(), en);
            }
            Ok(_) => {
                missing.insert(format!("{} (nothing left)", m.area_name));
            }
            Err(rest) => {
                missing.insert(format!("{} ({rest})", m.area_name));
            }
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "area names without a reading: add them to the readings list: {}",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(names)
}

/// The columns of `areas.csv`: at once the importer's membership (`pref_code`, `muni_code`,
/// `muni_name`, `area_code`, `area_name`), readings (`muni_code`, `citykana`) and area names
/// (`area_code`, `name_en`).
const HEADER: [&str; 7] = [
    "pref_code",
    "area_code",
    "area_name",
    "name_en",
    "muni_code",
    "muni_name",
    "citykana",
];

/// `areas.csv`: one row per municipality, in code order within each area.
fn areas_table(
    members: &[Member],
    readings: &BTreeMap<String, Reading>,
    parts: &BTreeMap<String, String>,
) -> Result<String, String> {
    let names = area_names_en(members, readings, parts)?;
    let mut rows: Vec<[String; 7]> = Vec::new();
    for m in members {
        let kana = readings
            .get(&m.code5)
            .map(|r| r.kana.clone())
            .ok_or_else(|| format!("no reading for {} {}", m.code5, m.name))?;
        rows.push([
            m.pref.clone(),
            m.area_code.clone(),
            m.area_name.clone(),
            names.get(&m.area_code).cloned().unwrap_or_default(),
            muni_code6(&m.code5)?,
            m.name.clone(),
            kana,
        ]);
    }
    rows.sort_by(|a, b| (&a[1], &a[4]).cmp(&(&b[1], &b[4])));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(|e| e.to_string())?;
    for r in &rows {
        w.write_record(r).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// A feature of the output: 5-digit code, N03_004 name, N03_003 city (for wards only).
struct Feature {
    code5: String,
    name: String,
    city: Option<String>,
    polygon: MultiPolygon<f64>,
}

fn round_ring(ring: &LineString<f64>, scale: f64) -> Option<LineString<f64>> {
    let mut coords: Vec<Coord<f64>> = ring
        .coords()
        .map(|c| Coord {
            x: (c.x * scale).round() / scale,
            y: (c.y * scale).round() / scale,
        })
        .collect();
    coords.dedup();
    (coords.len() >= 4).then(|| LineString::from(coords))
}

/// Rounds to `scale`; rings that collapse are dropped.
fn round_polygon(mp: &MultiPolygon<f64>, scale: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(
        mp.0.iter()
            .filter_map(|p| {
                let exterior = round_ring(p.exterior(), scale)?;
                let interiors = p
                    .interiors()
                    .iter()
                    .filter_map(|r| round_ring(r, scale))
                    .collect();
                Some(Polygon::new(exterior, interiors))
            })
            .collect(),
    )
}

/// The coarsest rounding of [`SCALES`] whose rings cross neither themselves nor each other
/// (the build refuses an area with such a polygon).
fn round_valid(code5: &str, mp: &MultiPolygon<f64>) -> Result<MultiPolygon<f64>, String> {
    SCALES
        .iter()
        .map(|&scale| round_polygon(mp, scale))
        .find(|rounded| kenkomap::geo::budget::check_polygons(&[rounded]).is_ok())
        .ok_or_else(|| format!("the rings of {code5} cross, however rounded"))
}

fn to_multipolygon(g: geojson::Geometry) -> Option<MultiPolygon<f64>> {
    match geo::Geometry::<f64>::try_from(g).ok()? {
        geo::Geometry::Polygon(p) => Some(MultiPolygon::new(vec![p])),
        geo::Geometry::MultiPolygon(mp) => Some(mp),
        _ => None,
    }
}

/// The N03 features of the municipalities of an area (the six villages of the 北方領土 and
/// the 所属未定地 belong to none), rounded.
fn features(dir: &Path, members: &[Member]) -> Result<Vec<Feature>, String> {
    let path = dir.join("municipalities_N03-21_all_s0010.geojson");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let fc: geojson::FeatureCollection = text
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let wanted: BTreeSet<&str> = members.iter().map(|m| m.code5.as_str()).collect();
    let mut out = Vec::new();
    for f in fc.features {
        let prop = |k: &str| f.property(k).and_then(|v| v.as_str()).map(str::to_owned);
        let Some(code5) = prop("N03_007").filter(|c| wanted.contains(c.as_str())) else {
            continue;
        };
        let name = prop("N03_004").unwrap_or_default();
        let city = prop("N03_003").filter(|c| c.ends_with('市') && name.ends_with('区'));
        let Some(polygon) = f.geometry.clone().and_then(to_multipolygon) else {
            return Err(format!("feature {code5} has no polygon"));
        };
        let polygon = round_valid(&code5, &polygon)?;
        out.push(Feature {
            code5,
            name,
            city,
            polygon,
        });
    }
    out.sort_by(|a, b| a.code5.cmp(&b.code5));
    Ok(out)
}

fn ring_json(ring: &LineString<f64>) -> serde_json::Value {
    ring.coords().map(|c| [c.x, c.y]).collect::<Vec<_>>().into()
}

fn feature_json(f: &Feature) -> serde_json::Value {
    let mut props = serde_json::Map::new();
    props.insert("N03_007".into(), f.code5.clone().into());
    props.insert("N03_004".into(), f.name.clone().into());
    if let Some(city) = &f.city {
        props.insert("N03_003".into(), city.clone().into());
    }
    let polygons: Vec<serde_json::Value> = f
        .polygon
        .0
        .iter()
        .map(|p| {
            let rings: Vec<serde_json::Value> = std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring_json)
                .collect();
            rings.into()
        })
        .collect();
    serde_json::json!({
        "type": "Feature",
        "properties": props,
        "geometry": { "type": "MultiPolygon", "coordinates": polygons },
    })
}

/// The features as one FeatureCollection, a feature per line, gzipped (no time stamp, so the
/// same input gives the same bytes).
fn boundaries_gz(features: &[Feature]) -> Result<Vec<u8>, String> {
    let lines: Vec<String> = features
        .iter()
        .map(|f| feature_json(f).to_string())
        .collect();
    let text = format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n",
        lines.join(",\n")
    );
    let mut gz = flate2::GzBuilder::new().write(Vec::new(), flate2::Compression::best());
    gz.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

fn vertices(features: &[Feature]) -> usize {
    use geo::CoordsIter;
    features.iter().map(|f| f.polygon.coords_count()).sum()
}

fn run(source: &Path, readings_list: &Path, out: &Path) -> Result<(), String> {
    let members = members(source)?;
    let readings = readings(source)?;
    let table = areas_table(&members, &readings, &part_readings(readings_list)?)?;
    let features = features(source, &members)?;
    let gz = boundaries_gz(&features)?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes)
            .map_err(|e| format!("{}: {e}", out.join(name).display()))
    };
    write("areas.csv", table.as_bytes())?;
    write("boundaries.geojson.gz", &gz)?;
    eprintln!(
        "{} municipalities in {} areas; {} features, {} vertices, {} bytes gzipped",
        members.len(),
        members
            .iter()
            .map(|m| &m.area_code)
            .collect::<BTreeSet<_>>()
            .len(),
        features.len(),
        vertices(&features),
        gz.len()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [source, readings_list, out] = args.as_slice() else {
        eprintln!("usage: national-tables SOURCE_DIR AREA_NAME_READINGS_CSV OUT_DIR");
        return ExitCode::from(2);
    };
    match run(source, readings_list, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("national-tables: {e}");
            ExitCode::FAILURE
        }
    }
}
