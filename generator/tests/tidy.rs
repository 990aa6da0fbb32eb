//! Tidy: the rules of ARCHITECTURE.md that the compiler does not keep, checked over the source
//! (rust-analyzer's `tidy.rs` is the model). Each test reads the generator's and the runtime's
//! files as text, with comments removed, and names every file and line that breaks a rule.
//!
//! `every_invariant_names_its_test` ties the two together: each invariant in ARCHITECTURE.md must
//! say which test checks it, and that test must exist, so an invariant nobody checks cannot be
//! written down.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ has a parent")
        .to_owned()
}

/// A source file: its path from the root and its code, comments removed, tests cut off.
struct Source {
    path: String,
    /// Code lines before the file's test module, comments blanked (line numbers kept).
    code: Vec<String>,
}

impl Source {
    /// The lines matching `pred`, as `path:line: text`.
    fn lines_where(&self, pred: impl Fn(&str) -> bool) -> Vec<String> {
        self.code
            .iter()
            .enumerate()
            .filter(|(_, l)| pred(l))
            .map(|(i, l)| format!("{}:{}: {}", self.path, i + 1, l.trim()))
            .collect()
    }
}

/// The `.rs` files under `dir` (relative to the root), recursively, sorted.
fn rust_files(dir: &str) -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("readable entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let root = root();
    let mut paths = Vec::new();
    walk(&root.join(dir), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable source");
            let rel = path
                .strip_prefix(&root)
                .expect("under the root")
                .to_string_lossy()
                .into_owned();
            Source {
                code: without_tests(&without_comments(&text)),
                path: rel,
            }
        })
        .collect()
}

/// `text` with every comment (line, block, doc) replaced by spaces, so line numbers stay. String and
/// character literals are kept as they are (a `//` inside a string is not a comment).
fn without_comments(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && raw_string_at(&chars, i) {
            // A raw string: copy through its closing quote and hashes.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|h| chars.get(j + h) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            out.extend(&chars[i..j.min(chars.len())]);
            i = j;
        } else if c == '"' {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.extend(&chars[start..i.min(chars.len())]);
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || next == Some('\\')) {
            // A character literal (`'"'`, `'\''`), not a lifetime.
            let start = i;
            i += if next == Some('\\') { 3 } else { 2 };
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.extend(&chars[start..i.min(chars.len())]);
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether a raw string literal (`r"..."`, `r#"..."#`) starts at `i` (not an identifier ending in
/// `r`).
fn raw_string_at(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j]);
    let ident_before = before.is_some_and(|b| b.is_alphanumeric() || b == '_');
    let byte_prefix =
        before == Some('b') && i.checked_sub(2).is_none_or(|j| !chars[j].is_alphanumeric());
    if ident_before && !byte_prefix {
        return false;
    }
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    chars.get(j) == Some(&'"')
}

/// The lines before the file's unit-test module: a top-level `#[cfg(test)]` followed by `mod`,
/// which by this project's convention ends the file.
fn without_tests(code: &str) -> Vec<String> {
    let lines: Vec<&str> = code.lines().collect();
    let end = (0..lines.len())
        .find(|&i| {
            lines[i].trim_end() == "#[cfg(test)]"
                && lines.get(i + 1).is_some_and(|l| l.starts_with("mod "))
        })
        .unwrap_or(lines.len());
    lines[..end].iter().map(|l| (*l).to_owned()).collect()
}

fn generator_sources() -> Vec<Source> {
    rust_files("generator/src")
}

fn runtime_sources() -> Vec<Source> {
    rust_files("generator/runtime")
}

/// Whether `line` names the crate `krate` as a path or import (`krate::`, `use krate`).
fn names_crate(line: &str, krate: &str) -> bool {
    line.match_indices(krate).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = &line[at + krate.len()..];
        !before.is_some_and(|b| b.is_alphanumeric() || b == '_' || b == '"')
            && (after.starts_with("::") || after.starts_with(';') || after.starts_with(" as"))
    })
}

fn assert_none(what: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{what}:\n{}", found.join("\n"));
}

#[test]
fn openapiv3_only_in_lower() {
    let found = generator_sources()
        .iter()
        .filter(|s| !s.path.starts_with("generator/src/lower/"))
        .flat_map(|s| s.lines_where(|l| names_crate(l, "openapiv3")))
        .collect();
    assert_none("openapiv3 is named outside generator/src/lower/", found);
}

#[test]
fn tokens_only_in_emit() {
    let found = generator_sources()
        .iter()
        .filter(|s| !s.path.starts_with("generator/src/emit/"))
        .flat_map(|s| {
            s.lines_where(|l| {
                ["quote", "proc_macro2", "prettyplease", "syn"]
                    .iter()
                    .any(|k| names_crate(l, k))
                    || l.contains("quote!")
            })
        })
        .collect();
    assert_none("tokens are produced outside generator/src/emit/", found);
}

#[test]
fn names_are_made_only_in_naming() {
    let found = generator_sources()
        .iter()
        .filter(|s| s.path != "generator/src/naming.rs")
        .flat_map(|s| {
            let tokens_module = s.path == "generator/src/emit/rust.rs";
            s.lines_where(|l| {
                names_crate(l, "heck")
                    // A name's raw form comes from `RustIdent::raw`, never from string surgery.
                    || l.contains("\"r#")
                    || l.contains("RustIdent(")
                    // Identifiers are tokens of names; only the token helpers make them.
                    || (!tokens_module && (l.contains("format_ident!") || l.contains("Ident::new")))
            })
        })
        .collect();
    assert_none("a name is made outside generator/src/naming.rs", found);
}

#[test]
fn no_panics_outside_tests() {
    let found = generator_sources()
        .iter()
        .chain(&runtime_sources())
        .flat_map(|s| {
            s.lines_where(|l| {
                [
                    ".unwrap()",
                    ".expect(",
                    "panic!(",
                    "unreachable!(",
                    "todo!(",
                    "unimplemented!(",
                ]
                .iter()
                .any(|p| l.contains(p))
            })
        })
        .collect();
    assert_none(
        "the generator and the runtime return errors instead of panicking",
        found,
    );
}

#[test]
fn no_hash_collections_in_the_generator() {
    // Output is a pure function of the input: a HashMap's order must never reach it, and the
    // simplest way to be sure is to have none.
    let found = generator_sources()
        .iter()
        .flat_map(|s| s.lines_where(|l| l.contains("HashMap") || l.contains("HashSet")))
        .collect();
    assert_none("the generator uses BTreeMap/BTreeSet/IndexMap only", found);
}

/// The most lines of code (tests not counted) a file of the generator or the runtime may have.
const MAX_LINES: usize = 900;

#[test]
fn files_stay_short() {
    let found = generator_sources()
        .iter()
        .chain(&runtime_sources())
        .filter(|s| s.code.len() > MAX_LINES)
        .map(|s| format!("{}: {} lines", s.path, s.code.len()))
        .collect();
    assert_none(
        &format!("files over {MAX_LINES} lines of code (split them along their concerns)"),
        found,
    );
}

#[test]
fn the_runtime_allows_no_lint_as_a_whole() {
    let found = runtime_sources()
        .iter()
        .flat_map(|s| s.lines_where(|l| l.trim_start().starts_with("#![allow")))
        .collect();
    assert_none(
        "a lint is allowed for a whole runtime module; allow it on the item, with its reason",
        found,
    );
}

/// The module path of a file under `generator/src` (`lower/mod.rs` -> `lower`, `lower/refs.rs` ->
/// `lower::refs`, `lib.rs` -> ``), or `None` for the binary.
fn module_of(path: &str) -> Option<String> {
    let rel = path.strip_prefix("generator/src/")?.strip_suffix(".rs")?;
    match rel {
        "main" => None,
        "lib" => Some(String::new()),
        _ => Some(rel.trim_end_matches("/mod").replace('/', "::")),
    }
}

/// The paths a `use` item imports, braces expanded (`a::{b, c::d}` -> `a::b`, `a::c::d`).
fn use_paths(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.len().saturating_sub(1)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| use_paths(&format!("{prefix}{p}")))
        .collect()
}

/// A token of a file's code, as far as the import graph needs it: identifiers, `::`, `.`, and the
/// opening of a group (the groups' contents follow, flattened).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    PathSep,
    Dot,
    Open(proc_macro2::Delimiter),
    Lt,
    Other,
}

/// The tokens of `code`, groups flattened (each preceded by its `Open`).
fn tokens(code: &str, path: &str) -> Vec<Tok> {
    use proc_macro2::{Spacing, TokenStream, TokenTree};
    fn flatten(stream: TokenStream, out: &mut Vec<Tok>) {
        let mut joint_colon = false;
        for tree in stream {
            let was_joint_colon = std::mem::take(&mut joint_colon);
            match tree {
                TokenTree::Group(group) => {
                    out.push(Tok::Open(group.delimiter()));
                    flatten(group.stream(), out);
                }
                TokenTree::Ident(ident) => out.push(Tok::Ident(ident.to_string())),
                TokenTree::Punct(punct) => match punct.as_char() {
                    ':' if was_joint_colon => {
                        out.pop();
                        out.push(Tok::PathSep);
                    }
                    ':' => {
                        joint_colon = punct.spacing() == Spacing::Joint;
                        out.push(Tok::Other);
                    }
                    '.' => out.push(Tok::Dot),
                    '<' => out.push(Tok::Lt),
                    _ => out.push(Tok::Other),
                },
                TokenTree::Literal(_) => out.push(Tok::Other),
            }
        }
    }
    let stream: TokenStream = code
        .parse()
        .unwrap_or_else(|e| panic!("{path} does not tokenize: {e:?}"));
    let mut out = Vec::new();
    flatten(stream, &mut out);
    out
}

/// Every path written in `tokens` (`crate::a::b`, `super::x::y(..)`, `models::Context`), as its
/// segments: the longest run of identifiers joined by `::`, starting where no `::` precedes.
fn inline_paths(tokens: &[Tok]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts = matches!(tokens[i], Tok::Ident(_))
            && (i == 0 || tokens[i - 1] != Tok::PathSep)
            && tokens.get(i + 1) == Some(&Tok::PathSep);
        if !starts {
            i += 1;
            continue;
        }
        let mut segments = Vec::new();
        while let Some(Tok::Ident(name)) = tokens.get(i) {
            segments.push(name.clone());
            if tokens.get(i + 1) == Some(&Tok::PathSep) {
                i += 2;
            } else {
                i += 1;
                break;
            }
        }
        paths.push(segments);
    }
    paths
}

/// The methods called in `tokens` (`.name(` or `.name::<`).
fn method_calls(tokens: &[Tok]) -> BTreeSet<String> {
    tokens
        .windows(3)
        .filter_map(|w| match w {
            [Tok::Dot, Tok::Ident(name), Tok::Open(proc_macro2::Delimiter::Parenthesis)]
            | [Tok::Dot, Tok::Ident(name), Tok::PathSep] => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// For every type whose inherent methods are defined in more than one module (`Lowerer`, whose
/// `impl` blocks are spread over `lower/`), each method's name and the module that defines it. A
/// call of one of these methods is a dependency on that module as real as an import, though no
/// `use` line shows it. Names that are also methods of another of the generator's types (or of a
/// trait impl) are left out: without types, a call to them cannot be told apart.
fn split_impl_methods(sources: &[(String, syn::File)]) -> BTreeMap<String, String> {
    // (type, method) -> modules, and method -> how many types (or traits) define it.
    let mut defined: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut modules_of_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, file) in sources {
        for item in &file.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(ty) = &*block.self_ty else {
                continue;
            };
            let Some(ty) = ty.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            let owner = match &block.trait_ {
                None => ty.clone(),
                Some((path, _)) => format!("{ty} as {}", quote::ToTokens::to_token_stream(path)),
            };
            for inner in &block.items {
                if let syn::ImplItem::Fn(f) = inner {
                    let name = f.sig.ident.to_string();
                    owners
                        .entry(name.clone())
                        .or_default()
                        .insert(owner.clone());
                    if block.trait_.is_none() {
                        defined
                            .entry((ty.clone(), name))
                            .or_default()
                            .insert(module.clone());
                        modules_of_type
                            .entry(ty.clone())
                            .or_default()
                            .insert(module.clone());
                    }
                }
            }
        }
    }
    defined
        .into_iter()
        .filter(|((ty, name), modules)| {
            modules_of_type.get(ty).is_some_and(|m| m.len() > 1)
                && modules.len() == 1
                && owners.get(name).is_some_and(|o| o.len() == 1)
        })
        .filter_map(|((_, name), modules)| Some((name, modules.into_iter().next()?)))
        .collect()
}

/// The module a path written in `module` (a file that is a directory module when `is_dir`) refers
/// to, and every module along it: `crate::lower::refs::resolve` -> `lower`, `lower::refs`.
fn modules_on_path(
    module: &str,
    is_dir: bool,
    segments: &[&str],
    modules: &BTreeSet<String>,
) -> Vec<String> {
    let parent: Vec<&str> = module.split("::").filter(|s| !s.is_empty()).collect();
    let mut rest = segments;
    let mut full: Vec<String> = match segments.first() {
        Some(&"crate") => {
            rest = &segments[1..];
            Vec::new()
        }
        Some(&"super") => {
            // In `a/mod.rs` (module `a`) and in `a/b.rs` (module `a::b`) alike, `super` is the
            // module above; `super::super` the one above that.
            let ups = segments.iter().take_while(|s| **s == "super").count();
            rest = &segments[ups..];
            parent[..parent.len().saturating_sub(ups)]
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        }
        Some(&"self") => {
            rest = &segments[1..];
            parent.iter().map(|s| (*s).to_owned()).collect()
        }
        Some(first) if is_dir && modules.contains(&join(&parent, first)) => {
            parent.iter().map(|s| (*s).to_owned()).collect()
        }
        _ => return Vec::new(),
    };
    let mut found = Vec::new();
    for segment in rest {
        full.push((*segment).to_owned());
        let candidate = full.join("::");
        if modules.contains(&candidate) {
            found.push(candidate);
        } else {
            break;
        }
    }
    found
}

/// The module graph of the generator's sources.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let sources: Vec<(String, String)> = generator_sources()
        .into_iter()
        .map(|s| (s.path, s.code.join("\n")))
        .collect();
    module_graph(&sources)
}

/// The module graph of `sources` (path under `generator/src`, code): for each module, the modules
/// it depends on (not counting its own ancestors, whose items children use by design). A module
/// depends on another when it names it in a `use` item or in a path anywhere in its code
/// (`super::unions::union_impls(..)`, `crate::emit::docs::raw(..)`), or calls a method that a type
/// with `impl` blocks in several modules (`Lowerer`) defines there.
fn module_graph(sources: &[(String, String)]) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeSet<String> = sources.iter().filter_map(|(p, _)| module_of(p)).collect();
    let parsed: Vec<(String, syn::File)> = sources
        .iter()
        .filter_map(|(path, code)| {
            let module = module_of(path)?;
            let file =
                syn::parse_file(code).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
            Some((module, file))
        })
        .collect();
    let methods = split_impl_methods(&parsed);
    let mut graph = BTreeMap::new();
    for (path, code) in sources {
        let Some(module) = module_of(path) else {
            continue;
        };
        let is_dir = path.ends_with("/mod.rs") || path.ends_with("lib.rs");
        let mut edges = BTreeSet::new();
        let mut add = |segments: &[&str]| {
            edges.extend(modules_on_path(&module, is_dir, segments, &modules));
        };
        for item in code.split(';') {
            let item = item.trim();
            let Some(tree) = item
                .strip_prefix("use ")
                .or_else(|| item.strip_prefix("pub use "))
                .or_else(|| item.strip_prefix("pub(crate) use "))
                .or_else(|| item.strip_prefix("pub(super) use "))
            else {
                continue;
            };
            for path in use_paths(tree) {
                add(&path.split("::").collect::<Vec<_>>());
            }
        }
        let tokens = tokens(code, path);
        for segments in inline_paths(&tokens) {
            add(&segments.iter().map(String::as_str).collect::<Vec<_>>());
        }
        for call in method_calls(&tokens) {
            if let Some(target) = methods.get(&call) {
                edges.insert(target.clone());
            }
        }
        // Children use their ancestors' items by design; only the rest can close a cycle.
        edges.retain(|target| {
            target != &module && !(target.is_empty() || module.starts_with(&format!("{target}::")))
        });
        graph.insert(module, edges);
    }
    graph
}

/// The cycles of a module graph, each as `a -> b -> a`.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut cycles = Vec::new();
    for start in graph.keys() {
        // Depth-first from each module, looking for a path back to it.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    cycles.push(format!("{} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    cycles
}

#[test]
fn modules_import_without_cycles() {
    let graph = import_graph();
    assert!(
        graph
            .get("lower::schemas")
            .is_some_and(|e| e.contains("lower::unions")),
        "the graph sees imports: {graph:?}"
    );
    assert_none("import cycles between modules", cycles(&graph));
}

#[test]
fn the_import_graph_sees_paths_and_split_impl_methods() {
    // Toy modules: `a::x` names `a::y` in a path without importing it, `a::y` calls a method of
    // `T` that `a::x` defines (`T` has impl blocks in both), and `a` uses its child `z` by a
    // relative path. Both pairs are cycles the `use` lines alone do not show.
    let sources = [
        (
            "generator/src/a/mod.rs",
            "pub mod x;\npub mod y;\npub mod z;\nfn f() { z::g(); }\n",
        ),
        (
            "generator/src/a/x.rs",
            "use super::T;\nimpl T { pub fn helper(&self) {} }\nfn f(t: &T) { super::y::go(t); }\n",
        ),
        (
            "generator/src/a/y.rs",
            "impl super::T { pub fn other(&self) {} }\npub fn go(t: &super::T) { t.helper(); }\n",
        ),
        ("generator/src/a/z.rs", "pub fn g() { crate::b::h(); }\n"),
        ("generator/src/b.rs", "pub fn h() { crate::a::z::g(); }\n"),
    ]
    .map(|(p, c)| (p.to_owned(), c.to_owned()));
    let graph = module_graph(&sources);
    let edges = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(edges("a::x").contains("a::y"), "{graph:?}");
    assert!(edges("a::y").contains("a::x"), "{graph:?}");
    assert!(edges("a").contains("a::z"), "{graph:?}");
    let found = cycles(&graph);
    assert!(
        found.contains(&"a::x -> a::y -> a::x".to_owned()),
        "{found:?}"
    );
    assert!(found.contains(&"a::z -> b -> a::z".to_owned()), "{found:?}");
    // Without the path and the call, there is no cycle.
    let acyclic = [
        ("generator/src/a/mod.rs", "pub mod x;\npub mod y;\n"),
        (
            "generator/src/a/x.rs",
            "impl super::T { pub fn helper(&self) {} }\n",
        ),
        (
            "generator/src/a/y.rs",
            "impl super::T { pub fn other(&self) {} }\npub fn go(t: &super::T) { t.helper(); }\n",
        ),
    ]
    .map(|(p, c)| (p.to_owned(), c.to_owned()));
    assert_eq!(cycles(&module_graph(&acyclic)), Vec::<String>::new());
}

#[test]
fn every_invariant_names_its_test() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("readable");
    let section = text
        .split("\n## Invariants\n")
        .nth(1)
        .expect("ARCHITECTURE.md has an Invariants section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let invariants: Vec<String> = section
        .split("\n* ")
        .skip(1)
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(invariants.len() >= 8, "{invariants:?}");
    let mut problems = Vec::new();
    for invariant in &invariants {
        let Some((_, checks)) = invariant.split_once("Checked by ") else {
            problems.push(format!("names no test: {invariant}"));
            continue;
        };
        // `path/to/file.rs::test_name`, one or more.
        let named: Vec<&str> = checks
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|t| t.contains(".rs::"))
            .collect();
        if named.is_empty() {
            problems.push(format!("names no `file.rs::test`: {invariant}"));
        }
        for test in named {
            let (file, name) = test.split_once(".rs::").expect("filtered above");
            let source =
                std::fs::read_to_string(root().join(format!("{file}.rs"))).unwrap_or_default();
            if !source.contains(&format!("fn {name}(")) {
                problems.push(format!("`{test}` does not exist"));
            }
        }
    }
    assert_none("invariants in ARCHITECTURE.md and their tests", problems);
}

#[test]
fn the_scanner_sees_code_and_not_comments_or_strings() {
    let code = "let a = \"// not a comment\"; // x.unwrap()\n/* panic!( */ let r = r#\"\"r#\"#;\nlet c = '\"'; y.unwrap();";
    let clean = without_comments(code);
    assert!(clean.contains("\"// not a comment\""), "{clean}");
    assert!(
        !clean.contains("x.unwrap()") && !clean.contains("panic!("),
        "{clean}"
    );
    assert!(clean.contains("y.unwrap()"), "{clean}");
    assert_eq!(clean.lines().count(), 3);
    assert_eq!(
        use_paths("crate::ir::{Api, visit::{Side, Ref}}"),
        [
            "crate::ir::Api",
            "crate::ir::visit::Side",
            "crate::ir::visit::Ref"
        ]
    );
    assert!(names_crate("use openapiv3::Schema;", "openapiv3"));
    assert!(!names_crate("the openapiv3 document", "openapiv3"));
    let tests = without_tests("fn a() {}\n#[cfg(test)]\nmod tests {\n    x.unwrap();\n}\n");
    assert_eq!(tests, ["fn a() {}"]);
}

#[test]
fn the_spec_is_a_link_and_never_a_copy() {
    let spec = root().join("spec/dixa-api.yaml");
    let target = std::fs::read_link(&spec).expect("spec/dixa-api.yaml is a symbolic link");
    assert_eq!(
        target,
        Path::new("../../shared/dixa-openapi/dixa-api-beta.yaml"),
        "spec/dixa-api.yaml points into ../shared"
    );
    // No other file in spec/ is an OpenAPI document (a copy of the spec, edited or not).
    let mut copies = Vec::new();
    for entry in std::fs::read_dir(root().join("spec")).expect("spec/ is readable") {
        let path = entry.expect("readable entry").path();
        if path == spec || path.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if text
            .lines()
            .any(|l| l.starts_with("openapi: 3.0") || l.starts_with("\"openapi\""))
        {
            copies.push(path.display().to_string());
        }
    }
    assert_none("copies of an OpenAPI 3.0 document in spec/", copies);
}

fn join(parent: &[&str], child: &str) -> String {
    let mut p: Vec<&str> = parent.to_vec();
    p.push(child);
    p.join("::")
}
