//! One wire format, one SDK: copies of the beta spec that describe the same wire format in another
//! common OpenAPI spelling give the same `dixa` crate, documentation aside
//! (`same_sdk`). The copies are made in memory, written under `target/` (never into
//! the repository) and read with the project's overrides, renames, lock and webhooks.

mod same_sdk;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Every property that is a bare `$ref` becomes `allOf: [{$ref: X}]` with a `description`, the
/// usual OpenAPI 3.0 way to document a reference, and, where the property is optional (so `null`
/// and absence read alike), `nullable: true` too. Returns how many properties it wrapped.
fn wrap_ref_properties(node: &mut Value) -> usize {
    let mut wrapped = 0;
    match node {
        Value::Object(map) => {
            let required: Vec<String> = map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(Value::Object(properties)) = map.get_mut("properties") {
                for (key, property) in properties.iter_mut() {
                    let Some(reference) = property
                        .as_object()
                        .filter(|p| p.len() == 1)
                        .and_then(|p| p.get("$ref"))
                        .cloned()
                    else {
                        continue;
                    };
                    let mut wrapper = json!({
                        "description": format!("The {key}."),
                        "allOf": [{"$ref": reference}],
                    });
                    if !required.contains(key) {
                        wrapper["nullable"] = json!(true);
                    }
                    *property = wrapper;
                    wrapped += 1;
                }
            }
            for value in map.values_mut() {
                wrapped += wrap_ref_properties(value);
            }
        }
        Value::Array(items) => {
            for item in items {
                wrapped += wrap_ref_properties(item);
            }
        }
        _ => {}
    }
    wrapped
}

/// Writes `tree` under `target/spellings/` as `name` and generates it with the policy files of the
/// project's spec.
fn generate_copy(tree: &Value, name: &str, spec: &Path) -> generator::Output {
    let dir: PathBuf = same_sdk::root().join("target/spellings");
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    let copy = dir.join(name);
    std::fs::write(&copy, serde_json::to_string(tree).expect("JSON")).expect("writable");
    let config = generator::Config {
        spec: copy,
        ..generator::Config::beside(spec)
    };
    generator::generate(&config).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn allof_wrapped_refs_give_the_same_sdk() {
    let spec = same_sdk::root().join("spec/dixa-api.yaml");
    let text = std::fs::read_to_string(&spec).expect("the spec is readable");
    let mut tree: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let wrapped = wrap_ref_properties(&mut tree);
    // The beta spec has about two hundred `$ref` properties; all of them are spelled otherwise.
    assert!(wrapped > 150, "only {wrapped} properties wrapped");

    let original = generator::generate(&generator::Config::beside(&spec))
        .unwrap_or_else(|e| panic!("the spec: {e}"));
    let copy = generate_copy(&tree, "dixa-api-allof.json", &spec);
    let doc_only = same_sdk::assert_same_sdk(&original, &copy, "allOf-wrapped copy");
    // The wrappers' descriptions reach the fields, so the copy's documentation differs.
    assert!(doc_only > 0);
}
