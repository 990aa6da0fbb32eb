//! The typed webhook events (`dixa::webhooks`, generated from `spec/webhooks.yaml`) against every
//! delivery sample we have: the shared samples in `tests/webhook-samples/` (a link to
//! `../shared/dixa-webhooks/samples/`) and the payloads of the API spec's delivery-log example.
//! Also the mapping to the subscription API's event enum, and the one-call receiver.

use dixa::models::WebhookEventType;
use dixa::webhooks::{
    self, Event, EventChannel, EventConversationDirection, EventConversationStatus,
    EventMessageDirection, EventPayload, EventRatingType, EventUserType, Webhook, WebhookError,
};
use dixa_tests::wire;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

const SECRET: &str = "2b7e151628aed2a6abf7158809cf4f3c";

/// Every sample file, sorted, with its bytes.
fn samples() -> Vec<(String, Vec<u8>)> {
    let dir = dixa_tests::root().join("tests/webhook-samples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (is ../shared/dixa-webhooks beside the checkout?)",
                dir.display()
            )
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect()
}

/// The sample file by name.
fn sample(name: &str) -> Event {
    let (_, bytes) = samples()
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no sample {name}"));
    webhooks::parse_event(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Asserts that `event` encodes back to `original` (an explicit `null` equals an absent key), so
/// every field of the delivery was read into a typed field: unknown fields are dropped when
/// decoding, and would show here as missing.
fn assert_round_trips(what: &str, original: &Value, event: &Event) {
    let again = serde_json::to_value(event).unwrap();
    let differences = wire::differences(original, &again);
    assert!(
        differences.is_empty(),
        "{what}:\n{}",
        differences.join("\n")
    );
}

#[test]
fn every_sample_decodes_into_its_own_typed_variant_with_all_its_fields() {
    let samples = samples();
    assert_eq!(samples.len(), 7, "the shared folder has seven samples");
    for (name, bytes) in &samples {
        let event = webhooks::parse_event(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        // The file name starts with the event's name in kebab case: `conversation-rated.x.json`.
        let expected_fqn = name
            .split('.')
            .next()
            .unwrap()
            .replace('-', "_")
            .to_uppercase();
        assert_eq!(event.event_fqn(), expected_fqn, "{name}");
        assert!(
            !matches!(event.payload, EventPayload::Unknown(_)),
            "{name} decoded as Unknown"
        );
        assert!(
            !matches!(event.event_type(), WebhookEventType::Unknown(_)),
            "{name}"
        );
        let original: Value = serde_json::from_slice(bytes).unwrap();
        assert_round_trips(name, &original, &event);
    }
}

#[test]
fn conversation_created_sample() {
    let event = sample("conversation-created.pipedream.json");
    assert_eq!(event.event_version, "1");
    assert_eq!(
        event.event_timestamp.to_string(),
        "2025-01-14T22:01:05.429Z"
    );
    assert_eq!(
        event.organization.as_ref().unwrap().name.as_deref(),
        Some("Org Name")
    );
    let EventPayload::ConversationCreated(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    let conversation = data.conversation.as_ref().unwrap();
    assert_eq!(conversation.csid, Some(2));
    assert_eq!(conversation.channel, Some(EventChannel::Email));
    assert_eq!(conversation.status, Some(EventConversationStatus::Open));
    assert_eq!(
        conversation.direction,
        Some(EventConversationDirection::Inbound)
    );
    assert_eq!(conversation.assignee, None);
    assert_eq!(
        conversation.queue.as_ref().unwrap().name.as_deref(),
        Some("default")
    );
    let requester = conversation.requester.as_ref().unwrap();
    assert_eq!(requester.user_type, Some(EventUserType::Contact));
    assert_eq!(requester.phone, None);
    assert_eq!(requester.roles, Some(vec![]));
    assert_eq!(event.event_type(), WebhookEventType::ConversationCreated);
}

#[test]
fn conversation_pending_sample() {
    let event = sample("conversation-pending.pipedream.json");
    let EventPayload::ConversationPending(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    let conversation = data.conversation.as_ref().unwrap();
    assert_eq!(conversation.status, Some(EventConversationStatus::Pending));
    assert_eq!(
        conversation.assignee.as_ref().unwrap().phone.as_deref(),
        Some("+123456789")
    );
}

#[test]
fn message_added_samples() {
    let event = sample("conversation-message-added.edited-recording.json");
    // Not a UUID: ids stay text.
    assert_eq!(event.event_id, "test-event-123");
    let EventPayload::ConversationMessageAdded(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(data.direction, Some(EventMessageDirection::Inbound));
    assert_eq!(data.channel, Some(EventChannel::Email));
    assert_eq!(data.message_id.as_deref(), Some("test-message-123"));
    assert_eq!(data.external_id, None);
    assert_eq!(data.attachments, Some(vec![]));
    assert_eq!(
        data.author.as_ref().unwrap().id.as_deref(),
        Some("test-user-id")
    );
    assert_eq!(data.content.as_ref().unwrap().content_type, None);
    assert_eq!(data.conversation.as_ref().unwrap().queue, None);
    assert_eq!(data.conversation.as_ref().unwrap().csid, Some(33356));

    let event = sample("conversation-message-added.pipedream.json");
    let EventPayload::ConversationMessageAdded(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(data.direction, Some(EventMessageDirection::Outbound));
    // The hand-written sample's string "null" is a string.
    assert_eq!(data.external_id.as_deref(), Some("null"));
    assert_eq!(
        data.content.as_ref().unwrap().content_type.as_deref(),
        Some("Text")
    );
    assert_eq!(data.text.as_deref(), Some("Message Text"));
    assert_eq!(
        data.created_at.as_ref().unwrap().to_string(),
        "2025-01-14T23:08:43.187Z"
    );
}

#[test]
fn tag_added_sample() {
    let event = sample("conversation-tag-added.pipedream.json");
    let EventPayload::ConversationTagAdded(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(data.tag.as_deref(), Some("Tag Name"));
    let tags = data.conversation.as_ref().unwrap().tags.as_ref().unwrap();
    assert_eq!(tags.len(), 1);
    assert_eq!(tags[0].is_deactivated, Some(false));
    assert_eq!(
        data.author.as_ref().unwrap().user_type,
        Some(EventUserType::Member)
    );
}

#[test]
fn rated_samples_wherever_the_score_sits() {
    // Dixa's own sample: no organization, `score` and `comment` in `data`.
    let event = sample("conversation-rated.dixa-readme.json");
    assert_eq!(event.organization, None);
    let EventPayload::ConversationRated(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(data.score, Some(4));
    assert_eq!(data.comment.as_deref(), Some("Good service today!"));
    let requester = data
        .conversation
        .as_ref()
        .unwrap()
        .requester
        .as_ref()
        .unwrap();
    assert_eq!(requester.name.as_deref(), Some("John Doe"));

    // Pipedream's: `score` and `type` in the conversation.
    let event = sample("conversation-rated.pipedream.json");
    let EventPayload::ConversationRated(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    let conversation = data.conversation.as_ref().unwrap();
    assert_eq!(conversation.score, Some(4));
    assert_eq!(conversation.r#type, Some(EventRatingType::Csat));
    assert_eq!(conversation.status, Some(EventConversationStatus::Closed));
    assert_eq!(
        data.agent.as_ref().unwrap().name.as_deref(),
        Some("Agent Name")
    );
    assert_eq!(data.comment.as_deref(), Some("Best customer service ever!"));
}

/// The payload strings of the spec's delivery-log example (`EventDeliveryLog.payload`), found by
/// walking the spec: every string member `payload` that is a JSON object with an `event_fqn`.
fn spec_payloads() -> Vec<Value> {
    fn walk(value: &Value, out: &mut Vec<Value>) {
        match value {
            Value::Object(members) => {
                for (key, member) in members {
                    if let (Some(text), "payload") = (member.as_str(), key.as_str()) {
                        if let Ok(payload @ Value::Object(_)) = serde_json::from_str(text) {
                            if payload.get("event_fqn").is_some() {
                                out.push(payload);
                            }
                        }
                    }
                    walk(member, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&dixa_tests::spec_tree(), &mut out);
    out
}

#[test]
fn the_spec_delivery_log_payloads_decode_as_notes() {
    let payloads = spec_payloads();
    assert!(
        !payloads.is_empty(),
        "the spec's delivery-log example has payloads"
    );
    for payload in &payloads {
        let event: Event = serde_json::from_value(payload.clone()).unwrap();
        let EventPayload::ConversationNoteAdded(data) = &event.payload else {
            panic!("{:?}", event.payload);
        };
        assert!(data.note_id.is_some() && data.text.is_some());
        let conversation = data.conversation.as_ref().unwrap();
        assert_eq!(conversation.channel, Some(EventChannel::WidgetChat));
        assert_eq!(conversation.csid, Some(1234));
        assert_round_trips("delivery-log payload", payload, &event);
    }
}

/// Whether `fqn` is `event_type` in UPPER_SNAKE: the same letters, upper case, with an underscore
/// only before a letter that is upper case in `event_type`, and before every letter that starts a
/// word.
fn is_upper_snake_of(fqn: &str, event_type: &str) -> bool {
    let letters: Vec<char> = event_type.chars().collect();
    let mut i = 0;
    let mut after_underscore = false;
    for c in fqn.chars() {
        if c == '_' {
            if i == 0 || !letters.get(i).is_some_and(char::is_ascii_uppercase) {
                return false;
            }
            after_underscore = true;
            continue;
        }
        let Some(&expected) = letters.get(i) else {
            return false;
        };
        if c != expected.to_ascii_uppercase() {
            return false;
        }
        // A word starts at an upper-case letter after a lower-case one (`messageAdded`), or at the
        // last capital of an acronym, before lower case (`SLAEvaluation`).
        let word_start = i > 0
            && expected.is_ascii_uppercase()
            && (letters[i - 1].is_ascii_lowercase()
                || letters.get(i + 1).is_some_and(char::is_ascii_lowercase));
        if word_start && !after_underscore {
            return false;
        }
        after_underscore = false;
        i += 1;
    }
    i == letters.len()
}

#[test]
fn event_types_map_to_the_subscription_enum_for_all_32_names() {
    assert_eq!(WebhookEventType::KNOWN.len(), 32);
    assert_eq!(EventPayload::KNOWN_FQNS.len(), 32);
    for name in WebhookEventType::KNOWN {
        let event_type = WebhookEventType::from(*name);
        let fqn = EventPayload::fqn_of(&event_type).unwrap_or_else(|| panic!("{name}"));
        assert!(is_upper_snake_of(fqn, name), "{name} -> {fqn}");
        assert!(EventPayload::KNOWN_FQNS.contains(&fqn));
        let body = json!({
            "event_id": "1", "event_fqn": fqn, "event_version": "1",
            "event_timestamp": "2025-01-14T22:01:05.429Z", "data": {}
        });
        let event: Event = serde_json::from_value(body.clone()).unwrap();
        assert!(!matches!(event.payload, EventPayload::Unknown(_)), "{fqn}");
        assert_eq!(event.event_type(), event_type, "{fqn}");
        assert_eq!(event.event_fqn(), fqn);
        assert_round_trips(fqn, &body, &event);
    }
    // The names the README confirms from deliveries, and the acronym rule.
    for (name, fqn) in [
        ("ConversationMessageAdded", "CONVERSATION_MESSAGE_ADDED"),
        ("ConversationNoteAdded", "CONVERSATION_NOTE_ADDED"),
        ("SLAEvaluationVoided", "SLA_EVALUATION_VOIDED"),
    ] {
        assert_eq!(
            EventPayload::fqn_of(&WebhookEventType::from(name)),
            Some(fqn)
        );
    }
    assert_eq!(
        EventPayload::fqn_of(&WebhookEventType::Unknown("Later".into())),
        None
    );
}

#[test]
fn the_mapping_check_rejects_wrong_spellings() {
    assert!(is_upper_snake_of(
        "SLA_EVALUATION_VOIDED",
        "SLAEvaluationVoided"
    ));
    assert!(!is_upper_snake_of(
        "SLAEVALUATION_VOIDED",
        "SLAEvaluationVoided"
    ));
    assert!(!is_upper_snake_of(
        "CONVERSATION_MESSAGEADDED",
        "ConversationMessageAdded"
    ));
    assert!(!is_upper_snake_of(
        "CONVERSATION_MESS_AGE_ADDED",
        "ConversationMessageAdded"
    ));
    assert!(!is_upper_snake_of(
        "CONVERSATION_MESSAGE_ADDE",
        "ConversationMessageAdded"
    ));
}

#[test]
fn an_unknown_event_decodes_as_unknown_and_round_trips() {
    let body = json!({
        "event_id": "e578c093-3cd7-47c5-8b1d-cb6115827b94",
        "event_fqn": "CONVERSATION_ARCHIVED",
        "event_version": "2",
        "event_timestamp": "2025-09-03T07:04:08.723Z",
        "organization": {"id": "org", "name": "Acme"},
        "data": {"conversation": {"csid": "not even a number"}, "archived_by": [1, 2]}
    });
    let event: Event = serde_json::from_value(body.clone()).unwrap();
    let EventPayload::Unknown(unknown) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    assert_eq!(unknown.event_fqn, "CONVERSATION_ARCHIVED");
    assert_eq!(unknown.data, body["data"]);
    assert_eq!(
        event.event_type(),
        WebhookEventType::Unknown("ConversationArchived".into())
    );
    assert_eq!(serde_json::to_value(&event).unwrap(), body);
}

#[test]
fn decoding_is_lenient_but_reports_wrong_types_with_their_path() {
    let body = json!({
        "event_id": "1", "event_fqn": "CONVERSATION_CLOSED", "event_version": "1",
        "event_timestamp": "2025-01-14T22:01:05.429Z", "delivery_attempt": 3,
        "data": {"conversation": {"channel": "VOICE", "status": "SNOOZED", "new_field": {}}}
    });
    let event: Event = serde_json::from_value(body).unwrap();
    let EventPayload::ConversationClosed(data) = &event.payload else {
        panic!("{:?}", event.payload);
    };
    let conversation = data.conversation.as_ref().unwrap();
    assert_eq!(
        conversation.channel,
        Some(EventChannel::Unknown("VOICE".into()))
    );
    assert_eq!(
        conversation.status,
        Some(EventConversationStatus::Unknown("SNOOZED".into()))
    );

    // No `data` at all still decodes.
    let bare = br#"{"event_id":"1","event_fqn":"CONVERSATION_OPEN","event_version":"1",
        "event_timestamp":"2025-01-14T22:01:05.429Z"}"#;
    assert!(matches!(
        webhooks::parse_event(bare).unwrap().payload,
        EventPayload::ConversationOpen(_)
    ));

    let wrong = br#"{"event_id":"1","event_fqn":"CONVERSATION_OPEN","event_version":"1",
        "event_timestamp":"2025-01-14T22:01:05.429Z","data":{"conversation":{"csid":"two"}}}"#;
    let err = webhooks::parse_event(wrong).unwrap_err();
    assert_eq!(err.step(), "body");
    assert!(err.to_string().contains("data.conversation.csid"), "{err}");
    assert!(err.to_string().contains("CONVERSATION_OPEN"), "{err}");
    let no_fqn =
        br#"{"event_id":"1","event_version":"1","event_timestamp":"2025-01-14T22:01:05.429Z"}"#;
    assert!(matches!(
        webhooks::parse_event(no_fqn),
        Err(WebhookError::InvalidBody(_))
    ));
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

#[test]
fn signed_samples_pass_construct_event_and_tampered_or_stale_ones_fail() {
    let webhook = Webhook::new(SECRET);
    for (name, body) in samples() {
        let signature = webhooks::sign(SECRET, now_ms(), &body).unwrap();
        // Header names as a proxy may deliver them: lower case.
        let headers = vec![
            ("content-type".to_owned(), "application/json".to_owned()),
            ("x-dixa-signature".to_owned(), signature.clone()),
        ];
        let event = webhook
            .construct_event(&headers, &body)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(event, webhooks::parse_event(&body).unwrap(), "{name}");
        // The header's value alone works too.
        assert!(webhook.construct_event(signature.as_str(), &body).is_ok());

        let mut tampered = body.clone();
        let at = tampered.iter().position(|b| b.is_ascii_digit()).unwrap();
        tampered[at] = if tampered[at] == b'9' {
            b'8'
        } else {
            tampered[at] + 1
        };
        assert_eq!(
            webhook.construct_event(&headers, &tampered),
            Err(WebhookError::BadSignature),
            "{name}"
        );
        assert_eq!(
            Webhook::new("00ff").construct_event(&headers, &body),
            Err(WebhookError::BadSignature)
        );

        let stale = webhooks::sign(SECRET, now_ms() - 10 * 60 * 1000, &body).unwrap();
        let err = webhook.construct_event(stale.as_str(), &body).unwrap_err();
        assert!(
            matches!(
                err,
                WebhookError::Stale {
                    in_future: false,
                    ..
                }
            ),
            "{name}: {err:?}"
        );
        assert_eq!(err.step(), "timestamp");
    }
}

#[test]
fn construct_event_reads_http_header_maps_and_reports_a_missing_header() {
    let (_, body) = samples().remove(0);
    let mut headers = http::HeaderMap::new();
    let webhook = Webhook::new(SECRET);
    assert_eq!(
        webhook.construct_event(&headers, &body),
        Err(WebhookError::MissingHeader)
    );
    let signature = webhooks::sign(SECRET, now_ms(), &body).unwrap();
    headers.insert("X-Dixa-Signature", signature.parse().unwrap());
    assert!(webhook.construct_event(&headers, &body).is_ok());
}
