//! The generator on input nobody planned for: it must either produce an SDK that compiles or stop
//! with an error that names the place, never panic or hang, and give the same bytes for the same
//! input, whatever the order of the spec's maps.
//!
//! * The corpus in `tests/robustness/` holds one small spec per bad or unusual construct, and
//!   `expectations.yaml` beside it says what each must do; the cases that compile are compiled
//!   together with warnings denied. (`generator/tests/cli.rs` runs the same corpus through the
//!   binary, for the exit status.)
//! * A property test mutates the real spec (deleted nodes, values of another JSON type, renamed
//!   keys, copied subtrees, shuffled lists, new `$ref`s, truncated text) and runs the pipeline on
//!   each mutant under a time limit. `PROPTEST_CASES` (default 64) and `PROPTEST_RNG_SEED` (default
//!   fixed, so CI is reproducible) explore further; `ROBUSTNESS_VERBOSE=1` prints every rejection.
//! * The determinism tests generate from the real spec twice, and from copies whose maps are in
//!   another order.

use dixa_tests::fixtures;
use generator::policy::{NameLock, Renames};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, RngSeed, TestCaseError, TestRunner};
use serde_json::Value;
use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// The corpus.

/// What a corpus spec must do.
#[derive(Debug)]
enum Expect {
    /// Generate a crate that passes `cargo check` with warnings denied.
    Compiles,
    /// Fail with a message containing every one of these substrings.
    Fails(Vec<String>),
    /// Generate, but do not compile the crate, for this reason.
    Generates(String),
}

#[derive(Debug)]
struct Case {
    file: String,
    path: PathBuf,
    expect: Expect,
    /// Substrings that must match the warnings one to one (each warning matched by some, each
    /// matching some).
    warns: Vec<String>,
}

fn corpus_dir() -> PathBuf {
    dixa_tests::root().join("tests/robustness")
}

const EXPECTATIONS: &str = "expectations.yaml";

fn strings(value: &Value, what: &str) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("{what} must be a list of strings"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("{what} must be a list of strings"))
                .to_owned()
        })
        .collect()
}

/// The corpus with its expectations, in file order.
fn corpus() -> Vec<Case> {
    let path = corpus_dir().join(EXPECTATIONS);
    let text = std::fs::read_to_string(&path).expect("expectations.yaml exists");
    let tree = generator::load::parse_yaml(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    let Value::Object(entries) = tree else {
        panic!("{EXPECTATIONS} must map file names to expectations");
    };
    entries
        .into_iter()
        .map(|(file, entry)| {
            let Value::Object(entry) = entry else {
                panic!("{file}: an expectation is a mapping");
            };
            let mut expect = None;
            let mut warns = Vec::new();
            for (key, value) in &entry {
                let this = match key.as_str() {
                    "compiles" if value == &Value::Bool(true) => Expect::Compiles,
                    "fails" => Expect::Fails(strings(value, &format!("{file}: fails"))),
                    "generates" => Expect::Generates(
                        value
                            .as_str()
                            .unwrap_or_else(|| panic!("{file}: generates needs a reason"))
                            .to_owned(),
                    ),
                    "warns" => {
                        warns = strings(value, &format!("{file}: warns"));
                        continue;
                    }
                    other => panic!("{file}: unknown expectation {other}: {value}"),
                };
                assert!(
                    expect.replace(this).is_none(),
                    "{file}: more than one of compiles, fails, generates"
                );
            }
            let expect =
                expect.unwrap_or_else(|| panic!("{file}: needs compiles, fails or generates"));
            if matches!(expect, Expect::Fails(ref needles) if needles.is_empty()) {
                panic!("{file}: a failure must name at least the place");
            }
            Case {
                path: corpus_dir().join(&file),
                file,
                expect,
                warns,
            }
        })
        .collect()
}

/// Runs `f`, turning a panic into an error message.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned())
    })
}

/// What is wrong with `warnings` given the expected substrings.
fn warning_mismatches(warnings: &[String], expected: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for warning in warnings {
        if !expected.iter().any(|e| warning.contains(e.as_str())) {
            out.push(format!("unexpected warning: {warning}"));
        }
    }
    for e in expected {
        if !warnings.iter().any(|w| w.contains(e.as_str())) {
            out.push(format!(
                "no warning contains {e:?} (warnings: {warnings:#?})"
            ));
        }
    }
    out
}

#[test]
fn every_corpus_file_has_an_expectation() {
    let files: BTreeSet<String> = std::fs::read_dir(corpus_dir())
        .expect("tests/robustness exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name != EXPECTATIONS)
        .collect();
    let expected: BTreeSet<String> = corpus().into_iter().map(|c| c.file).collect();
    assert_eq!(
        files.difference(&expected).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "corpus files without an entry in {EXPECTATIONS}"
    );
    assert_eq!(
        expected.difference(&files).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "entries in {EXPECTATIONS} without a file"
    );
}

#[test]
fn every_case_generates_or_fails_as_expected() {
    let mut problems = Vec::new();
    for case in corpus() {
        let outcome = guarded(|| fixtures::generate(&case.path));
        let file = &case.file;
        match (&case.expect, outcome) {
            (_, Err(panic)) => problems.push(format!("{file}: the generator panicked: {panic}")),
            (Expect::Fails(needles), Ok(Err(error))) => {
                let message = error.to_string();
                for needle in needles {
                    if !message.contains(needle.as_str()) {
                        problems.push(format!("{file}: {needle:?} is not in the error: {message}"));
                    }
                }
            }
            (Expect::Fails(_), Ok(Ok(_))) => {
                problems.push(format!("{file}: generation succeeded but should fail"))
            }
            (Expect::Compiles | Expect::Generates(_), Ok(Err(error))) => {
                problems.push(format!("{file}: generation failed: {error}"))
            }
            (Expect::Compiles | Expect::Generates(_), Ok(Ok(output))) => problems.extend(
                warning_mismatches(&output.warnings, &case.warns)
                    .into_iter()
                    .map(|p| format!("{file}: {p}")),
            ),
        }
        if matches!(case.expect, Expect::Fails(_)) && !case.warns.is_empty() {
            problems.push(format!("{file}: a failing case cannot list warnings"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn compiling_cases_compile_with_warnings_denied() {
    let mut names = Vec::new();
    for case in corpus() {
        match case.expect {
            Expect::Compiles => {}
            Expect::Generates(reason) => {
                eprintln!("{}: not compiled: {reason}", case.file);
                continue;
            }
            Expect::Fails(_) => continue,
        }
        let output =
            fixtures::generate(&case.path).unwrap_or_else(|e| panic!("{}: {e}", case.file));
        let stem = case.file.trim_end_matches(".yaml");
        let name: String = format!("robust_{stem}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        fixtures::write_crate("robustness", &name, &output.files);
        names.push(name);
    }
    assert!(!names.is_empty(), "the corpus has cases that compile");
    if let Err(errors) = fixtures::check_crates("robustness", &names) {
        panic!("generated robustness crates do not compile:\n{errors}");
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations of the real spec.

/// A node of the spec tree, reached from the root by taking child `choice % len` at each level
/// until the choices run out or a leaf is reached. Short paths reach the structure near the top
/// (paths, components), long ones the leaves (types, formats, `$ref`s).
type Choices = Vec<u16>;

/// Something done to the spec tree.
#[derive(Debug, Clone)]
enum Mutation {
    /// Remove the node from its parent.
    Delete(Choices),
    /// Replace the node with a value (often of another JSON type).
    Replace(Choices, Value),
    /// Give the node another key in its parent object.
    RenameKey(Choices, &'static str),
    /// Put a copy of one node in place of another.
    Copy { from: Choices, to: Choices },
    /// Shuffle the node when it is an array.
    Shuffle(Choices, u64),
    /// Replace the node with a `$ref` to a component schema (the `n`th key, or a missing one), which
    /// makes dangling references and cycles.
    Reference(Choices, u16),
}

/// A mutant: mutations of the parsed tree, or the spec's text cut at a byte offset.
#[derive(Debug, Clone)]
enum Mutant {
    Tree(Vec<Mutation>),
    Truncated(u32),
}

const KEYS: &[&str] = &[
    "",
    "$ref",
    "type",
    "_type",
    "oneOf",
    "allOf",
    "anyOf",
    "not",
    "properties",
    "items",
    "required",
    "nullable",
    "enum",
    "format",
    "additionalProperties",
    "x-extra",
    "200",
    "2XX",
    "default",
    "get",
    "post",
    "~",
    "/",
    "a/b",
    "{id}",
    "self",
    "Self",
    "1st",
    "größe",
    "data",
    "meta",
    "pageKey",
    "schema",
    "content",
    "application/json",
    "in",
    "name",
];

const STRINGS: &[&str] = &[
    "",
    "x",
    "object",
    "string",
    "array",
    "integer",
    "3.0.3",
    "3.1.0",
    "#/components/schemas/Missing",
    "#/components/schemas",
    "#/",
    "{id}",
    "/a/{id}",
    "path",
    "query",
    "header",
    "uuid",
    "date-time",
    "binary",
    "int32",
    "values: [A, B]",
    "values: [self, Self, 1st, _]",
];

fn value_strategy() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e9..1.0e9f64).prop_map(Value::from),
        prop::sample::select(STRINGS).prop_map(Value::from),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(serde_json::Map::new())),
        prop::sample::select(STRINGS).prop_map(|s| Value::Array(vec![Value::from(s)])),
    ]
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    let choices = || prop::collection::vec(any::<u16>(), 1..12);
    prop_oneof![
        3 => choices().prop_map(Mutation::Delete),
        3 => (choices(), value_strategy()).prop_map(|(c, v)| Mutation::Replace(c, v)),
        2 => (choices(), prop::sample::select(KEYS)).prop_map(|(c, k)| Mutation::RenameKey(c, k)),
        1 => (choices(), choices()).prop_map(|(from, to)| Mutation::Copy { from, to }),
        1 => (choices(), any::<u64>()).prop_map(|(c, seed)| Mutation::Shuffle(c, seed)),
        2 => (choices(), any::<u16>()).prop_map(|(c, n)| Mutation::Reference(c, n)),
    ]
}

fn mutant_strategy() -> impl Strategy<Value = Mutant> {
    prop_oneof![
        5 => prop::collection::vec(mutation_strategy(), 1..4).prop_map(Mutant::Tree),
        1 => any::<u32>().prop_map(Mutant::Truncated),
    ]
}

/// One step from a node to a child.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path the choices lead to. Before the last choice only children that have children of their
/// own are taken (when there are any), so that a leaf near the root (`openapi: 3.0.3`) is not hit
/// by every path that passes by it.
fn path_of(root: &Value, choices: &[u16]) -> Vec<Step> {
    let is_container = |v: &Value| match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    };
    let mut node = root;
    let mut path = Vec::new();
    for (i, &choice) in choices.iter().enumerate() {
        let last = i + 1 == choices.len();
        let children: Vec<(Step, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Step::Index(i), v))
                .collect(),
            _ => Vec::new(),
        };
        let containers: Vec<&(Step, &Value)> =
            children.iter().filter(|(_, v)| is_container(v)).collect();
        let candidates: Vec<&(Step, &Value)> = if last || containers.is_empty() {
            children.iter().collect()
        } else {
            containers
        };
        let Some((step, child)) = candidates
            .get(usize::from(choice) % candidates.len().max(1))
            .copied()
        else {
            break;
        };
        path.push(step.clone());
        node = child;
    }
    path
}

fn node_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Index(index) => node.get_mut(*index),
    })
}

/// A small deterministic shuffle (xorshift), so a failing case replays exactly.
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).expect("fits");
        items.swap(i, j);
    }
}

fn apply(doc: &mut Value, mutation: &Mutation, schema_keys: &[String]) {
    match mutation {
        Mutation::Delete(choices) => {
            let mut path = path_of(doc, choices);
            let Some(last) = path.pop() else { return };
            match (node_mut(doc, &path), last) {
                (Some(Value::Object(map)), Step::Key(key)) => {
                    map.remove(&key);
                }
                (Some(Value::Array(items)), Step::Index(index)) => {
                    items.remove(index);
                }
                _ => {}
            }
        }
        Mutation::Replace(choices, value) => {
            let path = path_of(doc, choices);
            if let Some(node) = node_mut(doc, &path) {
                *node = value.clone();
            }
        }
        Mutation::RenameKey(choices, new_key) => {
            let mut path = path_of(doc, choices);
            let Some(Step::Key(key)) = path.pop() else {
                return;
            };
            if let Some(Value::Object(map)) = node_mut(doc, &path) {
                if let Some(value) = map.remove(&key) {
                    map.insert((*new_key).to_owned(), value);
                }
            }
        }
        Mutation::Copy { from, to } => {
            let from = path_of(doc, from);
            let Some(copy) = node_mut(doc, &from).map(|v| v.clone()) else {
                return;
            };
            let to = path_of(doc, to);
            if let Some(node) = node_mut(doc, &to) {
                *node = copy;
            }
        }
        Mutation::Shuffle(choices, seed) => {
            let path = path_of(doc, choices);
            // The node or its parent: most leaves are not arrays, but many sit in one.
            for len in [path.len(), path.len().saturating_sub(1)] {
                if let Some(Value::Array(items)) = node_mut(doc, &path[..len]) {
                    shuffle(items, *seed);
                    return;
                }
            }
        }
        Mutation::Reference(choices, n) => {
            let key = schema_keys
                .get(usize::from(*n) % (schema_keys.len() + 1))
                .map_or("Missing", String::as_str);
            let path = path_of(doc, choices);
            if let Some(node) = node_mut(doc, &path) {
                *node = serde_json::json!({ "$ref": format!("#/components/schemas/{key}") });
            }
        }
    }
}

/// The real spec: its text, and its tree with the overrides applied.
struct Base {
    text: String,
    tree: Value,
    renames: String,
    lock: String,
    schema_keys: Vec<String>,
}

fn base() -> &'static Base {
    static BASE: OnceLock<Base> = OnceLock::new();
    BASE.get_or_init(|| {
        let root = dixa_tests::root();
        let tree = dixa_tests::spec_tree();
        let schema_keys = tree["components"]["schemas"]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        Base {
            text: std::fs::read_to_string(root.join("spec/dixa-api.yaml")).expect("the spec"),
            renames: std::fs::read_to_string(root.join("spec/renames.yaml")).expect("renames"),
            lock: std::fs::read_to_string(root.join("spec/names.lock")).expect("names.lock"),
            tree,
            schema_keys,
        }
    })
}

/// Load, lower and emit one mutant. `Ok(Some(files))` when it generates, `Ok(None)` when the
/// generator rejects it with an error that names a place, `Err` for a broken promise.
fn run_mutant(mutant: &Mutant) -> Result<Option<generator::Files>, String> {
    let base = base();
    let spec_path = Path::new("spec/dixa-api.yaml");
    let renames_path = Path::new("spec/renames.yaml");
    let generated = (|| -> generator::error::Result<generator::Files> {
        let doc = match mutant {
            Mutant::Tree(mutations) => {
                let mut doc = base.tree.clone();
                for mutation in mutations {
                    apply(&mut doc, mutation, &base.schema_keys);
                }
                doc
            }
            Mutant::Truncated(at) => {
                let mut at = usize::try_from(*at).expect("fits") % base.text.len();
                while !base.text.is_char_boundary(at) {
                    at -= 1;
                }
                generator::load::parse_yaml(spec_path, &base.text[..at])?
            }
        };
        let spec = generator::lower::parse(doc)?;
        let renames = Renames::from_str(renames_path, &base.renames)?;
        let lock = NameLock::from_str(Path::new("spec/names.lock"), &base.lock)?;
        let api = generator::lower::lower(&spec, &renames, &lock)?;
        generator::emit::emit(&api)
    })();
    match generated {
        Ok(files) => Ok(Some(files)),
        Err(error) => {
            let message = error.to_string();
            // Every error names its place: a JSON pointer, an operation, a line, or a file.
            let located = ["#/", "#", "operation ", "line ", ".yaml", ".lock"]
                .iter()
                .any(|mark| message.contains(mark));
            if std::env::var_os("ROBUSTNESS_VERBOSE").is_some() {
                eprintln!("rejected: {message}");
            }
            if located {
                Ok(None)
            } else {
                Err(format!("the error does not name a place: {message}"))
            }
        }
    }
}

/// How long one mutant may take before it counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(10);

/// Runs one mutant on its own thread under [`CASE_LIMIT`], and checks that generated Rust parses.
fn check_mutant(mutant: Mutant) -> Result<bool, TestCaseError> {
    let (send, receive) = std::sync::mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let _ = send.send(guarded(|| run_mutant(&mutant)));
    });
    let outcome = match receive.recv_timeout(CASE_LIMIT) {
        Ok(outcome) => outcome,
        Err(_) => {
            return Err(TestCaseError::fail(format!(
                "no result after {:?}: the generator hangs",
                started.elapsed()
            )))
        }
    };
    let files = match outcome {
        Err(panic) => {
            return Err(TestCaseError::fail(format!(
                "the generator panicked: {panic}"
            )))
        }
        Ok(Err(broken)) => return Err(TestCaseError::fail(broken)),
        Ok(Ok(None)) => return Ok(false),
        Ok(Ok(Some(files))) => files,
    };
    for (path, content) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
        if let Err(e) = syn::parse_file(content) {
            return Err(TestCaseError::fail(format!(
                "{path} does not parse as Rust: {e}"
            )));
        }
    }
    Ok(true)
}

#[test]
fn mutants_of_the_real_spec_never_panic_or_hang_and_emit_rust() {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(0x0d1a_5eed);
    }
    config.failure_persistence = None;
    config.max_shrink_iters = 64;
    config.max_shrink_time = 60_000;
    let cases = config.cases;
    let generated = std::cell::Cell::new(0u32);
    let started = Instant::now();
    let mut runner = TestRunner::new(config);
    let result = runner.run(&mutant_strategy(), |mutant| {
        if check_mutant(mutant)? {
            generated.set(generated.get() + 1);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "{cases} mutants in {:?}: {} generated an SDK, the rest were rejected with an error",
        started.elapsed(),
        generated.get()
    );
    // Mutations that change nothing the generator reads (a description, an example) still
    // generate; none generating would mean the harness broke the spec before mutating it.
    assert!(generated.get() > 0, "no mutant generated");
}

// ---------------------------------------------------------------------------------------------
// Determinism.

fn real_config() -> generator::Config {
    generator::Config::beside(dixa_tests::root().join("spec/dixa-api.yaml"))
}

fn assert_same_files(expected: &generator::Files, actual: &generator::Files, what: &str) {
    let paths = |f: &generator::Files| f.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(expected), paths(actual), "{what}: other files");
    for (path, content) in expected {
        assert!(
            &actual[path] == content,
            "{what}: {path} differs (first difference at byte {})",
            content
                .bytes()
                .zip(actual[path].bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(content.len().min(actual[path].len()))
        );
    }
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let first = generator::generate(&real_config()).expect("the real spec generates");
    let second = generator::generate(&real_config()).expect("the real spec generates");
    assert_same_files(&first.files, &second.files, "second run");
    assert_eq!(first.warnings, second.warnings);
    assert_eq!(first.lock, second.lock, "second run: names.lock");
}

/// How a reordering arranges the keys of one object (given in sorted order).
type Order<'a> = &'a mut dyn FnMut(&mut Vec<&String>);

/// The tree as JSON text with every object's keys in the order `order` gives.
fn json_reordered(value: &Value, order: Order<'_>, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            order(&mut keys);
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(key.as_str()).to_string());
                out.push(':');
                json_reordered(&map[key], order, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_reordered(item, order, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The tree as a YAML value (whose mappings keep their insertion order) with every object's keys
/// in the order `order` gives.
fn yaml_reordered(value: &Value, order: Order<'_>) -> serde_yaml::Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            order(&mut keys);
            let mut out = serde_yaml::Mapping::new();
            for key in keys {
                out.insert(
                    serde_yaml::Value::String(key.clone()),
                    yaml_reordered(&map[key], order),
                );
            }
            serde_yaml::Value::Mapping(out)
        }
        Value::Array(items) => {
            serde_yaml::Value::Sequence(items.iter().map(|v| yaml_reordered(v, order)).collect())
        }
        scalar => serde_yaml::to_value(scalar).expect("a JSON scalar is YAML"),
    }
}

fn reverse(keys: &mut Vec<&String>) {
    keys.reverse();
}

/// A fixed shuffle: the seed advances with every object, so siblings are shuffled differently.
fn shuffler() -> impl FnMut(&mut Vec<&String>) {
    let mut seed = 0x5eed_u64;
    move |keys| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        shuffle(keys, seed);
    }
}

/// Through the files: the spec and the webhooks description written as JSON with their keys in
/// reverse order, beside copies of the override and rename tables, generate the same SDK. (The
/// loader reads YAML into a sorted tree, so this guards the whole path from the file; the next test
/// reorders the maps the lowering sees.)
#[test]
fn a_spec_file_with_reordered_keys_gives_the_same_bytes() {
    let expected = generator::generate(&real_config()).expect("the real spec generates");
    let root = dixa_tests::root();
    let dir = root.join("target/tmp/robustness-reordered");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("target/ is writable");
    for name in ["overrides.yaml", "renames.yaml", "names.lock"] {
        std::fs::copy(root.join("spec").join(name), dir.join(name)).expect("copies");
    }
    let text = std::fs::read_to_string(root.join("spec/dixa-api.yaml")).expect("the spec");
    let tree = generator::load::parse_yaml(Path::new("spec/dixa-api.yaml"), &text).expect("YAML");
    let mut json = String::new();
    json_reordered(&tree, &mut reverse, &mut json);
    let spec = dir.join("dixa-api.json");
    std::fs::write(&spec, json).expect("writable");
    let webhooks = root.join("spec/webhooks.yaml");
    let text = std::fs::read_to_string(&webhooks).expect("the webhooks description");
    let tree = generator::load::parse_yaml(&webhooks, &text).expect("YAML");
    let mut json = String::new();
    json_reordered(&tree, &mut reverse, &mut json);
    std::fs::write(dir.join("webhooks.yaml"), json).expect("writable");
    let actual = generator::generate(&generator::Config::beside(&spec)).expect("generates");
    assert_same_files(&expected.files, &actual.files, "reversed keys");
    assert_eq!(expected.warnings, actual.warnings);
    let text = |output: &generator::Output| output.lock.as_ref().map(|l| l.text.clone());
    assert!(
        text(&expected) == text(&actual),
        "reversed keys: names.lock differs"
    );
}

/// In memory: the spec parsed with its maps (schemas, properties, paths, responses, content types)
/// in reverse and in shuffled order generates the same SDK.
#[test]
fn reordered_maps_give_the_same_bytes() {
    let expected = generator::generate(&real_config()).expect("the real spec generates");
    let tree = dixa_tests::spec_tree();
    let renames_path = dixa_tests::root().join("spec/renames.yaml");
    let lock_path = dixa_tests::root().join("spec/names.lock");
    let expected_lock = expected.lock.as_ref().expect("a lock").text.clone();
    let mut shuffled = shuffler();
    let orders: [(&str, Order<'_>); 2] = [("reversed", &mut reverse), ("shuffled", &mut shuffled)];
    for (what, order) in orders {
        let yaml = yaml_reordered(&tree, order);
        let spec: openapiv3::OpenAPI = serde_yaml::from_value(yaml).expect("still OpenAPI");
        let renames = Renames::from_file(&renames_path).expect("renames");
        let lock = NameLock::from_file(&lock_path).expect("names.lock");
        let mut api = generator::lower::lower(&spec, &renames, &lock)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let webhooks = dixa_tests::root().join("spec/webhooks.yaml");
        generator::add_webhooks(&mut api, &webhooks).unwrap_or_else(|e| panic!("{what}: {e}"));
        let files = generator::emit::emit(&api).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_same_files(&expected.files, &files, what);
        assert_eq!(expected.warnings, api.warnings, "{what}");
        // The lock is rewritten from these names, so it must come out byte for byte the same.
        assert!(
            NameLock::render(&api.places) == expected_lock,
            "{what}: names.lock differs"
        );
    }
}

/// The same for every corpus spec that generates: these exercise what the real spec does not
/// (several content types of one body or response, `2XX` beside `200`, colliding names).
#[test]
fn corpus_specs_with_reordered_maps_give_the_same_bytes() {
    let mut checked = 0;
    for case in corpus() {
        if matches!(case.expect, Expect::Fails(_)) {
            continue;
        }
        let expected = fixtures::generate(&case.path).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&case.path).expect("readable");
        let tree = generator::load::parse_yaml(&case.path, &text).expect("YAML");
        let mut shuffled = shuffler();
        let orders: [(&str, Order<'_>); 2] =
            [("reversed", &mut reverse), ("shuffled", &mut shuffled)];
        for (what, order) in orders {
            let what = format!("{}, {what}", case.file);
            let yaml = yaml_reordered(&tree, order);
            let spec: openapiv3::OpenAPI = serde_yaml::from_value(yaml).expect("still OpenAPI");
            let api = generator::lower::lower(&spec, &Renames::none(), &NameLock::none())
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            let files = generator::emit::emit(&api).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_same_files(&expected.files, &files, &what);
            assert_eq!(expected.warnings, api.warnings, "{what}");
            let lock = expected.lock.as_ref().map(|l| l.text.as_str());
            assert!(
                lock == Some(NameLock::render(&api.places).as_str()),
                "{what}: names.lock differs"
            );
        }
        checked += 1;
    }
    assert!(checked > 10, "the corpus has specs that generate");
}

/// Dixa's implicit `_type` convention written out: every `oneOf` of `$ref`s in the real spec given
/// `discriminator: {propertyName: _type}`, with the mapping Dixa's server would write (each
/// branch's title up to the first `_`, by `$ref` pointer or by bare schema name) and without one,
/// generates the same SDK, warnings and lock as the spec without discriminators.
#[test]
fn an_explicit_type_discriminator_gives_the_same_sdk() {
    let expected = generator::generate(&real_config()).expect("the real spec generates");
    let expected_lock = expected.lock.as_ref().expect("a lock").text.clone();
    let tree = dixa_tests::spec_tree();
    let schemas = tree["components"]["schemas"].clone();
    for spelling in ["mapping by pointer", "mapping by name", "no mapping"] {
        let mut tree = tree.clone();
        let unions = add_type_discriminators(&mut tree, &schemas, spelling);
        assert!(unions > 40, "{spelling}: only {unions} unions found");
        let spec: openapiv3::OpenAPI = serde_json::from_value(tree).expect("still OpenAPI");
        let renames = Renames::from_file(&dixa_tests::root().join("spec/renames.yaml")).unwrap();
        let lock = NameLock::from_file(&dixa_tests::root().join("spec/names.lock")).unwrap();
        let mut api = generator::lower::lower(&spec, &renames, &lock)
            .unwrap_or_else(|e| panic!("{spelling}: {e}"));
        let webhooks = dixa_tests::root().join("spec/webhooks.yaml");
        generator::add_webhooks(&mut api, &webhooks).unwrap_or_else(|e| panic!("{spelling}: {e}"));
        let files = generator::emit::emit(&api).unwrap_or_else(|e| panic!("{spelling}: {e}"));
        assert_same_files(&expected.files, &files, spelling);
        assert_eq!(expected.warnings, api.warnings, "{spelling}");
        assert!(
            NameLock::render(&api.places) == expected_lock,
            "{spelling}: names.lock differs"
        );
    }
}

/// Adds a `_type` discriminator to every `oneOf` whose branches are all `$ref`s; returns how many.
fn add_type_discriminators(value: &mut Value, schemas: &Value, spelling: &str) -> usize {
    let mut count = 0;
    match value {
        Value::Object(map) => {
            let refs: Option<Vec<String>> =
                map.get("oneOf").and_then(Value::as_array).and_then(|b| {
                    b.iter()
                        .map(|b| b.get("$ref").and_then(Value::as_str).map(str::to_owned))
                        .collect()
                });
            if let Some(refs) = refs {
                let mut mapping = serde_json::Map::new();
                for reference in &refs {
                    let key = reference.trim_start_matches("#/components/schemas/");
                    let title = schemas[key]["title"].as_str().unwrap_or(key);
                    let tag = title.split('_').next().unwrap_or(title);
                    let target = match spelling {
                        "mapping by name" => key.to_owned(),
                        _ => reference.clone(),
                    };
                    mapping.insert(tag.to_owned(), Value::String(target));
                }
                let mut discriminator = serde_json::json!({"propertyName": "_type"});
                if spelling != "no mapping" {
                    discriminator["mapping"] = Value::Object(mapping);
                }
                map.insert("discriminator".to_owned(), discriminator);
                count += 1;
            }
            for child in map.values_mut() {
                count += add_type_discriminators(child, schemas, spelling);
            }
        }
        Value::Array(items) => {
            for item in items {
                count += add_type_discriminators(item, schemas, spelling);
            }
        }
        _ => {}
    }
    count
}
