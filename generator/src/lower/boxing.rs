//! Recursion: a type that contains itself by value has infinite size, so the field (or union variant)
//! that closes a cycle is stored in a `Box`. Lists and maps already allocate, so only direct references
//! count as edges.

use crate::ir::graph::TypeGraph;
use crate::ir::{TypeDef, TypeKind, TypeRef};
use crate::naming::RustIdent;
use std::collections::{BTreeMap, BTreeSet};

/// Marks every direct reference that lies on a cycle as boxed.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let graph = TypeGraph::by_value(types);
    let reaches = |from: &str, owner: &RustIdent| match (graph.node(from), graph.node(owner)) {
        (Some(from), Some(owner)) => graph.reaches(from, owner),
        _ => false,
    };
    let boxed: Vec<Vec<bool>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .map(|field| match &field.ty {
                    TypeRef::Named(target) => reaches(target, &def.name),
                    _ => field.boxed,
                })
                .collect(),
            TypeKind::TaggedUnion { variants, .. } => variants
                .iter()
                .map(|variant| reaches(&variant.ty, &def.name))
                .collect(),
            TypeKind::Alias { .. }
            | TypeKind::StringEnum { .. }
            | TypeKind::Untagged { .. }
            | TypeKind::Id { .. } => Vec::new(),
        })
        .collect();
    for (def, boxed) in types.iter_mut().zip(boxed) {
        match &mut def.kind {
            TypeKind::Struct { fields } => {
                for (field, boxed) in fields.iter_mut().zip(boxed) {
                    field.boxed = boxed;
                }
            }
            TypeKind::TaggedUnion { variants, .. } => {
                for (variant, boxed) in variants.iter_mut().zip(boxed) {
                    variant.boxed = boxed;
                }
            }
            TypeKind::Alias { .. }
            | TypeKind::StringEnum { .. }
            | TypeKind::Untagged { .. }
            | TypeKind::Id { .. } => {}
        }
    }
}

/// A type alias cannot contain itself: `type Nested = Vec<Nested>` is an infinite type to rustc, even
/// through a `Vec` or a map, because an alias is only another name for its expansion. Where aliases
/// form a cycle, the reference that closes it (the first met, in name order) is replaced by
/// `serde_json::Value`, with a warning; structs and enums are named types and need no such fallback.
pub(super) fn break_alias_cycles(types: &mut [TypeDef], warnings: &mut Vec<String>) {
    let aliases: BTreeMap<String, usize> = types
        .iter()
        .enumerate()
        .filter(|(_, def)| matches!(def.kind, TypeKind::Alias { .. }))
        .map(|(i, def)| (def.name.to_string(), i))
        .collect();
    for (name, &index) in &aliases {
        let TypeKind::Alias { target } = &types[index].kind else {
            continue;
        };
        let mut target = target.clone();
        let mut closing = Vec::new();
        target.visit_mut(&mut |ty| {
            if let TypeRef::Named(inner) = ty {
                if alias_reaches(types, &aliases, inner, name) {
                    closing.push(inner.clone());
                    *ty = TypeRef::Json;
                }
            }
        });
        for inner in closing {
            warnings.push(format!(
                "{}: type alias {name} contains itself through {inner}; that reference is kept as serde_json::Value",
                types[index].origin
            ));
        }
        types[index].kind = TypeKind::Alias { target };
    }
}

/// Whether the alias `from` leads to `to` through the targets of aliases alone.
fn alias_reaches(
    types: &[TypeDef],
    aliases: &BTreeMap<String, usize>,
    from: &str,
    to: &str,
) -> bool {
    let mut stack = vec![from.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        let Some(&index) = aliases.get(&node) else {
            continue;
        };
        if !seen.insert(node) {
            continue;
        }
        types[index].walk(&mut |r| stack.extend(r.ty.name().map(str::to_owned)));
    }
    false
}
