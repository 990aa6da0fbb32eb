//! Recursion: a type that contains itself by value has infinite size, so the field (or union variant)
//! that closes a cycle is stored in a `Box`. Lists and maps already allocate, so only direct references
//! count as edges.

use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Marks every direct reference that lies on a cycle as boxed.
pub(super) fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, BTreeSet<String>> = types
        .iter()
        .map(|def| (def.name.clone(), direct_refs(&def.kind)))
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
            TypeKind::TaggedUnion { variants } => {
                for variant in variants {
                    variant.boxed = reaches(&variant.ty, &owner);
                }
            }
            TypeKind::Alias { .. } | TypeKind::StringEnum { .. } | TypeKind::Untagged { .. } => {}
        }
    }
}

/// The named types a type holds by value.
fn direct_refs(kind: &TypeKind) -> BTreeSet<String> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => Some(name.clone()),
        _ => None,
    };
    match kind {
        TypeKind::Struct { fields } => fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Alias { target } => named(target).into_iter().collect(),
        TypeKind::TaggedUnion { variants } => variants.iter().map(|v| v.ty.clone()).collect(),
        TypeKind::Untagged { variants } => variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::StringEnum { .. } => BTreeSet::new(),
    }
}
