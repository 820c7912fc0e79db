//! What a partnership's shared-services file gives (the documented layout of
//! `ngc import shared-services`): the services and their hosts, each service's years, the
//! agreement's notice period and index, the partners' baselines, and published savings
//! figures to show beside the computed ones.

use super::{Basis, Fee, ServiceYear};
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

/// A partnership's shared-service figures as they stand: its services, each service's years
/// with where their figures come from, the index and the partners' baselines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub services: Vec<ServiceDraft>,
    pub years: Vec<(ServiceYear, Provenance)>,
    pub index_name: Option<String>,
    pub index_rates: Vec<IndexRate>,
    pub baselines: Vec<BaselineDraft>,
}

/// A year given for a service the partnership does not have and the file does not define.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("service `{0}`: the service is not defined: give its `name` and `host` lines")]
pub struct UndefinedService(pub String);

impl Figures {
    /// The figures as they are once `agreement` is stored: each part it gives replaces the
    /// one it names (a service by code, renaming or rehosting every year of it; a year by
    /// service and year; a rate by year; a baseline by partner); the rest stays.
    pub fn apply(mut self, agreement: &Agreement) -> Result<Figures, UndefinedService> {
        for s in &agreement.services {
            self.services.retain(|o| o.code != s.code);
            self.services.push(s.clone());
            for (y, _) in self.years.iter_mut().filter(|(y, _)| y.service == s.code) {
                y.name = s.name.clone();
                y.host = s.host.clone();
            }
        }
        for d in &agreement.years {
            let service = self
                .services
                .iter()
                .find(|s| s.code == d.service)
                .ok_or_else(|| UndefinedService(d.service.clone()))?;
            let year = ServiceYear {
                service: d.service.clone(),
                name: service.name.clone(),
                host: service.host.clone(),
                year: d.year,
                pool: d.pool,
                basis: d.basis,
                weights: d.weights.clone(),
                fees: d.fees.clone(),
                income_key: d.income_key.clone(),
            };
            self.years
                .retain(|(y, _)| !(y.service == d.service && y.year == d.year));
            self.years.push((year, d.provenance.clone()));
        }
        self.years
            .sort_by(|(a, _), (b, _)| (a.year, &a.service).cmp(&(b.year, &b.service)));
        for r in &agreement.index_rates {
            self.index_rates.retain(|o| o.year != r.year);
            self.index_rates.push(r.clone());
        }
        self.index_rates.sort_by_key(|r| r.year);
        if agreement.index_name.is_some() {
            self.index_name.clone_from(&agreement.index_name);
        }
        for b in &agreement.baselines {
            self.baselines.retain(|o| o.organisation != b.organisation);
            self.baselines.push(b.clone());
        }
        self.baselines
            .sort_by(|a, b| a.organisation.cmp(&b.organisation));
        Ok(self)
    }

    /// The service years, without their provenance, as [`super::statement`] takes them.
    pub fn service_years(&self) -> Vec<ServiceYear> {
        self.years.iter().map(|(y, _)| y.clone()).collect()
    }

    /// The years with figures, in order.
    pub fn financial_years(&self) -> Vec<FinancialYear> {
        let mut years: Vec<FinancialYear> = self.years.iter().map(|(y, _)| y.year).collect();
        years.dedup();
        years
    }

    /// The index baselines are carried by.
    pub fn index(&self) -> super::Index {
        super::Index {
            name: self
                .index_name
                .clone()
                .unwrap_or_else(|| "no index".to_owned()),
            rates: self.index_rates.iter().map(|r| (r.year, r.rate)).collect(),
        }
    }

    /// A partner's baseline, as the statement takes it.
    pub fn baseline(&self, partner: &Slug) -> Option<super::Baseline> {
        self.baselines
            .iter()
            .find(|b| &b.organisation == partner)
            .map(|b| super::Baseline {
                year: b.year,
                amount: b.amount,
                source: b.provenance.source.clone(),
            })
    }
}
