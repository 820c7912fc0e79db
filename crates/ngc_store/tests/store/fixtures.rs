//! Small builders shared by the store tests.

use ngc_domain::organisation::{LegalForm, OrgKind, OrganisationDraft};
use ngc_domain::slug::Slug;

pub fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

pub fn council(s: &str, name: &str) -> OrganisationDraft {
    OrganisationDraft {
        slug: slug(s),
        name: name.into(),
        kind: OrgKind::County,
        legal_form: LegalForm::LocalAuthority,
        sme: false,
        vcse: false,
        public_service_mutual: false,
        identifiers: vec![],
        owner: None,
    }
}

pub fn provider(s: &str, name: &str, owner: Option<&str>) -> OrganisationDraft {
    OrganisationDraft {
        kind: OrgKind::Provider,
        legal_form: LegalForm::CommunityInterestCompany,
        sme: true,
        vcse: true,
        owner: owner.map(slug),
        ..council(s, name)
    }
}

/// A joint waste tender of two councils (Northampton leads, 60/40), two lots, closing at
/// `deadline`, created by a commissioner of the lead (whose user id it returns with it).
/// The councils, the commissioner and an evaluator of each council are created here.
pub async fn joint_tender(
    store: &ngc_store::Store,
    deadline: chrono::DateTime<chrono::Utc>,
) -> (ngc_store::tenders::Tender, TenderPeople) {
    use ngc_domain::Role;
    use ngc_domain::money::Money;
    use ngc_domain::procurement::{
        ClassificationScheme, CommencingEvent, ContractType, Procedure, Reservation,
    };
    use ngc_store::Actor;
    use ngc_store::tenders::{NewLot, NewTender};
    use ngc_store::users::NewUser;
    use rust_decimal::Decimal;

    let a = Actor::system();
    for (s, n) in [("northampton", "Northampton"), ("corby", "Corby")] {
        store.create_organisation(&council(s, n), &a).await.unwrap();
    }
    let mut ids = Vec::new();
    for (email, org, role) in [
        ("lead@northampton.test", "northampton", Role::Commissioner),
        ("eval@northampton.test", "northampton", Role::Evaluator),
        ("eval@corby.test", "corby", Role::Evaluator),
    ] {
        let u = store
            .create_user(
                &NewUser {
                    email,
                    name: "",
                    role,
                    organisation: org,
                    password: "a long enough password",
                },
                &a,
            )
            .await
            .unwrap();
        ids.push(u.id);
    }
    let new = NewTender {
        reference: "NBC-2026-001".into(),
        lead_organisation: "northampton".into(),
        procurement_lead_id: ids[0],
        title: "Joint waste collection".into(),
        description: "One collection contract for two councils".into(),
        classification_scheme: ClassificationScheme::Cpv,
        classification_code: "90511000-2".into(),
        contract_type: ContractType::Services,
        procedure: Procedure::Open,
        commencing_event: CommencingEvent::ContractNotice,
        commenced_on: "2026-11-14".parse().unwrap(),
        estimated_value: Money::pounds(12_000_000),
        vat_inclusive: false,
        above_threshold: true,
        reservation: Reservation::None,
        two_envelope: false,
        criteria: serde_json::json!({"name": "Tender criteria"}),
        clarification_deadline: None,
        submission_deadline: deadline,
        buyers: vec![
            ("northampton".into(), Decimal::new(60, 0)),
            ("corby".into(), Decimal::new(40, 0)),
        ],
        lots: vec![
            NewLot {
                title: "North".into(),
                description: String::new(),
                estimated_value: Money::pounds(7_000_000),
                criteria: None,
            },
            NewLot {
                title: "South".into(),
                description: String::new(),
                estimated_value: Money::pounds(5_000_000),
                criteria: None,
            },
        ],
    };
    let t = store.create_tender(&new, &a).await.unwrap();
    (
        t,
        TenderPeople {
            lead: ids[0],
            lead_evaluator: ids[1],
            partner_evaluator: ids[2],
        },
    )
}

/// The users [`joint_tender`] makes.
#[derive(Debug, Clone, Copy)]
pub struct TenderPeople {
    pub lead: i64,
    pub lead_evaluator: i64,
    pub partner_evaluator: i64,
}

/// A contract of `holder`'s register, supplied by `supplier`, bought by the holder alone.
pub fn contract(
    holder: i64,
    reference: &str,
    supplier: i64,
    value: ngc_domain::money::Money,
    starts_on: &str,
    ends_on: Option<&str>,
) -> ngc_store::contracts::NewContract {
    use ngc_domain::contracts::{Route, VatTreatment};
    use ngc_domain::procurement::{ContractType, Regime};
    ngc_store::contracts::NewContract {
        organisation_id: holder,
        partnership_id: None,
        reference: reference.into(),
        tender_id: None,
        lot_number: None,
        award_id: None,
        supplier_id: supplier,
        supplier: ngc_store::contracts::SupplierSnapshot::default(),
        title: format!("Contract {reference}"),
        description: String::new(),
        category: String::new(),
        department: String::new(),
        contract_type: ContractType::Services,
        regime: Regime::Pcr2015,
        route: Route::Tender,
        route_ground: String::new(),
        value,
        annual_value: None,
        vat_treatment: VatTreatment::ExcludingVat,
        irrecoverable_vat: ngc_domain::money::Money::ZERO,
        starts_on: starts_on.parse().unwrap(),
        ends_on: ends_on.map(|d| d.parse().unwrap()),
        review_on: None,
        extension_options: String::new(),
        latest_end_on: None,
        origin: "entered",
        buyers: vec![(holder, "100".into(), value)],
    }
}

/// A SQLite database file in `dir` as a release before migration `version` left it: migrated
/// up to `version - 1` only. Gives its URL and a pool on it, to be closed before the store
/// opens it (and runs the rest).
pub async fn sqlite_before_migration(
    dir: &std::path::Path,
    version: i64,
) -> (String, sqlx::SqlitePool) {
    use sqlx::migrate::Migrator;
    let url = format!("sqlite://{}", dir.join("old.db").display());
    let options = url
        .parse::<sqlx::sqlite::SqliteConnectOptions>()
        .unwrap()
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let all = sqlx::migrate!("./migrations/sqlite");
    let before = Migrator {
        migrations: all
            .migrations
            .iter()
            .filter(|m| m.version < version)
            .cloned()
            .collect::<Vec<_>>()
            .into(),
        ..Migrator::DEFAULT
    };
    before.run(&pool).await.unwrap();
    (url, pool)
}
