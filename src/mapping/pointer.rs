//! RFC 6901 JSON Pointers over `serde_json::Value`: read, write (creating
//! what is missing), remove, join, walk. Public so that mapper authors
//! (the built-in vendors included) use the same helpers as the engine.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value};

/// The unescaped reference tokens of `pointer` (`""` is the whole document).
/// A token without `~` is borrowed from `pointer`.
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    pointer.split('/').skip(1).map(unescape)
}

/// One reference token with `~1` and `~0` undone.
fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// An array index as RFC 6901 spells it: digits, no sign, no leading zero.
pub(crate) fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// The value at `pointer`, if any.
pub fn get<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return None;
    }
    let mut current = value;
    for token in tokens(pointer) {
        current = match current {
            Value::Object(map) => map.get(token.as_ref())?,
            Value::Array(items) => items.get(index(&token)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Writes `new` at `pointer`, creating what is missing on the way: an
/// array where the next token is an index (`0`, `-`), else an object. An
/// index one past the end appends. Returns false when a scalar is in the way
/// or an index is out of reach.
pub fn set(root: &mut Value, pointer: &str, new: Value) -> bool {
    let mut current = root;
    for token in tokens(pointer) {
        if current.is_null() {
            let is_index = token == "-" || token.parse::<usize>().is_ok();
            *current = if is_index { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
        }
        current = match current {
            Value::Object(map) => {
                if !map.contains_key(token.as_ref()) {
                    map.insert(token.clone().into_owned(), Value::Null);
                }
                match map.get_mut(token.as_ref()) {
                    Some(slot) => slot,
                    None => return false,
                }
            }
            Value::Array(items) => {
                let index =
                    if token == "-" { Some(items.len()) } else { token.parse::<usize>().ok() };
                match index {
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
                }
            }
            _ => return false,
        };
    }
    *current = new;
    true
}

/// Removes and returns the member at `pointer` (object members only; array
/// elements are kept in place so that positions stay stable).
pub fn take(root: &mut Value, pointer: &str) -> Option<Value> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let mut current = root;
    for token in tokens(parent) {
        current = match current {
            Value::Object(map) => map.get_mut(token.as_ref())?,
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match current {
        Value::Object(map) => map.remove(unescape(last).as_ref()),
        _ => None,
    }
}

/// Appends a reference token to a pointer.
pub fn join(base: &str, token: impl std::fmt::Display) -> String {
    let mut out = String::with_capacity(base.len().saturating_add(24));
    out.push_str(base);
    push(&mut out, token);
    out
}

/// Appends `/token` (escaped) to a pointer buffer: for walks that push a
/// token, recurse and truncate back, allocating once for the whole walk.
pub fn push(path: &mut String, token: impl std::fmt::Display) {
    path.push('/');
    let start = path.len();
    // Writing to a String cannot fail.
    let _ = write!(path, "{token}");
    if path.get(start..).is_some_and(|t| t.contains(['~', '/'])) {
        let escaped = path.get(start..).unwrap_or_default().replace('~', "~0").replace('/', "~1");
        path.truncate(start);
        path.push_str(&escaped);
    }
}

/// True when `prefix` is `pointer` or one of its ancestors.
pub fn covers(prefix: &str, pointer: &str) -> bool {
    pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// Deep-merges `extra` into `base`: objects member by member, arrays element
/// by element; where both hold a scalar, `base` wins.
pub fn merge(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(e)) => {
            for (i, v) in e.into_iter().enumerate() {
                match b.get_mut(i) {
                    Some(existing) => merge(existing, v),
                    None => b.push(v),
                }
            }
        }
        (b @ Value::Null, e) => *b = e,
        _ => {}
    }
}

/// Lays `top` over `base`: objects member by member, arrays element by
/// element; where both hold a value, `top` wins unless it is null. The
/// result is [`merge`]`(top, base)`'s, but the walk goes over `top` only:
/// cheap when `base` is the large one.
pub fn overlay(base: &mut Value, top: Value) {
    match (base, top) {
        (_, Value::Null) => {}
        (Value::Object(b), Value::Object(t)) => {
            for (k, v) in t {
                match b.get_mut(&k) {
                    Some(existing) => overlay(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(t)) => {
            for (i, v) in t.into_iter().enumerate() {
                match b.get_mut(i) {
                    Some(existing) => overlay(existing, v),
                    None => b.push(v),
                }
            }
        }
        (b, t) => *b = t,
    }
}

/// Every leaf (scalar, empty object, empty array) of `value` with its pointer.
pub fn leaves(value: &Value, base: &str, out: &mut Vec<String>) {
    let mut path = String::from(base);
    leaves_at(value, &mut path, None, out);
}

/// [`leaves`], but not below `skip` (a pointer whose subtree is not walked).
pub fn leaves_except(value: &Value, skip: &str, out: &mut Vec<String>) {
    let mut path = String::new();
    leaves_at(value, &mut path, Some(skip), out);
}

fn leaves_at(value: &Value, path: &mut String, skip: Option<&str>, out: &mut Vec<String>) {
    if skip == Some(path.as_str()) {
        return;
    }
    let mark = path.len();
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                push(path, k);
                leaves_at(v, path, skip, out);
                path.truncate(mark);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                push(path, i);
                leaves_at(v, path, skip, out);
                path.truncate(mark);
            }
        }
        Value::Null => {}
        _ => out.push(path.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_creates_the_way_and_take_removes() {
        let mut v = Value::Null;
        assert!(set(&mut v, "/list/0/x", json!(1)));
        assert_eq!(v, json!({"list": [{"x": 1}]}));
        let mut v = Value::Null;
        assert!(set(&mut v, "/a/b", json!(1)));
        assert!(set(&mut v, "/a/list", json!([])));
        assert!(set(&mut v, "/a/list/0", json!("x")));
        assert!(set(&mut v, "/a/list/-", json!("y")));
        assert_eq!(v, json!({"a": {"b": 1, "list": ["x", "y"]}}));
        assert_eq!(take(&mut v, "/a/b"), Some(json!(1)));
        assert_eq!(take(&mut v, "/a/missing"), None);
        assert_eq!(v, json!({"a": {"list": ["x", "y"]}}));
        assert!(!set(&mut v, "/a/list/9", json!(0)));
    }

    #[test]
    fn overlay_is_merge_walked_from_the_other_side() {
        let cases = [
            (json!({"x": 1, "o": {"p": 1}, "l": [{"a": 1}]}), json!({"x": 2, "o": {"q": 2}, "l": [{"b": 2}, {"c": 3}], "n": null})),
            (json!({"a": null, "b": {"c": 1}}), json!({"a": {"d": 2}, "b": null, "e": [1, 2]})),
            (json!({"a": [1, null, 3]}), json!({"a": [null, 2], "b": "s"})),
            (json!({"a": {"b": 1}}), json!({"a": "scalar"})),
            (json!({"a": "scalar"}), json!({"a": {"b": 1}})),
            (json!([1, {"a": 1}]), json!("not an object")),
            (json!(null), json!({"a": 1})),
        ];
        for (top, base) in cases {
            let mut merged = top.clone();
            merge(&mut merged, base.clone());
            let mut laid = base.clone();
            overlay(&mut laid, top.clone());
            assert_eq!(laid, merged, "top {top}, base {base}");
        }
    }

    #[test]
    fn merge_and_cover() {
        let mut a = json!({"x": 1, "o": {"p": 1}, "l": [{"a": 1}]});
        merge(&mut a, json!({"x": 2, "o": {"q": 2}, "l": [{"b": 2}, {"c": 3}], "n": null}));
        assert_eq!(
            a,
            json!({"x": 1, "o": {"p": 1, "q": 2}, "l": [{"a": 1, "b": 2}, {"c": 3}], "n": null})
        );
        assert!(covers("/lines", "/lines/0/x"));
        assert!(!covers("/line", "/lines/0"));
        assert_eq!(join("/a", "b/c~"), "/a/b~1c~0");
    }
}
