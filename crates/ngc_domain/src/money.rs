//! Money in pence, exact: parsing, display, rounding from decimals, percentages and a
//! largest-remainder allocator whose parts always sum to the whole.
//!
//! Amounts are whole pence in an `i64` (±£92 thousand billion). Arithmetic is checked:
//! the `checked_*` methods return `None` on overflow; the operators (`+`, `-`, unary `-`,
//! `+=`, `-=`, `Sum`) panic on overflow, which no council's figures come near — use the
//! checked forms wherever an amount comes from outside.
//!
//! Text form: `1234.56`, `-0.05`, `12` — at most two decimal places, no thousands separators,
//! no currency sign. JSON carries money as that string, never as a float.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

/// An amount of money in whole pence (sterling).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why a text or decimal could not become money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The text was empty.
    #[error("empty amount")]
    Empty,
    /// The text is not a plain decimal amount.
    #[error(
        "`{0}` is not an amount: expected digits with an optional `-` and up to two decimal places, e.g. 1234.56"
    )]
    Invalid(String),
    /// The text has more than two decimal places; amounts are never rounded silently.
    #[error("`{0}` has more than two decimal places")]
    TooManyDecimals(String),
    /// The amount does not fit in the range of `Money`.
    #[error("amount out of range")]
    Overflow,
}

/// How to round a decimal to whole pence (or a percentage to two places).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Halves go away from zero (0.125 → 0.13, -0.125 → -0.13): how councils publish figures
    /// and how spreadsheets' `ROUND` works, so published figures can be reproduced. The rule
    /// for every figure ngc shows.
    HalfAwayFromZero,
    /// Halves go to the even neighbour (0.125 → 0.12, 0.135 → 0.14): unbiased over many
    /// roundings, for intermediate sums that are never published one by one.
    HalfEven,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

impl Money {
    /// Nothing.
    pub const ZERO: Money = Money(0);
    /// The largest amount.
    pub const MAX: Money = Money(i64::MAX);
    /// The smallest (most negative) amount.
    pub const MIN: Money = Money(i64::MIN);

    /// An amount of pence.
    pub const fn pence(pence: i64) -> Money {
        Money(pence)
    }

    /// An amount of whole pounds.
    ///
    /// # Panics
    /// If `pounds × 100` overflows `i64` (beyond ±£92 thousand billion).
    pub const fn pounds(pounds: i64) -> Money {
        match pounds.checked_mul(100) {
            Some(p) => Money(p),
            None => panic!("Money::pounds overflow"),
        }
    }

    /// The amount in pence.
    pub const fn as_pence(self) -> i64 {
        self.0
    }

    /// Whether the amount is zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Whether the amount is below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Whether the amount is above zero.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The sum, or `None` on overflow.
    pub const fn checked_add(self, other: Money) -> Option<Money> {
        match self.0.checked_add(other.0) {
            Some(p) => Some(Money(p)),
            None => None,
        }
    }

    /// The difference, or `None` on overflow.
    pub const fn checked_sub(self, other: Money) -> Option<Money> {
        match self.0.checked_sub(other.0) {
            Some(p) => Some(Money(p)),
            None => None,
        }
    }

    /// The amount times a whole number, or `None` on overflow.
    pub const fn checked_mul(self, times: i64) -> Option<Money> {
        match self.0.checked_mul(times) {
            Some(p) => Some(Money(p)),
            None => None,
        }
    }

    /// The negated amount, or `None` for [`Money::MIN`].
    pub const fn checked_neg(self) -> Option<Money> {
        match self.0.checked_neg() {
            Some(p) => Some(Money(p)),
            None => None,
        }
    }

    /// The sum of amounts, or `None` on overflow.
    pub fn checked_sum<I: IntoIterator<Item = Money>>(items: I) -> Option<Money> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// The absolute amount, or `None` for [`Money::MIN`].
    pub const fn checked_abs(self) -> Option<Money> {
        match self.0.checked_abs() {
            Some(p) => Some(Money(p)),
            None => None,
        }
    }

    /// The larger of zero and the amount.
    pub fn max_zero(self) -> Money {
        self.max(Money::ZERO)
    }

    /// The amount in pounds as an exact decimal with two places.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// The amount in pounds as a float, for statistics and charts only (never stored).
    pub fn to_f64_pounds(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// An amount in pounds with at most two decimal places, exactly; more places are an error.
    pub fn from_decimal_exact(pounds: Decimal) -> Result<Money, MoneyError> {
        let normal = pounds.normalize();
        if normal.scale() > 2 {
            return Err(MoneyError::TooManyDecimals(pounds.to_string()));
        }
        Self::from_decimal_rounded(pounds, Rounding::HalfAwayFromZero)
    }

    /// An amount in pounds rounded to whole pence by `rule`.
    ///
    /// Figures ngc publishes use [`Rounding::HalfAwayFromZero`], the rule councils and
    /// spreadsheets use, so that a published figure (a Band D, a requirement) is reproduced
    /// to the penny.
    pub fn from_decimal_rounded(pounds: Decimal, rule: Rounding) -> Result<Money, MoneyError> {
        let pence = pounds
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or(MoneyError::Overflow)?
            .round_dp_with_strategy(0, rule.strategy());
        pence.to_i64().map(Money).ok_or(MoneyError::Overflow)
    }

    /// The amount times a decimal factor (a rate, a tax base), rounded to pence by `rule`.
    pub fn mul_decimal(self, factor: Decimal, rule: Rounding) -> Result<Money, MoneyError> {
        let pounds = self
            .to_decimal()
            .checked_mul(factor)
            .ok_or(MoneyError::Overflow)?;
        Self::from_decimal_rounded(pounds, rule)
    }

    /// The amount with a pound sign and thousands separators: `£1,234.56`, `-£0.05`.
    pub fn fmt_gbp(self) -> String {
        let abs = self.0.unsigned_abs();
        let pounds = (abs / 100).to_string();
        let mut grouped = String::with_capacity(pounds.len() + pounds.len() / 3 + 6);
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}£{grouped}.{:02}", abs % 100)
    }
}

impl fmt::Display for Money {
    /// `1234.56`, `-0.05`: pounds with two places, no separators.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Parses `-?digits(.d{1,2})?`; rejects a third decimal place, separators and signs.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let invalid = || MoneyError::Invalid(s.to_owned());
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let frac = frac.unwrap_or("00");
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooManyDecimals(s.to_owned()));
        }
        let frac_pence: i64 = frac.parse::<i64>().map_err(|_| invalid())?;
        let frac_pence = if frac.len() == 1 {
            frac_pence * 10
        } else {
            frac_pence
        };
        let whole: i128 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let magnitude = whole
            .checked_mul(100)
            .and_then(|p| p.checked_add(i128::from(frac_pence)))
            .ok_or(MoneyError::Overflow)?;
        let signed = if negative { -magnitude } else { magnitude };
        i64::try_from(signed)
            .map(Money)
            .map_err(|_| MoneyError::Overflow)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Add for Money {
    type Output = Money;
    /// # Panics
    /// On overflow; use [`Money::checked_add`] for amounts from outside.
    fn add(self, other: Money) -> Money {
        self.checked_add(other).expect("Money addition overflowed")
    }
}

impl Sub for Money {
    type Output = Money;
    /// # Panics
    /// On overflow; use [`Money::checked_sub`] for amounts from outside.
    fn sub(self, other: Money) -> Money {
        self.checked_sub(other)
            .expect("Money subtraction overflowed")
    }
}

impl Neg for Money {
    type Output = Money;
    /// # Panics
    /// For [`Money::MIN`].
    fn neg(self) -> Money {
        self.checked_neg().expect("Money negation overflowed")
    }
}

impl AddAssign for Money {
    /// # Panics
    /// On overflow.
    fn add_assign(&mut self, other: Money) {
        *self = *self + other;
    }
}

impl SubAssign for Money {
    /// # Panics
    /// On overflow.
    fn sub_assign(&mut self, other: Money) {
        *self = *self - other;
    }
}

impl Sum for Money {
    /// # Panics
    /// On overflow; use [`Money::checked_sum`] for amounts from outside.
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, |a, b| a + b)
    }
}

impl<'a> Sum<&'a Money> for Money {
    /// # Panics
    /// On overflow.
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

/// Why a total could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    /// There are no parts to split a non-zero total into.
    #[error("no parts to allocate {0} to")]
    NoParts(Money),
    /// Every weight is zero, so there is no basis for a split.
    #[error("every weight is zero: no basis to allocate {0}")]
    AllWeightsZero(Money),
}

/// Splits `total` in proportion to `weights` by the largest-remainder method.
///
/// Each part is the exact share rounded down in magnitude; the pence left over go one each
/// to the parts with the largest remainders (ties to the earlier part). So the parts always
/// sum exactly to `total`, each is within a penny of its exact share, a zero weight gets
/// nothing, a larger weight never gets less, and a negative total splits as the negation of
/// the positive one.
///
/// A zero total splits into zeros whatever the weights (even none or all zero). Otherwise
/// no weights, or all-zero weights, are an error: there is no basis for a split.
pub fn allocate<W: Copy + Into<u64>>(
    total: Money,
    weights: &[W],
) -> Result<Vec<Money>, AllocationError> {
    if total.is_zero() {
        return Ok(vec![Money::ZERO; weights.len()]);
    }
    if weights.is_empty() {
        return Err(AllocationError::NoParts(total));
    }
    let weight_sum: u128 = weights.iter().map(|&w| u128::from(w.into())).sum();
    if weight_sum == 0 {
        return Err(AllocationError::AllWeightsZero(total));
    }
    let magnitude = u128::from(total.0.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        // magnitude < 2^64 and w < 2^64, so the product fits in u128.
        let exact = magnitude * u128::from(w.into());
        parts.push(exact / weight_sum);
        remainders.push((exact % weight_sum, i));
    }
    let given: u128 = parts.iter().sum();
    let left = usize::try_from(magnitude - given).expect("fewer pence left than parts");
    // Largest remainder first; ties to the earlier part.
    remainders.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in remainders.iter().take(left) {
        parts[i] += 1;
    }
    let negative = total.is_negative();
    Ok(parts
        .into_iter()
        .map(|p| {
            // Each part is at most the magnitude of `total`, which fits in i64 or is 2^63 for MIN.
            let p = i128::try_from(p).expect("part fits in i128");
            let signed = if negative { -p } else { p };
            Money(i64::try_from(signed).expect("part no larger than the total"))
        })
        .collect())
}

/// The percentage change from `from` to `to`, rounded to two places half away from zero
/// (`1048.57 → 1069.02` is `1.95`), the way councils publish council-tax increases.
/// `None` when `from` is zero.
pub fn percent_change(from: Money, to: Money) -> Option<Decimal> {
    if from.is_zero() {
        return None;
    }
    let diff = Decimal::from(i128::from(to.0) - i128::from(from.0));
    let pct = diff.checked_mul(Decimal::ONE_HUNDRED)? / Decimal::from(from.0);
    Some(round_pct(pct))
}

/// Rounds a percentage to two places, half away from zero (the published form).
pub fn round_pct(pct: Decimal) -> Decimal {
    pct.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

#[cfg(test)]
mod tests;
