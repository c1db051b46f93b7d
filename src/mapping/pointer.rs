//! RFC 6901 JSON Pointers over `serde_json::Value`: read, write (creating
//! what is missing), remove, join, walk. Public so that mapper authors
//! (the built-in vendors included) use the same helpers as the engine.

use std::borrow::Cow;

use crate::json::{Map, Value};

/// The unescaped reference tokens of `pointer` (`""` is the whole document).
/// A token without `~` is borrowed from `pointer`.
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    // What precedes the first `/` is not a token (it is empty in a valid
    // pointer). Tokens are short: a byte loop beats a searcher here.
    let mut rest =
        pointer.bytes().position(|b| b == b'/').and_then(|i| pointer.get(i.saturating_add(1)..));
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == b'/') {
            Some(i) => {
                rest = current.get(i.saturating_add(1)..);
                current.get(..i)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
    .map(unescape)
}

/// One reference token with `~1` and `~0` undone.
fn unescape(token: &str) -> Cow<'_, str> {
    if token.as_bytes().contains(&b'~') {
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
        current = child(current, &token)?;
    }
    Some(current)
}

/// The member or item one unescaped reference `token` names in `value`.
pub fn child<'v>(value: &'v Value, token: &str) -> Option<&'v Value> {
    match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(index(token)?),
        _ => None,
    }
}

/// The position `token` names in an array of `len` items as [`set`] reads
/// it: `-` is one past the end.
fn slot(token: &str, len: usize) -> Option<usize> {
    if token == "-" { Some(len) } else { token.parse::<usize>().ok() }
}

/// The value at `pointer`, if any, to change in place.
pub fn get_mut<'v>(value: &'v mut Value, pointer: &str) -> Option<&'v mut Value> {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return None;
    }
    let mut current = value;
    for token in tokens(pointer) {
        current = match current {
            Value::Object(map) => map.get_mut(token.as_ref())?,
            Value::Array(items) => items.get_mut(index(&token)?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Writes `new` at `pointer`, creating what is missing on the way: an
/// array where the next token is an index (`0`, `-`), else an object. An
/// index one past the end appends. Returns false when a scalar is in the way
/// or an index is out of reach; then `root` is left as it was (nothing is
/// created on the way).
pub fn set(root: &mut Value, pointer: &str, new: Value) -> bool {
    let mut current = root;
    // Below the first missing value everything is created, so the rest of
    // the way is checked once, there, before anything is created.
    let mut creating = false;
    for (depth, token) in tokens(pointer).enumerate() {
        if !creating && !enters_existing(current, &token) {
            if !creatable(current, tokens(pointer).skip(depth)) {
                return false;
            }
            creating = true;
        }
        if current.is_null() {
            let is_index = token == "-" || token.parse::<usize>().is_ok();
            *current = if is_index { Value::Array(Vec::new()) } else { Value::Object(Map::new()) };
        }
        current = match current {
            Value::Object(map) => {
                if creating {
                    map.entry(token.into_owned()).or_insert(Value::Null)
                } else {
                    match map.get_mut(token.as_ref()) {
                        Some(slot) => slot,
                        None => return false,
                    }
                }
            }
            Value::Array(items) => {
                let index = slot(&token, items.len());
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

/// True when `token` names a value that is already in `value`.
fn enters_existing(value: &Value, token: &str) -> bool {
    match value {
        Value::Object(map) => map.contains_key(token),
        Value::Array(items) => token.parse::<usize>().is_ok_and(|i| i < items.len()),
        _ => false,
    }
}

/// True when [`set`] can create the way `rest` from `start`, where the
/// value the first token names is missing: `start` is an object, an array
/// entered one past its end (or at `-`), or a null; below it each array
/// `set` would create is entered at `0` or `-`.
fn creatable<'p>(start: &Value, rest: impl Iterator<Item = Cow<'p, str>>) -> bool {
    // `None`: a value `set` would create (a null it finds counts the same).
    let mut current = Some(start);
    for token in rest {
        current = match current {
            None | Some(Value::Null) => {
                // `set` creates an array for an index token, and an empty
                // array is entered only at 0 or -.
                match token.parse::<usize>() {
                    Ok(0) | Err(_) => None,
                    Ok(_) => return false,
                }
            }
            Some(Value::Object(map)) => map.get(token.as_ref()),
            Some(Value::Array(items)) => {
                let index = slot(&token, items.len());
                match index {
                    Some(i) if i < items.len() => items.get(i),
                    Some(i) if i == items.len() => None,
                    _ => return false,
                }
            }
            Some(_) => return false,
        };
    }
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
    let token = token.to_string();
    let mut out = String::with_capacity(base.len().saturating_add(token.len()).saturating_add(1));
    out.push_str(base);
    push(&mut out, &token);
    out
}

/// Appends `/token` (escaped) to a pointer buffer: for walks that push a
/// token, recurse and truncate back, allocating once for the whole walk.
pub fn push(path: &mut String, token: &str) {
    path.push('/');
    if token.contains(['~', '/']) {
        for c in token.chars() {
            match c {
                '~' => path.push_str("~0"),
                '/' => path.push_str("~1"),
                c => path.push(c),
            }
        }
    } else {
        path.push_str(token);
    }
}

/// The JSON Pointer of a place serde_path_to_error names (where a
/// deserialization failed).
pub fn from_serde_path(path: &serde_path_to_error::Path) -> String {
    crate::validate::pointer_from_serde_path(path)
}

/// Appends `/index` to a pointer buffer.
pub fn push_index(path: &mut String, index: usize) {
    path.push('/');
    let mut digits = [0u8; 20];
    let mut n = index;
    let mut start = digits.len();
    loop {
        start = start.saturating_sub(1);
        if let Some(d) = digits.get_mut(start) {
            // `n % 10` is a single digit.
            *d = b'0'.saturating_add(u8::try_from(n % 10).unwrap_or(0));
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    if let Some(Ok(text)) = digits.get(start..).map(std::str::from_utf8) {
        path.push_str(text);
    }
}

/// True when `prefix` is `pointer` or one of its ancestors.
pub fn covers(prefix: &str, pointer: &str) -> bool {
    pointer == prefix
        || (pointer.starts_with(prefix) && pointer.as_bytes().get(prefix.len()) == Some(&b'/'))
}

/// Deep-merges `extra` into `base`: objects member by member, arrays element
/// by element; where both hold a scalar, `base` wins.
pub fn merge(base: &mut Value, mut extra: Value) {
    match (base, &mut extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in std::mem::take(e) {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(e)) => {
            for (i, v) in std::mem::take(e).into_iter().enumerate() {
                match b.get_mut(i) {
                    Some(existing) => merge(existing, v),
                    None => b.push(v),
                }
            }
        }
        (b @ Value::Null, e) => *b = std::mem::take(e),
        _ => {}
    }
}

/// Lays `top` over `base`: objects member by member, arrays element by
/// element; where both hold a value, `top` wins unless it is null. The
/// result is [`merge`]`(top, base)`'s, but the walk goes over `top` only:
/// cheap when `base` is the large one.
pub fn overlay(base: &mut Value, mut top: Value) {
    match (base, &mut top) {
        (_, Value::Null) => {}
        (Value::Object(b), Value::Object(t)) => {
            for (k, v) in std::mem::take(t) {
                match b.get_mut(&k) {
                    Some(existing) => overlay(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(t)) => {
            for (i, v) in std::mem::take(t).into_iter().enumerate() {
                match b.get_mut(i) {
                    Some(existing) => overlay(existing, v),
                    None => b.push(v),
                }
            }
        }
        (b, t) => *b = std::mem::take(t),
    }
}

/// Every leaf (scalar, empty object, empty array) of `value` with its pointer.
pub fn leaves(value: &Value, base: &str, out: &mut Vec<String>) {
    let mut path = String::from(base);
    leaves_at(value, &mut path, &|_| false, out);
}

/// [`leaves`] from the root, but not at or below any pointer `skip` accepts
/// (a subtree already accounted for is not walked).
pub fn leaves_except(value: &Value, skip: &dyn Fn(&str) -> bool, out: &mut Vec<String>) {
    let mut path = String::new();
    leaves_at(value, &mut path, skip, out);
}

fn leaves_at(value: &Value, path: &mut String, skip: &dyn Fn(&str) -> bool, out: &mut Vec<String>) {
    if skip(path) {
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
                push_index(path, i);
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
    use crate::json;

    proptest::proptest! {
        /// The tokens are what splitting at every `/` after the first and
        /// unescaping gives, for any text.
        #[test]
        fn tokens_are_the_split_and_unescaped_text(p in "[a/~01é]{0,12}") {
            let ours: Vec<String> = tokens(&p).map(Cow::into_owned).collect();
            let split: Vec<String> = p.split('/').skip(1).map(|t| unescape(t).into_owned()).collect();
            proptest::prop_assert_eq!(ours, split);
        }
    }

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
    fn a_set_that_cannot_reach_its_place_changes_nothing() {
        let before = json!({"a": {"list": ["x"]}, "s": "scalar", "n": null});
        for pointer in ["/new/1/x", "/a/list/2", "/a/list/-/0/1", "/s/x", "/a/list/0/y", "/n/3"] {
            let mut v = before.clone();
            assert!(!set(&mut v, pointer, json!(1)), "{pointer}");
            assert_eq!(v, before, "{pointer}");
        }
        let mut v = before.clone();
        assert!(set(&mut v, "/n/0/x", json!(1)));
        assert!(set(&mut v, "/a/list/1", json!("y")));
        assert_eq!(v, json!({"a": {"list": ["x", "y"]}, "s": "scalar", "n": [{"x": 1}]}));
    }

    #[test]
    fn overlay_is_merge_walked_from_the_other_side() {
        let cases = [
            (
                json!({"x": 1, "o": {"p": 1}, "l": [{"a": 1}]}),
                json!({"x": 2, "o": {"q": 2}, "l": [{"b": 2}, {"c": 3}], "n": null}),
            ),
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
    fn pushed_tokens_are_escaped_and_indexes_written_in_full() {
        let mut path = String::from("/a");
        push(&mut path, "b/c~d");
        push_index(&mut path, 0);
        push_index(&mut path, 1_234_567);
        push_index(&mut path, usize::MAX);
        assert_eq!(path, format!("/a/b~1c~0d/0/1234567/{}", usize::MAX));
        assert_eq!(join("/x", "y~"), "/x/y~0");
        assert_eq!(get(&json!({"b/c": [1, 2]}), "/b~1c/1"), Some(&json!(2)));
        assert_eq!(get(&json!([1, 2]), "/01"), None);
        assert_eq!(get(&json!({"a": 1}), "a"), None);
    }

    #[test]
    fn take_unescapes_the_last_token_and_a_failed_deserialization_is_placed() {
        let mut v = json!({"a/b": {"c~d": 1, "e": 2}});
        assert_eq!(take(&mut v, "/a~1b/c~0d"), Some(json!(1)));
        assert_eq!(v, json!({"a/b": {"e": 2}}));
        let text = r#"{"lines": [{"ok": 1}, {"a/b": "x"}]}"#;
        #[derive(Debug, serde::Deserialize)]
        struct Doc {
            #[allow(dead_code)]
            lines: Vec<std::collections::BTreeMap<String, u8>>,
        }
        let err = serde_path_to_error::deserialize::<_, Doc>(
            &mut serde_json::Deserializer::from_str(text),
        )
        .unwrap_err();
        assert_eq!(from_serde_path(err.path()), "/lines/1/a~1b");
    }

    #[test]
    fn leaves_skip_what_is_accounted_for() {
        let v = json!({"a": {"b": 1, "c": [1, {}]}, "d": null, "e": "x", "f": {"g": 2}});
        let mut all = Vec::new();
        leaves(&v, "", &mut all);
        assert_eq!(all, ["/a/b", "/a/c/0", "/a/c/1", "/e", "/f/g"]);
        let mut some = Vec::new();
        leaves_except(&v, &|p| p == "/a/c" || p == "/f", &mut some);
        assert_eq!(some, ["/a/b", "/e"]);
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
