//! Payment rules: the published examples are valid, each rule has a
//! payment that breaks only that rule, with its exact code and path, and
//! generated splits of an amount into applications hold to the sum rule.

use canonical_finance::model::*;
use canonical_finance::validate::{Severity, Validate, rule};
use canonical_finance::{Currency, ExchangeRate, Money};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::validate_customer::examples;
use crate::validate_fields::{assert_clean, assert_only, build, only_message};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

/// A fee of `amount`. `PaymentFee` has no constructor, so through its JSON.
fn fee(amount: &str) -> PaymentFee {
    serde_json::from_value(serde_json::json!({"amount": money(amount)})).unwrap()
}

fn to_invoice(id: &str) -> InvoiceRef {
    InvoiceRef::to_id(InvoiceId::new(id).unwrap())
}

fn application(target: &str, amount: &str) -> PaymentApplication {
    PaymentApplication::new(to_invoice(target), money(amount))
}

fn rate(from: Currency, to: Currency, rate: Decimal) -> ExchangeRate {
    ExchangeRate::new(from, to, rate, date(2026, 11, 20)).unwrap()
}

/// 1500.00 EUR received from a customer: 1000.00 and 490.00 applied to two
/// invoices, 10.00 left unapplied, a processor fee of 21.75.
fn payment() -> Payment {
    let mut p = Payment::new(
        PaymentId::new("pay_1").unwrap(),
        PaymentDirection::Received,
        money("1500.00 EUR"),
        date(2026, 11, 20),
    );
    p.counterparty = Some(CustomerRef::to_id(CustomerId::new("cust_1").unwrap()));
    p.value_date = Some(date(2026, 11, 21));
    p.applications = vec![application("inv_1", "1000.00 EUR"), application("inv_2", "490.00 EUR")];
    p.unapplied_amount = Some(money("10.00 EUR"));
    p.fees.push(fee("21.75 EUR"));
    p.external_refs.push(ExternalRef::new("stripe", "payment_intent", "pi_1"));
    p
}

/// 100.00 EUR applied to an invoice in another currency.
fn cross_currency(target_amount: Option<&str>, exchange_rate: Option<ExchangeRate>) -> Payment {
    let mut p = payment();
    p.applications = vec![application("inv_us", "100.00 EUR")];
    p.unapplied_amount = Some(money("1400.00 EUR"));
    p.applications[0].target_amount = target_amount.map(money);
    p.applications[0].exchange_rate = exchange_rate;
    p
}

#[test]
fn published_payment_examples_are_valid() {
    for (file, payment) in examples::<Payment>("payment") {
        let report = payment.validate();
        assert!(report.violations().is_empty(), "{file}:\n{report}");
    }
}

#[test]
fn complete_payment_is_valid() {
    assert_clean(&payment().validate());
    // Without an unapplied amount, the rest is implied.
    let mut p = payment();
    p.unapplied_amount = None;
    assert_clean(&p.validate());
}

#[test]
fn amount_must_be_above_zero() {
    for amount in ["0.00 EUR", "-1500.00 EUR"] {
        let mut p = payment();
        p.amount = money(amount);
        p.applications.clear();
        p.unapplied_amount = None;
        let report = p.validate();
        assert_only(&report, "PAY-AMOUNT-POSITIVE", "/amount");
        assert_eq!(
            only_message(&report),
            format!("expected an amount above zero, but found {amount}")
        );
    }
}

#[test]
fn amounts_finer_than_minor_units_are_errors() {
    let mut p = payment();
    p.amount = money("10.005 EUR");
    p.applications.clear();
    p.unapplied_amount = None;
    p.fees.clear();
    let report = p.validate();
    assert_only(&report, "PAY-MINOR-UNITS", "/amount/amount");
    assert_eq!(
        only_message(&report),
        "expected at most 2 decimal places for EUR, but found 10.005 EUR"
    );
}

#[test]
fn a_payment_where_no_money_moved_settles_nothing() {
    for status in [PaymentStatus::Failed, PaymentStatus::Cancelled] {
        let mut p = payment();
        p.status = status;
        let report = p.validate();
        assert_eq!(
            report.violations().iter().map(|v| (v.code, v.path.as_str())).collect::<Vec<_>>(),
            [
                ("PAY-FAILED-APPLIED", "/applications/0/amount"),
                ("PAY-FAILED-APPLIED", "/applications/1/amount"),
                ("PAY-FAILED-APPLIED", "/unapplied_amount"),
            ],
            "{report}"
        );
        p.applications.clear();
        p.unapplied_amount = Some(p.amount);
        assert_only(&p.validate(), "PAY-FAILED-APPLIED", "/unapplied_amount");
        p.unapplied_amount = None;
        assert_clean(&p.validate());
    }
    // Pending and authorised payments may say what they are meant for.
    let mut p = payment();
    p.status = PaymentStatus::Pending;
    assert_clean(&p.validate());
}

#[test]
fn a_supplier_payment_goes_out_on_the_purchases_side() {
    let mut p = payment();
    p.side = TradeSide::Purchases;
    p.direction = PaymentDirection::Sent;
    assert_clean(&p.validate());
    assert_eq!(PaymentDirection::settling(TradeSide::Purchases), PaymentDirection::Sent);
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(
        (json["side"].as_str(), json["direction"].as_str()),
        (Some("purchases"), Some("sent"))
    );
}

#[test]
fn customer_reference_must_resolve() {
    let mut p = payment();
    p.counterparty = Some(CustomerRef::default());
    assert_only(&p.validate(), "PAY-CUSTOMER-REF", "/counterparty");
}

#[test]
fn application_target_must_resolve() {
    let mut p = payment();
    p.applications[1].target = InvoiceRef::default().with_display("RE-2026-0002");
    assert_only(&p.validate(), "PAY-TARGET-REF", "/applications/1/target");
}

#[test]
fn applied_amount_must_be_above_zero() {
    let mut p = payment();
    p.applications.push(application("inv_3", "0.00 EUR"));
    let report = p.validate();
    assert_only(&report, "PAY-APPLICATION-POSITIVE", "/applications/2/amount");
    assert_eq!(only_message(&report), "expected an applied amount above zero, but found 0.00 EUR");
}

#[test]
fn applied_amount_in_another_currency_is_an_error() {
    let mut p = payment();
    p.applications[1].amount = money("490.00 USD");
    let report = p.validate();
    assert_only(&report, "PAY-APPLICATION-CURRENCY", "/applications/1/amount/currency");
    assert_eq!(
        only_message(&report),
        "expected the applied amount in the payment currency EUR, but found USD"
    );
}

#[test]
fn applications_and_unapplied_must_add_up_to_the_amount() {
    let mut p = payment();
    p.unapplied_amount = Some(money("10.01 EUR"));
    let report = p.validate();
    assert_only(&report, "PAY-APPLIED-SUM", "/unapplied_amount");
    assert_eq!(
        only_message(&report),
        "expected the applied amounts, 1490.00 EUR, plus the unapplied amount, 10.01 EUR, to equal the amount 1500.00 EUR, but they add up to 1500.01 EUR"
    );
}

#[test]
fn applications_must_not_exceed_the_amount_without_unapplied() {
    let mut p = payment();
    p.unapplied_amount = None;
    p.applications[1].amount = money("500.01 EUR");
    let report = p.validate();
    assert_only(&report, "PAY-APPLIED-SUM", "/applications");
    assert_eq!(
        only_message(&report),
        "expected the applied amounts to add up to at most the amount 1500.00 EUR, but they add up to 1500.01 EUR"
    );
}

#[test]
fn credits_used_beside_the_money_settle_with_it() {
    // 1500.00 received and a 250.00 credit note used: 1750.00 applied.
    let mut p = payment();
    p.credits_used.push(CreditUsed::new(to_invoice("cn_1"), money("250.00 EUR")));
    p.applications[1].amount = money("740.00 EUR");
    assert!(p.validate().is_valid(), "{}", p.validate());
    p.applications[1].amount = money("490.00 EUR");
    let report = p.validate();
    assert_only(&report, "PAY-APPLIED-SUM", "/unapplied_amount");
    assert_eq!(
        only_message(&report),
        "expected the applied amounts, 1490.00 EUR, plus the unapplied amount, 10.00 EUR, to equal the amount 1500.00 EUR plus the credits used, 250.00 EUR, that is 1750.00 EUR, but they add up to 1500.00 EUR"
    );
}

#[test]
fn refunds_are_the_part_given_back() {
    // 1500.00 received, 400.00 of it refunded: 1090.00 applied, 10.00 left.
    let mut p = payment();
    let refund = PaymentRef::to_id(PaymentId::new("pay_r1").unwrap());
    p.refunds.push(PaymentRefund::new(refund.clone(), money("400.00 EUR")));
    p.applications[1].amount = money("90.00 EUR");
    assert!(p.validate().is_valid(), "{}", p.validate());
    p.unapplied_amount = None;
    p.applications[1].amount = money("500.01 EUR");
    let report = p.validate();
    assert_only(&report, "PAY-APPLIED-SUM", "/applications");
    assert_eq!(
        only_message(&report),
        "expected the applied amounts plus the refunds, 400.00 EUR, to add up to at most the amount 1500.00 EUR, but they add up to 1900.01 EUR"
    );
}

#[test]
fn credits_and_refunds_name_their_record_and_a_positive_amount_in_the_currency() {
    let mut p = payment();
    p.unapplied_amount = None;
    p.credits_used.push(CreditUsed::new(InvoiceRef::default(), money("0.00 EUR")));
    p.refunds.push(PaymentRefund::new(PaymentRef::default(), money("5.00 USD")));
    let report = p.validate();
    let found: Vec<(&str, &str)> =
        report.violations().iter().map(|v| (v.code, v.path.as_str())).collect();
    assert_eq!(
        found,
        [
            ("PAY-TARGET-REF", "/credits_used/0/credit"),
            ("PAY-APPLICATION-POSITIVE", "/credits_used/0/amount"),
            ("PAY-TARGET-REF", "/refunds/0/refund"),
            ("PAY-APPLICATION-CURRENCY", "/refunds/0/amount/currency"),
        ],
        "{report}"
    );
}

#[test]
fn same_invoice_twice_is_an_error() {
    let mut p = payment();
    p.applications[1].target = to_invoice("inv_1");
    let report = p.validate();
    assert_only(&report, "PAY-DUPLICATE-TARGET", "/applications/1/target");
    assert_eq!(
        only_message(&report),
        "expected each invoice to be the target of one application, but application 1 applies to `inv_1` like application 0"
    );
}

#[test]
fn same_external_invoice_twice_is_an_error_but_another_tenant_is_not() {
    let stripe = ExternalRef::new("stripe", "invoice", "in_1");
    let mut p = payment();
    p.applications[0].target.external_refs.push(stripe.clone());
    p.applications[1].target = InvoiceRef::to_external(stripe.clone());
    assert_only(&p.validate(), "PAY-DUPLICATE-TARGET", "/applications/1/target");

    let mut p = payment();
    p.applications[0].target = InvoiceRef::to_external(stripe.clone().with_tenant("acct_A"));
    p.applications[1].target = InvoiceRef::to_external(stripe.with_tenant("acct_B"));
    assert_clean(&p.validate());
}

#[test]
fn many_applications_are_checked_for_duplicates_too() {
    // More applications than the pairwise comparison handles.
    let mut p = payment();
    p.amount = money("100.00 EUR");
    p.unapplied_amount = Some(money("0.00 EUR"));
    p.applications =
        (0..100).map(|i| application(&format!("inv_{i}"), "1.00 EUR")).collect::<Vec<_>>();
    assert_clean(&p.validate());
    p.applications[73].target = to_invoice("inv_12");
    let report = p.validate();
    assert_only(&report, "PAY-DUPLICATE-TARGET", "/applications/73/target");
    assert!(only_message(&report).ends_with("like application 12"), "{report}");
}

#[test]
fn negative_unapplied_amount_is_an_error() {
    let mut p = payment();
    p.applications[1].amount = money("510.00 EUR");
    p.unapplied_amount = Some(money("-10.00 EUR"));
    assert_only(&p.validate(), "PAY-UNAPPLIED-NON-NEGATIVE", "/unapplied_amount");
}

#[test]
fn unapplied_amount_in_another_currency_is_an_error() {
    let mut p = payment();
    p.unapplied_amount = Some(money("10.00 USD"));
    assert_only(&p.validate(), "PAY-UNAPPLIED-CURRENCY", "/unapplied_amount/currency");
}

#[test]
fn fees_must_be_above_zero_and_in_the_payment_currency() {
    let mut p = payment();
    p.fees[0].amount = money("0.00 EUR");
    assert_only(&p.validate(), "PAY-FEE-POSITIVE", "/fees/0/amount");

    let mut p = payment();
    p.fees.push(fee("0.30 USD"));
    let report = p.validate();
    assert_only(&report, "PAY-FEE-CURRENCY", "/fees/1/amount/currency");
    assert_eq!(
        only_message(&report),
        "expected the fee in the payment currency EUR, but found USD"
    );
}

#[test]
fn payment_rate_must_convert_from_the_payment_currency() {
    let mut p = payment();
    p.exchange_rate = Some(rate(Currency::EUR, Currency::USD, dec!(1.0842)));
    assert_clean(&p.validate());
    p.exchange_rate = Some(rate(Currency::USD, Currency::EUR, dec!(0.9223)));
    let report = p.validate();
    assert_only(&report, "PAY-RATE-CURRENCY", "/exchange_rate/from");
    assert_eq!(
        only_message(&report),
        "expected a rate from the payment currency EUR, but found a rate from USD (1 USD = 0.9223 EUR)"
    );
}

#[test]
fn refund_must_name_another_payment_and_move_money_back() {
    let mut p = payment();
    p.direction = PaymentDirection::Sent;
    // A payout to a customer needs no refund_of.
    assert_clean(&p.validate());

    p.refund_of = Some(PaymentRef::default());
    assert_only(&p.validate(), "PAY-REFUND-REF", "/refund_of");

    p.refund_of = Some(PaymentRef::to_id(PaymentId::new("pay_1").unwrap()));
    let report = p.validate();
    assert_only(&report, "PAY-REFUND-REF", "/refund_of/id");
    assert_eq!(
        only_message(&report),
        "expected another payment in refund_of, but found the payment's own id `pay_1`"
    );

    p.refund_of =
        Some(PaymentRef::to_external(ExternalRef::new("stripe", "payment_intent", "pi_1")));
    assert_only(&p.validate(), "PAY-REFUND-REF", "/refund_of/external_refs/0");

    p.refund_of = Some(PaymentRef::to_id(PaymentId::new("pay_0").unwrap()));
    assert_clean(&p.validate());

    // A refund moves money against its side's settlements.
    p.direction = PaymentDirection::Received;
    let report = p.validate();
    assert_only(&report, "PAY-REFUND-REF", "/direction");
    assert_eq!(
        only_message(&report),
        "expected a refund on the sales side to be sent (it returns money the other way), but found received"
    );
    // On the purchases side a supplier's refund comes in.
    p.side = TradeSide::Purchases;
    assert_clean(&p.validate());
    p.direction = PaymentDirection::Sent;
    assert_only(&p.validate(), "PAY-REFUND-REF", "/direction");
}

#[test]
fn value_date_before_payment_date_is_a_warning() {
    let mut p = payment();
    p.value_date = Some(date(2026, 11, 19));
    let report = p.validate();
    assert_only(&report, "PAY-VALUE-DATE", "/value_date");
    assert!(report.is_valid());
    assert_eq!(
        only_message(&report),
        "expected a value date on or after the payment date 2026-11-20, but found 2026-11-19"
    );
}

#[test]
fn payer_account_is_checked() {
    let mut p = payment();
    p.payer_account =
        Some(build(|a: &mut BankAccount| a.iban = Some("DE88370400440532013000".into())));
    assert_only(&p.validate(), "IBAN", "/payer_account/iban");
}

// ---------------------------------------------------------------------------
// Cross-currency applications

#[test]
fn cross_currency_application_with_matching_rate_and_target_amount_is_valid() {
    let eur_usd = rate(Currency::EUR, Currency::USD, dec!(1.0842));
    assert_clean(&cross_currency(Some("108.42 USD"), Some(eur_usd.clone())).validate());
    // One minor unit either way is the other system's rounding.
    assert_clean(&cross_currency(Some("108.43 USD"), Some(eur_usd.clone())).validate());
    assert_clean(&cross_currency(Some("108.41 USD"), Some(eur_usd)).validate());
    let eur_jpy = rate(Currency::EUR, Currency::JPY, dec!(162.31));
    assert_clean(&cross_currency(Some("16231 JPY"), Some(eur_jpy)).validate());
}

#[test]
fn cross_currency_target_amount_off_by_more_than_a_minor_unit_is_an_error() {
    let eur_usd = rate(Currency::EUR, Currency::USD, dec!(1.0842));
    let report = cross_currency(Some("108.44 USD"), Some(eur_usd)).validate();
    assert_only(&report, "PAY-APPLICATION-FX", "/applications/0/target_amount");
    assert_eq!(
        only_message(&report),
        "expected 108.42 USD (100.00 EUR at 1 EUR = 1.0842 USD, rounded half-even) give or take one minor unit, but found 108.44 USD"
    );
}

#[test]
fn cross_currency_application_needs_a_rate_and_a_target_amount() {
    let report = cross_currency(Some("108.42 USD"), None).validate();
    assert_only(&report, "PAY-APPLICATION-FX", "/applications/0/exchange_rate");
    assert_eq!(
        only_message(&report),
        "expected an exchange rate from EUR to USD for the target amount 108.42 USD, but found none"
    );

    let eur_usd = rate(Currency::EUR, Currency::USD, dec!(1.0842));
    let report = cross_currency(None, Some(eur_usd)).validate();
    assert_only(&report, "PAY-APPLICATION-FX", "/applications/0/target_amount");
}

#[test]
fn cross_currency_rate_and_target_amount_must_fit_together() {
    let usd_eur = rate(Currency::USD, Currency::EUR, dec!(0.9223));
    let report = cross_currency(Some("108.42 USD"), Some(usd_eur)).validate();
    assert_only(&report, "PAY-APPLICATION-FX", "/applications/0/exchange_rate/from");

    let eur_usd = rate(Currency::EUR, Currency::USD, dec!(1.0842));
    let report = cross_currency(Some("85.00 GBP"), Some(eur_usd)).validate();
    assert_only(&report, "PAY-APPLICATION-FX", "/applications/0/target_amount/currency");
}

#[test]
fn target_amount_in_the_payment_currency_equals_the_applied_amount() {
    assert_clean(&cross_currency(Some("100.00 EUR"), None).validate());
    let report = cross_currency(Some("99.00 EUR"), None).validate();
    assert_only(&report, "PAY-APPLICATION-FX", "/applications/0/target_amount");
}

#[test]
fn payment_rules_are_in_the_catalogue() {
    for (code, severity) in [
        ("PAY-AMOUNT-POSITIVE", Severity::Error),
        ("PAY-MINOR-UNITS", Severity::Error),
        ("PAY-CUSTOMER-REF", Severity::Error),
        ("PAY-TARGET-REF", Severity::Error),
        ("PAY-APPLICATION-POSITIVE", Severity::Error),
        ("PAY-APPLICATION-CURRENCY", Severity::Error),
        ("PAY-APPLICATION-FX", Severity::Error),
        ("PAY-APPLIED-SUM", Severity::Error),
        ("PAY-DUPLICATE-TARGET", Severity::Error),
        ("PAY-UNAPPLIED-NON-NEGATIVE", Severity::Error),
        ("PAY-UNAPPLIED-CURRENCY", Severity::Error),
        ("PAY-FEE-POSITIVE", Severity::Error),
        ("PAY-FEE-CURRENCY", Severity::Error),
        ("PAY-RATE-CURRENCY", Severity::Error),
        ("PAY-REFUND-REF", Severity::Error),
        ("PAY-VALUE-DATE", Severity::Warning),
    ] {
        let r = rule(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(r.severity, severity, "{code}");
        assert_eq!(r.entity, Some(Entity::Payment), "{code}");
    }
}

// ---------------------------------------------------------------------------
// Properties

/// An amount split by `weights`: the last part is left unapplied, the
/// other non-zero parts are applied to invoices `inv_0`, `inv_1`, ...
fn split_payment(amount: Money, weights: &[u32]) -> Payment {
    let weights: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
    let mut parts = amount.allocate(&weights).unwrap();
    let unapplied = parts.pop().unwrap();
    let mut p = Payment::new(
        PaymentId::new("pay_p").unwrap(),
        PaymentDirection::Received,
        amount,
        date(2026, 11, 20),
    );
    p.applications = parts
        .into_iter()
        .filter(|m| !m.is_zero())
        .enumerate()
        .map(|(i, m)| PaymentApplication::new(to_invoice(&format!("inv_{i}")), m))
        .collect();
    p.unapplied_amount = Some(unapplied);
    p
}

fn currencies() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec![Currency::EUR, Currency::USD, Currency::JPY, Currency::KWD])
}

proptest! {
    #[test]
    fn any_split_into_applications_and_unapplied_is_valid(
        currency in currencies(),
        minor in 1i64..=1_000_000_000_000,
        weights in prop::collection::vec(1u32..=1000, 1..=8),
        unapplied_weight in 0u32..=1000,
    ) {
        let amount = Money::from_minor(minor, currency).unwrap();
        let mut all = weights.clone();
        all.push(unapplied_weight);
        let p = split_payment(amount, &all);
        let report = p.validate();
        prop_assert!(report.violations().is_empty(), "{}", report);
        // The rest is implied when unapplied_amount is left out.
        let mut implied = p;
        implied.unapplied_amount = None;
        prop_assert!(implied.validate().violations().is_empty());
    }

    #[test]
    fn moving_one_application_by_one_minor_unit_breaks_the_sum(
        currency in currencies(),
        minor in 1i64..=1_000_000_000_000,
        weights in prop::collection::vec(1u32..=1000, 1..=8),
        unapplied_weight in 0u32..=1000,
        pick in any::<prop::sample::Index>(),
        up in any::<bool>(),
    ) {
        let amount = Money::from_minor(minor, currency).unwrap();
        let mut all = weights.clone();
        all.push(unapplied_weight);
        let mut p = split_payment(amount, &all);
        prop_assume!(!p.applications.is_empty());
        let i = pick.index(p.applications.len());
        let unit = Money::from_minor(1, currency).unwrap();
        let app = &mut p.applications[i];
        let up = up || app.amount == unit;
        app.amount = if up {
            app.amount.checked_add(unit).unwrap()
        } else {
            app.amount.checked_sub(unit).unwrap()
        };
        let report = p.validate();
        prop_assert_eq!(report.codes(), vec!["PAY-APPLIED-SUM"], "{}", report);
        prop_assert_eq!(report.violations().len(), 1);
        prop_assert_eq!(report.violations()[0].path.as_str(), "/unapplied_amount");
    }
}
