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

fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        wire: wire.to_owned(),
        name: wire.into(),
        ty,
        required,
        ..list_field(false)
    }
}

fn field_changes(old: &[Field], new: &[Field]) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    diff_fields("models::Note", old, new, &Renamed::new(), &mut out);
    out.into_iter().map(|c| (c.breaking, c.change)).collect()
}

/// A field's type is what reads of it and its constructor argument or `with_` setter compile
/// against: any change of it breaks, as the compiler would say, even one that looks wider
/// (`String` to `DateTime` or to an id type).
#[test]
fn field_type_changes_break_reads_and_constructors() {
    let id = TypeRef::Named("AgentId".into());
    for (old, new, required) in [
        (TypeRef::String, TypeRef::DateTime, true),
        (TypeRef::String, TypeRef::DateTime, false),
        (TypeRef::String, id.clone(), true),
        (TypeRef::Uuid, id.clone(), false),
        (TypeRef::I64, TypeRef::Named("ConversationId".into()), true),
        (
            TypeRef::List(Box::new(TypeRef::String)),
            TypeRef::List(Box::new(TypeRef::Named("SearchChannel".into()))),
            true,
        ),
        (
            TypeRef::Map(Box::new(TypeRef::I32)),
            TypeRef::KeyedMap(
                Box::new(TypeRef::Named("QueueThreshold".into())),
                Box::new(TypeRef::I32),
            ),
            false,
        ),
    ] {
        let changes = field_changes(
            &[field("createdAt", old.clone(), required)],
            &[field("createdAt", new.clone(), required)],
        );
        assert_eq!(changes.len(), 1, "{old:?} -> {new:?}: {changes:?}");
        assert!(changes[0].0, "{old:?} -> {new:?} must break: {changes:?}");
    }
    let same = field_changes(
        &[field("createdAt", TypeRef::DateTime, true)],
        &[field("createdAt", TypeRef::DateTime, true)],
    );
    assert!(same.is_empty(), "{same:?}");
}

/// The constructor takes the required fields: a required field added, removed, made optional or
/// made required changes its arguments; an optional field added is only a new `with_` setter.
#[test]
fn constructor_argument_changes_break_and_new_setters_do_not() {
    let a = field("agentId", TypeRef::Uuid, true);
    let optional = |f: &Field| Field {
        required: false,
        ..f.clone()
    };
    let b = field("message", TypeRef::String, true);
    let added_required = field_changes(std::slice::from_ref(&a), &[a.clone(), b.clone()]);
    assert_eq!(
        added_required,
        [(true, "field `message` added (`String`)".to_owned())]
    );
    let added_optional = field_changes(std::slice::from_ref(&a), &[a.clone(), optional(&b)]);
    assert_eq!(
        added_optional,
        [(
            false,
            "field `message` added (optional `String`)".to_owned()
        )]
    );
    for (old, new) in [
        (vec![a.clone()], vec![optional(&a)]),
        (vec![optional(&a)], vec![a.clone()]),
        (vec![a.clone(), b.clone()], vec![a.clone()]),
    ] {
        let changes = field_changes(&old, &new);
        assert!(
            changes.len() == 1 && changes[0].0,
            "{old:?} -> {new:?}: {changes:?}"
        );
    }
}

fn param(wire: &str, ty: TypeRef) -> Param {
    Param {
        wire: wire.to_owned(),
        name: wire.into(),
        ty,
        docs: Docs::default(),
        date_time: None,
        example: None,
    }
}

/// Path parameters are the method's positional arguments: a new type (a date-time, an id type) is
/// a breaking change of every call, and the report names the method.
#[test]
fn path_parameter_type_changes_break_every_call() {
    let changes = |old: Vec<Param>, new: Vec<Param>| {
        let mut out = Vec::new();
        diff_path_params(
            "GET /beta/agents/{agentId}",
            "client.agents().get_agent",
            &old,
            &new,
            &Renamed::new(),
            &mut out,
        );
        out.into_iter()
            .map(|c| (c.breaking, c.change))
            .collect::<Vec<_>>()
    };
    let id = TypeRef::Named("AgentId".into());
    assert_eq!(
        changes(
            vec![param("agentId", TypeRef::String)],
            vec![param("agentId", id.clone())]
        ),
        [(
            true,
            "path parameters of `client.agents().get_agent` changed from (`agentId` `String`) to \
             (`agentId` `AgentId`)"
                .to_owned()
        )]
    );
    let since = changes(
        vec![param("since", TypeRef::String)],
        vec![param("since", TypeRef::DateTime)],
    );
    assert!(since.len() == 1 && since[0].0, "{since:?}");
    // A renamed placeholder is invisible to callers.
    assert!(changes(vec![param("agentId", id.clone())], vec![param("id", id)]).is_empty());
}

fn operation(required: Vec<Param>, optional: Vec<Param>) -> Operation {
    Operation {
        id: "getActivityLog".to_owned(),
        method: crate::ir::HttpMethod::Get,
        path: "/beta/conversations/activitylog".to_owned(),
        name: "get_activity_log".into(),
        docs: Docs::default(),
        path_params: Vec::new(),
        required_query: required,
        optional_query: optional,
        builder: "GetActivityLogRequest".into(),
        body: None,
        response: crate::ir::Response {
            status: 200,
            kind: ResponseKind::Empty,
            errors: Vec::new(),
            accept: None,
            example: None,
        },
        pagination: None,
    }
}

/// Required query parameters are arguments and optional ones setters: a new type breaks either
/// (a setter's argument type is the parameter's type); a new optional one is only a new setter.
#[test]
fn query_parameter_type_changes_break_arguments_and_setters() {
    let changes = |old: Operation, new: Operation| {
        let mut out = Vec::new();
        diff_query("GET /x", &old, &new, &Renamed::new(), &mut out);
        out.into_iter()
            .map(|c| (c.breaking, c.change))
            .collect::<Vec<_>>()
    };
    let from = |ty| param("fromDatetime", ty);
    assert_eq!(
        changes(
            operation(vec![], vec![from(TypeRef::String)]),
            operation(vec![], vec![from(TypeRef::DateTime)])
        ),
        [(
            true,
            "query parameter `fromDatetime` changed from optional `String` to optional \
             `dixa::DateTime`"
                .to_owned()
        )]
    );
    let required = changes(
        operation(vec![from(TypeRef::String)], vec![]),
        operation(vec![from(TypeRef::DateTime)], vec![]),
    );
    assert!(required.len() == 1 && required[0].0, "{required:?}");
    let added = changes(
        operation(vec![], vec![]),
        operation(vec![], vec![from(TypeRef::DateTime)]),
    );
    assert!(added.len() == 1 && !added[0].0, "{added:?}");
    let added_required = changes(
        operation(vec![], vec![]),
        operation(vec![from(TypeRef::DateTime)], vec![]),
    );
    assert!(
        added_required.len() == 1 && added_required[0].0,
        "{added_required:?}"
    );
}

/// One schema renamed by the policy (same place, new name) whose field also changed: a rename,
/// and the field change under the new name, not a removal and an addition.
#[test]
fn a_type_renamed_in_place_is_a_rename_with_its_other_changes() {
    let def = |name: &str, ty: TypeRef| TypeDef {
        name: name.into(),
        origin: "#/components/schemas/IsOneOf1".to_owned(),
        docs: Docs::default(),
        kind: TypeKind::Struct {
            fields: vec![field("values", TypeRef::List(Box::new(ty)), true)],
        },
    };
    let old = [def("IsOneOf1", TypeRef::String)];
    let new = [def(
        "ChannelIsOneOf",
        TypeRef::Named("SearchChannel".into()),
    )];
    let renamed = type_renames(&old, &new);
    assert_eq!(renamed.len(), 1);
    let mut out = Vec::new();
    diff_types(&old, &new, "models", &renamed, &mut out);
    let out: Vec<(bool, &str, &str)> = out
        .iter()
        .map(|c| (c.breaking, c.item.as_str(), c.change.as_str()))
        .collect();
    assert_eq!(
        out,
        [
            (
                true,
                "models::ChannelIsOneOf.values",
                "field `values` changed from `Vec<String>` to `Vec<SearchChannel>`"
            ),
            (
                true,
                "models::IsOneOf1",
                "renamed to `models::ChannelIsOneOf` (the same schema \
                 `#/components/schemas/IsOneOf1`, named by spec/renames.yaml or spec/names.lock)"
            ),
        ]
    );
}

/// A name that moves to another place and shape (the search filter struct `QueueId` renamed
/// `QueueIdFilter` so that the id type can be `QueueId`) is a rename of the old type and a new
/// type under the name, not a struct that became an id.
#[test]
fn a_name_given_to_another_type_is_a_rename_and_a_new_holder() {
    let filter = |name: &str| TypeDef {
        name: name.into(),
        origin: "#/components/schemas/QueueId".to_owned(),
        docs: Docs::default(),
        kind: TypeKind::Struct {
            fields: vec![field("value", TypeRef::Uuid, true)],
        },
    };
    let id = TypeDef {
        name: "QueueId".into(),
        origin: "renames.yaml#/ids/QueueId".to_owned(),
        docs: Docs::default(),
        kind: TypeKind::Id { raw: TypeRef::Uuid },
    };
    let old = [filter("QueueId")];
    let new = [id, filter("QueueIdFilter")];
    let renamed = type_renames(&old, &new);
    let mut out = Vec::new();
    diff_types(&old, &new, "models", &renamed, &mut out);
    let out: Vec<(bool, &str)> = out
        .iter()
        .map(|c| (c.breaking, c.change.as_str()))
        .collect();
    assert_eq!(
        out,
        [
            (
                true,
                "now names another type (the id at `renames.yaml#/ids/QueueId`)"
            ),
            (
                true,
                "renamed to `models::QueueIdFilter` (the same schema `#/components/schemas/QueueId`, \
                 named by spec/renames.yaml or spec/names.lock)"
            ),
        ]
    );
}
