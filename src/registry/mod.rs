//! The registry schema as Rust types: what a validated record is.
//!
//! `validate::decode` builds these from YAML nodes; everything after validation (geo, model,
//! render, export) works on them. `internal` is dropped while decoding, so nothing after the
//! validate phase can ever publish it.

pub mod fields;
pub mod merge;
pub mod muni_code;
pub mod vocab;

use std::ops::Deref;

use jiff::civil::Date;
use serde::Serialize;

use crate::diagnostics::Span;
pub use muni_code::MuniCode;
use vocab::*;

/// A value with the place it was written, for diagnostics. Serialises as the bare value.
#[derive(Clone, Debug, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Sp<U> {
        Sp {
            value: f(self.value),
            span: self.span,
        }
    }
}

impl<T> Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

/// The four kinds of record, one directory each under `data/` (also `--kind` of `import`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 医療・保健施設 (data/facilities/)
    Facilities,
    /// 公園・運動施設 (data/parks/)
    Parks,
    /// ヘルシーメニュー協力店 (data/restaurants/)
    Restaurants,
    /// 相談機関 (data/consultation/)
    Consultation,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Facilities,
        Kind::Parks,
        Kind::Restaurants,
        Kind::Consultation,
    ];

    /// The directory under `data/` and the URL segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Facilities => "facilities",
            Kind::Parks => "parks",
            Kind::Restaurants => "restaurants",
            Kind::Consultation => "consultation",
        }
    }

    pub fn from_dir(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The built-in `type` vocabulary of this kind (sites may add more in `site.yaml`).
    pub fn builtin_types(self) -> Vec<&'static str> {
        match self {
            Kind::Facilities => FacilityType::names().collect(),
            Kind::Parks => ParkType::names().collect(),
            Kind::Restaurants => RestaurantType::names().collect(),
            Kind::Consultation => ConsultationType::names().collect(),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// WGS84 decimal degrees.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// A typed index: an item's position in one table of the site, as a type of its own, so that
/// a record cannot be looked up by an area's index (or a list position) by mistake.
macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $items:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            /// The id of the item at `index`. Panics past 2³² items, which no machine loads.
            pub fn new(index: usize) -> $name {
                $name(u32::try_from(index).expect(concat!("fewer than 2^32 ", $items)))
            }

            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The ids of a table of `len` items, in order.
            pub fn all(len: usize) -> impl DoubleEndedIterator<Item = $name> + ExactSizeIterator {
                (0..len).map($name::new)
            }
        }
    };
}
pub(crate) use id_type;

/// Tables (`Vec<T>`) indexed by an id type: `site.records[id]`, and only by that id.
macro_rules! indexed_by {
    ($id:ty => $($table:ty),+ $(,)?) => {
        $(
            impl std::ops::Index<$id> for Vec<$table> {
                type Output = $table;
                fn index(&self, id: $id) -> &$table {
                    &self[id.index()]
                }
            }

            impl std::ops::IndexMut<$id> for Vec<$table> {
                fn index_mut(&mut self, id: $id) -> &mut $table {
                    &mut self[id.index()]
                }
            }
        )+
    };
}
pub(crate) use indexed_by;

indexed_by!(RecordId => Record);

id_type!(
    /// A record's place in the site's records (`Site::records`, in file order), and so in
    /// every table kept by record (placements, generated readings).
    RecordId,
    "records"
);

/// A record's `type`: one of its kind's built-in types, or one that `site.yaml` adds.
///
/// Code that treats some types apart (public bodies first, schema.org types) matches on the
/// built-in variants; the YAML spelling is [`RecordType::as_str`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RecordType {
    Facility(FacilityType),
    Park(ParkType),
    Restaurant(RestaurantType),
    Consultation(ConsultationType),
    /// A type of `site.yaml`'s `types` (or, where site.yaml could not be read, whatever was
    /// written: the diagnostics say so, and nothing is built).
    Site(String),
}

impl RecordType {
    /// The type `text` names for a record of `kind`: the built-in one when there is one.
    pub fn parse(kind: Kind, text: &str) -> RecordType {
        let builtin = match kind {
            Kind::Facilities => FacilityType::parse(text).map(RecordType::Facility),
            Kind::Parks => ParkType::parse(text).map(RecordType::Park),
            Kind::Restaurants => RestaurantType::parse(text).map(RecordType::Restaurant),
            Kind::Consultation => ConsultationType::parse(text).map(RecordType::Consultation),
        };
        builtin.unwrap_or_else(|| RecordType::Site(text.to_owned()))
    }

    /// The YAML spelling (also the key of its labels in the theme's i18n files).
    pub fn as_str(&self) -> &str {
        match self {
            RecordType::Facility(t) => t.as_str(),
            RecordType::Park(t) => t.as_str(),
            RecordType::Restaurant(t) => t.as_str(),
            RecordType::Consultation(t) => t.as_str(),
            RecordType::Site(t) => t,
        }
    }

    /// A public health body (保健所, 保健センター, 精神保健福祉センター, 産業保健総合支援センター
    /// and its 地域窓口): the search puts these first among equally good matches.
    pub fn is_public_body(&self) -> bool {
        use ConsultationType as C;
        matches!(
            self,
            RecordType::Facility(FacilityType::HealthCenter)
                | RecordType::Consultation(
                    C::PublicHealthCenter
                        | C::MentalHealthCenter
                        | C::OccupationalHealthCenter
                        | C::RegionalOccupationalHealthCenter
                )
        )
    }
}

impl std::fmt::Display for RecordType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RecordType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A phone number or URL, optionally labelled (`（保健医療政策課）087-839-2860`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Contact {
    pub value: Sp<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub kind: Kind,
    /// Where the record starts (its first key).
    pub span: Span,
    pub id: Sp<String>,
    pub name: Sp<String>,
    pub name_kana: Option<Sp<String>>,
    pub name_en: Option<Sp<String>>,
    pub record_type: Sp<RecordType>,
    pub municipality: Option<Sp<MuniCode>>,
    pub address: Option<Sp<String>>,
    pub phone: Vec<Contact>,
    pub fax: Option<Sp<String>>,
    pub email: Option<Sp<String>>,
    pub url: Vec<Contact>,
    pub location: Option<Sp<LatLon>>,
    pub hours: Option<Sp<crate::hours::Hours>>,
    pub hours_note: Option<Sp<String>>,
    pub languages: Vec<Sp<String>>,
    pub accessibility: Vec<Accessibility>,
    pub fee: Option<Fee>,
    pub description: Option<Sp<String>>,
    pub description_en: Option<Sp<String>>,
    pub verified: Option<Sp<Date>>,
    pub valid_until: Option<Sp<Date>>,
    pub status: Status,
    pub source: Option<Sp<String>>,
    pub sample: bool,
    /// Official codes by scheme (`codes: { mhlw: "3711370100010" }`), in the order written.
    pub codes: Vec<(String, Sp<String>)>,
    pub details: Details,
}

/// An entry of a registry file's `supplements:`: fields for a record of another file (the
/// same place, found by an import in a second source). See [`merge`].
#[derive(Clone, Debug, PartialEq)]
pub struct Supplement {
    /// The id of the record it adds to.
    pub target: Sp<String>,
    /// The fields, decoded as a record's (its `name` and `type` are empty); `source` is the
    /// supplement's own or its file's default.
    pub fields: Record,
    /// The fields written, in order, with their key spans.
    pub present: Vec<String>,
    pub key_spans: Vec<(String, Span)>,
}

impl Record {
    pub fn is_published(&self) -> bool {
        self.status != Status::Closed
    }
}

/// The fields that only one kind has.
#[derive(Clone, Debug, PartialEq)]
pub enum Details {
    Facility(FacilityDetails),
    Park(ParkDetails),
    Restaurant(RestaurantDetails),
    Consultation(ConsultationDetails),
}

#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct FacilityDetails {
    /// 診療科
    pub departments: Vec<String>,
    pub beds: Option<u32>,
    pub emergency: Option<bool>,
    /// 特定健診, がん検診, …
    pub checkups: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct ParkDetails {
    pub amenities: Vec<Amenity>,
    pub course_km: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct RestaurantDetails {
    pub certification: Option<Certification>,
    pub menus: Vec<Menu>,
    pub smoke_free: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct Certification {
    pub name: Option<String>,
    pub since: Option<Date>,
    pub until: Option<Sp<Date>>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct Menu {
    pub name: String,
    pub kcal: Option<f64>,
    pub salt_g: Option<f64>,
    pub vegetables_g: Option<f64>,
    pub price_yen: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct ConsultationDetails {
    pub audiences: Vec<Audience>,
    pub topics: Vec<Topic>,
    pub channels: Vec<Channel>,
    pub max_employees: Option<u32>,
    pub reservation: Option<Reservation>,
    pub anonymous: Option<bool>,
    /// Municipality codes of the catchment; empty means "its own area".
    pub serves: Vec<Sp<MuniCode>>,
    pub registration: Option<Registration>,
}

#[derive(Clone, Debug, PartialEq, Default, Serialize)]
pub struct Registration {
    pub number: Option<String>,
    pub until: Option<Sp<Date>>,
}

/// `data/areas/<prefecture>.yaml`: a prefecture, its boundaries and its 二次医療圏.
#[derive(Clone, Debug, PartialEq)]
pub struct AreasFile {
    pub file: crate::diagnostics::FileId,
    pub prefecture: Prefecture,
    /// Relative to `data/`.
    pub boundaries: Sp<String>,
    pub code_property: String,
    pub areas: Vec<Area>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Prefecture {
    pub code: Sp<String>,
    pub name: String,
    pub name_en: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Area {
    pub code: Sp<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub municipalities: Vec<Municipality>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Municipality {
    pub code: Sp<MuniCode>,
    pub name: String,
    pub name_en: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_type_is_its_kinds_builtin_or_the_sites_own() {
        for kind in Kind::ALL {
            for t in kind.builtin_types() {
                let parsed = RecordType::parse(kind, t);
                assert!(!matches!(parsed, RecordType::Site(_)), "{kind} {t}");
                assert_eq!(parsed.as_str(), t);
            }
        }
        // A built-in type of another kind is not that kind's: a park cannot be a hospital.
        assert_eq!(
            RecordType::parse(Kind::Parks, "hospital"),
            RecordType::Site("hospital".into())
        );
        assert_eq!(
            RecordType::parse(Kind::Facilities, "acupuncture").as_str(),
            "acupuncture"
        );
    }

    #[test]
    fn public_bodies_are_the_health_centres_and_the_occupational_centres() {
        let public = |kind, t| RecordType::parse(kind, t).is_public_body();
        assert!(public(Kind::Facilities, "health_center"));
        assert!(public(
            Kind::Consultation,
            "regional_occupational_health_center"
        ));
        assert!(!public(Kind::Facilities, "hospital"));
        assert!(!public(Kind::Consultation, "mental_health_counseling"));
        assert!(!public(Kind::Parks, "health_center"));
    }
}
