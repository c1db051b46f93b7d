//! Two-way mapping between vendor objects and the canonical model.
//!
//! - [`Mapper`]: the small trait every mapper implements, with its contract;
//! - [`Registry`]: built-in and user mappers, by vendor and object or by entity;
//! - [`MappingSpec`]: the declarative mapping file format (`mappings/<vendor>/*.json`),
//!   compiled by [`DeclarativeMapper`];
//! - [`Transform`]: named value conversions, built in or registered at run time;
//! - [`Mapped`] and [`Loss`]: every result says what it could not carry over;
//! - [`envelope`](mod@envelope): the records of a vendor response that wraps them;
//! - [`parts`]: documents whose lines the vendor sends as records of their own;
//! - [`Crosswalk`]: vendor ids ↔ canonical ids, looked up by any mapper both ways;
//! - [`conformance`]: the checks every mapper must pass;
//! - [`pointer`](mod@pointer): JSON Pointer helpers for mapper authors.
//!
//! Vendor fields no rule maps are kept under the canonical record's
//! `extensions.<vendor>`, so vendor → canonical → vendor gives back the same
//! payload.

pub mod conformance;
mod countries;
mod crosswalk;
mod engine;
pub mod envelope;
mod error;
pub mod fidelity;
mod loss;
mod mapper;
pub mod parts;
pub mod pointer;
mod registry;
mod sendable;
mod spec;
mod spec_shapes;
mod transforms;
mod unreturned;

pub use crosswalk::{Crosswalk, CrosswalkMapper};
pub use engine::{DeclarativeMapper, ForwardRun, Payload};
pub use error::MappingError;
pub use fidelity::{Carried, Fidelity, FieldFidelity};
pub use loss::{Loss, LossKind, Mapped};
pub use mapper::Mapper;
pub use registry::{CanonicalEntity, Registry};
pub use sendable::sendable;
pub use spec::{
    AmountEncoding, CaseSpec, CodeCase, DeriveSpec, EnvelopeItemsSpec, EnvelopeSpec, FieldsSpec,
    GatherFromSpec, GatherSpec, GroupSpec, IfSpec, JoinSpec, LookupSpec, MappingSpec, MoneySpec,
    PartSpec, PerSpec, ReferenceObject, ReferenceSpec, RuleSpec, SideSpec, TaxBreakdownSpec,
    TaxIncludedSpec, TransformSpec, TwinSpec, VendorPath,
};
pub use transforms::{BUILTIN_NAMES, Transform};
