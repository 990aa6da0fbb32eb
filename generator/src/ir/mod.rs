//! The generator's intermediate representation: what the SDK consists of, with both wire names and
//! Rust names decided, and nothing of OpenAPI left in it.
//!
//! The lowering stage builds these values from the openapiv3 document; the emitter turns them into
//! Rust tokens. Neither side sees the other's types, which keeps each stage small and testable.

pub mod graph;
pub mod resources;
mod resources_tests;
pub mod visit;

use crate::naming::RustIdent;
use graph::TypeGraph;
use std::collections::{BTreeMap, BTreeSet};
use visit::Side;

/// The whole SDK: its types and its operations, both in a deterministic order.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's `info.title`.
    pub title: String,
    /// The spec's `info.version`.
    pub version: String,
    /// The default server URL.
    pub base_url: String,
    /// Every type, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operation groups (one per first tag), sorted by module name.
    pub groups: Vec<Group>,
    /// Things the generator noticed but could work around, with their location.
    pub warnings: Vec<String>,
    /// The Rust name given to each place of the spec: what `spec/names.lock` records.
    pub places: Places,
    /// The bodies of the webhooks Dixa delivers, when `spec/webhooks.yaml` describes them.
    pub webhooks: Option<Webhooks>,
}

/// The webhook deliveries, from `spec/webhooks.yaml`: emitted into `dixa::webhooks`.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhooks {
    /// The data types of the events and the objects they share, sorted by Rust name, unique in
    /// `dixa::webhooks`.
    pub types: Vec<TypeDef>,
    /// The envelope's fields other than `event_fqn` and `data`, which become the typed payload.
    pub envelope: Vec<Field>,
    /// The envelope's documentation.
    pub envelope_docs: Docs,
    /// The Rust name of the subscription API's event enum in `dixa::models`.
    pub event_type: RustIdent,
    /// One event per value of that enum, sorted by wire name.
    pub events: Vec<WebhookEvent>,
}

/// One event type.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEvent {
    /// The subscription API's name (`ConversationCreated`).
    pub name: String,
    /// The Rust variant, the same as the subscription enum's.
    pub variant: RustIdent,
    /// The delivered `event_fqn` (`CONVERSATION_CREATED`).
    pub fqn: String,
    /// The type of its `data`; `None` where nothing is known about it (kept as raw JSON).
    pub data: Option<TypeRef>,
    /// Its documentation.
    pub docs: Docs,
}

/// What a name in the lock file names. The order is the order of the lock file's sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceKind {
    /// A struct field, keyed by the JSON pointer of its property.
    Field,
    /// An operation's method, keyed by its group's module and its operationId.
    Method,
    /// An optional query parameter (a field of the options struct), keyed by operationId and wire
    /// name.
    Param,
    /// A named type, keyed by the JSON pointer of its schema (several lines for a shared type).
    Type,
    /// A variant of a string enum or `_type`-tagged union, keyed by its type's Rust name and its
    /// wire value or tag.
    Variant,
    /// The shape of an optional list field, `Vec` (empty when absent) or `Option` (`Option<Vec>`),
    /// keyed like its field. Not a name, but as much a part of the API: once decided it stays, so
    /// a new operation that sends a type only responses used to reach does not retype its lists.
    List,
    /// What an operation whose answer is a `{"data": ...}` envelope returns, `data` (the `data`
    /// member) or `body` (the envelope), keyed by operationId. Not a name either: once decided it
    /// stays, so a member added beside `data` (`meta` when a list gains pagination) does not change
    /// the result type under code that awaits the call.
    Result,
}

impl PlaceKind {
    /// The word that starts a line of this kind in the lock file.
    pub fn word(self) -> &'static str {
        match self {
            PlaceKind::Field => "field",
            PlaceKind::Method => "method",
            PlaceKind::Param => "param",
            PlaceKind::Type => "type",
            PlaceKind::Variant => "variant",
            PlaceKind::List => "list",
            PlaceKind::Result => "result",
        }
    }

    /// Every kind, in lock-file order.
    pub const ALL: [PlaceKind; 7] = [
        PlaceKind::Field,
        PlaceKind::Method,
        PlaceKind::Param,
        PlaceKind::Type,
        PlaceKind::Variant,
        PlaceKind::List,
        PlaceKind::Result,
    ];
}

/// A place in the spec that gets a Rust name: its kind and its key (a JSON pointer, or
/// `<module> <operationId>` for methods, `<operationId> <wire name>` for parameters, `<Type> <wire
/// value>` for variants).
pub type Place = (PlaceKind, String);

/// Rust names by place, sorted, so the lock file written from it is deterministic.
pub type Places = BTreeMap<Place, String>;

impl Api {
    /// The number of operations over all groups.
    pub fn operation_count(&self) -> usize {
        self.groups.iter().map(|g| g.operations.len()).sum()
    }

    /// The features (of groups) that use each type, directly or through other types. The typed
    /// webhook events' feature uses the subscription API's event enum. Types nothing else reaches,
    /// and the types they use, also get `unreached`.
    pub fn type_features<'a>(&'a self, unreached: &'a str) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
        let mut graph = TypeGraph::of(&self.types);
        let mut roots: Vec<(Vec<usize>, &str)> = Vec::new();
        for group in &self.groups {
            let mut names = Vec::new();
            for op in &group.operations {
                op.walk(&mut |r| names.extend(r.ty.name()));
            }
            roots.push((graph.nodes(names), &group.feature));
        }
        if let Some(webhooks) = &self.webhooks {
            let root = graph.nodes([webhooks.event_type.as_str()]);
            roots.push((root, crate::naming::WEBHOOK_EVENTS_FEATURE));
        }
        let mut features: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); graph.names.len()];
        for (roots, feature) in roots {
            for node in graph.reached(&roots) {
                features[node].insert(feature);
            }
        }
        let orphans: Vec<usize> = (0..graph.types)
            .filter(|&t| features[t].is_empty())
            .collect();
        for node in graph.reached(&orphans) {
            features[node].insert(unreached);
        }
        graph
            .names
            .iter()
            .zip(features)
            .filter(|(_, features)| !features.is_empty())
            .map(|(name, features)| (*name, features))
            .collect()
    }

    /// The types only responses reach: some operation's result uses them (directly or through
    /// other types), and no parameter or request body does. A value of such a type is only ever
    /// decoded from Dixa's answer, so an absent list and an empty one carry the same information;
    /// a type a request also uses keeps the difference, since a PATCH body that omits a list leaves
    /// it alone where an empty list clears it.
    pub fn response_only_types(&self) -> BTreeSet<&str> {
        let (sent, received) = self.reach();
        received.difference(&sent).copied().collect()
    }

    /// The types some parameter or request body uses, directly or through other types.
    pub fn request_types(&self) -> BTreeSet<&str> {
        self.reach().0
    }

    /// The types requests reach and the types results reach.
    fn reach<'a>(&'a self) -> (BTreeSet<&'a str>, BTreeSet<&'a str>) {
        let mut graph = TypeGraph::of(&self.types);
        let (mut inputs, mut outputs) = (Vec::new(), Vec::new());
        for op in self.groups.iter().flat_map(|g| &g.operations) {
            op.walk(&mut |r| match (r.side, r.ty.name()) {
                (Side::Input, Some(name)) => inputs.push(name),
                (Side::Output, Some(name)) => outputs.push(name),
                _ => {}
            });
        }
        let (inputs, outputs) = (graph.nodes(inputs), graph.nodes(outputs));
        let known = |roots: &[usize]| -> BTreeSet<&'a str> {
            graph
                .reached(roots)
                .filter(|&node| node < graph.types)
                .map(|node| graph.names[node])
                .collect()
        };
        (known(&inputs), known(&outputs))
    }
}

/// The fields of every struct among `types`, by the struct's name. (A function of the types rather
/// than of `Api`, so a pass can read them while it changes the operations.)
pub fn struct_fields(types: &[TypeDef]) -> BTreeMap<&str, &Vec<Field>> {
    types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct { fields } => Some((t.name.as_str(), fields)),
            _ => None,
        })
        .collect()
}

/// Whether `ty` names an id type (`AgentId`), which arguments take as `impl Into<Id>` so that its
/// raw value is accepted too.
pub fn is_id(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> bool {
    let TypeRef::Named(name) = ty else {
        return false;
    };
    types
        .get(name.as_str())
        .is_some_and(|t| matches!(t.kind, TypeKind::Id { .. }))
}

/// Whether a value of `ty` is written into a URL (path or query) or a form field as plain text with
/// `Display`: scalars, string enums, ids, and aliases of those. The one place this is decided, for the
/// lowering (which types path parameters) and the emitter (which writes query and form values).
pub fn displays_in_url(types: &[TypeDef], ty: &TypeRef) -> bool {
    let mut ty = ty;
    // A chain of aliases longer than the number of types has a cycle.
    for _ in 0..=types.len() {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime => return true,
            TypeRef::Named(name) => {
                let kind = types
                    .binary_search_by(|t| t.name.as_str().cmp(name))
                    .ok()
                    .map(|i| &types[i].kind)
                    .or_else(|| types.iter().find(|t| &t.name == name).map(|t| &t.kind));
                match kind {
                    Some(TypeKind::StringEnum { .. } | TypeKind::Id { .. }) => return true,
                    Some(TypeKind::Alias { target }) => ty = target,
                    _ => return false,
                }
            }
            TypeRef::Json
            | TypeRef::Binary
            | TypeRef::List(_)
            | TypeRef::Map(_)
            | TypeRef::KeyedMap(..)
            | TypeRef::Pending(_) => return false,
        }
    }
    false
}

/// Documentation carried from the spec to the rustdoc of a generated item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs {
    /// A one-line summary (operation summaries, schema titles).
    pub summary: Option<String>,
    /// The longer description, as written in the spec (CommonMark with some HTML).
    pub description: Option<String>,
    /// Marked `deprecated: true` in the spec.
    pub deprecated: bool,
}

/// A named type of the SDK.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name, unique in `dixa::models`.
    pub name: RustIdent,
    /// Where it comes from, as a JSON pointer into the spec (for docs and error messages).
    pub origin: String,
    /// Its documentation.
    pub docs: Docs,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The shapes a named type can take.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct { fields: Vec<Field> },
    /// Another name for a type expression (maps with `additionalProperties`).
    Alias { target: TypeRef },
    /// A string with a closed list of known values (plus a fallback for values added later).
    StringEnum { values: Vec<EnumValue> },
    /// A `oneOf` or `anyOf` whose variants carry a tag on the wire (`_type` in Dixa's unions).
    TaggedUnion {
        tag: UnionTag,
        variants: Vec<UnionVariant>,
    },
    /// A `oneOf` whose variants differ in JSON type, so no tag is needed.
    Untagged { variants: Vec<UntaggedVariant> },
    /// The id of an entity (`AgentId`): a newtype over its wire type (`raw`: a string, UUID or
    /// integer), used by the entity's own `id`, the fields that refer to it and the path parameters
    /// of its operations, so that two kinds of id cannot be swapped.
    Id { raw: TypeRef },
}

impl TypeKind {
    /// Whether this is an id over a UUID or an integer, which is `Copy` and handed out by value like
    /// its raw type (an id over a string is neither).
    pub fn is_copy_id(&self) -> bool {
        matches!(self, TypeKind::Id { raw } if *raw != TypeRef::String)
    }
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name (possibly a raw identifier such as `r#type`).
    pub name: RustIdent,
    /// Its type, without the `Option` that `required: false` adds.
    pub ty: TypeRef,
    /// Its place in the lock file (the JSON pointer of the property); empty for fields that have
    /// none (webhook events, tests).
    pub place: String,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// Stored behind a `Box` because the type contains itself through this field.
    pub boxed: bool,
    /// An optional list of a type only responses reach ([`Api::response_only_types`]): a `Vec`
    /// that is empty when the property is absent, instead of an `Option`.
    pub empty_when_absent: bool,
    /// The object's other keys (`additionalProperties` beside `properties`): `ty` is the map they
    /// are kept in, filled by decoding and written back flattened among the properties. Such a
    /// field has no wire name (`wire` is empty), is never required and is at most one per struct.
    pub flatten: bool,
    /// Its documentation.
    pub docs: Docs,
}

/// A known value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: String,
    /// The Rust variant name.
    pub name: RustIdent,
}

/// Where a tagged union's tag is on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionTag {
    /// The member holding the tag (`_type` in Dixa's unions, `discriminator.propertyName`, or the
    /// property every branch fixes to one value).
    pub property: String,
    /// Whether the variant schemas declare the tag property themselves. Then each variant struct
    /// keeps it as a field and writes it, and the union writes no tag of its own (it would be there
    /// twice); otherwise (Dixa's `_type`) the union writes the tag and the structs do not have it.
    pub in_variants: bool,
}

impl UnionTag {
    /// The tag of Dixa's unions: `_type`, written by the union.
    pub fn dixa() -> Self {
        UnionTag {
            property: DIXA_TAG.to_owned(),
            in_variants: false,
        }
    }
}

/// The property Dixa's unions carry their tag in.
pub const DIXA_TAG: &str = "_type";

/// A variant of a tagged union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    /// The tag value on the wire.
    pub tag: String,
    /// The Rust variant name.
    pub name: RustIdent,
    /// The Rust name of the variant's struct.
    pub ty: RustIdent,
    /// Stored behind a `Box` because the union contains itself through this variant.
    pub boxed: bool,
    /// While lowering: the index of the pending inline struct this variant holds (an inline
    /// branch), whose name `ty` takes once every name is decided; `None` for a named schema.
    pub pending: Option<usize>,
}

/// A variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// The Rust variant name.
    pub name: RustIdent,
    /// The variant's payload.
    pub ty: TypeRef,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    Uuid,
    DateTime,
    /// File content for multipart uploads.
    Binary,
    /// Any JSON value: used where the spec says nothing about the shape.
    Json,
    /// A named type of `dixa::models`.
    Named(RustIdent),
    /// An array.
    List(Box<TypeRef>),
    /// An object with arbitrary keys.
    Map(Box<TypeRef>),
    /// An object whose keys are the values of a string enumeration (the first type, named), with
    /// values of the second: a `BTreeMap` keyed by the enum, whose `Unknown` keeps a key this SDK
    /// does not know.
    KeyedMap(Box<TypeRef>, Box<TypeRef>),
    /// A placeholder for a type whose name is decided after the whole spec has been read (enums found
    /// in descriptions, inline unions); replaced by `Named` before lowering returns.
    Pending(usize),
}

impl TypeRef {
    /// Whether this is a small `Copy` scalar, which the SDK passes and lends by value rather than by
    /// reference (arguments, union accessors, and the examples that call them).
    pub fn is_small_copy(&self) -> bool {
        matches!(
            self,
            TypeRef::Bool
                | TypeRef::I32
                | TypeRef::I64
                | TypeRef::F32
                | TypeRef::F64
                | TypeRef::Uuid
        )
    }

    /// The Rust spelling of this type expression, the one place that spells it: the SDK's
    /// declarations, `generator diff` and the generator's warnings all use it. `krate` is the path of
    /// the SDK's crate (`crate` inside it, `dixa` for users) and `models` the prefix of named types
    /// (`crate::models::`, or nothing inside the models module).
    pub fn rust(&self, krate: &str, models: &str) -> String {
        match self {
            TypeRef::String => "String".to_owned(),
            TypeRef::Bool => "bool".to_owned(),
            TypeRef::I32 => "i32".to_owned(),
            TypeRef::I64 => "i64".to_owned(),
            TypeRef::F32 => "f32".to_owned(),
            TypeRef::F64 => "f64".to_owned(),
            TypeRef::Uuid => "uuid::Uuid".to_owned(),
            TypeRef::DateTime => format!("{krate}::DateTime"),
            TypeRef::Binary => format!("{krate}::Binary"),
            TypeRef::Json => "serde_json::Value".to_owned(),
            TypeRef::Named(name) => format!("{models}{name}"),
            TypeRef::List(inner) => format!("Vec<{}>", inner.rust(krate, models)),
            TypeRef::Map(inner) => {
                format!(
                    "std::collections::BTreeMap<String, {}>",
                    inner.rust(krate, models)
                )
            }
            TypeRef::KeyedMap(key, value) => {
                format!(
                    "std::collections::BTreeMap<{}, {}>",
                    key.rust(krate, models),
                    value.rust(krate, models)
                )
            }
            // Lowering replaces every placeholder; should one survive, the SDK must not compile.
            TypeRef::Pending(i) => {
                format!("compile_error!(\"generator bug: unresolved pending type {i}\")")
            }
        }
    }

    /// Calls `f` on this reference and every reference inside it.
    pub fn visit_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        f(self);
        match self {
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.visit_mut(f),
            TypeRef::KeyedMap(key, value) => {
                key.visit_mut(f);
                value.visit_mut(f);
            }
            _ => {}
        }
    }
}

/// The operations of one tag, reached through `client.<accessor>()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The tag as written in the spec.
    pub tag: String,
    /// The module under `dixa::apis`.
    pub module: RustIdent,
    /// The accessor method on `Client`.
    pub accessor: RustIdent,
    /// The struct holding the methods.
    pub struct_name: RustIdent,
    /// The cargo feature that enables the group (and the types it uses).
    pub feature: String,
    /// The tag's description, when the spec has one.
    pub docs: Docs,
    /// Its operations in spec order.
    pub operations: Vec<Operation>,
}

/// An HTTP method an OpenAPI path item can hold, in the order a path item lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// Every method, in path-item order.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];

    /// The key of its operation in a path item (`get`).
    pub fn key(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// The method as HTTP writes it, and as the runtime's `Method` constants are named (`GET`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's operationId.
    pub id: String,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The path template (`/beta/agents/{agentId}`).
    pub path: String,
    /// The Rust method name.
    pub name: RustIdent,
    /// Its documentation.
    pub docs: Docs,
    /// Path parameters in the order they appear in the URL.
    pub path_params: Vec<Param>,
    /// Required query parameters, passed positionally after the path parameters.
    pub required_query: Vec<Param>,
    /// Optional query parameters, each a setter of the request builder (named `Param::name`).
    pub optional_query: Vec<Param>,
    /// The name of the request builder the method returns (`GetAgentRequest`), unique in its group's
    /// module.
    pub builder: RustIdent,
    /// The request body.
    pub body: Option<Body>,
    /// What a successful response carries.
    pub response: Response,
    /// Set when the operation lists items across pages (`pageKey` and `meta.next`).
    pub pagination: Option<Pagination>,
}

/// How a paginated operation is followed across pages (its builder's `pages` and `items`).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The type of one item of `data`.
    pub item: TypeRef,
}

/// A path or query parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name.
    pub name: RustIdent,
    /// Its type.
    pub ty: TypeRef,
    /// Its documentation.
    pub docs: Docs,
    /// The fractional seconds of a date-time value as its description documents them (a Java
    /// pattern such as `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`); `None` when it documents none. Only read
    /// when the parameter holds date-times, which a URL always carries in UTC with `Z`
    /// (`DateTime::to_utc_string`), never in the form a body round-trips.
    pub date_time: Option<SecondsPrecision>,
    /// The spec's example of its value (the parameter's `example`, else the first of its
    /// `examples` by name, else its schema's `example`), which the operation's doc example passes.
    pub example: Option<serde_json::Value>,
}

/// How many digits of fractional seconds a date-time in a URL has: the precision of chrono's
/// `SecondsFormat`, which the runtime's `DateTime::to_utc_string` takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SecondsPrecision {
    /// As many digits as the value needs to be exact (0, 3, 6 or 9): RFC 3339, which OpenAPI's
    /// `format: date-time` names, says no more, so a parameter whose description documents no
    /// pattern is written so.
    #[default]
    Auto,
    /// Whole seconds (`ss`).
    Seconds,
    /// Milliseconds (`ss.SSS`).
    Millis,
    /// Microseconds (`ss.SSSSSS`).
    Micros,
    /// Nanoseconds (`ss.SSSSSSSSS`).
    Nanos,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the operation can be called without a body.
    pub required: bool,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// The body's documentation.
    pub docs: Docs,
    /// The spec's example of the body: its `example`, or else the first of its `examples` by name.
    pub example: Option<serde_json::Value>,
}

/// The encodings of request bodies. When a body offers several content types, lowering takes the
/// first of JSON, form, multipart, text and bytes, and of that kind the first concrete content type
/// in sorted order (wildcards last).
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    /// `application/json` (or any `+json` type).
    Json,
    /// `multipart/form-data`: one part per field of the body struct.
    Multipart { parts: Vec<Field> },
    /// `application/x-www-form-urlencoded`: one form field per field of the body struct (filled in
    /// once types are named), written as query parameters are.
    Form { fields: Vec<FormField> },
    /// `text/*`: the body is a string, sent with `content_type` (`text/plain` for `text/*`).
    Text { content_type: String },
    /// Any other content type (`application/octet-stream`, `application/pdf`, `image/*`, `*/*`):
    /// the body is bytes, sent with the content type the caller gives them or else `content_type`
    /// (`application/octet-stream` for a wildcard).
    Binary { content_type: String },
}

/// A field of a form body and how its value is written.
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    /// The struct's field.
    pub field: Field,
    /// How its value is written.
    pub value: FormValue,
}

/// How a form field's value is written (decided by lowering, which warns about the last kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormValue {
    /// A scalar, enum or id, as text with `Display`.
    Text,
    /// A list of those: the field repeated once per item.
    TextList,
    /// File content: its bytes.
    Bytes,
    /// A list of files: the field repeated once per file.
    BytesList,
    /// Anything else (objects, maps, lists of objects): JSON text.
    Json,
}

/// What a successful response is turned into, and the error statuses the spec declares.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The success status the spec declares (the lowest, when it declares several).
    pub status: u16,
    /// The body.
    pub kind: ResponseKind,
    /// The non-2xx responses the spec declares, in order of status (`4XX` after `499`, `default`
    /// last).
    pub errors: Vec<ErrorStatus>,
    /// The `Accept` header, when the operation answers with something other than JSON: the content
    /// types it decodes, sorted and joined with `, `.
    pub accept: Option<String>,
    /// The spec's example of the success response's body (of the lowest 2xx status, JSON or text):
    /// its media type's `example`, or else the first of its `examples` by name. `dixa::testing`
    /// answers it for an operation no rule covers.
    pub example: Option<serde_json::Value>,
}

/// An error response an operation declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorStatus {
    /// `404`, `4XX` or `default`.
    pub status: String,
    /// The response's description (may be empty).
    pub description: String,
}

/// The body of a successful response.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// No body (204, or a 2xx without content): the method returns `()`.
    Empty,
    /// A body returned as is.
    Json(TypeRef),
    /// A `{"data": ...}` envelope with nothing else in it: the method returns the `data` value.
    /// When `data` is optional (Dixa omits empty lists), it is a list or map and absence means empty.
    /// `more` says that the envelope has members besides `data`: the lock kept the result its
    /// operation had before they were added, and the builder's `send_envelope` returns the envelope
    /// whole.
    Data {
        envelope: RustIdent,
        data: TypeRef,
        required: bool,
        more: bool,
    },
    /// A `text/*` body: the method returns it as a `String`.
    Text,
    /// A body of any other content type: the method returns its bytes (`Vec<u8>`).
    Bytes,
    /// Several 2xx responses of which some carry one type and the others nothing: the method returns
    /// `Option<T>`, `None` for the statuses without a body.
    Optional { variants: Vec<StatusVariant> },
    /// Several 2xx responses with different bodies: the method returns an enum of the operation
    /// (`name`, in its group's module) with a variant per status.
    ByStatus {
        name: RustIdent,
        variants: Vec<StatusVariant>,
    },
}

/// One of several 2xx responses of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The status, `None` for the `2XX` range (any 2xx status the spec does not list).
    pub status: Option<u16>,
    /// The variant's name (`Created`), from the status.
    pub name: RustIdent,
    /// Its body: never `Optional` or `ByStatus`.
    pub kind: ResponseKind,
    /// The response's description.
    pub description: String,
}

impl StatusVariant {
    /// The status as the spec writes it (`201`, `2XX`).
    pub fn status_text(&self) -> String {
        match self.status {
            Some(code) => code.to_string(),
            None => "2XX".to_owned(),
        }
    }
}

impl ResponseKind {
    /// The variant a 2xx status that no other variant names decodes as: the `2XX` range when the
    /// spec declares one, else the lowest status. (Variants are sorted by status, the range last.)
    pub fn fallback(variants: &[StatusVariant]) -> Option<&StatusVariant> {
        variants
            .iter()
            .find(|v| v.status.is_none())
            .or_else(|| variants.first())
    }

    /// The body of an `Optional` response (its one kind with a body).
    pub fn optional_body(variants: &[StatusVariant]) -> Option<&ResponseKind> {
        variants
            .iter()
            .map(|v| &v.kind)
            .find(|k| **k != ResponseKind::Empty)
    }

    /// The Rust spelling of the result a method with this response yields. `krate` and `models`
    /// as in [`TypeRef::rust`]; `module` prefixes the name of a by-status enum.
    pub fn rust(&self, krate: &str, models: &str, module: &str) -> String {
        match self {
            ResponseKind::Empty => "()".to_owned(),
            ResponseKind::Json(ty) | ResponseKind::Data { data: ty, .. } => ty.rust(krate, models),
            ResponseKind::Text => "String".to_owned(),
            ResponseKind::Bytes => "Vec<u8>".to_owned(),
            ResponseKind::Optional { variants } => match Self::optional_body(variants) {
                Some(body) => format!("Option<{}>", body.rust(krate, models, module)),
                None => "()".to_owned(),
            },
            ResponseKind::ByStatus { name, .. } => format!("{module}{name}"),
        }
    }

    /// Calls `f` on every type expression of this response's bodies.
    pub fn types_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        match self {
            ResponseKind::Empty | ResponseKind::Text | ResponseKind::Bytes => {}
            ResponseKind::Json(ty) | ResponseKind::Data { data: ty, .. } => f(ty),
            ResponseKind::Optional { variants } | ResponseKind::ByStatus { variants, .. } => {
                variants.iter_mut().for_each(|v| v.kind.types_mut(f))
            }
        }
    }
}
