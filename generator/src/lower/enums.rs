//! Enumerations: the one real `enum` keyword, and the many lists hidden in descriptions.
//!
//! Dixa's spec was produced by a Scala server whose enumerations reach the document only as prose:
//! `description: "values: [Away, Working]"`, sometimes after a sentence ("Possible values: [...]",
//! "Allowed values: [...]"). A string schema whose description contains such a list is an enum.

use crate::error::Result;
use crate::ir::{EnumValue, PlaceKind, Places, TypeDef, TypeKind};
use crate::naming::{self, RustIdent};
use crate::policy::NameLock;
use openapiv3::{SchemaData, StringType};

/// The enumerated values of a string schema: its `enum`, or the list in its description.
pub fn values_of(s: &StringType, data: &SchemaData) -> Option<Vec<String>> {
    let listed: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
    if !listed.is_empty() {
        return Some(listed);
    }
    data.description.as_deref().and_then(values_in_description)
}

/// Finds `values: [A, B, C]` (any capitalisation, any prose before it) in a description. The list
/// must hold plain words: `values: String[] if ...` is prose, not an enumeration.
pub fn values_in_description(description: &str) -> Option<Vec<String>> {
    let lower = description.to_ascii_lowercase();
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find("values:") {
        let after = search_from + found + "values:".len();
        let rest = description[after..].trim_start();
        if let Some(list) = rest.strip_prefix('[') {
            if let Some(end) = list.find(']') {
                let values: Vec<String> = list[..end]
                    .split(',')
                    .map(|v| v.trim().to_owned())
                    .collect();
                let plain = values.iter().all(|v| {
                    !v.is_empty()
                        && v.chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
                });
                if plain {
                    return Some(values);
                }
            }
        }
        search_from = after;
    }
    None
}

/// A string enum over `values` (in the spec's order), with variant names that are unique and never
/// the fallback's name.
pub fn string_enum(values: Vec<String>) -> TypeKind {
    let mut names: Vec<RustIdent> = std::iter::once(naming::unknown_variant())
        .chain(values.iter().map(|v| naming::variant_name(v)))
        .collect();
    naming::dedupe(&mut names);
    TypeKind::StringEnum {
        values: values
            .into_iter()
            .zip(names.into_iter().skip(1))
            .map(|(wire, name)| EnumValue { wire, name })
            .collect(),
    }
}

/// Gives the variants of every string enum and `_type`-tagged union the names the lock file has
/// for them (keyed by the type's Rust name and the wire value or tag), names new variants around
/// those and the fallback, and records every variant's name in `places`. Runs once every type has
/// its final name; without a lock it gives the names `string_enum` and the tagged strategy gave.
pub(super) fn keep_variant_names(
    types: &mut [TypeDef],
    lock: &NameLock,
    places: &mut Places,
) -> Result<()> {
    for def in types {
        let mut variants: Vec<(&str, &mut RustIdent)> = match &mut def.kind {
            TypeKind::StringEnum { values } => values
                .iter_mut()
                .map(|v| (v.wire.as_str(), &mut v.name))
                .collect(),
            TypeKind::TaggedUnion { variants, .. } => variants
                .iter_mut()
                .map(|v| (v.tag.as_str(), &mut v.name))
                .collect(),
            TypeKind::Struct { .. }
            | TypeKind::Alias { .. }
            | TypeKind::Untagged { .. }
            | TypeKind::Id { .. } => continue,
        };
        let place = |wire: &str| format!("{} {wire}", def.name);
        // The fallback comes first and is fixed, as in `string_enum`.
        let mut names = vec![naming::unknown_variant()];
        let mut fixed = vec![true];
        for (wire, _) in &variants {
            match lock.ident(PlaceKind::Variant, &place(wire)) {
                Some(name) => {
                    if let Some(i) = names.iter().zip(&fixed).position(|(n, f)| *f && *n == name) {
                        let other = match i {
                            0 => "the fallback for unknown values".to_owned(),
                            _ => format!("the variant of {:?}", variants[i - 1].0),
                        };
                        return Err(lock.conflict(
                            PlaceKind::Variant,
                            &place(wire),
                            format!("`{name}` is also the name of {other}"),
                        ));
                    }
                    names.push(name);
                    fixed.push(true);
                }
                None => {
                    names.push(naming::variant_name(wire));
                    fixed.push(false);
                }
            }
        }
        naming::dedupe_around(&mut names, &fixed);
        for ((wire, name), new) in variants.iter_mut().zip(names.into_iter().skip(1)) {
            places.insert((PlaceKind::Variant, place(wire)), new.to_string());
            **name = new;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_phrasing() {
        let v = |d: &str| values_in_description(d);
        assert_eq!(v("values: [Away, Working]").unwrap(), ["Away", "Working"]);
        assert_eq!(
            v("An optional channel. Possible values: [WhatsApp, Email]").unwrap(),
            ["WhatsApp", "Email"]
        );
        assert_eq!(v("The events. Allowed values: [A,B]").unwrap(), ["A", "B"]);
        assert_eq!(v("Values:[x]").unwrap(), ["x"]);
        assert_eq!(
            v("AttributeValue values: String[] if Select or String if Text"),
            None
        );
        assert_eq!(v("no list here"), None);
        assert_eq!(v("values: [unterminated"), None);
    }

    #[test]
    fn fallback_name_is_never_taken() {
        let TypeKind::StringEnum { values } = string_enum(vec!["Unknown".into(), "a".into()])
        else {
            panic!("not an enum");
        };
        assert_eq!(values[0].name, "Unknown2");
        assert_eq!(values[1].name, "A");
    }
}
