//! `kenkomap init`: a new site that checks and builds at once, with the CI workflows.

mod common;

use common::*;

#[test]
fn a_new_site_checks_builds_and_has_its_workflows() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-map");
    let out = run(&["init", site.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // It checks, and the warnings say what is left: init's placeholders and its samples.
    let check = run(&[
        "check",
        "--site",
        site.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let left: Vec<String> = String::from_utf8_lossy(&check.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["code"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        left, ["W0508"; 4],
        "title, base_url, prefecture 99, samples"
    );

    for kind in ["facilities", "parks", "restaurants", "consultation"] {
        let yaml = std::fs::read_to_string(site.join(format!("data/{kind}/example.yaml"))).unwrap();
        assert!(
            yaml.contains("sample: true"),
            "{kind} has one example record"
        );
    }
    let check_workflow = std::fs::read_to_string(site.join(".github/workflows/check.yml")).unwrap();
    assert!(check_workflow.contains("pull_request"));
    assert!(check_workflow.contains("kenkomap check --format github"));
    let publish = std::fs::read_to_string(site.join(".github/workflows/publish.yml")).unwrap();
    assert!(publish.contains("branches: [main]"));
    assert!(publish.contains("kenkomap build"));
    // No Rust and no Node.js in a council's CI: the release that wrote the workflows, checked.
    let version = env!("CARGO_PKG_VERSION");
    for workflow in [&check_workflow, &publish] {
        for absent in [
            "cargo",
            "npm",
            "setup-node",
            "rust-toolchain",
            "@VERSION@",
            "@INSTALL@",
        ] {
            assert!(!workflow.contains(absent), "{absent} in\n{workflow}");
        }
        assert!(
            workflow.contains(&format!("VERSION: \"{version}\"")),
            "{workflow}"
        );
        assert!(workflow.contains("sha256sum --check"), "{workflow}");
    }
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    assert!(
        readme.contains("GitHub Actions") && readme.contains("base_url"),
        "{readme}"
    );
    assert!(
        !site.join("themes").exists(),
        "the theme and Leaflet come from the binary"
    );

    let build = run(&["build", "--site", site.to_str().unwrap()]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(site.join("public/areas/9901/index.html").is_file());
}

#[test]
fn init_refuses_a_non_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let out = run(&["init", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("keep.txt")).unwrap(),
        "mine"
    );
}
