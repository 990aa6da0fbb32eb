//! Fixture snapshot tests: one small spec per construct the generator handles, in
//! `tests/fixtures/`, each with its generated code committed as an `insta` snapshot in
//! `tests/snapshots/`, and every generated crate compiled (warnings denied). Every component
//! schema of a fixture has an `example`, which must decode into its type and encode back to
//! equivalent JSON (`tests/wire.rs`), and no fixture may fall back to `serde_json::Value`.
//!
//! Review a change with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test snapshots`
//! and read the diff).

use dixa_tests::fixtures;
use std::path::PathBuf;

fn fixture_specs() -> Vec<PathBuf> {
    let dir = dixa_tests::root().join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    specs
}

/// The generated code worth reviewing: everything but the copied runtime and the crate boilerplate.
fn reviewable(files: &generator::Files) -> String {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("src/models") || path.starts_with("src/apis"))
        .map(|(path, content)| format!("=== {path}\n{content}"))
        .collect()
}

#[test]
fn fixtures_match_their_snapshots_compile_and_round_trip_their_examples() {
    let specs = fixture_specs();
    assert!(!specs.is_empty());
    let mut names = Vec::new();
    let mut trips = Vec::new();
    let mut problems = Vec::new();
    for spec in &specs {
        let name = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 file name")
            .to_owned();
        let output = fixtures::generate(spec).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(name.clone(), reviewable(&output.files));
        // A fixture shows how a construct is typed; one that gives up typing shows nothing.
        for warning in output
            .warnings
            .iter()
            .filter(|w| w.contains("serde_json::Value"))
        {
            problems.push(format!("{name}: {warning}"));
        }
        match fixtures::round_trips(spec) {
            Ok(cases) => trips.push((name.clone(), cases)),
            Err(missing) => problems.push(format!("{name}:\n{missing}")),
        }
        fixtures::write_crate("snapshots", &name, &output.files);
        names.push(name);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    names.push(fixtures::write_round_trip_crate("snapshots", &trips));
    if let Err(errors) = fixtures::check_crates("snapshots", &names) {
        panic!("generated fixture crates do not compile:\n{errors}");
    }
    if let Err(failures) = fixtures::run_round_trips("snapshots") {
        panic!("schema examples do not round-trip through their types:\n{failures}");
    }
}
