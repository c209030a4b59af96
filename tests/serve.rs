//! `kenkomap serve`: pages from memory, rebuild on change, build errors shown in the page while
//! the last good site keeps being served.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(site: &std::path::Path) -> Server {
    let mut child = Command::new(bin())
        .args(["serve", "--port", "0", "--site", site.to_str().unwrap()])
        .env("KENKOMAP_TODAY", TODAY)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(addr) = line.split("http://").nth(1) {
            break addr
                .split_whitespace()
                .next()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// A minimal HTTP/1.1 GET: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn wait_for(mut ok: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn serves_rebuilds_and_keeps_the_last_good_site() {
    let site = valid_site();
    let server = start(site.path());

    let (status, home) = get(server.port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("テスト県 健康情報マップ"));
    assert!(
        home.contains("_tower-livereload"),
        "the live-reload script is injected"
    );
    assert_eq!(get(server.port, "/areas/3706/").0, 200);
    assert_eq!(
        get(server.port, "/areas/3706").0,
        308,
        "directories redirect to their slash form"
    );
    assert_eq!(get(server.port, "/data/areas/3706.geojson").0, 200);
    assert_eq!(get(server.port, "/assets/vendor/leaflet/leaflet.js").0, 200);
    let (status, missing) = get(server.port, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(missing.contains("<html"));

    // An edit is picked up.
    let parks = site.path().join("data/parks/parks.yaml");
    let original = std::fs::read_to_string(&parks).unwrap();
    std::fs::write(
        &parks,
        original.replace("name: 玉藻公園", "name: 玉藻公園（改修中）"),
    )
    .unwrap();
    assert!(wait_for(|| get(server.port, "/parks/tamamo-park/")
        .1
        .contains("玉藻公園（改修中）")));

    // A broken edit: the error shows in the page, the last good site is still served.
    std::fs::write(
        &parks,
        original.replace("id: tamamo-park", "id: Tamamo_Park"),
    )
    .unwrap();
    assert!(wait_for(|| get(server.port, "/parks/test-pool/")
        .1
        .contains("role=\"alert\"")));
    let (status, page) = get(server.port, "/parks/tamamo-park/");
    assert_eq!(status, 200);
    assert!(page.contains("E0104"));
    assert!(
        page.contains("玉藻公園（改修中）"),
        "the last good build is served"
    );

    // Fixed again: the banner goes away.
    std::fs::write(&parks, &original).unwrap();
    assert!(wait_for(|| !get(server.port, "/")
        .1
        .contains("role=\"alert\"")));
}
