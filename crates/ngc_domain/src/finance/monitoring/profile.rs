//! A service line's budget through the year: its original budget spread by its profile, plus
//! the virements recorded against it.
//!
//! - **Profile.** Flat twelfths unless an officer has stored one for the line and year: twelve
//!   weights (April first; any scale, such as percentages, to two decimal places). The budget
//!   is shared by the weights with the largest-remainder allocator, so the months sum to the
//!   budget to the penny.
//! - **Virements** move budget from one service line to another from a month of the year. A
//!   virement's amount is spread flat over the months from the one it takes effect in to
//!   March, so the budget of the months before it (and the variance reported for them) stays
//!   as it was. It never changes the total budget: what one line gains another loses.

use super::MONTHS;
use crate::money::{Money, allocate};
use std::fmt;
use std::str::FromStr;

/// How a service line's budget is spread when no officer has stored a profile.
pub const FLAT: &str = "flat_twelfths";
/// How a service line's budget is spread when an officer has stored a profile.
pub const STORED: &str = "stored";

/// Twelve monthly weights, April first, in hundredths (`8.5` is 850).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights(pub [u32; MONTHS]);

/// Why a profile's text is not twelve weights.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WeightsError {
    #[error("a profile is twelve weights, April to March, separated by commas; found {0}")]
    Count(usize),
    #[error(
        "the weight for {month} (`{text}`) is not a number of at least 0 with at most two decimal places"
    )]
    Weight { month: &'static str, text: String },
    #[error("every weight is zero: at least one month must carry the budget")]
    AllZero,
}

/// The months of a financial year by name, April first.
pub const MONTH_NAMES: [&str; MONTHS] = [
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
];

fn hundredths(text: &str) -> Option<u32> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty()
        || !digits(whole)
        || !digits(frac)
        || frac.len() > 2
        || whole.len() > 6
    {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac: u32 = format!("{frac:0<2}").parse().ok()?;
    Some(whole * 100 + frac)
}

impl FromStr for Weights {
    type Err = WeightsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        if parts.len() != MONTHS {
            return Err(WeightsError::Count(parts.len()));
        }
        let mut w = [0u32; MONTHS];
        for (i, p) in parts.iter().enumerate() {
            w[i] = hundredths(p).ok_or_else(|| WeightsError::Weight {
                month: MONTH_NAMES[i],
                text: (*p).to_owned(),
            })?;
        }
        if w.iter().all(|x| *x == 0) {
            return Err(WeightsError::AllZero);
        }
        Ok(Weights(w))
    }
}

impl fmt::Display for Weights {
    /// The weights as entered: `8.50,8,…` (trailing zeros of the decimals dropped).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, w) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            match w % 100 {
                0 => write!(f, "{}", w / 100)?,
                r if r % 10 == 0 => write!(f, "{}.{}", w / 100, r / 10)?,
                r => write!(f, "{}.{r:02}", w / 100)?,
            }
        }
        Ok(())
    }
}

fn array(parts: Vec<Money>) -> [Money; MONTHS] {
    let mut out = [Money::ZERO; MONTHS];
    for (o, p) in out.iter_mut().zip(parts) {
        *o = p;
    }
    out
}

/// The budget spread by the weights, or in flat twelfths without them (the parts sum to the
/// budget exactly; the odd pence go to the earliest months of the largest remainders).
pub fn profiled(budget: Money, weights: Option<&Weights>) -> [Money; MONTHS] {
    let w = weights.map_or([1u32; MONTHS], |w| w.0);
    array(allocate(budget, &w).unwrap_or_else(|_| vec![Money::ZERO; MONTHS]))
}

/// A virement's amount spread flat over the months from `month` (0 is April) to March.
pub fn spread_from(amount: Money, month: usize) -> [Money; MONTHS] {
    let first = month.min(MONTHS - 1);
    let parts = allocate(amount, &vec![1u32; MONTHS - first])
        .unwrap_or_else(|_| vec![Money::ZERO; MONTHS - first]);
    let mut out = [Money::ZERO; MONTHS];
    out[first..].copy_from_slice(&parts);
    out
}

/// A line's monthly budget: the original budget by its profile plus the net virements into
/// it, `virements[i]` taking effect from month `i`.
pub fn monthly_budget(
    budget: Money,
    weights: Option<&Weights>,
    virements: &[Money; MONTHS],
) -> [Money; MONTHS] {
    let mut out = profiled(budget, weights);
    for (i, v) in virements.iter().enumerate().filter(|(_, v)| !v.is_zero()) {
        for (o, s) in out.iter_mut().zip(spread_from(*v, i)) {
            *o += s;
        }
    }
    out
}

/// Why a virement is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VirementError {
    #[error("a virement moves budget between two different service lines; both are `{0}`")]
    SameLine(String),
    #[error("a virement's amount must be more than zero; it is {0}")]
    NotPositive(String),
}

/// Checks a virement of `amount` from one service line to another.
pub fn check_virement(from: &str, to: &str, amount: Money) -> Result<(), VirementError> {
    if from == to {
        return Err(VirementError::SameLine(from.to_owned()));
    }
    if !amount.is_positive() {
        return Err(VirementError::NotPositive(amount.fmt_gbp()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn weights_read_as_entered_and_print_back() {
        let w: Weights = "10, 8.5, 8.25, 8,8,8,8,8,8,8,8,9".parse().unwrap();
        assert_eq!(w.0[..3], [1000, 850, 825]);
        assert_eq!(w.to_string(), "10,8.5,8.25,8,8,8,8,8,8,8,8,9");
        assert_eq!(
            "0,0,0,0,0,0,0,0,0,0,0,.5".parse::<Weights>().unwrap().0[11],
            50
        );
    }

    #[test]
    fn bad_weights_name_the_month_or_the_count() {
        assert_eq!("1,2,3".parse::<Weights>(), Err(WeightsError::Count(3)));
        assert_eq!(
            "1,1,1,1,1,-1,1,1,1,1,1,1".parse::<Weights>(),
            Err(WeightsError::Weight {
                month: "September",
                text: "-1".into()
            })
        );
        assert_eq!(
            "1,1,1,1,1,1,1,1,1,1,1,1.125".parse::<Weights>(),
            Err(WeightsError::Weight {
                month: "March",
                text: "1.125".into()
            })
        );
        assert_eq!(
            "1,1,1,1,1,1,1,1,1,1,,1".parse::<Weights>(),
            Err(WeightsError::Weight {
                month: "February",
                text: String::new()
            })
        );
        assert_eq!(
            "0,0,0,0,0,0,0,0,0,0,0,0".parse::<Weights>(),
            Err(WeightsError::AllZero)
        );
    }

    #[test]
    fn a_stored_profile_shares_the_budget_by_its_weights() {
        // Winter gritting: 60% of the budget in December to March.
        let w: Weights = "5,5,5,5,5,5,5,5,15,15,15,15".parse().unwrap();
        let p = profiled(m("1200.00"), Some(&w));
        assert_eq!(p[0], m("60.00"));
        assert_eq!(p[8], m("180.00"));
        assert_eq!(p.iter().copied().sum::<Money>(), m("1200.00"));
        // Weights of any scale: a third of the year in each of three months.
        let p = profiled(
            m("100.00"),
            Some(&"0,0,0,1,1,1,0,0,0,0,0,0".parse().unwrap()),
        );
        assert_eq!(p[3..6], [m("33.34"), m("33.33"), m("33.33")]);
        assert_eq!(profiled(m("1200.00"), None), [m("100.00"); MONTHS]);
    }

    #[test]
    fn a_virement_leaves_the_months_before_it_as_they_were() {
        // £900 moved in from October (month 6): six months of £150.
        let mut v = [Money::ZERO; MONTHS];
        v[6] = m("900.00");
        let b = monthly_budget(m("1200.00"), None, &v);
        assert_eq!(b[..6], [m("100.00"); 6]);
        assert_eq!(b[6..], [m("250.00"); 6]);
        // Moved out in March: the whole amount in March.
        assert_eq!(spread_from(m("-10.00"), 11)[11], m("-10.00"));
    }

    #[test]
    fn virements_are_refused_between_one_line_or_of_nothing() {
        assert_eq!(
            check_virement("Education", "Education", m("1.00")),
            Err(VirementError::SameLine("Education".into()))
        );
        assert!(matches!(
            check_virement("Education", "Highways", m("0")),
            Err(VirementError::NotPositive(_))
        ));
        assert_eq!(check_virement("Education", "Highways", m("0.01")), Ok(()));
    }

    proptest! {
        #[test]
        fn the_months_sum_to_the_budget_and_its_virements(
            budget in -100_000_000i64..100_000_000,
            weights in proptest::array::uniform12(0u32..10_000),
            moves in proptest::collection::vec((0usize..MONTHS, -1_000_000i64..1_000_000), 0..6),
        ) {
            let w = Weights(weights);
            let w = (weights.iter().any(|x| *x > 0)).then_some(&w);
            let mut v = [Money::ZERO; MONTHS];
            for (i, a) in &moves {
                v[*i] += Money::pence(*a);
            }
            let b = monthly_budget(Money::pence(budget), w, &v);
            let total: Money = b.iter().copied().sum();
            prop_assert_eq!(total, Money::pence(budget) + v.iter().copied().sum::<Money>());
            // The months before the first virement are the profile's alone.
            let first = moves.iter().map(|(i, _)| *i).min().unwrap_or(MONTHS);
            let p = profiled(Money::pence(budget), w);
            prop_assert_eq!(&b[..first], &p[..first]);
        }
    }
}
