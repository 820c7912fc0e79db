//! `ngc serve`.

use super::open_store;
use crate::config::Config;
use anyhow::Context;
use ngc_store::Store;
use ngc_web::{AppState, WebConfig};
use std::process::ExitCode;

/// Serves the app until interrupted, with the configured bid keys if any.
pub async fn run(config: &Config, bind: Option<&str>) -> anyhow::Result<ExitCode> {
    let keys = crate::bid_keys::configured(config)?;
    let mut store = open_store(config).await?;
    if let Some(keys) = keys {
        store = store.with_bid_keys(keys);
    }
    serve_store(config, store, bind).await
}

/// Serves an open store.
pub async fn serve_store(
    config: &Config,
    store: Store,
    bind: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let addr = config.bind(bind);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    for warning in ngc_app::ocds::PrefixStatus::read(&store).await?.warnings() {
        tracing::warn!("{warning}");
    }
    match store.bid_keys() {
        Some(keys) => tracing::info!(
            bid_keys.current = keys.current_id(),
            bid_keys.count = keys.len(),
            "bid keys loaded"
        ),
        None => tracing::warn!(
            "no bid key configured (NGC_BID_KEY, --bid-key-file or bid_key_file): \
             bids cannot be submitted or opened"
        ),
    }
    tracing::info!(database = %config.redacted_url(), "serving on http://{local}");
    eprintln!("ngc is serving on http://{local} (Ctrl-C to stop)");
    let state = AppState::new(
        store.clone(),
        WebConfig {
            secure_cookies: config.secure_cookies,
            trusted_proxies: config.trusted_proxies.clone(),
            metrics_token: config.metrics_token.clone(),
            ocds_publisher: config.ocds_publisher(bind),
        },
    );
    ngc_web::serve(listener, state)
        .await
        .context("the server stopped")?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
