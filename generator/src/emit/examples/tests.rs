//! Unit tests of the doc examples: typed values, arguments from the spec's examples, answers.

use super::*;
use crate::ir::{Docs, EnumValue, ResponseKind, UnionVariant};
use serde_json::json;

fn field(wire: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        wire: wire.to_owned(),
        name: naming::field_name(wire),
        ty,
        place: String::new(),
        required,
        boxed: false,
        empty_when_absent: false,
        flatten: false,
        docs: Docs::default(),
    }
}

fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
    (
        name.to_owned(),
        TypeDef {
            name: name.into(),
            origin: String::new(),
            docs: Docs::default(),
            kind,
        },
    )
}

fn types() -> BTreeMap<String, TypeDef> {
    BTreeMap::from([
        def(
            "Note",
            TypeKind::Struct {
                fields: vec![
                    field("message", TypeRef::String, true),
                    field("agentId", TypeRef::Uuid, true),
                    field("tags", TypeRef::List(Box::new(TypeRef::String)), false),
                    field("kind", TypeRef::Named("Kind".into()), false),
                ],
            },
        ),
        def(
            "Kind",
            TypeKind::StringEnum {
                values: vec![EnumValue {
                    wire: "Internal".into(),
                    name: "Internal".into(),
                }],
            },
        ),
        def(
            "Text",
            TypeKind::Struct {
                fields: vec![field("value", TypeRef::String, true)],
            },
        ),
        def(
            "Content",
            TypeKind::TaggedUnion {
                tag: crate::ir::UnionTag::dixa(),
                variants: vec![UnionVariant {
                    tag: "Text".into(),
                    name: "Text".into(),
                    ty: "Text".into(),
                    boxed: false,
                    pending: None,
                }],
            },
        ),
    ])
}

#[test]
fn examples_become_typed_constructors() {
    let owned = types();
    let types: BTreeMap<&str, &TypeDef> = owned.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let samples = Samples::default();
    let mut w = Writer {
        types: &types,
        uses: BTreeSet::new(),
        samples: &samples,
        placeholders: 0,
    };
    let note = json!({
        "message": "Called \"back\"",
        "agentId": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b",
        "tags": ["vip"],
        "kind": "Internal"
    });
    assert_eq!(
        w.value(&TypeRef::Named("Note".into()), &note, Pos::Exact, 0)
            .as_deref(),
        Some(
            "Note::new(uuid::uuid!(\"eeb3bbe5-0355-4ac1-8af5-20d42a3db24b\"), \"Called \\\"back\\\"\")\n    \
             .with_tags(vec![\"vip\".to_owned()])\n    .with_kind(Kind::Internal)"
        )
    );
    let content = json!({"_type": "Text", "value": "hi"});
    assert_eq!(
        w.value(&TypeRef::Named("Content".into()), &content, Pos::Exact, 0)
            .as_deref(),
        Some("Content::from(Text::new(\"hi\"))")
    );
    assert_eq!(
        w.uses.iter().map(String::as_str).collect::<Vec<_>>(),
        ["Content", "Kind", "Note", "Text"]
    );
}

#[test]
fn examples_the_types_cannot_express_are_refused() {
    let owned = types();
    let types: BTreeMap<&str, &TypeDef> = owned.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let samples = Samples::default();
    let mut w = Writer {
        types: &types,
        uses: BTreeSet::new(),
        samples: &samples,
        placeholders: 0,
    };
    let note = TypeRef::Named("Note".into());
    let extra = json!({"message": "m", "agentId": PLACEHOLDER_UUID, "color": "red"});
    assert_eq!(w.value(&note, &extra, Pos::Exact, 0), None, "unknown key");
    let missing = json!({"agentId": PLACEHOLDER_UUID});
    assert_eq!(
        w.value(&note, &missing, Pos::Exact, 0),
        None,
        "required field"
    );
    let bad_uuid = json!({"message": "m", "agentId": "not-a-uuid"});
    assert_eq!(w.value(&note, &bad_uuid, Pos::Exact, 0), None);
    assert_eq!(
        w.value(&TypeRef::I32, &json!(5_000_000_000_i64), Pos::Into, 0),
        None
    );
}

/// An operation answering `kind`, without parameters or body.
fn operation(id: &str, method: crate::ir::HttpMethod, path: &str, kind: ResponseKind) -> Operation {
    Operation {
        id: id.to_owned(),
        method,
        path: path.to_owned(),
        name: naming::field_name(id),
        docs: Docs::default(),
        path_params: Vec::new(),
        required_query: Vec::new(),
        optional_query: Vec::new(),
        builder: "Request".into(),
        body: None,
        response: crate::ir::Response {
            status: 200,
            kind,
            errors: Vec::new(),
            accept: None,
            example: None,
        },
        pagination: None,
    }
}

fn param(wire: &str, ty: TypeRef, example: Option<Value>) -> crate::ir::Param {
    crate::ir::Param {
        wire: wire.to_owned(),
        name: naming::field_name(wire),
        ty,
        docs: Docs::default(),
        date_time: None,
        example,
    }
}

fn group() -> Group {
    Group {
        tag: "Things".to_owned(),
        module: "things".into(),
        accessor: "things".into(),
        struct_name: "Things".into(),
        feature: "things".to_owned(),
        docs: Docs::default(),
        operations: Vec::new(),
    }
}

/// Agents with typed ids and metrics with string ids, listed with examples; and the operations
/// that read one of each.
fn listing() -> (BTreeMap<String, TypeDef>, Vec<Operation>) {
    use crate::ir::HttpMethod::Get;
    let mut owned = types();
    owned.extend([
        def("AgentId", TypeKind::Id { raw: TypeRef::Uuid }),
        def(
            "Agent",
            TypeKind::Struct {
                fields: vec![
                    field("id", TypeRef::Named("AgentId".into()), true),
                    field("displayName", TypeRef::String, true),
                    field("email", TypeRef::String, false),
                ],
            },
        ),
        def(
            "Metric",
            TypeKind::Struct {
                fields: vec![field("id", TypeRef::String, true)],
            },
        ),
    ]);
    let list = |t: &str| TypeRef::List(Box::new(TypeRef::Named(t.into())));
    let mut agents = operation(
        "getAgents",
        Get,
        "/agents",
        ResponseKind::Json(list("Agent")),
    );
    agents.response.example = Some(json!([
        {"id": "eeb3bbe5-0355-4ac1-8af5-20d42a3db24b", "displayName": "Alice"}
    ]));
    let mut metrics = operation(
        "getMetrics",
        Get,
        "/metrics",
        ResponseKind::Data {
            envelope: "MetricsOutput".into(),
            data: list("Metric"),
            required: true,
            more: false,
        },
    );
    metrics.response.example = Some(json!({"data": [{"id": "csat"}]}));
    owned.extend([def(
        "MetricsOutput",
        TypeKind::Struct {
            fields: vec![field("data", list("Metric"), true)],
        },
    )]);
    let mut agent = operation(
        "getAgent",
        Get,
        "/agents/{agentId}",
        ResponseKind::Json(TypeRef::Named("Agent".into())),
    );
    agent
        .path_params
        .push(param("agentId", TypeRef::Named("AgentId".into()), None));
    let mut metric = operation(
        "getMetric",
        Get,
        "/metrics/{metricId}",
        ResponseKind::Json(TypeRef::Named("Metric".into())),
    );
    metric
        .path_params
        .push(param("metricId", TypeRef::String, None));
    let mut search = operation("search", Get, "/search", ResponseKind::Text);
    search.required_query.push(param(
        "query",
        TypeRef::String,
        Some(json!("cancel my order")),
    ));
    let mut other = operation("getOther", Get, "/others/{otherId}", ResponseKind::Bytes);
    other
        .path_params
        .push(param("otherId", TypeRef::String, None));
    (owned, vec![agents, metrics, agent, metric, search, other])
}

#[test]
fn arguments_take_the_values_of_the_spec_examples() {
    let (owned, ops) = listing();
    let types: BTreeMap<&str, &TypeDef> = owned.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let samples = Samples::new(&ops, &types);
    // An operation not found gives an empty section, which every assertion below refuses.
    let section_of = |id: &str| {
        ops.iter()
            .find(|op| op.id == id)
            .map(|op| section(op, &group(), &types, &samples))
            .unwrap_or_default()
    };
    // An id seen in another operation's answer, typed as the argument's id.
    let agent = section_of("getAgent");
    assert!(
        agent.contains("A call with the spec's example arguments:"),
        "{agent}"
    );
    assert!(
        agent.contains(
            "client.things().get_agent(AgentId::from(uuid::uuid!(\"eeb3bbe5-0355-4ac1-8af5-20d42a3db24b\"))).await?"
        ),
        "{agent}"
    );
    // A string id: the `id` of an item of the list at the parent path.
    let metric = section_of("getMetric");
    assert!(metric.contains(".get_metric(\"csat\")"), "{metric}");
    // The parameter's own example.
    let search = section_of("search");
    assert!(search.contains(".search(\"cancel my order\")"), "{search}");
    // Nothing in the spec: a placeholder, and the sentence says so.
    let other = section_of("getOther");
    assert!(
        other.contains("A call with placeholder arguments:"),
        "{other}"
    );
    assert!(other.contains(".get_other(\"other-id\")"), "{other}");
}

#[test]
fn the_example_uses_the_answer() {
    let (mut owned, mut ops) = listing();
    // A union whose variants share no field: read through the first variant's accessor.
    owned.extend([def(
        "Media",
        TypeKind::TaggedUnion {
            tag: crate::ir::UnionTag::dixa(),
            variants: ["Text", "Note"]
                .map(|v| UnionVariant {
                    tag: v.into(),
                    name: v.into(),
                    ty: v.into(),
                    boxed: false,
                    pending: None,
                })
                .to_vec(),
        },
    )]);
    let types: BTreeMap<&str, &TypeDef> = owned.iter().map(|(k, v)| (k.as_str(), v)).collect();
    ops[0].pagination = Some(crate::ir::Pagination {
        item: TypeRef::Named("Agent".into()),
    });
    let content = operation(
        "getContent",
        crate::ir::HttpMethod::Get,
        "/content",
        ResponseKind::Json(TypeRef::Named("Content".into())),
    );
    ops.push(content);
    ops.push(operation(
        "getMedia",
        crate::ir::HttpMethod::Get,
        "/media",
        ResponseKind::Json(TypeRef::Named("Media".into())),
    ));
    let samples = Samples::new(&ops, &types);
    let code = |id: &str| {
        let section = ops
            .iter()
            .find(|op| op.id == id)
            .map(|op| section(op, &group(), &types, &samples))
            .unwrap_or_default();
        assert!(section.contains("```no_run"), "{id}: {section}");
        assert!(!section.contains("{answer:?}"), "{section}");
        section
    };
    // A struct: its id (a required field that prints), read through the field.
    assert!(code("getAgent").contains("let answer = client.things().get_agent("));
    assert!(code("getAgent").contains("println!(\"{}\", answer.id);"));
    // Pages: walked item by item.
    let agents = code("getAgents");
    assert!(
        agents.contains("use futures_util::TryStreamExt;"),
        "{agents}"
    );
    assert!(
        agents.contains(
            "let mut items = client.things().get_agents().items();\n\
             while let Some(agent) = items.try_next().await? {\n    println!(\"{}\", agent.id);\n}"
        ),
        "{agents}"
    );
    // An envelope's list: its `data`, walked.
    let metrics = code("getMetrics");
    assert!(
        metrics.contains("for metric in &answer {\n    println!(\"{}\", metric.id);\n}"),
        "{metrics}"
    );
    // A union: read through the accessor of a field all its variants share, else through a
    // variant's accessor.
    let content = code("getContent");
    assert!(
        content.contains("if let Some(value) = answer.value() {\n    println!(\"{value}\");\n}"),
        "{content}"
    );
    let media = code("getMedia");
    assert!(
        media.contains(
            "if let Some(text) = answer.as_text() {\n    println!(\"{}\", text.value);\n}"
        ),
        "{media}"
    );
    // Text and bytes.
    assert!(code("search").contains("println!(\"{answer}\");"));
    assert!(code("getOther").contains("std::fs::write(\"answer.bin\", &answer)?;"));
}

#[test]
fn a_body_without_an_example_takes_values_the_spec_shows_elsewhere() {
    let (mut owned, ops) = listing();
    owned.extend([def(
        "Invite",
        TypeKind::Struct {
            fields: vec![
                field("agentId", TypeRef::Named("AgentId".into()), true),
                field("displayName", TypeRef::String, true),
                field("note", TypeRef::String, true),
            ],
        },
    )]);
    let types: BTreeMap<&str, &TypeDef> = owned.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let samples = Samples::new(&ops, &types);
    let mut w = Writer {
        types: &types,
        uses: BTreeSet::new(),
        samples: &samples,
        placeholders: 0,
    };
    let body = w.placeholder(&TypeRef::Named("Invite".into()), Pos::Exact, 0);
    assert_eq!(
        body.as_deref(),
        Some(
            "Invite::new(InviteRequired {\n    agent_id: \
             AgentId::from(uuid::uuid!(\"eeb3bbe5-0355-4ac1-8af5-20d42a3db24b\")),\n    \
             display_name: \"Alice\".to_owned(),\n    note: \"text\".to_owned(),\n})"
        )
    );
    assert_eq!(w.placeholders, 1, "only `note` has no example");
}
