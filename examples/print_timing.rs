//! Times the print pages alone: `cargo run --release --example print_timing -- [SITE] [ROUNDS]`.
//! Renders every print page of the site ROUNDS times on one thread (so the figure does not
//! depend on what else the machine is doing on its other core) and prints the mean per page
//! and per round.

use std::sync::Arc;
use std::time::Instant;

use kenkomap::model::{Model, PageKind};
use kenkomap::render::Renderer;
use kenkomap::render::theme::Theme;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let rounds: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("ROUNDS is a number"));
    let mut checked =
        kenkomap::site::check(&root, jiff::civil::date(2026, 11, 21)).expect("the site loads");
    let site = Arc::new(checked.site.take().expect("the site is valid"));
    let model = Arc::new(Model::new(site.clone()));
    let theme = Theme::load(&site.root, &site.config.theme, &mut checked.sources)
        .unwrap_or_else(|_| panic!("the theme loads"));
    let renderer = Renderer::new(model.clone(), theme).unwrap_or_else(|_| panic!("templates"));
    let pages: Vec<_> = model
        .pages
        .iter()
        .filter(|p| matches!(p.kind, PageKind::Print { .. }))
        .collect();
    let mut bytes = 0;
    // What the maps carry, from the first round's pages: a change that makes the planning
    // cheaper should not make it worse.
    let (mut insets, mut off_map) = (0, 0);
    let mut each = vec![0.0; pages.len()];
    let start = Instant::now();
    for round in 0..rounds {
        for (k, page) in pages.iter().enumerate() {
            let t = Instant::now();
            let html = renderer.render(page).expect("renders");
            each[k] += t.elapsed().as_secs_f64();
            bytes += html.len();
            if round == 0 {
                let html = String::from_utf8_lossy(&html);
                insets += html.matches("<figure class=\"inset\"").count();
                off_map += html.matches("<span class=\"off-map\">").count();
            }
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let mut slowest: Vec<(f64, &str)> = each
        .iter()
        .zip(&pages)
        .map(|(t, p)| (t * 1000.0 / rounds as f64, p.path.as_str()))
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (ms, path) in slowest.iter().take(6) {
        println!("{ms:8.2} ms  {path}");
    }
    // The sheets by municipality are new in issue #16: the others compare with older builds.
    let (by_municipality, others): (Vec<_>, Vec<_>) =
        each.iter().zip(&pages).partition(|(_, p)| {
            matches!(
                p.kind,
                PageKind::Print {
                    municipality: Some(_),
                    ..
                }
            )
        });
    for (label, group) in [
        ("by municipality", by_municipality),
        ("of areas and kinds", others),
    ] {
        let ms: f64 = group.iter().map(|(t, _)| **t).sum::<f64>() * 1000.0 / rounds as f64;
        println!("{} sheets {label}: {ms:.1} ms a round", group.len());
    }
    println!(
        "{insets} inset maps; {off_map} list entries marked as not on a map (no number on it, or no location)"
    );
    println!(
        "{} print pages x {rounds}: {:.1} ms a round, {:.3} ms a page, {:.0} KB a page",
        pages.len(),
        elapsed * 1000.0 / rounds as f64,
        elapsed * 1000.0 / (rounds * pages.len()) as f64,
        bytes as f64 / 1000.0 / (rounds * pages.len()) as f64
    );
}
