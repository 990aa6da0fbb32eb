//! Types named only once the whole spec has been read: enums found in descriptions and inline types.
//!
//! The same enumeration appears on many fields (`channel` on eleven conversation types), and the same
//! inline union in several places. Sharing one Rust type per distinct enumeration makes the SDK smaller
//! and lets a user pass a `ConversationChannel` from one response into the next request. Names come
//! from the rename table when it has one for any member's JSON pointer; otherwise from the lock file
//! when it has one for any member's place; otherwise (a new type) from the field name when every
//! member shares it and the name is free, or from the first member's owner and field.

use super::enums;
use crate::error::{Error, Result};
use crate::ir::{Api, Docs, PlaceKind, Places, TypeDef, TypeKind, TypeRef};
use crate::naming::{self, RustIdent};
use crate::policy::{NameLock, Renames};
use std::collections::{BTreeMap, BTreeSet};

/// Where a pending type's name comes from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NameSource {
    /// The rename table (people).
    Renamed,
    /// The lock file (the name an earlier regeneration gave).
    Locked,
    /// The naming rules (a new place).
    Derived,
}

/// A type waiting for its name.
#[derive(Debug)]
pub(crate) enum Pending {
    /// A string enumeration found in a description (or an inline `enum`).
    Enum {
        pointer: String,
        /// The place's key in the lock file.
        place: String,
        owner: String,
        field: String,
        values: Vec<String>,
    },
    /// An inline object or union.
    Inline {
        pointer: String,
        /// The place's key in the lock file.
        place: String,
        /// Where `name` comes from: a renamed or locked name must be free, a derived one is made
        /// unique.
        source: NameSource,
        name: RustIdent,
        kind: TypeKind,
        docs: Docs,
    },
}

impl Pending {
    fn pointer(&self) -> &str {
        match self {
            Pending::Enum { pointer, .. } | Pending::Inline { pointer, .. } => pointer,
        }
    }

    fn place(&self) -> &str {
        match self {
            Pending::Enum { place, .. } | Pending::Inline { place, .. } => place,
        }
    }
}

/// Names every pending type, adds the new types to `types`, records the name of every pending place
/// in `places`, and returns the name of each pending index.
///
/// Names are decided in order of precedence, so that a name in use never moves: first the rename
/// table's, then the lock file's (each must be free: a clash is an error naming the entry), then
/// derived names for new places, which go around all of those.
pub(super) fn resolve(
    pending: Vec<Pending>,
    types: &mut Vec<TypeDef>,
    renames: &Renames,
    lock: &NameLock,
    places: &mut Places,
) -> Result<Vec<Option<RustIdent>>> {
    let mut taken: BTreeSet<String> = types.iter().map(|t| t.name.to_string()).collect();
    let mut names = vec![None; pending.len()];
    let locked = |i: usize| lock.name(PlaceKind::Type, pending[i].place());

    // Group equal enumerations (the same set of values) and inline types (the same shape and derived
    // name), in the order of their first member's pointer, so the result does not depend on the
    // order of the spec's maps. Enumerations the lock gives different names stay apart even when
    // their values become equal, so that neither name disappears.
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by(|a, b| pending[*a].pointer().cmp(pending[*b].pointer()));
    type EnumKey<'p> = (BTreeSet<&'p str>, Option<&'p str>);
    let mut enum_groups: BTreeMap<EnumKey<'_>, Vec<usize>> = BTreeMap::new();
    let mut inline_groups: Vec<Vec<usize>> = Vec::new();
    for &i in &order {
        match &pending[i] {
            Pending::Enum { values, .. } => enum_groups
                .entry((values.iter().map(String::as_str).collect(), locked(i)))
                .or_default()
                .push(i),
            Pending::Inline { name, kind, .. } => {
                let same = inline_groups.iter_mut().find(|g| match &pending[g[0]] {
                    Pending::Inline {
                        name: n, kind: k, ..
                    } => n == name && k == kind,
                    Pending::Enum { .. } => false,
                });
                match same {
                    Some(group) => group.push(i),
                    None => inline_groups.push(vec![i]),
                }
            }
        }
    }
    // A new place with the values of a kept enumeration joins it (the first by name when several
    // are kept), so that it shares the type as it would have without a lock.
    let new_keys: Vec<EnumKey<'_>> = enum_groups
        .keys()
        .filter(|(_, name)| name.is_none())
        .cloned()
        .collect();
    for key in new_keys {
        let kept = enum_groups
            .keys()
            .find(|(values, name)| name.is_some() && *values == key.0)
            .cloned();
        let Some(kept) = kept else { continue };
        if let Some(members) = enum_groups.remove(&key) {
            let group = enum_groups.entry(kept).or_default();
            group.extend(members);
            group.sort_by(|a, b| pending[*a].pointer().cmp(pending[*b].pointer()));
        }
    }
    let mut enum_groups: Vec<Vec<usize>> = enum_groups.into_values().collect();
    enum_groups.sort_by(|a, b| pending[a[0]].pointer().cmp(pending[b[0]].pointer()));
    let groups: Vec<&Vec<usize>> = enum_groups.iter().chain(&inline_groups).collect();

    // Where each group's name comes from, and the name when it is chosen rather than derived.
    let sources: Vec<(NameSource, Option<RustIdent>)> = groups
        .iter()
        .map(|group| match &pending[group[0]] {
            Pending::Enum { .. } => {
                let renamed = group
                    .iter()
                    .find_map(|&i| renames.type_at(pending[i].pointer()).cloned());
                match renamed {
                    Some(name) => (NameSource::Renamed, Some(name)),
                    None => match group
                        .iter()
                        .find_map(|&i| lock.ident(PlaceKind::Type, pending[i].place()))
                    {
                        Some(name) => (NameSource::Locked, Some(name)),
                        None => (NameSource::Derived, None),
                    },
                }
            }
            Pending::Inline { name, .. } => {
                let source = group
                    .iter()
                    .filter_map(|&i| match &pending[i] {
                        Pending::Inline { source, .. } => Some(*source),
                        Pending::Enum { .. } => None,
                    })
                    .min()
                    .unwrap_or(NameSource::Derived);
                (source, Some(name.clone()))
            }
        })
        .collect();

    // Chosen names first: the rename table's, then the lock's.
    let mut decided: Vec<Option<RustIdent>> = vec![None; groups.len()];
    let mut holders: BTreeMap<RustIdent, usize> = BTreeMap::new();
    for pass in [NameSource::Renamed, NameSource::Locked] {
        for (g, group) in groups.iter().enumerate() {
            let (source, Some(name)) = &sources[g] else {
                continue;
            };
            if *source != pass {
                continue;
            }
            let holder = holders
                .get(name)
                .map(|&h| pending[groups[h][0]].place().to_owned());
            let holder = holder.or_else(|| {
                types
                    .iter()
                    .find(|t| t.name == *name)
                    .map(|t| t.origin.clone())
            });
            if let Some(other) = holder {
                let first = &pending[group[0]];
                return Err(match pass {
                    NameSource::Renamed => claim_error(first.pointer(), name),
                    _ => {
                        let place = group
                            .iter()
                            .map(|&i| pending[i].place())
                            .find(|p| lock.name(PlaceKind::Type, p) == Some(name.as_str()))
                            .unwrap_or(first.place());
                        lock.conflict(
                            PlaceKind::Type,
                            place,
                            format!("`{name}` is also the name of {other}"),
                        )
                    }
                });
            }
            holders.insert(name.clone(), g);
            decided[g] = Some(name.clone());
        }
    }
    taken.extend(holders.into_keys().map(|k| k.to_string()));

    // A field-derived name is only used when exactly one group would claim it.
    let mut claims: BTreeMap<RustIdent, usize> = BTreeMap::new();
    for group in &enum_groups {
        if let Some(name) = shared_field_name(&pending, group) {
            *claims.entry(name).or_default() += 1;
        }
    }

    // Then new places, with derived names that go around every name in use.
    for (g, group) in groups.iter().enumerate() {
        let name = match decided[g].take() {
            Some(name) => name,
            None => {
                let name = match &pending[group[0]] {
                    Pending::Enum { owner, field, .. } => shared_field_name(&pending, group)
                        .filter(|n| claims.get(n) == Some(&1) && !taken.contains(n.as_str()))
                        .unwrap_or_else(|| {
                            naming::unique(&taken, naming::member_type_name(owner, field))
                        }),
                    Pending::Inline { name, .. } => naming::unique(&taken, name.clone()),
                };
                taken.insert(name.to_string());
                name
            }
        };
        for &i in group.iter() {
            names[i] = Some(name.clone());
            places.insert(
                (PlaceKind::Type, pending[i].place().to_owned()),
                name.to_string(),
            );
        }
        types.push(new_type(&pending, group, name));
    }
    Ok(names)
}

/// The error for a name the rename table chose that is already taken.
fn claim_error(pointer: &str, name: &str) -> Error {
    Error::Collision {
        message: format!("the rename table names {pointer} `{name}`, which is already taken"),
    }
}

/// The name every member's field agrees on, if they do (`channel` -> `Channel`).
fn shared_field_name(pending: &[Pending], group: &[usize]) -> Option<RustIdent> {
    let mut fields = group.iter().map(|&i| match &pending[i] {
        Pending::Enum { field, .. } => field.trim_start_matches('_'),
        Pending::Inline { .. } => "",
    });
    let first = fields.next()?;
    (!first.is_empty() && fields.all(|f| f == first)).then(|| naming::derived_type_name(first))
}

/// The type definition for a group of equal pending types.
fn new_type(pending: &[Pending], group: &[usize], name: RustIdent) -> TypeDef {
    let pointers: Vec<&str> = group.iter().map(|&i| pending[i].pointer()).collect();
    match &pending[group[0]] {
        Pending::Enum { values, .. } => TypeDef {
            name,
            origin: pointers.join(", "),
            docs: Docs::default(),
            kind: enums::string_enum(values.clone()),
        },
        Pending::Inline { kind, docs, .. } => TypeDef {
            name,
            origin: pointers.join(", "),
            docs: docs.clone(),
            kind: kind.clone(),
        },
    }
}

/// Replaces every `TypeRef::Pending` in the API with the resolved name, and names the inline
/// structs of tagged unions' variants.
pub(super) fn replace_placeholders(api: &mut Api, names: &[Option<RustIdent>]) {
    for def in &mut api.types {
        if let TypeKind::TaggedUnion { variants, .. } = &mut def.kind {
            for variant in variants {
                if let Some(Some(name)) = variant.pending.take().and_then(|i| names.get(i)) {
                    variant.ty = name.clone();
                }
            }
        }
    }
    api.walk_mut(&mut |ty| {
        if let TypeRef::Pending(i) = ty {
            // Every pending index belongs to a group and is named; one that is not stays a
            // placeholder, which the emitter turns into a compile error.
            if let Some(Some(name)) = names.get(*i) {
                *ty = TypeRef::Named(name.clone());
            }
        }
    });
}
