//! Every JSON example in the spec survives a round trip through the SDK's types: it decodes into the
//! type of the schema it is declared under and encodes back to equivalent JSON (see `wire`).
//!
//! The cases come from the spec itself (`examples::collect`), not from a hand-picked list.

use dixa_tests::examples::{self, Example, Role, Shape};
use dixa_tests::{dispatch, spec_tree, wire};
use serde_json::Value;

/// Round-trips one example; `Err` says where and why it fails.
fn check(example: &Example) -> Result<(), String> {
    let (key, values): (&str, Vec<&Value>) = match &example.shape {
        Shape::Named(key) => (key, vec![&example.value]),
        Shape::ListOf(key) => match &example.value {
            Value::Array(items) => (key, items.iter().collect()),
            other => return Err(format!("expected an array, found {other}")),
        },
    };
    for value in values {
        let encoded = dispatch::round_trip(key, value)
            .ok_or_else(|| format!("no SDK type for schema {key}"))??;
        let differences = wire::differences(value, &encoded);
        if !differences.is_empty() {
            return Err(format!("{key}: {}", differences.join("; ")));
        }
    }
    Ok(())
}

fn run(filter: impl Fn(&Example) -> bool) -> (usize, Vec<String>) {
    let examples: Vec<Example> = examples::collect(&spec_tree())
        .into_iter()
        .filter(filter)
        .collect();
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|e| check(e).err().map(|why| format!("{}: {why}", e.location)))
        .collect();
    (examples.len(), failures)
}

#[test]
fn every_example_round_trips() {
    let (total, failures) = run(|_| true);
    let by_role = |role| {
        examples::collect(&spec_tree())
            .iter()
            .filter(|e| e.role == role)
            .count()
    };
    println!(
        "conformance: {}/{total} examples round-trip ({} request bodies, {} success responses, {} error responses)",
        total - failures.len(),
        by_role(Role::Request),
        by_role(Role::Success),
        by_role(Role::Error),
    );
    assert!(
        failures.is_empty(),
        "{} of {total} examples do not round-trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The examples of Dixa's "Add internal note", "Create conversation rating offer" and "Create
/// conversation rating result" reference pages, `_type` tags included.
#[test]
fn the_internal_note_and_rating_examples_round_trip() {
    let pages = [
        "/beta/conversations/{conversationId}/notes ",
        "/beta/conversations/{conversationId}/ratings/offer ",
        "/beta/conversations/{conversationId}/ratings/{ratingId}/submit ",
    ];
    let (total, failures) = run(|e| {
        e.location.starts_with("POST ") && pages.iter().any(|p| e.location[5..].starts_with(p))
    });
    assert_eq!(
        total, 15,
        "the three pages' request, success and error examples"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
