//! Payment rules.
//!
//! The amount splits into its applications and the unapplied rest:
//! `Σ applications.amount + unapplied_amount = amount`, exactly. Without an
//! `unapplied_amount` the rest is taken as `amount − Σ applications`, which
//! must not be negative. Cross-currency applications carry the rate from
//! the payment currency and the amount in the target's currency, which must
//! be the converted amount rounded half-even, give or take one minor unit
//! (systems round the other way, or convert the target amount back).

use super::fields::{self, Conversion, Loc, describe_rate, quoted};
use super::{Rule, Violation};
use crate::model::{
    Entity, ExternalRef, Payment, PaymentApplication, PaymentDirection, PaymentStatus,
};
use crate::money::{Currency, Money};

const E: Entity = Entity::Payment;

pub(super) const AMOUNT_POSITIVE: Rule = Rule::error(
    "PAY-AMOUNT-POSITIVE",
    E,
    "the amount is above zero; direction says which way it went",
);
pub(super) const MINOR_UNITS: Rule = Rule::error(
    "PAY-MINOR-UNITS",
    E,
    "amounts, applied amounts, target amounts, the unapplied amount and fees have no more decimal places than their currency's minor units",
);
pub(super) const CUSTOMER_REF: Rule = Rule::error(
    "PAY-CUSTOMER-REF",
    E,
    "the counterparty reference, when given, gives an id or an external ref",
);
pub(super) const TARGET_REF: Rule = Rule::error(
    "PAY-TARGET-REF",
    E,
    "every application's target, credit used and refund gives an id or an external ref",
);
pub(super) const APPLICATION_POSITIVE: Rule = Rule::error(
    "PAY-APPLICATION-POSITIVE",
    E,
    "every applied amount, credit used and refund is above zero",
);
pub(super) const APPLICATION_CURRENCY: Rule = Rule::error(
    "PAY-APPLICATION-CURRENCY",
    E,
    "every applied amount, credit used and refund is in the payment currency",
);
pub(super) const APPLICATION_FX: Rule = Rule::error(
    "PAY-APPLICATION-FX",
    E,
    "a target amount in another currency comes with a rate from the payment currency to the target amount's currency, and equals the applied amount converted at that rate and rounded half-even, give or take one minor unit; a rate comes with a target amount; a target amount in the payment currency equals the applied amount",
);
pub(super) const APPLIED_SUM: Rule = Rule::error(
    "PAY-APPLIED-SUM",
    E,
    "the applied amounts plus the unapplied amount plus the refunds equal the amount plus the credits used, exactly; without an unapplied amount, the applied amounts plus the refunds add up to at most that",
);
pub(super) const DUPLICATE_TARGET: Rule = Rule::error(
    "PAY-DUPLICATE-TARGET",
    E,
    "no invoice is the target of two applications (same id, or same external ref: system, object type, id and tenant)",
);
pub(super) const UNAPPLIED_NON_NEGATIVE: Rule =
    Rule::error("PAY-UNAPPLIED-NON-NEGATIVE", E, "the unapplied amount is not negative");
pub(super) const UNAPPLIED_CURRENCY: Rule =
    Rule::error("PAY-UNAPPLIED-CURRENCY", E, "the unapplied amount is in the payment currency");
pub(super) const FEE_POSITIVE: Rule = Rule::error("PAY-FEE-POSITIVE", E, "every fee is above zero");
pub(super) const FEE_CURRENCY: Rule =
    Rule::error("PAY-FEE-CURRENCY", E, "every fee is in the payment currency");
pub(super) const RATE_CURRENCY: Rule = Rule::error(
    "PAY-RATE-CURRENCY",
    E,
    "the payment's exchange rate converts from the payment currency",
);
pub(super) const REFUND_REF: Rule = Rule::error(
    "PAY-REFUND-REF",
    E,
    "refund_of, when given, names another payment by id or external ref, and the refund's money moves against its side's settlements: sent on the sales side, received on the purchases side",
);
pub(super) const FAILED_APPLIED: Rule = Rule::error(
    "PAY-FAILED-APPLIED",
    E,
    "a failed or cancelled payment (no money moved) applies nothing to invoices and leaves nothing unapplied",
);
pub(super) const VALUE_DATE: Rule =
    Rule::warning("PAY-VALUE-DATE", E, "the value date is not before the payment date");

pub(super) static RULES: &[Rule] = &[
    AMOUNT_POSITIVE,
    MINOR_UNITS,
    CUSTOMER_REF,
    TARGET_REF,
    APPLICATION_POSITIVE,
    APPLICATION_CURRENCY,
    APPLICATION_FX,
    APPLIED_SUM,
    DUPLICATE_TARGET,
    UNAPPLIED_NON_NEGATIVE,
    UNAPPLIED_CURRENCY,
    FEE_POSITIVE,
    FEE_CURRENCY,
    RATE_CURRENCY,
    REFUND_REF,
    FAILED_APPLIED,
    VALUE_DATE,
];

pub(super) fn check(record: &Payment, out: &mut Vec<Violation>) {
    header(record, out);
    minor_units(record, out);
    applications(record, out);
    applied_sum(record, out);
    duplicate_targets(record, out);
    unapplied_and_fees(record, out);
    refund(record, out);
    failed(record, out);
    let root = Loc::ROOT;
    fields::check_external_refs_at(&record.external_refs, &root.field("external_refs"), out);
}

fn header(p: &Payment, out: &mut Vec<Violation>) {
    if !p.amount.is_positive() {
        out.push(Violation::new(
            &AMOUNT_POSITIVE,
            "/amount",
            format!("expected an amount above zero, but found {}", p.amount),
        ));
    }
    if let Some(counterparty) = &p.counterparty {
        if !counterparty.is_resolvable() {
            let who = if p.side.is_sales() { "customer" } else { "supplier" };
            out.push(Violation::new(
                &CUSTOMER_REF,
                "/counterparty",
                format!("expected the {who}'s id or an external ref, but found neither"),
            ));
        }
        let at = Loc::ROOT.field("counterparty");
        fields::check_external_refs_at(
            &counterparty.external_refs,
            &at.field("external_refs"),
            out,
        );
    }
    if let Some(rate) = &p.exchange_rate
        && rate.from() != p.amount.currency()
    {
        out.push(Violation::new(
            &RATE_CURRENCY,
            "/exchange_rate/from",
            format!(
                "expected a rate from the payment currency {}, but found a rate from {} ({})",
                p.amount.currency(),
                rate.from(),
                describe_rate(rate)
            ),
        ));
    }
    if let Some(account) = &p.payer_account {
        fields::check_bank_account_at(account, &Loc::ROOT.field("payer_account"), out);
    }
    if let Some(value_date) = p.value_date
        && value_date < p.payment_date
    {
        out.push(Violation::new(
            &VALUE_DATE,
            "/value_date",
            format!(
                "expected a value date on or after the payment date {}, but found {value_date}",
                p.payment_date
            ),
        ));
    }
}

fn minor_units(p: &Payment, out: &mut Vec<Violation>) {
    let mut check = |money: &Money, path: &dyn Fn() -> String| {
        if money.exceeds_minor_units() {
            let mu = money.currency().minor_units().unwrap_or_default();
            out.push(Violation::new(
                &MINOR_UNITS,
                format!("{}/amount", path()),
                format!(
                    "expected at most {mu} decimal places for {}, but found {money}",
                    money.currency()
                ),
            ));
        }
    };
    check(&p.amount, &|| "/amount".to_owned());
    for (i, app) in p.applications.iter().enumerate() {
        check(&app.amount, &|| format!("/applications/{i}/amount"));
        if let Some(target_amount) = &app.target_amount {
            check(target_amount, &|| format!("/applications/{i}/target_amount"));
        }
    }
    if let Some(unapplied) = &p.unapplied_amount {
        check(unapplied, &|| "/unapplied_amount".to_owned());
    }
    for (i, fee) in p.fees.iter().enumerate() {
        check(&fee.amount, &|| format!("/fees/{i}/amount"));
    }
}

fn applications(p: &Payment, out: &mut Vec<Violation>) {
    let currency = p.amount.currency();
    let root = Loc::ROOT;
    let apps = root.field("applications");
    for (i, app) in p.applications.iter().enumerate() {
        let at = apps.index(i);
        if !app.target.is_resolvable() {
            out.push(Violation::new(
                &TARGET_REF,
                at.pointer_to("target"),
                "expected the invoice's id or an external ref, but found neither",
            ));
        }
        let target = at.field("target");
        fields::check_external_refs_at(
            &app.target.external_refs,
            &target.field("external_refs"),
            out,
        );
        if !app.amount.is_positive() {
            out.push(Violation::new(
                &APPLICATION_POSITIVE,
                at.pointer_to("amount"),
                format!("expected an applied amount above zero, but found {}", app.amount),
            ));
        }
        if app.amount.currency() != currency {
            let amount = at.field("amount");
            out.push(Violation::new(
                &APPLICATION_CURRENCY,
                amount.pointer_to("currency"),
                format!(
                    "expected the applied amount in the payment currency {currency}, but found {}",
                    app.amount.currency()
                ),
            ));
        }
        application_fx(app, currency, &at, out);
    }
    let credits = p
        .credits_used
        .iter()
        .map(|c| (c.credit.is_resolvable(), &c.credit.external_refs, c.amount));
    let refunds =
        p.refunds.iter().map(|r| (r.refund.is_resolvable(), &r.refund.external_refs, r.amount));
    for (list, member, what, items) in [
        ("credits_used", "credit", "credit note", credits.collect::<Vec<_>>()),
        ("refunds", "refund", "refund payment", refunds.collect::<Vec<_>>()),
    ] {
        let base = root.field(list);
        for (i, (resolvable, refs, amount)) in items.into_iter().enumerate() {
            let at = base.index(i);
            if !resolvable {
                out.push(Violation::new(
                    &TARGET_REF,
                    at.pointer_to(member),
                    format!("expected the {what}'s id or an external ref, but found neither"),
                ));
            }
            fields::check_external_refs_at(refs, &at.field(member).field("external_refs"), out);
            if !amount.is_positive() {
                out.push(Violation::new(
                    &APPLICATION_POSITIVE,
                    at.pointer_to("amount"),
                    format!("expected an amount above zero, but found {amount}"),
                ));
            }
            if amount.currency() != currency {
                out.push(Violation::new(
                    &APPLICATION_CURRENCY,
                    at.field("amount").pointer_to("currency"),
                    format!(
                        "expected the amount in the payment currency {currency}, but found {}",
                        amount.currency()
                    ),
                ));
            }
        }
    }
}

fn application_fx(
    app: &PaymentApplication,
    currency: Currency,
    at: &Loc<'_>,
    out: &mut Vec<Violation>,
) {
    let mut push = |path: String, message: String| {
        out.push(Violation::new(&APPLICATION_FX, path, message));
    };
    let Some(rate) = &app.exchange_rate else {
        if let Some(target_amount) = app.target_amount {
            if target_amount.currency() != currency {
                push(
                    at.pointer_to("exchange_rate"),
                    format!(
                        "expected an exchange rate from {currency} to {} for the target amount {target_amount}, but found none",
                        target_amount.currency()
                    ),
                );
            } else if target_amount != app.amount {
                push(
                    at.pointer_to("target_amount"),
                    format!(
                        "expected the target amount to equal the applied amount {} when both are in {currency}, but found {target_amount}",
                        app.amount
                    ),
                );
            }
        }
        return;
    };
    if rate.from() != currency {
        let rate_at = at.field("exchange_rate");
        push(
            rate_at.pointer_to("from"),
            format!(
                "expected a rate from the payment currency {currency}, but found a rate from {} ({})",
                rate.from(),
                describe_rate(rate)
            ),
        );
        return;
    }
    let Some(target_amount) = app.target_amount else {
        push(
            at.pointer_to("target_amount"),
            format!(
                "expected the target amount in {} that the rate {} converts to, but found none",
                rate.to(),
                describe_rate(rate)
            ),
        );
        return;
    };
    if target_amount.currency() != rate.to() {
        let target_at = at.field("target_amount");
        push(
            target_at.pointer_to("currency"),
            format!(
                "expected the target amount in {}, the currency the rate converts to, but found {}",
                rate.to(),
                target_amount.currency()
            ),
        );
        return;
    }
    if app.amount.currency() != currency {
        // PAY-APPLICATION-CURRENCY says so; there is nothing to convert.
        return;
    }
    match fields::compare_conversion(rate, app.amount, target_amount) {
        Ok(Conversion::Agrees) => {}
        Ok(Conversion::Differs(expected)) => push(
            at.pointer_to("target_amount"),
            format!(
                "expected {expected} ({} at {}, rounded half-even) give or take one minor unit, but found {target_amount}",
                app.amount,
                describe_rate(rate)
            ),
        ),
        Err(e) => push(
            at.pointer_to("target_amount"),
            format!(
                "expected {} converted at {}, but the conversion failed: {e}",
                app.amount,
                describe_rate(rate)
            ),
        ),
    }
}

fn applied_sum(p: &Payment, out: &mut Vec<Violation>) {
    let currency = p.amount.currency();
    // Amounts in another currency cannot be added up; their own rules say so.
    if p.applications.iter().any(|a| a.amount.currency() != currency)
        || p.credits_used.iter().any(|c| c.amount.currency() != currency)
        || p.refunds.iter().any(|r| r.amount.currency() != currency)
        || p.unapplied_amount.is_some_and(|u| u.currency() != currency)
    {
        return;
    }
    let sums =
        Money::checked_sum(currency, p.applications.iter().map(|a| a.amount)).and_then(|applied| {
            let refunded = Money::checked_sum(currency, p.refunds.iter().map(|r| r.amount))?;
            let credits = Money::checked_sum(currency, p.credits_used.iter().map(|c| c.amount))?;
            let settles =
                if p.credits_used.is_empty() { p.amount } else { p.amount.checked_add(credits)? };
            Ok((applied, refunded, settles, credits))
        });
    let (applied, refunded, settles, credits) = match sums {
        Ok(sums) => sums,
        Err(e) => {
            out.push(Violation::new(
                &APPLIED_SUM,
                "/applications",
                format!("expected applied amounts that can be added up, but {e}"),
            ));
            return;
        }
    };
    // What the sum is to equal: the amount, and the credits used beside it.
    let target = if credits.is_zero() {
        format!("the amount {}", p.amount)
    } else {
        format!("the amount {} plus the credits used, {credits}, that is {settles}", p.amount)
    };
    let refunds =
        if refunded.is_zero() { String::new() } else { format!(" plus the refunds, {refunded},") };
    match p.unapplied_amount {
        Some(unapplied) => match applied
            .checked_add(unapplied)
            .and_then(|t| if p.refunds.is_empty() { Ok(t) } else { t.checked_add(refunded) })
        {
            Ok(total) if total == settles => {}
            Ok(total) => out.push(Violation::new(
                &APPLIED_SUM,
                "/unapplied_amount",
                format!(
                    "expected the applied amounts, {applied}, plus the unapplied amount, {unapplied},{refunds} to equal {target}, but they add up to {total}"
                ),
            )),
            Err(e) => out.push(Violation::new(
                &APPLIED_SUM,
                "/unapplied_amount",
                format!("expected the applied and unapplied amounts to add up to {settles}, but {e}"),
            )),
        },
        None => {
            // A negative amount is PAY-AMOUNT-POSITIVE's; the implied rest
            // of it says nothing more.
            let total =
                if p.refunds.is_empty() { Ok(applied) } else { applied.checked_add(refunded) };
            if let Ok(total) = total
                && p.amount.is_positive()
                && total.amount() > settles.amount()
            {
                out.push(Violation::new(
                    &APPLIED_SUM,
                    "/applications",
                    format!(
                        "expected the applied amounts{refunds} to add up to at most {target}, but they add up to {total}"
                    ),
                ));
            }
        }
    }
}

/// One way an application names its target.
#[derive(PartialEq, Eq, Hash)]
enum TargetKey<'a> {
    Id(&'a str),
    External(&'a ExternalRef),
}

fn target_keys(app: &PaymentApplication) -> impl Iterator<Item = TargetKey<'_>> {
    let id = app.target.id.as_ref().map(|id| TargetKey::Id(id.as_str()));
    id.into_iter().chain(app.target.external_refs.iter().map(TargetKey::External))
}

fn describe_target(app: &PaymentApplication) -> String {
    match (&app.target.id, app.target.external_refs.first()) {
        (Some(id), _) => quoted(id.as_str()),
        (None, Some(r)) => quoted(&format!("{} {} {}", r.system, r.object_type, r.id)),
        (None, None) => "an unnamed invoice".to_owned(),
    }
}

fn duplicate_targets(p: &Payment, out: &mut Vec<Violation>) {
    fields::for_each_duplicate(&p.applications, target_keys, |later, earlier| {
        let target = p.applications.get(later).map(describe_target).unwrap_or_default();
        out.push(Violation::new(
            &DUPLICATE_TARGET,
            format!("/applications/{later}/target"),
            format!(
                "expected each invoice to be the target of one application, but application {later} applies to {target} like application {earlier}"
            ),
        ));
    });
}

fn unapplied_and_fees(p: &Payment, out: &mut Vec<Violation>) {
    let currency = p.amount.currency();
    if let Some(unapplied) = p.unapplied_amount {
        if unapplied.is_negative() {
            out.push(Violation::new(
                &UNAPPLIED_NON_NEGATIVE,
                "/unapplied_amount",
                format!("expected an unapplied amount of zero or more, but found {unapplied}"),
            ));
        }
        if unapplied.currency() != currency {
            out.push(Violation::new(
                &UNAPPLIED_CURRENCY,
                "/unapplied_amount/currency",
                format!(
                    "expected the unapplied amount in the payment currency {currency}, but found {}",
                    unapplied.currency()
                ),
            ));
        }
    }
    for (i, fee) in p.fees.iter().enumerate() {
        if !fee.amount.is_positive() {
            out.push(Violation::new(
                &FEE_POSITIVE,
                format!("/fees/{i}/amount"),
                format!("expected a fee above zero, but found {}", fee.amount),
            ));
        }
        if fee.amount.currency() != currency {
            out.push(Violation::new(
                &FEE_CURRENCY,
                format!("/fees/{i}/amount/currency"),
                format!(
                    "expected the fee in the payment currency {currency}, but found {}",
                    fee.amount.currency()
                ),
            ));
        }
    }
}

/// PAY-FAILED-APPLIED: nothing moved, so nothing is settled.
fn failed(p: &Payment, out: &mut Vec<Violation>) {
    let what = match p.status {
        PaymentStatus::Failed => "failed",
        PaymentStatus::Cancelled => "cancelled",
        _ => return,
    };
    for (i, a) in p.applications.iter().enumerate() {
        if !a.amount.is_zero() {
            out.push(Violation::new(
                &FAILED_APPLIED,
                format!("/applications/{i}/amount"),
                format!(
                    "expected nothing applied by a {what} payment (no money moved), but found {} applied",
                    a.amount
                ),
            ));
        }
    }
    if let Some(unapplied) = &p.unapplied_amount
        && !unapplied.is_zero()
    {
        out.push(Violation::new(
            &FAILED_APPLIED,
            "/unapplied_amount",
            format!(
                "expected no unapplied amount on a {what} payment (no money moved, so no credit balance), but found {unapplied}"
            ),
        ));
    }
}

fn refund(p: &Payment, out: &mut Vec<Violation>) {
    let Some(refund_of) = &p.refund_of else {
        return;
    };
    let root = Loc::ROOT;
    let against = match PaymentDirection::settling(p.side) {
        PaymentDirection::Received => PaymentDirection::Sent,
        _ => PaymentDirection::Received,
    };
    if p.direction != against {
        let (side, expected) = match against {
            PaymentDirection::Sent => ("sales", "sent"),
            _ => ("purchases", "received"),
        };
        out.push(Violation::new(
            &REFUND_REF,
            "/direction",
            format!(
                "expected a refund on the {side} side to be {expected} (it returns money the other way), but found {}",
                direction_name(p.direction)
            ),
        ));
    }
    let at = root.field("refund_of");
    if !refund_of.is_resolvable() {
        out.push(Violation::new(
            &REFUND_REF,
            at.pointer(),
            "expected the refunded payment's id or an external ref, but found neither",
        ));
    }
    if refund_of.id.as_ref() == Some(&p.id) {
        out.push(Violation::new(
            &REFUND_REF,
            at.pointer_to("id"),
            format!(
                "expected another payment in refund_of, but found the payment's own id {}",
                quoted(p.id.as_str())
            ),
        ));
    } else if let Some(j) = refund_of.external_refs.iter().position(|r| p.external_refs.contains(r))
    {
        let refs = at.field("external_refs");
        out.push(Violation::new(
            &REFUND_REF,
            refs.index(j).pointer(),
            "expected another payment in refund_of, but found one of the payment's own external refs",
        ));
    }
    fields::check_external_refs_at(&refund_of.external_refs, &at.field("external_refs"), out);
}

fn direction_name(direction: PaymentDirection) -> &'static str {
    match direction {
        PaymentDirection::Received => "received",
        PaymentDirection::Sent => "sent",
    }
}
