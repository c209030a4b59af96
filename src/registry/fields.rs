//! The field tables of every registry file: names, whether they are required, a description
//! and their JSON Schema. The decoder checks unknown fields against these tables and
//! `kenkomap schema` prints them, so the two can never disagree.

use serde_json::{Value, json};

use super::Kind;
use super::vocab::*;

pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
    pub doc: &'static str,
    pub schema: fn() -> Value,
}

const fn field(name: &'static str, doc: &'static str, schema: fn() -> Value) -> FieldSpec {
    FieldSpec {
        name,
        required: false,
        doc,
        schema,
    }
}

const fn required(name: &'static str, doc: &'static str, schema: fn() -> Value) -> FieldSpec {
    FieldSpec {
        name,
        required: true,
        doc,
        schema,
    }
}

/// JSON Schema fragments.
pub mod s {
    use super::*;

    pub fn string() -> Value {
        json!({ "type": "string", "minLength": 1 })
    }
    pub fn slug() -> Value {
        json!({ "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 100 })
    }
    pub fn muni_code() -> Value {
        json!({ "type": "string", "pattern": "^[0-9]{5,6}$",
                "description": "全国地方公共団体コード: 6 digits with check digit, or 5 digits" })
    }
    pub fn date() -> Value {
        json!({ "type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" })
    }
    pub fn boolean() -> Value {
        json!({ "type": "boolean" })
    }
    pub fn count() -> Value {
        json!({ "type": "integer", "minimum": 0 })
    }
    pub fn amount() -> Value {
        json!({ "type": "number", "minimum": 0 })
    }
    pub fn strings() -> Value {
        json!({ "type": "array", "items": string() })
    }
    pub fn url() -> Value {
        json!({ "type": "string", "pattern": "^https?://" })
    }
    pub fn email() -> Value {
        json!({ "type": "string", "pattern": "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$" })
    }
    pub fn phone() -> Value {
        json!({ "type": "string", "pattern": "^[#+]?[0-9][0-9() -]*$" })
    }
    pub fn vocab<V: Vocab>() -> Value {
        json!({ "enum": V::names().collect::<Vec<_>>() })
    }
    pub fn vocab_list<V: Vocab>() -> Value {
        json!({ "type": "array", "items": vocab::<V>(), "uniqueItems": true })
    }
    pub fn languages() -> Value {
        json!({ "type": "array", "items": { "enum": ISO_639_1 }, "uniqueItems": true })
    }
    /// One value, or a list of values each optionally labelled.
    fn contacts(item: Value, key: &str) -> Value {
        json!({ "anyOf": [
            item.clone(),
            { "type": "array", "items": { "anyOf": [
                item.clone(),
                { "type": "object", "additionalProperties": false, "required": [key],
                  "properties": { key: item, "label": string() } }
            ] } }
        ] })
    }
    pub fn phones() -> Value {
        contacts(phone(), "number")
    }
    pub fn urls() -> Value {
        contacts(url(), "url")
    }
    pub fn location() -> Value {
        json!({ "type": "object", "additionalProperties": false, "required": ["lat", "lon"],
                "properties": {
                    "lat": { "type": "number", "minimum": -90, "maximum": 90 },
                    "lon": { "type": "number", "minimum": -180, "maximum": 180 } } })
    }
    pub fn hours() -> Value {
        json!({ "type": "string", "description": "OSM opening_hours, e.g. Mo-Fr 08:30-17:15; PH off" })
    }
    pub fn any_map() -> Value {
        json!({ "type": "object" })
    }
    pub fn muni_codes() -> Value {
        json!({ "type": "array", "items": muni_code(), "uniqueItems": true })
    }
    pub fn object<'a>(fields: impl IntoIterator<Item = &'a FieldSpec>) -> Value {
        let fields: Vec<&FieldSpec> = fields.into_iter().collect();
        let properties: serde_json::Map<String, Value> = fields
            .iter()
            .map(|f| {
                let mut schema = (f.schema)();
                if let Value::Object(map) = &mut schema {
                    map.insert("description".into(), Value::String(f.doc.into()));
                }
                (f.name.to_owned(), schema)
            })
            .collect();
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        json!({ "type": "object", "additionalProperties": false,
                "required": required, "properties": properties })
    }
    pub fn certification() -> Value {
        object(CERTIFICATION_FIELDS)
    }
    pub fn registration() -> Value {
        object(REGISTRATION_FIELDS)
    }
    pub fn codes() -> Value {
        object(CODE_FIELDS)
    }
    pub fn menus() -> Value {
        json!({ "type": "array", "items": object(MENU_FIELDS) })
    }
}

/// Fields every record has. `type` is checked against the kind's vocabulary.
pub const COMMON_FIELDS: &[FieldSpec] = &[
    required(
        "id",
        "Slug [a-z0-9-], unique across the site; it becomes the URL",
        s::slug,
    ),
    required("name", "Official name (正式名称)", s::string),
    field(
        "name_kana",
        "Reading in katakana or hiragana, for search and sorting",
        s::string,
    ),
    field("name_en", "Name in English", s::string),
    required(
        "type",
        "Type, from the kind's vocabulary or the site's own types",
        s::string,
    ),
    field(
        "municipality",
        "Municipality code; required unless `location` is given",
        s::muni_code,
    ),
    field("address", "Address (所在地)", s::string),
    field(
        "phone",
        "Phone number, or a list of numbers with labels",
        s::phones,
    ),
    field("fax", "Fax number", s::phone),
    field(
        "email",
        "Email address of the office (never a person's)",
        s::email,
    ),
    field("url", "Web page, or a list of pages with labels", s::urls),
    field(
        "location",
        "WGS84 decimal degrees { lat, lon }; 0,0 is refused",
        s::location,
    ),
    field(
        "hours",
        "Opening hours in OSM opening_hours syntax",
        s::hours,
    ),
    field(
        "hours_note",
        "Free text about the hours (利用可能日時特記事項)",
        s::string,
    ),
    field(
        "languages",
        "ISO 639-1 codes of languages served",
        s::languages,
    ),
    field(
        "accessibility",
        "Accessibility features",
        s::vocab_list::<Accessibility>,
    ),
    field("fee", "free, paid or insurance", s::vocab::<Fee>),
    field("description", "Markdown description (sanitised)", s::string),
    field(
        "description_en",
        "Markdown description in English",
        s::string,
    ),
    field(
        "verified",
        "Date the information was last confirmed",
        s::date,
    ),
    field(
        "valid_until",
        "End of registration or certification",
        s::date,
    ),
    field(
        "status",
        "active (default), suspended (受付休止) or closed (not published as a page)",
        s::vocab::<Status>,
    ),
    field("source", "Attribution of the data", s::string),
    field(
        "sample",
        "true marks a fictional example, shown with a badge",
        s::boolean,
    ),
    field(
        "codes",
        "Official codes by scheme: { mhlw: 医療情報ネット ID, medical_institution: 医療機関コード }; imports match places by them",
        s::codes,
    ),
    field(
        "internal",
        "Anything for the council's own use (contact persons…); never published",
        s::any_map,
    ),
];

pub const FACILITY_FIELDS: &[FieldSpec] = &[
    field("departments", "Medical departments (診療科)", s::strings),
    field("beds", "Number of beds", s::count),
    field("emergency", "Emergency care (救急告示)", s::boolean),
    field(
        "checkups",
        "Health checks offered (特定健診, がん検診, …)",
        s::strings,
    ),
];

pub const PARK_FIELDS: &[FieldSpec] = &[
    field("amenities", "Amenities", s::vocab_list::<Amenity>),
    field("course_km", "Length of the walking course in km", s::amount),
];

pub const RESTAURANT_FIELDS: &[FieldSpec] = &[
    field(
        "certification",
        "Healthy-menu certification { name, since, until }",
        s::certification,
    ),
    field("menus", "Healthy menus with nutrition facts", s::menus),
    field(
        "smoke_free",
        "The whole premises are smoke-free",
        s::boolean,
    ),
];

pub const CONSULTATION_FIELDS: &[FieldSpec] = &[
    field("audiences", "Who can consult", s::vocab_list::<Audience>),
    field("topics", "What about", s::vocab_list::<Topic>),
    field("channels", "How to consult", s::vocab_list::<Channel>),
    field(
        "max_employees",
        "Eligible workplaces have at most this many employees (e.g. 49)",
        s::count,
    ),
    field(
        "reservation",
        "required, recommended or none",
        s::vocab::<Reservation>,
    ),
    field("anonymous", "Consultation can be anonymous", s::boolean),
    field(
        "serves",
        "Municipality codes of the catchment (default: its own area)",
        s::muni_codes,
    ),
    field(
        "registration",
        "Registration { number, until }",
        s::registration,
    ),
];

pub const CERTIFICATION_FIELDS: &[FieldSpec] = &[
    field("name", "Name of the certification scheme", s::string),
    field("since", "Certified since", s::date),
    field("until", "Certified until", s::date),
];

pub const REGISTRATION_FIELDS: &[FieldSpec] = &[
    field("number", "Registration number", s::string),
    field("until", "Registered until", s::date),
];

pub const CODE_FIELDS: &[FieldSpec] = &[
    field(
        "mhlw",
        "ID of 厚生労働省 医療情報ネット",
        codes_schema::digits,
    ),
    field(
        "medical_institution",
        "医療機関コード (10 digits)",
        codes_schema::medical_institution,
    ),
];

mod codes_schema {
    use super::*;
    pub fn digits() -> Value {
        json!({ "type": "string", "pattern": "^[0-9]{1,20}$" })
    }
    pub fn medical_institution() -> Value {
        json!({ "type": "string", "pattern": "^[0-9]{10}$" })
    }
}

pub const MENU_FIELDS: &[FieldSpec] = &[
    required("name", "Menu name", s::string),
    field("kcal", "Energy in kcal", s::amount),
    field("salt_g", "Salt equivalent in g (食塩相当量)", s::amount),
    field("vegetables_g", "Vegetables in g", s::amount),
    field("price_yen", "Price in yen", s::count),
];

pub const LOCATION_FIELDS: &[FieldSpec] = &[
    required("lat", "Latitude", s::amount),
    required("lon", "Longitude", s::amount),
];

pub fn kind_fields(kind: Kind) -> &'static [FieldSpec] {
    match kind {
        Kind::Facilities => FACILITY_FIELDS,
        Kind::Parks => PARK_FIELDS,
        Kind::Restaurants => RESTAURANT_FIELDS,
        Kind::Consultation => CONSULTATION_FIELDS,
    }
}

/// All field names a record of `kind` may have.
pub fn record_field_names(kind: Kind) -> Vec<&'static str> {
    COMMON_FIELDS
        .iter()
        .chain(kind_fields(kind))
        .map(|f| f.name)
        .collect()
}

/// The JSON Schema of one record of `kind`, with the site's extra types.
pub fn record_schema(kind: Kind, extra_types: &[String]) -> Value {
    let mut schema = s::object(COMMON_FIELDS.iter().chain(kind_fields(kind)));
    let mut types: Vec<String> = kind.builtin_types().iter().map(|t| t.to_string()).collect();
    types.extend(extra_types.iter().cloned());
    schema["properties"]["type"]["enum"] = json!(types);
    schema
}

/// The JSON Schema (2020-12) of a registry file of `kind`: `defaults:` + `records:`.
pub fn registry_file_schema(kind: Kind, extra_types: &[String]) -> Value {
    let record = record_schema(kind, extra_types);
    let mut defaults = record.clone();
    defaults["required"] = json!([]);
    if let Some(props) = defaults["properties"].as_object_mut() {
        props.remove("id");
    }
    let mut supplement = record.clone();
    if let Some(props) = supplement["properties"].as_object_mut() {
        props.retain(|k, _| {
            k == "id" || k == "source" || super::merge::SUPPLEMENT_FIELDS.contains(&k.as_str())
        });
    }
    supplement["required"] = json!(["id"]);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": format!("https://kenkomap.example/schema/{}.json", kind.as_str()),
        "title": format!("kenkomap registry: data/{}/*.yaml", kind.as_str()),
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "defaults": defaults,
            "records": { "type": "array", "items": { "$ref": "#/$defs/record" } },
            "supplements": { "type": "array", "items": { "$ref": "#/$defs/supplement" },
                "description": "Fields for records of other files (the same places in another source), by their id; they fill only what the record lacks" }
        },
        "$defs": { "record": record, "supplement": supplement }
    })
}

/// Fields of `data/areas/<prefecture>.yaml`.
pub const AREAS_FILE_FIELDS: &[FieldSpec] = &[
    required(
        "prefecture",
        "{ code, name, name_en }",
        areas_schema::prefecture,
    ),
    required(
        "boundaries",
        "Municipality boundaries GeoJSON, relative to data/",
        s::string,
    ),
    field(
        "code_property",
        "Feature property holding the municipality code (default N03_007)",
        s::string,
    ),
    required(
        "areas",
        "The 二次医療圏 and their member municipalities",
        areas_schema::areas,
    ),
];

pub const PREFECTURE_FIELDS: &[FieldSpec] = &[
    required("code", "2-digit prefecture code", areas_schema::pref_code),
    required("name", "Name (香川県)", s::string),
    field("name_en", "Name in English", s::string),
];

pub const AREA_FIELDS: &[FieldSpec] = &[
    required("code", "Secondary medical area code (e.g. 3706)", s::string),
    required("name", "Name (東部)", s::string),
    field("name_en", "Name in English", s::string),
    required(
        "municipalities",
        "Member municipalities",
        areas_schema::municipalities,
    ),
];

pub const MUNICIPALITY_FIELDS: &[FieldSpec] = &[
    required("code", "Municipality code", s::muni_code),
    required("name", "Name (高松市)", s::string),
    field("name_en", "Name in English", s::string),
];

mod areas_schema {
    use super::*;
    pub fn pref_code() -> Value {
        json!({ "type": "string", "pattern": "^[0-9]{2}$" })
    }
    pub fn prefecture() -> Value {
        s::object(PREFECTURE_FIELDS)
    }
    pub fn areas() -> Value {
        json!({ "type": "array", "items": s::object(AREA_FIELDS) })
    }
    pub fn municipalities() -> Value {
        json!({ "type": "array", "items": s::object(MUNICIPALITY_FIELDS) })
    }
}

pub fn areas_file_schema() -> Value {
    let mut schema = s::object(AREAS_FILE_FIELDS);
    schema["$schema"] = json!("https://json-schema.org/draft/2020-12/schema");
    schema["title"] = json!("kenkomap areas: data/areas/<prefecture>.yaml");
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_unique_per_kind() {
        for kind in Kind::ALL {
            let names = record_field_names(kind);
            let mut sorted = names.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "{kind}");
        }
    }

    #[test]
    fn schema_lists_site_types() {
        let schema = registry_file_schema(Kind::Facilities, &["acupuncture".into()]);
        let types = &schema["$defs"]["record"]["properties"]["type"]["enum"];
        assert!(types.as_array().unwrap().contains(&json!("hospital")));
        assert!(types.as_array().unwrap().contains(&json!("acupuncture")));
        assert_eq!(
            schema["$defs"]["record"]["required"],
            json!(["id", "name", "type"])
        );
    }
}
