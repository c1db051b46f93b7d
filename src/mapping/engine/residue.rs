//! The residue: what the rules did not consume, kept under `extensions.<vendor>`, and its notes.

use super::*;

/// What the rules of a mapping file made of a vendor payload, before the
/// residue is built: the canonical values and losses, which Rust glue may
/// add to, and what [`DeclarativeMapper::finish`] needs for the residue.
///
/// Made by [`DeclarativeMapper::forward_rules`] (which records what the
/// rules consumed) or [`DeclarativeMapper::forward_values`] (which does
/// not: its residue would be the whole payload).
#[derive(Debug)]
#[non_exhaustive]
pub struct ForwardRun {
    /// The canonical record so far (no residue yet).
    pub canonical: Value,
    /// The losses so far.
    pub losses: Vec<Loss>,
    pub(super) consumed: HashSet<String>,
    pub(super) alternatives: Map,
    pub(super) defaulted: Vec<Value>,
    pub(super) collected: Map,
    pub(super) absent: Vec<Value>,
    pub(super) items: Map,
}

impl ForwardRun {
    /// Keeps the vendor value at `pointer` (and everything below it) in the
    /// residue although a rule read it: for glue that replaces the
    /// canonical value the rule wrote.
    pub fn keep(&mut self, pointer: &str) {
        self.consumed.retain(|c| !covers(pointer, c));
    }
}

/// The vendor payload [`DeclarativeMapper::finish`] takes the residue from:
/// copied out of a borrowed one, moved out of an owned one.
#[derive(Debug)]
pub enum Payload<'a> {
    /// The caller keeps the payload.
    Borrowed(&'a Value),
    /// The payload is the mapper's to take apart.
    Owned(Value),
}

/// The part of the payload not consumed: what goes under
/// `extensions.<vendor>`. `None` when everything was consumed.
///
/// The consumed pointers become a tree of tokens, and only that tree is
/// walked: the payload's other members are never visited (an owned payload
/// is pruned in place; a borrowed one is cloned first).
pub(super) fn residue(vendor: Payload<'_>, consumed: &HashSet<String>) -> Option<Value> {
    let mut tree = Consumed::default();
    for c in consumed {
        let mut node = &mut tree;
        for token in pointer::tokens(c) {
            node = node.children.entry(token).or_default();
        }
        node.here = true;
    }
    let mut value = match vendor {
        Payload::Borrowed(v) => v.clone(),
        Payload::Owned(v) => v,
    };
    tree.prune(&mut value).then_some(value)
}

/// The consumed pointers as a tree of reference tokens.
#[derive(Default)]
pub(super) struct Consumed<'c> {
    /// The value here was consumed whole.
    pub(super) here: bool,
    pub(super) children: BTreeMap<std::borrow::Cow<'c, str>, Consumed<'c>>,
}

impl Consumed<'_> {
    /// Removes the consumed parts of `value` in place; false when nothing
    /// is left of it. An array element consumed whole leaves an empty object
    /// in its place, so that the positions of the others stay.
    pub(super) fn prune(&self, value: &mut Value) -> bool {
        if self.here {
            return false;
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (token, node) in &self.children {
                    if let Some(member) = map.get_mut(token.as_ref())
                        && !node.prune(member)
                    {
                        map.remove(token.as_ref());
                    }
                }
                !map.is_empty()
            }
            Value::Array(items) if !items.is_empty() => {
                let mut emptied = 0usize;
                for (token, node) in &self.children {
                    if let Some(item) = pointer::index(token).and_then(|i| items.get_mut(i))
                        && !node.prune(item)
                    {
                        *item = Value::Object(Map::new());
                        emptied = emptied.saturating_add(1);
                    }
                }
                emptied < items.len()
            }
            _ => true,
        }
    }
}

/// The id of an item an `each` rule made (its `id` member, when a
/// string), or null.
pub(super) fn item_id(item: &Value) -> Value {
    item.get("id").filter(|id| id.is_string()).cloned().unwrap_or(Value::Null)
}

/// `key` with the item index just below `base` changed as `moved` says
/// (old index, new index); `None` for a key below an item that is gone.
/// Keys not below `base` are returned as they are.
pub(super) fn renumber(key: &str, base: &str, moved: &[(usize, usize)]) -> Option<String> {
    let Some(rest) = key.strip_prefix(base).and_then(|r| r.strip_prefix('/')) else {
        return Some(key.to_owned());
    };
    let (token, tail) = match rest.split_once('/') {
        Some((token, tail)) => (token, Some(tail)),
        None => (rest, None),
    };
    let Some(old) = pointer::index(token) else { return Some(key.to_owned()) };
    let (_, new) = moved.iter().find(|(o, _)| *o == old)?;
    let mut out = String::with_capacity(key.len());
    out.push_str(base);
    pointer::push_index(&mut out, *new);
    if let Some(tail) = tail {
        out.push('/');
        out.push_str(tail);
    }
    Some(out)
}

/// Makes room for the mappers' notes in a residue: a vendor member whose
/// name begins with `$` (the notes' prefix) is kept with one more `$`.
pub(super) fn escape_notes(residue: &mut Map) {
    let clashing: Vec<crate::json::Str> =
        residue.keys().filter(|k| k.starts_with('$')).cloned().collect();
    for key in clashing {
        if let Some(v) = residue.remove(&key) {
            residue.insert(format!("${key}"), v);
        }
    }
}

/// Undoes [`escape_notes`] once the notes are taken out: `$$x` is the
/// vendor member `$x`. Other members whose name begins with a single `$`
/// are left as they are.
pub(super) fn unescape_notes(residue: &mut Map) {
    let escaped: Vec<crate::json::Str> =
        residue.keys().filter(|k| k.starts_with("$$")).cloned().collect();
    for key in escaped {
        if let Some(v) = residue.remove(&key) {
            residue.insert(key.get(1..).unwrap_or_default().to_owned(), v);
        }
    }
}
