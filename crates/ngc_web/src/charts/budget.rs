//! Budget against actual by month: a bar per month for the actuals (closed months only;
//! paler where no general-ledger extract covers the month, so the actuals are partial) and a
//! line for the profiled budget.

use super::{BOTTOM, EDGE, H, LEFT, Scale, W, axis, esc, millions};
use ngc_domain::money::Money;
use std::fmt::Write;

/// One month of the chart.
#[derive(Debug, Clone)]
pub struct MonthPoint {
    /// `YYYY-MM`.
    pub month: String,
    pub budget: Money,
    /// The actuals, for a closed month.
    pub actual: Option<Money>,
    /// Whether a general-ledger extract covers the month.
    pub general_ledger: bool,
}

/// The chart of budget against actual by month.
pub fn budget_against_actual(points: &[MonthPoint]) -> String {
    let scale = Scale::new(points.iter().flat_map(|p| {
        [
            p.budget.to_f64_pounds(),
            p.actual.unwrap_or_default().to_f64_pounds(),
        ]
    }));
    let n = points.len().max(1);
    let step = (W - LEFT - 2.0 * EDGE) / n as f64;
    let x = |i: usize| LEFT + EDGE + step * (i as f64 + 0.5);
    let mut desc = String::new();
    for p in points {
        let _ = write!(desc, "{}: budget {}", p.month, millions(p.budget));
        match p.actual {
            Some(a) if p.general_ledger => {
                let _ = write!(desc, ", actual {}", millions(a));
            }
            Some(a) => {
                let _ = write!(desc, ", actual {} (partial)", millions(a));
            }
            None => desc.push_str(", not closed"),
        }
        desc.push_str(". ");
    }
    let mut out = format!(
        r##"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="ba-title ba-desc" xmlns="http://www.w3.org/2000/svg"><title id="ba-title">Budget against actual by month</title><desc id="ba-desc">{}</desc>"##,
        esc(&desc)
    );
    axis(&mut out, &scale);
    let zero = scale.y(0.0);
    let width = (step * 0.6).max(2.0);
    for (i, p) in points.iter().enumerate() {
        if let Some(a) = p.actual {
            let y = scale.y(a.to_f64_pounds());
            let (top, height) = if y < zero {
                (y, zero - y)
            } else {
                (zero, y - zero)
            };
            let opacity = if p.general_ledger { "1" } else { "0.45" };
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{top:.1}" width="{width:.1}" height="{height:.1}" fill="#0b4f6c" fill-opacity="{opacity}"/>"##,
                x(i) - width / 2.0
            );
        }
        let label = p.month.get(5..).unwrap_or(&p.month);
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text>"##,
            x(i),
            H - BOTTOM + 18.0,
            esc(label)
        );
    }
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), scale.y(p.budget.to_f64_pounds())))
        .collect();
    let _ = write!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#b10e1e" stroke-width="3"/>"##,
        line.join(" ")
    );
    let ly = H - 30.0;
    let _ = write!(
        out,
        r##"<g font-size="11"><rect x="{LEFT}" y="{}" width="24" height="10" fill="#0b4f6c"/><text x="{}" y="{}">actual</text><rect x="{}" y="{}" width="24" height="10" fill="#0b4f6c" fill-opacity="0.45"/><text x="{}" y="{}">actual, partial (no general-ledger extract)</text><line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="#b10e1e" stroke-width="3"/><text x="{}" y="{}">budget (profile)</text></g></svg>"##,
        ly - 5.0,
        LEFT + 30.0,
        ly + 4.0,
        LEFT + 90.0,
        ly - 5.0,
        LEFT + 120.0,
        ly + 4.0,
        LEFT + 380.0,
        LEFT + 404.0,
        LEFT + 410.0,
        ly + 4.0
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_says_in_words_what_it_shows_and_marks_partial_months() {
        let svg = budget_against_actual(&[
            MonthPoint {
                month: "2016-04".into(),
                budget: Money::pounds(1_000_000),
                actual: Some(Money::pounds(1_200_000)),
                general_ledger: true,
            },
            MonthPoint {
                month: "2016-05".into(),
                budget: Money::pounds(1_000_000),
                actual: Some(Money::pounds(400_000)),
                general_ledger: false,
            },
            MonthPoint {
                month: "2016-06".into(),
                budget: Money::pounds(1_000_000),
                actual: None,
                general_ledger: false,
            },
        ]);
        assert!(svg.contains("2016-04: budget £1.0m, actual £1.2m. 2016-05: budget £1.0m, actual £0.4m (partial). 2016-06: budget £1.0m, not closed."), "{svg}");
        assert_eq!(svg.matches("<rect x=").count(), 2 + 2);
        assert!(svg.ends_with("</svg>"));
    }
}
