//! Who is calling a use case.

use ngc_domain::access::{Action, Decision, Principal};
use ngc_store::Actor;
use ngc_store::users::User;

use crate::UseCaseError;

/// The caller of a use case: a signed-in user as the access rules see it, or the system
/// itself (set-up commands and imports run from the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// A signed-in user.
    User(Principal),
    /// The system: the command line run by whoever operates the server.
    System,
}

impl Caller {
    /// Refuses with [`UseCaseError::Forbidden`] unless the rules allow the action.
    pub fn require(&self, action: Action) -> Result<(), UseCaseError> {
        match self {
            Caller::System => Ok(()),
            Caller::User(p) => match p.may(action) {
                Decision::Allow => Ok(()),
                Decision::Deny(reason) => Err(UseCaseError::Forbidden(reason.to_owned())),
            },
        }
    }

    /// Whether the rules allow the action.
    pub fn can(&self, action: Action) -> bool {
        self.require(action).is_ok()
    }

    /// Who the audit trail names for this caller's changes.
    pub fn actor(&self) -> Actor {
        match self {
            Caller::System => Actor::system(),
            Caller::User(p) => Actor::user(p.user_id, p.organisation_id),
        }
    }

    /// The principal, for a signed-in user.
    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Caller::User(p) => Some(p),
            Caller::System => None,
        }
    }
}

/// The user as the access rules see them: their role and organisation.
pub fn principal_of(user: &User) -> Principal {
    Principal {
        user_id: user.id,
        role: user.role,
        organisation_id: user.organisation_id,
    }
}
