//! Hostile sites and careless command lines: every file of a site arrives by pull request and
//! `--out` is typed by hand. Each case here was reproduced against kenkomap before it was
//! fixed: a build deleted the site, published files from outside it, hung, or took gigabytes.
//! The data-loss cases check that every original file is still there, byte for byte.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::*;

/// Every file under `dir` (links as their target text, never followed) and its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = if e.file_type().is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .to_string_lossy()
                    .as_bytes()
                    .to_vec()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect()
}

/// Runs kenkomap with a deadline: a hostile input must never make it hang.
fn run_within(args: &[&str], env: &[(&str, &Path)], limit: Duration) -> Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env("KENKOMAP_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("kenkomap runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            panic!("kenkomap {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

const DEADLINE: Duration = Duration::from_secs(60);

/// A valid site at `<tmp>/site`, so that tests can also point at the directory holding it.
fn site_in_tmp() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&fixtures().join("valid"), &site);
    (tmp, site)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn an_out_that_would_replace_the_site_or_its_sources_is_refused_and_nothing_is_lost() {
    let (tmp, site) = site_in_tmp();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join("Documents")).unwrap();
    std::fs::write(home.join("Documents/letter.txt"), "大切な書類").unwrap();
    let before = snapshot(tmp.path());
    let cases: Vec<(&str, PathBuf)> = vec![
        ("the site itself", site.clone()),
        ("the site's data/", site.join("data")),
        ("a registry directory", site.join("data/parks")),
        ("the site's content/", site.join("content")),
        ("the directory holding the site", tmp.path().to_path_buf()),
        ("the home directory", home.clone()),
        (
            "a directory holding the home directory",
            tmp.path().to_path_buf(),
        ),
        ("a dot path to the site", site.join("data/..")),
    ];
    for (what, out) in cases {
        let got = run_within(
            &["build", "--site", s(&site), "--out", s(&out)],
            &[("HOME", &home), ("USERPROFILE", &home)],
            DEADLINE,
        );
        assert_eq!(got.status.code(), Some(2), "{what}: {}", text(&got));
        assert!(text(&got).contains("error: "), "{what}: {}", text(&got));
        assert_eq!(snapshot(tmp.path()), before, "{what}: files changed");
        // --force does not lift these refusals.
        let forced = run_within(
            &["build", "--site", s(&site), "--out", s(&out), "--force"],
            &[("HOME", &home), ("USERPROFILE", &home)],
            DEADLINE,
        );
        assert_eq!(
            forced.status.code(),
            Some(2),
            "{what} --force: {}",
            text(&forced)
        );
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "{what} --force: files changed"
        );
    }
    // `.` from inside the site is the site.
    let got = Command::new(bin())
        .args(["build", "--out", "."])
        .current_dir(&site)
        .env("KENKOMAP_TODAY", TODAY)
        .output()
        .unwrap();
    assert_eq!(got.status.code(), Some(2), "{}", text(&got));
    assert_eq!(snapshot(tmp.path()), before);
}

#[test]
fn a_directory_kenkomap_did_not_write_is_replaced_only_with_force() {
    let (tmp, site) = site_in_tmp();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("minutes.md"), "# 議事録").unwrap();
    let before = snapshot(tmp.path());
    let got = run(&["build", "--site", s(&site), "--out", s(&docs)]);
    assert_eq!(got.status.code(), Some(2), "{}", text(&got));
    assert!(text(&got).contains("--force"), "{}", text(&got));
    assert_eq!(snapshot(tmp.path()), before);
    // With --force the directory becomes kenkomap's: marked, and replaced from then on.
    let got = run(&["build", "--site", s(&site), "--out", s(&docs), "--force"]);
    assert!(got.status.success(), "{}", text(&got));
    assert!(docs.join("index.html").is_file() && docs.join(".kenkomap-output").is_file());
    assert!(!docs.join("minutes.md").exists());
    let again = run(&["build", "--site", s(&site), "--out", s(&docs)]);
    assert!(again.status.success(), "{}", text(&again));
    // An empty directory needs no --force.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(
        run(&["build", "--site", s(&site), "--out", s(&empty)])
            .status
            .success()
    );
}

#[cfg(unix)]
#[test]
fn a_committed_public_link_is_refused_and_its_target_kept() {
    let (tmp, site) = site_in_tmp();
    std::os::unix::fs::symlink(".", site.join("public")).unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("keep.txt"), "keep").unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.join("out2")).unwrap();
    let before = snapshot(tmp.path());
    for out in ["public", "out2"] {
        let got = run(&["build", "--site", s(&site), "--out", s(&site.join(out))]);
        assert_eq!(got.status.code(), Some(2), "{out}: {}", text(&got));
        assert!(text(&got).contains("symbolic link"), "{}", text(&got));
        assert_eq!(snapshot(tmp.path()), before, "{out}");
    }
    // The default --out is the same `public`.
    let got = run(&["build", "--site", s(&site)]);
    assert_eq!(got.status.code(), Some(2), "{}", text(&got));
    assert_eq!(snapshot(tmp.path()), before);
}

/// Codes and places (`file:line:col`) of `check --format json`.
fn check_json(site: &Path) -> (Vec<(String, String)>, Option<i32>) {
    let out = run_within(
        &["check", "--site", s(site), "--format", "json"],
        &[],
        DEADLINE,
    );
    let diags = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let place = format!(
                "{}:{}:{}",
                v["file"].as_str().unwrap_or("-"),
                v["line"],
                v["col"]
            );
            (v["code"].as_str().unwrap().to_owned(), place)
        })
        .collect();
    (diags, out.status.code())
}

/// Sets `boundaries:` of the valid fixture's areas file.
fn set_boundaries(site: &Path, value: &str) {
    let path = site.join("data/areas/kagawa.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("boundaries:"))
        .unwrap()
        .to_owned();
    std::fs::write(&path, text.replace(&line, &format!("boundaries: {value}"))).unwrap();
}

#[test]
fn boundaries_outside_the_site_are_refused_by_their_path_alone() {
    let (tmp, site) = site_in_tmp();
    let mut messages = Vec::new();
    for path in [
        "/dev/zero",
        "/etc/shadow",
        "/no/such/file",
        "../../../etc/passwd",
        "C:\\Windows\\win.ini",
    ] {
        set_boundaries(&site, &format!("{path:?}"));
        let (diags, code) = check_json(&site);
        assert_eq!(code, Some(1), "{path}");
        assert!(
            diags.contains(&("E0004".to_owned(), "data/areas/kagawa.yaml:2:13".to_owned())),
            "{path}: {diags:?}"
        );
        let out = run(&["check", "--site", s(&site)]);
        let message = text(&out)
            .lines()
            .find(|l| l.starts_with("error[E0004]"))
            .unwrap()
            .replace(path, "PATH");
        messages.push(message);
    }
    // The message does not tell whether the file exists.
    assert_eq!(messages[1], messages[2], "{messages:?}");
    drop(tmp);
}

#[test]
fn a_fifo_or_a_huge_file_never_stalls_the_build() {
    let (_tmp, site) = site_in_tmp();
    #[cfg(unix)]
    {
        let fifo = site.join("data/boundaries/fifo.geojson");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        set_boundaries(&site, "boundaries/fifo.geojson");
        let (diags, code) = check_json(&site);
        assert_eq!(code, Some(1));
        assert!(diags.iter().any(|(c, _)| c == "E0004"), "{diags:?}");
        // A FIFO among the registries is skipped and reported, not opened.
        let fifo = site.join("data/parks/pipe.yaml");
        assert!(
            Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let (diags, _) = check_json(&site);
        assert!(
            diags.contains(&("W0005".to_owned(), "data/parks/pipe.yaml:1:1".to_owned())),
            "{diags:?}"
        );
        std::fs::remove_file(&fifo).unwrap();
    }
    // A sparse file of 1 GB is refused by its size without being read.
    let big = site.join("data/boundaries/big.geojson");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    set_boundaries(&site, "boundaries/big.geojson");
    let (diags, code) = check_json(&site);
    assert_eq!(code, Some(1));
    assert!(diags.iter().any(|(c, _)| c == "E0004"), "{diags:?}");
    let huge_registry = site.join("data/parks/huge.yaml");
    std::fs::File::create(&huge_registry)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let (diags, _) = check_json(&site);
    assert!(
        diags.contains(&("E0004".to_owned(), "data/parks/huge.yaml:1:1".to_owned())),
        "{diags:?}"
    );
}

#[test]
fn a_theme_that_is_a_path_is_refused() {
    let (_tmp, site) = site_in_tmp();
    let config = site.join("site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{text}theme: ../../etc\n")).unwrap();
    let line = text.lines().count() + 1;
    let (diags, code) = check_json(&site);
    assert_eq!(code, Some(1));
    assert!(
        diags.contains(&("E0004".to_owned(), format!("site.yaml:{line}:8"))),
        "{diags:?}"
    );
}

/// Links to outside the site, in every place a build reads from: nothing from outside is
/// published or read, and each link is reported.
#[cfg(unix)]
#[test]
fn links_out_of_the_site_publish_nothing_and_are_reported() {
    use std::os::unix::fs::symlink;
    let (tmp, site) = site_in_tmp();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "SECRET-FROM-OUTSIDE").unwrap();
    std::fs::write(
        outside.join("leak.md"),
        "---\ntitle: SECRET-FROM-OUTSIDE\n---\nSECRET-FROM-OUTSIDE\n",
    )
    .unwrap();
    std::fs::write(
        outside.join("leak.yaml"),
        "records:\n  - { id: leaked-park, name: SECRET-FROM-OUTSIDE, type: park, municipality: \"372013\" }\n",
    )
    .unwrap();
    symlink(&outside, site.join("static")).unwrap();
    std::fs::create_dir_all(site.join("themes/default")).unwrap();
    symlink(&outside, site.join("themes/default/static")).unwrap();
    std::fs::create_dir_all(site.join("content")).unwrap();
    symlink(outside.join("leak.md"), site.join("content/leak.md")).unwrap();
    std::fs::remove_dir_all(site.join("data/restaurants")).unwrap();
    symlink(&outside, site.join("data/restaurants")).unwrap();
    symlink(outside.join("leak.yaml"), site.join("data/parks/leak.yaml")).unwrap();
    symlink("/", site.join("data/parks/root")).unwrap();
    let (diags, code) = check_json(&site);
    assert_eq!(code, Some(0), "{diags:?}");
    for path in [
        "static",
        "themes/default/static",
        "content/leak.md",
        "data/restaurants",
        "data/parks/leak.yaml",
        "data/parks/root",
    ] {
        assert!(
            diags.contains(&("W0005".to_owned(), format!("{path}:1:1"))),
            "{path}: {diags:?}"
        );
    }
    let got = run_within(&["build", "--site", s(&site)], &[], DEADLINE);
    assert!(got.status.success(), "{}", text(&got));
    let published = snapshot(&site.join("public"));
    let leaked: Vec<_> = published
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("SECRET-FROM-OUTSIDE"))
        .map(|(p, _)| p.clone())
        .collect();
    assert!(
        leaked.is_empty(),
        "published from outside the site: {leaked:?}"
    );
    // The theme's npm packages are read through the same guard.
    let modules = site.join("themes/default/node_modules/leaflet/dist/leaflet.js");
    std::fs::create_dir_all(modules.parent().unwrap()).unwrap();
    symlink(outside.join("secret.txt"), &modules).unwrap();
    let got = run_within(&["build", "--site", s(&site)], &[], DEADLINE);
    assert_eq!(got.status.code(), Some(1), "{}", text(&got));
    assert!(
        !String::from_utf8_lossy(
            &std::fs::read(site.join("public/assets/vendor/leaflet/leaflet.js")).unwrap()
        )
        .contains("SECRET")
    );
}

/// A boundaries file of `vertices` points on one ring that zig-zags across itself.
fn self_crossing_boundaries(site: &Path, vertices: usize) {
    let mut coords = String::new();
    for i in 0..vertices {
        let t = i as f64 / vertices as f64 * std::f64::consts::TAU * 997.0;
        let r = 0.05 * (1.0 + (i % 7) as f64 / 7.0);
        if i > 0 {
            coords.push(',');
        }
        coords.push_str(&format!(
            "[{:.6},{:.6}]",
            134.05 + r * t.cos(),
            34.3 + r * t.sin()
        ));
    }
    coords.push_str(&format!(",[{:.6},{:.6}]", 134.05 + 0.05, 34.3));
    let json = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"N03_007":"37201"}},"geometry":{{"type":"Polygon","coordinates":[[{coords}]]}}}}]}}"#
    );
    std::fs::write(site.join("data/boundaries/hostile.geojson"), json).unwrap();
    set_boundaries(site, "boundaries/hostile.geojson");
}

#[test]
fn a_huge_self_crossing_ring_is_refused_quickly() {
    let (_tmp, site) = site_in_tmp();
    for vertices in [100_000, 1_000_000] {
        self_crossing_boundaries(&site, vertices);
        let start = Instant::now();
        let (diags, code) = check_json(&site);
        assert_eq!(code, Some(1), "{vertices}");
        assert!(
            diags.contains(&("E0502".to_owned(), "data/areas/kagawa.yaml:2:13".to_owned())),
            "{vertices}: {diags:?}"
        );
        eprintln!("{vertices} vertices: refused in {:?}", start.elapsed());
    }
}

#[test]
fn an_import_refuses_an_overlong_field_and_a_huge_file() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("parks.csv");
    let field = "あ".repeat(400_000); // 1.2 MB in one field
    std::fs::write(&csv, format!("名称,住所\n玉藻公園,高松市\n\"{field}\",x\n")).unwrap();
    let out_yaml = tmp.path().join("o.yaml");
    let import = |file: &Path| {
        let args = [
            "import",
            "ods",
            s(file),
            "--kind",
            "parks",
            "--type",
            "park",
            "--out",
            s(&out_yaml),
        ];
        run_within(&args, &[], DEADLINE)
    };
    let out = import(&csv);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("parks.csv:3: a field is longer than 1 MB"),
        "{}",
        text(&out)
    );
    let big = tmp.path().join("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let out = import(&big);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("larger than 100 MB"), "{}", text(&out));
}

#[test]
fn what_a_killed_build_left_is_removed_and_a_second_build_waits_for_none() {
    let (tmp, site) = site_in_tmp();
    // Left by a build killed before its swap: kenkomap's marker inside.
    let stale = site.join(".public.tmp-999999");
    std::fs::create_dir_all(stale.join("areas")).unwrap();
    std::fs::write(stale.join(".kenkomap-output"), "").unwrap();
    std::fs::write(stale.join("areas/index.html"), "half").unwrap();
    let stale_old = site.join(".public.old-999998");
    std::fs::create_dir_all(&stale_old).unwrap();
    std::fs::write(stale_old.join(".kenkomap-output"), "").unwrap();
    // A look-alike that is not kenkomap's is left alone.
    let foreign = site.join(".public.tmp-notes");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("note.txt"), "mine").unwrap();
    build_ok(&site);
    assert!(!stale.exists() && !stale_old.exists());
    assert_eq!(std::fs::read(foreign.join("note.txt")).unwrap(), b"mine");
    let names: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert_eq!(
        names,
        [".public.tmp-notes"],
        "nothing else is left beside public/"
    );
    // While another build holds the output's lock, a second one stops at once.
    let lock = std::fs::File::create(site.join(".public.lock")).unwrap();
    lock.lock().unwrap();
    let got = run_within(&["build", "--site", s(&site)], &[], DEADLINE);
    assert_eq!(got.status.code(), Some(2), "{}", text(&got));
    assert!(
        text(&got).contains("another kenkomap build"),
        "{}",
        text(&got)
    );
    assert!(site.join("public/index.html").is_file());
    drop(tmp);
}

/// An output that fills up after `room` files, as a disk would.
struct FillingDisk {
    room: std::sync::atomic::AtomicUsize,
}

impl FillingDisk {
    fn take(&self) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        let ok = self
            .room
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        if ok {
            Ok(())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "No space left on device",
            ))
        }
    }
}

impl kenkomap::write::Output for FillingDisk {
    fn put(&self, _: &str, _: Vec<u8>) -> std::io::Result<()> {
        self.take()
    }
    fn writer(&self, path: &str) -> std::io::Result<Box<dyn kenkomap::write::FileWriter + '_>> {
        self.take()?;
        Ok(Box::new(Discard(path.len())))
    }
}

struct Discard(usize);
impl std::io::Write for Discard {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
impl kenkomap::write::FileWriter for Discard {
    fn finish(self: Box<Self>) -> std::io::Result<u64> {
        Ok(self.0 as u64)
    }
}

/// A full disk, in the exports or among the pages, is one I/O error (exit 2), not one
/// "template error" per page.
#[test]
fn a_full_disk_is_one_io_error() {
    let site = valid_site();
    let today = jiff::civil::date(2026, 11, 21);
    for room in [0, 40, 100] {
        let mut checked = kenkomap::site::check(site.path(), today).unwrap();
        let built = std::sync::Arc::new(checked.site.take().unwrap());
        let disk = FillingDisk { room: room.into() };
        let result = kenkomap::build::render_all(
            &built,
            &mut checked.sources,
            &disk,
            &mut checked.timings,
            &|_, _| {},
        );
        match result {
            Err(kenkomap::build::BuildError::Io(message)) => {
                assert!(
                    message.contains("No space left on device"),
                    "{room}: {message}"
                )
            }
            Err(kenkomap::build::BuildError::Diagnostics(d)) => {
                panic!(
                    "{room}: {} diagnostics instead of one I/O error: {:?}",
                    d.len(),
                    d.first()
                )
            }
            Ok(_) => panic!("{room}: the build succeeded on a full disk"),
        }
    }
}

/// When the new site is in place but the old one cannot be removed, the build says so, and
/// never that the output "was not changed". (An immutable file, `chattr +i`, is what stops
/// the removal; where chattr cannot be used the test says so and skips.)
#[cfg(target_os = "linux")]
#[test]
fn an_old_output_that_cannot_be_removed_is_reported_truthfully() {
    let (_tmp, site) = site_in_tmp();
    build_ok(&site);
    let stuck = site.join("public/stuck.txt");
    std::fs::write(&stuck, "old").unwrap();
    let chattr = |flag: &str, path: &Path| {
        Command::new("chattr")
            .arg(flag)
            .arg(path)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !chattr("+i", &stuck) {
        eprintln!("skipping: chattr +i is not available here (needs root on ext4)");
        return;
    }
    let got = run(&["build", "--site", s(&site)]);
    let left: Vec<PathBuf> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".public.old-")
        })
        .collect();
    for dir in &left {
        chattr("-i", &dir.join("stuck.txt"));
        std::fs::remove_dir_all(dir).unwrap();
    }
    assert!(got.status.success(), "{}", text(&got));
    assert!(!text(&got).contains("was not changed"), "{}", text(&got));
    assert!(
        text(&got).contains("the new site is in place"),
        "{}",
        text(&got)
    );
    assert!(site.join("public/index.html").is_file() && !site.join("public/stuck.txt").exists());
    assert_eq!(left.len(), 1, "the old output is where the warning says");
}
