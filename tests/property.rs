//! Property test: random instances of every component schema survive a round trip through the
//! SDK's types. Each instance is made by json-schema-faker (the generator Prism uses for dynamic
//! responses) from the wire spec and kept only when a validator that knows OpenAPI 3.0 accepts it
//! (`tests/prism/random-instances.mjs`); it must decode into its `dixa::models` type and encode back
//! to equivalent JSON (`wire::differences`: date-time forms, null for absent).
//!
//! CI runs the fixed seeds below; `DIXA_RANDOM_SEEDS=7,8` runs others (`DIXA_RANDOM_COUNT=20`
//! fewer instances), and a failure names its seed and prints the instance in full. The test needs `npm ci` in `tests/prism` (done by
//! `.ci/run`), so it is ignored otherwise: `cargo nextest run -p dixa-tests --test property
//! --run-ignored all`.

use dixa_tests::random::{self, Target, Targets};
use dixa_tests::{dispatch, wire};
use generator::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// The seeds CI runs, one node process each.
const SEEDS: &[&str] = &["1", "2"];

/// Instances kept per schema and seed: with two seeds, 300 per schema.
const PER_SEED: usize = 150;

/// Failures printed in full; the rest are counted by schema.
const SHOWN: usize = 20;

#[test]
#[ignore = "needs json-schema-faker: `npm ci` in tests/prism (.ci/run does it)"]
fn random_instances_of_every_component_schema_round_trip() {
    let seeds = random::seeds(SEEDS);
    let per_seed = random::count(PER_SEED);
    let files = file_content_schemas();
    let mut kept: BTreeMap<String, usize> = dispatch::SCHEMAS
        .iter()
        .filter(|k| !files.contains(**k))
        .map(|k| ((*k).to_owned(), 0))
        .collect();
    // Failures by schema, and the first few in full (a broken type may fail every instance).
    let mut failed: BTreeMap<String, usize> = BTreeMap::new();
    let mut shown: Vec<String> = Vec::new();
    let run = random::for_each_instance(Targets::Schemas, &seeds, per_seed, |instance| {
        let Target::Schema(key) = &instance.target else {
            return;
        };
        if files.contains(key) {
            return;
        }
        *kept.entry(key.clone()).or_default() += 1;
        if let Some(why) = round_trip_failure(key, &instance.value) {
            *failed.entry(key.clone()).or_default() += 1;
            if shown.len() < SHOWN {
                shown.push(format!(
                    "{}: {why}\n  instance: {}",
                    instance.origin(),
                    instance.value
                ));
            }
        }
    });
    if let Err(e) = run {
        panic!("no random instances: {e}");
    }

    // Too few instances of a schema (the validator refusing most of what the generator makes)
    // would make its round trip pass without having been tried.
    let wanted = per_seed * seeds.len();
    let starved: Vec<String> = kept
        .iter()
        .filter(|(_, n)| **n < wanted / 2)
        .map(|(key, n)| format!("{key} ({n} of {wanted})"))
        .collect();

    let failures: usize = failed.values().sum();
    println!(
        "property: {} random instances of {} component schemas (seeds {}, {}..={} kept per schema; \
         {} left out as file content: {}), {failures} do not round-trip",
        kept.values().sum::<usize>(),
        kept.len(),
        seeds.join(","),
        kept.values().min().copied().unwrap_or(0),
        kept.values().max().copied().unwrap_or(0),
        files.len(),
        files.iter().cloned().collect::<Vec<_>>().join(", "),
    );
    let mut report = Vec::new();
    if failures > 0 {
        report.push(format!(
            "{failures} random instances do not round-trip (by schema: {}):",
            failed
                .iter()
                .map(|(k, n)| format!("{k} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        report.extend(shown);
        if failures > SHOWN {
            report.push(format!("... and {} more", failures - SHOWN));
        }
    }
    if !starved.is_empty() {
        report.push(format!(
            "schemas with fewer than half of their instances kept: {}",
            starved.join(", ")
        ));
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// Why `value` does not round-trip through the SDK type of schema `key`, or `None` when it does.
fn round_trip_failure(key: &str, value: &serde_json::Value) -> Option<String> {
    match dispatch::round_trip(key, value) {
        None => Some("no SDK type for this schema".to_owned()),
        Some(Err(e)) => Some(e),
        Some(Ok(encoded)) => {
            let differences = wire::differences(value, &encoded);
            (!differences.is_empty())
                .then(|| format!("{}\n  the SDK wrote: {encoded}", differences.join("\n  ")))
        }
    }
}

/// The component schemas whose type holds file content (`format: binary`), directly or through
/// other types. File content has no JSON form: it travels only as a part of a
/// `multipart/form-data` body (what the SDK sends there is checked by `client.rs`), so a JSON
/// round trip of such a schema says nothing about the wire.
fn file_content_schemas() -> BTreeSet<String> {
    let spec = dixa_tests::root().join("spec/dixa-api.yaml");
    let api = match generator::api(&generator::Config::beside(spec)) {
        Ok(api) => api,
        Err(e) => panic!("the spec lowers: {e}"),
    };
    let by_name: BTreeMap<&str, &TypeDef> =
        api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    api.types
        .iter()
        .filter(|t| {
            holds_file(
                &TypeRef::Named(t.name.clone()),
                &by_name,
                &mut BTreeSet::new(),
            )
        })
        .filter_map(|t| t.origin.strip_prefix("#/components/schemas/"))
        .map(|key| key.replace("~1", "/").replace("~0", "~"))
        .collect()
}

fn holds_file(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>, seen: &mut BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::KeyedMap(_, inner) => {
            holds_file(inner, types, seen)
        }
        TypeRef::Named(name) => {
            let Some(def) = types.get(name.as_str()) else {
                return false;
            };
            if !seen.insert(def.name.to_string()) {
                return false;
            }
            match &def.kind {
                TypeKind::Struct { fields } => {
                    fields.iter().any(|f| holds_file(&f.ty, types, seen))
                }
                TypeKind::Alias { target } => holds_file(target, types, seen),
                TypeKind::Untagged { variants } => {
                    variants.iter().any(|v| holds_file(&v.ty, types, seen))
                }
                TypeKind::TaggedUnion { variants, .. } => variants
                    .iter()
                    .any(|v| holds_file(&TypeRef::Named(v.ty.clone()), types, seen)),
                TypeKind::StringEnum { .. } | TypeKind::Id { .. } => false,
            }
        }
        _ => false,
    }
}
