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
                let own = prop == "id" && spec.schemas.contains_key(key);
                let refers = spec
                    .properties
                    .keys()
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
                    .filter(|p| spec.params.contains_key(&p.wire))
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
        .flat_map(|s| s.properties.keys().map(String::as_str))
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
    schemas: {Thing: the thing itself}
    properties: {thingIds: a list of things}
    params: {thingId: the thing of the path}
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
    let table = format!("{THING_IDS}    properties: {{thingIds: things, gadgetId: gadgets}}\n")
        .replace("    properties: {thingIds: a list of things}\n", "");
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

/// Whether a Rust field or argument name says it holds an id: `id`, `*_id`, `*_ids`, or Dixa's
/// `csid` (a conversation id).
fn id_named(name: &str) -> bool {
    let name = name.trim_start_matches("r#");
    name == "id" || name.ends_with("_id") || name.ends_with("_ids") || name.ends_with("csid")
}

/// A type as the generated source writes it, without the `crate::models::` and `::std::convert::`
/// paths (only path types, `impl Trait`, references and slices occur in the places listed).
fn type_text(ty: &syn::Type) -> String {
    fn path_text(path: &syn::Path) -> String {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|s| {
                let args = match &s.arguments {
                    syn::PathArguments::None => String::new(),
                    syn::PathArguments::AngleBracketed(a) => {
                        let inner: Vec<String> = a
                            .args
                            .iter()
                            .map(|arg| match arg {
                                syn::GenericArgument::Type(t) => type_text(t),
                                _ => panic!("unexpected generic argument"),
                            })
                            .collect();
                        format!("<{}>", inner.join(", "))
                    }
                    _ => panic!("unexpected path arguments"),
                };
                format!("{}{args}", s.ident)
            })
            .collect();
        segments
            .join("::")
            .trim_start_matches("crate::models::")
            .trim_start_matches("std::convert::")
            .to_owned()
    }
    match ty {
        syn::Type::Path(p) => path_text(&p.path),
        syn::Type::Reference(r) => format!("&{}", type_text(&r.elem)),
        syn::Type::ImplTrait(t) => {
            let bounds: Vec<String> = t
                .bounds
                .iter()
                .map(|b| match b {
                    syn::TypeParamBound::Trait(t) => path_text(&t.path),
                    _ => panic!("unexpected bound in an impl type"),
                })
                .collect();
            format!("impl {}", bounds.join(" + "))
        }
        syn::Type::Slice(s) => format!("[{}]", type_text(&s.elem)),
        syn::Type::Tuple(t) if t.elems.is_empty() => "()".to_owned(),
        // Closures and other shapes never hold an id; they are named only so that nothing panics.
        _ => "(other)".to_owned(),
    }
}

/// Every field and argument of the generated SDK that holds an id, by its name or by its type:
/// `module::Type.field: Type` for struct fields, `module::Type::method(arg): Type` for arguments
/// (a builder setter named for an id, `with_external_id(value)`, by its method), sorted.
fn sdk_id_places(id_types: &BTreeSet<String>) -> Vec<(String, String)> {
    let src = root().join("generated/src");
    let mut files: Vec<(String, PathBuf)> = vec![
        ("models".into(), src.join("models.rs")),
        ("webhooks".into(), src.join("webhooks.rs")),
        ("webhooks::events".into(), src.join("webhooks/events.rs")),
    ];
    let mut apis: Vec<PathBuf> = std::fs::read_dir(src.join("apis"))
        .expect("generated/src/apis")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    apis.sort();
    for path in apis {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("a name");
        if stem != "mod" {
            files.push((format!("apis::{stem}"), path));
        }
    }
    let holds_id = |name: &str, ty: &str| {
        id_named(name)
            || ty
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| id_types.contains(word))
    };
    let mut out = Vec::new();
    for (module, path) in files {
        let text = std::fs::read_to_string(&path).expect("generated source");
        let file = syn::parse_file(&text).expect("generated source parses");
        // The fields of every struct, so that a constructor's parameter struct (`TagRequired`,
        // whose fields are the required fields of `Tag` with the same types) is not listed twice.
        let struct_fields: BTreeMap<String, BTreeSet<(String, String)>> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some((
                    s.ident.to_string(),
                    s.fields
                        .iter()
                        .filter_map(|f| Some((f.ident.as_ref()?.to_string(), type_text(&f.ty))))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        for item in file.items {
            match item {
                syn::Item::Struct(s)
                    if s.ident
                        .to_string()
                        .strip_suffix("Required")
                        .is_some_and(|model| {
                            struct_fields.get(model).is_some_and(|fields| {
                                struct_fields[&s.ident.to_string()]
                                    .iter()
                                    .all(|f| fields.contains(f))
                            })
                        }) => {}
                syn::Item::Struct(s) => {
                    for field in &s.fields {
                        let Some(name) = &field.ident else { continue };
                        let ty = type_text(&field.ty);
                        if holds_id(&name.to_string(), &ty) {
                            out.push((format!("{module}::{}.{name}", s.ident), ty));
                        }
                    }
                }
                syn::Item::Impl(imp) => {
                    let syn::Type::Path(owner) = &*imp.self_ty else {
                        continue;
                    };
                    let owner = owner
                        .path
                        .segments
                        .last()
                        .expect("a name")
                        .ident
                        .to_string();
                    for item in &imp.items {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        let method = f.sig.ident.to_string();
                        for input in &f.sig.inputs {
                            let syn::FnArg::Typed(arg) = input else {
                                continue;
                            };
                            let syn::Pat::Ident(arg_name) = &*arg.pat else {
                                continue;
                            };
                            let arg_name = arg_name.ident.to_string();
                            let ty = type_text(&arg.ty);
                            let by_method =
                                arg_name == "value" && id_named(method.trim_start_matches("with_"));
                            if by_method || holds_id(&arg_name, &ty) {
                                out.push((format!("{module}::{owner}::{method}({arg_name})"), ty));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The issue's rule: every field and argument that holds an entity's id has that entity's id type.
/// The snapshot lists them all with their types, so a regression (an id field turned raw by a spec
/// change, a new id field left raw) shows in review; an id-named place that is not typed must be
/// listed in tests/ids_kept_raw.yaml with the reason, and every entry there must still be raw.
#[test]
fn every_id_field_and_argument_is_listed_with_its_type() {
    let config = Config::beside(root().join("spec/dixa-api.yaml"));
    let (_, renames, _) = generator::policies(&config).expect("the policy files");
    let id_types: BTreeSet<String> = renames.ids().keys().map(|k| k.to_string()).collect();
    let places = sdk_id_places(&id_types);
    let typed = |ty: &str| {
        ty.split(|c: char| !c.is_alphanumeric())
            .any(|word| id_types.contains(word))
    };
    let kept: BTreeMap<String, String> = serde_yaml::from_str(
        &std::fs::read_to_string(root().join("tests/ids_kept_raw.yaml")).expect("the kept list"),
    )
    .expect("a map of place to reason");
    let raw: BTreeSet<&str> = places
        .iter()
        .filter(|(_, ty)| !typed(ty))
        .map(|(place, _)| place.as_str())
        .collect();
    let unexplained: Vec<&&str> = raw.iter().filter(|p| !kept.contains_key(**p)).collect();
    assert!(
        unexplained.is_empty(),
        "id places with a raw type and no reason in tests/ids_kept_raw.yaml (give them their id \
         type in spec/renames.yaml, or the reason to keep them raw): {unexplained:#?}"
    );
    let stale: Vec<&String> = kept.keys().filter(|p| !raw.contains(p.as_str())).collect();
    assert!(
        stale.is_empty(),
        "tests/ids_kept_raw.yaml lists places that are typed or gone: {stale:#?}"
    );
    assert!(
        kept.values().all(|reason| !reason.trim().is_empty()),
        "every kept place has its reason"
    );
    // The places the issue names have their entity's id type.
    let ty_of = |place: &str| {
        places
            .iter()
            .find(|(p, _)| p == place)
            .map(|(_, ty)| ty.as_str())
            .unwrap_or_else(|| panic!("no place {place}"))
    };
    assert_eq!(ty_of("models::TeamMember.id"), "AgentId");
    assert_eq!(ty_of("models::BulkPatchAgentInput.id"), "AgentId");
    assert_eq!(ty_of("models::InternalNoteData.csid"), "ConversationId");
    assert_eq!(ty_of("models::ConversationSearchHit.id"), "ConversationId");
    assert_eq!(ty_of("models::UserPresence.user_id"), "AgentId");
    assert_eq!(ty_of("models::ConversationRating.user_id"), "EndUserId");
    let listing: String = places
        .iter()
        .map(|(place, ty)| {
            let mark = if typed(ty) { "" } else { "  # kept raw" };
            format!("{place}: {ty}{mark}\n")
        })
        .collect();
    insta::assert_snapshot!("sdk_id_places", listing);
}

/// An agent listed as a team member, and an agent read whole, can be passed straight to the
/// operations and constructors that take an agent's id.
#[allow(dead_code)]
fn ids_from_models_flow_into_calls(
    client: &dixa::Client,
    member: dixa::models::TeamMember,
    agent: dixa::models::Agent,
    note: dixa::models::InternalNoteData,
    presence: dixa::models::UserPresence,
) {
    let _ = client.agents().get_agent(member.id);
    let _ = dixa::models::BulkPatchAgentInput::new(agent.id);
    let _ = client.conversations().get_conversation(note.csid);
    let _ = client.agents().get_presence(presence.user_id);
}
