//! [`Error`] values as failing calls give them: an API error with its status, message, body and
//! headers; rate limited with `Retry-After`; a body that does not decode; a timeout or a refused
//! connection.
//!
//! A test of a branch of your code that handles a failure builds the error here and hands it to
//! that code (through your own trait or closure in place of the client), with no HTTP server.
//!
//! ```
//! use dixa::testing::errors;
//! use dixa::{Error, ErrorKind};
//!
//! fn describe(result: Result<u32, Error>) -> String {
//!     match result {
//!         Ok(n) => format!("{n} agents"),
//!         Err(e) if e.is_not_found() => "gone".to_owned(),
//!         Err(Error::RateLimited { retry_after, .. }) => format!("later: {retry_after:?}"),
//!         Err(e) => format!("failed: {:?}", e.kind()),
//!     }
//! }
//!
//! let gone = errors::api_error(404).message("Agent not found").into_error();
//! assert_eq!(describe(Err(gone)), "gone");
//! let busy = errors::rate_limited().retry_after_secs(30).into_error();
//! assert_eq!(describe(Err(busy)), "later: Some(30s)");
//! assert_eq!(errors::timeout("GET /beta/agents").kind(), ErrorKind::Timeout);
//! ```

use crate::runtime::client::{decode_body, status_error};
use crate::runtime::error::{ApiError, DecodeError, Error, SimulatedTransport, TransportError};
use crate::runtime::response::Headers;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

/// The request an error names when a test does not say (`GET /beta/test`); the real client writes
/// the method and path there, as `GET /beta/agents/123`.
pub const DEFAULT_REQUEST: &str = "GET /beta/test";

/// An error response of Dixa with this status: [`Error::Api`], or [`Error::RateLimited`] for 429,
/// as the client classifies it. The body is empty until [`message`](ApiErrorBuilder::message) or
/// [`body`](ApiErrorBuilder::body) sets it.
///
/// ```
/// use dixa::testing::errors;
/// use dixa::{Error, ErrorKind};
///
/// let error = errors::api_error(409)
///     .message("An end user with this email already exists")
///     .header("x-request-id", "abc")
///     .request("POST /beta/endusers")
///     .into_error();
/// assert!(error.is_conflict());
/// assert_eq!(error.status(), Some(409));
/// assert_eq!(error.message(), Some("An end user with this email already exists"));
/// assert_eq!(error.headers().and_then(|h| h.get("X-Request-Id")), Some("abc"));
/// let Error::Api(api) = &error else { panic!("{error:?}") };
/// assert_eq!(api.body, r#"{"message":"An end user with this email already exists"}"#);
/// assert_eq!(api.request, "POST /beta/endusers");
/// ```
pub fn api_error(status: u16) -> ApiErrorBuilder {
    ApiErrorBuilder {
        status,
        headers: Vec::new(),
        body: Vec::new(),
        request: DEFAULT_REQUEST.to_owned(),
    }
}

/// Dixa's 429 Too Many Requests, which the client reports as [`Error::RateLimited`] once its retry
/// policy gives up; [`retry_after_secs`](ApiErrorBuilder::retry_after_secs) adds the `Retry-After`
/// header the client reads `retry_after` from.
///
/// ```
/// use dixa::testing::errors;
/// use dixa::Error;
/// use std::time::Duration;
///
/// let error = errors::rate_limited().retry_after_secs(2).into_error();
/// assert!(error.is_rate_limited());
/// assert!(matches!(
///     error,
///     Error::RateLimited { retry_after: Some(wait), .. } if wait == Duration::from_secs(2)
/// ));
/// // Without the header, Dixa did not say how long to wait.
/// let error = errors::rate_limited().into_error();
/// assert!(matches!(error, Error::RateLimited { retry_after: None, .. }));
/// ```
pub fn rate_limited() -> ApiErrorBuilder {
    api_error(429)
}

/// An error response being built; see [`api_error`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `into_error` or `build`"]
pub struct ApiErrorBuilder {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    request: String,
}

impl ApiErrorBuilder {
    /// Dixa's error body, `{"message": "<message>"}`, sent as `application/json`; the error's
    /// [`message`](Error::message) reads it back as the client does.
    pub fn message(self, message: &str) -> Self {
        let body = serde_json::json!({ "message": message }).to_string();
        self.body(body).header("content-type", "application/json")
    }

    /// The raw body, exactly as a server sent it (an HTML error page, JSON of any shape). The
    /// error's message is read from it as the client reads it: a JSON object's `message`, if any.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Adds a response header; a header may be added several times. Names are case-insensitive,
    /// as in [`Headers`]. A header no server could send (a name with a space, a value with a line
    /// break) is left out, as the HTTP client would not read it either.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds `Retry-After: <seconds>`, which the client reads into
    /// [`Error::RateLimited`]'s `retry_after` for a 429.
    pub fn retry_after_secs(self, seconds: u64) -> Self {
        self.header("retry-after", &seconds.to_string())
    }

    /// The method and path the error names, as `GET /beta/agents/123` (else [`DEFAULT_REQUEST`]).
    pub fn request(mut self, request: impl Into<String>) -> Self {
        self.request = request.into();
        self
    }

    /// The [`ApiError`] of the response.
    pub fn build(self) -> ApiError {
        let headers = self.headers();
        ApiError::new(self.status, headers, &self.body, self.request)
    }

    /// The [`Error`] a call gets for the response: [`Error::RateLimited`] for 429 (with the wait
    /// of its `Retry-After` header), else [`Error::Api`].
    pub fn into_error(self) -> Error {
        let headers = self.headers();
        status_error(self.status, headers, &self.body, self.request).0
    }

    fn headers(&self) -> Headers {
        let mut map = HeaderMap::new();
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                map.append(name, value);
            }
        }
        Headers::new(map)
    }
}

impl From<ApiErrorBuilder> for Error {
    fn from(builder: ApiErrorBuilder) -> Self {
        builder.into_error()
    }
}

/// A success response (status 200) whose body does not match the expected type, failing at `path`
/// (a JSON path as the client writes it: `data[3].channel`, `.` for the root) for the reason
/// `message`. [`decode_as`] finds the path and message by decoding, as the client does.
///
/// ```
/// use dixa::testing::errors;
/// use dixa::{Error, ErrorKind};
///
/// let error = errors::decode_error("data.channel", "unknown variant `Fax`", r#"{"data":{"channel":"Fax"}}"#)
///     .request("GET /beta/conversations/1")
///     .into_error();
/// assert_eq!(error.kind(), ErrorKind::Decode);
/// let Error::Decode(decode) = &error else { panic!("{error:?}") };
/// assert_eq!(decode.path, "data.channel");
/// assert_eq!(decode.raw_body(), br#"{"data":{"channel":"Fax"}}"#);
/// ```
pub fn decode_error(
    path: impl Into<String>,
    message: impl Into<String>,
    body: impl Into<Vec<u8>>,
) -> DecodeErrorBuilder {
    DecodeErrorBuilder {
        status: 200,
        path: path.into(),
        message: message.into(),
        body: body.into(),
        request: DEFAULT_REQUEST.to_owned(),
    }
}

/// A decode error being built; see [`decode_error`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `into_error` or `build`"]
pub struct DecodeErrorBuilder {
    status: u16,
    path: String,
    message: String,
    body: Vec<u8>,
    request: String,
}

impl DecodeErrorBuilder {
    /// The success status the body came with (else 200).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The method and path the error names (else [`DEFAULT_REQUEST`]).
    pub fn request(mut self, request: impl Into<String>) -> Self {
        self.request = request.into();
        self
    }

    /// The [`DecodeError`].
    pub fn build(self) -> DecodeError {
        DecodeError::new(
            self.status,
            self.path,
            self.message,
            &self.body,
            self.request,
        )
    }

    /// The [`Error::Decode`] a call gets.
    pub fn into_error(self) -> Error {
        Error::Decode(self.build())
    }
}

impl From<DecodeErrorBuilder> for Error {
    fn from(builder: DecodeErrorBuilder) -> Self {
        builder.into_error()
    }
}

/// Decodes `body` as a 200 response of type `T` with the client's own decoder: the value, or the
/// [`Error::Decode`] a call would get, with the JSON path where decoding failed and the serde
/// message. Operations that answer `{"data": ...}` decode that envelope: see [`decode_data_as`].
///
/// ```
/// use dixa::testing::errors;
/// use dixa::Error;
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Agent { id: String }
///
/// let error = errors::decode_as::<Vec<Agent>>(r#"[{"id":"a"},{"id":7}]"#).unwrap_err();
/// let Error::Decode(decode) = &error else { panic!("{error:?}") };
/// assert_eq!(decode.path, "[1].id");
/// assert!(decode.message.starts_with("invalid type: integer `7`"), "{}", decode.message);
/// assert_eq!(errors::decode_as::<Vec<Agent>>("[]").unwrap().len(), 0);
/// ```
pub fn decode_as<T: DeserializeOwned>(body: impl AsRef<[u8]>) -> Result<T, Error> {
    decode_body(200, body.as_ref(), DEFAULT_REQUEST.to_owned())
}

/// Decodes `body` as a 200 response in Dixa's envelope, `{"data": T}`, as operations that return
/// `data` do: the `data`, or the [`Error::Decode`] a call would get (its path starts at the
/// envelope, `data[0].id`).
///
/// ```
/// use dixa::testing::errors;
/// use dixa::{models::Agent, Error};
///
/// let error = errors::decode_data_as::<Vec<Agent>>(r#"{"data":[{"id":1}]}"#).unwrap_err();
/// let Error::Decode(decode) = &error else { panic!("{error:?}") };
/// assert_eq!(decode.path, "data[0].id");
/// ```
pub fn decode_data_as<T: DeserializeOwned>(body: impl AsRef<[u8]>) -> Result<T, Error> {
    #[derive(serde::Deserialize)]
    struct Envelope<T> {
        data: T,
    }
    decode_body::<Envelope<T>>(200, body.as_ref(), DEFAULT_REQUEST.to_owned()).map(|e| e.data)
}

/// The request timed out: [`Error::Transport`] whose [`is_timeout`](TransportError::is_timeout)
/// holds, of kind [`ErrorKind::Timeout`](crate::ErrorKind::Timeout). `request` is the method and
/// path, as `GET /beta/agents`.
///
/// ```
/// use dixa::testing::errors;
/// use dixa::Error;
///
/// let error = errors::timeout("GET /beta/agents");
/// assert!(error.is_timeout() && !error.is_connect());
/// assert!(matches!(&error, Error::Transport(t) if t.is_timeout() && t.request == "GET /beta/agents"));
/// assert_eq!(error.status(), None);
/// ```
pub fn timeout(request: impl Into<String>) -> Error {
    transport(
        request,
        true,
        false,
        "error sending request: operation timed out",
    )
}

/// No connection could be made (the request did not reach Dixa): [`Error::Transport`] whose
/// [`is_connect`](TransportError::is_connect) holds, of kind
/// [`ErrorKind::Connect`](crate::ErrorKind::Connect).
///
/// ```
/// use dixa::testing::errors;
/// use dixa::ErrorKind;
///
/// let error = errors::connect("POST /beta/conversations");
/// assert_eq!(error.kind(), ErrorKind::Connect);
/// assert!(error.to_string().starts_with("POST /beta/conversations failed: "));
/// ```
pub fn connect(request: impl Into<String>) -> Error {
    transport(
        request,
        false,
        true,
        "error sending request: client error (Connect): tcp connect error: Connection refused",
    )
}

/// A simulated transport failure. Its text is reqwest's for the same failure, less what only a real
/// request has (the URL, the operating system's error number), so logs and messages read alike.
fn transport(request: impl Into<String>, timeout: bool, connect: bool, message: &str) -> Error {
    Error::Transport(TransportError::simulated(
        request.into(),
        SimulatedTransport {
            timeout,
            connect,
            message: message.to_owned(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::error::ErrorKind;

    #[test]
    fn simulated_transport_errors_answer_like_reqwest_s() {
        let timeout = timeout("GET /x");
        let Error::Transport(t) = &timeout else {
            panic!("{timeout:?}")
        };
        assert!(t.is_timeout() && !t.is_connect());
        assert_eq!(timeout.kind(), ErrorKind::Timeout);
        let source = std::error::Error::source(t).map(ToString::to_string);
        assert_eq!(
            source.as_deref(),
            Some("error sending request: operation timed out")
        );
        let connect = connect("GET /x");
        assert_eq!(connect.kind(), ErrorKind::Connect);
        assert!(!connect.is_timeout());
    }

    #[test]
    fn a_429_is_rate_limited_and_reads_its_retry_after() {
        let error = rate_limited().retry_after_secs(3).into_error();
        assert!(matches!(
            error,
            Error::RateLimited { retry_after: Some(wait), .. } if wait.as_secs() == 3
        ));
        let api = rate_limited().message("slow down").build();
        assert_eq!(
            (api.status, api.message.as_deref()),
            (429, Some("slow down"))
        );
    }

    #[test]
    fn a_header_no_server_could_send_is_left_out() {
        let error = api_error(400)
            .header("bad name", "v")
            .header("x-ok", "line\nbreak")
            .header("x-ok", "kept")
            .build();
        assert_eq!(error.headers.len(), 1);
        assert_eq!(error.headers.get("x-ok"), Some("kept"));
    }
}
