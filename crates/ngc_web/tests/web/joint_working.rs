//! Joint working through the API and the pages: the consolidation analysis of two districts'
//! waste collection contracts in a partnership with their county, keyed by tax base (the
//! county holds no collection function and is not in the key); the exact answer for a
//! member's finance officer; nothing for a council outside the partnership; a joint tender
//! refused to the county's commissioner (nothing written) and started by the lead district's
//! commissioner from the page, with the analysis's buyers and shares and its origin recorded.

use super::support::{Reply, TestApp, TestUser, bearer, fixture_plan, session};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_domain::organisation::{LegalForm, OrgKind, OrganisationDraft};
use ngc_domain::pack::PartnershipDraft;
use ngc_domain::partnership::{Membership, PartnershipKind};
use ngc_domain::slug::Slug;
use ngc_store::joint_working::NewKeyValue;
use ngc_store::{Actor, Clock, Store, store_test};
use serde_json::json;

struct Fixture {
    app: TestApp,
    /// North's commissioner (the lead).
    lead: TestUser,
    /// South's finance officer.
    finance: TestUser,
    /// Alpha (the county, a member)'s commissioner.
    county: TestUser,
    /// Beta's commissioner (not a member).
    outsider: TestUser,
}

const QUERY: &str = "?category=90511000&key=tax_base&year=2016-17&rate=10";

async fn fixture(store: Store) -> Fixture {
    let app = TestApp::new(store.with_clock(Clock::on("2026-06-15".parse().unwrap()))).await;
    let a = Actor::system();
    for slug in ["north", "south"] {
        let draft = OrganisationDraft {
            slug: Slug::parse(slug).unwrap(),
            name: format!("{slug} District Council"),
            kind: OrgKind::District,
            legal_form: LegalForm::LocalAuthority,
            sme: false,
            vcse: false,
            public_service_mutual: false,
            identifiers: vec![],
            owner: None,
        };
        app.store.create_organisation(&draft, &a).await.unwrap();
    }
    let draft = PartnershipDraft {
        slug: Slug::parse("combined").unwrap(),
        name: "Combined".into(),
        kind: PartnershipKind::CombinedAuthority,
        lead: Some(Slug::parse("alpha").unwrap()),
        description: String::new(),
    };
    app.store.create_partnership(&draft, &a).await.unwrap();
    for org in ["alpha", "north", "south"] {
        let m = Membership::new("2015-04-01".parse().unwrap(), None).unwrap();
        app.store.add_member("combined", org, &m, &a).await.unwrap();
    }
    let lead = app
        .user("lead@north.test", "north", Role::Commissioner)
        .await;
    let south = app
        .user("commissioner@south.test", "south", Role::Commissioner)
        .await;
    for (who, reference, ends) in [
        (&lead, "N-WASTE", "2027-03-31"),
        (&south, "S-WASTE", "2027-09-30"),
    ] {
        let r = app
            .json(
                Method::POST,
                &format!("/api/v1/organisations/{}/contracts", who.user.organisation),
                bearer(who),
                json!({"reference": reference, "title": "Waste collection",
                       "supplier": "alpha-care", "category": "90511000",
                       "value": "5000000.00", "annual_value": "1000000.00",
                       "starts_on": "2022-04-01", "ends_on": ends}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let values: Vec<NewKeyValue> = [("north", "100"), ("south", "300")]
        .iter()
        .map(|(org, v)| NewKeyValue {
            organisation: (*org).into(),
            year: "2016-17".parse().unwrap(),
            key: ngc_domain::joint_working::Key::TaxBase,
            value: v.parse().unwrap(),
            source: "CTR1".into(),
            confirmed: true,
        })
        .collect();
    app.store.set_key_values(&values, &a).await.unwrap();
    Fixture {
        finance: app.user("finance@south.test", "south", Role::Finance).await,
        county: app.user_for(Role::Commissioner).await,
        outsider: app.user("c@beta.test", "beta", Role::Commissioner).await,
        lead,
        app,
    }
}

impl Fixture {
    async fn analysis(&self, who: &TestUser) -> Reply {
        self.app
            .get(
                &format!("/api/v1/partnerships/combined/consolidation{QUERY}"),
                bearer(who),
            )
            .await
    }

    async fn start(&self, who: &TestUser, reference: &str) -> Reply {
        self.app
            .json(
                Method::POST,
                "/api/v1/partnerships/combined/joint-tenders",
                bearer(who),
                json!({"analysis": {"category": "90511000", "key": "tax_base",
                                    "year": "2016-17", "rate": "10"},
                       "tender": {"reference": reference, "title": "Joint waste collection",
                                  "classification_scheme": "cpv",
                                  "classification_code": "90511000",
                                  "contract_type": "services", "procedure": "open",
                                  "estimated_value": "10000000.00",
                                  "submission_deadline": "2026-08-01T12:00:00Z",
                                  "lots": [{"title": "All", "estimated_value": "10000000.00"}]}}),
            )
            .await
    }
}

store_test!(
    async fn a_members_finance_officer_reads_the_analysis_keyed_over_the_districts(store: Store) {
        let f = fixture(store).await;
        let r = f.analysis(&f.finance).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let a = &r.json()["analysis"];
        assert_eq!(a["aggregate_value"], "10000000.00");
        assert_eq!(a["aggregate_annual"], "2000000.00");
        assert_eq!(a["saving"]["annual"], "200000.00");
        assert_eq!(a["saving"]["rate"], "10");
        assert_eq!(a["window"]["first_end"], "2027-03-31");
        assert_eq!(a["window"]["last_end"], "2027-09-30");
        assert!(a["window"]["common"].is_null());
        // North 100 and South 300 of the tax base: 25% and 75%; the county is not in it.
        let shares: Vec<(String, String, String, String)> = a["shares"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["council"].as_str().unwrap().to_owned(),
                    s["percent"].as_str().unwrap().to_owned(),
                    s["annual_cost"].as_str().unwrap().to_owned(),
                    s["saving"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(
            shares,
            [
                (
                    "north".into(),
                    "25".into(),
                    "500000.00".into(),
                    "50000.00".into()
                ),
                (
                    "south".into(),
                    "75".into(),
                    "1500000.00".into(),
                    "150000.00".into()
                ),
            ]
        );
        // A year without values names the key and the council.
        let r = f
            .app
            .get(
                "/api/v1/partnerships/combined/consolidation?category=90511000&key=households&year=2016-17",
                bearer(&f.finance),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "key");
        // The page shows the same, without the start form for a finance officer.
        let page = f
            .app
            .get(
                &format!("/partnerships/combined/consolidation{QUERY}"),
                session(&f.finance),
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("£200,000.00 a year"), "{}", page.body);
        assert!(page.body.contains("75%"));
        assert!(!page.body.contains("Start a joint tender"));
        assert!(
            page.body
                .contains("No saving of your council's plans is linked")
        );
    }
);

store_test!(
    async fn a_members_saving_linked_to_the_partnership_is_shown_to_its_staff(store: Store) {
        let f = fixture(store).await;
        let alpha = f
            .app
            .store
            .organisation_by_slug("alpha")
            .await
            .unwrap()
            .unwrap();
        let plan = f.app.store.list_plans("alpha").await.unwrap()[0].clone();
        let saving = fixture_plan().savings[0].reference.clone();
        let combined = f
            .app
            .store
            .partnership_by_slug("combined")
            .await
            .unwrap()
            .unwrap();
        let link = ngc_store::plans::links::NewLink {
            saving_reference: saving.clone(),
            kind: ngc_domain::finance::evidence::LinkKind::Partnership,
            target_id: combined.id,
            amount: None,
            baseline: None,
            note: String::new(),
        };
        f.app
            .store
            .link_saving(alpha.id, plan.id, &link, &Actor::system())
            .await
            .unwrap();
        let page = |who| {
            f.app
                .get("/partnerships/combined/consolidation", session(who))
        };
        let county = page(&f.county).await;
        assert_eq!(county.status, StatusCode::OK);
        assert!(
            county.body.contains(&format!("{saving} in {}", plan.name)),
            "{}",
            county.body
        );
        // South's staff do not see the county's plan.
        let south = page(&f.finance).await;
        assert!(
            !south.body.contains(&format!("{saving} in")),
            "{}",
            south.body
        );
    }
);

store_test!(
    async fn nobody_outside_the_partnership_sees_any_of_it(store: Store) {
        let f = fixture(store).await;
        assert_eq!(f.analysis(&f.outsider).await.status, StatusCode::FORBIDDEN);
        let r = f
            .app
            .get(
                "/api/v1/partnerships/combined/joint-tenders",
                bearer(&f.outsider),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let page = f
            .app
            .get(
                &format!("/partnerships/combined/consolidation{QUERY}"),
                session(&f.outsider),
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(!page.body.contains("N-WASTE"));
    }
);

store_test!(
    async fn a_joint_tender_starts_from_the_analysis_for_the_leads_commissioner_only(store: Store) {
        let f = fixture(store).await;
        let before = f.app.store.audit_head().await.unwrap();
        // The county is a member but holds no collection function; a finance officer runs
        // no tenders.
        for who in [&f.county, &f.finance] {
            let r = f.start(who, "JW-REFUSED").await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        }
        assert_eq!(f.app.store.audit_head().await.unwrap(), before);
        assert!(f.app.store.list_tenders().await.unwrap().is_empty());
        assert!(f.app.store.all_joint_tenders().await.unwrap().is_empty());
        // The lead district's commissioner sees the button and starts it from the page.
        let page = f
            .app
            .get(
                &format!("/partnerships/combined/consolidation{QUERY}"),
                session(&f.lead),
            )
            .await;
        assert!(page.body.contains("Start a joint tender"), "{}", page.body);
        let r = f
            .app
            .form(
                "/partnerships/combined/joint-tenders",
                session(&f.lead),
                &[
                    ("csrf", f.lead.csrf.as_str()),
                    ("category", "90511000"),
                    ("key", "tax_base"),
                    ("year", "2016-17"),
                    ("rate", "10"),
                    ("reference", "NDC-JW-1"),
                    ("title", "Joint waste collection"),
                    ("estimated_value", "10000000.00"),
                    ("submission_deadline", "2026-08-01T12:00"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let tender = f.app.store.list_tenders().await.unwrap().pop().unwrap();
        assert_eq!(
            r.location(),
            Some(format!("/procurement/tenders/{}", tender.id).as_str())
        );
        assert_eq!(tender.lead_organisation, "north");
        let mut buyers: Vec<(String, String)> = tender
            .buyers
            .iter()
            .map(|b| (b.organisation.clone(), b.share_percent.clone()))
            .collect();
        buyers.sort();
        assert_eq!(
            buyers,
            [("north".into(), "25".into()), ("south".into(), "75".into())]
        );
        let list = f
            .app
            .get(
                "/api/v1/partnerships/combined/joint-tenders",
                bearer(&f.finance),
            )
            .await;
        assert_eq!(list.status, StatusCode::OK);
        let list = list.json();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["reference"], "NDC-JW-1");
        assert_eq!(list[0]["baseline"], "2000000.00");
        assert_eq!(list[0]["saving"], "200000.00");
        // The same reference again: refused on the page, nothing more written.
        let head = f.app.store.audit_head().await.unwrap();
        let again = f.start(&f.lead, "NDC-JW-1").await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
        assert_eq!(f.app.store.audit_head().await.unwrap(), head);
    }
);

store_test!(
    async fn without_a_rate_the_saving_is_the_rate_past_joint_tenders_achieved(store: Store) {
        use ngc_domain::contracts::{Route, VatTreatment};
        use ngc_domain::money::Money;
        use ngc_domain::procurement::{ContractType, Regime};
        use ngc_store::contracts::NewContract;
        let f = fixture(store).await;
        let derived = "/api/v1/partnerships/combined/consolidation?category=90511000&key=tax_base&year=2016-17";
        // No joint tender has let a contract yet: there is no rate to derive, so no saving is
        // estimated (and none shared).
        let r = f.app.get(derived, bearer(&f.finance)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.json()["analysis"]["saving"].is_null(), "{}", r.body);

        // A joint tender from the analysis (baseline £2,000,000 a year) lets its contract at
        // £1,700,000 a year: 15% saved.
        let r = f.start(&f.lead, "NDC-JW-1").await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let tender = f.app.store.list_tenders().await.unwrap().pop().unwrap();
        let north = f.lead.user.organisation_id;
        let supplier = f
            .app
            .store
            .organisation_by_slug("alpha-care")
            .await
            .unwrap()
            .unwrap()
            .id;
        let value = Money::pence(510_000_000);
        f.app
            .store
            .create_contract(
                &NewContract {
                    organisation_id: north,
                    partnership_id: None,
                    reference: "NDC-JW-1/1".into(),
                    tender_id: Some(tender.id),
                    lot_number: Some(1),
                    award_id: None,
                    supplier_id: supplier,
                    supplier: Default::default(),
                    title: "Joint waste collection".into(),
                    description: String::new(),
                    // Not of the category, so the analysis's own contracts stay the two.
                    category: String::new(),
                    department: String::new(),
                    contract_type: ContractType::Services,
                    regime: Regime::Pa2023,
                    route: Route::Tender,
                    route_ground: String::new(),
                    value,
                    annual_value: Some(Money::pence(170_000_000)),
                    vat_treatment: VatTreatment::ExcludingVat,
                    irrecoverable_vat: Money::ZERO,
                    starts_on: "2027-10-01".parse().unwrap(),
                    ends_on: Some("2030-09-30".parse().unwrap()),
                    review_on: None,
                    extension_options: String::new(),
                    latest_end_on: None,
                    origin: "award",
                    buyers: vec![(north, "100".into(), value)],
                },
                &Actor::system(),
            )
            .await
            .unwrap();
        let r = f.app.get(derived, bearer(&f.finance)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let saving = &r.json()["analysis"]["saving"];
        assert_eq!(saving["rate"], "15", "{saving}");
        assert_eq!(saving["annual"], "300000.00", "{saving}");
        assert_eq!(saving["basis"], json!({"kind": "derived", "tenders": 1}));
        // The page says where the rate came from.
        let page = f
            .app
            .get(
                "/partnerships/combined/consolidation?category=90511000&key=tax_base&year=2016-17",
                session(&f.finance),
            )
            .await;
        assert!(
            page.body.contains("the rate 1 past joint tender achieved"),
            "{}",
            page.body
        );
    }
);
