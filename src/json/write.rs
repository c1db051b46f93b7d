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

/// Appends compact JSON text for `value` to `out`.
pub fn write_compact(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(k, out);
                out.push(':');
                write_compact(v, out);
            }
            out.push('}');
        }
    }
}

fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_pretty(value: &Value, level: usize, out: &mut String) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(level.saturating_add(1), out);
                write_pretty(item, level.saturating_add(1), out);
            }
            out.push('\n');
            indent(level, out);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                indent(level.saturating_add(1), out);
                write_str(k, out);
                out.push_str(": ");
                write_pretty(v, level.saturating_add(1), out);
            }
            out.push('\n');
            indent(level, out);
            out.push('}');
        }
        other => write_compact(other, out),
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
