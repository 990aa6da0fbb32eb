//! The spec as the SDK reads the wire: the upstream description with the project's overrides
//! applied and Dixa's implicit conventions made explicit, for tools that only read schemas (mock
//! servers such as Prism, validators).
//!
//! * Tagged unions: each branch of the union requires the tag property (`_type` for Dixa's, the
//!   `discriminator`'s `propertyName`, or the property every branch fixes) whose only value is its
//!   variant's tag (`allOf` of the variant and the tag), and `oneOf` becomes `anyOf` (variants
//!   that differ only in their tag would otherwise match several branches of a `oneOf`). The tag
//!   is declared on the union's branches, not on the variant schemas: where a property refers to a
//!   variant directly (`EventDeliveryLog.deliveryDetail` is a `DeliveryDetail`), Dixa's examples
//!   send the object without `_type`, as a Scala codec of a case class (rather than of its sealed
//!   trait) writes it, and so does the SDK. (Variant schemas that declare the tag themselves keep
//!   declaring it, and their structs write it.) A `discriminator` mapping that gives one branch
//!   several tags makes a branch per tag.
//! * Unions of case objects, which Dixa sends as plain strings, become string enums.
//! * Every other `oneOf` becomes `anyOf`.
//!
//! The decisions come from the lowered IR, so this file and the SDK cannot disagree.

use crate::error::{Error, Result};
use crate::ir::{TypeDef, TypeKind, UnionTag, UnionVariant};
use crate::{lower, Config};
use serde_json::{json, Value};

/// Builds the wire-faithful spec as a JSON tree.
pub fn wire_spec(config: &Config) -> Result<Value> {
    let (overrides, renames, lock) = crate::policies(config)?;
    let mut tree = overrides.load(&config.spec)?;
    let (spec, normalized) = lower::parse_with_rewrites(tree.clone())?;
    let api = lower::lower(&spec, &renames, &lock).map_err(|e| normalized.restore_error(e))?;

    for def in &api.types {
        match &def.kind {
            TypeKind::TaggedUnion { tag, variants } => {
                // A shared inline union lists every place it was found; each gets the tags.
                for origin in def.origin.split(", ") {
                    tag_branches(&mut tree, origin, tag, variants, &api.types)?;
                }
            }
            TypeKind::StringEnum { values } => {
                let Some(pointer) = component_pointer(&def.origin) else {
                    continue;
                };
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

/// Makes every branch of the `oneOf` or `anyOf` at `origin` (a JSON pointer with `#`) require its
/// variant's tag. The union's variants are its branches in order (the lowering keeps them so) when
/// each branch has one tag; when a `discriminator` mapping gives a schema several tags (or names one
/// that no branch lists), the branches are rewritten from the variants, a `$ref` to each variant's
/// component schema.
fn tag_branches(
    tree: &mut Value,
    origin: &str,
    tag: &UnionTag,
    variants: &[UnionVariant],
    types: &[TypeDef],
) -> Result<()> {
    let bug = || {
        Error::spec(
            origin,
            format!(
                "generator bug: no oneOf or anyOf with the {} variants of the union lowered here",
                variants.len()
            ),
        )
    };
    let branches = origin
        .strip_prefix('#')
        .and_then(|pointer| tree.pointer_mut(pointer))
        .and_then(|schema| {
            let key = if schema.get("oneOf").is_some() {
                "oneOf"
            } else {
                "anyOf"
            };
            schema.get_mut(key)
        })
        .and_then(Value::as_array_mut)
        .ok_or_else(bug)?;
    let required = |variant: &UnionVariant| {
        json!({
            "type": "object",
            "required": [tag.property],
            "properties": {tag.property.as_str(): {"type": "string", "enum": [variant.tag]}},
        })
    };
    if branches.len() == variants.len() {
        for (branch, variant) in branches.iter_mut().zip(variants) {
            *branch = json!({"allOf": [branch.take(), required(variant)]});
        }
        return Ok(());
    }
    let mut rewritten = Vec::with_capacity(variants.len());
    for variant in variants {
        let reference = types
            .iter()
            .find(|t| t.name == variant.ty)
            .and_then(|t| component_pointer(&t.origin))
            .ok_or_else(bug)?;
        rewritten.push(json!({"allOf": [{"$ref": format!("#{reference}")}, required(variant)]}));
    }
    *branches = rewritten;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn wire(spec: &str) -> Value {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests")
            .join(spec);
        wire_spec(&Config {
            spec,
            overrides: None,
            renames: None,
            lock: None,
            webhooks: None,
        })
        .expect("the spec lowers")
    }

    fn tagged(reference: &str, tag: &str) -> Value {
        json!({"allOf": [
            {"$ref": reference},
            {"type": "object", "required": ["_type"], "properties": {"_type": {"type": "string", "enum": [tag]}}},
        ]})
    }

    #[test]
    fn union_branches_require_their_tag_and_variants_alone_do_not() {
        let tree = wire("fixtures/tagged_union.yaml");
        let rating = &tree["components"]["schemas"]["Rating"];
        assert_eq!(rating.get("oneOf"), None);
        assert_eq!(
            rating["anyOf"],
            json!([
                tagged("#/components/schemas/Csat", "Csat"),
                tagged("#/components/schemas/Nps1", "Nps"),
            ])
        );
        let csat = &tree["components"]["schemas"]["Csat"];
        assert_eq!(csat["properties"].get("_type"), None);
        assert_eq!(csat["required"], json!(["value"]));
    }

    #[test]
    fn inline_unions_are_tagged_and_untagged_ones_are_left_alone() {
        let tree = wire("robustness/one_of_variants.yaml");
        let holder = &tree["components"]["schemas"]["Holder"]["properties"];
        assert_eq!(
            holder["pets"]["anyOf"],
            json!([
                tagged("#/components/schemas/Cat", "Cat"),
                tagged("#/components/schemas/Dog", "Dog"),
            ])
        );
        let scalar_or_ref = &tree["components"]["schemas"]["ScalarOrRef"]["anyOf"];
        assert_eq!(
            scalar_or_ref[1],
            json!({"$ref": "#/components/schemas/Dog"})
        );
    }

    fn tagged_by(reference: &str, property: &str, tag: &str) -> Value {
        json!({"allOf": [
            {"$ref": reference},
            {"type": "object", "required": [property], "properties": {property: {"type": "string", "enum": [tag]}}},
        ]})
    }

    #[test]
    fn unions_tagged_by_other_properties_declare_them_on_the_branches() {
        let tree = wire("fixtures/discriminator.yaml");
        let schemas = &tree["components"]["schemas"];
        // `Dog` is under two tags: a branch for each.
        assert_eq!(
            schemas["Pet"]["anyOf"],
            json!([
                tagged_by("#/components/schemas/Dog", "petType", "dog"),
                tagged_by("#/components/schemas/Dog", "petType", "puppy"),
                tagged_by("#/components/schemas/Cat", "petType", "cat"),
            ])
        );
        assert_eq!(
            schemas["Vehicle"]["anyOf"],
            json!([
                tagged_by("#/components/schemas/Bike", "vehicle", "Bike"),
                tagged_by("#/components/schemas/Car", "vehicle", "Car"),
            ])
        );
        let tree = wire("fixtures/implicit_tag.yaml");
        assert_eq!(
            tree["components"]["schemas"]["Shape"]["anyOf"],
            json!([
                tagged_by("#/components/schemas/Circle", "type", "circle"),
                tagged_by("#/components/schemas/Square", "type", "square"),
            ])
        );
    }
}
