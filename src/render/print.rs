//! The A4 print sheets: of an area, of one kind in an area, of one municipality. What a 保健所
//! hands out instead of its booklet: the map with every record's number (insets where it is
//! dense), then the numbered lists in the order of `print.order`, long lists in a compact form.

use minijinja::{Value, context};
use serde::Serialize;

use std::sync::Arc;

use super::inset::Layout;
use super::print_map::{self, PrintMapSpec, PrintMaps};
use super::svg::{self, Background, Marker, Projection};
use super::views::{self, Labels, Text, area_link};
use super::{Renderer, v};
use crate::config::{Lang, Samples};
use crate::diagnostics::Diagnostic;
use crate::model::{AreaId, Page};
use crate::registry::{Kind, Record, RecordId};

/// A kind with more records than this is listed in the compact form (number and name in
/// three columns), so that 367 parks take two pages, not eight; shorter lists keep phone
/// and hours, which is what a reader of a list of 50 hospitals looks for.
pub const COMPACT_OVER: usize = 100;
/// Sections that fit on one page (estimated from their length) are kept together; longer ones
/// start on a page of their own.
const SHORT_FULL: usize = 18;
const SHORT_COMPACT: usize = 120;

/// Layouts by sheet (area, kind, municipality), with how many languages have used them.
pub(super) type LayoutCache =
    std::collections::HashMap<(AreaId, Option<Kind>, Option<usize>), (Arc<Layout>, usize)>;

/// What one sheet shows.
#[derive(Clone, Copy)]
pub struct Scope {
    pub area: AreaId,
    pub kind: Option<Kind>,
    /// An index of `site.geo.municipalities`.
    pub municipality: Option<usize>,
}

/// A record on a sheet.
#[derive(Serialize)]
struct SheetItem {
    number: usize,
    name: Text,
    badges: Vec<String>,
    suspended: bool,
    sample: bool,
    address: Option<String>,
    /// The first phone number, `None` when the data has none (printed as "—").
    phone: Option<String>,
    /// The hours in short form, or the note about them, `None` when unknown.
    hours: Option<String>,
    /// `Some("ja")` when the hours are the note as written, on an English page.
    hours_lang: Option<&'static str>,
    /// Its number is on no map (no location, or a place too crowded to number).
    off_map: bool,
}

#[derive(Serialize)]
struct SheetSection {
    kind: Kind,
    label: String,
    glyph: String,
    total: usize,
    compact: bool,
    /// Kept on one page.
    short: bool,
    items: Vec<SheetItem>,
    /// Samples left out (`print.samples: omit`).
    omitted: usize,
}

#[derive(Serialize)]
struct InsetView {
    label: usize,
    svg: String,
    place: Option<String>,
}

#[derive(Serialize)]
struct SheetLink {
    label: String,
    href: String,
}

/// The print sheets an area page links to.
#[derive(Serialize)]
pub struct SheetLinks {
    area: SheetLink,
    kinds: Vec<SheetLink>,
    municipalities: Vec<SheetLink>,
}

impl Renderer {
    /// The records a sheet lists, by kind in the sheet's order, and how many samples it leaves
    /// out of each.
    fn sheet_records(&self, scope: Scope) -> Vec<(Kind, Vec<RecordId>, usize)> {
        let area = &self.model.areas[scope.area];
        let print = &self.model.site.config.print;
        let omit = print.samples == Samples::Omit;
        print
            .order
            .iter()
            .filter(|&&k| scope.kind.is_none_or(|only| only == k))
            .map(|&k| {
                let mut omitted = 0;
                let list: Vec<RecordId> = area
                    .records(k)
                    .iter()
                    .copied()
                    .filter(|&i| {
                        scope.municipality.is_none_or(|m| {
                            self.model.site.placements[i].is_some_and(|p| p.municipality == m)
                        })
                    })
                    .filter(|&i| {
                        let out = omit && self.model.record(i).sample;
                        omitted += usize::from(out);
                        !out
                    })
                    .collect();
                (k, list, omitted)
            })
            .filter(|(_, list, omitted)| !list.is_empty() || *omitted > 0)
            .collect()
    }

    pub(super) fn render_print(
        &self,
        page: &Page,
        labels: &Labels,
        scope: Scope,
    ) -> Result<Vec<u8>, Diagnostic> {
        let area = &self.model.areas[scope.area];
        let link = area_link(labels, area);
        let records = self.sheet_records(scope);
        let maps = self.sheet_maps(labels, scope, &records);
        let sections = self.sheet_sections(labels, &records, &maps.unnumbered);
        let counts: Vec<(Kind, usize)> = records.iter().map(|(k, l, _)| (*k, l.len())).collect();
        let live = match scope.kind {
            Some(k) => format!("areas/{}/{k}/", area.code),
            None => format!("areas/{}/", area.code),
        };
        let live_url = format!(
            "{}{}{live}",
            self.model.site.config.base_url,
            page.lang.prefix()
        );
        let municipality = scope
            .municipality
            .map(|m| self.municipality_name(labels.lang, m));
        let title = match (scope.kind, &municipality) {
            (_, Some(name)) => name.text.clone(),
            (Some(k), None) => format!("{} {}", link.name.text, labels.kind(k)),
            (None, None) => link.name.text.clone(),
        };
        let prefecture = &self.model.site.areas_files[area.prefecture].prefecture;
        let insets = self.inset_views(labels, scope, maps.insets);
        self.render_template(
            "print.html",
            self.page_context(
                page,
                &title,
                context! {
                    area => v(link),
                    kind => v(scope.kind),
                    municipality => v(municipality),
                    prefecture => v(if page.lang == Lang::Ja { prefecture.name.clone() } else { prefecture.name_en.clone().unwrap_or_else(|| prefecture.name.clone()) }),
                    sections => v(sections),
                    legend => v(self.legend(labels, &counts)),
                    map_svg => Value::from_safe_string(maps.overview),
                    insets => v(insets),
                    numbered => v(maps.numbered),
                    off_map => v(!maps.unnumbered.is_empty() || records.iter().any(|(_, l, _)| l.iter().any(|&i| self.model.record(i).location.is_none()))),
                    samples => v(records.iter().any(|(_, l, _)| l.iter().any(|&i| self.model.record(i).sample))),
                    qr_svg => Value::from_safe_string(self.qr(&live_url, scope.kind.is_none()).to_string()),
                    // Pieces ending in a slash: the template lets a phone wrap after each.
                    live_url_parts => v(live_url.split_inclusive('/').collect::<Vec<_>>()),
                    live_url => v(live_url),
                    live_href => v(live)},
            ),
        )
    }

    fn municipality_name(&self, lang: Lang, m: usize) -> Text {
        let m = &self.model.site.geo.municipalities[m];
        views::localized(lang, &m.name, m.name_en.as_deref())
    }

    /// The sections of a sheet, numbered through in the sheet's order.
    fn sheet_sections(
        &self,
        labels: &Labels,
        records: &[(Kind, Vec<RecordId>, usize)],
        unnumbered: &[usize],
    ) -> Vec<SheetSection> {
        let mut next = 1;
        records
            .iter()
            .map(|(k, list, omitted)| {
                let compact = list.len() > COMPACT_OVER;
                let items: Vec<SheetItem> = list
                    .iter()
                    .enumerate()
                    .map(|(j, &i)| {
                        let number = next + j;
                        let off_map = unnumbered.binary_search(&number).is_ok();
                        self.sheet_item(labels, i, number, off_map)
                    })
                    .collect();
                next += list.len();
                SheetSection {
                    kind: *k,
                    label: labels.kind(*k),
                    glyph: svg::legend_glyph(*k),
                    total: list.len(),
                    compact,
                    short: list.len() <= if compact { SHORT_COMPACT } else { SHORT_FULL },
                    items,
                    omitted: *omitted,
                }
            })
            .collect()
    }

    fn sheet_item(&self, labels: &Labels, i: RecordId, number: usize, off_map: bool) -> SheetItem {
        let r: &Record = self.model.record(i);
        let summary =
            self.model
                .hours_of(r)
                .filter(|h| !h.week.unknown)
                .map(|h| match labels.lang {
                    Lang::Ja => h.week.summary_ja(),
                    Lang::En => h.week.summary_en(),
                });
        // Without hours, the note about them (Japanese, as the registry has it).
        let note = summary
            .is_none()
            .then(|| r.hours_note.as_ref().map(|n| n.value.clone()))
            .flatten();
        let hours_lang = (note.is_some() && labels.lang == Lang::En).then_some("ja");
        let hours = summary.or(note);
        SheetItem {
            number,
            name: views::record_name(labels.lang, r),
            badges: views::badges(labels, r),
            suspended: r.status == crate::registry::vocab::Status::Suspended,
            sample: r.sample,
            address: r.address.as_ref().map(|a| a.value.clone()),
            phone: r.phone.first().map(|p| p.value.value.clone()),
            hours,
            hours_lang,
            off_map: off_map || r.location.is_none(),
        }
    }

    /// The overview and insets of a sheet, numbered like its list.
    fn sheet_maps(
        &self,
        labels: &Labels,
        scope: Scope,
        records: &[(Kind, Vec<RecordId>, usize)],
    ) -> PrintMaps {
        let empty = PrintMaps {
            overview: String::new(),
            insets: Vec::new(),
            unnumbered: Vec::new(),
            numbered: true,
        };
        let Some((background, shapes)) = self.sheet_background(scope) else {
            return empty;
        };
        let geo = &self.model.site.geo;
        let mut markers = Vec::new();
        let mut number = 0;
        for (k, list, _) in records {
            for &i in list {
                number += 1;
                let r = self.model.record(i);
                if let Some(loc) = &r.location {
                    markers.push(Marker {
                        lon: loc.lon,
                        lat: loc.lat,
                        kind: *k,
                        title: &r.name.value,
                        number: Some(number),
                    });
                }
            }
        }
        let names: Vec<String> = shapes
            .iter()
            .map(|&m| self.municipality_name(labels.lang, m).text)
            .collect();
        let polygons: Vec<&geo::MultiPolygon<f64>> = shapes
            .iter()
            .map(|&m| &geo.municipalities[m].polygon)
            .collect();
        let outline = match scope.municipality {
            Some(m) => &geo.municipalities[m].polygon,
            None => &geo.areas[self.model.areas[scope.area].geo].polygon,
        };
        let title = self.sheet_map_title(labels, scope);
        let description = format!(
            "{}{}",
            labels.records(markers.len()),
            labels.ui("print_map_desc")
        );
        // The widest of each name in the site's languages: one layout serves them all.
        let name_widths: Vec<f64> = shapes
            .iter()
            .map(|&m| {
                self.model
                    .langs()
                    .iter()
                    .map(|&l| print_map::name_width(&self.municipality_name(l, m).text))
                    .fold(0.0, f64::max)
            })
            .collect();
        let spec = PrintMapSpec {
            id: "print-map",
            title: &title,
            description: &description,
            background,
            shapes: polygons,
            labels: names.iter().map(|n| Some(n.as_str())).collect(),
            name_widths,
            outline: Some(outline),
            markers,
            inset_label: &labels.ui("print_inset"),
        };
        let layout = self.sheet_layout(scope, || print_map::plan(&spec));
        let mut maps = print_map::draw(&spec, &layout);
        maps.unnumbered.sort_unstable();
        maps
    }

    /// A sheet's map layout, planned by the first language's page and kept for the others
    /// (then dropped: a national site has thousands of sheets).
    fn sheet_layout(&self, scope: Scope, plan: impl FnOnce() -> Layout) -> Arc<Layout> {
        let key = (scope.area, scope.kind, scope.municipality);
        let langs = self.model.langs().len();
        let mut cache = self.print_layouts.lock().expect("not poisoned");
        if let Some((layout, uses)) = cache.get_mut(&key) {
            let layout = layout.clone();
            *uses += 1;
            if *uses >= langs {
                cache.remove(&key);
            }
            return layout;
        }
        drop(cache);
        let layout = Arc::new(plan());
        if langs > 1 {
            self.print_layouts
                .lock()
                .expect("not poisoned")
                .insert(key, (layout.clone(), 1));
        }
        layout
    }

    fn sheet_map_title(&self, labels: &Labels, scope: Scope) -> String {
        let name = match scope.municipality {
            Some(m) => self.municipality_name(labels.lang, m).text,
            None => area_link(labels, &self.model.areas[scope.area]).name.text,
        };
        labels.ui("map_of").replace("{name}", &name)
    }

    /// The inset maps with the name of the municipality at the centre of each.
    fn inset_views(
        &self,
        labels: &Labels,
        scope: Scope,
        insets: Vec<print_map::InsetMap>,
    ) -> Vec<InsetView> {
        use geo::Contains;
        let geo = &self.model.site.geo;
        let candidates: Vec<usize> = match scope.municipality {
            Some(m) => vec![m],
            None => geo.areas[self.model.areas[scope.area].geo]
                .municipalities
                .clone(),
        };
        insets
            .into_iter()
            .map(|i| {
                let centre = geo::Point::new(i.centre.0, i.centre.1);
                let place = candidates
                    .iter()
                    .find(|&&m| geo.municipalities[m].polygon.contains(&centre))
                    .map(|&m| self.municipality_name(labels.lang, m).text);
                InsetView {
                    label: i.label,
                    svg: i.svg,
                    place,
                }
            })
            .collect()
    }

    /// The overview's background of a sheet (drawn once per area or municipality, for every
    /// sheet and language) and the municipalities it shows.
    fn sheet_background(&self, scope: Scope) -> Option<(&Background, Vec<usize>)> {
        let geo = &self.model.site.geo;
        let shapes = match scope.municipality {
            Some(m) => vec![m],
            None => geo.areas[self.model.areas[scope.area].geo]
                .municipalities
                .clone(),
        };
        let cell = match scope.municipality {
            Some(m) => &self.print_municipality_backgrounds[m],
            None => &self.print_area_backgrounds[scope.area.index()],
        };
        let background = cell
            .get_or_init(|| {
                let bounds = geo.bounds(&shapes)?;
                let polygons: Vec<&geo::MultiPolygon<f64>> = shapes
                    .iter()
                    .map(|&m| &geo.municipalities[m].polygon)
                    .collect();
                let proj = Projection::fit_within(
                    bounds.lower(),
                    bounds.upper(),
                    print_map::OVERVIEW,
                    24.0,
                );
                let outline = match scope.municipality {
                    Some(m) => &geo.municipalities[m].polygon,
                    None => &geo.areas[self.model.areas[scope.area].geo].polygon,
                };
                Some(Background::with(&polygons, Some(outline), proj))
            })
            .as_ref()?;
        Some((background, shapes))
    }

    /// The print sheets of an area, for its page's print button.
    pub(super) fn sheet_links(&self, labels: &Labels, a: AreaId) -> SheetLinks {
        let area = &self.model.areas[a];
        let base = format!("areas/{}/", area.code);
        SheetLinks {
            area: SheetLink {
                label: area_link(labels, area).name.text,
                href: format!("{base}print/"),
            },
            kinds: self
                .model
                .site
                .config
                .print
                .order
                .iter()
                .filter(|&&k| !area.records(k).is_empty())
                .map(|&k| SheetLink {
                    label: labels.kind(k),
                    href: format!("{base}{k}/print/"),
                })
                .collect(),
            municipalities: self
                .model
                .sheet_municipalities(a)
                .into_iter()
                .map(|m| SheetLink {
                    label: self.municipality_name(labels.lang, m).text,
                    href: format!(
                        "{base}print/{}/",
                        self.model.site.geo.municipalities[m].code
                    ),
                })
                .collect(),
        }
    }

    /// `assets/css/sheet-pages.<lang>.css`: the page number ("1 / 6") and the data date at the
    /// foot of every printed page. CSS margin boxes take only text written in CSS, and the
    /// pages have no inline styles (strict CSP), so the build writes the date into a file.
    pub fn sheet_page_css(&self) -> Vec<(String, Vec<u8>)> {
        self.model
            .langs()
            .iter()
            .map(|&lang| {
                let labels = self.labels(lang);
                let date = format!(
                    "{}: {}",
                    labels.ui("data_as_of"),
                    super::human_date(&self.model.data_date.to_string(), lang.as_str())
                );
                let css = format!(
                    "/* Written by kenkomap build: the foot of every page of the print sheets. */\n@page {{\n  @bottom-left {{ content: {}; font: 8.5pt {FONTS}; color: #374151; }}\n  @bottom-center {{ content: counter(page) \" / \" counter(pages); font: 9pt {FONTS}; color: #111827; }}\n  @bottom-right {{ content: {}; font: 8.5pt {FONTS}; color: #374151; }}\n}}\n",
                    css_string(&date),
                    css_string(&self.site_title(lang)),
                );
                (
                    format!("assets/css/sheet-pages.{}.css", lang.as_str()),
                    css.into_bytes(),
                )
            })
            .collect()
    }

    fn site_title(&self, lang: Lang) -> String {
        let config = &self.model.site.config;
        match lang {
            Lang::En => config
                .title_en
                .clone()
                .unwrap_or_else(|| config.title.clone()),
            Lang::Ja => config.title.clone(),
        }
    }
}

const FONTS: &str =
    "\"Noto Sans CJK JP\", \"Noto Sans JP\", \"Hiragino Sans\", \"Yu Gothic\", Meiryo, sans-serif";

/// A CSS string literal: quotes, backslashes, angle brackets and control characters escaped
/// as code points, so that text from site.yaml cannot end the string or the stylesheet.
pub fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' || c == '<' || c == '>' || c.is_control() {
            out.push_str(&format!("\\{:x} ", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::css_string;

    #[test]
    fn css_strings_cannot_be_left() {
        assert_eq!(
            css_string("情報の時点: 2026-10-01"),
            "\"情報の時点: 2026-10-01\""
        );
        assert_eq!(
            css_string("a\"; } body { x: \\</style>\n"),
            "\"a\\22 ; } body { x: \\5c \\3c /style\\3e \\a \""
        );
    }
}
