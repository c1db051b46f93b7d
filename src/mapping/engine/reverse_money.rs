//! Money rules backwards: the vendor amount of a canonical amount (its
//! tax added back, the amounts added in taken off, negated where the vendor
//! writes it so), its side's column, and its currency, or the vendor's id
//! of it.

use rust_decimal::RoundingStrategy;

use super::reverse::{Back, Reverse};
use super::*;

impl Reverse<'_> {
    /// A money rule backwards: the amount (and currency) in the vendor's encoding.
    pub(super) fn money_back(
        &mut self,
        rules: &[Rule],
        rule: &MoneyRule,
        (y, p): (&Value, &Path),
        (el, c_abs): (Back<'_>, &str),
        out: &mut Value,
    ) -> Result<(), MappingError> {
        let spec = &rule.spec;
        if let Some(array) = self.missing_item(rules, out, el, p) {
            self.no_item(c_abs, &array);
            return Ok(());
        }
        let money = <crate::money::Money as serde::Deserialize>::deserialize(y)
            .map_err(|e| self.m.input_error(c_abs, e.to_string()))?;
        let amount = self.vendor_amount(rule, (money.amount(), money.currency()), el, c_abs)?;
        let p = match (&rule.side, el.c) {
            (Some(side), c) => {
                self.side_column(side, c, p, el, out, (spec, money.currency(), c_abs))?
            }
            _ => p,
        };
        let (generated, note) = self.m.money_amount_out(spec, amount, money.currency(), c_abs)?;
        let mut code = match spec.currency_case {
            CodeCase::Lower => money.currency().code().to_lowercase(),
            CodeCase::Upper => money.currency().code().to_owned(),
        };
        // A vendor that names currencies by id: the id of this one.
        if let Some(table) = rule.currency_table.as_ref().filter(|_| !spec.currency_read_only) {
            let id = table
                .path
                .get(&self.residue)
                .and_then(Value::as_object)
                .and_then(|t| t.iter().find(|(_, iso)| iso.as_str() == Some(code.as_str())))
                .map(|(id, _)| id.clone());
            match id {
                Some(id) => code = id.to_string(),
                None => {
                    self.losses.push(Loss::new(
                        LossKind::Unsupported,
                        c_abs,
                        format!(
                            "{} {} names currencies by id, and the tenant's currency table at ^{} has none for {code}: the amount and its currency are not written",
                            self.m.vendor,
                            self.m.object,
                            table.path.as_str()
                        ),
                    ));
                    return Ok(());
                }
            }
        }
        if !rule.from_root
            && !spec.currency_read_only
            && let Some(written) = rule.currency.get(out).and_then(Value::as_str)
            && !written.eq_ignore_ascii_case(&code)
        {
            // One vendor currency field serves several amounts:
            // the first amount written sets it, and this one
            // is not written (a value kept from the payload stays).
            self.losses.push(Loss::new(
                LossKind::Unsupported,
                c_abs,
                format!(
                    "{} {} holds one currency for these amounts, and {written} is written already: this {} amount is not written",
                    self.m.vendor,
                    self.m.object,
                    money.currency().code()
                ),
            ));
            return Ok(());
        }
        let exp = self.m.exponent(money.currency(), c_abs)?;
        let chosen = match self.original(el, p) {
            Some(orig) if original_amount(orig, spec.encoding, exp) == Some(amount) => orig.clone(),
            // A unit price less a unit's share of the tax comes back to
            // the 20th place: the price as the vendor wrote it, when equal
            // to that place.
            Some(orig)
                if rule.tax.as_ref().is_some_and(|t| t.per.is_some())
                    && original_amount(orig, spec.encoding, exp)
                        .is_some_and(|o| o.round_dp(18) == amount.round_dp(18)) =>
            {
                orig.clone()
            }
            _ => {
                if let Some(n) = note {
                    self.losses.push(Loss::new(LossKind::Lossy, c_abs, n));
                }
                generated
            }
        };
        p.set(out, chosen);
        // A currency read elsewhere (the applied invoice's) is not written.
        if spec.currency_read_only {
            return Ok(());
        }
        // A root-level currency is written by the root's own rules; where
        // none does (a journal's lines carry the currency, the entry not),
        // the first amount's currency is written there at the end.
        if rule.from_root {
            if !self.root_writes.iter().any(|(q, _, _)| q.as_str() == rule.currency.as_str()) {
                self.root_writes.push((
                    Path::new(rule.currency.as_str()),
                    Value::from(code.clone()),
                    false,
                ));
            }
        } else if !rule.currency_or.is_empty() {
            // One of several places: the one kept comes back from the
            // residue; a record made elsewhere gets the first.
            let kept = self.original(el, &rule.currency).is_some()
                || rule
                    .currency_or
                    .iter()
                    .any(|q| q.from_root || self.original(el, &q.path).is_some());
            if !kept {
                rule.currency.set(out, Value::from(code));
            }
        } else {
            let cur = match self.original(el, &rule.currency) {
                Some(o) if o.as_str().is_some_and(|s| s.eq_ignore_ascii_case(&code)) => o.clone(),
                _ => Value::from(code),
            };
            rule.currency.set(out, cur);
        }
        Ok(())
    }

    /// The vendor amount of the canonical `amount` of a money rule: with
    /// the tax added back where `tax_included` says the vendor includes it,
    /// negated where a signed `side` says the negative side.
    fn vendor_amount(
        &mut self,
        rule: &MoneyRule,
        (amount, currency): (Decimal, Currency),
        el: Back<'_>,
        c_abs: &str,
    ) -> Result<Decimal, MappingError> {
        let mut amount = if rule.spec.negate { std::ops::Neg::neg(amount) } else { amount };
        // An amount for one unit, written for the whole quantity.
        if let Some((_, per)) = &rule.per {
            let qty = match per.get(el.c) {
                Some(Value::Number(n)) => parse_json_number(n.as_str()).ok(),
                Some(Value::String(s)) => parse_decimal(s).ok(),
                _ => None,
            }
            .ok_or_else(|| {
                self.m.input_error(
                    cat(el.c_at, per.as_str()),
                    "expected the quantity the amount is for",
                )
            })?;
            let total = amount.checked_mul(qty).ok_or_else(|| {
                self.m.input_error(c_abs, format!("{amount} × {qty} is out of range"))
            })?;
            // The vendor's total is in minor units: a unit price carried to
            // the 20th place comes back to them (100.00 for a third of it);
            // a product that does not is rounded, and said.
            let exp = self.m.exponent(currency, c_abs)?;
            let rounded = total.round_dp_with_strategy(exp, RoundingStrategy::MidpointAwayFromZero);
            if rounded.round_dp(18) != total.round_dp(18) {
                self.losses.push(Loss::new(
                    LossKind::Lossy,
                    c_abs,
                    format!("{amount} × {qty} is {total}, written to minor units as {rounded}"),
                ));
            }
            amount = rounded;
        }
        // The amounts added in on the way in, as kept, are taken off.
        let exp = self.m.exponent(currency, c_abs)?;
        for q in &rule.plus {
            if let Some(more) =
                self.original(el, q).and_then(|o| original_amount(o, rule.spec.encoding, exp))
            {
                amount = amount.checked_sub(more).ok_or_else(|| {
                    self.m.input_error(c_abs, format!("{amount} less {more} is out of range"))
                })?;
            }
        }
        if let Some(tax) = &rule.tax
            && tax.canonical.get(self.c_root, el.c) == Some(&Value::Bool(true))
        {
            let tax_amount = match tax.canonical_tax.get(el.c).filter(|t| !t.is_null()) {
                Some(t) => <crate::money::Money as serde::Deserialize>::deserialize(t)
                    .map_err(|e| {
                        self.m.input_error(cat(el.c_at, tax.canonical_tax.as_str()), e.to_string())
                    })?
                    .amount(),
                None => Decimal::ZERO,
            };
            let tax_amount = match &tax.per {
                Some((_, per)) => per_unit(tax_amount, per.get(el.c)).ok_or_else(|| {
                    self.m.input_error(
                        cat(el.c_at, per.as_str()),
                        "expected a quantity other than zero, to divide the line's tax by",
                    )
                })?,
                None => tax_amount,
            };
            amount = amount.checked_add(tax_amount).ok_or_else(|| {
                self.m.input_error(
                    c_abs,
                    format!("{amount} with the tax {tax_amount} is out of range"),
                )
            })?;
        }
        if let Some(side) = &rule.side {
            self.covered.mark(el.c_keys, side.canonical.tokens());
            if let SideForm::Signed { negative, .. } = &side.form
                && side.canonical.get(el.c).and_then(Value::as_str) == Some(negative.as_str())
                && !amount.is_zero()
            {
                amount.set_sign_negative(!amount.is_sign_negative());
            }
        }
        Ok(amount)
    }

    /// The vendor column a two-column amount goes to (its side's), the
    /// other columns written as zero when the payload had them; for a
    /// signed amount, `p` itself.
    fn side_column<'r>(
        &mut self,
        side: &'r SideRule,
        c: &Value,
        p: &'r Path,
        el: Back<'_>,
        out: &mut Value,
        (spec, currency, c_abs): (&MoneySpec, Currency, &str),
    ) -> Result<&'r Path, MappingError> {
        let SideForm::Columns(columns) = &side.form else { return Ok(p) };
        let value = side.canonical.get(c).and_then(Value::as_str);
        let Some((_, column)) = columns.iter().find(|(s, _)| Some(s.as_str()) == value) else {
            return Err(self.m.input_error(
                cat(el.c_at, side.canonical.as_str()),
                format!(
                    "expected one of {}, but found {}",
                    columns.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>().join(", "),
                    value.map_or_else(|| "none".to_owned(), |v| format!("`{v}`"))
                ),
            ));
        };
        let had_columns = columns.iter().any(|(_, q)| self.original(el, q).is_some());
        if had_columns {
            let (zero, _) = self.m.money_amount_out(spec, Decimal::ZERO, currency, c_abs)?;
            for (_, q) in columns.iter().filter(|(_, q)| q.as_str() != column.as_str()) {
                let kept_zero = self.original(el, q).is_some_and(|o| {
                    original_amount(o, spec.encoding, 0).is_some_and(|d| d.is_zero())
                });
                if !kept_zero {
                    q.set(out, zero.clone());
                }
            }
        }
        Ok(column)
    }
}
