//! Lowering of `spec/webhooks.yaml`: the bodies of the webhooks Dixa delivers.
//!
//! Its schemas go through the same lowering as the API's (naming, docs, enums with `Unknown`
//! fallbacks, optional fields), as a document of their own: they become `dixa::webhooks`, a
//! namespace apart from `dixa::models`, where the conversation Dixa delivers (`EMAIL`, `OPEN`)
//! is not the REST API's (`Email`, `Open`); each type is named `Event*`
//! (`naming::webhook_type_name`), so that it does not read like the REST model of its schema's name. The events are then matched with the subscription
//! API's event enum, so that every event a user can subscribe to has a variant, and every
//! variant maps back to the value the user subscribed with.

use crate::error::{Error, Result};
use crate::ir::{Api, Docs, Field, TypeDef, TypeKind, TypeRef, WebhookEvent, Webhooks};
use crate::load::WebhooksSpec;
use crate::naming::{self, RustIdent};
use crate::policy::{NameLock, Renames};
use std::collections::BTreeMap;

/// The envelope members that become the typed payload rather than fields of `Event`.
const PAYLOAD_MEMBERS: [&str; 2] = ["event_fqn", "data"];

/// An event of the webhooks description that the API's subscription enum lacks: its name and its
/// pointer in the description.
pub type UnknownEvent = (String, String);

/// The webhooks description's schemas, lowered as a document of their own: all of lowering the
/// description that needs nothing of the API, which the generator therefore does on another core
/// while it lowers the API ([`lower_webhook_schemas`], then [`lower_webhooks_from`]).
#[derive(Debug)]
pub struct WebhookSchemas {
    lowered: Api,
    warnings: Vec<String>,
}

/// Lowers the schemas of the webhooks description (see [`WebhookSchemas`]).
pub fn lower_webhook_schemas(spec: &WebhooksSpec) -> Result<WebhookSchemas> {
    // The lock's places are pointers into the API's spec, so the webhooks file (whose own pointers
    // would collide with them) is named by the rules alone; its names are not pinned yet.
    let in_file = |e| match e {
        Error::Spec { pointer, message } if pointer.starts_with('#') => Error::Spec {
            pointer: format!("{}{pointer}", spec.file),
            message,
        },
        other => other,
    };
    let (schemas, normalized) =
        super::parse_with_rewrites(spec.schemas.clone()).map_err(in_file)?;
    let mut lowered = super::lower(&schemas, &Renames::none(), &NameLock::none())
        .map_err(|e| in_file(normalized.restore_error(e)))?;
    let warnings: Vec<String> = normalized
        .restore_warnings(std::mem::take(&mut lowered.warnings))
        .iter()
        .map(|w| format!("{}{w}", spec.file))
        .collect();
    Ok(WebhookSchemas { lowered, warnings })
}

/// Lowers the webhooks description against the lowered API, returning the webhooks and the
/// warnings (events of the subscription API that the description does not list). An event the
/// subscription API lacks is an error.
pub fn lower_webhooks(api: &Api, spec: &WebhooksSpec) -> Result<(Webhooks, Vec<String>)> {
    lower_webhooks_from(api, spec, lower_webhook_schemas(spec)?)
}

/// [`lower_webhooks`] with the description's schemas already lowered.
pub fn lower_webhooks_from(
    api: &Api,
    spec: &WebhooksSpec,
    schemas: WebhookSchemas,
) -> Result<(Webhooks, Vec<String>)> {
    let (webhooks, warnings, _) = lower_webhooks_with(api, spec, schemas, false)?;
    Ok((webhooks, warnings))
}

/// Like [`lower_webhooks`], for `generator diff`, which reads the project's one webhooks
/// description with two versions of the API: an event the subscription API of this version lacks
/// is left out, and returned (its name and pointer) in the third member.
pub fn lower_webhooks_where_possible(
    api: &Api,
    spec: &WebhooksSpec,
) -> Result<(Webhooks, Vec<String>, Vec<UnknownEvent>)> {
    lower_webhooks_with(api, spec, lower_webhook_schemas(spec)?, true)
}

fn lower_webhooks_with(
    api: &Api,
    spec: &WebhooksSpec,
    schemas: WebhookSchemas,
    skip_unknown: bool,
) -> Result<(Webhooks, Vec<String>, Vec<UnknownEvent>)> {
    let at = |pointer: &str| format!("{}#{pointer}", spec.file);
    let WebhookSchemas {
        mut lowered,
        mut warnings,
    } = schemas;

    // Every type is named as what an event carries (`EventConversation`), apart from the REST
    // models (`naming::webhook_type_name`): its definition, the fields and unions that refer to it.
    let renamed: BTreeMap<String, RustIdent> = lowered
        .types
        .iter()
        .map(|def| {
            (
                def.name.raw().to_owned(),
                naming::webhook_type_name(&def.name),
            )
        })
        .collect();
    let rename = |name: &mut RustIdent| {
        if let Some(new) = renamed.get(name.raw()) {
            *name = new.clone();
        }
    };
    lowered.walk_mut(&mut |ty| {
        if let TypeRef::Named(name) = ty {
            rename(name);
        }
    });
    for def in &mut lowered.types {
        rename(&mut def.name);
        if let TypeKind::TaggedUnion { variants, .. } = &mut def.kind {
            variants.iter_mut().for_each(|v| rename(&mut v.ty));
        }
    }
    lowered.types.sort_by(|a, b| a.name.raw().cmp(b.name.raw()));
    if let Some(pair) = lowered.types.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(Error::Collision {
            message: format!(
                "{} and {} ({}) would both be named `{}` in dixa::webhooks; rename one schema",
                pair[0].origin, pair[1].origin, spec.file, pair[0].name
            ),
        });
    }

    let envelope_name = naming::webhook_type_name(&naming::type_name(&spec.envelope));
    let mut types = Vec::with_capacity(lowered.types.len());
    let mut envelope = None;
    for def in lowered.types {
        if def.name == envelope_name {
            envelope = Some(def);
        } else if naming::WEBHOOK_RESERVED_NAMES.contains(&def.name.as_str()) {
            return Err(Error::Collision {
                message: format!(
                    "{} ({}) would be named `{}`, which dixa::webhooks already defines; rename \
                     the schema",
                    def.origin, spec.file, def.name
                ),
            });
        } else {
            types.push(def);
        }
    }
    let envelope_pointer = at(&format!("/components/schemas/{}", spec.envelope));
    let Some(TypeDef {
        kind: TypeKind::Struct { fields },
        docs: envelope_docs,
        ..
    }) = envelope
    else {
        return Err(Error::spec(
            envelope_pointer,
            "the envelope must be an object schema",
        ));
    };
    for member in PAYLOAD_MEMBERS {
        if !fields.iter().any(|f| f.wire == member) {
            return Err(Error::spec(
                &envelope_pointer,
                format!("the envelope has no `{member}` property"),
            ));
        }
    }
    let envelope: Vec<Field> = fields
        .into_iter()
        .filter(|f| !PAYLOAD_MEMBERS.contains(&f.wire.as_str()))
        .collect();

    let (event_type, values) = subscription_enum(api, &spec.event_types).ok_or_else(|| {
        Error::spec(
            at("/x-event-types"),
            format!(
                "{} is not a string enumeration of the API's spec",
                spec.event_types
            ),
        )
    })?;
    let mut unknown = Vec::new();
    let mut described = BTreeMap::new();
    for entry in &spec.events {
        if values.iter().any(|(wire, _)| wire == &entry.name) {
            described.insert(entry.name.as_str(), entry);
        } else if skip_unknown {
            unknown.push((entry.name.clone(), entry.pointer.clone()));
        } else {
            return Err(Error::spec(
                &entry.pointer,
                format!(
                    "`{}` is not an event of the subscription API ({event_type}); a webhook is \
                     keyed by the name users subscribe with",
                    entry.name
                ),
            ));
        }
    }
    let mut events = Vec::with_capacity(values.len());
    for (wire, variant) in values {
        let entry = described.get(wire.as_str());
        let data = match entry.and_then(|e| e.data.as_deref()) {
            None => None,
            Some(key) => {
                let name = naming::webhook_type_name(&naming::type_name(key));
                if !types.iter().any(|t| t.name == name) {
                    return Err(Error::spec(
                        entry.map_or(String::new(), |e| e.pointer.clone()),
                        format!("`data` refers to {key:?}, which is not a schema of the file"),
                    ));
                }
                Some(TypeRef::Named(name))
            }
        };
        if entry.is_none() {
            warnings.push(format!(
                "{}: the subscription API's event {wire} is not described; its data is kept as \
                 raw JSON",
                at("/webhooks")
            ));
        }
        events.push(WebhookEvent {
            fqn: naming::event_fqn(&wire),
            name: wire,
            variant,
            data,
            docs: entry.map_or_else(Docs::default, |e| Docs {
                summary: e.summary.clone(),
                description: e.description.clone(),
                deprecated: false,
            }),
        });
    }
    events.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((
        Webhooks {
            types,
            envelope,
            envelope_docs,
            event_type,
            events,
        },
        warnings,
        unknown,
    ))
}

/// The Rust name and the (wire value, variant) pairs of the API's string enum that was found at
/// `pointer` (an enum shared by several fields records all their pointers as its origin).
fn subscription_enum(api: &Api, pointer: &str) -> Option<(RustIdent, Vec<(String, RustIdent)>)> {
    api.types.iter().find_map(|def| match &def.kind {
        TypeKind::StringEnum { values } if def.origin.split(", ").any(|o| o == pointer) => Some((
            def.name.clone(),
            values
                .iter()
                .map(|v| (v.wire.clone(), v.name.clone()))
                .collect(),
        )),
        _ => None,
    })
}
