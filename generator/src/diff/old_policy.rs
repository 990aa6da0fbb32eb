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
/// working directory, where `spec/` is the project's. A revision git does not know is an error. A
/// rename table written before id places took evidence is upgraded (`with_id_evidence`).
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
            let text = if name == "renames.yaml" {
                with_id_evidence(&shown.stdout, rev).map_err(|message| Error::Yaml {
                    path: PathBuf::from(format!("{rev}:spec/{name}")),
                    message,
                })?
            } else {
                shown.stdout
            };
            std::fs::write(&path, text).map_err(|source| Error::Io { path, source })?;
            copied.push(name);
        } else if path.exists() {
            // A file from an earlier run must not stand in for one this revision lacks.
            std::fs::remove_file(&path).map_err(|source| Error::Io { path, source })?;
        }
    }
    Ok(copied)
}

/// A rename table of `rev` in the form today's generator reads. Until 0.3 the `ids:` table listed
/// its places (`schemas: [Agent]`) where it now maps each to its evidence; a listed place is
/// mapped to a note saying so, and the places themselves are kept. A table already in today's form
/// is returned as it is.
fn with_id_evidence(text: &[u8], rev: &str) -> std::result::Result<Vec<u8>, String> {
    let mut doc: serde_yaml::Value = serde_yaml::from_slice(text).map_err(|e| e.to_string())?;
    let note = serde_yaml::Value::String(format!(
        "listed by the ids table of {rev}, which recorded no evidence"
    ));
    let mut upgraded = false;
    let ids = doc
        .get_mut("ids")
        .and_then(serde_yaml::Value::as_mapping_mut);
    for (_, spec) in ids.into_iter().flat_map(|ids| ids.iter_mut()) {
        for key in ["schemas", "properties", "params"] {
            let Some(places) = spec.get_mut(key) else {
                continue;
            };
            if let Some(list) = places.as_sequence() {
                let mapped: serde_yaml::Mapping = list
                    .iter()
                    .map(|place| (place.clone(), note.clone()))
                    .collect();
                *places = serde_yaml::Value::Mapping(mapped);
                upgraded = true;
            }
        }
    }
    if !upgraded {
        return Ok(text.to_vec());
    }
    serde_yaml::to_string(&doc)
        .map(String::into_bytes)
        .map_err(|e| e.to_string())
}

fn git(args: &[&str]) -> std::io::Result<std::process::Output> {
    Command::new("git").args(args).output()
}

#[cfg(test)]
mod tests {
    use super::with_id_evidence;

    #[test]
    fn listed_id_places_are_mapped_to_a_note_and_mapped_ones_kept() {
        let old = "types: {}\nids:\n  AgentId:\n    raw: uuid\n    schemas: [Agent]\n    \
                   params:\n      - agentId\n";
        let upgraded = with_id_evidence(old.as_bytes(), "abc123").expect("upgradable");
        let doc: serde_yaml::Value = serde_yaml::from_slice(&upgraded).expect("YAML");
        let note = "listed by the ids table of abc123, which recorded no evidence";
        assert_eq!(
            doc["ids"]["AgentId"]["schemas"]["Agent"].as_str(),
            Some(note)
        );
        assert_eq!(
            doc["ids"]["AgentId"]["params"]["agentId"].as_str(),
            Some(note)
        );
        assert_eq!(doc["ids"]["AgentId"]["raw"].as_str(), Some("uuid"));
        // Today's form is left byte for byte as it is (comments included).
        let today = "# kept\nids:\n  AgentId:\n    raw: uuid\n    schemas:\n      Agent: itself\n";
        let same = with_id_evidence(today.as_bytes(), "abc123").expect("readable");
        assert_eq!(same, today.as_bytes());
        assert!(with_id_evidence(b"ids: [", "abc123").is_err());
    }
}
