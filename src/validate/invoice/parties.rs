//! The parties of an invoice: seller (BG-4), buyer (BG-7), payee (BG-10),
//! seller's tax representative (BG-11) and deliver-to (BG-13).
//!
//! Party addresses follow EN 16931, which needs only the country (the type
//! guarantees it: BR-09, BR-11, BR-20, BR-57); the stricter `ADDRESS` rule
//! is for customer records.

use super::{Checker, E, Rule, fields, fields::Loc};
use crate::model::{Identifier, Party, TaxIdScheme};
use crate::validate::codelists;

pub(super) const SELLER_NAME: Rule =
    Rule::error("BR-06", E, "the seller has a name").en(&["BR-06", "BT-27"]).presence();
pub(super) const SELLER_ADDRESS: Rule =
    Rule::error("BR-08", E, "the seller has a postal address").en(&["BR-08", "BG-5"]).presence();
pub(super) const SELLER_ID: Rule = Rule::error(
    "BR-CO-26",
    E,
    "the seller has an identifier (other than a SEPA creditor id), a legal registration id or a VAT id, so the buyer can identify the supplier",
)
.en(&["BR-CO-26", "BT-29", "BT-30", "BT-31"])
.presence();
pub(super) const SELLER_ADDRESS_SCHEME: Rule =
    Rule::error("BR-62", E, "the seller's electronic address has a scheme")
        .en(&["BR-62", "BT-34"])
        .presence();
pub(super) const BUYER_NAME: Rule =
    Rule::error("BR-07", E, "the buyer has a name").en(&["BR-07", "BT-44"]).presence();
pub(super) const BUYER_ADDRESS: Rule =
    Rule::error("BR-10", E, "the buyer has a postal address").en(&["BR-10", "BG-8"]).presence();
pub(super) const BUYER_ADDRESS_SCHEME: Rule =
    Rule::error("BR-63", E, "the buyer's electronic address has a scheme")
        .en(&["BR-63", "BT-49"])
        .presence();
pub(super) const PAYEE_NAME: Rule = Rule::error(
    "BR-17",
    E,
    "a payee, when given, has a name and is not the seller (same name or same identifier)",
)
.en(&["BR-17", "BT-59"])
.presence();
pub(super) const TAX_REP_NAME: Rule =
    Rule::error("BR-18", E, "a seller's tax representative, when given, has a name")
        .en(&["BR-18", "BT-62"])
        .presence();
pub(super) const TAX_REP_ADDRESS: Rule =
    Rule::error("BR-19", E, "a seller's tax representative, when given, has a postal address")
        .en(&["BR-19", "BG-12"])
        .presence();
pub(super) const TAX_REP_VAT_ID: Rule =
    Rule::error("BR-56", E, "a seller's tax representative, when given, has a VAT id")
        .en(&["BR-56", "BT-63"])
        .presence();
pub(super) const PARTY_ID_SCHEME: Rule = Rule::error(
    "BR-CL-10",
    E,
    "a party identifier's scheme is an ISO 6523 ICD code (0002 to 0248), or SEPA for a seller's or payee's creditor id",
)
.en(&["BR-CL-10"]);
pub(super) const LEGAL_ID_SCHEME: Rule = Rule::error(
    "BR-CL-11",
    E,
    "the scheme of a party's legal registration id (its label) is an ISO 6523 ICD code",
)
.en(&["BR-CL-11"]);
pub(super) const ELECTRONIC_ADDRESS_SCHEME: Rule = Rule::error(
    "BR-CL-25",
    E,
    "an electronic address's scheme is a code of the CEF EAS list (0088, 0204, 9930, EM)",
)
.en(&["BR-CL-25"]);
pub(super) const LOCATION_SCHEME: Rule =
    Rule::error("BR-CL-26", E, "a deliver-to location id's scheme is an ISO 6523 ICD code")
        .en(&["BR-CL-26"]);

/// The roles a party can have on an invoice.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Seller,
    Buyer,
    Payee,
    TaxRepresentative,
}

impl Role {
    fn field(self) -> &'static str {
        match self {
            Role::Seller => "seller",
            Role::Buyer => "buyer",
            Role::Payee => "payee",
            Role::TaxRepresentative => "tax_representative",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Role::Seller => "seller",
            Role::Buyer => "buyer",
            Role::Payee => "payee",
            Role::TaxRepresentative => "seller's tax representative",
        }
    }
}

/// True when the party has a tax id of `scheme`.
fn has_tax_id(party: Option<&Party>, scheme: TaxIdScheme) -> bool {
    party.is_some_and(|p| {
        p.tax_ids.iter().any(|t| t.scheme == scheme && !fields::is_blank(&t.value))
    })
}

impl Checker<'_> {
    pub(super) fn parties(&mut self) {
        let inv = self.invoice;
        self.required_parts(inv.seller.as_ref(), Role::Seller);
        self.required_parts(inv.buyer.as_ref(), Role::Buyer);
        if let Some(seller) = &inv.seller {
            let identified = seller
                .identifiers
                .iter()
                .any(|i| !fields::is_blank(&i.value) && i.scheme.as_deref() != Some("SEPA"))
                || has_tax_id(Some(seller), TaxIdScheme::LegalRegistration)
                || has_tax_id(Some(seller), TaxIdScheme::Vat);
            if !identified {
                self.push(
                    &SELLER_ID,
                    "/seller",
                    "expected a seller identifier, legal registration id or VAT id, but found none"
                        .to_owned(),
                );
            }
        }
        if let Some(payee) = &inv.payee {
            self.payee(payee);
        }
        if let Some(rep) = &inv.tax_representative {
            if rep.name.as_deref().is_none_or(fields::is_blank) {
                self.push(
                    &TAX_REP_NAME,
                    "/tax_representative/name",
                    "expected the tax representative's name (BT-62), but found none".to_owned(),
                );
            }
            if rep.address.is_none() {
                self.push(
                    &TAX_REP_ADDRESS,
                    "/tax_representative/address",
                    "expected the tax representative's postal address (BG-12), but found none"
                        .to_owned(),
                );
            }
            if !has_tax_id(Some(rep), TaxIdScheme::Vat) {
                self.push(
                    &TAX_REP_VAT_ID,
                    "/tax_representative/tax_ids",
                    "expected the tax representative's VAT id (BT-63), but found none".to_owned(),
                );
            }
        }
        for (role, party) in [
            (Role::Seller, &inv.seller),
            (Role::Buyer, &inv.buyer),
            (Role::Payee, &inv.payee),
            (Role::TaxRepresentative, &inv.tax_representative),
        ] {
            if let Some(party) = party {
                self.party_fields(party, role);
            }
        }
        if let Some(location) = inv.delivery.as_ref().and_then(|d| d.location_id.as_ref())
            && let Some(scheme) = &location.scheme
            && !codelists::is_icd(scheme)
        {
            self.push(
                &LOCATION_SCHEME,
                "/delivery/location_id/scheme",
                format!(
                    "expected an ISO 6523 ICD code such as `0088`, but found {}",
                    fields::quoted(scheme)
                ),
            );
        }
    }

    /// BR-06/BR-08/BR-62 for the seller, BR-07/BR-10/BR-63 for the buyer.
    fn required_parts(&mut self, party: Option<&Party>, role: Role) {
        let (name_rule, address_rule, scheme_rule, name_term, address_term) = match role {
            Role::Seller => {
                (&SELLER_NAME, &SELLER_ADDRESS, &SELLER_ADDRESS_SCHEME, "BT-27", "BG-5")
            }
            _ => (&BUYER_NAME, &BUYER_ADDRESS, &BUYER_ADDRESS_SCHEME, "BT-44", "BG-8"),
        };
        let field = role.field();
        let Some(party) = party else {
            let message = format!(
                "expected the {} with a name ({name_term}) and a postal address ({address_term}), but found no {field}",
                role.name()
            );
            self.push(name_rule, format!("/{field}"), message.clone());
            self.push(address_rule, format!("/{field}"), message);
            return;
        };
        if party.name.as_deref().is_none_or(fields::is_blank) {
            self.push(
                name_rule,
                format!("/{field}/name"),
                format!("expected the {}'s name ({name_term}), but found none", role.name()),
            );
        }
        if party.address.is_none() {
            self.push(
                address_rule,
                format!("/{field}/address"),
                format!(
                    "expected the {}'s postal address ({address_term}), but found none",
                    role.name()
                ),
            );
        }
        if party.electronic_address.as_ref().is_some_and(|a| a.scheme.is_none()) {
            self.push(
                scheme_rule,
                format!("/{field}/electronic_address/scheme"),
                format!(
                    "expected the scheme of the {}'s electronic address, an EAS code such as `0088` or `EM`, but found none",
                    role.name()
                ),
            );
        }
    }

    fn payee(&mut self, payee: &Party) {
        if payee.name.as_deref().is_none_or(fields::is_blank) {
            self.push(
                &PAYEE_NAME,
                "/payee/name",
                "expected the payee's name (BT-59), but found none".to_owned(),
            );
            return;
        }
        let Some(seller) = &self.invoice.seller else {
            return;
        };
        let same_name = payee.name.is_some() && payee.name == seller.name;
        let same_id = payee.identifiers.iter().any(|p| seller.identifiers.contains(p));
        if same_name || same_id {
            let what = if same_name { "name" } else { "identifier" };
            self.push(
                &PAYEE_NAME,
                "/payee",
                format!(
                    "expected a payee other than the seller (leave the payee out when the seller is paid), but the payee has the seller's {what}"
                ),
            );
        }
    }

    /// Code lists and field rules for every part of a party.
    fn party_fields(&mut self, party: &Party, role: Role) {
        let root = Loc::ROOT;
        let at = root.field(role.field());
        for (i, id) in party.identifiers.iter().enumerate() {
            self.identifier_scheme(id, role, &at.field("identifiers").index(i));
        }
        let tax_ids = at.field("tax_ids");
        for (i, t) in party.tax_ids.iter().enumerate() {
            let item = tax_ids.index(i);
            fields::check_tax_id_at(t, &item, self.out);
            if t.scheme == TaxIdScheme::LegalRegistration
                && let Some(scheme) = &t.label
                && !codelists::is_icd(scheme)
            {
                self.push(
                    &LEGAL_ID_SCHEME,
                    item.pointer_to("label"),
                    format!(
                        "expected the legal registration's scheme as an ISO 6523 ICD code such as `0002`, but found {}",
                        fields::quoted(scheme)
                    ),
                );
            }
        }
        if let Some(scheme) = party.electronic_address.as_ref().and_then(|a| a.scheme.as_ref())
            && !codelists::contains(&codelists::EAS, scheme)
        {
            self.push(
                &ELECTRONIC_ADDRESS_SCHEME,
                at.field("electronic_address").pointer_to("scheme"),
                format!(
                    "expected a scheme of the CEF EAS list such as `0088`, `0204` or `EM`, but found {}",
                    fields::quoted(scheme)
                ),
            );
        }
        if let Some(contact) = &party.contact {
            fields::check_contact_at(contact, &at.field("contact"), self.out);
        }
        fields::check_external_refs_at(&party.external_refs, &at.field("external_refs"), self.out);
    }

    fn identifier_scheme(&mut self, id: &Identifier, role: Role, at: &Loc<'_>) {
        let Some(scheme) = &id.scheme else {
            return;
        };
        let sepa_allowed = matches!(role, Role::Seller | Role::Payee);
        if codelists::is_icd(scheme) || (sepa_allowed && scheme == "SEPA") {
            return;
        }
        let also = if sepa_allowed { " (or SEPA for a creditor id)" } else { "" };
        self.push(
            &PARTY_ID_SCHEME,
            at.pointer_to("scheme"),
            format!(
                "expected an ISO 6523 ICD code such as `0088`{also}, but found {}",
                fields::quoted(scheme)
            ),
        );
    }
}
