//! Render phase: pages from templates (minijinja) and SVG maps.
//!
//! A [`Renderer`] compiles the theme's templates once and renders any page of the model on
//! demand, so `build` renders every page in parallel and `serve` renders pages as they are
//! requested.

pub mod inset;
pub mod jsonld;
pub mod print;
pub mod print_map;
pub mod qr;
pub mod svg;
pub mod theme;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use minijinja::{Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic, FileId, Span};
use crate::model::{
    AREA_PAGE_LIST_LIMIT, KIND_LIST_PAGE_SIZE, Model, Page, PageKind, dir_url, kind_index,
};
use crate::registry::Kind;
use crate::text::Lang;
// Private imports that the submodules (print, print_map, inset) also reach as `super::…`.
use crate::text::{escape_html, markdown};
use crate::views::{self, Labels, area_link, list_item, record_view};
use theme::Theme;

/// A template value from anything serialisable.
/// A strict Content-Security-Policy: no inline script or style, images only from the site
/// and `tiles` (" https://tile.example", or empty).
pub fn csp_policy(tiles: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )
}

fn v<T: Serialize>(value: T) -> Value {
    Value::from(minijinja::value::Serde(value))
}

/// A kind with its label, for navigation.
#[derive(Serialize)]
pub struct KindLink {
    pub key: Kind,
    pub label: String,
    pub href: String,
    pub count: usize,
    pub glyph: String,
}

pub fn kind_links(model: &Model, labels: &Labels) -> Vec<KindLink> {
    Kind::ALL
        .iter()
        .map(|&k| KindLink {
            key: k,
            label: labels.kind(k),
            href: format!("{k}/"),
            count: model.by_kind[crate::model::kind_index(k)].len(),
            glyph: svg::legend_glyph(k),
        })
        .collect()
}

pub struct Renderer {
    pub model: Arc<Model>,
    /// The exported files, for the downloads page (set once the exports exist).
    pub downloads: std::sync::OnceLock<Vec<crate::views::Exported>>,
    /// Every published record's list item per language, made once: shared with the records
    /// files of the exports (`export::lists`).
    pub lists: crate::views::ListItems,
    /// Map backgrounds by area and by municipality, drawn once.
    area_backgrounds: Vec<std::sync::OnceLock<Option<svg::Background>>>,
    municipality_backgrounds: Vec<std::sync::OnceLock<Option<svg::Background>>>,
    /// The same for the print sheets' overviews, which are drawn to a size on paper.
    print_area_backgrounds: Vec<std::sync::OnceLock<Option<svg::Background>>>,
    print_municipality_backgrounds: Vec<std::sync::OnceLock<Option<svg::Background>>>,
    /// QR codes by URL: an area's sheet and the sheets of its municipalities link to the same
    /// page, and choosing a QR code's mask is a third of a sheet's time.
    qr_codes: std::sync::Mutex<HashMap<String, Arc<str>>>,
    /// Published records with a location, for "near here" on record pages (built once).
    nearby_index:
        std::sync::OnceLock<rstar::RTree<rstar::primitives::GeomWithData<[f64; 2], usize>>>,
    /// Print sheets' map layouts between their languages (see `sheet_layout`).
    print_layouts: std::sync::Mutex<print::LayoutCache>,
    pub theme: Theme,
    env: Environment<'static>,
    template_files: HashMap<String, FileId>,
    /// Per language: the context every page shares (site, strings, navigation).
    base: BTreeMap<Lang, Value>,
}

/// A template error as a diagnostic pointing at the template's line.
fn template_error(e: &minijinja::Error, files: &HashMap<String, FileId>) -> Diagnostic {
    let span = e.name().and_then(|name| files.get(name)).map(|&file| Span {
        file,
        line: e.line().unwrap_or(1) as u32,
        col: 1,
        len: 1,
    });
    let mut message = format!("template error: {}", e.kind());
    if let Some(detail) = e.detail() {
        message.push_str(": ");
        message.push_str(detail);
    }
    if span.is_none()
        && let Some(name) = e.name()
    {
        message.push_str(&format!(" (in {name})"));
    }
    Diagnostic::new(Code::Template, span, message)
        .help("templates are minijinja (Jinja2) with strict undefined: every variable must exist")
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    publisher: Option<&'a str>,
    base_url: &'a str,
    licence: Option<LicenceView<'a>>,
    credits: Vec<CreditView<'a>>,
    repository: Option<&'a str>,
    branch: &'a str,
    tiles: Option<&'a crate::config::Tiles>,
    languages: Vec<&'static str>,
    corrections: Option<&'a crate::config::Corrections>,
}

/// A credit in the page's language; `*_lang` is "ja" where an English page falls back to
/// Japanese text (no `name_en` or `licence_en`), so that it is tagged.
#[derive(Serialize)]
struct CreditView<'a> {
    name: &'a str,
    name_lang: Option<&'static str>,
    url: Option<&'a str>,
    licence: Option<&'a str>,
    licence_lang: Option<&'static str>,
}

#[derive(Serialize)]
struct LicenceView<'a> {
    name: &'a str,
    name_lang: Option<&'static str>,
    url: Option<&'a str>,
}

/// `en` on English pages when there is one, else `ja`, with the language to tag it with: "ja"
/// when an English page shows Japanese text ("CC0" needs no tag).
fn in_page_language<'a>(
    lang: Lang,
    ja: &'a str,
    en: Option<&'a str>,
) -> (&'a str, Option<&'static str>) {
    match (lang, en) {
        (Lang::En, Some(en)) => (en, None),
        (Lang::En, None) if crate::fold::has_japanese(ja) => (ja, Some("ja")),
        _ => (ja, None),
    }
}

#[derive(Serialize)]
struct Alternate {
    lang: &'static str,
    label: String,
    /// Relative link (the language switch works on a local copy too).
    href: String,
    /// Absolute URL (`<link rel="alternate" hreflang>` must be fully qualified).
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct ContentLink {
    title: String,
    href: String,
}

#[derive(Serialize)]
struct AreaSummary {
    link: views::AreaLink,
    municipalities: Vec<views::Text>,
    counts: Vec<(Kind, usize)>,
    total: usize,
}

#[derive(Serialize)]
struct Section {
    kind: Kind,
    label: String,
    glyph: String,
    items: Vec<views::ListItem>,
    total: usize,
    more_href: Option<String>,
}

#[derive(Serialize)]
struct Choice {
    key: String,
    label: String,
}

#[derive(Serialize)]
struct AreaChoices {
    label: String,
    municipalities: Vec<Choice>,
}

#[derive(Serialize)]
struct FinderGroup {
    key: String,
    label: String,
    items: Vec<views::ListItem>,
}

#[derive(Serialize)]
struct FinderView {
    who: Vec<Choice>,
    topic_choices: Vec<Choice>,
    channels: Vec<Choice>,
    places: Vec<AreaChoices>,
    by_topic: Vec<FinderGroup>,
    by_audience: Vec<FinderGroup>,
}

#[derive(Serialize)]
struct DownloadView {
    href: String,
    label: String,
    subject: Option<String>,
    format: String,
    size: String,
}

/// "12.3 KB", "4.5 MB".
fn human_size(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} KB", bytes as f64 / 1000.0)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

#[derive(Serialize)]
struct Pagination {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

impl Renderer {
    /// Compiles every template. Syntax errors are reported with their template file and line.
    pub fn new(model: Arc<Model>, mut theme: Theme) -> Result<Renderer, Vec<Diagnostic>> {
        fit_municipality_label(&mut theme, &model.municipality_label());
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".svg") {
                minijinja::AutoEscape::Html
            } else {
                minijinja::AutoEscape::None
            }
        });
        // Thousands separators: {{ n|number }} -> 1,234 (`count` is Jinja's `length`).
        env.add_filter("number", |n: usize| crate::text::count(n));
        // {{ "2026-10-01"|date }} -> "2026年10月1日" on Japanese pages, "1 October 2026" on English ones.
        env.add_filter("date", |state: &minijinja::State, ymd: String| {
            let lang = state
                .lookup("lang")
                .map(|l| l.to_string())
                .unwrap_or_default();
            human_date(&ymd, &lang)
        });
        // {{ n|records }} -> "1,234件" / "1,234 places" / "1 place" in the page's language.
        env.add_filter("records", |state: &minijinja::State, n: usize| {
            let ui = state
                .lookup("t")
                .and_then(|t| t.get_attr("ui").ok())
                .unwrap_or_default();
            let strings: Vec<(&str, String)> = ["record_one", "records"]
                .into_iter()
                .filter_map(|key| {
                    let v = ui.get_attr(key).ok()?;
                    Some((key, v.as_str()?.to_owned()))
                })
                .collect();
            views::records_label(n, |key| {
                strings
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.as_str())
            })
        });
        // Escapes & < > " ' only: minijinja's default also escapes `/`, which makes every URL
        // longer and harder to read in the page source without being any safer.
        env.set_formatter(|out, state, value| {
            if matches!(state.auto_escape(), minijinja::AutoEscape::Html)
                && !value.is_safe()
                && let Some(s) = value.as_str()
            {
                return out
                    .write_str(&escape_html(s))
                    .map_err(minijinja::Error::from);
            }
            minijinja::escape_formatter(out, state, value)
        });
        let mut template_files = HashMap::new();
        let mut diags = Vec::new();
        for (name, source) in &theme.templates {
            template_files.insert(name.clone(), source.file);
            if let Err(e) = env.add_template_owned(name.clone(), source.text.to_string()) {
                diags.push(template_error(&e, &template_files));
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let (areas, municipalities) = (model.areas.len(), model.site.geo.municipalities.len());
        let mut renderer = Renderer {
            model,
            downloads: std::sync::OnceLock::new(),
            lists: crate::views::ListItems::default(),
            area_backgrounds: (0..areas).map(|_| std::sync::OnceLock::new()).collect(),
            municipality_backgrounds: (0..municipalities)
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            print_area_backgrounds: (0..areas).map(|_| std::sync::OnceLock::new()).collect(),
            print_municipality_backgrounds: (0..municipalities)
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            qr_codes: std::sync::Mutex::new(HashMap::new()),
            nearby_index: std::sync::OnceLock::new(),
            print_layouts: std::sync::Mutex::new(HashMap::new()),
            theme,
            env,
            template_files,
            base: BTreeMap::new(),
        };
        for lang in renderer.model.langs().to_vec() {
            let base = renderer.base_context(lang);
            renderer.base.insert(lang, base);
        }
        Ok(renderer)
    }

    pub fn labels(&self, lang: Lang) -> Labels<'_> {
        Labels {
            strings: self
                .theme
                .i18n
                .get(&lang)
                .unwrap_or(&serde_json::Value::Null),
            lang,
            site_types: &self.model.site.config.types,
        }
    }

    fn base_context(&self, lang: Lang) -> Value {
        let config = &self.model.site.config;
        let labels = self.labels(lang);
        let en = lang == Lang::En;
        fn pick<'a>(
            en: bool,
            ja: &'a Option<String>,
            en_value: &'a Option<String>,
        ) -> Option<&'a str> {
            if en {
                en_value.as_deref().or(ja.as_deref())
            } else {
                ja.as_deref()
            }
        }
        let site = SiteView {
            title: if en {
                config.title_en.as_deref().unwrap_or(&config.title)
            } else {
                &config.title
            },
            description: pick(en, &config.description, &config.description_en),
            publisher: pick(en, &config.publisher, &config.publisher_en),
            base_url: &config.base_url,
            licence: config.licence.as_ref().map(|l| {
                let (name, name_lang) = in_page_language(lang, &l.name, l.name_en.as_deref());
                LicenceView {
                    name,
                    name_lang,
                    url: l.url.as_deref(),
                }
            }),
            credits: config
                .credits
                .iter()
                .map(|c| {
                    let (name, name_lang) = in_page_language(lang, &c.name, c.name_en.as_deref());
                    let licence = c
                        .licence
                        .as_deref()
                        .map(|ja| in_page_language(lang, ja, c.licence_en.as_deref()));
                    CreditView {
                        name,
                        name_lang,
                        url: c.url.as_deref(),
                        licence: licence.map(|l| l.0),
                        licence_lang: licence.and_then(|l| l.1),
                    }
                })
                .collect(),
            repository: config.repository.as_deref(),
            branch: &config.branch,
            tiles: config.tiles.as_ref(),
            languages: config.languages.iter().map(|l| l.as_str()).collect(),
            corrections: config.corrections.as_ref(),
        };
        let content: Vec<ContentLink> = self
            .model
            .content_for(lang)
            .into_iter()
            .map(|i| {
                let page = &self.model.site.content[i];
                ContentLink {
                    title: page.title.clone(),
                    href: format!("{}/", page.slug),
                }
            })
            .collect();
        context! {
        lang => v(lang.as_str()),
        site => v(site),
        t => v(self.theme.i18n.get(&lang)),
        kinds => v(kind_links(&self.model, &labels)),
        content_pages => v(content),
        build_date => v(self.model.build_date.to_string()),
        data_date => v(self.model.data_date.to_string())}
    }

    /// The variables every page has on top of the language's base context.
    fn page_context(&self, page: &Page, title: &str, extra: Value) -> Value {
        // The 404 page is served at any URL, so its links cannot be relative.
        let root = if page.kind == PageKind::NotFound {
            self.site_path()
        } else {
            page.root()
        };
        let path = dir_url(&page.lang_neutral).to_owned();
        let base_url = &self.model.site.config.base_url;
        let alternates: Vec<Alternate> = self
            .model
            .langs()
            .iter()
            .map(|&l| Alternate {
                lang: l.as_str(),
                label: self
                    .theme
                    .i18n
                    .get(&l)
                    .and_then(|t| t["lang_name"].as_str())
                    .unwrap_or(l.as_str())
                    .to_owned(),
                href: Some(format!("{root}{}{path}", l.prefix()))
                    .filter(|h| !h.is_empty())
                    .unwrap_or_else(|| "./".into()),
                url: format!("{base_url}{}{path}", l.prefix()),
                current: l == page.lang,
            })
            .collect();
        let canonical = format!("{base_url}{}", dir_url(&page.path));
        let own = context! {
        root => v(root.clone()),
        assets => v(format!("{root}assets/")),
        home => v(Some(format!("{root}{}", page.lang.prefix())).filter(|h| !h.is_empty()).unwrap_or_else(|| "./".into())),
        lang_root => v(format!("{root}{}", page.lang.prefix())),
        path => v(path),
        canonical => v(canonical),
        alternates => v(alternates),
        page_title => v(title),
        csp => v(self.csp())};
        minijinja::value::merge_maps([own, extra, self.base[&page.lang].clone()])
    }

    /// The path part of `base_url` ("/" or "/kenkomap/").
    fn site_path(&self) -> String {
        let base = &self.model.site.config.base_url;
        match base.find("://") {
            Some(i) => base[i + 3..]
                .find('/')
                .map_or_else(|| "/".to_owned(), |j| base[i + 3 + j..].to_owned()),
            None => base.clone(),
        }
    }

    /// The site's Content-Security-Policy (see [`csp_policy`]), with the configured tile
    /// server. `serve` sends it as a header too.
    pub fn csp(&self) -> String {
        let tiles = self
            .model
            .site
            .config
            .tiles
            .as_ref()
            .and_then(|t| {
                let rest = t.url.split_once("://")?;
                Some(format!(" {}://{}", rest.0, rest.1.split('/').next()?))
            })
            .unwrap_or_default();
        csp_policy(&tiles)
    }

    fn render_template(&self, name: &str, ctx: Value) -> Result<Vec<u8>, Diagnostic> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&e, &self.template_files))?;
        template
            .render(ctx)
            .map(String::into_bytes)
            .map_err(|e| template_error(&e, &self.template_files))
    }

    /// Renders one page of the model.
    pub fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        let labels = self.labels(page.lang);
        let lang_prefix = page.lang.prefix();
        match page.kind {
            PageKind::Home => {
                let areas = self.area_summaries(&labels);
                let map = self.areas_map(&labels, lang_prefix);
                let title = labels.ui("home");
                self.render_template(
                    "home.html",
                    self.page_context(
                        page,
                        &title,
                        context! { areas => v(areas), map_svg => Value::from_safe_string(map) },
                    ),
                )
            }
            PageKind::AreaIndex => {
                let areas = self.area_summaries(&labels);
                let title = labels.ui("areas");
                self.render_template(
                    "areas.html",
                    self.page_context(page, &title, context! { areas => v(areas) }),
                )
            }
            PageKind::Area(a) => self.render_area(page, &labels, a),
            PageKind::AreaKind {
                area,
                kind,
                page: n,
            } => self.render_area_kind(page, &labels, area, kind, n),
            PageKind::Print {
                area,
                kind,
                municipality,
            } => self.render_print(
                page,
                &labels,
                print::Scope {
                    area,
                    kind,
                    municipality,
                },
            ),
            PageKind::KindIndex(kind) => self.render_kind(page, &labels, kind),
            PageKind::Record(i) => self.render_record(page, &labels, i),
            PageKind::Content(i) => {
                let content = &self.model.site.content[i];
                let html = markdown::to_html(&content.markdown, 0);
                let content_lang = (content.lang != page.lang).then_some(content.lang.as_str());
                self.render_template(
                    "content.html",
                    self.page_context(
                        page,
                        &content.title,
                        context! {
                        description => v(&content.description),
                        body_html => Value::from_safe_string(html),
                        content_lang => v(content_lang)},
                    ),
                )
            }
            PageKind::Search => {
                let title = labels.ui("search");
                let areas = self.area_summaries(&labels);
                self.render_template(
                    "search.html",
                    self.page_context(page, &title, context! { areas => v(areas) }),
                )
            }
            PageKind::Names => {
                let title = labels.ui("names_index");
                let groups = self.names_index(&labels);
                self.render_template(
                    "names.html",
                    self.page_context(page, &title, context! { groups => v(groups) }),
                )
            }
            PageKind::Data => {
                let title = labels.ui("data");
                let downloads = self.downloads_view(&labels);
                self.render_template(
                    "data.html",
                    self.page_context(page, &title, context! { downloads => v(downloads) }),
                )
            }
            PageKind::NotFound => {
                let title = labels.ui("not_found");
                self.render_template("404.html", self.page_context(page, &title, context! {}))
            }
        }
    }

    /// The consultation finder's questions and, for the page without JavaScript, the bodies
    /// grouped by topic and by audience.
    fn finder_view(&self, labels: &Labels) -> FinderView {
        use crate::registry::vocab::{Audience, Channel, Topic, Vocab};
        let bodies: Vec<usize> = self.model.by_kind[kind_index(Kind::Consultation)].clone();
        let details = |i: usize| match &self.model.record(i).details {
            crate::registry::Details::Consultation(c) => Some(c),
            _ => None,
        };
        let group =
            |key: &str, section: &str, has: &dyn Fn(usize) -> bool| -> Option<FinderGroup> {
                let items: Vec<views::ListItem> = bodies
                    .iter()
                    .copied()
                    .filter(|&i| has(i))
                    .map(|i| list_item(&self.model, labels, i))
                    .collect();
                (!items.is_empty()).then(|| FinderGroup {
                    key: key.to_owned(),
                    label: labels.get(section, key),
                    items,
                })
            };
        let topics: Vec<FinderGroup> = Topic::ALL
            .iter()
            .filter_map(|t| {
                group(t.as_str(), "topics", &|i| {
                    details(i).is_some_and(|c| c.topics.contains(t))
                })
            })
            .collect();
        let audiences: Vec<FinderGroup> = Audience::ALL
            .iter()
            .filter_map(|a| {
                group(a.as_str(), "audiences", &|i| {
                    details(i).is_some_and(|c| c.audiences.contains(a))
                })
            })
            .collect();
        let channels: Vec<Choice> = Channel::ALL
            .iter()
            .filter(|ch| {
                bodies
                    .iter()
                    .any(|&i| details(i).is_some_and(|c| c.channels.contains(ch)))
            })
            .map(|ch| Choice {
                key: ch.as_str().to_owned(),
                label: labels.get("channels", ch.as_str()),
            })
            .collect();
        let geo = &self.model.site.geo;
        let places: Vec<AreaChoices> = self
            .model
            .areas
            .iter()
            .map(|area| AreaChoices {
                label: area_link(labels, area).name.text,
                municipalities: geo.areas[area.geo]
                    .municipalities
                    .iter()
                    .map(|&m| {
                        let m = &geo.municipalities[m];
                        Choice {
                            key: m.code.to_string(),
                            label: match labels.lang {
                                Lang::En => m.name_en.clone().unwrap_or_else(|| m.name.clone()),
                                Lang::Ja => m.name.clone(),
                            },
                        }
                    })
                    .collect(),
            })
            .collect();
        let who = ["worker", "employer", "supervisor", "family", "resident"]
            .iter()
            .map(|w| Choice {
                key: (*w).to_owned(),
                label: labels.ui(&format!("who_{w}")),
            })
            .collect();
        let topic_choices = topics
            .iter()
            .map(|g| Choice {
                key: g.key.clone(),
                label: g.label.clone(),
            })
            .collect();
        FinderView {
            who,
            topic_choices,
            channels,
            places,
            // Large sites list bodies by area on the kind index instead.
            by_topic: if bodies.len() <= crate::model::KIND_INDEX_INLINE_LIMIT {
                topics
            } else {
                Vec::new()
            },
            by_audience: if bodies.len() <= crate::model::KIND_INDEX_INLINE_LIMIT {
                audiences
            } else {
                Vec::new()
            },
        }
    }

    /// The downloads page's list: every exported file with what it is and its size.
    fn downloads_view(&self, labels: &Labels) -> Vec<DownloadView> {
        self.downloads
            .get()
            .into_iter()
            .flatten()
            .filter(|d| d.download)
            .map(|d| {
                let subject = d.subject.as_ref().map(|s| {
                    match self.model.areas.iter().find(|a| &a.code == s) {
                        Some(area) => area_link(labels, area).name.text,
                        None => Kind::from_dir(s).map_or_else(|| s.clone(), |k| labels.kind(k)),
                    }
                });
                let format = d.path.rsplit('.').next().unwrap_or("").to_uppercase();
                DownloadView {
                    href: d.path.clone(),
                    label: labels.get("downloads", d.group),
                    subject,
                    format,
                    size: human_size(d.bytes),
                }
            })
            .collect()
    }

    fn area_summaries(&self, labels: &Labels) -> Vec<AreaSummary> {
        self.model
            .areas
            .iter()
            .map(|area| {
                let geo = &self.model.site.geo.areas[area.geo];
                AreaSummary {
                    link: area_link(labels, area),
                    municipalities: geo
                        .municipalities
                        .iter()
                        .map(|&m| {
                            let m = &self.model.site.geo.municipalities[m];
                            views::Text {
                                text: match labels.lang {
                                    Lang::En => m.name_en.clone().unwrap_or_else(|| m.name.clone()),
                                    Lang::Ja => m.name.clone(),
                                },
                                lang: (labels.lang == Lang::En && m.name_en.is_none())
                                    .then_some("ja"),
                            }
                        })
                        .collect(),
                    counts: Kind::ALL
                        .iter()
                        .map(|&k| (k, area.records(k).len()))
                        .collect(),
                    total: area.total(),
                }
            })
            .collect()
    }

    fn areas_map(&self, labels: &Labels, lang_prefix: &str) -> String {
        let geo = &self.model.site.geo;
        let all: Vec<usize> = (0..geo.municipalities.len()).collect();
        let Some(bounds) = geo.bounds(&all) else {
            return String::new();
        };
        let links: Vec<svg::AreaLink> = self
            .model
            .areas
            .iter()
            .map(|area| {
                let link = area_link(labels, area);
                svg::AreaLink {
                    polygon: &geo.areas[area.geo].polygon,
                    name: if labels.lang == Lang::Ja {
                        &area.name
                    } else {
                        area.name_en.as_deref().unwrap_or(&area.name)
                    },
                    href: format!("{lang_prefix}{}", link.href),
                    label: format!("{} ({})", link.name.text, labels.records(area.total())),
                }
            })
            .collect();
        let title = labels.ui("areas_map");
        svg::areas_map(
            "areas-map",
            &title,
            &links,
            (bounds.lower(), bounds.upper()),
        )
    }

    /// The static map of an area with every published record that has a location.
    fn area_map_svg(&self, labels: &Labels, a: usize) -> String {
        let area = &self.model.areas[a];
        let geo = &self.model.site.geo;
        let area_geo = &geo.areas[area.geo];
        let Some(background) = self.area_background(a) else {
            return String::new();
        };
        let name = views::area_link(labels, area).name.text;
        let mut markers = Vec::new();
        let mut counts = Vec::new();
        for k in Kind::ALL {
            let list = area.records(k);
            counts.push(format!("{} {}", labels.kind(k), labels.records(list.len())));
            for &i in list {
                let r = self.model.record(i);
                if let Some(loc) = &r.location {
                    markers.push(svg::Marker {
                        lon: loc.lon,
                        lat: loc.lat,
                        kind: k,
                        title: match (labels.lang, &r.name_en) {
                            (Lang::En, Some(en)) => en.value.as_str(),
                            _ => r.name.value.as_str(),
                        },
                        number: None,
                    });
                }
            }
        }
        let title = labels.ui("map_of").replace("{name}", &name);
        let (comma, stop) = match labels.lang {
            Lang::Ja => ("、", "。"),
            Lang::En => (", ", ". "),
        };
        let description = format!("{}{stop}{}", counts.join(comma), labels.ui("map_desc"));
        svg::map(&svg::MapSpec {
            id: "area-map",
            title: &title,
            description: &description,
            background,
            background_href: None,
            labels: area_geo
                .municipalities
                .iter()
                .map(|&m| {
                    let m = &geo.municipalities[m];
                    let label = if labels.lang == Lang::Ja {
                        &m.name
                    } else {
                        m.name_en.as_ref().unwrap_or(&m.name)
                    };
                    Some(label.as_str())
                })
                .collect(),
            markers,
            scale_bar: true,
            north_arrow: false,
        })
    }

    fn legend(&self, labels: &Labels, counts: &[(Kind, usize)]) -> Vec<Value> {
        counts
            .iter()
            .map(|&(k, n)| {
                context! {
                kind => v(k),
                label => v(labels.kind(k)),
                count => v(n),
                glyph => Value::from_safe_string(svg::legend_glyph(k))}
            })
            .collect()
    }

    fn render_area(&self, page: &Page, labels: &Labels, a: usize) -> Result<Vec<u8>, Diagnostic> {
        let area = &self.model.areas[a];
        let link = area_link(labels, area);
        let sections: Vec<Section> = Kind::ALL
            .iter()
            .map(|&k| {
                let list = &*views::shown_order(&self.model, labels.lang, area.records(k));
                let preview = if list.len() > AREA_PAGE_LIST_LIMIT {
                    std::borrow::Cow::Owned(views::preview_order(&self.model, list))
                } else {
                    std::borrow::Cow::Borrowed(list)
                };
                Section {
                    kind: k,
                    label: labels.kind(k),
                    glyph: svg::legend_glyph(k),
                    items: preview
                        .iter()
                        .take(AREA_PAGE_LIST_LIMIT)
                        .map(|&i| list_item(&self.model, labels, i))
                        .collect(),
                    total: list.len(),
                    more_href: (list.len() > AREA_PAGE_LIST_LIMIT)
                        .then(|| format!("areas/{}/{k}/", area.code)),
                }
            })
            .collect();
        let counts: Vec<(Kind, usize)> = Kind::ALL
            .iter()
            .map(|&k| (k, area.records(k).len()))
            .collect();
        let map = self.area_map_svg(labels, a);
        let title = link.name.text.clone();
        let scope: Vec<usize> = Kind::ALL
            .iter()
            .flat_map(|&k| area.records(k).iter().copied())
            .collect();
        let filters = views::filter_view(
            &self.model,
            labels,
            &scope,
            None,
            vec![format!("areas/{}/records.json", area.code)],
        );
        self.render_template(
            "area.html",
            self.page_context(
                page,
                &title,
                context! {
                area => v(link),
                summary => v(self.area_summaries(labels).into_iter().nth(a)),
                sections => v(sections),
                legend => v(self.legend(labels, &counts)),
                map_svg => Value::from_safe_string(map),
                sheets => v(self.sheet_links(labels, a)),
                filters => v(filters),
                geojson => v(format!("data/areas/{}.geojson", area.code)),
                boundary => v(format!("data/boundaries/{}.geojson", area.code))},
            ),
        )
    }

    fn render_area_kind(
        &self,
        page: &Page,
        labels: &Labels,
        a: usize,
        kind: Kind,
        n: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let area = &self.model.areas[a];
        let link = area_link(labels, area);
        let list = &*views::shown_order(&self.model, labels.lang, area.records(kind));
        let pages = self.model.kind_pages(a, kind);
        let base = format!("areas/{}/{kind}/", area.code);
        let page_href = |p: usize| {
            if p == 1 {
                base.clone()
            } else {
                format!("{base}page/{p}/")
            }
        };
        let items: Vec<views::ListItem> = list
            .iter()
            .skip((n - 1) * KIND_LIST_PAGE_SIZE)
            .take(KIND_LIST_PAGE_SIZE)
            .map(|&i| list_item(&self.model, labels, i))
            .collect();
        let title = format!("{} {}", link.name.text, labels.kind(kind));
        let filters = views::filter_view(
            &self.model,
            labels,
            list,
            Some(kind),
            vec![format!("areas/{}/records.json", area.code)],
        );
        self.render_template(
            "area_kind.html",
            self.page_context(
                page,
                &title,
                context! {
                area => v(link),
                kind => v(kind),
                kind_label => v(labels.kind(kind)),
                glyph => Value::from_safe_string(svg::legend_glyph(kind)),
                items => v(items),
                filters => v(filters),
                total => v(list.len()),
                first_number => v((n - 1) * KIND_LIST_PAGE_SIZE + 1),
                pagination => v(Pagination {
                    page: n,
                    pages,
                    prev: (n > 1).then(|| page_href(n - 1)),
                    next: (n < pages).then(|| page_href(n + 1)),
                })},
            ),
        )
    }

    fn render_kind(&self, page: &Page, labels: &Labels, kind: Kind) -> Result<Vec<u8>, Diagnostic> {
        let groups: Vec<Value> = self
            .model
            .areas
            .iter()
            .filter(|area| !area.records(kind).is_empty())
            .map(|area| {
                let list = &*views::shown_order(&self.model, labels.lang, area.records(kind));
                // A large site's kind index lists areas and counts only (the lists are on the
                // areas' kind pages).
                let inline = if self.model.by_kind[kind_index(kind)].len() <= crate::model::KIND_INDEX_INLINE_LIMIT {
                    AREA_PAGE_LIST_LIMIT
                } else {
                    0
                };
                context! {
                    area => v(area_link(labels, area)),
                    items => v(list.iter().take(inline).map(|&i| list_item(&self.model, labels, i)).collect::<Vec<_>>()),
                    total => v(list.len()),
                    more_href => v((list.len() > inline).then(|| format!("areas/{}/{kind}/", area.code)))}
            })
            .collect();
        let title = labels.kind(kind);
        // Filters over every record of the kind when the lists are on this page.
        let all = &self.model.by_kind[kind_index(kind)];
        let filters = (all.len() <= crate::model::KIND_INDEX_INLINE_LIMIT).then(|| {
            views::filter_view(
                &self.model,
                labels,
                all,
                Some(kind),
                self.model
                    .areas
                    .iter()
                    .filter(|area| !area.records(kind).is_empty())
                    .map(|area| format!("areas/{}/records.json", area.code))
                    .collect(),
            )
        });
        let template = if kind == Kind::Consultation {
            "consultation.html"
        } else {
            "kind.html"
        };
        let finder = (kind == Kind::Consultation).then(|| self.finder_view(labels));
        self.render_template(
            template,
            self.page_context(
                page,
                &title,
                context! {
                kind => v(kind),
                kind_label => v(title.clone()),
                glyph => Value::from_safe_string(svg::legend_glyph(kind)),
                groups => v(groups),
                filters => v(filters),
                finder => v(finder),
                total => v(self.model.by_kind[kind_index(kind)].len())},
            ),
        )
    }

    /// Every published record by the first sound of its reading (あ行, か行, …), in 五十音
    /// order; names without a known reading last, by name. A reading is `name_kana`, the name
    /// itself when it starts with kana, or the reading generated at build time.
    fn names_index(&self, labels: &Labels) -> Vec<Value> {
        const ROWS: [(&str, &str); 10] = [
            ("あ", "あいうえおぁぃぅぇぉゔ"),
            ("か", "かきくけこがぎぐげご"),
            ("さ", "さしすせそざじずぜぞ"),
            ("た", "たちつてとだぢづでどっ"),
            ("な", "なにぬねの"),
            ("は", "はひふへほばびぶべぼぱぴぷぺぽ"),
            ("ま", "まみむめも"),
            ("や", "やゆよゃゅょ"),
            ("ら", "らりるれろ"),
            ("わ", "わをんゎ"),
        ];
        let mut groups: Vec<Vec<(String, usize)>> = vec![Vec::new(); ROWS.len() + 1];
        for &i in self.model.by_kind.iter().flatten() {
            let r = self.model.record(i);
            let reading = r
                .name_kana
                .as_ref()
                .map(|k| crate::fold::fold(&k.value))
                .or_else(|| {
                    let f = crate::fold::fold(&r.name.value);
                    f.starts_with(|c: char| ('\u{3041}'..='\u{309F}').contains(&c))
                        .then_some(f)
                })
                // A generated reading only places the name in its row; the page never shows it.
                .or_else(|| {
                    self.model.generated_kana[i]
                        .as_deref()
                        .map(crate::fold::fold)
                });
            let row = reading.as_ref().and_then(|k| {
                let c = k.chars().next()?;
                ROWS.iter().position(|(_, chars)| chars.contains(c))
            });
            match (row, reading) {
                (Some(row), Some(k)) => groups[row].push((k, i)),
                _ => groups[ROWS.len()].push((r.name.value.clone(), i)),
            }
        }
        groups
            .into_iter()
            .enumerate()
            .filter(|(_, g)| !g.is_empty())
            .map(|(n, mut g)| {
                g.sort();
                // A row's kana (か) and the word after it (行, " row"): on English pages the kana
                // is tagged Japanese.
                let (key, head, label) = match ROWS.get(n) {
                    Some((head, _)) => (format!("row-{n}"), Some(*head), labels.ui("names_row")),
                    None => ("row-other".to_owned(), None, labels.ui("names_other")),
                };
                context! {
                    key => v(key),
                    head => v(head),
                    label => v(label),
                    items => v(g.iter().map(|&(_, i)| {
                        let item = list_item(&self.model, labels, i);
                        context! { name => v(item.name), href => v(item.href), type_label => v(item.type_label), municipality => v(item.municipality) }
                    }).collect::<Vec<_>>()),
                }
            })
            .collect()
    }

    /// Up to [`NEARBY`] published records within [`NEARBY_KM`] of record `i`, nearest first.
    fn nearby(&self, labels: &Labels, i: usize) -> Vec<Value> {
        let Some(here) = self.model.record(i).location.as_ref() else {
            return Vec::new();
        };
        let tree = self.nearby_index.get_or_init(|| {
            let points = self
                .model
                .by_kind
                .iter()
                .flatten()
                .filter_map(|&j| {
                    let l = self.model.record(j).location.as_ref()?;
                    Some(rstar::primitives::GeomWithData::new(plane(l.lat, l.lon), j))
                })
                .collect();
            rstar::RTree::bulk_load(points)
        });
        tree.nearest_neighbor_iter(&plane(here.lat, here.lon))
            .filter(|p| p.data != i)
            .map(|p| {
                let l = self
                    .model
                    .record(p.data)
                    .location
                    .as_ref()
                    .expect("located");
                (p.data, km_between(here.lat, here.lon, l.lat, l.lon))
            })
            .take_while(|&(_, km)| km <= NEARBY_KM)
            .take(NEARBY)
            .map(|(j, km)| {
                // What the list shows, not a whole list item (hours summaries, facets, badges):
                // every record page has up to five of these in each language.
                let r = self.model.record(j);
                context! {
                    name => v(views::localized(labels.lang, &r.name, r.name_en.as_deref().map(String::as_str))),
                    href => v(format!("{}/{}/", r.kind, r.id.value)),
                    kind => v(r.kind),
                    kind_label => v(labels.kind(r.kind)),
                    type_label => v(labels.record_type(r.kind, &r.record_type)),
                    km => v(format_km(km, labels.lang)),
                }
            })
            .collect()
    }

    fn render_record(&self, page: &Page, labels: &Labels, i: usize) -> Result<Vec<u8>, Diagnostic> {
        let view = record_view(&self.model, labels, i);
        let record = self.model.record(i);
        let map = self.record_map_svg(labels, i, &page.root());
        let title = view.item.name.text.clone();
        let source_path = self.model.site.config.repository.as_ref().map(|repo| {
            format!(
                "{repo}/blob/{}/{}",
                self.model.site.config.branch,
                self.source_path(record)
            )
        });
        self.render_template(
            "record.html",
            self.page_context(
                page,
                &title,
                context! {
                // The compact schedule for "open now" (open-now.js), as data, not script.
                schedule => v(self.model.hours_of(record).map(|h| serde_json::to_string(&h.schedule).expect("JSON"))),
                record => v(view),
                nearby => v(self.nearby(labels, i)),
                map_svg => Value::from_safe_string(map),
                source_url => v(source_path),
                jsonld => Value::from_safe_string(format!(
                    "<script type=\"application/ld+json\">{}</script>",
                    jsonld::script_safe(&jsonld::record(
                        &self.model,
                        i,
                        page.lang,
                        &format!("{}{}", self.model.site.config.base_url, dir_url(&page.path)),
                    ))
                ))},
            ),
        )
    }

    /// The registry file a record is written in, relative to the site (for "propose a
    /// correction" links).
    fn source_path(&self, record: &crate::registry::Record) -> String {
        self.model
            .site
            .files
            .get(record.span.file.0 as usize)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default()
    }

    /// A small map of a record's municipality with the record's point.
    fn record_map_svg(&self, labels: &Labels, i: usize, root: &str) -> String {
        let r = self.model.record(i);
        let (Some(loc), Some(p)) = (&r.location, self.model.site.placements[i]) else {
            return String::new();
        };
        let geo = &self.model.site.geo;
        let m = &geo.municipalities[p.municipality];
        let Some(background) = self.municipality_background(p.municipality) else {
            return String::new();
        };
        let name = if labels.lang == Lang::Ja {
            &m.name
        } else {
            m.name_en.as_ref().unwrap_or(&m.name)
        };
        let record_name = match (labels.lang, &r.name_en) {
            (Lang::En, Some(en)) => en.value.as_str(),
            _ => r.name.value.as_str(),
        };
        let title = labels.ui("map_of").replace("{name}", record_name);
        // The outline is a shared image file: every record page of the municipality uses it.
        let href = format!("{root}assets/maps/{}.svg", m.code);
        svg::map(&svg::MapSpec {
            id: "record-map",
            title: &title,
            description: &format!("{name}: {}, {}", loc.lat, loc.lon),
            background,
            background_href: Some(&href),
            labels: vec![Some(name.as_str())],
            markers: vec![svg::Marker {
                lon: loc.lon,
                lat: loc.lat,
                kind: r.kind,
                title: record_name,
                number: None,
            }],
            scale_bar: true,
            north_arrow: false,
        })
    }

    /// The background of an area's maps (computed on first use, then shared).
    fn area_background(&self, a: usize) -> Option<&svg::Background> {
        self.area_backgrounds[a]
            .get_or_init(|| {
                let geo = &self.model.site.geo;
                let area_geo = &geo.areas[self.model.areas[a].geo];
                let bounds = geo.bounds(&area_geo.municipalities)?;
                let shapes: Vec<&geo::MultiPolygon<f64>> = area_geo
                    .municipalities
                    .iter()
                    .map(|&m| &geo.municipalities[m].polygon)
                    .collect();
                Some(svg::Background::new(
                    &shapes,
                    Some(&area_geo.polygon),
                    (bounds.lower(), bounds.upper()),
                ))
            })
            .as_ref()
    }

    /// The background of a municipality's record maps.
    fn municipality_background(&self, m: usize) -> Option<&svg::Background> {
        self.municipality_backgrounds[m]
            .get_or_init(|| {
                let geo = &self.model.site.geo;
                let bounds = geo.bounds(&[m])?;
                Some(svg::Background::new(
                    &[&geo.municipalities[m].polygon],
                    None,
                    (bounds.lower(), bounds.upper()),
                ))
            })
            .as_ref()
    }

    /// `assets/maps/<code>.svg`: the outline of every municipality a record page shows.
    pub fn map_assets(&self) -> Vec<(String, Vec<u8>)> {
        use rayon::prelude::*;
        let mut used: Vec<usize> = self
            .model
            .by_kind
            .iter()
            .flatten()
            .filter(|&&i| self.model.record(i).location.is_some())
            .filter_map(|&i| self.model.site.placements[i].map(|p| p.municipality))
            .collect();
        used.sort_unstable();
        used.dedup();
        used.par_iter()
            .filter_map(|&m| {
                let background = self.municipality_background(m)?;
                let code = self.model.site.geo.municipalities[m].code;
                Some((
                    format!("assets/maps/{code}.svg"),
                    background.standalone().into_bytes(),
                ))
            })
            .collect()
    }
}

impl Renderer {
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

/// A QR code of `url` as an inline SVG image that scales with CSS.
pub fn qr_svg(url: &str) -> String {
    qr::svg(url, &format!("QR: {}", escape_html(url)))
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

/// Records a record page lists as near it, and how far they may be.
const NEARBY: usize = 5;
const NEARBY_KM: f64 = 3.0;

/// A point on a plane in km where distances near Japan are close to true ones (for the nearest
/// neighbour search; the distance shown is [`km_between`]).
fn plane(lat: f64, lon: f64) -> [f64; 2] {
    [lon * 111.32 * 36f64.to_radians().cos(), lat * 110.57]
}

/// Great-circle distance in km.
pub fn km_between(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

/// "0.4 km", "12 km".
pub fn format_km(km: f64, _lang: crate::text::Lang) -> String {
    if km < 10.0 {
        format!("{km:.1} km")
    } else {
        format!("{km:.0} km")
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
