//! A webhook receiver: an axum server that verifies each delivery, decodes it into a typed
//! event, `match`es on it, and replies at once.
//!
//! `DIXA_WEBHOOK_SECRET=<secret-hex> cargo run -p dixa-examples --example webhook_receiver -- [ADDR]`
//!
//! It listens on `ADDR` (default `127.0.0.1:3000`; port 0 picks a free one) at `POST /webhooks/dixa`
//! and prints `listening on http://<addr>` once ready. Point a Dixa webhook subscription at it
//! (through a tunnel for a local machine). CI runs it against a request signed outside the SDK.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use dixa::webhooks::{EventPayload, Webhook};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("DIXA_WEBHOOK_SECRET")
        .map_err(|_| "set DIXA_WEBHOOK_SECRET to the subscription's secret")?;
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    let app = Router::new()
        .route("/webhooks/dixa", post(receive))
        .with_state(Arc::new(Webhook::new(secret)));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}

/// Verifies, decodes and dispatches one delivery. Dixa retries deliveries that fail or are slow,
/// so the reply comes before any real work, which runs on its own task.
async fn receive(
    State(webhook): State<Arc<Webhook>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let event = match webhook.construct_event(&headers, &body) {
        Ok(event) => event,
        // A genuine delivery this SDK cannot decode is not worth a retry; anything else is not
        // from Dixa (or too old) and is refused.
        Err(e) if e.step() == "body" => {
            eprintln!("undecodable delivery: {e}");
            return (StatusCode::OK, "ignored\n".to_owned());
        }
        Err(e) => {
            eprintln!("rejected: {e}");
            return (StatusCode::UNAUTHORIZED, format!("{}\n", e.step()));
        }
    };
    let reply = format!("{} {}\n", event.event_fqn(), event.event_id);
    tokio::spawn(async move {
        match &event.payload {
            EventPayload::ConversationMessageAdded(data) => {
                let csid = data.conversation.as_ref().and_then(|c| c.csid);
                println!("message in conversation {csid:?}: {:?}", data.text);
            }
            EventPayload::ConversationRated(data) => {
                // Dixa's own sample has the score in `data`; another in the conversation.
                let score = data
                    .score
                    .or_else(|| data.conversation.as_ref().and_then(|c| c.score));
                println!("rating {score:?}: {:?}", data.comment);
            }
            EventPayload::ConversationTagAdded(data) => println!("tag added: {:?}", data.tag),
            EventPayload::Unknown(unknown) => println!("new kind of event {}", unknown.event_fqn),
            other => println!("{} ({:?})", other.event_fqn(), other.event_type()),
        }
    });
    (StatusCode::OK, reply)
}
