//! End-to-end tests of the real `ngc` binary: browser journeys in headless
//! Chromium, and a multi-process test showing that sessions and API tokens
//! live in the database (any server instance accepts them).
//!
//! Run `scripts/test` (installs Chromium and chromedriver, starts PostgreSQL),
//! or see `e2e/README.md`.

// The crate root is `tests/e2e.rs`, so point at the module files in `tests/e2e/`.
#[path = "e2e/accessibility.rs"]
mod accessibility;
#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/consultation.rs"]
mod consultation;
#[path = "e2e/http.rs"]
mod http;
#[path = "e2e/stateless.rs"]
mod stateless;
#[path = "e2e/support.rs"]
mod support;
