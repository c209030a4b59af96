//! Municipality codes that changed after the boundary data kenkomap's importers and `init`
//! use (国土数値情報 N03, 2021-01-01; 医療圏 A38, 2020), so that a registry with newer codes
//! (e.g. the 医療情報ネット files of 2025) is placed by its predecessors' polygons and area.
//!
//! Each entry is a fact from the official announcement of the change (総務省告示 on 市町村の
//! 廃置分合 / 区の設置, as listed in the 全国地方公共団体コード tables of 総務省): the new code,
//! the date it took effect, and the codes it replaced. `whole` is false for a predecessor
//! that was split between several new codes: then only the location can tell which part.

use crate::registry::MuniCode;

/// One code that replaced others.
#[derive(Debug)]
pub struct Succession {
    /// The new code, 6 digits with check digit.
    pub code: &'static str,
    pub name: &'static str,
    /// When the change took effect (YYYY-MM-DD).
    pub since: &'static str,
    /// The codes it replaced, and whether each went into it whole.
    pub predecessors: &'static [(&'static str, bool)],
}

/// Every change since 2020 that kenkomap knows. 浜松市 reorganised its seven wards into three
/// on 2024-01-01: 中区, 東区, 西区 and 南区 into 中央区, 浜北区 into 浜名区, 天竜区 under a new code,
/// and 北区 divided between 中央区 and 浜名区.
pub const SUCCESSIONS: &[Succession] = &[
    Succession {
        code: "221384",
        name: "浜松市中央区",
        since: "2024-01-01",
        predecessors: &[
            ("221317", true),
            ("221325", true),
            ("221333", true),
            ("221341", true),
            ("221350", false),
        ],
    },
    Succession {
        code: "221392",
        name: "浜松市浜名区",
        since: "2024-01-01",
        predecessors: &[("221368", true), ("221350", false)],
    },
    Succession {
        code: "221406",
        name: "浜松市天竜区",
        since: "2024-01-01",
        predecessors: &[("221376", true)],
    },
];

/// The succession that introduced `code`, if kenkomap knows one.
pub fn succession_of(code: MuniCode) -> Option<&'static Succession> {
    SUCCESSIONS
        .iter()
        .find(|s| MuniCode::parse(s.code).is_ok_and(|c| c == code))
}

impl Succession {
    pub fn predecessor_codes(&self) -> impl Iterator<Item = MuniCode> + '_ {
        self.predecessors
            .iter()
            .filter_map(|(code, _)| MuniCode::parse(code).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of the table is a valid 6-digit code (check digit included), and no new code
    /// is its own predecessor.
    #[test]
    fn the_table_holds_valid_codes() {
        for s in SUCCESSIONS {
            let code = MuniCode::parse(s.code).unwrap_or_else(|e| panic!("{}: {e:?}", s.code));
            assert_eq!(
                s.predecessor_codes().count(),
                s.predecessors.len(),
                "{}",
                s.code
            );
            assert!(s.predecessor_codes().all(|p| p != code), "{}", s.code);
            assert!(jiff::civil::Date::strptime("%Y-%m-%d", s.since).is_ok());
        }
        assert!(succession_of(MuniCode::parse("221384").unwrap()).is_some());
        assert!(succession_of(MuniCode::parse("372013").unwrap()).is_none());
    }
}
