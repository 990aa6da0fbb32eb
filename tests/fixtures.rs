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

/// Runs `cargo check` (all targets, warnings denied) over the fixture crates `names` of `group`,
/// which must have been written with [`write_crate`]. Returns cargo's output on failure.
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
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "check",
            "--workspace",
            "--all-targets",
            "--offline",
            "--quiet",
        ])
        .current_dir(&dir)
        .env(
            "CARGO_TARGET_DIR",
            crate::root().join("target/fixture-target"),
        )
        .env("RUSTFLAGS", "-D warnings")
        // Each fixture crate is checked once per change of the generator: incremental caches would
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
