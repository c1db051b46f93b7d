//! Field rules shared by the entities: IBAN, BIC, VAT ids, tax ids, bank
//! accounts, routing numbers, addresses, e-mail, telephone, contacts,
//! external references and payment terms.
//!
//! The public checks (`is_valid_iban`, `is_valid_bic`, `validate_vat_id`)
//! are tested directly; the rules are tested through a customer that
//! breaks only the rule under test, with its exact code and path.

use canonical_finance::model::*;
use canonical_finance::validate::{
    Severity, Validate, ValidationReport, is_valid_bic, is_valid_iban, rules, validate_vat_id,
};
use rust_decimal_macros::dec;

/// Asserts that the report holds exactly one violation, of `code` at `path`.
#[track_caller]
pub(crate) fn assert_only(report: &ValidationReport, code: &str, path: &str) {
    assert_eq!(report.codes(), vec![code], "{report}");
    let paths: Vec<&str> = report.violations().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, vec![path], "{report}");
}

/// The message of the only violation.
#[track_caller]
pub(crate) fn only_message(report: &ValidationReport) -> String {
    assert_eq!(report.violations().len(), 1, "{report}");
    report.violations()[0].message.clone()
}

/// Asserts that a record has no violation at all, not even a warning.
#[track_caller]
pub(crate) fn assert_clean(report: &ValidationReport) {
    assert!(report.violations().is_empty(), "expected no violations, found:\n{report}");
}

/// A value built from its default by `set`, for `#[non_exhaustive]` structs.
pub(crate) fn build<T: Default>(set: impl FnOnce(&mut T)) -> T {
    let mut value = T::default();
    set(&mut value);
    value
}

/// A customer with nothing wrong and nothing optional.
fn customer() -> Customer {
    Customer::new(CustomerId::new("cust_1").unwrap(), CustomerKind::Organization, "Acme GmbH")
}

fn with_bank_account(account: BankAccount) -> Customer {
    let mut c = customer();
    c.bank_accounts.push(account);
    c
}

fn iban_account(iban: &str) -> BankAccount {
    build(|x: &mut BankAccount| {
        x.iban = Some(iban.into());
    })
}

fn with_tax_id(tax_id: TaxId) -> Customer {
    let mut c = customer();
    c.tax_ids.push(tax_id);
    c
}

/// `country` + check digits + `bban`, with the check digits computed so the
/// mod-97 check passes whatever the BBAN.
fn iban_with_valid_check_digits(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let remainder = rearranged.chars().fold(0u32, |acc, c| {
        let value = c.to_digit(36).unwrap();
        if value < 10 { (acc * 10 + value) % 97 } else { (acc * 100 + value) % 97 }
    });
    format!("{country}{:02}{bban}", 98 - remainder)
}

// ---------------------------------------------------------------------------
// IBAN

#[test]
fn registry_example_ibans_are_valid() {
    for iban in [
        "DE89370400440532013000",
        "GB29NWBK60161331926819",
        "FR1420041010050500013M02606",
        "NO9386011117947",
        "MT84MALT011000012345MTLCAST001S",
    ] {
        assert!(is_valid_iban(iban), "{iban}");
    }
}

#[test]
fn iban_with_wrong_check_digits_is_invalid() {
    assert!(!is_valid_iban("DE88370400440532013000"));
    let report = with_bank_account(iban_account("DE88370400440532013000")).validate();
    assert_only(&report, "IBAN", "/bank_accounts/0/iban");
    assert_eq!(
        only_message(&report),
        "expected check digits that pass the ISO 13616 mod-97 check, but `DE…3000` fails it"
    );
}

#[test]
fn iban_of_the_wrong_length_for_its_country_is_invalid() {
    // 17 digits of BBAN where Germany registers 18; the check digits pass.
    let short = iban_with_valid_check_digits("DE", "37040044053201300");
    assert_eq!(short.len(), 21);
    assert!(!is_valid_iban(&short));
    // And 16 digits for Norway, which registers 11.
    assert!(!is_valid_iban(&iban_with_valid_check_digits("NO", "8601111794712345")));
    let report = with_bank_account(iban_account(&short)).validate();
    assert_only(&report, "IBAN", "/bank_accounts/0/iban");
    assert_eq!(
        only_message(&report),
        format!(
            "expected the length and format registered for DE IBANs, but `DE…{}` has 21 characters and does not match it",
            &short[17..]
        )
    );
}

#[test]
fn iban_of_an_unknown_country_is_invalid() {
    let unknown = iban_with_valid_check_digits("XX", "370400440532013000");
    assert!(!is_valid_iban(&unknown));
    let report = with_bank_account(iban_account(&unknown)).validate();
    assert_only(&report, "IBAN", "/bank_accounts/0/iban");
    assert!(only_message(&report).ends_with("starts with `XX`"), "{report}");
}

#[test]
fn iban_in_paper_form_or_lower_case_is_invalid() {
    assert!(!is_valid_iban("DE89 3704 0044 0532 0130 00"));
    assert!(!is_valid_iban("de89370400440532013000"));
    assert!(!is_valid_iban(""));
    let report = with_bank_account(iban_account("DE89 3704 0044 0532 0130 00")).validate();
    assert_only(&report, "IBAN", "/bank_accounts/0/iban");
    assert_eq!(
        only_message(&report),
        "expected the electronic form without spaces, `DE…3000`, but found `DE…0 00`"
    );
}

// ---------------------------------------------------------------------------
// BIC

#[test]
fn bics_of_8_and_11_characters_are_valid() {
    for bic in ["DEUTDEFF", "DEUTDEFF500", "HASPDEHHXXX", "NWBKGB2L"] {
        assert!(is_valid_bic(bic), "{bic}");
    }
}

#[test]
fn bic_with_an_unknown_country_is_invalid() {
    assert!(!is_valid_bic("DEUTXXFF"));
    let mut account = iban_account("DE89370400440532013000");
    account.bic = Some("DEUTXXFF".into());
    let report = with_bank_account(account).validate();
    assert_only(&report, "BIC", "/bank_accounts/0/bic");
    assert_eq!(
        only_message(&report),
        "expected an ISO 3166-1 alpha-2 country code in characters 5 and 6, but `DEUTXXFF` has `XX`"
    );
}

#[test]
fn bic_in_lower_case_or_of_the_wrong_length_is_invalid() {
    assert!(!is_valid_bic("deutdeff"));
    assert!(!is_valid_bic("DEUTDEFF50"));
    assert!(!is_valid_bic("DEUTDEF"));
    assert!(!is_valid_bic("DEUT-EFF"));
    let mut account = iban_account("DE89370400440532013000");
    account.bic = Some("deutdeff".into());
    let report = with_bank_account(account).validate();
    assert_only(&report, "BIC", "/bank_accounts/0/bic");
    assert_eq!(only_message(&report), "expected upper case, `DEUTDEFF`, but found `deutdeff`");
}

// ---------------------------------------------------------------------------
// Bank accounts and routing numbers

#[test]
fn bank_account_without_iban_or_account_number_is_invalid() {
    let account = build(|x: &mut BankAccount| {
        x.bic = Some("DEUTDEFF".into());
    });
    let report = with_bank_account(account).validate();
    assert_only(&report, "BANK-ACCOUNT-ID", "/bank_accounts/0");
}

#[test]
fn domestic_accounts_with_valid_routing_numbers_are_valid() {
    for (scheme, number) in [
        (RoutingScheme::Aba, "021000021"),
        (RoutingScheme::SortCode, "601613"),
        (RoutingScheme::Bsb, "062000"),
        (RoutingScheme::CanadianTransit, "000112345"),
        (RoutingScheme::Ifsc, "HDFC0001234"),
        (RoutingScheme::Clabe, "032180000118359719"),
        (RoutingScheme::Other, "ABC-123"),
    ] {
        let account = build(|x: &mut BankAccount| {
            x.account_number = Some("12345678".into());
            x.routing_number = Some(number.into());
            x.routing_scheme = Some(scheme);
        });
        assert_clean(&with_bank_account(account).validate());
    }
}

#[test]
fn routing_numbers_that_break_their_scheme_are_invalid() {
    for (scheme, number, message) in [
        (
            RoutingScheme::Aba,
            "021000022",
            "expected an ABA routing number whose check digit is valid (3-7-1 weights), but `021000022` fails the check",
        ),
        (
            RoutingScheme::Aba,
            "21000021",
            "expected a routing number of 9 digits (scheme aba), but found `21000021`",
        ),
        (
            RoutingScheme::SortCode,
            "60-16-13",
            "expected a routing number of 6 digits without separators (scheme sort_code), but found `60-16-13`",
        ),
        (
            RoutingScheme::Ifsc,
            "HDFC1001234",
            "expected a routing number of 11 characters: 4 upper-case letters, 0 and 6 letters or digits (scheme ifsc), but found `HDFC1001234`",
        ),
        (
            RoutingScheme::Clabe,
            "032180000118359718",
            "expected a CLABE whose last digit is the check digit 9, but `032180000118359718` ends in another",
        ),
    ] {
        let account = build(|x: &mut BankAccount| {
            x.account_number = Some("12345678".into());
            x.routing_number = Some(number.into());
            x.routing_scheme = Some(scheme);
        });
        let report = with_bank_account(account).validate();
        assert_only(&report, "ROUTING-NUMBER", "/bank_accounts/0/routing_number");
        assert_eq!(only_message(&report), message);
    }
}

#[test]
fn routing_scheme_without_routing_number_is_invalid() {
    let account = build(|x: &mut BankAccount| {
        x.account_number = Some("12345678".into());
        x.routing_scheme = Some(RoutingScheme::Aba);
    });
    let report = with_bank_account(account).validate();
    assert_only(&report, "ROUTING-NUMBER", "/bank_accounts/0/routing_number");
}

// ---------------------------------------------------------------------------
// VAT ids

#[test]
fn vat_ids_of_every_member_state_northern_ireland_and_the_uk_are_valid() {
    for vat in [
        "ATU12345678",
        "BE0123456789",
        "BE1234567890",
        "BG123456789",
        "BG1234567890",
        "CY12345678X",
        "CZ12345678",
        "CZ1234567890",
        "DE123456789",
        "DK12345678",
        "EE123456789",
        "EL123456789",
        "ESX1234567X",
        "ES12345678Z",
        "FI12345678",
        "FR12345678901",
        "FRAB123456789",
        "HR12345678901",
        "HU12345678",
        "IE1234567X",
        "IE1234567XW",
        "IE1X23456X",
        "IT12345678901",
        "LT123456789",
        "LT123456789012",
        "LU12345678",
        "LV12345678901",
        "MT12345678",
        "NL123456789B01",
        "PL1234567890",
        "PT123456789",
        "RO12",
        "RO1234567890",
        "SE123456789001",
        "SI12345678",
        "SK1234567890",
        "XI123456789",
        "XI123456789012",
        "XIGD123",
        "XIHA123",
        "GB123456789",
    ] {
        assert_eq!(validate_vat_id(vat), Ok(()), "{vat}");
    }
}

#[test]
fn vat_ids_of_other_countries_need_only_a_valid_prefix() {
    for vat in ["CHE123456789MWST", "NO123456789MVA", "1A12345678"] {
        assert_eq!(validate_vat_id(vat), Ok(()), "{vat}");
    }
}

#[test]
fn greek_vat_id_with_gr_prefix_suggests_el() {
    assert_eq!(
        validate_vat_id("GR123456789"),
        Err("expected the prefix `EL` for Greece, `EL…6789`, but found `GR` in `GR…6789`"
            .to_owned())
    );
}

#[test]
fn vat_ids_that_break_their_country_format_are_invalid() {
    for (vat, message) in [
        (
            "DE12345678",
            "expected a German VAT id: `DE` followed by 9 digits, but found `DE…5678` (8 characters after the prefix)",
        ),
        (
            "ATU1234567",
            "expected an Austrian VAT id: `AT` followed by U and 8 digits, but found `AT…4567` (8 characters after the prefix)",
        ),
        (
            "NL123456789X01",
            "expected a Dutch VAT id: `NL` followed by 9 digits, B and 2 digits, but found `NL…9X01` (12 characters after the prefix)",
        ),
        (
            "FRIO123456789",
            "expected a French VAT id: `FR` followed by a 2-character key (digits or letters other than I and O) and the 9-digit SIREN, but found `FR…6789` (11 characters after the prefix)",
        ),
    ] {
        assert_eq!(validate_vat_id(vat), Err(message.to_owned()), "{vat}");
    }
}

#[test]
fn vat_ids_without_a_prefix_or_in_the_wrong_form_are_invalid() {
    for (vat, message) in [
        (
            "123456789",
            "expected a VAT id with its country prefix (EN 16931 BR-CO-09), such as `DE123456789`, but found `…6789`",
        ),
        (
            "XX123456789",
            "expected an ISO 3166-1 alpha-2 country prefix (EL for Greece, XI for Northern Ireland), but `XX…6789` starts with `XX`",
        ),
        ("de123456789", "expected upper case, `DE…6789`, but found `de…6789`"),
        (
            "DE 123 456 789",
            "expected the VAT id without spaces or punctuation, `DE…6789`, but found `DE… 789`",
        ),
        (
            "",
            "expected a VAT id with its country prefix, such as `DE123456789`, but found an empty value",
        ),
        ("CH1", "expected 2 to 16 letters or digits after the prefix `CH`, but `…1` has 1"),
    ] {
        assert_eq!(validate_vat_id(vat), Err(message.to_owned()), "{vat:?}");
    }
}

#[test]
fn vat_rule_reports_at_the_tax_id_value() {
    let report = with_tax_id(TaxId::new(TaxIdScheme::Vat, "GR123456789")).validate();
    assert_only(&report, "VAT-ID", "/tax_ids/0/value");
    let r = rules().find(|r| r.code == "VAT-ID").unwrap();
    assert_eq!(r.en16931, ["BT-31", "BT-48", "BT-63"]);
    assert_eq!(r.entity, None);
}

#[test]
fn a_vat_id_without_a_country_prefix_breaks_br_co_09_itself() {
    // EN 16931 BR-CO-09 is about the prefix only: a missing, unknown or
    // lower-case prefix is reported under the EN code; the rest of the
    // form (spaces, per-country length) stays VAT-ID, stricter than EN.
    for (vat, shown, prefix) in [
        ("123456789", "…6789", "12"),
        ("XX123456789", "XX…6789", "XX"),
        ("de123456789", "de…6789", "de"),
    ] {
        let report = with_tax_id(TaxId::new(TaxIdScheme::Vat, vat)).validate();
        assert_only(&report, "BR-CO-09", "/tax_ids/0/value");
        assert_eq!(
            only_message(&report),
            format!(
                "expected a country prefix, an upper-case ISO 3166-1 alpha-2 code (EL for Greece, XI for Northern Ireland, 1A for Kosovo), but `{shown}` starts with `{prefix}`"
            )
        );
    }
    for vat in ["DE 123 456 789", "EL094259216", "XI123456789", "1A12345"] {
        let report = with_tax_id(TaxId::new(TaxIdScheme::Vat, vat)).validate();
        assert!(report.violations().iter().all(|v| v.code != "BR-CO-09"), "{vat}: {report:?}");
    }
    let r = rules().find(|r| r.code == "BR-CO-09").unwrap();
    assert_eq!(r.en16931, ["BR-CO-09", "BT-31", "BT-48", "BT-63"]);
    assert_eq!(r.severity, Severity::Error);
}

#[test]
fn vat_prefix_must_agree_with_the_tax_id_country() {
    let mut vat = TaxId::new(TaxIdScheme::Vat, "DE123456789");
    vat.country = Some(CountryCode::new("AT").unwrap());
    let report = with_tax_id(vat).validate();
    assert_only(&report, "VAT-ID", "/tax_ids/0/country");
    assert_eq!(
        only_message(&report),
        "expected the country DE of the VAT id prefix `DE`, but found AT"
    );

    // Greece is GR as a country and EL as a VAT prefix; Northern Ireland
    // ids belong to GB.
    for (value, country) in [("EL123456789", "GR"), ("XI123456789", "GB"), ("DE123456789", "DE")] {
        let mut vat = TaxId::new(TaxIdScheme::Vat, value);
        vat.country = Some(CountryCode::new(country).unwrap());
        assert_clean(&with_tax_id(vat).validate());
    }
}

#[test]
fn other_tax_ids_are_not_held_to_the_vat_format() {
    let mut registration = TaxId::new(TaxIdScheme::LegalRegistration, "HRB 178234");
    registration.country = Some(CountryCode::new("DE").unwrap());
    assert_clean(&with_tax_id(registration).validate());
    assert_clean(&with_tax_id(TaxId::new(TaxIdScheme::Ein, "12-3456789")).validate());
}

#[test]
fn tax_id_needs_a_trimmed_non_blank_value() {
    let report = with_tax_id(TaxId::new(TaxIdScheme::Tin, "  ")).validate();
    assert_only(&report, "TAX-ID", "/tax_ids/0/value");
    // A blank VAT id is a TAX-ID violation only, not also a VAT-ID one.
    let report = with_tax_id(TaxId::new(TaxIdScheme::Vat, "")).validate();
    assert_only(&report, "TAX-ID", "/tax_ids/0/value");
    let report = with_tax_id(TaxId::new(TaxIdScheme::Vat, "DE123456789 ")).validate();
    assert_only(&report, "TAX-ID", "/tax_ids/0/value");
}

#[test]
fn tax_id_of_scheme_other_needs_a_label() {
    let report = with_tax_id(TaxId::new(TaxIdScheme::Other, "X-1")).validate();
    assert_only(&report, "TAX-ID", "/tax_ids/0/label");
    let mut labelled = TaxId::new(TaxIdScheme::Other, "X-1");
    labelled.label = Some("br_cnpj".into());
    assert_clean(&with_tax_id(labelled).validate());
}

// ---------------------------------------------------------------------------
// Addresses, e-mail, telephone, contacts

#[test]
fn address_with_only_a_country_is_invalid() {
    let mut c = customer();
    let mut good = Address::new(CountryCode::new("DE").unwrap());
    good.city = Some("Berlin".into());
    c.addresses.push(good);
    let mut blank = Address::new(CountryCode::new("FR").unwrap());
    blank.lines = vec![" ".into()];
    c.addresses.push(blank);
    let report = c.validate();
    assert_only(&report, "ADDRESS", "/addresses/1");
    assert_eq!(
        only_message(&report),
        "expected a street line, a city or a postal code besides the country, but the address in FR has none"
    );
}

#[test]
fn invalid_email_is_reported_where_it_is() {
    let mut c = customer();
    c.email = Some("billing@example.com".into());
    assert_clean(&c.validate());
    c.email = Some("billing.example.com".into());
    let report = c.validate();
    assert_only(&report, "EMAIL", "/email");
    assert_eq!(
        only_message(&report),
        "expected an e-mail address such as `billing@example.com`, but found `bi….com`"
    );

    let mut c = customer();
    c.contacts.push(build(|x: &mut Contact| {
        x.email = Some("jana@@example.com".into());
    }));
    assert_only(&c.validate(), "EMAIL", "/contacts/0/email");
}

#[test]
fn plausible_phone_numbers_are_valid() {
    for phone in ["+4940301234500", "+49 40 3012345-00", "(030) 123.456", "12345"] {
        let mut c = customer();
        c.phone = Some(phone.into());
        assert_clean(&c.validate());
    }
}

#[test]
fn implausible_phone_numbers_are_invalid() {
    for (phone, message) in [
        ("1234", "expected 5 to 20 digits, but `…34` has 4"),
        ("123456789012345678901", "expected 5 to 20 digits, but `12…8901` has 21"),
        (
            "call 030 1234",
            "expected digits with only spaces, -, (, ), . and a leading +, such as `+49 30 1234567`, but found `ca…1234`",
        ),
        (
            "030+1234567",
            "expected digits with only spaces, -, (, ), . and a leading +, such as `+49 30 1234567`, but found `03…4567`",
        ),
    ] {
        let mut c = customer();
        c.phone = Some(phone.into());
        let report = c.validate();
        assert_only(&report, "PHONE", "/phone");
        assert_eq!(only_message(&report), message);
    }
    let mut c = customer();
    c.contacts.push(build(|x: &mut Contact| {
        x.name = Some("Jana".into());
        x.phone = Some("x".into());
    }));
    assert_only(&c.validate(), "PHONE", "/contacts/0/phone");
}

#[test]
fn empty_contact_is_invalid() {
    let mut c = customer();
    c.contacts.push(build(|x: &mut Contact| {
        x.name = Some("Jana Petersen".into());
    }));
    c.contacts.push(build(|x: &mut Contact| {
        x.role = Some("billing".into());
    }));
    assert_only(&c.validate(), "CONTACT", "/contacts/1");
}

// ---------------------------------------------------------------------------
// External references and payment terms

#[test]
fn external_ref_with_a_blank_part_is_invalid() {
    let mut c = customer();
    c.external_refs.push(ExternalRef::new("stripe", "customer", "cus_1"));
    c.external_refs.push(ExternalRef::new("netsuite", "customer", "").with_tenant("7294031"));
    assert_only(&c.validate(), "EXTERNAL-REF", "/external_refs/1/id");

    let mut c = customer();
    c.external_refs.push(ExternalRef::new("quickbooks", "Customer", "58").with_tenant(" "));
    assert_only(&c.validate(), "EXTERNAL-REF", "/external_refs/0/tenant");
}

#[test]
fn payment_terms_with_an_incoherent_discount_are_invalid() {
    let terms = |percent, days, net| {
        build(|x: &mut PaymentTerms| {
            x.net_days = net;
            x.discount_percent = percent;
            x.discount_days = days;
        })
    };
    let cases = [
        (terms(Some(dec!(0)), Some(10), Some(30)), "/payment_terms/discount_percent"),
        (terms(Some(dec!(120)), Some(10), Some(30)), "/payment_terms/discount_percent"),
        (terms(Some(dec!(2)), None, Some(30)), "/payment_terms/discount_days"),
        (terms(None, Some(10), Some(30)), "/payment_terms/discount_percent"),
        (terms(Some(dec!(2)), Some(40), Some(30)), "/payment_terms/discount_days"),
    ];
    for (t, path) in cases {
        let mut c = customer();
        c.payment_terms = Some(t);
        assert_only(&c.validate(), "PAYMENT-TERMS", path);
    }
    let mut c = customer();
    c.payment_terms = Some(terms(Some(dec!(2)), Some(10), Some(30)));
    assert_clean(&c.validate());
}

// ---------------------------------------------------------------------------
// The catalogue

#[test]
fn field_rules_have_no_entity_and_are_errors() {
    let codes: Vec<&str> = rules().filter(|r| r.entity.is_none()).map(|r| r.code).collect();
    for code in [
        "IBAN",
        "BIC",
        "BR-CO-09",
        "VAT-ID",
        "TAX-ID",
        "BANK-ACCOUNT-ID",
        "ROUTING-NUMBER",
        "ADDRESS",
        "EMAIL",
        "PHONE",
        "CONTACT",
        "EXTERNAL-REF",
        "PAYMENT-TERMS",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert!(rules().filter(|r| r.entity.is_none()).all(|r| r.severity == Severity::Error));
}

#[test]
fn rule_codes_are_unique_and_carry_their_entity_prefix() {
    let all: Vec<_> = rules().collect();
    for (i, r) in all.iter().enumerate() {
        assert!(all.iter().skip(i + 1).all(|o| o.code != r.code), "{} twice", r.code);
        let prefix = match r.entity {
            Some(Entity::Customer) => "CUS-",
            Some(Entity::Contract) => "CTR-",
            Some(Entity::Payment) => "PAY-",
            Some(Entity::JournalEntry) => "JE-",
            _ => continue,
        };
        assert!(r.code.starts_with(prefix), "{} should start with {prefix}", r.code);
        assert!(!r.description.contains('|'), "{}", r.code);
    }
}
