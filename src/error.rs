//! Errors that stop a command before it can do its job (exit code 2).
//! Problems *in* content are [`Diagnostic`]s; these are the ones callers
//! branch on.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::i18n::Msg;
use crate::msg;

#[derive(Debug)]
pub enum Error {
    /// `labrun.yaml` cannot be used.
    Config {
        file: PathBuf,
        line: u32,
        col: u32,
        detail: String,
    },
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A data file labrun reads (durations, reports) cannot be used.
    Invalid {
        file: PathBuf,
        line: u32,
        col: u32,
        detail: String,
    },
    /// A locale's content directory does not exist: labrun was likely started
    /// outside a content project.
    NoContent { locale: String, dir: PathBuf },
    UnknownLab {
        name: String,
        suggestions: Vec<String>,
    },
    UnknownLocale {
        locale: String,
        locales: Vec<String>,
    },
    /// Content errors that keep a job from starting (a run refuses to start
    /// on a page it cannot read correctly).
    Content { diagnostics: Vec<Diagnostic> },
    /// A command-line value that cannot be used.
    Usage(Msg),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_owned(),
            source,
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            Error::Config {
                file,
                line,
                col,
                detail,
            } => {
                msg!(
                    "error-config",
                    file = file.display().to_string(),
                    line = *line,
                    col = *col,
                    detail = detail.as_str()
                )
            }
            Error::Invalid {
                file,
                line,
                col,
                detail,
            } => {
                msg!(
                    "error-invalid-file",
                    file = file.display().to_string(),
                    line = *line,
                    col = *col,
                    detail = detail.as_str()
                )
            }
            Error::Io { path, source } => msg!(
                "error-io",
                path = path.display().to_string(),
                detail = source.to_string()
            ),
            Error::NoContent { locale, dir } => msg!(
                "error-no-content",
                locale = locale.as_str(),
                dir = dir.display().to_string()
            ),
            Error::UnknownLab { name, suggestions } => msg!(
                "error-unknown-lab",
                name = name.as_str(),
                suggestions = if suggestions.is_empty() {
                    "none".to_owned()
                } else {
                    suggestions.join(", ")
                }
            ),
            Error::UnknownLocale { locale, locales } => {
                msg!(
                    "error-unknown-locale",
                    locale = locale.as_str(),
                    locales = locales.join(", ")
                )
            }
            Error::Content { diagnostics } => msg!("error-content", count = diagnostics.len()),
            Error::Usage(m) => m.clone(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for Error {}
