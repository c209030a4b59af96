//! Semantic rules across records: duplicate ids, the same place twice, catchments.

use std::collections::HashMap;

use geo::{Distance, Haversine, Point};

use crate::diagnostics::{Code, Diagnostic, Span};
use crate::registry::{AreasFile, Kind, Record, Sp};

/// Two records with the same folded name this close (in metres) are probably one place.
const SAME_PLACE_METRES: f64 = 50.0;

/// Ids are unique across the whole site: they become URLs.
pub fn duplicate_ids(records: &[Record]) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Record> = HashMap::with_capacity(records.len());
    let mut diags = Vec::new();
    for r in records {
        match first.get(r.id.value.as_str()) {
            Some(earlier) => diags.push(
                Diagnostic::new(Code::DuplicateId, r.id.span, format!("id `{}` is used twice", r.id.value))
                    .label("second use")
                    .note(earlier.id.span, "first used here")
                    .help("ids are unique across the site; add a suffix such as `-2` or use the source's own number"),
            ),
            None => {
                first.insert(&r.id.value, r);
            }
        }
    }
    diags
}

/// Items whose code was written before: each later one with the span of the first.
fn repeated<'a, T: 'a>(
    items: impl Iterator<Item = &'a T>,
    code: impl Fn(&'a T) -> &'a Sp<String>,
) -> impl Iterator<Item = (&'a T, Span)> {
    let mut first: HashMap<&str, Span> = HashMap::new();
    items.filter_map(move |item| {
        let c = code(item);
        match first.get(c.as_str()) {
            Some(span) => Some((item, *span)),
            None => {
                first.insert(&c.value, c.span);
                None
            }
        }
    })
}

/// Area codes are unique across the site: they are the URLs `areas/<code>/`, and a second
/// area of one code would silently replace the first one's pages.
pub fn duplicate_area_codes(areas_files: &[AreasFile]) -> Vec<Diagnostic> {
    let areas = areas_files.iter().flat_map(|f| &f.areas);
    repeated(areas, |a| &a.code)
        .map(|(area, first)| {
            Diagnostic::new(
                Code::AreaTwice,
                area.code.span,
                format!("area code {} ({}) is used twice", area.code.value, area.name),
            )
            .label("second use")
            .note(first, "first used here")
            .help("area codes are the areas' URLs and must be unique across the site; use the 二次医療圏 code")
        })
        .collect()
}

/// One areas file per prefecture: a second one is usually a copy, and the home page would list
/// the prefecture twice.
pub fn duplicate_prefectures(areas_files: &[AreasFile]) -> Vec<Diagnostic> {
    repeated(areas_files.iter(), |f| &f.prefecture.code)
        .map(|(file, first)| {
            let code = &file.prefecture.code;
            Diagnostic::new(
                Code::PrefectureTwice,
                code.span,
                format!("prefecture {} has a second areas file", code.value),
            )
            .label("second areas file")
            .note(first, "first areas file of this prefecture")
            .help("list all of a prefecture's 二次医療圏 in one areas file")
        })
        .collect()
}

/// The same name (after folding) of the same kind and type at nearly the same place.
///
/// Chains repeat one name thousands of times (コンビニ, 薬局), so records are bucketed by name
/// and then by a grid of cells about `SAME_PLACE_METRES` wide: each record is compared only
/// with the earlier ones in its own and the neighbouring cells.
pub fn duplicate_places(records: &[Record]) -> Vec<Diagnostic> {
    // Cell size in degrees: 50 m of latitude; longitude cells are narrower in metres, which
    // only means a few more neighbours are compared.
    const CELL: f64 = SAME_PLACE_METRES / 111_320.0;
    type Group<'r> = (
        HashMap<(i64, i64), Vec<&'r Record>>,
        HashMap<String, &'r Record>,
    );
    let mut groups: HashMap<(String, Kind, &str), Group> = HashMap::new();
    let mut diags = Vec::new();
    for r in records {
        let key = (
            crate::fold::fold(&r.name.value),
            r.kind,
            r.record_type.as_str(),
        );
        let (cells, addresses) = groups.entry(key).or_default();
        let earlier = match &r.location {
            Some(loc) => {
                let cell = (
                    (loc.lat / CELL).floor() as i64,
                    (loc.lon / CELL).floor() as i64,
                );
                let found = (-1..=1)
                    .flat_map(|dy| (-1..=1).map(move |dx| (cell.0 + dy, cell.1 + dx)))
                    .filter_map(|c| cells.get(&c))
                    .flatten()
                    .find(|e| same_place(e, r))
                    .copied();
                cells.entry(cell).or_default().push(r);
                found
            }
            None => match &r.address {
                Some(a) => {
                    let folded = crate::fold::fold(a);
                    let found = addresses.get(&folded).copied();
                    addresses.entry(folded).or_insert(r);
                    found
                }
                None => None,
            },
        };
        if let Some(earlier) = earlier {
            diags.push(
                Diagnostic::new(
                    Code::DuplicatePlace,
                    r.span,
                    format!("`{}` and `{}` have the same name at the same place", earlier.id.value, r.id.value),
                )
                .note(earlier.span, "the other one")
                .help("if they are one place, keep one record; if not, make the names tell them apart"),
            );
        }
    }
    diags
}

fn same_place(a: &Record, b: &Record) -> bool {
    match (&a.location, &b.location) {
        (Some(la), Some(lb)) => {
            Haversine.distance(Point::new(la.lon, la.lat), Point::new(lb.lon, lb.lat))
                <= SAME_PLACE_METRES
        }
        _ => false,
    }
}

/// Content page slugs may not take a URL the site already uses (the model makes these pages).
pub const RESERVED_SLUGS: &[&str] = &[
    "areas",
    "facilities",
    "parks",
    "restaurants",
    "consultation",
    "search",
    "data",
    "en",
    "assets",
    "404",
];

/// Content pages whose URL another page already has: a generated page (`search.md`,
/// `areas.md`, a kind's name) or another content file of the same language (`about.md` and
/// `about.ja.md`). Without this one page silently replaced the other, whichever came last.
pub fn content_collisions(pages: &[crate::validate::decode::ContentPage]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut first: HashMap<(&str, crate::text::Lang), crate::diagnostics::FileId> = HashMap::new();
    for page in pages {
        let at = crate::diagnostics::file_span(page.file);
        if RESERVED_SLUGS.contains(&page.slug.as_str()) {
            out.push(
                Diagnostic::new(
                    Code::ContentUrlTaken,
                    at,
                    format!(
                        "content page `{}` would replace the generated page {}/",
                        page.slug, page.slug
                    ),
                )
                .help(format!(
                    "rename the file, e.g. content/{}-info.md",
                    page.slug
                )),
            );
            continue;
        }
        match first.get(&(page.slug.as_str(), page.lang)) {
            Some(&other) => out.push(
                Diagnostic::new(
                    Code::ContentUrlTaken,
                    at,
                    format!(
                        "content page `{}` ({}) is written twice",
                        page.slug,
                        page.lang.as_str()
                    ),
                )
                .note(crate::diagnostics::file_span(other), "first written here")
                .help(
                    "keep one of the two files (`<slug>.md` is Japanese, `<slug>.en.md` English)",
                ),
            ),
            None => {
                first.insert((page.slug.as_str(), page.lang), page.file);
            }
        }
    }
    out
}
