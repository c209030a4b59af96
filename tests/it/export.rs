//! Open data out: GeoJSON structure and coordinate order, schema.org JSON-LD per kind, the
//! sitemap (every page once, split past the limit), and that nothing from `internal` leaks.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;
use serde_json::Value;

fn built_fixture(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let dir = valid_site();
    edit(dir.path());
    build_ok(dir.path());
    dir
}

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn internal_never_reaches_any_output() {
    const MARK: &str = "LEAK7f3a9c";
    let site = built_fixture(|site| {
        for kind in ["facilities", "parks", "restaurants", "consultation"] {
            for entry in std::fs::read_dir(site.join("data").join(kind)).unwrap() {
                let path = entry.unwrap().path();
                let yaml = std::fs::read_to_string(&path).unwrap();
                // Every record gets a unique internal value, nested and at the top.
                let mut n = 0;
                let yaml = yaml
                    .lines()
                    .filter(|line| !line.starts_with("    internal:"))
                    .map(|line| {
                        if let Some(rest) = line.strip_prefix("  - id: ") {
                            n += 1;
                            format!(
                                "  - id: {rest}\n    internal: {{ contact: \"{MARK}-{kind}-{n} 山田太郎\", phone: \"090-{n:04}-{MARK}\", note: {{ deep: \"{MARK}-deep-{n}\" }} }}"
                            )
                        } else {
                            line.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                std::fs::write(&path, yaml).unwrap();
            }
        }
    });
    let out = site.path().join("public");
    let all = files(&out);
    assert!(all.len() > 50);
    for file in all {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(MARK),
            "{} contains an internal value",
            file.display()
        );
        assert!(
            !text.contains("山田太郎"),
            "{} contains an internal name",
            file.display()
        );
    }
}

#[test]
fn geojson_is_rfc7946_with_lon_lat() {
    let site = built_fixture(|_| {});
    let out = site.path().join("public");
    let all: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/resources.geojson")).unwrap())
            .unwrap();
    assert_eq!(all["type"], "FeatureCollection");
    let features = all["features"].as_array().unwrap();
    assert_eq!(features.len(), 8, "every record, published or not");
    for f in features {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["id"], f["properties"]["id"]);
        if f["geometry"].is_null() {
            continue;
        }
        assert_eq!(f["geometry"]["type"], "Point");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!(
            (122.0..154.0).contains(&lon) && (20.0..46.0).contains(&lat),
            "[lon, lat] order: {c:?}"
        );
    }
    let hokenjo = features
        .iter()
        .find(|f| f["id"] == "takamatsu-hokenjo")
        .unwrap();
    assert_eq!(
        hokenjo["geometry"]["coordinates"],
        serde_json::json!([134.052607, 34.330488])
    );
    assert_eq!(hokenjo["properties"]["hours"], "Mo-Fr 08:30-17:00; PH off");
    assert_eq!(hokenjo["properties"]["phone"][0]["label"], "保健医療政策課");
    assert_eq!(hokenjo["properties"]["area"], "3706");
    assert_eq!(hokenjo["properties"]["municipality"], "372013");

    let area: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/areas/3706.geojson")).unwrap())
            .unwrap();
    let ids: BTreeSet<&str> = area["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains("takamatsu-hokenjo") && ids.contains("tamamo-park"));
    assert!(
        !ids.contains("marugame-hospital"),
        "only the area's records"
    );
    let schedule = area["features"][0]["properties"]["schedule"]
        .as_u64()
        .unwrap() as usize;
    assert!(
        area["schedules"][schedule]["week"].is_array(),
        "open-now schedules ride along"
    );
    let boundary: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/boundaries/3706.geojson")).unwrap())
            .unwrap();
    assert_eq!(boundary["features"][0]["geometry"]["type"], "MultiPolygon");
}

/// The JSON-LD object of a record page.
fn jsonld(out: &Path, page: &str) -> Value {
    let html = std::fs::read_to_string(out.join(page).join("index.html")).unwrap();
    let start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD present")
        + 35;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

#[test]
fn json_ld_has_the_type_of_each_kind() {
    let site = built_fixture(|_| {});
    let out = site.path().join("public");
    for (page, ty) in [
        ("facilities/takamatsu-hokenjo", "GovernmentOffice"),
        ("facilities/marugame-hospital", "Hospital"),
        ("parks/tamamo-park", "Park"),
        ("parks/test-pool", "PublicSwimmingPool"),
        ("restaurants/sample-healthy-diner", "Restaurant"),
        ("consultation/sample-sanpo-center", "GovernmentService"),
        ("en/parks/tamamo-park", "Park"),
    ] {
        let v = jsonld(&out, page);
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@type"], ty, "{page}");
    }
    let hokenjo = jsonld(&out, "facilities/takamatsu-hokenjo");
    assert_eq!(hokenjo["geo"]["latitude"], 34.330488);
    assert_eq!(hokenjo["address"]["addressRegion"], "香川県");
    let spec = &hokenjo["openingHoursSpecification"][0];
    assert_eq!(
        spec["dayOfWeek"],
        serde_json::json!(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    );
    assert_eq!(
        (spec["opens"].as_str(), spec["closes"].as_str()),
        (Some("08:30"), Some("17:00"))
    );

    let diner = jsonld(&out, "restaurants/sample-healthy-diner");
    let item = &diner["hasMenu"]["hasMenuItem"][0];
    assert_eq!(item["nutrition"]["@type"], "NutritionInformation");
    assert_eq!(item["nutrition"]["calories"], "620 kcal");
    assert_eq!(item["nutrition"]["sodiumContent"], "1102 mg");
    assert!(
        item["suitableForDiet"]
            .as_array()
            .unwrap()
            .contains(&Value::from("https://schema.org/LowSaltDiet"))
    );

    let center = jsonld(&out, "consultation/sample-sanpo-center");
    let channel = &center["availableChannel"][0];
    assert_eq!(channel["@type"], "ServiceChannel");
    assert_eq!(channel["servicePhone"]["telephone"], "087-000-0000");
    assert_eq!(center["areaServed"].as_array().unwrap().len(), 3);
}

/// (loc, alternates) of every <url> in the sitemap files.
fn sitemap_urls(out: &Path) -> Vec<String> {
    let index = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let docs: Vec<String> = if index.contains("<sitemapindex") {
        index
            .split("<loc>")
            .skip(1)
            .map(|s| {
                let url = &s[..s.find("</loc>").unwrap()];
                std::fs::read_to_string(out.join(url.rsplit('/').next().unwrap())).unwrap()
            })
            .collect()
    } else {
        vec![index]
    };
    docs.iter()
        .flat_map(|d| {
            d.split("<url><loc>")
                .skip(1)
                .map(|s| s[..s.find("</loc>").unwrap()].to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn sitemap_lists_every_page_once() {
    let site = built_fixture(|_| {});
    let out = site.path().join("public");
    let urls = sitemap_urls(&out);
    let unique: BTreeSet<&String> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len(), "no page twice");
    let pages: BTreeSet<String> = files(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            p.strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .filter(|p| p != "404.html" && p != "en/404.html")
        .map(|p| {
            format!(
                "https://example.jp/kenkomap/{}",
                p.strip_suffix("index.html").unwrap_or(&p)
            )
        })
        .collect();
    assert_eq!(unique.into_iter().cloned().collect::<BTreeSet<_>>(), pages);
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.jp/kenkomap/en/parks/tamamo-park/\"/>"
    ));
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.jp/kenkomap/sitemap.xml"));
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains("https://example.jp/kenkomap/facilities/takamatsu-hokenjo/"));
}

/// A control character in a record (U+0001, U+FFFE: XML 1.0 cannot carry them) is reported
/// (W0403) but must not make the feeds, sitemaps or SVG files ill-formed: they are left out.
#[test]
fn control_characters_never_make_xml_ill_formed() {
    let site = built_fixture(|dir| {
        std::fs::write(
            dir.join("data/facilities/zz-control.yaml"),
            "records:\n  - id: control-clinic\n    name: \"制御\\u0001文字クリニック\"\n    name_en: \"Control\\u001B Clinic\"\n    type: clinic\n    municipality: \"372013\"\n    address: \"高松市\\uFFFE番町1-1\"\n    verified: 2026-11-20\n",
        )
        .unwrap();
    });
    let out = site.path().join("public");
    let mut parsed = 0;
    for path in files(&out) {
        if !path.extension().is_some_and(|e| e == "xml" || e == "svg") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{} is not well-formed XML: {e}", path.display());
        }
        parsed += 1;
    }
    assert!(
        parsed >= 3,
        "feed.xml, en/feed.xml and sitemap.xml at least"
    );
    let titles = |file: &str| -> Vec<String> {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
            .filter_map(|t| t.text().map(str::to_owned))
            .collect()
    };
    assert!(titles("feed.xml").contains(&"制御文字クリニック".to_owned()));
    assert!(titles("en/feed.xml").contains(&"Control Clinic".to_owned()));
    // The warning points at the field.
    let out = run(&[
        "check",
        "--site",
        site.path().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let places: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["code"] == "W0403")
        .map(|v| format!("{}:{}:{}", v["file"].as_str().unwrap(), v["line"], v["col"]))
        .collect();
    assert_eq!(
        places,
        [
            "data/facilities/zz-control.yaml:3:11",
            "data/facilities/zz-control.yaml:4:14",
            "data/facilities/zz-control.yaml:7:14"
        ]
    );
}

#[test]
fn large_sitemaps_are_split_under_an_index() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("valid"), site.path());
    let checked = kenkomap::site::check(site.path(), jiff::civil::date(2026, 11, 21)).unwrap();
    let model = kenkomap::model::Model::new(std::sync::Arc::new(checked.site.unwrap()));
    let files = kenkomap::export::sitemap::sitemaps_with_limit(&model, 10);
    let pages = model
        .pages
        .iter()
        .filter(|p| p.kind != kenkomap::model::PageKind::NotFound)
        .count();
    assert_eq!(files.len(), 1 + pages.div_ceil(10));
    let index = String::from_utf8(files[0].1.clone()).unwrap();
    assert!(index.contains("<sitemapindex"));
    assert_eq!(index.matches("<sitemap>").count(), pages.div_ceil(10));
    let listed: usize = files[1..]
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).matches("<url>").count())
        .sum();
    assert_eq!(listed, pages);
}
