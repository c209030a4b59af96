//! Shared helpers of the integration tests: fixture sites, running the binary, reading
//! `../shared` (the real data).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// "Today" for every test run, so date rules (stale, expired) do not drift with the calendar.
pub const TODAY: &str = "2026-11-21";

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    manifest_dir().join("tests/fixtures")
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_kenkomap"))
}

/// Runs `kenkomap` with `args`, today pinned, no colours.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env("KENKOMAP_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .output()
        .expect("kenkomap runs")
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The valid fixture site in a temp dir (Leaflet comes from the binary).
pub fn valid_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("valid"), dir.path());
    dir
}

/// Runs `kenkomap build` on `site` (into `<site>/public`) and asserts it succeeded.
pub fn build_ok(site: &Path) {
    let out = run(&["build", "--site", site.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `kenkomap build` on `site` into `out` and asserts it succeeded.
pub fn build_to(site: &Path, out: &Path) {
    let o = run(&[
        "build",
        "--site",
        site.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A broken fixture is an overlay on the valid site: its files replace or add to the valid
/// site's, and the paths listed in its `REMOVE` file are deleted. This materialises it.
pub fn materialise(broken: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("valid"), dir.path());
    for entry in walkdir::WalkDir::new(broken) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(broken).unwrap();
        let name = rel.to_string_lossy();
        if entry.file_type().is_dir() || matches!(&*name, "expect.txt" | "REMOVE" | "LINKS") {
            continue;
        }
        let dest = dir.path().join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(entry.path(), &dest).unwrap();
    }
    if let Ok(remove) = std::fs::read_to_string(broken.join("REMOVE")) {
        for line in remove.lines().filter(|l| !l.trim().is_empty()) {
            let path = dir.path().join(line.trim());
            if path.is_dir() {
                std::fs::remove_dir_all(&path).unwrap();
            } else {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    // Symbolic links are made here rather than committed: Windows checkouts turn them into
    // text files.
    #[cfg(unix)]
    if let Ok(links) = std::fs::read_to_string(broken.join("LINKS")) {
        for line in links.lines().filter(|l| !l.trim().is_empty()) {
            let (path, target) = line.split_once(" -> ").expect("LINKS: `path -> target`");
            std::os::unix::fs::symlink(target.trim(), dir.path().join(path.trim())).unwrap();
        }
    }
    dir
}

/// `../shared/<rel>` (real data and HSDS schemas). When it is missing, tests skip with a
/// message, except in CI (`CI=true`) where a missing `../shared` is a failure.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = manifest_dir().join("../shared").join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "{} is missing and CI=true: the real-data tests cannot be skipped in CI",
            path.display()
        );
    }
    eprintln!(
        "skipping: {} is missing (real data lives beside the repository)",
        path.display()
    );
    None
}
