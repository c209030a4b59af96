//! `kenkomap check` on the fixture sites: the valid one passes, and each broken one reports
//! exactly its diagnostic code at the exact file, line and column.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;
use kenkomap::diagnostics::Code;

/// (code, "file:line:col" or "-") of every diagnostic `check --format json` prints.
fn diagnostics_of(site: &Path) -> (BTreeSet<(String, String)>, i32) {
    let out = run(&[
        "check",
        "--site",
        site.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let set = stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let place = match v["file"].as_str() {
                Some(file) => format!("{file}:{}:{}", v["line"], v["col"]),
                None => "-".to_owned(),
            };
            (v["code"].as_str().unwrap().to_owned(), place)
        })
        .collect();
    (set, out.status.code().unwrap())
}

fn expected(dir: &Path) -> BTreeSet<(String, String)> {
    std::fs::read_to_string(dir.join("expect.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (code, place) = l.split_once(' ').unwrap();
            (code.to_owned(), place.trim().to_owned())
        })
        .collect()
}

fn broken_fixtures() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(fixtures().join("broken"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        // Fixtures with symbolic links (made by `materialise` from LINKS) need a Unix.
        .filter(|p| cfg!(unix) || !p.join("LINKS").exists())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn the_valid_fixture_has_no_diagnostics() {
    let (diags, code) = diagnostics_of(&fixtures().join("valid"));
    assert_eq!(diags, BTreeSet::new());
    assert_eq!(code, 0);
}

#[test]
fn each_broken_fixture_reports_exactly_its_diagnostics() {
    let mut failures = Vec::new();
    for dir in broken_fixtures() {
        let site = materialise(&dir);
        let (got, exit) = diagnostics_of(site.path());
        let want = expected(&dir);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let code = &name[..5];
        let expected_exit = match code {
            "E0501" => 2,
            c if c.starts_with('E') => 1,
            _ => 0,
        };
        if got != want || exit != expected_exit {
            failures.push(format!(
                "{name}: expected {want:?} exit {expected_exit}, got {got:?} exit {exit}"
            ));
        }
        assert!(
            want.iter().any(|(c, _)| c == code),
            "{name} must expect its own code"
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every diagnostic code that `check` can report has a broken fixture (build-time codes are
/// covered by the build tests).
#[test]
fn every_check_code_has_a_fixture() {
    let names: Vec<String> = broken_fixtures()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy()[..5].to_owned())
        .collect();
    for code in Code::ALL {
        if matches!(code, Code::Template | Code::ThemeAssets)
            || (!cfg!(unix) && *code == Code::NotRead)
        {
            continue;
        }
        assert!(
            names.iter().any(|n| n == code.id()),
            "no fixture for {}",
            code.id()
        );
    }
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let site = materialise(&fixtures().join("broken/W0307-stale"));
    let path = site.path().to_str().unwrap();
    assert_eq!(run(&["check", "--site", path]).status.code(), Some(0));
    assert_eq!(
        run(&["check", "--site", path, "--deny-warnings"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn github_format_annotates_files() {
    let site = materialise(&fixtures().join("broken/E0203-coordinate-range"));
    let out = run(&[
        "check",
        "--site",
        site.path().to_str().unwrap(),
        "--format",
        "github",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::error file=data/parks/broken.yaml,line=5,col=22,endColumn=28,title=E0203::latitude 134.05"),
        "{stdout}"
    );
}

/// The human rendering of every broken fixture, kept stable by snapshots.
#[test]
fn human_rendering_is_stable() {
    for dir in broken_fixtures() {
        let site = materialise(&dir);
        let out = run(&["check", "--site", site.path().to_str().unwrap()]);
        let stderr = String::from_utf8(out.stderr).unwrap();
        // The summary line has a timing and the temp path differs: keep the diagnostics only.
        let rendered: String = stderr
            .lines()
            .filter(|l| !l.starts_with("checked ") && !l.starts_with("error: no site.yaml"))
            .collect::<Vec<_>>()
            .join("\n");
        let rendered = rendered.replace(site.path().to_str().unwrap(), "<site>");
        // The snapshots keep the names and the folder they had when this was its own test
        // binary (`check__<fixture>.snap` in tests/snapshots).
        let name = format!("check__{}", dir.file_name().unwrap().to_string_lossy());
        insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

#[test]
fn missing_site_directory_is_a_usage_error() {
    assert_eq!(
        run(&["check", "--site", "/nonexistent/kenkomap"])
            .status
            .code(),
        Some(2)
    );
}

/// Counts read as English: "1 error", "1 record", never "1 errors".
#[test]
fn counts_are_singular_for_one() {
    let site = materialise(&fixtures().join("broken/E0203-coordinate-range"));
    let out = run(&["check", "--site", site.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stderr.lines().last().unwrap();
    assert!(summary.ends_with(": 1 error, 0 warnings"), "{summary}");
    let build = run(&["build", "--site", site.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(
        stderr.contains("build failed: 1 error, 0 warnings;"),
        "{stderr}"
    );
}
