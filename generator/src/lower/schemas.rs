//! Lowering of schemas: component schemas into named types, inline schemas into type expressions.

use super::pending::{NameSource, Pending};
use super::site::Site;
use super::unions::{self, Lowered};
use super::{enums, schema_docs, Lowerer};
use crate::error::Result;
use crate::ir::{Docs, Field, PlaceKind, TypeDef, TypeKind, TypeRef};
use crate::load::escape_pointer;
use crate::naming;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ObjectType, ReferenceOr, Schema, SchemaKind,
    StringFormat, StringType, Type, VariantOrUnknownOrEmpty,
};

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
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(obj)) => self.lower_object(obj, &site)?,
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let obj = ObjectType {
                    properties: any.properties.clone(),
                    required: any.required.clone(),
                    additional_properties: any.additional_properties.clone(),
                    ..ObjectType::default()
                };
                self.lower_object(&obj, &site)?
            }
            SchemaKind::Type(Type::String(s)) => match enums::values_of(s, &schema.schema_data) {
                Some(values) => enums::string_enum(values),
                None => TypeKind::Alias {
                    target: self.type_ref_of(schema, &site)?,
                },
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                match unions::lower_union(self, schema, &site)? {
                    Lowered::Kind(kind) => kind,
                    Lowered::Ref(target) => TypeKind::Alias { target },
                }
            }
            _ => TypeKind::Alias {
                target: self.type_ref_of(schema, &site)?,
            },
        };
        Ok(TypeDef {
            name,
            origin: pointer,
            docs,
            kind,
        })
    }

    /// Lowers an object schema with properties into a struct, or a map when it has only
    /// `additionalProperties`.
    fn lower_object(&mut self, obj: &ObjectType, site: &Site) -> Result<TypeKind> {
        if obj.properties.is_empty() {
            if let Some(value) = self.additional(obj, site)? {
                return Ok(TypeKind::Alias {
                    target: TypeRef::Map(Box::new(value)),
                });
            }
        } else if obj.additional_properties.is_some() {
            self.warn(
                &site.pointer,
                "both properties and additionalProperties; the extra properties are ignored",
            );
        }
        let mut fields = Vec::with_capacity(obj.properties.len());
        let mut names = Vec::with_capacity(obj.properties.len());
        let mut places = Vec::with_capacity(obj.properties.len());
        let mut locked = Vec::with_capacity(obj.properties.len());
        // Properties are taken in sorted order of their wire names, not in the order of the spec's
        // map: the fields, and which of two colliding names (`userId`, `user_id`) keeps the clean
        // one, must not change when the same schema is written with its keys in another order.
        let mut properties: Vec<_> = obj.properties.iter().collect();
        properties.sort_by(|a, b| a.0.cmp(b.0));
        for (wire, prop) in properties {
            let prop_site = site.property(wire);
            let (ty, docs, nullable) = match prop {
                ReferenceOr::Reference { reference } => (
                    self.named_ref(reference, &prop_site.pointer)?,
                    Docs::default(),
                    false,
                ),
                ReferenceOr::Item(schema) => (
                    self.type_ref_of(schema, &prop_site)?,
                    schema_docs(schema),
                    unions::admits_null(schema),
                ),
            };
            // A field the lock file knows keeps its name; a new one is named after its wire name.
            let kept = self.lock.ident(PlaceKind::Field, &prop_site.place);
            if let Some(name) = &kept {
                if let Some(i) = names.iter().zip(&locked).position(|(n, l)| *l && n == name) {
                    return Err(self.lock.conflict(
                        PlaceKind::Field,
                        &prop_site.place,
                        format!("`{name}` is also the name of {}", places[i]),
                    ));
                }
            }
            locked.push(kept.is_some());
            let name = kept.unwrap_or_else(|| naming::field_name(wire));
            names.push(name.clone());
            places.push(prop_site.place.clone());
            fields.push(Field {
                wire: wire.clone(),
                name,
                ty,
                place: prop_site.place.clone(),
                required: obj.required.contains(wire) && !nullable,
                boxed: false,
                empty_when_absent: false,
                docs,
            });
        }
        naming::dedupe_around(&mut names, &locked);
        for ((field, name), place) in fields.iter_mut().zip(names).zip(places) {
            self.places
                .insert((PlaceKind::Field, place), name.to_string());
            field.name = name;
        }
        Ok(TypeKind::Struct { fields })
    }

    /// The value type of `additionalProperties`, if the object allows extra keys.
    fn additional(&mut self, obj: &ObjectType, site: &Site) -> Result<Option<TypeRef>> {
        Ok(match &obj.additional_properties {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => {
                let child = site.child("additionalProperties", "value");
                Some(self.type_ref_unboxed(schema, &child)?)
            }
        })
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
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => self.string_type(s, schema, site),
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(array)) => {
                let item = match &array.items {
                    Some(items) => self.type_ref(items, &site.child("items", site.field))?,
                    None => TypeRef::Json,
                };
                TypeRef::List(Box::new(item))
            }
            SchemaKind::Type(Type::Object(obj)) => {
                if obj.properties.is_empty() {
                    match self.additional(obj, site)? {
                        Some(value) => TypeRef::Map(Box::new(value)),
                        None => TypeRef::Map(Box::new(TypeRef::Json)),
                    }
                } else {
                    let kind = self.lower_object(obj, site)?;
                    self.pending_inline(kind, schema_docs(schema), site)
                }
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                match unions::lower_union(self, schema, site)? {
                    Lowered::Ref(ty) => ty,
                    Lowered::Kind(kind) => self.pending_inline(kind, schema_docs(schema), site),
                }
            }
            SchemaKind::Any(any) if !any.properties.is_empty() => {
                let obj = ObjectType {
                    properties: any.properties.clone(),
                    required: any.required.clone(),
                    ..ObjectType::default()
                };
                let kind = self.lower_object(&obj, site)?;
                self.pending_inline(kind, schema_docs(schema), site)
            }
            SchemaKind::Any(_) => TypeRef::Json,
            SchemaKind::AllOf { .. } | SchemaKind::Not { .. } => {
                let construct = match &schema.schema_kind {
                    SchemaKind::AllOf { .. } => "allOf",
                    _ => "not",
                };
                self.warn(
                    &site.pointer,
                    format!("{construct} is not supported; the value is kept as serde_json::Value"),
                );
                TypeRef::Json
            }
        })
    }

    fn string_type(&mut self, s: &StringType, schema: &Schema, site: &Site) -> TypeRef {
        if let Some(values) = enums::values_of(s, &schema.schema_data) {
            return self.pending_enum(values, site);
        }
        match &s.format {
            VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
            VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
            VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
            _ => TypeRef::String,
        }
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
