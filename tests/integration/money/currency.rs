//! `Currency`: the ISO 4217 list, minor units, strict parsing with
//! suggestions, and the JSON form.

use canonical_finance::money::{Currency, MoneyError};

use super::message;

#[test]
fn every_iso_code_round_trips_through_display_from_str_and_serde() {
    let all: Vec<Currency> = Currency::all().collect();
    assert!(all.len() > 150, "only {} currencies", all.len());
    let unique: std::collections::BTreeSet<&str> = all.iter().map(|c| c.code()).collect();
    assert_eq!(unique.len(), all.len(), "codes repeat");
    for currency in all {
        let code = currency.code();
        assert!(
            code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()),
            "odd code {code:?}"
        );
        assert_eq!(currency.to_string(), code);
        assert_eq!(format!("{currency:?}"), code);
        assert_eq!(code.parse::<Currency>(), Ok(currency));
        assert_eq!(Currency::from_code(code), Ok(currency));
        assert!(currency == code);

        let json = serde_json::to_string(&currency).unwrap();
        assert_eq!(json, format!("\"{code}\""));
        assert_eq!(serde_json::from_str::<Currency>(&json).unwrap(), currency);
        let value = serde_json::to_value(currency).unwrap();
        assert_eq!(value, serde_json::Value::String(code.to_owned()));
        assert_eq!(serde_json::from_value::<Currency>(value).unwrap(), currency);

        let iso: iso_currency::Currency = currency.into();
        assert_eq!(Currency::from(iso), currency);
    }
}

#[test]
fn all_is_in_alphabetical_order() {
    let codes: Vec<&str> = Currency::all().map(Currency::code).collect();
    let misplaced: Vec<String> = codes
        .windows(2)
        .filter(|pair| pair[0] >= pair[1])
        .map(|pair| format!("{} before {}", pair[0], pair[1]))
        .collect();
    assert!(misplaced.is_empty(), "{misplaced:?}");
}

#[test]
fn constants_name_their_codes() {
    let cases = [
        (Currency::AUD, "AUD"),
        (Currency::BHD, "BHD"),
        (Currency::BRL, "BRL"),
        (Currency::CAD, "CAD"),
        (Currency::CHF, "CHF"),
        (Currency::CLF, "CLF"),
        (Currency::CNY, "CNY"),
        (Currency::DKK, "DKK"),
        (Currency::EUR, "EUR"),
        (Currency::GBP, "GBP"),
        (Currency::HKD, "HKD"),
        (Currency::INR, "INR"),
        (Currency::JOD, "JOD"),
        (Currency::JPY, "JPY"),
        (Currency::KRW, "KRW"),
        (Currency::KWD, "KWD"),
        (Currency::MXN, "MXN"),
        (Currency::NOK, "NOK"),
        (Currency::NZD, "NZD"),
        (Currency::OMR, "OMR"),
        (Currency::PLN, "PLN"),
        (Currency::SEK, "SEK"),
        (Currency::SGD, "SGD"),
        (Currency::TND, "TND"),
        (Currency::USD, "USD"),
        (Currency::XAU, "XAU"),
        (Currency::XXX, "XXX"),
        (Currency::ZAR, "ZAR"),
    ];
    for (currency, code) in cases {
        assert_eq!(currency.code(), code);
    }
}

#[test]
fn minor_units_follow_iso_4217() {
    let cases = [
        ("JPY", Some(0)),
        ("KRW", Some(0)),
        ("CLP", Some(0)),
        ("ISK", Some(0)),
        ("USD", Some(2)),
        ("EUR", Some(2)),
        ("GBP", Some(2)),
        ("CHF", Some(2)),
        ("KWD", Some(3)),
        ("BHD", Some(3)),
        ("JOD", Some(3)),
        ("OMR", Some(3)),
        ("TND", Some(3)),
        ("CLF", Some(4)),
        ("XAU", None),
        ("XAG", None),
        ("XDR", None),
        ("XTS", None),
        ("XXX", None),
    ];
    for (code, minor_units) in cases {
        let currency: Currency = code.parse().unwrap();
        assert_eq!(currency.minor_units(), minor_units, "{code}");
    }
}

#[test]
fn numeric_codes_names_and_kinds() {
    assert_eq!(Currency::EUR.numeric(), 978);
    assert_eq!(Currency::USD.numeric(), 840);
    assert_eq!(Currency::JPY.numeric(), 392);
    assert_eq!(Currency::CLF.numeric(), 990);
    assert_eq!(Currency::XAU.numeric(), 959);
    assert_eq!(Currency::XXX.numeric(), 999);
    assert_eq!(Currency::EUR.name(), "Euro");

    assert!(Currency::CLF.is_fund());
    assert!(!Currency::CLF.is_special());
    assert!(Currency::XAU.is_special());
    assert!(Currency::XXX.is_special());
    assert!(!Currency::EUR.is_fund());
    assert!(!Currency::EUR.is_special());
}

#[test]
fn parsing_is_strict_and_suggests_the_likely_code() {
    let cases = [
        ("usd", "unknown currency code `usd`, did you mean `USD`?", Some(Currency::USD)),
        ("US$", "unknown currency code `US$`, did you mean `USD`?", Some(Currency::USD)),
        ("$", "unknown currency code `$`, did you mean `USD`?", Some(Currency::USD)),
        ("Eur", "unknown currency code `Eur`, did you mean `EUR`?", Some(Currency::EUR)),
        (" EUR", "unknown currency code ` EUR`, did you mean `EUR`?", Some(Currency::EUR)),
        ("€", "unknown currency code `€`, did you mean `EUR`?", Some(Currency::EUR)),
        ("Euro", "unknown currency code `Euro`, did you mean `EUR`?", Some(Currency::EUR)),
        ("£", "unknown currency code `£`, did you mean `GBP`?", Some(Currency::GBP)),
        ("yen", "unknown currency code `yen`, did you mean `JPY`?", Some(Currency::JPY)),
        ("eur\n", "unknown currency code `eur\\n`, did you mean `EUR`?", Some(Currency::EUR)),
        (
            "QQQ",
            "unknown currency code `QQQ`: expected a three-letter ISO 4217 code such as `EUR`",
            None,
        ),
        ("", "unknown currency code ``: expected a three-letter ISO 4217 code such as `EUR`", None),
        (
            "EURO`S",
            "unknown currency code `EURO\\`S`: expected a three-letter ISO 4217 code such as `EUR`",
            None,
        ),
    ];
    for (input, expected, suggestion) in cases {
        let err = input.parse::<Currency>().unwrap_err();
        assert_eq!(err.to_string(), expected, "input {input:?}");
        assert_eq!(
            err,
            MoneyError::UnknownCurrency { input: input.to_owned(), suggestion },
            "input {input:?}"
        );
        assert!(err.is_unknown_currency() && err.is_parse());
        assert!(!err.is_currency_mismatch() && !err.is_overflow());
        assert_eq!(Currency::from_code(input), Err(err));
    }
}

#[test]
fn a_long_rejected_code_is_shortened_in_the_message() {
    let input = "X".repeat(200);
    assert_eq!(
        message(input.parse::<Currency>()),
        format!(
            "unknown currency code `{}…`: expected a three-letter ISO 4217 code such as `EUR`",
            "X".repeat(64)
        )
    );
}

#[test]
fn json_accepts_only_the_upper_case_code() {
    assert_eq!(serde_json::from_str::<Currency>(r#""EUR""#).unwrap(), Currency::EUR);

    let err = serde_json::from_str::<Currency>(r#""eur""#).unwrap_err();
    assert!(err.is_data());
    assert!(
        err.to_string().starts_with("unknown currency code `eur`, did you mean `EUR`?"),
        "{err}"
    );

    let err = serde_json::from_value::<Currency>(serde_json::json!("eur")).unwrap_err();
    assert_eq!(err.to_string(), "unknown currency code `eur`, did you mean `EUR`?");

    let err = serde_json::from_str::<Currency>("978").unwrap_err();
    assert!(
        err.to_string().contains(r#"expected an ISO 4217 currency code such as "EUR""#),
        "{err}"
    );
    let err = serde_json::from_str::<Currency>("null").unwrap_err();
    assert!(
        err.to_string().contains(r#"expected an ISO 4217 currency code such as "EUR""#),
        "{err}"
    );
}
