//! Diagnostics: what the validator tells council staff.
//!
//! Every diagnostic has a severity, a stable code, a message that says what to do,
//! a location (file, line and column, counted in characters) and optional help.
//! A build collects all of them before reporting, so one run shows every mistake.

mod redact;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

pub use redact::InternalValue;

/// How bad a diagnostic is. Warnings do not fail a build unless `--deny-warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $sev:ident, $title:literal; )*) => {
        /// Stable diagnostic codes. They are listed, with an example each, in the README.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $(#[$doc])* $variant, )* }

        impl Code {
            /// Every code, in order: the README and the fixture tests are checked against this.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed: `E0203`, `W0201`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// A short title used in GitHub annotations and the README table.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }
        }
    };
}

codes! {
    /// The file is not well-formed YAML (including duplicate keys).
    YamlSyntax = "E0001", Error, "YAML syntax error";
    /// The file is not UTF-8 text.
    NotUtf8 = "E0002", Error, "file is not UTF-8";
    /// The document does not have the expected overall shape (e.g. `records` is not a list).
    FileShape = "E0003", Error, "unexpected file structure";
    /// A path that leads out of the site, or a file that is not a regular file or too large.
    FileRefused = "E0004", Error, "file or path refused";
    /// A symbolic link or special file inside the site, which kenkomap does not read.
    NotRead = "W0005", Warning, "link or special file not read";

    MissingField = "E0101", Error, "missing required field";
    UnknownField = "E0102", Error, "unknown field";
    WrongType = "E0103", Error, "wrong type";
    BadId = "E0104", Error, "id is not a slug";
    DuplicateId = "E0105", Error, "duplicate id";
    UnknownType = "E0106", Error, "type not in the kind's vocabulary";
    UnknownValue = "E0107", Error, "value not in the vocabulary";

    BadCheckDigit = "E0201", Error, "municipality code check digit";
    UnknownMunicipality = "E0202", Error, "municipality not in any areas file";
    CoordinateRange = "E0203", Error, "coordinate out of range";
    NullIsland = "E0204", Error, "coordinate 0,0";
    NoPlace = "E0205", Error, "neither municipality nor location";
    Unlocatable = "E0206", Error, "location outside every municipality";
    UnknownServes = "E0207", Error, "serves code does not exist";
    OutsideMunicipality = "W0201", Warning, "location outside its municipality";
    NearestMunicipality = "W0202", Warning, "location assigned to the nearest municipality";
    /// A municipality code the areas files do not list (newer than the boundaries?), placed by
    /// the record's location or by a known succession of codes.
    PlacedAnyway = "W0203", Warning, "unknown municipality code placed by location or succession";

    HoursSyntax = "E0301", Error, "hours do not parse";
    BadPhone = "E0302", Error, "malformed phone number";
    BadEmail = "E0303", Error, "malformed email address";
    BadUrl = "E0304", Error, "malformed URL";
    BadDate = "E0305", Error, "malformed date";
    Expired = "E0306", Error, "validity has ended";
    ExpiresSoon = "W0306", Warning, "validity ends within 60 days";
    Stale = "W0307", Warning, "verified more than a year ago";
    FutureDate = "W0308", Warning, "date in the future";

    DuplicatePlace = "W0401", Warning, "same name at the same place twice";
    RawHtml = "W0402", Warning, "raw HTML in Markdown";
    ControlCharacter = "W0403", Warning, "control character in text";
    /// A `supplements:` entry whose record does not exist (or is of another kind).
    SupplementUnknown = "W0404", Warning, "supplement for no record";
    /// A supplement's value differs from the record's own: the record's is kept.
    SupplementDisagrees = "W0405", Warning, "supplement disagrees with the record";

    MissingConfig = "E0501", Error, "site.yaml missing";
    BadBoundaries = "E0502", Error, "boundaries file unusable";
    MunicipalityTwice = "E0503", Error, "municipality listed twice";
    NoPolygon = "W0504", Warning, "municipality without a boundary polygon";
    NoAreas = "E0505", Error, "no areas file";
    /// Left to do: a placeholder of `init`, sample records, an importer's `# CHECK:` mark.
    Leftover = "W0508", Warning, "placeholder or mark left to check";
    AreaTwice = "E0506", Error, "area code used twice";
    PrefectureTwice = "E0507", Error, "prefecture in two areas files";

    FrontMatter = "E0601", Error, "front matter not closed";
    /// A content page whose URL is a generated page's, or another content page's.
    ContentUrlTaken = "E0602", Error, "content page URL taken";

    Template = "E0701", Error, "template error";
    ThemeAssets = "E0702", Error, "theme packages unusable";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Index of a source file in [`Sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct FileId(pub u32);

/// A place in a source file. Line and column are 1-based; columns and length count characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Span {
    /// A span `offset` characters further on the same line (e.g. inside a string value).
    pub fn shifted(self, offset: u32, len: u32) -> Span {
        Span {
            col: self.col + offset,
            len,
            ..self
        }
    }
}

/// One source file: its path as shown to the user (relative to the site) and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Byte offsets of line starts, computed when a diagnostic first needs a line.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// The `internal` keys of the parsed YAML tree, when the file parsed.
    internal: Arc<[InternalValue]>,
    /// The lines that hold `internal:` values, computed when a diagnostic first shows a line.
    masks: std::sync::OnceLock<redact::Masks>,
}

impl SourceFile {
    /// Line `n` (1-based) without its line ending.
    pub fn line(&self, n: u32) -> Option<&str> {
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let start = *starts.get(n.checked_sub(1)? as usize)?;
        let rest = &self.text[start..];
        let line = rest.split('\n').next().unwrap_or(rest);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The character column from which line `n` holds an `internal:` value, which no
    /// diagnostic may show.
    pub fn internal_from(&self, n: u32) -> Option<u32> {
        self.masks
            .get_or_init(|| redact::masks(yaml_part(&self.path, &self.text), &self.internal))
            .masked_from(n)
    }
}

/// The YAML of a file: all of a `.yaml` file, the front matter of a Markdown page, nothing of
/// a template (whose text may well say "internal:" and holds no registry data).
fn yaml_part<'t>(path: &Path, text: &'t str) -> &'t str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => text,
        Some("md") if text.starts_with("---") => {
            let end = text[3..].find("\n---").map_or(text.len(), |i| i + 3);
            &text[..end]
        }
        _ => "",
    }
}

/// The files diagnostics point into.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, path: PathBuf, text: Arc<str>) -> FileId {
        self.add_parsed(path, text, Arc::from([]))
    }

    /// Adds a YAML file whose parsed tree had `internal` keys at `internal` (see
    /// [`InternalValue`]), so its diagnostics hide them even where the text alone would not
    /// tell.
    pub fn add_parsed(
        &mut self,
        path: PathBuf,
        text: Arc<str>,
        internal: Arc<[InternalValue]>,
    ) -> FileId {
        self.files.push(SourceFile {
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
            internal,
            masks: std::sync::OnceLock::new(),
        });
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A secondary location, e.g. where a duplicate id was first defined.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub span: Option<Span>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
    pub label: Option<String>,
    pub help: Option<String>,
    pub notes: Vec<Note>,
}

impl Diagnostic {
    pub fn new(code: Code, span: impl Into<Option<Span>>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            span: span.into(),
            label: None,
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn note(mut self, span: impl Into<Option<Span>>, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            span: span.into(),
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A growing list of diagnostics. Phases push into it and never stop at the first.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.list.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.list.extend(other);
    }

    pub fn errors(&self) -> usize {
        self.list.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.list.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(Diagnostic::is_error)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Sorts by file, line and column and drops exact duplicates (a `defaults:` value that is
    /// wrong is reported once, not once per record).
    pub fn finish(&mut self) {
        self.list.sort_by(|a, b| {
            let key = |d: &Diagnostic| (d.span.is_some(), d.span, d.code);
            key(a).cmp(&key(b))
        });
        self.list.dedup();
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.into_iter()
    }
}

/// How diagnostics are printed: `--format human|github|json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Github,
    Json,
}

/// Renders one diagnostic in the chosen format (no trailing newline for github/json).
pub fn render(d: &Diagnostic, sources: &Sources, format: Format, color: bool) -> String {
    match format {
        Format::Human => render_human(d, sources, color),
        Format::Github => render_github(d, sources),
        Format::Json => render_json(d, sources),
    }
}

/// The display path: always with forward slashes, so output is the same on every OS.
fn display_path(sources: &Sources, file: FileId) -> String {
    sources.path(file).to_string_lossy().replace('\\', "/")
}

/// The byte range in `line_text` of `len` characters starting at character column `col` (1-based).
fn byte_range(line_text: &str, col: u32, len: u32) -> std::ops::Range<usize> {
    let mut indices = line_text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(line_text.len()));
    let start = indices
        .nth(col.saturating_sub(1) as usize)
        .unwrap_or(line_text.len());
    let end = line_text[start..]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain(std::iter::once(line_text.len()))
        .nth(len.max(1) as usize)
        .unwrap_or(line_text.len());
    start..end.max(start)
}

/// What a diagnostic shows instead of an `internal:` value.
pub const INTERNAL_PLACEHOLDER: &str = "… (internal, not shown)";

/// `text` with everything from character column `col` on replaced by the placeholder, and the
/// underlined `range` cut to what is still shown, or moved onto the placeholder. Spaces stand
/// for the hidden characters before an underline inside the hidden part, so the column shown
/// (`--> file:line:col`) stays the true one.
fn hide_internal(
    text: &str,
    col: u32,
    range: std::ops::Range<usize>,
) -> (Cow<'static, str>, std::ops::Range<usize>) {
    let cut = byte_range(text, col, 0).start;
    if range.start < cut {
        let shown = format!("{}{INTERNAL_PLACEHOLDER}", &text[..cut]);
        return (Cow::Owned(shown), range.start..range.end.min(cut));
    }
    let pad = " ".repeat(text[cut..range.start.min(text.len())].chars().count());
    let shown = format!("{}{pad}{INTERNAL_PLACEHOLDER}", &text[..cut]);
    let start = cut + pad.len();
    (Cow::Owned(shown), start..start + INTERNAL_PLACEHOLDER.len())
}

fn render_human(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    use annotate_snippets::{
        AnnotationKind, Group, Level, Renderer, Snippet, renderer::DecorStyle,
    };

    /// One underlined place: the primary span or a note's span.
    struct Place<'s> {
        path: String,
        line: u32,
        text: Cow<'s, str>,
        range: std::ops::Range<usize>,
        label: Option<&'s str>,
        primary: bool,
    }
    fn place<'s>(
        sources: &'s Sources,
        span: Span,
        label: Option<&'s str>,
        primary: bool,
    ) -> Place<'s> {
        let file = sources.get(span.file);
        let text = file.line(span.line).unwrap_or("");
        let range = byte_range(text, span.col, span.len);
        let (text, range) = match file.internal_from(span.line) {
            Some(col) => hide_internal(text, col, range),
            None => (Cow::Borrowed(text), range),
        };
        Place {
            path: display_path(sources, span.file),
            line: span.line,
            text,
            range,
            label,
            primary,
        }
    }
    let mut places = Vec::new();
    if let Some(span) = d.span {
        places.push(place(sources, span, d.label.as_deref(), true));
    }
    for note in &d.notes {
        if let Some(span) = note.span {
            places.push(place(sources, span, Some(note.message.as_str()), false));
        }
    }

    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group = Group::with_title(level.primary_title(d.message.as_str()).id(d.code.id()));
    for p in &places {
        let kind = if p.primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let mut annotation = kind.span(p.range.clone());
        if let Some(label) = p.label {
            annotation = annotation.label(label);
        }
        group = group.element(
            Snippet::source(p.text.as_ref())
                .line_start(p.line as usize)
                .path(p.path.as_str())
                .annotation(annotation),
        );
    }
    for note in d.notes.iter().filter(|n| n.span.is_none()) {
        group = group.element(Level::NOTE.message(note.message.as_str()));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    renderer.render(&[group])
}

/// Escapes a GitHub workflow command value (`%`, CR, LF; and in properties also `:` and `,`).
fn github_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

fn render_github(d: &Diagnostic, sources: &Sources) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("::{command} ");
    if let Some(span) = &d.span {
        let _ = write!(
            out,
            "file={},line={},col={},",
            github_escape(&display_path(sources, span.file), true),
            span.line,
            span.col
        );
        if span.len > 0 {
            let _ = write!(out, "endColumn={},", span.col + span.len);
        }
    }
    let _ = write!(out, "title={}", github_escape(d.code.id(), true));
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let _ = write!(out, "::{}", github_escape(&message, false));
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    col: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    len: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    notes: Vec<JsonNote<'a>>,
}

#[derive(Serialize)]
struct JsonNote<'a> {
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    col: Option<u32>,
}

fn render_json(d: &Diagnostic, sources: &Sources) -> String {
    let json = JsonDiagnostic {
        severity: d.severity,
        code: d.code.id(),
        message: &d.message,
        file: d.span.map(|s| display_path(sources, s.file)),
        line: d.span.map(|s| s.line),
        col: d.span.map(|s| s.col),
        len: d.span.map(|s| s.len),
        help: d.help.as_deref(),
        notes: d
            .notes
            .iter()
            .map(|n| JsonNote {
                message: &n.message,
                file: n.span.map(|s| display_path(sources, s.file)),
                line: n.span.map(|s| s.line),
                col: n.span.map(|s| s.col),
            })
            .collect(),
    };
    serde_json::to_string(&json).expect("diagnostics serialise")
}

/// "did you mean …?" for a misspelt name among `candidates`.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(input, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A diagnostic that points at a whole file (line 1).
pub fn file_span(file: FileId) -> Span {
    Span {
        file,
        line: 1,
        col: 1,
        len: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources_with(text: &str) -> Sources {
        let mut s = Sources::default();
        s.add(PathBuf::from("data/parks/x.yaml"), text.into());
        s
    }

    #[test]
    fn byte_range_counts_characters() {
        let line = "  name: 高松市保健所 # x";
        let r = byte_range(line, 9, 6);
        assert_eq!(&line[r], "高松市保健所");
    }

    #[test]
    fn human_format_hides_internal_values_and_keeps_the_column() {
        let text = "records:\n  - id: a\n    internal:\n      contact: 山田\n      contact: 山田\n    name: { x: 1 }\n";
        let sources = sources_with(text);
        let at = |line, col| Span {
            file: FileId(0),
            line,
            col,
            len: 2,
        };
        let d = Diagnostic::new(Code::YamlSyntax, at(5, 16), "bad").note(at(6, 5), "here");
        let out = render_human(&d, &sources, false);
        assert!(!out.contains("山田"), "{out}");
        assert!(out.contains("x.yaml:5:16"), "{out}");
        assert!(out.contains("name: { x: 1 }"), "other lines stay: {out}");
        let d = Diagnostic::new(Code::YamlSyntax, at(4, 7), "bad");
        let out = render_human(&d, &sources, false);
        assert!(
            out.contains("4 |       … (internal, not shown)"),
            "the indentation stays: {out}"
        );
    }

    #[test]
    fn github_format_escapes_and_locates() {
        let sources = sources_with("a: 1\n");
        let d = Diagnostic::new(
            Code::BadPhone,
            Span {
                file: FileId(0),
                line: 3,
                col: 12,
                len: 4,
            },
            "phone 12,3 is not a number: 100%\nfix it",
        );
        assert_eq!(
            render_github(&d, &sources),
            "::error file=data/parks/x.yaml,line=3,col=12,endColumn=16,title=E0302::phone 12,3 is not a number: 100%25%0Afix it"
        );
    }

    #[test]
    fn json_format_is_one_object() {
        let sources = sources_with("a: 1\n");
        let d = Diagnostic::new(Code::Stale, None, "old").help("check it");
        let v: serde_json::Value = serde_json::from_str(&render_json(&d, &sources)).unwrap();
        assert_eq!(v["code"], "W0307");
        assert_eq!(v["severity"], "warning");
        assert_eq!(v["help"], "check it");
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.id()), "{} twice", code.id());
            let id = code.id();
            assert_eq!(id.len(), 5);
            let expected = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(id.starts_with(expected), "{id} has the wrong letter");
        }
    }

    #[test]
    fn did_you_mean_finds_close_names() {
        assert_eq!(did_you_mean("adress", ["address", "name"]), Some("address"));
        assert_eq!(did_you_mean("zzz", ["address", "name"]), None);
    }
}
