//! The accessibility check of a page: axe-core (from the npm registry, installed in
//! `e2e/node_modules` by `scripts/test`) injected into the page and run with the rules of
//! WCAG 2.0, 2.1 and 2.2 at levels A and AA, as the Public Sector Bodies Accessibility
//! Regulations require of a council's site. Any violation fails the journey, naming the rule
//! and the elements.

use crate::browser::{Ctx, StepResult};
use fantoccini::Client;
use std::path::Path;

/// The axe rule tags checked.
pub const TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. The accessibility check needs axe-core: run scripts/test (it runs \
             `npm ci` in e2e/), or `npm ci` in e2e/ yourself",
            path.display()
        )
    })
}

/// Runs axe on the page the browser shows; `what` names it in the error.
pub async fn check(c: &Client, what: &str) -> StepResult {
    c.execute(&axe_source(), vec![])
        .await
        .ctx("injecting axe-core")?;
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: arguments[0] } })
            .then(r => done(r.violations.map(v => ({
                rule: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary),
            }))))
            .catch(e => done([{ rule: 'axe failed', help: String(e) }]));
    "#;
    let violations = c
        .execute_async(script, vec![serde_json::json!(TAGS)])
        .await
        .ctx("running axe-core")?;
    match violations.as_array() {
        Some(v) if v.is_empty() => Ok(()),
        _ => Err(format!(
            "{what}: accessibility violations (WCAG 2.2 A/AA):\n{}",
            serde_json::to_string_pretty(&violations).unwrap_or_default()
        )),
    }
}
