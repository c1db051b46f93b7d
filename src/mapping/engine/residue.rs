//! The residue: what the rules did not consume, kept under `extensions.<vendor>`, and its notes.

use super::*;
use path::Token;

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
    pub(super) consumed: Consumed,
    pub(super) alternatives: Map,
    pub(super) defaulted: Vec<Value>,
    pub(super) collected: Map,
    pub(super) absent: Vec<Value>,
    pub(super) items: Map,
    pub(super) cases: Map,
    /// The payload with its joins made, when the file has joins: what the
    /// rules read, and the residue is taken from.
    pub(super) joined: Option<Value>,
}

impl ForwardRun {
    /// Keeps the vendor value at `pointer` (and everything below it) in the
    /// residue although a rule read it: for glue that replaces the
    /// canonical value the rule wrote.
    pub fn keep(&mut self, pointer: &str) {
        self.consumed.unmark(pointer);
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
/// Only the consumed tree is walked: the payload's other members are never
/// visited. An owned payload is pruned in place; of a borrowed one only
/// what is left is copied.
pub(super) fn residue(vendor: Payload<'_>, consumed: &Consumed) -> Option<Value> {
    match vendor {
        Payload::Borrowed(v) => consumed.copy(v),
        Payload::Owned(mut v) => consumed.prune(&mut v).then_some(v),
    }
}

/// A step from a vendor value to one inside it: a member name (shared with
/// the rule's split pointer, so recording it allocates nothing) or the
/// index of an item an `each` rule walked.
#[derive(Debug, Clone)]
pub(super) enum Key {
    /// A member name, or an index written as a rule's pointer token.
    Name(Arc<str>),
    /// An item's position.
    Index(usize),
}

impl Key {
    /// True when the key names the same place as the unescaped token `t`
    /// (`0` and item 0 are one place, as in the pointers' text).
    fn is(&self, t: &str) -> bool {
        match self {
            Key::Name(n) => **n == *t,
            Key::Index(i) => pointer::index(t) == Some(*i),
        }
    }

    fn same(&self, other: &Key) -> bool {
        match (self, other) {
            (Key::Index(a), Key::Index(b)) => a == b,
            (_, Key::Name(n)) => self.is(n),
            (Key::Name(n), Key::Index(_)) => other.is(n),
        }
    }

    /// The array position the key names, if any.
    fn index(&self) -> Option<usize> {
        match self {
            Key::Name(n) => pointer::index(n),
            Key::Index(i) => Some(*i),
        }
    }

    /// The member name the key names.
    fn name(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Key::Name(n) => std::borrow::Cow::Borrowed(n),
            Key::Index(i) => std::borrow::Cow::Owned(i.to_string()),
        }
    }
}

impl From<&Token> for Key {
    fn from(t: &Token) -> Key {
        Key::Name(Arc::clone(&t.name))
    }
}

/// What the rules consumed, as a tree of the steps into the payload.
#[derive(Debug, Default)]
pub(super) struct Consumed {
    /// The value here was consumed whole.
    here: bool,
    children: Vec<(Key, Consumed)>,
}

impl Consumed {
    /// The node `key` leads to, made when missing.
    fn step(&mut self, key: Key) -> Option<&mut Consumed> {
        let at = match self.children.iter().position(|(k, _)| k.same(&key)) {
            Some(i) => i,
            None => {
                self.children.push((key, Consumed::default()));
                self.children.len().saturating_sub(1)
            }
        };
        self.children.get_mut(at).map(|(_, node)| node)
    }

    /// Records the value `base` then `rel` lead to as consumed.
    pub(super) fn mark(&mut self, base: &[Key], rel: &[Token]) {
        let mut node = self;
        for key in base.iter().cloned().chain(rel.iter().map(Key::from)) {
            let Some(next) = node.step(key) else { return };
            node = next;
        }
        node.here = true;
    }

    /// The node the pointer `at` leads to, if anything was recorded there.
    fn find_mut(&mut self, at: &str) -> Option<&mut Consumed> {
        let mut node = self;
        for token in pointer::tokens(at) {
            node = node.children.iter_mut().find(|(k, _)| k.is(&token)).map(|(_, n)| n)?;
        }
        Some(node)
    }

    /// True when the value at `at` was consumed as such (not only what is
    /// inside it).
    pub(super) fn contains(&mut self, at: &str) -> bool {
        self.find_mut(at).is_some_and(|n| n.here)
    }

    /// Forgets what was consumed at and below `at`: it stays in the
    /// residue.
    pub(super) fn unmark(&mut self, at: &str) {
        if let Some(node) = self.find_mut(at) {
            node.here = false;
            node.children.clear();
        }
    }

    /// Removes the consumed parts of `value` in place; false when nothing
    /// is left of it. An array element consumed whole leaves an empty object
    /// in its place, so that the positions of the others stay.
    pub(super) fn prune(&self, value: &mut Value) -> bool {
        if self.here {
            return false;
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (key, node) in &self.children {
                    let name = key.name();
                    if let Some(member) = map.get_mut(&name)
                        && !node.prune(member)
                    {
                        map.remove(&name);
                    }
                }
                !map.is_empty()
            }
            Value::Array(items) if !items.is_empty() => {
                let mut emptied = 0usize;
                for (key, node) in &self.children {
                    if let Some(item) = key.index().and_then(|i| items.get_mut(i))
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

    /// What [`prune`](Consumed::prune) would leave of a copy of `value`,
    /// copying only that: `None` when nothing is left.
    pub(super) fn copy(&self, value: &Value) -> Option<Value> {
        if self.here {
            return None;
        }
        if self.children.is_empty() {
            return Some(value.clone());
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                let mut named: Vec<(std::borrow::Cow<'_, str>, &Consumed)> =
                    self.children.iter().map(|(k, n)| (k.name(), n)).collect();
                named.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                let mut out = Map::new();
                for (k, v) in map {
                    let node = named
                        .binary_search_by(|(n, _)| n.as_ref().cmp(k.as_str()))
                        .ok()
                        .and_then(|i| named.get(i))
                        .map(|(_, n)| *n);
                    let kept = match node {
                        Some(node) => node.copy(v),
                        None => Some(v.clone()),
                    };
                    if let Some(kept) = kept {
                        out.insert(k.as_str(), kept);
                    }
                }
                (!out.is_empty()).then_some(Value::Object(out))
            }
            Value::Array(items) if !items.is_empty() => {
                let mut nodes: Vec<Option<&Consumed>> = vec![None; items.len()];
                for (key, node) in &self.children {
                    if let Some(slot) = key.index().and_then(|i| nodes.get_mut(i)) {
                        *slot = Some(node);
                    }
                }
                let mut emptied = 0usize;
                let out: Vec<Value> = items
                    .iter()
                    .zip(nodes)
                    .map(|(item, node)| match node {
                        None => item.clone(),
                        Some(node) => node.copy(item).unwrap_or_else(|| {
                            emptied = emptied.saturating_add(1);
                            Value::Object(Map::new())
                        }),
                    })
                    .collect();
                (emptied < items.len()).then_some(Value::Array(out))
            }
            _ => Some(value.clone()),
        }
    }
}

impl Consumed {
    /// Every leaf (scalar, empty object, empty array) of `value`, the value
    /// at `path` whose record this node is, that is not at or below a
    /// recorded place: what no rule carried. Only the uncovered parts build
    /// pointers.
    pub(super) fn leaves_outside(&self, value: &Value, path: &mut String, out: &mut Vec<String>) {
        if self.here {
            return;
        }
        let mark = path.len();
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (k, v) in map {
                    let node = self.children.iter().find(|(key, _)| key.is(k)).map(|(_, n)| n);
                    if node.is_some_and(|n| n.here) {
                        continue;
                    }
                    pointer::push(path, k);
                    match node {
                        Some(node) => node.leaves_outside(v, path, out),
                        None => pointer::leaves(v, path, out),
                    }
                    path.truncate(mark);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                for (i, v) in items.iter().enumerate() {
                    let node = self
                        .children
                        .iter()
                        .find(|(key, _)| key.index() == Some(i))
                        .map(|(_, n)| n);
                    if node.is_some_and(|n| n.here) {
                        continue;
                    }
                    pointer::push_index(path, i);
                    match node {
                        Some(node) => node.leaves_outside(v, path, out),
                        None => pointer::leaves(v, path, out),
                    }
                    path.truncate(mark);
                }
            }
            Value::Null => {}
            _ => out.push(path.clone()),
        }
    }
}

/// The value `keys` lead to from `value`, read as a pointer of them would.
pub(super) fn get_keys<'v>(value: &'v Value, keys: &[Key]) -> Option<&'v Value> {
    let mut current = value;
    for key in keys {
        current = match current {
            Value::Object(map) => map.get(&key.name())?,
            Value::Array(items) => items.get(key.index()?)?,
            _ => return None,
        };
    }
    Some(current)
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
