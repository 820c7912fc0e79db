//! The demo's contract performance: each Next Generation body's contract with the county gets
//! two KPIs and the returns of its last six quarters before the demo's anchor, block payment terms and the payments made
//! under them; First for Wellbeing's contract is also part paid by results (four-week smoking
//! quits) with its claims. Every step goes through the same use case as a user's, on the day
//! it happened (the store's clock is set to that day), so a return made after its due day is
//! late and a payment made more than 30 days after a valid invoice is flagged.
//!
//! Every figure is **modelled**. First for Wellbeing's returns fall quarter by quarter, and it
//! made two late: with its thin reserves and its dependency on the county, that puts it on
//! the viability watch list for reasons of the kind the real bodies had.

use anyhow::Context;
use chrono::{Datelike, Days, Months, NaiveDate};
use ngc_app::Caller;
use ngc_app::contracts::kpis::{KpiInput, ReturnInput, define_kpi, submit_return};
use ngc_app::contracts::payments::{
    ClaimInput, PaymentInput, record_payment, set_terms, submit_claim,
};
use ngc_domain::access::ContractScope;
use ngc_domain::contracts::payment::{Component, Instalment, OutcomeMetric, PaymentTerms};
use ngc_domain::contracts::{Frequency, Period};
use ngc_domain::money::Money;
use ngc_store::contracts::{Contract, ContractFilter};
use ngc_store::{Clock, Store};

/// How many quarters of returns and payments.
const QUARTERS: usize = 6;

/// A KPI and its six returns, oldest first.
struct DemoKpi {
    code: &'static str,
    title: &'static str,
    unit: &'static str,
    target: &'static str,
    direction: &'static str,
    tolerance: &'static str,
    values: [&'static str; QUARTERS],
}

/// A body's performance: its KPIs, the days after each quarter's end its returns came in,
/// and the days after a valid invoice each payment was made.
struct DemoPerformance {
    supplier: &'static str,
    kpis: [DemoKpi; 2],
    return_days: [u64; QUARTERS],
    payment_days: [u64; QUARTERS],
}

fn bodies() -> [DemoPerformance; 4] {
    [
        DemoPerformance {
            supplier: "children-first-northamptonshire",
            kpis: [
                DemoKpi {
                    code: "CS-1",
                    title: "Children's assessments completed within 45 working days",
                    unit: "%",
                    target: "85",
                    direction: "higher",
                    tolerance: "5",
                    values: ["83", "86", "88", "87", "89", "90"],
                },
                DemoKpi {
                    code: "CS-2",
                    title: "Re-referrals to children's social care within 12 months",
                    unit: "%",
                    target: "22",
                    direction: "lower",
                    tolerance: "3",
                    values: ["24", "23", "22", "21", "21", "20"],
                },
            ],
            return_days: [12, 10, 14, 9, 11, 12],
            payment_days: [18, 21, 16, 20, 19, 22],
        },
        DemoPerformance {
            supplier: "olympus-care-services",
            kpis: [
                DemoKpi {
                    code: "OC-1",
                    title: "Older people still at home 91 days after reablement",
                    unit: "%",
                    target: "82",
                    direction: "higher",
                    tolerance: "4",
                    values: ["80", "81", "83", "84", "83", "85"],
                },
                DemoKpi {
                    code: "OC-2",
                    title: "Care services rated good or outstanding by the CQC",
                    unit: "%",
                    target: "90",
                    direction: "higher",
                    tolerance: "5",
                    values: ["88", "90", "90", "92", "92", "93"],
                },
            ],
            return_days: [8, 9, 12, 10, 7, 11],
            payment_days: [14, 17, 20, 15, 18, 16],
        },
        DemoPerformance {
            supplier: "first-for-wellbeing",
            kpis: [
                DemoKpi {
                    code: "FFW-1",
                    title: "Smokers setting a quit date who have quit at four weeks",
                    unit: "%",
                    target: "35",
                    direction: "higher",
                    tolerance: "5",
                    values: ["37", "35", "32", "29", "26", "23"],
                },
                DemoKpi {
                    code: "FFW-2",
                    title: "NHS health checks completed",
                    unit: "checks",
                    target: "4000",
                    direction: "higher",
                    tolerance: "400",
                    values: ["4150", "3980", "3700", "3350", "3000", "2700"],
                },
            ],
            return_days: [12, 15, 18, 19, 31, 38],
            payment_days: [20, 24, 27, 29, 41, 45],
        },
        DemoPerformance {
            supplier: "northamptonshire-place-company",
            kpis: [
                DemoKpi {
                    code: "PLC-1",
                    title: "Major planning applications decided in time",
                    unit: "%",
                    target: "90",
                    direction: "higher",
                    tolerance: "5",
                    values: ["91", "92", "90", "93", "92", "94"],
                },
                DemoKpi {
                    code: "PLC-2",
                    title: "Dangerous highway defects repaired within 28 days",
                    unit: "%",
                    target: "92",
                    direction: "higher",
                    tolerance: "4",
                    values: ["90", "91", "93", "92", "94", "93"],
                },
            ],
            return_days: [10, 11, 9, 13, 12, 10],
            payment_days: [21, 19, 23, 18, 20, 22],
        },
    ]
}

/// First for Wellbeing's quits paid by results, each quarter (modelled): they fall with its
/// KPIs.
const QUITS: [u64; QUARTERS] = [160, 150, 135, 120, 105, 95];

/// The last six financial quarters of the contract's term that ended at least 45 days before
/// `anchor` (the children's services mutual's contract ended years before), oldest first.
fn quarters(c: &Contract, anchor: NaiveDate) -> Vec<Period> {
    let mut last_end = anchor - Days::new(45);
    if let Some(end) = c.ends_on {
        last_end = last_end.min(end);
    }
    let first = Period::containing(Frequency::Quarterly, last_end - Months::new(21));
    let mut out = Vec::new();
    let mut p = first;
    while p.end <= last_end {
        if p.start >= c.starts_on {
            out.push(p);
        }
        p = p.next(Frequency::Quarterly);
    }
    let skip = out.len().saturating_sub(QUARTERS);
    out.split_off(skip)
}

/// The county's largest contract with a supplier, if it has one.
async fn contract_of(store: &Store, supplier: &str) -> anyhow::Result<Option<Contract>> {
    let org = store
        .organisation_by_slug(supplier)
        .await?
        .with_context(|| format!("no demo provider {supplier}"))?;
    let filter = ContractFilter {
        today: store.today(),
        status: None,
        supplier: None,
        text: None,
        limit: 100,
        offset: 0,
    };
    Ok(store
        .contracts_page(ContractScope::Supplier(org.id), &filter)
        .await?
        .contracts
        .into_iter()
        .filter(|c| c.organisation.as_deref() == Some("northamptonshire"))
        .max_by_key(|c| c.value))
}

/// A quarter's block instalment: the contract's value spread evenly over its months, in
/// whole pence (rounded down).
fn instalment(c: &Contract) -> anyhow::Result<Money> {
    let ends = c.ends_on.context("a demo contract has an end date")?;
    let months = (ends.year() - c.starts_on.year()) * 12 + ends.month() as i32
        - c.starts_on.month() as i32
        + 1;
    Ok(Money::pence(
        c.value.as_pence() * 3 / i64::from(months.max(12)),
    ))
}

/// Loads the performance of one body's contract unless its KPIs are there already.
async fn load_body(
    store: &Store,
    anchor: NaiveDate,
    body: &DemoPerformance,
) -> anyhow::Result<bool> {
    // A demo anchored early has not made the mutual's contract yet, or has fewer quarters:
    // it loads what there is (the last quarters' figures).
    let Some(contract) = contract_of(store, body.supplier).await? else {
        return Ok(false);
    };
    let id = contract.id;
    if !store.contract_kpis(id).await?.is_empty() {
        return Ok(false);
    }
    let quarters = quarters(&contract, anchor);
    let Some(first) = quarters.first() else {
        return Ok(false);
    };
    let skipped = QUARTERS - quarters.len();
    let on = |d: NaiveDate| store.clone().with_clock(Clock::on(d));
    let setup = on(first.start);
    for k in &body.kpis {
        let input = KpiInput {
            code: Some(k.code.into()),
            title: Some(k.title.into()),
            unit: Some(k.unit.into()),
            target: Some(k.target.into()),
            direction: Some(k.direction.into()),
            frequency: Some("quarterly".into()),
            tolerance: Some(k.tolerance.into()),
            from: Some(first.start.to_string()),
            ..KpiInput::default()
        };
        define_kpi(&setup, &Caller::System, id, &input)
            .await
            .with_context(|| format!("defining the demo KPI {} on {}", k.code, body.supplier))?;
    }
    let quarterly = instalment(&contract)?;
    let mut components = vec![Component::Block {
        schedule: quarters
            .iter()
            .map(|q| Instalment {
                due_on: q.end + Days::new(30),
                amount: quarterly,
            })
            .collect(),
    }];
    let by_results = body.supplier == "first-for-wellbeing";
    if by_results {
        let mut quit = OutcomeMetric::new(
            "SMK-QUIT",
            "A smoker who set a quit date and has not smoked at four weeks (CO-verified)",
            "220.00".parse()?,
        );
        quit.period_cap = Some("40000.00".parse()?);
        components.push(Component::PaymentByResults {
            frequency: Frequency::Quarterly,
            metrics: vec![quit],
        });
    }
    set_terms(&setup, &Caller::System, id, &PaymentTerms { components })
        .await
        .with_context(|| format!("setting the demo payment terms of {}", body.supplier))?;
    for (i, q) in (skipped..).zip(&quarters) {
        let returned = on(q.end + Days::new(body.return_days[i]));
        for k in &body.kpis {
            let input = ReturnInput {
                kpi: k.code.into(),
                period_start: q.start.to_string(),
                value: Some(k.values[i].into()),
                note: String::new(),
            };
            submit_return(&returned, &Caller::System, id, &input)
                .await
                .with_context(|| format!("the demo return {} for {}", k.code, q.start))?;
        }
        if by_results {
            let claim = ClaimInput {
                period_start: q.start.to_string(),
                period_end: Some(q.end.to_string()),
                outcomes: [("SMK-QUIT".to_owned(), QUITS[i])].into(),
                ..ClaimInput::default()
            };
            submit_claim(&returned, &Caller::System, id, &claim)
                .await
                .with_context(|| format!("the demo claim for {}", q.start))?;
        }
        let received = q.end + Days::new(2);
        let paid = received + Days::new(body.payment_days[i]);
        let payment = PaymentInput {
            amount: quarterly.to_string(),
            component: "block".into(),
            period_start: Some(q.start.to_string()),
            period_end: Some(q.end.to_string()),
            invoice_reference: format!("{}-{}", body.kpis[0].code, q.start.format("%Y%m")),
            invoice_date: q.end.to_string(),
            valid_invoice_received: received.to_string(),
            invoice_due_on: Some((received + Days::new(30)).to_string()),
            paid_on: Some(paid.to_string()),
            disputed: false,
        };
        record_payment(&on(paid), &Caller::System, id, &payment)
            .await
            .with_context(|| format!("the demo payment for {}", q.start))?;
    }
    Ok(true)
}

/// Loads the Next Generation bodies' performance where it is not loaded yet; returns for how
/// many contracts.
pub async fn load(store: &Store, anchor: NaiveDate) -> anyhow::Result<usize> {
    let mut loaded = 0;
    for body in bodies() {
        if load_body(store, anchor, &body).await? {
            loaded += 1;
        }
    }
    Ok(loaded)
}
