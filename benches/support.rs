//! What the benchmarks share: a large list response built from the spec's examples, and a minimal
//! local HTTP server that answers every request with one fixed response.

use serde_json::Value;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// `{"data": [...]}` with `count` conversations, cycling through every conversation the spec's
/// examples contain (so every variant of the `Conversation` union the examples show is decoded).
pub fn conversations(count: usize) -> Vec<u8> {
    let spec = dixa_tests::spec_tree();
    let mut samples = Vec::new();
    for example in dixa_tests::examples::collect(&spec) {
        let is_conversation_list = matches!(
            &example.shape,
            dixa_tests::examples::Shape::Named(k) if k == "ListEndUserConversationsOutput" || k == "ListLinkedConversationsOutput" || k == "GetConversationOutput"
        );
        if !is_conversation_list {
            continue;
        }
        match &example.value["data"] {
            Value::Array(items) => samples.extend(items.iter().cloned()),
            Value::Object(_) => samples.push(example.value["data"].clone()),
            _ => {}
        }
    }
    assert!(!samples.is_empty(), "the spec has conversation examples");
    let data: Vec<Value> = samples.iter().cycle().take(count).cloned().collect();
    serde_json::to_vec(&serde_json::json!({ "data": data })).expect("serializable")
}

/// Serves `body` as a 200 JSON response to every request on a keep-alive connection, on a free
/// loopback port, until the runtime stops.
pub async fn serve(body: Vec<u8>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("bound");
    let response: Vec<u8> = [
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes(),
        body,
    ]
    .concat();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut pending = Vec::new();
                loop {
                    let Ok(n) = socket.read(&mut buffer).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    pending.extend_from_slice(&buffer[..n]);
                    // Requests in these benchmarks have no body, so a request ends at its blank line.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    addr
}
