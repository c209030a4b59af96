//! Content pages: `content/<slug>.md` (Japanese) and `content/<slug>.en.md` (English), each
//! with optional YAML front matter between `---` lines.

use crate::diagnostics::{Code, Diagnostic, FileId, Span};
use crate::load::yaml::{self, Node};

#[derive(Clone, Debug)]
pub struct ContentFile {
    pub file: FileId,
    /// File stem without the language suffix: the page's URL segment.
    pub slug: String,
    /// `Some("en")` for `about.en.md`.
    pub lang_suffix: Option<String>,
    pub front: Option<Node>,
    pub body: String,
    /// Line of the first body line in the file (for diagnostics inside the body).
    pub body_line: u32,
}

/// Splits front matter from the body and parses the front matter with spans that count lines
/// from the top of the file.
pub fn parse(text: &str, file: FileId, path: &std::path::Path) -> Result<ContentFile, Diagnostic> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (slug, lang_suffix) = match stem.rsplit_once('.') {
        Some((slug, lang)) => (slug.to_owned(), Some(lang.to_owned())),
        None => (stem, None),
    };
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Ok(ContentFile {
            file,
            slug,
            lang_suffix,
            front: None,
            body: text.to_owned(),
            body_line: 1,
        });
    }
    let mut front = String::from("\n");
    let mut line_no = 1u32;
    for line in lines.by_ref() {
        line_no += 1;
        if line.trim_end() == "---" {
            let node = yaml::parse(&front, file)?;
            let consumed: usize = text
                .split_inclusive('\n')
                .take(line_no as usize)
                .map(str::len)
                .sum();
            return Ok(ContentFile {
                file,
                slug,
                lang_suffix,
                front: Some(node),
                body: text[consumed..].to_owned(),
                body_line: line_no + 1,
            });
        }
        front.push_str(line);
    }
    Err(Diagnostic::new(
        Code::FrontMatter,
        Span {
            file,
            line: 1,
            col: 1,
            len: 3,
        },
        "front matter starts with `---` but is never closed",
    )
    .help("end the front matter with a line containing only `---`"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn parse_named(name: &str, text: &str) -> Result<ContentFile, Diagnostic> {
        parse(text, FileId(0), &PathBuf::from(name))
    }

    #[test]
    fn front_matter_spans_count_from_the_top() {
        let page = parse_named(
            "content/about.md",
            "---\ntitle: このマップについて\nweight: 1\n---\n本文\n",
        )
        .unwrap();
        assert_eq!(page.slug, "about");
        assert_eq!(page.body, "本文\n");
        assert_eq!(page.body_line, 5);
        let weight = page.front.unwrap().get("weight").unwrap().span;
        assert_eq!((weight.line, weight.col), (3, 9));
    }

    #[test]
    fn language_suffix() {
        let page = parse_named("content/about.en.md", "# About\n").unwrap();
        assert_eq!(
            (page.slug.as_str(), page.lang_suffix.as_deref()),
            ("about", Some("en"))
        );
        assert!(page.front.is_none());
    }

    #[test]
    fn unclosed_front_matter() {
        let err = parse_named("content/x.md", "---\ntitle: x\n").unwrap_err();
        assert_eq!(err.code, Code::FrontMatter);
    }
}
