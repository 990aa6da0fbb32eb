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
pub fn type_tokens(ty: &TypeRef, models: &str) -> TokenStream {
    let text = ty.rust("crate", models);
    // The spelling is built from names `naming` made valid and fixed Rust paths, so it always
    // lexes; if it did not, the SDK must not compile.
    text.parse().unwrap_or_else(|_| {
        let message = format!("generator bug: `{text}` is not a Rust type");
        quote!(compile_error!(#message))
    })
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
