//! `kenkomap build` on the fixture sites: the pages and their key contents, escaping,
//! template and theme diagnostics, and that a failed build keeps the previous output.

use std::path::Path;

use crate::common::*;

fn build(site: &Path) -> std::process::Output {
    run(&["build", "--site", site.to_str().unwrap()])
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn builds_every_page_of_both_languages() {
    let site = valid_site();
    let out = build(site.path());
    assert!(out.status.success(), "{}", stderr(&out));
    for page in [
        "index.html",
        "areas/index.html",
        "areas/3706/index.html",
        "areas/3706/facilities/index.html",
        "areas/3706/print/index.html",
        "facilities/index.html",
        "consultation/index.html",
        "facilities/takamatsu-hokenjo/index.html",
        "restaurants/sample-healthy-diner/index.html",
        "about/index.html",
        "search/index.html",
        "data/index.html",
        "404.html",
    ] {
        assert!(site.path().join("public").join(page).is_file(), "{page}");
        assert!(
            site.path().join("public/en").join(page).is_file(),
            "en/{page}"
        );
    }
    for file in [
        "data/resources.geojson",
        "data/areas/3706.geojson",
        "data/boundaries/3706.geojson",
        "assets/css/site.css",
        "assets/js/map.js",
        "assets/vendor/leaflet/leaflet.js",
        "assets/vendor/leaflet/LICENSE",
        "assets/vendor/leaflet.markercluster/LICENSE",
    ] {
        assert!(site.path().join("public").join(file).is_file(), "{file}");
    }
    // The summary line names the counts.
    assert!(
        stderr(&out).contains("8 records, 3 areas"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn pages_show_what_residents_need() {
    let site = valid_site();
    mark_samples(site.path());
    assert!(build(site.path()).status.success());
    let area = read(site.path(), "areas/3706/index.html");
    assert!(area.contains("<html lang=\"ja\">"));
    assert!(area.contains("高松市保健所"));
    assert!(area.contains("玉藻公園"));
    assert!(
        area.contains("role=\"img\""),
        "the static SVG map is in the HTML"
    );
    assert!(
        area.contains("href=\"#mk-parks\""),
        "a park marker is drawn"
    );
    assert!(area.contains("href=\"tel:0878392860\""));
    assert!(
        !area.contains("丸亀テスト病院"),
        "records of other areas are not listed"
    );

    let record = read(site.path(), "facilities/takamatsu-hokenjo/index.html");
    assert!(record.contains("保健医療政策課"), "phone labels");
    assert!(record.contains("月曜日"), "the week table");
    assert!(record.contains("8:30〜17:00"));
    assert!(record.contains("祝日"));
    assert!(
        record.contains("<strong>感染症</strong>"),
        "Markdown description"
    );
    assert!(
        record.contains("href=\"../../areas/3706/\""),
        "link back to its area"
    );

    let suspended = read(site.path(), "facilities/tonosho-clinic/index.html");
    assert!(suspended.contains("banner-warn"), "suspended banner");
    assert!(
        suspended.contains("はり・きゅう"),
        "the site's own type label"
    );

    let sample = read(site.path(), "restaurants/sample-healthy-diner/index.html");
    assert!(sample.contains("badge-sample"));
    assert!(sample.contains("野菜たっぷり定食"), "menus table");

    let en = read(site.path(), "en/facilities/takamatsu-hokenjo/index.html");
    assert!(en.contains("<html lang=\"en\">"));
    assert!(
        en.contains("Takamatsu City Public Health Center"),
        "name_en is used"
    );
    assert!(
        en.contains("lang=\"ja\""),
        "Japanese text keeps its language"
    );
    let en_park = read(site.path(), "en/parks/tamamo-park/index.html");
    assert!(
        en_park.contains("<h1 lang=\"ja\">玉藻公園</h1>"),
        "falls back to Japanese, marked"
    );
}

#[test]
fn names_and_descriptions_are_escaped() {
    let site = valid_site();
    let path = site.path().join("data/parks/parks.yaml");
    let yaml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name: 玉藻公園", "name: \"<script>alert(1)</script>玉藻\"")
        .replace("course_km: 1.2", "course_km: 1.2\n    description: \"[x](javascript:alert(2)) <img src=x onerror=alert(3)>\"");
    std::fs::write(&path, yaml).unwrap();
    assert!(build(site.path()).status.success());
    for page in [
        "parks/tamamo-park/index.html",
        "areas/3706/index.html",
        "parks/index.html",
    ] {
        let html = read(site.path(), page);
        assert!(!html.contains("<script>alert"), "{page}");
        assert!(!html.contains("javascript:alert"), "{page}");
        assert!(!html.contains("<img src=x"), "{page}");
    }
    assert!(read(site.path(), "parks/tamamo-park/index.html").contains("&lt;script&gt;alert(1)"));
}

#[test]
fn a_failed_build_keeps_the_previous_output() {
    let site = valid_site();
    assert!(build(site.path()).status.success());
    let before = read(site.path(), "areas/3706/index.html");
    let path = site.path().join("data/parks/parks.yaml");
    let yaml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name: 玉藻公園", "name: 新しい名前");
    std::fs::write(&path, yaml.replace("id: test-pool", "id: Test_Pool")).unwrap();
    let out = build(site.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("E0104"));
    assert!(stderr(&out).contains("was not changed"));
    assert_eq!(read(site.path(), "areas/3706/index.html"), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging directory left behind");
}

#[test]
fn template_errors_name_the_file_and_line() {
    let site = valid_site();
    assert!(build(site.path()).status.success());
    let before = read(site.path(), "index.html");
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ no_such_variable }}</p>\n{% endblock %}\n",
    )
    .unwrap();
    let out = build(site.path());
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[E0701]"), "{err}");
    assert!(err.contains("templates/404.html:3"), "{err}");
    assert_eq!(
        read(site.path(), "index.html"),
        before,
        "previous output kept"
    );
}

#[test]
fn site_templates_override_the_theme() {
    let site = valid_site();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(
        site.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<p>見つかりません（上書き）</p>{% endblock %}",
    )
    .unwrap();
    assert!(build(site.path()).status.success());
    assert!(read(site.path(), "404.html").contains("見つかりません（上書き）"));
}

#[test]
fn leaflet_comes_from_the_binary_unless_the_site_has_its_own() {
    let site = valid_site();
    assert!(!site.path().join("themes/default/node_modules").exists());
    assert!(build(site.path()).status.success());
    let built_in = read(site.path(), "assets/vendor/leaflet/leaflet.js");
    assert!(built_in.contains("Leaflet"), "the real Leaflet");
    assert!(read(site.path(), "assets/vendor/leaflet/LICENSE").contains("BSD"));
    // A site's own copy wins, file by file.
    let own = site
        .path()
        .join("themes/default/node_modules/leaflet/dist/leaflet.js");
    std::fs::create_dir_all(own.parent().unwrap()).unwrap();
    std::fs::write(&own, "/* the site's own Leaflet */").unwrap();
    assert!(build(site.path()).status.success());
    assert_eq!(
        read(site.path(), "assets/vendor/leaflet/leaflet.js"),
        "/* the site's own Leaflet */"
    );
    assert!(
        read(
            site.path(),
            "assets/vendor/leaflet.markercluster/leaflet.markercluster.js"
        )
        .len()
            > 1000
    );
}

#[test]
fn print_sheets_follow_site_yaml_print() {
    let site = valid_site();
    let yaml = site.path().join("site.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str("print:\n  order: [parks, restaurants]\n  samples: omit\n");
    std::fs::write(&yaml, text).unwrap();
    mark_samples(site.path());
    let out = build(site.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let sheet = read(site.path(), "areas/3706/print/index.html");
    // Parks first, then the kinds left out of `order` in the default order.
    let at = |s: &str| sheet.find(s).unwrap_or_else(|| panic!("{s} in the sheet"));
    assert!(
        at("玉藻公園") < at("高松市保健所"),
        "parks before facilities"
    );
    // Samples are left out, and the sheet says how many.
    assert!(!sheet.contains("ヘルシー食堂（サンプル）"));
    assert!(!sheet.contains("テスト産業保健総合支援センター（サンプル）"));
    assert!(
        sheet.contains("サンプル（架空の例）1件は掲載していません。"),
        "{sheet}"
    );
    // Phone and hours are always there, a dash where the data has none.
    assert!(sheet.contains("<span class=\"key\">電話</span>"));
    // The area page links to every sheet: the area, each kind, each municipality.
    let area = read(site.path(), "areas/3706/index.html");
    for href in [
        "areas/3706/print/",
        "areas/3706/parks/print/",
        "areas/3706/print/372013/",
    ] {
        assert!(area.contains(&format!("href=\"../../{href}\"")), "{href}");
        assert!(
            site.path()
                .join("public")
                .join(href)
                .join("index.html")
                .is_file(),
            "{href}"
        );
    }
    // The foot of every printed page: the data date and page numbers, as CSS the build writes.
    let css = read(site.path(), "assets/css/sheet-pages.ja.css");
    assert!(
        css.contains("content: counter(page) \" / \" counter(pages)"),
        "{css}"
    );
    assert!(css.contains("\"情報の時点: "), "{css}");
}

#[test]
fn samples_are_marked_on_the_sheets_by_default() {
    let site = valid_site();
    mark_samples(site.path());
    assert!(build(site.path()).status.success());
    let sheet = read(site.path(), "areas/3707/print/index.html");
    let diner = sheet.find("ヘルシー食堂（サンプル）").expect("listed");
    assert!(sheet[diner..].starts_with(
        "ヘルシー食堂（サンプル）</span> <span class=\"badge sample\">サンプル</span>"
    ));
    assert!(sheet.contains("「サンプル」は架空の例で、実在しません。"));
}

/// Marks the valid fixture's fictional records `sample: true` (the fixture itself has none, so
/// that `check` finds nothing in it; W0508 lists samples).
fn mark_samples(site: &Path) {
    for (file, ids) in [
        (
            "data/restaurants/healthy.yaml",
            &["sample-healthy-diner"][..],
        ),
        (
            "data/consultation/bodies.yaml",
            &["sample-sanpo-center", "sample-chiiki-sanpo"][..],
        ),
    ] {
        let path = site.join(file);
        let mut text = std::fs::read_to_string(&path).unwrap();
        for id in ids {
            let line = format!("  - id: {id}\n");
            assert!(text.contains(&line), "{id} in {file}");
            text = text.replacen(&line, &format!("{line}    sample: true\n"), 1);
        }
        std::fs::write(&path, text).unwrap();
    }
}

#[test]
fn english_pages_tag_the_credits_and_licence_they_show_in_japanese() {
    let site = valid_site();
    let path = site.path().join("site.yaml");
    let yaml = std::fs::read_to_string(&path)
        .unwrap()
        .replace("  name: CC BY 4.0\n", "  name: CC BY 4.0（出典を記載）\n")
        .replace(
            "    licence: CC0\n",
            "    licence: CC0\n  - name: 国のデータ\n    name_en: National data\n    licence: 政府標準利用規約 2.0\n    licence_en: Government of Japan Standard Terms of Use 2.0\n",
        );
    std::fs::write(&path, yaml).unwrap();
    let out = build(site.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let en = read(site.path(), "en/index.html");
    // Without an English name the Japanese one is shown, tagged; "CC0" needs no tag.
    assert!(
        en.contains(r#"<span lang="ja">テストデータ</span> (CC0)"#),
        "{en}"
    );
    assert!(en.contains(r#"lang="ja">CC BY 4.0（出典を記載）</a>"#));
    // With English names, English.
    assert!(en.contains("National data (Government of Japan Standard Terms of Use 2.0)"));
    assert!(!en.contains("政府標準利用規約"));
    // Japanese pages keep the Japanese, untagged.
    let ja = read(site.path(), "index.html");
    assert!(ja.contains("国のデータ (政府標準利用規約 2.0)"));
    assert!(!ja.contains(r#"<span lang="ja">"#));
}
