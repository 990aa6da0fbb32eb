//! Cargo features: one per operation group (tag), so a user of one part of the API compiles only
//! the types that part uses. All are on by default.
//!
//! A type is compiled when any group that reaches it (through parameters, bodies, results, and the
//! types those contain) is enabled. Types no operation reaches are behind one more feature, so that
//! "every schema is a type" holds by default without making every user compile them.

use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// The feature of the types no operation uses (named in `naming`, like every name).
pub use crate::naming::UNREACHED_MODELS_FEATURE as UNREACHED_MODELS;

/// The `#[cfg]` of every type, and the list of features.
pub struct Features {
    /// Feature names of the groups, sorted.
    pub groups: Vec<String>,
    /// Whether the typed webhook events have their feature.
    webhook_events: bool,
    by_type: BTreeMap<String, BTreeSet<String>>,
}

impl Features {
    /// Computes which features compile which types.
    pub fn new(api: &Api) -> Self {
        let by_type = api
            .type_features(UNREACHED_MODELS)
            .into_iter()
            .map(|(name, features)| {
                (
                    name.to_owned(),
                    features.into_iter().map(str::to_owned).collect(),
                )
            })
            .collect();
        let mut groups: Vec<String> = api.groups.iter().map(|g| g.feature.clone()).collect();
        groups.sort();
        groups.dedup();
        Self {
            groups,
            webhook_events: api.webhooks.is_some(),
            by_type,
        }
    }

    /// Whether the type `used` is compiled whenever the type `user` is, so `user`'s code may name
    /// it (a type without features is always compiled, as is one that every group reaches).
    pub fn compiled_with(&self, user: &str, used: &str) -> bool {
        let everywhere = |f: &BTreeSet<String>| self.groups.iter().all(|g| f.contains(g));
        match (self.by_type.get(user), self.by_type.get(used)) {
            (_, None) => true,
            (_, Some(used)) if everywhere(used) => true,
            (None, Some(_)) => false,
            (Some(user), Some(used)) => user.is_subset(used),
        }
    }

    /// Every feature, in the order `Cargo.toml` lists them.
    pub fn all(&self) -> Vec<String> {
        let mut all = self.groups.clone();
        all.push(UNREACHED_MODELS.to_owned());
        if self.webhook_events {
            all.push(crate::naming::WEBHOOK_EVENTS_FEATURE.to_owned());
        }
        all
    }

    /// The `#[cfg]` attribute of a type (nothing when every group uses it).
    pub fn cfg_of_type(&self, name: &str) -> TokenStream {
        match self.by_type.get(name) {
            None => quote!(),
            Some(features) if self.groups.iter().all(|g| features.contains(g)) => quote!(),
            Some(features) => cfg_any(&features.iter().cloned().collect::<Vec<_>>()),
        }
    }

    /// The `#[cfg]` attribute of a group's module and accessor.
    pub fn cfg_of_group(&self, feature: &str) -> TokenStream {
        cfg_any(&[feature.to_owned()])
    }
}

fn cfg_any(features: &[String]) -> TokenStream {
    match features {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}
