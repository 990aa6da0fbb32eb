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
            Construct::Map { additional, keys } => {
                Shape::Is(self.lower_map(additional, keys, site)?)
            }
            Construct::StringEnum(values) => Shape::Enum(values),
            Construct::Scalar(ty) => Shape::Is(ty),
            Construct::Array { items, values } => Shape::Is(self.lower_array(items, values, site)?),
            Construct::Union { branches, keyword } => {
                match unions::lower_union(self, schema, branches, keyword, site)? {
                    Lowered::Kind(kind) => Shape::New(kind),
                    Lowered::Ref(ty) => Shape::Is(ty),
                }
            }
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

    /// An object with only `additionalProperties`: a map of their type, keyed by the enumeration of
    /// `keys` when the map's description lists them (a string otherwise). The keys' enumeration is
    /// pending at the place `propertyNames` under the map (where OpenAPI 3.1 would describe the
    /// keys), so the rename table and the lock can name it, and it joins an equal enumeration found
    /// elsewhere (the channels of `Map_ConversationChannel_Int` are `ConversationChannel`).
    fn lower_map(
        &mut self,
        additional: &AdditionalProperties,
        keys: Option<Vec<String>>,
        site: &Site,
    ) -> Result<TypeRef> {
        let child = site.child("additionalProperties", "value");
        let value = Box::new(self.additional_value(additional, &child)?);
        Ok(match keys {
            Some(keys) => {
                let key = self.pending_enum(keys, &site.child("propertyNames", "key"));
                TypeRef::KeyedMap(Box::new(key), value)
            }
            None => TypeRef::Map(value),
        })
    }

    /// An array: a list of its items, or of any JSON value when the schema does not say. When the
    /// array's description lists the items' values (`values`), the items are that enumeration,
    /// pending at the items' place as if the list were written there.
    fn lower_array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        values: Option<Vec<String>>,
        site: &Site,
    ) -> Result<TypeRef> {
        let items_site = site.child("items", site.field);
        let item = match (items, values) {
            (Some(_), Some(values)) => self.pending_enum(values, &items_site),
            (Some(items), None) => self.type_ref(items, &items_site)?,
            (None, _) => TypeRef::Json,
        };
        Ok(TypeRef::List(Box::new(item)))
    }

    /// The type expression of an inline schema (through [`Self::type_ref_of`]). Inline objects,
    /// enums and unions become pending named types.
    pub(super) fn inline_type(&mut self, schema: &Schema, site: &Site) -> Result<TypeRef> {
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

// One test per lowering step of `schemas.rs` and `objects.rs`, each on a small spec lowered whole.
#[cfg(test)]
mod tests {
    use super::super::test_support::{kind, lower};
    use crate::ir::{Api, Field, TypeKind, TypeRef};

    fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
        match kind(api, name) {
            TypeKind::Struct { fields } => fields,
            other => panic!("{name} is {other:?}"),
        }
    }

    /// `wire: type, required` for each field, the extra-keys map as `*name: type`.
    fn summary(fields: &[Field]) -> Vec<String> {
        fields
            .iter()
            .map(|f| match f.flatten {
                true => format!("*{}: {}", f.name, f.ty.rust("crate", "")),
                false => format!("{}: {}, {}", f.wire, f.ty.rust("crate", ""), f.required),
            })
            .collect()
    }

    #[test]
    fn a_struct_has_a_field_per_property_in_wire_order() {
        let api = lower(
            "    A: {type: object, required: [b], properties: {b: {type: string}, a: {type: integer, format: int32}}}\n",
        )
        .unwrap();
        assert_eq!(
            summary(fields(&api, "A")),
            ["a: i32, false", "b: String, true"]
        );
    }

    #[test]
    fn a_bare_object_is_an_empty_struct_as_a_component_and_inline() {
        let api = lower(
            "    Empty: {type: object}\n    Holder: {type: object, properties: {inner: {type: object}}}\n",
        )
        .unwrap();
        assert!(fields(&api, "Empty").is_empty());
        assert_eq!(
            summary(fields(&api, "Holder")),
            ["inner: HolderInner, false"]
        );
        assert!(fields(&api, "HolderInner").is_empty());
    }

    #[test]
    fn an_object_with_only_additional_properties_is_a_map_as_a_component_and_inline() {
        let api = lower(
            "    Tags: {type: object, additionalProperties: {type: string}}\n    Holder: {properties: {any: {type: object, additionalProperties: true}}}\n",
        )
        .unwrap();
        assert_eq!(
            kind(&api, "Tags"),
            &TypeKind::Alias {
                target: TypeRef::Map(Box::new(TypeRef::String))
            }
        );
        assert_eq!(
            summary(fields(&api, "Holder")),
            ["any: std::collections::BTreeMap<String, serde_json::Value>, false"]
        );
    }

    #[test]
    fn properties_and_additional_properties_are_a_struct_with_a_map_of_the_other_keys() {
        let api = lower(
            "    Open: {type: object, properties: {extra: {type: string}}, additionalProperties: {type: integer}}\n    Any: {properties: {id: {type: string}}, additionalProperties: true}\n    Closed: {properties: {id: {type: string}}, additionalProperties: false}\n",
        )
        .unwrap();
        // A property named like the map keeps its name; the map goes around it.
        assert_eq!(
            summary(fields(&api, "Open")),
            [
                "extra: String, false",
                "*extra2: std::collections::BTreeMap<String, i64>"
            ]
        );
        assert_eq!(
            summary(fields(&api, "Any")),
            [
                "id: String, false",
                "*extra: std::collections::BTreeMap<String, serde_json::Value>"
            ]
        );
        assert_eq!(summary(fields(&api, "Closed")), ["id: String, false"]);
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
        // The map has a lock place of its own, so its name stays.
        assert_eq!(
            api.places.get(&(
                crate::ir::PlaceKind::Field,
                "#/components/schemas/Open/additionalProperties".to_owned()
            )),
            Some(&"extra2".to_owned())
        );
    }

    #[test]
    fn scalars_enums_and_arrays() {
        let api = lower(
            "    A:\n      properties:\n        when: {type: string, format: date-time}\n        state: {type: string, enum: [on, off]}\n        ids: {type: array, items: {type: string, format: uuid}}\n        any: {type: array}\n    Level: {type: string, enum: [high, low]}\n",
        )
        .unwrap();
        assert_eq!(
            summary(fields(&api, "A")),
            [
                "any: Vec<serde_json::Value>, false",
                "ids: Vec<uuid::Uuid>, false",
                "state: State, false",
                "when: crate::DateTime, false"
            ]
        );
        assert!(
            matches!(kind(&api, "Level"), TypeKind::StringEnum { values } if values.len() == 2)
        );
    }

    #[test]
    fn a_value_list_on_an_array_types_its_items_and_on_a_map_its_keys() {
        let api = lower(
            "    Filter:\n      properties:\n        values: {type: array, description: 'values: [open, closed]', items: {type: string}}\n        states: {type: array, items: {type: string, description: 'values: [closed, open]'}}\n        ids: {type: array, description: 'values: [a]', items: {type: string, format: uuid}}\n    Map_Channel_Int: {type: object, description: 'values: [Email, Sms]', additionalProperties: {type: integer, format: int32}}\n    Report:\n      properties:\n        channel: {type: string, description: 'values: [Sms, Email]'}\n        counts: {type: object, description: 'values: [Email, Sms]', additionalProperties: {type: string}}\n",
        )
        .unwrap();
        // The list on the array and the list on the items are the same enumeration: one type.
        assert_eq!(
            summary(fields(&api, "Filter")),
            [
                "ids: Vec<uuid::Uuid>, false",
                "states: Vec<FilterStates>, false",
                "values: Vec<FilterStates>, false"
            ]
        );
        assert!(
            matches!(kind(&api, "FilterStates"), TypeKind::StringEnum { values } if values.len() == 2)
        );
        // Map keys join the equal enumeration of a field (named, as a new enumeration, after its
        // first place), and a named map is an alias of the map.
        assert_eq!(
            kind(&api, "MapChannelInt"),
            &TypeKind::Alias {
                target: TypeRef::KeyedMap(
                    Box::new(TypeRef::Named("MapChannelIntKey".into())),
                    Box::new(TypeRef::I32)
                )
            }
        );
        assert_eq!(
            summary(fields(&api, "Report")),
            [
                "channel: MapChannelIntKey, false",
                "counts: std::collections::BTreeMap<MapChannelIntKey, String>, false"
            ]
        );
        // The keys' enumeration has a place of its own for the lock and the rename table.
        assert_eq!(
            api.places.get(&(
                crate::ir::PlaceKind::Type,
                "#/components/schemas/Map_Channel_Int/propertyNames".to_owned()
            )),
            Some(&"MapChannelIntKey".to_owned())
        );
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    }

    #[test]
    fn a_one_member_all_of_is_its_member_documented_by_the_wrapper() {
        let api = lower(
            "    X: {type: object, properties: {id: {type: string}}}\n    A:\n      required: [x, y, z]\n      properties:\n        x: {description: The x., allOf: [{$ref: '#/components/schemas/X'}]}\n        y: {nullable: true, allOf: [{$ref: '#/components/schemas/X'}]}\n        z: {allOf: [{$ref: '#/components/schemas/X'}, {nullable: true}]}\n    Alias: {allOf: [{$ref: '#/components/schemas/X'}], description: Another name.}\n",
        )
        .unwrap();
        let a = fields(&api, "A");
        assert_eq!(summary(a), ["x: X, true", "y: X, false", "z: X, false"]);
        assert_eq!(a[0].docs.description.as_deref(), Some("The x."));
        assert_eq!(
            kind(&api, "Alias"),
            &TypeKind::Alias {
                target: TypeRef::Named("X".into())
            }
        );
    }

    #[test]
    fn a_multi_member_all_of_is_one_struct_of_the_members_merged() {
        let api = lower(
            "    Base: {type: object, required: [id], properties: {id: {type: string}}}\n    Stamped: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {at: {type: string, format: date-time}}}]}\n    Both:\n      allOf:\n        - $ref: '#/components/schemas/Stamped'\n        - type: object\n          required: [n]\n          properties: {n: {type: integer}, id: {type: string}}\n          additionalProperties: {type: string}\n",
        )
        .unwrap();
        assert_eq!(
            summary(fields(&api, "Both")),
            [
                "at: crate::DateTime, false",
                "id: String, true",
                "n: i64, true",
                "*extra: std::collections::BTreeMap<String, String>"
            ]
        );
        // Each struct's fields have places of their own, under the struct.
        assert_eq!(
            fields(&api, "Both")[1].place,
            "#/components/schemas/Both/properties/id"
        );
        assert!(api.warnings.is_empty(), "{:?}", api.warnings);
    }

    #[test]
    fn all_of_members_that_disagree_on_a_property_are_an_error_naming_both() {
        let error = lower(
            "    Base: {properties: {id: {type: string}}}\n    Both: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {id: {type: integer}}}]}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains("#/components/schemas/Both/allOf/1/properties/id")
                && error.contains("#/components/schemas/Base/properties/id"),
            "{error}"
        );
    }

    #[test]
    fn an_all_of_that_contains_itself_is_an_error() {
        let error = lower(
            "    A: {allOf: [{$ref: '#/components/schemas/B'}, {properties: {a: {type: string}}}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}, {properties: {b: {type: string}}}]}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("contains this allOf"), "{error}");
    }

    #[test]
    fn an_all_of_with_a_member_that_is_not_an_object_is_kept_as_json_with_a_warning() {
        let api = lower(
            "    S: {type: string}\n    A: {allOf: [{$ref: '#/components/schemas/S'}, {properties: {a: {type: string}}}]}\n",
        )
        .unwrap();
        assert_eq!(
            kind(&api, "A"),
            &TypeKind::Alias {
                target: TypeRef::Json
            }
        );
        assert_eq!(api.warnings.len(), 1, "{:?}", api.warnings);
    }

    #[test]
    fn union_variants_written_as_all_of_are_seen_with_their_base_s_properties() {
        let api = lower(
            "    Pet: {oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]}\n    PetBase: {type: object, required: [name], properties: {name: {type: string}}}\n    Cat: {allOf: [{$ref: '#/components/schemas/PetBase'}, {properties: {lives: {type: integer}}}]}\n    Dog: {allOf: [{$ref: '#/components/schemas/PetBase'}]}\n",
        )
        .unwrap();
        // Not case objects (which Dixa sends as strings): the variants have properties.
        assert!(
            matches!(kind(&api, "Pet"), TypeKind::TaggedUnion { variants, .. } if variants.len() == 2)
        );
        assert_eq!(
            summary(fields(&api, "Cat")),
            ["lives: i64, false", "name: String, true"]
        );
        // A variant that is its base alone is an alias of it.
        assert_eq!(
            kind(&api, "Dog"),
            &TypeKind::Alias {
                target: TypeRef::Named("PetBase".into())
            }
        );
    }

    #[test]
    fn not_is_kept_as_json_with_a_warning_and_any_of_is_a_union() {
        let api =
            lower("    A: {anyOf: [{type: string}]}\n    B: {not: {type: string}}\n").unwrap();
        assert_eq!(api.warnings.len(), 1, "{:?}", api.warnings);
        assert!(
            api.warnings[0].contains("B: not is not supported"),
            "{:?}",
            api.warnings
        );
        assert!(!matches!(
            kind(&api, "A"),
            TypeKind::Alias {
                target: TypeRef::Json
            }
        ));
    }
}
