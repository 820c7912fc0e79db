//! `ngc procurement rules` and `ngc procurement standstill`: the JSON other tools read, and
//! one-line errors naming the flag.

use super::support::Sandbox;
use rstest::rstest;

fn ngc(args: &[&str]) -> super::support::Run {
    Sandbox::new().ngc(args, "")
}

fn json(args: &[&str]) -> serde_json::Value {
    let r = ngc(args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn rules_json_shape_for_an_open_tender_under_the_act() {
    let v = json(&[
        "procurement",
        "rules",
        "--value",
        "500000",
        "--contract-type",
        "services",
        "--start",
        "2025-06-02",
        "--vat-inclusive",
        "--format",
        "json",
    ]);
    insta::assert_json_snapshot!("rules_pa2023_open", v);
}

#[test]
fn rules_json_shape_for_a_pcr_restricted_tender_with_a_prior_information_notice() {
    let v = json(&[
        "procurement",
        "rules",
        "--value",
        "5000000",
        "--contract-type",
        "works",
        "--start",
        "2016-06-01",
        "--procedure",
        "restricted",
        "--after-planned-notice",
        "2016-01-15",
        "--electronic",
        "false",
        "--format",
        "json",
    ]);
    insta::assert_json_snapshot!("rules_pcr2015_restricted", v);
}

#[rstest]
#[case::open_electronic_documents(&[], Some(25))]
#[case::documents_later(&["--documents-with-notice", "false"], Some(30))]
#[case::urgent(&["--urgent"], Some(10))]
#[case::after_a_uk3(&["--after-planned-notice", "2025-03-01"], Some(10))]
#[case::uk3_too_recent(&["--after-planned-notice", "2025-05-01"], Some(25))]
#[case::direct_award(&["--procedure", "direct_award"], None)]
fn minimum_tender_period_under_the_act(#[case] extra: &[&str], #[case] days: Option<u64>) {
    let mut args = vec![
        "procurement",
        "rules",
        "--value",
        "300000",
        "--contract-type",
        "supplies",
        "--start",
        "2025-06-02",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let v = json(&args);
    assert_eq!(v["minimum_tender_period_days"].as_u64(), days, "{v}");
}

#[rstest]
// 2021: £189,330 excluding VAT; £200,000 including VAT is £166,666.67 excluding: below.
#[case::inclusive_2021(&["--value", "200000", "--vat-inclusive", "--start", "2021-12-31"], false, "excluding_vat")]
// Excluding VAT, £200,000 is above £189,330.
#[case::exclusive_2021(&["--value", "200000", "--start", "2021-12-31"], true, "excluding_vat")]
// 2022: £213,477 including VAT; £180,000 excluding is £216,000 including: above.
#[case::exclusive_2022(&["--value", "180000", "--start", "2022-01-01"], true, "including_vat")]
#[case::inclusive_2022(&["--value", "180000", "--vat-inclusive", "--start", "2022-01-01"], false, "including_vat")]
fn vat_inclusive_compares_like_with_like(
    #[case] extra: &[&str],
    #[case] above: bool,
    #[case] basis: &str,
) {
    let mut args = vec![
        "procurement",
        "rules",
        "--contract-type",
        "services",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let v = json(&args);
    assert_eq!(v["above_threshold"], above, "{v}");
    assert_eq!(v["threshold_basis"], basis);
}

#[test]
fn rules_table_lists_every_field() {
    let r = ngc(&[
        "procurement",
        "rules",
        "--value",
        "700000",
        "--contract-type",
        "light-touch",
        "--start",
        "2016-06-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for field in [
        "regime",
        "threshold",
        "threshold_basis",
        "above_threshold",
        "procedures",
        "minimum_tender_period_days",
        "minimum_tender_period_basis",
        "notices",
        "standstill_rule",
        "sources",
    ] {
        assert!(
            r.stdout.lines().any(|l| l.starts_with(field)),
            "{field}\n{}",
            r.stdout
        );
    }
    assert!(r.stdout.contains("light_touch"), "{}", r.stdout);
}

#[rstest]
#[case::christmas_pcr("pcr2015", "2016-12-16", "2016-12-28", "2016-12-29")]
#[case::new_year_act_counts_2_january("pa2023", "2025-12-22", "2026-01-06", "2026-01-07")]
#[case::easter_act("pa2023", "2025-04-10", "2025-04-23", "2025-04-24")]
#[case::st_andrew_act("pa2023", "2026-11-23", "2026-12-03", "2026-12-04")]
fn standstill_json(
    #[case] regime: &str,
    #[case] from: &str,
    #[case] ends: &str,
    #[case] earliest: &str,
) {
    let v = json(&[
        "procurement",
        "standstill",
        "--regime",
        regime,
        "--from",
        from,
        "--format",
        "json",
    ]);
    assert_eq!(v["ends_on"], ends);
    assert_eq!(v["earliest_contract_date"], earliest);
}

#[test]
fn standstill_json_shape() {
    let v = json(&[
        "procurement",
        "standstill",
        "--regime",
        "pa2023",
        "--from",
        "2025-06-02",
        "--format",
        "json",
    ]);
    insta::assert_json_snapshot!("standstill_pa2023", v);
}

#[test]
fn standstill_table() {
    let r = ngc(&[
        "procurement",
        "standstill",
        "--regime",
        "pcr2015",
        "--from",
        "2021-12-22",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("ends_on                  2022-01-04"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("earliest_contract_date   2022-01-05"),
        "{}",
        r.stdout
    );
}

#[rstest]
#[case::bad_value(&["rules", "--value", "12.345", "--contract-type", "works", "--start", "2025-06-02"], "--value")]
#[case::negative_value(&["rules", "--value", "-1", "--contract-type", "works", "--start", "2025-06-02"], "--value")]
#[case::bad_type(&["rules", "--value", "1", "--contract-type", "goods", "--start", "2025-06-02"], "--contract-type")]
#[case::bad_date(&["rules", "--value", "1", "--contract-type", "works", "--start", "2025-02-30"], "--start")]
#[case::before_the_data(&["rules", "--value", "1", "--contract-type", "works", "--start", "2014-01-01"], "--start")]
#[case::wrong_regime_procedure(&["rules", "--value", "500000", "--contract-type", "works", "--start", "2025-06-02", "--procedure", "restricted"], "--procedure")]
#[case::bad_bool(&["rules", "--value", "1", "--contract-type", "works", "--start", "2025-06-02", "--electronic", "yes"], "--electronic")]
#[case::planned_after_start(&["rules", "--value", "500000", "--contract-type", "works", "--start", "2025-06-02", "--after-planned-notice", "2025-07-01"], "--after-planned-notice")]
#[case::bad_regime(&["standstill", "--regime", "pcr2006", "--from", "2025-06-02"], "--regime")]
#[case::beyond_the_holidays(&["standstill", "--regime", "pa2023", "--from", "2030-01-02"], "--from")]
fn bad_input_is_one_line_naming_the_flag(#[case] args: &[&str], #[case] flag: &str) {
    let mut all = vec!["procurement"];
    all.extend_from_slice(args);
    let r = ngc(&all);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(r.stderr.trim_end().lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(&format!("error: {flag}:")),
        "{}",
        r.stderr
    );
}

#[rstest]
#[case::residential_care_pcr("85311000-2", "2016-06-01", true, true)]
#[case::legal_services_act("79110000", "2025-06-02", true, false)]
#[case::refuse_collection("90511000", "2025-06-02", false, false)]
fn cpv_light_touch_and_reservable(
    #[case] code: &str,
    #[case] start: &str,
    #[case] light_touch: bool,
    #[case] reservable: bool,
) {
    let v = json(&[
        "procurement",
        "cpv",
        "--code",
        code,
        "--start",
        start,
        "--format",
        "json",
    ]);
    assert_eq!(v["light_touch"], light_touch, "{v}");
    assert_eq!(v["reservable"], reservable, "{v}");
    assert_eq!(v["light_touch_entry"].is_object(), light_touch);
    if light_touch {
        assert!(
            v["light_touch_entry"]["source"]
                .as_str()
                .unwrap()
                .starts_with("UNCONFIRMED")
        );
    }
}

#[test]
fn a_bad_cpv_code_names_the_flag() {
    let r = ngc(&[
        "procurement",
        "cpv",
        "--code",
        "8531",
        "--start",
        "2025-06-02",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.starts_with("error: --code:"), "{}", r.stderr);
}

#[test]
fn a_missing_flag_is_bad_usage() {
    let r = ngc(&[
        "procurement",
        "rules",
        "--value",
        "1",
        "--start",
        "2025-06-02",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--contract-type"), "{}", r.stderr);
}
