//! Benchmark of the MTFP risk simulation: prints seconds per run and trials per second for
//! growing trial counts and line counts, on one thread and on two.
//!
//! `CARGO_TARGET_DIR=/work/target-domain cargo bench -p ngc_domain --bench simulate`
//! (`-- quick` for a short run).

use ngc_domain::finance::mtfp::{
    Assumptions, BaseLine, CouncilTaxBase, FundingLine, FundingSource, Plan, Pressure,
    PressureKind, Uncertainty,
};
use ngc_domain::finance::referendum::AuthorityClass;
use ngc_domain::finance::reserves::{Reserve, ReserveKind};
use ngc_domain::finance::risk::{SimulationOptions, simulate};
use ngc_domain::finance::savings::{Rag, Saving, SavingCategory};
use ngc_domain::finance::service::{ServiceLine, Subjective};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use rust_decimal::Decimal;
use std::time::Instant;

/// A five-year plan with `savings` savings and `pressures` pressures, each with an amount in
/// every year.
fn plan(savings: usize, pressures: usize) -> Plan {
    let first: FinancialYear = "2015-16".parse().unwrap();
    let years = first.span(5);
    let rags = [Rag::Green, Rag::Amber, Rag::Red, Rag::Blue];
    Plan {
        organisation: "bench".into(),
        name: "bench".into(),
        authority_class: AuthorityClass::ShireCounty,
        first_year: first,
        years: 5,
        base: vec![BaseLine {
            service: ServiceLine::AdultSocialCare,
            subjective: Subjective::ThirdPartyPayments,
            amount: Money::pounds(400_000_000),
        }],
        assumptions: years
            .iter()
            .map(|&y| Assumptions {
                social_care_inflation_pct: Decimal::new(25, 1),
                council_tax_increase_pct: Decimal::new(199, 2),
                ..Assumptions::zero(y)
            })
            .collect(),
        pressures: (0..pressures)
            .map(|i| Pressure {
                reference: format!("P{i}"),
                kind: PressureKind::Demography,
                service: ServiceLine::AdultSocialCare,
                description: String::new(),
                amounts: years
                    .iter()
                    .map(|&y| (y, Money::pounds(100_000 + i as i64 * 997)))
                    .collect(),
                uncertainty: Some(Uncertainty {
                    low_pct: Decimal::from(90),
                    high_pct: Decimal::from(140),
                }),
            })
            .collect(),
        funding: years
            .iter()
            .map(|&year| FundingLine {
                source: FundingSource::RevenueSupportGrant,
                year,
                amount: Money::pounds(160_000_000),
            })
            .collect(),
        council_tax: CouncilTaxBase {
            band_d: Money::pence(104_857),
            tax_base: Decimal::new(2_161_425, 1),
        },
        savings: (0..savings)
            .map(|i| Saving {
                reference: format!("S{i}"),
                title: String::new(),
                service: ServiceLine::AdultSocialCare,
                category: SavingCategory::Efficiency,
                amounts: years
                    .iter()
                    .map(|&y| (y, Money::pounds(150_000 + i as i64 * 1_009)))
                    .collect(),
                owner: String::new(),
                rag: rags[i % rags.len()],
                delivered_to_date: Money::ZERO,
                evidence: None,
            })
            .collect(),
        delivery: vec![],
        reserves: vec![Reserve {
            name: "General fund".into(),
            kind: ReserveKind::GeneralFund,
            opening: Money::pounds(60_000_000),
            planned_use: Default::default(),
        }],
        minimum_reserve_pct: Decimal::new(25, 1),
        scenarios: Vec::new(),
    }
}

/// CPU seconds used by this process so far (all threads, from /proc; 10 ms resolution), so
/// that figures stay meaningful on a machine shared with other work.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Best-of-three wall seconds and CPU seconds of one simulation.
fn time(plan: &Plan, trials: u32, threads: usize) -> (f64, f64) {
    let mut options = SimulationOptions::new(trials, 2015);
    options.threads = threads;
    (0..3)
        .map(|_| {
            let cpu = cpu_seconds().unwrap_or(f64::NAN);
            let start = Instant::now();
            let sim = simulate(plan, &options).expect("simulation runs");
            std::hint::black_box(sim);
            let wall = start.elapsed().as_secs_f64();
            (wall, cpu_seconds().unwrap_or(f64::NAN) - cpu)
        })
        .fold((f64::INFINITY, f64::INFINITY), |a, b| {
            (a.0.min(b.0), a.1.min(b.1))
        })
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    println!("risk simulation, 5 plan years, best of 3 runs");
    println!(
        "{:>8} {:>9} {:>11} {:>8} {:>7} {:>9} {:>9} {:>12}",
        "savings",
        "pressures",
        "draws/trial",
        "trials",
        "threads",
        "wall s",
        "cpu s",
        "ns/line-year"
    );
    let mut cases = vec![(100, 100, 100_000, 1)];
    if !quick {
        cases.extend([
            (100, 100, 10_000, 1),
            (100, 100, 200_000, 1),
            (50, 50, 100_000, 1),
            (200, 200, 100_000, 1),
            (100, 100, 100_000, 2),
        ]);
    }
    for (savings, pressures, trials, threads) in cases {
        let p = plan(savings, pressures);
        let (wall, cpu) = time(&p, trials, threads);
        // One draw per saving and per pressure; each touches five years.
        let draws = savings + pressures;
        let line_years = (draws * 5) as f64 * f64::from(trials);
        println!(
            "{savings:>8} {pressures:>9} {draws:>11} {trials:>8} {threads:>7} {wall:>9.3} {cpu:>9.2} {:>12.2}",
            wall * 1e9 / line_years
        );
    }
}
