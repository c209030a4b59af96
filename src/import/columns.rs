//! What the headers of real open-data files mean beyond [`Field::auto`]: spelling variants
//! (brackets, suffixes), the 推奨データセット columns that have no field (known, so not
//! reported as unknown), the columns a type can come from, and "did you mean" suggestions.

use super::ods::Field;
use super::text::header_key;

/// The header's key and the keys it may be a variant of: `住所（所在地）` -> `住所`, `所在地`;
/// `電話番号(代表)` -> `電話番号`; `名称_カナ` -> `名称カナ`.
pub fn key_variants(key: &str) -> Vec<String> {
    let mut out = vec![key.to_owned()];
    let mut push = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some((before, inside, after)) = split_brackets(key) {
        push(format!("{before}{after}"));
        push(inside.to_owned());
        push(format!("{before}{inside}{after}"));
    }
    push(key.replace(['_', '-', '・'], ""));
    out
}

/// `a(b)c` -> (`a`, `b`, `c`), for the first bracket pair (after NFKC: `(`, `[`, `【`, `「`).
fn split_brackets(key: &str) -> Option<(&str, &str, &str)> {
    let open = key.find(['(', '[', '【', '「', '〔'])?;
    let rest = &key[open..];
    let close_rel = rest.find([')', ']', '】', '」', '〕'])?;
    let open_len = rest.chars().next()?.len_utf8();
    let inside = &rest[open_len..close_rel];
    let close_len = rest[close_rel..].chars().next()?.len_utf8();
    Some((&key[..open], inside, &rest[close_rel + close_len..]))
}

/// The field a header feeds: [`Field::auto`] on the header or on one of its variants.
pub fn detect(key: &str) -> Option<Field> {
    key_variants(key).iter().find_map(|k| Field::auto(k))
}

/// 推奨データセット and city-layout columns that have no field in the registry. They are left
/// out without a warning (the header comment lists them).
const KNOWN: &[&str] = &[
    "都道府県名",
    "名称_通称",
    "通称",
    "POIコード",
    "外部識別子",
    "外部識別子の値",
    "所在地_全国地方公共団体コード",
    "町字ID",
    "高度の種別",
    "高度の値",
    "内線番号",
    "連絡先FormURL",
    "連絡先備考（その他、SNSなど）",
    "郵便番号",
    "法人番号",
    "法人の名称",
    "団体名",
    "医療機関コード",
    "時間外における対応",
    "災害拠点分類",
    "状況",
    "画像",
    "画像_ライセンス",
    "小児対応設備の有無",
    "バリアフリー情報",
    "開設年月日",
    "車椅子可",
    "車椅子貸出",
    "ツエ貸出",
    "バリアフリートイレ",
    "スロープ、エレベータ、エスカレータ",
    "点字ブロック等の移動支援",
    "点字や読上による支援",
    "盲導犬・介助犬、聴導犬同伴",
    "字幕",
    "筆談対応",
    "優先駐車場",
    "オストメイト対応トイレ",
    "授乳室",
    "おむつ替えコーナー",
    "飲食可否",
    "ベビーカー貸出",
    "ベビーカー利用",
    "対象者",
    "料金",
    "駐車場",
    "アクセス",
];

/// Headers that say what kind of place a row is: where `--type-map` looks when no
/// `--type-from` is given.
const TYPE_COLUMNS: &[&str] = &[
    "種別",
    "施設種別",
    "種類",
    "施設の種類",
    "医療機関の種類",
    "施設区分",
    "区分",
    "分類",
    "施設分類",
    "業種",
    "alternativename",
];

/// True for a known column with no field.
pub fn is_known(key: &str) -> bool {
    KNOWN
        .iter()
        .chain(TYPE_COLUMNS)
        .any(|k| header_key(k) == key)
}

/// The index of the first column that says what kind of place a row is.
pub fn type_column(keys: &[String]) -> Option<usize> {
    TYPE_COLUMNS
        .iter()
        .find_map(|t| keys.iter().position(|k| *k == header_key(t)))
}

/// The headers the detection knows, as a person would write them: what a suggestion names.
const SPELLINGS: &[&str] = &[
    "名称",
    "名称_カナ",
    "名称_英字",
    "住所",
    "所在地",
    "所在地_連結表記",
    "所在地_都道府県",
    "所在地_市区町村",
    "所在地_町字",
    "所在地_番地以下",
    "建物名等(方書)",
    "方書",
    "緯度",
    "経度",
    "電話番号",
    "FAX番号",
    "メールアドレス",
    "URL",
    "ホームページ",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "利用可能時間特記事項",
    "診療曜日",
    "診療開始時間",
    "診療終了時間",
    "診療日時特記事項",
    "説明",
    "備考",
    "診療科目",
    "病床数",
    "全国地方公共団体コード",
    "都道府県コード又は市区町村コード",
    "ID",
    "NO",
    "latitude",
    "longitude",
    "address",
    "telephone",
];

/// The known header closest to an unknown one, when it is close enough to be a misspelling:
/// `緯土` -> `緯度`, `電話晩号` -> `電話番号`.
pub fn suggest(key: &str) -> Option<&'static str> {
    let len = key.chars().count();
    if SPELLINGS.iter().any(|s| header_key(s) == key) {
        return None;
    }
    SPELLINGS
        .iter()
        .map(|s| (*s, strsim::levenshtein(key, &header_key(s))))
        .filter(|(s, d)| {
            let l = header_key(s).chars().count().max(len);
            *d > 0 && (*d == 1 || *d * 3 <= l)
        })
        .min_by_key(|(_, d)| *d)
        .map(|(s, _)| s)
}

/// A department-mark column of a city layout: one column per 診療科, marked `○` (熊本市).
pub fn is_department_mark_column(key: &str) -> bool {
    key.contains('科') && !key.contains("科目") && key.chars().count() <= 20
}

/// A cell that marks a department-mark column: `○`, `〇`, `●`, `◯`.
pub fn is_mark(cell: &str) -> bool {
    matches!(cell.trim(), "○" | "〇" | "●" | "◯" | "◎")
}

/// A part of the bed count (熊本市: 精神病床数, 結核病床数, 感染症病床数, 一般病床数,
/// 療養病床数), summed when the file has no total.
pub fn is_bed_part(key: &str) -> bool {
    key.ends_with("病床数") && key.chars().count() > 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_of_bracketed_headers() {
        assert_eq!(detect(&header_key("住所（所在地）")), Some(Field::Address));
        assert_eq!(detect(&header_key("電話番号(代表)")), Some(Field::Phone));
        assert_eq!(
            detect(&header_key("所在地_ｰ以下")),
            Some(Field::AddressRest)
        );
        assert_eq!(detect(&header_key("ＴＥＬ")), Some(Field::Phone));
        assert!(is_known(&header_key("連絡先備考（その他、SNSなど）")));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest(&header_key("緯土")), Some("緯度"));
        assert_eq!(suggest(&header_key("経 度x")), Some("経度"));
        assert_eq!(suggest(&header_key("開設年月日")), None);
        assert_eq!(suggest("緯度"), None);
    }

    #[test]
    fn city_layout_columns() {
        assert!(is_department_mark_column(&header_key(
            "内科（ペインクリニック）"
        )));
        assert!(is_department_mark_column("こう門科"));
        assert!(!is_department_mark_column("診療科目その他"));
        assert!(is_bed_part("感染症病床数"));
        assert!(!is_bed_part("病床数"));
    }
}
