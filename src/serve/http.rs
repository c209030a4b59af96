//! The HTTP side of `kenkomap serve`: HTTP/1 connections with time limits, and the check
//! that a request is meant for this server.
//!
//! `serve` runs on a council staff member's PC while the site's files come from untrusted
//! pull requests, so a client must not be able to hold connections open forever (slowloris),
//! and a web page must not be able to read the site through DNS rebinding.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};

/// How long clients may take.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// To send a request's headers, counted from the connection or the previous response
    /// (so it also closes idle keep-alive connections).
    pub header: Duration,
    /// To be answered, once the headers are in: longer than the reload poll's wait.
    pub request: Duration,
    /// For a whole connection. hyper has no write or body timeout, so this is what cuts off
    /// a client that stops reading a response or trickles a request body.
    pub connection: Duration,
    /// Connections open at once; more wait to be accepted.
    pub connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header: Duration::from_secs(5),
            request: super::live::POLL_WAIT + Duration::from_secs(10),
            connection: Duration::from_secs(120),
            connections: 64,
        }
    }
}

/// Accepts connections on `listener` and answers each request with `handler`, until
/// `shutdown` completes.
pub async fn run<H, F>(
    listener: tokio::net::TcpListener,
    limits: Limits,
    handler: H,
    shutdown: impl Future<Output = ()>,
) where
    H: Fn(Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Response<Body>> + Send + 'static,
{
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.connections));
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => return,
            accepted = accept(&listener, &slots) => accepted,
        };
        let Some((stream, slot)) = accepted else {
            continue;
        };
        let handler = handler.clone();
        tokio::spawn(async move {
            serve_connection(TokioIo::new(stream), limits, handler).await;
            drop(slot);
        });
    }
}

/// The next connection, once a slot is free. `None` after an accept error (too many open
/// files, a connection reset before it was accepted): those pass, the server goes on.
async fn accept(
    listener: &tokio::net::TcpListener,
    slots: &Arc<tokio::sync::Semaphore>,
) -> Option<(tokio::net::TcpStream, tokio::sync::OwnedSemaphorePermit)> {
    let slot = slots.clone().acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((stream, _)) => Some((stream, slot)),
        Err(e) => {
            eprintln!("serve: could not accept a connection: {e}");
            tokio::time::sleep(Duration::from_millis(100)).await;
            None
        }
    }
}

/// Serves one connection within `limits`.
pub async fn serve_connection<IO, H, F>(io: IO, limits: Limits, handler: H)
where
    IO: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    H: Fn(Request<Incoming>) -> F + Send + Sync + 'static,
    F: Future<Output = Response<Body>> + Send + 'static,
{
    let service = hyper::service::service_fn(move |request| {
        let answer = tokio::time::timeout(limits.request, handler(request));
        async move { Ok::<_, Infallible>(answer.await.unwrap_or_else(|_| too_slow())) }
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header)
        .serve_connection(io, service);
    // Errors (a client gone, headers too slow) end this connection only.
    let _ = tokio::time::timeout(limits.connection, connection).await;
}

fn too_slow() -> Response<Body> {
    plain(
        StatusCode::SERVICE_UNAVAILABLE,
        "kenkomap serve: this request took too long; reload in a moment\n",
    )
}

/// A short plain-text response.
pub fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// Whether `request` names this server: `localhost`, `127.0.0.1` or `[::1]`, with no port or
/// `port`. Anything else is a page on another site whose name was made to resolve to
/// 127.0.0.1 (DNS rebinding), which must not read what `serve` shows. An absolute request URI
/// names the host too (and takes precedence over `Host` in HTTP/1.1), so both must pass.
pub fn for_this_server<B>(request: &Request<B>, port: u16) -> bool {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(host), None) => host.to_str().ok(),
        _ => None,
    };
    let authority = request.uri().authority().map(|a| a.as_str());
    host.is_some_and(|h| local_host(h, port)) && authority.is_none_or(|a| local_host(a, port))
}

fn local_host(host: &str, port: u16) -> bool {
    let (name, host_port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((inside, after)) => (&host[..inside.len() + 2], after),
            None => return false,
        },
        None => match host.split_once(':') {
            Some((name, _)) => (name, &host[name.len()..]),
            None => (host, ""),
        },
    };
    let name_ok = name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]";
    let port_ok = host_port.is_empty() || host_port.strip_prefix(':') == Some(&port.to_string());
    name_ok && port_ok
}

/// The refusal of a request for another host.
pub fn misdirected() -> Response<Body> {
    plain(
        StatusCode::MISDIRECTED_REQUEST,
        "kenkomap serve answers only requests for localhost or 127.0.0.1\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_names_with_our_port_pass() {
        for ok in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(local_host(ok, 1111), "{ok}");
        }
        for bad in [
            "",
            "evil.example",
            "localhost:1112",
            "localhost:",
            "localhost.",
            "127.0.0.1:1111:1111",
            "127.0.0.1.evil.example",
            "[::1",
            "[::2]:1111",
            "[::1]x",
            "0.0.0.0:1111",
        ] {
            assert!(!local_host(bad, 1111), "{bad}");
        }
    }

    #[test]
    fn the_host_header_and_an_absolute_uri_must_both_be_local() {
        let request = |uri: &str, hosts: &[&str]| {
            let mut builder = Request::builder().uri(uri);
            for host in hosts {
                builder = builder.header(header::HOST, *host);
            }
            builder.body(()).unwrap()
        };
        assert!(for_this_server(&request("/", &["localhost:80"]), 80));
        assert!(!for_this_server(&request("/", &[]), 80));
        assert!(!for_this_server(
            &request("/", &["localhost", "evil.example"]),
            80
        ));
        assert!(!for_this_server(
            &request("http://evil.example/", &["localhost"]),
            80
        ));
        assert!(for_this_server(
            &request("http://localhost/", &["localhost"]),
            80
        ));
    }

    fn limits() -> Limits {
        Limits {
            header: Duration::from_millis(200),
            request: Duration::from_millis(200),
            connection: Duration::from_millis(600),
            connections: 1,
        }
    }

    async fn hang(_request: Request<Incoming>) -> Response<Body> {
        std::future::pending::<()>().await;
        Response::new(Body::empty())
    }

    /// Fails the test instead of hanging it.
    async fn bounded<F: Future>(f: F) -> F::Output {
        tokio::time::timeout(Duration::from_secs(5), f)
            .await
            .expect("ends within 5 s")
    }

    /// Slowloris: half a request line, or header lines sent one by one, are cut off at the
    /// header limit.
    #[tokio::test]
    async fn slow_headers_are_cut_off() {
        use tokio::io::AsyncWriteExt;
        let (mut client, server) = tokio::io::duplex(4096);
        let served = tokio::spawn(serve_connection(TokioIo::new(server), limits(), hang));
        client.write_all(b"GET / HT").await.unwrap();
        bounded(served).await.unwrap();

        let (mut client, server) = tokio::io::duplex(4096);
        let served = tokio::spawn(serve_connection(TokioIo::new(server), limits(), hang));
        let start = std::time::Instant::now();
        let trickle = async {
            let _ = client.write_all(b"GET / HTTP/1.1\r\n").await;
            for _ in 0..100 {
                if client.write_all(b"X: 1\r\n").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        let (done, ()) = tokio::join!(bounded(served), trickle);
        done.unwrap();
        assert!(
            start.elapsed() < Duration::from_millis(600),
            "{:?}",
            start.elapsed()
        );
    }

    /// A request whose answer takes too long gets a 503.
    #[tokio::test]
    async fn a_slow_answer_is_a_503() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut client, server) = tokio::io::duplex(4096);
        tokio::spawn(serve_connection(TokioIo::new(server), limits(), hang));
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0; 64];
        let n = bounded(client.read(&mut buf)).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 503"), "{:?}", &buf[..n]);
    }

    /// A client that stops reading a large response is cut off at the connection limit.
    #[tokio::test]
    async fn a_client_that_stops_reading_is_cut_off() {
        use tokio::io::AsyncWriteExt;
        let big =
            |_request: Request<Incoming>| async { Response::new(Body::from(vec![b'x'; 1 << 20])) };
        let (mut client, server) = tokio::io::duplex(4096);
        let served = tokio::spawn(serve_connection(TokioIo::new(server), limits(), big));
        let start = std::time::Instant::now();
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        bounded(served).await.unwrap();
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(500), "{elapsed:?}");
        drop(client);
    }
}
