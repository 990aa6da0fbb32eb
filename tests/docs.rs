//! The SDK's documentation helps: every operation has an `# Errors` section listing exactly the
//! error statuses the spec declares and an `# Example` (a `no_run` doc test, compiled by
//! `cargo test --doc`); deprecated operations say why where the spec does; no field or type doc
//! restates a name ("The `x` property.", "The `X` schema." on a type that is no schema).

use serde_json::Value;
use std::collections::BTreeSet;
use syn::{Attribute, ImplItem, Item};

fn generated() -> generator::Files {
    let root = dixa_tests::root();
    let config = generator::Config::beside(root.join("spec/dixa-api.yaml"));
    generator::generate(&config)
        .unwrap_or_else(|e| panic!("generation failed: {e}"))
        .files
}

fn doc_of(attrs: &[Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.strip_prefix(' ').unwrap_or(&line).to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The deprecation note of an item, `Some("")` for a bare `#[deprecated]`.
fn deprecation(attrs: &[Attribute]) -> Option<String> {
    let attr = attrs.iter().find(|a| a.path().is_ident("deprecated"))?;
    Some(match &attr.meta {
        syn::Meta::List(list) => list.tokens.to_string(),
        _ => String::new(),
    })
}

/// Every operation method: (operationId, doc, deprecation).
fn operations(files: &generator::Files) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    for (path, content) in files {
        if !path.starts_with("src/apis/") || path.ends_with("mod.rs") {
            continue;
        }
        let file = syn::parse_file(content).unwrap_or_else(|e| panic!("{path}: {e}"));
        for item in &file.items {
            let Item::Impl(block) = item else { continue };
            if block.trait_.is_some() {
                continue;
            }
            for item in &block.items {
                let ImplItem::Fn(f) = item else { continue };
                let doc = doc_of(&f.attrs);
                let Some(id) = doc
                    .split("(operationId `")
                    .nth(1)
                    .and_then(|rest| rest.split('`').next())
                else {
                    continue;
                };
                out.push((id.to_owned(), doc.clone(), deprecation(&f.attrs)));
            }
        }
    }
    out
}

/// The spec's operations by operationId.
fn spec_operations() -> Vec<(String, Value)> {
    let tree = dixa_tests::spec_tree();
    let mut out = Vec::new();
    for item in tree["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("path item").values() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                out.push((id.to_owned(), op.clone()));
            }
        }
    }
    out
}

#[test]
fn every_operation_lists_its_declared_error_statuses_and_has_an_example() {
    let files = generated();
    let ops = operations(&files);
    let spec = spec_operations();
    assert_eq!(ops.len(), spec.len(), "one documented method per operation");
    for (id, doc, _) in &ops {
        let (_, op) = spec
            .iter()
            .find(|(spec_id, _)| spec_id == id)
            .unwrap_or_else(|| panic!("{id} is not in the spec"));
        let declared: BTreeSet<String> = op["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .filter(|code| !code.starts_with('2'))
            .cloned()
            .collect();
        let errors = doc
            .split("# Errors")
            .nth(1)
            .unwrap_or_else(|| panic!("{id}: no # Errors section"));
        let errors = errors.split("# Example").next().unwrap_or_default();
        let listed: BTreeSet<String> = errors
            .lines()
            .filter_map(|l| l.strip_prefix("* `"))
            .filter_map(|l| l.split('`').next())
            .map(str::to_owned)
            .collect();
        assert_eq!(listed, declared, "{id}: the statuses of # Errors");
        for code in &declared {
            let description = op["responses"][code]["description"]
                .as_str()
                .unwrap_or_default();
            let first_word = description.split_whitespace().next().unwrap_or_default();
            assert!(
                errors.contains(first_word),
                "{id}: {code} without its description {description:?}"
            );
        }
        let example = doc
            .split("# Example")
            .nth(1)
            .unwrap_or_else(|| panic!("{id}: no # Example section"));
        assert!(example.contains("```no_run"), "{id}: {example}");
        assert!(example.contains(".await?"), "{id}: the example calls it");
    }
}

#[test]
fn examples_use_the_spec_example_body_with_typed_constructors() {
    let files = generated();
    let ops = operations(&files);
    let doc = |id: &str| {
        ops.iter()
            .find(|(op, _, _)| op == id)
            .map(|(_, doc, _)| doc.clone())
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let note = doc("postConversationsConversationidNotes");
    assert!(
        note.contains("CreateInternalNoteInput::new(\"A sample note\")"),
        "{note}"
    );
    // Operations with an example body: how many are built with typed constructors rather than
    // decoded from JSON (measured, so a regression in the typed writer shows).
    let with_body: Vec<&String> = ops
        .iter()
        .map(|(_, doc, _)| doc)
        .filter(|doc| doc.contains("with the spec's example body"))
        .collect();
    let from_json = with_body
        .iter()
        .filter(|doc| doc.contains("serde_json::from_value"))
        .count();
    println!(
        "examples: {} of {} example bodies built with typed constructors",
        with_body.len() - from_json,
        with_body.len()
    );
    let spec_bodies = spec_operations()
        .iter()
        .filter(|(_, op)| {
            op["requestBody"]["content"].as_object().is_some_and(|c| {
                c.values()
                    .any(|m| m.get("example").is_some() || m.get("examples").is_some())
            })
        })
        .count();
    assert_eq!(with_body.len(), spec_bodies, "every example body is used");
    assert!(from_json * 10 <= with_body.len(), "{from_json} from JSON");
}

#[test]
fn deprecated_operations_carry_the_reason_the_spec_gives() {
    let files = generated();
    let ops = operations(&files);
    let spec = spec_operations();
    for (id, op) in &spec {
        let deprecated = op["deprecated"].as_bool().unwrap_or(false);
        let (_, _, attr) = ops
            .iter()
            .find(|(op_id, _, _)| op_id == id)
            .unwrap_or_else(|| panic!("no method for {id}"));
        assert_eq!(attr.is_some(), deprecated, "{id}");
    }
    let note = |id: &str| {
        ops.iter()
            .find(|(op, _, _)| op == id)
            .and_then(|(_, _, attr)| attr.clone())
            .unwrap_or_default()
    };
    // The route the spec names as the replacement is the SDK method that calls it.
    assert!(
        note("getConversationsConversationidRating")
            .contains("Use `client.conversations().list_ratings()` (`/ratings`)"),
        "{}",
        note("getConversationsConversationidRating")
    );
    assert!(
        note("getSearchConversations").contains(
            "replaced with `client.search().search_conversations_with_filters()` \
             (`POST /search/conversations`)"
        ),
        "{}",
        note("getSearchConversations")
    );
}

#[test]
fn no_doc_restates_a_name() {
    let files = generated();
    let models = &files["src/models.rs"];
    let tree = dixa_tests::spec_tree();
    let schemas = tree["components"]["schemas"].as_object().expect("schemas");
    let mut undocumented_fields = 0;
    let file = syn::parse_file(models).expect("models.rs parses");
    for item in &file.items {
        let (attrs, name) = match item {
            Item::Struct(s) => {
                // Private fields (the raw value of an id) are not documented.
                for field in s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
                {
                    let doc = doc_of(&field.attrs);
                    assert!(
                        !(doc.starts_with("The `") && doc.ends_with("` property.")),
                        "{}: {doc}",
                        s.ident
                    );
                    if doc.is_empty() {
                        undocumented_fields += 1;
                        let allowed = field.attrs.iter().any(|a| {
                            a.path().is_ident("allow")
                                && a.meta.to_token_stream_string().contains("missing_docs")
                        });
                        assert!(allowed, "{}: an undocumented field must say so", s.ident);
                    }
                }
                (&s.attrs, s.ident.to_string())
            }
            Item::Enum(e) => (&e.attrs, e.ident.to_string()),
            Item::Type(t) => (&t.attrs, t.ident.to_string()),
            _ => continue,
        };
        let doc = doc_of(attrs);
        assert!(!doc.trim().is_empty(), "{name} has no doc");
        if let Some(key) = doc
            .strip_prefix("The `")
            .and_then(|rest| rest.strip_suffix("` schema."))
        {
            assert!(schemas.contains_key(key), "{name}: `{key}` is no schema");
        }
    }
    println!("{undocumented_fields} fields the spec does not describe carry no doc");
    assert!(undocumented_fields > 0);
}

/// `to_string` of an attribute's tokens.
trait TokenString {
    fn to_token_stream_string(&self) -> String;
}

impl TokenString for syn::Meta {
    fn to_token_stream_string(&self) -> String {
        match self {
            syn::Meta::List(list) => list.tokens.to_string(),
            _ => String::new(),
        }
    }
}

/// The doc of every type of `models.rs`, by name.
fn model_docs(files: &generator::Files) -> Vec<(String, String)> {
    let file = syn::parse_file(&files["src/models.rs"]).expect("models.rs parses");
    file.items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some((s.ident.to_string(), doc_of(&s.attrs))),
            Item::Enum(e) => Some((e.ident.to_string(), doc_of(&e.attrs))),
            Item::Type(t) => Some((t.ident.to_string(), doc_of(&t.attrs))),
            _ => None,
        })
        .collect()
}

#[test]
fn model_docs_say_where_an_undescribed_type_is_used() {
    let files = generated();
    let docs = model_docs(&files);
    let tree = dixa_tests::spec_tree();
    let schemas = tree["components"]["schemas"].as_object().expect("schemas");
    // Before: 443 of 556 types were documented as "The `X` schema." and nothing else.
    let key_only: Vec<&String> = docs
        .iter()
        .filter(|(_, doc)| {
            let doc = doc.trim();
            (doc.starts_with("The `") && doc.ends_with("` schema.") && !doc.contains('\n'))
                || (doc.starts_with("Dixa's schema `") && !doc.contains('\n'))
        })
        .map(|(name, _)| name)
        .collect();
    assert!(
        key_only.is_empty(),
        "documented by their key alone: {key_only:?}"
    );
    let usage = [
        "Returned by ",
        "Listed by ",
        "The envelope Dixa answers ",
        "Sent by ",
        "Part of ",
        "The payload of ",
        "Used by ",
    ];
    let with_usage = docs
        .iter()
        .filter(|(_, doc)| usage.iter().any(|u| doc.starts_with(u)))
        .count();
    let unreached: Vec<&String> = docs
        .iter()
        .filter(|(_, doc)| doc.starts_with("No operation of the SDK takes or returns this type"))
        .map(|(name, _)| name)
        .collect();
    println!(
        "{with_usage} of {} model types documented by their uses, {} as used by nothing: {unreached:?}",
        docs.len(),
        unreached.len()
    );
    assert!(with_usage > 400, "{with_usage}");
    assert_eq!(
        with_usage + unreached.len() + described(&docs, &usage),
        docs.len(),
        "every type is described by the spec, by its uses, or as used by nothing"
    );
    // A type documented as used by nothing is named by no other item of the SDK.
    let referrers = referrers(&files);
    let used_by = |name: &str| {
        referrers
            .iter()
            .any(|(o, c)| o != name && names_type(c, name))
    };
    assert!(used_by("Agent") && used_by("ConversationChannel") && used_by("AgentId"));
    for name in &unreached {
        let by: Vec<&String> = referrers
            .iter()
            .filter(|(owner, code)| owner != *name && names_type(code, name))
            .map(|(owner, _)| owner)
            .collect();
        assert!(
            by.is_empty(),
            "{name} is documented as unused but {by:?} use it"
        );
    }
    // The key of a type named otherwise is kept, and names a schema.
    for (name, doc) in &docs {
        if let Some(rest) = doc.split("Dixa's schema `").nth(1) {
            let key = rest.split('`').next().unwrap_or_default();
            assert!(schemas.contains_key(key), "{name}: `{key}` is no schema");
            assert_ne!(key, name, "{name}: the key restates the name");
        }
    }
    let queue = docs.iter().find(|(name, _)| name == "QueueDetails");
    assert!(
        queue.is_some_and(|(_, doc)| doc.contains("Dixa's schema `Queue1`.")),
        "{queue:?}"
    );
}

/// How many types have words of the spec's own (neither usage nor the unused sentence).
fn described(docs: &[(String, String)], usage: &[&str]) -> usize {
    docs.iter()
        .filter(|(_, doc)| {
            !usage.iter().any(|u| doc.starts_with(u))
                && !doc.starts_with("No operation of the SDK takes or returns this type")
        })
        .count()
}

/// Every item of `models.rs` (by the type it is, or is an `impl` or macro invocation for) and every
/// API module (as `apis`), with its code, docs left out.
fn referrers(files: &generator::Files) -> Vec<(String, String)> {
    let code = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut out: Vec<(String, String)> = files
        .iter()
        .filter(|(path, _)| path.starts_with("src/apis/"))
        .map(|(_, content)| ("apis".to_owned(), code(content)))
        .collect();
    let mut owner = String::new();
    let mut lines = String::new();
    for line in files["src/models.rs"].lines() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        // An item starts at the margin; its type is the first word after its keyword (or macro
        // path, or `impl ... for`).
        if !line.starts_with([' ', '}', ')', '#']) && !line.is_empty() {
            let w: Vec<&str> = line
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                .filter(|w| !w.is_empty())
                .collect();
            let after = |k: &str| w.iter().position(|x| *x == k).and_then(|i| w.get(i + 1));
            let next = after("for")
                .or_else(|| after("struct"))
                .or_else(|| after("enum"))
                .or_else(|| after("type"))
                .or_else(|| after("impl"))
                .or_else(|| after("macros").and_then(|_| w.get(4)));
            if let Some(next) = next {
                out.push((std::mem::take(&mut owner), std::mem::take(&mut lines)));
                owner = (*next).to_owned();
            }
        }
        lines.push_str(line);
        lines.push('\n');
    }
    out.push((owner, lines));
    out
}

/// Whether `code` names the type `name` where a type goes (a field's, an argument's, a variant's
/// payload, a generic argument), rather than as an enum variant of the same word.
fn names_type(code: &str, name: &str) -> bool {
    [
        format!(": {name}"),
        format!("<{name}>"),
        format!("<{name},"),
        format!(", {name}>"),
        format!("({name})"),
        format!("&{name}"),
        format!("::{name}>"),
        format!("::{name})"),
        format!("::models::{name},"),
    ]
    .iter()
    .any(|p| code.contains(p.as_str()))
}

#[test]
fn examples_take_the_spec_values_and_use_the_answer() {
    let files = generated();
    let ops = operations(&files);
    let mut placeholders = Vec::new();
    for (id, doc, _) in &ops {
        let example = doc.split("# Example").nth(1).unwrap_or_default();
        // Before: 95 examples ended in `println!("{answer:?}")`.
        assert!(!example.contains("{answer:?}"), "{id}: {example}");
        if example.contains("placeholder") {
            placeholders.push(id.as_str());
        }
    }
    // Before: 78 examples passed placeholder arguments (`"metric-id"`, a made-up UUID). Every
    // argument and every body now has a value from the spec's examples, so none is left; an
    // operation whose arguments the spec shows no value of would be listed here.
    assert_eq!(placeholders, Vec::<&str>::new());
    let doc = |id: &str| {
        ops.iter()
            .find(|(op, _, _)| op == id)
            .map(|(_, doc, _)| doc.clone())
            .unwrap_or_default()
    };
    // An id from the answer of the operation itself, typed; a string id from the list above it;
    // the parameter's own example.
    assert!(
        doc("getAgentsAgentid").contains("get_agent(AgentId::from(uuid::uuid!(\"4d2ab456-"),
        "{}",
        doc("getAgentsAgentid")
    );
    assert!(doc("getAnalyticsMetricsMetricid").contains("MetricId::from(\"csat\""));
    assert!(doc("getSearchConversations").contains("(\"cancel my order\")"));
    // Lists are walked item by item, structs read through a field.
    assert!(doc("getAgents").contains(".items();"));
    assert!(doc("getAgentsAgentid").contains("println!(\"{}\", answer.id);"));
}

#[test]
fn every_error_bullet_says_what_the_status_means() {
    let files = generated();
    for (id, doc, _) in operations(&files) {
        let errors = doc.split("# Errors").nth(1).unwrap_or_default();
        let errors = errors.split("# Example").next().unwrap_or_default();
        for line in errors.lines().filter(|l| l.starts_with("* `")) {
            let text = line.split_once("`: ").map(|(_, text)| text.trim());
            assert!(
                text.is_some_and(|t| t.len() > 10),
                "{id}: an error bullet without text: {line}"
            );
        }
    }
}
