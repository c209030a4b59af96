//! Config phase: `site.yaml`. Unknown keys are errors, like every other file we read.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::{Code, Diagnostic};
use crate::load::yaml::{Node, Value};
use crate::registry::{Kind, Sp};
use crate::validate::reader::{self, Cx, MapReader};

/// The site's languages are text's: `config::Lang` keeps naming them for the code that reads
/// them with the settings.
pub use crate::text::Lang;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tiles {
    /// `{z}/{x}/{y}` template.
    pub url: String,
    pub attribution: String,
    pub attribution_url: Option<String>,
    pub max_zoom: u32,
}

impl Tiles {
    /// 地理院タイル 淡色地図, with the attribution GSI requires.
    pub fn gsi_pale() -> Tiles {
        Tiles {
            url: "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png".into(),
            attribution: "地理院タイル".into(),
            attribution_url: Some("https://maps.gsi.go.jp/development/ichiran.html".into()),
            max_zoom: 18,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Licence {
    pub name: String,
    pub name_en: Option<String>,
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Credit {
    pub name: String,
    pub name_en: Option<String>,
    pub url: Option<String>,
    pub licence: Option<String>,
    pub licence_en: Option<String>,
}

/// A `type` a site adds to a kind's vocabulary, with its labels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteType {
    pub key: String,
    pub ja: String,
    pub en: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub title_en: Option<String>,
    pub description: Option<String>,
    pub description_en: Option<String>,
    /// Absolute URL of the published site, ending in `/` (for sitemap, feed and QR codes);
    /// `/` when site.yaml gives none.
    pub base_url: String,
    /// Whether site.yaml gives `base_url` (else `build --base-url` may).
    pub base_url_given: bool,
    pub publisher: Option<String>,
    pub publisher_en: Option<String>,
    pub languages: Vec<Lang>,
    pub theme: String,
    /// `None` when tiles are off: the maps then make no network request at all.
    pub tiles: Option<Tiles>,
    pub licence: Option<Licence>,
    pub credits: Vec<Credit>,
    pub types: BTreeMap<Kind, Vec<SiteType>>,
    /// Repository web URL, for "propose a correction" links (e.g. https://github.com/org/repo).
    pub repository: Option<String>,
    /// Branch of the repository the site is built from.
    pub branch: String,
    pub print: PrintConfig,
    /// Where residents send corrections (shown on every record page); editors keep the
    /// pull-request route of `repository`.
    pub corrections: Option<Corrections>,
}

/// `corrections: { email, url, phone, name }`: at least one way to reach the people who keep
/// the data, checked like the same fields of records.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Corrections {
    pub name: Option<String>,
    pub name_en: Option<String>,
    pub email: Option<String>,
    /// A web form.
    pub url: Option<String>,
    pub phone: Option<String>,
    /// `tel:` URL of `phone`.
    pub tel: Option<String>,
}

/// What the print sheets do with `sample: true` records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Samples {
    /// Listed and marked as fictional, so a reader never goes looking for them.
    Mark,
    /// Left out of the sheets (the web pages still show them, marked).
    Omit,
}

/// `print:` in site.yaml: how the A4 sheets are put together.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrintConfig {
    /// Every kind once, in the order the sheets list them (and number them).
    pub order: Vec<Kind>,
    pub samples: Samples,
}

impl Default for PrintConfig {
    /// Consultation bodies and facilities first: what a 保健所 hands out is mostly who to ask;
    /// parks, the longest list, last.
    fn default() -> PrintConfig {
        PrintConfig {
            order: vec![
                Kind::Consultation,
                Kind::Facilities,
                Kind::Restaurants,
                Kind::Parks,
            ],
            samples: Samples::Mark,
        }
    }
}

impl SiteConfig {
    pub fn extra_types(&self, kind: Kind) -> Vec<String> {
        self.types
            .get(&kind)
            .map(|types| types.iter().map(|t| t.key.clone()).collect())
            .unwrap_or_default()
    }
}

const FIELDS: &[&str] = &[
    "title",
    "title_en",
    "description",
    "description_en",
    "base_url",
    "publisher",
    "publisher_en",
    "languages",
    "theme",
    "map",
    "licence",
    "license",
    "credits",
    "types",
    "repository",
    "branch",
    "print",
    "corrections",
];

/// Decodes `site.yaml`. Returns `None` when a required value is missing (reported).
pub fn decode(root: &Node, cx: &mut Cx) -> Option<SiteConfig> {
    let map = MapReader::open(root, FIELDS, "site.yaml", cx)?;
    let text = |name: &str, cx: &mut Cx| {
        map.get(name)
            .and_then(|n| reader::text(n, name, cx))
            .map(|s| s.value)
    };
    let title = map
        .require("title", "site.yaml", cx)
        .and_then(|n| reader::text(n, "title", cx))
        .map(|s| s.value);
    let base_url = map.get("base_url").and_then(|n| {
        let base = url(n, "base_url", cx)?;
        Some(if base.value.ends_with('/') {
            base.value
        } else {
            format!("{}/", base.value)
        })
    });
    let languages = map
        .get("languages")
        .map(|n| {
            let mut langs = reader::list(n, "languages", cx, |n, cx| {
                let l = reader::text(n, "languages", cx)?;
                reader::one_of(
                    &l,
                    "languages",
                    "site language",
                    &Lang::CODES,
                    Code::UnknownValue,
                    cx,
                )?;
                Lang::parse(&l.value)
            });
            langs.sort();
            langs.dedup();
            if !langs.contains(&Lang::Ja) {
                langs.insert(0, Lang::Ja);
            }
            langs
        })
        .unwrap_or_else(|| vec![Lang::Ja, Lang::En]);
    let tiles = match map.get("map") {
        None => Some(Tiles::gsi_pale()),
        Some(n) => map_config(n, cx),
    };
    let licence = map
        .get("licence")
        .or_else(|| map.get("license"))
        .and_then(|n| {
            let l = MapReader::open(n, &["name", "name_en", "url"], "`licence`", cx)?;
            Some(Licence {
                name: l
                    .require("name", "`licence`", cx)
                    .and_then(|n| reader::text(n, "name", cx))?
                    .value,
                name_en: l
                    .get("name_en")
                    .and_then(|n| reader::text(n, "name_en", cx))
                    .map(|s| s.value),
                url: l
                    .get("url")
                    .and_then(|n| url(n, "licence.url", cx))
                    .map(|s| s.value),
            })
        });
    let credits = map
        .get("credits")
        .map(|n| {
            reader::list(n, "credits", cx, |n, cx| {
                let c = MapReader::open(
                    n,
                    &[
                        "name",
                        "name_en",
                        "url",
                        "licence",
                        "license",
                        "licence_en",
                        "license_en",
                    ],
                    "a credit",
                    cx,
                )?;
                let get = |f: &str, cx: &mut Cx| {
                    c.get(f)
                        .and_then(|n| reader::text(n, f, cx))
                        .map(|s| s.value)
                };
                Some(Credit {
                    name: c
                        .require("name", "this credit", cx)
                        .and_then(|n| reader::text(n, "name", cx))?
                        .value,
                    name_en: get("name_en", cx),
                    url: c
                        .get("url")
                        .and_then(|n| url(n, "credits.url", cx))
                        .map(|s| s.value),
                    licence: get("licence", cx).or_else(|| get("license", cx)),
                    licence_en: get("licence_en", cx).or_else(|| get("license_en", cx)),
                })
            })
        })
        .unwrap_or_default();
    let types = map
        .get("types")
        .map(|n| site_types(n, cx))
        .unwrap_or_default();
    Some(SiteConfig {
        title: title?,
        title_en: text("title_en", cx),
        description: text("description", cx),
        description_en: text("description_en", cx),
        base_url_given: base_url.is_some(),
        base_url: base_url.unwrap_or_else(|| "/".to_owned()),
        publisher: text("publisher", cx),
        publisher_en: text("publisher_en", cx),
        languages,
        theme: map
            .get("theme")
            .and_then(|n| theme_name(n, cx))
            .unwrap_or_else(|| "default".to_owned()),
        tiles,
        licence,
        credits,
        types,
        repository: map
            .get("repository")
            .and_then(|n| url(n, "repository", cx))
            .map(|r| r.value.trim_end_matches('/').to_owned()),
        branch: text("branch", cx).unwrap_or_else(|| "main".to_owned()),
        print: map
            .get("print")
            .map(|n| print_config(n, cx))
            .unwrap_or_default(),
        corrections: map.get("corrections").and_then(|n| corrections(n, cx)),
    })
}

/// `corrections:`, with its address, form URL and phone number checked (E0303, E0304, E0302)
/// and at least one of them required (E0101).
fn corrections(node: &Node, cx: &mut Cx) -> Option<Corrections> {
    let c = MapReader::open(
        node,
        &["name", "name_en", "email", "url", "phone"],
        "`corrections`",
        cx,
    )?;
    let text = |f: &str, cx: &mut Cx| c.get(f).and_then(|n| reader::text(n, f, cx));
    let email =
        text("email", cx).and_then(
            |e| match crate::validate::formats::email_problem(&e.value) {
                None => Some(e.value),
                Some(problem) => {
                    cx.report(
                        Diagnostic::new(
                            Code::BadEmail,
                            e.span,
                            format!(
                                "corrections.email \"{}\" is not a valid email address",
                                e.value
                            ),
                        )
                        .label("malformed email address")
                        .help(problem),
                    );
                    None
                }
            },
        );
    let phone =
        text("phone", cx).and_then(
            |p| match crate::validate::formats::phone_problem(&p.value) {
                None => Some(p.value),
                Some(problem) => {
                    cx.report(
                        Diagnostic::new(
                            Code::BadPhone,
                            p.span,
                            format!(
                                "corrections.phone \"{}\" is not a valid phone number",
                                p.value
                            ),
                        )
                        .label("malformed phone number")
                        .help(problem),
                    );
                    None
                }
            },
        );
    let form = c
        .get("url")
        .and_then(|n| url(n, "corrections.url", cx))
        .map(|s| s.value);
    let given = ["email", "url", "phone"].iter().any(|f| c.get(f).is_some());
    if !given {
        c.require("email", "`corrections` (give email, url or phone)", cx);
        return None;
    }
    let tel = phone.as_ref().map(|p| {
        let digits: String = p
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{digits}")
    });
    Some(Corrections {
        name: text("name", cx).map(|s| s.value),
        name_en: text("name_en", cx).map(|s| s.value),
        email,
        url: form,
        phone,
        tel,
    })
}

/// `print: { order: [consultation, facilities], samples: omit }`. Kinds left out of `order`
/// follow in the default order: a sheet never drops a kind because a list was short.
fn print_config(node: &Node, cx: &mut Cx) -> PrintConfig {
    let mut config = PrintConfig::default();
    let Some(m) = MapReader::open(node, &["order", "samples"], "`print`", cx) else {
        return config;
    };
    if let Some(n) = m.get("order") {
        let listed = print_order(n, cx);
        let rest: Vec<Kind> = config
            .order
            .iter()
            .copied()
            .filter(|k| !listed.contains(k))
            .collect();
        config.order = listed.into_iter().chain(rest).collect();
    }
    if let Some(n) = m.get("samples")
        && let Some(s) = reader::text(n, "samples", cx)
        && reader::one_of(
            &s,
            "print.samples",
            "way to print samples",
            &["mark", "omit"],
            Code::UnknownValue,
            cx,
        )
        .is_some()
    {
        config.samples = if s.value == "omit" {
            Samples::Omit
        } else {
            Samples::Mark
        };
    }
    config
}

/// The kinds of `print.order`, each once.
fn print_order(node: &Node, cx: &mut Cx) -> Vec<Kind> {
    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let mut seen: Vec<Kind> = Vec::new();
    for s in reader::list(node, "print.order", cx, |n, cx| {
        reader::text(n, "order", cx)
    }) {
        if reader::one_of(&s, "print.order", "kind", &names, Code::UnknownValue, cx).is_none() {
            continue;
        }
        let Some(kind) = Kind::from_dir(&s.value) else {
            continue;
        };
        if seen.contains(&kind) {
            cx.report(
                Diagnostic::new(
                    Code::UnknownValue,
                    s.span,
                    format!("`{kind}` appears twice in `print.order`"),
                )
                .label("second time")
                .help("list each kind once; kinds you leave out follow in the default order"),
            );
            continue;
        }
        seen.push(kind);
    }
    seen
}

/// `theme:` names a directory of `themes/`: a plain name, never a path (a pull request must
/// not make the build read templates or publish static files from outside the site).
fn theme_name(node: &Node, cx: &mut Cx) -> Option<String> {
    let name = reader::text(node, "theme", cx)?;
    let plain = !name.value.is_empty()
        && name
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !plain {
        cx.report(
            Diagnostic::new(
                Code::FileRefused,
                name.span,
                format!("theme {:?} is not a theme name", name.value),
            )
            .help("`theme` is the name of a directory in themes/ (letters, digits, - and _), e.g. `theme: default`"),
        );
        return None;
    }
    Some(name.value)
}

/// `map: { tiles: false }` turns tiles off; `map: { tiles: { url, attribution, … } }` sets them.
fn map_config(node: &Node, cx: &mut Cx) -> Option<Tiles> {
    let m = MapReader::open(node, &["tiles"], "`map`", cx)?;
    let Some(tiles) = m.get("tiles") else {
        return Some(Tiles::gsi_pale());
    };
    if let Value::Bool { value, .. } = tiles.value {
        return value.then(Tiles::gsi_pale);
    }
    let t = MapReader::open(
        tiles,
        &["url", "attribution", "attribution_url", "max_zoom"],
        "`map.tiles`",
        cx,
    )?;
    let template = t
        .require("url", "`map.tiles`", cx)
        .and_then(|n| tile_template(n, cx));
    let attribution = t
        .require("attribution", "`map.tiles` (tile providers require it)", cx)
        .and_then(|n| reader::text(n, "attribution", cx));
    if let Some(a) = &attribution {
        plain_attribution(a, cx);
    }
    let attribution_url = t
        .get("attribution_url")
        .and_then(|n| url(n, "map.tiles.attribution_url", cx));
    let max_zoom = t
        .get("max_zoom")
        .and_then(|n| reader::count(n, "max_zoom", cx));
    Some(Tiles {
        url: template?.value,
        attribution: attribution?.value,
        attribution_url: attribution_url.map(|s| s.value),
        max_zoom: max_zoom.unwrap_or(18),
    })
}

/// The tile URL: a `{z}/{x}/{y}` template that, with its placeholders filled, is an ordinary
/// http(s) URL (the browser fetches it for every visitor of a map).
fn tile_template(node: &Node, cx: &mut Cx) -> Option<Sp<String>> {
    let template = reader::text(node, "url", cx)?;
    if !["{z}", "{x}", "{y}"]
        .iter()
        .all(|p| template.value.contains(p))
    {
        cx.report(
            Diagnostic::new(
                Code::BadUrl,
                template.span,
                "tile URL needs {z}, {x} and {y} placeholders",
            )
            .help("e.g. https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"),
        );
        return None;
    }
    let filled = ["{z}", "{x}", "{y}", "{s}", "{r}"]
        .iter()
        .fold(template.value.clone(), |u, p| u.replace(p, "0"));
    if let Some(problem) = crate::validate::formats::url_problem(&filled) {
        cx.report(bad_url(&template, "map.tiles.url", problem));
        return None;
    }
    Some(template)
}

/// A URL of site.yaml, checked like the URLs of records (E0304): they become links on every
/// page (and the map's attribution link), and every file of a site may come from an untrusted
/// pull request, so `javascript:` or a quote must not get through.
fn url(node: &Node, field: &str, cx: &mut Cx) -> Option<Sp<String>> {
    let value = reader::text(node, field, cx)?;
    match crate::validate::formats::url_problem(&value) {
        None => Some(value),
        Some(problem) => {
            cx.report(bad_url(&value, field, problem));
            None
        }
    }
}

fn bad_url(url: &Sp<String>, field: &str, problem: String) -> Diagnostic {
    Diagnostic::new(
        Code::BadUrl,
        url.span,
        format!("{field} \"{}\" is not a valid URL", url.value),
    )
    .label("malformed URL")
    .help(problem)
}

/// The attribution is shown as text (escaped, on the map and in print): HTML copied from a
/// tile provider's Leaflet example would appear as tags, so say where the link goes instead.
fn plain_attribution(attribution: &Sp<String>, cx: &mut Cx) {
    if let Some(offset) = attribution.value.find(['<', '>']) {
        let col = attribution.value[..offset].chars().count() as u32
            + crate::load::yaml::content_offset(cx.text, attribution.span);
        cx.report(
            Diagnostic::new(
                Code::RawHtml,
                attribution.span.shifted(col, 1),
                "HTML in `map.tiles.attribution` will be shown as text, not as HTML",
            )
            .label("HTML tag")
            .help("write the attribution as plain text and its link in `attribution_url`"),
        );
    }
}

/// `types: { facilities: { acupuncture: { ja: はり・きゅう, en: Acupuncture } } }`.
fn site_types(node: &Node, cx: &mut Cx) -> BTreeMap<Kind, Vec<SiteType>> {
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let mut out = BTreeMap::new();
    let Some(map) = MapReader::open(node, &kinds, "`types`", cx) else {
        return out;
    };
    for (key, value) in map.entries() {
        let Some(kind) = Kind::from_dir(&key.name) else {
            continue;
        };
        let Value::Map(entries) = &value.value else {
            cx.report(Diagnostic::new(
                Code::WrongType,
                value.span,
                format!("`types.{kind}` must be a mapping of type: labels"),
            ));
            continue;
        };
        let mut types = Vec::new();
        for (type_key, labels) in entries {
            if !crate::validate::decode::is_slug(&type_key.name.replace('_', "-")) {
                cx.report(Diagnostic::new(
                    Code::BadId,
                    type_key.span,
                    format!("type \"{}\" must be lowercase snake_case", type_key.name),
                ));
                continue;
            }
            if kind.builtin_types().contains(&type_key.name.as_str()) {
                continue;
            }
            let Some(l) = MapReader::open(labels, &["ja", "en"], "type labels", cx) else {
                continue;
            };
            let Some(ja) = l
                .require("ja", "type labels", cx)
                .and_then(|n| reader::text(n, "ja", cx))
            else {
                continue;
            };
            types.push(SiteType {
                key: type_key.name.clone(),
                ja: ja.value,
                en: l
                    .get("en")
                    .and_then(|n| reader::text(n, "en", cx))
                    .map(|s| s.value),
            });
        }
        out.insert(kind, types);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;
    use crate::load::yaml;

    fn decode_text(text: &str) -> (Option<SiteConfig>, Vec<Diagnostic>) {
        let node = yaml::parse(text, FileId(0)).unwrap();
        let mut diags = Vec::new();
        let mut cx = Cx::new(&mut diags, text, jiff::civil::date(2026, 11, 21));
        (decode(&node, &mut cx), diags)
    }

    #[test]
    fn corrections_are_checked_like_records_fields() {
        let (config, diags) = decode_text(
            "title: x\ncorrections: { name: 香川県, email: kenko@example.jp, url: https://example.jp/form, phone: 087-832-3111 }\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let c = config.unwrap().corrections.unwrap();
        assert_eq!(c.email.as_deref(), Some("kenko@example.jp"));
        assert_eq!(c.tel.as_deref(), Some("tel:0878323111"));
        for (yaml, code) in [
            ("corrections: { email: not-an-address }", Code::BadEmail),
            ("corrections: { phone: \"12\" }", Code::BadPhone),
            (
                "corrections: { url: \"javascript:alert(1)\" }",
                Code::BadUrl,
            ),
            ("corrections: { name: 香川県 }", Code::MissingField),
            ("corrections: { mail: a@example.jp }", Code::UnknownField),
        ] {
            let (_, diags) = decode_text(&format!("title: x\n{yaml}\n"));
            assert!(diags.iter().any(|d| d.code == code), "{yaml}: {diags:?}");
        }
    }

    #[test]
    fn defaults() {
        let (config, diags) = decode_text("title: 香川県 健康情報マップ\n");
        assert!(diags.is_empty());
        let config = config.unwrap();
        assert_eq!(config.languages, vec![Lang::Ja, Lang::En]);
        assert_eq!(config.tiles, Some(Tiles::gsi_pale()));
        assert_eq!(config.base_url, "/");
    }

    #[test]
    fn tiles_off_and_site_types() {
        let (config, diags) = decode_text(
            "title: x\nbase_url: https://example.jp/map\nmap: { tiles: false }\ntypes:\n  facilities:\n    acupuncture: { ja: はり・きゅう, en: Acupuncture }\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.unwrap();
        assert_eq!(config.tiles, None);
        assert_eq!(config.base_url, "https://example.jp/map/");
        assert_eq!(
            config.extra_types(Kind::Facilities),
            vec!["acupuncture".to_owned()]
        );
    }

    #[test]
    fn every_url_is_checked() {
        let (config, diags) = decode_text(
            "title: x\nmap:\n  tiles:\n    url: \"https://{s}.tile.example.jp/{z}/{x}/{y}{r}.png\"\n    attribution: テスト\n    attribution_url: https://tile.example.jp/\nrepository: https://github.com/org/repo/\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let config = config.unwrap();
        assert_eq!(
            config.repository.as_deref(),
            Some("https://github.com/org/repo")
        );
        for (yaml, line, col) in [
            (
                "map: { tiles: { url: \"data:{z}{x}{y}\", attribution: a } }",
                2,
                22,
            ),
            (
                "map: { tiles: { url: \"https://t.jp/{z}/{x}/{y}\", attribution: a, attribution_url: \"https://t.jp/\\\"onclick=\" } }",
                2,
                83,
            ),
            (
                "credits: [{ name: a, url: \"javascript:alert(1)\" }]",
                2,
                27,
            ),
            ("licence: { name: a, url: \"vbscript:x\" }", 2, 26),
        ] {
            let (_, diags) = decode_text(&format!("title: x\n{yaml}\n"));
            assert_eq!(diags.len(), 1, "{yaml}: {diags:?}");
            assert_eq!(diags[0].code, Code::BadUrl, "{yaml}");
            let span = diags[0].span.unwrap();
            assert_eq!((span.line, span.col), (line, col), "{yaml}");
        }
    }

    #[test]
    fn html_in_the_attribution_is_reported() {
        let (config, diags) = decode_text(
            "title: x\nmap:\n  tiles:\n    url: \"https://t.jp/{z}/{x}/{y}.png\"\n    attribution: '&copy; <a href=\"https://t.jp\">T</a>'\n",
        );
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].code, Code::RawHtml);
        assert_eq!(diags[0].span.unwrap().col, 26);
        // A warning: the text is still used (escaped).
        assert!(config.unwrap().tiles.is_some());
    }

    #[test]
    fn print_order_and_samples() {
        let (config, diags) = decode_text("title: x\nprint: { order: [parks], samples: omit }\n");
        assert!(diags.is_empty(), "{diags:?}");
        let print = config.unwrap().print;
        assert_eq!(
            print.order,
            vec![
                Kind::Parks,
                Kind::Consultation,
                Kind::Facilities,
                Kind::Restaurants
            ],
            "the kinds left out follow in the default order"
        );
        assert_eq!(print.samples, Samples::Omit);
        let (config, _) = decode_text("title: x\n");
        assert_eq!(config.unwrap().print, PrintConfig::default());
    }

    #[test]
    fn bad_print_values_are_reported_where_they_are() {
        for (yaml, col, message) in [
            (
                "print: { order: [parcs] }",
                18,
                "`parcs` is not a known kind",
            ),
            (
                "print: { order: [parks, parks] }",
                25,
                "`parks` appears twice",
            ),
            (
                "print: { samples: hide }",
                19,
                "`hide` is not a known way to print samples",
            ),
            ("print: { sample: omit }", 10, "unknown field"),
        ] {
            let (config, diags) = decode_text(&format!("title: x\n{yaml}\n"));
            assert_eq!(diags.len(), 1, "{yaml}: {diags:?}");
            assert!(diags[0].message.contains(message), "{yaml}: {diags:?}");
            let span = diags[0].span.unwrap();
            assert_eq!((span.line, span.col), (2, col), "{yaml}");
            assert!(config.is_some(), "{yaml}: the site still builds");
        }
    }

    #[test]
    fn unknown_keys_are_errors() {
        let (_, diags) = decode_text("title: x\ntheem: dark\n");
        assert_eq!(diags[0].code, Code::UnknownField);
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `theme`?"));
    }
}
