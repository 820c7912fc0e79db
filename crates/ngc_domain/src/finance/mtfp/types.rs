//! The inputs of a medium-term financial plan.

use crate::finance::referendum::AuthorityClass;
use crate::finance::reserves::Reserve;
use crate::finance::savings::{DeliveryUpdate, Saving};
use crate::finance::service::{ServiceLine, Subjective};
use crate::finance::year::FinancialYear;
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

crate::text_enum! {
    /// Why spending rises.
    pub enum PressureKind as "pressure kind" {
        /// Pay and price inflation.
        Inflation = "inflation", "Inflation";
        /// More people needing services.
        Demography = "demography", "Demography";
        /// New duties in law.
        Legislation = "legislation", "Legislation";
        /// The full-year effect of earlier decisions.
        PreviousDecisions = "previous_decisions", "Previous decisions";
        /// Savings planned last year and not delivered, brought forward.
        UndeliveredSavings = "undelivered_savings", "Undelivered savings brought forward";
        /// Anything else.
        Other = "other", "Other";
    }
}

crate::text_enum! {
    /// Where money comes from.
    pub enum FundingSource as "funding source" {
        /// Revenue Support Grant.
        RevenueSupportGrant = "revenue_support_grant", "Revenue Support Grant";
        /// Retained business rates.
        RetainedBusinessRates = "retained_business_rates", "Retained business rates";
        /// Business rates top-up (positive) or tariff (negative).
        TopUpTariff = "top_up_tariff", "Top-up / tariff";
        /// Council tax: the requirement the council set. In a plan year it is optional; where
        /// given, Band D is that requirement ÷ the tax base; elsewhere the plan computes it.
        CouncilTax = "council_tax", "Council tax";
        /// Adult social care precept (part of the council tax requirement in plan years).
        AdultSocialCarePrecept = "adult_social_care_precept", "Adult social care precept";
        /// Specific (ring-fenced) grants.
        SpecificGrants = "specific_grants", "Specific grants";
        /// New Homes Bonus.
        NewHomesBonus = "new_homes_bonus", "New Homes Bonus";
        /// Collection fund surplus (positive) or deficit (negative).
        CollectionFund = "collection_fund", "Collection fund surplus / deficit";
    }
}

impl FundingSource {
    /// Whether the source is government funding (grants and the business rates system).
    pub fn is_government(self) -> bool {
        !matches!(
            self,
            FundingSource::CouncilTax
                | FundingSource::AdultSocialCarePrecept
                | FundingSource::CollectionFund
        )
    }

    /// Whether the source is council tax, which plan years compute instead.
    pub fn is_council_tax(self) -> bool {
        matches!(
            self,
            FundingSource::CouncilTax | FundingSource::AdultSocialCarePrecept
        )
    }
}

/// A line of the budget the plan starts from (the year before the plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseLine {
    /// The service line.
    pub service: ServiceLine,
    /// The subjective.
    pub subjective: Subjective,
    /// The amount (income positive; it is netted off).
    pub amount: Money,
}

/// The assumptions for one plan year, all in per cent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assumptions {
    /// The year.
    pub year: FinancialYear,
    /// Pay award, on employee costs.
    pub pay_award_pct: Decimal,
    /// General inflation, on running costs and third-party payments.
    pub general_inflation_pct: Decimal,
    /// Social-care inflation, on social care's third-party payments.
    pub social_care_inflation_pct: Decimal,
    /// Demography growth by service, on the service's net budget.
    pub demography_pct: BTreeMap<ServiceLine, Decimal>,
    /// Growth of the council tax base.
    pub tax_base_growth_pct: Decimal,
    /// Council tax increase (core).
    pub council_tax_increase_pct: Decimal,
    /// Adult social care precept.
    pub asc_precept_pct: Decimal,
}

impl Assumptions {
    /// No growth and no increases in `year`.
    pub fn zero(year: FinancialYear) -> Assumptions {
        Assumptions {
            year,
            pay_award_pct: Decimal::ZERO,
            general_inflation_pct: Decimal::ZERO,
            social_care_inflation_pct: Decimal::ZERO,
            demography_pct: BTreeMap::new(),
            tax_base_growth_pct: Decimal::ZERO,
            council_tax_increase_pct: Decimal::ZERO,
            asc_precept_pct: Decimal::ZERO,
        }
    }
}

/// How uncertain a pressure is, for the risk simulation: the outturn lies between
/// `low_pct` and `high_pct` per cent of the planned amount (e.g. 90 and 130).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// The lowest outturn, per cent of plan.
    pub low_pct: Decimal,
    /// The highest outturn, per cent of plan.
    pub high_pct: Decimal,
}

/// A spending pressure the plan names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pressure {
    /// A reference unique within the plan.
    pub reference: String,
    /// Why spending rises.
    pub kind: PressureKind,
    /// The service it falls on.
    pub service: ServiceLine,
    /// In words.
    pub description: String,
    /// The new pressure in each year (incremental: it stays in the base from then on).
    pub amounts: BTreeMap<FinancialYear, Money>,
    /// Its uncertainty for the risk simulation (none: certain).
    pub uncertainty: Option<Uncertainty>,
}

impl Pressure {
    /// The new pressure in `year` (zero if none).
    pub fn amount_in(&self, year: FinancialYear) -> Money {
        self.amounts.get(&year).copied().unwrap_or_default()
    }
}

/// Funding from one source in one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingLine {
    /// The source.
    pub source: FundingSource,
    /// The year (the year before the plan too, for the change in government funding).
    pub year: FinancialYear,
    /// The amount.
    pub amount: Money,
}

/// Council tax in the year before the plan, from which plan years grow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilTaxBase {
    /// Band D in the year before the plan.
    pub band_d: Money,
    /// Tax base (Band D equivalents) in the year before the plan.
    pub tax_base: Decimal,
}

/// A named medium-term financial plan of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The organisation's slug.
    pub organisation: String,
    /// The plan's name (an organisation may hold several).
    pub name: String,
    /// The class of authority, for the referendum principles.
    pub authority_class: AuthorityClass,
    /// The first plan year.
    pub first_year: FinancialYear,
    /// How many years (five by default).
    pub years: u16,
    /// The budget the plan starts from.
    pub base: Vec<BaseLine>,
    /// Assumptions per plan year (a missing year assumes zero growth).
    pub assumptions: Vec<Assumptions>,
    /// Named pressures.
    pub pressures: Vec<Pressure>,
    /// Funding other than council tax, per source and year.
    pub funding: Vec<FundingLine>,
    /// Council tax in the year before the plan.
    pub council_tax: CouncilTaxBase,
    /// The savings programme.
    pub savings: Vec<Saving>,
    /// Monthly delivery updates on the savings.
    pub delivery: Vec<DeliveryUpdate>,
    /// Reserves.
    pub reserves: Vec<Reserve>,
    /// The prudent minimum general fund balance, per cent of the net budget requirement.
    pub minimum_reserve_pct: Decimal,
    /// Named variants shown side by side with the plan.
    #[serde(default)]
    pub scenarios: Vec<crate::finance::scenario::Scenario>,
}

/// The default length of a plan.
pub const DEFAULT_YEARS: u16 = 5;

/// Something in a plan that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// No years, or more than the years ngc handles.
    #[error("years: a plan runs for 1 to 20 years, not {0}")]
    Years(u16),
    /// Two savings or pressures share a reference.
    #[error("reference `{0}` is used twice")]
    DuplicateReference(String),
    /// Two assumption sets for one year.
    #[error("assumptions for {0} are given twice")]
    DuplicateAssumptions(FinancialYear),
    /// The adult social care precept given as a funding line in a plan year.
    #[error(
        "funding: {0} in {1} is part of the council tax requirement; enter the requirement \
         the council set as `council_tax`, or leave the plan to compute it"
    )]
    CouncilTaxEntered(FundingSource, FinancialYear),
    /// A negative or missing tax base.
    #[error("council_tax.tax_base must be positive")]
    TaxBase,
    /// A scenario that does not fit the plan.
    #[error("{0}")]
    Scenario(#[from] crate::finance::scenario::ScenarioError),
    /// Two scenarios share a name.
    #[error("scenario `{0}` is given twice")]
    DuplicateScenario(String),
    /// An uncertainty range upside down or negative.
    #[error("pressure `{0}`: uncertainty low_pct must be between 0 and high_pct")]
    Uncertainty(String),
}

impl Plan {
    /// The plan years.
    pub fn plan_years(&self) -> Vec<FinancialYear> {
        self.first_year.span(self.years)
    }

    /// The assumptions for `year` (zero growth if none given).
    pub fn assumptions_for(&self, year: FinancialYear) -> Assumptions {
        self.assumptions
            .iter()
            .find(|a| a.year == year)
            .cloned()
            .unwrap_or_else(|| Assumptions::zero(year))
    }

    /// Funding from government (grants and the business rates system) in `year`.
    pub fn government_funding(&self, year: FinancialYear) -> Money {
        self.funding
            .iter()
            .filter(|f| f.year == year && f.source.is_government())
            .map(|f| f.amount)
            .sum()
    }

    /// The council tax requirement the council set for `year`, where the plan gives one
    /// (its `council_tax` funding lines; none in years the plan computes).
    pub fn set_requirement(&self, year: FinancialYear) -> Option<Money> {
        let mut lines = self
            .funding
            .iter()
            .filter(|f| f.year == year && f.source == FundingSource::CouncilTax)
            .peekable();
        lines.peek()?;
        Some(lines.map(|f| f.amount).sum())
    }

    /// Funding other than council tax in `year`.
    pub fn funding_excluding_council_tax(&self, year: FinancialYear) -> Money {
        self.funding
            .iter()
            .filter(|f| f.year == year && !f.source.is_council_tax())
            .map(|f| f.amount)
            .sum()
    }

    /// Checks the plan's inputs against the rules the report relies on.
    pub fn validate(&self) -> Result<(), PlanError> {
        if !(1..=20).contains(&self.years) {
            return Err(PlanError::Years(self.years));
        }
        if self.council_tax.tax_base <= Decimal::ZERO {
            return Err(PlanError::TaxBase);
        }
        let mut seen = BTreeSet::new();
        let refs = self
            .savings
            .iter()
            .map(|s| &s.reference)
            .chain(self.pressures.iter().map(|p| &p.reference));
        for r in refs {
            if !seen.insert(r) {
                return Err(PlanError::DuplicateReference(r.clone()));
            }
        }
        let mut years = BTreeSet::new();
        for a in &self.assumptions {
            if !years.insert(a.year) {
                return Err(PlanError::DuplicateAssumptions(a.year));
            }
        }
        let plan_years = self.plan_years();
        if let Some(f) = self.funding.iter().find(|f| {
            f.source == FundingSource::AdultSocialCarePrecept && plan_years.contains(&f.year)
        }) {
            return Err(PlanError::CouncilTaxEntered(f.source, f.year));
        }
        let mut names = BTreeSet::new();
        for scenario in &self.scenarios {
            if !names.insert(&scenario.name) {
                return Err(PlanError::DuplicateScenario(scenario.name.clone()));
            }
            crate::finance::scenario::apply(self, scenario)?;
        }
        for p in &self.pressures {
            if let Some(u) = p.uncertainty
                && (u.low_pct < Decimal::ZERO || u.low_pct > u.high_pct)
            {
                return Err(PlanError::Uncertainty(p.reference.clone()));
            }
        }
        Ok(())
    }
}
