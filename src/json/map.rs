//! [`Map`]: the members of a JSON object, in the order they were written.

use std::cmp::Ordering;

use super::{Str, Value};

/// Up to this many members, a key is found by a scan; past it, through an
/// index of member positions sorted by key.
const SCAN: usize = 8;

/// The members of a JSON object, in the order they were inserted (a parsed
/// object: the order of its text), so that a vendor payload comes back
/// with its members where the vendor wrote them, and no object is sorted
/// or hashed while it is built. A key given twice keeps its first place
/// and its last value.
///
/// Two maps are equal when they have the same members, in any order (JSON
/// objects are unordered).
///
/// ```
/// use canonical_finance::json::{self, Map, Value};
///
/// let mut m = Map::new();
/// m.insert("b", Value::from(1));
/// m.insert("a", Value::from(2));
/// m.insert("b", Value::from(3));
/// assert_eq!(m.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["b", "a"]);
/// assert_eq!(m["b"], 3);
/// assert_eq!(Value::Object(m), json::parse(r#"{"a": 2, "b": 3}"#)?);
/// # Ok::<(), json::ParseError>(())
/// ```
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Str, Value)>,
    /// The members by key, in [`Slot`] order; only past [`SCAN`] members.
    /// Boxed so that a map, and with it every [`Value`], is two words
    /// smaller: most objects never grow an index.
    #[allow(clippy::box_collection)]
    index: Option<Box<Vec<Slot>>>,
}

/// One member in the index: its position in `entries`, and a tag made of
/// the key's length and first bytes, so that most comparisons on the way to
/// a key (and when sorting) are one integer comparison, not a `memcmp`.
/// The order is (tag, key bytes): any total order consistent with equality
/// serves, and this one is only internal.
#[derive(Debug, Clone, Copy)]
struct Slot {
    tag: u64,
    at: u32,
}

/// The length (up to 255) in the top byte, the first seven bytes below.
fn tag(key: &str) -> u64 {
    let bytes = key.as_bytes();
    let mut first = [0u8; 8];
    first[0] = u8::try_from(bytes.len()).unwrap_or(u8::MAX);
    for (slot, b) in first.iter_mut().skip(1).zip(bytes) {
        *slot = *b;
    }
    u64::from_be_bytes(first)
}

/// Where `key` (whose [`tag`] is `t`) is, or would go, in the index.
fn search(entries: &[(Str, Value)], index: &[Slot], key: &str, t: u64) -> Result<usize, usize> {
    index.binary_search_by(|slot| {
        slot.tag.cmp(&t).then_with(|| match entries.get(slot.at as usize) {
            Some((k, _)) => k.as_bytes().cmp(key.as_bytes()),
            None => Ordering::Less,
        })
    })
}

impl Map {
    /// An empty map.
    pub fn new() -> Map {
        Map { entries: Vec::new(), index: None }
    }

    /// An empty map with room for `capacity` members.
    pub fn with_capacity(capacity: usize) -> Map {
        Map { entries: Vec::with_capacity(capacity), index: None }
    }

    /// The members as the parser read them, the index built when the
    /// object is large; a key that is there twice is the error (the
    /// second of the two in the object).
    pub(crate) fn from_members(entries: Vec<(Str, Value)>) -> Result<Map, Str> {
        let mut map = Map { entries, index: None };
        if map.entries.len() <= SCAN {
            let duplicate = map.entries.iter().enumerate().find(|(i, (k, _))| {
                map.entries.get(..*i).is_some_and(|before| before.iter().any(|(b, _)| b == k))
            });
            return match duplicate {
                Some((_, (key, _))) => Err(key.clone()),
                None => Ok(map),
            };
        }
        map.build_index();
        let duplicate = map.index.as_ref().and_then(|ix| {
            ix.windows(2).find_map(|w| match w {
                [a, b] if a.tag == b.tag && map.key_at(a.at) == map.key_at(b.at) => {
                    map.key_at(a.at.max(b.at)).map(Str::from)
                }
                _ => None,
            })
        });
        match duplicate {
            Some(key) => Err(key),
            None => Ok(map),
        }
    }

    /// A map of members whose keys are known to be distinct (a copy of
    /// another map's), with its index built when it is large.
    pub(crate) fn from_distinct(entries: Vec<(Str, Value)>) -> Map {
        let mut map = Map { entries, index: None };
        map.build_index();
        map
    }

    /// The members' values, leaving the map empty (for [`Value`]'s `Drop`).
    pub(crate) fn take_values(&mut self) -> Vec<Value> {
        self.index = None;
        std::mem::take(&mut self.entries).into_iter().map(|(_, v)| v).collect()
    }

    fn key_at(&self, i: u32) -> Option<&str> {
        self.entries.get(i as usize).map(|(k, _)| k.as_str())
    }

    /// Sorts the positions by key, when there are too many members to scan
    /// (and few enough for 32-bit positions).
    fn build_index(&mut self) {
        if self.entries.len() <= SCAN {
            self.index = None;
            return;
        }
        let Ok(n) = u32::try_from(self.entries.len()) else {
            self.index = None;
            return;
        };
        let entries = &self.entries;
        let mut ix: Vec<Slot> =
            (0..n).zip(entries).map(|(at, (k, _))| Slot { tag: tag(k), at }).collect();
        let key = |i: u32| entries.get(i as usize).map_or(&[][..], |(k, _)| k.as_bytes());
        ix.sort_unstable_by(|a, b| {
            a.tag.cmp(&b.tag).then_with(|| key(a.at).cmp(key(b.at))).then(a.at.cmp(&b.at))
        });
        self.index = Some(Box::new(ix));
    }

    /// The position of `key` in `entries`.
    fn find(&self, key: &str) -> Option<usize> {
        match &self.index {
            None => {
                self.entries.iter().position(|(k, _)| k.len() == key.len() && k.as_str() == key)
            }
            Some(ix) => {
                let at = search(&self.entries, ix, key, tag(key)).ok()?;
                ix.get(at).map(|slot| slot.at as usize)
            }
        }
    }

    /// Adds a member whose key is not in the map yet: for code that knows
    /// (the fields of a struct). A key already there would be shadowed.
    pub(crate) fn push_new(&mut self, key: Str, value: Value) {
        let t = tag(&key);
        let at = match &self.index {
            Some(ix) => Some(search(&self.entries, ix, &key, t).unwrap_or_else(|p| p)),
            None => None,
        };
        let position = u32::try_from(self.entries.len());
        self.entries.push((key, value));
        match (at, position, &mut self.index) {
            (Some(at), Ok(position), Some(ix)) => ix.insert(at, Slot { tag: t, at: position }),
            _ if self.entries.len() > SCAN => self.build_index(),
            _ => {}
        }
    }

    /// Moves the member at `key`, found at position `to` or after it, to
    /// position `to` (swapping it with the member there), and gives its
    /// value. For putting members into a known order front to back; the
    /// index is stale until [`reindex`](Map::reindex).
    pub(crate) fn move_member(&mut self, key: &str, to: usize) -> Option<&mut Value> {
        let from = to.checked_add(
            self.entries
                .get(to..)?
                .iter()
                .position(|(k, _)| k.len() == key.len() && k.as_str() == key)?,
        )?;
        if from != to {
            self.entries.swap(from, to);
            self.index = None;
        }
        self.entries.get_mut(to).map(|(_, v)| v)
    }

    /// The value at position `at`.
    pub(crate) fn value_at_mut(&mut self, at: usize) -> Option<&mut Value> {
        self.entries.get_mut(at).map(|(_, v)| v)
    }

    /// Rebuilds the index after [`move_member`](Map::move_member) changed
    /// positions.
    pub(crate) fn reindex(&mut self) {
        if self.index.is_none() {
            self.build_index();
        }
    }

    /// Inserts `value` at `key`, returning the value it replaces (the
    /// member keeps its place then).
    pub fn insert(&mut self, key: impl Into<Str>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.find(&key) {
            Some(i) => self.entries.get_mut(i).map(|(_, v)| std::mem::replace(v, value)),
            None => {
                self.push_new(key, value);
                None
            }
        }
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let i = self.find(key)?;
        self.entries.get(i).map(|(_, v)| v)
    }

    /// The value at `key`, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let i = self.find(key)?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    /// Removes and returns the value at `key`; the members after it move
    /// up, in order.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Removes and returns the member at `key`.
    pub fn remove_entry(&mut self, key: &str) -> Option<(Str, Value)> {
        let i = self.find(key)?;
        if i >= self.entries.len() {
            return None;
        }
        let removed = self.entries.remove(i);
        if self.entries.len() <= SCAN {
            self.index = None;
        } else if let Some(ix) = &mut self.index {
            let gone = u32::try_from(i).unwrap_or(u32::MAX);
            ix.retain(|slot| slot.at != gone);
            for slot in ix.iter_mut() {
                if slot.at > gone {
                    slot.at = slot.at.saturating_sub(1);
                }
            }
        }
        Some(removed)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    /// The entry at `key`, to insert or change in place.
    pub fn entry(&mut self, key: impl Into<Str>) -> Entry<'_> {
        let key = key.into();
        match self.find(&key) {
            Some(i) => Entry::Occupied(OccupiedEntry { map: self, at: i }),
            None => Entry::Vacant(VacantEntry { map: self, key }),
        }
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True without members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The members in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// The members in order, values changeable.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Str> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| k)
    }

    /// The values in order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    /// The values in order, changeable.
    pub fn values_mut(
        &mut self,
    ) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// Keeps the members for which `keep` is true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Str, &mut Value) -> bool) {
        let before = self.entries.len();
        self.entries.retain_mut(|(k, v)| keep(k, v));
        if self.entries.len() != before {
            self.build_index();
        }
    }

    /// Moves every member of `other` into this map (a key in both takes
    /// `other`'s value).
    pub fn append(&mut self, other: &mut Map) {
        other.index = None;
        for (k, v) in other.entries.drain(..) {
            self.insert(k, v);
        }
    }

    /// Sorts the members by key (for output that must not depend on the
    /// order the members were written in).
    pub fn sort_keys(&mut self) {
        self.entries.sort_by(|(a, _), (b, _)| a.cmp(b));
        self.build_index();
    }
}

impl PartialEq for Map {
    /// The same members, in any order.
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Eq for Map {}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl std::ops::Index<&str> for Map {
    type Output = Value;

    /// The value at `key`, or `null` when there is none (never a panic).
    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

/// A place in a [`Map`], from [`Map::entry`].
pub enum Entry<'a> {
    /// The key is there.
    Occupied(OccupiedEntry<'a>),
    /// The key is not there.
    Vacant(VacantEntry<'a>),
}

/// A member of a [`Map`].
pub struct OccupiedEntry<'a> {
    map: &'a mut Map,
    at: usize,
}

/// A key not in a [`Map`], and the map.
pub struct VacantEntry<'a> {
    map: &'a mut Map,
    key: Str,
}

impl<'a> Entry<'a> {
    /// The value, `default` inserted first when the key is not there.
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        self.or_insert_with(|| default)
    }

    /// The value, `default()` inserted first when the key is not there.
    pub fn or_insert_with(self, default: impl FnOnce() -> Value) -> &'a mut Value {
        match self {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(default()),
        }
    }
}

impl<'a> OccupiedEntry<'a> {
    /// The value, for as long as the map is borrowed.
    pub fn into_mut(self) -> &'a mut Value {
        value_at(self.map, self.at)
    }
}

/// The value of member `at`: a position `find` returned on this map,
/// unchanged since, or the member just pushed.
fn value_at(map: &mut Map, at: usize) -> &mut Value {
    // Never taken; it keeps the indexing below in range whatever happens.
    let at = if at < map.entries.len() {
        at
    } else {
        map.entries.push((Str::default(), Value::Null));
        map.build_index();
        map.entries.len().saturating_sub(1)
    };
    #[allow(clippy::indexing_slicing)] // in range: checked or pushed just above
    &mut map.entries[at].1
}

impl<'a> VacantEntry<'a> {
    /// Inserts the value, returning it in its place.
    pub fn insert(self, value: Value) -> &'a mut Value {
        let map = self.map;
        map.push_new(self.key, value);
        let at = map.entries.len().saturating_sub(1);
        value_at(map, at)
    }
}

/// The members of a [`Map`] in order, from [`Map::iter`].
#[derive(Clone)]
pub struct Iter<'a>(std::slice::Iter<'a, (Str, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Str, &'a Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k, v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// The members of a [`Map`] in order, values changeable, from
/// [`Map::iter_mut`].
pub struct IterMut<'a>(std::slice::IterMut<'a, (Str, Value)>);

impl<'a> Iterator for IterMut<'a> {
    type Item = (&'a Str, &'a mut Value);
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (&*k, v))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl ExactSizeIterator for IterMut<'_> {}

impl<K: Into<Str>> Extend<(K, Value)> for Map {
    fn extend<I: IntoIterator<Item = (K, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Into<Str>> FromIterator<(K, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Map {
        let mut map = Map::new();
        map.extend(iter);
        map
    }
}

impl IntoIterator for Map {
    type Item = (Str, Value);
    type IntoIter = std::vec::IntoIter<(Str, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Str, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Str, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(m: &Map) -> Vec<&str> {
        m.keys().map(|k| k.as_str()).collect()
    }

    #[test]
    fn a_large_map_finds_inserts_and_removes_through_its_index() {
        let mut m = Map::new();
        for i in (0..40).rev() {
            m.insert(format!("k{i:02}"), Value::from(i));
        }
        assert!(m.index.is_some());
        assert_eq!(m.get("k07"), Some(&Value::from(7)));
        assert_eq!(m.insert("k07", Value::from(70)), Some(Value::from(7)));
        assert_eq!(keys(&m).first(), Some(&"k39"));
        assert_eq!(m.remove("k39"), Some(Value::from(39)));
        assert_eq!(m.remove("k39"), None);
        for i in 0..39 {
            let want = if i == 7 { 70 } else { i };
            assert_eq!(m.get(&format!("k{i:02}")), Some(&Value::from(want)), "k{i:02}");
        }
        m.retain(|k, _| k.as_str() < "k05");
        assert_eq!(keys(&m), ["k04", "k03", "k02", "k01", "k00"]);
        assert!(m.index.is_none());
        assert_eq!(m.get("k02"), Some(&Value::from(2)));
    }

    #[test]
    fn parsed_duplicates_are_an_error_naming_the_key() {
        for n in [3usize, 20] {
            let mut members: Vec<(Str, Value)> =
                (0..n).map(|i| (Str::from(format!("m{i}")), Value::from(i))).collect();
            let unique = Map::from_members(members.clone()).map(|m| m.len());
            assert_eq!(unique, Ok(n));
            members.push((Str::from("m1"), Value::from(99)));
            assert_eq!(Map::from_members(members).map(|m| m.len()), Err(Str::from("m1")));
        }
    }

    #[derive(Debug, Clone)]
    enum Op {
        Insert(String, i64),
        Remove(String),
        Retain(u8),
    }

    /// Keys that share lengths and first bytes (and some past the seven
    /// bytes of the tag), so that ties in the index are exercised.
    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        let key = "(abcdefg|abcdefgh|abcdefgi|[ab]{0,3}|é{1,2}|[a-z]{9,10})";
        prop_oneof![
            6 => (key, any::<i64>()).prop_map(|(k, v)| Op::Insert(k, v)),
            2 => key.prop_map(Op::Remove),
            1 => any::<u8>().prop_map(Op::Retain),
        ]
    }

    proptest::proptest! {
        /// Any sequence of inserts, removals and retains, on either side of
        /// the index's threshold: the same members, in the same order, as a
        /// plain list that replaces in place and removes in order.
        #[test]
        fn behaves_as_an_ordered_list(ops in proptest::collection::vec(op(), 0..80)) {
            let mut m = Map::new();
            let mut model: Vec<(String, i64)> = Vec::new();
            for op in ops {
                match op {
                    Op::Insert(k, v) => {
                        let old = m.insert(k.as_str(), Value::from(v));
                        let before = match model.iter_mut().find(|(mk, _)| *mk == k) {
                            Some((_, mv)) => Some(std::mem::replace(mv, v)),
                            None => {
                                model.push((k.clone(), v));
                                None
                            }
                        };
                        proptest::prop_assert_eq!(old, before.map(Value::from));
                    }
                    Op::Remove(k) => {
                        let at = model.iter().position(|(mk, _)| *mk == k);
                        let before = at.map(|i| model.remove(i).1);
                        proptest::prop_assert_eq!(m.remove(&k), before.map(Value::from));
                    }
                    Op::Retain(n) => {
                        let keep = |k: &str| k.len() % 3 != usize::from(n % 3);
                        m.retain(|k, _| keep(k));
                        model.retain(|(k, _)| keep(k));
                    }
                }
                for (k, v) in &model {
                    proptest::prop_assert_eq!(m.get(k), Some(&Value::from(*v)));
                }
            }
            let ours: Vec<(String, Value)> =
                m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
            let theirs: Vec<(String, Value)> =
                model.into_iter().map(|(k, v)| (k, Value::from(v))).collect();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn maps_are_equal_whatever_their_order() {
        let a: Map = [("x", Value::from(1)), ("y", Value::from(2))].into_iter().collect();
        let b: Map = [("y", Value::from(2)), ("x", Value::from(1))].into_iter().collect();
        assert_eq!(a, b);
        let c: Map = [("y", Value::from(2)), ("x", Value::from(3))].into_iter().collect();
        assert_ne!(a, c);
    }
}
