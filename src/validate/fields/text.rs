//! `PLAIN-TEXT`: names, ids, numbers, references and codes hold no control
//! characters and no bidirectional embedding, override or isolate
//! characters.
//!
//! A name with U+202E RIGHT-TO-LEFT OVERRIDE displays as something other than
//! what it holds (the "Trojan Source" trick, CVE-2021-42574), so an invoice
//! number reads one way in a ledger and another in the database; a line feed
//! inside a customer name splits a CSV export. Free text (notes,
//! descriptions, messages, address lines) may hold line breaks and is not
//! checked; vendor data under `extensions` is the vendor's and is not
//! checked either.
//!
//! The check walks the typed record through its own `Serialize` impl with a
//! serializer that writes nothing: every field is seen once, under the same
//! name and JSON Pointer as in the canonical JSON, and checking a clean
//! record allocates only the walk's small path stack.

use std::fmt;

use serde::ser::{self, Serialize};

use super::super::{Rule, Violation};
use crate::validate::escape_pointer_token;

/// Names and ids are plain text.
pub(crate) const PLAIN_TEXT: Rule = Rule::field(
    "PLAIN-TEXT",
    "names, ids, numbers, references, codes and dimension values hold no control characters (U+0000–U+001F, U+007F–U+009F) and no bidirectional embedding, override or isolate characters (U+202A–U+202E, U+2066–U+2069); notes, descriptions, messages, address lines and extensions are not checked",
);

/// Checks every name, id, number, reference and code of `record`.
pub(crate) fn check_plain_text<T: Serialize + ?Sized>(record: &T, out: &mut Vec<Violation>) {
    let mut walk = Walk { path: Vec::new(), out };
    // The walk itself never fails; a model type whose impl reports an
    // error only ends the walk early.
    let _ = record.serialize(&mut walk);
}

/// True for a character that makes text display or split differently from
/// what it holds.
fn is_forbidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How a message names a forbidden character.
fn describe(c: char) -> String {
    let name = match c {
        '\0' => "NULL",
        '\t' => "CHARACTER TABULATION",
        '\n' => "LINE FEED",
        '\r' => "CARRIAGE RETURN",
        '\u{1B}' => "ESCAPE",
        '\u{7F}' => "DELETE",
        '\u{202A}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => "POP DIRECTIONAL FORMATTING",
        '\u{202D}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        _ => "",
    };
    let kind = if c.is_control() { "the control character" } else { "the bidirectional character" };
    if name.is_empty() {
        format!("{kind} U+{:04X}", u32::from(c))
    } else {
        format!("{kind} U+{:04X} {name}", u32::from(c))
    }
}

/// True for a field whose text is a name, an id, a number, a reference or
/// a code.
fn is_plain_field(name: &str) -> bool {
    matches!(
        name,
        "id" | "name"
            | "number"
            | "code"
            | "iban"
            | "bic"
            | "label"
            | "display"
            | "system"
            | "object_type"
            | "tenant"
            | "identifiers"
            | "electronic_address"
            | "purchase_order"
            | "sales_order"
            | "project"
            | "location"
    ) || ["_id", "_ids", "_name", "_number", "_reference", "_code"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// One step of the path from the record to the value being walked.
enum Seg {
    Field(&'static str),
    Key(String),
    Index(usize),
}

struct Walk<'o> {
    path: Vec<Seg>,
    out: &'o mut Vec<Violation>,
}

impl Walk<'_> {
    /// True when the text at the current path must be plain: its nearest
    /// field is a name, id, number, reference or code (for a `value` field,
    /// its parent: `tax_ids/0/value`), or it lies under `dimensions`.
    fn checks_here(&self) -> bool {
        let mut names = self.path.iter().rev().filter_map(|seg| match seg {
            Seg::Field(name) => Some(*name),
            Seg::Key(_) | Seg::Index(_) => None,
        });
        let under_dimensions = self.path.iter().any(|s| matches!(s, Seg::Field("dimensions")));
        match names.next() {
            _ if under_dimensions => true,
            Some("value") => names.next().is_some_and(is_plain_field),
            Some(name) => is_plain_field(name),
            None => false,
        }
    }

    fn pointer(&self) -> String {
        let mut out = String::new();
        for seg in &self.path {
            out.push('/');
            match seg {
                Seg::Field(name) => out.push_str(name),
                Seg::Key(key) => out.push_str(&escape_pointer_token(key)),
                Seg::Index(i) => out.push_str(&i.to_string()),
            }
        }
        out
    }

    fn check(&mut self, text: &str) {
        let Some((at, c)) = text.chars().enumerate().find(|(_, c)| is_forbidden(*c)) else {
            return;
        };
        if !self.checks_here() {
            return;
        }
        let more = text.chars().skip(at.saturating_add(1)).filter(|c| is_forbidden(*c)).count();
        let others = match more {
            0 => String::new(),
            1 => " and 1 more such character".to_owned(),
            n => format!(" and {n} more such characters"),
        };
        let message = format!(
            "expected plain text, but found {} at character {}{others}",
            describe(c),
            at.saturating_add(1)
        );
        let pointer = self.pointer();
        self.out.push(Violation::new(&PLAIN_TEXT, pointer, message));
    }

    fn nested<T: Serialize + ?Sized>(&mut self, seg: Seg, value: &T) -> Result<(), Stop> {
        self.path.push(seg);
        let result = value.serialize(&mut *self);
        self.path.pop();
        result
    }
}

/// The walk's error: only a model type's own impl can raise one.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the record could not be walked")
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Stop
    }
}

/// Fields never walked: vendor data, kept as the vendor sent it.
const SKIPPED: &[&str] = &["extensions"];

impl<'w, 'o> ser::Serializer for &'w mut Walk<'o> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Seq<'w, 'o>;
    type SerializeTuple = Seq<'w, 'o>;
    type SerializeTupleStruct = Seq<'w, 'o>;
    type SerializeTupleVariant = Seq<'w, 'o>;
    type SerializeMap = Map<'w, 'o>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, _: bool) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i8(self, _: i8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i16(self, _: i16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i32(self, _: i32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_i64(self, _: i64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u8(self, _: u8) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u16(self, _: u16) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u32(self, _: u32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_u64(self, _: u64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_char(self, c: char) -> Result<(), Stop> {
        let mut buf = [0u8; 4];
        self.check(c.encode_utf8(&mut buf));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Stop> {
        self.check(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Stop> {
        Ok(())
    }
    /// Text written through `Display` is the crate's own rendering of a
    /// number (decimal amounts, rates, quantities), never user text: it is
    /// not formatted at all, which keeps the walk from costing a string per
    /// amount.
    fn collect_str<T: fmt::Display + ?Sized>(self, _: &T) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.nested(Seg::Field(variant), value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'w, 'o>, Stop> {
        Ok(Seq { walk: self, next: 0, variant: false })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'w, 'o>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'w, 'o>, Stop> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Seq<'w, 'o>, Stop> {
        self.path.push(Seg::Field(variant));
        Ok(Seq { walk: self, next: 0, variant: true })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'w, 'o>, Stop> {
        Ok(Map { walk: self, key: None })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Stop> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self, Stop> {
        self.path.push(Seg::Field(variant));
        Ok(self)
    }
}

impl ser::SerializeStruct for &mut Walk<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        if SKIPPED.contains(&key) {
            return Ok(());
        }
        self.nested(Seg::Field(key), value)
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Walk<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<(), Stop> {
        self.path.pop();
        Ok(())
    }
}

/// A sequence being walked; `next` is the index of the next element.
struct Seq<'w, 'o> {
    walk: &'w mut Walk<'o>,
    next: usize,
    /// True when a tuple variant pushed its name.
    variant: bool,
}

impl Seq<'_, '_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let index = self.next;
        self.next = self.next.saturating_add(1);
        self.walk.nested(Seg::Index(index), value)
    }
    fn finish(self) -> Result<(), Stop> {
        if self.variant {
            self.walk.path.pop();
        }
        Ok(())
    }
}

macro_rules! sequence {
    ($($trait:ident $method:ident)*) => {$(
        impl ser::$trait for Seq<'_, '_> {
            type Ok = ();
            type Error = Stop;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
                self.element(value)
            }
            fn end(self) -> Result<(), Stop> {
                self.finish()
            }
        }
    )*};
}

sequence! {
    SerializeSeq serialize_element
    SerializeTuple serialize_element
    SerializeTupleStruct serialize_field
    SerializeTupleVariant serialize_field
}

/// A map being walked; `key` is the key whose value comes next, when it is
/// text (keys of other kinds leave their values unchecked).
struct Map<'w, 'o> {
    walk: &'w mut Walk<'o>,
    key: Option<String>,
}

impl ser::SerializeMap for Map<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        // Keys are text in every map of the model; any other key leaves its
        // value unchecked.
        self.key = crate::json::to_value(key).ok().and_then(|k| k.as_str().map(str::to_owned));
        if let Some(text) = &self.key
            && self.walk.checks_here()
        {
            // A key of a checked map (a dimension's name) is itself checked,
            // at the pointer of its entry.
            self.walk.path.push(Seg::Key(text.clone()));
            self.walk.check(text);
            self.walk.path.pop();
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        match self.key.take() {
            Some(key) => self.walk.nested(Seg::Key(key), value),
            None => Ok(()),
        }
    }
    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_controls_and_bidi_characters_by_code_point() {
        assert_eq!(describe('\n'), "the control character U+000A LINE FEED");
        assert_eq!(
            describe('\u{202E}'),
            "the bidirectional character U+202E RIGHT-TO-LEFT OVERRIDE"
        );
        assert_eq!(describe('\u{85}'), "the control character U+0085");
        assert!(!is_forbidden('\u{200F}'), "a right-to-left mark displays nothing else");
        assert!(!is_forbidden('é'));
    }

    #[test]
    fn checks_names_ids_numbers_references_and_codes_only() {
        for name in ["id", "display_name", "tax_ids", "number", "buyer_reference", "account_code"] {
            assert!(is_plain_field(name), "{name}");
        }
        for name in ["description", "notes", "message", "lines", "reason", "city"] {
            assert!(!is_plain_field(name), "{name}");
        }
    }
}
