//! The official English local-government finance returns, read from the published
//! workbooks, as per-authority, per-year figures for the resilience indicators
//! ([`ngc_domain::finance::resilience`]).
//!
//! Workbooks are recognised by their content, not their names:
//!
//! * **Revenue Outturn Summary (RS)**, 2010-11 to 2017-18 (`.xls` and `.xlsx`): a data sheet
//!   titled "Revenue Outturn …" with an `E-code` header row; £ thousand. The older workbooks
//!   split each year over three sheets — net current expenditure with reserves at 1 April,
//!   capital charges with reserves at 31 March, and net total cost (not read).
//! * **Revenue Account budget (RA)** (`budgetaccounts1617.xlsx`): the same layout titled
//!   "Revenue Account Budget"; £ thousand; kept apart from outturn as [`Authority::budgets`].
//! * **Council Tax Requirement (CTR)** tables (`ctr_1516.xlsx` …): a `Data` sheet with an
//!   `Ecode` header row and a year under each column; £ (to the penny).
//!
//! Columns are found by their heading text (net revenue expenditure, council tax
//! requirement, revenue support grant, adult/children's social care, other earmarked and
//! unallocated reserves levels dated 1 April or 31 March), so the year-to-year differences
//! in layout do not matter. Blanks and the markers `..`, `...`, `…`, `.`, `-`, `–`, `—`,
//! `x`, `:` and `*` are missing figures, not errors; any other text where a number belongs
//! (`n/a`, an error value such as `#DIV/0!`) is an error naming
//! the file, sheet and cell.
//!
//! **Merging.** Every workbook yields [`Figures`] per authority and year with `None` for
//! what it does not give; the first figure found for a field wins. CTR tables come first
//! (their own, later year before the previous year they repeat), then RS and RA workbooks,
//! each group in the order of the paths given. So the council tax requirement is the CTR's
//! exact pounds where there is one (£238,217,960, not the RS's £238,218 thousand), and of
//! two workbooks for one year (a provisional and a final RS) the earlier path wins.
//! Reserves are kept as each year's own return states them, at 1 April and 31 March; a
//! later return's restated 1 April figure does not replace the year's 31 March figure.
//!
//! **Complete years.** An [`AuthorityYear`] is made only for a year whose figures give all
//! of: net revenue expenditure, council tax requirement, Revenue Support Grant, social care
//! spending and both reserves at the year end (from the year's own 31 March column, else
//! the next year's 1 April column). Nothing is filled with zero.

mod ctr;
mod error;
mod grid;
mod read;
mod record;
mod revenue;

pub use error::ReturnsError;

use ngc_domain::finance::referendum::AuthorityClass;
use ngc_domain::finance::resilience::{AuthorityYear, Indicators, Member, indicators};
use ngc_domain::finance::year::FinancialYear;
use ngc_domain::money::Money;
use record::{Record, Target};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// What one authority's returns say about one year. `None`: no workbook read gives it.
/// Amounts are exact to the penny (RS and RA figures are £ thousand; those with float noise
/// beyond the penny, such as `446465.36165000004`, are rounded half away from zero).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Net revenue expenditure.
    pub net_revenue_expenditure: Option<Money>,
    /// Council tax requirement (including parish precepts).
    pub council_tax_requirement: Option<Money>,
    /// Revenue Support Grant, as income (positive; the returns show it negative).
    pub revenue_support_grant: Option<Money>,
    /// Adult social care net current expenditure (from 2011-12).
    pub adult_social_care: Option<Money>,
    /// Children's social care net current expenditure (from 2011-12).
    pub children_social_care: Option<Money>,
    /// Social care as one line (2010-11 returns).
    pub social_care: Option<Money>,
    /// Other earmarked reserves (not schools' or public health) at 1 April.
    pub earmarked_reserves_start: Option<Money>,
    /// Other earmarked reserves (not schools' or public health) at 31 March.
    pub earmarked_reserves_end: Option<Money>,
    /// Unallocated reserves at 1 April.
    pub unallocated_reserves_start: Option<Money>,
    /// Unallocated reserves at 31 March.
    pub unallocated_reserves_end: Option<Money>,
    /// Average Band D council tax including parish precepts (CTR).
    pub band_d: Option<Money>,
    /// Council tax base for tax setting, Band D equivalents (CTR).
    pub tax_base: Option<Decimal>,
}

impl Figures {
    /// Social care spending: the single line where the return has one, else adult plus
    /// children's social care when both are given.
    pub fn social_care_spend(&self) -> Option<Money> {
        self.social_care.or_else(|| {
            self.adult_social_care?
                .checked_add(self.children_social_care?)
        })
    }

    /// Fills every empty field from `other`.
    fn fill_from(&mut self, other: &Figures) {
        use revenue::fill;
        fill(
            &mut self.net_revenue_expenditure,
            other.net_revenue_expenditure,
        );
        fill(
            &mut self.council_tax_requirement,
            other.council_tax_requirement,
        );
        fill(&mut self.revenue_support_grant, other.revenue_support_grant);
        fill(&mut self.adult_social_care, other.adult_social_care);
        fill(&mut self.children_social_care, other.children_social_care);
        fill(&mut self.social_care, other.social_care);
        fill(
            &mut self.earmarked_reserves_start,
            other.earmarked_reserves_start,
        );
        fill(
            &mut self.earmarked_reserves_end,
            other.earmarked_reserves_end,
        );
        fill(
            &mut self.unallocated_reserves_start,
            other.unallocated_reserves_start,
        );
        fill(
            &mut self.unallocated_reserves_end,
            other.unallocated_reserves_end,
        );
        fill(&mut self.band_d, other.band_d);
        fill(&mut self.tax_base, other.tax_base);
    }
}

/// One authority across the returns read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Authority {
    /// The DLUHC E-code (`E2820`).
    pub code: String,
    /// The name, as the latest year's return writes it (`Northamptonshire`).
    pub name: String,
    /// The ONS code (`E10000021`), where a return gives one.
    pub ons_code: Option<String>,
    /// The class code as the latest year's return writes it (`SC`, `UA`, `MD`, `L`, `SD`,
    /// `O` for other bodies, `PCC`, …).
    pub class_code: Option<String>,
    /// The class, where the code names one ngc knows (`L` is a London borough).
    pub class: Option<AuthorityClass>,
    /// Outturn (RS) and council tax requirement (CTR) figures by year.
    pub figures: BTreeMap<FinancialYear, Figures>,
    /// Budget (RA) figures by year.
    pub budgets: BTreeMap<FinancialYear, Figures>,
    /// The complete outturn years (see the module documentation).
    pub years: BTreeMap<FinancialYear, AuthorityYear>,
    /// The year the name and class were taken from.
    #[serde(skip)]
    identity_year: Option<FinancialYear>,
}

impl Authority {
    /// The complete years, oldest first, as [`indicators`] takes them.
    pub fn history(&self) -> Vec<AuthorityYear> {
        self.years.values().cloned().collect()
    }

    /// The resilience indicators for `year`, if that year is complete.
    pub fn indicators(&self, year: FinancialYear) -> Option<Indicators> {
        indicators(&self.history(), year)
    }

    /// The year-end figure of a fund: the year's own 31 March figure, else the next year's
    /// 1 April figure.
    fn year_end(
        &self,
        year: FinancialYear,
        end: fn(&Figures) -> Option<Money>,
        start: fn(&Figures) -> Option<Money>,
    ) -> Option<Money> {
        let own = self.figures.get(&year).and_then(end);
        own.or_else(|| self.figures.get(&year.next()?).and_then(start))
    }

    fn complete(&mut self) {
        let mut years = BTreeMap::new();
        for (&year, f) in &self.figures {
            let earmarked = self.year_end(
                year,
                |f| f.earmarked_reserves_end,
                |f| f.earmarked_reserves_start,
            );
            let unallocated = self.year_end(
                year,
                |f| f.unallocated_reserves_end,
                |f| f.unallocated_reserves_start,
            );
            let (Some(nre), Some(ctr), Some(rsg), Some(care), Some(earmarked), Some(unallocated)) = (
                f.net_revenue_expenditure,
                f.council_tax_requirement,
                f.revenue_support_grant,
                f.social_care_spend(),
                earmarked,
                unallocated,
            ) else {
                continue;
            };
            years.insert(
                year,
                AuthorityYear {
                    year,
                    net_revenue_expenditure: nre,
                    earmarked_reserves: earmarked,
                    unallocated_reserves: unallocated,
                    council_tax_requirement: ctr,
                    social_care_spend: care,
                    government_grant: rsg,
                },
            );
        }
        self.years = years;
    }
}

/// The kind of a return workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReturnKind {
    /// Revenue Outturn Summary (RS).
    RevenueOutturn,
    /// Revenue Account budget (RA).
    RevenueBudget,
    /// Council Tax Requirement tables (CTR).
    CouncilTaxRequirement,
}

/// A workbook that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workbook {
    /// Its path, as given.
    pub path: PathBuf,
    /// What it is.
    pub kind: ReturnKind,
    /// The sheets read.
    pub sheets: Vec<String>,
    /// The years it gives figures for.
    pub years: BTreeSet<FinancialYear>,
}

impl Workbook {
    fn note_year(&mut self, year: FinancialYear) {
        self.years.insert(year);
    }
}

/// Every authority found in the workbooks read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Returns {
    /// By E-code.
    pub authorities: BTreeMap<String, Authority>,
    /// The workbooks, in the order given.
    pub workbooks: Vec<Workbook>,
}

impl Returns {
    /// The authority with this E-code.
    pub fn authority(&self, code: &str) -> Option<&Authority> {
        self.authorities.get(code)
    }

    /// The authorities of a class with figures for `year`.
    pub fn in_class(&self, class: AuthorityClass, year: FinancialYear) -> Vec<&Authority> {
        self.authorities
            .values()
            .filter(|a| a.class == Some(class) && a.figures.contains_key(&year))
            .collect()
    }

    /// Every authority with a known class and a complete `year`, with its indicators: the
    /// input to [`ngc_domain::finance::resilience::standing`].
    pub fn members(&self, year: FinancialYear) -> Vec<Member> {
        self.authorities
            .values()
            .filter_map(|a| {
                Some(Member {
                    code: a.code.clone(),
                    class: a.class?,
                    indicators: a.indicators(year)?,
                })
            })
            .collect()
    }

    fn merge(&mut self, record: &Record) {
        let id = &record.identity;
        let authority = self
            .authorities
            .entry(id.code.clone())
            .or_insert_with(|| Authority {
                code: id.code.clone(),
                name: String::new(),
                ons_code: None,
                class_code: None,
                class: None,
                figures: BTreeMap::new(),
                budgets: BTreeMap::new(),
                years: BTreeMap::new(),
                identity_year: None,
            });
        if authority.identity_year.is_none_or(|y| record.year > y) {
            authority.identity_year = Some(record.year);
            if let Some(name) = &id.name {
                authority.name.clone_from(name);
            }
            if let Some(class) = &id.class_code {
                authority.class_code = Some(class.clone());
                authority.class = class_of(class);
            }
        }
        if id.ons_code.is_some() && authority.ons_code.is_none() {
            authority.ons_code.clone_from(&id.ons_code);
        }
        if authority.name.is_empty() {
            authority.name = id.name.clone().unwrap_or_default();
        }
        let years = match record.target {
            Target::Outturn => &mut authority.figures,
            Target::Budget => &mut authority.budgets,
        };
        years
            .entry(record.year)
            .or_default()
            .fill_from(&record.figures);
    }
}

/// The class for a class code in the returns: the DLUHC codes, and `L` (London borough) as
/// the RS workbooks write it.
fn class_of(code: &str) -> Option<AuthorityClass> {
    match code {
        "L" => Some(AuthorityClass::LondonBorough),
        other => AuthorityClass::from_dluhc_code(other),
    }
}

/// Reads the return workbooks at `paths` (any order, any mix of kinds) and merges them. The
/// first error, in the order of `paths`, is returned; nothing is returned half-read.
/// Workbooks are read in parallel (one thread per core).
pub fn read_returns(paths: &[PathBuf]) -> Result<Returns, ReturnsError> {
    let mut read = Vec::with_capacity(paths.len());
    for result in read::read_all(paths) {
        read.push(result?);
    }
    let mut returns = Returns::default();
    // Council tax tables first (exact pounds), their own year before the year they repeat;
    // then the revenue returns.
    let is_ctr = |w: &Workbook| w.kind == ReturnKind::CouncilTaxRequirement;
    let passes = [(true, true), (true, false), (false, true), (false, false)];
    for (ctr, primary) in passes {
        for (_, records) in read.iter().filter(|(w, _)| is_ctr(w) == ctr) {
            for record in records.iter().filter(|r| r.primary == primary) {
                returns.merge(record);
            }
        }
    }
    returns.workbooks = read.into_iter().map(|(w, _)| w).collect();
    for authority in returns.authorities.values_mut() {
        authority.complete();
    }
    Ok(returns)
}
