//! [`Invoice`]: an invoice or a credit note, with lines, allowances and
//! charges, tax breakdown and EN 16931 totals.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    BankAccount, ContractRef, CustomerRef, Delivery, Dimensions, Extensions, ExternalRef,
    InvoiceId, InvoiceRef, ItemRef, Party, PaymentTerms, Period, Provenance, TradeSide,
};
use crate::money::{Currency, DecimalSchema, Money, serde_decimal};

/// The specification identifier of EN 16931 itself (BT-24); CIUS and
/// extensions start with it.
pub const EN16931_URN: &str = "urn:cen.eu:en16931:2017";

/// What kind of document an invoice is (EN 16931 BT-3, UNTDID 1001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InvoiceKind {
    /// A commercial invoice (code 380).
    Invoice,
    /// A credit note (code 381): reduces what the buyer owes; references
    /// the invoice it corrects in `preceding_invoices`. Amounts are positive.
    CreditNote,
    /// A debit note (code 383): adds to an earlier invoice.
    DebitNote,
    /// A corrected invoice that replaces an earlier one (code 384).
    Corrective,
    /// A prepayment invoice, billed before delivery (code 386).
    Prepayment,
    /// A self-billed invoice, issued by the buyer (code 389).
    SelfBilled,
}

impl InvoiceKind {
    /// The UNTDID 1001 code EN 16931 uses for the kind (BT-3).
    pub fn untdid_1001_code(self) -> u16 {
        match self {
            InvoiceKind::Invoice => 380,
            InvoiceKind::CreditNote => 381,
            InvoiceKind::DebitNote => 383,
            InvoiceKind::Corrective => 384,
            InvoiceKind::Prepayment => 386,
            InvoiceKind::SelfBilled => 389,
        }
    }
}

/// Where an invoice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InvoiceStatus {
    /// Being prepared; can still change; not sent.
    Draft,
    /// Final and sent (Stripe `open`, Xero `AUTHORISED`); nothing paid yet.
    Issued,
    /// Some but not all of the amount due has been paid or credited.
    PartiallyPaid,
    /// Nothing is due any more.
    Paid,
    /// Cancelled after issue; nothing is owed and nothing may be paid.
    Void,
    /// Written off as a bad debt.
    Uncollectible,
}

/// The VAT category of a line, allowance, charge or tax subtotal
/// (EN 16931 BT-151/BT-118, UNTDID 5305).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TaxCategory {
    /// Standard or reduced rate, rate above zero (`S`); also US sales tax.
    Standard,
    /// Zero-rated goods (`Z`).
    ZeroRated,
    /// Exempt from tax (`E`); needs an exemption reason.
    Exempt,
    /// Reverse charge: the buyer accounts for the tax (`AE`); needs an
    /// exemption reason.
    ReverseCharge,
    /// Intra-community supply in the EU (`K`).
    IntraCommunity,
    /// Export outside the EU (`G`).
    Export,
    /// Outside the scope of tax (`O`).
    OutsideScope,
    /// Canary Islands general indirect tax (`L`).
    CanaryIslands,
    /// Ceuta and Melilla tax (`M`).
    CeutaMelilla,
}

impl TaxCategory {
    /// The UNTDID 5305 code (`S`, `Z`, `E`, `AE`, `K`, `G`, `O`, `L`, `M`).
    pub fn untdid_5305_code(self) -> &'static str {
        match self {
            TaxCategory::Standard => "S",
            TaxCategory::ZeroRated => "Z",
            TaxCategory::Exempt => "E",
            TaxCategory::ReverseCharge => "AE",
            TaxCategory::IntraCommunity => "K",
            TaxCategory::Export => "G",
            TaxCategory::OutsideScope => "O",
            TaxCategory::CanaryIslands => "L",
            TaxCategory::CeutaMelilla => "M",
        }
    }
}

/// Whether an allowance lowers or a charge raises an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AllowanceChargeKind {
    /// A discount or rebate (EN 16931 BG-20, BG-27).
    Allowance,
    /// A surcharge such as freight or handling (EN 16931 BG-21, BG-28).
    Charge,
}

/// A discount or surcharge, on one line or on the whole document.
///
/// The `amount` is positive; `kind` says which way it goes. When it was
/// computed from a percentage, `base_amount × percent / 100 = amount`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AllowanceCharge {
    /// Allowance (discount) or charge (surcharge).
    pub kind: AllowanceChargeKind,
    /// The amount, before tax (BT-92/BT-99/BT-136/BT-141).
    pub amount: Money,
    /// The amount the percentage applies to (BT-93/BT-100/BT-137/BT-142).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_amount: Option<Money>,
    /// The percentage, when there is one (BT-94/BT-101/BT-138/BT-143).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_decimal::option")]
    #[schemars(with = "Option<DecimalSchema>")]
    pub percent: Option<Decimal>,
    /// Why, as text (BT-97/BT-104/BT-139/BT-144).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why, as a code (UNTDID 5189 for allowances, 7161 for charges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// The tax category of a document-level allowance or charge (BT-95/BT-102).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_category: Option<TaxCategory>,
    /// The tax rate in percent of a document-level allowance or charge (BT-96/BT-103).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_decimal::option")]
    #[schemars(with = "Option<DecimalSchema>")]
    pub tax_rate: Option<Decimal>,
}

impl AllowanceCharge {
    /// A discount of `amount`.
    pub fn allowance(amount: Money) -> AllowanceCharge {
        AllowanceCharge::new(AllowanceChargeKind::Allowance, amount)
    }

    /// A surcharge of `amount`.
    pub fn charge(amount: Money) -> AllowanceCharge {
        AllowanceCharge::new(AllowanceChargeKind::Charge, amount)
    }

    fn new(kind: AllowanceChargeKind, amount: Money) -> AllowanceCharge {
        AllowanceCharge {
            kind,
            amount,
            base_amount: None,
            percent: None,
            reason: None,
            reason_code: None,
            tax_category: None,
            tax_rate: None,
        }
    }
}

/// One line of an invoice (EN 16931 BG-25).
///
/// `net_amount = quantity × unit_price ÷ price_base_quantity − line
/// allowances + line charges` (BT-131), before tax.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct InvoiceLine {
    /// The line's id, unique within the invoice (BT-126).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// What is billed, as text (BT-154).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The item billed (BT-153, BT-155).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemRef>,
    /// How many units (BT-129); a decimal string. Negative on a line that
    /// returns goods.
    #[serde(with = "serde_decimal")]
    #[schemars(with = "DecimalSchema")]
    pub quantity: Decimal,
    /// The unit of measure, a UN/ECE Recommendation 20 code such as `C62`
    /// (one), `HUR` (hour), `KGM` (kilogram) (BT-130).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_of_measure: Option<String>,
    /// Net price (BT-146) of `price_base_quantity` units, one unless given;
    /// may carry more decimal places than the currency's minor units.
    pub unit_price: Money,
    /// The price before the price discount, for the same base quantity
    /// (BT-148); not negative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_price: Option<Money>,
    /// How many units `unit_price` is the price of, when not one: `100` for
    /// a price per hundred (BT-149).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_decimal::option")]
    #[schemars(with = "Option<DecimalSchema>")]
    pub price_base_quantity: Option<Decimal>,
    /// Allowances and charges on this line (BG-27, BG-28).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowances_charges: Vec<AllowanceCharge>,
    /// The line's net amount, before tax (BT-131).
    pub net_amount: Money,
    /// The tax category (BT-151).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_category: Option<TaxCategory>,
    /// The tax rate in percent, `19` for 19 % (BT-152).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_decimal::option")]
    #[schemars(with = "Option<DecimalSchema>")]
    pub tax_rate: Option<Decimal>,
    /// The source system's tax code (Xero `TaxType`, QuickBooks `TaxCodeRef`,
    /// a Stripe tax rate id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_code: Option<String>,
    /// Tax on this line, where the source system computes it per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_amount: Option<Money>,
    /// The revenue account the line posts to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_code: Option<String>,
    /// The days the line bills for (BG-26).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The analysis dimensions the line posts with (department, class,
    /// location, cost centre, project; Xero tracking categories by name),
    /// as on a journal line.
    #[serde(default, skip_serializing_if = "Dimensions::is_empty")]
    pub dimensions: Dimensions,
    /// Vendor data for this line kept for the round trip.
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl InvoiceLine {
    /// A line of `quantity` at `unit_price` with its net amount; every other
    /// field empty.
    pub fn new(quantity: Decimal, unit_price: Money, net_amount: Money) -> InvoiceLine {
        InvoiceLine {
            id: None,
            description: None,
            item: None,
            quantity,
            unit_of_measure: None,
            unit_price,
            gross_price: None,
            price_base_quantity: None,
            allowances_charges: Vec::new(),
            net_amount,
            tax_category: None,
            tax_rate: None,
            tax_code: None,
            tax_amount: None,
            account_code: None,
            period: None,
            dimensions: Dimensions::default(),
            extensions: Extensions::default(),
        }
    }
}

/// Tax for one (category, rate) pair of an invoice (EN 16931 BG-23).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TaxSubtotal {
    /// The tax category (BT-118).
    pub category: TaxCategory,
    /// The rate in percent (BT-119); `0` for zero-rated, exempt and
    /// reverse-charge categories.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_decimal::option")]
    #[schemars(with = "Option<DecimalSchema>")]
    pub rate: Option<Decimal>,
    /// The amount taxed: line nets − allowances + charges in this category
    /// and rate (BT-116).
    pub taxable_amount: Money,
    /// The tax (BT-117).
    pub tax_amount: Money,
    /// Why no tax is charged, as text (BT-120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason: Option<String>,
    /// Why no tax is charged, as a VATEX code (BT-121).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason_code: Option<String>,
    /// The tax's name in the source system (`VAT`, `CA State Tax`, a Stripe
    /// tax rate display name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl TaxSubtotal {
    /// Tax of `tax_amount` on `taxable_amount` in `category` at `rate`
    /// percent (`None` for the outside-scope category, which has no rate).
    pub fn new(
        category: TaxCategory,
        rate: Option<Decimal>,
        taxable_amount: Money,
        tax_amount: Money,
    ) -> TaxSubtotal {
        TaxSubtotal {
            category,
            rate,
            taxable_amount,
            tax_amount,
            exemption_reason: None,
            exemption_reason_code: None,
            name: None,
        }
    }
}

/// An invoice's totals, named as EN 16931 names them (BG-22). Every
/// amount is in the invoice currency.
///
/// ```text
/// line_net_total − allowance_total + charge_total        = total_without_tax
/// total_without_tax + tax_total                          = total_with_tax
/// total_with_tax − paid + rounding                       = amount_due
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct InvoiceTotals {
    /// Sum of the lines' net amounts (BT-106).
    pub line_net_total: Money,
    /// Sum of document-level allowances (BT-107).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowance_total: Option<Money>,
    /// Sum of document-level charges (BT-108).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charge_total: Option<Money>,
    /// Total without tax (BT-109).
    pub total_without_tax: Money,
    /// Total tax (BT-110).
    pub tax_total: Money,
    /// Total tax in the tax accounting currency, when it differs (BT-111).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_total_in_tax_currency: Option<Money>,
    /// Total with tax (BT-112).
    pub total_with_tax: Money,
    /// Amount already paid or credited (BT-113).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid: Option<Money>,
    /// Rounding added to reach a payable amount, such as cash rounding (BT-114).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Money>,
    /// Amount still due (BT-115).
    pub amount_due: Money,
}

impl InvoiceTotals {
    /// Totals of an invoice without allowances, charges, payments or rounding.
    pub fn new(line_net_total: Money, tax_total: Money, total_with_tax: Money) -> InvoiceTotals {
        InvoiceTotals {
            line_net_total,
            allowance_total: None,
            charge_total: None,
            total_without_tax: line_net_total,
            tax_total,
            tax_total_in_tax_currency: None,
            total_with_tax,
            paid: None,
            rounding: None,
            amount_due: total_with_tax,
        }
    }
}

/// How a payment is to be made (EN 16931 BG-16, UNTDID 4461 codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentMeans {
    /// Credit transfer, SEPA or domestic (30, 58).
    CreditTransfer,
    /// Direct debit, SEPA or domestic (49, 59).
    DirectDebit,
    /// Payment card (48, 54, 55).
    Card,
    /// Cash (10).
    Cash,
    /// Cheque (20).
    Cheque,
    /// Online payment page or wallet (68).
    Online,
    /// Anything else; give the code in `means_code`.
    Other,
}

/// How the buyer is asked to pay (EN 16931 BG-16..BG-19).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PaymentInstruction {
    /// The means of payment.
    pub means: PaymentMeans,
    /// The UNTDID 4461 code, when more precise than `means` (BT-81).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub means_code: Option<String>,
    /// The reference to quote with the payment (BT-83).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remittance_reference: Option<String>,
    /// The account to pay into, or to debit (BG-17, BT-91).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<BankAccount>,
    /// The direct-debit mandate reference (BT-89).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_reference: Option<String>,
    /// The card's number as shown: never the full number, at most its
    /// first six and last four digits, such as `4242` or `424242******4242`
    /// (BT-87, BR-51).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_number: Option<String>,
    /// A payment page where the buyer can pay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_url: Option<String>,
}

impl PaymentInstruction {
    /// An instruction to pay by `means`; every other part empty.
    pub fn new(means: PaymentMeans) -> PaymentInstruction {
        PaymentInstruction {
            means,
            means_code: None,
            remittance_reference: None,
            account: None,
            mandate_reference: None,
            card_number: None,
            payment_url: None,
        }
    }
}

/// An earlier invoice this one refers to (EN 16931 BG-3): the invoice a
/// credit note corrects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PrecedingInvoice {
    /// The earlier invoice.
    pub invoice: InvoiceRef,
    /// Its number (BT-25).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Its issue date (BT-26).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub issue_date: Option<NaiveDate>,
}

impl PrecedingInvoice {
    /// A reference to `invoice` with its number (BT-25), which EN 16931
    /// requires (BR-55).
    pub fn new(invoice: InvoiceRef, number: impl Into<String>) -> PrecedingInvoice {
        PrecedingInvoice { invoice, number: Some(number.into()), issue_date: None }
    }
}

/// An invoice or credit note, issued or received (EN 16931 Invoice; Stripe
/// `invoice` and `credit_note`; QuickBooks `Invoice`, `CreditMemo`, `Bill`
/// and `VendorCredit`; Xero `Invoice` `ACCREC` and `ACCPAY` and
/// `CreditNote`; NetSuite `invoice`, `creditMemo` and `vendorBill`).
///
/// A credit note is an invoice of kind [`InvoiceKind::CreditNote`] with
/// positive amounts that names the invoice it corrects in
/// `preceding_invoices`. A supplier's bill is an invoice on the
/// [`TradeSide::Purchases`] side: the supplier is its `seller` and its
/// `counterparty`, the company its `buyer`.
///
/// # JSON
///
/// ```json
/// {
///   "id": "inv_0001",
///   "number": "2026-0001",
///   "kind": "invoice",
///   "status": "issued",
///   "counterparty": {"id": "cust_0001"},
///   "seller": {"name": "Nordwind Handels GmbH",
///     "tax_ids": [{"scheme": "vat", "value": "DE811569869"}],
///     "address": {"lines": ["Hafenstraße 1"], "city": "Hamburg", "postal_code": "20457", "country": "DE"}},
///   "issue_date": "2026-11-02",
///   "due_date": "2026-12-02",
///   "currency": "EUR",
///   "lines": [{
///     "id": "1", "description": "Consulting", "quantity": "10", "unit_of_measure": "HUR",
///     "unit_price": {"amount": "120.00", "currency": "EUR"},
///     "net_amount": {"amount": "1200.00", "currency": "EUR"},
///     "tax_category": "standard", "tax_rate": "19"
///   }],
///   "tax_breakdown": [{"category": "standard", "rate": "19",
///     "taxable_amount": {"amount": "1200.00", "currency": "EUR"},
///     "tax_amount": {"amount": "228.00", "currency": "EUR"}}],
///   "totals": {
///     "line_net_total": {"amount": "1200.00", "currency": "EUR"},
///     "total_without_tax": {"amount": "1200.00", "currency": "EUR"},
///     "tax_total": {"amount": "228.00", "currency": "EUR"},
///     "total_with_tax": {"amount": "1428.00", "currency": "EUR"},
///     "amount_due": {"amount": "1428.00", "currency": "EUR"}
///   }
/// }
/// ```
///
/// # Example
///
/// ```
/// use canonical_finance::model::*;
/// use canonical_finance::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let eur = |a| Money::new(a, Currency::EUR);
/// let mut line = InvoiceLine::new(dec!(10), eur(dec!(120.00)), eur(dec!(1200.00)));
/// line.tax_category = Some(TaxCategory::Standard);
/// line.tax_rate = Some(dec!(19));
/// let totals = InvoiceTotals::new(eur(dec!(1200.00)), eur(dec!(228.00)), eur(dec!(1428.00)));
/// let customer = CustomerRef::to_id(CustomerId::new("cust_0001")?);
/// let mut invoice = Invoice::new(InvoiceId::new("inv_0001")?, customer, Currency::EUR, totals);
/// invoice.lines.push(line);
/// assert_eq!(serde_json::to_value(&invoice)?["totals"]["amount_due"]["amount"], "1428.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Invoice {
    /// Canonical id.
    pub id: InvoiceId,
    /// The invoice number (BT-1); drafts may not have one yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Invoice, credit note, ... (BT-3).
    pub kind: InvoiceKind,
    /// Where the invoice is in its life.
    pub status: InvoiceStatus,
    /// Which side of the sale the company keeping the books is on: `sales`
    /// for an invoice it issued (the default, omitted), `purchases` for a
    /// supplier's bill it received.
    #[serde(default, skip_serializing_if = "TradeSide::is_sales")]
    #[schemars(extend("default" = "sales"))]
    pub side: TradeSide,
    /// The specification the invoice conforms to (BT-24), such as
    /// `urn:cen.eu:en16931:2017` or a CIUS built on it
    /// (`urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0`).
    /// An invoice that names EN 16931 here must carry everything EN 16931
    /// requires: its presence rules are errors, not warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub specification: Option<String>,
    /// The record of the other party of the sale: the customer of a sales
    /// invoice, the supplier of a purchase invoice. The parties as printed
    /// on the document are `seller` and `buyer`.
    pub counterparty: CustomerRef,
    /// The seller (BG-4): on the sales side the company itself (for an
    /// ERP, the legal entity or subsidiary that issued the invoice), on the
    /// purchases side the supplier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<Party>,
    /// The buyer as printed on the invoice (BG-7): on the sales side the
    /// customer, on the purchases side the company itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<Party>,
    /// The party to be paid, when it is not the seller (BG-10): a factor,
    /// a collection agency, a parent company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Party>,
    /// The seller's tax representative (BG-11), which accounts for VAT on
    /// the seller's behalf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_representative: Option<Party>,
    /// Where and when the goods or services were delivered (BG-13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// The contract or subscription that produced the invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractRef>,
    /// Issue date (BT-2); required once issued.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub issue_date: Option<NaiveDate>,
    /// Payment due date (BT-9).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub due_date: Option<NaiveDate>,
    /// The date tax becomes chargeable, when it differs from the issue date (BT-7).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub tax_point_date: Option<NaiveDate>,
    /// When tax becomes chargeable, as a UNTDID 2005 code instead of a
    /// date (BT-8): `3` (issue date), `35` (delivery date), `432` (paid to
    /// date). Not together with `tax_point_date` (BR-CO-03).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_point_date_code: Option<String>,
    /// The days the invoice bills for (BG-14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The invoice currency (BT-5); every amount is in it.
    pub currency: Currency,
    /// The currency tax is accounted in, when it differs (BT-6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_currency: Option<Currency>,
    /// True when unit prices and line amounts include tax (Xero
    /// `LineAmountTypes: Inclusive`, Stripe inclusive tax rates). EN 16931
    /// amounts are always net: a mapper converts. Omitted when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tax_inclusive: bool,
    /// The lines (BG-25).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<InvoiceLine>,
    /// Document-level allowances and charges (BG-20, BG-21).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowances_charges: Vec<AllowanceCharge>,
    /// Tax per (category, rate) (BG-23).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_breakdown: Vec<TaxSubtotal>,
    /// The totals (BG-22).
    pub totals: InvoiceTotals,
    /// When and on what terms payment is due (BT-20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<PaymentTerms>,
    /// How to pay (BG-16).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_instructions: Vec<PaymentInstruction>,
    /// The buyer's reference, routing code or cost centre (BT-10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_reference: Option<String>,
    /// The buyer's purchase order number (BT-13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_order: Option<String>,
    /// The seller's sales order number (BT-14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_order: Option<String>,
    /// The contract number as printed (BT-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_reference: Option<String>,
    /// The project reference (BT-11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_reference: Option<String>,
    /// Earlier invoices this one refers to; a credit note names the invoice
    /// it corrects here (BG-3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preceding_invoices: Vec<PrecedingInvoice>,
    /// Free-text notes (BT-22).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// This invoice's ids in other systems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    /// Custom fields and vendor data kept for the round trip.
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
    /// When the record was created, RFC 3339 UTC.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_instant::option"
    )]
    #[schemars(with = "Option<DateTime<Utc>>")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed, RFC 3339 UTC.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_instant::option"
    )]
    #[schemars(with = "Option<DateTime<Utc>>")]
    pub updated_at: Option<DateTime<Utc>>,
    /// Where this record was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Invoice {
    /// True when `specification` (BT-24) names EN 16931 or a specification
    /// built on it: it starts with `urn:cen.eu:en16931:2017`.
    ///
    /// ```
    /// use canonical_finance::model::*;
    /// use canonical_finance::Currency;
    ///
    /// let eur = |a: &str| a.parse::<canonical_finance::Money>();
    /// let totals = InvoiceTotals::new(eur("0.00 EUR")?, eur("0.00 EUR")?, eur("0.00 EUR")?);
    /// let to = CustomerRef::to_id(CustomerId::new("cust_1")?);
    /// let mut invoice = Invoice::new(InvoiceId::new("inv_1")?, to, Currency::EUR, totals);
    /// assert!(!invoice.declares_en16931());
    /// invoice.specification =
    ///     Some("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0".into());
    /// assert!(invoice.declares_en16931());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn declares_en16931(&self) -> bool {
        self.specification.as_deref().is_some_and(|s| s.trim().starts_with(EN16931_URN))
    }

    /// A draft sales invoice to `counterparty` in `currency` with its
    /// totals; every other field empty.
    pub fn new(
        id: InvoiceId,
        counterparty: CustomerRef,
        currency: Currency,
        totals: InvoiceTotals,
    ) -> Invoice {
        Invoice {
            id,
            number: None,
            kind: InvoiceKind::Invoice,
            status: InvoiceStatus::Draft,
            side: TradeSide::Sales,
            specification: None,
            counterparty,
            seller: None,
            buyer: None,
            payee: None,
            tax_representative: None,
            delivery: None,
            contract: None,
            issue_date: None,
            due_date: None,
            tax_point_date: None,
            tax_point_date_code: None,
            period: None,
            currency,
            tax_currency: None,
            tax_inclusive: false,
            lines: Vec::new(),
            allowances_charges: Vec::new(),
            tax_breakdown: Vec::new(),
            totals,
            payment_terms: None,
            payment_instructions: Vec::new(),
            buyer_reference: None,
            purchase_order: None,
            sales_order: None,
            contract_reference: None,
            project_reference: None,
            preceding_invoices: Vec::new(),
            notes: Vec::new(),
            external_refs: Vec::new(),
            extensions: Extensions::default(),
            created_at: None,
            updated_at: None,
            provenance: None,
        }
    }
}
