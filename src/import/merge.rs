//! Merging a second source: imported rows that are places the site already has (another
//! file's records of the same kind) become *supplements* of those records instead of new
//! records. See `crate::registry::merge` for the rules shared with the loader.
//!
//! A row matches a record by an official code both have (`codes:`), or by a name that agrees
//! ([`names_agree`]: folded, less an operator's prefix) and either lies within
//! [`SAME_PLACE_METRES`] of it or has the same address ([`address_key`]) when the two are
//! farther apart or one has no location; and both must be of one type (a sports centre's
//! pool and its gymnasium are two records, as W0401 sees them). Same-name branches of a chain lie farther apart at
//! other addresses, so they stay separate records. Among several matching records the nearest
//! is taken; a record already taken by an earlier row is not taken twice.

use std::collections::HashMap;

use geo::{Distance, Haversine, Point};

use super::{Contact, Imported, Record, Warning};
use crate::registry::merge::{SAME_PLACE_METRES, address_key, names_agree, same_values, values};
use crate::registry::vocab::Vocab;
use crate::registry::{self, Details};

/// The outcome of [`merge`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeCounts {
    /// Rows found in other files: written as supplements.
    pub merged: usize,
    /// Rows written as records.
    pub new: usize,
    /// Merged rows with at least one value that differs from the record's (reported, not written).
    pub conflicting: usize,
}

/// A supplement to write: the fields a row gives a record of another file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Supplement {
    /// What it adds to and why: `高松赤十字病院 (data/facilities/mhlw.yaml): same name, 130 m`.
    pub comment: String,
    /// `id` is the record's; the other fields are those it lacks; `line` is the row's.
    pub record: Record,
}

fn contacts(c: &Option<Contact>) -> Option<Vec<String>> {
    match c {
        None => None,
        Some(Contact::One(v)) => Some(vec![v.clone()]),
        Some(Contact::Many(list)) => Some(list.iter().map(|l| l.value.clone()).collect()),
    }
}

fn one(v: &Option<String>) -> Option<Vec<String>> {
    v.as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| vec![s.clone()])
}

fn list(v: &[String]) -> Option<Vec<String>> {
    (!v.is_empty()).then(|| v.to_vec())
}

/// The fields a row can give, with its values.
fn row_values(r: &Record) -> Vec<(&'static str, Vec<String>)> {
    let fields: [(&'static str, Option<Vec<String>>); 14] = [
        ("name_kana", one(&r.name_kana)),
        ("name_en", one(&r.name_en)),
        ("address", one(&r.address)),
        ("phone", contacts(&r.phone)),
        ("fax", one(&r.fax)),
        ("email", one(&r.email)),
        ("url", contacts(&r.url)),
        ("hours", one(&r.hours)),
        ("hours_note", one(&r.hours_note)),
        ("departments", list(&r.departments)),
        ("beds", r.beds.map(|b| vec![b.to_string()])),
        ("amenities", list(&r.amenities)),
        ("description", one(&r.description)),
        ("description_en", one(&r.description_en)),
    ];
    let mut out: Vec<(&'static str, Vec<String>)> = fields
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
    if !r.codes.is_empty() {
        out.push((
            "codes",
            r.codes.iter().map(|(k, v)| format!("{k}: {v}")).collect(),
        ));
    }
    out
}

/// Keeps in `s` only `field` of `from`.
fn keep(s: &mut Record, from: &Record, field: &str) {
    match field {
        "name_kana" => s.name_kana = from.name_kana.clone(),
        "name_en" => s.name_en = from.name_en.clone(),
        "address" => s.address = from.address.clone(),
        "phone" => s.phone = from.phone.clone(),
        "fax" => s.fax = from.fax.clone(),
        "email" => s.email = from.email.clone(),
        "url" => s.url = from.url.clone(),
        "hours" => s.hours = from.hours.clone(),
        "hours_note" => s.hours_note = from.hours_note.clone(),
        "departments" => s.departments = from.departments.clone(),
        "beds" => s.beds = from.beds,
        "amenities" => s.amenities = from.amenities.clone(),
        "description" => s.description = from.description.clone(),
        "description_en" => s.description_en = from.description_en.clone(),
        "codes" => s.codes = from.codes.clone(),
        _ => {}
    }
}

trait TotalCmpPair {
    fn total_cmp_pair(&self, other: &Self) -> std::cmp::Ordering;
}

impl TotalCmpPair for (u8, f64) {
    fn total_cmp_pair(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0).then(self.1.total_cmp(&other.1))
    }
}

fn metres(a: registry::LatLon, b: super::LatLon) -> f64 {
    Haversine.distance(Point::new(a.lon, a.lat), Point::new(b.lon, b.lat))
}

fn show(v: &[String]) -> String {
    let s = v.join(", ");
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// Cells of about [`SAME_PLACE_METRES`] of latitude; a point's neighbours within that distance
/// are in its cell and the next one in latitude, and the next two in longitude (up to 60°N).
const CELL: f64 = SAME_PLACE_METRES / 111_320.0;

fn cell(lat: f64, lon: f64) -> (i64, i64) {
    ((lat / CELL).floor() as i64, (lon / CELL).floor() as i64)
}

/// The existing records by code, place and address, so that each row is compared only with
/// the few records it can match (a national file against a national registry).
struct Index {
    codes: HashMap<(String, String), Vec<usize>>,
    cells: HashMap<(i64, i64), Vec<usize>>,
    addresses: HashMap<String, Vec<usize>>,
}

impl Index {
    fn new(records: &[&registry::Record]) -> Index {
        let mut index = Index {
            codes: HashMap::new(),
            cells: HashMap::new(),
            addresses: HashMap::new(),
        };
        for (i, r) in records.iter().enumerate() {
            for (scheme, code) in &r.codes {
                index
                    .codes
                    .entry((scheme.clone(), code.value.clone()))
                    .or_default()
                    .push(i);
            }
            if let Some(l) = &r.location {
                index
                    .cells
                    .entry(cell(l.value.lat, l.value.lon))
                    .or_default()
                    .push(i);
            }
            if let Some(a) = &r.address {
                let key = address_key(a);
                if !key.is_empty() {
                    index.addresses.entry(key).or_default().push(i);
                }
            }
        }
        index
    }

    /// The records a row could match, in index order, each once.
    fn near(&self, r: &Record) -> Vec<usize> {
        let mut out = Vec::new();
        for (scheme, code) in &r.codes {
            out.extend(
                self.codes
                    .get(&(scheme.clone(), code.clone()))
                    .into_iter()
                    .flatten(),
            );
        }
        if let Some(l) = &r.location {
            let (y, x) = cell(l.lat, l.lon);
            for dy in -1..=1 {
                for dx in -2..=2 {
                    out.extend(self.cells.get(&(y + dy, x + dx)).into_iter().flatten());
                }
            }
        }
        if let Some(a) = &r.address {
            out.extend(self.addresses.get(&address_key(a)).into_iter().flatten());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// How a row was found to be `candidate`, or `None`.
fn matches(r: &Record, c: &registry::Record) -> Option<(u8, f64, String)> {
    for (scheme, code) in &r.codes {
        if c.codes.iter().any(|(s, v)| s == scheme && v.value == *code) {
            return Some((0, 0.0, format!("same codes.{scheme} {code}")));
        }
    }
    if !names_agree(&r.name, &c.name.value) {
        return None;
    }
    let distance = match (&c.location, &r.location) {
        (Some(a), Some(b)) => Some(metres(a.value, *b)),
        _ => None,
    };
    if let Some(d) = distance
        && d <= SAME_PLACE_METRES
    {
        return Some((1, d, format!("same name, {d:.0} m")));
    }
    let same_address = match (&r.address, &c.address) {
        (Some(a), Some(b)) => {
            let (a, b) = (address_key(a), address_key(b));
            !a.is_empty() && a == b
        }
        _ => false,
    };
    if same_address {
        let how = match distance {
            Some(d) => format!("same name and address, {d:.0} m apart"),
            None => "same name and address".to_owned(),
        };
        return Some((2, distance.unwrap_or(f64::MAX), how));
    }
    None
}

/// Splits `imp.records` into new records and supplements of the `existing` records (of other
/// files; `file_of` names a record's file for the messages). Conflicts are reported as
/// warnings at the row's line, one per field.
pub fn merge(
    imp: &mut Imported,
    existing: &[registry::Record],
    file_of: &dyn Fn(&registry::Record) -> String,
) -> (Vec<Supplement>, MergeCounts) {
    let Some(kind) = imp.kind else {
        return (Vec::new(), MergeCounts::default());
    };
    let candidates: Vec<&registry::Record> = existing.iter().filter(|c| c.kind == kind).collect();
    let index = Index::new(&candidates);
    let default_muni = imp
        .defaults
        .iter()
        .find(|(k, _)| k == "municipality")
        .map(|(_, v)| v.clone());
    let mut taken: std::collections::HashMap<&str, u64> = Default::default();
    let mut counts = MergeCounts::default();
    let mut supplements = Vec::new();
    let mut records = Vec::new();
    for r in std::mem::take(&mut imp.records) {
        let (mut found, other_type): (Vec<_>, Vec<_>) = index
            .near(&r)
            .into_iter()
            .map(|i| candidates[i])
            .filter_map(|c| matches(&r, c).map(|(rank, d, how)| (rank, d, how, c)))
            .partition(|(_, _, _, c)| c.record_type.as_str() == r.kind_type);
        found.sort_by(|a, b| (a.0, a.1).total_cmp_pair(&(b.0, b.1)));
        let Some((_, _, how, target)) = found.into_iter().next() else {
            // One place of two types (a sports centre's pool and its gymnasium) is two
            // records: each is found under its own type.
            if let Some((_, _, how, c)) = other_type.first() {
                imp.warnings.push(Warning::at(
                    r.line,
                    format!(
                        "{}: `{}` ({}) is the same place ({how}) but of type {}, not {}: written as a record of its own",
                        r.name,
                        c.id.value,
                        file_of(c),
                        c.record_type.value,
                        r.kind_type
                    ),
                ));
            }
            counts.new += 1;
            records.push(r);
            continue;
        };
        if let Some(first) = taken.get(target.id.value.as_str()) {
            imp.warnings.push(Warning::at(
                r.line,
                format!(
                    "{} is the same place as `{}` ({how}), which line {first} already supplements: written as a new record",
                    r.name, target.id.value
                ),
            ));
            counts.new += 1;
            records.push(r);
            continue;
        }
        taken.insert(&target.id.value, r.line);
        counts.merged += 1;
        let file = file_of(target);
        let mut conflicts = Vec::new();
        let mut s = Record {
            line: r.line,
            id: target.id.value.clone(),
            ..Record::default()
        };
        for (field, new) in row_values(&r) {
            match values(target, field) {
                None => keep(&mut s, &r, field),
                Some(old) if same_values(field, &old, &new) => {}
                Some(old) => conflicts.push(format!(
                    "{field}: {} has {:?}, this file {:?}",
                    target.id.value,
                    show(&old),
                    show(&new)
                )),
            }
        }
        let muni = r.municipality.clone().or_else(|| default_muni.clone());
        if let (Some(m), Some(t)) = (&muni, &target.municipality)
            && super::text::muni_code6(m).ok().as_deref() != Some(t.value.to_string().as_str())
        {
            conflicts.push(format!(
                "municipality: {} has {}, this file {m}",
                target.id.value, t.value
            ));
        }
        if let (Some(a), Some(b)) = (&target.location, &r.location) {
            let d = metres(a.value, *b);
            if d > SAME_PLACE_METRES {
                conflicts.push(format!(
                    "location: {} is at {}, {}, this file at {}, {} ({d:.0} m apart)",
                    target.id.value, a.value.lat, a.value.lon, b.lat, b.lon
                ));
            }
        }
        if let Some(status) = &r.status
            && *status != target.status.as_str()
        {
            conflicts.push(format!(
                "status: {} is {}, this file says {status}",
                target.id.value,
                target.status.as_str()
            ));
        }
        if !matches!(target.details, Details::Facility(_))
            && (!r.departments.is_empty() || r.beds.is_some())
        {
            s.departments.clear();
            s.beds = None;
        }
        if !conflicts.is_empty() {
            counts.conflicting += 1;
        }
        for c in &conflicts {
            imp.warnings.push(Warning::at(
                r.line,
                format!("{} differs from {file}: {c} (kept)", r.name),
            ));
        }
        let mut comment = format!(
            "{} ({file}) is line {} ({}): {how}",
            target.name.value, r.line, r.name
        );
        if !conflicts.is_empty() {
            let fields: Vec<&str> = conflicts
                .iter()
                .filter_map(|c| c.split(':').next())
                .collect();
            comment.push_str(&format!("; differs in {} (kept)", fields.join(", ")));
        }
        supplements.push(Supplement { comment, record: s });
    }
    imp.records = records;
    (supplements, counts)
}
