//! The roles a user holds in its one organisation.

crate::text_enum! {
    /// What a user may do, always within the organisation the user belongs to.
    pub enum Role as "role" {
        /// Runs the instance: the directory of organisations and their registration facts,
        /// the partnerships, the audit trail, the users of every organisation.
        InstanceAdmin = "instance_admin", "Instance administrator";
        /// Manages its own organisation's users and its own organisation's data.
        OrgAdmin = "org_admin", "Organisation administrator";
        /// Builds the financial plan and tracks savings.
        Finance = "finance", "Finance officer";
        /// Plans commissioning, runs tenders, manages contracts.
        Commissioner = "commissioner", "Commissioner";
        /// Scores bids after the deadline.
        Evaluator = "evaluator", "Evaluator";
        /// Works for a provider: bids, KPI returns, its own contracts.
        Provider = "provider", "Provider";
        /// Read-only member of a partnership.
        Partner = "partner", "Partner (read only)";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for &role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn the_old_global_admin_role_is_no_longer_a_role() {
        assert!("admin".parse::<Role>().is_err());
    }

    #[test]
    fn an_unknown_role_lists_the_roles() {
        let err = "mayor".parse::<Role>().unwrap_err().to_string();
        assert!(err.contains("`mayor`"), "{err}");
        for role in Role::ALL {
            assert!(err.contains(role.as_str()), "{err} lacks {role}");
        }
    }
}
