//! The rules for one procurement: regime, threshold, procedures, minimum tender period,
//! notices and standstill, from its value, type of contract and commencement date. The
//! answer of `ngc procurement rules`.

use super::below_threshold::NoticeDuties;
use super::notices::{NoticeQuery, NoticeType, notices};
use super::procedure::{ContractType, Procedure, available};
use super::regime::{REGIME_REFERENCE, Regime};
use super::standstill;
use super::thresholds::{Thresholds, VatBasis};
use super::time_limits::{Stage, TimeLimitError, TimeLimitQuery, TimeLimitRules};
use super::vat::{VatRates, compare};
use crate::money::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// The data the rules read: the shipped tables, or others for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesData {
    /// Thresholds by period.
    pub thresholds: Thresholds,
    /// Below-threshold notice duties.
    pub duties: NoticeDuties,
    /// Standard VAT rates.
    pub vat: VatRates,
    /// Minimum time limits.
    pub time_limits: TimeLimitRules,
}

impl RulesData {
    /// The tables shipped with ngc.
    pub fn shipped() -> RulesData {
        RulesData {
            thresholds: Thresholds::shipped(),
            duties: NoticeDuties::shipped(),
            vat: VatRates::shipped(),
            time_limits: TimeLimitRules::shipped(),
        }
    }
}

/// A procurement to find the rules for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesQuery {
    /// The estimated value.
    pub value: Money,
    /// Whether `value` includes VAT.
    pub value_basis: VatBasis,
    /// The type of contract.
    pub contract_type: ContractType,
    /// The commencement date (the contract or tender notice), which decides the regime and
    /// the thresholds.
    pub start: NaiveDate,
    /// The procedure to give the time limit for (default: the first available).
    pub procedure: Option<Procedure>,
    /// Whether tenders may be submitted electronically.
    pub electronic: bool,
    /// Whether the procurement documents go with the notice.
    pub documents_with_notice: bool,
    /// The day a planned procurement notice (or prior information notice) was published.
    pub planned_notice: Option<NaiveDate>,
    /// Whether urgency makes the usual limits impractical.
    pub urgent: bool,
}

/// The rules that apply. Field names are a contract (`ngc procurement rules --format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RulesAnswer {
    /// `pcr2015` or `pa2023`.
    pub regime: Regime,
    /// The threshold for the type of contract on the start date.
    pub threshold: Money,
    /// Whether the threshold includes VAT.
    pub threshold_basis: VatBasis,
    /// Whether the value equals or exceeds the threshold.
    pub above_threshold: bool,
    /// How the value was compared with the threshold (like with like, at the VAT rate held
    /// as data when the bases differ).
    pub value_comparison: String,
    /// The procedures available, from the set of [`Procedure`] values.
    pub procedures: Vec<Procedure>,
    /// The minimum tender period in days, or none where there is no statutory minimum.
    pub minimum_tender_period_days: Option<u32>,
    /// The procedure and rule that gave the minimum tender period, with references.
    pub minimum_tender_period_basis: String,
    /// The notices the procurement will need, from the set of [`NoticeType`] values.
    pub notices: Vec<NoticeType>,
    /// The standstill that applies, in words with its reference.
    pub standstill_rule: String,
    /// The legal references and data sources used.
    pub sources: Vec<String>,
}

/// Why the rules could not be given. [`RulesError::field`] names the input at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// The value is negative.
    #[error("the value may not be negative")]
    NegativeValue,
    /// No threshold is known for the start date.
    #[error("no threshold is known for {date}: the data starts on {first}")]
    NoThreshold {
        /// The start date.
        date: NaiveDate,
        /// The first date with a threshold.
        first: String,
    },
    /// No VAT rate is known for the start date.
    #[error("no standard VAT rate is known for {0}")]
    NoVatRate(NaiveDate),
    /// The procedure is not open to this procurement.
    #[error(
        "`{procedure}` is not available to this procurement under {regime}: expected one of {choices}"
    )]
    ProcedureNotAvailable {
        /// The procedure asked for.
        procedure: Procedure,
        /// The regime.
        regime: Regime,
        /// The procedures available, comma separated.
        choices: String,
    },
    /// The time limit could not be decided.
    #[error(transparent)]
    TimeLimit(#[from] TimeLimitError),
}

impl RulesError {
    /// The input the error is about: `value`, `start`, `procedure` or `after_planned_notice`.
    pub fn field(&self) -> &'static str {
        match self {
            RulesError::NegativeValue => "value",
            RulesError::NoThreshold { .. } | RulesError::NoVatRate(_) => "start",
            RulesError::ProcedureNotAvailable { .. }
            | RulesError::TimeLimit(TimeLimitError::NoRule { .. }) => "procedure",
            RulesError::TimeLimit(TimeLimitError::PlannedAfterNotice { .. }) => {
                "after_planned_notice"
            }
        }
    }
}

fn standstill_rule(
    regime: Regime,
    procedure: Procedure,
    contract_type: ContractType,
    urgent: bool,
) -> String {
    match (regime, procedure) {
        (Regime::Pcr2015, Procedure::BelowThresholdQuotes) => {
            "none: no standstill below the threshold (PCR 2015 Part 4)".into()
        }
        (Regime::Pcr2015, Procedure::Exempt) => "none: exempt from the Regulations (PCR 2015 reg 12)".into(),
        (Regime::Pa2023, Procedure::BelowThreshold) => {
            "none: no standstill for a below-threshold contract (PA2023 Part 6)".into()
        }
        (Regime::Pa2023, Procedure::Exempt) => "none: exempted contract (PA2023 Sch 2)".into(),
        (Regime::Pa2023, Procedure::DirectAward) if urgent => {
            "none: a direct award on the ground of urgency has no mandatory standstill (PA2023 s51(3), unconfirmed)".into()
        }
        (Regime::Pa2023, _) if contract_type == ContractType::LightTouch => format!(
            "voluntary: a light touch contract has no mandatory standstill (PA2023 s51(3), unconfirmed); a voluntary standstill follows {}",
            standstill::rule(regime)
        ),
        _ => standstill::rule(regime).into(),
    }
}

/// The rules for `q`.
pub fn rules(q: &RulesQuery, data: &RulesData) -> Result<RulesAnswer, RulesError> {
    if q.value < Money::ZERO {
        return Err(RulesError::NegativeValue);
    }
    let regime = Regime::for_commencement(q.start);
    let row = data
        .thresholds
        .on(q.start)
        .ok_or_else(|| RulesError::NoThreshold {
            date: q.start,
            first: data
                .thresholds
                .rows()
                .first()
                .map_or_else(|| "nowhere".into(), |r| r.from.to_string()),
        })?;
    let threshold = row.amount(q.contract_type);
    let comparison = compare(
        q.value,
        q.value_basis,
        threshold,
        row.basis,
        q.start,
        &data.vat,
    )
    .map_err(RulesError::NoVatRate)?;
    let above = comparison.at_or_above;
    let procedures = available(regime, q.contract_type, above);
    let procedure = match q.procedure {
        None => procedures[0],
        Some(p) if procedures.contains(&p) => p,
        Some(p) => {
            return Err(RulesError::ProcedureNotAvailable {
                procedure: p,
                regime,
                choices: procedures
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    };
    let limit = data.time_limits.minimum(&TimeLimitQuery {
        regime,
        procedure,
        stage: Stage::Tender,
        electronic: q.electronic,
        documents_with_notice: q.documents_with_notice,
        planned_notice: q.planned_notice,
        notice_date: q.start,
        urgent: q.urgent,
        light_touch: q.contract_type == ContractType::LightTouch,
    })?;
    let mut sources = vec![
        REGIME_REFERENCE.to_owned(),
        format!("thresholds: {}", row.source),
    ];
    if let Some(rate) = &comparison.vat_rate {
        sources.push(format!("VAT: {}", rate.source));
    }
    let duty = if above {
        None
    } else {
        data.duties.on(regime, q.start)
    };
    let notifiable = match duty {
        Some(d) => {
            sources.push(format!(
                "below-threshold notices from {} {}: {} ({}); {}",
                d.amount.fmt_gbp(),
                d.basis.label(),
                d.duty,
                d.reference,
                d.source
            ));
            compare(
                q.value,
                q.value_basis,
                d.amount,
                d.basis,
                q.start,
                &data.vat,
            )
            .map_err(RulesError::NoVatRate)?
            .at_or_above
        }
        None => false,
    };
    sources.push(format!(
        "procedure: {} ({})",
        procedure.label(),
        procedure.reference(regime)
    ));
    sources.push(format!(
        "working days: {}",
        regime.working_days().reference()
    ));
    Ok(RulesAnswer {
        regime,
        threshold,
        threshold_basis: row.basis,
        above_threshold: above,
        value_comparison: comparison.explanation,
        procedures,
        minimum_tender_period_days: limit.days,
        minimum_tender_period_basis: format!("{}: {}", procedure.label(), limit.basis),
        notices: notices(NoticeQuery {
            regime,
            procedure,
            planned_notice: q.planned_notice.is_some(),
            below_threshold_notifiable: notifiable,
        }),
        standstill_rule: standstill_rule(regime, procedure, q.contract_type, q.urgent),
        sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn query(value: &str, contract_type: ContractType, start: &str) -> RulesQuery {
        RulesQuery {
            value: value.parse().unwrap(),
            value_basis: VatBasis::ExcludingVat,
            contract_type,
            start: start.parse().unwrap(),
            procedure: None,
            electronic: true,
            documents_with_notice: true,
            planned_notice: None,
            urgent: false,
        }
    }

    fn run(q: &RulesQuery) -> RulesAnswer {
        rules(q, &RulesData::shipped()).unwrap()
    }

    #[test]
    fn an_open_tender_under_the_act() {
        let a = run(&query("500000", ContractType::Services, "2025-06-02"));
        assert_eq!(a.regime, Regime::Pa2023);
        assert_eq!(a.threshold, "214904".parse().unwrap());
        assert_eq!(a.threshold_basis, VatBasis::IncludingVat);
        assert!(a.above_threshold);
        assert_eq!(a.procedures[0], Procedure::Open);
        assert_eq!(a.minimum_tender_period_days, Some(25));
        assert_eq!(
            a.notices,
            vec![NoticeType::Uk4, NoticeType::Uk6, NoticeType::Uk7]
        );
        assert!(a.standstill_rule.starts_with("PA2023 s51"));
    }

    #[rstest]
    // 2020: £189,330 excluding VAT. £160,000 excluding VAT is below; £230,000 including VAT
    // is £191,666.67 excluding: above; £227,195.99 including VAT is just below.
    #[case::excl_below("160000", VatBasis::ExcludingVat, "2020-06-01", false)]
    #[case::incl_above("230000", VatBasis::IncludingVat, "2020-06-01", true)]
    #[case::incl_just_below("227195.99", VatBasis::IncludingVat, "2020-06-01", false)]
    // 2022: £213,477 including VAT. £180,000 excluding VAT is £216,000 including: above.
    #[case::excl_above_2022("180000", VatBasis::ExcludingVat, "2022-01-01", true)]
    #[case::excl_below_2021("180000", VatBasis::ExcludingVat, "2021-12-31", false)]
    fn vat_inclusive_values_are_compared_like_with_like(
        #[case] value: &str,
        #[case] basis: VatBasis,
        #[case] start: &str,
        #[case] above: bool,
    ) {
        let q = RulesQuery {
            value_basis: basis,
            ..query(value, ContractType::Supplies, start)
        };
        let a = run(&q);
        assert_eq!(a.above_threshold, above, "{}", a.value_comparison);
        assert_eq!(
            a.sources.iter().any(|s| s.starts_with("VAT:")),
            basis != a.threshold_basis
        );
    }

    #[test]
    fn pcr_below_threshold_needs_contracts_finder_from_the_duty_threshold() {
        let above_duty = run(&query("26000", ContractType::Services, "2016-06-01"));
        assert_eq!(above_duty.regime, Regime::Pcr2015);
        assert!(!above_duty.above_threshold);
        assert_eq!(
            above_duty.procedures,
            vec![Procedure::BelowThresholdQuotes, Procedure::Exempt]
        );
        assert_eq!(above_duty.notices.len(), 2);
        assert!(above_duty.standstill_rule.starts_with("none"));
        let below_duty = run(&query("24999.99", ContractType::Services, "2016-06-01"));
        assert!(below_duty.notices.is_empty());
    }

    #[test]
    fn light_touch_under_pcr_uses_the_light_touch_threshold_and_regime() {
        let a = run(&query("700000", ContractType::LightTouch, "2016-06-01"));
        assert_eq!(a.threshold, "589148".parse().unwrap());
        assert_eq!(a.procedures[0], Procedure::LightTouch);
        assert_eq!(a.minimum_tender_period_days, None);
    }

    #[test]
    fn a_procedure_of_the_other_regime_is_refused_naming_the_field() {
        let q = RulesQuery {
            procedure: Some(Procedure::Restricted),
            ..query("500000", ContractType::Services, "2025-06-02")
        };
        let err = rules(&q, &RulesData::shipped()).unwrap_err();
        assert_eq!(err.field(), "procedure");
        assert!(
            err.to_string().contains("open, competitive_flexible"),
            "{err}"
        );
    }

    #[test]
    fn a_start_before_the_data_is_refused() {
        let err = rules(
            &query("1", ContractType::Works, "2014-01-01"),
            &RulesData::shipped(),
        )
        .unwrap_err();
        assert_eq!(err.field(), "start");
    }

    #[test]
    fn a_qualifying_planned_notice_gives_10_days_and_a_uk3() {
        let q = RulesQuery {
            planned_notice: Some("2025-03-01".parse().unwrap()),
            ..query("500000", ContractType::Services, "2025-06-02")
        };
        let a = run(&q);
        assert_eq!(a.minimum_tender_period_days, Some(10));
        assert_eq!(a.notices[0], NoticeType::Uk3);
    }
}
