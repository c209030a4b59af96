//! `kenkomap import`: existing CSVs and boundaries -> registry YAML.
//!
//! Three formats:
//! - `areas`: municipality boundaries (GeoJSON, N03 style) + a membership CSV -> `data/areas/<slug>.yaml`
//!   and `data/boundaries/<slug>-municipalities.geojson`.
//! - `ods`: 自治体標準オープンデータセット-style CSV (the files of 高松市オープンデータ and the like)
//!   -> `data/<kind>/<prefix>.yaml`.
//! - `mhlw`: the 医療情報ネット facility CSV of 厚生労働省 -> `data/facilities/mhlw.yaml`.
//!
//! The conversions are pure functions ([`import_ods`], [`import_mhlw`], [`import_areas`],
//! [`render_yaml`]) that tests call on text; [`run`] reads the files, calls them and writes the
//! output, refusing to overwrite an existing file unless `--force`.

mod areas;
mod columns;
mod hours;
#[cfg(test)]
mod hours_corpus;
mod merge;
mod mhlw;
mod ods;
mod romaji;
mod table;
mod text;
mod yaml;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::registry::Kind;
pub use areas::{AreasInput, AreasOutput, PREFECTURES, import_areas};
pub use merge::{MergeCounts, Supplement};
pub use mhlw::{MhlwOptions, import_mhlw};
pub use ods::{Field, Filter, OdsOptions, TypeRule, import_ods, import_workbook};
// For `examples/national-tables.rs`, which romanises the names of the national tables.
pub use romaji::{hepburn, municipality_name_en};
pub use text::{check_digit, muni_code6};

/// The importers check points against the site's boundaries through geo's trait.
pub use crate::geo::MunicipalityLocator;

/// How far outside its declared municipality a point may lie before it is flagged. The
/// boundaries are simplified, so points on the coast and on small islands (男木島) fall just
/// outside them.
pub const OUTSIDE_TOLERANCE_KM: f64 = 1.0;

/// Default credit of `import areas`.
pub const AREAS_SOURCE: &str =
    "国土数値情報（行政区域データ、医療圏データ）（国土交通省）を加工して作成";
/// Default attribution of `import mhlw`.
pub const MHLW_SOURCE: &str = "厚生労働省 医療情報ネット オープンデータ (政府標準利用規約 2.0)";

/// `kenkomap import <format> ...`
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ImportCommand {
    /// Municipality boundaries (GeoJSON, N03 style) and a membership CSV
    /// (pref_code,muni_code5,muni_name,area_code,area_name) -> data/areas/<slug>.yaml and
    /// data/boundaries/<slug>-municipalities.geojson
    Areas(AreasArgs),
    /// A 自治体標準オープンデータセット-style CSV (e.g. 高松市オープンデータ) or workbook (.xlsx,
    /// .xls, .ods) -> data/<kind>/<prefix>.yaml
    Ods(OdsArgs),
    /// The 医療情報ネット facility CSV of 厚生労働省 -> data/facilities/mhlw.yaml
    Mhlw(MhlwArgs),
}

/// Where the output goes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArgs {
    /// Output file, relative to the site directory [default: data/<kind>/<id-prefix>.yaml]
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite output files that already exist
    #[arg(long)]
    pub force: bool,
    /// Write every row as a record of its own, even rows that are places other files of the
    /// kind already have (by default those become `supplements:` of the existing records)
    #[arg(long)]
    pub no_merge: bool,
}

/// `kenkomap import areas`
#[derive(Debug, Clone, clap::Args)]
pub struct AreasArgs {
    /// Municipality boundaries: GeoJSON FeatureCollection, lon/lat, one or more features per
    /// municipality (N03: N03_007 = 5-digit code, N03_004 = name)
    #[arg(value_name = "BOUNDARIES")]
    pub boundaries: PathBuf,
    /// Membership CSV: pref_code,muni_code5,muni_name,area_code,area_name (国土数値情報 A38)
    #[arg(long, value_name = "FILE")]
    pub membership: PathBuf,
    /// Prefecture code (2 digits, e.g. 37 for 香川県); other prefectures' rows and features are skipped
    #[arg(long, value_name = "CODE")]
    pub prefecture: String,
    /// Feature property holding the municipality code (5 or 6 digits)
    #[arg(long, value_name = "NAME", default_value = "N03_007")]
    pub code_property: String,
    /// Feature property holding the municipality name
    #[arg(long, value_name = "NAME", default_value = "N03_004")]
    pub name_property: String,
    /// CSV with kana readings of municipality names (columns cid or lgcode, and citykana; e.g.
    /// localgovjp): English names by Hepburn romanisation, without the 市/町/村 suffix
    #[arg(long, value_name = "FILE")]
    pub readings: Option<PathBuf>,
    /// CSV with English names of the areas: area_code,name_en
    #[arg(long, value_name = "FILE")]
    pub area_names: Option<PathBuf>,
    /// File name stem of the outputs [default: the prefecture's English name, e.g. kagawa]
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// Credit line for the header comment
    #[arg(
        long,
        value_name = "TEXT",
        default_value = AREAS_SOURCE
    )]
    pub source: String,
    /// Overwrite output files that already exist
    #[arg(long)]
    pub force: bool,
}

/// `kenkomap import ods`
#[derive(Debug, Clone, clap::Args)]
pub struct OdsArgs {
    /// The CSV file (UTF-8 with or without BOM, or Shift_JIS/CP932; comma- or tab-separated),
    /// or a workbook (.xlsx, .xls, .ods)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Kind of the records: where they go (data/<kind>/)
    #[arg(long, value_enum)]
    pub kind: Kind,
    /// Type of every record (e.g. health_center, park, sports_facility) [default: the values
    /// of the 種別キー column, as in kenkomap's CSV exports]
    #[arg(long = "type", value_name = "TYPE", conflicts_with = "type_from")]
    pub record_type: Option<String>,
    /// Column that decides the type of each record: its values are types, or are mapped to
    /// types by --type-map
    #[arg(long, value_name = "COLUMN")]
    pub type_from: Option<String>,
    /// Values of the type column and their types: 病院=hospital,歯科=dental_clinic,...; `*` in a
    /// value matches any text (*診療所=clinic), and `*=TYPE` is the type of all other values.
    /// The type column is --type-from, or the file's 種別/種類/医療機関の種類/施設区分 column,
    /// or the name
    #[arg(
        long,
        value_name = "VALUE=TYPE,...",
        value_delimiter = ',',
        conflicts_with = "record_type"
    )]
    pub type_map: Vec<String>,
    /// Import only the rows whose COLUMN has one of the values (repeatable)
    #[arg(long = "where", value_name = "COLUMN=VALUE,...")]
    pub where_: Vec<String>,
    /// Leave out the rows whose COLUMN has one of the values (repeatable)
    #[arg(long = "where-not", value_name = "COLUMN=VALUE,...")]
    pub where_not: Vec<String>,
    /// The sheet of a workbook (.xlsx, .xls, .ods) [default: the first sheet with a header row]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Prefix of the record ids: <prefix>-<source id> [default: from the file name, e.g.
    /// health_center__data.csv -> health-center]; also the output file name
    #[arg(long, value_name = "PREFIX")]
    pub id_prefix: Option<String>,
    /// Keep the file's ids as they are (each must be a slug [a-z0-9-]) instead of
    /// <prefix>-<source id>; the default for kenkomap's own CSV exports (with a 種別キー column)
    /// unless --id-prefix is given
    #[arg(long)]
    pub keep_ids: bool,
    /// Column holding the source's id [default: #property, №, No, ID]
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,
    /// Use COLUMN for a field, overriding the header detection: name, name_kana, name_en,
    /// address, lat, lon, phone, fax, email, url, days, start, end, hours_note, description,
    /// departments, beds, municipality, and the fields of kenkomap's CSV exports (hours, fee,
    /// accessibility, languages, status, verified, valid_until, source, sample, description_en,
    /// emergency, checkups, amenities, course_km, smoke_free, certification.name|since|until,
    /// menus, audiences, topics, channels, max_employees, reservation, anonymous, serves,
    /// registration.number|until) (repeatable)
    #[arg(long = "column", value_name = "FIELD=COLUMN")]
    pub columns: Vec<String>,
    /// Municipality code (5 or 6 digits) for records whose row has none; written to defaults:
    #[arg(long, value_name = "CODE")]
    pub municipality: Option<String>,
    /// The address column omits prefecture and municipality (国土数値情報 P28): prefix them,
    /// with the names from data/areas/*.yaml
    #[arg(long)]
    pub address_relative: bool,
    /// Attribution written to defaults: source, e.g. "高松市オープンデータ (CC BY 4.0)"
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// CSV `name,name_kana`: readings for names the source gives none (search finds places by
    /// their reading: たかまつしほけんじょ)
    #[arg(long, value_name = "FILE")]
    pub kana: Option<PathBuf>,
    /// Another field for defaults: (so for every record), its value written as YAML, e.g.
    /// --set 'topics=[mental_health, general_health]' (repeatable)
    #[arg(long = "set", value_name = "FIELD=YAML")]
    pub set: Vec<String>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `kenkomap import mhlw`
#[derive(Debug, Clone, clap::Args)]
pub struct MhlwArgs {
    /// The 医療情報ネット facility CSV (e.g. 01-1_hospital_facility_info_YYYYMMDD.csv)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Prefix of the record ids: <prefix>-<ID column>
    #[arg(long, value_name = "PREFIX", default_value = "mhlw")]
    pub id_prefix: String,
    /// Only rows of this prefecture (2-digit 都道府県コード), for the national file
    #[arg(long, value_name = "CODE")]
    pub prefecture: Option<String>,
    /// Attribution written to defaults: source
    #[arg(
        long,
        value_name = "TEXT",
        default_value = MHLW_SOURCE
    )]
    pub source: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// A problem found in the input that did not stop the import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The line of the source CSV where the record starts (1-based), when it is about a record;
    /// the row, in a sheet.
    pub line: Option<u64>,
    pub message: String,
    /// The sheet, for a workbook.
    pub sheet: Option<String>,
}

impl Warning {
    pub fn at(line: u64, message: impl Into<String>) -> Self {
        Warning {
            line: Some(line),
            message: message.into(),
            sheet: None,
        }
    }
    pub fn file(message: impl Into<String>) -> Self {
        Warning {
            line: None,
            message: message.into(),
            sheet: None,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.sheet, self.line) {
            (Some(s), Some(l)) => write!(f, "sheet {s}, row {l}: {}", self.message),
            (Some(s), None) => write!(f, "sheet {s}: {}", self.message),
            (None, Some(l)) => write!(f, "line {l}: {}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// A phone number or URL with an optional label (the department it reaches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub value: String,
    pub label: Option<String>,
}

/// `phone:` / `url:`: one plain string, or a list of labelled values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contact {
    One(String),
    Many(Vec<Labelled>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// A field the YAML writer has no slot for, with its value already written as YAML
/// (see `yaml::Extra*` helpers: scalars go through serde_saphyr, lists are flow lists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extra {
    /// One line of YAML: a scalar, a flow list `[a, b]` or a flow map `{ k: v }`.
    Inline(String),
    /// A block list, one line of YAML per item (`- { name: …, kcal: 620 }`).
    Block(Vec<String>),
}

/// One imported record, in the fields of the registry schema (`crate::registry`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Line of the source CSV where the record starts.
    pub line: u64,
    pub id: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub name_en: Option<String>,
    /// `type:`
    pub kind_type: String,
    pub municipality: Option<String>,
    pub address: Option<String>,
    pub phone: Option<Contact>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub url: Option<Contact>,
    pub location: Option<LatLon>,
    pub hours: Option<String>,
    pub hours_note: Option<String>,
    pub departments: Vec<String>,
    pub beds: Option<u32>,
    pub amenities: Vec<String>,
    pub status: Option<String>,
    /// Other fields, in the order written (before `status`): see [`Extra`].
    pub extra: Vec<(String, Extra)>,
    pub description: Option<String>,
    pub description_en: Option<String>,
    /// Official codes by scheme (`codes: { mhlw: "3711370100010" }`).
    pub codes: Vec<(String, String)>,
    /// `# CHECK:` comments: what a human should look at.
    pub checks: Vec<String>,
}

/// The result of converting one CSV: a registry file's content plus warnings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imported {
    pub kind: Option<Kind>,
    /// Header comment lines (without `# `).
    pub header: Vec<String>,
    /// `defaults:` in order.
    pub defaults: Vec<(String, String)>,
    /// `defaults:` given with `--set`, values already YAML (written as they are).
    pub raw_defaults: Vec<(String, String)>,
    pub records: Vec<Record>,
    /// Fields for records of other files (rows that are places the site already has).
    pub supplements: Vec<Supplement>,
    pub warnings: Vec<Warning>,
    /// Data rows read from the source (some may have been skipped: see the warnings).
    pub rows: usize,
    /// The source file's name, for problems reported at its lines.
    pub source_name: String,
}

impl Imported {
    /// Checks locations against municipalities with the locator, adding CHECK comments.
    pub fn check_locations(&mut self, locator: &dyn MunicipalityLocator) {
        let default_muni = self
            .defaults
            .iter()
            .find(|(k, _)| k == "municipality")
            .map(|(_, v)| v.clone());
        let mut unknown: Vec<String> = Vec::new();
        for r in &mut self.records {
            let Some(loc) = r.location else { continue };
            let declared = r.municipality.clone().or_else(|| default_muni.clone());
            let found = locator.locate(loc.lat, loc.lon);
            match declared {
                Some(code) => match locator.distance_km(&code, loc.lat, loc.lon) {
                    None => {
                        if !unknown.contains(&code) {
                            self.warnings.push(Warning::file(format!(
                                "municipality {code} is not in the boundaries: location checks skipped for it"
                            )));
                            unknown.push(code);
                        }
                    }
                    Some(d) if d > OUTSIDE_TOLERANCE_KM => {
                        let msg = format!(
                            "location {}, {} is {d:.1} km outside municipality {code}{}",
                            loc.lat,
                            loc.lon,
                            match &found {
                                Some(f) => format!(" (it lies in {f})"),
                                None => " (in no municipality)".into(),
                            }
                        );
                        self.warnings.push(Warning::at(r.line, msg.clone()));
                        r.checks.push(msg);
                    }
                    Some(_) => {}
                },
                None => {
                    if found.is_none() {
                        let msg = format!(
                            "location {}, {} is in no municipality and the record has no municipality",
                            loc.lat, loc.lon
                        );
                        self.warnings.push(Warning::at(r.line, msg.clone()));
                        r.checks.push(msg);
                    }
                }
            }
        }
    }
}

/// Renders an imported registry file as YAML (deterministic: same input, same bytes).
pub fn render_yaml(imp: &Imported) -> String {
    yaml::render_records(imp)
}

/// A file written by [`run`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub path: PathBuf,
    /// Records (or areas, for the areas file; features, for boundaries).
    pub count: usize,
}

/// What [`run`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub files: Vec<WrittenFile>,
    /// Records read from the source (rows, or municipalities for areas).
    pub read: usize,
    /// Records written.
    pub written: usize,
    /// Records needing a human: `# CHECK` comments written.
    pub checks: usize,
    /// Rows merged into records of other files, when the import looked for them.
    pub merge: Option<MergeCounts>,
    pub warnings: Vec<Warning>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        for file in &self.files {
            writeln!(f, "wrote {} ({})", file.path.display(), file.count)?;
        }
        if let Some(m) = &self.merge {
            writeln!(
                f,
                "{} merged (supplements of existing records), {} new, {} conflicting",
                m.merged, m.new, m.conflicting
            )?;
        }
        write!(
            f,
            "{} read, {} written, {} to check (# CHECK), {}",
            self.read,
            self.written,
            self.checks,
            match self.warnings.len() {
                1 => "1 warning".to_owned(),
                n => format!("{n} warnings"),
            }
        )
    }
}

/// Why an import failed.
#[derive(Debug)]
pub enum ImportError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Encoding {
        what: String,
        message: String,
    },
    /// The input is not what the format expects (missing column, bad value that cannot be skipped).
    Input {
        what: String,
        line: Option<u64>,
        message: String,
    },
    /// Bad options.
    Usage(String),
    /// The output exists and --force was not given.
    Exists(PathBuf),
    /// What the import would write does not pass `check`: each problem at its source line.
    /// Nothing was written.
    Invalid(Vec<String>),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            ImportError::Encoding { what, message } => write!(f, "{what}: {message}"),
            ImportError::Input {
                what,
                line: Some(l),
                message,
            } => write!(f, "{what}:{l}: {message}"),
            ImportError::Input {
                what,
                line: None,
                message,
            } => write!(f, "{what}: {message}"),
            ImportError::Usage(m) => f.write_str(m),
            ImportError::Exists(p) => write!(
                f,
                "{} exists; pass --force to overwrite it (check `git diff` afterwards)",
                p.display()
            ),
            ImportError::Invalid(problems) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                write!(
                    f,
                    "the imported records would not pass `kenkomap check` ({} {}); nothing was written",
                    problems.len(),
                    if problems.len() == 1 {
                        "problem"
                    } else {
                        "problems"
                    }
                )
            }
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The largest CSV file an import reads (the national 医療情報ネット file is 4 MB) and the
/// longest field in it: a hostile or broken file is refused before it is parsed, instead of
/// taking gigabytes of memory.
const MAX_CSV_BYTES: u64 = 100 << 20;
const MAX_CSV_FIELD: usize = 1 << 20;
/// Unsimplified boundaries are large: 国土数値情報 N03 for all of Japan is ~500 MB.
const MAX_GEOJSON_BYTES: u64 = 1 << 30;

/// Reads a regular file of at most `limit` bytes (a FIFO or device would block or never end).
fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ImportError> {
    use std::io::Read;
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let refuse = |message: String| ImportError::Input {
        what: path.display().to_string(),
        line: None,
        message,
    };
    if !meta.is_file() {
        return Err(refuse("not a regular file".to_owned()));
    }
    let too_large = || {
        refuse(format!(
            "larger than {} MB, the most an import reads",
            limit >> 20
        ))
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A CSV file's text, decoded, with no field longer than [`MAX_CSV_FIELD`].
fn read_text(path: &Path) -> Result<String, ImportError> {
    csv_text(&read(path, MAX_CSV_BYTES)?, path)
}

/// [`read_text`] of bytes already read.
fn csv_text(bytes: &[u8], path: &Path) -> Result<String, ImportError> {
    let what = path.display().to_string();
    let text = text::decode(bytes, &what)?;
    if let Some(line) = text::overlong_field(&text, MAX_CSV_FIELD) {
        return Err(ImportError::Input {
            what,
            line: Some(line),
            message: format!(
                "a field is longer than {} MB; is this a CSV file (an unclosed quote?)",
                MAX_CSV_FIELD >> 20
            ),
        });
    }
    Ok(text)
}

/// A GeoJSON or YAML file's text (not CSV: no field scan).
fn read_document(path: &Path) -> Result<String, ImportError> {
    text::decode(&read(path, MAX_GEOJSON_BYTES)?, &path.display().to_string())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn resolve(site_dir: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_owned()
    } else {
        site_dir.join(p)
    }
}

/// What written records are checked against: the site, and the records in the order the
/// YAML lists them, with their source lines.
struct CheckAgainst<'a> {
    site_dir: &'a Path,
    records: &'a [Record],
    source: &'a str,
}

/// Writes the outputs, runs the site's `check` over them, and puts everything back as it was
/// when a written file has an error: an import exits 0 only with files that pass `check`.
/// Problems are reported at the source line of the record they are in.
fn write_checked(
    outputs: &[(PathBuf, String)],
    force: bool,
    against: Option<CheckAgainst>,
) -> Result<(), ImportError> {
    let previous: Vec<Option<Vec<u8>>> =
        outputs.iter().map(|(p, _)| std::fs::read(p).ok()).collect();
    write_all(outputs, force)?;
    let Some(against) = against else {
        return Ok(());
    };
    let problems = problems_in(outputs, &against);
    if problems.is_empty() {
        return Ok(());
    }
    for ((path, _), old) in outputs.iter().zip(previous) {
        let _ = match old {
            Some(bytes) => std::fs::write(path, bytes),
            None => std::fs::remove_file(path),
        };
    }
    Err(ImportError::Invalid(problems))
}

/// The errors `check` finds in the written files, as `source:line: record id: message (code)`.
fn problems_in(outputs: &[(PathBuf, String)], against: &CheckAgainst) -> Vec<String> {
    let Ok(checked) = crate::site::check(against.site_dir, crate::site::today_in_japan()) else {
        return Vec::new();
    };
    // Without site.yaml and an areas file (`import areas` comes first) codes and places
    // cannot be checked yet: the import says so in its warnings.
    if checked
        .site
        .as_ref()
        .is_none_or(|site| site.geo.areas.is_empty())
    {
        return Vec::new();
    }
    let written: Vec<PathBuf> = outputs
        .iter()
        .filter_map(|(p, _)| p.strip_prefix(against.site_dir).ok().map(Path::to_path_buf))
        .collect();
    let mut problems = Vec::new();
    for d in checked.diagnostics.iter().filter(|d| d.is_error()) {
        let mut spans = d
            .span
            .iter()
            .chain(d.notes.iter().filter_map(|n| n.span.as_ref()));
        let Some(span) = spans.find(|s| written.iter().any(|w| w == checked.sources.path(s.file)))
        else {
            continue;
        };
        let text = &checked.sources.get(span.file).text;
        let at = match record_at_line(text, span.line).and_then(|i| against.records.get(i)) {
            Some(r) => format!("{}:{}: record {}", against.source, r.line, r.id),
            None => format!("{}: the file's defaults", against.source),
        };
        problems.push(format!("{at}: {} ({})", d.message, d.code));
    }
    problems
}

/// Which record (index in file order) a line of an imported registry file belongs to.
fn record_at_line(yaml: &str, line: u32) -> Option<usize> {
    yaml.lines()
        .take(line as usize)
        .filter(|l| l.starts_with("  - id: ") || l.starts_with("- id: "))
        .count()
        .checked_sub(1)
}

/// Writes all outputs, or none if one exists and `force` is false. Each file is written to a
/// temporary file beside it and renamed into place.
fn write_all(outputs: &[(PathBuf, String)], force: bool) -> Result<(), ImportError> {
    if !force && let Some((p, _)) = outputs.iter().find(|(p, _)| p.exists()) {
        return Err(ImportError::Exists(p.clone()));
    }
    for (path, content) in outputs {
        let io = |source| ImportError::Io {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = path.with_extension("tmp-import");
        std::fs::write(&tmp, content).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
    }
    Ok(())
}

fn quote_arg(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./=,:+@%".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

impl ImportCommand {
    /// The command line that reproduces this import (for the header comment).
    pub fn command_line(&self) -> String {
        let mut a: Vec<String> = vec!["kenkomap".into(), "import".into()];
        // `/` on every platform: the header must not change when a file is re-imported on Windows.
        let p = |p: &Path| p.display().to_string().replace('\\', "/");
        let flag = |a: &mut Vec<String>, f: &str, v: Option<String>| {
            if let Some(v) = v {
                a.push(f.into());
                a.push(v);
            }
        };
        match self {
            ImportCommand::Areas(x) => {
                a.push("areas".into());
                a.push(p(&x.boundaries));
                flag(&mut a, "--membership", Some(p(&x.membership)));
                flag(&mut a, "--prefecture", Some(x.prefecture.clone()));
                if x.code_property != "N03_007" {
                    flag(&mut a, "--code-property", Some(x.code_property.clone()));
                }
                if x.name_property != "N03_004" {
                    flag(&mut a, "--name-property", Some(x.name_property.clone()));
                }
                flag(&mut a, "--readings", x.readings.as_deref().map(p));
                flag(&mut a, "--area-names", x.area_names.as_deref().map(p));
                flag(&mut a, "--slug", x.slug.clone());
                if x.source != AREAS_SOURCE {
                    flag(&mut a, "--source", Some(x.source.clone()));
                }
            }
            ImportCommand::Ods(x) => {
                a.push("ods".into());
                a.push(p(&x.file));
                flag(&mut a, "--kind", Some(x.kind.as_str().into()));
                flag(&mut a, "--type", x.record_type.clone());
                flag(&mut a, "--type-from", x.type_from.clone());
                if !x.type_map.is_empty() {
                    flag(&mut a, "--type-map", Some(x.type_map.join(",")));
                }
                for w in &x.where_ {
                    flag(&mut a, "--where", Some(w.clone()));
                }
                for w in &x.where_not {
                    flag(&mut a, "--where-not", Some(w.clone()));
                }
                flag(&mut a, "--sheet", x.sheet.clone());
                flag(&mut a, "--id-prefix", x.id_prefix.clone());
                if x.keep_ids {
                    a.push("--keep-ids".into());
                }
                flag(&mut a, "--id-column", x.id_column.clone());
                for c in &x.columns {
                    flag(&mut a, "--column", Some(c.clone()));
                }
                flag(&mut a, "--municipality", x.municipality.clone());
                if x.address_relative {
                    a.push("--address-relative".into());
                }
                flag(&mut a, "--source", x.source.clone());
                flag(&mut a, "--kana", x.kana.as_deref().map(p));
                for kv in &x.set {
                    flag(&mut a, "--set", Some(kv.clone()));
                }
                flag(&mut a, "--out", x.output.out.as_deref().map(p));
                if x.output.no_merge {
                    a.push("--no-merge".into());
                }
            }
            ImportCommand::Mhlw(x) => {
                a.push("mhlw".into());
                a.push(p(&x.file));
                if x.id_prefix != "mhlw" {
                    flag(&mut a, "--id-prefix", Some(x.id_prefix.clone()));
                }
                flag(&mut a, "--prefecture", x.prefecture.clone());
                if x.source != MHLW_SOURCE {
                    flag(&mut a, "--source", Some(x.source.clone()));
                }
                flag(&mut a, "--out", x.output.out.as_deref().map(p));
                if x.output.no_merge {
                    a.push("--no-merge".into());
                }
            }
        }
        a.iter().map(|s| quote_arg(s)).collect::<Vec<_>>().join(" ")
    }
}

/// The types `site.yaml` declares for `kind` (`types: { facilities: { acupuncture: … } }`);
/// none when it is missing or unreadable (`check` reports that).
fn site_types(site_dir: &Path, kind: Kind) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(site_dir.join("site.yaml")) else {
        return Vec::new();
    };
    let Ok(config) = serde_saphyr::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    config["types"][kind.as_str()]
        .as_object()
        .map(|types| types.keys().cloned().collect())
        .unwrap_or_default()
}

fn finish_records(
    mut imp: Imported,
    locator: Option<&dyn MunicipalityLocator>,
    site_dir: &Path,
    out: PathBuf,
    output: &OutputArgs,
    read: usize,
) -> Result<ImportReport, ImportError> {
    let merge = if output.no_merge {
        None
    } else {
        Some(merge_with_site(&mut imp, site_dir, &out)?)
    };
    match locator {
        Some(l) => imp.check_locations(l),
        None => imp.warnings.push(Warning::file(
            "no boundaries loaded: locations were not checked against municipalities",
        )),
    }
    let yaml = render_yaml(&imp);
    // In the order the YAML lists them: records, then supplements (each starts `  - id: `).
    let in_file: Vec<Record> = imp
        .records
        .iter()
        .cloned()
        .chain(imp.supplements.iter().map(|s| s.record.clone()))
        .collect();
    let checked = CheckAgainst {
        site_dir,
        records: &in_file,
        source: &imp.source_name,
    };
    write_checked(&[(out.clone(), yaml)], output.force, Some(checked))?;
    Ok(ImportReport {
        files: vec![WrittenFile {
            path: out,
            count: imp.records.len(),
        }],
        read,
        written: imp.records.len(),
        checks: imp.records.iter().filter(|r| !r.checks.is_empty()).count(),
        merge,
        warnings: imp.warnings,
    })
}

/// Merges `imp` with the records of the site's other files (all but `out`, the file this
/// import writes, so that a re-import finds the same places and writes the same bytes).
fn merge_with_site(
    imp: &mut Imported,
    site_dir: &Path,
    out: &Path,
) -> Result<MergeCounts, ImportError> {
    let relative = out.strip_prefix(site_dir).unwrap_or(out);
    // No readable site yet: nothing to merge with.
    let (existing, files) = crate::site::records_except(site_dir, relative).unwrap_or_default();
    let file_of = |r: &crate::registry::Record| {
        files
            .get(r.span.file.0 as usize)
            .map(|p| p.display().to_string().replace('\\', "/"))
            .unwrap_or_default()
    };
    let before = imp.records.len();
    let (supplements, counts) = merge::merge(imp, &existing, &file_of);
    if counts.merged > 0 {
        let was = format!("({before} records)");
        for line in &mut imp.header {
            if line.contains(&was) {
                *line = line.replace(
                    &was,
                    &format!("({} records, {} supplements)", counts.new, counts.merged),
                );
            }
        }
        imp.header.push(format!(
            "{} rows are places other files already have: `supplements:` (at the end) gives those records the fields they lack.",
            counts.merged
        ));
    }
    imp.supplements = supplements;
    Ok(counts)
}

/// A `name,name_kana` CSV (a header line, then one name per line).
fn read_kana(
    text: &str,
    path: &Path,
) -> Result<std::collections::BTreeMap<String, String>, ImportError> {
    let mut out = std::collections::BTreeMap::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| ImportError::Input {
            what: path.display().to_string(),
            line: Some(i as u64 + 2),
            message: e.to_string(),
        })?;
        if let (Some(name), Some(kana)) = (row.get(0), row.get(1)) {
            out.insert(name.trim().to_owned(), kana.trim().to_owned());
        }
    }
    Ok(out)
}

/// Runs an import: reads the inputs, converts, writes under `site_dir`.
pub fn run(
    cmd: &ImportCommand,
    site_dir: &Path,
    locator: Option<&dyn MunicipalityLocator>,
) -> Result<ImportReport, ImportError> {
    match cmd {
        ImportCommand::Ods(args) => {
            let mut opts = OdsOptions::from_args(args)?;
            opts.command = cmd.command_line();
            if let Some(path) = &args.kana {
                opts.kana = read_kana(&read_text(path)?, path)?;
            }
            opts.site_types = site_types(site_dir, args.kind);
            let areas_dir = site_dir.join("data/areas");
            if args.address_relative {
                opts.municipality_names = areas::municipality_names(&areas_dir)?;
            } else if areas_dir.is_dir() {
                // Prefecture names for addresses that start with the municipality.
                opts.municipality_names = areas::municipality_names(&areas_dir).unwrap_or_default();
            }
            let bytes = read(&args.file, MAX_CSV_BYTES)?;
            let imp = if table::is_workbook(&file_name(&args.file), &bytes) {
                import_workbook(&bytes, args.sheet.as_deref(), &opts)?
            } else {
                import_ods(&csv_text(&bytes, &args.file)?, &opts)?
            };
            let read = imp.rows;
            let out = match &args.output.out {
                Some(p) => resolve(site_dir, p),
                None => site_dir
                    .join("data")
                    .join(args.kind.as_str())
                    .join(format!("{}.yaml", opts.id_prefix)),
            };
            finish_records(imp, locator, site_dir, out, &args.output, read)
        }
        ImportCommand::Mhlw(args) => {
            let text = read_text(&args.file)?;
            let opts = MhlwOptions {
                source_file: file_name(&args.file),
                id_prefix: text::slug(&args.id_prefix),
                prefecture: args.prefecture.clone(),
                source: args.source.clone(),
                command: cmd.command_line(),
            };
            let imp = import_mhlw(&text, &opts)?;
            let read = imp.rows;
            let out = match &args.output.out {
                Some(p) => resolve(site_dir, p),
                None => site_dir
                    .join("data/facilities")
                    .join(format!("{}.yaml", opts.id_prefix)),
            };
            finish_records(imp, locator, site_dir, out, &args.output, read)
        }
        ImportCommand::Areas(args) => {
            let input = AreasInput {
                boundaries_json: read_document(&args.boundaries)?,
                boundaries_file: file_name(&args.boundaries),
                membership_csv: read_text(&args.membership)?,
                membership_file: file_name(&args.membership),
                prefecture: args.prefecture.clone(),
                code_property: args.code_property.clone(),
                name_property: args.name_property.clone(),
                readings_csv: args.readings.as_deref().map(read_text).transpose()?,
                area_names_csv: args.area_names.as_deref().map(read_text).transpose()?,
                slug: args.slug.clone(),
                source: args.source.clone(),
                geojson_source: None,
                command: cmd.command_line(),
            };
            let out = import_areas(&input)?;
            let yaml_path = site_dir
                .join("data/areas")
                .join(format!("{}.yaml", out.slug));
            let geo_path = site_dir.join("data").join(&out.boundaries_path);
            write_all(
                &[
                    (yaml_path.clone(), out.yaml.clone()),
                    (geo_path.clone(), out.geojson.clone()),
                ],
                args.force,
            )?;
            Ok(ImportReport {
                files: vec![
                    WrittenFile {
                        path: yaml_path,
                        count: out.areas,
                    },
                    WrittenFile {
                        path: geo_path,
                        count: out.features,
                    },
                ],
                read: out.municipalities,
                written: out.municipalities,
                checks: 0,
                merge: None,
                warnings: out.warnings,
            })
        }
    }
}
