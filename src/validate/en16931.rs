//! The EN 16931 conformance table: every business rule of the standard
//! (as the CEN validation artefacts 1.3.16 state them), with the codes of
//! the catalogue that implement it or the reason the canonical model does
//! not need it.
//!
//! The codes are not written here: they are read from the catalogue (the
//! `BR-…` entries of each [`Rule::en16931`]), so the table cannot claim a
//! rule no code implements.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Rule, RuleScope, rules};

/// How the crate holds one EN 16931 business rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct En16931Rule {
    /// The rule's identifier: `BR-06`, `BR-CO-10`, `BR-S-08`, `BR-CL-23`.
    pub id: &'static str,
    /// What the rule requires, in short.
    pub summary: String,
    /// The catalogue codes that implement it; empty when it is not needed.
    pub codes: Vec<&'static str>,
    /// Why the canonical model does not need the rule, when no code
    /// implements it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_needed: Option<&'static str>,
}

/// The rules no code implements, and why.
static NOT_NEEDED: &[(&str, &str)] = &[
    (
        "BR-01",
        "the canonical invoice is not only an EN 16931 invoice: `specification` (BT-24) is optional, and an invoice that gives it declares EN 16931, which turns the presence rules into errors",
    ),
    ("BR-52", "supporting documents (BG-24) are not part of the canonical model"),
    ("BR-CL-07", "the invoiced object identifier (BT-18) is not part of the canonical model"),
    (
        "BR-CL-08",
        "notes (BT-22) are plain text in the canonical model, without a subject code (BT-21)",
    ),
    ("BR-CL-24", "attached documents (BT-125) are not part of the canonical model"),
    ("BR-B-01", "the Italian split-payment category (B) is not among the model's tax categories"),
    ("BR-B-02", "the Italian split-payment category (B) is not among the model's tax categories"),
    (
        "BR-CO-05",
        "whether free text and a code name the same reason cannot be decided mechanically; the official artefacts test `true()`",
    ),
    (
        "BR-CO-06",
        "whether free text and a code name the same reason cannot be decided mechanically; the official artefacts test `true()`",
    ),
    (
        "BR-CO-07",
        "whether free text and a code name the same reason cannot be decided mechanically; the official artefacts test `true()`",
    ),
    (
        "BR-CO-08",
        "whether free text and a code name the same reason cannot be decided mechanically; the official artefacts test `true()`",
    ),
    (
        "BR-CO-25",
        "withdrawn from the validation artefacts in 1.3.16 (issue 477); the crate checks a due date against the payment terms instead (INV-DUE-DATE-TERMS)",
    ),
];

/// The rules of the standard outside the VAT category families, with a
/// short summary each.
static GENERAL: &[(&str, &str)] = &[
    ("BR-01", "an invoice has a specification identifier (BT-24)"),
    ("BR-02", "an invoice has a number (BT-1)"),
    ("BR-03", "an invoice has an issue date (BT-2)"),
    ("BR-04", "an invoice has a type code (BT-3)"),
    ("BR-05", "an invoice has a currency (BT-5)"),
    ("BR-06", "the seller has a name (BT-27)"),
    ("BR-07", "the buyer has a name (BT-44)"),
    ("BR-08", "the seller has a postal address (BG-5)"),
    ("BR-09", "the seller's postal address has a country (BT-40)"),
    ("BR-10", "the buyer has a postal address (BG-8)"),
    ("BR-11", "the buyer's postal address has a country (BT-55)"),
    ("BR-12", "an invoice has the sum of line net amounts (BT-106)"),
    ("BR-13", "an invoice has the total without VAT (BT-109)"),
    ("BR-14", "an invoice has the total with VAT (BT-112)"),
    ("BR-15", "an invoice has the amount due (BT-115)"),
    ("BR-16", "an invoice has at least one line (BG-25)"),
    ("BR-17", "a payee other than the seller has a name (BT-59)"),
    ("BR-18", "a seller's tax representative has a name (BT-62)"),
    ("BR-19", "a seller's tax representative has a postal address (BG-12)"),
    ("BR-20", "the tax representative's postal address has a country (BT-69)"),
    ("BR-21", "every line has an identifier (BT-126)"),
    ("BR-22", "every line has a quantity (BT-129)"),
    ("BR-23", "every line has a unit of measure (BT-130)"),
    ("BR-24", "every line has a net amount (BT-131)"),
    ("BR-25", "every line has an item name (BT-153)"),
    ("BR-26", "every line has an item net price (BT-146)"),
    ("BR-27", "the item net price is not negative (BT-146)"),
    ("BR-28", "the item gross price is not negative (BT-148)"),
    ("BR-29", "the invoicing period ends on or after its start (BG-14)"),
    ("BR-30", "a line period ends on or after its start (BG-26)"),
    ("BR-31", "every document-level allowance has an amount (BT-92)"),
    ("BR-32", "every document-level allowance has a VAT category (BT-95)"),
    ("BR-33", "every document-level allowance has a reason or reason code (BT-97, BT-98)"),
    ("BR-36", "every document-level charge has an amount (BT-99)"),
    ("BR-37", "every document-level charge has a VAT category (BT-102)"),
    ("BR-38", "every document-level charge has a reason or reason code (BT-104, BT-105)"),
    ("BR-41", "every line allowance has an amount (BT-136)"),
    ("BR-42", "every line allowance has a reason or reason code (BT-139, BT-140)"),
    ("BR-43", "every line charge has an amount (BT-141)"),
    ("BR-44", "every line charge has a reason or reason code (BT-144, BT-145)"),
    ("BR-45", "every VAT breakdown has a taxable amount (BT-116)"),
    ("BR-46", "every VAT breakdown has a tax amount (BT-117)"),
    ("BR-47", "every VAT breakdown has a category (BT-118)"),
    ("BR-48", "every VAT breakdown has a rate, except outside the scope of VAT (BT-119)"),
    ("BR-49", "every payment instruction has a means code (BT-81)"),
    ("BR-50", "a credit transfer gives the payment account identifier (BT-84)"),
    ("BR-51", "a card number shows at most the first six and last four digits (BT-87), a warning"),
    ("BR-52", "every supporting document has a reference (BT-122)"),
    ("BR-53", "with a VAT accounting currency (BT-6), the VAT total in it is given (BT-111)"),
    ("BR-54", "every item attribute has a name and a value (BT-160, BT-161)"),
    ("BR-55", "every preceding-invoice reference has the invoice's number (BT-25)"),
    ("BR-56", "a seller's tax representative has a VAT identifier (BT-63)"),
    ("BR-57", "the deliver-to address has a country (BT-80)"),
    ("BR-61", "a credit transfer payment means (30, 58) gives the payment account (BT-84)"),
    ("BR-62", "the seller's electronic address has a scheme (BT-34-1)"),
    ("BR-63", "the buyer's electronic address has a scheme (BT-49-1)"),
    ("BR-64", "an item standard identifier has a scheme (BT-157-1)"),
    ("BR-65", "an item classification has a scheme (BT-158-1)"),
    ("BR-CO-03", "the VAT point date (BT-7) and its code (BT-8) are not both given"),
    ("BR-CO-04", "every line has a VAT category (BT-151)"),
    ("BR-CO-05", "a document-level allowance's reason text and code agree"),
    ("BR-CO-06", "a document-level charge's reason text and code agree"),
    ("BR-CO-07", "a line allowance's reason text and code agree"),
    ("BR-CO-08", "a line charge's reason text and code agree"),
    ("BR-CO-09", "VAT identifiers have an ISO 3166-1 country prefix (EL for Greece)"),
    ("BR-CO-10", "the sum of line net amounts is the lines' net amounts added up"),
    ("BR-CO-11", "the allowance total is the document-level allowances added up"),
    ("BR-CO-12", "the charge total is the document-level charges added up"),
    ("BR-CO-13", "total without VAT = line net sum − allowances + charges"),
    ("BR-CO-14", "the VAT total is the breakdown's tax amounts added up"),
    ("BR-CO-15", "total with VAT = total without VAT + VAT total"),
    ("BR-CO-16", "amount due = total with VAT − paid + rounding"),
    ("BR-CO-17", "a breakdown's tax = taxable amount × rate, rounded"),
    ("BR-CO-18", "an invoice has at least one VAT breakdown (BG-23)"),
    ("BR-CO-19", "an invoicing period has a start or an end date"),
    ("BR-CO-20", "a line period has a start or an end date"),
    ("BR-CO-21", "every document-level allowance has a reason or reason code"),
    ("BR-CO-22", "every document-level charge has a reason or reason code"),
    ("BR-CO-23", "every line allowance has a reason or reason code"),
    ("BR-CO-24", "every line charge has a reason or reason code"),
    ("BR-CO-25", "a positive amount due comes with a due date (BT-9) or payment terms (BT-20)"),
    ("BR-CO-26", "the seller has an identifier, a legal registration id or a VAT id (BT-29..31)"),
];

/// The BR-DEC rules and the amount each limits to two decimals.
static DECIMALS: &[(&str, &str)] = &[
    ("BR-DEC-01", "BT-92 document-level allowance amount"),
    ("BR-DEC-02", "BT-93 document-level allowance base amount"),
    ("BR-DEC-05", "BT-99 document-level charge amount"),
    ("BR-DEC-06", "BT-100 document-level charge base amount"),
    ("BR-DEC-09", "BT-106 sum of line net amounts"),
    ("BR-DEC-10", "BT-107 allowance total"),
    ("BR-DEC-11", "BT-108 charge total"),
    ("BR-DEC-12", "BT-109 total without VAT"),
    ("BR-DEC-13", "BT-110 VAT total"),
    ("BR-DEC-14", "BT-112 total with VAT"),
    ("BR-DEC-15", "BT-111 VAT total in accounting currency"),
    ("BR-DEC-16", "BT-113 paid amount"),
    ("BR-DEC-17", "BT-114 rounding amount"),
    ("BR-DEC-18", "BT-115 amount due"),
    ("BR-DEC-19", "BT-116 VAT category taxable amount"),
    ("BR-DEC-20", "BT-117 VAT category tax amount"),
    ("BR-DEC-23", "BT-131 line net amount"),
    ("BR-DEC-24", "BT-136 line allowance amount"),
    ("BR-DEC-25", "BT-137 line allowance base amount"),
    ("BR-DEC-27", "BT-141 line charge amount"),
    ("BR-DEC-28", "BT-142 line charge base amount"),
];

/// The code-list rules.
static CODE_LISTS: &[(&str, &str)] = &[
    ("BR-CL-01", "the type code is a UNTDID 1001 invoice or credit-note code"),
    ("BR-CL-03", "every amount's currency is an ISO 4217 code"),
    ("BR-CL-04", "the invoice currency is an ISO 4217 code"),
    ("BR-CL-05", "the VAT accounting currency is an ISO 4217 code"),
    ("BR-CL-06", "the VAT point date code is 3, 35 or 432 (UNTDID 2005)"),
    ("BR-CL-07", "an invoiced object identifier's scheme is a UNTDID 1153 code"),
    ("BR-CL-08", "a note's subject code is a UNTDID 4451 code"),
    ("BR-CL-10", "an identifier's scheme is an ISO 6523 ICD code (or SEPA)"),
    ("BR-CL-11", "a legal registration identifier's scheme is an ISO 6523 ICD code"),
    ("BR-CL-13", "an item classification's scheme is a UNTDID 7143 code"),
    ("BR-CL-14", "every country code is ISO 3166-1 alpha-2"),
    ("BR-CL-15", "the item's country of origin is ISO 3166-1 alpha-2"),
    ("BR-CL-16", "the payment means code is a UNTDID 4461 code"),
    ("BR-CL-17", "a VAT breakdown's category is a UNTDID 5305 code"),
    ("BR-CL-18", "a line's, allowance's or charge's VAT category is a UNTDID 5305 code"),
    ("BR-CL-19", "an allowance reason code is a UNTDID 5189 code"),
    ("BR-CL-20", "a charge reason code is a UNTDID 7161 code"),
    ("BR-CL-21", "an item standard identifier's scheme is an ISO 6523 ICD code"),
    ("BR-CL-22", "an exemption reason code is a CEF VATEX code"),
    ("BR-CL-23", "a unit of measure is a UN/ECE Recommendation 20 (or 21) code"),
    ("BR-CL-24", "an attachment's MIME code is one EN 16931 allows"),
    ("BR-CL-25", "an electronic address's scheme is a CEF EAS code"),
    ("BR-CL-26", "a deliver-to location's scheme is an ISO 6523 ICD code"),
];

/// The VAT category families: prefix, code and name.
static CATEGORIES: &[(&str, &str, &str)] = &[
    ("S", "S", "standard rated"),
    ("Z", "Z", "zero rated"),
    ("E", "E", "exempt"),
    ("AE", "AE", "reverse charge"),
    ("IC", "K", "intra-community supply"),
    ("G", "G", "export outside the EU"),
    ("O", "O", "not subject to VAT"),
    ("AF", "L", "IGIC (Canary Islands)"),
    ("AG", "M", "IPSI (Ceuta and Melilla)"),
];

/// The summary of rule `n` of the category family `(prefix, code, name)`.
fn family_summary(prefix: &str, code: &str, name: &str, n: u8) -> String {
    let per_rate = matches!(prefix, "S" | "AF" | "AG");
    let who = match prefix {
        "O" => "no VAT id of seller, tax representative or buyer".to_owned(),
        "IC" => "the seller's or tax representative's VAT id and the buyer's VAT id".to_owned(),
        "G" => "the seller's or tax representative's VAT id".to_owned(),
        "AE" => {
            "a seller tax id (BT-31, BT-32 or BT-63) and the buyer's VAT or legal id".to_owned()
        }
        _ => "a seller tax id: VAT id, tax registration or the tax representative's VAT id"
            .to_owned(),
    };
    let rate = match prefix {
        "S" => "above zero",
        "O" => "absent",
        "AF" | "AG" => "zero or more",
        _ => "zero",
    };
    match n {
        1 if per_rate => format!("{name} ({code}) in use needs a VAT breakdown of category {code}"),
        1 => format!("{name} ({code}) in use needs exactly one VAT breakdown of category {code}"),
        2 => format!("a line in {name} ({code}) needs {who}"),
        3 => format!("a document-level allowance in {name} ({code}) needs {who}"),
        4 => format!("a document-level charge in {name} ({code}) needs {who}"),
        5 => format!("a line's rate in {name} ({code}) is {rate}"),
        6 => format!("a document-level allowance's rate in {name} ({code}) is {rate}"),
        7 => format!("a document-level charge's rate in {name} ({code}) is {rate}"),
        8 if per_rate => format!(
            "per rate, the {code} breakdown's taxable amount is the sum of its lines, allowances and charges"
        ),
        8 => format!(
            "the {code} breakdown's taxable amount is the sum of its lines, allowances and charges"
        ),
        9 if per_rate => format!("the {code} breakdown's tax = taxable amount × rate"),
        9 => format!("the {code} breakdown's tax amount is zero"),
        10 if matches!(prefix, "S" | "Z" | "AF" | "AG") => {
            format!("the {code} breakdown gives no exemption reason")
        }
        10 => format!("the {code} breakdown gives an exemption reason or code"),
        11 if prefix == "IC" => {
            "an intra-community supply gives the delivery date or the invoicing period".to_owned()
        }
        12 if prefix == "IC" => "an intra-community supply gives the deliver-to country".to_owned(),
        11 => "with an O breakdown, there is no breakdown of another category".to_owned(),
        12 => "with an O breakdown, no line is in another category".to_owned(),
        13 => "with an O breakdown, no document-level allowance is in another category".to_owned(),
        14 => "with an O breakdown, no document-level charge is in another category".to_owned(),
        _ => String::new(),
    }
}

/// Every EN 16931 business rule, with the codes that implement it (from
/// the catalogue) or why it is not needed, in the standard's order.
///
/// ```
/// use canonical_finance::validate::en16931_conformance;
///
/// let table = en16931_conformance();
/// let br_s_08 = table.iter().find(|r| r.id == "BR-S-08").ok_or("missing")?;
/// assert_eq!(br_s_08.codes, ["INV-TAX-GROUP"]);
/// assert!(table.iter().all(|r| !r.codes.is_empty() || r.not_needed.is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn en16931_conformance() -> Vec<En16931Rule> {
    let mut ids: Vec<(&'static str, String)> = Vec::new();
    for (id, summary) in GENERAL.iter().filter(|(id, _)| !id.starts_with("BR-CO")) {
        ids.push((id, (*summary).to_owned()));
    }
    for (id, summary) in GENERAL.iter().filter(|(id, _)| id.starts_with("BR-CO")) {
        ids.push((id, (*summary).to_owned()));
    }
    for (id, what) in DECIMALS {
        ids.push((id, format!("at most two decimals in {what}")));
    }
    for id in FAMILY_IDS {
        let Some((prefix, n)) = id.strip_prefix("BR-").and_then(|rest| rest.rsplit_once('-'))
        else {
            continue;
        };
        let (Some(&(_, code, name)), Ok(n)) =
            (CATEGORIES.iter().find(|(p, _, _)| *p == prefix), n.parse::<u8>())
        else {
            continue;
        };
        ids.push((id, family_summary(prefix, code, name, n)));
    }
    for (id, summary) in [
        ("BR-B-01", "split payment (B) only on a domestic Italian invoice"),
        ("BR-B-02", "split payment (B) is not mixed with standard rated (S)"),
    ] {
        ids.push((id, summary.to_owned()));
    }
    for (id, summary) in CODE_LISTS {
        ids.push((id, (*summary).to_owned()));
    }
    ids.into_iter()
        .map(|(id, summary)| {
            let codes: Vec<&'static str> =
                rules().filter(|r| r.business_rules().any(|b| b == id)).map(|r| r.code).collect();
            let not_needed = if codes.is_empty() {
                NOT_NEEDED.iter().find(|(n, _)| *n == id).map(|(_, why)| *why)
            } else {
                None
            };
            En16931Rule { id, summary, codes, not_needed }
        })
        .collect()
}

/// The VAT category rules, in the standard's order.
static FAMILY_IDS: &[&str] = &[
    "BR-S-01", "BR-S-02", "BR-S-03", "BR-S-04", "BR-S-05", "BR-S-06", "BR-S-07", "BR-S-08",
    "BR-S-09", "BR-S-10", "BR-Z-01", "BR-Z-02", "BR-Z-03", "BR-Z-04", "BR-Z-05", "BR-Z-06",
    "BR-Z-07", "BR-Z-08", "BR-Z-09", "BR-Z-10", "BR-E-01", "BR-E-02", "BR-E-03", "BR-E-04",
    "BR-E-05", "BR-E-06", "BR-E-07", "BR-E-08", "BR-E-09", "BR-E-10", "BR-AE-01", "BR-AE-02",
    "BR-AE-03", "BR-AE-04", "BR-AE-05", "BR-AE-06", "BR-AE-07", "BR-AE-08", "BR-AE-09", "BR-AE-10",
    "BR-IC-01", "BR-IC-02", "BR-IC-03", "BR-IC-04", "BR-IC-05", "BR-IC-06", "BR-IC-07", "BR-IC-08",
    "BR-IC-09", "BR-IC-10", "BR-IC-11", "BR-IC-12", "BR-G-01", "BR-G-02", "BR-G-03", "BR-G-04",
    "BR-G-05", "BR-G-06", "BR-G-07", "BR-G-08", "BR-G-09", "BR-G-10", "BR-O-01", "BR-O-02",
    "BR-O-03", "BR-O-04", "BR-O-05", "BR-O-06", "BR-O-07", "BR-O-08", "BR-O-09", "BR-O-10",
    "BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14", "BR-AF-01", "BR-AF-02", "BR-AF-03", "BR-AF-04",
    "BR-AF-05", "BR-AF-06", "BR-AF-07", "BR-AF-08", "BR-AF-09", "BR-AF-10", "BR-AG-01", "BR-AG-02",
    "BR-AG-03", "BR-AG-04", "BR-AG-05", "BR-AG-06", "BR-AG-07", "BR-AG-08", "BR-AG-09", "BR-AG-10",
];

/// The table as Markdown, as `docs/rules.md` includes it and
/// `canonical-finance rules --en16931 --format markdown` prints it.
pub fn en16931_markdown() -> String {
    let table = en16931_conformance();
    let checked = table.iter().filter(|r| !r.codes.is_empty()).count();
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write!(
        out,
        "## EN 16931 conformance\n\n\
         Every business rule of EN 16931 (the CEN validation artefacts 1.3.16: BR, BR-CO, BR-DEC,\n\
         the VAT category rules and the code-list rules BR-CL), with the codes that implement it;\n\
         generated from the catalogue (`canonical_finance::validate::en16931_conformance()`,\n\
         `canonical-finance rules --en16931`). {checked} of {} rules are checked; the others say\n\
         why the canonical model does not need them. Rules marked *reading* are enforced by the\n\
         types and reported by `validate_json` and the CLI under their code; *presence* rules are\n\
         errors on invoices that declare EN 16931 in `specification`, warnings on the others.\n\n\
         | rule | requires | codes | scope, or why not needed |\n| --- | --- | --- | --- |\n",
        table.len()
    );
    for r in &table {
        let codes = if r.codes.is_empty() {
            "–".to_owned()
        } else {
            r.codes.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        };
        let note = match r.not_needed {
            Some(why) => format!("not needed: {why}"),
            None => scopes(&r.codes),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {codes} | {} |",
            r.id,
            r.summary.replace('|', "\\|"),
            note.replace('|', "\\|")
        );
    }
    out
}

/// "reading", "presence" or nothing, from the codes' scopes.
fn scopes(codes: &[&str]) -> String {
    let scope_of = |code: &str| rules().find(|r: &&Rule| r.code == code).map(|r| r.scope);
    let mut words: Vec<&str> = Vec::new();
    for code in codes {
        let word = match scope_of(code) {
            Some(RuleScope::Parse) => "reading",
            Some(RuleScope::En16931) => "presence",
            _ => continue,
        };
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.join(", ")
}
