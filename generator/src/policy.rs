//! Policy as data: the project's corrections to the upstream spec (`spec/overrides.yaml`), its
//! naming decisions (`spec/renames.yaml`) and the names earlier regenerations gave
//! (`spec/names.lock`).
//!
//! The first two are small tables a maintainer can read without reading the generator. Every entry
//! must still match the spec: a patch whose target moved or changed, or a rename whose operation
//! vanished, stops the generator, so a fix that upstream made unnecessary cannot linger unnoticed.
//! The lock is different: the generator writes it, and an entry whose place is gone is dropped.

use crate::error::{Error, Result};
use crate::ir::{PlaceKind, Places};
use crate::load;
use crate::naming::RustIdent;
use serde::Deserialize;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Corrections applied to the spec tree before it is parsed.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    path: PathBuf,
    patches: Vec<Patch>,
}

/// One correction.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// JSON pointer to the value to change (`/components/schemas/Preset/properties/value`).
    pub pointer: String,
    /// What to do there.
    #[serde(default)]
    pub op: PatchOp,
    /// The value the spec has there today. When given, the patch refuses to apply to anything else,
    /// so an upstream change to the same place is noticed.
    #[serde(default)]
    pub expect: Option<Value>,
    /// The new value (for `replace` and `add`).
    #[serde(default)]
    pub value: Option<Value>,
    /// Why the upstream spec is wrong here: the evidence, usually an example.
    pub reason: String,
}

/// The operations a patch can perform.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchOp {
    /// Replace an existing value.
    #[default]
    Replace,
    /// Add a value where there is none (an object member or the end of an array with `-`).
    Add,
    /// Remove an existing value.
    Remove,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OverridesFile {
    #[serde(default)]
    patches: Vec<Patch>,
}

impl Overrides {
    /// No overrides at all (fixture specs).
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads the override file.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = load::read_file(path)?;
        Self::from_str(path, &text)
    }

    /// Parses override text; `path` names it in errors.
    pub fn from_str(path: &Path, text: &str) -> Result<Self> {
        let file: OverridesFile = serde_yaml::from_str(text).map_err(|e| Error::Override {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        for (i, patch) in file.patches.iter().enumerate() {
            if patch.reason.trim().is_empty() {
                return Err(Error::Override {
                    path: path.to_owned(),
                    message: format!("patch {i} ({}) has no reason", patch.pointer),
                });
            }
        }
        Ok(Self {
            path: path.to_owned(),
            patches: file.patches,
        })
    }

    /// Reads the spec at `path` into a JSON tree and applies these overrides: the spec as every
    /// stage after loading sees it.
    pub fn load(&self, path: &Path) -> Result<Value> {
        let mut doc = load::load_tree(path)?;
        self.apply(&mut doc)?;
        Ok(doc)
    }

    /// Applies every patch to the spec tree, in order, failing (naming all of them) when any no
    /// longer applies or does not fit (see [`Overrides::apply_fitting`]).
    pub fn apply(&self, doc: &mut Value) -> Result<()> {
        // One pass in place: any patch that does not apply or fit is an error here, so nothing is
        // applied again and the tree is not copied (it is the size of the spec).
        let (applied, mut skipped) = self.apply_once(doc, &BTreeMap::new());
        skipped.extend(self.misfits(doc, &applied));
        self.refuse_stale(&skipped)
    }

    /// Applies the patches not in `dropped` to `doc` in order, returning the positions of those
    /// that applied and, with the reason, those that did not (`dropped` included).
    fn apply_once(
        &self,
        doc: &mut Value,
        dropped: &BTreeMap<usize, String>,
    ) -> (Vec<usize>, BTreeMap<usize, String>) {
        let mut skipped = dropped.clone();
        let mut applied = Vec::new();
        for (i, patch) in self.patches.iter().enumerate() {
            if skipped.contains_key(&i) {
                continue;
            }
            match apply_patch(doc, patch) {
                Ok(()) => applied.push(i),
                Err(why) => {
                    skipped.insert(i, why);
                }
            }
        }
        (applied, skipped)
    }

    /// The patches among `applied` whose value refers to something `doc` lacks, with the reason.
    fn misfits(&self, doc: &Value, applied: &[usize]) -> Vec<(usize, String)> {
        applied
            .iter()
            .filter_map(|&i| {
                let value = self.patches.get(i)?.value.as_ref()?;
                let missing = dangling_refs(doc, value);
                (!missing.is_empty()).then(|| {
                    (
                        i,
                        format!(
                            "its value refers to {}, which this spec lacks",
                            missing.join(", ")
                        ),
                    )
                })
            })
            .collect()
    }

    /// `original` with the patches that apply and fit, leaving out the ones in `dropped` (by
    /// position, with the reason), and every patch not applied with the reason. A patch fits when
    /// every local `$ref` in its value resolves in the patched document: a patch written for one
    /// version of the spec can apply to another (an `add` needs only its parent) and refer to a
    /// schema that version lacks, and it must then be left out there rather than leave a dangling
    /// reference. Leaving one out can make another misfit (a patch referring to a schema the first
    /// added), so the patches are applied again until all that remain fit.
    pub fn apply_fitting(
        &self,
        original: &Value,
        dropped: &BTreeMap<usize, String>,
    ) -> (Value, BTreeMap<usize, String>) {
        let mut dropped = dropped.clone();
        loop {
            let mut doc = original.clone();
            let (applied, skipped) = self.apply_once(&mut doc, &dropped);
            let misfits = self.misfits(&doc, &applied);
            if misfits.is_empty() {
                return (doc, skipped);
            }
            dropped.extend(misfits);
        }
    }

    /// The applied patches (not in `skipped`) that made the place at `pointer` (`#/a/b` or `/a/b`):
    /// those whose own pointer is that place or contains it.
    pub fn patches_at(&self, pointer: &str, skipped: &BTreeMap<usize, String>) -> Vec<usize> {
        let place = pointer.trim_start_matches('#');
        self.patches
            .iter()
            .enumerate()
            .filter(|(i, patch)| {
                let at = patch.pointer.trim_start_matches('#');
                !skipped.contains_key(i)
                    && !at.is_empty()
                    && (place == at || place.starts_with(&format!("{at}/")))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Reads the spec at `path` and applies the patches that apply and fit, returning the tree and,
    /// by their positions, the patches that do not with the reason: for `generator diff`, which
    /// reads two specs with the project's one override file, written for one of them.
    pub fn load_where_possible(&self, path: &Path) -> Result<(Value, BTreeMap<usize, String>)> {
        let doc = load::load_tree(path)?;
        Ok(self.apply_fitting(&doc, &BTreeMap::new()))
    }

    /// For two specs read with [`Overrides::load_where_possible`]: fails naming the patches that
    /// applied to neither (stale either way), and otherwise says which applied to one side only.
    pub fn check_applied_somewhere(
        &self,
        old: &BTreeMap<usize, String>,
        new: &BTreeMap<usize, String>,
    ) -> Result<Vec<String>> {
        let neither: BTreeMap<usize, String> = old
            .iter()
            .filter_map(|(i, old_why)| {
                let new_why = new.get(i)?;
                Some((
                    *i,
                    if old_why == new_why {
                        old_why.clone()
                    } else {
                        format!("in the old spec, {old_why}; in the new spec, {new_why}")
                    },
                ))
            })
            .collect();
        self.refuse_stale(&neither)?;
        let one_side = |skipped: &BTreeMap<usize, String>, side: &str, other: &str| {
            skipped
                .iter()
                .filter_map(|(i, why)| {
                    let patch = self.patches.get(*i)?;
                    Some(format!(
                        "override at {} applies to the {other} spec only, so the {side} one is read \
                         as upstream wrote it there ({why})",
                        patch.pointer
                    ))
                })
                .collect::<Vec<_>>()
        };
        let mut notes = one_side(old, "old", "new");
        notes.extend(one_side(new, "new", "old"));
        Ok(notes)
    }

    /// The error for patches that no longer apply, if there are any.
    pub fn refuse_stale(&self, skipped: &BTreeMap<usize, String>) -> Result<()> {
        // Every stale patch is reported, not just the first: an upstream change often makes several
        // stale at once, and fixing them one run at a time is slow.
        let stale: Vec<String> = skipped
            .iter()
            .filter_map(|(i, message)| {
                let patch = self.patches.get(*i)?;
                Some(format!(
                    "override at {} no longer applies: {message}",
                    patch.pointer
                ))
            })
            .collect();
        match stale.len() {
            0 => Ok(()),
            n => Err(Error::Override {
                path: self.path.clone(),
                message: format!(
                    "{n} stale override{}; did the upstream spec change? update or delete {}:\n  {}",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "it" } else { "them" },
                    stale.join("\n  ")
                ),
            }),
        }
    }
}

/// `<place> = <name>` split at its last ` = `, as `rsplit_once(" = ")` splits it, found from the
/// line's last `=` (a name has none) without building a substring searcher for every line.
fn split_name(rest: &str) -> Option<(&str, &str)> {
    let eq = rest.rfind('=')?;
    if rest[..eq].ends_with(' ') && rest[eq + 1..].starts_with(' ') {
        return Some((&rest[..eq - 1], &rest[eq + 2..]));
    }
    rest.rsplit_once(" = ")
}

/// `name` as a name of `kind`, if it is a valid one (`None` for `list` and `result` lines, which
/// hold a shape).
fn lock_ident(kind: PlaceKind, name: &str) -> Option<RustIdent> {
    match kind {
        PlaceKind::Type => RustIdent::checked_type(name),
        PlaceKind::Variant => RustIdent::checked_variant(name),
        PlaceKind::Field | PlaceKind::Method | PlaceKind::Param => RustIdent::checked_field(name),
        PlaceKind::List | PlaceKind::Result => None,
    }
}

fn apply_patch(doc: &mut Value, patch: &Patch) -> std::result::Result<(), String> {
    let pointer = patch.pointer.trim_start_matches('#');
    if let Some(expected) = &patch.expect {
        match doc.pointer(pointer) {
            Some(actual) if actual == expected => {}
            Some(actual) => {
                return Err(format!(
                    "expected {expected}, found {}",
                    truncate(&actual.to_string())
                ))
            }
            None => return Err("nothing there".to_owned()),
        }
    }
    let value = || {
        patch
            .value
            .clone()
            .ok_or_else(|| "the patch has no `value`".to_owned())
    };
    match patch.op {
        PatchOp::Replace => {
            let slot = doc
                .pointer_mut(pointer)
                .ok_or_else(|| "nothing there to replace".to_owned())?;
            *slot = value()?;
        }
        PatchOp::Add | PatchOp::Remove => {
            let (parent, last) = pointer
                .rsplit_once('/')
                .ok_or_else(|| "cannot add or remove the whole document".to_owned())?;
            let key = last.replace("~1", "/").replace("~0", "~");
            let parent = doc
                .pointer_mut(parent)
                .ok_or_else(|| format!("parent {parent} does not exist"))?;
            match (patch.op, parent) {
                (PatchOp::Add, Value::Object(map)) => {
                    if map.contains_key(&key) {
                        return Err(format!("`{key}` already exists"));
                    }
                    map.insert(key, value()?);
                }
                (PatchOp::Add, Value::Array(items)) if key == "-" => items.push(value()?),
                (PatchOp::Remove, Value::Object(map)) => {
                    map.remove(&key)
                        .ok_or_else(|| format!("`{key}` does not exist"))?;
                }
                (PatchOp::Remove, Value::Array(items)) => {
                    let index: usize = key.parse().map_err(|_| format!("bad index {key}"))?;
                    if index >= items.len() {
                        return Err(format!("index {index} out of range"));
                    }
                    items.remove(index);
                }
                _ => return Err("parent is not an object or array".to_owned()),
            }
        }
    }
    Ok(())
}

/// The local `$ref`s inside `value` (`#/components/schemas/X`) that do not resolve in `doc`, sorted
/// and without repeats.
fn dangling_refs(doc: &Value, value: &Value) -> Vec<String> {
    let mut missing = BTreeSet::new();
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    if let Some(pointer) = target.strip_prefix('#') {
                        if doc.pointer(pointer).is_none() {
                            missing.insert(target.clone());
                        }
                    }
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    missing.into_iter().collect()
}

fn truncate(s: &str) -> String {
    if s.len() > 200 {
        let mut end = 200;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_owned()
    }
}

/// The rename table: names chosen by people where the derived ones read badly.
#[derive(Debug, Default)]
pub struct Renames {
    path: PathBuf,
    operations: BTreeMap<String, RustIdent>,
    types: BTreeMap<String, RustIdent>,
    ids: BTreeMap<RustIdent, IdSpec>,
    /// Entries consulted so far, to find entries that match nothing.
    used: RefCell<BTreeSet<String>>,
}

/// An id type of the rename table (`ids:`): a newtype over the raw wire type of an entity's id,
/// and the places of the spec that hold such an id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdSpec {
    /// The wire type: `uuid`, `string` or `int64`.
    pub raw: IdRaw,
    /// What the id identifies, for the type's documentation.
    pub doc: String,
    /// Component schema keys whose `id` property is this id (the entity itself, or a projection of
    /// it such as a team's member for an agent), each with the evidence for the decision.
    #[serde(default)]
    pub schemas: BTreeMap<String, String>,
    /// Property names that hold this id (or a list of them) in any schema, or `Schema.property` for
    /// one schema only, where the name alone means different things in different schemas, each
    /// with the evidence for the decision.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
    /// Path parameter names that hold this id, in every operation, each with its evidence.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl IdSpec {
    /// The first entry (`schemas.X`, `properties.X`, `params.X`) whose evidence is blank: a decision
    /// without its reason is not accepted, so that the table can be checked against the spec.
    fn without_evidence(&self) -> Option<String> {
        [
            ("schemas", &self.schemas),
            ("properties", &self.properties),
            ("params", &self.params),
        ]
        .into_iter()
        .flat_map(|(kind, entries)| entries.iter().map(move |(k, v)| (kind, k, v)))
        .find(|(_, _, evidence)| evidence.trim().is_empty())
        .map(|(kind, entry, _)| format!("{kind}.{entry}"))
    }
}

/// The wire types an id can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdRaw {
    /// A UUID string.
    Uuid,
    /// Any string.
    String,
    /// A 64-bit integer.
    Int64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenamesFile {
    /// operationId -> method name.
    #[serde(default)]
    operations: BTreeMap<String, String>,
    /// JSON pointer of a component schema, an inline type or a description enum -> type name.
    #[serde(default)]
    types: BTreeMap<String, String>,
    /// Id type name -> its raw type and places.
    #[serde(default)]
    ids: BTreeMap<String, IdSpec>,
}

impl Renames {
    /// No renames (fixture specs).
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads the rename table.
    pub fn from_file(path: &Path) -> Result<Self> {
        let text = load::read_file(path)?;
        Self::from_str(path, &text)
    }

    /// Parses rename text; `path` names it in errors.
    pub fn from_str(path: &Path, text: &str) -> Result<Self> {
        let file: RenamesFile = serde_yaml::from_str(text).map_err(|e| Error::Override {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        let bad = |what: &str, name: &str| Error::Override {
            path: path.to_owned(),
            message: format!("`{name}` is not a valid {what} name"),
        };
        let mut operations = BTreeMap::new();
        for (id, name) in file.operations {
            let name = RustIdent::checked_method(&name).ok_or_else(|| bad("method", &name))?;
            operations.insert(id, name);
        }
        let mut types = BTreeMap::new();
        for (pointer, name) in file.types {
            let name = RustIdent::checked_type(&name).ok_or_else(|| bad("type", &name))?;
            types.insert(pointer, name);
        }
        let mut ids = BTreeMap::new();
        for (name, spec) in file.ids {
            if let Some(entry) = spec.without_evidence() {
                return Err(Error::Override {
                    path: path.to_owned(),
                    message: format!("ids.{name}.{entry} gives no evidence for the decision"),
                });
            }
            let name = RustIdent::checked_type(&name).ok_or_else(|| bad("type", &name))?;
            ids.insert(name, spec);
        }
        Ok(Self {
            path: path.to_owned(),
            operations,
            types,
            ids,
            used: RefCell::default(),
        })
    }

    /// The method name chosen for an operation, if any.
    pub fn operation(&self, operation_id: &str) -> Option<&RustIdent> {
        let name = self.operations.get(operation_id)?;
        self.used
            .borrow_mut()
            .insert(format!("operations.{operation_id}"));
        Some(name)
    }

    /// The type name chosen for the schema or inline type at a JSON pointer, if any.
    pub fn type_at(&self, pointer: &str) -> Option<&RustIdent> {
        let name = self.types.get(pointer)?;
        self.used.borrow_mut().insert(format!("types.{pointer}"));
        Some(name)
    }

    /// The id types, by name.
    pub fn ids(&self) -> &BTreeMap<RustIdent, IdSpec> {
        &self.ids
    }

    /// Records that the place `entry` of the id type `name` (`schemas.Agent`, `properties.agentId`,
    /// `params.agentId`) matched something, so that `check_all_used` does not report it.
    pub fn id_place_used(&self, name: &str, entry: &str) {
        self.used.borrow_mut().insert(format!("ids.{name}.{entry}"));
    }

    /// This table without the id types `names` (for a spec they do not fit), its record of used
    /// entries starting as this table's.
    pub fn without_ids(&self, names: &BTreeSet<RustIdent>) -> Self {
        let mut ids = self.ids.clone();
        ids.retain(|name, _| !names.contains(name));
        Self {
            path: self.path.clone(),
            operations: self.operations.clone(),
            types: self.types.clone(),
            ids,
            used: RefCell::new(self.used.borrow().clone()),
        }
    }

    /// Records the entries `other` (a copy of this table, see [`Renames::without_ids`]) used as used
    /// here too.
    pub fn absorb_used(&self, other: &Renames) {
        if std::ptr::eq(self, other) {
            return;
        }
        let used: Vec<String> = other.used.borrow().iter().cloned().collect();
        self.used.borrow_mut().extend(used);
    }

    /// Fails when an entry matched nothing in the spec, which means the spec changed under it.
    pub fn check_all_used(&self) -> Result<()> {
        let used = self.used.borrow();
        let stale: Vec<String> = self
            .operations
            .keys()
            .map(|k| format!("operations.{k}"))
            .chain(self.types.keys().map(|k| format!("types.{k}")))
            .chain(self.ids.iter().flat_map(|(name, id)| {
                let schemas = id
                    .schemas
                    .keys()
                    .map(move |s| format!("ids.{name}.schemas.{s}"));
                let properties = id
                    .properties
                    .keys()
                    .map(move |p| format!("ids.{name}.properties.{p}"));
                let params = id
                    .params
                    .keys()
                    .map(move |p| format!("ids.{name}.params.{p}"));
                schemas.chain(properties).chain(params)
            }))
            .filter(|k| !used.contains(k))
            .collect();
        if stale.is_empty() {
            Ok(())
        } else {
            Err(Error::Override {
                path: self.path.clone(),
                message: format!(
                    "these renames match nothing in the spec (did it change?): {}",
                    stale.join(", ")
                ),
            })
        }
    }
}

/// The value of a `result` line for an operation that returns the `data` member of its envelope.
pub const RESULT_DATA: &str = "data";

/// The value of a `result` line for an operation that returns its envelope whole.
pub const RESULT_BODY: &str = "body";

/// The lock file's name, beside the spec.
pub const LOCK_FILE: &str = "names.lock";

/// The lock file's header. It says what the file is and who maintains it, because a reader meets it
/// in a diff without having read the generator.
const LOCK_HEADER: &str = "\
# The Rust name of every generated type, struct field, method, optional query parameter and enum
# variant, by its place in the spec. The generator maintains this file: `cargo run -p generator` keeps every name
# written here, names new places without taking any of these names, drops the lines of places that
# are gone, and rewrites the file; `cargo run -p generator -- --check` fails while it is stale.
# Commit it with the regenerated SDK, so that a new spec never renames what users already call.
#
# A line is `<kind> <place> = <name>`. Places are JSON pointers into the spec (parameters by
# location and name, `parameters/query:type`, not by index), `<module> <operationId>` for methods,
# `<operationId> <wire name>` for optional query parameters and `<Type> <wire value or tag>` for
# variants; a type shared by several places has a line for each. Names chosen by people go in renames.yaml, which wins over this file.
# `list` lines keep the shape of an optional list (`Vec` or `Option`) and `result` lines, by operationId, whether an
# operation answering a `{data}` envelope returns its `data` member or the envelope (`body`).
# Editing a name here pins the place to it; deleting a line lets the generator name it afresh.
";

/// The names recorded by the last regeneration (`spec/names.lock`): the generator keeps every one
/// whose place is still in the spec, so that adding a schema or an operation never renames what
/// exists.
#[derive(Debug, Default)]
pub struct NameLock {
    path: PathBuf,
    names: Places,
}

impl NameLock {
    /// No lock (fixture specs, or a spec generated for the first time): every name comes from the
    /// rules.
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads the lock file; a missing file is an empty lock, which the first regeneration writes.
    pub fn from_file(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(Self {
                path: path.to_owned(),
                names: Places::new(),
            });
        }
        let text = load::read_file(path)?;
        Self::from_str(path, &text)
    }

    /// Parses lock text; `path` names it in errors. Every name must be a valid Rust name of its
    /// kind, and a place may have only one line.
    pub fn from_str(path: &Path, text: &str) -> Result<Self> {
        // The lines are gathered and the map built from them sorted, in one pass, rather than
        // inserted one by one: the lock has thousands of lines, written in sorted order, whose
        // places share long prefixes that every comparison of an insert walks again.
        let mut lines: Vec<((PlaceKind, String), String, usize)> = Vec::new();
        let bad = |index: usize, message: String| Error::Override {
            path: path.to_owned(),
            message: format!("line {}: {message}", index + 1),
        };
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let parsed = line.split_once(' ').and_then(|(word, rest)| {
                let kind = PlaceKind::ALL.into_iter().find(|k| k.word() == word)?;
                let (place, name) = split_name(rest)?;
                Some((kind, place.trim(), name.trim()))
            });
            let Some((kind, place, name)) = parsed else {
                return Err(bad(index, format!(
                    "`{line}` is not `<kind> <place> = <name>` with a kind of field, method, param, type, variant, list or result"
                )));
            };
            let valid = match kind {
                PlaceKind::List => matches!(name, "Vec" | "Option"),
                PlaceKind::Result => matches!(name, RESULT_DATA | RESULT_BODY),
                _ => lock_ident(kind, name).is_some(),
            };
            if !valid || place.is_empty() {
                return Err(bad(
                    index,
                    format!("`{name}` is not a valid {} name", kind.word()),
                ));
            }
            lines.push(((kind, place.to_owned()), name.to_owned(), index));
        }
        // A stable sort keeps a place's lines in file order, so the second one is reported.
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(pair) = lines.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            let ((kind, place), _, index) = &pair[1];
            return Err(bad(
                *index,
                format!("{} {place} has a second line", kind.word()),
            ));
        }
        Ok(Self {
            path: path.to_owned(),
            names: lines
                .into_iter()
                .map(|(place, name, _)| (place, name))
                .collect(),
        })
    }

    /// The lock file this was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name the lock gives the place, if any.
    pub fn name(&self, kind: PlaceKind, place: &str) -> Option<&str> {
        self.names
            .get(&(kind, place.to_owned()))
            .map(String::as_str)
    }

    /// The places of the lock's `type` lines by the name they give, in one pass over the lock.
    pub fn places_by_type(&self) -> BTreeMap<&str, Vec<&str>> {
        let mut out: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for ((kind, place), name) in &self.names {
            if *kind == PlaceKind::Type {
                out.entry(name.as_str()).or_default().push(place.as_str());
            }
        }
        out
    }

    /// The wire values (or tags) of the lock's `variant` lines of the type named `name`: the values
    /// the type had when the lock was written.
    pub fn variant_values(&self, name: &str) -> BTreeSet<&str> {
        self.names
            .keys()
            .filter(|(kind, _)| *kind == PlaceKind::Variant)
            .filter_map(|(_, place)| place.split_once(' '))
            .filter(|(ty, _)| *ty == name)
            .map(|(_, value)| value)
            .collect()
    }

    /// The name the lock keeps for a place, as a name of its kind (`None` for `list` lines, which
    /// hold a shape, not a name).
    pub fn ident(&self, kind: PlaceKind, place: &str) -> Option<RustIdent> {
        lock_ident(kind, self.name(kind, place)?)
    }

    /// Every type name in the lock, whichever place holds it.
    pub fn type_names(&self) -> BTreeSet<&str> {
        self.names
            .iter()
            .filter(|((kind, _), _)| *kind == PlaceKind::Type)
            .map(|(_, name)| name.as_str())
            .collect()
    }

    /// The lines of this lock that `message` (an error) quotes, as `<kind> <place> = <name>`:
    /// [`NameLock::conflict`] quotes the line it is about.
    pub fn lines_quoted_in(&self, message: &str) -> Vec<String> {
        self.names
            .iter()
            .map(|((kind, place), name)| format!("{} {place} = {name}", kind.word()))
            .filter(|line| message.contains(&format!("`{line}`")))
            .collect()
    }

    /// This lock without the given lines (as [`NameLock::lines_quoted_in`] gives them).
    pub fn without_lines(&self, lines: &BTreeSet<String>) -> Self {
        Self {
            path: self.path.clone(),
            names: self
                .names
                .iter()
                .filter(|((kind, place), name)| {
                    !lines.contains(&format!("{} {place} = {name}", kind.word()))
                })
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// An error about the lock's line for a place, saying how to resolve it.
    pub fn conflict(&self, kind: PlaceKind, place: &str, message: impl std::fmt::Display) -> Error {
        let name = self.name(kind, place).unwrap_or_default();
        Error::Override {
            path: self.path.clone(),
            message: format!(
                "`{} {place} = {name}`: {message}; edit or delete the line (a deleted line is \
                 named afresh)",
                kind.word()
            ),
        }
    }

    /// The lock file's text for the names of one regeneration: the header, then one line per place,
    /// sorted by kind and place, a blank line between kinds.
    pub fn render(places: &Places) -> String {
        let size: usize = places
            .iter()
            .map(|((_, p), n)| p.len() + n.len() + 16)
            .sum();
        let mut out = String::with_capacity(LOCK_HEADER.len() + size);
        out.push_str(LOCK_HEADER);
        let mut last = None;
        for ((kind, place), name) in places {
            if last != Some(*kind) {
                out.push('\n');
                last = Some(*kind);
            }
            for part in [kind.word(), " ", place, " = ", name, "\n"] {
                out.push_str(part);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_lock_line_splits_at_its_last_spaced_equals_sign() {
        for rest in [
            "a = b",
            "#/x/y = r#type",
            "p = q=r",
            "p = =",
            "a =  = b",
            "a = b = c",
            "a=b",
            "=",
            " = ",
            "",
        ] {
            assert_eq!(split_name(rest), rest.rsplit_once(" = "), "{rest:?}");
        }
    }

    fn overrides(text: &str) -> Overrides {
        Overrides::from_str(Path::new("o.yaml"), text).unwrap()
    }

    #[test]
    fn replace_with_expect_applies_and_detects_drift() {
        let o =
            overrides("patches:\n- pointer: /a/b\n  expect: 1\n  value: 2\n  reason: because\n");
        let mut doc = json!({"a": {"b": 1}});
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"a": {"b": 2}}));
        let mut changed = json!({"a": {"b": 3}});
        let msg = o.apply(&mut changed).unwrap_err().to_string();
        assert!(msg.contains("no longer applies"), "{msg}");
    }

    #[test]
    fn add_and_remove() {
        let o = overrides(
            "patches:\n- {pointer: /a/c, op: add, value: 5, reason: r}\n- {pointer: /a/b, op: remove, reason: r}\n",
        );
        let mut doc = json!({"a": {"b": 1}});
        o.apply(&mut doc).unwrap();
        assert_eq!(doc, json!({"a": {"c": 5}}));
        let msg = o.apply(&mut doc).unwrap_err().to_string();
        assert!(msg.contains("already exists"), "{msg}");
    }

    #[test]
    fn a_patch_whose_refs_dangle_does_not_fit_and_neither_does_one_built_on_it() {
        // The first patch refers to a schema the document lacks; the second refers to the schema
        // the first adds, so leaving the first out leaves the second dangling too. The third fits.
        let o = overrides(
            "patches:\n\
             - {pointer: /s/A, op: add, value: {oneOf: [{$ref: '#/s/Missing'}]}, reason: r}\n\
             - {pointer: /s/B, op: add, value: {items: {$ref: '#/s/A'}}, reason: r}\n\
             - {pointer: /s/C, op: add, value: {$ref: '#/s/D'}, reason: r}\n",
        );
        let doc = json!({"s": {"D": {}}});
        let (patched, skipped) = o.apply_fitting(&doc, &BTreeMap::new());
        assert_eq!(patched, json!({"s": {"D": {}, "C": {"$ref": "#/s/D"}}}));
        assert_eq!(
            skipped.get(&0).map(String::as_str),
            Some("its value refers to #/s/Missing, which this spec lacks")
        );
        assert_eq!(
            skipped.get(&1).map(String::as_str),
            Some("its value refers to #/s/A, which this spec lacks")
        );
        assert_eq!(skipped.len(), 2);
        // Generating refuses the first, the root cause (the second fits once the first applies).
        let msg = o.apply(&mut doc.clone()).unwrap_err().to_string();
        assert!(
            msg.contains("1 stale override") && msg.contains("override at /s/A no longer applies"),
            "{msg}"
        );
        // Where the schema exists, all three apply.
        let full = json!({"s": {"D": {}, "Missing": {}}});
        assert!(o.apply_fitting(&full, &BTreeMap::new()).1.is_empty());
        // The patches that made a place are found by the place's pointer.
        assert_eq!(o.patches_at("#/s/A/oneOf/0", &BTreeMap::new()), vec![0]);
        assert_eq!(o.patches_at("#/s/A", &skipped), Vec::<usize>::new());
        assert_eq!(
            o.patches_at("#/s/AB", &BTreeMap::new()),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn a_patch_needs_a_reason() {
        let err = Overrides::from_str(
            Path::new("o.yaml"),
            "patches:\n- {pointer: /a, value: 1, reason: ''}\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("no reason"));
    }

    #[test]
    fn unused_renames_are_reported() {
        let r = Renames::from_str(Path::new("r.yaml"), "operations:\n  a: get_a\n  b: get_b\n")
            .unwrap();
        assert_eq!(r.operation("a").map(|n| n.as_str()), Some("get_a"));
        let msg = r.check_all_used().unwrap_err().to_string();
        assert!(msg.contains("operations.b"), "{msg}");
    }

    #[test]
    fn the_lock_round_trips_through_its_text() {
        let mut places = Places::new();
        places.insert(
            (PlaceKind::Type, "#/components/schemas/A".to_owned()),
            "A".to_owned(),
        );
        places.insert(
            (
                PlaceKind::Field,
                "#/components/schemas/A/properties/type".to_owned(),
            ),
            "r#type".to_owned(),
        );
        places.insert(
            (PlaceKind::Method, "agents getAgents".to_owned()),
            "list_agents".to_owned(),
        );
        places.insert(
            (PlaceKind::Variant, "Channel in-app".to_owned()),
            "String".to_owned(),
        );
        let text = NameLock::render(&places);
        assert!(text.starts_with("# The Rust name of every generated type"));
        assert!(
            text.contains("\nmethod agents getAgents = list_agents\n"),
            "{text}"
        );
        let lock = NameLock::from_str(Path::new("names.lock"), &text).unwrap();
        assert_eq!(lock.names, places);
        assert_eq!(
            lock.name(PlaceKind::Field, "#/components/schemas/A/properties/type"),
            Some("r#type")
        );
        assert_eq!(lock.name(PlaceKind::Type, "#/components/schemas/B"), None);
    }

    #[test]
    fn result_lines_hold_data_or_body_and_list_the_type_names_and_values() {
        let lock = NameLock::from_str(
            Path::new("names.lock"),
            "result getTags = data\nresult getAgents = body\n\
             type #/components/schemas/Tag/properties/state = TagState\n\
             type #/components/schemas/Old/properties/state = TagState\n\
             variant TagState Active = Active\nvariant TagState In active = InActive\n\
             variant Other Active = Active\n",
        )
        .unwrap();
        assert_eq!(lock.name(PlaceKind::Result, "getTags"), Some(RESULT_DATA));
        assert_eq!(lock.name(PlaceKind::Result, "getAgents"), Some(RESULT_BODY));
        assert_eq!(lock.ident(PlaceKind::Result, "getTags"), None);
        assert_eq!(
            lock.places_by_type()["TagState"],
            [
                "#/components/schemas/Old/properties/state",
                "#/components/schemas/Tag/properties/state"
            ]
        );
        assert_eq!(
            lock.variant_values("TagState"),
            BTreeSet::from(["Active", "In active"])
        );
    }

    #[test]
    fn bad_lock_lines_are_refused_with_their_line() {
        for (text, needle) in [
            ("type #/a = lower\n", "not a valid type name"),
            ("field #/a = Upper\n", "not a valid field name"),
            ("method m op = r#foo\n", "not a valid method name"),
            ("variant A b = Self\n", "not a valid variant name"),
            ("list #/a = Some\n", "not a valid list name"),
            ("result getTags = Vec\n", "not a valid result name"),
            ("kind #/a = A\n", "is not `<kind> <place> = <name>`"),
            ("type #/a A\n", "is not `<kind> <place> = <name>`"),
            (
                "# c\ntype #/a = A\ntype #/a = B\n",
                "line 3: type #/a has a second line",
            ),
        ] {
            let err = NameLock::from_str(Path::new("names.lock"), text)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(needle) && err.contains("names.lock"),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn invalid_rename_targets_are_refused() {
        assert!(Renames::from_str(Path::new("r.yaml"), "operations:\n  a: Get-A\n").is_err());
        assert!(Renames::from_str(Path::new("r.yaml"), "types:\n  '#/x': lower\n").is_err());
    }

    #[test]
    fn an_id_place_without_evidence_is_refused() {
        let table = |evidence: &str| {
            format!(
                "ids:\n  ThingId:\n    raw: uuid\n    doc: A thing.\n    schemas: {{Thing: the thing}}\n    \
                 properties: {{'Link.thingId': '{evidence}'}}\n"
            )
        };
        let ok = Renames::from_str(
            Path::new("r.yaml"),
            &table("the example is the id of a thing"),
        )
        .expect("evidence given");
        assert_eq!(
            ok.ids().values().next().map(|id| id.properties.len()),
            Some(1)
        );
        let err = Renames::from_str(Path::new("r.yaml"), &table(" "))
            .expect_err("blank evidence")
            .to_string();
        assert!(
            err.contains("ids.ThingId.properties.Link.thingId gives no evidence"),
            "{err}"
        );
        // The old list form, places without evidence, is no longer read.
        let list = "ids:\n  ThingId:\n    raw: uuid\n    doc: A thing.\n    schemas: [Thing]\n";
        assert!(Renames::from_str(Path::new("r.yaml"), list).is_err());
    }
}
