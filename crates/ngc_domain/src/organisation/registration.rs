//! Registration facts, which only an instance administrator changes, and the requests an
//! organisation's own users make to change them.

use super::{LegalForm, OrgId, OrgKind, OrganisationDraft};
use crate::slug::Slug;
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// A registration fact of an organisation. These decide, among other things, who may bid
    /// for a reserved contract, so only an instance administrator changes them.
    pub enum RegistrationField as "registration field" {
        Name = "name", "Registered name";
        Kind = "kind", "Kind";
        LegalForm = "legal_form", "Legal form";
        Owner = "owner", "Owner";
        Identifiers = "identifiers", "Registration identifiers";
        Sme = "sme", "SME";
        Vcse = "vcse", "VCSE";
        PublicServiceMutual = "public_service_mutual", "Public service mutual";
    }
}

/// The registration facts that differ between two drafts, in the order of
/// [`RegistrationField::ALL`].
pub fn changed_fields(old: &OrganisationDraft, new: &OrganisationDraft) -> Vec<RegistrationField> {
    use RegistrationField::*;
    let mut ids_old: Vec<String> = old.identifiers.iter().map(ToString::to_string).collect();
    let mut ids_new: Vec<String> = new.identifiers.iter().map(ToString::to_string).collect();
    ids_old.sort();
    ids_new.sort();
    [
        (Name, old.name.trim() != new.name.trim()),
        (Kind, old.kind != new.kind),
        (LegalForm, old.legal_form != new.legal_form),
        (Owner, old.owner != new.owner),
        (Identifiers, ids_old != ids_new),
        (Sme, old.sme != new.sme),
        (Vcse, old.vcse != new.vcse),
        (
            PublicServiceMutual,
            old.public_service_mutual != new.public_service_mutual,
        ),
    ]
    .into_iter()
    .filter_map(|(f, changed)| changed.then_some(f))
    .collect()
}

/// The registration facts a request asks to change, each with its proposed value; the
/// facts it leaves alone are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<OrgKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_form: Option<LegalForm>,
    /// `Some(None)`: no owner any more.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub owner: Option<Option<Slug>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifiers: Option<Vec<OrgId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sme: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcse: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_service_mutual: Option<bool>,
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

impl RegistrationChange {
    /// The change that turns `old` into `new` (only the facts that differ).
    pub fn between(old: &OrganisationDraft, new: &OrganisationDraft) -> Self {
        use RegistrationField as F;
        let mut c = Self::default();
        for field in changed_fields(old, new) {
            match field {
                F::Name => c.name = Some(new.name.trim().to_owned()),
                F::Kind => c.kind = Some(new.kind),
                F::LegalForm => c.legal_form = Some(new.legal_form),
                F::Owner => c.owner = Some(new.owner.clone()),
                F::Identifiers => c.identifiers = Some(new.identifiers.clone()),
                F::Sme => c.sme = Some(new.sme),
                F::Vcse => c.vcse = Some(new.vcse),
                F::PublicServiceMutual => c.public_service_mutual = Some(new.public_service_mutual),
            }
        }
        c
    }

    /// The facts this change touches.
    pub fn fields(&self) -> Vec<RegistrationField> {
        use RegistrationField as F;
        [
            (F::Name, self.name.is_some()),
            (F::Kind, self.kind.is_some()),
            (F::LegalForm, self.legal_form.is_some()),
            (F::Owner, self.owner.is_some()),
            (F::Identifiers, self.identifiers.is_some()),
            (F::Sme, self.sme.is_some()),
            (F::Vcse, self.vcse.is_some()),
            (F::PublicServiceMutual, self.public_service_mutual.is_some()),
        ]
        .into_iter()
        .filter_map(|(f, set)| set.then_some(f))
        .collect()
    }

    /// Whether the change touches nothing.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// The draft with this change applied.
    pub fn apply(&self, draft: &OrganisationDraft) -> OrganisationDraft {
        let mut d = draft.clone();
        if let Some(v) = &self.name {
            d.name = v.clone();
        }
        if let Some(v) = self.kind {
            d.kind = v;
        }
        if let Some(v) = self.legal_form {
            d.legal_form = v;
        }
        if let Some(v) = &self.owner {
            d.owner = v.clone();
        }
        if let Some(v) = &self.identifiers {
            d.identifiers = v.clone();
        }
        if let Some(v) = self.sme {
            d.sme = v;
        }
        if let Some(v) = self.vcse {
            d.vcse = v;
        }
        if let Some(v) = self.public_service_mutual {
            d.public_service_mutual = v;
        }
        d
    }

    /// One line per fact: "Kind: county", for the history on the organisation's page.
    pub fn describe(&self) -> Vec<String> {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        let mut out = Vec::new();
        if let Some(v) = &self.name {
            out.push(format!("Registered name: {v}"));
        }
        if let Some(v) = self.kind {
            out.push(format!("Kind: {}", v.label()));
        }
        if let Some(v) = self.legal_form {
            out.push(format!("Legal form: {}", v.label()));
        }
        if let Some(v) = &self.owner {
            out.push(format!(
                "Owner: {}",
                v.as_ref().map_or("none".to_owned(), ToString::to_string)
            ));
        }
        if let Some(v) = &self.identifiers {
            let ids: Vec<String> = v.iter().map(ToString::to_string).collect();
            out.push(format!("Registration identifiers: {}", ids.join(", ")));
        }
        if let Some(v) = self.sme {
            out.push(format!("SME: {}", yes_no(v)));
        }
        if let Some(v) = self.vcse {
            out.push(format!("VCSE: {}", yes_no(v)));
        }
        if let Some(v) = self.public_service_mutual {
            out.push(format!("Public service mutual: {}", yes_no(v)));
        }
        out
    }
}

crate::text_enum! {
    /// Where a registration change request stands.
    pub enum RequestStatus as "request status" {
        Pending = "pending", "Waiting for a decision";
        Approved = "approved", "Approved";
        Refused = "refused", "Refused";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> OrganisationDraft {
        OrganisationDraft {
            slug: Slug::parse("nene-care").unwrap(),
            name: "Nene Care".into(),
            kind: OrgKind::Provider,
            legal_form: LegalForm::CommunityInterestCompany,
            sme: true,
            vcse: false,
            public_service_mutual: false,
            identifiers: vec!["GB-COH-09876543".parse().unwrap()],
            owner: None,
        }
    }

    #[test]
    fn an_unchanged_draft_changes_no_registration_fact() {
        assert!(changed_fields(&draft(), &draft()).is_empty());
        let reordered = OrganisationDraft {
            name: " Nene Care ".into(),
            ..draft()
        };
        assert!(changed_fields(&draft(), &reordered).is_empty());
    }

    #[test]
    fn each_changed_fact_is_named() {
        let new = OrganisationDraft {
            kind: OrgKind::County,
            public_service_mutual: true,
            ..draft()
        };
        assert_eq!(
            changed_fields(&draft(), &new),
            vec![
                RegistrationField::Kind,
                RegistrationField::PublicServiceMutual
            ]
        );
    }

    #[test]
    fn a_change_applies_only_its_own_facts() {
        let new = OrganisationDraft {
            vcse: true,
            ..draft()
        };
        let change = RegistrationChange::between(&draft(), &new);
        assert_eq!(change.fields(), vec![RegistrationField::Vcse]);
        // Applied to a draft renamed meanwhile, the rename stays.
        let renamed = OrganisationDraft {
            name: "Nene Valley Care".into(),
            ..draft()
        };
        let applied = change.apply(&renamed);
        assert!(applied.vcse);
        assert_eq!(applied.name, "Nene Valley Care");
    }

    #[test]
    fn a_change_round_trips_through_json() {
        let change = RegistrationChange {
            owner: Some(None),
            kind: Some(OrgKind::County),
            ..Default::default()
        };
        let json = serde_json::to_string(&change).unwrap();
        let back: RegistrationChange = serde_json::from_str(&json).unwrap();
        assert_eq!(back, change);
        assert_eq!(
            change.describe(),
            vec!["Kind: County council", "Owner: none"]
        );
    }
}
