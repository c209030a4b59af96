//! `sitemap.xml` (with hreflang alternates, split into an index past 50,000 URLs),
//! `robots.txt` and the Atom `feed.xml` of recently verified records.

use std::fmt::Write as _;

use crate::model::{Model, PageKind, dir_url};
use crate::registry::RecordId;
use crate::text::Lang;
use crate::text::escape_xml as xml;

/// The sitemap protocol's limit of URLs per file.
pub const MAX_URLS: usize = 50_000;

/// The date a page's content speaks for: a record's `verified` date, else the build date.
fn lastmod(model: &Model, kind: PageKind) -> String {
    match kind {
        PageKind::Record(i) => model
            .record(i)
            .verified
            .as_ref()
            .map(|d| d.value)
            .filter(|d| *d <= model.build_date)
            .unwrap_or(model.build_date)
            .to_string(),
        _ => model.build_date.to_string(),
    }
}

/// The sitemap files: `sitemap.xml` alone, or an index and `sitemap-N.xml` parts.
pub fn sitemaps(model: &Model) -> Vec<(String, Vec<u8>)> {
    sitemaps_with_limit(model, MAX_URLS)
}

/// [`sitemaps`] with `limit` URLs per file (tests split small sites).
pub fn sitemaps_with_limit(model: &Model, limit: usize) -> Vec<(String, Vec<u8>)> {
    let base = &model.site.config.base_url;
    let langs = model.langs();
    // One <url> per page, listing the page's other languages as alternates.
    let pages: Vec<&crate::model::Page> = model
        .pages
        .iter()
        .filter(|p| p.kind != PageKind::NotFound)
        .collect();
    let mut entries = Vec::with_capacity(pages.len());
    for page in &pages {
        let mut e = String::with_capacity(256);
        let _ = write!(
            e,
            "<url><loc>{}</loc><lastmod>{}</lastmod>",
            xml(&format!("{base}{}", dir_url(&page.path))),
            lastmod(model, page.kind)
        );
        if langs.len() > 1 {
            for &l in langs {
                let exists = match page.kind {
                    PageKind::Content(_) => model
                        .pages
                        .iter()
                        .any(|p| p.lang == l && p.lang_neutral == page.lang_neutral),
                    _ => true,
                };
                if exists {
                    let _ = write!(
                        e,
                        "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                        l.as_str(),
                        xml(&format!(
                            "{base}{}{}",
                            l.prefix(),
                            dir_url(&page.lang_neutral)
                        ))
                    );
                }
            }
        }
        e.push_str("</url>\n");
        entries.push(e);
    }
    let urlset = |chunk: &[String]| -> Vec<u8> {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        for e in chunk {
            s.push_str(e);
        }
        s.push_str("</urlset>\n");
        s.into_bytes()
    };
    if entries.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(&entries))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>",
            xml(&format!("{base}{name}")),
            model.build_date
        );
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index.into_bytes()));
    files
}

pub fn robots(model: &Model) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        model.site.config.base_url
    )
    .into_bytes()
}

/// Entries in the feed: the most recently verified records.
pub const FEED_ENTRIES: usize = 50;

/// `feed.xml` (and `en/feed.xml`): an Atom feed of records by `verified` date, newest first.
pub fn feed(model: &Model, lang: Lang, title: &str) -> Vec<u8> {
    let base = &model.site.config.base_url;
    let mut records: Vec<RecordId> = model
        .by_kind
        .iter()
        .flatten()
        .copied()
        .filter(|&i| {
            model
                .record(i)
                .verified
                .as_ref()
                .is_some_and(|d| d.value <= model.build_date)
        })
        .collect();
    records.sort_by(|&a, &b| {
        let date = |i: RecordId| model.record(i).verified.as_ref().map(|d| d.value);
        date(b)
            .cmp(&date(a))
            .then_with(|| model.record(a).id.value.cmp(&model.record(b).id.value))
    });
    records.truncate(FEED_ENTRIES);
    let updated = records
        .first()
        .and_then(|&i| model.record(i).verified.as_ref().map(|d| d.value))
        .unwrap_or(model.build_date);
    let home = format!("{base}{}", lang.prefix());
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        s,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" href=\"{}\"/>\n<link rel=\"self\" href=\"{}feed.xml\"/>\n<updated>{updated}T00:00:00+09:00</updated>\n",
        lang.as_str(),
        xml(title),
        xml(&home),
        xml(&home),
        xml(&home)
    );
    if let Some(publisher) = &model.site.config.publisher {
        let _ = writeln!(s, "<author><name>{}</name></author>", xml(publisher));
    } else {
        let _ = writeln!(s, "<author><name>{}</name></author>", xml(title));
    }
    for i in records {
        let r = model.record(i);
        let url = format!("{home}{}/{}/", r.kind, r.id.value);
        let name = match (lang, &r.name_en) {
            (Lang::En, Some(en)) => en.value.clone(),
            _ => r.name.value.clone(),
        };
        let verified = r
            .verified
            .as_ref()
            .map(|d| d.value)
            .unwrap_or(model.build_date);
        let mut summary = r.record_type.to_string();
        if let Some(a) = &r.address {
            summary = format!("{} — {}", summary, a.value);
        }
        let _ = writeln!(
            s,
            "<entry><title>{}</title><id>{}</id><link rel=\"alternate\" href=\"{}\"/><updated>{verified}T00:00:00+09:00</updated><summary>{}</summary></entry>",
            xml(&name),
            xml(&url),
            xml(&url),
            xml(&summary)
        );
    }
    s.push_str("</feed>\n");
    s.into_bytes()
}
