//! `kenkomap init`: a new site that checks and builds at once, with the CI workflows.

use crate::common::*;

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
    assert_eq!(left, ["W0508"; 3], "title, prefecture 99, samples");

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
    assert_no_placeholders(&site);

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

/// Every `@NAME@` placeholder of the templates was filled in.
fn assert_no_placeholders(site: &std::path::Path) {
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() || entry.path().starts_with(site.join("public")) {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let placeholder = text.split('@').skip(1).find(|word| {
            !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        });
        assert!(
            placeholder.is_none(),
            "{placeholder:?} in {}",
            entry.path().display()
        );
    }
}

/// `init DIR --prefecture VALUE` into a temp dir; asserts it succeeded.
fn init_prefecture(value: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-map");
    let out = run(&["init", site.to_str().unwrap(), "--prefecture", value]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    (tmp, site)
}

/// `check --format json` finds no error and exactly one warning: the list of the example
/// records (`sample: true`), which a council replaces.
fn assert_checks_clean(site: &std::path::Path) {
    let out = run(&[
        "check",
        "--site",
        site.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diagnostics: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(diagnostics.len(), 1, "{stdout}");
    assert_eq!(diagnostics[0]["code"], "W0508", "{stdout}");
    let message = diagnostics[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("4 records are fictional examples (`sample: true`): "),
        "{message}"
    );
}

/// The areas file's area codes and English names.
fn areas_of(site: &std::path::Path, slug: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(site.join(format!("data/areas/{slug}.yaml"))).unwrap();
    let f: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    f["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            for m in a["municipalities"].as_array().unwrap() {
                let en = m["name_en"].as_str().unwrap_or_default();
                assert!(!en.is_empty(), "{slug}: {m} has no English name");
                assert_eq!(m["code"].as_str().unwrap().len(), 6, "{m}");
            }
            let en = a["name_en"].as_str().unwrap_or_default().to_owned();
            assert!(
                !en.is_empty(),
                "{slug}: area {} has no English name",
                a["code"]
            );
            (a["code"].as_str().unwrap().to_owned(), en)
        })
        .collect()
}

#[test]
fn a_prefecture_by_name_gives_a_site_ready_to_publish() {
    let (_tmp, site) = init_prefecture("徳島県");
    assert!(
        !site.join("data/areas/example.yaml").exists(),
        "no sample area"
    );
    assert!(!site.join("data/boundaries/example.geojson").exists());
    let areas = areas_of(&site, "tokushima");
    let expected = [("3601", "Tobu"), ("3603", "Nanbu"), ("3605", "Seibu")];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    assert_eq!(areas, expected);

    let yaml = std::fs::read_to_string(site.join("data/areas/tokushima.yaml")).unwrap();
    assert!(yaml.contains(r#"{ code: "362018", name: 徳島市, name_en: Tokushima }"#));
    // The header names the sources, their licences and the command.
    let header: String = yaml.lines().take_while(|l| l.starts_with('#')).collect();
    for credit in [
        "国土数値情報",
        "N03-21",
        "A38-20",
        "CC BY 4.0",
        "localgovjp",
        "CC0",
    ] {
        assert!(header.contains(credit), "{credit} not in {header}");
    }
    assert!(
        header.contains("kenkomap init my-map --prefecture 36"),
        "{header}"
    );
    let boundaries =
        std::fs::read_to_string(site.join("data/boundaries/tokushima-municipalities.geojson"))
            .unwrap();
    let geojson: serde_json::Value = serde_json::from_str(&boundaries).unwrap();
    assert!(geojson["source"].as_str().unwrap().contains("国土数値情報"));
    assert_eq!(geojson["features"].as_array().unwrap().len(), 24);

    let config = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    for line in [
        "title: 徳島県 健康情報マップ",
        "title_en: Tokushima Health Resource Map",
        "publisher: 徳島県 地域・職域連携推進協議会",
        "# base_url: https://kenko.example.lg.jp/",
        "localgovjp",
    ] {
        assert!(config.contains(line), "{line} not in\n{config}");
    }
    // The example records are in 徳島市, so they place.
    let facilities = std::fs::read_to_string(site.join("data/facilities/example.yaml")).unwrap();
    assert!(
        facilities.contains(r#"municipality: "362018""#),
        "{facilities}"
    );
    assert!(facilities.contains("sample: true"));
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    assert!(readme.starts_with("# 徳島県 健康情報マップ"), "{readme}");
    assert!(readme.contains("tokushima.yaml") && readme.contains("CC0"));

    assert_no_placeholders(&site);
    assert_checks_clean(&site);
    build_ok(&site);
    let en = std::fs::read_to_string(site.join("public/en/areas/3601/index.html")).unwrap();
    assert!(
        en.contains("Tobu") && en.contains("Naruto"),
        "English names on the page"
    );
    let ja = std::fs::read_to_string(site.join("public/areas/3601/index.html")).unwrap();
    assert!(
        ja.contains("（サンプル）市保健センター"),
        "the example facility is placed"
    );
}

#[test]
fn prefectures_by_code_build_with_every_area() {
    for (code, slug, area, name_en) in [
        ("36", "tokushima", "3605", "Seibu"),
        ("13", "tokyo", "1301", "Ku Chuobu"),
        ("47", "okinawa", "4705", "Yaeyama"),
        ("01", "hokkaido", "0104", "Sapporo"),
    ] {
        let (_tmp, site) = init_prefecture(code);
        let areas = areas_of(&site, slug);
        assert!(
            areas.contains(&(area.to_owned(), name_en.to_owned())),
            "{code}: {areas:?}"
        );
        if code == "01" {
            assert_eq!(areas.len(), 21, "北海道 has 21 二次医療圏");
        }
        assert_checks_clean(&site);
        build_ok(&site);
        for (area, _) in &areas {
            assert!(
                site.join(format!("public/areas/{area}/index.html"))
                    .is_file(),
                "{code}: no page for {area}"
            );
        }
    }
}

#[test]
fn a_bad_prefecture_is_a_usage_error_with_a_suggestion_or_the_list() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-map");
    let site = site.to_str().unwrap();
    let near = run(&["init", site, "--prefecture", "徳嶋県"]);
    assert_eq!(near.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&near.stderr);
    assert!(
        stderr.contains("did you mean 徳島県 (36, Tokushima)?"),
        "{stderr}"
    );
    let far = run(&["init", site, "--prefecture", "99"]);
    assert_eq!(far.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&far.stderr);
    assert!(
        stderr.contains("01 北海道") && stderr.contains("47 沖縄県"),
        "{stderr}"
    );
    assert!(!tmp.path().join("my-map").exists(), "nothing is written");
}

/// The publish workflow passes GitHub Pages' address with `build --base-url`; a `base_url` of
/// the site's own, in site.yaml, wins.
#[test]
fn the_published_address_comes_from_the_workflow_unless_site_yaml_has_one() {
    let (_tmp, site) = init_prefecture("36");
    let s = site.to_str().unwrap();
    let build = run(&[
        "build",
        "--site",
        s,
        "--base-url",
        "https://owner.github.io/tokushima-map",
    ]);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let sitemap = std::fs::read_to_string(site.join("public/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("https://owner.github.io/tokushima-map/"),
        "{sitemap}"
    );
    let config = site.join("site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}base_url: https://kenko.pref.tokushima.example/\n"),
    )
    .unwrap();
    assert!(
        run(&[
            "build",
            "--site",
            s,
            "--base-url",
            "https://owner.github.io/tokushima-map/"
        ])
        .status
        .success()
    );
    let sitemap = std::fs::read_to_string(site.join("public/sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("https://kenko.pref.tokushima.example/")
            && !sitemap.contains("owner.github.io")
    );
    let bad = run(&["build", "--site", s, "--base-url", "javascript:alert(1)"]);
    assert_eq!(bad.status.code(), Some(2));
}
