//! Inline types moved into components: a new component schema whose content is the inline type the
//! lock names at the places that now refer to it keeps that type's Rust name.
//!
//! Component names are fixed before any inline place is found (`Lowerer::new`), so the places are
//! looked at here in advance: for each `type` line of the lock whose place is inline (a pointer
//! below a component schema), the spec is followed to that place, and if it is now a `$ref` to a
//! new component, the component is a candidate for the line's name. It takes the name when every
//! place the lock gives that name to now refers to it (no place still holds the inline type, which
//! would need the name too), and its content equals what the lock knows of the type: a string
//! enumeration whose values are exactly the type's `variant` lines. `Tag.state`, an inline
//! enumeration named `TagState`, moved into a component `TagStatus` with the same values, stays
//! `TagState`: the wire did not change, so code using the type must keep compiling.

use super::enums;
use crate::load::escape_pointer;
use crate::naming::RustIdent;
use crate::policy::NameLock;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use std::collections::{BTreeMap, BTreeSet};

/// The prefix of a component schema's pointer.
const COMPONENTS: &str = "#/components/schemas/";

/// Names the new component schemas (keys `schemas` has and `named` lacks) that took the place of an
/// inline type the lock names, and returns them by key. `claimed` holds the names components
/// already have (from the rename table or the lock); a name there is not taken again.
pub(super) fn kept_names<'a>(
    schemas: &BTreeMap<&'a str, &'a ReferenceOr<Schema>>,
    named: &BTreeMap<&'a str, RustIdent>,
    claimed: &BTreeMap<String, String>,
    lock: &NameLock,
) -> BTreeMap<&'a str, RustIdent> {
    // Only a schema with no name yet can take one over; when the lock names every schema (a spec
    // regenerated as it was), there is nothing to look for in the lock's places.
    if schemas.keys().all(|key| named.contains_key(key)) {
        return BTreeMap::new();
    }
    // Every lock name whose inline places now refer to a new component, by that component's key.
    let mut candidates: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    // Keys by their escaped form, as a pointer names them, looked up once per lock name.
    let keys: BTreeMap<String, &str> = schemas.keys().map(|k| (escape_pointer(k), *k)).collect();
    for (name, places) in lock.places_by_type() {
        let mut targets = places
            .iter()
            .filter(|p| p.starts_with('#'))
            .map(|p| reference_at(schemas, p).and_then(|r| r.strip_prefix(COMPONENTS)));
        let Some(Some(first)) = targets.next() else {
            continue;
        };
        if targets.any(|t| t != Some(first)) {
            continue;
        }
        let Some(&key) = keys.get(first) else {
            continue;
        };
        if !named.contains_key(key) && !claimed.contains_key(name) {
            candidates.entry(key).or_default().insert(name);
        }
    }
    let mut out = BTreeMap::new();
    for (key, names) in candidates {
        let Some(values) = enum_values(schemas.get(key).copied()) else {
            continue;
        };
        // Two inline types moved into one component cannot both keep their names; the first (in
        // sorted order, so the choice is the same every time) does.
        let kept = names
            .into_iter()
            .find(|name| lock.variant_values(name) == values.iter().map(String::as_str).collect());
        if let Some(name) = kept.and_then(RustIdent::checked_type) {
            out.insert(key, name);
        }
    }
    out
}

/// The values of a component schema that is a string enumeration (`enum`, or a list in its
/// description, as `lower_component` reads it).
fn enum_values(schema: Option<&ReferenceOr<Schema>>) -> Option<Vec<String>> {
    let ReferenceOr::Item(schema) = schema? else {
        return None;
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => enums::values_of(s, &schema.schema_data),
        _ => None,
    }
}

/// The `$ref` at an inline place below a component schema (`#/components/schemas/Tag/properties/
/// state`), following `properties`, `items` and `additionalProperties` through inline schemas;
/// `None` when the place is not there or holds an inline schema.
fn reference_at<'s>(
    schemas: &BTreeMap<&str, &'s ReferenceOr<Schema>>,
    pointer: &str,
) -> Option<&'s str> {
    let rest = pointer.strip_prefix(COMPONENTS)?;
    let mut segments = rest.split('/').map(unescape);
    let key = segments.next()?;
    let ReferenceOr::Item(component) = *schemas.get(key.as_str())? else {
        return None;
    };
    let mut schema: &Schema = component;
    let segments: Vec<String> = segments.collect();
    let mut at = 0;
    while at < segments.len() {
        let (next, used) = child(schema, &segments[at], segments.get(at + 1))?;
        at += used;
        match next {
            Child::Reference(reference) => return (at == segments.len()).then_some(reference),
            Child::Inline(inner) => schema = inner,
        }
    }
    None
}

/// One step into a schema.
enum Child<'s> {
    Reference(&'s str),
    Inline(&'s Schema),
}

/// The child of `schema` that `segment` (and, for `properties`, the segment after it) names, and
/// how many segments it used.
fn child<'s>(
    schema: &'s Schema,
    segment: &str,
    after: Option<&String>,
) -> Option<(Child<'s>, usize)> {
    let boxed = |r: &'s ReferenceOr<Box<Schema>>| match r {
        ReferenceOr::Reference { reference } => Child::Reference(reference.as_str()),
        ReferenceOr::Item(s) => Child::Inline(s),
    };
    let additional = |a: &'s Option<AdditionalProperties>| match a.as_ref()? {
        AdditionalProperties::Schema(s) => Some(match s.as_ref() {
            ReferenceOr::Reference { reference } => Child::Reference(reference.as_str()),
            ReferenceOr::Item(s) => Child::Inline(s),
        }),
        AdditionalProperties::Any(_) => None,
    };
    match (&schema.schema_kind, segment) {
        (SchemaKind::Type(Type::Object(o)), "properties") => {
            Some((boxed(o.properties.get(after?.as_str())?), 2))
        }
        (SchemaKind::Any(a), "properties") => Some((boxed(a.properties.get(after?.as_str())?), 2)),
        (SchemaKind::Type(Type::Object(o)), "additionalProperties") => {
            Some((additional(&o.additional_properties)?, 1))
        }
        (SchemaKind::Any(a), "additionalProperties") => {
            Some((additional(&a.additional_properties)?, 1))
        }
        (SchemaKind::Type(Type::Array(a)), "items") => Some((boxed(a.items.as_ref()?), 1)),
        (SchemaKind::Any(a), "items") => Some((boxed(a.items.as_ref()?), 1)),
        _ => None,
    }
}

/// One JSON pointer segment unescaped (RFC 6901).
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn schemas(yaml: &str) -> BTreeMap<String, ReferenceOr<Schema>> {
        serde_yaml::from_str(yaml).unwrap()
    }

    fn lock(text: &str) -> NameLock {
        NameLock::from_str(Path::new("names.lock"), text).unwrap()
    }

    const MOVED: &str = "
Tag:
  type: object
  properties:
    state: {$ref: '#/components/schemas/TagStatus'}
    history: {type: array, items: {$ref: '#/components/schemas/TagStatus'}}
TagStatus: {type: string, enum: [Active, Inactive]}
";

    fn kept(yaml: &str, lock_text: &str) -> BTreeMap<String, String> {
        let owned = schemas(yaml);
        let schemas: BTreeMap<&str, &ReferenceOr<Schema>> =
            owned.iter().map(|(k, v)| (k.as_str(), v)).collect();
        kept_names(
            &schemas,
            &BTreeMap::new(),
            &BTreeMap::new(),
            &lock(lock_text),
        )
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_string()))
        .collect()
    }

    #[test]
    fn a_moved_enum_with_the_same_values_keeps_its_name() {
        let lock = "type #/components/schemas/Tag/properties/state = TagState\n\
                    type #/components/schemas/Tag/properties/history/items = TagState\n\
                    variant TagState Active = Active\n\
                    variant TagState Inactive = Inactive\n";
        assert_eq!(
            kept(MOVED, lock),
            BTreeMap::from([("TagStatus".to_owned(), "TagState".to_owned())])
        );
    }

    #[test]
    fn other_values_or_a_place_still_inline_keep_nothing() {
        let other_values = "type #/components/schemas/Tag/properties/state = TagState\n\
                            variant TagState Active = Active\n\
                            variant TagState Archived = Archived\n\
                            variant TagState Inactive = Inactive\n";
        assert!(kept(MOVED, other_values).is_empty());
        let still_inline = "type #/components/schemas/Tag/properties/state = TagState\n\
                            type #/components/schemas/Tag/properties/old = TagState\n\
                            variant TagState Active = Active\n\
                            variant TagState Inactive = Inactive\n";
        let yaml = MOVED.replace(
            "    history:",
            "    old: {type: string, enum: [Active, Inactive]}\n    history:",
        );
        assert!(kept(&yaml, still_inline).is_empty());
    }

    #[test]
    fn references_are_found_through_properties_items_and_maps() {
        let owned = schemas(
            "
A:
  type: object
  properties:
    list: {type: array, items: {$ref: '#/components/schemas/B'}}
    map: {type: object, additionalProperties: {$ref: '#/components/schemas/C'}}
    inline: {type: string}
",
        );
        let schemas: BTreeMap<&str, &ReferenceOr<Schema>> =
            owned.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let at = |p: &str| reference_at(&schemas, p);
        assert_eq!(
            at("#/components/schemas/A/properties/list/items"),
            Some("#/components/schemas/B")
        );
        assert_eq!(
            at("#/components/schemas/A/properties/map/additionalProperties"),
            Some("#/components/schemas/C")
        );
        assert_eq!(at("#/components/schemas/A/properties/list"), None);
        assert_eq!(at("#/components/schemas/A/properties/inline"), None);
        assert_eq!(at("#/components/schemas/A/properties/gone"), None);
        assert_eq!(at("#/paths/~1x/get"), None);
    }
}
