//! Model phase: the site as data (pages, URLs, languages, lists). Pure: no I/O.
//!
//! Everything the render and export phases need more than once is computed here once:
//! record order, which records each area and kind page lists, and what each distinct `hours`
//! string means (evaluated once per string, not once per record).

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

pub use crate::geo::AreaId;
use crate::hours::{CompactSchedule, Hours, WeekTable};
use crate::registry::{Kind, Record, RecordId, indexed_by};
use crate::site::Site;
use crate::text::Lang;

/// Records of a kind listed directly on an area page; the rest are on the area's kind pages.
pub const AREA_PAGE_LIST_LIMIT: usize = 100;
/// A kind index lists its records inline (grouped by area) up to this many; a larger site's
/// kind index lists the areas with their counts instead, so the page stays light.
pub const KIND_INDEX_INLINE_LIMIT: usize = 600;
/// Records per page of an area's kind list.
pub const KIND_LIST_PAGE_SIZE: usize = 500;
/// Days of "open now" schedule published for the browser.
pub const SCHEDULE_DAYS: u16 = 366;

/// What an `hours` value means, computed once per distinct string.
#[derive(Debug)]
pub struct HoursInfo {
    pub week: WeekTable,
    pub schedule: CompactSchedule,
}

/// An area (二次医療圏) with its published records.
#[derive(Debug)]
pub struct AreaInfo {
    /// The same area in `site.geo.areas`.
    pub geo: AreaId,
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
    pub prefecture: usize,
    /// Published records of each kind, in display order.
    pub by_kind: [Vec<RecordId>; 4],
}

indexed_by!(AreaId => AreaInfo);

impl AreaInfo {
    pub fn records(&self, kind: Kind) -> &[RecordId] {
        &self.by_kind[kind_index(kind)]
    }

    pub fn total(&self) -> usize {
        self.by_kind.iter().map(Vec::len).sum()
    }
}

impl Model {
    /// The municipalities of an area that have published records (each gets a print sheet),
    /// in the order of the areas file.
    pub fn sheet_municipalities(&self, a: AreaId) -> Vec<usize> {
        let area = &self.areas[a];
        let mut used = vec![false; self.site.geo.municipalities.len()];
        for &i in area.by_kind.iter().flatten() {
            if let Some(p) = self.site.placements[i] {
                used[p.municipality] = true;
            }
        }
        self.site.geo.areas[area.geo]
            .municipalities
            .iter()
            .copied()
            .filter(|&m| used[m])
            .collect()
    }
}

pub fn kind_index(kind: Kind) -> usize {
    Kind::ALL.iter().position(|k| *k == kind).expect("a kind")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageKind {
    Home,
    AreaIndex,
    Area(AreaId),
    /// An area's full list of one kind, paginated (page numbers from 1).
    AreaKind {
        area: AreaId,
        kind: Kind,
        page: usize,
    },
    /// A4 print sheet of an area, of one kind in an area, or of one municipality of an area
    /// (an index of `site.geo.municipalities`).
    Print {
        area: AreaId,
        kind: Option<Kind>,
        municipality: Option<usize>,
    },
    KindIndex(Kind),
    Record(RecordId),
    Content(usize),
    Search,
    /// 五十音 index of names (search/names/): where the header search leads without JavaScript.
    Names,
    Data,
    NotFound,
}

/// The groups of pages `--verbose` reports render times for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageGroup {
    Home,
    Area,
    AreaKind,
    PrintArea,
    PrintKind,
    PrintMunicipality,
    KindIndex,
    Record,
    Content,
    Other,
}

impl PageGroup {
    pub const ALL: [PageGroup; 10] = [
        PageGroup::Home,
        PageGroup::Area,
        PageGroup::AreaKind,
        PageGroup::PrintArea,
        PageGroup::PrintKind,
        PageGroup::PrintMunicipality,
        PageGroup::KindIndex,
        PageGroup::Record,
        PageGroup::Content,
        PageGroup::Other,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PageGroup::Home => "home",
            PageGroup::Area => "area",
            PageGroup::AreaKind => "area-kind",
            PageGroup::PrintArea => "print",
            PageGroup::PrintKind => "print-kind",
            PageGroup::PrintMunicipality => "print-muni",
            PageGroup::KindIndex => "kind",
            PageGroup::Record => "record",
            PageGroup::Content => "content",
            PageGroup::Other => "other",
        }
    }
}

impl PageKind {
    pub fn group(&self) -> PageGroup {
        match self {
            PageKind::Home => PageGroup::Home,
            PageKind::Area(_) | PageKind::AreaIndex => PageGroup::Area,
            PageKind::AreaKind { .. } => PageGroup::AreaKind,
            PageKind::Print {
                kind: None,
                municipality: None,
                ..
            } => PageGroup::PrintArea,
            PageKind::Print { kind: Some(_), .. } => PageGroup::PrintKind,
            PageKind::Print { .. } => PageGroup::PrintMunicipality,
            PageKind::KindIndex(_) => PageGroup::KindIndex,
            PageKind::Record(_) => PageGroup::Record,
            PageKind::Content(_) => PageGroup::Content,
            PageKind::Search | PageKind::Names | PageKind::Data | PageKind::NotFound => {
                PageGroup::Other
            }
        }
    }
}

/// One HTML page of the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// Output path, e.g. `en/areas/3706/index.html`.
    pub path: String,
    /// The same page's path without the language prefix (for the language switch).
    pub lang_neutral: String,
    pub lang: Lang,
    pub kind: PageKind,
}

impl Page {
    /// The relative prefix from this page to the site root ("", "../", "../../", …).
    pub fn root(&self) -> String {
        "../".repeat(self.path.matches('/').count())
    }
}

/// The directory URL of a page path: `areas/3706/index.html` -> `areas/3706/`.
pub fn dir_url(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

pub struct Model {
    pub site: Arc<Site>,
    pub build_date: Date,
    /// The date the data speaks for: the newest `verified`, else the build date.
    pub data_date: Date,
    pub areas: Vec<AreaInfo>,
    /// Area of each record (`None` for records that are not placed or not published).
    pub record_area: Vec<Option<AreaId>>,
    /// Published records of each kind, in display order.
    pub by_kind: [Vec<RecordId>; 4],
    /// Readings generated by the analyser ([`crate::readings`]) for published records without
    /// `name_kana`, by record: for search and the 五十音 index only, never shown as a reading.
    pub generated_kana: Vec<Option<String>>,
    pub hours: HashMap<String, Arc<HoursInfo>>,
    pub content: Vec<usize>,
    pub pages: Vec<Page>,
    /// Municipality outlines simplified for the web (~30 m), shared borders kept identical,
    /// by index of `site.geo.municipalities`.
    pub web_boundaries: Vec<geo::MultiPolygon<f64>>,
}

/// Simplification tolerance of the published boundaries, in degrees (~30 m).
pub const WEB_SIMPLIFY_DEGREES: f64 = 0.0003;

/// The sort key of a record: its reading when it has one (Japanese order is by reading).
fn sort_key(r: &Record) -> String {
    crate::fold::fold(r.name_kana.as_ref().map_or(&r.name.value, |k| &k.value))
}

impl Model {
    /// 市区町村, or the part of it that fits the site's municipalities (市町 for 香川県).
    pub fn municipality_label(&self) -> String {
        let names: Vec<&str> = self
            .site
            .geo
            .municipalities
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        crate::model::municipality_label(&names)
    }

    pub fn new(site: Arc<Site>) -> Model {
        let build_date = site.today;
        let data_date = site
            .records
            .iter()
            .filter_map(|r| r.verified.as_ref().map(|v| v.value))
            .filter(|d| *d <= build_date)
            .max()
            .unwrap_or(build_date);

        // Areas in the order of the areas files.
        let mut areas: Vec<AreaInfo> = site
            .geo
            .areas
            .iter()
            .zip(site.geo.area_ids())
            .map(|(a, g)| {
                let area = &site.areas_files[a.prefecture].areas[a.index];
                AreaInfo {
                    geo: g,
                    code: a.code.clone(),
                    name: area.name.clone(),
                    name_en: area.name_en.clone(),
                    prefecture: a.prefecture,
                    by_kind: Default::default(),
                }
            })
            .collect();

        let keys: Vec<String> = site.records.par_iter().map(sort_key).collect();
        let mut order: Vec<RecordId> = RecordId::all(site.records.len()).collect();
        order.sort_by(|&a, &b| {
            keys[a.index()]
                .cmp(&keys[b.index()])
                .then_with(|| site.records[a].id.value.cmp(&site.records[b].id.value))
        });

        let mut record_area = vec![None; site.records.len()];
        let mut by_kind: [Vec<RecordId>; 4] = Default::default();
        for &i in &order {
            let r = &site.records[i];
            let Some(placement) = site.placements[i] else {
                continue;
            };
            if !r.is_published() {
                continue;
            }
            record_area[i.index()] = Some(placement.area);
            areas[placement.area].by_kind[kind_index(r.kind)].push(i);
            by_kind[kind_index(r.kind)].push(i);
        }

        let generated_kana = site
            .records
            .par_iter()
            .zip(&record_area)
            .map(|(r, area)| match (area, &r.name_kana) {
                (Some(_), None) => crate::readings::reading(&r.name.value),
                _ => None,
            })
            .collect();
        let hours = hours_infos(&site, build_date);

        let mut content: Vec<usize> = (0..site.content.len())
            .filter(|&i| !site.content[i].draft)
            .collect();
        content.sort_by_key(|&i| (site.content[i].weight, site.content[i].slug.clone()));

        let web_boundaries = crate::geo::simplify_shared(
            &site
                .geo
                .municipalities
                .iter()
                .map(|m| &m.polygon)
                .collect::<Vec<_>>(),
            WEB_SIMPLIFY_DEGREES,
        );
        let mut model = Model {
            web_boundaries,
            site,
            build_date,
            data_date,
            areas,
            record_area,
            by_kind,
            generated_kana,
            hours,
            content,
            pages: Vec::new(),
        };
        model.pages = model.plan_pages();
        model
    }

    pub fn langs(&self) -> &[Lang] {
        &self.site.config.languages
    }

    /// Every record's id, published or not, in file order.
    pub fn record_ids(&self) -> impl ExactSizeIterator<Item = RecordId> + use<> {
        RecordId::all(self.site.records.len())
    }

    pub fn record(&self, i: RecordId) -> &Record {
        &self.site.records[i]
    }

    /// The area a published record is listed in (`None`: not placed, or not published).
    pub fn record_area(&self, i: RecordId) -> Option<AreaId> {
        self.record_area[i.index()]
    }

    /// The reading the analyser made for a record without `name_kana` (see `generated_kana`).
    pub fn generated_kana(&self, i: RecordId) -> Option<&str> {
        self.generated_kana[i.index()].as_deref()
    }

    pub fn area(&self, a: AreaId) -> &AreaInfo {
        &self.areas[a]
    }

    /// The areas with their ids, in the order of the areas files.
    pub fn area_ids(&self) -> impl ExactSizeIterator<Item = AreaId> + use<> {
        AreaId::all(self.areas.len())
    }

    pub fn hours_of(&self, r: &Record) -> Option<&Arc<HoursInfo>> {
        self.hours.get(r.hours.as_ref()?.raw())
    }

    /// Content pages of a language: the Japanese pages, with the English version where it
    /// exists (an English page without a Japanese one is published too).
    pub fn content_for(&self, lang: Lang) -> Vec<usize> {
        let has = |slug: &str, lang: Lang| {
            self.content.iter().any(|&j| {
                let other = &self.site.content[j];
                other.slug == slug && other.lang == lang
            })
        };
        self.content
            .iter()
            .copied()
            .filter(|&i| {
                let page = &self.site.content[i];
                page.lang == lang || (page.lang == Lang::Ja && !has(&page.slug, lang))
            })
            .collect()
    }

    /// Number of pages of an area's kind list.
    pub fn kind_pages(&self, area: AreaId, kind: Kind) -> usize {
        self.areas[area]
            .records(kind)
            .len()
            .div_ceil(KIND_LIST_PAGE_SIZE)
            .max(1)
    }

    fn plan_pages(&self) -> Vec<Page> {
        let mut neutral: Vec<(String, PageKind)> = vec![
            ("index.html".into(), PageKind::Home),
            ("areas/index.html".into(), PageKind::AreaIndex),
            ("search/index.html".into(), PageKind::Search),
            ("search/names/index.html".into(), PageKind::Names),
            ("data/index.html".into(), PageKind::Data),
            ("404.html".into(), PageKind::NotFound),
        ];
        for (a, area) in self.area_ids().zip(&self.areas) {
            let base = format!("areas/{}/", area.code);
            neutral.push((format!("{base}index.html"), PageKind::Area(a)));
            neutral.push((
                format!("{base}print/index.html"),
                PageKind::Print {
                    area: a,
                    kind: None,
                    municipality: None,
                },
            ));
            for m in self.sheet_municipalities(a) {
                let code = self.site.geo.municipalities[m].code;
                neutral.push((
                    format!("{base}print/{code}/index.html"),
                    PageKind::Print {
                        area: a,
                        kind: None,
                        municipality: Some(m),
                    },
                ));
            }
            for kind in Kind::ALL {
                if area.records(kind).is_empty() {
                    continue;
                }
                for page in 1..=self.kind_pages(a, kind) {
                    let path = if page == 1 {
                        format!("{base}{kind}/index.html")
                    } else {
                        format!("{base}{kind}/page/{page}/index.html")
                    };
                    neutral.push((
                        path,
                        PageKind::AreaKind {
                            area: a,
                            kind,
                            page,
                        },
                    ));
                }
                neutral.push((
                    format!("{base}{kind}/print/index.html"),
                    PageKind::Print {
                        area: a,
                        kind: Some(kind),
                        municipality: None,
                    },
                ));
            }
        }
        for kind in Kind::ALL {
            neutral.push((format!("{kind}/index.html"), PageKind::KindIndex(kind)));
        }
        for list in &self.by_kind {
            for &i in list {
                let r = self.record(i);
                neutral.push((
                    format!("{}/{}/index.html", r.kind, r.id.value),
                    PageKind::Record(i),
                ));
            }
        }
        let mut pages = Vec::with_capacity(neutral.len() * self.langs().len());
        for &lang in self.langs() {
            for (path, kind) in &neutral {
                pages.push(Page {
                    path: format!("{}{path}", lang.prefix()),
                    lang_neutral: path.clone(),
                    lang,
                    kind: *kind,
                });
            }
            for i in self.content_for(lang) {
                let slug = &self.site.content[i].slug;
                let path = format!("{slug}/index.html");
                pages.push(Page {
                    path: format!("{}{path}", lang.prefix()),
                    lang_neutral: path,
                    lang,
                    kind: PageKind::Content(i),
                });
            }
        }
        pages
    }
}

/// Evaluates every distinct `hours` string once (in parallel).
fn hours_infos(site: &Site, today: Date) -> HashMap<String, Arc<HoursInfo>> {
    let mut distinct: HashMap<&str, &Hours> = HashMap::new();
    for r in &site.records {
        if let Some(h) = &r.hours {
            distinct.entry(h.raw()).or_insert(&h.value);
        }
    }
    let distinct: Vec<(&str, &Hours)> = distinct.into_iter().collect();
    distinct
        .par_iter()
        .map(|(raw, h)| {
            let info = HoursInfo {
                week: h.week(today),
                schedule: h.compact_schedule(today, SCHEDULE_DAYS),
            };
            (raw.to_string(), Arc::new(info))
        })
        .collect()
}

/// The kinds of municipality among `names` (by their last character), in the usual order:
/// 市区町村 for all four, 市町 when there are only cities and towns. 市区町村 when unknown.
pub fn municipality_label(names: &[&str]) -> String {
    let label: String = ['市', '区', '町', '村']
        .into_iter()
        .filter(|k| names.iter().any(|n| n.ends_with(*k)))
        .collect();
    if label.chars().count() < 2 {
        "市区町村".to_owned()
    } else {
        label
    }
}

#[cfg(test)]
mod label_tests {
    #[test]
    fn the_label_fits_the_prefecture() {
        use super::municipality_label as label;
        assert_eq!(label(&["高松市", "土庄町", "小豆島町"]), "市町");
        assert_eq!(
            label(&["千代田区", "八王子市", "瑞穂町", "檜原村"]),
            "市区町村"
        );
        assert_eq!(label(&["徳島市", "佐那河内村", "勝浦町"]), "市町村");
        assert_eq!(label(&[]), "市区町村");
    }
}
