//! Every naming rule of the generated SDK lives here: type, field, variant, method and module names,
//! keyword escapes and the resolution of collisions.
//!
//! Keeping them in one module means a reader can learn the whole naming scheme in one place, and a
//! change to a rule cannot leave a second copy of it behind elsewhere.

use std::collections::{BTreeMap, BTreeSet};

/// A Rust identifier the naming rules made (or checked, for a name a person wrote in
/// `spec/renames.yaml` or that `spec/names.lock` kept): valid for its kind, a keyword written as a
/// raw identifier (`r#type`). Only this module builds one, so every name in the IR went through the
/// rules; code elsewhere reads it as `&str` (the form Rust source uses) or asks for [`raw`](Self::raw).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RustIdent(String);

impl RustIdent {
    /// As written in Rust source (`r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the raw-identifier prefix (`type`): for file names, names derived from this one and
    /// comparisons with wire names.
    pub fn raw(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }

    /// Whether it is a keyword written as a raw identifier (`r#type`).
    pub fn is_raw(&self) -> bool {
        self.0.starts_with("r#")
    }

    /// A type name written by a person or kept by the lock, if it is a valid one.
    pub fn checked_type(name: &str) -> Option<Self> {
        is_type_ident(name).then(|| Self(name.to_owned()))
    }

    /// A variant name written by a person or kept by the lock, if it is a valid one.
    pub fn checked_variant(name: &str) -> Option<Self> {
        is_variant_ident(name).then(|| Self(name.to_owned()))
    }

    /// A method name written by a person in the rename table, if it is a valid one.
    pub fn checked_method(name: &str) -> Option<Self> {
        is_snake_ident(name).then(|| Self(name.to_owned()))
    }

    /// A field, parameter or method name written by a person or kept by the lock, if it is a valid
    /// one.
    pub fn checked_field(name: &str) -> Option<Self> {
        is_field_ident(name).then(|| Self(name.to_owned()))
    }
}

/// Tests build IR values by hand; outside tests a name only comes from the rules.
#[cfg(test)]
impl From<&str> for RustIdent {
    fn from(name: &str) -> Self {
        Self(name.to_owned())
    }
}

impl std::ops::Deref for RustIdent {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for RustIdent {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for RustIdent {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for RustIdent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RustIdent {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for RustIdent {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for RustIdent {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<RustIdent> for &str {
    fn eq(&self, other: &RustIdent) -> bool {
        *self == other.0
    }
}

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
    "attempt_span",
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
    "traced_url",
    "try_into",
    "type_id",
];

/// Cargo features a group cannot have: cargo's own `default`, the emitter's feature of the types no
/// operation reaches (`emit::features::UNREACHED_MODELS`), the typed webhook events' feature, and the
/// runtime's own features (`custom-http-client`, `testing`). Such a group's feature gets the suffix `-api`.
const RESERVED_FEATURES: &[&str] = &[
    "default",
    UNREACHED_MODELS_FEATURE,
    WEBHOOK_EVENTS_FEATURE,
    CUSTOM_HTTP_CLIENT_FEATURE,
    TESTING_FEATURE,
];

/// The runtime's cargo feature that enables `ClientBuilder::http_client`.
pub const CUSTOM_HTTP_CLIENT_FEATURE: &str = "custom-http-client";

/// The runtime's cargo feature that compiles `dixa::testing`, the values for unit tests.
pub const TESTING_FEATURE: &str = "testing";

/// The cargo feature of the types no operation uses.
pub const UNREACHED_MODELS_FEATURE: &str = "unreached-models";

/// The cargo feature of the typed webhook events (`dixa::webhooks::Event` and its data types).
/// Not `webhooks`: that is the feature of the tag that manages webhook subscriptions.
pub const WEBHOOK_EVENTS_FEATURE: &str = "webhook-events";

/// The Rust name of a type of `spec/webhooks.yaml` in `dixa::webhooks`: `Event` before the name its
/// schema key gives (`Conversation` -> `EventConversation`, `MessageAddedData` ->
/// `EventMessageAddedData`), unless it starts with `Event` already. What a webhook delivers has
/// other shapes than the REST models of the same name (a conversation's channel is `EMAIL` in one
/// and `Email` in the other), so no type of `dixa::webhooks` may read like one of `dixa::models`,
/// today's or a future one: every name says it is what an event carries.
pub fn webhook_type_name(schema_name: &RustIdent) -> RustIdent {
    let name = schema_name.raw();
    let starts_with_event = name
        .strip_prefix("Event")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase()));
    if starts_with_event {
        schema_name.clone()
    } else {
        RustIdent(type_ident(format!("Event{name}")))
    }
}

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
    joined(event_type, Some('_'), |word, out| {
        out.push_str(&word.to_ascii_uppercase())
    })
}

/// The words of `text`, every non-ASCII character a break between two. Rust names are kept ASCII,
/// like the type names from schema keys: anyone can type them, and no identifier lint
/// (`mixed_script_confusables`, `uncommon_codepoints`) can fire on generated code that denies
/// warnings. The wire name is kept in a serde rename.
///
/// The words are split where heck splits them (heck 0.5's `transform`, whose results the tests
/// compare with these on every name of the beta spec and on awkward ones): at every character that
/// is not a letter or digit, after a lowercase letter (or a digit after one) followed by an
/// uppercase letter (`pageKey` -> `page`, `Key`), and before the last of a run of uppercase letters
/// followed by a lowercase one (`SLAEvaluation` -> `SLA`, `Evaluation`). heck does this through
/// `fmt::Formatter` a character at a time, which cost about 9 M instructions a run, most of them on the
/// main thread while lowering, where every field, variant and derived type is named.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .flat_map(|part| {
            let bytes = part.as_bytes();
            let mut cuts = Vec::new();
            // The case of the last cased letter since the last cut: heck's `WordMode`.
            let mut last: Option<bool> = None; // Some(true): uppercase.
            for i in 0..bytes.len().saturating_sub(1) {
                let (c, next) = (bytes[i], bytes[i + 1]);
                let mode = if c.is_ascii_lowercase() {
                    Some(false)
                } else if c.is_ascii_uppercase() {
                    Some(true)
                } else {
                    last
                };
                if mode == Some(false) && next.is_ascii_uppercase() {
                    cuts.push(i + 1);
                    last = None;
                } else if last == Some(true) && c.is_ascii_uppercase() && next.is_ascii_lowercase()
                {
                    cuts.push(i);
                    last = None;
                } else {
                    last = mode;
                }
            }
            let mut start = 0;
            cuts.into_iter()
                .chain([part.len()])
                .map(move |end| {
                    let word = &part[start..end];
                    start = end;
                    word
                })
                .filter(|word| !word.is_empty())
                .collect::<Vec<_>>()
        })
}

/// The [`words`] of `text`, each written by `write`, with `separator` (if any) between two.
fn joined(text: &str, separator: Option<char>, mut write: impl FnMut(&str, &mut String)) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for word in words(text) {
        if let Some(separator) = separator.filter(|_| !out.is_empty()) {
            out.push(separator);
        }
        write(word, &mut out);
    }
    out
}

/// snake_case: the words lowercased, joined by `_`.
fn snake_case(text: &str) -> String {
    joined(text, Some('_'), |word, out| {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())))
    })
}

/// UpperCamelCase: each word's first letter uppercased and the rest lowercased, joined.
fn upper_camel_case(text: &str) -> String {
    joined(text, None, |word, out| {
        for (i, b) in word.bytes().enumerate() {
            out.push(char::from(if i == 0 {
                b.to_ascii_uppercase()
            } else {
                b.to_ascii_lowercase()
            }));
        }
    })
}

/// The Rust name of a component schema: the schema key with underscores removed and the first letter
/// of each part uppercased, the rest kept as written. Dixa's documentation names types by their keys,
/// so `BulkActionOutcome_BulkError_Agent` becomes `BulkActionOutcomeBulkErrorAgent` and `UUIDField`
/// stays `UUIDField`: a user can find the type the docs talk about.
pub fn type_name(schema_key: &str) -> RustIdent {
    let mut out = String::with_capacity(schema_key.len());
    for part in schema_key.split(|c: char| c == '_' || !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    RustIdent(type_ident(out))
}

/// The Rust name of a type we derive from words rather than from a schema key (inline types, enums
/// found in descriptions, parameter structs): UpperCamelCase of the words.
pub fn derived_type_name(words: &str) -> RustIdent {
    RustIdent(type_ident(upper_camel_case(words)))
}

/// The name of a type derived from a member of another (`Agent` and `presence` -> `AgentPresence`):
/// the owner's name followed by the field's words, leading underscores dropped (`_type`).
pub fn member_type_name(owner: &str, field: &str) -> RustIdent {
    let field = derived_type_name(field.trim_start_matches('_'));
    RustIdent(type_ident(format!("{owner}{field}")))
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
pub fn field_name(wire: &str) -> RustIdent {
    RustIdent(snake_ident(wire))
}

/// The snake_case identifier of `wire`, keywords escaped.
fn snake_ident(wire: &str) -> String {
    let snake = snake_case(wire);
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
pub fn variant_name(wire: &str) -> RustIdent {
    let camel = upper_camel_case(wire);
    RustIdent(if camel.is_empty() {
        "Empty".to_owned()
    } else if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{camel}")
    } else if camel == "Self" {
        // Not `Self_`: `dedupe` may append a number, and `Self_2` fails `non_camel_case_types`.
        "SelfValue".to_owned()
    } else {
        camel
    })
}

/// The name of an operation's method: the snake_case words of its summary (`Add internal note` ->
/// `add_internal_note`), because the summary is what Dixa's reference shows as the page title. Without
/// a summary the operationId is used. The rename table in `spec/renames.yaml` overrides both.
pub fn method_name(summary: Option<&str>, operation_id: &str) -> RustIdent {
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
    pub module: RustIdent,
    /// The accessor method on `Client` (`end_users`).
    pub accessor: RustIdent,
    /// The struct holding the group's methods (`EndUsers`).
    pub struct_name: RustIdent,
    /// The cargo feature enabling the group (`end-users`).
    pub feature: String,
}

/// The names of an operation group, derived from its tag. A module name is never a raw identifier
/// (`type` becomes `type_`, not `r#type`): its file is named after it, and the tag `mod` would
/// otherwise be written to `src/apis/mod.rs`, over the module list.
pub fn group_names(tag: &str) -> GroupNames {
    let module = snake_ident(tag);
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
        accessor: RustIdent(accessor),
        module: RustIdent(module),
        struct_name: derived_type_name(tag),
    }
}

/// The request builder an operation's method returns (`list_agents` -> `ListAgentsRequest`).
pub fn builder_name(method: &RustIdent) -> RustIdent {
    RustIdent(format!("{}Request", derived_type_name(method.raw())))
}

/// The parameter struct of a model's `new` whose required fields would accept the same value
/// (`Email` -> `EmailRequired`, `Email::new(EmailRequired { from, to })`), beside the model in its
/// module. Derived from the model's (locked) name, so it needs no lock line of its own; a schema of
/// that name is refused by `emit::constructors::parameter_structs`.
pub fn required_struct_name(model: &RustIdent) -> RustIdent {
    RustIdent(format!("{}Required", model.raw()))
}

/// The struct of a group's rules in `dixa::testing` (`Agents` -> `AgentsRules`), reached through
/// `MockDixa::<accessor>`. Group struct names are unique, so these are too.
pub fn rules_struct_name(group_struct: &RustIdent) -> RustIdent {
    RustIdent(format!("{}Rules", group_struct.raw()))
}

/// The typed matcher of a parameter on an operation's rule builder in `dixa::testing`
/// (`agent_id` -> `with_agent_id`), or `None` when the name is one of the builder's generic methods
/// (`with_body`, `with_path_param`, ...), which the generic method serves instead.
pub fn rule_matcher_name(param: &RustIdent) -> Option<RustIdent> {
    const GENERIC: &[&str] = &[
        "with_body",
        "with_body_eq",
        "with_path_param",
        "with_query_json",
        "with_query_param",
        "with_query_values",
    ];
    let name = format!("with_{}", param.raw());
    (!GENERIC.contains(&name.as_str())).then_some(RustIdent(name))
}

/// The enum of an operation whose 2xx responses carry different bodies (`create_foo` ->
/// `CreateFooResponse`), beside its builder in the group's module.
pub fn response_enum_name(method: &RustIdent) -> RustIdent {
    RustIdent(format!("{}Response", derived_type_name(method.raw())))
}

/// The variant of a response enum for a 2xx status (`None` for the `2XX` range): the reason phrase
/// of the status, so `201` is `Created`, and `Status<code>` for a status without a registered one.
pub fn status_variant_name(status: Option<u16>) -> RustIdent {
    let name = match status {
        None => "Other".to_owned(),
        // Not `Ok`, which a glob import of the variants would shadow `Result::Ok` with.
        Some(200) => "Success".to_owned(),
        Some(201) => "Created".to_owned(),
        Some(202) => "Accepted".to_owned(),
        Some(203) => "NonAuthoritativeInformation".to_owned(),
        Some(204) => "NoContent".to_owned(),
        Some(205) => "ResetContent".to_owned(),
        Some(206) => "PartialContent".to_owned(),
        Some(207) => "MultiStatus".to_owned(),
        Some(208) => "AlreadyReported".to_owned(),
        Some(226) => "ImUsed".to_owned(),
        Some(code) => format!("Status{code}"),
    };
    RustIdent(name)
}

/// Methods every request builder has (written by the runtime's `request_builder!`, or by Rust for
/// any type), which a setter named after a query parameter must not take.
const BUILDER_METHODS: &[&str] = &[
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

/// The variant of an untagged union that holds a JSON kind (`String`, `Integer`, `Bool`...) or a
/// list of `item` words (`StringList`, `FileMetaList`).
pub fn untagged_variant_name(kind: &str, list_of: Option<&str>) -> RustIdent {
    match list_of {
        Some(item) => RustIdent(format!("{item}List")),
        None => RustIdent(kind.to_owned()),
    }
}

/// The variant every string enum and `_type`-tagged union has for values this SDK does not know,
/// which the variants named after values go around.
pub fn unknown_variant() -> RustIdent {
    RustIdent("Unknown".to_owned())
}

/// The field of a model struct that keeps the object's other keys (`additionalProperties` beside
/// `properties`). It is named after the properties, so a property called `extra` keeps its name and
/// the map goes around it (`extra2`); the lock then keeps whichever name it got.
pub fn extra_field() -> RustIdent {
    RustIdent("extra".to_owned())
}

/// The name of the argument that carries a request body.
pub fn body_argument() -> RustIdent {
    RustIdent("body".to_owned())
}

/// The methods every request builder has, as names a setter goes around.
pub fn builder_methods() -> Vec<RustIdent> {
    BUILDER_METHODS
        .iter()
        .map(|n| RustIdent((*n).to_owned()))
        .collect()
}

/// Names the emitted method of an operation binds in the scope of its arguments, which its other
/// arguments go around: its own argument `body`, the `request` it builds before reading the path
/// arguments and the `call` it builds before reading the query arguments (`emit/apis.rs`). A
/// parameter with one of these names would be shadowed by the local and the method would not
/// compile (`call.query("call", &call)`). `self` needs no entry: it is a keyword, which
/// `field_name` already escapes (`self_`), and the method's other names are paths
/// (`crate::runtime::...`, `reqwest::Method`), which no local shadows.
pub fn method_locals() -> Vec<RustIdent> {
    ["request", "call"]
        .into_iter()
        .map(|local| RustIdent(local.to_owned()))
        .chain([body_argument()])
        .collect()
}

/// The accessor of the text a union or struct carries, however deep (`emit/accessors.rs`).
pub fn text_method() -> RustIdent {
    RustIdent("text".to_owned())
}

/// The methods every tagged union has beside its variants' (`tagged_union!` in the runtime): the
/// accessor of its tag, `type_name` rather than `tag`, since Dixa's domain has tags of its own
/// (`Conversation::type_name()` is `"EmailConversation"`, a conversation's tags are another call).
/// An accessor of a field the variants share goes around these names.
pub fn union_methods() -> Vec<RustIdent> {
    vec![RustIdent("type_name".to_owned())]
}

/// The names of a union's methods that come before the accessors of the fields its variants share:
/// [`union_methods`] and each variant's `is_`/`as_` pair ([`variant_methods`]). A shared field
/// named like one of them gets no accessor.
pub fn fixed_union_methods(methods: &[VariantMethods]) -> BTreeSet<String> {
    let mut taken: BTreeSet<String> = union_methods()
        .into_iter()
        .map(|m| m.raw().to_owned())
        .collect();
    for m in methods {
        taken.insert(m.is.to_string());
        taken.insert(m.as_ref.to_string());
    }
    taken
}

/// The setter of an optional field of a model struct (`agent_id` -> `with_agent_id`, `r#type` ->
/// `with_type`). Field names are unique in a struct, so setter names are too.
pub fn setter_name(field: &RustIdent) -> RustIdent {
    RustIdent(format!("with_{}", field.raw()))
}

/// The methods a `_type`-tagged union has for each variant: `is_<variant>`, `as_<variant>` and the
/// short constructor `<variant>` (`ChatConversation` -> `is_chat_conversation`,
/// `as_chat_conversation`, `chat_conversation`; `Type` -> `r#type`). A variant whose name already
/// asks a question (`IsOneOf`, `IsNotEmpty`: Dixa's filter operators) is its own predicate, with no
/// second `is_` (`is_one_of()`, `is_not_empty()`), and its constructor drops the `is` instead
/// (`one_of(values)`, `not_empty()`), since the predicate holds the variant's full name.
pub struct VariantMethods {
    /// `is_<variant>`.
    pub is: RustIdent,
    /// `as_<variant>`.
    pub as_ref: RustIdent,
    /// The constructor, `<variant>` in snake_case.
    pub new: RustIdent,
}

/// The methods of the variants of one union, in variant order. The `is_`/`as_` pairs exist for every
/// variant, so when two variants give equal snake_case words (`HtmlText`, `HTMLText`) the later one
/// is numbered.
pub fn variant_methods(variants: &[&RustIdent]) -> Vec<VariantMethods> {
    let snake: Vec<String> = variants
        .iter()
        .map(|v| {
            let s = snake_case(v);
            if s.is_empty() {
                "empty".to_owned()
            } else {
                s
            }
        })
        .collect();
    // The words after a leading `is` of a variant named as a question (`is_one_of` -> `one_of`).
    let question = |s: &str| {
        s.strip_prefix("is_")
            .filter(|rest| !rest.is_empty())
            .map(str::to_owned)
    };
    let mut is: Vec<RustIdent> = snake
        .iter()
        .map(|s| match question(s) {
            Some(_) => RustIdent(s.clone()),
            None => RustIdent(format!("is_{s}")),
        })
        .collect();
    let mut as_ref: Vec<RustIdent> = snake.iter().map(|s| RustIdent(format!("as_{s}"))).collect();
    let mut new: Vec<RustIdent> = snake
        .iter()
        .map(|s| field_name(&question(s).unwrap_or_else(|| s.clone())))
        .collect();
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
pub fn dedupe(names: &mut [RustIdent]) {
    dedupe_around(names, &vec![false; names.len()]);
}

/// Like [`dedupe`], but the names marked `fixed` (chosen by the rename table or kept from the lock
/// file) are never changed: a derived name equal to a fixed one is numbered even when it comes
/// first, so a new place never takes or shifts a name that is already in use. Fixed names must be
/// distinct; callers check that, because only they can name the entries that clash.
pub fn dedupe_around(names: &mut [RustIdent], fixed: &[bool]) {
    let mut seen: BTreeMap<String, usize> = names
        .iter()
        .zip(fixed)
        .filter(|(_, fixed)| **fixed)
        .map(|(name, _)| (name.0.clone(), 1))
        .collect();
    let taken: Vec<String> = names.iter().map(|n| n.0.clone()).collect();
    for (name, fixed) in names.iter_mut().zip(fixed) {
        if *fixed {
            continue;
        }
        let count = seen.entry(name.0.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            let mut n = *count;
            // A keyword with a number is no keyword: `r#type` becomes `type2`, not `r#type2`.
            let stem = name.raw().to_owned();
            loop {
                let candidate = format!("{stem}{n}");
                if !taken.contains(&candidate) && !seen.contains_key(&candidate) {
                    seen.insert(candidate.clone(), 1);
                    *name = RustIdent(candidate);
                    break;
                }
                n += 1;
            }
        }
    }
}

/// `name`, or `name2`, `name3`... whichever `taken` does not hold: the name of a new place that must
/// not take one in use.
pub fn unique(taken: &BTreeSet<String>, name: RustIdent) -> RustIdent {
    if !taken.contains(name.as_str()) {
        return name;
    }
    (2..)
        .map(|n| format!("{}{n}", name.raw()))
        .find(|candidate| !taken.contains(candidate.as_str()))
        .map_or(name, RustIdent)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// heck's conversions, which `naming`'s own reproduce on ASCII words: the reference.
    fn heck_cases(text: &str) -> [String; 3] {
        use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
        let ascii: String = text
            .chars()
            .map(|c| if c.is_ascii() { c } else { ' ' })
            .collect();
        [
            ascii.to_snake_case(),
            ascii.to_upper_camel_case(),
            ascii.to_shouty_snake_case(),
        ]
    }

    fn own_cases(text: &str) -> [String; 3] {
        [snake_case(text), upper_camel_case(text), event_fqn(text)]
    }

    #[test]
    fn words_are_cut_and_cased_as_heck_cuts_and_cases_them() {
        for text in [
            "",
            "_",
            "a",
            "A",
            "1",
            "pageKey",
            "PageKey",
            "page_key",
            "page-key",
            "SLAEvaluationVoided",
            "HTMLText",
            "HtmlText",
            "ABC",
            "aB",
            "Ab",
            "aBC",
            "ABc",
            "a1B",
            "A1b",
            "AB1c",
            "ab1Cd",
            "1Bc",
            "x_9Ab",
            "v2API",
            "API2Key",
            "x__y",
            "  leading and trailing  ",
            "UUIDField",
            "BulkActionOutcome_BulkError_Agent",
            "Äpfel und Birnen",
            "naïveÜber",
            "日本語Name",
            "ΣΑΣ",
            "e-mail@domain.com",
            "$type",
            "_type",
            "x-dixa-id",
        ] {
            assert_eq!(own_cases(text), heck_cases(text), "{text:?}");
        }
    }

    /// Every key and every string of the beta spec, as words: the names a run gives among them.
    #[test]
    fn every_word_of_the_beta_spec_is_cased_as_heck_cases_it() {
        fn strings<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
            match value {
                serde_json::Value::String(s) => out.push(s),
                serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
                serde_json::Value::Object(map) => {
                    for (key, v) in map {
                        out.push(key);
                        strings(v, out);
                    }
                }
                _ => {}
            }
        }
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/dixa-api.yaml");
        let tree = crate::load::load_tree(&spec).expect("the beta spec loads");
        let mut texts = Vec::new();
        strings(&tree, &mut texts);
        assert!(texts.len() > 10_000, "{} strings", texts.len());
        for text in texts {
            assert_eq!(own_cases(text), heck_cases(text), "{text:?}");
        }
    }

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
        let variants = ["ChatConversation", "Type", "HtmlText", "HTMLText"].map(RustIdent::from);
        let methods = variant_methods(&variants.iter().collect::<Vec<_>>());
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
    fn webhook_types_say_they_are_what_an_event_carries() {
        for (schema, name) in [
            ("Conversation", "EventConversation"),
            ("MessageAddedData", "EventMessageAddedData"),
            ("EventDetails", "EventDetails"),
            ("Eventually", "EventEventually"),
        ] {
            assert_eq!(webhook_type_name(&type_name(schema)).as_str(), name);
        }
    }

    #[test]
    fn a_variant_named_as_a_question_is_its_own_predicate() {
        let variants = ["IsOneOf", "IsNotOneOf", "IsEmpty", "Issue", "Is"].map(RustIdent::from);
        let methods = variant_methods(&variants.iter().collect::<Vec<_>>());
        let names: Vec<(&str, &str, &str)> = methods
            .iter()
            .map(|m| (m.is.as_str(), m.as_ref.as_str(), m.new.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("is_one_of", "as_is_one_of", "one_of"),
                ("is_not_one_of", "as_is_not_one_of", "not_one_of"),
                ("is_empty", "as_is_empty", "empty"),
                // `Issue` is one word, not a question; a bare `Is` has nothing to ask.
                ("is_issue", "as_issue", "issue"),
                ("is_is", "as_is", "is"),
            ]
        );
        assert!(methods.iter().all(|m| !m.is.raw().starts_with("is_is_")));
        // No predicate takes a constructor's name, so neither is left out of a union.
        for m in &methods {
            assert!(methods.iter().all(|other| other.new.raw() != m.is.raw()));
        }
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
        let mut names: Vec<RustIdent> = ["a", "b", "a", "a2"].map(RustIdent::from).to_vec();
        dedupe(&mut names);
        assert_eq!(names, ["a", "b", "a3", "a2"]);
        let mut names: Vec<RustIdent> = ["r#type", "r#type"].map(RustIdent::from).to_vec();
        dedupe(&mut names);
        assert_eq!(names, ["r#type", "type2"]);
    }

    #[test]
    fn fixed_names_stay_and_new_ones_go_around_them() {
        // `a` is new and comes first, but the fixed `a` keeps its name; so does the fixed `a2`.
        let mut names: Vec<RustIdent> = ["a", "a", "a2", "b"].map(RustIdent::from).to_vec();
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
