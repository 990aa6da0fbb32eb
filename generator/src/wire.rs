//! The spec as the SDK reads the wire: the upstream description with the project's overrides
//! applied and Dixa's implicit conventions made explicit, for tools that only read schemas (mock
//! servers such as Prism, validators).
//!
//! * `_type`-tagged unions: each variant schema gains a required `_type` property whose only value
//!   is its tag, and `oneOf` becomes `anyOf` (variants that differ only in their tag would
//!   otherwise match several branches of a `oneOf`).
//! * Unions of case objects, which Dixa sends as plain strings, become string enums.
//! * Every other `oneOf` becomes `anyOf`.
//!
//! The decisions come from the lowered IR, so this file and the SDK cannot disagree.

use crate::error::{Error, Result};
use crate::ir::{TypeDef, TypeKind};
use crate::{load, lower, Config};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Builds the wire-faithful spec as a JSON tree.
pub fn wire_spec(config: &Config) -> Result<Value> {
    let (overrides, renames, lock) = crate::policies(config)?;
    let mut tree = load::load_tree(&config.spec, &overrides)?;
    let api = lower::lower(&load::parse_openapi(tree.clone())?, &renames, &lock)?;

    let by_name: BTreeMap<&str, &TypeDef> =
        api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for def in &api.types {
        let Some(pointer) = component_pointer(&def.origin) else {
            continue;
        };
        match &def.kind {
            TypeKind::TaggedUnion { variants } => {
                for variant in variants {
                    let target = by_name
                        .get(variant.ty.as_str())
                        .and_then(|t| component_pointer(&t.origin))
                        .ok_or_else(|| {
                            Error::spec(
                                &def.origin,
                                format!("variant {} has no schema", variant.ty),
                            )
                        })?;
                    if let Some(Value::Object(schema)) = tree.pointer_mut(target) {
                        add_tag(schema, &variant.tag);
                    }
                }
            }
            TypeKind::StringEnum { values } => {
                if let Some(Value::Object(schema)) = tree.pointer_mut(pointer) {
                    if schema.contains_key("oneOf") {
                        schema.remove("oneOf");
                        schema.insert("type".to_owned(), json!("string"));
                        let values: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                        schema.insert("enum".to_owned(), json!(values));
                    }
                }
            }
            _ => {}
        }
    }
    one_of_to_any_of(&mut tree);
    Ok(tree)
}

/// The tree pointer of a component schema origin (`#/components/schemas/X` -> `/components/schemas/X`).
fn component_pointer(origin: &str) -> Option<&str> {
    origin
        .strip_prefix('#')
        .filter(|p| p.starts_with("/components/schemas/") && !p.contains(", "))
}

fn add_tag(schema: &mut Map<String, Value>, tag: &str) {
    let properties = schema.entry("properties").or_insert_with(|| json!({}));
    if let Value::Object(properties) = properties {
        properties.insert("_type".to_owned(), json!({"type": "string", "enum": [tag]}));
    }
    let required = schema.entry("required").or_insert_with(|| json!([]));
    if let Value::Array(required) = required {
        if !required.iter().any(|r| r == "_type") {
            required.push(json!("_type"));
        }
    }
}

fn one_of_to_any_of(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(variants) = map.remove("oneOf") {
                map.insert("anyOf".to_owned(), variants);
            }
            map.values_mut().for_each(one_of_to_any_of);
        }
        Value::Array(items) => items.iter_mut().for_each(one_of_to_any_of),
        _ => {}
    }
}
