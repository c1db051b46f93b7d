//! A user's own types next to canonical-finance: the shapes serde buffers
//! (untagged, internally tagged, flattened), which serde_json's
//! `arbitrary_precision` feature breaks for `f64` fields. canonical-finance
//! must not turn that feature on, and Cargo would turn it on for the whole
//! program if it did: this crate is built in the same workspace, so its
//! tests see the features the crate brings.

use serde::Deserialize;

/// An untagged enum with a float, as a user might write one.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Reading {
    /// A measured value.
    Measured {
        /// The value.
        value: f64,
    },
    /// A label.
    Label(String),
}

/// An internally tagged enum with a float.
#[derive(Debug, PartialEq, Deserialize)]
#[serde(tag = "kind")]
pub enum Event {
    /// A temperature.
    Temperature {
        /// Degrees.
        celsius: f64,
    },
}

/// A struct that flattens another with a float.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Envelope {
    /// An id.
    pub id: String,
    /// The flattened part.
    #[serde(flatten)]
    pub body: Body,
}

/// The flattened part.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Body {
    /// A ratio.
    pub ratio: f64,
}
