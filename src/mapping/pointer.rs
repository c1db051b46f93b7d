//! RFC 6901 JSON Pointers over `serde_json::Value`: read, write (creating
//! what is missing), remove, join, walk. Public so that mapper authors
//! (the built-in vendors included) use the same helpers as the engine.

use serde_json::{Map, Value};

/// The unescaped reference tokens of `pointer` (`""` is the whole document).
pub fn tokens(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~"))
}

/// The value at `pointer`, if any.
pub fn get<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    value.pointer(pointer)
}

/// Writes `new` at `pointer`, creating what is missing on the way: an
/// array where the next token is an index (`0`, `-`), else an object. An
/// index one past the end appends. Returns false when a scalar is in the way
/// or an index is out of reach.
pub fn set(root: &mut Value, pointer: &str, new: Value) -> bool {
    let tokens: Vec<String> = tokens(pointer).collect();
    let mut current = root;
    for token in &tokens {
        if current.is_null() {
            let is_index = token == "-" || token.parse::<usize>().is_ok();
            *current = if is_index { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
        }
        current = match current {
            Value::Object(map) => map.entry(token.clone()).or_insert(Value::Null),
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
    let tokens: Vec<String> = tokens(pointer).collect();
    let (last, parents) = tokens.split_last()?;
    let mut current = root;
    for token in parents {
        current = match current {
            Value::Object(map) => map.get_mut(token)?,
            Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match current {
        Value::Object(map) => map.remove(last),
        _ => None,
    }
}

/// Appends a reference token to a pointer.
pub fn join(base: &str, token: impl std::fmt::Display) -> String {
    let token = token.to_string().replace('~', "~0").replace('/', "~1");
    format!("{base}/{token}")
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

/// Every leaf (scalar, empty object, empty array) of `value` with its pointer.
pub fn leaves(value: &Value, base: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                leaves(v, &join(base, k), out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, v) in items.iter().enumerate() {
                leaves(v, &join(base, i), out);
            }
        }
        Value::Null => {}
        _ => out.push(base.to_owned()),
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
