//! Registration facts are changed only by an instance administrator; an organisation's own
//! users edit its contact details and request registration changes with evidence.

use super::support::{Auth, TestApp, session};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_domain::organisation::OrgKind;
use ngc_store::organisations::Organisation;
use ngc_store::store_test;
use serde_json::json;

async fn alpha_care(app: &TestApp) -> Organisation {
    app.store
        .organisation_by_slug("alpha-care")
        .await
        .unwrap()
        .unwrap()
}

store_test!(
    async fn a_providers_token_cannot_make_it_a_county_council_or_a_mutual(store: Store) {
        let app = TestApp::new(store).await;
        let p = app.user_for(Role::Provider).await;
        let before = alpha_care(&app).await;
        let head = app.store.audit_head().await.unwrap();

        let put = json!({"slug": "alpha-care", "name": "Alpha Care Ltd", "kind": "county",
            "legal_form": "company_limited_by_shares", "owner": "alpha",
            "description": "sneaked in alongside"});
        let r = app
            .json(
                Method::PUT,
                "/api/v1/organisations/alpha-care",
                Auth::Bearer(&p.token),
                put,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.starts_with("kind:"), "{message}");

        let patch = json!({"public_service_mutual": true});
        let r = app
            .json(
                Method::PATCH,
                "/api/v1/organisations/alpha-care",
                Auth::Bearer(&p.token),
                patch,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.starts_with("public_service_mutual:"), "{message}");

        let patch = json!({"kind": "county", "legal_form": "public_service_mutual"});
        let r = app
            .json(
                Method::PATCH,
                "/api/v1/organisations/alpha-care",
                Auth::Bearer(&p.token),
                patch,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.starts_with("kind, legal_form:"), "{message}");

        // The same through the page form.
        let r = app
            .form(
                "/organisations/alpha-care",
                session(&p),
                &[("csrf", &p.csrf), ("kind", "county"), ("description", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert!(r.body.contains("kind:"), "{}", r.body);

        assert_eq!(app.store.audit_head().await.unwrap(), head);
        assert_eq!(alpha_care(&app).await, before);
    }
);

store_test!(
    async fn own_staff_change_contact_details_through_the_api_and_the_page(store: Store) {
        let app = TestApp::new(store).await;
        let p = app.user_for(Role::Provider).await;
        let r = app
            .json(
                Method::PATCH,
                "/api/v1/organisations/alpha-care",
                Auth::Bearer(&p.token),
                json!({"contact_phone": "01604 000000", "description": "Home care."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["contact_phone"], "01604 000000");
        assert_eq!(r.json()["kind"], "provider");

        let r = app
            .form(
                "/organisations/alpha-care",
                session(&p),
                &[
                    ("csrf", &p.csrf),
                    ("website", "nope"),
                    ("address", "1 Road"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("https://"), "{}", r.body);
        let r = app
            .form(
                "/organisations/alpha-care",
                session(&p),
                &[
                    ("csrf", &p.csrf),
                    ("website", "https://care.example"),
                    ("address", "1 Road"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let org = alpha_care(&app).await;
        assert_eq!(org.contact.website, "https://care.example");
        assert_eq!(org.contact.address, "1 Road");
        assert_eq!(org.contact.description, "Home care.");
        // The provider's edit form offers no registration fact.
        let form = app.get("/organisations/alpha-care/edit", session(&p)).await;
        assert!(!form.body.contains(r#"name="kind""#), "{}", form.body);
        assert!(form.body.contains(r#"name="website""#));
    }
);

store_test!(
    async fn a_requested_change_is_applied_only_when_an_instance_admin_approves(store: Store) {
        let app = TestApp::new(store).await;
        let p = app.user_for(Role::Provider).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let outsider = app.user("finance@beta.test", "beta", Role::Finance).await;

        let r = app
            .json(
                Method::POST,
                "/api/v1/organisations/alpha-care/registration-requests",
                Auth::Bearer(&p.token),
                json!({"public_service_mutual": true, "legal_form": "community_interest_company",
                    "evidence": "Spun out of Alpha on 1 April; Companies House 12345678"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().unwrap();
        assert_eq!(r.json()["status"], "pending");
        assert_eq!(
            r.json()["previous"]["legal_form"],
            "company_limited_by_shares"
        );
        assert!(!alpha_care(&app).await.public_service_mutual);

        // Neither the provider nor another organisation decides it.
        let head = app.store.audit_head().await.unwrap();
        let path = format!("/api/v1/organisations/alpha-care/registration-requests/{id}/decision");
        for u in [&p, &outsider] {
            let r = app
                .json(
                    Method::POST,
                    &path,
                    Auth::Bearer(&u.token),
                    json!({"approve": true}),
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        }
        // Another organisation's user cannot read the history.
        let r = app
            .get(
                "/api/v1/organisations/alpha-care/registration-requests",
                Auth::Bearer(&outsider.token),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(app.store.audit_head().await.unwrap(), head);
        assert!(!alpha_care(&app).await.public_service_mutual);

        let r = app
            .json(
                Method::POST,
                &path,
                Auth::Bearer(&admin.token),
                json!({"approve": true, "note": "checked"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["status"], "approved");
        assert_eq!(r.json()["decided_by"], admin.user.email.as_str());
        let org = alpha_care(&app).await;
        assert!(org.public_service_mutual);
        assert_eq!(org.kind, OrgKind::Provider);
        assert_eq!(org.legal_form.as_str(), "community_interest_company");

        // The history is on the organisation's page for its own users.
        let page = app.get("/organisations/alpha-care", session(&p)).await;
        assert!(
            page.body.contains(r#"id="registration-requests""#),
            "{}",
            page.body
        );
        assert!(page.body.contains("Spun out of Alpha"), "{}", page.body);
        assert!(page.body.contains("Approved"), "{}", page.body);
        let list = app
            .get(
                "/api/v1/organisations/alpha-care/registration-requests",
                Auth::Bearer(&p.token),
            )
            .await;
        assert_eq!(list.json().as_array().unwrap().len(), 1);
        // But not for another organisation's.
        let page = app
            .get("/organisations/alpha-care", session(&outsider))
            .await;
        assert!(!page.body.contains("Spun out of Alpha"), "{}", page.body);

        // A decided request cannot be decided again.
        let r = app
            .json(
                Method::POST,
                &path,
                Auth::Bearer(&admin.token),
                json!({"approve": false, "note": "no"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    }
);

store_test!(
    async fn requests_are_made_and_refused_through_the_pages(store: Store) {
        let app = TestApp::new(store).await;
        let p = app.user_for(Role::Provider).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let page = app.get("/organisations/alpha-care", session(&p)).await;
        assert!(
            page.body.contains(r#"id="request-change""#),
            "{}",
            page.body
        );

        let r = app
            .form(
                "/organisations/alpha-care/registration-requests",
                session(&p),
                &[("csrf", &p.csrf), ("kind", "county"), ("evidence", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .form(
                "/organisations/alpha-care/registration-requests",
                session(&p),
                &[
                    ("csrf", &p.csrf),
                    ("kind", "county"),
                    ("vcse", "yes"),
                    ("evidence", "We merged"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let org = alpha_care(&app).await;
        let pending = app.store.registration_requests_of(org.id).await.unwrap();
        assert_eq!(pending.len(), 1);

        let index = app.get("/admin", session(&admin)).await;
        assert!(
            index.body.contains("Kind: County council"),
            "{}",
            index.body
        );
        let path = format!(
            "/organisations/alpha-care/registration-requests/{}/decision",
            pending[0].id
        );
        let r = app
            .form(
                &path,
                session(&admin),
                &[("csrf", &admin.csrf), ("decision", "refuse"), ("note", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let r = app
            .form(
                &path,
                session(&admin),
                &[
                    ("csrf", &admin.csrf),
                    ("decision", "refuse"),
                    ("note", "No evidence of a merger"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(alpha_care(&app).await, org);
        let page = app.get("/organisations/alpha-care", session(&p)).await;
        assert!(
            page.body.contains("No evidence of a merger"),
            "{}",
            page.body
        );
    }
);

store_test!(
    async fn an_instance_admin_changes_registration_facts_directly(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let r = app
            .json(
                Method::PATCH,
                "/api/v1/organisations/alpha-care",
                Auth::Bearer(&admin.token),
                json!({"sme": true, "owner": ""}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let org = alpha_care(&app).await;
        assert!(org.sme);
        assert_eq!(org.owner, None);
        let last = app.store.audit_page(None, 1).await.unwrap();
        assert_eq!(last[0].record.action, "organisation.update");
    }
);

store_test!(
    async fn the_instance_admins_edit_form_carries_the_registration_facts(store: Store) {
        let app = TestApp::new(store).await;
        let admin = app.user_for(Role::InstanceAdmin).await;
        let form = app
            .get("/organisations/alpha-care/edit", session(&admin))
            .await;
        assert!(form.body.contains(r#"name="kind""#), "{}", form.body);
        assert!(
            form.body.contains(r#"name="registration""#),
            "{}",
            form.body
        );
        // Unticked boxes clear the flags only on this form.
        let r = app
            .form(
                "/organisations/alpha-care",
                session(&admin),
                &[
                    ("csrf", &admin.csrf),
                    ("registration", "on"),
                    ("name", "Alpha Care CIC"),
                    ("kind", "provider"),
                    ("legal_form", "community_interest_company"),
                    ("vcse", "on"),
                    ("identifiers", ""),
                    ("owner", "alpha"),
                    ("description", "Spun out"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let org = alpha_care(&app).await;
        assert_eq!(org.name, "Alpha Care CIC");
        assert!(org.vcse && !org.sme);
        assert_eq!(org.contact.description, "Spun out");
        // The organisation administrator's admin page shows no audit trail.
        let org_admin = app.user_for(Role::OrgAdmin).await;
        let index = app.get("/admin", session(&org_admin)).await;
        assert_eq!(index.status, StatusCode::OK);
        assert!(!index.body.contains("audit-status"), "{}", index.body);
        let index = app.get("/admin", session(&admin)).await;
        assert!(
            index.body.contains("audit records check out"),
            "{}",
            index.body
        );
    }
);
