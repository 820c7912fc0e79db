//! Building a consultation's [`Definition`] from a plan and the officer's [`Settings`].

use super::definition::{Definition, Question, QuestionKind, Step};
use super::settings::{DistrictSetting, ServiceSetting, Settings, TaxSetting};
use crate::finance::council_tax::{Band, referendum_test, requirement};
use crate::finance::mtfp::{Plan, YearOutcome, project};
use crate::finance::referendum::Principles;
use crate::finance::service::ServiceLine;
use crate::money::{Money, Rounding};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// Settings that cannot make a consultation, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct BuildError {
    /// The setting at fault (`services[2].steps[0].pct`).
    pub field: String,
    /// What is wrong with it, in words an officer understands.
    pub message: String,
}

fn err(field: impl Into<String>, message: impl Into<String>) -> BuildError {
    BuildError {
        field: field.into(),
        message: message.into(),
    }
}

/// The most steps a question may have: enough for any sensible range, few enough to read.
pub const MAX_STEPS: usize = 21;

/// Builds the consultation on `settings.year` of `plan` (see the rules in
/// [`crate::consultation`]).
///
/// # Errors
/// A [`BuildError`] naming the setting: a year outside the plan or whose council tax is
/// already set, an unknown or repeated service, a service without a net budget, steps out of
/// order or all breaching a duty, a reserves amount beyond the prudent minimum, a council tax
/// step that is not positive or a maximum below zero.
pub fn build(
    plan: &Plan,
    settings: &Settings,
    principles: &Principles,
) -> Result<Definition, BuildError> {
    let year = settings.year;
    let outcomes = project(plan);
    let outcome = outcomes.iter().find(|o| o.year == year).ok_or_else(|| {
        err(
            "year",
            format!("{year} is not a year of the plan `{}`", plan.name),
        )
    })?;
    if outcome.council_tax_set {
        return Err(err(
            "year",
            format!("the council tax for {year} is already set, so it cannot be consulted on"),
        ));
    }
    let mut questions = Vec::new();
    questions.extend(services(plan, &settings.services)?);
    questions.extend(savings(plan, year, settings.savings.as_deref())?);
    questions.extend(income(settings)?);
    if let Some(q) = reserves(outcome, &settings.reserves)? {
        questions.push(q);
    }
    let asc = plan.assumptions_for(year).asc_precept_pct;
    questions.push(council_tax(
        plan,
        outcome,
        asc,
        &settings.council_tax,
        principles,
    )?);
    check_districts(&settings.districts)?;
    Ok(Definition {
        districts: settings.districts.clone(),
        year,
        gap: outcome.gap,
        band_d_before: outcome.band_d_prev,
        tax_base: outcome.tax_base,
        asc_precept_pct: asc,
        questions,
    })
}

fn check_districts(districts: &[DistrictSetting]) -> Result<(), BuildError> {
    let mut seen = BTreeSet::new();
    for (i, d) in districts.iter().enumerate() {
        let field = format!("districts[{i}]");
        let name = d.name.trim();
        if name.is_empty() {
            return Err(err(format!("{field}.name"), "give the district's name"));
        }
        if !seen.insert(name) {
            return Err(err(
                format!("{field}.name"),
                format!("{name} is given twice"),
            ));
        }
        for (what, amount) in [
            ("district_band_d", d.district_band_d),
            ("parish_band_d", d.parish_band_d),
            ("police_band_d", d.police_band_d),
        ] {
            if amount.is_negative() {
                return Err(err(
                    format!("{field}.{what}"),
                    "a charge cannot be below zero",
                ));
            }
        }
        if d.source.trim().is_empty() {
            return Err(err(
                format!("{field}.source"),
                "say where the figures come from",
            ));
        }
    }
    Ok(())
}

fn pct_label(pct: Decimal) -> String {
    let pct = pct.normalize();
    if pct.is_sign_positive() && !pct.is_zero() {
        format!("+{pct}%")
    } else {
        format!("{pct}%")
    }
}

fn share(amount: Money, pct: Decimal) -> Money {
    amount
        .mul_decimal(pct / Decimal::ONE_HUNDRED, Rounding::HalfAwayFromZero)
        .expect("a share of a budget is in range")
}

fn services(plan: &Plan, settings: &[ServiceSetting]) -> Result<Vec<Question>, BuildError> {
    let mut budgets: BTreeMap<ServiceLine, Money> = BTreeMap::new();
    for line in &plan.base {
        *budgets.entry(line.service).or_insert(Money::ZERO) += line.subjective.net(line.amount);
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, s) in settings.iter().enumerate() {
        let field = format!("services[{i}]");
        if !seen.insert(s.service) {
            return Err(err(
                format!("{field}.service"),
                format!("{} is set twice", s.service.label()),
            ));
        }
        let budget = budgets
            .get(&s.service)
            .copied()
            .filter(|b| b.is_positive())
            .ok_or_else(|| {
                err(
                    format!("{field}.service"),
                    format!("the plan has no net budget for {}", s.service.label()),
                )
            })?;
        check_steps(&field, s.steps.len())?;
        for (j, pair) in s.steps.windows(2).enumerate() {
            if pair[1].pct <= pair[0].pct {
                return Err(err(
                    format!("{field}.steps[{}].pct", j + 1),
                    "steps must go up in order, each above the one before",
                ));
            }
        }
        for (j, step) in s.steps.iter().enumerate() {
            if step.pct <= -Decimal::ONE_HUNDRED {
                return Err(err(
                    format!("{field}.steps[{j}].pct"),
                    "a service cannot be cut by 100% or more",
                ));
            }
            if step.consequence.trim().is_empty() {
                return Err(err(
                    format!("{field}.steps[{j}].consequence"),
                    "say what the step would mean",
                ));
            }
        }
        let steps: Vec<Step> = s
            .steps
            .iter()
            .filter(|step| !step.breaches_duty)
            .map(|step| Step {
                label: pct_label(step.pct),
                value: step.pct,
                effect: -share(budget, step.pct),
                consequence: step.consequence.trim().to_owned(),
                referendum: false,
            })
            .collect();
        if steps.is_empty() {
            return Err(err(
                format!("{field}.steps"),
                "every step breaches a statutory duty, so none could be offered",
            ));
        }
        let start = steps
            .iter()
            .position(|st| st.value.is_zero())
            .ok_or_else(|| {
                err(
                    format!("{field}.steps"),
                    "offer a step of 0% (the budget as planned)",
                )
            })?;
        out.push(Question {
            key: format!("service:{}", s.service.as_str()),
            kind: QuestionKind::Service,
            title: s.service.label().to_owned(),
            service: Some(s.service),
            budget: Some(budget),
            detail: Vec::new(),
            steps,
            start,
        });
    }
    Ok(out)
}

fn check_steps(field: &str, n: usize) -> Result<(), BuildError> {
    if n == 0 || n > MAX_STEPS {
        return Err(err(
            format!("{field}.steps"),
            format!("offer between 1 and {MAX_STEPS} steps"),
        ));
    }
    Ok(())
}

fn savings(
    plan: &Plan,
    year: crate::finance::year::FinancialYear,
    chosen: Option<&[String]>,
) -> Result<Vec<Question>, BuildError> {
    if let Some(chosen) = chosen {
        for (i, reference) in chosen.iter().enumerate() {
            let found = plan.savings.iter().find(|s| &s.reference == reference);
            if !found.is_some_and(|s| s.amount_in(year).is_positive()) {
                return Err(err(
                    format!("savings[{i}]"),
                    format!("the plan has no saving `{reference}` in {year}"),
                ));
            }
        }
    }
    Ok(plan
        .savings
        .iter()
        .filter(|s| s.amount_in(year).is_positive())
        .filter(|s| chosen.is_none_or(|c| c.contains(&s.reference)))
        .map(|s| {
            let amount = s.amount_in(year);
            let mut running = Money::ZERO;
            let detail = plan
                .plan_years()
                .into_iter()
                .filter_map(|y| {
                    running += s.amount_in(y);
                    (y >= year && running.is_positive())
                        .then(|| format!("{y}: {} a year", running.fmt_gbp()))
                })
                .collect();
            Question {
                key: format!("saving:{}", s.reference),
                kind: QuestionKind::Saving,
                title: format!("{} ({})", s.title, s.reference),
                service: Some(s.service),
                budget: None,
                detail,
                steps: vec![
                    Step {
                        label: "Accept".into(),
                        value: Decimal::ONE,
                        effect: Money::ZERO,
                        consequence: format!(
                            "The saving goes ahead: {} in {year}.",
                            amount.fmt_gbp()
                        ),
                        referendum: false,
                    },
                    Step {
                        label: "Reject".into(),
                        value: Decimal::ZERO,
                        effect: -amount,
                        consequence: format!(
                            "The saving does not go ahead: {} more to find in {year}.",
                            amount.fmt_gbp()
                        ),
                        referendum: false,
                    },
                ],
                start: 0,
            }
        })
        .collect())
}

fn income(settings: &Settings) -> Result<Vec<Question>, BuildError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, inc) in settings.income.iter().enumerate() {
        let field = format!("income[{i}]");
        let key = inc.key.trim();
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(err(
                format!("{field}.key"),
                "use lower-case letters, digits and underscores",
            ));
        }
        if !seen.insert(key) {
            return Err(err(
                format!("{field}.key"),
                format!("`{key}` is used twice"),
            ));
        }
        if inc.title.trim().is_empty() {
            return Err(err(format!("{field}.title"), "give the option a title"));
        }
        check_steps(&field, inc.steps.len())?;
        for (j, step) in inc.steps.iter().enumerate() {
            if step.amount.is_negative() {
                return Err(err(
                    format!("{field}.steps[{j}].amount"),
                    "income cannot be below zero",
                ));
            }
            if j > 0 && step.amount <= inc.steps[j - 1].amount {
                return Err(err(
                    format!("{field}.steps[{j}].amount"),
                    "steps must go up in order, each above the one before",
                ));
            }
        }
        out.push(Question {
            key: format!("income:{key}"),
            kind: QuestionKind::Income,
            title: inc.title.trim().to_owned(),
            service: None,
            budget: None,
            detail: Vec::new(),
            steps: inc
                .steps
                .iter()
                .map(|s| Step {
                    label: s.amount.fmt_gbp(),
                    value: s.amount.to_decimal(),
                    effect: s.amount,
                    consequence: s.consequence.trim().to_owned(),
                    referendum: false,
                })
                .collect(),
            start: 0,
        });
    }
    Ok(out)
}

fn reserves(outcome: &YearOutcome, amounts: &[Money]) -> Result<Option<Question>, BuildError> {
    if amounts.is_empty() {
        return Ok(None);
    }
    check_steps("reserves", amounts.len())?;
    // Usable reserves once the plan's own use of the year is made, above the prudent minimum.
    let available = (outcome.reserves_start.usable()
        - outcome.reserves_planned_use.usable()
        - outcome.reserves_minimum)
        .max_zero();
    for (j, amount) in amounts.iter().enumerate() {
        if amount.is_negative() || (j > 0 && *amount <= amounts[j - 1]) {
            return Err(err(
                format!("reserves[{j}]"),
                "amounts must be zero or more and go up in order",
            ));
        }
        if *amount > available {
            return Err(err(
                format!("reserves[{j}]"),
                format!(
                    "{} would take usable reserves below the prudent minimum of {}: at most {} can be offered",
                    amount.fmt_gbp(),
                    outcome.reserves_minimum.fmt_gbp(),
                    available.fmt_gbp()
                ),
            ));
        }
    }
    let start = amounts.iter().position(|a| a.is_zero()).unwrap_or(0);
    Ok(Some(Question {
        key: "reserves".into(),
        kind: QuestionKind::Reserves,
        title: "One-off use of reserves".into(),
        service: None,
        budget: None,
        detail: vec![format!(
            "Usable reserves can fall to the prudent minimum of {} and no further.",
            outcome.reserves_minimum.fmt_gbp()
        )],
        steps: amounts
            .iter()
            .map(|a| Step {
                label: a.fmt_gbp(),
                value: a.to_decimal(),
                effect: *a,
                consequence: if a.is_zero() {
                    "Reserves are kept for emergencies.".into()
                } else {
                    format!(
                        "{} of reserves is spent once: the gap returns next year.",
                        a.fmt_gbp()
                    )
                },
                referendum: false,
            })
            .collect(),
        start,
    }))
}

/// Band D after a core increase of `core_pct` and the precept of `asc_pct`, to the penny.
pub(super) fn band_d_at(before: Money, core_pct: Decimal, asc_pct: Decimal) -> Money {
    crate::finance::council_tax::increased_band_d(before, core_pct + asc_pct)
}

fn council_tax(
    plan: &Plan,
    outcome: &YearOutcome,
    asc: Decimal,
    setting: &TaxSetting,
    principles: &Principles,
) -> Result<Question, BuildError> {
    if setting.max_pct.is_sign_negative() {
        return Err(err("council_tax.max_pct", "the maximum cannot be below 0%"));
    }
    if setting.step_pct <= Decimal::ZERO {
        return Err(err("council_tax.step_pct", "the step must be above 0%"));
    }
    if setting.referendum_cost.is_negative() {
        return Err(err(
            "council_tax.referendum_cost",
            "a cost cannot be below zero",
        ));
    }
    let mut pcts = Vec::new();
    let mut p = Decimal::ZERO;
    while p < setting.max_pct {
        pcts.push(p);
        p += setting.step_pct;
    }
    pcts.push(setting.max_pct);
    let planned_core = plan.assumptions_for(outcome.year).council_tax_increase_pct;
    // The plan's own increase is always a step, so the page can open on the plan as it is.
    if planned_core >= Decimal::ZERO
        && planned_core <= setting.max_pct
        && !pcts.contains(&planned_core)
    {
        pcts.push(planned_core);
        pcts.sort();
    }
    if pcts.len() > MAX_STEPS {
        return Err(err(
            "council_tax.step_pct",
            format!("the step gives more than {MAX_STEPS} steps"),
        ));
    }
    let principle = principles.get(outcome.year, plan.authority_class);
    // Measured from the plan's own increase, so the plan's step changes nothing.
    let planned = requirement(
        band_d_at(outcome.band_d_prev, planned_core, asc),
        outcome.tax_base,
    );
    let steps: Vec<Step> = pcts
        .iter()
        .map(|&core| {
            let band_d = band_d_at(outcome.band_d_prev, core, asc);
            let test = referendum_test(outcome.band_d_prev, band_d, principle);
            let raised = requirement(band_d, outcome.tax_base) - planned;
            let cost = if test.triggered {
                setting.referendum_cost
            } else {
                Money::ZERO
            };
            let mut consequence = format!(
                "Band D {} a year ({} a week more than {}); Band B {}.",
                band_d.fmt_gbp(),
                weekly(band_d - outcome.band_d_prev).fmt_gbp(),
                outcome
                    .year
                    .prev()
                    .map_or_else(String::new, |y| y.to_string()),
                Band::B.charge(band_d).fmt_gbp(),
            );
            if test.triggered {
                consequence.push_str(&format!(
                    " Requires a referendum: the limit is {}%; holding one costs {}.",
                    test.limit_pct.unwrap_or_default().normalize(),
                    setting.referendum_cost.fmt_gbp()
                ));
            }
            Step {
                label: pct_label(core),
                value: core,
                effect: raised - cost,
                consequence,
                referendum: test.triggered,
            }
        })
        .collect();
    let start = pcts.iter().position(|&p| p == planned_core).unwrap_or(0);
    let mut detail = vec![format!(
        "The plan assumes {}% in {}.",
        planned_core.normalize(),
        outcome.year
    )];
    if !asc.is_zero() {
        detail.push(format!(
            "The adult social care precept of {}% is added on top and shown apart on the bill.",
            asc.normalize()
        ));
    }
    Ok(Question {
        key: "council_tax".into(),
        kind: QuestionKind::CouncilTax,
        title: "Council tax increase".into(),
        service: None,
        budget: None,
        detail,
        steps,
        start,
    })
}

/// A year's amount a week, to the penny (52 weeks).
fn weekly(amount: Money) -> Money {
    Money::from_decimal_rounded(
        amount.to_decimal() / Decimal::from(52),
        Rounding::HalfAwayFromZero,
    )
    .expect("in range")
}
