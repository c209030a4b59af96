//! The rows of an input file, whatever its format: a CSV text (comma- or tab-separated) or a
//! sheet of a workbook (`.xlsx`, `.xls`, `.ods`). Importers read a [`Table`] and never the
//! format.

use std::io::Cursor;

use calamine::{Data, Reader};

use super::text::lf;

/// A header row and the data rows under it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// The sheet's name, for a workbook.
    pub sheet: Option<String>,
}

/// One data row and where it starts: the line of a CSV file, the row number of a sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

impl Row {
    pub fn get(&self, i: usize) -> Option<&str> {
        self.cells.get(i).map(String::as_str)
    }
}

/// A problem that stops reading, at a line (or row) when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    pub line: Option<u64>,
    pub message: String,
}

/// The delimiter of a CSV text: a tab when the header line has more tabs than commas (a
/// tab-separated file named `.csv`), a comma otherwise.
pub fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.chars().filter(|&x| x == c).count();
    if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

/// Reads a CSV text (already decoded; a byte-order mark is skipped). Line breaks are
/// normalised first, so that CRLF and bare LF inside quoted fields read alike and lines are
/// counted right.
pub fn from_csv(text: &str) -> Result<Table, TableError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(Cursor::new(lf(text).into_bytes()));
    let csv_err = |e: csv::Error| TableError {
        line: e.position().map(|p| p.line()),
        message: format!("CSV error: {e}"),
    };
    let headers = rdr
        .headers()
        .map_err(|e| TableError {
            line: Some(1),
            message: format!("cannot read the header row: {e}"),
        })?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while rdr.read_record(&mut record).map_err(csv_err)? {
        rows.push(Row {
            line: record.position().map_or(0, |p| p.line()),
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(Table {
        headers,
        rows,
        sheet: None,
    })
}

/// True when the file name says workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`), or the bytes do:
/// a zip file or an OLE compound file (an old `.xls`), which no CSV file is.
pub fn is_workbook(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods"]
        .iter()
        .any(|e| lower.ends_with(e))
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// The most cells a sheet may have: a hostile file can declare a huge range.
const MAX_CELLS: usize = 20_000_000;

/// Reads one sheet of a workbook: `sheet` by name, or the first sheet with a header row.
/// Only cell values are read: no metadata (document properties hold staff names), no
/// phonetic (ruby) runs of shared strings.
pub fn from_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Table, TableError> {
    let bytes = bytes.to_vec();
    // calamine parses untrusted zip and XML: a panic in it is a broken file, not a crash.
    std::panic::catch_unwind(move || read_workbook(&bytes, sheet.map(str::to_owned)))
        .unwrap_or_else(|_| {
            Err(TableError {
                line: None,
                message: "the workbook cannot be read (a damaged file?)".into(),
            })
        })
}

/// The most a zipped workbook (.xlsx, .ods) may unpack to: a small file can declare
/// gigabytes.
const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// A zipped workbook whose entries would unpack to more than [`MAX_UNPACKED_BYTES`].
fn too_large_unpacked(bytes: &[u8]) -> Option<String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let total = match zip.decompressed_size() {
        Some(t) => u64::try_from(t).unwrap_or(u64::MAX),
        // Entries with a data descriptor: the sizes of their central-directory records.
        None => (0..zip.len())
            .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
            .fold(0u64, u64::saturating_add),
    };
    (total > MAX_UNPACKED_BYTES).then(|| {
        format!(
            "the workbook unpacks to {} MB, more than the {} MB an import reads",
            total >> 20,
            MAX_UNPACKED_BYTES >> 20
        )
    })
}

fn read_workbook(bytes: &[u8], sheet: Option<String>) -> Result<Table, TableError> {
    let fail = |message: String| TableError {
        line: None,
        message,
    };
    if let Some(m) = too_large_unpacked(bytes) {
        return Err(fail(m));
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        fail(format!(
            "not a workbook (.xlsx, .xls, .ods) calamine can read: {e}"
        ))
    })?;
    let names = book.sheet_names();
    if let Some(want) = &sheet {
        if !names.contains(want) {
            return Err(fail(format!(
                "--sheet {want:?}: no such sheet; the sheets are {}",
                names.join(", ")
            )));
        }
        let range = sheet_range(&mut book, want)?;
        return table_of(&range, want).ok_or_else(|| {
            fail(format!(
                "sheet {want}: no header row (a row of at least two texts)"
            ))
        });
    }
    for name in &names {
        let range = sheet_range(&mut book, name)?;
        if let Some(t) = table_of(&range, name) {
            return Ok(t);
        }
    }
    Err(fail(format!(
        "no sheet has a header row (a row of at least two texts); the sheets are {}",
        names.join(", ")
    )))
}

fn sheet_range<RS: std::io::Read + std::io::Seek>(
    book: &mut calamine::Sheets<RS>,
    name: &str,
) -> Result<calamine::Range<Data>, TableError> {
    let range = book.worksheet_range(name).map_err(|e| TableError {
        line: None,
        message: format!("sheet {name}: {e}"),
    })?;
    let (h, w) = range.get_size();
    if h.saturating_mul(w) > MAX_CELLS {
        return Err(TableError {
            line: None,
            message: format!("sheet {name}: {h} × {w} cells, more than an import reads"),
        });
    }
    Ok(range)
}

/// The sheet as a table. The header row is the first of the top rows with two headers the
/// importer knows (名称, 所在地, …), so that a title row above it (「病院一覧」「令和7年3月31日現在」)
/// is skipped; else the first row with at least two text cells.
fn table_of(range: &calamine::Range<Data>, name: &str) -> Option<Table> {
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let rows: Vec<(u64, Vec<String>)> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut out: Vec<String> = vec![String::new(); first_col];
            out.extend(cells.iter().map(cell_text));
            (first_row + i as u64 + 1, out)
        })
        .collect();
    let known = |cells: &[String]| {
        cells
            .iter()
            .filter(|c| super::columns::detect(&super::text::header_key(c)).is_some())
            .count()
    };
    let texts = |cells: &[String]| cells.iter().filter(|c| !c.trim().is_empty()).count();
    let at = rows
        .iter()
        .take(30)
        .position(|(_, c)| known(c) >= 2)
        .or_else(|| rows.iter().position(|(_, c)| texts(c) >= 2))?;
    let mut rows = rows.into_iter().skip(at);
    let (_, headers) = rows.next()?;
    Some(Table {
        headers,
        rows: rows.map(|(line, cells)| Row { line, cells }).collect(),
        sheet: Some(name.to_owned()),
    })
}

/// A cell as text: whole numbers without `.0` (a bed count of 12 is `12`, not `12.0`).
pub fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.to_string(),
    }
}

/// A column's name in a sheet: `A`, `B`, … `Z`, `AA`, … (0-based index).
pub fn column_letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_separated_csv() {
        let t = from_csv("NO\t名称\n1\t\"a\r\nb\"\n").unwrap();
        assert_eq!(t.headers, ["NO", "名称"]);
        assert_eq!(t.rows[0].cells, ["1", "a\nb"]);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(sniff_delimiter("a,b\tc,d"), b',');
    }

    #[test]
    fn cells_and_columns() {
        assert_eq!(cell_text(&Data::Float(12.0)), "12");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(117), "DN");
        assert!(is_workbook("byouin_list.XLSX", b""));
        assert!(is_workbook("byouin_list.csv", b"PK\x03\x04..."));
        assert!(!is_workbook("a.csv", "名称,住所".as_bytes()));
    }

    #[test]
    fn a_title_row_above_the_header_is_skipped() {
        let mut r = calamine::Range::new((0, 0), (2, 2));
        r.set_value((0, 0), Data::String("病院一覧".into()));
        r.set_value((0, 1), Data::String("令和7年3月31日現在".into()));
        r.set_value((1, 0), Data::String("名称".into()));
        r.set_value((1, 1), Data::String("所在地".into()));
        r.set_value((2, 0), Data::String("a".into()));
        r.set_value((2, 1), Data::Float(12.0));
        let t = table_of(&r, "s").unwrap();
        assert_eq!(t.headers[..2], ["名称", "所在地"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 3);
        assert_eq!(t.rows[0].cells[1], "12");
    }

    #[test]
    fn garbage_is_not_a_workbook() {
        assert!(from_workbook(b"PK\x03\x04garbage", None).is_err());
        assert!(from_workbook(b"", None).is_err());
    }
}
