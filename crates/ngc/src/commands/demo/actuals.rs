//! The demo's 2016-17 for Northamptonshire: the year's revenue budget, spend over £500 and a
//! general-ledger extract for April 2016 to March 2017, all **generated** from the plan's
//! service budgets and the demo contracts' payments by
//! `demo/northamptonshire-2015/ledger/generate_actuals.py` (its README says what and how),
//! carried in the binary and loaded through the same use cases as `ngc import budget`, `ngc
//! import spend` and `ngc import actuals`. Children's and adults' social care overspend more
//! every month, so budget against actual shows the overspend building through the year and
//! the s114(3) in-year warning fires from the forecast outturn.
//!
//! The feeders come first (the spend here, the LGSS recharges before it), then the extract,
//! which brings the ledger's 2016-17 income and expenditure to the finance system's figures.
//! When the extract is first imported the chief finance officer's marking of the two
//! reserves the plan could release is recorded too, and a modelled virement from central
//! services to children's social care from October.
//!
//! Loading again adds nothing: the budget only while the county has none for 2016-17, the
//! spend and the extract once by their content, the markings only with the extract.

use super::carried;
use ngc_app::Caller;
use ngc_app::monitoring::{ReleasableInput, VirementInput};
use ngc_domain::finance::FinancialYear;
use ngc_domain::spend::journals::ExpenseCodes;
use ngc_io::actuals::Mapping;
use ngc_store::{Actor, Store};
use std::path::Path;

const ORGANISATION: &str = "northamptonshire";
/// The year generated.
pub const YEAR: &str = "2016-17";
const BUDGET: &str = "ledger/budget-2016-17.csv";
const SPEND: &str = "ledger/spend-2016-17.csv";
const EXTRACT: &str = "ledger/actuals-2016-17.csv";
const MAPPING: &str = "ledger/actuals-mapping.toml";

/// The earmarked reserves the chief finance officer marks releasable to meet 2016-17's
/// spending (their balances at the start of the year, £19m, just cover the plan's own gap).
pub const RELEASABLE: [&str; 2] = ["Budget equalisation reserve", "Transformation reserve"];

/// What loading did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    /// Budget lines imported for 2016-17.
    pub budget_lines: usize,
    /// Spend lines imported, and the summarised journals they posted.
    pub spend_lines: i64,
    pub spend_journals: usize,
    /// Extract lines imported, and the journals that brought the ledger to them.
    pub extract_lines: i64,
    pub extract_journals: i64,
    /// Reserves marked releasable.
    pub reserves: usize,
    /// Virements recorded.
    pub virements: usize,
}

impl Loaded {
    /// Whether loading added anything.
    pub fn any(&self) -> bool {
        *self != Loaded::default()
    }
}

/// Loads what is not loaded yet.
pub async fn load(store: &Store) -> anyhow::Result<Loaded> {
    if store.organisation_by_slug(ORGANISATION).await?.is_none() {
        return Ok(Loaded::default());
    }
    let year: FinancialYear = YEAR.parse()?;
    let mut loaded = Loaded::default();
    if !store
        .budget_lines(ORGANISATION)
        .await?
        .iter()
        .any(|l| l.year == year)
    {
        let lines = ngc_io::finance::read_budget_bytes(Path::new(BUDGET), carried(BUDGET)?)?;
        loaded.budget_lines = store
            .import_budget(ORGANISATION, &lines, &Actor::system())
            .await?;
    }
    let spend = ngc_io::spend::from_bytes(Path::new(SPEND), carried(SPEND)?.to_vec());
    let out = ngc_app::spend::import(
        store,
        &Caller::System,
        ORGANISATION,
        spend,
        None,
        &ExpenseCodes::default(),
        None,
    )
    .await?;
    if out.added {
        loaded.spend_lines = out.import.lines;
        loaded.spend_journals = out.journals;
    }
    let mapping = std::str::from_utf8(carried(MAPPING)?)?;
    let mapping = Mapping::parse(Path::new(MAPPING), mapping)?;
    let extract =
        ngc_io::actuals::read_actuals_bytes(Path::new(EXTRACT), carried(EXTRACT)?, Some(&mapping))?;
    let out = ngc_app::gl_actuals::import(store, &Caller::System, ORGANISATION, &extract).await?;
    if out.added {
        loaded.extract_lines = out.import.lines;
        loaded.extract_journals = out.import.journals;
        for reserve in RELEASABLE {
            let input = ReleasableInput {
                reserve: reserve.to_owned(),
                releasable: true,
                note: format!(
                    "Demo: released to meet {YEAR}'s spending, as the plan's gap needs (modelled)"
                ),
            };
            ngc_app::monitoring::mark_reserve(store, &Caller::System, ORGANISATION, &input).await?;
            loaded.reserves += 1;
        }
        let virement = VirementInput {
            year: YEAR.to_owned(),
            month: "2016-10".to_owned(),
            from: "Central services".to_owned(),
            to: "Children's social care".to_owned(),
            amount: "300000.00".to_owned(),
            reason: "Demo: modelled virement towards children's placements (not a decision of \
                     the council)"
                .to_owned(),
        };
        ngc_app::monitoring::record_virement(store, &Caller::System, ORGANISATION, &virement)
            .await?;
        loaded.virements += 1;
    }
    Ok(loaded)
}
