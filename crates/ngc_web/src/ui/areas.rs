//! The areas whose work is still to come say so plainly, with no made-up figures.

use super::{Layout, render};
use crate::auth::MaybeUser;
use crate::error::AppResult;
use askama::Template;
use axum::response::Response;
use ngc_domain::access::Area;

#[derive(Template)]
#[template(path = "area.html")]
struct AreaPage {
    layout: Layout,
    heading: &'static str,
    intro: &'static str,
    coming: &'static [&'static str],
}

/// `GET /open-data`: public, signed in or not.
pub async fn open_data(MaybeUser(user): MaybeUser) -> AppResult<Response> {
    let layout = match &user {
        Some(u) => Layout::for_user(u, "Open data", Some(Area::OpenData)),
        None => Layout::bare("Open data"),
    };
    Ok(render(&AreaPage {
        layout,
        heading: "Open data",
        intro: "Published data for residents and the press will live here. Nothing is published yet.",
        coming: &[
            "Spend over £500, contracts over £5,000, invitations to tender and grants (Local Government Transparency Code)",
            "OCDS 1.1 release and record packages of every tender and contract",
            "The You Choose budget consultation",
        ],
    }))
}
