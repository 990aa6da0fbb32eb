//! `cargo run -p generator [-- --check]`: regenerates the `dixa` SDK, or checks it is up to date.
//!
//! Exit status: 0 on success, 1 when `--check` finds the committed SDK stale, 2 on any error (a
//! missing file, malformed YAML, an unsupported spec, a dangling `$ref`, a name collision).

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Rendering allocates and frees millions of small token and string values on two threads, and
/// glibc's allocator spent a third of a run's instructions on them (BENCHMARKS.md, generator).
/// `generator::allocator` sets it up for a short run; `bare_parse`, the benchmark's baseline,
/// uses the same allocator and settings, so the two stay comparable.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates the `dixa` Rust SDK from Dixa's OpenAPI description.
#[derive(Debug, Parser)]
#[command(name = "generator", version)]
struct Cli {
    /// The OpenAPI 3.0 description to read. Wherever it is, the project's policy applies: the
    /// corrections `spec/overrides.yaml`, the names `spec/renames.yaml` and the lock
    /// `spec/names.lock` of the working directory (beside the spec only when the working directory
    /// has no `spec/` of its own); the summary line says which files were applied.
    #[arg(long, default_value = "spec/dixa-api.yaml")]
    spec: PathBuf,
    /// The corrections to apply instead of the project's.
    #[arg(long, conflicts_with = "no_overrides")]
    overrides: Option<PathBuf>,
    /// Apply no corrections: generate from the spec as upstream wrote it (with `--no-renames`, as
    /// the project's renames may name places only the corrections create).
    #[arg(long)]
    no_overrides: bool,
    /// The rename table to use instead of the project's.
    #[arg(long, conflicts_with = "no_renames")]
    renames: Option<PathBuf>,
    /// Use no rename table.
    #[arg(long)]
    no_renames: bool,
    /// The lock file of names to use instead of the project's.
    #[arg(long, conflicts_with = "no_lock")]
    lock: Option<PathBuf>,
    /// The webhooks description to use instead of the one beside the spec or the project's.
    #[arg(long, conflicts_with = "no_webhooks")]
    webhooks: Option<PathBuf>,
    /// Use no webhooks description: the SDK (or both sides of `diff`) without typed webhook events.
    #[arg(long)]
    no_webhooks: bool,
    /// The SDK crate directory to write.
    #[arg(long, default_value = "generated")]
    out: PathBuf,
    /// Compare with the directory instead of writing; exit 1 listing stale, missing and extra files.
    #[arg(long)]
    check: bool,
    /// Name everything by the rules alone: neither read nor write `names.lock` (for specs that share
    /// a directory, such as test corpora, where one lock would serve several specs).
    #[arg(long)]
    no_lock: bool,
    /// Print the generator's warnings (constructs it worked around).
    #[arg(long, short)]
    verbose: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report what changes for SDK users between two specs, both read with the project's policy
    /// (corrections, renames, lock and webhooks description, as for generating). A part of the
    /// policy that fits one spec only is left out of the other, with a note on standard error.
    /// With `--old-policy` or `--old-rev` the old side is read with an older policy instead, so
    /// that the changes a release made through the policy alone (renames, id types, overrides)
    /// are listed too; OLD and NEW may then be the same spec. Changes made by the generator's code
    /// (how it decodes or names things) are not seen by any diff.
    /// Exit 0 when nothing breaking changed, 1 when something did, 2 on error.
    Diff {
        /// The spec the current SDK is generated from.
        old: PathBuf,
        /// The new spec.
        new: PathBuf,
        /// Markdown for people (and CHANGELOG.md), JSON for machines.
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Read OLD with the policy files of DIR (`overrides.yaml`, `renames.yaml`, `names.lock`,
        /// `webhooks.yaml`; one that DIR lacks is not used on the old side). NEW keeps the
        /// project's policy (or the files the flags before `diff` name).
        #[arg(long, value_name = "DIR", conflicts_with = "old_rev")]
        old_policy: Option<PathBuf>,
        /// Read OLD with the policy files of `spec/` as git revision REV has them (`git show
        /// REV:spec/overrides.yaml`, ...; one that REV lacks is not used on the old side), for
        /// example the commit of the previous release; an `ids:` table that lists its places
        /// without evidence (before 0.3) is read with a note as each place's evidence. Run from the
        /// repository's root.
        #[arg(long, value_name = "REV")]
        old_rev: Option<String>,
    },
    /// Write the spec as the SDK reads the wire (overrides applied, union tags declared on the
    /// branches, oneOf as anyOf) as JSON, for mock servers and validators that only read schemas.
    WireSpec {
        /// Where to write it.
        #[arg(long)]
        output: PathBuf,
    },
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Markdown,
    Json,
}

fn main() -> ExitCode {
    generator::allocator::configure();
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: &Cli) -> generator::error::Result<ExitCode> {
    let start = Instant::now();
    let config = policy_for(cli, &cli.spec);
    if let Some(Command::Diff {
        old,
        new,
        format,
        old_policy,
        old_rev,
    }) = &cli.command
    {
        let input = diff_input(cli, old, new, old_policy.as_deref(), old_rev.as_deref())?;
        for note in &input.notes {
            eprintln!("note: {note}");
        }
        let changes = generator::diff::diff(&input.old, &input.new);
        match format {
            Format::Markdown => print!("{}", generator::diff::markdown(&changes)),
            Format::Json => println!("{}", generator::diff::json(&changes)),
        }
        let breaking = generator::diff::has_breaking(&changes);
        return Ok(if breaking {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        });
    }
    if let Some(Command::WireSpec { output }) = &cli.command {
        let tree = generator::wire::wire_spec(&config)?;
        let text =
            serde_json::to_string_pretty(&tree).map_err(|e| generator::error::Error::Spec {
                pointer: "#".to_owned(),
                message: e.to_string(),
            })?;
        std::fs::write(output, text).map_err(|source| generator::error::Error::Io {
            path: output.clone(),
            source,
        })?;
        println!(
            "wrote {} ({} ms)",
            output.display(),
            start.elapsed().as_millis()
        );
        return Ok(ExitCode::SUCCESS);
    }
    // --check compares the generated files with the committed ones, which are read on a thread
    // of their own meanwhile (the lowering leaves a core idle).
    let out = cli.out.clone();
    let committed = cli
        .check
        .then(|| std::thread::spawn(move || generator::Committed::read(&out)));
    let output = generator::generate(&config)?;
    if cli.verbose {
        for warning in &output.warnings {
            eprintln!("warning: {warning}");
        }
    }
    let summary = |verb: &str| {
        format!(
            "{verb}: {} types, {} operations, {} files, {} warnings, {} ms; policy: {}",
            output.types,
            output.operations,
            output.files.len(),
            output.warnings.len(),
            start.elapsed().as_millis(),
            describe_policy(&config)
        )
    };
    if let Some(committed) = committed {
        let committed = committed.join().map_err(|_| {
            generator::error::Error::panicked("the thread reading the committed files")
        })??;
        let drift = generator::compare(&output.files, &committed);
        let stale_lock = match &output.lock {
            Some(lock) if !lock.is_current()? => Some(lock.path.display()),
            _ => None,
        };
        if !drift.is_empty() {
            eprint!(
                "{} is out of date with the spec and the generator:\n{drift}",
                cli.out.display()
            );
        }
        if let Some(lock) = &stale_lock {
            eprintln!(
                "{lock} is out of date: it does not hold the names the generator gives today"
            );
        }
        if !drift.is_empty() || stale_lock.is_some() {
            eprintln!("fix: cargo run -p generator");
            return Ok(ExitCode::from(1));
        }
        println!("{}", summary("up to date"));
    } else {
        let (written, deleted) = generator::write(&output.files, &cli.out)?;
        let lock = match &output.lock {
            Some(lock) if lock.write()? => format!(", {} updated", lock.path.display()),
            _ => String::new(),
        };
        println!(
            "{} ({written} written, {deleted} deleted{lock})",
            summary("generated")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Both sides of `generator diff`, lowered. Without an old policy both sides are read with the
/// same policy, so that names on both sides are the ones a regeneration gives and only changes of
/// the spec show. With one, the old side is read with it and the new side with the project's (its
/// own lock too), so that changes of the policy show as well.
fn diff_input(
    cli: &Cli,
    old: &Path,
    new: &Path,
    old_policy: Option<&Path>,
    old_rev: Option<&str>,
) -> generator::error::Result<generator::DiffInput> {
    use generator::diff::old_policy;
    if let Some(dir) = old_policy {
        if !dir.is_dir() {
            return Err(generator::error::Error::Io {
                path: dir.to_owned(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory"),
            });
        }
        return generator::apis_for_diff(&old_policy::config_in(old, dir), &policy_for(cli, new));
    }
    if let Some(rev) = old_rev {
        let dir = std::env::temp_dir().join(format!("generator-diff-{}", std::process::id()));
        let input = old_policy::copy_from_rev(rev, &dir).and_then(|copied| {
            eprintln!(
                "note: the old side is read with the policy of {rev}: {}",
                if copied.is_empty() {
                    "none".to_owned()
                } else {
                    copied.join(", ")
                }
            );
            generator::apis_for_diff(&old_policy::config_in(old, &dir), &policy_for(cli, new))
        });
        // The scratch copy is only needed while lowering; failing to remove it changes nothing.
        let _ = std::fs::remove_dir_all(&dir);
        return input;
    }
    let old = policy_for(cli, old);
    let new = policy_for(cli, new).with_lock_of(&old);
    generator::apis_for_diff(&old, &new)
}

/// The configuration for reading `spec`: the files the flags name, else the project's (`spec/` of
/// the working directory), else the ones beside `spec`. The project's corrections must not be
/// dropped silently because a spec was read from another folder.
fn policy_for(cli: &Cli, spec: &Path) -> generator::Config {
    let beside = generator::Config::beside(spec);
    let project = Path::new("spec");
    let pick = |flag: &Option<PathBuf>, off: bool, name: &str, beside: Option<PathBuf>| {
        if off {
            return None;
        }
        flag.clone()
            .or_else(|| Some(project.join(name)).filter(|p| p.exists()))
            .or(beside)
    };
    let lock = if project.is_dir() {
        Some(project.join(generator::policy::LOCK_FILE))
    } else {
        beside.lock.clone()
    };
    generator::Config {
        overrides: pick(
            &cli.overrides,
            cli.no_overrides,
            "overrides.yaml",
            beside.overrides,
        ),
        renames: pick(&cli.renames, cli.no_renames, "renames.yaml", beside.renames),
        lock: pick(&cli.lock, cli.no_lock, generator::policy::LOCK_FILE, lock),
        // The webhooks description is part of what is compared or generated, not policy: the one
        // the flag names, else the one beside the spec, else the project's.
        webhooks: if cli.no_webhooks {
            None
        } else {
            cli.webhooks.clone().or_else(|| {
                beside
                    .webhooks
                    .or_else(|| Some(project.join("webhooks.yaml")).filter(|p| p.exists()))
            })
        },
        spec: beside.spec,
    }
}

/// The policy files of a configuration, for the summary line.
fn describe_policy(config: &generator::Config) -> String {
    let files: Vec<String> = [
        &config.overrides,
        &config.renames,
        &config.lock,
        &config.webhooks,
    ]
    .into_iter()
    .flatten()
    .map(|p| p.display().to_string())
    .collect();
    if files.is_empty() {
        "none".to_owned()
    } else {
        files.join(", ")
    }
}
