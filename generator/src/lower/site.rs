//! Where lowering is in the spec ([`Site`]), and small helpers every schema pass shares, kept apart
//! so that `schemas.rs` and `unions.rs` (which recurse into each other through `Lowerer`, by way of
//! `Lowerer::type_ref_unboxed` in `mod.rs`) import only this.

use crate::error::Error;
use crate::load::escape_pointer;
use crate::naming::{self, RustIdent};

/// Where an inline schema sits: its JSON pointer and the names a derived type would be built from.
#[derive(Debug, Clone)]
pub(crate) struct Site<'s> {
    /// JSON pointer of the schema.
    pub pointer: String,
    /// The place's key in the lock file: the pointer, except that parameters are named by location
    /// and name rather than by index (`parameters/query:type`), so that a parameter added before
    /// another does not move it.
    pub place: String,
    /// Rust name of the enclosing type or operation.
    pub owner: &'s str,
    /// Wire name of the property or parameter (empty for the owner itself).
    pub field: &'s str,
}

impl<'s> Site<'s> {
    /// The site of the schema of content type `content_type` in the body or response at `at`
    /// (`.../requestBody`, `.../responses/200`), for `field` (`body`, `response`) of `owner`.
    pub(super) fn media(at: &str, content_type: &str, owner: &'s str, field: &'s str) -> Self {
        let pointer = format!("{at}/content/{}/schema", escape_pointer(content_type));
        Site {
            place: pointer.clone(),
            pointer,
            owner,
            field,
        }
    }

    /// The name a type derived at this site gets unless the rename table says otherwise.
    pub fn derived_name(&self) -> RustIdent {
        naming::member_type_name(self.owner, self.field)
    }

    /// The site of the property `wire` of the object here, whose schema is at `pointer`: under this
    /// object, or in the member of an `allOf` that declares it. Its place is the property's under
    /// this object either way, so that each struct's fields have places of their own.
    pub(super) fn property<'c>(&'c self, wire: &'c str, pointer: &str) -> Site<'c> {
        Site {
            pointer: pointer.to_owned(),
            place: format!("{}/properties/{}", self.place, escape_pointer(wire)),
            owner: self.owner,
            field: wire,
        }
    }

    /// The site of branch `index` of the union keyword (`oneOf`, `anyOf`) here: two segments of
    /// the pointer, where one `child` with a `/` would escape it into a pointer to nowhere.
    pub(super) fn branch<'c>(&'c self, keyword: &str, index: usize) -> Site<'c> {
        Site {
            pointer: format!("{}/{keyword}/{index}", self.pointer),
            place: format!("{}/{keyword}/{index}", self.place),
            owner: self.owner,
            field: self.field,
        }
    }

    pub(super) fn child<'c>(&'c self, segment: &str, field: &'c str) -> Site<'c> {
        let segment = escape_pointer(segment);
        Site {
            pointer: format!("{}/{segment}", self.pointer),
            place: format!("{}/{segment}", self.place),
            owner: self.owner,
            field,
        }
    }
}

/// An error for a schema construct at a pointer.
pub(super) fn broken(pointer: &str, message: impl Into<String>) -> Error {
    Error::spec(pointer, message)
}
