//! The SDK's public API, read from rustdoc's JSON output, names no type of the HTTP stack under it
//! (`reqwest`, `http`, `hyper`): an upgrade of those crates must not be a breaking change of `dixa`.
//! Only `ClientBuilder::http_client`, behind the opt-in `custom-http-client` feature, may.
//!
//! rustdoc's JSON output is unstable, so the stable toolchain produces it with `RUSTC_BOOTSTRAP=1`
//! (as cargo-semver-checks does), in a target directory of its own so that the flag does not
//! invalidate the main build. It takes a while, so the test is ignored by default and `.ci/run` runs
//! it (`--run-ignored all`).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

const HTTP_STACK: &[&str] = &["reqwest", "http", "hyper", "hyper_util", "url"];

#[test]
#[ignore = "builds rustdoc JSON of the SDK (about a minute); .ci/run runs it"]
fn no_http_stack_type_is_part_of_the_public_api() {
    let offenders = http_stack_mentions(&[]);
    assert!(
        offenders.is_empty(),
        "the public API names types of the HTTP stack:\n{}",
        offenders.into_iter().collect::<Vec<_>>().join("\n")
    );
    // The same check finds the one opt-in exception, so it is able to find one.
    let with_feature = http_stack_mentions(&["--features", "custom-http-client"]);
    assert!(
        with_feature.len() == 1
            && with_feature.iter().all(|o| o.starts_with("http_client ")
                && o.ends_with("reqwest::async_impl::client::Client")),
        "{with_feature:?}"
    );
}

/// The public items of the SDK, built with `features`, that mention a type of the HTTP stack.
fn http_stack_mentions(features: &[&str]) -> BTreeSet<String> {
    let root = dixa_tests::root();
    let target = root.join("target/public-api");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .current_dir(&root)
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", &target)
        .args(["rustdoc", "--quiet", "-p", "dixa", "--lib"])
        .args(features)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "rustdoc failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = std::fs::read_to_string(target.join("doc/dixa.json")).expect("rustdoc wrote JSON");
    let doc: Value = serde_json::from_str(&text).expect("rustdoc JSON parses");

    // The ids of every item of the HTTP stack that the documentation refers to.
    let crates: BTreeMap<String, String> = doc["external_crates"]
        .as_object()
        .expect("external_crates")
        .iter()
        .map(|(id, c)| (id.clone(), c["name"].as_str().unwrap_or("").to_owned()))
        .collect();
    let foreign: BTreeMap<String, String> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, p)| {
            let krate = p["crate_id"].to_string();
            crates
                .get(&krate)
                .is_some_and(|name| HTTP_STACK.contains(&name.as_str()))
        })
        .map(|(id, p)| {
            let path: Vec<&str> = p["path"]
                .as_array()
                .map(|parts| parts.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            (id.clone(), path.join("::"))
        })
        .collect();

    // Every public item of the crate whose signature, fields or type mention one of them.
    let mut offenders = BTreeSet::new();
    for (id, item) in doc["index"].as_object().expect("index") {
        if item["crate_id"] != 0 || item["visibility"] != "public" {
            continue;
        }
        let mut found = Vec::new();
        mentions(&item["inner"], &foreign, &mut found);
        for path in found {
            let name = item["name"].as_str().unwrap_or("?");
            offenders.insert(format!("{name} (item {id}) mentions {path}"));
        }
    }
    offenders
}

/// Collects the foreign paths that `value` refers to by id.
fn mentions(value: &Value, foreign: &BTreeMap<String, String>, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(id) = map.get("id") {
                let key = match id {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                if let Some(path) = foreign.get(&key) {
                    out.push(path.clone());
                }
            }
            map.values().for_each(|v| mentions(v, foreign, out));
        }
        Value::Array(items) => items.iter().for_each(|v| mentions(v, foreign, out)),
        _ => {}
    }
}
