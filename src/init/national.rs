//! The national tables `kenkomap init --prefecture` carries (`src/init/national/`, made by
//! `scripts/national-tables` from 国土数値情報 N03-21 and A38-20 and localgovjp; see the
//! README there): every 二次医療圏 with its municipalities, their readings and the
//! municipality boundaries. A prefecture's areas file and boundaries are written by
//! [`import_areas`], so they are the files `kenkomap import areas` writes from the same data.

use std::io::Read as _;

use geo::{Contains, InteriorPoint, MultiPolygon, Point};

use crate::import::{AreasInput, AreasOutput, PREFECTURES, import_areas};

/// Areas and municipalities: `pref_code,area_code,area_name,name_en,muni_code,muni_name,citykana`.
/// The one table is the importer's membership, readings and area names CSV at once.
const AREAS_CSV: &str = include_str!("national/areas.csv");
/// The municipality boundaries of all Japan, gzipped GeoJSON (N03 properties).
const BOUNDARIES_GZ: &[u8] = include_bytes!("national/boundaries.geojson.gz");

/// The credit in the header of the written areas file.
pub const SOURCE: &str = "国土数値情報（行政区域データ N03-21・医療圏データ A38-20）（国土交通省）を加工して作成 \
     (医療圏データ: CC BY 4.0); readings of the English names: localgovjp (code4fukui, CC0)";

/// A prefecture: 都道府県コード, name, English name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Prefecture {
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
}

fn prefectures() -> impl Iterator<Item = Prefecture> {
    PREFECTURES.iter().map(|&(code, name, name_en)| Prefecture {
        code,
        name,
        name_en,
    })
}

/// The name without 都, 府 or 県 (北海道 keeps its 道: 北海 is no name).
fn short_name(name: &str) -> &str {
    name.strip_suffix(['都', '府', '県']).unwrap_or(name)
}

/// A prefecture by code (`36`, `1`, `０１`), name (`徳島県`, `徳島`) or English name
/// (`Tokushima`, any case). The error says what was meant or lists the prefectures.
pub fn find_prefecture(raw: &str) -> Result<Prefecture, String> {
    let s: String = unicode_normalization::UnicodeNormalization::nfkc(raw.trim()).collect();
    let found = match s.parse::<u8>() {
        Ok(n) if s.bytes().all(|b| b.is_ascii_digit()) => {
            prefectures().find(|p| p.code == format!("{n:02}"))
        }
        _ => prefectures()
            .find(|p| s == p.name || s == short_name(p.name) || s.eq_ignore_ascii_case(p.name_en)),
    };
    found.ok_or_else(|| not_a_prefecture(raw, &s))
}

fn not_a_prefecture(raw: &str, normalised: &str) -> String {
    let lower = normalised.to_lowercase();
    let best = prefectures()
        .flat_map(|p| {
            [p.name, short_name(p.name), p.name_en]
                .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), p))
        })
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, p)) => format!(
            "--prefecture {raw:?} is not a prefecture; did you mean {} ({}, {})?",
            p.name, p.code, p.name_en
        ),
        None => format!(
            "--prefecture {raw:?} is not a prefecture: give a code or a name, one of {}",
            prefectures()
                .map(|p| format!("{} {}", p.code, p.name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn boundaries() -> Result<String, String> {
    let mut text = String::new();
    flate2::read::GzDecoder::new(BOUNDARIES_GZ)
        .read_to_string(&mut text)
        .map_err(|e| format!("the built-in boundaries cannot be read: {e}"))?;
    Ok(text)
}

/// The areas file and boundaries of `prefecture`, as `kenkomap import areas` makes them.
pub fn areas(prefecture: &Prefecture, command: &str) -> Result<AreasOutput, String> {
    let input = AreasInput {
        boundaries_json: boundaries()?,
        boundaries_file: "国土数値情報 行政区域データ N03-21".into(),
        membership_csv: AREAS_CSV.into(),
        membership_file: "医療圏データ A38-20 (the national tables built into kenkomap)".into(),
        prefecture: prefecture.code.into(),
        code_property: "N03_007".into(),
        name_property: "N03_004".into(),
        readings_csv: Some(AREAS_CSV.into()),
        area_names_csv: Some(AREAS_CSV.into()),
        slug: None,
        source: SOURCE.into(),
        geojson_source: Some(SOURCE.into()),
        command: command.into(),
    };
    import_areas(&input).map_err(|e| e.to_string())
}

/// Where the example records go: a real municipality of the prefecture (its first, by code:
/// the prefectural capital or its first ward, mostly) and points inside its boundary.
#[derive(Debug)]
pub struct SamplePlace {
    /// 6-digit code.
    pub code: String,
    pub name: String,
    /// `{ lat: …, lon: … }` of the example facility, park, restaurant and consultation body.
    pub locations: [String; 4],
}

/// The first municipality of `tables` and four points in it, apart so that the map shows
/// four markers (each falls back to the interior point where the outline is too narrow).
pub fn sample_place(tables: &AreasOutput) -> Result<SamplePlace, String> {
    let (code, name) = first_municipality(&tables.yaml)?;
    let code5 = code.get(..5).ok_or_else(|| format!("bad code {code}"))?;
    let polygon = municipality_polygon(&tables.geojson, code5)?;
    let centre = polygon
        .interior_point()
        .ok_or_else(|| format!("{name} has an empty boundary"))?;
    let offsets = [(0.0, 0.0), (0.002, -0.002), (-0.002, 0.002), (0.0, 0.003)];
    let locations = offsets.map(|(dlat, dlon)| {
        let p = Point::new(centre.x() + dlon, centre.y() + dlat);
        let p = if polygon.contains(&p) { p } else { centre };
        format!("{{ lat: {:.5}, lon: {:.5} }}", p.y(), p.x())
    });
    Ok(SamplePlace {
        code,
        name,
        locations,
    })
}

/// The lowest-coded municipality of an areas file written by the importer.
fn first_municipality(yaml: &str) -> Result<(String, String), String> {
    #[derive(serde::Deserialize)]
    struct File {
        areas: Vec<Area>,
    }
    #[derive(serde::Deserialize)]
    struct Area {
        municipalities: Vec<Muni>,
    }
    #[derive(serde::Deserialize)]
    struct Muni {
        code: String,
        name: String,
    }
    let file: File = serde_saphyr::from_str(yaml).map_err(|e| e.to_string())?;
    file.areas
        .into_iter()
        .flat_map(|a| a.municipalities)
        .map(|m| (m.code, m.name))
        .min()
        .ok_or_else(|| "the prefecture has no municipality".to_owned())
}

fn municipality_polygon(geojson: &str, code5: &str) -> Result<MultiPolygon<f64>, String> {
    let fc: geojson::FeatureCollection = geojson.parse().map_err(|e| format!("{e}"))?;
    let feature = fc
        .features
        .into_iter()
        .find(|f| f.property("N03_007").and_then(|v| v.as_str()) == Some(code5))
        .ok_or_else(|| format!("no boundary of {code5}"))?;
    let geometry = feature
        .geometry
        .ok_or_else(|| format!("no geometry of {code5}"))?;
    match geo::Geometry::<f64>::try_from(geometry).map_err(|e| e.to_string())? {
        geo::Geometry::Polygon(p) => Ok(MultiPolygon::new(vec![p])),
        geo::Geometry::MultiPolygon(mp) => Ok(mp),
        _ => Err(format!("the boundary of {code5} is not a polygon")),
    }
}

#[cfg(test)]
mod tests;
