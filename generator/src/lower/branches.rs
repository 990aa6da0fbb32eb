//! What the union strategies (`unions.rs`, `tagged.rs`) share: the union being lowered, a
//! strategy's answer, and the object view of a branch.

use super::site::{as_object, Site};
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::{TypeKind, TypeRef};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, Discriminator, ReferenceOr, Schema, SchemaKind};

/// The result of lowering a union.
pub(super) enum Lowered {
    /// A new type of this kind.
    Kind(TypeKind),
    /// No new type: the union is just this type (a nullable wrapper around one variant).
    Ref(TypeRef),
}

/// A strategy's answer.
pub(super) enum Answer {
    Fits(Lowered),
    DoesNotFit,
    Broken(Error),
}

/// The branches of a `oneOf` or `anyOf` and its `discriminator`.
pub(super) struct Union<'u> {
    pub branches: &'u [ReferenceOr<Schema>],
    /// `oneOf` or `anyOf`: the segment of the branches' pointers.
    pub keyword: &'static str,
    pub discriminator: Option<&'u Discriminator>,
}

impl Union<'_> {
    /// The JSON pointer of branch `index`.
    pub fn at(&self, site: &Site, index: usize) -> String {
        format!("{}/{}/{index}", site.pointer, self.keyword)
    }

    /// The site of branch `index`, for lowering it.
    pub fn child<'c>(&self, site: &'c Site, index: usize) -> Site<'c> {
        site.child(&format!("{}/{index}", self.keyword), site.field)
    }
}

/// The properties and `required` list of a schema that is an object: `type: object`, or
/// `properties` without a `type`. This is the one place the union strategies look into a branch, so
/// that the merged view of an `allOf` of objects (a base plus the variant's own properties) serves
/// them all once schema lowering has one; until then such a branch is not seen as an object.
pub(super) fn object_of(schema: &Schema) -> Option<ObjectView<'_>> {
    if let Some(obj) = as_object(schema) {
        return Some(ObjectView {
            properties: &obj.properties,
            required: &obj.required,
            additional: obj.additional_properties.as_ref(),
        });
    }
    match &schema.schema_kind {
        SchemaKind::Any(any) if !any.properties.is_empty() => Some(ObjectView {
            properties: &any.properties,
            required: &any.required,
            additional: any.additional_properties.as_ref(),
        }),
        _ => None,
    }
}

/// What the union strategies read of an object schema.
pub(super) struct ObjectView<'s> {
    pub properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
}

/// A branch that is a `$ref` to an object schema: its key, its object, and its Dixa `_type` tag.
pub(super) struct RefObject<'s> {
    pub key: &'s str,
    pub schema: &'s Schema,
    pub object: ObjectView<'s>,
}

/// The `$ref`ed object schemas of the branches, or `None` when a branch is inline or not an object.
pub(super) fn ref_objects<'s>(
    lowerer: &Lowerer<'s>,
    union: &Union,
    site: &Site,
) -> Result<Option<Vec<RefObject<'s>>>> {
    let mut out = Vec::with_capacity(union.branches.len());
    for (index, variant) in union.branches.iter().enumerate() {
        let ReferenceOr::Reference { reference } = variant else {
            return Ok(None);
        };
        let (key, schema) = lowerer.resolve_schema_ref(reference, &union.at(site, index))?;
        let Some(object) = object_of(schema) else {
            return Ok(None);
        };
        out.push(RefObject {
            key,
            schema,
            object,
        });
    }
    Ok(Some(out))
}
