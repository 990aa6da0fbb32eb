//! Verifying and decoding the webhooks that Dixa sends to your server.
//!
//! Dixa signs every delivery with an `X-DIXA-SIGNATURE` header of the form
//! `t=<unix time in milliseconds>,v1=<hex>`, where `v1` is the lowercase hex HMAC-SHA256 of
//! `"<t>.<raw body>"` (the timestamp text exactly as sent, a dot, then the request body's bytes),
//! keyed with the subscription's secret after hex-decoding it. The secret is the hex string shown
//! on the webhook's page in Dixa.
//!
//! A handler should:
//!
//! 1. read the raw body bytes *before* parsing them: re-serialized JSON does not hash the same;
//! 2. call [`verify`] with the header's value, the raw body and a replay tolerance;
//! 3. only then call [`parse_event`] and act on the [`Event`].
//!
//! ```
//! use std::time::{Duration, SystemTime, UNIX_EPOCH};
//! use dixa::webhooks;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = "2b7e151628aed2a6abf7158809cf4f3c"; // from the webhook's page in Dixa
//! let body = br#"{"event_id":"e578c093-3cd7-47c5-8b1d-cb6115827b94",
//!     "event_fqn":"CONVERSATION_CREATED","event_version":"1",
//!     "event_timestamp":"2025-09-03T07:04:08.723Z",
//!     "organization":{"id":"5f6e9e0a-3c2b-4a7e-9d51-2f0c6a1b8e11","name":"Acme"},
//!     "data":{"conversation":{"csid":12345}}}"#;
//! # let now_ms = u64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis())?;
//! # let header_value = webhooks::sign(secret, now_ms, body)?;
//! // `header_value` is the value of the request's `X-DIXA-SIGNATURE` header
//! // (`webhooks::SIGNATURE_HEADER`).
//! webhooks::verify(secret, &header_value, body, Duration::from_secs(5 * 60))?;
//! let event = webhooks::parse_event(body)?;
//! assert_eq!(event.event_fqn, "CONVERSATION_CREATED");
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
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
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::InvalidSecret => f.write_str(
                "the webhook secret is empty or not hex-encoded; copy the subscription's secret \
                 exactly as Dixa shows it on the webhook's page",
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
/// See [`verify_at`] for the rules, and the [module documentation](self) for an example.
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
        SystemTime::now(),
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

/// The envelope common to every webhook that Dixa sends.
///
/// Fields that Dixa adds later are ignored when decoding. The event-specific part is kept as
/// JSON in [`data`](Event::data); decode it into your own type with
/// [`serde_json::from_value`] once [`event_fqn`](Event::event_fqn) has told you which event it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// The event's id (a UUID); the same event delivered twice has the same id, so use it to
    /// skip duplicates.
    pub event_id: String,
    /// The event's fully qualified name, in upper case with underscores, such as
    /// `CONVERSATION_MESSAGE_ADDED`.
    pub event_fqn: String,
    /// The version of the event's payload, such as `"1"`.
    ///
    /// Dixa documents it as a string; a JSON number is accepted too and kept as its text.
    #[serde(deserialize_with = "string_or_number")]
    pub event_version: String,
    /// When the event was emitted, as Dixa wrote it (an ISO 8601 timestamp such as
    /// `2025-09-03T07:04:08.723Z`).
    pub event_timestamp: String,
    /// The Dixa organization that owns the event.
    pub organization: Organization,
    /// The event-specific payload, whose shape depends on [`event_fqn`](Event::event_fqn).
    pub data: serde_json::Value,
}

/// The Dixa organization that a webhook event belongs to.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Organization {
    /// The organization's id.
    pub id: String,
    /// The organization's name, when Dixa sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Decodes a webhook body into an [`Event`].
///
/// Call it only after [`verify`] has accepted the same bytes: until then the content is
/// untrusted.
///
/// # Errors
///
/// The [`serde_json::Error`] if the body is not JSON or lacks one of the envelope's fields.
pub fn parse_event(raw_body: &[u8]) -> Result<Event, serde_json::Error> {
    serde_json::from_slice(raw_body)
}

/// Deserializes a value that may be a JSON string or a JSON number into its text.
fn string_or_number<'de, D>(deserializer: D) -> Result<String, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct StringOrNumber;

    impl serde::de::Visitor<'_> for StringOrNumber {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string or a number")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<String, E> {
            Ok(value.to_owned())
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<String, E> {
            Ok(value)
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<String, E> {
            Ok(value.to_string())
        }

        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<String, E> {
            Ok(value.to_string())
        }
    }

    deserializer.deserialize_any(StringOrNumber)
}

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

    const REALISTIC_PAYLOAD: &str = r#"{
        "event_id": "e578c093-3cd7-47c5-8b1d-cb6115827b94",
        "event_fqn": "CONVERSATION_MESSAGE_ADDED",
        "event_version": "1",
        "event_timestamp": "2025-09-03T07:04:08.723Z",
        "organization": {
            "id": "5f6e9e0a-3c2b-4a7e-9d51-2f0c6a1b8e11",
            "name": "Acme Støtte ApS",
            "some_future_field": true
        },
        "data": {
            "conversation": {
                "csid": 12345,
                "channel": "EMAIL",
                "status": "OPEN",
                "direction": "INBOUND",
                "created_at": "2025-09-03T07:04:08.000Z"
            },
            "author": {"name": "Anna", "email": "anna@example.com"},
            "message_id": "9d1c3b7e-2a4f-4e1b-8c6d-0f5a7b3e2d1c",
            "text": "Hej, min ordre er ikke ankommet 📦",
            "created_at": "2025-09-03T07:04:08.045Z"
        },
        "delivery_attempt": 1
    }"#;

    #[test]
    fn parse_event_decodes_a_realistic_payload() {
        let event = parse_event(REALISTIC_PAYLOAD.as_bytes()).unwrap();
        assert_eq!(event.event_id, "e578c093-3cd7-47c5-8b1d-cb6115827b94");
        assert_eq!(event.event_fqn, "CONVERSATION_MESSAGE_ADDED");
        assert_eq!(event.event_version, "1");
        assert_eq!(event.event_timestamp, "2025-09-03T07:04:08.723Z");
        assert_eq!(
            event.organization,
            Organization {
                id: "5f6e9e0a-3c2b-4a7e-9d51-2f0c6a1b8e11".to_owned(),
                name: Some("Acme Støtte ApS".to_owned()),
            }
        );
        assert_eq!(event.data["conversation"]["csid"], 12345);
        assert_eq!(event.data["text"], "Hej, min ordre er ikke ankommet 📦");

        // The event survives a round trip through serde.
        let again: Event = serde_json::from_value(serde_json::to_value(&event).unwrap()).unwrap();
        assert_eq!(again, event);
    }

    #[test]
    fn parse_event_after_verifying_the_same_bytes() {
        let body = REALISTIC_PAYLOAD.as_bytes();
        let header = sign(V1_SECRET, V1_T, body).unwrap();
        verify_at(V1_SECRET, &header, body, TOLERANCE, at(V1_T)).unwrap();
        assert_eq!(
            parse_event(body).unwrap().event_fqn,
            "CONVERSATION_MESSAGE_ADDED"
        );
    }

    #[test]
    fn parse_event_accepts_a_numeric_version_and_a_nameless_organization() {
        let body = br#"{"event_id":"x","event_fqn":"CONVERSATION_CLOSED","event_version":2,
            "event_timestamp":"2025-01-01T00:00:00Z","organization":{"id":"org"},"data":{}}"#;
        let event = parse_event(body).unwrap();
        assert_eq!(event.event_version, "2");
        assert_eq!(event.organization.name, None);
        assert_eq!(event.data, serde_json::json!({}));
        // An absent name is left out when serializing, rather than written as `null`.
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["organization"], serde_json::json!({"id": "org"}));
        assert_eq!(json["event_version"], "2");
    }

    #[test]
    fn parse_event_reports_bad_bodies() {
        assert!(parse_event(b"").is_err());
        assert!(parse_event(b"not json").is_err());
        assert!(parse_event(b"\xff\xfe").is_err());
        // Missing envelope fields.
        assert!(parse_event(br#"{"event_id":"x"}"#).is_err());
        let err = parse_event(
            br#"{"event_id":"x","event_fqn":"A","event_version":true,
                "event_timestamp":"t","organization":{"id":"o"},"data":{}}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("a string or a number"), "{err}");
    }
}
