//! The downloads page: every exported file with what it is and its size.

use minijinja::context;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::Page;
use crate::views::{Exported, Labels, Subject, area_link};

use super::super::{Renderer, v};

#[derive(Serialize)]
struct DownloadView<'a> {
    href: &'a str,
    label: &'a str,
    subject: Option<String>,
    format: String,
    size: String,
}

impl Renderer {
    pub(in crate::render) fn render_downloads(
        &self,
        page: &Page,
        labels: &Labels,
    ) -> Result<Vec<u8>, Diagnostic> {
        let downloads: Vec<DownloadView> = self
            .downloads
            .get()
            .into_iter()
            .flatten()
            .filter(|d| d.download)
            .map(|d| self.download_view(labels, d))
            .collect();
        let ctx = context! { downloads => v(downloads) };
        let title = labels.ui_text("data");
        self.render_template("data.html", self.page_context(page, title, ctx))
    }

    fn download_view<'a>(&self, labels: &'a Labels, d: &'a Exported) -> DownloadView<'a> {
        let subject = d.subject.as_ref().map(|s| match s {
            Subject::Area(code) => match self.model.areas.iter().find(|a| &a.code == code) {
                Some(area) => area_link(labels, area).name.text,
                None => code.clone(),
            },
            Subject::Kind(kind) => labels.kind(*kind),
            Subject::Lang(lang) => lang.as_str().to_owned(),
        });
        DownloadView {
            href: &d.path,
            label: labels.text("downloads", d.group.key()),
            subject,
            format: d.path.rsplit('.').next().unwrap_or("").to_uppercase(),
            size: human_size(d.bytes),
        }
    }
}

/// "12.3 KB", "4.5 MB".
fn human_size(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} KB", bytes as f64 / 1000.0)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}
