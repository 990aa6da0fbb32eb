//! Policy as data: the project's corrections to the upstream spec (`spec/overrides.yaml`) and its
//! naming decisions (`spec/renames.yaml`).
//!
//! Both files are small tables a maintainer can read without reading the generator. Every entry must
//! still match the spec: a patch whose target moved or changed, or a rename whose operation vanished,
//! stops the generator, so a fix that upstream made unnecessary cannot linger unnoticed.

use crate::error::{Error, Result};
use crate::load;
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

    /// The patches, in file order.
    pub fn patches(&self) -> &[Patch] {
        &self.patches
    }

    /// Applies every patch to the spec tree, in order, failing on the first that no longer applies.
    pub fn apply(&self, doc: &mut Value) -> Result<()> {
        for patch in &self.patches {
            apply_patch(doc, patch).map_err(|message| Error::Override {
                path: self.path.clone(),
                message: format!(
                    "override at {} no longer applies: {message} (did the upstream spec change? \
                     update or delete the override)",
                    patch.pointer
                ),
            })?;
        }
        Ok(())
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
    operations: BTreeMap<String, String>,
    types: BTreeMap<String, String>,
    /// Entries consulted so far, to find entries that match nothing.
    used: RefCell<BTreeSet<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RenamesFile {
    /// operationId -> method name.
    #[serde(default)]
    operations: BTreeMap<String, String>,
    /// JSON pointer of an inline or description-enum type -> type name.
    #[serde(default)]
    types: BTreeMap<String, String>,
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
        for name in file.operations.values() {
            if !crate::naming::is_snake_ident(name) {
                return Err(bad("method", name));
            }
        }
        for name in file.types.values() {
            if !crate::naming::is_type_ident(name) {
                return Err(bad("type", name));
            }
        }
        Ok(Self {
            path: path.to_owned(),
            operations: file.operations,
            types: file.types,
            used: RefCell::default(),
        })
    }

    /// The method name chosen for an operation, if any.
    pub fn operation(&self, operation_id: &str) -> Option<&str> {
        let name = self.operations.get(operation_id)?;
        self.used
            .borrow_mut()
            .insert(format!("operations.{operation_id}"));
        Some(name)
    }

    /// The type name chosen for the inline type at a JSON pointer, if any.
    pub fn type_at(&self, pointer: &str) -> Option<&str> {
        let name = self.types.get(pointer)?;
        self.used.borrow_mut().insert(format!("types.{pointer}"));
        Some(name)
    }

    /// Fails when an entry matched nothing in the spec, which means the spec changed under it.
    pub fn check_all_used(&self) -> Result<()> {
        let used = self.used.borrow();
        let stale: Vec<String> = self
            .operations
            .keys()
            .map(|k| format!("operations.{k}"))
            .chain(self.types.keys().map(|k| format!("types.{k}")))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert_eq!(r.operation("a"), Some("get_a"));
        let msg = r.check_all_used().unwrap_err().to_string();
        assert!(msg.contains("operations.b"), "{msg}");
    }

    #[test]
    fn invalid_rename_targets_are_refused() {
        assert!(Renames::from_str(Path::new("r.yaml"), "operations:\n  a: Get-A\n").is_err());
        assert!(Renames::from_str(Path::new("r.yaml"), "types:\n  '#/x': lower\n").is_err());
    }
}
