//! Contract rules.
//!
//! Dates: an end date before the start date and a trial that ends before
//! the contract starts are errors (no such contract can exist). A
//! cancellation dated before the start date is only a warning: a pending
//! contract can be cancelled before it starts, and systems record the day
//! the cancellation was made. Term lengths and interval counts are at
//! least 1 by their type (`NonZeroU32`), so no rule checks them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::fields::{self, Loc, is_blank, quoted};
use super::{Rule, Violation};
use crate::model::{Contract, ContractStatus, Entity, Period};

const E: Entity = Entity::Contract;

pub(super) const CUSTOMER: Rule =
    Rule::error("CTR-CUSTOMER", E, "the customer reference gives an id or an external ref");
pub(super) const END_DATE: Rule =
    Rule::error("CTR-END-DATE", E, "the end date is not before the start date");
pub(super) const TRIAL_END: Rule =
    Rule::error("CTR-TRIAL-END", E, "the trial does not end before the start date");
pub(super) const CANCELLED_ON: Rule = Rule::warning(
    "CTR-CANCELLED-ON",
    E,
    "the cancellation date of a contract that is not in force (draft, pending, cancelled, expired) is not before the start date: a contract may be called off before it starts",
);
pub(super) const CANCELLED_BEFORE_START: Rule = Rule::error(
    "CTR-CANCELLED-BEFORE-START",
    E,
    "a contract in force (trialing, active, past due or suspended) was not cancelled before it started",
);
pub(super) const PERIOD: Rule = Rule::error(
    "CTR-PERIOD",
    E,
    "the current period and every line period end on or after their start",
);
pub(super) const LINE_QUANTITY: Rule =
    Rule::error("CTR-LINE-QUANTITY", E, "every line has a quantity above zero");
pub(super) const LINE_PRICE: Rule =
    Rule::error("CTR-LINE-PRICE", E, "every line's unit price is not negative");
pub(super) const LINE_CURRENCY: Rule =
    Rule::error("CTR-LINE-CURRENCY", E, "every line's unit price is in the contract currency");
pub(super) const LINE_ID: Rule =
    Rule::error("CTR-LINE-ID", E, "line ids, where given, are unique within the contract");
pub(super) const LINES: Rule =
    Rule::warning("CTR-LINES", E, "an active or past-due contract has at least one line");
pub(super) const CANCELLED: Rule =
    Rule::warning("CTR-CANCELLED", E, "a cancelled contract has a cancellation date");
pub(super) const EXPIRED: Rule =
    Rule::warning("CTR-EXPIRED", E, "an expired contract has an end date");

pub(super) static RULES: &[Rule] = &[
    CUSTOMER,
    END_DATE,
    TRIAL_END,
    CANCELLED_ON,
    CANCELLED_BEFORE_START,
    PERIOD,
    LINE_QUANTITY,
    LINE_PRICE,
    LINE_CURRENCY,
    LINE_ID,
    LINES,
    CANCELLED,
    EXPIRED,
];

pub(super) fn check(record: &Contract, out: &mut Vec<Violation>) {
    references(record, out);
    dates(record, out);
    lines(record, out);
    status(record, out);
    if let Some(terms) = &record.payment_terms {
        fields::check_payment_terms_at(terms, &Loc::ROOT.field("payment_terms"), out);
    }
}

fn references(c: &Contract, out: &mut Vec<Violation>) {
    if !c.customer.is_resolvable() {
        out.push(Violation::new(
            &CUSTOMER,
            "/customer",
            "expected the customer's id or an external ref, but found neither",
        ));
    }
    let root = Loc::ROOT;
    let customer = root.field("customer");
    fields::check_external_refs_at(
        &c.customer.external_refs,
        &customer.field("external_refs"),
        out,
    );
    fields::check_external_refs_at(&c.external_refs, &root.field("external_refs"), out);
}

fn dates(c: &Contract, out: &mut Vec<Violation>) {
    if let Some(start) = c.start_date {
        let before = |d: Option<NaiveDate>| d.filter(|d| *d < start);
        if let Some(end) = before(c.end_date) {
            out.push(Violation::new(
                &END_DATE,
                "/end_date",
                format!("expected an end date on or after the start date {start}, but found {end}"),
            ));
        }
        if let Some(trial_end) = before(c.trial_end) {
            out.push(Violation::new(
                &TRIAL_END,
                "/trial_end",
                format!(
                    "expected a trial end on or after the start date {start}, but found {trial_end}"
                ),
            ));
        }
        if let Some(cancelled) = before(c.cancelled_on) {
            let in_force = matches!(
                c.status,
                ContractStatus::Trialing
                    | ContractStatus::Active
                    | ContractStatus::PastDue
                    | ContractStatus::Suspended
            );
            if in_force {
                out.push(Violation::new(
                    &CANCELLED_BEFORE_START,
                    "/cancelled_on",
                    format!(
                        "expected a {} contract to have been cancelled on or after its start date {start}, or not at all, but found {cancelled}",
                        status_name(c.status)
                    ),
                ));
            } else {
                out.push(Violation::new(
                    &CANCELLED_ON,
                    "/cancelled_on",
                    format!(
                        "expected a cancellation date on or after the start date {start}, but found {cancelled}"
                    ),
                ));
            }
        }
    }
    let root = Loc::ROOT;
    if let Some(period) = &c.current_period {
        check_period(period, &root.field("current_period"), out);
    }
    let lines = root.field("lines");
    for (i, line) in c.lines.iter().enumerate() {
        if let Some(period) = &line.period {
            let line_at = lines.index(i);
            check_period(period, &line_at.field("period"), out);
        }
    }
}

fn check_period(period: &Period, at: &Loc<'_>, out: &mut Vec<Violation>) {
    if let (Some(start), Some(end)) = (period.start, period.end)
        && end < start
    {
        out.push(Violation::new(
            &PERIOD,
            at.pointer_to("end"),
            format!("expected a period end on or after its start {start}, but found {end}"),
        ));
    }
}

fn lines(c: &Contract, out: &mut Vec<Violation>) {
    let root = Loc::ROOT;
    let lines_at = root.field("lines");
    for (i, line) in c.lines.iter().enumerate() {
        let at = lines_at.index(i);
        if line.quantity <= Decimal::ZERO {
            out.push(Violation::new(
                &LINE_QUANTITY,
                at.pointer_to("quantity"),
                format!("expected a quantity above zero, but found {}", line.quantity),
            ));
        }
        let price = line.unit_price;
        if price.is_negative() {
            out.push(Violation::new(
                &LINE_PRICE,
                at.pointer_to("unit_price"),
                format!("expected a unit price of zero or more, but found {price}"),
            ));
        }
        if price.currency() != c.currency {
            let unit_price = at.field("unit_price");
            out.push(Violation::new(
                &LINE_CURRENCY,
                unit_price.pointer_to("currency"),
                format!(
                    "expected the unit price in the contract currency {}, but found {}",
                    c.currency,
                    price.currency()
                ),
            ));
        }
        if let Some(item) = &line.item {
            let item_at = at.field("item");
            fields::check_external_refs_at(
                &item.external_refs,
                &item_at.field("external_refs"),
                out,
            );
        }
    }
    fields::for_each_duplicate(
        &c.lines,
        |line| line.id.as_deref().filter(|id| !is_blank(id)).into_iter(),
        |later, earlier| {
            let id = c.lines.get(later).and_then(|l| l.id.as_deref()).unwrap_or_default();
            out.push(Violation::new(
                &LINE_ID,
                format!("/lines/{later}/id"),
                format!(
                    "expected a unique line id, but {} is also the id of line {earlier}",
                    quoted(id)
                ),
            ));
        },
    );
    if c.lines.iter().any(|l| l.id.as_deref().is_some_and(is_blank)) {
        for (i, line) in c.lines.iter().enumerate() {
            if line.id.as_deref().is_some_and(is_blank) {
                out.push(Violation::new(
                    &LINE_ID,
                    format!("/lines/{i}/id"),
                    "expected a non-blank line id or none, but found an empty value",
                ));
            }
        }
    }
}

fn status(c: &Contract, out: &mut Vec<Violation>) {
    match c.status {
        ContractStatus::Cancelled if c.cancelled_on.is_none() => out.push(Violation::new(
            &CANCELLED,
            "/cancelled_on",
            "expected the cancellation date of a cancelled contract, but found none",
        )),
        ContractStatus::Expired if c.end_date.is_none() => out.push(Violation::new(
            &EXPIRED,
            "/end_date",
            "expected the end date of an expired contract, but found none",
        )),
        ContractStatus::Active | ContractStatus::PastDue if c.lines.is_empty() => {
            let status =
                if c.status == ContractStatus::Active { "an active" } else { "a past-due" };
            out.push(Violation::new(
                &LINES,
                "/lines",
                format!("expected at least one line on {status} contract, but found none"),
            ));
        }
        _ => {}
    }
}

fn status_name(status: ContractStatus) -> &'static str {
    match status {
        ContractStatus::Draft => "draft",
        ContractStatus::Pending => "pending",
        ContractStatus::Trialing => "trialing",
        ContractStatus::Active => "active",
        ContractStatus::PastDue => "past-due",
        ContractStatus::Suspended => "suspended",
        ContractStatus::Cancelled => "cancelled",
        ContractStatus::Expired => "expired",
    }
}
