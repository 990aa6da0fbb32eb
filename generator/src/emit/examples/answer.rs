//! The end of an operation's doc example: what a caller does with the answer. A list is walked
//! (across pages with `items()` where the operation pages), a struct shows a field worth reading
//! (its id or name first), a union is read through a variant's accessor, so the example teaches the
//! shape of the result rather than printing it with `{:?}`.

use crate::ir::{Operation, ResponseKind, TypeDef, TypeKind, TypeRef};
use crate::naming;
use std::collections::BTreeMap;

/// How deep the reading of nested values goes (a list of structs with a list field is enough).
const MAX_DEPTH: usize = 5;

/// Fields read before others, in this order, when a struct has them.
const PREFERRED: &[&str] = &[
    "id",
    "name",
    "display_name",
    "title",
    "email",
    "status",
    "state",
];

/// The lines of an example that await `call` (an expression without `.await`) and use the answer;
/// `uses` collects the traits to import.
pub fn lines(
    op: &Operation,
    call: &str,
    module: &str,
    types: &BTreeMap<&str, &TypeDef>,
    uses: &mut Vec<String>,
) -> Vec<String> {
    let reader = Reader { types };
    if let Some(pages) = &op.pagination {
        uses.push("futures_util::TryStreamExt".to_owned());
        let item = reader.var_of(&pages.item, "item");
        let mut out = vec![
            format!("let mut items = {call}.items();"),
            format!("while let Some({item}) = items.try_next().await? {{"),
        ];
        out.extend(indent(reader.read(&pages.item, &item, 0)));
        out.push("}".to_owned());
        return out;
    }
    match &op.response.kind {
        ResponseKind::Empty => vec![format!("{call}.await?;")],
        ResponseKind::Optional { variants } => match ResponseKind::optional_body(variants) {
            Some(kind) => {
                let mut out = vec![format!("if let Some(answer) = {call}.await? {{")];
                out.extend(indent(reader.body(kind, "answer")));
                out.push("}".to_owned());
                out
            }
            None => vec![format!("{call}.await?;")],
        },
        ResponseKind::ByStatus { name, variants } => {
            let mut out = vec![format!("match {call}.await? {{")];
            for v in variants {
                let pattern = format!("dixa::apis::{module}::{name}::{}", v.name.as_str());
                if v.kind == ResponseKind::Empty {
                    out.push(format!(
                        "    {pattern} => println!(\"status {}\"),",
                        v.status_text()
                    ));
                } else {
                    out.push(format!("    {pattern}(answer) => {{"));
                    out.extend(indent(indent(reader.body(&v.kind, "answer"))));
                    out.push("    }".to_owned());
                }
            }
            out.push("}".to_owned());
            out
        }
        kind => {
            let mut out = vec![format!("let answer = {call}.await?;")];
            out.extend(reader.body(kind, "answer"));
            out
        }
    }
}

/// `println!` of `expr` with `{}` (`debug`: `{:?}`): inline when it is a variable, as an argument
/// when it reads a field (format strings take names only).
fn print(expr: &str, debug: bool) -> String {
    let spec = if debug { ":?" } else { "" };
    if expr.contains('.') {
        format!("println!(\"{{{spec}}}\", {expr});")
    } else {
        format!("println!(\"{{{expr}{spec}}}\");")
    }
}

fn indent(lines: Vec<String>) -> Vec<String> {
    lines.into_iter().map(|l| format!("    {l}")).collect()
}

struct Reader<'a> {
    types: &'a BTreeMap<&'a str, &'a TypeDef>,
}

impl Reader<'_> {
    /// The lines that use the body `var` of one response.
    fn body(&self, kind: &ResponseKind, var: &str) -> Vec<String> {
        match kind {
            ResponseKind::Json(ty) | ResponseKind::Data { data: ty, .. } => self.read(ty, var, 0),
            ResponseKind::Text => vec![print(var, false)],
            ResponseKind::Bytes => vec![format!("std::fs::write(\"answer.bin\", &{var})?;")],
            _ => vec![print(var, true)],
        }
    }

    /// The name of a variable holding a value of `ty`: the type's name in snake case, or `fallback`.
    fn var_of(&self, ty: &TypeRef, fallback: &str) -> String {
        match ty {
            TypeRef::Named(name) => {
                let var = naming::field_name(name.as_str());
                // Names the example already uses, raw identifiers and long names would read badly.
                if var.is_raw()
                    || var.raw().split('_').count() > 3
                    || ["client", "body", "answer", "items"].contains(&var.raw())
                {
                    fallback.to_owned()
                } else {
                    var.raw().to_owned()
                }
            }
            _ => fallback.to_owned(),
        }
    }

    /// Whether `{}` prints a value of `ty` (scalars, ids, string enums, and aliases of those).
    fn displays(&self, ty: &TypeRef, depth: usize) -> bool {
        match ty {
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime => true,
            TypeRef::Named(name) if depth < MAX_DEPTH => {
                match self.types.get(name.as_str()).map(|d| &d.kind) {
                    Some(TypeKind::Id { .. } | TypeKind::StringEnum { .. }) => true,
                    Some(TypeKind::Alias { target }) => self.displays(target, depth + 1),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// The lines that use `var`, a value (or a reference to one) of `ty`.
    fn read(&self, ty: &TypeRef, var: &str, depth: usize) -> Vec<String> {
        if self.displays(ty, 0) {
            return vec![print(var, false)];
        }
        if depth >= MAX_DEPTH {
            return vec![print(var, true)];
        }
        match ty {
            TypeRef::List(inner) => {
                let item = self.var_of(inner, "item");
                let item = if item == var {
                    format!("{item}_item")
                } else {
                    item
                };
                let mut out = vec![format!("for {item} in &{var} {{")];
                out.extend(indent(self.read(inner, &item, depth + 1)));
                out.push("}".to_owned());
                out
            }
            TypeRef::Map(inner) | TypeRef::KeyedMap(_, inner) => {
                let mut out = vec![format!("for (key, value) in &{var} {{")];
                if self.displays(inner, 0) {
                    out.push("    println!(\"{key}: {value}\");".to_owned());
                } else {
                    out.push("    println!(\"{key}\");".to_owned());
                    out.extend(indent(self.read(inner, "value", depth + 1)));
                }
                out.push("}".to_owned());
                out
            }
            TypeRef::Named(name) => self.named(name.as_str(), var, depth),
            _ => vec![print(var, true)],
        }
    }

    fn named(&self, name: &str, var: &str, depth: usize) -> Vec<String> {
        let Some(def) = self.types.get(name) else {
            return vec![print(var, true)];
        };
        match &def.kind {
            TypeKind::Alias { target } => self.read(target, var, depth + 1),
            TypeKind::Struct { fields } => {
                let readable = |f: &&crate::ir::Field| !f.flatten && !f.boxed;
                // A wrapper's `data` is what it holds.
                if let Some(data) = fields
                    .iter()
                    .filter(readable)
                    .find(|f| f.wire == "data" && (f.required || f.empty_when_absent))
                {
                    return self.read(
                        &data.ty,
                        &format!("{var}.{}", data.name.as_str()),
                        depth + 1,
                    );
                }
                let rank = |f: &crate::ir::Field| {
                    PREFERRED
                        .iter()
                        .position(|p| *p == f.name.raw())
                        .unwrap_or(PREFERRED.len())
                };
                let mut shown: Vec<&crate::ir::Field> = fields
                    .iter()
                    .filter(readable)
                    .filter(|f| self.displays(&f.ty, 0))
                    .collect();
                shown.sort_by_key(|f| (!f.required, rank(f)));
                let Some(first) = shown.first() else {
                    // No field prints: walk the first list or nested value instead.
                    return match fields
                        .iter()
                        .filter(readable)
                        .find(|f| f.required || f.empty_when_absent)
                    {
                        Some(f) => {
                            self.read(&f.ty, &format!("{var}.{}", f.name.as_str()), depth + 1)
                        }
                        None => vec![print(var, true)],
                    };
                };
                let field = format!("{var}.{}", first.name.as_str());
                if first.required {
                    vec![print(&field, false)]
                } else {
                    let value = value_var(first.name.raw());
                    vec![
                        format!("if let Some({value}) = &{field} {{"),
                        format!("    println!(\"{{{value}}}\");"),
                        "}".to_owned(),
                    ]
                }
            }
            TypeKind::TaggedUnion { variants, .. } => {
                let names: Vec<&naming::RustIdent> = variants.iter().map(|v| &v.name).collect();
                let methods = naming::variant_methods(&names);
                if let Some(field) = self.shared_field(variants, &methods) {
                    let value = value_var(field.name.raw());
                    return vec![
                        format!("if let Some({value}) = {var}.{}() {{", field.name.as_str()),
                        format!("    println!(\"{{{value}}}\");"),
                        "}".to_owned(),
                    ];
                }
                let Some((variant, method)) = variants.iter().zip(&methods).next() else {
                    return vec![print(var, true)];
                };
                let inner = self.var_of(&TypeRef::Named(variant.ty.clone()), "variant");
                let inner = if inner == var {
                    "variant".to_owned()
                } else {
                    inner
                };
                let mut out = vec![format!(
                    "if let Some({inner}) = {var}.{}() {{",
                    method.as_ref.as_str()
                )];
                out.extend(indent(self.read(
                    &TypeRef::Named(variant.ty.clone()),
                    &inner,
                    depth + 1,
                )));
                out.push("}".to_owned());
                out
            }
            _ => vec![print(var, true)],
        }
    }
}

impl Reader<'_> {
    /// A field every variant of a tagged union carries alike and that prints, read through the
    /// union's accessor of that name (`conversation.id()`), as `unions.rs` writes the accessors:
    /// same wire and Rust name and type, not boxed, no other method of that name.
    fn shared_field(
        &self,
        variants: &[crate::ir::UnionVariant],
        methods: &[naming::VariantMethods],
    ) -> Option<&crate::ir::Field> {
        let structs: Option<Vec<&Vec<crate::ir::Field>>> = variants
            .iter()
            .map(|v| match self.types.get(v.ty.as_str()).map(|d| &d.kind) {
                Some(TypeKind::Struct { fields }) => Some(fields),
                _ => None,
            })
            .collect();
        let structs = structs?;
        let (first, rest) = structs.split_first()?;
        let taken: Vec<String> = naming::union_methods()
            .iter()
            .map(|m| m.raw().to_owned())
            .chain(
                methods
                    .iter()
                    .flat_map(|m| [m.is.raw().to_owned(), m.as_ref.raw().to_owned()]),
            )
            .collect();
        let mut shared: Vec<&crate::ir::Field> = first
            .iter()
            .filter(|f| !f.flatten && !f.boxed && !taken.iter().any(|t| t == f.name.raw()))
            .filter(|f| {
                rest.iter().all(|fields| {
                    fields
                        .iter()
                        .any(|g| g.wire == f.wire && g.name == f.name && g.ty == f.ty && !g.boxed)
                })
            })
            .filter(|f| self.displays(&f.ty, 0))
            .collect();
        shared.sort_by_key(|f| {
            PREFERRED
                .iter()
                .position(|p| *p == f.name.raw())
                .unwrap_or(PREFERRED.len())
        });
        shared.first().copied()
    }
}

/// The variable bound to an optional field's value: the field's name, unless it is a keyword.
fn value_var(field: &str) -> String {
    let var = naming::field_name(field);
    if var.is_raw() {
        "value".to_owned()
    } else {
        var.raw().to_owned()
    }
}
