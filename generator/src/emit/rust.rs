//! Small helpers turning IR names and type expressions into Rust tokens.

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// An identifier; names written `r#name` become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a type expression. Named model types are prefixed with `models` (a path such as
/// `crate::models::`, or nothing inside the models module itself).
pub fn type_tokens(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::DateTime => quote!(crate::DateTime),
        TypeRef::Binary => quote!(crate::Binary),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#models #name)
        }
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, models);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, models);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        // Lowering replaces every placeholder; should one survive, the SDK must not compile.
        TypeRef::Pending(i) => {
            let message = format!("generator bug: unresolved pending type {i}");
            quote!(compile_error!(#message))
        }
    }
}

/// The type of a function argument borrowing a value of `ty`: strings as `&str`, lists as slices,
/// other owned types by reference, and small copyable scalars by value.
pub fn arg_tokens(ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, models);
            quote!(&[#inner])
        }
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Uuid => type_tokens(ty, models),
        _ => {
            let ty = type_tokens(ty, models);
            quote!(&#ty)
        }
    }
}
