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

pub mod allocator;
pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod parallel;
pub mod policy;
pub mod wire;

use error::{Error, Result};
use std::collections::{BTreeMap, BTreeSet};
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
///
/// The rename table, the lock and the webhooks description are needed only once the spec is
/// parsed, so they are read on another thread while this one reads and parses the spec (the
/// typed parse and lowering run on one core and leave the other idle). An error is the one the
/// files' order gives: the policy files', then the spec's, then the webhooks description's.
pub fn api(config: &Config) -> Result<ir::Api> {
    std::thread::scope(|scope| {
        let names = scope.spawn(|| -> Result<_> {
            let renames = match &config.renames {
                Some(path) => policy::Renames::from_file(path)?,
                None => policy::Renames::none(),
            };
            let lock = match &config.lock {
                Some(path) => policy::NameLock::from_file(path)?,
                None => policy::NameLock::none(),
            };
            let webhooks = config.webhooks.as_deref().map(load::load_webhooks);
            Ok((renames, lock, webhooks))
        });
        let names = || {
            names
                .join()
                .map_err(|_| Error::panicked("the thread reading the policy files"))?
        };
        // The corrections are read while the spec is: the spec's YAML is read on every core, but
        // reading the file first and cutting it into pieces leave one idle.
        let overrides = scope.spawn(|| match &config.overrides {
            Some(path) => policy::Overrides::from_file(path),
            None => Ok(policy::Overrides::none()),
        });
        let tree = load::load_tree(&config.spec);
        let overrides = overrides
            .join()
            .map_err(|_| Error::panicked("the thread reading the corrections"))??;
        let tree = match tree.and_then(|mut tree| overrides.apply(&mut tree).map(|()| tree)) {
            Ok(tree) => tree,
            // The rename table's and the lock's errors come before the spec's.
            Err(e) => return Err(names().err().unwrap_or(e)),
        };
        let mut webhooks = None;
        let mut api = parse_and_lower(tree, false, || {
            let (renames, lock, described) = names()?;
            // The description's schemas need nothing of the API, so they are lowered on the
            // other core while this one lowers the API; their errors still come after the API's.
            webhooks = described.map(|described| {
                scope.spawn(move || -> Result<_> {
                    let described = described?;
                    let schemas = lower::lower_webhook_schemas(&described);
                    Ok((described, schemas))
                })
            });
            Ok((renames, lock))
        })?;
        if let Some(lowering) = webhooks {
            let (described, schemas) = lowering
                .join()
                .map_err(|_| Error::panicked("the thread lowering the webhooks' schemas"))??;
            let (webhooks, warnings) = lower::lower_webhooks_from(&api, &described, schemas?)?;
            api.webhooks = Some(webhooks);
            api.warnings.extend(warnings);
        }
        Ok(api)
    })
}

/// Parses a spec tree (overrides applied) and lowers it, without webhooks.
fn lower_api(
    tree: serde_json::Value,
    renames: &policy::Renames,
    lock: &policy::NameLock,
    renames_open: bool,
) -> Result<ir::Api> {
    parse_and_lower(tree, renames_open, || Ok((renames, lock)))
}

/// Parses a spec tree (overrides applied) and lowers it with the rename table and lock that
/// `names` gives, asked for once the typed parse is done.
fn parse_and_lower<R, L>(
    mut tree: serde_json::Value,
    renames_open: bool,
    names: impl FnOnce() -> Result<(R, L)>,
) -> Result<ir::Api>
where
    R: std::borrow::Borrow<policy::Renames>,
    L: std::borrow::Borrow<policy::NameLock>,
{
    // A 3.1 document is read through its 3.0 rewrite; errors and warnings name the places as
    // written.
    let (spec, normalized) = lower::parse_tree(&mut tree)?;
    // Lowering reads the typed document only, so the tree is freed on the other core, which is
    // idle while this one lowers; so is the typed document after lowering.
    parallel::drop_elsewhere(tree);
    let (renames, lock) = names()?;
    let (renames, lock) = (renames.borrow(), lock.borrow());
    let lowered = if renames_open {
        lower::lower_keeping_renames_open(&spec, renames, lock)
    } else {
        lower::lower(&spec, renames, lock)
    };
    parallel::drop_elsewhere(spec);
    let mut api = lowered.map_err(|e| normalized.restore_error(e))?;
    api.warnings = normalized.restore_warnings(std::mem::take(&mut api.warnings));
    Ok(api)
}

/// The two sides of `generator diff`, lowered.
#[derive(Debug)]
pub struct DiffInput {
    /// The SDK of the old spec.
    pub old: ir::Api,
    /// The SDK of the new spec.
    pub new: ir::Api,
    /// What the reader of the diff should know about how the specs were read: the parts of the
    /// project's policy (override patches, the rename table, the lock, webhook events or the whole
    /// webhooks description) that fit one side only and were left out of the other.
    pub notes: Vec<String>,
}

/// Which of the project's name files a side of `generator diff` was read without.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LeftOut {
    Lock,
    Renames,
    Both,
}

impl LeftOut {
    fn renames(self) -> bool {
        matches!(self, LeftOut::Renames | LeftOut::Both)
    }

    fn lock(self) -> bool {
        matches!(self, LeftOut::Lock | LeftOut::Both)
    }
}

/// One side of `generator diff`, lowered with the parts of the policy that fit it.
struct Side {
    api: ir::Api,
    /// The patches of the override file not applied to this side, by position, with the reason.
    skipped: BTreeMap<usize, String>,
    /// The name files this side was read without, and the error they caused.
    left_out: Option<(LeftOut, Error)>,
    /// The entries of the rename table and the lock this side was read without.
    parts: LeftOutParts,
}

/// Entries of the name files that a side of `generator diff` was read without, each with the error
/// it caused there.
#[derive(Default)]
struct LeftOutParts {
    /// Id types of the rename table (`ids:`).
    ids: BTreeMap<naming::RustIdent, String>,
    /// Lines of the lock, as `<kind> <place> = <name>`.
    lock_lines: BTreeMap<String, String>,
}

/// Lowers one side of `generator diff` (without webhooks) from its tree as upstream wrote it.
///
/// Policy written for one version of the spec can apply to another and still not fit it. A patch
/// whose value refers to a schema this side lacks is left out by [`policy::Overrides::apply_fitting`];
/// one that applies but makes lowering fail at a place it wrote is left out here, and the side is
/// lowered again. When lowering still fails and the error names an id type of the rename table
/// (`ids:`, whose places can have another raw type in another version), the side is lowered
/// without that id type. Otherwise the side is lowered without the lock, without the rename
/// table, then without both: the first that succeeds is kept, and the error says why. A spec that
/// fails without any of them fails the diff: the spec itself is unreadable.
fn lower_side(
    original: &serde_json::Value,
    overrides: &policy::Overrides,
    renames: &policy::Renames,
    lock: &policy::NameLock,
    renames_open: bool,
) -> Result<Side> {
    let mut dropped = BTreeMap::new();
    let mut left = LeftOutParts::default();
    let (mut fewer_renames, mut fewer_lock);
    let (mut renames_now, mut lock_now) = (renames, lock);
    loop {
        let (tree, skipped) = overrides.apply_fitting(original, &dropped);
        let error = match lower_api(tree.clone(), renames_now, lock_now, renames_open) {
            Ok(api) => {
                // The entries the reduced table used count as used in the shared one.
                renames.absorb_used(renames_now);
                return Ok(Side {
                    api,
                    skipped,
                    left_out: None,
                    parts: left,
                });
            }
            Err(error) => error,
        };
        if let Error::Spec { pointer, .. } = &error {
            let culprits = overrides.patches_at(pointer, &skipped);
            if !culprits.is_empty() {
                for i in culprits {
                    dropped.insert(i, format!("it applies, but then {error}"));
                }
                continue;
            }
        }
        // A lock line that gives a name this side cannot have (two places of this version that
        // the other version merges, say), or an id type whose places have another raw type in
        // this version, is quoted by the error: leave it out and lower again.
        let message = error.to_string();
        let lines = lock_now.lines_quoted_in(&message);
        if !lines.is_empty() {
            left.lock_lines
                .extend(lines.into_iter().map(|line| (line, message.clone())));
            fewer_lock = lock.without_lines(&left.lock_lines.keys().cloned().collect());
            lock_now = &fewer_lock;
            continue;
        }
        let ids: Vec<&naming::RustIdent> = renames_now
            .ids()
            .keys()
            .filter(|name| message.contains(&format!("`{name}`")))
            .collect();
        if !ids.is_empty() {
            left.ids
                .extend(ids.into_iter().map(|name| (name.clone(), message.clone())));
            fewer_renames = renames.without_ids(&left.ids.keys().cloned().collect());
            renames_now = &fewer_renames;
            continue;
        }
        let (no_renames, no_lock) = (policy::Renames::none(), policy::NameLock::none());
        for (left_out, renames_then, lock_then) in [
            (LeftOut::Lock, renames_now, &no_lock),
            (LeftOut::Renames, &no_renames, lock_now),
            (LeftOut::Both, &no_renames, &no_lock),
        ] {
            if let Ok(api) = lower_api(tree.clone(), renames_then, lock_then, renames_open) {
                renames.absorb_used(renames_then);
                if left_out.lock() {
                    left.lock_lines.clear();
                }
                if left_out.renames() {
                    left.ids.clear();
                }
                return Ok(Side {
                    api,
                    skipped,
                    left_out: Some((left_out, error)),
                    parts: left,
                });
            }
        }
        return Err(error);
    }
}

/// Loads and lowers the two specs of `generator diff`. The project's policy is written for one of
/// the two specs (the old until it is updated, then the new), so each part of it that fits one side
/// only is left out of the other, with a note in [`DiffInput::notes`]; a part that fits neither is
/// an error, as it is when generating. When both sides read the same rename table (the project's,
/// by default), an entry must match something in one spec or the other, not in each: the entry
/// `diff` suggests to keep a renamed schema's name refers to the new key, which the old spec does
/// not have. Likewise, when both read the same override file, a patch must apply to one spec or
/// the other, and it must fit there: its `$ref`s must resolve and the side must lower. The rename
/// table and the lock are left out of a side only whole, when that side cannot be lowered with
/// them; the webhooks description loses the events the side's subscription enum lacks, or, when
/// it does not fit the side at all, the side has no webhooks.
pub fn apis_for_diff(old: &Config, new: &Config) -> Result<DiffInput> {
    let (old_overrides, old_renames, old_lock) = policies(old)?;
    let (new_overrides, new_renames, new_lock) = policies(new)?;
    let shared_renames = old.renames == new.renames;
    let shared_overrides = old.overrides == new.overrides;
    let old_tree = load::load_tree(&old.spec)?;
    let new_tree = load::load_tree(&new.spec)?;
    let old_side = lower_side(
        &old_tree,
        &old_overrides,
        &old_renames,
        &old_lock,
        shared_renames,
    )?;
    // With one rename table or one override file, the first side's copy serves both, so that
    // it records the entries either side used.
    let (new_overrides, new_renames) = (
        if shared_overrides {
            &old_overrides
        } else {
            &new_overrides
        },
        if shared_renames {
            &old_renames
        } else {
            &new_renames
        },
    );
    let new_side = lower_side(
        &new_tree,
        new_overrides,
        new_renames,
        &new_lock,
        shared_renames,
    )?;
    let mut notes = if shared_overrides {
        old_overrides.check_applied_somewhere(&old_side.skipped, &new_side.skipped)?
    } else {
        old_overrides.refuse_stale(&old_side.skipped)?;
        new_overrides.refuse_stale(&new_side.skipped)?;
        Vec::new()
    };
    // An entry left out of both sides fits neither: stale, as when generating.
    let stale = |of: &dyn Fn(&LeftOutParts) -> Vec<(String, String)>, path: &Option<PathBuf>| {
        let new_keys: BTreeSet<String> = of(&new_side.parts).into_iter().map(|(k, _)| k).collect();
        of(&old_side.parts)
            .into_iter()
            .find(|(key, _)| new_keys.contains(key))
            .map(|(_, message)| Error::Override {
                path: path.clone().unwrap_or_default(),
                message: format!("fits neither spec: {message}"),
            })
    };
    let lines = |parts: &LeftOutParts| parts.lock_lines.clone().into_iter().collect();
    let ids = |parts: &LeftOutParts| {
        parts
            .ids
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    if old.lock == new.lock {
        if let Some(error) = stale(&lines, &old.lock) {
            return Err(error);
        }
    }
    if shared_renames {
        if let Some(error) = stale(&ids, &old.renames) {
            return Err(error);
        }
    }
    for (side, parts, renames) in [
        ("old", &old_side.parts, &old.renames),
        ("new", &new_side.parts, &new.renames),
    ] {
        for (line, error) in &parts.lock_lines {
            notes.push(format!(
                "the lock line `{line}` does not fit the {side} spec, so the {side} one is named \
                 without it ({error})"
            ));
        }
        let file = renames
            .as_ref()
            .map_or_else(String::new, |p| format!(" of {}", p.display()));
        for (name, error) in &parts.ids {
            notes.push(format!(
                "the id type `{name}`{file} does not fit the {side} spec, so the {side} one is \
                 read without it ({error})"
            ));
        }
    }
    let (mut old_api, mut new_api) = (old_side.api, new_side.api);
    let mut renames_left_out = false;
    for (side, left_out, other, renames, lock, shared_lock) in [
        (
            "old",
            old_side.left_out,
            new_side.left_out.as_ref().map(|(l, _)| *l),
            &old.renames,
            &old.lock,
            old.lock == new.lock,
        ),
        (
            "new",
            new_side.left_out,
            None,
            &new.renames,
            &new.lock,
            old.lock == new.lock,
        ),
    ] {
        let Some((left_out, error)) = left_out else {
            continue;
        };
        // A file that fits neither side is stale either way: the error of the old side says why.
        let neither = other.is_some_and(|other| {
            (left_out.renames() && other.renames() && shared_renames)
                || (left_out.lock() && other.lock() && shared_lock)
        });
        if neither {
            return Err(error);
        }
        renames_left_out |= left_out.renames();
        let file = |path: &Option<PathBuf>| {
            path.as_ref()
                .map_or_else(String::new, |p| format!(" {}", p.display()))
        };
        let what = match left_out {
            LeftOut::Lock => format!("the lock{}", file(lock)),
            LeftOut::Renames => format!("the rename table{}", file(renames)),
            LeftOut::Both => format!(
                "the rename table{} and the lock{}",
                file(renames),
                file(lock)
            ),
        };
        let (verb, pronoun) = match left_out {
            LeftOut::Both => ("do", "them"),
            _ => ("does", "it"),
        };
        notes.push(format!(
            "{what} {verb} not fit the {side} spec, so the {side} one is named without {pronoun} \
             ({error})"
        ));
    }
    if shared_renames && !renames_left_out {
        old_renames.check_all_used()?;
    }
    notes.extend(webhooks_for_diff(old, new, &mut old_api, &mut new_api)?);
    Ok(DiffInput {
        old: old_api,
        new: new_api,
        notes,
    })
}

/// Adds the webhooks to both sides of `generator diff`, returning the notes. One description read
/// by both sides loses, on each, the events its subscription enum lacks; and a side it does not fit
/// at all (no subscription enum there, say) is read without webhooks. An event or a description
/// that fits neither side is an error. Two descriptions, one per side, must each fit theirs.
fn webhooks_for_diff(
    old: &Config,
    new: &Config,
    old_api: &mut ir::Api,
    new_api: &mut ir::Api,
) -> Result<Vec<String>> {
    let (Some(old_path), Some(new_path)) = (&old.webhooks, &new.webhooks) else {
        for (config, api) in [(old, old_api), (new, new_api)] {
            if let Some(path) = &config.webhooks {
                add_webhooks(api, path)?;
            }
        }
        return Ok(Vec::new());
    };
    if old_path != new_path {
        add_webhooks(old_api, old_path)?;
        add_webhooks(new_api, new_path)?;
        return Ok(Vec::new());
    }
    let described = load::load_webhooks(old_path)?;
    let mut unknown = Vec::new();
    let mut errors = Vec::new();
    for api in [&mut *old_api, &mut *new_api] {
        match lower::lower_webhooks_where_possible(api, &described) {
            Ok((webhooks, warnings, events)) => {
                api.webhooks = Some(webhooks);
                api.warnings.extend(warnings);
                unknown.push(events);
                errors.push(None);
            }
            Err(error) => {
                unknown.push(Vec::new());
                errors.push(Some(error));
            }
        }
    }
    let neither = |message: String| Error::Override {
        path: old_path.clone(),
        message: format!(
            "{message}; the webhooks description fits neither spec (update it, or compare \
             without it: --no-webhooks)"
        ),
    };
    let mut notes = Vec::new();
    for (side, error) in ["old", "new"].into_iter().zip(&errors) {
        if let Some(error) = error {
            if errors.iter().all(Option::is_some) {
                return Err(neither(error.to_string()));
            }
            notes.push(format!(
                "the webhooks description {} does not fit the {side} spec, so the {side} one is \
                 read without webhooks ({error})",
                old_path.display()
            ));
        }
    }
    let in_both: Vec<&str> = unknown[0]
        .iter()
        .filter(|(name, _)| unknown[1].iter().any(|(n, _)| n == name))
        .map(|(name, _)| name.as_str())
        .collect();
    if !in_both.is_empty() {
        return Err(neither(format!(
            "{} {} not an event of either spec's subscription API",
            in_both.join(", "),
            if in_both.len() == 1 { "is" } else { "are" }
        )));
    }
    for (side, events) in ["old", "new"].into_iter().zip(&unknown) {
        for (name, pointer) in events {
            notes.push(format!(
                "webhook event `{name}` ({pointer}) is not an event of the {side} spec's \
                 subscription API, so the {side} one is read without it"
            ));
        }
    }
    Ok(notes)
}

/// Loads the webhooks description at `path` and lowers it against `api`, whose subscription enum
/// it refers to, adding its events and types and its warnings.
pub fn add_webhooks(api: &mut ir::Api, path: &Path) -> Result<()> {
    let (webhooks, warnings) = lower::lower_webhooks(api, &load::load_webhooks(path)?)?;
    api.webhooks = Some(webhooks);
    api.warnings.extend(warnings);
    Ok(())
}

/// Runs the whole pipeline in memory.
pub fn generate(config: &Config) -> Result<Output> {
    let mut api = api(config)?;
    // The lock's text is written on another thread while emitting starts: the first step of
    // emitting leaves a core idle.
    let (files, lock) = std::thread::scope(|scope| {
        let api = &api;
        let lock = config
            .lock
            .as_deref()
            .map(|path| scope.spawn(move || LockFile::of(path, api)));
        let files = emit::emit(api);
        (files, lock.map(|lock| lock.join()))
    });
    let lock = lock
        .transpose()
        .map_err(|_| Error::panicked("the thread writing the lock"))?;
    let output = Output {
        files: files?,
        types: api.types.len(),
        operations: api.operation_count(),
        lock,
        warnings: std::mem::take(&mut api.warnings),
    };
    parallel::drop_elsewhere(api);
    Ok(output)
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
    Ok(compare(files, &Committed::read(out)?))
}

/// The files of an output directory, as read from disk: what [`compare`] compares the generator's
/// files with. Reading them needs nothing of the spec, so `--check` reads them on a thread of its
/// own while the spec is read and lowered.
#[derive(Debug, Default)]
pub struct Committed {
    /// Every file's bytes, by relative path (with `/` separators).
    files: BTreeMap<String, Vec<u8>>,
}

impl Committed {
    /// Reads every file under `out` (but `target/` directories); an absent directory has none.
    pub fn read(out: &Path) -> Result<Self> {
        let paths: Vec<String> = list_files(out)?.into_iter().collect();
        let contents = parallel::map(&paths, |path| {
            std::fs::read(out.join(path)).map_err(|source| Error::Io {
                path: out.join(path),
                source,
            })
        })
        .ok_or_else(|| Error::panicked("a thread reading files"))?;
        let files = paths
            .into_iter()
            .zip(contents)
            .map(|(path, content)| Ok((path, content?)))
            .collect::<Result<_>>()?;
        Ok(Self { files })
    }
}

/// How the committed files differ from the generator's.
pub fn compare(files: &Files, committed: &Committed) -> Drift {
    let mut drift = Drift::default();
    for (path, content) in files {
        match committed.files.get(path) {
            Some(bytes) if bytes == content.as_bytes() => {}
            Some(_) => drift.stale.push(path.clone()),
            None => drift.missing.push(path.clone()),
        }
    }
    drift.extra = committed
        .files
        .keys()
        .filter(|p| !files.contains_key(*p))
        .cloned()
        .collect();
    drift
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
