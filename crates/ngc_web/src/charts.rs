//! Small SVG charts drawn on the server: readable without JavaScript, with a text
//! alternative (`<title>` and `<desc>`) for screen readers.

mod budget;

pub use budget::{MonthPoint, budget_against_actual};

use ngc_domain::finance::statement::BridgeStep;
use ngc_domain::money::Money;
use std::fmt::Write;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// £ millions with one decimal place.
pub fn millions(m: impl std::borrow::Borrow<Money>) -> String {
    let v = m.borrow().to_f64_pounds() / 1_000_000.0;
    if v < 0.0 {
        format!("−£{:.1}m", -v)
    } else {
        format!("£{v:.1}m")
    }
}

const W: f64 = 760.0;
const H: f64 = 340.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 90.0;
const LEFT: f64 = 70.0;
/// Room between the plot's side and a point's centred label (half of "−£100.0m" at 11px).
const EDGE: f64 = 40.0;

/// At most this many intervals between an axis's ticks.
const MAX_INTERVALS: u32 = 6;

/// The round step for an axis over `span`: the smallest 1, 2 or 5 × 10ⁿ giving at most
/// `max_intervals` intervals (at least 1 pound).
pub fn tick_step(span: f64, max_intervals: u32) -> f64 {
    let rough = (span / f64::from(max_intervals.max(1))).max(1.0);
    let mut power = 10f64.powi(rough.log10().floor() as i32);
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * power >= rough * (1.0 - 1e-12) {
                return m * power;
            }
        }
        power *= 10.0;
    }
}

/// Ticks for an axis that shows `lo` to `hi` (in pounds) and zero: round values (multiples
/// of [`tick_step`]) from the first at or below both `lo` and zero to the first at or above
/// both `hi` and zero.
pub fn ticks(lo: f64, hi: f64, max_intervals: u32) -> Vec<f64> {
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    let step = tick_step(hi - lo, max_intervals);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil().max(first as f64 + 1.0) as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// A tick's label in £m, with as many decimal places as the step needs (`£20m`, `£2.5m`,
/// `−£0.25m`).
pub fn tick_label(v: f64, step: f64) -> String {
    let m = v / 1_000_000.0;
    let places = if step >= 1_000_000.0 {
        0
    } else {
        (-(step / 1_000_000.0).log10().floor()) as usize
    };
    let text = format!("{:.*}", places, m.abs());
    if m < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("−£{text}m")
    } else {
        format!("£{text}m")
    }
}

struct Scale {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Scale {
    fn new(values: impl Iterator<Item = f64>) -> Self {
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        for v in values {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        let ticks = ticks(lo, hi, MAX_INTERVALS);
        Self {
            lo: ticks[0],
            hi: ticks[ticks.len() - 1],
            ticks,
        }
    }

    fn y(&self, v: f64) -> f64 {
        TOP + (self.hi - v) / (self.hi - self.lo) * (H - TOP - BOTTOM)
    }
}

fn axis(out: &mut String, s: &Scale) {
    let step = s.ticks.get(1).map_or(1.0, |t| t - s.ticks[0]);
    for &v in &s.ticks {
        let y = s.y(v);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
            W - 10.0,
            LEFT - 6.0,
            y + 4.0,
            esc(&tick_label(v, step))
        );
    }
    let z = s.y(0.0);
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{z:.1}" x2="{}" y2="{z:.1}" stroke="#555"/>"##,
        W - 10.0
    );
}

/// One year of a partnership's savings.
#[derive(Debug, Clone)]
pub struct SavingsPoint {
    pub year: String,
    pub saving: Money,
    pub cumulative: Money,
}

/// A partnership's savings by year (bars) and cumulative (the line), against the partners'
/// baselines.
pub fn savings(points: &[SavingsPoint]) -> String {
    let values = points
        .iter()
        .flat_map(|p| [p.saving.to_f64_pounds(), p.cumulative.to_f64_pounds()]);
    let scale = Scale::new(values);
    let n = points.len().max(1);
    let slot = (W - LEFT - 10.0) / n as f64;
    let x = |i: usize| LEFT + slot * (i as f64 + 0.5);
    let mut desc = String::new();
    for p in points {
        let _ = write!(
            desc,
            "{}: saved {}, {} in all. ",
            p.year,
            millions(p.saving),
            millions(p.cumulative)
        );
    }
    let mut out = format!(
        r##"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="sv-title sv-desc" xmlns="http://www.w3.org/2000/svg"><title id="sv-title">Savings against the partners' baselines, by year and cumulative</title><desc id="sv-desc">{}</desc>"##,
        esc(&desc)
    );
    axis(&mut out, &scale);
    let zero = scale.y(0.0);
    for (i, p) in points.iter().enumerate() {
        let y = scale.y(p.saving.to_f64_pounds());
        let (top, height) = if y < zero {
            (y, zero - y)
        } else {
            (zero, y - zero)
        };
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{height:.1}" fill="#2e7d32"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" transform="rotate(-45 {:.1} {:.1})">{}</text>"##,
            x(i) - slot * 0.3,
            slot * 0.6,
            x(i),
            H - BOTTOM + 16.0,
            x(i),
            H - BOTTOM + 16.0,
            esc(&p.year)
        );
    }
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), scale.y(p.cumulative.to_f64_pounds())))
        .collect();
    let _ = write!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#0b4f6c" stroke-width="3"/>"##,
        line.join(" ")
    );
    if let Some((i, last)) = points.iter().enumerate().next_back() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" font-size="11" font-weight="600">{} in all</text>"##,
            x(i),
            scale.y(last.cumulative.to_f64_pounds()) - 8.0,
            esc(&millions(last.cumulative))
        );
    }
    out.push_str("</svg>");
    out
}

/// The gap bridge as a waterfall: red steps widen the gap, green steps close it, the last
/// bar is the gap itself.
pub fn waterfall(steps: &[BridgeStep], final_label: &str, total: Money) -> String {
    let mut running = 0.0;
    let mut points = vec![0.0];
    for s in steps {
        running += s.amount.to_f64_pounds();
        points.push(running);
    }
    let scale = Scale::new(points.iter().copied());
    let n = steps.len() + 1;
    let slot = (W - LEFT - 10.0) / n as f64;
    let bar = slot * 0.62;
    let mut desc = String::new();
    for s in steps {
        let _ = write!(desc, "{}: {}. ", s.label, millions(s.amount));
    }
    let _ = write!(desc, "{final_label}: {}.", millions(total));
    let mut out = format!(
        r##"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="wf-title wf-desc" xmlns="http://www.w3.org/2000/svg"><title id="wf-title">How the gap builds up</title><desc id="wf-desc">{}</desc>"##,
        esc(&desc)
    );
    axis(&mut out, &scale);
    let mut start = 0.0;
    let bars = steps
        .iter()
        .map(|s| (s.label, s.amount, false))
        .chain(std::iter::once((final_label, total, true)));
    for (i, (label, amount, is_total)) in bars.enumerate() {
        let v = amount.to_f64_pounds();
        let (from, to) = if is_total {
            (0.0, v)
        } else {
            (start, start + v)
        };
        let (y1, y2) = (scale.y(from.max(to)), scale.y(from.min(to)));
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let colour = if is_total {
            "#0b4f6c"
        } else if v > 0.0 {
            "#b10e1e"
        } else {
            "#00703c"
        };
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{y1:.1}" width="{bar:.1}" height="{:.1}" fill="{colour}"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" font-weight="600">{}</text>"##,
            (y2 - y1).max(1.0),
            x + bar / 2.0,
            y1 - 4.0,
            esc(&millions(amount))
        );
        let words: Vec<&str> = label.split_whitespace().collect();
        for (j, chunk) in words.chunks(2).take(4).enumerate() {
            let _ = write!(
                out,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"##,
                x + bar / 2.0,
                H - BOTTOM + 16.0 + 12.0 * j as f64,
                esc(&chunk.join(" "))
            );
        }
        if !is_total {
            start += v;
        }
    }
    out.push_str("</svg>");
    out
}

/// One year of the reserves chart.
#[derive(Debug, Clone)]
pub struct ReservePoint {
    pub year: String,
    pub planned: Money,
    pub minimum: Money,
    /// The simulation's 5th and 95th percentiles and median, if simulated.
    pub band: Option<(Money, Money, Money)>,
}

/// Usable reserves by year end: the plan (solid), the simulation's 5–95% band and median
/// (shaded, dashed), and the prudent minimum (dotted).
pub fn reserves(points: &[ReservePoint]) -> String {
    let values = points.iter().flat_map(|p| {
        let mut v = vec![p.planned.to_f64_pounds(), p.minimum.to_f64_pounds()];
        if let Some((lo, mid, hi)) = p.band {
            v.extend([lo.to_f64_pounds(), mid.to_f64_pounds(), hi.to_f64_pounds()]);
        }
        v
    });
    let scale = Scale::new(values);
    let n = points.len().max(1);
    // Points inset by half a label's width from each side, so no year or value is clipped.
    let step = (W - LEFT - 2.0 * EDGE) / (n.saturating_sub(1).max(1)) as f64;
    let x = |i: usize| LEFT + EDGE + step * i as f64;
    let mut desc = String::new();
    for p in points {
        let _ = write!(
            desc,
            "{}: planned {}, prudent minimum {}",
            p.year,
            millions(p.planned),
            millions(p.minimum)
        );
        if let Some((lo, mid, hi)) = p.band {
            let _ = write!(
                desc,
                ", simulated median {} (5% {}, 95% {})",
                millions(mid),
                millions(lo),
                millions(hi)
            );
        }
        desc.push_str(". ");
    }
    let mut out = format!(
        r##"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="rs-title rs-desc" xmlns="http://www.w3.org/2000/svg"><title id="rs-title">Usable reserves at each year end</title><desc id="rs-desc">{}</desc>"##,
        esc(&desc)
    );
    axis(&mut out, &scale);
    if points.iter().all(|p| p.band.is_some()) && !points.is_empty() {
        let mut poly = String::new();
        for (i, p) in points.iter().enumerate() {
            let (_, _, hi) = p.band.unwrap_or_default();
            let _ = write!(poly, "{:.1},{:.1} ", x(i), scale.y(hi.to_f64_pounds()));
        }
        for (i, p) in points.iter().enumerate().rev() {
            let (lo, _, _) = p.band.unwrap_or_default();
            let _ = write!(poly, "{:.1},{:.1} ", x(i), scale.y(lo.to_f64_pounds()));
        }
        let _ = write!(
            out,
            r##"<polygon points="{poly}" fill="#0b4f6c" fill-opacity="0.15"/>"##
        );
        let median: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                format!(
                    "{:.1},{:.1}",
                    x(i),
                    scale.y(p.band.unwrap_or_default().1.to_f64_pounds())
                )
            })
            .collect();
        let _ = write!(
            out,
            r##"<polyline points="{}" fill="none" stroke="#0b4f6c" stroke-dasharray="6 4"/>"##,
            median.join(" ")
        );
    }
    let line = |f: &dyn Fn(&ReservePoint) -> Money| {
        points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), scale.y(f(p).to_f64_pounds())))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let _ = write!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#b10e1e" stroke-dasharray="2 3" stroke-width="2"/>"##,
        line(&|p| p.minimum)
    );
    let _ = write!(
        out,
        r##"<polyline points="{}" fill="none" stroke="#0b4f6c" stroke-width="3"/>"##,
        line(&|p| p.planned)
    );
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="4" fill="#0b4f6c"/><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11">{}</text><text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10" font-weight="600">{}</text>"##,
            x(i),
            scale.y(p.planned.to_f64_pounds()),
            x(i),
            H - BOTTOM + 18.0,
            esc(&p.year),
            x(i),
            scale.y(p.planned.to_f64_pounds()) - 8.0,
            esc(&millions(p.planned))
        );
    }
    let ly = H - 30.0;
    let _ = write!(
        out,
        r##"<g font-size="11"><line x1="{LEFT}" y1="{ly}" x2="{}" y2="{ly}" stroke="#0b4f6c" stroke-width="3"/><text x="{}" y="{}">planned</text><rect x="{}" y="{}" width="24" height="10" fill="#0b4f6c" fill-opacity="0.15"/><text x="{}" y="{}">simulated 5–95%, dashed: median</text><line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="#b10e1e" stroke-dasharray="2 3" stroke-width="2"/><text x="{}" y="{}">prudent minimum</text></g>"##,
        LEFT + 24.0,
        LEFT + 30.0,
        ly + 4.0,
        LEFT + 110.0,
        ly - 5.0,
        LEFT + 140.0,
        ly + 4.0,
        LEFT + 360.0,
        LEFT + 384.0,
        LEFT + 390.0,
        ly + 4.0
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millions_are_shown_to_one_place_with_a_real_minus() {
        assert_eq!(millions(Money::pounds(104_000_000)), "£104.0m");
        assert_eq!(millions(Money::pounds(-68_250_000)), "−£68.2m");
    }

    #[test]
    fn ticks_fall_on_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(tick_step(100.0, 5), 20.0);
        assert_eq!(tick_step(7_000_000.0, 6), 2_000_000.0);
        assert_eq!(tick_step(160_000_000.0, 6), 50_000_000.0);
        assert_eq!(tick_step(123_000_000.0, 6), 50_000_000.0);
        assert_eq!(tick_step(60_000_000.0, 6), 10_000_000.0);
        assert_eq!(tick_step(0.0, 6), 1.0);
        for span in [3.0, 17.0, 999.0, 1e5, 3.3e6, 4.2e7, 9.9e8, 1.2e11] {
            let step = tick_step(span, MAX_INTERVALS);
            let mantissa = step / 10f64.powi(step.log10().floor() as i32);
            assert!(
                [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
                "{span}: {step}"
            );
            assert!(
                span / step <= f64::from(MAX_INTERVALS) + 1e-9,
                "{span}: {step}"
            );
        }
    }

    #[test]
    fn the_axis_covers_the_values_and_zero_on_round_ticks() {
        // The demo's reserves: £36.6m down to −£82.9m.
        let t = ticks(-82_857_681.89, 36_570_420.77, MAX_INTERVALS);
        assert_eq!(t, [-100e6, -80e6, -60e6, -40e6, -20e6, 0.0, 20e6, 40e6]);
        let labels: Vec<String> = t.iter().map(|v| tick_label(*v, 20e6)).collect();
        assert_eq!(labels[0], "−£100m");
        assert_eq!(labels[5], "£0m");
        assert_eq!(labels[7], "£40m");
        let positive = ticks(0.0, 2_300_000.0, MAX_INTERVALS);
        assert_eq!(positive.first(), Some(&0.0));
        assert_eq!(positive.last(), Some(&2_500_000.0));
        assert_eq!(tick_label(2_500_000.0, 500_000.0), "£2.5m");
        assert_eq!(tick_label(-250_000.0, 250_000.0 / 5.0), "−£0.25m");
    }

    #[test]
    fn the_last_year_and_its_value_stay_inside_the_chart() {
        let points: Vec<ReservePoint> = ["2015-16", "2016-17", "2017-18", "2018-19", "2019-20"]
            .iter()
            .map(|y| ReservePoint {
                year: (*y).into(),
                planned: Money::pounds(-82_857_681),
                minimum: Money::pounds(10_000_000),
                band: None,
            })
            .collect();
        let svg = reserves(&points);
        let at = svg.find(">2019-20<").unwrap();
        let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
        let x: f64 = tag
            .split("x=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        // A centred label of 8 characters at 11px is at most about 50px wide.
        assert!(x - 25.0 >= 0.0 && x + 25.0 <= W, "2019-20 centred at {x}");
    }

    #[test]
    fn labels_are_escaped_and_described() {
        let steps = [BridgeStep {
            label: "Pressures <&>",
            amount: Money::pounds(5_000_000),
        }];
        let svg = waterfall(&steps, "Gap", Money::pounds(5_000_000));
        assert!(svg.contains("Pressures &lt;&amp;&gt;") && !svg.contains("<&>"));
        assert!(svg.contains("<desc id=\"wf-desc\">") && svg.contains("£5.0m"));
    }
}

/// One period's value of a KPI on its trend chart.
#[derive(Debug, Clone)]
pub struct KpiPoint {
    /// The period's name (`2016-04`).
    pub label: String,
    /// The value; `None` when not applicable (not drawn).
    pub value: Option<f64>,
    /// The rating in words (`Requires improvement`).
    pub rating: String,
    /// Its RAG colour (`green`, `amber`, `red`, `grey`).
    pub rag: String,
}

fn rag_colour(rag: &str) -> &'static str {
    match rag {
        "green" => "#00703c",
        "amber" => "#b35c00",
        "red" => "#b10e1e",
        _ => "#6f777b",
    }
}

/// A KPI's values over its periods (a line, each point coloured by its rating) against its
/// target (dashed), with the values, ratings and trend in words for screen readers. `id`
/// makes the title and description ids unique on a page with several charts.
pub fn kpi_trend(
    id: &str,
    title: &str,
    unit: &str,
    target: f64,
    trend: &str,
    points: &[KpiPoint],
) -> String {
    const KW: f64 = 480.0;
    const KH: f64 = 200.0;
    const KTOP: f64 = 20.0;
    const KBOTTOM: f64 = 40.0;
    const KLEFT: f64 = 50.0;
    let values = points.iter().filter_map(|p| p.value);
    let (mut lo, mut hi) = (target, target);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if (hi - lo).abs() < f64::EPSILON {
        lo -= 1.0;
        hi += 1.0;
    }
    let pad = (hi - lo) * 0.1;
    let (lo, hi) = (lo - pad, hi + pad);
    let y = |v: f64| KTOP + (hi - v) / (hi - lo) * (KH - KTOP - KBOTTOM);
    let n = points.len().max(1);
    let step = (KW - KLEFT - 40.0) / (n.saturating_sub(1).max(1)) as f64;
    let x = |i: usize| KLEFT + 20.0 + step * i as f64;
    let mut desc = format!("Target {target} {unit}; trend {trend}. ");
    for p in points {
        match p.value {
            Some(v) => {
                let _ = write!(desc, "{}: {v} {unit}, {}. ", p.label, p.rating);
            }
            None => {
                let _ = write!(desc, "{}: not applicable, {}. ", p.label, p.rating);
            }
        }
    }
    let id = esc(id);
    let mut out = format!(
        r##"<svg class="chart kpi-trend" viewBox="0 0 {KW} {KH}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"##,
        esc(title),
        esc(&desc)
    );
    let ty = y(target);
    let _ = write!(
        out,
        r##"<line x1="{KLEFT}" y1="{ty:.1}" x2="{}" y2="{ty:.1}" stroke="#0b4f6c" stroke-dasharray="6 4"/><text x="{}" y="{:.1}" text-anchor="end" font-size="11">{}</text>"##,
        KW - 10.0,
        KLEFT - 4.0,
        ty + 4.0,
        esc(&format!("{target} {unit}"))
    );
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.value.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
        .collect();
    if line.len() > 1 {
        let _ = write!(
            out,
            r##"<polyline points="{}" fill="none" stroke="#333" stroke-width="2"/>"##,
            line.join(" ")
        );
    }
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.value {
            let _ = write!(
                out,
                r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{}"><title>{}</title></circle>"##,
                x(i),
                y(v),
                rag_colour(&p.rag),
                esc(&format!("{}: {v} {unit}, {}", p.label, p.rating))
            );
        }
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"##,
            x(i),
            KH - KBOTTOM + 16.0,
            esc(&p.label)
        );
    }
    out.push_str("</svg>");
    out
}
