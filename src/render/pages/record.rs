//! A record's page: everything known about it, its map, what is near it, and JSON-LD.

use minijinja::{Value, context};
use rstar::RTree;
use rstar::primitives::GeomWithData;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{Page, dir_url};
use crate::registry::{Kind, Record, RecordId};
use crate::text::Lang;
use crate::views::{self, Labels, record_view};

use super::super::{Renderer, jsonld, svg, v};

/// Published records with a location, by their point on [`plane`].
pub(in crate::render) type NearbyIndex = RTree<GeomWithData<[f64; 2], RecordId>>;

/// Records a record page lists as near it, and how far they may be.
const NEARBY: usize = 5;
const NEARBY_KM: f64 = 3.0;

/// What the "near here" list shows of a record, not a whole list item (hours summaries,
/// facets, badges): every record page has up to five of these in each language.
#[derive(Serialize)]
struct Nearby<'a> {
    name: views::Text,
    href: String,
    kind: Kind,
    kind_label: &'a str,
    type_label: &'a str,
    km: String,
}

impl Renderer {
    pub(in crate::render) fn render_record(
        &self,
        page: &Page,
        labels: &Labels,
        i: RecordId,
    ) -> Result<Vec<u8>, Diagnostic> {
        let view = record_view(&self.model, labels, self.items(labels).get(i), i);
        let record = self.model.record(i);
        let map = self.record_map_svg(labels, i, &page.root());
        let url = format!("{}{}", self.model.site.config.base_url, dir_url(&page.path));
        let jsonld = jsonld::script_safe(&jsonld::record(&self.model, i, page.lang, &url));
        // The compact schedule for "open now" (open-now.js), as data, not script.
        let schedule = self
            .model
            .hours_of(record)
            .map(|h| serde_json::to_string(&h.schedule).expect("JSON"));
        let ctx = context! {
            schedule => v(schedule),
            record => v(&view),
            nearby => v(self.nearby(labels, i)),
            map_svg => Value::from_safe_string(map),
            source_url => v(self.source_url(record)),
            jsonld => Value::from_safe_string(format!(
                "<script type=\"application/ld+json\">{jsonld}</script>"
            )),
        };
        self.render_template(
            "record.html",
            self.page_context(page, &view.item.name.text, ctx),
        )
    }

    /// Where a record is written in the site's repository (for "propose a correction" links).
    fn source_url(&self, record: &Record) -> Option<String> {
        let config = &self.model.site.config;
        let repo = config.repository.as_ref()?;
        let path = self
            .model
            .site
            .files
            .get(record.span.file.0 as usize)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        Some(format!("{repo}/blob/{}/{path}", config.branch))
    }

    /// Up to [`NEARBY`] published records within [`NEARBY_KM`] of record `i`, nearest first.
    fn nearby<'a>(&'a self, labels: &'a Labels, i: RecordId) -> Vec<Nearby<'a>> {
        let Some(here) = self.model.record(i).location.as_ref() else {
            return Vec::new();
        };
        self.nearby_index()
            .nearest_neighbor_iter(&plane(here.lat, here.lon))
            .filter(|p| p.data != i)
            .map(|p| {
                let l = self.model.record(p.data).location.as_ref();
                let l = l.expect("located");
                (p.data, km_between(here.lat, here.lon, l.lat, l.lon))
            })
            .take_while(|&(_, km)| km <= NEARBY_KM)
            .take(NEARBY)
            .map(|(j, km)| {
                let r = self.model.record(j);
                Nearby {
                    name: views::record_name(labels.lang, r),
                    href: format!("{}/{}/", r.kind, r.id.value),
                    kind: r.kind,
                    kind_label: labels.kind_text(r.kind),
                    type_label: labels.record_type_text(r.kind, r.record_type.as_str()),
                    km: format_km(km),
                }
            })
            .collect()
    }

    fn nearby_index(&self) -> &NearbyIndex {
        self.nearby_index.get_or_init(|| {
            let points = self
                .model
                .by_kind
                .iter()
                .flatten()
                .filter_map(|&j| {
                    let l = self.model.record(j).location.as_ref()?;
                    Some(GeomWithData::new(plane(l.lat, l.lon), j))
                })
                .collect();
            RTree::bulk_load(points)
        })
    }

    /// A small map of a record's municipality with the record's point.
    fn record_map_svg(&self, labels: &Labels, i: RecordId, root: &str) -> String {
        let r = self.model.record(i);
        let (Some(loc), Some(p)) = (&r.location, self.model.site.placements[i]) else {
            return String::new();
        };
        let m = &self.model.site.geo.municipalities[p.municipality];
        let Some(background) = self.municipality_background(p.municipality) else {
            return String::new();
        };
        let name = match labels.lang {
            Lang::Ja => &m.name,
            Lang::En => m.name_en.as_ref().unwrap_or(&m.name),
        };
        let record_name = match (labels.lang, &r.name_en) {
            (Lang::En, Some(en)) => en.value.as_str(),
            _ => r.name.value.as_str(),
        };
        let title = labels.ui_text("map_of").replace("{name}", record_name);
        // The outline is a shared image file: every record page of the municipality uses it.
        let href = format!("{root}assets/maps/{}.svg", m.code);
        svg::map(&svg::MapSpec {
            id: "record-map",
            title: &title,
            description: &format!("{name}: {}, {}", loc.lat, loc.lon),
            background,
            background_href: Some(&href),
            labels: vec![Some(name.as_str())],
            markers: vec![svg::Marker {
                lon: loc.lon,
                lat: loc.lat,
                kind: r.kind,
                title: record_name,
                number: None,
            }],
            scale_bar: true,
            north_arrow: false,
        })
    }
}

/// A point on a plane in km where distances near Japan are close to true ones (for the nearest
/// neighbour search; the distance shown is [`km_between`]).
fn plane(lat: f64, lon: f64) -> [f64; 2] {
    [lon * 111.32 * 36f64.to_radians().cos(), lat * 110.57]
}

/// Great-circle distance in km.
fn km_between(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

/// "0.4 km", "12 km".
fn format_km(km: f64) -> String {
    if km < 10.0 {
        format!("{km:.1} km")
    } else {
        format!("{km:.0} km")
    }
}
