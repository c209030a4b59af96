//! The back half of the pipeline: model -> export -> render -> write (exports first: the
//! downloads page lists them with their sizes).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Sources};
use crate::model::{Model, PageGroup};
use crate::render::Renderer;
use crate::render::theme::Theme;
use crate::site::{Site, Timings};
use crate::write::{CommitError, Output, Staging};

#[derive(Debug, Default)]
pub struct BuildReport {
    pub records: usize,
    pub areas: usize,
    pub pages: usize,
    pub files: u64,
    pub bytes: u64,
    /// The new output is in place but the previous one was not removed (why and where).
    pub leftover: Option<String>,
}

/// Why a build produced no output (the previous output is untouched).
pub enum BuildError {
    Diagnostics(Vec<Diagnostic>),
    /// An I/O error (exit 2): one message, however many files it stopped.
    Io(String),
}

/// Calls `progress(done, total)` as pages are rendered (for a progress bar).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Renders every page and export of `site` into `out`.
pub fn render_all(
    site: &Arc<Site>,
    sources: &mut Sources,
    out: &dyn Output,
    timings: &mut Timings,
    progress: Progress,
) -> Result<BuildReport, BuildError> {
    let model = Arc::new(timings.time("model", || Model::new(site.clone())));
    let theme =
        Theme::load(&site.root, &site.config.theme, sources).map_err(BuildError::Diagnostics)?;
    let renderer = Renderer::new(model.clone(), theme).map_err(BuildError::Diagnostics)?;
    // Exports first: the downloads page lists them with their sizes.
    let exported = timings
        .time("export", || {
            crate::export::run(&model, &renderer.theme.i18n, &renderer.lists, out)
        })
        .map_err(|e| BuildError::Io(e.to_string()))?;
    let _ = renderer.downloads.set(exported);
    let done = AtomicUsize::new(0);
    let total = model.pages.len();
    // The first I/O error (a full disk) stops the rendering: one error, not one per page.
    let io_error: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    let failed = std::sync::atomic::AtomicBool::new(false);
    let group_nanos: [AtomicU64; PageGroup::ALL.len()] = Default::default();
    let group_pages: [AtomicUsize; PageGroup::ALL.len()] = Default::default();
    let errors: Vec<Diagnostic> = timings.time("render", || {
        model
            .pages
            .par_iter()
            .filter_map(|page| {
                if failed.load(Ordering::Relaxed) {
                    return None;
                }
                let started = thread_cpu_time();
                let rendered = renderer.render(page);
                let group = page.kind.group() as usize;
                let spent = thread_cpu_time().saturating_sub(started);
                let nanos = u64::try_from(spent.as_nanos()).unwrap_or(u64::MAX);
                group_nanos[group].fetch_add(nanos, Ordering::Relaxed);
                group_pages[group].fetch_add(1, Ordering::Relaxed);
                let bytes = match rendered {
                    Ok(bytes) => bytes,
                    Err(d) => return Some(d),
                };
                if let Err(e) = out.put(&page.path, bytes) {
                    failed.store(true, Ordering::Relaxed);
                    let mut first = io_error.lock().expect("not poisoned");
                    first.get_or_insert_with(|| format!("cannot write {}: {e}", page.path));
                }
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(256) || n == total {
                    progress(n, total);
                }
                None
            })
            .collect()
    });
    timings.pages = PageGroup::ALL
        .iter()
        .zip(group_nanos.iter().zip(&group_pages))
        .map(|(group, (nanos, pages))| {
            let spent = Duration::from_nanos(nanos.load(Ordering::Relaxed));
            (group.name(), spent, pages.load(Ordering::Relaxed))
        })
        .collect();
    if let Some(message) = io_error.into_inner().expect("not poisoned") {
        return Err(BuildError::Io(message));
    }
    if !errors.is_empty() {
        // One broken template fails every page that uses it: report each problem once.
        let mut errors = errors;
        errors.sort_by(|a, b| (a.span, &a.message).cmp(&(b.span, &b.message)));
        errors.dedup_by(|a, b| a.span == b.span && a.message == b.message);
        return Err(BuildError::Diagnostics(errors));
    }
    timings
        .time("assets", || -> std::io::Result<()> {
            for (path, bytes) in renderer.theme.statics.iter().chain(&renderer.theme.vendor) {
                out.put(&format!("assets/{path}"), bytes.read()?)?;
            }
            for (path, bytes) in renderer
                .map_assets()
                .into_iter()
                .chain(renderer.sheet_page_css())
            {
                out.put(&path, bytes)?;
            }
            Ok(())
        })
        .map_err(|e| BuildError::Io(e.to_string()))?;
    Ok(BuildReport {
        records: model.by_kind.iter().map(Vec::len).sum(),
        areas: model.areas.len(),
        pages: total,
        ..BuildReport::default()
    })
}

/// Builds the site into `out_dir` through a staging directory that is swapped in at the end.
/// Call [`crate::write::check_output`] first.
pub fn build(
    site: &Arc<Site>,
    sources: &mut Sources,
    out_dir: &Path,
    timings: &mut Timings,
    progress: Progress,
) -> Result<BuildReport, BuildError> {
    let staging = Staging::new(out_dir).map_err(|e| {
        BuildError::Io(format!(
            "cannot create a directory beside {}: {e}",
            out_dir.display()
        ))
    })?;
    let mut report = render_all(site, sources, &staging, timings, progress)?;
    report.files = staging.files_written();
    report.bytes = staging.bytes_written();
    match timings.time("write", || staging.commit()) {
        Ok(()) => Ok(report),
        Err(CommitError::Unchanged(e)) => Err(BuildError::Io(format!(
            "cannot replace {}: {e}",
            out_dir.display()
        ))),
        Err(left @ CommitError::OldLeft(..)) => {
            report.leftover = Some(left.to_string());
            Ok(report)
        }
    }
}

/// CPU time of the calling thread: what a page costs, whatever else the machine is doing
/// (wall time per page grows with the load of other processes).
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; the clock id is a constant the platform defines.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

/// Elsewhere, wall time since the first call (the figures then include waiting for a core).
#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}
