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

    /// Sets the body with a function that can fail (multipart forms).
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
pub type BoxFuture<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, Error>> + Send + 'static>>;

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
// and the page and item streams can be moved into tasks and polled without pinning.
const _: () = {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn send_unpin<T: Send + Unpin + 'static>() {}
    #[allow(dead_code, reason = "never called: that it compiles is the check")]
    fn check<T: DeserializeOwned + Send + Sync + 'static>() {
        send_sync::<Client>();
        send_sync::<Error>();
        send_sync::<Call<T>>();
        send_sync::<RawRequest>();
        send_unpin::<BoxFuture<T>>();
        send_sync::<Pages<T>>();
        send_unpin::<Pages<T>>();
        send_sync::<crate::Items<T>>();
        send_unpin::<crate::Items<T>>();
    }
};
