//! The SDK on the wire, against an in-process mock server: what it sends (method, path, headers,
//! bodies) and what it makes of what it receives (bodies, empty responses, errors).

use dixa::models::CreateInternalNoteInput;
use dixa_tests::examples::{self, Role};
use dixa_tests::{calls, spec_tree, wire};
use serde_json::{json, Value};
use wiremock::matchers::{any, body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> dixa::Client {
    dixa::Client::builder()
        .api_key("test-key-123")
        .base_url(server.uri())
        .build()
        .expect("valid configuration")
}

fn body_of(request: &Request) -> Value {
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}

/// Every request-body example of the spec, sent through its SDK method, arrives as the example.
#[tokio::test]
async fn every_request_example_is_sent_as_written() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let examples: Vec<_> = examples::collect(&spec_tree())
        .into_iter()
        .filter(|e| e.role == Role::Request)
        .collect();
    let mut failures = Vec::new();
    for example in &examples {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let result = calls::call(&client, &example.operation_id, Some(&example.value)).await;
        assert!(result.is_some(), "no SDK call for {}", example.operation_id);
        let received = server.received_requests().await.unwrap_or_default();
        let [request] = received.as_slice() else {
            failures.push(format!(
                "{}: {} requests sent",
                example.location,
                received.len()
            ));
            continue;
        };
        let differences = wire::differences(&example.value, &body_of(request));
        if !differences.is_empty() {
            failures.push(format!("{}: {}", example.location, differences.join("; ")));
        }
    }
    println!(
        "requests: {}/{} request-body examples sent as written",
        examples.len() - failures.len(),
        examples.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every operation is reachable: it sends its method to its path, with the API key raw in
/// `Authorization`.
#[tokio::test]
async fn every_operation_sends_its_method_path_and_key() {
    let server = MockServer::start().await;
    let client = client(&server);
    for (id, http_method, template) in calls::OPERATIONS {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let _ = calls::call(&client, id, None).await;
        let received = server.received_requests().await.unwrap_or_default();
        let [request] = received.as_slice() else {
            panic!("{id}: {} requests sent", received.len());
        };
        assert_eq!(request.method.as_str(), *http_method, "{id}");
        let expected_path = template
            .split('/')
            .map(|segment| {
                if segment.starts_with('{') {
                    "*"
                } else {
                    segment
                }
            })
            .collect::<Vec<_>>();
        let actual_path: Vec<&str> = request.url.path().split('/').collect();
        assert_eq!(
            actual_path.len(),
            expected_path.len(),
            "{id}: {}",
            request.url
        );
        for (actual, expected) in actual_path.iter().zip(&expected_path) {
            assert!(
                *expected == "*" || actual == expected,
                "{id}: {}",
                request.url
            );
        }
        let auth = request.headers.get("authorization").map(|v| v.as_bytes());
        assert_eq!(
            auth,
            Some(&b"test-key-123"[..]),
            "{id}: the key is sent raw"
        );
    }
    assert_eq!(calls::OPERATIONS.len(), 123);
}

#[tokio::test]
async fn add_internal_note_unwraps_the_data_envelope() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/conversations/42/notes"))
        .and(header("authorization", "test-key-123"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"message": "hello"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {
            "id": "b0323b42-c428-4afa-970e-20bf5bdeeec4",
            "authorId": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b",
            "createdAt": "2021-12-01T12:46:36.581Z[GMT]",
            "csid": 42,
            "message": "hello"
        }})))
        .expect(1)
        .mount(&server)
        .await;
    let note = client(&server)
        .conversations()
        .add_internal_note(42, &CreateInternalNoteInput::new("hello"))
        .await
        .expect("the note decodes");
    assert_eq!(i64::from(note.csid), 42);
    assert_eq!(note.created_at.to_string(), "2021-12-01T12:46:36.581Z[GMT]");
}

#[tokio::test]
async fn no_content_responses_return_unit() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/beta/conversations/7/claim"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let body = serde_json::from_value(json!({"agentId": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b"}))
        .expect("valid body");
    client(&server)
        .conversations()
        .claim_conversation(7, &body)
        .await
        .expect("204 is success");
}

#[tokio::test]
async fn error_responses_keep_status_message_and_body() {
    let server = MockServer::start().await;
    let raw = r#"{"message":"The requested resource could not be found"}"#;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_raw(raw, "application/json"))
        .mount(&server)
        .await;
    let err = client(&server)
        .agents()
        .get_agent(uuid::Uuid::from_u128(5))
        .await
        .expect_err("404 is an error");
    let dixa::Error::Api(api) = &err else {
        panic!("not an API error: {err:?}")
    };
    assert_eq!(api.status, 404);
    assert_eq!(
        api.message.as_deref(),
        Some("The requested resource could not be found")
    );
    assert_eq!(api.body, raw);
    assert!(
        err.to_string()
            .contains("GET /beta/agents/00000000-0000-0000-0000-000000000005 answered 404"),
        "{err}"
    );
}

#[tokio::test]
async fn decode_errors_name_the_json_path_and_keep_the_body() {
    let server = MockServer::start().await;
    let raw = json!({"data": {"id": "not-a-uuid"}});
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(&raw))
        .mount(&server)
        .await;
    let err = client(&server)
        .tags()
        .get_tag(uuid::Uuid::from_u128(1))
        .await
        .expect_err("the body does not match Tag");
    let dixa::Error::Decode(decode) = &err else {
        panic!("not a decode error: {err:?}")
    };
    assert_eq!(decode.status, 200);
    assert!(decode.path.starts_with("data"), "{}", decode.path);
    assert_eq!(serde_json::from_str::<Value>(&decode.body).ok(), Some(raw));
}

#[tokio::test]
async fn multipart_upload_sends_each_file_as_a_part() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/beta/knowledge/articles/attachments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .expect(1)
        .mount(&server)
        .await;
    let body = dixa::models::UploadAttachmentsInput::new().with_files([
        dixa::Binary::new(b"first file".to_vec())
            .with_file_name("a.txt")
            .with_content_type("text/plain"),
        dixa::Binary::new(vec![0x89, b'P', b'N', b'G']).with_file_name("b.png"),
    ]);
    client(&server)
        .knowledge()
        .upload_article_attachments(&body)
        .await
        .expect("upload succeeds");
    let received = server.received_requests().await.unwrap_or_default();
    let request = &received[0];
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let text = String::from_utf8_lossy(&request.body);
    assert_eq!(text.matches("name=\"files\"").count(), 2, "{text}");
    assert!(text.contains("filename=\"a.txt\""), "{text}");
    assert!(text.contains("Content-Type: text/plain"), "{text}");
    assert!(text.contains("first file"), "{text}");
    assert!(text.contains("filename=\"b.png\""), "{text}");
}

/// A user layer (`ClientBuilder::layer`) sees every attempt: a call retried after a 503 passes it
/// twice, with the API key and the SDK's headers already set, and a header it adds reaches the server.
#[tokio::test]
async fn a_layer_sees_every_attempt_and_can_change_the_request() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(header("x-layer", "seen"))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(2)
        .mount(&server)
        .await;
    let attempts = Arc::new(AtomicU32::new(0));
    let keys = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (counter, seen_keys) = (attempts.clone(), keys.clone());
    let client = dixa::Client::builder()
        .api_key("test-key-123")
        .base_url(server.uri())
        .retry(dixa::RetryPolicy::default().with_backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        ))
        .layer(tower::layer::layer_fn(move |inner: dixa::HttpService| {
            let (counter, seen_keys) = (counter.clone(), seen_keys.clone());
            tower::util::MapRequest::new(inner, move |mut request: dixa::HttpRequest| {
                counter.fetch_add(1, Ordering::SeqCst);
                seen_keys.lock().expect("not poisoned").push((
                    request.operation(),
                    request.method().to_owned(),
                    request.headers().get("authorization").map(str::to_owned),
                ));
                request
                    .headers_mut()
                    .insert("x-layer", "seen")
                    .expect("a valid header");
                // The key is in the headers, and `Debug` does not show it.
                assert!(!format!("{request:?}").contains("test-key-123"));
                request
            })
        }))
        .build()
        .expect("valid");
    let (_, meta) = client
        .tags()
        .delete_tag(uuid::Uuid::from_u128(7))
        .send_with_meta()
        .await
        .expect("succeeds on the second attempt");
    assert_eq!(meta.attempts, 2);
    assert_eq!(attempts.load(Ordering::SeqCst), 2, "one pass per attempt");
    let expected = (
        "deleteTagsTagid",
        "DELETE".to_owned(),
        Some("test-key-123".to_owned()),
    );
    assert_eq!(
        *keys.lock().expect("not poisoned"),
        vec![expected.clone(), expected]
    );
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2
    );
}

/// A layer can answer without the network: a cache of GET responses by URL serves the second
/// identical call, which never reaches the server, and the SDK decodes its answer as Dixa's.
#[tokio::test]
async fn a_layer_can_answer_from_a_cache() {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/beta/tags"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"id": "b0323b42-c428-4afa-970e-20bf5bdeeec4", "name": "vip", "state": "Active"}
        ]})))
        .mount(&server)
        .await;
    let cache: Arc<Mutex<BTreeMap<String, dixa::HttpResponse>>> = Arc::default();
    let layer_cache = cache.clone();
    let client = dixa::Client::builder()
        .api_key("test-key-123")
        .base_url(server.uri())
        .layer(tower::layer::layer_fn(move |inner: dixa::HttpService| {
            let cache = layer_cache.clone();
            tower::service_fn(move |request: dixa::HttpRequest| {
                let (inner, cache) = (inner.clone(), cache.clone());
                async move {
                    let key = (request.method() == "GET").then(|| request.url().to_owned());
                    if let Some(hit) = key
                        .as_ref()
                        .and_then(|k| cache.lock().expect("not poisoned").get(k).cloned())
                    {
                        return Ok(hit);
                    }
                    let response = inner.oneshot(request).await?;
                    if let (Some(key), 200) = (key, response.status()) {
                        cache
                            .lock()
                            .expect("not poisoned")
                            .insert(key, response.clone());
                    }
                    Ok(response)
                }
            })
        }))
        .build()
        .expect("valid");
    let first = client.tags().list_tags().await.expect("from the server");
    let second = client.tags().list_tags().await.expect("from the cache");
    assert_eq!(first, second);
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].name, "vip");
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        1,
        "the second call never reached the server"
    );
    // A different URL is not in the cache.
    let filtered = client
        .tags()
        .list_tags()
        .include_deactivated(true)
        .await
        .expect("from the server");
    assert_eq!(filtered, first);
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        2
    );
    assert_eq!(cache.lock().expect("not poisoned").len(), 2);
}

/// What a layer answers goes through the SDK's status handling: a made-up 404 is `Error::Api`, and
/// layers run in the order they were added, the first outermost.
#[tokio::test]
async fn a_layer_answer_is_read_as_dixas_and_layers_nest_in_order() {
    use std::sync::{Arc, Mutex};
    let order: Arc<Mutex<Vec<&'static str>>> = Arc::default();
    let record = |name: &'static str| {
        let order = order.clone();
        tower::layer::layer_fn(move |inner: dixa::HttpService| {
            let order = order.clone();
            tower::util::MapRequest::new(inner, move |request: dixa::HttpRequest| {
                order.lock().expect("not poisoned").push(name);
                request
            })
        })
    };
    let client = dixa::Client::builder()
        .api_key("test-key-123")
        // Nothing listens here: every answer comes from the innermost layer below.
        .base_url("http://127.0.0.1:9")
        .layer(record("outer"))
        .layer(record("inner"))
        .layer(tower::layer::layer_fn(|_: dixa::HttpService| {
            tower::service_fn(|_: dixa::HttpRequest| async {
                let mut response = dixa::HttpResponse::new(404, r#"{"message": "cached miss"}"#);
                response.headers_mut().insert("x-cache", "hit")?;
                Ok::<_, dixa::Error>(response)
            })
        }))
        .build()
        .expect("valid");
    let error = client
        .tags()
        .get_tag(uuid::Uuid::from_u128(7))
        .await
        .expect_err("the layer answers 404");
    assert!(error.is_not_found(), "{error}");
    assert_eq!(error.message(), Some("cached miss"));
    assert_eq!(error.headers().and_then(|h| h.get("x-cache")), Some("hit"));
    assert_eq!(*order.lock().expect("not poisoned"), ["outer", "inner"]);
}
