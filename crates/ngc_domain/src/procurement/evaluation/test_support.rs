//! Helpers shared by the evaluation tests.

use super::criteria::{CriteriaSet, Criterion, ScoringScale};
use super::price::PriceMethod;
use crate::slug::Slug;
use rust_decimal::Decimal;

/// A slug from a literal.
pub(crate) fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

/// A decimal from a literal.
pub(crate) fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// `Lot 1 criteria`: price 40% (lowest over bid), method statement 35%, social value 25%,
/// both on the 0–5 scale.
pub(crate) fn lot_1() -> CriteriaSet {
    CriteriaSet::new(
        "Lot 1 criteria",
        vec![
            Criterion::price(
                slug("price"),
                "Price",
                dec("40"),
                PriceMethod::LowestOverBid,
            ),
            Criterion::quality(
                slug("method"),
                "Method statement",
                dec("35"),
                ScoringScale::zero_to_five(),
            ),
            Criterion::quality(
                slug("social-value"),
                "Social value",
                dec("25"),
                ScoringScale::zero_to_five(),
            ),
        ],
    )
    .unwrap()
}
