//! How a constructor takes a struct's required fields: positionally (`Tag::new(name)`), or, where
//! two of them would accept the same value, as one parameter struct with named fields
//! (`Email::new(EmailRequired { from, to })`), so that no call can swap two arguments and still
//! compile. The same decision serves the struct's `new`, the short constructors of the tagged
//! unions it is a variant of, and the doc examples that call both.
//!
//! Whether two arguments can take the same value is judged by what `impl Into<T>` accepts, not by
//! `T` alone: a string literal converts into a `String`, a string-backed id and a string enum; an
//! integer literal into every numeric type; `vec![]` into any list. [`accepts`] is the one table of
//! those conversions, written from the `From` impls of the standard library, the runtime's macros
//! (`string_enum!`, `id!`, `tagged_union_helpers!`) and the runtime's `DateTime` and `Binary`.

use crate::ir::{is_id, BodyEncoding, Field, Operation, TypeDef, TypeKind, TypeRef};
use crate::naming::{self, RustIdent};
use std::collections::{BTreeMap, BTreeSet};

/// A kind of value that some `impl Into<T>` arguments accept: two arguments whose sets share one
/// can be given the same expression, so a call that swaps them compiles.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Accepts {
    /// `&str` and `String`: `String`, string-backed ids, string enums (`From<&str>`), `Binary` and
    /// `serde_json::Value`.
    Text,
    /// Numeric literals: every integer and float type converts from some literal type (`1`, `1u8`,
    /// `1.0`), and so do ids over integers and `serde_json::Value`.
    Number,
    /// `bool`: besides `bool`, every integer and float type has `From<bool>`, and so has
    /// `serde_json::Value`.
    Bool,
    /// `uuid::Uuid`: `Uuid` and every id over it.
    Uuid,
    /// `dixa::DateTime`, `chrono::DateTime` and `SystemTime`: `DateTime` alone.
    DateTime,
    /// `vec![...]`: any list, `Binary` (`Vec<u8>`) and `serde_json::Value`.
    List,
    /// `BTreeMap::new()`: any map, keyed by strings or by an enumeration.
    Map,
    /// A `serde_json::Value`.
    Json,
    /// A value of the named model type, which its unions with a `From` of it also accept.
    Type(String),
}

/// The kinds of value an `impl Into<ty>` argument accepts (`Box<ty>` accepts the same, through
/// `From<T> for Box<T>`).
pub fn accepts(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> BTreeSet<Accepts> {
    use Accepts::*;
    let kinds: Vec<Accepts> = match ty {
        TypeRef::String => vec![Text],
        TypeRef::Bool => vec![Bool],
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => vec![Number, Bool],
        TypeRef::Uuid => vec![Uuid],
        TypeRef::DateTime => vec![DateTime],
        TypeRef::Binary => vec![Text, List],
        TypeRef::Json => vec![Json, Text, Number, Bool, List],
        TypeRef::List(_) => vec![List],
        TypeRef::Map(_) | TypeRef::KeyedMap(..) => vec![Map],
        // Not left after lowering; judged as overlapping everything of its own kind.
        TypeRef::Pending(n) => vec![Type(format!("pending {n}"))],
        TypeRef::Named(name) => return named(name, types, 0),
    };
    kinds.into_iter().collect()
}

/// Aliases are followed this deep at most (a cycle of aliases is refused by lowering).
const MAX_ALIASES: usize = 16;

fn named(name: &RustIdent, types: &BTreeMap<&str, &TypeDef>, depth: usize) -> BTreeSet<Accepts> {
    let mut kinds = BTreeSet::from([Accepts::Type(name.raw().to_owned())]);
    match types.get(name.as_str()).map(|def| &def.kind) {
        Some(TypeKind::Alias { target }) if depth < MAX_ALIASES => {
            return match target {
                TypeRef::Named(next) => named(next, types, depth + 1),
                other => accepts(other, types),
            };
        }
        Some(TypeKind::StringEnum { .. }) => {
            kinds.insert(Accepts::Text);
        }
        Some(TypeKind::Id { raw }) => kinds.extend(accepts(raw, types)),
        // `tagged_union_helpers!` writes `From<Struct>` for every variant whose struct no other
        // variant carries.
        Some(TypeKind::TaggedUnion { variants, .. }) => {
            for v in variants {
                if variants.iter().filter(|w| w.ty == v.ty).count() == 1 {
                    kinds.insert(Accepts::Type(v.ty.raw().to_owned()));
                }
            }
        }
        _ => {}
    }
    kinds
}

/// The pairs of `fields` (in their order) whose arguments would accept the same value.
pub fn overlapping<'a>(
    fields: &[&'a Field],
    types: &BTreeMap<&str, &TypeDef>,
) -> Vec<(&'a Field, &'a Field)> {
    let kinds: Vec<BTreeSet<Accepts>> = fields.iter().map(|f| accepts(&f.ty, types)).collect();
    overlapping_pairs(&kinds.iter().collect::<Vec<_>>())
        .into_iter()
        .map(|(i, j)| (fields[i], fields[j]))
        .collect()
}

/// The pairs of indices (in order) whose sets of accepted kinds share one.
fn overlapping_pairs(kinds: &[&BTreeSet<Accepts>]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (i, a) in kinds.iter().enumerate() {
        for (j, b) in kinds.iter().enumerate().skip(i + 1) {
            if !a.is_disjoint(b) {
                pairs.push((i, j));
            }
        }
    }
    pairs
}

/// How a struct's `new` takes its required fields.
pub enum Shape<'a> {
    /// As arguments, in alphabetical order of their Rust names (raw-identifier prefix ignored), so a
    /// reordering of the spec never moves one; no two of them accept the same value.
    Positional(Vec<&'a Field>),
    /// As one parameter struct, `name`, with a public field per required field (the same order).
    Named {
        name: RustIdent,
        fields: Vec<&'a Field>,
        /// The pairs that made the struct necessary, for its documentation.
        overlaps: Vec<(&'a Field, &'a Field)>,
    },
}

/// How the constructor of the struct `name` with `fields` takes its required fields.
pub fn shape<'a>(
    name: &RustIdent,
    fields: &'a [Field],
    types: &BTreeMap<&str, &TypeDef>,
) -> Shape<'a> {
    let mut required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    required.sort_by(|a, b| a.name.raw().cmp(b.name.raw()));
    let overlaps = overlapping(&required, types);
    if overlaps.is_empty() {
        Shape::Positional(required)
    } else {
        Shape::Named {
            name: naming::required_struct_name(name),
            fields: required,
            overlaps,
        }
    }
}

/// The parameter structs `types` need, each with the struct it serves, or an error naming a
/// parameter struct whose name one of `types` already has (`Email` beside a schema named
/// `EmailRequired`), which a rename in `spec/renames.yaml` resolves.
pub fn parameter_structs(types: &[TypeDef]) -> crate::error::Result<Vec<(RustIdent, RustIdent)>> {
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut out = Vec::new();
    for def in types {
        let TypeKind::Struct { fields } = &def.kind else {
            continue;
        };
        if let Shape::Named { name, .. } = shape(&def.name, fields, &by_name) {
            if let Some(other) = by_name.get(name.as_str()) {
                return Err(crate::error::Error::Collision {
                    message: format!(
                        "`{name}`, the parameter struct of `{}::new` (whose required fields \
                         accept the same values), is also the type of {}; rename one of them in \
                         spec/renames.yaml",
                        def.name, other.origin
                    ),
                });
            }
            out.push((name, def.name.clone()));
        }
    }
    Ok(out)
}

/// The kinds of value an argument borrowed as `rust::arg_tokens` borrows it accepts: text as
/// `&str`, a list as a slice, small scalars by value (where a literal is still any number), and
/// anything else as `&T`, which takes a reference to that type alone.
fn borrowed_accepts(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>) -> BTreeSet<Accepts> {
    match ty {
        TypeRef::String => BTreeSet::from([Accepts::Text]),
        TypeRef::List(_) => BTreeSet::from([Accepts::List]),
        TypeRef::I32 | TypeRef::I64 | TypeRef::F32 | TypeRef::F64 => {
            BTreeSet::from([Accepts::Number])
        }
        TypeRef::Bool => BTreeSet::from([Accepts::Bool]),
        TypeRef::Named(name) => match types.get(name.as_str()).map(|d| &d.kind) {
            // `&Alias` is a reference to its target.
            Some(TypeKind::Alias { target }) if !matches!(target, TypeRef::Named(_)) => {
                borrowed_accepts(target, types)
            }
            _ => BTreeSet::from([Accepts::Type(name.raw().to_owned())]),
        },
        other => accepts(other, types),
    }
}

/// The arguments of an operation's method, each with what it accepts: the path parameters (an id
/// as `impl Into<Id>`, unless `exact` holds its index: then the id type alone), the required query
/// parameters and a required body.
fn method_arguments<'a>(
    op: &'a Operation,
    exact: &BTreeSet<usize>,
    types: &BTreeMap<&str, &TypeDef>,
) -> Vec<(&'a str, BTreeSet<Accepts>)> {
    let is_id = |ty: &TypeRef| is_id(ty, types);
    let mut args = Vec::new();
    for (i, p) in op.path_params.iter().enumerate() {
        let kinds = match &p.ty {
            TypeRef::Named(name) if is_id(&p.ty) && exact.contains(&i) => {
                BTreeSet::from([Accepts::Type(name.raw().to_owned())])
            }
            ty if is_id(ty) => accepts(ty, types),
            ty => borrowed_accepts(ty, types),
        };
        args.push((p.wire.as_str(), kinds));
    }
    for p in &op.required_query {
        args.push((p.wire.as_str(), borrowed_accepts(&p.ty, types)));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let kinds = match body.encoding {
            BodyEncoding::Binary { .. } => accepts(&TypeRef::Binary, types),
            _ => borrowed_accepts(&body.ty, types),
        };
        args.push(("body", kinds));
    }
    args
}

/// The path parameters of `op` (by index) whose method argument takes the id type itself rather
/// than `impl Into<Id>`: the ids that would accept the same raw value as another argument
/// (`move_article(article_id, parent_id)`, both ids over UUIDs), so a call names each id type
/// (`ArticleId::from(..)`, `CategoryId::from(..)`) and a swap does not compile. The one other way,
/// a parameter struct per such method, would read unlike every other method for no gain: the id
/// types already say which argument is which.
pub fn exact_id_params(op: &Operation, types: &BTreeMap<&str, &TypeDef>) -> BTreeSet<usize> {
    let args = method_arguments(op, &BTreeSet::new(), types);
    let kinds: Vec<&BTreeSet<Accepts>> = args.iter().map(|(_, kinds)| kinds).collect();
    let path_id = |k: usize| op.path_params.get(k).is_some_and(|p| is_id(&p.ty, types));
    overlapping_pairs(&kinds)
        .into_iter()
        .flat_map(|(i, j)| [i, j])
        .filter(|&k| path_id(k))
        .collect()
}

/// The pairs of `op`'s method arguments (by wire name) that accept the same value as the method
/// takes them, after [`exact_id_params`]: none in the beta spec, which a test keeps so.
#[cfg(test)]
fn overlapping_arguments<'a>(
    op: &'a Operation,
    types: &BTreeMap<&str, &TypeDef>,
) -> Vec<(&'a str, &'a str)> {
    let args = method_arguments(op, &exact_id_params(op, types), types);
    let kinds: Vec<&BTreeSet<Accepts>> = args.iter().map(|(_, kinds)| kinds).collect();
    overlapping_pairs(&kinds)
        .into_iter()
        .map(|(i, j)| (args[i].0, args[j].0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{
        accepts, exact_id_params, overlapping, overlapping_arguments, parameter_structs, shape,
        Accepts, Shape,
    };
    use crate::ir::{Docs, Field, TypeDef, TypeKind, TypeRef, UnionTag, UnionVariant};
    use crate::naming::RustIdent;
    use std::collections::BTreeMap;

    fn name(n: &str) -> RustIdent {
        RustIdent::checked_type(n).expect("a type name")
    }

    fn def(n: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name(n),
            origin: format!("#/components/schemas/{n}"),
            docs: Docs::default(),
            kind,
        }
    }

    fn field(wire: &str, ty: TypeRef) -> Field {
        Field {
            wire: wire.to_owned(),
            name: RustIdent::checked_field(wire).expect("a field name"),
            ty,
            place: String::new(),
            required: true,
            boxed: false,
            empty_when_absent: false,
            flatten: false,
            docs: Docs::default(),
        }
    }

    fn named(n: &str) -> TypeRef {
        TypeRef::Named(name(n))
    }

    fn sample() -> Vec<TypeDef> {
        let variant = |n: &str| UnionVariant {
            name: name(n),
            tag: n.to_owned(),
            ty: name(n),
            boxed: false,
            pending: None,
        };
        vec![
            def("AgentId", TypeKind::Id { raw: TypeRef::Uuid }),
            def(
                "TagName",
                TypeKind::Id {
                    raw: TypeRef::String,
                },
            ),
            def("Count", TypeKind::Id { raw: TypeRef::I64 }),
            def("Channel", TypeKind::StringEnum { values: Vec::new() }),
            def(
                "Label",
                TypeKind::Alias {
                    target: TypeRef::String,
                },
            ),
            def("Text", TypeKind::Struct { fields: Vec::new() }),
            def("Image", TypeKind::Struct { fields: Vec::new() }),
            def(
                "Content",
                TypeKind::TaggedUnion {
                    tag: UnionTag {
                        property: "_type".to_owned(),
                        in_variants: true,
                    },
                    variants: vec![variant("Text"), variant("Image")],
                },
            ),
        ]
    }

    fn overlap(a: TypeRef, b: TypeRef) -> bool {
        let types = sample();
        let types: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
        let (a, b) = (field("a", a), field("b", b));
        !overlapping(&[&a, &b], &types).is_empty()
    }

    #[test]
    fn arguments_overlap_when_one_expression_converts_into_both() {
        // `"x"` is a `String`, a string-backed id, a string enum and an alias of `String`.
        assert!(overlap(TypeRef::String, named("TagName")));
        assert!(overlap(TypeRef::String, named("Channel")));
        assert!(overlap(named("Channel"), named("Label")));
        assert!(overlap(TypeRef::String, TypeRef::Json));
        assert!(overlap(TypeRef::String, TypeRef::Binary));
        // `1` (or `1u8`, `true`) converts into every number and integer id.
        assert!(overlap(TypeRef::I32, TypeRef::F64));
        assert!(overlap(TypeRef::F32, named("Count")));
        assert!(overlap(TypeRef::Bool, TypeRef::I64));
        // A `Uuid` is every id over it; `vec![]` every list; `BTreeMap::new()` every map.
        assert!(overlap(TypeRef::Uuid, named("AgentId")));
        assert!(overlap(
            TypeRef::List(Box::new(TypeRef::String)),
            TypeRef::List(Box::new(TypeRef::I32))
        ));
        assert!(overlap(
            TypeRef::Map(Box::new(TypeRef::String)),
            TypeRef::KeyedMap(Box::new(named("Channel")), Box::new(TypeRef::I32))
        ));
        // Two of one type, and a union beside a struct it has a `From` of.
        assert!(overlap(TypeRef::DateTime, TypeRef::DateTime));
        assert!(overlap(named("Text"), named("Text")));
        assert!(overlap(named("Content"), named("Image")));
    }

    #[test]
    fn arguments_of_different_kinds_do_not_overlap() {
        assert!(!overlap(TypeRef::String, TypeRef::Uuid));
        assert!(!overlap(TypeRef::String, named("AgentId")));
        assert!(!overlap(TypeRef::String, TypeRef::DateTime));
        assert!(!overlap(TypeRef::String, TypeRef::I32));
        assert!(!overlap(TypeRef::I32, named("Channel")));
        assert!(!overlap(TypeRef::DateTime, TypeRef::Uuid));
        assert!(!overlap(named("Text"), named("Image")));
        assert!(!overlap(named("Text"), TypeRef::String));
        assert!(!overlap(
            TypeRef::List(Box::new(TypeRef::String)),
            TypeRef::Map(Box::new(TypeRef::String))
        ));
        assert!(!overlap(TypeRef::Bool, TypeRef::String));
        assert_eq!(
            accepts(&TypeRef::Uuid, &BTreeMap::new()),
            [Accepts::Uuid].into_iter().collect()
        );
    }

    #[test]
    fn overlapping_required_fields_take_a_parameter_struct() {
        let types = sample();
        let by_name: BTreeMap<&str, &TypeDef> =
            types.iter().map(|t| (t.name.as_str(), t)).collect();
        let email = [
            field("to", TypeRef::String),
            field("from", TypeRef::String),
            Field {
                required: false,
                ..field("cc", TypeRef::String)
            },
        ];
        let Shape::Named {
            name: params,
            fields,
            overlaps,
        } = shape(&name("Email"), &email, &by_name)
        else {
            panic!("two strings are named");
        };
        assert_eq!(params.as_str(), "EmailRequired");
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["from", "to"]);
        assert_eq!(overlaps.len(), 1);

        let note = [
            field("text", TypeRef::String),
            field("agent", named("AgentId")),
        ];
        let Shape::Positional(fields) = shape(&name("Note"), &note, &by_name) else {
            panic!("a string and a UUID id stay positional");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["agent", "text"]);
    }

    #[test]
    fn a_parameter_struct_named_like_a_schema_is_an_error() {
        let email = def(
            "Email",
            TypeKind::Struct {
                fields: vec![field("to", TypeRef::String), field("from", TypeRef::String)],
            },
        );
        let taken = def("EmailRequired", TypeKind::Struct { fields: Vec::new() });
        let found = parameter_structs(std::slice::from_ref(&email)).expect("no collision");
        assert_eq!(found.len(), 1);
        let error = parameter_structs(&[email, taken])
            .expect_err("a collision")
            .to_string();
        assert!(
            error.contains("EmailRequired") && error.contains("#/components/schemas/EmailRequired"),
            "{error}"
        );
    }

    /// The text between `open` (an opening bracket at `start`) and its closing bracket.
    fn group(text: &str, start: usize) -> &str {
        let mut depth = 0;
        for (i, c) in text[start..].char_indices() {
            match c {
                '(' | '{' | '[' => depth += 1,
                ')' | '}' | ']' => {
                    depth -= 1;
                    if depth == 0 {
                        return &text[start + 1..start + i];
                    }
                }
                _ => {}
            }
        }
        panic!("unbalanced at {start}");
    }

    /// The argument names of a positional list `a: T, b: Vec<U>`.
    fn argument_names(list: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut depth = 0;
        let mut start = true;
        let mut current = String::new();
        for c in list.chars() {
            match c {
                '<' | '(' => depth += 1,
                '>' | ')' => depth -= 1,
                ',' if depth == 0 => {
                    start = true;
                    continue;
                }
                ':' if start && depth == 0 => {
                    names.push(current.trim().to_owned());
                    current.clear();
                    start = false;
                    continue;
                }
                _ => {}
            }
            if start {
                current.push(c);
            }
        }
        names
    }

    /// Every positional constructor the SDK of the beta spec has, read from the generated text
    /// (the structs' `new` in `model!`, the unions' short constructors in `tagged_union_helpers!`),
    /// must take no two arguments that accept the same value; and no method of it either. This
    /// reads what the emitter wrote rather than asking `shape`, so an emitter that wrote a
    /// positional `new` where the shape says otherwise fails here.
    #[test]
    fn no_constructor_or_method_of_the_beta_spec_takes_two_swappable_arguments() {
        let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/dixa-api.yaml");
        let api = crate::api(&crate::Config::beside(spec)).expect("the beta spec lowers");
        let files = crate::emit::emit(&api).expect("the beta spec emits");
        let hooks = api.webhooks.as_ref().expect("the webhooks are described");
        let mut checked = 0;
        let mut named = 0;
        for (path, all) in [
            ("src/models.rs", &api.types),
            ("src/webhooks/events.rs", &hooks.types),
        ] {
            let text = &files[path];
            let types: BTreeMap<&str, &TypeDef> =
                all.iter().map(|t| (t.name.as_str(), t)).collect();
            let fields_of = |ty: &str| match types.get(ty).map(|d| &d.kind) {
                Some(TypeKind::Struct { fields }) => fields,
                _ => panic!("`{ty}` is no struct"),
            };
            let check = |owner: &str, ty: &str, list: &str| {
                let fields = fields_of(ty);
                let args: Vec<&Field> = argument_names(list)
                    .iter()
                    .map(|n| {
                        fields
                            .iter()
                            .find(|f| f.name.as_str() == n && f.required)
                            .unwrap_or_else(|| panic!("`{owner}` takes `{n}`, no required field"))
                    })
                    .collect();
                let pairs = overlapping(&args, &types);
                assert!(
                    pairs.is_empty(),
                    "`{owner}` takes {:?} positionally",
                    pairs
                        .iter()
                        .map(|(a, b)| format!("{} and {}", a.name, b.name))
                        .collect::<Vec<_>>()
                );
            };
            for (at, _) in text.match_indices("macros::model!(") {
                let body = group(text, at + "macros::model!".len());
                let (ty, rest) = body.split_once(" {").expect("model!(Name { .. })");
                let new = rest.find("new(").expect("a new");
                let inside = group(rest, new + "new".len());
                if inside.contains('{') {
                    named += 1;
                } else {
                    check(ty, ty, inside);
                    checked += 1;
                }
            }
            for (at, _) in text.match_indices("macros::tagged_union_helpers!(") {
                let body = group(text, at + "macros::tagged_union_helpers!".len());
                let Some(new) = body.find("\n    new {") else {
                    continue;
                };
                let section = group(body, new + "\n    new ".len());
                for entry in section.split(';').filter(|e| e.contains("=>")) {
                    let code: String = entry
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("///"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let open = code.find('(').expect("an argument list");
                    let list = group(&code, open);
                    let (_, target) = code.split_once("=>").expect("=> Variant(Type)");
                    let target = target.trim();
                    let ty = &target[target.find('(').expect("(Type)") + 1..target.len() - 1];
                    check(code[..open].trim(), ty, list);
                    checked += 1;
                }
            }
        }
        // The counts keep the reading honest: a change of layout that found nothing would pass.
        assert!(
            checked > 300 && named > 50,
            "{checked} positional, {named} named"
        );

        let types: BTreeMap<&str, &TypeDef> =
            api.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut exact = Vec::new();
        for op in api.groups.iter().flat_map(|g| &g.operations) {
            let pairs = overlapping_arguments(op, &types);
            assert!(pairs.is_empty(), "`{}` takes {pairs:?}", op.name);
            if !exact_id_params(op, &types).is_empty() {
                exact.push(op.name.as_str());
            }
        }
        // Two ids over UUIDs: each takes its own type, so raw UUIDs cannot be swapped.
        assert_eq!(exact, ["move_article"]);
        let knowledge = &files["src/apis/knowledge.rs"];
        assert!(
            knowledge.contains("article_id: crate::models::ArticleId,")
                && knowledge.contains("parent_id: crate::models::CategoryId,"),
            "move_article takes its ids exactly"
        );
    }
}
