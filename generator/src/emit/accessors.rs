//! Accessors derived from the shapes of the variants of a tagged union, for what a reader wants
//! without matching on the variant:
//!
//! * `text()`: the text a value carries, wherever its variant keeps it. Text is found by a rule,
//!   not by name: a *text form* is a tagged union whose variants are all structs of one required
//!   string under the same key (Dixa's `Content`: `Text`, `Html`, `Markdown`, each a `value`); a
//!   type carries text when it is a text form, a union with a variant that carries text, or a
//!   struct with exactly one field that carries text (a list never does: which item would it
//!   be?). Every union that carries text and is not a text form itself gets `text()` (`Attributes`,
//!   whose chat, SMS, ... variants hold `content` and whose email variants hold it one level
//!   deeper, in `EmailContent::Regular`), and so does a struct whose one text-carrying field is
//!   such a union (`Message`, through `attributes`).
//! * Widened fields: a field that several variants carry as numbers of different types (`value`,
//!   `f64` in `DoubleAggregateValue` and `i64` in `LongAggregateValue`) is read as `f64`; one they
//!   carry as different string enumerations (`measure`) is read as the one enumeration of the API
//!   whose values include all of theirs (`AggregateMeasure`). Variants without the field, or with
//!   another type under its name, give `None`.
//!
//! An accessor whose name the union already uses (a variant helper, a shared field, a
//! constructor) is left out, as `unions.rs` does for its own.

use super::context::Context;
use super::rust::ident;
use crate::ir::{Field, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::naming::{self, RustIdent};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

/// How deep the search for text follows fields and variants; Dixa's deepest text is three steps
/// down (`Attributes` -> `EmailAttributes.email_content` -> `Regular.content`), and the limit also
/// ends the walk around recursive types.
const MAX_DEPTH: usize = 6;

/// The derived accessors of the union `name`, as methods of one `impl` block (empty when none
/// applies). `taken` holds the names of the union's other methods and gets the new ones.
pub fn union_accessors(
    name: &RustIdent,
    variants: &[UnionVariant],
    ctx: &Context,
    taken: &mut BTreeSet<String>,
) -> Vec<TokenStream> {
    let mut methods = Vec::new();
    let text = naming::text_method();
    if is_text_form(variants, ctx).is_none() && !taken.contains(text.raw()) {
        let value = quote!(self);
        if let Some(body) = union_text(name, variants, &value, ctx, 0) {
            taken.insert(text.raw().to_owned());
            let method = ident(&text);
            let without = without_text(variants, ctx);
            let none = if without.is_empty() {
                String::new()
            } else {
                format!(" ({})", without.join(", "))
            };
            let doc = super::docs::raw(&format!(
                "The text this value carries, whichever variant holds it and however deep, as \
                 written (plain text, HTML or Markdown: the variant of its content says which).\n\n\
                 `None` for a variant that carries no text{none}, one that leaves it out, and \
                 [`Unknown`](Self::Unknown)."
            ));
            methods.push(quote! {
                #doc
                pub fn #method(&self) -> Option<&str> { #body }
            });
        }
    }
    methods.extend(widened(name, variants, ctx, taken));
    methods
}

/// The `text()` of a struct whose one text-carrying field is a union that has `text()` itself.
pub fn struct_text(fields: &[Field], ctx: &Context) -> Option<TokenStream> {
    let text = naming::text_method();
    if fields.iter().any(|f| f.name.raw() == text.raw()) {
        return None;
    }
    let carrying: Vec<&Field> = fields
        .iter()
        .filter(|f| !f.flatten && carries_text(&f.ty, ctx, 0))
        .collect();
    let [field] = carrying.as_slice() else {
        return None;
    };
    let TypeRef::Named(union) = &field.ty else {
        return None;
    };
    let TypeKind::TaggedUnion { variants, .. } = &ctx.types.get(union.as_str())?.kind else {
        return None;
    };
    if is_text_form(variants, ctx).is_some() {
        return None;
    }
    let name = ident(&field.name);
    let method = ident(&text);
    let body = if field.required || field.empty_when_absent {
        quote!(self.#name.#method())
    } else {
        quote!(self.#name.as_ref().and_then(|v| v.#method()))
    };
    let doc = super::docs::raw(&format!(
        "The text of its `{}`, whichever variant it is: [`{union}::text`].",
        field.wire
    ));
    Some(quote! {
        #doc
        pub fn #method(&self) -> Option<&str> { #body }
    })
}

/// The key of the one string of every variant, when `variants` are a text form.
fn is_text_form<'a>(variants: &[UnionVariant], ctx: &Context<'a>) -> Option<&'a str> {
    let mut key = None;
    for v in variants {
        let fields = struct_fields(v, ctx)?;
        let [field] = fields.as_slice() else {
            return None;
        };
        if field.ty != TypeRef::String || !field.required || field.flatten {
            return None;
        }
        match key {
            Some(k) if k != field.wire.as_str() => return None,
            _ => key = Some(field.wire.as_str()),
        }
    }
    key.filter(|_| variants.len() >= 2)
}

fn struct_fields<'a>(v: &UnionVariant, ctx: &Context<'a>) -> Option<&'a Vec<Field>> {
    match &ctx.types.get(v.ty.as_str())?.kind {
        TypeKind::Struct { fields } => Some(fields),
        _ => None,
    }
}

/// Whether a value of `ty` carries text (see the module's documentation): whether [`text_of`]
/// finds an expression, decided without building one (every field of every struct is asked).
/// Debug builds, which every test is, check that the two agree on each call.
fn carries_text(ty: &TypeRef, ctx: &Context, depth: usize) -> bool {
    let carries = match ty {
        TypeRef::Named(name) => named_carries_text(name, ctx, depth),
        _ => false,
    };
    debug_assert_eq!(
        carries,
        text_of(ty, &quote!(value), ctx, depth).is_some(),
        "carries_text and text_of disagree on {ty:?}"
    );
    carries
}

fn named_carries_text(name: &RustIdent, ctx: &Context, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match ctx.types.get(name.as_str()).map(|def| &def.kind) {
        // A text form's variants each hold one field, its text.
        Some(TypeKind::TaggedUnion { variants, .. }) => {
            is_text_form(variants, ctx).is_some()
                || variants
                    .iter()
                    .any(|v| named_carries_text(&v.ty, ctx, depth + 1))
        }
        Some(TypeKind::Struct { fields }) => {
            fields
                .iter()
                .filter(|f| !f.flatten && carries_text(&f.ty, ctx, depth + 1))
                .count()
                == 1
        }
        _ => false,
    }
}

/// The names of the variants that carry no text, for the docs.
fn without_text(variants: &[UnionVariant], ctx: &Context) -> Vec<String> {
    variants
        .iter()
        .filter(|v| !carries_text(&TypeRef::Named(v.ty.clone()), ctx, 1))
        .map(|v| format!("`{}`", v.name))
        .collect()
}

/// An expression of type `Option<&str>`: the text of `value`, a reference to a `ty`; `None` when
/// `ty` carries no text.
fn text_of(ty: &TypeRef, value: &TokenStream, ctx: &Context, depth: usize) -> Option<TokenStream> {
    if depth > MAX_DEPTH {
        return None;
    }
    let TypeRef::Named(name) = ty else {
        return None;
    };
    let def: &TypeDef = ctx.types.get(name.as_str())?;
    match &def.kind {
        TypeKind::TaggedUnion { variants, .. } => match is_text_form(variants, ctx) {
            Some(_) => {
                let field = struct_fields(variants.first()?, ctx)?.first()?;
                // The text form's shared field has its accessor (`Content::value`, written by
                // `unions.rs` unless a fixed method of the union has its name), which already
                // reads the string of every variant; the match is written out only where one did.
                let names: Vec<&RustIdent> = variants.iter().map(|v| &v.name).collect();
                let fixed = naming::fixed_union_methods(&naming::variant_methods(&names));
                if !fixed.contains(field.name.as_str()) {
                    let accessor = ident(&field.name);
                    return Some(quote!(#value.#accessor()));
                }
                let union = ident(name);
                let field = ident(&field.name);
                let arms = variants.iter().map(|v| {
                    let variant = ident(&v.name);
                    quote!(#union::#variant(v) => Some(v.#field.as_str()),)
                });
                Some(quote!(match #value { #(#arms)* #union::Unknown(_) => None, }))
            }
            None => union_text(name, variants, value, ctx, depth),
        },
        TypeKind::Struct { fields } => {
            let found: Vec<(&Field, TokenStream)> = fields
                .iter()
                .filter(|f| !f.flatten)
                .filter_map(|f| {
                    let inner = text_of(&f.ty, &quote!(v), ctx, depth + 1)?;
                    Some((f, inner))
                })
                .collect();
            let [(field, inner)] = found.as_slice() else {
                return None;
            };
            let name = ident(&field.name);
            Some(if field.required || field.empty_when_absent {
                let borrow = if field.boxed {
                    quote!(&*#value.#name)
                } else {
                    quote!(&#value.#name)
                };
                quote!({ let v = #borrow; #inner })
            } else {
                let lend = if field.boxed {
                    quote!(as_deref)
                } else {
                    quote!(as_ref)
                };
                quote!(#value.#name.#lend().and_then(|v| #inner))
            })
        }
        _ => None,
    }
}

/// The `match` reading the text of each variant of the union `name` that carries one; `None` when
/// no variant does.
fn union_text(
    name: &RustIdent,
    variants: &[UnionVariant],
    value: &TokenStream,
    ctx: &Context,
    depth: usize,
) -> Option<TokenStream> {
    let union = ident(name);
    let arms: Vec<TokenStream> = variants
        .iter()
        .filter_map(|v| {
            let inner = text_of(&TypeRef::Named(v.ty.clone()), &quote!(v), ctx, depth + 1)?;
            let variant = ident(&v.name);
            Some(quote!(#union::#variant(v) => #inner,))
        })
        .collect();
    if arms.is_empty() {
        return None;
    }
    Some(quote!(match #value { #(#arms)* _ => None, }))
}

/// The widened accessors: numbers of several types read as `f64`, several string enumerations
/// read as the API's enumeration that includes them all.
fn widened(
    union: &RustIdent,
    variants: &[UnionVariant],
    ctx: &Context,
    taken: &mut BTreeSet<String>,
) -> Vec<TokenStream> {
    let structs: Vec<(&UnionVariant, &Vec<Field>)> = variants
        .iter()
        .filter_map(|v| Some((v, struct_fields(v, ctx)?)))
        .collect();
    // Every field name some variant has, in sorted order for a deterministic output.
    let names: BTreeSet<&RustIdent> = structs
        .iter()
        .flat_map(|(_, fields)| fields.iter().map(|f| &f.name))
        .collect();
    let mut methods = Vec::new();
    for name in names {
        if taken.contains(name.raw()) {
            continue;
        }
        let carriers: Vec<(&UnionVariant, &Field)> = structs
            .iter()
            .filter_map(|(v, fields)| Some((*v, fields.iter().find(|f| &f.name == name)?)))
            .filter(|(_, f)| !f.flatten && !f.boxed)
            .collect();
        let method = if let Some(m) = numeric(name, &carriers) {
            m
        } else if let Some(m) = enumeration(union, name, &carriers, ctx) {
            m
        } else {
            continue;
        };
        taken.insert(name.raw().to_owned());
        methods.push(method);
    }
    methods
}

fn is_number(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64
    )
}

/// `name` read as `f64` from the variants that hold it as a number, when at least two do, with
/// different types.
fn numeric(name: &RustIdent, carriers: &[(&UnionVariant, &Field)]) -> Option<TokenStream> {
    let numbers: Vec<&(&UnionVariant, &Field)> =
        carriers.iter().filter(|(_, f)| is_number(&f.ty)).collect();
    let types: BTreeSet<String> = numbers.iter().map(|(_, f)| format!("{:?}", f.ty)).collect();
    if numbers.len() < 2 || types.len() < 2 {
        return None;
    }
    let field = ident(name);
    let arms = numbers.iter().map(|(v, f)| {
        let variant = ident(&v.name);
        let read = if f.ty == TypeRef::F64 {
            quote!(v.#field)
        } else {
            quote!(v.#field as f64)
        };
        if f.required || f.empty_when_absent {
            quote!(Self::#variant(v) => Some(#read),)
        } else if f.ty == TypeRef::F64 {
            quote!(Self::#variant(v) => v.#field,)
        } else {
            quote!(Self::#variant(v) => v.#field.map(|x| x as f64),)
        }
    });
    let holders: Vec<String> = numbers
        .iter()
        .map(|(v, _)| format!("`{}`", v.name))
        .collect();
    let doc = super::docs::raw(&format!(
        "The number `{}` of the variants that hold one ({}), as `f64` whatever its type (an \
         integer above 2^53 loses its last digits).\n\n`None` for the other variants and for \
         [`Unknown`](Self::Unknown).",
        carriers[0].1.wire,
        holders.join(", ")
    ));
    Some(quote! {
        #doc
        pub fn #field(&self) -> Option<f64> {
            match self { #(#arms)* _ => None, }
        }
    })
}

/// `name` read as the API's one string enumeration whose values include those of every variant's
/// enumeration under that name, when at least two variants hold different enumerations. The
/// enumeration must be compiled wherever the union is (its cargo features).
fn enumeration(
    union: &RustIdent,
    name: &RustIdent,
    carriers: &[(&UnionVariant, &Field)],
    ctx: &Context,
) -> Option<TokenStream> {
    let values_of = |ty: &TypeRef| -> Option<BTreeSet<&str>> {
        let TypeRef::Named(n) = ty else { return None };
        match &ctx.types.get(n.as_str())?.kind {
            TypeKind::StringEnum { values } => {
                Some(values.iter().map(|v| v.wire.as_str()).collect())
            }
            _ => None,
        }
    };
    let enums: Vec<&(&UnionVariant, &Field)> = carriers
        .iter()
        .filter(|(_, f)| values_of(&f.ty).is_some())
        .collect();
    let types: BTreeSet<String> = enums.iter().map(|(_, f)| format!("{:?}", f.ty)).collect();
    if enums.len() < 2 || types.len() < 2 {
        return None;
    }
    let all: BTreeSet<&str> = enums
        .iter()
        .filter_map(|(_, f)| values_of(&f.ty))
        .flatten()
        .collect();
    // The smallest enumeration that includes them all; two of one size leave the choice open.
    let mut wider: Vec<(usize, &RustIdent)> = ctx
        .types
        .values()
        .filter(|d| ctx.features.compiled_with(union.as_str(), d.name.as_str()))
        .filter_map(|d| match &d.kind {
            TypeKind::StringEnum { values } => {
                let own: BTreeSet<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                own.is_superset(&all).then_some((own.len(), &d.name))
            }
            _ => None,
        })
        .collect();
    wider.sort();
    let target = match wider.as_slice() {
        [(n, t), (m, _), ..] if n < m => *t,
        [(_, t)] => *t,
        _ => return None,
    };
    let field = ident(name);
    let target_ty = ident(target);
    let arms = enums.iter().map(|(v, f)| {
        let variant = ident(&v.name);
        if f.required || f.empty_when_absent {
            quote!(Self::#variant(v) => Some(#target_ty::from(v.#field.as_str())),)
        } else {
            quote!(Self::#variant(v) => v.#field.as_ref().map(|x| #target_ty::from(x.as_str())),)
        }
    });
    let holders: Vec<String> = enums.iter().map(|(v, _)| format!("`{}`", v.name)).collect();
    let doc = super::docs::raw(&format!(
        "The `{}` of the variants that hold one ({}), as a [`{target}`], which has every value \
         of theirs.\n\n`None` for the other variants and for [`Unknown`](Self::Unknown).",
        enums[0].1.wire,
        holders.join(", ")
    ));
    Some(quote! {
        #doc
        pub fn #field(&self) -> Option<#target_ty> {
            match self { #(#arms)* _ => None, }
        }
    })
}
