//! Lowering of request bodies: the content type and encoding chosen, the schema lowered, the
//! first example kept for the documentation, and multipart parts and form fields found once types
//! are named.
//!
//! A body that offers several content types is sent as the first of JSON, form
//! (`application/x-www-form-urlencoded`), multipart, text (`text/*`) and bytes (everything else),
//! and within a kind as the first concrete content type in sorted order (wildcards such as `*/*`
//! last), so the choice does not depend on the order of the spec's map.

use super::site::Site;
use super::{refs, Lowerer};
use crate::error::Result;
use crate::ir::{Api, Body, BodyEncoding, Docs, FormField, FormValue, TypeRef};
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

/// The kinds of content the SDK reads and writes, in the order a request body prefers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Media {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `text/*`.
    Text,
    /// Everything else: `application/octet-stream`, `application/pdf`, `image/*`, `*/*`...
    Binary,
}

impl Media {
    /// The kind of a content type (parameters such as `; charset=utf-8` and letter case ignored).
    pub(super) fn of(content_type: &str) -> Media {
        let essence = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") {
            Media::Json
        } else if essence == "application/x-www-form-urlencoded" {
            Media::Form
        } else if essence == "multipart/form-data" {
            Media::Multipart
        } else if essence.starts_with("text/") {
            Media::Text
        } else {
            Media::Binary
        }
    }
}

/// The content type to send for a chosen one: as written, except that a wildcard (`text/*`,
/// `image/*`, `*/*`) names no type a server could read, so it becomes `text/plain` for text and
/// `application/octet-stream` for bytes.
pub(super) fn concrete(content_type: &str, media: Media) -> String {
    match media {
        _ if !content_type.contains('*') => content_type.to_owned(),
        Media::Text => "text/plain".to_owned(),
        _ => "application/octet-stream".to_owned(),
    }
}

/// The preferred entry of a content map: the first by `rank` of its kind, then a concrete content
/// type before a wildcard (`application/pdf` says more than `*/*`), then by content type.
pub(super) fn choose(
    content: &IndexMap<String, MediaType>,
    rank: impl Fn(Media) -> Media,
) -> Option<(Media, &String, &MediaType)> {
    sorted_content(content)
        .into_iter()
        .map(|(ct, media)| (rank(Media::of(ct)), ct, media))
        .min_by_key(|(kind, ct, _)| (*kind, ct.contains('*'), *ct))
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
    let Some((kind, content_type, media)) = choose(&body.content, std::convert::identity) else {
        lowerer.warn(at, "the request body has no content type; it is left out");
        return Ok(None);
    };
    let site = Site::media(at, content_type, owner, "body");
    // Text and bytes are sent as given, whatever their schema says about their content; lowering
    // the schema would only add an unused type.
    let (ty, encoding) = match kind {
        Media::Json => (media_type(lowerer, media, &site)?, BodyEncoding::Json),
        Media::Form => (
            media_type(lowerer, media, &site)?,
            BodyEncoding::Form { fields: Vec::new() },
        ),
        Media::Multipart => (
            media_type(lowerer, media, &site)?,
            BodyEncoding::Multipart { parts: Vec::new() },
        ),
        Media::Text => (
            TypeRef::String,
            BodyEncoding::Text {
                content_type: concrete(content_type, kind),
            },
        ),
        Media::Binary => (
            TypeRef::Binary,
            BodyEncoding::Binary {
                content_type: concrete(content_type, kind),
            },
        ),
    };
    // An example of bytes is no value the SDK's types can show.
    let example = media_example(media).filter(|_| kind != Media::Binary);
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

/// Gives every multipart body the fields of its struct as parts, and every form body its fields
/// with their encodings. A form body that is not a struct has no fields to send: it is left out,
/// with a warning.
pub(super) fn finish(api: &mut Api, warnings: &mut Vec<String>) {
    let structs = crate::ir::struct_fields(&api.types);
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        let Some(body) = &mut op.body else {
            continue;
        };
        let fields = match &body.ty {
            TypeRef::Named(name) => structs.get(name.as_str()).copied(),
            _ => None,
        };
        match (&mut body.encoding, fields) {
            (BodyEncoding::Multipart { parts }, Some(fields)) => *parts = fields.clone(),
            (BodyEncoding::Multipart { .. }, None) => warnings.push(format!(
                "operation {}: multipart body `{}` is not an object; it is sent as one JSON part",
                op.id,
                body.ty.rust("dixa", "")
            )),
            (BodyEncoding::Form { fields: form }, Some(fields)) => {
                *form = fields
                    .iter()
                    .map(|f| form_field(&api.types, &op.id, f, warnings))
                    .collect();
            }
            (BodyEncoding::Form { .. }, None) => {
                warnings.push(format!(
                    "operation {}: form body `{}` is not an object with properties, so it has no \
                     form fields; the body is left out",
                    op.id,
                    body.ty.rust("dixa", "")
                ));
                op.body = None;
            }
            _ => {}
        }
    }
}

/// How one field of a form body is written. Scalars, enums and ids are text written with
/// `Display`, as query parameters are; lists of them repeat the field (`tag=a&tag=b`); file
/// content is its bytes, percent-encoded. A form has no standard spelling for anything else
/// (objects, maps, lists of objects): that is sent as JSON text, as a query parameter of such a type
/// is, with a warning naming the operation and the field.
fn form_field(
    types: &[crate::ir::TypeDef],
    op: &str,
    field: &crate::ir::Field,
    warnings: &mut Vec<String>,
) -> FormField {
    let displays = |ty: &TypeRef| crate::ir::displays_in_url(types, ty);
    let value = match &field.ty {
        TypeRef::Binary => FormValue::Bytes,
        TypeRef::List(inner) if **inner == TypeRef::Binary => FormValue::BytesList,
        TypeRef::List(inner) if displays(inner) => FormValue::TextList,
        ty if displays(ty) => FormValue::Text,
        ty => {
            warnings.push(format!(
                "operation {op}: form field `{}` is a `{}`, which a form has no standard spelling \
                 for; it is sent as JSON text",
                field.wire,
                ty.rust("dixa", "")
            ));
            FormValue::Json
        }
    };
    FormField {
        field: field.clone(),
        value,
    }
}

/// A media type's example: its `example`, or else the first of its `examples` by name (taken in
/// sorted order, so the choice does not depend on the map's order).
pub(super) fn media_example(media: &MediaType) -> Option<serde_json::Value> {
    let mut named: Vec<_> = media.examples.iter().collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    media.example.clone().or_else(|| {
        named.into_iter().find_map(|(_, e)| match e {
            ReferenceOr::Item(e) => e.value.clone(),
            ReferenceOr::Reference { .. } => None,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Api, Body};
    use crate::policy::{NameLock, Renames};
    use serde_json::json;

    #[test]
    fn content_types_fall_into_kinds_whatever_their_parameters_or_case() {
        let kinds = [
            ("application/json", Media::Json),
            ("application/vnd.api+json; charset=utf-8", Media::Json),
            ("application/x-www-form-urlencoded", Media::Form),
            ("multipart/form-data; boundary=x", Media::Multipart),
            ("Text/CSV", Media::Text),
            ("text/*", Media::Text),
            ("application/octet-stream", Media::Binary),
            ("application/pdf", Media::Binary),
            ("image/*", Media::Binary),
            ("*/*", Media::Binary),
            ("application/xml", Media::Binary),
        ];
        for (ct, kind) in kinds {
            assert_eq!(Media::of(ct), kind, "{ct}");
        }
        assert_eq!(concrete("text/*", Media::Text), "text/plain");
        assert_eq!(concrete("*/*", Media::Binary), "application/octet-stream");
        assert_eq!(
            concrete("image/*", Media::Binary),
            "application/octet-stream"
        );
        assert_eq!(
            concrete("text/csv; charset=utf-8", Media::Text),
            "text/csv; charset=utf-8"
        );
    }

    #[test]
    fn a_body_prefers_json_then_form_multipart_text_and_bytes_in_sorted_order() {
        let offered = [
            "image/*",
            "image/png",
            "application/pdf",
            "text/plain",
            "text/csv",
            "multipart/form-data",
            "application/x-www-form-urlencoded",
            "application/vnd.api+json",
            "application/json",
        ];
        // Taking the preferred one away each time walks down the order.
        let expected = [
            "application/json",
            "application/vnd.api+json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/csv",
            "text/plain",
            "application/pdf",
            "image/png",
            "image/*",
        ];
        let mut content: IndexMap<String, MediaType> = offered
            .iter()
            .map(|ct| ((*ct).to_owned(), MediaType::default()))
            .collect();
        for want in expected {
            let (_, chosen, _) = choose(&content, std::convert::identity).unwrap();
            assert_eq!(chosen, want);
            let chosen = chosen.clone();
            content.shift_remove(&chosen);
        }
        assert!(choose(&content, std::convert::identity).is_none());
    }

    fn lower(paths: serde_json::Value, schemas: serde_json::Value) -> Api {
        let spec = json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": paths,
            "components": {"schemas": schemas},
        });
        let spec = crate::lower::parse(spec).unwrap();
        crate::lower::lower(&spec, &Renames::default(), &NameLock::default()).unwrap()
    }

    fn body<'a>(api: &'a Api, id: &str) -> Option<&'a Body> {
        let op = api
            .groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|o| o.id == id);
        op.unwrap().body.as_ref()
    }

    fn post(id: &str, content: serde_json::Value) -> serde_json::Value {
        json!({"post": {
            "operationId": id,
            "requestBody": {"required": true, "content": content},
            "responses": {"204": {"description": "ok"}},
        }})
    }

    #[test]
    fn text_bytes_and_form_bodies_are_typed_and_encoded() {
        let api = lower(
            json!({
                "/text": post("text", json!({"text/*": {"schema": {"type": "string"}}})),
                "/bytes": post("bytes", json!({"*/*": {}, "application/pdf": {}})),
                "/form": post("form", json!({
                    "application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/F"}},
                })),
                "/bare": post("bare", json!({
                    "application/x-www-form-urlencoded": {"schema": {"type": "string"}},
                })),
            }),
            json!({
                "F": {"type": "object", "required": ["a"], "properties": {
                    "a": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "integer"}},
                    "file": {"type": "string", "format": "binary"},
                    "nested": {"type": "object", "properties": {"x": {"type": "string"}}},
                }},
            }),
        );
        let text = body(&api, "text").unwrap();
        assert_eq!(text.ty, TypeRef::String);
        assert_eq!(
            text.encoding,
            BodyEncoding::Text {
                content_type: "text/plain".to_owned()
            }
        );
        let bytes = body(&api, "bytes").unwrap();
        assert_eq!(bytes.ty, TypeRef::Binary);
        assert_eq!(
            bytes.encoding,
            BodyEncoding::Binary {
                content_type: "application/pdf".to_owned()
            }
        );
        let BodyEncoding::Form { fields } = &body(&api, "form").unwrap().encoding else {
            panic!("not a form body");
        };
        let values: Vec<(&str, FormValue)> = fields
            .iter()
            .map(|f| (f.field.wire.as_str(), f.value))
            .collect();
        assert_eq!(
            values,
            [
                ("a", FormValue::Text),
                ("file", FormValue::Bytes),
                ("nested", FormValue::Json),
                ("tags", FormValue::TextList),
            ]
        );
        assert!(body(&api, "bare").is_none());
        let warnings = api.warnings.join("\n");
        assert!(
            warnings.contains("operation form: form field `nested` is a `FNested`"),
            "{warnings}"
        );
        assert!(
            warnings.contains("operation bare: form body `String` is not an object"),
            "{warnings}"
        );
        assert_eq!(api.warnings.len(), 2, "{warnings}");
    }
}
