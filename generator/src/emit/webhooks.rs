//! Emits `dixa::webhooks`: the runtime's verification re-exported, and the typed events of
//! `spec/webhooks.yaml` (behind the `webhook-events` feature).
//!
//! The data types go through the same emitter as `dixa::models`. The envelope and the payload
//! enum are written out here, with their documentation; their impls (decoding by `event_fqn`,
//! the mapping to the subscription API's enum, `Webhook::construct_event`) come from the
//! runtime's `event_payload!` macro, so the generated file only lists the events.

use super::docs;
use super::features::Features;
use super::models::{field, type_def, Decoding, Keys};
use super::rust::{ident, type_tokens};
use crate::ir::{Api, Webhooks};
use crate::naming::WEBHOOK_EVENTS_FEATURE;
use proc_macro2::TokenStream;
use quote::quote;

/// The tokens of `src/webhooks.rs`.
pub fn module_file(api: &Api) -> TokenStream {
    let Some(webhooks) = &api.webhooks else {
        let doc = docs::inner(
            "Verifying the webhooks Dixa sends: [`Webhook`] checks a delivery's signature and \
             timestamp and decodes its body in one call; [`verify`] and [`sign`] work on the \
             signature header alone.",
        );
        return quote! {
            #doc
            pub use crate::runtime::webhooks::*;
        };
    };
    // The example matches the first event with typed data, and its hidden body is that event.
    let (example, example_fqn) = webhooks
        .events
        .iter()
        .find(|e| e.data.is_some())
        .map_or(("Unknown", "SOME_EVENT"), |e| {
            (e.variant.as_str(), e.fqn.as_str())
        });
    let doc = docs::inner(&format!(
        "Receiving the webhooks Dixa sends: [`Webhook::construct_event`] verifies a delivery's \
         signature and timestamp and decodes it into an [`Event`], in one call.\n\n\
         An [`Event`] is the envelope (id, time, organization) with an [`EventPayload`]: one variant \
         per event type of the subscription API ([`crate::models::{event_type}`]), holding the \
         event's `data` where Dixa documents or shows its fields, and `Unknown` for an \
         `event_fqn` this version does not know. Decoding is lenient: fields are optional unless \
         always present, unknown fields are ignored, unknown spellings of an enumeration decode as \
         its `Unknown`.\n\n\
         ```\n\
         use dixa::webhooks::{{EventPayload, Webhook}};\n\
         # fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         # let secret = \"2b7e151628aed2a6abf7158809cf4f3c\";\n\
         # let body: &[u8] = br#\"{{\"event_id\":\"1\",\"event_fqn\":\"{example_fqn}\",\"event_version\":\"1\",\"event_timestamp\":\"2025-01-14T22:01:05.429Z\",\"data\":{{}}}}\"#;\n\
         # let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?;\n\
         # let signature = dixa::webhooks::sign(secret, u64::try_from(now.as_millis())?, body)?;\n\
         # let headers = vec![(\"x-dixa-signature\", signature)];\n\
         // The subscription's secret, as shown on the webhook's page in Dixa.\n\
         let webhook = Webhook::new(secret);\n\
         // The request's headers (an `http::HeaderMap`, or name/value pairs) and raw body bytes.\n\
         let event = webhook.construct_event(&headers, body)?;\n\
         match &event.payload {{\n\
         \x20   EventPayload::{example}(data) => println!(\"{{data:?}}\"),\n\
         \x20   other => println!(\"{{}} ({{:?}})\", other.event_fqn(), other.event_type()),\n\
         }}\n\
         # Ok(())\n\
         # }}\n\
         ```\n\n\
         Without the `{WEBHOOK_EVENTS_FEATURE}` feature, [`Webhook::construct`] decodes into a type \
         of yours, and [`verify`] and [`sign`] work on the signature header alone.",
        event_type = webhooks.event_type,
    ));
    quote! {
        #doc
        pub use crate::runtime::webhooks::*;

        #[cfg(feature = #WEBHOOK_EVENTS_FEATURE)]
        mod events;
        #[cfg(feature = #WEBHOOK_EVENTS_FEATURE)]
        pub use events::*;
    }
}

/// The start of `src/webhooks/events.rs`: its documentation and the envelope and payload types.
pub fn events_head(webhooks: &Webhooks) -> TokenStream {
    let module_doc = docs::inner(
        "The typed webhook events, generated from `spec/webhooks.yaml`; re-exported by \
         `dixa::webhooks`.",
    );
    let event_type = ident(&webhooks.event_type);
    let envelope_fields = webhooks
        .envelope
        .iter()
        .map(|f| field(f, Decoding::Derived));
    let envelope_doc = docs::attrs(&webhooks.envelope_docs, "A webhook delivery.");
    let variants = webhooks.events.iter().map(|e| {
        let variant = ident(&e.variant);
        let data = match &e.data {
            Some(ty) => type_tokens(ty, ""),
            None => quote!(serde_json::Value),
        };
        let raw = if e.data.is_none() {
            " Nothing is known of its `data`, which is kept as delivered."
        } else {
            ""
        };
        let tail = format!(
            "`{}`, subscribed to as [`{}::{}`](crate::models::{}::{}).{raw}",
            e.fqn, webhooks.event_type, e.variant, webhooks.event_type, e.variant
        );
        let doc = docs::attrs_with_tail(&e.docs, &format!("The `{}` event.", e.name), Some(&tail));
        quote!(#doc #variant(#data),)
    });
    let mapping = webhooks.events.iter().map(|e| {
        let variant = ident(&e.variant);
        let data = match &e.data {
            Some(ty) => type_tokens(ty, ""),
            None => quote!(serde_json::Value),
        };
        let fqn = &e.fqn;
        quote!(#variant(#data) = #fqn => #variant)
    });
    quote! {
        #module_doc
        #![allow(clippy::large_enum_variant)]

        #envelope_doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct Event {
            #(#envelope_fields)*
            /// The event: its type (`event_fqn`) and its `data`.
            #[serde(flatten)]
            pub payload: EventPayload,
        }

        /// The event of a delivery, by its `event_fqn`, with its `data`.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum EventPayload {
            #(#variants)*
            /// An event this version of the SDK does not know, kept as delivered and written back
            /// unchanged.
            Unknown(crate::webhooks::UnknownEvent),
        }

        crate::runtime::webhooks::event_payload!(Event, EventPayload, crate::models::#event_type {
            #(#mapping),*
        });
    }
}

/// The data types of `src/webhooks/events.rs`, after its head.
pub fn events_items(webhooks: &Webhooks, features: &Features) -> TokenStream {
    let ctx = super::context::Context::received(&webhooks.types, features);
    webhooks
        .types
        .iter()
        .map(|def| type_def(def, &quote!(), &ctx, Keys::Ours))
        .collect()
}
