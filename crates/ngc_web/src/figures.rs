//! The plans' derived figures, computed once and read after.
//!
//! A plan's [`PlanView`] (report, statement, charts, the page's risk simulation, scenarios,
//! …) depends only on the stored plan, its savings' evidence (links and the linked
//! contracts' revisions) and on "today" (savings delivery is judged at a date).
//! [`FiguresCache`] keeps one per plan, keyed by [`FiguresKey`]: the first view after a plan
//! changes (or the day turns) computes it in a blocking task; views arriving meanwhile wait for
//! that one computation (single flight); later views read the stored result. A newer key for
//! the same plan evicts the older one.

use crate::error::{AppError, AppResult};
use crate::ui::finance::{PlanView, plan_view};
use chrono::NaiveDate;
use ngc_domain::finance::evidence::Evidenced;
use ngc_store::Store;
use ngc_store::plans::PlanSummary;
use ngc_store::plans::links::EvidenceMarker;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// What marks a change of a stored plan: its revision number, which every plan write moves.
pub type ChangeMarker = i64;

/// The change marker of a listed plan.
fn marker(summary: &PlanSummary) -> ChangeMarker {
    summary.revision
}

/// What one computation of a plan's figures depends on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FiguresKey {
    /// The stored plan's id.
    pub plan_id: i64,
    /// Its change marker when it was listed.
    pub marker: ChangeMarker,
    /// What marked its evidence then.
    pub evidence: EvidenceMarker,
    /// The server's date.
    pub today: NaiveDate,
}

impl FiguresKey {
    /// The key of a listed plan with its evidence marker on `today`.
    pub fn of(summary: &PlanSummary, evidence: EvidenceMarker, today: NaiveDate) -> Self {
        Self {
            plan_id: summary.id,
            marker: marker(summary),
            evidence,
            today,
        }
    }
}

type Slot = Arc<OnceCell<Arc<PlanView>>>;

/// The figures of every plan viewed, one key per plan (see the module documentation).
#[derive(Debug, Default)]
pub struct FiguresCache {
    slots: Mutex<HashMap<i64, (FiguresKey, Slot)>>,
    computed: AtomicU64,
}

impl FiguresCache {
    /// The figures of a listed plan as on `today`: the stored result when the key matches,
    /// otherwise computed once (concurrent callers share that one computation).
    pub async fn get(
        &self,
        store: &Store,
        summary: &PlanSummary,
        today: NaiveDate,
    ) -> AppResult<Arc<PlanView>> {
        let evidence = store.evidence_marker(summary.id).await?;
        let key = FiguresKey::of(summary, evidence, today);
        let slot = {
            let mut slots = self.slots.lock().expect("the figures cache lock");
            match slots.get(&key.plan_id) {
                Some((k, slot)) if *k == key => slot.clone(),
                _ => {
                    let slot: Slot = Arc::default();
                    slots.insert(key.plan_id, (key.clone(), slot.clone()));
                    slot
                }
            }
        };
        let view = slot
            .get_or_try_init(|| async {
                let plan = store.plan_by_id(key.plan_id).await?;
                let links = store.saving_links(key.plan_id).await?;
                self.computed.fetch_add(1, Ordering::Relaxed);
                let view = tokio::task::spawn_blocking(move || {
                    let evidenced =
                        Evidenced::from_links(&links, &plan.savings, &plan.plan_years());
                    plan_view(&plan, &evidenced, today)
                })
                .await
                .map_err(|e| AppError::Internal(format!("computing the plan's figures: {e}")))?;
                Ok::<_, AppError>(Arc::new(view))
            })
            .await?;
        Ok(view.clone())
    }

    /// How many times figures were computed since the server started.
    pub fn computations(&self) -> u64 {
        self.computed.load(Ordering::Relaxed)
    }
}
