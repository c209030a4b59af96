//! HSDS 3.0 exports (`data/hsds/`): every exported object is valid against the official
//! Open Referral schemas in `../shared/hsds/schema`, and the mapping says what it should.
//!
//! The schemas refer to each other by relative file name (`"$ref": "phone.json"`) and carry
//! no `$id`. Each one is compiled with the base URI where Open Referral publishes it
//! (`…/specification/3.0/schema/<file>`, the base the specification's own `openapi.json`
//! uses), so a relative `$ref` resolves to a URI under that base, and a retriever maps those
//! URIs to the local files. Anything else is refused: the tests never use the network.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::common::*;
use geo::{Contains, InteriorPoint, MultiPolygon};
use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;

const SCHEMA_BASE: &str =
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/";

/// kenkomap's UUIDv5 namespace, as documented in the README.
const NAMESPACE: &str = "0b6584f5-29a4-4416-a956-78d3bf8dd061";

/// Serves the HSDS schema files from the local copy.
struct LocalSchemas(PathBuf);

impl Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let uri = uri.as_str();
        let name = uri
            .strip_prefix(SCHEMA_BASE)
            .filter(|n| !n.contains('/'))
            .ok_or_else(|| format!("{uri} is not an HSDS schema file (no network in tests)"))?;
        let text = std::fs::read_to_string(self.0.join(name))?;
        Ok(serde_json::from_str(&text)?)
    }
}

struct Schemas {
    dir: PathBuf,
    /// Compiled validators by schema file name.
    validators: HashMap<String, Validator>,
    /// Schema file of each HSDS table (`phones` → `phone.json`), from the schemas' `path`.
    tables: HashMap<String, String>,
}

impl Schemas {
    fn load(dir: &Path) -> Schemas {
        let mut tables = HashMap::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let schema = read_json(&path);
            if let Some(table) = schema["path"].as_str().and_then(|p| p.strip_suffix(".csv")) {
                let file = path.file_name().unwrap().to_str().unwrap().to_owned();
                tables.insert(table.to_owned(), file);
            }
        }
        Schemas {
            dir: dir.to_path_buf(),
            validators: HashMap::new(),
            tables,
        }
    }

    fn schema(&self, file: &str) -> Value {
        read_json(&self.dir.join(file))
    }

    /// `schema` compiled as if it were published at `SCHEMA_BASE/<file>`.
    fn compile(&self, file: &str, schema: &Value) -> Validator {
        jsonschema::options()
            .with_base_uri(format!("{SCHEMA_BASE}{file}"))
            .with_retriever(LocalSchemas(self.dir.clone()))
            .should_validate_formats(true)
            .build(schema)
            .unwrap_or_else(|e| panic!("{file} does not compile: {e}"))
    }

    fn validate(&mut self, file: &str, value: &Value, what: &str) {
        if !self.validators.contains_key(file) {
            let validator = self.compile(file, &self.schema(file));
            self.validators.insert(file.to_owned(), validator);
        }
        let errors: Vec<String> = self.validators[file]
            .iter_errors(value)
            .map(|e| format!("  {} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{what} is not a valid {file}:\n{}\n{}",
            errors.join("\n"),
            serde_json::to_string_pretty(value).unwrap()
        );
    }

    /// A schema inside the specification's `openapi.json` (the API's page and root shapes).
    fn openapi_part(&self, pointer: &str) -> Validator {
        let openapi = self.schema("openapi.json");
        let part = openapi
            .pointer(pointer)
            .unwrap_or_else(|| panic!("openapi.json has no {pointer}"));
        self.compile("openapi.json", part)
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The exported HSDS files of a built site.
struct Export {
    index: Value,
    services: Value,
    tables: BTreeMap<String, Vec<Value>>,
}

fn export(public: &Path) -> Export {
    let dir = public.join("data/hsds");
    let mut tables = BTreeMap::new();
    for entry in std::fs::read_dir(dir.join("tabular")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let Value::Array(rows) = read_json(&path) else {
            panic!("{} is not an array", path.display());
        };
        tables.insert(name, rows);
    }
    Export {
        index: read_json(&dir.join("index.json")),
        services: read_json(&dir.join("services.json")),
        tables,
    }
}

/// Validates every exported object and the tables' keys; returns how many objects were
/// validated (full services, each with its nested objects, count as one).
fn validate_all(schemas: &mut Schemas, export: &Export) -> usize {
    let mut count = 0;

    let root = schemas.openapi_part("/paths/~1/get/responses/200/content/application~1json/schema");
    assert!(root.is_valid(&export.index), "{}", export.index);
    assert_eq!(export.index["version"], "3.0");
    count += 1;

    let page = schemas.openapi_part("/components/schemas/Page");
    assert!(page.is_valid(&export.services));
    let contents = export.services["contents"].as_array().expect("contents");
    assert_eq!(export.services["total_items"], contents.len());
    for service in contents {
        schemas.validate(
            "service.json",
            service,
            &format!("service {}", service["id"]),
        );
        count += 1;
    }

    let mut ids: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (table, rows) in &export.tables {
        let file = schemas
            .tables
            .get(table)
            .unwrap_or_else(|| panic!("tabular/{table}.json is not an HSDS table"))
            .clone();
        let schema = schemas.schema(&file);
        let tabular_required: Vec<&str> = schema["tabular_required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let unique: Vec<&String> = schema["properties"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, p)| p["constraints"]["unique"] == true)
            .map(|(k, _)| k)
            .collect();
        let mut seen: HashMap<&str, HashSet<String>> = HashMap::new();
        for row in rows {
            let what = format!("tabular/{table}.json row {}", row["id"]);
            schemas.validate(&file, row, &what);
            for field in &tabular_required {
                assert!(row.get(*field).is_some(), "{what} has no {field}");
            }
            for field in &unique {
                if let Some(v) = row.get(field.as_str()) {
                    assert!(
                        seen.entry(field.as_str())
                            .or_default()
                            .insert(v.to_string()),
                        "{what}: {field} {v} is not unique"
                    );
                }
            }
            for (k, v) in row.as_object().unwrap() {
                if k != "id" && k.ends_with("_id") {
                    assert!(v.is_string(), "{what}: {k}");
                }
            }
            ids.entry(table.as_str())
                .or_default()
                .insert(row["id"].as_str().unwrap());
            count += 1;
        }
    }

    // Every link points at an exported row.
    let links = [
        ("organization_id", "organizations"),
        ("service_id", "services"),
        ("location_id", "locations"),
        ("service_at_location_id", "service_at_location"),
    ];
    for (table, rows) in &export.tables {
        for row in rows {
            for (key, target) in links {
                if let Some(id) = row[key].as_str() {
                    assert!(
                        ids.get(target).is_some_and(|t| t.contains(id)),
                        "tabular/{table}.json: {key} {id} is not in {target}"
                    );
                }
            }
        }
    }
    // The full services are the tables, nested.
    let services: HashSet<&str> = contents.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(Some(&services), ids.get("services"));
    count
}

fn uuid5(name: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::parse_str(NAMESPACE).unwrap(), name.as_bytes()).to_string()
}

/// The valid fixture plus one closed record, built into `<dir>/public`.
fn build_fixture() -> tempfile::TempDir {
    let dir = valid_site();
    std::fs::write(
        dir.path().join("data/facilities/closed.yaml"),
        "records:\n  - id: closed-clinic\n    name: 閉鎖テスト診療所\n    type: clinic\n    municipality: \"372021\"\n    address: 香川県丸亀市大手町2-4-21\n    status: closed\n",
    )
    .unwrap();
    build_ok(dir.path());
    dir
}

fn service<'a>(export: &'a Export, record_id: &str) -> &'a Value {
    let id = uuid5(&format!("{record_id}/service"));
    export.services["contents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id.as_str())
        .unwrap_or_else(|| panic!("no service with the id of {record_id}"))
}

/// A point inside each municipality of the fixture's boundaries, by 5-digit code.
fn interior_points(site: &Path) -> HashMap<String, geo::Point<f64>> {
    let collection: geojson::FeatureCollection =
        std::fs::read_to_string(site.join("data/boundaries/kagawa.geojson"))
            .unwrap()
            .parse()
            .unwrap();
    collection
        .features
        .into_iter()
        .map(|f| {
            let code = f.properties.as_ref().unwrap()["N03_007"]
                .as_str()
                .unwrap()
                .to_owned();
            let geometry = geo::Geometry::<f64>::try_from(f.geometry.unwrap().value).unwrap();
            (code, geometry.interior_point().unwrap())
        })
        .collect()
}

fn extent(area: &Value) -> MultiPolygon<f64> {
    assert_eq!(area["extent_type"], "geojson");
    let geometry: geojson::Geometry = area["extent"].as_str().unwrap().parse().unwrap();
    match geo::Geometry::<f64>::try_from(geometry.value).unwrap() {
        geo::Geometry::MultiPolygon(mp) => mp,
        geo::Geometry::Polygon(p) => MultiPolygon::new(vec![p]),
        other => panic!("extent is not a (Multi)Polygon: {other:?}"),
    }
}

#[test]
fn fixture_exports_valid_hsds_with_the_documented_mapping() {
    let Some(schema_dir) = shared("hsds/schema") else {
        return;
    };
    let mut schemas = Schemas::load(&schema_dir);
    let first = build_fixture();
    let public = first.path().join("public");
    let export = export(&public);
    let n = validate_all(&mut schemas, &export);
    eprintln!("fixture: {n} HSDS objects valid");

    // Stable: a second build writes the same bytes.
    let second = build_fixture();
    for entry in walkdir::WalkDir::new(public.join("data/hsds")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(&public).unwrap();
            assert_eq!(
                std::fs::read(entry.path()).unwrap(),
                std::fs::read(second.path().join("public").join(rel)).unwrap(),
                "{} differs between two builds",
                rel.display()
            );
        }
    }

    // Ids are UUIDv5 of the record ids.
    let hokenjo = service(&export, "takamatsu-hokenjo");
    assert_eq!(
        hokenjo["organization"]["id"],
        uuid5("takamatsu-hokenjo/organization")
    );
    assert_eq!(hokenjo["organization_id"], hokenjo["organization"]["id"]);
    assert_eq!(hokenjo["status"], "active");
    assert_eq!(hokenjo["fees_description"], "無料");
    assert_eq!(hokenjo["assured_date"], "2026-10-01");
    assert_eq!(hokenjo["url"], "https://www.city.takamatsu.kagawa.jp/");

    // `Mo-Fr 08:30-17:00; PH off`: one weekly schedule for the five weekdays.
    let schedules = hokenjo["schedules"].as_array().unwrap();
    assert_eq!(schedules.len(), 1, "{schedules:?}");
    let s = &schedules[0];
    assert_eq!(s["id"], uuid5("takamatsu-hokenjo/schedule/0"));
    assert_eq!(s["freq"], "WEEKLY");
    assert_eq!(s["wkst"], "MO");
    assert_eq!(s["byday"], "MO,TU,WE,TH,FR");
    assert_eq!(s["opens_at"], "08:30+09:00");
    assert_eq!(s["closes_at"], "17:00+09:00");
    assert!(s["description"].as_str().unwrap().contains("祝日"), "{s}");
    assert!(
        s["notes"]
            .as_str()
            .unwrap()
            .contains("年末年始（12/29〜1/3）は休み")
    );
    assert!(
        s["notes"]
            .as_str()
            .unwrap()
            .contains("opening_hours: Mo-Fr 08:30-17:00; PH off")
    );

    // Phones keep their labels.
    let phones: Vec<(&str, &str)> = hokenjo["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["type"], "voice");
            (
                p["number"].as_str().unwrap(),
                p["description"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        phones,
        [
            ("087-839-2860", "保健医療政策課"),
            ("087-839-2870", "感染症対策課")
        ]
    );

    // The location: coordinates, address split, accessibility, same phones.
    let sal = &hokenjo["service_at_locations"][0];
    assert_eq!(sal["id"], uuid5("takamatsu-hokenjo/service_at_location"));
    let location = &sal["location"];
    assert_eq!(location["id"], uuid5("takamatsu-hokenjo/location"));
    assert_eq!(location["location_type"], "physical");
    assert_eq!(location["latitude"], 34.330488);
    assert_eq!(location["longitude"], 134.052607);
    let address = &location["addresses"][0];
    assert_eq!(address["address_1"], "桜町一丁目10-27");
    assert_eq!(address["city"], "高松市");
    assert_eq!(address["state_province"], "香川県");
    assert_eq!(address["country"], "JP");
    assert_eq!(address["postal_code"], "");
    let accessibility: Vec<&str> = location["accessibility"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["description"].as_str().unwrap())
        .collect();
    assert_eq!(accessibility, ["車いす対応", "多機能トイレ"]);
    assert_eq!(location["phones"], hokenjo["phones"]);

    // Statuses.
    assert_eq!(
        service(&export, "tonosho-clinic")["status"],
        "temporarily closed"
    );
    assert_eq!(service(&export, "closed-clinic")["status"], "defunct");

    // Service areas: the union of `serves`, or the body's own area.
    let points = interior_points(first.path());
    let sanpo = service(&export, "sample-sanpo-center");
    let areas = sanpo["service_areas"].as_array().unwrap();
    assert_eq!(areas.len(), 1);
    assert_eq!(areas[0]["name"], "高松市、丸亀市、土庄町");
    let served = extent(&areas[0]);
    for code in ["37201", "37202", "37322"] {
        assert!(
            served.contains(&points[code]),
            "{code} is not in the extent"
        );
    }
    let own = service(&export, "sample-chiiki-sanpo");
    let area = &own["service_areas"][0];
    assert_eq!(area["uri"], "https://example.jp/kenkomap/areas/3707/");
    let own_extent = extent(area);
    assert!(own_extent.contains(&points["37202"]));
    assert!(!own_extent.contains(&points["37201"]));
    assert!(service(&export, "takamatsu-hokenjo")["service_areas"].is_null());

    // `internal` is never published.
    for entry in walkdir::WalkDir::new(public.join("data/hsds")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            assert!(!text.contains("山田"), "{}", entry.path().display());
        }
    }
}

#[test]
fn demo_exports_valid_hsds() {
    let Some(schema_dir) = shared("hsds/schema") else {
        return;
    };
    let mut schemas = Schemas::load(&schema_dir);
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let result = run(&[
        "build",
        "--site",
        manifest_dir().to_str().unwrap(),
        "--out",
        public.to_str().unwrap(),
        "--today",
        TODAY,
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let export = export(&public);
    let n = validate_all(&mut schemas, &export);
    let services = export.services["contents"].as_array().unwrap();
    assert!(services.len() > 400, "{}", services.len());
    assert!(
        services
            .iter()
            .any(|s| s["service_areas"][0]["extent"].is_string())
    );
    eprintln!("demo: {n} HSDS objects valid ({} services)", services.len());
}

/// The validation really applies the referenced schemas (a retriever that silently failed
/// would let anything through).
#[test]
fn schemas_reject_broken_objects() {
    let Some(schema_dir) = shared("hsds/schema") else {
        return;
    };
    let schemas = Schemas::load(&schema_dir);
    let service = schemas.compile("service.json", &schemas.schema("service.json"));
    let ok = serde_json::json!({
        "id": uuid5("x/service"), "name": "x", "status": "active",
        "service_at_locations": [{ "id": uuid5("x/sal"), "location": {
            "id": uuid5("x/location"), "location_type": "physical",
            "addresses": [{ "id": uuid5("x/address"), "address_1": "桜町1-10-27", "city": "高松市",
                "state_province": "香川県", "postal_code": "", "country": "JP", "address_type": "physical" }] } }]
    });
    assert!(service.is_valid(&ok), "{:?}", service.validate(&ok).err());
    let mut broken = ok.clone();
    broken["status"] = "closed".into();
    broken["phones"] = serde_json::json!([{ "id": "not-a-uuid" }]);
    broken["service_at_locations"][0]["location"]["addresses"][0]
        .as_object_mut()
        .unwrap()
        .remove("postal_code");
    let errors: Vec<String> = service
        .iter_errors(&broken)
        .map(|e| e.instance_path().to_string())
        .collect();
    for path in [
        "/status",
        "/phones/0",
        "/phones/0/id",
        "/service_at_locations/0/location/addresses/0",
    ] {
        assert!(
            errors.iter().any(|e| e == path),
            "no error at {path}: {errors:?}"
        );
    }
}
