//! Reading a site's files without ever leaving the site.
//!
//! Every file of a site arrives by pull request, so every path in it is untrusted: a
//! `boundaries:` of `/dev/zero`, a `static/` that is a link to `/`, or a FIFO must not make a
//! build read, publish or wait on anything outside the site. The rules, in one place:
//! - paths written in site files are relative, and `..` may not climb out of the site; they
//!   are refused by their text alone, before the file system is asked (so a message never
//!   tells whether `/etc/shadow` exists);
//! - symbolic links (and Windows junctions) are never followed, anywhere below the site's
//!   root; walks report the ones they skip;
//! - only regular files are read, and no more than a limit per kind of file.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Size limits by kind of file. Real files are far smaller (the national registries of the
/// benchmark are under 5 MB a file, the national boundaries 7.9 MB); the limits only stop a
/// hostile file from using the machine's memory.
pub mod limits {
    const MIB: u64 = 1 << 20;
    /// `site.yaml`, areas files and registries.
    pub const YAML: u64 = 64 * MIB;
    /// Markdown pages.
    pub const CONTENT: u64 = 8 * MIB;
    /// Boundaries GeoJSON.
    pub const BOUNDARIES: u64 = 64 * MIB;
    /// Templates and UI strings.
    pub const TEMPLATE: u64 = 4 * MIB;
    /// Static files copied to the output (images, fonts, scripts).
    pub const STATIC: u64 = 64 * MIB;
}

/// Why a file of the site is not read.
#[derive(Debug)]
pub enum Refused {
    /// An absolute path (`/etc/passwd`, `C:\…`).
    Absolute,
    /// `..` leads out of the site.
    Escapes,
    /// The path goes through a symbolic link (named: the link itself).
    Link(PathBuf),
    /// A directory, FIFO, device or socket where a file was expected.
    NotAFile,
    /// Larger than the limit for its kind (bytes).
    TooLarge(u64),
    Missing,
    Io(std::io::Error),
}

impl Refused {
    /// The reason, for a message that starts with the path as the user wrote it.
    pub fn reason(&self) -> String {
        match self {
            Refused::Absolute => "is an absolute path; write a path inside the site".to_owned(),
            Refused::Escapes => {
                "leads out of the site (`..`); write a path inside the site".to_owned()
            }
            Refused::Link(link) => format!(
                "goes through the symbolic link {}; kenkomap does not follow links (copy the file into the site instead)",
                slashed(link)
            ),
            Refused::NotAFile => "is not a regular file".to_owned(),
            Refused::TooLarge(limit) => format!(
                "is larger than {} MB, the most kenkomap reads for such a file",
                limit >> 20
            ),
            Refused::Missing => "does not exist".to_owned(),
            Refused::Io(e) => format!("cannot be read: {e}"),
        }
    }
}

/// A path for messages: relative to the site, always with `/`.
pub fn slashed(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// What a directory walk found: regular files (sorted, relative to the site) and what it
/// skipped because it is a link, a FIFO, a device or a socket.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<PathBuf>,
}

/// The site's root directory, the only place kenkomap reads site files from.
#[derive(Debug, Clone)]
pub struct SiteFiles {
    root: PathBuf,
}

impl SiteFiles {
    pub fn new(root: &Path) -> SiteFiles {
        SiteFiles {
            root: root.to_path_buf(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// A path as written in a site file, relative to the directory `base` (itself relative to
    /// the site), checked by its text alone: `\` counts as a separator too (council staff
    /// write Windows paths), absolute paths and climbs out of the site are refused.
    pub fn relative(&self, base: &Path, written: &str) -> Result<PathBuf, Refused> {
        let written = written.replace('\\', "/");
        let path = Path::new(&written);
        // `C:/…` is absolute on Windows and never meant as a folder named `C:` elsewhere.
        let drive = written.as_bytes().get(1) == Some(&b':');
        if drive || path.has_root() || path.components().any(|c| matches!(c, Component::Prefix(_)))
        {
            return Err(Refused::Absolute);
        }
        let mut out: Vec<std::ffi::OsString> = Vec::new();
        for c in base.components().chain(path.components()) {
            match c {
                Component::Normal(part) => out.push(part.to_owned()),
                Component::CurDir => {}
                Component::ParentDir => {
                    if out.pop().is_none() {
                        return Err(Refused::Escapes);
                    }
                }
                Component::RootDir | Component::Prefix(_) => return Err(Refused::Absolute),
            }
        }
        Ok(out.iter().collect())
    }

    /// The full path of `rel` after checking that no part of it below the root is a link.
    /// `Ok(None)` when something on the way does not exist.
    fn unlinked(&self, rel: &Path) -> Result<Option<(PathBuf, std::fs::Metadata)>, Refused> {
        let mut full = self.root.clone();
        let mut shown = PathBuf::new();
        let mut meta = None;
        for c in rel.components() {
            let Component::Normal(part) = c else {
                return Err(Refused::Escapes);
            };
            full.push(part);
            shown.push(part);
            match std::fs::symlink_metadata(&full) {
                Ok(m) if m.file_type().is_symlink() => return Err(Refused::Link(shown)),
                Ok(m) => meta = Some(m),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(Refused::Io(e)),
            }
        }
        Ok(meta.map(|m| (full, m)))
    }

    /// Whether `rel` is a directory of the site reached without links.
    pub fn is_dir(&self, rel: &Path) -> Result<bool, Refused> {
        Ok(self.unlinked(rel)?.is_some_and(|(_, m)| m.is_dir()))
    }

    /// Reads the regular file `rel` (relative to the site), at most `limit` bytes.
    pub fn read(&self, rel: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
        let (full, meta) = self.unlinked(rel)?.ok_or(Refused::Missing)?;
        // Checked before opening: opening a FIFO would wait for a writer forever.
        if !meta.is_file() {
            return Err(Refused::NotAFile);
        }
        if meta.len() > limit {
            return Err(Refused::TooLarge(limit));
        }
        let file = std::fs::File::open(&full).map_err(Refused::Io)?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        // The size may have grown since: never read past the limit.
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(Refused::Io)?;
        if bytes.len() as u64 > limit {
            return Err(Refused::TooLarge(limit));
        }
        Ok(bytes)
    }

    /// Like [`SiteFiles::read`], as UTF-8 text (lossy: templates and UI strings).
    pub fn read_text(&self, rel: &Path, limit: u64) -> Result<String, Refused> {
        self.read(rel, limit).map(|b| {
            String::from_utf8(b)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        })
    }

    /// Every regular file under the directory `rel`, sorted, without following links;
    /// hidden files, editors' backups and `node_modules` are not part of a site. A `rel`
    /// that is itself a link is reported and not walked.
    pub fn walk(&self, rel: &Path) -> Walk {
        let mut walk = Walk::default();
        match self.unlinked(rel) {
            Err(Refused::Link(link)) => {
                walk.skipped.push(link);
                return walk;
            }
            Ok(Some((_, m))) if m.is_dir() => {}
            _ => return walk,
        }
        let top = self.root.join(rel);
        let entries = walkdir::WalkDir::new(&top)
            .follow_links(false)
            .follow_root_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                e.depth() == 0
                    || !(name.starts_with('.') || name.ends_with('~') || name == "node_modules")
            });
        for entry in entries.filter_map(Result::ok) {
            let Ok(inside) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let file_type = entry.file_type();
            if file_type.is_file() {
                walk.files.push(inside.to_path_buf());
            } else if !file_type.is_dir() {
                walk.skipped.push(inside.to_path_buf());
            }
        }
        walk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_paths_stay_inside_the_site() {
        let site = SiteFiles::new(Path::new("/nowhere"));
        let data = Path::new("data");
        let ok = |w: &str| site.relative(data, w).map(|p| slashed(&p));
        assert_eq!(
            ok("boundaries/k.geojson").unwrap(),
            "data/boundaries/k.geojson"
        );
        assert_eq!(
            ok("boundaries\\k.geojson").unwrap(),
            "data/boundaries/k.geojson"
        );
        assert_eq!(ok("./a/../b.geojson").unwrap(), "data/b.geojson");
        assert_eq!(ok("../themes/x").unwrap(), "themes/x");
        assert!(matches!(ok("/etc/shadow"), Err(Refused::Absolute)));
        assert!(matches!(ok("\\\\server\\share\\x"), Err(Refused::Absolute)));
        assert!(matches!(ok("C:\\Windows\\win.ini"), Err(Refused::Absolute)));
        assert!(matches!(ok("../../etc/passwd"), Err(Refused::Escapes)));
        assert!(matches!(ok("a/../../../x"), Err(Refused::Escapes)));
    }

    #[test]
    fn reads_regular_files_within_their_limit() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("data")).unwrap();
        std::fs::write(tmp.path().join("data/a.yaml"), "x: 1\n").unwrap();
        let site = SiteFiles::new(tmp.path());
        assert_eq!(site.read(Path::new("data/a.yaml"), 100).unwrap(), b"x: 1\n");
        assert!(matches!(
            site.read(Path::new("data/a.yaml"), 3),
            Err(Refused::TooLarge(3))
        ));
        assert!(matches!(
            site.read(Path::new("data"), 100),
            Err(Refused::NotAFile)
        ));
        assert!(matches!(
            site.read(Path::new("data/b.yaml"), 100),
            Err(Refused::Missing)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("data/parks")).unwrap();
        std::fs::write(root.join("data/parks/a.yaml"), "records: []\n").unwrap();
        std::os::unix::fs::symlink("/etc", root.join("data/facilities")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join("data/parks/b.yaml")).unwrap();
        std::os::unix::fs::symlink("..", root.join("data/parks/loop")).unwrap();
        let site = SiteFiles::new(root);
        let walk = site.walk(Path::new("data"));
        let files: Vec<_> = walk.files.iter().map(|p| slashed(p)).collect();
        let links: Vec<_> = walk.skipped.iter().map(|p| slashed(p)).collect();
        assert_eq!(files, ["data/parks/a.yaml"]);
        assert_eq!(
            links,
            ["data/facilities", "data/parks/b.yaml", "data/parks/loop"]
        );
        let walk = site.walk(Path::new("data/facilities"));
        assert!(walk.files.is_empty());
        assert_eq!(walk.skipped.len(), 1);
        assert!(matches!(
            site.read(Path::new("data/facilities/passwd"), 1 << 20),
            Err(Refused::Link(l)) if l == Path::new("data/facilities")
        ));
        // A FIFO is refused without opening it (opening would block).
        let fifo = root.join("data/parks/fifo.yaml");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        if status.is_ok_and(|s| s.success()) {
            assert!(matches!(
                site.read(Path::new("data/parks/fifo.yaml"), 100),
                Err(Refused::NotAFile)
            ));
        }
    }
}
