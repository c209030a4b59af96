//! Export phase: open data and machine-readable files next to the pages.

pub mod csv;
pub mod finder;
pub mod geojson;
pub mod hsds;
pub mod jsonld;
pub mod search;
pub mod sitemap;

use std::io;

use serde::Serialize;

use crate::config::Lang;
use crate::model::Model;
use crate::write::Output;

/// A generated file, listed on the downloads page.
#[derive(Clone, Debug, Serialize)]
pub struct Exported {
    pub path: String,
    pub bytes: usize,
    /// What it is: `resources`, `area`, `boundaries`, `csv`, `hsds`, `sitemap`, `feed`, …
    pub group: &'static str,
    /// The area code or kind the file is about, if any.
    pub subject: Option<String>,
    /// Listed on the downloads page (sitemaps and robots.txt are not).
    pub download: bool,
}

fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("JSON serialises")
}

/// Writes every export into `out` and returns what was written. `strings` are the theme's UI
/// strings per language (type labels are searchable).
pub fn run(
    model: &Model,
    strings: &std::collections::BTreeMap<Lang, serde_json::Value>,
    out: &dyn Output,
) -> io::Result<Vec<Exported>> {
    let mut files: Vec<(Exported, Vec<u8>)> = Vec::new();
    let mut add = |path: String,
                   group: &'static str,
                   subject: Option<String>,
                   download: bool,
                   bytes: Vec<u8>| {
        files.push((
            Exported {
                path,
                bytes: bytes.len(),
                group,
                subject,
                download,
            },
            bytes,
        ));
    };
    add(
        "data/resources.geojson".into(),
        "resources",
        None,
        true,
        json_bytes(&geojson::resources(model)),
    );
    for (a, area) in model.areas.iter().enumerate() {
        add(
            format!("data/areas/{}.geojson", area.code),
            "area",
            Some(area.code.clone()),
            true,
            json_bytes(&geojson::area(model, a)),
        );
        add(
            format!("data/boundaries/{}.geojson", area.code),
            "boundaries",
            Some(area.code.clone()),
            true,
            json_bytes(&geojson::boundaries(model, a)),
        );
    }
    for kind in crate::registry::Kind::ALL {
        add(
            csv::path(kind),
            "csv",
            Some(kind.as_str().into()),
            true,
            csv::kind_csv(model, kind),
        );
    }
    for (path, bytes) in sitemap::sitemaps(model) {
        add(path, "sitemap", None, false, bytes);
    }
    add(
        "robots.txt".into(),
        "robots",
        None,
        false,
        sitemap::robots(model),
    );
    let config = &model.site.config;
    for &lang in model.langs() {
        let title = match lang {
            Lang::Ja => config.title.clone(),
            Lang::En => config
                .title_en
                .clone()
                .unwrap_or_else(|| config.title.clone()),
        };
        add(
            format!("{}feed.xml", lang.prefix()),
            "feed",
            Some(lang.as_str().into()),
            lang == Lang::Ja,
            sitemap::feed(model, lang, &title),
        );
    }
    let labels: std::collections::BTreeMap<&str, &serde_json::Value> =
        strings.iter().map(|(l, v)| (l.as_str(), v)).collect();
    add(
        "consultation/finder.json".into(),
        "finder",
        None,
        false,
        json_bytes(&finder::finder_json(model)),
    );
    // HSDS words its free-text fields (fees, accessibility, topics) like the Japanese pages.
    if let Some(ja) = strings.get(&Lang::Ja) {
        let labels = crate::render::views::Labels {
            strings: ja,
            lang: Lang::Ja,
            site_types: &model.site.config.types,
        };
        for (path, value) in hsds::files(model, &labels) {
            add(path, "hsds", None, true, json_bytes(&value));
        }
    }
    for (path, bytes) in search::index(model, &labels) {
        add(path, "search", None, false, bytes);
    }
    let mut exported = Vec::with_capacity(files.len());
    for (info, bytes) in files {
        out.put(&info.path, bytes)?;
        exported.push(info);
    }
    Ok(exported)
}
