//! Diagnostics for the editor: every finding of `labrun check` (the same
//! rules and severities), placed in UTF-16 ranges, with a did-you-mean
//! replacement in `data` for the code action; and on an open translated
//! page, its staleness against the source page.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::{DiagnosticSeverity, NumberOrString, Position, Range};
use serde_json::json;

use crate::check::incremental::Workspace;
use crate::check::{normalize, output};
use crate::diag::{Diagnostic, Severity};
use crate::drift::{self, Status};
use crate::i18n::Arg;
use crate::model::Page;

use super::text;

/// Rule id of the staleness diagnostic (the language server's own: `check`
/// leaves translations to `drift`).
pub const STALE: &str = "translation/stale";
pub const UNSTAMPED: &str = "translation/unstamped";

/// Every file's diagnostics, by normalized path. `text_of` gives a file's
/// current text (the editor's for open pages); `open` are the open pages.
pub fn collect<'a>(
    ws: &Workspace,
    text_of: &dyn Fn(&Path) -> Option<String>,
    open: impl Iterator<Item = &'a PathBuf>,
) -> BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> {
    let report = ws.report();
    let mut texts: HashMap<PathBuf, Option<String>> = HashMap::new();
    let mut out: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        let path = normalize(&d.file);
        let t = texts.entry(path.clone()).or_insert_with(|| text_of(&path));
        let line = t
            .as_deref()
            .map_or("", |t| text::line(t, d.line.saturating_sub(1)));
        out.entry(path).or_default().push(to_lsp(ws, d, line));
    }
    for path in open {
        if let Some(page) = ws.page(path)
            && let Some(t) = text_of(path)
            && let Some(d) = translation(ws, page, &t)
        {
            out.entry(path.clone()).or_default().push(d);
        }
    }
    out
}

/// A finding as the protocol has it.
pub fn to_lsp(ws: &Workspace, d: &Diagnostic, line: &str) -> lsp_types::Diagnostic {
    let span = output::span(line, d.col);
    let l = d.line.saturating_sub(1);
    let range = Range::new(
        Position::new(l, text::utf16_of_byte(line, span.start)),
        Position::new(l, text::utf16_of_byte(line, span.end)),
    );
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.rule.clone())),
        source: Some("labrun".to_owned()),
        message: d.message.text(),
        data: suggestion(ws, d).map(|(from, to)| json!({ "replace": from, "with": to })),
        ..Default::default()
    }
}

/// The did-you-mean of a finding: the word to replace and its replacement.
fn suggestion(ws: &Workspace, d: &Diagnostic) -> Option<(String, String)> {
    let arg = |name: &str| {
        d.message.args.iter().find_map(|(k, v)| match v {
            Arg::Str(s) if k == name => Some(s.clone()),
            _ => None,
        })
    };
    if let Some(to) = arg("suggestion") {
        let from = arg("key")
            .or_else(|| arg("name"))
            .or_else(|| arg("segment"))?;
        return Some((from, to));
    }
    if d.rule == "reference/unknown-variable" {
        // check names no variable here; the editor can offer the nearest.
        let name = arg("name")?;
        let best = ws
            .project()
            .config
            .variables
            .keys()
            .map(|k| (strsim::jaro_winkler(&name, k), k))
            .filter(|(s, _)| *s >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))?;
        return Some((name, best.1.clone()));
    }
    None
}

/// A translation's state against its source page (`None` for a source
/// page, or a translation whose source is gone).
pub struct Staleness {
    pub status: Status,
    pub source: PathBuf,
}

pub fn staleness(ws: &Workspace, page: &Page) -> Option<Staleness> {
    let c = &ws.project().config;
    if page.locale == c.source_locale {
        return None;
    }
    let source = c.locale_root(&c.source_locale).join(&page.rel);
    let hash = drift::hash_file(&source).ok()?;
    Some(Staleness {
        status: drift::hash_status(page.front.source_hash.as_ref(), &hash),
        source,
    })
}

/// The staleness diagnostic of a translated page, on its hash field (or
/// the front matter's first line).
fn translation(ws: &Workspace, page: &Page, text: &str) -> Option<lsp_types::Diagnostic> {
    let s = staleness(ws, page)?;
    let source = ws.project().display_path(&s.source);
    let (code, severity, message) = match s.status {
        Status::Stale => (
            STALE,
            DiagnosticSeverity::WARNING,
            crate::t!("lsp-translation-stale", source = source),
        ),
        Status::Unstamped => (
            UNSTAMPED,
            DiagnosticSeverity::INFORMATION,
            crate::t!("lsp-translation-unstamped", source = source),
        ),
        _ => return None,
    };
    let line1 = page
        .front
        .source_hash
        .as_ref()
        .map(|h| h.line)
        .or(page.front.span.map(|(s, _)| s))
        .unwrap_or(1);
    let line = text::line(text, line1 - 1);
    Some(lsp_types::Diagnostic {
        range: Range::new(
            Position::new(line1 - 1, 0),
            Position::new(line1 - 1, text::utf16_of_byte(line, line.len())),
        ),
        severity: Some(severity),
        code: Some(NumberOrString::String(code.to_owned())),
        source: Some("labrun".to_owned()),
        message,
        ..Default::default()
    })
}
