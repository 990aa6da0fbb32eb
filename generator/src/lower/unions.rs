//! `oneOf` lowering as an ordered chain of strategies, after typify.
//!
//! Each strategy looks at the variants and answers: it fits (here is the type), it does not fit (ask
//! the next one), or the spec is broken (stop with an error naming the place). The order matters:
//! a `_type`-tagged union of objects must not be taken for an untagged one, because Dixa's variants
//! often share one shape (`Csat`, `Nps` and `ThumbsUpOrDown` are all `{value: int32}`) and only the
//! tag tells them apart.

use super::site::{broken, Site};
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::{TypeKind, TypeRef, UnionVariant, UntaggedVariant};
use crate::naming::{self, RustIdent};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeMap;

/// The result of lowering a `oneOf`.
pub(super) enum Lowered {
    /// A new type of this kind.
    Kind(TypeKind),
    /// No new type: the union is just this type (a nullable wrapper around one variant).
    Ref(TypeRef),
}

/// A strategy's answer.
enum Answer {
    Fits(Lowered),
    DoesNotFit,
    Broken(Error),
}

type Strategy = fn(&mut Lowerer, &[ReferenceOr<Schema>], &Site) -> Result<Answer>;

/// The strategies, tried in this order.
const STRATEGIES: &[(&str, Strategy)] = &[
    ("nullable", nullable),
    ("case objects", case_objects),
    ("tagged by _type", tagged),
    ("untagged", untagged),
];

/// The property Dixa's unions carry their tag in.
pub const TAG_PROPERTY: &str = "_type";

/// Lowers the variants of a `oneOf` at `site`.
pub(super) fn lower_one_of(
    lowerer: &mut Lowerer,
    variants: &[ReferenceOr<Schema>],
    site: &Site,
) -> Result<Lowered> {
    if variants.is_empty() {
        return Err(broken(&site.pointer, "oneOf with no variants"));
    }
    for (_, strategy) in STRATEGIES {
        match strategy(lowerer, variants, site)? {
            Answer::Fits(lowered) => return Ok(lowered),
            Answer::DoesNotFit => continue,
            Answer::Broken(error) => return Err(error),
        }
    }
    let tried: Vec<&str> = STRATEGIES.iter().map(|(name, _)| *name).collect();
    lowerer.warn(
        &site.pointer,
        format!(
            "no oneOf strategy fits (tried {}); the value is kept as serde_json::Value",
            tried.join(", ")
        ),
    );
    Ok(Lowered::Ref(TypeRef::Json))
}

/// Whether a schema admits `null`: `nullable: true`, or a `oneOf` with a null variant. Such a
/// property is optional in Rust (`Option`) even when it is required, because `null` must decode.
pub(super) fn admits_null(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || matches!(&schema.schema_kind, SchemaKind::OneOf { one_of } if one_of.iter().any(is_null_variant))
}

/// A variant that only says "null": `{nullable: true}` with no type.
fn is_null_variant(variant: &ReferenceOr<Schema>) -> bool {
    match variant {
        ReferenceOr::Item(schema) => {
            schema.schema_data.nullable
                && matches!(&schema.schema_kind, SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// `oneOf: [X, {nullable: true}]` is X that may be null: no new type. Absence and null are the same
/// to the SDK (optional fields are `Option`), so X stands for the union.
fn nullable(
    lowerer: &mut Lowerer,
    variants: &[ReferenceOr<Schema>],
    site: &Site,
) -> Result<Answer> {
    let rest: Vec<(usize, &ReferenceOr<Schema>)> = variants
        .iter()
        .enumerate()
        .filter(|(_, v)| !is_null_variant(v))
        .collect();
    if rest.len() != 1 || rest.len() == variants.len() {
        return Ok(Answer::DoesNotFit);
    }
    let (index, variant) = rest[0];
    // Two segments: one `child` with a `/` would escape it (`oneOf~10`), a pointer to nowhere.
    let branches = site.child("oneOf", site.field);
    let child = branches.child(&index.to_string(), site.field);
    Ok(Answer::Fits(Lowered::Ref(
        lowerer.type_ref_unboxed(variant, &child)?,
    )))
}

/// A variant that is a `$ref` to an object schema: its key, its object (the members of an `allOf`
/// merged), and its `_type` tag.
type ObjectVariant<'s> = (&'s str, std::borrow::Cow<'s, openapiv3::ObjectType>, String);

/// The `$ref`ed object schemas of the variants with their keys and tags, or `None` when a variant is
/// inline or not an object.
fn object_variants<'s>(
    lowerer: &Lowerer<'s>,
    variants: &[ReferenceOr<Schema>],
    site: &Site,
) -> Result<Option<Vec<ObjectVariant<'s>>>> {
    let mut out = Vec::with_capacity(variants.len());
    for (index, variant) in variants.iter().enumerate() {
        let ReferenceOr::Reference { reference } = variant else {
            return Ok(None);
        };
        let at = format!("{}/oneOf/{index}", site.pointer);
        let (key, schema) = lowerer.resolve_schema_ref(reference, &at)?;
        let pointer = format!("#/components/schemas/{}", crate::load::escape_pointer(key));
        let Some(obj) = lowerer.object_type(schema, &pointer)? else {
            return Ok(None);
        };
        let title = schema.schema_data.title.as_deref().unwrap_or(key);
        let tag = title.split('_').next().unwrap_or(title).to_owned();
        out.push((key, obj, tag));
    }
    Ok(Some(out))
}

/// Every variant an empty object (Scala case objects): Dixa sends these as plain strings, the
/// variant's tag (`"businessHourType": "Regular"`, `"entityType": "UserAnonymizationType"`), not as
/// `{"_type": ...}` objects. Every example of such a field in the spec is a string, so the union is
/// a string enumeration of its tags.
fn case_objects(
    lowerer: &mut Lowerer,
    variants: &[ReferenceOr<Schema>],
    site: &Site,
) -> Result<Answer> {
    let Some(objects) = object_variants(lowerer, variants, site)? else {
        return Ok(Answer::DoesNotFit);
    };
    let empty = |obj: &openapiv3::ObjectType| {
        obj.properties.is_empty()
            && !matches!(
                obj.additional_properties,
                Some(AdditionalProperties::Schema(_))
            )
    };
    if !objects.iter().all(|(_, obj, _)| empty(obj)) {
        return Ok(Answer::DoesNotFit);
    }
    let tags: Vec<String> = objects.into_iter().map(|(_, _, tag)| tag).collect();
    Ok(Answer::Fits(Lowered::Kind(super::enums::string_enum(tags))))
}

/// Every variant a `$ref` to an object schema: the union is internally tagged by `_type`, and the tag
/// of a variant is its schema's title up to the first `_` (`NotFound1` has title `NotFound`;
/// `BulkActionSuccess_BulkError_Agent` is tagged `BulkActionSuccess`).
fn tagged(lowerer: &mut Lowerer, variants: &[ReferenceOr<Schema>], site: &Site) -> Result<Answer> {
    let Some(objects) = object_variants(lowerer, variants, site)? else {
        return Ok(Answer::DoesNotFit);
    };
    let mut out = Vec::with_capacity(objects.len());
    let mut tags: BTreeMap<String, String> = BTreeMap::new();
    for (index, (key, obj, tag)) in objects.into_iter().enumerate() {
        let at = format!("{}/oneOf/{index}", site.pointer);
        if obj.properties.contains_key(TAG_PROPERTY) {
            return Ok(Answer::Broken(broken(
                &at,
                format!("variant {key} declares its own `{TAG_PROPERTY}` property, which would clash with the union's tag"),
            )));
        }
        if let Some(other) = tags.insert(tag.clone(), key.to_owned()) {
            return Ok(Answer::Broken(broken(
                &at,
                format!("variants {other} and {key} would both be tagged {tag:?}"),
            )));
        }
        out.push(UnionVariant {
            name: naming::variant_name(&tag),
            tag,
            ty: lowerer.name_of(key),
            boxed: false,
        });
    }
    let mut names: Vec<RustIdent> = std::iter::once(naming::unknown_variant())
        .chain(out.iter().map(|v| v.name.clone()))
        .collect();
    naming::dedupe(&mut names);
    for (variant, name) in out.iter_mut().zip(names.into_iter().skip(1)) {
        variant.name = name;
    }
    Ok(Answer::Fits(Lowered::Kind(TypeKind::TaggedUnion {
        variants: out,
    })))
}

/// The JSON kind a schema accepts, when it is a single one.
fn json_kind(
    lowerer: &Lowerer,
    variant: &ReferenceOr<Schema>,
    at: &str,
) -> Result<Option<&'static str>> {
    let schema = match variant {
        ReferenceOr::Reference { reference } => lowerer.resolve_schema_ref(reference, at)?.1,
        ReferenceOr::Item(schema) => schema,
    };
    Ok(match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("String"),
        SchemaKind::Type(Type::Integer(_)) => Some("Integer"),
        SchemaKind::Type(Type::Number(_)) => Some("Number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("Bool"),
        SchemaKind::Type(Type::Array(_)) => Some("List"),
        SchemaKind::Type(Type::Object(_)) => Some("Object"),
        _ => None,
    })
}

/// Variants of different JSON kinds (`string | array of string`) need no tag: the value's own kind
/// picks the variant. Several arrays may differ in their items (`array of string | array of
/// FileMeta`); serde tries the narrowest first. Integers come before numbers so that `3` stays an
/// integer.
fn untagged(
    lowerer: &mut Lowerer,
    variants: &[ReferenceOr<Schema>],
    site: &Site,
) -> Result<Answer> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::with_capacity(variants.len());
    for (index, variant) in variants.iter().enumerate() {
        let at = format!("{}/oneOf/{index}", site.pointer);
        let Some(kind) = json_kind(lowerer, variant, &at)? else {
            return Ok(Answer::DoesNotFit);
        };
        let branches = site.child("oneOf", site.field);
        let child = branches.child(&index.to_string(), site.field);
        let ty = lowerer.type_ref_unboxed(variant, &child)?;
        let name = match (&ty, kind) {
            (TypeRef::Named(name), "Object") => name.clone(),
            (TypeRef::List(item), "List") => {
                naming::untagged_variant_name(kind, Some(&item_name(item)))
            }
            _ => naming::untagged_variant_name(kind, None),
        };
        if seen.insert(name.clone(), index).is_some() {
            return Ok(Answer::DoesNotFit);
        }
        out.push((kind_rank(kind, &ty), UntaggedVariant { name, ty }));
    }
    out.sort_by_key(|(rank, _)| *rank);
    Ok(Answer::Fits(Lowered::Kind(TypeKind::Untagged {
        variants: out.into_iter().map(|(_, v)| v).collect(),
    })))
}

/// A word for the items of a list variant (`StringList`, `FileMetaList`).
fn item_name(item: &TypeRef) -> String {
    match item {
        TypeRef::Named(name) => name.to_string(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::List(inner) => format!("{}List", item_name(inner)),
        _ => "Value".to_owned(),
    }
}

/// The order serde tries untagged variants in: the narrowest JSON kinds first, and among lists the
/// ones of scalars before the ones of objects.
fn kind_rank(kind: &str, ty: &TypeRef) -> (u8, u8) {
    let kind_rank = match kind {
        "Bool" => 0,
        "Integer" => 1,
        "Number" => 2,
        "String" => 3,
        "List" => 4,
        _ => 5,
    };
    let item_rank = match ty {
        TypeRef::List(item) => match **item {
            TypeRef::Named(_) | TypeRef::Json | TypeRef::Map(_) => 2,
            TypeRef::List(_) => 1,
            _ => 0,
        },
        _ => 0,
    };
    (kind_rank, item_rank)
}
