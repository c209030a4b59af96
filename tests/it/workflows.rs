//! The GitHub Actions workflows pass actionlint: kenkomap's own (`.github/workflows/`: CI and
//! releases) and the ones `kenkomap init` writes into every council's site. scripts/test
//! installs actionlint (with shellcheck for the `run:` scripts) when it is missing.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

/// actionlint from `ACTIONLINT` or `PATH`; `None` (skipped with a message) when it is not
/// installed, a failure in CI, where scripts/test installs it.
fn actionlint() -> Option<PathBuf> {
    let bin =
        std::env::var_os("ACTIONLINT").map_or_else(|| PathBuf::from("actionlint"), PathBuf::from);
    if Command::new(&bin)
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some(bin);
    }
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "actionlint is not installed and CI=true: scripts/test installs it"
    );
    eprintln!("skipping: actionlint is not installed (scripts/test installs it)");
    None
}

#[test]
fn every_workflow_passes_actionlint() {
    let Some(actionlint) = actionlint() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert!(
        common::run(&["init", site.to_str().unwrap()])
            .status
            .success()
    );
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        common::manifest_dir().join(".github/workflows"),
        site.join(".github/workflows"),
    ] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yml"))
            .collect();
        assert!(!found.is_empty(), "no workflows in {}", dir.display());
        files.append(&mut found);
    }
    let out = Command::new(&actionlint).args(&files).output().unwrap();
    assert!(
        out.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
