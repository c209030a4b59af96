//! Geo phase: municipality boundaries, a spatial index over them, the area of every record,
//! and each area's polygon dissolved from its municipalities.

use std::collections::HashMap;
use std::path::Path;

use geo::{
    BooleanOps, BoundingRect, Closest, ClosestPoint, Contains, Distance, Haversine, MultiPolygon,
    Point, Polygon,
};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::load::files::{Refused, SiteFiles, limits};
use crate::registry::{AreasFile, MuniCode, Record, RecordId, id_type, indexed_by};

pub mod budget;
pub mod successions;

/// A point farther than this from every municipality polygon is not assigned to any.
/// (The demo boundaries are simplified to 1 %; small islands fall outside their coastline.)
pub const NEAREST_MAX_KM: f64 = 5.0;

/// How far outside its declared municipality a location may be before we warn. Boundaries
/// published for the web are simplified, so points near a border or the coast are often a
/// few hundred metres "outside" without anything being wrong.
pub const OUTSIDE_TOLERANCE_KM: f64 = 0.3;

id_type!(
    /// An area's (二次医療圏's) place in [`Geo::areas`], which is also its place in the model's
    /// areas.
    AreaId,
    "areas"
);
indexed_by!(AreaId => AreaGeom);
indexed_by!(RecordId => Option<Placement>);

#[derive(Debug)]
pub struct MunicipalityGeom {
    pub code: MuniCode,
    pub name: String,
    pub name_en: Option<String>,
    pub area: AreaId,
    /// Empty when the boundaries file has no polygon for it (reported as W0504).
    pub polygon: MultiPolygon<f64>,
}

#[derive(Debug)]
pub struct AreaGeom {
    /// Index into the site's areas files.
    pub prefecture: usize,
    /// Index into that file's `areas`.
    pub index: usize,
    pub code: String,
    /// Indices into [`Geo::municipalities`].
    pub municipalities: Vec<usize>,
    /// The union of its municipalities.
    pub polygon: MultiPolygon<f64>,
}

type PartBox = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Boundaries of every municipality of the site and an R-tree over their polygons' parts.
#[derive(Debug, Default)]
pub struct Geo {
    pub municipalities: Vec<MunicipalityGeom>,
    pub areas: Vec<AreaGeom>,
    by_code: HashMap<MuniCode, usize>,
    index: RTree<PartBox>,
    /// False when a boundaries file could not be read: locations are then not checked, since
    /// every one would be reported for the one missing file.
    pub complete: bool,
}

/// Where a record is: its municipality and area (indices into [`Geo`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub municipality: usize,
    pub area: AreaId,
}

impl Geo {
    pub fn area(&self, a: AreaId) -> &AreaGeom {
        &self.areas[a.index()]
    }

    /// The areas with their ids, in order.
    pub fn area_ids(&self) -> impl ExactSizeIterator<Item = AreaId> {
        AreaId::all(self.areas.len())
    }

    pub fn municipality(&self, code: MuniCode) -> Option<usize> {
        self.by_code.get(&code).copied()
    }

    /// The municipality whose polygon contains the point.
    pub fn locate(&self, lat: f64, lon: f64) -> Option<usize> {
        let point = Point::new(lon, lat);
        self.index
            .locate_all_at_point(&[lon, lat])
            .map(|part| part.data)
            .find(|&m| self.municipalities[m].polygon.contains(&point))
    }

    /// Distance in km from the point to the municipality's polygon (0 inside).
    pub fn distance_km(&self, municipality: usize, lat: f64, lon: f64) -> Option<f64> {
        let polygon = &self.municipalities[municipality].polygon;
        if polygon.0.is_empty() {
            return None;
        }
        let point = Point::new(lon, lat);
        if polygon.contains(&point) {
            return Some(0.0);
        }
        match polygon.closest_point(&point) {
            Closest::Intersection(_) => Some(0.0),
            Closest::SinglePoint(p) => Some(Haversine.distance(point, p) / 1000.0),
            Closest::Indeterminate => None,
        }
    }

    /// The nearest municipality within `max_km`, for points just off a simplified coastline.
    pub fn nearest(&self, lat: f64, lon: f64, max_km: f64) -> Option<(usize, f64)> {
        // Bounding boxes are in degrees; check the few nearest boxes by true distance.
        self.index
            .nearest_neighbor_iter(&[lon, lat])
            .take(12)
            .filter_map(|part| Some((part.data, self.distance_km(part.data, lat, lon)?)))
            .filter(|(_, km)| *km <= max_km)
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// Builds the index from the areas files and their boundaries (paths relative to the
    /// site's `data/`).
    pub fn build(areas_files: &[AreasFile], site: &SiteFiles) -> (Geo, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut geo = Geo {
            complete: true,
            ..Geo::default()
        };
        let mut first_listed: HashMap<MuniCode, Span> = HashMap::new();
        for (p, file) in areas_files.iter().enumerate() {
            let polygons = match read_boundaries(site, &file.boundaries.value, &file.code_property)
            {
                Ok(polygons) => polygons,
                Err((code, message)) => {
                    geo.complete = false;
                    diags.push(
                        Diagnostic::new(code, file.boundaries.span, message)
                            .help("`boundaries` is a GeoJSON FeatureCollection path relative to data/; run `kenkomap import areas` to make one"),
                    );
                    HashMap::new()
                }
            };
            for (a, area) in file.areas.iter().enumerate() {
                let area_index = AreaId::new(geo.areas.len());
                let mut members = Vec::new();
                for m in &area.municipalities {
                    if let Some(first) = first_listed.get(&m.code.value) {
                        diags.push(
                            Diagnostic::new(
                                Code::MunicipalityTwice,
                                m.code.span,
                                format!(
                                    "municipality {} ({}) is listed twice",
                                    m.code.value, m.name
                                ),
                            )
                            .note(*first, "first listed here")
                            .help("a municipality belongs to exactly one 二次医療圏"),
                        );
                        continue;
                    }
                    first_listed.insert(m.code.value, m.code.span);
                    let polygon = polygons
                        .get(&m.code.value)
                        .cloned()
                        .unwrap_or_else(|| MultiPolygon::new(Vec::new()));
                    if polygon.0.is_empty() && !polygons.is_empty() {
                        diags.push(
                            Diagnostic::new(
                                Code::NoPolygon,
                                m.code.span,
                                format!("{} ({}) has no polygon in {}", m.name, m.code.value, file.boundaries.value),
                            )
                            .help("records there need a `municipality` code; their locations cannot be checked"),
                        );
                    }
                    geo.by_code.insert(m.code.value, geo.municipalities.len());
                    members.push(geo.municipalities.len());
                    geo.municipalities.push(MunicipalityGeom {
                        code: m.code.value,
                        name: m.name.clone(),
                        name_en: m.name_en.clone(),
                        area: area_index,
                        polygon,
                    });
                }
                geo.areas.push(AreaGeom {
                    prefecture: p,
                    index: a,
                    code: area.code.value.clone(),
                    municipalities: members,
                    polygon: MultiPolygon::new(Vec::new()),
                });
            }
        }
        let parts: Vec<PartBox> = geo
            .municipalities
            .iter()
            .enumerate()
            .flat_map(|(i, m)| {
                m.polygon.0.iter().filter_map(move |poly| {
                    let rect = poly.bounding_rect()?;
                    Some(GeomWithData::new(
                        Rectangle::from_corners(
                            [rect.min().x, rect.min().y],
                            [rect.max().x, rect.max().y],
                        ),
                        i,
                    ))
                })
            })
            .collect();
        geo.index = RTree::bulk_load(parts);
        let dissolved: Vec<Result<MultiPolygon<f64>, Diagnostic>> = geo
            .areas
            .par_iter()
            .map(|area| {
                let members: Vec<&MultiPolygon<f64>> = area
                    .municipalities
                    .iter()
                    .map(|&m| &geo.municipalities[m].polygon)
                    .collect();
                // Checked first: the union of a self-crossing ring can take minutes.
                budget::check_polygons(&members)
                    .map(|()| dissolve(members.into_iter()))
                    .map_err(|problem| geo.geometry_problem(areas_files, area, problem))
            })
            .collect();
        for (area, polygon) in geo.areas.iter_mut().zip(dissolved) {
            match polygon {
                Ok(polygon) => area.polygon = polygon,
                Err(d) => diags.push(d),
            }
        }
        (geo, diags)
    }

    /// E0502 for an area whose polygons cannot be used, at its file's `boundaries`.
    fn geometry_problem(
        &self,
        areas_files: &[AreasFile],
        area: &AreaGeom,
        problem: budget::Problem,
    ) -> Diagnostic {
        let file = &areas_files[area.prefecture];
        let message = match problem {
            budget::Problem::Crossing { polygon, at } => {
                let m = &self.municipalities[area.municipalities[polygon]];
                format!(
                    "the polygon of {} ({}) in {} crosses itself near {:.5}, {:.5}",
                    m.name, m.code, file.boundaries.value, at.y, at.x
                )
            }
            budget::Problem::TooComplex => format!(
                "the polygons of area {} in {} overlap too much to be checked",
                area.code, file.boundaries.value
            ),
        };
        Diagnostic::new(Code::BadBoundaries, file.boundaries.span, message).help(
            "fix the geometry (e.g. QGIS: Fix geometries) or re-import the boundaries with `kenkomap import areas`",
        )
    }

    /// The bounding box (min lon, min lat, max lon, max lat) of some municipalities.
    pub fn bounds(&self, municipalities: &[usize]) -> Option<AABB<[f64; 2]>> {
        let mut envelope: Option<AABB<[f64; 2]>> = None;
        for &m in municipalities {
            for poly in &self.municipalities[m].polygon.0 {
                if let Some(r) = poly.bounding_rect() {
                    let b = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                    envelope = Some(match envelope {
                        Some(e) => rstar::Envelope::merged(&e, &b),
                        None => b,
                    });
                }
            }
        }
        envelope
    }
}

/// Finds municipalities for coordinates. Defined here, below the
/// importers that ask it, and implemented by [`Geo`]; the importers' tests use a double.
pub trait MunicipalityLocator {
    /// The 6-digit code of the municipality containing the point, if any.
    fn locate(&self, lat: f64, lon: f64) -> Option<String>;
    /// Distance in km from the point to the municipality (0 inside); `None` if the code is unknown.
    fn distance_km(&self, code: &str, lat: f64, lon: f64) -> Option<f64>;
}

/// The importers ask the site's boundaries where a point is.
impl MunicipalityLocator for Geo {
    fn locate(&self, lat: f64, lon: f64) -> Option<String> {
        Geo::locate(self, lat, lon).map(|m| self.municipalities[m].code.to_string())
    }

    fn distance_km(&self, code: &str, lat: f64, lon: f64) -> Option<f64> {
        let code = MuniCode::parse(code).ok()?;
        Geo::distance_km(self, self.municipality(code)?, lat, lon)
    }
}

/// The union of polygons (shared borders disappear).
pub fn dissolve<'a>(polygons: impl Iterator<Item = &'a MultiPolygon<f64>>) -> MultiPolygon<f64> {
    let parts: Vec<&Polygon<f64>> = polygons.flat_map(|mp| mp.0.iter()).collect();
    if parts.is_empty() {
        return MultiPolygon::new(Vec::new());
    }
    let mut result = MultiPolygon::new(vec![parts[0].clone()]);
    for part in &parts[1..] {
        result = result.union(*part);
    }
    result
}

/// Reads a GeoJSON FeatureCollection of municipality (Multi)Polygons keyed by `code_property`
/// (5 or 6 digits, as text or number). Several features of one code are merged. `written` is
/// the path relative to `data/` as the areas file gives it. Files outside the site, and
/// files or rings over their budgets, are refused before their geometry is used.
pub fn read_boundaries(
    site: &SiteFiles,
    written: &str,
    code_property: &str,
) -> Result<HashMap<MuniCode, MultiPolygon<f64>>, (Code, String)> {
    let shown = format!("boundaries file data/{}", written.replace('\\', "/"));
    let refused = |r: Refused| match r {
        Refused::Missing => (Code::BadBoundaries, format!("{shown} does not exist")),
        other => (
            Code::FileRefused,
            format!("boundaries file \"{written}\" {}", other.reason()),
        ),
    };
    let rel = site.relative(Path::new("data"), written).map_err(refused)?;
    let bytes = site.read(&rel, limits::BOUNDARIES).map_err(refused)?;
    let bad = |message: String| (Code::BadBoundaries, message);
    let text = String::from_utf8(bytes).map_err(|_| bad(format!("{shown} is not UTF-8 text")))?;
    let collection: geojson::FeatureCollection = text
        .parse()
        .map_err(|e| bad(format!("{shown} is not a GeoJSON FeatureCollection: {e}")))?;
    let mut out: HashMap<MuniCode, MultiPolygon<f64>> = HashMap::new();
    let mut vertices = 0usize;
    for (i, feature) in collection.features.into_iter().enumerate() {
        let code = feature
            .properties
            .as_ref()
            .and_then(|p| p.get(code_property))
            .and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(format!("{:05}", n.as_u64()?)),
                _ => None,
            })
            .ok_or_else(|| {
                bad(format!(
                    "feature #{i} of {shown} has no `{code_property}` property"
                ))
            })?;
        let code = MuniCode::parse(&code).map_err(|_| {
            bad(format!(
                "feature #{i} of {shown}: `{code_property}` \"{code}\" is not a municipality code"
            ))
        })?;
        let Some(geometry) = feature.geometry else {
            continue;
        };
        let polygons = match geo::Geometry::<f64>::try_from(geometry.value) {
            Ok(geo::Geometry::Polygon(p)) => vec![p],
            Ok(geo::Geometry::MultiPolygon(mp)) => mp.0,
            Ok(_) => {
                return Err(bad(format!(
                    "feature {code} of {shown} is not a (Multi)Polygon"
                )));
            }
            Err(e) => return Err(bad(format!("feature {code} of {shown}: {e}"))),
        };
        for ring in polygons
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        {
            if ring.0.len() > budget::MAX_RING_VERTICES {
                return Err(bad(format!(
                    "a ring of feature {code} in {shown} has {} vertices, more than {}: simplify the boundaries for the web (`kenkomap import areas` does)",
                    ring.0.len(),
                    budget::MAX_RING_VERTICES
                )));
            }
            vertices += ring.0.len();
        }
        if vertices > budget::MAX_FILE_VERTICES {
            return Err(bad(format!(
                "{shown} has more than {} vertices: simplify the boundaries for the web (`kenkomap import areas` does)",
                budget::MAX_FILE_VERTICES
            )));
        }
        out.entry(code)
            .or_insert_with(|| MultiPolygon::new(Vec::new()))
            .0
            .extend(polygons);
    }
    Ok(out)
}

/// `serves` codes of consultation bodies must be municipalities of the site: a check of the
/// geo phase, which knows the municipalities.
pub fn unknown_serves(records: &[Record], geo: &Geo) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for r in records {
        let crate::registry::Details::Consultation(c) = &r.details else {
            continue;
        };
        for code in &c.serves {
            if geo.municipality(code.value).is_none() {
                diags.push(
                    Diagnostic::new(
                        Code::UnknownServes,
                        code.span,
                        format!("`serves` code {} is not a municipality of any areas file", code.value),
                    )
                    .label("unknown municipality")
                    .help("list municipality codes from data/areas/*.yaml; leave `serves` out to serve the body's own area"),
                );
            }
        }
    }
    diags
}

/// Assigns every record its municipality and area, or reports why it cannot be placed.
pub fn place_records(records: &[Record], geo: &Geo) -> (Vec<Option<Placement>>, Vec<Diagnostic>) {
    let results: Vec<(Option<Placement>, Vec<Diagnostic>)> =
        records.par_iter().map(|r| place(r, geo)).collect();
    let mut diags = Vec::new();
    let placements = results
        .into_iter()
        .map(|(p, d)| {
            diags.extend(d);
            p
        })
        .collect();
    (placements, diags)
}

fn place(record: &Record, geo: &Geo) -> (Option<Placement>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let placement = |m: usize| Placement {
        municipality: m,
        area: geo.municipalities[m].area,
    };
    let declared = match &record.municipality {
        Some(code) => match geo.municipality(code.value) {
            Some(m) => Some(m),
            None => {
                let (placed, d) = place_unknown_code(record, code, geo);
                diags.push(d);
                return (placed.map(placement), diags);
            }
        },
        None => None,
    };
    // Neither municipality nor location is reported while decoding (E0205).
    let Some(location) = &record.location else {
        return (declared.map(placement), diags);
    };
    let (lat, lon) = (location.lat, location.lon);
    if !geo.complete {
        return (declared.map(placement), diags);
    }
    if let Some(m) = declared {
        if let Some(km) = geo.distance_km(m, lat, lon)
            && km > OUTSIDE_TOLERANCE_KM
        {
            let found = geo.locate(lat, lon).map(|o| &geo.municipalities[o]);
            let mut d = Diagnostic::new(
                Code::OutsideMunicipality,
                location.span,
                format!(
                    "location is {km:.1} km outside {} ({}), its declared municipality",
                    geo.municipalities[m].name, geo.municipalities[m].code
                ),
            );
            d = match found {
                Some(other) => d.help(format!(
                    "the point is in {} ({}); check the coordinates or the municipality code",
                    other.name, other.code
                )),
                None => d.help("check the coordinates (are they on the right island?)"),
            };
            diags.push(d);
        }
        return (Some(placement(m)), diags);
    }
    if let Some(m) = geo.locate(lat, lon) {
        return (Some(placement(m)), diags);
    }
    match geo.nearest(lat, lon, NEAREST_MAX_KM) {
        Some((m, km)) => {
            diags.push(
                Diagnostic::new(
                    Code::NearestMunicipality,
                    location.span,
                    format!(
                        "location is outside every municipality polygon; assigned to {} ({}), {km:.1} km away",
                        geo.municipalities[m].name, geo.municipalities[m].code
                    ),
                )
                .help(format!("add `municipality: \"{}\"` to confirm", geo.municipalities[m].code)),
            );
            (Some(placement(m)), diags)
        }
        None => {
            diags.push(
                Diagnostic::new(
                    Code::Unlocatable,
                    location.span,
                    format!(
                        "location {lat}, {lon} is not in or near any municipality of this site"
                    ),
                )
                .help("check the coordinates, or add `municipality` with the right code"),
            );
            (None, diags)
        }
    }
}

/// A record whose municipality code the site's areas files do not list. Codes change
/// (mergers, new wards) and registries are often newer than the boundaries: the location
/// places the record when it has one, else a known succession does when its predecessors all
/// lie in one area. Either way a warning (W0203) says where and why; only a record that
/// neither can place is an error (E0202).
fn place_unknown_code(
    record: &Record,
    code: &crate::registry::Sp<MuniCode>,
    geo: &Geo,
) -> (Option<usize>, Diagnostic) {
    let succession = successions::succession_of(code.value);
    let predecessors: Vec<usize> = succession
        .map(|s| {
            s.predecessor_codes()
                .filter_map(|c| geo.municipality(c))
                .collect()
        })
        .unwrap_or_default();
    let what = match succession {
        Some(s) => format!("{} ({}, since {})", code.value, s.name, s.since),
        None => code.value.to_string(),
    };
    let help = "the code is newer than the site's boundaries, or wrong: update data/areas (`kenkomap import areas`), or write a code the areas files list";
    let by_location = record
        .location
        .as_ref()
        .filter(|_| geo.complete)
        .and_then(|l| {
            geo.locate(l.lat, l.lon)
                .or_else(|| geo.nearest(l.lat, l.lon, NEAREST_MAX_KM).map(|(m, _)| m))
        });
    if let Some(m) = by_location {
        let found = &geo.municipalities[m];
        let message = format!(
            "municipality {what} is not in any areas file; placed in {} ({}) by its location",
            found.name, found.code
        );
        return (
            Some(m),
            Diagnostic::new(Code::PlacedAnyway, code.span, message).help(help),
        );
    }
    let one_area = predecessors
        .windows(2)
        .all(|w| geo.municipalities[w[0]].area == geo.municipalities[w[1]].area);
    if let (Some(&first), true) = (predecessors.first(), one_area) {
        let pred = &geo.municipalities[first];
        let message = format!(
            "municipality {what} is not in any areas file; placed with its predecessor {} ({}), in the same 二次医療圏",
            pred.name, pred.code
        );
        let help = "add `location` to place it exactly, or update data/areas to boundaries that have the new code";
        return (
            Some(first),
            Diagnostic::new(Code::PlacedAnyway, code.span, message).help(help),
        );
    }
    let d = Diagnostic::new(
        Code::UnknownMunicipality,
        code.span,
        format!("municipality {what} is not in any areas file"),
    )
    .label("unknown municipality")
    .help("check the code, add `location` so that the record can be placed, or add the municipality to data/areas/<prefecture>.yaml");
    (None, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, polygon};

    #[test]
    fn dissolve_merges_neighbours_and_keeps_islands() {
        let a = MultiPolygon::new(vec![
            polygon![(x: 0., y: 0.), (x: 1., y: 0.), (x: 1., y: 1.), (x: 0., y: 1.)],
        ]);
        let b = MultiPolygon::new(vec![
            polygon![(x: 1., y: 0.), (x: 2., y: 0.), (x: 2., y: 1.), (x: 1., y: 1.)],
        ]);
        let island = MultiPolygon::new(vec![
            polygon![(x: 5., y: 5.), (x: 6., y: 5.), (x: 6., y: 6.), (x: 5., y: 6.)],
        ]);
        let d = dissolve([&a, &b, &island].into_iter());
        assert_eq!(d.0.len(), 2);
        assert!((d.unsigned_area() - 3.0).abs() < 1e-9);
    }
}

/// Simplifies municipality outlines for the web while keeping shared borders identical: every
/// ring is cut into runs of vertices used by the same set of municipalities, and each run is
/// simplified once (Ramer–Douglas–Peucker, ends fixed) in a canonical direction, so the two
/// neighbours of a border keep exactly the same points and no gap or overlap appears.
pub fn simplify_shared(polygons: &[&MultiPolygon<f64>], epsilon: f64) -> Vec<MultiPolygon<f64>> {
    use geo::{Coord, LineString, Simplify};
    type Key = (i64, i64);
    let key = |c: &Coord<f64>| ((c.x * 1e9).round() as i64, (c.y * 1e9).round() as i64);
    // Which municipalities use each vertex, and which vertices it is joined to: a vertex
    // joined to more than two others is where borders meet, even when the same pair of
    // municipalities is on both sides.
    let mut owners: HashMap<Key, Vec<usize>> = HashMap::new();
    let mut joined: HashMap<Key, Vec<Key>> = HashMap::new();
    for (m, mp) in polygons.iter().enumerate() {
        for poly in &mp.0 {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for c in ring.coords() {
                    let list = owners.entry(key(c)).or_default();
                    if !list.contains(&m) {
                        list.push(m);
                    }
                }
                for w in ring.0.windows(2) {
                    let (a, b) = (key(&w[0]), key(&w[1]));
                    for (x, y) in [(a, b), (b, a)] {
                        let list = joined.entry(x).or_default();
                        if !list.contains(&y) {
                            list.push(y);
                        }
                    }
                }
            }
        }
    }
    let junction = |c: &Coord<f64>| joined.get(&key(c)).is_some_and(|j| j.len() > 2);
    let simplify_ring = |ring: &LineString<f64>| -> LineString<f64> {
        let coords: Vec<Coord<f64>> = ring.coords().copied().collect();
        if coords.len() < 5 {
            return ring.clone();
        }
        let owner = |c: &Coord<f64>| owners.get(&key(c)).cloned().unwrap_or_default();
        // Fixed points: where the owner set changes (junctions of three municipalities, the
        // ends of a shared border), plus the ring's start.
        let n = coords.len() - 1;
        let mut fixed: Vec<usize> = (0..n)
            .filter(|&i| {
                let prev = &coords[(i + n - 1) % n];
                junction(&coords[i])
                    || owner(prev) != owner(&coords[i])
                    || owner(&coords[i]) != owner(&coords[(i + 1) % n])
            })
            .collect();
        if fixed.is_empty() {
            fixed.push(0);
        }
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(coords.len());
        for (f, &start) in fixed.iter().enumerate() {
            let end = if f + 1 < fixed.len() {
                fixed[f + 1]
            } else {
                fixed[0] + n
            };
            let run: Vec<Coord<f64>> = (start..=end).map(|i| coords[i % n]).collect();
            // The same run, seen from either neighbour, is simplified in one direction.
            let reversed = (run[0].x, run[0].y) > (run[run.len() - 1].x, run[run.len() - 1].y);
            let canonical: Vec<Coord<f64>> = if reversed {
                run.iter().rev().copied().collect()
            } else {
                run
            };
            let mut kept: Vec<Coord<f64>> = LineString::from(canonical).simplify(epsilon).0;
            if reversed {
                kept.reverse();
            }
            kept.pop();
            out.extend(kept);
        }
        out.push(out[0]);
        if out.len() < 4 {
            return ring.clone();
        }
        LineString::from(out)
    };
    polygons
        .iter()
        .map(|mp| {
            MultiPolygon::new(
                mp.0.iter()
                    .map(|p| {
                        Polygon::new(
                            simplify_ring(p.exterior()),
                            p.interiors().iter().map(&simplify_ring).collect(),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod simplify_tests {
    use super::*;
    use geo::{Coord, LineString};

    #[test]
    fn shared_borders_stay_identical() {
        // Two squares sharing a wiggly border x = 1 (with tiny wiggles to simplify away).
        let border: Vec<(f64, f64)> = (0..=20)
            .map(|i| (1.0 + if i % 2 == 1 { 0.0001 } else { 0.0 }, i as f64 / 20.0))
            .collect();
        let mut left: Vec<(f64, f64)> = vec![(0.0, 0.0)];
        left.extend(border.iter().copied());
        left.extend([(0.0, 1.0), (0.0, 0.0)]);
        let mut right: Vec<(f64, f64)> = vec![(2.0, 0.0), (2.0, 1.0)];
        right.extend(border.iter().rev().copied());
        right.push((2.0, 0.0));
        let a = MultiPolygon::new(vec![Polygon::new(LineString::from(left), vec![])]);
        let b = MultiPolygon::new(vec![Polygon::new(LineString::from(right), vec![])]);
        let out = simplify_shared(&[&a, &b], 0.001);
        let on_border = |mp: &MultiPolygon<f64>| -> Vec<(i64, i64)> {
            let mut v: Vec<(i64, i64)> = mp.0[0]
                .exterior()
                .coords()
                .filter(|c: &&Coord<f64>| (c.x - 1.0).abs() < 0.01)
                .map(|c| ((c.x * 1e6) as i64, (c.y * 1e6) as i64))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        assert_eq!(on_border(&out[0]), on_border(&out[1]));
        assert!(
            on_border(&out[0]).len() < 21,
            "the wiggles are simplified away"
        );
    }
}
