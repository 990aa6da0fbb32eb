//! Emits `dixa::models`: one Rust item per IR type.
//!
//! Every type is written out as a plain Rust item, so its documentation reads well in the source.
//! Untagged unions derive serde; structs derive `Serialize` and get `Deserialize` from the
//! runtime's `deserialize_struct!`. String enums and tagged unions get their impls
//! (string conversion, the `Unknown` fallbacks, tag-driven decoding) from the runtime's
//! `string_enum!` and `tagged_union!` macros, and ids (`AgentId`) their conversions, `Display` and
//! `FromStr` from `id!`; the macros' hand-written expansions are tested once, and the generated file
//! only lists variants with their wire values.

use super::constructors::Shape;
use super::context::{stored_type, Context};
use super::docs;
use super::rust::{ident, type_tokens};
use crate::ir::{Api, Field, TypeDef, TypeKind, TypeRef};
use crate::naming;
use proc_macro2::{Delimiter, Group, TokenStream};
use quote::quote;

/// The start of `src/models.rs`: its documentation and crate-wide allowances.
pub fn models_head(api: &Api) -> TokenStream {
    let module_doc = docs::inner(&format!(
        "Data types of the {} ({}), one per schema of the spec.\n\n\
         A type is named after its schema key with underscores removed \
         (`BulkActionOutcome_BulkError_Agent` is `BulkActionOutcomeBulkErrorAgent`), so the names \
         in Dixa's API reference find the types here. Where a key does not say what its schema is \
         (Dixa's numbered keys, `Queue1` beside `Queue`), the type is named after what it is \
         (`QueueDetails`) and its documentation gives the key.",
        api.title, api.version
    ));
    quote! {
        #module_doc
        #![allow(deprecated)]
        #![allow(clippy::large_enum_variant)]
    }
}

/// A run of `src/models.rs`'s items: the given types, in order.
pub fn models_items(types: &[TypeDef], ctx: &Context) -> TokenStream {
    types
        .iter()
        .map(|def| type_def(def, &ctx.features.cfg_of_type(&def.name), ctx, Keys::Dixa))
        .collect()
}

/// Whose schema keys a type's origin names: Dixa's (the API's spec, whose keys a renamed type's doc
/// gives) or the project's own (`spec/webhooks.yaml`, whose keys no reference shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keys {
    Dixa,
    Ours,
}

pub(super) fn type_def(def: &TypeDef, cfg: &TokenStream, ctx: &Context, keys: Keys) -> TokenStream {
    let name = ident(&def.name);
    let doc = match keys {
        Keys::Dixa => type_doc(def, ctx),
        Keys::Ours => docs::attrs(&def.docs, &type_fallback(&def.origin)),
    };
    let doc = quote!(#cfg #doc);
    match &def.kind {
        TypeKind::Struct { fields } => {
            let all_optional = fields.iter().all(|f| !f.required);
            let default = all_optional.then(|| quote!(Default,));
            let constructors = constructors(def, fields, cfg, ctx);
            let deserialize = deserialize(&name, fields);
            let text = super::accessors::struct_text(fields, ctx).map(|text| {
                quote! {
                    #cfg
                    impl #name { #text }
                }
            });
            // Interpolating a token stream copies every token of it, so the large parts are moved
            // in instead: the fields as a group (interpolated as one shared token) and the rest by
            // `extend`. Models are most of the generated tokens.
            let body = Group::new(
                Delimiter::Brace,
                fields.iter().map(|f| field(f, Decoding::Macro)).collect(),
            );
            let mut out = quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, #default serde::Serialize)]
                #[non_exhaustive]
                pub struct #name #body
                #cfg
            };
            out.extend(deserialize);
            out.extend(constructors);
            out.extend(text);
            out
        }
        TypeKind::Alias { target } => {
            let target = type_tokens(target, "");
            quote! {
                #doc
                pub type #name = #target;
            }
        }
        TypeKind::StringEnum { values } => {
            let variants = values.iter().map(|v| {
                let variant = ident(&v.name);
                let vdoc = docs::raw(&format!("`{}`", v.wire));
                quote!(#vdoc #variant,)
            });
            let mapping = values.iter().map(|v| {
                let variant = ident(&v.name);
                let wire = &v.wire;
                quote!(#variant = #wire)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    /// A value this version of the SDK does not know, kept as sent.
                    Unknown(String),
                }
                #cfg
                crate::runtime::macros::string_enum!(#name { #(#mapping),* });
            }
        }
        TypeKind::TaggedUnion { tag, variants } => {
            let property = &tag.property;
            let members = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = ident(&v.ty);
                let ty = if v.boxed {
                    quote!(Box<#ty>)
                } else {
                    quote!(#ty)
                };
                let value = &v.tag;
                let vdoc = docs::raw(&format!("Tagged `\"{property}\": \"{value}\"`."));
                if tag.in_variants {
                    quote!(#vdoc #variant(#ty),)
                } else {
                    quote!(#vdoc #[serde(rename = #value)] #variant(#ty),)
                }
            });
            // Where the variant structs carry the tag themselves, the union writes them as they are;
            // otherwise serde writes the tag into the variant's object.
            let representation = if tag.in_variants {
                quote!(#[serde(untagged)])
            } else {
                quote!(#[serde(tag = #property)])
            };
            let impls = super::unions::union_impls(&def.name, tag, variants, ctx, cfg);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize)]
                #representation
                #[non_exhaustive]
                pub enum #name {
                    #(#members)*
                    /// A variant this version of the SDK does not know, kept as received (tag
                    /// included) and sent back unchanged.
                    #[serde(untagged)]
                    Unknown(crate::UnknownVariant),
                }
                #impls
            }
        }
        TypeKind::Id { raw } => {
            // The raw types of ids (UUIDs, integers, strings) all have these traits; the cheap
            // ones are also `Copy`, so an id is passed around like the value it wraps.
            let copy = def.kind.is_copy_id().then(|| quote!(Copy,));
            let raw = type_tokens(raw, "");
            quote! {
                #doc
                #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(#raw);
                #cfg
                crate::runtime::macros::id!(#name(#raw));
            }
        }
        TypeKind::Untagged { variants } => {
            let variants = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = type_tokens(&v.ty, "");
                let vdoc = docs::raw(&format!("A value of JSON kind {}.", v.name));
                quote!(#vdoc #variant(#ty),)
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                }
            }
        }
    }
}

/// The struct's `new` and `with_` setters, through the runtime's `model!`: required fields in
/// alphabetical order of their Rust names, optional fields in declaration order. Where two required
/// fields would accept the same value, `new` takes them as one parameter struct, written out here
/// before the invocation.
fn constructors(def: &TypeDef, fields: &[Field], cfg: &TokenStream, ctx: &Context) -> TokenStream {
    let name = ident(&def.name);
    let optional = fields.iter().filter(|f| !f.required).map(|f| {
        let field = ident(&f.name);
        let setter = ident(&naming::setter_name(&f.name));
        let ty = stored_type(f);
        let deprecated = docs::deprecated(&f.docs);
        // A list's setter takes any iterable of convertible items (`model_setter!`); a boxed
        // field is a single value, whatever it holds.
        let list = (matches!(f.ty, TypeRef::List(_)) && !f.boxed).then(|| quote!(as list));
        quote!(#deprecated #setter #field: #ty #list;)
    });
    match ctx.constructor(&def.name, fields) {
        Shape::Positional(required) => {
            let required = required.into_iter().map(|f| {
                let field = ident(&f.name);
                let ty = stored_type(f);
                quote!(#field: #ty)
            });
            quote! {
                #cfg
                crate::runtime::macros::model!(#name {
                    new(#(#required),*);
                    #(#optional)*
                });
            }
        }
        Shape::Named {
            name: params,
            fields: required,
            overlaps,
        } => {
            let params_struct = parameter_struct(def, &params, &required, &overlaps);
            let params = ident(&params);
            let required = required.iter().map(|f| ident(&f.name));
            quote! {
                #cfg
                #params_struct
                #cfg
                crate::runtime::macros::model!(#name {
                    new(#params { #(#required),* });
                    #(#optional)*
                });
            }
        }
    }
}

/// The parameter struct of a `new` whose required fields would accept the same value: a public
/// field per required field, of the field's own type (a boxed field unboxed, which `new` boxes), so
/// it is written as a struct literal. Fields are plain types rather than `impl Into<T>`, which a
/// struct field cannot be without a type parameter per field; the literal names every value, so
/// the `.into()` a string needs is where the call says which field it fills.
fn parameter_struct(
    def: &TypeDef,
    params: &naming::RustIdent,
    required: &[&Field],
    overlaps: &[(&Field, &Field)],
) -> TokenStream {
    let name = ident(params);
    let model = def.name.as_str();
    // The fields that would accept the same value, in groups: each field joins the group of the
    // first field it overlaps with (groups are the connected pairs, in field order).
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for (a, b) in overlaps {
        let (a, b) = (a.name.raw(), b.name.raw());
        match groups.iter().position(|g| g.contains(&a) || g.contains(&b)) {
            Some(i) => {
                for name in [a, b] {
                    if !groups[i].contains(&name) {
                        groups[i].push(name);
                    }
                }
            }
            None => groups.push(vec![a, b]),
        }
    }
    let groups: Vec<String> = groups
        .iter()
        .map(|g| {
            let names: Vec<String> = g.iter().map(|n| format!("`{n}`")).collect();
            match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => names.concat(),
            }
        })
        .collect();
    let doc = docs::raw(&format!(
        "The required fields of [`{model}`], by name, for [`{model}::new`].\n\n\
         `new` takes them as a struct rather than as arguments because some of them would accept \
         the same value ({}), so a call that swapped two would still compile.",
        groups.join("; ")
    ));
    let fields = required.iter().map(|f| {
        let field = ident(&f.name);
        let ty = type_tokens(&f.ty, "");
        let doc = docs::attrs(
            &f.docs,
            &format!("The field `{}` of `{model}`.", f.name.raw()),
        );
        quote! {
            #doc
            pub #field: #ty,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The struct's `Deserialize`, through the runtime's `deserialize_struct!` rather than serde's
/// derive, which cut the instructions rustc runs to check the SDK by 40% (BENCHMARKS.md,
/// compile times): its required fields, then its optional ones (absent is their default), each in
/// declaration order with its wire name and its position in that list, then the map field that
/// keeps the object's other keys, if it has one.
fn deserialize(name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let (required, optional): (Vec<&Field>, Vec<&Field>) = fields
        .iter()
        .filter(|f| !f.flatten)
        .partition(|f| f.required);
    // The map of the object's other keys, if it keeps them.
    let extra = fields.iter().find(|f| f.flatten).map(|f| {
        let field = ident(&f.name);
        quote!(extra #field;)
    });
    let entries = |list: &[&Field], first: usize| -> Vec<TokenStream> {
        list.iter()
            .enumerate()
            .map(|(i, f)| {
                let index = proc_macro2::Literal::usize_unsuffixed(first + i);
                let field = ident(&f.name);
                let wire = &f.wire;
                quote!(#index #field: #wire;)
            })
            .collect()
    };
    let optional = entries(&optional, required.len());
    let required = entries(&required, 0);
    quote! {
        crate::runtime::macros::deserialize_struct!(#name {
            required { #(#required)* }
            optional { #(#optional)* }
            #extra
        });
    }
}

/// The doc of a type: the spec's words, and for a component schema whose Rust name is not its key's
/// (a rename in `spec/renames.yaml`, such as Dixa's numbered `Queue1` named `QueueDetails`), the
/// key, so a reader of Dixa's reference finds the type. Where the spec says nothing, the doc says
/// where the type is used ([`Usage`](super::usage::Usage)) rather than restating its name, and gives
/// the schema key whenever it is spelled otherwise than the type (`BulkActionOutcome_BulkError_Agent`).
fn type_doc(def: &TypeDef, ctx: &Context) -> TokenStream {
    if !is_described(&def.docs) {
        let mut text = ctx
            .usage
            .describe(def.name.as_str())
            .unwrap_or_else(|| unused(def));
        if let Some(key) = schema_key(def).filter(|key| key != def.name.raw()) {
            text.push_str(&format!("\n\nDixa's schema `{key}`."));
        }
        return docs::attrs_with_tail(&def.docs, "", Some(&text));
    }
    let Some(key) = renamed_schema_key(def) else {
        return docs::attrs(&def.docs, "");
    };
    docs::attrs_with_tail(&def.docs, "", Some(&format!("Dixa's schema `{key}`.")))
}

/// Whether the spec gives an item words of its own (a summary or a description).
fn is_described(docs: &crate::ir::Docs) -> bool {
    [&docs.summary, &docs.description]
        .into_iter()
        .any(|text| text.as_deref().is_some_and(|t| !t.trim().is_empty()))
}

/// The doc of a type nothing in the API uses: a schema of Dixa's reference that no operation reaches
/// (an error body, a case object of a union read as a string enumeration, a schema the spec lists
/// but does not refer to), compiled by the `unreached-models` feature; or the place an inline type
/// comes from.
fn unused(def: &TypeDef) -> String {
    if schema_key(def).is_some() {
        format!(
            "No operation of the SDK takes or returns this type, directly or through another \
             type; it is compiled with the `{}` feature.",
            super::features::UNREACHED_MODELS
        )
    } else {
        type_fallback(&def.origin)
    }
}

/// The key of a type that is one component schema.
fn schema_key(def: &TypeDef) -> Option<String> {
    def.origin
        .strip_prefix("#/components/schemas/")
        .filter(|k| !k.contains('/') && !k.contains(", "))
        .map(unescape)
}

/// The schema key of a component schema whose Rust name is not the one its key gives.
fn renamed_schema_key(def: &TypeDef) -> Option<String> {
    let key = schema_key(def)?;
    (naming::type_name(&key).raw() != def.name.raw()).then_some(key)
}

/// The doc of a type the spec does not describe: the schema it is, or, for a type the generator
/// named (an inline object, an enumeration found in a description, a union written in place), the
/// places it serves, so the reader can find it in Dixa's reference.
fn type_fallback(origin: &str) -> String {
    let places: Vec<String> = origin.split(", ").map(describe_pointer).collect();
    if let [place] = places.as_slice() {
        if let Some(key) = origin
            .strip_prefix("#/components/schemas/")
            .filter(|k| !k.contains('/'))
        {
            return format!("The `{}` schema.", unescape(key));
        }
        return format!("The type of {place}.");
    }
    const SHOWN: usize = 3;
    let mut list = places
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if places.len() > SHOWN {
        let more = places.len() - SHOWN;
        let noun = if more == 1 { "place" } else { "places" };
        list.push_str(&format!("; and {more} more {noun}"));
    }
    format!("The type shared by {list}.")
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Says in words where a JSON pointer into the spec leads: the property (its last `properties`
/// step) and the schema or operation part that holds it.
fn describe_pointer(pointer: &str) -> String {
    let parts: Vec<String> = pointer
        .trim_start_matches('#')
        .trim_start_matches('/')
        .split('/')
        .map(unescape)
        .collect();
    let property = parts
        .iter()
        .rposition(|p| p == "properties")
        .and_then(|i| parts.get(i + 1));
    let holder = match parts.as_slice() {
        [components, schemas, key, ..] if components == "components" && schemas == "schemas" => {
            format!("the `{key}` schema")
        }
        [paths, path, method, rest @ ..] if paths == "paths" => {
            let op = format!("`{} {path}`", method.to_ascii_uppercase());
            match rest {
                [body, ..] if body == "requestBody" => format!("the request body of {op}"),
                [responses, status, ..] if responses == "responses" => {
                    format!("the {status} response of {op}")
                }
                [parameters, ..] if parameters == "parameters" => format!("a parameter of {op}"),
                _ => op,
            }
        }
        _ => format!("`{pointer}`"),
    };
    let place = match property {
        Some(property) => format!("`{property}` in {holder}"),
        None => holder,
    };
    // The place lowering gives the enumeration of a map's keys (OpenAPI 3.1's name for them).
    match parts.last().map(String::as_str) {
        Some("propertyNames") => format!("the keys of {place}"),
        _ => place,
    }
}

/// How a struct gets its `Deserialize`, which decides whether its fields need serde's `default`.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Decoding {
    /// Through `deserialize_struct!`, whose `optional` already reads an absent field as its
    /// default: the fields' serde attributes only serve the derived `Serialize`.
    Macro,
    /// Derived (the webhook envelope, whose flattened event the macro does not read).
    Derived,
}

pub(super) fn field(f: &Field, decoding: Decoding) -> TokenStream {
    let name = ident(&f.name);
    // A field the spec does not describe has nothing to say beyond its name and type.
    let doc = docs::attrs(&f.docs, "");
    let mut ty = type_tokens(&f.ty, "");
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let rename = (f.name.raw() != f.wire).then(|| {
        let wire = &f.wire;
        quote!(rename = #wire,)
    });
    let default = (decoding == Decoding::Derived).then(|| quote!(default,));
    if f.flatten {
        // The object's other keys: read by `deserialize_struct!`'s `extra`, written back among
        // the properties.
        quote! {
            #doc
            #[serde(flatten)]
            pub #name: #ty,
        }
    } else if f.empty_when_absent {
        quote! {
            #doc
            #[serde(#rename #default skip_serializing_if = "Vec::is_empty")]
            pub #name: #ty,
        }
    } else if f.required {
        let serde = rename.map(|r| quote!(#[serde(#r)]));
        quote! {
            #doc
            #serde
            pub #name: #ty,
        }
    } else {
        quote! {
            #doc
            #[serde(#rename #default skip_serializing_if = "Option::is_none")]
            pub #name: Option<#ty>,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{renamed_schema_key, type_fallback};
    use crate::ir::{Docs, TypeDef, TypeKind};
    use crate::naming::RustIdent;

    #[test]
    fn a_type_named_apart_from_its_schema_key_gives_the_key() {
        let def = |origin: &str, name: &str| TypeDef {
            name: RustIdent::checked_type(name).expect("a type name"),
            origin: origin.to_owned(),
            docs: Docs::default(),
            kind: TypeKind::Struct { fields: Vec::new() },
        };
        let key = |origin: &str, name: &str| renamed_schema_key(&def(origin, name));
        assert_eq!(
            key("#/components/schemas/Queue1", "QueueDetails").as_deref(),
            Some("Queue1")
        );
        assert_eq!(
            key("#/components/schemas/Map~1Key", "Ids").as_deref(),
            Some("Map/Key")
        );
        // Named by its key (underscores removed), it needs no note; nor does an inline type.
        assert_eq!(key("#/components/schemas/Map_String", "MapString"), None);
        assert_eq!(
            key("#/components/schemas/Tag/properties/state", "TagState"),
            None
        );
    }

    #[test]
    fn types_that_are_not_schemas_say_where_they_serve() {
        assert_eq!(
            type_fallback("#/components/schemas/Agent_1"),
            "The `Agent_1` schema."
        );
        assert_eq!(
            type_fallback("#/components/schemas/CreateMessageOutput/properties/data"),
            "The type of `data` in the `CreateMessageOutput` schema."
        );
        assert_eq!(
            type_fallback(
                "#/paths/~1beta~1agents/post/requestBody/content/application~1json/schema/properties/role"
            ),
            "The type of `role` in the request body of `POST /beta/agents`."
        );
        assert_eq!(
            type_fallback("#/paths/~1beta~1tags/get/parameters/0/schema, #/components/schemas/Tag/properties/state, #/components/schemas/A/properties/state, #/components/schemas/B/properties/state"),
            "The type shared by a parameter of `GET /beta/tags`; `state` in the `Tag` schema; `state` in the `A` schema; and 1 more place."
        );
        assert_eq!(
            type_fallback("#/components/schemas/Map_QueueThreshold_Int/propertyNames"),
            "The type of the keys of the `Map_QueueThreshold_Int` schema."
        );
        assert_eq!(
            type_fallback("#/components/schemas/Holder/properties/counts/propertyNames"),
            "The type of the keys of `counts` in the `Holder` schema."
        );
    }
}
