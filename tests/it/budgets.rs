//! Page-weight budgets on the built demo: what a resident's phone downloads.
//!
//! - area page HTML ≤ 100 KB gzip (the largest area included);
//! - record page HTML ≤ 15 KB gzip (every record page);
//! - JavaScript on a page ≤ 80 KB gzip (scripts and the modules they import);
//! - boundary GeoJSON ≤ 50 KB gzip per area.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::common::*;

fn gzip_len(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

fn built_demo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_to(&manifest_dir(), &out);
    (tmp, out)
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

/// Every JavaScript file a page loads: its `<script src>`s and, recursively, their imports.
fn scripts(page: &Path, html: &str) -> Vec<PathBuf> {
    let mut todo: Vec<PathBuf> = html
        .split("<script ")
        .skip(1)
        .filter_map(|tag| {
            let src = tag.split("src=\"").nth(1)?.split('"').next()?;
            Some(page.parent().unwrap().join(src))
        })
        .collect();
    let mut seen = Vec::new();
    while let Some(path) = todo.pop() {
        let path = path
            .canonicalize()
            .unwrap_or_else(|_| panic!("{} loads a missing {}", page.display(), path.display()));
        if seen.contains(&path) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines().filter(|l| l.starts_with("import ")) {
            if let Some(spec) = line.split(['"', '\'']).nth(1) {
                todo.push(path.parent().unwrap().join(spec));
            }
        }
        seen.push(path);
    }
    seen
}

#[test]
fn the_demo_keeps_its_page_weight_budgets() {
    let (_tmp, out) = built_demo();
    let mut report = Vec::new();
    let mut failures = Vec::new();
    let mut largest = |label: &str, files: Vec<(PathBuf, usize)>, budget: usize| {
        let (path, size) = files.into_iter().max_by_key(|f| f.1).unwrap();
        report.push(format!(
            "{label}: largest {:.1} KB gzip ({})",
            size as f64 / 1000.0,
            path.strip_prefix(&out).unwrap().display()
        ));
        if size > budget {
            failures.push(format!(
                "{label}: {} is {size} bytes gzip, over {budget}",
                path.display()
            ));
        }
    };
    let pages = html_files(&out);
    let gz = |p: &PathBuf| (p.clone(), gzip_len(&std::fs::read(p).unwrap()));
    // A page's path in the output without the language prefix: `areas/3701/index.html`.
    let neutral = |p: &PathBuf| {
        p.strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace("en/", "")
    };
    let area_pages: Vec<_> = pages
        .iter()
        .filter(|p| {
            let rel = neutral(p);
            rel.starts_with("areas/") && rel.matches('/').count() == 2
        })
        .map(gz)
        .collect();
    assert!(area_pages.len() >= 6, "both languages' area pages");
    largest("area page HTML", area_pages, 100_000);
    let record_pages: Vec<_> = pages
        .iter()
        .filter(|p| {
            let rel = neutral(p);
            ["facilities/", "parks/", "restaurants/", "consultation/"]
                .iter()
                .any(|k| rel.starts_with(k))
                && rel.matches('/').count() == 2
        })
        .map(gz)
        .collect();
    assert!(record_pages.len() > 900);
    largest("record page HTML", record_pages, 15_000);
    let js: Vec<_> = pages
        .iter()
        .map(|p| {
            let html = std::fs::read_to_string(p).unwrap();
            let total = scripts(p, &html)
                .iter()
                .map(|s| gzip_len(&std::fs::read(s).unwrap()))
                .sum();
            (p.clone(), total)
        })
        .collect();
    largest("JavaScript per page", js, 80_000);
    let boundaries: Vec<_> = std::fs::read_dir(out.join("data/boundaries"))
        .unwrap()
        .map(|e| gz(&e.unwrap().path()))
        .collect();
    largest("boundary GeoJSON", boundaries, 50_000);
    eprintln!("{}", report.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
