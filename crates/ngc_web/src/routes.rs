//! The whole router, and the list of every route it serves (for the authorisation matrix).

use crate::{AppState, api, assets, health, metrics, ocds, ui};
use axum::http::{HeaderValue, Method, header};
use axum::routing::get;
use axum::{Json, Router, middleware};
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::path::PathItem;

/// One route the app serves: a method and a path template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteSpec {
    pub method: Method,
    pub path: String,
}

impl RouteSpec {
    /// A route.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
        }
    }
}

fn methods_of(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, item.get.is_some()),
        (Method::POST, item.post.is_some()),
        (Method::PUT, item.put.is_some()),
        (Method::PATCH, item.patch.is_some()),
        (Method::DELETE, item.delete.is_some()),
    ]
    .into_iter()
    .filter_map(|(m, present)| present.then_some(m))
    .collect()
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::router().split_for_parts().1
}

/// Builds the app and lists every route it serves.
pub fn build_router(state: AppState) -> (Router, Vec<RouteSpec>) {
    let (api_router, openapi) = api::router().split_for_parts();
    let mut list: Vec<RouteSpec> = openapi
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            methods_of(item)
                .into_iter()
                .map(move |m| RouteSpec::new(m, path.clone()))
        })
        .collect();
    let openapi = Arc::new(openapi);
    let pages = ui::routes();
    list.extend(pages.list);
    let infra = [
        "/api/v1/openapi.json",
        "/healthz",
        "/readyz",
        "/metrics",
        "/static/htmx.min.js",
        "/static/app.css",
        "/ocds/releases",
        "/ocds/records/{ocid}",
    ];
    list.extend(infra.iter().map(|p| RouteSpec::new(Method::GET, *p)));
    list.sort();

    let router = Router::new()
        .merge(api_router)
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(openapi.as_ref().clone()) }),
        )
        .merge(pages.router.layer(middleware::from_fn(ui::html_errors)))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::metrics))
        .route("/static/htmx.min.js", get(assets::htmx))
        .route("/static/app.css", get(assets::css))
        .route("/ocds/releases", get(ocds::releases))
        .route("/ocds/records/{ocid}", get(ocds::record))
        .fallback(ui::not_found)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    (router, list)
}
