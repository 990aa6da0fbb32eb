//! Round trips through the SDK's types and the equivalence they are judged by.
//!
//! Two JSON values are equivalent when they have the same keys (`_type` included) and the same
//! values, where an explicit `null` equals an absent key, numbers compare by value (`1` and `1.0`),
//! and two strings that both read as date-times compare as instants (`...Z[GMT]` and `...Z`).
//!
//! An empty list in the example also equals an absent key: the SDK decodes the optional lists of
//! types only responses use as a `Vec` that is empty when absent, and does not write an empty one
//! back (see ARCHITECTURE.md, "Optional lists in responses"). The reverse, a list the SDK writes
//! where the example has none, is still a difference.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Decodes `value` as `T` and encodes it again; a decode error names the JSON path.
pub fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_path_to_error::deserialize(value)
        .map_err(|e| format!("decode error at `{}`: {}", e.path(), e.inner()))?;
    serde_json::to_value(&typed).map_err(|e| format!("encode error: {e}"))
}

/// Where `actual` differs from `expected`, as a list of JSON paths with both values; empty when
/// they are equivalent.
pub fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff(expected, actual, "$", &mut out);
    out
}

fn diff(expected: &Value, actual: &Value, path: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let av = a.get(key).unwrap_or(&Value::Null);
                if av.is_null() && ev.as_array().is_some_and(Vec::is_empty) {
                    continue;
                }
                diff(ev, av, &format!("{path}.{key}"), out);
            }
            for (key, av) in a {
                if !e.contains_key(key) && !av.is_null() {
                    out.push(format!("{path}.{key}: not in the example, SDK wrote {av}"));
                }
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                diff(ev, av, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (Value::String(e), Value::String(a)) if e == a || same_instant(e, a) => {}
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: example has {e}, SDK wrote {a}")),
    }
}

fn same_instant(a: &str, b: &str) -> bool {
    match (a.parse::<dixa::DateTime>(), b.parse::<dixa::DateTime>()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equivalence_rules() {
        assert!(differences(&json!({"a": null, "b": 1}), &json!({"b": 1.0})).is_empty());
        assert!(differences(
            &json!({"t": "2021-12-01T12:46:36.581Z[GMT]"}),
            &json!({"t": "2021-12-01T12:46:36.581Z"})
        )
        .is_empty());
        assert_eq!(differences(&json!({"a": 1}), &json!({"a": 2})).len(), 1);
        assert_eq!(differences(&json!({}), &json!({"_type": "X"})).len(), 1);
        assert_eq!(differences(&json!({"_type": "X"}), &json!({})).len(), 1);
        assert_eq!(differences(&json!([1, 2]), &json!([1])).len(), 1);
        assert!(differences(&json!({"a": [], "b": 1}), &json!({"b": 1})).is_empty());
        assert_eq!(differences(&json!({"a": [1]}), &json!({})).len(), 1);
        assert_eq!(differences(&json!({}), &json!({"a": []})).len(), 1);
        assert_eq!(differences(&json!([]), &json!(null)).len(), 1);
        assert_eq!(differences(&json!("a"), &json!("b")).len(), 1);
    }
}
