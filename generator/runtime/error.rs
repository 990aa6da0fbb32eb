//! The SDK's error type: every failure of a call is one [`Error`], which keeps what a caller needs to
//! act on it (the HTTP status, Dixa's message, the raw body, the JSON path of a decode failure).

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
    Transport {
        /// The HTTP method and path of the request.
        request: String,
        /// The underlying error; [`reqwest::Error::is_timeout`] tells timeouts apart.
        source: reqwest::Error,
    },
    /// A request body or parameter could not be encoded.
    Encode(serde_json::Error),
    /// The client is configured wrongly (missing API key, invalid base URL).
    Config(String),
}

impl Error {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::RateLimited { error: e, .. } => Some(e.status),
            Error::Decode(e) => Some(e.status),
            Error::Transport { source, .. } => source.status().map(|s| s.as_u16()),
            Error::Encode(_) | Error::Config(_) => None,
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

    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport { source, .. } if source.is_timeout())
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
            Error::Transport { request, source } => {
                write!(f, "{request} failed: {source}")?;
                // reqwest's own message omits the root cause ("error sending request"); show it.
                let mut cause = std::error::Error::source(source);
                while let Some(inner) = cause {
                    write!(f, ": {inner}")?;
                    cause = inner.source();
                }
                Ok(())
            }
            Error::Encode(e) => write!(f, "could not encode the request: {e}"),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Encode(e) => Some(e),
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
}

impl ApiError {
    /// Builds the error from a response, reading Dixa's `message` from the body when it is JSON.
    pub fn new(status: u16, body: &[u8], request: String) -> Self {
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

/// A success response whose body does not match the expected type.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The HTTP status code.
    pub status: u16,
    /// Where in the body decoding failed, as a JSON path (`data[3].channel`); `.` for the root.
    pub path: String,
    /// What was wrong there.
    pub message: String,
    /// The raw response body (lossily decoded as UTF-8).
    pub body: String,
    /// The HTTP method and path of the request.
    pub request: String,
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
        let e = ApiError::new(502, b"<html>Bad gateway</html>", "GET /x".into());
        assert_eq!(e.message, None);
        assert_eq!(e.body, "<html>Bad gateway</html>");
        assert!(e.to_string().contains("<html>Bad gateway</html>"));
        let err = Error::Api(e);
        assert_eq!(err.status(), Some(502));
        assert_eq!(err.body(), Some("<html>Bad gateway</html>"));
    }

    #[test]
    fn long_bodies_are_shortened_in_messages() {
        let body = "é".repeat(300);
        let e = ApiError::new(500, body.as_bytes(), "GET /x".into());
        assert!(e.to_string().ends_with("..."));
        assert_eq!(e.body, body);
    }
}
