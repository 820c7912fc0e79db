//! The values of a spend line as councils write them: amounts with `£`, thousands separators,
//! minus signs or brackets for credit notes; dates as `2016-04-01`, `01/04/2016` or, where a
//! council publishes only the month, `2016-04`; supplier names redacted for personal data.

use chrono::NaiveDate;
use ngc_domain::money::Money;

pub use ngc_domain::spend::PaidOn;

/// An amount: `1,234.56`, `£1,234.56`, `-203.01`, `(203.01)` or `203.01CR` for a credit;
/// at most two decimal places.
pub fn amount(text: &str) -> Result<Money, String> {
    let t = text.trim();
    let (negative, t) = if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner.trim())
    } else if let Some(rest) = t
        .strip_suffix("CR")
        .or_else(|| t.strip_suffix("cr"))
        .or_else(|| t.strip_suffix("Cr"))
    {
        (true, rest.trim())
    } else {
        (false, t)
    };
    let (minus, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let t = t.strip_prefix('£').unwrap_or(t).trim_start();
    let (minus_after, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let digits: String = t.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() {
        return Err(format!("`{text}` is not an amount: it is empty"));
    }
    let money: Money = digits.parse().map_err(|e| match e {
        ngc_domain::money::MoneyError::TooManyDecimals(_) => {
            format!("`{text}` has more than two decimal places")
        }
        _ => format!("`{text}` is not an amount of money"),
    })?;
    let negative = negative ^ minus ^ minus_after;
    Ok(if negative { -money } else { money })
}

/// A date: ISO `2016-04-01`, `01/04/2016` (day first, as English councils write it), or a
/// month `2016-04`; a day that does not exist is refused.
pub fn paid_on(text: &str) -> Result<PaidOn, String> {
    let t = text.trim();
    let t = t.strip_suffix("T00:00:00").unwrap_or(t);
    let t = t.split_once(' ').map_or(t, |(d, time)| {
        if time.trim_start_matches(['0', ':']).is_empty() {
            d
        } else {
            t
        }
    });
    let bad = || format!("`{text}` is not a date (2016-04-01, 01/04/2016 or 2016-04)");
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(PaidOn::Day(d));
    }
    if let Some((d, m, y)) =
        split3(t, '/').or_else(|| split3(t, '-').filter(|(d, ..)| d.len() <= 2))
    {
        let (day, month, year) = (num(d), num(m), num(y));
        if let (Some(day), Some(month), Some(year)) = (day, month, year) {
            if y.len() != 4 {
                return Err(bad());
            }
            return NaiveDate::from_ymd_opt(year as i32, month, day)
                .map(PaidOn::Day)
                .ok_or_else(|| format!("`{text}` is not a day of the calendar"));
        }
        return Err(bad());
    }
    if let Some((y, m)) = t.split_once('-')
        && y.len() == 4
        && m.len() == 2
        && let (Some(year), Some(month)) = (num(y), num(m))
    {
        return NaiveDate::from_ymd_opt(year as i32, month, 1)
            .map(PaidOn::Month)
            .ok_or_else(|| format!("`{text}` is not a month of the calendar"));
    }
    // An ISO date that parsed as none above names a day that does not exist.
    if t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-' {
        return Err(format!("`{text}` is not a day of the calendar"));
    }
    Err(bad())
}

fn split3(t: &str, sep: char) -> Option<(&str, &str, &str)> {
    let mut parts = t.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    parts.next().is_none().then_some((a, b, c))
}

fn num(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Whether a supplier name is redacted (personal data withheld): "Redacted", "REDACTED -
/// personal data", "Personal Information", "Withheld", or only asterisks.
pub fn is_redacted(supplier: &str) -> bool {
    let s = supplier.trim().to_lowercase();
    (!s.is_empty() && s.chars().all(|c| c == '*'))
        || [
            "redacted",
            "personal data",
            "personal information",
            "withheld",
        ]
        .iter()
        .any(|w| s.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pence(text: &str) -> Result<i64, String> {
        amount(text).map(|m| m.as_pence())
    }

    #[test]
    fn amounts_are_read_as_councils_write_them() {
        assert_eq!(pence("1,234.56"), Ok(123_456));
        assert_eq!(pence("£1,234.5"), Ok(123_450));
        assert_eq!(pence(" 742.50 "), Ok(74_250));
        assert_eq!(pence("-203.01"), Ok(-20_301));
        assert_eq!(pence("-£203.01"), Ok(-20_301));
        assert_eq!(pence("£-203.01"), Ok(-20_301));
        assert_eq!(pence("(1,000.00)"), Ok(-100_000));
        assert_eq!(pence("203.01CR"), Ok(-20_301));
        assert_eq!(pence("0"), Ok(0));
        assert_eq!(
            pence("12.345"),
            Err("`12.345` has more than two decimal places".into())
        );
        assert_eq!(pence("abc"), Err("`abc` is not an amount of money".into()));
        assert!(pence("").is_err());
    }

    #[test]
    fn dates_are_iso_day_first_or_a_month() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(paid_on("2016-04-01"), Ok(PaidOn::Day(d("2016-04-01"))));
        assert_eq!(paid_on("01/04/2016"), Ok(PaidOn::Day(d("2016-04-01"))));
        assert_eq!(paid_on("1/4/2016"), Ok(PaidOn::Day(d("2016-04-01"))));
        assert_eq!(paid_on("01-04-2016"), Ok(PaidOn::Day(d("2016-04-01"))));
        assert_eq!(
            paid_on("2016-04-01 00:00:00"),
            Ok(PaidOn::Day(d("2016-04-01")))
        );
        assert_eq!(paid_on("2015-04"), Ok(PaidOn::Month(d("2015-04-01"))));
        assert_eq!(
            paid_on("2015-02-30"),
            Err("`2015-02-30` is not a day of the calendar".into())
        );
        assert_eq!(
            paid_on("31/04/2016"),
            Err("`31/04/2016` is not a day of the calendar".into())
        );
        assert!(paid_on("2015-13").is_err());
        assert!(paid_on("April 2016").is_err());
        assert!(paid_on("01/04/16").is_err());
    }

    #[test]
    fn redacted_suppliers_are_recognised() {
        for s in [
            "REDACTED",
            "Redacted - personal data",
            "Personal Information",
            "*****",
            "Withheld",
        ] {
            assert!(is_redacted(s), "{s}");
        }
        for s in ["Royal Mail Group Ltd", "VLC (Stairlifts) Limited", ""] {
            assert!(!is_redacted(s), "{s}");
        }
    }
}
