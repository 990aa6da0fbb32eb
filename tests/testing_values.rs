//! `dixa::testing`'s values for unit tests (errors, pages, webhook events and signed deliveries),
//! each compared with what the SDK gives for the same thing on the wire: a real failing request
//! against a local server, a real list page, a delivery verified by the SDK's own `Webhook`.

use dixa::models::{Agent, Tag};
use dixa::testing::{errors, pages, webhooks as kit};
use dixa::webhooks::{
    self, Event, EventConversation, EventConversationData, EventPayload, EventRatedData, EventUser,
    Webhook, WebhookError,
};
use dixa::{Error, ErrorKind, RetryPolicy};
use serde_json::{json, Value};
use std::time::{Duration, SystemTime};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "2b7e151628aed2a6abf7158809cf4f3c";

/// A client that does not retry and gives up on a slow answer quickly.
fn client(base_url: &str) -> dixa::Client {
    dixa::Client::builder()
        .api_key("test-key")
        .base_url(base_url)
        .timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .expect("valid configuration")
}

/// A server answering every request with `response`.
async fn answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// What a caller's code can observe of an error: kind, predicates, status, message, body, the
/// headers it asks for, the text, and whether it has a source.
fn observed(error: &Error) -> Value {
    json!({
        "kind": format!("{:?}", error.kind()),
        "not_found": error.is_not_found(),
        "rate_limited": error.is_rate_limited(),
        "server": error.is_server_error(),
        "timeout": error.is_timeout(),
        "connect": error.is_connect(),
        "status": error.status(),
        "message": error.message(),
        "body": error.body(),
        "retry_after": error.headers().and_then(|h| h.get("retry-after")),
        "x_request_id": error.headers().and_then(|h| h.get("X-Request-Id")),
        "text": error.to_string(),
        "has_source": std::error::Error::source(error).is_some(),
    })
}

/// The branch a downstream `match` takes.
fn branch(error: &Error) -> String {
    match error {
        Error::Api(api) if api.status == 404 => format!("missing: {:?}", api.message),
        Error::Api(api) => format!("api {}", api.status),
        Error::RateLimited { retry_after, error } => {
            format!("wait {retry_after:?} ({})", error.status)
        }
        Error::Decode(d) => format!("decode at {}", d.path),
        Error::Transport(t) if t.is_timeout() => format!("timeout of {}", t.request),
        Error::Transport(t) if t.is_connect() => format!("no connection for {}", t.request),
        Error::Transport(t) => format!("transport {}", t.request),
        other => format!("other {other}"),
    }
}

#[tokio::test]
async fn a_constructed_api_error_is_seen_like_a_real_404() {
    let raw = r#"{"message":"Agent not found"}"#;
    let server = answering(
        ResponseTemplate::new(404)
            .set_body_raw(raw, "application/json")
            .insert_header("x-request-id", "req-1"),
    )
    .await;
    let id = uuid::Uuid::from_u128(5);
    let real = client(&server.uri())
        .agents()
        .get_agent(id)
        .await
        .expect_err("404 is an error");
    let made = errors::api_error(404)
        .message("Agent not found")
        .header("X-Request-Id", "req-1")
        .request(format!("GET /beta/agents/{id}"))
        .into_error();
    assert_eq!(observed(&made), observed(&real));
    assert_eq!(branch(&made), branch(&real));
    assert_eq!(branch(&made), r#"missing: Some("Agent not found")"#);
    let (Error::Api(made), Error::Api(real)) = (&made, &real) else {
        panic!("{made:?} / {real:?}")
    };
    assert_eq!((&made.body, made.status), (&real.body, real.status));
}

#[tokio::test]
async fn a_constructed_rate_limit_is_seen_like_a_real_429() {
    // A wait beyond the policy's longest is returned at once, not waited for.
    let server = answering(
        ResponseTemplate::new(429)
            .set_body_raw(r#"{"message":"Too many requests"}"#, "application/json")
            .insert_header("retry-after", "120"),
    )
    .await;
    let real = client(&server.uri())
        .tags()
        .list_tags()
        .await
        .expect_err("429 is an error");
    let made = errors::rate_limited()
        .message("Too many requests")
        .retry_after_secs(120)
        .request("GET /beta/tags")
        .into_error();
    assert_eq!(observed(&made), observed(&real));
    assert_eq!(branch(&made), "wait Some(120s) (429)");
    assert_eq!(branch(&made), branch(&real));
    assert!(
        matches!(made, Error::RateLimited { retry_after: Some(w), .. } if w == Duration::from_secs(120))
    );

    // Without `Retry-After`, no wait is known; `api_error(429)` is the same error.
    let bare = errors::rate_limited().into_error();
    assert!(matches!(
        bare,
        Error::RateLimited {
            retry_after: None,
            ..
        }
    ));
    assert_eq!(
        observed(&bare),
        observed(&errors::api_error(429).into_error())
    );
}

#[test]
fn api_errors_keep_raw_bodies_repeated_headers_and_any_status() {
    let page = "<html><body>Bad gateway</body></html>";
    let error = errors::api_error(502)
        .body(page)
        .header("set-cookie", "a=1")
        .header("Set-Cookie", "b=2")
        .build();
    assert_eq!(error.status, 502);
    assert_eq!(error.message, None);
    assert_eq!(error.body, page);
    assert_eq!(error.request, errors::DEFAULT_REQUEST);
    assert_eq!(
        error.headers.get_all("set-cookie").collect::<Vec<_>>(),
        ["a=1", "b=2"]
    );
    let error = Error::from(errors::api_error(502).body(page));
    assert_eq!(error.kind(), ErrorKind::Server);
    assert!(error.to_string().contains(page), "{error}");
    for (status, kind) in [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Unauthorized),
        (403, ErrorKind::Forbidden),
        (409, ErrorKind::Conflict),
        (422, ErrorKind::Unprocessable),
        (418, ErrorKind::OtherStatus),
    ] {
        let error = errors::api_error(status).message("no").into_error();
        assert_eq!(error.kind(), kind, "{status}");
        assert!(matches!(&error, Error::Api(api) if api.status == status));
    }
}

#[tokio::test]
async fn a_constructed_decode_error_is_seen_like_a_real_one() {
    let raw = json!({"data": {"id": "not-a-uuid", "name": "vip"}}).to_string();
    let server =
        answering(ResponseTemplate::new(200).set_body_raw(raw.clone(), "application/json")).await;
    let id = uuid::Uuid::from_u128(1);
    let real = client(&server.uri())
        .tags()
        .get_tag(id)
        .await
        .expect_err("the body does not match Tag");
    let Error::Decode(real_decode) = &real else {
        panic!("{real:?}")
    };

    // Decoded by the client's decoder, the body fails at the same path with the same message.
    let decoded = errors::decode_data_as::<Tag>(&raw).expect_err("does not decode");
    let Error::Decode(decoded) = decoded else {
        panic!("{decoded:?}")
    };
    assert_eq!(decoded.path, real_decode.path);
    assert_eq!(decoded.message, real_decode.message);
    assert_eq!(decoded.body, real_decode.body);
    assert_eq!(decoded.status, 200);

    // Built by hand from those parts, it is the same error.
    let made = errors::decode_error(&real_decode.path, &real_decode.message, raw.as_str())
        .request(format!("GET /beta/tags/{id}"))
        .into_error();
    assert_eq!(observed(&made), observed(&real));
    assert_eq!(branch(&made), branch(&real));
    let Error::Decode(made) = made else {
        unreachable!()
    };
    assert_eq!(&made, real_decode);

    let converted: Error = errors::decode_error("data", "expected an object", "[]").into();
    assert_eq!(branch(&converted), "decode at data");
    // A body that is not UTF-8 keeps its bytes; another status is kept.
    let bytes = errors::decode_error(".", "not JSON", b"caf\xe9".to_vec())
        .status(201)
        .build();
    assert_eq!((bytes.raw_body(), bytes.status), (&b"caf\xe9"[..], 201));
    // A body that decodes is the value.
    let agents = errors::decode_as::<Vec<Value>>("[1, 2]").expect("decodes");
    assert_eq!(agents.len(), 2);
    let error = errors::decode_as::<Vec<Agent>>("").expect_err("empty");
    assert!(
        matches!(&error, Error::Decode(d) if d.message == "the body is empty"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_constructed_timeout_is_seen_like_a_real_one() {
    let server = answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(3))).await;
    let real = client(&server.uri())
        .tags()
        .list_tags()
        .await
        .expect_err("times out");
    let made = errors::timeout("GET /beta/tags");
    let (real_seen, made_seen) = (observed(&real), observed(&made));
    // Everything but the text, which is reqwest's and names the URL, is the same.
    for key in [
        "kind",
        "timeout",
        "connect",
        "status",
        "message",
        "body",
        "has_source",
    ] {
        assert_eq!(made_seen[key], real_seen[key], "{key}");
    }
    assert_eq!(made_seen["kind"], "Timeout");
    assert_eq!(branch(&made), branch(&real));
    assert_eq!(made.to_string(), without_url(&real.to_string()));
}

/// A transport error's text without what only a real request has: reqwest's ` for url (...)` and
/// the operating system's error number.
fn without_url(text: &str) -> String {
    let mut text = text.to_owned();
    if let Some(start) = text.find(" for url (") {
        if let Some(end) = text[start..].find("): ") {
            text.replace_range(start..start + end + 1, "");
        }
    }
    if let Some(start) = text.find(" (os error ") {
        text.truncate(start);
    }
    text
}

#[tokio::test]
async fn a_constructed_refused_connection_is_seen_like_a_real_one() {
    // Bind a port, then free it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let real = client(&format!("http://127.0.0.1:{port}"))
        .tags()
        .list_tags()
        .await
        .expect_err("refused");
    let made = errors::connect("GET /beta/tags");
    let (real_seen, made_seen) = (observed(&real), observed(&made));
    for key in [
        "kind",
        "timeout",
        "connect",
        "status",
        "message",
        "body",
        "has_source",
    ] {
        assert_eq!(made_seen[key], real_seen[key], "{key}");
    }
    assert_eq!(made_seen["kind"], "Connect");
    assert_eq!(branch(&made), branch(&real));
    assert_eq!(branch(&made), "no connection for GET /beta/tags");
    assert_eq!(made.to_string(), without_url(&real.to_string()));
}

#[tokio::test]
async fn pages_are_what_the_client_yields_for_the_same_body() {
    let agent = json!({"id": "0b9f6f0e-6a3c-4c8e-9a55-1f2b5a7d9e10", "createdAt": "2020-12-16T09:41:43Z", "displayName": "Ada", "email": "ada@example.org", "roles": []});
    let body =
        json!({"data": [agent], "meta": {"next": "/v1/agents?pageKey=abc%3D", "previous": "  "}})
            .to_string();
    let server =
        answering(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).await;
    let real = client(&server.uri())
        .agents()
        .list_agents()
        .pages()
        .next_page()
        .await
        .expect("a page")
        .expect("decodes");
    let decoded = pages::page_from_json::<Agent>(&body).expect("decodes");
    assert_eq!(decoded, real);
    let built = pages::page(real.items.clone())
        .next("/v1/agents?pageKey=abc%3D")
        .previous("  ")
        .build();
    assert_eq!(built, real);
    // A blank `meta.next`, or none, is the last page, as the decoder reads it.
    assert_eq!(pages::page(vec![1]).next(" ").build().next, None);
    assert_eq!(
        pages::page_from_json::<i32>(r#"{"data":[1]}"#).unwrap(),
        pages::page(vec![1]).build()
    );
    assert_eq!(
        pages::page_from_json::<i32>("{}").unwrap().items,
        Vec::<i32>::new()
    );
    let keyed = pages::page(vec![1]).next_page_key("a+b=").build();
    assert_eq!(keyed.next.as_deref(), Some("?pageKey=a%2Bb%3D"));
    // A body of the wrong shape is the client's decode error.
    let error = pages::page_from_json::<Agent>(r#"{"data":[{"id":5}]}"#).unwrap_err();
    assert!(
        matches!(&error, Error::Decode(d) if d.path == "data[0].id"),
        "{error:?}"
    );
}

fn rated() -> EventPayload {
    EventPayload::ConversationRated(
        EventRatedData::new()
            .with_score(1)
            .with_comment("Nobody answered")
            .with_agent(EventUser::new().with_id("agent-1").with_name("Ada"))
            .with_conversation(EventConversation::new().with_csid(42)),
    )
}

#[test]
fn events_built_from_payloads_are_what_the_decoder_reads() {
    let event: Event = kit::event(rated())
        .event_id("evt-1")
        .timestamp("2025-01-14T22:01:05.429Z")
        .build()
        .expect("builds");
    assert_eq!(event.event_id, "evt-1");
    assert_eq!(event.event_version, "1");
    assert_eq!(
        event.event_timestamp.to_string(),
        "2025-01-14T22:01:05.429Z"
    );
    assert_eq!(event.event_fqn(), "CONVERSATION_RATED");
    assert_eq!(event.payload, rated());
    let organization = event.organization.as_ref().expect("an organization");
    assert_eq!(
        organization.id.as_deref(),
        Some(kit::DEFAULT_ORGANIZATION_ID)
    );
    // The body decodes, with the parser handlers use, into the same event.
    let body = kit::event(rated())
        .event_id("evt-1")
        .timestamp("2025-01-14T22:01:05.429Z")
        .to_json()
        .unwrap();
    assert_eq!(webhooks::parse_event(&body).unwrap(), event);

    // Defaults: a fresh UUID each time, a timestamp of now in Dixa's form.
    let (a, b): (Event, Event) = (
        kit::event(rated()).build().unwrap(),
        kit::event(rated()).build().unwrap(),
    );
    assert_ne!(a.event_id, b.event_id);
    assert!(
        uuid::Uuid::parse_str(&a.event_id).is_ok_and(|u| u.get_version_num() == 4),
        "{}",
        a.event_id
    );
    let age = SystemTime::now()
        .duration_since(SystemTime::from(a.event_timestamp.instant()))
        .unwrap_or_default();
    assert!(age < Duration::from_secs(60), "{age:?}");
    assert!(
        a.event_timestamp.to_string().ends_with('Z'),
        "{}",
        a.event_timestamp
    );

    let custom = kit::event(EventPayload::ConversationCreated(
        EventConversationData::new(),
    ))
    .organization("org-9", "Acme")
    .version("2")
    .build()
    .unwrap();
    let organization = custom.organization.unwrap();
    assert_eq!(
        (
            organization.id.as_deref(),
            organization.name.as_deref(),
            custom.event_version.as_str()
        ),
        (Some("org-9"), Some("Acme"), "2")
    );
    let bare = kit::event(rated()).without_organization().build().unwrap();
    assert_eq!(bare.organization, None);
}

#[test]
fn an_event_the_decoder_would_refuse_is_an_invalid_body() {
    // An unknown event renamed to a known one whose `data` does not fit: the decoder refuses it.
    let unknown: Event = kit::event_from_json(
        r#"{"event_id":"1","event_fqn":"CONVERSATION_RATED_X","event_version":"1",
            "event_timestamp":"2025-01-14T22:01:05.429Z","data":{"score":"high"}}"#,
    )
    .unwrap()
    .build()
    .unwrap();
    let EventPayload::Unknown(mut unknown) = unknown.payload else {
        panic!("an unknown event_fqn is kept as Unknown")
    };
    unknown.event_fqn = "CONVERSATION_RATED".to_owned();
    let error = kit::event(EventPayload::Unknown(unknown))
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, WebhookError::InvalidBody(m) if m.contains("data.score")),
        "{error:?}"
    );
    let error = kit::event(rated())
        .timestamp("yesterday")
        .build()
        .unwrap_err();
    assert!(
        matches!(&error, WebhookError::InvalidBody(m) if m.contains("event_timestamp")),
        "{error:?}"
    );
    assert!(kit::event(rated())
        .timestamp("yesterday")
        .sign(SECRET)
        .is_err());
    let error = kit::event_from_json::<Event>("[1]").unwrap_err();
    assert!(matches!(error, WebhookError::InvalidBody(_)), "{error:?}");
    assert_eq!(
        kit::event(rated()).sign("not hex").unwrap_err(),
        WebhookError::InvalidSecret
    );
}

#[test]
fn a_signed_event_is_accepted_by_the_sdk_s_verifier_and_decodes_to_the_event() {
    let builder = kit::event(rated());
    let event: Event = builder.build().unwrap();
    let delivery = builder.sign(SECRET).unwrap();
    let received = Webhook::new(SECRET)
        .construct_event(delivery.headers(), delivery.body())
        .expect("accepted");
    assert_eq!(received, event);
    // The delivery itself is a signature source too.
    assert_eq!(
        Webhook::new(SECRET)
            .construct_event(&delivery, delivery.body())
            .unwrap(),
        event
    );
    // The headers Dixa sends, in any case.
    assert_eq!(delivery.header("content-type"), Some("application/json"));
    assert_eq!(
        delivery.header("x-dixa-subscription-id"),
        Some(kit::DEFAULT_SUBSCRIPTION_ID)
    );
    assert_eq!(
        delivery.header(webhooks::SIGNATURE_HEADER),
        Some(delivery.signature())
    );
    let verified = webhooks::verify(
        SECRET,
        delivery.signature(),
        delivery.body(),
        Duration::from_secs(60),
    )
    .unwrap();
    let age = SystemTime::now()
        .duration_since(verified.timestamp)
        .unwrap_or_default();
    assert!(age < Duration::from_secs(60), "{age:?}");
    // Through an `http::HeaderMap`, as a web framework hands it over.
    let (pairs, body) = delivery.clone().into_parts();
    let mut map = http::HeaderMap::new();
    for (name, value) in &pairs {
        map.append(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    assert_eq!(
        Webhook::new(SECRET).construct_event(&map, &body).unwrap(),
        event
    );
}

#[test]
fn tampered_bodies_wrong_secrets_and_stale_deliveries_are_refused() {
    let delivery = kit::event(rated()).sign(SECRET).unwrap();
    let webhook = Webhook::new(SECRET);
    let mut tampered = delivery.body().to_vec();
    let at = tampered
        .iter()
        .position(|&b| b == b'1')
        .expect("the score's digit");
    tampered[at] = b'5';
    assert_eq!(
        webhook
            .construct_event(delivery.headers(), &tampered)
            .unwrap_err(),
        WebhookError::BadSignature
    );
    assert_eq!(
        Webhook::new("00112233445566778899aabbccddeeff")
            .construct_event(delivery.headers(), delivery.body())
            .unwrap_err(),
        WebhookError::BadSignature
    );
    // Signed an hour ago: genuine, but stale for the default five minutes.
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let stale = kit::delivery(delivery.body())
        .signed_at(an_hour_ago)
        .sign(SECRET)
        .unwrap();
    assert!(matches!(
        webhook.construct_event(stale.headers(), stale.body()),
        Err(WebhookError::Stale {
            in_future: false,
            ..
        })
    ));
    // At a fixed time, the signature is the SDK's own `sign`.
    let fixed = kit::delivery(&b"{}"[..])
        .signed_at_ms(1_689_238_949_803)
        .sign(SECRET)
        .unwrap();
    assert_eq!(
        fixed.signature(),
        webhooks::sign(SECRET, 1_689_238_949_803, b"{}").unwrap()
    );
    // Headers of the test's own and another subscription id.
    let custom = kit::delivery("{}")
        .subscription_id("sub-2")
        .header("Authorization", "Bearer t")
        .sign(SECRET)
        .unwrap();
    assert_eq!(custom.header("X-DIXA-SUBSCRIPTION-ID"), Some("sub-2"));
    assert_eq!(custom.header("authorization"), Some("Bearer t"));
    assert_eq!(custom.header("missing"), None);
}

/// The delivery samples (`tests/webhook-samples/`), built into events and signed as they are.
#[test]
fn every_sample_becomes_an_event_and_a_signed_delivery() {
    let dir = dixa_tests::root().join("tests/webhook-samples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 7, "{paths:?}");
    let webhook = Webhook::new(SECRET);
    for path in &paths {
        let sample = std::fs::read(path).unwrap();
        let parsed =
            webhooks::parse_event(&sample).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let built: Event = kit::event_from_json(&sample).unwrap().build().unwrap();
        assert_eq!(built, parsed, "{}", path.display());
        // The sample's bytes, signed: accepted as they are.
        let delivery = kit::delivery(sample.clone()).sign(SECRET).unwrap();
        assert_eq!(delivery.body(), &sample[..]);
        assert_eq!(
            webhook
                .construct_event(delivery.headers(), delivery.body())
                .unwrap(),
            parsed
        );
        // A fresh id for a redelivery test, the rest as sampled.
        let again: Event = kit::event_from_json(&sample)
            .unwrap()
            .event_id("evt-2")
            .build()
            .unwrap();
        assert_eq!(again.event_id, "evt-2");
        assert_eq!(again.payload, parsed.payload, "{}", path.display());
        let signed = kit::event_from_json::<Event>(&sample)
            .unwrap()
            .sign(SECRET)
            .unwrap();
        // Every member of the sample is delivered, also those the SDK does not decode.
        let as_json = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).unwrap();
        assert_eq!(
            as_json(signed.body()),
            as_json(&sample),
            "{}",
            path.display()
        );
        assert_eq!(
            webhook
                .construct_event(signed.headers(), signed.body())
                .unwrap(),
            parsed
        );
    }
}
