//! The four ways to print a [`Report`]: for people (rustc-style snippets),
//! JSON, GitHub workflow commands (pull request annotations) and JUnit XML.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::t;

use super::Report;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Junit,
}

/// How paths are shown: relative to the working directory when inside it
/// (what editors and GitHub annotations expect), else to the project root.
pub struct Paths {
    pub cwd: PathBuf,
    pub root: PathBuf,
}

impl Paths {
    pub fn show(&self, path: &Path) -> String {
        let rel = path
            .strip_prefix(&self.cwd)
            .or_else(|_| path.strip_prefix(&self.root))
            .unwrap_or(path);
        rel.to_string_lossy().replace('\\', "/")
    }
}

pub struct Options<'a> {
    pub color: bool,
    pub deny_warnings: bool,
    pub paths: &'a Paths,
    /// JSON on one line (`--watch` prints one report a line).
    pub compact: bool,
}

pub fn render(report: &Report, format: Format, opts: &Options<'_>) -> String {
    match format {
        Format::Human => human(report, opts),
        Format::Json => json(report, opts),
        Format::Github => github(report, opts),
        Format::Junit => junit(report, opts),
    }
}

fn summary(report: &Report) -> String {
    let locales = report.locales.join(", ");
    if report.diagnostics.is_empty() {
        t!(
            "check-summary-ok",
            pages = report.files.len(),
            locales = locales
        )
    } else {
        t!(
            "check-summary",
            pages = report.files.len(),
            locales = locales,
            errors = report.errors(),
            warnings = report.warnings()
        )
    }
}

/// The source text of files that have findings, read once each.
struct Sources(HashMap<PathBuf, Option<String>>);

impl Sources {
    fn line(&mut self, file: &Path, line: u32) -> Option<String> {
        let text = self.0.entry(file.to_owned()).or_insert_with(|| {
            std::fs::read(file)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        });
        let text = text.as_deref()?;
        let l = text.lines().nth(line.checked_sub(1)? as usize)?;
        Some(l.strip_suffix('\r').unwrap_or(l).to_owned())
    }
}

/// The byte span to underline, from the column: a Markdown link or image
/// through its `)`, a directive's name, else the token up to a space or a
/// delimiter (at least one character; empty at the end of the line).
pub fn span(line: &str, col: u32) -> std::ops::Range<usize> {
    let start = line
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = if rest.starts_with('[') || rest.starts_with("![") {
        rest.find("](")
            .and_then(|p| rest[p..].find(')').map(|q| p + q + 1))
            .unwrap_or(rest.len())
    } else if rest.starts_with("::") {
        let colons = rest.len() - rest.trim_start_matches(':').len();
        colons
            + rest[colons..]
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len() - colons)
    } else {
        rest.find(|c: char| c.is_whitespace() || matches!(c, ',' | '"' | '\'' | '}' | ')'))
            .unwrap_or(rest.len())
    };
    let len = len.max(rest.chars().next().map_or(0, char::len_utf8));
    start..start + len
}

fn human(report: &Report, opts: &Options<'_>) -> String {
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut sources = Sources(HashMap::new());
    let mut out = String::new();
    for d in &report.diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        }
        .with_name(d.severity.label());
        let path = opts.paths.show(&d.file);
        // Content in messages and source lines is shown, never obeyed.
        let message = crate::ui::clean(&d.message.text()).into_owned();
        let title = level.primary_title(message.as_str()).id(d.rule.as_str());
        let group = match sources.line(&d.file, d.line) {
            Some(text) => {
                let text = crate::ui::clean(&text).into_owned();
                let range = span(&text, d.col);
                title.element(
                    Snippet::source(text)
                        .line_start(d.line as usize)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(range)),
                )
            }
            None => title.element(
                Origin::path(path)
                    .line(d.line as usize)
                    .char_column(d.col as usize),
            ),
        };
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    let line = summary(report);
    let tone = if report.failed(opts.deny_warnings) {
        crate::ui::Tone::Error
    } else if report.diagnostics.is_empty() {
        crate::ui::Tone::Good
    } else {
        crate::ui::Tone::Warning
    };
    out.push_str(&crate::ui::paint(opts.color, tone, &line));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    ok: bool,
    summary: JsonSummary<'a>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    pages: usize,
    locales: &'a [String],
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    file: String,
    line: u32,
    col: u32,
    message: String,
    message_id: &'a str,
    args: serde_json::Map<String, serde_json::Value>,
}

fn json(report: &Report, opts: &Options<'_>) -> String {
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            rule: &d.rule,
            severity: d.severity,
            file: opts.paths.show(&d.file),
            line: d.line,
            col: d.col,
            message: d.message.text(),
            message_id: &d.message.id,
            args: d
                .message
                .args
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        // Counts and positions are whole numbers.
                        crate::i18n::Arg::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                            serde_json::Value::from(*n as i64)
                        }
                        other => serde_json::to_value(other).unwrap_or_default(),
                    };
                    (k.clone(), v)
                })
                .collect(),
        })
        .collect();
    let r = JsonReport {
        schema: "labrun.check/v1",
        ok: !report.failed(opts.deny_warnings),
        summary: JsonSummary {
            pages: report.files.len(),
            locales: &report.locales,
            errors: report.errors(),
            warnings: report.warnings(),
        },
        diagnostics,
    };
    let mut s = if opts.compact {
        serde_json::to_string(&r)
    } else {
        serde_json::to_string_pretty(&r)
    }
    .expect("a report serializes");
    s.push('\n');
    s
}

/// The line `--watch` prints before each new report: what changed, how
/// much was checked again, how long it took.
pub fn cycle_header(cycle: &super::watch::Cycle, opts: &Options<'_>) -> String {
    let mut files: Vec<String> = cycle.changed.iter().map(|p| opts.paths.show(p)).collect();
    if files.len() > 3 {
        let more = files.len() - 2;
        files.truncate(2);
        files.push(format!("+{more}"));
    }
    let ms = format!("{:.1}", cycle.elapsed.as_secs_f64() * 1000.0);
    let text = if cycle.outcome.reloaded {
        t!("check-watch-reloaded", files = files.join(", "), ms = ms)
    } else {
        t!(
            "check-watch-cycle",
            files = files.join(", "),
            pages = cycle.outcome.rechecked,
            ms = ms
        )
    };
    crate::ui::paint(
        opts.color,
        crate::ui::Tone::Accent,
        &format!("── {text} ──"),
    )
}

/// Escapes for workflow command data and property values.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(report: &Report, opts: &Options<'_>) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "::{kind} file={},line={},col={},title={}::{}\n",
            gh_escape(&opts.paths.show(&d.file), true),
            d.line,
            d.col,
            gh_escape(&d.rule, true),
            gh_escape(&d.message.text(), false)
        ));
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn one_line(d: &Diagnostic, paths: &Paths) -> String {
    format!(
        "{}:{}:{}: {}[{}]: {}",
        paths.show(&d.file),
        d.line,
        d.col,
        d.severity.label(),
        d.rule,
        d.message
    )
}

fn junit(report: &Report, opts: &Options<'_>) -> String {
    use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
    // One test case per file: every page checked, and any other file with
    // findings (hooks, manifests, the durations file).
    let mut files: Vec<&Path> = report.files.iter().map(PathBuf::as_path).collect();
    for d in &report.diagnostics {
        if !files.contains(&d.file.as_path()) {
            files.push(&d.file);
        }
    }
    let mut by_file: HashMap<&Path, Vec<&Diagnostic>> = HashMap::new();
    for d in &report.diagnostics {
        by_file.entry(&d.file).or_default().push(d);
    }
    let mut suite = TestSuite::new("labrun check");
    for f in files {
        let diags = by_file.get(f).map(Vec::as_slice).unwrap_or_default();
        let failing = diags
            .iter()
            .filter(|d| d.is_error() || opts.deny_warnings)
            .count();
        let text: Vec<String> = diags.iter().map(|d| one_line(d, opts.paths)).collect();
        let status = if failing > 0 {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(t!("check-junit-failure", count = diags.len()))
                .set_type(diags[0].rule.as_str())
                .set_description(text.join("\n"));
            s
        } else {
            TestCaseStatus::success()
        };
        let mut case = TestCase::new(opts.paths.show(f), status);
        case.set_classname("labrun.check");
        if failing == 0 && !text.is_empty() {
            case.set_system_out(text.join("\n"));
        }
        suite.add_test_case(case);
    }
    let mut r = quick_junit::Report::new("labrun check");
    r.add_test_suite(suite);
    let mut s = r.to_string().expect("JUnit XML serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_word_at_the_column() {
        assert_eq!(span("::yaml{file=x}", 1), 0..6);
        assert_eq!(span(":::tip Title", 1), 0..6);
        assert_eq!(span("a bc d", 3), 2..4);
        assert_eq!(span(r#"paths="a.b,c""#, 8), 7..10);
        assert_eq!(span("see [x](y.md) z", 5), 4..13);
        assert_eq!(span("![i](a b.png)", 1), 0..13);
        assert_eq!(span("ab", 5), 2..2);
        let l = "日本 VAR::X";
        let r = span(l, 4);
        assert_eq!(&l[r], "VAR::X");
    }

    #[test]
    fn github_escaping() {
        assert_eq!(gh_escape("a:b,c%\n", true), "a%3Ab%2Cc%25%0A");
        assert_eq!(gh_escape("a:b,c", false), "a:b,c");
    }
}
