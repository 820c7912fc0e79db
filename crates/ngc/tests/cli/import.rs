use super::support::{Sandbox, demo_pack};

fn copy_pack(to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in [
        "pack.toml",
        "organisations.csv",
        "partnerships.csv",
        "memberships.csv",
    ] {
        std::fs::copy(demo_pack().join(f), to.join(f)).unwrap();
    }
}

#[test]
fn a_pack_with_a_broken_row_names_file_line_and_column_and_loads_nothing() {
    let s = Sandbox::new();
    let pack = s.dir.path().join("pack");
    copy_pack(&pack);
    let orgs = pack.join("organisations.csv");
    let text = std::fs::read_to_string(&orgs).unwrap();
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 3 {
                l.replacen(",county,", ",parish,", 1)
                    .replacen(",borough,", ",parish,", 1)
                    .replacen(",district,", ",parish,", 1)
            } else {
                l.to_owned()
            }
        })
        .collect();
    std::fs::write(&orgs, broken.join("\n")).unwrap();
    let r = s.ngc(&["import", "pack", pack.to_str().unwrap()], "");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stderr.contains("organisations.csv")
            && r.stderr.contains("line 4")
            && r.stderr.contains("column kind"),
        "{}",
        r.stderr
    );
    let verify = s.ngc(&["audit", "verify"], "");
    assert_eq!(
        verify.stdout.trim(),
        "audit trail intact: 0 records",
        "nothing was loaded"
    );
}

#[test]
fn the_demo_pack_imports_like_any_council_pack() {
    let s = Sandbox::new();
    let r = s.ngc(&["import", "pack", demo_pack().to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("organisations created"), "{}", r.stdout);
    let again = s.ngc(&["import", "pack", demo_pack().to_str().unwrap()], "");
    assert!(
        again.stdout.contains("is the same as the last import")
            && again.stdout.contains("nothing changed"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_budget_file_imports_whole_or_not_at_all() {
    let s = Sandbox::new();
    s.demo();
    let good = s.dir.path().join("budget.csv");
    std::fs::write(
        &good,
        "organisation,year,service,subjective,amount\n\
         northamptonshire,2015-16,adult_social_care,employees,1000.50\n\
         northamptonshire,2015-16,adult_social_care,income,200\n",
    )
    .unwrap();
    let r = s.ngc(
        &[
            "import",
            "budget",
            good.to_str().unwrap(),
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("imported 2 budget lines"), "{}", r.stdout);
    let bad = s.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "organisation,year,service,subjective,amount\n\
         northamptonshire,2016-17,education,employees,10\n\
         northamptonshire,2016-17,libraries,employees,1.234\n",
    )
    .unwrap();
    let r = s.ngc(
        &[
            "import",
            "budget",
            bad.to_str().unwrap(),
            "--org",
            "northamptonshire",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("bad.csv") && r.stderr.contains("line 3") && r.stderr.contains("service"),
        "{}",
        r.stderr
    );
    let verify = s.ngc(&["audit", "verify"], "").stdout;
    let other = s.ngc(
        &["import", "budget", good.to_str().unwrap(), "--org", "corby"],
        "",
    );
    assert_eq!(
        other.code, 1,
        "the lines are Northamptonshire's, not Corby's"
    );
    assert!(other.stderr.contains("line 2"), "{}", other.stderr);
    assert_eq!(
        s.ngc(&["audit", "verify"], "").stdout,
        verify,
        "nothing written"
    );
}
