//! [`Map`]: the members of a JSON object, in key order.

use std::collections::BTreeMap;
use std::collections::btree_map;

use super::Value;

/// The members of a JSON object, sorted by key (as serde_json's default
/// map, so output is the same whichever layer wrote it). A key given twice
/// keeps its last value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Map(BTreeMap<String, Value>);

impl Map {
    /// An empty map.
    pub fn new() -> Map {
        Map(BTreeMap::new())
    }

    /// Inserts `value` at `key`, returning the value it replaces.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        self.0.insert(key.into(), value)
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// The value at `key`, to change in place.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.get_mut(key)
    }

    /// Removes and returns the value at `key`.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.0.remove(key)
    }

    /// True when `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    /// The entry at `key`, to insert or change in place.
    pub fn entry(&mut self, key: impl Into<String>) -> btree_map::Entry<'_, String, Value> {
        self.0.entry(key.into())
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True without members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members in key order.
    pub fn iter(&self) -> btree_map::Iter<'_, String, Value> {
        self.0.iter()
    }

    /// The members in key order, values changeable.
    pub fn iter_mut(&mut self) -> btree_map::IterMut<'_, String, Value> {
        self.0.iter_mut()
    }

    /// The keys in order.
    pub fn keys(&self) -> btree_map::Keys<'_, String, Value> {
        self.0.keys()
    }

    /// The values in key order.
    pub fn values(&self) -> btree_map::Values<'_, String, Value> {
        self.0.values()
    }

    /// The values in key order, changeable.
    pub fn values_mut(&mut self) -> btree_map::ValuesMut<'_, String, Value> {
        self.0.values_mut()
    }

    /// Keeps the members for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&String, &mut Value) -> bool) {
        self.0.retain(keep);
    }

    /// Moves every member of `other` into this map.
    pub fn append(&mut self, other: &mut Map) {
        self.0.append(&mut other.0);
    }
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.0.iter()).finish()
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Map {
        Map(iter.into_iter().collect())
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = btree_map::IntoIter<String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = btree_map::Iter<'a, String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a String, &'a mut Value);
    type IntoIter = btree_map::IterMut<'a, String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter_mut()
    }
}
