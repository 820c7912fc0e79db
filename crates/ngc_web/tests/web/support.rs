//! A test app with a small fixture: two councils, a district, a council-owned provider,
//! two partnerships, and one user per role.

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use ngc_domain::Role;
use ngc_domain::organisation::{LegalForm, OrgKind, OrganisationDraft};
use ngc_domain::pack::{DataPack, MembershipDraft, PartnershipDraft};
use ngc_domain::partnership::PartnershipKind;
use ngc_domain::slug::Slug;
use ngc_store::users::{NewUser, User};
use ngc_store::{Actor, Store};
use ngc_web::{AppState, RouteSpec, WebConfig, build_router};
use serde_json::Value;
use std::net::SocketAddr;
use tower::ServiceExt;

pub const PASSWORD: &str = "password-123";

/// A fixture user with a bearer token and a session.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub user: User,
    pub token: String,
    pub session: String,
    pub csrf: String,
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    None,
    Bearer(&'a str),
    Session { secret: &'a str, csrf: &'a str },
}

/// A response with its body read.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

pub struct TestApp {
    pub store: Store,
    pub router: Router,
    pub routes: Vec<RouteSpec>,
    /// The app's state (its figures cache, for tests that count computations).
    pub state: AppState,
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

fn org(
    s: &str,
    name: &str,
    kind: OrgKind,
    legal_form: LegalForm,
    owner: Option<&str>,
) -> OrganisationDraft {
    OrganisationDraft {
        slug: slug(s),
        name: name.into(),
        kind,
        legal_form,
        sme: false,
        vcse: false,
        public_service_mutual: false,
        identifiers: vec![],
        owner: owner.map(slug),
    }
}

fn member(p: &str, o: &str) -> MembershipDraft {
    MembershipDraft {
        partnership: slug(p),
        organisation: slug(o),
        joined_on: "2015-04-01".parse().unwrap(),
        left_on: None,
    }
}

/// The fixture's organisations and partnerships.
pub fn fixture_pack() -> DataPack {
    use LegalForm::*;
    use OrgKind::*;
    DataPack {
        name: "fixture".into(),
        organisations: vec![
            org(
                "alpha",
                "Alpha County Council",
                County,
                LocalAuthority,
                None,
            ),
            org("beta", "Beta County Council", County, LocalAuthority, None),
            org(
                "gamma",
                "Gamma District Council",
                District,
                LocalAuthority,
                None,
            ),
            org(
                "alpha-care",
                "Alpha Care Ltd",
                Provider,
                CompanyLimitedByShares,
                Some("alpha"),
            ),
        ],
        partnerships: vec![
            PartnershipDraft {
                slug: slug("alpha-alliance"),
                name: "Alpha Alliance".into(),
                kind: PartnershipKind::Alliance,
                lead: Some(slug("alpha")),
                description: String::new(),
            },
            PartnershipDraft {
                slug: slug("alpha-shared"),
                name: "Alpha Shared Services".into(),
                kind: PartnershipKind::SharedService,
                lead: Some(slug("alpha")),
                description: String::new(),
            },
            PartnershipDraft {
                slug: slug("beta-shared"),
                name: "Beta Shared Services".into(),
                kind: PartnershipKind::SharedService,
                lead: Some(slug("beta")),
                description: String::new(),
            },
        ],
        memberships: vec![
            member("alpha-alliance", "alpha"),
            member("alpha-alliance", "alpha-care"),
            member("alpha-shared", "alpha"),
            member("alpha-shared", "beta"),
            member("beta-shared", "beta"),
            member("beta-shared", "gamma"),
        ],
        plans: Vec::new(),
        plan_dirs: Vec::new(),
    }
}

/// Imports an `hr` service hosted by `host` into the shared-service partnership `slug`, with
/// its 2015-16 cost `pool` (pence) shared 50:50 between `partners`; gives the partnership's id.
pub async fn import_hr_year(
    store: &Store,
    slug: &str,
    host: &str,
    partners: [&str; 2],
    pool: i64,
) -> i64 {
    use ngc_domain::shared_services::{Agreement, Basis, Provenance, ServiceDraft, YearDraft};
    let p = store.partnership_by_slug(slug).await.unwrap().unwrap();
    let ids = p
        .members
        .iter()
        .map(|m| (m.organisation.parse().unwrap(), m.organisation_id))
        .collect();
    let agreement = Agreement {
        services: vec![ServiceDraft {
            code: "hr".into(),
            name: "Human resources".into(),
            host: host.parse().unwrap(),
        }],
        years: vec![YearDraft {
            service: "hr".into(),
            year: "2015-16".parse().unwrap(),
            pool: ngc_domain::money::Money::pence(pool),
            basis: Basis::FixedShares,
            weights: partners
                .iter()
                .map(|o| (o.parse().unwrap(), "50".parse().unwrap()))
                .collect(),
            fees: Vec::new(),
            income_key: None,
            provenance: Provenance {
                source: "agreement 2015".into(),
                confirmed: true,
            },
        }],
        ..Agreement::default()
    };
    store
        .import_shared_services(p.id, &agreement, &ids, &Actor::system())
        .await
        .unwrap();
    p.id
}

/// The domain's Northamptonshire-shaped test plan, owned by alpha.
pub fn fixture_plan() -> ngc_domain::finance::mtfp::Plan {
    let mut plan = ngc_domain::finance::fixtures::demo_plan();
    plan.organisation = "alpha".into();
    plan
}

/// A path segment with its spaces encoded (plan names have spaces).
pub fn seg(s: &str) -> String {
    s.replace(' ', "%20")
}

/// The address in-process requests come from, unless a test says otherwise.
pub const TEST_PEER: &str = "127.0.0.1:40000";

/// The `/metrics` token of the test app.
pub const METRICS_TOKEN: &str = "metrics-token-for-tests";

impl TestApp {
    pub async fn new(store: Store) -> Self {
        let config = WebConfig {
            metrics_token: Some(METRICS_TOKEN.into()),
            ..WebConfig::default()
        };
        Self::with_config(store, config).await
    }

    /// The test app with these web settings.
    pub async fn with_config(store: Store, config: WebConfig) -> Self {
        let store = store.with_bid_keys(super::bids::test_keys());
        store
            .load_pack(&fixture_pack(), &Actor::system())
            .await
            .unwrap();
        store
            .import_plan(&fixture_plan(), &Actor::system())
            .await
            .unwrap();
        let mut beta = fixture_plan();
        beta.organisation = "beta".into();
        store.import_plan(&beta, &Actor::system()).await.unwrap();
        let state = AppState::new(store.clone(), config);
        let (router, routes) = build_router(state.clone());
        Self {
            store,
            router,
            routes,
            state,
        }
    }

    /// Another app on the same store (and clock), with other web settings.
    pub fn reconfigured(&self, store: Store, config: WebConfig) -> TestApp {
        let state = AppState::new(store.clone(), config);
        let (router, routes) = build_router(state.clone());
        TestApp {
            store,
            router,
            routes,
            state,
        }
    }

    /// Creates a user with a token and a session.
    pub async fn user(&self, email: &str, org: &str, role: Role) -> TestUser {
        let new = NewUser {
            email,
            name: "",
            role,
            organisation: org,
            password: PASSWORD,
        };
        let user = match self.store.user_by_email(email).await.unwrap() {
            Some(u) => u,
            None => self
                .store
                .create_user(&new, &Actor::system())
                .await
                .unwrap(),
        };
        let (_, token) = self.store.create_token(&user, "test").await.unwrap();
        let s = self.store.create_session(&user).await.unwrap();
        TestUser {
            user,
            token,
            session: s.secret,
            csrf: s.csrf_token,
        }
    }

    /// The user of each role (the provider works for alpha-care, the rest for alpha).
    pub async fn user_for(&self, role: Role) -> TestUser {
        let org = if role == Role::Provider {
            "alpha-care"
        } else {
            "alpha"
        };
        self.user(&format!("{role}@{org}.test"), org, role).await
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<Body>,
        content_type: Option<&str>,
    ) -> Reply {
        self.call_from(TEST_PEER, method, path, auth, body, content_type)
            .await
    }

    /// [`TestApp::call`] from the client at `peer` (`address:port`).
    pub async fn call_from(
        &self,
        peer: &str,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<Body>,
        content_type: Option<&str>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        match auth {
            Auth::None => {
                req = req.header(
                    header::COOKIE,
                    "ngc_csrf=anonymous-csrf-token-of-enough-length-123",
                );
            }
            Auth::Bearer(t) => req = req.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Auth::Session { secret, csrf } => {
                req = req.header(
                    header::COOKIE,
                    format!("ngc_session={secret}; ngc_csrf={csrf}"),
                )
            }
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let mut req = req.body(body.unwrap_or_else(Body::empty)).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        self.send(req).await
    }

    /// Sends a request as it is, from [`TEST_PEER`] unless it names its own peer
    /// (a `ConnectInfo<SocketAddr>` extension, as `ngc_web::serve` provides).
    pub async fn send(&self, mut req: Request<Body>) -> Reply {
        if req.extensions().get::<ConnectInfo<SocketAddr>>().is_none() {
            req.extensions_mut()
                .insert(ConnectInfo(TEST_PEER.parse::<SocketAddr>().unwrap()));
        }
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, auth: Auth<'_>) -> Reply {
        self.call(Method::GET, path, auth, None, None).await
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: serde_json::Value,
    ) -> Reply {
        self.call(
            method,
            path,
            auth,
            Some(Body::from(body.to_string())),
            Some("application/json"),
        )
        .await
    }

    /// A delivery update entered on the savings tracker's form of the fixture plan for
    /// `saving`, signed in as `user` (the CSRF field comes first, then `fields`).
    pub async fn deliver_on_page(
        &self,
        user: &TestUser,
        saving: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let path = format!(
            "/finance/plans/{}/savings/{}/delivery",
            seg(&fixture_plan().name),
            seg(saving)
        );
        let mut all = vec![("csrf", user.csrf.as_str())];
        all.extend_from_slice(fields);
        let auth = Auth::Session {
            secret: &user.session,
            csrf: &user.csrf,
        };
        self.form(&path, auth, &all).await
    }

    pub async fn form(&self, path: &str, auth: Auth<'_>, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.call(
            Method::POST,
            path,
            auth,
            Some(Body::from(body)),
            Some("application/x-www-form-urlencoded"),
        )
        .await
    }
}

/// The CSRF token anonymous test requests carry in their cookie.
pub const ANON_CSRF: &str = "anonymous-csrf-token-of-enough-length-123";

/// A user's browser session (cookie and CSRF token), for pages.
pub fn session(u: &TestUser) -> Auth<'_> {
    Auth::Session {
        secret: &u.session,
        csrf: &u.csrf,
    }
}

/// A user's API token.
pub fn bearer(u: &TestUser) -> Auth<'_> {
    Auth::Bearer(&u.token)
}

/// A refused post: who, where, the body, the status and the field the error names (blank
/// for none).
pub type Refusal<'a> = (&'a TestUser, &'a str, Value, StatusCode, &'a str);

/// Posts each case, checks it is refused as stated, and that the audit chain is still at
/// `head` (nothing was written).
pub async fn refused(app: &TestApp, cases: Vec<Refusal<'_>>, head: (i64, String)) {
    for (who, path, body, status, field) in cases {
        let r = app
            .json(Method::POST, path, bearer(who), body.clone())
            .await;
        assert_eq!(r.status, status, "{body}: {}", r.body);
        if !field.is_empty() {
            assert_eq!(r.json()["error"]["field"], field, "{}", r.body);
        }
    }
    assert_eq!(app.store.audit_head().await.unwrap(), head);
}
