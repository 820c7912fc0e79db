//! Council-tax referendum principles: the limits per year and class of authority above which
//! an increase is "excessive" and needs a local referendum. The limits are data — a CSV file
//! users can extend — shipped filled in from 2012-13 (`referendum_principles.csv`).

use super::year::FinancialYear;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::text_enum! {
    /// The class of authority a set of referendum principles applies to.
    pub enum AuthorityClass as "authority class" {
        /// A shire county council (social care authority).
        ShireCounty = "shire_county", "Shire county";
        /// A unitary authority (social care authority).
        Unitary = "unitary", "Unitary authority";
        /// A metropolitan district (social care authority).
        MetropolitanDistrict = "metropolitan_district", "Metropolitan district";
        /// A London borough or the City of London (social care authority).
        LondonBorough = "london_borough", "London borough";
        /// A shire district or borough council.
        ShireDistrict = "shire_district", "Shire district";
        /// A fire and rescue authority.
        Fire = "fire", "Fire and rescue authority";
        /// A police and crime commissioner.
        Police = "police", "Police and crime commissioner";
        /// The Greater London Authority.
        Gla = "gla", "Greater London Authority";
    }
}

impl AuthorityClass {
    /// The class for a DLUHC class code as used in the council tax and outturn tables
    /// (`SC`, `UA`, `MD`, `ILB`, `OLB`, `SD`, `CFA`, `MF`, `PCC`, `GLA`).
    pub fn from_dluhc_code(code: &str) -> Option<AuthorityClass> {
        Some(match code {
            "SC" => AuthorityClass::ShireCounty,
            "UA" => AuthorityClass::Unitary,
            "MD" => AuthorityClass::MetropolitanDistrict,
            "ILB" | "OLB" | "LB" => AuthorityClass::LondonBorough,
            "SD" => AuthorityClass::ShireDistrict,
            "CFA" | "MF" => AuthorityClass::Fire,
            "PCC" => AuthorityClass::Police,
            "GLA" => AuthorityClass::Gla,
            _ => return None,
        })
    }

    /// Whether the class has adult social care responsibilities (and so, from 2016-17, an
    /// adult social care precept).
    pub fn has_social_care(self) -> bool {
        matches!(
            self,
            AuthorityClass::ShireCounty
                | AuthorityClass::Unitary
                | AuthorityClass::MetropolitanDistrict
                | AuthorityClass::LondonBorough
        )
    }
}

/// The referendum principle for one year and class of authority.
///
/// An increase in the Band D amount is excessive when it is at least the percentage limit
/// (`core_limit_pct + asc_precept_pct`) and, where a cash alternative is set, also more than
/// the cash limit. With only a cash limit (police from 2018-19), more than the cash limit is
/// excessive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principle {
    /// The financial year.
    pub year: FinancialYear,
    /// The class of authority.
    pub authority_class: AuthorityClass,
    /// The core percentage limit, if any.
    pub core_limit_pct: Option<Decimal>,
    /// The extra percentage allowed as adult social care precept, if any.
    pub asc_precept_pct: Option<Decimal>,
    /// The cash alternative on a Band D bill (districts: "3% or £5, whichever is higher").
    pub cash_limit_gbp: Option<Money>,
    /// Whether the figures were checked against an official source.
    pub confirmed: bool,
    /// Where the figures come from.
    pub source: String,
}

impl Principle {
    /// The total percentage limit (core plus adult social care precept), if any.
    pub fn pct_limit(&self) -> Option<Decimal> {
        match (self.core_limit_pct, self.asc_precept_pct) {
            (None, None) => None,
            (core, asc) => Some(core.unwrap_or_default() + asc.unwrap_or_default()),
        }
    }
}

/// A CSV of principles that could not be read: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("referendum principles, line {line}, column `{column}`: {message}")]
pub struct PrinciplesError {
    /// The 1-based line of the CSV text.
    pub line: usize,
    /// The column name.
    pub column: String,
    /// What is wrong.
    pub message: String,
}

/// The referendum principles known to ngc, by year and class of authority.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Principles {
    by_key: BTreeMap<(FinancialYear, AuthorityClass), Principle>,
}

const COLUMNS: [&str; 7] = [
    "year",
    "authority_class",
    "core_limit_pct",
    "asc_precept_pct",
    "cash_limit_gbp",
    "confirmed",
    "source",
];

/// The shipped data file.
pub const SHIPPED_CSV: &str = include_str!("referendum_principles.csv");

impl Principles {
    /// The principles shipped with ngc (2012-13 onwards; rows marked `confirmed=false`
    /// could not be checked against an official source).
    pub fn shipped() -> Principles {
        Principles::from_csv_str(SHIPPED_CSV).expect("the shipped referendum principles parse")
    }

    /// Reads principles from CSV text with the header
    /// `year,authority_class,core_limit_pct,asc_precept_pct,cash_limit_gbp,confirmed,source`
    /// (columns in any order; fields may be double-quoted). Empty limits mean "none".
    /// A year and class given twice is an error.
    pub fn from_csv_str(text: &str) -> Result<Principles, PrinciplesError> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let (_, header) = lines.next().ok_or_else(|| PrinciplesError {
            line: 1,
            column: String::new(),
            message: "no header row".into(),
        })?;
        let header = split_csv_line(header).map_err(|message| PrinciplesError {
            line: 1,
            column: String::new(),
            message,
        })?;
        let mut index = [0usize; COLUMNS.len()];
        for (slot, name) in index.iter_mut().zip(COLUMNS) {
            *slot = header
                .iter()
                .position(|h| h.trim() == name)
                .ok_or_else(|| PrinciplesError {
                    line: 1,
                    column: name.into(),
                    message: "missing column".into(),
                })?;
        }
        let mut out = Principles::default();
        for (i, raw) in lines {
            let line = i + 1;
            let err = |column: &str, message: String| PrinciplesError {
                line,
                column: column.into(),
                message,
            };
            let fields = split_csv_line(raw).map_err(|m| err("", m))?;
            if fields.len() != header.len() {
                return Err(err(
                    "",
                    format!("{} fields, expected {}", fields.len(), header.len()),
                ));
            }
            let get = |c: usize| fields[index[c]].trim();
            let pct = |c: usize| -> Result<Option<Decimal>, PrinciplesError> {
                match get(c) {
                    "" => Ok(None),
                    s => s
                        .parse::<Decimal>()
                        .ok()
                        .filter(|d| !d.is_sign_negative())
                        .map(Some)
                        .ok_or_else(|| err(COLUMNS[c], format!("`{s}` is not a percentage"))),
                }
            };
            let principle = Principle {
                year: get(0)
                    .parse()
                    .map_err(|e| err(COLUMNS[0], format!("{e}")))?,
                authority_class: get(1)
                    .parse()
                    .map_err(|e| err(COLUMNS[1], format!("{e}")))?,
                core_limit_pct: pct(2)?,
                asc_precept_pct: pct(3)?,
                cash_limit_gbp: match get(4) {
                    "" => None,
                    s => Some(s.parse().map_err(|e| err(COLUMNS[4], format!("{e}")))?),
                },
                confirmed: match get(5) {
                    "true" => true,
                    "false" => false,
                    s => return Err(err(COLUMNS[5], format!("`{s}`: expected true or false"))),
                },
                source: get(6).to_owned(),
            };
            if principle.pct_limit().is_none() && principle.cash_limit_gbp.is_none() {
                return Err(err(
                    COLUMNS[2],
                    "no percentage or cash limit: leave the row out instead".into(),
                ));
            }
            let key = (principle.year, principle.authority_class);
            if out.by_key.insert(key, principle).is_some() {
                return Err(err(COLUMNS[0], format!("{} {} given twice", key.0, key.1)));
            }
        }
        Ok(out)
    }

    /// These principles with `other`'s rows added, replacing any for the same year and class.
    pub fn extended_with(mut self, other: Principles) -> Principles {
        self.by_key.extend(other.by_key);
        self
    }

    /// The principle for a year and class, if known.
    pub fn get(&self, year: FinancialYear, class: AuthorityClass) -> Option<&Principle> {
        self.by_key.get(&(year, class))
    }

    /// Every principle, by year then class.
    pub fn iter(&self) -> impl Iterator<Item = &Principle> {
        self.by_key.values()
    }

    /// How many principles there are.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// Splits one CSV line into fields: commas separate, double quotes enclose fields that may
/// contain commas, `""` inside quotes is a quote.
pub(crate) fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (false, '"') if field.is_empty() => quoted = true,
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => {
                quoted = false;
                if !matches!(chars.peek(), None | Some(',')) {
                    return Err("text after a closing quote".into());
                }
            }
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err("unterminated quote".into());
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn year(s: &str) -> FinancialYear {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_shipped_file_covers_every_year_from_2012_13_for_counties_and_districts() {
        let p = Principles::shipped();
        let mut y = year("2012-13");
        while y <= year("2025-26") {
            for class in [AuthorityClass::ShireCounty, AuthorityClass::ShireDistrict] {
                assert!(p.get(y, class).is_some(), "{y} {class}");
            }
            y = y.next().unwrap();
        }
    }

    #[rstest]
    #[case::county_2014_15("2014-15", AuthorityClass::ShireCounty, Some("2"), None)]
    #[case::county_2015_16("2015-16", AuthorityClass::ShireCounty, Some("2"), None)]
    #[case::county_2016_17_with_asc("2016-17", AuthorityClass::ShireCounty, Some("4"), None)]
    #[case::unitary_2016_17_with_asc("2016-17", AuthorityClass::Unitary, Some("4"), None)]
    #[case::district_2016_17_cash("2016-17", AuthorityClass::ShireDistrict, Some("2"), Some(500))]
    #[case::police_2018_19_cash_only("2018-19", AuthorityClass::Police, None, Some(1200))]
    fn shipped_limits_match_the_principles_reports(
        #[case] y: &str,
        #[case] class: AuthorityClass,
        #[case] pct: Option<&str>,
        #[case] cash_pence: Option<i64>,
    ) {
        let p = Principles::shipped();
        let principle = p.get(year(y), class).unwrap();
        assert_eq!(principle.pct_limit(), pct.map(d));
        assert_eq!(principle.cash_limit_gbp, cash_pence.map(Money::pence));
    }

    #[test]
    fn the_brief_s_years_are_marked_confirmed_and_guesses_are_not() {
        let p = Principles::shipped();
        for y in ["2014-15", "2015-16", "2016-17"] {
            assert!(
                p.get(year(y), AuthorityClass::ShireCounty)
                    .unwrap()
                    .confirmed
            );
        }
        assert!(
            !p.get(year("2012-13"), AuthorityClass::ShireCounty)
                .unwrap()
                .confirmed
        );
        assert!(
            p.iter()
                .filter(|r| !r.confirmed)
                .all(|r| !r.source.is_empty())
        );
    }

    #[test]
    fn social_care_precept_only_for_social_care_authorities() {
        for principle in Principles::shipped().iter() {
            if principle.asc_precept_pct.is_some() {
                assert!(principle.authority_class.has_social_care(), "{principle:?}");
            }
        }
    }

    const HEADER: &str =
        "year,authority_class,core_limit_pct,asc_precept_pct,cash_limit_gbp,confirmed,source";

    #[rstest]
    #[case::bad_year("2030-32,shire_county,2,,,true,x", 2, "year")]
    #[case::bad_class("2030-31,parish,2,,,true,x", 2, "authority_class")]
    #[case::bad_pct("2030-31,shire_county,two,,,true,x", 2, "core_limit_pct")]
    #[case::negative_pct("2030-31,shire_county,-1,,,true,x", 2, "core_limit_pct")]
    #[case::cash_with_three_places("2030-31,shire_district,2,,5.001,true,x", 2, "cash_limit_gbp")]
    #[case::bad_flag("2030-31,shire_county,2,,,yes,x", 2, "confirmed")]
    #[case::no_limit("2030-31,shire_county,,,,true,x", 2, "core_limit_pct")]
    #[case::duplicate("2030-31,unitary,2,,,true,x\n2030-31,unitary,3,,,true,y", 3, "year")]
    fn errors_name_the_line_and_column(
        #[case] rows: &str,
        #[case] line: usize,
        #[case] column: &str,
    ) {
        let err = Principles::from_csv_str(&format!("{HEADER}\n{rows}")).unwrap_err();
        assert_eq!((err.line, err.column.as_str()), (line, column), "{err}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = Principles::from_csv_str("year,authority_class\n").unwrap_err();
        assert_eq!(err.column, "core_limit_pct");
    }

    #[test]
    fn quoted_fields_may_hold_commas_and_columns_may_be_reordered() {
        let text = "source,confirmed,cash_limit_gbp,asc_precept_pct,core_limit_pct,authority_class,year\n\
                    \"Principles report, 2030\",true,,1.5,2.99,unitary,2030-31\n";
        let p = Principles::from_csv_str(text).unwrap();
        let row = p.get(year("2030-31"), AuthorityClass::Unitary).unwrap();
        assert_eq!(row.source, "Principles report, 2030");
        assert_eq!(row.pct_limit(), Some(d("4.49")));
    }

    #[test]
    fn users_extend_and_override_the_shipped_set() {
        let extra = Principles::from_csv_str(&format!(
            "{HEADER}\n2015-16,shire_county,1.5,,,true,local policy\n2040-41,unitary,3,,,false,x\n"
        ))
        .unwrap();
        let shipped = Principles::shipped();
        let n = shipped.len();
        let all = shipped.extended_with(extra);
        assert_eq!(all.len(), n + 1);
        let row = all
            .get(year("2015-16"), AuthorityClass::ShireCounty)
            .unwrap();
        assert_eq!(row.core_limit_pct, Some(d("1.5")));
    }

    #[rstest]
    #[case::county("SC", Some(AuthorityClass::ShireCounty))]
    #[case::inner_london("ILB", Some(AuthorityClass::LondonBorough))]
    #[case::met_fire("MF", Some(AuthorityClass::Fire))]
    #[case::combined_authority("CA", None)]
    fn dluhc_class_codes_map_to_classes(#[case] code: &str, #[case] class: Option<AuthorityClass>) {
        assert_eq!(AuthorityClass::from_dluhc_code(code), class);
    }

    #[rstest]
    #[case::plain("a,b,,c", vec!["a", "b", "", "c"])]
    #[case::quoted_comma("\"a,b\",c", vec!["a,b", "c"])]
    #[case::escaped_quote("\"say \"\"hi\"\"\",x", vec!["say \"hi\"", "x"])]
    fn csv_lines_split_on_unquoted_commas(#[case] line: &str, #[case] fields: Vec<&str>) {
        assert_eq!(split_csv_line(line).unwrap(), fields);
    }

    #[test]
    fn an_unterminated_quote_is_an_error() {
        assert!(split_csv_line("\"abc,d").is_err());
        assert!(split_csv_line("\"abc\"d,e").is_err());
    }
}
