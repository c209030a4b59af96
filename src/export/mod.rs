//! Export phase: open data and machine-readable files next to the pages.

pub mod csv;
pub mod finder;
pub mod geojson;
pub mod hsds;
pub mod lists;
pub mod search;
pub mod sitemap;

use std::io;

use crate::model::Model;
use crate::text::Lang;
use crate::views::{Exported, Group, ListItems, Subject};
use crate::write::Output;

fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("JSON serialises")
}

/// What an export hands over: its bytes, or the size of a file it streamed into the output.
enum Content {
    Bytes(Vec<u8>),
    Written(u64),
}

/// Writes every export into `out` and returns what was written. `strings` are the theme's UI
/// strings per language (type labels are searchable); `items` the list items the pages share
/// with the records files.
pub fn run(
    model: &Model,
    strings: &std::collections::BTreeMap<Lang, serde_json::Value>,
    items: &ListItems,
    out: &dyn Output,
) -> io::Result<Vec<Exported>> {
    use rayon::prelude::*;

    /// A file to write: (path, group, subject, listed on the downloads page, content).
    type File = (String, Group, Option<Subject>, bool, Content);
    /// A file made in memory, with the same fields.
    type Made = (String, Group, Option<Subject>, bool, Vec<u8>);
    type Put<'p> = &'p mut dyn FnMut(File) -> io::Result<()>;
    /// An export: makes its files and hands each to `put` as soon as it is made, so the
    /// large ones (HSDS, GeoJSON) are written and freed one at a time rather than all held
    /// until every export is done.
    type Job<'a> = Box<dyn Fn(Put) -> io::Result<()> + Send + Sync + 'a>;
    fn each(files: Vec<Made>, put: Put) -> io::Result<()> {
        files
            .into_iter()
            .try_for_each(|(p, g, s, d, bytes)| put((p, g, s, d, Content::Bytes(bytes))))
    }

    let labels: std::collections::BTreeMap<&str, &serde_json::Value> =
        strings.iter().map(|(l, v)| (l.as_str(), v)).collect();
    let config = &model.site.config;
    // Independent exports run in parallel (and each large one is parallel inside).
    let jobs: Vec<Job> = vec![
        Box::new(|put| {
            put((
                "data/resources.geojson".into(),
                Group::Resources,
                None,
                true,
                Content::Bytes(geojson::resources(model)),
            ))
        }),
        Box::new(|put| {
            let files = model
                .areas
                .par_iter()
                .zip(model.area_ids().collect::<Vec<_>>())
                .flat_map_iter(|(area, a)| {
                    [
                        (
                            format!("data/areas/{}.geojson", area.code),
                            Group::Area,
                            Some(Subject::Area(area.code.clone())),
                            true,
                            json_bytes(&geojson::area(model, a)),
                        ),
                        (
                            format!("data/boundaries/{}.geojson", area.code),
                            Group::Boundaries,
                            Some(Subject::Area(area.code.clone())),
                            true,
                            json_bytes(&geojson::boundaries(model, a)),
                        ),
                    ]
                })
                .collect();
            each(files, put)
        }),
        Box::new(|put| {
            let files = crate::registry::Kind::ALL
                .par_iter()
                .map(|&kind| {
                    (
                        csv::path(kind),
                        Group::Csv,
                        Some(Subject::Kind(kind)),
                        true,
                        csv::kind_csv(model, kind),
                    )
                })
                .collect();
            each(files, put)
        }),
        Box::new(|put| {
            let mut files: Vec<Made> = sitemap::sitemaps(model)
                .into_iter()
                .map(|(p, b)| (p, Group::Sitemap, None, false, b))
                .collect();
            files.push((
                "robots.txt".into(),
                Group::Robots,
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
                    Group::Feed,
                    Some(Subject::Lang(lang)),
                    lang == Lang::Ja,
                    sitemap::feed(model, lang, &title),
                ));
            }
            files.push((
                "consultation/finder.json".into(),
                Group::Finder,
                None,
                false,
                json_bytes(&finder::finder_json(model)),
            ));
            each(files, put)
        }),
        // HSDS words its free-text fields (fees, accessibility, topics) like the Japanese pages.
        Box::new(|put| match strings.get(&Lang::Ja) {
            Some(ja) => {
                let labels = crate::views::Labels {
                    strings: ja,
                    lang: Lang::Ja,
                    site_types: &config.types,
                };
                // Streamed into `out` (too large to hold whole); listed with their sizes.
                for (path, size) in hsds::write(model, &labels, out)? {
                    put((path, Group::Hsds, None, true, Content::Written(size)))?;
                }
                Ok(())
            }
            None => Ok(()),
        }),
        // The records of each area as data, per language, for the filters (see lists.rs).
        Box::new(|put| {
            let mut files: Vec<Made> = Vec::new();
            for (&lang, strings) in strings {
                if !model.langs().contains(&lang) {
                    continue;
                }
                let labels = crate::views::Labels {
                    strings,
                    lang,
                    site_types: &config.types,
                };
                let items = items.of(model, &labels);
                for (a, area) in model.area_ids().zip(&model.areas) {
                    files.push((
                        lists::path(lang, &area.code),
                        Group::Lists,
                        Some(Subject::Area(area.code.clone())),
                        false,
                        json_bytes(&lists::area_records(model, items, a)),
                    ));
                }
            }
            each(files, put)
        }),
        Box::new(|put| {
            let files = search::index(model, &labels)
                .into_iter()
                .map(|(p, b)| (p, Group::Search, None, false, b))
                .collect();
            each(files, put)
        }),
    ];
    let listed: Vec<io::Result<Vec<Exported>>> = jobs
        .par_iter()
        .map(|job| {
            let mut listed = Vec::new();
            job(&mut |(path, group, subject, download, content)| {
                let bytes = match content {
                    Content::Bytes(bytes) => {
                        let len = bytes.len();
                        out.put(&path, bytes)?;
                        len
                    }
                    Content::Written(size) => size as usize,
                };
                listed.push(Exported {
                    bytes,
                    path,
                    group,
                    subject,
                    download,
                });
                Ok(())
            })?;
            Ok(listed)
        })
        .collect();
    Ok(listed.into_iter().collect::<io::Result<Vec<_>>>()?.concat())
}
