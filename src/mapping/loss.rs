//! What a mapping could not carry over exactly.

use std::fmt;

use serde::Serialize;

/// Why a value was not carried over exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LossKind {
    /// A canonical field the vendor object has no place for (canonical →
    /// vendor).
    Unsupported,
    /// A value changed on the way: a time of day dropped from a date, an
    /// expanded object reduced to its id, letter case changed. The original
    /// is kept under `extensions.<vendor>` and comes back on the way out
    /// while the canonical value is unchanged.
    Lossy,
    /// A value outside the mapping's enum table, mapped to its fallback.
    Fallback,
    /// The canonical record lacks something the vendor did not send: the
    /// other pages of a paginated list, a tax rate that can be neither read
    /// nor worked out from the amounts.
    Incomplete,
    /// A canonical value the vendor does not send, worked out from what it
    /// does send (a tax rate from tax and taxable amounts): check it before
    /// relying on it. The vendor payload itself is unchanged.
    Estimated,
}

/// One value not carried over exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Loss {
    /// What kind of loss.
    pub kind: LossKind,
    /// JSON Pointer into the input: the vendor payload (vendor → canonical)
    /// or the canonical record (canonical → vendor).
    pub path: String,
    /// What happened, in words.
    pub reason: String,
}

impl Loss {
    /// A loss of `kind` at `path`.
    pub fn new(kind: LossKind, path: impl Into<String>, reason: impl Into<String>) -> Loss {
        Loss { kind, path: path.into(), reason: reason.into() }
    }
}

impl fmt::Display for Loss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            LossKind::Unsupported => "unsupported",
            LossKind::Lossy => "lossy",
            LossKind::Fallback => "fallback",
            LossKind::Incomplete => "incomplete",
            LossKind::Estimated => "estimated",
        };
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(f, "{kind} at {path}: {}", self.reason)
    }
}

/// A mapping result and everything it could not carry over exactly.
///
/// A mapping never succeeds quietly with less data: check `losses` (or
/// [`Mapped::is_exact`]) before writing the result anywhere that matters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Mapped<T> {
    /// The mapped record.
    pub value: T,
    /// What was not carried over exactly, in the order found.
    pub losses: Vec<Loss>,
}

impl<T> Mapped<T> {
    /// A result with its losses.
    pub fn new(value: T, losses: Vec<Loss>) -> Mapped<T> {
        Mapped { value, losses }
    }

    /// True when nothing was lost.
    pub fn is_exact(&self) -> bool {
        self.losses.is_empty()
    }

    /// The same losses around another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Mapped<U> {
        Mapped { value: f(self.value), losses: self.losses }
    }
}
