//! Opening hours: 自治体標準オープンデータセット weekday, start and end columns
//! (`availableDate`/利用可能曜日/診療曜日, `startTime`/開始時間/診療開始時間, `endTime`/終了時間/
//! 診療終了時間) and the free-text note (利用可能日時特記事項, 診療日時特記事項, …) -> OSM
//! `opening_hours`.
//!
//! The columns give a weekly rule; the note is read as NFKC-normalised text, label by label
//! and sentence by sentence, and may replace or refine it. A sentence is converted only when
//! it is one of the forms below; anything else is a problem (a `# CHECK:` mark on the record)
//! that names the note's column and quotes the sentence. The note itself is always kept in
//! `hours_note` by the caller.
//!
//! # What converts
//! - Labels: 【診療時間】/【開館時間】/【受付時間】 and `診療時間：` introduce a timetable,
//!   【休診日】/【休館日】 and `休館日：`/`休診日：`/`休日：` a list of closures, `開始時間：…`/
//!   `終了時間：…` another opening or closing time (`終了時間：日曜日および祝日：17:00`,
//!   `終了時間：日没まで`), `利用可能曜日：7月20日～8月31日` and `開設期間は6～8月` a season.
//! - Times: `9:00`, `09:00`, `9:00:00`, `0930`, `9時`, `9時30分`, `9時半`, `午後1時` (13:00),
//!   `正午`; ranges with any dash or tilde (～ 〜 ~ - − ー ｰ － –) or `から`…`まで`; several
//!   ranges a day separated by `/`, `、` or `及び`; `日没` as an end (sunset).
//! - Timetables: `【月・火・水・金・土】9:00～12:30/14:30～18:00`, `【月～水・金】…`,
//!   `月火水金9:30～12:30、14:00～17:30`, `月・木 14:00～17:00`, `7:00～18:00(平日)`,
//!   `土日祝10:00～21:00`: those days get those ranges. Days of the weekday column that the
//!   note's timetable leaves out keep the column's times, with a problem; days the timetable
//!   adds that the column does not have are added, with a problem.
//! - Day overrides: `土曜日は17:00まで`, `土曜日は16時まで診療`, `土曜日は9:30～17:00`,
//!   `木曜日は15:30～18:00の診療`, `水曜日は午前、土曜日は12:00までの診療`,
//!   `第1・3・5土曜日は9:00～13:00まで診療` (`Sa[1,3,5] 09:00-13:00`),
//!   `土曜日は第2、第4土曜日のみ診療`.
//! - Morning or afternoon only: `木曜日と土曜日は午前の診療`, `木曜日は午前のみ`,
//!   `土曜日午後休診`, `木土の午後休診`, `月曜日と火曜日は午後の診療`. The morning is known
//!   only when the day has two sessions (the first one) or one that ends by 13:00; otherwise
//!   (one column range 9:00–18:00) the end of the morning is not written anywhere, so that day
//!   becomes `unknown "午前のみ"` (the site shows "ask") and a problem says so. Guessing 12:00
//!   would mislead residents whenever the morning session ends earlier.
//! - Months: `6～8月は19:00まで`, `3月・10月は18:00まで`, `(12月～2月は9:30～17:00)`,
//!   `8/1～8/20は8:00～18:10`.
//! - Closures (`…は休館`, `…は休診`, `…は休日`, `…は休み`, `…を除く`, `…は終日利用不可`, and the
//!   labels above), a list of: weekdays (`毎週月曜`, `土、日`, `火～日`), nth weekdays
//!   (`第2・第4土曜日` -> `Sa[2,4] off`, `第５週木・金`), holidays (祝日, 休日, 祝休日,
//!   国民の祝日に関する法律に規定する休日: `PH off`), `祝日の翌日` (`PH +1 day off`), dates and
//!   ranges (`12/29～1/3`, `12月29日から翌年の1月3日`, `8/14～16`, `8/15・16`, `1月1日、1月2日`:
//!   merged into `Dec 29-Jan 03 off`), `年末年始(12月29日ｰ1月3日)`, `盆(8月13日ｰ16日)`, and
//!   afternoons (`木曜日午後`).
//! - `24時間`, `24時間対応`, `…24時間利用可能`, `終日利用可能`, 00:00–00:00, 0:00–23:59 and
//!   0:00–24:00: open all day (`24/7` when every day is); `終日` in the weekday column: every
//!   day; `日出から日没まで`: sunrise-sunset; `通年利用可能`, `休館日以外利用可能`: nothing to add.
//!
//! # What does not convert (a problem each)
//! - `年末年始`, `お盆` without dates: the days differ between facilities (the corpus has
//!   12/25–1/3, 12/28–1/4, 12/29–1/3, 12/30–1/4, 12/31–1/3, …); 12/29–1/3 is the default of the
//!   行政機関の休日に関する法律 for national offices, not a rule for clinics, pools or parks.
//! - `月曜日(ただし、月曜日が祝日の場合、その翌日)`: Monday is closed, but "the day after a
//!   Monday holiday" is not expressible; the days after holidays become
//!   `PH +1 day unknown` (asked, never shown as open).
//! - `利用があるときのみ`, `開所日のみ`, `学校開校日に随時`, sub-facilities (`テニスコートは…`),
//!   seasonal opening times (`開始時間：7月、8月：10:00 …`), and every other sentence.
//! - A sentence about some weekdays that is not understood (`木曜日の午後は予約検査のみ`)
//!   makes those days `unknown "特記事項参照"`.
//! - When a timetable-like part of the note (a 【…】 block, an `開始時間：`/`終了時間：` label)
//!   is not understood, no `hours` are written at all: the columns' times would be wrong.
//!
//! Every generated string is checked with the `opening-hours` parser the validator uses. The
//! parser works on characters, never on byte offsets, so no input can make it panic.

use super::text::nfkc;

const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAY_CHARS: [char; 7] = ['月', '火', '水', '木', '金', '土', '日'];

/// The headers of the four columns, as the file spells them: problems name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    pub days: String,
    pub start: String,
    pub end: String,
    pub note: String,
}

impl Default for Columns {
    /// The 推奨データセット names (公共施設一覧).
    fn default() -> Self {
        Columns {
            days: "利用可能曜日".into(),
            start: "開始時間".into(),
            end: "終了時間".into(),
            note: "利用可能日時特記事項".into(),
        }
    }
}

/// The result of converting a weekly rule and its note.
#[derive(Debug, Default, PartialEq)]
pub struct Converted {
    /// OSM opening_hours, when the columns and the note give a weekly rule.
    pub hours: Option<String>,
    /// Why a human should look (note parts not converted, missing times, ...).
    pub problems: Vec<String>,
}

/// Minutes from midnight; [`SUNRISE`] and [`SUNSET`] stand for the events.
type T = i32;
const SUNRISE: T = -1;
const SUNSET: T = -2;
type Iv = (T, T);

const MORNING_ONLY: &str = "午前のみ";
const AFTERNOON_ONLY: &str = "午後のみ";
const SEE_NOTE: &str = "特記事項参照";

#[derive(Clone, Debug, PartialEq)]
enum Day {
    Closed,
    Open(Vec<Iv>),
    Unknown(&'static str),
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct DaySet {
    d: [bool; 7],
    ph: bool,
}

impl DaySet {
    fn any(&self) -> bool {
        self.ph || self.d.iter().any(|x| *x)
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..7).filter(|i| self.d[*i])
    }
    fn name(&self) -> String {
        let mut s = day_list(&self.d);
        if self.ph {
            if !s.is_empty() {
                s.push(',');
            }
            s.push_str("PH");
        }
        s
    }
}

type Md = (u32, u32);

/// Converts the weekday, start, end and note cells (`cols` names their headers).
pub fn convert(days: &str, start: &str, end: &str, note: &str, cols: &Columns) -> Converted {
    let mut p = Plan::new(cols);
    p.original = note.replace("\r\n", "\n").chars().collect();
    let (days, start, end) = (nfkc(days), nfkc(start), nfkc(end));
    let note = normalise(note);
    let has_columns = !(days.is_empty() && start.is_empty() && end.is_empty());

    // The columns.
    let mut col_days = DaySet::default();
    let mut base: Option<Iv> = None;
    let mut start_only: Option<T> = None;
    if has_columns {
        if !days.is_empty() {
            match parse_days_column(&days) {
                Some(d) => col_days = d,
                None => {
                    p.problem(format!("hours: {} {days:?} not understood", cols.days));
                    return p.fail();
                }
            }
        }
        match (whole(&start, time), whole(&end, time)) {
            (Some(s), Some(e)) => match fix_range(s, e) {
                Some(iv) => base = Some(iv),
                None => {
                    p.problem(format!(
                        "hours: {} {start:?} / {} {end:?} not understood",
                        cols.start, cols.end
                    ));
                    return p.fail();
                }
            },
            (Some(s), None) if end.is_empty() => start_only = Some(s),
            _ if start.is_empty() && end.is_empty() => {}
            _ => {
                p.problem(format!(
                    "hours: {} {start:?} / {} {end:?} not understood",
                    cols.start, cols.end
                ));
                return p.fail();
            }
        }
        if let Some(iv) = base {
            for d in col_days.iter() {
                p.week[d] = Day::Open(vec![iv]);
            }
            if col_days.ph {
                p.ph = Some(Day::Open(vec![iv]));
            }
        }
        if matches!(
            days.as_str(),
            "土日祝以外" | "土日祝日以外" | "土日祝日を除く"
        ) {
            p.ph = Some(Day::Closed);
        }
    }
    p.col_days = col_days;
    p.base = base;

    // The note.
    p.read_note(&note);
    // Times without days: for the weekday column's days, or, with a list of closed days and no
    // weekday column, for every other day.
    if let Some(r) = p.bare.clone().filter(|_| !col_days.any()) {
        let days: Vec<usize> = if p.closure_list {
            (0..7).collect()
        } else {
            Vec::new()
        };
        if days.is_empty() {
            p.problem(format!(
                "hours: {} gives times but no days, and {} is empty",
                cols.note, cols.days
            ));
            return p.fail();
        }
        for d in days {
            if !p.closed_by_note[d] && !p.from_note[d] {
                p.week[d] = Day::Open(r.clone());
                p.from_note[d] = true;
            }
        }
    }

    // Fill the days the columns name but give no times for.
    if base.is_none() && col_days.any() {
        let fill = if p.all_day {
            Some((0, 1440))
        } else if p.sun {
            Some((SUNRISE, SUNSET))
        } else {
            match (start_only.or(p.start_from_note), p.end_from_note) {
                (Some(s), Some(e)) => fix_range(s, e),
                _ => None,
            }
        };
        for d in col_days.iter() {
            if p.week[d] == Day::Closed && !p.closed_by_note[d] {
                match fill {
                    Some(iv) => p.week[d] = Day::Open(vec![iv]),
                    None if !p.from_note[d] => p.pending = true,
                    None => {}
                }
            }
        }
        if col_days.ph
            && p.ph.is_none()
            && let Some(iv) = fill
        {
            p.ph = Some(Day::Open(vec![iv]));
        }
    } else if p.all_day && base.is_some_and(|b| b != (0, 1440)) {
        p.problem(format!(
            "hours: {} says all day, {}/{} do not: not converted",
            cols.note, cols.start, cols.end
        ));
        return p.fail();
    }
    if !has_columns && !p.from_note.iter().any(|x| *x) && p.ph.is_none() {
        if !note.is_empty() {
            let msg = format!(
                "hours: no {}/{}/{}; only {}",
                cols.days, cols.start, cols.end, cols.note
            );
            p.problems.insert(0, msg);
        }
        return p.fail();
    }
    // A 【…】 timetable lists the open days: a day of the weekday column it leaves out is
    // asked (keeping the column's times would show it open).
    if p.block.iter().any(|x| *x) {
        for i in col_days.iter() {
            if !p.from_note[i] && matches!(p.week[i], Day::Open(_)) {
                p.week[i] = Day::Unknown(SEE_NOTE);
                let msg = format!(
                    "hours: {} lists {}, the timetable in {} does not (written as unknown)",
                    cols.days, DAYS[i], cols.note
                );
                p.problem(msg);
            }
        }
    }
    if has_columns && days.is_empty() && !p.from_note.iter().any(|x| *x) {
        p.problem(format!(
            "hours: {} is empty: {}/{} without days",
            cols.days, cols.start, cols.end
        ));
        return p.fail();
    }
    if p.pending {
        p.problem(format!(
            "hours: {} without {}/{}",
            cols.days, cols.start, cols.end
        ));
        return p.fail();
    }
    if p.suppress {
        p.problem(format!(
            "hours: not written: the timetable in {} was not understood, and {}/{} may be wrong",
            cols.note, cols.start, cols.end
        ));
        return p.fail();
    }
    p.finish()
}

/// Closure rules from a free-text list of closed days (医療情報ネット's その他の休診日):
/// `01月01日，01月02日，12月31日` -> `Jan 01-02,Dec 31 off`. `hours` holds only `off` rules (not
/// an `hours` value by itself: the file has no opening times); what is not a whole-day date or
/// holiday is a problem.
// Not called by an importer yet (the 医療情報ネット importer writes no hours: its file has no
// opening times); the corpus test measures it, for merging sources later.
#[allow(dead_code)]
pub fn closures(text: &str, column: &str) -> Converted {
    let cols = Columns {
        note: column.to_owned(),
        ..Columns::default()
    };
    let mut p = Plan::new(&cols);
    p.original = text.replace("\r\n", "\n").chars().collect();
    let text = normalise(text);
    for part in text.split('\n').map(str::trim).filter(|s| !s.is_empty()) {
        let chars: Vec<char> = part.chars().collect();
        let mut c = Cur::new(&chars);
        let items = closure_items(&mut c, true);
        p.apply_closures(items, part);
    }
    let mut rules = Vec::new();
    if p.ph == Some(Day::Closed) {
        rules.push("PH off".to_owned());
    }
    if let Some(r) = p.dates_rule() {
        rules.push(r);
    }
    let mut out = Converted {
        hours: None,
        problems: p.problems,
    };
    if !rules.is_empty() {
        let s = rules.join("; ");
        if s.parse::<opening_hours::OpeningHours>().is_ok() {
            out.hours = Some(s);
        } else {
            out.problems
                .push(format!("hours: generated {s:?} does not parse"));
        }
    }
    out
}

/// The part of `original` that normalises to `normalised` (problems quote the note as
/// written, so that an editor finds the words in hours_note); `normalised` itself when no part
/// does.
fn original(original: &[char], normalised: &str) -> String {
    let target: Vec<char> = normalised.chars().collect();
    let Some(&first) = target.first() else {
        return String::new();
    };
    if original.len() > 2000 {
        return normalised.to_owned();
    }
    for i in 0..original.len() {
        let head = normalise(&original[i].to_string());
        if !head.starts_with(first) {
            continue;
        }
        for j in i + 1..=original.len().min(i + 4 * target.len() + 8) {
            let cand: String = original[i..j].iter().collect();
            let n = normalise(&cand);
            if n == normalised {
                return cand.trim().to_owned();
            }
            if n.chars().count() > target.len() + 2 {
                break;
            }
        }
    }
    normalised.to_owned()
}

/// NFKC, with line breaks unified, `(改行)` as a line break and circled numbers kept apart
/// (NFKC would turn `①9:00` into `19:00`).
fn normalise(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '\u{2460}'..='\u{2473}' | '\u{24EA}' | '\u{2776}'..='\u{277F}' => '◯',
            c => c,
        })
        .collect();
    let s = nfkc(&s)
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace("(改行)", "\n");
    let lines: Vec<String> = s
        .split('\n')
        .map(|l| l.trim_matches(|c: char| c.is_whitespace()).to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    lines.join("\n")
}

// ---------------------------------------------------------------------------------------------
// The plan: the week being built
// ---------------------------------------------------------------------------------------------

struct Plan<'c> {
    cols: &'c Columns,
    /// The note as written (line breaks unified), to quote in problems.
    original: Vec<char>,
    week: [Day; 7],
    /// Days the note's timetable set.
    from_note: [bool; 7],
    /// Days a 【…】 timetable in the note set.
    block: [bool; 7],
    /// Days a closure in the note closed.
    closed_by_note: [bool; 7],
    col_days: DaySet,
    base: Option<Iv>,
    ph: Option<Day>,
    ph_next: Option<Day>,
    /// `Sa[2,4] …` rules.
    nth: Vec<(usize, Vec<u32>, Day)>,
    /// Month or date ranges with another close time (`Until`) or other ranges.
    months: Vec<(String, Spec)>,
    /// A season the whole weekly rule is restricted to (`Jul 20-Aug 31`).
    season: Option<String>,
    off: Vec<(Md, Md)>,
    all_day: bool,
    sun: bool,
    end_from_note: Option<T>,
    start_from_note: Option<T>,
    /// Times without days (`開館時間：9:00～17:00`).
    bare: Option<Vec<Iv>>,
    /// The note lists closed days (休館日：…).
    closure_list: bool,
    pending: bool,
    suppress: bool,
    problems: Vec<String>,
}

impl<'c> Plan<'c> {
    fn new(cols: &'c Columns) -> Self {
        Plan {
            cols,
            original: Vec::new(),
            week: std::array::from_fn(|_| Day::Closed),
            from_note: [false; 7],
            closed_by_note: [false; 7],
            block: [false; 7],
            col_days: DaySet::default(),
            base: None,
            ph: None,
            ph_next: None,
            nth: Vec::new(),
            months: Vec::new(),
            season: None,
            off: Vec::new(),
            all_day: false,
            sun: false,
            end_from_note: None,
            start_from_note: None,
            bare: None,
            closure_list: false,
            pending: false,
            suppress: false,
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, msg: String) {
        if !self.problems.contains(&msg) {
            self.problems.push(msg);
        }
    }

    fn not_converted(&mut self, what: &str) {
        let what = original(&self.original, what);
        let msg = format!("hours: {} not converted: 「{what}」", self.cols.note);
        self.problem(msg);
    }

    fn fail(self) -> Converted {
        Converted {
            hours: None,
            problems: self.problems,
        }
    }

    // ----- reading the note -----

    fn read_note(&mut self, note: &str) {
        for (label, value) in split_labels(note) {
            match label {
                Label::None | Label::Times => {
                    for s in sentences(&value) {
                        self.sentence(&s);
                    }
                }
                Label::Closed => {
                    self.closure_list = true;
                    for s in sentences(&value) {
                        let chars: Vec<char> = s.chars().collect();
                        let mut c = Cur::new(&chars);
                        let items = closure_items(&mut c, false);
                        self.apply_closures(items, &s);
                    }
                }
                Label::Start | Label::End => self.start_end_label(label, &value),
                Label::Days => {
                    let chars: Vec<char> = value.chars().collect();
                    let mut c = Cur::new(&chars);
                    match date_ranges(&mut c) {
                        Some(r) if c.at_end() && r.len() == 1 => {
                            self.season = Some(fmt_range(r[0]));
                        }
                        _ => {
                            let what = format!("利用可能曜日:{value}");
                            self.not_converted(&what);
                            self.suppress = true;
                        }
                    }
                }
            }
        }
    }

    /// `開始時間：…` / `終了時間：…`: `日没まで`, `18:00`, `日曜日および祝日:17:00`.
    fn start_end_label(&mut self, label: Label, value: &str) {
        let name = if label == Label::Start {
            "開始時間"
        } else {
            "終了時間"
        };
        let chars: Vec<char> = value.chars().collect();
        let mut c = Cur::new(&chars);
        let subject = {
            let save = c.i;
            match days(&mut c) {
                Some(d) if c.eat(":") => Some(d),
                _ => {
                    c.i = save;
                    None
                }
            }
        };
        c.ws();
        let t = if c.eat("日没") {
            Some(SUNSET)
        } else {
            time(&mut c)
        };
        c.eat("まで");
        c.ws();
        let Some(t) = t.filter(|_| c.at_end()) else {
            self.not_converted(&format!("{name}:{value}"));
            self.suppress = true;
            return;
        };
        match (label, subject) {
            (Label::End, None) => {
                self.end_from_note = Some(t);
                let days = DaySet {
                    d: std::array::from_fn(|i| matches!(self.week[i], Day::Open(_))),
                    ph: false,
                };
                self.apply_override(days, Spec::Until(t), value);
            }
            (Label::End, Some(d)) => self.apply_override(d, Spec::Until(t), value),
            (Label::Start, None) if t >= 0 => {
                self.start_from_note = Some(t);
                for day in self.week.iter_mut() {
                    if let Day::Open(ivs) = day
                        && let Some(first) = ivs.first_mut()
                        && first.1 > t
                    {
                        first.0 = t;
                    }
                }
            }
            _ => {
                self.not_converted(&format!("{name}:{value}"));
                self.suppress = true;
            }
        }
    }

    fn sentence(&mut self, s: &str) {
        let s = s.trim();
        let s = strip_parens(s);
        if s.is_empty() {
            return;
        }
        match s {
            "24時間" | "24時間対応" | "24時間利用可能" | "終日利用可能" | "終日" =>
            {
                self.all_day = true;
                return;
            }
            "通年利用可能" | "休館日以外利用可能" | "休園日以外利用可能" => {
                return;
            }
            "利用可能時間は日出から日没まで"
            | "利用可能時間は日の出から日没まで"
            | "日の出から日没まで"
            | "日出から日没まで" => {
                self.sun = true;
                return;
            }
            _ => {}
        }
        if s == "日没まで" || s == "日没まで利用可能" {
            self.end_from_note = Some(SUNSET);
            return;
        }
        if s.ends_with("ので24時間利用可能") || s.ends_with("ため24時間利用可能") {
            self.all_day = true;
            return;
        }
        let chars: Vec<char> = s.chars().collect();
        let mut c = Cur::new(&chars);
        // 開設期間は7月20日から8月31日 / 開設期間は6～8月
        if c.eat("開設期間は") {
            let save = c.i;
            if let Some(r) = date_ranges(&mut c).filter(|r| r.len() == 1 && c.at_end()) {
                self.season = Some(fmt_range(r[0]));
                return;
            }
            c.i = save;
            if let Some(m) = months(&mut c).filter(|_| c.at_end()) {
                self.season = Some(m);
                return;
            }
            c.i = 0;
        }
        // 休館日は毎週月曜日
        for label in [
            "休館日は",
            "休診日は",
            "休園日は",
            "定休日は",
            "定休日:",
            "休業日:",
        ] {
            if c.eat(label) {
                self.closure_list = true;
                let items = closure_items(&mut c, false);
                self.apply_closures(items, s);
                return;
            }
        }
        for label in [
            "診療時間",
            "開館時間",
            "受付時間",
            "利用時間",
            "開所時間",
            "営業時間",
        ] {
            if c.eat(label) {
                c.ws();
                if !c.eat(":") {
                    c.eat("は");
                }
                c.ws();
            }
        }
        // 開館時間：9時～17時: the times of every open day.
        let save = c.i;
        if let Some(r) = ranges(&mut c) {
            c.ws();
            if c.at_end() {
                if self.col_days.any() {
                    for d in self.col_days.iter() {
                        if !self.closed_by_note[d] {
                            self.week[d] = Day::Open(r.clone());
                            self.from_note[d] = true;
                        }
                    }
                    if self.col_days.ph && !matches!(self.ph, Some(Day::Closed)) {
                        self.ph = Some(Day::Open(r.clone()));
                    }
                }
                self.bare = Some(r);
                return;
            }
        }
        c.i = save;
        // Leading day clauses: `日曜日は9:00～17:00、…を除く`, `月・木 14:00～17:00、火・金 …`.
        let mut any = false;
        loop {
            let save = c.i;
            c.ws();
            if any {
                c.eat("、");
                c.ws();
            }
            match clause(&mut c) {
                Some(cl) if clause_end(&c) => {
                    self.apply_clause(cl, s);
                    any = true;
                }
                _ => {
                    c.i = save;
                    break;
                }
            }
        }
        c.ws();
        if any {
            c.eat("、");
            c.ws();
        }
        if c.at_end() {
            return;
        }
        let rest: String = c.rest();
        if let Some(dates) = named_breaks(&rest) {
            self.off.extend(dates);
            return;
        }
        if let Some(subject) = closure_subject(&rest) {
            let chars: Vec<char> = subject.chars().collect();
            let mut c = Cur::new(&chars);
            let items = closure_items(&mut c, false);
            self.apply_closures(items, &rest);
            return;
        }
        self.unknown_sentence(&rest);
    }

    /// A sentence that is not understood: about some weekdays (they become unknown), a
    /// timetable (no hours at all), or anything else (a problem).
    fn unknown_sentence(&mut self, s: &str) {
        self.not_converted(s);
        let chars: Vec<char> = s.chars().collect();
        let mut c = Cur::new(&chars);
        c.eat("ただし、");
        c.eat("毎週");
        if let Some((nths, d)) = nth_days(&mut c) {
            for i in d.iter() {
                self.nth.push((i, nths.clone(), Day::Unknown(SEE_NOTE)));
            }
            return;
        }
        c.i = 0;
        c.eat("ただし、");
        if let Some(d) = days(&mut c)
            && (c.peek_is("は") || c.peek_is("の") || c.peek_is("午"))
        {
            for i in d.iter() {
                self.week[i] = Day::Unknown(SEE_NOTE);
            }
            if d.ph {
                self.ph = Some(Day::Unknown(SEE_NOTE));
            }
            return;
        }
        if s.contains('【') || s.contains('】') {
            self.suppress = true;
        }
    }

    fn apply_clause(&mut self, cl: Clause, s: &str) {
        match cl.subject {
            Subject::Days(d) => self.apply_override_block(d, cl.spec, s, cl.block),
            Subject::Nth(nths, d) => {
                for i in d.iter() {
                    // 診療日時は第2、第4水曜日の…: only those weeks.
                    if cl.only {
                        self.week[i] = Day::Closed;
                    }
                    let day = match &cl.spec {
                        Spec::Ranges(r) => Day::Open(r.clone()),
                        Spec::Morning => morning_day(&self.week[i]),
                        Spec::Afternoon => afternoon_day(&self.week[i]),
                        Spec::Until(t) => until_day(&self.week[i], *t),
                        Spec::NthOnly(_) | Spec::AllDays => Day::Unknown(SEE_NOTE),
                    };
                    self.nth.push((i, nths.clone(), day));
                }
            }
            Subject::Months(m) => match cl.spec {
                Spec::Until(_) | Spec::Ranges(_) | Spec::AllDays => self.months.push((m, cl.spec)),
                _ => self.not_converted(s),
            },
        }
    }

    fn apply_override(&mut self, d: DaySet, spec: Spec, s: &str) {
        self.apply_override_block(d, spec, s, false);
    }

    /// `block`: the times come from a 【…】 timetable, which lists every open day.
    fn apply_override_block(&mut self, d: DaySet, spec: Spec, s: &str, block: bool) {
        for i in d.iter() {
            let was = self.week[i].clone();
            let now = match &spec {
                Spec::Ranges(r) => {
                    if !self.col_days.d[i] && self.col_days.any() {
                        let msg = format!(
                            "hours: {} gives times for {}, {} does not list it",
                            self.cols.note, DAYS[i], self.cols.days
                        );
                        self.problem(msg);
                    }
                    let merged = match &was {
                        // 【月～土】9:00～12:00 then 【月・金】14:30～18:00: both sessions.
                        Day::Open(old) if self.from_note[i] => merge(old, r),
                        _ => None,
                    };
                    if self.from_note[i] && merged.is_none() && was != Day::Open(r.clone()) {
                        let msg = format!(
                            "hours: {} gives two timetables for {}: the last one is used",
                            self.cols.note, DAYS[i]
                        );
                        self.problem(msg);
                    }
                    self.from_note[i] = true;
                    if block {
                        self.block[i] = true;
                    }
                    Day::Open(merged.unwrap_or_else(|| r.clone()))
                }
                Spec::Until(t) => until_day(&was, *t),
                Spec::Morning => morning_day(&was),
                Spec::Afternoon => afternoon_day(&was),
                Spec::NthOnly(nths) => {
                    self.nth.push((i, nths.clone(), was.clone()));
                    Day::Closed
                }
                Spec::AllDays => was.clone(),
            };
            if was == Day::Closed && !matches!(spec, Spec::Ranges(_) | Spec::NthOnly(_)) {
                self.not_converted(s);
                let msg = format!(
                    "hours: {} is not an open day in {}",
                    DAYS[i], self.cols.days
                );
                self.problem(msg);
                continue;
            }
            if let Day::Unknown(c) = now
                && !matches!(was, Day::Unknown(_))
            {
                let msg = match c {
                    MORNING_ONLY => format!(
                        "hours: {} morning only: the end of the morning is not given (written as unknown)",
                        DAYS[i]
                    ),
                    AFTERNOON_ONLY => format!(
                        "hours: {} afternoon only: the start of the afternoon is not given (written as unknown)",
                        DAYS[i]
                    ),
                    _ => format!("hours: {}: written as unknown", DAYS[i]),
                };
                self.problem(msg);
            }
            self.week[i] = now;
        }
        if d.ph {
            let base = self.ph.clone().unwrap_or_else(|| match self.base {
                Some(b) => Day::Open(vec![b]),
                None => Day::Closed,
            });
            let now = match &spec {
                Spec::Ranges(r) => Day::Open(r.clone()),
                Spec::Until(t) => until_day(&base, *t),
                Spec::Morning => morning_day(&base),
                Spec::Afternoon => afternoon_day(&base),
                Spec::NthOnly(_) | Spec::AllDays => Day::Unknown(SEE_NOTE),
            };
            if matches!(now, Day::Unknown(_) | Day::Closed) && !matches!(spec, Spec::Ranges(_)) {
                let msg = format!(
                    "hours: PH: written as unknown ({})",
                    original(&self.original, s)
                );
                self.problem(msg);
            }
            self.ph = Some(match now {
                Day::Closed => Day::Unknown(SEE_NOTE),
                x => x,
            });
        }
    }

    /// `quote`: the sentence, for problems.
    fn apply_closures(&mut self, items: Vec<Item>, quote: &str) {
        for item in items {
            match item {
                Item::Ph => self.ph = Some(Day::Closed),
                Item::PhNext => self.ph_next = Some(Day::Closed),
                Item::Dates(r) => self.off.extend(r),
                Item::Days(d) => {
                    for i in d.iter() {
                        self.week[i] = Day::Closed;
                        self.closed_by_note[i] = true;
                        if self.col_days.d[i] {
                            let msg = format!(
                                "hours: {} closes {}, {} lists it as open",
                                self.cols.note, DAYS[i], self.cols.days
                            );
                            self.problem(msg);
                        }
                    }
                    if d.ph {
                        self.ph = Some(Day::Closed);
                    }
                }
                Item::Shifted(d) => {
                    for i in d.iter() {
                        self.week[i] = Day::Closed;
                        self.closed_by_note[i] = true;
                    }
                    if self.ph_next.is_none() {
                        self.ph_next = Some(Day::Unknown("祝日の翌日は休みの場合あり"));
                    }
                    let msg = format!(
                        "hours: {} closed, and the day after when it is a holiday: not expressible (PH +1 day unknown)",
                        d.name()
                    );
                    self.problem(msg);
                }
                Item::Nth(nths, d) => {
                    for i in d.iter() {
                        self.nth.push((i, nths.clone(), Day::Closed));
                    }
                }
                Item::Afternoon(d) => {
                    if self.base.is_none() && !self.from_note.iter().any(|x| *x) {
                        let msg = format!(
                            "hours: {} not converted: afternoons closed on {} (no times to cut)",
                            self.cols.note,
                            d.name()
                        );
                        self.problem(msg);
                        continue;
                    }
                    self.apply_override(d, Spec::Morning, quote);
                }
                Item::Seasonal(name) => {
                    let msg = format!(
                        "hours: {} not converted: 「{name}」 without dates (the days differ between facilities)",
                        self.cols.note
                    );
                    self.problem(msg);
                }
                Item::Unknown(t) => {
                    // 月曜が休日に当たるときは、その翌日: the day after a holiday may be closed.
                    if (t.contains("翌日") || t.contains("翌平日")) && self.ph_next.is_none() {
                        self.ph_next = Some(Day::Unknown("祝日の翌日は休みの場合あり"));
                    }
                    self.not_converted(&t);
                }
            }
        }
    }

    // ----- writing -----

    fn dates_rule(&self) -> Option<String> {
        if self.off.is_empty() {
            return None;
        }
        // Every closed day, ordered from July to June so that 12/29..1/3 is one run.
        let mut days: Vec<Md> = Vec::new();
        for &(a, b) in &self.off {
            let mut d = a;
            for _ in 0..366 {
                if !days.contains(&d) {
                    days.push(d);
                }
                if d == b {
                    break;
                }
                d = next_day(d);
            }
        }
        let key = |&(m, d): &Md| (if m >= 7 { m } else { m + 12 }, d);
        days.sort_by_key(key);
        let mut parts = Vec::new();
        let mut i = 0;
        while i < days.len() {
            let mut j = i;
            while j + 1 < days.len() && next_day(days[j]) == days[j + 1] {
                j += 1;
            }
            parts.push(fmt_range((days[i], days[j])));
            i = j + 1;
        }
        Some(format!("{} off", parts.join(",")))
    }

    fn finish(mut self) -> Converted {
        let mut rules: Vec<String> = Vec::new();
        let prefix = self
            .season
            .as_ref()
            .map(|s| format!("{s} "))
            .unwrap_or_default();
        let all_day = self.week.iter().all(|d| *d == Day::Open(vec![(0, 1440)]));
        if all_day && self.season.is_none() {
            rules.push("24/7".into());
        } else {
            let mut done = [false; 7];
            for i in 0..7 {
                if done[i] || self.week[i] == Day::Closed {
                    continue;
                }
                let mut set = [false; 7];
                for j in i..7 {
                    if self.week[j] == self.week[i] {
                        set[j] = true;
                        done[j] = true;
                    }
                }
                rules.push(format!(
                    "{prefix}{} {}",
                    day_list(&set),
                    fmt_day(&self.week[i])
                ));
            }
        }
        // Nth rules, one per day and spec.
        let mut nth_rules: Vec<String> = Vec::new();
        for (d, nths, day) in &self.nth {
            let mut n = nths.clone();
            n.sort_unstable();
            n.dedup();
            let list: Vec<String> = n.iter().map(u32::to_string).collect();
            let r = format!("{prefix}{}[{}] {}", DAYS[*d], list.join(","), fmt_day(day));
            if !nth_rules.contains(&r) {
                nth_rules.push(r);
            }
        }
        rules.extend(nth_rules);
        let months = std::mem::take(&mut self.months);
        for (m, spec) in months {
            match spec {
                Spec::Ranges(r) => {
                    let set: [bool; 7] =
                        std::array::from_fn(|i| matches!(self.week[i], Day::Open(_)));
                    if set.iter().any(|x| *x) {
                        rules.push(format!("{m} {} {}", day_list(&set), fmt_ivs(&r)));
                    }
                }
                Spec::AllDays => match self.base {
                    Some(b) => rules.push(format!("{m} Mo-Su {}", fmt_ivs(&[b]))),
                    None => {
                        let msg = format!(
                            "hours: {m}: every day, but no {}/{}",
                            self.cols.start, self.cols.end
                        );
                        self.problem(msg);
                    }
                },
                Spec::Until(t) => {
                    let mut done = [false; 7];
                    for i in 0..7 {
                        let Day::Open(ivs) = &self.week[i] else {
                            continue;
                        };
                        if done[i] {
                            continue;
                        }
                        let mut set = [false; 7];
                        for j in i..7 {
                            if self.week[j] == self.week[i] {
                                set[j] = true;
                                done[j] = true;
                            }
                        }
                        let day = until_day(&Day::Open(ivs.clone()), t);
                        rules.push(format!("{m} {} {}", day_list(&set), fmt_day(&day)));
                    }
                }
                _ => {}
            }
        }
        if let Some(ph) = &self.ph {
            rules.push(format!("PH {}", fmt_day(ph)));
        }
        if let Some(n) = &self.ph_next {
            rules.push(format!("PH +1 day {}", fmt_day(n)));
        }
        if let Some(r) = self.dates_rule() {
            rules.push(r);
        }
        let open = rules.iter().any(|r| !r.ends_with(" off"));
        if !open {
            let msg = format!(
                "hours: no open day left in {}/{}",
                self.cols.days, self.cols.note
            );
            self.problem(msg);
            return self.fail();
        }
        let hours = rules.join("; ");
        match hours.parse::<opening_hours::OpeningHours>() {
            Ok(_) => Converted {
                hours: Some(hours),
                problems: self.problems,
            },
            Err(e) => {
                self.problem(format!("hours: generated {hours:?} does not parse ({e})"));
                self.fail()
            }
        }
    }
}

/// Two timetables for one day that do not overlap, as one.
fn merge(a: &[Iv], b: &[Iv]) -> Option<Vec<Iv>> {
    let mut all: Vec<Iv> = a.iter().chain(b).copied().collect();
    if all.iter().any(|(s, e)| *s < 0 || *e < 0) {
        return None;
    }
    all.sort_unstable();
    all.dedup();
    all.windows(2).all(|w| w[1].0 >= w[0].1).then_some(all)
}

fn next_day((m, d): Md) -> Md {
    let len = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m.clamp(1, 12) - 1) as usize];
    if d < len { (m, d + 1) } else { (m % 12 + 1, 1) }
}

fn fmt_md((m, d): Md) -> String {
    format!("{} {d:02}", MONTHS[(m.clamp(1, 12) - 1) as usize])
}

fn fmt_range((a, b): (Md, Md)) -> String {
    if a == b {
        fmt_md(a)
    } else if a.0 == b.0 && a.1 < b.1 {
        format!("{}-{:02}", fmt_md(a), b.1)
    } else {
        format!("{}-{}", fmt_md(a), fmt_md(b))
    }
}

fn fmt_t(t: T) -> String {
    match t {
        SUNRISE => "sunrise".into(),
        SUNSET => "sunset".into(),
        t => format!("{:02}:{:02}", t / 60, t % 60),
    }
}

fn fmt_ivs(ivs: &[Iv]) -> String {
    ivs.iter()
        .map(|(s, e)| format!("{}-{}", fmt_t(*s), fmt_t(*e)))
        .collect::<Vec<_>>()
        .join(",")
}

fn fmt_day(d: &Day) -> String {
    match d {
        Day::Closed => "off".into(),
        Day::Open(ivs) => fmt_ivs(ivs),
        Day::Unknown(c) => format!("unknown \"{c}\""),
    }
}

/// The morning session of a day: the first of two or more, or a single one that ends by
/// 13:00; otherwise not known.
fn morning_day(d: &Day) -> Day {
    match d {
        Day::Open(ivs) if ivs.len() >= 2 && ivs[0].0 >= 0 && ivs[0].0 < 720 => {
            Day::Open(vec![ivs[0]])
        }
        Day::Open(ivs)
            if ivs.len() == 1
                && ivs[0].0 >= 0
                && ivs[0].0 < 720
                && (0..=780).contains(&ivs[0].1) =>
        {
            d.clone()
        }
        Day::Closed => Day::Closed,
        _ => Day::Unknown(MORNING_ONLY),
    }
}

fn afternoon_day(d: &Day) -> Day {
    match d {
        Day::Open(ivs) if ivs.len() >= 2 && ivs[1].0 >= 720 => Day::Open(ivs[1..].to_vec()),
        Day::Open(ivs) if ivs.len() == 1 && ivs[0].0 >= 720 => d.clone(),
        Day::Closed => Day::Closed,
        _ => Day::Unknown(AFTERNOON_ONLY),
    }
}

/// The day closing at `t` (its last session ends then).
fn until_day(d: &Day, t: T) -> Day {
    match d {
        Day::Open(ivs) => {
            let mut ivs = ivs.clone();
            let Some(last) = ivs.last_mut() else {
                return Day::Unknown(SEE_NOTE);
            };
            if t == SUNSET || (last.0 >= 0 && last.0 < t) {
                last.1 = t;
                // Sessions that would now start after the close are dropped.
                Day::Open(ivs)
            } else {
                Day::Unknown(SEE_NOTE)
            }
        }
        Day::Closed => Day::Closed,
        Day::Unknown(c) => Day::Unknown(c),
    }
}

/// `Mo,We-Su`: runs of three or more days as ranges.
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

// ---------------------------------------------------------------------------------------------
// Labels and sentences
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Label {
    None,
    Times,
    Closed,
    Start,
    End,
    Days,
}

const LABELS: [(&str, Label); 16] = [
    ("【診療時間】", Label::Times),
    ("【開館時間】", Label::Times),
    ("【受付時間】", Label::Times),
    ("【利用時間】", Label::Times),
    ("【開所時間】", Label::Times),
    ("【休診日】", Label::Closed),
    ("【休館日】", Label::Closed),
    ("【休日】", Label::Closed),
    ("【休園日】", Label::Closed),
    ("休館日:", Label::Closed),
    ("休診日:", Label::Closed),
    ("休園日:", Label::Closed),
    ("休日:", Label::Closed),
    ("開始時間:", Label::Start),
    ("終了時間:", Label::End),
    ("利用可能曜日:", Label::Days),
];

/// Splits the note at its labels (a label starts the note, a line, or follows `、`).
fn split_labels(note: &str) -> Vec<(Label, String)> {
    let chars: Vec<char> = note.chars().collect();
    let mut out: Vec<(Label, String)> = Vec::new();
    let mut label = Label::None;
    let mut cur = String::new();
    let mut i = 0;
    while i < chars.len() {
        let at_start = i == 0 || matches!(chars[i - 1], '\n' | '、' | '。' | ' ' | '】');
        let found = LABELS.iter().find(|(l, _)| {
            let l: Vec<char> = l.chars().collect();
            (at_start || l[0] == '【') && chars[i..].starts_with(&l)
        });
        if let Some((l, kind)) = found {
            let text = cur.trim().trim_end_matches('、').trim().to_owned();
            if !text.is_empty() {
                out.push((label, text));
            }
            cur.clear();
            label = *kind;
            i += l.chars().count();
            continue;
        }
        cur.push(chars[i]);
        i += 1;
    }
    let text = cur.trim().to_owned();
    if !text.is_empty() {
        out.push((label, text));
    }
    out
}

/// Sentences: split at `。` and line breaks; a line that starts with `は` or `を除く`
/// continues the previous one.
fn sentences(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in s.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let cont = line.starts_with('は') || line.starts_with("を除く");
        for (k, part) in line.split('。').enumerate() {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            if k == 0
                && cont
                && let Some(last) = out.last_mut()
            {
                last.push_str(part);
                continue;
            }
            out.push(part.to_owned());
        }
    }
    out
}

/// Drops unmatched or enclosing parentheses: `(12/29～1/3除く)` -> `12/29～1/3除く`.
fn strip_parens(s: &str) -> &str {
    let mut s = s.trim();
    loop {
        let opens = s.matches('(').count();
        let closes = s.matches(')').count();
        let inner = s.strip_prefix('(').and_then(|x| x.strip_suffix(')'));
        if let Some(inner) = inner.filter(|_| opens == closes && enclosing(s)) {
            s = inner.trim();
        } else if let Some(x) = s.strip_prefix('(').filter(|_| opens > closes) {
            s = x.trim();
        } else if let Some(x) = s.strip_suffix(')').filter(|_| closes > opens) {
            s = x.trim();
        } else {
            return s;
        }
    }
}

/// Whether the first `(` of `s` closes at its last character.
fn enclosing(s: &str) -> bool {
    let mut depth = 0;
    let n = s.chars().count();
    for (k, c) in s.chars().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return k == n - 1;
                }
            }
            _ => {}
        }
    }
    false
}

const CLOSED_ENDINGS: [&str; 24] = [
    "は終日利用不可",
    "は利用不可",
    "は終日休館",
    "は休館日",
    "は休館",
    "は休診日",
    "は休診です",
    "は休診します",
    "は休診",
    "は休日です",
    "は休日",
    "は休みです",
    "は休み",
    "は休業",
    "は閉館",
    "は閉庁",
    "は休所",
    "は休園",
    "を除く",
    "除く",
    "休診",
    "休館日",
    "休館",
    "休日",
];

/// `お盆休みは8月14日から16日までです`, `盆休みは8月14日から8月16日まで、年末年始は12月31日から
/// 1月3日まで休診します`: named breaks with their dates.
fn named_breaks(s: &str) -> Option<Vec<(Md, Md)>> {
    let chars: Vec<char> = s.chars().collect();
    let mut c = Cur::new(&chars);
    let mut out = Vec::new();
    loop {
        if !c.eat_any(&[
            "お盆休みは",
            "盆休みは",
            "お盆は",
            "年末年始の休みは",
            "年末年始は",
        ]) {
            return None;
        }
        out.extend(date_ranges(&mut c)?);
        c.eat("まで");
        if !c.eat("、") {
            break;
        }
    }
    c.eat_any(&["休診します", "休館します", "休みます", "休診です", "です"]);
    c.at_end().then_some(out)
}

/// The subject of a closure sentence (`祝日、12/29～1/3を除く` -> `祝日、12/29～1/3`).
fn closure_subject(s: &str) -> Option<String> {
    let s = strip_parens(s);
    let ending = CLOSED_ENDINGS.iter().find(|e| s.ends_with(*e))?;
    let n = s.chars().count() - ending.chars().count();
    let subject: String = s.chars().take(n).collect();
    let subject = subject.trim().trim_end_matches('、').trim().to_owned();
    (!subject.is_empty()).then_some(subject)
}

// ---------------------------------------------------------------------------------------------
// The character cursor and the small parsers
// ---------------------------------------------------------------------------------------------

struct Cur<'a> {
    s: &'a [char],
    i: usize,
}

impl<'a> Cur<'a> {
    fn new(s: &'a [char]) -> Self {
        Cur { s, i: 0 }
    }
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }
    fn at_end(&self) -> bool {
        self.i >= self.s.len()
    }
    fn peek_is(&self, w: &str) -> bool {
        (self.i..)
            .zip(w.chars())
            .all(|(k, c)| self.s.get(k) == Some(&c))
    }
    fn eat(&mut self, w: &str) -> bool {
        if self.peek_is(w) {
            self.i += w.chars().count();
            true
        } else {
            false
        }
    }
    fn eat_any(&mut self, ws: &[&str]) -> bool {
        ws.iter().any(|w| self.eat(w))
    }
    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
            self.i += 1;
        }
    }
    /// Digits: the value and how many there were (at most 9 read).
    fn num(&mut self) -> Option<(u32, usize)> {
        let start = self.i;
        let mut v: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            if self.i - start >= 9 {
                return None;
            }
            v = v * 10 + d;
            self.i += 1;
        }
        (self.i > start).then_some((v, self.i - start))
    }
    fn rest(&self) -> String {
        self.s.get(self.i..).unwrap_or(&[]).iter().collect()
    }
}

/// The whole of `s` as one item of `f`.
fn whole<R>(s: &str, f: fn(&mut Cur) -> Option<R>) -> Option<R> {
    let chars: Vec<char> = s.chars().collect();
    let mut c = Cur::new(&chars);
    let r = f(&mut c)?;
    c.ws();
    c.at_end().then_some(r)
}

/// `9:00`, `09:00:00`, `0930`, `9時`, `9時30分`, `9時半`, `午後1時`, `正午`.
fn time(c: &mut Cur) -> Option<T> {
    let save = c.i;
    let r = time_inner(c);
    if r.is_none() {
        c.i = save;
    }
    r
}

fn time_inner(c: &mut Cur) -> Option<T> {
    if c.eat("正午") {
        return Some(720);
    }
    let pm = if c.eat("午後") {
        Some(true)
    } else if c.eat("午前") {
        Some(false)
    } else {
        None
    };
    let (v, n) = c.num()?;
    let (mut h, m) = if n == 4 && pm.is_none() && !c.peek_is(":") && !c.peek_is("時") {
        (v / 100, v % 100)
    } else if n > 2 {
        return None;
    } else if c.eat(":") {
        let (m, k) = c.num()?;
        if k != 2 {
            return None;
        }
        if c.eat(":") {
            let (_, k) = c.num()?;
            if k != 2 {
                return None;
            }
        }
        (v, m)
    } else if c.eat("時") {
        if c.eat("半") {
            (v, 30)
        } else {
            let save = c.i;
            match c.num() {
                Some((m, _)) if c.eat("分") => (v, m),
                _ => {
                    c.i = save;
                    (v, 0)
                }
            }
        }
    } else {
        return None;
    };
    if pm == Some(true) && h < 12 {
        h += 12;
    }
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then(|| (h * 60 + m) as T)
}

const DASHES: [&str; 10] = ["~", "〜", "-", "−", "ー", "–", "—", "‐", "―", "から"];

fn range_sep(c: &mut Cur) -> bool {
    let save = c.i;
    c.ws();
    if c.eat_any(&DASHES) {
        c.ws();
        true
    } else {
        c.i = save;
        false
    }
}

/// 23:59 and 24:00 as an end, 00:00–00:00 as all day; an end before the start runs past
/// midnight.
fn fix_range(s: T, e: T) -> Option<Iv> {
    if s < 0 || e == SUNRISE {
        return (s == SUNRISE && e == SUNSET).then_some((s, e));
    }
    if e == SUNSET {
        return Some((s, e));
    }
    let e = if e == 1439 || (e == 0 && s >= 0) {
        1440
    } else {
        e
    };
    if e > s {
        Some((s, e))
    } else if e < s {
        Some((s, e + 1440))
    } else {
        None
    }
}

/// `9:00～12:30`, `10:00から20:30まで`, `10:00から日没まで`.
fn range(c: &mut Cur) -> Option<Iv> {
    let save = c.i;
    let r = (|| {
        let s = if c.eat("日の出") || c.eat("日出") {
            SUNRISE
        } else {
            time(c)?
        };
        if !range_sep(c) {
            return None;
        }
        let e = if c.eat("日没") { SUNSET } else { time(c)? };
        c.eat("まで");
        fix_range(s, e)
    })();
    if r.is_none() {
        c.i = save;
    }
    r
}

/// One or more ranges: `9:00～12:30/14:30～18:00`, `9:30～12:30、14:00～17:30`.
fn ranges(c: &mut Cur) -> Option<Vec<Iv>> {
    let mut out = vec![range(c)?];
    loop {
        let save = c.i;
        c.ws();
        if c.eat_any(&["/", "、", ",", "及び", "および"]) {
            c.ws();
            if let Some(r) = range(c) {
                out.push(r);
                continue;
            }
        }
        c.i = save;
        break;
    }
    // In order, and not overlapping.
    let ok = out.windows(2).all(|w| w[0].1 >= 0 && w[1].0 >= w[0].1);
    ok.then_some(out)
}

fn weekday(c: &mut Cur) -> Option<usize> {
    let ch = c.peek()?;
    let k = WEEKDAY_CHARS.iter().position(|w| *w == ch)?;
    // 日 of 日没, 日出, 日の出 and dates is not Sunday.
    if ch == '日' {
        let next = c.s.get(c.i + 1).copied();
        if matches!(next, Some('没' | '出' | '中' | '直' | '時')) || c.peek_is("日の出") {
            return None;
        }
    }
    // 月 of 月例, 月末 is not Monday.
    if ch == '月' && matches!(c.s.get(c.i + 1).copied(), Some('例' | '末' | '初')) {
        return None;
    }
    c.i += 1;
    if !c.eat("曜日") {
        c.eat("曜");
    }
    Some(k)
}

const HOLIDAY_WORDS: [&str; 5] = ["国民の祝日", "祝祭日", "祝休日", "祝日", "祝"];

/// A holiday word that stands for the holidays themselves (not 祝日の翌日, 祝日前日, …).
fn holiday_word(c: &mut Cur) -> bool {
    let save = c.i;
    for w in HOLIDAY_WORDS {
        if c.eat(w) {
            if c.peek_is("の翌")
                || c.peek_is("前日")
                || c.peek_is("の場合")
                || c.peek_is("のある")
                || c.peek_is("の前")
            {
                c.i = save;
                return false;
            }
            return true;
        }
    }
    false
}

/// Weekdays and holidays: `月・火・水・金`, `月～水・金`, `火曜日～金曜日`, `土日祝`,
/// `木曜日と土曜日`, `平日`, `毎週月曜`.
fn days(c: &mut Cur) -> Option<DaySet> {
    days_with(c, &["・", "、", ",", "と", "及び", "および", "並びに"])
}

/// [`days`] joined only by `seps` (a closure list separates its items itself).
fn days_with(c: &mut Cur, seps: &[&str]) -> Option<DaySet> {
    let save = c.i;
    let mut set = DaySet::default();
    c.eat("毎週");
    let mut any = false;
    loop {
        let item_start = c.i;
        if c.eat("平日") {
            set.d[..5].fill(true);
        } else if holiday_word(c) {
            set.ph = true;
        } else if let Some(a) = weekday(c) {
            let after_first = c.i;
            if range_sep(c) {
                if let Some(b) = weekday(c) {
                    let mut k = a;
                    for _ in 0..7 {
                        set.d[k] = true;
                        if k == b {
                            break;
                        }
                        k = (k + 1) % 7;
                    }
                } else {
                    c.i = after_first;
                    set.d[a] = true;
                }
            } else {
                set.d[a] = true;
            }
        } else {
            c.i = item_start;
            break;
        }
        any = true;
        // Separator (or none: 月火水金).
        let sep = c.i;
        c.ws();
        if c.eat_any(seps) {
            c.ws();
            c.eat("毎週");
            let probe = c.i;
            if c.eat("平日") || holiday_word(c) || weekday(c).is_some() {
                c.i = probe;
                continue;
            }
        }
        c.i = sep;
    }
    if any {
        Some(set)
    } else {
        c.i = save;
        None
    }
}

/// `第2・第4`, `第1・3・5`, `第５週` then weekdays: `第2・4日曜日`, `第５週木・金`.
fn nth_days(c: &mut Cur) -> Option<(Vec<u32>, DaySet)> {
    nth_days_with(c, &["・", "、", ",", "と", "及び", "および"])
}

fn nth_days_with(c: &mut Cur, seps: &[&str]) -> Option<(Vec<u32>, DaySet)> {
    let save = c.i;
    let r = (|| {
        let nths = nth_list(c)?;
        c.eat("週");
        c.eat("目");
        c.eat("の");
        let d = days_with(c, seps)?;
        (!d.ph).then_some((nths, d))
    })();
    if r.is_none() {
        c.i = save;
    }
    r
}

/// `第2・第4`, `第1・3・5`, `第２、第４`.
fn nth_list(c: &mut Cur) -> Option<Vec<u32>> {
    let save = c.i;
    let r = (|| {
        if !c.eat("第") {
            return None;
        }
        let mut nths = Vec::new();
        let (n, k) = c.num()?;
        if k != 1 || !(1..=5).contains(&n) {
            return None;
        }
        nths.push(n);
        loop {
            let s = c.i;
            if c.eat_any(&["・", "、", ","]) {
                c.eat("第");
                if let Some((n, 1)) = c.num()
                    && (1..=5).contains(&n)
                {
                    nths.push(n);
                    continue;
                }
            }
            c.i = s;
            break;
        }
        Some(nths)
    })();
    if r.is_none() {
        c.i = save;
    }
    r
}

/// `12/29`, `12月29日`.
fn md(c: &mut Cur) -> Option<Md> {
    let save = c.i;
    let r = (|| {
        let (m, k) = c.num()?;
        if k > 2 {
            return None;
        }
        let kanji = if c.eat("/") {
            false
        } else if c.eat("月") {
            true
        } else {
            return None;
        };
        let (d, k) = c.num()?;
        if k > 2 || (kanji && !c.eat("日")) {
            return None;
        }
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((m, d))
    })();
    if r.is_none() {
        c.i = save;
    }
    r
}

/// A date or a range: `12/29～1/3`, `12月29日から翌年の1月3日まで`, `8/14～16`,
/// `8月13日ー16日`, and `8/15・16` (two days of one month).
fn date_ranges(c: &mut Cur) -> Option<Vec<(Md, Md)>> {
    let a = md(c)?;
    let mut out = Vec::new();
    let save = c.i;
    let mut b = None;
    if range_sep(c) {
        c.eat("翌年の");
        c.eat("翌年");
        if let Some(x) = md(c) {
            b = Some(x);
        } else if let Some((d, k)) = c.num()
            && k <= 2
            && (1..=31).contains(&d)
            && d > a.1
            && !c.peek_is("/")
            && !c.peek_is("月")
        {
            c.eat("日");
            b = Some((a.0, d));
        }
        if b.is_none() {
            c.i = save;
        } else {
            c.eat("まで");
        }
    }
    out.push((a, b.unwrap_or(a)));
    // 8/15・16
    loop {
        let s = c.i;
        if c.eat("・")
            && let Some((d, k)) = c.num()
            && k <= 2
            && !c.peek_is("/")
            && !c.peek_is("月")
            && (1..=31).contains(&d)
        {
            c.eat("日");
            out.push(((a.0, d), (a.0, d)));
            continue;
        }
        c.i = s;
        break;
    }
    Some(out)
}

/// Months: `6～8月`, `3月・10月`, `11月～2月`, `12月～2月` -> `Jun-Aug`, `Mar,Oct`, `Nov-Feb`.
fn months(c: &mut Cur) -> Option<String> {
    let save = c.i;
    let r = (|| {
        let mut parts = Vec::new();
        loop {
            let (a, k) = c.num()?;
            if k > 2 || !(1..=12).contains(&a) {
                return None;
            }
            c.eat("月");
            let s = c.i;
            let mut b = None;
            if range_sep(c) {
                match c.num() {
                    Some((x, k)) if k <= 2 && (1..=12).contains(&x) && c.eat("月") => b = Some(x),
                    _ => c.i = s,
                }
            } else if c.s.get(c.i.wrapping_sub(1)) != Some(&'月') {
                return None;
            }
            parts.push(match b {
                Some(b) => format!("{}-{}", MONTHS[a as usize - 1], MONTHS[b as usize - 1]),
                None => MONTHS[a as usize - 1].to_owned(),
            });
            let s = c.i;
            if c.eat_any(&["・", "、", ","]) && c.peek().is_some_and(|ch| ch.is_ascii_digit()) {
                continue;
            }
            c.i = s;
            break;
        }
        Some(parts.join(","))
    })();
    if r.is_none() {
        c.i = save;
    }
    r
}

// ---------------------------------------------------------------------------------------------
// Clauses: a subject and what it gets
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Spec {
    Ranges(Vec<Iv>),
    Until(T),
    Morning,
    Afternoon,
    NthOnly(Vec<u32>),
    /// `7～8月は全曜日利用可能`: every weekday, with the columns' times.
    AllDays,
}

#[derive(Debug)]
enum Subject {
    Days(DaySet),
    Nth(Vec<u32>, DaySet),
    Months(String),
}

#[derive(Debug)]
struct Clause {
    subject: Subject,
    spec: Spec,
    /// From a 【…】 block.
    block: bool,
    /// `診療日時は…`: the subject's days are the only open ones.
    only: bool,
}

fn clause_end(c: &Cur) -> bool {
    c.at_end()
        || ["、", " ", "\u{3000}", "(", "※", "【"]
            .iter()
            .any(|w| c.peek_is(w))
}

/// One clause: `【月・火】9:00～12:30/14:30～18:00`, `土曜日は17:00まで`,
/// `木曜日と土曜日は午前の診療`, `土曜日午後休診`, `7:00～18:00(平日)`, `6～8月は19:00まで`.
fn clause(c: &mut Cur) -> Option<Clause> {
    let save = c.i;
    let r = clause_inner(c);
    if r.is_none() {
        c.i = save;
    }
    r
}

fn clause_inner(c: &mut Cur) -> Option<Clause> {
    c.eat("ただし、");
    let only = c.eat("診療日時は") || c.eat("診療日は");
    // 7:00～18:00(平日)
    if c.peek().is_some_and(|ch| ch.is_ascii_digit()) {
        let save = c.i;
        if let Some(r) = ranges(c) {
            if c.eat("(") {
                let d = days(c)?;
                if !c.eat(")") {
                    return None;
                }
                return Some(Clause {
                    subject: Subject::Days(d),
                    spec: Spec::Ranges(r),
                    block: false,
                    only: false,
                });
            }
            return None;
        }
        c.i = save;
    }
    let block = c.peek_is("【");
    let subject = if c.eat("【") {
        let d = days(c)?;
        c.ws();
        if !c.eat("】") {
            return None;
        }
        Subject::Days(d)
    } else if let Some((n, d)) = nth_days(c) {
        Subject::Nth(n, d)
    } else if let Some(d) = days(c) {
        Subject::Days(d)
    } else if let Some(m) = months(c) {
        Subject::Months(m)
    } else {
        let r = date_ranges(c)?;
        if r.len() != 1 {
            return None;
        }
        Subject::Months(fmt_range(r[0]))
    };
    c.ws();
    if c.peek_is("、は") {
        c.eat("、");
    }
    let pm_ctx = c.eat("の午後は") || c.eat("午後は");
    if !pm_ctx {
        c.eat(":");
        c.eat("は");
        c.eat("の");
    }
    c.ws();
    let spec = if pm_ctx {
        if c.eat_any(&["休診", "休み"]) {
            Spec::Morning
        } else {
            let t = time(c)?;
            if !c.eat("まで") {
                return None;
            }
            Spec::Until(t)
        }
    } else if c.eat_any(&[
        "午前の診療",
        "午前中のみ",
        "午前のみ",
        "午前診療",
        "午後休診",
        "の午後休診",
    ]) {
        Spec::Morning
    } else if c.eat_any(&["午後の診療", "午後のみ"]) {
        Spec::Afternoon
    } else if c.peek_is("午前") && !c.peek_is("午前0") && {
        let s = c.i;
        c.eat("午前");
        let end = clause_end(c) || c.peek_is("の診療");
        c.i = s;
        end
    } {
        c.eat("午前");
        Spec::Morning
    } else if let Some((n, d2)) = nth_days(c) {
        // 土曜日は第２、第４土曜日のみ診療
        if !c.eat("のみ") {
            return None;
        }
        if let Subject::Days(d) = &subject
            && d2 != *d
        {
            return None;
        }
        Spec::NthOnly(n)
    } else if c.eat("全曜日利用可能") {
        Spec::AllDays
    } else if let Some(r) = ranges(c) {
        // 【土】9:00～13:00(第2・第4のみ)
        let save = c.i;
        if c.eat("(")
            && let Some(n) = nth_list(c)
            && c.eat("のみ)")
            && let Subject::Days(d) = &subject
            && !d.ph
        {
            c.eat_any(&["までの診療", "まで診療", "の診療", "診療"]);
            return Some(Clause {
                subject: Subject::Nth(n, *d),
                spec: Spec::Ranges(r),
                block,
                only: true,
            });
        }
        c.i = save;
        Spec::Ranges(r)
    } else {
        let t = if c.eat("日没") { SUNSET } else { time(c)? };
        if !c.eat("まで") {
            return None;
        }
        Spec::Until(t)
    };
    c.eat_any(&["までの診療", "まで診療", "の診療", "診療"]);
    c.eat_any(&["です", "となっております"]);
    Some(Clause {
        subject,
        spec,
        block,
        only,
    })
}

// ---------------------------------------------------------------------------------------------
// Closure lists
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
enum Item {
    Ph,
    PhNext,
    Dates(Vec<(Md, Md)>),
    Days(DaySet),
    /// A weekday closed, and the day after when it is a holiday.
    Shifted(DaySet),
    Nth(Vec<u32>, DaySet),
    Afternoon(DaySet),
    Seasonal(&'static str),
    Unknown(String),
}

const ITEM_SEPS: [&str; 9] = ["、", "・", ",", "及び", "および", "並びに", "と", " ", "/"];

/// A list of closed days; `list` (医療情報ネット): items may also be separated by spaces.
fn closure_items(c: &mut Cur, list: bool) -> Vec<Item> {
    let mut out = Vec::new();
    c.ws();
    while !c.at_end() {
        let start = c.i;
        let item = closure_item(c);
        let ok = item.is_some() && {
            let s = c.i;
            c.ws();
            let end = c.at_end();
            c.i = s;
            end || ITEM_SEPS.iter().any(|w| c.peek_is(w))
                || (list && c.peek_is("\u{3000}"))
                || c.peek_is("祝日")
        };
        if ok {
            if let Some(item) = item {
                out.push(item);
            }
        } else {
            // Unknown: up to the next separator outside parentheses.
            c.i = start;
            let mut depth = 0;
            let mut text = String::new();
            while let Some(ch) = c.peek() {
                if depth == 0 && ["、", ",", "・"].iter().any(|w| c.peek_is(w)) {
                    break;
                }
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                text.push(ch);
                c.i += 1;
            }
            let text = text.trim().to_owned();
            if !text.is_empty() {
                out.push(Item::Unknown(text));
            }
        }
        c.ws();
        if !c.eat_any(&ITEM_SEPS) && list {
            c.eat("\u{3000}");
        }
        c.ws();
        if c.i == start {
            c.i += 1;
        }
    }
    out
}

fn closure_item(c: &mut Cur) -> Option<Item> {
    let save = c.i;
    let r = closure_item_inner(c);
    if r.is_none() {
        c.i = save;
    }
    r
}

/// `(12月29日から1月3日)` after 年末年始 or 盆.
fn paren_dates(c: &mut Cur) -> Option<Vec<(Md, Md)>> {
    let save = c.i;
    let r = (|| {
        if !c.eat("(") {
            return None;
        }
        let mut out = date_ranges(c)?;
        while c.eat_any(&["、", ","]) {
            out.extend(date_ranges(c)?);
        }
        c.eat("まで");
        c.eat(")").then_some(out)
    })();
    if r.is_none() {
        c.i = save;
    }
    r
}

fn closure_item_inner(c: &mut Cur) -> Option<Item> {
    c.eat("毎週");
    if c.eat("祝日の翌日") || c.eat("休日の翌日") {
        return Some(Item::PhNext);
    }
    for (w, name) in [
        ("年末年始", "年末年始"),
        ("お盆休み", "お盆"),
        ("お盆", "お盆"),
        ("盆休み", "お盆"),
        ("盆", "お盆"),
    ] {
        if c.eat(w) {
            c.ws();
            c.eat(":");
            if let Some(d) = paren_dates(c).or_else(|| date_ranges(c)) {
                return Some(Item::Dates(d));
            }
            return Some(Item::Seasonal(name));
        }
    }
    if c.eat("国民の祝日に関する法律に規定する休日") || c.eat("祭日") || c.eat("休日")
    {
        return Some(Item::Ph);
    }
    if c.eat("日祝") {
        return Some(Item::Days(DaySet {
            d: [false, false, false, false, false, false, true],
            ph: true,
        }));
    }
    if let Some((n, d)) = nth_days_with(c, &["・"]) {
        return Some(Item::Nth(n, d));
    }
    if c.peek().is_some_and(|ch| ch.is_ascii_digit()) {
        return date_ranges(c).map(Item::Dates);
    }
    let d = days_with(c, &[])?;
    if d.ph && !d.d.iter().any(|x| *x) {
        return Some(Item::Ph);
    }
    if c.eat("午後") || c.eat("の午後") || c.eat("(午後)") {
        return Some(Item::Afternoon(d));
    }
    if c.peek_is("(") {
        // 月曜日(ただし、月曜日が祝日の場合、その翌日)
        let s = c.i;
        let mut depth = 0;
        let mut inner = String::new();
        while let Some(ch) = c.peek() {
            c.i += 1;
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => inner.push(ch),
            }
        }
        if (inner.contains("祝日") || inner.contains("休日"))
            && (inner.contains("翌日") || inner.contains("翌平日"))
            && !d.ph
        {
            return Some(Item::Shifted(d));
        }
        c.i = s;
        return None;
    }
    Some(Item::Days(d))
}

/// The weekday column: `月火水木金`, `月・火・水`, `平日`, `毎日`, `終日`, `土日祝以外`.
fn parse_days_column(s: &str) -> Option<DaySet> {
    let mut w = DaySet::default();
    match s {
        "平日" => {
            w.d[..5].fill(true);
            return Some(w);
        }
        "毎日" | "全日" | "年中無休" | "終日" | "通年" => {
            w.d.fill(true);
            return Some(w);
        }
        "土日祝以外" | "土日祝日以外" | "土日祝日を除く" => {
            w.d[..5].fill(true);
            return Some(w);
        }
        _ => {}
    }
    for c in s.chars() {
        match c {
            '祝' => w.ph = true,
            '・' | '、' | ',' | ' ' | '曜' => {}
            c => w.d[WEEKDAY_CHARS.iter().position(|x| *x == c)?] = true,
        }
    }
    w.d.iter().any(|d| *d).then_some(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (hours, problems) with the 推奨データセット headers.
    fn h(days: &str, s: &str, e: &str, note: &str) -> (Option<String>, Vec<String>) {
        let c = convert(days, s, e, note, &Columns::default());
        (c.hours, c.problems)
    }

    fn ok(days: &str, s: &str, e: &str, note: &str) -> String {
        let (hours, problems) = h(days, s, e, note);
        assert!(problems.is_empty(), "{note:?}: {problems:?}");
        hours.unwrap_or_else(|| panic!("{note:?}: no hours"))
    }

    #[test]
    fn weekly_rules_from_the_columns() {
        assert_eq!(
            ok("月水木金土日", "09:00", "22:00", ""),
            "Mo,We-Su 09:00-22:00"
        );
        assert_eq!(
            ok("月火木金", "9:00", "1700", ""),
            "Mo,Tu,Th,Fr 09:00-17:00"
        );
        assert_eq!(
            ok("月・火・水・木・金・土", "9:00:00", "18:30:00", ""),
            "Mo-Sa 09:00-18:30"
        );
        assert_eq!(
            ok("平日", "９：００", "１７：００", ""),
            "Mo-Fr 09:00-17:00"
        );
        assert_eq!(
            ok("土日祝以外", "8:30", "17:15", ""),
            "Mo-Fr 08:30-17:15; PH off"
        );
        assert_eq!(
            ok("月火水木金土日祝", "9:00", "17:00", ""),
            "Mo-Su 09:00-17:00; PH 09:00-17:00"
        );
        // All day: 0:00-23:59, 00:00-00:00, 0:00-24:00, 終日.
        for (s, e) in [("0:00", "23:59"), ("00:00", "00:00"), ("0:00", "24:00")] {
            assert_eq!(ok("月火水木金土日", s, e, ""), "24/7");
        }
        assert_eq!(ok("終日", "00:00", "23:59", ""), "24/7");
        assert_eq!(ok("月火水木金土日", "", "", "24時間対応"), "24/7");
        assert_eq!(
            ok(
                "月火水木金土日",
                "00:00",
                "00:00",
                "日直・宿直がいるので24時間利用可能。"
            ),
            "24/7"
        );
        assert_eq!(
            ok("月火水木金土日", "", "", "利用可能時間は日出から日没まで"),
            "Mo-Su sunrise-sunset"
        );
        assert_eq!(
            ok("月火水木金土日", "08:00", "", "日没まで利用可能。"),
            "Mo-Su 08:00-sunset"
        );
    }

    #[test]
    fn times_in_every_spelling() {
        for note in [
            "開館時間：9時～17時",
            "開館時間:9:00〜17:00",
            "開館時間 9:00-17:00",
            "受付時間は9:00−17:00",
            "診療時間：９：００ー１７：００",
            "開館時間：9:00ｰ17:00",
            "開館時間：9:00－17:00",
            "開館時間：9:00–17:00",
            "開館時間：午前9時から午後5時まで",
            "開館時間：9:00:00~17:00:00",
        ] {
            assert_eq!(
                ok("月火水木金", "", "", note),
                "Mo-Fr 09:00-17:00",
                "{note}"
            );
        }
        assert_eq!(
            ok("月火水木金", "", "", "開館時間：9時30分～午後1時"),
            "Mo-Fr 09:30-13:00"
        );
        assert_eq!(
            ok("月火水木金", "", "", "受付時間：9:00～12:30/14:30～18:00"),
            "Mo-Fr 09:00-12:30,14:30-18:00"
        );
        assert_eq!(
            ok("月火水木金", "", "", "診療時間：9:00～12:30、14:30～18:00"),
            "Mo-Fr 09:00-12:30,14:30-18:00"
        );
        assert_eq!(
            ok(
                "月火水木金",
                "",
                "",
                "診療時間：9:00～12:30及び14:30～18:00"
            ),
            "Mo-Fr 09:00-12:30,14:30-18:00"
        );
    }

    #[test]
    fn labelled_blocks() {
        assert_eq!(
            ok(
                "",
                "",
                "",
                "【開館時間】9:00～17:00【休館日】毎週月曜日、祝日、12月29日～1月3日"
            ),
            "Tu-Su 09:00-17:00; PH off; Dec 29-Jan 03 off"
        );
        assert_eq!(
            ok(
                "月火水木金土",
                "09:30",
                "17:30",
                "【診療時間】月火水金9:30～12:30、14:00～17:30、木土0930～1200【休診日】日曜、祝日、1月1日、1月2日、1月3日、8月14日、8月15日、8月16日、12月30日、12月31日"
            ),
            "Mo-We,Fr 09:30-12:30,14:00-17:30; Th,Sa 09:30-12:00; PH off; Aug 14-16,Dec 30-Jan 03 off"
        );
        assert_eq!(
            ok("月火水木金土日", "", "", "開始時間：9:00、終了時間：17:00"),
            "Mo-Su 09:00-17:00"
        );
        assert_eq!(
            ok(
                "火水木金土日",
                "09:00",
                "22:00",
                "終了時間：日曜日および祝日：17:00、休館日：月曜日"
            ),
            "Tu-Sa 09:00-22:00; Su 09:00-17:00; PH 09:00-17:00"
        );
        assert_eq!(
            ok(
                "月火水木金日",
                "10:00",
                "16:00",
                "利用可能曜日：7月20日～8月31日、休館日：土曜日"
            ),
            "Jul 20-Aug 31 Mo-Fr,Su 10:00-16:00"
        );
        // Seasonal opening times are not converted, and then no hours at all.
        let (hours, problems) = h(
            "火水木金土日",
            "13:30",
            "20:30",
            "開始時間：7月、8月：10:00 \n9月から3月までの日曜日および祝日：13:00",
        );
        assert_eq!(hours, None);
        assert!(
            problems.iter().any(|p| p.contains("not written")),
            "{problems:?}"
        );
    }

    #[test]
    fn timetables_per_day() {
        assert_eq!(
            ok(
                "月・火・水・木・金・土",
                "9:00",
                "18:00",
                "【月・火・水・金・土】9:00～12:30/14:30～18:00\n【木】9:00～12:30"
            ),
            "Mo-We,Fr,Sa 09:00-12:30,14:30-18:00; Th 09:00-12:30"
        );
        assert_eq!(
            ok(
                "月・火・水・木・金・土",
                "9:00",
                "18:00",
                "【月～水・金】9:00～12:30/14:00～18:00\n【木】9:00～12:30\n【土】9:00～12:30"
            ),
            "Mo-We,Fr 09:00-12:30,14:00-18:00; Th,Sa 09:00-12:30"
        );
        // Sessions in two blocks are one day.
        assert_eq!(
            ok(
                "月・火・水・木・金・土",
                "9:00",
                "18:30",
                "【月～土】9:00～12:30\n【月・火・木・金】14:30～18:30"
            ),
            "Mo,Tu,Th,Fr 09:00-12:30,14:30-18:30; We,Sa 09:00-12:30"
        );
        assert_eq!(
            ok(
                "月火木金",
                "10:30",
                "17:00",
                "月・木 14:00～17:00、火・金 10:30～12:00　第５週木・金は休診"
            ),
            "Mo,Th 14:00-17:00; Tu,Fr 10:30-12:00; Th[5] off; Fr[5] off"
        );
        assert_eq!(
            ok(
                "月火水木金土",
                "7:00",
                "18:00",
                "7:00～18:00(平日)、8:00～16:00(土曜日)"
            ),
            "Mo-Fr 07:00-18:00; Sa 08:00-16:00"
        );
        assert_eq!(
            ok(
                "月・水・木・金・土",
                "9:00",
                "18:30",
                "【水･金】9:00～12:30\n【木】9:00～13:00\n【月】9:00～13:00\n【土】9:00～13:00（第２・第４のみ）"
            ),
            "Mo,Th 09:00-13:00; We,Fr 09:00-12:30; Sa[2,4] 09:00-13:00"
        );
        // A column day the timetable leaves out is asked, not shown open.
        let (hours, problems) = h(
            "月・火・水・木・金・土",
            "9:00",
            "17:00",
            "【月～金】9:00～17:00",
        );
        assert_eq!(
            hours.as_deref(),
            Some("Mo-Fr 09:00-17:00; Sa unknown \"特記事項参照\"")
        );
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn morning_and_afternoon() {
        // From a timetable: the first session.
        assert_eq!(
            ok(
                "月火水木金",
                "",
                "",
                "診療時間：9:00～12:30/14:30～18:00。木曜日は午前のみ"
            ),
            "Mo-We,Fr 09:00-12:30,14:30-18:00; Th 09:00-12:30"
        );
        // From one column range: the end of the morning is not known.
        let (hours, problems) = h(
            "月火水木金土",
            "9:00:00",
            "17:00:00",
            "木曜日と土曜日は午前の診療。",
        );
        assert_eq!(
            hours.as_deref(),
            Some("Mo-We,Fr 09:00-17:00; Th,Sa unknown \"午前のみ\"")
        );
        assert_eq!(problems.len(), 2);
        for note in [
            "土曜日午後休診",
            "土曜日の午後は休診",
            "木土の午後休診",
            "土曜日は午前中のみ",
        ] {
            let (hours, _) = h("月火水木金土", "9:00", "18:00", note);
            assert!(hours.unwrap().contains("Sa unknown \"午前のみ\""), "{note}");
        }
        // A column range that ends by 13:00 is a morning.
        assert_eq!(
            ok("月火水木金土", "8:30", "12:30", "土曜日は午前の診療"),
            "Mo-Sa 08:30-12:30"
        );
        assert_eq!(
            ok(
                "月火水木金土",
                "9:00:00",
                "18:00:00",
                "土曜日は16時まで診療。"
            ),
            "Mo-Fr 09:00-18:00; Sa 09:00-16:00"
        );
        assert_eq!(
            ok(
                "月火水木金土",
                "9:00",
                "19:00",
                "水曜日は１２時３０分までの診療です。"
            ),
            "Mo,Tu,Th-Sa 09:00-19:00; We 09:00-12:30"
        );
    }

    #[test]
    fn closure_sentences() {
        let c = |note: &str| ok("月火水木金土", "9:00", "18:00", note);
        assert_eq!(
            c("祝日、12/29～1/3は休診。"),
            "Mo-Sa 09:00-18:00; PH off; Dec 29-Jan 03 off"
        );
        assert_eq!(
            ok("月火水金土", "9:00", "18:00", "休診日：毎週木曜日"),
            "Mo-We,Fr,Sa 09:00-18:00"
        );
        // The weekday column and the note disagree: closed, and a problem.
        let (hours, problems) = h("月火水木金土", "9:00", "18:00", "休診日：毎週木曜日");
        assert_eq!(hours.as_deref(), Some("Mo-We,Fr,Sa 09:00-18:00"));
        assert_eq!(
            problems,
            ["hours: 利用可能日時特記事項 closes Th, 利用可能曜日 lists it as open"]
        );
        assert_eq!(c("第2・第4土曜日は休診"), "Mo-Sa 09:00-18:00; Sa[2,4] off");
        assert_eq!(
            c("第1・3水曜、祝日を除く。"),
            "Mo-Sa 09:00-18:00; We[1,3] off; PH off"
        );
        assert_eq!(c("祝日の翌日は休み"), "Mo-Sa 09:00-18:00; PH +1 day off");
        assert_eq!(
            c("祝日、8/14～16、12/31～1/3は休診。"),
            "Mo-Sa 09:00-18:00; PH off; Aug 14-16,Dec 31-Jan 03 off"
        );
        assert_eq!(c("8/15・16は休診"), "Mo-Sa 09:00-18:00; Aug 15-16 off");
        assert_eq!(
            c(
                "盆休みは８月１４日から８月１６日まで、年末年始は１２月３１日から１月３日まで休診します。"
            ),
            "Mo-Sa 09:00-18:00; Aug 14-16,Dec 31-Jan 03 off"
        );
        assert_eq!(
            c("お盆休みは８月１４日から１６日までです。"),
            "Mo-Sa 09:00-18:00; Aug 14-16 off"
        );
        assert_eq!(
            c("盆(8月13日ｰ16日)、年末年始(12月29日ｰ1月3日)は休日。"),
            "Mo-Sa 09:00-18:00; Aug 13-16,Dec 29-Jan 03 off"
        );
        assert_eq!(
            c("祝日、1月1日、1月2日、1月3日、12月29日、12月30日、12月31日は休診。"),
            "Mo-Sa 09:00-18:00; PH off; Dec 29-Jan 03 off"
        );
        assert_eq!(
            c(
                "国民の祝日に関する法律に規定する休日及び年末年始（12/29から翌年の1/3）は終日利用不可"
            ),
            "Mo-Sa 09:00-18:00; PH off; Dec 29-Jan 03 off"
        );
        // 年末年始 alone: the days differ between facilities.
        let (hours, problems) = h(
            "月火水木金",
            "8:30",
            "17:15",
            "土、日、祝日、年末年始は休日",
        );
        assert_eq!(hours.as_deref(), Some("Mo-Fr 08:30-17:15; PH off"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("年末年始"));
        // A holiday Monday moves the closure: the days after holidays are asked.
        let (hours, problems) = h(
            "火水木金土日",
            "09:00",
            "22:00",
            "休館日：月曜日(ただし、月曜日が祝日の場合、その翌日)",
        );
        assert_eq!(
            hours.as_deref(),
            Some("Tu-Su 09:00-22:00; PH +1 day unknown \"祝日の翌日は休みの場合あり\"")
        );
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn not_convertible() {
        let (hours, problems) = h("", "", "", "利用があるときのみ");
        assert_eq!(hours, None);
        assert_eq!(
            problems,
            [
                "hours: no 利用可能曜日/開始時間/終了時間; only 利用可能日時特記事項",
                "hours: 利用可能日時特記事項 not converted: 「利用があるときのみ」"
            ]
        );
        assert_eq!(h("", "", "", ""), (None, vec![]));
        assert_eq!(h("月火水木金", "", "", "").0, None);
        assert_eq!(h("月曜以外", "9:00", "17:00", "").0, None);
        // Problems name the file's own headers.
        let cols = Columns {
            days: "診療曜日".into(),
            start: "診療開始時間".into(),
            end: "診療終了時間".into(),
            note: "診療日時特記事項".into(),
        };
        let c = convert("月火水木金", "9:00", "", "急患は随時受け付け", &cols);
        assert_eq!(c.hours, None);
        assert!(
            c.problems
                .iter()
                .all(|p| !p.contains("利用可能") && !p.contains("availableDate"))
        );
        assert!(
            c.problems.iter().any(|p| p.contains("診療日時特記事項")),
            "{:?}",
            c.problems
        );
        assert!(
            c.problems
                .iter()
                .any(|p| p.contains("診療曜日 without 診療開始時間/診療終了時間"))
        );
    }

    #[test]
    fn closure_lists_of_the_mhlw_file() {
        let c = closures(
            "01月01日，01月02日，01月03日，08月15日，12月31日",
            "その他の休診日",
        );
        assert_eq!(c.hours.as_deref(), Some("Aug 15,Dec 31-Jan 03 off"));
        assert!(c.problems.is_empty());
        let c = closures(
            "01月01日，01月02日，01月03日,12月30日午後、12月31日",
            "その他の休診日",
        );
        assert_eq!(c.hours.as_deref(), Some("Dec 31-Jan 03 off"));
        assert_eq!(
            c.problems,
            ["hours: その他の休診日 not converted: 「12月30日午後」"]
        );
    }

    /// Every output parses, and nothing panics, whatever the text.
    #[test]
    fn never_panics() {
        use proptest::prelude::*;
        let alphabet: Vec<char> = "月火水木金土日祝曜第・、。/～〜-ー:：0123456789０１２３４５６７８９時分半午前後【】()（）は休診館除くの翌年末始盆及びと毎週 \n"
            .chars()
            .collect();
        let chars = proptest::sample::select(alphabet);
        let text =
            proptest::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect::<String>());
        let mut runner = proptest::test_runner::TestRunner::default();
        runner
            .run(
                &(text.clone(), text.clone(), text.clone(), text),
                |(d, s, e, n)| {
                    for (d, s, e) in [
                        (d.as_str(), s.as_str(), e.as_str()),
                        ("月火水木金", "9:00", "17:00"),
                    ] {
                        let c = convert(d, s, e, &n, &Columns::default());
                        if let Some(h) = c.hours {
                            prop_assert!(h.parse::<opening_hours::OpeningHours>().is_ok(), "{h}");
                        }
                    }
                    let c = closures(&n, "x");
                    if let Some(h) = c.hours {
                        prop_assert!(h.parse::<opening_hours::OpeningHours>().is_ok(), "{h}");
                    }
                    Ok(())
                },
            )
            .unwrap();
    }
}
