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
    modified_copy_with_renames(name, edit, "")
}

/// Like [`modified_copy`], with `extra` (YAML map entries, indented two spaces) appended to the
/// `types:` of the copy's `renames.yaml`.
fn modified_copy_with_renames(
    name: &str,
    edit: impl FnOnce(&mut serde_json::Value),
    extra: &str,
) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dixa-diff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    let spec = root().join("spec/dixa-api.yaml");
    let text = std::fs::read_to_string(&spec).expect("the spec is readable");
    let mut tree = generator::load::parse_yaml(&spec, &text).expect("the spec parses");
    edit(&mut tree);
    for file in ["overrides.yaml", "webhooks.yaml"] {
        std::fs::copy(root().join("spec").join(file), dir.join(file)).expect("copyable");
    }
    let renames = std::fs::read_to_string(root().join("spec/renames.yaml")).expect("readable");
    // The entries go at the end of the `types:` section, before the next top-level key.
    let types = renames.find("\ntypes:\n").expect("renames.yaml has types:") + 1;
    let end = renames[types..]
        .match_indices('\n')
        .map(|(i, _)| types + i + 1)
        .find(|&i| renames[i..].starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or(renames.len());
    let renames = format!("{}{extra}{}", &renames[..end], &renames[end..]);
    std::fs::write(dir.join("renames.yaml"), renames).expect("writable");
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
        "**breaking** `webhooks::EventTagAddedData.tag`: field `tag` removed",
        "`webhooks::EventQueue.size`: field `size` added (optional `i64`)",
        "**breaking** `webhooks::EventPayload::ConversationAssigned`: event \
         `CONVERSATION_ASSIGNED` changed from `ConversationAssigned`(`serde_json::Value`) to \
         `ConversationAssigned`(`EventConversationData`)",
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

/// The diff between the real spec and `new`, each read with the project's overrides, lock and
/// webhooks, the old side with the project's renames and the new side with the `renames.yaml`
/// beside it: what regenerating after adding an entry to spec/renames.yaml gives. (The CLI reads
/// both sides with one rename table, in which an entry for a place only the new spec has would match
/// nothing on the old side.)
fn diff_with_new_renames(new: &Path) -> (bool, String) {
    let config = |spec: PathBuf, renames: PathBuf| {
        let mut config = generator::Config::beside(&spec);
        config.overrides = Some(new.with_file_name("overrides.yaml"));
        config.renames = Some(renames);
        config.lock = Some(root().join("spec/names.lock"));
        config.webhooks = Some(root().join("spec/webhooks.yaml"));
        config
    };
    let mut old_config = config(
        root().join("spec/dixa-api.yaml"),
        root().join("spec/renames.yaml"),
    );
    old_config.overrides = Some(root().join("spec/overrides.yaml"));
    let old = generator::api(&old_config).expect("the spec lowers");
    let new =
        generator::api(&config(new.to_owned(), renames_moved(new))).expect("the new spec lowers");
    let changes = generator::diff::diff(&old, &new);
    (
        generator::diff::has_breaking(&changes),
        generator::diff::markdown(&changes),
    )
}

/// The `renames.yaml` beside `new`, less the `types:` entries of component schemas `new` no longer
/// has (written beside it as `renames-moved.yaml`): a maintainer who adds the entry that keeps a
/// renamed schema's name moves the project's entry of its old key (`Text2`) rather than keeping one
/// that matches nothing.
fn renames_moved(new: &Path) -> PathBuf {
    let text = std::fs::read_to_string(new.with_file_name("renames.yaml")).expect("readable");
    let spec_text = std::fs::read_to_string(new).expect("readable");
    let spec: serde_json::Value = serde_json::from_str(&spec_text).expect("the copy is JSON");
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let Some(pointer) = line
                .trim_start()
                .strip_prefix("\"#")
                .and_then(|rest| rest.split('"').next())
            else {
                return true;
            };
            let gone = pointer.starts_with("/components/schemas/")
                && pointer.matches('/').count() == 3
                && spec.pointer(pointer).is_none();
            !gone
        })
        .collect();
    let path = new.with_file_name("renames-moved.yaml");
    std::fs::write(&path, kept.join("\n") + "\n").expect("writable");
    path
}

/// Renames the component schema `from` to `to`, references included.
fn rename_schema(tree: &mut serde_json::Value, from: &str, to: &str) {
    let schemas = tree["components"]["schemas"]
        .as_object_mut()
        .expect("the spec has schemas");
    let schema = schemas.remove(from).expect("the schema exists");
    schemas.insert(to.to_owned(), schema);
    let text = serde_json::to_string(tree).expect("serializable").replace(
        &format!("\"#/components/schemas/{from}\""),
        &format!("\"#/components/schemas/{to}\""),
    );
    *tree = serde_json::from_str(&text).expect("still JSON");
}

#[test]
fn a_renamed_schema_key_is_a_rename_with_the_entry_that_keeps_the_name() {
    let spec = root().join("spec/dixa-api.yaml");
    let edit = |tree: &mut serde_json::Value| rename_schema(tree, "Text2", "TextDefinition");
    let (code, out) = diff(&spec, &modified_copy("rename", edit), false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "**breaking** `models::TextAttributeDefinition`: renamed to `models::TextDefinition` \
             (same shape); to keep `TextAttributeDefinition`, add \
             `\"#/components/schemas/TextDefinition\": TextAttributeDefinition` under `types:` in \
             spec/renames.yaml"
        ),
        "{out}"
    );
    // Neither a removal nor an addition, and the union that refers to it is not reported again.
    assert!(!out.contains("removed"), "{out}");
    assert!(!out.contains("added"), "{out}");
    assert!(!out.contains("CustomAttributeInputDefinition"), "{out}");

    // The suggested entry keeps the name: nothing changes for SDK users.
    let pinned = modified_copy_with_renames(
        "rename-pinned",
        edit,
        "  \"#/components/schemas/TextDefinition\": TextAttributeDefinition\n",
    );
    let (breaking, out) = diff_with_new_renames(&pinned);
    assert!(!breaking, "{out}");
    assert_eq!(out.trim(), "No changes for SDK users.");
}

/// Dixa's older v1 description calls the beta's `Select1` (`SelectAttributeDefinition` by
/// spec/renames.yaml) `Select`: between the two, one name moved to another schema. The diff follows both renames and says how to keep both names.
#[test]
fn a_name_taken_over_by_another_schema_is_two_renames() {
    let edit = |tree: &mut serde_json::Value| {
        rename_schema(tree, "Select", "SelectValue");
        rename_schema(tree, "Select1", "Select");
    };
    let (breaking, out) = diff_with_new_renames(&follow_select(modified_copy("takeover", edit)));
    assert!(breaking, "{out}");
    assert!(
        out.contains("`models::SelectAttributeDefinition`: renamed to `models::Select` (same shape); to keep `SelectAttributeDefinition`, add `\"#/components/schemas/Select\": SelectAttributeDefinition`"),
        "{out}"
    );
    assert!(
        out.contains("`models::Select`: renamed to `models::SelectValue` (same shape); to keep `Select`, add `\"#/components/schemas/SelectValue\": Select`"),
        "{out}"
    );
    assert!(
        out.contains("`Select` now names `#/components/schemas/Select`, which then needs another name there too"),
        "{out}"
    );
    let pinned = modified_copy_with_renames(
        "takeover-pinned",
        edit,
        "  \"#/components/schemas/Select\": SelectAttributeDefinition\n  \"#/components/schemas/SelectValue\": Select\n",
    );
    let (breaking, out) = diff_with_new_renames(&follow_select(pinned));
    assert!(!breaking, "{out}");
    assert_eq!(out.trim(), "No changes for SDK users.");
}

/// Points the copied overrides' expectation of a `Select` reference at the schema's new key, as a
/// maintainer would after upstream renamed it.
/// The workflow the diff suggests, on the command line: the entry that keeps the old name goes into
/// the one rename table both sides are read with, where it matches only the new spec's key; the
/// diff then reports nothing instead of refusing the old side for an entry that matches nothing.
#[test]
fn the_suggested_rename_entry_works_for_both_sides_of_the_diff() {
    let edit = |tree: &mut serde_json::Value| rename_schema(tree, "Text2", "TextDefinition");
    let pinned = modified_copy_with_renames(
        "rename-cli",
        edit,
        "  \"#/components/schemas/TextDefinition\": TextAttributeDefinition\n",
    );
    let renames = pinned.with_file_name("renames.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(["--renames", &renames.display().to_string(), "diff"])
        .arg(root().join("spec/dixa-api.yaml"))
        .arg(&pinned)
        .current_dir(root())
        .output()
        .expect("the generator runs");
    let out = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert_eq!(out.trim(), "No changes for SDK users.");

    // An entry neither side has is still reported.
    let stale = modified_copy_with_renames(
        "rename-cli-stale",
        edit,
        "  \"#/components/schemas/NoSuchSchema\": TextAttributeDefinition\n",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args([
            "--renames",
            &stale.with_file_name("renames.yaml").display().to_string(),
            "diff",
        ])
        .arg(root().join("spec/dixa-api.yaml"))
        .arg(&stale)
        .current_dir(root())
        .output()
        .expect("the generator runs");
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("NoSuchSchema"), "{err}");
}

/// Runs `generator diff` from the repository (so both sides read the project's policy files) and
/// returns its exit code, standard output and standard error.
fn diff_from_root(args: &[&str], old: &Path, new: &Path) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .arg("diff")
        .arg(old)
        .arg(new)
        .current_dir(root())
        .output()
        .expect("the generator runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_override_that_applies_to_one_side_only_is_skipped_there_and_named() {
    // Upstream fixes what the project's first override corrects: the new spec has the corrected
    // schema itself, so the override no longer applies to it, and both sides describe one SDK.
    let text = std::fs::read_to_string(root().join("spec/overrides.yaml")).expect("readable");
    let file: serde_json::Value = serde_yaml::from_str(&text).expect("the overrides parse");
    let patch = &file["patches"][0];
    let pointer = patch["pointer"].as_str().expect("a pointer").to_owned();
    let fixed = patch["value"].clone();
    let new = modified_copy("override-fixed-upstream", |tree| {
        *tree.pointer_mut(&pointer).expect("the override's place") = fixed;
    });
    let spec = root().join("spec/dixa-api.yaml");
    let (code, out, err) = diff_from_root(&[], &spec, &new);
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out.trim(), "No changes for SDK users.");
    assert!(
        err.contains(&format!(
            "note: override at {pointer} applies to the old spec only"
        )),
        "{err}"
    );

    // A patch that applies to neither spec is still refused, named.
    let dir = new.parent().expect("a directory");
    let bogus = dir.join("bogus-overrides.yaml");
    let text = "patches:\n  - pointer: /components/schemas/NoSuchSchema\n    value: {}\n    reason: a test\n";
    std::fs::write(&bogus, text).expect("writable");
    let overrides = bogus.display().to_string();
    let (code, _, err) = diff_from_root(&["--overrides", &overrides], &spec, &new);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("override at /components/schemas/NoSuchSchema no longer applies"),
        "{err}"
    );
}

fn follow_select(spec: PathBuf) -> PathBuf {
    let overrides = spec.with_file_name("overrides.yaml");
    let text = std::fs::read_to_string(&overrides).expect("readable");
    let text = text.replace(
        "'#/components/schemas/Select'",
        "'#/components/schemas/SelectValue'",
    );
    std::fs::write(&overrides, text).expect("writable");
    spec
}

#[test]
fn setters_are_additive_and_arguments_are_not() {
    let spec = root().join("spec/dixa-api.yaml");
    let new = modified_copy("parameters", |tree| {
        let get_agent = &mut tree["paths"]["/beta/agents/{agentId}"]["get"];
        let params = get_agent["parameters"].as_array_mut().expect("parameters");
        params.push(serde_json::json!(
            {"name": "includeDeleted", "in": "query", "required": false, "schema": {"type": "boolean"}}
        ));
        params.push(serde_json::json!(
            {"name": "locale", "in": "query", "required": true, "schema": {"type": "string"}}
        ));
        // A new error status changes nothing users see.
        get_agent["responses"]["429"] = serde_json::json!({"description": "Too many requests"});
    });
    let (code, out) = diff(&spec, &new, false);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("- `GET /beta/agents/{agentId}`: optional query parameter `includeDeleted` added (`bool`)"),
        "{out}"
    );
    assert!(
        out.contains("- **breaking** `GET /beta/agents/{agentId}`: query parameter `locale` added (`String`)"),
        "{out}"
    );
    assert!(
        out.starts_with("2 changes for SDK users, 1 breaking."),
        "{out}"
    );
}

#[test]
fn a_moved_path_under_the_same_method_changes_nothing_for_callers() {
    let spec = root().join("spec/dixa-api.yaml");
    let new = modified_copy("moved", |tree| {
        let paths = tree["paths"].as_object_mut().expect("paths");
        let item = paths
            .remove("/beta/agents/{agentId}")
            .expect("the path exists");
        // The parameter keeps its name: the ids table types path parameters by name, so renaming
        // it would also change its Rust type (a breaking change the diff reports).
        paths.insert("/beta/agents/by-id/{agentId}".to_owned(), item);
    });
    let (code, out) = diff(&spec, &new, false);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("`GET /beta/agents/{agentId}`: path changed to `GET /beta/agents/by-id/{agentId}`; `client.agents().get_agent` is unchanged"),
        "{out}"
    );
}

/// Runs `generator diff OLD NEW` in `dir` (which has no `spec/`, so the policy files beside the
/// specs are read) with `args` before the subcommand.
fn diff_in(dir: &Path, args: &[&str], old: &str, new: &str) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .args(["diff", old, new])
        .current_dir(dir)
        .output()
        .expect("the generator runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn versions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff_versions")
}

#[test]
fn policy_written_for_the_new_version_is_left_out_of_the_old_one_where_it_does_not_fit() {
    // The pair is modelled on Dixa's older v1 description against today's: the old side lacks the
    // schema an override's value refers to, a webhook event, and the id type of the rename table.
    let (code, out, err) = diff_in(&versions(), &[], "old.yaml", "new.yaml");
    assert_eq!(code, Some(1), "{out}{err}");
    for note in [
        "note: override at /components/schemas/ImportConversationInput applies to the new spec only, \
         so the old one is read as upstream wrote it there (its value refers to \
         #/components/schemas/GenericConversationImport, which this spec lacks)",
        "note: override at /paths/~1v1~1conversations~1import/post/requestBody/content/application~1json/schema \
         applies to the new spec only",
        "note: the id type `ConversationId` of renames.yaml does not fit the old spec, so the old \
         one is read without it (spec error at operation getConversationsConversationid path \
         parameter conversationId: the rename table makes this a `ConversationId`",
        "note: webhook event `ConversationTagAdded` (webhooks.yaml#/webhooks/ConversationTagAdded) \
         is not an event of the old spec's subscription API, so the old one is read without it",
    ] {
        assert!(err.contains(note), "missing {note:?} in:\n{err}");
    }
    assert_eq!(err.lines().count(), 4, "{err}");
    // The rest of the rename table still applies: the new import body is `ImportedConversation`.
    for line in [
        "8 changes for SDK users, 2 breaking.",
        "- `POST /v1/conversations/import`: added as `client.conversations().import_conversation`",
        "- `models::ImportConversationInput`: added (tagged union)",
        "- `models::ImportedConversation`: added (struct)",
        "- `models::Events`: value `ConversationTagAdded` added",
        "- `webhooks::EventPayload::ConversationTagAdded`: event `CONVERSATION_TAG_ADDED` added (`EventTagData`)",
        "- **breaking** `GET /v1/conversations/{conversationId}`: path parameters of \
         `client.conversations().get_conversation` changed from (`conversationId` `String`) to (`conversationId` `ConversationId`)",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }

    // The same pair the other way round: the policy now fits the old side only.
    let (code, out, err) = diff_in(&versions(), &[], "new.yaml", "old.yaml");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains("note: webhook event `ConversationTagAdded` (webhooks.yaml#/webhooks/ConversationTagAdded) is not an event of the new spec's"),
        "{err}"
    );
    assert!(
        out.contains("**breaking** `webhooks::EventPayload::ConversationTagAdded`"),
        "{out}"
    );

    // Without webhooks, no webhook event is compared and none is noted.
    let (code, out, err) = diff_in(&versions(), &["--no-webhooks"], "old.yaml", "new.yaml");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(!out.contains("webhooks::"), "{out}");
    assert!(!err.contains("webhook"), "{err}");
    assert_eq!(err.lines().count(), 3, "{err}");
}

/// A copy of the fixture pair's directory, without `old.yaml`, in a scratch directory.
fn versions_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dixa-diff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir is writable");
    for file in [
        "new.yaml",
        "overrides.yaml",
        "renames.yaml",
        "webhooks.yaml",
    ] {
        std::fs::copy(versions().join(file), dir.join(file)).expect("copyable");
    }
    dir
}

#[test]
fn a_lock_that_does_not_fit_a_side_is_left_out_there() {
    // Two lock lines give one method name to two operations, which only the new side has both of.
    let dir = versions_copy("lock");
    std::fs::copy(versions().join("old.yaml"), dir.join("old.yaml")).expect("copyable");
    let lock = "method conversations getConversationsConversationid = fetch\n\
                method conversations postConversationsImport = fetch\n";
    std::fs::write(dir.join("names.lock"), lock).expect("writable");
    let (code, out, err) = diff_in(&dir, &[], "old.yaml", "new.yaml");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains(
            "note: the lock line `method conversations getConversationsConversationid = fetch` \
             does not fit the new spec, so the new one is named without it (names.lock: \
             `method conversations getConversationsConversationid = fetch`: `fetch` is also the \
             name of postConversationsImport"
        ),
        "{err}"
    );
    // The old side keeps the line's name; the new side names the method by the rules, and gives
    // the other line's name to the import.
    for line in [
        "**breaking** `GET /v1/conversations/{conversationId}`: renamed from \
         `client.conversations().fetch` to `client.conversations().get_conversation`",
        "`POST /v1/conversations/import`: added as `client.conversations().fetch`",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    // Where both sides have both operations, the line fits neither: an error naming it.
    let (code, out, err) = diff_in(&dir, &[], "new.yaml", "new.yaml");
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        err.contains("fits neither spec: names.lock: `method conversations getConversationsConversationid = fetch`"),
        "{err}"
    );
}

#[test]
fn a_webhooks_description_that_does_not_fit_a_side_at_all_is_left_out_there() {
    // An old side without the subscription API has no enum for the description to refer to.
    let dir = versions_copy("no-subscriptions");
    let old = std::fs::read_to_string(versions().join("old.yaml")).expect("readable");
    let mut tree: serde_json::Value = serde_yaml::from_str(&old).expect("the fixture parses");
    for (parent, key) in [
        ("/paths", "/v1/webhooks"),
        ("/components/schemas", "CreateWebhookSubscriptionInput"),
    ] {
        let map = tree.pointer_mut(parent).and_then(|v| v.as_object_mut());
        map.expect("the fixture has it").remove(key);
    }
    std::fs::write(
        dir.join("old.yaml"),
        serde_json::to_string(&tree).expect("serializable"),
    )
    .expect("writable");
    let (code, out, err) = diff_in(&dir, &[], "old.yaml", "new.yaml");
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.contains("note: the webhooks description webhooks.yaml does not fit the old spec, so the old one is read without webhooks (spec error at webhooks.yaml#/x-event-types"),
        "{err}"
    );
    assert!(
        out.contains(
            "`webhooks::EventPayload::ConversationCreated`: event `CONVERSATION_CREATED` added"
        ),
        "{out}"
    );

    // A description that fits neither side is an error that says how to leave it out.
    let (code, out, err) = diff_in(
        &dir,
        &["--no-overrides", "--no-renames"],
        "old.yaml",
        "old.yaml",
    );
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("fits neither spec"), "{err}");
    assert!(err.contains("--no-webhooks"), "{err}");
    // So is the override file, which fits neither either; with every policy file off, the old
    // spec against itself has no changes.
    let (code, out, err) = diff_in(&dir, &["--no-webhooks"], "old.yaml", "old.yaml");
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(err.contains("2 stale overrides"), "{err}");
    let off = [
        "--no-webhooks",
        "--no-overrides",
        "--no-renames",
        "--no-lock",
    ];
    let (code, out, err) = diff_in(&dir, &off, "old.yaml", "old.yaml");
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out.trim(), "No changes for SDK users.", "{err}");
}
