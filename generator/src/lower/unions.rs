//! `oneOf` and `anyOf` lowering as an ordered chain of strategies, after typify.
//!
//! Each strategy looks at the branches and answers: it fits (here is the type), it does not fit (ask
//! the next one), or the spec is broken (stop with an error naming the place). The order matters:
//! a tagged union of objects must not be taken for an untagged one, because Dixa's variants
//! often share one shape (`Csat`, `Nps` and `ThumbsUpOrDown` are all `{value: int32}`) and only the
//! tag tells them apart. The tagged strategies (explicit `discriminator`, a property every branch
//! fixes to one value, Dixa's `_type`) live in `tagged.rs`.
//!
//! `anyOf` goes through the same chain: of the branches a value matches, the SDK decodes the
//! first that fits it, which for the unions these strategies accept (tagged, or branches of
//! different JSON kinds or required properties) is the only one.

pub(super) use super::branches::Lowered;
use super::branches::{object_of, ref_objects, Answer, ObjectView, Union};
use super::site::{broken, Site};
use super::tagged;
use super::{is_null_variant, Lowerer};
use crate::error::Result;
use crate::ir::{TypeKind, TypeRef, UntaggedVariant};
use crate::naming;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};

type Strategy = fn(&mut Lowerer, &Union, &Site) -> Result<Answer>;

/// The strategies, tried in this order.
const STRATEGIES: &[(&str, Strategy)] = &[
    ("nullable", nullable),
    ("case objects", case_objects),
    ("discriminator", tagged::discriminator),
    ("tagged by a fixed property", tagged::implicit),
    ("tagged by _type", tagged::dixa),
    ("untagged", untagged),
];

/// Lowers the `branches` of the `oneOf` or `anyOf` (`keyword`) of `schema` at `site`.
pub(super) fn lower_union(
    lowerer: &mut Lowerer,
    schema: &Schema,
    branches: &[ReferenceOr<Schema>],
    keyword: &'static str,
    site: &Site,
) -> Result<Lowered> {
    let union = Union {
        branches,
        keyword,
        discriminator: schema.schema_data.discriminator.as_ref(),
    };
    if branches.is_empty() {
        return Err(broken(&site.pointer, format!("{keyword} with no variants")));
    }
    for (_, strategy) in STRATEGIES {
        match strategy(lowerer, &union, site)? {
            Answer::Fits(lowered) => return Ok(lowered),
            Answer::DoesNotFit => continue,
            Answer::Broken(error) => return Err(error),
        }
    }
    let tried: Vec<&str> = STRATEGIES.iter().map(|(name, _)| *name).collect();
    lowerer.warn(
        &site.pointer,
        format!(
            "no {keyword} strategy fits (tried {}); the value is kept as serde_json::Value",
            tried.join(", ")
        ),
    );
    Ok(Lowered::Ref(TypeRef::Json))
}

/// `oneOf: [X, {nullable: true}]` is X that may be null: no new type. Absence and null are the same
/// to the SDK (optional fields are `Option`), so X stands for the union.
fn nullable(lowerer: &mut Lowerer, union: &Union, site: &Site) -> Result<Answer> {
    let rest: Vec<(usize, &ReferenceOr<Schema>)> = union
        .branches
        .iter()
        .enumerate()
        .filter(|(_, v)| !is_null_variant(v))
        .collect();
    if rest.len() != 1 || rest.len() == union.branches.len() {
        return Ok(Answer::DoesNotFit);
    }
    let (index, variant) = rest[0];
    let child = union.child(site, index);
    Ok(Answer::Fits(Lowered::Ref(
        lowerer.type_ref_unboxed(variant, &child)?,
    )))
}

/// Every variant an empty object (Scala case objects): Dixa sends these as plain strings, the
/// variant's tag (`"businessHourType": "Regular"`, `"entityType": "UserAnonymizationType"`), not as
/// `{"_type": ...}` objects. Every example of such a field in the spec is a string, so the union is
/// a string enumeration of its tags. A `discriminator` naming another property than `_type` says
/// the objects are sent as objects, so it is not this convention.
fn case_objects(lowerer: &mut Lowerer, union: &Union, site: &Site) -> Result<Answer> {
    if union
        .discriminator
        .is_some_and(|d| d.property_name != crate::ir::DIXA_TAG)
    {
        return Ok(Answer::DoesNotFit);
    }
    let Some(objects) = ref_objects(lowerer, union, site)? else {
        return Ok(Answer::DoesNotFit);
    };
    let empty = |obj: &ObjectView| {
        obj.properties.is_empty()
            && !matches!(
                obj.additional_properties,
                Some(AdditionalProperties::Schema(_))
            )
    };
    if !objects.iter().all(|o| empty(&o.object)) {
        return Ok(Answer::DoesNotFit);
    }
    let mut tags = Vec::with_capacity(objects.len());
    for object in &objects {
        let mut of = tagged::tags_of(lowerer, union, site, object)?;
        match of.pop() {
            Some(tag) if of.is_empty() => tags.push(tag),
            // A schema under two tags is not one case object.
            _ => return Ok(Answer::DoesNotFit),
        }
    }
    Ok(Answer::Fits(Lowered::Kind(super::enums::string_enum(tags))))
}

/// The JSON kind a schema accepts, when it is a single one.
fn json_kind(schema: &Schema) -> Option<&'static str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => Some("String"),
        SchemaKind::Type(Type::Integer(_)) => Some("Integer"),
        SchemaKind::Type(Type::Number(_)) => Some("Number"),
        SchemaKind::Type(Type::Boolean(_)) => Some("Bool"),
        SchemaKind::Type(Type::Array(_)) => Some("List"),
        SchemaKind::Type(Type::Object(_)) => Some("Object"),
        SchemaKind::Any(any) if !any.properties.is_empty() => Some("Object"),
        _ => None,
    }
}

/// A branch's schema, through its `$ref`.
fn resolved<'a>(
    lowerer: &'a Lowerer<'_>,
    variant: &'a ReferenceOr<Schema>,
    at: &str,
) -> Result<&'a Schema> {
    Ok(match variant {
        ReferenceOr::Reference { reference } => lowerer.resolve_schema_ref(reference, at)?.1,
        ReferenceOr::Item(schema) => schema,
    })
}

/// Branches of different JSON kinds (`string | array of string`) need no tag: the value's own kind
/// picks the variant. Several arrays may differ in their items (`array of string | array of
/// FileMeta`); serde tries the narrowest first. Integers come before numbers so that `3` stays an
/// integer. Several objects are told apart by their required properties: they are tried with the
/// most required properties first, and fit only when no object tried earlier could take a value of
/// a later one (its required properties are not all properties of the later one); two arrays whose
/// items have one name, or objects that cannot be told apart, do not fit.
fn untagged(lowerer: &mut Lowerer, union: &Union, site: &Site) -> Result<Answer> {
    let mut seen = BTreeMap::new();
    let mut out = Vec::with_capacity(union.branches.len());
    // Per object branch: its required properties and all its properties.
    let mut objects: Vec<(usize, BTreeSet<String>, BTreeSet<String>)> = Vec::new();
    for (index, variant) in union.branches.iter().enumerate() {
        let at = union.at(site, index);
        let schema = resolved(lowerer, variant, &at)?;
        let Some(kind) = json_kind(schema) else {
            return Ok(Answer::DoesNotFit);
        };
        let items = match &schema.schema_kind {
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(ReferenceOr::Item(items)) => json_kind(items),
                _ => None,
            },
            _ => None,
        };
        let object = object_of(lowerer, schema, &at)?;
        let required: BTreeSet<String> = object
            .as_ref()
            .map(|o| o.required.iter().cloned().collect())
            .unwrap_or_default();
        let all: BTreeSet<String> = object
            .as_ref()
            .map(|o| o.properties.keys().cloned().collect())
            .unwrap_or_default();
        let child = union.child(site, index);
        let ty = lowerer.type_ref_unboxed(variant, &child)?;
        let name = match (&ty, kind) {
            (TypeRef::Named(name), "Object") => name.clone(),
            (TypeRef::List(item), "List") => {
                naming::untagged_variant_name(kind, Some(&item_name(item, items)))
            }
            _ => naming::untagged_variant_name(kind, None),
        };
        let mut rank = kind_rank(kind, &ty);
        if kind == "Object" {
            // More required properties first (`usize::MAX -` keeps the ranks ascending).
            rank.1 = usize::MAX - required.len();
            objects.push((out.len(), required, all));
        }
        // Inline objects are named after their kind and numbered below; any other two variants
        // of one name hold the same kind of value.
        let inline_object = kind == "Object" && !matches!(ty, TypeRef::Named(_));
        if seen.insert(name.clone(), index).is_some() && !inline_object {
            return Ok(Answer::DoesNotFit);
        }
        out.push((rank, UntaggedVariant { name, ty }));
    }
    // An object tried before another must not take the other's values.
    for (a, required_a, _) in &objects {
        for (b, _, all_b) in &objects {
            let a_first = (out[*a].0, *a) < (out[*b].0, *b);
            if a_first && required_a.is_subset(all_b) {
                return Ok(Answer::DoesNotFit);
            }
        }
    }
    let mut names: Vec<naming::RustIdent> = out.iter().map(|(_, v)| v.name.clone()).collect();
    naming::dedupe(&mut names);
    for ((_, variant), name) in out.iter_mut().zip(names) {
        variant.name = name;
    }
    out.sort_by_key(|(rank, _)| *rank);
    Ok(Answer::Fits(Lowered::Kind(TypeKind::Untagged {
        variants: out.into_iter().map(|(_, v)| v).collect(),
    })))
}

/// A word for the items of a list variant (`StringList`, `FileMetaList`); items not named yet
/// (inline enums and objects) are named after their JSON kind.
fn item_name(item: &TypeRef, kind: Option<&str>) -> String {
    match item {
        TypeRef::Named(name) => name.to_string(),
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::List(inner) => format!("{}List", item_name(inner, None)),
        _ => kind.unwrap_or("Value").to_owned(),
    }
}

/// The order serde tries untagged variants in: the narrowest JSON kinds first, and among lists the
/// ones of scalars before the ones of objects.
fn kind_rank(kind: &str, ty: &TypeRef) -> (u8, usize) {
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
            TypeRef::Named(_)
            | TypeRef::Json
            | TypeRef::Map(_)
            | TypeRef::KeyedMap(..)
            | TypeRef::Pending(_) => 2,
            TypeRef::List(_) => 1,
            _ => 0,
        },
        _ => 0,
    };
    (kind_rank, item_rank)
}
