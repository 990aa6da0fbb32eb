//! The SDK's error type: every failure of a call is one [`Error`], which keeps what a caller needs to
//! act on it (the HTTP status, Dixa's message, the raw body, the JSON path of a decode failure).

use crate::runtime::response::Headers;
use std::fmt;

/// Why a call failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Dixa answered with a status outside 2xx (429 is [`Error::RateLimited`]).
    Api(ApiError),
    /// Dixa answered 429 Too Many Requests, and the retry policy allowed no further attempt.
    RateLimited {
        /// The response.
        error: ApiError,
        /// How long Dixa asked to wait (`Retry-After`), when it said.
        retry_after: Option<std::time::Duration>,
    },
    /// A successful response's body did not match the expected type.
    Decode(DecodeError),
    /// The request could not be sent or the response not read: connection refused, TLS failure,
    /// timeout.
    Transport(TransportError),
    /// A request body or parameter could not be encoded.
    Encode(serde_json::Error),
    /// The client or the call is configured wrongly (missing API key, invalid base URL or header).
    Config(String),
    /// The call's total deadline (the request builder's `deadline`, else the client's) passed
    /// before an attempt succeeded: it keeps how many attempts were made and the last one's error.
    Deadline(DeadlineError),
}

/// What kind of failure an [`Error`] is, for deciding what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: Dixa refused the request as malformed or invalid.
    BadRequest,
    /// 401: the API key is missing, wrong or revoked.
    Unauthorized,
    /// 403: the API key may not do this.
    Forbidden,
    /// 404: the resource does not exist.
    NotFound,
    /// 409: the request conflicts with the resource's state (a duplicate, for example).
    Conflict,
    /// 422: the request is well-formed but its content is not acceptable.
    Unprocessable,
    /// 429: too many requests, still after the retry policy's attempts.
    RateLimited,
    /// 5xx: Dixa failed.
    Server,
    /// Another status outside 2xx.
    OtherStatus,
    /// A successful response did not decode into the expected type.
    Decode,
    /// The request timed out.
    Timeout,
    /// No connection could be made.
    Connect,
    /// Another failure to send the request or read the response.
    Transport,
    /// A parameter or body could not be encoded.
    Encode,
    /// The client or the call is configured wrongly.
    Config,
    /// The call's total deadline passed, across all its attempts and the pauses between them.
    Deadline,
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api(e) => match e.status {
                400 => ErrorKind::BadRequest,
                401 => ErrorKind::Unauthorized,
                403 => ErrorKind::Forbidden,
                404 => ErrorKind::NotFound,
                409 => ErrorKind::Conflict,
                422 => ErrorKind::Unprocessable,
                429 => ErrorKind::RateLimited,
                500..=599 => ErrorKind::Server,
                _ => ErrorKind::OtherStatus,
            },
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Decode(_) => ErrorKind::Decode,
            Error::Transport(e) if e.is_timeout() => ErrorKind::Timeout,
            Error::Transport(e) if e.is_connect() => ErrorKind::Connect,
            Error::Transport(_) => ErrorKind::Transport,
            Error::Encode(_) => ErrorKind::Encode,
            Error::Config(_) => ErrorKind::Config,
            Error::Deadline(_) => ErrorKind::Deadline,
        }
    }

    /// Whether Dixa answered 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.kind() == ErrorKind::NotFound
    }

    /// Whether Dixa answered 409 Conflict.
    pub fn is_conflict(&self) -> bool {
        self.kind() == ErrorKind::Conflict
    }

    /// Whether Dixa answered 401 or 403: the API key is wrong or may not do this.
    pub fn is_auth(&self) -> bool {
        matches!(self.kind(), ErrorKind::Unauthorized | ErrorKind::Forbidden)
    }

    /// Whether Dixa answered 400 or 422: the request itself must change.
    pub fn is_invalid_request(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::BadRequest | ErrorKind::Unprocessable
        )
    }

    /// Whether Dixa answered 429 and the retry policy gave up.
    pub fn is_rate_limited(&self) -> bool {
        self.kind() == ErrorKind::RateLimited
    }

    /// Whether Dixa answered with a 5xx status.
    pub fn is_server_error(&self) -> bool {
        self.kind() == ErrorKind::Server
    }

    /// Whether the request timed out: an attempt ran past its timeout, or the call's total
    /// deadline passed ([`ErrorKind::Deadline`]; [`Error::is_deadline`] tells the two apart).
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind(), ErrorKind::Timeout | ErrorKind::Deadline)
    }

    /// Whether the call's total deadline passed before an attempt succeeded.
    pub fn is_deadline(&self) -> bool {
        self.kind() == ErrorKind::Deadline
    }

    /// Whether the request failed to connect, so it certainly did not reach Dixa.
    pub fn is_connect(&self) -> bool {
        self.kind() == ErrorKind::Connect
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport(_) | Error::Encode(_) | Error::Config(_) | Error::Deadline(_) => None,
        }
    }

    /// The headers of the error response, when there was one.
    pub fn headers(&self) -> Option<&Headers> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(&e.headers),
            _ => None,
        }
    }

    /// The raw response body, when there was one.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(&e.body),
            Error::Decode(e) => Some(&e.body),
            _ => None,
        }
    }

    /// Dixa's `message`, when the error response had one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => e.message.as_deref(),
            _ => None,
        }
    }
}

/// A call whose total deadline passed before one of its attempts succeeded. The deadline covers
/// every attempt, the rate limiter's waits and the pauses between retries; a retry whose pause
/// would end past it is not started.
#[derive(Debug)]
#[non_exhaustive]
pub struct DeadlineError {
    /// The HTTP method and path of the request.
    pub request: String,
    /// The deadline that passed, as it was set.
    pub deadline: std::time::Duration,
    /// How many attempts were started (the one the deadline cut short included; 0 when the
    /// deadline passed while waiting for the rate limiter before the first).
    pub attempts: u32,
    /// The error of the last attempt that ended, when one did (a timeout, a 503, ...); `None` when
    /// the deadline cut the first attempt short.
    pub last_error: Option<Box<Error>>,
}

impl fmt::Display for DeadlineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} did not succeed within its deadline of {} s ({} attempt{})",
            self.request,
            self.deadline.as_secs_f64(),
            self.attempts,
            if self.attempts == 1 { "" } else { "s" }
        )?;
        match &self.last_error {
            Some(error) => write!(f, "; the last error: {error}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for DeadlineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.last_error
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A request that could not be sent, or whose response could not be read. The underlying error is
/// its [`source`](std::error::Error::source), typed only as `dyn Error`, so the HTTP library under
/// the SDK is not part of its API.
#[derive(Debug)]
pub struct TransportError {
    /// The HTTP method and path of the request.
    pub request: String,
    source: TransportSource,
}

/// What a [`TransportError`] wraps. reqwest's errors cannot be built outside reqwest, so the
/// failures `dixa::testing` makes for unit tests carry their kind themselves; everything a caller
/// can see (`is_timeout`, `is_connect`, `kind`, the message) reads the same for both.
#[derive(Debug)]
enum TransportSource {
    /// The HTTP client's own error: every failure of a real request.
    Http(reqwest::Error),
    /// A failure made by `dixa::testing` for a unit test.
    #[cfg(feature = "testing")]
    Simulated(SimulatedTransport),
}

/// The cause of a [`TransportError`] made by `dixa::testing`: the kind of failure and the text a
/// real one shows.
#[cfg(feature = "testing")]
#[derive(Debug)]
pub(crate) struct SimulatedTransport {
    pub(crate) timeout: bool,
    pub(crate) connect: bool,
    pub(crate) message: String,
}

#[cfg(feature = "testing")]
impl fmt::Display for SimulatedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(feature = "testing")]
impl std::error::Error for SimulatedTransport {}

impl TransportError {
    pub(crate) fn new(request: String, source: reqwest::Error) -> Self {
        Self {
            request,
            source: TransportSource::Http(source),
        }
    }

    /// A transport failure that no request caused, for `dixa::testing`.
    #[cfg(feature = "testing")]
    pub(crate) fn simulated(request: String, source: SimulatedTransport) -> Self {
        Self {
            request,
            source: TransportSource::Simulated(source),
        }
    }

    /// Whether the request timed out (it may have reached Dixa).
    pub fn is_timeout(&self) -> bool {
        match &self.source {
            TransportSource::Http(e) => e.is_timeout(),
            #[cfg(feature = "testing")]
            TransportSource::Simulated(e) => e.timeout,
        }
    }

    /// Whether no connection could be made (the request did not reach Dixa). Always `false` on
    /// wasm32, where fetch does not tell a refused connection from other failures.
    pub fn is_connect(&self) -> bool {
        match &self.source {
            TransportSource::Http(e) => crate::runtime::platform::is_connect(e),
            #[cfg(feature = "testing")]
            TransportSource::Simulated(e) => e.connect,
        }
    }

    /// The underlying error, as [`source`](std::error::Error::source) shows it.
    fn cause(&self) -> &(dyn std::error::Error + 'static) {
        match &self.source {
            TransportSource::Http(e) => e,
            #[cfg(feature = "testing")]
            TransportSource::Simulated(e) => e,
        }
    }

    /// Whether the request failed while being sent, or its response while being read: it may have
    /// taken effect, so only a request safe to repeat is retried.
    pub(crate) fn may_have_been_sent(&self) -> bool {
        match &self.source {
            TransportSource::Http(e) => e.is_timeout() || e.is_request() || e.is_body(),
            // A simulated failure (a layer may return one) was sent unless it never connected.
            #[cfg(feature = "testing")]
            TransportSource::Simulated(e) => !e.connect,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = self.cause();
        write!(f, "{} failed: {}", self.request, source)?;
        // reqwest's own message omits the root cause ("error sending request"); show it.
        let mut cause = source.source();
        while let Some(inner) = cause {
            write!(f, ": {inner}")?;
            cause = inner.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.cause())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::RateLimited { error, retry_after } => {
                write!(f, "rate limited: {error}")?;
                match retry_after {
                    Some(wait) => write!(f, " (Dixa asks to wait {} s)", wait.as_secs_f64()),
                    None => Ok(()),
                }
            }
            Error::Decode(e) => e.fmt(f),
            Error::Transport(e) => e.fmt(f),
            Error::Encode(e) => write!(f, "could not encode the request: {e}"),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
            Error::Deadline(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Encode(e) => Some(e),
            Error::Deadline(e) => Some(e),
            _ => None,
        }
    }
}

/// Dixa answered with an error status. Its body is usually `{"message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status code.
    pub status: u16,
    /// Dixa's `message`, when the body has one.
    pub message: Option<String>,
    /// The raw response body (lossily decoded as UTF-8).
    pub body: String,
    /// The HTTP method and path of the request (`GET /beta/agents/123`).
    pub request: String,
    /// The response headers.
    pub headers: Headers,
}

impl ApiError {
    /// Builds the error from a response, reading Dixa's `message` from the body when it is JSON.
    pub(crate) fn new(status: u16, headers: Headers, body: &[u8], request: String) -> Self {
        #[derive(serde::Deserialize)]
        struct Message {
            message: String,
        }
        let message = serde_json::from_slice::<Message>(body)
            .ok()
            .map(|m| m.message);
        Self {
            status,
            message,
            body: String::from_utf8_lossy(body).into_owned(),
            request,
            headers,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        write!(f, "{} answered {} {reason}", self.request, self.status)?;
        match &self.message {
            Some(message) => write!(f, ": {message}"),
            None if self.body.trim().is_empty() => Ok(()),
            None => write!(f, ": {}", excerpt(&self.body)),
        }
    }
}

impl std::error::Error for ApiError {}

/// A success response whose body does not match the expected type (JSON of another shape, or text
/// that is not UTF-8).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status code.
    pub status: u16,
    /// Where in the body decoding failed, as a JSON path (`data[3].channel`); `.` for the root.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The raw response body (lossily decoded as UTF-8; [`raw_body`](Self::raw_body) has its bytes).
    pub body: String,
    /// The HTTP method and path of the request.
    pub request: String,
    /// The body's bytes when they are not UTF-8 (else `body` holds them unchanged). Boxed and kept
    /// only then, so an `Error` stays small.
    raw: Option<Box<[u8]>>,
}

impl DecodeError {
    pub(crate) fn new(
        status: u16,
        path: String,
        message: String,
        raw: &[u8],
        request: String,
    ) -> Self {
        let (body, raw) = match std::str::from_utf8(raw) {
            Ok(text) => (text.to_owned(), None),
            Err(_) => (String::from_utf8_lossy(raw).into_owned(), Some(raw.into())),
        };
        Self {
            status,
            path,
            message,
            body,
            request,
            raw,
        }
    }

    /// The response body's bytes as received, also when they are not UTF-8 (a `text/*` answer in
    /// another encoding, bytes where JSON was expected).
    pub fn raw_body(&self) -> &[u8] {
        self.raw.as_deref().unwrap_or(self.body.as_bytes())
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} answered {} with a body that does not match the expected type at `{}`: {}",
            self.request, self.status, self.path, self.message
        )
    }
}

impl std::error::Error for DecodeError {}

/// The start of a long body, for messages.
fn excerpt(body: &str) -> String {
    const MAX: usize = 200;
    let body = body.trim();
    if body.len() <= MAX {
        return body.to_owned();
    }
    let mut end = MAX;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &body[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_show_status_message_and_request() {
        let e = ApiError::new(
            404,
            Headers::default(),
            br#"{"message":"Agent not found"}"#,
            "GET /beta/agents/1".into(),
        );
        assert_eq!(e.message.as_deref(), Some("Agent not found"));
        assert_eq!(
            e.to_string(),
            "GET /beta/agents/1 answered 404 Not Found: Agent not found"
        );
    }

    #[test]
    fn non_json_bodies_are_kept_and_shown() {
        let e = ApiError::new(
            502,
            Headers::default(),
            b"<html>Bad gateway</html>",
            "GET /x".into(),
        );
        assert_eq!(e.message, None);
        assert_eq!(e.body, "<html>Bad gateway</html>");
        assert!(e.to_string().contains("<html>Bad gateway</html>"));
        let err = Error::Api(e);
        assert_eq!(err.status(), Some(502));
        assert_eq!(err.kind(), ErrorKind::Server);
        assert!(err.is_server_error() && !err.is_not_found());
        assert_eq!(err.body(), Some("<html>Bad gateway</html>"));
    }

    #[test]
    fn decode_errors_keep_the_raw_bytes_of_a_body_that_is_not_utf8() {
        let e = DecodeError::new(200, ".".into(), "m".into(), b"caf\xe9", "GET /x".into());
        assert_eq!(e.body, "caf\u{fffd}");
        assert_eq!(e.raw_body(), b"caf\xe9");
        let e = DecodeError::new(
            200,
            ".".into(),
            "m".into(),
            "café".as_bytes(),
            "GET /x".into(),
        );
        assert_eq!(e.raw_body(), "café".as_bytes());
        assert_eq!(e.body, "café");
    }

    #[test]
    fn long_bodies_are_shortened_in_messages() {
        let body = "é".repeat(300);
        let e = ApiError::new(500, Headers::default(), body.as_bytes(), "GET /x".into());
        assert!(e.to_string().ends_with("..."));
        assert_eq!(e.body, body);
    }
}
