//! "One wire format, one SDK": the comparison of two generator outputs for two spellings of the
//! same API (the beta spec and a copy written another way), which must give the same crate apart
//! from documentation. Shared by `spellings.rs` and `spellings31.rs`, which need the generator alone
//! (not the SDK's build), so they live with it.

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A Rust file without its documentation: doc comments (`///`, `//!`) and the
/// `#[allow(missing_docs)]` that an undocumented field carries instead, since a spelling that
/// documents a field (a `$ref` wrapped in `allOf` with a `description`) trades one for the other.
pub fn without_docs(file: &str) -> String {
    file.lines()
        .filter(|line| {
            let line = line.trim_start();
            !line.starts_with("///") && !line.starts_with("//!") && line != "#[allow(missing_docs)]"
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fails unless `other` (generated from the spelling called `what`) is `original` apart from
/// documentation: the same warnings, the same names in the lock, the same files with the same code.
/// Returns how many files differ in their documentation only, so a caller can show the copy was
/// really spelled otherwise.
pub fn assert_same_sdk(
    original: &generator::Output,
    other: &generator::Output,
    what: &str,
) -> usize {
    assert_eq!(
        original.warnings, other.warnings,
        "the {what} warns differently"
    );
    assert_eq!(
        original.lock.as_ref().map(|l| &l.text),
        other.lock.as_ref().map(|l| &l.text),
        "the {what} names places differently"
    );
    let paths = |files: &generator::Files| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        paths(&original.files),
        paths(&other.files),
        "the {what} gives other files"
    );
    let mut doc_only = 0;
    for (path, content) in &original.files {
        let theirs = &other.files[path];
        if content == theirs {
            continue;
        }
        let (ours, theirs) = (without_docs(content), without_docs(theirs));
        if let Some((a, b)) = ours.lines().zip(theirs.lines()).find(|(a, b)| a != b) {
            panic!("{path} differs between the spec and the {what}:\nspec: {a}\n{what}: {b}");
        }
        assert_eq!(
            ours.lines().count(),
            theirs.lines().count(),
            "{path} differs in length between the spec and the {what}"
        );
        doc_only += 1;
    }
    doc_only
}

#[cfg(test)]
mod tests {
    use super::without_docs;

    #[test]
    fn documentation_is_left_out_and_code_is_kept() {
        let file =
            "//! Module.\n/// A field.\n#[allow(missing_docs)]\n    pub a: String,\n// a comment\n";
        assert_eq!(without_docs(file), "    pub a: String,\n// a comment");
    }
}
