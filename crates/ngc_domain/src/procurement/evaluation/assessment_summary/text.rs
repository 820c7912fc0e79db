//! The assessment summary as plain text, for a letter or an e-mail.

use super::AssessmentSummary;
use crate::procurement::regime::Regime;
use std::fmt::Write;

impl AssessmentSummary {
    /// The summary as plain text: heading, outcome, criteria, scores with reasons, totals,
    /// and under PCR 2015 the relative advantages of the successful bid and the end of
    /// standstill.
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut t);
        t
    }

    fn write(&self, t: &mut String) -> std::fmt::Result {
        let title = match self.regime {
            Regime::Pa2023 => "Assessment summary",
            Regime::Pcr2015 => "Notice of the award decision",
        };
        writeln!(t, "{title}: {}, {}", self.procurement, self.lot)?;
        writeln!(t, "To: {}", self.recipient)?;
        writeln!(t, "Under: {}", self.reference)?;
        writeln!(t, "Most advantageous tender: {}", self.winner)?;
        writeln!(t)?;
        writeln!(t, "{}", self.outcome)?;
        writeln!(t)?;
        writeln!(t, "Award criteria")?;
        for c in &self.criteria {
            writeln!(
                t,
                "- {} ({}%): {}",
                c.name,
                c.weight.normalize(),
                c.how_assessed
            )?;
        }
        writeln!(t)?;
        writeln!(t, "Scores")?;
        for s in &self.scores {
            let mine = &s.recipient;
            writeln!(
                t,
                "- {} ({}%): your bid scored {} out of {}, weighted {}",
                s.name,
                s.weight.normalize(),
                mine.score,
                mine.maximum.normalize(),
                mine.weighted
            )?;
            writeln!(t, "  Why: {}", mine.reason)?;
            if !self.successful {
                let w = &s.winner;
                writeln!(
                    t,
                    "  The winning bid scored {} out of {}, weighted {}",
                    w.score,
                    w.maximum.normalize(),
                    w.weighted
                )?;
                writeln!(t, "  Why: {}", w.reason)?;
            }
        }
        writeln!(t)?;
        if self.successful {
            writeln!(t, "Total: {} out of 100", self.recipient_total)?;
        } else {
            writeln!(
                t,
                "Totals: your bid {} out of 100; the winning bid {} out of 100",
                self.recipient_total, self.winner_total
            )?;
        }
        if !self.relative_advantages.is_empty() {
            writeln!(t)?;
            writeln!(
                t,
                "Characteristics and relative advantages of the successful bid"
            )?;
            for a in &self.relative_advantages {
                writeln!(
                    t,
                    "- {}: weighted {} against your {}. {}",
                    a.name, a.winner_weighted, a.recipient_weighted, a.winner_reason
                )?;
            }
        }
        if let Some(end) = self.standstill_ends_on {
            writeln!(t)?;
            writeln!(
                t,
                "Standstill: the standstill period ends at midnight at the end of {}; the contract will not be entered into before then (PCR 2015 reg 87).",
                end.format("%-d %B %Y")
            )?;
        }
        writeln!(t)?;
        writeln!(t, "Rounding: {}.", self.rounding)
    }
}
