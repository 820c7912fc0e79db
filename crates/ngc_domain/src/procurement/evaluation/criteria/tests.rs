use super::*;
use crate::procurement::evaluation::test_support::{dec, lot_1, slug};
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;

fn q(key: &str, weight: &str) -> Criterion {
    Criterion::quality(
        slug(key),
        "A question",
        dec(weight),
        ScoringScale::zero_to_five(),
    )
}

fn p(key: &str, weight: &str) -> Criterion {
    Criterion::price(slug(key), "Price", dec(weight), PriceMethod::LowestOverBid)
}

#[test]
fn a_set_summing_to_100_is_made_and_keeps_its_order() {
    let set = lot_1();
    assert_eq!(set.name(), "Lot 1 criteria");
    let keys: Vec<&str> = set.criteria().iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["price", "method", "social-value"]);
    assert_eq!(set.price().unwrap().key, slug("price"));
    assert_eq!(set.quality().count(), 2);
    assert_eq!(set.get(&slug("method")).unwrap().weight, dec("35"));
    assert!(set.get(&slug("nothing")).is_none());
}

#[rstest]
#[case::short(vec![p("price", "40"), q("method", "35"), q("social", "20")], "95")]
#[case::over(vec![p("price", "60"), q("method", "50")], "110")]
#[case::fractions(vec![q("aa", "33.33"), q("bb", "33.33"), q("cc", "33.33")], "99.99")]
fn weights_must_sum_to_exactly_100(#[case] criteria: Vec<Criterion>, #[case] total: &str) {
    let err = CriteriaSet::new("Lot 1 criteria", criteria).unwrap_err();
    assert_eq!(
        err,
        CriteriaError::Weights {
            set: "Lot 1 criteria".into(),
            total: dec(total)
        }
    );
    assert_eq!(
        err.to_string(),
        format!("the weights of criteria set `Lot 1 criteria` sum to {total}%, not 100%")
    );
}

#[test]
fn the_weights_message_shows_the_sum_without_trailing_zeros() {
    let err = CriteriaSet::new("Lot 2", vec![q("aa", "45.50"), q("bb", "49.50")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the weights of criteria set `Lot 2` sum to 95%, not 100%"
    );
}

#[test]
fn thirds_summing_exactly_to_100_are_accepted() {
    let set = CriteriaSet::new(
        "Thirds",
        vec![q("aa", "33.33"), q("bb", "33.33"), q("cc", "33.34")],
    );
    assert!(set.is_ok());
}

#[rstest]
#[case::no_name("  ", vec![q("aa", "100")], "a criteria set needs a name")]
#[case::empty("Lot 1", vec![], "criteria set `Lot 1` has no criteria: it needs at least one")]
#[case::duplicate("Lot 1", vec![q("aa", "50"), q("aa", "50")], "criteria set `Lot 1` has two criteria with the key `aa`")]
#[case::negative("Lot 1", vec![q("aa", "110"), q("bb", "-10")], "criterion `bb` of criteria set `Lot 1` has a negative weight (-10%)")]
#[case::two_prices("Lot 1", vec![p("price", "30"), p("whole-life", "30"), q("aa", "40")], "criteria set `Lot 1` has two price criteria, `price` and `whole-life`: it may have one")]
fn invalid_sets_are_refused_naming_the_set(
    #[case] name: &str,
    #[case] criteria: Vec<Criterion>,
    #[case] message: &str,
) {
    assert_eq!(
        CriteriaSet::new(name, criteria).unwrap_err().to_string(),
        message
    );
}

#[test]
fn a_criterion_needs_a_name() {
    let mut c = q("aa", "100");
    c.name = " ".into();
    assert_eq!(
        CriteriaSet::new("Lot 1", vec![c]).unwrap_err().to_string(),
        "criterion `aa` of criteria set `Lot 1` has no name"
    );
}

#[test]
fn a_zero_weight_is_allowed() {
    assert!(CriteriaSet::new("Lot 1", vec![q("aa", "100"), q("bb", "0")]).is_ok());
}

#[rstest]
#[case::zero_max(ScoringScale { max: 0, descriptors: vec!["Nothing".into()] }, "the scoring scale of criterion `aa` of criteria set `Lot 1` must go above 0")]
#[case::too_few(ScoringScale { max: 3, descriptors: vec!["0".into(), "1".into(), "2".into()] }, "the scoring scale of criterion `aa` of criteria set `Lot 1` has 3 descriptors; a 0–3 scale needs 4, one for each score")]
#[case::too_many(ScoringScale { max: 1, descriptors: vec!["0".into(), "1".into(), "2".into()] }, "the scoring scale of criterion `aa` of criteria set `Lot 1` has 3 descriptors; a 0–1 scale needs 2, one for each score")]
#[case::blank(ScoringScale { max: 2, descriptors: vec!["None".into(), " ".into(), "Full".into()] }, "the scoring scale of criterion `aa` of criteria set `Lot 1` has no descriptor for a score of 1")]
fn quality_scales_go_above_0_with_a_descriptor_per_score(
    #[case] scale: ScoringScale,
    #[case] message: &str,
) {
    let c = Criterion::quality(slug("aa"), "A", dec("100"), scale);
    assert_eq!(
        CriteriaSet::new("Lot 1", vec![c]).unwrap_err().to_string(),
        message
    );
}

#[test]
fn the_zero_to_five_scale_describes_every_score() {
    let scale = ScoringScale::zero_to_five();
    assert_eq!(scale.max, 5);
    assert!(scale.contains(5) && !scale.contains(6));
    assert!(scale.descriptor(0).unwrap().starts_with("Unacceptable"));
    assert!(scale.descriptor(5).unwrap().starts_with("Excellent"));
    assert_eq!(scale.descriptor(6), None);
}

#[test]
fn a_set_round_trips_through_json_in_a_stable_shape() {
    let set = lot_1();
    let json = serde_json::to_value(&set).unwrap();
    assert_eq!(json["name"], "Lot 1 criteria");
    assert_eq!(json["criteria"][0]["kind"], "price");
    assert_eq!(json["criteria"][0]["method"], "lowest_over_bid");
    assert_eq!(json["criteria"][0]["weight"], "40");
    assert_eq!(json["criteria"][1]["kind"], "quality");
    assert_eq!(json["criteria"][1]["scale"]["max"], 5);
    let back: CriteriaSet = serde_json::from_value(json).unwrap();
    assert_eq!(back, set);
}

#[test]
fn json_that_breaks_a_rule_is_refused_with_the_rule_in_words() {
    let mut json = serde_json::to_value(lot_1()).unwrap();
    json["criteria"][0]["weight"] = "35".into();
    let err = serde_json::from_value::<CriteriaSet>(json).unwrap_err();
    assert!(
        err.to_string()
            .contains("the weights of criteria set `Lot 1 criteria` sum to 95%, not 100%"),
        "{err}"
    );
}

#[test]
fn how_assessed_states_the_scale_or_the_price_method() {
    let set = lot_1();
    let price = set.price().unwrap().how_assessed();
    assert!(
        price.starts_with("Price, scored out of 40: The lowest price tendered"),
        "{price}"
    );
    let method = set.get(&slug("method")).unwrap().how_assessed();
    assert!(
        method.starts_with("Quality, scored 0 to 5 by the evaluators and moderated to a consensus score, weighted as score ÷ 5 × 35%: 0 Unacceptable"),
        "{method}"
    );
    assert!(method.contains("; 5 Excellent"), "{method}");
}

proptest! {
    #[test]
    fn a_set_is_made_exactly_when_its_weights_sum_to_100(weights in vec(0u32..=10_000, 1..8)) {
        // Weights in hundredths of a per cent.
        let criteria: Vec<Criterion> = weights
            .iter()
            .enumerate()
            .map(|(i, w)| Criterion::quality(
                slug(&format!("c{i}")),
                "Q",
                Decimal::new(i64::from(*w), 2),
                ScoringScale::zero_to_five(),
            ))
            .collect();
        let sum: u32 = weights.iter().sum();
        let made = CriteriaSet::new("Set", criteria);
        prop_assert_eq!(made.is_ok(), sum == 10_000);
        if let Err(CriteriaError::Weights { total, .. }) = made {
            prop_assert_eq!(total, Decimal::new(i64::from(sum), 2));
        }
    }
}
