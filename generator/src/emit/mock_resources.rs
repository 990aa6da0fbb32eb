//! Emits `src/mock/resources.rs` (cargo feature `testing`): the table of the collections
//! `MockDixa` keeps, as embedded JSON data rather than code per resource. The resources come from
//! [`crate::ir::resources`], which derives them from the spec's paths, methods and ids; this module
//! adds what the runtime needs to build values: the template a created item starts from (its
//! required members, valued from the spec's example of the item where it has them, else a minimal
//! value of their type) and, for a create answering another type than the item, that type's
//! members.

use super::docs;
use super::mock::sample;
use crate::ir::resources::{self, Resource, ResourceKind, ResourceOp};
use crate::ir::{Api, Operation, ResponseKind, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The tokens of `src/mock/resources.rs`.
pub fn resources_file(api: &Api) -> TokenStream {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let ops: BTreeMap<&str, &Operation> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|op| (op.id.as_str(), op))
        .collect();
    let table: Vec<Value> = resources::resources(api)
        .iter()
        .map(|r| entry(r, &types, &ops))
        .collect();
    let text = Value::Array(table).to_string();
    let doc = docs::raw(
        "The collections the fake keeps (derived from the spec's paths, methods and ids by \
         `generator/src/ir/resources.rs`): each one's paths, id, parent, operations and the \
         template a created item starts from, as JSON.",
    );
    quote! {
        #doc
        pub(super) const RESOURCES: &str = #text;
    }
}

fn entry(
    r: &Resource,
    types: &BTreeMap<&str, &TypeDef>,
    ops: &BTreeMap<&str, &Operation>,
) -> Value {
    let mut out = json!({
        "collection": r.collection,
        "item": r.item,
        "id_param": r.id_param,
        "parent": r.parent,
        "operations": r.operations.iter().map(|op| operation(op, types, ops)).collect::<Vec<_>>(),
    });
    let Some(map) = out.as_object_mut() else {
        return out;
    };
    match &r.kind {
        ResourceKind::Stored { item, id } => {
            map.insert("kind".to_owned(), json!("stored"));
            map.insert("id_kind".to_owned(), json!(id.as_str()));
            // The spec's example of one item: the item read's, else the first of the list's.
            let example = r
                .operations
                .iter()
                .filter_map(|op| ops.get(op.operation.as_str()))
                .find_map(|op| item_example(op));
            map.insert(
                "template".to_owned(),
                template(item, example.as_ref(), types),
            );
            map.insert(
                "required".to_owned(),
                json!(required(item, example.as_ref(), types)),
            );
        }
        ResourceKind::Links { target } => {
            map.insert("kind".to_owned(), json!("links"));
            map.insert("target".to_owned(), json!(target));
        }
    }
    out
}

fn operation(
    op: &ResourceOp,
    types: &BTreeMap<&str, &TypeDef>,
    ops: &BTreeMap<&str, &Operation>,
) -> Value {
    let mut out = json!({
        "operation": op.operation,
        "role": op.role.as_str(),
        "shape": op.shape.as_str(),
        "status": op.status,
        "copied": op.copied,
    });
    if let (Some(map), Some((field, value))) = (out.as_object_mut(), &op.set) {
        map.insert("set".to_owned(), json!({ "field": field, "value": value }));
    }
    if let (Some(map), Some(output)) = (out.as_object_mut(), &op.output) {
        let example = ops
            .get(op.operation.as_str())
            .and_then(|o| o.response.example.as_ref())
            .and_then(|e| e.get("data"));
        map.insert("output".to_owned(), template(output, example, types));
    }
    out
}

/// The example of one item an operation's response gives: the `data` of a read, the first element
/// of a list's `data`.
fn item_example(op: &Operation) -> Option<Value> {
    let data = op.response.example.as_ref()?.get("data")?;
    match (&op.response.kind, data) {
        (_, Value::Array(items)) => items.first().cloned(),
        (ResponseKind::Data { .. } | ResponseKind::Json(_), Value::Object(_)) => Some(data.clone()),
        _ => None,
    }
}

/// A struct's fields, and the tag property and value of the union variant it is.
type StructOf<'a> = (&'a [crate::ir::Field], Option<(String, String)>);

/// The struct a value of `name` is: the variant of a tagged union the example's tag names (else
/// the first), with the tag.
fn struct_of<'a>(
    name: &str,
    example: Option<&Value>,
    types: &BTreeMap<&str, &'a TypeDef>,
) -> Option<StructOf<'a>> {
    match types.get(name).map(|t| &t.kind)? {
        TypeKind::Struct { fields } => Some((fields.as_slice(), None)),
        TypeKind::TaggedUnion { tag, variants } => {
            let named = example
                .and_then(|e| e.get(&tag.property))
                .and_then(Value::as_str);
            let variant = variants
                .iter()
                .find(|v| Some(v.tag.as_str()) == named)
                .or_else(|| variants.first())?;
            let (fields, _) = struct_of(variant.ty.as_str(), None, types)?;
            Some((fields, Some((tag.property.clone(), variant.tag.clone()))))
        }
        TypeKind::Alias {
            target: TypeRef::Named(target),
        } => struct_of(target.as_str(), example, types),
        _ => None,
    }
}

/// The members every item has: the required fields (and the union's tag).
fn required(name: &str, example: Option<&Value>, types: &BTreeMap<&str, &TypeDef>) -> Vec<String> {
    let Some((fields, tag)) = struct_of(name, example, types) else {
        return Vec::new();
    };
    let mut out: Vec<String> = fields
        .iter()
        .filter(|f| f.required && !f.flatten)
        .map(|f| f.wire.clone())
        .chain(tag.map(|(property, _)| property))
        .collect();
    out.sort();
    out
}

/// A new item's starting value: its required members, from the example where it has them.
fn template(name: &str, example: Option<&Value>, types: &BTreeMap<&str, &TypeDef>) -> Value {
    let Some((fields, tag)) = struct_of(name, example, types) else {
        return json!({});
    };
    let mut map = Map::new();
    for field in fields.iter().filter(|f| f.required && !f.flatten) {
        let value = example
            .and_then(|e| e.get(&field.wire))
            .cloned()
            .unwrap_or_else(|| sample(&field.ty, types, 1));
        map.insert(field.wire.clone(), value);
    }
    if let Some((property, value)) = tag {
        map.insert(property, json!(value));
    }
    Value::Object(map)
}
