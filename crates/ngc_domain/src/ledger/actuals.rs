//! General-ledger actuals: an extract from the council's finance system (period, service
//! line, subjective, amount), and the rule that brings the ledger into agreement with it.
//!
//! **The rule (never counting twice).** The finance system is the book of record; the spend
//! files, contract payments and recharges ngc posts itself are feeders that the finance
//! system holds too. So for each month an extract covers, every income and expenditure
//! account of the organisation is brought to the extract's figure for that account and month
//! (zero where the extract has none): a `gl_actual` journal for the difference between the
//! extract's figure and what the ledger already holds on the account in that month, against
//! the `gl_control` account. After it the ledger's income and expenditure for those months
//! equal the finance system's exactly, whatever the feeders had posted, and the `gl_control`
//! balance is what the finance system holds beyond the feeders (payroll, accruals, payments
//! under £500). A corrected extract for the same months posts only the further differences;
//! the same extract again posts nothing. Months the extract does not cover are left alone.
//!
//! Amounts are as the finance system signs them: debits positive, credits negative (income
//! is normally negative).

use super::{Account, Journal, JournalError, Posting, Source, SourceKind, month_of};
use crate::finance::ServiceLine;
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One line of an extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlLine {
    /// The line in the file (the header is line 1; a workbook's row).
    pub line: u64,
    /// The first day of the month the line falls in.
    pub month: NaiveDate,
    pub service: ServiceLine,
    /// The finance system's cost centre, where the extract gives one.
    pub cost_centre: String,
    /// The subjective, as the finance system names it.
    pub subjective: String,
    /// Whether the subjective is income (posted to an income account).
    pub income: bool,
    /// Debits positive, credits negative.
    pub amount: Money,
}

impl GlLine {
    /// The ledger account the line belongs to: `expenditure:SERVICE:SUBJECTIVE` (or
    /// `income:…`), the service line by its label, any `:` in the subjective made a space.
    pub fn account(&self) -> Account {
        let subjective = self.subjective.replace(':', " ");
        let subjective = subjective.trim();
        if self.income {
            Account::income(self.service.label(), subjective)
        } else {
            Account::expenditure(self.service.label(), subjective)
        }
    }
}

/// An extract read whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlExtract {
    /// The file's name.
    pub name: String,
    /// The SHA-256 of the file's bytes, in hex: the same file again adds nothing.
    pub sha256: String,
    pub lines: Vec<GlLine>,
}

/// The first day of the month holding `day`.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The last day of the month starting `month`.
pub fn month_end(month: NaiveDate) -> NaiveDate {
    let next = if month.month() == 12 {
        NaiveDate::from_ymd_opt(month.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(month.year(), month.month() + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(month)
}

impl GlExtract {
    /// The months the extract covers (first days).
    pub fn months(&self) -> BTreeSet<NaiveDate> {
        self.lines.iter().map(|l| l.month).collect()
    }

    /// The extract's figure per month and account (debits positive).
    pub fn totals(&self) -> BTreeMap<(NaiveDate, Account), Money> {
        let mut out: BTreeMap<(NaiveDate, Account), Money> = BTreeMap::new();
        for l in &self.lines {
            *out.entry((l.month, l.account())).or_default() += l.amount;
        }
        out
    }

    /// The net of every line (debits less credits).
    pub fn net(&self) -> Money {
        self.lines.iter().map(|l| l.amount).sum()
    }
}

/// The journals that bring the ledger to the extract's figures (the rule in the module
/// docs): `held` is the ledger's net (debits less credits) per month and income or
/// expenditure account for the months the extract covers. One journal per account and month
/// with a difference, dated the month's last day, under the key
/// `gl_actual:{reference}:{YYYY-MM}:{account}`, each posting's source `gl_actual` /
/// `reference` (the import).
pub fn true_up(
    reference: &str,
    totals: &BTreeMap<(NaiveDate, Account), Money>,
    held: &BTreeMap<(NaiveDate, Account), Money>,
) -> Result<Vec<Journal>, JournalError> {
    let months: BTreeSet<NaiveDate> = totals.keys().map(|(m, _)| *m).collect();
    let keys: BTreeSet<&(NaiveDate, Account)> = totals
        .keys()
        .chain(held.keys().filter(|(m, a)| {
            months.contains(m) && matches!(a, Account::Expenditure { .. } | Account::Income { .. })
        }))
        .collect();
    let source = Source {
        kind: SourceKind::GlActual,
        reference: reference.to_owned(),
    };
    let mut out = Vec::new();
    for key in keys {
        let (month, account) = key;
        let target = totals.get(key).copied().unwrap_or_default();
        let have = held.get(key).copied().unwrap_or_default();
        let overflow = || JournalError::Overflow {
            key: format!("gl_actual:{reference}"),
        };
        let difference = target.checked_sub(have).ok_or_else(overflow)?;
        if difference.is_zero() {
            continue;
        }
        let amount = difference.checked_abs().ok_or_else(overflow)?;
        let (debit, credit) = if difference.is_positive() {
            (account.clone(), Account::GlControl)
        } else {
            (Account::GlControl, account.clone())
        };
        out.push(Journal::new(
            format!("gl_actual:{reference}:{}:{account}", month_of(*month)),
            month_end(*month),
            format!(
                "General-ledger actuals {}: {account} brought from {} to the finance system's {}",
                month_of(*month),
                have.fmt_gbp(),
                target.fmt_gbp()
            ),
            vec![
                Posting::debit(debit, amount, source.clone()),
                Posting::credit(credit, amount, source.clone()),
            ],
        )?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Balances;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn line(month: &str, service: ServiceLine, subjective: &str, amount: &str) -> GlLine {
        GlLine {
            line: 2,
            month: d(month),
            service,
            cost_centre: String::new(),
            subjective: subjective.into(),
            income: subjective == "Income",
            amount: m(amount),
        }
    }

    #[test]
    fn months_end_on_their_last_day() {
        assert_eq!(month_end(d("2016-02-01")), d("2016-02-29"));
        assert_eq!(month_end(d("2016-12-01")), d("2016-12-31"));
        assert_eq!(month_start(d("2016-12-17")), d("2016-12-01"));
    }

    #[test]
    fn the_ledger_is_brought_to_the_extract_and_feeders_are_not_counted_twice() {
        let care = Account::expenditure("Adult social care", "Third party payments");
        let pay = Account::expenditure("Adult social care", "Employees");
        let fees = Account::income("Adult social care", "Income");
        let elsewhere = Account::expenditure("Unallocated", "Third party payments");
        let extract = GlExtract {
            name: "gl.csv".into(),
            sha256: "x".into(),
            lines: vec![
                line(
                    "2016-04-01",
                    ServiceLine::AdultSocialCare,
                    "Third party payments",
                    "1000.00",
                ),
                line(
                    "2016-04-01",
                    ServiceLine::AdultSocialCare,
                    "Third party payments",
                    "234.56",
                ),
                line(
                    "2016-04-01",
                    ServiceLine::AdultSocialCare,
                    "Employees",
                    "500.00",
                ),
                line(
                    "2016-04-01",
                    ServiceLine::AdultSocialCare,
                    "Income",
                    "-80.00",
                ),
            ],
        };
        // The feeders already posted £900 of care payments in April, £50 on a contract with
        // no department, and £30 in May (a month the extract does not cover).
        let held: BTreeMap<_, _> = [
            ((d("2016-04-01"), care.clone()), m("900.00")),
            ((d("2016-04-01"), elsewhere.clone()), m("50.00")),
            ((d("2016-05-01"), care.clone()), m("30.00")),
        ]
        .into();
        let journals = true_up("gl_import:1", &extract.totals(), &held).unwrap();
        let mut after = Balances::new();
        for ((month, a), net) in &held {
            if *month == d("2016-04-01") {
                after.add(a.clone(), *net, Money::ZERO);
            }
        }
        for j in &journals {
            assert_eq!(j.date, d("2016-04-30"));
            assert!(
                j.key.starts_with("gl_actual:gl_import:1:2016-04:"),
                "{}",
                j.key
            );
            after.apply(j);
        }
        assert_eq!(after.net(&care), m("1234.56"));
        assert_eq!(after.net(&pay), m("500.00"));
        assert_eq!(after.net(&fees), m("-80.00"));
        assert_eq!(after.net(&elsewhere), Money::ZERO);
        // The control account holds what the feeders did not: 1654.56 − 950.00.
        assert_eq!(after.net(&Account::GlControl), m("-704.56"));
        assert_eq!(journals.len(), 4);
        // Posting again from where the ledger now stands posts nothing.
        let now: BTreeMap<_, _> = after
            .nets()
            .into_iter()
            .filter(|(a, _)| *a != Account::GlControl)
            .map(|(a, n)| ((d("2016-04-01"), a), n))
            .collect();
        assert!(
            true_up("gl_import:2", &extract.totals(), &now)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_subjective_with_a_colon_still_makes_an_account() {
        let l = line(
            "2016-04-01",
            ServiceLine::Education,
            "Supplies: books",
            "1.00",
        );
        assert_eq!(
            l.account().to_string(),
            "expenditure:Education:Supplies  books"
        );
        assert!(
            true_up(
                "r",
                &[((l.month, l.account()), l.amount)].into(),
                &BTreeMap::new()
            )
            .is_ok()
        );
    }
}
