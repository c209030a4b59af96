//! One place, two sources: how records of different files are recognised as the same place,
//! how their values are compared, and how a file's `supplements:` fill in the fields another
//! file's record lacks.
//!
//! `kenkomap import` uses the matching ([`names_agree`], [`address_key`], [`SAME_PLACE_METRES`])
//! to decide which imported rows are places the site already has; it then writes, instead of a
//! second record, a *supplement*: the existing record's id and the fields it lacks. The loader
//! applies the supplements ([`apply_supplements`]) after decoding every file. A supplement only
//! ever fills a gap: when the record has a value of its own (written by hand after the import,
//! say) and it differs from the supplement's, the record keeps its value and W0405 says so.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::{Details, Record, Sp, Supplement};
use crate::diagnostics::{Code, Diagnostic};
use crate::fold::fold;
use crate::registry::vocab::Vocab;

/// Two records of one name at most this far apart are one place (a hospital's campus, a
/// geocoder's error); same-name branches of a chain are farther apart. Further apart, the
/// address decides.
pub const SAME_PLACE_METRES: f64 = 150.0;

/// The fields a supplement may carry: everything but what identifies and places a record.
pub const SUPPLEMENT_FIELDS: &[&str] = &[
    "name_kana",
    "name_en",
    "address",
    "phone",
    "fax",
    "email",
    "url",
    "hours",
    "hours_note",
    "languages",
    "accessibility",
    "fee",
    "description",
    "description_en",
    "codes",
    "departments",
    "beds",
    "emergency",
    "checkups",
    "amenities",
    "course_km",
    "audiences",
    "topics",
    "channels",
    "max_employees",
    "reservation",
    "anonymous",
];

/// Corporate prefixes name the operator, not the place: 医療法人社団清澄会ミタニ病院 and ミタニ病院,
/// 国家公務員共済組合連合会高松病院 and 高松病院 are one hospital. A prefix counts as one when it
/// contains one of these.
const OPERATOR_MARKS: &[&str] = &["法人", "会", "組合", "機構", "財団", "社団", "独立行政"];

/// Whether two names name one place: equal when folded, or one is the other with an operator's
/// name before it (`医療法人和同会吉南病院` / `吉南病院`; not `小林病院` / `林病院`).
pub fn names_agree(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    if a == b {
        return true;
    }
    let (long, short) = if a.chars().count() >= b.chars().count() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if short.chars().count() < 3 {
        return false;
    }
    match long.strip_suffix(short.as_str()) {
        Some(prefix) => OPERATOR_MARKS.iter().any(|m| prefix.contains(m)),
        None => false,
    }
}

/// An address reduced to what two sources agree on: no prefecture or county, digits for the
/// kanji numbers of 丁目・番・号, and `-` for 丁目/番地/番/号 and every hyphen look-alike:
/// `香川県高松市番町四丁目１番３号` and `高松市番町4丁目1-3` give the same key.
pub fn address_key(s: &str) -> String {
    let s: String = s.nfkc().collect();
    let mut s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(i) = s.find(['県', '都', '府']).filter(|&i| i <= 9) {
        s = s[i + '県'.len_utf8()..].to_owned();
    } else if let Some(rest) = s.strip_prefix("北海道") {
        s = rest.to_owned();
    }
    if let Some(i) = s.find('郡').filter(|&i| i <= 12) {
        s = s[i + '郡'.len_utf8()..].to_owned();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        // Kanji numbers directly before 丁目/番/号 (not those of place names: 三谷町).
        let start = i;
        while i < chars.len() && "〇一二三四五六七八九十百千".contains(chars[i]) {
            i += 1;
        }
        if i > start {
            let digits: String = chars[start..i].iter().collect();
            let before_marker = chars
                .get(i)
                .is_some_and(|c| matches!(c, '丁' | '番' | '号'));
            match kanji_number(&digits).filter(|_| before_marker) {
                Some(n) => out.push_str(&n.to_string()),
                None => out.push_str(&digits),
            }
            continue;
        }
        let after_digit = out.chars().last().is_some_and(|c| c.is_ascii_digit());
        let rest: String = chars[i..].iter().take(2).collect();
        if after_digit && (rest == "丁目" || rest == "番地") {
            out.push('-');
            i += 2;
            continue;
        }
        if !after_digit && matches!(chars[i], '番' | '号') {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        match chars[i] {
            '番' | '号' | '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | 'ー' | 'ｰ' | '－'
            | 'の' => {
                // `ー` after a katakana is a long vowel, not a hyphen.
                let long_vowel = matches!(chars[i], 'ー' | 'ｰ')
                    && i > 0
                    && ('\u{30A0}'..='\u{30FF}').contains(&chars[i - 1]);
                if long_vowel {
                    out.push(chars[i]);
                } else if chars[i] == 'の' && !(i > 0 && chars[i - 1].is_ascii_digit()) {
                    out.push('の');
                } else {
                    out.push('-');
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    // `1番地1` and `1-1`, `8番地` and `8`: one hyphen, none at the end.
    let mut key = String::new();
    for c in out.chars() {
        if c == '-' && (key.ends_with('-') || key.is_empty()) {
            continue;
        }
        key.push(c);
    }
    key.trim_end_matches('-').to_owned()
}

fn kanji_number(s: &str) -> Option<u32> {
    let digit = |c: char| "〇一二三四五六七八九".find(c).map(|i| (i / 3) as u32);
    let mut total = 0;
    let mut current = 0;
    let mut plain = true;
    for c in s.chars() {
        match c {
            '十' | '百' | '千' => {
                plain = false;
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                total += if current == 0 { 1 } else { current } * unit;
                current = 0;
            }
            c => {
                let d = digit(c)?;
                current = if plain { current * 10 + d } else { d };
            }
        }
    }
    Some(total + current)
}

/// A value reduced to what must agree between two sources for `field`.
pub fn normalise(field: &str, value: &str) -> String {
    match field {
        "phone" | "fax" => value.chars().filter(char::is_ascii_digit).collect(),
        "url" => {
            let v = value.trim().to_lowercase();
            let v = v
                .strip_prefix("https://")
                .or_else(|| v.strip_prefix("http://"))
                .unwrap_or(&v);
            let v = v.strip_prefix("www.").unwrap_or(v);
            v.trim_end_matches('/')
                .trim_end_matches("/index.html")
                .to_owned()
        }
        "address" => address_key(value),
        "hours" => value.chars().filter(|c| !c.is_whitespace()).collect(),
        "email" => value.trim().to_lowercase(),
        _ => fold(value),
    }
}

/// Whether two lists of values of `field` say the same (in any order). Readings agree when
/// one is the other with the operator's reading before it (イリョウホウジンワドウカイキツナンビョウイン
/// and キツナンビョウイン), as names do.
pub fn same_values(field: &str, a: &[String], b: &[String]) -> bool {
    if field == "name_kana"
        && let ([a], [b]) = (a, b)
    {
        let (a, b) = (fold(a), fold(b));
        let short = a.chars().count().min(b.chars().count());
        return a == b || (short >= 3 && (a.ends_with(&b) || b.ends_with(&a)));
    }
    let key = |v: &[String]| {
        let mut k: Vec<String> = v.iter().map(|x| normalise(field, x)).collect();
        k.sort();
        k.dedup();
        k
    };
    key(a) == key(b)
}

fn one(v: &Option<Sp<String>>) -> Option<Vec<String>> {
    v.as_ref().map(|s| vec![s.value.clone()])
}

fn nonempty(v: Vec<String>) -> Option<Vec<String>> {
    (!v.is_empty()).then_some(v)
}

fn vocab_names<V: Vocab>(v: &[V]) -> Option<Vec<String>> {
    nonempty(v.iter().map(|x| x.as_str().to_owned()).collect())
}

/// The values a record has for `field` (one of [`SUPPLEMENT_FIELDS`]), as text; `None` when it
/// has none.
pub fn values(r: &Record, field: &str) -> Option<Vec<String>> {
    let contacts =
        |c: &[super::Contact]| nonempty(c.iter().map(|c| c.value.value.clone()).collect());
    match field {
        "name_kana" => one(&r.name_kana),
        "name_en" => one(&r.name_en),
        "address" => one(&r.address),
        "phone" => contacts(&r.phone),
        "fax" => one(&r.fax),
        "email" => one(&r.email),
        "url" => contacts(&r.url),
        "hours" => r.hours.as_ref().map(|h| vec![h.raw().to_owned()]),
        "hours_note" => one(&r.hours_note),
        "languages" => nonempty(r.languages.iter().map(|l| l.value.clone()).collect()),
        "accessibility" => vocab_names(&r.accessibility),
        "fee" => r.fee.map(|f| vec![f.as_str().to_owned()]),
        "description" => one(&r.description),
        "description_en" => one(&r.description_en),
        "codes" => nonempty(
            r.codes
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.value))
                .collect(),
        ),
        _ => match &r.details {
            Details::Facility(f) => match field {
                "departments" => nonempty(f.departments.clone()),
                "beds" => f.beds.map(|b| vec![b.to_string()]),
                "emergency" => f.emergency.map(|b| vec![b.to_string()]),
                "checkups" => nonempty(f.checkups.clone()),
                _ => None,
            },
            Details::Park(p) => match field {
                "amenities" => vocab_names(&p.amenities),
                "course_km" => p.course_km.map(|k| vec![k.to_string()]),
                _ => None,
            },
            Details::Consultation(c) => match field {
                "audiences" => vocab_names(&c.audiences),
                "topics" => vocab_names(&c.topics),
                "channels" => vocab_names(&c.channels),
                "max_employees" => c.max_employees.map(|n| vec![n.to_string()]),
                "reservation" => c.reservation.map(|x| vec![x.as_str().to_owned()]),
                "anonymous" => c.anonymous.map(|b| vec![b.to_string()]),
                _ => None,
            },
            Details::Restaurant(_) => None,
        },
    }
}

/// Copies `field` of `from` into `to`.
fn copy(to: &mut Record, from: &Record, field: &str) {
    match field {
        "name_kana" => to.name_kana = from.name_kana.clone(),
        "name_en" => to.name_en = from.name_en.clone(),
        "address" => to.address = from.address.clone(),
        "phone" => to.phone = from.phone.clone(),
        "fax" => to.fax = from.fax.clone(),
        "email" => to.email = from.email.clone(),
        "url" => to.url = from.url.clone(),
        "hours" => to.hours = from.hours.clone(),
        "hours_note" => to.hours_note = from.hours_note.clone(),
        "languages" => to.languages = from.languages.clone(),
        "accessibility" => to.accessibility = from.accessibility.clone(),
        "fee" => to.fee = from.fee,
        "description" => to.description = from.description.clone(),
        "description_en" => to.description_en = from.description_en.clone(),
        "codes" => {
            for (k, v) in &from.codes {
                if !to.codes.iter().any(|(x, _)| x == k) {
                    to.codes.push((k.clone(), v.clone()));
                }
            }
        }
        _ => match (&mut to.details, &from.details) {
            (Details::Facility(t), Details::Facility(f)) => match field {
                "departments" => t.departments = f.departments.clone(),
                "beds" => t.beds = f.beds,
                "emergency" => t.emergency = f.emergency,
                "checkups" => t.checkups = f.checkups.clone(),
                _ => {}
            },
            (Details::Park(t), Details::Park(f)) => match field {
                "amenities" => t.amenities = f.amenities.clone(),
                "course_km" => t.course_km = f.course_km,
                _ => {}
            },
            (Details::Consultation(t), Details::Consultation(f)) => match field {
                "audiences" => t.audiences = f.audiences.clone(),
                "topics" => t.topics = f.topics.clone(),
                "channels" => t.channels = f.channels.clone(),
                "max_employees" => t.max_employees = f.max_employees,
                "reservation" => t.reservation = f.reservation,
                "anonymous" => t.anonymous = f.anonymous,
                _ => {}
            },
            _ => {}
        },
    }
}

fn show(v: &[String]) -> String {
    let s = v.join(", ");
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// Applies every file's `supplements:` to the records they name (in file order), filling only
/// the fields a record lacks. The record's `source` gains the supplement's attribution with the
/// fields it gave: `厚生労働省 …; phone, departments: 高松市オープンデータ (CC BY 4.0)`.
pub fn apply_supplements(records: &mut [Record], supplements: &[Supplement]) -> Vec<Diagnostic> {
    let by_id: HashMap<String, usize> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.value.clone(), i))
        .collect();
    let mut diags = Vec::new();
    for sup in supplements {
        let Some(&i) = by_id.get(sup.target.value.as_str()) else {
            diags.push(
                Diagnostic::new(
                    Code::SupplementUnknown,
                    sup.target.span,
                    format!("supplement for `{}`: no record has this id", sup.target.value),
                )
                .label("no such record")
                .help("the record was renamed or removed: re-run the import that wrote this file, or delete the supplement"),
            );
            continue;
        };
        let target = &mut records[i];
        if target.kind != sup.fields.kind {
            diags.push(
                Diagnostic::new(
                    Code::SupplementUnknown,
                    sup.target.span,
                    format!(
                        "supplement for `{}`: that record is one of {}, not of {}",
                        sup.target.value, target.kind, sup.fields.kind
                    ),
                )
                .label("another kind")
                .note(target.id.span, "the record")
                .help("a supplement adds to a record of its own file's kind; delete it"),
            );
            continue;
        }
        let mut gave = Vec::new();
        for field in &sup.present {
            let Some(new) = values(&sup.fields, field) else {
                continue;
            };
            match values(target, field) {
                None => {
                    copy(target, &sup.fields, field);
                    gave.push(field.clone());
                }
                Some(old) if same_values(field, &old, &new) => {}
                Some(old) => diags.push(
                    Diagnostic::new(
                        Code::SupplementDisagrees,
                        sup.key_spans
                            .iter()
                            .find(|(k, _)| k == field)
                            .map_or(sup.target.span, |(_, s)| *s),
                        format!(
                            "`{}` has {field} {}; this supplement gives {}: the record's own value is kept",
                            target.id.value,
                            show(&old),
                            show(&new)
                        ),
                    )
                    .label("not applied")
                    .note(target.id.span, "the record")
                    .help(format!(
                        "if the supplement is right, change the record's {field} to it; then delete the field here"
                    )),
                ),
            }
        }
        if !gave.is_empty() {
            let by = sup
                .fields
                .source
                .as_ref()
                .map_or("supplement".to_owned(), |s| s.value.clone());
            let note = format!("{}: {by}", gave.join(", "));
            target.source = Some(match &target.source {
                Some(s) => Sp::new(format!("{}; {note}", s.value), s.span),
                None => Sp::new(note, sup.target.span),
            });
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(names_agree(
            "医療法人和同会　吉南病院",
            "医療法人和同会吉南病院"
        ));
        assert!(names_agree("マオカ病院", "医療法人社団弘徳会マオカ病院"));
        assert!(names_agree("高松病院", "国家公務員共済組合連合会高松病院"));
        assert!(names_agree(
            "済生会山口総合病院",
            "社会福祉法人恩賜財団済生会支部山口県済生会山口総合病院"
        ));
        assert!(!names_agree("林病院", "小林病院"));
        assert!(!names_agree(
            "高松市民病院塩江分院",
            "高松市立しおのえ診療所"
        ));
    }

    #[test]
    fn addresses() {
        assert_eq!(
            address_key("香川県高松市番町四丁目１番３号"),
            address_key("香川県高松市番町４丁目１－３")
        );
        assert_eq!(
            address_key("香川県高松市番町四丁目１番３号"),
            "高松市番町4-1-3"
        );
        assert_eq!(
            address_key("香川県高松市牟礼町原８８３番地１"),
            address_key("香川県高松市牟礼町原883-1")
        );
        assert_eq!(
            address_key("香川県高松市田村町１１１４番地"),
            address_key("香川県高松市田村町１１１４")
        );
        assert_eq!(
            address_key("香川県高松市三谷町１６８０－１"),
            "高松市三谷町1680-1"
        );
        assert_eq!(
            address_key("山口県熊毛郡田布施町下田布施937－12"),
            address_key("田布施町下田布施937-12")
        );
        assert_eq!(address_key("西柳３丁目２ー３４"), "西柳3-2-34");
        assert_eq!(kanji_number("二十三"), Some(23));
        assert_eq!(kanji_number("四"), Some(4));
    }

    #[test]
    fn values_normalised() {
        assert!(same_values(
            "phone",
            &["(087)831-7101".into()],
            &["087-831-7101".into()]
        ));
        assert!(same_values(
            "url",
            &["http://www.example.jp/".into()],
            &["https://example.jp".into()]
        ));
        assert!(!same_values("beds", &["232".into()], &["230".into()]));
    }
}
