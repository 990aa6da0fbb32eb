//! The HTTP client: configuration, authentication, sending, and turning responses into results.

use crate::runtime::error::{ApiError, DecodeError, Error, TransportError};
use crate::runtime::platform;
use crate::runtime::request::{Body, Request};
use crate::runtime::response::{Headers, ResponseMeta};
use crate::runtime::retry::{
    is_idempotent, is_retryable_status, parse_retry_after, RateLimit, RateLimiter, RetryPolicy,
};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// The default time limit for one request, connection included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of the Dixa API. Cloning is cheap: clones share one connection pool, configuration and
/// rate limiter.
///
/// ```no_run
/// # fn main() -> Result<(), dixa::Error> {
/// use std::time::Duration;
/// let client = dixa::Client::builder()
///     .api_key("my-api-key")
///     .base_url("http://127.0.0.1:4010")
///     .timeout(Duration::from_secs(10))
///     .retry(dixa::RetryPolicy::default().with_max_attempts(5))
///     .rate_limit(dixa::RateLimit::DIXA)
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    api_key: HeaderValue,
    retry: RetryPolicy,
    limiter: Option<RateLimiter>,
    on_response: Option<ResponseHook>,
    /// The builder's timeout, when the SDK built the HTTP client: fetch has no client-wide
    /// timeout, so on wasm32 it is set on each request instead.
    #[cfg(target_arch = "wasm32")]
    timeout: Option<Duration>,
}

/// A callback that sees every response, for metrics and debugging.
type ResponseHook = Arc<dyn Fn(&ResponseInfo<'_>) + Send + Sync>;

/// What a response hook sees of one response: enough to count, log or inspect headers (request ids,
/// rate-limit counters), nothing of the request's credentials or body.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// The spec's operationId.
    pub operation: &'static str,
    /// The HTTP method (`GET`).
    pub method: &'a str,
    /// The path template (`/beta/agents/{agentId}`); for a raw call, the path as given.
    pub path: &'a str,
    /// The attempt this response answers (1 for the first).
    pub attempt: u32,
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: &'a Headers,
}

impl fmt::Debug for Client {
    // The API key is a credential: it never appears in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"<redacted>")
            .field("retry", &self.inner.retry)
            .field("rate_limited", &self.inner.limiter.is_some())
            .finish()
    }
}

/// What one attempt came to.
enum Attempt {
    Done(Response),
    Failed(Error),
    /// Worth another try after waiting; the error stands if no attempt is left.
    Retry(Error, Option<Duration>),
}

impl Client {
    /// A client with the default configuration for an API key (created in Dixa under Settings ->
    /// Integrations -> API tokens).
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A builder for a client with a custom base URL, timeout, retry policy or rate limit.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, as Dixa's own CLI and MCP server are:
    /// `DIXA_API_KEY` (required) and `DIXA_BASE_URL` (optional; Dixa's server when unset).
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().from_env()?.build()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request, retrying as the policy allows, and returns the successful response or the
    /// error. Each call is one `dixa_request` tracing span with the operation, method, path template,
    /// attempt and status (never the API key, the query or the body).
    pub(crate) async fn send(&self, request: Request) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "dixa_request",
            operation = request.operation,
            method = %request.method,
            path = &*request.template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        self.send_with_retries(request).instrument(span).await
    }

    async fn send_with_retries(&self, request: Request) -> Result<Response, Error> {
        let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
        let mut attempt = 1;
        loop {
            tracing::Span::current().record("attempt", attempt);
            if let Some(limiter) = &self.inner.limiter {
                limiter.acquire().await;
            }
            match self.attempt(&request, attempt).await {
                Attempt::Done(response) => return Ok(response),
                Attempt::Failed(error) => return Err(error),
                Attempt::Retry(error, retry_after) => {
                    let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt));
                    if attempt >= policy.max_attempts || wait > policy.max_retry_after {
                        return Err(error);
                    }
                    tracing::warn!(
                        attempt,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        error = %error,
                        "retrying"
                    );
                    platform::sleep(wait).await;
                }
            }
            attempt += 1;
        }
    }

    /// Sends the request once and classifies the outcome.
    async fn attempt(&self, request: &Request, attempt: u32) -> Attempt {
        let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
        let may_repeat = policy.retry_non_idempotent || is_idempotent(&request.method);
        let builder = match self.http_request(request) {
            Ok(builder) => builder,
            Err(e) => return Attempt::Failed(e),
        };
        let transport = |source: reqwest::Error| {
            // A connection that never opened sent nothing, so any method may try again; after a
            // timeout or a broken response the request may have taken effect.
            let retryable = platform::is_connect(&source)
                || (may_repeat && (source.is_timeout() || source.is_request() || source.is_body()));
            let error = Error::Transport(TransportError::new(request.describe(), source));
            if retryable {
                Attempt::Retry(error, None)
            } else {
                Attempt::Failed(error)
            }
        };
        let mut response = match builder.send().await {
            Ok(response) => response,
            Err(e) => return transport(e),
        };
        let status = response.status().as_u16();
        tracing::Span::current().record("status", status);
        // The headers are moved out, not copied: reading the body does not need them.
        let headers = Headers::new(std::mem::take(response.headers_mut()));
        if let Some(hook) = &self.inner.on_response {
            hook(&ResponseInfo {
                operation: request.operation,
                method: request.method.as_str(),
                path: &request.template,
                attempt,
                status,
                headers: &headers,
            });
        }
        let body = match response.bytes().await {
            Ok(body) => body,
            Err(e) => return transport(e),
        };
        if (200..300).contains(&status) {
            return Attempt::Done(Response {
                status,
                headers,
                attempts: attempt,
                body,
                method: request.method.clone(),
                path: request.path.clone(),
            });
        }
        let (error, retry_after) = status_error(status, headers, &body, request.describe());
        // Dixa's 429 means the request was refused before it ran, so it is safe to repeat for any
        // method; a 5xx may come after the work was done.
        if status == 429 || (may_repeat && is_retryable_status(status)) {
            Attempt::Retry(error, retry_after)
        } else {
            Attempt::Failed(error)
        }
    }

    fn http_request(&self, request: &Request) -> Result<reqwest::RequestBuilder, Error> {
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, self.inner.api_key.clone())
            .header(ACCEPT, request.accept.unwrap_or("application/json"));
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        let timeout = request.options.timeout;
        #[cfg(target_arch = "wasm32")]
        let timeout = timeout.or(self.inner.timeout);
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        for (name, value) in &request.options.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("invalid value for header {name}")))?;
            builder = builder.header(name, value);
        }
        Ok(match &request.body {
            Body::None => builder,
            Body::Json(bytes) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Multipart(form) => builder.multipart(form.to_form()?),
            Body::Bytes {
                content_type,
                bytes,
            } => {
                let value = HeaderValue::from_str(content_type)
                    .map_err(|_| Error::Config(format!("invalid content type {content_type:?}")))?;
                builder.header(CONTENT_TYPE, value).body(bytes.clone())
            }
        })
    }
}

/// The error of a response outside 2xx, and how long Dixa asked to wait (`Retry-After`): a 429 is
/// [`Error::RateLimited`], any other status [`Error::Api`]. `dixa::testing` builds its errors here
/// too, so they are the client's own.
pub(crate) fn status_error(
    status: u16,
    headers: Headers,
    body: &[u8],
    request: String,
) -> (Error, Option<Duration>) {
    let retry_after = headers
        .get("retry-after")
        .and_then(|v| parse_retry_after(v, platform::now()));
    let api = ApiError::new(status, headers, body, request);
    let error = if status == 429 {
        Error::RateLimited {
            error: api,
            retry_after,
        }
    } else {
        Error::Api(api)
    };
    (error, retry_after)
}

/// A successful response, not yet decoded.
#[derive(Debug)]
pub(crate) struct Response {
    status: u16,
    headers: Headers,
    attempts: u32,
    body: bytes::Bytes,
    /// The request's method and path, for error messages.
    method: reqwest::Method,
    path: String,
}

/// Dixa's success envelope: `{"data": ...}`.
#[derive(serde::Deserialize)]
struct Envelope<T> {
    data: T,
}

/// Dixa's envelope for lists, which may leave out an empty `data`.
#[derive(serde::Deserialize)]
struct OptionalEnvelope<T: Default> {
    #[serde(default)]
    data: T,
}

impl Response {
    /// The status, headers and attempt count; the headers are moved out.
    pub(crate) fn take_meta(&mut self) -> ResponseMeta {
        ResponseMeta {
            status: self.status,
            headers: std::mem::take(&mut self.headers),
            attempts: self.attempts,
        }
    }

    /// Decodes the body as `T`, an empty body as JSON `null` (for raw calls, which do not know
    /// whether the operation answers with a body).
    pub(crate) fn json_or_null<T: DeserializeOwned>(self) -> Result<T, Error> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return serde_json::from_value(serde_json::Value::Null).map_err(|e| {
                Error::Decode(DecodeError::new(
                    self.status,
                    ".".to_owned(),
                    format!("the body is empty: {e}"),
                    &self.body,
                    format!("{} {}", self.method, self.path),
                ))
            });
        }
        self.decode()
    }

    /// Decodes the body as `T`.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.decode()
    }

    /// Decodes a `{"data": T}` envelope and returns `T`.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn data<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.decode::<Envelope<T>>().map(|e| e.data)
    }

    /// Decodes a `{"data": T}` envelope whose `data` may be absent, meaning empty.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn data_or_default<T: DeserializeOwned + Default>(self) -> Result<T, Error> {
        self.decode::<OptionalEnvelope<T>>().map(|e| e.data)
    }

    /// The HTTP status, by which operations with several 2xx responses pick the body's type.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// The body as text (`text/*` responses). A body that is not UTF-8 is a decode error keeping
    /// the status and the raw bytes.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn text(self) -> Result<String, Error> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => Err(Error::Decode(DecodeError::new(
                self.status,
                ".".to_owned(),
                format!("the body is not UTF-8 text: {e}"),
                &self.body,
                format!("{} {}", self.method, self.path),
            ))),
        }
    }

    /// The body's bytes (responses of any content type but JSON and text). The buffer the body
    /// was read into becomes the `Vec` without a copy when nothing else holds it.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn bytes(self) -> Result<Vec<u8>, Error> {
        Ok(Vec::from(self.body))
    }

    /// Ignores the body of a response that has none worth reading (204 and similar).
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    fn decode<T: DeserializeOwned>(self) -> Result<T, Error> {
        let request = format!("{} {}", self.method, self.path);
        decode_body(self.status, &self.body, request)
    }
}

/// Decodes a response body as `T`, or gives the decode error naming the JSON path that failed: the
/// client's decoding of every JSON answer, also what `dixa::testing` builds its values with.
pub(crate) fn decode_body<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    request: String,
) -> Result<T, Error> {
    // The fast path decodes without tracking paths; only a failure is decoded again with
    // serde_path_to_error to find where it failed, so successful calls do not pay for it.
    match serde_json::from_slice(body) {
        Ok(value) => Ok(value),
        Err(plain) => Err(decode_error::<T>(status, body, request, plain)),
    }
}

fn decode_error<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    request: String,
    plain: serde_json::Error,
) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, inner) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        // Trailing bytes after the value mean the body is not the JSON we think it is.
        Ok(_) => (".".to_owned(), plain),
        Err(e) => (e.path().to_string(), e.into_inner()),
    };
    let message = if body.iter().all(u8::is_ascii_whitespace) {
        "the body is empty".to_owned()
    } else {
        inner.to_string()
    };
    Error::Decode(DecodeError::new(status, path, message, body, request))
}

/// Configures a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: String,
    timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    rate_limit: Option<RateLimit>,
    http: Option<reqwest::Client>,
    on_response: Option<ResponseHook>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("custom_http_client", &self.http.is_some())
            .field("on_response", &self.on_response.is_some())
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            base_url: crate::DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: concat!("dixa-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            rate_limit: None,
            http: None,
            on_response: None,
        }
    }
}

impl ClientBuilder {
    /// The API key, sent as is in the `Authorization` header (Dixa expects no `Bearer` prefix).
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    /// The server to talk to instead of Dixa's (a mock server, a proxy).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The time limit for one request, connection included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The retry policy ([`RetryPolicy::default`] unless set; [`RetryPolicy::none`] disables retries).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Limits the request rate on the client side, shared by all clones of the client (for example
    /// [`RateLimit::DIXA`], Dixa's documented limit per API token).
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Reads `DIXA_API_KEY` (required) and `DIXA_BASE_URL` (optional) from the environment.
    pub fn from_env(self) -> Result<Self, Error> {
        let api_key = std::env::var("DIXA_API_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| {
                Error::Config(
                    "the environment variable DIXA_API_KEY is not set (create a key in Dixa under \
                     Settings -> Integrations -> API tokens)"
                        .to_owned(),
                )
            })?;
        let builder = self.api_key(api_key);
        Ok(match std::env::var("DIXA_BASE_URL") {
            Ok(url) if !url.trim().is_empty() => builder.base_url(url),
            _ => builder,
        })
    }

    /// Sends requests through this `reqwest::Client` (its proxy, TLS and pool settings) instead of
    /// building one. The builder's timeout and user agent then do not apply; configure them on the
    /// given client.
    ///
    /// Behind the cargo feature `custom-http-client`, because it makes reqwest's type part of the
    /// SDK's API: a reqwest upgrade in the SDK can break code that uses it, whatever the SDK's version
    /// says. The client must come from the reqwest the SDK uses, 0.13.
    #[cfg(feature = "custom-http-client")]
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Calls `hook` with every response (each attempt's), before its body is read: for metrics,
    /// logs, or headers the typed results do not carry.
    pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.on_response = Some(Arc::new(hook));
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let api_key = self
            .api_key
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Error::Config("an API key is required".to_owned()))?;
        let mut api_key = HeaderValue::from_str(api_key.trim()).map_err(|_| {
            Error::Config("the API key contains characters not allowed in a header".to_owned())
        })?;
        api_key.set_sensitive(true);
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
            _ => {
                return Err(Error::Config(format!(
                    "base URL {base_url:?} is not an http(s) URL"
                )))
            }
        }
        if self.timeout.is_zero() {
            return Err(Error::Config("the timeout must be positive".to_owned()));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::Config(
                "the retry policy must allow at least one attempt".to_owned(),
            ));
        }
        let limiter = match self.rate_limit {
            Some(limit) if !(limit.per_second > 0.0 && limit.per_second.is_finite()) || limit.burst == 0 => {
                return Err(Error::Config(format!(
                    "invalid rate limit {limit:?}: it needs a positive rate and a burst of at least 1"
                )))
            }
            Some(limit) => Some(RateLimiter::new(limit)),
            None => None,
        };
        #[cfg(target_arch = "wasm32")]
        let timeout = self.http.is_none().then_some(self.timeout);
        let http = match self.http {
            Some(http) => http,
            None => {
                let builder = reqwest::Client::builder().user_agent(self.user_agent);
                // On wasm32 the timeout goes on each request (`http_request`).
                #[cfg(not(target_arch = "wasm32"))]
                let builder = builder.timeout(self.timeout);
                builder
                    .build()
                    .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                api_key,
                retry: self.retry,
                limiter,
                on_response: self.on_response,
                #[cfg(target_arch = "wasm32")]
                timeout,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_api_key() {
        let client = Client::new("secret-key-123").unwrap();
        let debug = format!("{client:?}");
        assert!(!debug.contains("secret-key-123"), "{debug}");
        assert!(debug.contains("redacted"));
        assert_eq!(client.base_url(), crate::DEFAULT_BASE_URL);
    }

    #[test]
    fn build_validates() {
        assert!(matches!(Client::new(""), Err(Error::Config(_))));
        assert!(matches!(Client::new("bad\nkey"), Err(Error::Config(_))));
        let bad_url = Client::builder().api_key("k").base_url("ftp://x").build();
        assert!(matches!(bad_url, Err(Error::Config(_))));
        let zero = Client::builder()
            .api_key("k")
            .timeout(Duration::ZERO)
            .build();
        assert!(matches!(zero, Err(Error::Config(_))));
        let no_rate = Client::builder()
            .api_key("k")
            .rate_limit(RateLimit {
                per_second: 0.0,
                burst: 4,
            })
            .build();
        assert!(matches!(no_rate, Err(Error::Config(_))));
        #[cfg(feature = "custom-http-client")]
        assert!(Client::builder()
            .api_key("k")
            .http_client(reqwest::Client::new())
            .retry(RetryPolicy::none())
            .build()
            .is_ok());
        let debug = format!("{:?}", Client::builder().api_key("secret-builder-key"));
        assert!(!debug.contains("secret-builder-key"), "{debug}");
        let ok = Client::builder()
            .api_key("k")
            .base_url("http://127.0.0.1:4010/")
            .build()
            .unwrap();
        assert_eq!(ok.base_url(), "http://127.0.0.1:4010");
    }

    #[test]
    fn client_is_send_sync_clone() {
        fn assert_traits<T: Send + Sync + Clone + 'static>() {}
        assert_traits::<Client>();
    }

    fn response(body: &str) -> Response {
        Response {
            status: 200,
            headers: Headers::default(),
            attempts: 1,
            body: bytes::Bytes::from(body.to_owned()),
            method: reqwest::Method::GET,
            path: "/x".to_owned(),
        }
    }

    #[test]
    fn decode_errors_name_the_path_and_keep_the_body() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only decoded, to see decoding fail; never read")]
        struct Item {
            id: i32,
        }
        let err = response(r#"{"data": [{"id": 1}, {"id": "x"}]}"#)
            .data::<Vec<Item>>()
            .unwrap_err();
        let Error::Decode(e) = err else {
            panic!("not a decode error: {err:?}")
        };
        assert_eq!(e.path, "data[1].id");
        assert!(e.body.contains("\"x\""));
        let err = response("").json::<Vec<Item>>().unwrap_err();
        assert!(err.to_string().contains("the body is empty"), "{err}");
        let err = response("[] trailing").json::<Vec<Item>>().unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
    }
}
