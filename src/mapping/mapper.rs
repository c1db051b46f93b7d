//! The [`Mapper`] trait: one vendor object ↔ one canonical entity.

use crate::json::Value;

use super::{Mapped, MappingError};
use crate::model::Entity;

/// Translates one vendor object to one canonical entity and back.
///
/// # Contract
///
/// A mapper, built in or third-party, must:
///
/// 1. **Name itself**: [`vendor`](Mapper::vendor) (lower case, such as
///    `stripe`), [`object`](Mapper::object) (the vendor's object name, such
///    as `invoice`) and the canonical [`entity`](Mapper::entity).
/// 2. **Work both ways** on JSON values ([`json::Value`](crate::json::Value),
///    whose numbers keep their text): [`to_canonical`](Mapper::to_canonical)
///    takes the vendor payload and returns the canonical record's JSON;
///    [`to_vendor`](Mapper::to_vendor) does the reverse. The provided
///    [`to_canonical_str`](Mapper::to_canonical_str) and
///    [`to_vendor_str`](Mapper::to_vendor_str) take JSON text (the fast
///    path: no `serde_json::Value` on the way), and
///    [`to_canonical_serde`](Mapper::to_canonical_serde) a
///    `serde_json::Value`.
/// 3. **Lose nothing silently.** Vendor fields no rule maps go under the
///    canonical record's `extensions.<vendor>`, so that vendor → canonical →
///    vendor gives back a JSON-equal payload. Every canonical field the vendor
///    cannot hold, and every value changed on the way, is a [`Loss`](super::Loss)
///    in the result.
/// 4. **Be deterministic**: the same input gives the same output and the
///    same losses, in the same order.
/// 5. **Never panic** on any JSON input; bad input is a [`MappingError`]
///    naming the place (JSON Pointer) and the problem.
/// 6. **Produce a valid canonical record**: the JSON deserializes into the
///    entity type (and should pass validation when the vendor data is sound).
/// 7. **Answer the same by value**: [`to_canonical_owned`](Mapper::to_canonical_owned)
///    and [`to_vendor_owned`](Mapper::to_vendor_owned) give what the
///    borrowing methods give. They exist for speed: a payload the caller no
///    longer needs can be taken apart instead of copied. The provided
///    versions call the borrowing ones.
///
/// The conformance suite in [`conformance`](super::conformance) checks
/// this for any mapper and its fixtures, as far as it can without knowing
/// the vendor: [`conformance::check`](super::conformance::check) lists what
/// it checks and what only the mapper's own tests can (that the canonical
/// values are the right ones).
pub trait Mapper: Send + Sync {
    /// The vendor, lower case: `stripe`.
    fn vendor(&self) -> &str;

    /// The vendor object: `invoice`, `credit_note`, `charge`.
    fn object(&self) -> &str;

    /// The canonical entity the object maps to.
    fn entity(&self) -> Entity;

    /// Where the vendor puts records of this object in its responses
    /// (`{"Invoices": [...]}`), for [`envelope::open`](super::envelope::open);
    /// `None` (the default) when payloads are bare records.
    fn envelope(&self) -> Option<&super::EnvelopeSpec> {
        None
    }

    /// The records the vendor sends apart that belong in this one (the
    /// mapping file's `parts`), for [`parts::assemble`](super::parts::assemble)
    /// and [`parts::split`](super::parts::split). None by default.
    fn parts(&self) -> &[super::PartSpec] {
        &[]
    }

    /// How records that share a value make one document (the mapping
    /// file's `group`), for [`parts::group`](super::parts::group) and
    /// [`parts::ungroup`](super::parts::ungroup). None by default.
    fn group(&self) -> Option<&super::GroupSpec> {
        None
    }

    /// Vendor fields the vendor computes and refuses on a write, by
    /// pointer (`*` for every item of an array), for
    /// [`sendable`](super::sendable). None by default.
    fn not_sent(&self) -> &[String] {
        &[]
    }

    /// How faithfully the mapper carries each canonical field, read from
    /// its mapping file ([`fidelity`](super::fidelity)). None for a mapper
    /// written in Rust alone.
    fn fidelity(&self) -> Option<super::Fidelity> {
        None
    }

    /// True when the vendor only gives these records and takes none back
    /// (Xero's system journals): [`to_vendor`](Mapper::to_vendor) still
    /// writes the payload, for comparing with what the vendor sent, but
    /// there is no API to send it to. `canonical-finance vendors` lists
    /// such a mapper with the one direction. False by default.
    fn read_only(&self) -> bool {
        false
    }

    /// Vendor payload → canonical record (JSON).
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] or [`MappingError::InvalidCanonical`].
    fn to_canonical(&self, vendor: &Value) -> Result<Mapped<Value>, MappingError>;

    /// Canonical record (JSON) → vendor payload.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] when the record is not one the mapper
    /// can read: not a JSON object, a value of the wrong type where a rule
    /// reads it (an amount that is not money, a date that is not a date),
    /// or an `extensions.<vendor>` that is not an object. A value the vendor
    /// needs but the record cannot give (a customer without the vendor's
    /// id) is not an error but an `unsupported` loss: read the loss report
    /// before sending the payload.
    fn to_vendor(&self, canonical: &Value) -> Result<Mapped<Value>, MappingError>;

    /// [`to_canonical`](Mapper::to_canonical) for a payload the caller no
    /// longer needs. The result is the same; a mapper may move the vendor
    /// values it keeps into `extensions.<vendor>` instead of copying them
    /// (the built-in mappers do). The default calls `to_canonical`.
    ///
    /// # Errors
    ///
    /// As [`to_canonical`](Mapper::to_canonical).
    fn to_canonical_owned(&self, vendor: Value) -> Result<Mapped<Value>, MappingError> {
        self.to_canonical(&vendor)
    }

    /// [`to_vendor`](Mapper::to_vendor) for a record the caller no longer
    /// needs. The result is the same; a mapper may move the residue under
    /// `extensions.<vendor>` into the payload instead of copying it (the
    /// built-in mappers do). The default calls `to_vendor`.
    ///
    /// # Errors
    ///
    /// As [`to_vendor`](Mapper::to_vendor).
    fn to_vendor_owned(&self, canonical: Value) -> Result<Mapped<Value>, MappingError> {
        self.to_vendor(&canonical)
    }

    /// [`to_canonical_owned`](Mapper::to_canonical_owned) of JSON text:
    /// numbers are read from their text, exactly.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] at the document (`""`) for text that
    /// is not JSON, with the parser's message and position; else as
    /// [`to_canonical`](Mapper::to_canonical).
    fn to_canonical_str(&self, vendor: &str) -> Result<Mapped<Value>, MappingError> {
        let value = crate::json::parse(vendor).map_err(|e| self.syntax_error(&e))?;
        self.to_canonical_owned(value)
    }

    /// [`to_vendor_owned`](Mapper::to_vendor_owned) of canonical JSON text.
    ///
    /// # Errors
    ///
    /// As [`to_canonical_str`](Mapper::to_canonical_str).
    fn to_vendor_str(&self, canonical: &str) -> Result<Mapped<Value>, MappingError> {
        let value = crate::json::parse(canonical).map_err(|e| self.syntax_error(&e))?;
        self.to_vendor_owned(value)
    }

    /// [`to_canonical_str`](Mapper::to_canonical_str) of JSON bytes, as a
    /// webhook body or a queue message delivers them.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] at `""` for bytes that are not UTF-8
    /// (with the position of the first bad byte) or not JSON; else as
    /// [`to_canonical`](Mapper::to_canonical).
    fn to_canonical_bytes(&self, vendor: &[u8]) -> Result<Mapped<Value>, MappingError> {
        let value = crate::json::parse_bytes(vendor).map_err(|e| self.syntax_error(&e))?;
        self.to_canonical_owned(value)
    }

    /// [`to_vendor_str`](Mapper::to_vendor_str) of canonical JSON bytes.
    ///
    /// # Errors
    ///
    /// As [`to_canonical_bytes`](Mapper::to_canonical_bytes).
    fn to_vendor_bytes(&self, canonical: &[u8]) -> Result<Mapped<Value>, MappingError> {
        let value = crate::json::parse_bytes(canonical).map_err(|e| self.syntax_error(&e))?;
        self.to_vendor_owned(value)
    }

    /// [`to_canonical`](Mapper::to_canonical) of a `serde_json::Value`,
    /// converted first (exact for every number serde_json holds).
    ///
    /// # Errors
    ///
    /// As [`to_canonical`](Mapper::to_canonical).
    fn to_canonical_serde(
        &self,
        vendor: &serde_json::Value,
    ) -> Result<Mapped<Value>, MappingError> {
        self.to_canonical_owned(Value::from(vendor))
    }

    /// [`to_vendor`](Mapper::to_vendor) of a `serde_json::Value`.
    ///
    /// # Errors
    ///
    /// As [`to_vendor`](Mapper::to_vendor).
    fn to_vendor_serde(
        &self,
        canonical: &serde_json::Value,
    ) -> Result<Mapped<Value>, MappingError> {
        self.to_vendor_owned(Value::from(canonical))
    }

    /// The error for text that is not JSON.
    #[doc(hidden)]
    fn syntax_error(&self, err: &crate::json::ParseError) -> MappingError {
        MappingError::InvalidInput {
            vendor: self.vendor().to_owned(),
            object: self.object().to_owned(),
            pointer: String::new(),
            message: err.to_string(),
        }
    }
}

impl std::fmt::Debug for dyn Mapper + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mapper({}/{} → {})", self.vendor(), self.object(), self.entity())
    }
}
