//! Pointers split once: every JSON Pointer of a mapping file is parsed into
//! its reference tokens when the file loads, and the rules read and write
//! the trees through those tokens (no pointer text is split per record).
//!
//! [`Path::get`] reads as [`pointer::get`] does and [`Path::set`] writes as
//! [`pointer::set`] does, token for token (the unit tests below hold them
//! to it).

use std::sync::Arc;

use super::pointer;
use crate::json::{Map, Value};

/// One reference token, unescaped, with the readings of it the walks need.
#[derive(Debug, Clone)]
pub(super) struct Token {
    /// The token with `~1` and `~0` undone: a member name.
    pub(super) name: Arc<str>,
    /// The array index it names when read (RFC 6901: digits, no sign, no
    /// leading zero).
    pub(super) index: Option<usize>,
    /// The array position it names when written ([`pointer::set`] reads
    /// any `usize`), `-` aside.
    slot: Option<usize>,
    /// `-`: one past the end of an array, when written.
    dash: bool,
}

impl Token {
    fn new(name: &str) -> Token {
        Token {
            name: Arc::from(name),
            index: pointer::index(name),
            slot: name.parse::<usize>().ok(),
            dash: name == "-",
        }
    }

    /// The position this token names in an array of `len` items, written.
    fn slot_in(&self, len: usize) -> Option<usize> {
        if self.dash { Some(len) } else { self.slot }
    }

    /// True when the token names an array position on a write (`0`, `-`).
    fn is_index(&self) -> bool {
        self.dash || self.slot.is_some()
    }
}

/// A JSON Pointer of a mapping file, split once: its text (for messages,
/// loss paths and notes) and its tokens (for the walks).
#[derive(Debug, Clone)]
pub(super) struct Path {
    text: String,
    tokens: Vec<Token>,
    /// False for text that is not a pointer (no leading `/`): it reads as
    /// nothing, as [`pointer::get`] reads it.
    valid: bool,
}

impl Path {
    /// `text` split into its tokens.
    pub(super) fn new(text: &str) -> Path {
        Path {
            text: text.to_owned(),
            tokens: pointer::tokens(text).map(|t| Token::new(&t)).collect(),
            valid: text.is_empty() || text.starts_with('/'),
        }
    }

    /// The pointer as written in the file.
    pub(super) fn as_str(&self) -> &str {
        &self.text
    }

    /// The reference tokens.
    pub(super) fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The value at this pointer in `value`, as [`pointer::get`] finds it.
    pub(super) fn get<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        if !self.valid {
            return None;
        }
        get(value, &self.tokens)
    }

    /// Writes `new` here in `root` as [`pointer::set`] does; false (and
    /// `root` unchanged) when the place cannot be reached.
    pub(super) fn set(&self, root: &mut Value, new: Value) -> bool {
        set(root, &self.tokens, new)
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Path) -> bool {
        self.text == other.text
    }
}

/// The member or item `token` names in `value`, read.
pub(super) fn child<'v>(value: &'v Value, token: &Token) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(&token.name),
        Value::Array(items) => items.get(token.index?),
        _ => None,
    }
}

/// The value `tokens` lead to from `value`.
pub(super) fn get<'v>(value: &'v Value, tokens: &[Token]) -> Option<&'v Value> {
    let mut current = value;
    for token in tokens {
        current = child(current, token)?;
    }
    Some(current)
}

/// The value `tokens` lead to from `value`, to change in place.
pub(super) fn get_mut<'v>(value: &'v mut Value, tokens: &[Token]) -> Option<&'v mut Value> {
    let mut current = value;
    for token in tokens {
        current = match current {
            Value::Object(map) => map.get_mut(&token.name)?,
            Value::Array(items) => items.get_mut(token.index?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// [`pointer::set`] over split tokens: creates what is missing on the way
/// (an array where the token is an index, else an object); false when a
/// scalar is in the way or an index is out of reach, and then nothing is
/// created.
pub(super) fn set(root: &mut Value, tokens: &[Token], new: Value) -> bool {
    let mut current = root;
    let mut creating = false;
    for (depth, token) in tokens.iter().enumerate() {
        if !creating && !enters_existing(current, token) {
            if !creatable(current, tokens.get(depth..).unwrap_or_default()) {
                return false;
            }
            creating = true;
        }
        if current.is_null() {
            *current =
                if token.is_index() { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
        }
        current = match current {
            Value::Object(map) => {
                if creating {
                    map.entry(&*token.name).or_insert(Value::Null)
                } else {
                    match map.get_mut(&token.name) {
                        Some(slot) => slot,
                        None => return false,
                    }
                }
            }
            Value::Array(items) => match token.slot_in(items.len()) {
                Some(i) if i == items.len() => {
                    items.push(Value::Null);
                    match items.last_mut() {
                        Some(slot) => slot,
                        None => return false,
                    }
                }
                Some(i) => match items.get_mut(i) {
                    Some(slot) => slot,
                    None => return false,
                },
                None => return false,
            },
            _ => return false,
        };
    }
    *current = new;
    true
}

/// True when `token` names a value that is already in `value`.
fn enters_existing(value: &Value, token: &Token) -> bool {
    match value {
        Value::Object(map) => map.contains_key(&token.name),
        Value::Array(items) => token.slot.is_some_and(|i| i < items.len()),
        _ => false,
    }
}

/// True when [`set`] can create the way `rest` from `start`, where the
/// value the first token names is missing (see `pointer::creatable`).
fn creatable(start: &Value, rest: &[Token]) -> bool {
    let mut current = Some(start);
    for token in rest {
        current = match current {
            None | Some(Value::Null) => match token.slot {
                Some(0) | None => None,
                Some(_) => return false,
            },
            Some(Value::Object(map)) => map.get(&token.name),
            Some(Value::Array(items)) => match token.slot_in(items.len()) {
                Some(i) if i < items.len() => items.get(i),
                Some(i) if i == items.len() => None,
                _ => return false,
            },
            Some(_) => return false,
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn split_pointers_read_and_write_as_the_text_ones() {
        let docs = [
            json!({"a": {"list": ["x"]}, "s": "scalar", "n": null, "b/c": [1, 2], "e": {}}),
            json!(null),
            json!([1, {"a": 1}]),
        ];
        let pointers = [
            "",
            "/a",
            "/a/list",
            "/a/list/0",
            "/a/list/1",
            "/a/list/-",
            "/a/list/01",
            "/a/list/+0",
            "/new/1/x",
            "/new/0/x",
            "/new/-/x",
            "/a/list/2",
            "/a/list/-/0/1",
            "/s/x",
            "/n/3",
            "/n/0/x",
            "/b~1c/1",
            "/e/x~0y",
            "/0",
            "/1/a",
            "/-",
            "x",
        ];
        for doc in &docs {
            for p in pointers {
                let path = Path::new(p);
                assert_eq!(path.get(doc), pointer::get(doc, p), "get {p} in {doc}");
                let (mut a, mut b) = (doc.clone(), doc.clone());
                if p.is_empty() || p.starts_with('/') {
                    let (sa, sb) = (path.set(&mut a, json!(7)), pointer::set(&mut b, p, json!(7)));
                    assert_eq!((sa, &a), (sb, &b), "set {p} in {doc}");
                }
            }
        }
    }
}
