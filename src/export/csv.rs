//! CSV exports in the 自治体標準オープンデータセット style: `data/<kind>.csv`, one per kind.
//!
//! - UTF-8 with a byte-order mark, so that spreadsheet software (Excel on Japanese Windows in
//!   particular) recognises the encoding instead of guessing Shift_JIS.
//! - CRLF line ends: what Excel writes and expects (RFC 4180). Line breaks inside a quoted cell
//!   (a Markdown description) stay `\n`.
//! - Columns: the standard columns first ([`STANDARD`]), then the kind's own columns
//!   ([`kind_columns`]), then kenkomap's own columns ([`KENKOMAP`]), so that
//!   `kenkomap import ods data/<kind>.csv --kind <kind>` gives back the same records.
//! - Rows: every record of the kind, closed ones included (with their `状態`), in site order:
//!   the registry files in path order and the records in file order. `internal` never appears
//!   (records do not keep it past validation).
//!
//! The column names and cell formats (lists, several labelled phone numbers, menus) are
//! [`crate::cells`]', shared with `import ods`: what one writes the other reads.

use crate::cells::*;
use crate::hours::{DayRule, Interval, WeekTable};
use crate::model::Model;
use crate::registry::vocab::Vocab;
use crate::registry::{Details, Kind, Record, RecordId};

/// The standard columns, first in every file, in this order.
pub const STANDARD: [&str; 16] = [
    col::MUNICIPALITY,
    col::ID,
    col::MUNICIPALITY_NAME,
    col::NAME,
    col::NAME_KANA,
    col::NAME_EN,
    col::ADDRESS,
    col::LAT,
    col::LON,
    col::PHONE,
    col::URL,
    col::DAYS,
    col::START,
    col::END,
    col::HOURS_NOTE,
    col::DESCRIPTION,
];

/// The kind's own columns, after the standard ones.
pub fn kind_columns(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Facilities => &[col::DEPARTMENTS, col::BEDS, col::EMERGENCY, col::CHECKUPS],
        Kind::Parks => &[col::AMENITIES, col::COURSE_KM],
        Kind::Restaurants => &[
            col::SMOKE_FREE,
            col::CERTIFICATION_NAME,
            col::CERTIFICATION_SINCE,
            col::CERTIFICATION_UNTIL,
            col::MENUS,
        ],
        Kind::Consultation => &[
            col::AUDIENCES,
            col::TOPICS,
            col::CHANNELS,
            col::MAX_EMPLOYEES,
            col::RESERVATION,
            col::ANONYMOUS,
            col::SERVES,
            col::REGISTRATION_NUMBER,
            col::REGISTRATION_UNTIL,
        ],
    }
}

/// kenkomap's own columns, last: what the standard columns cannot hold.
pub const KENKOMAP: [&str; 15] = [
    col::TYPE,
    col::HOURS,
    col::FAX,
    col::EMAIL,
    col::FEE,
    col::ACCESSIBILITY,
    col::LANGUAGES,
    col::STATUS,
    col::VERIFIED,
    col::VALID_UNTIL,
    col::SOURCE,
    col::SAMPLE,
    col::DESCRIPTION_EN,
    col::MEDICAL_INSTITUTION_CODE,
    col::MHLW_ID,
];

/// Every header of `data/<kind>.csv`, in order.
pub fn headers(kind: Kind) -> Vec<&'static str> {
    STANDARD
        .iter()
        .chain(kind_columns(kind))
        .chain(&KENKOMAP)
        .copied()
        .collect()
}

/// The path of a kind's CSV in the output.
pub fn path(kind: Kind) -> String {
    format!("data/{kind}.csv")
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `data/<kind>.csv` as bytes.
pub fn kind_csv(model: &Model, kind: Kind) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        // Excel expects CRLF.
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    w.write_record(headers(kind)).expect("writes to memory");
    for i in model.record_ids() {
        if model.record(i).kind == kind {
            let cells = row(model, i).into_iter().map(protect_cell);
            w.write_record(cells).expect("writes to memory");
        }
    }
    w.into_inner().expect("writes to memory")
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn sp_text<T: std::ops::Deref<Target = String>>(v: &Option<T>) -> String {
    v.as_ref().map(|s| s.to_string()).unwrap_or_default()
}

/// One row, in the order of [`headers`].
fn row(model: &Model, i: RecordId) -> Vec<String> {
    let r = model.record(i);
    let geo = &model.site.geo;
    let (code, muni_name) = match model.site.placements[i] {
        Some(pl) => {
            let m = &geo.municipalities[pl.municipality];
            let pref = &model.site.areas_files[geo.areas[m.area].prefecture].prefecture;
            (m.code.to_string(), format!("{}{}", pref.name, m.name))
        }
        None => (opt(r.municipality.as_ref().map(|c| c.value)), String::new()),
    };
    let (days, start, end) = model
        .hours_of(r)
        .and_then(|h| weekly_columns(&h.week))
        .unwrap_or_default();
    let mut cells = vec![
        code,
        r.id.value.clone(),
        muni_name,
        r.name.value.clone(),
        sp_text(&r.name_kana),
        sp_text(&r.name_en),
        sp_text(&r.address),
        opt(r.location.as_ref().map(|l| l.lat)),
        opt(r.location.as_ref().map(|l| l.lon)),
        contacts_cell(&r.phone, ContactKind::Phone),
        contacts_cell(&r.url, ContactKind::Url),
        days,
        start,
        end,
        sp_text(&r.hours_note),
        sp_text(&r.description),
    ];
    cells.extend(kind_cells(r));
    cells.extend([
        r.record_type.to_string(),
        opt(r.hours.as_ref().map(|h| h.raw())),
        sp_text(&r.fax),
        sp_text(&r.email),
        opt(r.fee),
        keys_cell(r.accessibility.iter().map(|a| a.as_str())),
        keys_cell(r.languages.iter().map(|l| l.value.as_str())),
        r.status.to_string(),
        opt(r.verified.as_ref().map(|d| d.value)),
        opt(r.valid_until.as_ref().map(|d| d.value)),
        sp_text(&r.source),
        if r.sample {
            "true".into()
        } else {
            String::new()
        },
        sp_text(&r.description_en),
        code_cell(r, "medical_institution"),
        code_cell(r, "mhlw"),
    ]);
    cells
}

fn code_cell(r: &Record, scheme: &str) -> String {
    r.codes
        .iter()
        .find(|(k, _)| k == scheme)
        .map(|(_, v)| v.value.clone())
        .unwrap_or_default()
}

fn kind_cells(r: &Record) -> Vec<String> {
    match &r.details {
        Details::Facility(d) => vec![
            texts_cell(&d.departments),
            opt(d.beds),
            opt(d.emergency),
            texts_cell(&d.checkups),
        ],
        Details::Park(d) => vec![
            keys_cell(d.amenities.iter().map(|a| a.as_str())),
            opt(d.course_km),
        ],
        Details::Restaurant(d) => {
            let c = d.certification.as_ref();
            vec![
                opt(d.smoke_free),
                opt(c.and_then(|c| c.name.clone())),
                opt(c.and_then(|c| c.since)),
                opt(c.and_then(|c| c.until.as_ref().map(|u| u.value))),
                menus_cell(&d.menus),
            ]
        }
        Details::Consultation(d) => {
            let reg = d.registration.as_ref();
            let serves: Vec<String> = d.serves.iter().map(|c| c.value.to_string()).collect();
            vec![
                keys_cell(d.audiences.iter().map(|a| a.as_str())),
                keys_cell(d.topics.iter().map(|a| a.as_str())),
                keys_cell(d.channels.iter().map(|a| a.as_str())),
                opt(d.max_employees),
                opt(d.reservation),
                opt(d.anonymous),
                keys_cell(serves.iter().map(String::as_str)),
                opt(reg.and_then(|r| r.number.clone())),
                opt(reg.and_then(|r| r.until.as_ref().map(|u| u.value))),
            ]
        }
    }
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// 利用可能曜日, 開始時間, 終了時間 from the regular week, when every open day of it has the
/// same single interval (e.g. `月火水木金`, `08:30`, `17:15`); `祝` is added when public
/// holidays have that interval too. `None` when the week cannot be said in these columns
/// (different hours on different days, a lunch break, past midnight, unknown days): the
/// `利用可能時間_OSM` column has the full rule.
pub fn weekly_columns(week: &WeekTable) -> Option<(String, String, String)> {
    if week.days.iter().any(|d| d.unknown) {
        return None;
    }
    let mut interval: Option<Interval> = None;
    let mut days = String::new();
    for (d, hours) in week.days.iter().enumerate() {
        match hours.intervals.as_slice() {
            [] => {}
            [iv] if interval.is_none_or(|first| first == *iv) => {
                interval = Some(*iv);
                days.push_str(crate::text::days::JA_SHORT[d]);
            }
            _ => return None,
        }
    }
    let iv = interval?;
    if iv.end > 24 * 60 {
        return None;
    }
    let all_days = week.days.iter().all(|d| !d.intervals.is_empty());
    match &week.public_holidays {
        DayRule::Open(ivs) if ivs.as_slice() == [iv] => days.push('祝'),
        DayRule::SameAsWeekday if all_days => days.push('祝'),
        _ => {}
    }
    Some((days, hhmm(iv.start), hhmm(iv.end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_columns_need_one_interval() {
        let week = |s: &str| {
            crate::hours::parse(s)
                .unwrap()
                .week(jiff::civil::date(2026, 11, 21))
        };
        assert_eq!(
            weekly_columns(&week("Mo-Fr 08:30-17:15; PH off")),
            Some(("月火水木金".into(), "08:30".into(), "17:15".into()))
        );
        assert_eq!(
            weekly_columns(&week("Mo-Su 09:00-17:00")),
            Some(("月火水木金土日祝".into(), "09:00".into(), "17:00".into()))
        );
        assert_eq!(
            weekly_columns(&week("24/7")),
            Some(("月火水木金土日祝".into(), "00:00".into(), "24:00".into()))
        );
        assert_eq!(weekly_columns(&week("Mo-Fr 08:30-12:00,13:00-17:15")), None);
        assert_eq!(
            weekly_columns(&week("Mo-Fr 09:00-17:00; Sa 09:00-12:00")),
            None
        );
        assert_eq!(weekly_columns(&week("Fr 22:00-02:00")), None);
    }
}
