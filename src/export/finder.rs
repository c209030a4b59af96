//! `consultation/finder.json`: the consultation bodies as the finder needs them (see
//! `crate::finder` for the rules), with their "open now" schedules and the municipalities a
//! person can choose from.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::finder::Body;
use crate::model::Model;
use crate::registry::vocab::Vocab;
use crate::registry::{Details, Kind, RecordId};

/// The finder's view of consultation record `i` (its `serves` resolved to municipality codes).
pub fn body(model: &Model, i: RecordId) -> Option<Body> {
    let r = model.record(i);
    let Details::Consultation(c) = &r.details else {
        return None;
    };
    let geo = &model.site.geo;
    let placement = model.site.placements[i]?;
    let code = |m: &usize| geo.municipalities[*m].code.to_string();
    let serves: Vec<String> = c.serves.iter().map(|s| s.value.to_string()).collect();
    let area_municipalities: Vec<String> = geo.areas[placement.area]
        .municipalities
        .iter()
        .map(code)
        .collect();
    let prefecture = geo.areas[placement.area].prefecture;
    let prefecture_wide = !serves.is_empty()
        && geo
            .areas
            .iter()
            .filter(|a| a.prefecture == prefecture)
            .flat_map(|a| a.municipalities.iter())
            .all(|m| serves.contains(&code(m)));
    let week = model.hours_of(r).map(|h| &h.week);
    Some(Body {
        id: r.id.value.clone(),
        name: r.name.value.clone(),
        audiences: c.audiences.iter().map(|a| a.as_str().to_owned()).collect(),
        topics: c.topics.iter().map(|t| t.as_str().to_owned()).collect(),
        channels: c.channels.iter().map(|t| t.as_str().to_owned()).collect(),
        municipality: geo.municipalities[placement.municipality].code.to_string(),
        serves,
        area_municipalities,
        prefecture_wide,
        max_employees: c.max_employees,
        evening: week.is_some_and(|w| {
            w.days
                .iter()
                .any(|d| d.intervals.iter().any(|i| i.end > 18 * 60))
        }),
        weekend: week
            .is_some_and(|w| !w.days[5].intervals.is_empty() || !w.days[6].intervals.is_empty()),
        open_now: false,
    })
}

pub fn finder_json(model: &Model) -> Value {
    let mut schedules: Vec<Value> = Vec::new();
    let mut schedule_index: HashMap<&str, usize> = HashMap::new();
    let bodies: Vec<Value> = model.by_kind[crate::model::kind_index(Kind::Consultation)]
        .iter()
        .filter_map(|&i| {
            let b = body(model, i)?;
            let r = model.record(i);
            let Details::Consultation(c) = &r.details else {
                return None;
            };
            let mut v = serde_json::to_value(&b).expect("JSON");
            v["name_en"] = json!(r.name_en.as_ref().map(|n| &n.value));
            v["type"] = json!(r.record_type.value);
            v["href"] = json!(format!("{}/{}/", r.kind, r.id.value));
            v["phone"] = json!(r.phone.first().map(|p| &p.value.value));
            v["reservation"] = json!(c.reservation.map(|x| x.as_str()));
            v["anonymous"] = json!(c.anonymous);
            v["area"] = json!(model.site.placements[i].map(|p| &model.site.geo.areas[p.area].code));
            v["sample"] = json!(r.sample);
            if let (Some(h), Some(info)) = (&r.hours, model.hours_of(r)) {
                let n = *schedule_index.entry(h.raw()).or_insert_with(|| {
                    schedules.push(json!(info.schedule));
                    schedules.len() - 1
                });
                v["schedule"] = json!(n);
                v["hours_ja"] = json!(info.week.summary_ja());
                v["hours_en"] = json!(info.week.summary_en());
            }
            if let Value::Object(map) = &mut v {
                map.remove("open_now");
            }
            Some(v)
        })
        .collect();
    let geo = &model.site.geo;
    let municipalities: Vec<Value> = geo
        .municipalities
        .iter()
        .map(|m| json!({ "code": m.code, "name": m.name, "name_en": m.name_en, "area": geo.areas[m.area].code }))
        .collect();
    json!({ "bodies": bodies, "schedules": schedules, "municipalities": municipalities })
}
