//! Types named only once the whole spec has been read: enums found in descriptions and inline types.
//!
//! The same enumeration appears on many fields (`channel` on eleven conversation types), and the same
//! inline union in several places. Sharing one Rust type per distinct enumeration makes the SDK smaller
//! and lets a user pass a `ConversationChannel` from one response into the next request. Names come
//! from the rename table when it has one for any member's JSON pointer; otherwise from the field name
//! when every member shares it and the name is free; otherwise from the first member's owner and field.

use super::enums;
use crate::error::{Error, Result};
use crate::ir::{Api, Docs, TypeDef, TypeKind, TypeRef};
use crate::naming;
use crate::policy::Renames;
use std::collections::{BTreeMap, BTreeSet};

/// A type waiting for its name.
#[derive(Debug)]
pub(crate) enum Pending {
    /// A string enumeration found in a description (or an inline `enum`).
    Enum {
        pointer: String,
        owner: String,
        field: String,
        values: Vec<String>,
    },
    /// An inline object or union.
    Inline {
        pointer: String,
        /// Whether `name` comes from the rename table (and must therefore be free).
        renamed: bool,
        name: String,
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
}

/// Names every pending type, adds the new types to `types`, and returns the name of each pending
/// index.
pub(super) fn resolve(
    pending: Vec<Pending>,
    types: &mut Vec<TypeDef>,
    renames: &Renames,
) -> Result<Vec<String>> {
    let mut taken: BTreeSet<String> = types.iter().map(|t| t.name.clone()).collect();
    let mut names = vec![String::new(); pending.len()];

    // Group equal enumerations (the same set of values) and inline types (the same shape and derived
    // name), in the order of their first member's pointer, so the result does not depend on the
    // order of the spec's maps.
    let mut order: Vec<usize> = (0..pending.len()).collect();
    order.sort_by(|a, b| pending[*a].pointer().cmp(pending[*b].pointer()));
    let mut enum_groups: BTreeMap<BTreeSet<&str>, Vec<usize>> = BTreeMap::new();
    let mut inline_groups: Vec<Vec<usize>> = Vec::new();
    for &i in &order {
        match &pending[i] {
            Pending::Enum { values, .. } => enum_groups
                .entry(values.iter().map(String::as_str).collect())
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
    let mut enum_groups: Vec<Vec<usize>> = enum_groups.into_values().collect();
    enum_groups.sort_by(|a, b| pending[a[0]].pointer().cmp(pending[b[0]].pointer()));

    // A field-derived name is only used when exactly one group would claim it.
    let mut claims: BTreeMap<String, usize> = BTreeMap::new();
    for group in &enum_groups {
        if let Some(name) = shared_field_name(&pending, group) {
            *claims.entry(name).or_default() += 1;
        }
    }

    for group in enum_groups.iter().chain(&inline_groups) {
        let first = &pending[group[0]];
        let name = match first {
            Pending::Enum { owner, field, .. } => {
                let renamed = group
                    .iter()
                    .find_map(|&i| renames.type_at(pending[i].pointer()).map(str::to_owned));
                match renamed {
                    Some(name) => claim(&taken, name, first.pointer())?,
                    None => shared_field_name(&pending, group)
                        .filter(|n| claims.get(n) == Some(&1) && !taken.contains(n))
                        .unwrap_or_else(|| {
                            let field = naming::derived_type_name(field.trim_start_matches('_'));
                            unique(&taken, format!("{owner}{field}"))
                        }),
                }
            }
            Pending::Inline {
                renamed: true,
                name,
                ..
            } => claim(&taken, name.clone(), first.pointer())?,
            Pending::Inline { name, .. } => unique(&taken, name.clone()),
        };
        taken.insert(name.clone());
        for &i in group {
            names[i] = name.clone();
        }
        types.push(new_type(&pending, group, name));
    }
    Ok(names)
}

/// A name the rename table chose, which must be free.
fn claim(taken: &BTreeSet<String>, name: String, pointer: &str) -> Result<String> {
    if taken.contains(&name) {
        return Err(Error::Collision {
            message: format!("the rename table names {pointer} `{name}`, which is already taken"),
        });
    }
    Ok(name)
}

/// The name every member's field agrees on, if they do (`channel` -> `Channel`).
fn shared_field_name(pending: &[Pending], group: &[usize]) -> Option<String> {
    let mut fields = group.iter().map(|&i| match &pending[i] {
        Pending::Enum { field, .. } => field.trim_start_matches('_'),
        Pending::Inline { .. } => "",
    });
    let first = fields.next()?;
    (!first.is_empty() && fields.all(|f| f == first)).then(|| naming::derived_type_name(first))
}

/// `name`, or `name2`, `name3`... whichever is free.
fn unique(taken: &BTreeSet<String>, name: String) -> String {
    if !taken.contains(&name) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(name)
}

/// The type definition for a group of equal pending types.
fn new_type(pending: &[Pending], group: &[usize], name: String) -> TypeDef {
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

/// Replaces every `TypeRef::Pending` in the API with the resolved name.
pub(super) fn replace_placeholders(api: &mut Api, names: &[String]) {
    let mut fix = |ty: &mut TypeRef| {
        if let TypeRef::Pending(i) = ty {
            *ty = TypeRef::Named(names[*i].clone());
        }
    };
    for def in &mut api.types {
        match &mut def.kind {
            TypeKind::Struct { fields } => fields.iter_mut().for_each(|f| f.ty.visit_mut(&mut fix)),
            TypeKind::Alias { target } => target.visit_mut(&mut fix),
            TypeKind::Untagged { variants } => {
                variants.iter_mut().for_each(|v| v.ty.visit_mut(&mut fix))
            }
            TypeKind::StringEnum { .. } | TypeKind::TaggedUnion { .. } => {}
        }
    }
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        for param in op
            .path_params
            .iter_mut()
            .chain(&mut op.required_query)
            .chain(&mut op.optional_query)
        {
            param.ty.visit_mut(&mut fix);
        }
        if let Some(body) = &mut op.body {
            body.ty.visit_mut(&mut fix);
        }
        if let crate::ir::ResponseKind::Json(ty) = &mut op.response.kind {
            ty.visit_mut(&mut fix);
        }
    }
}
