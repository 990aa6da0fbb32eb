//! Stage 1: read the spec (and the webhooks description) into JSON trees.
//!
//! The YAML is read into a generic tree so that a syntax error reports its line and column, and so
//! that the project's overrides can patch the tree by JSON pointer before lowering parses it into
//! openapiv3 types (`lower::parse`). This module knows no policy and no openapiv3 type.

use crate::error::{Error, Result};
use serde_json::Value;
use std::path::Path;

pub mod chunks;
pub mod openapi31;

/// Reads a file, naming it in the error.
pub fn read_file(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })
}

/// Parses YAML (or JSON, which is YAML) text into a JSON tree, with line and column on error.
pub fn parse_yaml(path: &Path, text: &str) -> Result<Value> {
    // Most specs go straight into a JSON tree in one pass. YAML that JSON cannot hold as is
    // (unquoted `200:` keys, tags) or that is malformed takes the slower path below, which
    // converts keys and reports syntax errors with their line and column. A large spec is first
    // read in pieces on several threads, when it is written the way that allows (`chunks`).
    if let Some(tree) = chunks::parse(text) {
        return Ok(tree);
    }
    if let Ok(tree) = serde_yaml::from_str::<Value>(text) {
        return Ok(tree);
    }
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| Error::Yaml {
        path: path.to_owned(),
        message: match e.location() {
            Some(loc) => format!("line {}, column {}: {e}", loc.line(), loc.column()),
            None => e.to_string(),
        },
    })?;
    yaml_to_json(yaml, "").map_err(|(pointer, message)| Error::Yaml {
        path: path.to_owned(),
        message: format!("at {pointer}: {message}"),
    })
}

/// Converts a YAML tree to JSON, turning non-string keys (unquoted `200:` status codes) into strings.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| (pointer.to_owned(), format!("number {f} is not valid JSON")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            pointer.to_owned(),
                            format!("unsupported mapping key {other:?}"),
                        ))
                    }
                };
                let child = format!("{pointer}/{}", escape_pointer(&key));
                let v = yaml_to_json(v, &child)?;
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Reads the spec at `path` into a JSON tree, as written (the project's overrides are applied by
/// [`Overrides::load`](crate::policy::Overrides::load)).
pub fn load_tree(path: &Path) -> Result<Value> {
    let text = read_file(path)?;
    parse_yaml(path, &text)
}

/// `spec/webhooks.yaml` as lowering reads it: the bodies of the webhooks Dixa delivers, which
/// Dixa's OpenAPI description does not contain. The file is ours, written as an OpenAPI 3.1
/// document with `webhooks` (one per event type) and JSON-Schema `components.schemas`.
#[derive(Debug, Clone)]
pub struct WebhooksSpec {
    /// The file's name, which prefixes the JSON pointers of its errors.
    pub file: String,
    /// Its schemas as an OpenAPI 3.1 document without paths (a JSON tree), which lowering parses
    /// (rewritten into 3.0 by [`openapi31`]) and lowers like the API's.
    pub schemas: Value,
    /// `x-event-types`: the JSON pointer, in the API's spec, of the subscription API's event enum.
    pub event_types: String,
    /// The key of the envelope schema every webhook's body refers to.
    pub envelope: String,
    /// The webhooks, sorted by name.
    pub events: Vec<WebhookEntry>,
}

/// One entry of `webhooks`.
#[derive(Debug, Clone)]
pub struct WebhookEntry {
    /// The key: the subscription API's event name (`ConversationCreated`).
    pub name: String,
    /// The entry's JSON pointer, prefixed with the file name.
    pub pointer: String,
    /// `post.summary`.
    pub summary: Option<String>,
    /// `post.description`.
    pub description: Option<String>,
    /// The schema key of `data`, when the body says more than the envelope.
    pub data: Option<String>,
}

/// Reads `spec/webhooks.yaml`.
pub fn load_webhooks(path: &Path) -> Result<WebhooksSpec> {
    let text = read_file(path)?;
    let mut doc = parse_yaml(path, &text)?;
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let at = |pointer: &str| format!("{file}#{pointer}");
    match doc.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.1.") => {}
        _ => {
            return Err(Error::spec(
                at("/openapi"),
                "a webhooks description is an OpenAPI 3.1 document (`openapi: 3.1.0`)",
            ))
        }
    }
    let event_types = match doc.get("x-event-types") {
        Some(Value::String(pointer)) => pointer.clone(),
        _ => return Err(Error::spec(
            at("/x-event-types"),
            "missing: the JSON pointer, in the API's spec, of the subscription API's event enum",
        )),
    };
    let schemas = match doc.pointer_mut("/components/schemas") {
        Some(Value::Object(schemas)) => std::mem::take(schemas),
        _ => {
            return Err(Error::spec(
                at("/components/schemas"),
                "missing or not a mapping",
            ))
        }
    };
    let Some(Value::Object(webhooks)) = doc.get("webhooks") else {
        return Err(Error::spec(at("/webhooks"), "missing or not a mapping"));
    };
    let mut envelope: Option<String> = None;
    let mut events = Vec::with_capacity(webhooks.len());
    for (name, item) in webhooks {
        let pointer = at(&format!("/webhooks/{}", escape_pointer(name)));
        let post = item.get("post").ok_or_else(|| {
            Error::spec(&pointer, "a webhook is a path item with a `post` operation")
        })?;
        let text = |key: &str| post.get(key).and_then(Value::as_str).map(str::to_owned);
        let body_pointer = format!("{pointer}/post/requestBody/content/application~1json/schema");
        let body = post
            .pointer("/requestBody/content/application~1json/schema")
            .ok_or_else(|| Error::spec(&body_pointer, "missing: the body's schema"))?;
        let (this_envelope, data) = webhook_body(body, &body_pointer)?;
        match &envelope {
            Some(first) if *first != this_envelope => {
                return Err(Error::spec(
                    &body_pointer,
                    format!("every webhook shares one envelope; this one is {this_envelope:?}, others {first:?}"),
                ))
            }
            Some(_) => {}
            None => envelope = Some(this_envelope),
        }
        events.push(WebhookEntry {
            name: name.clone(),
            pointer,
            summary: text("summary"),
            description: text("description"),
            data,
        });
    }
    events.sort_by(|a, b| a.name.cmp(&b.name));
    let envelope =
        envelope.ok_or_else(|| Error::spec(at("/webhooks"), "no webhook is described"))?;
    // The schemas keep their 3.1 spelling: parsing the document rewrites it into 3.0
    // (`openapi31`), as it does the API's own description when that is 3.1.
    let document = serde_json::json!({
        "openapi": "3.1.0",
        "info": doc.get("info").cloned().unwrap_or_else(|| serde_json::json!({"title": file, "version": "1"})),
        "paths": {},
        "components": {"schemas": Value::Object(schemas)},
    });
    Ok(WebhooksSpec {
        file,
        schemas: document,
        event_types,
        envelope,
        events,
    })
}

/// The schema keys of a webhook body: `$ref` to the envelope alone (nothing is known of `data`),
/// or `allOf` of that `$ref` and an object whose `data` property is a `$ref`. JSON Schema allows
/// much more; the generator reads only these two shapes and names anything else.
fn webhook_body(body: &Value, pointer: &str) -> Result<(String, Option<String>)> {
    let schema_key = |value: &Value, at: &str| -> Result<String> {
        value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .map(str::to_owned)
            .ok_or_else(|| Error::spec(at, "expected a `$ref` to #/components/schemas/..."))
    };
    if body.get("$ref").is_some() {
        return Ok((schema_key(body, pointer)?, None));
    }
    match body.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([envelope, rest]) => {
            let data = rest.pointer("/properties/data").ok_or_else(|| {
                Error::spec(format!("{pointer}/allOf/1"), "expected `properties: {data: {$ref: ...}}`")
            })?;
            Ok((
                schema_key(envelope, &format!("{pointer}/allOf/0"))?,
                Some(schema_key(data, &format!("{pointer}/allOf/1/properties/data"))?),
            ))
        }
        _ => Err(Error::spec(
            pointer,
            "expected a `$ref` to the envelope, or `allOf` of that `$ref` and `properties: {data: {$ref: ...}}`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_errors_carry_line_and_column() {
        let err = parse_yaml(Path::new("x.yaml"), "a: [1, 2\nb: 3\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line "), "{msg}");
        assert!(msg.contains("column "), "{msg}");
    }

    #[test]
    fn numeric_keys_become_strings() {
        let v = parse_yaml(Path::new("x.yaml"), "responses:\n  200: ok\n").unwrap();
        assert_eq!(v["responses"]["200"], "ok");
    }
}
