//! [`Str`]: the text of a JSON string or key, shared rather than copied.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// The text of a JSON string, object key or number in a [`Value`](super::Value).
///
/// A string that [`parse`](super::parse) read without escapes is a slice of
/// the parsed text, not a copy: the parser copies the document once into a
/// shared buffer, and each such string is a range of it (cloning one is a
/// reference count, never an allocation). Strings the program writes
/// itself are either `'static` ([`Str::from_static`], what the [`json!`](crate::json!)
/// macro does for its literal keys, and what the typed model's field names
/// become) or their own shared buffer.
///
/// A `Str` reads as `&str` (it derefs to `str`), and compares, hashes and
/// orders as its text.
///
/// Because a slice keeps its document's buffer alive, a value kept long
/// after the rest of its document is dropped holds the whole text;
/// [`Str::detached`] (and [`Value::detach`](super::Value::detach) for a
/// whole tree) copies it out when that matters.
///
/// ```
/// use canonical_finance::json::{self, Str};
///
/// let v = json::parse(r#"{"id": "in_1MtHbELkdIwHu7ixl4OzzPMv"}"#)?;
/// let id: &Str = match &v["id"] {
///     json::Value::String(s) => s,
///     _ => unreachable!(),
/// };
/// assert_eq!(id, "in_1MtHbELkdIwHu7ixl4OzzPMv");
/// assert!(id.starts_with("in_"));
/// assert_eq!(Str::from("x"), Str::from_static("x"));
/// # Ok::<(), json::ParseError>(())
/// ```
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    /// Text that lives for the whole program.
    Static(&'static str),
    /// `buffer[start..end]`; both ends on character boundaries.
    Slice { buffer: Arc<str>, start: u32, end: u32 },
    /// A whole buffer too long for 32-bit offsets.
    Whole(Arc<str>),
}

impl Str {
    /// Text that lives for the whole program: no allocation, ever.
    pub const fn from_static(text: &'static str) -> Str {
        Str(Repr::Static(text))
    }

    /// `buffer[start..end]`, sharing `buffer`; a copy of that text when the
    /// range is not one (it is, wherever the parser makes one).
    pub(crate) fn slice(buffer: &Arc<str>, start: usize, end: usize) -> Str {
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(s), Ok(e)) if buffer.get(start..end).is_some() => {
                Str(Repr::Slice { buffer: Arc::clone(buffer), start: s, end: e })
            }
            _ => Str::from(buffer.get(start..end).unwrap_or_default()),
        }
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Slice { buffer, start, end } => {
                // The range was checked when the slice was made.
                buffer.get(*start as usize..*end as usize).unwrap_or_default()
            }
            Repr::Whole(s) => s,
        }
    }

    /// The length in bytes, without making the slice (cheaper than
    /// `as_str().len()`, for comparing keys).
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Static(s) => s.len(),
            Repr::Slice { start, end, .. } => (*end as usize).saturating_sub(*start as usize),
            Repr::Whole(s) => s.len(),
        }
    }

    /// True for the empty text.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The same text in a buffer of its own, so that it no longer keeps
    /// the document it was read from alive.
    #[must_use]
    pub fn detached(&self) -> Str {
        match &self.0 {
            Repr::Slice { buffer, .. } if buffer.len() > self.len() => Str::from(self.as_str()),
            _ => self.clone(),
        }
    }

    /// True when the text is a slice of a larger buffer (a parsed document).
    #[cfg(test)]
    fn is_slice_of_more(&self) -> bool {
        matches!(&self.0, Repr::Slice { buffer, .. } if buffer.len() > self.len())
    }
}

impl Default for Str {
    fn default() -> Str {
        Str::from_static("")
    }
}

impl Deref for Str {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Str {
    fn from(text: &str) -> Str {
        if text.is_empty() {
            return Str::default();
        }
        Str::from(Arc::<str>::from(text))
    }
}

impl From<String> for Str {
    fn from(text: String) -> Str {
        if text.is_empty() {
            return Str::default();
        }
        Str::from(Arc::<str>::from(text))
    }
}

impl From<&String> for Str {
    fn from(text: &String) -> Str {
        Str::from(text.as_str())
    }
}

impl From<Box<str>> for Str {
    fn from(text: Box<str>) -> Str {
        Str::from(Arc::<str>::from(text))
    }
}

impl From<std::borrow::Cow<'_, str>> for Str {
    fn from(text: std::borrow::Cow<'_, str>) -> Str {
        match text {
            std::borrow::Cow::Borrowed(s) => Str::from(s),
            std::borrow::Cow::Owned(s) => Str::from(s),
        }
    }
}

impl From<Arc<str>> for Str {
    fn from(buffer: Arc<str>) -> Str {
        match u32::try_from(buffer.len()) {
            Ok(end) => Str(Repr::Slice { buffer, start: 0, end }),
            Err(_) => Str(Repr::Whole(buffer)),
        }
    }
}

impl From<&Str> for Str {
    fn from(text: &Str) -> Str {
        text.clone()
    }
}

impl From<Str> for String {
    fn from(text: Str) -> String {
        text.as_str().to_owned()
    }
}

impl From<&Str> for String {
    fn from(text: &Str) -> String {
        text.as_str().to_owned()
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Str {}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Str {
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_reads_its_range_and_compares_as_text() {
        let buffer: Arc<str> = Arc::from(r#"{"k":"value"}"#);
        let s = Str::slice(&buffer, 6, 11);
        assert_eq!(s, "value");
        assert!(s.is_slice_of_more());
        let d = s.detached();
        assert_eq!(d, s);
        assert!(!d.is_slice_of_more());
        assert_eq!(Str::from("value"), s);
        assert_eq!(Str::from_static("value").cmp(&s), std::cmp::Ordering::Equal);
    }

    #[test]
    fn a_range_off_a_character_boundary_is_copied_not_trusted() {
        let buffer: Arc<str> = Arc::from("é");
        let s = Str::slice(&buffer, 0, 1);
        assert_eq!(s, "");
        assert_eq!(Str::slice(&buffer, 0, 9), "");
    }
}
