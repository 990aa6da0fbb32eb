//! Enumerations: the one real `enum` keyword, and the many lists hidden in descriptions.
//!
//! Dixa's spec was produced by a Scala server whose enumerations reach the document only as prose:
//! `description: "values: [Away, Working]"`, sometimes after a sentence ("Possible values: [...]",
//! "Allowed values: [...]"). A string schema whose description contains such a list is an enum.

use crate::ir::{EnumValue, TypeKind};
use crate::naming;
use openapiv3::{SchemaData, StringType};

/// The name of the fallback variant that keeps values unknown to this SDK version.
pub const UNKNOWN_VARIANT: &str = "Unknown";

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
    let mut names: Vec<String> = std::iter::once(UNKNOWN_VARIANT.to_owned())
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
