//! A kind's index: its records by area (on a large site the areas and their counts only) and,
//! for consultation, the finder.

use minijinja::{Value, context};

use crate::diagnostics::Diagnostic;
use crate::model::{AREA_PAGE_LIST_LIMIT, AreaInfo, KIND_INDEX_INLINE_LIMIT, Page, kind_index};
use crate::registry::Kind;
use crate::views::{self, Labels, ListItem, area_link};

use super::super::{Renderer, svg, v};

impl Renderer {
    pub(in crate::render) fn render_kind(
        &self,
        page: &Page,
        labels: &Labels,
        kind: Kind,
    ) -> Result<Vec<u8>, Diagnostic> {
        let all = &self.model.by_kind[kind_index(kind)];
        // A large site's kind index lists areas and counts only (the lists are on the areas'
        // kind pages), and has no filters.
        let inline = all.len() <= KIND_INDEX_INLINE_LIMIT;
        let areas = || {
            self.model
                .areas
                .iter()
                .filter(move |area| !area.records(kind).is_empty())
        };
        let groups: Vec<Value> = areas()
            .map(|area| self.kind_group(labels, area, kind, inline))
            .collect();
        let filters = inline.then(|| {
            let sources = areas()
                .map(|area| format!("areas/{}/records.json", area.code))
                .collect();
            views::filter_view(labels, self.items(labels), all, Some(kind), sources)
        });
        let template = match kind {
            Kind::Consultation => "consultation.html",
            _ => "kind.html",
        };
        let finder = (kind == Kind::Consultation).then(|| self.finder_view(labels));
        let title = labels.kind_text(kind);
        let ctx = context! {
            kind => v(kind),
            kind_label => v(title),
            glyph => Value::from_safe_string(svg::legend_glyph(kind)),
            groups => v(groups),
            filters => v(filters),
            finder => v(finder),
            total => v(all.len()),
        };
        self.render_template(template, self.page_context(page, title, ctx))
    }

    /// An area's records of `kind`: the first ones when `inline`, else only how many.
    fn kind_group(&self, labels: &Labels, area: &AreaInfo, kind: Kind, inline: bool) -> Value {
        let list = &*views::shown_order(&self.model, labels.lang, area.records(kind));
        let shown = if inline { AREA_PAGE_LIST_LIMIT } else { 0 };
        let items = self.items(labels);
        let items: Vec<&ListItem> = list.iter().take(shown).map(|&i| items.get(i)).collect();
        context! {
            area => v(area_link(labels, area)),
            items => v(items),
            total => v(list.len()),
            more_href => v((list.len() > shown).then(|| format!("areas/{}/{kind}/", area.code))),
        }
    }
}
