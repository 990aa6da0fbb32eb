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
use crate::naming::RustIdent;
use crate::policy::{IdRaw, IdSpec, Renames};
use std::collections::BTreeMap;

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

/// What makes an id claim a struct field: the entity's schema (the field is its `id`), or an entry
/// of the id's `properties` (the field's name, or `Schema.property`). Ordered as `apply` visits
/// them: the schema first, then the entries in the table's order.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Claim<'a> {
    Schema(&'a str),
    Property(&'a str),
}

/// Every claim of an id on a struct field, as (id, type, field, claim) indices into `ids` and
/// `types`, sorted: in the order a walk over the fields of every struct for each id in turn meets
/// them. The fields are walked once, each looked up in maps of the ids' entries, rather than once
/// for every id.
fn claims<'a>(
    types: &[TypeDef],
    ids: &[(&RustIdent, &'a IdSpec)],
) -> Vec<(usize, usize, usize, Claim<'a>)> {
    let mut by_schema: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    let mut by_property: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    // `Schema.property` entries by every (schema, property) pair they can be read as: a key or a
    // property may hold a `.`.
    let mut by_qualified: BTreeMap<(&str, &str), Vec<(usize, &str)>> = BTreeMap::new();
    for (i, (_, spec)) in ids.iter().enumerate() {
        for key in spec.schemas.keys() {
            by_schema.entry(key).or_default().push((i, key));
        }
        for entry in spec.properties.keys() {
            by_property.entry(entry).or_default().push((i, entry));
            for (dot, _) in entry.match_indices('.') {
                let pair = (&entry[..dot], &entry[dot + 1..]);
                by_qualified.entry(pair).or_default().push((i, entry));
            }
        }
    }
    let mut out = Vec::new();
    for (t, def) in types.iter().enumerate() {
        let TypeKind::Struct { fields } = &def.kind else {
            continue;
        };
        let key = def.origin.strip_prefix("#/components/schemas/");
        for (f, field) in fields.iter().enumerate() {
            let wire = field.wire.as_str();
            if let Some(key) = key.filter(|_| wire == "id") {
                for &(i, key) in by_schema.get(key).into_iter().flatten() {
                    out.push((i, t, f, Claim::Schema(key)));
                }
            }
            let qualified = key.and_then(|key| by_qualified.get(&(key, wire)));
            for &(i, entry) in by_property.get(wire).into_iter().chain(qualified).flatten() {
                out.push((i, t, f, Claim::Property(entry)));
            }
        }
    }
    out.sort();
    out
}

/// Adds the id types to `api.types` and replaces the raw types at their places.
pub(super) fn apply(api: &mut Api, renames: &Renames, places: &mut Places) -> Result<()> {
    let ids: Vec<(&RustIdent, &IdSpec)> = renames.ids().iter().collect();
    let mut claims = claims(&api.types, &ids).into_iter().peekable();
    for (i, &(name, spec)) in ids.iter().enumerate() {
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
        while let Some((_, t, f, claim)) = claims.next_if(|c| c.0 == i) {
            let def = &mut api.types[t];
            let TypeKind::Struct { fields } = &mut def.kind else {
                continue;
            };
            let field = &mut fields[f];
            let at = format!("{}/properties/{}", def.origin, escape_pointer(&field.wire));
            retype(&mut field.ty, &at)?;
            match claim {
                Claim::Schema(key) => renames.id_place_used(name, &format!("schemas.{key}")),
                Claim::Property(entry) => {
                    renames.id_place_used(name, &format!("properties.{entry}"))
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

#[cfg(test)]
mod tests {
    use crate::ir::{TypeKind, TypeRef};
    use crate::policy::{NameLock, Renames};
    use std::path::Path;

    const RENAMES: &str = "ids:
  AgentId:
    raw: uuid
    doc: An agent.
    schemas: {B: its own id}
    properties: {agentId: holds an agent's id}
  BotId:
    raw: uuid
    doc: A bot.
    properties: {'A.botId': holds a bot's id}
";

    fn lower(agent_id: &str, bot_id: &str) -> crate::error::Result<crate::ir::Api> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    \
             A:\n      type: object\n      properties:\n        id: {{type: string, format: uuid}}\n        \
             botId: {bot_id}\n    \
             B:\n      type: object\n      properties:\n        agentId: {agent_id}\n        \
             id: {{type: string, format: uuid}}\n"
        );
        let tree = crate::load::parse_yaml(Path::new("ids.yaml"), &spec).unwrap();
        let renames = Renames::from_str(Path::new("r.yaml"), RENAMES).unwrap();
        crate::lower::lower(
            &crate::lower::parse(tree).unwrap(),
            &renames,
            &NameLock::none(),
        )
    }

    #[test]
    fn ids_retype_their_schemas_id_and_the_properties_they_list() {
        const UUID: &str = "{type: string, format: uuid}";
        let api = lower(UUID, UUID).expect("every claimed place is a uuid");
        let field = |ty: &str, wire: &str| {
            let def = api.types.iter().find(|t| t.name.as_str() == ty).unwrap();
            let TypeKind::Struct { fields } = &def.kind else {
                panic!("{ty} is a struct")
            };
            fields.iter().find(|f| f.wire == wire).unwrap().ty.clone()
        };
        assert!(matches!(field("B", "id"), TypeRef::Named(n) if n.as_str() == "AgentId"));
        assert!(matches!(field("B", "agentId"), TypeRef::Named(n) if n.as_str() == "AgentId"));
        assert!(matches!(field("A", "botId"), TypeRef::Named(n) if n.as_str() == "BotId"));
        // A's own id is no id type's: the table lists B only.
        assert_eq!(field("A", "id"), TypeRef::Uuid);
    }

    /// Each id is applied in turn, in the table's order, to every field it claims: a wrong type
    /// is reported for the first id that meets one, even where another id's place comes first in
    /// the spec.
    #[test]
    fn the_first_ids_wrong_place_is_the_one_reported() {
        let err = lower("{type: string}", "{type: string}")
            .expect_err("both claimed places are plain strings")
            .to_string();
        assert!(
            err.contains("#/components/schemas/B/properties/agentId") && err.contains("`AgentId`"),
            "{err}"
        );
    }
}
