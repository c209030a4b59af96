//! GeoJSON exports (RFC 7946: WGS84, longitude first).
//!
//! - `data/resources.geojson`: every record, published or closed (with its `status`);
//!   records without a location have a `null` geometry.
//! - `data/areas/<code>.geojson`: the published records of one area, used by the Leaflet map;
//!   it carries the "open now" schedules as a foreign member `schedules`, referenced by index
//!   from each feature's `schedule` property.
//! - `data/boundaries/<code>.geojson`: the area's municipalities, simplified for the web.

use std::collections::HashMap;

use geo::MultiPolygon;
use serde_json::{Map, Value, json};

use crate::model::{AreaId, Model};
use crate::registry::{Details, Record, RecordId};

/// Degrees kept in coordinates: 6 decimals is ~0.1 m, plenty for a point.
fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Every public field of a record as GeoJSON properties. Names follow the YAML schema, so
/// the README's field reference documents both.
pub fn properties(model: &Model, i: RecordId) -> Map<String, Value> {
    let r: &Record = model.record(i);
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        if !v.is_null() && v != json!([]) {
            p.insert(k.to_owned(), v);
        }
    };
    put("id", json!(r.id.value));
    put("kind", json!(r.kind));
    put("type", json!(r.record_type.value));
    put("name", json!(r.name.value));
    put("name_kana", json!(r.name_kana.as_ref().map(|s| &s.value)));
    put("name_en", json!(r.name_en.as_ref().map(|s| &s.value)));
    if let Some(pl) = model.site.placements[i] {
        let m = &model.site.geo.municipalities[pl.municipality];
        put("municipality", json!(m.code));
        put("municipality_name", json!(m.name));
        put("area", json!(model.site.geo.areas[pl.area].code));
    }
    put("address", json!(r.address.as_ref().map(|s| &s.value)));
    put("phone", json!(r.phone));
    put("fax", json!(r.fax.as_ref().map(|s| &s.value)));
    put("email", json!(r.email.as_ref().map(|s| &s.value)));
    put("url", json!(r.url));
    put("hours", json!(r.hours.as_ref().map(|h| h.raw())));
    put("hours_note", json!(r.hours_note.as_ref().map(|s| &s.value)));
    put("languages", json!(r.languages));
    put("accessibility", json!(r.accessibility));
    put("fee", json!(r.fee));
    put(
        "description",
        json!(r.description.as_ref().map(|s| &s.value)),
    );
    put(
        "description_en",
        json!(r.description_en.as_ref().map(|s| &s.value)),
    );
    put(
        "verified",
        json!(r.verified.as_ref().map(|d| d.value.to_string())),
    );
    put(
        "valid_until",
        json!(r.valid_until.as_ref().map(|d| d.value.to_string())),
    );
    put("status", json!(r.status));
    put("source", json!(r.source.as_ref().map(|s| &s.value)));
    if r.sample {
        put("sample", json!(true));
    }
    match &r.details {
        Details::Facility(d) => {
            put("departments", json!(d.departments));
            put("beds", json!(d.beds));
            put("emergency", json!(d.emergency));
            put("checkups", json!(d.checkups));
        }
        Details::Park(d) => {
            put("amenities", json!(d.amenities));
            put("course_km", json!(d.course_km));
        }
        Details::Restaurant(d) => {
            put("certification", json!(d.certification));
            put("menus", json!(d.menus));
            put("smoke_free", json!(d.smoke_free));
        }
        Details::Consultation(d) => {
            put("audiences", json!(d.audiences));
            put("topics", json!(d.topics));
            put("channels", json!(d.channels));
            put("max_employees", json!(d.max_employees));
            put("reservation", json!(d.reservation));
            put("anonymous", json!(d.anonymous));
            put("serves", json!(d.serves));
            put("registration", json!(d.registration));
        }
    }
    if r.is_published() {
        put("page", json!(format!("{}/{}/", r.kind, r.id.value)));
    }
    p
}

fn point(r: &Record) -> Value {
    match &r.location {
        Some(l) => json!({ "type": "Point", "coordinates": [round(l.lon, 6), round(l.lat, 6)] }),
        None => Value::Null,
    }
}

/// `data/resources.geojson`, serialised in parallel chunks (a national site has ~80,000
/// features; they never sit in memory as JSON values all at once).
pub fn resources(model: &Model) -> Vec<u8> {
    use rayon::prelude::*;
    let chunks: Vec<Vec<u8>> = model
        .record_ids()
        .collect::<Vec<_>>()
        .par_chunks(4096)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() * 512);
            for &i in chunk {
                if i.index() > 0 {
                    out.push(b',');
                }
                let feature = json!({ "type": "Feature", "id": model.record(i).id.value,
                                      "geometry": point(model.record(i)), "properties": properties(model, i) });
                serde_json::to_writer(&mut out, &feature).expect("JSON");
            }
            out
        })
        .collect();
    let mut out = br#"{"type":"FeatureCollection","features":["#.to_vec();
    for c in chunks {
        out.extend(c);
    }
    out.extend_from_slice(b"]}");
    out
}

/// `data/areas/<code>.geojson` for the area at `a`.
pub fn area(model: &Model, a: AreaId) -> Value {
    let area = &model.areas[a];
    let mut schedules: Vec<Value> = Vec::new();
    let mut schedule_index: HashMap<&str, usize> = HashMap::new();
    let mut features = Vec::new();
    for kind in crate::registry::Kind::ALL {
        for &i in area.records(kind) {
            let r = model.record(i);
            if r.location.is_none() {
                continue;
            }
            let mut props = properties(model, i);
            if let (Some(h), Some(info)) = (&r.hours, model.hours_of(r)) {
                let index = *schedule_index.entry(h.raw()).or_insert_with(|| {
                    schedules.push(json!(info.schedule));
                    schedules.len() - 1
                });
                props.insert("schedule".into(), json!(index));
            }
            features.push(json!({ "type": "Feature", "id": r.id.value, "geometry": point(r), "properties": props }));
        }
    }
    json!({ "type": "FeatureCollection", "area": area.code, "schedules": schedules, "features": features })
}

pub(crate) fn multipolygon_coordinates(mp: &MultiPolygon<f64>) -> Value {
    json!(
        mp.0.iter()
            .map(|poly| {
                std::iter::once(poly.exterior())
                    .chain(poly.interiors())
                    .map(|ring| {
                        ring.coords()
                            .map(|c| [round(c.x, 5), round(c.y, 5)])
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    )
}

/// `data/boundaries/<code>.geojson`: the area's municipalities, simplified to ~30 m with the
/// borders they share (with each other and with other areas) kept identical.
pub fn boundaries(model: &Model, a: AreaId) -> Value {
    let geo = &model.site.geo;
    let area = &geo.areas[model.areas[a].geo];
    let features: Vec<Value> = area
        .municipalities
        .iter()
        .map(|&i| {
            let m = &geo.municipalities[i];
            let simplified = &model.web_boundaries[i];
            json!({ "type": "Feature",
                    "properties": { "code": m.code, "name": m.name, "name_en": m.name_en },
                    "geometry": { "type": "MultiPolygon", "coordinates": multipolygon_coordinates(simplified) } })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}
