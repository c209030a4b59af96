//! The home page (the areas' map and summaries), the areas index and the search page: the
//! pages that show every area.

use minijinja::{Value, context};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{AreaId, Page};
use crate::registry::Kind;
use crate::text::Lang;
use crate::views::{self, Labels, area_link};

use super::super::{Renderer, svg, v};

/// An area with its municipalities and how many records of each kind it has.
#[derive(Serialize)]
pub struct AreaSummary {
    link: views::AreaLink,
    municipalities: Vec<views::Text>,
    counts: Vec<(Kind, usize)>,
    total: usize,
}

impl Renderer {
    pub(in crate::render) fn render_home(
        &self,
        page: &Page,
        labels: &Labels,
    ) -> Result<Vec<u8>, Diagnostic> {
        let map = self.areas_map(labels, page.lang.prefix());
        let ctx = context! {
            areas => v(self.area_summaries(labels)),
            map_svg => Value::from_safe_string(map),
        };
        let title = labels.ui_text("home");
        self.render_template("home.html", self.page_context(page, title, ctx))
    }

    pub(in crate::render) fn render_areas(
        &self,
        page: &Page,
        labels: &Labels,
    ) -> Result<Vec<u8>, Diagnostic> {
        let ctx = context! { areas => v(self.area_summaries(labels)) };
        let title = labels.ui_text("areas");
        self.render_template("areas.html", self.page_context(page, title, ctx))
    }

    pub(in crate::render) fn render_search(
        &self,
        page: &Page,
        labels: &Labels,
    ) -> Result<Vec<u8>, Diagnostic> {
        let ctx = context! { areas => v(self.area_summaries(labels)) };
        let title = labels.ui_text("search");
        self.render_template("search.html", self.page_context(page, title, ctx))
    }

    /// Every area's summary in the language of `labels` (made once per language).
    pub(in crate::render) fn area_summaries(&self, labels: &Labels) -> &[AreaSummary] {
        self.area_summaries[labels.lang as usize].get_or_init(|| {
            self.model
                .area_ids()
                .map(|a| self.area_summary(labels, a))
                .collect()
        })
    }

    fn area_summary(&self, labels: &Labels, a: AreaId) -> AreaSummary {
        let area = &self.model.areas[a];
        let geo = &self.model.site.geo;
        let municipality = |m: usize| {
            let m = &geo.municipalities[m];
            views::Text {
                text: match labels.lang {
                    Lang::En => m.name_en.clone().unwrap_or_else(|| m.name.clone()),
                    Lang::Ja => m.name.clone(),
                },
                lang: (labels.lang == Lang::En && m.name_en.is_none()).then_some("ja"),
            }
        };
        AreaSummary {
            link: area_link(labels, area),
            municipalities: geo.areas[area.geo]
                .municipalities
                .iter()
                .map(|&m| municipality(m))
                .collect(),
            counts: Kind::ALL
                .iter()
                .map(|&k| (k, area.records(k).len()))
                .collect(),
            total: area.total(),
        }
    }

    /// The home page's map: every area, each a link to its page.
    fn areas_map(&self, labels: &Labels, lang_prefix: &str) -> String {
        let geo = &self.model.site.geo;
        let all: Vec<usize> = (0..geo.municipalities.len()).collect();
        let Some(bounds) = geo.bounds(&all) else {
            return String::new();
        };
        let links: Vec<svg::AreaLink> = self
            .model
            .areas
            .iter()
            .map(|area| {
                let link = area_link(labels, area);
                svg::AreaLink {
                    polygon: &geo.areas[area.geo].polygon,
                    name: if labels.lang == Lang::Ja {
                        &area.name
                    } else {
                        area.name_en.as_deref().unwrap_or(&area.name)
                    },
                    href: format!("{lang_prefix}{}", link.href),
                    label: format!("{} ({})", link.name.text, labels.records(area.total())),
                }
            })
            .collect();
        let title = labels.ui_text("areas_map");
        svg::areas_map("areas-map", title, &links, (bounds.lower(), bounds.upper()))
    }
}
