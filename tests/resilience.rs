//! Pagination, retries, rate limits and faults against an in-process mock server: every case gives
//! the documented outcome, and nothing panics.

use dixa::{Error, RetryPolicy};
use futures_util::StreamExt;
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::matchers::{any, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn agent(n: u32) -> serde_json::Value {
    json!({
        "id": format!("00000000-0000-0000-0000-{n:012}"),
        "createdAt": "2020-12-16T09:41:43Z",
        "displayName": format!("Agent {n}"),
        "email": format!("agent.{n}@example.org"),
        "roles": []
    })
}

/// A client that retries quickly, so the tests do not wait for real backoff.
fn client(server: &MockServer, retry: RetryPolicy) -> dixa::Client {
    dixa::Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .timeout(Duration::from_millis(500))
        .retry(retry)
        .build()
        .expect("valid configuration")
}

/// How many requests the mock server has received.
async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap_or_default().len()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

async fn mount_three_pages(server: &MockServer) {
    // Page 1: no pageKey. The link keeps only pageKey and pageLimit; the email filter must be kept
    // by the client.
    Mock::given(method("GET"))
        .and(path("/beta/agents"))
        .and(query_param_is_missing("pageKey"))
        .and(query_param("email", "agent@example.org"))
        .and(query_param("pageLimit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [agent(1), agent(2)],
            "meta": {"next": "/<api-version>/agents?pageKey=cGFnZT0y&pageLimit=2"}
        })))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/agents"))
        .and(query_param("pageKey", "cGFnZT0y"))
        .and(query_param("email", "agent@example.org"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [agent(3), agent(4)],
            "meta": {"previous": "/beta/agents?pageKey=cGFnZT0x", "next": "https://dev.dixa.io/beta/agents?pageKey=cGFnZT0z&pageLimit=2"}
        })))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/beta/agents"))
        .and(query_param("pageKey", "cGFnZT0z"))
        .and(query_param("email", "agent@example.org"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [agent(5)],
            "meta": {"previous": "/beta/agents?pageKey=cGFnZT0y"}
        })))
        .expect(1)
        .mount(server)
        .await;
}

fn filtered(client: &dixa::Client) -> dixa::apis::agents::ListAgentsRequest {
    client
        .agents()
        .list_agents()
        .email("agent@example.org")
        .page_limit(2)
}

#[tokio::test]
async fn items_follow_meta_next_across_three_pages_keeping_filters() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let names: Vec<String> = filtered(&client(&server, RetryPolicy::none()))
        .items()
        .map(|agent| agent.expect("decodes").display_name)
        .collect()
        .await;
    assert_eq!(
        names,
        ["Agent 1", "Agent 2", "Agent 3", "Agent 4", "Agent 5"]
    );
}

#[tokio::test]
async fn pages_can_be_read_one_at_a_time() {
    let server = MockServer::start().await;
    mount_three_pages(&server).await;
    let mut pages = filtered(&client(&server, RetryPolicy::none())).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next_page().await {
        let page = page.expect("page decodes");
        sizes.push((page.items.len(), page.next.is_some()));
    }
    assert_eq!(sizes, [(2, true), (2, true), (1, false)]);
    assert!(pages.next_page().await.is_none(), "done stays done");
}

#[tokio::test]
async fn an_error_on_a_later_page_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("pageKey"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [agent(1)], "meta": {"next": "/beta/agents?pageKey=two"}
        })))
        .mount(&server)
        .await;
    Mock::given(query_param("pageKey", "two"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"message": "Invalid pageKey"})),
        )
        .mount(&server)
        .await;
    let results: Vec<Result<_, Error>> = client(&server, RetryPolicy::none())
        .agents()
        .list_agents()
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    let err = results[1].as_ref().expect_err("the second page fails");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.message(), Some("Invalid pageKey"));
}

#[tokio::test]
async fn rate_limited_with_retry_after_waits_as_asked_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"message": "Too many requests"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    let start = Instant::now();
    let tags = client(&server, fast_retries())
        .tags()
        .list_tags()
        .await
        .expect("succeeds after the wait");
    assert!(tags.is_empty());
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After is honoured"
    );
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn rate_limited_without_retry_after_backs_off_then_gives_a_rate_limited_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({"message": "Slow down"})))
        .mount(&server)
        .await;
    let err = client(&server, fast_retries())
        .tags()
        .list_tags()
        .await
        .expect_err("429 every time");
    let Error::RateLimited { error, retry_after } = &err else {
        panic!("not a rate-limit error: {err:?}")
    };
    assert_eq!(error.status, 429);
    assert_eq!(*retry_after, None);
    assert!(err.to_string().contains("Slow down"), "{err}");
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_returned_not_waited_for() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let start = Instant::now();
    let err = client(&server, fast_retries())
        .tags()
        .list_tags()
        .await
        .expect_err("429");
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(matches!(
        err,
        Error::RateLimited { retry_after: Some(wait), .. } if wait == Duration::from_secs(3600)
    ));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_503_then_success_is_retried_for_get() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_string("<html><h1>503 Service Unavailable</h1></html>"),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    let tags = client(&server, fast_retries())
        .tags()
        .list_tags()
        .await
        .expect("third attempt succeeds");
    assert!(tags.is_empty());
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn a_500_is_not_retried_for_post_by_default() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"message": "There was an internal server error"})),
        )
        .mount(&server)
        .await;
    let body = serde_json::from_value(json!({"name": "vip"})).expect("valid");
    let err = client(&server, fast_retries())
        .tags()
        .create_tag(&body)
        .await
        .expect_err("500");
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.message(), Some("There was an internal server error"));
    assert_eq!(requests(&server).await, 1, "POST is not repeated");

    // Opting in repeats it.
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let _ = client(&server, fast_retries().with_retry_non_idempotent(true))
        .tags()
        .create_tag(&body)
        .await;
    assert_eq!(requests(&server).await, 3);
}

#[tokio::test]
async fn retries_can_be_switched_off() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let err = client(&server, RetryPolicy::none())
        .tags()
        .list_tags()
        .await
        .expect_err("503");
    assert_eq!(err.status(), Some(503));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_timeout_is_a_transport_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let err = client(&server, RetryPolicy::none().with_max_attempts(2))
        .tags()
        .list_tags()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.to_string().contains("GET /beta/tags"), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_retried_then_reported() {
    // Bind a port, then free it, so nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let client = dixa::Client::builder()
        .api_key("k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retries())
        .build()
        .expect("valid");
    let err = client.tags().list_tags().await.expect_err("refused");
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_keeping_the_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"data\": [", "application/json"))
        .mount(&server)
        .await;
    let err = client(&server, RetryPolicy::none())
        .tags()
        .list_tags()
        .await
        .expect_err("malformed");
    let Error::Decode(decode) = &err else {
        panic!("not a decode error: {err:?}")
    };
    assert_eq!(decode.body, "{\"data\": [");
    assert!(
        err.to_string().contains("GET /beta/tags answered 200"),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_body_on_200_is_a_decode_error_saying_so() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let err = client(&server, RetryPolicy::none())
        .tags()
        .get_tag(uuid::Uuid::from_u128(1))
        .await
        .expect_err("empty");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(err.to_string().contains("the body is empty"), "{err}");
}

#[tokio::test]
async fn an_html_error_page_is_an_api_error_keeping_the_page() {
    let server = MockServer::start().await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .mount(&server)
        .await;
    let err = client(&server, RetryPolicy::none())
        .tags()
        .get_tag(uuid::Uuid::from_u128(1))
        .await
        .expect_err("502");
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.message(), None);
    assert_eq!(err.body(), Some(page));
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

#[tokio::test]
async fn the_client_side_limiter_spaces_requests() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    let client = dixa::Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .rate_limit(dixa::RateLimit {
            per_second: 20.0,
            burst: 2,
        })
        .build()
        .expect("valid");
    let start = Instant::now();
    for _ in 0..6 {
        client.tags().list_tags().await.expect("ok");
    }
    // Two go at once, the other four at 20/s: at least 200 ms.
    assert!(
        start.elapsed() >= Duration::from_millis(190),
        "{:?}",
        start.elapsed()
    );
}

/// A client whose attempts time out after 200 ms and that retries timeouts five times, 50 ms apart.
fn slow_client(server: &MockServer) -> dixa::ClientBuilder {
    dixa::Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(5)
                .with_backoff(Duration::from_millis(50), Duration::from_millis(50)),
        )
}

#[tokio::test]
async fn a_deadline_cuts_retries_of_a_slow_server_short() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = slow_client(&server).build().expect("valid configuration");
    // Without a deadline, five attempts of 200 ms and four pauses take over a second; the
    // deadline ends the call after 600 ms, in the third attempt.
    let started = Instant::now();
    let err = client
        .tags()
        .list_tags()
        .deadline(Duration::from_millis(600))
        .await
        .expect_err("the deadline passes");
    let took = started.elapsed();
    assert!(err.is_deadline() && err.is_timeout(), "{err:?}");
    assert_eq!(err.kind(), dixa::ErrorKind::Deadline);
    let Error::Deadline(deadline) = &err else {
        panic!("not a deadline error: {err:?}");
    };
    assert_eq!(deadline.deadline, Duration::from_millis(600));
    assert_eq!(deadline.attempts, 3, "{err}");
    let last = deadline.last_error.as_deref().expect("two attempts ended");
    assert!(last.is_timeout() && !last.is_deadline(), "{last:?}");
    assert!(took >= Duration::from_millis(600), "{took:?}");
    assert!(took < Duration::from_millis(1_000), "{took:?}");
    assert_eq!(requests(&server).await, 3);
    assert!(err.to_string().contains("GET /beta/tags"), "{err}");
    assert!(err.to_string().contains("3 attempts"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn the_client_deadline_starts_no_retry_that_would_end_past_it() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "2"))
        .mount(&server)
        .await;
    let client = slow_client(&server)
        .deadline(Duration::from_secs(1))
        .build()
        .expect("valid configuration");
    // Dixa asks for a 2 s pause, which would end past the 1 s deadline: the call ends at once with
    // the 503 it got, without waiting.
    let started = Instant::now();
    let err = client.tags().list_tags().await.expect_err("503");
    assert!(started.elapsed() < Duration::from_millis(500));
    let Error::Deadline(deadline) = &err else {
        panic!("not a deadline error: {err:?}");
    };
    assert_eq!(deadline.attempts, 1);
    assert_eq!(
        deadline.last_error.as_ref().and_then(|e| e.status()),
        Some(503)
    );
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn a_call_deadline_replaces_the_clients_and_a_fast_call_is_unaffected() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": []}))
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    // The client's 100 ms deadline would end the call; the call's own 2 s deadline lets it finish.
    let client = dixa::Client::builder()
        .api_key("test-key")
        .base_url(server.uri())
        .deadline(Duration::from_millis(100))
        .build()
        .expect("valid configuration");
    let err = client.tags().list_tags().await.expect_err("100 ms");
    let Error::Deadline(deadline) = &err else {
        panic!("not a deadline error: {err:?}");
    };
    assert_eq!(
        (deadline.attempts, deadline.last_error.is_none()),
        (1, true)
    );
    let tags = client
        .tags()
        .list_tags()
        .deadline(Duration::from_secs(2))
        .await
        .expect("within the deadline");
    assert!(tags.is_empty());
    // A zero deadline is refused when the client is built.
    let zero = dixa::Client::builder()
        .api_key("k")
        .deadline(Duration::ZERO)
        .build()
        .expect_err("zero");
    assert_eq!(zero.kind(), dixa::ErrorKind::Config);
}
