//! The one `$ref` resolver. Schemas, parameters, request bodies and responses are all looked up
//! here, so every kind of reference follows chains the same way and fails the same way: an
//! unsupported target, a dangling reference or a cycle is an error at the pointer that refers.

use crate::error::{Error, Result};
use indexmap::IndexMap;
use openapiv3::ReferenceOr;

/// `item` itself, or the entry of `#/components/<section>` it refers to (see [`follow`]), with the
/// key of that entry (`None` for an inline item).
pub(super) fn resolve<'a, T>(
    section: &str,
    lookup: impl Fn(&str) -> Option<(&'a str, &'a ReferenceOr<T>)>,
    item: &'a ReferenceOr<T>,
    at: &str,
) -> Result<(Option<&'a str>, &'a T)> {
    match item {
        ReferenceOr::Item(item) => Ok((None, item)),
        ReferenceOr::Reference { reference } => {
            follow(section, lookup, reference, at).map(|(key, item)| (Some(key), item))
        }
    }
}

/// The entry of `#/components/<section>` that `reference` names, following a chain of bare
/// references and refusing cycles, with its key. `lookup` finds an entry by key; `at` is the
/// pointer of the reference, which every error names.
pub(super) fn follow<'a, T>(
    section: &str,
    lookup: impl Fn(&str) -> Option<(&'a str, &'a ReferenceOr<T>)>,
    reference: &str,
    at: &str,
) -> Result<(&'a str, &'a T)> {
    let prefix = format!("#/components/{section}/");
    let mut seen: Vec<String> = Vec::new();
    let mut reference = reference;
    loop {
        let key = reference.strip_prefix(&prefix).ok_or_else(|| {
            Error::spec(
                at,
                format!("unsupported $ref {reference:?}; only {prefix}... is supported"),
            )
        })?;
        if seen.iter().any(|k| k == key) {
            return Err(Error::spec(
                at,
                format!("cyclic $ref chain: {} -> {key}", seen.join(" -> ")),
            ));
        }
        seen.push(key.to_owned());
        let (found, entry) = lookup(key).ok_or_else(|| {
            Error::spec(
                at,
                format!("dangling $ref {reference:?}: no such entry in components/{section}"),
            )
        })?;
        match entry {
            ReferenceOr::Item(item) => return Ok((found, item)),
            ReferenceOr::Reference { reference: next } => reference = next,
        }
    }
}

/// The lookup of a section of openapiv3's `Components` (absent when the document has none).
pub(super) fn in_map<'a, T>(
    map: Option<&'a IndexMap<String, ReferenceOr<T>>>,
) -> impl Fn(&str) -> Option<(&'a str, &'a ReferenceOr<T>)> {
    move |key| map?.get_key_value(key).map(|(k, v)| (k.as_str(), v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(to: &str) -> ReferenceOr<u8> {
        ReferenceOr::Reference {
            reference: format!("#/components/things/{to}"),
        }
    }

    #[test]
    fn follows_chains_and_names_dangling_and_cyclic_references() {
        let mut map: IndexMap<String, ReferenceOr<u8>> = IndexMap::new();
        map.insert("A".into(), reference("B"));
        map.insert("B".into(), ReferenceOr::Item(7));
        map.insert("C".into(), reference("D"));
        map.insert("D".into(), reference("C"));
        let resolve = |item| super::resolve("things", in_map(Some(&map)), item, "#/x");
        let (a, missing, c) = (reference("A"), reference("Missing"), reference("C"));
        let inline = ReferenceOr::Item(1);
        assert_eq!(resolve(&a).unwrap(), (Some("B"), &7));
        assert_eq!(resolve(&inline).unwrap(), (None, &1));
        let e = resolve(&missing).unwrap_err().to_string();
        assert!(e.contains("#/x") && e.contains("dangling $ref"), "{e}");
        let e = resolve(&c).unwrap_err().to_string();
        assert!(e.contains("cyclic $ref chain: C -> D -> C"), "{e}");
        let other = ReferenceOr::Reference {
            reference: "#/components/other/A".to_owned(),
        };
        let e = resolve(&other).unwrap_err().to_string();
        assert!(e.contains("only #/components/things/..."), "{e}");
    }
}
