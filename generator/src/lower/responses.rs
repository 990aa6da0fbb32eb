//! Lowering of responses: the success status and its body, the declared error statuses, and (once
//! types are named) Dixa's `{"data": T}` envelopes and `pageKey` pagination.

use super::bodies::{is_json, media_type, sorted_content};
use super::site::Site;
use super::{refs, Lowerer};
use crate::error::Result;
use crate::ir::{
    Api, ErrorStatus, Field, Operation, Pagination, PlaceKind, Places, Response, ResponseKind,
    TypeRef,
};
use crate::policy::{NameLock, RESULT_BODY, RESULT_DATA};
use openapiv3::{ReferenceOr, StatusCode};
use std::collections::BTreeMap;

pub(super) fn lower_response(
    lowerer: &mut Lowerer,
    op: &openapiv3::Operation,
    owner: &str,
    pointer: &str,
) -> Result<Response> {
    let components = lowerer.spec.components.as_ref().map(|c| &c.responses);
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
    let (_, response) = refs::resolve("responses", refs::in_map(components), response, &at)?;
    let kind = match sorted_content(&response.content)
        .into_iter()
        .find(|(ct, _)| is_json(ct))
    {
        Some((ct, media)) => {
            let site = Site::media(&at, ct, owner, "response");
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
        op.pagination = pagination(op, &structs);
        let ResponseKind::Json(TypeRef::Named(envelope)) = &op.response.kind else {
            continue;
        };
        let Some(fields) = structs.get(envelope.as_str()) else {
            continue;
        };
        let Some(data) = fields.iter().find(|f| f.wire == "data") else {
            continue;
        };
        let collection = matches!(data.ty, TypeRef::List(_) | TypeRef::Map(_));
        let can_unwrap = data.required || collection;
        let unwrap = can_unwrap
            && match lock.name(PlaceKind::Result, &op.id) {
                Some(kept) => kept == RESULT_DATA,
                None => fields.len() == 1,
            };
        let decision = if unwrap { RESULT_DATA } else { RESULT_BODY };
        places.insert((PlaceKind::Result, op.id.clone()), decision.to_owned());
        if unwrap {
            op.response.kind = ResponseKind::Data {
                envelope: envelope.clone(),
                data: data.ty.clone(),
                required: data.required,
                more: fields.len() > 1,
            };
        }
    }
}
