//! Users: added, listed, disabled and enabled by the administrators of their organisation
//! or by an instance administrator.

use crate::{Caller, UseCaseError, UseCaseResult, parse};
use ngc_domain::Role;
use ngc_domain::access::Action;
use ngc_store::Store;
use ngc_store::users::{NewUser, User};
use serde::Deserialize;

/// A user to create.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserInput {
    pub email: String,
    #[serde(default)]
    pub name: String,
    /// instance_admin, org_admin, finance, commissioner, evaluator, provider or partner
    pub role: String,
    /// The organisation's slug.
    pub organisation: String,
    /// At least 8 characters.
    pub password: String,
}

async fn organisation_id(store: &Store, slug: &str) -> UseCaseResult<i64> {
    Ok(store
        .organisation_by_slug(slug.trim())
        .await?
        .ok_or_else(|| {
            UseCaseError::invalid(
                "organisation",
                format!("no organisation has the slug `{}`", slug.trim()),
            )
        })?
        .id)
}

/// Adds a user to an organisation. Only an instance administrator makes instance
/// administrators.
pub async fn create(store: &Store, caller: &Caller, input: UserInput) -> UseCaseResult<User> {
    let role: Role = parse::word("role", &input.role)?;
    let org = organisation_id(store, &input.organisation).await?;
    caller.require(Action::ManageUsers(org))?;
    caller.require(Action::AssignRole(role))?;
    ngc_store::credentials::check_new_password(&input.password)?;
    let new = NewUser {
        email: &input.email,
        name: &input.name,
        role,
        organisation: input.organisation.trim(),
        password: &input.password,
    };
    Ok(store.create_user(&new, &caller.actor()).await?)
}

/// The users the caller may read: every user for an instance administrator (and the
/// system), the organisation's own users for an organisation administrator.
pub async fn list(store: &Store, caller: &Caller) -> UseCaseResult<Vec<User>> {
    match caller {
        Caller::System => Ok(store.list_users().await?),
        Caller::User(p) if p.role == Role::InstanceAdmin => Ok(store.list_users().await?),
        Caller::User(p) => {
            caller.require(Action::ReadUsers(p.organisation_id))?;
            Ok(store.list_users_of(p.organisation_id).await?)
        }
    }
}

/// The user with this id, if the caller may manage them.
async fn managed(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<User> {
    let user = store
        .user_by_id(id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("user {id}")))?;
    caller.require(Action::ManageUsers(user.organisation_id))?;
    caller.require(Action::AssignRole(user.role))?;
    Ok(user)
}

/// The user with this email, for the command line.
pub async fn by_email(store: &Store, email: &str) -> UseCaseResult<User> {
    store
        .user_by_email(email)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("user `{}`", email.trim())))
}

/// Disables a user: their sessions and API tokens stop working at once. Nobody disables
/// themselves (that would lock the last administrator out).
pub async fn disable(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<User> {
    let user = managed(store, caller, id).await?;
    if caller.principal().is_some_and(|p| p.user_id == user.id) {
        return Err(UseCaseError::Conflict(
            "you cannot disable yourself: ask another administrator".into(),
        ));
    }
    Ok(store
        .set_user_disabled(user.id, true, &caller.actor())
        .await?)
}

/// Enables a disabled user: their sessions and tokens work again.
pub async fn enable(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<User> {
    let user = managed(store, caller, id).await?;
    Ok(store
        .set_user_disabled(user.id, false, &caller.actor())
        .await?)
}
