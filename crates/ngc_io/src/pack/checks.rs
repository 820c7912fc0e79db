//! Checks across rows and files: unique slugs and identifiers, references that resolve,
//! ownership without circles, memberships that do not overlap.

use super::error::{PackErrors, Problem};
use super::rows::Parsed;
use super::table;
use super::{ORGANISATIONS, PARTNERSHIPS};
use ngc_domain::organisation::OrganisationDraft;
use ngc_domain::pack::{MembershipDraft, PartnershipDraft};
use ngc_domain::partnership::{Membership, check_new_membership};
use ngc_domain::slug::Slug;
use std::collections::BTreeMap;
use std::path::Path;

/// The line of each slug's first use; later uses are reported as duplicates.
pub(crate) fn unique_slugs<T>(
    file: &Path,
    rows: &[Parsed<T>],
    errors: &mut PackErrors,
) -> BTreeMap<Slug, u64> {
    let mut first = BTreeMap::new();
    for row in rows {
        let Some(slug) = &row.slug else { continue };
        match first.get(slug) {
            Some(&first_line) => {
                let problem = Problem::DuplicateSlug {
                    slug: slug.clone(),
                    first_line,
                };
                errors.push(table::error(file, row.line, "slug", problem));
            }
            None => {
                first.insert(slug.clone(), row.line);
            }
        }
    }
    first
}

/// No two organisations give the same registration identifier.
pub(crate) fn unique_identifiers(
    file: &Path,
    orgs: &[(u64, &OrganisationDraft)],
    errors: &mut PackErrors,
) {
    let mut first: BTreeMap<String, (&Slug, u64)> = BTreeMap::new();
    for &(line, org) in orgs {
        for id in &org.identifiers {
            let id = id.to_string();
            match first.get(&id) {
                Some(&(slug, first_line)) if slug != &org.slug => {
                    let problem = Problem::DuplicateIdentifier {
                        identifier: id,
                        slug: slug.clone(),
                        first_line,
                    };
                    errors.push(table::error(file, line, "identifiers", problem));
                }
                Some(_) => {}
                None => {
                    first.insert(id, (&org.slug, line));
                }
            }
        }
    }
}

/// A reference checker: reports a slug that is not among `known`.
pub(crate) struct Known<'a> {
    pub(crate) what: &'static str,
    pub(crate) file: &'static str,
    pub(crate) slugs: &'a BTreeMap<Slug, u64>,
}

impl Known<'_> {
    fn check(&self, file: &Path, line: u64, column: &str, slug: &Slug, errors: &mut PackErrors) {
        if !self.slugs.contains_key(slug) {
            let problem = Problem::UnknownReference {
                what: self.what,
                slug: slug.clone(),
                file: self.file,
            };
            errors.push(table::error(file, line, column, problem));
        }
    }
}

/// Every owner is an organisation of the pack, and no organisation owns itself through others.
pub(crate) fn owners(
    file: &Path,
    orgs: &[(u64, &OrganisationDraft)],
    known: Option<&Known<'_>>,
    errors: &mut PackErrors,
) {
    if let Some(known) = known {
        for &(line, org) in orgs {
            if let Some(owner) = &org.owner {
                known.check(file, line, "owner", owner, errors);
            }
        }
    }
    let owner_of: BTreeMap<&Slug, (u64, &Slug)> = orgs
        .iter()
        .filter_map(|&(line, org)| org.owner.as_ref().map(|o| (&org.slug, (line, o))))
        .collect();
    for (&start, &(line, first_owner)) in &owner_of {
        if first_owner == start {
            continue; // an organisation owning itself is reported by its row
        }
        let mut path = vec![start];
        let mut next = Some(first_owner);
        while let Some(current) = next {
            if current == start {
                // Report each circle once, on the line of its earliest member.
                let lines = path.iter().map(|s| owner_of[s].0);
                if lines.min() == Some(line) {
                    path.push(start);
                    let circle: Vec<String> = path.iter().map(|s| format!("`{s}`")).collect();
                    let problem = Problem::OwnershipCycle(circle.join(" → "));
                    errors.push(table::error(file, line, "owner", problem));
                }
                break;
            }
            if path.contains(&current) {
                break; // a circle further up that does not come back to `start`
            }
            path.push(current);
            next = owner_of.get(current).map(|&(_, owner)| owner);
        }
    }
}

/// Every lead is an organisation of the pack.
pub(crate) fn leads(
    file: &Path,
    partnerships: &[(u64, &PartnershipDraft)],
    known: &Known<'_>,
    errors: &mut PackErrors,
) {
    for &(line, p) in partnerships {
        if let Some(lead) = &p.lead {
            known.check(file, line, "lead", lead, errors);
        }
    }
}

/// Every membership names a partnership and an organisation of the pack, and no organisation's
/// memberships of one partnership overlap.
pub(crate) fn memberships(
    file: &Path,
    memberships: &[(u64, &MembershipDraft)],
    partnerships: Option<&Known<'_>>,
    organisations: Option<&Known<'_>>,
    errors: &mut PackErrors,
) {
    let mut earlier: BTreeMap<(&Slug, &Slug), Vec<(u64, Membership)>> = BTreeMap::new();
    for &(line, m) in memberships {
        if let Some(known) = partnerships {
            known.check(file, line, "partnership", &m.partnership, errors);
        }
        if let Some(known) = organisations {
            known.check(file, line, "organisation", &m.organisation, errors);
        }
        let new = Membership {
            joined_on: m.joined_on,
            left_on: m.left_on,
        };
        let previous = earlier
            .entry((&m.partnership, &m.organisation))
            .or_default();
        let existing: Vec<Membership> = previous.iter().map(|(_, m)| m.clone()).collect();
        if check_new_membership(&existing, &new).is_err() {
            if let Some((first_line, clash)) = previous.iter().find(|(_, e)| e.overlaps(&new)) {
                let problem = Problem::OverlappingMembership {
                    partnership: m.partnership.clone(),
                    organisation: m.organisation.clone(),
                    joined_on: clash.joined_on,
                    first_line: *first_line,
                };
                errors.push(table::error(file, line, "joined_on", problem));
            }
            continue;
        }
        previous.push((line, new));
    }
}

/// The organisations of the pack, for references from owners, leads and memberships.
pub(crate) fn organisations_known(slugs: &BTreeMap<Slug, u64>) -> Known<'_> {
    Known {
        what: "organisation",
        file: ORGANISATIONS,
        slugs,
    }
}

/// The partnerships of the pack, for references from memberships.
pub(crate) fn partnerships_known(slugs: &BTreeMap<Slug, u64>) -> Known<'_> {
    Known {
        what: "partnership",
        file: PARTNERSHIPS,
        slugs,
    }
}
