//! Markdown from YAML descriptions and content pages, rendered safely.
//!
//! Raw HTML is never passed through: it is shown as text (the validator warns, W0402). Link
//! and image targets are kept only for http(s), mailto and tel, and for relative paths, so a
//! `javascript:` URL cannot reach a page.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        // A colon before any slash, ? or # means a scheme.
        Some((scheme, _)) if !scheme.contains(['/', '?', '#']) => {
            matches!(scheme, "http" | "https" | "mailto" | "tel")
        }
        _ => true,
    }
}

/// The URL if it is safe, otherwise empty (the link or image goes nowhere).
fn checked_url(url: CowStr<'_>) -> CowStr<'_> {
    if safe_url(&url) {
        url
    } else {
        CowStr::from("")
    }
}

/// Renders Markdown to HTML with raw HTML escaped and unsafe URLs removed.
/// `heading_offset` shifts heading levels (a description under the page's h2 starts at h3).
pub fn to_html(markdown: &str, heading_offset: u8) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: checked_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: checked_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level, heading_offset),
            id,
            classes,
            attrs,
        }),
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => Event::End(
            pulldown_cmark::TagEnd::Heading(shift(level, heading_offset)),
        ),
        other => other,
    });
    let events = join_japanese_lines(events.collect());
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    out
}

/// Wide East Asian characters (kana, kanji, full-width forms and punctuation), between which a
/// line break is no space (CSS Text's segment break rule, which browsers do not apply yet).
pub fn is_wide(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}' | '\u{FFE0}'..='\u{FFE6}' | '\u{20000}'..='\u{3FFFF}')
}

/// Drops the soft line breaks of Markdown between two wide characters: 「ごとに\n健康づくり」
/// reads 「ごとに健康づくり」, not 「ごとに 健康づくり」.
fn join_japanese_lines(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let last = |e: &Event| match e {
        Event::Text(t) | Event::Code(t) => t.chars().last(),
        _ => None,
    };
    let first = |e: &Event| match e {
        Event::Text(t) | Event::Code(t) => t.chars().next(),
        _ => None,
    };
    for i in 0..events.len() {
        if matches!(events[i], Event::SoftBreak) {
            let before = events[..i].iter().rev().find_map(|e| match e {
                Event::Text(_) | Event::Code(_) => last(e),
                Event::Start(_) | Event::End(_) => None,
                _ => Some(' '),
            });
            let after = events[i + 1..].iter().find_map(|e| match e {
                Event::Text(_) | Event::Code(_) => first(e),
                Event::Start(_) | Event::End(_) => None,
                _ => Some(' '),
            });
            if before.is_some_and(is_wide) && after.is_some_and(is_wide) {
                events[i] = Event::Text(CowStr::from(""));
            }
        }
    }
    events
}

fn shift(level: pulldown_cmark::HeadingLevel, by: u8) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    let n = (level as u8 + by).min(6);
    [H1, H2, H3, H4, H5, H6][(n - 1) as usize]
}

/// The first paragraph as plain text (for meta descriptions and feeds).
pub fn plain_summary(markdown: &str, max_chars: usize) -> String {
    let mut text = String::new();
    let mut pending = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => {
                if pending
                    && !(text.chars().last().is_some_and(is_wide)
                        && t.chars().next().is_some_and(is_wide))
                {
                    text.push(' ');
                }
                pending = false;
                text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => pending = true,
            Event::End(pulldown_cmark::TagEnd::Paragraph) if !text.is_empty() => break,
            _ => {}
        }
    }
    if text.chars().count() > max_chars {
        let cut: String = text.chars().take(max_chars).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The whole text without markup, one line per paragraph, heading or list item (for open
/// data fields that are plain text). A line break inside a paragraph joins the lines, with a
/// space only between Latin letters or digits (Japanese text has none).
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::TagEnd;
    let mut out = String::new();
    let mut pending_space = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                if pending_space
                    && out
                        .ends_with(|c: char| c.is_ascii_alphanumeric() || c.is_ascii_punctuation())
                    && t.starts_with(|c: char| c.is_ascii_alphanumeric())
                {
                    out.push(' ');
                }
                pending_space = false;
                out.push_str(&t);
            }
            Event::SoftBreak => pending_space = true,
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => {
                pending_space = false;
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_line_break_between_japanese_characters_is_no_space() {
        assert_eq!(
            to_html("地域ごとに\n健康づくりを", 0),
            "<p>地域ごとに健康づくりを</p>\n"
        );
        assert_eq!(to_html("health\ncheck", 0), "<p>health\ncheck</p>\n");
        assert_eq!(
            plain_summary("地域ごとに\n健康づくり\nand more", 80),
            "地域ごとに健康づくり and more"
        );
    }
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let html = to_html("a <script>alert(1)</script> b", 0);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let block = to_html("<div onclick=\"x()\">\nhi\n</div>\n", 0);
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn javascript_links_are_dropped() {
        let html = to_html(
            "[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [ok](https://example.jp/)",
            0,
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("href=\"https://example.jp/\""));
    }

    #[test]
    fn headings_shift() {
        assert_eq!(to_html("# T", 2), "<h3>T</h3>\n");
    }

    #[test]
    fn plain() {
        assert_eq!(
            plain_text("**健康**づくりの\n拠点です。\n\n- a\n- b\n\nWord\nwrap"),
            "健康づくりの拠点です。\na\nb\nWord wrap"
        );
    }

    #[test]
    fn summary() {
        assert_eq!(
            plain_summary("**健康**づくりの\n拠点です。\n\n次の段落", 100),
            // A line break between Japanese characters is no space (issue 15).
            "健康づくりの拠点です。"
        );
    }
}
