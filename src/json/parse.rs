//! The parser: JSON text (RFC 8259) into a [`Value`], numbers kept as text.
//!
//! Recursive descent over bytes with a depth limit. The text is copied once
//! into a shared buffer, and strings without escapes, keys and numbers are
//! slices of it ([`Str`]): no allocation per string. The messages are
//! serde_json's put in the crate's voice (`crate::voice`), as the
//! validation reports put serde_json's, so a document is reported the same
//! way whichever layer read it.

use std::fmt;
use std::sync::Arc;

use super::{Limits, Map, Number, Str, Value};

/// How deep arrays and objects may nest by default, and at most, as in
/// serde_json: deeper input is an error, never a stack overflow. A lower
/// limit is set with [`Limits::with_max_depth`].
pub const MAX_DEPTH: usize = 128;

/// What kind of fault a [`ParseError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The text is not JSON (malformed, truncated, trailing characters).
    Syntax,
    /// The bytes are not UTF-8.
    NotUtf8,
    /// An object has the same key twice.
    DuplicateKey,
    /// Arrays and objects nest deeper than [`Limits::max_depth`].
    TooDeep,
    /// The text is longer than [`Limits::max_bytes`].
    TooLarge,
}

/// Why JSON text could not be read, and where: line and column (both from
/// 1; the column counts bytes, as serde_json's) of the character at fault,
/// and the JSON Pointer of the value being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    message: String,
    line: usize,
    column: usize,
    eof: bool,
    kind: ParseErrorKind,
    pointer: String,
}

impl ParseError {
    pub(crate) fn new(message: String, line: usize, column: usize) -> ParseError {
        ParseError {
            message,
            line,
            column,
            eof: false,
            kind: ParseErrorKind::Syntax,
            pointer: String::new(),
        }
    }

    /// What kind of fault this is.
    pub fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// The JSON Pointer of the value at fault: the duplicate key
    /// (`/customer/id`), the array or object one level too deep, the
    /// value being read at a syntax error (`""` for the whole document).
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The error one level further out: `token` (an array index or an
    /// object key) goes in front of the pointer.
    fn within(mut self, token: &str) -> ParseError {
        let escaped = token.replace('~', "~0").replace('/', "~1");
        self.pointer.insert_str(0, &escaped);
        self.pointer.insert(0, '/');
        self
    }

    fn of_kind(mut self, kind: ParseErrorKind) -> ParseError {
        self.kind = kind;
        self
    }

    /// What is wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The line of the fault, from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the fault, from 1.
    pub fn column(&self) -> usize {
        self.column
    }

    /// True when the text ended before the value did.
    pub fn is_eof(&self) -> bool {
        self.eof
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let position = crate::voice::position_suffix(Some((self.line, self.column)));
        write!(f, "{}{position}", self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses one JSON document (surrounding whitespace allowed).
///
/// # Errors
///
/// [`ParseError`] with serde_json's message and the position.
///
/// ```
/// use canonical_finance::json::{self, Value};
///
/// let v = json::parse(r#"{"amount": 12345678901234567890.01, "memo": "caf\u00e9"}"#)?;
/// assert_eq!(v["amount"].as_number().map(|n| n.as_str()), Some("12345678901234567890.01"));
/// assert_eq!(v["memo"].as_str(), Some("café"));
/// assert_eq!(
///     json::parse("[1, 2").unwrap_err().to_string(),
///     "expected the rest of an array (`,` and a value, or `]`), but found the end of the input (line 1, column 5)"
/// );
/// # Ok::<(), json::ParseError>(())
/// ```
pub fn parse(text: &str) -> Result<Value, ParseError> {
    parse_with(text, Limits::DEFAULT)
}

/// Parses one JSON document within `limits`: [`parse`], with the size and
/// depth limits of [`Limits`].
///
/// # Errors
///
/// [`ParseError`] as for [`parse`]; of kind [`ParseErrorKind::TooLarge`]
/// (before any parsing) for a text longer than
/// [`Limits::max_bytes`], [`ParseErrorKind::TooDeep`] for nesting
/// deeper than [`Limits::max_depth`], and
/// [`ParseErrorKind::DuplicateKey`] for an object with a key twice (the
/// error names the key and its pointer, and is placed at the object).
///
/// ```
/// use canonical_finance::json::{self, Limits, ParseErrorKind};
///
/// let err = json::parse_with(r#"{"lines": [{"id": "a", "id": "b"}]}"#, Limits::new()).unwrap_err();
/// assert_eq!(err.kind(), ParseErrorKind::DuplicateKey);
/// assert_eq!(err.message(), "expected the key `id` once, but found it twice");
/// assert_eq!(err.pointer(), "/lines/0/id");
/// ```
pub fn parse_with(text: &str, limits: Limits) -> Result<Value, ParseError> {
    let mut p = Parser {
        src: text,
        text: text.as_bytes(),
        pos: 0,
        depth: 0,
        max_depth: limits.max_depth(),
        shared: None,
    };
    if text.len() > limits.max_bytes() {
        return Err(p.error_at(0, &limits.too_large()).of_kind(ParseErrorKind::TooLarge));
    }
    p.skip_ws();
    let value = p.value()?;
    p.skip_ws();
    if p.pos < p.text.len() {
        return Err(p.error_at(p.pos, "trailing characters"));
    }
    Ok(value)
}

/// Parses JSON bytes: [`parse`] after a UTF-8 check.
///
/// # Errors
///
/// [`ParseError`] for bytes that are not UTF-8 (with the position of the
/// first bad byte) or not JSON.
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(err) => {
            let p = Parser {
                src: "",
                text: bytes,
                pos: 0,
                depth: 0,
                max_depth: MAX_DEPTH,
                shared: None,
            };
            Err(p
                .error_at(err.valid_up_to(), "expected UTF-8 text, but found a byte that is not")
                .of_kind(ParseErrorKind::NotUtf8))
        }
    }
}

/// The end of the JSON number starting at `start`, if one starts there.
pub(crate) fn number_end(b: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    let next = |i: usize| i.saturating_add(1);
    if b.get(i) == Some(&b'-') {
        i = next(i);
    }
    match b.get(i) {
        Some(b'0') => i = next(i),
        Some(b'1'..=b'9') => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i = next(i);
            }
        }
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        i = next(i);
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i = next(i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i = next(i);
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i = next(i);
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i = next(i);
        }
    }
    Some(i)
}

struct Parser<'t> {
    /// The text, as a `str` (empty when reporting on bytes that are not).
    src: &'t str,
    /// The same text as bytes.
    text: &'t [u8],
    pos: usize,
    depth: usize,
    max_depth: usize,
    /// `src`, copied once, when the first string or number is read.
    shared: Option<Arc<str>>,
}

impl Parser<'_> {
    /// The text from `from` to `to` (on character boundaries: both ends sit
    /// on ASCII bytes), shared with the document's buffer.
    fn shared(&mut self, from: usize, to: usize) -> Str {
        let src = self.src;
        let buffer = self.shared.get_or_insert_with(|| Arc::from(src));
        Str::slice(buffer, from, to)
    }

    fn bump(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n);
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\t' | b'\r')) {
            self.bump(1);
        }
    }

    /// An error about the character at byte `at` (or the end).
    fn error_at(&self, at: usize, message: &str) -> ParseError {
        let at = at.min(self.text.len());
        let before = self.text.get(..at).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count().saturating_add(1);
        let line_start =
            before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i.saturating_add(1));
        let in_line = before.get(line_start..).unwrap_or_default();
        // Bytes, as serde_json counts them.
        let column =
            if at < self.text.len() { in_line.len().saturating_add(1) } else { in_line.len() };
        // serde_json's words, in the crate's voice: what was expected, and
        // what stands there.
        let message =
            crate::voice::syntax_sentence(message, || crate::voice::found_at_byte(self.src, at))
                .unwrap_or_else(|| message.to_owned());
        ParseError::new(message, line, column)
    }

    fn eof(&self, message: &str) -> ParseError {
        let mut e = self.error_at(self.text.len(), message);
        e.eof = true;
        e
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            None => Err(self.eof("EOF while parsing a value")),
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error_at(self.pos, "expected value")),
        }
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, ParseError> {
        for (k, expected) in word.iter().enumerate() {
            match self.text.get(self.pos.saturating_add(k)) {
                Some(b) if b == expected => {}
                Some(_) => return Err(self.error_at(self.pos.saturating_add(k), "expected ident")),
                None => return Err(self.eof("EOF while parsing a value")),
            }
        }
        self.bump(word.len());
        Ok(value)
    }

    /// A number at `self.pos`, failing where and how serde_json fails.
    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        let b = self.text;
        let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i = i.saturating_add(1);
        }
        match b.get(i) {
            None => return Err(self.eof("EOF while parsing a value")),
            Some(b'0') => {
                i = i.saturating_add(1);
                if digit_at(i) {
                    return Err(self.error_at(i, "invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                while digit_at(i) {
                    i = i.saturating_add(1);
                }
            }
            Some(_) => return Err(self.error_at(i, "invalid number")),
        }
        if b.get(i) == Some(&b'.') {
            i = i.saturating_add(1);
            match b.get(i) {
                None => return Err(self.eof("EOF while parsing a value")),
                Some(c) if !c.is_ascii_digit() => return Err(self.error_at(i, "invalid number")),
                Some(_) => {}
            }
            while digit_at(i) {
                i = i.saturating_add(1);
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i = i.saturating_add(1);
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i = i.saturating_add(1);
            }
            match b.get(i) {
                None => return Err(self.eof("EOF while parsing a value")),
                Some(c) if !c.is_ascii_digit() => return Err(self.error_at(i, "invalid number")),
                Some(_) => {}
            }
            while digit_at(i) {
                i = i.saturating_add(1);
            }
        }
        self.pos = i;
        Ok(Value::Number(Number::from_checked_str(self.shared(start, i))))
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth = self.depth.saturating_add(1);
        if self.depth > self.max_depth {
            let message = Limits::DEFAULT.with_max_depth(self.max_depth).too_deep();
            return Err(self.error_at(self.pos, &message).of_kind(ParseErrorKind::TooDeep));
        }
        Ok(())
    }

    /// After an item of an array or object: a comma and the next item
    /// (false), or the `close` byte (true); anything else is an error in
    /// serde_json's words.
    fn next_or_end(&mut self, close: u8, expected: &str, eof: &str) -> Result<bool, ParseError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.bump(1);
                self.skip_ws();
                if self.peek() == Some(close) {
                    return Err(self.error_at(self.pos, "trailing comma"));
                }
                Ok(false)
            }
            Some(c) if c == close => {
                self.bump(1);
                Ok(true)
            }
            Some(_) => Err(self.error_at(self.pos, expected)),
            None => Err(self.eof(eof)),
        }
    }

    fn array(&mut self) -> Result<Value, ParseError> {
        self.enter()?;
        self.bump(1);
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump(1);
            self.depth = self.depth.saturating_sub(1);
            return Ok(Value::Array(items));
        }
        if self.peek().is_none() {
            return Err(self.eof("EOF while parsing a list"));
        }
        loop {
            self.skip_ws();
            let item = self.value().map_err(|e| e.within(&items.len().to_string()))?;
            items.push(item);
            if self.next_or_end(b']', "expected `,` or `]`", "EOF while parsing a list")? {
                break;
            }
        }
        self.depth = self.depth.saturating_sub(1);
        Ok(Value::Array(items))
    }

    fn object(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        self.enter()?;
        self.bump(1);
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump(1);
            self.depth = self.depth.saturating_sub(1);
            return Ok(Value::Object(Map::new()));
        }
        loop {
            self.skip_ws();
            match self.peek() {
                Some(b'"') => {}
                Some(_) => return Err(self.error_at(self.pos, "key must be a string")),
                None => return Err(self.eof("EOF while parsing an object")),
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                Some(b':') => self.bump(1),
                Some(_) => return Err(self.error_at(self.pos, "expected `:`")),
                None => return Err(self.eof("EOF while parsing an object")),
            }
            self.skip_ws();
            let value = self.value().map_err(|e| e.within(&key))?;
            members.push((key, value));
            if self.next_or_end(b'}', "expected `,` or `}`", "EOF while parsing an object")? {
                break;
            }
        }
        self.depth = self.depth.saturating_sub(1);
        match Map::from_members(members) {
            Ok(map) => Ok(Value::Object(map)),
            Err(key) => {
                let message = format!(
                    "expected the key `{}` once, but found it twice",
                    crate::money::escape(&key)
                );
                let at = self.second_key_end(start, &key).unwrap_or(start);
                Err(self.error_at(at, &message).of_kind(ParseErrorKind::DuplicateKey).within(&key))
            }
        }
    }

    /// Where the second `key` of the object at `start` ends (its closing
    /// quote, where serde_json reports a duplicate field): the object is
    /// read again, which only an object with a duplicate key pays for.
    fn second_key_end(&self, start: usize, key: &str) -> Option<usize> {
        let mut p = Parser {
            src: self.src,
            text: self.text,
            pos: start.saturating_add(1),
            depth: self.depth,
            max_depth: self.max_depth,
            shared: self.shared.clone(),
        };
        let mut seen = false;
        loop {
            p.skip_ws();
            let this = p.string().ok()?;
            if &*this == key {
                if seen {
                    return Some(p.pos.saturating_sub(1));
                }
                seen = true;
            }
            p.skip_ws();
            p.bump(1);
            p.skip_ws();
            p.value().ok()?;
            p.skip_ws();
            p.bump(1);
        }
    }

    /// A string at `self.pos` (on its opening quote).
    fn string(&mut self) -> Result<Str, ParseError> {
        self.bump(1);
        let start = self.pos;
        // Fast path: up to the closing quote without escapes, eight bytes
        // at a time.
        let Some(at) = super::scan::next_special(self.text, start) else {
            return Err(self.eof("EOF while parsing a string"));
        };
        self.pos = at;
        match self.peek() {
            Some(b'"') => {
                let s = self.shared(start, self.pos);
                self.bump(1);
                return Ok(s);
            }
            Some(b'\\') => {}
            _ => {
                return Err(self.error_at(
                    self.pos,
                    "control character (\\u0000-\\u001F) found while parsing a string",
                ));
            }
        }
        let mut out = String::from(self.slice(start, self.pos));
        let mut run = self.pos;
        loop {
            match self.peek() {
                None => return Err(self.eof("EOF while parsing a string")),
                Some(b'"') => {
                    out.push_str(self.slice(run, self.pos));
                    self.bump(1);
                    return Ok(Str::from(out));
                }
                Some(b'\\') => {
                    out.push_str(self.slice(run, self.pos));
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                Some(0..=0x1F) => {
                    return Err(self.error_at(
                        self.pos,
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                Some(_) => self.bump(1),
            }
        }
    }

    /// The text between two byte offsets that lie on character boundaries
    /// (the input is `str`, and both ends sit on ASCII bytes).
    fn slice(&self, from: usize, to: usize) -> &str {
        self.src.get(from..to).unwrap_or_default()
    }

    /// One escape at `self.pos` (on the backslash), appended to `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        self.bump(1);
        let Some(c) = self.peek() else {
            return Err(self.eof("EOF while parsing a string"));
        };
        self.bump(1);
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(self.error_at(self.pos.saturating_sub(1), "invalid escape")),
        };
        out.push(ch);
        Ok(())
    }

    /// Four hex digits, read at once as serde_json reads them: a bad one
    /// is reported at the last of the four.
    fn hex4(&mut self) -> Result<u16, ParseError> {
        let start = self.pos;
        let Some(digits) = self.text.get(start..start.saturating_add(4)) else {
            return Err(self.eof("EOF while parsing a string"));
        };
        let mut n: u16 = 0;
        for &b in digits {
            let Some(digit) = char::from(b).to_digit(16) else {
                return Err(self.error_at(start.saturating_add(3), "invalid escape"));
            };
            n = (n << 4) | u16::try_from(digit).unwrap_or_default();
        }
        self.bump(4);
        Ok(n)
    }

    /// `\uXXXX` (the `\u` read), with surrogate pairs joined.
    fn unicode_escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.text.get(self.pos) != Some(&b'\\')
                    || self.text.get(self.pos.saturating_add(1)) != Some(&b'u')
                {
                    return Err(self.error_at(self.pos, "unexpected end of hex escape"));
                }
                self.bump(2);
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_at(
                        self.pos.saturating_sub(1),
                        "lone leading surrogate in hex escape",
                    ));
                }
                let high = u32::from(first).wrapping_sub(0xD800) << 10;
                0x10000u32.wrapping_add(high).wrapping_add(u32::from(second).wrapping_sub(0xDC00))
            }
            // serde_json's words for a trailing surrogate alone, too.
            0xDC00..=0xDFFF => {
                return Err(self
                    .error_at(self.pos.saturating_sub(1), "lone leading surrogate in hex escape"));
            }
            other => u32::from(other),
        };
        match char::from_u32(code) {
            Some(ch) => {
                out.push(ch);
                Ok(())
            }
            None => Err(self.error_at(self.pos, "invalid unicode code point")),
        }
    }
}
