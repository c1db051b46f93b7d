//! What a Stripe document says about its lines and taxes, and the
//! EN 16931 categories, rates and groups read from it (both directions).

use rust_decimal::Decimal;

use super::super::json;
use super::super::rates::{RateBook, RateInfo, read_rate};
use crate::json::Value;
use crate::mapping::MappingError;

/// One discount taken from a line.
pub(super) struct Discount {
    pub(super) amount: i64,
    pub(super) label: String,
    /// An invoice-level discount: a document-level allowance.
    pub(super) document: bool,
}

/// One tax of a line.
pub(super) struct Tax {
    pub(super) amount: i64,
    pub(super) taxable: Option<i64>,
    pub(super) inclusive: bool,
    pub(super) rate_id: Option<String>,
    /// An expanded tax rate without an id (as the way back writes one for a
    /// rate Stripe has no id for): its percentage and name, read here.
    pub(super) inline: Option<RateInfo>,
    pub(super) reason: Option<String>,
    /// Where its tax rate is, in the Stripe payload.
    pub(super) path: String,
}

/// What Stripe says about one line.
pub(super) struct Line {
    pub(super) amount: i64,
    pub(super) discounts: Vec<Discount>,
    pub(super) taxes: Vec<Tax>,
}

impl Line {
    pub(super) fn own_discounts(&self) -> Option<i64> {
        sum(self.discounts.iter().filter(|d| !d.document).map(|d| d.amount))
    }
    pub(super) fn document_discounts(&self) -> Option<i64> {
        sum(self.discounts.iter().filter(|d| d.document).map(|d| d.amount))
    }
    pub(super) fn inclusive_tax(&self) -> Option<i64> {
        sum(self.taxes.iter().filter(|t| t.inclusive).map(|t| t.amount))
    }
    /// amount − own discounts − included tax.
    pub(super) fn net(&self) -> Option<i64> {
        self.amount.checked_sub(self.own_discounts()?)?.checked_sub(self.inclusive_tax()?)
    }
}

/// A line's tax category, rate and tax.
pub(super) struct LineTax {
    pub(super) category: &'static str,
    pub(super) rate: Option<Decimal>,
    pub(super) reason: Option<&'static str>,
    pub(super) names: Vec<String>,
    pub(super) tax: i64,
    pub(super) stated: bool,
}

pub(super) fn sum(values: impl Iterator<Item = i64>) -> Option<i64> {
    values.into_iter().try_fold(0i64, i64::checked_add)
}

/// The canonical category of one Stripe tax and why it is not standard.
pub(super) fn category_of(
    reason: Option<&str>,
    percent: Option<Decimal>,
) -> (&'static str, Option<&'static str>) {
    match reason {
        Some("reverse_charge") => ("reverse_charge", Some("Reverse charge")),
        Some("customer_exempt") => ("exempt", Some("Customer exempt from tax")),
        Some("product_exempt" | "product_exempt_holiday") => {
            ("exempt", Some("Product exempt from tax"))
        }
        Some("not_subject_to_tax") => ("outside_scope", Some("Not subject to tax")),
        Some("not_collecting") => ("outside_scope", Some("Tax not collected in this jurisdiction")),
        Some("not_supported") => ("outside_scope", Some("Tax not supported in this jurisdiction")),
        Some("not_available") => ("outside_scope", Some("Tax not available for this jurisdiction")),
        Some("zero_rated") => ("zero_rated", None),
        _ => match percent {
            Some(p) if p.is_zero() => ("zero_rated", None),
            _ => ("standard", None),
        },
    }
}

/// The Stripe taxability reason to write for a canonical category.
pub(super) fn reason_for(category: &str) -> &'static str {
    match category {
        "reverse_charge" => "reverse_charge",
        "exempt" => "customer_exempt",
        "outside_scope" => "not_subject_to_tax",
        "zero_rated" => "zero_rated",
        _ => "standard_rated",
    }
}

/// True for categories that need an exemption reason in the breakdown.
pub(super) fn needs_reason(category: &str) -> bool {
    matches!(category, "exempt" | "reverse_charge" | "intra_community" | "export" | "outside_scope")
}

/// The label of a discount: the coupon's name when expanded, else its id.
pub(super) fn discount_label(discount: Option<&Value>, id: Option<&str>) -> String {
    let name = discount.and_then(|d| {
        json::text(d, "/coupon/name").or_else(|| json::text(d, "/source/coupon/name"))
    });
    match (name, id) {
        (Some(n), _) => n.to_owned(),
        (None, Some(id)) => format!("Discount {id}"),
        (None, None) => "Discount".to_owned(),
    }
}

/// The discount id in a label written by [`discount_label`].
pub(super) fn id_from_label(label: &str) -> Option<&str> {
    label.strip_prefix("Discount ").filter(|id| !id.is_empty() && !id.contains(' '))
}

/// `total` ÷ `quantity`, exact where it terminates, with at least `exp`
/// decimal places; a quotient that does not terminate is rounded to the 28
/// significant digits the canonical JSON form holds.
pub(super) fn unit_price(total: Decimal, quantity: Decimal, exp: u32) -> Option<Decimal> {
    if quantity.is_zero() {
        return Some(Decimal::new(0, exp));
    }
    let exact = total.checked_div(quantity)?.round_sf(crate::money::MAX_JSON_DIGITS)?;
    let short = exact.round_dp(exp.checked_add(6)?);
    let mut price = if short.checked_mul(quantity)? == total { short } else { exact };
    price = price.normalize();
    if price.scale() < exp {
        price.rescale(exp);
    }
    Some(price)
}

/// The category, rate and tax of a line (or of shipping) from its taxes.
/// `None` when the amounts overflow.
pub(super) fn classify(
    taxes: &[Tax],
    book: &RateBook,
    percent_of: &dyn Fn(&Tax) -> Option<Decimal>,
    exempt: Option<&str>,
) -> Option<LineTax> {
    let tax = sum(taxes.iter().map(|t| t.amount))?;
    let mut names: Vec<String> = Vec::new();
    for t in taxes {
        if let Some(name) = t
            .rate_id
            .as_deref()
            .and_then(|id| book.get(id))
            .or(t.inline.as_ref())
            .and_then(|r| r.name.clone())
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    if taxes.is_empty() {
        let (category, reason) = match exempt {
            Some("exempt") => ("exempt", "Customer exempt from tax"),
            Some("reverse") => ("reverse_charge", "Reverse charge"),
            _ => ("outside_scope", "No tax charged"),
        };
        return Some(LineTax {
            category,
            rate: zero_rate(category),
            reason: Some(reason),
            names,
            tax,
            stated: false,
        });
    }
    let kinds: Vec<(&'static str, Option<&'static str>, Option<Decimal>)> = taxes
        .iter()
        .map(|t| {
            let p = percent_of(t);
            let (c, r) = category_of(t.reason.as_deref(), p);
            (c, r, p)
        })
        .collect();
    let standard: Vec<Option<Decimal>> =
        kinds.iter().filter(|(c, _, _)| *c == "standard").map(|(_, _, p)| *p).collect();
    if standard.is_empty() {
        let (category, reason) = kinds.first().map_or(("zero_rated", None), |(c, r, _)| (*c, *r));
        return Some(LineTax {
            category,
            rate: zero_rate(category),
            reason,
            names,
            tax,
            stated: true,
        });
    }
    // Stacked taxes (state + city) add up to one rate.
    let rate = standard.iter().try_fold(Decimal::ZERO, |acc, p| p.and_then(|p| acc.checked_add(p)));
    Some(LineTax { category: "standard", rate, reason: None, names, tax, stated: true })
}

/// The rate of a category without tax: none outside the scope of tax
/// (EN 16931 BR-O-05), else 0 (zero-rated, exempt, reverse charge).
pub(super) fn zero_rate(category: &str) -> Option<Decimal> {
    (category != "outside_scope").then_some(Decimal::ZERO)
}

/// The taxes of `owner` in the list at `key`, the rate of each at
/// `rate_at` in it; `at` is the owner's pointer in the Stripe payload.
pub(super) fn taxes_of(
    owner: &Value,
    at: &str,
    key: &str,
    rate_at: &str,
    error: &dyn Fn(String) -> MappingError,
) -> Result<Vec<Tax>, MappingError> {
    let mut taxes = Vec::new();
    for (j, t) in json::array(owner, &format!("/{key}")).iter().enumerate() {
        let amount =
            json::int(t, "/amount").ok_or_else(|| error(format!("{at}/{key}/{j}/amount")))?;
        taxes.push(Tax {
            amount,
            taxable: json::int(t, "/taxable_amount"),
            inclusive: t.get("inclusive") == Some(&Value::Bool(true))
                || json::text(t, "/tax_behavior") == Some("inclusive"),
            rate_id: json::get(t, rate_at).and_then(json::id_of).map(str::to_owned),
            inline: json::get(t, rate_at).filter(|r| json::id_of(r).is_none()).and_then(read_rate),
            reason: json::text(t, "/taxability_reason").map(str::to_owned),
            path: format!("{at}/{key}/{j}{rate_at}"),
        });
    }
    Ok(taxes)
}

/// The group of `lt`'s (category, rate), added when new, with its names.
pub(super) fn group_of<'g>(groups: &'g mut Vec<Group>, lt: &LineTax) -> Option<&'g mut Group> {
    let index = match groups.iter().position(|g| g.category == lt.category && g.rate == lt.rate) {
        Some(k) => k,
        None => {
            groups.push(Group {
                category: lt.category,
                rate: lt.rate,
                reason: lt.reason,
                names: Vec::new(),
                taxable: 0,
                tax: 0,
                discounts: Vec::new(),
                shipping: 0,
            });
            groups.len().saturating_sub(1)
        }
    };
    let group = groups.get_mut(index)?;
    for name in &lt.names {
        if !group.names.contains(name) {
            group.names.push(name.clone());
        }
    }
    Some(group)
}

/// A (category, rate) group of the tax breakdown.
pub(super) struct Group {
    pub(super) category: &'static str,
    pub(super) rate: Option<Decimal>,
    pub(super) reason: Option<&'static str>,
    pub(super) names: Vec<String>,
    pub(super) taxable: i64,
    pub(super) tax: i64,
    /// Document-level discounts on the group's lines: label, amount.
    pub(super) discounts: Vec<(String, i64)>,
    /// Shipping charged in the group.
    pub(super) shipping: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn unit_prices_divide_exactly_where_they_can() {
        assert_eq!(unit_price(dec!(24.50), dec!(1), 2), Some(dec!(24.50)));
        assert_eq!(unit_price(dec!(150.00), dec!(1250000), 2), Some(dec!(0.00012)));
        assert_eq!(unit_price(dec!(5), dec!(0), 0), Some(dec!(0)));
        let third = unit_price(dec!(10.00), dec!(3), 2).unwrap_or_default();
        assert_eq!(third.checked_mul(dec!(3)).map(|t| t.round_dp(2)), Some(dec!(10.00)));
        // 28 significant digits, the most canonical JSON holds.
        assert_eq!(third.to_string(), "3.333333333333333333333333333");
        let kwd = unit_price(dec!(245.380), dec!(6.5), 3).unwrap_or_default();
        assert_eq!(kwd.to_string(), "37.75076923076923076923076923");
    }

    #[test]
    fn discount_labels_give_their_id_back() {
        assert_eq!(id_from_label(&discount_label(None, Some("di_1"))), Some("di_1"));
        let expanded = crate::json!({"id": "di_1", "coupon": {"name": "10 % off"}});
        assert_eq!(discount_label(Some(&expanded), Some("di_1")), "10 % off");
        assert_eq!(id_from_label("10 % off"), None);
        assert_eq!(id_from_label("Discount"), None);
    }

    #[test]
    fn categories_follow_the_taxability_reason() {
        assert_eq!(category_of(Some("reverse_charge"), Some(dec!(19))).0, "reverse_charge");
        assert_eq!(category_of(Some("standard_rated"), Some(dec!(19))).0, "standard");
        assert_eq!(category_of(None, Some(dec!(0))).0, "zero_rated");
        assert_eq!(category_of(Some("not_collecting"), None).0, "outside_scope");
        assert!(needs_reason("outside_scope") && !needs_reason("zero_rated"));
    }
}
