//! Change scenarios: a base spec and typical beta changes to it. For each, the sync check fails until
//! the SDK is regenerated, the regenerated SDK compiles, and `generator diff` reports the change and
//! whether it breaks SDK users.

use dixa_tests::fixtures;
use generator::policy::Overrides;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Scenario {
    patches: Vec<ScenarioPatch>,
    expect: Vec<String>,
    breaking: bool,
}

/// A patch of a scenario: an override without a reason (the scenario's name is the reason).
#[derive(Deserialize, serde::Serialize)]
struct ScenarioPatch {
    pointer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    op: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    value: Option<serde_json::Value>,
}

fn scenario_dir() -> PathBuf {
    dixa_tests::root().join("tests/scenarios")
}

/// Writes the "after" spec of a scenario as JSON (which is YAML) in a directory of its own.
fn after_spec(name: &str, scenario: &Scenario) -> PathBuf {
    let base = scenario_dir().join("base.yaml");
    let text = std::fs::read_to_string(&base).expect("base.yaml is readable");
    let mut tree = generator::load::parse_yaml(&base, &text).expect("base.yaml parses");
    let patches: Vec<serde_json::Value> = scenario
        .patches
        .iter()
        .map(|p| {
            let mut v = serde_json::to_value(p).expect("serializable");
            v["reason"] = serde_json::json!(name);
            v
        })
        .collect();
    let overrides = Overrides::from_str(
        Path::new(name),
        &serde_json::json!({ "patches": patches }).to_string(),
    )
    .expect("scenario patches parse");
    overrides
        .apply(&mut tree)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let dir = dixa_tests::root().join("target/scenarios").join(name);
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    let path = dir.join("after.yaml");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&tree).expect("serializable"),
    )
    .expect("target/ is writable");
    path
}

fn scenarios() -> BTreeMap<String, Scenario> {
    let path = scenario_dir().join("scenarios.yaml");
    let text = std::fs::read_to_string(&path).expect("scenarios.yaml is readable");
    serde_yaml::from_str(&text).expect("scenarios.yaml parses")
}

#[test]
fn every_scenario_is_detected_regenerated_compiled_and_diffed() {
    let base = scenario_dir().join("base.yaml");
    let before = fixtures::generate(&base).expect("base generates");
    let before_api = generator::api(&generator::Config::beside(&base)).expect("base lowers");
    let mut crates = vec!["scenario_base".to_owned()];
    fixtures::write_crate("scenarios", "scenario_base", &before.files);

    let all = scenarios();
    assert_eq!(all.len(), 11);
    for (name, scenario) in &all {
        let after_path = after_spec(name, scenario);
        let after = fixtures::generate(&after_path).unwrap_or_else(|e| panic!("{name}: {e}"));

        // The SDK generated before the change is stale until regenerated.
        let dir = dixa_tests::root()
            .join("target/scenarios")
            .join(name)
            .join("sdk");
        let _ = std::fs::remove_dir_all(&dir);
        generator::write(&before.files, &dir).expect("writable");
        let drift = generator::check(&after.files, &dir).expect("comparable");
        assert!(
            !drift.is_empty(),
            "{name}: the sync check must fail before regenerating"
        );
        generator::write(&after.files, &dir).expect("writable");
        assert!(
            generator::check(&after.files, &dir)
                .expect("comparable")
                .is_empty(),
            "{name}: regenerating fixes the drift"
        );

        // The diff reports the change and its severity.
        let after_api = generator::api(&generator::Config::beside(&after_path)).expect("lowers");
        let changes = generator::diff::diff(&before_api, &after_api);
        let markdown = generator::diff::markdown(&changes);
        for expected in &scenario.expect {
            assert!(
                markdown.contains(expected.as_str()),
                "{name}: expected {expected:?} in:\n{markdown}"
            );
        }
        assert_eq!(
            generator::diff::has_breaking(&changes),
            scenario.breaking,
            "{name}:\n{markdown}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&generator::diff::json(&changes)).expect("the JSON form parses");
        assert_eq!(json["breaking"], scenario.breaking, "{name}");

        let crate_name = format!("scenario_{name}");
        fixtures::write_crate("scenarios", &crate_name, &after.files);
        crates.push(crate_name);
    }
    if let Err(errors) = fixtures::check_crates("scenarios", &crates) {
        panic!("regenerated scenario SDKs do not compile:\n{errors}");
    }
}

#[test]
fn an_unchanged_spec_has_no_changes() {
    let base = scenario_dir().join("base.yaml");
    let api = generator::api(&generator::Config::beside(&base)).expect("base lowers");
    let changes = generator::diff::diff(&api, &api);
    assert!(changes.is_empty());
    assert_eq!(
        generator::diff::markdown(&changes),
        "No changes for SDK users.\n"
    );
}
