//! The tagged strategies of the union chain (`unions.rs`): a union whose branches are objects told
//! apart by the value of one property, in the order they are tried:
//!
//! 1. an explicit `discriminator: {propertyName, mapping?}`: the tags of a branch are the mapping's
//!    keys that name it (by `$ref` pointer, or by bare schema name as OpenAPI allows), or else
//!    OpenAPI's default, the schema's key. For `propertyName: _type` without a mapping the default
//!    is Dixa's, the title up to the first `_`, so that the discriminator Dixa would write (with or
//!    without its mapping) gives the same SDK as none;
//! 2. the implicit form: every branch is an object whose property of one name is a string fixed to
//!    a single value (`kind: {enum: [circle]}`, Kubernetes and Stripe style; OpenAPI 3.1's `const`
//!    arrives normalised to that);
//! 3. Dixa's convention: every branch a `$ref` to an object, tagged by `_type`, which the branches
//!    do not declare, with the title up to the first `_` as the tag (`NotFound1` has title
//!    `NotFound`; `BulkActionSuccess_BulkError_Agent` is tagged `BulkActionSuccess`).
//!
//! Who writes the tag follows who declares it. Where the variant schemas do not declare the tag
//! property (Dixa's `_type`), the union writes it and the variant structs have no such field, so
//! `Shape::Circle(Circle)` is all a caller builds. Where they do (the implicit form always, an
//! explicit discriminator usually), each struct keeps the property as a field and writes it
//! itself, and the union adds nothing: a variant struct then also round-trips exactly where the
//! spec uses it on its own, and a schema that a mapping puts under two tags stays one struct.

use super::branches::{object_of, ref_objects, Answer, Lowered, RefObject, Union};
use super::site::{broken, Site};
use super::Lowerer;
use crate::error::Result;
use crate::ir::{TypeKind, TypeRef, UnionTag, UnionVariant, DIXA_TAG};
use crate::load::escape_pointer;
use crate::naming::{self, RustIdent};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};

/// The tag Dixa gives a variant schema: its title (or key) up to the first `_`.
fn dixa_tag(key: &str, schema: &Schema) -> String {
    let title = schema.schema_data.title.as_deref().unwrap_or(key);
    title.split('_').next().unwrap_or(title).to_owned()
}

/// The schema key a `discriminator` mapping value names: a `$ref` pointer, or a bare schema name.
fn mapping_target<'s>(lowerer: &Lowerer<'s>, target: &str, at: &str) -> Result<&'s str> {
    let reference = if target.starts_with('#') {
        target.to_owned()
    } else {
        format!("#/components/schemas/{}", escape_pointer(target))
    };
    Ok(lowerer.resolve_schema_ref(&reference, at)?.0)
}

/// The union's `discriminator` mapping as schema key -> tags (sorted, so that the order of the
/// mapping's keys in the file changes nothing).
fn mapping<'s>(
    lowerer: &Lowerer<'s>,
    union: &Union,
    site: &Site,
) -> Result<BTreeMap<&'s str, BTreeSet<String>>> {
    let mut out: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    if let Some(discriminator) = union.discriminator {
        for (tag, target) in &discriminator.mapping {
            let at = format!(
                "{}/discriminator/mapping/{}",
                site.pointer,
                escape_pointer(tag)
            );
            let key = mapping_target(lowerer, target, &at)?;
            out.entry(key).or_default().insert(tag.clone());
        }
    }
    Ok(out)
}

/// The tags of a branch (a `$ref` to an object): from the `discriminator` mapping when it
/// names the branch, else the default for the tag property (the key, or Dixa's title for `_type`).
pub(super) fn tags_of(
    lowerer: &Lowerer,
    union: &Union,
    site: &Site,
    branch: &RefObject,
) -> Result<Vec<String>> {
    let mapped = mapping(lowerer, union, site)?;
    if let Some(tags) = mapped.get(branch.key) {
        return Ok(tags.iter().cloned().collect());
    }
    Ok(vec![default_tag(union, branch)])
}

/// The tag of a branch no mapping names: OpenAPI's default (the schema's key), except for the
/// `_type` property, whose default is Dixa's.
fn default_tag(union: &Union, branch: &RefObject) -> String {
    match union.discriminator {
        Some(d) if d.property_name != DIXA_TAG => branch.key.to_owned(),
        _ => dixa_tag(branch.key, branch.schema),
    }
}

/// The variants' Rust names from their tags: unique, and never the fallback's name.
fn name_variants(mut variants: Vec<UnionVariant>) -> Vec<UnionVariant> {
    let mut names: Vec<RustIdent> = std::iter::once(naming::unknown_variant())
        .chain(variants.iter().map(|v| v.name.clone()))
        .collect();
    naming::dedupe(&mut names);
    for (variant, name) in variants.iter_mut().zip(names.into_iter().skip(1)) {
        variant.name = name;
    }
    variants
}

/// A tagged union, or the error of two variants under one tag.
fn finish(
    property: &str,
    in_variants: bool,
    variants: Vec<UnionVariant>,
    keys: &[&str],
    site: &Site,
) -> Answer {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (variant, key) in variants.iter().zip(keys) {
        if let Some(other) = seen.insert(&variant.tag, key) {
            return Answer::Broken(broken(
                &site.pointer,
                format!(
                    "variants {other} and {key} would both be tagged {:?}",
                    variant.tag
                ),
            ));
        }
    }
    Answer::Fits(Lowered::Kind(TypeKind::TaggedUnion {
        tag: UnionTag {
            property: property.to_owned(),
            in_variants,
        },
        variants: name_variants(variants),
    }))
}

/// A union with an explicit `discriminator`. Its branches must be `$ref`s (the mapping names
/// schemas; an inline branch has no name to map, and OpenAPI says inline branches are not
/// considered). Every branch the generator sees as an object either declares the tag property or
/// none does: a mix would have the tag written twice or not at all.
pub(super) fn discriminator(lowerer: &mut Lowerer, union: &Union, site: &Site) -> Result<Answer> {
    let Some(discriminator) = union.discriminator else {
        return Ok(Answer::DoesNotFit);
    };
    let property = discriminator.property_name.as_str();
    let mapped = mapping(lowerer, union, site)?;
    let mut variants = Vec::new();
    let mut keys = Vec::new();
    let mut declaring = BTreeSet::new();
    let mut silent = BTreeSet::new();
    let mut branch_keys = BTreeSet::new();
    for (index, branch) in union.branches.iter().enumerate() {
        let at = union.at(site, index);
        let ReferenceOr::Reference { reference } = branch else {
            return Ok(Answer::Broken(broken(
                &at,
                format!(
                    "a branch of a {} with a discriminator must be a $ref: the discriminator's tags name schemas",
                    union.keyword
                ),
            )));
        };
        let (key, schema) = lowerer.resolve_schema_ref(reference, &at)?;
        branch_keys.insert(key);
        let pointer = format!("#/components/schemas/{}", escape_pointer(key));
        let object = object_of(lowerer, schema, &pointer)?;
        if let Some(object) = &object {
            if object.properties.contains_key(property) {
                declaring.insert(key);
            } else {
                silent.insert(key);
            }
        }
        let tags: Vec<String> = match mapped.get(key) {
            Some(tags) => tags.iter().cloned().collect(),
            None => match object {
                Some(object) => vec![default_tag(
                    union,
                    &RefObject {
                        key,
                        schema,
                        object,
                    },
                )],
                None if property == DIXA_TAG => vec![dixa_tag(key, schema)],
                None => vec![key.to_owned()],
            },
        };
        for tag in tags {
            variants.push(UnionVariant {
                name: naming::variant_name(&tag),
                tag,
                ty: lowerer.name_of(key),
                boxed: false,
                pending: None,
            });
            keys.push(key);
        }
    }
    // A mapping may name schemas the branches do not list (a subtype reached through `allOf`);
    // a value with such a tag decodes as that schema, after the branches' variants.
    for (key, tags) in &mapped {
        if branch_keys.contains(key) {
            continue;
        }
        for tag in tags {
            variants.push(UnionVariant {
                name: naming::variant_name(tag),
                tag: tag.clone(),
                ty: lowerer.name_of(key),
                boxed: false,
                pending: None,
            });
            keys.push(key);
        }
    }
    if let (Some(with), Some(without)) = (declaring.first(), silent.first()) {
        return Ok(Answer::Broken(broken(
            &site.pointer,
            format!(
                "{with} declares the discriminator property `{property}` and {without} does not; \
                 declare it in every branch or in none"
            ),
        )));
    }
    Ok(finish(
        property,
        !declaring.is_empty(),
        variants,
        &keys,
        site,
    ))
}

/// The value of a property fixed to one string: `{type: string, enum: [circle]}`.
fn fixed_value(
    lowerer: &Lowerer,
    property: &ReferenceOr<Box<Schema>>,
    at: &str,
) -> Result<Option<String>> {
    let schema: &Schema = match property {
        ReferenceOr::Reference { reference } => lowerer.resolve_schema_ref(reference, at)?.1,
        ReferenceOr::Item(schema) => schema,
    };
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => Some(value.clone()),
            _ => None,
        },
        _ => None,
    })
}

/// Every branch an object (a `$ref` or inline) with the same property fixed to one value, different
/// in each branch: the union is tagged by that property. Of several such properties, one that every
/// branch requires is taken before one that some leave optional, then the first by name. An inline
/// branch becomes a struct named after the union and its tag (`ShapeCircle`).
pub(super) fn implicit<'s>(
    lowerer: &mut Lowerer<'s>,
    union: &Union,
    site: &Site,
) -> Result<Answer> {
    // Each branch's schema key (`None` inline), properties and required list.
    let mut branches = Vec::with_capacity(union.branches.len());
    for (index, branch) in union.branches.iter().enumerate() {
        let (key, schema, pointer) = match branch {
            ReferenceOr::Reference { reference } => {
                let (key, schema) =
                    lowerer.resolve_schema_ref(reference, &union.at(site, index))?;
                let pointer = format!("#/components/schemas/{}", escape_pointer(key));
                (Some(key), schema, pointer)
            }
            ReferenceOr::Item(schema) => (None, schema, union.at(site, index)),
        };
        let Some(object) = object_of(lowerer, schema, &pointer)? else {
            return Ok(Answer::DoesNotFit);
        };
        branches.push((key, object));
    }
    let Some((_, first)) = branches.first() else {
        return Ok(Answer::DoesNotFit);
    };
    let mut candidates: Vec<&str> = first.properties.keys().map(String::as_str).collect();
    candidates.sort_unstable();
    let mut best: Option<(bool, String, Vec<String>)> = None;
    'candidates: for property in candidates {
        let mut values = Vec::with_capacity(branches.len());
        let mut required = true;
        for (index, (_, object)) in branches.iter().enumerate() {
            let Some(schema) = object.properties.get(property) else {
                continue 'candidates;
            };
            let at = format!(
                "{}/properties/{}",
                union.at(site, index),
                escape_pointer(property)
            );
            let Some(value) = fixed_value(lowerer, schema, &at)? else {
                continue 'candidates;
            };
            if values.contains(&value) {
                continue 'candidates;
            }
            values.push(value);
            required &= object.required.iter().any(|r| r == property);
        }
        if best.as_ref().is_none_or(|(r, _, _)| required && !r) {
            best = Some((required, property.to_owned(), values));
        }
    }
    let Some((_, property, values)) = best else {
        return Ok(Answer::DoesNotFit);
    };
    let keys: Vec<Option<&str>> = branches.iter().map(|(key, _)| *key).collect();
    let mut variants = Vec::with_capacity(values.len());
    for (index, (key, tag)) in keys.iter().zip(values).enumerate() {
        let (ty, pending) = match key {
            Some(key) => (lowerer.name_of(key), None),
            None => {
                let child = site.child(&format!("{}/{index}", union.keyword), &tag);
                match lowerer.type_ref_unboxed(&union.branches[index], &child)? {
                    TypeRef::Pending(i) => (child.derived_name(), Some(i)),
                    TypeRef::Named(name) => (name, None),
                    _ => return Ok(Answer::DoesNotFit),
                }
            }
        };
        variants.push(UnionVariant {
            name: naming::variant_name(&tag),
            tag,
            ty,
            boxed: false,
            pending,
        });
    }
    let labels: Vec<String> = keys
        .iter()
        .enumerate()
        .map(|(index, key)| match key {
            Some(key) => (*key).to_owned(),
            None => format!("{}/{index}", union.keyword),
        })
        .collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    Ok(finish(&property, true, variants, &labels, site))
}

/// Every branch a `$ref` to an object: Dixa's convention, tagged by `_type`, which the branches must
/// not declare themselves (it would clash with the union's tag).
pub(super) fn dixa(lowerer: &mut Lowerer, union: &Union, site: &Site) -> Result<Answer> {
    let Some(objects) = ref_objects(lowerer, union, site)? else {
        return Ok(Answer::DoesNotFit);
    };
    let mut variants = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        if object.object.properties.contains_key(DIXA_TAG) {
            return Ok(Answer::Broken(broken(
                &union.at(site, index),
                format!(
                    "variant {} declares its own `{DIXA_TAG}` property, which would clash with the union's tag",
                    object.key
                ),
            )));
        }
        let tag = dixa_tag(object.key, object.schema);
        variants.push(UnionVariant {
            name: naming::variant_name(&tag),
            tag,
            ty: lowerer.name_of(object.key),
            boxed: false,
            pending: None,
        });
    }
    let keys: Vec<&str> = objects.iter().map(|o| o.key).collect();
    Ok(finish(DIXA_TAG, false, variants, &keys, site))
}
