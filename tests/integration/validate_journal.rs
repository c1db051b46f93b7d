//! Journal entry rules: the published examples are valid, each rule has an
//! entry that breaks only that rule, with its exact code and path, and
//! generated balanced entries hold to the balance rule.

use canonical_finance::model::*;
use canonical_finance::validate::{Severity, Validate, ValidationReport, rule};
use canonical_finance::{Currency, ExchangeRate, Money};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::validate_customer::examples;
use crate::validate_fields::{assert_clean, assert_only, only_message};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

fn debit(account: &str, amount: &str) -> JournalLine {
    JournalLine::new(account, Side::Debit, money(amount))
}

fn credit(account: &str, amount: &str) -> JournalLine {
    JournalLine::new(account, Side::Credit, money(amount))
}

fn entry(lines: Vec<JournalLine>) -> JournalEntry {
    let mut je = JournalEntry::new(JournalEntryId::new("je_1").unwrap(), date(2026, 11, 30));
    je.lines = lines;
    je
}

/// An invoice posting: receivable against revenue and VAT.
fn posting() -> JournalEntry {
    let mut je = entry(vec![
        debit("1200", "1428.00 EUR"),
        credit("4000", "1200.00 EUR"),
        credit("2200", "228.00 EUR"),
    ]);
    for (i, line) in je.lines.iter_mut().enumerate() {
        line.id = Some((i + 1).to_string());
    }
    je.lines[0].counterparty = Some(CustomerRef::to_id(CustomerId::new("cust_1").unwrap()));
    je.external_refs.push(ExternalRef::new("netsuite", "journalentry", "77120"));
    je
}

fn usd_eur() -> ExchangeRate {
    ExchangeRate::new(Currency::USD, Currency::EUR, dec!(0.9236), date(2026, 11, 27)).unwrap()
}

/// A USD line carried in EUR at 0.9236.
fn usd_line(side: Side, amount: &str, functional: &str) -> JournalLine {
    let mut line = JournalLine::new("1400", side, money(amount));
    line.functional_amount = Some(money(functional));
    line.exchange_rate = Some(usd_eur());
    line
}

/// A USD invoice posted in a EUR ledger.
fn foreign() -> JournalEntry {
    entry(vec![
        usd_line(Side::Debit, "14975.00 USD", "13830.91 EUR"),
        usd_line(Side::Credit, "12475.00 USD", "11521.91 EUR"),
        usd_line(Side::Credit, "2500.00 USD", "2309.00 EUR"),
    ])
}

/// Asserts that every violation has `code`, at `paths` in order.
#[track_caller]
fn assert_all(report: &ValidationReport, code: &str, paths: &[&str]) {
    assert_eq!(report.codes(), vec![code], "{report}");
    let found: Vec<&str> = report.violations().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(found, paths, "{report}");
}

#[test]
fn published_journal_entry_examples_are_valid() {
    for (file, je) in examples::<JournalEntry>("journal_entry") {
        let report = je.validate();
        assert!(report.violations().is_empty(), "{file}:\n{report}");
    }
}

#[test]
fn balanced_entries_are_valid() {
    assert_clean(&posting().validate());
    assert_clean(&foreign().validate());
    // Two currencies, each balanced on its own.
    let mut je = posting();
    je.lines.push(debit("1210", "100.00 USD"));
    je.lines.push(credit("4010", "100.00 USD"));
    assert_clean(&je.validate());
}

#[test]
fn entry_needs_two_lines() {
    let report = entry(Vec::new()).validate();
    assert_only(&report, "JE-MIN-LINES", "/lines");
    assert_eq!(only_message(&report), "expected at least two lines, but found 0");
}

#[test]
fn debits_must_equal_credits_per_currency() {
    let mut je = posting();
    je.lines[2].amount = money("227.99 EUR");
    let report = je.validate();
    assert_only(&report, "JE-BALANCED", "/lines");
    assert_eq!(
        only_message(&report),
        "expected debits to equal credits in EUR, but debits are 1428.00 EUR and credits 1427.99 EUR"
    );
}

#[test]
fn each_unbalanced_currency_is_its_own_violation() {
    let mut je = posting();
    je.lines.push(debit("1210", "100.00 USD"));
    je.lines.push(credit("4010", "99.00 USD"));
    let report = je.validate();
    assert_only(&report, "JE-BALANCED", "/lines");
    assert!(only_message(&report).contains("in USD"), "{report}");

    je.lines[0].amount = money("1428.01 EUR");
    let report = je.validate();
    assert_all(&report, "JE-BALANCED", &["/lines", "/lines"]);
    assert!(report.violations()[0].message.contains("in EUR"), "{report}");
    assert!(report.violations()[1].message.contains("in USD"), "{report}");
}

#[test]
fn negative_amount_is_an_error() {
    // Balanced, but with the sign where the side belongs.
    let je = entry(vec![
        debit("1200", "100.00 EUR"),
        debit("1200", "-5.00 EUR"),
        credit("4000", "95.00 EUR"),
    ]);
    let report = je.validate();
    assert_only(&report, "JE-AMOUNT-NON-NEGATIVE", "/lines/1/amount");
    assert_eq!(
        only_message(&report),
        "expected an amount of zero or more on the debit side, but found -5.00 EUR"
    );
}

#[test]
fn amounts_finer_than_minor_units_are_errors() {
    let je = entry(vec![debit("1200", "10.005 EUR"), credit("4000", "10.005 EUR")]);
    assert_all(
        &je.validate(),
        "JE-MINOR-UNITS",
        &["/lines/0/amount/amount", "/lines/1/amount/amount"],
    );
}

#[test]
fn all_zero_entry_is_an_error() {
    let je = entry(vec![debit("1200", "0.00 EUR"), credit("4000", "0.00 EUR")]);
    let report = je.validate();
    assert_only(&report, "JE-NOT-ALL-ZERO", "/lines");
    assert_eq!(
        only_message(&report),
        "expected some line with an amount other than zero, but all 2 are zero"
    );
}

#[test]
fn blank_account_code_is_an_error() {
    let mut je = posting();
    je.lines[1].account_code = " ".into();
    assert_only(&je.validate(), "JE-ACCOUNT", "/lines/1/account_code");
}

#[test]
fn line_ids_are_unique() {
    let mut je = posting();
    je.lines[2].id = Some("2".into());
    let report = je.validate();
    assert_only(&report, "JE-LINE-ID", "/lines/2/id");
    assert_eq!(
        only_message(&report),
        "expected a unique line id, but `2` is also the id of line 1"
    );
}

#[test]
fn counterparty_reference_must_resolve() {
    let mut je = posting();
    je.lines[0].counterparty = Some(CustomerRef::default().with_display("Acme"));
    assert_only(&je.validate(), "JE-COUNTERPARTY-REF", "/lines/0/counterparty");
}

// ---------------------------------------------------------------------------
// Functional currency

#[test]
fn functional_amounts_must_balance() {
    let mut je = foreign();
    // Within one minor unit of the conversion, but one cent off the balance.
    je.lines[2].functional_amount = Some(money("2309.01 EUR"));
    let report = je.validate();
    assert_only(&report, "JE-BALANCED-FUNCTIONAL", "/lines");
    assert_eq!(
        only_message(&report),
        "expected debits to equal credits in the functional currency EUR, but debits are 13830.91 EUR and credits 13830.92 EUR"
    );
}

#[test]
fn functional_amounts_share_one_currency() {
    let mut je = foreign();
    let usd_gbp =
        ExchangeRate::new(Currency::USD, Currency::GBP, dec!(0.79), date(2026, 11, 27)).unwrap();
    je.lines[2].functional_amount = Some(money("1975.00 GBP"));
    je.lines[2].exchange_rate = Some(usd_gbp);
    let report = je.validate();
    assert_only(&report, "JE-FUNCTIONAL-CURRENCY", "/lines/2/functional_amount/currency");
}

#[test]
fn lines_in_another_currency_need_a_functional_amount_when_others_have_one() {
    let mut je = foreign();
    je.lines[2].functional_amount = None;
    je.lines[2].exchange_rate = None;
    let report = je.validate();
    assert_only(&report, "JE-FUNCTIONAL-MISSING", "/lines/2/functional_amount");
    assert_eq!(
        only_message(&report),
        "expected the amount 2500.00 USD in the functional currency EUR, as other lines give it, but found no functional amount"
    );
}

#[test]
fn lines_in_the_functional_currency_count_with_their_amount() {
    // A USD receivable settled into a EUR account with an exchange gain:
    // each currency balances, and so does the ledger in EUR.
    let mut gain = JournalLine::new("4840", Side::Credit, money("0.00 USD"));
    gain.functional_amount = Some(money("2.00 EUR"));
    let je = entry(vec![
        usd_line(Side::Debit, "100.00 USD", "92.36 EUR"),
        usd_line(Side::Credit, "100.00 USD", "92.36 EUR"),
        debit("1800", "50.00 EUR"),
        credit("1801", "48.00 EUR"),
        gain,
    ]);
    let report = je.validate();
    assert_only(&report, "JE-BALANCED", "/lines");
    assert!(only_message(&report).contains("in EUR"), "{report}");

    // A zero-amount adjustment line needs no rate and is not converted.
    let mut adjustment = JournalLine::new("4840", Side::Credit, money("0.00 USD"));
    adjustment.functional_amount = Some(money("2.00 EUR"));
    let je = entry(vec![
        usd_line(Side::Debit, "100.00 USD", "92.36 EUR"),
        {
            let mut l = JournalLine::new("1400", Side::Credit, money("100.00 USD"));
            l.functional_amount = Some(money("90.36 EUR"));
            l.exchange_rate = Some(
                ExchangeRate::new(Currency::USD, Currency::EUR, dec!(0.9036), date(2026, 10, 1))
                    .unwrap(),
            );
            l
        },
        adjustment,
    ]);
    assert_clean(&je.validate());
}

#[test]
fn functional_amount_must_be_the_converted_amount() {
    // The receivable was booked at another rate; an adjustment line keeps the
    // functional balance, so only the conversion is off.
    let mut adjustment = JournalLine::new("4840", Side::Credit, money("0.00 USD"));
    adjustment.functional_amount = Some(money("2.36 EUR"));
    let je = entry(vec![
        usd_line(Side::Debit, "100.00 USD", "92.36 EUR"),
        usd_line(Side::Credit, "100.00 USD", "90.00 EUR"),
        adjustment,
    ]);
    let report = je.validate();
    assert_only(&report, "JE-FX-RATE", "/lines/1/functional_amount");
    assert_eq!(
        only_message(&report),
        "expected 92.36 EUR (100.00 USD at 1 USD = 0.9236 EUR, rounded half-even) give or take one minor unit, but found 90.00 EUR"
    );
}

#[test]
fn functional_amount_needs_a_rate_that_fits() {
    let mut je = foreign();
    je.lines[0].exchange_rate = None;
    assert_only(&je.validate(), "JE-FX-RATE", "/lines/0/exchange_rate");

    let mut je = foreign();
    je.lines[1].exchange_rate = Some(usd_eur().inverse().unwrap());
    assert_only(&je.validate(), "JE-FX-RATE", "/lines/1/exchange_rate/from");

    let mut je = foreign();
    je.lines[1].exchange_rate = Some(
        ExchangeRate::new(Currency::USD, Currency::GBP, dec!(0.79), date(2026, 11, 27)).unwrap(),
    );
    assert_only(&je.validate(), "JE-FX-RATE", "/lines/1/exchange_rate/to");
}

#[test]
fn rate_needs_a_functional_amount() {
    let mut je = posting();
    je.lines.push(debit("1210", "100.00 USD"));
    je.lines.push(credit("4010", "100.00 USD"));
    je.lines[3].exchange_rate = Some(usd_eur());
    assert_only(&je.validate(), "JE-FX-RATE", "/lines/3/functional_amount");
}

#[test]
fn functional_amount_in_the_line_currency_equals_the_amount() {
    let mut je = posting();
    for line in &mut je.lines {
        line.functional_amount = Some(line.amount);
    }
    assert_clean(&je.validate());
    je.lines[0].functional_amount = Some(money("1428.10 EUR"));
    je.lines[1].functional_amount = Some(money("1200.10 EUR"));
    assert_all(
        &je.validate(),
        "JE-FX-RATE",
        &["/lines/0/functional_amount", "/lines/1/functional_amount"],
    );
}

// ---------------------------------------------------------------------------
// Reversals

#[test]
fn reversed_entry_names_its_reversal() {
    let mut je = posting();
    je.status = JournalEntryStatus::Reversed;
    let report = je.validate();
    assert_only(&report, "JE-REVERSED-BY", "/reversed_by");
    je.reversed_by = Some(JournalEntryRef::to_id(JournalEntryId::new("je_2").unwrap()));
    assert_clean(&je.validate());
    je.reversed_by = Some(JournalEntryRef::to_id(JournalEntryId::new("je_1").unwrap()));
    assert_only(&je.validate(), "JE-REVERSED-BY", "/reversed_by/id");
}

#[test]
fn reversing_entry_names_another_entry() {
    let mut je = posting();
    je.reverses = Some(JournalEntryRef::default().with_display("JE-2026-0001"));
    assert_only(&je.validate(), "JE-REVERSAL-REF", "/reverses");

    je.reverses = Some(JournalEntryRef::to_id(JournalEntryId::new("je_1").unwrap()));
    let report = je.validate();
    assert_only(&report, "JE-REVERSAL-REF", "/reverses/id");
    assert_eq!(
        only_message(&report),
        "expected another entry, but found the entry's own id `je_1`"
    );

    je.reverses =
        Some(JournalEntryRef::to_external(ExternalRef::new("netsuite", "journalentry", "77120")));
    assert_only(&je.validate(), "JE-REVERSAL-REF", "/reverses/external_refs/0");

    je.reverses = Some(JournalEntryRef::to_id(JournalEntryId::new("je_0").unwrap()));
    assert_clean(&je.validate());
}

#[test]
fn a_description_alone_makes_no_reversal() {
    let mut je = posting();
    je.description = Some("Reversal of JE-2026-0001".into());
    assert_clean(&je.validate());
}

#[test]
fn journal_entry_rules_are_in_the_catalogue() {
    for code in [
        "JE-MIN-LINES",
        "JE-ACCOUNT",
        "JE-AMOUNT-NON-NEGATIVE",
        "JE-MINOR-UNITS",
        "JE-NOT-ALL-ZERO",
        "JE-BALANCED",
        "JE-FUNCTIONAL-CURRENCY",
        "JE-FUNCTIONAL-MISSING",
        "JE-BALANCED-FUNCTIONAL",
        "JE-FX-RATE",
        "JE-LINE-ID",
        "JE-COUNTERPARTY-REF",
        "JE-REVERSAL-REF",
        "JE-REVERSED-BY",
    ] {
        let r = rule(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(r.severity, Severity::Error, "{code}");
        assert_eq!(r.entity, Some(Entity::JournalEntry), "{code}");
    }
}

// ---------------------------------------------------------------------------
// Properties

fn currencies() -> impl Strategy<Value = Vec<Currency>> {
    prop::sample::subsequence(
        vec![Currency::EUR, Currency::USD, Currency::JPY, Currency::KWD],
        1..=3,
    )
}

/// For each currency: debit amounts in minor units, and weights that share
/// their total out over the credit lines.
type Sides = Vec<(Vec<i64>, Vec<u32>)>;

fn sides(count: usize) -> impl Strategy<Value = Sides> {
    prop::collection::vec(
        (
            prop::collection::vec(0i64..=10_000_000_000, 1..=4),
            prop::collection::vec(1u32..=100, 1..=4),
        )
            .prop_filter("some debit", |(debits, _)| debits.iter().any(|d| *d > 0)),
        count,
    )
}

/// A balanced entry: per currency, the debit lines and credit lines that
/// share out the same total, shuffled by `order`.
fn balanced(currencies: &[Currency], sides: &Sides, order: &[usize]) -> JournalEntry {
    let mut lines = Vec::new();
    for (currency, (debits, weights)) in currencies.iter().zip(sides) {
        let mut total = Money::zero(*currency);
        for (i, minor) in debits.iter().enumerate() {
            let amount = Money::from_minor(*minor, *currency).unwrap();
            total = total.checked_add(amount).unwrap();
            lines.push(JournalLine::new(format!("1{i:03}"), Side::Debit, amount));
        }
        let weights: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
        for (i, part) in total.allocate(&weights).unwrap().into_iter().enumerate() {
            lines.push(JournalLine::new(format!("4{i:03}"), Side::Credit, part));
        }
    }
    let mut shuffled: Vec<(usize, JournalLine)> = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| (order.get(i).copied().unwrap_or(i), l))
        .collect();
    shuffled.sort_by_key(|(key, _)| *key);
    entry(shuffled.into_iter().map(|(_, l)| l).collect())
}

fn scenario() -> impl Strategy<Value = (Vec<Currency>, Sides, Vec<usize>)> {
    currencies().prop_flat_map(|cs| {
        let n = cs.len();
        (Just(cs), sides(n), prop::collection::vec(any::<usize>(), 24))
    })
}

proptest! {
    #[test]
    fn random_balanced_entries_are_valid((currencies, sides, order) in scenario()) {
        let je = balanced(&currencies, &sides, &order);
        let report = je.validate();
        prop_assert!(report.violations().is_empty(), "{}", report);
    }

    #[test]
    fn moving_one_line_by_one_minor_unit_unbalances_exactly_its_currency(
        (currencies, sides, order) in scenario(),
        pick in any::<prop::sample::Index>(),
        up in any::<bool>(),
    ) {
        let mut je = balanced(&currencies, &sides, &order);
        let i = pick.index(je.lines.len());
        let line = &mut je.lines[i];
        let currency = line.amount.currency();
        let unit = Money::from_minor(1, currency).unwrap();
        line.amount = if up || line.amount.is_zero() {
            line.amount.checked_add(unit).unwrap()
        } else {
            line.amount.checked_sub(unit).unwrap()
        };
        let report = je.validate();
        prop_assert_eq!(report.codes(), vec!["JE-BALANCED"], "{}", report);
        prop_assert_eq!(report.violations().len(), 1);
        prop_assert_eq!(report.violations()[0].path.as_str(), "/lines");
        let in_currency = format!("in {currency},");
        prop_assert!(report.violations()[0].message.contains(&in_currency), "{}", report);
    }
}
