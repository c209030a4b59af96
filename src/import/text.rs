//! Text helpers for importing Japanese open data: decoding, width folding, codes, slugs.

use unicode_normalization::UnicodeNormalization;

use super::ImportError;

/// Decodes a CSV file's bytes.
///
/// UTF-8 (with or without a byte-order mark) is taken as it is. Anything that is not valid
/// UTF-8 is decoded as Shift_JIS (encoding_rs's Shift_JIS is the WHATWG one, i.e. Windows-31J /
/// CP932, which is what Excel on Japanese Windows writes). If that has errors too, the file is
/// refused rather than imported with replacement characters.
pub fn decode(bytes: &[u8], what: &str) -> Result<String, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(utf8_err) => {
            match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes)
            {
                Some(s) => Ok(s.into_owned()),
                None => Err(ImportError::Encoding {
                    what: what.to_owned(),
                    message: format!(
                        "neither UTF-8 (invalid byte at offset {}) nor Shift_JIS/CP932; \
                         save it as UTF-8 and try again",
                        utf8_err.valid_up_to()
                    ),
                }),
            }
        }
    }
}

/// Line breaks as `\n`. The csv crate counts lines wrongly after a CRLF header (the first
/// record of `health_center__data.csv` would be "line 1"), and warnings must name the right line.
pub fn lf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The line on which a CSV field longer than `limit` bytes starts, if there is one. Quotes
/// are followed as the csv crate reads them (`""` inside a quoted field toggles twice).
pub fn overlong_field(text: &str, limit: usize) -> Option<u64> {
    let (mut quoted, mut len, mut line, mut start_line) = (false, 0usize, 1u64, 1u64);
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if !quoted && matches!(b, b',' | b'\n' | b'\r') {
            (len, start_line) = (0, line);
            continue;
        }
        quoted ^= b == b'"';
        len += 1;
        if len > limit {
            return Some(start_line);
        }
    }
    None
}

/// A CSV reader over text held in memory.
pub type CsvReader = csv::Reader<std::io::Cursor<Vec<u8>>>;

/// A CSV reader over `text` (line breaks normalised, see [`lf`]), the header row, and each
/// header as a [`header_key`] for matching. The reader is flexible: rows may be short or long.
pub fn csv_with_keys(
    text: &str,
) -> Result<(CsvReader, csv::StringRecord, Vec<String>), csv::Error> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::Cursor::new(lf(text).into_bytes()));
    let headers = rdr.headers()?.clone();
    let keys = headers.iter().map(header_key).collect();
    Ok((rdr, headers, keys))
}

/// Normalises a CSV header for matching: NFKC (full-width letters and digits, `№` -> `No`),
/// all whitespace removed (`telephone　number`, `名　　称`), ASCII lower case.
pub fn header_key(h: &str) -> String {
    h.nfkc()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Folds full-width ASCII letters and digits to ASCII, half-width katakana to full-width.
/// Leaves Japanese punctuation (（）、。) alone: names keep their typography.
fn fold_char(c: char, out: &mut String) {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c));
        }
        '\u{FF61}'..='\u{FF9F}' => out.extend(c.to_string().nfkc()),
        _ => out.push(c),
    }
}

/// Collapses runs of whitespace to one space and trims. A run that contains an ideographic
/// space (U+3000) becomes one ideographic space: `ＢＣクリニック　高松院` keeps its Japanese
/// spacing, `Shirai Hospital      ( Shirai Byouin)` loses the padding.
fn collapse_spaces(s: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run: Option<bool> = None; // Some(has_ideographic)
    for c in s.chars() {
        if c.is_whitespace() {
            let ideo = c == '\u{3000}';
            run = Some(run.unwrap_or(false) || ideo);
        } else {
            if let Some(ideo) = run.take()
                && !out.is_empty()
            {
                out.push(if ideo && !ascii_only { '\u{3000}' } else { ' ' });
            }
            out.push(c);
        }
    }
    out
}

/// Cleans a name: width folding of letters and digits, whitespace collapsed and trimmed.
pub fn clean_name(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut folded);
    }
    collapse_spaces(&folded, false)
}

/// Cleans free text (notes): trims each line, folds letters and digits, keeps line breaks.
pub fn clean_text(s: &str) -> String {
    let lines: Vec<String> = s
        .lines()
        .map(clean_name)
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

/// Cleans an address: full-width digits, letters, spaces and hyphens to ASCII.
/// `香川県高松市春日町４６８－２` -> `香川県高松市春日町468-2`.
pub fn clean_address(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '－' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' => {
                folded.push('-')
            }
            // The long-vowel mark is used as a hyphen between digits: 1ー2.
            'ー' | 'ｰ'
                if i > 0
                    && is_digit(chars[i - 1])
                    && chars.get(i + 1).is_some_and(|&n| is_digit(n)) =>
            {
                folded.push('-')
            }
            _ => fold_char(c, &mut folded),
        }
    }
    collapse_spaces(&folded, true)
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// NFKC plus trimming: for parsing numbers, times and codes, never for output text.
pub fn nfkc(s: &str) -> String {
    s.nfkc().collect::<String>().trim().to_owned()
}

/// The check digit of a 5-digit 全国地方公共団体コード.
pub fn check_digit(code5: &str) -> Option<char> {
    let d: Vec<u32> = code5
        .chars()
        .map(|c| c.to_digit(10))
        .collect::<Option<_>>()?;
    if d.len() != 5 {
        return None;
    }
    let sum = 6 * d[0] + 5 * d[1] + 4 * d[2] + 3 * d[3] + 2 * d[4];
    char::from_digit((11 - sum % 11) % 10, 10)
}

/// Normalises a municipality code to 6 digits with check digit.
/// Accepts 5 digits (check digit computed) or 6 digits (check digit verified).
pub fn muni_code6(raw: &str) -> Result<String, String> {
    let s = nfkc(raw);
    // Checked before any slicing: `高松` is 6 bytes long too.
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("municipality code {raw:?} is not 5 or 6 digits"));
    }
    match s.len() {
        5 => check_digit(&s)
            .map(|c| format!("{s}{c}"))
            .ok_or_else(|| format!("municipality code {raw:?} is not 5 or 6 digits")),
        6 => {
            let want = check_digit(&s[..5])
                .ok_or_else(|| format!("municipality code {raw:?} is not 5 or 6 digits"))?;
            if s.ends_with(want) {
                Ok(s)
            } else {
                Err(format!(
                    "municipality code {s} has a wrong check digit (expected {}{want})",
                    &s[..5]
                ))
            }
        }
        _ => Err(format!("municipality code {raw:?} is not 5 or 6 digits")),
    }
}

/// A slug `[a-z0-9-]`: ASCII letters and digits kept (lower-cased), everything else a hyphen,
/// hyphens collapsed and trimmed.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfkc() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The id prefix a file name suggests: `health_center__data.csv` -> `health-center`.
pub fn prefix_from_file_name(name: &str) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let stem = stem
        .strip_suffix("__data")
        .or_else(|| stem.strip_suffix("_data"))
        .unwrap_or(stem);
    slug(stem)
}

/// The stable part of a source id: `jp.takamatsu.smartcity.medical.Hospital.12` -> `12`,
/// `5` -> `5`, `ABC-1` -> `abc-1`. Dotted identifiers keep their last segment.
pub fn id_part(raw: &str) -> String {
    let s = nfkc(raw);
    let last = if s.contains('.') && !s.ends_with('.') {
        s.rsplit('.').next().unwrap_or(&s)
    } else {
        &s
    };
    slug(last)
}

/// True when the text is Latin script (English or romaji): ASCII letters, digits, spaces and
/// common punctuation, with at least one letter.
pub fn looks_latin(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || c == ' '
                || "'’.,-&()/:・".contains(c)
                || matches!(c, 'ā' | 'ī' | 'ū' | 'ē' | 'ō' | 'Ā' | 'Ī' | 'Ū' | 'Ē' | 'Ō')
        })
}

/// A cleaned English name: full-width folded, whitespace collapsed, no space just inside
/// parentheses: `Shirai Hospital      ( Shirai Byouin)` -> `Shirai Hospital (Shirai Byouin)`.
pub fn clean_latin(s: &str) -> String {
    let s = nfkc(s);
    let s = collapse_spaces(&s, true);
    s.replace("( ", "(").replace(" )", ")")
}

/// A URL whose host has non-ASCII labels (`http://www.岩国病院.jp/`) with those labels in their
/// ASCII form (`xn--…`, IDNA punycode), which is what the validator and every browser accept;
/// `None` when the host is ASCII already or a label cannot be encoded.
pub fn ascii_host(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(end);
    if host.is_ascii() {
        return None;
    }
    let labels: Option<Vec<String>> = host
        .split('.')
        .map(|l| {
            let l = nfkc(l).to_lowercase();
            if l.is_ascii() {
                Some(l)
            } else {
                punycode(&l).map(|p| format!("xn--{p}"))
            }
        })
        .collect();
    Some(format!("{scheme}://{}{tail}", labels?.join(".")))
}

/// RFC 3492 punycode of one label.
fn punycode(input: &str) -> Option<String> {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let code_points: Vec<u32> = input.chars().map(|c| c as u32).collect();
    let mut out: String = input.chars().filter(char::is_ascii).collect();
    let basic = out.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias) = (128u32, 0u32, 72u32);
    while (handled as usize) < code_points.len() {
        let m = *code_points.iter().filter(|&&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &code_points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(punycode_digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(punycode_digit(q));
                bias = punycode_adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n += 1;
    }
    Some(out)
}

fn punycode_adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 - 1 + 1) * delta / (delta + 38)
}

fn punycode_digit(d: u32) -> char {
    match d {
        0..=25 => char::from(b'a' + d as u8),
        _ => char::from(b'0' + (d - 26) as u8),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_digit_municipality_codes_are_refused_without_panicking() {
        for raw in ["高松", "高松市", "37201x", "３７２０１"] {
            let got = muni_code6(raw);
            assert_eq!(got.is_ok(), raw == "３７２０１", "{raw}: {got:?}");
        }
    }

    #[test]
    fn overlong_fields_are_found_with_their_line() {
        assert_eq!(overlong_field("a,b\nccc,d\n", 3), None);
        assert_eq!(overlong_field("a,b\ncccc,d\n", 3), Some(2));
        // A quoted field with line breaks is one field; `""` is a quote inside it.
        assert_eq!(overlong_field("h\n\"x\n\"\"y\nz\"\n", 5), Some(2));
        assert_eq!(overlong_field("h\n\"x\ny\"\nz\n", 8), None);
    }

    #[test]
    fn check_digits_match_localgovjp() {
        for (c5, c6) in [
            ("37201", "372013"),
            ("37202", "372021"),
            ("37322", "373222"),
            ("37324", "373249"),
            ("37406", "374067"),
            ("01100", "011002"),
            ("13101", "131016"),
        ] {
            assert_eq!(muni_code6(c5).unwrap(), c6);
            assert_eq!(muni_code6(c6).unwrap(), c6);
        }
        assert!(muni_code6("372014").unwrap_err().contains("check digit"));
        assert!(muni_code6("37").is_err());
        assert_eq!(muni_code6("３７２０１").unwrap(), "372013");
    }

    #[test]
    fn cleaning() {
        assert_eq!(header_key("telephone　number"), "telephonenumber");
        assert_eq!(header_key("名　　称"), "名称");
        assert_eq!(header_key("№"), "no");
        assert_eq!(header_key("#property"), "#property");
        assert_eq!(
            clean_name(" ＢＣクリニック　高松院　"),
            "BCクリニック\u{3000}高松院"
        );
        assert_eq!(clean_name("ｱｲｳ  医院"), "アイウ 医院");
        assert_eq!(
            clean_address("香川県高松市春日町４６８－２　２階"),
            "香川県高松市春日町468-2 2階"
        );
        assert_eq!(clean_address("桜町１ー１０"), "桜町1-10");
        assert_eq!(clean_address("ローソン"), "ローソン");
        assert_eq!(
            clean_latin("Shirai Hospital      ( Shirai Byouin)"),
            "Shirai Hospital (Shirai Byouin)"
        );
    }

    #[test]
    fn ids_and_slugs() {
        assert_eq!(id_part("jp.takamatsu.smartcity.medical.Hospital.12"), "12");
        assert_eq!(id_part("５"), "5");
        assert_eq!(id_part("ABC_1"), "abc-1");
        assert_eq!(
            prefix_from_file_name("a/health_center__data.csv"),
            "health-center"
        );
        assert_eq!(
            prefix_from_file_name("hokenjo_P28-13_kagawa.csv"),
            "hokenjo-p28-13-kagawa"
        );
        assert!(looks_latin("St.Martin's Hospital"));
        assert!(looks_latin("Date Byouin,Date Hospital"));
        assert!(!looks_latin("高松病院"));
        assert!(!looks_latin(""));
    }

    #[test]
    fn internationalised_hosts() {
        assert_eq!(
            ascii_host("http://www.岩国病院.jp/").as_deref(),
            Some("http://www.xn--vcsv5k9wyg03a.jp/")
        );
        assert_eq!(
            ascii_host("https://bücher.example/a?b").as_deref(),
            Some("https://xn--bcher-kva.example/a?b")
        );
        assert_eq!(ascii_host("https://example.jp/岩国"), None);
    }

    #[test]
    fn decoding() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("名称,高松市保健所");
        assert_eq!(decode(&sjis, "x").unwrap(), "名称,高松市保健所");
        assert_eq!(decode("\u{FEFF}a,b".as_bytes(), "x").unwrap(), "a,b");
        // 0x82 0xFF is neither UTF-8 nor Shift_JIS.
        assert!(decode(b"a\x82\xFF", "x").is_err());
    }
}
