//! The diff as a report: Markdown for people, JSON for tools.

use super::{has_breaking, Change};
use std::fmt::Write;

/// The changes as Markdown, for people and for `CHANGELOG.md`.
pub fn markdown(changes: &[Change]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        out.push_str("No changes for SDK users.\n");
        return out;
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    let _ = writeln!(
        out,
        "{} changes for SDK users, {breaking} breaking.\n",
        changes.len()
    );
    for (title, kind) in [("Operations", "operation"), ("Types", "type")] {
        let of_kind: Vec<&Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for c in of_kind {
            let mark = if c.breaking { "**breaking** " } else { "" };
            let _ = writeln!(out, "- {mark}`{}`: {}", c.item, c.change);
        }
        out.push('\n');
    }
    out
}

/// The changes as JSON, for machines.
pub fn json(changes: &[Change]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "breaking": has_breaking(changes),
        "changes": changes,
    }))
    .unwrap_or_default()
}
