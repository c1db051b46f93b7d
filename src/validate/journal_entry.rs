//! JournalEntry rules.
//!
//! Lines balance per transaction currency, and in the functional currency
//! when lines carry `functional_amount`. A line in the functional currency
//! itself needs no `functional_amount` (the model fills it in only "when it
//! differs") and counts with its amount. A line with a zero amount and a
//! functional amount is a functional-currency adjustment (an exchange
//! difference or a rounding line): it needs no rate and is not converted.

use super::fields::{self, Conversion, Loc, describe_rate, is_blank, quoted};
use super::{Rule, Violation};
use crate::model::{Entity, JournalEntry, JournalEntryRef, JournalEntryStatus, JournalLine, Side};
use crate::money::{Currency, Money, MoneyError};

const E: Entity = Entity::JournalEntry;

pub(super) const MIN_LINES: Rule =
    Rule::error("JE-MIN-LINES", E, "an entry has at least two lines");
pub(super) const ACCOUNT: Rule =
    Rule::error("JE-ACCOUNT", E, "every line has a non-blank account code");
pub(super) const AMOUNT_NON_NEGATIVE: Rule = Rule::error(
    "JE-AMOUNT-NON-NEGATIVE",
    E,
    "line amounts and functional amounts are not negative; side says debit or credit",
);
pub(super) const MINOR_UNITS: Rule = Rule::error(
    "JE-MINOR-UNITS",
    E,
    "line amounts and functional amounts have no more decimal places than their currency's minor units",
);
pub(super) const NOT_ALL_ZERO: Rule = Rule::error(
    "JE-NOT-ALL-ZERO",
    E,
    "some line has an amount or a functional amount other than zero",
);
pub(super) const BALANCED: Rule = Rule::error(
    "JE-BALANCED",
    E,
    "in every transaction currency, the debit amounts add up to the credit amounts exactly",
);
pub(super) const FUNCTIONAL_CURRENCY: Rule = Rule::error(
    "JE-FUNCTIONAL-CURRENCY",
    E,
    "all functional amounts of an entry are in one currency",
);
pub(super) const FUNCTIONAL_MISSING: Rule = Rule::error(
    "JE-FUNCTIONAL-MISSING",
    E,
    "when some line has a functional amount, every line in another currency than the functional one has one too",
);
pub(super) const BALANCED_FUNCTIONAL: Rule = Rule::error(
    "JE-BALANCED-FUNCTIONAL",
    E,
    "in the functional currency, the debits add up to the credits exactly (lines in the functional currency count with their amount)",
);
pub(super) const FX_RATE: Rule = Rule::error(
    "JE-FX-RATE",
    E,
    "a functional amount in another currency comes with a rate from the line currency to the functional currency and equals the amount converted at it and rounded half-even, give or take one minor unit (zero-amount adjustment lines excepted); a rate comes with a functional amount; a functional amount in the line currency equals the amount",
);
pub(super) const LINE_ID: Rule =
    Rule::error("JE-LINE-ID", E, "line ids, where given, are unique within the entry");
pub(super) const COUNTERPARTY_REF: Rule = Rule::error(
    "JE-COUNTERPARTY-REF",
    E,
    "a line's counterparty reference gives a customer id or an external ref",
);
pub(super) const REVERSAL_REF: Rule = Rule::error(
    "JE-REVERSAL-REF",
    E,
    "reverses, when given, names another entry by id or external ref",
);
pub(super) const REVERSED_BY: Rule = Rule::error(
    "JE-REVERSED-BY",
    E,
    "a reversed entry names the entry that reversed it in reversed_by, and reversed_by names another entry by id or external ref",
);

pub(super) static RULES: &[Rule] = &[
    MIN_LINES,
    ACCOUNT,
    AMOUNT_NON_NEGATIVE,
    MINOR_UNITS,
    NOT_ALL_ZERO,
    BALANCED,
    FUNCTIONAL_CURRENCY,
    FUNCTIONAL_MISSING,
    BALANCED_FUNCTIONAL,
    FX_RATE,
    LINE_ID,
    COUNTERPARTY_REF,
    REVERSAL_REF,
    REVERSED_BY,
];

pub(super) fn check(record: &JournalEntry, out: &mut Vec<Violation>) {
    if record.lines.len() < 2 {
        out.push(Violation::new(
            &MIN_LINES,
            "/lines",
            format!("expected at least two lines, but found {}", record.lines.len()),
        ));
    }
    lines(record, out);
    not_all_zero(record, out);
    balance(record, out);
    functional_balance(record, out);
    line_ids(record, out);
    reversal(record, out);
    let root = Loc::ROOT;
    fields::check_external_refs_at(&record.external_refs, &root.field("external_refs"), out);
    if let Some(source) = &record.source_document {
        let at = root.field("source_document");
        fields::check_external_refs_at(&source.external_refs, &at.field("external_refs"), out);
    }
}

fn lines(je: &JournalEntry, out: &mut Vec<Violation>) {
    let root = Loc::ROOT;
    let lines_at = root.field("lines");
    for (i, line) in je.lines.iter().enumerate() {
        let at = lines_at.index(i);
        if is_blank(&line.account_code) {
            out.push(Violation::new(
                &ACCOUNT,
                at.pointer_to("account_code"),
                "expected a ledger account code, but found an empty value",
            ));
        }
        let amounts =
            [("amount", Some(line.amount)), ("functional_amount", line.functional_amount)];
        for (name, money) in amounts {
            let Some(money) = money else { continue };
            if money.is_negative() {
                out.push(Violation::new(
                    &AMOUNT_NON_NEGATIVE,
                    at.pointer_to(name),
                    format!(
                        "expected an amount of zero or more on the {} side, but found {money}",
                        side_name(line.side)
                    ),
                ));
            }
            if money.exceeds_minor_units() {
                let field = at.field(name);
                out.push(Violation::new(
                    &MINOR_UNITS,
                    field.pointer_to("amount"),
                    format!(
                        "expected at most {} decimal places for {}, but found {money}",
                        money.currency().minor_units().unwrap_or_default(),
                        money.currency()
                    ),
                ));
            }
        }
        fx_rate(line, &at, out);
        if let Some(counterparty) = &line.counterparty {
            let cp = at.field("counterparty");
            if !counterparty.is_resolvable() {
                out.push(Violation::new(
                    &COUNTERPARTY_REF,
                    cp.pointer(),
                    "expected the customer's id or an external ref, but found neither",
                ));
            }
            fields::check_external_refs_at(
                &counterparty.external_refs,
                &cp.field("external_refs"),
                out,
            );
        }
    }
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::Debit => "debit",
        Side::Credit => "credit",
    }
}

fn fx_rate(line: &JournalLine, at: &Loc<'_>, out: &mut Vec<Violation>) {
    let mut push = |path: String, message: String| {
        out.push(Violation::new(&FX_RATE, path, message));
    };
    let currency = line.amount.currency();
    match (&line.exchange_rate, line.functional_amount) {
        (None, None) => {}
        (Some(rate), None) => push(
            at.pointer_to("functional_amount"),
            format!(
                "expected the functional amount in {} that the rate {} converts to, but found none",
                rate.to(),
                describe_rate(rate)
            ),
        ),
        (None, Some(functional)) => {
            if functional.currency() == currency {
                if functional != line.amount {
                    push(
                        at.pointer_to("functional_amount"),
                        format!(
                            "expected the functional amount to equal the amount {} when both are in {currency}, but found {functional}",
                            line.amount
                        ),
                    );
                }
            } else if !line.amount.is_zero() {
                push(
                    at.pointer_to("exchange_rate"),
                    format!(
                        "expected an exchange rate from {currency} to {} for the functional amount {functional}, but found none",
                        functional.currency()
                    ),
                );
            }
        }
        (Some(rate), Some(functional)) => {
            let rate_at = at.field("exchange_rate");
            if rate.from() != currency {
                push(
                    rate_at.pointer_to("from"),
                    format!(
                        "expected a rate from the line currency {currency}, but found a rate from {} ({})",
                        rate.from(),
                        describe_rate(rate)
                    ),
                );
            } else if rate.to() != functional.currency() {
                push(
                    rate_at.pointer_to("to"),
                    format!(
                        "expected a rate to the functional currency {}, but found a rate to {} ({})",
                        functional.currency(),
                        rate.to(),
                        describe_rate(rate)
                    ),
                );
            } else if !line.amount.is_zero() {
                match fields::compare_conversion(rate, line.amount, functional) {
                    Ok(Conversion::Agrees) => {}
                    Ok(Conversion::Differs(expected)) => push(
                        at.pointer_to("functional_amount"),
                        format!(
                            "expected {expected} ({} at {}, rounded half-even) give or take one minor unit, but found {functional}",
                            line.amount,
                            describe_rate(rate)
                        ),
                    ),
                    Err(e) => push(
                        at.pointer_to("functional_amount"),
                        format!(
                            "expected {} converted at {}, but the conversion failed: {e}",
                            line.amount,
                            describe_rate(rate)
                        ),
                    ),
                }
            }
        }
    }
}

fn not_all_zero(je: &JournalEntry, out: &mut Vec<Violation>) {
    let all_zero = je
        .lines
        .iter()
        .all(|l| l.amount.is_zero() && l.functional_amount.is_none_or(|f| f.is_zero()));
    if !je.lines.is_empty() && all_zero {
        out.push(Violation::new(
            &NOT_ALL_ZERO,
            "/lines",
            format!(
                "expected some line with an amount other than zero, but all {} are zero",
                je.lines.len()
            ),
        ));
    }
}

/// Debits and credits in `currency` of the lines whose `value` is in it.
fn side_totals<'a>(
    lines: impl Iterator<Item = &'a JournalLine>,
    currency: Currency,
    value: impl Fn(&JournalLine) -> Option<Money>,
) -> Result<(Money, Money), MoneyError> {
    let mut debit = Money::zero(currency);
    let mut credit = Money::zero(currency);
    for line in lines {
        let Some(money) = value(line).filter(|m| m.currency() == currency) else { continue };
        match line.side {
            Side::Debit => debit = debit.checked_add(money)?,
            Side::Credit => credit = credit.checked_add(money)?,
        }
    }
    Ok((debit, credit))
}

fn balance(je: &JournalEntry, out: &mut Vec<Violation>) {
    // One pass per distinct currency, in order of first appearance, without
    // allocating.
    for (i, line) in je.lines.iter().enumerate() {
        let currency = line.amount.currency();
        if je.lines.iter().take(i).any(|l| l.amount.currency() == currency) {
            continue;
        }
        match side_totals(je.lines.iter().skip(i), currency, |l| Some(l.amount)) {
            Ok((debit, credit)) if debit == credit => {}
            Ok((debit, credit)) => out.push(Violation::new(
                &BALANCED,
                "/lines",
                format!(
                    "expected debits to equal credits in {currency}, but debits are {debit} and credits {credit}"
                ),
            )),
            Err(e) => out.push(Violation::new(
                &BALANCED,
                "/lines",
                format!("expected debits and credits in {currency} that can be added up, but {e}"),
            )),
        }
    }
}

fn functional_balance(je: &JournalEntry, out: &mut Vec<Violation>) {
    let Some(functional) = je.lines.iter().find_map(|l| l.functional_amount.map(|m| m.currency()))
    else {
        return;
    };
    let mut consistent = true;
    for (i, line) in je.lines.iter().enumerate() {
        match line.functional_amount {
            Some(m) if m.currency() != functional => {
                consistent = false;
                out.push(Violation::new(
                    &FUNCTIONAL_CURRENCY,
                    format!("/lines/{i}/functional_amount/currency"),
                    format!(
                        "expected the functional amount in {functional}, the functional currency of the other lines, but found {}",
                        m.currency()
                    ),
                ));
            }
            None if line.amount.currency() != functional => {
                consistent = false;
                out.push(Violation::new(
                    &FUNCTIONAL_MISSING,
                    format!("/lines/{i}/functional_amount"),
                    format!(
                        "expected the amount {} in the functional currency {functional}, as other lines give it, but found no functional amount",
                        line.amount
                    ),
                ));
            }
            _ => {}
        }
    }
    if !consistent {
        return;
    }
    let value = |l: &JournalLine| l.functional_amount.or(Some(l.amount));
    match side_totals(je.lines.iter(), functional, value) {
        Ok((debit, credit)) if debit == credit => {}
        Ok((debit, credit)) => out.push(Violation::new(
            &BALANCED_FUNCTIONAL,
            "/lines",
            format!(
                "expected debits to equal credits in the functional currency {functional}, but debits are {debit} and credits {credit}"
            ),
        )),
        Err(e) => out.push(Violation::new(
            &BALANCED_FUNCTIONAL,
            "/lines",
            format!("expected functional debits and credits that can be added up, but {e}"),
        )),
    }
}

fn line_ids(je: &JournalEntry, out: &mut Vec<Violation>) {
    fields::for_each_duplicate(
        &je.lines,
        |line| line.id.as_deref().filter(|id| !is_blank(id)).into_iter(),
        |later, earlier| {
            let id = je.lines.get(later).and_then(|l| l.id.as_deref()).unwrap_or_default();
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
    for (i, line) in je.lines.iter().enumerate() {
        if line.id.as_deref().is_some_and(is_blank) {
            out.push(Violation::new(
                &LINE_ID,
                format!("/lines/{i}/id"),
                "expected a non-blank line id or none, but found an empty value",
            ));
        }
    }
}

/// Checks a reference to another entry: resolvable, and not to `je` itself.
fn entry_ref(
    je: &JournalEntry,
    reference: &JournalEntryRef,
    rule: &Rule,
    at: &Loc<'_>,
    out: &mut Vec<Violation>,
) {
    if !reference.is_resolvable() {
        out.push(Violation::new(
            rule,
            at.pointer(),
            "expected the entry's id or an external ref, but found neither",
        ));
    }
    if reference.id.as_ref() == Some(&je.id) {
        out.push(Violation::new(
            rule,
            at.pointer_to("id"),
            format!(
                "expected another entry, but found the entry's own id {}",
                quoted(je.id.as_str())
            ),
        ));
    } else if let Some(j) =
        reference.external_refs.iter().position(|r| je.external_refs.contains(r))
    {
        let refs = at.field("external_refs");
        out.push(Violation::new(
            rule,
            refs.index(j).pointer(),
            "expected another entry, but found one of the entry's own external refs",
        ));
    }
    fields::check_external_refs_at(&reference.external_refs, &at.field("external_refs"), out);
}

fn reversal(je: &JournalEntry, out: &mut Vec<Violation>) {
    let root = Loc::ROOT;
    if let Some(reverses) = &je.reverses {
        entry_ref(je, reverses, &REVERSAL_REF, &root.field("reverses"), out);
    }
    match &je.reversed_by {
        Some(reversed_by) => {
            entry_ref(je, reversed_by, &REVERSED_BY, &root.field("reversed_by"), out);
        }
        None if je.status == JournalEntryStatus::Reversed => out.push(Violation::new(
            &REVERSED_BY,
            "/reversed_by",
            "expected the entry that reversed this reversed entry, but found no reversed_by",
        )),
        None => {}
    }
}
