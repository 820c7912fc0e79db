//! What a partnership's shared-services file gives (the documented layout of
//! `ngc import shared-services`): the services and their hosts, each service's years, the
//! agreement's notice period and index, the partners' baselines, and published savings
//! figures to show beside the computed ones.

use super::{Basis, Fee};
use crate::finance::FinancialYear;
use crate::money::Money;
use crate::slug::Slug;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where a figure comes from, and whether it is an official or published figure confirmed
/// against its source (`false` for a modelled or estimated one).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: String,
    pub confirmed: bool,
}

/// A service of the partnership and the member that hosts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDraft {
    pub code: String,
    pub name: String,
    pub host: Slug,
}

/// One service's year as given: the pool, the basis and its weights, the fees, the income
/// key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearDraft {
    pub service: String,
    pub year: FinancialYear,
    pub pool: Money,
    pub basis: Basis,
    pub weights: Vec<(Slug, Decimal)>,
    pub fees: Vec<Fee>,
    pub income_key: Option<Vec<(Slug, Decimal)>>,
    pub provenance: Provenance,
}

/// A partner's pre-sharing baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineDraft {
    pub organisation: Slug,
    pub year: FinancialYear,
    pub amount: Money,
    pub provenance: Provenance,
}

crate::text_enum! {
    /// What kind of published savings figure, and what it covers.
    pub enum Published as "published figure" {
        /// A projection made in advance (a budget announcement), from the first year to the
        /// year given.
        ProjectedCumulative = "projected_cumulative", "Projected, cumulative";
        /// An outturn reported afterwards (a case study, an annual report) for the year.
        ReportedInYear = "reported_in_year", "Reported, in the year";
        /// An outturn reported afterwards from the first year to the year given.
        ReportedCumulative = "reported_cumulative", "Reported, cumulative";
    }
}

/// A published savings figure, for one partner or (without one) the partnership.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedSaving {
    pub organisation: Option<Slug>,
    pub year: FinancialYear,
    pub kind: Published,
    pub amount: Money,
    pub provenance: Provenance,
}

/// The index rate of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexRate {
    pub year: FinancialYear,
    pub rate: Decimal,
    pub provenance: Provenance,
}

/// Everything a file gives. Each part replaces the stored one it names (a service by code,
/// a year by service and year, a rate by year, a baseline by partner, a published figure by
/// partner, year and kind); the replaced versions are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub services: Vec<ServiceDraft>,
    pub years: Vec<YearDraft>,
    /// The months' notice a partner must give to leave.
    pub notice_months: Option<u32>,
    /// The name of the index baselines are carried by.
    pub index_name: Option<String>,
    pub index_rates: Vec<IndexRate>,
    pub baselines: Vec<BaselineDraft>,
    pub published: Vec<PublishedSaving>,
}
