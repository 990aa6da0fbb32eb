//! The `# Example` of every operation: a `no_run` doc test that calls the operation the way the
//! spec's own example shows, compiled by `cargo test --doc` so it cannot drift from the SDK.
//!
//! The request body is built from the spec's example with the typed constructors (`T::new` with the
//! required fields, `with_` setters for the others, `Union::from(variant)`), so the example also
//! teaches how models are built. Where the example cannot be written that way (a key the type does
//! not have, a required field missing, a value of the wrong kind), the body is decoded from the
//! example's JSON instead, which still compiles and still shows the spec's data. An operation
//! without an example body gets one built from placeholders of the right types; path and query
//! arguments are always placeholders, since the spec gives none.

use super::constructors::{self, Shape};
use crate::ir::{BodyEncoding, Field, Operation, TypeDef, TypeKind, TypeRef};
use crate::naming;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Recursion limit for nested values: deeper examples fall back to JSON.
const MAX_DEPTH: usize = 24;

/// How a value is passed: to an `impl Into<T>` parameter (`"text"` suffices for a `String`) or
/// where exactly `T` is expected (inside `vec![...]`).
#[derive(Clone, Copy, PartialEq)]
enum Pos {
    Into,
    Exact,
}

/// Writes Rust expressions for values of IR types, remembering which model types it named.
struct Writer<'a> {
    types: &'a BTreeMap<&'a str, &'a TypeDef>,
    uses: BTreeSet<String>,
}

/// The `# Example` section of an operation's documentation (markdown, without trailing newline).
pub fn section(op: &Operation, accessor: &str, types: &BTreeMap<&str, &TypeDef>) -> String {
    let mut w = Writer {
        types,
        uses: BTreeSet::new(),
    };
    let mut lines: Vec<String> = Vec::new();
    let mut args: Vec<String> = Vec::new();
    for p in op.path_params.iter().chain(&op.required_query) {
        args.push(w.argument(&p.ty, &p.wire));
    }
    let mut setters = String::new();
    if let Some(body) = op
        .body
        .as_ref()
        .filter(|b| matches!(b.encoding, BodyEncoding::Binary { .. }))
    {
        // Bytes are taken by value as anything that converts into `Binary`: a file's content.
        lines.push("let body = std::fs::read(\"upload.bin\")?;".to_owned());
        if body.required {
            args.push("body".to_owned());
        } else {
            setters.push_str("\n    .body(body)");
        }
    } else if let Some(body) = &op.body {
        let typed = body
            .example
            .as_ref()
            .and_then(|example| w.value(&body.ty, example, Pos::Exact, 0));
        let expr = match (typed, &body.example) {
            (Some(expr), _) => expr,
            (None, Some(example)) => format!(
                "serde_json::from_value::<{}>(serde_json::json!({example}))?",
                w.type_text(&body.ty)
            ),
            (None, None) => w.placeholder(&body.ty, Pos::Exact, 0).unwrap_or_else(|| {
                format!(
                    "serde_json::from_value::<{}>(serde_json::json!({{}}))?",
                    w.type_text(&body.ty)
                )
            }),
        };
        lines.push(format!("let body = {expr};"));
        if body.required {
            args.push("&body".to_owned());
        } else {
            setters.push_str("\n    .body(&body)");
        }
    }
    let call = format!(
        "client.{accessor}().{}({}){setters}.await?",
        op.name,
        args.join(", ")
    );
    let returns_nothing = matches!(op.response.kind, crate::ir::ResponseKind::Empty);
    if returns_nothing {
        lines.push(format!("{call};"));
    } else {
        lines.push(format!("let answer = {call};"));
        lines.push("println!(\"{answer:?}\");".to_owned());
    }
    let mut code = String::new();
    code.push_str(
        "# async fn example(client: &dixa::Client) -> Result<(), Box<dyn std::error::Error>> {\n",
    );
    if !w.uses.is_empty() {
        let uses: Vec<&str> = w.uses.iter().map(String::as_str).collect();
        if uses.len() == 1 {
            code.push_str(&format!("use dixa::models::{};\n\n", uses[0]));
        } else {
            code.push_str(&format!("use dixa::models::{{{}}};\n\n", uses.join(", ")));
        }
    }
    for line in lines {
        code.push_str(&line);
        code.push('\n');
    }
    code.push_str("# Ok(())\n# }");
    let source = if op.body.as_ref().is_some_and(|b| b.example.is_some()) {
        "with the spec's example body"
    } else {
        "with placeholder arguments"
    };
    format!("# Example\n\nA call {source}:\n\n```no_run\n{code}\n```")
}

impl Writer<'_> {
    /// A placeholder argument of a path or required query parameter, written as the method takes it.
    fn argument(&mut self, ty: &TypeRef, wire: &str) -> String {
        // An id argument is `impl Into<Id>`: it takes the id (or its raw value) by value.
        if let TypeRef::Named(name) = ty {
            let types = self.types;
            if let Some(TypeKind::Id { raw }) = types.get(name.as_str()).map(|d| &d.kind) {
                if let Some(value) = self.placeholder(raw, Pos::Exact, 0) {
                    return format!("{}::from({value})", self.model(name));
                }
            }
        }
        let value = match ty {
            TypeRef::String => Some(format!("{:?}", placeholder_text(wire))),
            _ => self.placeholder(ty, Pos::Exact, 0),
        };
        let value = value.unwrap_or_else(|| {
            format!(
                "serde_json::from_value::<{}>(serde_json::json!(null))?",
                self.type_text(ty)
            )
        });
        // As `arg_tokens` takes it: small scalars by value, a string literal is already `&str`.
        if *ty == TypeRef::String || ty.is_small_copy() {
            value
        } else {
            format!("&{value}")
        }
    }

    /// The Rust type of `ty` as [`TypeRef::rust`] spells it, naming model types by their imported
    /// name (which the example's `use` line then imports).
    fn type_text(&mut self, ty: &TypeRef) -> String {
        self.import_models_of(ty);
        ty.rust("dixa", "")
    }

    /// Imports every model type `ty` names (items, map keys and values included).
    fn import_models_of(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Named(name) => {
                self.model(name);
            }
            TypeRef::List(next) | TypeRef::Map(next) => self.import_models_of(next),
            TypeRef::KeyedMap(key, value) => {
                self.import_models_of(key);
                self.import_models_of(value);
            }
            _ => {}
        }
    }

    fn model(&mut self, name: &str) -> String {
        self.uses.insert(name.to_owned());
        name.to_owned()
    }

    /// The expression of `value` as a `ty`, or `None` when the typed constructors cannot express
    /// it faithfully.
    fn value(&mut self, ty: &TypeRef, value: &Value, pos: Pos, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match (ty, value) {
            (TypeRef::String, Value::String(s)) => match pos {
                Pos::Into => format!("{s:?}"),
                Pos::Exact => format!("{s:?}.to_owned()"),
            },
            (TypeRef::Bool, Value::Bool(b)) => b.to_string(),
            (TypeRef::I32, Value::Number(n)) => i32::try_from(n.as_i64()?).ok()?.to_string(),
            (TypeRef::I64, Value::Number(n)) => {
                let n = n.as_i64()?;
                if pos == Pos::Into && i32::try_from(n).is_err() {
                    format!("{n}_i64")
                } else {
                    n.to_string()
                }
            }
            (TypeRef::F32 | TypeRef::F64, Value::Number(n)) => {
                let text = format!("{:?}", n.as_f64()?);
                if pos == Pos::Into && *ty == TypeRef::F32 {
                    format!("{text}_f32")
                } else {
                    text
                }
            }
            (TypeRef::Uuid, Value::String(s)) if is_uuid(s) => format!("uuid::uuid!({s:?})"),
            (TypeRef::DateTime, Value::String(s)) => format!("{s:?}.parse::<dixa::DateTime>()?"),
            (TypeRef::Json, value) => format!("serde_json::json!({value})"),
            (TypeRef::List(inner), Value::Array(items)) if items.is_empty() => {
                format!("Vec::<{}>::new()", self.type_text(inner))
            }
            (TypeRef::List(inner), Value::Array(items)) => {
                let items: Option<Vec<String>> = items
                    .iter()
                    .map(|v| self.value(inner, v, Pos::Exact, depth + 1))
                    .collect();
                format!("vec![{}]", items?.join(", "))
            }
            (TypeRef::Map(inner), Value::Object(entries)) if entries.is_empty() => {
                format!(
                    "std::collections::BTreeMap::<String, {}>::new()",
                    self.type_text(inner)
                )
            }
            (TypeRef::Map(inner), Value::Object(entries)) => {
                let entries: Option<Vec<String>> = entries
                    .iter()
                    .map(|(k, v)| {
                        let v = self.value(inner, v, Pos::Exact, depth + 1)?;
                        Some(format!("({k:?}.to_owned(), {v})"))
                    })
                    .collect();
                format!(
                    "std::collections::BTreeMap::from([{}])",
                    entries?.join(", ")
                )
            }
            (TypeRef::KeyedMap(..), Value::Object(entries)) if entries.is_empty() => {
                format!("{}::new()", self.type_text(ty).replacen('<', "::<", 1))
            }
            // A key is its enumeration's value through `From<&str>`, which keeps a key this SDK
            // does not know as `Unknown`.
            (TypeRef::KeyedMap(key, inner), Value::Object(entries)) => {
                let key = self.type_text(key);
                let entries: Option<Vec<String>> = entries
                    .iter()
                    .map(|(k, v)| {
                        let v = self.value(inner, v, Pos::Exact, depth + 1)?;
                        Some(format!("({key}::from({k:?}), {v})"))
                    })
                    .collect();
                format!(
                    "std::collections::BTreeMap::from([{}])",
                    entries?.join(", ")
                )
            }
            (TypeRef::Named(name), value) => return self.named(name, value, pos, depth),
            _ => return None,
        })
    }

    fn named(&mut self, name: &str, value: &Value, pos: Pos, depth: usize) -> Option<String> {
        let types = self.types;
        let def = types.get(name)?;
        match (&def.kind, value) {
            (TypeKind::Alias { target }, value) => self.value(target, value, pos, depth + 1),
            (TypeKind::StringEnum { values }, Value::String(s)) => {
                let ty = self.model(name);
                Some(match values.iter().find(|v| &v.wire == s) {
                    Some(known) => format!("{ty}::{}", known.name),
                    None => format!("{ty}::from({s:?})"),
                })
            }
            (TypeKind::Struct { fields }, Value::Object(object)) => {
                self.structure(name, fields, object, depth)
            }
            (TypeKind::TaggedUnion { tag, variants }, Value::Object(object)) => {
                let wire = object.get(&tag.property)?.as_str()?;
                let variant = variants.iter().find(|v| v.tag == wire)?;
                // A tag the union writes is no member of the variant's struct.
                let mut own = object.clone();
                if !tag.in_variants {
                    own.remove(&tag.property);
                }
                let inner = self.named(&variant.ty, &Value::Object(own), Pos::Exact, depth + 1)?;
                let unique = variants.iter().filter(|v| v.ty == variant.ty).count() == 1;
                let union = self.model(name);
                Some(match (unique, pos) {
                    (true, Pos::Into) => inner,
                    (true, Pos::Exact) => format!("{union}::from({inner})"),
                    (false, _) if variant.boxed => {
                        format!("{union}::{}(Box::new({inner}))", variant.name)
                    }
                    (false, _) => format!("{union}::{}({inner})", variant.name),
                })
            }
            (TypeKind::Untagged { variants }, value) => variants.iter().find_map(|v| {
                let inner = self.value(&v.ty, value, Pos::Exact, depth + 1)?;
                Some(format!("{}::{}({inner})", self.model(name), v.name))
            }),
            // An id converts from its raw value, which is what an `impl Into<Id>` argument takes.
            (TypeKind::Id { raw }, value) => {
                let inner = self.value(raw, value, Pos::Exact, depth + 1)?;
                Some(match pos {
                    Pos::Into => inner,
                    Pos::Exact => format!("{}::from({inner})", self.model(name)),
                })
            }
            _ => None,
        }
    }

    /// `T::new(required...)` followed by a `with_` setter per other member the example has.
    fn structure(
        &mut self,
        name: &str,
        fields: &[Field],
        object: &serde_json::Map<String, Value>,
        depth: usize,
    ) -> Option<String> {
        // A key the struct does not have would be lost; the tag of a union variant is written by
        // the union.
        if object
            .keys()
            .any(|k| k != "_type" && !fields.iter().any(|f| &f.wire == k))
        {
            return None;
        }
        let new = self.new_call(name, fields, depth, |w, f, pos| {
            let v = object.get(&f.wire).filter(|v| !v.is_null())?;
            w.value(&f.ty, v, pos, depth + 1)
        })?;
        let mut setters = Vec::new();
        for f in fields.iter().filter(|f| !f.required) {
            if let Some(v) = object.get(&f.wire).filter(|v| !v.is_null()) {
                let v = self.value(&f.ty, v, Pos::Into, depth + 1)?;
                setters.push(format!(".{}({v})", naming::setter_name(&f.name)));
            }
        }
        Some(if depth == 0 && !setters.is_empty() {
            // rustfmt's layout: a chain after a call written over several lines starts unindented.
            let indent = if new.contains('\n') { "" } else { "    " };
            format!("{new}\n{indent}{}", setters.join(&format!("\n{indent}")))
        } else {
            format!("{new}{}", setters.concat())
        })
    }

    /// The call of `name`'s `new` with the required fields' values, positional or as the struct's
    /// parameter struct (`constructors::shape` decides): the one place a constructor call is
    /// written. `value` writes a field's value for its position: an `impl Into` argument, or a
    /// struct literal's field of exactly the field's type. Set out over several lines at the top
    /// level, as rustfmt would.
    fn new_call(
        &mut self,
        name: &str,
        fields: &[Field],
        depth: usize,
        mut value: impl FnMut(&mut Self, &Field, Pos) -> Option<String>,
    ) -> Option<String> {
        let types = self.types;
        let def = types.get(name)?;
        match constructors::shape(&def.name, fields, types) {
            Shape::Positional(required) => {
                let args: Option<Vec<String>> = required
                    .into_iter()
                    .map(|f| value(self, f, Pos::Into))
                    .collect();
                let args = args?.join(", ");
                Some(format!("{}::new({args})", self.model(name)))
            }
            Shape::Named {
                name: params,
                fields: required,
                ..
            } => {
                let members: Option<Vec<String>> = required
                    .into_iter()
                    .map(|f| Some(format!("{}: {}", f.name, value(self, f, Pos::Exact)?)))
                    .collect();
                let members = members?;
                let (ty, params) = (self.model(name), self.model(params.as_str()));
                Some(if depth == 0 {
                    let members: String = members.iter().map(|m| format!("    {m},\n")).collect();
                    format!("{ty}::new({params} {{\n{members}}})")
                } else {
                    format!("{ty}::new({params} {{ {} }})", members.join(", "))
                })
            }
        }
    }

    /// A value of `ty` built from placeholders: required fields only, the first variant of a union.
    fn placeholder(&mut self, ty: &TypeRef, pos: Pos, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match ty {
            TypeRef::String => match pos {
                Pos::Into => "\"text\"".to_owned(),
                Pos::Exact => "\"text\".to_owned()".to_owned(),
            },
            TypeRef::Bool => "true".to_owned(),
            TypeRef::I32 | TypeRef::I64 => "12345".to_owned(),
            TypeRef::F32 if pos == Pos::Into => "1.0_f32".to_owned(),
            TypeRef::F32 | TypeRef::F64 => "1.0".to_owned(),
            TypeRef::Uuid => format!("uuid::uuid!({PLACEHOLDER_UUID:?})"),
            TypeRef::DateTime => "\"2024-01-01T09:00:00Z\".parse::<dixa::DateTime>()?".to_owned(),
            TypeRef::Json => "serde_json::json!({})".to_owned(),
            TypeRef::Binary => {
                "dixa::Binary::new(std::fs::read(\"report.pdf\")?).with_file_name(\"report.pdf\")"
                    .to_owned()
            }
            TypeRef::List(inner) => {
                format!("vec![{}]", self.placeholder(inner, Pos::Exact, depth + 1)?)
            }
            TypeRef::Map(inner) => format!(
                "std::collections::BTreeMap::<String, {}>::new()",
                self.type_text(inner)
            ),
            TypeRef::KeyedMap(..) => {
                format!("{}::new()", self.type_text(ty).replacen('<', "::<", 1))
            }
            TypeRef::Pending(_) => return None,
            TypeRef::Named(name) => {
                let types = self.types;
                let def = types.get(name.as_str())?;
                match &def.kind {
                    TypeKind::Alias { target } => self.placeholder(target, pos, depth + 1)?,
                    TypeKind::StringEnum { values } => {
                        let first = values.first()?;
                        format!("{}::{}", self.model(name), first.name)
                    }
                    TypeKind::Struct { fields } => {
                        self.new_call(name, fields, depth, |w, f, pos| {
                            w.placeholder(&f.ty, pos, depth + 1)
                        })?
                    }
                    TypeKind::TaggedUnion { variants, .. } => {
                        let variant = variants
                            .iter()
                            .find(|v| variants.iter().filter(|w| w.ty == v.ty).count() == 1)?;
                        let inner = self.placeholder(
                            &TypeRef::Named(variant.ty.clone()),
                            Pos::Exact,
                            depth + 1,
                        )?;
                        match pos {
                            Pos::Into => inner,
                            Pos::Exact => format!("{}::from({inner})", self.model(name)),
                        }
                    }
                    TypeKind::Untagged { variants } => {
                        let variant = variants.first()?;
                        let inner = self.placeholder(&variant.ty, Pos::Exact, depth + 1)?;
                        format!("{}::{}({inner})", self.model(name), variant.name)
                    }
                    TypeKind::Id { raw } => {
                        let inner = self.placeholder(raw, Pos::Exact, depth + 1)?;
                        match pos {
                            Pos::Into => inner,
                            Pos::Exact => format!("{}::from({inner})", self.model(name)),
                        }
                    }
                }
            }
        })
    }
}

/// The UUID placeholder arguments use (a random version-4 UUID, so it reads as an example).
const PLACEHOLDER_UUID: &str = "3fa85f64-5717-4562-b3fc-2c963f66afa6";

/// A placeholder for a string path or query parameter, after its name (`userId` -> `"user-id"`).
fn placeholder_text(wire: &str) -> String {
    naming::field_name(wire)
        .raw()
        .trim_matches('_')
        .replace('_', "-")
}

/// Whether `text` is a UUID in the hyphenated form `uuid::uuid!` accepts.
fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Docs, EnumValue, UnionVariant};
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
        let mut w = Writer {
            types: &types,
            uses: BTreeSet::new(),
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
        let mut w = Writer {
            types: &types,
            uses: BTreeSet::new(),
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
}
