//! Watching the site for changes without following symlinks.
//!
//! A recursive watch follows directory symlinks: one to `/` would have it watch the whole
//! disk (and fail on the first unreadable directory), a loop would have it walk forever. So
//! each real directory of the site is watched on its own, symlinks are never entered, and the
//! directories that never affect the site (generated output, VCS, npm packages) are skipped.
//! A directory that cannot be watched costs its live updates only, never the server.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};

use notify::{Config, RecommendedWatcher, RecursiveMode, Watcher};

pub struct SiteWatcher {
    site: PathBuf,
    watcher: Option<RecommendedWatcher>,
}

impl SiteWatcher {
    /// Starts watching `site`; changed paths arrive on the receiver.
    pub fn start(site: &Path) -> (SiteWatcher, Receiver<PathBuf>) {
        let (tx, rx) = std::sync::mpsc::channel();
        let watcher = RecommendedWatcher::new(
            handler(site.to_path_buf(), tx),
            Config::default().with_follow_symlinks(false),
        )
        .map_err(|e| eprintln!("warning: cannot watch the site for changes: {e}"))
        .ok();
        let mut watching = SiteWatcher {
            site: site.to_path_buf(),
            watcher,
        };
        watching.add_tree(site);
        (watching, rx)
    }

    /// Watches the directories among `changed` that are new, and all real directories under
    /// them.
    pub fn follow_new_dirs(&mut self, changed: &[PathBuf]) {
        for path in changed {
            let real_dir = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
            if real_dir && !ignored(&self.site, path) {
                self.add_tree(path);
            }
        }
    }

    fn add_tree(&mut self, root: &Path) {
        let Some(watcher) = self.watcher.as_mut() else {
            return;
        };
        let site = &self.site;
        let dirs = walkdir::WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| {
                e.file_type().is_dir() && (e.depth() == 0 || !skipped(site, e.path()))
            })
            .filter_map(Result::ok);
        for dir in dirs {
            if let Err(e) = watcher.watch(dir.path(), RecursiveMode::NonRecursive) {
                eprintln!(
                    "warning: cannot watch {} for changes: {e}",
                    dir.path().display()
                );
            }
        }
    }
}

fn handler(site: PathBuf, tx: Sender<PathBuf>) -> impl Fn(notify::Result<notify::Event>) {
    move |event| {
        // Reads (the rebuild's own) are no changes; watch errors leave the server running.
        let Ok(event) = event else { return };
        if matches!(event.kind, notify::EventKind::Access(_)) {
            return;
        }
        for path in event.paths {
            if !ignored(&site, &path) {
                let _ = tx.send(path);
            }
        }
    }
}

/// Directories not watched at all: the ignored ones, and hidden ones (`.git`, `.github`,
/// editors'), which the site never reads.
fn skipped(site: &Path, dir: &Path) -> bool {
    ignored(site, dir)
        || dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

/// Changes under these directories never affect the site.
pub fn ignored(site: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(site).unwrap_or(path);
    rel.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c == "public"
            || c == "target"
            || c == ".git"
            || c == "node_modules"
            || c.starts_with(".public.")
    }) || rel.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.ends_with('~') || n.starts_with(".#") || n.ends_with(".swp")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_and_vcs_paths_are_ignored() {
        let site = Path::new("/s");
        assert!(ignored(site, Path::new("/s/public/index.html")));
        assert!(ignored(
            site,
            Path::new("/s/themes/default/node_modules/x.js")
        ));
        assert!(ignored(site, Path::new("/s/data/parks/.#x.yaml")));
        assert!(!ignored(site, Path::new("/s/data/parks/x.yaml")));
        assert!(skipped(site, Path::new("/s/.github")));
        assert!(!skipped(site, Path::new("/s/data")));
    }

    /// A directory symlink to the root and a loop: watching neither enters them nor fails,
    /// and a change beside them still arrives.
    #[cfg(unix)]
    #[test]
    fn symlinked_directories_are_not_entered() {
        let site = tempfile::tempdir().unwrap();
        let site = std::fs::canonicalize(site.path()).unwrap();
        std::fs::create_dir_all(site.join("data/parks")).unwrap();
        std::os::unix::fs::symlink("/", site.join("data/parks/loop")).unwrap();
        std::os::unix::fs::symlink("..", site.join("data/loop2")).unwrap();
        let (mut watching, rx) = SiteWatcher::start(&site);
        assert!(watching.watcher.is_some());
        std::fs::write(site.join("data/parks/x.yaml"), "records: []\n").unwrap();
        let changed = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("a change arrives");
        assert!(changed.starts_with(site.join("data/parks")), "{changed:?}");
        // A new directory is followed, a new symlink is not entered.
        std::fs::create_dir(site.join("content")).unwrap();
        std::os::unix::fs::symlink("/", site.join("content/root")).unwrap();
        watching.follow_new_dirs(&[site.join("content"), site.join("content/root")]);
        while rx.try_recv().is_ok() {}
        std::fs::write(site.join("content/a.md"), "# a\n").unwrap();
        let changed = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("a change in the new directory arrives");
        assert!(changed.starts_with(site.join("content")), "{changed:?}");
    }
}
