//! Each request is one `dixa_request` span with the operation, method, path template, attempt and
//! status, and the API key never appears in what is logged.

use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::MakeWriter;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

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

#[tokio::test]
async fn requests_are_traced_without_the_key() {
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
        .api_key("super-secret-key-42")
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
    assert!(log.contains("operation=\"deleteTagsTagid\""), "{log}");
    assert!(log.contains("method=DELETE"), "{log}");
    assert!(log.contains("path=\"/beta/tags/{tagId}\""), "{log}");
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("status=204"), "{log}");
    assert!(log.contains("retrying"), "{log}");
    assert!(!log.contains("super-secret-key-42"), "{log}");
}
