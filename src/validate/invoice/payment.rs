//! Payment instructions (BG-16..BG-19): the account to pay into, the card,
//! the direct-debit mandate and the payment means code.

use super::{Checker, E, Rule, fields, fields::Loc};
use crate::model::{PaymentInstruction, PaymentMeans};
use crate::validate::codelists;

pub(super) const ACCOUNT_ID: Rule =
    Rule::error("BR-50", E, "a payment instruction's account gives its IBAN or account number")
        .en(&["BR-50", "BT-84"]);
pub(super) const CREDIT_TRANSFER_ACCOUNT: Rule = Rule::error(
    "BR-61",
    E,
    "a credit transfer (means code 30 or 58, or means credit_transfer without a code) names the account to pay into",
)
.en(&["BR-61", "BT-84"]);
pub(super) const CARD_NUMBER: Rule = Rule::warning(
    "BR-51",
    E,
    "a card number shows at most ten digits (the first six and the last four): never the full card number",
)
.en(&["BR-51", "BT-87"]);
pub(super) const MANDATE: Rule =
    Rule::error("INV-MANDATE", E, "a direct-debit payment instruction gives the mandate reference")
        .en(&["BT-89", "PEPPOL-EN16931-R061"]);
pub(super) const MEANS_CODE: Rule = Rule::error(
    "BR-CL-16",
    E,
    "a payment means code is a UNTDID 4461 code (30 credit transfer, 58 SEPA credit transfer, 59 SEPA direct debit, 48 card)",
)
.en(&["BR-CL-16", "BT-81"]);

/// True when the instruction is a credit transfer in BR-61's sense.
fn is_credit_transfer(pi: &PaymentInstruction) -> bool {
    match pi.means_code.as_deref().map(str::trim) {
        Some(code) => code == "30" || code == "58",
        None => pi.means == PaymentMeans::CreditTransfer,
    }
}

impl Checker<'_> {
    pub(super) fn payment_instructions(&mut self) {
        let inv = self.invoice;
        let instructions = Loc::ROOT.field("payment_instructions");
        for (k, pi) in inv.payment_instructions.iter().enumerate() {
            let at = instructions.index(k);
            let has_account_id = pi.account.as_ref().is_some_and(|account| {
                fields::has_text(account.iban.as_ref())
                    || fields::has_text(account.account_number.as_ref())
            });
            if let Some(account) = &pi.account {
                fields::check_bank_account_with(
                    account,
                    &at.field("account"),
                    &ACCOUNT_ID,
                    self.out,
                );
            }
            // BR-61 asks for the account identifier (BT-84), so an account
            // without one breaks it as well as BR-50, as in the official
            // artefacts.
            if !has_account_id && is_credit_transfer(pi) {
                let found = if pi.account.is_some() { "an account without either" } else { "none" };
                self.push(
                    &CREDIT_TRANSFER_ACCOUNT,
                    at.pointer_to("account"),
                    format!(
                        "expected the account to pay into (an IBAN or account number), but found {found}"
                    ),
                );
            }
            if pi.means == PaymentMeans::DirectDebit
                && !fields::has_text(pi.mandate_reference.as_ref())
            {
                self.push(
                    &MANDATE,
                    at.pointer_to("mandate_reference"),
                    "expected the direct-debit mandate reference, but found none".to_owned(),
                );
            }
            if let Some(number) = &pi.card_number {
                let digits = number.bytes().filter(u8::is_ascii_digit).count();
                if digits > 10 {
                    self.push(
                        &CARD_NUMBER,
                        at.pointer_to("card_number"),
                        format!(
                            "expected at most the first six and the last four digits of the card, but found {digits} digits"
                        ),
                    );
                }
            }
            if let Some(code) = &pi.means_code
                && !codelists::contains(&codelists::UNTDID_4461, code)
            {
                self.push(
                    &MEANS_CODE,
                    at.pointer_to("means_code"),
                    format!(
                        "expected a UNTDID 4461 code such as `30` (credit transfer) or `58` (SEPA credit transfer), but found {}",
                        fields::quoted(code)
                    ),
                );
            }
        }
    }
}
