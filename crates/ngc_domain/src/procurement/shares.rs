//! Cost shares of a joint procurement: each buyer's percentage of the contract's value,
//! summing to exactly 100%, and the split of an amount between them to the penny.
//!
//! The split is by [`allocate`] (largest remainder): each buyer gets its exact share rounded
//! down, and the pence left over go one each to the largest remainders; equal remainders go
//! to the larger share, then to the buyer whose slug comes first alphabetically. So the parts
//! always sum exactly to the amount, and the same shares always split the same way.

use crate::money::{Money, allocate};
use crate::slug::Slug;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// The most decimal places a share may have (`33.333334`).
pub const SHARE_PLACES: u32 = 6;

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

    /// Splits `total` between the buyers, in the order of the shares; the parts sum exactly
    /// to `total`.
    pub fn split(&self, total: Money) -> Vec<BuyerAmount> {
        let weight = |s: &CostShare| -> u64 {
            (s.percent * Decimal::from(10u64.pow(SHARE_PLACES)))
                .to_u64()
                .expect("a checked share is at most 100 with 6 places")
        };
        // Equal remainders go to the earlier part: order by larger share, then slug.
        let mut order: Vec<usize> = (0..self.shares.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.shares[a], &self.shares[b]);
            b.percent
                .cmp(&a.percent)
                .then_with(|| a.buyer.cmp(&b.buyer))
        });
        let weights: Vec<u64> = order.iter().map(|&i| weight(&self.shares[i])).collect();
        let parts = allocate(total, &weights).expect("shares summing to 100% have a basis");
        let mut amounts = vec![Money::ZERO; self.shares.len()];
        for (&i, part) in order.iter().zip(parts) {
            amounts[i] = part;
        }
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

    fn split(list: &[(&str, &str)], pence: i64) -> Vec<(String, i64)> {
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
        assert_eq!(split(list, pence), expected);
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
    }
}
