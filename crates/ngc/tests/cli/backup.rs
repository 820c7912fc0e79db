use super::support::Sandbox;

#[test]
fn a_backup_restores_over_a_changed_database() {
    let s = Sandbox::new();
    s.demo();
    let backup = s.dir.path().join("backup.db");
    let r = s.ngc(&["backup", "--out", backup.to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = s.ngc(&["audit", "verify"], "").stdout;
    let added = s.ngc(
        &[
            "user",
            "add",
            "--email",
            "late@x.example",
            "--org",
            "corby",
            "--role",
            "partner",
        ],
        "a long passphrase\n",
    );
    assert_eq!(added.code, 0, "{}", added.stderr);
    assert_ne!(s.ngc(&["audit", "verify"], "").stdout, before);
    let r = s.ngc(&["restore", backup.to_str().unwrap()], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(s.ngc(&["audit", "verify"], "").stdout, before);
}

#[test]
fn backing_up_onto_an_existing_file_is_refused() {
    let s = Sandbox::new();
    s.demo();
    let out = s.dir.path().join("exists.db");
    std::fs::write(&out, "keep me").unwrap();
    let r = s.ngc(&["backup", "--out", out.to_str().unwrap()], "");
    assert_eq!(r.code, 1);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
}

#[test]
fn restoring_something_that_is_not_a_backup_leaves_the_database_alone() {
    let s = Sandbox::new();
    s.demo();
    let before = s.ngc(&["audit", "verify"], "").stdout;
    let junk = s.dir.path().join("junk.db");
    std::fs::write(&junk, "not a database").unwrap();
    let r = s.ngc(&["restore", junk.to_str().unwrap()], "");
    assert_eq!(r.code, 1);
    assert_eq!(s.ngc(&["audit", "verify"], "").stdout, before);
}
