//! The names index: every published record by the first sound of its reading (あ行, か行, …),
//! in 五十音 order; names without a known reading last, by name.

use minijinja::context;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::fold::fold;
use crate::model::Page;
use crate::registry::RecordId;
use crate::views::{self, Labels};

use super::super::{Renderer, v};

/// The rows of the kana table: the row's kana and every kana that starts a reading in it.
const ROWS: [(&str, &str); 10] = [
    ("あ", "あいうえおぁぃぅぇぉゔ"),
    ("か", "かきくけこがぎぐげご"),
    ("さ", "さしすせそざじずぜぞ"),
    ("た", "たちつてとだぢづでどっ"),
    ("な", "なにぬねの"),
    ("は", "はひふへほばびぶべぼぱぴぷぺぽ"),
    ("ま", "まみむめも"),
    ("や", "やゆよゃゅょ"),
    ("ら", "らりるれろ"),
    ("わ", "わをんゎ"),
];

#[derive(Serialize)]
struct NamesRow<'a> {
    key: String,
    head: Option<&'static str>,
    label: &'a str,
    items: Vec<NameItem<'a>>,
}

/// What the index shows of a record.
#[derive(Serialize)]
struct NameItem<'a> {
    name: &'a views::Text,
    href: &'a str,
    type_label: &'a str,
    municipality: &'a str,
}

impl Renderer {
    pub(in crate::render) fn render_names(
        &self,
        page: &Page,
        labels: &Labels,
    ) -> Result<Vec<u8>, Diagnostic> {
        let ctx = context! { groups => v(self.names_index(labels)) };
        let title = labels.ui_text("names_index");
        self.render_template("names.html", self.page_context(page, title, ctx))
    }

    /// The rows that have names, each sorted by reading. A reading is `name_kana`, the name
    /// itself when it starts with kana, or the reading generated at build time.
    fn names_index<'a>(&'a self, labels: &'a Labels) -> Vec<NamesRow<'a>> {
        let mut rows: Vec<Vec<(String, RecordId)>> = vec![Vec::new(); ROWS.len() + 1];
        for &i in self.model.by_kind.iter().flatten() {
            match self.reading(i) {
                Some((row, k)) => rows[row].push((k, i)),
                None => rows[ROWS.len()].push((self.model.record(i).name.value.clone(), i)),
            }
        }
        let items = self.items(labels);
        rows.into_iter()
            .enumerate()
            .filter(|(_, g)| !g.is_empty())
            .map(|(n, mut g)| {
                g.sort();
                // A row's kana (か) and the word after it (行, " row"): on English pages the kana
                // is tagged Japanese.
                let (key, head, label) = match ROWS.get(n) {
                    Some((head, _)) => (format!("row-{n}"), Some(*head), "names_row"),
                    None => ("row-other".to_owned(), None, "names_other"),
                };
                let items = g.iter().map(|&(_, i)| {
                    let item = items.get(i);
                    NameItem {
                        name: &item.name,
                        href: &item.href,
                        type_label: &item.type_label,
                        municipality: &item.municipality,
                    }
                });
                NamesRow {
                    key,
                    head,
                    label: labels.ui_text(label),
                    items: items.collect(),
                }
            })
            .collect()
    }

    /// The row of record `i`'s reading and the reading (folded), if it has one in the table.
    fn reading(&self, i: RecordId) -> Option<(usize, String)> {
        let r = self.model.record(i);
        let reading = r
            .name_kana
            .as_ref()
            .map(|k| fold(&k.value))
            .or_else(|| {
                let f = fold(&r.name.value);
                f.starts_with(|c: char| ('\u{3041}'..='\u{309F}').contains(&c))
                    .then_some(f)
            })
            // A generated reading only places the name in its row; the page never shows it.
            .or_else(|| self.model.generated_kana(i).map(fold))?;
        let c = reading.chars().next()?;
        let row = ROWS.iter().position(|(_, chars)| chars.contains(c))?;
        Some((row, reading))
    }
}
