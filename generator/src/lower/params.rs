//! Lowering of an operation's parameters: path-item and operation parameters merged, path
//! parameters ordered by their place in the URL, query parameters split into required arguments and
//! optional setters, and every Rust name decided (the lock file keeps the setters' names).

use super::site::Site;
use super::{refs, Lowerer};
use crate::error::{Error, Result};
use crate::ir::{Api, Docs, Param, PlaceKind, SecondsPrecision, TypeRef};
use crate::load::escape_pointer;
use crate::naming::{self, RustIdent};
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr};

/// Where a parameter is sent (OpenAPI's `in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    fn of(param: &Parameter) -> Self {
        match param {
            Parameter::Path { .. } => Location::Path,
            Parameter::Query { .. } => Location::Query,
            Parameter::Header { .. } => Location::Header,
            Parameter::Cookie { .. } => Location::Cookie,
        }
    }

    /// The value of `in`.
    fn key(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

/// The parameters of one operation, as the emitted method takes them.
pub(super) struct Params {
    /// Path parameters in the order they appear in the URL.
    pub path: Vec<Param>,
    /// Required query parameters, positional after the path parameters.
    pub required_query: Vec<Param>,
    /// Optional query parameters, setters of the request builder.
    pub optional_query: Vec<Param>,
}

/// Lowers the parameters of operation `id` (at `pointer`) and of its path item.
pub(super) fn lower_params(
    lowerer: &mut Lowerer,
    path: &str,
    op: &openapiv3::Operation,
    shared_params: &[ReferenceOr<Parameter>],
    id: &str,
    pointer: &str,
    owner: &str,
) -> Result<Params> {
    let merged = merge(lowerer, op, shared_params, pointer)?;
    let mut params = Params {
        path: Vec::new(),
        required_query: Vec::new(),
        optional_query: Vec::new(),
    };
    for ((name, location), (param, at)) in &merged {
        let data = param.parameter_data_ref();
        let lowered = lower_param(lowerer, param, *location, name, at, owner)?;
        match location {
            Location::Path => params.path.push(lowered),
            Location::Query if data.required => params.required_query.push(lowered),
            Location::Query => params.optional_query.push(lowered),
            other => {
                let note = if name.eq_ignore_ascii_case("authorization") {
                    "the client sends it"
                } else {
                    "not supported; the parameter is left out"
                };
                lowerer.warn(at, format!("{} parameter {name:?}: {note}", other.key()));
            }
        }
    }
    params.path = in_url_order(std::mem::take(&mut params.path), path, id, pointer)?;
    name_arguments(&mut params);
    name_setters(lowerer, &mut params.optional_query, id)?;
    Ok(params)
}

/// Parameters by name and location, each with its JSON pointer.
type Merged<'a> = IndexMap<(String, Location), (&'a Parameter, String)>;

/// The parameters of the path item and of the operation, by name and location (the operation's
/// override the path item's), each with its pointer.
fn merge<'a>(
    lowerer: &Lowerer<'a>,
    op: &'a openapiv3::Operation,
    shared_params: &'a [ReferenceOr<Parameter>],
    pointer: &str,
) -> Result<Merged<'a>> {
    let parameters = lowerer.spec.components.as_ref().map(|c| &c.parameters);
    // Operation parameters override path-item parameters with the same name and location.
    let mut params = IndexMap::new();
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
            let (_, p) = refs::resolve("parameters", refs::in_map(parameters), p, &at)?;
            let location = Location::of(p);
            params.insert((p.parameter_data_ref().name.clone(), location), (p, at));
        }
    }

    Ok(params)
}

/// One parameter with the type of its schema (or of the values its description lists).
fn lower_param(
    lowerer: &mut Lowerer,
    param: &Parameter,
    location: Location,
    name: &str,
    at: &str,
    owner: &str,
) -> Result<Param> {
    let data = param.parameter_data_ref();
    let ty = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            let site = Site {
                pointer: format!("{at}/schema"),
                place: parameter_place(at, location, name),
                owner,
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
    let date_time = match data.description.as_deref().and_then(documented_precision) {
        Some(Ok(precision)) => Some(precision),
        Some(Err(pattern)) => {
            lowerer.warn(
                at,
                format!(
                    "parameter {name:?} documents the date-time pattern `{pattern}`, which the SDK \
                     does not read; its date-times are written as RFC 3339 in UTC"
                ),
            );
            None
        }
        None => None,
    };
    Ok(Param {
        wire: name.to_owned(),
        name: naming::field_name(name),
        ty,
        docs: Docs {
            summary: None,
            description: data.description.clone(),
            deprecated: data.deprecated.unwrap_or(false),
        },
        date_time,
        example: parameter_example(data),
    })
}

/// The spec's example of a parameter's value: the parameter's `example`, else the first of its
/// `examples` by name (sorted, as a body's), else its schema's `example`.
fn parameter_example(data: &openapiv3::ParameterData) -> Option<serde_json::Value> {
    let mut named: Vec<_> = data.examples.iter().collect();
    named.sort_by(|a, b| a.0.cmp(b.0));
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
            schema.schema_data.example.clone()
        }
        _ => None,
    };
    data.example
        .clone()
        .or_else(|| {
            named.into_iter().find_map(|(_, e)| match e {
                ReferenceOr::Item(e) => e.value.clone(),
                ReferenceOr::Reference { .. } => None,
            })
        })
        .or(schema)
}

/// The precision of the date-time pattern a parameter's description documents, in Java's
/// `DateTimeFormatter` letters as Dixa writes them (`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`): `None` when the
/// description has no such pattern, the pattern's text when it has one this does not read. Only
/// UTC patterns (a literal `'Z'`) are read: a URL carries date-times in UTC.
fn documented_precision(
    description: &str,
) -> Option<std::result::Result<SecondsPrecision, String>> {
    const DATE_AND_MINUTES: &str = "yyyy-MM-dd'T'HH:mm";
    let start = description.find(DATE_AND_MINUTES)?;
    let pattern = description[start..]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    // The pattern ends at its closing `'Z'`; a sentence may go on after it (`...'Z'.`).
    let pattern = match pattern.find("'Z'") {
        Some(end) => &pattern[..end + 3],
        None => pattern,
    };
    let precision = match pattern.get(DATE_AND_MINUTES.len()..).unwrap_or_default() {
        ":ss'Z'" => SecondsPrecision::Seconds,
        ":ss.SSS'Z'" => SecondsPrecision::Millis,
        ":ss.SSSSSS'Z'" => SecondsPrecision::Micros,
        ":ss.SSSSSSSSS'Z'" => SecondsPrecision::Nanos,
        _ => return Some(Err(pattern.to_owned())),
    };
    Some(Ok(precision))
}

/// Path parameters are positional, in the order they appear in the URL; each placeholder must have
/// exactly one.
fn in_url_order(
    mut path_params: Vec<Param>,
    path: &str,
    id: &str,
    pointer: &str,
) -> Result<Vec<Param>> {
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
    Ok(ordered)
}

/// Names the method's arguments: the names the emitted method gives its own arguments and locals
/// (`body`, `request`, `call`) come first, so that `dedupe` leaves them to the method and renames a
/// parameter that has one of them.
fn name_arguments(params: &mut Params) {
    let locals = naming::method_locals();
    let fixed = locals.len();
    let mut names: Vec<RustIdent> = locals
        .into_iter()
        .chain(
            params
                .path
                .iter()
                .chain(&params.required_query)
                .map(|p| p.name.clone()),
        )
        .collect();
    naming::dedupe(&mut names);
    for (param, name) in params
        .path
        .iter_mut()
        .chain(&mut params.required_query)
        .zip(names.into_iter().skip(fixed))
    {
        param.name = name;
    }
}

/// Optional query parameters are setters of the request builder: distinct, clear of the methods
/// every builder has (fixed first, so they keep their names), and the lock keeps the names they had.
fn name_setters(lowerer: &mut Lowerer, optional_query: &mut [Param], id: &str) -> Result<()> {
    let place = |param: &Param| format!("{id} {}", param.wire);
    let mut names: Vec<RustIdent> = naming::builder_methods();
    let fixed = names.len();
    let mut locked: Vec<bool> = vec![true; names.len()];
    for param in optional_query.iter() {
        match lowerer.lock.ident(PlaceKind::Param, &place(param)) {
            Some(name) => {
                if names.iter().zip(&locked).any(|(n, l)| *l && *n == name) {
                    return Err(lowerer.lock.conflict(
                        PlaceKind::Param,
                        &place(param),
                        format!(
                            "`{name}` is also the name of another parameter of {id} or of a \
                             request builder method"
                        ),
                    ));
                }
                names.push(name);
                locked.push(true);
            }
            None => {
                names.push(param.name.clone());
                locked.push(false);
            }
        }
    }
    naming::dedupe_around(&mut names, &locked);
    for (param, name) in optional_query.iter_mut().zip(names.into_iter().skip(fixed)) {
        lowerer
            .places
            .insert((PlaceKind::Param, place(param)), name.to_string());
        param.name = name;
    }

    Ok(())
}

/// The lock-file place of a parameter's schema: by location and name rather than by index, so that a
/// parameter added before it does not move it (`.../get/parameters/query:type/schema`).
fn parameter_place(at: &str, location: Location, name: &str) -> String {
    let list = at.rsplit_once('/').map_or(at, |(list, _)| list);
    format!("{list}/{}:{}/schema", location.key(), escape_pointer(name))
}

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

/// Takes as a string every path parameter whose type has no URL form.
pub(super) fn finish(api: &mut Api, warnings: &mut Vec<String>) {
    for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
        // A path parameter is written into the URL with `Display`; a list, object or untyped value
        // has no URL form the spec states, so the caller passes the segment as a string.
        for param in &mut op.path_params {
            if !crate::ir::displays_in_url(&api.types, &param.ty) {
                warnings.push(format!(
                    "operation {}: path parameter {:?} of type `{}` has no URL form; it is taken as a string",
                    op.id, param.wire, param.ty.rust("dixa", "")
                ));
                param.ty = TypeRef::String;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_precision_of_a_documented_utc_pattern() {
        let cases = [
            (
                "Starting date-time filter with ISO 8601 format: yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
                SecondsPrecision::Millis,
            ),
            (
                "An optional timestamp in ISO-8601 format: yyyy-MM-dd'T'HH:mm:ss'Z' to check if \
                 the business is open at a specific time.",
                SecondsPrecision::Seconds,
            ),
            ("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'.", SecondsPrecision::Micros),
            (
                "(yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z')",
                SecondsPrecision::Nanos,
            ),
        ];
        for (description, expected) in cases {
            assert_eq!(
                documented_precision(description),
                Some(Ok(expected)),
                "{description}"
            );
        }
    }

    #[test]
    fn a_description_without_a_pattern_documents_nothing() {
        for description in ["", "The start of the period", "ISO 8601", "yyyy-MM-dd"] {
            assert_eq!(documented_precision(description), None, "{description}");
        }
    }

    #[test]
    fn an_unknown_pattern_is_returned_for_the_warning() {
        let cases = [
            // Dixa's own typo (three `s`, which Java refuses); spec/overrides.yaml corrects it.
            (
                "format: yyyy-MM-dd'T'HH:mm:sss'Z'",
                "yyyy-MM-dd'T'HH:mm:sss'Z'",
            ),
            (
                "format: yyyy-MM-dd'T'HH:mm:ssXXX",
                "yyyy-MM-dd'T'HH:mm:ssXXX",
            ),
            (
                "format: yyyy-MM-dd'T'HH:mm:ss.SS'Z'",
                "yyyy-MM-dd'T'HH:mm:ss.SS'Z'",
            ),
            ("yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd'T'HH:mm'Z'"),
        ];
        for (description, pattern) in cases {
            assert_eq!(
                documented_precision(description),
                Some(Err(pattern.to_owned())),
                "{description}"
            );
        }
    }
}
