//! Common Procurement Vocabulary codes, and which are light-touch services or reservable for
//! public service mutuals under each regime (`data/light_touch_cpv.csv`,
//! `data/reservable_cpv.csv`).
//!
//! The lists are ranges of codes as the schedules write them ("from 85000000 to 85323000");
//! a code covers the codes below it in the CPV tree (its trailing zeros), so a range runs from
//! its first code to the last code under its last code.

use super::regime::Regime;
use super::table::{DataError, Table};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A CPV 2008 main-vocabulary code: 8 digits (the check digit, `-N`, is accepted and dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct CpvCode(u32);

/// A CPV code that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a CPV code: expected 8 digits, optionally with a check digit (85311000-2)")]
pub struct CpvError(pub String);

impl FromStr for CpvCode {
    type Err = CpvError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = match s.split_once('-') {
            Some((code, check))
                if check.len() == 1 && check.bytes().all(|b| b.is_ascii_digit()) =>
            {
                code
            }
            Some(_) => return Err(CpvError(s.to_owned())),
            None => s,
        };
        if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CpvError(s.to_owned()));
        }
        digits
            .parse()
            .map(CpvCode)
            .map_err(|_| CpvError(s.to_owned()))
    }
}

impl fmt::Display for CpvCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08}", self.0)
    }
}

impl From<CpvCode> for String {
    fn from(c: CpvCode) -> String {
        c.to_string()
    }
}

impl CpvCode {
    /// The last code under this one in the CPV tree: trailing zeros (below the two-digit
    /// division) become nines, so 85000000 covers up to 85999999 and 79611000 up to 79611999.
    pub fn last_below(self) -> CpvCode {
        let mut span = 1u32;
        let mut rest = self.0;
        while span < 1_000_000 && rest.is_multiple_of(10) {
            rest /= 10;
            span *= 10;
        }
        CpvCode(self.0 + span - 1)
    }
}

/// A range of codes in a list, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CpvRange {
    /// The regime whose list this is.
    pub regime: Regime,
    /// The first code.
    pub from: CpvCode,
    /// The last listed code (the codes under it are covered too).
    pub to: CpvCode,
    /// The description, from CPV 2008.
    pub description: String,
    /// Whether the row was checked against the legislation.
    pub confirmed: bool,
    /// Where it comes from.
    pub source: String,
}

impl CpvRange {
    /// Whether `code` falls in the range.
    pub fn contains(&self, code: CpvCode) -> bool {
        self.from <= code && code <= self.to.last_below()
    }
}

/// A list of CPV ranges per regime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpvList {
    rows: Vec<CpvRange>,
}

/// The shipped light-touch list.
pub const LIGHT_TOUCH_CSV: &str = include_str!("data/light_touch_cpv.csv");
/// The shipped list of services reservable for public service mutuals.
pub const RESERVABLE_CSV: &str = include_str!("data/reservable_cpv.csv");

impl CpvList {
    /// Light-touch services: PCR 2015 Schedule 3; PA2023 the Procurement Regulations 2024.
    pub fn light_touch() -> CpvList {
        CpvList::from_csv_str("light_touch_cpv.csv", LIGHT_TOUCH_CSV)
            .expect("the shipped light-touch list parses")
    }

    /// Services reservable for public service mutuals: PCR 2015 reg 77; PA2023 s33.
    pub fn reservable() -> CpvList {
        CpvList::from_csv_str("reservable_cpv.csv", RESERVABLE_CSV)
            .expect("the shipped reservable list parses")
    }

    /// Reads a list from CSV with the header `regime,from_code,to_code,description,confirmed,source`.
    pub fn from_csv_str(file: &str, text: &str) -> Result<CpvList, DataError> {
        let table = Table::parse(
            file,
            text,
            &[
                "regime",
                "from_code",
                "to_code",
                "description",
                "confirmed",
                "source",
            ],
        )?;
        let mut rows = Vec::new();
        for row in table.rows() {
            let from: CpvCode = row.parse("from_code")?;
            let to: CpvCode = row.parse("to_code")?;
            if to < from {
                return Err(row.error("to_code", format!("{to} comes before {from}")));
            }
            rows.push(CpvRange {
                regime: row.parse("regime")?,
                from,
                to,
                description: row.text("description")?,
                confirmed: row.flag("confirmed")?,
                source: row.text("source")?,
            });
        }
        Ok(CpvList { rows })
    }

    /// The range of `regime`'s list that holds `code`, if any.
    pub fn find(&self, regime: Regime, code: CpvCode) -> Option<&CpvRange> {
        self.rows
            .iter()
            .find(|r| r.regime == regime && r.contains(code))
    }

    /// Every range, in file order.
    pub fn rows(&self) -> &[CpvRange] {
        &self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn code(s: &str) -> CpvCode {
        s.parse().unwrap()
    }

    /// The 9,454 codes of CPV 2008 in `../shared/data` (tests may read it; the binary does not).
    fn cpv_2008() -> Vec<(CpvCode, String)> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/procurement/cpv-2008.csv"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        text.lines()
            .skip(1)
            .map(|l| {
                let (c, d) = l.split_once(',').unwrap();
                (code(c), d.trim_matches('"').to_owned())
            })
            .collect()
    }

    #[rstest]
    #[case::plain("85311000", Ok(85311000))]
    #[case::with_check_digit("85311000-2", Ok(85311000))]
    #[case::leading_zero("03000000", Ok(3000000))]
    #[case::seven_digits("8531100", Err(()))]
    #[case::letters("8531100x", Err(()))]
    #[case::long_check("85311000-22", Err(()))]
    fn codes_parse(#[case] text: &str, #[case] expected: Result<u32, ()>) {
        assert_eq!(
            text.parse::<CpvCode>().map(|c| c.0).map_err(|_| ()),
            expected
        );
    }

    #[rstest]
    #[case("85000000", "85999999")]
    #[case("79611000", "79611999")]
    #[case("75231240", "75231249")]
    #[case("98133110", "98133119")]
    #[case("03000000", "03999999")]
    fn a_code_covers_the_codes_below_it(#[case] c: &str, #[case] last: &str) {
        assert_eq!(code(c).last_below(), code(last));
    }

    #[rstest]
    #[case::residential_care(Regime::Pcr2015, "85311000", true)]
    #[case::social_work_under_the_act(Regime::Pa2023, "85312000", true)]
    #[case::school_meals(Regime::Pcr2015, "55523100", true)]
    #[case::legal_services(Regime::Pcr2015, "79110000", true)]
    #[case::refuse_collection(Regime::Pcr2015, "90511000", false)]
    #[case::road_works(Regime::Pa2023, "45233140", false)]
    #[case::office_supplies(Regime::Pa2023, "30192000", false)]
    fn light_touch_by_cpv(#[case] regime: Regime, #[case] c: &str, #[case] light_touch: bool) {
        assert_eq!(
            CpvList::light_touch().find(regime, code(c)).is_some(),
            light_touch
        );
    }

    #[rstest]
    #[case::social_work(Regime::Pcr2015, "85310000", true)]
    #[case::library_services(Regime::Pcr2015, "92510000", true)]
    #[case::legal_services_are_light_touch_but_not_reservable(Regime::Pcr2015, "79110000", false)]
    fn reservable_by_cpv(#[case] regime: Regime, #[case] c: &str, #[case] reservable: bool) {
        assert_eq!(
            CpvList::reservable().find(regime, code(c)).is_some(),
            reservable
        );
    }

    #[test]
    fn every_listed_code_is_a_cpv_2008_code_with_its_description() {
        let cpv = cpv_2008();
        assert_eq!(cpv.len(), 9454);
        let known: std::collections::HashMap<_, _> = cpv.into_iter().collect();
        for list in [CpvList::light_touch(), CpvList::reservable()] {
            for row in list.rows() {
                let from = known
                    .get(&row.from)
                    .unwrap_or_else(|| panic!("{} unknown", row.from));
                assert!(known.contains_key(&row.to), "{} unknown", row.to);
                assert!(
                    row.description.starts_with(from.as_str()),
                    "{}",
                    row.description
                );
            }
        }
    }

    #[test]
    fn every_reservable_service_is_a_light_touch_service() {
        let light = CpvList::light_touch();
        for row in CpvList::reservable().rows() {
            for c in [row.from, row.to] {
                assert!(light.find(row.regime, c).is_some(), "{} {c}", row.regime);
            }
        }
    }

    #[test]
    fn guesses_are_not_presented_as_confirmed() {
        for list in [CpvList::light_touch(), CpvList::reservable()] {
            for row in list.rows() {
                assert_eq!(row.confirmed, !row.source.starts_with("UNCONFIRMED"));
            }
        }
    }
}
