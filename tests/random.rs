//! Random instances of the spec's schemas, made by `tests/prism/random-instances.mjs`
//! (json-schema-faker, kept only when a validator that knows OpenAPI 3.0 accepts them against the
//! wire spec). Shared by the property test (`property.rs`) and the request side of the
//! contract tests.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Command;

/// What an instance is an instance of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// A component schema, by key.
    Schema(String),
    /// The JSON request body of an operation, by operationId.
    Operation(String),
}

/// One random instance.
#[derive(Debug, Clone)]
pub struct Instance {
    /// What it is an instance of.
    pub target: Target,
    /// The seed that made it.
    pub seed: String,
    /// Its position in its seed's stream for its target.
    pub index: u64,
    /// The instance.
    pub value: Value,
}

impl Instance {
    /// Where the instance comes from, to reproduce it: the target, the seed and the index.
    pub fn origin(&self) -> String {
        let target = match &self.target {
            Target::Schema(key) => format!("schema {key}"),
            Target::Operation(id) => format!("request body of {id}"),
        };
        format!("{target} (seed {}, instance {})", self.seed, self.index)
    }
}

/// Which targets to generate.
#[derive(Debug, Clone, Copy)]
pub enum Targets {
    /// Every component schema.
    Schemas,
    /// Every JSON request body.
    Operations,
}

/// The seeds of a test: `DIXA_RANDOM_SEEDS` (comma-separated) when set, otherwise the fixed ones
/// CI runs with.
pub fn seeds(fixed: &[&str]) -> Vec<String> {
    match std::env::var("DIXA_RANDOM_SEEDS") {
        Ok(seeds) if !seeds.trim().is_empty() => {
            seeds.split(',').map(|s| s.trim().to_owned()).collect()
        }
        _ => fixed.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// The instances per target and seed of a test: `DIXA_RANDOM_COUNT` when set, otherwise `fixed`.
pub fn count(fixed: usize) -> usize {
    std::env::var("DIXA_RANDOM_COUNT")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(fixed)
}

/// Generates `count` instances per target and seed (fewer when the validator refuses too many),
/// one node process per seed, in parallel, and hands each to `each` as it is read back (a run
/// holds more than a hundred megabytes of them). `Err` says what failed, with node's output.
pub fn for_each_instance(
    targets: Targets,
    seeds: &[String],
    count: usize,
    mut each: impl FnMut(Instance),
) -> Result<(), String> {
    let root = crate::root();
    let script = root.join("tests/prism/random-instances.mjs");
    if !root
        .join("tests/prism/node_modules/json-schema-faker")
        .exists()
    {
        return Err(
            "json-schema-faker is not installed: run `npm ci` in tests/prism (.ci/run does)".into(),
        );
    }
    let dir = work_dir(targets)?;
    let spec = dir.join("wire-spec.json");
    let tree =
        generator::wire::wire_spec(&generator::Config::beside(root.join("spec/dixa-api.yaml")))
            .map_err(|e| format!("wire spec: {e}"))?;
    std::fs::write(&spec, tree.to_string()).map_err(|e| format!("{}: {e}", spec.display()))?;

    let targets = match targets {
        Targets::Schemas => "schemas",
        Targets::Operations => "operations",
    };
    let mut children = Vec::new();
    for seed in seeds {
        let output = dir.join(format!("seed-{seed}.jsonl"));
        let child = Command::new("node")
            .arg(&script)
            .arg(&spec)
            .arg(&output)
            .args(["--seeds", seed, "--count", &count.to_string()])
            .args(["--targets", targets])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start node: {e}"))?;
        children.push((output, child));
    }
    let mut failures = Vec::new();
    for (output, child) in children {
        let done = child
            .wait_with_output()
            .map_err(|e| format!("node did not finish: {e}"))?;
        let log = String::from_utf8_lossy(&done.stderr).into_owned();
        println!("{}", log.trim_end());
        if !done.status.success() {
            failures.push(format!("node exited with {}: {log}", done.status));
            continue;
        }
        let file =
            std::fs::File::open(&output).map_err(|e| format!("{}: {e}", output.display()))?;
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| format!("{}: {e}", output.display()))?;
            each(parse(&line)?);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// A fresh directory for one run's files.
fn work_dir(targets: Targets) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("dixa-random-{targets:?}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

fn parse(line: &str) -> Result<Instance, String> {
    let mut record: serde_json::Map<String, Value> = serde_json::from_str(line)
        .map_err(|e| format!("bad line from the generator ({e}): {line}"))?;
    let text = |record: &serde_json::Map<String, Value>, key: &str| {
        record.get(key).and_then(Value::as_str).map(str::to_owned)
    };
    let target = match (text(&record, "schema"), text(&record, "operation")) {
        (Some(key), None) => Target::Schema(key),
        (None, Some(id)) => Target::Operation(id),
        _ => return Err(format!("line names no single target: {line}")),
    };
    Ok(Instance {
        seed: text(&record, "seed").unwrap_or_default(),
        index: record.get("index").and_then(Value::as_u64).unwrap_or(0),
        value: record.remove("value").unwrap_or(Value::Null),
        target,
    })
}
