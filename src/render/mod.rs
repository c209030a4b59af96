//! Render phase: pages from templates (minijinja) and SVG maps.
//!
//! A [`Renderer`] compiles the theme's templates once ([`templates::Templates`]) and renders
//! any page of the model on demand, so `build` renders every page in parallel and `serve`
//! renders pages as they are requested. What each kind of page shows is built in its module
//! of [`pages`] (print sheets in [`print`]); the renderer holds what they share: the views of
//! records and areas per language, and the map backgrounds and QR codes drawn once.

pub mod inset;
pub mod jsonld;
mod maps;
mod pages;
pub mod print;
pub mod print_map;
pub mod qr;
pub mod svg;
mod templates;
pub mod theme;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use minijinja::{Value, context};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{Model, Page, PageKind};
use crate::registry::Kind;
use crate::text::Lang;
// `views` is also reached as `super::views` by the submodules (print).
use crate::views::{self, Labels};
use theme::Theme;

/// A strict Content-Security-Policy: no inline script or style, images only from the site
/// and `tiles` (" https://tile.example", or empty).
pub fn csp_policy(tiles: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

/// A template value from anything serialisable.
fn v<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// A kind with its label, for navigation.
#[derive(Serialize)]
pub struct KindLink<'a> {
    pub key: Kind,
    pub label: &'a str,
    pub href: String,
    pub count: usize,
    pub glyph: String,
}

pub fn kind_links<'a>(model: &Model, labels: &'a Labels) -> Vec<KindLink<'a>> {
    Kind::ALL
        .iter()
        .map(|&k| KindLink {
            key: k,
            label: labels.kind_text(k),
            href: format!("{k}/"),
            count: model.by_kind[crate::model::kind_index(k)].len(),
            glyph: svg::legend_glyph(k),
        })
        .collect()
}

/// One value per language, made on first use.
type PerLang<T> = [OnceLock<T>; Lang::ALL.len()];

pub struct Renderer {
    pub model: Arc<Model>,
    /// The exported files, for the downloads page (set once the exports exist).
    pub downloads: OnceLock<Vec<views::Exported>>,
    /// Every published record's list item per language, made once: shared by every page that
    /// lists the record and by its area's records file (`export::lists`).
    pub lists: views::ListItems,
    /// The areas with their municipalities and counts, per language: the home, areas and
    /// search pages show them all, each area page its own.
    area_summaries: PerLang<Vec<pages::home::AreaSummary>>,
    /// Map backgrounds by area and by municipality, drawn once.
    area_backgrounds: Vec<OnceLock<Option<svg::Background>>>,
    municipality_backgrounds: Vec<OnceLock<Option<svg::Background>>>,
    /// The same for the print sheets' overviews, which are drawn to a size on paper.
    print_area_backgrounds: Vec<OnceLock<Option<svg::Background>>>,
    print_municipality_backgrounds: Vec<OnceLock<Option<svg::Background>>>,
    /// QR codes by URL: an area's sheet and the sheets of its municipalities link to the same
    /// page, and choosing a QR code's mask is a third of a sheet's time.
    qr_codes: Mutex<HashMap<String, Arc<str>>>,
    /// Published records with a location, for "near here" on record pages (built once).
    nearby_index: OnceLock<pages::record::NearbyIndex>,
    /// Print sheets' map layouts between their languages (see `sheet_layout`).
    print_layouts: Mutex<print::LayoutCache>,
    pub theme: Theme,
    templates: templates::Templates,
}

fn once_each<T>(n: usize) -> Vec<OnceLock<T>> {
    (0..n).map(|_| OnceLock::new()).collect()
}

impl Renderer {
    /// Compiles every template. Syntax errors are reported with their template file and line.
    pub fn new(model: Arc<Model>, mut theme: Theme) -> Result<Renderer, Vec<Diagnostic>> {
        fit_municipality_label(&mut theme, &model.municipality_label());
        let templates = templates::Templates::new(&model, &theme)?;
        let (areas, municipalities) = (model.areas.len(), model.site.geo.municipalities.len());
        Ok(Renderer {
            model,
            downloads: OnceLock::new(),
            lists: views::ListItems::default(),
            area_summaries: Default::default(),
            area_backgrounds: once_each(areas),
            municipality_backgrounds: once_each(municipalities),
            print_area_backgrounds: once_each(areas),
            print_municipality_backgrounds: once_each(municipalities),
            qr_codes: Mutex::new(HashMap::new()),
            nearby_index: OnceLock::new(),
            print_layouts: Mutex::new(HashMap::new()),
            theme,
            templates,
        })
    }

    pub fn labels(&self, lang: Lang) -> Labels<'_> {
        labels_of(&self.theme, &self.model, lang)
    }

    /// The list items of the language of `labels` (see [`Renderer::lists`]).
    fn items(&self, labels: &Labels) -> views::Items<'_> {
        self.lists.of(&self.model, labels)
    }

    /// The site's Content-Security-Policy (see [`csp_policy`]), with the configured tile
    /// server. `serve` sends it as a header too.
    pub fn csp(&self) -> String {
        self.templates.csp().to_owned()
    }

    /// The variables every page has on top of the language's base context.
    fn page_context(&self, page: &Page, title: &str, extra: Value) -> Value {
        self.templates.page_context(page, title, extra)
    }

    fn render_template(&self, name: &str, ctx: Value) -> Result<Vec<u8>, Diagnostic> {
        self.templates.render(name, ctx)
    }

    /// Renders one page of the model.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        let labels = self.labels(page.lang);
        let labels = &labels;
        match page.kind {
            PageKind::Home => self.render_home(page, labels),
            PageKind::AreaIndex => self.render_areas(page, labels),
            PageKind::Search => self.render_search(page, labels),
            PageKind::Area(a) => self.render_area(page, labels, a),
            PageKind::AreaKind {
                area,
                kind,
                page: n,
            } => self.render_area_kind(page, labels, area, kind, n),
            PageKind::Print {
                area,
                kind,
                municipality,
            } => {
                let scope = print::Scope {
                    area,
                    kind,
                    municipality,
                };
                self.render_print(page, labels, scope)
            }
            PageKind::KindIndex(kind) => self.render_kind(page, labels, kind),
            PageKind::Record(i) => self.render_record(page, labels, i),
            PageKind::Content(i) => self.render_content(page, i),
            PageKind::Names => self.render_names(page, labels),
            PageKind::Data => self.render_downloads(page, labels),
            PageKind::NotFound => self.render_not_found(page, labels),
        }
    }

    /// The legend of a map: each kind with its glyph and count (area pages, print sheets).
    fn legend(&self, labels: &Labels, counts: &[(Kind, usize)]) -> Vec<Value> {
        counts
            .iter()
            .map(|&(k, n)| {
                context! {
                kind => v(k),
                label => v(labels.kind_text(k)),
                count => v(n),
                glyph => Value::from_safe_string(svg::legend_glyph(k))}
            })
            .collect()
    }

    /// [`qr_svg`], made once per URL when `shared` (the area's URL, on the area's sheet and its
    /// municipalities' sheets; ~8 KB each). Other URLs are on one sheet: not kept.
    fn qr(&self, url: &str, shared: bool) -> Arc<str> {
        if !shared {
            return qr_svg(url).into();
        }
        if let Some(svg) = self.qr_codes.lock().expect("not poisoned").get(url) {
            return svg.clone();
        }
        let svg: Arc<str> = qr_svg(url).into();
        self.qr_codes
            .lock()
            .expect("not poisoned")
            .insert(url.to_owned(), svg.clone());
        svg
    }
}

/// The labels of `lang`: the theme's strings and the site's own record types.
fn labels_of<'a>(theme: &'a Theme, model: &'a Model, lang: Lang) -> Labels<'a> {
    Labels {
        strings: theme.i18n.get(&lang).unwrap_or(&serde_json::Value::Null),
        lang,
        site_types: &model.site.config.types,
    }
}

/// A QR code of `url` as an inline SVG image that scales with CSS.
pub fn qr_svg(url: &str) -> String {
    qr::svg(url, &format!("QR: {}", crate::text::escape_html(url)))
}

/// The Japanese word for "municipality" fits the prefecture: 香川県 has 市 and 町 (市町),
/// 東京都 has 区 and 村 too (市区町村). The built-in strings say 市区町村; a theme's own
/// wording is left alone.
fn fit_municipality_label(theme: &mut Theme, label: &str) {
    let Some(ui) = theme.i18n.get_mut(&Lang::Ja).and_then(|t| t.get_mut("ui")) else {
        return;
    };
    for key in ["municipalities", "municipality", "finder_where"] {
        if ui.get(key).and_then(|v| v.as_str()) == Some("市区町村") {
            ui[key] = label.into();
        }
    }
}

/// A date `YYYY-MM-DD` as people write it: 2026年10月1日, 1 October 2026 (anything else as it is).
pub fn human_date(ymd: &str, lang: &str) -> String {
    let parts: Vec<u32> = ymd.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else {
        return ymd.to_owned();
    };
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || ymd.len() != 10 {
        return ymd.to_owned();
    }
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if lang == "en" {
        format!("{d} {} {y}", MONTHS[m as usize - 1])
    } else {
        format!("{y}年{m}月{d}日")
    }
}

#[cfg(test)]
mod date_tests {
    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(super::human_date("2026-10-01", "ja"), "2026年10月1日");
        assert_eq!(super::human_date("2026-10-01", "en"), "1 October 2026");
        assert_eq!(super::human_date("soon", "ja"), "soon");
    }
}
