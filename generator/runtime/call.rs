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
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::fmt::{self, Display};

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
    pub(crate) fn new(client: &Client, request: Request, decode: Decode<T>) -> Self {
        Self {
            client: client.clone(),
            request: Ok(request),
            decode,
        }
    }

    /// Runs `step` on the request unless building it already failed; the first error is kept.
    fn with(&mut self, step: impl FnOnce(&mut Request) -> Result<(), Error>) {
        if let Ok(request) = &mut self.request {
            if let Err(e) = step(request) {
                self.request = Err(e);
            }
        }
    }

    /// Sets a query parameter, replacing an earlier value of the same name (a setter called twice
    /// keeps the last value, as setters do).
    pub(crate) fn query(&mut self, name: &'static str, value: &dyn Display) {
        self.with(|r| {
            r.remove_query(name);
            r.query(name, value);
            Ok(())
        });
    }

    /// Sets a list-valued query parameter, repeating the key once per item (`?a=1&a=2`).
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

    /// Sends the request and decodes the answer.
    pub(crate) async fn send(self) -> Result<T, Error> {
        let response = self.client.send(self.request?).await?;
        (self.decode)(response)
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// The pages of a list operation, starting with this request.
    pub(crate) fn pages<I: DeserializeOwned>(self) -> Pages<I> {
        Pages::new(self.client, self.request)
    }
}

/// Writes the common part of a request builder: `send`, `IntoFuture` (so a call without options is
/// just `.await`), `Debug`, `Clone`, the escape hatches, and for list operations `pages` and `items`.
/// The builder itself, `pub struct $name(Call<$output>)`, and its setters are written out in the
/// generated code, where their documentation is readable.
macro_rules! request_builder {
    ($name:ident -> $output:ty) => {
        impl $name {
            /// Sends the request and returns its decoded result; awaiting the builder does the same.
            pub async fn send(self) -> ::std::result::Result<$output, $crate::Error> {
                self.0.send().await
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
            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.0.send())
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
            pub fn items(
                self,
            ) -> impl ::futures_util::stream::Stream<
                Item = ::std::result::Result<$item, $crate::Error>,
            > + ::std::marker::Send
                   + 'static {
                self.0.pages().items()
            }
        }
    };
}
pub(crate) use request_builder;

/// The future a request builder turns into when awaited: boxed, so its type can be named, and `Send`,
/// so it can be spawned.
pub type BoxFuture<T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, Error>> + Send + 'static>>;
