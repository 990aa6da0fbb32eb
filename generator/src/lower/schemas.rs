//! Lowering of schemas: component schemas into named types, inline schemas into type expressions,
//! through one dispatch on the schema's construct (`classify.rs`) with a step per construct.

use super::classify::{classify, Construct};
use super::objects::ObjectView;
use super::pending::{NameSource, Pending};
use super::site::Site;
use super::unions::{self, Lowered};
use super::{enums, schema_docs, Lowerer};
use crate::error::Result;
use crate::ir::{Docs, PlaceKind, TypeDef, TypeKind, TypeRef};
use crate::load::escape_pointer;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

/// What a schema lowers to, before the component path names it or the inline path leaves it
/// pending.
enum Shape {
    /// A type of its own (a struct, a union).
    New(TypeKind),
    /// A string enumeration (inline ones with equal values become one type).
    Enum(Vec<String>),
    /// No new type: an existing type expression.
    Is(TypeRef),
}

impl Lowerer<'_> {
    /// Lowers the component schema `key` into a named type.
    pub(super) fn lower_component(
        &mut self,
        key: &str,
        schema: &ReferenceOr<Schema>,
    ) -> Result<TypeDef> {
        let name = self.name_of(key);
        let pointer = format!("#/components/schemas/{}", escape_pointer(key));
        let site = Site {
            pointer: pointer.clone(),
            place: pointer.clone(),
            owner: &name,
            field: "",
        };
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                let (target, _) = self.resolve_schema_ref(reference, &pointer)?;
                let target = TypeRef::Named(self.name_of(target));
                return Ok(TypeDef {
                    name: name.clone(),
                    origin: pointer,
                    docs: Docs::default(),
                    kind: TypeKind::Alias { target },
                });
            }
            ReferenceOr::Item(schema) => schema,
        };
        let mut docs = schema_docs(schema);
        docs.summary = schema.schema_data.title.clone().filter(|t| t != key);
        let kind = match self.lower_schema(schema, &site)? {
            Shape::New(kind) => kind,
            Shape::Enum(values) => enums::string_enum(values),
            Shape::Is(target) => TypeKind::Alias { target },
        };
        Ok(TypeDef {
            name,
            origin: pointer,
            docs,
            kind,
        })
    }

    /// The one dispatch on a schema's construct ([`classify`]), with one lowering step per
    /// construct. The component path names what it gives; the inline path
    /// ([`Self::type_ref_of`]) leaves a new type pending.
    fn lower_schema(&mut self, schema: &Schema, site: &Site) -> Result<Shape> {
        Ok(match classify(schema) {
            Construct::Struct(parts) => {
                let view = ObjectView::of_parts(parts, &site.pointer);
                Shape::New(self.lower_struct(&view, site)?)
            }
            Construct::Map(additional) => Shape::Is(self.lower_map(additional, site)?),
            Construct::StringEnum(values) => Shape::Enum(values),
            Construct::Scalar(ty) => Shape::Is(ty),
            Construct::Array(items) => Shape::Is(self.lower_array(items, site)?),
            Construct::OneOf(variants) => match unions::lower_one_of(self, variants, site)? {
                Lowered::Kind(kind) => Shape::New(kind),
                Lowered::Ref(ty) => Shape::Is(ty),
            },
            Construct::Wrapper { index, member } => {
                let child = site.child(&format!("allOf/{index}"), site.field);
                Shape::Is(self.type_ref_unboxed(member, &child)?)
            }
            Construct::AllOf { .. } => match self.object_view(schema, &site.pointer)? {
                Some(view) => Shape::New(self.lower_struct(&view, site)?),
                None => {
                    self.warn(
                        &site.pointer,
                        "allOf with a member that is not an object; the value is kept as \
                         serde_json::Value",
                    );
                    Shape::Is(TypeRef::Json)
                }
            },
            Construct::Any => Shape::Is(TypeRef::Json),
            Construct::Unsupported(construct) => {
                self.warn(
                    &site.pointer,
                    format!("{construct} is not supported; the value is kept as serde_json::Value"),
                );
                Shape::Is(TypeRef::Json)
            }
        })
    }

    /// An object with only `additionalProperties`: a map of their type.
    fn lower_map(&mut self, additional: &AdditionalProperties, site: &Site) -> Result<TypeRef> {
        let child = site.child("additionalProperties", "value");
        let value = self.additional_value(additional, &child)?;
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// An array: a list of its items, or of any JSON value when the schema does not say.
    fn lower_array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        site: &Site,
    ) -> Result<TypeRef> {
        let item = match items {
            Some(items) => self.type_ref(items, &site.child("items", site.field))?,
            None => TypeRef::Json,
        };
        Ok(TypeRef::List(Box::new(item)))
    }

    /// The type of a `$ref` to a component schema.
    pub(super) fn named_ref(&self, reference: &str, at: &str) -> Result<TypeRef> {
        let (key, _) = self.resolve_schema_ref(reference, at)?;
        Ok(TypeRef::Named(self.name_of(key)))
    }

    /// The type expression of a possibly-referenced schema.
    pub(crate) fn type_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        site: &Site,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, &site.pointer),
            ReferenceOr::Item(schema) => self.type_ref_of(schema, site),
        }
    }

    /// Like [`Self::type_ref`], for an unboxed reference.
    pub(crate) fn type_ref_unboxed(
        &mut self,
        schema: &ReferenceOr<Schema>,
        site: &Site,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, &site.pointer),
            ReferenceOr::Item(schema) => self.type_ref_of(schema, site),
        }
    }

    /// The type expression of an inline schema. Inline objects, enums and unions become pending named
    /// types.
    pub(crate) fn type_ref_of(&mut self, schema: &Schema, site: &Site) -> Result<TypeRef> {
        Ok(match self.lower_schema(schema, site)? {
            Shape::New(kind) => self.pending_inline(kind, schema_docs(schema), site),
            Shape::Enum(values) => self.pending_enum(values, site),
            Shape::Is(ty) => ty,
        })
    }

    /// A string enumeration at `site`, named once the whole spec has been read.
    pub(super) fn pending_enum(&mut self, values: Vec<String>, site: &Site) -> TypeRef {
        let index = self.pending.len();
        self.pending.push(Pending::Enum {
            pointer: site.pointer.clone(),
            place: site.place.clone(),
            owner: site.owner.to_owned(),
            field: site.field.to_owned(),
            values,
        });
        TypeRef::Pending(index)
    }

    /// An inline object or union at `site`. A name from the rename table is decided here, so that
    /// equal inline types the table names alike become one type.
    fn pending_inline(&mut self, kind: TypeKind, docs: Docs, site: &Site) -> TypeRef {
        let index = self.pending.len();
        let renamed = self.renames.type_at(&site.pointer).cloned();
        let locked = self.lock.ident(PlaceKind::Type, &site.place);
        let source = match (&renamed, &locked) {
            (Some(_), _) => NameSource::Renamed,
            (None, Some(_)) => NameSource::Locked,
            (None, None) => NameSource::Derived,
        };
        self.pending.push(Pending::Inline {
            pointer: site.pointer.clone(),
            place: site.place.clone(),
            source,
            name: renamed.or(locked).unwrap_or_else(|| site.derived_name()),
            kind,
            docs,
        });
        TypeRef::Pending(index)
    }
}
