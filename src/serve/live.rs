//! Live reload without an inline script: pages load `/__kenkomap/reload.js`, which long-polls
//! `/__kenkomap/reload` with the token the page was served with and reloads when the answer
//! differs. The build-error banner's style is a stylesheet of its own for the same reason:
//! served pages keep the built site's Content-Security-Policy.

use std::time::Duration;

use tokio::sync::watch;

pub const SCRIPT_PATH: &str = "/__kenkomap/reload.js";
pub const POLL_PATH: &str = "/__kenkomap/reload";
pub const STYLE_PATH: &str = "/__kenkomap/serve.css";
pub const SCRIPT: &str = include_str!("reload.js");
pub const STYLE: &str = include_str!("serve.css");

/// How long a poll waits for a rebuild before answering anyway: well within the server's
/// request timeout (`http::Limits::request`).
pub const POLL_WAIT: Duration = Duration::from_secs(20);

/// Counts rebuilds. The token names the server process too, so a page served by an earlier
/// `kenkomap serve` reloads when a new one answers.
pub struct Reload {
    instance: u64,
    generation: watch::Sender<u64>,
}

impl Default for Reload {
    fn default() -> Self {
        let instance = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Reload {
            instance: instance ^ u64::from(std::process::id()),
            generation: watch::Sender::new(0),
        }
    }
}

impl Reload {
    pub fn token(&self) -> String {
        format!("{:x}-{}", self.instance, *self.generation.borrow())
    }

    /// Tells waiting pages that the site changed.
    pub fn bump(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    /// The current token, once it is no longer `since` or after `wait`.
    pub async fn poll(&self, since: &str, wait: Duration) -> String {
        // Subscribed before comparing, so a rebuild in between is not missed.
        let mut changes = self.generation.subscribe();
        if since == self.token() {
            let _ = tokio::time::timeout(wait, changes.changed()).await;
        }
        self.token()
    }
}

/// The `since` parameter of a poll's query string (tokens need no decoding).
pub fn since(query: Option<&str>) -> &str {
    query
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .unwrap_or("")
}

/// `html` with the reload script and, when the last rebuild failed, the error banner right
/// after `<body …>`.
pub fn inject(html: &[u8], token: &str, error: Option<&str>) -> Vec<u8> {
    let mut insert = script_tag(token);
    if let Some(error) = error {
        insert.push_str(&banner(
            "the last rebuild failed; this is the previous site.",
            error,
        ));
    }
    insert_after_body(html, &insert)
}

/// The page shown when no build has succeeded yet: only the errors, reloaded once the site
/// builds.
pub fn error_page(token: &str, error: &str) -> Vec<u8> {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>kenkomap: build failed</title></head><body></body></html>";
    let insert = script_tag(token)
        + &banner(
            "the site does not build yet; this page reloads when it does.",
            error,
        );
    insert_after_body(page.as_bytes(), &insert)
}

fn script_tag(token: &str) -> String {
    let token = crate::text::escape_html(token);
    format!("<script src=\"{SCRIPT_PATH}\" data-since=\"{token}\" defer></script>")
}

fn banner(title: &str, error: &str) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"{STYLE_PATH}\"><div role=\"alert\" class=\"kenkomap-serve-error\"><strong>kenkomap: {title}</strong>\n\n{}</div>",
        crate::text::escape_html(error)
    )
}

fn insert_after_body(html: &[u8], insert: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let at = html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    match at {
        Some(at) => format!("{}{insert}{}", &html[..at], &html[at..]).into_bytes(),
        None => format!("{insert}{html}").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_and_banner_go_after_body() {
        let page = inject(
            b"<html><body class=\"x\"><p>hi</p></body></html>",
            "a-1",
            Some("E0104 <bad>"),
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with(
            "<html><body class=\"x\"><script src=\"/__kenkomap/reload.js\" data-since=\"a-1\" defer></script><link rel=\"stylesheet\""
        ));
        assert!(page.contains("<div role=\"alert\" class=\"kenkomap-serve-error\">"));
        assert!(page.contains("E0104 &lt;bad&gt;"));
        assert!(
            !page.contains("style="),
            "no inline style: the CSP forbids it"
        );
        let page = String::from_utf8(inject(b"<p>no body</p>", "a-1", None)).unwrap();
        assert!(page.starts_with("<script src=") && page.ends_with("<p>no body</p>"));
    }

    #[test]
    fn since_is_read_from_the_query() {
        assert_eq!(since(Some("x=1&since=ab-3")), "ab-3");
        assert_eq!(since(None), "");
    }

    #[tokio::test]
    async fn a_poll_answers_at_once_when_outdated_and_on_a_rebuild() {
        let reload = std::sync::Arc::new(Reload::default());
        let token = reload.token();
        let outdated = tokio::time::timeout(Duration::from_secs(1), reload.poll("old", POLL_WAIT));
        assert_eq!(outdated.await.unwrap(), token);
        let waiting = tokio::spawn({
            let reload = reload.clone();
            let token = token.clone();
            async move { reload.poll(&token, POLL_WAIT).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        reload.bump();
        let next = tokio::time::timeout(Duration::from_secs(2), waiting)
            .await
            .expect("answers on a rebuild")
            .unwrap();
        assert_ne!(next, token);
        // Nothing changed: the poll answers after `wait` with the same token.
        assert_eq!(reload.poll(&next, Duration::from_millis(20)).await, next);
    }
}
