//! Which types of the old SDK reappear in the new one under another name: renamed by the policy
//! in the same place of the spec, or renamed upstream without changing shape.

use super::place;
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, UnionVariant, UntaggedVariant};
use crate::naming::RustIdent;
use std::collections::{BTreeMap, BTreeSet};

/// Old type name -> new type name, for the types of `old` that reappear in `new` under another name
/// with the same shape.
pub(super) type Renamed = BTreeMap<RustIdent, RustIdent>;

/// A type expression of the old SDK with renamed types written by their new names, so that a
/// reference to a renamed type does not count as a second change (the rename is reported once).
pub(super) fn mapped(ty: &TypeRef, renamed: &Renamed) -> TypeRef {
    let mut ty = ty.clone();
    ty.visit_mut(&mut |t| {
        if let TypeRef::Named(name) = t {
            if let Some(new) = renamed.get(name) {
                *name = new.clone();
            }
        }
    });
    ty
}

/// What a type looks like to code that uses it, docs left out and old names mapped to new ones:
/// two types with the same shape are interchangeable but for their name.
fn shape(kind: &TypeKind, renamed: &Renamed) -> String {
    let kind = match kind {
        TypeKind::Struct { fields } => TypeKind::Struct {
            fields: fields
                .iter()
                .map(|f| Field {
                    ty: mapped(&f.ty, renamed),
                    docs: Default::default(),
                    // The place holds the schema key, which a rename changes.
                    place: String::new(),
                    ..f.clone()
                })
                .collect(),
        },
        TypeKind::Alias { target } => TypeKind::Alias {
            target: mapped(target, renamed),
        },
        TypeKind::StringEnum { values } => TypeKind::StringEnum {
            values: values.clone(),
        },
        TypeKind::TaggedUnion { tag, variants } => TypeKind::TaggedUnion {
            tag: tag.clone(),
            variants: variants
                .iter()
                .map(|v| UnionVariant {
                    ty: renamed.get(&v.ty).cloned().unwrap_or_else(|| v.ty.clone()),
                    ..v.clone()
                })
                .collect(),
        },
        TypeKind::Untagged { variants } => TypeKind::Untagged {
            variants: variants
                .iter()
                .map(|v| UntaggedVariant {
                    ty: mapped(&v.ty, renamed),
                    ..v.clone()
                })
                .collect(),
        },
        TypeKind::Id { raw } => TypeKind::Id { raw: raw.clone() },
    };
    format!("{kind:?}")
}

/// Finds the types renamed upstream without changing shape (a schema key renamed, or numbered
/// names shifting: Dixa's v1 description calls the beta's `Select1` `Select`). An old type is a
/// candidate when its name is gone from the new SDK or now holds another shape; a new type is one
/// when its name is new or its old holder was renamed away. Candidates pair up when they are the
/// only old and the only new candidate of a shape, so a rename is never guessed among look-alikes
/// (the many empty structs). Pairing repeats until nothing changes, because a type's shape depends
/// on the names of the types it refers to.
pub(super) fn type_renames(old: &[TypeDef], new: &[TypeDef]) -> Renamed {
    let old_types: BTreeMap<&str, &TypeDef> = old.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> = new.iter().map(|t| (t.name.as_str(), t)).collect();
    let none = Renamed::new();
    let new_shapes: BTreeMap<&str, String> = new_types
        .iter()
        .map(|(name, def)| (*name, shape(&def.kind, &none)))
        .collect();
    let mut renamed = renames_in_place(&old_types, &new_types);
    loop {
        let targets: BTreeSet<&str> = renamed.values().map(|n| n.as_str()).collect();
        // Shape -> (old candidates, new candidates).
        let mut by_shape: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
        for (name, def) in &old_types {
            if renamed.contains_key(*name) {
                continue;
            }
            let old_shape = shape(&def.kind, &renamed);
            if new_shapes.get(name) != Some(&old_shape) {
                by_shape.entry(old_shape).or_default().0.push(name);
            }
        }
        for (name, new_shape) in &new_shapes {
            if !targets.contains(name)
                && (!old_types.contains_key(name) || renamed.contains_key(*name))
            {
                by_shape.entry(new_shape.clone()).or_default().1.push(name);
            }
        }
        let pairs: Vec<(RustIdent, RustIdent)> = by_shape
            .into_values()
            .filter_map(|(o, n)| match (o.as_slice(), n.as_slice()) {
                ([o], [n]) if o != n => {
                    Some((old_types[o].name.clone(), new_types[n].name.clone()))
                }
                _ => None,
            })
            .collect();
        if pairs.is_empty() {
            return renamed;
        }
        renamed.extend(pairs);
    }
}

/// The types of the same place in the spec (a schema key, or an inline schema's pointer) that have
/// another name on each side: the policy renamed them (`spec/renames.yaml`, `spec/names.lock`), as
/// when `generator diff --old-policy` compares one spec under two policies. The shapes need not
/// agree (a renamed type whose field also changed is a rename and a field change), but each place
/// must be held by one old name that is gone (or names another place now) and one new name that
/// is new (or named another place before).
fn renames_in_place(
    old_types: &BTreeMap<&str, &TypeDef>,
    new_types: &BTreeMap<&str, &TypeDef>,
) -> Renamed {
    // Place -> (old names gone, new names added).
    let mut by_place: BTreeMap<&str, (Vec<&TypeDef>, Vec<&TypeDef>)> = BTreeMap::new();
    // A name that moved to another place and another shape (the id type `QueueId` taking the
    // name of the search filter struct `QueueId`) counts as gone on the old side and new on the
    // new side. One that kept its shape is the same type whose schema key moved (a lock or rename
    // entry followed it), not a candidate.
    let none = Renamed::new();
    let elsewhere = |def: &TypeDef, other: &BTreeMap<&str, &TypeDef>| {
        other.get(def.name.as_str()).is_none_or(|o| {
            place(o) != place(def) && shape(&o.kind, &none) != shape(&def.kind, &none)
        })
    };
    for def in old_types.values() {
        if elsewhere(def, new_types) {
            by_place.entry(place(def)).or_default().0.push(def);
        }
    }
    for def in new_types.values() {
        if elsewhere(def, old_types) {
            by_place.entry(place(def)).or_default().1.push(def);
        }
    }
    by_place
        .into_iter()
        .filter(|(place, _)| !place.is_empty())
        .filter_map(|(_, sides)| match sides {
            (o, n) if o.len() == 1 && n.len() == 1 => Some((o[0].name.clone(), n[0].name.clone())),
            _ => None,
        })
        .collect()
}
