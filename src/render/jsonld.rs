//! schema.org JSON-LD for record pages (`<script type="application/ld+json">`, the only
//! script element a page has that is not loaded from a file: it is data, not code).

use serde_json::{Map, Value, json};

use crate::model::Model;
use crate::registry::vocab::{ConsultationType, FacilityType, ParkType, Vocab};
use crate::registry::{Details, Kind, Record, RecordId, RecordType};
use crate::text::Lang;

/// The schema.org type of a record.
pub fn schema_type(r: &Record) -> &'static str {
    use ConsultationType as C;
    use FacilityType as F;
    use ParkType as P;
    match (r.kind, &r.record_type.value) {
        (_, RecordType::Facility(F::Hospital)) => "Hospital",
        (_, RecordType::Facility(F::Clinic | F::CheckupCenter)) => "MedicalClinic",
        (_, RecordType::Facility(F::DentalClinic)) => "Dentist",
        (_, RecordType::Facility(F::Pharmacy)) => "Pharmacy",
        (_, RecordType::Facility(F::HealthCenter)) => "GovernmentOffice",
        (Kind::Facilities, _) => "MedicalOrganization",
        (_, RecordType::Park(P::Park | P::WalkingCourse)) => "Park",
        (_, RecordType::Park(P::Pool)) => "PublicSwimmingPool",
        (_, RecordType::Park(P::SportsFacility)) => "SportsActivityLocation",
        (Kind::Parks, _) => "Place",
        (Kind::Restaurants, _) => "Restaurant",
        // Public bodies offer government services; registered private counseling is a Service.
        (
            _,
            RecordType::Consultation(
                C::PublicHealthCenter
                | C::MentalHealthCenter
                | C::OccupationalHealthCenter
                | C::RegionalOccupationalHealthCenter
                | C::Hotline,
            ),
        ) => "GovernmentService",
        (Kind::Consultation, _) => "Service",
    }
}

fn address(model: &Model, i: RecordId, r: &Record) -> Option<Value> {
    let street = r.address.as_ref()?;
    let mut a =
        json!({ "@type": "PostalAddress", "streetAddress": street.value, "addressCountry": "JP" });
    if let Some(p) = model.site.placements[i] {
        let m = &model.site.geo.municipalities[p.municipality];
        a["addressLocality"] = json!(m.name);
        let area = &model.site.geo.areas[p.area];
        a["addressRegion"] = json!(model.site.areas_files[area.prefecture].prefecture.name);
    }
    Some(a)
}

/// Salt (食塩相当量, g) as sodium (mg): 1 g of salt holds 393.4 mg of sodium.
fn sodium_mg(salt_g: f64) -> f64 {
    (salt_g * 393.4).round()
}

/// What a record page's JSON-LD says of a place and how to reach it, in schema.org's terms.
struct Reach {
    phone: Option<String>,
    location: Option<Value>,
    hours: Vec<Value>,
    same_as: Vec<String>,
}

impl Reach {
    fn of(model: &Model, r: &Record) -> Reach {
        let hours = model
            .hours_of(r)
            .map(|h| {
                h.week
                    .opening_hours_specification()
                    .iter()
                    .map(|s| {
                        json!({ "@type": "OpeningHoursSpecification",
                                "dayOfWeek": s.day_names(),
                                "opens": s.opens, "closes": s.closes })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Reach {
            phone: r.phone.first().map(|p| p.value.value.clone()),
            location: r.location.as_ref().map(
                |l| json!({ "@type": "GeoCoordinates", "latitude": l.lat, "longitude": l.lon }),
            ),
            hours,
            same_as: r.url.iter().map(|u| u.value.value.clone()).collect(),
        }
    }
}

/// The JSON-LD object of record `i`, for the page in `lang` at `url`.
pub fn record(model: &Model, i: RecordId, lang: Lang, url: &str) -> Value {
    let r = model.record(i);
    let ty = schema_type(r);
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!(ty));
    o.insert("@id".into(), json!(url));
    o.insert("url".into(), json!(url));
    o.insert("name".into(), json!(r.name.value));
    o.insert("inLanguage".into(), json!(lang.as_str()));
    if let Some(en) = &r.name_en {
        o.insert("alternateName".into(), json!(en.value));
    }
    let description = match lang {
        Lang::En => r.description_en.as_ref().or(r.description.as_ref()),
        Lang::Ja => r.description.as_ref(),
    };
    if let Some(d) = description {
        o.insert(
            "description".into(),
            json!(crate::text::markdown::plain_summary(d, 300)),
        );
    }
    let reach = Reach::of(model, r);
    if ty == "GovernmentService" || ty == "Service" {
        service(model, i, r, &reach, &mut o);
    } else {
        place(model, i, r, ty, &reach, &mut o);
    }
    if !reach.same_as.is_empty() {
        o.insert("sameAs".into(), json!(reach.same_as));
    }
    Value::Object(o)
}

/// A service, offered through channels: a place to visit, a phone number, a web page; and
/// for a consultation body, its topics, audiences and the municipalities it serves.
fn service(model: &Model, i: RecordId, r: &Record, reach: &Reach, o: &mut Map<String, Value>) {
    let mut place = json!({ "@type": "Place", "name": r.name.value });
    if let Some(a) = address(model, i, r) {
        place["address"] = a;
    }
    if let Some(g) = &reach.location {
        place["geo"] = g.clone();
    }
    if !reach.hours.is_empty() {
        place["openingHoursSpecification"] = json!(reach.hours);
    }
    let mut channel = json!({ "@type": "ServiceChannel", "serviceLocation": place });
    if let Some(p) = &reach.phone {
        channel["servicePhone"] = json!({ "@type": "ContactPoint", "telephone": p });
    }
    if let Some(u) = reach.same_as.first() {
        channel["serviceUrl"] = json!(u);
    }
    if !r.languages.is_empty() {
        channel["availableLanguage"] = json!(
            r.languages
                .iter()
                .map(|l| l.value.clone())
                .collect::<Vec<_>>()
        );
    }
    o.insert("availableChannel".into(), json!([channel]));
    o.insert(
        "provider".into(),
        json!({ "@type": "Organization", "name": r.name.value }),
    );
    let Details::Consultation(c) = &r.details else {
        return;
    };
    if !c.topics.is_empty() {
        o.insert(
            "serviceType".into(),
            json!(c.topics.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
        );
    }
    if !c.audiences.is_empty() {
        o.insert(
            "audience".into(),
            json!(
                c.audiences
                    .iter()
                    .map(|a| json!({ "@type": "Audience", "audienceType": a.as_str() }))
                    .collect::<Vec<_>>()
            ),
        );
    }
    let served: Vec<Value> = c
        .serves
        .iter()
        .filter_map(|code| model.site.geo.municipality(code.value))
        .map(|m| json!({ "@type": "AdministrativeArea", "name": model.site.geo.municipalities[m].name }))
        .collect();
    if !served.is_empty() {
        o.insert("areaServed".into(), json!(served));
    }
}

/// A place: address, contacts, hours, accessibility, and what its kind adds (a hospital's
/// specialties, a restaurant's menu).
fn place(
    model: &Model,
    i: RecordId,
    r: &Record,
    ty: &str,
    reach: &Reach,
    o: &mut Map<String, Value>,
) {
    if let Some(a) = address(model, i, r) {
        o.insert("address".into(), a);
    }
    if let Some(g) = &reach.location {
        o.insert("geo".into(), g.clone());
    }
    if let Some(p) = &reach.phone {
        o.insert("telephone".into(), json!(p));
    }
    if !reach.hours.is_empty() {
        o.insert("openingHoursSpecification".into(), json!(reach.hours));
    }
    if let Some(fax) = &r.fax {
        o.insert("faxNumber".into(), json!(fax.value));
    }
    if let Some(email) = &r.email {
        o.insert("email".into(), json!(email.value));
    }
    if !r.accessibility.is_empty() {
        o.insert(
            "amenityFeature".into(),
            json!(r.accessibility.iter().map(|a| json!({ "@type": "LocationFeatureSpecification", "name": a.as_str(), "value": true })).collect::<Vec<_>>()),
        );
    }
    match &r.details {
        Details::Facility(d) if !d.departments.is_empty() && ty != "GovernmentOffice" => {
            o.insert("medicalSpecialty".into(), json!(d.departments));
        }
        Details::Restaurant(d) => {
            if d.smoke_free == Some(true) {
                o.insert("smokingAllowed".into(), json!(false));
            }
            if !d.menus.is_empty() {
                let items: Vec<Value> = d.menus.iter().map(menu_item).collect();
                o.insert(
                    "hasMenu".into(),
                    json!({ "@type": "Menu", "hasMenuItem": items }),
                );
            }
            o.insert("servesCuisine".into(), json!("Japanese"));
        }
        _ => {}
    }
    if let Some(fee) = r.fee {
        o.insert("isAccessibleForFree".into(), json!(fee.as_str() == "free"));
    }
}

/// A healthy-menu item with its nutrition, the diets it suits and its price.
fn menu_item(m: &crate::registry::Menu) -> Value {
    let mut item = json!({ "@type": "MenuItem", "name": m.name });
    let mut nutrition = json!({ "@type": "NutritionInformation" });
    if let Some(k) = m.kcal {
        nutrition["calories"] = json!(format!("{k} kcal"));
    }
    if let Some(s) = m.salt_g {
        nutrition["sodiumContent"] = json!(format!("{} mg", sodium_mg(s)));
    }
    item["nutrition"] = nutrition;
    // The スマートミール criteria: under 3.0 g of salt, 450–650 kcal.
    let mut diets = Vec::new();
    if m.salt_g.is_some_and(|s| s < 3.0) {
        diets.push("https://schema.org/LowSaltDiet");
    }
    if m.kcal.is_some_and(|k| k <= 650.0) {
        diets.push("https://schema.org/LowCalorieDiet");
    }
    if !diets.is_empty() {
        item["suitableForDiet"] = json!(diets);
    }
    if let Some(p) = m.price_yen {
        item["offers"] = json!({ "@type": "Offer", "price": p, "priceCurrency": "JPY" });
    }
    item
}

/// JSON made safe inside a `<script>` element: `<`, `>` and `&` as \u escapes (still valid
/// JSON), so no text from the registry can close the element.
pub fn script_safe(value: &Value) -> String {
    serde_json::to_string(value)
        .expect("JSON serialises")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_cannot_close_the_element() {
        let v = json!({ "name": "</script><script>alert(1)</script> & co" });
        let s = script_safe(&v);
        assert!(!s.contains("</script"));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn sodium_from_salt() {
        assert_eq!(sodium_mg(2.5), 984.0);
    }
}
