//! Semantic rules across records: duplicate ids, the same place twice, catchments.

use std::collections::HashMap;

use geo::{Distance, Haversine, Point};

use crate::diagnostics::{Code, Diagnostic};
use crate::geo::Geo;
use crate::registry::{Details, Record};

/// Two records with the same folded name this close (in metres) are probably one place.
const SAME_PLACE_METRES: f64 = 50.0;

/// Ids are unique across the whole site: they become URLs.
pub fn duplicate_ids(records: &[Record]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Record> = HashMap::with_capacity(records.len());
    let mut diags = Vec::new();
    for r in records {
        match first.get(r.id.value.as_str()) {
            Some(earlier) => diags.push(
                Diagnostic::new(Code::DuplicateId, r.id.span, format!("id `{}` is used twice", r.id.value))
                    .label("second use")
                    .note(earlier.id.span, "first used here")
                    .help("ids are unique across the site; add a suffix such as `-2` or use the source's own number"),
            ),
            None => {
                first.insert(&r.id.value, r);
            }
        }
    }
    diags
}

/// The same name (after folding) of the same kind and type at nearly the same place.
pub fn duplicate_places(records: &[Record]) -> Vec<Diagnostic> {
    let mut by_name: HashMap<(String, crate::registry::Kind, &str), Vec<&Record>> = HashMap::new();
    for r in records {
        by_name
            .entry((
                crate::fold::fold(&r.name.value),
                r.kind,
                r.record_type.value.as_str(),
            ))
            .or_default()
            .push(r);
    }
    let mut diags = Vec::new();
    for group in by_name.values().filter(|g| g.len() > 1) {
        for (i, later) in group.iter().enumerate() {
            let earlier = group[..i].iter().find(|e| same_place(e, later));
            if let Some(earlier) = earlier {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicatePlace,
                        later.span,
                        format!("`{}` and `{}` have the same name at the same place", earlier.id.value, later.id.value),
                    )
                    .note(earlier.span, "the other one")
                    .help("if they are one place, keep one record; if not, make the names tell them apart"),
                );
            }
        }
    }
    diags
}

fn same_place(a: &Record, b: &Record) -> bool {
    match (&a.location, &b.location) {
        (Some(la), Some(lb)) => {
            Haversine.distance(Point::new(la.lon, la.lat), Point::new(lb.lon, lb.lat))
                <= SAME_PLACE_METRES
        }
        _ => match (&a.address, &b.address) {
            (Some(x), Some(y)) => crate::fold::fold(x) == crate::fold::fold(y),
            _ => false,
        },
    }
}

/// `serves` codes of consultation bodies must be municipalities of the site.
pub fn unknown_serves(records: &[Record], geo: &Geo) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for r in records {
        let Details::Consultation(c) = &r.details else {
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
