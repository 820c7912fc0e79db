//! Publishing a draft, editing a draft, terminating a procurement: the lead council's
//! commissioners and administrator only (`Action::ManageTenders` of the lead).
//!
//! Publishing and terminating each store the procurement's OCDS release for the step (the
//! tender notice, the termination notice), so the public feed follows the procurement. A
//! release whose content is unchanged is not stored twice.

use super::{TenderInput, find};
use crate::ocds::{Step, store_release_as};
use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_store::Store;
use ngc_store::tenders::{NoticeRecord, Tender};
use serde::Deserialize;

/// What the officer enters when publishing: the tender notice as the platform published it,
/// when known.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishInput {
    /// The tender notice's id on the Central Digital Platform.
    #[serde(default)]
    pub notice_id: Option<String>,
    /// The day the platform published the notice (`YYYY-MM-DD`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub notice_published_on: Option<String>,
}

/// Why a procurement is terminated.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TerminateInput {
    /// The reason, as the termination notice gives it.
    pub reason: String,
}

/// The tender with this id, if the caller may see it and run it (the lead's staff).
async fn managed(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<Tender> {
    let tender = find(store, caller, id).await?;
    caller.require(Action::ManageTenders(tender.lead_organisation_id))?;
    Ok(tender)
}

/// Publishes a draft at the server's time: refused (`submission_deadline`) when its deadline
/// is sooner than the minimum tendering period allows, saying which limit applied and why;
/// refused (conflict) when it is published already.
///
/// Then stores the tender notice's release; when the officer gave the platform's notice id
/// and publication day, records them on it, which makes it public on `/ocds/releases`.
pub async fn publish(
    store: &Store,
    caller: &Caller,
    id: i64,
    input: PublishInput,
) -> UseCaseResult<Tender> {
    managed(store, caller, id).await?;
    let notice_id = input
        .notice_id
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    if let Some(n) = &notice_id
        && n.len() > 200
    {
        return Err(UseCaseError::invalid(
            "notice_id",
            "a notice id is at most 200 characters",
        ));
    }
    let published_on = match input.notice_published_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<NaiveDate>().map_err(|_| {
            UseCaseError::invalid(
                "notice_published_on",
                format!("`{text}` is not a date: use YYYY-MM-DD"),
            )
        })?),
    };
    if let Some(d) = published_on
        && d > store.today()
    {
        return Err(UseCaseError::invalid(
            "notice_published_on",
            format!("{d} is in the future: enter the day the platform published the notice"),
        ));
    }
    let notice = NoticeRecord {
        notice_id,
        published_on,
    };
    let actor = caller.actor();
    let tender = store.publish_tender(id, &notice, &actor).await?;
    let release = store_release_as(store, &actor, id, Step::Tender).await?;
    if let (Some(notice_id), Some(day)) = (&notice.notice_id, notice.published_on)
        && release.publication.is_none()
    {
        store
            .record_publication(release.id, notice_id, day, &actor)
            .await?;
    }
    Ok(tender)
}

/// Replaces a draft's details, buyers and lots (checked as on creation). A published
/// tender's details can no longer be edited (conflict).
pub async fn update(
    store: &Store,
    caller: &Caller,
    id: i64,
    input: TenderInput,
) -> UseCaseResult<Tender> {
    let tender = managed(store, caller, id).await?;
    let new = input.validate(
        &tender.lead_organisation,
        tender.procurement_lead_id,
        store.today(),
        store.now(),
    )?;
    Ok(store
        .replace_tender_draft(id, &new, &caller.actor())
        .await?)
}

/// Terminates a procurement with its reason, and stores its termination notice's release.
pub async fn terminate(
    store: &Store,
    caller: &Caller,
    id: i64,
    input: TerminateInput,
) -> UseCaseResult<Tender> {
    managed(store, caller, id).await?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(UseCaseError::invalid(
            "reason",
            "say why the procurement is terminated",
        ));
    }
    let actor = caller.actor();
    let tender = store.terminate_tender(id, reason, &actor).await?;
    store_release_as(store, &actor, id, Step::Termination).await?;
    Ok(tender)
}
