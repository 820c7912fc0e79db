//! The buyer's duty once a bid is flagged as possibly abnormally low: ask the supplier to
//! explain its price, record the explanation, and only then accept or reject the bid
//! (PCR 2015 reg 69; PA2023 s34).
//!
//! `Flagged → ExplanationRequested → Explained → Accepted | Rejected`. Accepting or rejecting
//! before an explanation is recorded is refused. A supplier that does not answer by the
//! buyer's deadline is recorded as its explanation ("no reply by …"), so the record shows the
//! buyer asked.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a flagged bid stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AbnormallyLowStatus {
    /// Flagged by the screening; the supplier has not yet been asked.
    Flagged,
    /// The supplier was asked to explain its price.
    ExplanationRequested {
        /// The day it was asked.
        on: NaiveDate,
    },
    /// The supplier's explanation is recorded, for the buyer to consider.
    Explained {
        /// The day it was received.
        on: NaiveDate,
        /// What the supplier said.
        text: String,
    },
    /// The buyer accepted the explanation: the bid stays in the evaluation.
    Accepted,
    /// The buyer rejected the bid as abnormally low: it is out of the evaluation.
    Rejected,
}

/// What the buyer does next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AbnormallyLowAction {
    /// Ask the supplier to explain its price.
    RequestExplanation {
        /// The day.
        on: NaiveDate,
    },
    /// Record the supplier's explanation.
    RecordExplanation {
        /// The day it was received.
        on: NaiveDate,
        /// What the supplier said.
        text: String,
    },
    /// Accept the explanation and keep the bid.
    Accept,
    /// Reject the bid as abnormally low.
    Reject,
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AbnormallyLowError {
    /// Accept or reject before an explanation is recorded.
    #[error(
        "the bid cannot be {decision} until the supplier's explanation of its price is recorded: it is {status}; the buyer must ask for and consider an explanation first (PCR 2015 reg 69, PA2023 s34)"
    )]
    ExplanationFirst {
        /// `accepted` or `rejected`.
        decision: &'static str,
        /// Where the bid stands, in words.
        status: String,
    },
    /// An explanation recorded before one was asked for.
    #[error(
        "an explanation cannot be recorded before the supplier is asked for one: it is {status}"
    )]
    NotRequested {
        /// Where the bid stands, in words.
        status: String,
    },
    /// An explanation dated before the request.
    #[error("the explanation is dated {on}, before the supplier was asked on {requested}")]
    BeforeRequest {
        /// The request's day.
        requested: NaiveDate,
        /// The explanation's day.
        on: NaiveDate,
    },
    /// An empty explanation.
    #[error(
        "the explanation is empty: record what the supplier said, or that it did not reply by the deadline"
    )]
    EmptyExplanation,
    /// Asking again.
    #[error("the supplier cannot be asked to explain its price now: it is {status}")]
    CannotRequest {
        /// Where the bid stands, in words.
        status: String,
    },
    /// A decision already made.
    #[error("the bid was already {status}: the decision is final")]
    Decided {
        /// `accepted` or `rejected`.
        status: String,
    },
}

impl AbnormallyLowStatus {
    /// The status as a stored word.
    pub fn as_str(&self) -> &'static str {
        match self {
            AbnormallyLowStatus::Flagged => "flagged",
            AbnormallyLowStatus::ExplanationRequested { .. } => "explanation_requested",
            AbnormallyLowStatus::Explained { .. } => "explained",
            AbnormallyLowStatus::Accepted => "accepted",
            AbnormallyLowStatus::Rejected => "rejected",
        }
    }

    /// Whether the buyer has decided (accepted or rejected the bid).
    pub fn is_resolved(&self) -> bool {
        matches!(
            self,
            AbnormallyLowStatus::Accepted | AbnormallyLowStatus::Rejected
        )
    }

    /// Whether the bid was rejected as abnormally low (and is out of the evaluation).
    pub fn is_rejected(&self) -> bool {
        matches!(self, AbnormallyLowStatus::Rejected)
    }
}

impl fmt::Display for AbnormallyLowStatus {
    /// Where the bid stands, in words: "flagged and the supplier not yet asked to explain",
    /// "awaiting the supplier's explanation, asked for on 2025-06-02", ….
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AbnormallyLowStatus::Flagged => {
                f.write_str("flagged and the supplier not yet asked to explain its price")
            }
            AbnormallyLowStatus::ExplanationRequested { on } => {
                write!(f, "awaiting the supplier's explanation, asked for on {on}")
            }
            AbnormallyLowStatus::Explained { on, .. } => {
                write!(
                    f,
                    "explained by the supplier on {on}, awaiting the buyer's decision"
                )
            }
            AbnormallyLowStatus::Accepted => f.write_str("accepted"),
            AbnormallyLowStatus::Rejected => f.write_str("rejected as abnormally low"),
        }
    }
}

/// The status after `action`, or why the buyer may not take it now.
pub fn transition(
    status: &AbnormallyLowStatus,
    action: AbnormallyLowAction,
) -> Result<AbnormallyLowStatus, AbnormallyLowError> {
    use AbnormallyLowAction as A;
    use AbnormallyLowStatus as S;
    if status.is_resolved() {
        return Err(AbnormallyLowError::Decided {
            status: status.as_str().to_owned(),
        });
    }
    match (status, action) {
        (S::Flagged, A::RequestExplanation { on }) => Ok(S::ExplanationRequested { on }),
        (_, A::RequestExplanation { .. }) => Err(AbnormallyLowError::CannotRequest {
            status: status.to_string(),
        }),
        (S::ExplanationRequested { on: requested }, A::RecordExplanation { on, text }) => {
            if on < *requested {
                return Err(AbnormallyLowError::BeforeRequest {
                    requested: *requested,
                    on,
                });
            }
            let text = text.trim();
            if text.is_empty() {
                return Err(AbnormallyLowError::EmptyExplanation);
            }
            Ok(S::Explained {
                on,
                text: text.to_owned(),
            })
        }
        (_, A::RecordExplanation { .. }) => Err(AbnormallyLowError::NotRequested {
            status: status.to_string(),
        }),
        (S::Explained { .. }, A::Accept) => Ok(S::Accepted),
        (S::Explained { .. }, A::Reject) => Ok(S::Rejected),
        (_, action) => Err(AbnormallyLowError::ExplanationFirst {
            decision: if action == A::Accept {
                "accepted"
            } else {
                "rejected"
            },
            status: status.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AbnormallyLowAction as A;
    use AbnormallyLowStatus as S;
    use proptest::prelude::*;
    use rstest::rstest;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn explained() -> S {
        S::Explained {
            on: day("2025-06-05"),
            text: "Our own staff already cover the area".into(),
        }
    }

    #[test]
    fn the_buyer_asks_records_the_answer_then_decides() {
        let s = transition(
            &S::Flagged,
            A::RequestExplanation {
                on: day("2025-06-02"),
            },
        )
        .unwrap();
        assert_eq!(
            s,
            S::ExplanationRequested {
                on: day("2025-06-02")
            }
        );
        let s = transition(
            &s,
            A::RecordExplanation {
                on: day("2025-06-05"),
                text: "  Our own staff already cover the area ".into(),
            },
        )
        .unwrap();
        assert_eq!(s, explained());
        assert!(!s.is_resolved());
        assert_eq!(transition(&s, A::Accept), Ok(S::Accepted));
        assert_eq!(transition(&s, A::Reject), Ok(S::Rejected));
        assert!(
            S::Accepted.is_resolved() && S::Rejected.is_rejected() && !S::Accepted.is_rejected()
        );
    }

    #[rstest]
    #[case::accept_flagged(
        S::Flagged,
        A::Accept,
        "the bid cannot be accepted until the supplier's explanation of its price is recorded: it is flagged and the supplier not yet asked to explain its price; the buyer must ask for and consider an explanation first (PCR 2015 reg 69, PA2023 s34)"
    )]
    #[case::reject_flagged(
        S::Flagged,
        A::Reject,
        "the bid cannot be rejected until the supplier's explanation of its price is recorded: it is flagged and the supplier not yet asked to explain its price; the buyer must ask for and consider an explanation first (PCR 2015 reg 69, PA2023 s34)"
    )]
    #[case::reject_while_waiting(S::ExplanationRequested { on: day("2025-06-02") }, A::Reject, "the bid cannot be rejected until the supplier's explanation of its price is recorded: it is awaiting the supplier's explanation, asked for on 2025-06-02; the buyer must ask for and consider an explanation first (PCR 2015 reg 69, PA2023 s34)")]
    #[case::explain_unasked(S::Flagged, A::RecordExplanation { on: day("2025-06-02"), text: "x".into() }, "an explanation cannot be recorded before the supplier is asked for one: it is flagged and the supplier not yet asked to explain its price")]
    #[case::explain_twice(explained(), A::RecordExplanation { on: day("2025-06-06"), text: "x".into() }, "an explanation cannot be recorded before the supplier is asked for one: it is explained by the supplier on 2025-06-05, awaiting the buyer's decision")]
    #[case::explain_before_asked(S::ExplanationRequested { on: day("2025-06-02") }, A::RecordExplanation { on: day("2025-06-01"), text: "x".into() }, "the explanation is dated 2025-06-01, before the supplier was asked on 2025-06-02")]
    #[case::empty(S::ExplanationRequested { on: day("2025-06-02") }, A::RecordExplanation { on: day("2025-06-02"), text: " ".into() }, "the explanation is empty: record what the supplier said, or that it did not reply by the deadline")]
    #[case::ask_twice(S::ExplanationRequested { on: day("2025-06-02") }, A::RequestExplanation { on: day("2025-06-03") }, "the supplier cannot be asked to explain its price now: it is awaiting the supplier's explanation, asked for on 2025-06-02")]
    #[case::after_accepting(
        S::Accepted,
        A::Reject,
        "the bid was already accepted: the decision is final"
    )]
    #[case::after_rejecting(S::Rejected, A::RequestExplanation { on: day("2025-06-02") }, "the bid was already rejected: the decision is final")]
    fn steps_out_of_order_are_refused_in_words(
        #[case] status: S,
        #[case] action: A,
        #[case] message: &str,
    ) {
        assert_eq!(
            transition(&status, action).unwrap_err().to_string(),
            message
        );
    }

    #[test]
    fn the_status_is_stored_as_tagged_json() {
        let json = serde_json::to_value(explained()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"status": "explained", "on": "2025-06-05", "text": "Our own staff already cover the area"})
        );
        assert_eq!(serde_json::from_value::<S>(json).unwrap(), explained());
        assert_eq!(
            serde_json::to_value(S::Flagged).unwrap(),
            serde_json::json!({"status": "flagged"})
        );
    }

    fn actions() -> impl Strategy<Value = A> {
        let on = (0u64..30).prop_map(|n| day("2025-06-01") + chrono::Days::new(n));
        prop_oneof![
            on.clone().prop_map(|on| A::RequestExplanation { on }),
            (on, prop_oneof![Just(""), Just("Explained")])
                .prop_map(|(on, t)| A::RecordExplanation { on, text: t.into() }),
            Just(A::Accept),
            Just(A::Reject),
        ]
    }

    proptest! {
        #[test]
        fn no_sequence_of_steps_decides_without_a_recorded_explanation(steps in proptest::collection::vec(actions(), 0..8)) {
            let mut status = S::Flagged;
            let mut explained = false;
            for step in steps {
                if let Ok(next) = transition(&status, step) {
                    if next.is_resolved() {
                        prop_assert!(explained, "decided before an explanation");
                    }
                    if let S::Explained { text, .. } = &next {
                        prop_assert!(!text.is_empty());
                        explained = true;
                    }
                    status = next;
                }
            }
        }
    }
}
