use super::*;
use crate::money::Money;
use proptest::collection::vec;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn src(r: &str) -> Source {
    Source {
        kind: SourceKind::Manual,
        reference: r.into(),
    }
}

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn payment() -> Journal {
    Journal::new(
        "contract_payment:7",
        d("2016-05-31"),
        "Payment 7",
        vec![
            Posting::debit(
                Account::expenditure("Adult social care", "Third party payments"),
                m("1200.50"),
                src("7"),
            ),
            Posting::credit(Account::Bank, m("1200.50"), src("7")),
        ],
    )
    .unwrap()
}

#[test]
fn account_codes_round_trip_and_bad_codes_say_why() {
    for code in [
        "expenditure:Adult social care:Third party payments",
        "income:Central services:Support service recharges",
        "creditors",
        "debtors",
        "bank",
        "earmarked_reserve:Insurance",
        "general_reserve",
    ] {
        let a: Account = code.parse().unwrap();
        assert_eq!(a.to_string(), code);
    }
    let e = "expenditure:Roads".parse::<Account>().unwrap_err();
    assert!(
        e.to_string().contains("service line and the subjective"),
        "{e}"
    );
    let e = "cash".parse::<Account>().unwrap_err();
    assert!(e.to_string().contains("unknown account kind `cash`"), "{e}");
    let e = "bank:Lloyds".parse::<Account>().unwrap_err();
    assert!(e.to_string().contains("bank takes no"), "{e}");
    let e = "income: :Fees".parse::<Account>().unwrap_err();
    assert!(e.to_string().contains("blank"), "{e}");
}

#[test]
fn an_unbalanced_journal_is_refused_naming_it_and_the_difference() {
    let e = Journal::new(
        "j1",
        d("2016-04-01"),
        "Bad",
        vec![
            Posting::debit(Account::Bank, m("10.00"), src("a")),
            Posting::credit(Account::Creditors, m("9.99"), src("a")),
        ],
    )
    .unwrap_err();
    assert_eq!(e.field(), "postings");
    assert_eq!(
        e.to_string(),
        "journal `j1` does not balance: debits 10.00, credits 9.99 (difference 0.01)"
    );
}

#[test]
fn empty_journals_zero_lines_and_blank_fields_are_refused_naming_the_field() {
    let day = d("2016-04-01");
    let e = Journal::new("j", day, "x", vec![]).unwrap_err();
    assert_eq!(e.field(), "postings");
    let e = Journal::new(
        "j",
        day,
        "x",
        vec![
            Posting::debit(Account::Bank, m("0"), src("a")),
            Posting::credit(Account::Creditors, m("0"), src("a")),
        ],
    )
    .unwrap_err();
    assert_eq!(e.field(), "postings[1].amount");
    let e = Journal::new(
        "j",
        day,
        "x",
        vec![
            Posting::debit(Account::Bank, m("1"), src("a")),
            Posting::credit(Account::Creditors, m("1"), src(" ")),
        ],
    )
    .unwrap_err();
    assert_eq!(e.field(), "postings[2].source");
    let e = Journal::new(" ", day, "x", vec![]).unwrap_err();
    assert_eq!(e.field(), "idempotency_key");
    let e = Journal::new("j", day, "", vec![]).unwrap_err();
    assert_eq!(e.field(), "description");
}

#[test]
fn a_reversal_swaps_sides_points_back_and_is_not_itself_reversed() {
    let original = payment();
    let rev =
        Journal::reversal_of(3, &original, "rev:3", d("2016-06-01"), "Wrong contract").unwrap();
    assert_eq!(rev.reverses, Some(3));
    assert_eq!(rev.postings()[0].side, Side::Credit);
    assert_eq!(rev.postings()[1].side, Side::Debit);
    assert_eq!(rev.total(), m("1200.50"));
    let e = Journal::reversal_of(4, &rev, "rev:4", d("2016-06-02"), "again").unwrap_err();
    assert_eq!(
        e,
        JournalError::ReversalOfReversal { id: 4, of: 3 },
        "a reversal of a reversal is refused"
    );
}

#[test]
fn the_trial_balance_puts_each_net_on_its_side() {
    let mut b = Balances::new();
    b.apply(&payment());
    let tb = TrialBalance::of(&b);
    assert_eq!(tb.accounts.len(), 2);
    // Income and expenditure first, then the balance sheet.
    assert_eq!(tb.accounts[0].account.kind(), AccountKind::Expenditure);
    assert_eq!(tb.accounts[0].debit, m("1200.50"));
    assert_eq!(tb.accounts[1].account, Account::Bank);
    assert_eq!(tb.accounts[1].credit, m("1200.50"));
    assert_eq!(tb.total_debit, tb.total_credit);
    let json = serde_json::to_value(&tb).unwrap();
    assert_eq!(json["accounts"][1]["account"], "bank");
    assert_eq!(json["accounts"][1]["credit"], "1200.50");
    assert_eq!(json["total_debit"], "1200.50");
}

fn account() -> impl Strategy<Value = Account> {
    prop_oneof![
        Just(Account::Bank),
        Just(Account::Creditors),
        Just(Account::Debtors),
        Just(Account::GeneralReserve),
        Just(Account::EarmarkedReserve("Insurance".into())),
        Just(Account::expenditure("Highways", "Employees")),
        Just(Account::expenditure("Adults", "Third party payments")),
        Just(Account::income("Adults", "Fees and charges")),
    ]
}

/// Any balanced set of postings: each line is mirrored by lines on the other side that
/// split its amount.
pub(crate) fn balanced_postings() -> impl Strategy<Value = Vec<Posting>> {
    vec(
        (account(), account(), 1i64..10_000_000, any::<bool>()),
        1..6,
    )
    .prop_map(|lines| {
        lines
            .into_iter()
            .enumerate()
            .flat_map(|(i, (a, b, pence, flip))| {
                let s = src(&format!("line {i}"));
                let (x, y) = if flip { (b, a) } else { (a, b) };
                [
                    Posting::debit(x, Money::pence(pence), s.clone()),
                    Posting::credit(y, Money::pence(pence), s),
                ]
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn every_built_journal_balances(postings in balanced_postings(), skew in -5i64..5) {
        let mut postings = postings;
        postings[0].amount = Money::pence(postings[0].amount.as_pence() + skew).max_zero();
        match Journal::new("k", d("2016-04-01"), "p", postings.clone()) {
            Ok(j) => {
                let signed: Money = j.postings().iter().map(Posting::signed).sum();
                prop_assert_eq!(signed, Money::ZERO);
                prop_assert_eq!(skew, 0, "a skewed journal was accepted");
            }
            Err(e) => prop_assert!(skew != 0, "{e}"),
        }
    }

    #[test]
    fn balances_equal_the_sum_of_postings_and_the_trial_balance_agrees(
        journals in vec(balanced_postings(), 1..8)
    ) {
        let mut b = Balances::new();
        let mut all = Vec::new();
        for (i, p) in journals.into_iter().enumerate() {
            let j = Journal::new(format!("k{i}"), d("2016-04-01"), "p", p).unwrap();
            b.apply(&j);
            all.extend(j.postings().to_vec());
        }
        for (account, net) in b.nets() {
            let sum: Money = all.iter().filter(|p| p.account == account).map(Posting::signed).sum();
            prop_assert_eq!(net, sum);
        }
        let tb = TrialBalance::of(&b);
        prop_assert_eq!(tb.total_debit, tb.total_credit);
    }

    #[test]
    fn a_reversal_restores_the_balances(before in vec(balanced_postings(), 0..4), p in balanced_postings()) {
        let mut b = Balances::new();
        for (i, p) in before.into_iter().enumerate() {
            b.apply(&Journal::new(format!("k{i}"), d("2016-04-01"), "p", p).unwrap());
        }
        let nets = b.nets();
        let j = Journal::new("x", d("2016-05-01"), "p", p).unwrap();
        b.apply(&j);
        b.apply(&Journal::reversal_of(9, &j, "rx", d("2016-05-02"), "undo").unwrap());
        prop_assert_eq!(b.nets(), nets);
    }
}
