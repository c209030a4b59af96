//! Schema rules: YAML nodes to typed records and areas, every field checked, every problem
//! reported.

use jiff::ToSpan;

use super::formats;
use super::reader::{self, Cx, MapReader};
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::load::yaml::{self, Key, Node, Value};
use crate::registry::fields::{self, record_field_names};
use crate::registry::merge;
use crate::registry::vocab::*;
use crate::registry::*;

/// Decodes a registry file (`defaults:` + `records:`) of `kind`.
/// `site_types` are the types `site.yaml` adds; `None` when site.yaml could not be read (then
/// only the built-in vocabulary is known, and other types are not reported).
pub fn registry_file(
    root: &Node,
    kind: Kind,
    site_types: Option<&[String]>,
    cx: &mut Cx,
) -> Vec<Record> {
    registry_file_with_supplements(root, kind, site_types, cx).0
}

/// Decodes a registry file (`defaults:`, `records:` and `supplements:`) of `kind`: its records
/// and its supplements (fields for records of other files, see [`crate::registry::merge`]).
pub fn registry_file_with_supplements(
    root: &Node,
    kind: Kind,
    site_types: Option<&[String]>,
    cx: &mut Cx,
) -> (Vec<Record>, Vec<Supplement>) {
    if root.is_null() {
        return (Vec::new(), Vec::new());
    }
    let Some(file) = MapReader::open(
        root,
        &["defaults", "records", "supplements"],
        "a registry file",
        cx,
    ) else {
        return (Vec::new(), Vec::new());
    };
    let allowed = record_field_names(kind);
    let defaults: Vec<(Key, Node)> = match file.get("defaults") {
        Some(defaults) => match MapReader::open(defaults, &allowed, "`defaults`", cx) {
            Some(map) => map
                .entries()
                .iter()
                .filter(|(k, _)| {
                    if k.name == "id" {
                        cx.report(
                            Diagnostic::new(
                                Code::UnknownField,
                                k.span,
                                "`id` cannot be a default: every record needs its own",
                            )
                            .help("move `id` into each record"),
                        );
                        return false;
                    }
                    allowed.contains(&k.name.as_str())
                })
                .cloned()
                .collect(),
            None => Vec::new(),
        },
        None => Vec::new(),
    };
    let supplements = file
        .get("supplements")
        .map(|n| supplements(n, &defaults, kind, cx))
        .unwrap_or_default();
    let Some(records) = file.get("records") else {
        if file.key_span("records").is_none() && file.key_span("supplements").is_none() {
            cx.report(
                Diagnostic::new(
                    Code::FileShape,
                    root.span,
                    "a registry file needs a `records:` list",
                )
                .help("write `records:` followed by `- id: …` entries"),
            );
        }
        return (Vec::new(), supplements);
    };
    let Value::Seq(items) = &records.value else {
        cx.report(
            Diagnostic::new(
                Code::FileShape,
                records.span,
                format!(
                    "`records` must be a list of records, found {}",
                    records.describe()
                ),
            )
            .help("each record starts with `- id: …`"),
        );
        return (Vec::new(), supplements);
    };
    let records = items
        .iter()
        .filter_map(|item| record(item, &defaults, kind, &allowed, site_types, false, cx))
        .collect();
    (records, supplements)
}

/// `supplements:`: a list of `- id: <another file's record>` with fields from
/// [`merge::SUPPLEMENT_FIELDS`] (and `source`); the file's default `source` applies to them.
fn supplements(node: &Node, defaults: &[(Key, Node)], kind: Kind, cx: &mut Cx) -> Vec<Supplement> {
    let Value::Seq(items) = &node.value else {
        cx.report(
            Diagnostic::new(
                Code::FileShape,
                node.span,
                format!("`supplements` must be a list, found {}", node.describe()),
            )
            .help("each supplement starts with `- id: …` (the record it adds to)"),
        );
        return Vec::new();
    };
    let mut allowed: Vec<&str> = vec!["id", "source"];
    allowed.extend(
        merge::SUPPLEMENT_FIELDS
            .iter()
            .filter(|f| record_field_names(kind).contains(f)),
    );
    let source_default: Vec<(Key, Node)> = defaults
        .iter()
        .filter(|(k, _)| k.name == "source")
        .cloned()
        .collect();
    items
        .iter()
        .filter_map(|item| {
            let fields = record(item, &source_default, kind, &allowed, None, true, cx)?;
            let Value::Map(entries) = &item.value else {
                return None;
            };
            let key_spans: Vec<(String, Span)> = entries
                .iter()
                .filter(|(k, _)| k.name != "id" && k.name != "source")
                .map(|(k, _)| (k.name.clone(), k.span))
                .collect();
            Some(Supplement {
                target: fields.id.clone(),
                present: key_spans.iter().map(|(k, _)| k.clone()).collect(),
                key_spans,
                fields,
            })
        })
        .collect()
}

const SLUG_HELP: &str =
    "ids use lowercase letters a-z, digits and single hyphens, e.g. takamatsu-hokenjo";

pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A slug that resembles `s`, for the help text.
fn suggest_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Names Windows reserves for devices (`CON`, `NUL`, `COM1`, …, in any case). Ids, area codes
/// and content slugs become folders of the output, and a folder of such a name cannot be
/// created, copied or checked out on Windows, where many councils work.
pub fn is_reserved_name(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    let numbered = |prefix: &str| {
        s.strip_prefix(prefix)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
    };
    matches!(s.as_str(), "con" | "prn" | "aux" | "nul") || numbered("com") || numbered("lpt")
}

/// E0104 for a `what` ("id", "area code") that is a reserved name, with `suggestion` (a name
/// that works) in the help.
fn reserved_name(span: Span, what: &str, value: &str, suggestion: &str) -> Diagnostic {
    Diagnostic::new(
        Code::BadId,
        span,
        format!("{what} \"{value}\" is a name Windows reserves for a device"),
    )
    .label("cannot be a folder name on Windows")
    .help(format!(
        "it becomes a folder of the site, and CON, PRN, AUX, NUL, COM0-9 and LPT0-9 cannot be folders on Windows; for example {suggestion}"
    ))
}

/// One record; the `defaults:` fields it does not set itself keep their own spans, so a wrong
/// default is reported where it is written (once: identical diagnostics are merged).
fn record(
    node: &Node,
    defaults: &[(Key, Node)],
    kind: Kind,
    allowed: &[&str],
    site_types: Option<&[String]>,
    partial: bool,
    cx: &mut Cx,
) -> Option<Record> {
    let what_node = if partial { "a supplement" } else { "a record" };
    let map = MapReader::open(node, allowed, what_node, cx)?.with_defaults(defaults);
    let id = map
        .require("id", "this record", cx)
        .and_then(|n| reader::text(n, "id", cx));
    let what = match &id {
        Some(id) => format!("record `{}`", id.value),
        None => "this record".to_owned(),
    };
    if let Some(id) = &id {
        check_id(id, cx);
    }
    let placeholder = || Some(Sp::new(String::new(), node.span));
    let name = if partial {
        placeholder()
    } else {
        map.require("name", &what, cx)
            .and_then(|n| reader::text(n, "name", cx))
    };
    let record_type = if partial {
        Some(Sp::new(RecordType::Site(String::new()), node.span))
    } else {
        record_type(&map, &what, kind, site_types, cx)
    };

    let text = |name: &str, cx: &mut Cx| map.get(name).and_then(|n| reader::text(n, name, cx));
    let municipality = map
        .get("municipality")
        .and_then(|n| reader::muni_code(n, "municipality", cx));
    let address = text("address", cx);
    let Contacts {
        phone,
        fax,
        email,
        url,
    } = contact_fields(&map, cx);
    let location = map.get("location").and_then(|n| location(n, cx));
    if !partial && map.key_span("municipality").is_none() && map.key_span("location").is_none() {
        cx.report(no_place(node, &what, cx));
    }
    let hours = map.get("hours").and_then(|n| hours(n, cx));
    let hours_note = text("hours_note", cx);
    let languages = languages(&map, cx);
    let accessibility = vocab_list::<Accessibility>(&map, "accessibility", cx);
    let fee = map
        .get("fee")
        .and_then(|n| reader::vocab::<Fee>(n, "fee", cx));
    let description = map
        .get("description")
        .and_then(|n| markdown(n, "description", cx));
    let description_en = map
        .get("description_en")
        .and_then(|n| markdown(n, "description_en", cx));
    let verified = map.get("verified").and_then(|n| verified(n, cx));
    let valid_until = map
        .get("valid_until")
        .and_then(|n| validity(n, "valid_until", cx));
    let status = map
        .get("status")
        .and_then(|n| reader::vocab::<Status>(n, "status", cx))
        .unwrap_or(Status::Active);
    let source = text("source", cx);
    let sample = map
        .get("sample")
        .and_then(|n| reader::boolean(n, "sample", cx))
        .unwrap_or(false);
    // `internal` is checked for shape and then dropped: nothing downstream can publish it.
    if let Some(internal) = map.get("internal")
        && !matches!(internal.value, Value::Map(_))
    {
        cx.report(internal_not_a_mapping(internal));
    }
    let details = match kind {
        Kind::Facilities => Details::Facility(facility(&map, cx)),
        Kind::Parks => Details::Park(park(&map, cx)),
        Kind::Restaurants => Details::Restaurant(restaurant(&map, cx)),
        Kind::Consultation => Details::Consultation(consultation(&map, cx)),
    };
    Some(Record {
        kind,
        span: node.span,
        id: id?,
        name: name?,
        name_kana: text("name_kana", cx),
        name_en: text("name_en", cx),
        record_type: record_type?,
        municipality,
        address,
        phone,
        fax,
        email,
        url,
        location,
        hours,
        hours_note,
        languages,
        accessibility,
        fee,
        description,
        description_en,
        verified,
        valid_until,
        status,
        source,
        sample,
        codes: map.get("codes").map(|n| codes(n, cx)).unwrap_or_default(),
        details,
    })
}

/// E0104 for an id that is no slug (with a slug like it), or a name Windows reserves.
fn check_id(id: &Sp<String>, cx: &mut Cx) {
    if !is_slug(&id.value) {
        let suggestion = suggest_slug(&id.value);
        let d = Diagnostic::new(
            Code::BadId,
            id.span,
            format!("id \"{}\" is not a slug", id.value),
        )
        .label("only a-z, 0-9 and single hyphens");
        cx.report(if suggestion.is_empty() || !is_slug(&suggestion) {
            d.help(SLUG_HELP)
        } else {
            d.help(format!("{SLUG_HELP}; for example \"{suggestion}\""))
        });
    } else if is_reserved_name(&id.value) {
        let suggestion = format!("\"{}-1\"", id.value);
        cx.report(reserved_name(id.span, "id", &id.value, &suggestion));
    }
}

/// The record's `type`: a built-in type of its kind or one of `site_types` (site.yaml's).
fn record_type(
    map: &MapReader,
    what: &str,
    kind: Kind,
    site_types: Option<&[String]>,
    cx: &mut Cx,
) -> Option<Sp<RecordType>> {
    let t = map
        .require("type", what, cx)
        .and_then(|n| reader::text(n, "type", cx))?;
    let Some(site_types) = site_types else {
        return Some(t.map(|t| RecordType::parse(kind, &t)));
    };
    let mut allowed: Vec<&str> = kind.builtin_types();
    allowed.extend(site_types.iter().map(String::as_str));
    reader::one_of(
        &t,
        "type",
        &format!("type of {kind}"),
        &allowed,
        Code::UnknownType,
        cx,
    )
    .map(|_| t.map(|t| RecordType::parse(kind, &t)))
}

/// A record's ways to get in touch.
struct Contacts {
    phone: Vec<Contact>,
    fax: Option<Sp<String>>,
    email: Option<Sp<String>>,
    url: Vec<Contact>,
}

fn contact_fields(map: &MapReader, cx: &mut Cx) -> Contacts {
    let phone = map
        .get("phone")
        .map(|n| contacts(n, "phone", "number", phone_value, cx))
        .unwrap_or_default();
    let fax = map.get("fax").and_then(|n| phone_value(n, "fax", cx));
    let email = map.get("email").and_then(|n| {
        let e = reader::text(n, "email", cx)?;
        check(
            cx,
            &e,
            Code::BadEmail,
            "email address",
            formats::email_problem(&e),
        )
    });
    let url = map
        .get("url")
        .map(|n| contacts(n, "url", "url", url_value, cx))
        .unwrap_or_default();
    Contacts {
        phone,
        fax,
        email,
        url,
    }
}

/// E-code for a record with neither `municipality` nor `location`: it cannot be placed.
fn no_place(node: &Node, what: &str, cx: &Cx) -> Diagnostic {
    Diagnostic::new(
        Code::NoPlace,
        node.span,
        format!("{what} has neither `municipality` nor `location`"),
    )
    .help(format!(
        "add `municipality` (its code, {}) or `location: {{ lat: …, lon: … }}`",
        cx.example_municipality()
    ))
}

/// `languages`: ISO 639-1 codes.
fn languages(map: &MapReader, cx: &mut Cx) -> Vec<Sp<String>> {
    map.get("languages")
        .map(|n| {
            reader::list(n, "languages", cx, |n, cx| {
                let code = reader::text(n, "languages", cx)?;
                reader::one_of(
                    &code,
                    "languages",
                    "ISO 639-1 language code",
                    ISO_639_1,
                    Code::UnknownValue,
                    cx,
                )?;
                Some(code)
            })
        })
        .unwrap_or_default()
}

fn internal_not_a_mapping(internal: &Node) -> Diagnostic {
    Diagnostic::new(
        Code::WrongType,
        internal.span,
        format!(
            "`internal` must be a mapping, found {}",
            internal.describe()
        ),
    )
    .help("for example `internal: { contact: 担当者名, note: … }`")
}

/// `codes: { mhlw: "3711370100010", medical_institution: "3510310323" }`: official codes by
/// scheme, each a string of digits (10 for a 医療機関コード).
fn codes(node: &Node, cx: &mut Cx) -> Vec<(String, Sp<String>)> {
    let Some(map) = MapReader::open(node, &names(fields::CODE_FIELDS), "`codes`", cx) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in map.entries() {
        let Some(code) = reader::text(value, &key.name, cx) else {
            continue;
        };
        let digits = code.value.chars().all(|c| c.is_ascii_digit());
        let length_ok = key.name != "medical_institution" || code.value.len() == 10;
        if !digits || !length_ok || code.value.len() > 20 {
            cx.report(
                Diagnostic::new(
                    Code::WrongType,
                    code.span,
                    format!("`codes.{}` \"{}\" is not a code of digits", key.name, code.value),
                )
                .label("digits only")
                .help("write the code as the source gives it, in quotes: \"3711370100010\" (a 医療機関コード has 10 digits)"),
            );
            continue;
        }
        out.push((key.name.clone(), code));
    }
    out
}

/// Reports `problem` (if any) about `value` and keeps the value only when it is fine.
fn check(
    cx: &mut Cx,
    value: &Sp<String>,
    code: Code,
    what: &str,
    problem: Option<String>,
) -> Option<Sp<String>> {
    match problem {
        None => Some(value.clone()),
        Some(problem) => {
            cx.report(
                Diagnostic::new(
                    code,
                    value.span,
                    format!("\"{}\" is not a valid {what}", value.value),
                )
                .label(format!("malformed {what}"))
                .help(problem),
            );
            None
        }
    }
}

fn phone_value(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<String>> {
    let p = reader::text(node, field, cx)?;
    check(
        cx,
        &p,
        Code::BadPhone,
        "phone number",
        formats::phone_problem(&p),
    )
}

fn url_value(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<String>> {
    let u = reader::text(node, field, cx)?;
    check(cx, &u, Code::BadUrl, "URL", formats::url_problem(&u))
}

/// `phone:`/`url:` as one value, or a list of values or `{ number|url, label }` maps.
fn contacts(
    node: &Node,
    field: &str,
    value_key: &str,
    value: fn(&Node, &str, &mut Cx) -> Option<Sp<String>>,
    cx: &mut Cx,
) -> Vec<Contact> {
    let one = |n: &Node, cx: &mut Cx| -> Option<Contact> {
        match &n.value {
            Value::Map(_) => {
                let map =
                    MapReader::open(n, &[value_key, "label"], &format!("a `{field}` entry"), cx)?;
                let v = map.require(value_key, &format!("this `{field}` entry"), cx)?;
                let label = map.get("label").and_then(|l| reader::text(l, "label", cx));
                Some(Contact {
                    value: value(v, field, cx)?,
                    label: label.map(|l| l.value),
                })
            }
            _ => Some(Contact {
                value: value(n, field, cx)?,
                label: None,
            }),
        }
    };
    match &node.value {
        Value::Seq(_) => reader::list(node, field, cx, one),
        _ => one(node, cx).into_iter().collect(),
    }
}

fn location(node: &Node, cx: &mut Cx) -> Option<Sp<LatLon>> {
    let map = MapReader::open(node, &["lat", "lon"], "`location`", cx)?;
    let lat_node = map.require("lat", "`location`", cx);
    let lon_node = map.require("lon", "`location`", cx);
    let lat = lat_node.and_then(|n| reader::number(n, "lat", cx));
    let lon = lon_node.and_then(|n| reader::number(n, "lon", cx));
    let (lat, lon, lat_node, lon_node) = (lat?, lon?, lat_node?, lon_node?);
    if lat == 0.0 && lon == 0.0 {
        cx.report(
            Diagnostic::new(
                Code::NullIsland,
                node.span,
                "location 0,0 is not a real place (it usually means \"unknown\")",
            )
            .help(
                "remove `location` and give `municipality` instead, or look the place up on a map",
            ),
        );
        return None;
    }
    let mut ok = true;
    // Japan lies between 20°N and 46°N and between 122°E and 154°E: a latitude above 90 with a
    // longitude that would be a valid latitude is almost always a swapped pair.
    let swapped = lat.abs() > 90.0 && lon.abs() <= 90.0;
    if lat.abs() > 90.0 {
        let message = if swapped {
            format!("latitude {lat} is outside -90..90; are latitude and longitude swapped?")
        } else {
            format!("latitude {lat} is outside -90..90")
        };
        let mut d =
            Diagnostic::new(Code::CoordinateRange, lat_node.span, message).label("not a latitude");
        if swapped {
            d = d.help(format!("write `location: {{ lat: {lon}, lon: {lat} }}`"));
        }
        cx.report(d);
        ok = false;
    }
    if lon.abs() > 180.0 {
        cx.report(
            Diagnostic::new(
                Code::CoordinateRange,
                lon_node.span,
                format!("longitude {lon} is outside -180..180"),
            )
            .label("not a longitude"),
        );
        ok = false;
    }
    ok.then(|| Sp::new(LatLon { lat, lon }, node.span))
}

fn hours(node: &Node, cx: &mut Cx) -> Option<Sp<crate::hours::Hours>> {
    let raw = reader::text(node, "hours", cx)?;
    let parsed = cx
        .hours
        .entry(raw.value.clone())
        .or_insert_with(|| crate::hours::parse(&raw.value))
        .clone();
    match parsed {
        Ok(h) => Some(Sp::new(h, raw.span)),
        Err(e) => {
            // Point at the character inside the string where parsing failed.
            let span = match e.offset {
                Some(offset) if node.span.line > 0 => {
                    let inner = yaml::content_offset(cx.text, node.span);
                    node.span.shifted(inner + offset as u32, 1)
                }
                _ => node.span,
            };
            cx.report(
                Diagnostic::new(Code::HoursSyntax, span, format!("hours \"{}\" do not parse: {}", raw.value, e.message))
                    .label("here")
                    .help("use OSM opening_hours syntax, e.g. `Mo-Fr 08:30-17:15; PH off; Dec 29-Jan 03 off`"),
            );
            None
        }
    }
}

fn markdown(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<String>> {
    let text = reader::text(node, field, cx)?;
    if let Some(&offset) = formats::raw_html_offsets(&text.value).first() {
        let span = offset_span(node.span, &text.value, offset);
        cx.report(
            Diagnostic::new(
                Code::RawHtml,
                span,
                format!("raw HTML in `{field}` will be shown as text, not as HTML"),
            )
            .label("HTML tag")
            .help("write Markdown instead: **bold**, [link](https://…), lists with `-`"),
        );
    }
    Some(text)
}

/// The span of byte `offset` inside a (possibly multi-line block) string value.
fn offset_span(value_span: Span, text: &str, offset: usize) -> Span {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32;
    let col_in_line = before.rsplit('\n').next().unwrap_or("").chars().count() as u32;
    if line == 0 {
        value_span.shifted(col_in_line, 1)
    } else {
        Span {
            line: value_span.line + line,
            col: value_span.col + col_in_line,
            len: 1,
            ..value_span
        }
    }
}

fn verified(node: &Node, cx: &mut Cx) -> Option<Sp<jiff::civil::Date>> {
    let date = reader::date(node, "verified", cx)?;
    if date.value > cx.today {
        cx.report(
            Diagnostic::new(
                Code::FutureDate,
                date.span,
                format!("`verified` {} is in the future", date.value),
            )
            .help("write the date the information was actually confirmed"),
        );
    } else if date.value < cx.today.saturating_sub(1.year()) {
        cx.report(
            Diagnostic::new(
                Code::Stale,
                date.span,
                format!("last verified {}, more than a year ago", date.value),
            )
            .help("confirm the information with the facility and update `verified`"),
        );
    }
    Some(date)
}

/// `valid_until` and the `until` of certifications and registrations.
fn validity(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<jiff::civil::Date>> {
    let date = reader::date(node, field, cx)?;
    if date.value < cx.today {
        cx.report(
            Diagnostic::new(
                Code::Expired,
                date.span,
                format!("`{field}` {} has passed", date.value),
            )
            .label("expired")
            .help("renew the registration and update the date, or set `status: closed`"),
        );
    } else if date.value <= cx.today.saturating_add(60.days()) {
        cx.report(
            Diagnostic::new(
                Code::ExpiresSoon,
                date.span,
                format!("`{field}` {} is within 60 days", date.value),
            )
            .help("plan the renewal"),
        );
    }
    Some(date)
}

fn vocab_list<V: Vocab>(map: &MapReader, field: &str, cx: &mut Cx) -> Vec<V> {
    let mut out: Vec<V> = map
        .get(field)
        .map(|n| reader::list(n, field, cx, |n, cx| reader::vocab::<V>(n, field, cx)))
        .unwrap_or_default();
    out.dedup();
    out
}

fn strings(map: &MapReader, field: &str, cx: &mut Cx) -> Vec<String> {
    map.get(field)
        .map(|n| {
            reader::list(n, field, cx, |n, cx| {
                reader::text(n, field, cx).map(|s| s.value)
            })
        })
        .unwrap_or_default()
}

fn facility(map: &MapReader, cx: &mut Cx) -> FacilityDetails {
    FacilityDetails {
        departments: strings(map, "departments", cx),
        beds: map.get("beds").and_then(|n| reader::count(n, "beds", cx)),
        emergency: map
            .get("emergency")
            .and_then(|n| reader::boolean(n, "emergency", cx)),
        checkups: strings(map, "checkups", cx),
    }
}

fn park(map: &MapReader, cx: &mut Cx) -> ParkDetails {
    ParkDetails {
        amenities: vocab_list(map, "amenities", cx),
        course_km: map
            .get("course_km")
            .and_then(|n| reader::amount(n, "course_km", cx)),
    }
}

fn names(specs: &[fields::FieldSpec]) -> Vec<&'static str> {
    specs.iter().map(|f| f.name).collect()
}

fn restaurant(map: &MapReader, cx: &mut Cx) -> RestaurantDetails {
    let certification = map.get("certification").and_then(|n| {
        let c = MapReader::open(
            n,
            &names(fields::CERTIFICATION_FIELDS),
            "`certification`",
            cx,
        )?;
        Some(Certification {
            name: c
                .get("name")
                .and_then(|n| reader::text(n, "name", cx))
                .map(|s| s.value),
            since: c
                .get("since")
                .and_then(|n| reader::date(n, "since", cx))
                .map(|d| d.value),
            until: c
                .get("until")
                .and_then(|n| validity(n, "certification.until", cx)),
        })
    });
    let menus = map
        .get("menus")
        .map(|n| {
            reader::list(n, "menus", cx, |n, cx| {
                let m = MapReader::open(n, &names(fields::MENU_FIELDS), "a menu", cx)?;
                let name = m
                    .require("name", "this menu", cx)
                    .and_then(|n| reader::text(n, "name", cx));
                let amount = |f: &str, cx: &mut Cx| m.get(f).and_then(|n| reader::amount(n, f, cx));
                let menu = Menu {
                    name: String::new(),
                    kcal: amount("kcal", cx),
                    salt_g: amount("salt_g", cx),
                    vegetables_g: amount("vegetables_g", cx),
                    price_yen: m
                        .get("price_yen")
                        .and_then(|n| reader::count(n, "price_yen", cx)),
                };
                Some(Menu {
                    name: name?.value,
                    ..menu
                })
            })
        })
        .unwrap_or_default();
    RestaurantDetails {
        certification,
        menus,
        smoke_free: map
            .get("smoke_free")
            .and_then(|n| reader::boolean(n, "smoke_free", cx)),
    }
}

fn consultation(map: &MapReader, cx: &mut Cx) -> ConsultationDetails {
    let registration = map.get("registration").and_then(|n| {
        let r = MapReader::open(n, &names(fields::REGISTRATION_FIELDS), "`registration`", cx)?;
        Some(Registration {
            number: r
                .get("number")
                .and_then(|n| reader::text(n, "number", cx))
                .map(|s| s.value),
            until: r
                .get("until")
                .and_then(|n| validity(n, "registration.until", cx)),
        })
    });
    ConsultationDetails {
        audiences: vocab_list(map, "audiences", cx),
        topics: vocab_list(map, "topics", cx),
        channels: vocab_list(map, "channels", cx),
        max_employees: map
            .get("max_employees")
            .and_then(|n| reader::count(n, "max_employees", cx)),
        reservation: map
            .get("reservation")
            .and_then(|n| reader::vocab(n, "reservation", cx)),
        anonymous: map
            .get("anonymous")
            .and_then(|n| reader::boolean(n, "anonymous", cx)),
        serves: map
            .get("serves")
            .map(|n| reader::list(n, "serves", cx, |n, cx| reader::muni_code(n, "serves", cx)))
            .unwrap_or_default(),
        registration,
    }
}

/// Decodes `data/areas/<prefecture>.yaml`.
pub fn areas_file(root: &Node, file: crate::diagnostics::FileId, cx: &mut Cx) -> Option<AreasFile> {
    let map = MapReader::open(root, &names(fields::AREAS_FILE_FIELDS), "an areas file", cx)?;
    let prefecture = map
        .require("prefecture", "the areas file", cx)
        .and_then(|n| {
            let p = MapReader::open(n, &names(fields::PREFECTURE_FIELDS), "`prefecture`", cx)?;
            let code = p
                .require("code", "`prefecture`", cx)
                .and_then(|n| reader::text(n, "code", cx));
            if let Some(code) = &code
                && !(code.value.len() == 2 && code.value.bytes().all(|b| b.is_ascii_digit()))
            {
                cx.report(
                    Diagnostic::new(
                        Code::WrongType,
                        code.span,
                        format!("prefecture code \"{}\" must be 2 digits", code.value),
                    )
                    .help(
                        "the 2-digit 都道府県コード, \"01\" (北海道) to \"47\" (沖縄県); quote it so YAML keeps the leading zero",
                    ),
                );
            }
            let name = p
                .require("name", "`prefecture`", cx)
                .and_then(|n| reader::text(n, "name", cx));
            let name_en = p
                .get("name_en")
                .and_then(|n| reader::text(n, "name_en", cx));
            Some(Prefecture {
                code: code?,
                name: name?.value,
                name_en: name_en.map(|s| s.value),
            })
        });
    let boundaries = map
        .require("boundaries", "the areas file", cx)
        .and_then(|n| reader::text(n, "boundaries", cx));
    let code_property = map
        .get("code_property")
        .and_then(|n| reader::text(n, "code_property", cx))
        .map(|s| s.value)
        .unwrap_or_else(|| "N03_007".to_owned());
    let areas = map
        .require("areas", "the areas file", cx)
        .map(|n| reader::list(n, "areas", cx, area))
        .unwrap_or_default();
    Some(AreasFile {
        file,
        prefecture: prefecture?,
        boundaries: boundaries?,
        code_property,
        areas,
    })
}

fn area(node: &Node, cx: &mut Cx) -> Option<Area> {
    let a = MapReader::open(node, &names(fields::AREA_FIELDS), "an area", cx)?;
    let code = a
        .require("code", "this area", cx)
        .and_then(|n| reader::text(n, "code", cx));
    if let Some(code) = &code
        && !is_slug(&code.value)
    {
        // Area codes become URLs (areas/<code>/).
        cx.report(
            Diagnostic::new(
                Code::BadId,
                code.span,
                format!("area code \"{}\" must be digits or a slug", code.value),
            )
            .help("use the 二次医療圏 code, e.g. \"3706\""),
        );
    } else if let Some(code) = &code
        && is_reserved_name(&code.value)
    {
        let suggestion = format!("\"{}-1\"", code.value);
        cx.report(reserved_name(
            code.span,
            "area code",
            &code.value,
            &suggestion,
        ));
    }
    let name = a
        .require("name", "this area", cx)
        .and_then(|n| reader::text(n, "name", cx));
    let name_en = a
        .get("name_en")
        .and_then(|n| reader::text(n, "name_en", cx));
    let municipalities = a
        .require("municipalities", "this area", cx)
        .map(|n| {
            reader::list(n, "municipalities", cx, |n, cx| {
                let m =
                    MapReader::open(n, &names(fields::MUNICIPALITY_FIELDS), "a municipality", cx)?;
                let code = m
                    .require("code", "this municipality", cx)
                    .and_then(|n| reader::muni_code(n, "code", cx));
                let name = m
                    .require("name", "this municipality", cx)
                    .and_then(|n| reader::text(n, "name", cx));
                let name_en = m
                    .get("name_en")
                    .and_then(|n| reader::text(n, "name_en", cx));
                Some(Municipality {
                    code: code?,
                    name: name?.value,
                    name_en: name_en.map(|s| s.value),
                })
            })
        })
        .unwrap_or_default();
    Some(Area {
        code: code.filter(|c| is_slug(&c.value) && !is_reserved_name(&c.value))?,
        name: name?.value,
        name_en: name_en.map(|s| s.value),
        municipalities,
    })
}

/// A content page (`content/*.md`) with its front matter decoded.
#[derive(Clone, Debug)]
pub struct ContentPage {
    pub file: crate::diagnostics::FileId,
    pub slug: String,
    pub lang: crate::text::Lang,
    pub title: String,
    pub description: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub markdown: String,
}

pub fn content_page(page: &crate::load::ContentFile, cx: &mut Cx) -> Option<ContentPage> {
    use crate::text::Lang;
    let file_span = Span {
        file: page.file,
        line: 1,
        col: 1,
        len: 1,
    };
    if !is_slug(&page.slug) {
        cx.report(
            Diagnostic::new(
                Code::BadId,
                file_span,
                format!("content file name \"{}\" is not a slug", page.slug),
            )
            .help(
                "content file names become URLs: use a-z, 0-9 and hyphens, e.g. content/about.md",
            ),
        );
        return None;
    }
    if is_reserved_name(&page.slug) {
        let lang = page.lang_suffix.as_deref().map(|l| format!(".{l}"));
        let suggestion = format!("content/{}-1{}.md", page.slug, lang.unwrap_or_default());
        cx.report(reserved_name(
            file_span,
            "content file name",
            &page.slug,
            &suggestion,
        ));
        return None;
    }
    let lang = match page.lang_suffix.as_deref().map(|s| (s, Lang::parse(s))) {
        None => Lang::Ja,
        Some((_, Some(lang))) => lang,
        Some((other, None)) => {
            cx.report(
                Diagnostic::new(
                    Code::UnknownValue,
                    file_span,
                    format!("content language suffix `.{other}` is not ja or en"),
                )
                .help("name English pages <slug>.en.md"),
            );
            return None;
        }
    };
    let empty = Node {
        value: Value::Map(Vec::new()),
        span: file_span,
    };
    let front = page.front.as_ref().unwrap_or(&empty);
    let map = MapReader::open(
        front,
        &["title", "description", "weight", "draft"],
        "front matter",
        cx,
    )?;
    let title = map
        .get("title")
        .and_then(|n| reader::text(n, "title", cx))
        .map(|s| s.value);
    let title = title.or_else(|| first_heading(&page.body));
    if title.is_none() {
        cx.report(
            Diagnostic::new(
                Code::MissingField,
                file_span,
                format!("content page `{}` has no title", page.slug),
            )
            .help("add `title:` to the front matter or start the page with a `# heading`"),
        );
    }
    for offset in formats::raw_html_offsets(&page.body) {
        let before = &page.body[..offset];
        let line = page.body_line + before.matches('\n').count() as u32;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        cx.report(
            Diagnostic::new(
                Code::RawHtml,
                Span {
                    file: page.file,
                    line,
                    col,
                    len: 1,
                },
                "raw HTML in this page will be shown as text, not as HTML",
            )
            .help("write Markdown instead: **bold**, [link](https://…), lists with `-`"),
        );
    }
    let weight = map
        .get("weight")
        .and_then(|n| match &n.value {
            Value::Number { value, .. } if value.fract() == 0.0 => Some(*value as i64),
            _ => {
                cx.report(Diagnostic::new(
                    Code::WrongType,
                    n.span,
                    "`weight` must be a whole number",
                ));
                None
            }
        })
        .unwrap_or(0);
    Some(ContentPage {
        file: page.file,
        slug: page.slug.clone(),
        lang,
        title: title?,
        description: map
            .get("description")
            .and_then(|n| reader::text(n, "description", cx))
            .map(|s| s.value),
        weight,
        draft: map
            .get("draft")
            .and_then(|n| reader::boolean(n, "draft", cx))
            .unwrap_or(false),
        markdown: page.body.clone(),
    })
}

/// The text of the first `# heading` of a Markdown document.
fn first_heading(markdown: &str) -> Option<String> {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;

    fn decode(text: &str, kind: Kind) -> (Vec<Record>, Vec<Diagnostic>) {
        let node = yaml::parse(text, FileId(0)).unwrap();
        let mut diags = Vec::new();
        let mut cx = Cx::new(&mut diags, text, jiff::civil::date(2026, 11, 21));
        let records = registry_file(&node, kind, Some(&[]), &mut cx);
        (records, diags)
    }

    fn codes(diags: &[Diagnostic]) -> Vec<&'static str> {
        diags.iter().map(|d| d.code.id()).collect()
    }

    #[test]
    fn a_full_record_decodes_without_diagnostics() {
        let text = r#"
defaults:
  source: 高松市オープンデータ
  municipality: "372013"
records:
  - id: takamatsu-hokenjo
    name: 高松市保健所
    name_kana: タカマツシホケンジョ
    name_en: Takamatsu City Public Health Center
    type: health_center
    address: 高松市桜町一丁目10-27
    phone:
      - { number: 087-839-2860, label: 保健医療政策課 }
      - 087-839-2870
    url: https://www.city.takamatsu.kagawa.jp/
    location: { lat: 34.330488, lon: 134.052607 }
    hours: Mo-Fr 08:30-17:00; PH off
    languages: [ja, en]
    accessibility: [wheelchair, accessible_toilet]
    fee: free
    verified: 2026-06-01
    departments: [内科]
    internal: { contact: 担当 }
"#;
        let (records, diags) = decode(text, Kind::Facilities);
        assert_eq!(diags, vec![]);
        let r = &records[0];
        assert_eq!(r.id.value, "takamatsu-hokenjo");
        assert_eq!(r.phone.len(), 2);
        assert_eq!(r.phone[0].label.as_deref(), Some("保健医療政策課"));
        assert_eq!(r.municipality.as_ref().unwrap().value.to_string(), "372013");
        assert_eq!(r.source.as_ref().unwrap().value, "高松市オープンデータ");
        assert_eq!(r.location.as_ref().unwrap().lat, 34.330488);
    }

    #[test]
    fn every_problem_in_a_record_is_reported() {
        let text = r#"records:
  - id: Bad_Id
    nmae: x
    type: hosptal
    phone: "087-839-286"
    email: nobody
    url: www.example.jp
    location: { lat: 134.05, lon: 34.33 }
    valid_until: 2020-01-01
    verified: 2020-01-01
    fee: gratis
    beds: many
"#;
        let (records, diags) = decode(text, Kind::Facilities);
        assert!(records.is_empty());
        let mut got = codes(&diags);
        got.sort();
        assert_eq!(
            got,
            vec![
                "E0101", "E0102", "E0103", "E0104", "E0106", "E0107", "E0203", "E0302", "E0303",
                "E0304", "E0306", "W0307"
            ]
        );
        let lat = diags
            .iter()
            .find(|d| d.code == Code::CoordinateRange)
            .unwrap();
        assert_eq!((lat.span.unwrap().line, lat.span.unwrap().col), (8, 22));
        assert!(lat.message.contains("swapped"));
    }

    #[test]
    fn slugs() {
        assert!(is_slug("takamatsu-hokenjo-2"));
        for bad in ["", "A", "a--b", "-a", "a-", "a_b", "高松"] {
            assert!(!is_slug(bad), "{bad}");
        }
        assert_eq!(suggest_slug("Takamatsu Hokenjo"), "takamatsu-hokenjo");
    }

    #[test]
    fn windows_device_names_are_reserved() {
        for reserved in [
            "con", "prn", "aux", "nul", "com1", "com9", "lpt1", "lpt9", "COM3",
        ] {
            assert!(is_reserved_name(reserved), "{reserved}");
        }
        for fine in [
            "con-1", "cons", "com", "com10", "lpt", "nul2x", "console", "aux-park",
        ] {
            assert!(!is_reserved_name(fine), "{fine}");
        }
    }

    #[test]
    fn reserved_ids_are_refused_with_a_suggestion() {
        let text =
            "records:\n  - id: con\n    name: A\n    type: park\n    municipality: \"372013\"\n";
        let (records, diags) = decode(text, Kind::Parks);
        assert_eq!(codes(&diags), ["E0104"]);
        assert_eq!(diags[0].span.unwrap().line, 2);
        assert!(diags[0].help.as_deref().unwrap().contains("\"con-1\""));
        // Reported, and the record is still decoded: the error stops the build.
        assert_eq!(records.len(), 1);
    }

    #[test]
    fn reserved_content_slugs_are_refused() {
        let page = crate::load::ContentFile {
            file: FileId(0),
            slug: "aux".into(),
            lang_suffix: Some("en".into()),
            front: None,
            body: "# Aux\n".into(),
            body_line: 1,
        };
        let mut diags = Vec::new();
        let mut cx = Cx::new(&mut diags, "# Aux\n", jiff::civil::date(2026, 11, 21));
        assert!(content_page(&page, &mut cx).is_none());
        assert_eq!(codes(&diags), ["E0104"]);
        assert!(
            diags[0]
                .help
                .as_deref()
                .unwrap()
                .contains("content/aux-1.en.md")
        );
    }

    #[test]
    fn html_in_block_description_points_at_its_line() {
        let text = "records:\n  - id: a\n    name: A\n    type: park\n    municipality: \"372013\"\n    description: |\n      first line\n      with <b>bold</b>\n";
        let (_, diags) = decode(text, Kind::Parks);
        let d = diags.iter().find(|d| d.code == Code::RawHtml).unwrap();
        assert_eq!((d.span.unwrap().line, d.span.unwrap().col), (8, 12));
    }
}
