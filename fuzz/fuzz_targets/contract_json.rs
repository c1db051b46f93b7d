#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| canonical_finance_fuzz::run("contract_json", data));
