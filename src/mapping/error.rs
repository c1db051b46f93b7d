//! The mapping layer's error type.

use crate::model::Entity;

/// What can go wrong when loading mapping files or mapping a record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MappingError {
    /// No mapper for this vendor and object.
    #[error("no mapper for {vendor} {object}: expected one of {}", available.join(", "))]
    UnknownMapper {
        /// The vendor asked for.
        vendor: String,
        /// The object asked for.
        object: String,
        /// Every `vendor/object` the registry holds.
        available: Vec<String>,
    },
    /// No mapper of this vendor produces this entity.
    #[error("no {vendor} mapper for the {entity} entity: expected one of {}", available.join(", "))]
    UnknownEntity {
        /// The vendor asked for.
        vendor: String,
        /// The entity asked for.
        entity: Entity,
        /// Every `vendor/object → entity` the registry holds.
        available: Vec<String>,
    },
    /// A mapping file is wrong; nothing was loaded from it.
    #[error("invalid mapping file {file} at {}: {message}", At(pointer))]
    InvalidSpec {
        /// The file (or the embedded file's name).
        file: String,
        /// JSON Pointer to the offending place in the file.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The input record cannot be mapped.
    #[error("cannot map {vendor} {object} at {}: {message}", At(pointer))]
    InvalidInput {
        /// The vendor.
        vendor: String,
        /// The vendor object.
        object: String,
        /// JSON Pointer into the input.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The mapping produced a record that is not a valid canonical entity
    /// (a required field the vendor payload lacked, for instance).
    #[error("{vendor} {object} mapped to an invalid {entity} at {}: {message}", At(pointer))]
    InvalidCanonical {
        /// The vendor.
        vendor: String,
        /// The vendor object.
        object: String,
        /// The entity.
        entity: Entity,
        /// JSON Pointer into the produced canonical record.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A mapper was registered twice for the same vendor and object.
    #[error("a mapper for {vendor} {object} is already registered")]
    Duplicate {
        /// The vendor.
        vendor: String,
        /// The vendor object.
        object: String,
    },
}

/// A JSON Pointer for a message: the empty pointer (the whole document)
/// reads as "the document root".
struct At<'a>(&'a str);

impl std::fmt::Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() { f.write_str("the document root") } else { f.write_str(self.0) }
    }
}

impl MappingError {
    /// True for errors about the mapping files or the registry rather than
    /// the record being mapped.
    pub fn is_configuration(&self) -> bool {
        matches!(
            self,
            Self::UnknownMapper { .. }
                | Self::UnknownEntity { .. }
                | Self::InvalidSpec { .. }
                | Self::Duplicate { .. }
        )
    }
}
