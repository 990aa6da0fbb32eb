//! Verifies a webhook delivery's `X-DIXA-SIGNATURE` header and decodes it into a typed event.
//!
//! `cargo run -p dixa-examples --example verify_webhook -- <secret-hex> '<header>' <body-file>`;
//! without arguments it signs and verifies a sample delivery, to show both sides.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (secret, header, body) = match args.as_slice() {
        [secret, header, path] => (secret.clone(), header.clone(), std::fs::read(path)?),
        _ => {
            let secret = "2b7e151628aed2a6abf7158809cf4f3c".to_owned();
            let body = br#"{"event_id":"0b8f4c1e-6d52-4b56-9a3c-2c3b5c1d7e10","event_fqn":"CONVERSATION_MESSAGE_ADDED","event_version":"1","event_timestamp":"2024-03-11T16:39:30Z","organization":{"id":"org-1","name":"Example"},"data":{"conversation":{"csid":42}}}"#.to_vec();
            let now_ms = u64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis())?;
            let header = dixa::webhooks::sign(&secret, now_ms, &body)?;
            (secret, header, body)
        }
    };
    let verified = dixa::webhooks::verify(&secret, &header, &body, Duration::from_secs(300))?;
    let event = dixa::webhooks::parse_event(&body)?;
    println!(
        "verified {} ({}) signed at {:?}",
        event.event_fqn(),
        event.event_id,
        verified.timestamp
    );
    Ok(())
}
