//! Lowering of responses: the success status and its body, the declared error statuses, and (once
//! types are named) Dixa's `{"data": T}` envelopes and `pageKey` pagination.

use super::bodies::{choose, media_example, media_type, Media};
use super::site::Site;
use super::{refs, Lowerer};
use crate::error::Result;
use crate::ir::{
    Api, ErrorStatus, Field, Operation, Pagination, PlaceKind, Places, Response, ResponseKind,
    StatusVariant, TypeRef,
};
use crate::naming::{self, RustIdent};
use crate::policy::{NameLock, RESULT_BODY, RESULT_DATA};
use openapiv3::{ReferenceOr, StatusCode};
use std::collections::{BTreeMap, BTreeSet};

/// Lowers the 2xx responses of `op`, whose method is (by the rules' first guess) `method`.
///
/// Each 2xx response's body is the first of JSON, text (`text/*`, a `String`) and bytes (any other
/// content type, `Vec<u8>`) it offers, by content type in sorted order. An operation with several
/// 2xx responses gets a [`ResponseKind::ByStatus`] here, which [`finish`] narrows once types are
/// named.
pub(super) fn lower_response(
    lowerer: &mut Lowerer,
    op: &openapiv3::Operation,
    owner: &str,
    pointer: &str,
    method: &RustIdent,
) -> Result<Response> {
    let components = lowerer.spec.components.as_ref().map(|c| &c.responses);
    // Explicit statuses in order, then the `2XX` range (sorting keeps the result independent of the
    // order of the spec's map).
    let mut success: Vec<(Option<u16>, &ReferenceOr<openapiv3::Response>)> = op
        .responses
        .responses
        .iter()
        .filter_map(|(code, r)| match code {
            StatusCode::Code(c) if (200..300).contains(c) => Some((Some(*c), r)),
            StatusCode::Range(2) => Some((None, r)),
            _ => None,
        })
        .collect();
    success.sort_by_key(|(c, _)| (c.is_none(), *c));
    let errors = error_statuses(lowerer, op, pointer)?;
    if success.is_empty() {
        lowerer.warn(pointer, "no 2xx response; the method returns ()");
        return Ok(Response {
            status: 200,
            kind: ResponseKind::Empty,
            errors,
            accept: None,
            example: None,
        });
    }
    let mut variants = Vec::new();
    let mut accept: BTreeSet<&str> = BTreeSet::new();
    let mut example = None;
    for (status, response) in success {
        let variant_name = naming::status_variant_name(status);
        let status_text = match status {
            Some(code) => code.to_string(),
            None => "2XX".to_owned(),
        };
        let at = format!("{pointer}/responses/{status_text}");
        let (_, response) = refs::resolve("responses", refs::in_map(components), response, &at)?;
        let rank = |media| match media {
            Media::Json | Media::Text => media,
            _ => Media::Binary,
        };
        let kind = match choose(&response.content, rank) {
            None => ResponseKind::Empty,
            Some((media, ct, schema)) => {
                accept.insert(ct);
                if variants.is_empty() && media != Media::Binary {
                    example = media_example(schema);
                }
                match media {
                    Media::Json => {
                        let site = Site::media(&at, ct, owner, "response");
                        ResponseKind::Json(media_type(lowerer, schema, &site)?)
                    }
                    Media::Text => ResponseKind::Text,
                    _ => ResponseKind::Bytes,
                }
            }
        };
        variants.push(StatusVariant {
            status,
            name: variant_name,
            kind,
            description: response.description.clone(),
        });
    }
    let status = variants.first().and_then(|v| v.status).unwrap_or(200);
    // `Accept: application/json` is what the client sends by default; an operation that answers
    // with anything else says what it reads, so a server that negotiates does not refuse it.
    let accept = accept
        .iter()
        .any(|ct| Media::of(ct) != Media::Json)
        .then(|| accept.into_iter().collect::<Vec<_>>().join(", "));
    let kind = match <[StatusVariant; 1]>::try_from(variants) {
        Ok([only]) => only.kind,
        Err(variants) => ResponseKind::ByStatus {
            name: naming::response_enum_name(method),
            variants,
        },
    };
    Ok(Response {
        status,
        kind,
        errors,
        accept,
        example,
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
    let components = lowerer.spec.components.as_ref().map(|c| &c.responses);
    let mut out: Vec<(u32, ErrorStatus)> = Vec::new();
    for (code, response) in &op.responses.responses {
        let (order, status) = match code {
            StatusCode::Code(c) if (200..300).contains(c) => continue,
            StatusCode::Range(2) => continue,
            StatusCode::Code(c) => (u32::from(*c) * 10, c.to_string()),
            StatusCode::Range(r) => (u32::from(*r) * 1000 + 995, format!("{r}XX")),
        };
        let at = format!("{pointer}/responses/{status}");
        let (_, response) = refs::resolve("responses", refs::in_map(components), response, &at)?;
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
        let (_, response) = refs::resolve("responses", refs::in_map(components), response, &at)?;
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
fn pagination(op: &Operation, structs: &BTreeMap<&str, &Vec<Field>>) -> Option<Pagination> {
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

/// Completes responses once every type is known: pagination is recognised, and `{"data": T}`
/// envelopes are unwrapped to `T`.
///
/// Unwrapping is the SDK's choice: an envelope holding only `data` carries nothing else a caller could
/// use, so `get_agent` returns an `Agent`. Dixa's list envelopes leave `data` optional (an empty
/// list may be omitted), so an absent optional list or map becomes an empty one. Envelopes with more
/// (`meta` for pagination, `partialErrors`) are returned whole, because dropping those would lose
/// information.
///
/// The lock keeps each decision (`result` lines, `data` or `body` by operationId), because a
/// member added to an envelope later is invisible on the wire to a client that reads `data`, and
/// must not change what awaiting the call returns: `list_tags()` returns `Vec<Tag>` after its
/// envelope gains `meta`, and the envelope is reached through the builder's `send_envelope` (and
/// the pages through `pages`/`items`). An envelope whose `data` can no longer be unwrapped (it
/// became optional and is not a collection, or is gone) is returned whole whatever the lock says.
pub(super) fn finish(api: &mut Api, lock: &NameLock, places: &mut Places) {
    let structs = crate::ir::struct_fields(&api.types);
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        narrow(&mut op.response.kind);
        op.pagination = pagination(op, &structs);
        match &mut op.response.kind {
            // A choice between statuses follows the rule: the lock keeps the decision of an
            // operation's one result, which is what a member added to an envelope must not move.
            ResponseKind::Optional { variants } | ResponseKind::ByStatus { variants, .. } => {
                for v in variants {
                    unwrap_envelope(&mut v.kind, &structs, None);
                }
            }
            kind => {
                let kept = lock.name(PlaceKind::Result, &op.id);
                if let Some(decision) = unwrap_envelope(kind, &structs, kept) {
                    places.insert((PlaceKind::Result, op.id.clone()), decision.to_owned());
                }
            }
        }
    }
}

/// The typed choice between several 2xx responses. When every status carries the same body (200
/// and 201 both a `Foo`, or none at all), the method returns that body whatever the status, as
/// with one response. When one body type is answered on some statuses and nothing on the others
/// (200 with a `Foo`, 204 without), it returns `Option<Foo>`: `None` says exactly what the
/// bodyless statuses carry, and needs no type of its own. Otherwise it stays an enum with a
/// variant per status (`Ok(Foo)`, `Accepted(Job)`, `NoContent`).
fn narrow(kind: &mut ResponseKind) {
    let ResponseKind::ByStatus { variants, .. } = kind else {
        return;
    };
    let bodies: Vec<&ResponseKind> = variants
        .iter()
        .map(|v| &v.kind)
        .filter(|k| **k != ResponseKind::Empty)
        .collect();
    let one_body = bodies
        .first()
        .is_some_and(|b| bodies.iter().all(|o| o == b));
    if let Some(first) = variants
        .first()
        .filter(|f| variants.iter().all(|v| v.kind == f.kind))
    {
        *kind = first.kind.clone();
    } else if one_body {
        *kind = ResponseKind::Optional {
            variants: std::mem::take(variants),
        };
    }
}

/// Unwraps a `{"data": T}` envelope to `T` (see [`finish`]) when `kept` (the lock's `result`
/// line) says so and `data` still allows it, or, with no line, when `data` is the envelope's only
/// member. Returns the decision, or `None` when `kind` is not such an envelope.
fn unwrap_envelope(
    kind: &mut ResponseKind,
    structs: &BTreeMap<&str, &Vec<Field>>,
    kept: Option<&str>,
) -> Option<&'static str> {
    let ResponseKind::Json(TypeRef::Named(envelope)) = kind else {
        return None;
    };
    let fields = structs.get(envelope.as_str())?;
    let data = fields.iter().find(|f| f.wire == "data")?;
    let collection = matches!(
        data.ty,
        TypeRef::List(_) | TypeRef::Map(_) | TypeRef::KeyedMap(..)
    );
    let can_unwrap = data.required || collection;
    let unwrap = can_unwrap
        && match kept {
            Some(kept) => kept == RESULT_DATA,
            None => fields.len() == 1,
        };
    if unwrap {
        *kind = ResponseKind::Data {
            envelope: envelope.clone(),
            data: data.ty.clone(),
            required: data.required,
            more: fields.len() > 1,
        };
        Some(RESULT_DATA)
    } else {
        Some(RESULT_BODY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{NameLock, Renames};
    use serde_json::{json, Value};

    fn json_of(schema: &str) -> Value {
        json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}})
    }

    fn lower(responses: &[(&str, Value)]) -> Api {
        let mut paths = serde_json::Map::new();
        for (id, responses) in responses {
            paths.insert(
                format!("/{id}"),
                json!({"post": {"operationId": id, "summary": id, "responses": responses}}),
            );
        }
        let object = |p: &str| json!({"type": "object", "properties": {p: {"type": "string"}}});
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": paths,
            "components": {"schemas": {"Foo": object("a"), "Job": object("b")}},
        });
        let spec = crate::lower::parse(spec).unwrap();
        crate::lower::lower(&spec, &Renames::default(), &NameLock::default()).unwrap()
    }

    fn response<'a>(api: &'a Api, id: &str) -> &'a Response {
        let ops = api.groups.iter().flat_map(|g| &g.operations);
        &ops.clone().find(|o| o.id == id).unwrap().response
    }

    #[test]
    fn several_2xx_responses_become_one_type_an_option_or_an_enum() {
        let foo = json_of("Foo");
        let api = lower(&[
            (
                "same",
                json!({"200": {"description": "a", "content": foo}, "201": {"description": "b", "content": foo}}),
            ),
            (
                "maybe",
                json!({"200": {"description": "a", "content": foo}, "204": {"description": "none"}}),
            ),
            (
                "createFoo",
                json!({
                    "202": {"description": "queued", "content": json_of("Job")},
                    "200": {"description": "done", "content": foo},
                    "2XX": {"description": "other", "content": {"text/plain": {}}},
                    "204": {"description": "nothing"},
                }),
            ),
        ]);
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
        let foo = TypeRef::Named("Foo".into());
        assert_eq!(response(&api, "same").kind, ResponseKind::Json(foo.clone()));
        let ResponseKind::Optional { variants } = &response(&api, "maybe").kind else {
            panic!("{:?}", response(&api, "maybe").kind)
        };
        assert_eq!(
            ResponseKind::optional_body(variants),
            Some(&ResponseKind::Json(foo.clone()))
        );
        let create = response(&api, "createFoo");
        let ResponseKind::ByStatus { name, variants } = &create.kind else {
            panic!("{:?}", create.kind)
        };
        assert_eq!(name.as_str(), "CreateFooResponse");
        let summary: Vec<(String, &str, &ResponseKind)> = variants
            .iter()
            .map(|v| (v.status_text(), v.name.as_str(), &v.kind))
            .collect();
        assert_eq!(
            summary,
            [
                ("200".to_owned(), "Success", &ResponseKind::Json(foo)),
                (
                    "202".to_owned(),
                    "Accepted",
                    &ResponseKind::Json(TypeRef::Named("Job".into()))
                ),
                ("204".to_owned(), "NoContent", &ResponseKind::Empty),
                ("2XX".to_owned(), "Other", &ResponseKind::Text),
            ]
        );
        // Undeclared statuses read as the range when there is one.
        assert_eq!(
            ResponseKind::fallback(variants).map(|v| v.name.as_str()),
            Some("Other")
        );
        assert_eq!(create.status, 200);
        assert_eq!(
            create.accept.as_deref(),
            Some("application/json, text/plain")
        );
    }

    #[test]
    fn text_and_other_bodies_are_text_and_bytes_with_their_accept_header() {
        let api = lower(&[
            (
                "csv",
                json!({"200": {"description": "a", "content": {"text/csv": {}, "application/pdf": {}}}}),
            ),
            (
                "png",
                json!({"200": {"description": "a", "content": {"image/png": {}, "*/*": {}}}}),
            ),
            (
                "json",
                json!({"200": {"description": "a", "content": {"text/plain": {}, "application/json": {}}}}),
            ),
        ]);
        let csv = response(&api, "csv");
        assert_eq!(
            (&csv.kind, csv.accept.as_deref()),
            (&ResponseKind::Text, Some("text/csv"))
        );
        let png = response(&api, "png");
        assert_eq!(
            (&png.kind, png.accept.as_deref()),
            (&ResponseKind::Bytes, Some("image/png"))
        );
        let json = response(&api, "json");
        assert_eq!(
            (&json.kind, json.accept.as_deref()),
            (&ResponseKind::Json(TypeRef::Json), None)
        );
    }
}
