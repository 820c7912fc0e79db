//! Balances per account and the trial balance.

use super::{Account, Journal, Side};
use crate::money::Money;
use serde::Serialize;
use std::collections::BTreeMap;

/// Debits and credits per account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances {
    totals: BTreeMap<Account, (Money, Money)>,
}

impl Balances {
    /// No postings yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds debits and credits to an account (e.g. a stored month's totals).
    pub fn add(&mut self, account: Account, debit: Money, credit: Money) {
        let entry = self.totals.entry(account).or_default();
        entry.0 += debit;
        entry.1 += credit;
    }

    /// Adds every posting of a journal.
    pub fn apply(&mut self, journal: &Journal) {
        for p in journal.postings() {
            match p.side {
                Side::Debit => self.add(p.account.clone(), p.amount, Money::ZERO),
                Side::Credit => self.add(p.account.clone(), Money::ZERO, p.amount),
            }
        }
    }

    /// The net balance of an account, debits positive.
    pub fn net(&self, account: &Account) -> Money {
        self.totals
            .get(account)
            .map_or(Money::ZERO, |(d, c)| *d - *c)
    }

    /// Each account's net balance (debits positive), leaving out those that net to zero.
    pub fn nets(&self) -> BTreeMap<Account, Money> {
        self.totals
            .iter()
            .map(|(a, (d, c))| (a.clone(), *d - *c))
            .filter(|(_, n)| !n.is_zero())
            .collect()
    }

    /// Each account's total debits and credits.
    pub fn totals(&self) -> &BTreeMap<Account, (Money, Money)> {
        &self.totals
    }
}

/// One account on the trial balance: its net balance on the side it falls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialBalanceLine {
    /// The account's code (`expenditure:Service:Subjective`, `bank`, …).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub account: Account,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1234.56"))]
    pub debit: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "0.00"))]
    pub credit: Money,
}

/// The trial balance: every account with a balance, in account order, and the totals of the
/// two columns, which are equal whenever every journal balanced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrialBalance {
    pub accounts: Vec<TrialBalanceLine>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1234.56"))]
    pub total_debit: Money,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "1234.56"))]
    pub total_credit: Money,
}

impl TrialBalance {
    /// The trial balance of these balances.
    pub fn of(balances: &Balances) -> Self {
        let accounts: Vec<TrialBalanceLine> = balances
            .nets()
            .into_iter()
            .map(|(account, net)| {
                if net.is_positive() {
                    TrialBalanceLine {
                        account,
                        debit: net,
                        credit: Money::ZERO,
                    }
                } else {
                    TrialBalanceLine {
                        account,
                        debit: Money::ZERO,
                        credit: -net,
                    }
                }
            })
            .collect();
        let total_debit = accounts.iter().map(|l| l.debit).sum();
        let total_credit = accounts.iter().map(|l| l.credit).sum();
        Self {
            accounts,
            total_debit,
            total_credit,
        }
    }

    /// Whether the two columns agree.
    pub fn balances(&self) -> bool {
        self.total_debit == self.total_credit
    }
}
