//! Tax rates: the percentages Stripe gives (expanded `tax_rate` objects) and,
//! where it gives only an id, the rate estimated from the line taxes.

use std::collections::BTreeMap;

use crate::json::Value;
use rust_decimal::Decimal;

use super::json;
use crate::mapping::pointer::get as pointer_get;

/// What is known of one Stripe tax rate.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RateInfo {
    /// The percentage, `8.875` for 8.875 %.
    pub(super) percent: Decimal,
    /// The display name (`Sales Tax`, `USt.`).
    pub(super) name: Option<String>,
}

/// The tax rate objects found anywhere in a document, by id.
#[derive(Debug, Default)]
pub(super) struct RateBook {
    known: BTreeMap<String, RateInfo>,
}

impl RateBook {
    /// Every expanded tax rate in `doc`: the document's default rates, the
    /// lines' `tax_rates`, and expanded `tax_rate` objects in tax amounts.
    pub(super) fn collect(doc: &Value) -> RateBook {
        let mut book = RateBook::default();
        for rate in json::array(doc, "/default_tax_rates") {
            book.add(rate);
        }
        for entry in
            json::array(doc, "/total_tax_amounts").iter().chain(json::array(doc, "/tax_amounts"))
        {
            if let Some(rate) = entry.get("tax_rate") {
                book.add(rate);
            }
        }
        for entry in json::array(doc, "/total_taxes") {
            if let Some(rate) = pointer_get(entry, "/tax_rate_details/tax_rate") {
                book.add(rate);
            }
        }
        for entry in json::array(doc, "/shipping_cost/taxes") {
            if let Some(rate) = entry.get("rate") {
                book.add(rate);
            }
        }
        for line in json::array(doc, "/lines/data") {
            for rate in json::array(line, "/tax_rates") {
                book.add(rate);
            }
            for entry in json::array(line, "/tax_amounts") {
                if let Some(rate) = entry.get("tax_rate") {
                    book.add(rate);
                }
            }
            for entry in json::array(line, "/taxes") {
                if let Some(rate) = pointer_get(entry, "/tax_rate_details/tax_rate") {
                    book.add(rate);
                }
            }
        }
        book
    }

    fn add(&mut self, rate: &Value) {
        let (Some(id), Some(read)) = (json::text(rate, "/id"), read_rate(rate)) else {
            return;
        };
        let info = self
            .known
            .entry(id.to_owned())
            .or_insert(RateInfo { percent: read.percent, name: None });
        if info.name.is_none() {
            info.name = read.name;
        }
    }

    /// The tax rate `id`, if its percentage is in the document.
    pub(super) fn get(&self, id: &str) -> Option<&RateInfo> {
        self.known.get(id)
    }
}

/// The percentage and display name of an expanded tax rate, with or
/// without an id.
pub(super) fn read_rate(rate: &Value) -> Option<RateInfo> {
    let percent = json::get(rate, "/percentage").and_then(json::decimal)?;
    let name = json::text(rate, "/display_name").map(str::to_owned);
    Some(RateInfo { percent, name })
}

/// A rate estimated from `(taxable, tax)` pairs in minor units, each tax
/// rounded from `taxable × rate / 100`, and whether it is exact (every pair
/// divides to it without rounding).
///
/// The estimate is the simplest percentage that reproduces every pair:
/// the fewest decimal places (at most four), then the smallest denominator
/// as a fraction (8.875 = 71/8 before 8.873), then the one nearest the
/// overall ratio. `None` when no pair has a taxable amount.
pub(super) fn estimate(pairs: &[(i64, i64)]) -> Option<(Decimal, bool)> {
    let hundred = Decimal::ONE_HUNDRED;
    let half = Decimal::new(5, 1);
    let usable: Vec<(Decimal, Decimal)> = pairs
        .iter()
        .filter(|(t, _)| *t > 0)
        .map(|(t, a)| (Decimal::from(*t), Decimal::from(*a)))
        .collect();
    let (first_t, first_a) = *usable.first()?;
    // Exact: every pair gives the same short percentage.
    if let Some(r) = first_a.checked_mul(hundred).and_then(|x| x.checked_div(first_t))
        && r.normalize().scale() <= 4
        && usable.iter().all(|(t, a)| {
            r.checked_mul(*t).zip(a.checked_mul(hundred)).is_some_and(|(p, q)| p == q)
        })
    {
        return Some((r.normalize(), true));
    }
    let total_t = usable.iter().try_fold(Decimal::ZERO, |acc, (t, _)| acc.checked_add(*t))?;
    let total_a = usable.iter().try_fold(Decimal::ZERO, |acc, (_, a)| acc.checked_add(*a))?;
    let overall = total_a.checked_mul(hundred)?.checked_div(total_t)?;
    // The rates every pair's rounding allows: [lo, hi].
    let mut lo = Decimal::ZERO;
    let mut hi = Decimal::MAX;
    for (t, a) in &usable {
        let low = a.checked_sub(half)?.checked_mul(hundred)?.checked_div(*t)?;
        let high = a.checked_add(half)?.checked_mul(hundred)?.checked_div(*t)?;
        lo = lo.max(low);
        hi = hi.min(high);
    }
    if lo <= hi {
        for places in 0..=4u32 {
            let step = Decimal::new(1, places);
            let first = lo.checked_div(step)?.ceil();
            let last = hi.checked_div(step)?.floor();
            if first > last {
                continue;
            }
            let scale = 10i64.checked_pow(places)?;
            let mut best: Option<(i64, Decimal, Decimal)> = None;
            let mut n = first;
            let mut tries = 0u32;
            while n <= last && tries < 10_000 {
                let m = i64::try_from(n).ok()?;
                let candidate = Decimal::new(m, places);
                let denominator = scale.checked_div(gcd(m.unsigned_abs(), scale.unsigned_abs()))?;
                let distance = candidate.checked_sub(overall)?.abs();
                let better = match &best {
                    None => true,
                    Some((d, dist, _)) => {
                        denominator < *d || (denominator == *d && distance < *dist)
                    }
                };
                if better {
                    best = Some((denominator, distance, candidate));
                }
                n = n.checked_add(Decimal::ONE)?;
                tries = tries.checked_add(1)?;
            }
            if let Some((_, _, rate)) = best {
                return Some((rate.normalize(), false));
            }
        }
    }
    // The pairs disagree (another rounding rule): the overall ratio.
    Some((overall.round_dp(4).normalize(), false))
}

fn gcd(a: u64, b: u64) -> i64 {
    let (mut a, mut b) = (a, b);
    while b != 0 {
        let r = a.checked_rem(b).unwrap_or(0);
        a = b;
        b = r;
    }
    i64::try_from(a).unwrap_or(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn exact_rates_are_exact() {
        assert_eq!(estimate(&[(6860, 686), (5500, 550)]), Some((dec!(10), true)));
        assert_eq!(estimate(&[(0, 0)]), None);
        assert_eq!(estimate(&[]), None);
    }

    #[test]
    fn rounded_rates_are_the_simplest_that_fit() {
        // New York City 8.875 %: 8.872 … 8.875 all fit; 71/8 is simplest.
        assert_eq!(estimate(&[(24500, 2174), (1500, 133)]), Some((dec!(8.875), false)));
        assert_eq!(
            estimate(&[(24500, 2174), (1500, 133), (15000, 1331), (20000, 1775)]),
            Some((dec!(8.875), false))
        );
        assert_eq!(estimate(&[(42120, 8003)]), Some((dec!(19), false)));
        assert_eq!(estimate(&[(8820, 617)]), Some((dec!(7), false)));
        assert_eq!(estimate(&[(2205, 154)]), Some((dec!(7), false)));
        // Pairs no single rate rounds to: the overall ratio.
        assert_eq!(estimate(&[(1000, 190), (1000, 70)]), Some((dec!(13), false)));
    }
}
