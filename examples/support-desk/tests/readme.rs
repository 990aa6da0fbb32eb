//! The workspace README shows tests of this crate as excerpts; each must still be this crate's code,
//! so the README shows what compiles and passes here.
//!
//! An excerpt is the `rust,ignore` block after a line `<!-- support-desk excerpt: <path> -->`, the
//! path relative to this crate. It must appear in that file as consecutive lines, indentation
//! included (up to a common indentation, so a test inside a module may be shown unindented).

use std::path::Path;

const MARKER: &str = "<!-- support-desk excerpt: ";

/// The excerpts of `readme`: the file each names, and its lines.
fn excerpts(readme: &str) -> Vec<(String, Vec<&str>)> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(path) = line
            .strip_prefix(MARKER)
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.get(i + 1).copied(),
            Some("```rust,ignore"),
            "the excerpt of {path} must open a `rust,ignore` block on the next line"
        );
        let body: Vec<&str> = lines[i + 2..]
            .iter()
            .copied()
            .take_while(|l| *l != "```")
            .collect();
        assert!(
            i + 2 + body.len() < lines.len(),
            "the excerpt of {path} is not closed"
        );
        found.push((path.to_owned(), body));
    }
    found
}

/// `lines` without the indentation they all share (blank lines aside).
fn dedent(lines: &[&str]) -> Vec<String> {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or("").trim_end().to_owned())
        .collect()
}

/// Whether `excerpt` is a run of consecutive lines of `source`.
fn appears_in(excerpt: &[&str], source: &str) -> bool {
    let wanted = dedent(excerpt);
    let source: Vec<&str> = source.lines().collect();
    !wanted.is_empty()
        && source
            .windows(wanted.len())
            .any(|window| dedent(window) == wanted)
}

#[test]
fn the_readme_excerpts_are_this_crates_code() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(crate_dir.join("../../README.md")).unwrap();
    let excerpts = excerpts(&readme);
    assert!(
        !excerpts.is_empty(),
        "README.md shows no excerpt of the support-desk example"
    );
    for (path, excerpt) in excerpts {
        let source = std::fs::read_to_string(crate_dir.join(&path))
            .unwrap_or_else(|e| panic!("README.md shows an excerpt of {path}: {e}"));
        assert!(
            appears_in(&excerpt, &source),
            "README.md's excerpt of {path} is no longer in the file; copy it again:\n{}",
            excerpt.join("\n")
        );
    }
}

#[test]
fn an_excerpt_matches_only_consecutive_lines_of_the_same_code() {
    let source = "mod tests {\n    fn a() {\n        one();\n\n        two();\n    }\n}\n";
    assert!(appears_in(
        &["fn a() {", "    one();", "", "    two();", "}"],
        source
    ));
    assert!(!appears_in(&["fn a() {", "    two();"], source));
    assert!(!appears_in(&["fn a() {", "one();"], source));
    assert!(!appears_in(&[], source));
    let readme = format!("text\n{MARKER}tests/x.rs -->\n```rust,ignore\nfn a() {{}}\n```\nmore\n");
    assert_eq!(
        excerpts(&readme),
        vec![("tests/x.rs".to_owned(), vec!["fn a() {}"])]
    );
}
