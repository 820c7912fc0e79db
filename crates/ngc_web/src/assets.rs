//! Static files compiled into the binary: htmx and the style sheet. Nothing comes from a CDN.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

const HTMX: &str = include_str!("../static/htmx.min.js");
const CSS: &str = include_str!("../static/app.css");

/// htmx 2, as shipped by its authors.
pub async fn htmx() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        HTMX,
    )
}

/// The style sheet.
pub async fn css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=300"),
        ],
        CSS,
    )
}
