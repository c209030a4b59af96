//! Write phase: where rendered files go.
//!
//! `build` streams every file into a fresh directory beside the output while rendering in
//! parallel, and only when everything succeeded swaps it in for the old output, so a failed
//! build leaves the previous site untouched. (Streaming rather than holding the whole site in
//! memory keeps a national build, ~160,000 pages, within its memory budget.) `serve` keeps
//! files in memory instead.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where output files go. Paths are relative, with `/` separators.
pub trait Output: Sync {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()>;

    /// A file written in parts, for exports too large to hold whole (the national HSDS is
    /// ~160 MB). Nothing is final until [`FileWriter::finish`].
    fn writer(&self, path: &str) -> io::Result<Box<dyn FileWriter + '_>>;
}

/// A file being written through [`Output::writer`].
pub trait FileWriter: Write + Send {
    /// Flushes the file and returns its size in bytes.
    fn finish(self: Box<Self>) -> io::Result<u64>;
}

/// Collects a file in memory and hands it to its output whole.
struct BufferedFile<'a> {
    output: &'a dyn Output,
    path: String,
    bytes: Vec<u8>,
}

impl Write for BufferedFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl FileWriter for BufferedFile<'_> {
    fn finish(self: Box<Self>) -> io::Result<u64> {
        let len = self.bytes.len() as u64;
        self.output.put(&self.path, self.bytes)?;
        Ok(len)
    }
}

/// A file of the staging directory, written as its parts come.
struct StagedFile<'a> {
    staging: &'a Staging,
    file: io::BufWriter<std::fs::File>,
    len: u64,
}

impl Write for StagedFile<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

impl FileWriter for StagedFile<'_> {
    fn finish(mut self: Box<Self>) -> io::Result<u64> {
        self.file.flush()?;
        let ordering = std::sync::atomic::Ordering::Relaxed;
        self.staging.bytes.fetch_add(self.len, ordering);
        self.staging.files.fetch_add(1, ordering);
        Ok(self.len)
    }
}

/// Files kept in memory (for `serve` and tests).
#[derive(Default)]
pub struct MemoryOutput {
    pub files: Mutex<HashMap<String, Vec<u8>>>,
}

impl Output for MemoryOutput {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.files
            .lock()
            .expect("not poisoned")
            .insert(path.to_owned(), bytes);
        Ok(())
    }

    fn writer(&self, path: &str) -> io::Result<Box<dyn FileWriter + '_>> {
        Ok(Box::new(BufferedFile {
            output: self,
            path: path.to_owned(),
            bytes: Vec::new(),
        }))
    }
}

impl MemoryOutput {
    pub fn into_inner(self) -> HashMap<String, Vec<u8>> {
        self.files.into_inner().expect("not poisoned")
    }
}

/// The file that marks a directory as kenkomap's output. A build replaces only a directory
/// that has it (or an empty one): an `--out` typed wrong must never delete a council's files.
pub const MARKER: &str = ".kenkomap-output";

/// What the marker says to a person who finds it.
const MARKER_TEXT: &str =
    "This directory is written by `kenkomap build`; it is replaced on every build.\n";

/// The site's sources: an output there would replace them.
const SOURCES: &[&str] = &[
    "site.yaml",
    "data",
    "content",
    "templates",
    "static",
    "themes",
    ".git",
    ".github",
];

/// Refuses an `--out` that a build must not replace: a link (replacing it would delete what
/// it points to), the site itself or a directory holding it, the site's sources, the home
/// directory or one holding it, a file system's root, and (unless `force`) a non-empty
/// directory without kenkomap's marker. Nothing is written or removed here.
pub fn check_output(site: &Path, out: &Path, force: bool) -> Result<(), String> {
    let shown = out.display();
    match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(format!(
                "{shown} is a symbolic link; kenkomap builds only into a real directory (replacing a link would delete what it points to): remove the link or choose another --out"
            ));
        }
        Ok(m) if !m.is_dir() => return Err(format!("{shown} exists and is not a directory")),
        _ => {}
    }
    let out_abs = resolved(out).map_err(|e| format!("cannot resolve {shown}: {e}"))?;
    let site_abs = std::fs::canonicalize(site)
        .map_err(|e| format!("cannot resolve the site {}: {e}", site.display()))?;
    if out_abs.parent().is_none() {
        return Err(format!(
            "{shown} is the root of a file system; choose a directory of its own, e.g. --out public"
        ));
    }
    if let Some(home) = std::env::home_dir().and_then(|h| std::fs::canonicalize(h).ok())
        && home.starts_with(&out_abs)
    {
        return Err(format!(
            "{shown} is your home directory or holds it; choose a directory of its own, e.g. --out public"
        ));
    }
    if site_abs.starts_with(&out_abs) {
        return Err(format!(
            "{shown} is the site directory or holds it: a build there would delete the site's files; use --out public (the default)"
        ));
    }
    if let Some(source) = SOURCES
        .iter()
        .find(|s| out_abs.starts_with(site_abs.join(s)))
    {
        return Err(format!(
            "{shown} is inside the site's {source}: a build there would delete the site's files; use --out public (the default)"
        ));
    }
    if !force && !is_ours_or_empty(out) {
        return Err(format!(
            "{shown} holds files that kenkomap did not write (it has no {MARKER} file): move them away, choose another --out, or pass --force to replace the directory"
        ));
    }
    Ok(())
}

/// Whether `dir` is missing, empty, or marked as kenkomap's output.
fn is_ours_or_empty(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_none() || is_marked(dir),
        Err(_) => !dir.exists(),
    }
}

fn is_marked(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// `path` made absolute with its existing part resolved (links included), so that it can be
/// compared with the site's canonical path; the part that does not exist yet is added as
/// written, `..` taken lexically.
fn resolved(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let Some(parent) = existing.parent() else {
            break;
        };
        rest.push(existing.file_name().map(|n| n.to_owned()));
        existing = parent;
    }
    let mut out = std::fs::canonicalize(existing)?;
    for part in rest.into_iter().rev() {
        match part {
            Some(name) => out.push(name),
            None => {
                out.pop();
            }
        }
    }
    Ok(out)
}

/// A staging directory next to the final output, swapped in by [`Staging::commit`].
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// Held for the whole build: a second build into the same output waits for none and
    /// fails at once, and what a killed build left is known to be stale.
    lock: Option<(std::fs::File, PathBuf)>,
    committed: bool,
    bytes: std::sync::atomic::AtomicU64,
    files: std::sync::atomic::AtomicU64,
}

/// Why [`Staging::commit`] failed, and whether the output changed.
#[derive(Debug)]
pub enum CommitError {
    /// The previous output is still in place.
    Unchanged(io::Error),
    /// The new output is in place, but the previous one could not be removed from `old`.
    OldLeft(PathBuf, io::Error),
}

impl std::fmt::Display for CommitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommitError::Unchanged(e) => write!(f, "{e}"),
            CommitError::OldLeft(old, e) => write!(
                f,
                "the new site is in place, but the previous one could not be removed from {}: {e}",
                old.display()
            ),
        }
    }
}

/// Refuses output paths that could escape the output directory. Ids and codes that become
/// paths are validated earlier; this is the last line of defence.
fn safe_relative(path: &str) -> io::Result<&Path> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path {path:?}"),
        ))
    }
}

impl Staging {
    /// Creates `.<out>.tmp-<pid>` beside `out` (same filesystem, so the swap is a rename),
    /// after taking the output's lock and removing what killed builds left. Call
    /// [`check_output`] first.
    pub fn new(out: &Path) -> io::Result<Staging> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = out
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "output path has no name"))?
            .to_string_lossy()
            .into_owned();
        let lock_path = parent.join(format!(".{name}.lock"));
        // Not truncated: on Windows a file locked by another process cannot be.
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)?;
        if let Err(e) = lock.try_lock() {
            return Err(match e {
                std::fs::TryLockError::WouldBlock => io::Error::new(
                    io::ErrorKind::ResourceBusy,
                    format!("another kenkomap build is writing {}", out.display()),
                ),
                std::fs::TryLockError::Error(e) => e,
            });
        }
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            target: out.to_path_buf(),
            dir,
            lock: Some((lock, lock_path)),
            committed: false,
            bytes: 0.into(),
            files: 0.into(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn bytes_written(&self) -> u64 {
        self.bytes.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn files_written(&self) -> u64 {
        self.files.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Replaces the output with the staged directory. Where the platform can (Linux, macOS)
    /// the two are exchanged in one step, so the output is never absent; elsewhere the old
    /// output is renamed away first. The old output is removed after the swap.
    pub fn commit(mut self) -> Result<(), CommitError> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        let had_old = std::fs::symlink_metadata(&self.target).is_ok();
        if had_old && exchange(&self.dir, &self.target).is_ok() {
            // The staging path now holds the previous output.
            std::fs::rename(&self.dir, &old)
                .map_err(|e| CommitError::OldLeft(self.dir.clone(), e))?;
        } else {
            if had_old {
                std::fs::rename(&self.target, &old).map_err(CommitError::Unchanged)?;
            }
            if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                if had_old {
                    let _ = std::fs::rename(&old, &self.target);
                }
                return Err(CommitError::Unchanged(e));
            }
        }
        self.committed = true;
        if had_old {
            remove_tree(&old).map_err(|e| CommitError::OldLeft(old.clone(), e))?;
        }
        Ok(())
    }
}

/// Swaps two directories in one step (`renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    const RENAME_EXCHANGE: libc::c_uint = 1 << 1;
    // SAFETY: both paths are NUL-terminated strings that outlive the call; the syscall only
    // reads them. It is called through `syscall` because not every libc wraps it.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Swaps two directories in one step (`renamex_np(RENAME_SWAP)`).
#[cfg(target_os = "macos")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both paths are NUL-terminated strings that outlive the call.
    let rc = unsafe { libc::renamex_np(a.as_ptr(), b.as_ptr(), libc::RENAME_SWAP) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// No one-step swap here (Windows): [`Staging::commit`] renames twice.
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Removes the staging and old directories of builds that were killed: `.<name>.tmp-*` and
/// `.<name>.old-*` beside the output that carry kenkomap's marker. Only called while holding
/// the output's lock, so no running build owns them.
fn remove_stale(parent: &Path, name: &str) {
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = prefixes.iter().any(|p| file_name.starts_with(p));
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if ours && is_dir && is_marked(&entry.path()) {
            let _ = remove_tree(&entry.path());
        }
    }
}

/// Removes a directory tree, its top-level entries in parallel (deleting a national site's
/// ~170,000 files is otherwise a large part of a rebuild). Links are removed, never
/// followed: a link inside the old output must not take anything else with it.
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    if std::fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return std::fs::remove_file(dir);
    }
    let entries: Vec<(PathBuf, bool)> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
        .collect();
    entries.par_iter().try_for_each(|(p, is_dir)| {
        if !is_dir {
            return std::fs::remove_file(p);
        }
        // One level further down, where most files are (facilities/, en/…).
        let inner: Vec<(PathBuf, bool)> = std::fs::read_dir(p)?
            .filter_map(|e| e.ok())
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
            .collect();
        inner.par_iter().try_for_each(|(q, is_dir)| {
            // `remove_dir_all` does not follow links either.
            if *is_dir {
                std::fs::remove_dir_all(q)
            } else {
                std::fs::remove_file(q)
            }
        })?;
        std::fs::remove_dir(p)
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    /// A build that did not commit leaves no half-written directory behind; the lock goes.
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
        if let Some((lock, path)) = self.lock.take() {
            drop(lock);
            let _ = std::fs::remove_file(path);
        }
    }
}

impl Staging {
    /// The place of `path` in the staging directory, its directory created.
    fn prepare(&self, path: &str) -> io::Result<PathBuf> {
        let full = self.dir.join(safe_relative(path)?);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(full)
    }
}

impl Output for Staging {
    fn put(&self, path: &str, bytes: Vec<u8>) -> io::Result<()> {
        let full = self.prepare(path)?;
        self.bytes
            .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
        self.files
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        std::fs::write(full, bytes)
    }

    fn writer(&self, path: &str) -> io::Result<Box<dyn FileWriter + '_>> {
        let file = std::fs::File::create(self.prepare(path)?)?;
        Ok(Box::new(StagedFile {
            staging: self,
            file: io::BufWriter::with_capacity(1 << 20, file),
            len: 0,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../b", "", "a\\b"] {
            assert!(safe_relative(bad).is_err(), "{bad}");
        }
        assert!(safe_relative("areas/3706/index.html").is_ok());
    }

    #[test]
    fn commit_swaps_and_drop_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        // A failed build: staging dropped without commit.
        {
            let s = Staging::new(&out).unwrap();
            s.put("index.html", b"new".to_vec()).unwrap();
        }
        assert!(out.join("old.html").exists());
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging removed"
        );
        let s = Staging::new(&out).unwrap();
        s.put("a/b/index.html", b"new".to_vec()).unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read(out.join("a/b/index.html")).unwrap(), b"new");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn roots_and_sources_are_never_an_output() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("data")).unwrap();
        let root = if cfg!(windows) { "C:\\" } else { "/" };
        for out in [Path::new(root), &site, &site.join("data/parks"), tmp.path()] {
            assert!(check_output(&site, out, true).is_err(), "{}", out.display());
        }
        assert!(check_output(&site, &site.join("public"), false).is_ok());
        assert!(check_output(&site, &tmp.path().join("elsewhere/public"), false).is_ok());
    }

    #[cfg(any(target_os = "linux", target_os = "macos"))]
    #[test]
    fn exchange_swaps_two_directories_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("new"), "").unwrap();
        std::fs::write(b.join("old"), "").unwrap();
        // ext4, tmpfs and overlayfs support it (elsewhere `commit` falls back to two renames).
        exchange(&a, &b).unwrap();
        assert!(b.join("new").exists() && a.join("old").exists());
    }

    #[test]
    fn streamed_files_arrive_whole_and_are_counted() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&tmp.path().join("public")).unwrap();
        let memory = MemoryOutput::default();
        for output in [&staging as &dyn Output, &memory] {
            let mut file = output.writer("data/big/file.json").unwrap();
            file.write_all(b"[1,").unwrap();
            file.write_all(b"2]").unwrap();
            assert_eq!(file.finish().unwrap(), 5);
        }
        assert_eq!(
            std::fs::read(staging.dir().join("data/big/file.json")).unwrap(),
            b"[1,2]"
        );
        assert_eq!((staging.files_written(), staging.bytes_written()), (1, 5));
        assert_eq!(memory.into_inner()["data/big/file.json"], b"[1,2]");
        assert!(staging.writer("../escape.json").is_err());
    }
}
