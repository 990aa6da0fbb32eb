//! Recursion: a type that contains itself by value has infinite size, so the field (or union variant)
//! that closes a cycle is stored in a `Box`. Lists and maps already allocate, so only direct references
//! count as edges.

use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Marks every direct reference that lies on a cycle as boxed.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    // The graph by index: a walk per field and variant, over hundreds of types, is cheap on
    // integers and was not on names (each step cloned and compared strings).
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            direct_refs(def)
                .iter()
                .filter_map(|name| index.get(name).copied())
                .collect()
        })
        .collect();
    // `seen[n] == round` marks the nodes met by the current walk.
    let mut seen = vec![0usize; types.len()];
    let mut round = 0;
    let mut reaches = |from: &str, to: usize| -> bool {
        let Some(&from) = index.get(from) else {
            return false;
        };
        round += 1;
        let mut stack = vec![from];
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen[node] != round {
                seen[node] = round;
                stack.extend(&edges[node]);
            }
        }
        false
    };
    let boxed: Vec<Vec<bool>> = types
        .iter()
        .map(|def| (def, index[def.name.as_str()]))
        .map(|(def, owner)| match &def.kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .map(|field| match &field.ty {
                    TypeRef::Named(target) => reaches(target, owner),
                    _ => field.boxed,
                })
                .collect(),
            TypeKind::TaggedUnion { variants, .. } => variants
                .iter()
                .map(|variant| reaches(&variant.ty, owner))
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

/// The named types a type holds by value.
fn direct_refs(def: &TypeDef) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    def.walk(&mut |r| {
        if r.by_value {
            out.extend(r.ty.name());
        }
    });
    out
}
