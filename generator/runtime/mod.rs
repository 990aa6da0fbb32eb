//! The hand-written runtime the generated code calls: client, errors, and wire helpers.
//!
//! This file is the module root in both crates that compile the runtime: `dixa`, where the
//! generator copies it to `src/runtime/mod.rs`, and `dixa-runtime` (`generator/runtime/lib.rs`),
//! where it is compiled, linted and tested where it is written.
//!
//! The SDK is Rust 2024; the runtime stays valid Rust 2021 (`dixa-runtime` is a 2021 crate), so it
//! has no let chains, and is written without the nested `if let`s clippy would merge into one in
//! the SDK.
//!
//! No lint is silenced for the whole runtime. Items that only generated code uses (the request
//! builders' calls, response decoders, macros and the helpers their expansions call) are dead in a
//! crate without that code: `dixa-runtime`, the SDK built without operation groups
//! (`--no-default-features`), or the SDK of a spec without multipart bodies or tagged unions. Each
//! carries its own `#[allow(dead_code)]` (or `unused_macros`, `unused_imports`) with the reason,
//! so any other unused item is reported in both crates.

pub mod binary;
pub mod call;
pub mod client;
pub mod datetime;
pub mod de;
pub mod error;
pub mod macros;
pub mod middleware;
#[cfg(feature = "testing")]
pub mod mock;
#[cfg(feature = "testing")]
pub mod mock_rules;
#[cfg(feature = "testing")]
pub mod mock_state;
pub mod pages;
pub mod platform;
pub mod request;
pub mod response;
pub mod retry;
pub mod tagged;
// `dixa::testing`, compiled only with the `testing` feature (for users' `[dev-dependencies]`).
#[cfg(feature = "testing")]
pub mod testing;
pub mod webhooks;
