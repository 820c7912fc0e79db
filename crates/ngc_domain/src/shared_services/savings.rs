//! The partnership's savings by year against the partners' baselines, and cumulative.

use super::Statement;
use crate::finance::FinancialYear;
use crate::money::Money;
use crate::slug::Slug;
use serde::Serialize;

/// One partner's saving in a year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSaving {
    pub organisation: Slug,
    pub baseline: Money,
    pub net_charge: Money,
    pub saving: Money,
    /// Its savings from the first year to this one.
    pub cumulative: Money,
}

/// One year of the view.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavingsYear {
    pub year: FinancialYear,
    /// The partners with a baseline that year.
    pub partners: Vec<YearSaving>,
    /// Their savings in the year.
    pub saving: Money,
    /// The partnership's savings from the first year to this one.
    pub cumulative: Money,
}

/// One partner's savings over every year.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerSaving {
    pub organisation: Slug,
    pub saving: Money,
}

/// A partnership's savings over the years it has statements for.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavingsView {
    pub years: Vec<SavingsYear>,
    /// Each partner's savings over every year.
    pub by_partner: Vec<PartnerSaving>,
    pub total: Money,
}

/// The savings view of `statements`, in year order. A partner without a baseline in a year
/// counts nothing that year.
pub fn savings(statements: &[Statement]) -> SavingsView {
    let mut ordered: Vec<&Statement> = statements.iter().collect();
    ordered.sort_by_key(|s| s.year);
    let mut by_partner: std::collections::BTreeMap<Slug, Money> = Default::default();
    let mut cumulative = Money::ZERO;
    let years = ordered
        .into_iter()
        .map(|s| {
            let partners: Vec<YearSaving> = s
                .partners
                .iter()
                .filter_map(|p| {
                    let (baseline, saving) = (p.baseline?, p.saving?);
                    let running = by_partner.entry(p.organisation.clone()).or_default();
                    *running += saving;
                    Some(YearSaving {
                        organisation: p.organisation.clone(),
                        baseline,
                        net_charge: p.net_charge,
                        saving,
                        cumulative: *running,
                    })
                })
                .collect();
            let saving: Money = partners.iter().map(|p| p.saving).sum();
            cumulative += saving;
            SavingsYear {
                year: s.year,
                partners,
                saving,
                cumulative,
            }
        })
        .collect();
    SavingsView {
        years,
        by_partner: by_partner
            .into_iter()
            .map(|(organisation, saving)| PartnerSaving {
                organisation,
                saving,
            })
            .collect(),
        total: cumulative,
    }
}
