//! Load phase: find the site's files, read them and parse them (YAML with spans, Markdown
//! with front matter). Files are parsed in parallel; every syntax error is collected.

pub mod content;
pub mod files;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic, FileId, Sources, Span};
use crate::registry::Kind;
pub use content::ContentFile;
use files::{Refused, SiteFiles};
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
/// files whose contents changed instead of the whole site. (Keyed on the contents, not on
/// size and modification time: an editor's same-size edit within the clock's resolution
/// would be missed.)
#[derive(Debug, Default)]
pub struct LoadCache {
    files: std::collections::HashMap<PathBuf, Entry>,
}

/// One file, read and parsed.
#[derive(Debug, Clone)]
struct Entry {
    /// Hash of the file's bytes (or of why it was refused).
    stamp: u64,
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

/// Files of the site, sorted so that ids, diagnostics and output are the same on every run
/// (paths relative to the site), and the links and special files that were skipped.
fn discover(site: &SiteFiles) -> (Vec<(PathBuf, Role)>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let config = PathBuf::from("site.yaml");
    match std::fs::symlink_metadata(site.root().join(&config)) {
        Ok(m) if m.is_file() => files.push((config, Role::Config)),
        Ok(_) => skipped.push(config),
        Err(_) => {}
    }
    let yaml = |p: &Path| p.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let markdown = |p: &Path| p.extension().is_some_and(|e| e == "md");
    let mut walk = |dir: PathBuf, role: Role, want: &dyn Fn(&Path) -> bool| {
        let found = site.walk(&dir);
        files.extend(
            found
                .files
                .into_iter()
                .filter(|p| want(p))
                .map(|p| (p, role)),
        );
        skipped.extend(found.skipped);
    };
    walk(PathBuf::from("data/areas"), Role::Areas, &yaml);
    for kind in Kind::ALL {
        walk(
            Path::new("data").join(kind.as_str()),
            Role::Registry(kind),
            &yaml,
        );
    }
    walk(PathBuf::from("content"), Role::Content, &markdown);
    // The theme's files are read when rendering; `check` reports their links too, so that a
    // pull request's annotations show them.
    for dir in ["templates", "static", "themes"] {
        skipped.extend(site.walk(Path::new(dir)).skipped);
    }
    // A linked `data/` is met by every walk below it.
    skipped.sort();
    skipped.dedup();
    (files, skipped)
}

/// A hash of a file's bytes, to tell whether it changed since the last load.
fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// Reads and parses every file of the site at `site`.
pub fn load(site: &Path) -> Result<Loaded, Fatal> {
    load_with(site, &mut LoadCache::default())
}

/// The most a file of this role may hold.
fn limit(role: Role) -> u64 {
    match role {
        Role::Content => files::limits::CONTENT,
        _ => files::limits::YAML,
    }
}

/// Like [`load`], reusing the files of `cache` that did not change, and updating it.
pub fn load_with(site: &Path, cache: &mut LoadCache) -> Result<Loaded, Fatal> {
    if !site.is_dir() {
        return Err(Fatal(format!(
            "site directory {} does not exist",
            site.display()
        )));
    }
    let site_files = SiteFiles::new(site);
    let (files, skipped) = discover(&site_files);
    let previous = &*cache;
    let entries: Vec<Entry> = files
        .par_iter()
        .enumerate()
        .map(|(i, (rel, role))| {
            let id = FileId(i as u32);
            // Reading is cheap next to parsing: the bytes decide whether to parse again.
            let read = site_files.read(rel, limit(*role));
            let stamp = match &read {
                Ok(bytes) => content_hash(bytes),
                Err(refused) => content_hash(refused.reason().as_bytes()),
            };
            if let Some(hit) = previous
                .files
                .get(rel)
                .filter(|c| c.stamp == stamp && c.id == id)
            {
                return hit.clone();
            }
            match read {
                Ok(bytes) => read_entry(id, *role, rel.clone(), bytes, stamp),
                Err(refused) => refused_entry(id, rel.clone(), &refused, stamp),
            }
        })
        .collect();
    let mut loaded = Loaded::default();
    let mut next = LoadCache::default();
    for ((path, role), entry) in files.iter().zip(entries) {
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
    for path in skipped {
        loaded
            .diagnostics
            .push(skipped_file(&mut loaded.sources, path));
    }
    *cache = next;
    Ok(loaded)
}

/// W0005 for a link or special file that a walk did not read. The path is registered as an
/// (empty) source so that the warning, and the pull request's annotation, name it.
pub fn skipped_file(sources: &mut Sources, path: PathBuf) -> Diagnostic {
    let shown = files::slashed(&path);
    let file = sources.add(path, "".into());
    Diagnostic::new(
        Code::NotRead,
        crate::diagnostics::file_span(file),
        format!("{shown} is a symbolic link or not a regular file; it was not read"),
    )
    .help("kenkomap reads only regular files inside the site and never follows links: put a copy of the file there instead")
}

/// A file that [`SiteFiles::read`] refused (E0004), as an entry of the cache.
fn refused_entry(id: FileId, display: PathBuf, refused: &Refused, stamp: u64) -> Entry {
    let shown = files::slashed(&display);
    let diagnostic = Diagnostic::new(
        Code::FileRefused,
        Span {
            file: id,
            line: 1,
            col: 1,
            len: 1,
        },
        format!("{shown} {}", refused.reason()),
    );
    Entry {
        stamp,
        id,
        display,
        text: "".into(),
        internal: Arc::from([]),
        outcome: Err(diagnostic),
    }
}

/// Decodes and parses one file.
fn read_entry(id: FileId, role: Role, display: PathBuf, bytes: Vec<u8>, stamp: u64) -> Entry {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An edit that keeps the size and the modification time (an editor saving within the
    /// clock's resolution) is still seen: the cache is keyed on the contents.
    #[test]
    fn a_same_size_edit_with_the_same_mtime_is_reloaded() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("data/parks")).unwrap();
        let file = root.join("data/parks/a.yaml");
        std::fs::write(&file, "records: [{ id: aaa }]\n").unwrap();
        let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
        let mut cache = LoadCache::default();
        let first = load_with(root, &mut cache).unwrap();
        assert!(first.sources.get(FileId(0)).text.contains("aaa"));
        std::fs::write(&file, "records: [{ id: bbb }]\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        let second = load_with(root, &mut cache).unwrap();
        assert!(second.sources.get(FileId(0)).text.contains("bbb"));
    }
}
