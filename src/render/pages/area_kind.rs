//! An area's records of one kind, [`KIND_LIST_PAGE_SIZE`] to a page.

use minijinja::{Value, context};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{AreaId, KIND_LIST_PAGE_SIZE, Page};
use crate::registry::Kind;
use crate::views::{self, Labels, ListItem, area_link};

use super::super::{Renderer, svg, v};

#[derive(Serialize)]
struct Pagination {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

impl Renderer {
    /// Page `n` (from 1) of the records of `kind` in area `a`.
    pub(in crate::render) fn render_area_kind(
        &self,
        page: &Page,
        labels: &Labels,
        a: AreaId,
        kind: Kind,
        n: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let area = &self.model.areas[a];
        let link = area_link(labels, area);
        let list = &*views::shown_order(&self.model, labels.lang, area.records(kind));
        let all = self.items(labels);
        let items: Vec<&ListItem> = list
            .iter()
            .skip((n - 1) * KIND_LIST_PAGE_SIZE)
            .take(KIND_LIST_PAGE_SIZE)
            .map(|&i| all.get(i))
            .collect();
        let title = format!("{} {}", link.name.text, labels.kind_text(kind));
        let sources = vec![format!("areas/{}/records.json", area.code)];
        let filters = views::filter_view(labels, all, list, Some(kind), sources);
        let pagination = self.pagination(a, kind, n);
        let ctx = context! {
            area => v(link),
            kind => v(kind),
            kind_label => v(labels.kind_text(kind)),
            glyph => Value::from_safe_string(svg::legend_glyph(kind)),
            items => v(items),
            filters => v(filters),
            total => v(list.len()),
            first_number => v((n - 1) * KIND_LIST_PAGE_SIZE + 1),
            pagination => v(pagination),
        };
        self.render_template("area_kind.html", self.page_context(page, &title, ctx))
    }

    /// Links to the pages before and after page `n`.
    fn pagination(&self, a: AreaId, kind: Kind, n: usize) -> Pagination {
        let pages = self.model.kind_pages(a, kind);
        let base = format!("areas/{}/{kind}/", self.model.areas[a].code);
        let page_href = |p: usize| {
            if p == 1 {
                base.clone()
            } else {
                format!("{base}page/{p}/")
            }
        };
        Pagination {
            page: n,
            pages,
            prev: (n > 1).then(|| page_href(n - 1)),
            next: (n < pages).then(|| page_href(n + 1)),
        }
    }
}
