//! Static SVG maps, drawn at build time so that every map works without JavaScript.
//!
//! Coordinates are projected with an equirectangular projection scaled by cos(latitude) at
//! the map's centre: at the size of a prefecture that is indistinguishable from Web Mercator
//! and much simpler. Paths are decimated to about half a pixel so maps stay small.

use std::collections::HashSet;
use std::fmt::Write as _;

use geo::MultiPolygon;

use crate::registry::Kind;

/// Width of the SVG's coordinate system; it scales with CSS.
pub const WIDTH: f64 = 800.0;

/// Marker colours: dark enough for 3:1 contrast on the light map, and each kind also has its
/// own shape so colour is never the only difference.
pub fn kind_colour(kind: Kind) -> &'static str {
    match kind {
        Kind::Facilities => "#b91c1c",
        Kind::Parks => "#15803d",
        Kind::Restaurants => "#b45309",
        Kind::Consultation => "#6d28d9",
    }
}

/// The marker shape of each kind, centred on 0,0, about 12 px across.
fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Facilities => "<circle r=\"6\"/>",
        Kind::Parks => "<rect x=\"-5.5\" y=\"-5.5\" width=\"11\" height=\"11\"/>",
        Kind::Restaurants => "<path d=\"M0-7L6.5 5H-6.5Z\"/>",
        Kind::Consultation => "<path d=\"M0-7L7 0L0 7L-7 0Z\"/>",
    }
}

fn marker_group(kind: Kind, id: Option<&str>, scale: f64) -> String {
    let id = id.map(|id| format!(" id=\"{id}\"")).unwrap_or_default();
    format!(
        "<g{id} fill=\"{}\" stroke=\"#fff\" stroke-width=\"1.5\" transform=\"scale({scale:.2})\">{}</g>",
        kind_colour(kind),
        shape(kind)
    )
}

/// The markers of the given kinds as reusable definitions (`<use href="#mk-parks">`).
pub(crate) fn marker_symbols(kinds: impl Iterator<Item = Kind>, scale: f64) -> String {
    let mut s = String::from("<defs>");
    for kind in kinds {
        s.push_str(&marker_group(kind, Some(&format!("mk-{kind}")), scale));
    }
    s.push_str("</defs>");
    s
}

/// A small legend glyph for HTML legends (same shape and colour as the map's markers).
pub fn legend_glyph(kind: Kind) -> String {
    format!(
        "<svg class=\"glyph\" width=\"16\" height=\"16\" viewBox=\"-8 -8 16 16\" aria-hidden=\"true\" focusable=\"false\">{}</svg>",
        marker_group(kind, None, 1.0)
    )
}

/// Maps lon/lat to SVG coordinates.
#[derive(Clone, Copy, Debug)]
pub struct Projection {
    min_lon: f64,
    max_lat: f64,
    kx: f64,
    ky: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits the box (min lon, min lat, max lon, max lat) into `width`, with a margin.
    pub fn fit(min: [f64; 2], max: [f64; 2], width: f64, margin: f64) -> Projection {
        let mid_lat = (min[1] + max[1]) / 2.0;
        let aspect = mid_lat.to_radians().cos();
        let span_x = ((max[0] - min[0]) * aspect).max(1e-6);
        let span_y = (max[1] - min[1]).max(1e-6);
        let inner = width - 2.0 * margin;
        let scale = inner / span_x;
        // Very tall areas are limited to a square-ish map, so a phone screen is not all map.
        let scale = scale.min(inner * 1.25 / span_y);
        let height = span_y * scale + 2.0 * margin;
        let used_width = span_x * scale;
        let offset_x = (width - used_width) / 2.0;
        Projection {
            min_lon: min[0] - offset_x / (scale * aspect),
            max_lat: max[1] + margin / scale,
            kx: scale * aspect,
            ky: scale,
            width,
            height,
        }
    }

    /// Fits the box into `size` (width, height at most), with a margin; the map is centred
    /// across the width. Print maps use it: their units are a fixed size on paper.
    pub fn fit_within(min: [f64; 2], max: [f64; 2], size: [f64; 2], margin: f64) -> Projection {
        let mid_lat = (min[1] + max[1]) / 2.0;
        let aspect = mid_lat.to_radians().cos();
        let span_x = ((max[0] - min[0]) * aspect).max(1e-6);
        let span_y = (max[1] - min[1]).max(1e-6);
        let scale = ((size[0] - 2.0 * margin) / span_x).min((size[1] - 2.0 * margin) / span_y);
        let offset_x = (size[0] - span_x * scale) / 2.0;
        Projection {
            min_lon: min[0] - offset_x / (scale * aspect),
            max_lat: max[1] + margin / scale,
            kx: scale * aspect,
            ky: scale,
            width: size[0],
            height: span_y * scale + 2.0 * margin,
        }
    }

    /// The projection of a panel that shows `world` (this projection's units) `scale` times
    /// larger, `size` units across.
    pub fn zoomed(&self, world: [f64; 4], scale: f64, size: [f64; 2]) -> Projection {
        Projection {
            min_lon: self.min_lon + world[0] / self.kx,
            max_lat: self.max_lat - world[1] / self.ky,
            kx: self.kx * scale,
            ky: self.ky * scale,
            width: size[0],
            height: size[1],
        }
    }

    /// The inverse of [`Projection::xy`].
    pub fn lon_lat(&self, x: f64, y: f64) -> (f64, f64) {
        (self.min_lon + x / self.kx, self.max_lat - y / self.ky)
    }

    pub fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.min_lon) * self.kx,
            (self.max_lat - lat) * self.ky,
        )
    }

    /// Pixels per km at the map's scale (for scale bars).
    pub fn px_per_km(&self) -> f64 {
        self.ky / 111.32
    }
}

/// SVG path data of a multipolygon, decimated to `min_px` between points.
pub fn path_data(mp: &MultiPolygon<f64>, proj: &Projection, min_px: f64) -> String {
    let mut d = String::new();
    for polygon in &mp.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let points: Vec<(f64, f64)> = ring.coords().map(|c| proj.xy(c.x, c.y)).collect();
            write_ring(&mut d, &points, min_px);
        }
    }
    d
}

/// Like [`path_data`], for a panel that shows a small part of the shapes: each ring is cut to
/// `clip` (Sutherland–Hodgman, which is exact for filled shapes) before it is written, so a
/// zoomed inset carries only what it shows.
pub fn clipped_path_data(
    mp: &MultiPolygon<f64>,
    proj: &Projection,
    min_px: f64,
    clip: [f64; 4],
) -> String {
    let mut d = String::new();
    for polygon in &mp.0 {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let points: Vec<(f64, f64)> = ring.coords().map(|c| proj.xy(c.x, c.y)).collect();
            let cut = clip_ring(points, clip);
            write_ring(&mut d, &cut, min_px);
        }
    }
    d
}

/// A ring cut to a rectangle, one side at a time.
fn clip_ring(mut ring: Vec<(f64, f64)>, clip: [f64; 4]) -> Vec<(f64, f64)> {
    type Side = (
        fn((f64, f64), f64) -> bool,
        fn((f64, f64), (f64, f64), f64) -> (f64, f64),
    );
    let across_x =
        |a: (f64, f64), b: (f64, f64), x: f64| (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
    let across_y =
        |a: (f64, f64), b: (f64, f64), y: f64| (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y);
    let sides: [(Side, f64); 4] = [
        ((|p, v| p.0 >= v, across_x), clip[0]),
        ((|p, v| p.0 <= v, across_x), clip[2]),
        ((|p, v| p.1 >= v, across_y), clip[1]),
        ((|p, v| p.1 <= v, across_y), clip[3]),
    ];
    for ((keep, cross), v) in sides {
        let Some(&last) = ring.last() else {
            break;
        };
        let mut out = Vec::with_capacity(ring.len());
        let mut prev = last;
        for &p in &ring {
            match (keep(p, v), keep(prev, v)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(prev, p, v));
                    out.push(p);
                }
                (false, true) => out.push(cross(prev, p, v)),
                (false, false) => {}
            }
            prev = p;
        }
        ring = out;
    }
    ring
}

/// Writes a projected ring as path data, leaving out points within `min_px` of the last one
/// and rings of fewer than three points.
fn write_ring(d: &mut String, ring: &[(f64, f64)], min_px: f64) {
    let start = d.len();
    let mut last: Option<(f64, f64)> = None;
    let mut count = 0;
    for &(x, y) in ring {
        if let Some((lx, ly)) = last
            && (x - lx).abs() < min_px
            && (y - ly).abs() < min_px
        {
            continue;
        }
        let _ = write!(
            d,
            "{}{:.1} {:.1}",
            if last.is_none() { "M" } else { "L" },
            x,
            y
        );
        last = Some((x, y));
        count += 1;
    }
    if count < 3 {
        d.truncate(start);
    } else {
        d.push('Z');
    }
}

/// A point on a map.
#[derive(Clone)]
pub struct Marker<'a> {
    pub lon: f64,
    pub lat: f64,
    pub kind: Kind,
    pub title: &'a str,
    /// The record's number on a print sheet (see `print_map`; other maps have none).
    pub number: Option<usize>,
}

/// What a map draws before its markers: projected outlines and label points. It does not
/// depend on the page or its language, so it is computed once per area or municipality and
/// shared by every page that shows it.
#[derive(Debug, Clone)]
pub struct Background {
    pub proj: Projection,
    /// `<path>`s of the shapes (municipalities), already drawn.
    pub(crate) shapes: String,
    /// Where each shape's label goes.
    pub(crate) label_points: Vec<Option<(f64, f64)>>,
    pub(crate) outline: Option<String>,
    /// Print sheets: where each shape's name may move to (see `print_map`).
    pub(crate) name_spots: std::sync::OnceLock<Vec<Vec<(f64, f64)>>>,
}

impl Background {
    pub fn new(
        shapes: &[&MultiPolygon<f64>],
        outline: Option<&MultiPolygon<f64>>,
        bounds: ([f64; 2], [f64; 2]),
    ) -> Background {
        Background::with(
            shapes,
            outline,
            Projection::fit(bounds.0, bounds.1, WIDTH, 24.0),
        )
    }

    /// A background drawn with a projection of its own (print maps: see
    /// [`Projection::fit_within`]).
    pub fn with(
        shapes: &[&MultiPolygon<f64>],
        outline: Option<&MultiPolygon<f64>>,
        proj: Projection,
    ) -> Background {
        let mut paths = String::new();
        for shape in shapes {
            let d = path_data(shape, &proj, 0.6);
            if !d.is_empty() {
                let _ = write!(paths, "<path d=\"{d}\"/>");
            }
        }
        Background {
            proj,
            shapes: paths,
            label_points: shapes.iter().map(|s| label_point(s, &proj)).collect(),
            outline: outline.map(|o| path_data(o, &proj, 0.6)),
            name_spots: std::sync::OnceLock::new(),
        }
    }

    /// The background alone as a standalone SVG file (record pages show it as an image).
    pub fn standalone(&self) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {:.0} {:.0}\"><rect width=\"100%\" height=\"100%\" fill=\"#eef4f8\"/><g fill=\"#fbfaf6\" stroke=\"#9aa5b1\" stroke-width=\"0.8\">{}</g></svg>",
            self.proj.width, self.proj.height, self.shapes
        )
    }
}

pub struct MapSpec<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub background: &'a Background,
    /// Drawn as an `<image>` of this URL instead of inline paths (record pages, where many
    /// pages share one municipality's outline).
    pub background_href: Option<&'a str>,
    /// Labels of the background's shapes, in their order.
    pub labels: Vec<Option<&'a str>>,
    pub markers: Vec<Marker<'a>>,
    pub scale_bar: bool,
    pub north_arrow: bool,
}

/// SVG is XML (and `assets/maps/*.svg` are files of their own): its text is escaped as the
/// feeds' is, by the one escaper.
pub(crate) use crate::text::escape_xml as escape;

/// Markers beyond this many on one map are drawn without a hover title.
const MAX_TITLED_MARKERS: usize = 300;
/// Beyond this many markers, a map draws one marker per kind and 3×3-unit cell.
const MAX_SEPARATE_MARKERS: usize = 1000;

/// Renders a map as an accessible SVG image (`role="img"` with a title and a description).
pub fn map(spec: &MapSpec) -> String {
    let proj = spec.background.proj;
    // The SVG is 800 units wide and shown ~360 px wide on a phone, so markers are drawn large
    // enough to see there (print sheets draw numbered maps of their own: `print_map`). A lone
    // marker (a record's own map) is drawn larger and ringed, so it is found at a glance on the
    // map of a whole municipality.
    let lone = spec.markers.len() == 1;
    let marker_scale = if lone { 2.2 } else { 1.4 };
    let mut s = String::with_capacity(4096 + spec.markers.len() * 64);
    let _ = write!(
        s,
        "<svg class=\"map-svg\" viewBox=\"0 0 {:.0} {:.0}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        proj.width,
        proj.height,
        escape(spec.title),
        escape(spec.description),
        id = spec.id
    );
    // Only the kinds this map shows (a record page's map has one).
    let kinds = Kind::ALL
        .into_iter()
        .filter(|k| spec.markers.iter().any(|m| m.kind == *k));
    s.push_str(&marker_symbols(kinds, marker_scale));
    match spec.background_href {
        Some(href) => {
            let _ = write!(
                s,
                "<image href=\"{}\" width=\"{:.0}\" height=\"{:.0}\"/>",
                escape(href),
                proj.width,
                proj.height
            );
        }
        None => {
            let _ = write!(
                s,
                "<rect width=\"100%\" height=\"100%\" fill=\"#eef4f8\"/><g fill=\"#fbfaf6\" stroke=\"#9aa5b1\" stroke-width=\"0.8\">{}</g>",
                spec.background.shapes
            );
        }
    }
    if let Some(d) = &spec.background.outline {
        let _ = write!(
            s,
            "<path d=\"{d}\" fill=\"none\" stroke=\"#334155\" stroke-width=\"1.8\"/>"
        );
    }
    // Municipality names at the centre of their largest part.
    s.push_str("<g font-size=\"22\" fill=\"#334155\" text-anchor=\"middle\" font-family=\"sans-serif\" paint-order=\"stroke\" stroke=\"#fbfaf6\" stroke-width=\"3\">");
    for (label, point) in spec.labels.iter().zip(&spec.background.label_points) {
        if let (Some(label), Some((x, y))) = (label, point) {
            let _ = write!(
                s,
                "<text x=\"{x:.0}\" y=\"{y:.0}\">{}</text>",
                escape(label)
            );
        }
    }
    s.push_str("</g><g>");
    // A dense area (a big city has thousands of places) would make the page's weight grow with
    // its records: past MAX_SEPARATE_MARKERS, a marker of the same kind within the same
    // 3×3-unit cell as one already drawn (1.4 px on a phone, a third of a marker's width) is
    // not drawn again; hover titles are left out when there are too many to point at (the list
    // is the text alternative).
    let titled = spec.markers.len() <= MAX_TITLED_MARKERS;
    let thinned = spec.markers.len() > MAX_SEPARATE_MARKERS;
    let mut drawn: HashSet<(Kind, i32, i32)> = HashSet::new();
    for m in &spec.markers {
        let (x, y) = proj.xy(m.lon, m.lat);
        if thinned && !drawn.insert((m.kind, (x / 3.0).floor() as i32, (y / 3.0).floor() as i32)) {
            continue;
        }
        if lone {
            let _ = write!(
                s,
                "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"30\" fill=\"none\" stroke=\"{}\" stroke-width=\"4\"/>",
                kind_colour(m.kind)
            );
        }
        if titled {
            let _ = write!(
                s,
                "<use href=\"#mk-{}\" x=\"{x:.1}\" y=\"{y:.1}\"><title>{}</title></use>",
                m.kind,
                escape(m.title)
            );
        } else {
            let _ = write!(
                s,
                "<use href=\"#mk-{}\" x=\"{x:.1}\" y=\"{y:.1}\"/>",
                m.kind
            );
        }
    }
    s.push_str("</g>");
    if spec.scale_bar {
        s.push_str(&scale_bar(&proj));
    }
    if spec.north_arrow {
        let x = proj.width - 30.0;
        let _ = write!(
            s,
            "<g transform=\"translate({x:.0} 40)\" font-family=\"sans-serif\"><path d=\"M0-22L8 6L0 0L-8 6Z\" fill=\"#334155\"/><text y=\"20\" font-size=\"13\" text-anchor=\"middle\" fill=\"#334155\">N</text></g>"
        );
    }
    s.push_str("</svg>");
    s
}

/// A scale bar of a round length about a fifth of the map's width.
fn scale_bar(proj: &Projection) -> String {
    let target_km = proj.width / 5.0 / proj.px_per_km();
    let km = [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
        .into_iter()
        .rev()
        .find(|k| *k <= target_km)
        .unwrap_or(0.5);
    let px = km * proj.px_per_km();
    let (x, y) = (20.0, proj.height - 16.0);
    let label = if km < 1.0 {
        format!("{} m", (km * 1000.0) as u32)
    } else {
        format!("{km} km")
    };
    format!(
        "<g font-family=\"sans-serif\" font-size=\"20\" fill=\"#334155\"><rect x=\"{x}\" y=\"{:.1}\" width=\"{px:.1}\" height=\"6\" fill=\"#334155\"/><text x=\"{x}\" y=\"{:.1}\">{label}</text></g>",
        y,
        y - 5.0
    )
}

/// Where to put a polygon's label: the centroid of its largest part.
fn label_point(mp: &MultiPolygon<f64>, proj: &Projection) -> Option<(f64, f64)> {
    use geo::{Area, Centroid};
    let largest =
        mp.0.iter()
            .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    let c = largest.centroid()?;
    Some(proj.xy(c.x(), c.y()))
}

/// The prefecture map of the home page: each area a link to its page.
pub struct AreaLink<'a> {
    pub polygon: &'a MultiPolygon<f64>,
    pub name: &'a str,
    pub href: String,
    pub label: String,
}

pub fn areas_map(
    id: &str,
    title: &str,
    areas: &[AreaLink],
    bounds: ([f64; 2], [f64; 2]),
) -> String {
    let proj = Projection::fit(bounds.0, bounds.1, WIDTH, 16.0);
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"map-svg areas-map\" viewBox=\"0 0 {:.0} {:.0}\" aria-labelledby=\"{id}-t\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><rect width=\"100%\" height=\"100%\" fill=\"#eef4f8\"/>",
        proj.width,
        proj.height,
        escape(title)
    );
    let palette = [
        "#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#e0f2fe", "#ffedd5",
    ];
    for (i, a) in areas.iter().enumerate() {
        let d = path_data(a.polygon, &proj, 0.8);
        let _ = write!(
            s,
            "<a href=\"{}\" aria-label=\"{}\"><path d=\"{d}\" fill=\"{}\" stroke=\"#475569\" stroke-width=\"1.2\"/>",
            escape(&a.href),
            escape(&a.label),
            palette[i % palette.len()]
        );
        if let Some((x, y)) = label_point(a.polygon, &proj) {
            let _ = write!(
                s,
                "<text x=\"{x:.0}\" y=\"{y:.0}\" font-size=\"28\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#1e293b\" font-family=\"sans-serif\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">{}</text>",
                escape(a.name)
            );
        }
        s.push_str("</a>");
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn projection_keeps_aspect_and_orientation() {
        let p = Projection::fit([133.0, 34.0], [134.0, 35.0], 800.0, 0.0);
        let (x0, y0) = p.xy(133.0, 35.0);
        let (x1, y1) = p.xy(134.0, 34.0);
        assert!(x0 < x1 && y0 < y1, "north is up, east is right");
        let ratio = (x1 - x0) / (y1 - y0);
        assert!((ratio - 34.5f64.to_radians().cos()).abs() < 0.01);
    }

    #[test]
    fn map_is_an_accessible_image_and_escapes() {
        let area = MultiPolygon::new(vec![
            polygon![(x: 133.0, y: 34.0), (x: 134.0, y: 34.0), (x: 134.0, y: 35.0), (x: 133.0, y: 35.0)],
        ]);
        let background = Background::new(&[&area], Some(&area), ([133.0, 34.0], [134.0, 35.0]));
        let svg = map(&MapSpec {
            id: "m",
            title: "東部 <script>",
            description: "d",
            background: &background,
            background_href: None,
            labels: vec![Some("高松市")],
            markers: vec![Marker {
                lon: 133.5,
                lat: 34.5,
                kind: Kind::Parks,
                title: "<b>公園</b>",
                number: None,
            }],
            scale_bar: true,
            north_arrow: true,
        });
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("東部 &lt;script&gt;"));
        assert!(svg.contains("&lt;b&gt;公園"));
        assert!(svg.contains("href=\"#mk-parks\""));
        assert!(svg.contains(">高松市</text>"));
        assert!(svg.contains(" km</text>"));
    }

    /// An unnumbered map of a 1°×1° square with the given markers (no scale bar or arrow).
    fn square_map(markers: Vec<Marker<'_>>) -> String {
        let area = MultiPolygon::new(vec![
            polygon![(x: 133.0, y: 34.0), (x: 134.0, y: 34.0), (x: 134.0, y: 35.0), (x: 133.0, y: 35.0)],
        ]);
        let background = Background::new(&[&area], Some(&area), ([133.0, 34.0], [134.0, 35.0]));
        map(&MapSpec {
            id: "m",
            title: "t",
            description: "d",
            background: &background,
            background_href: None,
            labels: vec![None],
            markers,
            scale_bar: false,
            north_arrow: false,
        })
    }

    fn marker(lon: f64, lat: f64, kind: Kind) -> Marker<'static> {
        Marker {
            lon,
            lat,
            kind,
            title: "p",
            number: None,
        }
    }

    #[test]
    fn a_lone_marker_is_large_and_ringed() {
        let one = square_map(vec![marker(133.5, 34.1, Kind::Facilities)]);
        assert!(
            one.contains("scale(2.20)") && one.contains(" r=\"30\""),
            "{one}"
        );
        let two = square_map(vec![
            marker(133.5, 34.1, Kind::Facilities),
            marker(133.5, 34.2, Kind::Facilities),
        ]);
        assert!(
            two.contains("scale(1.40)") && !two.contains(" r=\"30\""),
            "{two}"
        );
    }

    #[test]
    fn dense_markers_are_drawn_once_per_cell() {
        // 600 parks on one spot, 600 facilities 0.001° (~0.7 units) apart, 1 park far away.
        let mut markers = Vec::new();
        for i in 0..600 {
            markers.push(marker(133.2, 34.2, Kind::Parks));
            markers.push(marker(133.2 + i as f64 * 0.001, 34.5, Kind::Facilities));
        }
        markers.push(marker(133.9, 34.9, Kind::Parks));
        let sparse = square_map(markers[..800].to_vec());
        assert_eq!(
            sparse.matches("<use href=\"#mk-").count(),
            800,
            "1,000 or fewer: all"
        );
        let svg = square_map(markers.clone());
        assert_eq!(
            svg.matches("href=\"#mk-parks\" x=").count(),
            2,
            "one per spot"
        );
        let facilities = svg.matches("href=\"#mk-facilities\" x=").count();
        assert!(
            (100..=300).contains(&facilities),
            "{facilities}: thinned, not collapsed"
        );
        assert!(
            !svg.contains("<title>p</title>"),
            "no hover titles on a dense map"
        );
    }

    #[test]
    fn legend_glyph_has_one_shape() {
        let g = legend_glyph(Kind::Parks);
        assert!(g.contains("<rect"), "{g}");
        assert!(!g.contains("<circle"), "{g}");
    }
}
