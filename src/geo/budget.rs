//! Budgets that keep hostile boundaries cheap.
//!
//! A boundaries file arrives by pull request. Before anything costly is done with it (the
//! boolean union that dissolves an area, point-in-polygon for every record), its size is
//! bounded and its rings are checked for crossings: a self-crossing ring of 100,000 vertices
//! made the union take a minute and gigabytes. The check indexes the segments in an R-tree
//! and tests the pairs whose boxes meet, with a budget on the pairs, so no input makes it
//! quadratic: real boundaries meet only their neighbours.

use geo::line_intersection::{LineIntersection, line_intersection};
use geo::{Coord, Line, MultiPolygon};
use rstar::primitives::{GeomWithData, Line as RLine};
use rstar::{RTree, RTreeObject};

/// The most vertices one ring may have (the national boundaries of the demo's source, 1:10
/// simplified, have at most 1,002; unsimplified N03 rings reach some tens of thousands).
pub const MAX_RING_VERTICES: usize = 200_000;
/// The most vertices one boundaries file may have.
pub const MAX_FILE_VERTICES: usize = 2_000_000;
/// Pairs of segments tested per segment, on average, before a geometry is too complex.
const PAIRS_PER_SEGMENT: usize = 64;

/// Where a segment comes from: polygon (within the checked set), ring within it, index in
/// the ring, and the ring's number of segments.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SegmentOf {
    polygon: u32,
    ring: u32,
    index: u32,
    ring_len: u32,
}

type Segment = GeomWithData<RLine<[f64; 2]>, SegmentOf>;

/// Why a set of polygons cannot be used.
#[derive(Debug, PartialEq)]
pub enum Problem {
    /// A polygon's rings cross each other or themselves (at this point, lon/lat); `polygon`
    /// is the index in the checked list.
    Crossing { polygon: usize, at: Coord<f64> },
    /// Too many segments overlap for the check to finish in time.
    TooComplex,
}

/// Checks that no polygon of `polygons` crosses itself (rings crossing themselves or each
/// other). Polygons may cross each other: simplified neighbours' borders often do, and the
/// union handles it; the pair budget bounds how many such crossings there can be.
pub fn check_polygons(polygons: &[&MultiPolygon<f64>]) -> Result<(), Problem> {
    let mut segments = Vec::new();
    for (p, mp) in polygons.iter().enumerate() {
        for poly in &mp.0 {
            let rings = std::iter::once(poly.exterior()).chain(poly.interiors());
            for (r, ring) in rings.enumerate() {
                let lines: Vec<Line<f64>> = ring.lines().filter(|l| l.start != l.end).collect();
                let ring_len = lines.len() as u32;
                for (i, l) in lines.into_iter().enumerate() {
                    segments.push(Segment::new(
                        RLine::new([l.start.x, l.start.y], [l.end.x, l.end.y]),
                        SegmentOf {
                            polygon: p as u32,
                            ring: r as u32,
                            index: i as u32,
                            ring_len,
                        },
                    ));
                }
            }
        }
    }
    let budget = PAIRS_PER_SEGMENT * segments.len() + 100_000;
    let tree = RTree::bulk_load(segments);
    let mut pairs = 0usize;
    for a in tree.iter() {
        for b in tree.locate_in_envelope_intersecting(&a.envelope()) {
            pairs += 1;
            if pairs > budget {
                return Err(Problem::TooComplex);
            }
            if a.data.polygon != b.data.polygon || !ordered(a, b) || adjacent(a.data, b.data) {
                continue;
            }
            if let Some(at) = crossing(a, b) {
                return Err(Problem::Crossing {
                    polygon: a.data.polygon as usize,
                    at,
                });
            }
        }
    }
    Ok(())
}

/// Each unordered pair is tested once.
fn ordered(a: &Segment, b: &Segment) -> bool {
    (a.data.ring, a.data.index) < (b.data.ring, b.data.index)
}

/// Neighbours in one ring share a vertex by construction.
fn adjacent(a: SegmentOf, b: SegmentOf) -> bool {
    if a.ring != b.ring {
        return false;
    }
    let n = a.ring_len;
    let next = |i: u32| if i + 1 == n { 0 } else { i + 1 };
    next(a.index) == b.index || next(b.index) == a.index
}

/// Where two segments of one polygon cross or run along each other. Touching at a vertex is
/// allowed (real rings touch themselves at pinch points).
fn crossing(a: &Segment, b: &Segment) -> Option<Coord<f64>> {
    let line = |s: &Segment| {
        let (from, to) = (s.geom().from, s.geom().to);
        Line::new(
            Coord {
                x: from[0],
                y: from[1],
            },
            Coord { x: to[0], y: to[1] },
        )
    };
    match line_intersection(line(a), line(b))? {
        LineIntersection::SinglePoint {
            intersection,
            is_proper: true,
        } => Some(intersection),
        LineIntersection::Collinear { intersection } if intersection.start != intersection.end => {
            Some(intersection.start)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, polygon};

    fn square(x: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![
            polygon![(x: x, y: 0.), (x: x + 1., y: 0.), (x: x + 1., y: 1.), (x: x, y: 1.)],
        ])
    }

    #[test]
    fn valid_neighbours_pass() {
        assert_eq!(
            check_polygons(&[&square(0.), &square(1.), &square(5.)]),
            Ok(())
        );
    }

    #[test]
    fn a_bow_tie_crosses_itself() {
        let bow = MultiPolygon::new(vec![
            polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 1.)],
        ]);
        let got = check_polygons(&[&square(5.), &bow]);
        assert!(
            matches!(got, Err(Problem::Crossing { polygon: 1, at }) if (at.x - 0.5).abs() < 1e-9),
            "{got:?}"
        );
    }

    #[test]
    fn a_hole_crossing_its_exterior_is_refused() {
        let exterior = LineString::from(vec![(0., 0.), (4., 0.), (4., 4.), (0., 4.), (0., 0.)]);
        let hole = LineString::from(vec![(1., 1.), (5., 1.), (5., 2.), (1., 2.), (1., 1.)]);
        let mp = MultiPolygon::new(vec![Polygon::new(exterior, vec![hole])]);
        assert!(matches!(
            check_polygons(&[&mp]),
            Err(Problem::Crossing { .. })
        ));
    }

    /// The reported attack: one ring of 100,000 vertices zig-zagging across itself. It is
    /// refused (crossing or too complex), and quickly: the test's own time bounds it.
    #[test]
    fn a_huge_self_crossing_ring_is_refused_without_quadratic_work() {
        let n = 100_000;
        let coords: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let t = i as f64 / n as f64 * std::f64::consts::TAU * 997.0;
                (
                    t.cos() * (1.0 + (i % 7) as f64),
                    t.sin() * (1.0 + (i % 5) as f64),
                )
            })
            .collect();
        let mp = MultiPolygon::new(vec![Polygon::new(LineString::from(coords), vec![])]);
        assert!(check_polygons(&[&mp]).is_err());
    }
}
