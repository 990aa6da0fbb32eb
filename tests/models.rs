//! The typed models refuse wrong input with the JSON path of the problem, and accept what a newer
//! Dixa may send (unknown enum values, unknown union tags, extra fields), sending it back unchanged.

use dixa::models::{
    ConversationChannel, ConversationId, CreateRatingResultInput, DoubleAggregateValue,
    InternalNoteData, SubmittedRatingResult, Tag,
};
use generator::ir::{TypeKind, TypeRef as IrType};
use serde_json::{json, Value};

fn note() -> Value {
    json!({
        "id": "b0323b42-c428-4afa-970e-20bf5bdeeec4",
        "authorId": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b",
        "createdAt": "2021-12-01T12:46:36.581Z[GMT]",
        "csid": 42,
        "message": "hello"
    })
}

/// Decodes like the SDK does (with serde_path_to_error) and returns the path and message of the
/// failure.
fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(
    value: Value,
) -> (String, String) {
    let err = serde_path_to_error::deserialize::<_, T>(value).expect_err("must be refused");
    (err.path().to_string(), err.inner().to_string())
}

#[test]
fn a_missing_required_field_is_refused() {
    let mut value = note();
    value.as_object_mut().map(|o| o.remove("message"));
    let (path, message) = decode_error::<InternalNoteData>(value);
    assert_eq!(path, ".");
    assert!(message.contains("missing field `message`"), "{message}");
}

#[test]
fn a_wrong_scalar_type_is_refused() {
    let mut value = note();
    value["csid"] = json!("forty-two");
    let (path, message) = decode_error::<InternalNoteData>(value);
    assert_eq!(path, "csid");
    assert!(message.contains("invalid type: string"), "{message}");

    let mut value = note();
    value["id"] = json!("not-a-uuid");
    assert_eq!(decode_error::<InternalNoteData>(value).0, "id");

    let mut value = note();
    value["createdAt"] = json!("yesterday");
    let (path, message) = decode_error::<InternalNoteData>(value);
    assert_eq!(path, "createdAt");
    assert!(message.contains("yesterday"), "{message}");
}

#[test]
fn an_object_where_a_number_belongs_is_refused() {
    let mut value = note();
    value["csid"] = json!({"value": 42});
    let (path, message) = decode_error::<InternalNoteData>(value);
    assert_eq!(path, "csid");
    assert!(message.contains("invalid type: map"), "{message}");
}

#[test]
fn a_bad_union_variant_names_the_variant_and_the_inner_path() {
    let value = json!({
        "ratingResult": {"value": "five", "_type": "Csat"},
    });
    let (path, message) = decode_error::<CreateRatingResultInput>(value);
    assert_eq!(path, "ratingResult");
    assert!(message.contains("variant Csat, at `value`"), "{message}");
}

#[test]
fn an_unknown_enum_value_decodes_and_encodes_back_unchanged() {
    let channel: ConversationChannel =
        serde_json::from_value(json!("CarrierPigeon")).expect("decodes");
    assert_eq!(
        channel,
        ConversationChannel::Unknown("CarrierPigeon".into())
    );
    assert_eq!(
        serde_json::to_value(&channel).expect("encodes"),
        json!("CarrierPigeon")
    );
    let known: ConversationChannel = serde_json::from_value(json!("WhatsApp")).expect("decodes");
    assert_eq!(known, ConversationChannel::WhatsApp);
    assert_eq!(known.as_str(), "WhatsApp");
}

#[test]
fn an_unknown_union_tag_decodes_and_encodes_back_unchanged() {
    let raw = json!({"value": 9, "scale": 10, "_type": "StarRating"});
    let result: SubmittedRatingResult = serde_json::from_value(raw.clone()).expect("decodes");
    assert_eq!(result.type_name(), "StarRating");
    assert!(matches!(result, SubmittedRatingResult::Unknown(_)));
    assert_eq!(serde_json::to_value(&result).expect("encodes"), raw);

    let nps: SubmittedRatingResult =
        serde_json::from_value(json!({"value": 4, "_type": "Nps"})).expect("decodes");
    assert!(matches!(nps, SubmittedRatingResult::Nps(_)));
    assert_eq!(
        serde_json::to_value(&nps).expect("encodes"),
        json!({"value": 4, "_type": "Nps"})
    );
}

/// Structs decode through the runtime's `deserialize_struct!`, not serde's derive; these are the
/// derive's behaviours that a JSON client can see, read from raw bytes as the client reads them.
#[test]
fn a_struct_decodes_from_bytes_as_the_serde_derive_would() {
    let note =
        |json: &str| serde_json::from_str::<InternalNoteData>(json).map_err(|e| e.to_string());
    let fields = r#""id":"b0323b42-c428-4afa-970e-20bf5bdeeec4","authorId":"eeb3bbe5-0355-4ac1-8af5-20d42a3db24b","createdAt":"2021-12-01T12:46:36.581Z[GMT]""#;
    // A key written with an escape is the same key.
    let escaped = note(&format!(r#"{{{fields},"csid":42,"mes\u0073age":"hi"}}"#)).expect("decodes");
    assert_eq!(
        (escaped.message.as_str(), escaped.csid),
        ("hi", ConversationId::from(42))
    );
    // `null` for an optional field is `None`, as is its absence.
    let tag = |json: &str| serde_json::from_str::<Tag>(json).expect("decodes");
    let null = tag(
        r#"{"id":"b0323b42-c428-4afa-970e-20bf5bdeeec4","name":"vip","state":"Active","color":null}"#,
    );
    let absent =
        tag(r#"{"id":"b0323b42-c428-4afa-970e-20bf5bdeeec4","name":"vip","state":"Active"}"#);
    assert_eq!((null.color, absent.color), (None, None));
    // A field given twice is refused, and so is an array where the object belongs.
    let twice = note(&format!(r#"{{{fields},"message":"a","message":"b"}}"#)).expect_err("refused");
    assert!(twice.starts_with("duplicate field `message`"), "{twice}");
    let array = note("[]").expect_err("refused");
    assert!(
        array.starts_with("invalid type: sequence, expected struct InternalNoteData"),
        "{array}"
    );
}

#[test]
fn an_unknown_extra_field_in_a_response_decodes() {
    let raw = json!({
        "id": "b0323b42-c428-4afa-970e-20bf5bdeeec4",
        "name": "vip",
        "state": "Active",
        "introducedNextYear": {"nested": [1, 2]}
    });
    let tag: Tag = serde_json::from_value(raw).expect("extra fields are ignored");
    assert_eq!(tag.name, "vip");
}

#[test]
fn unknown_values_inside_a_full_response_survive_a_round_trip() {
    // A conversation of a channel this SDK does not know, inside a list response.
    let raw = json!({"data": [
        {"id": 1, "_type": "HologramConversation", "channel": "Hologram", "requesterId": "x"}
    ]});
    let list: dixa::models::ListLinkedConversationsOutput =
        serde_json::from_value(raw.clone()).expect("decodes");
    assert_eq!(serde_json::to_value(&list).expect("encodes"), raw);
}

#[test]
fn an_optional_list_in_a_response_type_is_a_vec_that_is_empty_when_absent() {
    let user = json!({
        "id": "b0323b42-c428-4afa-970e-20bf5bdeeec4",
        "createdAt": "2021-12-01T12:46:36.581Z",
        "additionalEmails": ["a@example.com"]
    });
    let decoded: dixa::models::EndUser = serde_json::from_value(user).expect("decodes");
    let emails: &Vec<String> = &decoded.additional_emails;
    assert_eq!(emails, &["a@example.com"]);
    assert!(decoded.middle_names.is_empty(), "absent decodes as empty");
    // An empty list is not written back, so the encoding is what Dixa sends for "none".
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert!(encoded.get("middleNames").is_none(), "{encoded}");
    assert_eq!(encoded["additionalEmails"], json!(["a@example.com"]));
}

#[test]
fn an_optional_list_in_a_request_body_keeps_absent_and_empty_apart() {
    use dixa::models::PatchEndUserInput;
    // A PATCH that omits a list leaves it alone; one that sends `[]` clears it.
    let untouched = PatchEndUserInput::default();
    let cleared = PatchEndUserInput::default().with_additional_emails(Vec::<String>::new());
    assert_eq!(untouched.additional_emails, None);
    assert_eq!(
        serde_json::to_value(&untouched).expect("encodes"),
        json!({})
    );
    assert_eq!(
        serde_json::to_value(&cleared).expect("encodes"),
        json!({"additionalEmails": []})
    );
}

fn chat_conversation() -> Value {
    json!({
        "_type": "ChatConversation",
        "id": 4242,
        "channel": "WidgetChat",
        "createdAt": "2021-12-01T12:46:36.581Z",
        "requesterId": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b",
        "direction": "Inbound",
        "customAttributes": []
    })
}

#[test]
fn fields_every_conversation_variant_carries_are_read_without_a_match() {
    use dixa::models::{Conversation, ConversationDirection};
    let chat: Conversation = serde_json::from_value(chat_conversation()).expect("decodes");
    assert_eq!(chat.id(), Some(dixa::models::ConversationId::from(4242)));
    assert_eq!(chat.channel(), Some(&ConversationChannel::WidgetChat));
    assert_eq!(
        chat.requester_id().map(|id| id.to_string()).as_deref(),
        Some("eeb3bbe5-0355-4ac1-8af5-20d42a3db24b")
    );
    assert_eq!(chat.direction(), Some(&ConversationDirection::Inbound));
    assert_eq!(chat.state(), None, "optional and absent");
    assert_eq!(chat.custom_attributes(), Some(&[][..]));

    // The same accessor on another variant, whose struct is a different type.
    let mut email = chat_conversation();
    email["_type"] = json!("EmailConversation");
    email["channel"] = json!("Email");
    email["id"] = json!(7);
    email["fromEmail"] = json!("jane@example.com");
    email["toEmail"] = json!("support@example.com");
    email["integrationEmail"] = json!("support@email.dixa.io");
    let email: Conversation = serde_json::from_value(email).expect("decodes");
    assert_eq!(email.id(), Some(dixa::models::ConversationId::from(7)));
    assert!(email.is_email_conversation() && !email.is_chat_conversation());

    // A kind of conversation this SDK does not know has no typed fields.
    let mut hologram = chat_conversation();
    hologram["_type"] = json!("HologramConversation");
    let hologram: Conversation = serde_json::from_value(hologram).expect("decodes");
    assert_eq!(hologram.id(), None);
    assert_eq!(hologram.type_name(), "HologramConversation");
}

#[test]
fn variants_are_borrowed_with_as_and_converted_with_from() {
    use dixa::models::{ChatConversation, Conversation};
    let chat: Conversation = serde_json::from_value(chat_conversation()).expect("decodes");
    let inner: &ChatConversation = chat.as_chat_conversation().expect("a chat");
    assert_eq!(inner.id, 4242.into());
    assert!(chat.as_email_conversation().is_none());
    assert_eq!(Conversation::from(inner.clone()), chat);
}

#[test]
fn an_inbound_text_message_is_one_expression_and_encodes_as_dixa_expects() {
    use dixa::models::{Content, CreateMessageInput, Text};
    let message = CreateMessageInput::inbound(Content::text("Hello"));
    assert_eq!(
        serde_json::to_value(&message).expect("encodes"),
        json!({"_type": "Inbound", "content": {"_type": "Text", "value": "Hello"}})
    );
    // The variant struct converts into the union wherever one is expected.
    assert_eq!(CreateMessageInput::inbound(Text::new("Hello")), message);
    assert!(message.is_inbound());
    assert_eq!(
        message
            .content()
            .and_then(Content::as_text)
            .map(|t| t.value.as_str()),
        Some("Hello")
    );
}

/// A deterministic stream of 64-bit values (xorshift64), for inputs that are many and varied but
/// the same on every run.
fn xorshift(mut state: u64) -> impl Iterator<Item = u64> {
    std::iter::from_fn(move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        Some(state)
    })
}

/// Decodes the text of a response body holding `number` as a `DoubleAggregateValue`, as the
/// client does, and returns the decoded double and the text the SDK encodes it to.
fn double_round_trip(number: &str) -> (f64, String) {
    let body = format!(r#"{{"measure": "Sum", "value": {number}}}"#);
    let decoded: DoubleAggregateValue = match serde_json::from_str(&body) {
        Ok(decoded) => decoded,
        Err(e) => panic!("{body} decodes: {e}"),
    };
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    (decoded.value, encoded["value"].to_string())
}

#[test]
fn doubles_decode_exactly_and_encode_back_to_the_same_value() {
    // Rust's own `str::parse` rounds correctly; it is the reference the SDK is held to. The
    // numbers are the first one the random round trip found off by one digit, the extremes, and
    // 20,000 random doubles written with 17 significant digits, as a server may write them
    // (without exact parsing, about a third of those decode one unit off).
    let mut numbers: Vec<String> = [
        "-91818804.61983383",
        "0.1",
        "5e-324",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "-0.0",
        "9007199254740993",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    numbers.extend(
        xorshift(0x9E37_79B9_7F4A_7C15)
            .map(f64::from_bits)
            .filter(|f| f.is_finite())
            .take(20_000)
            .map(|f| format!("{f:.16e}")),
    );
    let mut wrong = Vec::new();
    for number in &numbers {
        let exact: f64 = number.parse().expect("a valid number");
        let (decoded, encoded) = double_round_trip(number);
        let again: f64 = encoded.parse().expect("the SDK writes a valid number");
        if decoded.to_bits() != exact.to_bits() || again.to_bits() != exact.to_bits() {
            wrong.push(format!("{number} -> {decoded:e} -> {encoded}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} doubles change: {}",
        wrong.len(),
        numbers.len(),
        wrong
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
}

#[test]
fn int64_fields_keep_the_whole_range() {
    // Every `format: int64` property of the spec is an `i64` in the SDK...
    let api = generator::api(&generator::Config::beside(
        dixa_tests::root().join("spec/dixa-api.yaml"),
    ))
    .expect("the spec lowers");
    let tree = dixa_tests::spec_tree();
    let schemas = tree["components"]["schemas"]
        .as_object()
        .expect("component schemas");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (key, schema) in schemas {
        let Some(properties) = schema["properties"].as_object() else {
            continue;
        };
        let origin = format!("#/components/schemas/{key}");
        let Some(def) = api.types.iter().find(|t| t.origin == origin) else {
            continue;
        };
        let TypeKind::Struct { fields } = &def.kind else {
            continue;
        };
        for (wire, property) in properties {
            let int64 = |p: &Value| p["type"] == "integer" && p["format"] == "int64";
            let expected = if int64(property) {
                IrType::I64
            } else if property["type"] == "array" && int64(&property["items"]) {
                IrType::List(Box::new(IrType::I64))
            } else {
                continue;
            };
            checked += 1;
            // An id (`ConversationId`) holds its raw `i64`, and encodes as it.
            let raw = |ty: &IrType| -> IrType {
                let id_raw = |name: &str| {
                    api.types.iter().find_map(|t| match &t.kind {
                        TypeKind::Id { raw } if t.name == name => Some(raw.clone()),
                        _ => None,
                    })
                };
                match ty {
                    IrType::Named(name) => id_raw(name).unwrap_or_else(|| ty.clone()),
                    IrType::List(inner) => match &**inner {
                        IrType::Named(name) => IrType::List(Box::new(
                            id_raw(name).unwrap_or_else(|| (**inner).clone()),
                        )),
                        _ => ty.clone(),
                    },
                    _ => ty.clone(),
                }
            };
            match fields.iter().find(|f| &f.wire == wire) {
                Some(field) if raw(&field.ty) == expected => {}
                other => wrong.push(format!("{key}.{wire}: {:?}", other.map(|f| &f.ty))),
            }
        }
    }
    // The spec has 35 such properties on component schemas; far fewer means the walk broke.
    assert!(checked >= 30, "only {checked} int64 properties found");
    assert!(
        wrong.is_empty(),
        "int64 properties that are not i64: {wrong:?}"
    );

    // ...and the extremes decode from a body's text and encode back to the same digits.
    for csid in [i64::MAX, i64::MIN, 0, -1, 9_007_199_254_740_993] {
        let mut value = note();
        value["csid"] = json!(csid);
        let body = value.to_string();
        let decoded: InternalNoteData = serde_json::from_str(&body).expect("decodes");
        assert_eq!(decoded.csid, ConversationId::from(csid));
        let encoded = serde_json::to_string(&decoded).expect("encodes");
        assert!(encoded.contains(&format!("\"csid\":{csid}")), "{encoded}");
    }
}

#[test]
fn a_variant_used_on_its_own_is_read_with_or_without_its_tag_and_written_as_dixa_does() {
    // `EventDeliveryLog.deliveryDetail` refers to the variant `DeliveryDetail` of the union
    // `DeliveryStatus` directly. Dixa's examples send it without `_type` (a Scala codec of the case
    // class rather than of its sealed trait); a tag sent anyway is read and not required.
    let detail = json!({
        "deliveryTimestamp": "2023-09-15T12:00:00.000Z",
        "success": true,
        "responseCode": 200,
        "responseText": "OK"
    });
    let log = json!({"deliveryDetail": detail, "payload": "{}"});
    let mut tagged = log.clone();
    tagged["deliveryDetail"]["_type"] = json!("DeliveryDetail");
    for input in [&log, &tagged] {
        let decoded: dixa::models::EventDeliveryLog =
            serde_json::from_value(input.clone()).expect("decodes");
        // `deliveryTimestamp` is a `DateTime`, which writes `.000Z` as `Z`: the wire equivalence of
        // the conformance test (same instant) judges it.
        let encoded = serde_json::to_value(&decoded).expect("encodes");
        assert_eq!(
            dixa_tests::wire::differences(&log, &encoded),
            Vec::<String>::new()
        );
        assert!(
            encoded["deliveryDetail"].get("_type").is_none(),
            "{encoded}"
        );
    }

    // In its union the same struct carries the tag, both ways.
    let mut in_union = detail.clone();
    in_union["_type"] = json!("DeliveryDetail");
    let status: dixa::models::DeliveryStatus =
        serde_json::from_value(in_union.clone()).expect("decodes");
    assert!(matches!(
        status,
        dixa::models::DeliveryStatus::DeliveryDetail(_)
    ));
    let encoded = serde_json::to_value(&status).expect("encodes");
    assert_eq!(
        dixa_tests::wire::differences(&in_union, &encoded),
        Vec::<String>::new()
    );
    assert_eq!(encoded["_type"], "DeliveryDetail");
}
