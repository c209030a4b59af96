//! `kenkomap serve`: the site built in memory, served on 127.0.0.1, rebuilt when a file
//! changes, with the browser reloaded.
//!
//! A rebuild runs config → load → validate → geo → model and compiles the templates; pages
//! are rendered when they are requested (and cached), so a rebuild costs the same whether the
//! site has ten pages or a hundred thousand, and the browser reloads only the page it shows.
//! When a rebuild fails, the diagnostics are printed and shown at the top of every page, and
//! the last good site keeps being served.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
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
}

impl Built {
    fn exports(&self) -> &Result<HashMap<String, Vec<u8>>, String> {
        self.exports.get_or_init(|| {
            let out = MemoryOutput::default();
            let model = &self.renderer.model;
            let list = crate::export::run(model, &self.renderer.theme.i18n, &out)
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
    let model = Arc::new(Model::new(Arc::new(site)));
    let theme = Theme::load(site_dir, &model.site.config.theme, &mut checked.sources)
        .map_err(|diags| render_all(&mut diags.iter(), &checked.sources))?;
    let mut renderer = Renderer::new(model.clone(), theme)
        .map_err(|diags| render_all(&mut diags.iter(), &checked.sources))?;
    // The live-reload script is inline, so the served pages carry no CSP (built ones do).
    renderer.live = true;
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
    })
}

#[derive(Default)]
struct State {
    current: RwLock<Option<Arc<Built>>>,
    /// The last failed build's diagnostics, shown on every page until a build succeeds.
    error: RwLock<Option<String>>,
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

/// The build error as a banner at the top of an HTML page (serve only).
fn with_error_banner(html: &[u8], error: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let banner = format!(
        "<div role=\"alert\" style=\"position:sticky;top:0;z-index:9999;background:#7f1d1d;color:#fff;padding:1rem;font:14px/1.5 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto\"><strong>kenkomap: the last rebuild failed; this is the previous site.</strong>\n\n{}</div>",
        crate::render::escape_html(error)
    );
    match html
        .find("<body")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
    {
        Some(at) => format!("{}{banner}{}", &html[..at], &html[at..]).into_bytes(),
        None => format!("{banner}{html}").into_bytes(),
    }
}

async fn handle(state: Arc<State>, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = percent_decode(path);
    let Some(built) = state.current.read().expect("not poisoned").clone() else {
        let error = state
            .error
            .read()
            .expect("not poisoned")
            .clone()
            .unwrap_or_default();
        let page = with_error_banner(b"<!DOCTYPE html><html><body></body></html>", &error);
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            page,
        )
            .into_response();
    };
    let candidates: Vec<String> = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.clone()]
    };
    let mut found = candidates
        .iter()
        .find_map(|p| built.get(p).map(|r| (p.clone(), r)));
    if found.is_none() && !path.contains('.') && built.get(&format!("{path}/index.html")).is_some()
    {
        return Redirect::permanent(&format!("/{path}/")).into_response();
    }
    let mut status = StatusCode::OK;
    if found.is_none() {
        status = StatusCode::NOT_FOUND;
        found = built.get("404.html").map(|r| ("404.html".to_owned(), r));
    }
    let Some((file, result)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(message) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("template error: {message}"),
            )
                .into_response();
        }
    };
    let mut body = bytes.as_ref().clone();
    if file.ends_with(".html")
        && let Some(error) = state.error.read().expect("not poisoned").as_deref()
    {
        body = with_error_banner(&body, error);
    }
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&file)),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
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

/// Changes under these directories never affect the site.
fn ignored(site: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(site).unwrap_or(path);
    rel.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c == "public"
            || c == "target"
            || c == ".git"
            || c == "node_modules"
            || c.starts_with(".public.")
    }) || rel.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.ends_with('~') || n.starts_with(".#") || n.ends_with(".swp")
    })
}

fn rebuild(state: &State, site: &Path, today: Date, cache: &mut crate::load::LoadCache) -> bool {
    let start = Instant::now();
    match build_in_memory(site, today, cache) {
        Ok(built) => {
            let pages = built.page_count();
            *state.current.write().expect("not poisoned") = Some(Arc::new(built));
            *state.error.write().expect("not poisoned") = None;
            eprintln!(
                "rebuilt: {} pages in {:.0} ms",
                crate::commands::count(pages),
                start.elapsed().as_secs_f64() * 1000.0
            );
            true
        }
        Err(error) => {
            eprintln!("{error}\n\nrebuild failed: still serving the last good site");
            *state.error.write().expect("not poisoned") = Some(error);
            false
        }
    }
}

pub struct ServeArgs {
    pub site: PathBuf,
    pub port: u16,
    pub today: Date,
}

/// Runs the server until interrupted.
pub fn serve(args: ServeArgs) -> std::io::Result<()> {
    let site = std::fs::canonicalize(&args.site)?;
    let state = Arc::new(State::default());
    let mut cache = crate::load::LoadCache::default();
    rebuild(&state, &site, args.today, &mut cache);

    let livereload = tower_livereload::LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
    let watch_root = site.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            for path in event.paths {
                if !ignored(&watch_root, &path) {
                    let _ = tx.send(path);
                }
            }
        }
    })
    .map_err(std::io::Error::other)?;
    notify::Watcher::watch(&mut watcher, &site, notify::RecursiveMode::Recursive)
        .map_err(std::io::Error::other)?;
    {
        let state = state.clone();
        let site = site.clone();
        std::thread::spawn(move || {
            while let Ok(first) = rx.recv() {
                // Editors write a file in several steps: wait until changes settle.
                let mut changed = vec![first];
                while let Ok(more) = rx.recv_timeout(Duration::from_millis(60)) {
                    changed.push(more);
                }
                let shown = changed[0]
                    .strip_prefix(&site)
                    .unwrap_or(&changed[0])
                    .display()
                    .to_string();
                eprintln!(
                    "changed: {shown}{}",
                    if changed.len() > 1 {
                        format!(" (+{} more)", changed.len() - 1)
                    } else {
                        String::new()
                    }
                );
                rebuild(&state, &site, args.today, &mut cache);
                reloader.reload();
            }
        });
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()?;
    runtime.block_on(async move {
        let app = Router::new()
            .fallback({
                let state = state.clone();
                move |uri: Uri| handle(state.clone(), uri)
            })
            .layer(livereload);
        let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
        let listener = tokio::net::TcpListener::bind(addr).await?;
        eprintln!(
            "serving {} on http://{} (Ctrl-C to stop)",
            site.display(),
            listener.local_addr()?
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })?;
    drop(watcher);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_banner_goes_after_body() {
        let page = with_error_banner(
            b"<html><body class=\"x\"><p>hi</p></body></html>",
            "E0104 <bad>",
        );
        let page = String::from_utf8(page).unwrap();
        assert!(page.starts_with("<html><body class=\"x\"><div role=\"alert\""));
        assert!(page.contains("E0104 &lt;bad&gt;"));
    }

    #[test]
    fn generated_and_vcs_paths_are_ignored() {
        let site = Path::new("/s");
        assert!(ignored(site, Path::new("/s/public/index.html")));
        assert!(ignored(
            site,
            Path::new("/s/themes/default/node_modules/x.js")
        ));
        assert!(ignored(site, Path::new("/s/data/parks/.#x.yaml")));
        assert!(!ignored(site, Path::new("/s/data/parks/x.yaml")));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b/%E9%AB%98"), "a b/高");
        assert_eq!(percent_decode("%zz%"), "%zz%");
    }
}
