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
    /// Add an organisation to the directory.
    CreateOrganisation,
    /// Edit the contact details and description of the organisation with this id.
    UpdateOrganisationDetails(i64),
    /// Change the registration facts (name, kind, legal form, owner, identifiers, the SME,
    /// VCSE and public-service-mutual flags) of the organisation with this id.
    ChangeRegistration(i64),
    /// Ask an instance administrator to change a registration fact of this organisation.
    RequestRegistrationChange(i64),
    /// Read the registration change requests of this organisation and their decisions.
    ReadRegistrationRequests(i64),
    /// Approve or refuse a registration change request.
    DecideRegistrationChange,
    /// Read partnerships and their members.
    ReadPartnerships,
    /// Create a partnership or change its membership.
    ManagePartnerships,
    /// Read the users of the organisation with this id.
    ReadUsers(i64),
    /// Add, disable and enable the users of the organisation with this id.
    ManageUsers(i64),
    /// Give a user this role (when adding the user).
    AssignRole(Role),
    /// Read the audit trail.
    ReadAudit,
    /// Create, list and revoke one's own API tokens.
    ManageOwnTokens,
    /// Read the financial plans of the organisation with this id.
    ReadPlans(i64),
    /// Import plans and record savings delivery for the organisation with this id.
    UpdatePlans(i64),
    /// Read the tenders of the organisation with this id that are not published yet
    /// (drafts) and the buyer's working records of its tenders.
    ReadBuyerTenders(i64),
    /// Create and run tenders (drafts, publication, documents, answers, the panel, award)
    /// for the organisation with this id.
    ManageTenders(i64),
    /// Submit, replace and withdraw one's own organisation's bids.
    SubmitBids,
    /// Read suppliers' self-registrations and verify (perhaps correcting the claimed facts)
    /// or refuse them.
    VerifySupplierRegistrations,
    /// Read contracts at all (which ones is the principal's [`ContractScope`]).
    ReadContracts,
    /// Enter, import and change the contracts in the register of the organisation with this
    /// id (documents, variations, KPIs, payment terms).
    ManageContracts(i64),
    /// Enter the accounts (turnover, net assets, reserves) of the provider with this id.
    RecordProviderAccounts(i64),
    /// Record the payments made under the contracts in the register of the organisation with
    /// this id (invoices received, paid, disputed).
    RecordContractPayments(i64),
    /// Read a shared-service partnership's records (every partner's recharge statement, the
    /// savings) and act for it; `member` says whether the principal's organisation is a
    /// current member of it.
    ReadSharedServices { member: bool },
    /// Import a shared-service partnership's pools, drivers and agreement, and record exits,
    /// for the partnership whose lead organisation has this id.
    ManageSharedServices(i64),
    /// Run and read a partnership's joint-working analyses as staff of the organisation with
    /// this id (the use case checks that it is a current member of the partnership).
    ReadJointWorking(i64),
    /// Enter the cost-sharing key values (households, tax base, population) of the council
    /// with this id.
    EnterKeyValues(i64),
    /// Import and read the spend files of the organisation with this id.
    ImportSpend(i64),
    /// Read the ledger (journals, balances, the trial balance) of the organisation with this id.
    ReadLedger(i64),
    /// Post and reverse journals in the ledger of the organisation with this id.
    PostJournals(i64),
}

/// Whose contracts a principal reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractScope {
    /// A provider's staff: the contracts their organisation supplies, across every council.
    Supplier(i64),
    /// A council's staff: the contracts their council buys, and those of the partnerships it
    /// is a member of now.
    Buyer(i64),
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
    /// Whether the principal belongs to the organisation with this id.
    fn own(&self, org: i64) -> bool {
        org == self.organisation_id
    }

    /// Decides whether this principal may take the action.
    ///
    /// Two administrators: the instance administrator runs the directory of organisations,
    /// the partnerships, the audit trail and the users of every organisation, but has no
    /// say in a council's own business (its plans); the organisation administrator manages
    /// its own organisation's users and data, and nothing of any other organisation.
    pub fn may(&self, action: Action) -> Decision {
        use Role::*;
        let instance = self.role == InstanceAdmin;
        let org_admin = self.role == OrgAdmin;
        match action {
            Action::ViewArea(area) => allow_if(
                match area {
                    Area::Finance => {
                        matches!(self.role, OrgAdmin | Finance | Commissioner | Partner)
                    }
                    Area::Procurement => {
                        matches!(self.role, OrgAdmin | Commissioner | Evaluator | Provider)
                    }
                    Area::Contracts => self.contract_scope().is_some(),
                    Area::Partnerships | Area::OpenData => true,
                    Area::Admin => instance || org_admin,
                },
                "your role does not give access to this area",
            ),
            Action::ReadOrganisations | Action::ReadPartnerships | Action::ManageOwnTokens => {
                Decision::Allow
            }
            Action::CreateOrganisation => allow_if(
                instance,
                "only an instance administrator may add an organisation",
            ),
            Action::ManagePartnerships => allow_if(
                instance,
                "only an instance administrator may change partnerships",
            ),
            Action::DecideRegistrationChange => allow_if(
                instance,
                "only an instance administrator may decide a registration change",
            ),
            Action::ChangeRegistration(_) => allow_if(
                instance,
                "only an instance administrator may change registration facts: request the change with evidence",
            ),
            Action::ReadAudit => allow_if(
                instance,
                "only an instance administrator may read the audit trail",
            ),
            Action::UpdateOrganisationDetails(org) | Action::RequestRegistrationChange(org) => {
                allow_if(
                    instance
                        || (self.own(org)
                            && matches!(self.role, OrgAdmin | Finance | Commissioner | Provider)),
                    "you may edit only your own organisation",
                )
            }
            Action::ReadRegistrationRequests(org) => allow_if(
                instance || self.own(org),
                "these are another organisation's requests",
            ),
            Action::ReadUsers(org) | Action::ManageUsers(org) => allow_if(
                instance || (org_admin && self.own(org)),
                if self.own(org) {
                    "only an administrator may manage users"
                } else {
                    "these are another organisation's users"
                },
            ),
            Action::AssignRole(role) => allow_if(
                instance || (org_admin && role != InstanceAdmin),
                "only an instance administrator may make instance administrators",
            ),
            Action::ReadPlans(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance | Commissioner | Partner),
                "financial plans are open to their own council's finance and commissioning staff",
            ),
            Action::UpdatePlans(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance),
                "only the council's finance officers change its financial plans",
            ),
            Action::ReadBuyerTenders(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance | Commissioner | Evaluator),
                "a tender's working records are open to the buying council's staff only",
            ),
            Action::ManageTenders(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Commissioner),
                "only the buying council's commissioners run its tenders",
            ),
            Action::SubmitBids => {
                allow_if(self.role == Provider, "only a provider's staff submit bids")
            }
            Action::VerifySupplierRegistrations => allow_if(
                instance,
                "only an instance administrator verifies a supplier's registration",
            ),
            Action::ReadContracts => allow_if(
                self.contract_scope().is_some(),
                "contracts are open to their buyers' finance and commissioning staff and to \
                 their suppliers",
            ),
            Action::RecordProviderAccounts(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Provider),
                "a provider's own staff enter its accounts",
            ),
            Action::ManageContracts(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Commissioner),
                "only the council's commissioners manage its contracts",
            ),
            Action::RecordContractPayments(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance | Commissioner),
                "only the council's finance officers and commissioners record payments under its \
                 contracts",
            ),
            Action::ReadSharedServices { member } => allow_if(
                member && matches!(self.role, OrgAdmin | Finance | Partner),
                "a partnership's records are open to its current partners' finance and partner \
                 staff",
            ),
            Action::ManageSharedServices(lead) => allow_if(
                self.own(lead) && matches!(self.role, OrgAdmin | Finance),
                "only the lead council's finance officers keep a partnership's shared services",
            ),
            Action::ReadJointWorking(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance | Commissioner | Partner),
                "joint working is open to the member councils' finance, commissioning and \
                 partnership staff",
            ),
            Action::EnterKeyValues(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance),
                "only the council's finance officers enter its key values",
            ),
            Action::ImportSpend(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance),
                "only the council's finance officers import its spend",
            ),
            Action::ReadLedger(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance),
                "an organisation's ledger is open to its own finance officers and administrators",
            ),
            Action::PostJournals(org) => allow_if(
                self.own(org) && matches!(self.role, OrgAdmin | Finance),
                "only the organisation's finance officers and administrators post journals",
            ),
        }
    }

    /// Whose contracts this principal reads, if any: a provider's its own organisation's as
    /// supplier; a council's administrator, finance officers, commissioners and partners its
    /// council's as buyer; nobody else's.
    pub fn contract_scope(&self) -> Option<ContractScope> {
        use Role::*;
        match self.role {
            Provider => Some(ContractScope::Supplier(self.organisation_id)),
            OrgAdmin | Finance | Commissioner | Partner => {
                Some(ContractScope::Buyer(self.organisation_id))
            }
            InstanceAdmin | Evaluator => None,
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
        }
    }

    fn may(role: Role, action: Action) -> bool {
        principal(role).may(action).is_allowed()
    }

    #[test]
    fn shared_services_are_read_by_current_partners_and_kept_by_the_lead() {
        for &role in Role::ALL {
            let reads = matches!(role, Role::OrgAdmin | Role::Finance | Role::Partner);
            assert_eq!(
                may(role, Action::ReadSharedServices { member: true }),
                reads,
                "{role}"
            );
            assert!(
                !may(role, Action::ReadSharedServices { member: false }),
                "{role}"
            );
            let keeps = matches!(role, Role::OrgAdmin | Role::Finance);
            assert_eq!(may(role, Action::ManageSharedServices(10)), keeps, "{role}");
            assert!(!may(role, Action::ManageSharedServices(11)), "{role}");
        }
    }

    #[test]
    fn the_ledger_is_its_own_organisations_finance_officers_and_administrators() {
        for &role in Role::ALL {
            let keeps = matches!(role, Role::OrgAdmin | Role::Finance);
            assert_eq!(may(role, Action::ReadLedger(10)), keeps, "{role}");
            assert_eq!(may(role, Action::PostJournals(10)), keeps, "{role}");
            assert!(!may(role, Action::ReadLedger(11)), "{role}");
            assert!(!may(role, Action::PostJournals(11)), "{role}");
        }
    }

    #[test]
    fn joint_working_is_open_to_council_staff_and_key_values_to_finance() {
        for &role in Role::ALL {
            assert_eq!(
                may(role, Action::ReadJointWorking(10)),
                matches!(
                    role,
                    Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Partner
                ),
                "{role}"
            );
            assert!(!may(role, Action::ReadJointWorking(11)), "{role}");
            assert_eq!(
                may(role, Action::EnterKeyValues(10)),
                matches!(role, Role::OrgAdmin | Role::Finance),
                "{role}"
            );
            assert!(!may(role, Action::EnterKeyValues(11)), "{role}");
            assert_eq!(
                may(role, Action::ImportSpend(10)),
                matches!(role, Role::OrgAdmin | Role::Finance),
                "{role}"
            );
            assert!(!may(role, Action::ImportSpend(11)), "{role}");
        }
    }

    #[test]
    fn tenders_are_run_by_their_councils_commissioners_and_bid_for_by_providers() {
        for &role in Role::ALL {
            let runs = matches!(role, Role::OrgAdmin | Role::Commissioner);
            assert_eq!(may(role, Action::ManageTenders(10)), runs, "{role}");
            assert!(!may(role, Action::ManageTenders(11)), "{role}");
            assert_eq!(
                may(role, Action::ReadBuyerTenders(10)),
                matches!(
                    role,
                    Role::OrgAdmin | Role::Finance | Role::Commissioner | Role::Evaluator
                ),
                "{role}"
            );
            assert!(!may(role, Action::ReadBuyerTenders(11)), "{role}");
            assert_eq!(
                may(role, Action::SubmitBids),
                role == Role::Provider,
                "{role}"
            );
        }
    }

    #[test]
    fn both_administrators_reach_the_admin_area_only_the_instance_one_the_audit_trail() {
        for &role in Role::ALL {
            assert_eq!(
                may(role, Action::ViewArea(Area::Admin)),
                matches!(role, Role::InstanceAdmin | Role::OrgAdmin)
            );
            assert_eq!(may(role, Action::ReadAudit), role == Role::InstanceAdmin);
        }
    }

    #[test]
    fn only_the_instance_administrator_runs_the_directory_and_the_partnerships() {
        for &role in Role::ALL {
            let instance = role == Role::InstanceAdmin;
            assert_eq!(may(role, Action::CreateOrganisation), instance, "{role}");
            assert_eq!(may(role, Action::ManagePartnerships), instance, "{role}");
            assert_eq!(
                may(role, Action::DecideRegistrationChange),
                instance,
                "{role}"
            );
            assert_eq!(
                may(role, Action::ChangeRegistration(10)),
                instance,
                "{role}"
            );
            assert_eq!(
                may(role, Action::ChangeRegistration(11)),
                instance,
                "{role}"
            );
        }
    }

    #[test]
    fn own_staff_edit_details_and_request_registration_changes_of_their_own_organisation_only() {
        for role in [
            Role::OrgAdmin,
            Role::Finance,
            Role::Commissioner,
            Role::Provider,
        ] {
            assert!(may(role, Action::UpdateOrganisationDetails(10)), "{role}");
            assert!(may(role, Action::RequestRegistrationChange(10)), "{role}");
            assert!(!may(role, Action::UpdateOrganisationDetails(11)), "{role}");
            assert!(!may(role, Action::RequestRegistrationChange(11)), "{role}");
        }
        for role in [Role::Partner, Role::Evaluator] {
            assert!(!may(role, Action::UpdateOrganisationDetails(10)), "{role}");
            assert!(!may(role, Action::RequestRegistrationChange(10)), "{role}");
        }
        assert!(may(
            Role::InstanceAdmin,
            Action::UpdateOrganisationDetails(11)
        ));
    }

    #[test]
    fn registration_requests_are_read_by_their_organisation_and_the_instance_administrator() {
        for &role in Role::ALL {
            assert!(may(role, Action::ReadRegistrationRequests(10)), "{role}");
            assert_eq!(
                may(role, Action::ReadRegistrationRequests(11)),
                role == Role::InstanceAdmin,
                "{role}"
            );
        }
    }

    #[test]
    fn an_organisation_administrator_manages_its_own_users_and_no_others() {
        assert!(may(Role::OrgAdmin, Action::ManageUsers(10)));
        assert!(may(Role::OrgAdmin, Action::ReadUsers(10)));
        assert!(!may(Role::OrgAdmin, Action::ManageUsers(11)));
        assert!(!may(Role::OrgAdmin, Action::ReadUsers(11)));
        assert!(may(Role::InstanceAdmin, Action::ManageUsers(11)));
        assert!(may(Role::InstanceAdmin, Action::ReadUsers(11)));
        for role in [
            Role::Finance,
            Role::Commissioner,
            Role::Evaluator,
            Role::Provider,
            Role::Partner,
        ] {
            assert!(!may(role, Action::ManageUsers(10)), "{role}");
            assert!(!may(role, Action::ReadUsers(10)), "{role}");
        }
    }

    #[test]
    fn only_the_instance_administrator_makes_instance_administrators() {
        assert!(may(
            Role::InstanceAdmin,
            Action::AssignRole(Role::InstanceAdmin)
        ));
        assert!(!may(
            Role::OrgAdmin,
            Action::AssignRole(Role::InstanceAdmin)
        ));
        assert!(may(Role::OrgAdmin, Action::AssignRole(Role::OrgAdmin)));
        assert!(may(Role::OrgAdmin, Action::AssignRole(Role::Finance)));
        assert!(!may(Role::Finance, Action::AssignRole(Role::Finance)));
    }

    #[test]
    fn plans_are_read_by_their_own_councils_staff_and_changed_by_finance() {
        assert!(may(Role::Finance, Action::UpdatePlans(10)));
        assert!(!may(Role::Finance, Action::UpdatePlans(11)));
        assert!(!may(Role::Finance, Action::ReadPlans(11)));
        assert!(may(Role::Commissioner, Action::ReadPlans(10)));
        assert!(!may(Role::Commissioner, Action::UpdatePlans(10)));
        assert!(!may(Role::Provider, Action::ReadPlans(10)));
        assert!(!may(Role::Evaluator, Action::ReadPlans(10)));
        assert!(may(Role::OrgAdmin, Action::UpdatePlans(10)));
        assert!(!may(Role::OrgAdmin, Action::ReadPlans(11)));
        assert!(!may(Role::InstanceAdmin, Action::ReadPlans(10)));
        assert!(!may(Role::InstanceAdmin, Action::UpdatePlans(11)));
    }

    #[test]
    fn only_the_instance_administrator_verifies_supplier_registrations() {
        for &role in Role::ALL {
            assert_eq!(
                may(role, Action::VerifySupplierRegistrations),
                role == Role::InstanceAdmin,
                "{role}"
            );
        }
    }

    #[test]
    fn contracts_are_read_by_buyers_staff_and_suppliers_and_managed_by_commissioners() {
        for &role in Role::ALL {
            let scope = principal(role).contract_scope();
            match role {
                Role::Provider => assert_eq!(scope, Some(ContractScope::Supplier(10))),
                Role::InstanceAdmin | Role::Evaluator => assert_eq!(scope, None, "{role}"),
                _ => assert_eq!(scope, Some(ContractScope::Buyer(10)), "{role}"),
            }
            assert_eq!(may(role, Action::ReadContracts), scope.is_some(), "{role}");
            assert_eq!(
                may(role, Action::ManageContracts(10)),
                matches!(role, Role::OrgAdmin | Role::Commissioner),
                "{role}"
            );
            assert!(!may(role, Action::ManageContracts(11)), "{role}");
            assert_eq!(
                may(role, Action::RecordProviderAccounts(10)),
                matches!(role, Role::OrgAdmin | Role::Provider),
                "{role}"
            );
            assert!(!may(role, Action::RecordProviderAccounts(11)), "{role}");
        }
    }

    #[test]
    fn contract_payments_are_recorded_by_the_holding_councils_finance_officers_and_commissioners() {
        for &role in Role::ALL {
            assert_eq!(
                may(role, Action::RecordContractPayments(10)),
                matches!(role, Role::OrgAdmin | Role::Finance | Role::Commissioner),
                "{role}"
            );
            assert!(!may(role, Action::RecordContractPayments(11)), "{role}");
        }
    }

    #[test]
    fn providers_never_see_the_finance_area() {
        assert!(!may(Role::Provider, Action::ViewArea(Area::Finance)));
    }
}
