//! The SDK's spans follow OpenTelemetry's HTTP client conventions: a `dixa_request` span per call
//! (kind internal, named by its operationId) with a `dixa_attempt` child span per physical request
//! (kind client, named `{METHOD} {url.template}`), and the API key appears in no span field and no
//! event. A capturing layer records every span's name, parent and fields, and every event's fields;
//! the tests snapshot them for a successful call, a call retried after a 503 and a failed call.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const API_KEY: &str = "super-secret-key-42";

/// Recorded fields: (name, value as `Debug` prints it), in order.
type FieldList = Vec<(String, String)>;

/// One span as recorded: its name, its parent's name, and its fields in the order they got values.
#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    parent: Option<&'static str>,
    fields: FieldList,
}

/// Every span and event a subscriber saw, in order.
#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, SpanRecord>>>,
    order: Arc<Mutex<Vec<u64>>>,
    events: Arc<Mutex<Vec<FieldList>>>,
}

struct Fields<'a>(&'a mut FieldList);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let parent = ctx.span_scope(id).and_then(|mut scope| {
            scope.next();
            scope.next().map(|span| span.name())
        });
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        self.spans.lock().expect("not poisoned").insert(
            id.into_u64(),
            SpanRecord {
                name: attrs.metadata().name(),
                parent,
                fields,
            },
        );
        self.order.lock().expect("not poisoned").push(id.into_u64());
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut spans = self.spans.lock().expect("not poisoned");
        if let Some(span) = spans.get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let mut fields = Vec::new();
        event.record(&mut Fields(&mut fields));
        self.events.lock().expect("not poisoned").push(fields);
    }
}

impl Capture {
    /// The spans in the order they were opened, each with its fields, the port of the mock server
    /// replaced by `{port}` (it changes between runs).
    fn render(&self, port: u16) -> String {
        let spans = self.spans.lock().expect("not poisoned");
        let mut out = String::new();
        for id in self.order.lock().expect("not poisoned").iter() {
            let span = &spans[id];
            let _ = writeln!(
                out,
                "{} (parent: {})",
                span.name,
                span.parent.unwrap_or("none")
            );
            for (name, value) in &span.fields {
                let value = value.replace(&port.to_string(), "{port}");
                let _ = writeln!(out, "  {name} = {value}");
            }
        }
        out
    }

    /// Every recorded value: span fields and event fields.
    fn all_values(&self) -> Vec<String> {
        let spans = self.spans.lock().expect("not poisoned");
        let events = self.events.lock().expect("not poisoned");
        spans
            .values()
            .flat_map(|s| s.fields.iter())
            .chain(events.iter().flatten())
            .map(|(name, value)| format!("{name}={value}"))
            .collect()
    }
}

/// Runs `call` against a mock server that answers with `responses` in turn, under a capturing
/// subscriber; returns the rendered spans and asserts that the API key is in no recorded value.
async fn traced<F, Fut>(responses: Vec<ResponseTemplate>, call: F) -> String
where
    F: FnOnce(dixa::Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let capture = Capture::default();
    let subscriber = tracing_subscriber::registry().with(capture.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    let last = responses.len();
    for (i, response) in responses.into_iter().enumerate() {
        let mock = Mock::given(any()).respond_with(response);
        // Each response but the last answers once, in order; the last answers from then on.
        let mock = if i + 1 < last {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        mock.with_priority(u8::try_from(i + 1).expect("few responses"))
            .mount(&server)
            .await;
    }
    let client = dixa::Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry(dixa::RetryPolicy::default().with_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        ))
        .build()
        .expect("valid");
    call(client).await;
    let values = capture.all_values();
    assert!(!values.is_empty());
    let leaks: Vec<_> = values.iter().filter(|v| v.contains(API_KEY)).collect();
    assert!(leaks.is_empty(), "the API key was recorded: {leaks:?}");
    capture.render(server.address().port())
}

#[tokio::test]
async fn a_successful_call_is_one_call_span_with_one_client_span() {
    let spans = traced(
        vec![ResponseTemplate::new(200).set_body_string(r#"{"data": []}"#)],
        |client| async move {
            let tags = client
                .tags()
                .list_tags()
                .include_deactivated(true)
                .await
                .expect("succeeds");
            assert!(tags.is_empty());
        },
    )
    .await;
    insta::assert_snapshot!(spans);
}

#[tokio::test]
async fn a_retried_call_has_a_client_span_per_attempt_with_the_resend_count() {
    let spans = traced(
        vec![ResponseTemplate::new(503), ResponseTemplate::new(204)],
        |client| async move {
            client
                .tags()
                .delete_tag(uuid::Uuid::from_u128(7))
                .await
                .expect("succeeds on the second attempt");
        },
    )
    .await;
    insta::assert_snapshot!(spans);
}

#[tokio::test]
async fn a_failed_call_marks_both_spans_as_errors_with_the_status() {
    let spans = traced(
        vec![ResponseTemplate::new(404).set_body_string(r#"{"message": "no such tag"}"#)],
        |client| async move {
            let error = client
                .tags()
                .get_tag(uuid::Uuid::from_u128(7))
                .await
                .expect_err("404");
            assert!(error.is_not_found(), "{error}");
        },
    )
    .await;
    insta::assert_snapshot!(spans);
}

#[tokio::test]
async fn a_call_that_cannot_connect_is_classified_without_a_status() {
    // A port nothing listens on: the listener is dropped before the call.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("an address")
        .port();
    let capture = Capture::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    let client = dixa::Client::builder()
        .api_key(API_KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(dixa::RetryPolicy::none())
        .build()
        .expect("valid");
    let error = client
        .tags()
        .list_tags()
        .await
        .expect_err("nothing listens");
    assert!(error.is_connect(), "{error}");
    let spans = capture.render(port);
    for expected in [
        "dixa_attempt (parent: dixa_request)",
        "  error.type = \"connect\"",
        "  otel.status_code = \"ERROR\"",
    ] {
        assert!(spans.contains(expected), "{expected} missing from\n{spans}");
    }
    assert!(!spans.contains("http.response.status_code"), "{spans}");
    assert!(capture.all_values().iter().all(|v| !v.contains(API_KEY)));
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("not poisoned").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// What a plain `fmt` subscriber prints (the usual set-up without OpenTelemetry) names the call and
/// the attempt, and never the key.
#[tokio::test]
async fn requests_are_logged_without_the_key() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = dixa::Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry(dixa::RetryPolicy::default().with_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        ))
        .build()
        .expect("valid");
    client
        .tags()
        .delete_tag(uuid::Uuid::from_u128(7))
        .await
        .expect("succeeds on the second attempt");

    let log = String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("utf-8");
    assert!(log.contains("dixa_request"), "{log}");
    assert!(log.contains("dixa_attempt"), "{log}");
    assert!(log.contains("dixa.operation=\"deleteTagsTagid\""), "{log}");
    assert!(log.contains("http.request.method=\"DELETE\""), "{log}");
    assert!(log.contains("url.template=\"/beta/tags/{tagId}\""), "{log}");
    assert!(log.contains("http.request.resend_count=1"), "{log}");
    assert!(log.contains("http.response.status_code=204"), "{log}");
    assert!(log.contains("dixa.attempts=2"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert!(!log.contains(API_KEY), "{log}");
}
