//! The A4 print layout: the demo's 東部 printed by headless Chromium to PDF, checked with
//! poppler-utils (A4 pages, every record name of the area once) and zbarimg (the QR code
//! links to the area page).

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

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

#[test]
fn the_tobu_print_page_is_a4_with_every_record_and_a_qr_code() {
    let (Some(chromium), Some(pdfinfo), Some(pdftotext), Some(pdftoppm), Some(zbarimg)) = (
        tool("chromium"),
        tool("pdfinfo"),
        tool("pdftotext"),
        tool("pdftoppm"),
        tool("zbarimg"),
    ) else {
        return;
    };
    let root = manifest_dir();
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("public");
    let build = run(&[
        "build",
        "--site",
        root.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let pdf = tmp.path().join("tobu.pdf");
    print_to_pdf(
        &chromium,
        &out_dir.join("areas/3706/print/index.html"),
        &pdf,
    );

    let info = String::from_utf8(Command::new(pdfinfo).arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains("(A4)"), "{info}");
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 2, "a long list flows over pages");

    // Every record of the area, by the names the model lists, appears as often as it exists.
    // -raw keeps the content stream order (the DOM order), so the two columns do not interleave.
    let text = String::from_utf8(
        Command::new(pdftotext)
            .arg("-raw")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let checked = kenkomap::site::check(&root, jiff::civil::date(2026, 11, 21)).unwrap();
    let model = kenkomap::model::Model::new(std::sync::Arc::new(checked.site.unwrap()));
    let area = model.areas.iter().find(|a| a.code == "3706").unwrap();
    let names: Vec<String> = kenkomap::registry::Kind::ALL
        .iter()
        .flat_map(|&k| {
            area.records(k)
                .iter()
                .map(|&i| model.record(i).name.value.clone())
        })
        .collect();
    assert!(names.len() > 400);
    let mut missing = Vec::new();
    for name in &names {
        let key: String = name.chars().filter(|c| !c.is_whitespace()).collect();
        let expected = names
            .iter()
            .filter(|n| n.chars().filter(|c| !c.is_whitespace()).collect::<String>() == key)
            .count();
        // Names that contain another record's name (高松市保健所 in 高松市保健所…) are counted by
        // the longer names too.
        let containing = names
            .iter()
            .filter(|n| {
                let k: String = n.chars().filter(|c| !c.is_whitespace()).collect();
                k != key && k.contains(&key)
            })
            .count();
        let found = flat.matches(&key).count();
        if found != expected + containing {
            missing.push(format!(
                "{name}: {found} times, expected {}",
                expected + containing
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));

    // The QR code on the first page links to the live area page.
    let png = tmp.path().join("page");
    let status = Command::new(pdftoppm)
        .args(["-r", "150", "-png", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let image = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name().unwrap().to_string_lossy().starts_with("page")
                && p.extension().is_some_and(|e| e == "png")
        })
        .unwrap();
    let decoded = Command::new(zbarimg)
        .args(["--quiet", "--raw"])
        .arg(&image)
        .output()
        .unwrap();
    let decoded = String::from_utf8_lossy(&decoded.stdout);
    assert_eq!(decoded.trim(), "https://kenkomap.example.jp/areas/3706/");
}
