//! The stateful resources of [`MockDixa`](crate::runtime::mock::MockDixa): the collections of the
//! API (end users, tags, agents, teams, queues, conversations with their notes and tags, ...) keep
//! what a test created, so that create-then-read-back works without rules.
//!
//! The resources are the generated table `src/mock/resources.rs`, derived by the generator from
//! the spec's paths, methods and ids: per collection its paths, the kind of its ids, its parent
//! (notes are kept per conversation), the template a created item starts from and the role of
//! each of its operations (create, list, get, update, set, delete, attach, detach). Values are
//! JSON, kept as the wire carries them; requests arrive as the SDK's encoder wrote them and
//! answers leave as bytes for the SDK's decoder, in each operation's envelope.
//!
//! A collection is stateful from the first write to it (a create, update, delete or attach; for a
//! nested one, per parent): from then on a list answers the stored items and an id it does not
//! hold, or no longer holds, answers 404 as Dixa does. Before that, the stored resources leave its
//! reads to the spec's examples as for every other operation. In strict mode the stored resources
//! answer only requests a rule hands on to them (`Reply::from_state`), so that a write a test did
//! not plan is reported as unmatched rather than kept.

use crate::runtime::mock_rules::{Incoming, Reply};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How many items a page holds when the request does not say (`pageLimit`).
const DEFAULT_PAGE_LIMIT: usize = 50;

/// One resource of the generated table.
#[derive(Debug, serde::Deserialize)]
struct Resource {
    collection: String,
    #[serde(default)]
    id_param: Option<String>,
    #[serde(default)]
    parent: Option<String>,
    /// `stored` or `links`.
    kind: String,
    /// `uuid`, `integer` or `text` (stored resources).
    #[serde(default)]
    id_kind: Option<String>,
    /// The collection path of the resource whose items a `links` resource links.
    #[serde(default)]
    target: Option<String>,
    /// A new item's starting value (stored resources).
    #[serde(default)]
    template: Value,
    /// The members every item has, which an update's `null` does not remove.
    #[serde(default)]
    required: Vec<String>,
    operations: Vec<Operation>,
}

#[derive(Debug, serde::Deserialize)]
struct Operation {
    operation: String,
    role: String,
    /// `data`, `bare`, `page` or `empty`.
    shape: String,
    status: u16,
    /// The body's members copied into the item (`name`, or `request.name` inside a wrapper).
    #[serde(default)]
    copied: Vec<String>,
    /// For a `set` operation: the member and the value it gets.
    #[serde(default)]
    set: Option<SetField>,
    /// For a create answering another type than the item: that type's template (its members are
    /// filled from the item).
    #[serde(default)]
    output: Option<Value>,
}

#[derive(Debug, serde::Deserialize)]
struct SetField {
    field: String,
    value: String,
}

/// The generated table, indexed by operation.
#[derive(Debug, Default)]
pub(crate) struct Resources {
    list: Vec<Resource>,
    by_operation: BTreeMap<String, (usize, usize)>,
}

/// What the fake holds: the collections written to, by resource and parent ids.
#[derive(Debug, Default)]
pub(crate) struct Stored {
    collections: BTreeMap<(usize, Vec<String>), Collection>,
    minted: u64,
}

#[derive(Debug, Default)]
struct Collection {
    /// The items by id (as the path writes it, normalised), in the order they were created. A
    /// linked collection holds the ids alone (`Value::Null`).
    items: Vec<(String, Value)>,
    /// The ids deleted, which answer 404 also where the examples would answer.
    gone: BTreeSet<String>,
}

impl Collection {
    fn position(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|(i, _)| i == id)
    }
}

impl Resources {
    /// Reads the generated table.
    pub(crate) fn parse(table: &str) -> Result<Self, serde_json::Error> {
        let list: Vec<Resource> = serde_json::from_str(table)?;
        let mut by_operation = BTreeMap::new();
        for (r, resource) in list.iter().enumerate() {
            for (o, op) in resource.operations.iter().enumerate() {
                by_operation.insert(op.operation.clone(), (r, o));
            }
        }
        Ok(Self { list, by_operation })
    }

    fn index_of(&self, collection: &str) -> Option<usize> {
        self.list.iter().position(|r| r.collection == collection)
    }

    /// The answer of the stored resources to `incoming`, or `None` where they do not decide it (an
    /// operation of no resource, or a read of a collection no test wrote to).
    pub(crate) fn answer(&self, stored: &mut Stored, incoming: &Incoming) -> Option<Reply> {
        let &(r, o) = self.by_operation.get(&incoming.operation)?;
        let resource = &self.list[r];
        let op = &resource.operations[o];
        let key = self.parent_ids(resource, incoming);
        if let Some(missing) = self.missing_parent(resource, &key, stored) {
            return Some(missing);
        }
        let id = resource
            .id_param
            .as_deref()
            .and_then(|name| param(incoming, name))
            .map(normalise);
        let touched = stored.collections.contains_key(&(r, key.clone()));
        let answer = match (op.role.as_str(), id) {
            ("create", _) => self.create(r, op, key, incoming, stored),
            ("list", _) if touched => self.list(r, op, &key, incoming, stored),
            ("attach", Some(id)) => self.attach(r, op, key, id, stored),
            ("detach", Some(id)) => {
                let collection = stored.collections.entry((r, key)).or_default();
                if let Some(at) = collection.position(&id) {
                    collection.items.remove(at);
                }
                shaped(op, Value::Null)
            }
            ("delete", Some(id)) => {
                let collection = stored.collections.entry((r, key)).or_default();
                match collection.position(&id) {
                    Some(at) => {
                        collection.items.remove(at);
                        collection.gone.insert(id);
                        shaped(op, Value::Null)
                    }
                    // An untouched collection stands for the spec's examples, so deleting from it
                    // succeeds (and the id is gone from then on).
                    None if !touched && !collection.gone.contains(&id) => {
                        collection.gone.insert(id);
                        shaped(op, Value::Null)
                    }
                    None => not_found(resource, &id, collection.gone.contains(&id)),
                }
            }
            ("get" | "update" | "set", Some(id)) if touched => {
                let collection = stored.collections.entry((r, key)).or_default();
                let Some(at) = collection.position(&id) else {
                    return Some(not_found(resource, &id, collection.gone.contains(&id)));
                };
                let item = &mut collection.items[at].1;
                if op.role == "update" {
                    let body = body_object(incoming)?;
                    overlay(item, &body, &op.copied, &resource.required);
                }
                if let (Some(set), Value::Object(map)) = (&op.set, &mut *item) {
                    map.insert(set.field.clone(), Value::String(set.value.clone()));
                }
                shaped(op, item.clone())
            }
            _ => return None,
        };
        Some(answer)
    }

    /// The values of the collection path's parameters (the parent's ids), normalised.
    fn parent_ids(&self, resource: &Resource, incoming: &Incoming) -> Vec<String> {
        resource
            .collection
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .filter_map(|name| param(incoming, name))
            .map(normalise)
            .collect()
    }

    /// A 404 when the parent of a nested collection is not held by a parent collection a test
    /// wrote to (a note of a conversation that was never created or was deleted).
    fn missing_parent(
        &self,
        resource: &Resource,
        key: &[String],
        stored: &Stored,
    ) -> Option<Reply> {
        let parent = self.index_of(resource.parent.as_deref()?)?;
        let (id, outer) = key.split_last()?;
        let collection = stored.collections.get(&(parent, outer.to_vec()))?;
        if collection.position(id).is_some() {
            return None;
        }
        let parent = &self.list[parent];
        // An untouched parent collection stands for the examples; a touched one is the truth.
        Some(not_found(parent, id, collection.gone.contains(id)))
    }

    fn create(
        &self,
        r: usize,
        op: &Operation,
        key: Vec<String>,
        incoming: &Incoming,
        stored: &mut Stored,
    ) -> Reply {
        let Some(body) = body_object(incoming) else {
            return Reply::error(400, "MockDixa: the request body is not a JSON object");
        };
        let resource = &self.list[r];
        let mut item = match &resource.template {
            Value::Object(map) => Value::Object(map.clone()),
            _ => Value::Object(Map::new()),
        };
        overlay(&mut item, &body, &op.copied, &resource.required);
        stored.minted += 1;
        let id = mint(resource.id_kind.as_deref(), stored.minted);
        if let Value::Object(map) = &mut item {
            map.insert("id".to_owned(), id.clone());
        }
        let answer = match &op.output {
            Some(Value::Object(template)) => {
                let mut out = template.clone();
                for (name, value) in out.iter_mut() {
                    if let Some(held) = item.get(name) {
                        *value = held.clone();
                    }
                }
                Value::Object(out)
            }
            _ => item.clone(),
        };
        stored
            .collections
            .entry((r, key))
            .or_default()
            .items
            .push((normalise(&id_text(&id)), item));
        shaped(op, answer)
    }

    fn list(
        &self,
        r: usize,
        op: &Operation,
        key: &[String],
        incoming: &Incoming,
        stored: &Stored,
    ) -> Reply {
        let resource = &self.list[r];
        let held = stored.collections.get(&(r, key.to_vec()));
        let items: Vec<Value> = held
            .map(|c| {
                c.items
                    .iter()
                    .map(|(id, item)| self.resolve(resource, id, item, stored))
                    .collect()
            })
            .unwrap_or_default();
        if op.shape != "page" {
            return shaped(op, Value::Array(items));
        }
        let query = |name: &str| {
            incoming
                .query
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let Some(limit) = query("pageLimit")
            .map_or(Some(DEFAULT_PAGE_LIMIT), |l| l.parse::<usize>().ok())
            .filter(|l| *l > 0)
        else {
            return Reply::error(400, "Invalid value for: query parameter pageLimit");
        };
        let Some(offset) = query("pageKey").map_or(Some(0), page_offset) else {
            return Reply::error(400, "Invalid value for: query parameter pageKey");
        };
        let end = offset.saturating_add(limit).min(items.len());
        let page: Vec<Value> = items.get(offset.min(end)..end).unwrap_or_default().to_vec();
        let link = |at: usize| {
            format!(
                "{}?pageKey={}&pageLimit={limit}",
                incoming.path,
                page_key(at)
            )
        };
        let mut meta = Map::new();
        if end < items.len() {
            meta.insert("next".to_owned(), json!(link(end)));
        }
        if offset > 0 {
            meta.insert(
                "previous".to_owned(),
                json!(link(offset.saturating_sub(limit))),
            );
        }
        Reply::json(op.status, &json!({ "data": page, "meta": meta }))
    }

    /// An item as a list answers it: a linked id is the target's item, or while the target
    /// collection is untouched its template with that id.
    fn resolve(&self, resource: &Resource, id: &str, item: &Value, stored: &Stored) -> Value {
        if resource.kind != "links" {
            return item.clone();
        }
        let Some(target) = resource.target.as_deref().and_then(|t| self.index_of(t)) else {
            return item.clone();
        };
        if let Some(held) = stored
            .collections
            .get(&(target, Vec::new()))
            .and_then(|c| c.items.iter().find(|(i, _)| i == id))
        {
            return held.1.clone();
        }
        let target = &self.list[target];
        let mut value = target.template.clone();
        if let Value::Object(map) = &mut value {
            let id = match target.id_kind.as_deref() {
                Some("integer") => id.parse::<i64>().map_or_else(|_| json!(id), |n| json!(n)),
                _ => json!(id),
            };
            map.insert("id".to_owned(), id);
        }
        value
    }

    fn attach(
        &self,
        r: usize,
        op: &Operation,
        key: Vec<String>,
        id: String,
        stored: &mut Stored,
    ) -> Reply {
        let resource = &self.list[r];
        // A target collection a test wrote to is the truth: its ids alone can be attached.
        let target = resource.target.as_deref().and_then(|t| self.index_of(t));
        let held = target.and_then(|t| Some((t, stored.collections.get(&(t, Vec::new()))?)));
        if let Some((target, held)) = held.filter(|(_, held)| held.position(&id).is_none()) {
            return not_found(&self.list[target], &id, held.gone.contains(&id));
        }
        let collection = stored.collections.entry((r, key)).or_default();
        if collection.position(&id).is_none() {
            collection.items.push((id, Value::Null));
        }
        shaped(op, Value::Null)
    }
}

/// The decoded value of a path parameter.
fn param<'a>(incoming: &'a Incoming, name: &str) -> Option<&'a str> {
    incoming
        .path_params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// An id as the fake compares it: UUIDs in any case are one id.
fn normalise(id: &str) -> String {
    id.trim().to_ascii_lowercase()
}

fn id_text(id: &Value) -> String {
    match id {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The `n`th id the fake mints, of the resource's kind.
fn mint(kind: Option<&str>, n: u64) -> Value {
    match kind {
        Some("uuid") => json!(format!("00000000-0000-4000-8000-{n:012x}")),
        // Far from the spec's example ids, so a minted conversation is never one of them.
        Some("integer") => json!(1_000_000 + n),
        _ => json!(format!("mock-{n}")),
    }
}

/// The request body as a JSON object (an absent body is an empty one); `None` for anything else.
fn body_object(incoming: &Incoming) -> Option<Map<String, Value>> {
    if incoming.body.is_empty() {
        return Some(Map::new());
    }
    match serde_json::from_slice(&incoming.body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Copies the body's `copied` members into the item: `null` removes an optional member.
fn overlay(item: &mut Value, body: &Map<String, Value>, copied: &[String], required: &[String]) {
    let Value::Object(item) = item else {
        return;
    };
    for path in copied {
        let mut steps = path.split('.');
        let first = steps.next().and_then(|s| body.get(s));
        let value = steps
            .try_fold(first, |value, step| Some(value?.get(step)))
            .flatten();
        let name = path.rsplit('.').next().unwrap_or(path);
        match value {
            None => {}
            Some(Value::Null) if !required.iter().any(|r| r == name) => {
                item.remove(name);
            }
            Some(Value::Null) => {}
            Some(value) => {
                item.insert(name.to_owned(), value.clone());
            }
        }
    }
}

/// `value` in the operation's envelope with its success status.
fn shaped(op: &Operation, value: Value) -> Reply {
    match op.shape.as_str() {
        "data" => Reply::json(op.status, &json!({ "data": value })),
        "bare" => Reply::json(op.status, &value),
        "page" => Reply::json(op.status, &json!({ "data": value, "meta": {} })),
        _ => Reply::empty(op.status),
    }
}

/// Dixa's 404 for an id a stateful collection does not hold.
fn not_found(resource: &Resource, id: &str, deleted: bool) -> Reply {
    let how = if deleted {
        "was deleted"
    } else {
        "does not exist"
    };
    Reply::error(
        404,
        &format!("MockDixa: {id} {how} in {}", resource.collection),
    )
}

/// The opaque `pageKey` of the page starting at `offset` (Dixa's keys are base64 text; clients
/// only follow `meta.next`).
fn page_key(offset: usize) -> String {
    format!("mock-offset-{offset}")
}

fn page_offset(key: &str) -> Option<usize> {
    key.strip_prefix("mock-offset-")?.parse().ok()
}
