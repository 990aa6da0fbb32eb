//! Typed ids: the `ids:` table of the rename file turns the raw ids of an entity (a UUID, string or
//! integer) into one newtype (`AgentId`) wherever the table says the spec holds such an id: the
//! entity's own `id`, properties that refer to it (`agentId`, `agentIds`) and path parameters.
//!
//! The pass runs once every type is named. A listed place whose type is not the id's raw type is an
//! error, not a silent skip: the spec disagrees with itself there (a `string` where the entity's
//! other places say `uuid`), and the disagreement is decided by an override in
//! `spec/overrides.yaml` with the evidence of the spec's examples, so that the model field and the
//! path argument of one entity always have the same type.

use crate::error::{Error, Result};
use crate::ir::{Api, Docs, PlaceKind, Places, TypeDef, TypeKind, TypeRef};
use crate::load::escape_pointer;
use crate::policy::{IdRaw, Renames};

/// The lock-file place of an id type: it has no schema of its own, so it is keyed by its entry in
/// the rename table.
pub fn place(name: &str) -> String {
    format!("renames.yaml#/ids/{name}")
}

/// The IR type of a raw id.
fn raw_type(raw: IdRaw) -> TypeRef {
    match raw {
        IdRaw::Uuid => TypeRef::Uuid,
        IdRaw::String => TypeRef::String,
        IdRaw::Int64 => TypeRef::I64,
    }
}

/// Adds the id types to `api.types` and replaces the raw types at their places.
pub(super) fn apply(api: &mut Api, renames: &Renames, places: &mut Places) -> Result<()> {
    for (name, spec) in renames.ids() {
        if let Some(other) = api.types.iter().find(|t| &t.name == name) {
            return Err(Error::Collision {
                message: format!(
                    "id type `{name}` of the rename table has the name of the type of {}; \
                     rename the id",
                    other.origin
                ),
            });
        }
        let raw = raw_type(spec.raw);
        let id = TypeRef::Named(name.clone());
        // Replaces `ty` (the raw type, or a list of it) with the id; `at` names the place in errors.
        let retype = |ty: &mut TypeRef, at: &str| -> Result<()> {
            match ty {
                t if *t == id => {}
                t if *t == raw => *t = id.clone(),
                TypeRef::List(inner) if **inner == id => {}
                TypeRef::List(inner) if **inner == raw => **inner = id.clone(),
                other => {
                    return Err(Error::spec(
                        at,
                        format!(
                            "the rename table makes this a `{name}` ({:?}), but the spec gives it \
                             type {other:?}; decide which is right from the spec's examples and \
                             correct the other in spec/overrides.yaml",
                            spec.raw
                        ),
                    ))
                }
            }
            Ok(())
        };
        for def in &mut api.types {
            let TypeKind::Struct { fields } = &mut def.kind else {
                continue;
            };
            let key = def.origin.strip_prefix("#/components/schemas/");
            for field in fields.iter_mut() {
                // Every field of every struct is looked at for every id: the pointer is only
                // spelled for a field that is retyped.
                let at = || format!("{}/properties/{}", def.origin, escape_pointer(&field.wire));
                if field.wire == "id" {
                    if let Some(key) = key.filter(|k| spec.schemas.contains_key(*k)) {
                        retype(&mut field.ty, &at())?;
                        renames.id_place_used(name, &format!("schemas.{key}"));
                    }
                }
                // `Schema.property` entries name the field of one schema.
                let qualified = |entry: &str| {
                    key.and_then(|k| entry.strip_prefix(k))
                        .and_then(|rest| rest.strip_prefix('.'))
                        == Some(field.wire.as_str())
                };
                for entry in spec.properties.keys() {
                    if *entry == field.wire || qualified(entry) {
                        retype(&mut field.ty, &at())?;
                        renames.id_place_used(name, &format!("properties.{entry}"));
                    }
                }
            }
        }
        for op in api.groups.iter_mut().flat_map(|g| &mut g.operations) {
            for param in &mut op.path_params {
                if spec.params.contains_key(&param.wire) {
                    let at = format!("operation {} path parameter {}", op.id, param.wire);
                    retype(&mut param.ty, &at)?;
                    renames.id_place_used(name, &format!("params.{}", param.wire));
                }
            }
        }
        api.types.push(TypeDef {
            name: name.clone(),
            origin: place(name),
            docs: Docs {
                summary: None,
                description: Some(spec.doc.clone()),
                deprecated: false,
            },
            kind: TypeKind::Id { raw },
        });
        places.insert((PlaceKind::Type, place(name)), name.to_string());
    }
    Ok(())
}
