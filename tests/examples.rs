//! The spec's JSON examples, with where they stand and which schema they illustrate.
//!
//! Shared by the build script (which generates the type dispatch for the schemas that have examples)
//! and the conformance test (which round-trips every example), so both see the same list.

use serde_json::Value;
use std::path::Path;

/// What part of an exchange an example shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A request body.
    Request,
    /// A 2xx response body.
    Success,
    /// An error response body.
    Error,
}

/// The schema an example is declared under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `$ref: '#/components/schemas/Key'`.
    Named(String),
    /// `type: array` of `$ref: '#/components/schemas/Key'`.
    ListOf(String),
}

/// One example.
#[derive(Debug, Clone)]
pub struct Example {
    /// The operationId of the operation the example belongs to.
    pub operation_id: String,
    /// `POST /beta/conversations/{conversationId}/notes 200 "created internal note"`.
    pub location: String,
    /// Request, success or error.
    pub role: Role,
    /// The declared schema.
    pub shape: Shape,
    /// The example itself.
    pub value: Value,
}

fn shape_of(schema: &Value) -> Option<Shape> {
    let key = |v: &Value| {
        v.get("$ref")?
            .as_str()?
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned)
    };
    if let Some(k) = key(schema) {
        return Some(Shape::Named(k));
    }
    if schema.get("type")?.as_str()? == "array" {
        return key(schema.get("items")?).map(Shape::ListOf);
    }
    None
}

fn push_examples(out: &mut Vec<Example>, media: &Value, op: &str, location: &str, role: Role) {
    let Some(shape) = media.get("schema").and_then(shape_of) else {
        return;
    };
    if let Some(value) = media.get("example") {
        out.push(Example {
            operation_id: op.to_owned(),
            location: location.to_owned(),
            role,
            shape: shape.clone(),
            value: value.clone(),
        });
    }
    if let Some(Value::Object(examples)) = media.get("examples") {
        for (name, example) in examples {
            if let Some(value) = example.get("value") {
                out.push(Example {
                    operation_id: op.to_owned(),
                    location: format!("{location} {name:?}"),
                    role,
                    shape: shape.clone(),
                    value: value.clone(),
                });
            }
        }
    }
}

/// Every JSON example of the spec's request and response bodies, in spec order.
pub fn collect(spec: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let Some(Value::Object(paths)) = spec.get("paths") else {
        return out;
    };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for (method, op) in item {
            let prefix = format!("{} {path}", method.to_ascii_uppercase());
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if let Some(media) = op.pointer("/requestBody/content/application~1json") {
                push_examples(
                    &mut out,
                    media,
                    id,
                    &format!("{prefix} request"),
                    Role::Request,
                );
            }
            if let Some(Value::Object(responses)) = op.get("responses") {
                for (status, response) in responses {
                    let role = if status.starts_with('2') {
                        Role::Success
                    } else {
                        Role::Error
                    };
                    if let Some(media) = response.pointer("/content/application~1json") {
                        push_examples(&mut out, media, id, &format!("{prefix} {status}"), role);
                    }
                }
            }
        }
    }
    out
}

/// The spec as a JSON tree with the project's overrides applied, as the generator sees it.
pub fn spec_tree(spec: &Path, overrides: &Path) -> Value {
    let overrides = if overrides.exists() {
        generator::policy::Overrides::from_file(overrides).expect("the overrides parse")
    } else {
        generator::policy::Overrides::none()
    };
    overrides.load(spec).expect("the spec loads")
}
