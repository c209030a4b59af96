//! 自治体標準オープンデータセット-style CSV -> registry records.
//!
//! Headers are matched after NFKC, whitespace removal and lower-casing, so `telephone　number`,
//! `名　　称`, `№` and `#property` are recognised; `--column FIELD=COLUMN` overrides the
//! detection. Columns that hold people's names (開設者, 法人代表者, corporateRepresentative,
//! establisher, ...) are never read, whatever the options say. Other columns that map to no
//! field are dropped and reported once.

use std::collections::BTreeMap;

use super::columns;
use super::hours;
use super::table::{self, Row, Table};
use super::text::{
    clean_address, clean_latin, clean_name, clean_text, header_key, id_part, looks_latin,
    muni_code6, nfkc, prefix_from_file_name, slug,
};
use super::yaml::flow_scalar;
use super::{
    Contact, Extra, ImportError, Imported, Kind, Labelled, LatLon, OdsArgs, Record, Warning,
};
use crate::cells::{ContactKind, parse_bool, parse_contacts, parse_keys, parse_texts};
use crate::registry::vocab::{
    Accessibility, Amenity, Audience, Channel, Fee, ISO_639_1, Reservation, Status, Topic, Vocab,
};

/// The registry fields a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Id,
    Name,
    NameKana,
    NameEn,
    Address,
    /// The parts of a split address (推奨データセット 2024: 所在地_都道府県, …, 建物名等(方書)).
    AddressPrefecture,
    AddressCity,
    AddressTown,
    AddressRest,
    Building,
    Lat,
    Lon,
    Phone,
    Fax,
    Email,
    Url,
    Days,
    Start,
    End,
    HoursNote,
    Description,
    Departments,
    /// More departments in free text (熊本市: 診療科目その他).
    DepartmentsOther,
    Beds,
    Municipality,
    // kenkomap's own columns (see `export::csv`).
    Type,
    Hours,
    Fee,
    Accessibility,
    Languages,
    Status,
    Verified,
    ValidUntil,
    Source,
    Sample,
    DescriptionEn,
    Emergency,
    Checkups,
    Amenities,
    CourseKm,
    SmokeFree,
    CertificationName,
    CertificationSince,
    CertificationUntil,
    Menus,
    Audiences,
    Topics,
    Channels,
    MaxEmployees,
    Reservation,
    Anonymous,
    Serves,
    RegistrationNumber,
    RegistrationUntil,
    /// `codes.medical_institution` (医療機関コード) and `codes.mhlw` (医療情報ネットID).
    CodeMedicalInstitution,
    CodeMhlw,
    /// 地方公共団体名, 市区町村名: the municipality of a row without a code the site knows.
    MunicipalityName,
}

impl Field {
    const ALL: &'static [(&'static str, Field)] = &[
        ("id", Field::Id),
        ("name", Field::Name),
        ("name_kana", Field::NameKana),
        ("name_en", Field::NameEn),
        ("address", Field::Address),
        ("lat", Field::Lat),
        ("lon", Field::Lon),
        ("phone", Field::Phone),
        ("fax", Field::Fax),
        ("email", Field::Email),
        ("url", Field::Url),
        ("days", Field::Days),
        ("start", Field::Start),
        ("end", Field::End),
        ("hours_note", Field::HoursNote),
        ("description", Field::Description),
        ("departments", Field::Departments),
        ("beds", Field::Beds),
        ("municipality", Field::Municipality),
        ("hours", Field::Hours),
        ("fee", Field::Fee),
        ("accessibility", Field::Accessibility),
        ("languages", Field::Languages),
        ("status", Field::Status),
        ("verified", Field::Verified),
        ("valid_until", Field::ValidUntil),
        ("source", Field::Source),
        ("sample", Field::Sample),
        ("description_en", Field::DescriptionEn),
        ("emergency", Field::Emergency),
        ("checkups", Field::Checkups),
        ("amenities", Field::Amenities),
        ("course_km", Field::CourseKm),
        ("smoke_free", Field::SmokeFree),
        ("certification.name", Field::CertificationName),
        ("certification.since", Field::CertificationSince),
        ("certification.until", Field::CertificationUntil),
        ("menus", Field::Menus),
        ("audiences", Field::Audiences),
        ("topics", Field::Topics),
        ("channels", Field::Channels),
        ("max_employees", Field::MaxEmployees),
        ("reservation", Field::Reservation),
        ("anonymous", Field::Anonymous),
        ("serves", Field::Serves),
        ("registration.number", Field::RegistrationNumber),
        ("registration.until", Field::RegistrationUntil),
        ("codes.medical_institution", Field::CodeMedicalInstitution),
        ("codes.mhlw", Field::CodeMhlw),
    ];

    pub fn parse(s: &str) -> Option<Field> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, f)| *f)
    }

    /// The headers of `kenkomap build`'s CSV exports that the standard detection below does not
    /// already know.
    fn export_header(key: &str) -> Option<Field> {
        use crate::cells::col;
        const TABLE: &[(&str, Field)] = &[
            (col::MUNICIPALITY_NAME, Field::MunicipalityName),
            (col::TYPE, Field::Type),
            (col::HOURS, Field::Hours),
            (col::FEE, Field::Fee),
            (col::ACCESSIBILITY, Field::Accessibility),
            (col::LANGUAGES, Field::Languages),
            (col::STATUS, Field::Status),
            (col::VERIFIED, Field::Verified),
            (col::VALID_UNTIL, Field::ValidUntil),
            (col::SOURCE, Field::Source),
            (col::SAMPLE, Field::Sample),
            (col::DESCRIPTION_EN, Field::DescriptionEn),
            (col::EMERGENCY, Field::Emergency),
            (col::CHECKUPS, Field::Checkups),
            (col::AMENITIES, Field::Amenities),
            (col::COURSE_KM, Field::CourseKm),
            (col::SMOKE_FREE, Field::SmokeFree),
            (col::CERTIFICATION_NAME, Field::CertificationName),
            (col::CERTIFICATION_SINCE, Field::CertificationSince),
            (col::CERTIFICATION_UNTIL, Field::CertificationUntil),
            (col::MENUS, Field::Menus),
            (col::AUDIENCES, Field::Audiences),
            (col::TOPICS, Field::Topics),
            (col::CHANNELS, Field::Channels),
            (col::MAX_EMPLOYEES, Field::MaxEmployees),
            (col::RESERVATION, Field::Reservation),
            (col::ANONYMOUS, Field::Anonymous),
            (col::SERVES, Field::Serves),
            (col::REGISTRATION_NUMBER, Field::RegistrationNumber),
            (col::REGISTRATION_UNTIL, Field::RegistrationUntil),
            (col::MEDICAL_INSTITUTION_CODE, Field::CodeMedicalInstitution),
            (col::MHLW_ID, Field::CodeMhlw),
        ];
        TABLE
            .iter()
            .find(|(h, _)| header_key(h) == key)
            .map(|(_, f)| *f)
    }

    /// The kind whose field this is, for the kind fields.
    fn kind(self) -> Option<Kind> {
        use Field::*;
        match self {
            Departments | Beds | Emergency | Checkups => Some(Kind::Facilities),
            Amenities | CourseKm => Some(Kind::Parks),
            SmokeFree | CertificationName | CertificationSince | CertificationUntil | Menus => {
                Some(Kind::Restaurants)
            }
            Audiences | Topics | Channels | MaxEmployees | Reservation | Anonymous | Serves
            | RegistrationNumber | RegistrationUntil => Some(Kind::Consultation),
            _ => None,
        }
    }

    pub(super) fn auto(key: &str) -> Option<Field> {
        if let Some(f) = Self::export_header(key) {
            return Some(f);
        }
        Some(match key {
            "#property" | "no" | "no." | "id" | "番号" | "通し番号" | "識別番号" => {
                Field::Id
            }
            "名称" | "施設名" | "施設名称" | "施設正式名称" | "正式名称" | "事業所名"
            | "事業所名称" | "医療機関名" | "医療機関名称" => Field::Name,
            "名称_カナ"
            | "名称カナ"
            | "名称(カナ)"
            | "名称(かな)"
            | "名称_かな"
            | "ふりがな"
            | "フリガナ"
            | "よみがな"
            | "ヨミガナ"
            | "カナ"
            | "namekana"
            | "name_kana"
            | "施設名カナ"
            | "施設名(カナ)"
            | "名称_ふりがな" => Field::NameKana,
            "名称_英字" | "名称(英字)" | "名称英字" | "名称_英語" | "英語名" | "英語名称"
            | "name_en" | "nameen" | "englishname" => Field::NameEn,
            "latitude" | "緯度" | "lat" => Field::Lat,
            "longitude" | "経度" | "lon" | "lng" | "long" => Field::Lon,
            "address"
            | "住所"
            | "所在地"
            | "所在地_連結表記"
            | "所在地_全体"
            | "所在地(住所)"
            | "住所(所在地)"
            | "所在地住所"
            | "所在地_住所"
            | "施設住所" => Field::Address,
            "市区町村名" | "自治体名" | "municipalityname" => Field::MunicipalityName,
            "所在地_都道府県" => Field::AddressPrefecture,
            "所在地_市区町村" => Field::AddressCity,
            "所在地_町字" => Field::AddressTown,
            // 所在地_ｰ以下: a corrupted spelling in 山口市's files.
            "所在地_番地以下" | "所在地_ー以下" => Field::AddressRest,
            "建物名等(方書)" | "方書" | "建物名等" | "建物名" => Field::Building,
            "telephonenumber"
            | "telephone"
            | "電話番号"
            | "tel"
            | "phone"
            | "電話"
            | "telno"
            | "代表電話番号"
            | "連絡先電話番号"
            | "tel番号"
            | "電話番号(代表)" => Field::Phone,
            "faxnumber"
            | "fax"
            | "fax番号"
            | "ファックス"
            | "ファクス"
            | "ファックス番号"
            | "ファクス番号" => Field::Fax,
            "email"
            | "e-mail"
            | "メールアドレス"
            | "mail"
            | "連絡先メールアドレス"
            | "メール"
            | "emailaddress" => Field::Email,
            "referenceobject"
            | "url"
            | "ホームページ"
            | "website"
            | "homepage"
            | "ホームページurl"
            | "ホームページアドレス"
            | "hp"
            | "webサイト"
            | "ウェブサイト"
            | "公式サイト"
            | "url(ホームページ)" => Field::Url,
            "availabledate" | "利用可能曜日" | "開館曜日" | "診療曜日" | "営業曜日"
            | "受付曜日" => Field::Days,
            "starttime" | "開始時間" | "開館時間" | "開始時刻" | "診療開始時間"
            | "診療開始時刻" | "営業開始時間" | "受付開始時間" => Field::Start,
            "endtime" | "終了時間" | "閉館時間" | "終了時刻" | "診療終了時間" | "診療終了時刻"
            | "営業終了時間" | "受付終了時間" => Field::End,
            "availabledatenote"
            | "利用可能日時特記事項"
            | "利用可能時間特記事項"
            | "診療日時特記事項"
            | "診療時間特記事項"
            | "営業日時特記事項"
            | "開館日時特記事項" => Field::HoursNote,
            "note" | "備考" | "説明" | "概要" | "紹介" | "施設紹介" | "施設概要" | "説明文"
            | "description" | "特徴" => Field::Description,
            "medicalsubjects" | "診療科目" | "診療科" | "標榜科目" | "診療科名" => {
                Field::Departments
            }
            "診療科目その他" | "その他診療科目" | "その他の診療科目" => {
                Field::DepartmentsOther
            }
            "numberofbeds" | "病床数" | "許可病床数" | "総病床数" | "病床数合計" => {
                Field::Beds
            }
            "prefcode"
            | "全国地方公共団体コード"
            | "地方公共団体コード"
            | "都道府県コード又は市区町村コード"
            | "市区町村コード"
            | "municipalitycode"
            | "citycode"
            | "lgcode"
            | "admin_code"
            | "行政区域コード" => Field::Municipality,
            "紹介文" | "施設紹介文" | "施設説明" | "概要説明" | "introduction" => {
                Field::Description
            }
            // AED設置箇所一覧: where in the building (１階ロビー) is what a visitor needs.
            "設置位置" | "設置場所" => Field::Description,
            // 公園URL, 病院ホームページ: a home page named after the kind of place.
            _ if (key.ends_with("url") || key.ends_with("ホームページ"))
                && !["form", "画像", "image", "地図", "map"]
                    .iter()
                    .any(|x| key.contains(x)) =>
            {
                Field::Url
            }
            _ => {
                // 歯科技工所名, 助産所名: "<something>名", but not 市区町村名 and the like.
                if (key.ends_with('名') || key.ends_with("名称"))
                    && key.chars().count() > 2
                    && ![
                        "都道府県",
                        "市区町村",
                        "地方公共団体",
                        "法人",
                        "代表",
                        "開設",
                        "管理",
                        "通称",
                        "団体",
                    ]
                    .iter()
                    .any(|x| key.contains(x))
                {
                    Field::Name
                } else {
                    return None;
                }
            }
        })
    }
}

/// Headers of columns that hold people's names. They are never imported.
pub(super) fn is_personal(key: &str) -> bool {
    [
        "開設者",
        "代表者",
        "管理者",
        "院長",
        "施設長",
        "氏名",
        "担当者",
        "corporaterepresentative",
        "establisher",
        "representative",
        "administrator",
        "director",
        "contactperson",
    ]
    .iter()
    .any(|p| key.contains(p))
}

/// How records get their `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRule {
    Fixed(String),
    /// Column header and value -> type; with an empty map, the values are the types.
    FromColumn {
        column: String,
        map: Vec<(String, String)>,
    },
    /// The values of the `種別キー` column (kenkomap's CSV export) are the types.
    KeyColumn,
}

/// Options of [`import_ods`].
#[derive(Debug, Clone)]
pub struct OdsOptions {
    /// The file name, for the header comment and the default id prefix.
    pub source_file: String,
    pub kind: Kind,
    pub type_rule: TypeRule,
    pub id_prefix: String,
    /// Keep the source's ids as they are (they must be slugs) instead of `<prefix>-<id>`.
    /// `None`: keep them when the file is a kenkomap export (it has a `種別キー` column).
    pub keep_ids: Option<bool>,
    pub id_column: Option<String>,
    /// Explicit column for a field (header as written in the CSV).
    pub columns: Vec<(Field, String)>,
    /// Default municipality, 6 digits.
    pub municipality: Option<String>,
    /// Prefix addresses with the prefecture and municipality names (from `municipality_names`).
    pub address_relative: bool,
    /// 6-digit code -> (prefecture name, municipality name).
    pub municipality_names: BTreeMap<String, (String, String)>,
    pub source: Option<String>,
    /// Extra `defaults:` fields from `--set FIELD=YAML`.
    pub set: Vec<(String, String)>,
    /// Readings (name -> kana) for names whose row has none (`--kana FILE`).
    pub kana: BTreeMap<String, String>,
    /// The types `site.yaml` adds to the kind (not reported as unknown).
    pub site_types: Vec<String>,
    /// `--where` / `--where-not`: which rows are imported.
    pub filters: Vec<Filter>,
    /// The command line, for the header comment.
    pub command: String,
}

impl OdsOptions {
    /// Options with defaults: id prefix from the file name, no source.
    pub fn new(source_file: &str, kind: Kind, type_rule: TypeRule) -> Self {
        OdsOptions {
            source_file: source_file.to_owned(),
            kind,
            type_rule,
            id_prefix: prefix_from_file_name(source_file),
            keep_ids: None,
            id_column: None,
            columns: Vec::new(),
            municipality: None,
            address_relative: false,
            municipality_names: BTreeMap::new(),
            source: None,
            set: Vec::new(),
            site_types: Vec::new(),
            kana: BTreeMap::new(),
            filters: Vec::new(),
            command: String::new(),
        }
    }

    pub fn from_args(a: &OdsArgs) -> Result<Self, ImportError> {
        let type_rule = match (&a.record_type, &a.type_from) {
            (None, None) if a.type_map.is_empty() => TypeRule::KeyColumn,
            (Some(t), None) => TypeRule::Fixed(t.clone()),
            // Without --type-from, --type-map reads the file's type column (see `type_column_key`).
            (None, col) => TypeRule::FromColumn {
                column: col.clone().unwrap_or_default(),
                map: a
                    .type_map
                    .iter()
                    .map(|kv| {
                        kv.split_once('=')
                            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                            .ok_or_else(|| {
                                ImportError::Usage(format!(
                                    "--type-map {kv:?}: expected VALUE=TYPE"
                                ))
                            })
                    })
                    .collect::<Result<_, _>>()?,
            },
            (Some(_), Some(_)) => {
                return Err(ImportError::Usage(
                    "give the records' type once: --type TYPE, or --type-from COLUMN [--type-map VALUE=TYPE,...]"
                        .into(),
                ));
            }
        };
        let name = a
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut o = OdsOptions::new(&name, a.kind, type_rule);
        if let Some(p) = &a.id_prefix {
            o.id_prefix = slug(p);
        }
        if o.id_prefix.is_empty() {
            return Err(ImportError::Usage(
                "the id prefix is empty: pass --id-prefix PREFIX ([a-z0-9-]), or --keep-ids to keep the file's ids"
                    .into(),
            ));
        }
        o.keep_ids = if a.keep_ids {
            Some(true)
        } else if a.id_prefix.is_some() {
            Some(false)
        } else {
            None
        };
        o.id_column = a.id_column.clone();
        for c in &a.columns {
            let (f, col) = c.split_once('=').ok_or_else(|| {
                ImportError::Usage(format!("--column {c:?}: expected FIELD=COLUMN"))
            })?;
            let field = Field::parse(f.trim()).ok_or_else(|| {
                ImportError::Usage(format!(
                    "--column {c:?}: unknown field {f:?}; one of {}",
                    Field::ALL
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            o.columns.push((field, col.to_owned()));
        }
        o.municipality = a
            .municipality
            .as_deref()
            .map(muni_code6)
            .transpose()
            .map_err(|e| ImportError::Usage(format!("--municipality: {e}")))?;
        o.address_relative = a.address_relative;
        for w in &a.where_ {
            o.filters.push(Filter::parse(w, true)?);
        }
        for w in &a.where_not {
            o.filters.push(Filter::parse(w, false)?);
        }
        o.source = a.source.clone();
        for kv in &a.set {
            let (field, value) = kv
                .split_once('=')
                .ok_or_else(|| ImportError::Usage(format!("--set {kv:?}: expected FIELD=YAML")))?;
            // The value must be one YAML value on one line, or the output would not parse.
            let value = value.trim();
            if value.contains('\n') || serde_saphyr::from_str::<serde_json::Value>(value).is_err() {
                return Err(ImportError::Usage(format!(
                    "--set {kv:?}: the value is not one line of YAML"
                )));
            }
            o.set.push((field.trim().to_owned(), value.to_owned()));
        }
        Ok(o)
    }
}

enum Role {
    Field(Field),
    Type,
    Personal,
    /// Not known: reported once, with a suggestion.
    Dropped,
    /// A known column with no field: listed in the header comment.
    Known,
    /// Known and not needed (or a padding column without a header): not reported.
    Ignored,
    /// One column per 診療科, marked `○` (熊本市).
    DepartmentMark,
    /// A part of the bed count, summed (熊本市: 一般病床数, 療養病床数, …).
    BedPart,
}

/// The role of a column [`columns::detect`] does not know.
fn undetected_role(key: &str, kind: Kind) -> Role {
    if key.is_empty() {
        Role::Ignored
    } else if kind == Kind::Facilities && columns::is_bed_part(key) {
        Role::BedPart
    } else if kind == Kind::Facilities && columns::is_department_mark_column(key) {
        Role::DepartmentMark
    } else if columns::is_known(key) {
        Role::Known
    } else {
        Role::Dropped
    }
}

/// The header key of the column that decides the types: `--type-from`, or for a
/// `--type-map` without it the first column that says what kind of place a row is
/// (種別, 医療機関の種類, 施設区分, …), else the name column.
fn type_column_key(rule: &TypeRule, keys: &[String]) -> Option<String> {
    let TypeRule::FromColumn { column, .. } = rule else {
        return None;
    };
    if !column.is_empty() {
        return Some(header_key(column));
    }
    columns::type_column(keys)
        .or_else(|| {
            keys.iter()
                .position(|k| columns::detect(k) == Some(Field::Name))
        })
        .map(|i| keys[i].clone())
}

/// `--type` and the types of `--type-map` must be types of the kind (built in, or declared in
/// site.yaml): all unknown ones in one error, each with the closest type.
fn validate_types(opts: &OdsOptions) -> Result<(), ImportError> {
    let builtin = opts.kind.builtin_types();
    let known = |t: &str| builtin.contains(&t) || opts.site_types.iter().any(|s| s == t);
    let (flag, wanted): (&str, Vec<&str>) = match &opts.type_rule {
        TypeRule::Fixed(t) => ("--type", vec![t.as_str()]),
        TypeRule::FromColumn { map, .. } => {
            ("--type-map", map.iter().map(|(_, t)| t.as_str()).collect())
        }
        TypeRule::KeyColumn => return Ok(()),
    };
    let mut all: Vec<&str> = builtin.clone();
    all.extend(opts.site_types.iter().map(String::as_str));
    let mut bad: Vec<String> = Vec::new();
    for t in wanted.into_iter().filter(|t| !known(t)) {
        let closest = all
            .iter()
            .map(|k| (*k, strsim::jaro_winkler(t, k)))
            .filter(|(_, d)| *d > 0.75)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(k, _)| format!(" (did you mean {k}?)"))
            .unwrap_or_default();
        let line = format!("{t:?}{closest}");
        if !bad.contains(&line) {
            bad.push(line);
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    // Exit 1 like a problem in the file (2 is for a command line that does not parse).
    Err(ImportError::Input {
        what: flag.to_owned(),
        line: None,
        message: format!(
            "{} {} not a type of {}; the types are {} (or declare your own in site.yaml, \
         under types: {}:)",
            bad.join(", "),
            if bad.len() == 1 { "is" } else { "are" },
            opts.kind.as_str(),
            all.join(", "),
            opts.kind.as_str()
        ),
    })
}

/// Splits a cell holding one or more phone numbers or URLs, each optionally preceded by a
/// label in parentheses: `（保健医療政策課）  087-839-2860  （感染症対策課）  087-839-2870`.
/// Returns the values with their labels, and leftover text that is neither.
fn split_labelled(cell: &str, is_url: bool) -> (Vec<Labelled>, Vec<String>) {
    let mut items = Vec::new();
    let mut leftovers = Vec::new();
    let mut label = String::new();
    let chars: Vec<char> = cell.chars().collect();
    let mut i = 0;
    let trim_label = |s: &str| -> String {
        s.trim_matches(|c: char| c.is_whitespace() || "()（）【】[]「」、,，・/:：".contains(c))
            .to_owned()
    };
    while i < chars.len() {
        let rest: String = chars[i..].iter().collect();
        let is_start = if is_url {
            rest.starts_with("http://") || rest.starts_with("https://")
        } else {
            let c = fold_digit(chars[i]);
            c.is_ascii_digit()
        };
        if is_start {
            let mut j = i;
            while j < chars.len() {
                let c = chars[j];
                let ok = if is_url {
                    (c.is_ascii_graphic() && !"()<>\"".contains(c))
                        || (!c.is_ascii() && c.is_alphanumeric())
                } else {
                    let f = fold_digit(c);
                    f.is_ascii_digit() || f == '-'
                };
                if !ok {
                    break;
                }
                j += 1;
            }
            let raw: String = chars[i..j].iter().collect();
            if !is_url
                && raw
                    .chars()
                    .filter(|c| fold_digit(*c).is_ascii_digit())
                    .count()
                    < 6
            {
                // Digits in a label (第2課), not a number.
                label.push_str(&raw);
                i = j;
                continue;
            }
            let value: String = if is_url {
                raw.trim_end_matches(['.', ',', ';']).to_owned()
            } else {
                raw.chars()
                    .map(fold_digit)
                    .collect::<String>()
                    .trim_matches('-')
                    .to_owned()
            };
            let l = trim_label(&label);
            items.push(Labelled {
                value,
                label: (!l.is_empty()).then_some(l),
            });
            label.clear();
            i = j;
        } else {
            label.push(chars[i]);
            i += 1;
        }
    }
    let l = trim_label(&label);
    if !l.is_empty() {
        leftovers.push(l);
    }
    (items, leftovers)
}

fn fold_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '－' | '‐' | '‑' | '–' | '—' | '−' | 'ー' => '-',
        _ => c,
    }
}

/// Problems with a phone number or URL, by the same rules as `kenkomap check`, so that an
/// import never writes a value the validator refuses.
fn contact_problem(value: &str, is_url: bool) -> Option<String> {
    if is_url {
        crate::validate::formats::url_problem(value)
            .map(|p| format!("url {value} is not valid ({p})"))
    } else {
        crate::validate::formats::phone_problem(value)
            .map(|p| format!("phone {value} is not valid ({p})"))
    }
}

pub(super) fn contact(
    cell: &str,
    is_url: bool,
    line: u64,
    warnings: &mut Vec<Warning>,
    checks: &mut Vec<String>,
) -> Option<Contact> {
    let cell = cell.trim();
    if cell.is_empty() {
        return None;
    }
    let what = if is_url { "url" } else { "phone" };
    // `www.hazaki.jp` (医療情報ネット): a URL without its scheme.
    let with_scheme;
    let cell = if is_url
        && !cell.contains("://")
        && cell.contains('.')
        && cell.chars().all(|c| c.is_ascii_graphic())
    {
        with_scheme = format!("http://{cell}");
        warnings.push(Warning::at(
            line,
            format!("url {cell:?} has no scheme: {with_scheme} written"),
        ));
        with_scheme.as_str()
    } else {
        cell
    };
    if !is_url && says_none(cell) {
        return None;
    }
    let cell = if is_url {
        cell.to_owned()
    } else {
        area_code_in_brackets(cell)
    };
    let cell = cell.as_str();
    let (mut items, mut leftovers) = split_labelled(cell, is_url);
    // `0827-41-1477（錦川鉄道㈱）`: one number and a note after it, which says whose it is.
    if !is_url && items.len() == 1 && items[0].label.is_none() && leftovers.len() == 1 {
        items[0].label = leftovers.pop();
    }
    for l in leftovers {
        let msg = format!("{what}: text {l:?} in {cell:?} is not a {what}; dropped");
        warnings.push(Warning::at(line, msg.clone()));
        checks.push(msg);
    }
    // An internationalised host (www.岩国病院.jp) in its ASCII form.
    for it in items.iter_mut().filter(|_| is_url) {
        if let Some(ascii) = super::text::ascii_host(&it.value) {
            it.value = ascii;
        }
    }
    // Invalid values are left out of the field and kept, as written, in the CHECK comment.
    items.retain(|it| match contact_problem(&it.value, is_url) {
        Some(p) => {
            let p = format!("{p}: not written, fix and add it");
            warnings.push(Warning::at(line, p.clone()));
            checks.push(p);
            false
        }
        None => true,
    });
    match items.len() {
        0 => None,
        1 if items[0].label.is_none() => Some(Contact::One(items[0].value.clone())),
        _ => Some(Contact::Many(items)),
    }
}

/// Parses a coordinate pair. `0,0` and empty mean unknown. Returns the location or a problem.
pub(super) fn location(lat: &str, lon: &str) -> Result<Option<LatLon>, String> {
    let Some((la, lo, lat_s, lon_s)) = coordinates(lat, lon)? else {
        return Err("no latitude/longitude: the record has no location".into());
    };
    let japan = |la: f64, lo: f64| (20.0..=46.0).contains(&la) && (122.0..=154.0).contains(&lo);
    if japan(la, lo) {
        Ok(Some(LatLon {
            lat: round6(la),
            lon: round6(lo),
        }))
    } else if japan(lo, la) {
        Err(format!(
            "latitude/longitude {lat_s},{lon_s} look swapped; the record has no location"
        ))
    } else {
        Err(format!(
            "latitude/longitude {lat_s},{lon_s} are outside Japan: the record has no location"
        ))
    }
}

/// Both cells as numbers (and as normalised text, for messages); `None` when both are empty,
/// a problem when they are not numbers or are `0,0` (unknown).
fn coordinates(lat: &str, lon: &str) -> Result<Option<(f64, f64, String, String)>, String> {
    let (lat_s, lon_s) = (nfkc(lat), nfkc(lon));
    if lat_s.is_empty() && lon_s.is_empty() {
        return Ok(None);
    }
    let (Ok(la), Ok(lo)) = (lat_s.parse::<f64>(), lon_s.parse::<f64>()) else {
        return Err(format!(
            "latitude/longitude {lat_s:?},{lon_s:?} are not numbers: the record has no location"
        ));
    };
    if la == 0.0 && lo == 0.0 {
        return Err(format!(
            "latitude/longitude {lat_s},{lon_s} means unknown: the record has no location"
        ));
    }
    Ok(Some((la, lo, lat_s, lon_s)))
}

pub(super) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// True if the text has any letter, digit or ideograph (not only punctuation such as `、`).
fn has_content(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Items of a free-text list cell of another source (診療科目 `内科・外科、小児科`,
/// `内科;小児科`, `内科_小児科_眼科`, `緩和ケア内科 脳神経内科`): split on `、`, `,`, `;`, `_`,
/// spaces and line breaks, and on `・` between names that each end in 科 (but
/// `乳腺・内分泌外科` is one), cleaned, without duplicates.
fn split_texts(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let separators = ['、', ',', '，', ';', '；', '_', '\n', '\t', ' ', '\u{3000}'];
    for part in cell.split(separators) {
        for d in split_middle_dot(part) {
            let d = clean_name(d);
            if has_content(&d) && !out.contains(&d) {
                out.push(d);
            }
        }
    }
    out
}

fn split_middle_dot(s: &str) -> Vec<&str> {
    let parts: Vec<&str> = s.split(['・', '･']).collect();
    if parts.len() > 1 && parts.iter().all(|p| p.trim().ends_with('科')) {
        parts
    } else {
        vec![s]
    }
}

/// Names the cell of a sheet in the row's warnings just made (`place` is empty for a CSV file,
/// whose lines are enough).
fn in_column(warnings: &mut [Warning], place: &str) {
    if place.is_empty() {
        return;
    }
    for w in warnings
        .iter_mut()
        .filter(|w| w.line.is_some() && !w.message.starts_with("column "))
    {
        w.message = format!("{place}: {}", w.message);
    }
}

/// Cells that say there is no phone (岩国市's AED list: 電話なし).
fn says_none(cell: &str) -> bool {
    matches!(
        nfkc(cell).as_str(),
        "電話なし" | "なし" | "無し" | "無" | "-" | "ー" | "―" | "×" | "非公開" | "電話無し"
    )
}

/// `(0833)48-1111`, `（0835）53-0500` -> `0833-48-1111`: an area code in brackets.
fn area_code_in_brackets(cell: &str) -> String {
    let chars: Vec<char> = cell.chars().collect();
    let skip_spaces = |mut j: usize| {
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        j
    };
    let mut out = String::with_capacity(cell.len());
    let mut i = 0;
    while i < chars.len() {
        if matches!(chars[i], '(' | '（') {
            let start = skip_spaces(i + 1);
            let mut j = start;
            while chars
                .get(j)
                .is_some_and(|c| fold_digit(*c).is_ascii_digit())
            {
                j += 1;
            }
            let digits: String = chars[start..j].iter().map(|c| fold_digit(*c)).collect();
            let close = skip_spaces(j);
            let next = skip_spaces(close + 1);
            if digits.starts_with('0')
                && (2..=5).contains(&digits.len())
                && chars.get(close).is_some_and(|c| matches!(c, ')' | '）'))
                && chars
                    .get(next)
                    .is_some_and(|c| fold_digit(*c).is_ascii_digit())
            {
                out.push_str(&digits);
                out.push('-');
                i = next;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// `電話番号`/`URL` of a kenkomap export: values and labels exactly as written (see
/// `cells::contacts_cell`), each checked like [`contact`] checks them.
fn exact_contact(
    cell: &str,
    is_url: bool,
    line: u64,
    warnings: &mut Vec<Warning>,
    checks: &mut Vec<String>,
) -> Option<Contact> {
    let kind = if is_url {
        ContactKind::Url
    } else {
        ContactKind::Phone
    };
    let what = if is_url { "url" } else { "phone" };
    let items = match parse_contacts(cell, kind) {
        Ok(items) => items,
        Err(e) => {
            let msg = format!("{what}: {e}: not written");
            warnings.push(Warning::at(line, msg.clone()));
            checks.push(msg);
            return None;
        }
    };
    let items: Vec<Labelled> = items
        .into_iter()
        .filter(|it| match contact_problem(&it.value, is_url) {
            Some(p) => {
                let p = format!("{p}: not written, fix and add it");
                warnings.push(Warning::at(line, p.clone()));
                checks.push(p);
                false
            }
            None => true,
        })
        .map(|it| Labelled {
            value: it.value,
            label: it.label,
        })
        .collect();
    match items.len() {
        0 => None,
        1 if items[0].label.is_none() => Some(Contact::One(items[0].value.clone())),
        _ => Some(Contact::Many(items)),
    }
}

/// `緯度`/`経度` of a kenkomap export: as written (no rounding); empty is no location.
fn exact_location(lat: &str, lon: &str) -> Result<Option<LatLon>, String> {
    let Some((la, lo, lat_s, lon_s)) = coordinates(lat, lon)? else {
        return Ok(None);
    };
    if !(-90.0..=90.0).contains(&la) || !(-180.0..=180.0).contains(&lo) {
        return Err(format!(
            "latitude/longitude {lat_s},{lon_s} are out of range: the record has no location"
        ));
    }
    Ok(Some(LatLon { lat: la, lon: lo }))
}

/// A list of vocabulary keys: the known ones, and a problem for each unknown one.
fn keys_of<V: Vocab>(cell: &str, field: &str, problems: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for k in parse_keys(&nfkc(cell)) {
        if V::parse(&k).is_some() {
            out.push(k);
        } else {
            problems.push(format!(
                "{field}: {k:?} is not a {} ({}): not written",
                V::WHAT,
                V::names().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    out
}

/// The fields of kenkomap's own columns (and the kind fields beyond departments and beds),
/// into `r.extra` in the order of the registry schema.
fn more_fields<'a>(
    r: &mut Record,
    kind: Kind,
    get: &dyn Fn(Field) -> &'a str,
    exact: bool,
    problems: &mut Vec<String>,
) {
    let mut cells = ExtraCells {
        get,
        exact,
        problems,
        extra: Vec::new(),
    };
    match kind {
        Kind::Facilities => cells.facility(),
        Kind::Parks => cells.park(r),
        Kind::Restaurants => cells.restaurant(),
        Kind::Consultation => cells.consultation(),
    }
    cells.common(r);
    r.extra.extend(cells.extra);
}

/// One row's cells of kenkomap's own columns, read into `extra` (YAML values by field); a
/// value that cannot be written is left out and noted in `problems`.
struct ExtraCells<'g, 'a, 'p> {
    get: &'g dyn Fn(Field) -> &'a str,
    exact: bool,
    problems: &'p mut Vec<String>,
    extra: Vec<(String, Extra)>,
}

impl ExtraCells<'_, '_, '_> {
    fn push(&mut self, key: &str, value: Extra) {
        self.extra.push((key.to_owned(), value));
    }

    /// A list, when it has items.
    fn push_list(&mut self, key: &str, list: &[String]) {
        if !list.is_empty() {
            self.push(key, Extra::flow_list(list));
        }
    }

    fn text(&self, f: Field) -> Option<String> {
        let v = (self.get)(f);
        let v = if self.exact {
            v.to_owned()
        } else {
            clean_text(v)
        };
        (!v.is_empty()).then_some(v)
    }

    fn boolean(&mut self, f: Field, field: &str) -> Option<bool> {
        let v = (self.get)(f);
        if v.is_empty() {
            return None;
        }
        let b = parse_bool(v);
        if b.is_none() {
            self.problems
                .push(format!("{field}: {v:?} is not true or false: not written"));
        }
        b
    }

    fn date(&mut self, f: Field, field: &str) -> Option<String> {
        let v = nfkc((self.get)(f));
        if v.is_empty() {
            return None;
        }
        let d = v.parse::<jiff::civil::Date>().ok().map(|d| d.to_string());
        if d.is_none() {
            self.problems.push(format!(
                "{field}: {v:?} is not a date YYYY-MM-DD: not written"
            ));
        }
        d
    }

    fn count(&mut self, f: Field, field: &str) -> Option<u32> {
        let v = nfkc((self.get)(f));
        if v.is_empty() {
            return None;
        }
        let n = v.parse::<u32>().ok();
        if n.is_none() {
            self.problems
                .push(format!("{field}: {v:?} is not a whole number: not written"));
        }
        n
    }

    /// A value of a vocabulary.
    fn one_of<V: Vocab>(&mut self, f: Field, field: &str) -> Option<String> {
        let v = nfkc((self.get)(f));
        if v.is_empty() {
            return None;
        }
        let names: Vec<&str> = V::names().collect();
        if names.contains(&v.as_str()) {
            return Some(v);
        }
        self.problems.push(format!(
            "{field}: {v:?} is not one of {}: not written",
            names.join(", ")
        ));
        None
    }

    /// A list of the keys of a vocabulary.
    fn keys<V: Vocab>(&mut self, f: Field, field: &str) -> Vec<String> {
        keys_of::<V>((self.get)(f), field, self.problems)
    }

    fn facility(&mut self) {
        if let Some(b) = self.boolean(Field::Emergency, "emergency") {
            self.push("emergency", Extra::plain(b.to_string()));
        }
        let cell = (self.get)(Field::Checkups);
        let list = if self.exact {
            parse_texts(cell).unwrap_or_else(|e| {
                self.problems.push(format!("checkups: {e}: not written"));
                Vec::new()
            })
        } else {
            split_texts(cell)
        };
        self.push_list("checkups", &list);
    }

    fn park(&mut self, r: &mut Record) {
        r.amenities = self.keys::<Amenity>(Field::Amenities, "amenities");
        let v = nfkc((self.get)(Field::CourseKm));
        if v.is_empty() {
            return;
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => {
                self.push("course_km", Extra::plain(x.to_string()))
            }
            _ => self.problems.push(format!(
                "course_km: {v:?} is not a length in km: not written"
            )),
        }
    }

    fn restaurant(&mut self) {
        if let Some(b) = self.boolean(Field::SmokeFree, "smoke_free") {
            self.push("smoke_free", Extra::plain(b.to_string()));
        }
        let mut cert: Vec<(&str, String)> = Vec::new();
        if let Some(n) = self.text(Field::CertificationName) {
            cert.push(("name", flow_scalar(&n)));
        }
        if let Some(d) = self.date(Field::CertificationSince, "certification.since") {
            cert.push(("since", d));
        }
        if let Some(d) = self.date(Field::CertificationUntil, "certification.until") {
            cert.push(("until", d));
        }
        if !cert.is_empty() {
            self.push("certification", Extra::flow_map(&cert));
        }
        let cell = (self.get)(Field::Menus);
        if !cell.is_empty() {
            match menus(cell) {
                Ok(items) if !items.is_empty() => self.push("menus", Extra::Block(items)),
                Ok(_) => {}
                Err(e) => self.problems.push(format!("menus: {e}: not written")),
            }
        }
    }

    fn consultation(&mut self) {
        let audiences = self.keys::<Audience>(Field::Audiences, "audiences");
        self.push_list("audiences", &audiences);
        let topics = self.keys::<Topic>(Field::Topics, "topics");
        self.push_list("topics", &topics);
        let channels = self.keys::<Channel>(Field::Channels, "channels");
        self.push_list("channels", &channels);
        if let Some(n) = self.count(Field::MaxEmployees, "max_employees") {
            self.push("max_employees", Extra::plain(n.to_string()));
        }
        if let Some(v) = self.one_of::<Reservation>(Field::Reservation, "reservation") {
            self.push("reservation", Extra::plain(v));
        }
        if let Some(b) = self.boolean(Field::Anonymous, "anonymous") {
            self.push("anonymous", Extra::plain(b.to_string()));
        }
        let mut serves = Vec::new();
        for c in parse_keys(&nfkc((self.get)(Field::Serves))) {
            match muni_code6(&c) {
                Ok(c) => serves.push(c),
                Err(e) => self.problems.push(format!("serves: {e}: not written")),
            }
        }
        self.push_list("serves", &serves);
        let mut reg: Vec<(&str, String)> = Vec::new();
        if let Some(n) = self.text(Field::RegistrationNumber) {
            reg.push(("number", flow_scalar(&n)));
        }
        if let Some(d) = self.date(Field::RegistrationUntil, "registration.until") {
            reg.push(("until", d));
        }
        if !reg.is_empty() {
            self.push("registration", Extra::flow_map(&reg));
        }
    }

    /// The fields of every record.
    fn common(&mut self, r: &mut Record) {
        let mut languages = Vec::new();
        for l in parse_keys(&nfkc((self.get)(Field::Languages))) {
            if ISO_639_1.contains(&l.as_str()) {
                languages.push(l);
            } else {
                self.problems.push(format!(
                    "languages: {l:?} is not an ISO 639-1 code (ja, en, zh, ko, …): not written"
                ));
            }
        }
        self.push_list("languages", &languages);
        let accessibility = self.keys::<Accessibility>(Field::Accessibility, "accessibility");
        self.push_list("accessibility", &accessibility);
        if let Some(v) = self.one_of::<Fee>(Field::Fee, "fee") {
            self.push("fee", Extra::plain(v));
        }
        if let Some(d) = self.date(Field::Verified, "verified") {
            self.push("verified", Extra::plain(d));
        }
        if let Some(d) = self.date(Field::ValidUntil, "valid_until") {
            self.push("valid_until", Extra::plain(d));
        }
        if let Some(s) = self.text(Field::Source) {
            self.push("source", Extra::text(&s));
        }
        if self.boolean(Field::Sample, "sample") == Some(true) {
            self.push("sample", Extra::plain("true"));
        }
        if let Some(v) = self.one_of::<Status>(Field::Status, "status") {
            // The status column wins over a status read from the name; `active` is the default.
            r.status = (v != "active").then_some(v);
        }
        r.description_en = self.text(Field::DescriptionEn);
        self.codes(r);
    }

    fn codes(&mut self, r: &mut Record) {
        for (field, scheme) in [
            (Field::CodeMedicalInstitution, "medical_institution"),
            (Field::CodeMhlw, "mhlw"),
        ] {
            let v = nfkc((self.get)(field));
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let digits = v.len() <= 20 && v.chars().all(|c| c.is_ascii_digit());
            if digits && (scheme != "medical_institution" || v.len() == 10) {
                r.codes.push((scheme.to_owned(), v.to_owned()));
            } else {
                self.problems.push(format!(
                    "codes.{scheme}: {v:?} is not a code of digits: not written"
                ));
            }
        }
    }
}

/// `ヘルシーメニュー`: a JSON array of `{ name, kcal, salt_g, vegetables_g, price_yen }` ->
/// one YAML flow map per menu.
fn menus(cell: &str) -> Result<Vec<String>, String> {
    let list: Vec<serde_json::Value> =
        serde_json::from_str(cell).map_err(|e| format!("not a JSON array of menus ({e})"))?;
    let mut out = Vec::new();
    for m in list {
        let serde_json::Value::Object(m) = m else {
            return Err("a menu is an object { \"name\": …, \"kcal\": … }".into());
        };
        if let Some(k) = m.keys().find(|k| {
            !["name", "kcal", "salt_g", "vegetables_g", "price_yen"].contains(&k.as_str())
        }) {
            return Err(format!(
                "unknown menu field {k:?} (name, kcal, salt_g, vegetables_g, price_yen)"
            ));
        }
        let name = m
            .get("name")
            .and_then(|n| n.as_str())
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or("a menu needs a \"name\"")?;
        let mut entries: Vec<(&str, String)> = vec![("name", flow_scalar(name))];
        for k in ["kcal", "salt_g", "vegetables_g", "price_yen"] {
            let Some(v) = m.get(k).filter(|v| !v.is_null()) else {
                continue;
            };
            let ok = match k {
                "price_yen" => v.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)),
                _ => v.as_f64().is_some_and(|x| x >= 0.0),
            };
            if !ok {
                return Err(format!("menu {name:?}: {k} {v} is not a valid amount"));
            }
            entries.push((k, v.to_string()));
        }
        out.push(super::yaml::flow_map(&entries));
    }
    Ok(out)
}

/// An unknown column as the warning names it: its header, its letter in a sheet, and the
/// known header it is probably a misspelling of.
fn unknown_column(header: &str, i: usize, in_sheet: bool) -> String {
    let mut s = header.trim().to_owned();
    if in_sheet {
        s.push_str(&format!(" (column {})", table::column_letter(i)));
    }
    if let Some(k) = columns::suggest(&header_key(header)) {
        s.push_str(&format!(" (did you mean {k}?)"));
    }
    s
}

/// Latitude and longitude come as a pair of columns. Without the pair, the file gets one
/// warning, naming a misspelt header when there is one, instead of one per row.
fn coordinate_columns(
    taken: &mut BTreeMap<Field, usize>,
    keys: &[String],
    headers: &[String],
    imp: &mut Imported,
) {
    let (lat, lon) = (
        taken.contains_key(&Field::Lat),
        taken.contains_key(&Field::Lon),
    );
    if lat && lon {
        return;
    }
    taken.remove(&Field::Lat);
    taken.remove(&Field::Lon);
    let misspelt: Vec<String> = keys
        .iter()
        .zip(headers)
        .filter(|(k, _)| columns::detect(k).is_none())
        .filter_map(|(k, h)| match columns::suggest(k) {
            Some(s @ ("緯度" | "経度" | "latitude" | "longitude")) => {
                Some(format!("{:?}: did you mean {s}?", h.trim()))
            }
            _ => None,
        })
        .collect();
    let missing = match (lat, lon) {
        (true, false) => "no 経度 (longitude) column beside 緯度",
        (false, true) => "no 緯度 (latitude) column beside 経度",
        _ => "no 緯度/経度 (latitude/longitude) columns",
    };
    let hint = if misspelt.is_empty() {
        String::new()
    } else {
        format!(" (column {})", misspelt.join("; column "))
    };
    imp.warnings.push(Warning::file(format!(
        "{missing}{hint}: the records have no location"
    )));
}

/// `--where COLUMN=V1,V2` (`keep`) or `--where-not COLUMN=V1,V2`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub keep: bool,
    pub column: String,
    pub values: Vec<String>,
}

impl Filter {
    /// Parses `COLUMN=V1,V2`.
    pub fn parse(arg: &str, keep: bool) -> Result<Filter, ImportError> {
        let flag = if keep { "--where" } else { "--where-not" };
        let (column, values) = arg.split_once('=').ok_or_else(|| {
            ImportError::Usage(format!("{flag} {arg:?}: expected COLUMN=VALUE,VALUE,..."))
        })?;
        Ok(Filter {
            keep,
            column: column.trim().to_owned(),
            values: values.split(',').map(header_key).collect(),
        })
    }
}

/// The filters of a file, by column index: a row is imported when every `--where` column has
/// one of its values and no `--where-not` column has one of its values. Columns and values
/// are compared like headers (NFKC, no spaces, lower case).
struct RowFilter(Vec<(usize, bool, Vec<String>)>);

impl RowFilter {
    fn new(filters: &[Filter], keys: &[String], headers: &[String]) -> Result<Self, String> {
        let mut out = Vec::new();
        for f in filters {
            let key = header_key(&f.column);
            let Some(i) = keys.iter().position(|k| *k == key) else {
                let hint = keys
                    .iter()
                    .zip(headers)
                    .min_by_key(|(k, _)| strsim::levenshtein(k, &key))
                    .map(|(_, h)| format!(" (did you mean {}?)", h.trim()))
                    .unwrap_or_default();
                return Err(format!(
                    "{} {:?}: no such column{hint}; the columns are {}",
                    if f.keep { "--where" } else { "--where-not" },
                    f.column,
                    headers
                        .iter()
                        .map(|h| h.trim())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            out.push((i, f.keep, f.values.clone()));
        }
        Ok(RowFilter(out))
    }

    fn keeps(&self, row: &Row) -> bool {
        self.0.iter().all(|(i, keep, values)| {
            let v = header_key(row.get(*i).unwrap_or(""));
            values.contains(&v) == *keep
        })
    }
}

/// A row shorter than the header, or with cells beyond the header's columns that hold
/// something (empty padding cells are not reported).
fn row_length_problem(row: &Row, columns: usize) -> Option<String> {
    if row.cells.len() < columns {
        return Some(format!(
            "{} fields, the header has {columns}",
            row.cells.len()
        ));
    }
    let extra = row.cells.iter().skip(columns).any(|c| !c.trim().is_empty());
    extra.then(|| {
        format!(
            "{} fields, the header has {}: the extra fields are not imported",
            row.cells.len(),
            columns
        )
    })
}

/// An id for a file without id column: 8 hex digits of the FNV-1a hash of the name (stable
/// across imports as long as the name is).
fn name_hash(name: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// The type `--type-map` gives a value: an exact match first, then the patterns in order
/// (`*診療所` ends with, `病院*` starts with, `*保健*` contains, `*` anything).
fn map_type<'a>(value: &str, map: &'a [(String, String)]) -> Option<&'a str> {
    let exact = map
        .iter()
        .find(|(k, _)| !k.contains('*') && clean_name(k) == value);
    exact
        .or_else(|| {
            map.iter()
                .find(|(k, _)| k.contains('*') && glob(&clean_name(k), value))
        })
        .map(|(_, t)| t.as_str())
}

/// `*` matches any text (also none); everything else matches itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    true
}

/// The values of the type column that `--type-map` does not map, with their rows: reported
/// all at once, after the whole file is read.
#[derive(Default)]
struct UnmappedTypes(BTreeMap<String, Vec<u64>>);

impl UnmappedTypes {
    fn add(&mut self, value: &str, line: u64) {
        self.0.entry(value.to_owned()).or_default().push(line);
    }

    fn message(&self, column: &str, kind: Kind, types: &[&str]) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let mut by_count: Vec<(&String, &Vec<u64>)> = self.0.iter().collect();
        by_count.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let values: Vec<String> = by_count
            .iter()
            .map(|(v, lines)| {
                let shown: Vec<String> = lines.iter().take(3).map(u64::to_string).collect();
                format!(
                    "{v:?} ({} {}: line {}{})",
                    lines.len(),
                    if lines.len() == 1 { "row" } else { "rows" },
                    shown.join(", "),
                    if lines.len() > 3 { ", …" } else { "" }
                )
            })
            .collect();
        Some(format!(
            "{} {} of {column} {} not in --type-map: {}; add VALUE=TYPE for each, or *=TYPE for all \
             others (types of {}: {})",
            values.len(),
            if values.len() == 1 { "value" } else { "values" },
            if values.len() == 1 { "is" } else { "are" },
            values.join(", "),
            kind.as_str(),
            types.join(", ")
        ))
    }
}

/// A description column that says the same on every row (岩国市's 備考: a disclaimer) is not a
/// description of any of them.
fn drop_repeated_description(imp: &mut Imported, headers: &[String], col: Option<usize>) {
    let Some(first) = imp.records.first().and_then(|r| r.description.clone()) else {
        return;
    };
    if imp.records.len() < 3
        || imp
            .records
            .iter()
            .any(|r| r.description.as_ref() != Some(&first))
    {
        return;
    }
    for r in &mut imp.records {
        r.description = None;
    }
    let header = col.and_then(|i| headers.get(i)).map_or("", |h| h.trim());
    imp.warnings.push(Warning::file(format!(
        "{header}: the same text on every row, not a description of a place: not imported"
    )));
}

/// The address of a row: the one-line address (住所, 所在地_連結表記), or the split parts
/// (所在地_都道府県 + 市区町村 + 町字 + 番地以下) when it is empty or lacks the prefecture the
/// parts have; then the building (建物名等(方書)) unless the address has it already.
fn address_of<'a>(get: &dyn Fn(Field) -> &'a str) -> String {
    let full = clean_address(get(Field::Address));
    let pref = clean_address(get(Field::AddressPrefecture));
    let parts: String = [
        Field::AddressPrefecture,
        Field::AddressCity,
        Field::AddressTown,
        Field::AddressRest,
    ]
    .iter()
    .map(|f| clean_address(get(*f)))
    .collect();
    let base = if full.is_empty()
        || (!pref.is_empty() && !full.starts_with(&pref) && parts.starts_with(&pref))
    {
        if full.is_empty() || full.len() <= parts.len() {
            parts
        } else {
            format!("{pref}{full}")
        }
    } else {
        full
    };
    let building = clean_address(get(Field::Building));
    if building.is_empty() || base.contains(&building) {
        base
    } else if base.is_empty() {
        building
    } else {
        format!("{base} {building}")
    }
}

/// The address without its prefecture and county: `山口県熊毛郡田布施町…` -> `田布施町…`.
fn local_part<'a>(addr: &'a str, names: &BTreeMap<String, (String, String)>) -> &'a str {
    let mut rest = addr;
    if let Some((pref, _)) = names.values().find(|(p, _)| addr.starts_with(p.as_str())) {
        rest = &rest[pref.len()..];
    }
    match rest.find('郡') {
        Some(i) if i <= 4 * 3 && !names.values().any(|(_, m)| rest.starts_with(m.as_str())) => {
            &rest[i + '郡'.len_utf8()..]
        }
        _ => rest,
    }
}

/// The municipality whose name the address starts with (the longest: 熊本市南区 before 熊本市).
fn municipality_in_address(
    addr: &str,
    names: &BTreeMap<String, (String, String)>,
) -> Option<String> {
    let rest = local_part(addr, names);
    names
        .iter()
        .filter(|(_, (_, m))| !m.is_empty() && rest.starts_with(m.as_str()))
        .max_by_key(|(_, (_, m))| m.len())
        .map(|(c, _)| c.clone())
}

/// The address with its prefecture when it starts with the municipality (田布施町下田布施…,
/// 山口市小郡下郷…): the prefecture's name from the site's areas.
fn with_prefecture(
    addr: &str,
    code: Option<&str>,
    names: &BTreeMap<String, (String, String)>,
) -> String {
    if names.values().any(|(p, _)| addr.starts_with(p.as_str())) {
        return addr.to_owned();
    }
    let rest = local_part(addr, names);
    let muni = code
        .and_then(|c| names.get(c))
        .filter(|(_, m)| rest.starts_with(m.as_str()))
        .or_else(|| municipality_in_address(addr, names).and_then(|c| names.get(&c)));
    match muni {
        Some((pref, _)) => format!("{pref}{addr}"),
        None => addr.to_owned(),
    }
}

/// `beds:` from a count (`12`, `12床`: imported as 12 with a CHECK); empty is none.
fn set_beds(r: &mut Record, beds: &str, warnings: &mut Vec<Warning>) {
    if beds.is_empty() {
        return;
    }
    let digits: String = beds.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<u32>() {
        Ok(n) => {
            r.beds = Some(n);
            if digits.len() != beds.len() {
                let msg = format!("beds {beds:?}: imported as {n}");
                warnings.push(Warning::at(r.line, msg.clone()));
                r.checks.push(msg);
            }
        }
        Err(_) => warnings.push(Warning::at(
            r.line,
            format!("beds {beds:?} is not a number"),
        )),
    }
}

/// The departments whose columns the row marks with `○` (熊本市: one column per 診療科).
fn marked_departments(row: &Row, marks: &[(usize, String)]) -> Vec<String> {
    marks
        .iter()
        .filter(|(i, _)| row.get(*i).is_some_and(columns::is_mark))
        .map(|(_, d)| d.clone())
        .collect()
}

/// The sum of the bed-count parts (熊本市: 精神/結核/感染症/一般/療養病床数), as text; empty when
/// all are empty, the first non-number as it is (reported by the caller).
fn sum_of_beds(row: &Row, parts: &[usize]) -> String {
    let mut sum: Option<u64> = None;
    for i in parts {
        let v = nfkc(row.get(*i).unwrap_or(""));
        if v.is_empty() {
            continue;
        }
        match v.parse::<u64>() {
            Ok(n) => sum = Some(sum.unwrap_or(0).saturating_add(n)),
            Err(_) => return v,
        }
    }
    sum.map(|n| n.to_string()).unwrap_or_default()
}

const SUSPENDED: [&str; 4] = ["（休止中）", "(休止中)", "【休止中】", "休止中"];

/// Converts an ODS-style CSV (already decoded) into records.
///
/// A file with a `種別キー` column is read as kenkomap's own CSV export (`data/<kind>.csv` of
/// `kenkomap build`): values are taken as written (no width folding, no status from the name,
/// no rounding of coordinates), the types are that column, ids are kept, `利用可能時間_OSM` is
/// `hours`, and rows are never dropped as duplicates, so the records come back exactly.
pub fn import_ods(text: &str, opts: &OdsOptions) -> Result<Imported, ImportError> {
    let table = table::from_csv(text).map_err(|e| table_error(&opts.source_file, e))?;
    import_table(&table, opts)
}

/// Converts one sheet of a workbook (`.xlsx`, `.xls`, `.ods`) as [`import_ods`] converts a
/// CSV file: `sheet` by name, or the first sheet with a header row. Warnings and errors name
/// the sheet and the row.
pub fn import_workbook(
    bytes: &[u8],
    sheet: Option<&str>,
    opts: &OdsOptions,
) -> Result<Imported, ImportError> {
    validate_types(opts)?;
    let table =
        table::from_workbook(bytes, sheet).map_err(|e| table_error(&opts.source_file, e))?;
    let name = table.sheet.clone().unwrap_or_default();
    let mut imp = import_table(&table, opts).map_err(|e| match e {
        ImportError::Input {
            what,
            line: Some(row),
            message,
        } => ImportError::Input {
            what: format!("{what}, sheet {name}, row {row}"),
            line: None,
            message,
        },
        ImportError::Input {
            what,
            line: None,
            message,
        } => ImportError::Input {
            what: format!("{what}, sheet {name}"),
            line: None,
            message,
        },
        e => e,
    })?;
    imp.source_name = format!("{} (sheet {name})", opts.source_file);
    for w in &mut imp.warnings {
        w.sheet = Some(name.clone());
    }
    Ok(imp)
}

fn table_error(what: &str, e: table::TableError) -> ImportError {
    ImportError::Input {
        what: what.to_owned(),
        line: e.line,
        message: e.message,
    }
}

/// For a row without a code the site's areas know, the municipality its 市区町村名 or
/// 地方公共団体名 names (`熊毛郡田布施町`, `山口県岩国市`).
fn set_municipality_by_name(r: &mut Record, name: &str, opts: &OdsOptions) {
    let names = &opts.municipality_names;
    let declared = r.municipality.as_ref().or(opts.municipality.as_ref());
    if names.is_empty() || declared.is_some_and(|c| names.contains_key(c)) {
        return;
    }
    let name = clean_name(name);
    let local = local_part(&name, names);
    if let Some((code, _)) = names.iter().find(|(_, (_, m))| !m.is_empty() && m == local) {
        r.municipality = Some(code.clone());
    }
}

/// The record's address (completed with the prefecture's name, or with prefecture and
/// municipality for `--address-relative`) and, for a row without a code its areas know, the
/// municipality the address starts with.
fn set_address(
    r: &mut Record,
    addr: String,
    opts: &OdsOptions,
    exact: bool,
    warnings: &mut Vec<Warning>,
) {
    let line = r.line;
    let names = &opts.municipality_names;
    let declared = r.municipality.as_ref().or(opts.municipality.as_ref());
    if !exact
        && !names.is_empty()
        && declared.is_none_or(|c| !names.contains_key(c))
        && let Some(code) = municipality_in_address(&addr, names)
    {
        // 熊本市's list has no code column, and 熊本市 (431001) has wards: 熊本市南区….
        r.municipality = Some(code);
    }
    if !addr.is_empty() {
        let mut addr = addr;
        if !exact && !opts.address_relative {
            let code = r.municipality.as_ref().or(opts.municipality.as_ref());
            addr = with_prefecture(&addr, code.map(String::as_str), names);
        }
        if opts.address_relative {
            let code = r.municipality.as_ref().or(opts.municipality.as_ref());
            match code.and_then(|c| opts.municipality_names.get(c)) {
                Some((pref, muni)) => {
                    if !addr.starts_with(pref.as_str()) && !addr.starts_with(muni.as_str()) {
                        addr = format!("{pref}{muni}{addr}");
                    }
                }
                None => warnings.push(Warning::at(
                    line,
                    format!(
                        "--address-relative: no name for municipality {}; address kept as {addr:?}",
                        code.map_or("(none)", |c| c.as_str())
                    ),
                )),
            }
        }
        r.address = Some(addr);
    }
}

/// The role of each column, and the column of each field (the first that feeds it).
fn column_roles(
    keys: &[String],
    opts: &OdsOptions,
    type_col_key: Option<&str>,
    id_key: Option<&str>,
) -> (Vec<Role>, BTreeMap<Field, usize>) {
    let has_japanese_name = keys
        .iter()
        .any(|k| k != "name" && columns::detect(k) == Some(Field::Name));
    let mut roles: Vec<Role> = Vec::new();
    let mut taken: BTreeMap<Field, usize> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        let role = if is_personal(k) {
            Role::Personal
        } else if type_col_key == Some(k.as_str()) && columns::detect(k) != Some(Field::Name) {
            Role::Type
        } else if let Some((f, _)) = opts.columns.iter().find(|(_, c)| header_key(c) == *k) {
            Role::Field(*f)
        } else if k == "name" {
            Role::Field(if has_japanese_name {
                Field::NameEn
            } else {
                Field::Name
            })
        } else {
            match columns::detect(k) {
                // An explicit option for this field wins over detection.
                Some(f) if opts.columns.iter().any(|(g, _)| *g == f) => Role::Known,
                // --id-column replaces the detected id column.
                Some(Field::Id) if id_key.is_some() => Role::Known,
                // The type column only when it decides the types.
                Some(Field::Type) if opts.type_rule != TypeRule::KeyColumn => Role::Known,
                Some(f) => Role::Field(f),
                None => undetected_role(k, opts.kind),
            }
        };
        // Another kind's fields (departments and beds are reported row by row below).
        let role = match role {
            Role::Field(f)
                if f.kind().is_some_and(|k| k != opts.kind)
                    && !matches!(f, Field::Departments | Field::Beds) =>
            {
                Role::Known
            }
            r => r,
        };
        let role = match role {
            Role::Field(f) if taken.contains_key(&f) => Role::Known,
            Role::Field(f) => {
                taken.insert(f, i);
                Role::Field(f)
            }
            r => r,
        };
        roles.push(role);
    }
    (roles, taken)
}

/// What a table's header row says: each column's role and field, and how the rows are read.
struct Plan<'t> {
    headers: &'t [String],
    keys: Vec<String>,
    /// The key of the column the types come from (`--type-from`, or the names for a map).
    type_col_key: Option<String>,
    /// A kenkomap CSV export: its cells are taken as written.
    exact: bool,
    keep_ids: bool,
    ids_from_names: bool,
    roles: Vec<Role>,
    taken: BTreeMap<Field, usize>,
}

impl Plan<'_> {
    fn col(&self, f: Field) -> Option<usize> {
        self.taken.get(&f).copied()
    }

    fn type_column(&self) -> Option<usize> {
        self.keys
            .iter()
            .position(|k| Some(k) == self.type_col_key.as_ref())
    }

    /// The columns of a role (one per 診療科 mark, the parts of the bed count).
    fn columns_of(&self, role: impl Fn(&Role) -> bool) -> Vec<usize> {
        (0..self.roles.len())
            .filter(|&i| role(&self.roles[i]))
            .collect()
    }
}

/// "…: no such column; the columns are A, B, C" for a flag naming a column the file lacks.
fn no_such_column(what: String, headers: &[String]) -> String {
    let columns: Vec<&str> = headers.iter().map(|h| h.trim()).collect();
    format!("{what}; the columns are {}", columns.join(", "))
}

/// Reads the header row: each column's role, and the flags' columns, which must exist.
fn plan_columns<'t>(table: &'t Table, opts: &OdsOptions) -> Result<Plan<'t>, String> {
    let headers = &table.headers;
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let type_col_key = type_column_key(&opts.type_rule, &keys);
    let exact = keys.contains(&header_key(crate::cells::col::TYPE));
    let keep_ids = opts.keep_ids.unwrap_or(exact);
    let id_key = opts.id_column.as_deref().map(header_key);
    let (mut roles, mut taken) =
        column_roles(&keys, opts, type_col_key.as_deref(), id_key.as_deref());
    // --id-column: the column may have another role too (P28's admin_code is also the municipality).
    if let Some(k) = &id_key {
        let Some(i) = keys.iter().position(|x| x == k) else {
            return Err(no_such_column(
                format!("--id-column {k:?}: no such column"),
                headers,
            ));
        };
        taken.insert(Field::Id, i);
        if matches!(roles[i], Role::Dropped | Role::Known) {
            roles[i] = Role::Field(Field::Id);
        }
    }
    if let Some((f, c)) = opts
        .columns
        .iter()
        .find(|(_, c)| !keys.contains(&header_key(c)))
    {
        return Err(no_such_column(
            format!("--column {f:?}={c}: no such column"),
            headers,
        ));
    }
    if let Some(k) = &type_col_key
        && !keys.contains(k)
    {
        return Err(no_such_column(
            format!("--type-from: no column {k:?}"),
            headers,
        ));
    }
    let ids_from_names = !taken.contains_key(&Field::Id);
    if ids_from_names && keep_ids {
        return Err("no id column (#property, №, No, ID) to keep: pass --id-column COLUMN".into());
    }
    if opts.type_rule == TypeRule::KeyColumn && !taken.contains_key(&Field::Type) {
        return Err(format!(
            "no type: pass --type TYPE, or --type-from COLUMN [--type-map VALUE=TYPE,...] \
             (only kenkomap's CSV exports have a {} column)",
            crate::cells::col::TYPE
        ));
    }
    if !taken.contains_key(&Field::Name) {
        return Err("no name column (名称, name, ...): pass --column name=COLUMN".into());
    }
    Ok(Plan {
        headers,
        keys,
        type_col_key,
        exact,
        keep_ids,
        ids_from_names,
        roles,
        taken,
    })
}

/// The columns not imported, as the header comment lists them.
struct Unimported {
    personal: Vec<String>,
    /// Known columns with no field, then unknown ones.
    other: Vec<String>,
}

/// The file's warnings about its columns (ids, columns not imported, coordinates, types).
fn column_warnings(
    plan: &mut Plan,
    table: &Table,
    opts: &OdsOptions,
    imp: &mut Imported,
) -> Unimported {
    if plan.ids_from_names {
        imp.warnings.push(Warning::file(format!(
            "no id column (#property, №, No, ID): ids are made from the names ({}-<8 hex digits>), \
             so a renamed place gets a new id; pass --id-column COLUMN if the file has stable ids",
            opts.id_prefix
        )));
    }
    let (mut dropped, mut personal, mut known) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (h, r)) in plan.headers.iter().zip(&plan.roles).enumerate() {
        match r {
            Role::Personal => personal.push(h.trim().to_owned()),
            Role::Dropped => dropped.push(unknown_column(h, i, table.sheet.is_some())),
            Role::Known => known.push(h.trim().to_owned()),
            _ => {}
        }
    }
    if !personal.is_empty() {
        imp.warnings.push(Warning::file(format!(
            "not imported (people's names must not be published): {}",
            personal.join(", ")
        )));
    }
    if !dropped.is_empty() {
        imp.warnings.push(Warning::file(format!(
            "columns not imported (unknown; --column FIELD=COLUMN imports one): {}",
            dropped.join(", ")
        )));
    }
    coordinate_columns(&mut plan.taken, &plan.keys, plan.headers, imp);
    if let TypeRule::FromColumn { column, map } = &opts.type_rule
        && column.is_empty()
        && !map.is_empty()
        && columns::type_column(&plan.keys).is_none()
        && let Some(k) = &plan.type_col_key
    {
        imp.warnings.push(Warning::file(format!(
            "no type column (種別, 種類, 医療機関の種類, 施設区分, …): --type-map is matched against the names ({k})"
        )));
    }
    known.extend(dropped);
    Unimported {
        personal,
        other: known,
    }
}

/// Types that are neither built in nor declared in site.yaml: each warned about once.
struct TypeCheck {
    valid: Vec<&'static str>,
    warned: Vec<String>,
}

impl TypeCheck {
    fn check(&mut self, t: &str, opts: &OdsOptions, imp: &mut Imported) {
        if self.valid.contains(&t)
            || opts.site_types.iter().any(|s| s == t)
            || self.warned.iter().any(|w| w == t)
        {
            return;
        }
        imp.warnings.push(Warning::file(format!(
            "type {t:?} is not a built-in type of {} ({}); declare it in site.yaml",
            opts.kind.as_str(),
            self.valid.join(", ")
        )));
        self.warned.push(t.to_owned());
    }
}

/// What the rows read so far hold: ids, and the keys that make a row a duplicate.
#[derive(Default)]
struct Seen {
    ids: BTreeMap<String, u64>,
    keys: BTreeMap<(String, String, String, String), u64>,
}

/// One row's cells by field.
#[derive(Clone, Copy)]
struct RowCells<'r> {
    row: &'r Row,
    plan: &'r Plan<'r>,
}

impl<'r> RowCells<'r> {
    fn get(&self, f: Field) -> &'r str {
        let cell = self
            .plan
            .col(f)
            .and_then(|i| self.row.get(i))
            .unwrap_or("")
            .trim();
        // kenkomap's export puts a `'` before values a spreadsheet would run as formulas.
        if self.plan.exact {
            crate::cells::unprotect_cell(cell)
        } else {
            cell
        }
    }

    /// A name or text cell: as written in a kenkomap export, else cleaned.
    fn name(&self, f: Field) -> String {
        if self.plan.exact {
            self.get(f).to_owned()
        } else {
            clean_name(self.get(f))
        }
    }

    fn text(&self, f: Field) -> String {
        if self.plan.exact {
            self.get(f).to_owned()
        } else {
            clean_text(self.get(f))
        }
    }
}

/// Reads the rows of a table into records, field by field.
struct RowReader<'a> {
    table: &'a Table,
    opts: &'a OdsOptions,
    plan: &'a Plan<'a>,
    hours_columns: hours::Columns,
    department_marks: Vec<(usize, String)>,
    bed_parts: Vec<usize>,
}

/// Why a row gives no record: it was reported (a warning), or its type is not in --type-map
/// (counted, reported at the end).
enum Skip {
    Reported,
    Unmapped(String),
}

impl<'a> RowReader<'a> {
    fn new(table: &'a Table, opts: &'a OdsOptions, plan: &'a Plan<'a>) -> RowReader<'a> {
        // The hours columns' headers as the file spells them, for the hours problems.
        let header = |f: Field, default: String| {
            plan.col(f)
                .and_then(|i| plan.headers.get(i))
                .map_or(default, |h| h.trim().to_owned())
        };
        let d = hours::Columns::default();
        RowReader {
            table,
            opts,
            plan,
            hours_columns: hours::Columns {
                days: header(Field::Days, d.days),
                start: header(Field::Start, d.start),
                end: header(Field::End, d.end),
                note: header(Field::HoursNote, d.note),
            },
            department_marks: plan
                .columns_of(|r| matches!(r, Role::DepartmentMark))
                .into_iter()
                .map(|i| (i, clean_name(&plan.headers[i])))
                .collect(),
            bed_parts: plan.columns_of(|r| matches!(r, Role::BedPart)),
        }
    }

    /// In a sheet, where a field's cell is: `column E (電話番号)`.
    fn cell_place(&self, f: Field) -> String {
        match (&self.table.sheet, self.plan.col(f)) {
            (Some(_), Some(i)) => format!(
                "column {} ({})",
                table::column_letter(i),
                self.plan.headers[i].trim()
            ),
            _ => String::new(),
        }
    }

    fn input_error(&self, line: u64, message: String) -> ImportError {
        ImportError::Input {
            what: self.opts.source_file.clone(),
            line: Some(line),
            message,
        }
    }

    /// The record of a row, or why it has none; an error stops the import.
    fn read(
        &self,
        row: &Row,
        seen: &mut Seen,
        types: &mut TypeCheck,
        imp: &mut Imported,
    ) -> Result<Result<Record, Skip>, ImportError> {
        let cells = RowCells {
            row,
            plan: self.plan,
        };
        let mut r = Record {
            line: row.line,
            ..Record::default()
        };
        if !self.id(cells, &mut r, seen, imp)? || !self.names(cells, &mut r, imp) {
            return Ok(Err(Skip::Reported));
        }
        r.kind_type = match self.kind_type(cells, row.line, types, imp) {
            Ok(t) => t,
            Err(skip) => return Ok(Err(skip)),
        };
        self.place(cells, &mut r, imp);
        self.contacts(cells, &mut r, imp);
        self.location(cells, &mut r, imp);
        self.hours(cells, &mut r, imp);
        self.kind_fields(cells, &mut r, imp);
        r.description = if self.plan.exact {
            Some(cells.text(Field::Description)).filter(|d| !d.is_empty())
        } else {
            Some(cells.text(Field::Description)).filter(|d| has_content(d))
        };
        // kenkomap's own columns.
        let mut problems = Vec::new();
        more_fields(
            &mut r,
            self.opts.kind,
            &|f| cells.get(f),
            self.plan.exact,
            &mut problems,
        );
        for p in problems {
            check(&mut r, imp, p);
        }
        if self.duplicate(&r, seen, imp) {
            return Ok(Err(Skip::Reported));
        }
        if r.name_kana.is_none()
            && let Some(kana) = self.opts.kana.get(&r.name)
        {
            r.name_kana = Some(kana.clone());
        }
        Ok(Ok(r))
    }

    /// The record's id (false: the row is skipped); ids must be unique.
    fn id(
        &self,
        cells: RowCells,
        r: &mut Record,
        seen: &mut Seen,
        imp: &mut Imported,
    ) -> Result<bool, ImportError> {
        let (opts, line) = (self.opts, r.line);
        let name_id;
        let raw_id = if self.plan.ids_from_names {
            name_id = name_hash(&clean_name(cells.get(Field::Name)));
            name_id.as_str()
        } else {
            cells.get(Field::Id)
        };
        if self.plan.keep_ids {
            if !crate::validate::decode::is_slug(raw_id) {
                return Err(self.input_error(
                    line,
                    format!(
                        "id {raw_id:?} is not a slug (a-z, 0-9 and single hyphens): fix it in the \
                         file, or pass --id-prefix PREFIX to make ids <prefix>-<source id>"
                    ),
                ));
            }
            r.id = raw_id.to_owned();
        } else {
            let mut part = id_part(raw_id);
            let name = clean_name(cells.get(Field::Name));
            if part.is_empty() && !name.is_empty() {
                // 岩国市's last rows have a place but no ID/NO.
                part = name_hash(&name);
                let msg = format!(
                    "id {raw_id:?} gives no [a-z0-9] id: {}-{part} made from the name",
                    opts.id_prefix
                );
                check(r, imp, msg);
            }
            if part.is_empty() {
                imp.warnings.push(Warning::at(
                    line,
                    format!("id {raw_id:?} gives no [a-z0-9] id: row skipped"),
                ));
                return Ok(false);
            }
            r.id = format!("{}-{part}", opts.id_prefix);
        }
        if let Some(first) = seen.ids.get(&r.id) {
            return Err(self.input_error(
                line,
                format!(
                    "id {raw_id:?} gives {} again (first on line {first}); ids must be unique: use --id-column",
                    r.id
                ),
            ));
        }
        seen.ids.insert(r.id.clone(), line);
        Ok(true)
    }

    /// Name (false: none, the row is skipped), status, reading and English name.
    fn names(&self, cells: RowCells, r: &mut Record, imp: &mut Imported) -> bool {
        let (exact, line) = (self.plan.exact, r.line);
        let mut name = cells.name(Field::Name);
        if name.is_empty() {
            imp.warnings.push(Warning::at(line, "no name: row skipped"));
            return false;
        }
        if let Some(s) = SUSPENDED.iter().find(|s| !exact && name.ends_with(*s)) {
            name = name[..name.len() - s.len()].trim().to_owned();
            r.status = Some("suspended".into());
            check(r, imp, format!("the name says {s}: status suspended"));
        }
        r.name = name;
        r.name_kana = Some(cells.name(Field::NameKana)).filter(|s| !s.is_empty());
        let en = cells.get(Field::NameEn);
        if exact {
            r.name_en = (!en.is_empty()).then(|| en.to_owned());
        } else if !en.is_empty() {
            if looks_latin(&nfkc(en)) {
                r.name_en = Some(clean_latin(en));
            } else {
                imp.warnings.push(Warning::at(
                    line,
                    format!("English name {en:?} is not in Latin script: not imported"),
                ));
            }
        }
        true
    }

    /// The record's type, by the type rule.
    fn kind_type(
        &self,
        cells: RowCells,
        line: u64,
        types: &mut TypeCheck,
        imp: &mut Imported,
    ) -> Result<String, Skip> {
        let type_cell = || {
            cells
                .row
                .get(self.plan.type_column().unwrap_or(0))
                .unwrap_or("")
        };
        let v = match &self.opts.type_rule {
            TypeRule::Fixed(t) => return Ok(t.clone()),
            TypeRule::FromColumn { map, .. } if !map.is_empty() => {
                let v = clean_name(type_cell());
                return map_type(&v, map)
                    .map(str::to_owned)
                    .ok_or(Skip::Unmapped(v));
            }
            // The values are the types.
            TypeRule::FromColumn { .. } => nfkc(type_cell()),
            _ => nfkc(cells.get(Field::Type)),
        };
        if v.is_empty() {
            imp.warnings
                .push(Warning::at(line, "no type: row skipped".to_owned()));
            return Err(Skip::Reported);
        }
        types.check(&v, self.opts, imp);
        Ok(v)
    }

    /// Municipality (a code, or found from the address or the municipality's name) and address.
    fn place(&self, cells: RowCells, r: &mut Record, imp: &mut Imported) {
        let (opts, exact) = (self.opts, self.plan.exact);
        let raw_muni = nfkc(cells.get(Field::Municipality));
        if !raw_muni.is_empty() && raw_muni.len() != 2 {
            match muni_code6(&raw_muni) {
                Ok(c) if opts.municipality.as_deref() != Some(c.as_str()) => {
                    r.municipality = Some(c)
                }
                Ok(_) => {}
                Err(e) => imp.warnings.push(Warning::at(r.line, e)),
            }
        }
        let addr = if exact {
            cells.get(Field::Address).to_owned()
        } else {
            address_of(&|f| cells.get(f))
        };
        if !exact {
            set_municipality_by_name(r, cells.get(Field::MunicipalityName), opts);
        }
        set_address(r, addr, opts, exact, &mut imp.warnings);
    }

    fn contacts(&self, cells: RowCells, r: &mut Record, imp: &mut Imported) {
        let (exact, line) = (self.plan.exact, r.line);
        let mut checks = Vec::new();
        let read_contact = if exact { exact_contact } else { contact };
        // Each problem names the contact's column (in a sheet).
        let mut read = |field: Field, is_url: bool| {
            let mark = imp.warnings.len();
            let value = read_contact(
                cells.get(field),
                is_url,
                line,
                &mut imp.warnings,
                &mut checks,
            );
            in_column(&mut imp.warnings[mark..], &self.cell_place(field));
            value
        };
        r.phone = read(Field::Phone, false);
        r.url = read(Field::Url, true);
        let (fax, email) = if exact {
            (
                cells.get(Field::Fax).to_owned(),
                cells.get(Field::Email).to_owned(),
            )
        } else {
            (
                nfkc(&area_code_in_brackets(cells.get(Field::Fax))),
                nfkc(cells.get(Field::Email)),
            )
        };
        r.fax = (!fax.is_empty()).then_some(fax);
        r.email = (!email.is_empty()).then_some(email);
        r.checks.append(&mut checks);
    }

    fn location(&self, cells: RowCells, r: &mut Record, imp: &mut Imported) {
        // Without coordinate columns the file says so once (see `coordinate_columns`).
        if self.plan.col(Field::Lat).is_none() {
            return;
        }
        let read_location = if self.plan.exact {
            exact_location
        } else {
            location
        };
        match read_location(cells.get(Field::Lat), cells.get(Field::Lon)) {
            Ok(l) => r.location = l,
            Err(msg) => {
                let mark = imp.warnings.len();
                check(r, imp, msg);
                in_column(&mut imp.warnings[mark..], &self.cell_place(Field::Lat));
            }
        }
    }

    /// `opening_hours` as written, preferred over 利用可能曜日/開始時間/終了時間 (converted), and
    /// the hours note.
    fn hours(&self, cells: RowCells, r: &mut Record, imp: &mut Imported) {
        let mark = imp.warnings.len();
        let note = cells.get(Field::HoursNote);
        let written = self.plan.taken.contains_key(&Field::Hours);
        if written {
            let h = cells.get(Field::Hours);
            if !h.is_empty() {
                match crate::hours::parse(h) {
                    Ok(_) => r.hours = Some(h.to_owned()),
                    Err(e) => check(
                        r,
                        imp,
                        format!("hours {h:?} do not parse ({}): not written", e.message),
                    ),
                }
            }
        } else {
            let (days, start, end) = (
                cells.get(Field::Days),
                cells.get(Field::Start),
                cells.get(Field::End),
            );
            let conv = hours::convert(days, start, end, note, &self.hours_columns);
            r.hours = conv.hours;
            for p in conv.problems {
                check(r, imp, p);
            }
        }
        r.hours_note = Some(cells.text(Field::HoursNote)).filter(|s| !s.is_empty());
        let column = if written {
            Field::Hours
        } else {
            Field::HoursNote
        };
        in_column(&mut imp.warnings[mark..], &self.cell_place(column));
    }

    /// Departments and beds: fields of facilities only.
    fn kind_fields(&self, cells: RowCells, r: &mut Record, imp: &mut Imported) {
        let mark = imp.warnings.len();
        if self.opts.kind == Kind::Facilities {
            let deps = cells.get(Field::Departments);
            if self.plan.exact {
                match parse_texts(deps) {
                    Ok(list) => r.departments = list,
                    Err(e) => check(r, imp, format!("departments: {e}: not written")),
                }
            } else {
                r.departments = split_texts(deps);
                let more = marked_departments(cells.row, &self.department_marks)
                    .into_iter()
                    .chain(split_texts(cells.get(Field::DepartmentsOther)));
                for d in more {
                    if !r.departments.contains(&d) {
                        r.departments.push(d);
                    }
                }
            }
            let beds = match nfkc(cells.get(Field::Beds)) {
                b if b.is_empty() => sum_of_beds(cells.row, &self.bed_parts),
                b => b,
            };
            set_beds(r, &beds, &mut imp.warnings);
        } else if !cells.get(Field::Departments).is_empty() || !cells.get(Field::Beds).is_empty() {
            imp.warnings.push(Warning::at(
                r.line,
                format!(
                    "departments/beds are fields of facilities, not {}: not imported",
                    self.opts.kind.as_str()
                ),
            ));
        }
        in_column(&mut imp.warnings[mark..], &self.cell_place(Field::Beds));
    }

    /// Same name, address, phone and type as an earlier row (reported; the row is skipped). A
    /// kenkomap export has none: every row is its own record.
    fn duplicate(&self, r: &Record, seen: &mut Seen, imp: &mut Imported) -> bool {
        let phone_key = match &r.phone {
            Some(Contact::One(p)) => p.clone(),
            Some(Contact::Many(l)) => l.iter().map(|x| x.value.as_str()).collect(),
            None => String::new(),
        };
        let key = (
            r.name.clone(),
            r.address.clone().unwrap_or_default(),
            phone_key,
            r.kind_type.clone(),
        );
        if let Some(first) = seen.keys.get(&key).filter(|_| !self.plan.exact) {
            imp.warnings.push(Warning::at(
                r.line,
                format!(
                    "{} is a duplicate of line {first} (same name, address, phone and type): row skipped",
                    r.name
                ),
            ));
            return true;
        }
        seen.keys.insert(key, r.line);
        false
    }
}

/// A problem the import reports and leaves in the record as a `# CHECK:` comment.
fn check(r: &mut Record, imp: &mut Imported, message: String) {
    imp.warnings.push(Warning::at(r.line, message.clone()));
    r.checks.push(message);
}

/// Converts a table (a CSV file's or a sheet's rows) into records.
fn import_table(table: &Table, opts: &OdsOptions) -> Result<Imported, ImportError> {
    validate_types(opts)?;
    let input_err = |line: Option<u64>, message: String| ImportError::Input {
        what: opts.source_file.clone(),
        line,
        message,
    };
    let mut plan = plan_columns(table, opts).map_err(|m| input_err(Some(1), m))?;
    let mut imp = Imported {
        kind: Some(opts.kind),
        source_name: opts.source_file.clone(),
        ..Imported::default()
    };
    let unimported = column_warnings(&mut plan, table, opts, &mut imp);
    let filters = RowFilter::new(&opts.filters, &plan.keys, plan.headers)
        .map_err(|m| input_err(Some(1), m))?;
    if opts.source.is_none() && !plan.taken.contains_key(&Field::Source) {
        imp.warnings.push(Warning::file(
            "no --source: the records carry no attribution (the licence may require one)",
        ));
    }
    let mut types = TypeCheck {
        valid: opts.kind.builtin_types(),
        warned: Vec::new(),
    };
    if let TypeRule::Fixed(t) = &opts.type_rule {
        types.check(t, opts, &mut imp);
    }
    let reader = RowReader::new(table, opts, &plan);
    let mut seen = Seen::default();
    let mut unmapped = UnmappedTypes::default();
    let mut filtered = 0usize;
    for row in &table.rows {
        if row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        imp.rows += 1;
        if !filters.keeps(row) {
            filtered += 1;
            continue;
        }
        if let Some(w) = row_length_problem(row, plan.headers.len()) {
            imp.warnings.push(Warning::at(row.line, w));
        }
        match reader.read(row, &mut seen, &mut types, &mut imp)? {
            Ok(r) => imp.records.push(r),
            Err(Skip::Unmapped(value)) => unmapped.add(&value, row.line),
            Err(Skip::Reported) => {}
        }
    }
    if let Some(i) = plan.type_column()
        && let Some(m) = unmapped.message(plan.headers[i].trim(), opts.kind, &types.valid)
    {
        return Err(input_err(None, m));
    }
    if filtered > 0 {
        imp.warnings.push(Warning::file(format!(
            "{filtered} of {} rows left out by --where/--where-not",
            imp.rows
        )));
    }
    drop_repeated_description(&mut imp, plan.headers, plan.col(Field::Description));
    let hoisted = hoist_defaults(&mut imp, opts);
    write_header(&mut imp, opts, &plan, unimported, hoisted);
    Ok(imp)
}

/// A value every record has goes to `defaults:` once (a kenkomap export repeats `source` and
/// `verified` on every row): the values taken out of the records.
fn hoist_defaults(imp: &mut Imported, opts: &OdsOptions) -> Vec<(String, String)> {
    let mut hoisted: Vec<(String, String)> = Vec::new();
    for key in ["source", "verified"] {
        if (key == "source" && opts.source.is_some()) || opts.set.iter().any(|(k, _)| k == key) {
            continue;
        }
        let value_of = |r: &Record| {
            r.extra
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        let Some(Extra::Inline(first)) = imp.records.first().and_then(value_of) else {
            continue;
        };
        if imp.records.len() >= 2
            && imp
                .records
                .iter()
                .all(|r| value_of(r).as_ref() == Some(&Extra::Inline(first.clone())))
        {
            for r in &mut imp.records {
                r.extra.retain(|(k, _)| k != key);
            }
            hoisted.push((key.to_owned(), first));
        }
    }
    hoisted
}

/// The file's header comment (source, command, columns not imported) and its `defaults:`.
fn write_header(
    imp: &mut Imported,
    opts: &OdsOptions,
    plan: &Plan,
    unimported: Unimported,
    hoisted: Vec<(String, String)>,
) {
    let column_source = hoisted
        .iter()
        .find(|(k, _)| k == "source")
        .and_then(|(_, v)| serde_saphyr::from_str::<String>(v).ok());
    imp.header.push(format!(
        "Imported by kenkomap from {} ({} records).",
        opts.source_file,
        imp.records.len()
    ));
    imp.header.push(format!(
        "Source: {}",
        opts.source
            .as_deref()
            .or(column_source.as_deref())
            .unwrap_or(if plan.taken.contains_key(&Field::Source) {
                "(the 出典 column of each record)"
            } else {
                "(not given: pass --source)"
            })
    ));
    if !opts.command.is_empty() {
        imp.header.push(format!("Command: {}", opts.command));
    }
    if !unimported.personal.is_empty() {
        imp.header.push(format!(
            "Not imported (people's names): {}",
            unimported.personal.join(", ")
        ));
    }
    if !unimported.other.is_empty() {
        imp.header.push(format!(
            "Not imported (no field): {}",
            unimported.other.join(", ")
        ));
    }
    imp.header.push(
        "Records marked `# CHECK:` need a human: fix the record, then delete the comment.".into(),
    );
    if let Some(s) = &opts.source {
        imp.defaults.push(("source".into(), s.clone()));
    }
    if let Some(m) = &opts.municipality {
        imp.defaults.push(("municipality".into(), m.clone()));
    }
    imp.raw_defaults = opts.set.clone();
    imp.raw_defaults.extend(hoisted);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_phones_and_urls() {
        let (items, rest) = split_labelled(
            "（保健医療政策課）  087-839-2860  （感染症対策課）  087-839-2870  （生活衛生課）  087-839-2865",
            false,
        );
        assert!(rest.is_empty());
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].value, "087-839-2870");
        assert_eq!(items[1].label.as_deref(), Some("感染症対策課"));
        let (items, _) = split_labelled(
            "（保健医療政策課）https://a.example/x.html  （感染症対策課）https://a.example/y.html",
            true,
        );
        assert_eq!(items[0].value, "https://a.example/x.html");
        assert_eq!(items[1].label.as_deref(), Some("感染症対策課"));
        let (items, _) = split_labelled("０８７－８３９－２０１１\n", false);
        assert_eq!(items[0].value, "087-839-2011");
        assert_eq!(
            contact_problem("869-0758", false).unwrap(),
            "phone 869-0758 is not valid (a number without the area code is incomplete; add the 0… area code)"
        );
        assert_eq!(contact_problem("0120-771-373", false), None);
    }

    #[test]
    fn locations() {
        assert!(
            location("0.0", "0.0")
                .unwrap_err()
                .contains("means unknown")
        );
        assert!(location("", "").is_err());
        assert!(location("134.05", "34.33").unwrap_err().contains("swapped"));
        assert_eq!(
            location("34.33048792443162", "134.0526068601177").unwrap(),
            Some(LatLon {
                lat: 34.330488,
                lon: 134.052607
            })
        );
    }

    #[test]
    fn phones_of_municipal_files() {
        let mut w = Vec::new();
        let mut c = Vec::new();
        let one =
            |cell: &str, w: &mut Vec<Warning>, c: &mut Vec<String>| contact(cell, false, 2, w, c);
        assert_eq!(
            one("(0833)48-1111", &mut w, &mut c),
            Some(Contact::One("0833-48-1111".into()))
        );
        assert_eq!(
            one("（0835）53-0500", &mut w, &mut c),
            Some(Contact::One("0835-53-0500".into()))
        );
        assert_eq!(one("電話なし", &mut w, &mut c), None);
        assert!(w.is_empty() && c.is_empty(), "{w:?}");
        let Some(Contact::Many(l)) = one("0827-41-1477（錦川鉄道㈱）", &mut w, &mut c)
        else {
            panic!()
        };
        assert_eq!(
            (l[0].value.as_str(), l[0].label.as_deref()),
            ("0827-41-1477", Some("錦川鉄道㈱"))
        );
        let Some(Contact::Many(l)) = one(
            "【耳鼻咽喉科】　(083)934-3800　　【眼科】　(083)934-3801",
            &mut w,
            &mut c,
        ) else {
            panic!()
        };
        assert_eq!(l.len(), 2);
        assert_eq!(
            (l[1].value.as_str(), l[1].label.as_deref()),
            ("083-934-3801", Some("眼科"))
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(
            contact("http://www.岩国病院.jp/", true, 2, &mut w, &mut c),
            Some(Contact::One("http://www.xn--vcsv5k9wyg03a.jp/".into()))
        );
    }

    #[test]
    fn department_lists() {
        assert_eq!(split_texts("内科_小児科_眼科"), ["内科", "小児科", "眼科"]);
        assert_eq!(split_texts("内科;外科"), ["内科", "外科"]);
        assert_eq!(
            split_texts("内科・外科、小児科"),
            ["内科", "外科", "小児科"]
        );
        assert_eq!(
            split_texts("緩和ケア内科 乳腺・内分泌外科 糖尿病・内分泌・代謝内科"),
            [
                "緩和ケア内科",
                "乳腺・内分泌外科",
                "糖尿病・内分泌・代謝内科"
            ]
        );
    }

    #[test]
    fn type_patterns() {
        let map: Vec<(String, String)> = [
            ("病院", "hospital"),
            ("*診療所", "clinic"),
            ("*保健*", "health_center"),
            ("*", "other"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(map_type("病院", &map), Some("hospital"));
        assert_eq!(map_type("無床診療所", &map), Some("clinic"));
        assert_eq!(map_type("阿東保健センター", &map), Some("health_center"));
        assert_eq!(map_type("", &map), Some("other"));
        assert_eq!(map_type("歯科", &map[..3]), None);
        assert!(glob("a*b*c", "a12b34c") && !glob("a*b*c", "a12c") && !glob("ab*ba", "aba"));
    }

    #[test]
    fn cells_of_sheets_are_named() {
        let mut w = vec![Warning::file("a"), Warning::at(3, "phone x is not valid")];
        in_column(&mut w, "column E (電話番号)");
        in_column(&mut w, "column F (URL)");
        assert_eq!(w[0].message, "a");
        assert_eq!(w[1].message, "column E (電話番号): phone x is not valid");
        in_column(&mut w, "");
        assert_eq!(w[1].message, "column E (電話番号): phone x is not valid");
    }

    #[test]
    fn addresses_from_parts_and_areas() {
        let names: BTreeMap<String, (String, String)> = [
            ("353434", "山口県", "田布施町"),
            ("352039", "山口県", "山口市"),
            ("431044", "熊本県", "熊本市南区"),
        ]
        .iter()
        .map(|(c, p, m)| (c.to_string(), (p.to_string(), m.to_string())))
        .collect();
        assert_eq!(
            with_prefecture("田布施町下田布施937-12", Some("353434"), &names),
            "山口県田布施町下田布施937-12"
        );
        assert_eq!(
            with_prefecture("熊毛郡田布施町波野197-1", None, &names),
            "山口県熊毛郡田布施町波野197-1"
        );
        assert_eq!(
            with_prefecture("東京都千代田区", None, &names),
            "東京都千代田区"
        );
        assert_eq!(
            municipality_in_address("熊本市南区田井島1丁目5-1", &names).as_deref(),
            Some("431044")
        );
        let cells = |f: Field| match f {
            Field::Address => "山口市小郡下郷1773-1",
            Field::AddressPrefecture => "山口県",
            Field::AddressCity => "山口市",
            Field::AddressTown => "小郡下郷",
            Field::AddressRest => "1773ｰ1",
            _ => "",
        };
        assert_eq!(address_of(&cells), "山口県山口市小郡下郷1773-1");
        let mut opts = OdsOptions::new("x.csv", Kind::Facilities, TypeRule::Fixed("clinic".into()));
        opts.municipality_names = names;
        let mut r = Record::default();
        set_municipality_by_name(&mut r, "熊毛郡田布施町", &opts);
        assert_eq!(r.municipality.as_deref(), Some("353434"));
        let mut r = Record::default();
        set_municipality_by_name(&mut r, "山口県山口市", &opts);
        assert_eq!(r.municipality.as_deref(), Some("352039"));
    }

    #[test]
    fn header_roles() {
        assert_eq!(Field::auto("名称"), Some(Field::Name));
        assert_eq!(Field::auto("歯科技工所名"), Some(Field::Name));
        assert_eq!(Field::auto("市区町村名"), Some(Field::MunicipalityName));
        assert_eq!(Field::auto("都道府県名"), None);
        assert_eq!(Field::auto(&header_key("公園URL")), Some(Field::Url));
        assert_eq!(
            Field::auto(&header_key("病院ホームページ")),
            Some(Field::Url)
        );
        assert_eq!(Field::auto(&header_key("連絡先FormURL")), None);
        assert_eq!(Field::auto("団体名"), None);
        assert_eq!(Field::auto("施設正式名称"), Some(Field::Name));
        assert_eq!(
            Field::auto(&header_key("telephone　number")),
            Some(Field::Phone)
        );
        assert!(is_personal(&header_key("開　設　者")));
        assert!(is_personal("corporaterepresentative"));
    }
}
