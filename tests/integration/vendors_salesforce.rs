//! The Salesforce mappers on the project's fixtures in
//! `tests/fixtures/salesforce/<object>/`: every record passes the
//! conformance suite and maps to a record that passes validation, with the
//! exact values a CRM sync relies on; 15- and 18-character ids are one id.

use std::path::PathBuf;

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{Mapper, MappingError, Registry, conformance, envelope};
use canonical_finance::model::{Contract, Customer};
use canonical_finance::validate::Validate;

fn read(file: &str) -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/salesforce").join(file);
    json::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every record of every response in the folder, by file and place.
fn records(mapper: &dyn Mapper, folder: &str) -> Vec<(String, Value)> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/salesforce").join(folder);
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let response = read(&format!("{folder}/{name}"));
        let opened = envelope::open(mapper, &response).unwrap();
        for (i, record) in opened.records().iter().enumerate() {
            out.push((format!("{name}{}", opened.pointer(i)), (*record).clone()));
        }
    }
    out
}

#[test]
fn every_account_and_contract_passes_the_conformance_suite_and_validation() {
    let registry = Registry::builtin().unwrap();
    for (object, folders) in
        [("Account", &["account", "query"][..]), ("Contract", &["contract"][..])]
    {
        let mapper = registry.get("salesforce", object).unwrap();
        let mut all = Vec::new();
        for folder in folders {
            // The query folder's pages, composite response and sObject
            // collection: the Account records in them.
            all.extend(records(mapper, folder));
        }
        assert!(all.len() >= 3, "{object}: {} records", all.len());
        let report = conformance::check(mapper, &all);
        assert!(report.is_ok(), "{object}: {report}");
        for (name, record) in &all {
            let c = mapper.to_canonical(record).unwrap().value;
            let report = match object {
                "Account" => json::from_value::<Customer>(&c).unwrap().validate(),
                _ => json::from_value::<Contract>(&c).unwrap().validate(),
            };
            assert!(report.is_valid(), "{name}: {report}");
        }
    }
}

#[test]
fn a_person_account_is_an_individual_and_a_business_account_an_organization() {
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Account").unwrap();
    let person = mapper.to_canonical(&read("account/person_account_usd.json")).unwrap().value;
    assert_eq!(person["kind"], "individual");
    assert_eq!(
        (&person["given_name"], &person["family_name"]),
        (&json!("Daniel"), &json!("Reyes"))
    );
    assert_eq!(person["email"], "daniel.reyes@example.com");
    assert_eq!(person["default_currency"], "USD");
    assert_eq!(person.get("legal_name"), None);
    let child =
        mapper.to_canonical(&read("account/business_child_eur_parent_id.json")).unwrap().value;
    assert_eq!(child["kind"], "organization");
    assert_eq!(child["legal_name"], "Northwind Sailcloth Europe B.V.");
    assert_eq!(child["parent"]["external_refs"][0]["id"], "001Dn00000AbCdEIAV");
    assert_eq!(
        child["addresses"][0],
        json!({"purpose": "billing", "lines": ["Wilhelminakade 910"], "city": "Rotterdam",
               "postal_code": "3072 AP", "country": "NL"})
    );
    assert_eq!(child["default_currency"], "EUR");
}

#[test]
fn a_query_page_is_its_records_and_comes_back_as_the_page() {
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Account").unwrap();
    let page = read("query/accounts_page_1_of_2.json");
    let opened = envelope::open(mapper, &page).unwrap();
    let customers: Vec<Value> = opened.to_canonical(mapper).map(|m| m.unwrap().value).collect();
    assert_eq!(customers.len(), 3);
    let back = opened.shell().to_vendor(mapper, &customers).unwrap();
    assert_eq!(back.value, page);
    assert_eq!(back.value["nextRecordsUrl"], "/services/data/v62.0/query/01gDn00000ABCDE-2000");
}

#[test]
fn an_activated_contract_runs_its_term_in_months() {
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Contract").unwrap();
    let c = mapper.to_canonical(&read("contract/activated_12_months_gbp.json")).unwrap().value;
    assert_eq!(c["status"], "active");
    assert_eq!(c["term"], json!({"length": 12, "unit": "month"}));
    assert_eq!((&c["start_date"], &c["end_date"]), (&json!("2026-02-01"), &json!("2027-01-31")));
    assert_eq!(c["currency"], "GBP");
    assert_eq!(c["number"], "00000100");
    assert_eq!(c["customer"]["external_refs"][0]["id"], "001Dn00000AbCdEIAV");
    assert_eq!(c["extensions"]["custom"]["Auto_Renew__c"], true);
}

#[test]
fn fifteen_and_eighteen_character_ids_are_one_id() {
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Account").unwrap();
    let id = |text: &str| {
        let record =
            json!({"Id": text, "Name": "Northwind Sailcloth Ltd", "IsPersonAccount": false});
        mapper.to_canonical(&record).map(|m| m.value["id"].clone())
    };
    assert_eq!(id("001Dn00000AbCdE").unwrap(), "001Dn00000AbCdEIAV");
    assert_eq!(id("001Dn00000AbCdEIAV").unwrap(), "001Dn00000AbCdEIAV");
    // An 18-character id whose case was lost: its suffix puts it right.
    assert_eq!(id("001DN00000ABCDEIAV").unwrap(), "001Dn00000AbCdEIAV");
    assert_eq!(id("001dn00000abcdeiav").unwrap(), "001Dn00000AbCdEIAV");
    match id("001Dn00000AbC") {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Id");
            assert_eq!(
                message,
                "expected a Salesforce id of 15 or 18 letters and digits, but found a string of 13 characters"
            );
        }
        other => panic!("{other:?}"),
    }
    // The way back keeps the 15-character text it was given.
    let record = json!({"Id": "001Dn00000AbCdE", "Name": "Northwind Sailcloth Ltd", "IsPersonAccount": false});
    let c = mapper.to_canonical(&record).unwrap().value;
    assert_eq!(mapper.to_vendor(&c).unwrap().value, record);
    // A reference by the 15-character id is to the same record, and comes
    // back as it was written.
    let contracts = registry.get("salesforce", "Contract").unwrap();
    let mut contract = read("contract/activated_12_months_gbp.json");
    contract["AccountId"] = json!("001Dn00000AbCdE");
    let c = contracts.to_canonical(&contract).unwrap().value;
    assert_eq!(c["customer"]["external_refs"][0]["id"], "001Dn00000AbCdEIAV");
    assert_eq!(contracts.to_vendor(&c).unwrap().value, contract);
}

#[test]
fn an_accounts_contacts_are_the_customers_contacts_both_ways() {
    use canonical_finance::mapping::parts;
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Account").unwrap();
    let account = read("account/business_parent_gbp.json");
    // One names the account by its 18-character id, one by its 15.
    let contacts =
        [read("contact/finance_director_gbp.json"), read("contact/account_id_15_char.json")];
    let whole = parts::assemble(mapper, &account, "Contact", &contacts).unwrap();
    // As `SELECT …, (SELECT … FROM Contacts) FROM Account` gives it.
    assert_eq!(whole["Contacts"]["records"][0]["Email"], contacts[0]["Email"]);
    let c = mapper.to_canonical(&whole).unwrap().value;
    assert_eq!(
        c["contacts"][0],
        json!({"name": "Priya Natarajan", "email": "priya.natarajan@northwind-sailcloth.example",
               "phone": "+44 23 8049 6013", "role": "Finance Director"})
    );
    assert_eq!(c["contacts"][1]["name"], "Tom Hollis");
    let back = mapper.to_vendor(&c).unwrap().value;
    let (header, split) = parts::split(mapper, &back).unwrap();
    assert_eq!(split, vec![("Contact".to_owned(), contacts.to_vec())]);
    assert_eq!(header.get("Contacts").and_then(|c| c.get("records")), None);
    assert_eq!(header.get("Id"), account.get("Id"));
    // A contact of another account is refused, naming both ids.
    let other = [read("contact/operations_manager_eur.json")];
    match parts::assemble(mapper, &account, "Contact", &other) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Contact/0/AccountId");
            assert_eq!(
                message,
                "expected \"001Dn00000AbCdEIAV\" (the Account Id this Contact belongs to), but found \"001Dn00000nWeUbIAK\""
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_closed_won_opportunity_is_the_contract_as_agreed() {
    use canonical_finance::mapping::parts;
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Opportunity").unwrap();
    let all = records(mapper, "opportunity");
    assert!(all.len() >= 3);
    let report = conformance::check(mapper, &all);
    assert!(report.is_ok(), "{report}");
    // The plain GET and its line items fetched apart make the query's record.
    let deal = read("opportunity/closed_won_get.json");
    let lines = [
        read("opportunity_line_item/recurring_licence_discounted_gbp.json"),
        read("opportunity_line_item/one_time_onboarding_gbp.json"),
    ];
    let whole = parts::assemble(mapper, &deal, "OpportunityLineItem", &lines).unwrap();
    let contract = mapper.to_canonical(&whole).unwrap().value;
    let report = json::from_value::<Contract>(&contract).unwrap().validate();
    assert!(report.is_valid(), "{report}");
    assert_eq!(contract["status"], "active");
    assert_eq!(contract["customer_signed_date"], "2026-01-28");
    let gbp = |a: &str| json!({"amount": a, "currency": "GBP"});
    let priced: Vec<(Value, Value)> = contract["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["quantity"].clone(), l["unit_price"].clone()))
        .collect();
    // 12 seats at 1,200.00 less 12.5 % is 1,050.00 a seat, as agreed.
    assert_eq!(priced, vec![(json!("12.0"), gbp("1050")), (json!("1.0"), gbp("2250"))]);
    let back = mapper.to_vendor(&contract).unwrap();
    assert_eq!(back.losses, vec![]);
    let (_, split) = parts::split(mapper, &back.value).unwrap();
    assert_eq!(split, vec![("OpportunityLineItem".to_owned(), lines.to_vec())]);
    // A price changed in the canonical record is written as the line total.
    let mut changed = contract.clone();
    changed["lines"][0]["unit_price"] = gbp("1000");
    let back = mapper.to_vendor(&changed).unwrap().value;
    assert_eq!(
        back["OpportunityLineItems"]["records"][0]["TotalPrice"],
        json::parse("12000.0").unwrap()
    );
    // A lost deal ended on its close date; an open one is not signed.
    let lost = mapper.to_canonical(&read("opportunity/closed_lost_usd_no_products.json")).unwrap();
    assert_eq!(
        (&lost.value["status"], &lost.value["cancelled_on"]),
        (&json!("cancelled"), &json!("2026-01-22"))
    );
    let open = mapper.to_canonical(&read("opportunity/open_eur_get.json")).unwrap().value;
    assert_eq!(open["status"], "draft");
    assert_eq!(open.get("customer_signed_date"), None);
}

#[test]
fn an_order_is_what_is_to_be_billed_at_the_agreed_prices() {
    use canonical_finance::mapping::parts;
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Order").unwrap();
    let mut all = records(mapper, "order");
    // A lone OrderItem is a part of its order, not an order.
    all.retain(|(name, _)| !name.starts_with("order_item"));
    assert!(all.len() >= 3);
    let report = conformance::check(mapper, &all);
    assert!(report.is_ok(), "{report}");
    let order = mapper
        .to_canonical(&read("order/activated_with_order_items_query.json")["records"][0])
        .unwrap()
        .value;
    let report = json::from_value::<Contract>(&order).unwrap().validate();
    assert!(report.is_valid(), "{report}");
    assert_eq!(order["status"], "active");
    assert_eq!(
        (&order["start_date"], &order["end_date"]),
        (&json!("2026-02-01"), &json!("2027-01-31"))
    );
    let gbp = |a: &str| json!({"amount": a, "currency": "GBP"});
    assert_eq!(order["lines"][0]["unit_price"], gbp("1050.0"));
    assert_eq!(order["lines"][0]["period"], json!({"start": "2026-02-01", "end": "2027-01-31"}));
    // The plain GET and a lone item fetched apart.
    let header = read("order/activated_get.json");
    let item = [read("order/order_item_recurring_get.json")];
    let whole = parts::assemble(mapper, &header, "OrderItem", &item).unwrap();
    let c = mapper.to_canonical(&whole).unwrap().value;
    assert_eq!(c["lines"].as_array().unwrap().len(), 1);
    let (_, split) = parts::split(mapper, &mapper.to_vendor(&c).unwrap().value).unwrap();
    assert_eq!(split, vec![("OrderItem".to_owned(), item.to_vec())]);
}

#[test]
fn a_composite_response_and_an_sobject_collection_are_lists_of_records() {
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Account").unwrap();
    // The Account sub-response's body; the contacts' query, the
    // opportunity and the 404 stay in place.
    let composite = read("query/composite_response.json");
    let opened = envelope::open(mapper, &composite).unwrap();
    assert_eq!(opened.records().len(), 1);
    assert_eq!(opened.pointer(0), "/compositeResponse/0/body");
    let customers: Vec<Value> = opened.to_canonical(mapper).map(|m| m.unwrap().value).collect();
    assert_eq!(customers[0]["id"], "001Dn00000AbCdEIAV");
    assert_eq!(opened.shell().to_vendor(mapper, &customers).unwrap().value, composite);
    // sObject Collections: an array, null for an id not found.
    let collection = read("query/sobject_collections_accounts.json");
    let opened = envelope::open(mapper, &collection).unwrap();
    let ids: Vec<String> = opened
        .to_canonical(mapper)
        .map(|m| m.unwrap().value["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["001Dn00000AbCdEIAV", "001Dn00000nWeUbIAK", "001Dn00000PqrsTIAR"]);
    assert_eq!(opened.pointer(2), "/2");
    let customers: Vec<Value> = opened.to_canonical(mapper).map(|m| m.unwrap().value).collect();
    let back = opened.shell().to_vendor(mapper, &customers).unwrap().value;
    assert_eq!(back, collection);
    // Records cannot be added to or taken from such a response.
    match opened.shell().close(vec![]) {
        Err(MappingError::InvalidInput { message, .. }) => assert_eq!(
            message,
            "expected 3 records for this envelope, one per item that held one, but found 0"
        ),
        other => panic!("{other:?}"),
    }
    // A single record's GET is still the record.
    let one = read("account/business_parent_gbp.json");
    assert_eq!(envelope::open(mapper, &one).unwrap().records(), [&one]);
}

#[test]
fn a_payload_to_send_leaves_out_what_salesforce_computes() {
    use canonical_finance::mapping::sendable;
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("salesforce", "Account").unwrap();
    let record = read("account/business_child_eur_parent_id.json");
    let mut c = mapper.to_canonical(&record).unwrap().value;
    c["phone"] = json!("+31 10 555 0199");
    let back = mapper.to_vendor(&c).unwrap().value;
    let send = sendable(mapper, &back);
    for refused in [
        "attributes",
        "SystemModstamp",
        "CreatedDate",
        "BillingAddress",
        "ShippingAddress",
        "IsDeleted",
    ] {
        assert!(back.get(refused).is_some(), "{refused} comes back for comparing");
        assert_eq!(send.get(refused), None, "{refused} is not sent");
    }
    assert_eq!(send["Phone"], "+31 10 555 0199");
    assert_eq!(send["BillingStreet"], "Wilhelminakade 910");
    assert_eq!(send["ParentId"], "001Dn00000AbCdEIAV");
}
