//! Organisations as OCDS parties: identifiers in org-id form from the registered facts, roles,
//! and a supplier's UK details (`scale`, `vcse`, `publicServiceMissionOrganization`).

use ngc_domain::organisation::{OrgId, Scheme};
use ngc_store::organisations::Organisation;
use serde_json::{Map, Value, json};

/// The organisation's registration identifiers, the most telling register first (Companies
/// House, then the Charity Commission, local authorities, the mutuals register, the NHS);
/// identifiers that no longer read are left out.
fn identifiers(org: &Organisation) -> Vec<OrgId> {
    let mut ids: Vec<OrgId> = org
        .identifiers
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    ids.sort_by_key(|id: &OrgId| {
        (
            Scheme::ALL.iter().position(|s| *s == id.scheme()),
            id.to_string(),
        )
    });
    ids
}

/// The party id of an organisation: its first org-id identifier (`GB-COH-01234567`), or
/// `ngc-{slug}` for an organisation with none. The same in every release of a process, so
/// that releases merge.
pub fn party_id(org: &Organisation) -> String {
    identifiers(org)
        .first()
        .map_or_else(|| format!("ngc-{}", org.slug), ToString::to_string)
}

fn identifier(id: &OrgId, legal_name: Option<&str>) -> Value {
    let mut v = json!({"scheme": id.scheme().prefix(), "id": id.identifier()});
    if let Some(name) = legal_name {
        v["legalName"] = json!(name);
    }
    v
}

/// The reference to an organisation (`OrganizationReference`).
pub fn reference(org: &Organisation) -> Value {
    json!({"id": party_id(org), "name": org.name})
}

/// An organisation as a party with these roles; a supplier carries its SME, VCSE and
/// public service mutual status (the UK extension's `details`).
pub fn party(org: &Organisation, roles: &[&str], supplier: bool) -> Value {
    let mut p = Map::new();
    p.insert("id".into(), json!(party_id(org)));
    p.insert("name".into(), json!(org.name));
    let ids = identifiers(org);
    if let Some((first, rest)) = ids.split_first() {
        p.insert("identifier".into(), identifier(first, Some(&org.name)));
        if !rest.is_empty() {
            p.insert(
                "additionalIdentifiers".into(),
                rest.iter().map(|id| identifier(id, None)).collect(),
            );
        }
    }
    let c = &org.contact;
    if !c.address.trim().is_empty() {
        p.insert(
            "address".into(),
            json!({"streetAddress": c.address.trim(), "countryName": "United Kingdom"}),
        );
    }
    let mut contact = Map::new();
    for (key, value) in [
        ("email", &c.email),
        ("telephone", &c.phone),
        ("url", &c.website),
    ] {
        if !value.trim().is_empty() {
            contact.insert(key.into(), json!(value.trim()));
        }
    }
    if !contact.is_empty() {
        p.insert("contactPoint".into(), Value::Object(contact));
    }
    p.insert("roles".into(), json!(roles));
    if supplier {
        p.insert(
            "details".into(),
            json!({
                "scale": if org.sme { "sme" } else { "large" },
                "vcse": org.vcse,
                "publicServiceMissionOrganization": org.public_service_mutual,
            }),
        );
    }
    Value::Object(p)
}
