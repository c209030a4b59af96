//! `areas/<code>/records.json` (and `en/areas/<code>/records.json`): every published record of
//! an area as the lists show it, in the page's language, for filters.js. An area page prints
//! at most [`crate::model::AREA_PAGE_LIST_LIMIT`] records per kind; its filters, counts,
//! "open now" and map markers work over this file, the whole scope.
//!
//! `{ "area", "schedules": [compact schedules], "records": [{ id, kind, href, name, ja (the
//! name is Japanese on an English page), type, type_label, municipality, address, phone:
//! [number, tel], hours (summary or null: not known), facets, loc: [lat, lon], schedule (index
//! into schedules), suspended, sample }] }`. Nothing `internal` is in a list item.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::model::{AreaId, Model};
use crate::registry::Kind;
use crate::views::Items;

/// The path of an area's records file in `lang`.
pub fn path(lang: crate::text::Lang, code: &str) -> String {
    format!("{}areas/{code}/records.json", lang.prefix())
}

/// The records file of the area at `a`, from the list items of its language (the ones the
/// pages show).
pub fn area_records(model: &Model, items: Items, a: AreaId) -> Value {
    let area = &model.areas[a];
    let mut schedules: Vec<Value> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut records = Vec::new();
    for kind in Kind::ALL {
        for &i in crate::views::shown_order(model, items.lang, area.records(kind)).iter() {
            let r = model.record(i);
            let item = items.get(i);
            let mut o = json!({
                "id": item.id,
                "kind": item.kind,
                "href": item.href,
                "name": item.name.text,
                "type": item.type_key,
                "type_label": item.type_label,
                "facets": item.facets,
            });
            let m = o.as_object_mut().expect("object");
            if item.name.lang.is_some() {
                m.insert("ja".into(), json!(true));
            }
            if !item.municipality.is_empty() {
                m.insert("municipality".into(), json!(item.municipality));
            }
            if let Some(a) = &item.address {
                m.insert("address".into(), json!(a));
            }
            if let Some(p) = &item.phone {
                m.insert("phone".into(), json!([p.number, p.tel]));
            }
            if let Some(h) = &item.hours {
                m.insert("hours".into(), json!(h));
            }
            if let Some([lat, lon]) = item.location {
                m.insert("loc".into(), json!([lat, lon]));
            }
            if let (Some(h), Some(info)) = (&r.hours, model.hours_of(r)) {
                let n = *index.entry(h.raw()).or_insert_with(|| {
                    schedules.push(json!(info.schedule));
                    schedules.len() - 1
                });
                m.insert("schedule".into(), json!(n));
            }
            if item.suspended {
                m.insert("suspended".into(), json!(true));
            }
            if item.sample {
                m.insert("sample".into(), json!(true));
            }
            records.push(o);
        }
    }
    json!({ "area": area.code, "schedules": schedules, "records": records })
}
