//! What the items of `dixa::models` need to know beyond their own type: the rest of the API
//! ([`Context`]), how a struct's constructor takes its required fields and how a field is stored. Shared
//! by `models.rs`, `unions.rs` (whose constructors take a variant struct's `new` arguments),
//! `examples.rs` and `webhooks.rs`; `models.rs` calls `unions.rs`, so these live apart from both.

use super::constructors::Shape;
use super::features::Features;
use super::rust::type_tokens;
use super::usage::Usage;
use crate::ir::{Api, Field, TypeDef};
use crate::naming::RustIdent;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// What an item of `models.rs` may need to know about the rest of the API.
pub struct Context<'a> {
    /// The `#[cfg]` of every type.
    pub features: &'a Features,
    /// Every type, by name.
    pub types: BTreeMap<&'a str, &'a TypeDef>,
    /// The types a request uses ([`Api::request_types`]): the ones callers build.
    pub sent: BTreeSet<&'a str>,
    /// Where each type is used, for the docs of the types the spec does not describe.
    pub usage: Usage,
}

impl<'a> Context<'a> {
    /// Collects the facts about `api`.
    pub fn new(api: &'a Api, features: &'a Features) -> Self {
        Self {
            features,
            types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            sent: api.request_types(),
            usage: Usage::new(api),
        }
    }

    /// The facts about types that no request sends (the webhook payloads), so they get no
    /// request-side constructors.
    pub fn received(types: &'a [TypeDef], features: &'a Features) -> Self {
        Self {
            features,
            types: types.iter().map(|t| (t.name.as_str(), t)).collect(),
            sent: BTreeSet::new(),
            usage: Usage::default(),
        }
    }
}

impl Context<'_> {
    /// How the struct `name`'s `new` takes its required `fields` (`constructors::shape`).
    pub fn constructor<'f>(&self, name: &RustIdent, fields: &'f [Field]) -> Shape<'f> {
        super::constructors::shape(name, fields, &self.types)
    }
}

/// The type a field's value is stored as (without the `Option` of an optional field).
pub fn stored_type(f: &Field) -> TokenStream {
    let ty = type_tokens(&f.ty, "");
    if f.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}
