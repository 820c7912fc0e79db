//! Step 1: whether a modification is permitted on its ground, with the figure that fails it.

use super::{
    Base, ChangeRefusal, ContractTerms, Findings, Measures, Modification, ModificationGround,
    ModificationRule, ModificationRules, RuleKey, percent,
};
use crate::money::{Money, Rounding};
use crate::procurement::vat::compare;
use crate::procurement::{ContractType, Regime};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Checks the modification against its ground, adding why it is permitted to `findings`.
pub(super) fn permit(
    terms: &ContractTerms,
    m: &Modification,
    measures: &Measures,
    today: NaiveDate,
    rules: &ModificationRules,
    findings: &mut Findings,
) -> Result<(), ChangeRefusal> {
    let refuse = |provision: &str, reason: String| ChangeRefusal::NotPermitted {
        ground: m.ground,
        provision: provision.to_owned(),
        reason,
    };
    let ct = terms.contract_type;
    if terms.regime == Regime::Pa2023 && ct == ContractType::LightTouch {
        findings.reasons.push(
            "PA2023 s74(2): a light touch contract may be modified without relying on a ground in s74(1) or Sch 8".into(),
        );
        return Ok(());
    }
    if m.ground == ModificationGround::PaLightTouch {
        return Err(refuse(
            m.ground.provision(),
            format!(
                "only a light touch contract may be modified freely; this is a {} contract",
                ct.label().to_lowercase()
            ),
        ));
    }
    if m.reverses_termination {
        findings.reasons.push(format!(
            "The variation reverses the termination on {}: a modification extending the term from that date{}.",
            terms.terminated_on.map(|d| d.to_string()).unwrap_or_default(),
            measures
                .term_change_days
                .map(|d| format!(" by {d} days"))
                .unwrap_or_default()
        ));
    }
    if let Some(cap) = m.ground.increase_cap() {
        let row = rules.rule(terms.regime, cap, ct);
        findings.rely_on(row);
        let base = measures.value_base(terms, row.of);
        let change = m.value_change;
        if change.is_positive() && !row.allows(change.as_pence(), base.as_pence()) {
            return Err(refuse(
                &row.provision,
                exceeds(row, &cap_noun(m.ground, ct), "this one is", change, base),
            ));
        }
        findings.reasons.push(if change.is_positive() {
            format!(
                "{}: the increase of {} is {}% of {} {}, within the limit: {}{}",
                row.provision,
                change.fmt_gbp(),
                percent(change.as_pence(), base.as_pence()).normalize(),
                row.of.label(),
                base.fmt_gbp(),
                row.limit_in_words(),
                caveat(row)
            )
        } else {
            format!(
                "{}: the cap of {} limits increases; this change of {} is not one",
                row.provision,
                row.limit_in_words(),
                change.fmt_gbp()
            )
        });
    }
    match m.ground {
        ModificationGround::PcrDeMinimis => {
            let net = de_minimis_total(terms, m)?;
            let pcr = Wording {
                noun: "de minimis modifications, net cumulatively,",
                this: "together they come to",
                how: "net cumulatively with the earlier de minimis modifications",
            };
            within_value(terms, measures, rules, findings, m, net, &pcr)?;
            below_threshold(terms, rules, findings, m, net, today, &pcr)?;
        }
        ModificationGround::PaBelowThreshold => {
            let itself = Wording {
                noun: "a below-threshold modification",
                this: "this one is",
                how: "by itself",
            };
            within_value(terms, measures, rules, findings, m, m.value_change, &itself)?;
            let aggregate = de_minimis_total(terms, m)?;
            let together = Wording {
                noun: "below-threshold modifications, in aggregate,",
                this: "together they come to",
                how: "in aggregate with the earlier below-threshold modifications",
            };
            below_threshold(terms, rules, findings, m, aggregate, today, &together)?;
        }
        ModificationGround::PaNotSubstantial => {
            let row = rules.rule(terms.regime, RuleKey::SubstantialTerm, ct);
            findings.rely_on(row);
            not_substantial(row, measures, findings)
                .map_err(|reason| refuse(&row.provision, reason))?;
        }
        _ => {}
    }
    findings.reasons.push(format!(
        "{}: the authority must be satisfied that {}.",
        m.ground.provision(),
        m.ground.conditions()
    ));
    Ok(())
}

/// PA2023 s74(3)(a): the term may change by at most 10% of the maximum term on award; `Err`
/// says why not.
fn not_substantial(
    row: &ModificationRule,
    measures: &Measures,
    findings: &mut Findings,
) -> Result<(), String> {
    match (measures.term_change_days, measures.max_term_days) {
        (Some(0), _) => {
            findings
                .reasons
                .push(format!("{}: the term does not change", row.provision));
            Ok(())
        }
        (Some(days), Some(max)) if row.allows(days, max) => {
            findings.reasons.push(format!(
                "{}: the term changes by {days} days, {}% of the maximum term on award of {max} days, within the limit: {}{}",
                row.provision,
                percent(days, max).normalize(),
                row.limit_in_words(),
                caveat(row)
            ));
            Ok(())
        }
        (Some(days), Some(max)) => Err(exceeds_days(
            row,
            "a modification that is not substantial",
            days,
            max,
        )),
        _ => Err(format!(
            "a modification changing the term by more than {}% of the maximum term on award is substantial, and {}",
            row.percent.normalize(),
            measures
                .term_unmeasurable
                .unwrap_or("the change of term cannot be measured")
        )),
    }
}

/// What an increase on a capped ground is called in a refusal.
fn cap_noun(ground: ModificationGround, ct: ContractType) -> String {
    match ground.increase_cap() {
        Some(RuleKey::IncreaseCapAdditional) => {
            let kind = match ct {
                ContractType::Supplies => "supplies",
                ContractType::Works => "works",
                ContractType::Services | ContractType::LightTouch => "services",
            };
            format!("an additional-{kind} modification")
        }
        Some(RuleKey::IncreaseCapKnownRisk) => {
            "a modification for a materialised known risk".to_owned()
        }
        _ => "a modification for unforeseeable circumstances".to_owned(),
    }
}

/// `{noun} may not exceed 50% of the original value (this one is 62.5%: £625,000.00 of
/// £1,000,000.00)`, the reason a figure fails its limit.
fn exceeds(row: &ModificationRule, noun: &str, this: &str, amount: Money, base: Money) -> String {
    format!(
        "{noun} {} {}% of {} ({this} {}%: {} of {}){}",
        must(row),
        row.percent.normalize(),
        row.of.label(),
        percent(amount.as_pence(), base.as_pence()).normalize(),
        amount.fmt_gbp(),
        base.fmt_gbp(),
        caveat(row)
    )
}

/// As [`exceeds`], for days of term.
fn exceeds_days(row: &ModificationRule, noun: &str, days: i64, max: i64) -> String {
    format!(
        "{noun} {} {}% of {} (this one is {}%: {days} days of {max})",
        may_not_change(row),
        row.percent.normalize(),
        row.of.label(),
        percent(days, max).normalize(),
    )
}

fn may_not_change(row: &ModificationRule) -> &'static str {
    match row.comparison {
        super::Bound::AtMost => "may not change the term by more than",
        super::Bound::Below => "must change the term by less than",
    }
}

fn must(row: &ModificationRule) -> &'static str {
    match row.comparison {
        super::Bound::AtMost => "may not exceed",
        super::Bound::Below => "must stay below",
    }
}

/// ` (figure unconfirmed …)` after a reason that relies on an unconfirmed row.
pub(super) fn caveat(row: &ModificationRule) -> &'static str {
    if row.confirmed {
        ""
    } else {
        " (figure not confirmed against the legislation: see contracts/data/modification_rules.csv)"
    }
}

/// How a de minimis figure is described: what it is, how it is added up.
struct Wording {
    /// The subject of a refusal: `a below-threshold modification`.
    noun: &'static str,
    /// Before the figure in a refusal: `this one is`.
    this: &'static str,
    /// How the figure was added up, in a reason.
    how: &'static str,
}

/// The net total of this and the earlier modifications on the same de minimis ground.
fn de_minimis_total(terms: &ContractTerms, m: &Modification) -> Result<Money, ChangeRefusal> {
    let earlier = terms
        .prior_changes
        .iter()
        .filter(|p| p.ground == m.ground)
        .map(|p| p.value_change);
    Money::checked_sum(earlier.chain([m.value_change])).ok_or(ChangeRefusal::Overflow)
}

/// The de minimis limit as a share of the value.
fn within_value(
    terms: &ContractTerms,
    measures: &Measures,
    rules: &ModificationRules,
    findings: &mut Findings,
    m: &Modification,
    amount: Money,
    w: &Wording,
) -> Result<(), ChangeRefusal> {
    let row = rules.rule(terms.regime, RuleKey::DeMinimisValue, terms.contract_type);
    findings.rely_on(row);
    let base = measures.value_base(terms, row.of);
    if !row.allows(amount.as_pence(), base.as_pence()) {
        return Err(ChangeRefusal::NotPermitted {
            ground: m.ground,
            provision: row.provision.clone(),
            reason: exceeds(row, w.noun, w.this, amount, base),
        });
    }
    findings.reasons.push(format!(
        "{}: the change, {}, is {} ({}% of {} {}), within the limit: {}{}",
        row.provision,
        w.how,
        amount.fmt_gbp(),
        percent(amount.as_pence(), base.as_pence()).normalize(),
        row.of.label(),
        base.fmt_gbp(),
        row.limit_in_words(),
        caveat(row)
    ));
    Ok(())
}

/// The de minimis limit against the threshold on the day of the modification, compared like
/// with like for VAT.
fn below_threshold(
    terms: &ContractTerms,
    rules: &ModificationRules,
    findings: &mut Findings,
    m: &Modification,
    amount: Money,
    today: NaiveDate,
    w: &Wording,
) -> Result<(), ChangeRefusal> {
    let row = rules.rule(
        terms.regime,
        RuleKey::DeMinimisThreshold,
        terms.contract_type,
    );
    findings.rely_on(row);
    let thresholds = rules
        .thresholds()
        .on(today)
        .ok_or(ChangeRefusal::NoThreshold {
            contract_type: terms.contract_type,
            date: today,
        })?;
    let limit = thresholds
        .amount(terms.contract_type)
        .mul_decimal(
            row.percent / Decimal::ONE_HUNDRED,
            Rounding::HalfAwayFromZero,
        )
        .map_err(|_| ChangeRefusal::Overflow)?;
    let size = amount.checked_abs().ok_or(ChangeRefusal::Overflow)?;
    let comparison = compare(
        size,
        terms.vat_basis,
        limit,
        thresholds.basis,
        today,
        rules.vat_rates(),
    )
    .map_err(|date| ChangeRefusal::NoVatRate { date })?;
    if comparison.at_or_above {
        return Err(ChangeRefusal::NotPermitted {
            ground: m.ground,
            provision: row.provision.clone(),
            reason: format!(
                "{} must stay below the threshold ({}){}",
                w.noun,
                comparison.explanation,
                caveat(row)
            ),
        });
    }
    debug_assert_eq!(row.of, Base::Threshold);
    findings.reasons.push(format!(
        "{}: the change, {}, is below the threshold ({}){}",
        row.provision,
        w.how,
        comparison.explanation,
        caveat(row)
    ));
    Ok(())
}
