//! A tender's evaluation panel: the lead council's commissioners put the buyers' evaluators
//! and commissioners on it; the buyers' staff see who is on it and where each member's
//! declaration of interest stands (declaring is part of the evaluation).

use crate::tenders::{find, is_buyer_staff};
use crate::{Caller, UseCaseError, UseCaseResult};
use ngc_domain::Role;
use ngc_domain::access::Action;
use ngc_domain::procurement::TenderStatus;
use ngc_store::Store;
use ngc_store::tenders::{PanelMember, Tender};
use serde::Deserialize;

/// Who to put on the panel.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PanelInput {
    /// The user's email: an evaluator or commissioner of one of the tender's buyers.
    pub user: String,
}

/// A tender with its panel.
#[derive(Debug, Clone)]
pub struct Panel {
    pub tender: Tender,
    pub members: Vec<PanelMember>,
}

/// The panel of a tender, for its buyers' staff.
pub async fn members(store: &Store, caller: &Caller, tender_id: i64) -> UseCaseResult<Panel> {
    let tender = find(store, caller, tender_id).await?;
    if !is_buyer_staff(caller, &tender) {
        return Err(UseCaseError::Forbidden(
            "a tender's evaluation panel is open to its buyers' staff only".into(),
        ));
    }
    let members = store.tender_panel(tender.id).await?;
    Ok(Panel { tender, members })
}

/// Puts a user on the tender's panel (the lead's commissioners and administrator). The user
/// must be an evaluator or a commissioner of one of the buyers; a terminated procurement has
/// no panel to join; a member is put on once (a conflict otherwise). Returns the panel.
pub async fn assign(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: PanelInput,
) -> UseCaseResult<Vec<PanelMember>> {
    let tender = find(store, caller, tender_id).await?;
    caller.require(Action::ManageTenders(tender.lead_organisation_id))?;
    if tender.status == TenderStatus::Terminated {
        return Err(UseCaseError::Conflict(format!(
            "the procurement {} was terminated: its panel is closed",
            tender.reference
        )));
    }
    let email = input.user.trim();
    if email.is_empty() {
        return Err(UseCaseError::invalid("user", "give the user's email"));
    }
    let user = store
        .user_by_email(email)
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| {
            UseCaseError::invalid("user", format!("no active user has the email {email}"))
        })?;
    if !tender.is_buyer(user.organisation_id) {
        return Err(UseCaseError::invalid(
            "user",
            format!(
                "{email} works for {}, which is not a buyer of this tender",
                user.organisation_name
            ),
        ));
    }
    if !matches!(user.role, Role::Evaluator | Role::Commissioner) {
        return Err(UseCaseError::invalid(
            "user",
            format!(
                "{email} is a {} user: the panel is made of evaluators and commissioners",
                user.role.as_str()
            ),
        ));
    }
    Ok(store
        .assign_panel_member(tender.id, user.id, &caller.actor())
        .await?)
}
