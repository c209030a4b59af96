//! Content pages (Markdown from `content/`) and the 404 page.

use minijinja::{Value, context};

use crate::diagnostics::Diagnostic;
use crate::model::Page;
use crate::text::markdown;
use crate::views::Labels;

use super::super::{Renderer, v};

impl Renderer {
    /// The content page `i` of the site.
    pub(in crate::render) fn render_content(
        &self,
        page: &Page,
        i: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let content = &self.model.site.content[i];
        let html = markdown::to_html(&content.markdown, 0);
        // A page written in the other language only says so.
        let content_lang = (content.lang != page.lang).then_some(content.lang.as_str());
        let ctx = context! {
            description => v(&content.description),
            body_html => Value::from_safe_string(html),
            content_lang => v(content_lang),
        };
        self.render_template("content.html", self.page_context(page, &content.title, ctx))
    }

    pub(in crate::render) fn render_not_found(
        &self,
        page: &Page,
        labels: &Labels,
    ) -> Result<Vec<u8>, Diagnostic> {
        let title = labels.ui_text("not_found");
        self.render_template("404.html", self.page_context(page, title, context! {}))
    }
}
