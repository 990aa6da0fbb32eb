//! Every naming rule of the generated SDK lives here: type, field, variant, method and module names,
//! keyword escapes and the resolution of collisions.
//!
//! Keeping them in one module means a reader can learn the whole naming scheme in one place, and a
//! change to a rule cannot leave a second copy of it behind elsewhere.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet};

/// Rust's strict and reserved keywords (2021 edition). A name in this list needs `r#` or a suffix.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// The types and traits of the Rust 2021 prelude. Generated code and the runtime's macros name them
/// unqualified (`Option<T>`, `Result<T, E>`, `String`), so a model or group type with one of these
/// names would shadow the prelude and break the code around it; such a type gets the suffix `Type`.
const PRELUDE_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Methods `Client` already has (its own, in `generator/runtime/client.rs`, and those of the traits
/// it implements that are called on it). A group accessor with one of these names would clash with
/// or shadow it, so it gets the suffix `_api`.
const CLIENT_METHODS: &[&str] = &[
    "attempt",
    "base_url",
    "borrow",
    "builder",
    "clone",
    "clone_from",
    "eq",
    "fmt",
    "from_env",
    "http_request",
    "into",
    "new",
    "request",
    "send",
    "send_with_retries",
    "to_owned",
    "try_into",
    "type_id",
];

/// Cargo features a group cannot have: cargo's own `default`, the emitter's feature of the types no
/// operation reaches (`emit::features::UNREACHED_MODELS`), the typed webhook events' feature, and the
/// runtime's own feature. Such a group's feature gets the suffix `-api`.
const RESERVED_FEATURES: &[&str] = &[
    "default",
    UNREACHED_MODELS_FEATURE,
    WEBHOOK_EVENTS_FEATURE,
    CUSTOM_HTTP_CLIENT_FEATURE,
];

/// The runtime's cargo feature that enables `ClientBuilder::http_client`.
pub const CUSTOM_HTTP_CLIENT_FEATURE: &str = "custom-http-client";

/// The cargo feature of the types no operation uses.
pub const UNREACHED_MODELS_FEATURE: &str = "unreached-models";

/// The cargo feature of the typed webhook events (`dixa::webhooks::Event` and its data types).
/// Not `webhooks`: that is the feature of the tag that manages webhook subscriptions.
pub const WEBHOOK_EVENTS_FEATURE: &str = "webhook-events";

/// Names of `dixa::webhooks` that the generated webhook module defines itself or re-exports from
/// the runtime; a type of `spec/webhooks.yaml` with one of these names would hide it.
pub const WEBHOOK_RESERVED_NAMES: &[&str] = &[
    "Event",
    "EventPayload",
    "SignatureSource",
    "UnknownEvent",
    "Verified",
    "Webhook",
    "WebhookError",
];

/// The `event_fqn` Dixa delivers for an event type of the subscription API: the same words in
/// UPPER_SNAKE case (`ConversationMessageAdded` -> `CONVERSATION_MESSAGE_ADDED`). An acronym is one
/// word (`SLAEvaluationVoided` -> `SLA_EVALUATION_VOIDED`). This is the only place the mapping is
/// written; the SDK carries its results as a table.
pub fn event_fqn(event_type: &str) -> String {
    use heck::ToShoutySnakeCase;
    ascii_words(event_type).to_shouty_snake_case()
}

/// `text` with every non-ASCII character turned into a word break. Rust names are kept ASCII, like
/// the type names from schema keys: anyone can type them, and no identifier lint
/// (`mixed_script_confusables`, `uncommon_codepoints`) can fire on generated code that denies
/// warnings. The wire name is kept in a serde rename.
fn ascii_words(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect()
}

/// The Rust name of a component schema: the schema key with underscores removed and the first letter
/// of each part uppercased, the rest kept as written. Dixa's documentation names types by their keys,
/// so `BulkActionOutcome_BulkError_Agent` becomes `BulkActionOutcomeBulkErrorAgent` and `UUIDField`
/// stays `UUIDField`: a user can find the type the docs talk about.
pub fn type_name(schema_key: &str) -> String {
    let mut out = String::with_capacity(schema_key.len());
    for part in schema_key.split(|c: char| c == '_' || !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    type_ident(out)
}

/// The Rust name of a type we derive from words rather than from a schema key (inline types, enums
/// found in descriptions, parameter structs): UpperCamelCase of the words.
pub fn derived_type_name(words: &str) -> String {
    type_ident(ascii_words(words).to_upper_camel_case())
}

/// Makes an UpperCamelCase name a usable type name. Escapes never use an underscore: a derived name
/// such as `<owner><Field>` is built on it, and `Self_Field` would fail the `non_camel_case_types`
/// lint.
fn type_ident(name: String) -> String {
    if name.is_empty() {
        return "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("T{name}");
    }
    if name == "Self" || PRELUDE_TYPES.contains(&name.as_str()) {
        return format!("{name}Type");
    }
    name
}

/// The Rust name of a struct field, function argument or query parameter: snake_case, with Rust
/// keywords written as raw identifiers (`type` -> `r#type`) so the field reads like the wire name.
pub fn field_name(wire: &str) -> String {
    let snake = ascii_words(wire).to_snake_case();
    let snake = if snake.is_empty() {
        "field".to_owned()
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{snake}")
    } else {
        snake
    };
    escape_keyword(snake)
}

/// The Rust name of an enum variant for a wire value or union tag: UpperCamelCase.
pub fn variant_name(wire: &str) -> String {
    let camel = ascii_words(wire).to_upper_camel_case();
    if camel.is_empty() {
        "Empty".to_owned()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if camel == "Self" {
        // Not `Self_`: `dedupe` may append a number, and `Self_2` fails `non_camel_case_types`.
        "SelfValue".to_owned()
    } else {
        camel
    }
}

/// The name of an operation's method: the snake_case words of its summary (`Add internal note` ->
/// `add_internal_note`), because the summary is what Dixa's reference shows as the page title. Without
/// a summary the operationId is used. The rename table in `spec/renames.yaml` overrides both.
pub fn method_name(summary: Option<&str>, operation_id: &str) -> String {
    let source = summary
        .map(|s| s.trim().trim_end_matches('.'))
        .filter(|s| !s.is_empty())
        .unwrap_or(operation_id);
    field_name(source)
}

/// The snake_case form of a method name given in the rename table, checked to be a valid identifier.
pub fn is_snake_ident(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&name)
}

/// Whether `name` is a field, parameter or method name `field_name` could have written: snake_case,
/// or a keyword as a raw identifier (`r#type`).
pub fn is_field_ident(name: &str) -> bool {
    match name.strip_prefix("r#") {
        Some(keyword) => KEYWORDS.contains(&keyword) && !NOT_RAW.contains(&keyword),
        None => is_snake_ident(name) && name != "_",
    }
}

/// Whether `name` is a valid enum variant name. Unlike a type name it may be a prelude name (a
/// variant `String` shadows nothing).
pub fn is_variant_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && name != "Self"
}

/// Whether `name` is a valid UpperCamelCase type name.
pub fn is_type_ident(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && name != "Self"
        && !PRELUDE_TYPES.contains(&name)
}

/// Names derived from an operation tag (`End Users`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupNames {
    /// The module under `dixa::apis` (`end_users`).
    pub module: String,
    /// The accessor method on `Client` (`end_users`).
    pub accessor: String,
    /// The struct holding the group's methods (`EndUsers`).
    pub struct_name: String,
    /// The cargo feature enabling the group (`end-users`).
    pub feature: String,
}

/// The names of an operation group, derived from its tag. A module name is never a raw identifier
/// (`type` becomes `type_`, not `r#type`): its file is named after it, and the tag `mod` would
/// otherwise be written to `src/apis/mod.rs`, over the module list.
pub fn group_names(tag: &str) -> GroupNames {
    let module = field_name(tag);
    let module = match module.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => module,
    };
    let accessor = if CLIENT_METHODS.contains(&module.as_str()) {
        format!("{module}_api")
    } else {
        module.clone()
    };
    // The feature is the module's name in kebab case, so that distinct modules (which lowering
    // checks) have distinct features.
    let feature = module.trim_end_matches('_').replace('_', "-");
    let feature = if RESERVED_FEATURES.contains(&feature.as_str()) {
        format!("{feature}-api")
    } else {
        feature
    };
    GroupNames {
        feature,
        accessor,
        module,
        struct_name: derived_type_name(tag),
    }
}

/// The request builder an operation's method returns (`list_agents` -> `ListAgentsRequest`).
pub fn builder_name(method: &str) -> String {
    format!(
        "{}Request",
        derived_type_name(method.trim_start_matches("r#"))
    )
}

/// Methods every request builder has (written by the runtime's `request_builder!`, or by Rust for
/// any type), which a setter named after a query parameter must not take.
pub const BUILDER_METHODS: &[&str] = &[
    "body",
    "clone",
    "extra_query",
    "fmt",
    "header",
    "into_future",
    "items",
    "pages",
    "retry",
    "send",
    "send_with_meta",
    "timeout",
];

/// The setter of an optional field of a model struct (`agent_id` -> `with_agent_id`, `r#type` ->
/// `with_type`). Field names are unique in a struct, so setter names are too.
pub fn setter_name(field: &str) -> String {
    format!("with_{}", field.trim_start_matches("r#"))
}

/// The methods a `_type`-tagged union has for each variant: `is_<variant>`, `as_<variant>` and the
/// short constructor `<variant>` (`ChatConversation` -> `is_chat_conversation`,
/// `as_chat_conversation`, `chat_conversation`; `Type` -> `r#type`).
pub struct VariantMethods {
    /// `is_<variant>`.
    pub is: String,
    /// `as_<variant>`.
    pub as_ref: String,
    /// The constructor, `<variant>` in snake_case.
    pub new: String,
}

/// The methods of the variants of one union, in variant order. The `is_`/`as_` pairs exist for every
/// variant, so when two variants give equal snake_case words (`HtmlText`, `HTMLText`) the later one
/// is numbered.
pub fn variant_methods(variants: &[&str]) -> Vec<VariantMethods> {
    let snake: Vec<String> = variants
        .iter()
        .map(|v| {
            let s = ascii_words(v).to_snake_case();
            if s.is_empty() {
                "empty".to_owned()
            } else {
                s
            }
        })
        .collect();
    let mut is: Vec<String> = snake.iter().map(|s| format!("is_{s}")).collect();
    let mut as_ref: Vec<String> = snake.iter().map(|s| format!("as_{s}")).collect();
    let mut new: Vec<String> = snake.iter().map(|s| field_name(s)).collect();
    dedupe(&mut is);
    dedupe(&mut as_ref);
    dedupe(&mut new);
    is.into_iter()
        .zip(as_ref)
        .zip(new)
        .map(|((is, as_ref), new)| VariantMethods { is, as_ref, new })
        .collect()
}

/// Writes `name` so it is a valid Rust identifier: keywords become raw identifiers, or get a trailing
/// underscore where Rust forbids the raw form.
fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Makes a list of names unique by appending `2`, `3`, ... to the later duplicates, in the order
/// given. Callers pass the names in spec order, so the first occurrence keeps the clean name and the
/// result is deterministic.
pub fn dedupe(names: &mut [String]) {
    dedupe_around(names, &vec![false; names.len()]);
}

/// Like [`dedupe`], but the names marked `fixed` (chosen by the rename table or kept from the lock
/// file) are never changed: a derived name equal to a fixed one is numbered even when it comes
/// first, so a new place never takes or shifts a name that is already in use. Fixed names must be
/// distinct; callers check that, because only they can name the entries that clash.
pub fn dedupe_around(names: &mut [String], fixed: &[bool]) {
    let mut seen: BTreeMap<String, usize> = names
        .iter()
        .zip(fixed)
        .filter(|(_, fixed)| **fixed)
        .map(|(name, _)| (name.clone(), 1))
        .collect();
    let taken: Vec<String> = names.to_vec();
    for (name, fixed) in names.iter_mut().zip(fixed) {
        if *fixed {
            continue;
        }
        let count = seen.entry(name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let mut n = *count;
            // A keyword with a number is no keyword: `r#type` becomes `type2`, not `r#type2`.
            let stem = name.trim_start_matches("r#").to_owned();
            loop {
                let candidate = format!("{stem}{n}");
                if !taken.contains(&candidate) && !seen.contains_key(&candidate) {
                    seen.insert(candidate.clone(), 1);
                    *name = candidate;
                    break;
                }
                n += 1;
            }
        }
    }
}

/// `name`, or `name2`, `name3`... whichever `taken` does not hold: the name of a new place that must
/// not take one in use.
pub fn unique(taken: &BTreeSet<String>, name: String) -> String {
    if !taken.contains(&name) {
        return name;
    }
    (2..)
        .map(|n| format!("{name}{n}"))
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_fqns_are_upper_snake_with_acronyms_as_words() {
        for (event_type, fqn) in [
            ("ConversationMessageAdded", "CONVERSATION_MESSAGE_ADDED"),
            ("ConversationCreated", "CONVERSATION_CREATED"),
            ("SLAEvaluationVoided", "SLA_EVALUATION_VOIDED"),
            ("AgentBannedEnduser", "AGENT_BANNED_ENDUSER"),
            ("AgentUnbannedIp", "AGENT_UNBANNED_IP"),
            (
                "ConversationMessageDeliverySpamComplaint",
                "CONVERSATION_MESSAGE_DELIVERY_SPAM_COMPLAINT",
            ),
        ] {
            assert_eq!(event_fqn(event_type), fqn);
        }
    }

    #[test]
    fn union_variant_methods_are_snake_case_and_distinct() {
        let methods = variant_methods(&["ChatConversation", "Type", "HtmlText", "HTMLText"]);
        let names: Vec<(&str, &str, &str)> = methods
            .iter()
            .map(|m| (m.is.as_str(), m.as_ref.as_str(), m.new.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (
                    "is_chat_conversation",
                    "as_chat_conversation",
                    "chat_conversation"
                ),
                ("is_type", "as_type", "r#type"),
                ("is_html_text", "as_html_text", "html_text"),
                ("is_html_text2", "as_html_text2", "html_text2"),
            ]
        );
    }

    #[test]
    fn type_names_follow_the_schema_keys() {
        assert_eq!(
            type_name("BulkActionOutcome_BulkError_Agent"),
            "BulkActionOutcomeBulkErrorAgent"
        );
        assert_eq!(type_name("UUIDField"), "UUIDField");
        assert_eq!(type_name("NotFound1"), "NotFound1");
        assert_eq!(
            type_name("Map_UUID_Option_AttributeValue"),
            "MapUUIDOptionAttributeValue"
        );
        assert_eq!(type_name("lower_case"), "LowerCase");
        assert_eq!(type_name("1st"), "T1st");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(type_name("Option"), "OptionType");
        assert_eq!(type_name("größe"), "GrE");
        assert_eq!(derived_type_name("result"), "ResultType");
        assert_eq!(derived_type_name("größe"), "GrE");
    }

    #[test]
    fn field_names_are_snake_case_and_escaped() {
        assert_eq!(field_name("conversationId"), "conversation_id");
        assert_eq!(field_name("_type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("2fa"), "n2fa");
        assert_eq!(field_name(""), "field");
        assert_eq!(field_name("SLAEvaluationVoided"), "sla_evaluation_voided");
        assert_eq!(field_name("größe"), "gr_e");
        assert_eq!(field_name("日本"), "field");
        assert_eq!(field_name("with.dot"), "with_dot");
    }

    #[test]
    fn variant_names_are_camel_case() {
        assert_eq!(variant_name("PstnPhone"), "PstnPhone");
        assert_eq!(variant_name("dixamessenger"), "Dixamessenger");
        assert_eq!(variant_name("SLAEvaluationVoided"), "SlaEvaluationVoided");
        assert_eq!(variant_name("1"), "V1");
        assert_eq!(variant_name("Self"), "SelfValue");
        assert_eq!(variant_name("Ärger"), "Rger");
    }

    #[test]
    fn method_names_come_from_summaries() {
        assert_eq!(
            method_name(Some("Add internal note"), "x"),
            "add_internal_note"
        );
        assert_eq!(
            method_name(Some("Get a business hours schedule definition."), "x"),
            "get_a_business_hours_schedule_definition"
        );
        assert_eq!(method_name(None, "getAgentsAgentid"), "get_agents_agentid");
    }

    #[test]
    fn groups_from_tags() {
        let g = group_names("End Users");
        assert_eq!(g.module, "end_users");
        assert_eq!(g.struct_name, "EndUsers");
        assert_eq!(g.feature, "end-users");
        assert_eq!(group_names("type").module, "type_");
        assert_eq!(group_names("mod").module, "mod_");
        let new = group_names("New");
        assert_eq!(
            (new.module.as_str(), new.accessor.as_str()),
            ("new", "new_api")
        );
        assert_eq!(group_names("Result").struct_name, "ResultType");
        assert_eq!(group_names("Default").feature, "default-api");
        assert_eq!(group_names("type").feature, "type");
        assert_eq!(group_names("_").feature, "field");
    }

    /// The reserved accessors must cover every method of `Client` itself, or a tag named after a
    /// method added to the runtime later would produce a duplicate definition.
    #[test]
    fn reserved_accessors_cover_the_client_methods() {
        for source in [
            include_str!("../runtime/client.rs"),
            include_str!("../runtime/call.rs"),
        ] {
            let start = source
                .find("\nimpl Client {")
                .expect("the runtime file has `impl Client`");
            let body = &source[start..];
            let end = body.find("\n}\n").expect("the impl block ends");
            for line in body[..end].lines() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                let Some(at) = line.find("fn ") else { continue };
                let name: String = line[at + 3..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    CLIENT_METHODS.contains(&name.as_str()),
                    "Client::{name} is missing from CLIENT_METHODS"
                );
            }
        }
    }

    #[test]
    fn dedupe_keeps_the_first_and_numbers_the_rest() {
        let mut names = vec![
            "a".to_owned(),
            "b".to_owned(),
            "a".to_owned(),
            "a2".to_owned(),
        ];
        dedupe(&mut names);
        assert_eq!(names, ["a", "b", "a3", "a2"]);
        let mut names = vec!["r#type".to_owned(), "r#type".to_owned()];
        dedupe(&mut names);
        assert_eq!(names, ["r#type", "type2"]);
    }

    #[test]
    fn fixed_names_stay_and_new_ones_go_around_them() {
        // `a` is new and comes first, but the fixed `a` keeps its name; so does the fixed `a2`.
        let mut names: Vec<String> = ["a", "a", "a2", "b"].map(String::from).to_vec();
        dedupe_around(&mut names, &[false, true, true, false]);
        assert_eq!(names, ["a3", "a", "a2", "b"]);
    }

    #[test]
    fn field_idents() {
        for ok in ["user_id", "r#type", "self_", "n2fa"] {
            assert!(is_field_ident(ok), "{ok}");
        }
        for bad in ["UserId", "r#self", "type", "_", "", "a-b", "r#notakeyword"] {
            assert!(!is_field_ident(bad), "{bad}");
        }
        let taken: BTreeSet<String> = ["X", "X2"].map(String::from).into();
        assert_eq!(unique(&taken, "X".into()), "X3");
        assert_eq!(unique(&taken, "Y".into()), "Y");
    }
}
