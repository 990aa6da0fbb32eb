//! Lowering of operations: methods grouped by their first tag, parameters, bodies and responses.

use super::schemas::Site;
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::{
    Api, Body, BodyEncoding, Docs, ErrorStatus, Group, Operation, Pagination, Param, PlaceKind,
    Response, ResponseKind, TypeKind, TypeRef,
};
use crate::load::escape_pointer;
use crate::naming;
use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode,
};
use std::collections::BTreeMap;

/// The HTTP methods in the order their operations are listed within a path.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The tag of operations that have none.
const DEFAULT_TAG: &str = "Default";

fn operations_of(item: &PathItem) -> impl Iterator<Item = (&'static str, &openapiv3::Operation)> {
    let ops = [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.options,
        &item.head,
        &item.patch,
        &item.trace,
    ];
    METHODS
        .iter()
        .zip(ops)
        .filter_map(|(m, op)| op.as_ref().map(|op| (*m, op)))
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
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
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
            let pointer = format!("{item_pointer}/{method}");
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| format!("{method}{path}"));
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
    let mut names: Vec<String> = Vec::with_capacity(group.operations.len());
    for (i, op) in group.operations.iter().enumerate() {
        let chosen = match lowerer.renames.operation(&op.id) {
            Some(name) => Some(name),
            None => {
                let name = lowerer.lock.name(PlaceKind::Method, &place(op));
                locked_at[i] = name.map(|_| place(op));
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
        names.push(name.to_owned());
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
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
            .insert((PlaceKind::Method, place(op)), name.clone());
    }
    // Distinct method names can still give equal builders (`get_v_2` and `get_v2` are both
    // `GetV2Request`), and a builder must not take the group's own name; the group's name comes
    // first so that it keeps it.
    let mut builders: Vec<String> = std::iter::once(group.struct_name.clone())
        .chain(names.iter().map(|name| naming::builder_name(name)))
        .collect();
    naming::dedupe(&mut builders);
    for ((op, name), builder) in group
        .operations
        .iter_mut()
        .zip(names)
        .zip(builders.into_iter().skip(1))
    {
        op.name = name;
        op.builder = builder;
    }
    Ok(())
}

fn resolve<'a, T>(
    components: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
    item: &'a ReferenceOr<T>,
    at: &str,
) -> Result<&'a T> {
    match item {
        ReferenceOr::Item(item) => Ok(item),
        ReferenceOr::Reference { reference } => {
            let target = reference
                .strip_prefix(prefix)
                .and_then(|key| components?.get(key))
                .ok_or_else(|| Error::spec(at, format!("dangling $ref {reference:?}")))?;
            match target {
                ReferenceOr::Item(item) => Ok(item),
                ReferenceOr::Reference { reference } => Err(Error::spec(
                    at,
                    format!("$ref to a $ref ({reference:?}) is not supported here"),
                )),
            }
        }
    }
}

fn lower_operation(
    lowerer: &mut Lowerer,
    path: &str,
    method: &str,
    op: &openapiv3::Operation,
    shared_params: &[ReferenceOr<Parameter>],
    id: &str,
    pointer: &str,
) -> Result<Operation> {
    let spec = lowerer.spec;
    let components = spec.components.as_ref();
    let owner = naming::derived_type_name(id);

    // Operation parameters override path-item parameters with the same name and location.
    let mut params: IndexMap<(String, &'static str), (&Parameter, String)> = IndexMap::new();
    for (list, list_pointer) in [
        (
            shared_params,
            pointer
                .rsplit_once('/')
                .map(|(p, _)| p)
                .unwrap_or(pointer)
                .to_owned(),
        ),
        (&op.parameters[..], pointer.to_owned()),
    ] {
        for (i, p) in list.iter().enumerate() {
            let at = format!("{list_pointer}/parameters/{i}");
            let p = resolve(
                components.map(|c| &c.parameters),
                "#/components/parameters/",
                p,
                &at,
            )?;
            let location = match p {
                Parameter::Path { .. } => "path",
                Parameter::Query { .. } => "query",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => "cookie",
            };
            params.insert((p.parameter_data_ref().name.clone(), location), (p, at));
        }
    }

    let mut path_params = Vec::new();
    let mut required_query = Vec::new();
    let mut optional_query = Vec::new();
    for ((name, location), (param, at)) in &params {
        let data = param.parameter_data_ref();
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let site = Site {
                    pointer: format!("{at}/schema"),
                    place: parameter_place(at, location, name),
                    owner: &owner,
                    field: name,
                };
                // Dixa documents some parameters' values on the parameter, not on its schema.
                let listed = data
                    .description
                    .as_deref()
                    .and_then(super::enums::values_in_description);
                match (schema, listed) {
                    (ReferenceOr::Item(s), Some(values)) if is_plain_string(s) => {
                        lowerer.pending_enum(values, &site)
                    }
                    _ => lowerer.type_ref_unboxed(schema, &site)?,
                }
            }
            ParameterSchemaOrContent::Content(_) => TypeRef::String,
        };
        let lowered = Param {
            wire: name.clone(),
            name: naming::field_name(name),
            ty,
            docs: Docs {
                summary: None,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            },
        };
        match *location {
            "path" => path_params.push(lowered),
            "query" if data.required => required_query.push(lowered),
            "query" => optional_query.push(lowered),
            other => {
                let note = if name.eq_ignore_ascii_case("authorization") {
                    "the client sends it"
                } else {
                    "not supported; the parameter is left out"
                };
                lowerer.warn(at, format!("{other} parameter {name:?}: {note}"));
            }
        }
    }

    // Path parameters are positional, in the order they appear in the URL.
    let placeholders = placeholders(path).map_err(|m| Error::spec(pointer, m))?;
    let mut ordered = Vec::with_capacity(placeholders.len());
    for placeholder in &placeholders {
        let index = path_params
            .iter()
            .position(|p: &Param| &p.wire == placeholder)
            .ok_or_else(|| {
                Error::spec(
                    pointer,
                    format!(
                        "operation {id}: path placeholder {{{placeholder}}} has no path parameter"
                    ),
                )
            })?;
        ordered.push(path_params.remove(index));
    }
    if let Some(extra) = path_params.first() {
        return Err(Error::spec(
            pointer,
            format!(
                "operation {id}: path parameter {:?} is not in the path",
                extra.wire
            ),
        ));
    }
    // The method's arguments: the names the emitted method gives its own arguments and locals
    // (`body`, `params`, `request`) come first, so that `dedupe` leaves them to the method and
    // renames a parameter that has one of them.
    let mut names: Vec<String> = ARGUMENT_NAMES
        .iter()
        .map(|n| (*n).to_owned())
        .chain(
            ordered
                .iter()
                .chain(&required_query)
                .map(|p| p.name.clone()),
        )
        .collect();
    naming::dedupe(&mut names);
    for (param, name) in ordered
        .iter_mut()
        .chain(&mut required_query)
        .zip(names.into_iter().skip(ARGUMENT_NAMES.len()))
    {
        param.name = name;
    }
    // Optional query parameters are setters of the request builder: distinct, clear of the methods
    // every builder has (fixed first, so they keep their names), and the lock keeps the names they
    // had.
    let place = |param: &Param| format!("{id} {}", param.wire);
    let mut names: Vec<String> = naming::BUILDER_METHODS
        .iter()
        .map(|n| (*n).to_owned())
        .collect();
    let mut locked: Vec<bool> = vec![true; names.len()];
    for param in &optional_query {
        match lowerer.lock.name(PlaceKind::Param, &place(param)) {
            Some(name) => {
                if names.iter().zip(&locked).any(|(n, l)| *l && n == name) {
                    return Err(lowerer.lock.conflict(
                        PlaceKind::Param,
                        &place(param),
                        format!(
                            "`{name}` is also the name of another parameter of {id} or of a \
                             request builder method"
                        ),
                    ));
                }
                names.push(name.to_owned());
                locked.push(true);
            }
            None => {
                names.push(param.name.clone());
                locked.push(false);
            }
        }
    }
    naming::dedupe_around(&mut names, &locked);
    for (param, name) in optional_query
        .iter_mut()
        .zip(names.into_iter().skip(naming::BUILDER_METHODS.len()))
    {
        lowerer
            .places
            .insert((PlaceKind::Param, place(param)), name.clone());
        param.name = name;
    }

    if !op.callbacks.is_empty() {
        let names: Vec<&String> = op.callbacks.keys().collect();
        lowerer.warn(
            &format!("{pointer}/callbacks"),
            format!("callbacks {names:?} are not supported; they are left out"),
        );
    }

    let body = match &op.request_body {
        None => None,
        Some(body) => {
            let at = format!("{pointer}/requestBody");
            let body = resolve(
                components.map(|c| &c.request_bodies),
                "#/components/requestBodies/",
                body,
                &at,
            )?;
            lower_body(lowerer, body, &owner, &at)?
        }
    };

    Ok(Operation {
        id: id.to_owned(),
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        name: naming::method_name(op.summary.as_deref(), id),
        docs: Docs {
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
        },
        path_params: ordered,
        required_query,
        optional_query,
        builder: String::new(),
        body,
        response: lower_response(lowerer, op, &owner, pointer)?,
        pagination: None,
    })
}

/// The lock-file place of a parameter's schema: by location and name rather than by index, so that a
/// parameter added before it does not move it (`.../get/parameters/query:type/schema`).
fn parameter_place(at: &str, location: &str, name: &str) -> String {
    let list = at.rsplit_once('/').map_or(at, |(list, _)| list);
    format!("{list}/{}:{}/schema", location, escape_pointer(name))
}

/// Names the emitted method uses for its own argument (`body`) and for the request it builds before
/// reading its arguments (`request`).
const ARGUMENT_NAMES: &[&str] = &["body", "request"];

/// A string schema with no format (a date-time or UUID parameter is not an enumeration).
fn is_plain_string(schema: &openapiv3::Schema) -> bool {
    use openapiv3::{SchemaKind, Type, VariantOrUnknownOrEmpty};
    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if matches!(s.format, VariantOrUnknownOrEmpty::Empty))
}

/// The `{name}` placeholders of a path template, in order.
fn placeholders(path: &str) -> std::result::Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| format!("unterminated placeholder in path {path:?}"))?;
        out.push(rest[start + 1..start + end].to_owned());
        rest = &rest[start + end + 1..];
    }
    Ok(out)
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn lower_body(
    lowerer: &mut Lowerer,
    body: &openapiv3::RequestBody,
    owner: &str,
    at: &str,
) -> Result<Option<Body>> {
    let docs = Docs {
        summary: None,
        description: body.description.clone(),
        deprecated: false,
    };
    // Content types are tried in sorted order, so the choice does not depend on the order of the
    // spec's map.
    let content = sorted_content(&body.content);
    let pick = |pred: &dyn Fn(&str) -> bool| content.iter().copied().find(|(ct, _)| pred(ct));
    let (content_type, media, encoding) = if let Some((ct, media)) = pick(&|ct| is_json(ct)) {
        (ct, media, BodyEncoding::Json)
    } else if let Some((ct, media)) = pick(&|ct| ct.starts_with("multipart/form-data")) {
        (ct, media, BodyEncoding::Multipart { parts: Vec::new() })
    } else {
        let types: Vec<&String> = body.content.keys().collect();
        lowerer.warn(
            at,
            format!("request content types {types:?} are not supported; the body is left out"),
        );
        return Ok(None);
    };
    let pointer = format!("{at}/content/{}/schema", escape_pointer(content_type));
    let site = Site {
        place: pointer.clone(),
        pointer,
        owner,
        field: "body",
    };
    let ty = media_type(lowerer, media, &site)?;
    // Named examples are taken in sorted order, so the choice does not depend on the map's order.
    let mut named: Vec<_> = media.examples.iter().collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    let example = media.example.clone().or_else(|| {
        named.into_iter().find_map(|(_, e)| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    });
    Ok(Some(Body {
        ty,
        required: body.required,
        encoding,
        docs,
        example,
    }))
}

/// A content map's entries sorted by content type.
fn sorted_content(content: &IndexMap<String, MediaType>) -> Vec<(&String, &MediaType)> {
    let mut entries: Vec<(&String, &MediaType)> = content.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn media_type(lowerer: &mut Lowerer, media: &MediaType, site: &Site) -> Result<TypeRef> {
    match &media.schema {
        Some(schema) => lowerer.type_ref_unboxed(schema, site),
        None => Ok(TypeRef::Json),
    }
}

fn lower_response(
    lowerer: &mut Lowerer,
    op: &openapiv3::Operation,
    owner: &str,
    pointer: &str,
) -> Result<Response> {
    let components = lowerer.spec.components.as_ref();
    // `2XX` counts as 200, after an explicit 200 (sorting on the pair keeps the choice independent of
    // the order of the spec's map).
    let mut success: Vec<(u16, bool, &ReferenceOr<openapiv3::Response>)> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => Some((*c, false, r)),
            StatusCode::Range(2) => Some((200, true, r)),
            _ => None,
        })
        .collect();
    success.sort_by_key(|(c, range, _)| (*c, *range));
    let errors = error_statuses(lowerer, op, pointer)?;
    let Some(&(status, _, response)) = success.first() else {
        lowerer.warn(pointer, "no 2xx response; the method returns ()");
        return Ok(Response {
            status: 200,
            kind: ResponseKind::Empty,
            errors,
        });
    };
    if success.len() > 1 {
        let codes: Vec<String> = success
            .iter()
            .map(|(c, range, _)| {
                if *range {
                    "2XX".to_owned()
                } else {
                    c.to_string()
                }
            })
            .collect();
        lowerer.warn(
            pointer,
            format!("several 2xx responses {codes:?}; the method decodes the body of {status}"),
        );
    }
    let at = format!("{pointer}/responses/{status}");
    let response = resolve(
        components.map(|c| &c.responses),
        "#/components/responses/",
        response,
        &at,
    )?;
    let kind = match sorted_content(&response.content)
        .into_iter()
        .find(|(ct, _)| is_json(ct))
    {
        Some((ct, media)) => {
            let pointer = format!("{at}/content/{}/schema", escape_pointer(ct));
            let site = Site {
                place: pointer.clone(),
                pointer,
                owner,
                field: "response",
            };
            ResponseKind::Json(media_type(lowerer, media, &site)?)
        }
        None if response.content.is_empty() => ResponseKind::Empty,
        None => {
            let types: Vec<&String> = response.content.keys().collect();
            lowerer.warn(
                &at,
                format!("response content types {types:?} are not decoded; the method returns ()"),
            );
            ResponseKind::Empty
        }
    };
    Ok(Response {
        status,
        kind,
        errors,
    })
}

/// The non-2xx responses of an operation with their descriptions, sorted by status so that the
/// order does not depend on the spec's map: numbers first, then ranges (`4XX` sorts as 499.5), then
/// `default`.
fn error_statuses(
    lowerer: &Lowerer,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Result<Vec<ErrorStatus>> {
    let components = lowerer.spec.components.as_ref();
    let mut out: Vec<(u32, ErrorStatus)> = Vec::new();
    for (code, response) in &op.responses.responses {
        let (order, status) = match code {
            StatusCode::Code(c) if (200..300).contains(c) => continue,
            StatusCode::Range(2) => continue,
            StatusCode::Code(c) => (u32::from(*c) * 10, c.to_string()),
            StatusCode::Range(r) => (u32::from(*r) * 1000 + 995, format!("{r}XX")),
        };
        let at = format!("{pointer}/responses/{status}");
        let response = resolve(
            components.map(|c| &c.responses),
            "#/components/responses/",
            response,
            &at,
        )?;
        out.push((
            order,
            ErrorStatus {
                status,
                description: response.description.clone(),
            },
        ));
    }
    if let Some(response) = &op.responses.default {
        let at = format!("{pointer}/responses/default");
        let response = resolve(
            components.map(|c| &c.responses),
            "#/components/responses/",
            response,
            &at,
        )?;
        out.push((
            u32::MAX,
            ErrorStatus {
                status: "default".to_owned(),
                description: response.description.clone(),
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.status.cmp(&b.1.status)));
    Ok(out.into_iter().map(|(_, e)| e).collect())
}

/// The query parameter carrying Dixa's opaque page key.
const PAGE_KEY: &str = "pageKey";

/// An operation is paginated when it takes `pageKey` and answers an envelope with a `data` list and
/// a `meta` member (which carries the `next` link).
fn pagination(
    op: &Operation,
    structs: &BTreeMap<&str, &Vec<crate::ir::Field>>,
) -> Option<Pagination> {
    op.optional_query.iter().find(|p| p.wire == PAGE_KEY)?;
    let ResponseKind::Json(TypeRef::Named(envelope)) = &op.response.kind else {
        return None;
    };
    let fields = structs.get(envelope.as_str())?;
    fields.iter().find(|f| f.wire == "meta")?;
    let TypeRef::List(item) = &fields.iter().find(|f| f.wire == "data")?.ty else {
        return None;
    };
    Some(Pagination {
        item: (**item).clone(),
    })
}

/// Completes operations once every type is known: `{"data": T}` envelopes are unwrapped to `T`, and
/// multipart bodies learn their parts from the body struct.
///
/// Unwrapping is the SDK's choice: an envelope holding only `data` carries nothing else a caller could
/// use, so `get_agent` returns an `Agent`. Dixa's list envelopes leave `data` optional (an empty
/// list may be omitted), so an absent optional list or map becomes an empty one. Envelopes with more (`meta` for pagination,
/// `partialErrors`) are returned whole, because dropping those would lose information.
pub(super) fn finish(api: &mut Api, warnings: &mut Vec<String>) -> Result<()> {
    let structs: BTreeMap<&str, &Vec<crate::ir::Field>> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct { fields } => Some((t.name.as_str(), fields)),
            _ => None,
        })
        .collect();
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        op.pagination = pagination(op, &structs);
    }
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        // A path parameter is written into the URL with `Display`; a list, object or untyped value
        // has no URL form the spec states, so the caller passes the segment as a string.
        for param in &mut op.path_params {
            if !crate::ir::displays_in_url(&api.types, &param.ty) {
                warnings.push(format!(
                    "operation {}: path parameter {:?} of type {:?} has no URL form; it is taken as a string",
                    op.id, param.wire, param.ty
                ));
                param.ty = TypeRef::String;
            }
        }
        if let ResponseKind::Json(TypeRef::Named(envelope)) = &op.response.kind {
            if let Some([field]) = structs.get(envelope.as_str()).map(|f| f.as_slice()) {
                let collection = matches!(field.ty, TypeRef::List(_) | TypeRef::Map(_));
                if field.wire == "data" && (field.required || collection) {
                    op.response.kind = ResponseKind::Data {
                        envelope: envelope.clone(),
                        data: field.ty.clone(),
                        required: field.required,
                    };
                }
            }
        }
        if let Some(body) = &mut op.body {
            if let BodyEncoding::Multipart { parts } = &mut body.encoding {
                match &body.ty {
                    TypeRef::Named(name) if structs.contains_key(name.as_str()) => {
                        *parts = structs[name.as_str()].clone();
                    }
                    other => {
                        warnings.push(format!(
                            "operation {}: multipart body {other:?} is not an object; it is sent as one JSON part",
                            op.id
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
