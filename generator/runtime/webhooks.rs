//! Verifying and decoding the webhooks that Dixa sends to your server.
//!
//! Dixa signs every delivery with an `X-DIXA-SIGNATURE` header of the form
//! `t=<unix time in milliseconds>,v1=<hex>`, where `v1` is the lowercase hex HMAC-SHA256 of
//! `"<t>.<raw body>"` (the timestamp text exactly as sent, a dot, then the request body's bytes),
//! keyed with the subscription's secret after hex-decoding it. The secret is the hex string shown
//! on the webhook's page in Dixa.
//!
//! This file is the hand-written half of `dixa::webhooks`: verification, the one-call
//! [`Webhook`], and the impls of the typed events, which the generator writes from
//! `spec/webhooks.yaml` and documents (with an example of the whole flow) in the generated module.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The name of the header that carries the signature, `t=<unix ms>,v1=<hex>`.
///
/// HTTP header names are case-insensitive, so look it up the way your framework does that.
pub const SIGNATURE_HEADER: &str = "X-DIXA-SIGNATURE";

/// The name of the header that carries the id of the webhook subscription that sent the
/// delivery.
///
/// It is not covered by the signature. It is useful to pick the right secret when one endpoint
/// receives several subscriptions; a forged id only makes [`verify`] fail with another secret.
pub const SUBSCRIPTION_ID_HEADER: &str = "X-DIXA-SUBSCRIPTION-ID";

/// The length in bytes of an HMAC-SHA256 signature (64 hex digits).
const SIGNATURE_LEN: usize = 32;

/// What a successful [`verify`] learned about the delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// When Dixa signed the delivery (the header's `t`).
    pub timestamp: SystemTime,
    /// The header's `t` as sent: milliseconds since the Unix epoch.
    pub timestamp_ms: u64,
}

/// Why a webhook delivery could not be verified, or a signature could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is empty or not a hex string; this is a configuration error on the receiving
    /// side, not a problem with the delivery.
    InvalidSecret,
    /// The request has no signature header.
    MissingHeader,
    /// The signature header is not `t=<digits>,v1=<64 hex digits>`; the text says what is wrong.
    MalformedHeader(String),
    /// No `v1` signature matches the body, the timestamp and the secret.
    BadSignature,
    /// The signature is genuine but its timestamp is further from now than the tolerance allows,
    /// in the past (a late or replayed delivery) or in the future (a clock out of step).
    Stale {
        /// How far the signed timestamp is from now, in whichever direction `in_future` says.
        age: Duration,
        /// The tolerance that was exceeded.
        tolerance: Duration,
        /// Whether the signed timestamp is ahead of now rather than behind it.
        in_future: bool,
    },
    /// The delivery is genuine and fresh, but its body does not decode; the text names the JSON
    /// path and what was expected there.
    InvalidBody(String),
}

impl WebhookError {
    /// The step of receiving a delivery that failed: `secret` (the receiver's configuration),
    /// `header`, `signature`, `timestamp` or `body`, in the order they are checked.
    pub fn step(&self) -> &'static str {
        match self {
            WebhookError::InvalidSecret => "secret",
            WebhookError::MissingHeader | WebhookError::MalformedHeader(_) => "header",
            WebhookError::BadSignature => "signature",
            WebhookError::Stale { .. } => "timestamp",
            WebhookError::InvalidBody(_) => "body",
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "webhook {} check failed: ", self.step())?;
        match self {
            WebhookError::InvalidSecret => f.write_str(
                "the webhook secret is empty or not hex-encoded; copy the subscription's secret \
                 exactly as Dixa shows it on the webhook's page",
            ),
            WebhookError::MissingHeader => write!(
                f,
                "the request has no {SIGNATURE_HEADER} header; is the endpoint receiving \
                 deliveries from Dixa, through a proxy that keeps headers?"
            ),
            WebhookError::InvalidBody(what) => write!(
                f,
                "the delivery is genuine but its body is not a Dixa event this SDK can decode: \
                 {what}"
            ),
            WebhookError::MalformedHeader(what) => write!(
                f,
                "malformed {SIGNATURE_HEADER} header: {what}; pass the header's value exactly as \
                 received (expected `t=<unix ms>,v1=<hex signature>`)"
            ),
            WebhookError::BadSignature => write!(
                f,
                "the {SIGNATURE_HEADER} signature does not match; check that the secret belongs to \
                 this webhook subscription and that the body is the raw request bytes, not \
                 re-serialized JSON"
            ),
            WebhookError::Stale {
                age,
                tolerance,
                in_future: false,
            } => write!(
                f,
                "the webhook was signed {age:?} ago, more than the {tolerance:?} tolerance; reject \
                 it as a possible replay, or check this machine's clock if deliveries are fresh"
            ),
            WebhookError::Stale {
                age,
                tolerance,
                in_future: true,
            } => write!(
                f,
                "the webhook's timestamp is {age:?} in the future, more than the {tolerance:?} \
                 tolerance; check this machine's clock (is it synchronised with NTP?)"
            ),
        }
    }
}

impl std::error::Error for WebhookError {}

/// Verifies a delivery's signature and freshness against the current system time.
///
/// `secret_hex` is the subscription's secret as Dixa shows it (hex, any case, surrounding
/// whitespace ignored), `signature_header` the value of the [`SIGNATURE_HEADER`] header, and
/// `raw_body` the request body exactly as received. A delivery signed more than `tolerance`
/// before or after now is rejected with [`WebhookError::Stale`]; a few minutes is a common
/// choice, since Dixa may retry a failed delivery later with a fresh signature.
///
/// See [`verify_at`] for the rules; [`Webhook`] does this, finds the header and decodes the body in
/// one call.
///
/// # Errors
///
/// The same as [`verify_at`]'s, with the system clock as `now`.
pub fn verify(
    secret_hex: &str,
    signature_header: &str,
    raw_body: &[u8],
    tolerance: Duration,
) -> Result<Verified, WebhookError> {
    verify_at(
        secret_hex,
        signature_header,
        raw_body,
        tolerance,
        crate::runtime::platform::now(),
    )
}

/// Verifies a delivery's signature and freshness as of `now`.
///
/// This is [`verify`] with the clock passed in, for tests and for servers that keep their own
/// notion of time.
///
/// The header is a comma-separated list of `key=value` items; whitespace around items is
/// ignored, keys are matched exactly, and unknown keys are skipped so that a future signature
/// scheme added next to `v1` does not break verification. Several `v1` items may be present
/// (for example while a secret is being rotated): the delivery is accepted if any one of them
/// matches. The signature is checked before the timestamp, so [`WebhookError::Stale`] is only
/// reported for deliveries that Dixa really signed.
///
/// # Errors
///
/// * [`WebhookError::InvalidSecret`] if `secret_hex` is empty or not hex;
/// * [`WebhookError::MalformedHeader`] if the header is empty, lacks `t` or `v1`, repeats `t`,
///   or has a `t` that is not a whole number or a `v1` that is not 64 hex digits;
/// * [`WebhookError::BadSignature`] if no `v1` matches;
/// * [`WebhookError::Stale`] if the timestamp is more than `tolerance` away from `now`, either
///   way (a tolerance equal to the difference is accepted).
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use dixa::webhooks::{self, WebhookError};
///
/// let secret = "2b7e151628aed2a6abf7158809cf4f3c";
/// let header = webhooks::sign(secret, 1_689_238_949_803, b"{}").unwrap();
/// let signed_at = UNIX_EPOCH + Duration::from_millis(1_689_238_949_803);
/// let tolerance = Duration::from_secs(300);
///
/// let ok = webhooks::verify_at(secret, &header, b"{}", tolerance, signed_at + Duration::from_secs(10));
/// assert_eq!(ok.unwrap().timestamp, signed_at);
///
/// let late = webhooks::verify_at(secret, &header, b"{}", tolerance, signed_at + Duration::from_secs(600));
/// assert!(matches!(late, Err(WebhookError::Stale { in_future: false, .. })));
/// ```
pub fn verify_at(
    secret_hex: &str,
    signature_header: &str,
    raw_body: &[u8],
    tolerance: Duration,
    now: SystemTime,
) -> Result<Verified, WebhookError> {
    // The secret is checked first: a misconfigured receiver should hear about it on every
    // delivery, whatever the delivery looks like.
    let key = decode_secret(secret_hex)?;
    let header = parse_header(signature_header)?;

    let mac = keyed_mac(&key, header.timestamp_text, raw_body)?;
    // `verify_slice` compares in constant time, so the time taken does not reveal how much of a
    // forged signature was right. Stopping at the first match is fine: which candidate matched
    // is not secret.
    let matched = header
        .signatures
        .iter()
        .any(|candidate| mac.clone().verify_slice(candidate).is_ok());
    if !matched {
        return Err(WebhookError::BadSignature);
    }

    // `u64` milliseconds always fit in a `Duration`; adding it to the epoch can only overflow on
    // platforms with a narrow `SystemTime`, and a timestamp that far out is not a real one.
    let timestamp = UNIX_EPOCH
        .checked_add(Duration::from_millis(header.timestamp_ms))
        .ok_or_else(|| malformed("`t` is too far in the future to be a real timestamp"))?;
    check_freshness(timestamp, now, tolerance)?;

    Ok(Verified {
        timestamp,
        timestamp_ms: header.timestamp_ms,
    })
}

/// Signs `raw_body` the way Dixa does and returns the whole [`SIGNATURE_HEADER`] value,
/// `t=<timestamp_ms>,v1=<hex>`.
///
/// This is meant for tests of your own webhook handler: it produces deliveries that [`verify`]
/// accepts without needing Dixa to send them.
///
/// # Errors
///
/// [`WebhookError::InvalidSecret`] if `secret_hex` is empty or not hex.
///
/// ```
/// let header = dixa::webhooks::sign("01", 1_234_567_890_123, b"").unwrap();
/// assert_eq!(
///     header,
///     "t=1234567890123,v1=21d2ef55a99b61226f1e94d6e76210c0c5ec2196db695afea8e22f5f57d2bad9"
/// );
/// ```
pub fn sign(secret_hex: &str, timestamp_ms: u64, raw_body: &[u8]) -> Result<String, WebhookError> {
    let key = decode_secret(secret_hex)?;
    let timestamp_text = timestamp_ms.to_string();
    let tag = keyed_mac(&key, &timestamp_text, raw_body)?
        .finalize()
        .into_bytes();
    Ok(format!("t={timestamp_text},v1={}", hex::encode(tag)))
}

/// Decodes the subscription secret as shown in Dixa (hex) into the HMAC key.
fn decode_secret(secret_hex: &str) -> Result<Vec<u8>, WebhookError> {
    // Trimming forgives the newline or spaces that copying from a web page or reading an
    // environment file tends to add; they can never be part of a hex secret.
    let trimmed = secret_hex.trim();
    // HMAC would accept an empty key, but an empty secret is always a configuration mistake,
    // and accepting it would let anyone sign deliveries.
    if trimmed.is_empty() {
        return Err(WebhookError::InvalidSecret);
    }
    // `hex::decode` accepts both cases and rejects odd lengths and non-hex characters.
    hex::decode(trimmed).map_err(|_| WebhookError::InvalidSecret)
}

/// Starts an HMAC-SHA256 over `"<timestamp_text>.<raw_body>"`.
fn keyed_mac(
    key: &[u8],
    timestamp_text: &str,
    raw_body: &[u8],
) -> Result<HmacSha256, WebhookError> {
    // HMAC takes keys of any length, so this never fails; mapping the error keeps the code free
    // of panics all the same.
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| WebhookError::InvalidSecret)?;
    // The timestamp is hashed as the text that was sent, not re-formatted from the parsed
    // number, so that a sender's formatting (such as leading zeros) cannot make a genuine
    // signature fail, nor a different text reuse one.
    mac.update(timestamp_text.as_bytes());
    mac.update(b".");
    mac.update(raw_body);
    Ok(mac)
}

/// The parts of a signature header that verification needs.
struct ParsedHeader<'a> {
    /// The `t` value as sent, which is what was signed.
    timestamp_text: &'a str,
    /// The `t` value as a number of milliseconds since the Unix epoch.
    timestamp_ms: u64,
    /// Every `v1` value, decoded.
    signatures: Vec<[u8; SIGNATURE_LEN]>,
}

fn malformed(what: &str) -> WebhookError {
    WebhookError::MalformedHeader(what.to_owned())
}

fn parse_header(header: &str) -> Result<ParsedHeader<'_>, WebhookError> {
    if header.trim().is_empty() {
        return Err(malformed("the header is empty"));
    }
    let mut timestamp_text = None;
    let mut signatures = Vec::new();
    for item in header.split(',') {
        let item = item.trim();
        // A stray or trailing comma carries no information; skipping it is harmless.
        if item.is_empty() {
            continue;
        }
        let Some((key, value)) = item.split_once('=') else {
            // The offending text is not quoted back: it comes from the network and may be
            // arbitrarily long.
            return Err(malformed("an item is not a `key=value` pair"));
        };
        match key {
            // Two timestamps would make it ambiguous which one was signed.
            "t" if timestamp_text.is_some() => {
                return Err(malformed("`t` appears more than once"));
            }
            "t" => timestamp_text = Some(value),
            "v1" => signatures.push(decode_signature(value)?),
            // Other keys belong to schemes this version does not know (a future `v2`, say);
            // ignoring them lets Dixa add one without breaking receivers.
            _ => {}
        }
    }
    let timestamp_text =
        timestamp_text.ok_or_else(|| malformed("the `t` (timestamp) item is missing"))?;
    if signatures.is_empty() {
        return Err(malformed("the `v1` (signature) item is missing"));
    }
    Ok(ParsedHeader {
        timestamp_text,
        timestamp_ms: parse_timestamp(timestamp_text)?,
        signatures,
    })
}

fn parse_timestamp(text: &str) -> Result<u64, WebhookError> {
    // `u64::from_str` would also take a leading `+`; only plain digits are a valid timestamp.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(
            "`t` is not a whole number of milliseconds since the Unix epoch",
        ));
    }
    text.parse()
        .map_err(|_| malformed("`t` is too large to be a timestamp"))
}

fn decode_signature(value: &str) -> Result<[u8; SIGNATURE_LEN], WebhookError> {
    if !value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed("a `v1` signature is not hexadecimal"));
    }
    let mut signature = [0; SIGNATURE_LEN];
    // All characters are hex digits here, so the only possible failure is the length.
    hex::decode_to_slice(value, &mut signature).map_err(|_| {
        WebhookError::MalformedHeader(format!(
            "a `v1` signature has {} hex digits, but an HMAC-SHA256 signature has {}",
            value.len(),
            SIGNATURE_LEN * 2
        ))
    })?;
    Ok(signature)
}

fn check_freshness(
    timestamp: SystemTime,
    now: SystemTime,
    tolerance: Duration,
) -> Result<(), WebhookError> {
    // `duration_since` fails exactly when the timestamp is after `now`, and then reports by how
    // much, so both directions are measured without any arithmetic that could overflow.
    let (age, in_future) = match now.duration_since(timestamp) {
        Ok(age) => (age, false),
        Err(ahead) => (ahead.duration(), true),
    };
    if age > tolerance {
        return Err(WebhookError::Stale {
            age,
            tolerance,
            in_future,
        });
    }
    Ok(())
}

/// Where a delivery's signature comes from: the request's headers, or the header's value itself.
///
/// Implemented for the value (`str`, `String`), for `http`'s `HeaderMap` (what axum, hyper and
/// reqwest use), and for lists and maps of name/value pairs, whose names are compared without
/// regard to case, since proxies may lower-case them (`x-dixa-signature`).
pub trait SignatureSource {
    /// The value of the [`SIGNATURE_HEADER`] header.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MissingHeader`] when there is none, and
    /// [`WebhookError::MalformedHeader`] when there are several or the value is not text.
    fn signature(&self) -> Result<&str, WebhookError>;
}

impl SignatureSource for str {
    fn signature(&self) -> Result<&str, WebhookError> {
        Ok(self)
    }
}

impl SignatureSource for String {
    fn signature(&self) -> Result<&str, WebhookError> {
        Ok(self)
    }
}

impl SignatureSource for reqwest::header::HeaderMap {
    fn signature(&self) -> Result<&str, WebhookError> {
        // `HeaderMap` compares names without regard to case already.
        let mut values = self.get_all(SIGNATURE_HEADER).iter();
        let value = values.next().ok_or(WebhookError::MissingHeader)?;
        if values.next().is_some() {
            return Err(malformed("the header appears more than once"));
        }
        value
            .to_str()
            .map_err(|_| malformed("the header's value is not visible ASCII"))
    }
}

impl<K: AsRef<str>, V: AsRef<str>> SignatureSource for [(K, V)] {
    fn signature(&self) -> Result<&str, WebhookError> {
        only_signature(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
    }
}

impl<K: AsRef<str>, V: AsRef<str>> SignatureSource for Vec<(K, V)> {
    fn signature(&self) -> Result<&str, WebhookError> {
        self.as_slice().signature()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> SignatureSource for std::collections::BTreeMap<K, V> {
    fn signature(&self) -> Result<&str, WebhookError> {
        only_signature(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S> SignatureSource for std::collections::HashMap<K, V, S> {
    fn signature(&self) -> Result<&str, WebhookError> {
        only_signature(self.iter().map(|(k, v)| (k.as_ref(), v.as_ref())))
    }
}

/// The value of the one pair named [`SIGNATURE_HEADER`] in any case. Two such pairs are an error
/// rather than a choice, so the answer never depends on the order of a map.
fn only_signature<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> Result<&'a str, WebhookError> {
    let mut found = None;
    for (name, value) in pairs {
        if name.trim().eq_ignore_ascii_case(SIGNATURE_HEADER) {
            if found.is_some() {
                return Err(malformed("the header appears more than once"));
            }
            found = Some(value);
        }
    }
    found.ok_or(WebhookError::MissingHeader)
}

/// A webhook receiver for one subscription: verifies the signature, checks the timestamp and
/// decodes the body, in one call.
///
/// `construct_event` (with the `webhook-events` feature, on by default) returns the typed event;
/// [`construct`](Self::construct) decodes into any type of yours.
#[derive(Clone)]
pub struct Webhook {
    secret: String,
    tolerance: Duration,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The secret signs deliveries; it must not reach logs.
        f.debug_struct("Webhook")
            .field("secret", &"<redacted>")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

impl Webhook {
    /// The tolerance of [`Webhook::new`]: five minutes either way.
    pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

    /// A receiver for the subscription with this secret (hex, as Dixa shows it on the webhook's
    /// page), accepting deliveries signed up to [`DEFAULT_TOLERANCE`](Self::DEFAULT_TOLERANCE)
    /// from now. The secret is checked on each delivery, so a wrong one is reported as
    /// [`WebhookError::InvalidSecret`] then.
    pub fn new(secret_hex: impl Into<String>) -> Self {
        Self {
            secret: secret_hex.into(),
            tolerance: Self::DEFAULT_TOLERANCE,
        }
    }

    /// Accepts deliveries signed up to `tolerance` before or after now.
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Verifies the signature and the timestamp, without decoding the body.
    ///
    /// # Errors
    ///
    /// Those of [`verify`], and [`WebhookError::MissingHeader`] when `source` has no signature.
    pub fn verify<S: SignatureSource + ?Sized>(
        &self,
        source: &S,
        raw_body: &[u8],
    ) -> Result<Verified, WebhookError> {
        verify(&self.secret, source.signature()?, raw_body, self.tolerance)
    }

    /// Verifies the delivery, then decodes the body as `T`.
    ///
    /// # Errors
    ///
    /// Those of [`Webhook::verify`], then [`WebhookError::InvalidBody`] when the verified body
    /// does not decode as `T`.
    pub fn construct<T, S>(&self, source: &S, raw_body: &[u8]) -> Result<T, WebhookError>
    where
        T: serde::de::DeserializeOwned,
        S: SignatureSource + ?Sized,
    {
        self.verify(source, raw_body)?;
        decode_body(raw_body)
    }
}

/// Decodes a body, naming the JSON path of a failure.
pub(crate) fn decode_body<T: serde::de::DeserializeOwned>(
    raw_body: &[u8],
) -> Result<T, WebhookError> {
    let mut deserializer = serde_json::Deserializer::from_slice(raw_body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        WebhookError::InvalidBody(if path == "." {
            e.into_inner().to_string()
        } else {
            format!("at `{path}`: {}", e.into_inner())
        })
    })?;
    deserializer
        .end()
        .map_err(|e| WebhookError::InvalidBody(e.to_string()))?;
    Ok(value)
}

/// An event whose `event_fqn` this version of the SDK does not know, kept as delivered.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownEvent {
    /// The delivered `event_fqn`.
    pub event_fqn: String,
    /// The event's `data`, as delivered.
    pub data: serde_json::Value,
}

/// The subscription API's name for an `event_fqn` this SDK does not know: its words in
/// PascalCase (`CONVERSATION_ARCHIVED` -> `ConversationArchived`). Known events use the
/// generator's table instead, which also gets acronyms right (`SLAEvaluationVoided`).
#[allow(
    dead_code,
    reason = "`event_payload!` uses it; a spec or feature set may not need it"
)]
pub(crate) fn pascal_case(fqn: &str) -> String {
    let mut out = String::with_capacity(fqn.len());
    for word in fqn.split('_').filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// The two envelope members that make up the payload, as read from the envelope.
#[allow(
    dead_code,
    reason = "`event_payload!` uses it; a spec or feature set may not need it"
)]
#[derive(serde::Deserialize)]
pub(crate) struct PayloadParts {
    pub(crate) event_fqn: String,
    /// Absent `data` reads as an empty object, so that an event without any still decodes.
    #[serde(default = "empty_object")]
    pub(crate) data: serde_json::Value,
}

#[allow(
    dead_code,
    reason = "`event_payload!` uses it; a spec or feature set may not need it"
)]
fn empty_object() -> serde_json::Value {
    serde_json::Value::Object(serde_json::Map::new())
}

/// The payload members as written back into the envelope.
#[allow(
    dead_code,
    reason = "`event_payload!` uses it; a spec or feature set may not need it"
)]
#[derive(serde::Serialize)]
pub(crate) struct PayloadPartsRef<'a, T> {
    pub(crate) event_fqn: &'a str,
    pub(crate) data: &'a T,
}

/// Decodes the `data` of a known event, naming the event and the path inside `data` on failure.
#[allow(
    dead_code,
    reason = "`event_payload!` uses it; a spec or feature set may not need it"
)]
pub(crate) fn decode_data<'de, T, D>(data: serde_json::Value, fqn: &str) -> Result<T, D::Error>
where
    T: serde::de::DeserializeOwned,
    D: serde::Deserializer<'de>,
{
    use serde::de::Error as _;
    serde_path_to_error::deserialize(data).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            D::Error::custom(format!("data of {fqn}: {inner}"))
        } else {
            D::Error::custom(format!("data of {fqn}, at `data.{path}`: {inner}"))
        }
    })
}

/// The impls of the generated webhook event types: the payload enum (whose last variant is
/// `Unknown(UnknownEvent)`) keyed by `event_fqn`, each variant mapped to the subscription API's
/// event enum; the envelope's accessors; `Webhook::construct_event` and `parse_event`. The types
/// themselves are written out in the generated code, where their documentation is readable.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! event_payload {
    ($event:ident, $payload:ident, $event_type:path {
        $($variant:ident($data:ty) = $fqn:literal => $subscribed:ident),* $(,)?
    }) => {
        impl $payload {
            /// Every `event_fqn` this version of the SDK decodes into a typed variant.
            pub const KNOWN_FQNS: &'static [&'static str] = &[$($fqn),*];

            /// The delivered `event_fqn`, such as `CONVERSATION_CREATED`.
            pub fn event_fqn(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $fqn, )*
                    Self::Unknown(unknown) => &unknown.event_fqn,
                }
            }

            /// The subscription API's value for this event, the one a subscription names
            /// (`ConversationCreated` for `CONVERSATION_CREATED`). For an unknown event it is
            /// `Unknown` with the `event_fqn`'s words in PascalCase.
            pub fn event_type(&self) -> $event_type {
                use $event_type as EventType;
                match self {
                    $( Self::$variant(_) => EventType::$subscribed, )*
                    Self::Unknown(unknown) => EventType::from(
                        $crate::runtime::webhooks::pascal_case(&unknown.event_fqn).as_str(),
                    ),
                }
            }

            /// The `event_fqn` Dixa delivers for a subscribed event type, if this SDK knows it.
            pub fn fqn_of(event_type: &$event_type) -> Option<&'static str> {
                use $event_type as EventType;
                match event_type {
                    $( EventType::$subscribed => Some($fqn), )*
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $payload {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use $crate::runtime::webhooks::PayloadPartsRef;
                match self {
                    $( Self::$variant(data) => PayloadPartsRef { event_fqn: $fqn, data }.serialize(serializer), )*
                    Self::Unknown(unknown) => PayloadPartsRef {
                        event_fqn: &unknown.event_fqn,
                        data: &unknown.data,
                    }
                    .serialize(serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $payload {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use $crate::runtime::webhooks::{decode_data, PayloadParts, UnknownEvent};
                let parts = PayloadParts::deserialize(deserializer)?;
                match parts.event_fqn.as_str() {
                    $( $fqn => decode_data::<_, D>(parts.data, $fqn).map(Self::$variant), )*
                    _ => Ok(Self::Unknown(UnknownEvent {
                        event_fqn: parts.event_fqn,
                        data: parts.data,
                    })),
                }
            }
        }

        impl $event {
            /// The delivered `event_fqn`, such as `CONVERSATION_CREATED`.
            pub fn event_fqn(&self) -> &str {
                self.payload.event_fqn()
            }

            #[doc = concat!(
                "The subscription API's value for this event; see [`",
                stringify!($payload),
                "::event_type`]."
            )]
            pub fn event_type(&self) -> $event_type {
                self.payload.event_type()
            }
        }

        impl $crate::webhooks::Webhook {
            /// Verifies a delivery's signature and timestamp, then decodes it into an
            #[doc = concat!("[`", stringify!($event), "`].")]
            ///
            /// `source` is the request's headers (any case) or the signature header's value, and
            /// `raw_body` the body's bytes exactly as received.
            ///
            /// # Errors
            ///
            /// The [`WebhookError`](crate::webhooks::WebhookError) of the step that failed:
            /// `InvalidSecret`, `MissingHeader`, `MalformedHeader`, `BadSignature`, `Stale`, or
            /// `InvalidBody` with the JSON path that did not decode.
            pub fn construct_event<S>(
                &self,
                source: &S,
                raw_body: &[u8],
            ) -> Result<$event, $crate::webhooks::WebhookError>
            where
                S: $crate::webhooks::SignatureSource + ?Sized,
            {
                self.construct(source, raw_body)
            }
        }

        // `dixa::testing::webhooks` builds and signs events of these types.
        #[cfg(feature = "testing")]
        impl $crate::runtime::testing::webhooks::sealed::Sealed for $event {}
        #[cfg(feature = "testing")]
        impl $crate::runtime::testing::webhooks::TypedEvent for $event {}
        #[cfg(feature = "testing")]
        impl $crate::runtime::testing::webhooks::sealed::Sealed for $payload {}
        #[cfg(feature = "testing")]
        impl $crate::runtime::testing::webhooks::TypedPayload for $payload {
            type Event = $event;
        }

        /// Decodes a webhook body without verifying it: for bodies already verified, or for
        /// tests. Receivers should call `Webhook::construct_event`.
        ///
        /// # Errors
        ///
        /// [`WebhookError::InvalidBody`](crate::webhooks::WebhookError::InvalidBody), with the
        /// JSON path that did not decode.
        pub fn parse_event(raw_body: &[u8]) -> Result<$event, $crate::webhooks::WebhookError> {
            $crate::runtime::webhooks::decode_body(raw_body)
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use event_payload;

#[cfg(test)]
mod tests {
    use super::*;

    // Test vectors computed independently of this module, with Python's standard library:
    //
    //   python3 -c 'import hmac,hashlib;k,t,b=SECRET_HEX,T,BODY_BYTES;
    //     print("t=%d,v1=%s"%(t,hmac.new(bytes.fromhex(k),b"%d."%t+b,hashlib.sha256).hexdigest()))'
    //
    // with the SECRET_HEX, T and BODY_BYTES of each vector below (non-ASCII bodies were given as
    // `"...".encode()`, i.e. UTF-8).

    /// Vector 1: a 16-byte lowercase secret and an ASCII JSON body.
    /// `k,t,b="2b7e151628aed2a6abf7158809cf4f3c",1689238949803,
    ///  b"{\"event_id\":\"e578c093-3cd7-47c5-8b1d-cb6115827b94\",\"event_fqn\":\"CONVERSATION_CREATED\"}"`
    const V1_SECRET: &str = "2b7e151628aed2a6abf7158809cf4f3c";
    const V1_T: u64 = 1_689_238_949_803;
    const V1_BODY: &[u8] =
        br#"{"event_id":"e578c093-3cd7-47c5-8b1d-cb6115827b94","event_fqn":"CONVERSATION_CREATED"}"#;
    const V1_HEADER: &str =
        "t=1689238949803,v1=4e799760b7697af3faccc199667f0a4fc5ae5c44b7b23d52532d92b8a96de2ea";

    /// Vector 2: a 32-byte UPPERCASE secret and a body with non-ASCII UTF-8 (two- to four-byte
    /// sequences).
    /// `k,t,b="00FF10A0B0C0D0E0F00112233445566778899AABBCCDDEEFF0123456789ABCDE",1700000000000,
    ///  "{\"text\":\"Hej! Æblegrød på dansk — 你好 👋\"}".encode()`
    const V2_SECRET: &str = "00FF10A0B0C0D0E0F00112233445566778899AABBCCDDEEFF0123456789ABCDE";
    const V2_T: u64 = 1_700_000_000_000;
    const V2_BODY: &str = "{\"text\":\"Hej! Æblegrød på dansk — 你好 👋\"}";
    const V2_HEADER: &str =
        "t=1700000000000,v1=6e22edfac2ab5b03a2973ea3ca7263704058ff11eae04b30187147fe4bad1bdf";

    /// Vector 3: a one-byte secret and an empty body.
    /// `k,t,b="01",1234567890123,b""`
    const V3_SECRET: &str = "01";
    const V3_T: u64 = 1_234_567_890_123;
    const V3_BODY: &[u8] = b"";
    const V3_HEADER: &str =
        "t=1234567890123,v1=21d2ef55a99b61226f1e94d6e76210c0c5ec2196db695afea8e22f5f57d2bad9";

    /// Vector 4: a body that is not UTF-8 at all.
    /// `k,t,b="deadbeefcafebabe",1689238949803,b"\xff\xfe\x00raw"`
    const V4_SECRET: &str = "deadbeefcafebabe";
    const V4_T: u64 = 1_689_238_949_803;
    const V4_BODY: &[u8] = b"\xff\xfe\x00raw";
    const V4_HEADER: &str =
        "t=1689238949803,v1=59c7c552752bd39b6d7fefc7e8cecacc28105b60b75cfd09aa7b5082b088b5dd";

    /// Vector 1's body and timestamp signed with another secret (the last hex digit changed), for
    /// the rotation tests.
    /// `k,t,b="2b7e151628aed2a6abf7158809cf4f3d",1689238949803,<vector 1's body>`
    const OLD_SECRET: &str = "2b7e151628aed2a6abf7158809cf4f3d";
    const V1_SIG_WITH_OLD_SECRET: &str =
        "035f2962de23da27cd61f48d65b5d5df78058b16aaa83bddfb8bd2919e1a184f";

    const TOLERANCE: Duration = Duration::from_secs(300);

    fn at(ms: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(ms)
    }

    fn vectors() -> [(&'static str, u64, &'static [u8], &'static str); 4] {
        [
            (V1_SECRET, V1_T, V1_BODY, V1_HEADER),
            (V2_SECRET, V2_T, V2_BODY.as_bytes(), V2_HEADER),
            (V3_SECRET, V3_T, V3_BODY, V3_HEADER),
            (V4_SECRET, V4_T, V4_BODY, V4_HEADER),
        ]
    }

    fn assert_malformed(result: Result<Verified, WebhookError>, header: &str) {
        assert!(
            matches!(result, Err(WebhookError::MalformedHeader(_))),
            "header {header:?} gave {result:?}"
        );
    }

    #[test]
    fn vector_2_body_is_the_utf8_that_python_signed() {
        // The Python bytes of vector 2, written out, so an editor re-encoding this file could not
        // silently change what is tested.
        let expected: &[u8] = b"{\"text\":\"Hej! \xc3\x86blegr\xc3\xb8d p\xc3\xa5 dansk \
            \xe2\x80\x94 \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x91\x8b\"}";
        assert_eq!(V2_BODY.as_bytes(), expected);
    }

    #[test]
    fn independent_vectors_verify() {
        for (secret, t, body, header) in vectors() {
            let verified = verify_at(secret, header, body, TOLERANCE, at(t))
                .unwrap_or_else(|e| panic!("{header}: {e}"));
            assert_eq!(verified.timestamp, at(t));
            assert_eq!(verified.timestamp_ms, t);
        }
    }

    #[test]
    fn sign_reproduces_independent_vectors() {
        for (secret, t, body, header) in vectors() {
            assert_eq!(sign(secret, t, body).unwrap(), header);
        }
        assert_eq!(
            sign(OLD_SECRET, V1_T, V1_BODY).unwrap(),
            format!("t={V1_T},v1={V1_SIG_WITH_OLD_SECRET}")
        );
    }

    #[test]
    fn verify_uses_the_current_time() {
        let now_ms = u64::try_from(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis(),
        )
        .unwrap();
        let header = sign(V1_SECRET, now_ms, V1_BODY).unwrap();
        assert_eq!(
            verify(V1_SECRET, &header, V1_BODY, TOLERANCE)
                .unwrap()
                .timestamp_ms,
            now_ms
        );
        // The vector is from 2023, long outside a five-minute tolerance of today.
        assert!(matches!(
            verify(V1_SECRET, V1_HEADER, V1_BODY, TOLERANCE),
            Err(WebhookError::Stale {
                in_future: false,
                ..
            })
        ));
    }

    #[test]
    fn secret_case_and_surrounding_whitespace_do_not_matter() {
        for secret in [
            V1_SECRET.to_uppercase(),
            "2B7e151628AED2a6abf7158809cf4f3C".to_owned(),
            format!("  {V1_SECRET}\n"),
            format!("\t{V1_SECRET} \r\n"),
        ] {
            assert!(
                verify_at(&secret, V1_HEADER, V1_BODY, TOLERANCE, at(V1_T)).is_ok(),
                "{secret:?}"
            );
            assert_eq!(sign(&secret, V1_T, V1_BODY).unwrap(), V1_HEADER);
        }
        assert!(verify_at(
            &V2_SECRET.to_lowercase(),
            V2_HEADER,
            V2_BODY.as_bytes(),
            TOLERANCE,
            at(V2_T)
        )
        .is_ok());
    }

    #[test]
    fn uppercase_signature_hex_is_accepted() {
        let header = format!("t={V1_T},v1={}", &V1_HEADER[19..].to_uppercase());
        assert!(verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T)).is_ok());
    }

    #[test]
    fn changed_body_byte_is_rejected() {
        for (secret, t, body, header) in vectors() {
            let mut tampered = body.to_vec();
            match tampered.first_mut() {
                Some(first) => *first ^= 0x01,
                None => tampered.push(b' '),
            }
            assert_eq!(
                verify_at(secret, header, &tampered, TOLERANCE, at(t)),
                Err(WebhookError::BadSignature),
                "{header}"
            );
        }
        // A change in the middle of a multi-byte character, and appended whitespace (what
        // re-serializing JSON tends to add).
        let mut tampered = V2_BODY.as_bytes().to_vec();
        tampered[15] ^= 0x01;
        assert_eq!(
            verify_at(V2_SECRET, V2_HEADER, &tampered, TOLERANCE, at(V2_T)),
            Err(WebhookError::BadSignature)
        );
        let padded = [V1_BODY, b"\n"].concat();
        assert_eq!(
            verify_at(V1_SECRET, V1_HEADER, &padded, TOLERANCE, at(V1_T)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn changed_timestamp_is_rejected() {
        let sig = &V1_HEADER[19..];
        for t_text in ["1689238949804", "1689238949802", "01689238949803"] {
            let header = format!("t={t_text},v1={sig}");
            // The clock is set to the forged timestamp, so only the signature can fail.
            let now = at(t_text.parse().unwrap());
            assert_eq!(
                verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, now),
                Err(WebhookError::BadSignature),
                "{header}"
            );
        }
    }

    #[test]
    fn changed_signature_digit_is_rejected() {
        for position in [19, 40, V1_HEADER.len() - 1] {
            let mut header = V1_HEADER.as_bytes().to_vec();
            header[position] = if header[position] == b'0' { b'1' } else { b'0' };
            let header = String::from_utf8(header).unwrap();
            assert_eq!(
                verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T)),
                Err(WebhookError::BadSignature),
                "{header}"
            );
        }
    }

    #[test]
    fn wrong_secret_is_rejected() {
        for secret in [
            OLD_SECRET,
            V2_SECRET,
            V3_SECRET,
            "2b7e151628aed2a6abf7158809cf4f",
        ] {
            assert_eq!(
                verify_at(secret, V1_HEADER, V1_BODY, TOLERANCE, at(V1_T)),
                Err(WebhookError::BadSignature),
                "{secret}"
            );
        }
    }

    #[test]
    fn signature_from_another_vector_is_rejected() {
        // A genuine signature for another body, moved onto this one.
        let header = format!("t={V1_T},v1={}", &V4_HEADER[19..]);
        assert_eq!(
            verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn freshness_window() {
        let tolerance = Duration::from_secs(300);
        let signed = at(V1_T);
        let verify_now = |now| verify_at(V1_SECRET, V1_HEADER, V1_BODY, tolerance, now);

        for now in [
            signed,
            signed + Duration::from_secs(299),
            signed + tolerance,
            signed - Duration::from_secs(299),
            signed - tolerance,
        ] {
            assert!(verify_now(now).is_ok(), "{now:?}");
        }

        let late = verify_now(signed + tolerance + Duration::from_millis(1));
        assert_eq!(
            late,
            Err(WebhookError::Stale {
                age: tolerance + Duration::from_millis(1),
                tolerance,
                in_future: false,
            })
        );
        let early = verify_now(signed - tolerance - Duration::from_millis(1));
        assert_eq!(
            early,
            Err(WebhookError::Stale {
                age: tolerance + Duration::from_millis(1),
                tolerance,
                in_future: true,
            })
        );
        assert!(matches!(
            verify_now(signed + Duration::from_secs(86_400)),
            Err(WebhookError::Stale {
                in_future: false,
                ..
            })
        ));
        assert!(matches!(
            verify_now(UNIX_EPOCH),
            Err(WebhookError::Stale {
                in_future: true,
                ..
            })
        ));

        // A zero tolerance accepts only the exact millisecond.
        assert!(verify_at(V1_SECRET, V1_HEADER, V1_BODY, Duration::ZERO, signed).is_ok());
        assert!(matches!(
            verify_at(
                V1_SECRET,
                V1_HEADER,
                V1_BODY,
                Duration::ZERO,
                signed + Duration::from_millis(1)
            ),
            Err(WebhookError::Stale { .. })
        ));
    }

    #[test]
    fn forged_stale_delivery_reports_bad_signature() {
        // The signature is checked before the timestamp, so `Stale` always means genuine.
        let mut body = V1_BODY.to_vec();
        body.push(b' ');
        assert_eq!(
            verify_at(V1_SECRET, V1_HEADER, &body, TOLERANCE, UNIX_EPOCH),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn malformed_headers_are_rejected() {
        let sig = &V1_HEADER[19..];
        let cases = [
            String::new(),
            "   ".to_owned(),
            ",".to_owned(),
            " , , ".to_owned(),
            "garbage".to_owned(),
            "=".to_owned(),
            "t".to_owned(),
            "v1".to_owned(),
            "t=".to_owned(),
            "v1=".to_owned(),
            "t=,v1=".to_owned(),
            // Missing `t` or `v1`.
            format!("v1={sig}"),
            format!("t={V1_T}"),
            format!("t={V1_T},v2={sig}"),
            // The whole header line instead of its value: the first key is not `t`.
            format!("{SIGNATURE_HEADER}: t={V1_T},v1={sig}"),
            // Keys are matched exactly.
            format!("T={V1_T},v1={sig}"),
            format!("t={V1_T},V1={sig}"),
            format!("t ={V1_T},v1={sig}"),
            // Not a plain non-negative integer.
            format!("t=abc,v1={sig}"),
            format!("t=-1,v1={sig}"),
            format!("t=+1689238949803,v1={sig}"),
            format!("t=1689238949803.5,v1={sig}"),
            format!("t=1e12,v1={sig}"),
            format!("t= 1689238949803,v1={sig}"),
            format!("t=１２３,v1={sig}"),
            format!("t=18446744073709551616,v1={sig}"),
            format!("t=99999999999999999999999999999,v1={sig}"),
            // `t` twice.
            format!("t={V1_T},t={V1_T},v1={sig}"),
            // `v1` of the wrong length, odd length, or not hex.
            format!("t={V1_T},v1={}", &sig[..63]),
            format!("t={V1_T},v1={}", &sig[..62]),
            format!("t={V1_T},v1={sig}00"),
            format!("t={V1_T},v1=xyz"),
            format!("t={V1_T},v1={}g", &sig[..63]),
            format!("t={V1_T},v1=0x{}", &sig[..62]),
            format!("t={V1_T},v1= {sig}"),
            // A bad `v1` is not excused by a good one next to it.
            format!("t={V1_T},v1={sig},v1=nothex"),
            // A non-pair item.
            format!("t={V1_T},v1={sig},junk"),
        ];
        for header in &cases {
            assert_malformed(
                verify_at(V1_SECRET, header, V1_BODY, TOLERANCE, at(V1_T)),
                header,
            );
        }
    }

    #[test]
    fn header_whitespace_stray_commas_and_unknown_keys_are_tolerated() {
        let sig = &V1_HEADER[19..];
        for header in [
            format!(" t={V1_T} , v1={sig} "),
            format!("\tt={V1_T},\tv1={sig}\r\n"),
            format!("v1={sig},t={V1_T}"),
            format!("t={V1_T},v1={sig},"),
            format!(",t={V1_T},,v1={sig}"),
            format!("t={V1_T},v0=whatever,v2=not-even-hex,scheme=x=y,v1={sig}"),
            format!("t={V1_T},=,v1={sig}"),
        ] {
            assert!(
                verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T)).is_ok(),
                "{header:?}"
            );
        }
    }

    #[test]
    fn any_matching_v1_is_accepted_for_secret_rotation() {
        let new_sig = &V1_HEADER[19..];
        let old_sig = V1_SIG_WITH_OLD_SECRET;
        let header = format!("t={V1_T},v1={old_sig},v1={new_sig}");
        // Only the second value matches the new secret, only the first the old one.
        assert!(verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T)).is_ok());
        assert!(verify_at(OLD_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T)).is_ok());
        // Neither matches a third secret.
        assert_eq!(
            verify_at(V4_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T)),
            Err(WebhookError::BadSignature)
        );
        let both_wrong = format!("t={V1_T},v1={old_sig},v1={}", &V4_HEADER[19..]);
        assert_eq!(
            verify_at(V1_SECRET, &both_wrong, V1_BODY, TOLERANCE, at(V1_T)),
            Err(WebhookError::BadSignature)
        );
    }

    #[test]
    fn invalid_secrets_are_rejected() {
        for secret in [
            "",
            "   ",
            "\n",
            "abc",
            "0",
            "xyz",
            "0x01",
            "2b7e 1516",
            "zz",
            "é1",
        ] {
            assert_eq!(
                verify_at(secret, V1_HEADER, V1_BODY, TOLERANCE, at(V1_T)),
                Err(WebhookError::InvalidSecret),
                "{secret:?}"
            );
            assert_eq!(
                sign(secret, V1_T, V1_BODY),
                Err(WebhookError::InvalidSecret),
                "{secret:?}"
            );
        }
        // The secret is checked before the header, so a misconfiguration is always reported.
        assert_eq!(
            verify_at("", "garbage", V1_BODY, TOLERANCE, at(V1_T)),
            Err(WebhookError::InvalidSecret)
        );
    }

    #[test]
    fn sign_then_verify_round_trips() {
        for t in [0, 1, V1_T, u64::from(u32::MAX) * 1000] {
            let header = sign(V2_SECRET, t, V2_BODY.as_bytes()).unwrap();
            assert!(header.starts_with(&format!("t={t},v1=")));
            assert_eq!(header.len(), format!("t={t},v1=").len() + 64);
            let verified =
                verify_at(V2_SECRET, &header, V2_BODY.as_bytes(), TOLERANCE, at(t)).unwrap();
            assert_eq!(verified.timestamp_ms, t);
        }
    }

    #[test]
    fn extreme_timestamps_do_not_panic() {
        let header = sign(V1_SECRET, u64::MAX, V1_BODY).unwrap();
        let result = verify_at(V1_SECRET, &header, V1_BODY, Duration::MAX, at(V1_T));
        assert!(
            matches!(
                result,
                Ok(_) | Err(WebhookError::MalformedHeader(_) | WebhookError::Stale { .. })
            ),
            "{result:?}"
        );
        let result = verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T));
        assert!(result.is_err());
        // A clock before the epoch.
        let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
        assert!(matches!(
            verify_at(V3_SECRET, V3_HEADER, V3_BODY, TOLERANCE, before_epoch),
            Err(WebhookError::Stale {
                in_future: true,
                ..
            })
        ));
    }

    #[test]
    fn arbitrary_headers_do_not_panic() {
        // A small deterministic generator over characters that matter to the parser.
        let alphabet: Vec<char> = "tv1=,0123456789abcdefABCDEF \t-+.xé你\u{0}"
            .chars()
            .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            let mut header = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 90) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                header.push(alphabet[(state % alphabet.len() as u64) as usize]);
            }
            let result = verify_at(V1_SECRET, &header, V1_BODY, TOLERANCE, at(V1_T));
            assert!(
                !matches!(result, Err(WebhookError::InvalidSecret)),
                "{header:?}"
            );
        }
    }

    #[test]
    fn error_messages_say_what_to_do() {
        let message = WebhookError::InvalidSecret.to_string();
        assert!(message.contains("secret"), "{message}");
        let message = verify_at(V1_SECRET, "", V1_BODY, TOLERANCE, at(V1_T))
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("X-DIXA-SIGNATURE") && message.contains("empty"),
            "{message}"
        );
        let message = WebhookError::BadSignature.to_string();
        assert!(message.contains("raw request bytes"), "{message}");
        let late =
            verify_at(V1_SECRET, V1_HEADER, V1_BODY, TOLERANCE, at(V1_T + 600_000)).unwrap_err();
        assert!(late.to_string().contains("ago"), "{late}");
        assert!(late.to_string().contains("300s"), "{late}");
        let early =
            verify_at(V1_SECRET, V1_HEADER, V1_BODY, TOLERANCE, at(V1_T - 600_000)).unwrap_err();
        assert!(early.to_string().contains("in the future"), "{early}");
        assert!(early.to_string().contains("clock"), "{early}");
        // Usable as a boxed standard error.
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(late);
        assert!(!boxed.to_string().is_empty());
    }

    #[test]
    fn signature_sources_find_the_header_in_any_case() {
        let header = V1_HEADER.to_owned();
        let pairs = vec![
            ("content-type", "application/json"),
            ("x-dixa-signature", V1_HEADER),
        ];
        assert_eq!(pairs.signature(), Ok(V1_HEADER));
        assert_eq!(pairs.as_slice().signature(), Ok(V1_HEADER));
        let upper = [("X-DIXA-SIGNATURE".to_owned(), header.clone())];
        assert_eq!(upper[..].signature(), Ok(V1_HEADER));
        let map: std::collections::BTreeMap<&str, &str> = [("X-Dixa-Signature", V1_HEADER)].into();
        assert_eq!(map.signature(), Ok(V1_HEADER));
        let hash: std::collections::HashMap<String, String> =
            [("x-dixa-SIGNATURE".to_owned(), header.clone())].into();
        assert_eq!(hash.signature(), Ok(V1_HEADER));
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("X-DIXA-SIGNATURE", V1_HEADER.parse().unwrap());
        assert_eq!(headers.signature(), Ok(V1_HEADER));
        assert_eq!(V1_HEADER.signature(), Ok(V1_HEADER));
        assert_eq!(header.signature(), Ok(V1_HEADER));
    }

    #[test]
    fn missing_and_repeated_signature_headers_are_errors() {
        let none: Vec<(&str, &str)> = vec![("x-dixa-subscription-id", "abc")];
        assert_eq!(none.signature(), Err(WebhookError::MissingHeader));
        let twice = vec![
            ("x-dixa-signature", V1_HEADER),
            ("X-DIXA-SIGNATURE", V1_HEADER),
        ];
        assert!(matches!(
            twice.signature(),
            Err(WebhookError::MalformedHeader(_))
        ));
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(headers.signature(), Err(WebhookError::MissingHeader));
        headers.append("x-dixa-signature", V1_HEADER.parse().unwrap());
        headers.append("x-dixa-signature", V1_HEADER.parse().unwrap());
        assert!(matches!(
            headers.signature(),
            Err(WebhookError::MalformedHeader(_))
        ));
    }

    #[test]
    fn webhook_verifies_then_decodes_and_names_the_failed_step() {
        let body = br#"{"event_fqn":"CONVERSATION_CREATED","data":{"conversation":{"csid":2}}}"#;
        let now_ms = u64::try_from(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis(),
        )
        .unwrap();
        let webhook = Webhook::new(V1_SECRET);
        let headers = vec![("X-Dixa-Signature", sign(V1_SECRET, now_ms, body).unwrap())];
        let value: serde_json::Value = webhook.construct(&headers, body).unwrap();
        assert_eq!(value["data"]["conversation"]["csid"], 2);

        let mut tampered = body.to_vec();
        tampered[60] = b'3';
        let err = webhook
            .construct::<serde_json::Value, _>(&headers, &tampered)
            .unwrap_err();
        assert_eq!(
            (err.step(), err.clone()),
            ("signature", WebhookError::BadSignature)
        );
        assert!(
            err.to_string()
                .starts_with("webhook signature check failed"),
            "{err}"
        );

        let stale = sign(V1_SECRET, now_ms - 600_000, body).unwrap();
        let err = webhook.verify(stale.as_str(), body).unwrap_err();
        assert_eq!(err.step(), "timestamp");
        // A wider tolerance accepts the same delivery.
        let patient = webhook.clone().with_tolerance(Duration::from_secs(3600));
        assert!(patient.verify(stale.as_str(), body).is_ok());

        let err = webhook
            .construct::<serde_json::Value, _>(&Vec::<(&str, &str)>::new(), body)
            .unwrap_err();
        assert_eq!(err, WebhookError::MissingHeader);
        assert_eq!(err.step(), "header");
        assert_eq!(
            Webhook::new("").verify(&headers, body).unwrap_err().step(),
            "secret"
        );

        // A genuine body that is not what the caller expects names the JSON path.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only decoded, to see decoding fail; never read")]
        struct Strict {
            data: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
        }
        let err = webhook.construct::<Strict, _>(&headers, body).unwrap_err();
        assert_eq!(err.step(), "body");
        assert!(err.to_string().contains("data.conversation.csid"), "{err}");
        let not_json = b"not json";
        let header = sign(V1_SECRET, now_ms, not_json).unwrap();
        assert!(matches!(
            webhook.construct::<serde_json::Value, _>(header.as_str(), not_json),
            Err(WebhookError::InvalidBody(_))
        ));
    }

    #[test]
    fn webhook_debug_hides_the_secret() {
        let debug = format!("{:?}", Webhook::new(V1_SECRET));
        assert!(!debug.contains(V1_SECRET), "{debug}");
        assert!(debug.contains("redacted"), "{debug}");
    }

    #[test]
    fn unknown_fqns_read_as_pascal_case() {
        assert_eq!(pascal_case("CONVERSATION_ARCHIVED"), "ConversationArchived");
        assert_eq!(pascal_case("SLA_EVALUATION_VOIDED"), "SlaEvaluationVoided");
        assert_eq!(pascal_case("_ODD__NAME_"), "OddName");
        assert_eq!(pascal_case(""), "");
    }
}
