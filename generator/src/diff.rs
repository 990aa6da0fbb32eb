//! `generator diff OLD NEW`: what a new spec changes for users of the SDK.
//!
//! The comparison runs on the IR, not on the YAML: the IR is what users see (method names, parameter
//! and field types, enum values, union variants), so a change that does not reach the SDK (a reworded
//! description, reordered keys) is not reported, and one that does (a renamed summary that renames a
//! method) is. Each change is marked breaking or not from the point of view of code that compiles
//! against the old SDK.

use crate::ir::{Api, Field, Operation, Param, ResponseKind, TypeDef, TypeKind, TypeRef};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// One change visible to SDK users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `operation` or `type`.
    pub kind: &'static str,
    /// What changed: `GET /beta/agents` or `models::Agent` (with `.field` or `::Variant`).
    pub item: String,
    /// What happened to it, in words.
    pub change: String,
    /// Whether code written against the old SDK may stop compiling or behave differently.
    pub breaking: bool,
}

/// All changes between two SDKs, operations first, each group sorted.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    diff_operations(old, new, &mut out);
    diff_types(old, new, &mut out);
    out
}

/// Whether any change is breaking.
pub fn has_breaking(changes: &[Change]) -> bool {
    changes.iter().any(|c| c.breaking)
}

fn operations(api: &Api) -> BTreeMap<String, (&str, &Operation)> {
    api.groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (g.accessor.as_str(), op)))
        .map(|(group, op)| (format!("{} {}", op.method, op.path), (group, op)))
        .collect()
}

fn op_change(item: &str, change: String, breaking: bool) -> Change {
    Change {
        kind: "operation",
        item: item.to_owned(),
        change,
        breaking,
    }
}

fn diff_operations(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let old_ops = operations(old);
    let new_ops = operations(new);
    for (key, (group, op)) in &new_ops {
        if !old_ops.contains_key(key) {
            out.push(op_change(
                key,
                format!("added as `client.{group}().{}`", op.name),
                false,
            ));
        }
    }
    for (key, (group, op)) in &old_ops {
        let Some((new_group, new_op)) = new_ops.get(key) else {
            out.push(op_change(
                key,
                format!("removed (was `client.{group}().{}`)", op.name),
                true,
            ));
            continue;
        };
        if group != new_group || op.name != new_op.name {
            out.push(op_change(
                key,
                format!(
                    "renamed from `client.{group}().{}` to `client.{new_group}().{}`",
                    op.name, new_op.name
                ),
                true,
            ));
        }
        diff_params(
            key,
            "path parameter",
            &op.path_params,
            &new_op.path_params,
            true,
            out,
        );
        diff_params(
            key,
            "query parameter",
            &op.required_query,
            &new_op.required_query,
            true,
            out,
        );
        diff_params(
            key,
            "optional query parameter",
            &op.optional_query,
            &new_op.optional_query,
            false,
            out,
        );
        let body = |o: &Operation| o.body.as_ref().map(|b| (b.ty.clone(), b.required));
        if body(op) != body(new_op) {
            out.push(op_change(
                key,
                format!(
                    "request body changed from {} to {}",
                    describe_body(op),
                    describe_body(new_op)
                ),
                true,
            ));
        }
        if op.response.kind != new_op.response.kind {
            out.push(op_change(
                key,
                format!(
                    "result changed from {} to {}",
                    describe_response(&op.response.kind),
                    describe_response(&new_op.response.kind)
                ),
                true,
            ));
        }
        if !op.docs.deprecated && new_op.docs.deprecated {
            out.push(op_change(key, "deprecated".to_owned(), false));
        }
    }
}

fn diff_params(
    key: &str,
    what: &str,
    old: &[Param],
    new: &[Param],
    positional: bool,
    out: &mut Vec<Change>,
) {
    let old_by: BTreeMap<&str, &Param> = old.iter().map(|p| (p.wire.as_str(), p)).collect();
    let new_by: BTreeMap<&str, &Param> = new.iter().map(|p| (p.wire.as_str(), p)).collect();
    for (wire, p) in &new_by {
        match old_by.get(wire) {
            // A new positional argument breaks every call; a new field of the options struct does
            // not (callers build it with `..Default::default()`).
            None => out.push(op_change(
                key,
                format!("{what} `{wire}` added ({})", describe(&p.ty)),
                positional,
            )),
            Some(old) if old.ty != p.ty => out.push(op_change(
                key,
                format!(
                    "{what} `{wire}` changed from {} to {}",
                    describe(&old.ty),
                    describe(&p.ty)
                ),
                true,
            )),
            Some(_) => {}
        }
    }
    for wire in old_by.keys().filter(|w| !new_by.contains_key(*w)) {
        out.push(op_change(key, format!("{what} `{wire}` removed"), true));
    }
    let order = |ps: &[Param]| ps.iter().map(|p| p.wire.clone()).collect::<Vec<_>>();
    let (old_order, new_order) = (order(old), order(new));
    let same_set = old_by.keys().collect::<BTreeSet<_>>() == new_by.keys().collect::<BTreeSet<_>>();
    if positional && same_set && old_order != new_order {
        out.push(op_change(
            key,
            format!("{what}s reordered from {old_order:?} to {new_order:?}"),
            true,
        ));
    }
}

fn describe_body(op: &Operation) -> String {
    match &op.body {
        None => "none".to_owned(),
        Some(b) if b.required => describe(&b.ty),
        Some(b) => format!("optional {}", describe(&b.ty)),
    }
}

fn describe_response(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::Empty => "`()`".to_owned(),
        ResponseKind::Json(ty) | ResponseKind::Data { data: ty, .. } => describe(ty),
    }
}

/// A type expression as Rust users see it.
fn describe(ty: &TypeRef) -> String {
    fn inner(ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => "String".to_owned(),
            TypeRef::Bool => "bool".to_owned(),
            TypeRef::I32 => "i32".to_owned(),
            TypeRef::I64 => "i64".to_owned(),
            TypeRef::F32 => "f32".to_owned(),
            TypeRef::F64 => "f64".to_owned(),
            TypeRef::Uuid => "Uuid".to_owned(),
            TypeRef::DateTime => "DateTime".to_owned(),
            TypeRef::Binary => "Binary".to_owned(),
            TypeRef::Json => "serde_json::Value".to_owned(),
            TypeRef::Named(name) => name.clone(),
            TypeRef::List(item) => format!("Vec<{}>", inner(item)),
            TypeRef::Map(value) => format!("BTreeMap<String, {}>", inner(value)),
            TypeRef::Pending(i) => format!("<pending {i}>"),
        }
    }
    format!("`{}`", inner(ty))
}

fn type_change(item: String, change: String, breaking: bool) -> Change {
    Change {
        kind: "type",
        item,
        change,
        breaking,
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Alias { .. } => "type alias",
        TypeKind::StringEnum { .. } => "enum",
        TypeKind::TaggedUnion { .. } => "tagged union",
        TypeKind::Untagged { .. } => "untagged union",
    }
}

fn diff_types(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let old_types: BTreeMap<&str, &TypeDef> =
        old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> =
        new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, def) in &new_types {
        if !old_types.contains_key(name) {
            out.push(type_change(
                format!("models::{name}"),
                format!("added ({})", kind_name(&def.kind)),
                false,
            ));
        }
    }
    for (name, old_def) in &old_types {
        let item = format!("models::{name}");
        let Some(new_def) = new_types.get(name) else {
            out.push(type_change(item, "removed".to_owned(), true));
            continue;
        };
        match (&old_def.kind, &new_def.kind) {
            (TypeKind::Struct { fields: a }, TypeKind::Struct { fields: b }) => {
                diff_fields(&item, a, b, out)
            }
            (TypeKind::StringEnum { values: a }, TypeKind::StringEnum { values: b }) => {
                let a: BTreeSet<&str> = a.iter().map(|v| v.wire.as_str()).collect();
                let b: BTreeSet<&str> = b.iter().map(|v| v.wire.as_str()).collect();
                for added in b.difference(&a) {
                    // The enums are non-exhaustive and decoded the value as `Unknown` before.
                    out.push(type_change(
                        item.clone(),
                        format!("value `{added}` added"),
                        false,
                    ));
                }
                for removed in a.difference(&b) {
                    out.push(type_change(
                        item.clone(),
                        format!("value `{removed}` removed"),
                        true,
                    ));
                }
            }
            (TypeKind::TaggedUnion { variants: a }, TypeKind::TaggedUnion { variants: b }) => {
                let a: BTreeMap<&str, &str> =
                    a.iter().map(|v| (v.tag.as_str(), v.ty.as_str())).collect();
                let b: BTreeMap<&str, &str> =
                    b.iter().map(|v| (v.tag.as_str(), v.ty.as_str())).collect();
                for (tag, ty) in &b {
                    match a.get(tag) {
                        None => out.push(type_change(
                            item.clone(),
                            format!("variant `{tag}` added (`{ty}`)"),
                            false,
                        )),
                        Some(old_ty) if old_ty != ty => out.push(type_change(
                            item.clone(),
                            format!("variant `{tag}` changed from `{old_ty}` to `{ty}`"),
                            true,
                        )),
                        Some(_) => {}
                    }
                }
                for tag in a.keys().filter(|t| !b.contains_key(*t)) {
                    out.push(type_change(
                        item.clone(),
                        format!("variant `{tag}` removed"),
                        true,
                    ));
                }
            }
            (a, b) if a != b => {
                let change = if kind_name(a) == kind_name(b) {
                    format!("{} changed", kind_name(a))
                } else {
                    format!("changed from {} to {}", kind_name(a), kind_name(b))
                };
                out.push(type_change(item, change, true));
            }
            _ => {}
        }
        if !old_def.docs.deprecated && new_def.docs.deprecated {
            out.push(type_change(
                format!("models::{name}"),
                "deprecated".to_owned(),
                false,
            ));
        }
    }
}

fn diff_fields(item: &str, old: &[Field], new: &[Field], out: &mut Vec<Change>) {
    let old_by: BTreeMap<&str, &Field> = old.iter().map(|f| (f.wire.as_str(), f)).collect();
    let new_by: BTreeMap<&str, &Field> = new.iter().map(|f| (f.wire.as_str(), f)).collect();
    let shown = |f: &Field| {
        if f.required {
            describe(&f.ty)
        } else if f.empty_when_absent {
            format!("{} (empty when absent)", describe(&f.ty))
        } else {
            format!("optional {}", describe(&f.ty))
        }
    };
    for (wire, f) in &new_by {
        let field = format!("{item}.{}", f.name.trim_start_matches("r#"));
        match old_by.get(wire) {
            // A required field must be supplied by everyone who builds the struct; an optional one
            // breaks only exhaustive struct literals, which `..Default::default()` avoids.
            None => out.push(type_change(
                field,
                format!("field `{wire}` added ({})", shown(f)),
                f.required,
            )),
            // A list of a response-only type is a `Vec`, of any other type an `Option<Vec>`: a
            // type a request starts (or stops) using changes the field's Rust type.
            Some(o)
                if o.ty != f.ty
                    || o.required != f.required
                    || o.empty_when_absent != f.empty_when_absent =>
            {
                out.push(type_change(
                    field,
                    format!("field `{wire}` changed from {} to {}", shown(o), shown(f)),
                    true,
                ))
            }
            Some(_) => {}
        }
    }
    for (wire, f) in old_by.iter().filter(|(w, _)| !new_by.contains_key(*w)) {
        out.push(type_change(
            format!("{item}.{}", f.name.trim_start_matches("r#")),
            format!("field `{wire}` removed"),
            true,
        ));
    }
}

/// The changes as Markdown, for people and for `CHANGELOG.md`.
pub fn markdown(changes: &[Change]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("No changes for SDK users.\n");
        return out;
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let _ = writeln!(
        out,
        "{} changes for SDK users, {breaking} breaking.\n",
        changes.len()
    );
    for (title, kind) in [("Operations", "operation"), ("Types", "type")] {
        let of_kind: Vec<&Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for c in of_kind {
            let mark = if c.breaking { "**breaking** " } else { "" };
            let _ = writeln!(out, "- {mark}`{}`: {}", c.item, c.change);
        }
        out.push('\n');
    }
    out
}

/// The changes as JSON, for machines.
pub fn json(changes: &[Change]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "breaking": has_breaking(changes),
        "changes": changes,
    }))
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Docs;

    fn list_field(empty_when_absent: bool) -> Field {
        Field {
            wire: "tags".to_owned(),
            name: "tags".to_owned(),
            ty: TypeRef::List(Box::new(TypeRef::String)),
            required: false,
            boxed: false,
            empty_when_absent,
            docs: Docs::default(),
        }
    }

    #[test]
    fn a_list_that_stops_being_response_only_is_a_breaking_change() {
        let mut out = Vec::new();
        diff_fields(
            "models::Tag",
            &[list_field(true)],
            &[list_field(false)],
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert!(out[0].breaking);
        let mut out = Vec::new();
        diff_fields(
            "models::Tag",
            &[list_field(true)],
            &[list_field(true)],
            &mut out,
        );
        assert!(out.is_empty());
    }
}
