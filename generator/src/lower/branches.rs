//! What the union strategies (`unions.rs`, `tagged.rs`) share: the union being lowered, a
//! strategy's answer, and the object view of a branch.

use super::site::Site;
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::{TypeKind, TypeRef};
use crate::load::escape_pointer;
use openapiv3::{Discriminator, ObjectType, ReferenceOr, Schema};
use std::borrow::Cow;

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
        site.branch(self.keyword, index)
    }
}

/// The object a branch is (`type: object`, `properties` without a `type`, or the members of an
/// `allOf` merged: a base plus the variant's own properties), or `None` when it is not one. The
/// one place the union strategies look into a branch, so the merged view serves them all. A plain
/// object is borrowed; only a merged one is built.
pub(super) fn object_of<'s>(
    lowerer: &Lowerer<'s>,
    schema: &'s Schema,
    pointer: &str,
) -> Result<Option<ObjectView<'s>>> {
    lowerer.object_type(schema, pointer)
}

/// What the union strategies read of an object schema.
pub(super) type ObjectView<'s> = Cow<'s, ObjectType>;

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
        let pointer = format!("#/components/schemas/{}", escape_pointer(key));
        let Some(object) = object_of(lowerer, schema, &pointer)? else {
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
