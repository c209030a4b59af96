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

/// A file an export made: where it goes, what the downloads page says of it, and its content.
struct File {
    path: String,
    group: Group,
    subject: Option<Subject>,
    /// Listed on the downloads page.
    download: bool,
    content: Content,
}

impl File {
    fn made(
        path: String,
        group: Group,
        subject: Option<Subject>,
        download: bool,
        bytes: Vec<u8>,
    ) -> File {
        File {
            path,
            group,
            subject,
            download,
            content: Content::Bytes(bytes),
        }
    }
}

/// What every export reads.
struct Inputs<'a> {
    model: &'a Model,
    strings: &'a std::collections::BTreeMap<Lang, serde_json::Value>,
    items: &'a ListItems,
    out: &'a dyn Output,
}

/// Where an export hands each file as soon as it is made, so the large ones (HSDS, GeoJSON)
/// are written and freed one at a time rather than all held until every export is done.
type Put<'p> = &'p mut dyn FnMut(File) -> io::Result<()>;
type Job = fn(&Inputs, Put) -> io::Result<()>;

/// Independent exports, run in parallel (each large one is parallel inside).
const JOBS: [Job; 7] = [
    resources,
    areas,
    csv_files,
    sitemaps_feeds_finder,
    hsds_files,
    area_lists,
    search_index,
];

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
    let inputs = Inputs {
        model,
        strings,
        items,
        out,
    };
    let listed: Vec<Vec<Exported>> = JOBS
        .par_iter()
        .map(|job| {
            let mut listed = Vec::new();
            job(&inputs, &mut |file| {
                listed.push(write(out, file)?);
                Ok(())
            })?;
            Ok(listed)
        })
        .collect::<io::Result<_>>()?;
    Ok(listed.concat())
}

/// Writes a made file (a streamed one is already written) and lists it.
fn write(out: &dyn Output, file: File) -> io::Result<Exported> {
    let bytes = match file.content {
        Content::Bytes(bytes) => {
            let len = bytes.len();
            out.put(&file.path, bytes)?;
            len
        }
        Content::Written(size) => size as usize,
    };
    Ok(Exported {
        bytes,
        path: file.path,
        group: file.group,
        subject: file.subject,
        download: file.download,
    })
}

fn each(files: Vec<File>, put: Put) -> io::Result<()> {
    files.into_iter().try_for_each(put)
}

/// Every record as one GeoJSON file.
fn resources(i: &Inputs, put: Put) -> io::Result<()> {
    put(File::made(
        "data/resources.geojson".into(),
        Group::Resources,
        None,
        true,
        geojson::resources(i.model),
    ))
}

/// Each area's records and its boundaries as GeoJSON.
fn areas(i: &Inputs, put: Put) -> io::Result<()> {
    use rayon::prelude::*;
    let model = i.model;
    let files = model
        .areas
        .par_iter()
        .zip(model.area_ids().collect::<Vec<_>>())
        .flat_map_iter(|(area, a)| {
            let subject = || Some(Subject::Area(area.code.clone()));
            [
                File::made(
                    format!("data/areas/{}.geojson", area.code),
                    Group::Area,
                    subject(),
                    true,
                    json_bytes(&geojson::area(model, a)),
                ),
                File::made(
                    format!("data/boundaries/{}.geojson", area.code),
                    Group::Boundaries,
                    subject(),
                    true,
                    json_bytes(&geojson::boundaries(model, a)),
                ),
            ]
        })
        .collect();
    each(files, put)
}

/// A CSV file per kind.
fn csv_files(i: &Inputs, put: Put) -> io::Result<()> {
    use rayon::prelude::*;
    let files = crate::registry::Kind::ALL
        .par_iter()
        .map(|&kind| {
            File::made(
                csv::path(kind),
                Group::Csv,
                Some(Subject::Kind(kind)),
                true,
                csv::kind_csv(i.model, kind),
            )
        })
        .collect();
    each(files, put)
}

/// The sitemaps and robots.txt, a feed per language, and the finder's data.
fn sitemaps_feeds_finder(i: &Inputs, put: Put) -> io::Result<()> {
    let (model, config) = (i.model, &i.model.site.config);
    let mut files: Vec<File> = sitemap::sitemaps(model)
        .into_iter()
        .map(|(p, b)| File::made(p, Group::Sitemap, None, false, b))
        .collect();
    files.push(File::made(
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
        files.push(File::made(
            format!("{}feed.xml", lang.prefix()),
            Group::Feed,
            Some(Subject::Lang(lang)),
            lang == Lang::Ja,
            sitemap::feed(model, lang, &title),
        ));
    }
    files.push(File::made(
        "consultation/finder.json".into(),
        Group::Finder,
        None,
        false,
        json_bytes(&finder::finder_json(model)),
    ));
    each(files, put)
}

/// HSDS 3.0, streamed into the output (too large to hold whole) and listed with its sizes.
/// It words its free-text fields (fees, accessibility, topics) like the Japanese pages.
fn hsds_files(i: &Inputs, put: Put) -> io::Result<()> {
    let Some(ja) = i.strings.get(&Lang::Ja) else {
        return Ok(());
    };
    let labels = crate::views::Labels {
        strings: ja,
        lang: Lang::Ja,
        site_types: &i.model.site.config.types,
    };
    for (path, size) in hsds::write(i.model, &labels, i.out)? {
        put(File {
            path,
            group: Group::Hsds,
            subject: None,
            download: true,
            content: Content::Written(size),
        })?;
    }
    Ok(())
}

/// The records of each area as data, per language, for the filters (see lists.rs).
fn area_lists(i: &Inputs, put: Put) -> io::Result<()> {
    let model = i.model;
    let mut files = Vec::new();
    for (&lang, strings) in i.strings {
        if !model.langs().contains(&lang) {
            continue;
        }
        let labels = crate::views::Labels {
            strings,
            lang,
            site_types: &model.site.config.types,
        };
        let items = i.items.of(model, &labels);
        for (a, area) in model.area_ids().zip(&model.areas) {
            files.push(File::made(
                lists::path(lang, &area.code),
                Group::Lists,
                Some(Subject::Area(area.code.clone())),
                false,
                json_bytes(&lists::area_records(model, items, a)),
            ));
        }
    }
    each(files, put)
}

/// The search index (its type labels in every language are searchable).
fn search_index(i: &Inputs, put: Put) -> io::Result<()> {
    let labels: std::collections::BTreeMap<&str, &serde_json::Value> =
        i.strings.iter().map(|(l, v)| (l.as_str(), v)).collect();
    let files = search::index(i.model, &labels)
        .into_iter()
        .map(|(p, b)| File::made(p, Group::Search, None, false, b))
        .collect();
    each(files, put)
}
