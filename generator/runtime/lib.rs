//! The SDK's hand-written runtime as a crate of its own, so that it compiles, lints and tests
//! where it is written.
//!
//! The generator copies the runtime's files (not this one, nor `Cargo.toml`) into
//! `generated/src/runtime/`: the SDK is one published crate, `dixa`. This crate root mirrors the
//! parts of `dixa`'s `lib.rs` the runtime refers to (the private `runtime` module, the same
//! re-exports, `DEFAULT_BASE_URL` and the `webhooks` module), so `crate::runtime::...`,
//! `$crate::Error` and `super::` resolve here as they do in the SDK, and the lints see the runtime
//! as the SDK does: an item neither re-exported nor used by the runtime itself is dead code.
//!
//! The `pub use runtime::...;` lines below are written once: the generator repeats them in `dixa`'s
//! `lib.rs` (so each stays on one line), with the `#[cfg(...)]` line right above one, if any.
#![warn(missing_docs)]

#[path = "mod.rs"]
mod runtime;

pub use runtime::binary::Binary;
pub use runtime::call::{BoxFuture, Method, RawRequest};
pub use runtime::client::{Client, ClientBuilder, ResponseInfo};
pub use runtime::datetime::{DateTime, ParseDateTimeError};
pub use runtime::error::{ApiError, DeadlineError, DecodeError, Error, ErrorKind, TransportError};
pub use runtime::middleware::{HttpFuture, HttpRequest, HttpResponse, HttpService};
pub use runtime::pages::{Items, Page, Pages};
pub use runtime::response::{Headers, ResponseMeta};
pub use runtime::retry::{RateLimit, RetryPolicy};
pub use runtime::tagged::UnknownVariant;

/// The server the client talks to unless it is given another base URL (the SDK's is the spec's).
pub const DEFAULT_BASE_URL: &str = "https://dev.dixa.io";

/// Verifying the webhooks Dixa sends, as `dixa::webhooks` re-exports it.
pub mod webhooks {
    pub use crate::runtime::webhooks::*;
}

/// The kit for tests of code that uses the SDK, as `dixa::testing` re-exports it.
#[cfg(feature = "testing")]
pub mod testing {
    pub use crate::runtime::mock::MockDixa;
    pub use crate::runtime::mock_rules::{MockOperation, Recorded, Reply, Rule, RuleBuilder};
    pub use crate::runtime::testing::{errors, pages, webhooks};
}
