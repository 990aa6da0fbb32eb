//! Emits `dixa::apis`: one module per operation group, each a struct borrowing the client with one
//! async method per operation. The methods only describe the request; sending, retrying and decoding
//! are the hand-written runtime's job.

use super::docs;
use super::features::Features;
use super::rust::{arg_tokens, ident, type_tokens};
use crate::ir::{
    Api, Body, BodyEncoding, Field, Group, Operation, Param, ResponseKind, TypeKind, TypeRef,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

/// Facts about the model types that decide how a value is put into a URL or form.
pub struct Context {
    /// Named types that display as a plain string (string enums).
    display: BTreeSet<String>,
}

impl Context {
    /// Collects what the emitter needs to know about the models.
    pub fn new(api: &Api) -> Self {
        Self {
            display: api
                .types
                .iter()
                .filter(|t| matches!(t.kind, TypeKind::StringEnum { .. }))
                .map(|t| t.name.clone())
                .collect(),
        }
    }

    /// Whether a value of `ty` is written into a URL or form field with `Display`.
    fn displays(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(name) => self.display.contains(name),
            TypeRef::Json | TypeRef::Binary | TypeRef::List(_) | TypeRef::Map(_) => false,
            TypeRef::Pending(_) => false,
            _ => true,
        }
    }
}

fn models() -> TokenStream {
    quote!(crate::models::)
}

/// The tokens of `src/apis/mod.rs`: the group modules and the accessors on `Client`.
pub fn mod_file(api: &Api, features: &Features) -> TokenStream {
    let modules = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let cfg = features.cfg_of_group(&g.feature);
        let doc = docs::raw(&format!(
            "Operations tagged `{}` (cargo feature `{}`).",
            g.tag, g.feature
        ));
        quote!(#cfg #doc pub mod #module;)
    });
    let accessors = api.groups.iter().map(|g| {
        let module = ident(&g.module);
        let accessor = ident(&g.accessor);
        let group = ident(&g.struct_name);
        let cfg = features.cfg_of_group(&g.feature);
        let doc = docs::attrs(&g.docs, "");
        quote! {
            #cfg
            #doc
            pub fn #accessor(&self) -> #module::#group<'_> {
                #module::#group { client: self }
            }
        }
    });
    let module_doc = docs::inner(
        "The operations of the API, grouped by their first tag.\n\n\
         Each group is reached through a method on [`Client`](crate::Client), for example \
         `client.conversations()`, and has one async method per operation.",
    );
    quote! {
        #module_doc
        #(#modules)*

        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// The tokens of one group's module.
pub fn group_file(group: &Group, ctx: &Context) -> TokenStream {
    let name = ident(&group.struct_name);
    let accessor = &group.accessor;
    let struct_doc = docs::raw(&format!(
        "The operations tagged `{}`, reached through [`Client::{accessor}`](crate::Client::{accessor}).",
        group.tag
    ));
    let params = group
        .operations
        .iter()
        .filter_map(|op| params_struct(group, op));
    let methods = group.operations.iter().map(|op| method(op, ctx));
    quote! {
        #![allow(deprecated)]

        #struct_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        #(#params)*

        impl #name<'_> {
            #(#methods)*
        }
    }
}

fn params_struct(group: &Group, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_ref()?);
    let doc = docs::raw(&format!(
        "Optional query parameters of [`{}::{}`].",
        group.struct_name,
        op.name.trim_start_matches("r#")
    ));
    let fields = op.optional_query.iter().map(|p| {
        let field = ident(&p.name);
        let ty = type_tokens(&p.ty, &models());
        let doc = docs::attrs(&p.docs, &format!("The `{}` query parameter.", p.wire));
        quote!(#doc pub #field: Option<#ty>,)
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
    })
}

fn method_docs(op: &Operation) -> TokenStream {
    let returns = match &op.response.kind {
        ResponseKind::Empty => "nothing".to_owned(),
        ResponseKind::Json(_) => "the response body".to_owned(),
        ResponseKind::Data { envelope, .. } => {
            format!("the `data` member of the `{envelope}` envelope")
        }
    };
    let tail = format!(
        "`{} {}` (operationId `{}`); on success ({}) returns {returns}.",
        op.method, op.path, op.id, op.response.status
    );
    let mut docs = op.docs.clone();
    if docs.summary.is_none() {
        docs.summary = Some(op.id.clone());
    }
    docs::attrs_with_tail(&docs, "", Some(&tail))
}

/// The method (or methods, for a paginated operation) of one operation.
fn method(op: &Operation, ctx: &Context) -> TokenStream {
    let name = ident(&op.name);
    let doc = method_docs(op);
    let (params, build) = request(op, ctx);
    let args: Vec<TokenStream> = params.iter().map(|(n, ty)| quote!(#n: #ty)).collect();
    let (output, finish) = match &op.response.kind {
        ResponseKind::Empty => (quote!(()), quote!(response.empty())),
        ResponseKind::Json(ty) => (type_tokens(ty, &models()), quote!(response.json())),
        ResponseKind::Data {
            data,
            required: true,
            ..
        } => (type_tokens(data, &models()), quote!(response.data())),
        ResponseKind::Data { data, .. } => (
            type_tokens(data, &models()),
            quote!(response.data_or_default()),
        ),
    };
    let Some(pagination) = &op.pagination else {
        return quote! {
            #doc
            pub async fn #name(&self, #(#args),*) -> Result<#output, crate::Error> {
                #build
                let response = self.client.send(request).await?;
                #finish
            }
        };
    };
    // A paginated operation builds its request in one private method, used by both the one-page
    // method and the `Pages` method.
    let pages = ident(&pagination.method);
    let builder = ident(&pagination.request_builder);
    let item = type_tokens(&pagination.item, &models());
    let arg_names = params.iter().map(|(n, _)| n);
    let arg_names2 = arg_names.clone();
    let pages_doc = docs::raw(&format!(
        "[`{}`](Self::{}) across pages: follows `meta.next` until it is absent, keeping this \
         call's parameters on every page. Read the result page by page with \
         [`Pages::next_page`](crate::Pages::next_page) or item by item with \
         [`Pages::items`](crate::Pages::items).",
        op.name.trim_start_matches("r#"),
        op.name.trim_start_matches("r#"),
    ));
    quote! {
        #doc
        pub async fn #name(&self, #(#args),*) -> Result<#output, crate::Error> {
            let request = Self::#builder(#(#arg_names),*)?;
            let response = self.client.send(request).await?;
            #finish
        }

        #pages_doc
        pub fn #pages(&self, #(#args),*) -> crate::Pages<#item> {
            crate::Pages::new(self.client.clone(), Self::#builder(#(#arg_names2),*))
        }

        fn #builder(#(#args),*) -> Result<crate::runtime::request::Request, crate::Error> {
            #build
            Ok(request)
        }
    }
}

/// The arguments (name and type) of an operation's method and the statements that build its
/// `request`.
fn request(op: &Operation, ctx: &Context) -> (Vec<(Ident, TokenStream)>, TokenStream) {
    let operation_id = &op.id;
    let http_method = format_ident!("{}", op.method);
    let template = &op.path;

    let mut args = Vec::new();
    let mut steps = Vec::new();
    for p in &op.path_params {
        args.push(arg(p));
        let arg_name = ident(&p.name);
        let wire = &p.wire;
        steps.push(quote!(request.path_param(#wire, &#arg_name);));
    }
    for p in &op.required_query {
        args.push(arg(p));
        let value = ident(&p.name);
        steps.push(query_step(&p.wire, quote!(#value), &p.ty, ctx));
    }
    if let Some(body) = &op.body {
        let (arg, step) = body_arg(body, ctx);
        args.push(arg);
        steps.push(step);
    }
    if let Some(params) = &op.params_struct {
        let params = ident(params);
        args.push((format_ident!("params"), quote!(&#params)));
        for p in &op.optional_query {
            let field = ident(&p.name);
            let step = query_step(&p.wire, quote!(value), &p.ty, ctx);
            steps.push(quote! {
                if let Some(value) = &params.#field {
                    #step
                }
            });
        }
    }
    let mutable = (!steps.is_empty()).then(|| quote!(mut));
    let build = quote! {
        let #mutable request = crate::runtime::request::Request::new(
            #operation_id,
            reqwest::Method::#http_method,
            #template,
        );
        #(#steps)*
    };
    (args, build)
}

fn arg(p: &Param) -> (Ident, TokenStream) {
    (ident(&p.name), arg_tokens(&p.ty, &models()))
}

/// Adds one query parameter; lists repeat the key (`?a=1&a=2`), the form Dixa's server reads.
fn query_step(wire: &str, value: TokenStream, ty: &TypeRef, ctx: &Context) -> TokenStream {
    match ty {
        TypeRef::List(inner) if ctx.displays(inner) => quote! {
            for item in (#value).iter() {
                request.query(#wire, item);
            }
        },
        ty if ctx.displays(ty) => quote!(request.query(#wire, &#value);),
        _ => quote!(request.query_json(#wire, &#value)?;),
    }
}

fn body_arg(body: &Body, ctx: &Context) -> ((Ident, TokenStream), TokenStream) {
    let ty = arg_tokens(&body.ty, &models());
    let arg = if body.required {
        (format_ident!("body"), ty)
    } else {
        (format_ident!("body"), quote!(Option<#ty>))
    };
    let encode = match &body.encoding {
        BodyEncoding::Json => quote!(request.json(body)?;),
        BodyEncoding::Multipart { parts } if !parts.is_empty() => {
            let parts = parts.iter().map(|f| form_part(f, ctx));
            quote! {
                let mut form = crate::runtime::request::Multipart::default();
                #(#parts)*
                request.multipart(form);
            }
        }
        BodyEncoding::Multipart { .. } => quote! {
            let mut form = crate::runtime::request::Multipart::default();
            form.json("body", body)?;
            request.multipart(form);
        },
    };
    let step = if body.required {
        encode
    } else {
        quote! {
            if let Some(body) = body {
                #encode
            }
        }
    };
    (arg, step)
}

/// Adds one field of a multipart body: files as file parts (one per element for lists), plain
/// values as text, anything else as JSON text.
fn form_part(f: &Field, ctx: &Context) -> TokenStream {
    let field = ident(&f.name);
    let wire = &f.wire;
    let add = |value: TokenStream| match &f.ty {
        TypeRef::Binary => quote!(form.file(#wire, #value);),
        TypeRef::List(inner) if **inner == TypeRef::Binary => quote! {
            for file in (#value).iter() {
                form.file(#wire, file);
            }
        },
        ty if ctx.displays(ty) => quote!(form.text(#wire, #value);),
        _ => quote!(form.json(#wire, #value)?;),
    };
    if f.required {
        add(quote!(&body.#field))
    } else {
        let add = add(quote!(value));
        quote! {
            if let Some(value) = &body.#field {
                #add
            }
        }
    }
}
