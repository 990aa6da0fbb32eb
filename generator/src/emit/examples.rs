//! The `# Example` of every operation: a `no_run` doc test that calls the operation the way the
//! spec's own examples show and uses its answer, compiled by `cargo test --doc` so it cannot drift
//! from the SDK.
//!
//! The request body is built from the spec's example with the typed constructors (`T::new` with the
//! required fields, `with_` setters for the others, `Union::from(variant)`), so the example also
//! teaches how models are built. Where the example cannot be written that way (a key the type does
//! not have, a required field missing, a value of the wrong kind), the body is decoded from the
//! example's JSON instead, which still compiles and still shows the spec's data. Path and query
//! arguments, and a body the spec gives no example of, take the values the spec's examples give
//! ([`samples`]); only what no example shows is a placeholder of the right type. The answer is then
//! used as a caller would ([`answer`]): a field read, a list walked, a union's accessor.

mod answer;
mod samples;

pub use samples::Samples;

use super::constructors::{self, Shape};
use crate::ir::{BodyEncoding, Field, Group, Operation, TypeDef, TypeKind, TypeRef};
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
    /// The values of the spec's examples, for what the example being written does not give.
    samples: &'a Samples,
    /// How many values were placeholders, which no example of the spec gave.
    placeholders: usize,
}

/// What an example's values come from, for the sentence that introduces it: the body's source
/// (when it has one) and whether the arguments (when it takes any) are all the spec's examples.
fn source(body: Option<&str>, args: Option<bool>) -> String {
    match (body, args) {
        (Some("the spec's example body"), Some(true)) => {
            "with the spec's example body and arguments".to_owned()
        }
        (Some(body), Some(true)) => format!("with {body} and the spec's example arguments"),
        (Some(body), Some(false)) => format!("with {body} and placeholder arguments"),
        (Some(body), None) => format!("with {body}"),
        (None, Some(true)) => "with the spec's example arguments".to_owned(),
        (None, Some(false)) => "with placeholder arguments".to_owned(),
        (None, None) => "without arguments".to_owned(),
    }
}

/// The `# Example` section of an operation's documentation (markdown, without trailing newline).
pub fn section(
    op: &Operation,
    group: &Group,
    types: &BTreeMap<&str, &TypeDef>,
    samples: &Samples,
) -> String {
    // The operation's own examples first: the id `getAgent` answers with is the one to ask for.
    let own = Samples::new([op], types);
    let mut w = Writer {
        types,
        uses: BTreeSet::new(),
        samples,
        placeholders: 0,
    };
    let mut lines: Vec<String> = Vec::new();
    let mut args: Vec<String> = Vec::new();
    for p in op.path_params.iter().chain(&op.required_query) {
        let from_spec = p
            .example
            .iter()
            .chain(own.for_param(&op.path, &p.wire, &p.ty))
            .chain(samples.for_param(&op.path, &p.wire, &p.ty))
            .find_map(|v| w.argument_of(&p.ty, v));
        args.push(from_spec.unwrap_or_else(|| {
            w.placeholders += 1;
            w.argument(&p.ty, &p.wire)
        }));
    }
    let arg_source = (!args.is_empty()).then_some(w.placeholders == 0);
    let mut setters = String::new();
    let mut body_source = None;
    if let Some(body) = op
        .body
        .as_ref()
        .filter(|b| matches!(b.encoding, BodyEncoding::Binary { .. }))
    {
        // Bytes are taken by value as anything that converts into `Binary`: a file's content.
        lines.push("let body = std::fs::read(\"upload.bin\")?;".to_owned());
        body_source = Some("a file's content as the body");
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
        let before = w.placeholders;
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
        body_source = Some(match (&body.example, w.placeholders > before) {
            (Some(_), _) => "the spec's example body",
            (None, false) => "a body of the spec's example values",
            (None, true) => "a placeholder body",
        });
        lines.push(format!("let body = {expr};"));
        if body.required {
            args.push("&body".to_owned());
        } else {
            setters.push_str("\n    .body(&body)");
        }
    }
    let call = format!(
        "client.{}().{}({}){setters}",
        group.accessor.as_str(),
        op.name,
        args.join(", ")
    );
    let mut traits = Vec::new();
    lines.extend(answer::lines(
        op,
        &call,
        group.module.as_str(),
        types,
        &mut traits,
    ));
    let mut code = String::new();
    code.push_str(
        "# async fn example(client: &dixa::Client) -> Result<(), Box<dyn std::error::Error>> {\n",
    );
    for t in &traits {
        code.push_str(&format!("use {t};\n"));
    }
    if !w.uses.is_empty() {
        let uses: Vec<&str> = w.uses.iter().map(String::as_str).collect();
        if uses.len() == 1 {
            code.push_str(&format!("use dixa::models::{};\n", uses[0]));
        } else {
            code.push_str(&format!("use dixa::models::{{{}}};\n", uses.join(", ")));
        }
    }
    if !traits.is_empty() || !w.uses.is_empty() {
        code.push('\n');
    }
    for line in lines {
        code.push_str(&line);
        code.push('\n');
    }
    code.push_str("# Ok(())\n# }");
    let source = source(body_source, arg_source);
    format!("# Example\n\nA call {source}:\n\n```no_run\n{code}\n```")
}

impl Writer<'_> {
    /// The spec's example `value` as the argument of a path or required query parameter of type
    /// `ty`, or `None` when the type cannot hold it.
    fn argument_of(&mut self, ty: &TypeRef, value: &Value) -> Option<String> {
        // A string argument takes `&str`; an id `impl Into<Id>`, which the id itself satisfies.
        let pos = if *ty == TypeRef::String {
            Pos::Into
        } else {
            Pos::Exact
        };
        let expr = self.value(ty, value, pos, 0)?;
        Some(
            if *ty == TypeRef::String || ty.is_small_copy() || self.is_id(ty) {
                expr
            } else {
                format!("&{expr}")
            },
        )
    }

    fn is_id(&self, ty: &TypeRef) -> bool {
        crate::ir::is_id(ty, self.types)
    }

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

    /// The spec's example value of a field of struct `owner` or of an id or enum type, written as
    /// `ty`; `None` when the examples show none that `ty` can hold.
    fn sample(&mut self, owner: Option<(&str, &str)>, ty: &TypeRef, pos: Pos) -> Option<String> {
        let samples = self.samples;
        let by_type = match ty {
            TypeRef::Named(name) => samples.for_type(name.as_str()),
            _ => None,
        };
        let by_field = owner.and_then(|(owner, wire)| samples.for_field(owner, wire));
        by_type
            .into_iter()
            .chain(by_field)
            .find_map(|v| self.value(ty, v, pos, 0))
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
        if let Some(value) = self.sample(None, ty, pos) {
            return Some(value);
        }
        if !matches!(ty, TypeRef::Named(_) | TypeRef::List(_)) {
            self.placeholders += 1;
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
                        self.placeholders += 1;
                        let first = values.first()?;
                        format!("{}::{}", self.model(name), first.name)
                    }
                    TypeKind::Struct { fields } => {
                        self.new_call(name, fields, depth, |w, f, pos| {
                            match w.sample(Some((name.as_str(), &f.wire)), &f.ty, pos) {
                                Some(value) => Some(value),
                                None => w.placeholder(&f.ty, pos, depth + 1),
                            }
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
                        self.placeholders += 1;
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
mod tests;
