//! Generates the conformance test's dispatch from the spec: one match arm per schema that has an
//! example, turning the schema key into the SDK type that decodes it. Nothing of it is committed;
//! it follows the spec (and the overrides) on every build.

#[path = "examples.rs"]
#[allow(dead_code)]
mod examples;

use std::collections::BTreeSet;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec_path = root.join("spec/dixa-api.yaml");
    let overrides_path = root.join("spec/overrides.yaml");
    println!("cargo:rerun-if-changed={}", spec_path.display());
    println!("cargo:rerun-if-changed={}", overrides_path.display());
    println!("cargo:rerun-if-changed=examples.rs");
    let spec = examples::spec_tree(&spec_path, &overrides_path);
    let keys: BTreeSet<String> = examples::collect(&spec)
        .into_iter()
        .map(|e| match e.shape {
            examples::Shape::Named(k) | examples::Shape::ListOf(k) => k,
        })
        .collect();
    let mut code = String::from(
        "/// Decodes `value` as the SDK type of schema `key` and encodes it again.\n\
         pub fn round_trip(key: &str, value: &serde_json::Value) -> Option<Result<serde_json::Value, String>> {\n\
         \x20   Some(match key {\n",
    );
    for key in &keys {
        let name = generator::naming::type_name(key);
        code.push_str(&format!(
            "        {key:?} => crate::wire::round_trip::<dixa::models::{name}>(value),\n"
        ));
    }
    code.push_str("        _ => return None,\n    })\n}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("dispatch.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
