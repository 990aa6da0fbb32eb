//! The generator's error type.
//!
//! Every failure the generator can meet is a value of [`Error`], so `main` can print it and exit with
//! status 2. Each variant names the place in the input that caused it: a file path, a line and column,
//! a JSON pointer into the spec, or an operationId.

use std::fmt;
use std::path::PathBuf;

/// What went wrong, and where.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The YAML text is malformed; `location` is `line L, column C` when serde_yaml knows it.
    Yaml { path: PathBuf, message: String },
    /// The document is YAML but not an OpenAPI 3.0 description we can read.
    Spec { pointer: String, message: String },
    /// The project's override or rename file is wrong, or no longer applies to the spec.
    Override { path: PathBuf, message: String },
    /// Two different things would get the same Rust name.
    Collision { message: String },
}

impl Error {
    /// An error about the spec at a JSON pointer (`#/components/schemas/Foo/properties/bar`).
    pub fn spec(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Spec {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    /// A thread of the generator's own panicked: a generator bug, reported as an error rather than
    /// a crash. `what` names the thread's work ("the thread writing the lock").
    pub fn panicked(what: &str) -> Self {
        Error::spec("#", format!("generator bug: {what} panicked"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::Yaml { path, message } => {
                write!(f, "{}: invalid YAML: {message}", path.display())
            }
            Error::Spec { pointer, message } => write!(f, "spec error at {pointer}: {message}"),
            Error::Override { path, message } => write!(f, "{}: {message}", path.display()),
            Error::Collision { message } => write!(f, "name collision: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The generator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
