//! Lowering of operations: methods grouped by their first tag and named. An operation's parameters
//! (`params.rs`), request body (`bodies.rs`) and responses (`responses.rs`) are lowered by the
//! module of their concern; [`finish`] completes them once every type is named.

use super::{bodies, params, responses, Lowerer};
use crate::error::{Error, Result};
use crate::ir::{Api, Docs, Group, HttpMethod, Operation, PlaceKind, Places, ResponseKind};
use crate::load::escape_pointer;
use crate::naming::{self, RustIdent};
use crate::policy::NameLock;
use openapiv3::{Parameter, PathItem, ReferenceOr};
use std::collections::BTreeMap;

/// The tag of operations that have none.
const DEFAULT_TAG: &str = "Default";

/// The operations of a path item, in path-item order.
fn operations_of(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &openapiv3::Operation)> {
    HttpMethod::ALL.into_iter().filter_map(|method| {
        let op = match method {
            HttpMethod::Get => &item.get,
            HttpMethod::Put => &item.put,
            HttpMethod::Post => &item.post,
            HttpMethod::Delete => &item.delete,
            HttpMethod::Options => &item.options,
            HttpMethod::Head => &item.head,
            HttpMethod::Patch => &item.patch,
            HttpMethod::Trace => &item.trace,
        };
        op.as_ref().map(|op| (method, op))
    })
}

/// Lowers every operation, grouped by first tag. Paths are visited in sorted order.
pub(super) fn lower_operations(lowerer: &mut Lowerer) -> Result<Vec<Group>> {
    let spec = lowerer.spec;
    let paths: BTreeMap<&str, &ReferenceOr<PathItem>> = spec
        .paths
        .paths
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let mut groups: BTreeMap<RustIdent, Group> = BTreeMap::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in paths {
        let item_pointer = format!("#/paths/{}", escape_pointer(path));
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(Error::spec(item_pointer, "path item $ref is not supported"))
            }
        };
        for (method, op) in operations_of(item) {
            let pointer = format!("{item_pointer}/{}", method.key());
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{}{path}", method.key()));
            if let Some(other) = ids.insert(id.clone(), pointer.clone()) {
                return Err(Error::spec(
                    pointer,
                    format!("duplicate operationId {id:?} (also at {other})"),
                ));
            }
            let operation =
                lower_operation(lowerer, path, method, op, &item.parameters, &id, &pointer)?;
            let tag = op.tags.first().map(String::as_str).unwrap_or(DEFAULT_TAG);
            let names = naming::group_names(tag);
            let group = groups.entry(names.module.clone()).or_insert_with(|| Group {
                tag: tag.to_owned(),
                module: names.module,
                accessor: names.accessor,
                struct_name: names.struct_name,
                feature: names.feature,
                docs: tag_docs(spec, tag),
                operations: Vec::new(),
            });
            if group.tag != tag {
                return Err(Error::Collision {
                    message: format!(
                        "operation {id} at {pointer}: tags {:?} and {tag:?} would both become module `{}`",
                        group.tag, group.module
                    ),
                });
            }
            group.operations.push(operation);
        }
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    let mut features: BTreeMap<&str, &Group> = BTreeMap::new();
    for group in &groups {
        if let Some(other) = features.insert(&group.feature, group) {
            fn first_op(group: &Group) -> &str {
                group.operations.first().map_or("", |op| op.id.as_str())
            }
            return Err(Error::Collision {
                message: format!(
                    "tags {:?} (operation {}) and {:?} (operation {}) would both get the cargo feature `{}`",
                    other.tag,
                    first_op(other),
                    group.tag,
                    first_op(group),
                    group.feature
                ),
            });
        }
    }
    for group in &mut groups {
        name_methods(lowerer, group)?;
    }
    Ok(groups)
}

fn tag_docs(spec: &openapiv3::OpenAPI, tag: &str) -> Docs {
    let description = spec
        .tags
        .iter()
        .find(|t| t.name == tag)
        .and_then(|t| t.description.clone());
    Docs {
        summary: Some(format!("Operations tagged `{tag}`.")),
        description,
        deprecated: false,
    }
}

/// Decides method names within a group: the rename table first, then the lock file, then the
/// summary; new operations whose summaries collide with another name fall back to their
/// operationIds, and any remaining clash is numbered around the names that are kept.
fn name_methods(lowerer: &mut Lowerer, group: &mut Group) -> Result<()> {
    let place = |op: &Operation| format!("{} {}", group.module, op.id);
    let mut fixed = vec![false; group.operations.len()];
    // The lock's place for each name the lock fixed, to name the line in a conflict.
    let mut locked_at: Vec<Option<String>> = vec![None; group.operations.len()];
    let mut names: Vec<RustIdent> = Vec::with_capacity(group.operations.len());
    for (i, op) in group.operations.iter().enumerate() {
        let chosen = match lowerer.renames.operation(&op.id) {
            Some(name) => Some(name.clone()),
            None => {
                let name = lowerer.lock.ident(PlaceKind::Method, &place(op));
                locked_at[i] = name.as_ref().map(|_| place(op));
                name
            }
        };
        let Some(name) = chosen else {
            names.push(op.name.clone());
            continue;
        };
        if let Some(j) = (0..i).find(|&j| fixed[j] && names[j] == name) {
            let other = &group.operations[j].id;
            // A clash that involves the lock names the lock's line; one between two renames
            // names the rename.
            return Err(match (&locked_at[i], &locked_at[j]) {
                (Some(at), _) => lowerer.lock.conflict(
                    PlaceKind::Method,
                    at,
                    format!("`{name}` is also the name of {other}"),
                ),
                (None, Some(at)) => lowerer.lock.conflict(
                    PlaceKind::Method,
                    at,
                    format!("the rename table gives `{name}` to {}", op.id),
                ),
                (None, None) => Error::Collision {
                    message: format!(
                        "the rename table names {} `{name}`, which operation {other} of tag {:?} also gets",
                        op.id, group.tag
                    ),
                },
            });
        }
        fixed[i] = true;
        names.push(name);
    }
    let mut counts: BTreeMap<RustIdent, usize> = BTreeMap::new();
    for name in &names {
        *counts.entry(name.clone()).or_default() += 1;
    }
    for (i, op) in group.operations.iter().enumerate() {
        if !fixed[i] && counts[&names[i]] > 1 {
            names[i] = naming::method_name(None, &op.id);
        }
    }
    naming::dedupe_around(&mut names, &fixed);
    for (op, name) in group.operations.iter().zip(&names) {
        lowerer
            .places
            .insert((PlaceKind::Method, place(op)), name.to_string());
    }
    // Distinct method names can still give equal builders (`get_v_2` and `get_v2` are both
    // `GetV2Request`), and a builder must not take the group's own name; the group's name comes
    // first so that it keeps it.
    // The enums of operations with several 2xx responses share the module and come last, so they
    // never shift a builder's name (`FooResponse` cannot equal a `...Request`, only the group's).
    let by_status: Vec<bool> = group
        .operations
        .iter()
        .map(|op| matches!(op.response.kind, ResponseKind::ByStatus { .. }))
        .collect();
    let enums = names
        .iter()
        .zip(&by_status)
        .filter(|(_, by_status)| **by_status)
        .map(|(name, _)| naming::response_enum_name(name));
    let mut builders: Vec<RustIdent> = std::iter::once(group.struct_name.clone())
        .chain(names.iter().map(naming::builder_name))
        .chain(enums)
        .collect();
    naming::dedupe(&mut builders);
    let mut enum_names = builders.split_off(names.len() + 1).into_iter();
    for ((op, name), builder) in group
        .operations
        .iter_mut()
        .zip(names)
        .zip(builders.into_iter().skip(1))
    {
        op.name = name;
        op.builder = builder;
        if let ResponseKind::ByStatus { name, .. } = &mut op.response.kind {
            if let Some(enum_name) = enum_names.next() {
                *name = enum_name;
            }
        }
    }
    Ok(())
}

fn lower_operation(
    lowerer: &mut Lowerer,
    path: &str,
    method: HttpMethod,
    op: &openapiv3::Operation,
    shared_params: &[ReferenceOr<Parameter>],
    id: &str,
    pointer: &str,
) -> Result<Operation> {
    let owner = naming::derived_type_name(id);
    let params = params::lower_params(lowerer, path, op, shared_params, id, pointer, &owner)?;
    if !op.callbacks.is_empty() {
        let names: Vec<&String> = op.callbacks.keys().collect();
        lowerer.warn(
            &format!("{pointer}/callbacks"),
            format!("callbacks {names:?} are not supported; they are left out"),
        );
    }
    // The name and builder are the rules' first guess; `name_methods` decides them per group.
    let name = naming::method_name(op.summary.as_deref(), id);
    let response = responses::lower_response(lowerer, op, &owner, pointer, &name)?;
    Ok(Operation {
        id: id.to_owned(),
        method,
        path: path.to_owned(),
        builder: naming::builder_name(&name),
        name,
        docs: Docs {
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
        },
        path_params: params.path,
        required_query: params.required_query,
        optional_query: params.optional_query,
        body: bodies::lower_request_body(lowerer, op, &owner, pointer)?,
        response,
        pagination: None,
    })
}

/// Completes operations once every type is known: path parameters that have no URL form, envelopes
/// and pagination, multipart parts.
pub(super) fn finish(
    api: &mut Api,
    lock: &NameLock,
    places: &mut Places,
    warnings: &mut Vec<String>,
) {
    params::finish(api, warnings);
    responses::finish(api, lock, places);
    bodies::finish(api, warnings);
}
