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
