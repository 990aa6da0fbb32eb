//! Objects: the view of an object schema as one list of properties ([`ObjectView`]: its own, or the
//! members of an `allOf` merged), and its lowering into a struct, whose `additionalProperties` (if
//! any) are kept in a map field.
//!
//! `unions.rs` looks at its variants through [`Lowerer::object_view`] too, so a variant written as
//! `allOf: [Base, {properties: ...}]` is seen with its base's properties.

use super::classify::{classify, Construct, ObjectParts};
use super::site::{broken, Site};
use super::{schema_docs, Lowerer};
use crate::error::Result;
use crate::ir::{Docs, Field, PlaceKind, TypeKind, TypeRef};
use crate::load::escape_pointer;
use crate::naming::{self, RustIdent};
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ObjectType, ReferenceOr, Schema};

/// An object schema seen as one list of properties: a plain object's, or those of the members of an
/// `allOf` merged in member order.
#[derive(Debug, Default, Clone)]
pub(crate) struct ObjectView<'s> {
    /// The properties by wire name, in the order the members list them, each with the JSON pointer
    /// of its schema (in the member that declares it).
    pub properties: IndexMap<&'s str, (String, &'s ReferenceOr<Box<Schema>>)>,
    /// The wire names listed in a `required` of any member.
    pub required: Vec<&'s str>,
    /// The `additionalProperties` that allows extra keys, with its pointer, if a member has one.
    pub additional: Option<(String, &'s AdditionalProperties)>,
}

impl<'s> ObjectView<'s> {
    /// The view of one object schema at `pointer`.
    pub(super) fn of_parts(parts: ObjectParts<'s>, pointer: &str) -> Self {
        let properties = parts
            .properties
            .iter()
            .map(|(wire, schema)| {
                let at = format!("{pointer}/properties/{}", escape_pointer(wire));
                (wire.as_str(), (at, schema))
            })
            .collect();
        Self {
            properties,
            required: parts.required.iter().map(String::as_str).collect(),
            additional: parts
                .allows_extra()
                .then_some(parts.additional)
                .flatten()
                .map(|a| (format!("{pointer}/additionalProperties"), a)),
        }
    }

    /// Adds the properties of a later member. A property two members declare is one property when
    /// both declare it alike, and an error naming both places when they do not: the merged struct
    /// could hold only one of the two types.
    pub fn merge(&mut self, other: ObjectView<'s>) -> Result<()> {
        for (wire, (at, schema)) in other.properties {
            match self.properties.get(wire) {
                Some((first, earlier)) if *earlier != schema => {
                    return Err(broken(
                        &at,
                        format!(
                            "property `{wire}` is also declared by {first} with another schema; \
                             the members of an allOf must agree on a property they share"
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    self.properties.insert(wire, (at, schema));
                }
            }
        }
        for wire in other.required {
            if !self.required.contains(&wire) {
                self.required.push(wire);
            }
        }
        if self.additional.is_none() {
            self.additional = other.additional;
        }
        Ok(())
    }

    /// The view as a plain object type, for code that reads objects the way the spec writes them
    /// (the union strategies).
    pub fn to_object_type(&self) -> ObjectType {
        ObjectType {
            properties: self
                .properties
                .iter()
                .map(|(wire, (_, schema))| ((*wire).to_owned(), (*schema).clone()))
                .collect(),
            required: self.required.iter().map(|w| (*w).to_owned()).collect(),
            additional_properties: self.additional.as_ref().map(|(_, a)| (*a).clone()),
            ..ObjectType::default()
        }
    }
}

impl<'a> Lowerer<'a> {
    /// [`Self::object_view`], with the component schemas being merged (`inside`), so that an
    /// `allOf` that contains itself is an error instead of an endless merge.
    pub(super) fn view_of<'s>(
        &self,
        schema: &'s Schema,
        pointer: &str,
        inside: &mut Vec<&'a str>,
    ) -> Result<Option<ObjectView<'s>>>
    where
        'a: 's,
    {
        Ok(match classify(schema) {
            Construct::Struct(parts) => Some(ObjectView::of_parts(parts, pointer)),
            // The members of an `allOf` merge into a struct, whose other keys are kept by their
            // text: an enumeration of a member map's keys does not carry over.
            Construct::Map { additional, .. } => Some(ObjectView {
                additional: Some((format!("{pointer}/additionalProperties"), additional)),
                ..ObjectView::default()
            }),
            Construct::Wrapper { index, member } => {
                self.member_view(member, &format!("{pointer}/allOf/{index}"), inside)?
            }
            Construct::AllOf { members, own } => {
                let mut view = ObjectView::default();
                for (index, member) in members {
                    let at = format!("{pointer}/allOf/{index}");
                    let Some(part) = self.member_view(member, &at, inside)? else {
                        return Ok(None);
                    };
                    view.merge(part)?;
                }
                if let Some(own) = own {
                    view.merge(ObjectView::of_parts(own, pointer))?;
                }
                Some(view)
            }
            _ => None,
        })
    }

    fn member_view<'s>(
        &self,
        member: &'s ReferenceOr<Schema>,
        at: &str,
        inside: &mut Vec<&'a str>,
    ) -> Result<Option<ObjectView<'s>>>
    where
        'a: 's,
    {
        match member {
            ReferenceOr::Item(schema) => self.view_of(schema, at, inside),
            ReferenceOr::Reference { reference } => {
                let (key, schema) = self.resolve_schema_ref(reference, at)?;
                if inside.contains(&key) {
                    return Err(broken(
                        at,
                        format!("allOf refers to {key}, which contains this allOf"),
                    ));
                }
                inside.push(key);
                let pointer = format!("#/components/schemas/{}", escape_pointer(key));
                let view = self.view_of(schema, &pointer, inside);
                inside.pop();
                view
            }
        }
    }

    /// Lowers an object into a struct: a field per property, in sorted order of their wire names,
    /// and the extra keys (`additionalProperties`) in a map field after them.
    pub(super) fn lower_struct(&mut self, view: &ObjectView, site: &Site) -> Result<TypeKind> {
        // Properties are taken in sorted order of their wire names, not in the order of the spec's
        // map: the fields, and which of two colliding names (`userId`, `user_id`) keeps the clean
        // one, must not change when the same schema is written with its keys in another order.
        let mut properties: Vec<_> = view.properties.iter().collect();
        properties.sort_by(|a, b| a.0.cmp(b.0));
        let mut fields = Vec::with_capacity(properties.len() + 1);
        // Whether the lock keeps each field's name: a kept name is not derived from the wire name
        // first (most fields of a regenerated spec have one).
        let mut locked = Vec::with_capacity(properties.len() + 1);
        for (wire, (pointer, prop)) in properties {
            let prop_site = site.property(wire, pointer);
            let (ty, docs, nullable) = match prop {
                ReferenceOr::Reference { reference } => (
                    self.named_ref(reference, &prop_site.pointer)?,
                    Docs::default(),
                    false,
                ),
                ReferenceOr::Item(schema) => (
                    self.type_ref_of(schema, &prop_site)?,
                    schema_docs(schema),
                    super::admits_null(schema) || super::classify::annotated_nullable(schema),
                ),
            };
            let kept = self.lock.ident(PlaceKind::Field, &prop_site.place);
            locked.push(kept.is_some());
            fields.push(Field {
                wire: (*wire).to_owned(),
                name: kept.unwrap_or_else(|| naming::field_name(wire)),
                ty,
                place: prop_site.place,
                required: view.required.contains(wire) && !nullable,
                boxed: false,
                empty_when_absent: false,
                flatten: false,
                docs,
            });
        }
        if let Some((pointer, additional)) = &view.additional {
            let value_site = Site {
                pointer: pointer.clone(),
                place: format!("{}/additionalProperties", site.place),
                owner: site.owner,
                field: "value",
            };
            let value = self.additional_value(additional, &value_site)?;
            let kept = self.lock.ident(PlaceKind::Field, &value_site.place);
            locked.push(kept.is_some());
            fields.push(Field {
                wire: String::new(),
                name: kept.unwrap_or_else(naming::extra_field),
                ty: TypeRef::Map(Box::new(value)),
                place: value_site.place,
                required: false,
                boxed: false,
                empty_when_absent: false,
                flatten: true,
                docs: Docs {
                    summary: None,
                    description: Some(
                        "The object's other members (`additionalProperties`), kept as received \
                         and sent back."
                            .to_owned(),
                    ),
                    deprecated: false,
                },
            });
        }
        self.name_fields(&mut fields, locked)?;
        Ok(TypeKind::Struct { fields })
    }

    /// Names the fields of a struct, which carry the names the lock file keeps (`locked`, by
    /// field) or else the names the rules give (the extra-keys map [`naming::extra_field`]): a new
    /// one goes around the kept ones.
    fn name_fields(&mut self, fields: &mut [Field], locked: Vec<bool>) -> Result<()> {
        for (i, field) in fields.iter().enumerate().filter(|(i, _)| locked[*i]) {
            if let Some(j) = (0..i).find(|&j| locked[j] && fields[j].name == field.name) {
                return Err(self.lock.conflict(
                    PlaceKind::Field,
                    &field.place,
                    format!("`{}` is also the name of {}", field.name, fields[j].place),
                ));
            }
        }
        let mut names: Vec<RustIdent> = fields.iter().map(|f| f.name.clone()).collect();
        naming::dedupe_around(&mut names, &locked);
        for (field, name) in fields.iter_mut().zip(names) {
            self.places
                .insert((PlaceKind::Field, field.place.clone()), name.to_string());
            field.name = name;
        }
        Ok(())
    }

    /// The value type of the extra keys an object allows.
    pub(super) fn additional_value(
        &mut self,
        additional: &AdditionalProperties,
        site: &Site,
    ) -> Result<TypeRef> {
        match additional {
            AdditionalProperties::Any(_) => Ok(TypeRef::Json),
            AdditionalProperties::Schema(schema) => self.type_ref_unboxed(schema, site),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(yaml: &str) -> openapiv3::ObjectType {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn view<'s>(obj: &'s openapiv3::ObjectType, pointer: &str) -> ObjectView<'s> {
        ObjectView::of_parts(
            ObjectParts {
                properties: &obj.properties,
                required: &obj.required,
                additional: obj.additional_properties.as_ref(),
            },
            pointer,
        )
    }

    #[test]
    fn members_merge_in_order_and_equal_declarations_are_one_property() {
        let a = parts("{properties: {id: {type: string}, name: {type: string}}, required: [id]}");
        let b = parts("{properties: {id: {type: string}, age: {type: integer}}, required: [age, id], additionalProperties: true}");
        let mut merged = view(&a, "#/a");
        merged.merge(view(&b, "#/b")).unwrap();
        let wires: Vec<&str> = merged.properties.keys().copied().collect();
        assert_eq!(wires, ["id", "name", "age"]);
        assert_eq!(merged.required, ["id", "age"]);
        assert_eq!(merged.properties["id"].0, "#/a/properties/id");
        assert_eq!(
            merged.additional.map(|(at, _)| at).as_deref(),
            Some("#/b/additionalProperties")
        );
    }

    #[test]
    fn a_property_two_members_declare_differently_is_an_error_naming_both() {
        let a = parts("{properties: {id: {type: string}}}");
        let b = parts("{properties: {id: {type: integer}}}");
        let mut merged = view(&a, "#/components/schemas/A");
        let error = merged
            .merge(view(&b, "#/components/schemas/B/allOf/1"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("#/components/schemas/B/allOf/1/properties/id")
                && error.contains("#/components/schemas/A/properties/id"),
            "{error}"
        );
    }

    #[test]
    fn additional_properties_false_keeps_no_extra_keys() {
        let obj = parts("{properties: {id: {type: string}}, additionalProperties: false}");
        assert!(view(&obj, "#/a").additional.is_none());
    }
}
