//! The Transparency Code datasets, published: no sign-in; each council's files hold only its
//! own records; personal data is redacted and counted; the CSV, JSON, 360Giving and CSVW
//! downloads are exactly as pinned here for a small fixture.

use super::support::{Auth, TestApp};
use axum::http::StatusCode;
use chrono::NaiveDate;
use ngc_app::Caller;
use ngc_domain::spend::journals::ExpenseCodes;
use ngc_store::{Clock, Store, store_test};
use std::path::Path;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

const ALPHA_SPEND: &str =
    "Service,Supplier Name,Payment Date,Transaction Number,Net Amount,Expense Type,Purpose
Highways,Tarmac Ltd,12/05/2016,T1,\"£1,250.50\",Road repairs,Pothole repairs on the A45
Adult Social Care,Jane Smith,13/05/2016,T2,620.00,Direct Payments,
";
const ALPHA_CARD: &str = "Service,Supplier Name,Payment Date,Transaction Number,Amount,Expense Type,Merchant Category Code
Libraries,Book Shop,20/06/2016,C1,45.99,Books,5942
";
const BETA_SPEND: &str =
    "Service,Supplier Name,Payment Date,Transaction Number,Net Amount,Expense Type
Waste,Beta Bins Ltd,12/05/2016,B1,99999.00,Collection
";
const ALPHA_GRANTS: &str = "Identifier,Title,Description,Currency,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,Recipient Org:Charity Number,Funding Org:Department,Grant Programme:Code,Grant Programme:Title
360G-alpha-1,Lunch club,Weekly lunch club for older people,GBP,2500.00,2016-07-01,GB-CHC-1111111,Alpha Age Concern,1111111,Communities,VCS,Voluntary sector grants
";

async fn import(app: &TestApp, org: &str, name: &str, text: &str) {
    let file = ngc_io::spend::from_bytes(Path::new(name), text.as_bytes().to_vec());
    let codes = ExpenseCodes::default();
    ngc_app::spend::import(&app.store, &Caller::System, org, file, None, &codes, None)
        .await
        .unwrap();
}

async fn fixture(store: Store) -> TestApp {
    let app = TestApp::new(store.with_clock(Clock::on(d("2026-10-15")))).await;
    import(&app, "alpha", "alpha-2016-05.csv", ALPHA_SPEND).await;
    import(&app, "alpha", "alpha-card-2016-06.csv", ALPHA_CARD).await;
    import(&app, "beta", "beta-2016-05.csv", BETA_SPEND).await;
    let grants = ngc_io::grants::read_grants_bytes(Path::new("g.csv"), ALPHA_GRANTS.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    ngc_app::transparency::import_grants(&app.store, &Caller::System, "alpha", "g.csv", &grants)
        .await
        .unwrap();
    app
}

const YEAR: &str = "from=2016-04-01&to=2017-03-31";

store_test!(
    async fn the_spend_file_holds_the_councils_own_lines_with_individuals_redacted(store: Store) {
        let app = fixture(store).await;
        let r = app
            .get(
                &format!("/open-data/alpha/datasets/spend?{YEAR}"),
                Auth::None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
        assert_eq!(
            r.headers["content-disposition"],
            "attachment; filename=\"alpha-spend-2016-17.csv\""
        );
        assert_eq!(r.headers["x-redacted"], "1");
        assert_eq!(
            r.body,
            "OrganisationLabel,OrganisationURI,EffectiveDate,OrganisationalUnit,BeneficiaryName,BeneficiaryOtherID,PaymentDate,TransactionNumber,Amount,IrrecoverableVATAmount,Purpose,ProclassLabel,ProclassCode,InvoiceNumber\n\
             Alpha County Council,,2016-05-31,Highways,Tarmac Ltd,,2016-05-12,T1,1250.50,0.00,Pothole repairs on the A45,Road repairs,,\n\
             Alpha County Council,,2016-05-31,Adult Social Care,Redacted – personal data,,2016-05-13,T2,620.00,0.00,Direct Payments,Direct Payments,,\n"
        );
        let card = app
            .get(
                &format!("/open-data/alpha/datasets/card?{YEAR}"),
                Auth::None,
            )
            .await
            .body;
        assert_eq!(
            card,
            "OrganisationLabel,OrganisationURI,EffectiveDate,OrganisationalUnit,BeneficiaryName,PaymentDate,Amount,IrrecoverableVATAmount,Purpose,CategoryInternalName,MerchantCategoryCode\n\
             Alpha County Council,,2016-06-30,Libraries,Book Shop,2016-06-20,45.99,0.00,Books,Books,5942\n"
        );
        let beta = app
            .get(
                &format!("/open-data/beta/datasets/spend?{YEAR}"),
                Auth::None,
            )
            .await
            .body;
        assert!(
            beta.contains("Beta Bins Ltd") && !beta.contains("Tarmac"),
            "{beta}"
        );
        let json = app
            .get(
                &format!("/open-data/alpha/datasets/spend?{YEAR}&format=json"),
                Auth::None,
            )
            .await
            .json();
        assert_eq!(json["rows"].as_array().unwrap().len(), 2);
        assert_eq!(
            json["rows"][1]["BeneficiaryName"],
            "Redacted – personal data"
        );
        assert_eq!(json["rows"][0]["Amount"], "1250.50");
        assert_eq!(
            json["redacted"]["by_rule"],
            serde_json::json!([["direct-payments", 1]])
        );
        // Another year holds none of it.
        let empty = app
            .get(
                "/open-data/alpha/datasets/spend?from=2017-04-01&to=2018-03-31",
                Auth::None,
            )
            .await
            .body;
        assert_eq!(empty.lines().count(), 1, "{empty}");
    }
);

store_test!(
    async fn grants_are_published_as_csv_and_360giving_with_their_csvw(store: Store) {
        let app = fixture(store).await;
        let json = app
            .get(
                &format!("/open-data/alpha/datasets/grants?{YEAR}&format=json"),
                Auth::None,
            )
            .await
            .json();
        assert_eq!(
            json,
            serde_json::json!({"grants": [{
                "id": "360G-alpha-1",
                "title": "Lunch club",
                "description": "Weekly lunch club for older people",
                "currency": "GBP",
                "amountAwarded": 2500.0,
                "awardDate": "2016-07-01",
                "recipientOrganization": [{"id": "GB-CHC-1111111", "name": "Alpha Age Concern", "charityNumber": "1111111"}],
                "fundingOrganization": [{"id": "", "name": "Alpha County Council", "department": "Communities"}],
                "grantProgramme": [{"code": "VCS", "title": "Voluntary sector grants"}]
            }]})
        );
        let csv = app
            .get(
                &format!("/open-data/alpha/datasets/grants?{YEAR}"),
                Auth::None,
            )
            .await
            .body;
        assert!(
            csv.starts_with("Identifier,Title,Description,Currency,Amount Awarded,"),
            "{csv}"
        );
        assert!(csv.contains("360G-alpha-1,Lunch club,Weekly lunch club for older people,GBP,2500.00,,2016-07-01,"), "{csv}");
        let beta = app
            .get(
                &format!("/open-data/beta/datasets/grants?{YEAR}&format=json"),
                Auth::None,
            )
            .await
            .json();
        assert_eq!(beta, serde_json::json!({"grants": []}));
        let csvw = app
            .get(
                &format!("/open-data/alpha/datasets/grants?{YEAR}&format=csvw"),
                Auth::None,
            )
            .await
            .json();
        assert_eq!(
            csvw["url"],
            format!("/open-data/alpha/datasets/grants?{YEAR}")
        );
        assert_eq!(csvw["tableSchema"]["columns"][0]["titles"], "Identifier");
        assert_eq!(csvw["dc:publisher"], "Alpha County Council");
    }
);

store_test!(
    async fn the_pages_list_each_years_downloads_and_refuse_bad_requests(store: Store) {
        let app = fixture(store).await;
        let index = app.get("/open-data", Auth::None).await;
        assert_eq!(index.status, StatusCode::OK);
        assert!(
            index.body.contains("href=\"/open-data/alpha\"")
                && index.body.contains("href=\"/open-data/gamma\""),
            "{}",
            index.body
        );
        assert!(
            !index.body.contains("href=\"/open-data/alpha-care\""),
            "{}",
            index.body
        );
        let page = app.get("/open-data/alpha", Auth::None).await;
        assert_eq!(page.status, StatusCode::OK);
        for want in [
            ">2016-17<",
            ">2026-27<",
            "/open-data/alpha/datasets/spend?from=2016-04-01&amp;to=2017-03-31",
            "/open-data/alpha/datasets/grants?from=2016-04-01&amp;to=2017-03-31&amp;format=json",
            "direct-payments",
            "/open-data/alpha/payment-compliance",
            // Alpha has no org-id: its 360Giving names no funder identifier, and says so.
            "id=\"no-org-id\"",
        ] {
            assert!(page.body.contains(want), "{want}: {}", page.body);
        }
        assert_eq!(
            app.get("/open-data/nowhere", Auth::None).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/open-data/alpha/datasets/salaries", Auth::None)
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get("/open-data/alpha/datasets/spend?format=xml", Auth::None)
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            app.get(
                "/open-data/alpha/datasets/spend?from=2017-01-01&to=2016-01-01",
                Auth::None
            )
            .await
            .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
);
