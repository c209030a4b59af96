//! The commands behind the CLI. `main.rs` parses arguments and calls these.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use jiff::civil::Date;

use crate::diagnostics::{self, Format, Severity};
use crate::registry::{Kind, fields};
use crate::site::{self, Checked};
use crate::text::count;

/// Exit codes: 0 success (warnings allowed), 1 validation or build errors, 2 usage or I/O.
pub const EXIT_OK: u8 = 0;
pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

/// Whether to colour human output: only on a terminal, and never with NO_COLOR set.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints the diagnostics of a run: human to stderr, github and json to stdout.
pub fn print_diagnostics(checked: &Checked, format: Format) {
    let color = use_color();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out: Box<dyn Write> = match format {
        Format::Human => Box::new(stderr.lock()),
        _ => Box::new(stdout.lock()),
    };
    for d in checked.diagnostics.iter() {
        let rendered = diagnostics::render(d, &checked.sources, format, color);
        let _ = writeln!(out, "{rendered}");
        if format == Format::Human {
            let _ = writeln!(out);
        }
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// "3 errors, 2 warnings" / "no problems".
pub fn problems_summary(checked: &Checked) -> String {
    let (e, w) = (checked.diagnostics.errors(), checked.diagnostics.warnings());
    match (e, w) {
        (0, 0) => "no problems".to_owned(),
        _ => format!(
            "{}, {}",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings")
        ),
    }
}

/// The exit code for a run's diagnostics.
pub fn exit_for(checked: &Checked, deny_warnings: bool) -> u8 {
    let failing = checked.diagnostics.iter().any(|d| {
        d.severity == Severity::Error || (deny_warnings && d.severity == Severity::Warning)
    });
    if checked
        .diagnostics
        .iter()
        .any(|d| d.code == diagnostics::Code::MissingConfig)
    {
        EXIT_USAGE
    } else if failing {
        EXIT_ERRORS
    } else {
        EXIT_OK
    }
}

pub struct CheckArgs<'a> {
    pub site: &'a Path,
    pub format: Format,
    pub deny_warnings: bool,
    pub today: Date,
    pub verbose: bool,
}

/// `kenkomap check`: load, validate and geo; writes nothing.
pub fn check(args: CheckArgs) -> ExitCode {
    let start = std::time::Instant::now();
    let checked = match site::check(args.site, args.today) {
        Ok(c) => c,
        Err(fatal) => {
            eprintln!("error: {fatal}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    print_diagnostics(&checked, args.format);
    if args.format == Format::Human {
        let records = checked.site.as_ref().map_or(0, |s| s.records.len());
        let areas = checked.site.as_ref().map_or(0, |s| s.geo.areas.len());
        eprintln!(
            "checked {}, {} in {} files in {:.2} s: {}",
            plural(records, "record", "records"),
            plural(areas, "area", "areas"),
            count(checked.sources.len()),
            start.elapsed().as_secs_f64(),
            problems_summary(&checked)
        );
    }
    if args.verbose {
        eprintln!("{}", checked.timings.report());
    }
    ExitCode::from(exit_for(&checked, args.deny_warnings))
}

/// Which schema `kenkomap schema` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaTarget {
    Facilities,
    Parks,
    Restaurants,
    Consultation,
    Areas,
}

/// `kenkomap schema [TARGET]`: JSON Schema (2020-12) of the registry files. Without a target,
/// one document whose `$defs` hold every file type, selecting by file path is left to the
/// editor (see the README for the VS Code `yaml.schemas` setting).
pub fn schema(target: Option<SchemaTarget>, site: &Path) -> ExitCode {
    // Site-specific types come from site.yaml when there is one; the schema works without.
    let config = site::check(site, site::today_in_japan())
        .ok()
        .and_then(|c| c.site.map(|s| s.config));
    let extra = |kind: Kind| {
        config
            .as_ref()
            .map(|c| c.extra_types(kind))
            .unwrap_or_default()
    };
    let value = match target {
        Some(SchemaTarget::Areas) => fields::areas_file_schema(),
        Some(t) => {
            let kind = match t {
                SchemaTarget::Facilities => Kind::Facilities,
                SchemaTarget::Parks => Kind::Parks,
                SchemaTarget::Restaurants => Kind::Restaurants,
                _ => Kind::Consultation,
            };
            fields::registry_file_schema(kind, &extra(kind))
        }
        None => {
            let mut defs = serde_json::Map::new();
            for kind in Kind::ALL {
                defs.insert(
                    kind.as_str().to_owned(),
                    fields::registry_file_schema(kind, &extra(kind)),
                );
            }
            defs.insert("areas".to_owned(), fields::areas_file_schema());
            serde_json::json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": "kenkomap registry files",
                "description": "data/<kind>/*.yaml and data/areas/*.yaml; map each glob to its $defs entry, or run `kenkomap schema <kind>`",
                "anyOf": Kind::ALL.iter().map(|k| serde_json::json!({ "$ref": format!("#/$defs/{}", k.as_str()) })).collect::<Vec<_>>(),
                "$defs": defs,
            })
        }
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&value).expect("schema serialises")
    );
    ExitCode::from(EXIT_OK)
}

pub struct BuildArgs<'a> {
    pub site: &'a Path,
    pub out: &'a Path,
    /// Replace an `--out` directory that kenkomap did not write.
    pub force: bool,
    /// The published address when site.yaml gives no `base_url` (the publish workflow passes
    /// GitHub Pages' address).
    pub base_url: Option<&'a str>,
    pub today: Date,
    pub verbose: bool,
    pub format: Format,
}

/// `kenkomap build`: the whole pipeline into `--out` (default `public/`), swapped in only when
/// everything succeeded.
pub fn build(args: BuildArgs) -> ExitCode {
    let start = std::time::Instant::now();
    if !args.site.is_dir() {
        eprintln!(
            "error: site directory {} does not exist",
            args.site.display()
        );
        return ExitCode::from(EXIT_USAGE);
    }
    // Before anything else: a wrong --out must be refused even when the site has errors.
    if let Err(message) = crate::write::check_output(args.site, args.out, args.force) {
        eprintln!("error: {message}");
        return ExitCode::from(EXIT_USAGE);
    }
    let mut checked = match site::check(args.site, args.today) {
        Ok(c) => c,
        Err(fatal) => {
            eprintln!("error: {fatal}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    print_diagnostics(&checked, args.format);
    let code = exit_for(&checked, false);
    let base_url = match args.base_url.map(published_address).transpose() {
        Ok(b) => b,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let Some(site) = checked
        .site
        .take()
        .filter(|_| code == EXIT_OK)
        .map(|mut site| {
            if let Some(url) = base_url.filter(|_| !site.config.base_url_given) {
                site.config.base_url = url;
            }
            std::sync::Arc::new(site)
        })
    else {
        eprintln!(
            "build failed: {}; {} was not changed",
            problems_summary(&checked),
            args.out.display()
        );
        return ExitCode::from(if code == EXIT_OK { EXIT_ERRORS } else { code });
    };
    let bar = progress_bar();
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let result = crate::build::build(
        &site,
        &mut checked.sources,
        args.out,
        &mut checked.timings,
        &progress,
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            if let Some(leftover) = &report.leftover {
                eprintln!("warning: {leftover}");
            }
            eprintln!(
                "{}, {}, {} ({}, {:.1} MB) in {:.2} s → {}",
                plural(report.records, "record", "records"),
                plural(report.areas, "area", "areas"),
                plural(report.pages, "page", "pages"),
                plural(report.files as usize, "file", "files"),
                report.bytes as f64 / 1_000_000.0,
                start.elapsed().as_secs_f64(),
                args.out.display()
            );
            if args.verbose {
                eprintln!("{}", checked.timings.report());
            }
            ExitCode::from(EXIT_OK)
        }
        Err(crate::build::BuildError::Diagnostics(diags)) => {
            for d in &diags {
                let rendered = diagnostics::render(d, &checked.sources, args.format, use_color());
                if args.format == Format::Human {
                    eprintln!("{rendered}\n");
                } else {
                    println!("{rendered}");
                }
            }
            eprintln!(
                "build failed: {}; {} was not changed",
                plural(diags.len(), "error", "errors"),
                args.out.display()
            );
            ExitCode::from(EXIT_ERRORS)
        }
        Err(crate::build::BuildError::Io(message)) => {
            eprintln!("error: {message}; {} was not changed", args.out.display());
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `--base-url`: an http(s) address with a host, ending in `/`.
fn published_address(raw: &str) -> Result<String, String> {
    let uri: http::Uri = raw
        .parse()
        .map_err(|_| format!("--base-url {raw:?} is not a URL"))?;
    let web = matches!(uri.scheme_str(), Some("https" | "http")) && uri.host().is_some();
    if !web || raw.contains(['"', '<', '>', '\\', '`', ' ']) {
        return Err(format!(
            "--base-url {raw:?} must be an http(s) address such as https://owner.github.io/repository/"
        ));
    }
    Ok(if raw.ends_with('/') {
        raw.to_owned()
    } else {
        format!("{raw}/")
    })
}

/// A progress bar on a terminal only (never in CI logs or pipes).
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// `kenkomap import`: convert CSV/GeoJSON into registry YAML. Locations are checked against
/// the site's boundaries when it has them (imported with `kenkomap import areas` first).
pub fn import(cmd: &crate::import::ImportCommand, site: &Path) -> ExitCode {
    let geo = crate::site::load_geo(site);
    let locator = geo
        .as_ref()
        .map(|g| g as &dyn crate::import::MunicipalityLocator);
    match crate::import::run(cmd, site, locator) {
        Ok(report) => {
            eprintln!("{report}");
            ExitCode::from(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
            use crate::import::ImportError::*;
            ExitCode::from(match e {
                Io { .. } | Usage(_) | Exists(_) => EXIT_USAGE,
                Encoding { .. } | Input { .. } | Invalid(_) => EXIT_ERRORS,
            })
        }
    }
}

/// `kenkomap serve`.
pub fn serve(args: crate::serve::ServeArgs) -> ExitCode {
    match crate::serve::serve(args) {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// `kenkomap init DIR [--prefecture CODE|NAME]`.
pub fn init(dir: &Path, prefecture: Option<&str>) -> ExitCode {
    let written = match prefecture {
        None => crate::init::init(dir).map(|files| crate::init::Initialised {
            files,
            ..Default::default()
        }),
        Some(raw) => match crate::init::find_prefecture(raw) {
            Ok(p) => crate::init::init_prefecture(dir, &p, &init_command(dir, &p)),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    match written {
        Ok(site) => {
            for w in &site.warnings {
                eprintln!("warning: {w}");
            }
            for f in &site.files {
                eprintln!("  created {}", f);
            }
            eprintln!(
                "new site in {dir}. Next:\n  cd {dir}\n  kenkomap serve",
                dir = dir.display()
            );
            ExitCode::from(EXIT_OK)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The command for the areas file's header: the directory's name only (no home directory in
/// a published file) and the prefecture's code.
fn init_command(dir: &Path, prefecture: &crate::init::Prefecture) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "my-map".into());
    format!("kenkomap init {name} --prefecture {}", prefecture.code)
}
