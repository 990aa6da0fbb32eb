//! OpenAPI 3.1 read as OpenAPI 3.0: the JSON tree of a 3.1 document rewritten into the 3.0 forms
//! that say the same thing, before the one typed parse (`lower::parse`) and the one lowering.
//!
//! 3.1 differs from 3.0 mostly in its schemas, which are JSON Schema 2020-12: `type: [T, "null"]`
//! instead of `nullable`, `const`, `examples` lists, numeric `exclusiveMinimum`, `contentMediaType`
//! and `contentEncoding` instead of `format: binary`/`byte`, and `$ref` beside other keywords. Each
//! has a 3.0 spelling, written here in place, so a place keeps its JSON pointer (and its line in
//! `spec/names.lock`). The two rewrites that move a schema one level down (a `$ref` with siblings
//! becomes `allOf: [{$ref}]`, several types become a `oneOf`) are recorded, so that errors and
//! warnings name the place as written ([`Normalized::restore_error`]). A keyword with no 3.0 form
//! (`prefixItems`, `if`, `patternProperties`, ...) is dropped with a warning naming its pointer.
//!
//! A 3.0 document is not walked at all: [`normalize`] looks at `openapi` and returns.

use super::escape_pointer;
use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// What normalising a document did that its reader must know: the keywords it dropped, and where
/// schemas moved.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// `<pointer>: <message>` for every construct with no OpenAPI 3.0 form, in document order.
    pub warnings: Vec<String>,
    /// `(pointer in the rewritten tree, pointer as written)` of every schema that moved.
    moves: Vec<(String, String)>,
}

/// The JSON Schema keywords 3.0 has no form for. The normaliser drops them with a warning: the
/// generated type is then wider than the schema (it accepts what the keyword would refuse).
const UNSUPPORTED: [&str; 13] = [
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
];

/// Keywords that only identify or annotate a schema for JSON Schema tools; no 3.0 reader needs them.
const DROPPED: [&str; 7] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$defs",
    "$dynamicAnchor",
    "$vocabulary",
];

/// Keywords that describe a schema as a whole and stay on it when its types are split into a
/// `oneOf`; every other keyword goes into the branches of the types it applies to.
const ANNOTATIONS: [&str; 10] = [
    "title",
    "description",
    "default",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "externalDocs",
    "discriminator",
];

/// The HTTP methods of a path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites an OpenAPI 3.1 document into 3.0 in place; any other version is left untouched (and
/// not walked). Returns the warnings and the moved places.
pub fn normalize(doc: &mut Value) -> Result<Normalized> {
    let mut out = Normalized::default();
    let is_31 =
        matches!(doc.get("openapi"), Some(Value::String(v)) if v.starts_with("3.1.") || v == "3.1");
    let Some(root) = doc.as_object_mut().filter(|_| is_31) else {
        return Ok(out);
    };
    // 3.0 has no place for webhooks or a default dialect; the SDK has no use for either (Dixa's
    // webhooks are described apart, in spec/webhooks.yaml). Paths may be absent in 3.1.
    root.remove("webhooks");
    root.remove("jsonSchemaDialect");
    root.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    let path_items = match root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|c| c.remove("pathItems"))
    {
        Some(Value::Object(items)) => items,
        _ => Map::new(),
    };
    if let Some(Value::Object(components)) = root.get_mut("components") {
        out.components(components)?;
    }
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = format!("#/paths/{}", escape_pointer(path));
            out.inline_path_item(item, &path_items, &at)?;
            out.path_item(item, &at)?;
        }
    }
    Ok(out)
}

impl Normalized {
    /// The pointer, as written, of a place of the rewritten tree.
    pub fn original(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_owned();
        // Each step maps the longest moved prefix one move back; moves nest (a wrapped `$ref` in a
        // branch of split types), and a document has finitely many of them.
        for _ in 0..=self.moves.len() {
            let best = self
                .moves
                .iter()
                .filter(|(new, _)| {
                    pointer == *new
                        || (pointer.starts_with(new.as_str())
                            && pointer[new.len()..].starts_with('/'))
                })
                .max_by_key(|(new, _)| new.len());
            match best {
                Some((new, old)) => pointer = format!("{old}{}", &pointer[new.len()..]),
                None => break,
            }
        }
        pointer
    }

    /// The error with its pointer as written.
    pub fn restore_error(&self, error: Error) -> Error {
        match error {
            Error::Spec { pointer, message } if !self.moves.is_empty() => Error::Spec {
                pointer: self.original(&pointer),
                message,
            },
            other => other,
        }
    }

    /// The warnings of lowering (`<pointer>: <message>`) with their pointers as written, after the
    /// normaliser's own.
    pub fn restore_warnings(&self, lowered: Vec<String>) -> Vec<String> {
        let mut out = self.warnings.clone();
        out.extend(
            lowered
                .into_iter()
                .map(|warning| match warning.split_once(": ") {
                    Some((pointer, message))
                        if !self.moves.is_empty() && pointer.starts_with('#') =>
                    {
                        format!("{}: {message}", self.original(pointer))
                    }
                    _ => warning,
                }),
        );
        out
    }

    fn warn(&mut self, pointer: &str, message: impl std::fmt::Display) {
        self.warnings.push(format!("{pointer}: {message}"));
    }

    fn components(&mut self, components: &mut Map<String, Value>) -> Result<()> {
        let mut each = |section: &str,
                        visit: fn(&mut Self, &mut Value, &str) -> Result<()>,
                        out: &mut Self| {
            if let Some(Value::Object(entries)) = components.get_mut(section) {
                for (key, value) in entries.iter_mut() {
                    let at = format!("#/components/{section}/{}", escape_pointer(key));
                    visit(out, value, &at)?;
                }
            }
            Ok::<(), Error>(())
        };
        each("schemas", Self::schema, self)?;
        each("parameters", Self::parameter, self)?;
        each("headers", Self::parameter, self)?;
        each("requestBodies", Self::with_content, self)?;
        each("responses", Self::response, self)?;
        each("callbacks", Self::callback, self)?;
        Ok(())
    }

    /// Replaces a path item that refers to `components/pathItems` (3.1 only) by its content.
    fn inline_path_item(
        &mut self,
        item: &mut Value,
        path_items: &Map<String, Value>,
        at: &str,
    ) -> Result<()> {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            return Ok(());
        };
        let Some(key) = reference.strip_prefix("#/components/pathItems/") else {
            return Ok(());
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        let target = path_items.get(&key).ok_or_else(|| {
            Error::spec(
                format!("{at}/$ref"),
                format!("no path item {reference:?} in components/pathItems"),
            )
        })?;
        *item = target.clone();
        self.moves.push((
            at.to_owned(),
            format!("#/components/pathItems/{}", escape_pointer(&key)),
        ));
        Ok(())
    }

    fn path_item(&mut self, item: &mut Value, at: &str) -> Result<()> {
        let Value::Object(item) = item else {
            return Ok(());
        };
        if let Some(Value::Array(parameters)) = item.get_mut("parameters") {
            for (i, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{at}/parameters/{i}"))?;
            }
        }
        for method in METHODS {
            if let Some(operation) = item.get_mut(method) {
                self.operation(operation, &format!("{at}/{method}"))?;
            }
        }
        Ok(())
    }

    fn operation(&mut self, operation: &mut Value, at: &str) -> Result<()> {
        let Value::Object(operation) = operation else {
            return Ok(());
        };
        if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
            for (i, parameter) in parameters.iter_mut().enumerate() {
                self.parameter(parameter, &format!("{at}/parameters/{i}"))?;
            }
        }
        if let Some(body) = operation.get_mut("requestBody") {
            self.with_content(body, &format!("{at}/requestBody"))?;
        }
        if let Some(Value::Object(responses)) = operation.get_mut("responses") {
            for (status, response) in responses.iter_mut() {
                self.response(
                    response,
                    &format!("{at}/responses/{}", escape_pointer(status)),
                )?;
            }
        }
        if let Some(Value::Object(callbacks)) = operation.get_mut("callbacks") {
            for (name, callback) in callbacks.iter_mut() {
                self.callback(
                    callback,
                    &format!("{at}/callbacks/{}", escape_pointer(name)),
                )?;
            }
        }
        Ok(())
    }

    fn callback(&mut self, callback: &mut Value, at: &str) -> Result<()> {
        if let Value::Object(expressions) = callback {
            for (expression, item) in expressions.iter_mut() {
                self.path_item(item, &format!("{at}/{}", escape_pointer(expression)))?;
            }
        }
        Ok(())
    }

    /// A parameter or a header: a `schema`, or `content` (their `examples` maps are 3.0 too).
    fn parameter(&mut self, parameter: &mut Value, at: &str) -> Result<()> {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &format!("{at}/schema"))?;
        }
        self.with_content(parameter, at)
    }

    fn response(&mut self, response: &mut Value, at: &str) -> Result<()> {
        if let Some(Value::Object(headers)) = response.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                self.parameter(header, &format!("{at}/headers/{}", escape_pointer(name)))?;
            }
        }
        self.with_content(response, at)
    }

    /// The `content` of a request body, response or parameter: media types with a schema and
    /// encodings with headers.
    fn with_content(&mut self, holder: &mut Value, at: &str) -> Result<()> {
        let Some(Value::Object(content)) = holder.get_mut("content") else {
            return Ok(());
        };
        for (media, media_type) in content.iter_mut() {
            let at = format!("{at}/content/{}", escape_pointer(media));
            if let Some(schema) = media_type.get_mut("schema") {
                self.schema(schema, &format!("{at}/schema"))?;
            }
            if let Some(Value::Object(encodings)) = media_type.get_mut("encoding") {
                for (property, encoding) in encodings.iter_mut() {
                    let at = format!("{at}/encoding/{}", escape_pointer(property));
                    if let Some(Value::Object(headers)) = encoding.get_mut("headers") {
                        for (name, header) in headers.iter_mut() {
                            self.parameter(
                                header,
                                &format!("{at}/headers/{}", escape_pointer(name)),
                            )?;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Rewrites one schema and, through it, every schema below it. Only schema positions are
    /// visited, so a property named `const` or `type` is a property, not a keyword.
    pub(crate) fn schema(&mut self, schema: &mut Value, at: &str) -> Result<()> {
        match schema {
            // JSON Schema's boolean schemas: `true` accepts anything, `false` nothing.
            Value::Bool(true) => *schema = Value::Object(Map::new()),
            Value::Bool(false) => {
                *schema = serde_json::json!({"not": {}});
            }
            Value::Object(object) => self.schema_object(object, at)?,
            _ => {}
        }
        Ok(())
    }

    fn schema_object(&mut self, object: &mut Map<String, Value>, at: &str) -> Result<()> {
        for keyword in DROPPED {
            object.remove(keyword);
        }
        for keyword in UNSUPPORTED {
            if object.remove(keyword).is_some() {
                self.warn(
                    &format!("{at}/{keyword}"),
                    format!("`{keyword}` has no OpenAPI 3.0 form and is ignored; the type accepts more than the schema"),
                );
            }
        }
        examples(object);
        constant(object);
        exclusive_bound(object, "exclusiveMinimum", "minimum", |bound, min| {
            bound >= min
        });
        exclusive_bound(object, "exclusiveMaximum", "maximum", |bound, max| {
            bound <= max
        });
        self.content_keywords(object, at);
        self.children(object, at)?;
        self.types(object, at)?;
        if object.len() > 1 {
            if let Some(reference) = object.remove("$ref") {
                // 3.0 ignores the siblings of a `$ref`; its way to document or qualify a reference is
                // the one-member `allOf`, which is what this is from here on.
                let wrapped = Value::Array(vec![serde_json::json!({ "$ref": reference })]);
                match object.get_mut("allOf") {
                    Some(Value::Array(members)) => {
                        let at_member = format!("{at}/allOf/{}", members.len());
                        members.push(wrapped[0].clone());
                        self.moves.push((at_member, at.to_owned()));
                    }
                    _ => {
                        object.insert("allOf".to_owned(), wrapped);
                        self.moves.push((format!("{at}/allOf/0"), at.to_owned()));
                    }
                }
            }
        }
        Ok(())
    }

    /// `contentEncoding` and `contentMediaType` on a string: base64 text is 3.0's `format: byte`,
    /// raw content of a media type that is not text is `format: binary`.
    fn content_keywords(&mut self, object: &mut Map<String, Value>, at: &str) {
        let encoding = object.remove("contentEncoding");
        let media = object.remove("contentMediaType");
        if encoding.is_none() && media.is_none() {
            return;
        }
        let format = match (
            encoding.as_ref().and_then(Value::as_str),
            media.as_ref().and_then(Value::as_str),
        ) {
            (Some("base64" | "base64url"), _) => Some("byte"),
            (Some("binary" | "8bit" | "7bit"), _) => Some("binary"),
            (Some(other), _) => {
                self.warn(
                    &format!("{at}/contentEncoding"),
                    format!("the encoding {other:?} has no OpenAPI 3.0 form; the value is read as a string"),
                );
                None
            }
            (None, Some(media)) if is_text(media) => None,
            (None, _) => Some("binary"),
        };
        let is_string = match object.get("type") {
            None => true,
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
            Some(_) => false,
        };
        if let Some(format) = format.filter(|_| is_string && !object.contains_key("format")) {
            object.insert("format".to_owned(), Value::from(format));
            object
                .entry("type")
                .or_insert_with(|| Value::from("string"));
        }
    }

    fn children(&mut self, object: &mut Map<String, Value>, at: &str) -> Result<()> {
        if let Some(Value::Object(properties)) = object.get_mut("properties") {
            for (key, property) in properties.iter_mut() {
                self.schema(
                    property,
                    &format!("{at}/properties/{}", escape_pointer(key)),
                )?;
            }
        }
        for key in ["items", "not"] {
            if let Some(child) = object.get_mut(key) {
                self.schema(child, &format!("{at}/{key}"))?;
            }
        }
        if let Some(child @ Value::Object(_)) = object.get_mut("additionalProperties") {
            self.schema(child, &format!("{at}/additionalProperties"))?;
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(Value::Array(children)) = object.get_mut(key) {
                for (i, child) in children.iter_mut().enumerate() {
                    self.schema(child, &format!("{at}/{key}/{i}"))?;
                }
            }
        }
        Ok(())
    }

    /// `type: "null"` and `type` lists: `"null"` among them is `nullable: true`, one other type is
    /// that type, several are a `oneOf` with one branch per type, each with the keywords that apply
    /// to it.
    fn types(&mut self, object: &mut Map<String, Value>, at: &str) -> Result<()> {
        let types: Vec<String> = match object.get("type") {
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            Some(Value::Array(types)) => types
                .iter()
                .map(|t| {
                    t.as_str().map(str::to_owned).ok_or_else(|| {
                        Error::spec(format!("{at}/type"), format!("a type is a string, not {t}"))
                    })
                })
                .collect::<Result<_>>()?,
            _ => return Ok(()),
        };
        let nullable = types.iter().any(|t| t == "null");
        let mut rest: Vec<String> = types.into_iter().filter(|t| t != "null").collect();
        rest.dedup();
        object.remove("type");
        if nullable {
            object.insert("nullable".to_owned(), Value::Bool(true));
            if let Some(Value::Array(values)) = object.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
        }
        match rest.as_slice() {
            [] => {}
            [single] => {
                object.insert("type".to_owned(), Value::from(single.as_str()));
            }
            _ if ["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|k| object.contains_key(*k)) =>
            {
                self.warn(
                    &format!("{at}/type"),
                    format!(
                        "several types beside oneOf/anyOf/allOf have no OpenAPI 3.0 form; only {:?} is kept",
                        rest[0]
                    ),
                );
                object.insert("type".to_owned(), Value::from(rest[0].as_str()));
            }
            _ => {
                let mut branches = Vec::with_capacity(rest.len());
                let keys: Vec<String> = object
                    .keys()
                    .filter(|k| !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
                    .cloned()
                    .collect();
                let taken: Vec<(String, Value)> = keys
                    .into_iter()
                    .filter_map(|k| object.remove(&k).map(|v| (k, v)))
                    .collect();
                for (i, typ) in rest.iter().enumerate() {
                    let mut branch = Map::new();
                    branch.insert("type".to_owned(), Value::from(typ.as_str()));
                    for (key, value) in &taken {
                        if key == "enum" {
                            if let Value::Array(values) = value {
                                let mine: Vec<Value> = values
                                    .iter()
                                    .filter(|v| {
                                        json_type(v).is_some_and(|t| {
                                            t == typ || (t == "integer" && typ == "number")
                                        })
                                    })
                                    .cloned()
                                    .collect();
                                if !mine.is_empty() {
                                    branch.insert(key.clone(), Value::Array(mine));
                                }
                            }
                        } else if applies_to(key, typ) {
                            branch.insert(key.clone(), value.clone());
                        }
                    }
                    self.moves.push((format!("{at}/oneOf/{i}"), at.to_owned()));
                    branches.push(Value::Object(branch));
                }
                object.insert("oneOf".to_owned(), Value::Array(branches));
            }
        }
        Ok(())
    }
}

/// A schema's `examples` (a list of values in JSON Schema) is 3.0's one `example`: the first.
fn examples(object: &mut Map<String, Value>) {
    match object.remove("examples") {
        Some(Value::Array(list)) if !object.contains_key("example") => {
            if let Some(first) = list.into_iter().next() {
                object.insert("example".to_owned(), first);
            }
        }
        _ => {}
    }
}

/// `const: v` is `enum: [v]`, of `v`'s type when the schema names none (3.0's enums are typed).
fn constant(object: &mut Map<String, Value>) {
    let Some(value) = object.remove("const") else {
        return;
    };
    if !object.contains_key("type") {
        match json_type(&value) {
            Some(typ) => {
                object.insert("type".to_owned(), Value::from(typ));
            }
            None => {
                object.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
    }
    object.insert("enum".to_owned(), Value::Array(vec![value]));
}

/// A numeric `exclusiveMinimum: n` is 3.0's `minimum: n` with `exclusiveMinimum: true` (likewise
/// for the maximum). Beside an inclusive bound, the stricter of the two is kept.
fn exclusive_bound(
    object: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(bound)) = object.get(exclusive).cloned() else {
        return;
    };
    let current = object.get(inclusive).and_then(Value::as_f64);
    match (bound.as_f64(), current) {
        (Some(b), Some(c)) if !stricter(b, c) => {
            object.remove(exclusive);
        }
        _ => {
            object.insert(inclusive.to_owned(), Value::Number(bound));
            object.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
}

/// The JSON Schema type of a value (`None` for null); whole numbers are integers.
fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    })
}

/// Whether a validation keyword constrains values of JSON Schema type `typ`.
fn applies_to(keyword: &str, typ: &str) -> bool {
    match keyword {
        "format" => matches!(typ, "string" | "integer" | "number"),
        "pattern" | "minLength" | "maxLength" => typ == "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => {
            matches!(typ, "integer" | "number")
        }
        "items" | "minItems" | "maxItems" | "uniqueItems" => typ == "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            typ == "object"
        }
        _ => false,
    }
}

/// Whether content of this media type is text, which a JSON string holds as it is.
fn is_text(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or(media).trim();
    essence.starts_with("text/")
        || essence == "application/json"
        || essence.ends_with("+json")
        || essence == "application/xml"
        || essence.ends_with("+xml")
}

/// One test per construct.
#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Normalises one schema (as `#/components/schemas/S` of a 3.1 document) and returns it with the
    /// warnings.
    fn schema(value: Value) -> (Value, Normalized) {
        let mut doc = json!({
            "openapi": "3.1.1",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": value}},
        });
        let normalized = normalize(&mut doc).unwrap();
        (doc["components"]["schemas"]["S"].take(), normalized)
    }

    #[test]
    fn a_3_0_document_is_left_alone() {
        let mut doc = json!({
            "openapi": "3.0.3",
            "components": {"schemas": {"S": {"type": ["string", "null"], "const": 1}}},
        });
        let before = doc.clone();
        let normalized = normalize(&mut doc).unwrap();
        assert_eq!(doc, before);
        assert!(normalized.warnings.is_empty());
    }

    #[test]
    fn a_type_list_with_null_is_the_type_made_nullable() {
        let (s, _) = schema(json!({"type": ["string", "null"], "format": "date-time"}));
        assert_eq!(
            s,
            json!({"type": "string", "format": "date-time", "nullable": true})
        );
        let (s, _) = schema(json!({"type": ["null", "string"], "enum": ["a", null]}));
        assert_eq!(
            s,
            json!({"type": "string", "nullable": true, "enum": ["a"]})
        );
        let (s, _) = schema(json!({"type": ["integer"]}));
        assert_eq!(s, json!({"type": "integer"}));
    }

    #[test]
    fn type_null_alone_is_a_null_variant() {
        let (s, _) =
            schema(json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"oneOf": [{"$ref": "#/components/schemas/T"}, {"nullable": true}]})
        );
    }

    #[test]
    fn several_types_are_a_one_of_with_the_keywords_of_each() {
        let (s, normalized) = schema(json!({
            "description": "A number or its digits.",
            "type": ["string", "integer", "null"],
            "format": "int64",
            "maxLength": 20,
            "minimum": 0,
            "enum": ["1", 1, null],
        }));
        assert_eq!(
            s,
            json!({
                "description": "A number or its digits.",
                "nullable": true,
                "oneOf": [
                    {"type": "string", "format": "int64", "maxLength": 20, "enum": ["1"]},
                    {"type": "integer", "format": "int64", "minimum": 0, "enum": [1]},
                ],
            })
        );
        assert_eq!(
            normalized.original("#/components/schemas/S/oneOf/1"),
            "#/components/schemas/S"
        );
    }

    #[test]
    fn const_is_a_one_value_enum_of_its_type() {
        let (s, _) = schema(json!({"type": "string", "const": "Csat"}));
        assert_eq!(s, json!({"type": "string", "enum": ["Csat"]}));
        let (s, _) = schema(json!({"const": "Csat"}));
        assert_eq!(s, json!({"type": "string", "enum": ["Csat"]}));
        let (s, _) = schema(json!({"const": 3}));
        assert_eq!(s, json!({"type": "integer", "enum": [3]}));
        let (s, _) = schema(json!({"const": true}));
        assert_eq!(s, json!({"type": "boolean", "enum": [true]}));
    }

    #[test]
    fn schema_examples_become_the_first_example() {
        let (s, _) = schema(json!({"type": "string", "examples": ["a", "b"]}));
        assert_eq!(s, json!({"type": "string", "example": "a"}));
        let (s, _) = schema(json!({"type": "string", "example": "x", "examples": ["a"]}));
        assert_eq!(s, json!({"type": "string", "example": "x"}));
        // A property named `examples` is a property.
        let (s, _) =
            schema(json!({"type": "object", "properties": {"examples": {"type": "array"}}}));
        assert_eq!(
            s,
            json!({"type": "object", "properties": {"examples": {"type": "array"}}})
        );
    }

    #[test]
    fn a_ref_with_siblings_is_a_documented_all_of() {
        let (s, normalized) = schema(json!({
            "type": "object",
            "properties": {
                "user": {"$ref": "#/components/schemas/User", "description": "Who.", "readOnly": true},
                "plain": {"$ref": "#/components/schemas/User"},
            },
        }));
        assert_eq!(
            s,
            json!({
                "type": "object",
                "properties": {
                    "user": {
                        "description": "Who.",
                        "readOnly": true,
                        "allOf": [{"$ref": "#/components/schemas/User"}],
                    },
                    "plain": {"$ref": "#/components/schemas/User"},
                },
            })
        );
        // An error about the reference names the place as written.
        let moved = "#/components/schemas/S/properties/user/allOf/0";
        let restored = normalized.restore_error(Error::spec(moved, "dangling"));
        assert_eq!(
            restored.to_string(),
            "spec error at #/components/schemas/S/properties/user: dangling"
        );
    }

    #[test]
    fn a_ref_with_examples_keeps_them_as_its_example() {
        let (s, _) = schema(json!({"$ref": "#/components/schemas/T", "examples": [{"a": 1}]}));
        assert_eq!(
            s,
            json!({"example": {"a": 1}, "allOf": [{"$ref": "#/components/schemas/T"}]})
        );
    }

    #[test]
    fn numeric_exclusive_bounds_are_3_0_bounds() {
        let (s, _) =
            schema(json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}));
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        // Beside an inclusive bound, the stricter one stays.
        let (s, _) = schema(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 0}));
        assert_eq!(s, json!({"type": "integer", "minimum": 5}));
        let (s, _) = schema(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": 5}));
        assert_eq!(
            s,
            json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn content_media_type_and_encoding_are_formats() {
        let (s, _) =
            schema(json!({"type": "string", "contentMediaType": "application/octet-stream"}));
        assert_eq!(s, json!({"type": "string", "format": "binary"}));
        let (s, _) = schema(
            json!({"type": "string", "contentMediaType": "image/png", "contentEncoding": "base64"}),
        );
        assert_eq!(s, json!({"type": "string", "format": "byte"}));
        let (s, _) = schema(json!({"type": "string", "contentMediaType": "text/html"}));
        assert_eq!(s, json!({"type": "string"}));
        let (s, normalized) =
            schema(json!({"type": "string", "contentEncoding": "quoted-printable"}));
        assert_eq!(s, json!({"type": "string"}));
        assert_eq!(
            normalized.warnings,
            ["#/components/schemas/S/contentEncoding: the encoding \"quoted-printable\" has no OpenAPI 3.0 form; the value is read as a string"]
        );
    }

    #[test]
    fn keywords_without_a_3_0_form_are_warnings_naming_their_pointer() {
        let (s, normalized) = schema(json!({
            "type": "object",
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {"x": {}},
            "patternProperties": {"^x-": {}},
            "unevaluatedProperties": false,
            "properties": {"pair": {"type": "array", "prefixItems": [{"type": "string"}]}},
            "if": {"required": ["a"]},
            "then": {"required": ["b"]},
            "else": {},
            "dependentSchemas": {"a": {}},
        }));
        assert_eq!(
            s,
            json!({"type": "object", "properties": {"pair": {"type": "array"}}})
        );
        let pointers: Vec<&str> = normalized
            .warnings
            .iter()
            .map(|w| w.split_once(": ").unwrap().0)
            .collect();
        assert_eq!(
            pointers,
            [
                "#/components/schemas/S/if",
                "#/components/schemas/S/then",
                "#/components/schemas/S/else",
                "#/components/schemas/S/dependentSchemas",
                "#/components/schemas/S/unevaluatedProperties",
                "#/components/schemas/S/patternProperties",
                "#/components/schemas/S/properties/pair/prefixItems",
            ]
        );
    }

    #[test]
    fn boolean_schemas_are_objects() {
        let (s, _) = schema(
            json!({"type": "object", "properties": {"any": true, "none": false}, "additionalProperties": false}),
        );
        assert_eq!(
            s,
            json!({"type": "object", "properties": {"any": {}, "none": {"not": {}}}, "additionalProperties": false})
        );
    }

    #[test]
    fn the_document_keeps_3_0_fields_and_loses_3_1_only_ones() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
            "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
            "webhooks": {"ping": {"post": {"responses": {"200": {"description": "ok"}}}}},
            "components": {
                "pathItems": {"Ping": {"get": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": ["string", "null"]}, "examples": {"a": {"value": "x"}}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "integer", "examples": [1]},
                        "examples": {"one": {"value": 1}},
                    }}}},
                }}},
            },
            "paths": {"/ping": {"$ref": "#/components/pathItems/Ping"}},
        });
        let normalized = normalize(&mut doc).unwrap();
        assert!(normalized.warnings.is_empty());
        assert_eq!(
            doc,
            json!({
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1", "summary": "s", "license": {"name": "MIT", "identifier": "MIT"}},
                "components": {},
                "paths": {"/ping": {"get": {
                    "parameters": [{"name": "q", "in": "query", "schema": {"type": "string", "nullable": true}, "examples": {"a": {"value": "x"}}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {
                        "schema": {"type": "integer", "example": 1},
                        "examples": {"one": {"value": 1}},
                    }}}},
                }}},
            })
        );
        assert_eq!(
            normalized.original("#/paths/~1ping/get/parameters/0/schema"),
            "#/components/pathItems/Ping/get/parameters/0/schema"
        );
        // Paths may be absent in 3.1.
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}});
        normalize(&mut doc).unwrap();
        assert_eq!(doc["paths"], json!({}));
    }

    #[test]
    fn schemas_below_parameters_bodies_responses_and_headers_are_rewritten() {
        let nullable = json!({"type": ["string", "null"]});
        let rewritten = json!({"type": "string", "nullable": true});
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": nullable}],
                "post": {
                    "parameters": [{"name": "q", "in": "query", "content": {"application/json": {"schema": nullable}}}],
                    "requestBody": {"content": {"multipart/form-data": {
                        "schema": {"type": "object", "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}}},
                        "encoding": {"file": {"headers": {"X": {"schema": nullable}}}},
                    }}},
                    "responses": {"200": {"description": "ok", "headers": {"Y": {"schema": nullable}}}},
                },
            }},
            "components": {
                "parameters": {"P": {"name": "p", "in": "query", "schema": nullable}},
                "headers": {"H": {"schema": nullable}},
                "requestBodies": {"B": {"content": {"application/json": {"schema": nullable}}}},
                "responses": {"R": {"description": "r", "content": {"application/json": {"schema": nullable}}}},
            },
        });
        normalize(&mut doc).unwrap();
        for pointer in [
            "/paths/~1a/parameters/0/schema",
            "/paths/~1a/post/parameters/0/content/application~1json/schema",
            "/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/file/headers/X/schema",
            "/paths/~1a/post/responses/200/headers/Y/schema",
            "/components/parameters/P/schema",
            "/components/headers/H/schema",
            "/components/requestBodies/B/content/application~1json/schema",
            "/components/responses/R/content/application~1json/schema",
        ] {
            assert_eq!(doc.pointer(pointer), Some(&rewritten), "{pointer}");
        }
        assert_eq!(
            doc.pointer(
                "/paths/~1a/post/requestBody/content/multipart~1form-data/schema/properties/file"
            ),
            Some(&json!({"type": "string", "format": "binary"}))
        );
    }

    #[test]
    fn a_dangling_path_item_reference_is_an_error_naming_it() {
        let mut doc =
            json!({"openapi": "3.1.0", "paths": {"/a": {"$ref": "#/components/pathItems/Gone"}}});
        let err = normalize(&mut doc).unwrap_err().to_string();
        assert!(err.contains("#/paths/~1a/$ref"), "{err}");
    }

    #[test]
    fn lowering_warnings_name_the_place_as_written() {
        let (_, normalized) = schema(
            json!({"properties": {"a": {"$ref": "#/components/schemas/T", "description": "d"}}}),
        );
        let restored = normalized.restore_warnings(vec![
            "#/components/schemas/S/properties/a/allOf/0: something".to_owned(),
            "#/components/schemas/Other: unchanged".to_owned(),
        ]);
        assert_eq!(
            restored,
            [
                "#/components/schemas/S/properties/a: something",
                "#/components/schemas/Other: unchanged",
            ]
        );
    }
}
