use super::support::Sandbox;
use ngc_store::Store;

#[test]
fn the_demo_loads_idempotently_and_its_audit_trail_verifies() {
    let s = Sandbox::new();
    s.demo();
    let first = s.ngc(&["audit", "verify"], "");
    assert_eq!(first.code, 0, "{}", first.stderr);
    s.demo();
    let second = s.ngc(&["audit", "verify"], "");
    assert_eq!(
        second.stdout, first.stdout,
        "a second load must add no audit records"
    );
    assert!(
        first.stdout.starts_with("audit trail intact: "),
        "{}",
        first.stdout
    );
}

#[test]
fn a_record_altered_in_the_database_fails_verification_naming_it() {
    let s = Sandbox::new();
    s.demo();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = Store::open(&s.url()).await.unwrap();
        store
            .execute_raw("UPDATE audit_log SET actor_user_id = 99 WHERE seq = 7")
            .await
            .unwrap();
        store.close().await;
    });
    let r = s.ngc(&["audit", "verify"], "");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("audit trail broken at record 7"),
        "{}",
        r.stderr
    );
    assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
}

#[test]
fn bad_usage_exits_2() {
    let s = Sandbox::new();
    assert_eq!(s.ngc(&["audit", "frobnicate"], "").code, 2);
    assert_eq!(s.ngc(&["no-such-command"], "").code, 2);
}

#[test]
fn a_configuration_file_sets_the_database_and_a_flag_overrides_it() {
    let s = Sandbox::new();
    let from_file = s.dir.path().join("from-file.db");
    let config = s.dir.path().join("ngc.toml");
    std::fs::write(
        &config,
        format!("database_url = \"sqlite://{}\"\n", from_file.display()),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ngc"))
        .args(["--config", config.to_str().unwrap(), "migrate"])
        .env_remove("NGC_DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(from_file.exists(), "the file's database_url was used");
    let flag = s.dir.path().join("from-flag.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ngc"))
        .args([
            "--config",
            config.to_str().unwrap(),
            "migrate",
            "--database-url",
            &format!("sqlite://{}", flag.display()),
        ])
        .env_remove("NGC_DATABASE_URL")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(flag.exists(), "the flag beats the file");
    std::fs::write(&config, "database_ur = \"typo\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ngc"))
        .args(["--config", config.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ngc.toml"),
        "the error names the file"
    );
}
