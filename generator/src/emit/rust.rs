//! Small helpers turning IR names and type expressions into Rust tokens.

use crate::ir::{HttpMethod, TypeRef};
use crate::naming::RustIdent;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// The token of a name; a keyword becomes a raw identifier (`r#type`).
pub fn ident(name: &RustIdent) -> Ident {
    if name.is_raw() {
        Ident::new_raw(name.raw(), Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The runtime's constant for an HTTP method (`Method::GET`).
pub fn method_const(method: HttpMethod) -> Ident {
    Ident::new(method.as_str(), Span::call_site())
}

/// The Rust type of a type expression, as [`TypeRef::rust`] spells it. Named model types are
/// prefixed with `models` (`crate::models::`, or nothing inside the models module itself).
///
/// The tokens are built, not lexed from that spelling: lexing cost 2,000 instructions a type, and
/// the SDK names 3,000 of them. The tests compare the two on every kind of type expression.
pub fn type_tokens(ty: &TypeRef, models: &str) -> TokenStream {
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
            let mut path = TokenStream::new();
            for segment in models.split("::").filter(|s| !s.is_empty()) {
                let segment = Ident::new(segment, Span::call_site());
                path.extend(quote!(#segment::));
            }
            let name = ident(name);
            quote!(#path #name)
        }
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, models);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, models);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::KeyedMap(key, value) => {
            let (key, value) = (type_tokens(key, models), type_tokens(value, models));
            quote!(std::collections::BTreeMap<#key, #value>)
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
pub fn arg_tokens(ty: &TypeRef, models: &str) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, models);
            quote!(&[#inner])
        }
        _ if ty.is_small_copy() => type_tokens(ty, models),
        _ => {
            let ty = type_tokens(ty, models);
            quote!(&#ty)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_tokens_are_the_tokens_of_the_types_spelling() {
        let named =
            |name: &str| TypeRef::Named(RustIdent::checked_type(name).expect("a type name"));
        let list = |inner: TypeRef| TypeRef::List(Box::new(inner));
        let scalars = [
            TypeRef::String,
            TypeRef::Bool,
            TypeRef::I32,
            TypeRef::I64,
            TypeRef::F32,
            TypeRef::F64,
            TypeRef::Uuid,
            TypeRef::DateTime,
            TypeRef::Binary,
            TypeRef::Json,
            TypeRef::Pending(7),
            named("Agent"),
        ];
        let mut types = scalars.to_vec();
        for inner in scalars {
            types.push(list(inner.clone()));
            types.push(list(list(inner.clone())));
            types.push(TypeRef::Map(Box::new(list(inner.clone()))));
            types.push(TypeRef::KeyedMap(
                Box::new(named("AgentId")),
                Box::new(TypeRef::Map(Box::new(inner))),
            ));
        }
        for models in ["", "crate::models::", "super::"] {
            for ty in &types {
                let spelled: TokenStream = ty.rust("crate", models).parse().expect("it lexes");
                let built = type_tokens(ty, models);
                assert!(
                    super::super::layout::same_tokens(built.clone(), spelled.clone()),
                    "{ty:?} in {models:?}: built `{built}`, spelled `{spelled}`"
                );
            }
        }
    }
}
