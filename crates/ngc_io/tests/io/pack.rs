//! Reading data packs: the demo pack, and one broken thing at a time.

use super::support::{TestPack, demo_dir};
use ngc_domain::organisation::{LegalForm, OrgKind, Scheme};
use ngc_domain::partnership::PartnershipKind;
use ngc_io::pack::MAX_REPORTED;
use ngc_io::read_pack;

#[test]
fn the_demo_pack_reads_cleanly_with_every_organisation_partnership_and_membership() {
    let pack = read_pack(&demo_dir()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pack.name, "Northamptonshire 2015");
    assert_eq!(pack.organisations.len(), 31);
    assert_eq!(pack.partnerships.len(), 3);
    assert_eq!(pack.memberships.len(), 14);

    let org = |slug: &str| {
        pack.organisations
            .iter()
            .find(|o| o.slug.as_str() == slug)
            .unwrap_or_else(|| panic!("no organisation `{slug}`"))
    };
    let councils: Vec<_> = pack
        .organisations
        .iter()
        .filter(|o| o.kind.is_council())
        .collect();
    assert_eq!(councils.len(), 13);
    assert!(councils.iter().all(|c| {
        c.legal_form == LegalForm::LocalAuthority
            && c.identifiers.len() == 1
            && c.identifiers[0].scheme() == Scheme::LocalAuthorityEngland
    }));
    assert_eq!(org("milton-keynes").kind, OrgKind::Unitary);

    let wellbeing = org("first-for-wellbeing");
    assert_eq!(wellbeing.legal_form, LegalForm::CommunityInterestCompany);
    assert!(wellbeing.vcse && wellbeing.public_service_mutual);
    assert_eq!(
        wellbeing.owner.as_ref().map(|o| o.as_str()),
        Some("northamptonshire")
    );
    let mutual = org("children-first-northamptonshire");
    assert!(mutual.public_service_mutual && mutual.owner.is_none());
    let nene = org("nene-valley-care");
    assert!(nene.sme && nene.vcse && !nene.public_service_mutual);
    assert_eq!(org("eleanor-cross-transport").identifiers.len(), 2);
    assert!(!org("shires-highways").sme);

    let lgss = pack.partnerships.iter().find(|p| p.slug.as_str() == "lgss");
    let lgss = lgss.expect("LGSS is a partnership");
    assert_eq!(lgss.kind, PartnershipKind::SharedService);
    assert_eq!(
        lgss.lead.as_ref().map(|l| l.as_str()),
        Some("northamptonshire")
    );
    let members_of = |slug: &str| {
        pack.memberships
            .iter()
            .filter(|m| m.partnership.as_str() == slug)
            .count()
    };
    assert_eq!(members_of("lgss"), 3);
    assert_eq!(members_of("northamptonshire-ca"), 8);
    assert_eq!(members_of("economic-heartland"), 3);
}

#[test]
fn a_small_pack_reads_with_flags_owners_and_leaving_dates() {
    let pack = TestPack::new().read().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pack.name, "Test pack");
    let nene = &pack.organisations[2];
    assert!(nene.sme && nene.vcse && !nene.public_service_mutual);
    let place = &pack.organisations[3];
    assert!(place.sme && !place.vcse && !place.public_service_mutual);
    assert_eq!(
        place.owner.as_ref().map(|o| o.as_str()),
        Some("northamptonshire")
    );
    assert_eq!(pack.memberships[1].left_on, "2018-03-31".parse().ok());
}

#[test]
fn a_bad_identifier_names_the_file_the_line_and_the_column() {
    let pack = TestPack::new();
    pack.replace("organisations.csv", "GB-LAE-COR", "GB-COH-123");
    let expected = format!(
        "{}: line 3, column identifiers: `GB-COH-123` is not a valid GB-COH identifier: expected 8 digits",
        pack.file("organisations.csv")
    );
    let problem = pack.problem();
    assert!(problem.starts_with(&expected), "{problem}");
}

#[test]
fn a_duplicate_slug_names_both_lines() {
    let pack = TestPack::new();
    pack.append(
        "organisations.csv",
        "corby,Corby Again,borough,local_authority,,,,,",
    );
    assert_eq!(
        pack.problem(),
        format!(
            "{}: line 6, column slug: `corby` is already used on line 3",
            pack.file("organisations.csv")
        )
    );
}

#[test]
fn a_duplicate_partnership_slug_is_refused() {
    let pack = TestPack::new();
    pack.append("partnerships.csv", "northamptonshire-ca,Again,alliance,,");
    let problem = pack.problem();
    assert!(
        problem.contains("partnerships.csv: line 3, column slug"),
        "{problem}"
    );
}

#[test]
fn an_identifier_given_for_two_organisations_is_refused() {
    let pack = TestPack::new();
    pack.replace("organisations.csv", "GB-COH-99000004", "GB-COH-99000101");
    let problem = pack.problem();
    assert!(
        problem.ends_with(
            "line 5, column identifiers: `GB-COH-99000101` is already given for `nene-valley-care` on line 4"
        ),
        "{problem}"
    );
}

#[test]
fn a_membership_of_an_organisation_not_in_the_pack_is_refused() {
    let pack = TestPack::new();
    pack.append(
        "memberships.csv",
        "northamptonshire-ca,kettering,2015-04-01,",
    );
    assert_eq!(
        pack.problem(),
        format!(
            "{}: line 4, column organisation: no organisation `kettering` in organisations.csv",
            pack.file("memberships.csv")
        )
    );
}

#[test]
fn a_membership_of_a_partnership_not_in_the_pack_is_refused() {
    let pack = TestPack::new();
    pack.append("memberships.csv", "lgss,corby,2015-04-01,");
    let problem = pack.problem();
    assert!(
        problem.ends_with("line 4, column partnership: no partnership `lgss` in partnerships.csv"),
        "{problem}"
    );
}

#[test]
fn an_owner_or_lead_not_in_the_pack_is_refused() {
    let pack = TestPack::new();
    pack.replace(
        "organisations.csv",
        "GB-COH-99000004,northamptonshire",
        "GB-COH-99000004,nowhere",
    );
    pack.replace(
        "partnerships.csv",
        "combined_authority,northamptonshire",
        "combined_authority,elsewhere",
    );
    let problems = pack.problems();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0]
            .ends_with("line 5, column owner: no organisation `nowhere` in organisations.csv")
    );
    assert!(
        problems[1]
            .ends_with("line 2, column lead: no organisation `elsewhere` in organisations.csv")
    );
}

#[test]
fn a_bad_date_says_the_expected_form() {
    let pack = TestPack::new();
    pack.replace("memberships.csv", "2018-03-31", "31/03/2018");
    assert_eq!(
        pack.problem(),
        format!(
            "{}: line 3, column left_on: `31/03/2018` is not a date: expected YYYY-MM-DD, e.g. 2015-04-01",
            pack.file("memberships.csv")
        )
    );
}

#[test]
fn an_impossible_date_is_refused() {
    let pack = TestPack::new();
    pack.replace("memberships.csv", "2018-03-31", "2018-02-30");
    assert!(
        pack.problem()
            .contains("line 3, column left_on: `2018-02-30` is not a date")
    );
}

#[test]
fn leaving_before_joining_is_refused_on_the_left_on_column() {
    let pack = TestPack::new();
    pack.replace("memberships.csv", "2018-03-31", "2014-03-31");
    let problem = pack.problem();
    assert!(
        problem.ends_with("line 3, column left_on: 2014-03-31 is before joined_on 2015-04-01"),
        "{problem}"
    );
}

#[test]
fn overlapping_memberships_are_refused_naming_the_earlier_line() {
    let pack = TestPack::new();
    pack.append("memberships.csv", "northamptonshire-ca,corby,2017-04-01,");
    let problem = pack.problem();
    assert!(
        problem.ends_with(
            "line 4, column joined_on: `corby` is already a member of `northamptonshire-ca` from 2015-04-01 (line 3); memberships must not overlap"
        ),
        "{problem}"
    );
}

#[test]
fn rejoining_after_leaving_is_allowed() {
    let pack = TestPack::new();
    pack.append("memberships.csv", "northamptonshire-ca,corby,2018-04-01,");
    let pack = pack.read().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pack.memberships.len(), 3);
}

#[test]
fn an_unknown_kind_lists_the_choices() {
    let pack = TestPack::new();
    pack.replace(
        "organisations.csv",
        "corby,Corby Borough Council,borough",
        "corby,Corby Borough Council,parish",
    );
    let problem = pack.problem();
    assert!(
        problem.contains("line 3, column kind: unknown organisation kind `parish`: expected one of county, district, borough"),
        "{problem}"
    );
}

#[test]
fn an_unknown_partnership_kind_lists_the_choices() {
    let pack = TestPack::new();
    pack.replace("partnerships.csv", ",combined_authority,", ",federation,");
    let problem = pack.problem();
    assert!(
        problem.contains("column kind: unknown partnership kind `federation`: expected one of combined_authority, shared_service, alliance"),
        "{problem}"
    );
}

#[test]
fn a_value_that_is_not_yes_or_no_is_refused() {
    let pack = TestPack::new();
    pack.replace("organisations.csv", "yes,TRUE,no", "yes,maybe,no");
    let problem = pack.problem();
    assert!(
        problem.contains("line 4, column vcse: `maybe` is not a yes/no value"),
        "{problem}"
    );
}

#[test]
fn a_missing_column_is_named() {
    let pack = TestPack::new();
    pack.write(
        "partnerships.csv",
        "slug,name,kind,description\nlgss,LGSS,shared_service,Back office.\n",
    );
    let problems = pack.problems();
    assert!(
        problems[0].starts_with(&format!(
            "{}: line 1, column lead: missing column",
            pack.file("partnerships.csv")
        )),
        "{problems:#?}"
    );
}

#[test]
fn an_unknown_column_is_named_with_the_columns_expected() {
    let pack = TestPack::new();
    pack.replace(
        "memberships.csv",
        "joined_on,left_on",
        "joined_on,left_on,notes",
    );
    let problems = pack.problems();
    assert!(
        problems[0].starts_with(&format!(
            "{}: line 1, column notes: unknown column: the columns are partnership, organisation, joined_on, left_on",
            pack.file("memberships.csv")
        )),
        "{problems:#?}"
    );
}

#[test]
fn columns_may_come_in_any_order() {
    let pack = TestPack::new();
    pack.write(
        "memberships.csv",
        "organisation,partnership,left_on,joined_on\ncorby,northamptonshire-ca,,2015-04-01\n",
    );
    let pack = pack.read().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pack.memberships[0].organisation.as_str(), "corby");
}

#[test]
fn a_row_with_the_wrong_number_of_fields_names_its_line() {
    let pack = TestPack::new();
    pack.append("partnerships.csv", "lgss,LGSS,shared_service");
    let problem = pack.problem();
    assert!(
        problem.ends_with("partnerships.csv: line 3: the row has 3 fields but the header has 5"),
        "{problem}"
    );
}

#[test]
fn a_blank_required_value_is_refused() {
    let pack = TestPack::new();
    pack.replace(
        "organisations.csv",
        "corby,Corby Borough Council,",
        "corby,,",
    );
    assert!(
        pack.problem()
            .ends_with("line 3, column name: a value is required")
    );
}

#[test]
fn an_organisation_owning_itself_is_refused_on_the_owner_column() {
    let pack = TestPack::new();
    pack.replace(
        "organisations.csv",
        "GB-COH-99000004,northamptonshire",
        "GB-COH-99000004,place-company",
    );
    let problem = pack.problem();
    assert!(
        problem.ends_with("line 5, column owner: an organisation cannot own itself"),
        "{problem}"
    );
}

#[test]
fn ownership_in_a_circle_is_refused_once() {
    let pack = TestPack::new();
    pack.replace(
        "organisations.csv",
        "GB-LAE-NTH,",
        "GB-LAE-NTH,place-company",
    );
    let problem = pack.problem();
    assert!(
        problem.ends_with(
            "line 2, column owner: ownership goes round in a circle, each owned by the next: `northamptonshire` → `place-company` → `northamptonshire`"
        ),
        "{problem}"
    );
}

#[test]
fn a_missing_file_is_named() {
    let pack = TestPack::new();
    std::fs::remove_file(pack.path().join("memberships.csv")).expect("remove");
    let problem = pack.problem();
    assert!(
        problem.starts_with(&format!(
            "{}: cannot read the file",
            pack.file("memberships.csv")
        )),
        "{problem}"
    );
}

#[test]
fn a_manifest_without_a_name_is_refused() {
    let pack = TestPack::new();
    pack.write("pack.toml", "description = \"No name.\"\n");
    let problem = pack.problem();
    assert!(
        problem.starts_with(&pack.file("pack.toml")) && problem.contains("missing field `name`"),
        "{problem}"
    );
}

#[test]
fn an_unknown_manifest_key_is_refused_with_its_line() {
    let pack = TestPack::new();
    pack.write("pack.toml", "name = \"Test\"\nversion = 2\n");
    let problem = pack.problem();
    assert!(
        problem.starts_with(&format!(
            "{}: line 2: unknown field `version`",
            pack.file("pack.toml")
        )),
        "{problem}"
    );
}

#[test]
fn every_problem_in_every_file_is_reported_one_per_line() {
    let pack = TestPack::new();
    pack.replace("organisations.csv", "GB-LAE-COR", "GB-COH-123");
    pack.replace("memberships.csv", "2018-03-31", "soon");
    let errors = pack.read().expect_err("two problems");
    assert_eq!(errors.errors().len(), 2);
    let text = errors.to_string();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("organisations.csv: line 3, column identifiers"));
    assert!(lines[1].contains("memberships.csv: line 3, column left_on"));
}

#[test]
fn a_bad_row_does_not_make_references_to_it_unknown() {
    let pack = TestPack::new();
    pack.replace(
        "organisations.csv",
        "corby,Corby Borough Council,borough",
        "corby,Corby Borough Council,parish",
    );
    // Only the kind is reported, not the membership that names `corby`.
    assert!(pack.problem().contains("column kind"));
}

#[test]
fn problems_beyond_the_limit_are_counted_not_listed() {
    let pack = TestPack::new();
    let extra = MAX_REPORTED + 5;
    for i in 0..extra {
        pack.append(
            "organisations.csv",
            &format!("org-{i},Org {i},parish,local_authority,,,,,"),
        );
    }
    let errors = pack.read().expect_err("too many problems");
    assert_eq!(errors.errors().len(), MAX_REPORTED);
    assert_eq!(errors.omitted(), 5);
    assert!(errors.to_string().ends_with("… and 5 more problems"));
}

/// Every file under `dir`, relative to it, with its bytes.
fn files_under(
    dir: &std::path::Path,
    root: &std::path::Path,
    out: &mut Vec<(std::path::PathBuf, Vec<u8>)>,
) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, root, out);
        } else {
            out.push((
                path.strip_prefix(root).unwrap().to_owned(),
                std::fs::read(&path).unwrap(),
            ));
        }
    }
}

#[test]
fn a_pack_held_in_memory_reads_as_it_does_from_disk() {
    use ngc_io::pack::read_pack_from;
    use ngc_io::pack::source::Memory;
    let mut files = Vec::new();
    files_under(&demo_dir(), &demo_dir(), &mut files);
    let root = std::path::Path::new("(in memory)");
    let mut memory = Memory::new();
    for (path, bytes) in &files {
        memory.insert(root.join(path), bytes.clone());
    }
    let from_memory = read_pack_from(memory.clone(), root).unwrap_or_else(|e| panic!("{e}"));
    let from_disk = read_pack(&demo_dir()).unwrap();
    assert_eq!(from_memory, from_disk);
    assert_eq!(from_memory.plan_dirs, ["mtfp-2015-20"]);

    // A file missing from memory is reported against its path, as on disk.
    let mut broken = Memory::new();
    for (path, bytes) in &files {
        if !path.ends_with("partnerships.csv") {
            broken.insert(root.join(path), bytes.clone());
        }
    }
    let err = read_pack_from(broken, root).unwrap_err().to_string();
    assert!(err.contains("(in memory)/partnerships.csv"), "{err}");
    // Reading from memory does not leak into later reads from disk.
    assert_eq!(read_pack(&demo_dir()).unwrap(), from_disk);
}
