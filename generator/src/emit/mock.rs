//! Emits the generated half of `dixa::testing` (cargo feature `testing`): `src/mock/mod.rs` with
//! `MockDixa::start` and one accessor per group, `src/mock/operations.rs` with the table the fake
//! routes by (every operation's method, path, success status and the spec's example of its answer,
//! as embedded JSON), and `src/mock/<group>.rs` with the group's rules: one method per operation,
//! the operation's `MockOperation` impl (its body and result types, and how a result goes on the
//! wire) and a typed matcher per parameter.
//!
//! The server, the rules and the recording are the runtime's (`mock.rs`, `mock_rules.rs`); what
//! is generated per operation is only what the spec decides, so the feature costs little to compile.

use super::apis::Context;
use super::docs;
use super::features::Features;
use super::rust::{ident, type_tokens};
use crate::ir::{
    Api, BodyEncoding, Group, Operation, Param, ResponseKind, TypeDef, TypeKind, TypeRef,
};
use crate::naming;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeMap;

const MODELS: &str = "crate::models::";

/// The tokens of `src/mock/mod.rs`.
pub fn mod_file(api: &Api, features: &Features) -> TokenStream {
    let doc = docs::inner(
        "The generated half of [`testing`](crate::testing): `MockDixa::start` with the spec's \
         table of operations, and the rules of each operation group.",
    );
    let modules = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let rules = ident(&naming::rules_struct_name(&g.struct_name));
        let cfg = features.cfg_of_group(&g.feature);
        quote! {
            #cfg
            mod #module;
            #cfg
            pub use #module::#rules;
        }
    });
    let accessors = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let accessor = ident(&g.accessor);
        let rules = ident(&naming::rules_struct_name(&g.struct_name));
        let cfg = features.cfg_of_group(&g.feature);
        let doc = docs::raw(&format!(
            "Rules for the operations tagged `{}`, named as [`Client::{}`](crate::Client::{}) \
             names them.",
            g.tag,
            g.accessor.raw(),
            g.accessor.raw()
        ));
        quote! {
            #cfg
            #doc
            pub fn #accessor(&self) -> #module::#rules<'_> {
                #module::#rules { mock: self }
            }
        }
    });
    let start_doc = docs::raw(
        "Starts a fake Dixa on `127.0.0.1` (a free port) serving every operation of the spec: \
         the rules set on it, else the spec's example of the operation's success response.\n\n\
         # Errors\n\n\
         Fails when no port on loopback can be bound.",
    );
    quote! {
        #doc
        #(#modules)*
        mod operations;
        mod resources;

        impl crate::runtime::mock::MockDixa {
            #start_doc
            pub async fn start() -> ::std::result::Result<Self, ::std::io::Error> {
                Self::start_with(operations::OPERATIONS, resources::RESOURCES).await
            }
            #(#accessors)*
        }
    }
}

/// The tokens of `src/mock/operations.rs`: the table of operations as JSON text.
pub fn operations_file(api: &Api) -> TokenStream {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let table: Vec<serde_json::Value> = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .map(|op| {
            let body = match primary_kind(&op.response.kind) {
                ResponseKind::Empty => "empty",
                ResponseKind::Text => "text",
                ResponseKind::Bytes => "bytes",
                _ => "json",
            };
            let mut entry = serde_json::json!({
                "operation": op.id,
                "method": op.method.as_str(),
                "path": op.path,
                "status": op.response.status,
                "body": body,
            });
            let example = op
                .response
                .example
                .clone()
                .or_else(|| sampled(&op.response.kind, &types));
            if let (Some(example), Some(map)) = (example, entry.as_object_mut()) {
                map.insert("example".to_owned(), example);
            }
            entry
        })
        .collect();
    let text = serde_json::Value::Array(table).to_string();
    let doc = docs::raw(
        "Every operation as the fake routes it (operationId, method, path template, success \
         status, kind of body) with the spec's example of its success response (or, where the \
         spec has none, a minimal value of the response's type), as JSON.",
    );
    let text = raw_string(&text);
    quote! {
        #doc
        pub(super) const OPERATIONS: &str = #text;
    }
}

/// `text` as a raw string literal (`r#"..."#`, with as many `#` as it needs). The table is most of
/// the bytes the generator writes, and as an ordinary literal every character of it was escaped
/// (each quote, each non-ASCII character) for `syn` and prettyplease to read and print it back:
/// a raw literal is taken as it is, and reads as the JSON it holds.
fn raw_string(text: &str) -> proc_macro2::Literal {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    // A raw string literal of any text lexes: nothing in it ends it early, and a text that is
    // not a valid token inside one (a lone `\r`, which JSON text never holds) falls back to the
    // ordinary literal.
    literal
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

/// A minimal value of a JSON success response's type, for an operation whose spec gives no
/// example: `None` for other kinds of body.
fn sampled(kind: &ResponseKind, types: &BTreeMap<&str, &TypeDef>) -> Option<serde_json::Value> {
    match primary_kind(kind) {
        ResponseKind::Json(ty) => Some(sample(ty, types, 0)),
        ResponseKind::Data { data, .. } => {
            Some(serde_json::json!({ "data": sample(data, types, 0) }))
        }
        _ => None,
    }
}

/// A minimal valid JSON value of a type: its required members, the first value of an enumeration
/// or variant of a union (with its tag), one element per list. The depth bounds recursive types
/// (the member that closes a recursion is optional or a list, which stays empty past it).
pub(super) fn sample(
    ty: &TypeRef,
    types: &BTreeMap<&str, &TypeDef>,
    depth: usize,
) -> serde_json::Value {
    use serde_json::{json, Value};
    match ty {
        TypeRef::String => json!("text"),
        TypeRef::Bool => json!(true),
        TypeRef::I32 | TypeRef::I64 => json!(1),
        TypeRef::F32 | TypeRef::F64 => json!(1.5),
        TypeRef::Uuid => json!("00000000-0000-0000-0000-000000000001"),
        TypeRef::DateTime => json!("2024-03-11T16:39:30Z"),
        TypeRef::Binary
        | TypeRef::Json
        | TypeRef::Map(_)
        | TypeRef::KeyedMap(..)
        | TypeRef::Pending(_) => json!({}),
        TypeRef::List(_) if depth > 8 => json!([]),
        TypeRef::Named(_) if depth > 32 => Value::Null,
        TypeRef::List(item) => json!([sample(item, types, depth + 1)]),
        TypeRef::Named(name) => match types.get(name.as_str()).map(|t| &t.kind) {
            None => Value::Null,
            Some(TypeKind::Struct { fields }) => Value::Object(
                fields
                    .iter()
                    .filter(|f| f.required && !f.flatten)
                    .map(|f| (f.wire.clone(), sample(&f.ty, types, depth + 1)))
                    .collect(),
            ),
            Some(TypeKind::Alias { target }) => sample(target, types, depth),
            Some(TypeKind::Id { raw }) => sample(raw, types, depth),
            Some(TypeKind::StringEnum { values }) => {
                values.first().map_or(Value::Null, |v| json!(v.wire))
            }
            Some(TypeKind::TaggedUnion { tag, variants }) => {
                variants.first().map_or(Value::Null, |v| {
                    let mut value = sample(&TypeRef::Named(v.ty.clone()), types, depth + 1);
                    if let Value::Object(map) = &mut value {
                        map.insert(tag.property.clone(), json!(v.tag));
                    }
                    value
                })
            }
            Some(TypeKind::Untagged { variants }) => variants
                .first()
                .map_or(Value::Null, |v| sample(&v.ty, types, depth + 1)),
        },
    }
}

/// The kind of the body the success status answers: the lowest status's, for several.
fn primary_kind(kind: &ResponseKind) -> &ResponseKind {
    match kind {
        ResponseKind::Optional { variants } | ResponseKind::ByStatus { variants, .. } => {
            variants.first().map_or(kind, |v| &v.kind)
        }
        kind => kind,
    }
}

/// The tokens of `src/mock/<group>.rs`: the group's rules struct with a method per operation
/// (`mock_rules!`), then each operation's `MockOperation` impl and matchers (`mock_operation!`).
/// Both are macros of the runtime, so the file lists only what the spec decides, which keeps it
/// cheap to render (the runtime's macros are laid out without a parse) and to compile.
pub fn group_file(group: &Group, ctx: &Context<'_>) -> TokenStream {
    let module = ident(&group.module);
    let rules = ident(&naming::rules_struct_name(&group.struct_name));
    let doc = docs::raw(&format!(
        "Rules for the operations tagged `{}`, reached through [`MockDixa::{}`](crate::testing::MockDixa::{}).",
        group.tag,
        group.accessor.raw(),
        group.accessor.raw()
    ));
    let methods = group.operations.iter().map(|op| {
        let name = ident(&op.name);
        let builder = ident(&op.builder);
        let doc = docs::raw(&format!(
            "A rule for [`{}::{}`](crate::apis::{}::{}::{}) (`{} {}`, operationId `{}`): add \
             conditions, then set it with `returns`, `fails`, `rate_limited` or `replies`.",
            group.struct_name,
            op.name.raw(),
            group.module.raw(),
            group.struct_name,
            op.name.raw(),
            op.method,
            op.path,
            op.id
        ));
        quote!(#doc #name: #builder;)
    });
    let operations = group
        .operations
        .iter()
        .map(|op| operation(&module, op, ctx));
    quote! {
        #![allow(deprecated)]

        crate::runtime::mock_rules::mock_rules!(#module {
            #doc
            pub struct #rules;
            #(#methods)*
        });

        #(#operations)*
    }
}

/// The `mock_operation!` invocation of one operation: its `MockOperation` impl and typed matchers.
fn operation(module: &proc_macro2::Ident, op: &Operation, ctx: &Context<'_>) -> TokenStream {
    let builder = ident(&op.builder);
    let id = &op.id;
    // The recorded body is `()` unless the operation takes JSON; the macro leaves `()` out.
    let body = match &op.body {
        Some(body) if matches!(body.encoding, BodyEncoding::Json) => {
            let ty = type_tokens(&body.ty, MODELS);
            quote!(body #ty;)
        }
        _ => TokenStream::new(),
    };
    let status = proc_macro2::Literal::u16_unsuffixed(op.response.status);
    let output = |ty: TokenStream, encode: TokenStream| quote!(output #ty = #encode #status;);
    let answer = match &op.response.kind {
        ResponseKind::Empty => quote!(empty #status;),
        ResponseKind::Json(ty) => output(type_tokens(ty, MODELS), quote!(json)),
        ResponseKind::Data { data, .. } => output(type_tokens(data, MODELS), quote!(data)),
        ResponseKind::Text => output(quote!(str), quote!(text)),
        ResponseKind::Bytes => output(quote!([u8]), quote!(bytes)),
        ResponseKind::Optional { .. } | ResponseKind::ByStatus { .. } => {
            output(quote!(::serde_json::Value), quote!(json))
        }
    };
    // A path and a query parameter may have one Rust name (`{userId}` and `?user_id`): the path
    // parameter keeps the typed matcher, and the query parameter is matched with the generic
    // `with_query_param`.
    let mut taken = std::collections::BTreeSet::new();
    let mut matchers = Vec::new();
    for p in &op.path_params {
        if let Some(tokens) = path_matcher(p, ctx).filter(|_| taken.insert(p.name.raw())) {
            matchers.push(tokens);
        }
    }
    for p in op.required_query.iter().chain(&op.optional_query) {
        if let Some(tokens) = query_matcher(p, ctx).filter(|_| taken.insert(p.name.raw())) {
            matchers.push(tokens);
        }
    }
    quote! {
        crate::runtime::mock_rules::mock_operation!(#module::#builder = #id {
            #body
            #answer
            #(#matchers)*
        });
    }
}

/// The matcher line of a path parameter (`path with_tag_id "tagId": TagId;`), for the types the
/// SDK writes into a path with `Display`.
fn path_matcher(p: &Param, ctx: &Context<'_>) -> Option<TokenStream> {
    if !(ctx.is_id(&p.ty) || p.ty == TypeRef::String || ctx.displays(&p.ty)) {
        return None;
    }
    let name = ident(&naming::rule_matcher_name(&p.name)?);
    let wire = &p.wire;
    let ty = type_tokens(&p.ty, MODELS);
    Some(quote!(path #name #wire: #ty;))
}

/// The matcher line of a query parameter: `query` for a value the SDK writes with `Display`,
/// `query_values` for a list of those, `query_json` for a value written as JSON text.
fn query_matcher(p: &Param, ctx: &Context<'_>) -> Option<TokenStream> {
    let name = ident(&naming::rule_matcher_name(&p.name)?);
    let wire = &p.wire;
    Some(match &p.ty {
        TypeRef::List(inner) if ctx.displays(inner) => {
            let inner = type_tokens(inner, MODELS);
            quote!(query_values #name #wire: #inner;)
        }
        ty if ctx.displays(ty) => {
            let ty = type_tokens(ty, MODELS);
            quote!(query #name #wire: #ty;)
        }
        ty => {
            let ty = type_tokens(ty, MODELS);
            quote!(query_json #name #wire: #ty;)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::raw_string;
    use quote::quote;

    #[test]
    fn the_operations_table_is_a_raw_literal_with_as_many_hashes_as_it_needs() {
        for (text, opening) in [
            (r#"{"a":"b"}"#, "r#\""),
            (r##"{"color":"#fff"}"##, "r##\""),
            (r###"["#","##x"]"###, "r###\""),
        ] {
            let literal = raw_string(text);
            assert!(literal.to_string().starts_with(opening), "{literal}");
            let read: syn::LitStr = syn::parse2(quote!(#literal)).unwrap();
            assert_eq!(read.value(), text);
        }
    }
}
