//! `generator diff` against the compiler, on the real spec: for each single change of
//! `semver/scenarios.yaml` the SDK is regenerated into a scratch workspace, cargo-semver-checks
//! compares its public API with the committed SDK's, the downstream crate (`tests/downstream`) is
//! compiled against it unchanged, and the diff's verdict (breaking or not) must be the compiler's.
//!
//! The compiler's verdict is "major" when cargo-semver-checks finds a major change or, where it
//! finds none, when the downstream crate stops compiling. The second judge exists because
//! cargo-semver-checks 0.51 does not lint a field's type changing (`Option<String>` -> `String`,
//! `String` -> `i64` pass as minor) nor the output of a future (`list_tags()` yielding
//! `ListTagsOutput` instead of `Vec<Tag>`); a downstream use of the field or result is what breaks.
//!
//! It needs cargo-semver-checks 0.51 (`cargo install --locked cargo-semver-checks --version
//! 0.51.0`), so it is ignored by default; `.ci/run` installs the tool and runs it:
//! `cargo nextest run -p dixa-tests --test semver --run-ignored only` (`SEMVER_ONLY=a,b` runs only the
//! scenarios named).
//!
//! To stay lean on two cores, the baseline's rustdoc JSON is built once per run, every scenario
//! builds its own rustdoc JSON once and hands both files to cargo-semver-checks (which then builds
//! nothing), and all builds share one target directory, so dependencies compile once.

use generator::policy::Overrides;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    change: String,
    patches: Vec<serde_json::Value>,
    expect: Vec<String>,
    breaking: bool,
}

/// What one scenario came to.
struct Outcome {
    name: String,
    change: String,
    expected: bool,
    diff_breaking: bool,
    diff_markdown: String,
    /// The lints cargo-semver-checks failed, empty when it found no major change.
    semver_major: Vec<String>,
    /// `None` when not compiled (cargo-semver-checks already found a major change), else the
    /// compiler's errors (empty when it compiled).
    downstream: Option<String>,
    seconds: f64,
}

impl Outcome {
    fn compiler_breaking(&self) -> bool {
        !self.semver_major.is_empty() || self.downstream.as_ref().is_some_and(|e| !e.is_empty())
    }
}

fn root() -> PathBuf {
    dixa_tests::root()
}

/// The project's generator configuration for a spec at `spec`: its overrides, renames, lock of
/// names (read only; nothing here writes it) and webhooks description.
fn config(spec: &Path) -> generator::Config {
    let mut config = generator::Config::beside(spec);
    config.overrides = Some(root().join("spec/overrides.yaml"));
    config.renames = Some(root().join("spec/renames.yaml"));
    config.lock = Some(root().join("spec/names.lock"));
    config.webhooks = Some(root().join("spec/webhooks.yaml"));
    config
}

/// Writes the real spec with a scenario's patches applied (as JSON, which is YAML) and returns its
/// path. The project's overrides apply on top, as they do to the real spec.
fn patched_spec(work: &Path, name: &str, scenario: &Scenario) -> PathBuf {
    let spec = root().join("spec/dixa-api.yaml");
    let text = std::fs::read_to_string(&spec).expect("the spec is readable");
    let mut tree = generator::load::parse_yaml(&spec, &text).expect("the spec parses");
    let patches: Vec<serde_json::Value> = scenario
        .patches
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p["reason"] = serde_json::json!(name);
            p
        })
        .collect();
    Overrides::from_str(
        Path::new(name),
        &serde_json::json!({ "patches": patches }).to_string(),
    )
    .and_then(|o| o.apply(&mut tree))
    .unwrap_or_else(|e| panic!("{name}: the scenario's patches do not apply: {e}"));
    let dir = work.join("specs").join(name);
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    let path = dir.join("dixa-api.yaml");
    std::fs::write(&path, serde_json::to_string(&tree).expect("serializable"))
        .expect("target/ is writable");
    path
}

/// Copies a directory tree (the downstream crate's sources; no build output in it).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("target/ is writable");
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("readable");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &target);
            }
        } else {
            std::fs::copy(entry.path(), &target).expect("copyable");
        }
    }
}

/// The scratch workspace: the SDK as `generated/` and the downstream crate as `tests/downstream/`,
/// the same relative places as in this repository, so the downstream crate's `Cargo.toml` (path
/// dependency `../../generated`) is used unchanged.
fn scratch_workspace(work: &Path) -> PathBuf {
    let ws = work.join("ws");
    let _ = std::fs::remove_dir_all(&ws);
    std::fs::create_dir_all(&ws).expect("target/ is writable");
    std::fs::write(
        ws.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"generated\", \"tests/downstream\"]\n",
    )
    .expect("target/ is writable");
    // The main workspace's lock, so the scratch builds use the same dependency versions offline.
    std::fs::copy(root().join("Cargo.lock"), ws.join("Cargo.lock")).expect("copyable");
    copy_dir(
        &root().join("tests/downstream"),
        &ws.join("tests/downstream"),
    );
    ws
}

/// A cargo command in the scratch workspace with the shared target directory. The environment is
/// the same for every build (no flags inherited from the test run, `RUSTC_BOOTSTRAP` always set),
/// so rustdoc and check builds reuse each other's dependencies instead of rebuilding them.
fn cargo(ws: &Path, work: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.current_dir(ws)
        .env("CARGO_TARGET_DIR", work.join("target"))
        // Rustdoc's JSON output is unstable; cargo-semver-checks builds it on stable the same way.
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    cmd
}

fn run(mut cmd: Command, what: &str) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("could not run {what}: {e}"))
}

/// Builds the SDK's rustdoc JSON (every feature, as cargo-semver-checks would) and copies it to
/// `to`.
fn rustdoc_json(ws: &Path, work: &Path, to: &Path) {
    let mut cmd = cargo(ws, work);
    cmd.args([
        "rustdoc",
        "--offline",
        "--quiet",
        "-p",
        "dixa",
        "--lib",
        "--all-features",
        "--",
        "-Z",
        "unstable-options",
        "--output-format",
        "json",
    ]);
    let out = run(cmd, "cargo rustdoc");
    assert!(
        out.status.success(),
        "rustdoc JSON of the SDK failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::copy(work.join("target/doc/dixa.json"), to).expect("rustdoc wrote dixa.json");
}

/// `cargo check` of the downstream crate: its errors, empty when it compiles.
fn check_downstream(ws: &Path, work: &Path) -> String {
    let mut cmd = cargo(ws, work);
    cmd.args([
        "check",
        "--offline",
        "--quiet",
        "-p",
        "dixa-downstream",
        "--message-format",
        "short",
    ]);
    let out = run(cmd, "cargo check");
    if out.status.success() {
        String::new()
    } else {
        let errors = String::from_utf8_lossy(&out.stderr).into_owned();
        // An empty message would read as "compiles"; a failure always says something.
        if errors.trim().is_empty() {
            "cargo check failed without output".to_owned()
        } else {
            errors
        }
    }
}

/// Runs cargo-semver-checks on two rustdoc JSON files and returns the failed lints that require a
/// major version (empty when none does).
fn semver_checks(baseline: &Path, current: &Path) -> Vec<String> {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.args(["semver-checks", "check-release", "--color", "never"])
        .arg("--baseline-rustdoc")
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        // The crates have the same version; "minor" makes only major-level lints fail.
        .args(["--release-type", "minor"]);
    let out = run(cmd, "cargo semver-checks");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // It exits 0 when no lint requires more than the release type, and non-zero both when one does
    // (the summary then says so) and when it could not run at all.
    match out.status.code() {
        Some(0) => Vec::new(),
        Some(_) if text.contains("requires new major version") => {
            let lints: Vec<String> = text
                .lines()
                .filter_map(|l| l.trim().strip_prefix("--- failure "))
                .map(|l| l.split(':').next().unwrap_or(l).trim().to_owned())
                .collect();
            if lints.is_empty() {
                vec!["(unnamed major lint)".to_owned()]
            } else {
                lints
            }
        }
        _ => panic!(
            "cargo-semver-checks did not run (install it with `cargo install --locked \
             cargo-semver-checks --version 0.51.0`):\n{text}"
        ),
    }
}

fn verdict(breaking: bool) -> &'static str {
    if breaking {
        "breaking"
    } else {
        "not breaking"
    }
}

/// The Markdown table of the outcomes, for the failure message and `target/semver/report.md`.
fn report(outcomes: &[Outcome], total: f64) -> String {
    let mut out = String::from(
        "| scenario | change | `generator diff` | cargo-semver-checks | downstream crate | compiler | s |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for o in outcomes {
        let semver = if o.semver_major.is_empty() {
            "minor/none".to_owned()
        } else {
            format!("major: {}", o.semver_major.join(", "))
        };
        let downstream = match &o.downstream {
            None => "not needed",
            Some(e) if e.is_empty() => "compiles",
            Some(_) => "does not compile",
        };
        let mark = if o.diff_breaking == o.compiler_breaking() {
            ""
        } else {
            " **(disagree)**"
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {semver} | {downstream} | {}{mark} | {:.1} |",
            o.name,
            o.change,
            verdict(o.diff_breaking),
            verdict(o.compiler_breaking()),
            o.seconds
        );
    }
    let _ = writeln!(out, "\nSuite wall time: {total:.0} s");
    out
}

#[test]
#[ignore = "needs cargo-semver-checks 0.51 and a few minutes; .ci/run runs it"]
fn diff_verdicts_match_the_compiler_on_the_real_spec() {
    let start = Instant::now();
    let work = root().join("target/semver");
    let text = std::fs::read_to_string(root().join("tests/semver/scenarios.yaml"))
        .expect("scenarios.yaml is readable");
    let mut scenarios: BTreeMap<String, Scenario> =
        serde_yaml::from_str(&text).expect("scenarios.yaml parses");
    // `SEMVER_ONLY=a,b` runs only those scenarios, for working on one of them.
    if let Ok(only) = std::env::var("SEMVER_ONLY") {
        let only: Vec<&str> = only.split(',').map(str::trim).collect();
        for name in &only {
            assert!(
                scenarios.contains_key(*name),
                "SEMVER_ONLY: no scenario {name}"
            );
        }
        scenarios.retain(|name, _| only.contains(&name.as_str()));
    }

    // The baseline: the committed SDK, which must be what the generator writes from the spec.
    let spec = root().join("spec/dixa-api.yaml");
    let base = generator::generate(&config(&spec)).expect("the spec generates");
    let drift = generator::check(&base.files, &root().join("generated")).expect("comparable");
    assert!(
        drift.is_empty(),
        "generated/ is stale; run `cargo run -p generator` first"
    );
    let base_api = generator::api(&config(&spec)).expect("the spec lowers");
    let ws = scratch_workspace(&work);
    generator::write(&base.files, &ws.join("generated")).expect("writable");
    let baseline_json = work.join("baseline.json");
    rustdoc_json(&ws, &work, &baseline_json);
    let errors = check_downstream(&ws, &work);
    assert!(
        errors.is_empty(),
        "the downstream crate does not compile against the committed SDK:\n{errors}"
    );
    eprintln!("baseline ready in {:.0} s", start.elapsed().as_secs_f64());

    let mut outcomes = Vec::new();
    for (name, scenario) in &scenarios {
        let scenario_start = Instant::now();
        let path = patched_spec(&work, name, scenario);
        let after = generator::generate(&config(&path)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let after_api = generator::api(&config(&path)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let changes = generator::diff::diff(&base_api, &after_api);
        let diff_markdown = generator::diff::markdown(&changes);

        generator::write(&after.files, &ws.join("generated")).expect("writable");
        let current_json = work.join("current.json");
        rustdoc_json(&ws, &work, &current_json);
        let semver_major = semver_checks(&baseline_json, &current_json);
        // Where cargo-semver-checks already found a major change, compiling the downstream crate
        // cannot change the verdict; elsewhere it is the judge of what semver-checks cannot see,
        // and the proof that additive changes leave users' code compiling.
        let downstream = semver_major
            .is_empty()
            .then(|| check_downstream(&ws, &work));
        let outcome = Outcome {
            name: name.clone(),
            change: scenario.change.clone(),
            expected: scenario.breaking,
            diff_breaking: generator::diff::has_breaking(&changes),
            diff_markdown,
            semver_major,
            downstream,
            seconds: scenario_start.elapsed().as_secs_f64(),
        };
        eprintln!(
            "{name}: diff {}, compiler {} ({:.0} s)",
            verdict(outcome.diff_breaking),
            verdict(outcome.compiler_breaking()),
            outcome.seconds
        );
        for expected in &scenario.expect {
            assert!(
                outcome.diff_markdown.contains(expected.as_str()),
                "{name}: expected {expected:?} in the diff:\n{}",
                outcome.diff_markdown
            );
        }
        outcomes.push(outcome);
    }

    let table = report(&outcomes, start.elapsed().as_secs_f64());
    std::fs::write(work.join("report.md"), &table).expect("target/ is writable");
    eprintln!("{table}");
    let mut failures = String::new();
    for o in &outcomes {
        if o.diff_breaking != o.compiler_breaking() {
            let _ = writeln!(
                failures,
                "{}: `generator diff` says {} but the compiler says {}\n  diff:\n{}",
                o.name,
                verdict(o.diff_breaking),
                verdict(o.compiler_breaking()),
                o.diff_markdown.trim_end()
            );
        }
        if o.compiler_breaking() != o.expected {
            let _ = writeln!(
                failures,
                "{}: the scenario is meant to be {} but the compiler says {}",
                o.name,
                verdict(o.expected),
                verdict(o.compiler_breaking())
            );
        }
        // A breaking scenario is expected to break the downstream crate; an additive one is not.
        if let Some(errors) = o
            .downstream
            .as_ref()
            .filter(|e| !o.expected && !e.is_empty())
        {
            let _ = writeln!(
                failures,
                "{}: the downstream crate does not compile:\n{errors}",
                o.name
            );
        }
    }
    assert!(failures.is_empty(), "{table}\n{failures}");
}
