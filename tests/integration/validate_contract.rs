//! Contract rules: the published examples are valid, and each rule has a
//! contract that breaks only that rule, with its exact code and path.

use canonical_finance::model::*;
use canonical_finance::validate::{Severity, Validate, rule};
use canonical_finance::{Currency, Money};
use chrono::NaiveDate;
use rust_decimal_macros::dec;

use crate::validate_customer::examples;
use crate::validate_fields::{assert_clean, assert_only, only_message};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn eur(text: &str) -> Money {
    format!("{text} EUR").parse().unwrap()
}

fn line(id: &str, quantity: rust_decimal::Decimal, price: &str) -> ContractLine {
    let mut l = ContractLine::new(quantity, eur(price));
    l.id = Some(id.into());
    l.interval = Some(Interval::every(IntervalUnit::Month));
    l
}

/// An active yearly contract, billed monthly, with two lines and nothing
/// wrong.
fn contract() -> Contract {
    let customer = CustomerRef::to_id(CustomerId::new("cust_1").unwrap());
    let mut c = Contract::new(ContractId::new("ctr_1").unwrap(), customer, Currency::EUR);
    c.status = ContractStatus::Active;
    c.start_date = Some(date(2026, 1, 1));
    c.end_date = Some(date(2026, 12, 31));
    c.trial_end = Some(date(2026, 1, 14));
    c.billing_frequency = Some(Interval::every(IntervalUnit::Month));
    c.current_period = Some(Period::new(date(2026, 11, 1), date(2026, 11, 30)));
    c.payment_terms = Some(PaymentTerms::net_days(14));
    c.lines = vec![line("si_1", dec!(25), "12.00"), line("si_2", dec!(1), "0.00")];
    c.external_refs.push(ExternalRef::new("stripe", "subscription", "sub_1"));
    c
}

#[test]
fn published_contract_examples_are_valid() {
    for (file, contract) in examples::<Contract>("contract") {
        let report = contract.validate();
        assert!(report.violations().is_empty(), "{file}:\n{report}");
    }
}

#[test]
fn complete_contract_is_valid() {
    assert_clean(&contract().validate());
}

#[test]
fn customer_reference_must_resolve() {
    let mut c = contract();
    c.customer = CustomerRef::default().with_display("Acme");
    let report = c.validate();
    assert_only(&report, "CTR-CUSTOMER", "/customer");
    assert_eq!(
        only_message(&report),
        "expected the customer's id or an external ref, but found neither"
    );
}

#[test]
fn end_date_before_start_date_is_an_error() {
    let mut c = contract();
    c.end_date = Some(date(2025, 12, 31));
    let report = c.validate();
    assert_only(&report, "CTR-END-DATE", "/end_date");
    assert_eq!(
        only_message(&report),
        "expected an end date on or after the start date 2026-01-01, but found 2025-12-31"
    );
    // A one-day contract ends on its start date.
    c.end_date = c.start_date;
    assert_clean(&c.validate());
}

#[test]
fn trial_ending_before_the_start_is_an_error() {
    let mut c = contract();
    c.trial_end = Some(date(2025, 12, 1));
    let report = c.validate();
    assert_only(&report, "CTR-TRIAL-END", "/trial_end");
    assert!(!report.is_valid());
}

#[test]
fn cancellation_before_the_start_is_a_warning() {
    let mut c = contract();
    c.status = ContractStatus::Cancelled;
    c.cancelled_on = Some(date(2025, 12, 20));
    let report = c.validate();
    assert_only(&report, "CTR-CANCELLED-ON", "/cancelled_on");
    assert!(report.is_valid());
}

#[test]
fn a_contract_in_force_cancelled_before_it_started_is_an_error() {
    // The warning's reason, a contract called off before it starts, does
    // not apply to one that is in force.
    for status in [
        ContractStatus::Active,
        ContractStatus::Trialing,
        ContractStatus::PastDue,
        ContractStatus::Suspended,
    ] {
        let mut c = contract();
        c.status = status;
        c.cancelled_on = Some(date(2025, 12, 20));
        let report = c.validate();
        assert_only(&report, "CTR-CANCELLED-BEFORE-START", "/cancelled_on");
        assert!(!report.is_valid(), "{status:?}");
    }
    let mut c = contract();
    c.status = ContractStatus::Pending;
    c.cancelled_on = Some(date(2025, 12, 20));
    assert_only(&c.validate(), "CTR-CANCELLED-ON", "/cancelled_on");
    assert!(c.validate().is_valid());
}

#[test]
fn period_ending_before_it_starts_is_an_error() {
    let mut c = contract();
    c.current_period = Some(Period::new(date(2026, 11, 30), date(2026, 11, 1)));
    assert_only(&c.validate(), "CTR-PERIOD", "/current_period/end");

    let mut c = contract();
    c.lines[1].period = Some(Period::new(date(2026, 6, 2), date(2026, 6, 1)));
    assert_only(&c.validate(), "CTR-PERIOD", "/lines/1/period/end");
}

#[test]
fn line_quantity_must_be_above_zero() {
    for quantity in [dec!(0), dec!(-1)] {
        let mut c = contract();
        c.lines[1].quantity = quantity;
        let report = c.validate();
        assert_only(&report, "CTR-LINE-QUANTITY", "/lines/1/quantity");
        assert_eq!(
            only_message(&report),
            format!("expected a quantity above zero, but found {quantity}")
        );
    }
}

#[test]
fn negative_unit_price_is_an_error() {
    let mut c = contract();
    c.lines[0].unit_price = eur("-12.00");
    assert_only(&c.validate(), "CTR-LINE-PRICE", "/lines/0/unit_price");
}

#[test]
fn unit_price_in_another_currency_is_an_error() {
    let mut c = contract();
    c.lines[1].unit_price = Money::new(dec!(12.00), Currency::USD);
    let report = c.validate();
    assert_only(&report, "CTR-LINE-CURRENCY", "/lines/1/unit_price/currency");
    assert_eq!(
        only_message(&report),
        "expected the unit price in the contract currency EUR, but found USD"
    );
}

#[test]
fn line_ids_are_unique() {
    let mut c = contract();
    c.lines.push(line("si_1", dec!(1), "5.00"));
    let report = c.validate();
    assert_only(&report, "CTR-LINE-ID", "/lines/2/id");
    assert_eq!(
        only_message(&report),
        "expected a unique line id, but `si_1` is also the id of line 0"
    );

    let mut c = contract();
    c.lines[0].id = Some(String::new());
    assert_only(&c.validate(), "CTR-LINE-ID", "/lines/0/id");

    // Lines without ids are fine.
    let mut c = contract();
    for l in &mut c.lines {
        l.id = None;
    }
    assert_clean(&c.validate());
}

#[test]
fn active_or_past_due_contract_without_lines_is_a_warning() {
    for status in [ContractStatus::Active, ContractStatus::PastDue] {
        let mut c = contract();
        c.status = status;
        c.lines.clear();
        let report = c.validate();
        assert_only(&report, "CTR-LINES", "/lines");
        assert!(report.is_valid());
    }
    let mut c = contract();
    c.status = ContractStatus::Draft;
    c.lines.clear();
    assert_clean(&c.validate());
}

#[test]
fn cancelled_contract_without_cancellation_date_is_a_warning() {
    let mut c = contract();
    c.status = ContractStatus::Cancelled;
    let report = c.validate();
    assert_only(&report, "CTR-CANCELLED", "/cancelled_on");
    assert!(report.is_valid());
    c.cancelled_on = Some(date(2026, 6, 30));
    assert_clean(&c.validate());
}

#[test]
fn expired_contract_without_end_date_is_a_warning() {
    let mut c = contract();
    c.status = ContractStatus::Expired;
    c.end_date = None;
    let report = c.validate();
    assert_only(&report, "CTR-EXPIRED", "/end_date");
    assert!(report.is_valid());
}

#[test]
fn shared_parts_are_checked_at_their_paths() {
    let mut c = contract();
    c.lines[0].item = Some(ItemRef::default());
    c.lines[0].item.as_mut().unwrap().external_refs.push(ExternalRef::new("stripe", "price", " "));
    assert_only(&c.validate(), "EXTERNAL-REF", "/lines/0/item/external_refs/0/id");

    let mut c = contract();
    c.customer.external_refs.push(ExternalRef::new("", "customer", "cus_1"));
    assert_only(&c.validate(), "EXTERNAL-REF", "/customer/external_refs/0/system");

    let mut c = contract();
    c.payment_terms.as_mut().unwrap().discount_percent = Some(dec!(2));
    assert_only(&c.validate(), "PAYMENT-TERMS", "/payment_terms/discount_days");
}

#[test]
fn contract_rules_are_in_the_catalogue() {
    for (code, severity) in [
        ("CTR-CUSTOMER", Severity::Error),
        ("CTR-END-DATE", Severity::Error),
        ("CTR-TRIAL-END", Severity::Error),
        ("CTR-CANCELLED-ON", Severity::Warning),
        ("CTR-CANCELLED-BEFORE-START", Severity::Error),
        ("CTR-PERIOD", Severity::Error),
        ("CTR-LINE-QUANTITY", Severity::Error),
        ("CTR-LINE-PRICE", Severity::Error),
        ("CTR-LINE-CURRENCY", Severity::Error),
        ("CTR-LINE-ID", Severity::Error),
        ("CTR-LINES", Severity::Warning),
        ("CTR-CANCELLED", Severity::Warning),
        ("CTR-EXPIRED", Severity::Warning),
    ] {
        let r = rule(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(r.severity, severity, "{code}");
        assert_eq!(r.entity, Some(Entity::Contract), "{code}");
    }
}
