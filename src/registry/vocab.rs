//! Controlled vocabularies of the registry schema (the README's "Registry files").
//!
//! Each vocabulary is an enum with its YAML spelling; labels in Japanese and English live in
//! the theme's i18n files so that a council can reword them without touching code.

use serde::Serialize;

/// A closed list of values written as lowercase snake_case strings in YAML.
pub trait Vocab: Sized + Copy + PartialEq + 'static {
    /// What the vocabulary is called in messages ("fee", "accessibility feature").
    const WHAT: &'static str;
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
    fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|v| v.as_str())
    }
}

macro_rules! vocab {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),* }

        impl Vocab for $name {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($name::$variant),*];
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocab!(
    /// 医療・保健施設
    FacilityType, "facility type" {
        Hospital = "hospital",
        Clinic = "clinic",
        DentalClinic = "dental_clinic",
        Pharmacy = "pharmacy",
        HealthCenter = "health_center",
        CheckupCenter = "checkup_center",
        Other = "other",
    }
);

vocab!(
    /// 公園・運動施設
    ParkType, "park type" {
        Park = "park",
        SportsFacility = "sports_facility",
        Pool = "pool",
        WalkingCourse = "walking_course",
        Other = "other",
    }
);

vocab!(
    /// ヘルシーメニュー協力店
    RestaurantType, "restaurant type" {
        Restaurant = "restaurant",
        Cafeteria = "cafeteria",
        Takeout = "takeout",
        Other = "other",
    }
);

vocab!(
    /// 相談機関
    ConsultationType, "consultation type" {
        OccupationalHealthCenter = "occupational_health_center",
        RegionalOccupationalHealthCenter = "regional_occupational_health_center",
        MentalHealthCenter = "mental_health_center",
        MentalHealthCounseling = "mental_health_counseling",
        PublicHealthCenter = "public_health_center",
        Hotline = "hotline",
        Other = "other",
    }
);

vocab!(
    Fee, "fee" {
        Free = "free",
        Paid = "paid",
        Insurance = "insurance",
    }
);

vocab!(
    /// `closed` records are not published as pages but stay in the exports with their status.
    Status, "status" {
        Active = "active",
        Suspended = "suspended",
        Closed = "closed",
    }
);

vocab!(
    Accessibility, "accessibility feature" {
        Wheelchair = "wheelchair",
        StepFree = "step_free",
        Elevator = "elevator",
        AccessibleToilet = "accessible_toilet",
        Ostomate = "ostomate",
        Parking = "parking",
        AccessibleParking = "accessible_parking",
        Braille = "braille",
        SignLanguage = "sign_language",
        WrittenCommunication = "written_communication",
        HearingLoop = "hearing_loop",
        AssistanceDogs = "assistance_dogs",
        Nursing = "nursing_room",
    }
);

vocab!(
    Amenity, "park amenity" {
        Toilet = "toilet",
        DrinkingWater = "drinking_water",
        ExerciseEquipment = "exercise_equipment",
        WalkingCourse = "walking_course",
        Parking = "parking",
        Playground = "playground",
        Shower = "shower",
        Lockers = "lockers",
        Benches = "benches",
    }
);

vocab!(
    Audience, "audience" {
        Workers = "workers",
        Employers = "employers",
        SmallWorkplaces = "small_workplaces",
        Supervisors = "supervisors",
        Residents = "residents",
        Families = "families",
        HealthStaff = "health_staff",
        Elderly = "elderly",
        Youth = "youth",
    }
);

vocab!(
    Topic, "topic" {
        MentalHealth = "mental_health",
        LongHoursInterview = "long_hours_interview",
        HighStressInterview = "high_stress_interview",
        HealthCheckOpinion = "health_check_opinion",
        HealthGuidance = "health_guidance",
        WorkplaceVisit = "workplace_visit",
        StressCheck = "stress_check",
        Addiction = "addiction",
        SuicidePrevention = "suicide_prevention",
        ReturnToWork = "return_to_work",
        TreatmentWorkBalance = "treatment_work_balance",
        Harassment = "harassment",
        ElderlyCare = "elderly_care",
        Dementia = "dementia",
        MaternalChild = "maternal_child",
        InfectiousDisease = "infectious_disease",
        Nutrition = "nutrition",
        SmokingCessation = "smoking_cessation",
        GeneralHealth = "general_health",
    }
);

vocab!(
    Channel, "channel" {
        Visit = "visit",
        Phone = "phone",
        Email = "email",
        Online = "online",
        Sns = "sns",
        Outreach = "outreach",
    }
);

vocab!(
    Reservation, "reservation" {
        Required = "required",
        Recommended = "recommended",
        None = "none",
    }
);

/// ISO 639-1 two-letter language codes, for `languages`.
pub const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi",
    "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de",
    "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy",
    "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia",
    "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk",
    "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo",
    "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd",
    "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl",
    "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl",
    "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk",
    "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa",
    "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips() {
        for t in Topic::ALL {
            assert_eq!(Topic::parse(t.as_str()), Some(*t));
        }
        assert_eq!(Fee::parse("gratis"), None);
    }

    #[test]
    fn iso_codes_are_sorted_and_unique() {
        assert_eq!(ISO_639_1.len(), 183);
        assert!(ISO_639_1.windows(2).all(|w| w[0] < w[1]));
    }
}
