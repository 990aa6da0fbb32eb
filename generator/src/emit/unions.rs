//! The conveniences of tagged unions, written as invocations of the runtime's
//! `tagged_union!` and `tagged_union_helpers!`:
//!
//! * `is_<variant>()` and `as_<variant>()` for every known variant;
//! * `From<Struct>` for every variant whose struct no other variant of the same union carries (two
//!   variants of one struct, such as `Csat` and `Nps` scores, would make `into()` ambiguous);
//! * an accessor for every field that all known variants carry under the same name and type
//!   (`conversation.id()`), returning an `Option` because the `Unknown` variant has no typed fields;
//! * for unions a request uses (the ones callers build), a short constructor per variant that takes
//!   the arguments of the variant struct's `new` (`CreateMessageInput::inbound(Text::new("hi"))`), or
//!   its parameter struct where `new` takes one (`PeriodFilter::interval(IntervalRequired { .. })`).
//!
//! Method names come from `naming::variant_methods`; an accessor or constructor whose name another
//! method of the union already has (`type_name`, an `is_`/`as_` helper, or an accessor) is left out
//! rather than renamed, since a numbered accessor would read as a different field.

use super::constructors::Shape;
use super::context::Context;
use super::rust::{ident, type_tokens};
use crate::ir::{Field, TypeKind, TypeRef, UnionTag, UnionVariant, DIXA_TAG};
use crate::naming::{self, RustIdent};
use proc_macro2::TokenStream;
use quote::quote;

/// The `tagged_union!` invocation of a union and, when it has any, its `tagged_union_helpers!`.
pub fn union_impls(
    name: &RustIdent,
    tag: &UnionTag,
    variants: &[UnionVariant],
    ctx: &Context,
    cfg: &TokenStream,
) -> TokenStream {
    let union = ident(name);
    let names: Vec<&RustIdent> = variants.iter().map(|v| &v.name).collect();
    let methods = naming::variant_methods(&names);
    let mut taken = naming::fixed_union_methods(&methods);

    let mapping = variants.iter().zip(&methods).map(|(v, m)| {
        let variant = ident(&v.name);
        let ty = ident(&v.ty);
        let tag = &v.tag;
        let is = ident(&m.is);
        let as_ref = ident(&m.as_ref);
        quote!(#variant(#ty) = #tag, #is, #as_ref;)
    });

    let from: Vec<TokenStream> = variants
        .iter()
        .filter(|v| variants.iter().filter(|w| w.ty == v.ty).count() == 1)
        .map(|v| {
            let variant = ident(&v.name);
            let ty = ident(&v.ty);
            quote!(#variant(#ty);)
        })
        .collect();

    let structs: Option<Vec<&Vec<Field>>> = variants
        .iter()
        .map(|v| match ctx.types.get(v.ty.as_str()).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields }) => Some(fields),
            _ => None,
        })
        .collect();
    let mut fields = Vec::new();
    if let Some(structs) = structs.as_ref().filter(|s| !s.is_empty()) {
        for field in structs[0] {
            // The map of a variant's other keys is no member the variants share.
            if field.flatten || taken.contains(field.name.as_str()) {
                continue;
            }
            let per_variant: Option<Vec<&Field>> = structs
                .iter()
                .map(|fs| {
                    fs.iter()
                        .find(|f| f.wire == field.wire && f.name == field.name)
                        .filter(|f| f.ty == field.ty && !f.boxed)
                })
                .collect();
            if let Some(per_variant) = per_variant {
                taken.insert(field.name.to_string());
                fields.push(accessor(name, variants, field, &per_variant, ctx));
            }
        }
    }

    let mut constructors = Vec::new();
    let mut named = Vec::new();
    if ctx.sent.contains(name.as_str()) {
        if let Some(structs) = &structs {
            for ((v, m), fields) in variants.iter().zip(&methods).zip(structs) {
                let unique = variants.iter().filter(|w| w.ty == v.ty).count() == 1;
                if !unique || !taken.insert(m.new.to_string()) {
                    continue;
                }
                let new = ident(&m.new);
                let variant = ident(&v.name);
                let ty = ident(&v.ty);
                match ctx.constructor(&v.ty, fields) {
                    Shape::Positional(required) => {
                        let args = required.into_iter().map(|f| {
                            let arg = ident(&f.name);
                            let ty = super::context::stored_type(f);
                            quote!(#arg: #ty)
                        });
                        let doc = super::docs::raw(&format!(
                            "The [`{}`](Self::{}) variant, built by [`{}::new`] from the same arguments.",
                            v.name, v.name, v.ty
                        ));
                        constructors.push(quote!(#doc #new(#(#args),*) => #variant(#ty);));
                    }
                    Shape::Named { name: params, .. } => {
                        let doc = super::docs::raw(&format!(
                            "The [`{}`](Self::{}) variant, built by [`{}::new`] from the same \
                             [`{params}`] of its required fields.",
                            v.name, v.name, v.ty
                        ));
                        let params = ident(&params);
                        named.push(quote!(#doc #new(#params) => #variant(#ty);));
                    }
                }
            }
        }
    }

    let derived = super::accessors::union_accessors(name, variants, ctx, &mut taken);
    let derived = (!derived.is_empty()).then(|| {
        quote! {
            #cfg
            impl #union { #(#derived)* }
        }
    });

    // The `named` section is left out when empty, so unions without such variants read as before.
    let named = (!named.is_empty()).then(|| quote!(named { #(#named)* }));
    let helpers =
        (!from.is_empty() || !fields.is_empty() || !constructors.is_empty() || named.is_some())
            .then(|| {
                quote! {
                    #cfg
                    crate::runtime::macros::tagged_union_helpers!(#union {
                        from { #(#from)* }
                        fields { #(#fields)* }
                        new { #(#constructors)* }
                        #named
                    });
                }
            });
    // Dixa's `_type` is the macro's default, so its unions are written without naming it.
    let by = (tag.property != DIXA_TAG).then(|| {
        let property = &tag.property;
        quote!(by #property)
    });
    quote! {
        #cfg
        crate::runtime::macros::tagged_union!(#union #by { #(#mapping)* });
        #helpers
        #derived
    }
}

/// One accessor line of `tagged_union_helpers!`: the return type, how the value is lent, and
/// whether each variant always has the field.
fn accessor(
    union: &str,
    variants: &[UnionVariant],
    field: &Field,
    each: &[&Field],
    ctx: &Context,
) -> TokenStream {
    let name = ident(&field.name);
    // Small scalars and ids over them are `Copy`, and are handed out by value.
    let copy_id = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => ctx
            .types
            .get(name.as_str())
            .is_some_and(|d| d.kind.is_copy_id()),
        _ => false,
    };
    let (mode, ret) = match &field.ty {
        ty if ty.is_small_copy() || copy_id(ty) => {
            let ty = type_tokens(ty, "");
            (quote!(copy), quote!(Option<#ty>))
        }
        TypeRef::String => (quote!(str), quote!(Option<&str>)),
        TypeRef::List(inner) => {
            let inner = type_tokens(inner, "");
            (quote!(slice), quote!(Option<&[#inner]>))
        }
        ty => {
            let ty = type_tokens(ty, "");
            (quote!(ref), quote!(Option<&#ty>))
        }
    };
    let always = each.iter().all(|f| f.required || f.empty_when_absent);
    let arms = variants.iter().zip(each).map(|(v, f)| {
        let variant = ident(&v.name);
        if f.required || f.empty_when_absent {
            quote!(#variant some)
        } else {
            quote!(#variant opt)
        }
    });
    let when_none = if always {
        "Every known variant has it; `None` only for [`Unknown`](Self::Unknown)."
    } else {
        "`None` where the variant leaves it out, and for [`Unknown`](Self::Unknown)."
    };
    let about = field
        .docs
        .description
        .as_deref()
        .map(super::docs::sanitize)
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("The `{}` of any variant of `{union}`.", field.wire));
    let doc = super::docs::raw(&format!("{about}\n\n{when_none}"));
    quote!(#doc #name -> #ret = #mode [#(#arms),*];)
}
