//! Date-times: what the SDK types as `DateTime` and how it sends them.
//!
//! On the wire, a date-time in a query parameter is its instant in UTC with `Z`, in the precision
//! the parameter documents, whatever form it was decoded from (Dixa's `[GMT]` suffix, an offset);
//! in a body it keeps that form. In the models, every string field whose name or examples say
//! date-time is either a `DateTime` (an override each, in spec/overrides.yaml, with its evidence)
//! or listed here with the reason it stays a string, so a new one or a regression shows.

use dixa::DateTime;
use dixa_tests::{examples, root, spec_tree};
use generator::ir::{Api, TypeDef, TypeKind, TypeRef};
use generator::Config;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The string fields that look like date-times (by name or by an example) and stay strings, with
/// why. `Schema.property`, or the pointer below `#/components/schemas/` of an inline schema.
const LEFT_AS_STRINGS: &[(&str, &str)] = &[
    (
        "BusinessHour.nextDate",
        "a date without a time (`2026-05-25`)",
    ),
    (
        "BusinessHour.startDate",
        "a date without a time (`2026-01-05`)",
    ),
    (
        "BusinessHourException.nextDate",
        "a date without a time, as `BusinessHour.nextDate`",
    ),
    (
        "BusinessHourException.startDate",
        "a date without a time (`2026-01-01`)",
    ),
    (
        "BusinessHourRegular.startDate",
        "a date without a time (`2026-01-05`)",
    ),
    (
        "ConversationRating.timestamps",
        "a `Map_String` whose values are date-times in every example (`scheduled_for: \
         2025-09-25T14:35:52Z`), left a map of strings: the override that would retype it replaces \
         a `$ref` property, which generator/tests/spellings.rs (every `$ref` wrapped in `allOf`) \
         cannot see",
    ),
    (
        "TimeInterval.endTime",
        "a time of day without a date (`16:00`)",
    ),
    (
        "TimeInterval.startTime",
        "a time of day without a date (`08:00`)",
    ),
    (
        "TimeInterval1.endTime",
        "a time of day without a date (`16:00`)",
    ),
    (
        "TimeInterval1.startTime",
        "a time of day without a date (`08:00`)",
    ),
];

/// The string properties this SDK types as `DateTime` through an override (spec/overrides.yaml
/// gives each its evidence).
const TYPED_BY_OVERRIDE: &[&str] = &[
    "ConversationRatingScheduledAttribute.ratingScheduledTime",
    "ConversationReservedAttribute.validUntil",
    "CreateMessageOutputData.createdAt",
    "DeliveryDetail.deliveryTimestamp",
    "EmailAutoReply.createdAt",
    "EmailAutoReply.lastEditedAt",
    "QuickResponse.createdAt",
    "QuickResponse.lastEditedAt",
    "UserPresence.lastSeen",
    "UserPresence.requestTime",
];

/// Whether a property name says date-time (`createdAt`, `valid_until`, `deliveryTimestamp`, ...).
fn name_says_date_time(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.ends_with("At")
        || lower.ends_with("_at")
        || ["time", "timestamp", "date", "datetime", "until", "since"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
}

/// Whether an example value looks like a date, a date-time or a time of day.
fn value_looks_like_a_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let date = digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-');
    let time_of_day = digits(0..2) && b.get(2) == Some(&b':') && digits(3..5);
    date || time_of_day || DateTime::parse(text).is_ok()
}

/// `Schema.property` of a field of the type from `origin`.
fn label(origin: &str, wire: &str) -> String {
    let owner = origin
        .strip_prefix("#/components/schemas/")
        .unwrap_or(origin);
    format!("{owner}.{wire}")
}

/// Walks an example along the IR's type, collecting the values of every string and date-time field
/// (and of such lists and maps held by a field) by the field's label.
fn strings_in(
    types: &BTreeMap<&str, &TypeDef>,
    ty: &TypeRef,
    value: &Value,
    field: Option<&str>,
    out: &mut BTreeMap<String, BTreeSet<String>>,
) {
    match (ty, value) {
        (TypeRef::String | TypeRef::DateTime, Value::String(text)) => {
            if let Some(field) = field {
                out.entry(field.to_owned())
                    .or_default()
                    .insert(text.clone());
            }
        }
        (TypeRef::List(inner), Value::Array(items)) => {
            for item in items {
                strings_in(types, inner, item, field, out);
            }
        }
        (TypeRef::Map(inner), Value::Object(map)) => {
            for item in map.values() {
                strings_in(types, inner, item, field, out);
            }
        }
        (TypeRef::Named(name), _) => {
            let Some(def) = types.get(name.as_str()) else {
                return;
            };
            match &def.kind {
                TypeKind::Struct { fields } => {
                    for f in fields.iter().filter(|f| !f.flatten) {
                        if let Some(member) = value.get(&f.wire) {
                            let label = label(&def.origin, &f.wire);
                            strings_in(types, &f.ty, member, Some(&label), out);
                        }
                    }
                }
                TypeKind::Alias { target } => strings_in(types, target, value, field, out),
                TypeKind::TaggedUnion { tag, variants } => {
                    let tag_value = value.get(&tag.property).and_then(Value::as_str);
                    for v in variants
                        .iter()
                        .filter(|v| Some(v.tag.as_str()) == tag_value)
                    {
                        strings_in(types, &TypeRef::Named(v.ty.clone()), value, None, out);
                    }
                }
                TypeKind::Untagged { variants } => {
                    for v in variants {
                        strings_in(types, &v.ty, value, field, out);
                    }
                }
                TypeKind::StringEnum { .. } | TypeKind::Id { .. } => {}
            }
        }
        _ => {}
    }
}

/// `ty` with aliases followed (`MapString` is a map of strings).
fn resolved<'a>(types: &BTreeMap<&str, &'a TypeDef>, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty;
    for _ in 0..=types.len() {
        match ty {
            TypeRef::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Alias { target }) => ty = target,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

fn api() -> Api {
    generator::api(&Config::beside(root().join("spec/dixa-api.yaml"))).expect("the spec lowers")
}

/// Every example value of every string and date-time field, by the field's label: from the
/// examples of request and response bodies and from the component schemas' own `example`s.
fn example_strings(api: &Api) -> BTreeMap<String, BTreeSet<String>> {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let by_origin: BTreeMap<&str, &TypeDef> =
        api.types.iter().map(|t| (t.origin.as_str(), t)).collect();
    let named = |key: &str| {
        by_origin
            .get(format!("#/components/schemas/{key}").as_str())
            .map(|t| TypeRef::Named(t.name.clone()))
    };
    let tree = spec_tree();
    let mut out = BTreeMap::new();
    for example in examples::collect(&tree) {
        let ty = match &example.shape {
            examples::Shape::Named(key) => named(key),
            examples::Shape::ListOf(key) => named(key).map(|t| TypeRef::List(Box::new(t))),
        };
        if let Some(ty) = ty {
            strings_in(&types, &ty, &example.value, None, &mut out);
        }
    }
    if let Some(Value::Object(schemas)) = tree.pointer("/components/schemas") {
        for (key, schema) in schemas {
            if let (Some(ty), Some(example)) = (named(key), schema.get("example")) {
                strings_in(&types, &ty, example, None, &mut out);
            }
        }
    }
    out
}

/// The type of every struct field (of the models and the webhook events) by its label.
fn field_types(api: &Api) -> BTreeMap<String, TypeRef> {
    let webhook_types = api.webhooks.iter().flat_map(|w| &w.types);
    api.types
        .iter()
        .chain(webhook_types)
        .flat_map(|t| match &t.kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .filter(|f| !f.flatten)
                .map(|f| (label(&t.origin, &f.wire), f.ty.clone()))
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn every_string_field_that_looks_like_a_date_time_is_typed_or_listed_with_its_reason() {
    let api = api();
    let examples = example_strings(&api);
    let fields = field_types(&api);
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut found = BTreeMap::new();
    for (label, ty) in &fields {
        let ty = resolved(&types, ty);
        let is_string = matches!(ty, TypeRef::String)
            || matches!(ty, TypeRef::List(inner) | TypeRef::Map(inner) if **inner == TypeRef::String);
        if !is_string {
            continue;
        }
        let name = label.rsplit('.').next().unwrap_or_default();
        let witness = examples
            .get(label)
            .into_iter()
            .flatten()
            .find(|v| value_looks_like_a_time(v));
        if name_says_date_time(name) || witness.is_some() {
            let why = match witness {
                Some(value) => format!("example {value:?}"),
                None => "its name".to_owned(),
            };
            found.insert(label.clone(), why);
        }
    }
    let listed: BTreeMap<String, &str> = LEFT_AS_STRINGS
        .iter()
        .map(|(label, reason)| ((*label).to_owned(), *reason))
        .collect();
    let new: Vec<String> = found
        .iter()
        .filter(|(label, _)| !listed.contains_key(*label))
        .map(|(label, why)| format!("  {label} (looks like a date-time by {why})"))
        .collect();
    let gone: Vec<&String> = listed.keys().filter(|l| !found.contains_key(*l)).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "string fields that look like date-times, not decided: type each with an override in \
         spec/overrides.yaml (`format: date-time`, with the evidence) or list it in LEFT_AS_STRINGS \
         with the reason:\n{}\nlisted but no longer a date-like string (update LEFT_AS_STRINGS): \
         {gone:?}",
        new.join("\n")
    );
}

#[test]
fn the_fields_typed_by_override_are_date_times_and_their_examples_parse() {
    let api = api();
    let fields = field_types(&api);
    for label in TYPED_BY_OVERRIDE {
        assert_eq!(
            fields.get(*label),
            Some(&TypeRef::DateTime),
            "{label} should be a DateTime"
        );
    }
    // Every example value of these fields is a form `DateTime` reads and writes back unchanged
    // (up to the digits of the fraction, which tests/wire.rs also allows).
    let examples = example_strings(&api);
    let mut shown = Vec::new();
    for label in TYPED_BY_OVERRIDE {
        for value in examples.get(*label).into_iter().flatten() {
            let parsed = DateTime::parse(value)
                .unwrap_or_else(|e| panic!("{label}: example {value:?} is no DateTime: {e}"));
            assert_eq!(
                parsed.to_string().parse::<DateTime>(),
                Ok(parsed.clone()),
                "{label}"
            );
            shown.push(*label);
        }
    }
    shown.dedup();
    // Three have no example (their overrides say why they are date-times all the same).
    assert_eq!(shown.len(), TYPED_BY_OVERRIDE.len() - 3, "{shown:?}");
}

/// A response decoded from Dixa's JSON gives `DateTime`s in Dixa's own forms.
fn decoded(text: &str) -> DateTime {
    serde_json::from_value(json!(text)).expect("Dixa's date-time forms decode")
}

async fn sent_query(server: &MockServer) -> Vec<(String, String)> {
    let received = server.received_requests().await.unwrap_or_default();
    let [request] = received.as_slice() else {
        panic!("expected one request, got {}", received.len());
    };
    request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn server() -> (MockServer, dixa::Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    let client = dixa::Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .build()
        .expect("valid configuration");
    (server, client)
}

#[tokio::test]
async fn a_date_time_query_parameter_is_sent_in_utc_with_the_documented_milliseconds() {
    let (server, client) = server().await;
    // `fromDatetime` documents `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`.
    let gmt = decoded("2021-12-01T12:46:36.581Z[GMT]");
    let plus_two = decoded("2021-12-01T16:46:36.581+02:00");
    let _ = client
        .conversations()
        .list_organization_activity_log()
        .from_datetime(gmt.clone())
        .to_datetime(plus_two)
        .await;
    assert_eq!(
        sent_query(&server).await,
        [
            (
                "fromDatetime".to_owned(),
                "2021-12-01T12:46:36.581Z".to_owned()
            ),
            (
                "toDatetime".to_owned(),
                "2021-12-01T14:46:36.581Z".to_owned()
            ),
        ]
    );
    // The value itself keeps its form for bodies.
    assert_eq!(gmt.to_string(), "2021-12-01T12:46:36.581Z[GMT]");
    assert_eq!(
        serde_json::to_value(&gmt).expect("encodes"),
        json!("2021-12-01T12:46:36.581Z[GMT]")
    );
}

#[tokio::test]
async fn whole_seconds_are_sent_where_the_parameter_documents_seconds() {
    let (server, client) = server().await;
    // `timestamp` documents `yyyy-MM-dd'T'HH:mm:ss'Z'`: milliseconds are cut off, not rounded.
    let local = decoded("2021-12-01T12:46:35.935");
    let _ = client
        .business_hours()
        .get_open_status(uuid::uuid!("3fa85f64-5717-4562-b3fc-2c963f66afa6"))
        .timestamp(local)
        .await;
    assert_eq!(
        sent_query(&server).await,
        [("timestamp".to_owned(), "2021-12-01T12:46:35Z".to_owned())]
    );
}

#[tokio::test]
async fn the_current_time_and_a_system_time_are_accepted_as_parameters() {
    let (server, client) = server().await;
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_638_362_796_581);
    let _ = client
        .conversations()
        .list_organization_activity_log()
        .from_datetime(at)
        .to_datetime(DateTime::now())
        .await;
    let query = sent_query(&server).await;
    assert_eq!(query[0].1, "2021-12-01T12:46:36.581Z");
    let now: DateTime = query[1].1.parse().expect("the sent time parses");
    assert!(now > decoded("2021-12-01T12:46:36.581Z") && query[1].1.ends_with('Z'));
}
