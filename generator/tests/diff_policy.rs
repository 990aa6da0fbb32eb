//! `generator diff --old-policy DIR` and `--old-rev REV`: the changes a release made through the
//! project's policy alone (renames, id types, overrides), on one spec read under two policies.
//!
//! `tests/fixtures/policy-0.2/` holds the policy of 0.2 as commit 0ff1812 had it (the last commit of
//! 0.2, before issue 21's changes were merged): its overrides, names lock and webhooks description
//! byte for byte, and its rename table with each id place mapped to a note, because today's
//! generator reads id places only with their evidence (the places are the same). Comparing the real
//! spec under that policy and under today's must list the rows of CHANGELOG.md's 0.3.0 migration
//! tables, and every breaking change it lists must be in those tables. `tests/fixtures/policy-0.2.0/`
//! is the policy of the 0.2.0 release commit (c548864), before the typed ids of issue 11, which 0.3.0
//! also brings: the same holds from there.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn policy_02() -> PathBuf {
    fixture("policy-0.2")
}

/// The policy of the 0.2.0 release commit (c548864), byte for byte: no lock and no webhooks
/// description yet, and no id types.
fn policy_020() -> PathBuf {
    fixture("policy-0.2.0")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs the generator in the repository's root: (exit status, stdout, stderr).
fn generator(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the generator runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The breaking and non-breaking changes from 0.2's policy to today's, as `(item, change, breaking)`.
fn changes_since_02() -> Vec<(String, String, bool)> {
    changes_since(&policy_02())
}

/// The changes from the policy in `dir` to today's, as `(item, change, breaking)`.
fn changes_since(dir: &Path) -> Vec<(String, String, bool)> {
    let (code, out, err) = generator(&[
        "diff",
        "--old-policy",
        dir.to_str().expect("a UTF-8 path"),
        "spec/dixa-api.yaml",
        "spec/dixa-api.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(1), "breaking changes expected:\n{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("the report is JSON");
    report["changes"]
        .as_array()
        .expect("a list of changes")
        .iter()
        .map(|c| {
            (
                c["item"].as_str().expect("item").to_owned(),
                c["change"].as_str().expect("change").to_owned(),
                c["breaking"].as_bool().expect("breaking"),
            )
        })
        .collect()
}

/// The table rows of CHANGELOG.md's 0.3.0 section (the migration tables).
fn migration_rows() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("CHANGELOG.md")).expect("CHANGELOG.md");
    let start = text.find("\n## 0.3.0").expect("a 0.3.0 section");
    let end = text[start + 1..]
        .find("\n## ")
        .map_or(text.len(), |i| start + 1 + i);
    text[start..end]
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("| ---") && !l.starts_with("|---"))
        .map(str::to_owned)
        .collect()
}

/// Whether `word` occurs in `text` as a whole identifier.
fn has_word(text: &str, word: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(ident)
            && !text[i + word.len()..].chars().next().is_some_and(ident)
    })
}

/// The text between the first pair of backticks after `marker` in `change`.
fn quoted_after<'a>(change: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &change[change.find(marker)? + marker.len()..];
    let rest = &rest[rest.find('`')? + 1..];
    Some(&rest[..rest.find('`')?])
}

#[test]
fn the_policy_of_0_2_against_today_lists_the_migration_rows() {
    let changes = changes_since_02();
    let found = |item: &str, change: &str| {
        changes
            .iter()
            .any(|(i, c, breaking)| *breaking && i == item && c.contains(change))
    };
    // Rows of CHANGELOG.md's tables, one per kind of policy change.
    for (item, change) in [
        // Names: renames of numbered types.
        ("models::Queue1", "renamed to `models::QueueDetails`"),
        ("models::Team1", "renamed to `models::TeamDetails`"),
        ("models::IsOneOf1", "renamed to `models::ChannelIsOneOf`"),
        ("models::IsNotOneOf5", "renamed to `models::WebhookFieldIsNotOneOf`"),
        ("models::Text1", "renamed to `models::FormTextValue`"),
        ("models::TranslationInput1", "renamed to `models::ArticleTranslationUpdate`"),
        // Date-times: overrides of string fields.
        (
            "models::UserPresence.request_time",
            "changed from `String` to `dixa::DateTime`",
        ),
        (
            "models::UserPresence.last_seen",
            "changed from optional `String` to optional `dixa::DateTime`",
        ),
        (
            "models::CreateMessageOutputData.created_at",
            "changed from optional `String` to optional `dixa::DateTime`",
        ),
        (
            "models::ConversationRatingScheduledAttribute.rating_scheduled_time",
            "changed from `String` to `dixa::DateTime`",
        ),
        // Ids: id types on strings, UUIDs and integers.
        ("models::TeamMember.id", "changed from `String` to `AgentId`"),
        ("models::BulkPatchAgentInput.id", "changed from `String` to `AgentId`"),
        ("models::InternalNoteData.csid", "changed from `i64` to `ConversationId`"),
        (
            "models::ConversationSearchHit.id",
            "changed from `i64` to `ConversationId`",
        ),
        ("models::UserPresence.user_id", "changed from `String` to `AgentId`"),
        (
            "models::GetMetricDataInput.csid_filter",
            "changed from optional `Vec<i64>` to optional `Vec<ConversationId>`",
        ),
        (
            "GET /beta/analytics/metrics/{metricId}",
            "`client.analytics().get_metric` changed from (`metricId` `String`) to (`metricId` `MetricId`)",
        ),
        // Value lists: the enum types named by the policy (see the Nulls table's note).
        ("models::Key", "renamed to `models::QueueThreshold`"),
        ("models::IsNotOneOf1Values", "renamed to `models::SearchChannel`"),
    ] {
        assert!(
            found(item, change),
            "no breaking `{item}`: {change}, in:\n{changes:#?}"
        );
    }
    // A renamed type whose place is the same is not offered a rename-table entry to keep its old
    // name: the rename table made the name.
    assert!(
        changes
            .iter()
            .all(|(_, c, _)| !c.contains("to keep `Queue1`")),
        "{changes:#?}"
    );
}

#[test]
fn every_breaking_change_from_0_2_policy_is_in_the_migration_tables() {
    all_breaking_changes_in_the_tables(&changes_since_02());
}

#[test]
fn every_breaking_change_from_the_0_2_0_release_policy_is_in_the_migration_tables() {
    let changes = changes_since(&policy_020());
    // The typed ids of 0.3 (issue 11) besides issue 21's changes.
    let found = |item: &str, change: &str| {
        changes
            .iter()
            .any(|(i, c, breaking)| *breaking && i == item && c.contains(change))
    };
    for (item, change) in [
        ("models::Agent.id", "changed from `uuid::Uuid` to `AgentId`"),
        ("models::Tag.id", "changed from `uuid::Uuid` to `TagId`"),
        ("models::QueueId", "renamed to `models::QueueIdFilter`"),
        ("models::QueueId", "now names another type"),
        (
            "GET /beta/agents/{agentId}",
            "`client.agents().get_agent` changed from (`agentId` `uuid::Uuid`) to (`agentId` `AgentId`)",
        ),
        ("models::Queue1", "renamed to `models::QueueDetails`"),
        (
            "models::UserPresence.request_time",
            "changed from `String` to `dixa::DateTime`",
        ),
    ] {
        assert!(
            found(item, change),
            "no breaking `{item}`: {change}, in:\n{changes:#?}"
        );
    }
    all_breaking_changes_in_the_tables(&changes);
}

/// Fails naming every breaking change of `changes` that no row of CHANGELOG.md's 0.3.0 tables
/// mentions: an operation by its method, a field by its type and field names in one row, a rename
/// by its old and new names in one row, anything else by its type name.
fn all_breaking_changes_in_the_tables(changes: &[(String, String, bool)]) {
    let rows = migration_rows();
    assert!(rows.len() > 100, "the 0.3.0 tables: {} rows", rows.len());
    let in_a_row = |words: &[&str]| rows.iter().any(|r| words.iter().all(|w| has_word(r, w)));
    let mut missing = Vec::new();
    assert!(changes.iter().filter(|c| c.2).count() > 100, "{changes:#?}");
    for (item, change, breaking) in changes {
        if !breaking {
            continue;
        }
        let words: Vec<&str> = match item.split_once("::") {
            // An operation: its method.
            None => {
                let call = quoted_after(change, "parameters of").unwrap_or(item);
                vec![call.rsplit('.').next().unwrap_or(call)]
            }
            Some((_, path)) => match path.split_once('.') {
                // A field: the type and the field in one row.
                Some((ty, field)) => vec![ty, field],
                // A rename: old and new name in one row; anything else: the type.
                None => match quoted_after(change, "renamed to") {
                    Some(new) => vec![path, new.rsplit("::").next().unwrap_or(new)],
                    None => vec![path],
                },
            },
        };
        if !in_a_row(&words) {
            missing.push(format!(
                "{item}: {change} (looked for {words:?} in one row)"
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "breaking changes from an earlier policy missing from CHANGELOG.md's 0.3.0 tables:\n{}",
        missing.join("\n")
    );
}

#[test]
fn old_rev_reads_the_policy_from_git() {
    // The committed policy of HEAD: every file is there, and the report is a report.
    let (code, out, err) = generator(&[
        "diff",
        "--old-rev",
        "HEAD",
        "spec/dixa-api.yaml",
        "spec/dixa-api.yaml",
    ]);
    assert!(matches!(code, Some(0 | 1)), "{out}{err}");
    assert!(
        err.contains(
            "note: the old side is read with the policy of HEAD: overrides.yaml, renames.yaml, \
             names.lock, webhooks.yaml"
        ),
        "{err}"
    );
    assert!(
        out.contains("changes for SDK users") || out.contains("No changes"),
        "{out}"
    );

    let (code, _, err) = generator(&[
        "diff",
        "--old-rev",
        "no-such-revision-anywhere",
        "spec/dixa-api.yaml",
        "spec/dixa-api.yaml",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("`no-such-revision-anywhere` is not a git revision"),
        "{err}"
    );
}

/// The commit the fixture was taken from, read from git: the same report, because `--old-rev`
/// upgrades the listed id places as the fixture does. A clone without that commit (a shallow CI
/// checkout) cannot run this comparison, and says so.
#[test]
fn old_rev_of_0_2_gives_the_fixture_report() {
    let known = Command::new("git")
        .args(["cat-file", "-e", "0ff1812^{commit}"])
        .current_dir(root())
        .status()
        .is_ok_and(|s| s.success());
    if !known {
        eprintln!("skipped: commit 0ff1812 is not in this clone (shallow?)");
        return;
    }
    let spec = "spec/dixa-api.yaml";
    let (code, from_git, err) = generator(&["diff", "--old-rev", "0ff1812", spec, spec]);
    assert_eq!(code, Some(1), "{from_git}{err}");
    let dir = policy_02();
    let dir = dir.to_str().expect("a UTF-8 path");
    let (_, from_fixture, _) = generator(&["diff", "--old-policy", dir, spec, spec]);
    assert_eq!(from_git, from_fixture);
    assert!(from_git.contains("`models::Queue1`: renamed to `models::QueueDetails`"));
}

#[test]
fn old_policy_must_be_a_directory() {
    let (code, _, err) = generator(&[
        "diff",
        "--old-policy",
        "/nonexistent/policy",
        "spec/dixa-api.yaml",
        "spec/dixa-api.yaml",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("/nonexistent/policy"), "{err}");
}

#[test]
fn the_same_policy_as_a_directory_changes_nothing() {
    // Today's policy read from `spec/` as an old policy directory: both sides are the same SDK.
    let (code, out, err) = generator(&[
        "diff",
        "--old-policy",
        "spec",
        "spec/dixa-api.yaml",
        "spec/dixa-api.yaml",
    ]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out, "No changes for SDK users.\n");
}
