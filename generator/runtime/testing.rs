//! Values for unit tests of code that uses the SDK, without a server: the [`Error`](crate::Error)s
//! a call can fail with ([`errors`]), [`Page`](crate::Page)s of a list ([`pages`]), and webhook
//! events with the signed deliveries Dixa would POST ([`webhooks`]).
//!
//! Behind the `testing` cargo feature, meant for `[dev-dependencies]`:
//!
//! ```toml
//! [dev-dependencies]
//! dixa = { version = "0.3", features = ["testing"] }
//! ```
//!
//! Each value is built by the code that builds the real one (the client's error classification
//! and decoder, the list decoder, the webhook verifier's signing), so a test's `match` sees what
//! production code sees.

pub mod errors;
pub mod pages;
pub mod webhooks;
