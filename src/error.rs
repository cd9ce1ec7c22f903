//! One error type for the library. Callers match on [`ErrorKind`] to decide what to tell
//! the user; the message is already written for a person to read.

use std::fmt;

/// What went wrong, coarse enough to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not a newslens index at all.
    NotAnIndex,
    /// A newslens index from another format version: it has to be rebuilt.
    RebuildNeeded,
    /// The index claims to be ours but its bytes are damaged.
    DataCorruption,
    /// An input article could not be used.
    BadArticle,
    /// A request named something that does not exist or made no sense.
    BadRequest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    pub fn corrupt(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::DataCorruption, message)
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::BadRequest, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
