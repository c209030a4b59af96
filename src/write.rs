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

/// A staging directory next to the final output, swapped in by [`Staging::commit`].
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    bytes: std::sync::atomic::AtomicU64,
    files: std::sync::atomic::AtomicU64,
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
    /// Creates `<out>.tmp-<pid>` beside `out` (same filesystem, so the swap is a rename).
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
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            target: out.to_path_buf(),
            dir,
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

    /// Replaces the output with the staged directory. The old output is renamed away first and
    /// removed after the swap, so there is no moment without a complete site.
    pub fn commit(self) -> io::Result<()> {
        let old = self.target.with_file_name(format!(
            ".{}.old-{}",
            self.target
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if had_old {
            remove_tree(&old)?;
        }
        // Nothing left to clean up on drop.
        std::mem::forget(self);
        Ok(())
    }
}

/// Removes a directory tree, its top-level entries in parallel (deleting a national site's
/// ~170,000 files is otherwise a large part of a rebuild).
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() && !p.is_symlink() {
            // One level further down, where most files are (facilities/, en/…).
            let inner: Vec<PathBuf> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            inner.par_iter().try_for_each(|q| {
                if q.is_dir() && !q.is_symlink() {
                    std::fs::remove_dir_all(q)
                } else {
                    std::fs::remove_file(q)
                }
            })?;
            std::fs::remove_dir(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    /// A build that did not commit leaves no half-written directory behind.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
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
