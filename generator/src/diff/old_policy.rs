//! The old side's policy for `generator diff --old-policy DIR` and `--old-rev REV`.
//!
//! Most of what a release breaks can come from the policy rather than from the spec: a rename in
//! `spec/renames.yaml`, an id type, an override that makes a string a date-time. Reading both sides
//! with today's policy hides those changes, so the old side can be read with the policy files of a
//! directory, or of a git revision (which are copied into a scratch directory first). A file that is
//! absent there is absent from the old side: the old SDK was generated without it.

use crate::error::{Error, Result};
use crate::policy::LOCK_FILE;
use crate::Config;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The policy files, as `spec/` holds them.
pub const POLICY_FILES: [&str; 4] = ["overrides.yaml", "renames.yaml", LOCK_FILE, "webhooks.yaml"];

/// The configuration that reads `spec` with the policy files of `dir`, each one only when it exists
/// there. Nothing is taken from the project's `spec/` or from beside `spec`.
pub fn config_in(spec: &Path, dir: &Path) -> Config {
    let existing = |name: &str| Some(dir.join(name)).filter(|p| p.is_file());
    Config {
        spec: spec.to_owned(),
        overrides: existing("overrides.yaml"),
        renames: existing("renames.yaml"),
        lock: existing(LOCK_FILE),
        webhooks: existing("webhooks.yaml"),
    }
}

/// Copies the policy files of `spec/` as git revision `rev` has them into `into` (created if
/// needed), leaving out the ones `rev` lacks, and returns the names of those copied. Git runs in the
/// working directory, where `spec/` is the project's. A revision git does not know is an error.
pub fn copy_from_rev(rev: &str, into: &Path) -> Result<Vec<&'static str>> {
    let failed = |message: String| Error::Override {
        path: PathBuf::from("spec"),
        message,
    };
    let verify = git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|e| failed(format!("cannot run git to read revision `{rev}`: {e}")))?;
    if !verify.status.success() {
        return Err(failed(format!(
            "`{rev}` is not a git revision of this repository (git rev-parse --verify)"
        )));
    }
    std::fs::create_dir_all(into).map_err(|source| Error::Io {
        path: into.to_owned(),
        source,
    })?;
    let mut copied = Vec::new();
    for name in POLICY_FILES {
        // `./` makes the path relative to the working directory, as the project's `spec/` is.
        let shown = git(&["show", &format!("{rev}:./spec/{name}")])
            .map_err(|e| failed(format!("cannot run git show: {e}")))?;
        let path = into.join(name);
        if shown.status.success() {
            std::fs::write(&path, &shown.stdout).map_err(|source| Error::Io { path, source })?;
            copied.push(name);
        } else if path.exists() {
            // A file from an earlier run must not stand in for one this revision lacks.
            std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
        }
    }
    Ok(copied)
}

fn git(args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new("git").args(args).output()
}
