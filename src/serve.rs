//! `kenkomap serve`: the site built in memory, served on 127.0.0.1, rebuilt when a file
//! changes, with the browser reloaded.
//!
//! A rebuild runs config → load → validate → geo → model and compiles the templates; pages
//! are rendered when they are requested (and cached), so a rebuild costs the same whether the
//! site has ten pages or a hundred thousand, and the browser reloads only the page it shows.
//! When a rebuild fails, the diagnostics are printed and shown at the top of every page, and
//! the last good site keeps being served.
//!
//! Every file of a site comes from a pull request, and `serve` runs on a council staff
//! member's PC: it answers only requests for localhost (DNS rebinding), sends the built site's
//! Content-Security-Policy (live reload is a script file, not inline), limits how long clients
//! may take (`http`), never follows symlinks when watching (`watch`), and no failed or
//! panicking build stops it.

mod http;
mod live;
mod watch;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use jiff::civil::Date;

use crate::diagnostics::{self, Format};
use crate::model::Model;
use crate::render::Renderer;
use crate::render::theme::Theme;
use crate::write::MemoryOutput;

/// A site built in memory: pages render on demand and are cached; the exports (GeoJSON, CSV,
/// HSDS, search index…) are made on the first request that needs them, so a rebuild after an
/// edit costs only the validation and the model.
pub struct Built {
    renderer: Renderer,
    pages: HashMap<String, usize>,
    /// Theme files and map outlines.
    assets: HashMap<String, Vec<u8>>,
    exports: std::sync::OnceLock<Result<HashMap<String, Vec<u8>>, String>>,
    cache: Mutex<HashMap<usize, Arc<Vec<u8>>>>,
    /// The build's warnings, rendered for the terminal (printed after every build).
    pub warnings: Vec<String>,
}

impl Built {
    fn exports(&self) -> &Result<HashMap<String, Vec<u8>>, String> {
        self.exports.get_or_init(|| {
            let out = MemoryOutput::default();
            let model = &self.renderer.model;
            let list =
                crate::export::run(model, &self.renderer.theme.i18n, &self.renderer.lists, &out)
                    .map_err(|e| e.to_string())?;
            let _ = self.renderer.downloads.set(list);
            Ok(out.into_inner())
        })
    }

    /// The bytes at an output path (`index.html`, `assets/css/site.css`), or `None`.
    pub fn get(&self, path: &str) -> Option<Result<Arc<Vec<u8>>, String>> {
        if let Some(bytes) = self.assets.get(path) {
            return Some(Ok(Arc::new(bytes.clone())));
        }
        let Some(&index) = self.pages.get(path) else {
            return match self.exports() {
                Ok(files) => files.get(path).map(|b| Ok(Arc::new(b.clone()))),
                Err(e) => Some(Err(e.clone())),
            };
        };
        if let Some(hit) = self.cache.lock().expect("not poisoned").get(&index) {
            return Some(Ok(hit.clone()));
        }
        let page = &self.renderer.model.pages[index];
        if page.kind == crate::model::PageKind::Data
            && let Err(e) = self.exports()
        {
            return Some(Err(e.clone()));
        }
        Some(match self.renderer.render(page) {
            Ok(bytes) => {
                let bytes = Arc::new(bytes);
                self.cache
                    .lock()
                    .expect("not poisoned")
                    .insert(index, bytes.clone());
                Ok(bytes)
            }
            Err(d) => Err(d.message),
        })
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }
}

/// Builds the site in memory. On failure, the diagnostics rendered for the terminal.
pub fn build_in_memory(
    site_dir: &Path,
    today: Date,
    cache: &mut crate::load::LoadCache,
) -> Result<Built, String> {
    let mut checked = crate::site::check_with(site_dir, today, cache).map_err(|e| e.to_string())?;
    let render_all = |diags: &mut dyn Iterator<Item = &crate::diagnostics::Diagnostic>,
                      sources: &crate::diagnostics::Sources| {
        diags
            .map(|d| diagnostics::render(d, sources, Format::Human, false))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    if checked.diagnostics.has_errors() {
        return Err(render_all(
            &mut checked.diagnostics.iter(),
            &checked.sources,
        ));
    }
    let Some(site) = checked.site.take() else {
        return Err(render_all(
            &mut checked.diagnostics.iter(),
            &checked.sources,
        ));
    };
    let warnings: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| diagnostics::render(d, &checked.sources, Format::Human, false))
        .collect();
    let model = Arc::new(Model::new(Arc::new(site)));
    let theme = Theme::load(site_dir, &model.site.config.theme, &mut checked.sources)
        .map_err(|diags| render_all(&mut diags.iter(), &checked.sources))?;
    let renderer = Renderer::new(model.clone(), theme)
        .map_err(|diags| render_all(&mut diags.iter(), &checked.sources))?;
    let mut assets = HashMap::new();
    for (path, bytes) in renderer
        .map_assets()
        .into_iter()
        .chain(renderer.sheet_page_css())
    {
        assets.insert(path, bytes);
    }
    for (path, bytes) in renderer.theme.statics.iter().chain(&renderer.theme.vendor) {
        assets.insert(
            format!("assets/{path}"),
            bytes.read().map_err(|e| e.to_string())?,
        );
    }
    let pages = model
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();
    Ok(Built {
        renderer,
        pages,
        assets,
        exports: std::sync::OnceLock::new(),
        cache: Mutex::new(HashMap::new()),
        warnings,
    })
}

struct State {
    current: RwLock<Option<Arc<Built>>>,
    /// The last failed build's diagnostics, shown on every page until a build succeeds.
    error: RwLock<Option<String>>,
    reload: live::Reload,
    /// The port served, the only one a `Host` header may name.
    port: u16,
}

impl State {
    fn new(port: u16) -> Self {
        State {
            current: RwLock::default(),
            error: RwLock::default(),
            reload: live::Reload::default(),
            port,
        }
    }

    fn current(&self) -> Option<Arc<Built>> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn error(&self) -> Option<String> {
        self.error.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, built: Option<Built>, error: Option<String>) {
        if let Some(built) = built {
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(Arc::new(built));
        }
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = error;
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "geojson" => "application/geo+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Answers one request: refused unless it is for this server, then kenkomap's own files
/// under `/__kenkomap/`, then the site.
async fn respond<B>(state: Arc<State>, request: Request<B>) -> Response<Body> {
    if !http::for_this_server(&request, state.port) {
        return secured(http::misdirected());
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = http::plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        let allow = HeaderValue::from_static("GET, HEAD");
        response.headers_mut().insert(header::ALLOW, allow);
        return secured(response);
    }
    let uri = request.uri().clone();
    let response = match uri.path() {
        live::SCRIPT_PATH => typed(live::SCRIPT, "reload.js"),
        live::STYLE_PATH => typed(live::STYLE, "serve.css"),
        live::POLL_PATH => {
            let token = state.reload.poll(live::since(uri.query()), live::POLL_WAIT);
            typed(token.await, "token.txt")
        }
        // Rendering and exports are CPU work: off the connection threads.
        _ => tokio::task::spawn_blocking(move || site_response(&state, uri.path()))
            .await
            .unwrap_or_else(|_| {
                http::plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "kenkomap serve: internal error\n",
                )
            }),
    };
    secured(response)
}

/// Headers on every response: nothing is cached (every response may be outdated by the next
/// edit) and no type is guessed from the content of a file a pull request brought.
fn secured(mut response: Response<Body>) -> Response<Body> {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A page or file of the site (with the reload script and any error banner in HTML), a
/// redirect to a directory's slash form, the site's 404 page, or the errors when nothing has
/// built yet.
fn site_response(state: &State, uri_path: &str) -> Response<Body> {
    // Read before the site, so a rebuild in between makes the page reload rather than miss.
    let token = state.reload.token();
    let error = state.error();
    let Some(built) = state.current() else {
        let page = live::error_page(&token, error.as_deref().unwrap_or(""));
        return html(StatusCode::OK, page, &crate::render::csp_policy(""));
    };
    let path = percent_decode(uri_path.trim_start_matches('/'));
    let (status, file, result) = match find(&built, &path) {
        Found::File(file, result) => (StatusCode::OK, file, result),
        Found::Directory => {
            let location = format!("/{}/", uri_path.trim_start_matches('/'));
            return redirect(&location);
        }
        Found::Missing => match built.get("404.html") {
            Some(result) => (StatusCode::NOT_FOUND, "404.html".to_owned(), result),
            None => return http::plain(StatusCode::NOT_FOUND, "not found\n"),
        },
    };
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(message) => {
            let mut response = typed(format!("template error: {message}"), "error.txt");
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return response;
        }
    };
    if file.ends_with(".html") {
        let page = live::inject(&bytes, &token, error.as_deref());
        return html(status, page, &built.renderer.csp());
    }
    let mut response = typed(bytes.as_ref().clone(), &file);
    *response.status_mut() = status;
    response
}

enum Found {
    File(String, Result<Arc<Vec<u8>>, String>),
    /// `path` is a directory with an index: it is served at `path/`.
    Directory,
    Missing,
}

fn find(built: &Built, path: &str) -> Found {
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    if let Some(result) = built.get(&file) {
        return Found::File(file, result);
    }
    if !path.contains('.') && built.get(&format!("{path}/index.html")).is_some() {
        return Found::Directory;
    }
    Found::Missing
}

/// `body` with the content type of a file called `name`.
fn typed(body: impl Into<Body>, name: &str) -> Response<Body> {
    let mut response = Response::new(body.into());
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(name)),
    );
    response
}

/// An HTML page with the built site's Content-Security-Policy as a header (it is in the page's
/// `<meta>` too; the header also covers what comes before the tag).
fn html(status: StatusCode, page: Vec<u8>, csp: &str) -> Response<Body> {
    let mut response = typed(page, "page.html");
    *response.status_mut() = status;
    if let Ok(csp) = HeaderValue::from_str(csp) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    response
}

/// A permanent redirect to `location`, a path made from the request's own (still
/// percent-encoded, so header-safe) path with a single leading slash.
fn redirect(location: &str) -> Response<Body> {
    let Ok(location) = HeaderValue::from_str(location) else {
        return http::plain(StatusCode::BAD_REQUEST, "bad path\n");
    };
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    response.headers_mut().insert(header::LOCATION, location);
    response
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(
                std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"),
                16,
            )
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Rebuilds the site; a failure (or a panic, which is a bug but must not stop the server)
/// becomes the banner. Returns whether the build succeeded.
fn rebuild(state: &State, site: &Path, today: Date, cache: &mut crate::load::LoadCache) -> bool {
    let start = Instant::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build_in_memory(site, today, cache)
    }))
    .unwrap_or_else(|panic| {
        // Whatever the cache held when the build broke off is not to be trusted.
        *cache = crate::load::LoadCache::default();
        Err(format!(
            "internal error: the build stopped ({}); this is a bug in kenkomap, please report it",
            panic_message(panic.as_ref())
        ))
    });
    match outcome {
        Ok(built) => {
            let pages = built.page_count();
            // Warnings after every build, not only the first: an edit may add or fix some.
            for warning in &built.warnings {
                eprintln!("{warning}\n");
            }
            let warnings = match built.warnings.len() {
                0 => String::new(),
                1 => ", 1 warning".to_owned(),
                n => format!(", {n} warnings"),
            };
            state.set(Some(built), None);
            eprintln!(
                "rebuilt: {} pages in {:.0} ms{warnings}",
                crate::text::count(pages),
                start.elapsed().as_secs_f64() * 1000.0
            );
            true
        }
        Err(error) => {
            eprintln!("{error}\n\nrebuild failed: still serving the last good site");
            state.set(None, Some(error));
            false
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic")
}

/// Rebuilds whenever files change, until the watcher goes away.
fn rebuild_on_change(
    state: &State,
    site: &Path,
    today: Date,
    mut cache: crate::load::LoadCache,
    mut watching: watch::SiteWatcher,
    changes: std::sync::mpsc::Receiver<PathBuf>,
) {
    while let Ok(first) = changes.recv() {
        // Editors write a file in several steps: wait until changes settle.
        let mut changed = vec![first];
        while let Ok(more) = changes.recv_timeout(Duration::from_millis(60)) {
            changed.push(more);
        }
        watching.follow_new_dirs(&changed);
        let shown = changed[0].strip_prefix(site).unwrap_or(&changed[0]);
        let more = match changed.len() {
            1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        eprintln!("changed: {}{more}", shown.display());
        rebuild(state, site, today, &mut cache);
        state.reload.bump();
    }
}

pub struct ServeArgs {
    pub site: PathBuf,
    pub port: u16,
    pub today: Date,
}

/// Listens on 127.0.0.1:`port`, before the first build, so that a busy port is reported at
/// once, naming the port and the way out.
fn listen(port: u16) -> std::io::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port)))
        .map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::AddrInUse {
                " (is another `kenkomap serve` running?)"
            } else {
                ""
            };
            let other = port.checked_add(1).unwrap_or(1024);
            std::io::Error::new(
                e.kind(),
                format!("cannot serve on 127.0.0.1:{port}: {e}{hint}; choose another port with --port, e.g. --port {other}"),
            )
        })?;
    // tokio takes over the socket, which must not block its threads.
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// Runs the server until interrupted.
pub fn serve(args: ServeArgs) -> std::io::Result<()> {
    let site = std::fs::canonicalize(&args.site)?;
    let listener = listen(args.port)?;
    let address = listener.local_addr()?;
    let state = Arc::new(State::new(address.port()));
    let mut cache = crate::load::LoadCache::default();
    rebuild(&state, &site, args.today, &mut cache);

    let (watching, changes) = watch::SiteWatcher::start(&site);
    {
        let (state, site) = (state.clone(), site.clone());
        std::thread::spawn(move || {
            rebuild_on_change(&state, &site, args.today, cache, watching, changes)
        });
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        eprintln!(
            "serving {} on http://{address} (Ctrl-C to stop)",
            site.display()
        );
        let handler = move |request| respond(state.clone(), request);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        http::run(listener, http::Limits::default(), handler, shutdown).await;
        Ok::<_, std::io::Error>(())
    })?;
    // Connections still open (reload polls) are not waited for.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b/%E9%AB%98"), "a b/高");
        assert_eq!(percent_decode("%zz%"), "%zz%");
    }

    #[test]
    fn a_panic_message_is_kept() {
        let panic = std::panic::catch_unwind(|| panic!("at {}", 3)).unwrap_err();
        assert_eq!(panic_message(panic.as_ref()), "at 3");
    }
}
