//! The ngc web application: the JSON API under `/api/v1` (documented with utoipa), the
//! server-rendered pages (askama + htmx), authentication, health and metrics.
//!
//! Handlers are thin: parse, authorise with [`ngc_domain::access`], call the store, render.

pub mod api;
pub mod auth;
pub mod charts;
pub mod error;
pub mod figures;
pub mod metrics;
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
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
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

/// Serves the app on `listener` until Ctrl-C or SIGTERM.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let (router, _) = build_router(state);
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
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
