//! The accessors that read a value without a match: `text()` of a message whatever its channel,
//! `value()`/`measure()` of a metric whatever its number type, and list setters that take any
//! iterable of convertible items.

use dixa::models::{
    Agent, AggregateMeasure, AggregateValue, Attributes, DoubleAggregateValue,
    DoubleAggregateValueMeasure, LongAggregateValue, LongAggregateValueMeasure, Message,
};
use serde_json::{json, Value};

/// A message as Dixa sends it, with `attributes`.
fn message(attributes: Value) -> Message {
    serde_json::from_value(json!({
        "id": "b0323b42-c428-4afa-970e-20bf5bdeeec4",
        "authorId": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b",
        "createdAt": "2021-12-01T12:46:36.581Z[GMT]",
        "attributes": attributes
    }))
    .expect("a message")
}

fn content(kind: &str, value: &str) -> Value {
    json!({"_type": kind, "value": value})
}

/// Every known variant of `Attributes` with the attributes of a message of its channel and the text
/// `text()` reads from it. A variant added to the union fails the first assertion until it is
/// listed here with what it should read.
fn every_variant() -> Vec<(&'static str, Value, Option<&'static str>)> {
    let from = json!({"email": "ann@example.org"});
    let regular = json!({"_type": "Regular", "content": content("Html", "<p>Hi</p>")});
    vec![
        (
            "CallRecordingAttributes",
            json!({"recording": "https://example.org/r.mp3", "duration": 12}),
            None,
        ),
        (
            "ChatAttributes",
            json!({"isAutomated": false, "content": content("Text", "chat")}),
            Some("chat"),
        ),
        (
            "ContactFormAttributes",
            json!({"isAutoReply": false, "emailContent": regular}),
            Some("<p>Hi</p>"),
        ),
        (
            "EmailAttributes",
            json!({"from": from, "isAutoReply": false, "emailContent": {
                "_type": "Regular", "content": content("Markdown", "**mail**")}}),
            Some("**mail**"),
        ),
        (
            "FacebookMessengerAttributes",
            json!({"content": content("Text", "fb")}),
            Some("fb"),
        ),
        (
            "GenericAttributes",
            json!({"content": content("Text", "generic")}),
            Some("generic"),
        ),
        (
            "MessengerFormAttributes",
            json!({"formSubmission": {"values": {}}, "content": content("Text", "form")}),
            Some("form"),
        ),
        (
            "PhoneAttributes",
            json!({"from": "+4512345678", "to": "+4587654321"}),
            None,
        ),
        (
            "SmsAttributes",
            json!({"content": content("Text", "sms")}),
            Some("sms"),
        ),
        (
            "TranscriptAttributes",
            json!({"content": content("Text", "said")}),
            Some("said"),
        ),
        (
            "TwitterAttributes",
            json!({"content": content("Text", "tweet")}),
            Some("tweet"),
        ),
        (
            "WhatsAppAttributes",
            json!({"content": content("Text", "wa")}),
            Some("wa"),
        ),
    ]
}

#[test]
fn text_reads_every_message_variant() {
    let cases = every_variant();
    let listed: Vec<&str> = cases.iter().map(|(tag, _, _)| *tag).collect();
    assert_eq!(listed, Attributes::KNOWN_TAGS, "list every variant here");
    for (tag, mut attributes, expected) in cases {
        attributes["_type"] = json!(tag);
        let message = message(attributes);
        assert_eq!(message.attributes.type_name(), tag);
        assert_eq!(message.attributes.text(), expected, "{tag}");
        assert_eq!(message.text(), expected, "{tag}");
    }
}

#[test]
fn text_is_none_where_the_content_is_left_out_too_large_or_unknown() {
    let chat = message(json!({"_type": "ChatAttributes", "isAutomated": true}));
    assert_eq!(chat.text(), None);
    let too_large = message(json!({
        "_type": "EmailAttributes",
        "from": {"email": "ann@example.org"},
        "isAutoReply": false,
        "emailContent": {"_type": "TooLarge", "file": {"url": "https://example.org/big.eml"}}
    }));
    assert_eq!(too_large.text(), None);
    let unknown_markup = message(json!({
        "_type": "SmsAttributes",
        "content": {"_type": "RichText", "value": "new"}
    }));
    assert_eq!(unknown_markup.text(), None);
    let unknown_channel = message(json!({"_type": "CarrierPigeonAttributes", "content": "coo"}));
    assert_eq!(unknown_channel.text(), None);
}

#[test]
fn metric_values_read_as_numbers_and_measures_without_a_match() {
    let double: AggregateValue = serde_json::from_value(
        json!({"_type": "DoubleAggregateValue", "measure": "Average", "value": 12.5}),
    )
    .expect("double");
    assert_eq!(double.value(), Some(12.5));
    assert_eq!(double.measure(), Some(AggregateMeasure::Average));
    let long: AggregateValue = serde_json::from_value(
        json!({"_type": "LongAggregateValue", "measure": "Count", "value": 42}),
    )
    .expect("long");
    assert_eq!(long.value(), Some(42.0));
    assert_eq!(long.measure(), Some(AggregateMeasure::Count));
    let durations: AggregateValue = serde_json::from_value(json!({
        "_type": "AgentPresenceDurationValue",
        "value": [{"status": {"status": "Working"}, "value": 3.0}]
    }))
    .expect("durations");
    assert_eq!((durations.value(), durations.measure()), (None, None));
    // Built values read the same; a measure this SDK does not know stays as sent.
    let built = AggregateValue::from(DoubleAggregateValue::new(
        DoubleAggregateValueMeasure::Unknown("Median".into()),
        1.5,
    ));
    assert_eq!(built.value(), Some(1.5));
    assert_eq!(
        built.measure(),
        Some(AggregateMeasure::Unknown("Median".into()))
    );
    let count = AggregateValue::from(LongAggregateValue::new(LongAggregateValueMeasure::Count, 7));
    assert_eq!(count.value(), Some(7.0));
}

#[test]
fn list_setters_take_arrays_vecs_iterators_and_str() {
    let agent: Agent = serde_json::from_value(json!({
        "id": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b",
        "createdAt": "2020-12-16T09:41:43Z",
        "displayName": "Ann",
        "email": "ann@example.org"
    }))
    .expect("an agent");
    let expected = vec!["a@example.org".to_owned(), "b@example.org".to_owned()];
    let from_array = agent
        .clone()
        .with_additional_emails(["a@example.org", "b@example.org"]);
    assert_eq!(from_array.additional_emails, expected);
    let from_vec = agent
        .clone()
        .with_additional_emails(vec!["a@example.org", "b@example.org"]);
    assert_eq!(from_vec.additional_emails, expected);
    let from_iter = agent
        .clone()
        .with_additional_emails(["a", "b"].iter().map(|n| format!("{n}@example.org")));
    assert_eq!(from_iter.additional_emails, expected);
    let from_owned = agent.with_additional_emails(expected.clone());
    assert_eq!(from_owned.additional_emails, expected);
}
