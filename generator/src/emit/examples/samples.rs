//! Values the spec's own examples give, by where they appear, for the arguments of the doc examples.
//!
//! Dixa's spec gives almost no parameter an example, but its request and response examples are full
//! of real values: the agent's id in the answer of `getAgent`, a metric's id in the metrics
//! catalogue. Each example is walked along its IR type, and the first value seen of each id or enum
//! type, of each field of each struct and of each wire name is kept (in the API's order of
//! operations, so the choice is deterministic). An argument then takes, in this order, its own
//! example, a value of its type, a value of a field named like it, or the `id` of an item of the
//! list at its parent path (`/beta/analytics/metrics` for `metricId`); only where all are missing does
//! it fall back to a placeholder.

use crate::ir::{Operation, ResponseKind, TypeDef, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeMap;

/// Recursion limit of the walk (examples nest far less).
const MAX_DEPTH: usize = 24;

/// The values of the spec's examples, by type, by struct field and by wire name.
#[derive(Debug, Default)]
pub struct Samples {
    /// The first value of each id and string enum type.
    by_type: BTreeMap<String, Value>,
    /// The first scalar value of each field, by its struct, then its wire name.
    by_field: BTreeMap<String, BTreeMap<String, Value>>,
    /// The first scalar value of any field with this wire name.
    by_wire: BTreeMap<String, Value>,
    /// The item type of each list a GET operation answers, by its path.
    collections: BTreeMap<String, String>,
}

impl Samples {
    /// The values of every example of `ops` (their bodies' and their answers'), in order.
    pub fn new<'a>(
        ops: impl IntoIterator<Item = &'a Operation>,
        types: &BTreeMap<&str, &TypeDef>,
    ) -> Self {
        let mut samples = Samples::default();
        for op in ops {
            samples.add_operation(op, types);
            if op.method == crate::ir::HttpMethod::Get {
                if let Some(item) = listed_item(op) {
                    samples.collections.entry(op.path.clone()).or_insert(item);
                }
            }
        }
        samples
    }

    /// Adds the values of `op`'s body and response examples.
    fn add_operation(&mut self, op: &Operation, types: &BTreeMap<&str, &TypeDef>) {
        if let Some(body) = &op.body {
            if let Some(example) = &body.example {
                self.walk(&body.ty, example, types, 0);
            }
        }
        if let (Some(ty), Some(example)) = (answer_type(&op.response.kind), &op.response.example) {
            self.walk(&ty, example, types, 0);
        }
    }

    fn walk(
        &mut self,
        ty: &TypeRef,
        value: &Value,
        types: &BTreeMap<&str, &TypeDef>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || value.is_null() {
            return;
        }
        match (ty, value) {
            (TypeRef::List(inner), Value::Array(items)) => {
                for item in items {
                    self.walk(inner, item, types, depth + 1);
                }
            }
            (TypeRef::Map(inner) | TypeRef::KeyedMap(_, inner), Value::Object(entries)) => {
                for item in entries.values() {
                    self.walk(inner, item, types, depth + 1);
                }
            }
            (TypeRef::Named(name), value) => {
                let Some(def) = types.get(name.as_str()) else {
                    return;
                };
                match (&def.kind, value) {
                    (TypeKind::Id { .. } | TypeKind::StringEnum { .. }, _) => {
                        first(&mut self.by_type, name.as_str(), value);
                    }
                    (TypeKind::Alias { target }, _) => self.walk(target, value, types, depth + 1),
                    (TypeKind::Struct { fields }, Value::Object(object)) => {
                        for f in fields {
                            let Some(v) = object.get(&f.wire).filter(|v| !v.is_null()) else {
                                continue;
                            };
                            if !v.is_object() && !v.is_array() {
                                let owner = match self.by_field.get_mut(name.as_str()) {
                                    Some(owner) => owner,
                                    None => {
                                        self.by_field.entry(name.as_str().to_owned()).or_default()
                                    }
                                };
                                first(owner, &f.wire, v);
                                first(&mut self.by_wire, &f.wire, v);
                            }
                            self.walk(&f.ty, v, types, depth + 1);
                        }
                    }
                    (TypeKind::TaggedUnion { tag, variants }, Value::Object(object)) => {
                        let wire = object.get(&tag.property).and_then(Value::as_str);
                        if let Some(variant) =
                            variants.iter().find(|v| Some(v.tag.as_str()) == wire)
                        {
                            let ty = TypeRef::Named(variant.ty.clone());
                            self.walk(&ty, value, types, depth + 1);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The example values for the parameter `wire` of type `ty` of the operation at `path`, best
    /// first: a value of its type, of a field named like it, of the `id` of the list at its parent
    /// path. The caller takes the first its type can express.
    pub fn for_param(&self, path: &str, wire: &str, ty: &TypeRef) -> Vec<&Value> {
        let mut out = Vec::new();
        if let TypeRef::Named(name) = ty {
            out.extend(self.by_type.get(name.as_str()));
        }
        out.extend(self.by_wire.get(wire));
        let segment = format!("/{{{wire}}}");
        if let Some(parent) = path.find(&segment).map(|at| &path[..at]) {
            if let Some(item) = self.collections.get(parent) {
                out.extend(self.by_field.get(item).and_then(|fields| fields.get("id")));
            }
        }
        out
    }

    /// The example value of a field of a struct, or of any field with its wire name.
    pub fn for_field(&self, owner: &str, wire: &str) -> Option<&Value> {
        self.by_field
            .get(owner)
            .and_then(|fields| fields.get(wire))
            .or_else(|| self.by_wire.get(wire))
    }

    /// The example value of an id or string enum type.
    pub fn for_type(&self, name: &str) -> Option<&Value> {
        self.by_type.get(name)
    }
}

/// Keeps `value` as the value of `key` unless one was seen first. The walk sees each key many
/// times, so the key is copied only the first time.
fn first(map: &mut BTreeMap<String, Value>, key: &str, value: &Value) {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), value.clone());
    }
}

/// The type of the body an answer's example shows: the whole body (an envelope included).
fn answer_type(kind: &ResponseKind) -> Option<TypeRef> {
    match kind {
        ResponseKind::Json(ty) => Some(ty.clone()),
        ResponseKind::Data { envelope, .. } => Some(TypeRef::Named(envelope.clone())),
        ResponseKind::Optional { variants } | ResponseKind::ByStatus { variants, .. } => {
            variants.iter().find_map(|v| answer_type(&v.kind))
        }
        ResponseKind::Empty | ResponseKind::Text | ResponseKind::Bytes => None,
    }
}

/// The named type of the items a list operation answers: its pages' items, or a list result.
fn listed_item(op: &Operation) -> Option<String> {
    let list = match (&op.pagination, &op.response.kind) {
        (Some(pages), _) => &pages.item,
        (None, ResponseKind::Json(TypeRef::List(item)))
        | (
            None,
            ResponseKind::Data {
                data: TypeRef::List(item),
                ..
            },
        ) => item,
        _ => return None,
    };
    match list {
        TypeRef::Named(name) => Some(name.as_str().to_owned()),
        _ => None,
    }
}
