//! Opening hours: 自治体標準オープンデータセット `availableDate` + `startTime`/`endTime` +
//! `availableDateNote` -> OSM `opening_hours`.
//!
//! The weekly rule comes from the columns. The note is read sentence by sentence; a sentence
//! is converted only when it is one of the forms below, everything else makes the result
//! "partial" (the caller keeps the weekly rule, the note, and a CHECK comment):
//! - closures: `<subjects>は終日利用不可` / `<subjects>を除く` / `…は休館` with subjects among
//!   祝日/休日/国民の祝日に関する法律に規定する休日 (`PH off`), `年末年始（12/29から翌年の1/3）`,
//!   a date range `12/29～1/3` or a date `1/1` (`Dec 29-Jan 03 off`, `Jan 01 off`).
//!   `年末年始` without dates is not converted: the days differ between offices.
//! - `6～8月は19:00まで`: a later closing time in those months (`Jun-Aug Mo-Fr 09:00-19:00`).
//! - `土曜日は17:00まで`: another closing time on those days, if they are open days.
//! - `24時間対応`, `終日利用可能`: open all day; `利用可能時間は日出から日没まで`: sunrise-sunset.
//! - `通年利用可能`: nothing to add.
//!
//! Every generated string is checked with the `opening-hours` parser the validator uses.

use super::text::{clean_text, nfkc};

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The result of converting a weekly rule and its note.
#[derive(Debug, Default, PartialEq)]
pub struct Converted {
    /// OSM opening_hours, when the columns give a weekly rule.
    pub hours: Option<String>,
    /// Why a human should look (note parts not converted, missing times, ...).
    pub problems: Vec<String>,
}

/// Converts `availableDate`, `startTime`, `endTime` and `availableDateNote`.
pub fn convert(days: &str, start: &str, end: &str, note: &str) -> Converted {
    let mut out = Converted::default();
    let (days, start, end) = (nfkc(days), nfkc(start), nfkc(end));
    // Sentences are quoted in problems as they appear in hours_note (clean_text).
    let note = clean_text(note);
    if days.is_empty() && start.is_empty() && end.is_empty() {
        if !note.is_empty() {
            out.problems
                .push("hours: no availableDate/startTime/endTime; only hours_note".into());
        }
        return out;
    }
    let Some(week) = parse_days(&days) else {
        out.problems
            .push(format!("hours: availableDate {days:?} not understood"));
        return out;
    };
    let mut times = match (parse_time(&start), parse_time(&end)) {
        (Some(s), Some(e)) => Some((s, if e == "23:59" { "24:00".into() } else { e })),
        _ if start.is_empty() && end.is_empty() => None,
        _ => {
            out.problems.push(format!(
                "hours: startTime {start:?} / endTime {end:?} not understood"
            ));
            return out;
        }
    };

    let mut month_rules: Vec<String> = Vec::new();
    let mut day_rules: Vec<String> = Vec::new();
    let mut ph_off = week.ph_off;
    let mut offs: Vec<String> = Vec::new();
    let mut all_day = false;
    let mut sun = false;
    let mut pending: Vec<(String, Override)> = Vec::new();
    for sentence in note
        .split(['。', '｡', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match parse_sentence(&nfkc(sentence)) {
            Some(Sentence::Closed { ph, dates }) => {
                ph_off |= ph;
                for d in dates {
                    if !offs.contains(&d) {
                        offs.push(d);
                    }
                }
            }
            Some(Sentence::AllDay) => all_day = true,
            Some(Sentence::Sun) => sun = true,
            Some(Sentence::Nothing) => {}
            Some(Sentence::Override(o)) => pending.push((sentence.to_owned(), o)),
            None => out
                .problems
                .push(format!("hours: note not converted: 「{sentence}」")),
        }
    }
    if times.is_none() {
        if all_day {
            times = Some(("00:00".into(), "24:00".into()));
        } else if sun {
            times = Some(("sunrise".into(), "sunset".into()));
        } else {
            out.problems
                .push("hours: availableDate without startTime/endTime".into());
            return out;
        }
    }
    let (start, end) = times.unwrap_or_default();
    let base_days = day_list(&week.days);
    for (sentence, o) in pending {
        match o {
            Override::Months(m1, m2, close) => month_rules.push(format!(
                "{}-{} {base_days} {start}-{close}",
                MONTHS[m1 - 1],
                MONTHS[m2 - 1]
            )),
            Override::Days(days, open, close) => {
                if days.iter().all(|d| week.days[*d]) {
                    let open = open.unwrap_or_else(|| start.clone());
                    let mut set = [false; 7];
                    for d in days {
                        set[d] = true;
                    }
                    day_rules.push(format!("{} {open}-{close}", day_list(&set)));
                } else {
                    out.problems.push(format!(
                        "hours: note not converted (days not in availableDate): 「{sentence}」"
                    ));
                }
            }
        }
    }

    let mut rules: Vec<String> = Vec::new();
    if week.days.iter().all(|d| *d) && start == "00:00" && end == "24:00" {
        rules.push("24/7".into());
    } else {
        rules.push(format!("{base_days} {start}-{end}"));
    }
    rules.extend(month_rules);
    rules.extend(day_rules);
    if week.ph_open && !ph_off {
        rules.push(format!("PH {start}-{end}"));
    }
    if ph_off {
        rules.push("PH off".into());
    }
    for d in offs {
        rules.push(format!("{d} off"));
    }
    let hours = rules.join("; ");
    match hours.parse::<opening_hours::OpeningHours>() {
        Ok(_) => out.hours = Some(hours),
        Err(e) => out
            .problems
            .push(format!("hours: generated {hours:?} does not parse ({e})")),
    }
    out
}

struct Week {
    days: [bool; 7],
    ph_open: bool,
    ph_off: bool,
}

fn parse_days(s: &str) -> Option<Week> {
    let mut w = Week {
        days: [false; 7],
        ph_open: false,
        ph_off: false,
    };
    match s {
        "平日" => {
            w.days[..5].fill(true);
            return Some(w);
        }
        "毎日" | "全日" | "年中無休" => {
            w.days.fill(true);
            return Some(w);
        }
        "土日祝以外" | "土日祝日以外" | "土日祝日を除く" => {
            w.days[..5].fill(true);
            w.ph_off = true;
            return Some(w);
        }
        _ => {}
    }
    for c in s.chars() {
        match c {
            '月' => w.days[0] = true,
            '火' => w.days[1] = true,
            '水' => w.days[2] = true,
            '木' => w.days[3] = true,
            '金' => w.days[4] = true,
            '土' => w.days[5] = true,
            '日' => w.days[6] = true,
            '祝' => w.ph_open = true,
            '・' | '、' | ',' | ' ' | '曜' => {}
            _ => return None,
        }
    }
    w.days.iter().any(|d| *d).then_some(w)
}

/// `Mo,We-Su` style list: runs of three or more days as ranges.
fn day_list(days: &[bool; 7]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < 7 {
        if !days[i] {
            i += 1;
            continue;
        }
        let mut j = i;
        while j + 1 < 7 && days[j + 1] {
            j += 1;
        }
        match j - i {
            0 => parts.push(DAYS[i].to_owned()),
            1 => {
                parts.push(DAYS[i].to_owned());
                parts.push(DAYS[j].to_owned());
            }
            _ => parts.push(format!("{}-{}", DAYS[i], DAYS[j])),
        }
        i = j + 1;
    }
    parts.join(",")
}

/// `9:00`, `09:00`, `1700`, `9時`, `9時30分` -> `HH:MM`.
fn parse_time(s: &str) -> Option<String> {
    let s = s.trim();
    let (h, m) = if let Some((h, m)) = s.split_once(':') {
        (h, m)
    } else if let Some(rest) = s.strip_suffix('時') {
        (rest, "0")
    } else if let Some((h, m)) = s.split_once('時') {
        (h, m.strip_suffix('分').unwrap_or(m))
    } else if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        (&s[..2], &s[2..])
    } else {
        return None;
    };
    let h: u32 = h.trim().parse().ok()?;
    let m: u32 = m.trim().parse().ok()?;
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then(|| format!("{h:02}:{m:02}"))
}

enum Override {
    /// Months m1..=m2 close at a time.
    Months(usize, usize, String),
    /// These days open (optionally) and close at other times.
    Days(Vec<usize>, Option<String>, String),
}

enum Sentence {
    Closed { ph: bool, dates: Vec<String> },
    AllDay,
    Sun,
    Nothing,
    Override(Override),
}

const HOLIDAYS: [&str; 7] = [
    "国民の祝日に関する法律に規定する休日",
    "国民の祝日",
    "祝日",
    "休日",
    "祝休日",
    "祝祭日",
    "祭日",
];

const CLOSED_ENDINGS: [&str; 14] = [
    "は終日利用不可",
    "は利用不可",
    "は終日休館",
    "は休館日",
    "は休館",
    "は休み",
    "は休業",
    "は閉館",
    "は閉庁",
    "は休所",
    "は休園",
    "は休診",
    "を除く",
    "除く",
];

fn parse_sentence(s: &str) -> Option<Sentence> {
    match s {
        "24時間対応" | "24時間" | "24時間利用可能" | "終日利用可能" => {
            return Some(Sentence::AllDay);
        }
        "通年利用可能" => return Some(Sentence::Nothing),
        "利用可能時間は日出から日没まで"
        | "利用可能時間は日の出から日没まで"
        | "日の出から日没まで" => {
            return Some(Sentence::Sun);
        }
        _ => {}
    }
    if let Some(ending) = CLOSED_ENDINGS.iter().find(|e| s.ends_with(*e)) {
        let subject = s[..s.len() - ending.len()].trim();
        let subject = subject
            .strip_prefix('(')
            .and_then(|x| x.strip_suffix(')'))
            .unwrap_or(subject);
        let mut ph = false;
        let mut dates = Vec::new();
        for part in split_subjects(subject) {
            if HOLIDAYS.contains(&part) {
                ph = true;
            } else if let Some(rest) = part.strip_prefix("年末年始") {
                let rest = rest.trim();
                let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
                dates.push(parse_dates(inner)?);
            } else {
                dates.push(parse_dates(part)?);
            }
        }
        return Some(Sentence::Closed { ph, dates });
    }
    // 6~8月は19:00まで
    if let Some((months, rest)) = s.split_once("月は")
        && let Some((m1, m2)) = months.split_once(['~', '〜', '-'])
        && let (Ok(m1), Ok(m2)) = (m1.trim().parse::<usize>(), m2.trim().parse::<usize>())
        && (1..=12).contains(&m1)
        && (1..=12).contains(&m2)
        && let Some(close) = rest.strip_suffix("まで").and_then(parse_time)
    {
        return Some(Sentence::Override(Override::Months(m1, m2, close)));
    }
    // 土曜日は17:00まで / 土曜日は8:30~17:00 / 土曜日は7:45から17:00まで
    if let Some((who, rest)) = s.split_once('は') {
        let days: Vec<usize> = match who {
            "月曜日" | "月曜" => vec![0],
            "土曜日" | "土曜" => vec![5],
            "日曜日" | "日曜" => vec![6],
            "土日" | "土・日" | "土曜日・日曜日" | "土曜日及び日曜日" => {
                vec![5, 6]
            }
            _ => return None,
        };
        let rest = rest.strip_suffix("まで").unwrap_or(rest);
        if let Some(close) = parse_time(rest) {
            return Some(Sentence::Override(Override::Days(days, None, close)));
        }
        let (a, b) = rest
            .split_once("から")
            .or_else(|| rest.split_once(['~', '〜', '-']))?;
        let (open, close) = (parse_time(a)?, parse_time(b)?);
        return Some(Sentence::Override(Override::Days(days, Some(open), close)));
    }
    None
}

fn split_subjects(s: &str) -> Vec<&str> {
    let mut parts = vec![s];
    for sep in ["及び", "並びに", "、", ",", "・"] {
        parts = parts
            .into_iter()
            .flat_map(|p| p.split(sep))
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
    }
    parts
}

/// `12/29から翌年の1/3`, `12月29日から翌年の1月3日`, `12/29~1/3`, `1/1` -> `Dec 29-Jan 03`.
fn parse_dates(s: &str) -> Option<String> {
    let (first, rest) = parse_md(s)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Some(fmt_md(first));
    }
    let rest = ["から", "~", "〜", "-", "ー"]
        .iter()
        .find_map(|sep| rest.strip_prefix(sep))?
        .trim();
    let rest = rest
        .strip_prefix("翌年の")
        .or_else(|| rest.strip_prefix("翌年"))
        .unwrap_or(rest);
    let rest = rest.strip_suffix("まで").unwrap_or(rest);
    let (second, tail) = parse_md(rest)?;
    tail.trim()
        .is_empty()
        .then(|| format!("{}-{}", fmt_md(first), fmt_md(second)))
}

fn parse_md(s: &str) -> Option<((usize, usize), &str)> {
    let digits = |s: &str| -> Option<(usize, usize)> {
        let n = s.chars().take_while(char::is_ascii_digit).count();
        (n > 0 && n <= 2)
            .then(|| (s[..n].parse().ok(), n))
            .and_then(|(v, n)| Some((v?, n)))
    };
    let (m, n) = digits(s)?;
    let rest = &s[n..];
    let (rest, kanji) = if let Some(r) = rest.strip_prefix('/') {
        (r, false)
    } else if let Some(r) = rest.strip_prefix('月') {
        (r, true)
    } else {
        return None;
    };
    let (d, n) = digits(rest)?;
    let mut rest = &rest[n..];
    if kanji {
        rest = rest.strip_prefix('日')?;
    }
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(((m, d), rest))
}

fn fmt_md((m, d): (usize, usize)) -> String {
    format!("{} {d:02}", MONTHS[m - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(days: &str, s: &str, e: &str, note: &str) -> (Option<String>, usize) {
        let c = convert(days, s, e, note);
        (c.hours, c.problems.len())
    }

    #[test]
    fn health_center() {
        let note =
            "国民の祝日に関する法律に規定する休日及び年末年始（12/29から翌年の1/3）は終日利用不可";
        assert_eq!(
            h("月火水木金", "08:30", "17:00", note),
            (
                Some("Mo-Fr 08:30-17:00; PH off; Dec 29-Jan 03 off".into()),
                0
            )
        );
        let note2 = "国民の祝日に関する法律に規定する休日及び年末年始（12月29日から翌年の1月3日）は終日利用不可。";
        assert_eq!(
            h("月火水木金", "08:30", "17:00", note2),
            (
                Some("Mo-Fr 08:30-17:00; PH off; Dec 29-Jan 03 off".into()),
                0
            )
        );
        assert_eq!(
            h(
                "火水木金土日",
                "10:00",
                "21:00",
                "年末年始（12/29から翌年の1/3）は終日利用不可"
            ),
            (Some("Tu-Su 10:00-21:00; Dec 29-Jan 03 off".into()), 0)
        );
    }

    #[test]
    fn weekly_rules() {
        assert_eq!(
            h("月水木金土日", "09:00", "22:00", ""),
            (Some("Mo,We-Su 09:00-22:00".into()), 0)
        );
        assert_eq!(
            h("月火木金", "9:00", "1700", ""),
            (Some("Mo,Tu,Th,Fr 09:00-17:00".into()), 0)
        );
        assert_eq!(
            h("月火水木金土日", "0:00", "23:59", ""),
            (Some("24/7".into()), 0)
        );
        assert_eq!(
            h("月火水木金土日", "", "", "24時間対応"),
            (Some("24/7".into()), 0)
        );
        assert_eq!(
            h("月火水木金土日", "", "", "利用可能時間は日出から日没まで"),
            (Some("Mo-Su sunrise-sunset".into()), 0)
        );
        assert_eq!(
            h("土日祝以外", "8:30", "17:15", ""),
            (Some("Mo-Fr 08:30-17:15; PH off".into()), 0)
        );
        assert_eq!(
            h("月火水木金土日祝", "9:00", "17:00", ""),
            (Some("Mo-Su 09:00-17:00; PH 09:00-17:00".into()), 0)
        );
    }

    #[test]
    fn overrides_and_partial_notes() {
        assert_eq!(
            h("月水木金土日", "09:00", "17:00", "6～8月は19:00まで"),
            (
                Some("Mo,We-Su 09:00-17:00; Jun-Aug Mo,We-Su 09:00-19:00".into()),
                0
            )
        );
        assert_eq!(
            h(
                "月火水木金土",
                "8:30",
                "18:30",
                "祝日、12/29～1/3を除く。土曜日は17:00まで。"
            ),
            (
                Some("Mo-Sa 08:30-18:30; Sa 08:30-17:00; PH off; Dec 29-Jan 03 off".into()),
                0
            )
        );
        // Not expressible: the weekly rule stays, with a problem to check.
        assert_eq!(
            h("月水木金土日", "10:00", "20:30", "7～8月は全曜日利用可能"),
            (Some("Mo,We-Su 10:00-20:30".into()), 1)
        );
        assert_eq!(
            h("月火水木金", "8:30", "17:00", "年末年始を除く"),
            (Some("Mo-Fr 08:30-17:00".into()), 1)
        );
        assert_eq!(h("", "", "", "開所日のみ"), (None, 1));
        assert_eq!(h("月火水木金", "", "", ""), (None, 1));
        assert_eq!(h("", "", "", ""), (None, 0));
        assert_eq!(h("月曜以外", "9:00", "17:00", ""), (None, 1));
    }
}
