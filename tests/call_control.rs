//! Per-call control and what a call tells about its response, against an in-process mock server:
//! per-request timeout, retry policy, headers and query parameters; status, headers and attempts
//! with the value; error kinds with the response headers; raw calls; the page and item streams;
//! `Client::from_env`.

use dixa::{Error, ErrorKind, Method, RetryPolicy};
use futures_util::StreamExt;
use serde_json::json;
use std::future::IntoFuture;
use std::time::Duration;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> dixa::Client {
    dixa::Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::none())
        .build()
        .expect("valid configuration")
}

fn tags() -> serde_json::Value {
    json!({"data": [{"id": "00000000-0000-0000-0000-000000000001", "name": "vip", "state": "Active"}]})
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_client_s() {
    let server = MockServer::start().await;
    Mock::given(path("/beta/tags"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(tags())
                .set_delay(Duration::from_millis(400)),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client
        .tags()
        .list_tags()
        .timeout(Duration::from_millis(50))
        .await
        .expect_err("the call times out");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.is_timeout());
    // The client's own 5 s limit still applies to calls without one.
    assert_eq!(
        client
            .tags()
            .list_tags()
            .await
            .expect("slow but in time")
            .len(),
        1
    );
}

#[tokio::test]
async fn a_per_call_retry_policy_overrides_the_client_s() {
    let server = MockServer::start().await;
    Mock::given(path("/beta/tags"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.tags().list_tags().await.expect_err("503");
    assert!(err.is_server_error());
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1
    );
    let policy = RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(1), Duration::from_millis(5));
    client
        .tags()
        .list_tags()
        .retry(policy)
        .await
        .expect_err("still 503");
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        4,
        "one attempt, then three under the call's policy"
    );
}

#[tokio::test]
async fn extra_headers_and_query_parameters_are_sent_and_settings_reach_every_page() {
    let server = MockServer::start().await;
    Mock::given(path("/beta/agents"))
        .and(header("x-trace", "abc"))
        .and(query_param("beta", "1"))
        .and(query_param("pageKey", "two"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/beta/agents"))
        .and(header("x-trace", "abc"))
        .and(query_param("beta", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": [], "meta": {"next": "/beta/agents?pageKey=two"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client(&server)
        .agents()
        .list_agents()
        .header("X-Trace", "abc")
        .extra_query("beta", 1)
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(Result::is_ok), "{pages:?}");
}

#[tokio::test]
async fn an_invalid_header_is_a_config_error_before_anything_is_sent() {
    let server = MockServer::start().await;
    let err = client(&server)
        .tags()
        .list_tags()
        .header("bad header", "x")
        .await
        .expect_err("invalid name");
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert!(server
        .received_requests()
        .await
        .unwrap_or_default()
        .is_empty());
}

#[tokio::test]
async fn send_with_meta_returns_status_headers_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(path("/beta/tags"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/beta/tags"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(tags())
                .insert_header("x-ratelimit-remaining", "7"),
        )
        .mount(&server)
        .await;
    let (tags, meta) = client(&server)
        .tags()
        .list_tags()
        .retry(RetryPolicy::default().with_max_attempts(2))
        .send_with_meta()
        .await
        .expect("the second attempt succeeds");
    assert_eq!(tags.len(), 1);
    assert_eq!(meta.status, 200);
    assert_eq!(meta.attempts, 2);
    assert_eq!(meta.headers().get("X-RateLimit-Remaining"), Some("7"));
}

#[tokio::test]
async fn errors_have_kinds_and_keep_the_response_headers() {
    let server = MockServer::start().await;
    for (status, id) in [(404, "1"), (409, "2"), (400, "3"), (401, "4"), (418, "5")] {
        Mock::given(path(format!(
            "/beta/agents/00000000-0000-0000-0000-00000000000{id}"
        )))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_json(json!({"message": format!("status {status}")}))
                .insert_header("x-request-marker", id),
        )
        .mount(&server)
        .await;
    }
    let client = client(&server);
    let mut kinds = Vec::new();
    for id in 1..=5u128 {
        let err: Error = client
            .agents()
            .get_agent(uuid::Uuid::from_u128(id))
            .await
            .expect_err("an error status");
        let marker = id.to_string();
        assert_eq!(
            err.headers().and_then(|h| h.get("x-request-marker")),
            Some(marker.as_str())
        );
        assert_eq!(
            err.message(),
            Some(format!("status {}", err.status().unwrap_or(0)).as_str())
        );
        kinds.push(err.kind());
    }
    assert_eq!(
        kinds,
        [
            ErrorKind::NotFound,
            ErrorKind::Conflict,
            ErrorKind::BadRequest,
            ErrorKind::Unauthorized,
            ErrorKind::OtherStatus
        ]
    );
}

#[tokio::test]
async fn a_connection_failure_is_a_connect_error() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let client = dixa::Client::builder()
        .api_key("k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(RetryPolicy::none())
        .build()
        .expect("valid configuration");
    let err = client
        .tags()
        .list_tags()
        .await
        .expect_err("nothing listens");
    assert!(err.is_connect(), "{err:?}");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the cause is kept"
    );
}

#[tokio::test]
async fn raw_calls_go_through_the_same_client() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/new-endpoint"))
        .and(header("authorization", "test-key"))
        .and(query_param("dryRun", "true"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 7})))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/beta/new-endpoint/7"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let value = client
        .request(Method::Post, "/beta/new-endpoint")
        .query("dryRun", true)
        .json(&json!({"name": "x"}))
        .await
        .expect("201");
    assert_eq!(value, json!({"id": 7}));

    #[derive(serde::Deserialize)]
    struct Created {
        id: i64,
    }
    let created: Created = client
        .request(Method::Post, "beta/new-endpoint")
        .query("dryRun", true)
        .send_as()
        .await
        .expect("decodes as the caller's type");
    assert_eq!(created.id, 7);
    let empty = client
        .request(Method::Delete, "/beta/new-endpoint/7")
        .await
        .expect("204 without a body");
    assert_eq!(empty, serde_json::Value::Null);
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received[0].body, br#"{"name":"x"}"#);
}

#[tokio::test]
async fn items_and_pages_are_unpin_streams_that_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(path("/beta/agents"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"id": "00000000-0000-0000-0000-000000000001", "createdAt": "2020-12-16T09:41:43Z",
             "displayName": "Ann", "email": "ann@example.org", "roles": []}
        ]})))
        .mount(&server)
        .await;
    let client = client(&server);
    // `next()` without `pin!`: the streams are Unpin.
    let mut items = client.agents().list_agents().items();
    let first = items.next().await.expect("one item").expect("decodes");
    assert_eq!(first.display_name, "Ann");
    assert!(items.next().await.is_none());
    // A builder's future and a stream can move into a spawned task.
    let pages = client.agents().list_agents().pages();
    let count = tokio::spawn(async move { pages.count().await })
        .await
        .expect("the task finishes");
    assert_eq!(count, 1);
    let one = tokio::spawn(client.agents().list_agents().into_future())
        .await
        .expect("the task finishes")
        .expect("decodes");
    assert_eq!(one.data.len(), 1);
}

#[test]
fn from_env_reads_the_key_and_base_url_and_says_what_is_missing() {
    // The only test that touches these variables, so it cannot race another test of this binary.
    std::env::remove_var("DIXA_API_KEY");
    std::env::remove_var("DIXA_BASE_URL");
    let err = dixa::Client::from_env().expect_err("no key");
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("DIXA_API_KEY"), "{err}");
    std::env::set_var("DIXA_API_KEY", "env-key");
    let client = dixa::Client::from_env().expect("a key is enough");
    assert_eq!(client.base_url(), dixa::DEFAULT_BASE_URL);
    std::env::set_var("DIXA_BASE_URL", "http://127.0.0.1:4010/");
    let client = dixa::Client::from_env().expect("key and base URL");
    assert_eq!(client.base_url(), "http://127.0.0.1:4010");
    std::env::remove_var("DIXA_API_KEY");
    std::env::remove_var("DIXA_BASE_URL");
}
