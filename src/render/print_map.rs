//! The maps of a print sheet: the overview and its insets (拡大図), each framed, with a scale
//! bar and a north arrow, every marker's number readable (see [`super::inset`]).

use std::fmt::Write as _;

use geo::indexed::IntervalTreeMultiPolygon;
use geo::{BoundingRect, MultiPolygon};

use super::inset::{self, Layout, Panel, Rect};
use super::svg::{Background, Marker, Projection, escape, marker_symbols};
use crate::registry::Kind;

/// The overview of a print sheet: 188 mm wide, at most 141 mm high.
pub const OVERVIEW: [f64; 2] = [800.0, 600.0];
/// The overview's 800 units are the 188 mm of an A4 sheet's text width.
pub const MM_PER_UNIT: f64 = 188.0 / 800.0;
/// Markers are drawn at their natural 12 units (2.8 mm): see [`inset::MARKER`].
const MARKER_SCALE: f64 = 1.0;
/// Insets a sheet may add (each is a panel of half or full width): one for every
/// [`MARKERS_PER_INSET`] markers, and at least this many. The area sheet of 大阪市 in the
/// national data, 3,033 markers, takes 53.
pub const MIN_INSETS: usize = 40;
const MARKERS_PER_INSET: usize = 30;
/// Past this many markers, a sheet's map carries no numbers (the list alone numbers the
/// records, and the sheets by municipality have numbered maps): its map would need more than
/// 160 insets, pages of them before its list, which runs to some fifty pages anyway. The cap
/// also bounds the planning (5,000 markers plan in under 0.1 s) against a site of any size. No
/// sheet of the national data comes near (the most is 3,033).
pub const MAX_NUMBERED: usize = 5000;

/// How many insets a sheet of `markers` markers may add.
pub fn max_insets(markers: usize) -> usize {
    MIN_INSETS.max(markers.div_ceil(MARKERS_PER_INSET))
}

pub struct PrintMapSpec<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Drawn with [`Projection::fit_within`] into [`OVERVIEW`].
    pub background: &'a Background,
    /// The background's shapes (for drawing them again on insets), their names (and the
    /// widest of each name in any language: see [`plan`]) and outline.
    pub shapes: Vec<&'a MultiPolygon<f64>>,
    pub labels: Vec<Option<&'a str>>,
    pub name_widths: Vec<f64>,
    pub outline: Option<&'a MultiPolygon<f64>>,
    /// Every marker has a number.
    pub markers: Vec<Marker<'a>>,
    /// "拡大図{n}" / "Inset {n}".
    pub inset_label: &'a str,
}

pub struct InsetMap {
    /// 1, 2, …: "拡大図1".
    pub label: usize,
    pub svg: String,
    /// The centre of what it shows (lon, lat), to name the place.
    pub centre: (f64, f64),
}

pub struct PrintMaps {
    pub overview: String,
    pub insets: Vec<InsetMap>,
    /// The numbers of markers that no map shows with their number.
    pub unnumbered: Vec<usize>,
    /// False when the sheet has too many markers to number them on the map.
    pub numbered: bool,
}

/// Plans and draws the maps of a sheet.
pub fn print_maps(spec: &PrintMapSpec) -> PrintMaps {
    draw(spec, &plan(spec))
}

/// The width of a municipality's name on the map: a full-width character is one em (22 units),
/// others (Latin letters of the English names) about 0.6.
pub fn name_width(name: &str) -> f64 {
    let ems: f64 = name
        .chars()
        .map(|c| if c >= '\u{2E80}' { 1.0 } else { 0.6 })
        .sum();
    ems * inset::NAME_FONT
}

/// The layout of a sheet's maps. It depends on the markers and the names' widths only, so one
/// serves the sheet in every language (`name_widths` is the widest of each name).
pub fn plan(spec: &PrintMapSpec) -> Layout {
    let proj = spec.background.proj;
    let numbered = spec.markers.len() <= MAX_NUMBERED;
    let points: Vec<inset::Point> = spec
        .markers
        .iter()
        .map(|m| {
            let (x, y) = proj.xy(m.lon, m.lat);
            let n = m.number.unwrap_or(0);
            inset::Point {
                x,
                y,
                digits: n.to_string().len() as u8,
            }
        })
        .collect();
    let names = names(spec);
    // What the first page holds above and below the overview: the header, the legend and
    // its notes (units of 0.235 mm).
    let first_page = inset::PAGE_H - 170.0 - proj.height - 90.0;
    let size = [proj.width, proj.height];
    let names: Vec<inset::Name> = names.into_iter().map(|(_, n)| n).collect();
    if numbered {
        inset::plan(&points, &names, size, max_insets(points.len()), first_page)
    } else {
        inset::plan(&[], &names, size, 0, first_page)
    }
}

/// The names that have a place, with the index of their label.
fn names(spec: &PrintMapSpec) -> Vec<(usize, inset::Name)> {
    let spots = name_spots(spec);
    (0..spec.labels.len())
        .filter_map(|k| {
            let (x, y) = spec.background.label_points.get(k).copied().flatten()?;
            spec.labels[k]?;
            Some((
                k,
                inset::Name {
                    x,
                    y,
                    width: spec.name_widths.get(k).copied().unwrap_or(0.0),
                    spots: spots.get(k).cloned().unwrap_or_default(),
                },
            ))
        })
        .collect()
}

/// Draws the maps of a sheet as planned.
pub fn draw(spec: &PrintMapSpec, layout: &Layout) -> PrintMaps {
    let proj = spec.background.proj;
    let numbered = spec.markers.len() <= MAX_NUMBERED;
    let drawn_names: Vec<&str> = names(spec)
        .into_iter()
        .filter_map(|(k, _)| spec.labels[k])
        .collect();
    let draw = |p: usize| Drawing {
        spec,
        layout,
        p,
        proj: if p == 0 {
            proj
        } else {
            let panel = &layout.panels[p];
            proj.zoomed(panel.world, panel.scale, [panel.width, panel.height])
        },
        names: &drawn_names,
    };
    let insets = (1..layout.panels.len())
        .map(|p| {
            let panel = &layout.panels[p];
            let d = draw(p);
            let (cx, cy) = (panel.width / 2.0, panel.height / 2.0);
            InsetMap {
                label: p,
                svg: d.svg(),
                centre: d.proj.lon_lat(cx, cy),
            }
        })
        .collect();
    PrintMaps {
        overview: draw(0).svg(),
        insets,
        unnumbered: if numbered {
            layout
                .unnumbered
                .iter()
                .filter_map(|&i| spec.markers[i].number)
                .collect()
        } else {
            spec.markers.iter().filter_map(|m| m.number).collect()
        },
        numbered,
    }
}

/// Where each shape's name may go: the places around its label point, nearest first, where
/// the name lies within the shape. Computed once per background (the point-in-polygon tests are the cost).
fn name_spots<'a>(spec: &'a PrintMapSpec) -> &'a [Vec<(f64, f64)>] {
    use geo::Contains;
    let background = spec.background;
    background.name_spots.get_or_init(|| {
        let proj = background.proj;
        spec.shapes
            .iter()
            .zip(&background.label_points)
            .zip(&spec.name_widths)
            .map(|((shape, point), width)| {
                let Some((x, y)) = *point else {
                    return Vec::new();
                };
                // The name's middle and both its ends, so that it does not read as the
                // neighbour's. Hundreds of points are tested against a shape of thousands of
                // vertices: an index of its edges by latitude answers each from a few.
                let indexed = IntervalTreeMultiPolygon::new(shape);
                let half = width / 2.0;
                let within = |(sx, sy): (f64, f64)| {
                    [sx - half, sx, sx + half].into_iter().all(|px| {
                        let (lon, lat) = proj.lon_lat(px, sy - inset::NAME_FONT / 3.0);
                        indexed.contains(&geo::Point::new(lon, lat))
                    })
                };
                inset::spiral(inset::NAME_REACH, 20.0)
                    .map(|(dx, dy)| (x + dx, y + dy))
                    .filter(|&spot| within(spot))
                    .collect()
            })
            .collect()
    })
}

/// One panel being drawn.
struct Drawing<'a> {
    spec: &'a PrintMapSpec<'a>,
    layout: &'a Layout,
    p: usize,
    proj: Projection,
    /// The labels that have a place, in the order of [`inset::Name`]s.
    names: &'a [&'a str],
}

impl Drawing<'_> {
    fn panel(&self) -> &Panel {
        &self.layout.panels[self.p]
    }

    fn svg(&self) -> String {
        let panel = self.panel();
        let mut s = String::with_capacity(8192 + self.spec.markers.len() * 96);
        self.open(&mut s);
        self.land(&mut s);
        let _ = write!(s, "{}", corner_plates(panel));
        self.frames(&mut s);
        self.markers(&mut s);
        self.outside_cell(&mut s);
        self.names(&mut s);
        self.numbers(&mut s);
        self.captions(&mut s);
        s.push_str(&scale_bar(&self.proj, panel));
        s.push_str(&north_arrow(panel));
        let _ = write!(
            s,
            "<rect x=\"0.75\" y=\"0.75\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#374151\" stroke-width=\"1.5\"/></svg>",
            panel.width - 1.5,
            panel.height - 1.5
        );
        s
    }

    fn id(&self) -> String {
        if self.p == 0 {
            self.spec.id.to_owned()
        } else {
            format!("{}-{}", self.spec.id, self.p)
        }
    }

    fn open(&self, s: &mut String) {
        let panel = self.panel();
        let title = if self.p == 0 {
            self.spec.title.to_owned()
        } else {
            format!(
                "{} {}",
                self.spec.inset_label.replace("{n}", &self.p.to_string()),
                self.spec.title
            )
        };
        // Insets are as large on paper as their units say (the overview fills the text width,
        // which is the same size), so numbers print at one size on every panel.
        let size = if self.p == 0 {
            String::new()
        } else {
            format!(
                " width=\"{:.1}mm\" height=\"{:.1}mm\"",
                panel.width * MM_PER_UNIT,
                panel.height * MM_PER_UNIT
            )
        };
        let _ = write!(
            s,
            "<svg class=\"map-svg\"{size} viewBox=\"0 0 {:.0} {:.0}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
            panel.width,
            panel.height,
            escape(&title),
            escape(self.spec.description),
            id = self.id()
        );
        // The overview defines the markers once for the page; insets use the same ids (the
        // SVGs are inline in one document, so `#mk-parks` resolves across them).
        if self.p == 0 {
            let kinds = Kind::ALL
                .into_iter()
                .filter(|k| self.spec.markers.iter().any(|m| m.kind == *k));
            s.push_str(&marker_symbols(kinds, MARKER_SCALE));
        }
    }

    /// The municipalities: the overview's are drawn once per area; an inset's are cut to it.
    fn land(&self, s: &mut String) {
        s.push_str("<rect width=\"100%\" height=\"100%\" fill=\"#eef4f8\"/><g fill=\"#fbfaf6\" stroke=\"#9aa5b1\" stroke-width=\"0.8\">");
        if self.p == 0 {
            s.push_str(&self.spec.background.shapes);
        } else {
            for shape in &self.spec.shapes {
                let d = self.clipped(shape);
                if !d.is_empty() {
                    let _ = write!(s, "<path d=\"{d}\"/>");
                }
            }
        }
        s.push_str("</g>");
        let outline = if self.p == 0 {
            self.spec.background.outline.clone()
        } else {
            self.spec.outline.map(|o| self.clipped(o))
        };
        if let Some(d) = outline.filter(|d| !d.is_empty()) {
            let _ = write!(
                s,
                "<path d=\"{d}\" fill=\"none\" stroke=\"#334155\" stroke-width=\"1.8\"/>"
            );
        }
    }

    /// A shape cut to the panel (with a margin, so the cut edges stay out of sight), or
    /// nothing when it lies outside.
    fn clipped(&self, shape: &MultiPolygon<f64>) -> String {
        let panel = self.panel();
        let clip = [-4.0, -4.0, panel.width + 4.0, panel.height + 4.0];
        let Some(bounds) = shape.bounding_rect() else {
            return String::new();
        };
        let (x0, y1) = self.proj.xy(bounds.min().x, bounds.min().y);
        let (x1, y0) = self.proj.xy(bounds.max().x, bounds.max().y);
        if x1 < clip[0] || x0 > clip[2] || y1 < clip[1] || y0 > clip[3] {
            return String::new();
        }
        super::svg::clipped_path_data(shape, &self.proj, 0.6, clip)
    }

    /// The frames of the insets that zoom into this panel: the cells they number (as the
    /// planning saw them), and their captions' boxes.
    fn frame_rects(&self) -> (Vec<Rect>, Vec<Rect>) {
        let panel = self.panel();
        let frames: Vec<Rect> = self
            .layout
            .children(self.p)
            .map(|(_, child)| panel.rect(&child.cell))
            .collect();
        let captions = inset::caption_boxes(&frames, panel.width, panel.height);
        (frames, captions)
    }

    /// The frames, under the markers (which stay visible inside them).
    fn frames(&self, s: &mut String) {
        let panel = self.panel();
        for frame in self.frame_rects().0 {
            let f = clamp_rect(&frame, panel.width, panel.height);
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#0f4c47\" stroke-width=\"2\"/>",
                f[0],
                f[1],
                f[2] - f[0],
                f[3] - f[1],
            );
        }
    }

    /// The frames' captions (the insets' numbers), over the markers, so none is hidden.
    fn captions(&self, s: &mut String) {
        for (k, cap) in self.frame_rects().1.iter().enumerate() {
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#0f4c47\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"15\" font-weight=\"bold\" fill=\"#fff\" font-family=\"sans-serif\" text-anchor=\"middle\">{}</text>",
                cap[0],
                cap[1],
                cap[2] - cap[0],
                cap[3] - cap[1],
                (cap[0] + cap[2]) / 2.0,
                cap[3] - 3.5,
                k + 1
            );
        }
    }

    /// On an inset, what lies outside its cell (its frame on the overview) is dimmed: its
    /// markers are numbered on a neighbouring inset or the overview. The strip at the foot
    /// holds the scale bar and north arrow.
    fn outside_cell(&self, s: &mut String) {
        if self.p == 0 {
            return;
        }
        let panel = self.panel();
        let c = panel.rect(&panel.cell);
        let (w, h) = (panel.width, panel.height);
        let _ = write!(
            s,
            "<path d=\"M0 0H{w:.1}V{h:.1}H0ZM{:.1} {:.1}V{:.1}H{:.1}V{:.1}Z\" fill=\"#fff\" fill-opacity=\"0.55\" fill-rule=\"evenodd\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#0f4c47\" stroke-width=\"1.2\" stroke-dasharray=\"6 4\"/><rect x=\"0\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#fff\"/><path d=\"M0 {:.1}H{w:.1}\" stroke=\"#9ca3af\" stroke-width=\"1\"/>",
            c[0],
            c[1],
            c[3],
            c[2],
            c[1],
            c[0],
            c[1],
            c[2] - c[0],
            c[3] - c[1],
            h - inset::STRIP,
            inset::STRIP,
            h - inset::STRIP
        );
    }

    /// Every marker on the panel, numbered or not.
    fn markers(&self, s: &mut String) {
        let panel = self.panel();
        s.push_str("<g>");
        for m in &self.spec.markers {
            let (x, y) = self.proj.xy(m.lon, m.lat);
            if x < -8.0 || y < -8.0 || x > panel.width + 8.0 || y > panel.height + 8.0 {
                continue;
            }
            let _ = write!(
                s,
                "<use href=\"#mk-{}\" x=\"{x:.1}\" y=\"{y:.1}\"/>",
                m.kind
            );
        }
        s.push_str("</g>");
    }

    fn names(&self, s: &mut String) {
        s.push_str("<g font-size=\"22\" fill=\"#334155\" text-anchor=\"middle\" font-family=\"sans-serif\" paint-order=\"stroke\" stroke=\"#fbfaf6\" stroke-width=\"4\" stroke-linejoin=\"round\">");
        for &(n, r) in &self.panel().names {
            let _ = write!(
                s,
                "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                (r[0] + r[2]) / 2.0,
                r[3] - 5.0,
                escape(self.names[n])
            );
        }
        s.push_str("</g>");
    }

    /// The numbers, in a group of their own (`class="numbers"`: the print test reads them),
    /// and the leader lines of those set away from their marker.
    fn numbers(&self, s: &mut String) {
        let mut leaders = String::new();
        let mut texts = String::new();
        for &(i, r) in &self.panel().numbers {
            let m = &self.spec.markers[i];
            let Some(n) = m.number else { continue };
            let (x, y) = self.proj.xy(m.lon, m.lat);
            let (ex, ey) = inset::leader_end(x, y, &r);
            if (ex - x).hypot(ey - y) > inset::MARKER + 3.0 {
                let _ = write!(leaders, "M{x:.1} {y:.1}L{ex:.1} {ey:.1}");
            }
            let _ = write!(
                texts,
                "<text x=\"{:.1}\" y=\"{:.1}\">{n}</text>",
                r[0] + 1.0,
                r[3] - 1.2
            );
        }
        if !leaders.is_empty() {
            let _ = write!(
                s,
                "<path d=\"{leaders}\" stroke=\"#111827\" stroke-width=\"1\" fill=\"none\"/>"
            );
        }
        let _ = write!(
            s,
            "<g class=\"numbers\" font-size=\"12\" font-weight=\"bold\" fill=\"#111827\" font-family=\"sans-serif\" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\">{texts}</g>"
        );
    }
}

fn clamp_rect(r: &Rect, w: f64, h: f64) -> Rect {
    [
        r[0].max(1.0),
        r[1].max(1.0),
        r[2].min(w - 1.0),
        r[3].min(h - 1.0),
    ]
}

/// Light plates under the scale bar and the north arrow, so they read over any shape.
fn corner_plates(panel: &Panel) -> String {
    let mut s = String::new();
    for r in [
        panel
            .scale_bar
            .rect(inset::SCALE_BOX, panel.width, panel.height),
        panel
            .north_arrow
            .rect(panel.arrow_box(), panel.width, panel.height),
    ] {
        let _ = write!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#fff\" fill-opacity=\"0.8\"/>",
            r[0],
            r[1],
            r[2] - r[0],
            r[3] - r[1]
        );
    }
    s
}

/// A scale bar of a round length that fits its corner.
fn scale_bar(proj: &Projection, panel: &Panel) -> String {
    let r = panel
        .scale_bar
        .rect(inset::SCALE_BOX, panel.width, panel.height);
    let room_km = (inset::SCALE_BOX[0] - 24.0) / proj.px_per_km();
    let km = [
        0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0,
    ]
    .into_iter()
    .rev()
    .find(|k| *k <= room_km)
    .unwrap_or(0.05);
    let px = km * proj.px_per_km();
    let label = if km < 1.0 {
        format!("{} m", (km * 1000.0).round() as u32)
    } else {
        format!("{km} km")
    };
    let (x, y) = (r[0] + 12.0, r[3] - 10.0);
    format!(
        "<g font-family=\"sans-serif\" font-size=\"16\" fill=\"#1f2937\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{px:.1}\" height=\"5\" fill=\"#1f2937\"/><text x=\"{x:.1}\" y=\"{:.1}\">{label}</text></g>",
        y - 5.0
    )
}

/// The north arrow, drawn to the height of its box (insets have a shorter one).
fn north_arrow(panel: &Panel) -> String {
    let size = panel.arrow_box();
    let r = panel.north_arrow.rect(size, panel.width, panel.height);
    let k = size[1] / inset::ARROW_BOX[1];
    let (x, y) = ((r[0] + r[2]) / 2.0, r[1] + 32.0 * k);
    format!(
        "<g transform=\"translate({x:.1} {y:.1}) scale({k:.2})\" font-family=\"sans-serif\"><path d=\"M0-22L8 6L0 0L-8 6Z\" fill=\"#1f2937\"/><text y=\"22\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"#1f2937\">N</text></g>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square() -> MultiPolygon<f64> {
        MultiPolygon::new(vec![
            polygon![(x: 134.0, y: 34.2), (x: 134.2, y: 34.2), (x: 134.2, y: 34.35), (x: 134.0, y: 34.35)],
        ])
    }

    fn spec_maps(markers: Vec<Marker<'_>>) -> PrintMaps {
        let area = square();
        let proj = Projection::fit_within([134.0, 34.2], [134.2, 34.35], OVERVIEW, 24.0);
        let background = Background::with(&[&area], Some(&area), proj);
        print_maps(&PrintMapSpec {
            id: "pm",
            title: "東部 <地図>",
            description: "d",
            background: &background,
            shapes: vec![&area],
            labels: vec![Some("高松市")],
            name_widths: vec![name_width("高松市")],
            outline: Some(&area),
            markers,
            inset_label: "拡大図{n}",
        })
    }

    fn numbered(n: usize, at: impl Fn(usize) -> (f64, f64)) -> Vec<Marker<'static>> {
        (0..n)
            .map(|i| {
                let (lon, lat) = at(i);
                Marker {
                    lon,
                    lat,
                    kind: Kind::Parks,
                    title: "p",
                    number: Some(i + 1),
                }
            })
            .collect()
    }

    fn numbers_in(svg: &str) -> Vec<usize> {
        let group = svg.split("class=\"numbers\"").nth(1).unwrap();
        let group = &group[..group.find("</g>").unwrap()];
        group
            .split("</text>")
            .filter_map(|t| t.rsplit('>').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn a_dense_town_gets_framed_insets_and_every_number_is_drawn() {
        // 120 parks within ~400 m of one another, 10 spread out.
        let mut markers = numbered(120, |i| {
            (
                134.1 + (i % 12) as f64 * 0.0004,
                34.28 + (i / 12) as f64 * 0.0003,
            )
        });
        markers.extend(
            numbered(10, |i| (134.01 + i as f64 * 0.018, 34.22))
                .into_iter()
                .enumerate()
                .map(|(k, m)| Marker {
                    number: Some(121 + k),
                    ..m
                }),
        );
        let maps = spec_maps(markers);
        assert!(
            maps.numbered && maps.unnumbered.is_empty(),
            "{:?}",
            maps.unnumbered
        );
        assert!(!maps.insets.is_empty());
        let mut all: Vec<usize> = numbers_in(&maps.overview);
        for inset in &maps.insets {
            all.extend(numbers_in(&inset.svg));
            assert!(inset.svg.contains("stroke=\"#374151\""), "framed");
            assert!(
                inset.svg.contains(" m</text>") || inset.svg.contains(" km</text>"),
                "scale bar"
            );
            assert!(inset.svg.contains(">N</text>"), "north arrow");
        }
        all.sort_unstable();
        all.dedup();
        assert_eq!(all, (1..=130).collect::<Vec<_>>());
        assert!(
            maps.overview.contains(
                "fill=\"#fff\" font-family=\"sans-serif\" text-anchor=\"middle\">1</text>"
            ),
            "the inset is located on the overview"
        );
        assert!(maps.overview.contains(">高松市</text>"));
        assert!(maps.overview.contains("東部 &lt;地図&gt;"));
    }

    #[test]
    fn a_city_of_thousands_is_numbered_with_more_insets() {
        // 1,500 clinics of a city, in 60 buildings of 25 clinics each, 20 m apart (大阪市's
        // sheet has 3,033 markers; past 1,200 a sheet's map used to carry no numbers): every
        // number is drawn, and the sheet may take more insets than a small sheet's 40 (with
        // 40, 88 of 大阪市's markers went without a number).
        let markers = numbered(1500, |i| {
            let (building, clinic) = (i / 25, i % 25);
            (
                134.01 + (building % 10) as f64 * 0.019 + (clinic % 5) as f64 * 0.0002,
                34.215 + (building / 10) as f64 * 0.022 + (clinic / 5) as f64 * 0.0002,
            )
        });
        let maps = spec_maps(markers);
        assert!(
            maps.numbered && maps.unnumbered.is_empty(),
            "{:?}",
            maps.unnumbered
        );
        assert!(
            maps.insets.len() > MIN_INSETS,
            "{} insets",
            maps.insets.len()
        );
        let mut all = numbers_in(&maps.overview);
        for inset in &maps.insets {
            all.extend(numbers_in(&inset.svg));
        }
        all.sort_unstable();
        assert_eq!(all, (1..=1500).collect::<Vec<_>>(), "each number once");
    }

    #[test]
    fn too_many_markers_are_drawn_without_numbers() {
        let maps = spec_maps(numbered(MAX_NUMBERED + 1, |i| {
            (
                134.05 + (i % 50) as f64 * 0.001,
                34.25 + (i / 50) as f64 * 0.001,
            )
        }));
        assert!(!maps.numbered && maps.insets.is_empty());
        assert_eq!(maps.unnumbered.len(), MAX_NUMBERED + 1);
        assert!(numbers_in(&maps.overview).is_empty());
    }

    #[test]
    fn rings_are_cut_to_the_panel() {
        let proj = Projection::fit_within([134.0, 34.2], [134.2, 34.35], OVERVIEW, 24.0);
        let zoomed = proj.zoomed([300.0, 200.0, 400.0, 300.0], 4.0, [400.0, 400.0]);
        let d = super::super::svg::clipped_path_data(
            &square(),
            &zoomed,
            0.6,
            [-4.0, -4.0, 404.0, 404.0],
        );
        for n in d
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter(|t| !t.is_empty())
        {
            let v: f64 = n.parse().unwrap();
            assert!((-4.0..=404.0).contains(&v), "{v} in {d}");
        }
    }
}
