//! A payload to send: what the way back wrote, without the fields the
//! vendor computes and refuses on a write.

use crate::json::Value;

use super::{Mapper, pointer};

/// `payload` (a vendor record the way back wrote) without the mapper's
/// `not_sent` fields: Salesforce's `attributes`, system fields (`CreatedDate`,
/// `SystemModstamp`), compound addresses and child relationships, which a
/// `PATCH` refuses. The way back keeps them, so a record read and written
/// back compares equal; this is the payload to send.
///
/// ```
/// use canonical_finance::json;
/// use canonical_finance::mapping::{Registry, sendable};
///
/// let registry = Registry::builtin()?;
/// let mapper = registry.get("salesforce", "Account")?;
/// let record = json!({"attributes": {"type": "Account"}, "Id": "001Dn00000AbCdEIAV",
///     "Name": "Northwind Sailcloth Ltd", "IsPersonAccount": false,
///     "SystemModstamp": "2026-01-30T14:30:00.000+0000"});
/// let back = mapper.to_vendor(&mapper.to_canonical(&record)?.value)?.value;
/// assert_eq!(back, record);
/// assert_eq!(sendable(mapper, &back),
///     json!({"Id": "001Dn00000AbCdEIAV", "Name": "Northwind Sailcloth Ltd", "IsPersonAccount": false}));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sendable<M: Mapper + ?Sized>(mapper: &M, payload: &Value) -> Value {
    let mut out = payload.clone();
    for p in mapper.not_sent() {
        let tokens: Vec<String> = pointer::tokens(p).map(|t| t.into_owned()).collect();
        remove(&mut out, &tokens);
    }
    out
}

/// Removes the place `tokens` names in `value`, `*` standing for every
/// item of an array.
fn remove(value: &mut Value, tokens: &[String]) {
    let Some((first, rest)) = tokens.split_first() else { return };
    if rest.is_empty() {
        if let Value::Object(map) = value {
            map.remove(first.as_str());
        }
        return;
    }
    match value {
        Value::Array(items) if first == "*" => {
            for item in items {
                remove(item, rest);
            }
        }
        Value::Object(map) => {
            if let Some(child) = map.get_mut(first.as_str()) {
                remove(child, rest);
            }
        }
        _ => {}
    }
}
