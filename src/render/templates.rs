//! The template environment: the theme's templates compiled once (minijinja, strict
//! undefined), the context every page of a language shares (site, strings, navigation), the
//! variables of each page on top of it, and the Content-Security-Policy the pages declare.

use std::collections::{BTreeMap, HashMap};

use minijinja::{Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use super::theme::Theme;
use super::{kind_links, labels_of, v};
use crate::config::SiteConfig as Config;
use crate::diagnostics::{Code, Diagnostic, FileId, Span};
use crate::model::{Model, Page, PageKind, dir_url};
use crate::text::{Lang, escape_html};
use crate::views;

pub struct Templates {
    env: Environment<'static>,
    /// The file of each template, for errors.
    files: HashMap<String, FileId>,
    /// Per language: the context every page shares.
    base: BTreeMap<Lang, Value>,
    /// The site's languages with their names, for the language switch.
    languages: Vec<(Lang, String)>,
    base_url: String,
    csp: String,
}

impl Templates {
    /// Compiles every template. Syntax errors are reported with their template file and line.
    pub fn new(model: &Model, theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        let mut env = environment();
        let mut files = HashMap::new();
        let mut diags = Vec::new();
        for (name, source) in &theme.templates {
            files.insert(name.clone(), source.file);
            if let Err(e) = env.add_template_owned(name.clone(), source.text.to_string()) {
                diags.push(template_error(&e, &files));
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let config = &model.site.config;
        Ok(Templates {
            env,
            files,
            base: model
                .langs()
                .iter()
                .map(|&lang| (lang, base_context(model, theme, lang)))
                .collect(),
            languages: model
                .langs()
                .iter()
                .map(|&l| (l, language_name(theme, l).to_owned()))
                .collect(),
            base_url: config.base_url.clone(),
            csp: csp(config),
        })
    }

    /// The site's Content-Security-Policy (see [`super::csp_policy`]).
    pub fn csp(&self) -> &str {
        &self.csp
    }

    pub fn render(&self, name: &str, ctx: Value) -> Result<Vec<u8>, Diagnostic> {
        let template = self
            .env
            .get_template(name)
            .map_err(|e| template_error(&e, &self.files))?;
        template
            .render(ctx)
            .map(String::into_bytes)
            .map_err(|e| template_error(&e, &self.files))
    }

    /// The variables every page has on top of the language's base context.
    pub fn page_context(&self, page: &Page, title: &str, extra: Value) -> Value {
        // The 404 page is served at any URL, so its links cannot be relative.
        let root = if page.kind == PageKind::NotFound {
            site_path(&self.base_url)
        } else {
            page.root()
        };
        let path = dir_url(&page.lang_neutral);
        let canonical = format!("{}{}", self.base_url, dir_url(&page.path));
        let own = context! {
        root => v(&root),
        assets => v(format!("{root}assets/")),
        home => v(or_here(format!("{root}{}", page.lang.prefix()))),
        lang_root => v(format!("{root}{}", page.lang.prefix())),
        path => v(path),
        canonical => v(canonical),
        alternates => v(self.alternates(page, &root, path)),
        page_title => v(title),
        csp => v(&self.csp)};
        minijinja::value::merge_maps([own, extra, self.base[&page.lang].clone()])
    }

    /// The page in each language, for the language switch and `<link rel="alternate">`.
    fn alternates<'a>(&'a self, page: &Page, root: &str, path: &str) -> Vec<Alternate<'a>> {
        self.languages
            .iter()
            .map(|(l, label)| Alternate {
                lang: l.as_str(),
                label,
                href: or_here(format!("{root}{}{path}", l.prefix())),
                url: format!("{}{}{path}", self.base_url, l.prefix()),
                current: *l == page.lang,
            })
            .collect()
    }
}

/// A relative link, or "./" where it is empty (the page's own directory).
fn or_here(href: String) -> String {
    if href.is_empty() { "./".into() } else { href }
}

/// An environment with kenkomap's filters and HTML escaping.
fn environment() -> Environment<'static> {
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
        super::human_date(&ymd, &lang)
    });
    env.add_filter("records", records_filter);
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
    env
}

/// {{ n|records }} -> "1,234件" / "1,234 places" / "1 place" in the page's language.
fn records_filter(state: &minijinja::State, n: usize) -> String {
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

fn language_name(theme: &Theme, lang: Lang) -> &str {
    theme
        .i18n
        .get(&lang)
        .and_then(|t| t["lang_name"].as_str())
        .unwrap_or(lang.as_str())
}

/// The path part of `base_url` ("/" or "/kenkomap/").
fn site_path(base: &str) -> String {
    match base.find("://") {
        Some(i) => base[i + 3..]
            .find('/')
            .map_or_else(|| "/".to_owned(), |j| base[i + 3 + j..].to_owned()),
        None => base.to_owned(),
    }
}

/// The Content-Security-Policy with the configured tile server.
fn csp(config: &Config) -> String {
    let tiles = config
        .tiles
        .as_ref()
        .and_then(|t| {
            let rest = t.url.split_once("://")?;
            Some(format!(" {}://{}", rest.0, rest.1.split('/').next()?))
        })
        .unwrap_or_default();
    super::csp_policy(&tiles)
}

#[derive(Serialize)]
struct Alternate<'a> {
    lang: &'static str,
    label: &'a str,
    /// Relative link (the language switch works on a local copy too).
    href: String,
    /// Absolute URL (`<link rel="alternate" hreflang>` must be fully qualified).
    url: String,
    current: bool,
}

/// What every page of `lang` shares.
fn base_context(model: &Model, theme: &Theme, lang: Lang) -> Value {
    let labels = labels_of(theme, model, lang);
    context! {
    lang => v(lang.as_str()),
    site => v(site_view(&model.site.config, lang)),
    t => v(theme.i18n.get(&lang)),
    kinds => v(kind_links(model, &labels)),
    content_pages => v(content_links(model, lang)),
    build_date => v(model.build_date.to_string()),
    data_date => v(model.data_date.to_string())}
}

#[derive(Serialize)]
struct ContentLink<'a> {
    title: &'a str,
    href: String,
}

/// The content pages of `lang`, for navigation.
fn content_links(model: &Model, lang: Lang) -> Vec<ContentLink<'_>> {
    model
        .content_for(lang)
        .into_iter()
        .map(|i| {
            let page = &model.site.content[i];
            ContentLink {
                title: &page.title,
                href: format!("{}/", page.slug),
            }
        })
        .collect()
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

fn site_view(config: &Config, lang: Lang) -> SiteView<'_> {
    let en = lang == Lang::En;
    fn pick<'a>(en: bool, ja: &'a Option<String>, en_value: &'a Option<String>) -> Option<&'a str> {
        if en {
            en_value.as_deref().or(ja.as_deref())
        } else {
            ja.as_deref()
        }
    }
    SiteView {
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
        credits: config.credits.iter().map(|c| credit(c, lang)).collect(),
        repository: config.repository.as_deref(),
        branch: &config.branch,
        tiles: config.tiles.as_ref(),
        languages: config.languages.iter().map(|l| l.as_str()).collect(),
        corrections: config.corrections.as_ref(),
    }
}

fn credit(c: &crate::config::Credit, lang: Lang) -> CreditView<'_> {
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
