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

/// Builds, in the sandbox's database: Northampton's published tender with its recorded tender
/// notice, Corby's likewise, and a draft of Northampton's whose notice was recorded too.
fn procurements(sandbox: &Sandbox) {
    use chrono::TimeZone;
    use ngc_app::ocds::{Step, store_release};
    use ngc_domain::Role;
    use ngc_domain::money::Money;
    use ngc_domain::organisation::{LegalForm, OrgKind, OrganisationDraft};
    use ngc_domain::procurement::{
        ClassificationScheme, CommencingEvent, ContractType, Procedure, Reservation,
    };
    use ngc_store::tenders::{NewLot, NewTender};
    use ngc_store::users::NewUser;
    use ngc_store::{Actor, Store};

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = Store::open(&sandbox.url())
            .await
            .unwrap()
            .with_ocid_prefix("ocds-b5fd17");
        let a = Actor::system();
        for (slug, name, id) in [
            ("northampton", "Northampton Borough Council", "GB-LAE-NOR"),
            ("corby", "Corby Borough Council", "GB-LAE-COR"),
        ] {
            let draft = OrganisationDraft {
                slug: ngc_domain::slug::Slug::parse(slug).unwrap(),
                name: name.into(),
                kind: OrgKind::Borough,
                legal_form: LegalForm::LocalAuthority,
                sme: false,
                vcse: false,
                public_service_mutual: false,
                identifiers: vec![id.parse().unwrap()],
                owner: None,
            };
            store.create_organisation(&draft, &a).await.unwrap();
        }
        let lead = store
            .create_user(
                &NewUser {
                    email: "lead@northampton.test",
                    name: "",
                    role: Role::Commissioner,
                    organisation: "northampton",
                    password: "a long enough password",
                },
                &a,
            )
            .await
            .unwrap();
        for (reference, buyer, publish, notice) in [
            ("NBC-2025-001", "northampton", true, "001000-2025"),
            ("CBC-2025-001", "corby", true, "001001-2025"),
            ("NBC-2025-002", "northampton", false, "001002-2025"),
        ] {
            let new = NewTender {
                reference: reference.into(),
                lead_organisation: buyer.into(),
                procurement_lead_id: lead.id,
                title: format!("Street cleansing {reference}"),
                description: String::new(),
                classification_scheme: ClassificationScheme::Cpv,
                classification_code: "90610000-6".into(),
                contract_type: ContractType::Services,
                procedure: Procedure::Open,
                commencing_event: CommencingEvent::ContractNotice,
                commenced_on: "2025-06-02".parse().unwrap(),
                estimated_value: Money::pounds(2_400_000),
                vat_inclusive: true,
                above_threshold: true,
                reservation: Reservation::None,
                two_envelope: false,
                criteria: serde_json::json!({}),
                clarification_deadline: None,
                submission_deadline: chrono::Utc.with_ymd_and_hms(2030, 1, 31, 12, 0, 0).unwrap(),
                buyers: vec![(buyer.into(), rust_decimal::Decimal::ONE_HUNDRED)],
                lots: vec![NewLot {
                    title: "Whole borough".into(),
                    description: String::new(),
                    estimated_value: Money::pounds(2_400_000),
                    criteria: None,
                }],
            };
            let t = store.create_tender(&new, &a).await.unwrap();
            if publish {
                // Stands in for the tenders' publish step.
                store
                    .execute_raw(&format!(
                        "UPDATE tenders SET status = 'published' WHERE id = {}",
                        t.id
                    ))
                    .await
                    .unwrap();
            }
            let r = store_release(&store, t.id, Step::Tender).await.unwrap();
            store
                .record_publication(r.id, notice, "2025-06-03".parse().unwrap(), &a)
                .await
                .unwrap();
        }
        store.close().await;
    });
}

/// Times of the run, redacted.
fn redact(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let release = map.contains_key("ocid");
            for (key, v) in map.iter_mut() {
                if (release && key == "date") || key == "publishedDate" {
                    *v = serde_json::json!("[time]");
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[test]
fn export_writes_the_published_notices_of_an_organisations_procurements() {
    let sandbox = Sandbox::new();
    let r = sandbox.ngc(&["migrate"], "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    procurements(&sandbox);
    let args = [
        "ocds",
        "export",
        "--org",
        "northampton",
        "--public-url",
        "https://ngc.example.org/",
        "--ocds-publisher",
        "Northamptonshire councils",
    ];
    let r = sandbox.ngc(&args, "");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut package: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let report = ocds::validate::validate_value("export", &package);
    assert!(!report.has_errors(), "{:#?}", report.problems);
    // Northampton's published tender only: not Corby's, not the draft's.
    let ids: Vec<&str> = package["releases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ocds-b5fd17-1-tender-1"]);
    // The export compiles as any OCDS data does.
    let compiled = sandbox.ngc(&["ocds", "compile", "--package"], &r.stdout);
    assert_eq!(compiled.code, 0, "{}", compiled.stderr);
    assert!(
        compiled.stdout.contains("\"ocid\":\"ocds-b5fd17-1\""),
        "{}",
        compiled.stdout
    );
    redact(&mut package);
    insta::assert_json_snapshot!("export_northampton", package);

    let r = sandbox.ngc(&["ocds", "export", "--org", "nobody"], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(r.stderr.trim(), "error: organisation `nobody` not found");
}
