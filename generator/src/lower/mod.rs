//! Stage 2: lower the openapiv3 document into the IR. This is the only stage that touches openapiv3.
//!
//! Lowering walks the component schemas and the operations in sorted order (so that a reordered but
//! equal spec yields the same SDK), turns every schema into a [`TypeDef`] and every operation into an
//! [`Operation`](crate::ir::Operation). Types whose names depend on the whole spec (enums found in descriptions and inline
//! unions, which are shared when equal) are recorded as pending and named at the end by
//! `pending::resolve`. A final pass decides which fields must be boxed to break recursion.

mod boxing;
mod enums;
mod operations;
mod pending;
mod schemas;
pub(crate) mod unions;

use crate::error::{Error, Result};
use crate::ir::{Api, Docs, TypeDef};
use crate::load::escape_pointer;
use crate::policy::Renames;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use pending::Pending;
use std::collections::BTreeMap;

/// Lowers a parsed spec into the IR, using the project's rename table.
pub fn lower(spec: &OpenAPI, renames: &Renames) -> Result<Api> {
    let mut lowerer = Lowerer::new(spec, renames)?;
    for (key, schema) in lowerer.schemas.clone() {
        let def = lowerer.lower_component(key, schema)?;
        lowerer.types.push(def);
    }
    let groups = operations::lower_operations(&mut lowerer)?;
    let Lowerer {
        mut types,
        pending,
        mut warnings,
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
    };
    let names = pending::resolve(pending, &mut types, renames)?;
    api.types = types;
    pending::replace_placeholders(&mut api, &names);
    operations::finish(&mut api, &mut warnings)?;
    boxing::break_alias_cycles(&mut api.types, &mut warnings);
    boxing::box_recursive_fields(&mut api.types);
    api.types.sort_by(|a, b| a.name.cmp(&b.name));
    api.warnings = warnings;
    renames.check_all_used()?;
    Ok(api)
}

/// State shared by the lowering passes.
pub(crate) struct Lowerer<'a> {
    spec: &'a OpenAPI,
    renames: &'a Renames,
    /// Component schemas by key, sorted.
    schemas: BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    /// Rust names of the component schemas, by key.
    schema_names: BTreeMap<&'a str, String>,
    /// Lowered named types.
    types: Vec<TypeDef>,
    /// Types named at the end.
    pending: Vec<Pending>,
    /// Things noticed and worked around.
    warnings: Vec<String>,
}

impl<'a> Lowerer<'a> {
    fn new(spec: &'a OpenAPI, renames: &'a Renames) -> Result<Self> {
        let schemas: BTreeMap<&str, &ReferenceOr<Schema>> = spec
            .components
            .as_ref()
            .map(|c| c.schemas.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default();
        let mut schema_names = BTreeMap::new();
        let mut by_name: BTreeMap<String, &str> = BTreeMap::new();
        for key in schemas.keys() {
            let name = crate::naming::type_name(key);
            if let Some(other) = by_name.insert(name.clone(), key) {
                return Err(Error::Collision {
                    message: format!(
                        "schemas #/components/schemas/{other} and #/components/schemas/{key} \
                         would both be named `{name}`; rename one in spec/overrides.yaml"
                    ),
                });
            }
            schema_names.insert(*key, name);
        }
        Ok(Self {
            spec,
            renames,
            schemas,
            schema_names,
            types: Vec::new(),
            pending: Vec::new(),
            warnings: Vec::new(),
        })
    }

    /// Resolves `#/components/schemas/Key` to the key and its schema, or names the dangling pointer.
    fn resolve_schema_ref(&self, reference: &str, at: &str) -> Result<(&'a str, &'a Schema)> {
        let key = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| {
                Error::spec(
                    at,
                    format!("unsupported $ref {reference:?}; only #/components/schemas/... is supported"),
                )
            })?;
        let mut seen = vec![key];
        let (mut key, mut target) = self.schema_entry(key, reference, at)?;
        // A schema may itself be a bare reference to another; follow the chain, refusing cycles.
        loop {
            let next = match target {
                ReferenceOr::Item(schema) => return Ok((key, schema)),
                ReferenceOr::Reference { reference: next } => next,
            };
            let next_key = next.strip_prefix("#/components/schemas/").ok_or_else(|| {
                Error::spec(
                    format!("#/components/schemas/{}", escape_pointer(key)),
                    format!("unsupported $ref {next:?}"),
                )
            })?;
            if seen.contains(&next_key) {
                return Err(Error::spec(
                    at,
                    format!("cyclic $ref chain: {} -> {next_key}", seen.join(" -> ")),
                ));
            }
            seen.push(next_key);
            (key, target) = self.schema_entry(next_key, next, at)?;
        }
    }

    fn schema_entry(
        &self,
        key: &str,
        reference: &str,
        at: &str,
    ) -> Result<(&'a str, &'a ReferenceOr<Schema>)> {
        self.schemas
            .get_key_value(key)
            .map(|(k, v)| (*k, *v))
            .ok_or_else(|| Error::spec(at, format!("dangling $ref {reference:?}: no such schema")))
    }

    /// The Rust name of a component schema key (known to exist).
    fn name_of(&self, key: &str) -> String {
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
