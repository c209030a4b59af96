//! Municipality boundaries + membership CSV -> `data/areas/<slug>.yaml` and the prefecture's
//! boundaries GeoJSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use geojson::{GeoJson, GeometryValue, Position};
use serde::Deserialize;

use super::ods::round6;
use super::romaji::municipality_name_en;
use super::text::{header_key, lf, muni_code6, nfkc, slug};
use super::yaml::{flow_scalar, scalar};
use super::{ImportError, Warning};

/// 都道府県コード (JIS X 0401), name, English name.
pub const PREFECTURES: [(&str, &str, &str); 47] = [
    ("01", "北海道", "Hokkaido"),
    ("02", "青森県", "Aomori"),
    ("03", "岩手県", "Iwate"),
    ("04", "宮城県", "Miyagi"),
    ("05", "秋田県", "Akita"),
    ("06", "山形県", "Yamagata"),
    ("07", "福島県", "Fukushima"),
    ("08", "茨城県", "Ibaraki"),
    ("09", "栃木県", "Tochigi"),
    ("10", "群馬県", "Gunma"),
    ("11", "埼玉県", "Saitama"),
    ("12", "千葉県", "Chiba"),
    ("13", "東京都", "Tokyo"),
    ("14", "神奈川県", "Kanagawa"),
    ("15", "新潟県", "Niigata"),
    ("16", "富山県", "Toyama"),
    ("17", "石川県", "Ishikawa"),
    ("18", "福井県", "Fukui"),
    ("19", "山梨県", "Yamanashi"),
    ("20", "長野県", "Nagano"),
    ("21", "岐阜県", "Gifu"),
    ("22", "静岡県", "Shizuoka"),
    ("23", "愛知県", "Aichi"),
    ("24", "三重県", "Mie"),
    ("25", "滋賀県", "Shiga"),
    ("26", "京都府", "Kyoto"),
    ("27", "大阪府", "Osaka"),
    ("28", "兵庫県", "Hyogo"),
    ("29", "奈良県", "Nara"),
    ("30", "和歌山県", "Wakayama"),
    ("31", "鳥取県", "Tottori"),
    ("32", "島根県", "Shimane"),
    ("33", "岡山県", "Okayama"),
    ("34", "広島県", "Hiroshima"),
    ("35", "山口県", "Yamaguchi"),
    ("36", "徳島県", "Tokushima"),
    ("37", "香川県", "Kagawa"),
    ("38", "愛媛県", "Ehime"),
    ("39", "高知県", "Kochi"),
    ("40", "福岡県", "Fukuoka"),
    ("41", "佐賀県", "Saga"),
    ("42", "長崎県", "Nagasaki"),
    ("43", "熊本県", "Kumamoto"),
    ("44", "大分県", "Oita"),
    ("45", "宮崎県", "Miyazaki"),
    ("46", "鹿児島県", "Kagoshima"),
    ("47", "沖縄県", "Okinawa"),
];

/// Inputs of [`import_areas`], as text.
#[derive(Debug, Clone, Default)]
pub struct AreasInput {
    pub boundaries_json: String,
    pub boundaries_file: String,
    pub membership_csv: String,
    pub membership_file: String,
    /// 2-digit prefecture code.
    pub prefecture: String,
    pub code_property: String,
    pub name_property: String,
    /// CSV with code (cid or lgcode) and citykana columns.
    pub readings_csv: Option<String>,
    /// CSV area_code,name_en.
    pub area_names_csv: Option<String>,
    pub slug: Option<String>,
    pub source: String,
    /// Written as a `source` member of the boundaries FeatureCollection (JSON has no comment
    /// for a header): `init --prefecture` credits the national tables there.
    pub geojson_source: Option<String>,
    pub command: String,
}

/// Outputs of [`import_areas`].
#[derive(Debug, Clone, Default)]
pub struct AreasOutput {
    /// File stem: `data/areas/<slug>.yaml`.
    pub slug: String,
    /// Boundaries path relative to `data/`.
    pub boundaries_path: String,
    pub yaml: String,
    pub geojson: String,
    pub areas: usize,
    pub municipalities: usize,
    pub features: usize,
    pub warnings: Vec<Warning>,
}

struct Muni {
    code6: String,
    name: String,
    name_en: Option<String>,
}

struct Area {
    name: String,
    name_en: Option<String>,
    munis: Vec<Muni>,
}

/// CSV data rows with their line numbers.
type Rows = Vec<(u64, Vec<String>)>;

fn csv_rows(text: &str, what: &str) -> Result<(Vec<String>, Rows), ImportError> {
    let text = lf(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let err = |line: Option<u64>, e: csv::Error| ImportError::Input {
        what: what.to_owned(),
        line,
        message: format!("CSV error: {e}"),
    };
    let headers = rdr
        .headers()
        .map_err(|e| err(Some(1), e))?
        .iter()
        .map(header_key)
        .collect();
    let mut rows = Vec::new();
    for r in rdr.records() {
        let r = r.map_err(|e| err(e.position().map(|p| p.line()), e))?;
        let line = r.position().map_or(0, |p| p.line());
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, r.iter().map(|c| c.trim().to_owned()).collect()));
    }
    Ok((headers, rows))
}

fn column(headers: &[String], names: &[&str], what: &str) -> Result<usize, ImportError> {
    headers
        .iter()
        .position(|h| names.contains(&h.as_str()))
        .ok_or_else(|| ImportError::Input {
            what: what.to_owned(),
            line: Some(1),
            message: format!(
                "no column {}; the columns are {}",
                names.join(" or "),
                headers.join(", ")
            ),
        })
}

/// A property value as a code string: `"37201"`, or a number `1101` padded to `01101`.
fn prop_code(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(nfkc(s)).filter(|s| !s.is_empty()),
        serde_json::Value::Number(n) => {
            let s = n.to_string();
            Some(if s.len() == 4 { format!("0{s}") } else { s })
        }
        _ => None,
    }
}

fn round_positions(ps: &mut Vec<Position>) {
    for p in ps.iter_mut() {
        for x in p.as_slice_mut() {
            *x = round6(*x);
        }
    }
    ps.dedup_by(|a, b| a.as_slice() == b.as_slice());
}

fn round_polygon(rings: &mut Vec<Vec<Position>>) -> bool {
    for r in rings.iter_mut() {
        round_positions(r);
    }
    if rings.first().is_none_or(|r| r.len() < 4) {
        return false;
    }
    rings.retain(|r| r.len() >= 4);
    true
}

/// Rounds coordinates to 6 decimals (about 0.1 m), keeps lon/lat only, drops repeated points
/// and rings that collapse. Returns false if nothing is left.
fn round_geometry(g: &mut GeometryValue) -> bool {
    let two = |p: &mut Position| {
        if p.len() > 2 {
            *p = Position::from([p[0], p[1]]);
        }
    };
    match g {
        GeometryValue::Point { coordinates } => {
            two(coordinates);
            for x in coordinates.as_slice_mut() {
                *x = round6(*x);
            }
            true
        }
        GeometryValue::MultiPoint { coordinates } | GeometryValue::LineString { coordinates } => {
            coordinates.iter_mut().for_each(two);
            round_positions(coordinates);
            !coordinates.is_empty()
        }
        GeometryValue::MultiLineString { coordinates } => {
            for l in coordinates.iter_mut() {
                l.iter_mut().for_each(two);
                round_positions(l);
            }
            coordinates.retain(|l| l.len() >= 2);
            !coordinates.is_empty()
        }
        GeometryValue::Polygon { coordinates } => {
            coordinates.iter_mut().flatten().for_each(two);
            round_polygon(coordinates)
        }
        GeometryValue::MultiPolygon { coordinates } => {
            coordinates.iter_mut().flatten().flatten().for_each(two);
            coordinates.retain_mut(round_polygon);
            !coordinates.is_empty()
        }
        GeometryValue::GeometryCollection { geometries } => {
            geometries.retain_mut(|g| round_geometry(&mut g.value));
            !geometries.is_empty()
        }
    }
}

/// A prefecture: its 2-digit code, its name and its English name.
#[derive(Clone, Copy)]
struct Prefecture<'a> {
    code: &'a str,
    name: &'static str,
    name_en: &'static str,
}

/// The areas of the membership CSV (by area code), and each municipality's area.
struct Membership {
    areas: BTreeMap<String, Area>,
    area_of: BTreeMap<String, String>,
}

/// Converts boundaries + membership into an areas registry file and a boundaries GeoJSON.
pub fn import_areas(input: &AreasInput) -> Result<AreasOutput, ImportError> {
    let pref_code = format!("{:0>2}", nfkc(&input.prefecture));
    let &(_, name, name_en) = PREFECTURES
        .iter()
        .find(|(c, _, _)| *c == pref_code)
        .ok_or_else(|| {
            ImportError::Usage(format!(
                "--prefecture {:?}: not a prefecture code (01..47)",
                input.prefecture
            ))
        })?;
    let pref = Prefecture {
        code: &pref_code,
        name,
        name_en,
    };
    let slug = match &input.slug {
        Some(s) => slug(s),
        None => slug(pref.name_en),
    };
    let mut out = AreasOutput {
        boundaries_path: format!("boundaries/{slug}-municipalities.geojson"),
        slug,
        ..AreasOutput::default()
    };
    let mut membership = read_membership(input, pref, &mut out.warnings)?;
    let (features, feature_names) = read_boundaries(input, pref, &mut out.warnings)?;
    out.features = features.len();
    let source = input
        .geojson_source
        .as_ref()
        .map(|s| format!("\"source\":{},", serde_json::Value::from(s.as_str())))
        .unwrap_or_default();
    out.geojson = format!(
        "{{\"type\":\"FeatureCollection\",{source}\"features\":[\n{}\n]}}\n",
        features.join(",\n")
    );
    cross_check(&mut membership, &feature_names, &mut out.warnings);
    municipality_names_en(input, &mut membership.areas, &mut out.warnings)?;
    area_names_en(input, &mut membership.areas, &mut out.warnings)?;
    out.yaml = areas_yaml(input, pref, &out.boundaries_path, &mut membership.areas);
    out.areas = membership.areas.len();
    out.municipalities = membership.area_of.len();
    Ok(out)
}

/// The prefecture's rows of the membership CSV: areas and their municipalities.
fn read_membership(
    input: &AreasInput,
    pref: Prefecture,
    warnings: &mut Vec<Warning>,
) -> Result<Membership, ImportError> {
    let what = &input.membership_file;
    let (h, rows) = csv_rows(&input.membership_csv, what)?;
    let c_pref = column(&h, &["pref_code", "都道府県コード"], what)?;
    let c_muni = column(&h, &["muni_code5", "muni_code", "市区町村コード"], what)?;
    let c_mname = column(&h, &["muni_name", "市区町村名"], what)?;
    let c_area = column(&h, &["area_code", "医療圏コード", "二次医療圏コード"], what)?;
    let c_aname = column(&h, &["area_name", "医療圏名", "二次医療圏名"], what)?;
    let mut areas: BTreeMap<String, Area> = BTreeMap::new();
    let mut area_of: BTreeMap<String, String> = BTreeMap::new();
    for (line, r) in &rows {
        let g = |i: usize| r.get(i).map(String::as_str).unwrap_or("");
        if format!("{:0>2}", nfkc(g(c_pref))) != pref.code {
            continue;
        }
        let code6 = match muni_code6(g(c_muni)) {
            Ok(c) => c,
            Err(e) => {
                warnings.push(Warning::at(*line, format!("{e}: row skipped")));
                continue;
            }
        };
        let area_code = nfkc(g(c_area));
        if area_code.is_empty() {
            warnings.push(Warning::at(*line, "no area code: row skipped"));
            continue;
        }
        if let Some(prev) = area_of.get(&code6) {
            return Err(ImportError::Input {
                what: what.clone(),
                line: Some(*line),
                message: format!("municipality {code6} is already in area {prev}"),
            });
        }
        area_of.insert(code6.clone(), area_code.clone());
        let area = areas.entry(area_code).or_insert_with(|| Area {
            name: nfkc(g(c_aname)),
            name_en: None,
            munis: Vec::new(),
        });
        area.munis.push(Muni {
            code6,
            name: nfkc(g(c_mname)),
            name_en: None,
        });
    }
    if areas.is_empty() {
        return Err(ImportError::Input {
            what: what.clone(),
            line: None,
            message: format!("no rows for prefecture {}", pref.code),
        });
    }
    Ok(Membership { areas, area_of })
}

/// The prefecture's boundary features (each as one line of GeoJSON, coordinates rounded), and
/// the municipalities' names as the boundaries spell them, by code.
fn read_boundaries(
    input: &AreasInput,
    pref: Prefecture,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<String>, BTreeMap<String, String>), ImportError> {
    let error = |message: String| ImportError::Input {
        what: input.boundaries_file.clone(),
        line: None,
        message,
    };
    let gj: GeoJson = input
        .boundaries_json
        .parse()
        .map_err(|e| error(format!("not GeoJSON: {e}")))?;
    let GeoJson::FeatureCollection(fc) = gj else {
        return Err(error("not a FeatureCollection".into()));
    };
    let mut features: Vec<String> = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut without_code = 0;
    for f in fc.features {
        let props = f.properties.clone().unwrap_or_default();
        let Some(code) = prop_code(props.get(&input.code_property)) else {
            if props.values().any(|v| v.as_str() == Some(pref.name)) {
                without_code += 1;
            }
            continue;
        };
        let Ok(code6) = muni_code6(&code) else {
            continue;
        };
        if !code6.starts_with(pref.code) {
            continue;
        }
        let name = props
            .get(&input.name_property)
            .and_then(|v| v.as_str())
            .map(nfkc)
            .unwrap_or_default();
        // 政令指定都市の区: N03_004 is the ward, N03_003 the city.
        let full = match props.get("N03_003").and_then(|v| v.as_str()) {
            Some(city) if city.ends_with('市') && name.ends_with('区') => format!("{city}{name}"),
            _ => name.clone(),
        };
        names.entry(code6.clone()).or_insert(full);
        let Some(mut geometry) = f.geometry else {
            continue;
        };
        if !round_geometry(&mut geometry.value) {
            continue;
        }
        geometry.bbox = None;
        let mut p = serde_json::Map::new();
        p.insert(input.code_property.clone(), serde_json::Value::String(code));
        p.insert(input.name_property.clone(), serde_json::Value::String(name));
        let feature = serde_json::json!({
            "type": "Feature",
            "properties": p,
            "geometry": geometry,
        });
        features.push(serde_json::to_string(&feature).map_err(|e| error(e.to_string()))?);
    }
    if without_code > 0 {
        warnings.push(Warning::file(format!(
            "{without_code} features of {} have no {} (所属未定地?): not imported",
            pref.name, input.code_property
        )));
    }
    if features.is_empty() {
        return Err(error(format!(
            "no feature with a {} of prefecture {}",
            input.code_property, pref.code
        )));
    }
    Ok((features, names))
}

/// Municipalities without a boundary, or named otherwise there (a ward's name is completed
/// with its city's), and boundaries of no area.
fn cross_check(
    membership: &mut Membership,
    feature_names: &BTreeMap<String, String>,
    warnings: &mut Vec<Warning>,
) {
    for m in membership
        .areas
        .values_mut()
        .flat_map(|a| a.munis.iter_mut())
    {
        match feature_names.get(&m.code6) {
            None => warnings.push(Warning::file(format!(
                "municipality {} {} has no boundary feature",
                m.code6, m.name
            ))),
            Some(full) if *full != m.name => {
                if full.ends_with(&m.name) {
                    m.name = full.clone();
                } else {
                    warnings.push(Warning::file(format!(
                        "municipality {} is {} in the membership CSV but {} in the boundaries; kept {}",
                        m.code6, m.name, full, m.name
                    )));
                }
            }
            Some(_) => {}
        }
    }
    for (code, name) in feature_names {
        if !membership.area_of.contains_key(code) {
            warnings.push(Warning::file(format!(
                "boundary feature {code} {name} is in no area of the membership CSV"
            )));
        }
    }
}

/// The municipalities' English names, romanised from the readings of `--readings`.
fn municipality_names_en(
    input: &AreasInput,
    areas: &mut BTreeMap<String, Area>,
    warnings: &mut Vec<Warning>,
) -> Result<(), ImportError> {
    let Some(text) = &input.readings_csv else {
        warnings.push(Warning::file(
            "no --readings: municipalities have no name_en",
        ));
        return Ok(());
    };
    let (h, rows) = csv_rows(text, "readings")?;
    let c_code = column(
        &h,
        &["lgcode", "cid", "code", "muni_code", "muni_code5"],
        "readings",
    )?;
    let c_kana = column(
        &h,
        &["citykana", "kana", "reading", "よみ", "ふりがな"],
        "readings",
    )?;
    let mut kana: BTreeMap<String, String> = BTreeMap::new();
    for (_, r) in rows {
        if let (Some(c), Some(k)) = (r.get(c_code), r.get(c_kana))
            && let Ok(c6) = muni_code6(c)
        {
            kana.insert(c6, k.clone());
        }
    }
    for m in areas.values_mut().flat_map(|a| a.munis.iter_mut()) {
        let Some(k) = kana.get(&m.code6) else {
            warnings.push(Warning::file(format!(
                "no reading for {} {}: no name_en",
                m.code6, m.name
            )));
            continue;
        };
        match municipality_name_en(&m.name, k) {
            Some(en) => m.name_en = Some(en),
            None => warnings.push(Warning::file(format!(
                "reading {k:?} of {} is not kana: no name_en",
                m.name
            ))),
        }
    }
    Ok(())
}

/// The areas' English names from `--area-names`; each area without one is reported.
fn area_names_en(
    input: &AreasInput,
    areas: &mut BTreeMap<String, Area>,
    warnings: &mut Vec<Warning>,
) -> Result<(), ImportError> {
    if let Some(text) = &input.area_names_csv {
        let (h, rows) = csv_rows(text, "area names")?;
        let c_code = column(&h, &["area_code", "code"], "area names")?;
        let c_en = column(&h, &["name_en", "english"], "area names")?;
        for (_, r) in rows {
            if let (Some(c), Some(en)) = (r.get(c_code), r.get(c_en))
                && let Some(a) = areas.get_mut(&nfkc(c))
                && !en.is_empty()
            {
                a.name_en = Some(en.clone());
            }
        }
    }
    for (code, a) in areas.iter() {
        if a.name_en.is_none() {
            warnings.push(Warning::file(format!(
                "area {code} {} has no English name: add it to --area-names",
                a.name
            )));
        }
    }
    Ok(())
}

/// The areas registry file (`data/areas/<slug>.yaml`), municipalities in code order.
fn areas_yaml(
    input: &AreasInput,
    pref: Prefecture,
    boundaries_path: &str,
    areas: &mut BTreeMap<String, Area>,
) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Imported by kenkomap from {} and {}.",
        input.boundaries_file, input.membership_file
    );
    let _ = writeln!(y, "# Source: {}", input.source.replace('\n', " "));
    if !input.command.is_empty() {
        let _ = writeln!(y, "# Command: {}", input.command);
    }
    let _ = writeln!(
        y,
        "prefecture: {{ code: {}, name: {}, name_en: {} }}",
        flow_scalar(pref.code),
        flow_scalar(pref.name),
        flow_scalar(pref.name_en)
    );
    let _ = writeln!(y, "boundaries: {}", scalar(boundaries_path));
    let _ = writeln!(y, "code_property: {}", scalar(&input.code_property));
    let _ = writeln!(y, "areas:");
    for (code, a) in areas.iter_mut() {
        a.munis.sort_by(|x, y| x.code6.cmp(&y.code6));
        let _ = writeln!(y, "  - code: {}", scalar(code));
        let _ = writeln!(y, "    name: {}", scalar(&a.name));
        if let Some(en) = &a.name_en {
            let _ = writeln!(y, "    name_en: {}", scalar(en));
        }
        let _ = writeln!(y, "    municipalities:");
        for m in &a.munis {
            let en = m
                .name_en
                .as_ref()
                .map(|e| format!(", name_en: {}", flow_scalar(e)))
                .unwrap_or_default();
            let _ = writeln!(
                y,
                "      - {{ code: {}, name: {}{en} }}",
                flow_scalar(&m.code6),
                flow_scalar(&m.name)
            );
        }
    }
    y
}

#[derive(Deserialize)]
struct AreasFile {
    prefecture: PrefectureEntry,
    #[serde(default)]
    areas: Vec<AreaEntry>,
}

#[derive(Deserialize)]
struct PrefectureEntry {
    name: String,
}

#[derive(Deserialize)]
struct AreaEntry {
    #[serde(default)]
    municipalities: Vec<MuniEntry>,
}

#[derive(Deserialize)]
struct MuniEntry {
    code: String,
    name: String,
}

/// 6-digit code -> (prefecture name, municipality name), from `data/areas/*.yaml`.
pub(super) fn municipality_names(
    dir: &Path,
) -> Result<BTreeMap<String, (String, String)>, ImportError> {
    let io = |source| ImportError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut names = BTreeMap::new();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    paths.sort();
    for p in paths {
        let text = super::read_document(&p)?;
        let f: AreasFile = serde_saphyr::from_str(&text).map_err(|e| ImportError::Input {
            what: p.display().to_string(),
            line: None,
            message: e.to_string(),
        })?;
        for m in f.areas.into_iter().flat_map(|a| a.municipalities) {
            if let Ok(c) = muni_code6(&m.code) {
                names.insert(c, (f.prefecture.name.clone(), m.name));
            }
        }
    }
    if names.is_empty() {
        return Err(ImportError::Usage(format!(
            "--address-relative needs municipality names from {}: run `kenkomap import areas` first",
            dir.display()
        )));
    }
    Ok(names)
}
