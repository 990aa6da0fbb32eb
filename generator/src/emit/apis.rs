//! Emits `dixa::apis`: one module per operation group, each a struct borrowing the client with one
//! method per operation, which returns the operation's request builder. The methods and builders only
//! describe the request; sending, retrying and decoding are the hand-written runtime's job.

use super::docs;
use super::features::Features;
use super::rust::{arg_tokens, ident, type_tokens};
use crate::ir::{
    Api, Body, BodyEncoding, Field, FormField, FormValue, Group, Operation, Param, ResponseKind,
    SecondsPrecision, StatusVariant, TypeDef, TypeRef,
};
use crate::naming;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// Facts about the model types that decide how a value is put into a URL or form.
pub struct Context<'a> {
    types: &'a [TypeDef],
    /// Every type by name, for the examples in the docs.
    by_name: std::collections::BTreeMap<&'a str, &'a TypeDef>,
    /// The values of the spec's examples, for the arguments of the examples in the docs.
    samples: super::examples::Samples,
}

impl<'a> Context<'a> {
    /// Collects what the emitter needs to know about the models.
    pub fn new(api: &'a Api) -> Self {
        let by_name = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let samples =
            super::examples::Samples::new(api.groups.iter().flat_map(|g| &g.operations), &by_name);
        Self {
            types: &api.types,
            by_name,
            samples,
        }
    }

    /// Whether a value of `ty` is written into a URL or form field with `Display`.
    pub(super) fn displays(&self, ty: &TypeRef) -> bool {
        crate::ir::displays_in_url(self.types, ty)
    }

    /// Whether a value of `ty` is a date-time (through aliases), which a URL carries as its instant
    /// in UTC (`DateTime::to_utc_string`) rather than with `Display`, the form a body round-trips.
    fn is_date_time(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        // A chain of aliases longer than the number of types has a cycle.
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::DateTime => return true,
                TypeRef::Named(name) => match self.by_name.get(name.as_str()).map(|t| &t.kind) {
                    Some(crate::ir::TypeKind::Alias { target }) => ty = target,
                    _ => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// Whether `ty` is an id type, which arguments take as `impl Into<Id>` so that a raw value is
    /// accepted too.
    pub(super) fn is_id(&self, ty: &TypeRef) -> bool {
        crate::ir::is_id(ty, &self.by_name)
    }
}

/// The path of the models module, the prefix of named types in `apis`.
const MODELS: &str = "crate::models::";

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
         `client.conversations()`, and has one method per operation. A method takes the path \
         parameters, required query parameters and a required body, and returns a request builder: \
         optional parameters are its setters, and awaiting it sends the request.",
    );
    quote! {
        #module_doc
        #(#modules)*

        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// The tokens of one group's module: the group struct with one method per operation, and the
/// request builder each method returns.
pub fn group_file(group: &Group, ctx: &Context<'_>) -> TokenStream {
    let name = ident(&group.struct_name);
    let accessor = &group.accessor;
    let struct_doc = docs::raw(&format!(
        "The operations tagged `{}`, reached through [`Client::{accessor}`](crate::Client::{accessor}).",
        group.tag
    ));
    let builders = group.operations.iter().map(|op| builder(group, op, ctx));
    let methods = group.operations.iter().map(|op| method(op, ctx, group));
    quote! {
        #![allow(deprecated)]

        #struct_doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            pub(crate) client: &'a crate::Client,
        }

        impl #name<'_> {
            #(#methods)*
        }

        #(#builders)*
    }
}

/// What awaiting an operation's builder yields, and how the runtime decodes it: a function, or for
/// several 2xx responses a closure that picks the body by status.
fn output(op: &Operation) -> (TokenStream, TokenStream) {
    match &op.response.kind {
        ResponseKind::Optional { variants } => {
            let ty = ResponseKind::optional_body(variants)
                .map_or_else(|| quote!(()), |body| decoder(body).0);
            let decode = by_status(variants, |v| match &v.kind {
                ResponseKind::Empty => quote!(Ok(None)),
                kind => {
                    let (_, decode) = decoder(kind);
                    quote!(#decode(response).map(Some))
                }
            });
            (quote!(Option<#ty>), decode)
        }
        ResponseKind::ByStatus { name, variants } => {
            let name = ident(name);
            let decode = by_status(variants, |v| {
                let variant = ident(&v.name);
                match &v.kind {
                    ResponseKind::Empty => quote!(Ok(#name::#variant)),
                    kind => {
                        let (_, decode) = decoder(kind);
                        quote!(#decode(response).map(#name::#variant))
                    }
                }
            });
            (quote!(#name), decode)
        }
        kind => decoder(kind),
    }
}

/// The type and decoding function of one body.
fn decoder(kind: &ResponseKind) -> (TokenStream, TokenStream) {
    let response = quote!(crate::runtime::client::Response);
    match kind {
        ResponseKind::Empty => (quote!(()), quote!(#response::empty)),
        ResponseKind::Json(ty) => {
            let ty = type_tokens(ty, MODELS);
            (ty.clone(), quote!(#response::json::<#ty>))
        }
        ResponseKind::Data {
            data,
            required: true,
            ..
        } => {
            let ty = type_tokens(data, MODELS);
            (ty.clone(), quote!(#response::data::<#ty>))
        }
        ResponseKind::Data { data, .. } => {
            let ty = type_tokens(data, MODELS);
            (ty.clone(), quote!(#response::data_or_default::<#ty>))
        }
        ResponseKind::Text => (quote!(String), quote!(#response::text)),
        ResponseKind::Bytes => (quote!(Vec<u8>), quote!(#response::bytes)),
        // Lowering never nests several responses; should it, the SDK must not compile.
        ResponseKind::Optional { .. } | ResponseKind::ByStatus { .. } => {
            let message = "generator bug: nested responses by status";
            (
                quote!(compile_error!(#message)),
                quote!(compile_error!(#message)),
            )
        }
    }
}

/// A decoding closure that matches the response's status: each variant's status decodes its body,
/// and any other 2xx status the fallback's ([`ResponseKind::fallback`]).
fn by_status(
    variants: &[StatusVariant],
    arm: impl Fn(&StatusVariant) -> TokenStream,
) -> TokenStream {
    let fallback = ResponseKind::fallback(variants);
    let arms = variants
        .iter()
        .filter(|v| Some(*v) != fallback)
        .filter_map(|v| {
            let status = proc_macro2::Literal::u16_unsuffixed(v.status?);
            let body = arm(v);
            Some(quote!(#status => #body,))
        });
    let rest = fallback.map(&arm);
    quote! {
        |response| match response.status() {
            #(#arms)*
            _ => #rest,
        }
    }
}

/// The enum an operation with several differing 2xx bodies returns: one variant per status.
fn response_enum(group: &Group, op: &Operation) -> Option<TokenStream> {
    let ResponseKind::ByStatus { name, variants } = &op.response.kind else {
        return None;
    };
    let fallback = ResponseKind::fallback(variants).map_or_else(String::new, |v| {
        format!(
            " A 2xx status the spec does not declare is read as `{}`.",
            v.name
        )
    });
    let doc = docs::raw(&format!(
        "What [`{}::{}`] yields: the body of each 2xx status the spec declares, by status.{fallback}",
        group.struct_name,
        op.name.raw()
    ));
    let variants = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let description = v.description.trim();
        let text = if description.is_empty() {
            format!("Status `{}`.", v.status_text())
        } else {
            format!("Status `{}`: {description}", v.status_text())
        };
        let doc = docs::attrs(
            &crate::ir::Docs {
                summary: None,
                description: Some(text),
                deprecated: false,
            },
            "",
        );
        match &v.kind {
            ResponseKind::Empty => quote!(#doc #variant,),
            kind => {
                let (ty, _) = decoder(kind);
                quote!(#doc #variant(#ty),)
            }
        }
    });
    let name = ident(name);
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    })
}

fn method_docs(op: &Operation, ctx: &Context, group: &Group) -> TokenStream {
    let returns = match &op.response.kind {
        ResponseKind::Empty => "nothing".to_owned(),
        ResponseKind::Json(_) => "the response body".to_owned(),
        ResponseKind::Data {
            envelope,
            more: false,
            ..
        } => format!("the `data` member of the `{envelope}` envelope"),
        ResponseKind::Data { envelope, .. } => format!(
            "the `data` member of the `{envelope}` envelope ([`send_envelope`]({}::send_envelope) \
             returns the whole envelope)",
            op.builder
        ),
        ResponseKind::Text => "the response body as text".to_owned(),
        ResponseKind::Bytes => "the response body's bytes".to_owned(),
        ResponseKind::Optional { variants } => {
            let empty: Vec<String> = variants
                .iter()
                .filter(|v| v.kind == ResponseKind::Empty)
                .map(StatusVariant::status_text)
                .collect();
            format!(
                "the response body, or `None` for status {}",
                empty.join(" or ")
            )
        }
        ResponseKind::ByStatus { name, .. } => {
            format!("a [`{name}`], the body of the status Dixa answered with")
        }
    };
    let statuses = match &op.response.kind {
        ResponseKind::Optional { variants } | ResponseKind::ByStatus { variants, .. } => variants
            .iter()
            .map(StatusVariant::status_text)
            .collect::<Vec<_>>()
            .join(", "),
        _ => op.response.status.to_string(),
    };
    let has_options =
        !op.optional_query.is_empty() || op.body.as_ref().is_some_and(|b| !b.required);
    let builder = if has_options {
        format!(
            "Returns a [`{}`] to set optional parameters on; awaiting it",
            op.builder
        )
    } else {
        format!("Awaiting the returned [`{}`]", op.builder)
    };
    let tail = format!(
        "`{} {}` (operationId `{}`). {builder} sends the request and, on success ({}), yields \
         {returns}.",
        op.method, op.path, op.id, statuses
    );
    let tail = format!(
        "{tail}\n\n{}\n\n{}",
        docs::errors_section(op),
        super::examples::section(op, group, &ctx.by_name, &ctx.samples)
    );
    let mut docs = op.docs.clone();
    if docs.summary.is_none() {
        docs.summary = Some(op.id.clone());
    }
    docs::attrs_with_tail(&docs, "", Some(&tail))
}

/// The method of one operation: it takes the path parameters, the required query parameters and a
/// required body, and returns the operation's builder.
fn method(op: &Operation, ctx: &Context<'_>, group: &Group) -> TokenStream {
    let name = ident(&op.name);
    let builder = ident(&op.builder);
    let doc = method_docs(op, ctx, group);
    let operation_id = &op.id;
    let http_method = super::rust::method_const(op.method);
    let template = &op.path;
    let (_, decode) = output(op);

    let mut args = Vec::new();
    let mut path_steps = Vec::new();
    // Ids that would accept the same raw value as another argument take their own type alone.
    let exact = super::constructors::exact_id_params(op, &ctx.by_name);
    for (i, p) in op.path_params.iter().enumerate() {
        let arg_name = ident(&p.name);
        let wire = &p.wire;
        match &p.ty {
            ty if ctx.is_id(ty) && exact.contains(&i) => {
                let ty = type_tokens(&p.ty, MODELS);
                args.push((arg_name.clone(), ty));
                path_steps.push(quote!(request.path_param(#wire, &#arg_name);));
            }
            ty if ctx.is_id(ty) => {
                let ty = type_tokens(&p.ty, MODELS);
                args.push((arg_name.clone(), quote!(impl Into<#ty>)));
                path_steps.push(quote!(request.path_param(#wire, &Into::<#ty>::into(#arg_name));));
            }
            ty if ctx.is_date_time(ty) => {
                let text = utc_text(quote!(#arg_name), p);
                args.push(arg(p));
                path_steps.push(quote!(request.path_param(#wire, &#text);));
            }
            _ => {
                args.push(arg(p));
                path_steps.push(quote!(request.path_param(#wire, &#arg_name);));
            }
        }
    }
    if let Some(accept) = &op.response.accept {
        path_steps.push(quote!(request.accept(#accept);));
    }
    let mut steps = Vec::new();
    for p in &op.required_query {
        let value = ident(&p.name);
        args.push(arg(p));
        steps.push(query_step(p, quote!(#value), ctx));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push((ident(&naming::body_argument()), body_arg(body)));
        steps.push(body_step(body, ctx));
    }
    let args = args.iter().map(|(n, ty)| quote!(#n: #ty));
    let request_mut = (!path_steps.is_empty()).then(|| quote!(mut));
    let call_mut = (!steps.is_empty()).then(|| quote!(mut));
    // `#[inline]` keeps the method, and the decoding (and body encoding) it names, from being
    // compiled to machine code inside `dixa` for every operation: it is compiled in the crate that
    // calls it, for the operations that crate calls. See `request_builder!` in the runtime.
    quote! {
        #doc
        #[inline]
        pub fn #name(&self, #(#args),*) -> #builder {
            let #request_mut request = crate::runtime::request::Request::new(
                #operation_id,
                reqwest::Method::#http_method,
                #template,
            );
            #(#path_steps)*
            let #call_mut call = crate::runtime::call::Call::new(self.client, request, #decode);
            #(#steps)*
            #builder(call)
        }
    }
}

/// The request builder of one operation: the struct, the runtime's common impls, and one setter per
/// optional query parameter (and for an optional body).
fn builder(group: &Group, op: &Operation, ctx: &Context<'_>) -> TokenStream {
    let name = ident(&op.builder);
    let (output, _) = output(op);
    let method = op.name.raw();
    let doc = docs::raw(&format!(
        "The request [`{}::{method}`] returns: set optional parameters with its methods, then \
         `.await` it (or call [`send`](Self::send)).",
        group.struct_name
    ));
    let common = match &op.pagination {
        None => quote!(crate::runtime::call::request_builder!(#name -> #output);),
        Some(p) => {
            let item = type_tokens(&p.item, MODELS);
            quote!(crate::runtime::call::request_builder!(#name -> #output, pages of #item);)
        }
    };
    let mut setters: Vec<TokenStream> = op.optional_query.iter().map(|p| setter(p, ctx)).collect();
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        let ty = body_arg(body);
        let step = body_step(body, ctx);
        setters.push(quote! {
            /// The request body, which this operation may be called without.
            #[inline]
            pub fn body(mut self, body: #ty) -> Self {
                let call = &mut self.0;
                #step
                self
            }
        });
    }
    if let ResponseKind::Data {
        envelope,
        more: true,
        ..
    } = &op.response.kind
    {
        setters.push(send_envelope(envelope));
    }
    let setters = (!setters.is_empty()).then(|| {
        quote! {
            impl #name {
                #(#setters)*
            }
        }
    });
    let response_enum = response_enum(group, op);
    quote! {
        #doc
        #[must_use = "a request does nothing until it is awaited or sent"]
        pub struct #name(crate::runtime::call::Call<#output>);

        #common
        #setters
        #response_enum
    }
}

/// The type a body argument is taken as: bytes as anything that converts into the runtime's
/// `Binary` (a `Vec<u8>`, a byte slice, or a `Binary` with its own content type), every other body
/// borrowed as [`arg_tokens`] borrows it (text as `&str`).
fn body_arg(body: &Body) -> TokenStream {
    match body.encoding {
        BodyEncoding::Binary { .. } => quote!(impl Into<crate::Binary>),
        _ => arg_tokens(&body.ty, MODELS),
    }
}

/// `send_envelope`, the way to the whole envelope of an operation that returns its `data` member
/// although the envelope has more (the lock kept the result the operation had before the other
/// members were added; see `lower/responses.rs`).
fn send_envelope(envelope: &crate::naming::RustIdent) -> TokenStream {
    let ty = type_tokens(&TypeRef::Named(envelope.clone()), MODELS);
    let doc = docs::raw(&format!(
        "Sends the request and returns the whole [`{envelope}`](crate::models::{envelope}) \
         envelope: its `data` member, which awaiting this request yields, and the members beside it."
    ));
    quote! {
        #doc
        pub fn send_envelope(
            self,
        ) -> impl ::std::future::Future<Output = ::std::result::Result<#ty, crate::Error>> {
            self.0
                .decoded_as(crate::runtime::client::Response::json::<#ty>)
                .send()
        }
    }
}

/// The setter of an optional query parameter; it replaces an earlier value.
fn setter(p: &Param, ctx: &Context<'_>) -> TokenStream {
    let name = ident(&p.name);
    let wire = &p.wire;
    let doc = docs::attrs(&p.docs, &format!("Sets the `{wire}` query parameter."));
    let (value, step) = match &p.ty {
        // A list takes any iterable of values that convert into its items (`["a", "b"]`,
        // `vec!["a"]`, an iterator), as the models' list setters do.
        TypeRef::List(inner) if ctx.is_date_time(inner) => {
            let inner = type_tokens(inner, MODELS);
            let text = utc_text(quote!(Into::<#inner>::into(value)), p);
            (
                quote!(impl IntoIterator<Item = impl Into<#inner>>),
                quote!(self.0.query_list(#wire, value.into_iter().map(|value| #text));),
            )
        }
        ty if ctx.is_date_time(ty) => {
            let ty = type_tokens(ty, MODELS);
            let text = utc_text(quote!(Into::<#ty>::into(value)), p);
            (quote!(impl Into<#ty>), quote!(self.0.query(#wire, &#text);))
        }
        TypeRef::List(inner) if ctx.displays(inner) => {
            let inner = type_tokens(inner, MODELS);
            (
                quote!(impl IntoIterator<Item = impl Into<#inner>>),
                quote!(self.0.query_list(#wire, value.into_iter().map(Into::<#inner>::into));),
            )
        }
        ty if ctx.displays(ty) => {
            let ty = type_tokens(ty, MODELS);
            (
                quote!(impl Into<#ty>),
                quote!(self.0.query(#wire, &value.into());),
            )
        }
        ty => {
            let ty = type_tokens(ty, MODELS);
            (
                quote!(impl Into<#ty>),
                quote!(self.0.query_json(#wire, &value.into());),
            )
        }
    };
    quote! {
        #doc
        pub fn #name(mut self, value: #value) -> Self {
            #step
            self
        }
    }
}

fn arg(p: &Param) -> (Ident, TokenStream) {
    (ident(&p.name), arg_tokens(&p.ty, MODELS))
}

/// The text of the date-time `value` (an expression of a date-time type, or a reference to one) in
/// a URL: its instant in UTC with `Z`, in the precision the parameter's description documents.
fn utc_text(value: TokenStream, p: &Param) -> TokenStream {
    let precision = match p.date_time.unwrap_or_default() {
        SecondsPrecision::Auto => quote!(AutoSi),
        SecondsPrecision::Seconds => quote!(Secs),
        SecondsPrecision::Millis => quote!(Millis),
        SecondsPrecision::Micros => quote!(Micros),
        SecondsPrecision::Nanos => quote!(Nanos),
    };
    quote!(#value.to_utc_string(::chrono::SecondsFormat::#precision))
}

/// Adds one required query parameter to `call`; lists repeat the key (`?a=1&a=2`), the form Dixa's
/// server reads.
fn query_step(p: &Param, value: TokenStream, ctx: &Context<'_>) -> TokenStream {
    let wire = &p.wire;
    match &p.ty {
        TypeRef::List(inner) if ctx.is_date_time(inner) => {
            let text = utc_text(quote!(value), p);
            quote!(call.query_list(#wire, (#value).iter().map(|value| #text));)
        }
        ty if ctx.is_date_time(ty) => {
            let text = utc_text(value, p);
            quote!(call.query(#wire, &#text);)
        }
        TypeRef::List(inner) if ctx.displays(inner) => {
            quote!(call.query_list(#wire, (#value).iter());)
        }
        ty if ctx.displays(ty) => quote!(call.query(#wire, &#value);),
        _ => quote!(call.query_json(#wire, &#value);),
    }
}

/// Sets the body (the variable `body`) on `call`.
fn body_step(body: &Body, ctx: &Context<'_>) -> TokenStream {
    match &body.encoding {
        BodyEncoding::Json => quote!(call.json(body);),
        BodyEncoding::Multipart { parts } if !parts.is_empty() => {
            let parts = parts.iter().map(|f| form_part(f, ctx));
            quote! {
                call.body(|request| {
                    let mut form = crate::runtime::request::Multipart::default();
                    #(#parts)*
                    request.multipart(form);
                    Ok(())
                });
            }
        }
        BodyEncoding::Multipart { .. } => quote! {
            call.body(|request| {
                let mut form = crate::runtime::request::Multipart::default();
                form.json("body", body)?;
                request.multipart(form);
                Ok(())
            });
        },
        BodyEncoding::Form { fields } => {
            let form_mut = (!fields.is_empty()).then(|| quote!(mut));
            let fields = fields.iter().map(form_field);
            quote! {
                call.body(|request| {
                    let #form_mut form = crate::runtime::request::Form::default();
                    #(#fields)*
                    request.form(form);
                    Ok(())
                });
            }
        }
        BodyEncoding::Text { content_type } => quote!(call.text(#content_type, body);),
        BodyEncoding::Binary { content_type } => {
            quote!(call.binary(#content_type, body.into());)
        }
    }
}

/// Adds one field of a form body as lowering decided ([`FormValue`]).
fn form_field(f: &FormField) -> TokenStream {
    let wire = &f.field.wire;
    let add = |value: TokenStream| match f.value {
        FormValue::Text => quote!(form.text(#wire, #value);),
        FormValue::TextList => quote! {
            for item in (#value).iter() {
                form.text(#wire, item);
            }
        },
        FormValue::Bytes => quote!(form.bytes(#wire, (#value).bytes());),
        FormValue::BytesList => quote! {
            for file in (#value).iter() {
                form.bytes(#wire, file.bytes());
            }
        },
        FormValue::Json => quote!(form.json(#wire, #value)?;),
    };
    with_value(&f.field, add)
}

/// Adds one field of a multipart body: files as file parts (one per element for lists), plain
/// values as text, anything else as JSON text.
fn form_part(f: &Field, ctx: &Context<'_>) -> TokenStream {
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
    with_value(f, add)
}

/// `add` applied to a reference to the body's field `f`: directly when the field is required, and
/// inside `if let Some(value)` when it is optional (an absent field sends nothing).
fn with_value(f: &Field, add: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
    let field = ident(&f.name);
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
