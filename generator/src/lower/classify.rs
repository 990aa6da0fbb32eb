//! The one dispatch on a schema's form: [`classify`] says which construct a schema is, and
//! `schemas.rs` has one lowering step per construct, used alike for a component schema (which names
//! the result) and an inline one (which leaves it pending). Before this dispatch there were two, and
//! they disagreed (an object with both `properties` and `additionalProperties`, a bare
//! `{type: object}`).
//!
//! Classifying looks at the schema alone, never through a `$ref`: what a reference is, is decided
//! where it is lowered (`objects.rs` for the members of an `allOf`).

use super::enums;
use crate::ir::TypeRef;
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

/// The properties of a schema.
pub(super) type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// The object part of a schema, borrowed from a `type: object` schema or from one that lists
/// properties without a `type`.
#[derive(Debug, Clone, Copy)]
pub(super) struct ObjectParts<'s> {
    pub properties: &'s Properties,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
}

impl ObjectParts<'_> {
    /// The extra keys the object allows: `additionalProperties: true` or a schema (`false` and
    /// absent allow none the SDK keeps).
    pub fn allows_extra(&self) -> bool {
        !matches!(
            self.additional,
            None | Some(AdditionalProperties::Any(false))
        )
    }
}

/// What a schema is, for lowering.
#[derive(Debug)]
pub(super) enum Construct<'s> {
    /// An object with properties (and perhaps `additionalProperties`, kept in a map field), or a
    /// bare `{type: object}`: a struct. A bare object is an empty struct both as a component and
    /// inline: Dixa's case objects and tag-only union variants are such components, and the
    /// committed SDK has them as empty structs.
    Struct(ObjectParts<'s>),
    /// An object with `additionalProperties` (`true` or a schema) and no properties: a map, whose
    /// keys are an enumeration when the map's description lists values (`keys`, see [`map_keys`]).
    Map {
        additional: &'s AdditionalProperties,
        keys: Option<Vec<String>>,
    },
    /// A string with a closed list of values (from `enum` or from the description).
    StringEnum(Vec<String>),
    /// A scalar: a string of some format, an integer, a number or a boolean.
    Scalar(TypeRef),
    /// An array, with its items if the schema says what they are, and the values of its items
    /// when the list of them is written on the array rather than on its items (`values`, see
    /// [`item_values`]).
    Array {
        items: Option<&'s ReferenceOr<Box<Schema>>>,
        values: Option<Vec<String>>,
    },
    /// A `oneOf` or an `anyOf` (`keyword`), lowered through the union strategies.
    Union {
        branches: &'s [ReferenceOr<Schema>],
        keyword: &'static str,
    },
    /// An `allOf` with one member that says something (the others only annotate), such as
    /// `allOf: [{$ref: X}]` with a `description` beside it: the member's type.
    Wrapper {
        index: usize,
        member: &'s ReferenceOr<Schema>,
    },
    /// An `allOf` of several members, plus the properties written beside it: one struct of the
    /// members' properties, merged.
    AllOf {
        members: Vec<(usize, &'s ReferenceOr<Schema>)>,
        own: Option<ObjectParts<'s>>,
    },
    /// A schema that says nothing about the value's shape.
    Any,
    /// A construct the generator does not type (`not`).
    Unsupported(&'static str),
}

/// Says which construct `schema` is.
pub(super) fn classify(schema: &Schema) -> Construct<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match enums::values_of(s, &schema.schema_data) {
            Some(values) => Construct::StringEnum(values),
            None => Construct::Scalar(match &s.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::Binary,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
                _ => TypeRef::String,
            }),
        },
        SchemaKind::Type(Type::Integer(i)) => Construct::Scalar(match &i.format {
            VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
            _ => TypeRef::I64,
        }),
        SchemaKind::Type(Type::Number(n)) => Construct::Scalar(match &n.format {
            VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
            _ => TypeRef::F64,
        }),
        SchemaKind::Type(Type::Boolean(_)) => Construct::Scalar(TypeRef::Bool),
        SchemaKind::Type(Type::Array(array)) => Construct::Array {
            items: array.items.as_ref(),
            values: item_values(array.items.as_ref(), &schema.schema_data),
        },
        SchemaKind::Type(Type::Object(obj)) => object(
            ObjectParts {
                properties: &obj.properties,
                required: &obj.required,
                additional: obj.additional_properties.as_ref(),
            },
            &schema.schema_data,
        ),
        SchemaKind::OneOf { one_of } => Construct::Union {
            branches: one_of,
            keyword: "oneOf",
        },
        SchemaKind::AllOf { all_of } => all_of_members(all_of, None),
        SchemaKind::AnyOf { any_of } => Construct::Union {
            branches: any_of,
            keyword: "anyOf",
        },
        SchemaKind::Not { .. } => Construct::Unsupported("not"),
        SchemaKind::Any(any) => {
            let parts = ObjectParts {
                properties: &any.properties,
                required: &any.required,
                additional: any.additional_properties.as_ref(),
            };
            let has_object = !any.properties.is_empty() || parts.allows_extra();
            if !any.all_of.is_empty() {
                all_of_members(&any.all_of, has_object.then_some(parts))
            } else if !any.one_of.is_empty() && !has_object {
                Construct::Union {
                    branches: &any.one_of,
                    keyword: "oneOf",
                }
            } else if !any.any_of.is_empty() && !has_object {
                Construct::Union {
                    branches: &any.any_of,
                    keyword: "anyOf",
                }
            } else if has_object {
                object(parts, &schema.schema_data)
            } else {
                Construct::Any
            }
        }
    }
}

fn object<'s>(parts: ObjectParts<'s>, data: &SchemaData) -> Construct<'s> {
    match parts.additional {
        Some(additional) if parts.properties.is_empty() && parts.allows_extra() => Construct::Map {
            additional,
            keys: map_keys(data),
        },
        _ => Construct::Struct(parts),
    }
}

/// The values of an array's items when the list is written on the array (`description: "values:
/// [open, closed, pending]"` beside `items: {type: string}`), as the spec's search filters do: the
/// items are then that enumeration. Only items that are a plain inline string qualify: items with
/// a list (or an `enum`) of their own say it themselves, and a `$ref` or a formatted string
/// (date-time, uuid) is a type the description cannot override.
fn item_values(items: Option<&ReferenceOr<Box<Schema>>>, data: &SchemaData) -> Option<Vec<String>> {
    let ReferenceOr::Item(items) = items? else {
        return None;
    };
    let SchemaKind::Type(Type::String(s)) = &items.schema_kind else {
        return None;
    };
    let plain = matches!(s.format, VariantOrUnknownOrEmpty::Empty)
        && enums::values_of(s, &items.schema_data).is_none();
    plain
        .then(|| {
            data.description
                .as_deref()
                .and_then(enums::values_in_description)
        })
        .flatten()
}

/// The values of a map's keys when the map's description lists them (`Map_ConversationChannel_Int`:
/// `description: "values: [WhatsApp, Voicemail, ...]"`, `additionalProperties: {type: integer}`).
/// The spec's server writes a Scala `Map[K, V]` as an object whose description is the key type's,
/// where `K` is an enumeration; the values' schema carries its own. OpenAPI 3.0 has no place for the
/// keys' schema (3.1's `propertyNames`), so the description is the only witness of them.
fn map_keys(data: &SchemaData) -> Option<Vec<String>> {
    data.description
        .as_deref()
        .and_then(enums::values_in_description)
}

/// The members of an `allOf` that say something about the value, with their positions, and the
/// construct they make together with the object part written beside them (`own`).
fn all_of_members<'s>(
    all_of: &'s [ReferenceOr<Schema>],
    own: Option<ObjectParts<'s>>,
) -> Construct<'s> {
    let members: Vec<(usize, &ReferenceOr<Schema>)> = all_of
        .iter()
        .enumerate()
        .filter(|(_, member)| !is_annotation(member))
        .collect();
    match (members.as_slice(), own) {
        ([(index, member)], None) => Construct::Wrapper {
            index: *index,
            member,
        },
        ([], None) => Construct::Any,
        _ => Construct::AllOf { members, own },
    }
}

/// A schema that only annotates (a `description`, `nullable`, `readOnly`, a `title`...) and says
/// nothing about the value's shape; as a member of an `allOf` it adds nothing to the others.
pub(super) fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(schema) => {
            matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == AnySchema::default())
        }
        ReferenceOr::Reference { .. } => false,
    }
}

/// Whether an `allOf` says the value may be null through one of its annotating members
/// (`allOf: [{$ref: X}, {nullable: true}]`).
pub(super) fn annotated_nullable(schema: &Schema) -> bool {
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => return false,
    };
    members.iter().any(|member| match member {
        ReferenceOr::Item(m) => is_annotation(member) && m.schema_data.nullable,
        ReferenceOr::Reference { .. } => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(yaml: &str) -> Schema {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn name(schema: &Schema) -> String {
        match classify(schema) {
            Construct::Struct(parts) => format!(
                "struct {} extra={}",
                parts.properties.len(),
                parts.allows_extra()
            ),
            Construct::Map { keys: None, .. } => "map".into(),
            Construct::Map {
                keys: Some(keys), ..
            } => format!("map by {}", keys.join("|")),
            Construct::StringEnum(values) => format!("enum {}", values.join("|")),
            Construct::Scalar(ty) => format!("scalar {ty:?}"),
            Construct::Array {
                items,
                values: None,
            } => format!("array {}", items.is_some()),
            Construct::Array {
                values: Some(values),
                ..
            } => format!("array of {}", values.join("|")),
            Construct::Union { branches, keyword } => format!("{keyword} {}", branches.len()),
            Construct::Wrapper { index, .. } => format!("wrapper {index}"),
            Construct::AllOf { members, own } => {
                format!("allOf {} own={}", members.len(), own.is_some())
            }
            Construct::Any => "any".into(),
            Construct::Unsupported(what) => format!("unsupported {what}"),
        }
    }

    #[test]
    fn objects_are_structs_unless_they_only_have_additional_properties() {
        assert_eq!(name(&schema("type: object")), "struct 0 extra=false");
        assert_eq!(
            name(&schema("{type: object, additionalProperties: false}")),
            "struct 0 extra=false"
        );
        assert_eq!(
            name(&schema("{type: object, additionalProperties: true}")),
            "map"
        );
        assert_eq!(
            name(&schema(
                "{type: object, additionalProperties: {type: string}}"
            )),
            "map"
        );
        assert_eq!(
            name(&schema(
                "{type: object, properties: {a: {type: string}}, additionalProperties: true}"
            )),
            "struct 1 extra=true"
        );
        // Properties without a `type` are an object all the same.
        assert_eq!(
            name(&schema("{properties: {a: {type: string}}, required: [a]}")),
            "struct 1 extra=false"
        );
    }

    #[test]
    fn scalars_enums_arrays_and_the_rest() {
        assert_eq!(
            name(&schema("{type: string, format: date-time}")),
            "scalar DateTime"
        );
        assert_eq!(name(&schema("{type: string, format: uuid}")), "scalar Uuid");
        assert_eq!(
            name(&schema("{type: integer, format: int32}")),
            "scalar I32"
        );
        assert_eq!(name(&schema("{type: number}")), "scalar F64");
        assert_eq!(name(&schema("{type: boolean}")), "scalar Bool");
        assert_eq!(name(&schema("{type: string, enum: [a, b]}")), "enum a|b");
        assert_eq!(
            name(&schema("{type: array, items: {type: string}}")),
            "array true"
        );
        assert_eq!(name(&schema("{oneOf: [{type: string}]}")), "oneOf 1");
        assert_eq!(name(&schema("{anyOf: [{type: string}]}")), "anyOf 1");
        assert_eq!(name(&schema("{not: {type: string}}")), "unsupported not");
        assert_eq!(name(&schema("{description: anything}")), "any");
    }

    #[test]
    fn a_value_list_on_an_array_is_its_items_and_on_a_map_its_keys() {
        assert_eq!(
            name(&schema(
                "{type: array, description: 'values: [open, closed]', items: {type: string}}"
            )),
            "array of open|closed"
        );
        // Items that say what they are keep it: their own list, a format, a reference.
        assert_eq!(
            name(&schema(
                "{type: array, description: 'values: [a]', items: {type: string, description: 'values: [b]'}}"
            )),
            "array true"
        );
        assert_eq!(
            name(&schema(
                "{type: array, description: 'values: [a]', items: {type: string, format: uuid}}"
            )),
            "array true"
        );
        assert_eq!(
            name(&schema(
                "{type: array, description: 'values: [a]', items: {$ref: '#/components/schemas/X'}}"
            )),
            "array true"
        );
        assert_eq!(
            name(&schema(
                "{type: array, description: 'values: [a]', items: {type: integer}}"
            )),
            "array true"
        );
        assert_eq!(
            name(&schema(
                "{type: object, description: 'values: [Email, Sms]', additionalProperties: {type: integer}}"
            )),
            "map by Email|Sms"
        );
        assert_eq!(
            name(&schema(
                "{description: 'Counts. values: [A]', additionalProperties: {type: string}}"
            )),
            "map by A"
        );
        // An object with properties keeps other keys by their text.
        assert_eq!(
            name(&schema(
                "{type: object, description: 'values: [A]', properties: {a: {type: string}}, additionalProperties: true}"
            )),
            "struct 1 extra=true"
        );
    }

    #[test]
    fn an_all_of_with_one_member_that_says_something_is_a_wrapper() {
        let wrapper = schema(
            "{allOf: [{$ref: '#/components/schemas/X'}], description: The x., nullable: true}",
        );
        assert_eq!(name(&wrapper), "wrapper 0");
        assert!(!annotated_nullable(&wrapper));
        let annotated = schema("{allOf: [{nullable: true}, {$ref: '#/components/schemas/X'}]}");
        assert_eq!(name(&annotated), "wrapper 1");
        assert!(annotated_nullable(&annotated));
        assert_eq!(
            name(&schema(
                "{allOf: [{$ref: '#/components/schemas/X'}, {properties: {a: {type: string}}}]}"
            )),
            "allOf 2 own=false"
        );
        // Properties beside the `allOf` are one more member.
        assert_eq!(
            name(&schema(
                "{type: object, allOf: [{$ref: '#/components/schemas/X'}], properties: {a: {type: string}}}"
            )),
            "allOf 1 own=true"
        );
    }
}
