//! What pages and data files show: records, areas and kinds resolved for one language, labels
//! included. Below both `render` (the templates) and `export` (the area lists, HSDS's words),
//! so that a list item reads the same on a page and in `records.json`.
//!
//! Every field is always present (`None` becomes `none`), because templates run with strict
//! undefined: a misspelt variable is an error, not an empty string.

use std::sync::Arc;

use serde::Serialize;

use crate::model::{AreaInfo, Model};
use crate::registry::vocab::{ConsultationType, FacilityType, ParkType, Vocab};
use crate::registry::{Details, Kind, Record, RecordId, RecordType};
use crate::text::Lang;

/// A file the exports wrote, listed on the downloads page: `export` makes the list and
/// `render` shows it, so it is defined below both.
#[derive(Clone, Debug)]
pub struct Exported {
    pub path: String,
    pub bytes: usize,
    pub group: Group,
    pub subject: Option<Subject>,
    /// Listed on the downloads page (sitemaps and robots.txt are not).
    pub download: bool,
}

/// What an exported file is; its label on the downloads page is the theme's
/// `downloads.<key>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Resources,
    Area,
    Boundaries,
    Csv,
    Hsds,
    Sitemap,
    Robots,
    Feed,
    Finder,
    Lists,
    Search,
}

impl Group {
    pub fn key(self) -> &'static str {
        match self {
            Group::Resources => "resources",
            Group::Area => "area",
            Group::Boundaries => "boundaries",
            Group::Csv => "csv",
            Group::Hsds => "hsds",
            Group::Sitemap => "sitemap",
            Group::Robots => "robots",
            Group::Feed => "feed",
            Group::Finder => "finder",
            Group::Lists => "lists",
            Group::Search => "search",
        }
    }
}

/// What an exported file is about, if one thing: an area (its code), a kind or a language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    Area(String),
    Kind(Kind),
    Lang(Lang),
}

/// Looks up UI labels in a theme's strings for one language.
pub struct Labels<'a> {
    pub strings: &'a serde_json::Value,
    pub lang: Lang,
    pub site_types: &'a std::collections::BTreeMap<Kind, Vec<crate::config::SiteType>>,
}

impl Labels<'_> {
    /// The label at `section.key`, borrowed from the theme, or the key itself when the theme
    /// has none.
    pub fn text<'s>(&'s self, section: &str, key: &'s str) -> &'s str {
        self.strings[section][key].as_str().unwrap_or(key)
    }

    /// [`Labels::text`], owned.
    pub fn get(&self, section: &str, key: &str) -> String {
        self.text(section, key).to_owned()
    }

    pub fn ui_text<'s>(&'s self, key: &'s str) -> &'s str {
        self.text("ui", key)
    }

    pub fn ui(&self, key: &str) -> String {
        self.get("ui", key)
    }

    /// "12件", "12 places", "1 place": a count of records with the language's word for them
    /// (`ui.record_one` for one, when the language has a singular; `ui.records` otherwise).
    pub fn records(&self, n: usize) -> String {
        records_label(n, |key| self.strings["ui"][key].as_str())
    }

    pub fn kind_text(&self, kind: Kind) -> &str {
        self.text("kinds", kind.as_str())
    }

    pub fn kind(&self, kind: Kind) -> String {
        self.kind_text(kind).to_owned()
    }

    /// The label of a record type: the theme's, else the site's own type's (site.yaml), else
    /// the key.
    pub fn record_type_text<'s>(&'s self, kind: Kind, key: &'s str) -> &'s str {
        if let Some(label) = self.strings["types"][kind.as_str()][key].as_str() {
            return label;
        }
        self.site_types
            .get(&kind)
            .and_then(|types| types.iter().find(|t| t.key == key))
            .map(|t| match self.lang {
                Lang::En => t.en.as_deref().unwrap_or(&t.ja),
                Lang::Ja => &t.ja,
            })
            .unwrap_or(key)
    }

    pub fn record_type(&self, kind: Kind, key: &str) -> String {
        self.record_type_text(kind, key).to_owned()
    }

    pub fn vocab<V: Vocab>(&self, section: &str, values: &[V]) -> Vec<String> {
        values
            .iter()
            .map(|v| self.get(section, v.as_str()))
            .collect()
    }
}

/// The count with its unit word, from a lookup of `ui.*` strings (shared by [`Labels::records`]
/// and the templates' `records` filter).
pub fn records_label<'s>(n: usize, ui: impl Fn(&str) -> Option<&'s str>) -> String {
    let word = if n == 1 { ui("record_one") } else { None }
        .or_else(|| ui("records"))
        .unwrap_or("");
    format!("{}{word}", crate::text::count(n))
}

/// A name in the page's language, and the language it is actually in (for `lang=`).
#[derive(Serialize, Clone)]
pub struct Text {
    pub text: String,
    /// `Some("ja")` when an English page falls back to Japanese text.
    pub lang: Option<&'static str>,
}

pub(super) fn localized(lang: Lang, ja: &str, en: Option<&str>) -> Text {
    match (lang, en) {
        (Lang::En, Some(en)) => Text {
            text: en.to_owned(),
            lang: None,
        },
        (Lang::En, None) => Text {
            text: ja.to_owned(),
            lang: Some("ja"),
        },
        (Lang::Ja, _) => Text {
            text: ja.to_owned(),
            lang: None,
        },
    }
}

#[derive(Serialize)]
pub struct PhoneView {
    pub number: String,
    /// `tel:` URL (digits and + only).
    pub tel: String,
    pub label: Option<String>,
}

#[derive(Serialize)]
pub struct LinkView {
    pub url: String,
    pub label: Option<String>,
}

/// A record in a list (area page, kind page, finder). The strings many records share (labels,
/// codes, facets, hours summaries) are one copy each (see [`ListItems`]).
#[derive(Serialize)]
pub struct ListItem {
    pub id: String,
    pub kind: Kind,
    pub kind_label: Arc<str>,
    /// From the site root: `facilities/takamatsu-hokenjo/`.
    pub href: String,
    pub name: Text,
    pub type_key: Arc<str>,
    pub type_label: Arc<str>,
    pub address: Option<String>,
    pub phone: Option<PhoneView>,
    pub hours: Option<Arc<str>>,
    pub municipality: Arc<str>,
    pub area_code: Arc<str>,
    pub suspended: bool,
    pub sample: bool,
    /// Space-separated filter facts for `data-` attributes (see filters.js).
    pub facets: Arc<str>,
    /// Short labels: free, wheelchair accessible, appointment required… (lists and print).
    pub badges: Vec<String>,
    pub location: Option<[f64; 2]>,
}

/// One copy of each string the list items of a language repeat.
#[derive(Default)]
struct Shared(std::collections::HashSet<Arc<str>>);

impl Shared {
    fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(s) {
            return shared.clone();
        }
        let shared: Arc<str> = s.into();
        self.0.insert(shared.clone());
        shared
    }
}

fn tel_url(number: &str) -> String {
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+' || *c == '#')
        .collect();
    format!("tel:{digits}")
}

fn phone_view(c: &crate::registry::Contact) -> PhoneView {
    PhoneView {
        number: c.value.value.clone(),
        tel: tel_url(&c.value.value),
        label: c.label.clone(),
    }
}

/// Filter facts of a record: the words filters.js matches on.
pub fn facets(model: &Model, r: &Record) -> String {
    use crate::registry::vocab::{Accessibility, Amenity, Fee};
    let mut f: Vec<String> = vec![format!("type:{}", r.record_type.value)];
    if r.fee == Some(Fee::Free) {
        f.push("free".into());
    }
    if r.accessibility.contains(&Accessibility::Wheelchair) {
        f.push("wheelchair".into());
    }
    for l in &r.languages {
        f.push(format!("lang:{}", l.value));
    }
    // Unknown hours are a state of their own: time filters count what they leave out for it.
    if model.hours_of(r).is_none() {
        f.push("hours_unknown".into());
    }
    if let Some(info) = model.hours_of(r) {
        let days = &info.week.days;
        if !days[5].intervals.is_empty() {
            f.push("sat".into());
        }
        if !days[6].intervals.is_empty() {
            f.push("sun".into());
        }
        if days
            .iter()
            .any(|d| d.intervals.iter().any(|i| i.end > 18 * 60))
        {
            f.push("evening".into());
        }
    }
    match &r.details {
        Details::Restaurant(d) if d.smoke_free == Some(true) => f.push("smoke_free".into()),
        Details::Park(d)
            if d.amenities.contains(&Amenity::WalkingCourse)
                || r.record_type.value == RecordType::Park(ParkType::WalkingCourse) =>
        {
            f.push("walking".into())
        }
        _ => {}
    }
    f.join(" ")
}

fn list_item(model: &Model, labels: &Labels, shared: &mut Shared, i: RecordId) -> ListItem {
    let r = model.record(i);
    let placement = model.site.placements[i];
    let municipality = placement.map_or("", |p| {
        let m = &model.site.geo.municipalities[p.municipality];
        match labels.lang {
            Lang::En => m.name_en.as_deref().unwrap_or(&m.name),
            Lang::Ja => &m.name,
        }
    });
    let area_code = placement.map_or("", |p| &model.site.geo.areas[p.area].code);
    let hours = model.hours_of(r).map(|h| match labels.lang {
        Lang::Ja => h.week.summary_ja(),
        Lang::En => h.week.summary_en(),
    });
    ListItem {
        id: r.id.value.clone(),
        kind: r.kind,
        kind_label: shared.get(labels.kind_text(r.kind)),
        href: format!("{}/{}/", r.kind, r.id.value),
        name: record_name(labels.lang, r),
        type_key: shared.get(r.record_type.as_str()),
        type_label: shared.get(labels.record_type_text(r.kind, r.record_type.as_str())),
        address: r.address.as_ref().map(|a| a.value.clone()),
        phone: r.phone.first().map(phone_view),
        hours: hours.map(|h| shared.get(&h)),
        municipality: shared.get(municipality),
        area_code: shared.get(area_code),
        suspended: r.status == crate::registry::vocab::Status::Suspended,
        sample: r.sample,
        facets: shared.get(&facets(model, r)),
        badges: badges(labels, r),
        location: r.location.as_ref().map(|l| [l.lat, l.lon]),
    }
}

/// Every published record's [`ListItem`] in each language, made on first use and then shared
/// by whatever lists records: the area, area-kind and kind pages, the finder, the names index,
/// record pages and the records files (`export::lists`). One item per record and language,
/// however many pages and files show it.
#[derive(Default)]
pub struct ListItems {
    by_lang: [std::sync::OnceLock<Vec<Option<ListItem>>>; Lang::ALL.len()],
}

/// The list items of one language, by record index.
#[derive(Clone, Copy)]
pub struct Items<'a> {
    pub lang: Lang,
    items: &'a [Option<ListItem>],
}

impl ListItems {
    /// The items in the language of `labels`. The first call makes them, one after the other:
    /// it runs inside the parallel loops of the build, where a parallel loop under the lock
    /// could steal a task that waits for the same lock, on the same thread.
    pub fn of(&self, model: &Model, labels: &Labels) -> Items<'_> {
        let items = self.by_lang[labels.lang as usize].get_or_init(|| {
            let mut items: Vec<Option<ListItem>> = std::iter::repeat_with(|| None)
                .take(model.site.records.len())
                .collect();
            let mut shared = Shared::default();
            for &i in model.by_kind.iter().flatten() {
                items[i.index()] = Some(list_item(model, labels, &mut shared, i));
            }
            items
        });
        Items {
            lang: labels.lang,
            items,
        }
    }
}

impl<'a> Items<'a> {
    /// The item of record `i`, which is published.
    pub fn get(&self, i: RecordId) -> &'a ListItem {
        self.items[i.index()].as_ref().expect("a published record")
    }
}

/// Records in the order of the names a page shows: the registry's (Japanese) order on Japanese
/// pages; on English pages by the English name, or the Japanese one where there is none.
pub fn shown_order<'l>(
    model: &Model,
    lang: Lang,
    list: &'l [RecordId],
) -> std::borrow::Cow<'l, [RecordId]> {
    match lang {
        Lang::Ja => std::borrow::Cow::Borrowed(list),
        Lang::En => {
            let mut sorted = list.to_vec();
            let key = |i: RecordId| {
                let r = model.record(i);
                match &r.name_en {
                    Some(en) => (0, en.value.to_lowercase()),
                    None => (1, r.name.value.clone()),
                }
            };
            sorted.sort_by_cached_key(|&i| key(i));
            std::borrow::Cow::Owned(sorted)
        }
    }
}

/// The records an area page prints when a kind has more than it can show: public health
/// bodies (保健所, 保健センター) first, then hospitals, then the rest, each group in the shown
/// order. A resident scanning 東部's first hundred of 634 facilities should meet 高松市保健所
/// and the hospitals, not the first hundred clinics by reading.
pub fn preview_order(model: &Model, list: &[RecordId]) -> Vec<RecordId> {
    use ConsultationType as C;
    let rank = |i: RecordId| match model.record(i).record_type.value {
        RecordType::Facility(FacilityType::HealthCenter)
        | RecordType::Consultation(C::PublicHealthCenter | C::MentalHealthCenter) => 0,
        RecordType::Facility(FacilityType::Hospital)
        | RecordType::Consultation(C::OccupationalHealthCenter) => 1,
        _ => 2,
    };
    let mut sorted = list.to_vec();
    sorted.sort_by_key(|&i| rank(i));
    sorted
}

/// A choice of a filter: its value and its label.
#[derive(Serialize)]
pub struct FilterChoice<'a> {
    pub key: &'a str,
    pub label: &'a str,
}

/// The filter form of a list page, rendered in the HTML (filters.js brings it to life over
/// every record of the page's scope, loaded from `sources`).
#[derive(Serialize)]
pub struct FilterView<'a> {
    pub types: Vec<FilterChoice<'a>>,
    pub flags: Vec<FilterChoice<'a>>,
    /// The scope's records files (`areas/<code>/records.json`), from the language root.
    pub sources: Vec<String>,
    /// The page's kind, when the page lists one kind only.
    pub kind: Option<Kind>,
    pub total: usize,
}

/// The time filters (always offered, as unknown hours are counted and can be included), then
/// the filters offered when some record has the fact: (facet, label key, always).
const FILTERS: [(&str, &str, bool); 8] = [
    ("open", "filter_open_now", true),
    ("sat", "filter_saturday", true),
    ("sun", "filter_sunday", true),
    ("evening", "filter_evening", true),
    ("free", "filter_free", false),
    ("wheelchair", "filter_wheelchair", false),
    ("smoke_free", "filter_smoke_free", false),
    ("walking", "filter_walking", false),
];

/// The filters that make sense for `records` (the whole scope of a page, not only what it
/// prints): their types and the facts some record has, read from their list items.
pub fn filter_view<'a>(
    labels: &'a Labels,
    items: Items<'a>,
    records: &[RecordId],
    kind: Option<Kind>,
    sources: Vec<String>,
) -> FilterView<'a> {
    let mut types: Vec<FilterChoice> = Vec::new();
    let mut present = std::collections::BTreeSet::new();
    for &i in records {
        let item = items.get(i);
        if !types.iter().any(|t| t.key == &*item.type_key) {
            types.push(FilterChoice {
                key: &item.type_key,
                label: &item.type_label,
            });
        }
        present.extend(item.facets.split(' '));
    }
    if types.len() < 2 {
        types.clear();
    }
    let flags = FILTERS
        .iter()
        .filter(|(key, _, always)| (*always && !records.is_empty()) || present.contains(key))
        .map(|&(key, label, _)| FilterChoice {
            key,
            label: labels.ui_text(label),
        })
        .collect();
    FilterView {
        types,
        flags,
        sources,
        kind,
        total: records.len(),
    }
}

/// A record's name in the page's language.
pub fn record_name(lang: Lang, r: &Record) -> Text {
    localized(lang, &r.name, r.name_en.as_deref().map(String::as_str))
}

/// The badges of a record: the facts a resident checks first.
pub fn badges(labels: &Labels, r: &Record) -> Vec<String> {
    use crate::registry::vocab::{Accessibility, Fee};
    let mut b = Vec::new();
    if r.fee == Some(Fee::Free) {
        b.push(labels.get("fee", "free"));
    }
    if r.accessibility.contains(&Accessibility::Wheelchair) {
        b.push(labels.get("accessibility", "wheelchair"));
    }
    if let Details::Consultation(c) = &r.details
        && let Some(res) = c.reservation
    {
        b.push(labels.get("reservation", res.as_str()));
    }
    b
}

/// A label and its value(s), for the facts table of a record page.
#[derive(Serialize)]
pub struct Fact {
    pub label: String,
    pub values: Vec<String>,
}

#[derive(Serialize)]
pub struct MenuView {
    pub name: String,
    pub kcal: Option<String>,
    pub salt_g: Option<String>,
    pub vegetables_g: Option<String>,
    pub price_yen: Option<String>,
}

/// Everything a record page shows.
#[derive(Serialize)]
pub struct RecordView<'a> {
    pub item: &'a ListItem,
    pub name_ja: String,
    pub name_kana: Option<String>,
    pub name_en: Option<String>,
    pub phones: Vec<PhoneView>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub urls: Vec<LinkView>,
    pub hours_raw: Option<String>,
    pub hours_rows: Vec<crate::hours::WeekRow>,
    pub hours_unknown: bool,
    pub hours_note: Option<String>,
    pub description_html: Option<String>,
    pub description_lang: Option<&'static str>,
    pub facts: Vec<Fact>,
    pub menus: Vec<MenuView>,
    pub verified: Option<String>,
    pub valid_until: Option<String>,
    pub source: Option<String>,
    pub area: Option<AreaLink>,
}

#[derive(Serialize, Clone)]
pub struct AreaLink {
    pub code: String,
    pub name: Text,
    pub href: String,
}

pub fn area_link(labels: &Labels, area: &AreaInfo) -> AreaLink {
    AreaLink {
        code: area.code.clone(),
        name: localized(labels.lang, &area.name, area.name_en.as_deref()),
        href: format!("areas/{}/", area.code),
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

fn grouped(n: u32) -> String {
    crate::text::count(n as usize)
}

/// The record page of `i`, around its list item (`item`, from [`ListItems`]).
pub fn record_view<'a>(
    model: &Model,
    labels: &Labels,
    item: &'a ListItem,
    i: RecordId,
) -> RecordView<'a> {
    let r = model.record(i);
    let lang = labels.lang;
    let hours_info = model.hours_of(r);
    let (description, description_lang) = match (lang, &r.description_en, &r.description) {
        (Lang::En, Some(en), _) => (Some(en), None),
        (Lang::En, None, Some(ja)) => (Some(ja), Some("ja")),
        (_, _, ja) => (ja.as_ref(), None),
    };
    RecordView {
        name_ja: r.name.value.clone(),
        name_kana: r.name_kana.as_ref().map(|k| k.value.clone()),
        name_en: r.name_en.as_ref().map(|k| k.value.clone()),
        phones: r.phone.iter().map(phone_view).collect(),
        fax: r.fax.as_ref().map(|f| f.value.clone()),
        email: r.email.as_ref().map(|e| e.value.clone()),
        urls: r
            .url
            .iter()
            .map(|u| LinkView {
                url: u.value.value.clone(),
                label: u.label.clone(),
            })
            .collect(),
        hours_raw: r.hours.as_ref().map(|h| h.raw().to_owned()),
        hours_rows: hours_info
            .map(|h| match lang {
                Lang::Ja => h.week.rows_ja(),
                Lang::En => h.week.rows_en(),
            })
            .unwrap_or_default(),
        hours_unknown: hours_info.is_some_and(|h| h.week.unknown),
        hours_note: r.hours_note.as_ref().map(|n| n.value.clone()),
        description_html: description.map(|d| crate::text::markdown::to_html(d, 2)),
        description_lang,
        facts: facts(model, labels, r),
        menus: menus(lang, r),
        verified: r.verified.as_ref().map(|d| d.value.to_string()),
        valid_until: r.valid_until.as_ref().map(|d| d.value.to_string()),
        source: r.source.as_ref().map(|s| s.value.clone()),
        area: model
            .record_area(i)
            .map(|a| area_link(labels, &model.areas[a])),
        item,
    }
}

/// The facts a record page lists, in its order: those of every kind, then the kind's own.
fn facts(model: &Model, labels: &Labels, r: &Record) -> Vec<Fact> {
    let mut facts = Facts {
        labels,
        list: Vec::new(),
    };
    if let Some(fee) = r.fee {
        facts.add("fee", vec![labels.get("fee", fee.as_str())]);
    }
    facts.add(
        "accessibility",
        labels.vocab("accessibility", &r.accessibility),
    );
    facts.add(
        "languages",
        r.languages
            .iter()
            .map(|l| labels.get("languages", &l.value))
            .collect(),
    );
    match &r.details {
        Details::Facility(d) => facts.facility(d),
        Details::Park(d) => facts.park(d),
        Details::Restaurant(d) => facts.restaurant(d),
        Details::Consultation(d) => facts.consultation(model, d),
    }
    facts.list
}

/// A record page's facts as they are found; a fact without values is left out.
struct Facts<'l> {
    labels: &'l Labels<'l>,
    list: Vec<Fact>,
}

impl Facts<'_> {
    fn add(&mut self, label: &str, values: Vec<String>) {
        if !values.is_empty() {
            self.list.push(Fact {
                label: self.labels.ui(label),
                values,
            });
        }
    }

    /// A yes-or-nothing fact: its label and a phrase when `flag` is true.
    fn flag(&mut self, label: &str, flag: Option<bool>, yes: &str) {
        if flag == Some(true) {
            let yes = self.labels.ui(yes);
            self.add(label, vec![yes]);
        }
    }

    fn facility(&mut self, d: &crate::registry::FacilityDetails) {
        self.add("departments", d.departments.clone());
        if let Some(beds) = d.beds {
            self.add("beds", vec![grouped(beds)]);
        }
        self.flag("emergency", d.emergency, "emergency_yes");
        self.add("checkups", d.checkups.clone());
    }

    fn park(&mut self, d: &crate::registry::ParkDetails) {
        let amenities = self.labels.vocab("amenities", &d.amenities);
        self.add("amenities", amenities);
        if let Some(km) = d.course_km {
            self.add("course_km", vec![format!("{} km", number(km))]);
        }
    }

    fn restaurant(&mut self, d: &crate::registry::RestaurantDetails) {
        self.flag("smoke_free", d.smoke_free, "smoke_free");
        if let Some(c) = &d.certification {
            let mut v = Vec::new();
            if let Some(name) = &c.name {
                v.push(name.clone());
            }
            if let (Some(since), Some(until)) = (c.since, &c.until) {
                v.push(format!("{since} – {}", until.value));
            }
            self.add("certification", v);
        }
    }

    fn consultation(&mut self, model: &Model, d: &crate::registry::ConsultationDetails) {
        let labels = self.labels;
        self.add("audiences", labels.vocab("audiences", &d.audiences));
        self.add("topics", labels.vocab("topics", &d.topics));
        self.add("channels", labels.vocab("channels", &d.channels));
        if let Some(n) = d.max_employees {
            let value = labels
                .ui("max_employees_value")
                .replace("{n}", &n.to_string());
            self.add("max_employees", vec![value]);
        }
        if let Some(res) = d.reservation {
            self.add("reservation", vec![labels.get("reservation", res.as_str())]);
        }
        match d.anonymous {
            Some(true) => self.add("anonymous", vec![labels.ui("anonymous_yes")]),
            Some(false) => self.add("anonymous", vec![labels.ui("anonymous_no")]),
            None => {}
        }
        let geo = &model.site.geo;
        let serves: Vec<String> = d
            .serves
            .iter()
            .filter_map(|c| geo.municipality(c.value))
            .map(|m| {
                let m = &geo.municipalities[m];
                localized(labels.lang, &m.name, m.name_en.as_deref()).text
            })
            .collect();
        self.add("serves", serves);
        if let Some(reg) = &d.registration {
            let mut v = Vec::new();
            if let Some(n) = &reg.number {
                v.push(n.clone());
            }
            if let Some(until) = &reg.until {
                v.push(format!(
                    "{} {}",
                    labels.ui("registration_until"),
                    until.value
                ));
            }
            self.add("registration", v);
        }
    }
}

/// A restaurant's healthy menus with their nutrition and price; none for other kinds.
fn menus(lang: Lang, r: &Record) -> Vec<MenuView> {
    let Details::Restaurant(d) = &r.details else {
        return Vec::new();
    };
    d.menus
        .iter()
        .map(|m| MenuView {
            name: m.name.clone(),
            kcal: m.kcal.map(|k| format!("{} kcal", number(k))),
            salt_g: m.salt_g.map(|s| format!("{} g", number(s))),
            vegetables_g: m.vegetables_g.map(|v| format!("{} g", number(v))),
            price_yen: m.price_yen.map(|p| match lang {
                Lang::Ja => format!("{}円", grouped(p)),
                Lang::En => format!("¥{}", grouped(p)),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::records_label;

    #[test]
    fn a_count_of_records_takes_the_singular_only_for_one() {
        let en = |key: &str| match key {
            "records" => Some(" places"),
            "record_one" => Some(" place"),
            _ => None,
        };
        assert_eq!(records_label(1, en), "1 place");
        assert_eq!(records_label(0, en), "0 places");
        assert_eq!(records_label(1234, en), "1,234 places");
        let ja = |key: &str| (key == "records").then_some("件");
        assert_eq!(records_label(1, ja), "1件", "no singular: the plural word");
    }
}
