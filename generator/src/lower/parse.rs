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
    let spec = match typed_in_pieces(doc) {
        Some(spec) => spec,
        None => typed(doc).map_err(|e| normalized.restore_error(e))?,
    };
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

/// One piece of the typed parse in pieces.
enum Piece<'a> {
    /// The document without its path items and schemas.
    Rest,
    /// `paths[key]`.
    Path(&'a str, &'a Value),
    /// `components.schemas[key]`.
    Schema(&'a str, &'a Value),
}

/// What a [`Piece`] parses into. Boxed, since the pool moves results several times and a path
/// item is kilobytes of mostly empty operations: moving them unboxed costs more than parsing them.
enum Parsed {
    Rest(Box<openapiv3::OpenAPI>),
    Path(String, Box<openapiv3::ReferenceOr<openapiv3::PathItem>>),
    Schema(String, Box<openapiv3::ReferenceOr<openapiv3::Schema>>),
}

/// The typed parse of a 3.0 tree on the machine's cores: every path item and every schema is a
/// piece of its own, and the rest of the document one more. The pieces cost about as many
/// instructions as the whole parse (1% more on the beta spec), and the parse, a quarter of the
/// time before rendering when it ran on one core, takes a third less time. `None` when any piece
/// fails, and the caller parses the tree whole, which is what finds the failure's place. The tree
/// is as it was after the call.
fn typed_in_pieces(doc: &mut Value) -> Option<openapiv3::OpenAPI> {
    let Value::Object(map) = doc else {
        return None;
    };
    // The two large maps are taken out of the tree while the rest parses without them, and put
    // back after; an empty map in their place keeps the rest a valid document.
    let mut paths = std::mem::replace(map.get_mut("paths")?, Value::Object(Default::default()));
    let mut schemas = map
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .map(|s| std::mem::replace(s, Value::Object(Default::default())));
    let parsed = parse_pieces(doc, &paths, schemas.as_ref());
    // Put back what was taken out.
    if let Value::Object(map) = doc {
        if let Some(slot) = map.get_mut("paths") {
            std::mem::swap(slot, &mut paths);
        }
        if let (Some(slot), Some(schemas)) = (
            map.get_mut("components").and_then(|c| c.get_mut("schemas")),
            schemas.as_mut(),
        ) {
            std::mem::swap(slot, schemas);
        }
    }
    parsed
}

/// Parses the pieces of [`typed_in_pieces`] and puts them together.
fn parse_pieces(
    rest: &Value,
    paths: &Value,
    schemas: Option<&Value>,
) -> Option<openapiv3::OpenAPI> {
    use serde::Deserialize;
    let Value::Object(path_map) = paths else {
        return None;
    };
    let mut pieces = vec![Piece::Rest];
    // openapiv3 keeps the keys that start with `/` as paths and the `x-` keys as extensions
    // (copied below), and drops any other key.
    pieces.extend(
        path_map
            .iter()
            .filter(|(k, _)| k.starts_with('/'))
            .map(|(k, v)| Piece::Path(k, v)),
    );
    match schemas {
        Some(Value::Object(schemas)) => {
            pieces.extend(schemas.iter().map(|(k, v)| Piece::Schema(k, v)));
        }
        Some(_) => return None,
        None => {}
    }
    let parsed = crate::parallel::map(&pieces, |piece| -> Option<Parsed> {
        Some(match piece {
            Piece::Rest => Parsed::Rest(Box::new(openapiv3::OpenAPI::deserialize(rest).ok()?)),
            Piece::Path(k, v) => Parsed::Path(
                (*k).to_owned(),
                Box::new(Deserialize::deserialize(*v).ok()?),
            ),
            Piece::Schema(k, v) => Parsed::Schema(
                (*k).to_owned(),
                Box::new(Deserialize::deserialize(*v).ok()?),
            ),
        })
    })?;
    let mut parsed = parsed.into_iter().collect::<Option<Vec<_>>>()?.into_iter();
    let Some(Parsed::Rest(spec)) = parsed.next() else {
        return None;
    };
    let mut spec = *spec;
    spec.paths.extensions = path_map
        .iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    // Path items and schemas are large values: maps sized up front are not moved as they grow.
    let schema_count = match schemas {
        Some(Value::Object(schemas)) => schemas.len(),
        _ => 0,
    };
    spec.paths.paths.reserve(parsed.len() - schema_count);
    if schema_count > 0 {
        let components = spec.components.get_or_insert_with(Default::default);
        components.schemas.reserve(schema_count);
    }
    for piece in parsed {
        match piece {
            Parsed::Path(k, item) => {
                spec.paths.paths.insert(k, *item);
            }
            Parsed::Schema(k, schema) => {
                spec.components
                    .get_or_insert_with(Default::default)
                    .schemas
                    .insert(k, *schema);
            }
            Parsed::Rest(_) => return None,
        }
    }
    Some(spec)
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

    /// The typed parse in pieces must give what the whole parse gives.
    fn assert_pieces_parse_as_whole(mut doc: Value) {
        let before = doc.clone();
        let whole = typed(&doc).unwrap();
        let pieces = typed_in_pieces(&mut doc).expect("the pieces parse");
        assert_eq!(pieces, whole);
        assert_eq!(doc, before, "the tree is put back as it was");
    }

    #[test]
    fn the_beta_spec_parses_in_pieces_as_it_parses_whole() {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/dixa-api.yaml");
        assert_pieces_parse_as_whole(crate::load::load_tree(&spec).unwrap());
    }

    #[test]
    fn pieces_keep_extensions_and_drop_what_openapiv3_drops() {
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "x-paths-note": {"a": 1},
                "not-a-path": {},
                "/b": {"get": {"responses": {"200": {"description": "ok"}}}},
                "/a": {"$ref": "#/x"}
            },
            "components": {
                "schemas": {"B": {"type": "string"}, "A": {"$ref": "#/components/schemas/B"}},
                "x-components-note": true
            },
            "x-top": "kept"
        });
        assert_pieces_parse_as_whole(doc);
    }

    #[test]
    fn a_piece_that_does_not_parse_leaves_the_tree_as_it_was_for_the_whole_parse() {
        let mut doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": 7}}},
            "components": {"schemas": {"A": {"type": "string"}}}
        });
        let before = doc.clone();
        assert!(typed_in_pieces(&mut doc).is_none());
        assert_eq!(doc, before);
        let msg = typed(&doc).unwrap_err().to_string();
        assert!(msg.contains("#/paths/~1a/get/responses"), "{msg}");
    }

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
