//! One binary for councils: a site made by `kenkomap init` builds and serves with the
//! release-profile binary built from the packaged crate (`cargo package`, then `cargo build
//! --release --offline` from the package's own contents; `scripts/test` does both and sets
//! `KENKOMAP_RELEASE_BIN`), on a machine with no Node.js and no `node_modules`: `PATH` is
//! stripped of node and npm.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The release binary of the packaged crate, or `None` (skipped with a message; a failure in
/// CI, where scripts/test always builds it).
fn release_bin() -> Option<PathBuf> {
    match std::env::var_os("KENKOMAP_RELEASE_BIN") {
        Some(path) => Some(PathBuf::from(path)),
        None if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "KENKOMAP_RELEASE_BIN is not set and CI=true: scripts/test builds it from the packaged crate"
            )
        }
        None => {
            eprintln!(
                "skipping: KENKOMAP_RELEASE_BIN is not set (scripts/test builds the packaged crate and sets it)"
            );
            None
        }
    }
}

/// `PATH` without any directory that holds node or npm.
fn path_without_node() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| {
            !["node", "npm", "node.exe", "npm.cmd"]
                .iter()
                .any(|tool| dir.join(tool).exists())
        })
        .collect();
    std::env::join_paths(kept).unwrap()
}

fn kenkomap(bin: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(args)
        .env("PATH", path_without_node())
        .env("KENKOMAP_TODAY", common::TODAY)
        .env("NO_COLOR", "1");
    cmd
}

fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let head_end = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = String::from_utf8_lossy(&response[..head_end])
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    (status, response[head_end + 4..].to_vec())
}

#[test]
fn an_init_site_builds_and_serves_without_node() {
    let Some(bin) = release_bin() else {
        return;
    };
    let version = kenkomap(&bin, &["--version"]).output().unwrap();
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(
        version.starts_with(&format!("kenkomap {} (", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );

    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-map");
    let s = site.to_str().unwrap();
    assert!(kenkomap(&bin, &["init", s]).status().unwrap().success());
    assert!(!site.join("themes").exists() && !site.join("node_modules").exists());
    let built = kenkomap(&bin, &["build", "--site", s]).output().unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let leaflet =
        std::fs::read_to_string(site.join("public/assets/vendor/leaflet/leaflet.js")).unwrap();
    assert!(leaflet.contains("Leaflet"));
    assert!(
        site.join("public/assets/vendor/leaflet.markercluster/LICENSE")
            .is_file()
    );
    // The packaged crate carries the national tables of `init --prefecture`.
    let tokushima = tmp.path().join("tokushima");
    let t = tokushima.to_str().unwrap();
    let init = kenkomap(&bin, &["init", t, "--prefecture", "36"]).status();
    assert!(init.unwrap().success());
    let built = kenkomap(&bin, &["build", "--site", t]).output().unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(tokushima.join("public/areas/3601/index.html").is_file());

    let mut child = kenkomap(&bin, &["serve", "--port", "0", "--site", s])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(addr) = line.split("http://").nth(1) {
            let addr = addr.split_whitespace().next().unwrap();
            break addr
                .rsplit(':')
                .next()
                .unwrap()
                .trim_end_matches('/')
                .parse()
                .unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let page = get(port, "/");
    let script = get(port, "/assets/vendor/leaflet/leaflet.js");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(page.0, 200);
    assert_eq!(script.0, 200);
    assert_eq!(script.1, leaflet.as_bytes());
}
