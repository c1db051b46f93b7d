//! What the crate does today: exact money.
//!
//! Run with `cargo run --example money`. It parses amounts from vendor-style
//! JSON (a string and an exact JSON number), computes VAT with an explicit
//! rounding, splits a bill without losing a cent, converts with a dated rate,
//! cash-rounds, and shows the errors you get for bad input.

use canonical_finance::money::{Currency, ExchangeRate, Money, Rounding};
use chrono::NaiveDate;
use rust_decimal_macros::dec;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1. Parse. A JSON number is read from its text, never through f64.
    let net: Money =
        serde_json::from_str(r#"{"amount": 12345678901234567.89, "currency": "EUR"}"#)?;
    println!("parsed from a JSON number:  {net}");
    let net: Money = serde_json::from_str(r#"{"amount": "1234.50", "currency": "EUR"}"#)?;
    println!("parsed from a string:       {net}");

    // 2. Multiply and round with a named strategy.
    let vat = net.checked_mul(dec!(0.19))?;
    println!("VAT before rounding:        {vat}");
    for strategy in [Rounding::HalfUp, Rounding::HalfEven, Rounding::Down] {
        println!("{:<28}{}", format!("VAT rounded {}:", strategy.as_str()), vat.round(strategy)?);
    }
    let gross = net.checked_add(vat.round(Rounding::HalfEven)?)?;
    println!("gross:                      {gross}");

    // 3. Allocate: the parts always add up to the whole.
    let parts = gross.allocate(&[dec!(50), dec!(30), dec!(20)])?;
    let shown: Vec<String> = parts.iter().map(ToString::to_string).collect();
    println!("50/30/20 split:             {}", shown.join(", "));
    println!("parts sum to:               {}", Money::checked_sum(Currency::EUR, &parts)?);
    let thirds = Money::from_minor(10000, Currency::USD)?.split(3)?;
    let shown: Vec<String> = thirds.iter().map(ToString::to_string).collect();
    println!("100.00 USD in thirds:       {}", shown.join(", "));

    // 4. Convert with a dated, sourced rate; minor units follow the currency.
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("invalid date")?;
    let eur_jpy =
        ExchangeRate::new(Currency::EUR, Currency::JPY, dec!(162.31), as_of)?.with_source("ECB");
    let eur_kwd = ExchangeRate::new(Currency::EUR, Currency::KWD, dec!(0.3354), as_of)?;
    println!("in JPY (0 minor units):     {}", eur_jpy.convert(gross, Rounding::HalfUp)?);
    println!("in KWD (3 minor units):     {}", eur_kwd.convert(gross, Rounding::HalfUp)?);
    println!("rate as JSON:               {}", serde_json::to_string(&eur_jpy)?);

    // 5. Cash rounding to the smallest coin.
    let chf: Money = "17.23 CHF".parse()?;
    println!(
        "17.23 CHF to 0.05:          {}",
        chf.round_to_increment(dec!(0.05), Rounding::HalfUp)?
    );

    // 6. Bad input is a clear error, never a guess.
    let bad = [
        r#"{"amount": "12,50", "currency": "EUR"}"#,
        r#"{"amount": "10.00", "currency": "usd"}"#,
        r#"{"amount": "NaN", "currency": "EUR"}"#,
        r#"{"amount": 1e400, "currency": "EUR"}"#,
    ];
    for json in bad {
        if let Err(e) = serde_json::from_str::<Money>(json) {
            println!("rejected {json}\n  -> {e}");
        }
    }
    if let Err(e) = net.checked_add("1.00 USD".parse()?) {
        println!("rejected EUR + USD\n  -> {e}");
    }
    Ok(())
}
