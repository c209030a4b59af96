//! Hepburn romanisation of kana readings, for English municipality names.
//!
//! The style is the one Japanese municipalities use for their own English names: Hepburn
//! without macrons (long `ou`/`oo` written `o`, `uu` written `u`: しょうどしま -> Shodoshima,
//! とのしょう -> Tonosho), `n` before vowels without an apostrophe (かんおんじ -> Kanonji, as the
//! city writes it), `n` before b/m/p (not `m`), doubled consonants for っ (`tch` before ち).
//! The administrative suffix (市 し, 町 ちょう/まち, 村 むら/そん, 区 く) is dropped when the
//! written name ends with that kanji: 高松市 たかまつし -> Takamatsu. Pages add "City"/"Town" if
//! they need it; the bare name is what maps and signs use.

/// Romanises a kana reading (hiragana or katakana). Returns `None` if it holds anything else.
pub fn hepburn(kana: &str) -> Option<String> {
    let chars: Vec<char> = kana
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(to_hiragana)
        .collect();
    // Syllables as (romaji, is_bare_vowel_u_or_o).
    let mut sylls: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Digraphs: き + ゃ etc.
        if let Some(&next) = chars.get(i + 1)
            && let Some(r) = digraph(c, next)
        {
            sylls.push(r.to_owned());
            i += 2;
            continue;
        }
        sylls.push(mono(c)?.to_owned());
        i += 1;
    }
    let mut out = String::new();
    let mut k = 0;
    while k < sylls.len() {
        let s = sylls[k].as_str();
        match s {
            "Q" => {
                // っ: double the next consonant; ch -> tch.
                if let Some(next) = sylls.get(k + 1) {
                    if next.starts_with("ch") {
                        out.push('t');
                    } else if let Some(c) = next.chars().next()
                        && !"aiueo".contains(c)
                    {
                        out.push(c);
                    }
                }
            }
            "-" => {} // ー: long vowel, not written.
            _ => {
                // Long vowels: ou, oo -> o; uu -> u (only when the second vowel is bare).
                if (s == "u" && (out.ends_with('o') || out.ends_with('u')))
                    || (s == "o" && out.ends_with('o'))
                {
                    // skip
                } else {
                    out.push_str(s);
                }
            }
        }
        k += 1;
    }
    let mut cs = out.chars();
    let first = cs.next()?;
    Some(first.to_ascii_uppercase().to_string() + cs.as_str())
}

/// English name of a municipality from its written name and kana reading.
///
/// A ward of a 政令指定都市 is read with a space between city and ward (localgovjp:
/// 札幌市中央区 さっぽろし ちゅうおうく): each part loses its own suffix, so it reads
/// "Sapporo Chuo" rather than "Sapporoshichuo".
pub fn municipality_name_en(name: &str, kana: &str) -> Option<String> {
    if let Some((city, ward)) = city_and_ward(name)
        && let Some((city_kana, ward_kana)) = kana.trim().split_once(char::is_whitespace)
    {
        return Some(format!(
            "{} {}",
            name_en(city, city_kana)?,
            name_en(ward, ward_kana)?
        ));
    }
    name_en(name, kana)
}

/// 札幌市中央区 -> (札幌市, 中央区); `None` for a name that is not a city's ward.
fn city_and_ward(name: &str) -> Option<(&str, &str)> {
    let name = name.trim();
    let at = name.find('市')? + '市'.len_utf8();
    let (city, ward) = name.split_at(at);
    (ward.ends_with('区') && ward.chars().count() > 1).then_some((city, ward))
}

/// [`municipality_name_en`] of one name and its reading, without the suffix.
fn name_en(name: &str, kana: &str) -> Option<String> {
    let kana: String = kana.trim().chars().map(to_hiragana).collect();
    let suffixes: &[(char, &[&str])] = &[
        ('市', &["し"]),
        ('町', &["ちょう", "まち"]),
        ('村', &["むら", "そん"]),
        ('区', &["く"]),
    ];
    let mut stem = kana.as_str();
    if let Some(last) = name.trim().chars().last()
        && let Some((_, endings)) = suffixes.iter().find(|(k, _)| *k == last)
    {
        for e in *endings {
            if let Some(s) = stem.strip_suffix(e)
                && !s.is_empty()
            {
                stem = s;
                break;
            }
        }
    }
    hepburn(stem)
}

fn to_hiragana(c: char) -> char {
    match c {
        'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
        _ => c,
    }
}

fn digraph(a: char, b: char) -> Option<&'static str> {
    let row = match a {
        'き' => ["kya", "kyu", "kyo"],
        'ぎ' => ["gya", "gyu", "gyo"],
        'し' => ["sha", "shu", "sho"],
        'じ' => ["ja", "ju", "jo"],
        'ち' => ["cha", "chu", "cho"],
        'ぢ' => ["ja", "ju", "jo"],
        'に' => ["nya", "nyu", "nyo"],
        'ひ' => ["hya", "hyu", "hyo"],
        'び' => ["bya", "byu", "byo"],
        'ぴ' => ["pya", "pyu", "pyo"],
        'み' => ["mya", "myu", "myo"],
        'り' => ["rya", "ryu", "ryo"],
        _ => return None,
    };
    match b {
        'ゃ' => Some(row[0]),
        'ゅ' => Some(row[1]),
        'ょ' => Some(row[2]),
        _ => None,
    }
}

fn mono(c: char) -> Option<&'static str> {
    Some(match c {
        'あ' => "a",
        'い' => "i",
        'う' => "u",
        'え' => "e",
        'お' => "o",
        'か' => "ka",
        'き' => "ki",
        'く' => "ku",
        'け' => "ke",
        'こ' => "ko",
        'が' => "ga",
        'ぎ' => "gi",
        'ぐ' => "gu",
        'げ' => "ge",
        'ご' => "go",
        'さ' => "sa",
        'し' => "shi",
        'す' => "su",
        'せ' => "se",
        'そ' => "so",
        'ざ' => "za",
        'じ' => "ji",
        'ず' => "zu",
        'ぜ' => "ze",
        'ぞ' => "zo",
        'た' => "ta",
        'ち' => "chi",
        'つ' => "tsu",
        'て' => "te",
        'と' => "to",
        'だ' => "da",
        'ぢ' => "ji",
        'づ' => "zu",
        'で' => "de",
        'ど' => "do",
        'な' => "na",
        'に' => "ni",
        'ぬ' => "nu",
        'ね' => "ne",
        'の' => "no",
        'は' => "ha",
        'ひ' => "hi",
        'ふ' => "fu",
        'へ' => "he",
        'ほ' => "ho",
        'ば' => "ba",
        'び' => "bi",
        'ぶ' => "bu",
        'べ' => "be",
        'ぼ' => "bo",
        'ぱ' => "pa",
        'ぴ' => "pi",
        'ぷ' => "pu",
        'ぺ' => "pe",
        'ぽ' => "po",
        'ま' => "ma",
        'み' => "mi",
        'む' => "mu",
        'め' => "me",
        'も' => "mo",
        'や' => "ya",
        'ゆ' => "yu",
        'よ' => "yo",
        'ら' => "ra",
        'り' => "ri",
        'る' => "ru",
        'れ' => "re",
        'ろ' => "ro",
        'わ' => "wa",
        'ゐ' => "i",
        'ゑ' => "e",
        'を' => "o",
        'ん' => "n",
        'ゔ' => "vu",
        'ぁ' => "a",
        'ぃ' => "i",
        'ぅ' => "u",
        'ぇ' => "e",
        'ぉ' => "o",
        'ゃ' => "ya",
        'ゅ' => "yu",
        'ょ' => "yo",
        'っ' => "Q",
        'ー' => "-",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kagawa_municipalities() {
        for (name, kana, en) in [
            ("高松市", "たかまつし", "Takamatsu"),
            ("丸亀市", "まるがめし", "Marugame"),
            ("坂出市", "さかいでし", "Sakaide"),
            ("善通寺市", "ぜんつうじし", "Zentsuji"),
            ("観音寺市", "かんおんじし", "Kanonji"),
            ("さぬき市", "さぬきし", "Sanuki"),
            ("東かがわ市", "ひがしかがわし", "Higashikagawa"),
            ("三豊市", "みとよし", "Mitoyo"),
            ("土庄町", "とのしょうちょう", "Tonosho"),
            ("小豆島町", "しょうどしまちょう", "Shodoshima"),
            ("三木町", "みきちょう", "Miki"),
            ("直島町", "なおしまちょう", "Naoshima"),
            ("宇多津町", "うたづちょう", "Utazu"),
            ("綾川町", "あやがわちょう", "Ayagawa"),
            ("琴平町", "ことひらちょう", "Kotohira"),
            ("多度津町", "たどつちょう", "Tadotsu"),
            ("まんのう町", "まんのうちょう", "Manno"),
        ] {
            assert_eq!(
                municipality_name_en(name, kana).as_deref(),
                Some(en),
                "{name}"
            );
        }
    }

    #[test]
    fn other_readings() {
        assert_eq!(hepburn("ハッチョウボリ").as_deref(), Some("Hatchobori"));
        assert_eq!(hepburn("さっぽろ").as_deref(), Some("Sapporo"));
        assert_eq!(hepburn("おおの").as_deref(), Some("Ono"));
        assert_eq!(hepburn("にいがた").as_deref(), Some("Niigata"));
        assert_eq!(hepburn("高松"), None);
        // 町 read まち: 小豆島町 is ちょう, but e.g. 大町 おおまち.
        assert_eq!(
            municipality_name_en("大町市", "おおまちし").as_deref(),
            Some("Omachi")
        );
        assert_eq!(
            municipality_name_en("美郷町", "みさとちょう").as_deref(),
            Some("Misato")
        );
        // 政令指定都市の区: city and ward, each without its suffix.
        assert_eq!(
            municipality_name_en("札幌市中央区", "さっぽろし ちゅうおうく").as_deref(),
            Some("Sapporo Chuo")
        );
        assert_eq!(
            municipality_name_en("北九州市小倉北区", "きたきゅうしゅうし こくらきたく").as_deref(),
            Some("Kitakyushu Kokurakita")
        );
        // A reading without the space is one name.
        assert_eq!(
            municipality_name_en("千代田区", "ちよだく").as_deref(),
            Some("Chiyoda")
        );
    }
}
