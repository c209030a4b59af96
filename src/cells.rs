//! The cells of kenkomap's CSV files (自治体標準オープンデータセット style): the column names,
//! and each kind of value as written (`export::csv`) and read back (`import ods`).
//!
//! Below both the export and the importers, so that neither imports the other: what one
//! writes the other reads, from one definition.

use serde_json::{Map, Value, json};

use crate::registry::Contact;

/// Column headers. The importer recognises each of them.
pub mod col {
    pub const MUNICIPALITY: &str = "全国地方公共団体コード";
    pub const ID: &str = "ID";
    pub const MUNICIPALITY_NAME: &str = "地方公共団体名";
    pub const NAME: &str = "名称";
    pub const NAME_KANA: &str = "名称_カナ";
    pub const NAME_EN: &str = "名称_英字";
    pub const ADDRESS: &str = "所在地_連結表記";
    pub const LAT: &str = "緯度";
    pub const LON: &str = "経度";
    pub const PHONE: &str = "電話番号";
    pub const URL: &str = "URL";
    pub const DAYS: &str = "利用可能曜日";
    pub const START: &str = "開始時間";
    pub const END: &str = "終了時間";
    pub const HOURS_NOTE: &str = "利用可能日時特記事項";
    pub const DESCRIPTION: &str = "備考";

    // facilities
    pub const DEPARTMENTS: &str = "診療科目";
    pub const BEDS: &str = "病床数";
    pub const EMERGENCY: &str = "救急告示";
    pub const CHECKUPS: &str = "健診・検診";
    // parks
    pub const AMENITIES: &str = "設備";
    pub const COURSE_KM: &str = "コース延長_km";
    // restaurants
    pub const SMOKE_FREE: &str = "全面禁煙";
    pub const CERTIFICATION_NAME: &str = "認証制度";
    pub const CERTIFICATION_SINCE: &str = "認証開始日";
    pub const CERTIFICATION_UNTIL: &str = "認証期限";
    pub const MENUS: &str = "ヘルシーメニュー";
    // consultation
    pub const AUDIENCES: &str = "対象者";
    pub const TOPICS: &str = "相談内容";
    pub const CHANNELS: &str = "相談方法";
    pub const MAX_EMPLOYEES: &str = "対象従業員数上限";
    pub const RESERVATION: &str = "予約";
    pub const ANONYMOUS: &str = "匿名相談";
    pub const SERVES: &str = "対象地域コード";
    pub const REGISTRATION_NUMBER: &str = "登録番号";
    pub const REGISTRATION_UNTIL: &str = "登録期限";

    // kenkomap
    pub const TYPE: &str = "種別キー";
    pub const HOURS: &str = "利用可能時間_OSM";
    pub const FAX: &str = "FAX番号";
    pub const EMAIL: &str = "メールアドレス";
    pub const FEE: &str = "料金区分";
    pub const ACCESSIBILITY: &str = "アクセシビリティ";
    pub const LANGUAGES: &str = "対応言語";
    pub const STATUS: &str = "状態";
    pub const VERIFIED: &str = "情報確認日";
    pub const VALID_UNTIL: &str = "有効期限";
    pub const SOURCE: &str = "出典";
    pub const SAMPLE: &str = "サンプル";
    pub const DESCRIPTION_EN: &str = "備考_英語";
    /// `codes.medical_institution` (the 推奨データセット column).
    pub const MEDICAL_INSTITUTION_CODE: &str = "医療機関コード";
    /// `codes.mhlw`.
    pub const MHLW_ID: &str = "医療情報ネットID";
}

// ---------------------------------------------------------------------------------------------
// Cell formats, shared with `import ods`.
// ---------------------------------------------------------------------------------------------

/// Whether spreadsheet software would take a cell starting so for a formula (OWASP's "CSV
/// injection" list: `=`, `+`, `-`, `@`, and tab and carriage return, past which some read).
fn starts_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `-33.5`, `+1`, `12`: a number to a spreadsheet too, never a formula.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    !int.is_empty() && int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
}

/// A cell as written. Every record value may come from an untrusted pull request, and a cell
/// such as `=HYPERLINK(…)` would run as a formula when a resident opens the file, so it gets a
/// `'` in front (shown as text: the OWASP advice). So does a value that itself starts with `'`
/// and then a formula character or another `'`, so that [`unprotect_cell`] can tell the two
/// apart and every value reads back exactly. Plain numbers (a negative coordinate) stay as
/// they are.
pub fn protect_cell(value: String) -> String {
    let quote = match value.strip_prefix('\'') {
        Some(rest) => rest.starts_with('\'') || starts_formula(rest),
        None => starts_formula(&value) && !is_plain_number(&value),
    };
    if quote { format!("'{value}") } else { value }
}

/// The value of a cell of kenkomap's own export: [`protect_cell`] undone.
pub fn unprotect_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with('\'') || starts_formula(rest) => rest,
        _ => cell,
    }
}

/// Keys (vocabulary values, language codes, municipality codes): comma-separated.
pub fn keys_cell<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    keys.into_iter().collect::<Vec<_>>().join(",")
}

/// Splits a cell of keys. Commas, 読点, semicolons and spaces all separate (keys contain none).
pub fn parse_keys(cell: &str) -> Vec<String> {
    cell.split([',', '，', '、', ';', ' ', '　', '\n', '\r', '\t'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Free-text items (診療科目, 健診): joined with `、`, or a JSON array when an item would not
/// come back the same (it contains `、`, is blank, or has spaces at its ends).
pub fn texts_cell(items: &[String]) -> String {
    let plain = items
        .iter()
        .all(|s| !s.is_empty() && !s.contains('、') && s.trim() == s && !s.contains(['\n', '\r']))
        && !items.first().is_some_and(|s| s.starts_with('['));
    if plain {
        items.join("、")
    } else {
        serde_json::to_string(items).expect("strings serialise")
    }
}

/// Reads a [`texts_cell`]: a JSON array of strings, or items separated by `、`.
pub fn parse_texts(cell: &str) -> Result<Vec<String>, String> {
    let cell = cell.trim();
    if cell.starts_with('[') {
        return serde_json::from_str::<Vec<String>>(cell)
            .map_err(|e| format!("{cell:?} is not a JSON array of strings ({e})"));
    }
    Ok(cell
        .split('、')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect())
}

/// Phone numbers or URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContactKind {
    Phone,
    Url,
}

impl ContactKind {
    /// The key of the value in the YAML and JSON forms (`{ number, label }`, `{ url, label }`).
    pub fn key(self) -> &'static str {
        match self {
            ContactKind::Phone => "number",
            ContactKind::Url => "url",
        }
    }
}

/// A phone number or URL with its label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledValue {
    pub value: String,
    pub label: Option<String>,
}

/// `電話番号` and `URL`: one value as it is; several as `（label）value （label）value`, the
/// form of the 自治体標準オープンデータセット files. When that form would not read back the
/// same (a label with parentheses, a number with spaces next to an unlabelled one), a JSON
/// array of `{ number|url, label }` objects instead.
pub fn contacts_cell(list: &[Contact], kind: ContactKind) -> String {
    let items: Vec<LabelledValue> = list
        .iter()
        .map(|c| LabelledValue {
            value: c.value.value.clone(),
            label: c.label.clone(),
        })
        .collect();
    let plain = items
        .iter()
        .map(|it| match &it.label {
            Some(l) => format!("（{l}）{}", it.value),
            None => it.value.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ");
    if parse_contacts(&plain, kind).as_ref() == Ok(&items) {
        return plain;
    }
    let json: Vec<Value> = items
        .iter()
        .map(|it| {
            let mut m = Map::new();
            m.insert(kind.key().into(), json!(it.value));
            if let Some(l) = &it.label {
                m.insert("label".into(), json!(l));
            }
            Value::Object(m)
        })
        .collect();
    serde_json::to_string(&json).expect("JSON serialises")
}

fn phone_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')' | '+' | '#')
}

/// Reads a [`contacts_cell`] exactly: labels in full-width parentheses, values as written.
pub fn parse_contacts(cell: &str, kind: ContactKind) -> Result<Vec<LabelledValue>, String> {
    let cell = cell.trim();
    if cell.starts_with('[') {
        return parse_contacts_json(cell, kind);
    }
    let chars: Vec<char> = cell.chars().collect();
    let mut items = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut label = None;
        if chars[i] == '（' {
            let mut depth = 0;
            let mut j = i;
            loop {
                match chars.get(j) {
                    None => return Err(format!("unclosed （ in {cell:?}")),
                    Some('（') => depth += 1,
                    Some('）') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Some(_) => {}
                }
                j += 1;
            }
            label = Some(chars[i + 1..j].iter().collect::<String>());
            i = j + 1;
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
        }
        let start = i;
        match kind {
            ContactKind::Url => {
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
            }
            ContactKind::Phone => {
                while i < chars.len() && phone_char(chars[i]) {
                    i += 1;
                }
            }
        }
        let run: String = chars[start..i].iter().collect::<String>().trim().to_owned();
        if run.is_empty() {
            return Err(match chars.get(i) {
                Some(c) => format!("unexpected {c:?} in {cell:?}"),
                None => format!("a label without a value in {cell:?}"),
            });
        }
        // Several unlabelled numbers in a row: one value if it is a valid number as a whole
        // (`+81 87-839-2860`), else one per space-separated part.
        let values: Vec<String> = if kind == ContactKind::Phone
            && run.contains(' ')
            && crate::validate::formats::phone_problem(&run).is_some()
        {
            run.split_whitespace().map(str::to_owned).collect()
        } else {
            vec![run]
        };
        for (k, value) in values.into_iter().enumerate() {
            items.push(LabelledValue {
                value,
                label: if k == 0 { label.clone() } else { None },
            });
        }
    }
    Ok(items)
}

fn parse_contacts_json(cell: &str, kind: ContactKind) -> Result<Vec<LabelledValue>, String> {
    let bad = |e: String| {
        format!(
            "{cell:?} is not a JSON array of values or {{ \"{}\", \"label\" }} objects ({e})",
            kind.key()
        )
    };
    let list: Vec<Value> = serde_json::from_str(cell).map_err(|e| bad(e.to_string()))?;
    list.into_iter()
        .map(|v| match v {
            Value::String(s) => Ok(LabelledValue {
                value: s,
                label: None,
            }),
            Value::Object(m) => {
                if let Some(k) = m.keys().find(|k| *k != kind.key() && *k != "label") {
                    return Err(bad(format!("unknown key {k:?}")));
                }
                let value = m
                    .get(kind.key())
                    .and_then(Value::as_str)
                    .ok_or_else(|| bad(format!("no \"{}\"", kind.key())))?;
                let label = match m.get("label") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err(bad("a label is text".into())),
                };
                Ok(LabelledValue {
                    value: value.to_owned(),
                    label,
                })
            }
            _ => Err(bad("an item is text or an object".into())),
        })
        .collect()
}

/// `ヘルシーメニュー`: the menus as a JSON array of `{ name, kcal, salt_g, vegetables_g,
/// price_yen }` objects (fields without a value left out), or empty.
pub fn menus_cell(menus: &[crate::registry::Menu]) -> String {
    if menus.is_empty() {
        return String::new();
    }
    let list: Vec<Value> = menus
        .iter()
        .map(|m| {
            let mut o = Map::new();
            o.insert("name".into(), json!(m.name));
            for (k, v) in [
                ("kcal", m.kcal),
                ("salt_g", m.salt_g),
                ("vegetables_g", m.vegetables_g),
            ] {
                if let Some(v) = v {
                    o.insert(k.into(), json!(v));
                }
            }
            if let Some(p) = m.price_yen {
                o.insert("price_yen".into(), json!(p));
            }
            Value::Object(o)
        })
        .collect();
    serde_json::to_string(&list).expect("JSON serialises")
}

/// `true`/`false` and the Japanese ways of saying them; `None` for anything else.
pub fn parse_bool(cell: &str) -> Option<bool> {
    use unicode_normalization::UnicodeNormalization;
    let s: String = cell.trim().nfkc().collect::<String>().to_lowercase();
    match s.as_str() {
        "true" | "1" | "yes" | "y" | "はい" | "有" | "あり" | "○" | "〇" => Some(true),
        "false" | "0" | "no" | "n" | "いいえ" | "無" | "なし" | "×" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lv(value: &str, label: Option<&str>) -> LabelledValue {
        LabelledValue {
            value: value.into(),
            label: label.map(Into::into),
        }
    }

    fn contacts(items: &[LabelledValue]) -> Vec<Contact> {
        items
            .iter()
            .map(|it| Contact {
                value: crate::registry::Sp::new(it.value.clone(), Default::default()),
                label: it.label.clone(),
            })
            .collect()
    }

    #[test]
    fn contacts_round_trip() {
        let cases: Vec<(Vec<LabelledValue>, ContactKind, Option<&str>)> = vec![
            (
                vec![lv("087-839-2860", None)],
                ContactKind::Phone,
                Some("087-839-2860"),
            ),
            (
                vec![
                    lv("087-839-2860", Some("保健医療政策課")),
                    lv("087-839-2870", Some("感染症対策課")),
                ],
                ContactKind::Phone,
                Some("（保健医療政策課）087-839-2860 （感染症対策課）087-839-2870"),
            ),
            (
                vec![lv("+81 87-839-2860", None), lv("#7119", Some("救急"))],
                ContactKind::Phone,
                Some("+81 87-839-2860 （救急）#7119"),
            ),
            (
                vec![lv("0120-111-111", None), lv("0120-222-222", None)],
                ContactKind::Phone,
                Some("0120-111-111 0120-222-222"),
            ),
            (
                vec![lv("087 839 2860", None), lv("087-839-2870", None)],
                ContactKind::Phone,
                None,
            ),
            (
                vec![lv("087-839-2860", Some("窓口（代表）"))],
                ContactKind::Phone,
                Some("（窓口（代表））087-839-2860"),
            ),
            (
                vec![lv("087-839-2860", Some("受付）"))],
                ContactKind::Phone,
                None,
            ),
            (
                vec![
                    lv("https://a.example/x(1).html", Some("A")),
                    lv("https://a.example/健康", None),
                ],
                ContactKind::Url,
                Some("（A）https://a.example/x(1).html https://a.example/健康"),
            ),
            (vec![], ContactKind::Url, Some("")),
        ];
        for (items, kind, form) in cases {
            let cell = contacts_cell(&contacts(&items), kind);
            if let Some(form) = form {
                assert_eq!(cell, form);
            } else {
                assert!(cell.starts_with('['), "{cell}");
            }
            assert_eq!(parse_contacts(&cell, kind).unwrap(), items, "{cell}");
        }
        assert!(parse_contacts("（窓口）", ContactKind::Phone).is_err());
        assert!(parse_contacts("電話 087-839-2860", ContactKind::Phone).is_err());
    }

    #[test]
    fn formulas_are_neutralised_and_read_back() {
        for (value, cell) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+81 87-839-2860", "'+81 87-839-2860"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-1e5", "'-1e5"),
            // A value that looks protected is protected once more.
            ("'=1", "''=1"),
            ("''", "'''"),
            ("'-5", "''-5"),
            // Numbers and other text stay as they are.
            ("-33.8688", "-33.8688"),
            ("-5", "-5"),
            ("+1", "+1"),
            ("0878392860", "0878392860"),
            ("'s Gravenhage", "'s Gravenhage"),
            ("'", "'"),
            ("", ""),
            ("高松市", "高松市"),
        ] {
            assert_eq!(protect_cell(value.to_owned()), cell, "{value:?}");
            assert_eq!(unprotect_cell(cell), value, "{cell:?}");
        }
        assert!(!is_plain_number("-.5") && !is_plain_number("1.2.3") && !is_plain_number("+"));
    }

    #[test]
    fn texts_round_trip() {
        for items in [
            vec!["内科".to_owned(), "外科".into()],
            vec!["内科、外科".into()],
            vec!["[特]".into()],
            vec![],
        ] {
            let cell = texts_cell(&items);
            assert_eq!(parse_texts(&cell).unwrap(), items, "{cell}");
        }
        assert_eq!(texts_cell(&["内科".into(), "外科".into()]), "内科、外科");
        assert_eq!(
            parse_keys("wheelchair, parking、braille"),
            ["wheelchair", "parking", "braille"]
        );
        assert_eq!(parse_bool("ＴＲＵＥ"), Some(true));
        assert_eq!(parse_bool("無"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
