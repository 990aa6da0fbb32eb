//! Where each model type is used, for the documentation of the types the spec does not describe:
//! "Returned by [`Agents::get_agent`](..)", "Sent by ...", "Part of [`Agent`](..) (field `roles`)".
//!
//! Most of Dixa's schemas have no description; their key restated ("The `Agent1` schema.") tells a
//! reader nothing, while the operations that return or take a type, and the types that hold it, say
//! what it is for and lead to it from the method a reader starts with. Every list is in the API's
//! order (groups by module, operations in spec order, types by name, fields in declaration order),
//! so the docs are deterministic, and a widely used type lists its first uses and counts the rest.

use crate::ir::{Api, Group, Operation, ResponseKind, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// How many uses of one kind a doc lists before it counts the rest ("and 4 more").
const SHOWN: usize = 5;

/// How an operation uses a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum OpUse {
    /// The items of its pages (`items()`).
    Listed,
    /// What awaiting the call yields (or a part of it: a list's items, a map's values).
    Returned,
    /// The `{"data": ...}` envelope its answer comes in.
    Envelope,
    /// Its request body.
    Body,
}

/// One use of a type, in the order its doc lists the kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Use {
    /// By an operation: its link and how.
    Op { link: String, how: OpUse },
    /// As a path or query parameter of an operation: its link and the wire name.
    Param { link: String, wire: String },
    /// As (part of) a field of a struct.
    Field { owner: String, field: String },
    /// As the payload of a variant of a union.
    Variant { union: String, variant: String },
    /// By another named type (an alias or the keys or values of a map type).
    Held { by: String },
}

/// The uses of every named type of the API.
#[derive(Debug, Default)]
pub struct Usage {
    by_type: BTreeMap<String, Vec<Use>>,
}

impl Usage {
    /// Collects the uses of every type of `api`.
    pub fn new(api: &Api) -> Self {
        let mut usage = Usage::default();
        for group in &api.groups {
            for op in &group.operations {
                usage.operation(group, op);
            }
        }
        for def in &api.types {
            let owner = def.name.as_str();
            match &def.kind {
                TypeKind::Struct { fields } => {
                    for f in fields {
                        let field = if f.flatten {
                            "other keys".to_owned()
                        } else {
                            format!("field `{}`", f.name.raw())
                        };
                        usage.each_named(&f.ty, |_| Use::Field {
                            owner: owner.to_owned(),
                            field: field.clone(),
                        });
                    }
                }
                TypeKind::TaggedUnion { variants, .. } => {
                    for v in variants {
                        usage.add(
                            v.ty.as_str(),
                            Use::Variant {
                                union: owner.to_owned(),
                                variant: v.name.as_str().to_owned(),
                            },
                        );
                    }
                }
                TypeKind::Untagged { variants } => {
                    for v in variants {
                        let variant = v.name.as_str().to_owned();
                        usage.each_named(&v.ty, |_| Use::Variant {
                            union: owner.to_owned(),
                            variant: variant.clone(),
                        });
                    }
                }
                TypeKind::Alias { target } => usage.each_named(target, |_| Use::Held {
                    by: owner.to_owned(),
                }),
                TypeKind::Id { .. } | TypeKind::StringEnum { .. } => {}
            }
        }
        usage
    }

    fn operation(&mut self, group: &Group, op: &Operation) {
        let shown = format!("`{}::{}`", group.struct_name.raw(), op.name.raw());
        // An intra-doc link's path is not read with raw identifiers (`r#match`): such a method is
        // named without a link.
        let link = if [&group.struct_name, &op.name, &group.module]
            .iter()
            .any(|n| n.is_raw())
        {
            shown
        } else {
            format!(
                "[{shown}](crate::apis::{}::{}::{})",
                group.module.as_str(),
                group.struct_name.as_str(),
                op.name.as_str()
            )
        };
        for p in op
            .path_params
            .iter()
            .chain(&op.required_query)
            .chain(&op.optional_query)
        {
            self.each_named(&p.ty, |_| Use::Param {
                link: link.clone(),
                wire: p.wire.clone(),
            });
        }
        if let Some(body) = &op.body {
            self.each_named(&body.ty, |_| Use::Op {
                link: link.clone(),
                how: OpUse::Body,
            });
        }
        if let Some(pages) = &op.pagination {
            self.each_named(&pages.item, |_| Use::Op {
                link: link.clone(),
                how: OpUse::Listed,
            });
        }
        self.response(&op.response.kind, &link);
    }

    fn response(&mut self, kind: &ResponseKind, link: &str) {
        let returned = |_: &str| Use::Op {
            link: link.to_owned(),
            how: OpUse::Returned,
        };
        match kind {
            ResponseKind::Empty | ResponseKind::Text | ResponseKind::Bytes => {}
            ResponseKind::Json(ty) => self.each_named(ty, returned),
            ResponseKind::Data { envelope, data, .. } => {
                self.each_named(data, returned);
                self.add(
                    envelope.as_str(),
                    Use::Op {
                        link: link.to_owned(),
                        how: OpUse::Envelope,
                    },
                );
            }
            ResponseKind::Optional { variants } | ResponseKind::ByStatus { variants, .. } => {
                for v in variants {
                    self.response(&v.kind, link);
                }
            }
        }
    }

    /// Adds a use to every named type in `ty` (itself, a list's items, a map's keys and values).
    fn each_named(&mut self, ty: &TypeRef, make: impl Fn(&str) -> Use) {
        crate::ir::visit::named_in(ty, |name| self.add(name, make(name)));
    }

    fn add(&mut self, name: &str, new: Use) {
        let uses = self.by_type.entry(name.to_owned()).or_default();
        if !uses.contains(&new) {
            uses.push(new);
        }
    }

    /// The paragraph saying where type `name` is used, or `None` when nothing uses it.
    pub fn describe(&self, name: &str) -> Option<String> {
        let uses = self.by_type.get(name)?;
        let ops = |how: OpUse| -> Vec<String> {
            uses.iter()
                .filter_map(|u| match u {
                    Use::Op { link, how: h } if *h == how => Some(link.clone()),
                    _ => None,
                })
                .collect()
        };
        let mut sentences = Vec::new();
        let listed = ops(OpUse::Listed);
        // A list operation's items are also in what it returns; "listed" says more.
        let returned: Vec<String> = ops(OpUse::Returned)
            .into_iter()
            .filter(|link| !listed.contains(link))
            .collect();
        if !listed.is_empty() {
            sentences.push(format!(
                "Listed by {} (item by item with `items()`).",
                enumerate(&listed)
            ));
        }
        if !returned.is_empty() {
            sentences.push(format!("Returned by {}.", enumerate(&returned)));
        }
        let envelope = ops(OpUse::Envelope);
        if !envelope.is_empty() {
            sentences.push(format!(
                "The envelope Dixa answers {} in; the call yields its `data`.",
                enumerate(&envelope)
            ));
        }
        let sent: Vec<String> = uses
            .iter()
            .filter_map(|u| match u {
                Use::Op {
                    link,
                    how: OpUse::Body,
                } => Some(format!("{link} (body)")),
                Use::Param { link, wire } => Some(format!("{link} (parameter `{wire}`)")),
                _ => None,
            })
            .collect();
        if !sent.is_empty() {
            sentences.push(format!("Sent by {}.", enumerate(&sent)));
        }
        // The fields of one owner together: "[`Versions`] (fields `draft` and `published`)".
        let mut owners: Vec<(&str, Vec<String>)> = Vec::new();
        for u in uses {
            if let Use::Field { owner, field } = u {
                match owners.iter_mut().find(|(o, _)| o == owner) {
                    Some((_, fields)) => fields.push(field.clone()),
                    None => owners.push((owner, vec![field.clone()])),
                }
            }
        }
        let parts: Vec<String> = owners
            .into_iter()
            .map(|(owner, fields)| {
                let fields = match fields.as_slice() {
                    [one] => one.clone(),
                    many => format!(
                        "fields {}",
                        enumerate(
                            &many
                                .iter()
                                .map(|f| f.trim_start_matches("field ").to_owned())
                                .collect::<Vec<_>>()
                        )
                    ),
                };
                format!("[`{owner}`] ({fields})")
            })
            .collect();
        if !parts.is_empty() {
            sentences.push(format!("Part of {}.", enumerate(&parts)));
        }
        let variants: Vec<String> = uses
            .iter()
            .filter_map(|u| match u {
                Use::Variant { union, variant } => Some(format!("[`{union}::{variant}`]")),
                _ => None,
            })
            .collect();
        if !variants.is_empty() {
            let noun = if variants.len() == 1 {
                "The payload of"
            } else {
                "The payload of the variants"
            };
            sentences.push(format!("{noun} {}.", enumerate(&variants)));
        }
        let held: Vec<String> = uses
            .iter()
            .filter_map(|u| match u {
                Use::Held { by } => Some(format!("[`{by}`]")),
                _ => None,
            })
            .collect();
        if !held.is_empty() {
            sentences.push(format!("Used by {}.", enumerate(&held)));
        }
        (!sentences.is_empty()).then(|| sentences.join(" "))
    }
}

/// `a`, `a and b`, `a, b and c`, or the first [`SHOWN`] and how many more.
fn enumerate(items: &[String]) -> String {
    let (shown, more) = if items.len() > SHOWN + 1 {
        (&items[..SHOWN], items.len() - SHOWN)
    } else {
        (items, 0)
    };
    match (shown, more) {
        ([], _) => String::new(),
        ([one], 0) => one.clone(),
        (_, 0) => {
            let (last, rest) = shown.split_last().map_or((&shown[0], &[][..]), |x| x);
            format!("{} and {last}", rest.join(", "))
        }
        (_, more) => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Body, BodyEncoding, Docs, Field, HttpMethod, Pagination, Param, Response, TypeDef,
        UnionTag, UnionVariant,
    };

    fn field(wire: &str, ty: TypeRef) -> Field {
        Field {
            wire: wire.to_owned(),
            name: crate::naming::field_name(wire),
            ty,
            place: String::new(),
            required: true,
            boxed: false,
            empty_when_absent: false,
            flatten: false,
            docs: Docs::default(),
        }
    }

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            origin: format!("#/components/schemas/{name}"),
            docs: Docs::default(),
            kind,
        }
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    fn op(id: &str, name: &str, kind: ResponseKind) -> Operation {
        Operation {
            id: id.to_owned(),
            method: HttpMethod::Get,
            path: "/x".to_owned(),
            name: name.into(),
            docs: Docs::default(),
            path_params: Vec::new(),
            required_query: Vec::new(),
            optional_query: Vec::new(),
            builder: "XRequest".into(),
            body: None,
            response: Response {
                status: 200,
                kind,
                errors: Vec::new(),
                accept: None,
                example: None,
            },
            pagination: None,
        }
    }

    fn api() -> Api {
        let mut get = op(
            "getAgent",
            "get_agent",
            ResponseKind::Data {
                envelope: "AgentOutput".into(),
                data: named("Agent"),
                required: true,
                more: false,
            },
        );
        get.path_params.push(Param {
            wire: "agentId".to_owned(),
            name: "agent_id".into(),
            ty: named("AgentId"),
            docs: Docs::default(),
            date_time: None,
            example: None,
        });
        let mut list = op(
            "getAgents",
            "list_agents",
            ResponseKind::Json(named("ListAgentsOutput")),
        );
        list.pagination = Some(Pagination {
            item: named("Agent"),
        });
        let mut create = op("postAgents", "create_agent", ResponseKind::Empty);
        create.body = Some(Body {
            ty: TypeRef::List(Box::new(named("Agent"))),
            required: true,
            encoding: BodyEncoding::Json,
            docs: Docs::default(),
            example: None,
        });
        let mut types = vec![
            def(
                "Agent",
                TypeKind::Struct {
                    fields: vec![field("roles", TypeRef::List(Box::new(named("Role"))))],
                },
            ),
            def("AgentId", TypeKind::Id { raw: TypeRef::Uuid }),
            def(
                "ListAgentsOutput",
                TypeKind::Struct {
                    fields: vec![field("data", TypeRef::List(Box::new(named("Agent"))))],
                },
            ),
            def(
                "Member",
                TypeKind::TaggedUnion {
                    tag: UnionTag::dixa(),
                    variants: vec![UnionVariant {
                        tag: "Agent".into(),
                        name: "Agent".into(),
                        ty: "Agent".into(),
                        boxed: false,
                        pending: None,
                    }],
                },
            ),
            def("Role", TypeKind::StringEnum { values: Vec::new() }),
        ];
        // Twelve holders of `Role`: the doc lists five and counts the rest.
        for i in 0..11 {
            types.push(def(
                &format!("Holder{i:02}"),
                TypeKind::Struct {
                    fields: vec![field("role", named("Role"))],
                },
            ));
        }
        Api {
            title: String::new(),
            version: String::new(),
            base_url: String::new(),
            types,
            groups: vec![Group {
                tag: "Agents".to_owned(),
                module: "agents".into(),
                accessor: "agents".into(),
                struct_name: "Agents".into(),
                feature: "agents".to_owned(),
                docs: Docs::default(),
                operations: vec![get, list, create],
            }],
            warnings: Vec::new(),
            places: Default::default(),
            webhooks: None,
        }
    }

    #[test]
    fn a_type_is_described_by_the_operations_and_types_that_use_it() {
        let usage = Usage::new(&api());
        let link = |m: &str| format!("[`Agents::{m}`](crate::apis::agents::Agents::{m})");
        assert_eq!(
            usage.describe("Agent").as_deref(),
            Some(
                format!(
                    "Listed by {} (item by item with `items()`). Returned by {}. Sent by {} (body). \
                     Part of [`ListAgentsOutput`] (field `data`). The payload of [`Member::Agent`].",
                    link("list_agents"),
                    link("get_agent"),
                    link("create_agent")
                )
                .as_str()
            )
        );
        assert_eq!(
            usage.describe("AgentOutput").as_deref(),
            Some(
                format!(
                    "The envelope Dixa answers {} in; the call yields its `data`.",
                    link("get_agent")
                )
                .as_str()
            )
        );
        assert_eq!(
            usage.describe("AgentId").as_deref(),
            Some(format!("Sent by {} (parameter `agentId`).", link("get_agent")).as_str())
        );
        assert_eq!(usage.describe("Unused"), None);
    }

    #[test]
    fn a_widely_used_type_lists_its_first_uses_in_order_and_counts_the_rest() {
        let usage = Usage::new(&api());
        assert_eq!(
            usage.describe("Role").as_deref(),
            Some(
                "Part of [`Agent`] (field `roles`), [`Holder00`] (field `role`), [`Holder01`] \
                 (field `role`), [`Holder02`] (field `role`), [`Holder03`] (field `role`) and 7 more."
            )
        );
        assert_eq!(enumerate(&["a".to_owned(), "b".to_owned()]), "a and b");
        let six: Vec<String> = (1..=6).map(|i| i.to_string()).collect();
        assert_eq!(enumerate(&six), "1, 2, 3, 4, 5 and 6");
    }
}
