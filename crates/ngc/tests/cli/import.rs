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
        again.stdout.contains("0 organisations created, 0 updated"),
        "{}",
        again.stdout
    );
}
