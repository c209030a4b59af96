//! An area's page: its map, a section per kind (the first records of each, public health
//! bodies first when there are more), the filters over the whole area and its print sheets.

use std::borrow::Cow;

use minijinja::{Value, context};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{AREA_PAGE_LIST_LIMIT, AreaId, AreaInfo, Page};
use crate::registry::{Kind, RecordId};
use crate::text::Lang;
use crate::views::{self, Labels, ListItem, area_link};

use super::super::{Renderer, svg, v};

#[derive(Serialize)]
struct Section<'a> {
    kind: Kind,
    label: &'a str,
    glyph: String,
    items: Vec<&'a ListItem>,
    total: usize,
    more_href: Option<String>,
}

impl Renderer {
    pub(in crate::render) fn render_area(
        &self,
        page: &Page,
        labels: &Labels,
        a: AreaId,
    ) -> Result<Vec<u8>, Diagnostic> {
        let area = &self.model.areas[a];
        let link = area_link(labels, area);
        let counts: Vec<(Kind, usize)> = Kind::ALL
            .iter()
            .map(|&k| (k, area.records(k).len()))
            .collect();
        let title = link.name.text.clone();
        let ctx = context! {
            area => v(link),
            summary => v(self.area_summaries(labels).get(a.index())),
            sections => v(self.sections(labels, area)),
            legend => v(self.legend(labels, &counts)),
            map_svg => Value::from_safe_string(self.area_map_svg(labels, a)),
            sheets => v(self.sheet_links(labels, a)),
            filters => v(self.area_filters(labels, area)),
            geojson => v(format!("data/areas/{}.geojson", area.code)),
            boundary => v(format!("data/boundaries/{}.geojson", area.code)),
        };
        self.render_template("area.html", self.page_context(page, &title, ctx))
    }

    /// A section per kind with the records the page prints of it.
    fn sections<'a>(&'a self, labels: &'a Labels, area: &AreaInfo) -> Vec<Section<'a>> {
        let items = self.items(labels);
        Kind::ALL
            .iter()
            .map(|&k| {
                let list = &*views::shown_order(&self.model, labels.lang, area.records(k));
                let more = list.len() > AREA_PAGE_LIST_LIMIT;
                let preview = if more {
                    Cow::Owned(views::preview_order(&self.model, list))
                } else {
                    Cow::Borrowed(list)
                };
                Section {
                    kind: k,
                    label: labels.kind_text(k),
                    glyph: svg::legend_glyph(k),
                    items: preview
                        .iter()
                        .take(AREA_PAGE_LIST_LIMIT)
                        .map(|&i| items.get(i))
                        .collect(),
                    total: list.len(),
                    more_href: more.then(|| format!("areas/{}/{k}/", area.code)),
                }
            })
            .collect()
    }

    /// The filters over every record of the area (its records file).
    fn area_filters<'a>(&'a self, labels: &'a Labels, area: &AreaInfo) -> views::FilterView<'a> {
        let scope: Vec<RecordId> = Kind::ALL
            .iter()
            .flat_map(|&k| area.records(k).iter().copied())
            .collect();
        let sources = vec![format!("areas/{}/records.json", area.code)];
        views::filter_view(labels, self.items(labels), &scope, None, sources)
    }

    /// The static map of an area with every published record that has a location.
    fn area_map_svg(&self, labels: &Labels, a: AreaId) -> String {
        let area = &self.model.areas[a];
        let geo = &self.model.site.geo;
        let Some(background) = self.area_background(a) else {
            return String::new();
        };
        let name = area_link(labels, area).name.text;
        let mut markers = Vec::new();
        let mut counts = Vec::new();
        for k in Kind::ALL {
            let list = area.records(k);
            counts.push(format!(
                "{} {}",
                labels.kind_text(k),
                labels.records(list.len())
            ));
            markers.extend(list.iter().filter_map(|&i| self.marker(labels.lang, k, i)));
        }
        let title = labels.ui_text("map_of").replace("{name}", &name);
        let (comma, stop) = match labels.lang {
            Lang::Ja => ("、", "。"),
            Lang::En => (", ", ". "),
        };
        let description = format!("{}{stop}{}", counts.join(comma), labels.ui_text("map_desc"));
        let municipality = |m: usize| {
            let m = &geo.municipalities[m];
            match labels.lang {
                Lang::Ja => Some(m.name.as_str()),
                Lang::En => Some(m.name_en.as_ref().unwrap_or(&m.name).as_str()),
            }
        };
        svg::map(&svg::MapSpec {
            id: "area-map",
            title: &title,
            description: &description,
            background,
            background_href: None,
            labels: geo.areas[area.geo]
                .municipalities
                .iter()
                .map(|&m| municipality(m))
                .collect(),
            markers,
            scale_bar: true,
            north_arrow: false,
        })
    }

    /// The marker of record `i` (of `kind`) on an area's map, if it has a location.
    fn marker(&self, lang: Lang, kind: Kind, i: RecordId) -> Option<svg::Marker<'_>> {
        let r = self.model.record(i);
        let loc = r.location.as_ref()?;
        Some(svg::Marker {
            lon: loc.lon,
            lat: loc.lat,
            kind,
            title: match (lang, &r.name_en) {
                (Lang::En, Some(en)) => en.value.as_str(),
                _ => r.name.value.as_str(),
            },
            number: None,
        })
    }
}
