//! Formats of single values: phone numbers, email addresses, URLs, Markdown.

use crate::text::is_xml_char;

/// Why a phone number is refused, in words a clerk can act on.
pub fn phone_problem(s: &str) -> Option<String> {
    if s.chars()
        .any(|c| ('０'..='９').contains(&c) || c == '－' || c == 'ー')
    {
        return Some("write it with half-width digits and hyphens, e.g. 087-839-2860".into());
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '+' | '#')))
    {
        return Some(format!(
            "`{c}` is not allowed in a phone number; put a label in `{{ number, label }}` instead"
        ));
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let domestic =
        s.chars().find(char::is_ascii_digit) == Some('0') && !s.trim_start().starts_with('+');
    if s.trim_start().starts_with('+') {
        // International format: +81 87-839-2860.
        if !(8..=15).contains(&digits) {
            return Some("an international number has 8 to 15 digits".into());
        }
    } else if domestic {
        // 固定電話 10 digits, 携帯・IP・0120/0570/0800 10 or 11 digits.
        if !(10..=11).contains(&digits) {
            return Some(format!(
                "a number starting with 0 has 10 or 11 digits, this one has {digits}"
            ));
        }
    } else if !(3..=4).contains(&digits) {
        // Short numbers such as 189, #7119, #8000 are fine; anything else is incomplete.
        return Some("a number without the area code is incomplete; add the 0… area code".into());
    }
    None
}

pub fn email_problem(s: &str) -> Option<String> {
    let Some((local, domain)) = s.split_once('@') else {
        return Some("an email address needs an `@`".into());
    };
    if local.is_empty() || domain.contains('@') {
        return Some("an email address is name@domain".into());
    }
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';'))
    {
        return Some("an email address has no spaces, quotes, commas or angle brackets".into());
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2
        || labels
            .iter()
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return Some(format!("`{domain}` is not a domain name"));
    }
    None
}

/// A web address: absolute http(s) with a host. Parsed with the `http` crate's URI parser
/// (after percent-encoding non-ASCII, so Japanese paths are accepted).
pub fn url_problem(s: &str) -> Option<String> {
    let lower = s.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Some("a URL starts with https:// (or http://)".into());
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("a URL has no spaces; put several URLs in a list".into());
    }
    // Not allowed in a URL (RFC 3986), and each would end an attribute or a tag wherever the
    // URL is written into a page; the `http` crate's parser lets them through.
    if let Some(c) = s
        .chars()
        .find(|c| matches!(c, '"' | '<' | '>' | '`' | '\\'))
    {
        return Some(format!(
            "`{c}` is not allowed in a URL; write it percent-encoded ({})",
            percent(c)
        ));
    }
    let without_fragment = s.split('#').next().unwrap_or(s);
    let mut encoded = String::with_capacity(without_fragment.len());
    for c in without_fragment.chars() {
        if c.is_ascii() {
            encoded.push(c);
        } else {
            encoded.push_str(&percent(c));
        }
    }
    match encoded.parse::<http::Uri>() {
        Ok(uri) => {
            let host = uri.host().unwrap_or("");
            if host.is_empty() || !(host.contains('.') || host == "localhost") {
                Some(format!("`{host}` is not a host name"))
            } else {
                None
            }
        }
        Err(_) => Some("this is not a valid URL".into()),
    }
}

/// `%22` for `"`.
fn percent(c: char) -> String {
    let mut buf = [0u8; 4];
    c.encode_utf8(&mut buf)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}

/// The first character of a text that no page or feed should carry: what XML cannot (the feeds
/// and sitemaps leave it out) and the other control characters (DEL, U+0080–U+009F), which
/// pages show as boxes or not at all. Tab and line breaks are fine.
pub fn control_char(s: &str) -> Option<char> {
    s.chars()
        .find(|&c| !is_xml_char(c) || (c.is_control() && !matches!(c, '\t' | '\n' | '\r')))
}

/// Byte offsets of raw HTML in a Markdown text (it is escaped when rendered).
pub fn raw_html_offsets(markdown: &str) -> Vec<usize> {
    use pulldown_cmark::{Event, Parser};
    Parser::new(markdown)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Html(_) | Event::InlineHtml(_)))
        .map(|(_, range)| range.start)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for ok in [
            "087-839-2860",
            "0878392860",
            "0120-279-338",
            "0570-064-556",
            "090-1234-5678",
            "+81 87-839-2860",
            "189",
            "#7119",
            "(087) 839-2860",
        ] {
            assert_eq!(phone_problem(ok), None, "{ok}");
        }
        for bad in [
            "087-839-286",
            "８３９-２８６０",
            "839-2860",
            "087-839-2860 内線12",
            "tel",
        ] {
            assert!(phone_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(email_problem("hoken@city.takamatsu.lg.jp"), None);
        for bad in ["hoken", "@city.jp", "a@b", "a b@c.jp", "a@@c.jp", "a@-x.jp"] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://www.city.takamatsu.kagawa.jp/kurashi/index.html",
            "http://www.taka-spo.or.jp/nan1.html",
            "https://example.jp/健康/マップ?x=1#top",
            "http://localhost:1111/",
        ] {
            assert_eq!(url_problem(ok), None, "{ok}");
        }
        for bad in [
            "www.city.jp",
            "https://",
            "https://exa mple.jp",
            "javascript:alert(1)",
            "https://nodot/",
            // A quote or angle bracket would end an attribute wherever the URL is pasted.
            "https://example.jp/\"onmouseover=\"alert(1)",
            "https://example.jp/<script>",
        ] {
            assert!(url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn control_characters() {
        assert_eq!(control_char("高松市保健所\tA\nB\r\n"), None);
        assert_eq!(control_char("😀 ｱ \u{E000} \u{FFFD}"), None);
        for (s, c) in [
            ("a\u{1}b", '\u{1}'),
            ("\u{0}", '\u{0}'),
            ("x\u{1B}[0m", '\u{1B}'),
            ("\u{FFFE}", '\u{FFFE}'),
            ("\u{FFFF}", '\u{FFFF}'),
            ("\u{7F}", '\u{7F}'),
            ("\u{85}", '\u{85}'),
        ] {
            assert_eq!(control_char(s), Some(c), "{s:?}");
        }
        assert!(!is_xml_char('\u{1}') && !is_xml_char('\u{FFFE}'));
        // DEL and C1 controls are XML characters: the exporters keep them, the validator warns.
        assert!(is_xml_char('\u{7F}') && is_xml_char('\u{85}'));
    }

    #[test]
    fn html_in_markdown() {
        assert_eq!(raw_html_offsets("plain **text**"), Vec::<usize>::new());
        assert_eq!(raw_html_offsets("a <script>x</script>").len(), 2);
        assert_eq!(raw_html_offsets("<div>\nblock\n</div>\n")[0], 0);
    }
}
