//! Writing a [`Value`] as JSON text, numbers as they were read. The output
//! is byte for byte what serde_json writes for the same value.

use super::Value;

/// Compact JSON text.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_compact(value, &mut out);
    out
}

/// JSON text indented by two spaces, as `serde_json::to_string_pretty`.
pub fn to_string_pretty(value: &Value) -> String {
    let mut out = String::new();
    write_pretty(value, 0, &mut out);
    out
}

/// Writes compact JSON text to `writer`.
///
/// # Errors
///
/// The writer's own.
pub fn to_writer(mut writer: impl std::io::Write, value: &Value) -> std::io::Result<()> {
    writer.write_all(to_string(value).as_bytes())
}

/// Appends compact JSON text for `value` to `out`. The tree is walked
/// without recursion: a tree of any depth built in code is written.
pub fn write_compact(value: &Value, out: &mut String) {
    write(value, None, out);
}

fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_pretty(value: &Value, level: usize, out: &mut String) {
    write(value, Some(level), out);
}

/// A container being written: its members still to write, and whether one
/// was written already.
enum Open<'a> {
    Array(std::slice::Iter<'a, Value>, bool),
    Object(super::Iter<'a>, bool),
}

/// Writes `value` compact (`pretty` is `None`) or indented from level
/// `pretty`, keeping the open containers on a heap stack.
fn write(value: &Value, pretty: Option<usize>, out: &mut String) {
    let mut stack: Vec<Open<'_>> = Vec::new();
    let base = pretty.unwrap_or(0);
    let mut next = Some(value);
    loop {
        if let Some(value) = next.take() {
            match value {
                Value::Array(items) if !items.is_empty() => {
                    out.push('[');
                    stack.push(Open::Array(items.iter(), false));
                }
                Value::Object(map) if !map.is_empty() => {
                    out.push('{');
                    stack.push(Open::Object(map.iter(), false));
                }
                Value::Array(_) => out.push_str("[]"),
                Value::Object(_) => out.push_str("{}"),
                Value::Null => out.push_str("null"),
                Value::Bool(true) => out.push_str("true"),
                Value::Bool(false) => out.push_str("false"),
                Value::Number(n) => out.push_str(n.as_str()),
                Value::String(s) => write_str(s, out),
            }
        }
        let level = base.saturating_add(stack.len());
        let Some(top) = stack.last_mut() else { return };
        let (member, started) = match top {
            Open::Array(items, started) => (items.next().map(|v| (None, v)), started),
            Open::Object(members, started) => {
                (members.next().map(|(k, v)| (Some(k.as_str()), v)), started)
            }
        };
        match member {
            Some((key, value)) => {
                if *started {
                    out.push(',');
                }
                *started = true;
                if pretty.is_some() {
                    out.push('\n');
                    indent(level, out);
                }
                if let Some(key) = key {
                    write_str(key, out);
                    out.push_str(if pretty.is_some() { ": " } else { ":" });
                }
                next = Some(value);
            }
            None => {
                let close = if matches!(top, Open::Array(..)) { ']' } else { '}' };
                stack.pop();
                if pretty.is_some() {
                    out.push('\n');
                    indent(level.saturating_sub(1), out);
                }
                out.push(close);
            }
        }
    }
}

/// A JSON string literal for `s`, escaped as serde_json escapes.
pub(crate) fn write_str(s: &str, out: &mut String) {
    out.reserve(s.len().saturating_add(2));
    out.push('"');
    let mut run = 0;
    let mut from = 0;
    while let Some(i) = super::scan::next_special(s.as_bytes(), from) {
        let Some(&b) = s.as_bytes().get(i) else { break };
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            _ => "",
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            for nibble in [b >> 4, b & 0xF] {
                out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
            }
        } else {
            out.push_str(escape);
        }
        run = i.saturating_add(1);
        from = run;
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}
