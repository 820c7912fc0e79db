use super::support::Sandbox;
use ngc_store::Store;

#[test]
fn a_user_is_added_with_a_password_from_stdin() {
    let s = Sandbox::new();
    s.demo();
    let r = s.ngc(
        &[
            "user",
            "add",
            "--email",
            "Jo@Northamptonshire.example",
            "--org",
            "northamptonshire",
            "--role",
            "finance",
        ],
        "a long passphrase\n",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let user = rt.block_on(async {
        let store = Store::open(&s.url()).await.unwrap();
        let u = store
            .authenticate("jo@northamptonshire.example", "a long passphrase")
            .await
            .unwrap();
        store.close().await;
        u
    });
    assert_eq!(
        user.map(|u| u.organisation),
        Some("northamptonshire".to_owned())
    );
}

#[test]
fn an_unknown_role_lists_the_roles_and_adds_nobody() {
    let s = Sandbox::new();
    s.demo();
    let r = s.ngc(
        &[
            "user",
            "add",
            "--email",
            "x@y.example",
            "--org",
            "northamptonshire",
            "--role",
            "mayor",
        ],
        "a long passphrase\n",
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("unknown role `mayor`") && r.stderr.contains("commissioner"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_short_password_or_unknown_organisation_is_refused() {
    let s = Sandbox::new();
    s.demo();
    let short = s.ngc(
        &[
            "user",
            "add",
            "--email",
            "x@y.example",
            "--org",
            "northamptonshire",
            "--role",
            "finance",
        ],
        "short\n",
    );
    assert_eq!(short.code, 1);
    assert!(short.stderr.contains("password"), "{}", short.stderr);
    let org = s.ngc(
        &[
            "user",
            "add",
            "--email",
            "x@y.example",
            "--org",
            "atlantis",
            "--role",
            "finance",
        ],
        "a long passphrase\n",
    );
    assert_eq!(org.code, 1);
    assert!(org.stderr.contains("atlantis"), "{}", org.stderr);
}

#[test]
fn a_user_is_disabled_and_enabled_from_the_command_line() {
    let s = Sandbox::new();
    s.demo();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let email = "finance@northamptonshire.demo";
    let token = rt.block_on(async {
        let store = Store::open(&s.url()).await.unwrap();
        let user = store.user_by_email(email).await.unwrap().unwrap();
        let (_, token) = store.create_token(&user, "cli test").await.unwrap();
        store.close().await;
        token
    });
    let works = |token: &str| {
        rt.block_on(async {
            let store = Store::open(&s.url()).await.unwrap();
            let found = store.user_by_token(token, store.now()).await.unwrap();
            store.close().await;
            found.is_some()
        })
    };
    assert!(works(&token));

    let r = s.ngc(&["user", "disable", "--email", email], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("disabled finance@northamptonshire.demo"),
        "{}",
        r.stdout
    );
    assert!(!works(&token));

    let r = s.ngc(
        &["user", "enable", "--email", "Finance@Northamptonshire.demo"],
        "",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(works(&token));

    let r = s.ngc(
        &["user", "disable", "--email", "nobody@nowhere.example"],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not found"), "{}", r.stderr);
}

#[test]
fn the_demo_has_an_instance_administrator_and_an_organisation_administrator() {
    let s = Sandbox::new();
    s.demo();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let roles = rt.block_on(async {
        let store = Store::open(&s.url()).await.unwrap();
        let mut roles = Vec::new();
        for email in ["admin@ngc.demo", "admin@northamptonshire.demo"] {
            roles.push(store.user_by_email(email).await.unwrap().unwrap().role);
        }
        store.close().await;
        roles
    });
    assert_eq!(
        roles,
        [ngc_domain::Role::InstanceAdmin, ngc_domain::Role::OrgAdmin]
    );
}
