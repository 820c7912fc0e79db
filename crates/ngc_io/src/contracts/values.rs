//! Reading one value of a contracts file: amounts, dates, yes/no flags, words of a closed set
//! and supplier identifiers. Each returns the value or a message naming the text and what
//! was expected; none allocates unless it must.

use ngc_domain::money::{Money, MoneyError};
use ngc_domain::organisation::{OrgId, Scheme};
use std::borrow::Cow;
use std::fmt::Display;
use std::str::FromStr;

use chrono::NaiveDate;

/// An amount of pounds, not negative, with at most two decimal places: `1234.56`,
/// `1,234.56` or `£1,234.56`. A third decimal place is refused, never rounded.
pub(super) fn pounds(text: &str) -> Result<Money, String> {
    let body = text.strip_prefix('£').map_or(text, str::trim_start);
    let plain = without_grouping(body).ok_or_else(|| not_pounds(text))?;
    match plain.parse::<Money>() {
        Ok(m) if m.is_negative() => Err(format!("`{text}` is negative: an amount is 0 or more")),
        Ok(m) => Ok(m),
        Err(MoneyError::TooManyDecimals(_)) => Err(format!(
            "`{text}` has more than two decimal places; amounts are never rounded"
        )),
        Err(MoneyError::Overflow) => Err(format!("`{text}` is too large an amount")),
        Err(_) => Err(not_pounds(text)),
    }
}

fn not_pounds(text: &str) -> String {
    format!("`{text}` is not an amount of pounds: expected e.g. 1234.56, 1,234.56 or £1,234.56")
}

/// `body` without its thousands separators, or `None` if they are misplaced
/// (`1,234,567.5` → `1234567.5`; `12,34` → `None`).
fn without_grouping(body: &str) -> Option<Cow<'_, str>> {
    if !body.contains(',') {
        return Some(Cow::Borrowed(body));
    }
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let unsigned = whole.strip_prefix('-').unwrap_or(whole);
    let mut groups = unsigned.split(',');
    let first = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    if !(1..=3).contains(&first.len()) || !digits(first) {
        return None;
    }
    if !groups.all(|g| g.len() == 3 && digits(g)) {
        return None;
    }
    let mut plain: String = whole.chars().filter(|&c| c != ',').collect();
    if let Some(f) = fraction {
        plain.push('.');
        plain.push_str(f);
    }
    Some(Cow::Owned(plain))
}

/// A day written `2016-04-01` (ISO) or `01/04/2016` (day/month/year, as in the UK; the day
/// and month may have one digit, the year must have four).
pub(super) fn date(text: &str) -> Result<NaiveDate, String> {
    let bad =
        || format!("`{text}` is not a date: expected 2016-04-01 or 01/04/2016 (day/month/year)");
    let number = |s: &str, lengths: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let mut iso = text.split('-');
    let mut uk = text.split('/');
    let (year, month, day) = match (iso.next(), iso.next(), iso.next(), iso.next()) {
        (Some(y), Some(m), Some(d), None) => (number(y, 4..=4), number(m, 2..=2), number(d, 2..=2)),
        _ => match (uk.next(), uk.next(), uk.next(), uk.next()) {
            (Some(d), Some(m), Some(y), None) => {
                (number(y, 4..=4), number(m, 1..=2), number(d, 1..=2))
            }
            _ => return Err(bad()),
        },
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(bad());
    };
    let year = i32::try_from(year).map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("`{text}` is not a day of the calendar"))
}

/// A yes/no value: `yes`, `no`, `true`, `false`, `y` or `n`, in any case.
pub(super) fn flag(text: &str) -> Result<bool, String> {
    const YES: [&str; 3] = ["yes", "true", "y"];
    const NO: [&str; 3] = ["no", "false", "n"];
    if YES.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(true)
    } else if NO.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        Ok(false)
    } else {
        Err(format!(
            "`{text}` is not a yes/no value: expected yes, no, true, false or blank (not stated)"
        ))
    }
}

/// A word of a closed set (a route, a VAT treatment), in any case, with spaces or hyphens
/// for underscores: `Direct award` reads as `direct_award`.
pub(super) fn word<T>(text: &str) -> Result<T, String>
where
    T: FromStr,
    T::Err: Display,
{
    let simple = text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    let result = if simple {
        text.parse::<T>()
    } else {
        let word: String = text
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        word.parse::<T>()
    };
    result.map_err(|e| e.to_string())
}

/// A supplier's registration identifier.
///
/// - An org-id identifier (`GB-COH-01234567`, `GB-CHC-1123456`, …) is taken as it is.
/// - A bare number in a column whose scheme the mapping names is in that scheme; a
///   Companies House number of digits only is padded with leading zeros to 8 (spreadsheets
///   drop them).
/// - Any other bare number: 8 characters in Companies House form (8 digits, or 2 letters and
///   6 digits) is a Companies House number (`GB-COH-`), 6 or 7 digits a Charity Commission
///   number (`GB-CHC-`).
///
/// Spaces are ignored and letters read as capitals.
pub(super) fn supplier_id(text: &str, scheme: Option<Scheme>) -> Result<OrgId, String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if compact.contains('-') {
        return compact.parse::<OrgId>().map_err(|e| e.to_string());
    }
    let all_digits = compact.bytes().all(|b| b.is_ascii_digit());
    let scheme = match scheme {
        Some(scheme) => scheme,
        None if compact.len() == 8 && companies_house_form(&compact) => Scheme::CompaniesHouse,
        None if (6..=7).contains(&compact.len()) && all_digits => Scheme::CharityCommission,
        None => {
            return Err(format!(
                "`{text}` is not a registration identifier: expected an org-id identifier \
                 such as GB-COH-01234567 or GB-CHC-1123456, a Companies House number \
                 (8 characters, e.g. 01234567 or SC123456) or a charity number (6 or 7 digits)"
            ));
        }
    };
    let id = match scheme {
        Scheme::CompaniesHouse if all_digits && (1..8).contains(&compact.len()) => {
            format!("{compact:0>8}")
        }
        _ => compact,
    };
    format!("{}-{id}", scheme.prefix())
        .parse::<OrgId>()
        .map_err(|e| e.to_string())
}

fn companies_house_form(id: &str) -> bool {
    let b = id.as_bytes();
    b.iter().all(u8::is_ascii_digit)
        || (b[..2].iter().all(u8::is_ascii_uppercase) && b[2..].iter().all(u8::is_ascii_digit))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ngc_domain::contracts::Route;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_take_a_pound_sign_and_thousands_separators() {
        assert_eq!(pounds("1234.56"), Ok(Money::pence(123_456)));
        assert_eq!(pounds("£1,234.56"), Ok(Money::pence(123_456)));
        assert_eq!(pounds("£ 1,234,567"), Ok(Money::pounds(1_234_567)));
        assert_eq!(pounds("0"), Ok(Money::ZERO));
        assert_eq!(pounds("5000.5"), Ok(Money::pence(500_050)));
    }

    #[test]
    fn amounts_are_refused_rather_than_rounded() {
        let e = pounds("1234.567").unwrap_err();
        assert!(e.contains("more than two decimal places"), "{e}");
        for bad in [
            "12,34", "1,2345", ",123", "£", "12.3.4", "1e5", "abc", "1 234",
        ] {
            let e = pounds(bad).unwrap_err();
            assert!(e.contains("is not an amount of pounds"), "{bad}: {e}");
        }
        assert!(pounds("-5").unwrap_err().contains("negative"));
    }

    #[test]
    fn dates_are_iso_or_day_month_year() {
        assert_eq!(date("2016-04-01"), Ok(d("2016-04-01")));
        assert_eq!(date("01/04/2016"), Ok(d("2016-04-01")));
        assert_eq!(date("1/4/2016"), Ok(d("2016-04-01")));
        assert_eq!(date("31/03/2019"), Ok(d("2019-03-31")));
        for bad in [
            "01/04/16",
            "2016-4-1",
            "04-01-2016",
            "2016/04/01",
            "",
            "1 April 2016",
        ] {
            assert!(date(bad).unwrap_err().contains("is not a date"), "{bad}");
        }
        assert!(date("31/02/2016").unwrap_err().contains("not a day"));
    }

    #[test]
    fn flags_are_yes_or_no_in_any_case() {
        for yes in ["yes", "YES", "True", "y"] {
            assert_eq!(flag(yes), Ok(true), "{yes}");
        }
        for no in ["no", "FALSE", "N"] {
            assert_eq!(flag(no), Ok(false), "{no}");
        }
        assert!(flag("maybe").is_err());
    }

    #[test]
    fn words_read_in_any_case_with_spaces_for_underscores() {
        assert_eq!(word::<Route>("tender"), Ok(Route::Tender));
        assert_eq!(word::<Route>("Direct Award"), Ok(Route::DirectAward));
        assert_eq!(word::<Route>("direct-award"), Ok(Route::DirectAward));
        let e = word::<Route>("auction").unwrap_err();
        assert!(e.contains("expected one of tender, quotes"), "{e}");
    }

    #[test]
    fn bare_numbers_become_org_ids_by_their_form() {
        let id = |t: &str| supplier_id(t, None).map(|i| i.to_string());
        assert_eq!(id("GB-COH-01234567").as_deref(), Ok("GB-COH-01234567"));
        assert_eq!(id("gb-chc-1123456").as_deref(), Ok("GB-CHC-1123456"));
        assert_eq!(id("01234567").as_deref(), Ok("GB-COH-01234567"));
        assert_eq!(id("sc123456").as_deref(), Ok("GB-COH-SC123456"));
        assert_eq!(id("1123456").as_deref(), Ok("GB-CHC-1123456"));
        assert_eq!(id("210183").as_deref(), Ok("GB-CHC-210183"));
        assert_eq!(id("0123 4567").as_deref(), Ok("GB-COH-01234567"));
        assert!(
            id("12345")
                .unwrap_err()
                .contains("is not a registration identifier")
        );
        assert!(id("GB-COH-123").unwrap_err().contains("expected 8 digits"));
        assert!(
            id("US-EIN-123")
                .unwrap_err()
                .contains("no known org-id scheme")
        );
    }

    #[test]
    fn a_column_with_a_scheme_restores_dropped_leading_zeros() {
        let coh = Some(Scheme::CompaniesHouse);
        let id = supplier_id("1234567", coh).unwrap();
        assert_eq!(id.to_string(), "GB-COH-01234567");
        let chc = supplier_id("1123456", Some(Scheme::CharityCommission)).unwrap();
        assert_eq!(chc.to_string(), "GB-CHC-1123456");
        assert!(supplier_id("12345678", Some(Scheme::CharityCommission)).is_err());
    }
}
