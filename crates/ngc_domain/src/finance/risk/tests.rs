use super::*;
use crate::finance::fixtures::{demo_plan, k};
use crate::finance::mtfp::report;
use proptest::prelude::*;
use rstest::rstest;

fn run(trials: u32, seed: u64, threads: usize) -> Simulation {
    let mut options = SimulationOptions::new(trials, seed);
    options.threads = threads;
    simulate(&demo_plan(), &options).unwrap()
}

#[rstest]
#[case::two_threads(2)]
#[case::three_threads(3)]
#[case::seven_threads(7)]
#[case::more_threads_than_trials(5000)]
fn the_same_seed_gives_the_same_result_whatever_the_threads(#[case] threads: usize) {
    assert_eq!(run(1_000, 42, 1), run(1_000, 42, threads));
}

#[test]
fn a_different_seed_gives_a_different_result() {
    assert_ne!(run(1_000, 1, 1).years, run(1_000, 2, 1).years);
}

#[test]
fn a_certain_plan_simulates_to_its_report() {
    let mut plan = demo_plan();
    for p in &mut plan.pressures {
        p.uncertainty = None;
    }
    let mut options = SimulationOptions::new(200, 7);
    for s in &plan.savings {
        options
            .saving_overrides
            .insert(s.reference.clone(), Distribution::Fixed { value: 1.0 });
    }
    let sim = simulate(&plan, &options).unwrap();
    let rep = report(&plan);
    for ((risk, row), o) in sim.years.iter().zip(&rep.rows).zip(&rep.detail) {
        assert_eq!([risk.gap_p5, risk.gap_p50, risk.gap_p95], [row.gap; 3]);
        assert_eq!([risk.reserves_p5, risk.reserves_p95], [row.reserves_end; 2]);
        let exhausted = if row.reserves_end.is_negative() {
            1.0
        } else {
            0.0
        };
        assert_eq!(risk.p_reserves_exhausted, exhausted);
        let below = if o.reserves_end.general < o.reserves_minimum {
            1.0
        } else {
            0.0
        };
        assert_eq!(risk.p_below_minimum, below);
    }
}

#[test]
fn a_uniformly_delivered_saving_has_its_median_shortfall_at_half() {
    let mut plan = demo_plan();
    plan.pressures.clear();
    let mut options = SimulationOptions::new(20_000, 3);
    for s in &plan.savings {
        options
            .saving_overrides
            .insert(s.reference.clone(), Distribution::Fixed { value: 1.0 });
    }
    options.saving_overrides.insert(
        "ENV-01".into(),
        Distribution::Uniform {
            low: 0.0,
            high: 1.0,
        },
    );
    let sim = simulate(&plan, &options).unwrap();
    let planned_gap = report(&plan).rows[0].gap;
    // £7m saving, delivered uniformly 0–100%: shortfall percentiles £0.35m, £3.5m, £6.65m.
    let off = |m: Money, thousands: i64| (m - planned_gap - k(thousands)).as_pence().abs();
    let tolerance = k(100).as_pence();
    assert!(
        off(sim.years[0].gap_p5, 350) < tolerance,
        "{:?}",
        sim.years[0]
    );
    assert!(
        off(sim.years[0].gap_p50, 3_500) < tolerance,
        "{:?}",
        sim.years[0]
    );
    assert!(
        off(sim.years[0].gap_p95, 6_650) < tolerance,
        "{:?}",
        sim.years[0]
    );
}

#[test]
fn red_savings_are_riskier_than_green_ones() {
    let plan = demo_plan();
    let with = |rag: Rag| {
        let mut options = SimulationOptions::new(2_000, 11);
        for s in &plan.savings {
            options
                .saving_overrides
                .insert(s.reference.clone(), Distribution::for_rag(rag));
        }
        simulate(&plan, &options).unwrap()
    };
    let (red, green) = (with(Rag::Red), with(Rag::Green));
    for (r, g) in red.years.iter().zip(&green.years) {
        assert!(r.gap_p50 > g.gap_p50);
        assert!(r.reserves_p50 < g.reserves_p50);
        assert!(r.p_reserves_exhausted >= g.p_reserves_exhausted);
    }
}

#[test]
fn bad_options_are_refused() {
    let plan = demo_plan();
    assert_eq!(
        simulate(&plan, &SimulationOptions::new(0, 1)),
        Err(SimulationError::NoTrials)
    );
    let mut options = SimulationOptions::new(10, 1);
    options
        .saving_overrides
        .insert("NOPE".into(), Distribution::Fixed { value: 1.0 });
    assert_eq!(
        simulate(&plan, &options),
        Err(SimulationError::UnknownSaving("NOPE".into()))
    );
    let mut options = SimulationOptions::new(10, 1);
    options.saving_overrides.insert(
        "ENV-01".into(),
        Distribution::Uniform {
            low: 1.0,
            high: 0.0,
        },
    );
    assert_eq!(
        simulate(&plan, &options),
        Err(SimulationError::BadDistribution("ENV-01".into()))
    );
}

#[test]
fn the_simulation_json_has_the_published_keys() {
    let json = serde_json::to_value(&run(10, 1, 1).years[0]).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "year",
            "p_reserves_exhausted",
            "p_below_minimum",
            "gap_p5",
            "gap_p50",
            "gap_p95",
            "reserves_p5",
            "reserves_p50",
            "reserves_p95"
        ]
    );
    assert!(json["gap_p50"].is_string());
}

#[rstest]
#[case::one_value(5, 1, 0)]
#[case::median_of_hundred(50, 100, 49)]
#[case::p95_of_twenty(95, 20, 18)]
#[case::p5_of_ten(5, 10, 0)]
fn percentiles_use_the_nearest_rank(#[case] p: usize, #[case] n: usize, #[case] index: usize) {
    assert_eq!(nearest_rank(p, n), index);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn percentiles_are_ordered_and_probabilities_are_shares(seed in any::<u64>(), trials in 1u32..300, threads in 1usize..4) {
        let sim = run(trials, seed, threads);
        for y in &sim.years {
            prop_assert!(y.gap_p5 <= y.gap_p50 && y.gap_p50 <= y.gap_p95);
            prop_assert!(y.reserves_p5 <= y.reserves_p50 && y.reserves_p50 <= y.reserves_p95);
            prop_assert!((0.0..=1.0).contains(&y.p_reserves_exhausted));
            prop_assert!(y.p_below_minimum >= y.p_reserves_exhausted);
        }
        prop_assert_eq!(&sim, &run(trials, seed, 1));
    }

    #[test]
    fn quantiles_stay_within_the_range(u in 0.0f64..1.0, low in 0.0f64..1.0, w1 in 0.0f64..1.0, w2 in 0.0f64..1.0) {
        let d = Distribution::Triangular { low, mode: low + w1, high: low + w1 + w2 };
        let q = d.quantile(u);
        prop_assert!(q >= low - 1e-12 && q <= low + w1 + w2 + 1e-12);
        let d = Distribution::Uniform { low, high: low + w2 };
        prop_assert!(d.quantile(u) >= low && d.quantile(u) <= low + w2);
    }
}
