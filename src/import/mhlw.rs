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

/// The columns of a 医療情報ネット facility CSV that are read.
struct MhlwColumns {
    id: usize,
    name: usize,
    kana: Option<usize>,
    en: Option<usize>,
    class: usize,
    pref: usize,
    city: usize,
    addr: usize,
    lat: usize,
    lon: usize,
    url: Option<usize>,
    /// 毎週決まった曜日に休診(月) … (日).
    week: Vec<Option<usize>>,
    holiday: Option<usize>,
    other: Option<usize>,
    beds: Option<usize>,
    /// The bed types that add up to the total (療養病床のうち… are parts of 療養病床).
    bed_parts: Vec<usize>,
}

impl MhlwColumns {
    fn find(keys: &[String], missing: impl Fn(&str) -> ImportError) -> Result<Self, ImportError> {
        let find = |prefix: &str| keys.iter().position(|k| k.starts_with(&header_key(prefix)));
        let need = |prefix: &str| find(prefix).ok_or_else(|| missing(prefix));
        let exact = |name: &str| {
            let k = header_key(name);
            keys.iter()
                .position(|x| *x == k)
                .ok_or_else(|| missing(name))
        };
        Ok(MhlwColumns {
            id: exact("ID")?,
            name: need("正式名称")?,
            kana: keys.iter().position(|k| k == "正式名称(フリガナ)"),
            en: find("英語表記"),
            class: need("機関区分")?,
            pref: need("都道府県コード")?,
            city: need("市区町村コード")?,
            addr: exact("所在地")?,
            lat: need("所在地座標(緯度)")?,
            lon: need("所在地座標(経度)")?,
            url: find("案内用ホームページアドレス"),
            week: WEEKDAYS
                .iter()
                .map(|d| find(&format!("毎週決まった曜日に休診({d})")))
                .collect(),
            holiday: find("祝日に休診"),
            other: find("その他の休診日"),
            beds: find("合計病床数"),
            bed_parts: ["一般病床", "療養病床", "精神病床", "結核病床", "感染症病床"]
                .iter()
                .filter_map(|n| keys.iter().position(|k| k == n))
                .collect(),
        })
    }

    fn used(&self) -> Vec<usize> {
        [
            Some(self.id),
            Some(self.name),
            self.kana,
            self.en,
            Some(self.class),
            Some(self.pref),
            Some(self.city),
            Some(self.addr),
            Some(self.lat),
            Some(self.lon),
            self.url,
            self.holiday,
            self.other,
            self.beds,
        ]
        .into_iter()
        .chain(self.bed_parts.iter().map(|&i| Some(i)))
        .chain(self.week.iter().copied())
        .flatten()
        .collect()
    }
}

/// Converts a 医療情報ネット facility CSV (already decoded) into facility records.
pub fn import_mhlw(text: &str, opts: &MhlwOptions) -> Result<Imported, ImportError> {
    let err = |line: Option<u64>, message: String| ImportError::Input {
        what: opts.source_file.clone(),
        line,
        message,
    };
    let (mut rdr, headers, keys) =
        csv_with_keys(text).map_err(|e| err(None, format!("cannot read the header row: {e}")))?;
    let cols = MhlwColumns::find(&keys, |name| {
        err(
            Some(1),
            format!("no column {name:?}: is this a 医療情報ネット facility CSV?"),
        )
    })?;
    let mut imp = Imported {
        kind: Some(Kind::Facilities),
        source_name: opts.source_file.clone(),
        ..Imported::default()
    };
    column_warnings(&cols, &headers, &keys, &mut imp);
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
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = MhlwRow {
            cells: &record,
            cols: &cols,
            line: record.position().map_or(0, |p| p.line()),
        };
        if let Some(p) = &opts.prefecture
            && format!("{:0>2}", nfkc(row.get(cols.pref))) != format!("{:0>2}", nfkc(p))
        {
            continue;
        }
        imp.rows += 1;
        if let Some(r) = row
            .record(opts, &mut seen, &mut imp)
            .map_err(|m| err(Some(row.line), m))?
        {
            imp.records.push(r);
        }
    }
    write_header(&mut imp, opts);
    Ok(imp)
}

/// The columns left out, once for the file.
fn column_warnings(
    cols: &MhlwColumns,
    headers: &csv::StringRecord,
    keys: &[String],
    imp: &mut Imported,
) {
    let used = cols.used();
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
    if cols.week.iter().any(Option::is_none) {
        imp.warnings.push(Warning::file(
            "some 毎週決まった曜日に休診 columns are missing: closures not imported",
        ));
    }
}

/// One row of the file, read by column.
struct MhlwRow<'a> {
    cells: &'a csv::StringRecord,
    cols: &'a MhlwColumns,
    line: u64,
}

impl MhlwRow<'_> {
    fn get(&self, i: usize) -> &str {
        self.cells.get(i).unwrap_or("").trim()
    }

    fn opt(&self, i: Option<usize>) -> &str {
        i.map_or("", |i| self.get(i))
    }

    fn warn(&self, imp: &mut Imported, message: String) {
        imp.warnings.push(Warning::at(self.line, message));
    }

    /// The row's record (`None`: reported and skipped); an error (an ID seen before) stops
    /// the import.
    fn record(
        &self,
        opts: &MhlwOptions,
        seen: &mut std::collections::BTreeMap<String, u64>,
        imp: &mut Imported,
    ) -> Result<Option<Record>, String> {
        let (cols, line) = (self.cols, self.line);
        let mut r = Record {
            line,
            ..Record::default()
        };
        let raw_id = nfkc(self.get(cols.id));
        if raw_id.is_empty() || !raw_id.chars().all(|c| c.is_ascii_alphanumeric()) {
            self.warn(imp, format!("ID {raw_id:?} is not usable: row skipped"));
            return Ok(None);
        }
        r.id = format!("{}-{}", opts.id_prefix, raw_id.to_ascii_lowercase());
        if raw_id.chars().all(|c| c.is_ascii_digit()) {
            r.codes.push(("mhlw".into(), raw_id.clone()));
        }
        if let Some(first) = seen.insert(r.id.clone(), line) {
            return Err(format!("ID {raw_id} again (first on line {first})"));
        }
        r.name = clean_name(self.get(cols.name));
        if r.name.is_empty() {
            self.warn(imp, "no 正式名称: row skipped".into());
            return Ok(None);
        }
        r.name_kana = Some(clean_name(self.opt(cols.kana))).filter(|s| !s.is_empty());
        r.name_en = self.name_en(imp);
        r.kind_type = self.kind_type(&mut r, imp);
        let (pref, city) = (nfkc(self.get(cols.pref)), nfkc(self.get(cols.city)));
        match muni_code6(&format!("{pref:0>2}{city:0>3}")) {
            Ok(c) => r.municipality = Some(c),
            Err(e) => self.warn(
                imp,
                format!("都道府県コード {pref:?} + 市区町村コード {city:?}: {e}"),
            ),
        }
        let addr = clean_address(self.get(cols.addr));
        r.address = (!addr.is_empty()).then_some(addr);
        let mut checks = Vec::new();
        r.url = contact(
            self.opt(cols.url),
            true,
            line,
            &mut imp.warnings,
            &mut checks,
        );
        r.checks.append(&mut checks);
        match location(self.get(cols.lat), self.get(cols.lon)) {
            Ok(l) => r.location = l,
            Err(msg) => {
                self.warn(imp, msg.clone());
                r.checks.push(msg);
            }
        }
        if cols.week.iter().all(Option::is_some) {
            let weekly: [&str; 7] = std::array::from_fn(|i| self.opt(cols.week[i]));
            r.hours_note = closure_note(&weekly, self.opt(cols.holiday), self.opt(cols.other));
        }
        r.beds = self.beds(imp);
        Ok(Some(r))
    }

    /// The 英語表記 when it is English.
    fn name_en(&self, imp: &mut Imported) -> Option<String> {
        let en = self.opt(self.cols.en);
        if en.is_empty() {
            return None;
        }
        if let Some(english) = looks_latin(&nfkc(en)).then(|| english_part(en)).flatten() {
            // Kept as the hospital wrote it (OHTA HOSPITAL, Sanuki municipal hospital): only
            // whitespace is tidied. Romaji (kagawakenritushirotoribyoin, Oka Byouin) is no
            // English name: an English page shows the Japanese name, marked lang="ja".
            return Some(clean_latin(&english));
        }
        let message = if looks_latin(&nfkc(en)) {
            format!("英語表記 {en:?} looks like romaji, not English: not imported as name_en")
        } else {
            format!("英語表記 {en:?} is not in Latin script: not imported")
        };
        self.warn(imp, message);
        None
    }

    fn kind_type(&self, r: &mut Record, imp: &mut Imported) -> String {
        match nfkc(self.get(self.cols.class)).as_str() {
            "1" => "hospital".into(),
            // The national data set has one file per class: 病院 (1), 診療所, 歯科診療所.
            // Only 1 occurs in the hospital file; 2 and 3 follow the order of the files.
            "2" => "clinic".into(),
            "3" => "dental_clinic".into(),
            other => {
                let msg = format!("機関区分 {other:?} unknown: type other");
                self.warn(imp, msg.clone());
                r.checks.push(msg);
                "other".into()
            }
        }
    }

    /// 合計病床数, else the sum of the bed types.
    fn beds(&self, imp: &mut Imported) -> Option<u32> {
        let beds = nfkc(self.opt(self.cols.beds));
        if !beds.is_empty() {
            let n = beds.parse::<u32>().ok();
            if n.is_none() {
                self.warn(imp, format!("合計病床数 {beds:?} is not a number"));
            }
            return n;
        }
        // 大西病院 (2025-06-01): 合計病床数 empty, 精神病床 374.
        let parts: Vec<u32> = self
            .cols
            .bed_parts
            .iter()
            .filter_map(|&i| nfkc(self.get(i)).parse().ok())
            .collect();
        if parts.is_empty() {
            return None;
        }
        let n = parts.iter().sum();
        self.warn(
            imp,
            format!("合計病床数 is empty: beds {n}, the sum of the bed types"),
        );
        Some(n)
    }
}

fn write_header(imp: &mut Imported, opts: &MhlwOptions) {
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
