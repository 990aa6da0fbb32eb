//! The HTTP client: configuration, authentication, sending, and turning responses into results.

use crate::runtime::error::{ApiError, DecodeError, Error};
use crate::runtime::request::{Body, Request};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The default time limit for one request, connection included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A client of the Dixa API. Cloning is cheap: clones share one connection pool and configuration.
///
/// ```no_run
/// # fn main() -> Result<(), dixa::Error> {
/// let client = dixa::Client::builder()
///     .api_key("my-api-key")
///     .base_url("http://127.0.0.1:4010")
///     .timeout(std::time::Duration::from_secs(10))
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
}

impl fmt::Debug for Client {
    // The API key is a credential: it never appears in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

impl Client {
    /// A client with the default configuration for an API key (created in Dixa under Settings ->
    /// Integrations -> API tokens).
    pub fn new(api_key: impl Into<String>) -> Result<Self, Error> {
        Self::builder().api_key(api_key).build()
    }

    /// A builder for a client with a custom base URL, timeout or user agent.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and returns the successful response, or the error response as [`Error::Api`].
    pub(crate) async fn send(&self, request: Request) -> Result<Response, Error> {
        let description = request.describe();
        let url = format!("{}{}", self.inner.base_url, request.path);
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header(AUTHORIZATION, self.inner.api_key.clone())
            .header(ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        builder = match &request.body {
            Body::None => builder,
            Body::Json(bytes) => builder
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Multipart(form) => builder.multipart(form.to_form()?),
        };
        let transport = |source| Error::Transport {
            request: description.clone(),
            source,
        };
        let response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(transport)?;
        if !(200..300).contains(&status) {
            return Err(Error::Api(ApiError::new(status, &body, description)));
        }
        Ok(Response {
            status,
            body,
            request: description,
        })
    }
}

/// A successful response, not yet decoded.
#[derive(Debug)]
pub(crate) struct Response {
    status: u16,
    body: bytes::Bytes,
    request: String,
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
    /// Decodes the body as `T`.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.decode()
    }

    /// Decodes a `{"data": T}` envelope and returns `T`.
    pub(crate) fn data<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.decode::<Envelope<T>>().map(|e| e.data)
    }

    /// Decodes a `{"data": T}` envelope whose `data` may be absent, meaning empty.
    pub(crate) fn data_or_default<T: DeserializeOwned + Default>(self) -> Result<T, Error> {
        self.decode::<OptionalEnvelope<T>>().map(|e| e.data)
    }

    /// Ignores the body of a response that has none worth reading (204 and similar).
    pub(crate) fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    fn decode<T: DeserializeOwned>(self) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.body);
        let result = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            // Trailing bytes after the value mean the body is not the JSON we think it is.
            Ok(value) => deserializer
                .end()
                .map(|()| value)
                .map_err(|e| (".".to_owned(), e)),
            Err(e) => Err((e.path().to_string(), e.into_inner())),
        };
        result.map_err(|(path, inner)| {
            let message = if self.body.iter().all(u8::is_ascii_whitespace) {
                "the body is empty".to_owned()
            } else {
                inner.to_string()
            };
            Error::Decode(DecodeError {
                status: self.status,
                path,
                message,
                body: String::from_utf8_lossy(&self.body).into_owned(),
                request: self.request,
            })
        })
    }
}

/// Configures a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    api_key: Option<String>,
    base_url: String,
    timeout: Duration,
    user_agent: String,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            api_key: None,
            base_url: crate::DEFAULT_BASE_URL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: concat!("dixa-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
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
        let http = reqwest::Client::builder()
            .timeout(self.timeout)
            .user_agent(self.user_agent)
            .build()
            .map_err(|e| Error::Config(format!("could not build the HTTP client: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                api_key,
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
            body: bytes::Bytes::from(body.to_owned()),
            request: "GET /x".to_owned(),
        }
    }

    #[test]
    fn decode_errors_name_the_path_and_keep_the_body() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
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
