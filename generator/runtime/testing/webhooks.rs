//! Webhook events and the signed deliveries Dixa would POST, for tests of a webhook handler.
//!
//! [`event`] wraps a typed payload (`dixa::webhooks::EventPayload`, with the `webhook-events`
//! feature) in Dixa's envelope, [`event_from_json`] takes a delivery's JSON as Dixa sends it (a
//! recorded sample, say), and [`delivery`] signs any body with a subscription's secret, giving the
//! headers and body of the POST. The SDK's own [`Webhook`](crate::webhooks::Webhook) accepts the
//! delivery, so a handler test runs the handler's verification as production does.
//!
//! ```
//! use dixa::testing::webhooks;
//! use dixa::webhooks::{EventPayload, EventRatedData, Webhook};
//!
//! let secret = "2b7e151628aed2a6abf7158809cf4f3c";
//! let rating = EventRatedData::new().with_score(1).with_comment("Nobody answered");
//! let delivery = webhooks::event(EventPayload::ConversationRated(rating)).sign(secret)?;
//!
//! // What the handler receives: the headers and the raw body.
//! let event = Webhook::new(secret).construct_event(delivery.headers(), delivery.body())?;
//! assert!(matches!(&event.payload, EventPayload::ConversationRated(r) if r.score == Some(1)));
//! # Ok::<(), dixa::webhooks::WebhookError>(())
//! ```

use crate::runtime::webhooks::{decode_body, sign, SignatureSource, WebhookError};
use crate::runtime::webhooks::{SIGNATURE_HEADER, SUBSCRIPTION_ID_HEADER};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::marker::PhantomData;
use std::time::{SystemTime, UNIX_EPOCH};

/// The subscription id a [`delivery`] names unless told another.
pub const DEFAULT_SUBSCRIPTION_ID: &str = "5f1ac0c2-8a47-4d4e-9b3e-3a6d1c2f7e01";

/// The organization an [`event`] names unless told another: its id.
pub const DEFAULT_ORGANIZATION_ID: &str = "0b6a42a4-1c9e-4f7f-8d8a-6a8f3f2f9c10";

/// The organization an [`event`] names unless told another: its name.
pub const DEFAULT_ORGANIZATION_NAME: &str = "Test organization";

pub(crate) mod sealed {
    /// Keeps [`TypedEvent`](super::TypedEvent) and [`TypedPayload`](super::TypedPayload) to the
    /// SDK's own event types.
    pub trait Sealed {}
}

/// A typed webhook event, decoded from a delivery's body: `dixa::webhooks::Event` (with the
/// `webhook-events` feature). Only the SDK implements it.
pub trait TypedEvent: Serialize + DeserializeOwned + sealed::Sealed {}

/// The event of a typed webhook event, by its `event_fqn`, with its `data`:
/// `dixa::webhooks::EventPayload`, whose envelope is [`TypedPayload::Event`]. Only the SDK
/// implements it.
pub trait TypedPayload: Serialize + sealed::Sealed {
    /// The envelope the payload is delivered in.
    type Event: TypedEvent;
}

/// An event with this payload in Dixa's envelope: a fresh `event_id` (a random UUID), `event_version`
/// `"1"`, `event_timestamp` now (RFC 3339 with milliseconds, as Dixa writes it) and the
/// [default organization](DEFAULT_ORGANIZATION_ID); the builder's methods change them.
///
/// ```
/// use dixa::testing::webhooks;
/// use dixa::webhooks::{EventConversation, EventConversationData, EventPayload};
///
/// let created = EventConversationData::new().with_conversation(EventConversation::new().with_csid(42));
/// let event = webhooks::event(EventPayload::ConversationCreated(created))
///     .event_id("evt-1")
///     .timestamp("2025-01-14T22:01:05.429Z")
///     .build()?;
/// assert_eq!(event.event_id, "evt-1");
/// assert_eq!(event.event_fqn(), "CONVERSATION_CREATED");
/// assert_eq!(event.event_timestamp.to_string(), "2025-01-14T22:01:05.429Z");
/// # Ok::<(), dixa::webhooks::WebhookError>(())
/// ```
pub fn event<P: TypedPayload>(payload: P) -> EventBuilder<P::Event> {
    let payload = match serde_json::to_value(&payload) {
        Ok(serde_json::Value::Object(fields)) => Ok(fields),
        Ok(other) => Err(WebhookError::InvalidBody(format!(
            "the payload is not a JSON object: {other}"
        ))),
        Err(e) => Err(WebhookError::InvalidBody(e.to_string())),
    };
    // `event_fqn` and `data` come from the payload, the envelope's other members from here.
    EventBuilder {
        envelope: payload,
        event: PhantomData,
    }
    .event_id(random_uuid())
    .timestamp(&now_rfc3339())
    .version("1")
    .organization(DEFAULT_ORGANIZATION_ID, DEFAULT_ORGANIZATION_NAME)
}

/// An event from a delivery's JSON as Dixa sends it (a sample recorded from Dixa, a body from its
/// documentation), to be decoded or signed as it is or with envelope members changed. Members the
/// builder is not told to change are kept as they are, unknown ones included.
///
/// # Errors
///
/// [`WebhookError::InvalidBody`] when `json` is not a JSON object.
///
/// ```
/// use dixa::testing::webhooks;
/// use dixa::webhooks::{Event, EventPayload};
///
/// let sample = r#"{"event_id":"abc","event_fqn":"CONVERSATION_TAG_ADDED","event_version":"1",
///   "event_timestamp":"2021-06-01T10:00:00.000Z","data":{"tag":"vip","conversation":{"csid":7}}}"#;
/// let event: Event = webhooks::event_from_json(sample)?.build()?;
/// assert!(matches!(&event.payload, EventPayload::ConversationTagAdded(t) if t.tag.as_deref() == Some("vip")));
/// assert_eq!(event.organization, None);
/// # Ok::<(), dixa::webhooks::WebhookError>(())
/// ```
pub fn event_from_json<E: TypedEvent>(
    json: impl AsRef<[u8]>,
) -> Result<EventBuilder<E>, WebhookError> {
    let envelope: serde_json::Map<String, serde_json::Value> = decode_body(json.as_ref())?;
    Ok(EventBuilder {
        envelope: Ok(envelope),
        event: PhantomData,
    })
}

/// An event being built; see [`event`] and [`event_from_json`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` or `sign`"]
pub struct EventBuilder<E> {
    /// The envelope as JSON, or why the payload could not be written as JSON.
    envelope: Result<serde_json::Map<String, serde_json::Value>, WebhookError>,
    event: PhantomData<fn() -> E>,
}

impl<E: TypedEvent> EventBuilder<E> {
    fn set(mut self, name: &str, value: serde_json::Value) -> Self {
        if let Ok(envelope) = &mut self.envelope {
            envelope.insert(name.to_owned(), value);
        }
        self
    }

    /// The `event_id`, which a redelivery of the same event repeats.
    pub fn event_id(self, id: impl Into<String>) -> Self {
        self.set("event_id", serde_json::Value::String(id.into()))
    }

    /// The `event_timestamp`, as the text Dixa sends (`2025-01-14T22:01:05.429Z`); text that is
    /// no date-time makes [`build`](Self::build) fail as the decoder does.
    pub fn timestamp(self, rfc3339: &str) -> Self {
        self.set("event_timestamp", serde_json::Value::from(rfc3339))
    }

    /// The `event_version`.
    pub fn version(self, version: &str) -> Self {
        self.set("event_version", serde_json::Value::from(version))
    }

    /// The `organization` the event belongs to.
    pub fn organization(self, id: &str, name: &str) -> Self {
        self.set(
            "organization",
            serde_json::json!({ "id": id, "name": name }),
        )
    }

    /// No `organization`, as in some deliveries Dixa documents.
    pub fn without_organization(mut self) -> Self {
        if let Ok(envelope) = &mut self.envelope {
            envelope.remove("organization");
        }
        self
    }

    /// The body of the delivery: the envelope as JSON bytes.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidBody`] when the payload could not be written as JSON.
    pub fn to_json(&self) -> Result<Vec<u8>, WebhookError> {
        let envelope = self.envelope.as_ref().map_err(Clone::clone)?;
        serde_json::to_vec(envelope).map_err(|e| WebhookError::InvalidBody(e.to_string()))
    }

    /// The event, decoded from its JSON by the SDK's decoder, as a handler gets it from
    /// [`Webhook::construct_event`](crate::webhooks::Webhook).
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidBody`], naming the JSON path, when the envelope does not decode
    /// (a timestamp that is no date-time, a payload whose `data` does not fit its `event_fqn`).
    pub fn build(&self) -> Result<E, WebhookError> {
        decode_body(&self.to_json()?)
    }

    /// The delivery of the event, to be signed: its body is [`to_json`](Self::to_json)'s, every
    /// member kept (also those the SDK does not decode), once [`build`](Self::build) has shown
    /// that the SDK decodes it.
    ///
    /// # Errors
    ///
    /// Those of [`build`](Self::build).
    pub fn delivery(&self) -> Result<DeliveryBuilder, WebhookError> {
        self.build()?;
        Ok(delivery(self.to_json()?))
    }

    /// The delivery of the event signed now with `secret_hex`; see [`DeliveryBuilder::sign`].
    ///
    /// # Errors
    ///
    /// Those of [`build`](Self::build), and [`WebhookError::InvalidSecret`].
    pub fn sign(&self, secret_hex: &str) -> Result<SignedDelivery, WebhookError> {
        self.delivery()?.sign(secret_hex)
    }
}

/// A delivery of `raw_body` (any bytes: a recorded delivery, a body a test tampers with), signed
/// now unless [`signed_at_ms`](DeliveryBuilder::signed_at_ms) says when.
///
/// ```
/// use dixa::testing::webhooks;
/// use dixa::webhooks::{Webhook, WebhookError};
///
/// let secret = "2b7e151628aed2a6abf7158809cf4f3c";
/// let delivery = webhooks::delivery(r#"{"event_fqn":"CONVERSATION_OPEN"}"#).sign(secret)?;
/// assert_eq!(delivery.header("content-type"), Some("application/json"));
/// assert!(delivery.signature().starts_with("t="));
/// assert!(Webhook::new(secret).verify(delivery.headers(), delivery.body()).is_ok());
///
/// // Another secret, or a body changed after signing, is refused.
/// let other = Webhook::new("00112233445566778899aabbccddeeff");
/// assert_eq!(other.verify(delivery.headers(), delivery.body()), Err(WebhookError::BadSignature));
/// # Ok::<(), WebhookError>(())
/// ```
pub fn delivery(raw_body: impl Into<Vec<u8>>) -> DeliveryBuilder {
    DeliveryBuilder {
        body: raw_body.into(),
        signed_at_ms: None,
        subscription_id: DEFAULT_SUBSCRIPTION_ID.to_owned(),
        headers: Vec::new(),
    }
}

/// A delivery being built; see [`delivery`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `sign`"]
pub struct DeliveryBuilder {
    body: Vec<u8>,
    signed_at_ms: Option<u64>,
    subscription_id: String,
    headers: Vec<(String, String)>,
}

impl DeliveryBuilder {
    /// When Dixa signed the delivery, in milliseconds since the Unix epoch (the header's `t`);
    /// an old one tests the handler's refusal of stale deliveries.
    pub fn signed_at_ms(mut self, timestamp_ms: u64) -> Self {
        self.signed_at_ms = Some(timestamp_ms);
        self
    }

    /// When Dixa signed the delivery.
    pub fn signed_at(self, at: SystemTime) -> Self {
        self.signed_at_ms(millis_since_epoch(at))
    }

    /// The `X-DIXA-SUBSCRIPTION-ID` header (else [`DEFAULT_SUBSCRIPTION_ID`]).
    pub fn subscription_id(mut self, id: impl Into<String>) -> Self {
        self.subscription_id = id.into();
        self
    }

    /// Adds a header, such as the `Authorization` a subscription may be set to send.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Signs the body with the subscription's secret (hex, as Dixa shows it), as Dixa does.
    ///
    /// # Errors
    ///
    /// [`WebhookError::InvalidSecret`] when the secret is empty or not hex.
    pub fn sign(self, secret_hex: &str) -> Result<SignedDelivery, WebhookError> {
        let timestamp_ms = self
            .signed_at_ms
            .unwrap_or_else(|| millis_since_epoch(SystemTime::now()));
        let signature = sign(secret_hex, timestamp_ms, &self.body)?;
        // The headers of a delivery as Dixa documents them, then those seen on a real one
        // (`user-agent`, `accept-encoding`), then the test's own.
        let mut headers = vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            (SIGNATURE_HEADER.to_owned(), signature),
            (SUBSCRIPTION_ID_HEADER.to_owned(), self.subscription_id),
            ("User-Agent".to_owned(), "AHC/2.1".to_owned()),
            ("Accept-Encoding".to_owned(), "gzip".to_owned()),
        ];
        headers.extend(self.headers);
        Ok(SignedDelivery {
            headers,
            body: self.body,
        })
    }
}

/// The POST Dixa makes to a webhook's URL: headers and raw body. Its headers are a
/// [`SignatureSource`], so [`Webhook`](crate::webhooks::Webhook) takes them as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDelivery {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl SignedDelivery {
    /// Every header, as (name, value), in the order sent.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The first value of a header, its name compared without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The `X-DIXA-SIGNATURE` header's value, `t=<unix ms>,v1=<hex>`.
    pub fn signature(&self) -> &str {
        self.header(SIGNATURE_HEADER).unwrap_or_default()
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The headers and the body, to build a request of your web framework with.
    pub fn into_parts(self) -> (Vec<(String, String)>, Vec<u8>) {
        (self.headers, self.body)
    }
}

impl SignatureSource for SignedDelivery {
    fn signature(&self) -> Result<&str, WebhookError> {
        self.headers.signature()
    }
}

fn millis_since_epoch(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Now, as Dixa writes `event_timestamp`: RFC 3339 in UTC with milliseconds.
fn now_rfc3339() -> String {
    chrono::DateTime::<chrono::Utc>::from(SystemTime::now())
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// A random version 4 UUID, as Dixa's event ids are.
fn random_uuid() -> String {
    let mut bytes = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_version_4_uuids() {
        let id = random_uuid();
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(parsed.get_variant(), uuid::Variant::RFC4122);
        assert_ne!(id, random_uuid());
    }

    #[test]
    fn deliveries_carry_dixa_s_headers_and_verify() {
        let secret = "2b7e151628aed2a6abf7158809cf4f3c";
        let signed = delivery(&b"{}"[..]).signed_at_ms(5).sign(secret).unwrap();
        let names: Vec<&str> = signed.headers().iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Content-Type",
                SIGNATURE_HEADER,
                SUBSCRIPTION_ID_HEADER,
                "User-Agent",
                "Accept-Encoding"
            ]
        );
        assert_eq!(signed.signature(), sign(secret, 5, b"{}").unwrap());
        let at = UNIX_EPOCH + std::time::Duration::from_millis(5);
        let tolerance = std::time::Duration::ZERO;
        assert!(crate::runtime::webhooks::verify_at(
            secret,
            signed.signature(),
            signed.body(),
            tolerance,
            at
        )
        .is_ok());
        assert_eq!(
            delivery(&b"{}"[..]).sign("").unwrap_err(),
            WebhookError::InvalidSecret
        );
    }

    #[test]
    fn now_is_written_as_dixa_writes_event_timestamps() {
        let now = now_rfc3339();
        assert_eq!(now.len(), "2025-01-14T22:01:05.429Z".len(), "{now}");
        assert!(crate::runtime::datetime::DateTime::parse(&now).is_ok());
    }
}
