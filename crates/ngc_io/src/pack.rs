//! Reading a data pack: a directory of `pack.toml` and three CSV files describing
//! organisations, partnerships and memberships (the format is in the crate README).
//!
//! Everything is checked before anything is returned, so a caller loads all of a pack or
//! none of it: each value, each row against the domain rules, and the files against each other.

mod checks;
mod error;
pub(crate) mod rows;
pub mod source;
pub(crate) mod table;

pub use error::{MAX_REPORTED, PackError, PackErrors, Problem};
pub use rows::{MEMBERSHIP_COLUMNS, ORGANISATION_COLUMNS, PARTNERSHIP_COLUMNS};

use checks::{organisations_known, partnerships_known};
use ngc_domain::pack::DataPack;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The pack's name and description.
pub const MANIFEST: &str = "pack.toml";
/// One row per organisation.
pub const ORGANISATIONS: &str = "organisations.csv";
/// One row per partnership.
pub const PARTNERSHIPS: &str = "partnerships.csv";
/// One row per membership of an organisation in a partnership.
pub const MEMBERSHIPS: &str = "memberships.csv";

/// `pack.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: String,
    #[serde(default)]
    #[expect(dead_code, reason = "for people reading the pack; not loaded")]
    description: String,
}

/// Reads and checks the data pack at `dir` in `source` (e.g. a [`source::Memory`] pack carried
/// in the binary), as [`read_pack`] does from disk.
pub fn read_pack_from<S: source::Source + 'static>(
    source: S,
    dir: &Path,
) -> Result<DataPack, PackErrors> {
    source::with(std::rc::Rc::new(source), || read_pack(dir))
}

/// Reads and checks the data pack in `dir`, returning every problem found (up to
/// [`MAX_REPORTED`]) if there is any, each naming its file, line and column.
pub fn read_pack(dir: &Path) -> Result<DataPack, PackErrors> {
    let mut errors = PackErrors::default();
    let name = read_manifest(&dir.join(MANIFEST), &mut errors);

    let org_file = dir.join(ORGANISATIONS);
    let orgs = table::read(&org_file, ORGANISATION_COLUMNS, &mut errors).map(|t| {
        t.rows
            .iter()
            .map(|row| rows::organisation(&org_file, row, &mut errors))
            .collect::<Vec<_>>()
    });
    let partnership_file = dir.join(PARTNERSHIPS);
    let partnerships = table::read(&partnership_file, PARTNERSHIP_COLUMNS, &mut errors).map(|t| {
        t.rows
            .iter()
            .map(|row| rows::partnership(&partnership_file, row, &mut errors))
            .collect::<Vec<_>>()
    });
    let membership_file = dir.join(MEMBERSHIPS);
    let memberships = table::read(&membership_file, MEMBERSHIP_COLUMNS, &mut errors).map(|t| {
        t.rows
            .iter()
            .filter_map(|row| {
                rows::membership(&membership_file, row, &mut errors).map(|m| (row.line, m))
            })
            .collect::<Vec<_>>()
    });

    // Across rows and files. A file that could not be read is not used to check references,
    // so that its problem is reported once rather than as every reference into it.
    let org_slugs = orgs
        .as_deref()
        .map(|rows| checks::unique_slugs(&org_file, rows, &mut errors));
    let org_known = org_slugs.as_ref().map(organisations_known);
    let org_drafts = complete(orgs.as_deref().unwrap_or_default());
    checks::unique_identifiers(&org_file, &org_drafts, &mut errors);
    checks::owners(&org_file, &org_drafts, org_known.as_ref(), &mut errors);

    let partnership_slugs = partnerships
        .as_deref()
        .map(|rows| checks::unique_slugs(&partnership_file, rows, &mut errors));
    let partnership_known = partnership_slugs.as_ref().map(partnerships_known);
    let partnership_drafts = complete(partnerships.as_deref().unwrap_or_default());
    if let Some(known) = &org_known {
        checks::leads(&partnership_file, &partnership_drafts, known, &mut errors);
    }

    let membership_drafts: Vec<_> = memberships
        .iter()
        .flatten()
        .map(|(line, m)| (*line, m))
        .collect();
    checks::memberships(
        &membership_file,
        &membership_drafts,
        partnership_known.as_ref(),
        org_known.as_ref(),
        &mut errors,
    );

    // Financial plans in `plans/*/`, checked cell by cell like the rest.
    let plans = match crate::finance::read_plan_dirs(dir) {
        Ok(plans) => plans,
        Err(e) => {
            errors.absorb(e);
            Vec::new()
        }
    };

    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    let pack = DataPack {
        name,
        organisations: owned(org_drafts),
        partnerships: owned(partnership_drafts),
        memberships: membership_drafts
            .into_iter()
            .map(|(_, m)| m.clone())
            .collect(),
        plan_dirs: plans.iter().map(|(dir, _)| dir.clone()).collect(),
        plans: plans.into_iter().map(|(_, plan)| plan).collect(),
    };
    tracing::debug!(
        pack.dir = %dir.display(),
        pack.name = %pack.name,
        pack.organisations = pack.organisations.len(),
        pack.partnerships = pack.partnerships.len(),
        pack.memberships = pack.memberships.len(),
        pack.plans = pack.plans.len(),
        "read data pack"
    );
    Ok(pack)
}

/// The rows whose every value was good, with their lines.
fn complete<T>(rows: &[rows::Parsed<T>]) -> Vec<(u64, &T)> {
    rows.iter()
        .filter_map(|row| row.draft.as_ref().map(|d| (row.line, d)))
        .collect()
}

fn owned<T: Clone>(rows: Vec<(u64, &T)>) -> Vec<T> {
    rows.into_iter().map(|(_, d)| d.clone()).collect()
}

/// The pack's name from `pack.toml`, or `None` having reported why not.
fn read_manifest(file: &Path, errors: &mut PackErrors) -> Option<String> {
    let error = |line, column: Option<&str>, problem| PackError {
        file: PathBuf::from(file),
        line,
        column: column.map(str::to_owned),
        problem,
    };
    let text = match source::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            errors.push(error(None, None, Problem::Read(e)));
            return None;
        }
    };
    let manifest: Manifest = match toml::from_str(&text) {
        Ok(manifest) => manifest,
        Err(e) => {
            let line = e.span().map(|span| line_at(&text, span.start));
            let message = e.message().trim().to_owned();
            errors.push(error(line, None, Problem::Manifest(message)));
            return None;
        }
    };
    let name = manifest.name.trim();
    if name.is_empty() {
        let problem = Problem::Invalid("the pack needs a name".into());
        errors.push(error(None, Some("name"), problem));
        return None;
    }
    Some(name.to_owned())
}

/// The 1-based line of a byte offset.
fn line_at(text: &str, offset: usize) -> u64 {
    let before = text.get(..offset).unwrap_or(text);
    before.bytes().filter(|&b| b == b'\n').count() as u64 + 1
}

#[cfg(test)]
mod tests {
    use super::line_at;

    #[test]
    fn offsets_count_lines_from_one() {
        let text = "a = 1\nb = 2\n";
        assert_eq!(line_at(text, 0), 1);
        assert_eq!(line_at(text, 6), 2);
    }
}
