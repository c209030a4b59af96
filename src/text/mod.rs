//! Text and language helpers shared by every phase that writes text: the site's languages,
//! escaping for HTML and XML, Markdown, thousands separators and day names.
//!
//! This module imports nothing of the crate: it sits below `validate`, `render` and `export`
//! alike, so that the pages, the data files and the diagnostics escape, count and name days
//! the same way (they each had a copy before).

pub mod markdown;

use serde::Serialize;

/// The languages a site is published in. Japanese is always first and lives at `/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    /// Every language, Japanese first.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The language of a code (`ja`, `en`): site.yaml's `languages`, a content file's suffix
    /// and the theme's i18n files read it here, and only here.
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.as_str() == code)
    }

    /// The codes [`Lang::parse`] takes, for "one of" diagnostics.
    pub const CODES: [&str; 2] = ["ja", "en"];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The URL prefix of the language: "" for Japanese, "en/" for English.
    pub fn prefix(self) -> &'static str {
        match self {
            Lang::Ja => "",
            Lang::En => "en/",
        }
    }
}

/// HTML-escapes text for element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for XML (feeds, sitemaps, SVG files): [`escape_html`], leaving out the
/// characters XML 1.0 cannot carry. One of them would make the whole file ill-formed, and
/// feed readers and search engines then reject all of it; the validator warns (W0403).
pub fn escape_xml(s: &str) -> String {
    escape_html(&xml_chars(s))
}

/// Whether XML 1.0 can carry `c` (its `Char` production): not the C0 controls other than tab,
/// line feed and carriage return, nor U+FFFE and U+FFFF. (Lone surrogates cannot occur in a
/// Rust string.)
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` without the characters XML cannot carry (borrowed when it has none, as nearly always).
pub fn xml_chars(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        s.into()
    } else {
        s.chars()
            .filter(|&c| is_xml_char(c))
            .collect::<String>()
            .into()
    }
}

/// Thousands separators ("2,184"): the summary line, the pages' counts and the downloads'
/// sizes.
pub fn count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Day names, Monday first (ISO weekday order, as `jiff`'s `to_monday_zero_offset` indexes
/// them): opening hours, the CSV's 利用可能曜日, schema.org's `DayOfWeek` and the importers
/// all read and write these.
pub mod days {
    /// 月, 火, … 日: tables, the CSV's 利用可能曜日 and the ODS importer's closure columns.
    pub const JA_SHORT: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    /// 月曜日, 火曜日, …
    pub const JA_LONG: [&str; 7] = [
        "月曜日",
        "火曜日",
        "水曜日",
        "木曜日",
        "金曜日",
        "土曜日",
        "日曜日",
    ];
    /// Mon, Tue, …
    pub const EN_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    /// Monday, Tuesday, …: also schema.org's `DayOfWeek` names.
    pub const EN_LONG: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape_html("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("a\u{1}<b"), "a&lt;b");
    }

    #[test]
    fn languages_parse_from_their_codes() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.as_str()), Some(lang));
        }
        assert_eq!(Lang::CODES, Lang::ALL.map(Lang::as_str));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn counts() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
    }
}
