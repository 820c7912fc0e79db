use super::*;
use proptest::collection::vec;
use proptest::prelude::*;
use rstest::rstest;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[rstest]
#[case::pounds_and_pence("1234.56", 123_456)]
#[case::one_decimal_place_is_tens_of_pence("12.5", 1_250)]
#[case::whole_pounds("12", 1_200)]
#[case::negative("-0.05", -5)]
#[case::negative_whole("-7", -700)]
#[case::zero("0.00", 0)]
#[case::leading_zeros("007.10", 710)]
fn parses_plain_amounts(#[case] text: &str, #[case] pence: i64) {
    assert_eq!(text.parse::<Money>(), Ok(Money::pence(pence)));
}

#[rstest]
#[case::three_places("12.345")]
#[case::three_places_negative("-0.001")]
#[case::trailing_zero_third_place("1.230")]
fn rejects_more_than_two_decimal_places(#[case] text: &str) {
    assert_eq!(
        text.parse::<Money>(),
        Err(MoneyError::TooManyDecimals(text.to_owned()))
    );
}

#[rstest]
#[case::thousands_separator("1,234.56")]
#[case::pound_sign("£12")]
#[case::plus_sign("+12")]
#[case::space(" 12")]
#[case::bare_point("12.")]
#[case::no_whole_part(".5")]
#[case::letters("12a")]
#[case::double_minus("--1")]
#[case::exponent("1e3")]
fn rejects_anything_but_a_plain_decimal(#[case] text: &str) {
    assert_eq!(
        text.parse::<Money>(),
        Err(MoneyError::Invalid(text.to_owned()))
    );
}

#[test]
fn rejects_empty_text_and_amounts_out_of_range() {
    assert_eq!("".parse::<Money>(), Err(MoneyError::Empty));
    assert_eq!(
        "92233720368547758.08".parse::<Money>(),
        Err(MoneyError::Overflow)
    );
    assert_eq!("92233720368547758.07".parse::<Money>(), Ok(Money::MAX));
    assert_eq!("-92233720368547758.08".parse::<Money>(), Ok(Money::MIN));
    assert_eq!(
        "99999999999999999999999999999999999999999".parse::<Money>(),
        Err(MoneyError::Overflow)
    );
}

#[rstest]
#[case::pounds_and_pence(123_456, "1234.56", "£1,234.56")]
#[case::small_negative(-5, "-0.05", "-£0.05")]
#[case::zero(0, "0.00", "£0.00")]
#[case::millions(23_821_796_000, "238217960.00", "£238,217,960.00")]
#[case::exactly_a_thousand(100_000, "1000.00", "£1,000.00")]
#[case::hundreds(99_999, "999.99", "£999.99")]
#[case::most_negative(i64::MIN, "-92233720368547758.08", "-£92,233,720,368,547,758.08")]
fn displays_plain_and_as_sterling(#[case] pence: i64, #[case] plain: &str, #[case] gbp: &str) {
    let m = Money::pence(pence);
    assert_eq!(m.to_string(), plain);
    assert_eq!(m.fmt_gbp(), gbp);
}

#[test]
fn serialises_as_a_decimal_string_never_a_float() {
    let json = serde_json::to_string(&Money::pence(123_456)).unwrap();
    assert_eq!(json, r#""1234.56""#);
    assert_eq!(
        serde_json::from_str::<Money>(r#""-0.50""#).unwrap(),
        Money::pence(-50)
    );
    assert!(serde_json::from_str::<Money>("1234.56").is_err());
    assert!(serde_json::from_str::<Money>(r#""1.234""#).is_err());
}

#[test]
fn pounds_are_a_hundred_pence() {
    assert_eq!(Money::pounds(-3), Money::pence(-300));
    assert_eq!(Money::pounds(0), Money::ZERO);
}

#[test]
fn checked_arithmetic_reports_overflow_instead_of_wrapping() {
    assert_eq!(Money::MAX.checked_add(Money::pence(1)), None);
    assert_eq!(Money::MIN.checked_sub(Money::pence(1)), None);
    assert_eq!(Money::MIN.checked_neg(), None);
    assert_eq!(Money::MAX.checked_mul(2), None);
    assert_eq!(Money::checked_sum([Money::MAX, Money::pence(1)]), None);
    assert_eq!(Money::pence(5).checked_mul(-3), Some(Money::pence(-15)));
}

#[test]
#[should_panic(expected = "overflowed")]
fn operator_addition_panics_on_overflow() {
    let _ = Money::MAX + Money::pence(1);
}

#[rstest]
#[case::half_penny_up_away("0.125", Rounding::HalfAwayFromZero, 13)]
#[case::half_penny_down_away("-0.125", Rounding::HalfAwayFromZero, -13)]
#[case::half_penny_to_even_down("0.125", Rounding::HalfEven, 12)]
#[case::half_penny_to_even_up("0.135", Rounding::HalfEven, 14)]
#[case::below_half("0.1249", Rounding::HalfAwayFromZero, 12)]
#[case::exact("1069.02", Rounding::HalfEven, 106_902)]
fn rounds_decimals_to_pence_by_the_stated_rule(
    #[case] pounds: &str,
    #[case] rule: Rounding,
    #[case] pence: i64,
) {
    assert_eq!(
        Money::from_decimal_rounded(dec(pounds), rule),
        Ok(Money::pence(pence))
    );
}

#[test]
fn exact_decimals_refuse_a_third_place_but_allow_trailing_zeros() {
    assert_eq!(
        Money::from_decimal_exact(dec("12.345")),
        Err(MoneyError::TooManyDecimals("12.345".into()))
    );
    assert_eq!(
        Money::from_decimal_exact(dec("12.3400")),
        Ok(Money::pence(1_234))
    );
    assert_eq!(
        Money::from_decimal_exact(dec("1e20")),
        Err(MoneyError::Overflow)
    );
}

#[rstest]
#[case::northamptonshire_2015_16(104_857, 106_902, "1.95")]
#[case::northamptonshire_2016_17(106_902, 111_125, "3.95")]
#[case::a_fall(10_000, 9_950, "-0.50")]
#[case::half_away_from_zero_up(100_000, 100_005, "0.01")]
#[case::half_away_from_zero_down(100_000, 99_995, "-0.01")]
fn percent_change_is_rounded_to_two_places_half_away_from_zero(
    #[case] from: i64,
    #[case] to: i64,
    #[case] pct: &str,
) {
    assert_eq!(
        percent_change(Money::pence(from), Money::pence(to)),
        Some(dec(pct))
    );
}

#[test]
fn percent_change_from_nothing_is_undefined() {
    assert_eq!(percent_change(Money::ZERO, Money::pence(1)), None);
}

#[rstest]
#[case::even_split(100, vec![1u64, 1, 1], vec![34, 33, 33])]
#[case::largest_remainder_wins(100, vec![1, 2], vec![33, 67])]
#[case::zero_weight_gets_nothing(10, vec![0, 3, 0, 1], vec![0, 8, 0, 2])]
#[case::negative_total_mirrors(-100, vec![1, 1, 1], vec![-34, -33, -33])]
#[case::zero_total_with_no_weights(0, vec![], vec![])]
#[case::zero_total_with_zero_weights(0, vec![0, 0], vec![0, 0])]
fn allocation_examples(#[case] total: i64, #[case] weights: Vec<u64>, #[case] parts: Vec<i64>) {
    let expected: Vec<Money> = parts.into_iter().map(Money::pence).collect();
    assert_eq!(allocate(Money::pence(total), &weights), Ok(expected));
}

#[test]
fn allocation_without_a_basis_is_an_error() {
    let total = Money::pence(1);
    assert_eq!(
        allocate::<u32>(total, &[]),
        Err(AllocationError::NoParts(total))
    );
    assert_eq!(
        allocate(total, &[0u32, 0]),
        Err(AllocationError::AllWeightsZero(total))
    );
}

#[test]
fn allocation_handles_the_extremes_of_the_range() {
    let parts = allocate(Money::MIN, &[u64::MAX, u64::MAX, 1]).unwrap();
    assert_eq!(parts.iter().copied().sum::<Money>(), Money::MIN);
    let parts = allocate(Money::MAX, &[u64::MAX, 3]).unwrap();
    assert_eq!(parts.iter().copied().sum::<Money>(), Money::MAX);
}

fn weights_with_one_nonzero() -> impl Strategy<Value = Vec<u32>> {
    (
        vec(0u32..1000, 0..20),
        1u32..1000,
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut w, nonzero, at)| {
            let i = at.index(w.len() + 1);
            w.insert(i, nonzero);
            w
        })
}

proptest! {
    #[test]
    fn allocation_parts_sum_to_the_whole(
        total in -1_000_000_000_000i64..1_000_000_000_000,
        weights in weights_with_one_nonzero(),
    ) {
        let parts = allocate(Money::pence(total), &weights).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        prop_assert_eq!(parts.iter().copied().sum::<Money>(), Money::pence(total));
    }

    #[test]
    fn each_part_is_within_a_penny_of_its_exact_share(
        total in -1_000_000_000i64..1_000_000_000,
        weights in weights_with_one_nonzero(),
    ) {
        let parts = allocate(Money::pence(total), &weights).unwrap();
        let sum: i128 = weights.iter().map(|&w| i128::from(w)).sum();
        for (part, &w) in parts.iter().zip(&weights) {
            // |part × sum − total × w| < sum  ⇔  within one penny of the exact share.
            let err = i128::from(part.as_pence()) * sum - i128::from(total) * i128::from(w);
            prop_assert!(err.abs() < sum, "part {} weight {}", part, w);
            if w == 0 {
                prop_assert_eq!(*part, Money::ZERO);
            }
        }
    }

    #[test]
    fn a_larger_weight_never_gets_a_smaller_part(
        total in 0i64..1_000_000_000,
        weights in weights_with_one_nonzero(),
    ) {
        let parts = allocate(Money::pence(total), &weights).unwrap();
        for i in 0..weights.len() {
            for j in 0..weights.len() {
                if weights[i] > weights[j] {
                    prop_assert!(parts[i] >= parts[j]);
                }
            }
        }
    }

    #[test]
    fn a_negative_total_splits_as_the_negated_positive_one(
        total in 1i64..1_000_000_000,
        weights in weights_with_one_nonzero(),
    ) {
        let pos = allocate(Money::pence(total), &weights).unwrap();
        let neg = allocate(Money::pence(-total), &weights).unwrap();
        let negated: Vec<Money> = pos.into_iter().map(|m| -m).collect();
        prop_assert_eq!(neg, negated);
    }

    #[test]
    fn display_and_parse_round_trip(pence in any::<i64>()) {
        let m = Money::pence(pence);
        prop_assert_eq!(m.to_string().parse::<Money>(), Ok(m));
        let json = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
    }

    #[test]
    fn decimal_round_trip_is_exact(pence in any::<i64>()) {
        let m = Money::pence(pence);
        prop_assert_eq!(Money::from_decimal_exact(m.to_decimal()), Ok(m));
    }

    #[test]
    fn sterling_format_is_the_plain_one_with_sign_and_separators(pence in any::<i64>()) {
        let m = Money::pence(pence);
        let plain = m.fmt_gbp().replace(['£', ','], "");
        prop_assert_eq!(plain, m.to_string());
    }

    #[test]
    fn checked_add_agrees_with_wide_arithmetic(a in any::<i64>(), b in any::<i64>()) {
        let wide = i128::from(a) + i128::from(b);
        let expected = i64::try_from(wide).ok().map(Money::pence);
        prop_assert_eq!(Money::pence(a).checked_add(Money::pence(b)), expected);
    }
}
