//! Browser journeys of the budget consultation on the demo's "You Choose" 2016-17, with the
//! accessibility check of the consultation page, the plan page and the dashboard.

use crate::accessibility;
use crate::browser::{
    Ctx, StepResult, click, find, journey, sign_in, wait_for_path, wait_for_text,
};
use crate::support::NgcServer;
use fantoccini::Client;
use std::time::{Duration, Instant};

/// The steps that close the demo's gap of £17.0m: the deepest cut offered on each service
/// (£16.5m), both income options at their highest and £8m of reserves.
const CLOSING: [&str; 9] = [
    "#q1-0", "#q2-0", "#q3-0", "#q4-0", "#q5-0", "#q6-0", "#q13-2", "#q14-2", "#q15-3",
];

/// Opens the consultation from the sign-in page, as a resident finds it.
async fn open_consultation(c: &Client, server: &NgcServer) -> StepResult {
    c.goto(&server.url("/login")).await.ctx("opening /login")?;
    click(c, "#open-consultations a").await?;
    wait_for_text(c, "h1", "You Choose").await
}

/// The number of responses the page shows.
async fn responses(c: &Client) -> Result<u64, String> {
    let text = find(c, "#response-count")
        .await?
        .text()
        .await
        .ctx("reading the count")?;
    text.trim()
        .parse()
        .map_err(|_| format!("the count `{text}` is not a number"))
}

/// Waits until the submit button is enabled (`true`) or disabled (`false`).
async fn submit_enabled(c: &Client, want: bool) -> StepResult {
    let start = Instant::now();
    loop {
        let enabled = find(c, "#submit")
            .await?
            .is_enabled()
            .await
            .ctx("reading #submit")?;
        if enabled == want {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(20) {
            return Err(format!(
                "#submit stayed {}",
                if enabled { "enabled" } else { "disabled" }
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Journey (g): a resident with no account opens the consultation from the sign-in page,
/// moves options until the gap is closed (htmx recalculates after each change), submits, and
/// the count of responses goes up by one. The consultation page passes the accessibility
/// check.
#[tokio::test]
async fn a_resident_closes_the_gap_and_the_count_goes_up_by_one() {
    journey(
        "consultation_resident",
        async |c: &Client, server: &NgcServer| {
            open_consultation(c, server).await?;
            accessibility::check(c, "the consultation page").await?;
            let before = responses(c).await?;
            submit_enabled(c, false).await?;
            for step in CLOSING {
                click(c, step).await?;
            }
            wait_for_text(c, "#gap-status", "The gap is closed").await?;
            submit_enabled(c, true).await?;
            click(c, "#submit").await?;
            let start = Instant::now();
            while !c
                .current_url()
                .await
                .ctx("reading the URL")?
                .path()
                .ends_with("/thanks")
            {
                if start.elapsed() > Duration::from_secs(20) {
                    return Err("submitting did not land on the thanks page".into());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            wait_for_text(c, "#responses", &(before + 1).to_string()).await
        },
    )
    .await;
}

/// Journey (h): while the gap is open the submit button stays disabled; the same form posted
/// without JavaScript's help (the button enabled by hand, the browser's own form post) is
/// refused with a message, and the count does not move.
#[tokio::test]
async fn while_the_gap_is_open_submitting_is_disabled_and_a_plain_post_is_refused() {
    journey(
        "consultation_gap_open",
        async |c: &Client, server: &NgcServer| {
            open_consultation(c, server).await?;
            let before = responses(c).await?;
            submit_enabled(c, false).await?;
            click(c, "#q1-0").await?;
            wait_for_text(c, "#closed-by", "£3,").await?;
            wait_for_text(c, "#gap-status", "still to find").await?;
            submit_enabled(c, false).await?;
            c.execute(
                "document.getElementById('submit').disabled = false;",
                vec![],
            )
            .await
            .ctx("enabling the button by hand")?;
            click(c, "#submit").await?;
            wait_for_text(c, "#form-error", "The gap is not closed yet").await?;
            let after = responses(c).await?;
            if after != before {
                return Err(format!(
                    "a refused post changed the count from {before} to {after}"
                ));
            }
            Ok(())
        },
    )
    .await;
}

/// Journey (i): the finance officer signs in (the dashboard passes the accessibility check),
/// opens the plan page, sees the gap chart and the consultation's notes on the lines they
/// concern; the plan page passes the accessibility check.
#[tokio::test]
async fn a_finance_officer_sees_the_gap_chart_and_the_consultations_notes_on_the_plan() {
    journey(
        "consultation_plan_notes",
        async |c: &Client, server: &NgcServer| {
            sign_in(c, server, "finance@northamptonshire.demo").await?;
            accessibility::check(c, "the dashboard").await?;
            c.goto(&server.url("/finance/plans/MTFP%202015-20"))
                .await
                .ctx("opening the plan page")?;
            wait_for_path(c, "/finance/plans/MTFP%202015-20").await?;
            find(c, "svg[aria-labelledby='wf-title wf-desc']").await?;
            wait_for_text(c, "#notes", "Adult social care").await?;
            wait_for_text(
                c,
                "#notes",
                "You Choose: Northamptonshire's budget for 2016-17",
            )
            .await?;
            wait_for_text(c, "#notes", "Saving ASC-01").await?;
            accessibility::check(c, "the plan page").await
        },
    )
    .await;
}
