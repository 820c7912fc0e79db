//! Shares, and the one allocator that splits an amount by them to the penny.
//!
//! Every split in ngc goes through [`split`]: a joint tender's cost shares, a contract's buyer
//! shares, a shared service's cost pool by fixed shares or by a driver (headcount,
//! transactions, invoices, users, budget), and a joint commission's key (households, tax base,
//! population). A weight is any non-negative decimal with at most [`SHARE_PLACES`] places: a
//! percentage, a driver value or a key value.
//!
//! The split is by largest remainder: each party gets its exact share rounded down, and the
//! pence left over go one each to the largest remainders; equal remainders go to the larger
//! weight, then to the party whose slug comes first alphabetically. So the parts always sum
//! exactly to the amount, and the same weights always split the same way.
//!
//! [`CostShares`] are weights in per cent that sum to exactly 100%.

use crate::money::{Money, allocate};
use crate::slug::Slug;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// The most decimal places a share or weight may have (`33.333334`).
pub const SHARE_PLACES: u32 = 6;

/// Why an amount could not be split by a set of weights.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// A weight below zero.
    #[error("`{party}`'s weight may not be negative ({})", weight.normalize())]
    Negative {
        /// The party.
        party: Slug,
        /// Its weight.
        weight: Decimal,
    },
    /// Too many decimal places.
    #[error("`{party}`'s weight {weight} has more than 6 decimal places")]
    TooPrecise {
        /// The party.
        party: Slug,
        /// Its weight.
        weight: Decimal,
    },
    /// A weight too large to split by exactly.
    #[error("`{party}`'s weight {weight} is too large")]
    TooLarge {
        /// The party.
        party: Slug,
        /// Its weight.
        weight: Decimal,
    },
    /// Nobody to split a non-zero amount between, or every weight zero.
    #[error("no party has a weight above zero: no basis to split £{0}")]
    NoBasis(Money),
}

/// Splits `total` between parties in proportion to their weights, by largest remainder, in
/// the order given. The parts sum exactly to `total`; each is within a penny of its exact
/// share; equal remainders go to the larger weight, then to the first slug alphabetically.
/// A zero total splits into zeros whatever the weights.
pub fn split(total: Money, weights: &[(&Slug, Decimal)]) -> Result<Vec<Money>, SplitError> {
    let mut places = 0;
    for &(party, weight) in weights {
        if weight < Decimal::ZERO {
            return Err(SplitError::Negative {
                party: party.clone(),
                weight,
            });
        }
        let scale = weight.normalize().scale();
        if scale > SHARE_PLACES {
            return Err(SplitError::TooPrecise {
                party: party.clone(),
                weight,
            });
        }
        places = places.max(scale);
    }
    let factor = Decimal::from(10u64.pow(places));
    let mut scaled = Vec::with_capacity(weights.len());
    for &(party, weight) in weights {
        let w = (weight * factor)
            .to_u64()
            .ok_or_else(|| SplitError::TooLarge {
                party: party.clone(),
                weight,
            })?;
        scaled.push(w);
    }
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        scaled[b]
            .cmp(&scaled[a])
            .then_with(|| weights[a].0.cmp(weights[b].0))
    });
    let ordered: Vec<u64> = order.iter().map(|&i| scaled[i]).collect();
    let parts = allocate(total, &ordered).map_err(|_| SplitError::NoBasis(total))?;
    let mut amounts = vec![Money::ZERO; weights.len()];
    for (&i, part) in order.iter().zip(parts) {
        amounts[i] = part;
    }
    Ok(amounts)
}

/// Percentages in proportion to the weights, each to [`SHARE_PLACES`] places, summing to
/// exactly 100 (by [`split`] of 100.000000%), so that they make [`CostShares`].
pub fn percentages(weights: &[(&Slug, Decimal)]) -> Result<Vec<Decimal>, SplitError> {
    let millionths = 100 * 10i64.pow(SHARE_PLACES);
    Ok(split(Money::pence(millionths), weights)?
        .into_iter()
        .map(|m| Decimal::new(m.as_pence(), SHARE_PLACES).normalize())
        .collect())
}

/// A weight as a percentage of all the weights, to [`SHARE_PLACES`] places (half away from
/// zero); zero when every weight is zero.
pub fn percent_of(weight: Decimal, all: Decimal) -> Decimal {
    if all.is_zero() {
        return Decimal::ZERO;
    }
    (weight * Decimal::ONE_HUNDRED / all)
        .round_dp_with_strategy(
            SHARE_PLACES,
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        )
        .normalize()
}

/// One buyer's share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostShare {
    /// The buyer (an organisation's slug).
    pub buyer: Slug,
    /// Its share in per cent.
    pub percent: Decimal,
}

/// Checked cost shares: at least one buyer, each once, none negative, at most
/// [`SHARE_PLACES`] places, summing to exactly 100%.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<CostShare>", into = "Vec<CostShare>")]
pub struct CostShares {
    shares: Vec<CostShare>,
}

/// Why cost shares are not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SharesError {
    /// No buyers.
    #[error("the cost shares name no buyer: at least one is needed")]
    Empty,
    /// The shares do not sum to 100%.
    #[error("the buyers' cost shares sum to {}%, not 100%", total.normalize())]
    Sum {
        /// The sum, in per cent.
        total: Decimal,
    },
    /// A buyer listed twice.
    #[error("buyer `{buyer}` has two cost shares")]
    Duplicate {
        /// The buyer.
        buyer: Slug,
    },
    /// A negative share.
    #[error("buyer `{buyer}`'s cost share may not be negative ({}%)", percent.normalize())]
    Negative {
        /// The buyer.
        buyer: Slug,
        /// The share.
        percent: Decimal,
    },
    /// Too many decimal places.
    #[error("buyer `{buyer}`'s cost share {percent}% has more than 6 decimal places")]
    TooPrecise {
        /// The buyer.
        buyer: Slug,
        /// The share.
        percent: Decimal,
    },
}

/// A buyer's part of an amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerAmount {
    /// The buyer.
    pub buyer: Slug,
    /// Its share in per cent.
    pub percent: Decimal,
    /// Its part of the amount.
    pub amount: Money,
}

impl CostShares {
    /// Checks and makes cost shares, kept in the order given.
    pub fn new(shares: Vec<CostShare>) -> Result<CostShares, SharesError> {
        if shares.is_empty() {
            return Err(SharesError::Empty);
        }
        for (i, s) in shares.iter().enumerate() {
            if shares[..i].iter().any(|o| o.buyer == s.buyer) {
                return Err(SharesError::Duplicate {
                    buyer: s.buyer.clone(),
                });
            }
            if s.percent < Decimal::ZERO {
                return Err(SharesError::Negative {
                    buyer: s.buyer.clone(),
                    percent: s.percent,
                });
            }
            if s.percent.normalize().scale() > SHARE_PLACES {
                return Err(SharesError::TooPrecise {
                    buyer: s.buyer.clone(),
                    percent: s.percent,
                });
            }
        }
        let total: Decimal = shares.iter().map(|s| s.percent).sum();
        if total != Decimal::ONE_HUNDRED {
            return Err(SharesError::Sum { total });
        }
        Ok(CostShares { shares })
    }

    /// One buyer paying everything.
    pub fn sole(buyer: Slug) -> CostShares {
        CostShares {
            shares: vec![CostShare {
                buyer,
                percent: Decimal::ONE_HUNDRED,
            }],
        }
    }

    /// The shares, in the order given.
    pub fn shares(&self) -> &[CostShare] {
        &self.shares
    }

    /// Splits `total` between the buyers, in the order of the shares, by [`split`]; the
    /// parts sum exactly to `total`.
    pub fn split(&self, total: Money) -> Vec<BuyerAmount> {
        let weights: Vec<(&Slug, Decimal)> =
            self.shares.iter().map(|s| (&s.buyer, s.percent)).collect();
        let amounts = split(total, &weights).expect("checked shares summing to 100% split");
        self.shares
            .iter()
            .zip(amounts)
            .map(|(s, amount)| BuyerAmount {
                buyer: s.buyer.clone(),
                percent: s.percent,
                amount,
            })
            .collect()
    }
}

impl TryFrom<Vec<CostShare>> for CostShares {
    type Error = SharesError;
    fn try_from(shares: Vec<CostShare>) -> Result<Self, Self::Error> {
        CostShares::new(shares)
    }
}

impl From<CostShares> for Vec<CostShare> {
    fn from(s: CostShares) -> Self {
        s.shares
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::collection::vec;
    use proptest::prelude::*;
    use rstest::rstest;

    fn shares(list: &[(&str, &str)]) -> Result<CostShares, SharesError> {
        CostShares::new(
            list.iter()
                .map(|(b, p)| CostShare {
                    buyer: Slug::parse(b).unwrap(),
                    percent: p.parse().unwrap(),
                })
                .collect(),
        )
    }

    fn split_shares(list: &[(&str, &str)], pence: i64) -> Vec<(String, i64)> {
        shares(list)
            .unwrap()
            .split(Money::pence(pence))
            .into_iter()
            .map(|a| (a.buyer.to_string(), a.amount.as_pence()))
            .collect()
    }

    #[rstest]
    #[case::short(&[("north", "60"), ("west", "35")], "the buyers' cost shares sum to 95%, not 100%")]
    #[case::over(&[("north", "60.5"), ("west", "40")], "the buyers' cost shares sum to 100.5%, not 100%")]
    #[case::empty(&[], "the cost shares name no buyer: at least one is needed")]
    #[case::twice(&[("north", "50"), ("north", "50")], "buyer `north` has two cost shares")]
    #[case::negative(&[("north", "110"), ("west", "-10")], "buyer `west`'s cost share may not be negative (-10%)")]
    #[case::too_precise(&[("north", "50.0000001"), ("west", "49.9999999")], "buyer `north`'s cost share 50.0000001% has more than 6 decimal places")]
    fn invalid_shares_are_refused_in_words(#[case] list: &[(&str, &str)], #[case] message: &str) {
        assert_eq!(shares(list).unwrap_err().to_string(), message);
    }

    #[rstest]
    #[case::even(&[("north", "60"), ("west", "40")], 1_000_000, &[("north", 600_000), ("west", 400_000)])]
    // Thirds of £100: 3,333.3333p, 3,333.3333p, 3,333.3334p: the largest remainder gets the penny.
    #[case::thirds(&[("aa", "33.333333"), ("bb", "33.333333"), ("cc", "33.333334")], 10_000, &[("aa", 3_333), ("bb", 3_333), ("cc", 3_334)])]
    // Equal shares, equal remainders: the penny goes to the first slug alphabetically.
    #[case::tie_to_slug(&[("west", "50"), ("north", "50")], 1, &[("west", 0), ("north", 1)])]
    // 25% and 75% of 2p: 0.5p and 1.5p, equal remainders: the penny goes to the larger share.
    #[case::tie_to_larger_share(&[("aa", "25"), ("zz", "75")], 2, &[("aa", 0), ("zz", 2)])]
    #[case::zero_share(&[("north", "100"), ("west", "0")], 12_345, &[("north", 12_345), ("west", 0)])]
    #[case::negative_total(&[("north", "60"), ("west", "40")], -1_001, &[("north", -601), ("west", -400)])]
    fn amounts_are_split_to_the_penny(
        #[case] list: &[(&str, &str)],
        #[case] pence: i64,
        #[case] expected: &[(&str, i64)],
    ) {
        let expected: Vec<(String, i64)> = expected
            .iter()
            .map(|(b, p)| ((*b).to_owned(), *p))
            .collect();
        assert_eq!(split_shares(list, pence), expected);
    }

    #[test]
    fn a_sole_buyer_pays_everything_and_shares_round_trip_through_json() {
        let sole = CostShares::sole(Slug::parse("north").unwrap());
        assert_eq!(
            sole.split(Money::pence(12_345))[0].amount,
            Money::pence(12_345)
        );
        let s = shares(&[("north", "60"), ("west", "40")]).unwrap();
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(
            json,
            serde_json::json!([{"buyer": "north", "percent": "60"}, {"buyer": "west", "percent": "40"}])
        );
        assert_eq!(serde_json::from_value::<CostShares>(json).unwrap(), s);
        let bad = serde_json::json!([{"buyer": "north", "percent": "60"}]);
        let err = serde_json::from_value::<CostShares>(bad).unwrap_err();
        assert!(err.to_string().contains("sum to 60%, not 100%"), "{err}");
    }

    /// Shares of up to 6 buyers in millionths, summing to 100%.
    fn any_shares() -> impl Strategy<Value = CostShares> {
        vec(0u64..1_000_000, 1..6).prop_map(|raw| {
            let sum: u64 = raw.iter().sum::<u64>().max(1);
            let mut millionths: Vec<u64> = raw.iter().map(|r| r * 100_000_000 / sum).collect();
            let given: u64 = millionths.iter().sum();
            millionths[0] += 100_000_000 - given;
            CostShares::new(
                millionths
                    .iter()
                    .enumerate()
                    .map(|(i, m)| CostShare {
                        buyer: Slug::parse(&format!("buyer-{i}")).unwrap(),
                        percent: Decimal::new(*m as i64, 6),
                    })
                    .collect(),
            )
            .unwrap()
        })
    }

    fn weights(list: &[(&str, &str)]) -> Vec<(Slug, Decimal)> {
        list.iter()
            .map(|(p, w)| (Slug::parse(p).unwrap(), w.parse().unwrap()))
            .collect()
    }

    fn split_weights(list: &[(&str, &str)], pence: i64) -> Result<Vec<i64>, SplitError> {
        let owned = weights(list);
        let refs: Vec<(&Slug, Decimal)> = owned.iter().map(|(p, w)| (p, *w)).collect();
        split(Money::pence(pence), &refs).map(|v| v.iter().map(|m| m.as_pence()).collect())
    }

    #[rstest]
    // Headcounts 3 and 1 of 1p: 0.75p and 0.25p, the penny to the larger remainder.
    #[case::drivers(&[("cambs", "1"), ("north", "3")], 1, &[0, 1])]
    // Tax bases with one decimal place.
    #[case::tax_base(&[("corby", "19500.5"), ("kettering", "29500.5")], 100_000, &[39_796, 60_204])]
    // Equal weights, equal remainders: the penny to the first slug.
    #[case::tie_to_slug(&[("zz", "7"), ("aa", "7")], 1, &[0, 1])]
    // Equal remainders (0.5p each), the penny to the larger weight.
    #[case::tie_to_weight(&[("aa", "1"), ("zz", "3")], 2, &[0, 2])]
    #[case::zero_total(&[], 0, &[])]
    fn weights_split_to_the_penny(
        #[case] list: &[(&str, &str)],
        #[case] pence: i64,
        #[case] expected: &[i64],
    ) {
        assert_eq!(split_weights(list, pence).unwrap(), expected);
    }

    #[rstest]
    #[case::none(&[], "no party has a weight above zero: no basis to split £0.01")]
    #[case::all_zero(&[("aa", "0")], "no party has a weight above zero: no basis to split £0.01")]
    #[case::negative(&[("aa", "-1")], "`aa`'s weight may not be negative (-1)")]
    #[case::too_precise(&[("aa", "0.0000001")], "`aa`'s weight 0.0000001 has more than 6 decimal places")]
    #[case::too_large(&[("aa", "99999999999999999999")], "`aa`'s weight 99999999999999999999 is too large")]
    fn weights_without_a_basis_are_refused_in_words(
        #[case] list: &[(&str, &str)],
        #[case] message: &str,
    ) {
        assert_eq!(split_weights(list, 1).unwrap_err().to_string(), message);
    }

    #[test]
    fn weights_make_percentages_summing_to_exactly_100() {
        let owned = weights(&[("aa", "1"), ("bb", "1"), ("cc", "1")]);
        let refs: Vec<(&Slug, Decimal)> = owned.iter().map(|(p, w)| (p, *w)).collect();
        let pct = percentages(&refs).unwrap();
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(pct, vec![d("33.333334"), d("33.333333"), d("33.333333")]);
        let shares = CostShares::new(
            owned
                .iter()
                .zip(pct)
                .map(|((buyer, _), percent)| CostShare {
                    buyer: buyer.clone(),
                    percent,
                })
                .collect(),
        );
        assert!(shares.is_ok(), "{shares:?}");
    }

    #[test]
    fn a_weight_is_given_as_a_percentage_of_all() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(percent_of(d("1"), d("3")), d("33.333333"));
        assert_eq!(percent_of(d("2"), d("3")), d("66.666667"));
        assert_eq!(percent_of(d("5"), d("0")), d("0"));
    }

    proptest! {
        #[test]
        fn the_parts_always_sum_exactly_to_the_total(s in any_shares(), total in -10_000_000_000i64..10_000_000_000) {
            let parts = s.split(Money::pence(total));
            prop_assert_eq!(parts.iter().map(|p| p.amount).sum::<Money>(), Money::pence(total));
            for p in &parts {
                // Each within a penny of its exact share.
                let exact = Decimal::from(total) * p.percent / Decimal::ONE_HUNDRED;
                prop_assert!((Decimal::from(p.amount.as_pence()) - exact).abs() < Decimal::ONE);
            }
        }

        #[test]
        fn shares_not_summing_to_100_are_refused_naming_the_sum(raw in vec(0i64..10_000, 1..6)) {
            let list: Vec<CostShare> = raw
                .iter()
                .enumerate()
                .map(|(i, r)| CostShare {
                    buyer: Slug::parse(&format!("buyer-{i}")).unwrap(),
                    percent: Decimal::new(*r, 2),
                })
                .collect();
            let sum: i64 = raw.iter().sum();
            match CostShares::new(list) {
                Ok(_) => prop_assert_eq!(sum, 10_000),
                Err(e) => {
                    prop_assert_ne!(sum, 10_000);
                    prop_assert_eq!(e.to_string(), format!("the buyers' cost shares sum to {}%, not 100%", Decimal::new(sum, 2).normalize()));
                }
            }
        }

        #[test]
        fn any_weights_split_exactly_and_fairly(
            raw in vec((0u64..10_000_000, 0u32..4), 1..8),
            total in -10_000_000_000i64..10_000_000_000,
        ) {
            let owned: Vec<(Slug, Decimal)> = raw
                .iter()
                .enumerate()
                .map(|(i, (m, places))| (Slug::parse(&format!("party-{i}")).unwrap(), Decimal::new(*m as i64, *places)))
                .collect();
            let refs: Vec<(&Slug, Decimal)> = owned.iter().map(|(p, w)| (p, *w)).collect();
            let sum: Decimal = owned.iter().map(|(_, w)| *w).sum();
            match split(Money::pence(total), &refs) {
                Ok(parts) => {
                    prop_assert_eq!(parts.iter().copied().sum::<Money>(), Money::pence(total));
                    for (part, (_, w)) in parts.iter().zip(&owned) {
                        let exact = Decimal::from(total) * *w / sum;
                        prop_assert!((Decimal::from(part.as_pence()) - exact).abs() < Decimal::ONE);
                    }
                }
                Err(e) => prop_assert!(sum.is_zero() && total != 0, "{}", e),
            }
        }
    }
}
