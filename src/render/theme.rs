//! Themes: templates, static files, UI strings, and the front-end packages from npm.
//!
//! Lookup order, first found wins: the site's `templates/` and `static/`, then the site's
//! `themes/<theme>/`, then the default theme built into the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, FileId, Sources};
use crate::load::files::{Refused, SiteFiles, limits, slashed};
use crate::text::Lang;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Where a file's bytes come from.
#[derive(Clone, Debug)]
pub enum Bytes {
    Embedded(&'static [u8]),
    /// A file of the site (relative to it), read through [`SiteFiles`] when it is copied.
    File(SiteFiles, PathBuf),
}

impl Bytes {
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        match self {
            Bytes::Embedded(b) => Ok(b.to_vec()),
            Bytes::File(site, rel) => site.read(rel, limits::STATIC).map_err(|refused| {
                std::io::Error::other(format!("{} {}", slashed(rel), refused.reason()))
            }),
        }
    }
}

/// A template's source and the file it came from (registered in [`Sources`] so template
/// errors point at a line).
#[derive(Clone, Debug)]
pub struct TemplateSource {
    pub text: Arc<str>,
    pub file: FileId,
}

#[derive(Debug)]
pub struct Theme {
    pub name: String,
    pub templates: BTreeMap<String, TemplateSource>,
    /// Files copied to `assets/` (path inside `assets/` -> bytes).
    pub statics: BTreeMap<String, Bytes>,
    /// UI strings per language.
    pub i18n: BTreeMap<Lang, serde_json::Value>,
    /// The theme's npm packages, copied to `assets/vendor/` (path -> bytes).
    pub vendor: BTreeMap<String, Bytes>,
}

/// The regular files under a directory of the site, as (path inside that directory, path
/// in the site). Links and special files are skipped here; `check` reports them (W0005).
fn files_under(site: &SiteFiles, dir: &Path) -> Vec<(String, PathBuf)> {
    site.walk(dir)
        .files
        .into_iter()
        .filter_map(|rel| {
            let inside = slashed(rel.strip_prefix(dir).ok()?);
            Some((inside, rel))
        })
        .collect()
}

impl Theme {
    /// Loads the theme of a site. Template texts are added to `sources`.
    pub fn load(
        site_root: &Path,
        name: &str,
        sources: &mut Sources,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut templates = BTreeMap::new();
        let mut statics = BTreeMap::new();
        let mut i18n_text: BTreeMap<Lang, (String, PathBuf)> = BTreeMap::new();
        let mut add_template =
            |sources: &mut Sources, name: &str, text: String, display: PathBuf| {
                let text: Arc<str> = text.into();
                let file = sources.add(display, text.clone());
                templates.insert(name.to_owned(), TemplateSource { text, file });
            };

        let site = SiteFiles::new(site_root);
        let theme_dir = Path::new("themes").join(name);
        if name == "default" {
            for (path, bytes) in DEFAULT_THEME {
                let display = PathBuf::from(format!("themes/default/{path} (built in)"));
                if let Some(t) = path.strip_prefix("templates/") {
                    add_template(
                        sources,
                        t,
                        String::from_utf8_lossy(bytes).into_owned(),
                        display,
                    );
                } else if let Some(s) = path.strip_prefix("static/") {
                    statics.insert(s.to_owned(), Bytes::Embedded(bytes));
                } else if let Some(lang) = path
                    .strip_prefix("i18n/")
                    .and_then(|f| f.strip_suffix(".yaml"))
                    .and_then(Lang::parse)
                {
                    i18n_text.insert(lang, (String::from_utf8_lossy(bytes).into_owned(), display));
                }
            }
        } else if !site.is_dir(&theme_dir).unwrap_or(false) {
            diags.push(
                Diagnostic::new(
                    Code::Template,
                    None,
                    format!("theme `{name}` not found in themes/{name}/"),
                )
                .help("set `theme: default` in site.yaml or add the theme directory"),
            );
            return Err(diags);
        }
        // The site's copy of the theme, then the site's own templates and static files.
        for dir in [theme_dir.clone(), PathBuf::new()] {
            for (rel, path) in files_under(&site, &dir.join("templates")) {
                match site.read_text(&path, limits::TEMPLATE) {
                    Ok(text) => add_template(sources, &rel, text, path),
                    Err(refused) => diags.push(Diagnostic::new(
                        Code::FileRefused,
                        None,
                        format!("{} {}", slashed(&path), refused.reason()),
                    )),
                }
            }
            for (rel, path) in files_under(&site, &dir.join("static")) {
                statics.insert(rel, Bytes::File(site.clone(), path));
            }
        }
        for (rel, path) in files_under(&site, &theme_dir.join("i18n")) {
            if let Some(lang) = rel.strip_suffix(".yaml").and_then(Lang::parse)
                && let Ok(text) = site.read_text(&path, limits::TEMPLATE)
            {
                i18n_text.insert(lang, (text, path));
            }
        }
        let mut i18n = BTreeMap::new();
        for (lang, (text, display)) in i18n_text {
            let file = sources.add(display, text.as_str().into());
            match crate::load::yaml::parse(&text, file) {
                Ok(node) => {
                    i18n.insert(lang, node_to_json(&node));
                }
                Err(d) => diags.push(d),
            }
        }
        let vendor = match vendor_files(&site, &theme_dir) {
            Ok(v) => v,
            Err(d) => {
                diags.push(d);
                BTreeMap::new()
            }
        };
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Theme {
            name: name.to_owned(),
            templates,
            statics,
            i18n,
            vendor,
        })
    }
}

/// The theme's npm packages: those built into the binary (see build.rs), each replaced by the
/// site's own copy in `themes/<theme>/node_modules/` when it has one. A copy that cannot be
/// read (a link, a FIFO) is E0702.
fn vendor_files(site: &SiteFiles, theme_dir: &Path) -> Result<BTreeMap<String, Bytes>, Diagnostic> {
    let modules = theme_dir.join("node_modules");
    let mut out = BTreeMap::new();
    for (from, to, embedded) in VENDOR_FILES {
        let path = modules.join(from);
        // Through the guard: `node_modules` of a pull request may be a link to anywhere.
        let bytes = match site.read(&path, limits::STATIC) {
            Ok(_) => Bytes::File(site.clone(), path),
            Err(Refused::Missing) => Bytes::Embedded(embedded),
            Err(other) => {
                return Err(Diagnostic::new(
                    Code::ThemeAssets,
                    None,
                    format!("{} {}", slashed(&path), other.reason()),
                )
                .help(format!(
                    "remove {} to use the Leaflet built into kenkomap, or reinstall it with `npm ci --prefix {}`",
                    slashed(&modules),
                    slashed(theme_dir)
                )));
            }
        };
        out.insert(format!("vendor/{to}"), bytes);
    }
    Ok(out)
}

/// YAML node to JSON (for UI strings, which templates read as nested maps).
pub fn node_to_json(node: &crate::load::yaml::Node) -> serde_json::Value {
    use crate::load::yaml::Value;
    match &node.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool { value, .. } => serde_json::Value::Bool(*value),
        Value::Number { raw, .. } => serde_json::Value::String(raw.to_string()),
        Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(node_to_json).collect()),
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), node_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every UI string key exists in both languages.
    #[test]
    fn i18n_files_have_the_same_keys() {
        fn keys(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
            if let serde_json::Value::Object(map) = v {
                for (k, v) in map {
                    keys(v, &format!("{prefix}{k}."), out);
                }
            } else {
                out.push(prefix.to_owned());
            }
        }
        let mut sources = Sources::default();
        let load = |name: &str, sources: &mut Sources| {
            let (_, bytes) = DEFAULT_THEME.iter().find(|(p, _)| *p == name).unwrap();
            let text = std::str::from_utf8(bytes).unwrap();
            let id = sources.add(name.into(), text.into());
            node_to_json(&crate::load::yaml::parse(text, id).unwrap())
        };
        let (mut ja, mut en) = (Vec::new(), Vec::new());
        keys(&load("i18n/ja.yaml", &mut sources), "", &mut ja);
        keys(&load("i18n/en.yaml", &mut sources), "", &mut en);
        assert_eq!(ja, en);
    }

    #[test]
    fn vocabularies_have_labels() {
        use crate::registry::vocab::*;
        let (_, bytes) = DEFAULT_THEME
            .iter()
            .find(|(p, _)| *p == "i18n/ja.yaml")
            .unwrap();
        let text = std::str::from_utf8(bytes).unwrap();
        let ja = node_to_json(&crate::load::yaml::parse(text, FileId(0)).unwrap());
        fn check<V: Vocab>(ja: &serde_json::Value, section: &str) {
            for name in V::names() {
                assert!(
                    ja[section][name].is_string(),
                    "{section}.{name} has no label"
                );
            }
        }
        check::<Fee>(&ja, "fee");
        check::<Status>(&ja, "status");
        check::<Accessibility>(&ja, "accessibility");
        check::<Amenity>(&ja, "amenities");
        check::<Audience>(&ja, "audiences");
        check::<Topic>(&ja, "topics");
        check::<Channel>(&ja, "channels");
        check::<Reservation>(&ja, "reservation");
        for kind in crate::registry::Kind::ALL {
            for t in kind.builtin_types() {
                assert!(
                    ja["types"][kind.as_str()][t].is_string(),
                    "types.{kind}.{t}"
                );
            }
        }
    }
}
