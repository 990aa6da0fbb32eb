//! The HTTP client: configuration, authentication, sending, and turning responses into results.

use crate::runtime::error::{ApiError, DeadlineError, DecodeError, Error, ErrorKind};
use crate::runtime::middleware::{HttpBody, HttpRequest, HttpResponse, HttpService, LayerFn};
use crate::runtime::platform;
use crate::runtime::request::{Body, Request};
use crate::runtime::response::{Headers, ResponseMeta};
use crate::runtime::retry::{
    is_idempotent, is_retryable_status, parse_retry_after, Deadline, RateLimit, RateLimiter,
    RetryPolicy,
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
/// Its `tracing` spans follow OpenTelemetry's HTTP client conventions, one span per physical
/// request: each call is a `dixa_request` span (`otel.kind = "internal"`, `otel.name` its
/// operationId, `dixa.operation`, `http.request.method`, `url.template`, `dixa.attempts`) and each
/// attempt a `dixa_attempt` child span (`otel.kind = "client"`, `otel.name` such as
/// `GET /beta/agents/{agentId}`, `server.address`, `server.port`, `url.full` with query values
/// redacted, `http.request.resend_count` from the second attempt, `http.response.status_code`). A
/// failed span has `otel.status_code = "ERROR"` and `error.type` (the status code, or `timeout`,
/// `connect`, `transport`...). The API key, query values and bodies are never recorded.
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
    /// The user's layers around the network, or the network alone.
    service: HttpService,
    base_url: String,
    /// The base URL without credentials, host and port, for traces.
    traced_base: String,
    server_address: String,
    server_port: u16,
    api_key: HeaderValue,
    retry: RetryPolicy,
    /// The total time limit of each call, unless the call sets its own.
    deadline: Option<Duration>,
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
    /// error.
    ///
    /// Tracing follows OpenTelemetry's HTTP client conventions, with one span per physical request
    /// as they recommend: the call is a `dixa_request` span (kind internal, named by its
    /// operationId through `otel.name`) that holds the rate limiter's waits, the backoff between
    /// attempts and its retry warnings, and each attempt is a `dixa_attempt` child span (kind
    /// client, named `{METHOD} {url.template}`) with `http.request.method`, `url.template`,
    /// `server.address`, `server.port`, `url.full` (query values redacted), from the second attempt
    /// on `http.request.resend_count`, then `http.response.status_code`, and on failure
    /// `error.type` and `otel.status_code = "ERROR"`. Both carry `dixa.operation`; the call span
    /// records `dixa.attempts` and its own outcome. Never the API key, a query value or a body.
    pub(crate) async fn send(&self, request: Request) -> Result<Response, Error> {
        let span = tracing::info_span!(
            "dixa_request",
            otel.name = request.operation,
            otel.kind = "internal",
            otel.status_code = tracing::field::Empty,
            dixa.operation = request.operation,
            http.request.method = request.method.as_str(),
            url.template = &*request.template,
            dixa.attempts = tracing::field::Empty,
            "error.type" = tracing::field::Empty,
        );
        let result = self
            .send_with_retries(request)
            .instrument(span.clone())
            .await;
        if let Err(error) = &result {
            record_error(&span, error);
        }
        result
    }

    async fn send_with_retries(&self, request: Request) -> Result<Response, Error> {
        let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
        let deadline = request
            .options
            .deadline
            .or(self.inner.deadline)
            .map(Deadline::start);
        // The error of the last attempt that ended, which a deadline error keeps.
        let mut last_error = None;
        let mut attempt = 1;
        loop {
            tracing::Span::current().record("dixa.attempts", attempt);
            if let Some(limiter) = &self.inner.limiter {
                match &deadline {
                    Some(d) => {
                        if d.run(limiter.acquire()).await.is_none() {
                            return Err(expired(deadline, &request, attempt - 1, last_error));
                        }
                    }
                    None => limiter.acquire().await,
                }
            }
            let span = self.attempt_span(&request, attempt);
            let sent = self.attempt(&request, attempt).instrument(span.clone());
            let outcome = match &deadline {
                Some(deadline) => deadline.run(sent).await,
                None => Some(sent.await),
            };
            let Some(outcome) = outcome else {
                let error = expired(deadline, &request, attempt, last_error);
                record_error(&span, &error);
                return Err(error);
            };
            match outcome {
                Attempt::Done(response) => return Ok(response),
                Attempt::Failed(error) => {
                    record_error(&span, &error);
                    return Err(error);
                }
                Attempt::Retry(error, retry_after) => {
                    record_error(&span, &error);
                    drop(span);
                    let wait = retry_after.unwrap_or_else(|| policy.backoff(attempt));
                    if attempt >= policy.max_attempts || wait > policy.max_retry_after {
                        return Err(error);
                    }
                    // A retry that would start when the deadline has passed is not worth the
                    // wait: the call ends now, with what it knows.
                    if deadline.is_some_and(|d| wait >= d.remaining()) {
                        return Err(expired(deadline, &request, attempt, Some(error)));
                    }
                    tracing::warn!(
                        attempt,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        error = %error,
                        "retrying"
                    );
                    last_error = Some(error);
                    platform::sleep(wait).await;
                }
            }
            attempt += 1;
        }
    }

    /// The span of one physical request, a child of the call's span.
    fn attempt_span(&self, request: &Request, attempt: u32) -> tracing::Span {
        let method = request.method.as_str();
        let span = tracing::info_span!(
            "dixa_attempt",
            otel.name = format_args!("{method} {}", request.template),
            otel.kind = "client",
            otel.status_code = tracing::field::Empty,
            dixa.operation = request.operation,
            http.request.method = method,
            url.template = &*request.template,
            server.address = &*self.inner.server_address,
            server.port = self.inner.server_port,
            url.full = tracing::field::Empty,
            http.request.resend_count = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            "error.type" = tracing::field::Empty,
        );
        // The full URL is written only for a subscriber that wants the span: it costs a string.
        if !span.is_disabled() {
            span.record("url.full", self.traced_url(request).as_str());
            if attempt > 1 {
                span.record("http.request.resend_count", attempt - 1);
            }
        }
        span
    }

    /// The URL for traces: the base URL without credentials, the path, and the query's names with
    /// their values redacted (a filter such as an email address is personal data).
    fn traced_url(&self, request: &Request) -> String {
        let mut url = format!("{}{}", self.inner.traced_base, request.path);
        for (i, (name, _)) in request.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&crate::runtime::request::encode_segment(name));
            url.push_str("=REDACTED");
        }
        url
    }

    /// Sends the request once, through the user's layers, and classifies the outcome.
    async fn attempt(&self, request: &Request, attempt: u32) -> Attempt {
        let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
        let may_repeat = policy.retry_non_idempotent || is_idempotent(&request.method);
        let http_request = match self.http_request(request) {
            Ok(http_request) => http_request,
            Err(e) => return Attempt::Failed(e),
        };
        let response = match self.inner.service.send(http_request).await {
            Ok(response) => response,
            Err(Error::Transport(mut e)) => {
                // A connection that never opened sent nothing, so any method may try again; after
                // a timeout or a broken response the request may have taken effect.
                let retryable = e.is_connect() || (may_repeat && e.may_have_been_sent());
                e.request = request.describe();
                let error = Error::Transport(e);
                return if retryable {
                    Attempt::Retry(error, None)
                } else {
                    Attempt::Failed(error)
                };
            }
            // A layer's own error ends the call: the SDK cannot know whether repeating is safe.
            Err(e) => return Attempt::Failed(e),
        };
        let HttpResponse {
            status,
            headers,
            body,
        } = response;
        tracing::Span::current().record("http.response.status_code", status);
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

    /// The attempt as the layers see it: URL, the API key and every header, the body.
    fn http_request(&self, request: &Request) -> Result<HttpRequest, Error> {
        // On wasm32 the HTTP client has no timeout of its own (fetch has none), so each request
        // carries the builder's unless the call sets one.
        #[cfg(target_arch = "wasm32")]
        let timeout = request.options.timeout.or(self.inner.timeout);
        #[cfg(not(target_arch = "wasm32"))]
        let timeout = request.options.timeout;
        let mut url = reqwest::Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|e| {
                Error::Config(format!(
                    "invalid request URL for {}: {e}",
                    request.describe()
                ))
            })?;
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(k, v)| (&**k, v.as_str())));
        }
        let mut headers =
            reqwest::header::HeaderMap::with_capacity(4 + request.options.headers.len());
        headers.insert(AUTHORIZATION, self.inner.api_key.clone());
        let accept = request.accept.unwrap_or("application/json");
        let accept = HeaderValue::from_str(accept)
            .map_err(|_| Error::Config(format!("invalid Accept header {accept:?}")))?;
        headers.insert(ACCEPT, accept);
        for (name, value) in &request.options.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::Config(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(value)
                .map_err(|_| Error::Config(format!("invalid value for header {name}")))?;
            headers.append(name, value);
        }
        let body = match &request.body {
            Body::None => HttpBody::Empty,
            Body::Json(bytes) => {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                HttpBody::Bytes(bytes::Bytes::from(bytes.clone()))
            }
            Body::Multipart(form) => HttpBody::Multipart(form.clone()),
            Body::Bytes {
                content_type,
                bytes,
            } => {
                let value = HeaderValue::from_str(content_type)
                    .map_err(|_| Error::Config(format!("invalid content type {content_type:?}")))?;
                headers.insert(CONTENT_TYPE, value);
                HttpBody::Bytes(bytes.clone())
            }
        };
        Ok(HttpRequest {
            operation: request.operation,
            method: request.method.clone(),
            url: url.into(),
            headers: Headers::new(headers),
            body,
            timeout,
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

/// Marks a span failed as OpenTelemetry's conventions say: `error.type` is the status code for an
/// error response, else a low-cardinality class of the failure (`timeout`, `connect`, ...).
fn record_error(span: &tracing::Span, error: &Error) {
    span.record("otel.status_code", "ERROR");
    match error.status() {
        Some(status) => span.record("error.type", tracing::field::display(status)),
        None => span.record("error.type", error_class(error)),
    };
}

/// The error of a call whose deadline passed after `attempts` attempts started.
fn expired(
    deadline: Option<Deadline>,
    request: &Request,
    attempts: u32,
    last_error: Option<Error>,
) -> Error {
    Error::Deadline(DeadlineError {
        request: request.describe(),
        deadline: deadline.map(|d| d.limit()).unwrap_or_default(),
        attempts,
        last_error: last_error.map(Box::new),
    })
}

/// The class of a failure without a status, for `error.type`.
fn error_class(error: &Error) -> &'static str {
    match error.kind() {
        ErrorKind::Timeout => "timeout",
        ErrorKind::Connect => "connect",
        ErrorKind::Transport => "transport",
        ErrorKind::Encode => "encode",
        ErrorKind::Config => "config",
        ErrorKind::Decode => "decode",
        ErrorKind::Deadline => "deadline",
        _ => "_OTHER",
    }
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
    deadline: Option<Duration>,
    rate_limit: Option<RateLimit>,
    http: Option<reqwest::Client>,
    on_response: Option<ResponseHook>,
    /// The user's layers, outermost first.
    layers: Vec<LayerFn>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("rate_limit", &self.rate_limit)
            .field("custom_http_client", &self.http.is_some())
            .field("on_response", &self.on_response.is_some())
            .field("layers", &self.layers.len())
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
            deadline: None,
            rate_limit: None,
            http: None,
            on_response: None,
            layers: Vec::new(),
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

    /// The total time limit of every call (none unless set): all its attempts, the rate
    /// limiter's waits and the pauses between retries count, and no retry starts that would end
    /// past it. A call past it fails with [`Error::Deadline`], which keeps the attempts made and
    /// the last error. [`timeout`](Self::timeout) still bounds each attempt, and a request
    /// builder's `deadline` replaces this one for its call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
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

    /// Calls `hook` with every response (each attempt's, as the [layers](Self::layer) return it): for
    /// metrics, logs, or headers the typed results do not carry.
    pub fn on_response(mut self, hook: impl Fn(&ResponseInfo<'_>) + Send + Sync + 'static) -> Self {
        self.on_response = Some(Arc::new(hook));
        self
    }

    /// Wraps every attempt in a `tower::Layer` (auth refresh, signing, caching, metrics, a fake
    /// server in tests): the layer's service gets each attempt's [`HttpRequest`], with the API key
    /// and every header already set, and returns an [`HttpResponse`], from the service it wraps
    /// or of its own making; an error it returns ends the call. Its readiness is awaited before
    /// each call, on a clone of it.
    ///
    /// The layers sit inside the SDK's own machinery: the retry loop, the rate limiter and the
    /// call's and attempt's tracing spans are outside them, so a layer sees every attempt (a call
    /// retried once passes it twice), inside the attempt's `dixa_attempt` span; the `on_response`
    /// hook, the status check and the retry decision see what the layers return. The first layer
    /// added is the outermost, as with `tower::ServiceBuilder`.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), dixa::Error> {
    /// use std::sync::atomic::{AtomicU32, Ordering};
    /// use std::sync::Arc;
    ///
    /// let attempts = Arc::new(AtomicU32::new(0));
    /// let counter = attempts.clone();
    /// let client = dixa::Client::builder()
    ///     .api_key("my-api-key")
    ///     .layer(tower::layer::layer_fn(move |inner: dixa::HttpService| {
    ///         let counter = counter.clone();
    ///         tower::util::MapRequest::new(inner, move |mut request: dixa::HttpRequest| {
    ///             counter.fetch_add(1, Ordering::Relaxed);
    ///             let _ = request.headers_mut().insert("x-team", "support");
    ///             request
    ///         })
    ///     }))
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower_layer::Layer<HttpService> + Send + Sync + 'static,
        L::Service: tower_service::Service<HttpRequest, Response = HttpResponse, Error = Error>
            + Clone
            + Send
            + Sync
            + 'static,
        <L::Service as tower_service::Service<HttpRequest>>::Future:
            crate::runtime::middleware::MaybeSend + 'static,
    {
        self.layers.push(Arc::new(move |inner| {
            HttpService::layered(layer.layer(inner))
        }));
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
        let (traced_base, server_address, server_port) = match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                // Traces show the base URL without the credentials a proxy URL may carry.
                let mut traced = url.clone();
                let _ = traced.set_username("");
                let _ = traced.set_password(None);
                let traced = traced.as_str().trim_end_matches('/').to_owned();
                let host = url.host_str().unwrap_or_default().to_owned();
                (traced, host, url.port_or_known_default().unwrap_or(0))
            }
            _ => {
                return Err(Error::Config(format!(
                    "base URL {base_url:?} is not an http(s) URL"
                )))
            }
        };
        if self.timeout.is_zero() {
            return Err(Error::Config("the timeout must be positive".to_owned()));
        }
        if self.deadline.is_some_and(|d| d.is_zero()) {
            return Err(Error::Config("the deadline must be positive".to_owned()));
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
        // The first layer added is the outermost, so the last one wraps the network first.
        let service = self
            .layers
            .iter()
            .rev()
            .fold(HttpService::network(http), |inner, layer| layer(inner));
        Ok(Client {
            inner: Arc::new(Inner {
                service,
                base_url,
                traced_base,
                server_address,
                server_port,
                api_key,
                retry: self.retry,
                deadline: self.deadline,
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
