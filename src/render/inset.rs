//! Inset maps (拡大図) for the print sheets: where the numbers of markers would overlap on the
//! overview map, zoomed panels of the dense parts are added, each framed on the overview, until
//! every marker carries a readable number (or the budget of panels is spent).
//!
//! 1. [`place`] puts each number beside its marker, covering no marker and no other number
//!    (most crowded markers first; one neighbour may move; a leader line as a last resort).
//! 2. The markers that failed are grouped into dense parts; each becomes an inset as large as a
//!    page allows. While numbers still fail and the budget allows, the inset with the most
//!    failures is split in two at its median (a k-d split: dense spots end up in small cells at
//!    a large zoom, sparse ones stay whole), and insets of an outlier or two are given back to
//!    the overview when it can number them.
//! 3. Each marker is numbered once: on the inset whose cell holds it, else on the overview.
//!
//! Every length here is in the units of the sheet's SVGs, which all print at one size (800
//! units are the 188 mm of an A4 sheet's text width), so a number is as large on an inset as on
//! the overview. "World" coordinates are the overview's own.

use std::collections::HashMap;
use std::rc::Rc;

/// `[x0, y0, x1, y1]`.
pub type Rect = [f64; 4];

/// Half-extent of a marker (a 12-unit shape, 2.8 mm on paper, with its white outline).
pub const MARKER: f64 = 6.5;
/// A digit of a marker's number (12-unit bold sans-serif: 8 pt on paper) and its height.
pub const DIGIT: f64 = 6.9;
pub const LABEL_H: f64 = 10.5;
/// Municipality names: font size, and how far from its centre a name may move to stay clear.
pub const NAME_FONT: f64 = 22.0;
pub const NAME_REACH: f64 = 140.0;
/// The scale bar and north arrow, kept clear of numbers (see [`Corner`]).
pub const SCALE_BOX: [f64; 2] = [150.0, 36.0];
pub const ARROW_BOX: [f64; 2] = [34.0, 62.0];
/// Insets carry both in a strip below their cell, where no marker they number can be.
pub const STRIP: f64 = 40.0;
const STRIP_ARROW_BOX: [f64; 2] = [36.0, 40.0];
/// An inset's caption on the map it zooms into: its number in a box (per digit).
pub const CAPTION: [f64; 2] = [11.0, 17.0];
/// The largest inset: the text width, and a height two of which fit an A4 page.
pub const FULL_W: f64 = 800.0;
pub const FULL_H: f64 = 520.0;
/// The smallest, so that a scale bar and north arrow fit beside a few markers.
const MIN_SIZE: [f64; 2] = [230.0, 170.0];
/// The most an inset enlarges the overview (a single building's records would otherwise fill
/// a page).
const MAX_ZOOM: f64 = 40.0;
/// Room kept between the markers a panel must number and its cell's edge (world units are
/// scaled to this many panel units).
const PAD: f64 = 16.0;
/// An inset shows this much (panel units) around its cell.
const MARGIN: f64 = 20.0;
/// Markers whose numbers failed within this distance form one dense part.
const LINK: f64 = 48.0;

/// A numbered marker, in world coordinates, with the number of digits of its number.
#[derive(Clone, Copy, Debug)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub digits: u8,
}

/// A municipality's name: its anchor in world coordinates, its width and the
/// places it may be moved to (world coordinates, nearest first): those within its
/// municipality, so a name moved off a crowded centre does not land on a neighbour. Without
/// places, it moves in a spiral around its anchor.
#[derive(Clone, Debug)]
pub struct Name {
    pub x: f64,
    pub y: f64,
    /// In panel units: the widest of its languages, so one layout serves every language.
    pub width: f64,
    pub spots: Vec<(f64, f64)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    TopLeft,
    TopRight,
    BottomLeft,
    BottomRight,
}

impl Corner {
    /// The box of a `size` in this corner of a `w`×`h` panel.
    pub fn rect(self, size: [f64; 2], w: f64, h: f64) -> Rect {
        let x = match self {
            Corner::TopLeft | Corner::BottomLeft => 0.0,
            _ => w - size[0],
        };
        let y = match self {
            Corner::TopLeft | Corner::TopRight => 0.0,
            _ => h - size[1],
        };
        [x, y, x + size[0], y + size[1]]
    }
}

/// One map of the sheet: the overview (panel 0) or an inset.
#[derive(Clone, Debug)]
pub struct Panel {
    /// The part of the overview it shows.
    pub world: Rect,
    /// The part it numbers, framed on the map it zooms into: `world` less a margin, so that
    /// markers at the frame's edge have room for their numbers; neighbouring tiles' frames
    /// abut.
    pub cell: Rect,
    /// Panel units per world unit.
    pub scale: f64,
    pub width: f64,
    pub height: f64,
    pub parent: Option<usize>,
    /// Markers numbered on this panel, with their number's box (panel units).
    pub numbers: Vec<(usize, Rect)>,
    /// Municipality names shown, with their box (panel units).
    pub names: Vec<(usize, Rect)>,
    pub scale_bar: Corner,
    pub north_arrow: Corner,
}

impl Panel {
    fn new(cell: Rect, scale: f64, parent: Option<usize>) -> Panel {
        let world = if parent.is_some() {
            // The margin, and more around a small cell, so every inset has room for its
            // scale bar and north arrow.
            let grow = |lo: f64, hi: f64, min: f64| {
                let m = (MARGIN / scale).max((min / scale - (hi - lo)) / 2.0);
                (lo - m, hi + m)
            };
            let (x0, x1) = grow(cell[0], cell[2], MIN_SIZE[0]);
            let (y0, y1) = grow(cell[1], cell[3], MIN_SIZE[1]);
            [x0, y0, x1, y1 + STRIP / scale]
        } else {
            cell
        };
        let size = [(world[2] - world[0]) * scale, (world[3] - world[1]) * scale];
        Panel {
            world,
            cell,
            scale,
            width: size[0],
            height: size[1],
            parent,
            numbers: Vec::new(),
            names: Vec::new(),
            scale_bar: Corner::BottomLeft,
            north_arrow: Corner::TopRight,
        }
    }

    /// The size of the north arrow's box.
    pub fn arrow_box(&self) -> [f64; 2] {
        if self.parent.is_some() {
            STRIP_ARROW_BOX
        } else {
            ARROW_BOX
        }
    }

    /// World to panel coordinates.
    pub fn xy(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.world[0]) * self.scale,
            (y - self.world[1]) * self.scale,
        )
    }

    /// A world rectangle in panel coordinates.
    pub fn rect(&self, r: &Rect) -> Rect {
        let (x0, y0) = self.xy(r[0], r[1]);
        let (x1, y1) = self.xy(r[2], r[3]);
        [x0, y0, x1, y1]
    }

    /// A marker this panel may number.
    fn holds(&self, p: &Point) -> bool {
        inside(&self.cell, p.x, p.y)
    }

    /// A marker this panel shows.
    fn shows(&self, p: &Point) -> bool {
        inside(&self.world, p.x, p.y)
    }
}

/// The panels of a sheet. `panels[0]` is the overview.
#[derive(Clone, Debug)]
pub struct Layout {
    pub panels: Vec<Panel>,
    /// Markers numbered on no panel (none, unless the budget of insets ran out).
    pub unnumbered: Vec<usize>,
}

impl Layout {
    /// The insets that zoom into panel `p`.
    pub fn children(&self, p: usize) -> impl Iterator<Item = (usize, &Panel)> {
        self.panels
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.parent == Some(p))
    }
}

fn inside(r: &Rect, x: f64, y: f64) -> bool {
    x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3]
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn union(a: &Rect, b: &Rect) -> Rect {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

/// Where the insets' captions (their numbers in a box, inset `k + 1` for frame `k`) go on
/// the map they zoom into: at a corner of the frame, outside above or below it where there is
/// room, else inside, and never over an earlier caption (frames of dense spots are close).
pub fn caption_boxes(frames: &[Rect], w: f64, h: f64) -> Vec<Rect> {
    let mut placed: Vec<Rect> = Vec::new();
    for (k, f) in frames.iter().enumerate() {
        let cw = CAPTION[0] * (k + 1).to_string().len() as f64 + 6.0;
        let ch = CAPTION[1];
        let left = f[0].clamp(0.0, (w - cw).max(0.0));
        let right = (f[2] - cw).clamp(0.0, (w - cw).max(0.0));
        let above = f[1] - ch;
        let below = f[3];
        let spots = [
            (left, above),
            (right, above),
            (left, below),
            (right, below),
            (left, f[1]),
            (right, f[1]),
            (left, f[3] - ch),
            (right, f[3] - ch),
        ];
        let boxed = |(x, y): (f64, f64)| [x, y, x + cw, y + ch];
        let fits = |r: &Rect| r[1] >= 0.0 && r[3] <= h && !placed.iter().any(|p| overlaps(p, r));
        let r = spots
            .into_iter()
            .map(boxed)
            .find(fits)
            .unwrap_or_else(|| boxed((left, f[1].clamp(0.0, (h - ch).max(0.0)))));
        placed.push(r);
    }
    placed
}

/// A cell of a [`Grid`] holding this many rectangles is taken as covered whole: in very dense
/// spots (thousands of records on one block) tests stay short, and such a cell has no room
/// for a number anyway.
const FULL_CELL: usize = 24;

/// A panel cut into square cells, each holding what touches it (no hashing: a panel's size
/// is known, and these are the innermost loops of the layout). The entries of all cells are
/// in one vector, each linked to the one before it in its cell: a sheet places its panels
/// dozens of times, and a vector per cell cost an allocation for nearly every entry.
struct Cells<T> {
    nx: usize,
    ny: usize,
    /// By cell: its latest entry (or [`Self::NONE`]) and how many it holds.
    head: Vec<u32>,
    len: Vec<u32>,
    /// Each entry with the one before it in its cell.
    entries: Vec<(T, u32)>,
}

impl<T: Copy> Cells<T> {
    const SIZE: f64 = 16.0;
    const NONE: u32 = u32::MAX;

    fn new(w: f64, h: f64) -> Cells<T> {
        let nx = (w / Self::SIZE).ceil().max(1.0) as usize;
        let ny = (h / Self::SIZE).ceil().max(1.0) as usize;
        Cells {
            nx,
            ny,
            head: vec![Self::NONE; nx * ny],
            len: vec![0; nx * ny],
            entries: Vec::new(),
        }
    }

    /// The cell index of a coordinate, things beyond the edge in the edge cells.
    fn index(v: f64, n: usize) -> usize {
        // `as` truncates, which is the floor for the non-negative values left by `max`
        // (and maps NaN to 0); `floor` itself was a visible share of a sheet's time.
        ((v / Self::SIZE).max(0.0) as usize).min(n - 1)
    }

    /// The indices of the cells `r` touches.
    fn of(&self, r: &Rect) -> impl Iterator<Item = usize> + use<T> {
        let (x0, x1) = (Self::index(r[0], self.nx), Self::index(r[2], self.nx));
        let (y0, y1) = (Self::index(r[1], self.ny), Self::index(r[3], self.ny));
        let nx = self.nx;
        (y0..=y1).flat_map(move |y| (x0..=x1).map(move |x| y * nx + x))
    }

    fn push(&mut self, cell: usize, item: T) {
        let at = u32::try_from(self.entries.len()).expect("fewer than 2^32 entries");
        self.entries.push((item, self.head[cell]));
        self.head[cell] = at;
        self.len[cell] += 1;
    }

    fn len(&self, cell: usize) -> usize {
        self.len[cell] as usize
    }

    /// What cell `cell` holds, latest first.
    fn get(&self, cell: usize) -> impl Iterator<Item = T> + '_ {
        let mut at = self.head[cell];
        std::iter::from_fn(move || {
            let &(item, before) = self.entries.get(at as usize)?;
            at = before;
            Some(item)
        })
    }

    /// Takes out of cell `cell` what `gone` says.
    fn remove(&mut self, cell: usize, gone: impl Fn(&T) -> bool) {
        let mut after: Option<usize> = None;
        let mut at = self.head[cell];
        while let Some(&(item, before)) = self.entries.get(at as usize) {
            if gone(&item) {
                match after {
                    None => self.head[cell] = before,
                    Some(a) => self.entries[a].1 = before,
                }
                self.len[cell] -= 1;
            } else {
                after = Some(at as usize);
            }
            at = before;
        }
    }
}

/// Rectangles in a uniform grid, to test a new one against those near it only.
struct Grid {
    cells: Cells<Rect>,
    /// Each marker's centre, in the one cell it falls in (for counting without duplicates).
    centres: Cells<(f64, f64)>,
}

impl Grid {
    fn new(w: f64, h: f64) -> Grid {
        Grid {
            cells: Cells::new(w, h),
            centres: Cells::new(w, h),
        }
    }

    fn insert(&mut self, r: Rect) {
        if Cells::<Rect>::index(r[0], self.cells.nx) > Cells::<Rect>::index(r[2], self.cells.nx) {
            return; // an empty rectangle covers nothing
        }
        for cell in self.cells.of(&r) {
            if self.cells.len(cell) <= FULL_CELL {
                self.cells.push(cell, r);
            }
        }
    }

    fn insert_marker(&mut self, x: f64, y: f64) {
        self.insert(marker_box(x, y));
        let k = self.centres.of(&[x, y, x, y]).next().expect("a cell");
        self.centres.push(k, (x, y));
    }

    /// How many markers `r` covers, counting no further than `cap`.
    fn markers_in(&self, r: &Rect, cap: usize) -> usize {
        let grown = [r[0] - MARKER, r[1] - MARKER, r[2] + MARKER, r[3] + MARKER];
        let mut n = 0;
        for k in self.centres.of(&grown) {
            for (x, y) in self.centres.get(k) {
                if inside(&grown, x, y) {
                    n += 1;
                    if n >= cap {
                        return n;
                    }
                }
            }
        }
        n
    }

    fn hits(&self, r: &Rect) -> bool {
        self.cells
            .of(r)
            .any(|k| self.cells.len(k) > FULL_CELL || self.cells.get(k).any(|o| overlaps(r, &o)))
    }
}

fn marker_box(x: f64, y: f64) -> Rect {
    [x - MARKER, y - MARKER, x + MARKER, y + MARKER]
}

/// The places a number may go, best first: right, left, above, below, the diagonals, then
/// right and left slid up and down, above and below slid sideways (by a third of a number's
/// height or width, so that it still touches its marker).
fn candidates(x: f64, y: f64, digits: u8) -> [Rect; 16] {
    let w = DIGIT * f64::from(digits) + 2.0;
    let h = LABEL_H;
    let near = MARKER + 1.0;
    let at = |x0: f64, y0: f64| [x0, y0, x0 + w, y0 + h];
    let (right, left) = (x + near, x - near - w);
    let (middle, above, below) = (y - h / 2.0, y - near - h, y + near);
    let centre = x - w / 2.0;
    let slide = 0.35 * w;
    [
        at(right, middle),
        at(left, middle),
        at(centre, above),
        at(centre, below),
        at(right - 2.0, above + 3.0),
        at(right - 2.0, below - 3.0),
        at(left + 2.0, above + 3.0),
        at(left + 2.0, below - 3.0),
        at(right, middle - 4.0),
        at(left, middle - 4.0),
        at(right, middle + 4.0),
        at(left, middle + 4.0),
        at(centre - slide, above),
        at(centre - slide, below),
        at(centre + slide, above),
        at(centre + slide, below),
    ]
}

const R2: f64 = std::f64::consts::FRAC_1_SQRT_2;
/// Sixteen directions, as unit vectors (cos, sin of k × 22.5°).
const DIRECTIONS: [(f64, f64); 16] = [
    (1.0, 0.0),
    (0.9239, 0.3827),
    (R2, R2),
    (0.3827, 0.9239),
    (0.0, 1.0),
    (-0.3827, 0.9239),
    (-R2, R2),
    (-0.9239, 0.3827),
    (-1.0, 0.0),
    (-0.9239, -0.3827),
    (-R2, -R2),
    (-0.3827, -0.9239),
    (0.0, -1.0),
    (0.3827, -0.9239),
    (R2, -R2),
    (0.9239, -0.3827),
];

/// The most numbers one placement tries to set away from their markers.
const MAX_LEADERS: usize = 48;

/// How far from its marker (in marker half-widths) a number with a leader line may go: a line
/// must cross nothing up to the near distances; one that passes other markers may go further.
const LEADER_NEAR: [f64; 5] = [2.6, 3.6, 4.8, 6.2, 8.0];
const LEADER_FAR: [f64; 2] = [10.0, 12.0];

/// Places for a number away from its marker (at each of `distances`, in 16 directions),
/// nearest first, for a leader line.
fn leader_candidates(
    x: f64,
    y: f64,
    digits: u8,
    distances: &'static [f64],
) -> impl Iterator<Item = Rect> {
    let w = DIGIT * f64::from(digits) + 2.0;
    distances.iter().flat_map(move |&d: &f64| {
        DIRECTIONS.iter().map(move |&(dx, dy)| {
            let (cx, cy) = (x + d * MARKER * dx, y + d * MARKER * dy);
            [
                cx - w / 2.0,
                cy - LABEL_H / 2.0,
                cx + w / 2.0,
                cy + LABEL_H / 2.0,
            ]
        })
    })
}

/// Where a leader line from the marker at `x`,`y` meets the number's box.
pub fn leader_end(x: f64, y: f64, r: &Rect) -> (f64, f64) {
    (x.clamp(r[0], r[2]), y.clamp(r[1], r[3]))
}

/// A leader line from a marker to `r` crosses no other marker and no other number.
fn clear_leader(x: f64, y: f64, r: &Rect, markers: &Grid, labels: &Labels) -> bool {
    let (ex, ey) = leader_end(x, y, r);
    let len = (ex - x).hypot(ey - y);
    let steps = (len / 2.0).ceil() as usize;
    (0..=steps).all(|s| {
        let t = s as f64 / steps.max(1) as f64;
        let (px, py) = (x + (ex - x) * t, y + (ey - y) * t);
        if (px - x).powi(2) + (py - y).powi(2) <= (MARKER * 1.5).powi(2) {
            return true;
        }
        let dot = [px - 0.5, py - 0.5, px + 0.5, py + 0.5];
        !markers.hits(&dot) && labels.is_free(&dot)
    })
}

/// The numbers and names placed on one panel, and the markers left without a number.
#[derive(Clone, Debug)]
struct Placement {
    numbers: Vec<(usize, Rect)>,
    names: Vec<(usize, Rect)>,
    failed: Vec<usize>,
    scale_bar: Corner,
    north_arrow: Corner,
}

/// Places the numbers of `members` (and the names) on `panel`, keeping clear of every marker
/// it shows, of the captions of its insets, of the scale bar and of the north arrow.
fn place(
    panel: &Panel,
    points: &[Point],
    members: &[usize],
    names: &[Name],
    frames: &[Rect],
) -> Placement {
    let (w, h) = (panel.width, panel.height);
    let xy: Vec<(f64, f64)> = members
        .iter()
        .map(|&i| panel.xy(points[i].x, points[i].y))
        .collect();
    let mut markers = Grid::new(w, h);
    for q in points.iter().filter(|q| panel.shows(q)) {
        let (x, y) = panel.xy(q.x, q.y);
        markers.insert_marker(x, y);
    }
    let mut taken = Grid::new(w, h);
    let (scale_bar, north_arrow) = if panel.parent.is_some() {
        (Corner::BottomLeft, Corner::BottomRight)
    } else {
        corners(&markers, w, h)
    };
    taken.insert(scale_bar.rect(SCALE_BOX, w, h));
    taken.insert(north_arrow.rect(panel.arrow_box(), w, h));
    if panel.parent.is_some() {
        taken.insert([0.0, h - STRIP, w, h]);
    }
    for r in caption_boxes(frames, w, h) {
        taken.insert(r);
    }
    // Names and numbers may lie over an inset's frame: a city's name belongs on the city,
    // which may be framed, and a number beside its marker reads as its own, since the framed
    // markers carry none on this panel.
    let names = place_names(panel, names, &markers, &mut taken);
    let within = |r: &Rect| r[0] >= 2.0 && r[1] >= 2.0 && r[2] <= w - 2.0 && r[3] <= h - 2.0;
    let free = |r: &Rect| within(r) && !markers.hits(r) && !taken.hits(r);
    let mut labels = Labels::new(members.len(), w, h);
    let mut failed = Vec::new();
    // Where marker `k`'s number may go, leaving other numbers aside.
    let options = |k: usize| -> Vec<Rect> {
        let (x, y) = xy[k];
        candidates(x, y, points[members[k]].digits)
            .into_iter()
            .filter(&free)
            .collect()
    };
    for k in crowded_first(&xy, &markers) {
        let (x, y) = xy[k];
        let first = candidates(x, y, points[members[k]].digits)
            .into_iter()
            .find(|r| labels.is_free(r) && free(r));
        match first {
            Some(r) => labels.add(k, r),
            None if labels.make_room(k, &options(k), &options) => {}
            None => failed.push(k),
        }
    }
    // The numbers that found no place beside their marker go a little further, with a leader
    // line, as a booklet's map does in a crowded spot. Past a few dozen the spot is a job for
    // an inset, and trying leaders would only cost time.
    let leaders = failed.len() <= MAX_LEADERS;
    let failed: Vec<usize> = failed
        .into_iter()
        .filter(|&k| {
            if !leaders {
                return true;
            }
            let (x, y) = xy[k];
            let digits = points[members[k]].digits;
            let open = |r: &Rect| free(r) && labels.is_free(r);
            // A leader that crosses nothing, else (rarely) the nearest place for one that
            // passes other markers: the near places are tested once for both.
            let mut nearest_open = None;
            let clear = leader_candidates(x, y, digits, &LEADER_NEAR)
                .filter(open)
                .find(|r| {
                    nearest_open.get_or_insert(*r);
                    clear_leader(x, y, r, &markers, &labels)
                });
            let spot = clear
                .or(nearest_open)
                .or_else(|| leader_candidates(x, y, digits, &LEADER_FAR).find(open));
            if let Some(r) = spot {
                labels.add(k, r);
            }
            spot.is_none()
        })
        .map(|k| members[k])
        .collect();
    Placement {
        numbers: labels.placed().map(|(k, r)| (members[k], r)).collect(),
        names,
        failed,
        scale_bar,
        north_arrow,
    }
}

/// The numbers placed so far on a panel.
struct Labels {
    /// By marker (index into the panel's members): its number's box.
    boxes: Vec<Option<Rect>>,
    cells: Cells<usize>,
}

impl Labels {
    fn new(members: usize, w: f64, h: f64) -> Labels {
        Labels {
            boxes: vec![None; members],
            cells: Cells::new(w, h),
        }
    }

    fn add(&mut self, k: usize, r: Rect) {
        for c in self.cells.of(&r) {
            self.cells.push(c, k);
        }
        self.boxes[k] = Some(r);
    }

    fn remove(&mut self, k: usize) -> Option<Rect> {
        let r = self.boxes[k].take()?;
        for c in self.cells.of(&r) {
            self.cells.remove(c, |&o| o == k);
        }
        Some(r)
    }

    fn placed_box(&self, k: usize) -> &Rect {
        self.boxes[k].as_ref().expect("placed")
    }

    /// No number overlaps `r`.
    fn is_free(&self, r: &Rect) -> bool {
        self.cells
            .of(r)
            .all(|c| self.cells.get(c).all(|o| !overlaps(r, self.placed_box(o))))
    }

    /// The markers whose numbers overlap `r`.
    fn at(&self, r: &Rect) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .cells
            .of(r)
            .flat_map(|c| self.cells.get(c))
            .filter(|&o| overlaps(r, self.placed_box(o)))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Places marker `k`'s number at one of its `options` that a single number blocks, by
    /// moving that number to another of its own places (`options_of` it).
    fn make_room(
        &mut self,
        k: usize,
        options: &[Rect],
        options_of: &dyn Fn(usize) -> Vec<Rect>,
    ) -> bool {
        for r in options {
            let [other] = self.at(r)[..] else {
                continue;
            };
            let old = self.remove(other).expect("placed");
            let moved = options_of(other)
                .into_iter()
                .find(|a| !overlaps(a, r) && self.is_free(a));
            match moved {
                Some(a) => {
                    self.add(other, a);
                    self.add(k, *r);
                    return true;
                }
                None => self.add(other, old),
            }
        }
        false
    }

    fn placed(&self) -> impl Iterator<Item = (usize, Rect)> + '_ {
        self.boxes
            .iter()
            .enumerate()
            .filter_map(|(k, b)| b.map(|r| (k, r)))
    }
}

/// The corners for the scale bar (bottom) and north arrow (top) with the fewest markers.
fn corners(markers: &Grid, w: f64, h: f64) -> (Corner, Corner) {
    let fewest = |options: [Corner; 2], size: [f64; 2]| {
        options
            .into_iter()
            .min_by_key(|c| markers.markers_in(&c.rect(size, w, h), usize::MAX))
            .expect("two options")
    };
    (
        fewest([Corner::BottomLeft, Corner::BottomRight], SCALE_BOX),
        fewest([Corner::TopRight, Corner::TopLeft], ARROW_BOX),
    )
}

/// Markers with the most neighbours first: they have the fewest free places for a number.
fn crowded_first(xy: &[(f64, f64)], markers: &Grid) -> Vec<usize> {
    let reach = 3.0 * MARKER;
    let mut order: Vec<(usize, usize)> = xy
        .iter()
        .enumerate()
        .map(|(k, &(x, y))| {
            (
                k,
                markers.markers_in(&[x - reach, y - reach, x + reach, y + reach], 16),
            )
        })
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    order.into_iter().map(|(k, _)| k).collect()
}

/// Each name whose anchor is on the panel, at the nearest place (in a spiral out from the
/// anchor) that covers no marker, or the place that covers the fewest.
fn place_names(
    panel: &Panel,
    names: &[Name],
    markers: &Grid,
    taken: &mut Grid,
) -> Vec<(usize, Rect)> {
    let (w, h) = (panel.width, panel.height);
    let mut placed = Vec::new();
    for (n, name) in names.iter().enumerate() {
        let (x, y) = panel.xy(name.x, name.y);
        if !(0.0..=w).contains(&x) || !(0.0..=h).contains(&y) {
            continue;
        }
        let half = name.width / 2.0 + 2.0;
        let boxed = |dx: f64, dy: f64| {
            let (cx, cy) = (
                (x + dx).clamp(half + 2.0, (w - half - 2.0).max(half + 2.0)),
                (y + dy).clamp(NAME_FONT + 2.0, (h - 8.0).max(NAME_FONT + 2.0)),
            );
            [cx - half, cy - NAME_FONT + 3.0, cx + half, cy + 5.0]
        };
        let mut best: Option<(usize, Rect)> = None;
        let offsets: Vec<(f64, f64)> = if name.spots.is_empty() {
            spiral(NAME_REACH, 14.0).collect()
        } else {
            name.spots
                .iter()
                .map(|&(sx, sy)| {
                    let (px, py) = panel.xy(sx, sy);
                    (px - x, py - y)
                })
                .collect()
        };
        for (dx, dy) in offsets {
            let r = boxed(dx, dy);
            if taken.hits(&r) {
                continue;
            }
            let cost = markers.markers_in(&r, usize::MAX);
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, r));
            }
            if cost == 0 {
                break;
            }
        }
        // An inset's caption names its place: there a name is drawn only where it hides no
        // marker. The overview keeps every name, where it hides the fewest.
        if panel.parent.is_some() && best.is_some_and(|(cost, _)| cost > 0) {
            continue;
        }
        if let Some((_, r)) = best {
            taken.insert(r);
            placed.push((n, r));
        }
    }
    placed
}

/// Offsets on rings of `step` around 0,0 out to `reach`, nearest first.
pub fn spiral(reach: f64, step: f64) -> impl Iterator<Item = (f64, f64)> {
    let rings = (reach / step) as i32;
    (0..=rings).flat_map(move |ring| {
        let r = f64::from(ring) * step;
        let n = (ring * 8).max(1);
        (0..n).map(move |k| {
            let a = f64::from(k) / f64::from(n) * std::f64::consts::TAU;
            (r * a.cos(), r * a.sin() * 0.6)
        })
    })
}

/// Groups markers (panel coordinates) that lie within [`LINK`] of one another, as their
/// bounding boxes grown by [`PAD`], boxes that overlap merged.
fn dense_parts(xy: &[(f64, f64)], link: f64) -> Vec<Rect> {
    let mut cells: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    let key = |x: f64, y: f64| ((x / link).floor() as i32, (y / link).floor() as i32);
    for (k, &(x, y)) in xy.iter().enumerate() {
        cells.entry(key(x, y)).or_default().push(k);
    }
    let mut root: Vec<usize> = (0..xy.len()).collect();
    fn find(root: &mut [usize], mut k: usize) -> usize {
        while root[k] != k {
            root[k] = root[root[k]];
            k = root[k];
        }
        k
    }
    for (k, &(x, y)) in xy.iter().enumerate() {
        let (cx, cy) = key(x, y);
        for dx in -1..=1 {
            for dy in -1..=1 {
                for &j in cells.get(&(cx + dx, cy + dy)).into_iter().flatten() {
                    let (ox, oy) = xy[j];
                    if (ox - x).powi(2) + (oy - y).powi(2) <= link * link {
                        let (a, b) = (find(&mut root, k), find(&mut root, j));
                        root[a] = b;
                    }
                }
            }
        }
    }
    let mut boxes: HashMap<usize, Rect> = HashMap::new();
    for (k, &(x, y)) in xy.iter().enumerate() {
        let r = find(&mut root, k);
        let b = boxes.entry(r).or_insert([x, y, x, y]);
        *b = union(b, &[x, y, x, y]);
    }
    let mut parts: Vec<Rect> = boxes
        .into_values()
        .map(|b| [b[0] - PAD, b[1] - PAD, b[2] + PAD, b[3] + PAD])
        .collect();
    parts.sort_by(|a, b| a[1].total_cmp(&b[1]).then(a[0].total_cmp(&b[0])));
    merge_overlapping(parts)
}

fn merge_overlapping(mut parts: Vec<Rect>) -> Vec<Rect> {
    'again: loop {
        for a in 0..parts.len() {
            for b in a + 1..parts.len() {
                if overlaps(&parts[a], &parts[b]) {
                    let merged = union(&parts[a], &parts[b]);
                    parts.swap_remove(b);
                    parts[a] = merged;
                    continue 'again;
                }
            }
        }
        return parts;
    }
}

/// Merges the two nearest parts until there are at most `n`.
fn at_most(mut parts: Vec<Rect>, n: usize) -> Vec<Rect> {
    let centre = |r: &Rect| ((r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0);
    while parts.len() > n.max(1) {
        let mut best = (f64::INFINITY, 0, 1);
        for a in 0..parts.len() {
            for b in a + 1..parts.len() {
                let ((ax, ay), (bx, by)) = (centre(&parts[a]), centre(&parts[b]));
                let d = (ax - bx).hypot(ay - by);
                if d < best.0 {
                    best = (d, a, b);
                }
            }
        }
        let merged = union(&parts[best.1], &parts[best.2]);
        parts.swap_remove(best.2);
        parts[best.1] = merged;
        parts = merge_overlapping(parts);
    }
    parts
}

/// The zoom at which a cell (world units) fills the largest inset.
fn fit_scale(cell: &Rect) -> f64 {
    let (w, h) = ((cell[2] - cell[0]).max(1e-6), (cell[3] - cell[1]).max(1e-6));
    ((FULL_W - 2.0 * MARGIN) / w)
        .min((FULL_H - 2.0 * MARGIN - STRIP) / h)
        .min(MAX_ZOOM)
}

/// Plans the overview (`size` units, world = its own coordinates) and up to `max_insets`
/// insets so that every marker carries a number.
///
/// `first_page` is the room (units) left below the overview on its page: insets are numbered
/// in the order that fills the pages best.
pub fn plan(
    points: &[Point],
    names: &[Name],
    size: [f64; 2],
    max_insets: usize,
    first_page: f64,
) -> Layout {
    let overview = Panel::new([0.0, 0.0, size[0], size[1]], 1.0, None);
    let first = place(&overview, points, &all(points), names, &[]);
    if first.failed.is_empty() || max_insets == 0 {
        // The overview alone, as placed: most sheets.
        let mut unnumbered = first.failed.clone();
        unnumbered.sort_unstable();
        let mut panel = overview;
        set(&mut panel, first);
        return Layout {
            panels: vec![panel],
            unnumbered,
        };
    }
    let mut insets = split_until_numbered(&overview, points, names, &first.failed, max_insets);
    // Absorbing the overview's leftovers can give an inset more markers than it can number,
    // and the final placement (with the neighbours' markers as obstacles) can differ from the
    // plan: markers still without a number join their nearest inset, which is split again
    // while the budget allows. The best of the tries is kept.
    let mut best: Option<Layout> = None;
    for _ in 0..4 {
        absorb(&overview, points, names, &mut insets);
        split_worst(&mut insets, points, names, max_insets);
        let layout = finish(
            &overview,
            points,
            names,
            page_order(insets.clone(), first_page),
        );
        let lost = layout.unnumbered.clone();
        if best
            .as_ref()
            .is_none_or(|b| layout.unnumbered.len() < b.unnumbered.len())
        {
            best = Some(layout);
        }
        if lost.is_empty() || insets.is_empty() || insets.len() >= max_insets {
            break;
        }
        let mut grown = vec![false; insets.len()];
        for i in lost {
            let k = nearest(&insets, points[i].x, points[i].y);
            if !insets[k].members.contains(&i) {
                insets[k].members.push(i);
            }
            grown[k] = true;
        }
        for (leaf, grown) in insets.iter_mut().zip(grown) {
            if grown {
                let mut again = Leaf::new(std::mem::take(&mut leaf.members), points, names);
                // Counted as failing even if alone it numbers them: the split is what helps.
                again.failed = again.failed.max(1);
                *leaf = again;
            }
        }
    }
    best.expect("one try")
}

/// The inset whose cell is nearest to (x, y) (0 inside).
fn nearest(insets: &[Leaf], x: f64, y: f64) -> usize {
    let gap = |c: &Rect| {
        (c[0] - x)
            .max(x - c[2])
            .max(0.0)
            .hypot((c[1] - y).max(y - c[3]).max(0.0))
    };
    (0..insets.len())
        .min_by(|&a, &b| gap(&insets[a].cell).total_cmp(&gap(&insets[b].cell)))
        .expect("insets")
}

/// Places every marker on the overview or an inset, as planned.
fn finish(overview: &Panel, points: &[Point], names: &[Name], insets: Vec<Leaf>) -> Layout {
    // Each marker is numbered once: on the inset planned for it, else on the first inset whose
    // cell holds it, else on the overview. (Cells overlap: by cell alone, the first of two
    // neighbours would get the other's markers too, more than it was planned to number.)
    let mut owner: Vec<Option<usize>> = points
        .iter()
        .map(|q| insets.iter().position(|l| inside(&l.cell, q.x, q.y)))
        .collect();
    for (k, leaf) in insets.iter().enumerate() {
        for &i in &leaf.members {
            owner[i] = Some(k);
        }
    }
    let owned =
        |k: Option<usize>| -> Vec<usize> { (0..points.len()).filter(|&i| owner[i] == k).collect() };
    let cells: Vec<Rect> = insets.iter().map(|l| l.cell).collect();
    let frames: Vec<Rect> = cells.iter().map(|r| overview.rect(r)).collect();
    let mut panels = vec![overview.clone()];
    let placed = place(&panels[0], points, &owned(None), names, &frames);
    set(&mut panels[0], placed);
    let mut members: Vec<Vec<usize>> = (0..insets.len()).map(|k| owned(Some(k))).collect();
    let mut failed: Vec<Vec<usize>> = Vec::new();
    for (k, leaf) in insets.iter().enumerate() {
        let mut panel = Panel::new(leaf.cell, leaf.scale, Some(0));
        // Planned with exactly these markers, the inset is placed already.
        let placed = if members[k] == leaf.members {
            Placement::clone(&leaf.trial)
        } else {
            place(&panel, points, &members[k], names, &[])
        };
        failed.push(placed.failed.clone());
        set(&mut panel, placed);
        panels.push(panel);
    }
    rehome(&mut panels, &mut members, &failed, points, names);
    let mut numbered = vec![false; points.len()];
    for panel in &panels {
        for &(i, _) in &panel.numbers {
            numbered[i] = true;
        }
    }
    let unnumbered = (0..points.len()).filter(|&i| !numbered[i]).collect();
    Layout { panels, unnumbered }
}

fn all(points: &[Point]) -> Vec<usize> {
    (0..points.len()).collect()
}

fn set(panel: &mut Panel, placed: Placement) {
    panel.numbers = placed.numbers;
    panel.names = placed.names;
    panel.scale_bar = placed.scale_bar;
    panel.north_arrow = placed.north_arrow;
}

/// A planned inset: the markers it numbers, their cell and its zoom, and how many of them
/// would go without a number.
#[derive(Clone, Debug)]
struct Leaf {
    /// In the order of the points.
    members: Vec<usize>,
    cell: Rect,
    scale: f64,
    failed: usize,
    /// Its members' numbers as placed to count the failures: the final placement when the
    /// inset numbers exactly these markers (most do), so that it is not placed again.
    trial: Rc<Placement>,
}

impl Leaf {
    /// An inset for `members`: their bounding box with room around, at the zoom that makes it
    /// the largest inset.
    fn new(mut members: Vec<usize>, points: &[Point], names: &[Name]) -> Leaf {
        members.sort_unstable();
        let first = points[members[0]];
        let b = members
            .iter()
            .fold([first.x, first.y, first.x, first.y], |b, &i| {
                union(&b, &[points[i].x, points[i].y, points[i].x, points[i].y])
            });
        let scale = fit_scale(&b);
        let scale = fit_scale(&grown(&b, PAD / scale));
        let cell = grown(&b, PAD / scale);
        let panel = Panel::new(cell, scale, Some(0));
        let trial = place(&panel, points, &members, names, &[]);
        Leaf {
            members,
            cell,
            scale,
            failed: trial.failed.len(),
            trial: Rc::new(trial),
        }
    }

    /// The two halves of its markers, split at the median across the side that limits its
    /// zoom: each half then fills an inset at a larger zoom.
    fn split(mut self, points: &[Point]) -> Option<(Vec<usize>, Vec<usize>)> {
        if self.members.len() < 2 {
            return None;
        }
        let (w, h) = (self.cell[2] - self.cell[0], self.cell[3] - self.cell[1]);
        let across_x = w / (FULL_W - 2.0 * MARGIN) >= h / (FULL_H - 2.0 * MARGIN - STRIP);
        let key = |i: &usize| if across_x { points[*i].x } else { points[*i].y };
        self.members.sort_by(|a, b| key(a).total_cmp(&key(b)));
        // At the widest gap when it is a fifth of the extent (an outlying marker or a river
        // between two quarters: neither half then frames the empty space), else at the median.
        let extent = if across_x { w } else { h };
        let gaps = self
            .members
            .windows(2)
            .enumerate()
            .map(|(k, pair)| (k + 1, key(&pair[1]) - key(&pair[0])));
        let widest = gaps
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .filter(|g| g.1 > extent / 5.0);
        let at = widest.map_or(self.members.len() / 2, |g| g.0);
        let rest = self.members.split_off(at);
        Some((self.members, rest))
    }
}

fn grown(r: &Rect, by: f64) -> Rect {
    [r[0] - by, r[1] - by, r[2] + by, r[3] + by]
}

/// A page's height in units (271 mm of A4 between the margins), and what an inset takes
/// besides its map: its caption and the space below it.
pub const PAGE_H: f64 = 1150.0;
const INSET_EXTRA: f64 = 42.0;
const ROW_GAP: f64 = 17.0;

/// The insets in the order in which they fill pages best: insets narrow enough are paired side
/// by side (tallest first), then rows go onto pages first-fit by height, the first page holding
/// `first_page` units.
fn page_order(leaves: Vec<Leaf>, first_page: f64) -> Vec<Leaf> {
    let size = |l: &Leaf| {
        let p = Panel::new(l.cell, l.scale, Some(0));
        (p.width, p.height + INSET_EXTRA)
    };
    let mut items: Vec<(f64, f64, Leaf)> = leaves
        .into_iter()
        .map(|l| {
            let (w, h) = size(&l);
            (w, h, l)
        })
        .collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut rows: Vec<(f64, Vec<Leaf>)> = Vec::new();
    while !items.is_empty() {
        let (w, h, first) = items.remove(0);
        let mate = items
            .iter()
            .position(|(w2, _, _)| w + w2 + ROW_GAP <= FULL_W);
        let mut row = vec![first];
        let mut height = h;
        if let Some(k) = mate {
            let (_, h2, other) = items.remove(k);
            height = height.max(h2);
            row.push(other);
        }
        rows.push((height, row));
    }
    let mut pages: Vec<(f64, Vec<Leaf>)> = vec![(first_page.max(0.0), Vec::new())];
    for (height, row) in rows {
        let page = match pages.iter().position(|(room, _)| *room >= height) {
            Some(k) => k,
            None => {
                pages.push((PAGE_H, Vec::new()));
                pages.len() - 1
            }
        };
        pages[page].0 -= height;
        pages[page].1.extend(row);
    }
    pages.into_iter().flat_map(|(_, leaves)| leaves).collect()
}

/// A marker that got no number on its inset may get one on another inset whose cell also
/// holds it (cells of neighbouring insets overlap a little): that inset is placed again with
/// it, and kept when every number it had still has a place.
fn rehome(
    panels: &mut [Panel],
    members: &mut [Vec<usize>],
    failed: &[Vec<usize>],
    points: &[Point],
    names: &[Name],
) {
    for (k, lost) in failed.iter().enumerate() {
        // Each try places a whole inset again: worth it for a few stray markers only.
        if lost.len() > 8 {
            continue;
        }
        for &i in lost {
            for other in (0..members.len()).filter(|&o| o != k) {
                let panel = &panels[other + 1];
                if !panel.holds(&points[i]) {
                    continue;
                }
                let mut with = members[other].clone();
                with.push(i);
                let placed = place(panel, points, &with, names, &[]);
                if placed.failed.is_empty() {
                    members[other] = with;
                    set(&mut panels[other + 1], placed);
                    break;
                }
            }
        }
    }
}

/// Insets of one to three markers (outliers a split left alone) are dropped when the
/// overview can number their markers after all.
fn prune(overview: &Panel, points: &[Point], names: &[Name], insets: &mut Vec<Leaf>) {
    let mut k = 0;
    while k < insets.len() {
        if insets[k].members.len() > 3 {
            k += 1;
            continue;
        }
        let leaf = insets.remove(k);
        let failed = overview_failures(overview, points, names, insets);
        if leaf.members.iter().any(|i| failed.contains(i)) {
            insets.insert(k, leaf);
            k += 1;
        }
    }
}

/// The markers outside every inset's cell that the overview, with the insets' frames drawn on
/// it, cannot number.
fn overview_failures(
    overview: &Panel,
    points: &[Point],
    names: &[Name],
    insets: &[Leaf],
) -> Vec<usize> {
    let cells: Vec<Rect> = insets.iter().map(|l| l.cell).collect();
    let frames: Vec<Rect> = cells.iter().map(|r| overview.rect(r)).collect();
    let outside: Vec<usize> = (0..points.len())
        .filter(|&i| !cells.iter().any(|c| inside(c, points[i].x, points[i].y)))
        .collect();
    place(overview, points, &outside, names, &frames).failed
}

/// Markers left on the overview between the insets' frames may still find no place for their
/// number (the frames' captions and the markers just inside take room): each joins the inset
/// whose cell is nearest, twice at most.
fn absorb(overview: &Panel, points: &[Point], names: &[Name], insets: &mut [Leaf]) {
    for _ in 0..2 {
        if insets.is_empty() {
            return;
        }
        let failed = overview_failures(overview, points, names, insets);
        if failed.is_empty() {
            return;
        }
        let mut grown = vec![false; insets.len()];
        for i in failed {
            let k = nearest(insets, points[i].x, points[i].y);
            insets[k].members.push(i);
            grown[k] = true;
        }
        for (leaf, grown) in insets.iter_mut().zip(grown) {
            if grown {
                *leaf = Leaf::new(std::mem::take(&mut leaf.members), points, names);
            }
        }
    }
}

/// The insets for the markers that could not be numbered on the overview: one per dense part
/// (with every marker in it), then, while markers still go without a number and the budget
/// allows, the inset with the most of them split in two at its median (a k-d split, so dense
/// spots get small cells at a large zoom and sparse ones stay whole).
fn split_until_numbered(
    overview: &Panel,
    points: &[Point],
    names: &[Name],
    failed: &[usize],
    budget: usize,
) -> Vec<Leaf> {
    let xy: Vec<(f64, f64)> = failed.iter().map(|&i| (points[i].x, points[i].y)).collect();
    let parts = at_most(dense_parts(&xy, LINK), budget);
    let mut taken = vec![false; points.len()];
    let mut leaves: Vec<Leaf> = Vec::new();
    for part in parts {
        let members: Vec<usize> = (0..points.len())
            .filter(|&i| {
                !taken[i] && overview.holds(&points[i]) && inside(&part, points[i].x, points[i].y)
            })
            .collect();
        for &i in &members {
            taken[i] = true;
        }
        if !members.is_empty() {
            leaves.push(Leaf::new(members, points, names));
        }
    }
    split_worst(&mut leaves, points, names, budget);
    // A split may leave an outlier alone in an inset: such insets go when the overview can
    // number their markers, and their place in the budget goes to another split.
    prune(overview, points, names, &mut leaves);
    split_worst(&mut leaves, points, names, budget);
    leaves
}

/// Splits the inset with the most markers without a number, while there are such and the
/// budget allows.
fn split_worst(leaves: &mut Vec<Leaf>, points: &[Point], names: &[Name], budget: usize) {
    while leaves.len() < budget {
        let Some(worst) = (0..leaves.len())
            .filter(|&k| leaves[k].failed > 0 && leaves[k].members.len() > 1)
            .max_by_key(|&k| leaves[k].failed)
        else {
            break;
        };
        let leaf = leaves.swap_remove(worst);
        let Some((a, b)) = leaf.split(points) else {
            break;
        };
        leaves.push(Leaf::new(a, points, names));
        leaves.push(Leaf::new(b, points, names));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(x: f64, y: f64) -> Point {
        Point { x, y, digits: 3 }
    }

    /// Every number's box is on its panel and covers no marker and no other number.
    fn assert_legible(layout: &Layout, points: &[Point]) {
        for (p, panel) in layout.panels.iter().enumerate() {
            let markers: Vec<Rect> = points
                .iter()
                .filter(|q| panel.shows(q))
                .map(|q| {
                    let (x, y) = panel.xy(q.x, q.y);
                    marker_box(x, y)
                })
                .collect();
            for (k, (_, r)) in panel.numbers.iter().enumerate() {
                assert!(
                    r[0] >= 0.0 && r[1] >= 0.0 && r[2] <= panel.width && r[3] <= panel.height,
                    "panel {p}: {r:?} off the panel"
                );
                assert!(
                    !markers.iter().any(|m| overlaps(m, r)),
                    "panel {p}: {r:?} covers a marker"
                );
                assert!(
                    !panel.numbers[k + 1..].iter().any(|(_, o)| overlaps(o, r)),
                    "panel {p}: numbers overlap"
                );
            }
        }
    }

    #[test]
    fn a_sparse_map_needs_no_inset() {
        let points: Vec<Point> = (0..40)
            .map(|i| {
                pt(
                    30.0 + 18.0 * f64::from(i % 8) * 5.0,
                    40.0 + 90.0 * f64::from(i / 8),
                )
            })
            .collect();
        let layout = plan(&points, &[], [800.0, 500.0], 6, 0.0);
        assert_eq!(layout.panels.len(), 1);
        assert!(layout.unnumbered.is_empty());
        assert_eq!(layout.panels[0].numbers.len(), 40);
        assert_legible(&layout, &points);
    }

    #[test]
    fn a_dense_centre_gets_an_inset_that_numbers_every_marker() {
        // A town centre: 150 markers within 60×40 units, and 30 spread around it.
        let mut points = Vec::new();
        for i in 0..150 {
            let (a, b) = (f64::from(i % 15), f64::from(i / 15));
            points.push(pt(400.0 + a * 4.0 + (b * 1.7) % 3.0, 250.0 + b * 4.0));
        }
        for i in 0..30 {
            points.push(pt(
                40.0 + f64::from(i) * 24.0,
                60.0 + f64::from(i % 3) * 150.0,
            ));
        }
        let layout = plan(
            &points,
            &[Name {
                x: 420.0,
                y: 260.0,
                width: 66.0,
                spots: Vec::new(),
            }],
            [800.0, 500.0],
            6,
            0.0,
        );
        assert!(layout.unnumbered.is_empty(), "{:?}", layout.unnumbered);
        assert!(
            (2..=7).contains(&layout.panels.len()),
            "{}",
            layout.panels.len()
        );
        assert_legible(&layout, &points);
        // Each marker is numbered once; the spread ones on the overview.
        let mut count = vec![0; points.len()];
        for panel in &layout.panels {
            for &(i, _) in &panel.numbers {
                count[i] += 1;
            }
        }
        assert!(count.iter().all(|&c| c == 1), "{count:?}");
        assert!(layout.panels[0].numbers.iter().any(|&(i, _)| i >= 150));
        // The town's name stays on the overview, clear of the markers.
        let (_, name) = layout.panels[0].names[0];
        let (x, y) = (points[0].x, points[0].y);
        assert!(!overlaps(&name, &marker_box(x, y)));
        // Insets frame parts of the overview and do not overlap one another.
        for (a, pa) in layout.panels.iter().enumerate().skip(1) {
            assert!(pa.parent.is_some());
            for pb in layout.panels.iter().skip(a + 1) {
                if pa.parent == pb.parent {
                    assert!(!overlaps(&pa.cell, &pb.cell));
                }
            }
        }
    }

    #[test]
    fn the_budget_of_insets_is_kept_and_the_rest_reported() {
        // 2,000 markers on one spot cannot all be numbered with two insets.
        let points: Vec<Point> = (0..2000)
            .map(|i| {
                pt(
                    300.0 + f64::from(i % 40) * 0.5,
                    200.0 + f64::from(i / 40) * 0.5,
                )
            })
            .collect();
        let start = std::time::Instant::now();
        let layout = plan(&points, &[], [800.0, 500.0], 2, 0.0);
        assert!(layout.panels.len() <= 3);
        assert!(!layout.unnumbered.is_empty());
        assert_legible(&layout, &points);
        assert!(start.elapsed().as_secs_f64() < 5.0, "{:?}", start.elapsed());
    }

    #[test]
    fn cells_hold_what_was_put_until_it_is_taken_out() {
        let mut cells: Cells<usize> = Cells::new(64.0, 32.0);
        let r = [10.0, 10.0, 20.0, 12.0];
        let touched: Vec<usize> = cells.of(&r).collect();
        assert_eq!(touched, vec![0, 1]);
        for k in 0..3 {
            for &c in &touched {
                cells.push(c, k);
            }
        }
        cells.push(5, 9);
        cells.remove(1, |&k| k == 1);
        assert_eq!(cells.get(0).collect::<Vec<_>>(), vec![2, 1, 0]);
        assert_eq!(cells.get(1).collect::<Vec<_>>(), vec![2, 0]);
        assert_eq!((cells.len(0), cells.len(1)), (3, 2));
        assert_eq!(cells.get(5).collect::<Vec<_>>(), vec![9]);
        assert_eq!(cells.get(2).count(), 0);
    }

    #[test]
    fn a_marker_hemmed_in_gets_its_number_on_a_leader_line() {
        // One marker in a ring of sixteen that leaves no room beside it and no gap for a line.
        let (cx, cy) = (400.0, 300.0);
        let mut points = vec![pt(cx, cy)];
        for &(dx, dy) in &DIRECTIONS {
            points.push(pt(cx + 14.0 * dx, cy + 14.0 * dy));
        }
        let layout = plan(&points, &[], [800.0, 600.0], 0, 0.0);
        assert!(layout.unnumbered.is_empty(), "{:?}", layout.unnumbered);
        assert_legible(&layout, &points);
        let (_, r) = layout.panels[0]
            .numbers
            .iter()
            .find(|(i, _)| *i == 0)
            .expect("numbered");
        assert!(
            !candidates(cx, cy, 3).contains(r),
            "{r:?} is beside its marker, not set away"
        );
    }

    #[test]
    fn captions_stay_on_the_panel_and_apart() {
        // Above the frame, one digit wide.
        let one = caption_boxes(&[[100.0, 50.0, 200.0, 150.0]], 800.0, 500.0);
        assert_eq!(one, vec![[100.0, 33.0, 117.0, 50.0]]);
        // At the top edge: below the frame, moved in from the edge.
        let edge = caption_boxes(&[[790.0, 5.0, 800.0, 150.0]], 800.0, 500.0);
        assert_eq!(edge, vec![[783.0, 150.0, 800.0, 167.0]]);
        // Two frames with one top-left corner: the second caption goes elsewhere.
        let two = caption_boxes(
            &[[100.0, 50.0, 200.0, 150.0], [100.0, 50.0, 300.0, 100.0]],
            800.0,
            500.0,
        );
        assert!(!overlaps(&two[0], &two[1]), "{two:?}");
    }
}
