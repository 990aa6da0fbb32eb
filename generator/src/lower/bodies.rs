//! Lowering of request bodies: the content type and encoding chosen, the schema lowered, the
//! first example kept for the documentation, and multipart parts found once types are named.

use super::site::Site;
use super::{refs, Lowerer};
use crate::error::Result;
use crate::ir::{Api, Body, BodyEncoding, Docs, TypeRef};
use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr};

/// Lowers the request body of `op` (at `pointer`), resolving a reference to a shared one.
pub(super) fn lower_request_body(
    lowerer: &mut Lowerer,
    op: &openapiv3::Operation,
    owner: &str,
    pointer: &str,
) -> Result<Option<Body>> {
    let Some(body) = &op.request_body else {
        return Ok(None);
    };
    let at = format!("{pointer}/requestBody");
    let bodies = lowerer.spec.components.as_ref().map(|c| &c.request_bodies);
    let (_, body) = refs::resolve("requestBodies", refs::in_map(bodies), body, &at)?;
    lower_body(lowerer, body, owner, &at)
}

pub(super) fn is_json(content_type: &str) -> bool {
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
    let site = Site::media(at, content_type, owner, "body");
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
pub(super) fn sorted_content(content: &IndexMap<String, MediaType>) -> Vec<(&String, &MediaType)> {
    let mut entries: Vec<(&String, &MediaType)> = content.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

pub(super) fn media_type(lowerer: &mut Lowerer, media: &MediaType, site: &Site) -> Result<TypeRef> {
    match &media.schema {
        Some(schema) => lowerer.type_ref_unboxed(schema, site),
        None => Ok(TypeRef::Json),
    }
}

/// Gives every multipart body the fields of its struct as parts.
pub(super) fn finish(api: &mut Api, warnings: &mut Vec<String>) {
    let structs = crate::ir::struct_fields(&api.types);
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        if let Some(body) = &mut op.body {
            if let BodyEncoding::Multipart { parts } = &mut body.encoding {
                match &body.ty {
                    TypeRef::Named(name) if structs.contains_key(name.as_str()) => {
                        *parts = structs[name.as_str()].clone();
                    }
                    other => {
                        warnings.push(format!(
                            "operation {}: multipart body `{}` is not an object; it is sent as one JSON part",
                            op.id,
                            other.rust("dixa", "")
                        ));
                    }
                }
            }
        }
    }
}
