//! A support team's code around Dixa, written as a crate that depends on `dixa` does:
//!
//! * [`crm_sync`]: the nightly job that brings the CRM's customers into Dixa (end users created or
//!   updated, VIPs' open conversations tagged), and decides what to do when Dixa fails;
//! * [`rating_alert`]: the webhook handler that notes a bad rating on the conversation and tells
//!   the team lead.
//!
//! The tests use only `dixa::testing` (the `testing` feature in `[dev-dependencies]`): the unit
//! tests in each module give the error branches the errors a call gives, with no server; the
//! tests in `tests/` run the job and the handler against `MockDixa`, a fake Dixa on loopback with
//! typed rules, and give the handler deliveries signed as Dixa signs them.

pub mod crm_sync;
pub mod rating_alert;
