//! What is left to do before a site is published: the placeholders `kenkomap init` writes,
//! fictional sample records, and the `# CHECK:` marks importers leave for a human. Each is a
//! warning (W0508), so that `check` shows a council at a glance what remains.

use crate::diagnostics::{Code, Diagnostic, FileId, Sources, Span};
use crate::registry::{AreasFile, Record};

/// Values `kenkomap init` writes as placeholders in site.yaml.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "https://example.github.io/my-map/",
        "`base_url` is the placeholder from `kenkomap init`: set it to the site's published address (the GitHub Pages URL), which links, the sitemap and the print sheets' QR codes use",
    ),
    (
        "サンプル県 健康情報マップ",
        "`title` is the placeholder from `kenkomap init`: give the site its name",
    ),
];

/// Every leftover of the site, in file order.
pub fn leftovers(
    sources: &Sources,
    config: Option<FileId>,
    areas: &[AreasFile],
    registries: &[FileId],
    records: &[Record],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(file) = config {
        out.extend(placeholders(sources, file));
    }
    out.extend(areas.iter().filter_map(placeholder_prefecture));
    out.extend(samples(records));
    for &file in registries {
        out.extend(check_marks(sources, file));
    }
    out
}

fn placeholders(sources: &Sources, file: FileId) -> Vec<Diagnostic> {
    let text = &sources.get(file).text;
    PLACEHOLDERS
        .iter()
        .filter_map(|(value, message)| {
            let span = find(text, file, value)?;
            Some(Diagnostic::new(Code::Leftover, span, *message))
        })
        .collect()
}

/// The span of the first line holding `needle` as a value (not in a comment).
fn find(text: &str, file: FileId, needle: &str) -> Option<Span> {
    text.lines().enumerate().find_map(|(i, line)| {
        let code = line.split(" #").next().unwrap_or(line);
        if line.trim_start().starts_with('#') {
            return None;
        }
        let at = code.find(needle)?;
        Some(Span {
            file,
            line: i as u32 + 1,
            col: code[..at].chars().count() as u32 + 1,
            len: needle.chars().count() as u32,
        })
    })
}

/// Prefecture codes run from 01 to 47; `init`'s example prefecture is 99.
fn placeholder_prefecture(file: &AreasFile) -> Option<Diagnostic> {
    let code = &file.prefecture.code;
    let real = code
        .value
        .parse::<u8>()
        .is_ok_and(|c| (1..=47).contains(&c));
    (!real).then(|| {
        Diagnostic::new(
            Code::Leftover,
            code.span,
            format!("prefecture {} is not a real prefecture: this is the example area from `kenkomap init`", code.value),
        )
        .help("replace this file: `kenkomap init DIR --prefecture CODE` writes a real prefecture's areas, or use `kenkomap import areas`")
    })
}

/// One warning listing the fictional records, at the first of them.
fn samples(records: &[Record]) -> Option<Diagnostic> {
    let samples: Vec<&Record> = records.iter().filter(|r| r.sample).collect();
    let first = samples.first()?;
    let ids: Vec<&str> = samples.iter().map(|r| r.id.value.as_str()).collect();
    let message = match ids.len() {
        1 => format!(
            "1 record is a fictional example (`sample: true`): {}",
            ids[0]
        ),
        n => format!(
            "{n} records are fictional examples (`sample: true`): {}",
            ids.join(", ")
        ),
    };
    let mut d = Diagnostic::new(Code::Leftover, first.id.span, message)
        .help("replace them with real records, or keep them marked: pages show them with a 「サンプル」 badge");
    for other in samples.iter().skip(1) {
        d = d.note(other.id.span, format!("{} is a sample too", other.id.value));
    }
    Some(d)
}

/// `# CHECK:` comments importers write where a human should look.
fn check_marks(sources: &Sources, file: FileId) -> Vec<Diagnostic> {
    let text = &sources.get(file).text;
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            // A comment line of its own (the files' headers mention the mark in prose).
            let at = line
                .find("# CHECK:")
                .filter(|&at| line[..at].trim().is_empty())?;
            let what = line[at + "# CHECK:".len()..].trim();
            let span = Span {
                file,
                line: i as u32 + 1,
                col: line[..at].chars().count() as u32 + 1,
                len: line[at..].chars().count() as u32,
            };
            Some(
                Diagnostic::new(Code::Leftover, span, format!("left to check: {what}"))
                    .help("fix the record if needed, then delete the `# CHECK:` line"),
            )
        })
        .collect()
}
