//! `ngc ocds export` and the ocid prefix it publishes under.

use super::support::Sandbox;

#[test]
fn a_bad_ocid_prefix_is_named_from_the_file_or_the_flag() {
    let sandbox = Sandbox::new();
    let config = sandbox.dir.path().join("ngc.toml");
    std::fs::write(&config, "ocid_prefix = \"b5fd17\"\n").unwrap();
    let r = sandbox.ngc(&["migrate", "--config", config.to_str().unwrap()], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("ocid_prefix") && r.stderr.contains("`b5fd17`"),
        "{}",
        r.stderr
    );
    let r = sandbox.ngc(&["migrate", "--ocid-prefix", "ocds-B5FD17"], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("ocds-B5FD17"), "{}", r.stderr);
    let r = sandbox.ngc(&["migrate", "--ocid-prefix", "ocds-b5fd17"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
}
