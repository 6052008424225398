//! Diagnostics: a rule id, a severity, a place (file, line, column) and a
//! localized message. Every job reports problems with content this way.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::i18n::Msg;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> String {
        match self {
            Severity::Error => crate::t!("severity-error"),
            Severity::Warning => crate::t!("severity-warning"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable rule id, e.g. `fence/unknown-annotation`.
    pub rule: String,
    pub severity: Severity,
    pub file: PathBuf,
    pub line: u32,
    pub col: u32,
    pub message: Msg,
}

impl Diagnostic {
    pub fn new(
        rule: &str,
        severity: Severity,
        file: &Path,
        line: u32,
        col: u32,
        message: Msg,
    ) -> Diagnostic {
        Diagnostic {
            rule: rule.to_owned(),
            severity,
            file: file.to_owned(),
            line,
            col,
            message,
        }
    }

    pub fn error(rule: &str, file: &Path, line: u32, col: u32, message: Msg) -> Diagnostic {
        Diagnostic::new(rule, Severity::Error, file, line, col, message)
    }

    pub fn warning(rule: &str, file: &Path, line: u32, col: u32, message: Msg) -> Diagnostic {
        Diagnostic::new(rule, Severity::Warning, file, line, col, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `file:line:col: error[rule]: message`, the one-line form editors parse.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}[{}]: {}",
            self.file.display(),
            self.line,
            self.col,
            self.severity.label(),
            self.rule,
            self.message
        )
    }
}
