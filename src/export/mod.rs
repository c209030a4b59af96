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
    use rayon::prelude::*;

    /// A file to write: (path, group, subject, listed on the downloads page, bytes).
    type File = (String, &'static str, Option<String>, bool, Vec<u8>);
    type Job<'a> = Box<dyn Fn() -> Vec<File> + Send + Sync + 'a>;

    let labels: std::collections::BTreeMap<&str, &serde_json::Value> =
        strings.iter().map(|(l, v)| (l.as_str(), v)).collect();
    let config = &model.site.config;
    // Independent exports run in parallel (and each large one is parallel inside).
    let jobs: Vec<Job> = vec![
        Box::new(|| {
            vec![(
                "data/resources.geojson".into(),
                "resources",
                None,
                true,
                geojson::resources(model),
            )]
        }),
        Box::new(|| {
            model
                .areas
                .par_iter()
                .enumerate()
                .flat_map_iter(|(a, area)| {
                    [
                        (
                            format!("data/areas/{}.geojson", area.code),
                            "area",
                            Some(area.code.clone()),
                            true,
                            json_bytes(&geojson::area(model, a)),
                        ),
                        (
                            format!("data/boundaries/{}.geojson", area.code),
                            "boundaries",
                            Some(area.code.clone()),
                            true,
                            json_bytes(&geojson::boundaries(model, a)),
                        ),
                    ]
                })
                .collect()
        }),
        Box::new(|| {
            crate::registry::Kind::ALL
                .par_iter()
                .map(|&kind| {
                    (
                        csv::path(kind),
                        "csv",
                        Some(kind.as_str().into()),
                        true,
                        csv::kind_csv(model, kind),
                    )
                })
                .collect()
        }),
        Box::new(|| {
            let mut files: Vec<File> = sitemap::sitemaps(model)
                .into_iter()
                .map(|(p, b)| (p, "sitemap", None, false, b))
                .collect();
            files.push((
                "robots.txt".into(),
                "robots",
                None,
                false,
                sitemap::robots(model),
            ));
            for &lang in model.langs() {
                let title = match lang {
                    Lang::Ja => config.title.clone(),
                    Lang::En => config
                        .title_en
                        .clone()
                        .unwrap_or_else(|| config.title.clone()),
                };
                files.push((
                    format!("{}feed.xml", lang.prefix()),
                    "feed",
                    Some(lang.as_str().into()),
                    lang == Lang::Ja,
                    sitemap::feed(model, lang, &title),
                ));
            }
            files.push((
                "consultation/finder.json".into(),
                "finder",
                None,
                false,
                json_bytes(&finder::finder_json(model)),
            ));
            files
        }),
        // HSDS words its free-text fields (fees, accessibility, topics) like the Japanese pages.
        Box::new(|| match strings.get(&Lang::Ja) {
            Some(ja) => {
                let labels = crate::render::views::Labels {
                    strings: ja,
                    lang: Lang::Ja,
                    site_types: &config.types,
                };
                hsds::files(model, &labels)
                    .into_iter()
                    .map(|(p, b)| (p, "hsds", None, true, b))
                    .collect()
            }
            None => Vec::new(),
        }),
        Box::new(|| {
            search::index(model, &labels)
                .into_iter()
                .map(|(p, b)| (p, "search", None, false, b))
                .collect()
        }),
    ];
    let files: Vec<File> = jobs.par_iter().flat_map_iter(|job| job()).collect();
    files
        .into_par_iter()
        .map(|(path, group, subject, download, bytes)| {
            let info = Exported {
                bytes: bytes.len(),
                path,
                group,
                subject,
                download,
            };
            out.put(&info.path, bytes)?;
            Ok(info)
        })
        .collect()
}
