//! QR codes for the print sheets. The `qrcode` crate encodes the URL; the mask is chosen here,
//! by the four penalty rules of ISO/IEC 18004 (§7.8.3), because the crate's own choice took a
//! third of a print sheet's time. Any mask reads back; the rules pick the one that reads best.

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::Color;
use qrcode::{EcLevel, bits, ec};

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The modules of `data`'s QR code (error correction M), row by row, dark as `true`, and the
/// code's width in modules.
pub fn modules(data: &str) -> Option<(usize, Vec<bool>)> {
    let bits = bits::encode_auto(data.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let (codewords, ecc) = ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ecc);
    let width = usize::try_from(version.width()).ok()?;
    MASKS
        .iter()
        .map(|&mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            let dark: Vec<bool> = masked
                .into_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            (penalty(&dark, width), dark)
        })
        .min_by_key(|(score, _)| *score)
        .map(|(_, dark)| (width, dark))
}

/// The penalty score of a masked symbol: runs of five or more, 2×2 blocks, finder-like
/// patterns, and the balance of dark and light.
fn penalty(m: &[bool], n: usize) -> u32 {
    let mut score = 0;
    for line in 0..n {
        let row: Vec<bool> = (0..n).map(|i| m[line * n + i]).collect();
        let column: Vec<bool> = (0..n).map(|i| m[i * n + line]).collect();
        score += runs(&row) + runs(&column) + finder_like(&row) + finder_like(&column);
    }
    for y in 0..n - 1 {
        for x in 0..n - 1 {
            let c = m[y * n + x];
            if m[y * n + x + 1] == c && m[(y + 1) * n + x] == c && m[(y + 1) * n + x + 1] == c {
                score += 3;
            }
        }
    }
    let dark = m.iter().filter(|&&d| d).count();
    let percent = (dark * 100 / (n * n)) as i64;
    score + 10 * ((percent - 50).unsigned_abs() / 5) as u32
}

/// Rule 1: 3 for each run of five modules of one colour, 1 more for each further module.
fn runs(line: &[bool]) -> u32 {
    let mut score = 0;
    let mut run = 1;
    for i in 1..=line.len() {
        if i < line.len() && line[i] == line[i - 1] {
            run += 1;
        } else {
            if run >= 5 {
                score += 3 + (run - 5);
            }
            run = 1;
        }
    }
    score
}

/// Rule 3: 40 for each dark-light-dark-dark-dark-light-dark with four light modules (or the
/// quiet zone) on either side.
fn finder_like(line: &[bool]) -> u32 {
    const CORE: [bool; 7] = [true, false, true, true, true, false, true];
    let light = |i: isize| i < 0 || i >= line.len() as isize || !line[i as usize];
    let mut score = 0;
    for start in 0..line.len().saturating_sub(6) {
        if line[start..start + 7] != CORE {
            continue;
        }
        let s = start as isize;
        let before = (s - 4..s).all(light);
        let after = (s + 7..s + 11).all(light);
        if before || after {
            score += 40;
        }
    }
    score
}

/// `data`'s QR code as an accessible SVG image (4 modules of quiet zone), each row's dark runs
/// one path segment, so the image stays small.
pub fn svg(data: &str, label: &str) -> String {
    let Some((n, dark)) = modules(data) else {
        return String::new();
    };
    let mut d = String::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if !dark[y * n + x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < n && dark[y * n + x] {
                x += 1;
            }
            d.push_str(&format!(
                "M{} {}h{}v1h-{}z",
                start + 4,
                y + 4,
                x - start,
                x - start
            ));
        }
    }
    let size = n + 8;
    format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"{label}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_symbol_has_its_finder_patterns_and_version() {
        let url = "https://kenkomap.example.jp/areas/3706/";
        let (n, dark) = modules(url).unwrap();
        assert_eq!(n, 29, "39 bytes at level M: version 3");
        // The top-left finder: a dark 7×7 ring, a light ring, a dark 3×3 core.
        for i in 0..7 {
            assert!(dark[i] && dark[6 * n + i] && dark[i * n] && dark[i * n + 6]);
        }
        assert!(!dark[n + 1] && dark[2 * n + 2] && dark[3 * n + 3]);
        assert_eq!(modules(url).unwrap().1, dark, "the same every time");
    }

    #[test]
    fn penalties_follow_the_rules() {
        assert_eq!(runs(&[true; 7]), 5, "3 for five, 1 for each more");
        assert_eq!(runs(&[true, false, true, false, true]), 0);
        let finder = [
            false, false, false, false, true, false, true, true, true, false, true,
        ];
        assert_eq!(finder_like(&finder), 40);
        assert_eq!(
            finder_like(&finder[4..]),
            40,
            "the quiet zone counts as light"
        );
        // All dark: runs, blocks and balance; a checkerboard has none of them.
        let all = vec![true; 21 * 21];
        let checker: Vec<bool> = (0..21 * 21).map(|i| (i / 21 + i % 21) % 2 == 0).collect();
        assert!(penalty(&all, 21) > 1000);
        assert_eq!(penalty(&checker, 21), 0);
    }

    #[test]
    fn the_image_is_labelled_and_escaped_by_the_caller() {
        let svg = svg("https://example.jp/", "QR: https://example.jp/");
        assert!(
            svg.starts_with(
                "<svg class=\"qr\" role=\"img\" aria-label=\"QR: https://example.jp/\""
            )
        );
        assert!(
            svg.contains("viewBox=\"0 0 33 33\""),
            "version 1 (21 modules) and the quiet zone"
        );
    }
}
