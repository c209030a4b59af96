//! 医療情報ネット (厚生労働省) facility CSV -> registry records.
//!
//! # What the closure columns mean, and why there is no `hours`
//!
//! The file has no opening times at all: only per-weekday flags headed
//! 毎週決まった曜日に休診（月）…（日）, a flag 祝日に休診, 35 flags 決まった週に休診（定期週）第n週（曜日）
//! and a free-text その他の休診日（gw、お盆等）.
//!
//! Despite the headers, the weekday and holiday flags read `1` = consultations held that day,
//! `0` = closed. The Kagawa rows (2025-06-01) show it:
//! - every one of the 86 hospitals has `1` for Monday to Friday, and 84 have `0` for Sunday;
//!   read literally, every hospital would be closed on weekdays and open on Sundays;
//! - 森川整形外科病院 has `1` for Sunday and holidays, and its free text says
//!   日曜祭日は患者のけが等の処置のため午前中診療 (open Sunday and holiday mornings);
//! - 清水病院 has `1` for Saturday and its free text adds 土曜午後 as a closure, 橋本病院 has `1`
//!   for Thursday and adds 木曜：午後: open in the morning, closed in the afternoon;
//! - 西紋病院, the one `0` on a weekday (Thursday), is a weekday closure.
//!
//! The 定期週 flags contradict the weekly ones (hospitals closed every Sunday have `1` for
//! every Sunday of every week, others have gaps that match nothing), so they are ignored.
//!
//! Without opening times no valid `opening_hours` can be written (`Su,PH off` alone says
//! nothing about when the hospital is open, and a validator would read it as "open 24/7 except
//! Sundays"). So the records get no `hours`, only a Japanese `hours_note` listing the
//! closures: `休診日：日曜・祝日・12月29日〜1月3日`, with the free-text items that are not dates
//! kept as written (`その他：土曜午後`). A flag `1` (open) says nothing about the times, so
//! open days are not listed.

use super::ods::{contact, location};
use super::text::{
    clean_address, clean_latin, clean_name, csv_with_keys, header_key, looks_latin, muni_code6,
    nfkc,
};
use super::{ImportError, Imported, Kind, Record, Warning};

/// Options of [`import_mhlw`].
#[derive(Debug, Clone)]
pub struct MhlwOptions {
    /// The file name, for the header comment.
    pub source_file: String,
    pub id_prefix: String,
    /// Keep only rows of this prefecture (2 digits).
    pub prefecture: Option<String>,
    pub source: String,
    pub command: String,
}

impl MhlwOptions {
    pub fn new(source_file: &str) -> Self {
        MhlwOptions {
            source_file: source_file.to_owned(),
            id_prefix: "mhlw".into(),
            prefecture: None,
            source: super::MHLW_SOURCE.into(),
            command: String::new(),
        }
    }
}

/// 月, 火, … 日: the order of the source's closure columns.
const WEEKDAYS: [&str; 7] = crate::text::days::JA_SHORT;

/// The note for the closure columns; `None` when nothing is closed.
fn closure_note(weekly: &[&str; 7], holiday: &str, other: &str) -> Option<String> {
    let mut items: Vec<String> = Vec::new();
    for (flag, day) in weekly.iter().zip(WEEKDAYS) {
        if flag.trim() == "0" {
            items.push(format!("{day}曜"));
        }
    }
    if holiday.trim() == "0" {
        items.push("祝日".into());
    }
    let (dates, texts) = parse_other(other, holiday.trim() == "0");
    items.extend(dates);
    let mut note = String::new();
    if !items.is_empty() {
        note = format!("休診日：{}", items.join("・"));
    }
    if !texts.is_empty() {
        if !note.is_empty() {
            note.push('。');
        }
        note.push_str(&format!("その他：{}", texts.join("、")));
    }
    (!note.is_empty()).then_some(note)
}

/// Splits その他の休診日 into whole-day dates (runs of three or more days merged:
/// `12月29日〜1月3日`) and other text kept as written.
fn parse_other(s: &str, holidays_closed: bool) -> (Vec<String>, Vec<String>) {
    let s = s.replace("（改行）", "\n").replace("(改行)", "\n");
    let mut days: Vec<(u32, u32)> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for part in s.split([',', '，', '、', '・', '\n']) {
        let part = clean_name(part);
        if part.is_empty() {
            continue;
        }
        match parse_month_day(&nfkc(&part)) {
            Some(md) => {
                if !days.contains(&md) {
                    days.push(md);
                }
            }
            None => texts.push(part),
        }
    }
    // 1/1 is a public holiday: when holidays are closed, 12/31 and 1/2 are one run with it
    // (さぬき市民病院 lists 12/29..12/31 and 1/2..1/3 only).
    if holidays_closed
        && !days.contains(&(1, 1))
        && days.contains(&(12, 31))
        && days.contains(&(1, 2))
    {
        days.push((1, 1));
    }
    // Order from July to June, so that 12/29..1/3 is one run.
    let key = |&(m, d): &(u32, u32)| (if m >= 7 { m } else { m + 12 }, d);
    days.sort_by_key(key);
    let next = |(m, d): (u32, u32)| {
        let len = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m - 1) as usize];
        if d < len { (m, d + 1) } else { (m % 12 + 1, 1) }
    };
    let fmt = |(m, d): (u32, u32)| format!("{m}月{d}日");
    let mut out = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && next(days[j]) == days[j + 1] {
            j += 1;
        }
        if j - i >= 2 {
            out.push(format!("{}〜{}", fmt(days[i]), fmt(days[j])));
        } else {
            out.extend(days[i..=j].iter().map(|&md| fmt(md)));
        }
        i = j + 1;
    }
    (out, texts)
}

/// `01月03日` -> (1, 3); anything else (`12月30日午後`) -> None.
fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let (m, rest) = s.split_once('月')?;
    let d = rest.strip_suffix('日')?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d))
}

/// Converts a 医療情報ネット facility CSV (already decoded) into facility records.
pub fn import_mhlw(text: &str, opts: &MhlwOptions) -> Result<Imported, ImportError> {
    let what = opts.source_file.clone();
    let err = |line: Option<u64>, message: String| ImportError::Input {
        what: what.clone(),
        line,
        message,
    };
    let (mut rdr, headers, keys) =
        csv_with_keys(text).map_err(|e| err(None, format!("cannot read the header row: {e}")))?;
    let find = |prefix: &str| keys.iter().position(|k| k.starts_with(&header_key(prefix)));
    let need = |prefix: &str| {
        find(prefix).ok_or_else(|| {
            err(
                Some(1),
                format!("no column {prefix:?}: is this a 医療情報ネット facility CSV?"),
            )
        })
    };
    let exact = |name: &str| {
        let k = header_key(name);
        keys.iter().position(|x| *x == k).ok_or_else(|| {
            err(
                Some(1),
                format!("no column {name:?}: is this a 医療情報ネット facility CSV?"),
            )
        })
    };
    let c_id = exact("ID")?;
    let c_name = need("正式名称")?;
    let c_kana = keys.iter().position(|k| k == "正式名称(フリガナ)");
    let c_en = find("英語表記");
    let c_class = need("機関区分")?;
    let c_pref = need("都道府県コード")?;
    let c_city = need("市区町村コード")?;
    let c_addr = exact("所在地")?;
    let c_lat = need("所在地座標(緯度)")?;
    let c_lon = need("所在地座標(経度)")?;
    let c_url = find("案内用ホームページアドレス");
    let c_week: Vec<Option<usize>> = WEEKDAYS
        .iter()
        .map(|d| find(&format!("毎週決まった曜日に休診({d})")))
        .collect();
    let c_holiday = find("祝日に休診");
    let c_other = find("その他の休診日");
    let c_beds = find("合計病床数");
    // The bed types that add up to the total (療養病床のうち… are parts of 療養病床).
    let c_bed_parts: Vec<usize> = ["一般病床", "療養病床", "精神病床", "結核病床", "感染症病床"]
        .iter()
        .filter_map(|n| keys.iter().position(|k| k == n))
        .collect();
    let used: Vec<usize> = [
        Some(c_id),
        Some(c_name),
        c_kana,
        c_en,
        Some(c_class),
        Some(c_pref),
        Some(c_city),
        Some(c_addr),
        Some(c_lat),
        Some(c_lon),
        c_url,
        c_holiday,
        c_other,
        c_beds,
    ]
    .into_iter()
    .chain(c_bed_parts.iter().map(|&i| Some(i)))
    .chain(c_week.iter().copied())
    .flatten()
    .collect();
    let weekly_periodic = keys
        .iter()
        .filter(|k| k.starts_with("決まった週に休診"))
        .count();
    let dropped: Vec<&str> = headers
        .iter()
        .enumerate()
        .filter(|(i, k)| !used.contains(i) && !header_key(k).starts_with("決まった週に休診"))
        .map(|(_, h)| h)
        .collect();

    let mut imp = Imported {
        kind: Some(Kind::Facilities),
        source_name: opts.source_file.clone(),
        ..Imported::default()
    };
    if !dropped.is_empty() {
        imp.warnings.push(Warning::file(format!(
            "not imported (no field for them): {}",
            dropped.join(", ")
        )));
    }
    if weekly_periodic > 0 {
        imp.warnings.push(Warning::file(format!(
            "not imported: the {weekly_periodic} 決まった週に休診（定期週） columns (they contradict the weekly columns)"
        )));
    }
    if c_week.iter().any(Option::is_none) {
        imp.warnings.push(Warning::file(
            "some 毎週決まった曜日に休診 columns are missing: closures not imported",
        ));
    }

    let mut seen: std::collections::BTreeMap<String, u64> = Default::default();
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(err(
                    e.position().map(|p| p.line()),
                    format!("CSV error: {e}"),
                ));
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |i: usize| record.get(i).unwrap_or("").trim();
        let opt = |i: Option<usize>| i.map_or("", get);
        let pref = nfkc(get(c_pref));
        if let Some(p) = &opts.prefecture
            && format!("{:0>2}", pref) != format!("{:0>2}", nfkc(p))
        {
            continue;
        }
        imp.rows += 1;
        let mut r = Record {
            line,
            ..Record::default()
        };
        let raw_id = nfkc(get(c_id));
        if raw_id.is_empty() || !raw_id.chars().all(|c| c.is_ascii_alphanumeric()) {
            imp.warnings.push(Warning::at(
                line,
                format!("ID {raw_id:?} is not usable: row skipped"),
            ));
            continue;
        }
        r.id = format!("{}-{}", opts.id_prefix, raw_id.to_ascii_lowercase());
        if raw_id.chars().all(|c| c.is_ascii_digit()) {
            r.codes.push(("mhlw".into(), raw_id.clone()));
        }
        if let Some(first) = seen.insert(r.id.clone(), line) {
            return Err(err(
                Some(line),
                format!("ID {raw_id} again (first on line {first})"),
            ));
        }
        r.name = clean_name(get(c_name));
        if r.name.is_empty() {
            imp.warnings
                .push(Warning::at(line, "no 正式名称: row skipped"));
            continue;
        }
        r.name_kana = Some(clean_name(opt(c_kana))).filter(|s| !s.is_empty());
        let en = opt(c_en);
        if !en.is_empty() {
            if let Some(english) = looks_latin(&nfkc(en)).then(|| english_part(en)).flatten() {
                // Kept as the hospital wrote it (OHTA HOSPITAL, Sanuki municipal hospital): only
                // whitespace is tidied. Romaji (kagawakenritushirotoribyoin, Oka Byouin) is no
                // English name: an English page shows the Japanese name, marked lang="ja".
                r.name_en = Some(clean_latin(&english));
            } else if looks_latin(&nfkc(en)) {
                imp.warnings.push(Warning::at(
                    line,
                    format!(
                        "英語表記 {en:?} looks like romaji, not English: not imported as name_en"
                    ),
                ));
            } else {
                imp.warnings.push(Warning::at(
                    line,
                    format!("英語表記 {en:?} is not in Latin script: not imported"),
                ));
            }
        }
        r.kind_type = match nfkc(get(c_class)).as_str() {
            "1" => "hospital".into(),
            // The national data set has one file per class: 病院 (1), 診療所, 歯科診療所.
            // Only 1 occurs in the hospital file; 2 and 3 follow the order of the files.
            "2" => "clinic".into(),
            "3" => "dental_clinic".into(),
            other => {
                let msg = format!("機関区分 {other:?} unknown: type other");
                imp.warnings.push(Warning::at(line, msg.clone()));
                r.checks.push(msg);
                "other".into()
            }
        };
        let city = nfkc(get(c_city));
        match muni_code6(&format!("{pref:0>2}{city:0>3}")) {
            Ok(c) => r.municipality = Some(c),
            Err(e) => imp.warnings.push(Warning::at(
                line,
                format!("都道府県コード {pref:?} + 市区町村コード {city:?}: {e}"),
            )),
        }
        let addr = clean_address(get(c_addr));
        r.address = (!addr.is_empty()).then_some(addr);
        let mut checks = Vec::new();
        r.url = contact(opt(c_url), true, line, &mut imp.warnings, &mut checks);
        r.checks.append(&mut checks);
        match location(get(c_lat), get(c_lon)) {
            Ok(l) => r.location = l,
            Err(msg) => {
                imp.warnings.push(Warning::at(line, msg.clone()));
                r.checks.push(msg);
            }
        }
        if c_week.iter().all(Option::is_some) {
            let weekly: [&str; 7] = std::array::from_fn(|i| opt(c_week[i]));
            r.hours_note = closure_note(&weekly, opt(c_holiday), opt(c_other));
        }
        let beds = nfkc(opt(c_beds));
        if !beds.is_empty() {
            match beds.parse::<u32>() {
                Ok(n) => r.beds = Some(n),
                Err(_) => imp.warnings.push(Warning::at(
                    line,
                    format!("合計病床数 {beds:?} is not a number"),
                )),
            }
        } else {
            // 大西病院 (2025-06-01): 合計病床数 empty, 精神病床 374.
            let parts: Vec<u32> = c_bed_parts
                .iter()
                .filter_map(|&i| nfkc(get(i)).parse().ok())
                .collect();
            if !parts.is_empty() {
                let n = parts.iter().sum();
                r.beds = Some(n);
                imp.warnings.push(Warning::at(
                    line,
                    format!("合計病床数 is empty: beds {n}, the sum of the bed types"),
                ));
            }
        }
        imp.records.push(r);
    }

    imp.header.push(format!(
        "Imported by kenkomap from {} ({} records).",
        opts.source_file,
        imp.records.len()
    ));
    imp.header.push(format!("Source: {}", opts.source));
    if !opts.command.is_empty() {
        imp.header.push(format!("Command: {}", opts.command));
    }
    imp.header.push(
        "No `hours`: the file has no opening times. hours_note lists the closures from the weekday and"
            .into(),
    );
    imp.header.push(
        "holiday flags (1 = consultations, 0 = closed, whatever the headers say; see src/import/mhlw.rs)."
            .into(),
    );
    imp.header.push(
        "Records marked `# CHECK:` need a human: fix the record, then delete the comment.".into(),
    );
    imp.defaults.push(("source".into(), opts.source.clone()));
    Ok(imp)
}

/// The English of a 英語表記: of names separated by commas, the English ones ("Date
/// Byouin,Date Hospital" -> "Date Hospital"), without a romaji aside in brackets ("Shirai
/// Hospital (Shirai Byouin)" -> "Shirai Hospital"). `None` when it is romaji only.
fn english_part(s: &str) -> Option<String> {
    let names: Vec<String> = s
        .split([',', '、', '/'])
        .map(|name| {
            let mut out = String::new();
            let mut rest = name;
            while let Some(open) = rest.find('(') {
                let close = rest[open..].find(')').map_or(rest.len(), |c| open + c + 1);
                out.push_str(&rest[..open]);
                let aside = &rest[open..close];
                if looks_english(aside) {
                    out.push_str(aside);
                }
                rest = &rest[close..];
            }
            out.push_str(rest);
            out.trim().to_owned()
        })
        .filter(|name| looks_english(name))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// Whether a Latin-script 英語表記 has an English word in it ("Marugame Medical Center"), rather
/// than being romaji only ("Oka Byouin", "kagawakenritushirotoribyoin").
fn looks_english(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "hospital",
        "clinic",
        "center",
        "centre",
        "medical",
        "national",
        "general",
        "university",
        "municipal",
        "city",
        "prefectural",
        "red",
        "cross",
        "rehabilitation",
        "sanatorium",
        "health",
        "children",
        "adults",
        "corporation",
        "neurosurgical",
        "community",
        "organization",
        "insurance",
        "memorial",
        "institute",
        "dental",
        "care",
        "mental",
    ];
    s.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closures() {
        let other = "01月01日，01月02日，01月03日，12月29日，12月30日，12月31日";
        assert_eq!(
            closure_note(&["1", "1", "1", "1", "1", "1", "0"], "0", other).as_deref(),
            Some("休診日：日曜・祝日・12月29日〜1月3日")
        );
        assert_eq!(
            closure_note(
                &["1", "1", "1", "0", "1", "1", "0"],
                "0",
                "01月01日，01月02日，01月03日，08月14日、08月15日，12月31日,\u{3000}土曜午後"
            )
            .as_deref(),
            Some("休診日：木曜・日曜・祝日・8月14日・8月15日・12月31日〜1月3日。その他：土曜午後")
        );
        assert_eq!(
            closure_note(
                &["1"; 7],
                "1",
                "01月01日，01月02日，01月03日，08月15日，12月31日（改行）日曜祭日は患者のけが等の処置のため午前中診療"
            )
            .as_deref(),
            Some("休診日：8月15日・12月31日〜1月3日。その他：日曜祭日は患者のけが等の処置のため午前中診療")
        );
        assert_eq!(
            closure_note(&["1"; 7], "1", "８月１５日、１２月３０日午後").as_deref(),
            Some("休診日：8月15日。その他：12月30日午後")
        );
        assert_eq!(closure_note(&["1"; 7], "1", ""), None);
        assert_eq!(
            closure_note(
                &["1"; 7],
                "0",
                "木曜：午後（改行）01月01日，12月31日・祝日(GW)"
            )
            .as_deref(),
            Some("休診日：祝日・12月31日・1月1日。その他：木曜：午後、祝日(GW)")
        );
        // 1/1 is a holiday: closed when holidays are.
        let other = "01月02日，01月03日，12月29日，12月30日，12月31日";
        assert_eq!(
            closure_note(&["1", "1", "1", "1", "1", "0", "0"], "0", other).as_deref(),
            Some("休診日：土曜・日曜・祝日・12月29日〜1月3日")
        );
        assert_eq!(
            closure_note(&["1"; 7], "1", other).as_deref(),
            Some("休診日：12月29日〜12月31日・1月2日・1月3日")
        );
    }
}
