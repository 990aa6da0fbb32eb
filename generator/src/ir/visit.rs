//! The two walks over the IR: [`TypeDef::walk`]/[`Operation::walk`] (read-only) and
//! [`Api::walk_mut`] (mutable). Every pass that looks at the type expressions of the API goes
//! through them, so a new place that holds a type (a new kind of parameter, a response part) is
//! added here once and every pass sees it.

use super::{Api, Operation, ResponseKind, TypeDef, TypeKind, TypeRef};

/// Which side of an operation a type expression is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Part of a type's own definition.
    Definition,
    /// Sent: a parameter or the request body.
    Input,
    /// Received: the response (its envelope included) or the items of its pages.
    Output,
}

/// A type expression the read-only walk reaches.
#[derive(Debug, Clone, Copy)]
pub struct Reached<'a> {
    /// Where it is.
    pub side: Side,
    /// The expression, or for a `_type`-tagged union variant or an unwrapped envelope (which
    /// name their type rather than hold an expression), the name.
    pub ty: Ref<'a>,
    /// Held by value by its owner (a field, variant or alias target itself), not through a list or
    /// a map: what a recursion must box.
    pub by_value: bool,
}

/// A type expression or a bare type name.
#[derive(Debug, Clone, Copy)]
pub enum Ref<'a> {
    Expr(&'a TypeRef),
    Name(&'a str),
}

impl<'a> Ref<'a> {
    /// The named type this refers to, if it is one (not through a list or map).
    pub fn name(self) -> Option<&'a str> {
        match self {
            Ref::Expr(TypeRef::Named(name)) => Some(name),
            Ref::Name(name) => Some(name),
            Ref::Expr(_) => None,
        }
    }
}

/// Calls `f` on `ty` and every expression nested in it.
fn expr<'a>(side: Side, ty: &'a TypeRef, f: &mut impl FnMut(Reached<'a>)) {
    f(Reached {
        side,
        ty: Ref::Expr(ty),
        by_value: true,
    });
    nested(side, ty, f);
}

/// Calls `f` with every type `ty` names: itself, a list's items, a map's keys and values.
pub fn named_in<'a>(ty: &'a TypeRef, mut f: impl FnMut(&'a str)) {
    expr(Side::Definition, ty, &mut |reached: Reached<'a>| {
        if let Some(name) = reached.ty.name() {
            f(name);
        }
    });
}

/// Calls `f` on every expression nested in `ty` (items, map keys and values), none by value.
fn nested<'a>(side: Side, ty: &'a TypeRef, f: &mut impl FnMut(Reached<'a>)) {
    let inner: &[&'a TypeRef] = match ty {
        TypeRef::List(next) | TypeRef::Map(next) => &[next],
        TypeRef::KeyedMap(key, value) => &[key, value],
        _ => &[],
    };
    for next in inner {
        f(Reached {
            side,
            ty: Ref::Expr(next),
            by_value: false,
        });
        nested(side, next, f);
    }
}

impl TypeDef {
    /// Calls `f` on every type expression of this definition: fields, alias target, union
    /// variants.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(Reached<'a>)) {
        let side = Side::Definition;
        match &self.kind {
            TypeKind::Struct { fields } => fields.iter().for_each(|x| expr(side, &x.ty, f)),
            TypeKind::Alias { target } => expr(side, target, f),
            TypeKind::Untagged { variants } => variants.iter().for_each(|v| expr(side, &v.ty, f)),
            TypeKind::TaggedUnion { variants, .. } => variants.iter().for_each(|v| {
                f(Reached {
                    side,
                    ty: Ref::Name(&v.ty),
                    by_value: true,
                })
            }),
            TypeKind::Id { raw } => expr(side, raw, f),
            TypeKind::StringEnum { .. } => {}
        }
    }
}

impl Operation {
    /// Calls `f` on every type expression of this operation: parameters and body ([`Side::Input`]),
    /// response, envelope and page items ([`Side::Output`]).
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(Reached<'a>)) {
        let params = self
            .path_params
            .iter()
            .chain(&self.required_query)
            .chain(&self.optional_query);
        params.for_each(|p| expr(Side::Input, &p.ty, f));
        if let Some(body) = &self.body {
            expr(Side::Input, &body.ty, f);
        }
        response(&self.response.kind, f);
        if let Some(p) = &self.pagination {
            expr(Side::Output, &p.item, f);
        }
    }
}

/// Calls `f` on the types a response's bodies reach, every status's for responses with several.
fn response<'a>(kind: &'a ResponseKind, f: &mut impl FnMut(Reached<'a>)) {
    match kind {
        ResponseKind::Empty | ResponseKind::Text | ResponseKind::Bytes => {}
        ResponseKind::Json(ty) => expr(Side::Output, ty, f),
        ResponseKind::Data { envelope, data, .. } => {
            expr(Side::Output, data, f);
            f(Reached {
                side: Side::Output,
                ty: Ref::Name(envelope),
                by_value: true,
            });
        }
        ResponseKind::Optional { variants } | ResponseKind::ByStatus { variants, .. } => {
            variants.iter().for_each(|v| response(&v.kind, f))
        }
    }
}

impl Api {
    /// Calls `f` on every type expression of the API that holds one (fields, alias targets, untagged
    /// variants, id raw types, parameters, bodies, responses, page items) and every expression
    /// nested in it, so that `f` can rewrite any of them.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        let nested = |ty: &mut TypeRef, f: &mut _| ty.visit_mut(f);
        for def in &mut self.types {
            match &mut def.kind {
                TypeKind::Struct { fields } => fields.iter_mut().for_each(|x| nested(&mut x.ty, f)),
                TypeKind::Alias { target } => nested(target, f),
                TypeKind::Untagged { variants } => {
                    variants.iter_mut().for_each(|v| nested(&mut v.ty, f))
                }
                TypeKind::Id { raw } => nested(raw, f),
                TypeKind::StringEnum { .. } | TypeKind::TaggedUnion { .. } => {}
            }
        }
        for op in self.groups.iter_mut().flat_map(|g| &mut g.operations) {
            let params = op
                .path_params
                .iter_mut()
                .chain(&mut op.required_query)
                .chain(&mut op.optional_query);
            params.for_each(|p| nested(&mut p.ty, f));
            if let Some(body) = &mut op.body {
                nested(&mut body.ty, f);
            }
            op.response.kind.types_mut(&mut |ty| nested(ty, f));
            if let Some(p) = &mut op.pagination {
                nested(&mut p.item, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Docs, Field, TypeDef, TypeKind, TypeRef};

    #[test]
    fn the_walk_reaches_nested_expressions_and_says_which_are_held_by_value() {
        let field = |wire: &str, ty: TypeRef| Field {
            wire: wire.to_owned(),
            name: wire.into(),
            ty,
            place: String::new(),
            required: true,
            boxed: false,
            empty_when_absent: false,
            flatten: false,
            docs: Docs::default(),
        };
        let def = TypeDef {
            name: "A".into(),
            kind: TypeKind::Struct {
                fields: vec![
                    field("b", TypeRef::Named("B".into())),
                    field("cs", TypeRef::List(Box::new(TypeRef::Named("C".into())))),
                ],
            },
            docs: Docs::default(),
            origin: "#/components/schemas/A".to_owned(),
        };
        let mut seen = Vec::new();
        def.walk(&mut |r| {
            if let Some(name) = r.ty.name() {
                seen.push((name.to_owned(), r.by_value));
            }
        });
        assert_eq!(seen, [("B".to_owned(), true), ("C".to_owned(), false)]);
    }
}
