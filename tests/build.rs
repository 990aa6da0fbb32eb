//! Generates test code from the spec, through the generator's own pipeline, so the tests cover what
//! the spec holds rather than a hand-picked list. Nothing of it is committed; it follows the spec, the
//! overrides and the renames on every build.
//!
//! * `dispatch.rs`: component schema key -> the SDK type that decodes it, for every component schema,
//!   and struct name -> its round trip, for every struct.
//! * `calls.rs`: operationId -> a call of the SDK method with placeholder parameters and a given
//!   body, or a minimal valid body sampled from the body's type.

use generator::ir::{Api, Operation, TypeKind, TypeRef};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec_path = root.join("spec/dixa-api.yaml");
    for input in [
        "spec/dixa-api.yaml",
        "spec/overrides.yaml",
        "spec/renames.yaml",
    ] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out_dir = Path::new(&out_dir);

    let api = lower(&spec_path);
    std::fs::write(out_dir.join("dispatch.rs"), dispatch(&api)).expect("OUT_DIR is writable");
    std::fs::write(out_dir.join("calls.rs"), calls(&api)).expect("OUT_DIR is writable");
}

fn lower(spec_path: &Path) -> Api {
    generator::api(&generator::Config::beside(spec_path)).expect("the spec lowers")
}

/// The round trip of every component schema (the examples' and the random instances' schemas), by
/// key, through the type the generator made of it.
fn dispatch(api: &Api) -> String {
    let keys: BTreeSet<(String, &str)> = api
        .types
        .iter()
        .filter_map(|t| {
            let key = t.origin.strip_prefix("#/components/schemas/")?;
            (!key.contains('/') && !key.contains(", "))
                .then(|| (key.replace("~1", "/").replace("~0", "~"), t.name.as_str()))
        })
        .collect();
    let mut code = String::from(
        "/// Decodes `value` as the SDK type of component schema `key` and encodes it again.\n\
         #[allow(deprecated)]\n\
         pub fn round_trip(key: &str, value: &serde_json::Value) -> Option<Result<serde_json::Value, String>> {\n\
         \x20   Some(match key {\n",
    );
    for (key, name) in &keys {
        let _ = writeln!(
            code,
            "        {key:?} => crate::wire::round_trip::<dixa::models::{name}>(value),"
        );
    }
    code.push_str("        _ => return None,\n    })\n}\n\n");
    code.push_str("/// Every component schema key the dispatch knows, sorted.\npub const SCHEMAS: &[&str] = &[\n");
    for (key, _) in &keys {
        let _ = writeln!(code, "    {key:?},");
    }
    code.push_str("];\n\n");
    // Every struct by its Rust name, inline ones included, for the tests that go through the IR's
    // types (`nulls.rs`).
    code.push_str(
        "/// Decodes `value` as the SDK struct named `name` and encodes it again.\n\
         #[allow(deprecated)]\n\
         pub fn round_trip_struct(name: &str, value: &serde_json::Value) -> Option<Result<serde_json::Value, String>> {\n\
         \x20   Some(match name {\n",
    );
    let structs: BTreeSet<&str> = api
        .types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct { .. }))
        .map(|t| t.name.as_str())
        .collect();
    for name in structs {
        let _ = writeln!(
            code,
            "        {name:?} => crate::wire::round_trip::<dixa::models::{name}>(value),"
        );
    }
    code.push_str("        _ => return None,\n    })\n}\n");
    code
}

fn calls(api: &Api) -> String {
    let mut code = String::from(
        "/// Calls operation `id` through the SDK with placeholder path and query parameters and `body`\n\
         /// (decoded into the operation's body type; a minimal valid body when `None`). `None` for an
/// unknown id.\n\
         #[allow(deprecated)]\n\
         pub async fn call(client: &dixa::Client, id: &str, body: Option<&serde_json::Value>) -> Option<Result<(), dixa::Error>> {\n\
         \x20   Some(match id {\n",
    );
    for group in &api.groups {
        for op in &group.operations {
            let _ = writeln!(
                code,
                "        {:?} => client.{}().{}.await.map(drop),",
                op.id,
                group.accessor,
                call_expr(op, api)
            );
        }
    }
    code.push_str("        _ => return None,\n    })\n}\n\n");
    code.push_str(
        "/// Every operationId of the spec, with its method and path template.\n\
         pub const OPERATIONS: &[(&str, &str, &str)] = &[\n",
    );
    for op in api.groups.iter().flat_map(|g| &g.operations) {
        let _ = writeln!(
            code,
            "    ({:?}, {:?}, {:?}),",
            op.id,
            op.method.as_str(),
            op.path
        );
    }
    code.push_str("];\n");
    code
}

/// A minimal valid JSON value of a type: required members, the first enum value or union variant,
/// one element per list (some lists require one).
fn sample(ty: &TypeRef, api: &Api, depth: usize) -> serde_json::Value {
    use serde_json::{json, Value};
    if depth > 12 {
        return Value::Null;
    }
    match ty {
        TypeRef::String => json!("text"),
        TypeRef::I32 | TypeRef::I64 => json!(1),
        TypeRef::F32 | TypeRef::F64 => json!(1.5),
        TypeRef::Bool => json!(true),
        TypeRef::Uuid => json!("00000000-0000-0000-0000-000000000001"),
        TypeRef::DateTime => json!("2024-03-11T16:39:30Z"),
        TypeRef::Binary => json!([104, 105]),
        TypeRef::Json | TypeRef::Map(_) | TypeRef::KeyedMap(..) | TypeRef::Pending(_) => {
            json!({})
        }
        // A multipart form carries a list of files as repeated parts, which a server can only read as
        // a list when there are at least two.
        TypeRef::List(item) if **item == TypeRef::Binary => json!([[104, 105], [104, 111]]),
        TypeRef::List(item) => json!([sample(item, api, depth + 1)]),
        TypeRef::Named(name) => {
            let Some(def) = api.types.iter().find(|t| &t.name == name) else {
                return Value::Null;
            };
            match &def.kind {
                // Required members only; all members when none is required, so that a body is never
                // empty (a server may refuse an empty form).
                TypeKind::Struct { fields } => {
                    let any_required = fields.iter().any(|f| f.required);
                    Value::Object(
                        fields
                            .iter()
                            .filter(|f| f.required || (!any_required && depth == 0))
                            .map(|f| (f.wire.clone(), sample(&f.ty, api, depth + 1)))
                            .collect(),
                    )
                }
                TypeKind::Alias { target } => sample(target, api, depth + 1),
                TypeKind::StringEnum { values } => {
                    json!(values.first().map(|v| v.wire.as_str()).unwrap_or(""))
                }
                TypeKind::TaggedUnion { tag, variants } => match variants.first() {
                    Some(v) => {
                        let mut value = sample(&TypeRef::Named(v.ty.clone()), api, depth + 1);
                        if let Value::Object(map) = &mut value {
                            map.insert(tag.property.clone(), json!(v.tag));
                        }
                        value
                    }
                    None => json!({}),
                },
                TypeKind::Untagged { variants } => variants
                    .first()
                    .map_or(Value::Null, |v| sample(&v.ty, api, depth + 1)),
                TypeKind::Id { raw } => sample(raw, api, depth + 1),
            }
        }
    }
}

/// The call of an operation's method with placeholder arguments, and the setter of an optional body.
fn call_expr(op: &Operation, api: &Api) -> String {
    // Ids that would accept the same raw value as another argument take the id alone; the others
    // take `impl Into<Id>` and get the raw value, which checks that it keeps being accepted, as it
    // was before ids were typed.
    let types = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let exact = generator::emit::constructors::exact_id_params(op, &types);
    let mut args: Vec<String> = op
        .path_params
        .iter()
        .enumerate()
        .map(|(i, p)| match &p.ty {
            TypeRef::Named(name) if exact.contains(&i) => {
                format!(
                    "dixa::models::{name}::from({})",
                    id_raw_placeholder(name, api)
                )
            }
            ty => placeholder(ty, api),
        })
        .chain(op.required_query.iter().map(|p| placeholder(&p.ty, api)))
        .collect();
    let mut setters = String::new();
    if let Some(body) = &op.body {
        let default = sample(&body.ty, api, 0).to_string();
        let value = match &body.ty {
            TypeRef::List(_) => {
                format!("crate::calls_support::body::<Vec<_>>(body, {default:?}).as_slice()")
            }
            _ => format!("&crate::calls_support::body(body, {default:?})"),
        };
        if body.required {
            args.push(value);
        } else {
            setters = format!(".body({value})");
        }
    }
    format!("{}({}){setters}", op.name, args.join(", "))
}

/// The raw value of a placeholder id of the id type `name`.
fn id_raw_placeholder(name: &generator::naming::RustIdent, api: &Api) -> String {
    match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Id { raw }) => placeholder(raw, api),
        _ => panic!("`{name}` is an id type"),
    }
}

/// A valid value of a path or query parameter.
fn placeholder(ty: &TypeRef, api: &Api) -> String {
    match ty {
        TypeRef::String => "\"placeholder\"".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "1".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "1.0".to_owned(),
        TypeRef::Bool => "true".to_owned(),
        TypeRef::Uuid => "uuid::Uuid::from_u128(1)".to_owned(),
        TypeRef::DateTime => {
            "&\"2024-03-11T16:39:30Z\".parse::<dixa::DateTime>().expect(\"valid\")".to_owned()
        }
        TypeRef::Named(name) => {
            let def = api.types.iter().find(|t| &t.name == name);
            // An id argument that takes `impl Into<Id>` is given the raw value.
            if let Some(TypeKind::Id { raw }) = def.map(|t| &t.kind) {
                return placeholder(raw, api);
            }
            let first = def.and_then(|t| match &t.kind {
                TypeKind::StringEnum { values } => values.first().map(|v| v.wire.clone()),
                _ => None,
            });
            match first {
                Some(value) => format!("&dixa::models::{name}::from({value:?})"),
                None => {
                    "&serde_json::from_value(serde_json::json!({})).expect(\"valid\")".to_owned()
                }
            }
        }
        TypeRef::List(_) => "&[]".to_owned(),
        _ => "&serde_json::from_value(serde_json::json!(null)).expect(\"valid\")".to_owned(),
    }
}
