//! Step 2: which notice a permitted modification needs, and why in words.

use super::permit::caveat;
use super::{
    ChangeNotice, ContractTerms, Findings, Measures, Modification, ModificationGround,
    ModificationRules, RuleKey, percent,
};
use crate::procurement::{ContractType, Regime};

/// The notice a modification needs, if any, and why.
pub(super) struct Answer {
    pub notice: Option<ChangeNotice>,
    pub reason: String,
}

/// The notice the contract's regime asks of the modification.
pub(super) fn notice(
    terms: &ContractTerms,
    m: &Modification,
    measures: &Measures,
    rules: &ModificationRules,
    findings: &mut Findings,
) -> Answer {
    match terms.regime {
        Regime::Pcr2015 => pcr_notice(m),
        Regime::Pa2023 => pa_notice(terms, m, measures, rules, findings),
    }
}

/// PCR 2015 reg 72(3): a modification notice after a modification under reg 72(1)(b) or (c).
fn pcr_notice(m: &Modification) -> Answer {
    match m.ground {
        ModificationGround::PcrAdditional | ModificationGround::PcrUnforeseeable => Answer {
            notice: Some(ChangeNotice::ModificationNotice),
            reason: format!(
                "PCR 2015 reg 72(3): a contract modified under {} must be the subject of a modification notice sent for publication (reg 51)",
                m.ground.provision()
            ),
        },
        _ => Answer {
            notice: None,
            reason: format!(
                "PCR 2015 reg 72(3) asks for a modification notice only after a modification under reg 72(1)(b) or (c); this one relies on {}",
                m.ground.provision()
            ),
        },
    }
}

/// PA2023 s75: a contract change notice before the modification, unless it is small in both
/// value and term; never for a light touch contract, always for a novation or assignment on a
/// corporate restructuring.
fn pa_notice(
    terms: &ContractTerms,
    m: &Modification,
    measures: &Measures,
    rules: &ModificationRules,
    findings: &mut Findings,
) -> Answer {
    let ccn = |reason: String| Answer {
        notice: Some(ChangeNotice::ContractChangeNotice),
        reason,
    };
    if terms.contract_type == ContractType::LightTouch {
        return Answer {
            notice: None,
            reason: "PA2023 s75(6)(b): no contract change notice is needed to modify a light touch contract".into(),
        };
    }
    if m.ground == ModificationGround::PaCorporateRestructuring {
        return ccn(
            "PA2023 s75(1) and (2): a contract change notice (UK10) must be published before the modification; the exemption for small changes does not apply to a permitted modification under Sch 8 para 9 (novation or assignment on corporate restructuring)".into(),
        );
    }
    let ct = terms.contract_type;
    let value_row = rules.rule(Regime::Pa2023, RuleKey::NoticeValue, ct);
    let term_row = rules.rule(Regime::Pa2023, RuleKey::NoticeTerm, ct);
    findings.rely_on(value_row);
    findings.rely_on(term_row);
    let base = measures.value_base(terms, value_row.of);
    let change = m.value_change.as_pence();
    let value_small = value_row.allows(change, base.as_pence());
    let value_words = format!(
        "the change in value of {} is {}% of {} {} ({} {}%{})",
        m.value_change.fmt_gbp(),
        percent(change, base.as_pence()).normalize(),
        value_row.of.label(),
        base.fmt_gbp(),
        if value_small { "within" } else { "over" },
        value_row.percent.normalize(),
        caveat(value_row)
    );
    let (term_small, term_words) = match (measures.term_change_days, measures.max_term_days) {
        (Some(0), _) => (true, "the term does not change".to_owned()),
        (Some(days), Some(max)) => {
            let small = term_row.allows(days, max);
            (
                small,
                format!(
                    "the term changes by {days} days, {}% of the maximum term on award of {max} days ({} {}%{})",
                    percent(days, max).normalize(),
                    if small { "within" } else { "over" },
                    term_row.percent.normalize(),
                    caveat(term_row)
                ),
            )
        }
        _ => (
            false,
            format!(
                "the change of term cannot be shown to be {}% or less: {}",
                term_row.percent.normalize(),
                measures
                    .term_unmeasurable
                    .unwrap_or("it cannot be measured")
            ),
        ),
    };
    if value_small && term_small {
        Answer {
            notice: None,
            reason: format!(
                "PA2023 s75(2): no contract change notice is needed, because {value_words} and {term_words}"
            ),
        }
    } else {
        ccn(format!(
            "PA2023 s75(1): a contract change notice (UK10) must be published before the modification, because the exemption in s75(2) needs both a small change in value and a small change of term: {value_words}, and {term_words}"
        ))
    }
}
