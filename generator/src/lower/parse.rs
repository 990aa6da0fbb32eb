//! The typed parse of a spec's JSON tree into openapiv3 types, through `serde_path_to_error`, so a
//! value of the wrong type is reported with its JSON pointer. openapiv3 reads OpenAPI 3.0 only; a
//! 3.1 document is first rewritten into the 3.0 forms that say the same (`load::openapi31`). Part of lowering because it is the
//! only place besides `lower/` that would otherwise name openapiv3.

use crate::error::{Error, Result};
use crate::load::escape_pointer;
use crate::load::openapi31::{self, Normalized};
use serde_json::Value;

/// Checks the document's version and parses it into openapiv3 types, a 3.1 document rewritten
/// into 3.0 first. The rewriting's warnings are dropped: the generator's own pipeline uses
/// [`parse_with_rewrites`], and this is for callers that look at the parsed document only.
pub fn parse(doc: Value) -> Result<openapiv3::OpenAPI> {
    parse_with_rewrites(doc).map(|(spec, _)| spec)
}

/// Checks the document's version, rewrites an OpenAPI 3.1 document into 3.0 (`load::openapi31`)
/// and parses it into openapiv3 types. Returns what the rewriting did, which knows the pointers of
/// the document as written (for the errors and warnings of lowering).
pub fn parse_with_rewrites(mut doc: Value) -> Result<(openapiv3::OpenAPI, Normalized)> {
    parse_tree(&mut doc)
}

/// [`parse_with_rewrites`] of a tree the caller keeps (rewritten into 3.0 where it was 3.1), so
/// that the caller decides where the tree is freed: the generator frees it on another core while
/// it lowers, since freeing a spec's tree costs about as much as lowering a third of it.
pub fn parse_tree(doc: &mut Value) -> Result<(openapiv3::OpenAPI, Normalized)> {
    check_version(doc)?;
    let normalized = openapi31::normalize(doc)?;
    let spec = typed(doc).map_err(|e| normalized.restore_error(e))?;
    Ok((spec, normalized))
}

/// OpenAPI 3.0.x and 3.1.x are read; anything else is refused with what it is.
fn check_version(doc: &Value) -> Result<()> {
    const READS: &str = "this generator reads OpenAPI 3.0.x and 3.1.x";
    if let Some(v) = doc.get("swagger") {
        return Err(Error::spec(
            "#/swagger",
            format!(
                "Swagger {v} (OpenAPI 2.0) is not supported; {READS} (convert the document first)"
            ),
        ));
    }
    match doc.get("openapi") {
        Some(Value::String(v))
            if v.starts_with("3.0.") || v.starts_with("3.1.") || v == "3.0" || v == "3.1" =>
        {
            Ok(())
        }
        Some(Value::String(v)) => Err(Error::spec(
            "#/openapi",
            format!("unsupported OpenAPI version {v:?}; {READS}"),
        )),
        // An unquoted `openapi: 3.0` is a number to YAML.
        Some(other) => Err(Error::spec(
            "#/openapi",
            format!("the OpenAPI version must be a string such as \"3.0.3\", not {other}"),
        )),
        None => Err(Error::spec(
            "#/openapi",
            "missing `openapi` version field; is this an OpenAPI document?",
        )),
    }
}

/// The typed parse of a 3.0 tree.
fn typed(doc: &Value) -> Result<openapiv3::OpenAPI> {
    // The plain parse skips the path bookkeeping (an eighth of the parse); the tracking one runs
    // only to say where a parse failed.
    if let Ok(spec) = serde::Deserialize::deserialize(doc) {
        return Ok(spec);
    }
    serde_path_to_error::deserialize(doc).map_err(|e| {
        // openapiv3 flattens extension maps into several of its types, which hides the path below
        // them from serde_path_to_error. On failure (only: it costs a second parse), parsing the
        // pieces of each path item on their own finds the exact place of the wrong value.
        if let Some(Value::Object(paths)) = doc.get("paths") {
            for (path, item) in paths.iter().filter(|(k, _)| !k.starts_with("x-")) {
                let pointer = format!("#/paths/{}", escape_pointer(path));
                if let Err(located) = locate_path_item_error(item, &pointer) {
                    return located;
                }
            }
        }
        let pointer = path_to_pointer(e.path());
        Error::spec(pointer, e.into_inner().to_string())
    })
}

/// Parses `value` as `T`, reporting a failure at `pointer` plus the path inside `value`.
fn parse_at<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str) -> Result<()> {
    serde_path_to_error::deserialize::<_, T>(value)
        .map(drop)
        .map_err(|e| {
            let inner = path_to_pointer(e.path());
            Error::spec(
                format!("{pointer}{}", &inner[1..]),
                e.into_inner().to_string(),
            )
        })
}

/// Checks a path item piece by piece, innermost first, so an error names the deepest place.
fn locate_path_item_error(item: &Value, pointer: &str) -> Result<()> {
    use openapiv3::{Parameter, ReferenceOr, RequestBody, Response};
    let Value::Object(item) = item else {
        return parse_at::<ReferenceOr<openapiv3::PathItem>>(item, pointer);
    };
    for (method, op) in item {
        let op_pointer = format!("{pointer}/{}", escape_pointer(method));
        if let Some(Value::Object(responses)) = op.get("responses") {
            for (status, response) in responses {
                let at = format!("{op_pointer}/responses/{}", escape_pointer(status));
                parse_at::<ReferenceOr<Response>>(response, &at)?;
            }
        }
        if let Some(Value::Array(params)) = op.get("parameters") {
            for (i, param) in params.iter().enumerate() {
                parse_at::<ReferenceOr<Parameter>>(param, &format!("{op_pointer}/parameters/{i}"))?;
            }
        }
        if let Some(body) = op.get("requestBody") {
            parse_at::<ReferenceOr<RequestBody>>(body, &format!("{op_pointer}/requestBody"))?;
        }
        if method != "parameters" && !method.starts_with("x-") && op.is_object() {
            parse_at::<openapiv3::Operation>(op, &op_pointer)?;
        }
    }
    parse_at::<ReferenceOr<openapiv3::PathItem>>(&Value::Object(item.clone()), pointer)
}

/// Turns a serde_path_to_error path into a JSON pointer (`#/paths/~1beta~1agents/get`).
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("#");
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push_str(&escape_pointer(key))
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn swagger_2_is_refused() {
        let v = crate::load::parse_yaml(Path::new("x.yaml"), "swagger: '2.0'\ninfo: {}\n").unwrap();
        let msg = parse(v).unwrap_err().to_string();
        assert!(msg.contains("Swagger"), "{msg}");
    }

    #[test]
    fn openapi_3_1_is_read_and_other_versions_are_refused() {
        let doc = |version: &str| {
            crate::load::parse_yaml(
                Path::new("x.yaml"),
                &format!("openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n"),
            )
            .unwrap()
        };
        assert!(parse(doc("3.0.3")).is_ok());
        assert!(parse(doc("3.1.1")).is_ok());
        for refused in ["2.0", "4.0.0", "3.2.0"] {
            let msg = parse(doc(&format!("'{refused}'"))).unwrap_err().to_string();
            assert!(msg.contains("reads OpenAPI 3.0.x and 3.1.x"), "{msg}");
            assert!(msg.contains(refused), "{msg}");
        }
    }

    #[test]
    fn errors_of_lowering_a_3_1_document_name_the_place_as_written() {
        // The object branch of `type: [string, object]` is `S/oneOf/1` in the rewritten tree.
        let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    S:\n      type: [string, object]\n      properties:\n        user: {$ref: '#/components/schemas/Gone'}\n";
        let v = crate::load::parse_yaml(Path::new("x.yaml"), text).unwrap();
        let (spec, normalized) = parse_with_rewrites(v).unwrap();
        let none = (
            crate::policy::Renames::none(),
            crate::policy::NameLock::none(),
        );
        let err = super::super::lower(&spec, &none.0, &none.1).unwrap_err();
        let msg = normalized.restore_error(err).to_string();
        assert!(
            msg.contains("#/components/schemas/S/properties/user:"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_types_are_reported_with_their_pointer() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 5\n";
        let v = crate::load::parse_yaml(Path::new("x.yaml"), text).unwrap();
        let msg = parse(v).unwrap_err().to_string();
        assert!(msg.contains("#/paths/~1a/get/responses"), "{msg}");
    }
}
