//! The print sheets, printed as a person would: the demo built, each area's sheet (and the
//! sheets of 東部's parks and of 高松市) printed by headless Chromium to A4 PDF, and checked
//! from the PDF (poppler-utils: pdfinfo, pdftotext, pdftoppm; zbarimg for the QR code) and from
//! the SVG maps in the page: every listed record's number is drawn on a map panel and its
//! number box overlaps no other, pages are numbered "k / n" with the data date, the QR code
//! reads back as the live page, and every record of 東部 is listed once. The same checks run
//! on another prefecture's real data: 大阪府's areas and hospitals, imported into a new site.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::*;

/// A tool from Debian's packages, or `None` (a failure in CI, where scripts/test installs it).
fn tool(name: &str) -> Option<String> {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .ok()?;
    if found.status.success() {
        return Some(String::from_utf8_lossy(&found.stdout).trim().to_owned());
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{name} is not installed (scripts/test installs it)");
    }
    eprintln!("skipping: {name} is not installed");
    None
}

struct Tools {
    chromium: String,
    pdfinfo: String,
    pdftotext: String,
    pdftoppm: String,
    zbarimg: String,
}

fn tools() -> Option<Tools> {
    Some(Tools {
        chromium: tool("chromium")?,
        pdfinfo: tool("pdfinfo")?,
        pdftotext: tool("pdftotext")?,
        pdftoppm: tool("pdftoppm")?,
        zbarimg: tool("zbarimg")?,
    })
}

/// A built site whose sheets are printed: its output and its model (checked once).
struct Printed {
    out: PathBuf,
    model: kenkomap::model::Model,
    _dir: tempfile::TempDir,
}

/// Builds the site at `root` into a temp dir.
fn printed(root: PathBuf, dir: tempfile::TempDir) -> Printed {
    let out = dir.path().join("public");
    build_to(&root, &out);
    let checked = kenkomap::site::check(&root, jiff::civil::date(2026, 11, 21)).unwrap();
    Printed {
        out,
        model: kenkomap::model::Model::new(std::sync::Arc::new(checked.site.unwrap())),
        _dir: dir,
    }
}

/// The demo built once for every test of this file.
fn demo() -> &'static Printed {
    static DEMO: OnceLock<Printed> = OnceLock::new();
    DEMO.get_or_init(|| printed(manifest_dir(), tempfile::tempdir().unwrap()))
}

/// Another prefecture, as a council would start it: a new site, 大阪府's areas from the
/// national N03 and A38 files and its hospitals from the national 医療情報ネット file.
fn osaka() -> Option<&'static Printed> {
    static OSAKA: OnceLock<Printed> = OnceLock::new();
    let national = shared("data/national")?;
    Some(OSAKA.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let s = |p: &Path| p.to_str().unwrap().to_owned();
        assert!(run(&["init", &s(&site)]).status.success());
        for example in [
            "data/areas/example.yaml",
            "data/boundaries/example.geojson",
            "data/facilities/example.yaml",
            "data/parks/example.yaml",
            "data/restaurants/example.yaml",
            "data/consultation/example.yaml",
        ] {
            std::fs::remove_file(site.join(example)).unwrap();
        }
        let file = |name: &str| s(&national.join(name));
        let (boundaries, membership, readings, hospitals) = (
            file("municipalities_N03-21_all_s0010.geojson"),
            file("municipality_to_secondary_area_A38-20.csv"),
            file("localgovjp_municipalities.csv"),
            file("mhlw_hospital_facility_info_20250601_excl_01_22.csv"),
        );
        let site_arg = s(&site);
        let areas = [
            "areas",
            boundaries.as_str(),
            "--membership",
            membership.as_str(),
            "--readings",
            readings.as_str(),
        ];
        for import in [&areas[..], &["mhlw", hospitals.as_str()]] {
            let mut args = vec!["import"];
            args.extend(import);
            args.extend(["--prefecture", "27", "--site", &site_arg]);
            let out = run(&args);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        printed(site, dir)
    }))
}

fn print_to_pdf(chromium: &str, html: &Path, pdf: &Path) {
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            pdf.with_extension("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        status.status.success() && pdf.is_file(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A printed sheet: its HTML, and its PDF's pages as text.
struct Sheet {
    html: String,
    pdf: PathBuf,
    pages: Vec<String>,
}

/// Prints the sheet at `rel` into `<tag>-<rel>.pdf` (tests run at once: each its own files).
fn print_sheet(tools: &Tools, site: &Printed, rel: &str, tag: &str) -> Sheet {
    let html_path = site.out.join(rel).join("index.html");
    let pdf = site
        .out
        .with_file_name(format!("{tag}-{}.pdf", rel.replace('/', "-")));
    print_to_pdf(&tools.chromium, &html_path, &pdf);
    let info = output(Command::new(&tools.pdfinfo).arg(&pdf));
    assert!(info.contains("(A4)"), "{rel}: {info}");
    let text = output(
        Command::new(&tools.pdftotext)
            .arg("-raw")
            .arg(&pdf)
            .arg("-"),
    );
    let pages: Vec<String> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_owned)
        .collect();
    let count: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(pages.len(), count, "{rel}: a page without text");
    Sheet {
        html: std::fs::read_to_string(html_path).unwrap(),
        pdf,
        pages,
    }
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The numbers of the sheet's list (`<li value="12">`).
fn listed_numbers(html: &str) -> Vec<usize> {
    html.split("<li")
        .skip(1)
        .filter_map(|li| {
            let head = &li[..li.find('>')?];
            let v = head.split("value=\"").nth(1)?;
            v[..v.find('"')?].parse().ok()
        })
        .collect()
}

/// The numbers of the listed records that have no location (found by the name the sheet
/// prints).
fn unlocated_numbers(html: &str, model: &kenkomap::model::Model) -> Vec<usize> {
    let names: std::collections::BTreeSet<&str> = model
        .site
        .records
        .iter()
        .filter(|r| r.location.is_none())
        .map(|r| r.name.value.as_str())
        .collect();
    html.split("<li value=\"")
        .skip(1)
        .filter_map(|li| {
            let n: usize = li[..li.find('"')?].parse().ok()?;
            let name = li.split("<span class=\"name\"").nth(1)?;
            let name = &name[name.find('>')? + 1..name.find("</span>")?];
            names.contains(name).then_some(n)
        })
        .collect()
}

/// The numbers drawn on each map panel (overview first, then the insets), with where they
/// start (x, baseline y) in the panel's units.
fn drawn_numbers(html: &str) -> Vec<Vec<(usize, f64, f64)>> {
    html.split("class=\"numbers\"")
        .skip(1)
        .map(|group| {
            let group = &group[..group.find("</g>").unwrap()];
            group
                .split("<text ")
                .skip(1)
                .map(|t| {
                    let attr = |name: &str| -> f64 {
                        let v = t.split(&format!("{name}=\"")).nth(1).unwrap();
                        v[..v.find('"').unwrap()].parse().unwrap()
                    };
                    let n = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
                    (n.parse().unwrap(), attr("x"), attr("y"))
                })
                .collect()
        })
        .collect()
}

/// Numbers printed on a map in the PDF: words of digits alone outside the page foot, of the
/// height of a map number (list numbers are printed "12.", inset captions are larger).
fn numbers_in_pdf(tools: &Tools, pdf: &Path) -> Vec<usize> {
    let bbox = output(
        Command::new(&tools.pdftotext)
            .arg("-bbox")
            .arg(pdf)
            .arg("-"),
    );
    bbox.lines()
        .filter_map(|line| {
            let word = line.trim().strip_prefix("<word ")?;
            let attr = |name: &str| -> Option<f64> {
                let v = word.split(&format!("{name}=\"")).nth(1)?;
                v[..v.find('"')?].parse().ok()
            };
            let text = &word[word.find('>')? + 1..word.find("</word>")?];
            let height = attr("yMax")? - attr("yMin")?;
            let in_foot = attr("yMin")? > 800.0;
            let n: usize = text.parse().ok()?;
            (!in_foot && (15.0..24.0).contains(&height)).then_some(n)
        })
        .collect()
}

/// Every listed number is drawn on a map panel (in the SVG and in the PDF), and on each panel
/// no two numbers' boxes overlap.
fn assert_every_number_on_a_map(tools: &Tools, site: &Printed, rel: &str, sheet: &Sheet) {
    let listed = listed_numbers(&sheet.html);
    assert!(!listed.is_empty(), "{rel}: a list");
    let panels = drawn_numbers(&sheet.html);
    let drawn: std::collections::BTreeSet<usize> =
        panels.iter().flatten().map(|(n, _, _)| *n).collect();
    let missing: Vec<usize> = listed
        .iter()
        .copied()
        .filter(|n| !drawn.contains(n))
        .collect();
    // Only a record without a location may be missing from the maps, and it is marked ※
    // (with the note that says what ※ means).
    let unlocated = unlocated_numbers(&sheet.html, &site.model);
    assert!(
        missing == unlocated,
        "{rel}: numbers on no map panel: {missing:?} (records without a location: {unlocated:?})"
    );
    let marked = sheet.html.matches("class=\"off-map\"").count();
    assert_eq!(
        marked,
        unlocated.len(),
        "{rel}: only records without a location are marked ※"
    );
    if marked > 0 {
        assert!(
            sheet.html.contains("class=\"map-note\""),
            "{rel}: the note for ※"
        );
    }
    for (p, numbers) in panels.iter().enumerate() {
        // A number's box: 6.9 units a digit, 10.5 high, its baseline 1.2 above the bottom.
        let boxes: Vec<[f64; 4]> = numbers
            .iter()
            .map(|&(n, x, y)| {
                let w = 6.9 * n.to_string().len() as f64;
                [x, y - 9.3, x + w, y]
            })
            .collect();
        for (a, ra) in boxes.iter().enumerate() {
            for rb in &boxes[a + 1..] {
                let overlap = ra[0] < rb[2] && rb[0] < ra[2] && ra[1] < rb[3] && rb[1] < ra[3];
                assert!(
                    !overlap,
                    "{rel}: panel {p}: numbers overlap at {ra:?} {rb:?}"
                );
            }
        }
    }
    let printed: std::collections::BTreeSet<usize> =
        numbers_in_pdf(tools, &sheet.pdf).into_iter().collect();
    let unprinted: Vec<usize> = listed
        .iter()
        .copied()
        .filter(|n| !printed.contains(n) && !unlocated.contains(n))
        .collect();
    assert!(
        unprinted.is_empty(),
        "{rel}: numbers the PDF shows on no map: {unprinted:?}"
    );
    eprintln!(
        "{rel}: {} records listed, all numbered on {} map panels; {} pages",
        listed.len(),
        panels.len(),
        sheet.pages.len()
    );
}

/// Each page carries "k / n" and the data date at its foot; the date is returned.
fn assert_pages_numbered(rel: &str, sheet: &Sheet) -> String {
    let n = sheet.pages.len();
    let first = squeeze(&sheet.pages[0]);
    let date = first
        .split("情報の時点:")
        .nth(1)
        .and_then(|d| Some(&d[..d.find('日')? + '日'.len_utf8()]))
        .unwrap_or_else(|| panic!("{rel}: no data date"))
        .to_owned();
    for (k, page) in sheet.pages.iter().enumerate() {
        let text = squeeze(page);
        assert!(
            text.contains(&format!("{}/{n}", k + 1)),
            "{rel}: page {} has no page number",
            k + 1
        );
        assert!(
            text.contains(&format!("情報の時点:{date}")),
            "{rel}: page {} has no data date",
            k + 1
        );
    }
    date
}

/// The QR code on the first page reads back as `url`.
fn assert_qr(tools: &Tools, sheet: &Sheet, url: &str) {
    let png = sheet.pdf.with_extension("page1");
    let status = Command::new(&tools.pdftoppm)
        .args(["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&sheet.pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let decoded = output(
        Command::new(&tools.zbarimg)
            .args(["--quiet", "--raw"])
            .arg(png.with_extension("page1.png")),
    );
    assert_eq!(decoded.trim(), url);
}

#[test]
fn every_area_sheet_numbers_every_record_on_a_map() {
    let Some(tools) = tools() else {
        return;
    };
    let model = &demo().model;
    assert_eq!(model.areas.len(), 3);
    for area in &model.areas {
        let rel = format!("areas/{}/print", area.code);
        let sheet = print_sheet(&tools, demo(), &rel, "area");
        assert_every_number_on_a_map(&tools, demo(), &rel, &sheet);
        assert_eq!(assert_pages_numbered(&rel, &sheet), "2026年10月1日");
        assert_qr(
            &tools,
            &sheet,
            &format!("https://kenkomap.example.jp/areas/{}/", area.code),
        );
        // The QR code's URL is printed on one line.
        assert!(
            sheet.pages[0]
                .lines()
                .any(|l| l.trim() == format!("https://kenkomap.example.jp/areas/{}/", area.code)),
            "{rel}: the URL is cut: {}",
            sheet.pages[0]
        );
    }
}

#[test]
fn the_sheets_of_a_kind_and_of_a_municipality_are_numbered_too() {
    let Some(tools) = tools() else {
        return;
    };
    for (rel, url) in [
        (
            "areas/3706/parks/print",
            "https://kenkomap.example.jp/areas/3706/parks/",
        ),
        (
            "areas/3706/print/372013",
            "https://kenkomap.example.jp/areas/3706/",
        ),
    ] {
        let sheet = print_sheet(&tools, demo(), rel, "other");
        assert_every_number_on_a_map(&tools, demo(), rel, &sheet);
        assert_eq!(assert_pages_numbered(rel, &sheet), "2026年10月1日");
        assert_qr(&tools, &sheet, url);
    }
}

/// Data this code was not written on: each of 大阪府's eight area sheets numbers every hospital
/// on a map panel (大阪市's 170-odd, in its dense centre, need insets), with page numbers, and
/// its QR code reads back.
#[test]
fn every_area_sheet_of_another_prefecture_numbers_every_hospital_on_a_map() {
    let (Some(tools), Some(site)) = (tools(), osaka()) else {
        return;
    };
    let model = &site.model;
    assert_eq!(model.areas.len(), 8, "大阪府 has eight 二次医療圏");
    let mut insets = 0;
    for area in &model.areas {
        let rel = format!("areas/{}/print", area.code);
        let sheet = print_sheet(&tools, site, &rel, "osaka");
        assert_every_number_on_a_map(&tools, site, &rel, &sheet);
        assert_pages_numbered(&rel, &sheet);
        insets += sheet.html.matches("<figure class=\"inset\"").count();
        let url = sheet
            .html
            .split("<link rel=\"canonical\" href=\"")
            .nth(1)
            .unwrap();
        assert_qr(&tools, &sheet, &url[..url.find('"').unwrap()]);
    }
    assert!(insets > 0, "the dense parts get insets");
}

#[test]
fn the_tobu_sheet_lists_every_record_in_the_configured_order() {
    let Some(tools) = tools() else {
        return;
    };
    let sheet = print_sheet(&tools, demo(), "areas/3706/print", "list");
    let text = squeeze(&sheet.pages.join(""));
    let model = &demo().model;
    let area = model.areas.iter().find(|a| a.code == "3706").unwrap();
    // Kinds in the default `print.order`: consultation bodies, facilities, restaurants, parks;
    // each kind's heading comes after the previous kind's.
    use kenkomap::registry::Kind;
    let headings: Vec<usize> = [
        (Kind::Consultation, "相談機関"),
        (Kind::Facilities, "医療・保健施設"),
        (Kind::Restaurants, "ヘルシーメニュー協力店"),
        (Kind::Parks, "公園・運動施設"),
    ]
    .iter()
    .map(|(k, label)| {
        let h = format!("{label}{}件", area.records(*k).len());
        text.find(&h).unwrap_or_else(|| panic!("{h}"))
    })
    .collect();
    assert!(headings.windows(2).all(|w| w[0] < w[1]), "{headings:?}");
    // Every record of the area, by the names the model lists, appears as often as it exists
    // (names that contain another record's name count for it too).
    let names: Vec<String> = kenkomap::registry::Kind::ALL
        .iter()
        .flat_map(|&k| {
            area.records(k)
                .iter()
                .map(|&i| squeeze(&model.record(i).name.value))
        })
        .collect();
    assert!(names.len() > 400);
    let mut wrong = Vec::new();
    for name in &names {
        let expected = names.iter().filter(|n| n.contains(name.as_str())).count();
        let found = text.matches(name.as_str()).count();
        if found != expected {
            wrong.push(format!("{name}: {found} times, expected {expected}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Unknown phone numbers and hours say so; samples are marked.
    assert!(text.contains("電話—"), "a missing phone number is a dash");
    assert!(text.contains("時間—"), "missing hours are a dash");
    assert!(text.contains("「—」は、データに情報がない項目です"));
    assert!(text.contains("「サンプル」は架空の例で、実在しません。"));
}
