//! A support team's code around Dixa, written as a crate that depends on `dixa` does:
//!
//! * [`rating_alert`]: the webhook handler that tells the team lead about a bad rating;
//! * [`crm_sync`]: the job that copies Dixa's end users into the CRM, and decides what to do when
//!   Dixa fails.
//!
//! Each module's tests use only `dixa::testing` (the `testing` feature in `[dev-dependencies]`):
//! the handler gets deliveries signed as Dixa signs them, the job gets pages and errors as the
//! client gives them, with no HTTP server.

pub mod crm_sync;
pub mod rating_alert;
