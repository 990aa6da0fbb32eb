//! Unit tests of the comparison.

use super::*;
use crate::ir::Docs;

fn list_field(empty_when_absent: bool) -> Field {
    Field {
        wire: "tags".to_owned(),
        name: "tags".into(),
        ty: TypeRef::List(Box::new(TypeRef::String)),
        place: String::new(),
        required: false,
        boxed: false,
        empty_when_absent,
        flatten: false,
        docs: Docs::default(),
    }
}

#[test]
fn results_compare_by_what_code_compiles_against() {
    use crate::ir::StatusVariant;
    let foo = TypeRef::Named("Foo".into());
    let variant = |status: u16, name: &str, kind: ResponseKind| StatusVariant {
        status: Some(status),
        name: name.into(),
        kind,
        description: String::new(),
    };
    let data = ResponseKind::Data {
        envelope: "FooOutput".into(),
        data: foo.clone(),
        required: true,
        more: false,
    };
    // An envelope unwrapped or not, text or a JSON string: the same Rust type.
    assert_eq!(
        result_signature(&ResponseKind::Json(foo.clone())),
        result_signature(&data)
    );
    assert_eq!(
        result_signature(&ResponseKind::Text),
        result_signature(&ResponseKind::Json(TypeRef::String))
    );
    assert_eq!(result_signature(&ResponseKind::Bytes), "Vec<u8>");
    let two = vec![
        variant(200, "Success", ResponseKind::Json(foo.clone())),
        variant(204, "NoContent", ResponseKind::Empty),
    ];
    assert_eq!(
        result_signature(&ResponseKind::Optional {
            variants: two.clone()
        }),
        "Option<Foo>"
    );
    let by_status = |variants| ResponseKind::ByStatus {
        name: "CreateFooResponse".into(),
        variants,
    };
    let mut three = two.clone();
    three.push(variant(202, "Accepted", ResponseKind::Text));
    // A new status is a new variant to match: the signature changes with it.
    assert_ne!(
        result_signature(&by_status(two.clone())),
        result_signature(&by_status(three))
    );
    assert_eq!(describe_response(&by_status(two)), "`CreateFooResponse`");
}

#[test]
fn a_list_that_stops_being_response_only_is_a_breaking_change() {
    let mut out = Vec::new();
    diff_fields(
        "models::Tag",
        &[list_field(true)],
        &[list_field(false)],
        &Renamed::new(),
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert!(out[0].breaking);
    let mut out = Vec::new();
    diff_fields(
        "models::Tag",
        &[list_field(true)],
        &[list_field(true)],
        &Renamed::new(),
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn union_variants_added_are_not_breaking_and_removed_ones_are() {
    let union = |property: &str, tags: &[&str]| TypeKind::TaggedUnion {
        tag: crate::ir::UnionTag {
            property: property.to_owned(),
            in_variants: true,
        },
        variants: tags
            .iter()
            .map(|t| UnionVariant {
                tag: (*t).to_owned(),
                name: (*t).into(),
                ty: "Shape".into(),
                boxed: false,
                pending: None,
            })
            .collect(),
    };
    let changes = |old: &TypeKind, new: &TypeKind| {
        let mut out = Vec::new();
        diff_kind("models::U", old, new, &Renamed::new(), &mut out);
        out.into_iter()
            .map(|c| (c.breaking, c.change))
            .collect::<Vec<_>>()
    };
    let added = changes(&union("kind", &["A"]), &union("kind", &["A", "B"]));
    assert_eq!(added, [(false, "variant `B` added (`Shape`)".to_owned())]);
    let removed = changes(&union("kind", &["A", "B"]), &union("kind", &["A"]));
    assert_eq!(removed, [(true, "variant `B` removed".to_owned())]);
    let moved = changes(&union("kind", &["A"]), &union("type", &["A"]));
    assert_eq!(
        moved,
        [(
            true,
            "tag property changed from `kind` to `type`".to_owned()
        )]
    );
}
