//! Stage 2: lower the openapiv3 document into the IR. This is the only stage that touches openapiv3.
//!
//! Lowering walks the component schemas and the operations in sorted order (so that a reordered but
//! equal spec yields the same SDK), turns every schema into a [`TypeDef`] and every operation into an
//! [`Operation`](crate::ir::Operation). Types whose names depend on the whole spec (enums found in descriptions and inline
//! unions, which are shared when equal) are recorded as pending and named at the end by
//! `pending::resolve`. A final pass decides which fields must be boxed to break recursion.
//!
//! Every name is decided in the order renames.yaml (people), names.lock (history), rules
//! ([`naming`](crate::naming)): a place the rename table names gets that name, a place the lock file
//! knows keeps its name, and only new places get derived names, which go around the names in use.
//! Each decision is recorded in [`Api::places`], from which the lock file is rewritten.

mod bodies;
mod boxing;
mod branches;
mod classify;
mod deprecations;
mod enums;
pub mod ids;
mod moved;
mod objects;
mod operations;
mod params;
mod parse;
mod pending;
mod refs;
mod responses;
mod schemas;
mod site;
mod tagged;
mod union_tests;
mod unions;
mod webhooks;

pub use parse::{parse, parse_tree, parse_with_rewrites};
pub use webhooks::{
    lower_webhook_schemas, lower_webhooks, lower_webhooks_from, lower_webhooks_where_possible,
    WebhookSchemas,
};

use crate::error::{Error, Result};
use crate::ir::{self, Api, Docs, PlaceKind, Places, TypeDef};
use crate::load::escape_pointer;
use crate::naming::RustIdent;
use crate::policy::{NameLock, Renames};
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind};
use pending::Pending;
use std::collections::{BTreeMap, BTreeSet};

/// Lowers a parsed spec into the IR, using the project's rename table and the names its lock file
/// keeps.
pub fn lower(spec: &OpenAPI, renames: &Renames, lock: &NameLock) -> Result<Api> {
    let api = lower_keeping_renames_open(spec, renames, lock)?;
    renames.check_all_used()?;
    Ok(api)
}

/// [`lower`], without requiring every entry of `renames` to have matched: for lowering two specs
/// with one rename table (`generator diff`), where an entry must match in one of them.
pub fn lower_keeping_renames_open(
    spec: &OpenAPI,
    renames: &Renames,
    lock: &NameLock,
) -> Result<Api> {
    let mut lowerer = Lowerer::new(spec, renames, lock)?;
    for (key, schema) in lowerer.schemas.clone() {
        let def = lowerer.lower_component(key, schema)?;
        lowerer.types.push(def);
    }
    let groups = operations::lower_operations(&mut lowerer)?;
    let Lowerer {
        mut types,
        pending,
        mut warnings,
        mut places,
        ..
    } = lowerer;
    let mut api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        base_url: spec
            .servers
            .first()
            .map(|s| s.url.trim_end_matches('/').to_owned())
            .unwrap_or_default(),
        types: Vec::new(),
        groups,
        warnings: Vec::new(),
        places: Places::new(),
        webhooks: None,
    };
    let names = pending::resolve(pending, &mut types, renames, lock, &mut places)?;
    api.types = types;
    pending::replace_placeholders(&mut api, &names);
    enums::keep_variant_names(&mut api.types, lock, &mut places)?;
    ids::apply(&mut api, renames, &mut places)?;
    operations::finish(&mut api, lock, &mut places, &mut warnings);
    boxing::break_alias_cycles(&mut api.types, &mut warnings);
    boxing::box_recursive_fields(&mut api.types);
    empty_lists_in_responses(&mut api, lock, &mut places);
    deprecations::name_replacements(&mut api);
    api.types.sort_by(|a, b| a.name.cmp(&b.name));
    api.warnings = warnings;
    api.places = places;
    Ok(api)
}

/// Decides the shape of every optional list field: `Vec` (empty when absent) for the types only
/// responses reach, because Dixa omits an empty list from its answers and `Option<Vec<T>>` would make
/// every reader write `unwrap_or_default()` to learn nothing more; `Option` for types a request also
/// uses, because there absent (leave as is) and empty (clear) differ. The lock keeps a decision once
/// made: a new operation that sends a type only responses used to reach must not retype its lists
/// under code that compiled against them (an additive spec change never breaks a build).
fn empty_lists_in_responses(api: &mut Api, lock: &NameLock, places: &mut Places) {
    let received: std::collections::BTreeSet<String> = api
        .response_only_types()
        .into_iter()
        .map(str::to_owned)
        .collect();
    for def in &mut api.types {
        let response_only = received.contains(def.name.as_str());
        let ir::TypeKind::Struct { fields } = &mut def.kind else {
            continue;
        };
        for field in fields {
            if field.required || !matches!(field.ty, ir::TypeRef::List(_)) {
                continue;
            }
            field.empty_when_absent = match lock.name(PlaceKind::List, &field.place) {
                Some(shape) => shape == "Vec",
                None => response_only,
            };
            if !field.place.is_empty() {
                let shape = if field.empty_when_absent {
                    "Vec"
                } else {
                    "Option"
                };
                places.insert((PlaceKind::List, field.place.clone()), shape.to_owned());
            }
        }
    }
}

/// State shared by the lowering passes.
pub(crate) struct Lowerer<'a> {
    spec: &'a OpenAPI,
    renames: &'a Renames,
    lock: &'a NameLock,
    /// Component schemas by key, sorted.
    schemas: BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Rust names of the component schemas, by key.
    schema_names: BTreeMap<&'a str, RustIdent>,
    /// Lowered named types.
    types: Vec<TypeDef>,
    /// Types named at the end.
    pending: Vec<Pending>,
    /// Things noticed and worked around.
    warnings: Vec<String>,
    /// The name decided for each place so far, for the lock file.
    places: Places,
}

impl<'a> Lowerer<'a> {
    // The ways into schema lowering, for every pass below: `schemas.rs` dispatches a schema to
    // `objects.rs` (structs) and `unions.rs` (whose strategies see a branch's object and lower its
    // type), and a struct's field or a union's branch is again any schema. These entry points live
    // here, above all three, so that the mutual recursion goes through their parent and none of
    // them imports another back.

    /// The type of a `$ref` to a component schema.
    pub(super) fn named_ref(&self, reference: &str, at: &str) -> Result<ir::TypeRef> {
        let (key, _) = self.resolve_schema_ref(reference, at)?;
        Ok(ir::TypeRef::Named(self.name_of(key)))
    }

    /// The type expression of a possibly-referenced schema.
    pub(crate) fn type_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        site: &site::Site,
    ) -> Result<ir::TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, &site.pointer),
            ReferenceOr::Item(schema) => self.type_ref_of(schema, site),
        }
    }

    /// The type expression of an inline schema. Inline objects, enums and unions become pending
    /// named types.
    pub(crate) fn type_ref_of(
        &mut self,
        schema: &Schema,
        site: &site::Site,
    ) -> Result<ir::TypeRef> {
        self.inline_type(schema, site)
    }

    /// The object `schema` (at `pointer`) is, the members of an `allOf` merged and `$ref`s followed,
    /// or `None` when it is not an object (or an `allOf` with a member that is not one).
    pub(crate) fn object_view<'s>(
        &self,
        schema: &'s Schema,
        pointer: &str,
    ) -> Result<Option<objects::ObjectView<'s>>>
    where
        'a: 's,
    {
        self.view_of(schema, pointer, &mut Vec::new())
    }

    /// The object `schema` is as the spec would write it without `allOf`, for the union
    /// strategies: borrowed when it is a plain object schema (most variants, so nothing is
    /// copied), and merged from the members of an `allOf` otherwise.
    pub(crate) fn object_type<'s>(
        &self,
        schema: &'s Schema,
        pointer: &str,
    ) -> Result<Option<std::borrow::Cow<'s, openapiv3::ObjectType>>>
    where
        'a: 's,
    {
        if let SchemaKind::Type(openapiv3::Type::Object(obj)) = &schema.schema_kind {
            return Ok(Some(std::borrow::Cow::Borrowed(obj)));
        }
        Ok(self
            .object_view(schema, pointer)?
            .map(|view| std::borrow::Cow::Owned(view.to_object_type())))
    }

    /// Like [`Self::type_ref`], for an unboxed reference.
    pub(crate) fn type_ref_unboxed(
        &mut self,
        schema: &ReferenceOr<Schema>,
        site: &site::Site,
    ) -> Result<ir::TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, &site.pointer),
            ReferenceOr::Item(schema) => self.type_ref_of(schema, site),
        }
    }

    fn new(spec: &'a OpenAPI, renames: &'a Renames, lock: &'a NameLock) -> Result<Self> {
        let schemas: BTreeMap<&str, &ReferenceOr<Schema>> = spec
            .components
            .as_ref()
            .map(|c| c.schemas.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        let place = |key: &str| format!("#/components/schemas/{}", escape_pointer(key));
        // Schemas the rename table names get those names (people over history, as everywhere);
        // the other schemas the lock knows keep their names. Two lines cannot give one name to
        // two schemas.
        let mut schema_names = BTreeMap::new();
        let mut claimed: BTreeMap<String, String> = BTreeMap::new();
        for key in schemas.keys() {
            let place = place(key);
            if let Some(name) = renames.type_at(&place) {
                if let Some(other) = claimed.insert(name.to_string(), place.clone()) {
                    return Err(Error::Collision {
                        message: format!(
                            "renames.yaml names {place} `{name}`, which is also the name of {other}"
                        ),
                    });
                }
                schema_names.insert(*key, name.clone());
            } else if let Some(name) = lock.ident(PlaceKind::Type, &place) {
                if let Some(other) = claimed.insert(name.to_string(), place.clone()) {
                    return Err(lock.conflict(
                        PlaceKind::Type,
                        &place,
                        format!("`{name}` is also the name of {other}"),
                    ));
                }
                schema_names.insert(*key, name);
            }
        }
        // A new schema that took the place of an inline type the lock names, with the same
        // content, keeps that type's name (see `moved.rs`): the places whose shape did not change
        // keep their Rust name.
        for (key, name) in moved::kept_names(&schemas, &schema_names, &claimed, lock) {
            claimed.insert(name.to_string(), place(key));
            schema_names.insert(key, name);
        }
        // New schemas are named after their keys. Two keys with one name is the spec's problem (an
        // error, as without a lock); a name the lock gives to any other type, even one of an
        // inline place that may be gone (inline places are only found later), is left to it and
        // the new schema is numbered, so that adding a schema never renames an existing type.
        // The id types of the rename table are taken too, even before the lock records them.
        let mut taken: BTreeSet<String> =
            lock.type_names().into_iter().map(str::to_owned).collect();
        taken.extend(claimed.keys().cloned());
        taken.extend(renames.ids().keys().map(|k| k.to_string()));
        let mut by_name: BTreeMap<RustIdent, &str> = BTreeMap::new();
        let new: Vec<&str> = schemas
            .keys()
            .copied()
            .filter(|k| !schema_names.contains_key(k))
            .collect();
        for key in new {
            let name = crate::naming::type_name(key);
            if let Some(other) = by_name.insert(name.clone(), key) {
                return Err(Error::Collision {
                    message: format!(
                        "schemas #/components/schemas/{other} and #/components/schemas/{key} \
                         would both be named `{name}`; rename one in spec/overrides.yaml"
                    ),
                });
            }
            let name = crate::naming::unique(&taken, name);
            taken.insert(name.to_string());
            schema_names.insert(key, name);
        }
        let places = schema_names
            .iter()
            .map(|(key, name)| ((PlaceKind::Type, place(key)), name.to_string()))
            .collect();
        Ok(Self {
            spec,
            renames,
            lock,
            schemas,
            schema_names,
            types: Vec::new(),
            pending: Vec::new(),
            warnings: Vec::new(),
            places,
        })
    }

    /// Resolves `#/components/schemas/Key` (through any chain of bare references) to the key and
    /// its schema, or names the dangling pointer.
    fn resolve_schema_ref(&self, reference: &str, at: &str) -> Result<(&'a str, &'a Schema)> {
        let schemas = &self.schemas;
        refs::follow(
            "schemas",
            |key| schemas.get_key_value(key).map(|(k, v)| (*k, *v)),
            reference,
            at,
        )
    }

    /// The Rust name of a component schema key (known to exist).
    fn name_of(&self, key: &str) -> RustIdent {
        self.schema_names
            .get(key)
            .cloned()
            .unwrap_or_else(|| crate::naming::type_name(key))
    }

    fn warn(&mut self, pointer: &str, message: impl std::fmt::Display) {
        self.warnings.push(format!("{pointer}: {message}"));
    }
}

/// Documentation of a schema.
fn schema_docs(schema: &Schema) -> Docs {
    Docs {
        summary: None,
        description: schema.schema_data.description.clone(),
        deprecated: schema.schema_data.deprecated,
    }
}

/// Whether a schema admits `null`: `nullable: true`, or a `oneOf`/`anyOf` with a null branch. Such a
/// property is optional in Rust (`Option`) even when it is required, because `null` must decode.
/// (Here, above `objects.rs` and `unions.rs`, which both ask.)
pub(super) fn admits_null(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches } => {
                branches.iter().any(is_null_variant)
            }
            _ => false,
        }
}

/// A branch that only says "null": `{nullable: true}` with no type.
pub(super) fn is_null_variant(variant: &ReferenceOr<Schema>) -> bool {
    match variant {
        ReferenceOr::Item(schema) => {
            schema.schema_data.nullable
                && matches!(&schema.schema_kind, SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// What the unit tests of the lowering steps share: a small spec made of component schemas,
/// lowered, and a look at one of its types.
#[cfg(test)]
mod test_support {
    use crate::error::Result;
    use crate::ir::{Api, TypeKind};
    use crate::policy::{NameLock, Renames};
    use std::path::Path;

    /// Lowers a document whose `components/schemas` are `schemas` (YAML; every line is indented under
    /// `schemas:`, so the entries may be written at any common indentation).
    pub fn lower(schemas: &str) -> Result<Api> {
        let indented: String = schemas
            .lines()
            .map(|line| format!("    {line}\n"))
            .collect();
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
        );
        let tree = crate::load::parse_yaml(Path::new("test.yaml"), &text)?;
        super::lower(&super::parse(tree)?, &Renames::none(), &NameLock::none())
    }

    /// The kind of the type named `name`.
    pub fn kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
        &api.types
            .iter()
            .find(|t| t.name.as_str() == name)
            .unwrap_or_else(|| panic!("no type {name}"))
            .kind
    }
}
