//! Who may do what: every request is authorised by role and organisation here.

use crate::Role;
use serde::Serialize;

/// The signed-in user as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub role: Role,
    /// The organisation the user belongs to.
    pub organisation_id: i64,
    /// Partnerships the user's organisation is an active member of today.
    pub partnership_ids: Vec<i64>,
}

/// The areas of the application, each with its own audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Finance,
    Procurement,
    Contracts,
    Partnerships,
    OpenData,
    Admin,
}

impl Area {
    /// Every area, in menu order.
    pub const ALL: [Area; 6] = [
        Area::Finance,
        Area::Procurement,
        Area::Contracts,
        Area::Partnerships,
        Area::OpenData,
        Area::Admin,
    ];

    /// The area's name in the menu.
    pub fn label(self) -> &'static str {
        match self {
            Area::Finance => "Finance",
            Area::Procurement => "Procurement",
            Area::Contracts => "Contracts",
            Area::Partnerships => "Partnerships",
            Area::OpenData => "Open data",
            Area::Admin => "Admin",
        }
    }

    /// The area's path in the web app.
    pub fn path(self) -> &'static str {
        match self {
            Area::Finance => "/finance",
            Area::Procurement => "/procurement",
            Area::Contracts => "/contracts",
            Area::Partnerships => "/partnerships",
            Area::OpenData => "/open-data",
            Area::Admin => "/admin",
        }
    }
}

/// Something a user asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Open an area of the application.
    ViewArea(Area),
    /// Read the directory of organisations (names, kinds, identifiers: public facts).
    ReadOrganisations,
    CreateOrganisation,
    /// Edit the organisation with this id.
    UpdateOrganisation(i64),
    /// Read partnerships and their members.
    ReadPartnerships,
    /// Create a partnership or change its membership.
    ManagePartnerships,
    /// Read the users of the organisation with this id.
    ReadUsers(i64),
    ManageUsers,
    ReadAudit,
    /// Act in the context of a partnership (the organisation switcher).
    ActForPartnership(i64),
    /// Create, list and revoke one's own API tokens.
    ManageOwnTokens,
    /// Read the financial plans of the organisation with this id.
    ReadPlans(i64),
    /// Import plans and record savings delivery for the organisation with this id.
    UpdatePlans(i64),
}

/// The answer to "may this principal do this?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Refused, with the reason in words for the error page.
    Deny(&'static str),
}

impl Decision {
    /// Whether the action is allowed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }
}

fn allow_if(ok: bool, reason: &'static str) -> Decision {
    if ok {
        Decision::Allow
    } else {
        Decision::Deny(reason)
    }
}

impl Principal {
    /// Decides whether this principal may take the action.
    pub fn may(&self, action: Action) -> Decision {
        use Role::*;
        let admin = self.role == Admin;
        match action {
            Action::ViewArea(area) => allow_if(
                match area {
                    Area::Finance => matches!(self.role, Admin | Finance | Commissioner | Partner),
                    Area::Procurement => {
                        matches!(self.role, Admin | Commissioner | Evaluator | Provider)
                    }
                    Area::Contracts => {
                        matches!(self.role, Admin | Finance | Commissioner | Provider)
                    }
                    Area::Partnerships | Area::OpenData => true,
                    Area::Admin => admin,
                },
                "your role does not give access to this area",
            ),
            Action::ReadOrganisations | Action::ReadPartnerships | Action::ManageOwnTokens => {
                Decision::Allow
            }
            Action::CreateOrganisation | Action::ManagePartnerships | Action::ManageUsers => {
                allow_if(admin, "only an administrator may do this")
            }
            Action::ReadAudit => allow_if(admin, "only an administrator may read the audit trail"),
            Action::UpdateOrganisation(org) => allow_if(
                admin
                    || (org == self.organisation_id
                        && matches!(self.role, Finance | Commissioner | Provider)),
                "you may edit only your own organisation",
            ),
            Action::ReadUsers(org) => allow_if(
                admin,
                if org == self.organisation_id {
                    "only an administrator may list users"
                } else {
                    "these are another organisation's users"
                },
            ),
            Action::ReadPlans(org) => allow_if(
                admin
                    || (org == self.organisation_id
                        && matches!(self.role, Finance | Commissioner | Partner)),
                "financial plans are open to their own council's finance and commissioning staff",
            ),
            Action::UpdatePlans(org) => allow_if(
                admin || (org == self.organisation_id && self.role == Finance),
                "only the council's finance officers change its financial plans",
            ),
            Action::ActForPartnership(p) => allow_if(
                self.partnership_ids.contains(&p),
                "your organisation is not a member of this partnership",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role) -> Principal {
        Principal {
            user_id: 1,
            role,
            organisation_id: 10,
            partnership_ids: vec![100],
        }
    }

    #[test]
    fn only_admins_reach_the_admin_area_and_the_audit_trail() {
        for &role in Role::ALL {
            let p = principal(role);
            assert_eq!(
                p.may(Action::ViewArea(Area::Admin)).is_allowed(),
                role == Role::Admin
            );
            assert_eq!(p.may(Action::ReadAudit).is_allowed(), role == Role::Admin);
        }
    }

    #[test]
    fn a_provider_edits_its_own_organisation_and_no_other() {
        let p = principal(Role::Provider);
        assert!(p.may(Action::UpdateOrganisation(10)).is_allowed());
        assert!(!p.may(Action::UpdateOrganisation(11)).is_allowed());
    }

    #[test]
    fn partners_and_evaluators_cannot_edit_even_their_own_organisation() {
        for role in [Role::Partner, Role::Evaluator] {
            assert!(
                !principal(role)
                    .may(Action::UpdateOrganisation(10))
                    .is_allowed()
            );
        }
    }

    #[test]
    fn acting_for_a_partnership_needs_membership() {
        let p = principal(Role::Partner);
        assert!(p.may(Action::ActForPartnership(100)).is_allowed());
        assert!(!p.may(Action::ActForPartnership(101)).is_allowed());
    }

    #[test]
    fn plans_are_read_by_their_own_councils_staff_and_changed_by_finance() {
        assert!(
            principal(Role::Finance)
                .may(Action::UpdatePlans(10))
                .is_allowed()
        );
        assert!(
            !principal(Role::Finance)
                .may(Action::UpdatePlans(11))
                .is_allowed()
        );
        assert!(
            !principal(Role::Finance)
                .may(Action::ReadPlans(11))
                .is_allowed()
        );
        assert!(
            principal(Role::Commissioner)
                .may(Action::ReadPlans(10))
                .is_allowed()
        );
        assert!(
            !principal(Role::Commissioner)
                .may(Action::UpdatePlans(10))
                .is_allowed()
        );
        assert!(
            !principal(Role::Provider)
                .may(Action::ReadPlans(10))
                .is_allowed()
        );
        assert!(
            !principal(Role::Evaluator)
                .may(Action::ReadPlans(10))
                .is_allowed()
        );
    }

    #[test]
    fn providers_never_see_the_finance_area() {
        assert!(
            !principal(Role::Provider)
                .may(Action::ViewArea(Area::Finance))
                .is_allowed()
        );
    }
}
