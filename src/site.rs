//! The front half of the pipeline, shared by `check`, `build` and `serve`:
//! load -> config -> validate -> geo, each phase timed.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Sources};
use crate::geo::{Geo, Placement};
use crate::load::{self, Fatal};
use crate::registry::{AreasFile, Record, Supplement};
use crate::validate::decode::{self, ContentPage};
use crate::validate::reader::Cx;
use crate::validate::rules;

/// How long each phase took, for `--verbose` and `scripts/bench`.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Each phase's name, duration, and the process's peak memory when it ended (where the
    /// platform tells it), so `--verbose` shows which phase sets the peak.
    pub phases: Vec<(&'static str, Duration, Option<u64>)>,
    /// Render CPU time summed over the threads, and page count, by page group (see
    /// `model::PageGroup`): which kind of page the render phase spends its time on.
    pub pages: Vec<(&'static str, Duration, usize)>,
}

impl Timings {
    pub fn time<T>(&mut self, phase: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.phases.push((phase, start.elapsed(), peak_rss_kb()));
        out
    }

    pub fn total(&self) -> Duration {
        self.phases.iter().map(|(_, d, _)| *d).sum()
    }

    pub fn report(&self) -> String {
        let phases = self.phases.iter().map(|(name, d, peak)| {
            let ms = d.as_secs_f64() * 1000.0;
            match peak {
                Some(kb) => format!("  {name:<10} {ms:>8.1} ms  peak {:>5} MB", kb / 1024),
                None => format!("  {name:<10} {ms:>8.1} ms"),
            }
        });
        // CPU time of the rendering threads, not wall: the render phase runs on every core.
        let pages = self
            .pages
            .iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(name, d, n)| {
                let ms = d.as_secs_f64() * 1000.0;
                let each = ms / *n as f64;
                format!("  render/{name:<10} {ms:>8.1} ms CPU, {n} pages, {each:.3} ms each")
            });
        phases.chain(pages).collect::<Vec<_>>().join("\n")
    }
}

/// The process's peak resident set so far (`VmHWM`), on Linux.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Today in Japan, unless pinned (tests and reproducible builds pin it).
pub fn today_in_japan() -> Date {
    let offset = jiff::tz::Offset::constant(9);
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::fixed(offset))
        .date()
}

/// A validated site: the input of the model phase.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub areas_files: Vec<AreasFile>,
    pub geo: Geo,
    /// Records that passed validation, in file order.
    pub records: Vec<Record>,
    /// The municipality and area of each record (same order); `None` could not be placed.
    pub placements: Vec<Option<Placement>>,
    pub content: Vec<ContentPage>,
    pub today: Date,
    /// Paths of the source files relative to the site, by `FileId` (records know their file).
    pub files: Vec<PathBuf>,
}

/// The outcome of the front half: diagnostics, and the site when nothing prevents building it.
pub struct Checked {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    pub site: Option<Site>,
    pub timings: Timings,
}

/// Runs load, config, validate and geo on the site at `root`.
pub fn check(root: &Path, today: Date) -> Result<Checked, Fatal> {
    check_with(root, today, &mut load::LoadCache::default())
}

/// Like [`check`], parsing only the files that changed since the load `cache` remembers.
pub fn check_with(root: &Path, today: Date, cache: &mut load::LoadCache) -> Result<Checked, Fatal> {
    let mut timings = Timings::default();
    let mut loaded = timings.time("load", || load::load_with(root, cache))?;
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(std::mem::take(&mut loaded.diagnostics));
    let config = timings.time("config", || {
        decode_config(root, &loaded, today, &mut diagnostics)
    });
    let validated = timings.time("validate", || {
        validate(&loaded, config.as_ref(), today, &mut diagnostics)
    });
    if validated.areas_files.is_empty()
        && !diagnostics.iter().any(|d| d.code == Code::YamlSyntax)
        && loaded.areas.is_empty()
    {
        diagnostics.push(
            Diagnostic::new(Code::NoAreas, None, "no areas file in data/areas/")
                .help("run `kenkomap import areas` with the municipality boundaries and the 二次医療圏 membership CSV"),
        );
    }
    let (geo, placements) = timings.time("geo", || {
        let (geo, geo_diags) = Geo::build(
            &validated.areas_files,
            &crate::load::files::SiteFiles::new(root),
        );
        diagnostics.extend(geo_diags);
        let (placements, place_diags) = crate::geo::place_records(&validated.records, &geo);
        diagnostics.extend(place_diags);
        diagnostics.extend(crate::geo::unknown_serves(&validated.records, &geo));
        (geo, placements)
    });
    diagnostics.finish();
    let sources = loaded.sources;
    let files = (0..sources.len())
        .map(|i| {
            sources
                .path(crate::diagnostics::FileId(i as u32))
                .to_path_buf()
        })
        .collect();
    let site = config.map(|config| Site {
        root: root.to_path_buf(),
        config,
        areas_files: validated.areas_files,
        geo,
        records: validated.records,
        placements,
        content: validated.content_pages,
        today,
        files,
    });
    Ok(Checked {
        sources,
        diagnostics,
        site,
        timings,
    })
}

/// site.yaml, decoded (`None` with a diagnostic when it is missing or wrong).
fn decode_config(
    root: &Path,
    loaded: &load::Loaded,
    today: Date,
    diagnostics: &mut Diagnostics,
) -> Option<SiteConfig> {
    let Some((file, node)) = &loaded.config else {
        // A site.yaml that exists but did not parse has its own diagnostic (E0001, E0002):
        // "no site.yaml" would send the user looking for a file that is there.
        if !root.join("site.yaml").is_file() {
            diagnostics.push(
                Diagnostic::new(
                    Code::MissingConfig,
                    None,
                    format!("no site.yaml in {}", root.display()),
                )
                .help("run `kenkomap init DIR` to start a site, or pass --site DIR"),
            );
        }
        return None;
    };
    let mut diags = Vec::new();
    let mut cx = Cx::new(&mut diags, &loaded.sources.get(*file).text, today);
    let config = crate::config::decode(node, &mut cx);
    diagnostics.extend(diags);
    config
}

/// What the validate phase makes of the loaded files.
struct Validated {
    areas_files: Vec<AreasFile>,
    records: Vec<Record>,
    content_pages: Vec<ContentPage>,
}

/// Decodes the areas files, the registries (with their supplements applied) and the content
/// pages, and checks the rules across files (duplicates, leftovers, URL collisions).
fn validate(
    loaded: &load::Loaded,
    config: Option<&SiteConfig>,
    today: Date,
    diagnostics: &mut Diagnostics,
) -> Validated {
    let sources = &loaded.sources;
    let mut areas_files = Vec::new();
    for (file, node) in &loaded.areas {
        let mut diags = Vec::new();
        let mut cx = Cx::new(&mut diags, &sources.get(*file).text, today);
        if let Some(a) = decode::areas_file(node, *file, &mut cx) {
            areas_files.push(a);
        }
        diagnostics.extend(diags);
    }
    diagnostics.extend(rules::duplicate_prefectures(&areas_files));
    diagnostics.extend(rules::duplicate_area_codes(&areas_files));
    // Help texts give examples from the site's own prefecture.
    let example = areas_files
        .iter()
        .flat_map(|f| f.areas.iter().flat_map(|a| a.municipalities.first()))
        .next()
        .map(|m| (m.code.value.to_string(), m.name.clone()));
    let (mut records, supplements, decode_diags) =
        decode_registries(&loaded.registries, sources, config, example, today);
    diagnostics.extend(decode_diags);
    diagnostics.extend(rules::duplicate_ids(&records));
    diagnostics.extend(crate::registry::merge::apply_supplements(
        &mut records,
        &supplements,
    ));
    diagnostics.extend(rules::duplicate_places(&records));
    let registry_files: Vec<_> = loaded.registries.iter().map(|(file, _, _)| *file).collect();
    diagnostics.extend(crate::validate::leftovers::leftovers(
        sources,
        loaded.config.as_ref().map(|(file, _)| *file),
        &areas_files,
        &registry_files,
        &records,
    ));
    let mut content_pages = Vec::new();
    for page in &loaded.content {
        let mut diags = Vec::new();
        let mut cx = Cx::new(&mut diags, &sources.get(page.file).text, today);
        if let Some(p) = decode::content_page(page, &mut cx) {
            content_pages.push(p);
        }
        diagnostics.extend(diags);
    }
    diagnostics.extend(rules::content_collisions(&content_pages));
    Validated {
        areas_files,
        records,
        content_pages,
    }
}

/// Decodes the registry files (in parallel): their records and supplements in file order, and
/// the diagnostics.
fn decode_registries(
    registries: &[(
        crate::diagnostics::FileId,
        crate::registry::Kind,
        std::sync::Arc<crate::load::yaml::Node>,
    )],
    sources: &Sources,
    config: Option<&SiteConfig>,
    example: Option<(String, String)>,
    today: Date,
) -> (Vec<Record>, Vec<Supplement>, Vec<Diagnostic>) {
    let per_file: Vec<(Vec<Record>, Vec<Supplement>, Vec<Diagnostic>)> = registries
        .par_iter()
        .map(|(file, kind, node)| {
            let site_types = config.map(|c| c.extra_types(*kind));
            let mut diags = Vec::new();
            let mut cx = Cx::new(&mut diags, &sources.get(*file).text, today);
            cx.example = example.clone();
            let (records, supplements) =
                decode::registry_file_with_supplements(node, *kind, site_types.as_deref(), &mut cx);
            (records, supplements, diags)
        })
        .collect();
    let (mut records, mut supplements, mut diagnostics) = (Vec::new(), Vec::new(), Vec::new());
    for (r, s, d) in per_file {
        records.extend(r);
        supplements.extend(s);
        diagnostics.extend(d);
    }
    (records, supplements, diagnostics)
}

/// The site's records as `check` reads them (decoded, supplements applied), leaving out the
/// file `skip` (relative to the site) with its records and supplements, and the files that
/// supplement `skip`'s records: what an import into `skip` matches its rows against, so that
/// importing the same file again finds the same places. Records with errors are left out, as `check` leaves them out.
pub fn records_except(root: &Path, skip: &Path) -> Result<(Vec<Record>, Vec<PathBuf>), Fatal> {
    let loaded = load::load(root)?;
    let config = loaded.config.as_ref().and_then(|(file, node)| {
        let mut diags = Vec::new();
        let mut cx = Cx::new(
            &mut diags,
            &loaded.sources.get(*file).text,
            today_in_japan(),
        );
        crate::config::decode(node, &mut cx)
    });
    let (records, supplements, _) = decode_registries(
        &loaded.registries,
        &loaded.sources,
        config.as_ref(),
        None,
        today_in_japan(),
    );
    // Files that supplement `skip`'s records are left out too: merging into their records
    // would make the two files depend on each other, and each re-import would undo the other.
    let skip_ids: std::collections::HashSet<&str> = records
        .iter()
        .filter(|r| loaded.sources.path(r.span.file) == skip)
        .map(|r| r.id.value.as_str())
        .collect();
    let mut left_out: std::collections::HashSet<crate::diagnostics::FileId> = supplements
        .iter()
        .filter(|s| skip_ids.contains(s.target.value.as_str()))
        .map(|s| s.target.span.file)
        .collect();
    left_out.extend(
        loaded
            .registries
            .iter()
            .map(|(file, _, _)| *file)
            .filter(|f| loaded.sources.path(*f) == skip),
    );
    let mut records: Vec<Record> = records
        .into_iter()
        .filter(|r| !left_out.contains(&r.span.file))
        .collect();
    let supplements: Vec<Supplement> = supplements
        .into_iter()
        .filter(|s| !left_out.contains(&s.target.span.file))
        .collect();
    crate::registry::merge::apply_supplements(&mut records, &supplements);
    let files = (0..loaded.sources.len())
        .map(|i| {
            loaded
                .sources
                .path(crate::diagnostics::FileId(i as u32))
                .to_path_buf()
        })
        .collect();
    Ok((records, files))
}

/// The boundaries of a site's areas files only (for the importers), without validating the
/// registries. `None` when the site has no usable areas file yet.
pub fn load_geo(root: &Path) -> Option<Geo> {
    let loaded = load::load(root).ok()?;
    let mut areas_files = Vec::new();
    for (file, node) in &loaded.areas {
        let mut diags = Vec::new();
        let mut cx = Cx::new(
            &mut diags,
            &loaded.sources.get(*file).text,
            today_in_japan(),
        );
        areas_files.extend(decode::areas_file(node, *file, &mut cx));
    }
    if areas_files.is_empty() {
        return None;
    }
    let (geo, diags) = Geo::build(&areas_files, &crate::load::files::SiteFiles::new(root));
    diags.iter().all(|d| !d.is_error()).then_some(geo)
}
