//! The register's rules for one contract: how it was let (its route), how its value treats VAT,
//! its status on a day, and the day re-commissioning must start.

use crate::money::Money;
use chrono::{Months, NaiveDate};
use serde::Serialize;

crate::text_enum! {
    /// How a contract was let.
    pub enum Route as "route" {
        /// A tender published under the regime of the day (open, restricted, competitive
        /// flexible and the others).
        Tender = "tender", "Published tender";
        /// Quotes invited below the threshold.
        Quotes = "quotes", "Quotes";
        /// A direct award, on a ground the contract records (PCR reg 32, PA2023 s41 and Sch 5).
        DirectAward = "direct_award", "Direct award";
        /// A contract reserved for public-service mutuals (PCR reg 77, PA2023 s33).
        Reserved = "reserved", "Reserved contract";
        /// Outside the regime altogether (PCR reg 12, PA2023 Sch 2), e.g. a contract with a
        /// company the council controls.
        Exempt = "exempt", "Exempt arrangement";
    }
}

impl Route {
    /// Whether the route must say on what ground it was taken.
    pub fn needs_ground(self) -> bool {
        matches!(self, Route::DirectAward | Route::Exempt)
    }
}

crate::text_enum! {
    /// Whether a contract's value includes VAT.
    pub enum VatTreatment as "VAT treatment" {
        /// The value excludes VAT (the Transparency Code's convention).
        ExcludingVat = "excluding_vat", "Excluding VAT";
        /// The value includes VAT.
        IncludingVat = "including_vat", "Including VAT";
        /// The supply is exempt from or outside the scope of VAT.
        NoVat = "no_vat", "No VAT (exempt or outside scope)";
    }
}

crate::text_enum! {
    /// Where a contract stands on a day.
    pub enum ContractStatus as "contract status" {
        /// Not started yet.
        Pending = "pending", "Pending";
        /// Running.
        Active = "active", "Active";
        /// Past its end date.
        Expired = "expired", "Expired";
        /// Ended early by termination.
        Terminated = "terminated", "Terminated";
    }
}

/// The status of a contract on `today`: terminated from the day of termination, else by its
/// dates (an open-ended contract never expires).
pub fn status(
    start: NaiveDate,
    end: Option<NaiveDate>,
    terminated_on: Option<NaiveDate>,
    today: NaiveDate,
) -> ContractStatus {
    if terminated_on.is_some_and(|t| t <= today) {
        ContractStatus::Terminated
    } else if today < start {
        ContractStatus::Pending
    } else if end.is_some_and(|e| e < today) {
        ContractStatus::Expired
    } else {
        ContractStatus::Active
    }
}

/// The months before its end that re-commissioning of a contract must start: time to
/// consult, procure under the regime (the tender period and standstill) and mobilise.
/// These are ngc's planning defaults, not law: 18 months at or above the procurement
/// threshold, 9 below it.
pub fn recommissioning_lead_months(above_threshold: bool) -> u32 {
    if above_threshold { 18 } else { 9 }
}

/// The day re-commissioning must start: `lead_months` before the end.
pub fn recommission_by(end: NaiveDate, lead_months: u32) -> NaiveDate {
    end - Months::new(lead_months)
}

/// A contract in the expiry pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expiring {
    /// The contract's last day.
    pub ends_on: NaiveDate,
    /// The day re-commissioning must start.
    pub recommission_by: NaiveDate,
    /// Whether that day has passed.
    pub overdue: bool,
}

/// Whether a contract ending on `end` is in the pipeline of the `months` from `today`, and if so
/// when re-commissioning must start.
pub fn expiring(
    end: Option<NaiveDate>,
    lead_months: u32,
    today: NaiveDate,
    months: u32,
) -> Option<Expiring> {
    let end = end?;
    let horizon = today + Months::new(months);
    if end < today || end > horizon {
        return None;
    }
    let by = recommission_by(end, lead_months);
    Some(Expiring {
        ends_on: end,
        recommission_by: by,
        overdue: by < today,
    })
}

/// An existing contract as a council's register lists it (the Transparency Code's fields for
/// contracts over £5,000, and how it was let): the row of an import, or a contract entered by
/// hand. The supplier is named and identified; the use case finds it among the organisations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Where the entry came from (the file's line), for errors.
    pub line: u64,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub department: String,
    pub category: String,
    pub supplier_name: String,
    /// The supplier's registration number in org-id form (`GB-COH-01234567`), if given.
    pub supplier_id: Option<String>,
    /// The supplier's SME and VCSE status as the file states it, if it does.
    pub sme: Option<bool>,
    pub vcse: Option<bool>,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
    pub value: Money,
    pub irrecoverable_vat: Money,
    pub vat_treatment: VatTreatment,
    pub route: Route,
    pub route_ground: String,
}

/// What is wrong with an entry: the field and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct EntryProblem {
    pub field: &'static str,
    pub message: String,
}

impl Entry {
    /// Every problem with the entry's fields taken together (each field alone is checked
    /// when it is read).
    pub fn problems(&self) -> Vec<EntryProblem> {
        let mut out = Vec::new();
        let mut problem = |field, message: String| out.push(EntryProblem { field, message });
        if self.reference.trim().is_empty() {
            problem("reference", "is required".into());
        }
        if self.title.trim().is_empty() {
            problem("title", "is required".into());
        }
        if self.value.is_negative() {
            problem("value", format!("may not be negative ({})", self.value));
        }
        if self.irrecoverable_vat.is_negative() {
            problem(
                "irrecoverable_vat",
                format!("may not be negative ({})", self.irrecoverable_vat),
            );
        }
        if let Some(end) = self.ends_on.filter(|e| *e < self.starts_on) {
            problem(
                "end_date",
                format!("{end} is before the start date {}", self.starts_on),
            );
        }
        if let Some(review) = self
            .review_on
            .filter(|r| *r < self.starts_on || self.ends_on.is_some_and(|e| *r > e))
        {
            problem(
                "review_date",
                format!("{review} is outside the contract's term"),
            );
        }
        if self.route.needs_ground() && self.route_ground.trim().is_empty() {
            problem(
                "route_ground",
                format!(
                    "a {} must say on what ground",
                    self.route.label().to_lowercase()
                ),
            );
        }
        out
    }
}

/// The value a year of a contract running from `start` to `end`: the value spread over its
/// term in days (365.25 a year), rounded half away from zero; the whole value for a term of a year
/// or less; none for an open-ended contract.
pub fn annual_value(value: Money, start: NaiveDate, end: Option<NaiveDate>) -> Option<Money> {
    let days = (end? - start).num_days() + 1;
    if days <= 366 {
        return Some(value);
    }
    let factor = rust_decimal::Decimal::new(36525, 2) / rust_decimal::Decimal::from(days);
    value
        .mul_decimal(factor, crate::money::Rounding::HalfAwayFromZero)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    #[case::before_it_starts("2016-03-31", None, ContractStatus::Pending)]
    #[case::on_its_first_day("2016-04-01", None, ContractStatus::Active)]
    #[case::on_its_last_day("2019-03-31", None, ContractStatus::Active)]
    #[case::the_day_after("2019-04-01", None, ContractStatus::Expired)]
    #[case::terminated_from_the_day("2017-06-30", Some("2017-06-30"), ContractStatus::Terminated)]
    #[case::not_before("2017-06-29", Some("2017-06-30"), ContractStatus::Active)]
    fn a_contracts_status_follows_its_dates(
        #[case] today: &str,
        #[case] terminated: Option<&str>,
        #[case] want: ContractStatus,
    ) {
        let got = status(
            d("2016-04-01"),
            Some(d("2019-03-31")),
            terminated.map(d),
            d(today),
        );
        assert_eq!(got, want);
    }

    fn entry() -> Entry {
        Entry {
            line: 2,
            reference: "NCC-001".into(),
            title: "Home care".into(),
            description: String::new(),
            department: "Adults".into(),
            category: String::new(),
            supplier_name: "Olympus Care Services".into(),
            supplier_id: None,
            sme: None,
            vcse: None,
            starts_on: d("2016-04-01"),
            ends_on: Some(d("2019-03-31")),
            review_on: None,
            value: Money::pounds(3_000_000),
            irrecoverable_vat: Money::ZERO,
            vat_treatment: VatTreatment::ExcludingVat,
            route: Route::Tender,
            route_ground: String::new(),
        }
    }

    #[test]
    fn an_entry_names_each_field_that_is_wrong() {
        assert!(entry().problems().is_empty());
        let mut e = entry();
        e.ends_on = Some(d("2016-03-31"));
        e.review_on = Some(d("2020-01-01"));
        e.route = Route::Exempt;
        let fields: Vec<_> = e.problems().iter().map(|p| p.field).collect();
        assert_eq!(fields, ["end_date", "review_date", "route_ground"]);
        assert!(e.problems()[2].message.contains("exempt arrangement"));
    }

    #[test]
    fn the_annual_value_spreads_the_value_over_the_term() {
        let three_years = annual_value(
            Money::pounds(3_000_000),
            d("2016-04-01"),
            Some(d("2019-03-31")),
        );
        // 1,095 days are 2.998 years of 365.25 days.
        assert_eq!(three_years, Some(Money::pence(100_068_493)));
        assert_eq!(
            annual_value(
                Money::pounds(50_000),
                d("2016-04-01"),
                Some(d("2017-03-31"))
            ),
            Some(Money::pounds(50_000))
        );
        assert_eq!(annual_value(Money::pounds(1), d("2016-04-01"), None), None);
    }

    #[test]
    fn an_open_ended_contract_never_expires() {
        assert_eq!(
            status(d("2016-04-01"), None, None, d("2040-01-01")),
            ContractStatus::Active
        );
        assert_eq!(expiring(None, 18, d("2016-04-01"), 18), None);
    }

    #[test]
    fn the_pipeline_holds_contracts_ending_within_the_horizon_with_their_start_date() {
        let today = d("2016-04-01");
        let e = expiring(Some(d("2017-09-30")), 18, today, 18).unwrap();
        assert_eq!(e.recommission_by, d("2016-03-30"));
        assert!(
            e.overdue,
            "re-commissioning should have started two days ago"
        );
        let e = expiring(Some(d("2017-09-30")), 9, today, 18).unwrap();
        assert_eq!(e.recommission_by, d("2016-12-30"));
        assert!(!e.overdue);
        assert_eq!(expiring(Some(d("2017-10-02")), 18, today, 18), None);
        assert_eq!(expiring(Some(d("2016-03-31")), 18, today, 18), None);
    }
}
