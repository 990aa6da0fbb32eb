//! Recursion: a type that contains itself by value has infinite size, so the field (or union variant)
//! that closes a cycle is stored in a `Box`. Lists and maps already allocate, so only direct references
//! count as edges.

use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Marks every direct reference that lies on a cycle as boxed.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .map(|def| (def.name.to_string(), direct_refs(def)))
        .collect();
    let reaches = |from: &str, to: &str| -> bool {
        let mut stack = vec![from.to_owned()];
        let mut seen = BTreeSet::new();
        while let Some(node) = stack.pop() {
            if node == to {
                return true;
            }
            if seen.insert(node.clone()) {
                if let Some(next) = edges.get(&node) {
                    stack.extend(next.iter().cloned());
                }
            }
        }
        false
    };
    for def in types.iter_mut() {
        let owner = def.name.clone();
        match &mut def.kind {
            TypeKind::Struct { fields } => {
                for field in fields {
                    if let TypeRef::Named(target) = &field.ty {
                        field.boxed = reaches(target, &owner);
                    }
                }
            }
            TypeKind::TaggedUnion { variants, .. } => {
                for variant in variants {
                    variant.boxed = reaches(&variant.ty, &owner);
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
fn direct_refs(def: &TypeDef) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    def.walk(&mut |r| {
        if r.by_value {
            out.extend(r.ty.name().map(str::to_owned));
        }
    });
    out
}
