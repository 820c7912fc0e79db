//! The authorisation matrix: every route of the router, for every role and for anonymous
//! visitors, on the user's own organisation and on another. A route without a row here
//! fails the test, so no route can be added without deciding who may use it.

use super::support::{ANON_CSRF, Auth, Reply, TestApp, TestUser};
use axum::http::{Method, StatusCode};
use ngc_domain::Role;
use ngc_store::store_test;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Own,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Authorised: a success, a redirect, or a complaint about the input (400, 409, 422).
    Pass,
    Forbidden,
    NotFound,
    /// 401 under /api, a redirect to /login for pages.
    SignIn,
}
use Outcome::*;

type Rule = fn(Option<Role>, Scope) -> Outcome;

fn public(_: Option<Role>, _: Scope) -> Outcome {
    Pass
}
/// Signing out always ends on the sign-in page, whoever asks.
fn ends_on_sign_in(_: Option<Role>, _: Scope) -> Outcome {
    SignIn
}
fn signed_in(r: Option<Role>, _: Scope) -> Outcome {
    if r.is_some() { Pass } else { SignIn }
}
fn only(r: Option<Role>, roles: &[Role]) -> Outcome {
    match r {
        None => SignIn,
        Some(r) if roles.contains(&r) => Pass,
        Some(_) => Forbidden,
    }
}
fn admin(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::Admin])
}
fn edit_organisation(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Admin), _) => Pass,
        (Some(Role::Finance | Role::Commissioner | Role::Provider), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
fn finance_area(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::Admin,
            Role::Finance,
            Role::Commissioner,
            Role::Partner,
        ],
    )
}
fn procurement_area(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::Admin,
            Role::Commissioner,
            Role::Evaluator,
            Role::Provider,
        ],
    )
}
fn contracts_area(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::Admin,
            Role::Finance,
            Role::Commissioner,
            Role::Provider,
        ],
    )
}
fn read_plans(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Admin), _) => Pass,
        (Some(Role::Finance | Role::Commissioner | Role::Partner), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
fn update_plans(r: Option<Role>, _: Scope) -> Outcome {
    only(r, &[Role::Admin, Role::Finance])
}
/// The API names the organisation: its own finance officers (or an admin) change its plans.
fn update_org_plans(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (Some(Role::Admin), _) | (Some(Role::Finance), Scope::Own) => Pass,
        _ => only(r, &[]),
    }
}
/// Finance pages act on the user's own organisation's plans: readers of its plans pass.
fn own_plans(r: Option<Role>, _: Scope) -> Outcome {
    only(
        r,
        &[
            Role::Admin,
            Role::Finance,
            Role::Commissioner,
            Role::Partner,
        ],
    )
}
fn own_token(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (None, _) => SignIn,
        (Some(_), Scope::Own) => Pass,
        (Some(_), Scope::Other) => NotFound,
    }
}
fn own_partnership(r: Option<Role>, s: Scope) -> Outcome {
    match (r, s) {
        (None, _) => SignIn,
        (Some(_), Scope::Own) => Pass,
        (Some(_), Scope::Other) => Forbidden,
    }
}

/// Who may use each route.
fn matrix() -> BTreeMap<(Method, &'static str), Rule> {
    let get = Method::GET;
    let post = Method::POST;
    let rows: Vec<(Method, &'static str, Rule)> = vec![
        // Infrastructure and public pages.
        (get.clone(), "/healthz", public),
        (get.clone(), "/readyz", public),
        (get.clone(), "/metrics", public),
        (get.clone(), "/static/htmx.min.js", public),
        (get.clone(), "/static/app.css", public),
        (get.clone(), "/api/v1/openapi.json", public),
        (get.clone(), "/login", public),
        (post.clone(), "/login", public),
        (post.clone(), "/logout", ends_on_sign_in),
        (get.clone(), "/open-data", public),
        // API.
        (get.clone(), "/api/v1/me", signed_in),
        (post.clone(), "/api/v1/tokens", public),
        (get.clone(), "/api/v1/tokens", signed_in),
        (Method::DELETE, "/api/v1/tokens/{id}", own_token),
        (get.clone(), "/api/v1/organisations", signed_in),
        (post.clone(), "/api/v1/organisations", admin),
        (get.clone(), "/api/v1/organisations/{slug}", signed_in),
        (
            Method::PUT,
            "/api/v1/organisations/{slug}",
            edit_organisation,
        ),
        (get.clone(), "/api/v1/partnerships", signed_in),
        (post.clone(), "/api/v1/partnerships", admin),
        (get.clone(), "/api/v1/partnerships/{slug}", signed_in),
        (Method::PUT, "/api/v1/partnerships/{slug}", admin),
        (post.clone(), "/api/v1/partnerships/{slug}/members", admin),
        (
            post.clone(),
            "/api/v1/partnerships/{slug}/members/{organisation}/leave",
            admin,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans",
            read_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/report",
            read_plans,
        ),
        (
            get.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/simulation",
            read_plans,
        ),
        (
            post.clone(),
            "/api/v1/organisations/{slug}/plans/{name}/delivery",
            update_org_plans,
        ),
        (
            Method::PUT,
            "/api/v1/organisations/{slug}/plans/{name}/assumptions",
            update_org_plans,
        ),
        (get.clone(), "/api/v1/users", admin),
        (post.clone(), "/api/v1/users", admin),
        (get.clone(), "/api/v1/audit", admin),
        // Pages.
        (get.clone(), "/", signed_in),
        (post.clone(), "/switch", own_partnership),
        (get.clone(), "/finance", finance_area),
        (get.clone(), "/finance/resilience", finance_area),
        (get.clone(), "/finance/budget", own_plans),
        (get.clone(), "/finance/plans/{name}", own_plans),
        (get.clone(), "/finance/plans/{name}/savings", own_plans),
        (
            post.clone(),
            "/finance/plans/{name}/assumptions",
            update_plans,
        ),
        (
            post.clone(),
            "/finance/plans/{name}/savings/{reference}/delivery",
            update_plans,
        ),
        (get.clone(), "/procurement", procurement_area),
        (get.clone(), "/contracts", contracts_area),
        (get.clone(), "/organisations", signed_in),
        (post.clone(), "/organisations", admin),
        (get.clone(), "/organisations/new", admin),
        (get.clone(), "/organisations/{slug}", signed_in),
        (post.clone(), "/organisations/{slug}", edit_organisation),
        (get.clone(), "/organisations/{slug}/edit", edit_organisation),
        (get.clone(), "/partnerships", signed_in),
        (post.clone(), "/partnerships", admin),
        (get.clone(), "/partnerships/new", admin),
        (get.clone(), "/partnerships/{slug}", signed_in),
        (post.clone(), "/partnerships/{slug}", admin),
        (get.clone(), "/partnerships/{slug}/edit", admin),
        (post.clone(), "/partnerships/{slug}/members", admin),
        (
            post.clone(),
            "/partnerships/{slug}/members/{organisation}/leave",
            admin,
        ),
        (get.clone(), "/admin", admin),
        (get.clone(), "/admin/users", admin),
        (post.clone(), "/admin/users", admin),
        (get.clone(), "/admin/audit", admin),
        (get.clone(), "/tokens", signed_in),
        (post.clone(), "/tokens", signed_in),
        (post.clone(), "/tokens/{id}/revoke", own_token),
    ];
    rows.into_iter().map(|(m, p, r)| ((m, p), r)).collect()
}

struct Case<'a> {
    app: &'a TestApp,
    role: Option<Role>,
    user: Option<&'a TestUser>,
    other: &'a TestUser,
    scope: Scope,
    n: usize,
}

impl Case<'_> {
    /// The organisation this case acts on.
    fn org(&self) -> &str {
        match (self.scope, self.user) {
            (Scope::Own, Some(u)) => &u.user.organisation,
            (Scope::Own, None) => "alpha",
            (Scope::Other, _) => "beta",
        }
    }

    fn partnership(&self) -> &str {
        match self.scope {
            Scope::Own => "alpha-alliance",
            Scope::Other => "beta-shared",
        }
    }

    async fn path(&self, template: &str) -> String {
        let plan = super::support::fixture_plan();
        let mut path = template
            .replace("{organisation}", self.org())
            .replace("{name}", &super::support::seg(&plan.name))
            .replace("{reference}", &plan.savings[0].reference);
        if template.starts_with("/organisations/") || template.starts_with("/api/v1/organisations/")
        {
            path = path.replace("{slug}", self.org());
        } else {
            path = path.replace("{slug}", self.partnership());
        }
        if path.contains("{id}") {
            // A fresh token each time: revoking it must not disturb the case's own token.
            let owner = match (self.scope, self.user) {
                (Scope::Own, Some(u)) => &u.user,
                _ => &self.other.user,
            };
            let (t, _) = self.app.store.create_token(owner, "victim").await.unwrap();
            path = path.replace("{id}", &t.id.to_string());
        }
        path
    }

    async fn partnership_id(&self) -> String {
        let p = self
            .app
            .store
            .partnership_by_slug(self.partnership())
            .await
            .unwrap()
            .unwrap();
        p.id.to_string()
    }

    fn unique(&self, what: &str) -> String {
        format!(
            "{what}-{}-{}",
            self.role.map_or("anon", |r| r.as_str()),
            self.n
        )
    }

    async fn send(&self, method: &Method, template: &str) -> Reply {
        let path = self.path(template).await;
        let api = path.starts_with("/api/");
        // Signing out ends the session, so it gets a session of its own.
        let fresh;
        let (secret, csrf) = match self.user {
            Some(u) if template == "/logout" => {
                fresh = self.app.store.create_session(&u.user).await.unwrap();
                (fresh.secret.as_str(), fresh.csrf_token.as_str())
            }
            Some(u) => (u.session.as_str(), u.csrf.as_str()),
            None => ("", ANON_CSRF),
        };
        let auth = match (self.user, api) {
            (None, _) => Auth::None,
            (Some(u), true) => Auth::Bearer(&u.token),
            (Some(_), false) => Auth::Session { secret, csrf },
        };
        let email = self
            .user
            .map_or("finance@alpha.test", |u| u.user.email.as_str());
        if *method == Method::GET {
            return self.app.get(&path, auth).await;
        }
        if api {
            let body = match template {
                "/api/v1/tokens" => json!({"email": email, "password": super::support::PASSWORD}),
                "/api/v1/organisations" => {
                    json!({"slug": self.unique("org"), "name": "New", "kind": "provider", "legal_form": "charity"})
                }
                "/api/v1/organisations/{slug}" => {
                    json!({"slug": self.org(), "name": "Renamed", "kind": "county", "legal_form": "local_authority"})
                }
                "/api/v1/partnerships" => {
                    json!({"slug": self.unique("p"), "name": "New", "kind": "alliance"})
                }
                "/api/v1/partnerships/{slug}" => {
                    json!({"slug": self.partnership(), "name": "Renamed", "kind": "alliance"})
                }
                "/api/v1/partnerships/{slug}/members" => {
                    json!({"organisation": "gamma", "joined_on": "2030-01-01"})
                }
                "/api/v1/partnerships/{slug}/members/{organisation}/leave" => {
                    json!({"left_on": "2031-01-01"})
                }
                "/api/v1/users" => {
                    json!({"email": format!("{}@new.test", self.unique("u")), "role": "finance", "organisation": "alpha", "password": "password-123"})
                }
                "/api/v1/organisations/{slug}/plans/{name}/delivery" => {
                    let plan = super::support::fixture_plan();
                    json!({"reference": plan.savings[0].reference, "year": "2015-16", "month": 3, "delivered": "1000.00", "rag": "amber"})
                }
                "/api/v1/organisations/{slug}/plans/{name}/assumptions" => {
                    json!([{"year": "2016-17", "council_tax_increase_pct": "1.5"}])
                }
                _ => json!({}),
            };
            return self.app.json(method.clone(), &path, auth, body).await;
        }
        let unique = self.unique("x");
        let pid = self.partnership_id().await;
        let fields: Vec<(&str, &str)> = match template {
            "/login" => vec![("email", email), ("password", super::support::PASSWORD)],
            "/switch" => vec![("partnership", pid.as_str())],
            "/organisations" => vec![
                ("slug", unique.as_str()),
                ("name", "New"),
                ("kind", "provider"),
                ("legal_form", "charity"),
            ],
            "/organisations/{slug}" => vec![
                ("name", "Renamed"),
                ("kind", "county"),
                ("legal_form", "local_authority"),
            ],
            "/partnerships" => vec![
                ("slug", unique.as_str()),
                ("name", "New"),
                ("kind", "alliance"),
            ],
            "/partnerships/{slug}" => vec![("name", "Renamed"), ("kind", "alliance")],
            "/partnerships/{slug}/members" => {
                vec![("organisation", "gamma"), ("joined_on", "2030-01-01")]
            }
            "/partnerships/{slug}/members/{organisation}/leave" => vec![("left_on", "2031-01-01")],
            "/admin/users" => vec![
                ("email", "someone@new.test"),
                ("role", "finance"),
                ("organisation", "alpha"),
                ("password", "password-123"),
            ],
            "/tokens" => vec![("name", "mine")],
            "/finance/plans/{name}/assumptions" => {
                vec![("council_tax_increase_pct:2016-17", "1.5")]
            }
            "/finance/plans/{name}/savings/{reference}/delivery" => vec![
                ("year", "2015-16"),
                ("month", "3"),
                ("delivered", "1000.00"),
                ("rag", "amber"),
            ],
            _ => vec![],
        };
        let mut all = vec![("csrf", csrf)];
        all.extend(fields);
        self.app.form(&path, auth, &all).await
    }
}

fn outcome_of(reply: &Reply, api: bool) -> Outcome {
    match reply.status {
        StatusCode::UNAUTHORIZED if api => SignIn,
        StatusCode::SEE_OTHER if !api && reply.location() == Some("/login") => SignIn,
        StatusCode::FORBIDDEN => Forbidden,
        StatusCode::NOT_FOUND => NotFound,
        s if s.is_success() || s.is_redirection() => Pass,
        StatusCode::BAD_REQUEST | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY => Pass,
        s => panic!("unexpected status {s}: {}", reply.body),
    }
}

store_test!(
    async fn every_route_is_authorised_by_role_and_organisation(store: Store) {
        let app = TestApp::new(store).await;
        let matrix = matrix();
        let served: Vec<(Method, String)> = app
            .routes
            .iter()
            .map(|r| (r.method.clone(), r.path.clone()))
            .collect();
        let missing: Vec<_> = served
            .iter()
            .filter(|(m, p)| !matrix.contains_key(&(m.clone(), p.as_str())))
            .collect();
        assert!(
            missing.is_empty(),
            "routes with no row in the authorisation matrix: {missing:?}"
        );
        let stale: Vec<_> = matrix
            .keys()
            .filter(|(m, p)| !served.iter().any(|(sm, sp)| sm == m && sp == p))
            .collect();
        assert!(
            stale.is_empty(),
            "matrix rows for routes the router does not serve: {stale:?}"
        );

        let mut users = BTreeMap::new();
        for &role in Role::ALL {
            users.insert(role.as_str(), app.user_for(role).await);
        }
        let other = app.user("finance@beta.test", "beta", Role::Finance).await;
        let mut failures = Vec::new();
        let mut n = 0;
        for ((method, template), rule) in &matrix {
            let roles = std::iter::once(None).chain(Role::ALL.iter().copied().map(Some));
            for role in roles {
                for scope in [Scope::Own, Scope::Other] {
                    n += 1;
                    let case = Case {
                        app: &app,
                        role,
                        user: role.map(|r| &users[r.as_str()]),
                        other: &other,
                        scope,
                        n,
                    };
                    let reply = case.send(method, template).await;
                    let got = outcome_of(&reply, template.starts_with("/api/"));
                    let want = rule(role, scope);
                    if got != want {
                        failures.push(format!("{method} {template} as {role:?} on {scope:?}: want {want:?}, got {got:?} ({})", reply.status));
                    }
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {n} cases failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);
