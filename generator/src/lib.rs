//! The generator of the `dixa` SDK: load -> lower -> emit.
//!
//! * [`load`] reads the spec into a JSON tree, which [`policy`]'s overrides patch;
//! * [`lower`] parses the tree into openapiv3 types and turns them into the IR of [`ir`], deciding
//!   every name through [`naming`];
//! * [`emit`] renders the IR into the SDK's files.
//!
//! [`generate`] runs the pipeline in memory; [`diff`] compares the SDKs of two specs; [`write()`] and [`check()`] compare its output with a
//! directory. The binary (`cargo run -p generator`) is a thin CLI over these functions, and the sync
//! test calls them directly.

pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod policy;
pub mod wire;

use error::{Error, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use emit::Files;

/// What the generator reads.
#[derive(Debug, Clone)]
pub struct Config {
    /// The OpenAPI description.
    pub spec: PathBuf,
    /// The project's corrections to it (`spec/overrides.yaml`), if any.
    pub overrides: Option<PathBuf>,
    /// The project's rename table (`spec/renames.yaml`), if any.
    pub renames: Option<PathBuf>,
    /// The lock file of names (`spec/names.lock`), if any. It need not exist yet: a missing lock is
    /// empty, and the first regeneration writes it.
    pub lock: Option<PathBuf>,
    /// The description of the webhooks Dixa delivers (`spec/webhooks.yaml`), if any.
    pub webhooks: Option<PathBuf>,
}

impl Config {
    /// Reads `spec`, with the override, rename and webhooks files beside it when they exist, and
    /// the lock file beside it (which a regeneration writes when it does not exist).
    pub fn beside(spec: impl Into<PathBuf>) -> Self {
        let spec = spec.into();
        let dir = spec.parent().map(Path::to_path_buf).unwrap_or_default();
        let existing = |name: &str| Some(dir.join(name)).filter(|p| p.exists());
        Self {
            overrides: existing("overrides.yaml"),
            renames: existing("renames.yaml"),
            lock: Some(dir.join(policy::LOCK_FILE)),
            webhooks: existing("webhooks.yaml"),
            spec,
        }
    }

    /// This configuration with `other`'s lock file. `generator diff` lowers the new spec with the
    /// project's lock, so that both sides have the names a regeneration would give them and a
    /// change is not mistaken for a rename.
    pub fn with_lock_of(mut self, other: &Config) -> Self {
        self.lock = other.lock.clone();
        self
    }
}

/// The generator's output held in memory, with the IR's counts for the summary line.
#[derive(Debug)]
pub struct Output {
    /// The SDK's files.
    pub files: Files,
    /// How many types and operations the SDK has.
    pub types: usize,
    /// The number of operations.
    pub operations: usize,
    /// Things the generator worked around.
    pub warnings: Vec<String>,
    /// The lock file as this run names things, when the configuration has one.
    pub lock: Option<LockFile>,
}

/// The lock file a run writes: every place's name (see [`policy::NameLock`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockFile {
    /// Where it lives (`spec/names.lock`).
    pub path: PathBuf,
    /// Its content.
    pub text: String,
}

impl LockFile {
    /// The lock file recording the names of `api`.
    pub fn of(path: &Path, api: &ir::Api) -> Self {
        Self {
            path: path.to_owned(),
            text: policy::NameLock::render(&api.places),
        }
    }

    /// Whether the file on disk has exactly this content.
    pub fn is_current(&self) -> Result<bool> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(bytes == self.text.as_bytes()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(Error::Io {
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Writes the file when its content changes; returns whether it did.
    pub fn write(&self) -> Result<bool> {
        if self.is_current()? {
            return Ok(false);
        }
        std::fs::write(&self.path, &self.text).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        Ok(true)
    }
}

/// The project's policy files for a spec (or none).
pub fn policies(config: &Config) -> Result<(policy::Overrides, policy::Renames, policy::NameLock)> {
    let overrides = match &config.overrides {
        Some(path) => policy::Overrides::from_file(path)?,
        None => policy::Overrides::none(),
    };
    let renames = match &config.renames {
        Some(path) => policy::Renames::from_file(path)?,
        None => policy::Renames::none(),
    };
    let lock = match &config.lock {
        Some(path) => policy::NameLock::from_file(path)?,
        None => policy::NameLock::none(),
    };
    Ok((overrides, renames, lock))
}

/// Loads and lowers a spec: the SDK as the IR describes it.
pub fn api(config: &Config) -> Result<ir::Api> {
    let (overrides, renames, lock) = policies(config)?;
    lower_tree(
        config,
        overrides.load(&config.spec)?,
        &renames,
        &lock,
        false,
    )
}

/// Parses the spec tree of `config` (overrides applied) and lowers it, its webhooks included. With
/// `renames_open`, an entry of `renames` need not match in this spec (`generator diff` checks the
/// table against both).
fn lower_tree(
    config: &Config,
    tree: serde_json::Value,
    renames: &policy::Renames,
    lock: &policy::NameLock,
    renames_open: bool,
) -> Result<ir::Api> {
    let (spec, normalized) = lower::parse_with_rewrites(tree)?;
    let mut api = if renames_open {
        lower::lower_keeping_renames_open(&spec, renames, lock)
    } else {
        lower::lower(&spec, renames, lock)
    }
    .map_err(|e| normalized.restore_error(e))?;
    api.warnings = normalized.restore_warnings(std::mem::take(&mut api.warnings));
    if let Some(path) = &config.webhooks {
        add_webhooks(&mut api, path)?;
    }
    Ok(api)
}

/// The two sides of `generator diff`, lowered.
#[derive(Debug)]
pub struct DiffInput {
    /// The SDK of the old spec.
    pub old: ir::Api,
    /// The SDK of the new spec.
    pub new: ir::Api,
    /// What the reader of the diff should know about how the specs were read: the project's
    /// overrides that applied to one side only.
    pub notes: Vec<String>,
}

/// Loads and lowers the two specs of `generator diff`. When both sides read the same rename table
/// (the project's, by default), an entry must match something in one spec or the other, not in
/// each: the entry `diff` suggests to keep a renamed schema's name refers to the new key, which the
/// old spec does not have. Likewise, when both read the same override file, a patch must apply to
/// one spec or the other: the file is written for one of them (the old until it is updated, then
/// the new), and a patch that applies to one side only is reported in [`DiffInput::notes`].
pub fn apis_for_diff(old: &Config, new: &Config) -> Result<DiffInput> {
    let (old_overrides, old_renames, old_lock) = policies(old)?;
    let (new_overrides, new_renames, new_lock) = policies(new)?;
    let shared_renames = old.renames == new.renames;
    let (old_tree, new_tree, notes) = if old.overrides == new.overrides {
        let (old_tree, old_skipped) = old_overrides.load_where_possible(&old.spec)?;
        let (new_tree, new_skipped) = old_overrides.load_where_possible(&new.spec)?;
        let notes = old_overrides.check_applied_somewhere(&old_skipped, &new_skipped)?;
        (old_tree, new_tree, notes)
    } else {
        let old_tree = old_overrides.load(&old.spec)?;
        (old_tree, new_overrides.load(&new.spec)?, Vec::new())
    };
    let old_api = lower_tree(old, old_tree, &old_renames, &old_lock, shared_renames)?;
    // With one rename table, the first side's copy records the entries either side used.
    let new_renames = if shared_renames {
        &old_renames
    } else {
        &new_renames
    };
    let new_api = lower_tree(new, new_tree, new_renames, &new_lock, shared_renames)?;
    if shared_renames {
        old_renames.check_all_used()?;
    }
    Ok(DiffInput {
        old: old_api,
        new: new_api,
        notes,
    })
}

/// Loads the webhooks description at `path` and lowers it against `api`, whose subscription enum
/// it refers to, adding its events and types and its warnings.
pub fn add_webhooks(api: &mut ir::Api, path: &Path) -> Result<()> {
    let described = load::load_webhooks(path)?;
    let (webhooks, warnings) = lower::lower_webhooks(api, &described)?;
    api.webhooks = Some(webhooks);
    api.warnings.extend(warnings);
    Ok(())
}

/// Runs the whole pipeline in memory.
pub fn generate(config: &Config) -> Result<Output> {
    let api = api(config)?;
    let files = emit::emit(&api)?;
    Ok(Output {
        files,
        types: api.types.len(),
        operations: api.operation_count(),
        lock: config.lock.as_deref().map(|path| LockFile::of(path, &api)),
        warnings: api.warnings,
    })
}

/// How a directory differs from the generator's output.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose content differs.
    pub stale: Vec<String>,
    /// Files the generator writes that are missing.
    pub missing: Vec<String>,
    /// Files in the directory the generator does not write.
    pub extra: Vec<String>,
}

impl Drift {
    /// Whether the directory matches exactly.
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (label, list) in [
            ("stale", &self.stale),
            ("missing", &self.missing),
            ("extra", &self.extra),
        ] {
            for path in list {
                writeln!(f, "  {label}: {path}")?;
            }
        }
        Ok(())
    }
}

/// Compares `out` with the generator's files.
pub fn check(files: &Files, out: &Path) -> Result<Drift> {
    let mut drift = Drift::default();
    for (path, content) in files {
        match std::fs::read(out.join(path)) {
            Ok(bytes) if bytes == content.as_bytes() => {}
            Ok(_) => drift.stale.push(path.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.missing.push(path.clone()),
            Err(source) => {
                return Err(Error::Io {
                    path: out.join(path),
                    source,
                })
            }
        }
    }
    let existing = list_files(out)?;
    drift.extra = existing
        .into_iter()
        .filter(|p| !files.contains_key(p))
        .collect();
    Ok(drift)
}

/// Writes the generator's files into `out`, touching only files whose bytes change (so cargo does not
/// rebuild what did not change), and deletes files the generator no longer writes. Returns how many
/// files were written and deleted.
pub fn write(files: &Files, out: &Path) -> Result<(usize, usize)> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let drift = check(files, out)?;
    let mut written = 0;
    for path in drift.stale.iter().chain(&drift.missing) {
        let target = out.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&target, &files[path]).map_err(io(&target))?;
        written += 1;
    }
    for path in &drift.extra {
        let target = out.join(path);
        std::fs::remove_file(&target).map_err(io(&target))?;
    }
    Ok((written, drift.extra.len()))
}

/// Every file below `dir` (relative, `/`-separated, sorted), skipping build output.
fn list_files(dir: &Path) -> Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = std::fs::read_dir(&current).map_err(|source| Error::Io {
            path: current.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| Error::Io {
                path: current.clone(),
                source,
            })?;
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else if let Ok(relative) = path.strip_prefix(dir) {
                let relative: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.insert(relative.join("/"));
            }
        }
    }
    Ok(out)
}
