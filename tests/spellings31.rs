//! One wire format, one SDK: the beta spec upgraded to OpenAPI 3.1 gives the same `dixa` crate as
//! the beta spec itself (doc comments aside).
//!
//! The copy is made in memory the way the widely used upgraders (openapi-format's `--convertTo
//! 3.1`, the Redocly and APIMatic converters) write 3.1: `openapi: 3.1.1`; in schemas, `nullable:
//! true` as a type list with `"null"`, `example` as an `examples` list, `format: binary` as
//! `contentMediaType: application/octet-stream`, `format: byte` as `contentEncoding: base64`,
//! boolean `exclusiveMinimum`/`exclusiveMaximum` as the numeric bound, and a one-member `allOf`
//! wrapper around a `$ref` as the `$ref` with its siblings. It is written under `target/` (not the
//! repository) and read with the project's overrides, renames, lock and webhooks.

use serde_json::{json, Map, Value};
use std::path::Path;

#[test]
fn openapi_31_copy_gives_the_same_sdk() {
    let root = dixa_tests::root();
    let spec = root.join("spec/dixa-api.yaml");
    let text = std::fs::read_to_string(&spec).expect("the spec is readable");
    let mut tree: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let counts = upgrade_document(&mut tree);
    // The copy must really be 3.1 where the beta spec says something 3.1 spells differently.
    assert!(counts.example_maps > 50, "{counts:?}");
    assert!(counts.binary >= 1, "{counts:?}");

    let dir = root.join("target/spellings31");
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    let copy = dir.join("dixa-api-3.1.json");
    std::fs::write(&copy, serde_json::to_string_pretty(&tree).expect("JSON")).expect("writable");

    let original = generator::generate(&generator::Config::beside(&spec))
        .unwrap_or_else(|e| panic!("the 3.0 spec: {e}"));
    let upgraded = generator::generate(&config_for_copy(&copy, &spec))
        .unwrap_or_else(|e| panic!("the 3.1 copy: {e}"));

    assert_eq!(
        original.warnings, upgraded.warnings,
        "the 3.1 copy warns differently"
    );
    assert_eq!(
        original.lock.map(|l| l.text),
        upgraded.lock.map(|l| l.text),
        "the 3.1 copy names places differently"
    );
    let paths = |files: &generator::Files| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&original.files), paths(&upgraded.files));
    for (path, content) in &original.files {
        let other = &upgraded.files[path];
        if without_docs(content) != without_docs(other) {
            let first = without_docs(content)
                .lines()
                .zip(without_docs(other).lines())
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("3.0: {a}\n3.1: {b}"))
                .unwrap_or_default();
            panic!("{path} differs between the 3.0 spec and its 3.1 copy:\n{first}");
        }
    }
}

/// The policy files of the spec at `spec`, read for its copy at `copy`.
fn config_for_copy(copy: &Path, spec: &Path) -> generator::Config {
    let beside = generator::Config::beside(spec);
    generator::Config {
        spec: copy.to_owned(),
        ..beside
    }
}

/// A Rust file without its doc comments (`///`, `//!`), which are allowed to differ.
fn without_docs(file: &str) -> String {
    file.lines()
        .filter(|line| {
            let line = line.trim_start();
            !line.starts_with("///") && !line.starts_with("//!")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------------------------
// The 3.0 -> 3.1 upgrader of the test above (helpers of `openapi_31_copy_gives_the_same_sdk`).
// ---------------------------------------------------------------------------------------------

/// How many places of each kind the upgrader rewrote.
#[derive(Debug, Default)]
struct Upgraded {
    example_maps: usize,
    nullable: usize,
    examples: usize,
    binary: usize,
    exclusive: usize,
    ref_siblings: usize,
}

/// Rewrites a 3.0 document into 3.1: the version, then every schema.
fn upgrade_document(doc: &mut Value) -> Upgraded {
    let mut counts = Upgraded::default();
    doc["openapi"] = json!("3.1.1");
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for schema in schemas.values_mut() {
            upgrade_schema(schema, &mut counts);
        }
    }
    for key in ["paths", "components"] {
        if let Some(part) = doc.get_mut(key) {
            upgrade_schemas_below(part, &mut counts);
        }
    }
    counts
}

/// Upgrades the schemas of parameters, headers and media types (every `schema` member) below a
/// part of the document, skipping examples, whose values are data. The `example` of a parameter or
/// media type (where 3.0 and 3.1 both have `example` and the `examples` map) becomes an entry of
/// the `examples` map, as the upgrader writes it.
fn upgrade_schemas_below(value: &mut Value, counts: &mut Upgraded) {
    match value {
        Value::Object(object) => {
            if object.contains_key("schema") && !object.contains_key("examples") {
                if let Some(example) = object.remove("example") {
                    object.insert("examples".to_owned(), json!({"example": {"value": example}}));
                    counts.example_maps += 1;
                }
            }
            for (key, child) in object.iter_mut() {
                match key.as_str() {
                    "schema" => upgrade_schema(child, counts),
                    "schemas" | "example" | "examples" => {}
                    _ => upgrade_schemas_below(child, counts),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| upgrade_schemas_below(item, counts)),
        _ => {}
    }
}

/// Rewrites one schema and the schemas below it into their JSON Schema 2020-12 spelling.
fn upgrade_schema(schema: &mut Value, counts: &mut Upgraded) {
    let Value::Object(object) = schema else {
        return;
    };
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for property in properties.values_mut() {
            upgrade_schema(property, counts);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = object.get_mut(key) {
            upgrade_schema(child, counts);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(children)) = object.get_mut(key) {
            children
                .iter_mut()
                .for_each(|child| upgrade_schema(child, counts));
        }
    }
    if let Some(example) = object.remove("example") {
        object.insert("examples".to_owned(), json!([example]));
        counts.examples += 1;
    }
    match object.get("format").and_then(Value::as_str) {
        Some("binary") => {
            object.remove("format");
            object.insert("contentMediaType".to_owned(), json!("application/octet-stream"));
            counts.binary += 1;
        }
        Some("byte") => {
            object.remove("format");
            object.insert("contentEncoding".to_owned(), json!("base64"));
            counts.binary += 1;
        }
        _ => {}
    }
    for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Bool(flag)) = object.remove(exclusive) {
            if flag {
                if let Some(bound) = object.remove(inclusive) {
                    object.insert(exclusive.to_owned(), bound);
                    counts.exclusive += 1;
                }
            }
        }
    }
    upgrade_nullable(object, counts);
    unwrap_ref(object, counts);
}

/// `nullable: true` is `"null"` among the types: a type list, `{type: "null"}` for a schema that
/// says only that, or a `{type: "null"}` branch for a `oneOf`/`anyOf`.
fn upgrade_nullable(object: &mut Map<String, Value>, counts: &mut Upgraded) {
    match object.remove("nullable") {
        Some(Value::Bool(true)) => counts.nullable += 1,
        _ => return,
    }
    if let Some(Value::String(typ)) = object.get("type").cloned() {
        object.insert("type".to_owned(), json!([typ, "null"]));
        if let Some(Value::Array(values)) = object.get_mut("enum") {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
    } else if let Some(Value::Array(branches)) = object.get_mut("oneOf") {
        branches.push(json!({"type": "null"}));
    } else if let Some(Value::Array(branches)) = object.get_mut("anyOf") {
        branches.push(json!({"type": "null"}));
    } else {
        object.insert("type".to_owned(), json!("null"));
    }
}

/// `allOf: [{$ref}]` beside annotations is, in 3.1, the `$ref` beside them.
fn unwrap_ref(object: &mut Map<String, Value>, counts: &mut Upgraded) {
    let reference = match object.get("allOf") {
        Some(Value::Array(members)) => match members.as_slice() {
            [member] if member.as_object().is_some_and(|m| m.len() == 1) => member.get("$ref").cloned(),
            _ => None,
        },
        _ => None,
    };
    if let Some(reference) = reference {
        object.remove("allOf");
        object.insert("$ref".to_owned(), reference);
        counts.ref_siblings += 1;
    }
}
