//! Typed ids: every place the id table (`ids:` in spec/renames.yaml) names holds the id type in the
//! IR, so a model field and the path argument of the same entity have the same type; a raw value is
//! still accepted by path methods; ids read and write their raw text; a table entry the spec
//! contradicts, or one that matches nothing, stops the generator.

use generator::ir::{Api, TypeKind, TypeRef};
use generator::policy::Renames;
use generator::Config;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every declared place of each id, found by walking the spec tree itself (overrides applied), not
/// through the lowering under test: `(id, description of the place) -> the IR type found there`.
fn declared_places(
    api: &Api,
    tree: &Value,
    renames: &Renames,
) -> BTreeMap<String, Vec<(String, TypeRef)>> {
    let structs: BTreeMap<&str, &Vec<generator::ir::Field>> = api
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Struct { fields } => Some((t.origin.as_str(), fields)),
            _ => None,
        })
        .collect();
    let empty = serde_json::Map::new();
    let schemas = tree["components"]["schemas"].as_object().unwrap_or(&empty);
    let mut out: BTreeMap<String, Vec<(String, TypeRef)>> = BTreeMap::new();
    for (id, spec) in renames.ids() {
        let places = out.entry(id.to_string()).or_default();
        for (key, schema) in schemas {
            let Some(props) = schema["properties"].as_object() else {
                continue;
            };
            for prop in props.keys() {
                let own = prop == "id" && spec.schemas.contains(key);
                let refers = spec
                    .properties
                    .iter()
                    .any(|p| p == prop || *p == format!("{key}.{prop}"));
                if !(own || refers) {
                    continue;
                }
                let origin = format!("#/components/schemas/{key}");
                let field = structs
                    .get(origin.as_str())
                    .and_then(|fields| fields.iter().find(|f| &f.wire == prop))
                    .unwrap_or_else(|| panic!("{origin} has no lowered field {prop}"));
                places.push((format!("{key}.{prop}"), field.ty.clone()));
            }
        }
        for group in &api.groups {
            for op in &group.operations {
                for param in op
                    .path_params
                    .iter()
                    .filter(|p| spec.params.contains(&p.wire))
                {
                    places.push((format!("{} path {}", op.id, param.wire), param.ty.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn every_place_of_an_id_holds_the_id_type() {
    let config = Config::beside(root().join("spec/dixa-api.yaml"));
    let (overrides, renames, _) = generator::policies(&config).expect("the policy files");
    let tree = overrides.load(&config.spec).expect("loads");
    let api = generator::api(&config).expect("lowers");
    let places = declared_places(&api, &tree, &renames);
    assert!(
        places.len() >= 7,
        "the table has the issue's ids: {:?}",
        places.keys()
    );
    for (id, places) in &places {
        let def = api
            .types
            .iter()
            .find(|t| &t.name == id)
            .unwrap_or_else(|| panic!("no type {id}"));
        assert!(
            matches!(def.kind, TypeKind::Id { .. }),
            "{id} is an id type"
        );
        let named = TypeRef::Named(generator::naming::type_name(id));
        let list = TypeRef::List(Box::new(named.clone()));
        let wrong: Vec<_> = places
            .iter()
            .filter(|(_, ty)| *ty != named && *ty != list)
            .collect();
        assert!(wrong.is_empty(), "{id} places with another type: {wrong:?}");
        // An entity's own id and the path argument of its operations are both there.
        assert!(
            places.iter().any(|(p, _)| p.ends_with(".id")),
            "{id}: no entity id in {places:?}"
        );
        assert!(
            places.iter().any(|(p, _)| p.contains(" path ")),
            "{id}: no path argument in {places:?}"
        );
    }
    // The lowering found no place the independent walk did not: inline structs included, every
    // field holding an id is one of the declared properties or entity ids.
    let declared: BTreeSet<&str> = renames
        .ids()
        .values()
        .flat_map(|s| s.properties.iter().map(String::as_str))
        .collect();
    for def in &api.types {
        let TypeKind::Struct { fields } = &def.kind else {
            continue;
        };
        for f in fields {
            let holds_id = matches!(&f.ty, TypeRef::Named(n) if renames.ids().contains_key(n))
                || matches!(&f.ty, TypeRef::List(inner) if matches!(&**inner, TypeRef::Named(n) if renames.ids().contains_key(n)));
            if holds_id {
                let key = def.origin.trim_start_matches("#/components/schemas/");
                assert!(
                    f.wire == "id"
                        || declared.contains(f.wire.as_str())
                        || declared.contains(format!("{key}.{}", f.wire).as_str()),
                    "{}.{} holds an id the table does not declare",
                    def.origin,
                    f.wire
                );
            }
        }
    }
    // Two UUID arguments of one operation that name different entities can no longer be swapped.
    let move_article = api
        .groups
        .iter()
        .flat_map(|g| &g.operations)
        .find(|op| op.id == "patchKnowledgeArticlesArticleidParentParentid")
        .expect("move_article");
    let types: Vec<&TypeRef> = move_article.path_params.iter().map(|p| &p.ty).collect();
    assert_eq!(
        types,
        [
            &TypeRef::Named(generator::naming::type_name("ArticleId")),
            &TypeRef::Named(generator::naming::type_name("CategoryId"))
        ]
    );
    // The names of the issue, and their raw types.
    let raw = |name: &str| match api.types.iter().find(|t| t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Id { raw }) => Some(raw.clone()),
        _ => None,
    };
    assert_eq!(raw("ConversationId"), Some(TypeRef::I64));
    for name in [
        "AgentId",
        "EndUserId",
        "TeamId",
        "QueueId",
        "TagId",
        "ArticleId",
    ] {
        assert_eq!(raw(name), Some(TypeRef::Uuid), "{name}");
    }
}

fn lower_small(spec: Value, ids: &str) -> generator::error::Result<Api> {
    let renames = Renames::from_str(Path::new("renames.yaml"), ids).expect("valid table");
    let spec = generator::lower::parse(spec).expect("valid OpenAPI");
    generator::lower::lower(&spec, &renames, &generator::policy::NameLock::none())
}

fn small_spec(thing_id: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things/{thingId}": {"get": {
            "operationId": "getThing",
            "tags": ["Things"],
            "parameters": [{"name": "thingId", "in": "path", "required": true,
                            "schema": {"type": "string", "format": "uuid"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}
        }}},
        "components": {"schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": {"id": thing_id}},
            "Link": {"type": "object", "properties": {"thingIds": {"type": "array",
                "items": {"type": "string", "format": "uuid"}}}}
        }}
    })
}

const THING_IDS: &str = "
ids:
  ThingId:
    raw: uuid
    doc: A thing.
    schemas: [Thing]
    properties: [thingIds]
    params: [thingId]
";

#[test]
fn a_small_spec_gets_one_id_type_everywhere() {
    let api = lower_small(
        small_spec(json!({"type": "string", "format": "uuid"})),
        THING_IDS,
    )
    .expect("lowers");
    let id = TypeRef::Named(generator::naming::type_name("ThingId"));
    let field = |ty: &str, wire: &str| {
        api.types
            .iter()
            .find(|t| t.name == ty)
            .and_then(|t| match &t.kind {
                TypeKind::Struct { fields } => {
                    fields.iter().find(|f| f.wire == wire).map(|f| f.ty.clone())
                }
                _ => None,
            })
    };
    assert_eq!(field("Thing", "id"), Some(id.clone()));
    assert_eq!(
        field("Link", "thingIds"),
        Some(TypeRef::List(Box::new(id.clone())))
    );
    assert_eq!(api.groups[0].operations[0].path_params[0].ty, id);
    assert!(api.places.iter().any(
        |((kind, place), name)| *kind == generator::ir::PlaceKind::Type
            && place.contains("ids/ThingId")
            && name == "ThingId"
    ));
}

#[test]
fn a_place_whose_type_disagrees_with_the_table_stops_the_generator() {
    let err = lower_small(small_spec(json!({"type": "string"})), THING_IDS)
        .expect_err("Thing.id is a plain string")
        .to_string();
    assert!(
        err.contains("#/components/schemas/Thing/properties/id"),
        "{err}"
    );
    assert!(err.contains("overrides.yaml"), "{err}");
}

#[test]
fn a_table_entry_that_matches_nothing_stops_the_generator() {
    let table = format!("{THING_IDS}    properties: [thingIds, gadgetId]\n")
        .replace("    properties: [thingIds]\n", "");
    let err = lower_small(
        small_spec(json!({"type": "string", "format": "uuid"})),
        &table,
    )
    .expect_err("gadgetId is nowhere")
    .to_string();
    assert!(err.contains("ids.ThingId.properties.gadgetId"), "{err}");
}

#[test]
fn sdk_ids_convert_display_and_parse_as_their_raw_value() {
    use dixa::models::{AgentId, ConversationId, TeamId};
    let raw = uuid::Uuid::from_u128(0x1234);
    let agent = AgentId::from(raw);
    assert_eq!(uuid::Uuid::from(agent), raw);
    assert_eq!(agent.to_string(), raw.to_string());
    assert_eq!(raw.to_string().parse::<AgentId>().expect("a uuid"), agent);
    assert!("12".parse::<TeamId>().is_err());
    let conversation: ConversationId = "12345678901".parse().expect("an integer");
    assert_eq!(i64::from(conversation), 12_345_678_901);
    assert_eq!(
        serde_json::to_value(conversation).expect("encodes"),
        json!(12_345_678_901_i64)
    );
    // A team from a list has the type `get_team` takes, so it can be passed straight back.
    let team: dixa::models::TeamDetails =
        serde_json::from_value(json!({"id": raw.to_string(), "name": "Support"})).expect("decodes");
    let _: TeamId = team.id;
}

#[tokio::test]
async fn path_methods_take_the_id_or_its_raw_value() {
    let server = MockServer::start().await;
    let raw = uuid::Uuid::from_u128(7);
    Mock::given(method("DELETE"))
        .and(path(format!("/beta/teams/{raw}")))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/beta/conversations/42/reopen"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = dixa::Client::builder()
        .api_key("k")
        .base_url(server.uri())
        .retry(dixa::RetryPolicy::none())
        .build()
        .expect("valid configuration");
    client.teams().delete_team(raw).await.expect("a raw uuid");
    client
        .teams()
        .delete_team(dixa::models::TeamId::from(raw))
        .await
        .expect("a TeamId");
    client
        .conversations()
        .reopen_conversation(42)
        .await
        .expect("an integer literal");
    client
        .conversations()
        .reopen_conversation(dixa::models::ConversationId::from(42))
        .await
        .expect("a ConversationId");
}
