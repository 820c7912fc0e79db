//! The Procurement area: the open tenders of every council and the caller's own by stage
//! (`/procurement`), one tender with what the reader may do next (`tenders`), the new and
//! edit forms (`form`), the checks before award (`checks`), the evaluation panel (`panel`)
//! and the pipeline (`pipeline`).

pub mod bids;
mod checks;
pub mod evaluation;
mod form;
mod panel;
mod pipeline;
mod tenders;

pub use checks::{
    checks as show_checks, lift_challenge, receive_challenge, record_conflicts, record_exclusion,
    record_reservation,
};
pub(crate) use form::instant;
pub use form::{create, edit, new, update};
pub use panel::{assign as assign_panel_member, panel as show_panel};
pub use pipeline::{create_planned, pipeline};
pub use tenders::{add_document, answer, ask, publish, show, terminate};

use super::{Layout, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use ngc_app::tenders::{self as uc, Overview};
use ngc_domain::access::{Action, Area};
use ngc_domain::procurement::TenderStage;
use ngc_store::tenders::Tender;

/// A time in words: "24 December 2026 at 12:00 UTC".
pub(crate) fn when(t: DateTime<Utc>) -> String {
    t.format("%-d %B %Y at %H:%M UTC").to_string()
}

/// How far a time is from now, in words: "in 3 days", "2 hours ago".
pub(crate) fn from_now(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let (d, future) = if t >= now {
        (t - now, true)
    } else {
        (now - t, false)
    };
    if d.num_minutes() == 0 {
        return "now".to_owned();
    }
    let (n, unit) = if d.num_days() >= 1 {
        (d.num_days(), "day")
    } else if d.num_hours() >= 1 {
        (d.num_hours(), "hour")
    } else {
        (d.num_minutes(), "minute")
    };
    let s = if n == 1 { "" } else { "s" };
    if future {
        format!("in {n} {unit}{s}")
    } else {
        format!("{n} {unit}{s} ago")
    }
}

/// A tender's stage and deadline in words.
pub(crate) fn stage_words(t: &Tender, stage: TenderStage, now: DateTime<Utc>) -> String {
    let deadline = t.submission_deadline;
    match stage {
        TenderStage::Draft => format!("Draft, not published: bids are to close {}", when(deadline)),
        TenderStage::Open => format!(
            "Open for bids: closes {} ({})",
            when(deadline),
            from_now(deadline, now)
        ),
        TenderStage::Evaluation => format!(
            "Evaluation: bids closed {} ({})",
            when(deadline),
            from_now(deadline, now)
        ),
        TenderStage::Terminated => match t.terminated_at {
            Some(at) => format!("Terminated on {}: {}", when(at), t.termination_reason),
            None => "Terminated".to_owned(),
        },
    }
}

/// A tender as a row of a list.
pub(crate) struct Row {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub lead: String,
    pub value: String,
    pub reservation: Option<&'static str>,
    pub stage: String,
}

impl Row {
    fn of(t: &Tender, now: DateTime<Utc>) -> Self {
        let stage = t.stage(now);
        Self {
            id: t.id,
            reference: t.reference.clone(),
            title: t.title.clone(),
            lead: t.lead_organisation_name.clone(),
            value: t.estimated_value.fmt_gbp(),
            reservation: (t.reservation != ngc_domain::procurement::Reservation::None)
                .then(|| t.reservation.label()),
            stage: stage_words(t, stage, now),
        }
    }
}

#[derive(Template)]
#[template(path = "procurement/index.html")]
struct IndexPage {
    layout: Layout,
    open: Vec<Row>,
    reserved_for_others: usize,
    own: Vec<(&'static str, Vec<Row>)>,
    provider: bool,
    may_create: bool,
    may_plan: bool,
}

/// `GET /procurement`.
pub async fn index(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ViewArea(Area::Procurement))?;
    let Overview {
        now,
        open,
        reserved_for_others,
        own,
        may_create,
        may_plan,
    } = uc::overview(&app.store, &user.caller()).await?;
    let layout = Layout::for_user(&user, "Procurement", Some(Area::Procurement));
    Ok(render(&IndexPage {
        layout,
        open: open.iter().map(|t| Row::of(t, now)).collect(),
        reserved_for_others,
        own: own
            .into_iter()
            .map(|(stage, ts)| (stage.label(), ts.iter().map(|t| Row::of(t, now)).collect()))
            .collect(),
        provider: user.can(Action::SubmitBids),
        may_create,
        may_plan,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_read_in_words() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let later = Utc.with_ymd_and_hms(2026, 12, 24, 12, 0, 0).unwrap();
        assert_eq!(when(later), "24 December 2026 at 12:00 UTC");
        assert_eq!(from_now(later, now), "in 23 days");
        assert_eq!(from_now(now, later), "23 days ago");
        assert_eq!(from_now(now + chrono::Duration::hours(1), now), "in 1 hour");
        assert_eq!(from_now(now, now), "now");
    }
}
