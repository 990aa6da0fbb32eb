//! The collection-shaped parts of the API, derived from the operations' paths, methods, path ids
//! and types, for the stateful resources of `dixa::testing` (`MockDixa` keeps what a test created).
//!
//! A *stored* resource is a collection path `P` (`/beta/tags`) with a JSON `POST P` that creates an
//! item and a way to read it back: `GET P/{id}` answering the item type `T`, or `GET P` answering a
//! list of `T`. `T` is a struct with an `id` of the path parameter's type (with an item path) or of
//! an id kind the fake can mint (uuid, integer, text). The create may answer `T` or a struct whose
//! `id` is `T`'s (`POST /beta/conversations` answers `{id}`), which needs `GET P/{id}` to read the
//! rest. `PUT`/`PATCH P/{id}` with a JSON body are updates, `DELETE P/{id}` without one a delete.
//! A collection path under another resource's item path (`/beta/conversations/{id}/notes`) is
//! nested: its items are kept per parent.
//!
//! A *linked* resource is a collection path with `GET P` answering a list of `T` and no create,
//! where `PUT P/{id}` without a body attaches and `DELETE P/{id}` detaches an item of the stored
//! resource whose item type is `T` and whose id type the parameter has
//! (`PUT /beta/conversations/{id}/tags/{tagId}`).
//!
//! What the paths do not say goes in [`POLICY`], each entry with its reason.

use super::{
    Api, BodyEncoding, Field, HttpMethod, Operation, ResponseKind, TypeDef, TypeKind, TypeRef,
};
use std::collections::BTreeMap;
use std::fmt::Write;

/// What the paths and types cannot say, each with its reason: operations that set one field of a
/// stored item.
pub const POLICY: &[Policy] = &[
    Policy {
        operation: "patchTagsTagidActivate",
        field: "state",
        value: "Active",
        reason: "the spec says only in the path (`/activate`) that the tag's `state` becomes \
                 `Active` (`values: [Active, Inactive]`)",
    },
    Policy {
        operation: "patchTagsTagidDeactivate",
        field: "state",
        value: "Inactive",
        reason: "the spec says only in the path (`/deactivate`) that the tag's `state` becomes \
                 `Inactive`",
    },
];

/// An operation that sets one field of the stored item its path names.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// The operationId.
    pub operation: &'static str,
    /// The item's field (wire name).
    pub field: &'static str,
    /// The string value it gets.
    pub value: &'static str,
    /// Why this is policy rather than derived.
    pub reason: &'static str,
}

/// A collection the fake keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// The collection path template (`/beta/conversations/{conversationId}/notes`).
    pub collection: String,
    /// The item path template (`/beta/tags/{tagId}`), when the spec has one.
    pub item: Option<String>,
    /// The path parameter naming an item on the item path.
    pub id_param: Option<String>,
    /// The collection path of the resource whose item path this collection path extends.
    pub parent: Option<String>,
    /// Stored items or links to another resource's items.
    pub kind: ResourceKind,
    /// The operations acting on it, in the spec's order.
    pub operations: Vec<ResourceOp>,
}

/// What a resource holds.
#[derive(Debug, Clone, PartialEq)]
pub enum ResourceKind {
    /// Items of a type (a struct), each with an `id`.
    Stored {
        /// The item type.
        item: String,
        /// The kind of its id.
        id: IdKind,
    },
    /// Ids of another (stored) resource's items.
    Links {
        /// The collection path of the resource the ids belong to.
        target: String,
    },
}

/// How the fake mints an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// A UUID.
    Uuid,
    /// An integer.
    Integer,
    /// Any string.
    Text,
}

impl IdKind {
    /// Its name in the generated table.
    pub fn as_str(self) -> &'static str {
        match self {
            IdKind::Uuid => "uuid",
            IdKind::Integer => "integer",
            IdKind::Text => "text",
        }
    }
}

/// What an operation does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Adds an item (`POST P`).
    Create,
    /// Lists the items (`GET P`).
    List,
    /// Reads one (`GET P/{id}`).
    Get,
    /// Changes one with the body's fields (`PUT`/`PATCH P/{id}`).
    Update,
    /// Sets one field of an item ([`POLICY`]).
    Set,
    /// Removes one (`DELETE P/{id}`).
    Delete,
    /// Links an item of the target resource (`PUT P/{id}` of a linked resource).
    Attach,
    /// Unlinks it (`DELETE P/{id}` of a linked resource).
    Detach,
}

impl Role {
    /// Its name in the generated table.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Create => "create",
            Role::List => "list",
            Role::Get => "get",
            Role::Update => "update",
            Role::Set => "set",
            Role::Delete => "delete",
            Role::Attach => "attach",
            Role::Detach => "detach",
        }
    }
}

/// How an operation's success body carries its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{"data": value}`.
    Data,
    /// The value itself.
    Bare,
    /// `{"data": [...], "meta": {"next": ...}}`, with `pageLimit` and `pageKey`.
    Page,
    /// No body.
    Empty,
}

impl Shape {
    /// Its name in the generated table.
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Data => "data",
            Shape::Bare => "bare",
            Shape::Page => "page",
            Shape::Empty => "empty",
        }
    }
}

/// One operation of a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceOp {
    /// The operationId.
    pub operation: String,
    /// What it does.
    pub role: Role,
    /// How its answer carries the value.
    pub shape: Shape,
    /// Its success status.
    pub status: u16,
    /// The body's fields copied into the item (wire names): those the item type has, of a type
    /// whose values the item's type accepts, except the id.
    pub copied: Vec<String>,
    /// The type the answer carries when it is not the item type (a create answering `{id}`).
    pub output: Option<String>,
    /// The field and value a [`Role::Set`] operation sets.
    pub set: Option<(String, String)>,
}

/// Derives the resources of `api`, in the order of their collection paths.
pub fn resources(api: &Api) -> Vec<Resource> {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let ops: Vec<&Operation> = api.groups.iter().flat_map(|g| &g.operations).collect();
    let find = |method: HttpMethod, path: &str| {
        ops.iter()
            .copied()
            .find(|op| op.method == method && op.path == path)
    };
    // Every path whose last segment is a literal is a candidate collection.
    let mut collections: Vec<&str> = ops
        .iter()
        .map(|op| op.path.as_str())
        .filter(|path| !path.ends_with('}'))
        .collect();
    collections.sort_unstable();
    collections.dedup();
    let derive = Derive { types: &types };
    let mut out: Vec<Resource> = Vec::new();
    for &path in &collections {
        let item_path = item_path_of(&ops, path);
        let get_one = item_path
            .as_deref()
            .and_then(|item| find(HttpMethod::Get, item));
        let list = find(HttpMethod::Get, path);
        if let Some(resource) = derive.stored(
            path,
            item_path.as_deref(),
            &ops,
            find(HttpMethod::Post, path),
            get_one,
            list,
        ) {
            out.push(resource);
        }
    }
    // Linked resources refer to stored ones, so they are found once those are.
    for &path in &collections {
        if out.iter().any(|r| r.collection == path) {
            continue;
        }
        if let Some(resource) = derive.linked(path, &ops, &out) {
            out.push(resource);
        }
    }
    out.sort_by(|a, b| a.collection.cmp(&b.collection));
    // The parent is the resource whose item path the collection path extends by one segment.
    let items: Vec<(String, String)> = out
        .iter()
        .filter_map(|r| Some((r.item.clone()?, r.collection.clone())))
        .collect();
    for resource in &mut out {
        resource.parent = resource.collection.rsplit_once('/').and_then(|(head, _)| {
            items
                .iter()
                .find(|(item, _)| item == head)
                .map(|(_, collection)| collection.clone())
        });
    }
    out
}

/// `P/{id}` when some operation has that path.
fn item_path_of(ops: &[&Operation], collection: &str) -> Option<String> {
    let prefix = format!("{collection}/{{");
    ops.iter()
        .map(|op| op.path.as_str())
        .find(|path| {
            path.strip_prefix(&prefix)
                .is_some_and(|rest| rest.ends_with('}') && !rest.contains('/'))
        })
        .map(str::to_owned)
}

struct Derive<'a> {
    types: &'a BTreeMap<&'a str, &'a TypeDef>,
}

impl Derive<'_> {
    fn stored(
        &self,
        path: &str,
        item_path: Option<&str>,
        ops: &[&Operation],
        create: Option<&Operation>,
        get_one: Option<&Operation>,
        list: Option<&Operation>,
    ) -> Option<Resource> {
        let create = create.filter(|op| {
            op.body.as_ref().is_some_and(|b| {
                matches!(b.encoding, BodyEncoding::Json) && !self.names_an_item(&b.ty)
            })
        })?;
        let (_, created) = self.single(create)?;
        let item = match get_one.and_then(|op| self.single(op)) {
            Some((_, item)) => item,
            None => self.listed(list?)?.1,
        };
        let id_field = self.field(&item, "id")?;
        let id_param = item_path.and(get_one).and_then(|op| op.path_params.last());
        if let Some(param) = id_param {
            if param.ty != id_field.ty
                || !item_path.is_some_and(|p| p.ends_with(&format!("{{{}}}", param.wire)))
            {
                return None;
            }
        }
        let id = self.id_kind(&id_field.ty)?;
        // A create answering another type must answer the new id, and the item is read back
        // through `GET P/{id}`.
        let output = if created == item {
            None
        } else {
            get_one?;
            (self.field(&created, "id")?.ty == id_field.ty).then_some(created.clone())?;
            Some(created)
        };
        let mut operations = vec![self.op(create, Role::Create, &item, output)?];
        if let Some((shape, listed)) = list.and_then(|op| self.listed(op)) {
            if listed == item {
                operations.push(self.with(list?, Role::List, shape));
            }
        }
        if let (Some(op), Some(_)) = (get_one, id_param) {
            operations.push(self.op(op, Role::Get, &item, None)?);
        }
        if let (Some(item_path), Some(_)) = (item_path, id_param) {
            for op in ops.iter().filter(|op| op.path == item_path) {
                let role = match op.method {
                    HttpMethod::Put | HttpMethod::Patch if op.body.is_some() => Role::Update,
                    HttpMethod::Delete if op.body.is_none() => Role::Delete,
                    _ => continue,
                };
                operations.extend(self.op(op, role, &item, None));
            }
            for policy in POLICY {
                let Some(op) = ops.iter().find(|op| op.id == policy.operation) else {
                    continue;
                };
                if op.path.starts_with(&format!("{item_path}/")) {
                    let mut set = self.with(op, Role::Set, Shape::Empty);
                    set.set = Some((policy.field.to_owned(), policy.value.to_owned()));
                    operations.push(set);
                }
            }
        }
        operations.sort_by_key(|op| op.role);
        Some(Resource {
            collection: path.to_owned(),
            item: item_path.filter(|_| id_param.is_some()).map(str::to_owned),
            id_param: id_param.map(|p| p.wire.clone()),
            parent: None,
            kind: ResourceKind::Stored { item, id },
            operations,
        })
    }

    fn linked(&self, path: &str, ops: &[&Operation], stored: &[Resource]) -> Option<Resource> {
        let list = ops
            .iter()
            .find(|op| op.method == HttpMethod::Get && op.path == path)?;
        let (shape, listed) = self.listed(list)?;
        let item_path = item_path_of(ops, path)?;
        let param = ops
            .iter()
            .find(|op| op.path == item_path)?
            .path_params
            .last()?;
        let target = stored
            .iter()
            .find(|r| {
                matches!(&r.kind, ResourceKind::Stored { item, .. } if *item == listed)
                    && r.item.is_some()
                    && self.id_type(r) == Some(&param.ty)
            })?
            .collection
            .clone();
        let mut operations = vec![self.with(list, Role::List, shape)];
        for op in ops
            .iter()
            .filter(|op| op.path == item_path && op.body.is_none())
        {
            let role = match op.method {
                HttpMethod::Put | HttpMethod::Post => Role::Attach,
                HttpMethod::Delete => Role::Detach,
                _ => continue,
            };
            if matches!(op.response.kind, ResponseKind::Empty) {
                operations.push(self.with(op, role, Shape::Empty));
            }
        }
        operations
            .iter()
            .any(|op| op.role == Role::Attach)
            .then(|| Resource {
                collection: path.to_owned(),
                item: Some(item_path.clone()),
                id_param: Some(param.wire.clone()),
                parent: None,
                kind: ResourceKind::Links { target },
                operations,
            })
    }

    /// The type of the `id` of a stored resource's items.
    fn id_type(&self, resource: &Resource) -> Option<&TypeRef> {
        match &resource.kind {
            ResourceKind::Stored { item, .. } => self.field(item, "id").map(|f| &f.ty),
            ResourceKind::Links { .. } => None,
        }
    }

    fn with(&self, op: &Operation, role: Role, shape: Shape) -> ResourceOp {
        ResourceOp {
            operation: op.id.clone(),
            role,
            shape,
            status: op.response.status,
            copied: Vec::new(),
            output: None,
            set: None,
        }
    }

    /// A create, get or update: it answers the item (or `output`), or nothing.
    fn op(
        &self,
        op: &Operation,
        role: Role,
        item: &str,
        output: Option<String>,
    ) -> Option<ResourceOp> {
        let shape = match &op.response.kind {
            ResponseKind::Empty => Shape::Empty,
            _ => {
                let (shape, answered) = self.single(op)?;
                (answered == *output.as_deref().unwrap_or(item)).then_some(shape)?
            }
        };
        let mut out = self.with(op, role, shape);
        out.output = output;
        if let Some(body) = op.body.as_ref().and_then(|b| self.named(&b.ty)) {
            out.copied = self.copied(&body, item);
        }
        Some(out)
    }

    /// The fields of `body` that `item` has with a type accepting their values, but its id. A
    /// body that wraps one object (`{"request": {...}}` creating a queue) is read inside it, and
    /// its fields are written `request.name`.
    fn copied(&self, body: &str, item: &str) -> Vec<String> {
        let (Some(mut from), Some(to)) = (self.fields(body), self.fields(item)) else {
            return Vec::new();
        };
        let mut prefix = String::new();
        if let [only] = from.as_slice() {
            if let Some(inner) = self.named(&only.ty).and_then(|n| self.fields(&n)) {
                prefix = format!("{}.", only.wire);
                from = inner;
            }
        }
        let mut copied: Vec<String> = from
            .iter()
            .filter(|f| !f.flatten && f.wire != "id")
            .filter(|f| {
                to.iter()
                    .any(|t| t.wire == f.wire && self.accepts(&t.ty, &f.ty, 0))
            })
            .map(|f| format!("{prefix}{}", f.wire))
            .collect();
        copied.sort();
        copied
    }

    /// Whether every JSON value of `from` is one of `to`.
    fn accepts(&self, to: &TypeRef, from: &TypeRef, depth: usize) -> bool {
        if to == from {
            return true;
        }
        if depth > 8 {
            return false;
        }
        let resolve = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => match self.types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Id { raw }) | Some(TypeKind::Alias { target: raw }) => raw.clone(),
                _ => ty.clone(),
            },
            _ => ty.clone(),
        };
        let (to, from) = (resolve(to), resolve(from));
        match (&to, &from) {
            _ if to == from => true,
            (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.accepts(a, b, depth + 1)
            }
            (TypeRef::I64, TypeRef::I32) | (TypeRef::F64, TypeRef::F32) => true,
            (TypeRef::String, TypeRef::Named(b)) => {
                matches!(self.kind(b.as_str()), Some(TypeKind::StringEnum { .. }))
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                match (self.kind(a.as_str()), self.kind(b.as_str())) {
                    (
                        Some(TypeKind::StringEnum { values: to }),
                        Some(TypeKind::StringEnum { values: from }),
                    ) => from.iter().all(|v| to.iter().any(|t| t.wire == v.wire)),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    fn kind(&self, name: &str) -> Option<&TypeKind> {
        self.types.get(name).map(|t| &t.kind)
    }

    /// The fields of a struct, or the fields every variant of a tagged union has alike (a
    /// conversation's `id`, whatever its channel).
    fn fields(&self, name: &str) -> Option<Vec<&Field>> {
        match self.kind(name)? {
            TypeKind::Struct { fields } => Some(fields.iter().collect()),
            TypeKind::TaggedUnion { variants, .. } => {
                let mut each = variants.iter().map(|v| self.fields(v.ty.as_str()));
                let first = each.next()??;
                let rest: Vec<Vec<&Field>> = each.collect::<Option<_>>()?;
                Some(
                    first
                        .into_iter()
                        .filter(|f| {
                            rest.iter()
                                .all(|o| o.iter().any(|g| g.wire == f.wire && g.ty == f.ty))
                        })
                        .collect(),
                )
            }
            _ => None,
        }
    }

    fn field(&self, name: &str, wire: &str) -> Option<&Field> {
        self.fields(name)?.into_iter().find(|f| f.wire == wire)
    }

    /// Whether a body names an item by its `id` (every value of it, or of a variant, has one): an
    /// operation sending it reads or changes that item rather than creating one
    /// (`POST /beta/analytics/metrics` asks for a metric's data by id).
    fn names_an_item(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        match self.kind(name.as_str()) {
            Some(TypeKind::Struct { fields }) => fields.iter().any(|f| f.wire == "id"),
            Some(TypeKind::Alias { target }) => self.names_an_item(target),
            Some(TypeKind::TaggedUnion { variants, .. }) => variants
                .iter()
                .any(|v| self.names_an_item(&TypeRef::Named(v.ty.clone()))),
            Some(TypeKind::Untagged { variants }) => {
                variants.iter().any(|v| self.names_an_item(&v.ty))
            }
            _ => false,
        }
    }

    /// The struct or tagged union a type names (through aliases).
    fn named(&self, ty: &TypeRef) -> Option<String> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match self.kind(name.as_str())? {
            TypeKind::Struct { .. } | TypeKind::TaggedUnion { .. } => {
                Some(name.as_str().to_owned())
            }
            TypeKind::Alias { target } => self.named(target),
            _ => None,
        }
    }

    /// The struct an operation answers, and how.
    fn single(&self, op: &Operation) -> Option<(Shape, String)> {
        match &op.response.kind {
            ResponseKind::Data { data, .. } => Some((Shape::Data, self.named(data)?)),
            ResponseKind::Json(ty) => Some((Shape::Bare, self.named(ty)?)),
            _ => None,
        }
    }

    /// The struct whose list an operation answers, and how.
    fn listed(&self, op: &Operation) -> Option<(Shape, String)> {
        if let Some(pagination) = &op.pagination {
            return Some((Shape::Page, self.named(&pagination.item)?));
        }
        match &op.response.kind {
            ResponseKind::Data {
                data: TypeRef::List(item),
                ..
            } => Some((Shape::Data, self.named(item)?)),
            ResponseKind::Json(TypeRef::List(item)) => Some((Shape::Bare, self.named(item)?)),
            _ => None,
        }
    }

    fn id_kind(&self, ty: &TypeRef) -> Option<IdKind> {
        match ty {
            TypeRef::Uuid => Some(IdKind::Uuid),
            TypeRef::I32 | TypeRef::I64 => Some(IdKind::Integer),
            TypeRef::String => Some(IdKind::Text),
            TypeRef::Named(name) => match self.kind(name.as_str())? {
                TypeKind::Id { raw } | TypeKind::Alias { target: raw } => self.id_kind(raw),
                _ => None,
            },
            _ => None,
        }
    }
}

/// The resources as text, one line per resource and per operation: the derivation as a reviewer
/// reads it (the generator's snapshot of it shows what a spec change does).
pub fn describe(resources: &[Resource]) -> String {
    let mut out = String::new();
    for r in resources {
        let kind = match &r.kind {
            ResourceKind::Stored { item, id } => format!("stores {item} (id: {})", id.as_str()),
            ResourceKind::Links { target } => format!("links items of {target}"),
        };
        let _ = write!(out, "{} {kind}", r.collection);
        if let Some(item) = &r.item {
            let _ = write!(out, ", item {item}");
        }
        if let Some(parent) = &r.parent {
            let _ = write!(out, ", under {parent}");
        }
        out.push('\n');
        for op in &r.operations {
            let _ = write!(
                out,
                "  {} {} -> {} {}",
                op.role.as_str(),
                op.operation,
                op.status,
                op.shape.as_str()
            );
            if let Some(output) = &op.output {
                let _ = write!(out, " of {output}");
            }
            if !op.copied.is_empty() {
                let _ = write!(out, ", copies {}", op.copied.join(" "));
            }
            if let Some((field, value)) = &op.set {
                let _ = write!(out, ", sets {field} = {value}");
            }
            out.push('\n');
        }
    }
    out
}
