//! `generator diff OLD NEW`: what a new spec changes for users of the SDK.
//!
//! The comparison runs on the IR, not on the YAML: the IR is what users see (method names, parameter
//! and field types, enum values, union variants), so a change that does not reach the SDK (a reworded
//! description, reordered keys) is not reported, and one that does (a renamed summary that renames a
//! method) is. Each change is marked breaking exactly when code that compiled against the old SDK
//! can stop compiling, judged against what the emitter writes: request builders (arguments for path
//! parameters, required query parameters and a required body; setters for the optional ones) and
//! `#[non_exhaustive]` models with constructors and `with_` setters. `tests/semver.rs` holds these
//! verdicts to cargo-semver-checks' and to a downstream crate's on single changes of the real spec.
//!
//! Types renamed upstream without changing shape are reported as renames, with the
//! `spec/renames.yaml` entry that keeps the old name.

use crate::ir::{
    Api, Field, Operation, Param, ResponseKind, TypeDef, TypeKind, TypeRef, UnionVariant,
};
use crate::naming::RustIdent;
use renames::{mapped, type_renames, Renamed};
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
    let renamed = type_renames(&old.types, &new.types);
    let mut out = Vec::new();
    diff_operations(old, new, &renamed, &mut out);
    diff_types(&old.types, &new.types, "models", &renamed, &mut out);
    let (old_hooks, new_hooks) = (webhook_types(old), webhook_types(new));
    let renamed_hooks = type_renames(old_hooks, new_hooks);
    diff_types(old_hooks, new_hooks, "webhooks", &renamed_hooks, &mut out);
    diff_events(old, new, &mut out);
    out
}

fn webhook_types(api: &Api) -> &[TypeDef] {
    api.webhooks.as_ref().map_or(&[], |w| &w.types)
}

/// Changes to the webhook events: a variant of `webhooks::EventPayload` added (not breaking: the
/// enum is non-exhaustive, and the event decoded as `Unknown` before), removed, or given another
/// `data` type.
fn diff_events(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let events = |api: &Api| -> BTreeMap<String, (RustIdent, Option<TypeRef>)> {
        api.webhooks
            .iter()
            .flat_map(|w| &w.events)
            .map(|e| (e.fqn.clone(), (e.variant.clone(), e.data.clone())))
            .collect()
    };
    let (old_events, new_events) = (events(old), events(new));
    let shown = |data: &Option<TypeRef>| {
        data.as_ref()
            .map_or_else(|| "`serde_json::Value`".to_owned(), describe)
    };
    let item = |variant: &str| format!("webhooks::EventPayload::{variant}");
    for (fqn, (variant, data)) in &new_events {
        match old_events.get(fqn) {
            None => out.push(type_change(
                item(variant),
                format!("event `{fqn}` added ({})", shown(data)),
                false,
            )),
            Some((old_variant, old_data)) if old_variant != variant || old_data != data => out
                .push(type_change(
                    item(variant),
                    format!(
                        "event `{fqn}` changed from `{old_variant}`({}) to `{variant}`({})",
                        shown(old_data),
                        shown(data)
                    ),
                    true,
                )),
            Some(_) => {}
        }
    }
    for (fqn, (variant, _)) in &old_events {
        if !new_events.contains_key(fqn) {
            out.push(type_change(
                item(variant),
                format!("event `{fqn}` removed"),
                true,
            ));
        }
    }
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

/// Operations are matched by HTTP method and path first; what is left is matched by the Rust
/// method (`client.group().method`), because a path that changes under an unchanged method is
/// invisible to Rust code: the method builds the new path from the same arguments.
fn diff_operations(old: &Api, new: &Api, renamed: &Renamed, out: &mut Vec<Change>) {
    let old_ops = operations(old);
    let new_ops = operations(new);
    let rust_name = |group: &str, op: &Operation| format!("{group}.{}", op.name);
    let unmatched_new: BTreeMap<String, &String> = new_ops
        .iter()
        .filter(|(key, _)| !old_ops.contains_key(*key))
        .map(|(key, (group, op))| (rust_name(group, op), key))
        .collect();
    let mut moved: BTreeSet<&String> = BTreeSet::new();
    for (key, (group, op)) in &old_ops {
        let new_key = if new_ops.contains_key(key) {
            key
        } else if let Some(new_key) = unmatched_new.get(&rust_name(group, op)) {
            moved.insert(new_key);
            out.push(op_change(
                key,
                format!(
                    "path changed to `{new_key}`; `client.{group}().{}` is unchanged",
                    op.name
                ),
                false,
            ));
            new_key
        } else {
            out.push(op_change(
                key,
                format!("removed (was `client.{group}().{}`)", op.name),
                true,
            ));
            continue;
        };
        let (new_group, new_op) = &new_ops[new_key];
        diff_operation(key, (group, op), (new_group, new_op), renamed, out);
    }
    for (key, (group, op)) in &new_ops {
        if !old_ops.contains_key(key) && !moved.contains(key) {
            out.push(op_change(
                key,
                format!("added as `client.{group}().{}`", op.name),
                false,
            ));
        }
    }
    out.sort_by(|a, b| a.item.cmp(&b.item));
}

/// The changes of one operation, judged against the request-builder surface: path parameters,
/// required query parameters and a required body are the method's arguments (a change to them
/// breaks every call); optional query parameters and an optional body are setters of the builder
/// (a new one breaks nothing, a removed or retyped one breaks its callers).
fn diff_operation(
    key: &str,
    (group, op): (&str, &Operation),
    (new_group, new_op): (&str, &Operation),
    renamed: &Renamed,
    out: &mut Vec<Change>,
) {
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
    let call = format!("client.{new_group}().{}", new_op.name);
    diff_path_params(
        key,
        &call,
        &op.path_params,
        &new_op.path_params,
        renamed,
        out,
    );
    diff_query(key, op, new_op, renamed, out);
    diff_body(key, op, new_op, renamed, out);
    let mut old_kind = op.response.kind.clone();
    old_kind.types_mut(&mut |ty| *ty = mapped(ty, renamed));
    if result_signature(&old_kind) != result_signature(&new_op.response.kind) {
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
    match (&op.pagination, &new_op.pagination) {
        (None, Some(_)) => out.push(op_change(
            key,
            "now paginated (`.pages()` and `.items()`)".to_owned(),
            false,
        )),
        (Some(_), None) => out.push(op_change(
            key,
            "no longer paginated (`.pages()` and `.items()` removed)".to_owned(),
            true,
        )),
        (Some(a), Some(b)) if mapped(&a.item, renamed) != b.item => out.push(op_change(
            key,
            format!(
                "item of `.items()` changed from {} to {}",
                describe(&a.item),
                describe(&b.item)
            ),
            true,
        )),
        _ => {}
    }
    // The whole envelope of an operation the lock keeps returning `data` (see
    // `lower/responses.rs`) is a method of its own on the builder.
    let envelope = |kind: &ResponseKind| match kind {
        ResponseKind::Data {
            envelope,
            more: true,
            ..
        } => Some(TypeRef::Named(envelope.clone())),
        _ => None,
    };
    match (envelope(&op.response.kind), envelope(&new_op.response.kind)) {
        (None, Some(b)) => out.push(op_change(
            key,
            format!(
                "the whole {} envelope added as `.send_envelope()`",
                describe(&b)
            ),
            false,
        )),
        (Some(_), None) => out.push(op_change(
            key,
            "`.send_envelope()` removed".to_owned(),
            true,
        )),
        (Some(a), Some(b)) if mapped(&a, renamed) != b => out.push(op_change(
            key,
            format!(
                "`.send_envelope()` changed from {} to {}",
                describe(&a),
                describe(&b)
            ),
            true,
        )),
        _ => {}
    }
    if !op.docs.deprecated && new_op.docs.deprecated {
        out.push(op_change(key, "deprecated".to_owned(), false));
    }
}

/// Path parameters are positional arguments: callers see their number, order and types, not
/// their names, so `{agentId}` renamed `{id}` changes nothing.
fn diff_path_params(
    key: &str,
    call: &str,
    old: &[Param],
    new: &[Param],
    renamed: &Renamed,
    out: &mut Vec<Change>,
) {
    let types = |ps: &[Param], map: &Renamed| -> Vec<TypeRef> {
        ps.iter().map(|p| mapped(&p.ty, map)).collect()
    };
    if types(old, renamed) != types(new, &Renamed::new()) {
        let list = |ps: &[Param]| {
            ps.iter()
                .map(|p| format!("`{}` {}", p.wire, describe(&p.ty)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(op_change(
            key,
            format!(
                "path parameters of `{call}` changed from ({}) to ({})",
                list(old),
                list(new)
            ),
            true,
        ));
    }
}

fn diff_query(
    key: &str,
    op: &Operation,
    new_op: &Operation,
    renamed: &Renamed,
    out: &mut Vec<Change>,
) {
    // Wire name -> (type, required).
    let params = |o: &Operation, map: &Renamed| -> BTreeMap<String, (TypeRef, bool)> {
        let required = o.required_query.iter().map(|p| (p, true));
        let optional = o.optional_query.iter().map(|p| (p, false));
        required
            .chain(optional)
            .map(|(p, req)| (p.wire.clone(), (mapped(&p.ty, map), req)))
            .collect()
    };
    let old = params(op, renamed);
    let new = params(new_op, &Renamed::new());
    let shown = |(ty, required): &(TypeRef, bool)| {
        if *required {
            format!("required {}", describe(ty))
        } else {
            format!("optional {}", describe(ty))
        }
    };
    for (wire, p) in &new {
        match old.get(wire) {
            // A required parameter is a new argument of the method; an optional one a new setter.
            None if p.1 => out.push(op_change(
                key,
                format!("query parameter `{wire}` added ({})", describe(&p.0)),
                true,
            )),
            None => out.push(op_change(
                key,
                format!(
                    "optional query parameter `{wire}` added ({})",
                    describe(&p.0)
                ),
                false,
            )),
            // Optional to required moves a setter into the arguments, and back: both break.
            Some(o) if o != p => out.push(op_change(
                key,
                format!(
                    "query parameter `{wire}` changed from {} to {}",
                    shown(o),
                    shown(p)
                ),
                true,
            )),
            Some(_) => {}
        }
    }
    for (wire, p) in &old {
        if !new.contains_key(wire) {
            let what = if p.1 {
                "query parameter"
            } else {
                "optional query parameter"
            };
            out.push(op_change(key, format!("{what} `{wire}` removed"), true));
        }
    }
    // Required query parameters are arguments in URL order.
    let order = |o: &Operation| {
        o.required_query
            .iter()
            .map(|p| p.wire.clone())
            .collect::<Vec<_>>()
    };
    let (old_order, new_order) = (order(op), order(new_op));
    let same_set = old_order.iter().collect::<BTreeSet<_>>() == new_order.iter().collect();
    if same_set && old_order != new_order {
        out.push(op_change(
            key,
            format!("query parameters reordered from {old_order:?} to {new_order:?}"),
            true,
        ));
    }
}

/// A required body is the method's last argument, an optional one the builder's `.body()` setter:
/// only a new optional body adds nothing callers must change.
fn diff_body(
    key: &str,
    op: &Operation,
    new_op: &Operation,
    renamed: &Renamed,
    out: &mut Vec<Change>,
) {
    let old = op
        .body
        .as_ref()
        .map(|b| (mapped(&b.ty, renamed), b.required));
    let new = new_op.body.as_ref().map(|b| (b.ty.clone(), b.required));
    if old == new {
        return;
    }
    let breaking = !matches!((&old, &new), (None, Some((_, false))));
    out.push(op_change(
        key,
        format!(
            "request body changed from {} to {}",
            describe_body(op),
            describe_body(new_op)
        ),
        breaking,
    ));
}

fn describe_body(op: &Operation) -> String {
    match &op.body {
        None => "none".to_owned(),
        Some(b) if b.required => describe(&b.ty),
        Some(b) => format!("optional {}", describe(&b.ty)),
    }
}

fn describe_response(kind: &ResponseKind) -> String {
    format!("`{}`", kind.rust("dixa", "", ""))
}

/// What code using a method's result compiles against: its Rust type and, for a by-status enum,
/// its variants and their payloads.
fn result_signature(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::ByStatus { name, variants } => {
            let variants: Vec<String> = variants
                .iter()
                .map(|v| format!("{}({})", v.name, v.kind.rust("dixa", "", "")))
                .collect();
            format!("{name} {{ {} }}", variants.join(", "))
        }
        other => other.rust("dixa", "", ""),
    }
}

/// A type expression as Rust users see it (the runtime's types under `dixa::`, model types by
/// their bare names, as the items of the report are).
fn describe(ty: &TypeRef) -> String {
    format!("`{}`", ty.rust("dixa", ""))
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
        TypeKind::Id { .. } => "id",
    }
}

/// Where a type comes from, as a pointer `spec/renames.yaml` accepts (a shared enum has one pointer
/// per use; any one names it).
fn place(def: &TypeDef) -> &str {
    def.origin.split(", ").next().unwrap_or(&def.origin)
}

/// How to keep the old name of a renamed type, for the report.
fn keep_name_hint(
    old_name: &str,
    new_def: &TypeDef,
    new_types: &BTreeMap<&str, &TypeDef>,
) -> String {
    let mut hint = format!(
        "to keep `{old_name}`, add `\"{}\": {old_name}` under `types:` in spec/renames.yaml \
         (spec/names.lock pins names by their place in the spec, and this place is new)",
        place(new_def)
    );
    if let Some(holder) = new_types.get(old_name) {
        let _ = write!(
            hint,
            "; `{old_name}` now names `{}`, which then needs another name there too",
            place(holder)
        );
    }
    hint
}

/// Types are judged against the generated surface: structs are `#[non_exhaustive]` with a
/// constructor taking the required fields and `with_` setters for the optional ones, and enums and
/// unions are `#[non_exhaustive]`. So adding an optional field, an enum value or a union variant
/// breaks nothing; adding a required field changes the constructor; removing or retyping anything
/// breaks the code that uses it.
fn diff_types(
    old: &[TypeDef],
    new: &[TypeDef],
    module: &str,
    renamed: &Renamed,
    out: &mut Vec<Change>,
) {
    let old_types: BTreeMap<&str, &TypeDef> = old.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> = new.iter().map(|t| (t.name.as_str(), t)).collect();
    let targets: BTreeSet<&str> = renamed.values().map(|n| n.as_str()).collect();
    let mut changes = Vec::new();
    for (name, def) in &new_types {
        if targets.contains(name) {
            continue;
        }
        if !old_types.contains_key(name) {
            changes.push(type_change(
                format!("{module}::{name}"),
                format!("added ({})", kind_name(&def.kind)),
                false,
            ));
        } else if renamed.contains_key(*name) {
            // The old holder of the name was renamed away; the name now belongs to another type.
            changes.push(type_change(
                format!("{module}::{name}"),
                format!(
                    "now names another type (the {} at `{}`)",
                    kind_name(&def.kind),
                    place(def)
                ),
                true,
            ));
        }
    }
    for (name, old_def) in &old_types {
        let item = format!("{module}::{name}");
        if let Some(new_name) = renamed.get(*name) {
            let new_def = new_types[new_name.as_str()];
            if place(old_def) == place(new_def) {
                // The same schema under another name: the policy renamed it, and what else
                // changed in it is listed under its new name.
                changes.push(type_change(
                    item,
                    format!(
                        "renamed to `{module}::{new_name}` (the same schema `{}`, named by \
                         spec/renames.yaml or spec/names.lock)",
                        place(new_def)
                    ),
                    true,
                ));
                let new_item = format!("{module}::{new_name}");
                diff_kind(
                    &new_item,
                    &old_def.kind,
                    &new_def.kind,
                    renamed,
                    &mut changes,
                );
            } else {
                changes.push(type_change(
                    item,
                    format!(
                        "renamed to `{module}::{new_name}` (same shape); {}",
                        keep_name_hint(name, new_def, &new_types)
                    ),
                    true,
                ));
            }
            continue;
        }
        let Some(new_def) = new_types.get(name) else {
            changes.push(type_change(item, "removed".to_owned(), true));
            continue;
        };
        diff_kind(&item, &old_def.kind, &new_def.kind, renamed, &mut changes);
        if !old_def.docs.deprecated && new_def.docs.deprecated {
            changes.push(type_change(item, "deprecated".to_owned(), false));
        }
    }
    changes.sort_by(|a, b| a.item.cmp(&b.item));
    out.extend(changes);
}

/// The changes inside a type that kept its name.
fn diff_kind(item: &str, old: &TypeKind, new: &TypeKind, renamed: &Renamed, out: &mut Vec<Change>) {
    let push = |out: &mut Vec<Change>, change: String, breaking: bool| {
        out.push(type_change(item.to_owned(), change, breaking))
    };
    match (old, new) {
        (TypeKind::Struct { fields: a }, TypeKind::Struct { fields: b }) => {
            diff_fields(item, a, b, renamed, out)
        }
        (TypeKind::StringEnum { values: a }, TypeKind::StringEnum { values: b }) => {
            let a: BTreeMap<&str, &str> = a
                .iter()
                .map(|v| (v.wire.as_str(), v.name.as_str()))
                .collect();
            let b: BTreeMap<&str, &str> = b
                .iter()
                .map(|v| (v.wire.as_str(), v.name.as_str()))
                .collect();
            for (wire, variant) in &b {
                match a.get(wire) {
                    // The enum is non-exhaustive and decoded the value as `Unknown` before.
                    None => push(out, format!("value `{wire}` added"), false),
                    Some(old) if old != variant => push(
                        out,
                        format!("value `{wire}` renamed from `{old}` to `{variant}`"),
                        true,
                    ),
                    Some(_) => {}
                }
            }
            for wire in a.keys().filter(|w| !b.contains_key(*w)) {
                push(out, format!("value `{wire}` removed"), true);
            }
        }
        (
            TypeKind::TaggedUnion {
                tag: old_tag,
                variants: a,
            },
            TypeKind::TaggedUnion {
                tag: new_tag,
                variants: b,
            },
        ) => {
            // Code compiled against the old SDK still compiles, but what `type_name()` reads and what is
            // sent changes: a change in behaviour (which side writes it shows as struct fields).
            if old_tag.property != new_tag.property {
                push(
                    out,
                    format!(
                        "tag property changed from `{}` to `{}`",
                        old_tag.property, new_tag.property
                    ),
                    true,
                );
            }
            let a: BTreeMap<&str, &UnionVariant> = a.iter().map(|v| (v.tag.as_str(), v)).collect();
            let b: BTreeMap<&str, &UnionVariant> = b.iter().map(|v| (v.tag.as_str(), v)).collect();
            for (tag, v) in &b {
                match a.get(tag) {
                    // The union is non-exhaustive and decoded the tag as `Unknown` before.
                    None => push(out, format!("variant `{tag}` added (`{}`)", v.ty), false),
                    Some(o) => {
                        let old_ty = renamed.get(&o.ty).unwrap_or(&o.ty);
                        if old_ty != &v.ty || o.name != v.name || o.boxed != v.boxed {
                            push(
                                out,
                                format!(
                                    "variant `{tag}` changed from `{}({})` to `{}({})`",
                                    o.name, o.ty, v.name, v.ty
                                ),
                                true,
                            );
                        }
                    }
                }
            }
            for tag in a.keys().filter(|t| !b.contains_key(*t)) {
                push(out, format!("variant `{tag}` removed"), true);
            }
        }
        (TypeKind::Untagged { variants: a }, TypeKind::Untagged { variants: b }) => {
            let a: BTreeMap<&str, TypeRef> = a
                .iter()
                .map(|v| (v.name.as_str(), mapped(&v.ty, renamed)))
                .collect();
            let b: BTreeMap<&str, &TypeRef> = b.iter().map(|v| (v.name.as_str(), &v.ty)).collect();
            for (name, ty) in &b {
                match a.get(name) {
                    None => push(
                        out,
                        format!("variant `{name}` added ({})", describe(ty)),
                        false,
                    ),
                    Some(old) if old != *ty => push(
                        out,
                        format!(
                            "variant `{name}` changed from {} to {}",
                            describe(old),
                            describe(ty)
                        ),
                        true,
                    ),
                    Some(_) => {}
                }
            }
            for name in a.keys().filter(|n| !b.contains_key(*n)) {
                push(out, format!("variant `{name}` removed"), true);
            }
        }
        (TypeKind::Alias { target: a }, TypeKind::Alias { target: b }) => {
            if &mapped(a, renamed) != b {
                push(
                    out,
                    format!("type alias changed from {} to {}", describe(a), describe(b)),
                    true,
                );
            }
        }
        (TypeKind::Id { raw: a }, TypeKind::Id { raw: b }) => {
            if a != b {
                push(
                    out,
                    format!("id changed from {} to {}", describe(a), describe(b)),
                    true,
                );
            }
        }
        (a, b) => push(
            out,
            format!("changed from {} to {}", kind_name(a), kind_name(b)),
            true,
        ),
    }
}

fn diff_fields(item: &str, old: &[Field], new: &[Field], renamed: &Renamed, out: &mut Vec<Change>) {
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
    let rust = |f: &Field| f.name.raw().to_owned();
    for (wire, f) in &new_by {
        let field = format!("{item}.{}", rust(f));
        match old_by.get(wire) {
            // A required field is a new argument of the constructor; an optional one a new `with_`
            // setter, which breaks nothing because the struct is non-exhaustive.
            None => out.push(type_change(
                field,
                format!("field `{wire}` added ({})", shown(f)),
                f.required,
            )),
            // Any change of the field's Rust type breaks reads of it (and optional <-> required
            // also changes the constructor), whether or not the new type looks wider. A list of a
            // response-only type is a `Vec`, of any other type an `Option<Vec>`: a type a request
            // starts (or stops) using changes the field's Rust type.
            Some(o)
                if mapped(&o.ty, renamed) != f.ty
                    || o.required != f.required
                    || o.boxed != f.boxed
                    || o.empty_when_absent != f.empty_when_absent =>
            {
                out.push(type_change(
                    field,
                    format!("field `{wire}` changed from {} to {}", shown(o), shown(f)),
                    true,
                ))
            }
            Some(o) if o.name != f.name => out.push(type_change(
                field,
                format!("field `{wire}` renamed from `{}` to `{}`", rust(o), rust(f)),
                true,
            )),
            Some(_) => {}
        }
    }
    for (wire, f) in old_by.iter().filter(|(w, _)| !new_by.contains_key(*w)) {
        out.push(type_change(
            format!("{item}.{}", rust(f)),
            format!("field `{wire}` removed"),
            true,
        ));
    }
}

pub mod old_policy;
mod renames;
mod report;
pub use report::{json, markdown};

#[cfg(test)]
mod tests;
