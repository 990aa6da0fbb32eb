//! The middleware seam: every attempt of every call goes through one [`HttpService`], a
//! `tower::Service` over the SDK's own [`HttpRequest`] and [`HttpResponse`], which
//! [`ClientBuilder::layer`](crate::ClientBuilder::layer) wraps in the user's `tower::Layer`s.
//!
//! Where a layer sits: the client builds the request (base URL, path, query, the `Authorization`,
//! `Accept` and content-type headers, per-call headers and timeout), waits for the rate limiter,
//! opens the attempt's `dixa_attempt` span and then calls the layers, outermost first; the innermost
//! service sends the request with reqwest and reads the whole body. What the layers answer goes back
//! to the client, which calls the `on_response` hook, classifies the status and decides on a retry.
//! So a layer sees each attempt once (a retried call passes it once per attempt), runs inside the
//! attempt's span, can change the request (headers, URL, body) or answer it without the network, and
//! cannot bypass the SDK's retries, rate limiting or tracing, which stay outside it.
//!
//! The request and response are the SDK's own types, not reqwest's or `http`'s, so that a layer
//! keeps compiling when the SDK upgrades its HTTP library; only the `tower-service` and
//! `tower-layer` traits (0.3, the ones `tower` 0.5 re-exports) are part of the API.

use crate::runtime::error::Error;
use crate::runtime::request::Multipart;
use crate::runtime::response::Headers;
use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// The future an [`HttpService`] returns: boxed, independent of the service, and `Send` (but on
/// wasm32, where fetch's futures hold JavaScript values).
pub type HttpFuture = crate::runtime::call::BoxFuture<HttpResponse>;

/// What a layer's future must be: `Send` natively, nothing more on wasm32, where no future that
/// reaches fetch is `Send`. Every type that qualifies has it (a blanket impl), so users never
/// name it.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}
/// What a layer's future must be: `Send` natively, nothing more on wasm32, where no future that
/// reaches fetch is `Send`. Every type that qualifies has it (a blanket impl), so users never
/// name it.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// One attempt of a request, as the client is about to send it: what a
/// [layer](crate::ClientBuilder::layer) sees and may change.
///
/// Its `Debug` output redacts the API key.
pub struct HttpRequest {
    pub(crate) operation: &'static str,
    pub(crate) method: reqwest::Method,
    pub(crate) url: String,
    pub(crate) headers: Headers,
    pub(crate) body: HttpBody,
    pub(crate) timeout: Option<Duration>,
}

/// A request body as a layer sees it: bytes, or a multipart form, whose bytes (and boundary) only
/// exist once the innermost service encodes it.
#[derive(Clone)]
pub(crate) enum HttpBody {
    Empty,
    Bytes(bytes::Bytes),
    Multipart(Multipart),
}

impl HttpRequest {
    /// The spec's operationId of the call this attempt belongs to (`getAgentsAgentid`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method (`GET`).
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The absolute URL, query included.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Sends the attempt to another URL (a proxy, a recording server). An invalid URL fails the
    /// attempt with a transport error.
    pub fn set_url(&mut self, url: impl Into<String>) {
        self.url = url.into();
    }

    /// The headers, `Authorization` (the API key) included. The multipart content type, with its
    /// boundary, is added only after the layers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The headers, to add, change or remove some.
    pub fn headers_mut(&mut self) -> &mut Headers {
        &mut self.headers
    }

    /// The body's bytes; `None` for no body and for a multipart form (encoded after the layers).
    pub fn body(&self) -> Option<&[u8]> {
        match &self.body {
            HttpBody::Bytes(bytes) => Some(bytes),
            HttpBody::Empty | HttpBody::Multipart(_) => None,
        }
    }

    /// Replaces the body (set the `Content-Type` header to match).
    pub fn set_body(&mut self, body: impl Into<Vec<u8>>) {
        self.body = HttpBody::Bytes(bytes::Bytes::from(body.into()));
    }

    /// The time limit of this attempt, when the call sets one instead of the client's.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

impl Clone for HttpRequest {
    fn clone(&self) -> Self {
        Self {
            operation: self.operation,
            method: self.method.clone(),
            url: self.url.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            timeout: self.timeout,
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Headers`' `Debug` redacts the API key, which the client marks sensitive.
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("method", &self.method.as_str())
            .field("url", &self.url)
            .field("headers", &self.headers)
            .field(
                "body",
                &match &self.body {
                    HttpBody::Empty => "none".to_owned(),
                    HttpBody::Bytes(bytes) => format!("{} bytes", bytes.len()),
                    HttpBody::Multipart(_) => "multipart form".to_owned(),
                },
            )
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The answer to one attempt, read whole: what the innermost service returns, and what a layer may
/// return instead (from a cache, a fake, a replay).
#[derive(Debug, Clone)]
pub struct HttpResponse {
    pub(crate) status: u16,
    pub(crate) headers: Headers,
    pub(crate) body: bytes::Bytes,
}

impl HttpResponse {
    /// A response with this status and body and no headers. The client reads it as it reads
    /// Dixa's: 2xx succeeds, 429 and 5xx may be retried, any other status is an [`Error::Api`].
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Headers::default(),
            body: bytes::Bytes::from(body.into()),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The headers, to add, change or remove some.
    pub fn headers_mut(&mut self) -> &mut Headers {
        &mut self.headers
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

/// The service every attempt goes through: a `tower::Service<HttpRequest>` whose innermost
/// service sends the request over the network. [`ClientBuilder::layer`](crate::ClientBuilder::layer)
/// wraps it in a `tower::Layer`, whose service the SDK then calls for each attempt. It is always
/// ready; cloning it is cheap.
#[derive(Clone)]
pub struct HttpService(Arc<dyn Erased>);

impl fmt::Debug for HttpService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpService")
    }
}

impl HttpService {
    /// The innermost service: sends the request with `http` and reads the whole response.
    pub(crate) fn network(http: reqwest::Client) -> Self {
        Self(Arc::new(Network(http)))
    }

    /// A service a user's layer made, behind the one type every layer wraps.
    pub(crate) fn layered<S>(service: S) -> Self
    where
        S: tower_service::Service<HttpRequest, Response = HttpResponse, Error = Error>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: MaybeSend + 'static,
    {
        Self(Arc::new(Layered(service)))
    }

    /// Sends one attempt through the layers (no `&mut`: the client shares the service).
    pub(crate) fn send(&self, request: HttpRequest) -> HttpFuture {
        self.0.send(request)
    }
}

impl tower_service::Service<HttpRequest> for HttpService {
    type Response = HttpResponse;
    type Error = Error;
    type Future = HttpFuture;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
        // Readiness belongs to the layers: the inner service waits for nothing, and each call is
        // independent (the shared connection pool queues what it must).
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest) -> HttpFuture {
        self.0.send(request)
    }
}

/// A user's layer as the client stores it: applied to the service below it when the client is built.
pub(crate) type LayerFn = Arc<dyn Fn(HttpService) -> HttpService + Send + Sync>;

/// A service behind `HttpService`, called through a shared reference.
trait Erased: Send + Sync {
    fn send(&self, request: HttpRequest) -> HttpFuture;
}

struct Layered<S>(S);

impl<S> Erased for Layered<S>
where
    S: tower_service::Service<HttpRequest, Response = HttpResponse, Error = Error>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: MaybeSend + 'static,
{
    fn send(&self, request: HttpRequest) -> HttpFuture {
        // tower's convention for a shared service: a clone of it is made ready, then called.
        let mut service = self.0.clone();
        Box::pin(async move {
            std::future::poll_fn(|cx| service.poll_ready(cx)).await?;
            service.call(request).await
        })
    }
}

struct Network(reqwest::Client);

impl Erased for Network {
    fn send(&self, request: HttpRequest) -> HttpFuture {
        Box::pin(send_over_network(self.0.clone(), request))
    }
}

/// Sends one attempt with reqwest and reads the whole body. A failure is an [`Error::Transport`]
/// whose `request` the client fills in.
async fn send_over_network(
    http: reqwest::Client,
    request: HttpRequest,
) -> Result<HttpResponse, Error> {
    let transport = |e: reqwest::Error| {
        Error::Transport(crate::runtime::error::TransportError::new(String::new(), e))
    };
    let mut builder = http
        .request(request.method, request.url.as_str())
        .headers(request.headers.into_map());
    if let Some(timeout) = request.timeout {
        builder = builder.timeout(timeout);
    }
    builder = match request.body {
        HttpBody::Empty => builder,
        HttpBody::Bytes(bytes) => builder.body(bytes),
        HttpBody::Multipart(form) => builder.multipart(form.to_form()?),
    };
    let mut response = builder.send().await.map_err(transport)?;
    let status = response.status().as_u16();
    // The headers are moved out, not copied: reading the body does not need them.
    let headers = Headers::new(std::mem::take(response.headers_mut()));
    let body = response.bytes().await.map_err(transport)?;
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}
