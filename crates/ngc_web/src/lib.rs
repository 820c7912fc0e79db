//! The ngc web application: the JSON API under `/api/v1` (documented with utoipa), the
//! server-rendered pages (askama + htmx), authentication, health and metrics.
//!
//! Handlers are thin: parse, authorise with [`ngc_domain::access`], call the store, render.

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod figures;
pub mod in_year;
pub mod metrics;
pub mod ocds;
pub mod routes;
pub mod ui;

mod assets;
mod health;

pub use error::{AppError, AppResult};
pub use routes::{RouteSpec, build_router};

use ngc_store::Store;
use std::sync::Arc;

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub metrics: Arc<metrics::Metrics>,
    pub config: Arc<WebConfig>,
    /// The plans' derived figures, computed once per plan change and day.
    pub figures: Arc<figures::FiguresCache>,
}

/// Settings of the web app.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark every cookie `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` names the client (addresses or CIDR ranges).
    pub trusted_proxies: Vec<auth::IpRange>,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served (404).
    pub metrics_token: Option<String>,
    /// The publisher and address of the public OCDS packages.
    pub ocds_publisher: ngc_app::ocds::Publisher,
}

impl AppState {
    /// State for a store with default settings.
    pub fn new(store: Store, config: WebConfig) -> Self {
        Self {
            store,
            metrics: Arc::new(metrics::Metrics::default()),
            config: Arc::new(config),
            figures: Arc::default(),
        }
    }
}

/// How often `serve` purges expired sessions and idle sign-in records.
pub const PURGE_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// Serves the app on `listener` until Ctrl-C or SIGTERM. Each connection's peer address is
/// available to handlers (`ConnectInfo`), for the sign-in limits. Every [`PURGE_EVERY`], expired
/// sessions and idle sign-in records are deleted.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let purger = tokio::spawn(purge_periodically(state.store.clone()));
    let (router, _) = build_router(state);
    let served = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    purger.abort();
    served
}

async fn purge_periodically(store: Store) {
    let mut every = tokio::time::interval(PURGE_EVERY);
    loop {
        every.tick().await;
        match store.purge_sign_in_records(store.now()).await {
            Ok(p) => tracing::debug!(
                sessions = p.sessions,
                sign_in_records = p.sign_in_records,
                "purged"
            ),
            Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
