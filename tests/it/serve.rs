//! `kenkomap serve`: pages from memory, rebuild on change, build errors shown in the page while
//! the last good site keeps being served; and the hardening a server on a council PC needs when
//! every file of the site comes from an untrusted pull request (DNS rebinding, CSP, slow
//! clients, symlinks, `internal:` values).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

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
        .env("NO_COLOR", "1")
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

/// A response read off the wire.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Writes `request` as is and reads the response until the server closes the connection.
fn raw(port: u16, request: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("no status line in {response:?}"))
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_owned(),
    }
}

fn get_with_host(port: u16, path: &str, host: &str) -> Reply {
    raw(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

fn fetch(port: u16, path: &str) -> Reply {
    get_with_host(port, path, &format!("127.0.0.1:{port}"))
}

/// A minimal HTTP/1.1 GET: (status, body).
fn get(port: u16, path: &str) -> (u16, String) {
    let reply = fetch(port, path);
    (reply.status, reply.body)
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
        home.contains("src=\"/__kenkomap/reload.js\""),
        "the live-reload script is referenced"
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

/// DNS rebinding: a web page on evil.example whose name now resolves to 127.0.0.1 must not
/// be able to read the site (or the error banner) through the visitor's browser.
#[test]
fn only_local_host_names_are_answered() {
    let site = valid_site();
    let server = start(site.path());
    let port = server.port;
    for host in [
        "evil.example",
        "evil.example:80",
        "127.0.0.1.evil.example",
        "localhost.",
        "",
    ] {
        let reply = get_with_host(port, "/", host);
        assert!(
            reply.status == 421 || reply.status == 403,
            "Host {host:?} got {}",
            reply.status
        );
        assert!(
            reply
                .header("content-type")
                .is_some_and(|t| t.starts_with("text/plain")),
            "Host {host:?}: a plain-text refusal"
        );
        assert!(reply.body.len() < 300, "a short body: {:?}", reply.body);
        assert!(!reply.body.contains("テスト県"), "no page content");
    }
    let other_port = if port == 1 { 2 } else { port - 1 };
    for host in [
        format!("localhost:{other_port}"),
        "127.0.0.1:1111x".to_owned(),
    ] {
        assert_ne!(get_with_host(port, "/", &host).status, 200, "Host {host}");
    }
    // No Host at all (HTTP/1.0) is refused too.
    assert_ne!(raw(port, "GET / HTTP/1.0\r\n\r\n").status, 200);
    // An absolute URI names the host too, and wins over the header.
    assert_ne!(
        raw(
            port,
            "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .status,
        200
    );
    for host in [
        "localhost".to_owned(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "127.0.0.1".to_owned(),
        format!("127.0.0.1:{port}"),
        "[::1]".to_owned(),
        format!("[::1]:{port}"),
    ] {
        let reply = get_with_host(port, "/", &host);
        assert_eq!(reply.status, 200, "Host {host}");
        assert!(reply.body.contains("テスト県"));
    }
}

/// Every `<script …>` tag of `html`, as written.
fn script_tags(html: &str) -> Vec<&str> {
    html.match_indices("<script")
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
        .collect()
}

/// The value of `content` in the CSP `<meta>` tag.
fn meta_csp(html: &str) -> Option<String> {
    let at = html.find("http-equiv=\"Content-Security-Policy\"")?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(
        rest[start..start + end]
            .replace("&#x27;", "'")
            .replace("&#39;", "'"),
    )
}

#[test]
fn served_pages_carry_the_built_sites_csp_and_no_inline_script() {
    let site = valid_site();
    let server = start(site.path());
    for path in ["/", "/parks/tamamo-park/", "/en/", "/no/such/page/"] {
        let reply = fetch(server.port, path);
        let csp = reply
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP header"));
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(
            meta_csp(&reply.body).as_deref(),
            Some(csp),
            "{path}: the header is the built site's meta CSP"
        );
        let scripts = script_tags(&reply.body);
        assert!(!scripts.is_empty(), "{path} has scripts");
        for tag in scripts {
            // JSON-LD is data, which browsers do not run (nor does the CSP block it).
            let data = tag.contains("type=\"application/ld+json\"");
            assert!(
                tag.contains(" src=\"") || data,
                "{path}: inline script {tag}"
            );
        }
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    }
    let script = fetch(server.port, "/__kenkomap/reload.js");
    assert_eq!(script.status, 200);
    assert!(
        script
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/javascript"))
    );
    assert!(script.body.contains("/__kenkomap/reload"));
}

/// The reload token a page is served with, then a long poll that answers when the site was
/// rebuilt.
#[test]
fn an_edit_answers_the_reload_long_poll() {
    let site = valid_site();
    let server = start(site.path());
    let port = server.port;
    let token = fetch(port, "/__kenkomap/reload").body.trim().to_owned();
    assert!(!token.is_empty());
    // Nothing changed: a poll with an outdated token answers at once with the current one.
    let now = Instant::now();
    assert_eq!(
        fetch(port, "/__kenkomap/reload?since=stale").body.trim(),
        token
    );
    assert!(now.elapsed() < Duration::from_secs(5));

    let (tx, rx) = std::sync::mpsc::channel();
    let since = token.clone();
    std::thread::spawn(move || {
        let _ = tx.send(fetch(port, &format!("/__kenkomap/reload?since={since}")));
    });
    // The poll waits while nothing changes…
    assert!(rx.recv_timeout(Duration::from_millis(1500)).is_err());
    let parks = site.path().join("data/parks/parks.yaml");
    let original = std::fs::read_to_string(&parks).unwrap();
    std::fs::write(&parks, original.replace("玉藻公園", "玉藻公園（改）")).unwrap();
    // …and answers with a new token once the edit is rebuilt.
    let reply = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the long poll answers after an edit");
    assert_eq!(reply.status, 200);
    assert_ne!(reply.body.trim(), token);
    assert!(
        get(port, "/parks/tamamo-park/")
            .1
            .contains("玉藻公園（改）")
    );
}

/// Slowloris: a client that sends half a request line and then nothing is disconnected.
#[test]
fn a_half_sent_request_is_disconnected() {
    let site = valid_site();
    let server = start(site.path());
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(b"GET /parks/ HT").unwrap();
    let start = Instant::now();
    let mut buf = Vec::new();
    // EOF or a reset both mean the server let go; a read timeout means it did not.
    let outcome = stream.read_to_end(&mut buf);
    let elapsed = start.elapsed();
    assert!(
        !matches!(&outcome, Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        "still connected after {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_secs(15),
        "closed after {elapsed:?}"
    );
    // The server still answers others.
    assert_eq!(get(server.port, "/").0, 200);
}

/// Directory symlinks under the site that point at `/` or back up the tree must neither stop
/// the server nor its rebuilds.
#[cfg(unix)]
#[test]
fn directory_symlinks_out_of_the_site_do_not_stop_serve() {
    let site = valid_site();
    std::os::unix::fs::symlink("/", site.path().join("data/parks/loop")).unwrap();
    std::os::unix::fs::symlink("..", site.path().join("data/loop2")).unwrap();
    let server = start(site.path());
    assert_eq!(get(server.port, "/").0, 200);

    let parks = site.path().join("data/parks/parks.yaml");
    let original = std::fs::read_to_string(&parks).unwrap();
    std::fs::write(&parks, original.replace("玉藻公園", "玉藻公園（改）")).unwrap();
    assert!(
        wait_for(|| get(server.port, "/parks/tamamo-park/")
            .1
            .contains("玉藻公園（改）")),
        "an edit is still rebuilt"
    );
    assert_eq!(get(server.port, "/").0, 200);
}

#[test]
fn the_banner_never_shows_internal_values() {
    let site = valid_site();
    let server = start(site.path());
    // Broken records next to, and on, `internal:` values (the fixture of tests/internal.rs).
    let broken = fixtures().join("internal/data/parks/parks.yaml");
    std::fs::copy(broken, site.path().join("data/parks/parks.yaml")).unwrap();
    assert!(wait_for(|| get(server.port, "/")
        .1
        .contains("role=\"alert\"")));
    let page = get(server.port, "/").1;
    assert!(page.contains("E0104"), "{page}");
    assert!(
        page.contains("not shown"),
        "the placeholder is shown: {page}"
    );
    assert!(!page.contains("山田太郎"), "{page}");
}

#[test]
fn a_failed_first_build_shows_its_errors() {
    let site = valid_site();
    let parks = site.path().join("data/parks/parks.yaml");
    let original = std::fs::read_to_string(&parks).unwrap();
    std::fs::write(
        &parks,
        original.replace("id: tamamo-park", "id: Tamamo_Park"),
    )
    .unwrap();
    let server = start(site.path());
    for path in ["/", "/parks/tamamo-park/"] {
        let reply = fetch(server.port, path);
        assert_eq!(
            reply.status, 200,
            "{path}: an error page, not a server error"
        );
        assert!(reply.body.contains("role=\"alert\""), "{}", reply.body);
        assert!(reply.body.contains("E0104"));
        assert!(reply.body.contains("src=\"/__kenkomap/reload.js\""));
        assert!(reply.header("content-security-policy").is_some());
    }
    // Fixed: the site appears.
    std::fs::write(&parks, &original).unwrap();
    assert!(wait_for(|| get(server.port, "/")
        .1
        .contains("テスト県 健康情報マップ")));
}

#[test]
fn a_busy_port_is_named_with_a_hint() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = valid_site();
    let mut child = Command::new(bin())
        .args([
            "serve",
            "--port",
            &port,
            "--site",
            site.path().to_str().unwrap(),
        ])
        .env("KENKOMAP_TODAY", TODAY)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve kept running on a busy port");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&port), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
}

/// Warnings are printed after every build, the first and each rebuild: an edit may add or fix
/// some, and a council sees what is left while it edits.
#[test]
fn warnings_are_printed_after_every_build() {
    let site = valid_site();
    let parks = site.path().join("data/parks/parks.yaml");
    let text = std::fs::read_to_string(&parks).unwrap();
    std::fs::write(
        &parks,
        text.replacen(
            "records:\n",
            "records:\n  # CHECK: is this the right park?\n",
            1,
        ),
    )
    .unwrap();
    let mut child = Command::new(bin())
        .args([
            "serve",
            "--port",
            "0",
            "--site",
            site.path().to_str().unwrap(),
        ])
        .env("KENKOMAP_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Lines up to the next "rebuilt:" summary, or what came within `wait`.
    let until_built = |rx: &std::sync::mpsc::Receiver<String>, wait: Duration| {
        let mut lines = Vec::new();
        while let Ok(line) = rx.recv_timeout(wait) {
            let done = line.starts_with("rebuilt:");
            lines.push(line);
            if done {
                break;
            }
        }
        lines
    };
    let first = until_built(&rx, Duration::from_secs(60));
    // The watcher starts after the first build: edit until a rebuild answers (bounded).
    let mut second = Vec::new();
    for _ in 0..20 {
        std::fs::write(&parks, std::fs::read_to_string(&parks).unwrap() + "\n").unwrap();
        second.extend(until_built(&rx, Duration::from_secs(3)));
        if second.iter().any(|l| l.starts_with("rebuilt:")) {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    for (which, lines) in [("first build", &first), ("rebuild", &second)] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("warning[W0508]: left to check: is this the right park?")),
            "{which}: {lines:?}"
        );
        assert!(
            lines.last().is_some_and(|l| l.ends_with(", 1 warning")),
            "{which}: {lines:?}"
        );
    }
}
