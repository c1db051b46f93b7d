//! [`Limits`]: how much hostile input the readers take before they refuse
//! it.

use super::MAX_DEPTH;

/// How large and how deep a JSON document may be.
///
/// The same limits hold in [`parse_with`](super::parse_with) (the mapping
/// layer's parser), in
/// [`validate_json_with`](crate::validate::validate_json_with) and in the
/// CLI's `validate` and `map` (`--max-depth`, `--max-bytes`), so that a
/// document is refused for the same reason by every reader:
///
/// - **depth**: arrays and objects nested more than
///   [`max_depth`](Limits::max_depth) levels (default and upper bound
///   [`MAX_DEPTH`], 128: serde_json's fixed limit, so a depth the typed
///   reader cannot take is never promised);
/// - **size**: a document (or an NDJSON line) of more than
///   [`max_bytes`](Limits::max_bytes) bytes (default
///   [`Limits::DEFAULT_MAX_BYTES`], 16 MiB: a parsed tree takes several
///   times its text, so the default keeps one document under a few hundred
///   MB of memory, and no finance record comes near it).
///
/// Duplicate keys are always refused: a finance record in which `amount`
/// appears twice has no single meaning.
///
/// ```
/// use canonical_finance::json::{self, Limits};
///
/// let limits = Limits::new().with_max_depth(2).with_max_bytes(64);
/// assert!(json::parse_with("[[1]]", limits).is_ok());
/// let err = json::parse_with("[[[1]]]", limits).unwrap_err();
/// assert_eq!(err.message(), "expected at most 2 levels of nesting, but found more");
/// assert_eq!(err.pointer(), "/0/0");
/// assert!(json::parse_with(&" ".repeat(65), limits).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_depth: usize,
    max_bytes: usize,
}

impl Limits {
    /// The default size limit: 16 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 16 * 1024 * 1024;

    /// The defaults: [`MAX_DEPTH`] levels, [`Limits::DEFAULT_MAX_BYTES`]
    /// bytes.
    pub const DEFAULT: Limits = Limits { max_depth: MAX_DEPTH, max_bytes: Self::DEFAULT_MAX_BYTES };

    /// [`Limits::DEFAULT`].
    #[must_use]
    pub const fn new() -> Limits {
        Limits::DEFAULT
    }

    /// At most `levels` levels of nesting (a scalar is at level 0, the
    /// items of a top-level array at level 1); more than [`MAX_DEPTH`] is
    /// taken as [`MAX_DEPTH`], and 0 allows scalars only.
    #[must_use]
    pub const fn with_max_depth(self, levels: usize) -> Limits {
        let max_depth = if levels > MAX_DEPTH { MAX_DEPTH } else { levels };
        Limits { max_depth, max_bytes: self.max_bytes }
    }

    /// At most `bytes` bytes per document.
    #[must_use]
    pub const fn with_max_bytes(self, bytes: usize) -> Limits {
        Limits { max_depth: self.max_depth, max_bytes: bytes }
    }

    /// The most levels of nesting allowed.
    #[must_use]
    pub const fn max_depth(self) -> usize {
        self.max_depth
    }

    /// The most bytes allowed in one document.
    #[must_use]
    pub const fn max_bytes(self) -> usize {
        self.max_bytes
    }

    /// The message for a document of more than [`Limits::max_bytes`].
    pub(crate) fn too_large(self) -> String {
        format!("expected a document of at most {} bytes, but found more", self.max_bytes)
    }

    /// The message for nesting deeper than [`Limits::max_depth`].
    pub(crate) fn too_deep(self) -> String {
        format!("expected at most {} levels of nesting, but found more", self.max_depth)
    }
}

impl Default for Limits {
    /// [`Limits::DEFAULT`].
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// The byte offset at which `text` nests deeper than `max_depth` (outside
/// strings), if it does: a scan with no allocation, much cheaper than a
/// parse, for readers whose own limit cannot be set.
pub(crate) fn too_deep_at(text: &[u8], max_depth: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, &b) in text.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth = depth.saturating_add(1);
                if depth > max_depth {
                    return Some(at);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
