//! `generator diff OLD NEW` on the real spec against a modified copy: the report names the changes,
//! and the exit status says whether any is breaking (0 no, 1 yes, 2 error).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A copy of the real spec (as JSON, after `edit`) with the project's overrides, renames and
/// webhooks description beside it, in a scratch directory.
fn modified_copy(name: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dixa-diff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let spec = root().join("spec/dixa-api.yaml");
    let text = std::fs::read_to_string(&spec).expect("the spec is readable");
    let mut tree = generator::load::parse_yaml(&spec, &text).expect("the spec parses");
    edit(&mut tree);
    for file in ["overrides.yaml", "renames.yaml", "webhooks.yaml"] {
        std::fs::copy(root().join("spec").join(file), dir.join(file)).expect("copyable");
    }
    let path = dir.join("dixa-api.yaml");
    std::fs::write(&path, serde_json::to_string(&tree).expect("serializable")).expect("writable");
    path
}

fn diff(old: &Path, new: &Path, json: bool) -> (i32, String) {
    let mut args = vec![
        "diff".to_owned(),
        old.display().to_string(),
        new.display().to_string(),
    ];
    if json {
        args.extend(["--format".to_owned(), "json".to_owned()]);
    }
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(&args)
        .current_dir(root())
        .output()
        .expect("the generator runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn the_real_spec_against_itself_has_no_changes() {
    let spec = root().join("spec/dixa-api.yaml");
    let (code, out) = diff(&spec, &spec, false);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.trim(), "No changes for SDK users.");
}

#[test]
fn additions_are_reported_and_not_breaking() {
    let spec = root().join("spec/dixa-api.yaml");
    let new = modified_copy("additions", |tree| {
        let status =
            &mut tree["components"]["schemas"]["Tag"]["properties"]["state"]["description"];
        *status = serde_json::json!("values: [Active, Inactive, Archived]");
        tree["components"]["schemas"]["Tag"]["properties"]["usage"] =
            serde_json::json!({"type": "integer", "format": "int64"});
    });
    let (code, out) = diff(&spec, &new, false);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("`models::TagState`: value `Archived` added"),
        "{out}"
    );
    assert!(
        out.contains("`models::Tag.usage`: field `usage` added (optional `i64`)"),
        "{out}"
    );
}

#[test]
fn removals_are_breaking_and_reported_in_json_too() {
    let spec = root().join("spec/dixa-api.yaml");
    let new = modified_copy("removals", |tree| {
        if let Some(paths) = tree["paths"].as_object_mut() {
            paths.remove("/beta/organization");
        }
    });
    let (code, out) = diff(&spec, &new, false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("**breaking** `GET /beta/organization`: removed (was `client.organization().get_organization_details`)"),
        "{out}"
    );
    let (code, out) = diff(&spec, &new, true);
    assert_eq!(code, 1, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON output");
    assert_eq!(json["breaking"], true);
    assert!(json["changes"].as_array().is_some_and(|c| c
        .iter()
        .any(|c| c["item"] == "GET /beta/organization" && c["breaking"] == true)));
}

#[test]
fn webhook_changes_are_reported() {
    let spec = root().join("spec/dixa-api.yaml");
    let new = modified_copy("webhooks", |_| {});
    let webhooks = new.with_file_name("webhooks.yaml");
    let text = std::fs::read_to_string(&webhooks).expect("copied");
    let mut tree = generator::load::parse_yaml(&webhooks, &text).expect("parses");
    let schemas = &mut tree["components"]["schemas"];
    if let Some(properties) = schemas["TagAddedData"]["properties"].as_object_mut() {
        properties.remove("tag");
    }
    schemas["Queue"]["properties"]["size"] = serde_json::json!({"type": "integer"});
    let body = "/webhooks/ConversationAssigned/post/requestBody/content/application~1json/schema";
    if let Some(schema) = tree.pointer_mut(body) {
        *schema = serde_json::json!({"allOf": [
            {"$ref": "#/components/schemas/Envelope"},
            {"properties": {"data": {"$ref": "#/components/schemas/ConversationData"}}}
        ]});
    }
    std::fs::write(
        &webhooks,
        serde_json::to_string(&tree).expect("serializable"),
    )
    .expect("writable");
    let (code, out) = diff(&spec, &new, false);
    assert_eq!(code, 1, "{out}");
    for expected in [
        "**breaking** `webhooks::TagAddedData.tag`: field `tag` removed",
        "`webhooks::Queue.size`: field `size` added (optional `i64`)",
        "**breaking** `webhooks::EventPayload::ConversationAssigned`: event \
         `CONVERSATION_ASSIGNED` changed from `ConversationAssigned`(`serde_json::Value`) to \
         `ConversationAssigned`(`ConversationData`)",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

#[test]
fn a_bad_spec_is_exit_status_2() {
    let spec = root().join("spec/dixa-api.yaml");
    let (code, out) = diff(&spec, Path::new("/nonexistent/spec.yaml"), false);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("/nonexistent/spec.yaml"), "{out}");
}
