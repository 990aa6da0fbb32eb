//! The request builders every operation returns.
//!
//! A generated builder (`GetAgentRequest`, ...) is a newtype around [`Call`]: the method that creates
//! it fills in the path and the required arguments, its setters add optional query parameters or a
//! body, and `.await` (through `IntoFuture`) or `.send()` sends it. Keeping the sending and decoding
//! here, generic over the result type, means each generated builder is a struct, a line of macro and
//! its setters: a new optional parameter in the spec becomes a new setter, never a new argument.

use crate::runtime::client::{Client, Response};
use crate::runtime::error::Error;
use crate::runtime::pages::Pages;
use crate::runtime::request::Request;
use crate::runtime::response::ResponseMeta;
use crate::runtime::retry::RetryPolicy;
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt::{self, Display};
use std::time::Duration;

/// How a successful response becomes the operation's result.
pub(crate) type Decode<T> = fn(Response) -> Result<T, Error>;

/// A request being built: the client to send it with, the request so far (or the first error met
/// while building it, reported when it is sent), and how to decode the answer.
pub(crate) struct Call<T> {
    client: Client,
    request: Result<Request, Error>,
    decode: Decode<T>,
}

// Derives would require `T: Clone` and `T: Debug`; neither is needed, since no `T` is stored.
impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            request: match &self.request {
                Ok(request) => Ok(request.clone()),
                Err(e) => Err(copy_error(e)),
            },
            decode: self.decode,
        }
    }
}

/// A copy of an error met while building a request. Only encoding fails there, and
/// `serde_json::Error` is not `Clone`, so the copy keeps its message.
fn copy_error(error: &Error) -> Error {
    match error {
        Error::Encode(e) => Error::Encode(serde::ser::Error::custom(e)),
        other => Error::Config(other.to_string()),
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("client", &self.client)
            .field("request", &self.request)
            .finish()
    }
}

impl<T> Call<T> {
    /// A call of `request` through `client`, its answer decoded with `decode`.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn new(client: &Client, request: Request, decode: Decode<T>) -> Self {
        Self {
            client: client.clone(),
            request: Ok(request),
            decode,
        }
    }

    /// Runs `step` on the request unless building it already failed; the first error is kept.
    fn with(&mut self, step: impl FnOnce(&mut Request) -> Result<(), Error>) {
        if let Err(e) = self.request.as_mut().map_or(Ok(()), step) {
            self.request = Err(e);
        }
    }

    /// Sets a query parameter, replacing an earlier value of the same name (a setter called twice
    /// keeps the last value, as setters do).
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn query(&mut self, name: &'static str, value: &dyn Display) {
        self.with(|r| {
            r.remove_query(name);
            r.query(name, value);
            Ok(())
        });
    }

    /// Sets a list-valued query parameter, repeating the key once per item (`?a=1&a=2`).
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn query_list<I>(&mut self, name: &'static str, values: I)
    where
        I: IntoIterator,
        I::Item: Display,
    {
        self.with(|r| {
            r.remove_query(name);
            for value in values {
                r.query(name, &value);
            }
            Ok(())
        });
    }

    /// Sets a query parameter whose value is not a plain string, written as JSON text.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn query_json<V: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
    ) {
        self.with(|r| {
            r.remove_query(name);
            r.query_json(name, value)
        });
    }

    /// Sets the JSON body.
    pub(crate) fn json<V: serde::Serialize + ?Sized>(&mut self, body: &V) {
        self.with(|r| r.json(body));
    }

    /// Sets a text body, sent with `content_type`.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn text(&mut self, content_type: &str, text: &str) {
        self.with(|r| {
            r.text(content_type, text);
            Ok(())
        });
    }

    /// Sets a body of bytes, sent with their own content type or else `content_type`.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn binary(&mut self, content_type: &str, file: crate::runtime::binary::Binary) {
        self.with(|r| {
            r.binary(content_type, file);
            Ok(())
        });
    }

    /// Sets the body with a function that can fail (multipart and url-encoded forms).
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn body(&mut self, set: impl FnOnce(&mut Request) -> Result<(), Error>) {
        self.with(set);
    }

    /// Adds a query parameter the spec does not declare (a parameter the beta API has added since
    /// this SDK was generated, for example).
    pub(crate) fn extra_query(&mut self, name: impl Into<String>, value: impl Display) {
        self.with(|r| {
            r.query.push((Cow::Owned(name.into()), value.to_string()));
            Ok(())
        });
    }

    /// Limits each attempt of this call to `timeout`.
    pub(crate) fn timeout(&mut self, timeout: Duration) {
        self.with(|r| {
            r.options.timeout = Some(timeout);
            Ok(())
        });
    }

    /// Limits the whole call, every attempt and pause included, to `deadline`.
    pub(crate) fn deadline(&mut self, deadline: Duration) {
        self.with(|r| {
            r.options.deadline = Some(deadline);
            Ok(())
        });
    }

    /// Retries this call by `policy` instead of the client's policy.
    pub(crate) fn retry(&mut self, policy: RetryPolicy) {
        self.with(|r| {
            r.options.retry = Some(policy);
            Ok(())
        });
    }

    /// Adds a header to this call.
    pub(crate) fn header(&mut self, name: String, value: String) {
        self.with(|r| {
            r.options.headers.push((name, value));
            Ok(())
        });
    }

    /// The same call with its answer decoded by `decode` instead: the whole envelope of an
    /// operation whose result is the envelope's `data` member, or a raw request's chosen type.
    pub(crate) fn decoded_as<U>(self, decode: Decode<U>) -> Call<U> {
        Call {
            client: self.client,
            request: self.request,
            decode,
        }
    }

    /// Sends the request and decodes the answer.
    pub(crate) async fn send(self) -> Result<T, Error> {
        let response = self.client.send(self.request?).await?;
        (self.decode)(response)
    }

    /// Sends the request and decodes the answer, keeping the response's status and headers.
    pub(crate) async fn send_with_meta(self) -> Result<(T, ResponseMeta), Error> {
        let mut response = self.client.send(self.request?).await?;
        let meta = response.take_meta();
        Ok(((self.decode)(response)?, meta))
    }
}

impl<T: Send + 'static> Call<T> {
    /// The call as the boxed future a request builder turns into when awaited.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    #[inline]
    pub(crate) fn boxed(self) -> BoxFuture<T> {
        Box::pin(self.send())
    }
}

impl<T> Call<T> {
    /// The pages of a list operation, starting with this request.
    #[allow(
        dead_code,
        reason = "generated code calls it; a spec or feature set may not need it"
    )]
    pub(crate) fn pages<I: DeserializeOwned + Send + 'static>(self) -> Pages<I> {
        Pages::new(self.client, self.request)
    }
}

/// Writes the common part of a request builder: `send`, `IntoFuture` (so a call without options is
/// just `.await`), `Debug`, `Clone`, the escape hatches, and for list operations `pages` and `items`.
/// The builder itself, `pub struct $name(Call<$output>)`, and its setters are written out in the
/// generated code, where their documentation is readable.
#[allow(
    unused_macros,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
macro_rules! request_builder {
    ($name:ident -> $output:ty) => {
        impl $name {
            // `send` and `send_with_meta` hand out the future of `Call`'s generic method instead
            // of being `async fn`s themselves: an `async fn` here would be a coroutine of its own
            // per builder, which made them about 4% of the instructions of `cargo check` of
            // `dixa` (BENCHMARKS.md). Callers see the same thing: a future to await, `Send` when
            // the result is.

            /// Sends the request and returns its decoded result; awaiting the builder does the same.
            pub fn send(
                self,
            ) -> impl ::std::future::Future<Output = ::std::result::Result<$output, $crate::Error>>
            {
                self.0.send()
            }

            /// Sends the request and returns its decoded result with the response's status,
            /// headers and attempt count.
            pub fn send_with_meta(
                self,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<($output, $crate::ResponseMeta), $crate::Error>,
            > {
                self.0.send_with_meta()
            }

            /// Limits each attempt of this call to `timeout`, instead of the client's timeout.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.0.timeout(timeout);
                self
            }

            /// Limits the whole call to `deadline`, instead of the client's deadline: every
            /// attempt, the rate limiter's waits and the pauses between retries count, and no
            /// retry starts that would end past it. When it passes, the call fails with
            /// [`Error::Deadline`]($crate::Error::Deadline), which keeps the attempts made and the
            /// last error. [`timeout`](Self::timeout) still bounds each attempt. For a list
            /// followed page by page, each page's request has its own deadline.
            pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
                self.0.deadline(deadline);
                self
            }

            /// Retries this call by `policy`, instead of the client's policy (the client's rate
            /// limiter still applies).
            pub fn retry(mut self, policy: $crate::RetryPolicy) -> Self {
                self.0.retry(policy);
                self
            }

            /// Adds a header to this call (checked when it is sent: an invalid name or value is an
            /// [`Error::Config`]($crate::Error::Config)).
            pub fn header(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.0.header(name.into(), value.into());
                self
            }

            /// Adds a query parameter this version of the SDK does not declare, for a parameter
            /// Dixa has added since.
            pub fn extra_query(
                mut self,
                name: impl ::std::convert::Into<::std::string::String>,
                value: impl ::std::fmt::Display,
            ) -> Self {
                self.0.extra_query(name, value);
                self
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl ::std::clone::Clone for $name {
            fn clone(&self) -> Self {
                Self(self.0.clone())
            }
        }

        impl ::std::future::IntoFuture for $name {
            type Output = ::std::result::Result<$output, $crate::Error>;
            type IntoFuture = $crate::runtime::call::BoxFuture<$output>;

            // Boxing the future as `dyn Future` needs its `poll`, and with it the decoding of
            // `$output`, in machine code. A public function that is not `#[inline]` is compiled
            // into `dixa` whether anything calls it or not, which for all operations made the
            // SDK's `cargo build` take twice the CPU time (BENCHMARKS.md); an `#[inline]` one is
            // compiled where it is called, so a program pays only for the operations it awaits.
            // The boxing itself is `Call::boxed`, generic, so rustc checks it (and proves the
            // future `Send`) once rather than once per builder.
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.0.boxed()
            }
        }
    };
    ($name:ident -> $output:ty, pages of $item:ty) => {
        $crate::runtime::call::request_builder!($name -> $output);

        impl $name {
            /// Every page of the list, starting with this request: follows `meta.next` until it is
            /// absent, keeping this request's parameters on every page. Read it page by page with
            /// [`Pages::next_page`](crate::Pages::next_page).
            pub fn pages(self) -> $crate::Pages<$item> {
                self.0.pages()
            }

            /// Every item of every page, in order, as a stream (see [`pages`](Self::pages)).
            pub fn items(self) -> $crate::Items<$item> {
                self.0.pages().items()
            }
        }
    };
}
#[allow(
    unused_imports,
    reason = "generated code invokes it; a spec or feature set may not need it"
)]
pub(crate) use request_builder;

/// The future a request builder turns into when awaited: boxed, so its type can be named, and `Send`,
/// so it can be spawned.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, Error>> + Send + 'static>>;

/// The future a request builder turns into when awaited: boxed, so its type can be named. Not
/// `Send` on wasm32, where fetch's futures hold JavaScript values (run it with
/// `wasm_bindgen_futures::spawn_local`).
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, Error>> + 'static>>;

/// An HTTP method, for [`Client::request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

/// A call of an endpoint this SDK does not describe (one the beta API added since it was
/// generated), through the client's authentication, retries, rate limiter and tracing. Awaiting it
/// yields the body as JSON (`null` when empty); [`send_as`](Self::send_as) decodes it as any type.
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct RawRequest(Call<serde_json::Value>);

request_builder!(RawRequest -> serde_json::Value);

impl RawRequest {
    pub(crate) fn new(client: &Client, method: Method, path: &str) -> Self {
        let mut request = Request::new("raw", method.to_reqwest(), "");
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        request.template = Cow::Owned(path.clone());
        request.path = path;
        Self(Call {
            client: client.clone(),
            request: Ok(request),
            decode: Response::json_or_null,
        })
    }

    /// Adds a query parameter (a name may repeat).
    pub fn query(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.0.extra_query(name, value);
        self
    }

    /// Sets a JSON body.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.0.json(body);
        self
    }

    /// Sends the request and decodes the body as `T` (an empty body as JSON `null`).
    pub async fn send_as<T: DeserializeOwned>(self) -> Result<T, Error> {
        self.0.decoded_as(Response::json_or_null::<T>).send().await
    }
}

impl Client {
    /// A call of `method` on `path` (relative to the base URL, `/beta/...`), for an endpoint this
    /// SDK does not describe yet. Use the generated operations where they exist: they type the
    /// parameters and the answer.
    ///
    /// ```no_run
    /// # async fn example(client: dixa::Client) -> Result<(), dixa::Error> {
    /// let tags: serde_json::Value = client
    ///     .request(dixa::Method::Get, "/beta/tags")
    ///     .query("includeDeactivated", true)
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn request(&self, method: Method, path: &str) -> RawRequest {
        RawRequest::new(self, method, path)
    }
}

// The promises the SDK makes about threads, checked by the compiler: clients, errors and request
// builders can be shared and sent across threads, the futures builders turn into can be spawned,
// and the page and item streams can be moved into tasks and polled without pinning. On wasm32
// fetch's futures are not `Send`, and neither are the SDK's futures and streams; they stay `Unpin`.
const _: () = {
    fn send_sync<T: Send + Sync + 'static>() {}
    #[cfg(not(target_arch = "wasm32"))]
    fn send_unpin<T: Send + Unpin + 'static>() {}
    #[cfg(target_arch = "wasm32")]
    fn send_unpin<T: Unpin + 'static>() {}
    #[allow(dead_code, reason = "never called: that it compiles is the check")]
    fn check<T: DeserializeOwned + Send + Sync + 'static>() {
        send_sync::<Client>();
        send_sync::<Error>();
        send_sync::<Call<T>>();
        send_sync::<RawRequest>();
        send_unpin::<BoxFuture<T>>();
        #[cfg(not(target_arch = "wasm32"))]
        send_sync::<Pages<T>>();
        send_unpin::<Pages<T>>();
        #[cfg(not(target_arch = "wasm32"))]
        send_sync::<crate::Items<T>>();
        send_unpin::<crate::Items<T>>();
    }
};

/// The bodies beyond JSON on the wire: each test builds the call as the generated method of such
/// an operation does (the same runtime calls, in the same order; `tests/snapshots` shows the
/// generated code), sends it to a local server that records the request and gives one canned
/// answer, and checks the bytes and content types both ways.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::binary::Binary;
    use crate::runtime::request::Form;
    use std::io::{Read, Write};
    use std::sync::mpsc::Receiver;

    /// A request as the server read it.
    struct Seen {
        head: String,
        body: Vec<u8>,
    }

    impl Seen {
        fn header(&self, name: &str) -> Option<&str> {
            self.head.lines().skip(1).find_map(|line| {
                let (n, v) = line.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim())
            })
        }
    }

    /// Answers one request on a local port with `status`, `content_type` and `body`; returns the
    /// base URL and the request it read.
    fn serve_once(status: u16, content_type: &str, body: &[u8]) -> (String, Receiver<Seen>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut answer = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        answer.extend_from_slice(body);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut data = Vec::new();
            let mut chunk = [0; 4096];
            let split = loop {
                let n = stream.read(&mut chunk).unwrap();
                data.extend_from_slice(&chunk[..n]);
                if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i;
                }
            };
            let head = String::from_utf8(data[..split].to_vec()).unwrap();
            let seen = Seen {
                head,
                body: Vec::new(),
            };
            let length: usize = seen
                .header("content-length")
                .map_or(0, |v| v.parse().unwrap());
            while data.len() < split + 4 + length {
                let n = stream.read(&mut chunk).unwrap();
                data.extend_from_slice(&chunk[..n]);
            }
            stream.write_all(&answer).unwrap();
            let body = data[split + 4..split + 4 + length].to_vec();
            tx.send(Seen { body, ..seen }).unwrap();
        });
        (url, rx)
    }

    fn client(url: &str) -> Client {
        Client::builder()
            .api_key("k")
            .base_url(url)
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn text_goes_out_with_its_content_type_and_comes_back_as_a_string() {
        let (url, seen) = serve_once(
            200,
            "text/csv; charset=utf-8",
            "id,name\n1,Zoë\n".as_bytes(),
        );
        let mut request = Request::new("createNote", reqwest::Method::POST, "/notes");
        request.accept("text/csv");
        let mut call = Call::new(&client(&url), request, Response::text);
        call.text("text/plain", "Remember the milk");
        assert_eq!(call.send().await.unwrap(), "id,name\n1,Zoë\n");
        let seen = seen.recv().unwrap();
        assert!(
            seen.head.starts_with("POST /notes HTTP/1.1"),
            "{}",
            seen.head
        );
        assert_eq!(seen.header("content-type"), Some("text/plain"));
        assert_eq!(seen.header("accept"), Some("text/csv"));
        assert_eq!(seen.body, b"Remember the milk");
    }

    #[tokio::test]
    async fn text_that_is_not_utf8_is_a_decode_error_keeping_status_and_bytes() {
        let (url, _seen) = serve_once(200, "text/plain", b"caf\xe9");
        let request = Request::new("getNote", reqwest::Method::GET, "/notes");
        let err = Call::new(&client(&url), request, Response::text)
            .send()
            .await
            .unwrap_err();
        let Error::Decode(e) = &err else {
            panic!("not a decode error: {err:?}")
        };
        assert_eq!(e.status, 200);
        assert_eq!(e.raw_body(), b"caf\xe9");
        assert!(e.message.contains("not UTF-8"), "{}", e.message);
    }

    #[tokio::test]
    async fn bytes_go_out_as_they_are_and_come_back_as_they_are() {
        let pdf = b"%PDF-1.7\n\x00\xff\xfe".to_vec();
        let (url, seen) = serve_once(200, "application/pdf", &pdf);
        let mut request = Request::new("putFile", reqwest::Method::PUT, "/files/{fileId}");
        request.path_param("fileId", &"a b");
        request.accept("application/pdf, image/*");
        let mut call = Call::new(&client(&url), request, Response::bytes);
        call.binary(
            "application/octet-stream",
            Binary::from(&b"\x00\x01\xff"[..]),
        );
        assert_eq!(call.send().await.unwrap(), pdf);
        let seen = seen.recv().unwrap();
        assert!(
            seen.head.starts_with("PUT /files/a%20b HTTP/1.1"),
            "{}",
            seen.head
        );
        assert_eq!(
            seen.header("content-type"),
            Some("application/octet-stream")
        );
        assert_eq!(seen.header("accept"), Some("application/pdf, image/*"));
        assert_eq!(seen.body, b"\x00\x01\xff");

        // For `*/*` or `image/*`, the caller's content type is the one sent.
        let (url, seen) = serve_once(204, "text/plain", b"");
        let request = Request::new("storeBlob", reqwest::Method::POST, "/blobs");
        let mut call = Call::new(&client(&url), request, Response::empty);
        call.binary(
            "application/octet-stream",
            Binary::new(b"\x89PNG".to_vec()).with_content_type("image/png"),
        );
        call.send().await.unwrap();
        let seen = seen.recv().unwrap();
        assert_eq!(seen.header("content-type"), Some("image/png"));
        assert_eq!(seen.header("accept"), Some("application/json"));
        assert_eq!(seen.body, b"\x89PNG");
    }

    #[tokio::test]
    async fn forms_go_out_url_encoded() {
        let (url, seen) = serve_once(200, "application/json", br#"{"id":"s"}"#);
        let request = Request::new("logIn", reqwest::Method::POST, "/login");
        let mut call = Call::new(&client(&url), request, Response::json::<serde_json::Value>);
        call.body(|request| {
            let mut form = Form::default();
            form.text("user", &"ada");
            form.text("password", &"s3cret & more");
            for scope in ["read", "write"] {
                form.text("scopes", &scope);
            }
            form.json("profile", &serde_json::json!({"id": "foo-1"}))?;
            request.form(form);
            Ok(())
        });
        assert_eq!(call.send().await.unwrap(), serde_json::json!({"id": "s"}));
        let seen = seen.recv().unwrap();
        assert_eq!(
            seen.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            String::from_utf8(seen.body).unwrap(),
            "user=ada&password=s3cret+%26+more&scopes=read&scopes=write\
             &profile=%7B%22id%22%3A%22foo-1%22%7D"
        );
    }

    /// The result of an operation answering 200 with a `Foo`, 202 with a `Job` and 204 with
    /// nothing, as the generator writes it.
    #[derive(Debug, PartialEq)]
    enum CreateFooResponse {
        Success(serde_json::Value),
        Accepted(Vec<u32>),
        NoContent,
    }

    /// The decoding closure the generator writes for that operation.
    fn create_foo(client: &Client) -> Call<CreateFooResponse> {
        let request = Request::new("createFoo", reqwest::Method::POST, "/jobs");
        Call::new(client, request, |response| match response.status() {
            202 => Response::json::<Vec<u32>>(response).map(CreateFooResponse::Accepted),
            204 => Ok(CreateFooResponse::NoContent),
            _ => Response::json::<serde_json::Value>(response).map(CreateFooResponse::Success),
        })
    }

    #[tokio::test]
    async fn several_2xx_responses_decode_by_status() {
        let cases: [(u16, &[u8], CreateFooResponse); 4] = [
            (
                200,
                br#"{"id":"f"}"#,
                CreateFooResponse::Success(serde_json::json!({"id": "f"})),
            ),
            (202, b"[1,2]", CreateFooResponse::Accepted(vec![1, 2])),
            (204, b"", CreateFooResponse::NoContent),
            // A status the spec does not declare reads as the lowest declared one.
            (
                201,
                br#"{"id":"g"}"#,
                CreateFooResponse::Success(serde_json::json!({"id": "g"})),
            ),
        ];
        for (status, body, expected) in cases {
            let (url, _seen) = serve_once(status, "application/json", body);
            assert_eq!(create_foo(&client(&url)).send().await.unwrap(), expected);
        }
        // A body of the wrong type for its status is a decode error with that status.
        let (url, _seen) = serve_once(202, "application/json", br#"{"id":"f"}"#);
        let err = create_foo(&client(&url)).send().await.unwrap_err();
        assert_eq!(err.status(), Some(202));
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
    }

    #[tokio::test]
    async fn a_body_or_none_decodes_by_status() {
        let find = |client: &Client| {
            let request = Request::new("findFoo", reqwest::Method::GET, "/foos/1");
            Call::new(client, request, |response| match response.status() {
                204 => Ok(None),
                _ => Response::json::<u32>(response).map(Some),
            })
        };
        let (url, _seen) = serve_once(200, "application/json", b"7");
        assert_eq!(find(&client(&url)).send().await.unwrap(), Some(7));
        let (url, _seen) = serve_once(204, "application/json", b"");
        assert_eq!(find(&client(&url)).send().await.unwrap(), None);
    }
}
