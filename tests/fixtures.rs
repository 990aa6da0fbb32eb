//! Generating SDKs from small fixture specs and compiling them, for the snapshot, change-scenario
//! and robustness tests.
//!
//! The generated crates of one test are written under `target/fixture-crates/<group>/` as members of
//! one workspace (so their dependencies compile once), with the main workspace's `Cargo.lock` so the
//! versions match, and checked with `cargo check --offline` in a target directory shared by all
//! groups. Each test uses its own group, so tests running in parallel never rewrite each other's
//! workspace.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory the fixture crates of `group` are written to.
pub fn crates_dir(group: &str) -> PathBuf {
    crate::root().join("target/fixture-crates").join(group)
}

/// Generates the SDK of the spec at `spec` (no overrides or renames unless they sit beside it).
pub fn generate(spec: &Path) -> Result<generator::Output, generator::error::Error> {
    generator::generate(&generator::Config::beside(spec))
}

/// Writes `files` as the fixture crate `name` of `group` (its package and library renamed to
/// `fixture_<name>` so several can share a workspace) and returns its directory.
pub fn write_crate(group: &str, name: &str, files: &generator::Files) -> PathBuf {
    let dir = crates_dir(group).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (path, content) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).expect("target/ is writable");
        }
        let content = if path == "Cargo.toml" {
            content.replace("name = \"dixa\"", &format!("name = \"fixture_{name}\""))
        } else {
            content.clone()
        };
        std::fs::write(&target, content).expect("target/ is writable");
    }
    dir
}

/// Runs `cargo check` (all targets and features, so `testing`'s generated rules too; warnings
/// denied) over the fixture crates `names` of `group`, which must have been written with
/// [`write_crate`]. Returns cargo's output on failure.
pub fn check_crates(group: &str, names: &[String]) -> Result<(), String> {
    let dir = crates_dir(group);
    let members: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .map_err(|e| e.to_string())?;
    let _ = std::fs::copy(crate::root().join("Cargo.lock"), dir.join("Cargo.lock"));
    cargo(
        group,
        &[
            "check",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--offline",
            "--quiet",
        ],
    )
}

/// Runs cargo with `args` in the fixture workspace of `group`, in the target directory all groups
/// share, warnings denied. Returns cargo's output on failure.
fn cargo(group: &str, args: &[&str]) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(args)
        .current_dir(crates_dir(group))
        .env(
            "CARGO_TARGET_DIR",
            crate::root().join("target/fixture-target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        // Each fixture crate is built once per change of the generator: incremental caches would
        // only fill the disk (over a gigabyte for the whole corpus).
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// A component schema's `example`, to be decoded into the schema's generated type and encoded back.
#[derive(Debug, Clone)]
pub struct RoundTrip {
    /// The schema's key.
    pub schema: String,
    /// The path of its type in the fixture crate (`models::Key`).
    pub ty: String,
    /// The example (OpenAPI 3.0's `example`, or the first of 3.1's `examples`).
    pub example: serde_json::Value,
}

/// The round trips of the fixture spec at `spec`: one per component schema. Every component schema
/// must have an example, so that each type a fixture shows is also shown to carry its JSON there
/// and back; a schema that cannot (a multipart struct of binary parts) says why in
/// `x-no-round-trip`. `Err` names the schemas without an example or a type.
pub fn round_trips(spec: &Path) -> Result<Vec<RoundTrip>, String> {
    let text = generator::load::read_file(spec).map_err(|e| e.to_string())?;
    let tree = generator::load::parse_yaml(spec, &text).map_err(|e| e.to_string())?;
    let api = generate_api(spec)?;
    let types: std::collections::BTreeMap<&str, &str> = api
        .types
        .iter()
        .map(|t| (t.origin.as_str(), t.name.as_str()))
        .collect();
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let empty = serde_json::Map::new();
    let schemas = tree
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .unwrap_or(&empty);
    for (key, schema) in schemas {
        if schema.get("x-no-round-trip").is_some() {
            continue;
        }
        let example = schema
            .get("example")
            .or_else(|| schema.pointer("/examples/0"));
        let pointer = format!(
            "#/components/schemas/{}",
            generator::load::escape_pointer(key)
        );
        match (example, types.get(pointer.as_str())) {
            (Some(example), Some(ty)) => out.push(RoundTrip {
                schema: key.clone(),
                ty: format!("models::{ty}"),
                example: example.clone(),
            }),
            (None, _) => missing.push(format!("{key}: no `example` (or `x-no-round-trip: why`)")),
            (_, None) => missing.push(format!("{key}: no generated type")),
        }
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing.join("\n"))
    }
}

/// The IR of a fixture spec, lowered as [`generate`] does.
fn generate_api(spec: &Path) -> Result<generator::ir::Api, String> {
    generator::api(&generator::Config::beside(spec)).map_err(|e| e.to_string())
}

/// Writes the crate `round_trip` into the workspace of `group`: a program that decodes every example
/// of `cases` (by fixture crate) into its type, encodes it back and compares the two with
/// [`crate::wire::differences`] (compiled in from `tests/wire.rs`). Returns its member name, to be
/// passed to [`check_crates`] with the fixtures and then to [`run_round_trips`].
pub fn write_round_trip_crate(group: &str, cases: &[(String, Vec<RoundTrip>)]) -> String {
    let name = "round_trip".to_owned();
    let dir = crates_dir(group).join(&name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("target/ is writable");
    let mut deps = String::new();
    let mut body = String::new();
    for (fixture, trips) in cases {
        deps.push_str(&format!(
            "fixture_{fixture} = {{ path = \"../{fixture}\" }}\n"
        ));
        for trip in trips {
            body.push_str(&format!(
                "    check::<fixture_{fixture}::{ty}>(\"{fixture}\", {schema:?}, r#####\"{json}\"#####, &mut failures);\n",
                ty = trip.ty,
                schema = trip.schema,
                json = trip.example,
            ));
        }
    }
    let first = cases
        .first()
        .map(|(f, _)| format!("fixture_{f}"))
        .unwrap_or_default();
    let manifest = format!(
        "[package]\nname = \"round_trip\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nserde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\n{deps}"
    );
    let wire = crate::root().join("tests/wire.rs");
    let main = format!(
        "//! Decodes each fixture's schema examples into their types and encodes them back.\n\
         // Deprecated types round-trip like the others.\n\
         #![allow(deprecated)]\n\
         // `wire.rs` compares date-times with the SDK's `DateTime`, which every fixture crate has.\n\
         extern crate {first} as dixa;\n\n\
         #[path = {wire:?}]\n#[allow(dead_code)]\nmod wire;\n\n\
         fn check<T: serde::de::DeserializeOwned + serde::Serialize>(\n    fixture: &str,\n    schema: &str,\n    json: &str,\n    failures: &mut Vec<String>,\n) {{\n\
         \x20   let example: serde_json::Value = serde_json::from_str(json).expect(\"examples are JSON\");\n\
         \x20   match wire::round_trip::<T>(&example) {{\n\
         \x20       Ok(back) => {{\n\
         \x20           for d in wire::differences(&example, &back) {{\n\
         \x20               failures.push(format!(\"{{fixture}} {{schema}}: {{d}}\"));\n\
         \x20           }}\n\
         \x20       }}\n\
         \x20       Err(e) => failures.push(format!(\"{{fixture}} {{schema}}: {{e}}\")),\n\
         \x20   }}\n}}\n\n\
         fn main() {{\n    let mut failures = Vec::new();\n{body}    if !failures.is_empty() {{\n        eprintln!(\"{{}}\", failures.join(\"\\n\"));\n        std::process::exit(1);\n    }}\n}}\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("target/ is writable");
    std::fs::write(dir.join("src/main.rs"), main).expect("target/ is writable");
    name
}

/// Runs the crate [`write_round_trip_crate`] wrote (after [`check_crates`] has checked it with the
/// fixtures). Returns the failed round trips.
pub fn run_round_trips(group: &str) -> Result<(), String> {
    cargo(group, &["run", "--offline", "--quiet", "-p", "round_trip"])
}
