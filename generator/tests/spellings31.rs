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

mod same_sdk;

use serde_json::{json, Map, Value};

#[test]
fn openapi_31_copy_gives_the_same_sdk() {
    let root = same_sdk::root();
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
    let upgraded = generator::generate(&generator::Config {
        spec: copy,
        ..generator::Config::beside(&spec)
    })
    .unwrap_or_else(|e| panic!("the 3.1 copy: {e}"));
    let doc_only = same_sdk::assert_same_sdk(&original, &upgraded, "3.1 copy");
    // The beta spec's `$ref`s with a description (which 3.0 ignores and 3.1 reads) document
    // their fields in the copy.
    assert!(doc_only > 0);
}

/// The beta spec uses few of the schema keywords 3.1 spells differently, so this copy of it says
/// more in 3.0 first (every optional property with a type `nullable`, every such property with an
/// `example`, integer properties with an exclusive lower bound), and that 3.0 copy and its 3.1
/// upgrade must give the same SDK. Both are read with the project's renames, lock and webhooks.
#[test]
fn openapi_31_copy_of_a_richer_3_0_spelling_gives_the_same_sdk() {
    let root = same_sdk::root();
    let spec = root.join("spec/dixa-api.yaml");
    // The project's overrides are applied first: their `expect`s describe the spec as written.
    let config = generator::Config::beside(&spec);
    let overrides = config.overrides.as_deref().expect("spec/overrides.yaml");
    let mut richer = generator::policy::Overrides::from_file(overrides)
        .and_then(|o| o.load(&spec))
        .unwrap_or_else(|e| panic!("the spec with its overrides: {e}"));
    if let Some(Value::Object(schemas)) = richer.pointer_mut("/components/schemas") {
        schemas.values_mut().for_each(enrich_properties);
    }
    let mut upgraded = richer.clone();
    let counts = upgrade_document(&mut upgraded);
    assert!(counts.nullable > 100, "{counts:?}");
    assert!(counts.examples > 100, "{counts:?}");
    assert!(counts.exclusive > 10, "{counts:?}");

    let generate = |tree: &Value, name: &str| {
        let dir = root.join("target/spellings31");
        std::fs::create_dir_all(&dir).expect("target/ is writable");
        let copy = dir.join(name);
        std::fs::write(&copy, serde_json::to_string(tree).expect("JSON")).expect("writable");
        generator::generate(&generator::Config {
            spec: copy,
            overrides: None,
            ..generator::Config::beside(&spec)
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let original = generate(&richer, "dixa-api-richer-3.0.json");
    let copy = generate(&upgraded, "dixa-api-richer-3.1.json");
    same_sdk::assert_same_sdk(&original, &copy, "3.1 copy of the richer 3.0 spelling");
}

/// Adds `nullable`, `example` and `minimum` with `exclusiveMinimum` to the typed properties of a
/// component schema (3.0 spellings).
fn enrich_properties(schema: &mut Value) {
    let required: Vec<Value> = schema
        .get("required")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    for (key, property) in properties.iter_mut() {
        let Some(object) = property.as_object_mut() else {
            continue;
        };
        let example = match object.get("type").and_then(Value::as_str) {
            Some("string") if !object.contains_key("format") && !object.contains_key("enum") => {
                json!(format!("some {key}"))
            }
            Some("integer") => {
                if !object.contains_key("minimum") {
                    object.insert("minimum".to_owned(), json!(-1));
                    object.insert("exclusiveMinimum".to_owned(), json!(true));
                }
                json!(1)
            }
            Some("boolean") => json!(true),
            _ => continue,
        };
        object.entry("example").or_insert(example);
        if !required.contains(&json!(key)) {
            object.insert("nullable".to_owned(), json!(true));
        }
    }
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
                    object.insert(
                        "examples".to_owned(),
                        json!({"example": {"value": example}}),
                    );
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
            object.insert(
                "contentMediaType".to_owned(),
                json!("application/octet-stream"),
            );
            counts.binary += 1;
        }
        Some("byte") => {
            object.remove("format");
            object.insert("contentEncoding".to_owned(), json!("base64"));
            counts.binary += 1;
        }
        _ => {}
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
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
            [member] if member.as_object().is_some_and(|m| m.len() == 1) => {
                member.get("$ref").cloned()
            }
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
