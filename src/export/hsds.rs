//! HSDS 3.0 (Open Referral Human Services Data Specification) exports under `data/hsds/`.
//!
//! # Files
//!
//! - `index.json`: what the HSDS API answers at `/` (`version`, `openapi_url`).
//! - `services.json`: what the API answers at `/services` (one page holding every service):
//!   full service objects with their organization, phones, schedules, service areas,
//!   languages and `service_at_locations` (each with its location, addresses and
//!   accessibility) nested, as in the specification's `service_full` example.
//! - `tabular/<table>.json`: the same objects flat, one JSON array per HSDS table, named after
//!   the table's CSV (`organizations`, `services`, `service_at_location`, `locations`,
//!   `phones`, `addresses`, `schedules`, `languages`, `accessibility`, `service_areas`), with
//!   the foreign keys (`organization_id`, `service_id`, `location_id`) that link them, as in the
//!   specification's `tabular` example.
//!
//! # Mapping
//!
//! Every record (published, suspended or closed) becomes one **organization**, one
//! **service** and, when it has a `location` or an `address`, one physical **location** linked
//! to the service by one **service_at_location**. A registry record describes a place and
//! what it offers, and the registry has no operator field, so the record itself is the
//! organization that provides the service (the usual mapping of facility registries); the
//! data `source` is an attribution, not an operator.
//!
//! - `status`: `active` → `active`, `suspended` (受付休止) → `temporarily closed`,
//!   `closed` (閉鎖) → `defunct` (the service no longer exists; HSDS keeps `inactive` for a
//!   service that still exists but is not being delivered).
//! - Phones (`type` `voice`, the label as `description`; `fax` as `type` `fax`), languages
//!   (ISO 639-1 `code`) and schedules belong to the service and, when there is one, to its
//!   location (one object carrying both ids). Addresses and accessibility belong to the
//!   location.
//! - Schedules: one weekly RRULE-style schedule (`freq` `WEEKLY`, `wkst` `MO`, `byday`,
//!   `opens_at`/`closes_at` with the `+09:00` offset, `timezone` 9) per group of weekdays
//!   with the same opening interval in the regular week of [`crate::hours::WeekTable`].
//!   Public holidays and 12/29–1/3 cannot be said in these fields: every schedule's
//!   `description` is the one-line Japanese summary ("月〜金 8:30〜17:00（祝日休み）") and
//!   `notes` holds `hours_note` and the `opening_hours` value as written. Hours that state no
//!   time (`unknown`, a comment) give one schedule with only a description, and so does an
//!   `hours_note` without `hours` (the note is the description).
//! - Service areas (consultation bodies only): the union of the `serves` municipalities, or
//!   the body's own 二次医療圏 without `serves`, as a GeoJSON MultiPolygon string in
//!   `extent` (`extent_type` `geojson`), simplified to ~30 m.
//! - Addresses: `address_1` is the address after the prefecture and municipality,
//!   `city` the municipality, `state_province` the prefecture, `country` `JP`;
//!   `postal_code` (required by the schema) is taken from a leading `〒123-4567` and is
//!   otherwise an empty string: the registries have no postal codes.
//! - Free text is Japanese and uses the theme's labels (the same words as the pages).
//!
//! # Identifiers
//!
//! Every id is a UUID version 5 in the namespace [`NAMESPACE`] of the name
//! `<record id>/<object>`: `takamatsu-hokenjo/service`, `…/organization`, `…/location`,
//! `…/service_at_location`, `…/address`, `…/service_area`, `…/phone/<number>`,
//! `…/fax/<number>`, `…/schedule/<n>`, `…/language/<code>`, `…/accessibility/<feature>`.
//! Ids are therefore stable across builds as long as the record id is.

use std::collections::HashMap;

use geo::Simplify;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::model::Model;
use crate::registry::vocab::{Status, Vocab};
use crate::registry::{Contact, Details, Record, RecordId};
use crate::text::markdown::plain_text;
use crate::views::Labels;

/// The namespace of kenkomap's UUIDv5 identifiers (a fixed random UUID, chosen once).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x0b6584f5_29a4_4416_a956_78d3bf8dd061);

pub const HSDS_VERSION: &str = "3.0";
pub const OPENAPI_URL: &str =
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json";

/// Tolerance of the service-area simplification, in degrees (~30 m).
const EXTENT_SIMPLIFY: f64 = 0.0003;

/// The HSDS tables written under `tabular/`, in the order of the specification's data package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Organizations,
    Services,
    ServiceAtLocation,
    Locations,
    Phones,
    Addresses,
    Schedules,
    ServiceAreas,
    Languages,
    Accessibility,
}

impl Table {
    pub const ALL: [Table; 10] = [
        Table::Organizations,
        Table::Services,
        Table::ServiceAtLocation,
        Table::Locations,
        Table::Phones,
        Table::Addresses,
        Table::Schedules,
        Table::ServiceAreas,
        Table::Languages,
        Table::Accessibility,
    ];

    /// The table's name, as its file is named (`tabular/<name>.json`).
    pub fn name(self) -> &'static str {
        match self {
            Table::Organizations => "organizations",
            Table::Services => "services",
            Table::ServiceAtLocation => "service_at_location",
            Table::Locations => "locations",
            Table::Phones => "phones",
            Table::Addresses => "addresses",
            Table::Schedules => "schedules",
            Table::ServiceAreas => "service_areas",
            Table::Languages => "languages",
            Table::Accessibility => "accessibility",
        }
    }
}

/// The UUIDv5 of `<record id>/<object>`.
pub fn id(record_id: &str, object: &str) -> String {
    Uuid::new_v5(&NAMESPACE, format!("{record_id}/{object}").as_bytes()).to_string()
}

/// HSDS objects of a whole site: full services and flat tables.
#[derive(Default)]
pub struct Hsds {
    pub services: Vec<Value>,
    /// Rows of each table of [`Table::ALL`], same order.
    pub tables: [Vec<Value>; 10],
}

impl Hsds {
    fn table(&mut self, table: Table) -> &mut Vec<Value> {
        &mut self.tables[table as usize]
    }
}

/// Records per chunk: chunks are built in parallel and serialised at once, so the whole
/// site's HSDS never sits in memory as JSON values (a national site has ~80,000 services).
const CHUNK: usize = 1024;

/// Chunks built at once before their JSON is appended to the files: enough to keep every
/// core busy, few enough that the national export (~160 MB of JSON) is never held whole.
const WINDOW: usize = 8;

/// Writes the files of `data/hsds/` into `out` and returns their paths and sizes. The files
/// are streamed: windows of chunks are built in parallel and appended in record order.
pub fn write(
    model: &Model,
    labels: &Labels,
    out: &dyn crate::write::Output,
) -> std::io::Result<Vec<(String, u64)>> {
    use rayon::prelude::*;
    use std::io::Write;
    let extents = extents(model);
    let n = model.site.records.len();
    let mut written = Vec::new();
    let index = serde_json::to_vec(&json!({ "version": HSDS_VERSION, "openapi_url": OPENAPI_URL }))
        .expect("JSON");
    let index_path = "data/hsds/index.json".to_owned();
    written.push((index_path.clone(), index.len() as u64));
    out.put(&index_path, index)?;

    // services.json, then each table of Table::ALL.
    let mut paths = vec!["data/hsds/services.json".to_owned()];
    paths.extend(
        Table::ALL
            .iter()
            .map(|t| format!("data/hsds/tabular/{}.json", t.name())),
    );
    let mut files = paths
        .iter()
        .map(|p| out.writer(p))
        .collect::<std::io::Result<Vec<_>>>()?;
    // Every record is one service, so the page object can be written before its contents.
    let page = json!({
        "total_items": n,
        "total_pages": 1,
        "page_number": 1,
        "size": n,
        "first_page": true,
        "last_page": true,
        "empty": n == 0,
    });
    let mut head = serde_json::to_vec(&page).expect("JSON");
    head.pop();
    head.extend_from_slice(b",\"contents\":[");
    files[0].write_all(&head)?;
    for file in &mut files[1..] {
        file.write_all(b"[")?;
    }
    let mut started = vec![false; files.len()];
    let records: Vec<RecordId> = RecordId::all(n).collect();
    for window in records.chunks(CHUNK * WINDOW) {
        let parts: Vec<Vec<Vec<u8>>> = window
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut builder = Builder {
                    model,
                    labels,
                    extents: &extents,
                    out: Hsds::default(),
                };
                for &i in chunk {
                    builder.record(i);
                }
                let Hsds { services, tables } = builder.out;
                std::iter::once(join_json(&services))
                    .chain(tables.iter().map(|t| join_json(t)))
                    .collect()
            })
            .collect();
        for chunk in parts {
            for (f, part) in chunk.into_iter().enumerate() {
                if part.is_empty() {
                    continue;
                }
                if started[f] {
                    files[f].write_all(b",")?;
                }
                started[f] = true;
                files[f].write_all(&part)?;
            }
        }
    }
    files[0].write_all(b"]}")?;
    for file in &mut files[1..] {
        file.write_all(b"]")?;
    }
    for (path, file) in paths.into_iter().zip(files) {
        let size = file.finish()?;
        written.push((path, size));
    }
    Ok(written)
}

/// JSON values separated by commas (the inside of an array).
fn join_json(values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in values.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, v).expect("JSON");
    }
    out
}

/// Builds every HSDS object of the site, records in file order (for tests).
pub fn build(model: &Model, labels: &Labels) -> Hsds {
    let extents = extents(model);
    let mut builder = Builder {
        model,
        labels,
        extents: &extents,
        out: Hsds::default(),
    };
    for i in model.record_ids() {
        builder.record(i);
    }
    builder.out
}

/// The catchment of consultation record `i`: its `serves`, else its own area (municipality
/// indices, a name, the area page's URL).
fn catchment(
    model: &Model,
    i: RecordId,
) -> Option<(Vec<usize>, String, Option<String>, &'static str)> {
    let r = model.record(i);
    let Details::Consultation(d) = &r.details else {
        return None;
    };
    let geo = &model.site.geo;
    if d.serves.is_empty() {
        let p = model.site.placements[i]?;
        let area = &model.areas[p.area];
        let municipalities = geo.areas[area.geo].municipalities.clone();
        let uri = format!("{}areas/{}/", model.site.config.base_url, area.code);
        Some((municipalities, area.name.clone(), Some(uri), "area"))
    } else {
        let municipalities: Vec<usize> = d
            .serves
            .iter()
            .filter_map(|c| geo.municipality(c.value))
            .collect();
        let name = municipalities
            .iter()
            .map(|&m| geo.municipalities[m].name.as_str())
            .collect::<Vec<_>>()
            .join("、");
        Some((municipalities, name, None, "serves"))
    }
}

fn extent_key(municipalities: &[usize]) -> Vec<usize> {
    let mut key = municipalities.to_vec();
    key.sort_unstable();
    key.dedup();
    key
}

/// The GeoJSON extent of every distinct catchment, computed once and in parallel.
fn extents(model: &Model) -> HashMap<Vec<usize>, Option<String>> {
    use rayon::prelude::*;
    let mut keys: Vec<Vec<usize>> = model
        .record_ids()
        .filter_map(|i| catchment(model, i).map(|c| extent_key(&c.0)))
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_par_iter()
        .map(|k| {
            let e = extent(model, &k);
            (k, e)
        })
        .collect()
}

/// An object without its null fields and empty lists.
fn object<'a>(fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    let mut map = Map::new();
    extend(&mut map, fields);
    Value::Object(map)
}

fn extend<'a>(map: &mut Map<String, Value>, fields: impl IntoIterator<Item = (&'a str, Value)>) {
    for (key, value) in fields {
        if value.is_null() || value.as_array().is_some_and(Vec::is_empty) {
            continue;
        }
        map.insert(key.to_owned(), value);
    }
}

/// A flat row with nested objects added (the full shape).
fn nested<'a>(flat: &Value, fields: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    let mut value = flat.clone();
    if let Value::Object(map) = &mut value {
        extend(map, fields);
    }
    value
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Active => "active",
        Status::Suspended => "temporarily closed",
        Status::Closed => "defunct",
    }
}

/// A URI as JSON Schema's `uri` format wants it: non-ASCII characters percent-encoded
/// (registry URLs may have Japanese paths).
fn uri(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// `label：a、b、c`, or nothing when there are no values.
fn fact(label: String, values: Vec<String>) -> Option<String> {
    (!values.is_empty()).then(|| format!("{label}：{}", values.join("、")))
}

fn lines(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let parts: Vec<String> = parts.into_iter().flatten().collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// `〒760-8571 香川県…` → (`760-8571`, `香川県…`).
fn postal_code(address: &str) -> (Option<String>, &str) {
    let rest = address.trim_start();
    let Some(after) = rest.strip_prefix('〒') else {
        return (None, rest);
    };
    let after = after.trim_start();
    let code: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    let digits = code.chars().filter(char::is_ascii_digit).count();
    if digits != 7 {
        return (None, rest);
    }
    (Some(code.clone()), after[code.len()..].trim_start())
}

/// The address after the prefecture and the municipality (and the 郡 before a town's
/// name); the whole address when it does not start with them.
fn street_part<'a>(
    address: &'a str,
    prefecture: Option<&str>,
    municipality: Option<&str>,
) -> &'a str {
    let mut rest = address;
    if let Some(p) = prefecture {
        rest = rest.strip_prefix(p).unwrap_or(rest).trim_start();
    }
    if let Some(m) = municipality {
        if let Some(after) = rest.strip_prefix(m) {
            rest = after;
        } else if let Some((gun, after)) = rest.split_once('郡')
            && !gun.is_empty()
            && gun.chars().count() <= 5
            && let Some(after) = after.strip_prefix(m)
        {
            rest = after;
        }
    }
    let rest = rest.trim_start();
    if rest.is_empty() { address } else { rest }
}

fn website(r: &Record) -> Option<String> {
    r.url.first().map(|u| uri(&u.value.value))
}

fn email(r: &Record) -> Option<String> {
    r.email.as_ref().map(|e| e.value.clone())
}

/// The phone and fax numbers, each with an id unique within the record.
fn phones(r: &Record, rid: &str, links: &[(&'static str, Value)]) -> Vec<Value> {
    let mut phones = Vec::new();
    let mut seen = Vec::new();
    let mut phone = |object: &str, c: &Contact, kind: &str, label: Option<&String>| {
        let mut name = format!("{object}/{}", c.value.value);
        if seen.contains(&name) {
            name = format!("{name}/{}", seen.len());
        }
        seen.push(name.clone());
        phones.push(object_with(
            links.to_vec(),
            [
                ("id", json!(id(rid, &name))),
                ("number", json!(c.value.value)),
                ("type", json!(kind)),
                ("description", json!(label)),
            ],
        ));
    };
    for c in &r.phone {
        phone("phone", c, "voice", c.label.as_ref());
    }
    if let Some(fax) = &r.fax {
        let c = Contact {
            value: fax.clone(),
            label: None,
        };
        phone("fax", &c, "fax", None);
    }
    phones
}

struct Builder<'a> {
    model: &'a Model,
    labels: &'a Labels<'a>,
    /// GeoJSON extents by municipality set (several bodies often serve the same places).
    extents: &'a HashMap<Vec<usize>, Option<String>>,
    out: Hsds,
}

/// The identifiers of a record's HSDS objects (UUIDv5 of the record's id and the object).
struct Ids {
    organization: String,
    service: String,
    /// A location only for a record with a place or an address.
    location: Option<String>,
    service_at_location: Option<String>,
}

impl Ids {
    fn of(r: &Record) -> Ids {
        let rid = r.id.value.as_str();
        let location = (r.location.is_some() || r.address.is_some()).then(|| id(rid, "location"));
        Ids {
            organization: id(rid, "organization"),
            service: id(rid, "service"),
            service_at_location: location.as_ref().map(|_| id(rid, "service_at_location")),
            location,
        }
    }

    /// The fields that tie a phone, language or schedule to the service and its location.
    fn links(&self) -> Vec<(&'static str, Value)> {
        vec![
            ("service_id", json!(self.service)),
            ("location_id", json!(self.location)),
        ]
    }
}

/// What a record's location shares with its service.
struct Shared<'v> {
    phones: &'v [Value],
    languages: &'v [Value],
    schedules: &'v [Value],
}

impl Builder<'_> {
    /// The HSDS objects of record `i`: the full service into `services`, a row into each table.
    fn record(&mut self, i: RecordId) {
        let r = self.model.record(i);
        let rid = r.id.value.as_str();
        let ids = Ids::of(r);
        let type_label = self.labels.record_type(r.kind, r.record_type.as_str());
        let description = r.description.as_ref().map(|d| plain_text(&d.value));
        let organization = self.organization(i, r, &ids, description.clone(), &type_label);
        let links = ids.links();
        let phones = phones(r, rid, &links);
        let languages = self.languages(r, rid, &links);
        let schedules = self.schedules(r, rid, &links);
        let shared = Shared {
            phones: &phones,
            languages: &languages,
            schedules: &schedules,
        };
        let location = ids
            .location
            .as_ref()
            .map(|location_id| self.location(i, r, &ids, location_id, &shared));
        let service_areas = self.service_areas(i, rid, &ids.service);
        let flat = self.service(r, &ids, description, &type_label);
        let service_at_location = ids.service_at_location.as_ref().map(|sal_id| {
            object([
                ("id", json!(sal_id)),
                ("service_id", json!(ids.service)),
                ("location_id", json!(ids.location)),
            ])
        });
        let full = nested(
            &flat,
            [
                ("phones", json!(phones)),
                ("schedules", json!(schedules)),
                ("service_areas", json!(service_areas)),
                (
                    "service_at_locations",
                    json!(
                        service_at_location
                            .iter()
                            .map(|sal| nested(sal, [("location", json!(location))]))
                            .collect::<Vec<_>>()
                    ),
                ),
                ("languages", json!(languages)),
                ("organization", organization.clone()),
            ],
        );
        self.out.services.push(full);
        self.out.table(Table::Organizations).push(organization);
        self.out.table(Table::Services).push(flat);
        self.out
            .table(Table::ServiceAtLocation)
            .extend(service_at_location);
        self.out.table(Table::Phones).extend(phones);
        self.out.table(Table::Schedules).extend(schedules);
        self.out.table(Table::ServiceAreas).extend(service_areas);
        self.out.table(Table::Languages).extend(languages);
    }

    /// The organization: the record itself (its description, else "<municipality>の<type>").
    fn organization(
        &self,
        i: RecordId,
        r: &Record,
        ids: &Ids,
        description: Option<String>,
        type_label: &str,
    ) -> Value {
        let description = description.unwrap_or_else(|| match self.municipality(i) {
            Some(m) => format!("{}の{type_label}", m.name),
            None => type_label.to_owned(),
        });
        object([
            ("id", json!(ids.organization)),
            ("name", json!(r.name.value)),
            (
                "alternate_name",
                json!(r.name_en.as_ref().map(|n| &n.value)),
            ),
            ("description", json!(description)),
            ("email", json!(email(r))),
            ("website", json!(website(r))),
        ])
    }

    fn municipality(&self, i: RecordId) -> Option<&crate::geo::MunicipalityGeom> {
        let p = self.model.site.placements[i]?;
        Some(&self.model.site.geo.municipalities[p.municipality])
    }

    fn prefecture(&self, i: RecordId) -> Option<&String> {
        let p = self.model.site.placements[i]?;
        let geo = &self.model.site.geo;
        Some(
            &self.model.site.areas_files[geo.areas[p.area].prefecture]
                .prefecture
                .name,
        )
    }

    fn languages(&self, r: &Record, rid: &str, links: &[(&'static str, Value)]) -> Vec<Value> {
        r.languages
            .iter()
            .map(|code| {
                let name = self.labels.strings["languages"][code.value.as_str()].as_str();
                object_with(
                    links.to_vec(),
                    [
                        ("id", json!(id(rid, &format!("language/{}", code.value)))),
                        ("code", json!(code.value)),
                        ("name", json!(name)),
                    ],
                )
            })
            .collect()
    }

    /// The location (with its address and accessibility rows into their tables), and the full
    /// location object nested in the service.
    fn location(
        &mut self,
        i: RecordId,
        r: &Record,
        ids: &Ids,
        location_id: &str,
        shared: &Shared,
    ) -> Value {
        let rid = r.id.value.as_str();
        let municipality = self.municipality(i);
        let prefecture = self.prefecture(i);
        let addresses: Vec<Value> = r
            .address
            .iter()
            .map(|a| {
                let (postal, rest) = postal_code(&a.value);
                object([
                    ("id", json!(id(rid, "address"))),
                    ("location_id", json!(location_id)),
                    (
                        "address_1",
                        json!(street_part(
                            rest,
                            prefecture.map(String::as_str),
                            municipality.map(|m| m.name.as_str())
                        )),
                    ),
                    ("city", json!(municipality.map_or("", |m| &m.name))),
                    ("state_province", json!(prefecture.map_or("", |p| p))),
                    ("postal_code", json!(postal.unwrap_or_default())),
                    ("country", json!("JP")),
                    ("address_type", json!("physical")),
                ])
            })
            .collect();
        let accessibility: Vec<Value> = r
            .accessibility
            .iter()
            .map(|a| {
                object([
                    (
                        "id",
                        json!(id(rid, &format!("accessibility/{}", a.as_str()))),
                    ),
                    ("location_id", json!(location_id)),
                    (
                        "description",
                        json!(self.labels.get("accessibility", a.as_str())),
                    ),
                ])
            })
            .collect();
        let flat = object([
            ("id", json!(location_id)),
            ("location_type", json!("physical")),
            ("organization_id", json!(ids.organization)),
            ("name", json!(r.name.value)),
            (
                "alternate_name",
                json!(r.name_en.as_ref().map(|n| &n.value)),
            ),
            ("latitude", json!(r.location.as_ref().map(|l| l.lat))),
            ("longitude", json!(r.location.as_ref().map(|l| l.lon))),
        ]);
        let full = nested(
            &flat,
            [
                ("languages", json!(shared.languages)),
                ("addresses", json!(addresses)),
                ("accessibility", json!(accessibility)),
                ("phones", json!(shared.phones)),
                ("schedules", json!(shared.schedules)),
            ],
        );
        self.out.table(Table::Locations).push(flat);
        self.out.table(Table::Addresses).extend(addresses);
        self.out.table(Table::Accessibility).extend(accessibility);
        full
    }

    /// The service's own row (the table `services`).
    fn service(
        &self,
        r: &Record,
        ids: &Ids,
        description: Option<String>,
        type_label: &str,
    ) -> Value {
        let labels = self.labels;
        object([
            ("id", json!(ids.service)),
            ("organization_id", json!(ids.organization)),
            ("name", json!(r.name.value)),
            (
                "alternate_name",
                json!(r.name_en.as_ref().map(|n| &n.value)),
            ),
            (
                "description",
                json!(self.service_description(r, description, type_label)),
            ),
            ("url", json!(website(r))),
            ("email", json!(email(r))),
            ("status", json!(status(r.status))),
            ("application_process", json!(self.application_process(r))),
            (
                "fees_description",
                json!(r.fee.map(|f| labels.get("fee", f.as_str()))),
            ),
            ("accreditations", json!(self.accreditations(r))),
            ("eligibility_description", json!(self.eligibility(r))),
            (
                "assured_date",
                json!(r.verified.as_ref().map(|d| d.value.to_string())),
            ),
            ("alert", json!(self.alert(r))),
        ])
    }

    /// Weekly schedules from the record's hours (see the module docs).
    fn schedules(&self, r: &Record, rid: &str, links: &[(&'static str, Value)]) -> Vec<Value> {
        let Some(info) = self.model.hours_of(r) else {
            // Only a note ("休診日：土曜・日曜・祝日"): a schedule that says it in words.
            return r
                .hours_note
                .iter()
                .map(|note| {
                    object_with(
                        links.to_vec(),
                        [
                            ("id", json!(id(rid, "schedule/0"))),
                            ("description", json!(note.value)),
                        ],
                    )
                })
                .collect();
        };
        let hours = r.hours.as_ref().expect("hours_of needs hours");
        let week = &info.week;
        let description = week.summary_ja();
        let notes = lines([
            r.hours_note.as_ref().map(|n| n.value.clone()),
            Some(format!("opening_hours: {}", hours.raw())),
        ]);
        let valid_to = r.valid_until.as_ref().map(|d| d.value.to_string());
        let specs = if week.unknown {
            Vec::new()
        } else {
            week.opening_hours_specification()
        };
        if specs.is_empty() {
            return vec![object_with(
                links.to_vec(),
                [
                    ("id", json!(id(rid, "schedule/0"))),
                    ("valid_to", json!(valid_to)),
                    ("description", json!(description)),
                    ("notes", json!(notes)),
                ],
            )];
        }
        specs
            .iter()
            .enumerate()
            .map(|(n, spec)| {
                let byday: Vec<&str> = spec
                    .days
                    .iter()
                    .map(|d| {
                        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
                            [d.to_monday_zero_offset() as usize]
                    })
                    .collect();
                object_with(
                    links.to_vec(),
                    [
                        ("id", json!(id(rid, &format!("schedule/{n}")))),
                        ("valid_to", json!(valid_to)),
                        ("timezone", json!(9)),
                        ("freq", json!("WEEKLY")),
                        ("wkst", json!("MO")),
                        ("byday", json!(byday.join(","))),
                        ("opens_at", json!(format!("{}+09:00", spec.opens))),
                        ("closes_at", json!(format!("{}+09:00", spec.closes))),
                        ("description", json!(description)),
                        ("notes", json!(notes)),
                    ],
                )
            })
            .collect()
    }

    /// The catchment of a consultation body: its `serves`, else its own area.
    fn service_areas(&mut self, i: RecordId, rid: &str, service_id: &str) -> Vec<Value> {
        let Some((municipalities, name, uri, how)) = catchment(self.model, i) else {
            return Vec::new();
        };
        let name = if how == "area" {
            format!("{name}（{}）", self.labels.ui("area"))
        } else {
            name
        };
        let extent = self
            .extents
            .get(&extent_key(&municipalities))
            .cloned()
            .flatten();
        vec![object([
            ("id", json!(id(rid, "service_area"))),
            ("service_id", json!(service_id)),
            ("name", json!(name)),
            ("extent_type", json!(extent.as_ref().map(|_| "geojson"))),
            ("extent", json!(extent)),
            ("uri", json!(uri)),
        ])]
    }

    fn service_description(
        &self,
        r: &Record,
        description: Option<String>,
        type_label: &str,
    ) -> Option<String> {
        let l = self.labels;
        let facts = match &r.details {
            Details::Facility(d) => vec![
                fact(l.ui("departments"), d.departments.clone()),
                fact(l.ui("checkups"), d.checkups.clone()),
            ],
            Details::Park(d) => vec![fact(l.ui("amenities"), l.vocab("amenities", &d.amenities))],
            Details::Restaurant(d) => vec![fact(
                l.ui("menus"),
                d.menus.iter().map(|m| m.name.clone()).collect(),
            )],
            Details::Consultation(d) => vec![fact(l.ui("topics"), l.vocab("topics", &d.topics))],
        };
        lines(
            std::iter::once(Some(description.unwrap_or_else(|| type_label.to_owned())))
                .chain(facts),
        )
    }

    fn application_process(&self, r: &Record) -> Option<String> {
        let l = self.labels;
        let Details::Consultation(d) = &r.details else {
            return None;
        };
        lines([
            d.reservation.map(|v| l.get("reservation", v.as_str())),
            fact(l.ui("channels"), l.vocab("channels", &d.channels)),
            d.anonymous
                .map(|a| l.ui(if a { "anonymous_yes" } else { "anonymous_no" })),
        ])
    }

    fn eligibility(&self, r: &Record) -> Option<String> {
        let l = self.labels;
        let Details::Consultation(d) = &r.details else {
            return None;
        };
        lines([
            fact(l.ui("audiences"), l.vocab("audiences", &d.audiences)),
            d.max_employees.map(|n| {
                format!(
                    "{}：{}",
                    l.ui("max_employees"),
                    l.ui("max_employees_value").replace("{n}", &n.to_string())
                )
            }),
        ])
    }

    fn accreditations(&self, r: &Record) -> Option<String> {
        let l = self.labels;
        match &r.details {
            Details::Restaurant(d) => d.certification.as_ref().and_then(|c| {
                let period = match (c.since, &c.until) {
                    (None, None) => String::new(),
                    (since, until) => format!(
                        "（{}〜{}）",
                        since.map(|d| d.to_string()).unwrap_or_default(),
                        until
                            .as_ref()
                            .map(|d| d.value.to_string())
                            .unwrap_or_default()
                    ),
                };
                let name = c.name.clone().unwrap_or_default();
                (!(name.is_empty() && period.is_empty()))
                    .then(|| format!("{}：{name}{period}", l.ui("certification")))
            }),
            Details::Consultation(d) => d.registration.as_ref().and_then(|reg| {
                let until = reg
                    .until
                    .as_ref()
                    .map(|u| format!("（{} {}）", l.ui("registration_until"), u.value));
                (reg.number.is_some() || until.is_some()).then(|| {
                    format!(
                        "{}：{}{}",
                        l.ui("registration"),
                        reg.number.clone().unwrap_or_default(),
                        until.unwrap_or_default()
                    )
                })
            }),
            _ => None,
        }
    }

    fn alert(&self, r: &Record) -> Option<String> {
        let l = self.labels;
        lines([
            r.sample.then(|| l.ui("sample_note")),
            (r.status == Status::Suspended).then(|| l.ui("suspended_banner")),
        ])
    }
}

/// `object` of the links followed by the fields.
fn object_with<'a>(
    links: Vec<(&'a str, Value)>,
    fields: impl IntoIterator<Item = (&'a str, Value)>,
) -> Value {
    let mut all: Vec<(&str, Value)> = fields.into_iter().collect();
    // The id first, then the links, then the rest: easier to read.
    let rest = all.split_off(1);
    all.extend(links);
    all.extend(rest);
    object(all)
}

/// The union of some municipalities as a GeoJSON MultiPolygon string.
fn extent(model: &Model, municipalities: &[usize]) -> Option<String> {
    let geo = &model.site.geo;
    // An area's polygon is already dissolved.
    let area = geo.areas.iter().find(|a| {
        let mut members = a.municipalities.clone();
        members.sort_unstable();
        members == municipalities
    });
    let union = match area {
        Some(a) => a.polygon.clone(),
        None => crate::geo::dissolve(
            municipalities
                .iter()
                .map(|&m| &geo.municipalities[m].polygon),
        ),
    };
    if union.0.is_empty() {
        return None;
    }
    let simplified = union.simplify(EXTENT_SIMPLIFY);
    let geometry = json!({
        "type": "MultiPolygon",
        "coordinates": super::geojson::multipolygon_coordinates(&simplified),
    });
    Some(geometry.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_has_its_place_and_its_file_name() {
        // `Hsds::tables` is indexed by the enum's discriminant: ALL must list them in order.
        for (k, table) in Table::ALL.iter().enumerate() {
            assert_eq!(*table as usize, k, "{table:?}");
        }
        let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names[2], "service_at_location");
        assert_eq!(names.len(), 10);
    }

    #[test]
    fn ids_are_uuid_v5_of_the_record_id() {
        let a = id("takamatsu-hokenjo", "service");
        assert_eq!(a, id("takamatsu-hokenjo", "service"));
        assert_ne!(a, id("takamatsu-hokenjo", "organization"));
        let parsed = Uuid::parse_str(&a).unwrap();
        assert_eq!(parsed.get_version_num(), 5);
        assert_eq!(
            NAMESPACE.to_string(),
            "0b6584f5-29a4-4416-a956-78d3bf8dd061"
        );
    }

    #[test]
    fn addresses_lose_prefecture_and_municipality() {
        assert_eq!(
            street_part("香川県高松市桜町1-10-27", Some("香川県"), Some("高松市")),
            "桜町1-10-27"
        );
        assert_eq!(
            street_part("香川県小豆郡土庄町甲559-2", Some("香川県"), Some("土庄町")),
            "甲559-2"
        );
        assert_eq!(
            street_part("高松市", Some("香川県"), Some("高松市")),
            "高松市"
        );
        assert_eq!(
            street_part("丸亀市土器町東8-526", Some("香川県"), Some("高松市")),
            "丸亀市土器町東8-526"
        );
    }

    #[test]
    fn postal_codes_are_read_from_the_front() {
        assert_eq!(
            postal_code("〒760-8571 香川県高松市番町4-1-10"),
            (Some("760-8571".into()), "香川県高松市番町4-1-10")
        );
        assert_eq!(postal_code("香川県高松市"), (None, "香川県高松市"));
    }

    #[test]
    fn uris_are_ascii() {
        assert_eq!(
            uri("https://example.jp/健康"),
            "https://example.jp/%E5%81%A5%E5%BA%B7"
        );
    }
}
