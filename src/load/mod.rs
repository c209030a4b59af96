//! Load phase: find the site's files, read them and parse them (YAML with spans, Markdown
//! with front matter). Files are parsed in parallel; every syntax error is collected.

pub mod content;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, FileId, Sources, Span};
use crate::registry::Kind;
pub use content::ContentFile;
use yaml::Node;

/// What a file is, by where it lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Config,
    Areas,
    Registry(Kind),
    Content,
}

/// Everything read from a site directory, parsed but not yet validated.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub config: Option<(FileId, Arc<Node>)>,
    pub areas: Vec<(FileId, Arc<Node>)>,
    pub registries: Vec<(FileId, Kind, Arc<Node>)>,
    pub content: Vec<ContentFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Files parsed by an earlier load, by path: `serve` keeps one, so a rebuild parses only the
/// files that changed (size or modification time) instead of the whole site.
#[derive(Debug, Default)]
pub struct LoadCache {
    files: std::collections::HashMap<PathBuf, Entry>,
}

/// One file, read and parsed.
#[derive(Debug, Clone)]
struct Entry {
    stamp: (std::time::SystemTime, u64),
    /// Spans inside the parsed tree name this id: a cached entry is only reused at the same
    /// place in the file list.
    id: FileId,
    display: PathBuf,
    text: Arc<str>,
    /// Where the parsed tree has `internal` keys, which diagnostics must not show.
    internal: Arc<[crate::diagnostics::InternalValue]>,
    outcome: Result<Parsed, Diagnostic>,
}

/// An I/O problem that stops the run (exit code 2).
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Files of the site, sorted so that ids, diagnostics and output are the same on every run.
fn discover(site: &Path) -> Result<Vec<(PathBuf, Role)>, Fatal> {
    let mut files = Vec::new();
    let config = site.join("site.yaml");
    if config.is_file() {
        files.push((config, Role::Config));
    }
    let yaml = |p: &Path| p.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let walk = |dir: PathBuf,
                role: Role,
                want: &dyn Fn(&Path) -> bool|
     -> Result<Vec<(PathBuf, Role)>, Fatal> {
        if !dir.is_dir() {
            return Ok(Vec::new());
        }
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Fatal(format!("cannot read {}: {e}", dir.display())))?;
            // Hidden files and editors' backups are not part of the site.
            let name = entry.file_name().to_string_lossy();
            if name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            if entry.file_type().is_file() && want(entry.path()) {
                found.push((entry.into_path(), role));
            }
        }
        Ok(found)
    };
    files.extend(walk(site.join("data/areas"), Role::Areas, &yaml)?);
    for kind in Kind::ALL {
        files.extend(walk(
            site.join("data").join(kind.as_str()),
            Role::Registry(kind),
            &yaml,
        )?);
    }
    files.extend(walk(site.join("content"), Role::Content, &|p: &Path| {
        p.extension().is_some_and(|e| e == "md")
    })?);
    Ok(files)
}

/// Reads and parses every file of the site at `site`.
pub fn load(site: &Path) -> Result<Loaded, Fatal> {
    load_with(site, &mut LoadCache::default())
}

/// Like [`load`], reusing the files of `cache` that did not change, and updating it.
pub fn load_with(site: &Path, cache: &mut LoadCache) -> Result<Loaded, Fatal> {
    if !site.is_dir() {
        return Err(Fatal(format!(
            "site directory {} does not exist",
            site.display()
        )));
    }
    let files = discover(site)?;
    let previous = &*cache;
    let entries: Vec<Result<Entry, Fatal>> = files
        .par_iter()
        .enumerate()
        .map(|(i, (path, role))| {
            let id = FileId(i as u32);
            let meta = std::fs::metadata(path)
                .map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
            let stamp = (meta.modified().unwrap_or(std::time::UNIX_EPOCH), meta.len());
            if let Some(hit) = previous
                .files
                .get(path)
                .filter(|c| c.stamp == stamp && c.id == id)
            {
                return Ok(hit.clone());
            }
            let bytes = std::fs::read(path)
                .map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
            let display = path.strip_prefix(site).unwrap_or(path).to_path_buf();
            Ok(read_entry(id, *role, display, bytes, stamp))
        })
        .collect();
    let mut loaded = Loaded::default();
    let mut next = LoadCache::default();
    for ((path, role), entry) in files.iter().zip(entries) {
        let entry = entry?;
        let id = loaded.sources.add_parsed(
            entry.display.clone(),
            entry.text.clone(),
            entry.internal.clone(),
        );
        debug_assert_eq!(id, entry.id);
        match (role, &entry.outcome) {
            (_, Err(d)) => loaded.diagnostics.push(d.clone()),
            (Role::Config, Ok(Parsed::Yaml(node))) => loaded.config = Some((id, node.clone())),
            (Role::Areas, Ok(Parsed::Yaml(node))) => loaded.areas.push((id, node.clone())),
            (Role::Registry(kind), Ok(Parsed::Yaml(node))) => {
                loaded.registries.push((id, *kind, node.clone()))
            }
            (Role::Content, Ok(Parsed::Content(page))) => loaded.content.push((**page).clone()),
            _ => unreachable!("roles and parsers match"),
        }
        next.files.insert(path.clone(), entry);
    }
    *cache = next;
    Ok(loaded)
}

/// Decodes and parses one file.
fn read_entry(
    id: FileId,
    role: Role,
    display: PathBuf,
    bytes: Vec<u8>,
    stamp: (std::time::SystemTime, u64),
) -> Entry {
    match String::from_utf8(bytes) {
        Ok(text) => {
            let text: Arc<str> = text.strip_prefix('\u{feff}').unwrap_or(&text).into();
            let outcome = match role {
                Role::Content => {
                    content::parse(&text, id, &display).map(|c| Parsed::Content(Arc::new(c)))
                }
                _ => yaml::parse(&text, id).map(|n| Parsed::Yaml(Arc::new(n))),
            };
            let internal = match &outcome {
                Ok(Parsed::Yaml(node)) => yaml::internal_values(node).into(),
                _ => Arc::from([]),
            };
            Entry {
                stamp,
                id,
                display,
                text,
                internal,
                outcome,
            }
        }
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = String::from_utf8_lossy(valid).into_owned();
            let line = valid.matches('\n').count() as u32 + 1;
            let col = valid.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
            let text: Arc<str> = String::from_utf8_lossy(e.as_bytes()).into();
            let diagnostic = Diagnostic::new(
                Code::NotUtf8,
                Span {
                    file: id,
                    line,
                    col,
                    len: 1,
                },
                "this file is not UTF-8 text",
            )
            .help("save it as UTF-8 (Shift_JIS CSV files can be converted with `kenkomap import`)");
            Entry {
                stamp,
                id,
                display,
                text,
                internal: Arc::from([]),
                outcome: Err(diagnostic),
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Parsed {
    Yaml(Arc<Node>),
    Content(Arc<ContentFile>),
}
