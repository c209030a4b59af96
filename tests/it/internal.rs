//! `internal:` values (contact persons, never published) never appear in diagnostics, in any
//! format: GitHub annotations are public, and `serve` shows diagnostics in a browser.

use crate::common::*;

const NAME: &str = "山田太郎";

fn check(site: &std::path::Path, format: &str) -> String {
    let out = run(&[
        "check",
        "--site",
        site.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert_eq!(out.status.code(), Some(1), "the fixture has errors");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn no_format_shows_internal_values() {
    let site = materialise(&fixtures().join("internal"));
    for format in ["human", "github", "json"] {
        let out = check(site.path(), format);
        for code in ["E0104", "E0107", "E0103", "E0001"] {
            assert!(out.contains(code), "{format}: {code} is reported\n{out}");
        }
        assert!(
            !out.contains(NAME),
            "{format} shows an internal value:\n{out}"
        );
    }
}

#[test]
fn human_output_shows_a_placeholder_and_keeps_the_rest_of_the_line() {
    let site = materialise(&fixtures().join("internal"));
    let out = check(site.path(), "human");
    // The flow record's line keeps what precedes `internal:`, so the bad id is still shown.
    assert!(
        out.contains("- { id: Flow_Park, name: 流れ公園, type: park, municipality: \"372013\", internal: … (internal, not shown)"),
        "{out}"
    );
    // `internal: 山田太郎` (not a mapping) and the duplicate key inside the block, with
    // their true columns.
    assert!(out.contains("parks.yaml:23:15"), "{out}");
    assert!(
        out.contains("23 |     internal: … (internal, not shown)"),
        "{out}"
    );
    assert!(out.contains("broken.yaml:8:7"), "{out}");
    assert!(out.contains("8 |       … (internal, not shown)"), "{out}");
    // Lines next to an internal value are shown as they are.
    assert!(out.contains("  - id: Tamamo_Park"), "{out}");
    assert!(out.contains("    fee: Paid"), "{out}");
}
