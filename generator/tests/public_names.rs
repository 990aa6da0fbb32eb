//! Every public name of the SDK is chosen from what it is (issue 21): no type numbered after one of
//! Dixa's repeated schema keys (`Queue1`), no union predicate with a doubled `is_`, no union method
//! that shadows a field of its variants, and no webhook type that reads like a REST model.
//!
//! The SDK is lowered as `cargo run -p generator` lowers it, with the project's overrides, renames,
//! lock and webhooks description, so a new numbered schema key in a new spec fails here until
//! `spec/renames.yaml` names it.

use generator::ir::{Api, TypeKind};
use generator::naming::{self, RustIdent};
use generator::Config;
use std::collections::BTreeSet;
use std::path::Path;

/// Type names whose final digit is part of the name, not a number added to tell two schemas apart,
/// with the reason. Empty today; a name like `Oauth2` would belong here.
const DIGIT_IN_NAME: &[(&str, &str)] = &[];

fn sdk() -> Api {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/dixa-api.yaml");
    generator::api(&Config::beside(spec)).expect("the project's spec lowers")
}

fn ends_in_digit(name: &RustIdent) -> bool {
    name.raw().ends_with(|c: char| c.is_ascii_digit())
}

#[test]
fn no_public_type_is_numbered() {
    let api = sdk();
    let webhooks = api.webhooks.as_ref().expect("the webhooks are described");
    let numbered: Vec<String> = api
        .types
        .iter()
        .chain(&webhooks.types)
        .filter(|def| ends_in_digit(&def.name))
        .filter(|def| !DIGIT_IN_NAME.iter().any(|(name, _)| def.name == *name))
        .map(|def| {
            let key = def
                .origin
                .strip_prefix("#/components/schemas/")
                .filter(|k| !k.contains('/'));
            match key {
                Some(key) => format!(
                    "{} (Dixa's schema key `{key}`: name it in spec/renames.yaml `types:`)",
                    def.name
                ),
                None => format!("{} (numbered by the rules at {})", def.name, def.origin),
            }
        })
        .collect();
    assert!(
        numbered.is_empty(),
        "numbered type names:\n{}",
        numbered.join("\n")
    );

    // The check can fail: the spec has numbered schema keys, which the rules alone would keep.
    let numbered_keys = api
        .types
        .iter()
        .filter_map(|def| def.origin.strip_prefix("#/components/schemas/"))
        .filter(|key| ends_in_digit(&naming::type_name(key)))
        .count();
    assert!(numbered_keys >= 32, "{numbered_keys} numbered schema keys");
}

#[test]
fn union_methods_neither_double_is_nor_shadow_a_field_of_their_variants() {
    let api = sdk();
    let fields_of = |name: &RustIdent| -> BTreeSet<String> {
        api.types
            .iter()
            .filter(|def| &def.name == name)
            .flat_map(|def| match &def.kind {
                TypeKind::Struct { fields } => {
                    fields.iter().map(|f| f.name.raw().to_owned()).collect()
                }
                _ => Vec::new(),
            })
            .collect()
    };
    let mut unions = 0;
    let mut offenders = Vec::new();
    for def in &api.types {
        let TypeKind::TaggedUnion { variants, .. } = &def.kind else {
            continue;
        };
        unions += 1;
        let names: Vec<&RustIdent> = variants.iter().map(|v| &v.name).collect();
        let methods = naming::variant_methods(&names);
        let mut union_methods: Vec<String> = naming::union_methods()
            .iter()
            .map(|m| m.raw().to_owned())
            .collect();
        for m in &methods {
            if m.is.raw().starts_with("is_is_") {
                offenders.push(format!("{}::{}", def.name, m.is));
            }
            union_methods.push(m.is.raw().to_owned());
            union_methods.push(m.as_ref.raw().to_owned());
        }
        for variant in variants {
            for field in fields_of(&variant.ty) {
                if union_methods.contains(&field) {
                    offenders.push(format!(
                        "{}::{field}() is a method of the union and a field of {}",
                        def.name, variant.ty
                    ));
                }
            }
        }
    }
    assert!(unions > 40, "{unions} tagged unions");
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
    // The union whose variants are conversations, which have tags, reads its `_type` by another name.
    assert!(!naming::union_methods().iter().any(|m| m.raw() == "tag"));
}

#[test]
fn webhook_types_are_named_apart_from_the_rest_models() {
    let api = sdk();
    let webhooks = api.webhooks.as_ref().expect("the webhooks are described");
    let models: BTreeSet<&str> = api.types.iter().map(|def| def.name.raw()).collect();
    for def in &webhooks.types {
        assert!(
            def.name.raw().starts_with("Event"),
            "{} does not say it is what an event carries",
            def.name
        );
        assert!(
            !models.contains(def.name.raw()),
            "dixa::webhooks::{0} and dixa::models::{0}",
            def.name
        );
    }
    // The schemas the webhooks file shares names with the REST models are among them.
    for shared in ["EventConversation", "EventQueue", "EventTag"] {
        assert!(
            webhooks.types.iter().any(|def| def.name == shared),
            "{shared}"
        );
    }
}

#[test]
fn deprecation_notes_name_the_replacement_method() {
    let api = sdk();
    let op = |id: &str| {
        api.groups
            .iter()
            .flat_map(|g| &g.operations)
            .find(|op| op.id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    };
    let text = |id: &str| op(id).docs.description.clone().unwrap_or_default();
    assert!(
        text("getSearchConversations").contains(
            "`client.search().search_conversations_with_filters()` (`POST /search/conversations`)"
        ),
        "{}",
        text("getSearchConversations")
    );
    let rating = op("getConversationsConversationidRating");
    let rating_docs = format!(
        "{} {}",
        rating.docs.summary.clone().unwrap_or_default(),
        rating.docs.description.clone().unwrap_or_default()
    );
    assert!(
        rating_docs.contains("`client.conversations().list_ratings()` (`/ratings`)"),
        "{rating_docs}"
    );
}
