//! `labrun drift [TARGET]`: the report over a scope and its formats: text
//! for people (a table and the findings, per locale), JSON
//! (`labrun.drift/v1`) and GitHub workflow commands; and the verdict under
//! `--fail-on`.

use std::path::Path;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::content::{Project, Tree};
use crate::error::Error;
use crate::i18n::Msg;
use crate::msg;
use crate::t;
use crate::ui::{self, Tone};

use super::{Counts, LabSummary, PageDrift, Status, short_hash, target};

/// How a drift report is printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Github,
}

/// A status (or `diverged`) that fails the run; `none` for never.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Stale,
    Unstamped,
    Unverifiable,
    Missing,
    Orphan,
    Diverged,
    None,
}

impl FailOn {
    pub fn id(self) -> &'static str {
        match self {
            FailOn::Stale => "stale",
            FailOn::Unstamped => "unstamped",
            FailOn::Unverifiable => "unverifiable",
            FailOn::Missing => "missing",
            FailOn::Orphan => "orphan",
            FailOn::Diverged => "diverged",
            FailOn::None => "none",
        }
    }
}

/// Whether a page fails the run under `--fail-on`.
fn fails(p: &PageDrift, fail_on: &[FailOn]) -> bool {
    fail_on
        .iter()
        .any(|f| f.id() == p.status.id() || (*f == FailOn::Diverged && p.diverged()))
}

/// The drift of the translations in some locales over a TARGET, ready to
/// print in any [`Format`].
pub struct Report<'a> {
    project: &'a Project,
    locales: Vec<String>,
    labs: Vec<LabSummary>,
    pages: Vec<PageDrift>,
    fail_on: &'a [FailOn],
    failed: bool,
}

/// One line of findings: places on both sides and a message.
struct Finding {
    label: String,
    tone: Tone,
    /// GitHub annotation level.
    level: &'static str,
    source: Option<(String, Option<u32>)>,
    translation: Option<(String, Option<u32>)>,
    message: Msg,
}

fn place((file, line): &(String, Option<u32>)) -> String {
    match line {
        Some(l) => format!("{file}:{l}"),
        None => file.clone(),
    }
}

fn status_label(s: Status) -> String {
    Msg::new(format!("drift-status-{}", s.id())).text()
}

fn status_tone(s: Status) -> Tone {
    match s {
        Status::Current => Tone::Good,
        Status::Stale | Status::Unstamped | Status::Orphan => Tone::Warning,
        Status::Missing => Tone::Dim,
        Status::Unverifiable => Tone::Accent,
    }
}

fn percent(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(s.width()));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

impl<'a> Report<'a> {
    /// Compares the translations of `locales` with the source over TARGET
    /// (see [`target::scope`]); a TARGET inside one translation narrows the
    /// report to that locale.
    pub fn build(
        project: &'a Project,
        locales: &[String],
        target: Option<&str>,
        fail_on: &'a [FailOn],
    ) -> Result<Self, Error> {
        let c = &project.config;
        let source = project.load(&c.source_locale)?;
        let mut targets = Vec::new();
        for l in locales {
            targets.push(project.load(l)?);
        }
        let (scope, only) = {
            let mut all: Vec<&Tree> = vec![&source];
            all.extend(targets.iter());
            target::scope(project, target, &all)?
        };
        if let Some(l) = only {
            targets.retain(|t| t.locale == l);
        }
        super::refuse_on_unreadable(
            std::iter::once(&source)
                .chain(targets.iter())
                .flat_map(|t| t.pages.iter())
                .filter(|p| scope.contains(&p.rel)),
        )?;
        let mut pages = Vec::new();
        for t in &targets {
            pages.extend(super::drift(&source, t, &scope)?);
        }
        super::git::apply(c, &mut pages)?;
        let failed = pages.iter().any(|p| fails(p, fail_on));
        let locales = targets.iter().map(|t| t.locale.clone()).collect();
        // Thousands of parsed pages are about to go with the process: freeing
        // them one by one costs more than the comparison itself.
        std::mem::forget(targets);
        std::mem::forget(source);
        Ok(Report {
            project,
            labs: super::summaries(&pages),
            locales,
            pages,
            fail_on,
            failed,
        })
    }

    /// Whether any page fails the run under `--fail-on`.
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// The report in `format`; `color` paints the text format.
    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Text => self.text(color),
            Format::Json => {
                serde_json::to_string_pretty(&self.json()).expect("a drift report serializes")
                    + "\n"
            }
            Format::Github => self.github(),
        }
    }

    fn source_locale(&self) -> &str {
        &self.project.config.source_locale
    }

    fn display(&self, p: &Path) -> String {
        self.project.display_path(p)
    }

    /// The counts of one locale's pages.
    fn total(&self, locale: &str) -> Counts {
        let mut total = Counts::default();
        for p in self.pages.iter().filter(|p| p.locale == locale) {
            total.add(p);
        }
        total
    }

    /// One locale's summary line, above its table and after its annotations.
    fn header(&self, locale: &str, total: &Counts) -> String {
        t!(
            "drift-header",
            source = self.source_locale(),
            locale = locale,
            pages = total.source_pages,
            percent = percent(total.translated_percent()),
            orphans = total.orphan,
            diverged = total.diverged
        )
    }

    fn level(&self, fails: bool, quiet: bool) -> &'static str {
        if fails {
            "error"
        } else if quiet {
            "notice"
        } else {
            "warning"
        }
    }

    /// Findings of one page: its hash status (unless current), then its
    /// differences.
    fn findings(&self, p: &PageDrift) -> Vec<Finding> {
        let mut out = Vec::new();
        let src = self.display(&p.source);
        let tr = self.display(&p.translation);
        let on = |f: FailOn| self.fail_on.contains(&f);
        let hash_line = p.recorded.as_ref().map(|h| h.line);
        let explain_cmd = format!("labrun drift --explain {tr}");
        let stamp_cmd = format!("labrun drift stamp {tr}");
        let git_message = super::git::finding(p, &explain_cmd);
        let status = match p.status {
            Status::Current => None,
            Status::Stale => {
                let recorded = p.recorded.as_ref().map_or("", |h| h.value.as_str());
                let actual = p.source_hash.as_deref().unwrap_or("");
                let message = if let Some(m) = git_message {
                    m
                } else if super::is_md5(recorded) {
                    msg!(
                        "drift-finding-stale",
                        recorded = short_hash(recorded),
                        actual = short_hash(actual),
                        command = explain_cmd.as_str()
                    )
                } else {
                    msg!(
                        "drift-finding-stale-malformed",
                        recorded = recorded,
                        field = p.recorded.as_ref().map_or("", |h| h.field.as_str())
                    )
                };
                Some((
                    on(FailOn::Stale),
                    false,
                    Some((src.clone(), Some(1))),
                    Some((tr.clone(), hash_line)),
                    message,
                ))
            }
            Status::Unstamped => Some((
                on(FailOn::Unstamped),
                false,
                Some((src.clone(), Some(1))),
                Some((tr.clone(), Some(1))),
                git_message.unwrap_or_else(|| {
                    msg!("drift-finding-unstamped", command = stamp_cmd.as_str())
                }),
            )),
            Status::Unverifiable => Some((
                on(FailOn::Unverifiable),
                true,
                Some((src.clone(), Some(1))),
                Some((tr.clone(), hash_line)),
                msg!(
                    "drift-finding-unverifiable",
                    field = p.recorded.as_ref().map_or("", |h| h.field.as_str())
                ),
            )),
            Status::Missing => Some((
                on(FailOn::Missing),
                true,
                Some((src.clone(), Some(1))),
                Some((tr.clone(), None)),
                msg!("drift-finding-missing"),
            )),
            Status::Orphan => {
                let message = match &p.suggestion {
                    Some(s) => {
                        let root = self.project.config.locale_root(self.source_locale());
                        msg!(
                            "drift-finding-orphan-suggest",
                            source = src.as_str(),
                            suggestion = self.display(&root.join(s))
                        )
                    }
                    None => msg!("drift-finding-orphan", source = src.as_str()),
                };
                Some((
                    on(FailOn::Orphan),
                    false,
                    None,
                    Some((tr.clone(), Some(1))),
                    message,
                ))
            }
        };
        if let Some((fails, quiet, source, translation, message)) = status {
            out.push(Finding {
                label: status_label(p.status),
                tone: status_tone(p.status),
                level: self.level(fails, quiet),
                source,
                translation,
                message,
            });
        }
        for d in &p.differences {
            out.push(Finding {
                label: t!("drift-status-diverged"),
                tone: Tone::Error,
                level: self.level(on(FailOn::Diverged), false),
                source: Some((src.clone(), Some(d.source_line))),
                translation: Some((tr.clone(), Some(d.translation_line))),
                message: d.message.clone(),
            });
        }
        out
    }

    fn text(&self, color: bool) -> String {
        let mut out = String::new();
        let statuses = Status::ALL;
        for locale in &self.locales {
            let labs: Vec<&LabSummary> = self.labs.iter().filter(|l| l.locale == *locale).collect();
            let total = self.total(locale);
            out.push_str(&ui::paint(color, Tone::Bold, &self.header(locale, &total)));
            out.push('\n');
            // The table: one row per lab and a total row.
            let mut header = vec![t!("drift-col-lab"), t!("drift-col-source")];
            header.extend(statuses.iter().map(|s| status_label(*s)));
            header.push(t!("drift-status-diverged"));
            header.push(t!("drift-col-translated"));
            let row = |name: String, c: &Counts| {
                let mut r = vec![name, c.source_pages.to_string()];
                r.extend(statuses.iter().map(|s| c.get(*s).to_string()));
                r.push(c.diverged.to_string());
                r.push(percent(c.translated_percent()));
                r
            };
            let mut rows: Vec<Vec<String>> =
                labs.iter().map(|l| row(l.lab.clone(), &l.counts)).collect();
            if labs.len() > 1 {
                rows.push(row(t!("drift-row-total"), &total));
            }
            let widths: Vec<usize> = (0..header.len())
                .map(|i| {
                    rows.iter()
                        .map(|r| r[i].width())
                        .chain([header[i].width()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |cells: &[String]| {
                cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| pad(c, widths[i], i > 0))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_owned()
            };
            out.push_str(&ui::paint(color, Tone::Dim, &line(&header)));
            out.push('\n');
            for r in &rows {
                out.push_str(&line(r));
                out.push('\n');
            }
            // The findings.
            let findings: Vec<Finding> = self
                .pages
                .iter()
                .filter(|p| p.locale == *locale)
                .flat_map(|p| self.findings(p))
                .collect();
            if findings.is_empty() {
                out.push('\n');
                out.push_str(&ui::paint(
                    color,
                    Tone::Good,
                    &t!("drift-all-current", count = total.current),
                ));
                out.push('\n');
            } else {
                out.push('\n');
                let label_width = findings.iter().map(|f| f.label.width()).max().unwrap_or(0);
                for f in &findings {
                    let places = match (&f.source, &f.translation) {
                        (Some(s), Some(t)) => format!("{} ↔ {}", place(s), place(t)),
                        (Some(s), None) => place(s),
                        (None, Some(t)) => place(t),
                        (None, None) => String::new(),
                    };
                    out.push_str(&format!(
                        "{}  {}  {}\n",
                        ui::paint(color, f.tone, &pad(&f.label, label_width, false)),
                        ui::paint(color, Tone::Accent, &places),
                        f.message
                    ));
                }
            }
            out.push('\n');
        }
        if self.locales.is_empty() {
            out.push_str(&t!("drift-no-translations"));
            out.push('\n');
        }
        out
    }

    fn github(&self) -> String {
        let mut out = String::new();
        for p in &self.pages {
            for f in self.findings(p) {
                // Annotate the translation where it exists; a missing page
                // is annotated on its source.
                let (file, line) = match (&f.translation, &f.source) {
                    (Some((file, line)), _) if p.status != Status::Missing => (file, *line),
                    (_, Some((file, line))) => (file, *line),
                    (Some((file, line)), None) => (file, *line),
                    (None, None) => continue,
                };
                let other = match (&f.source, &f.translation) {
                    (Some(s), Some(t)) if p.status != Status::Missing => {
                        format!(" ({} ↔ {})", place(s), place(t))
                    }
                    _ => String::new(),
                };
                out.push_str(&format!(
                    "::{} file={},line={},title={}::{}\n",
                    f.level,
                    gh_property(file),
                    line.unwrap_or(1),
                    gh_property(&format!("labrun drift: {}", f.label)),
                    gh_data(&format!("{}{other}", f.message))
                ));
            }
        }
        for l in &self.locales {
            out.push_str(&self.header(l, &self.total(l)));
            out.push('\n');
        }
        out
    }

    fn json(&self) -> JsonReport<'_> {
        let mut totals = Vec::new();
        for l in &self.locales {
            let counts = self.total(l);
            totals.push(JsonTotal {
                locale: l.clone(),
                counts,
                translated_percent: counts.translated_percent(),
            });
        }
        let pages = self
            .pages
            .iter()
            .map(|p| {
                let src = self.display(&p.source);
                let tr = self.display(&p.translation);
                JsonPage {
                    path: &p.rel,
                    locale: &p.locale,
                    lab: &p.lab,
                    status: p.status,
                    diverged: p.diverged(),
                    fails: fails(p, self.fail_on),
                    source_exists: p.status != Status::Orphan,
                    translation_exists: p.status != Status::Missing,
                    source: src.clone(),
                    translation: tr.clone(),
                    source_hash: p.source_hash.as_deref(),
                    recorded: p.recorded.as_ref().map(|h| JsonHash {
                        field: &h.field,
                        value: &h.value,
                        line: h.line,
                        quoted: h.quoted,
                    }),
                    suggestion: p.suggestion.as_ref().map(|s| {
                        self.display(
                            &self
                                .project
                                .config
                                .locale_root(self.source_locale())
                                .join(s),
                        )
                    }),
                    differences: p
                        .differences
                        .iter()
                        .map(|d| JsonDifference {
                            kind: d.kind,
                            source: JsonPlace {
                                file: src.clone(),
                                line: d.source_line,
                            },
                            translation: JsonPlace {
                                file: tr.clone(),
                                line: d.translation_line,
                            },
                            message_id: &d.message.id,
                            message: d.message.text(),
                        })
                        .collect(),
                    git: p.git.as_ref(),
                }
            })
            .collect();
        JsonReport {
            schema: "labrun.drift/v1",
            source_locale: self.source_locale(),
            locales: &self.locales,
            fail_on: self.fail_on.iter().map(|f| f.id()).collect(),
            failed: self.failed,
            labs: &self.labs,
            totals,
            pages,
        }
    }
}

/// Escapes a GitHub workflow command property value.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes a GitHub workflow command message.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    schema: &'static str,
    source_locale: &'a str,
    locales: &'a [String],
    fail_on: Vec<&'static str>,
    failed: bool,
    labs: &'a [LabSummary],
    totals: Vec<JsonTotal>,
    pages: Vec<JsonPage<'a>>,
}

#[derive(Serialize)]
struct JsonTotal {
    locale: String,
    counts: Counts,
    translated_percent: f64,
}

#[derive(Serialize)]
struct JsonPage<'a> {
    path: &'a str,
    locale: &'a str,
    lab: &'a str,
    status: Status,
    diverged: bool,
    fails: bool,
    source: String,
    source_exists: bool,
    translation: String,
    translation_exists: bool,
    source_hash: Option<&'a str>,
    recorded: Option<JsonHash<'a>>,
    suggestion: Option<String>,
    differences: Vec<JsonDifference<'a>>,
    /// What git history says, when it decided the status.
    git: Option<&'a super::git::GitBasis>,
}

#[derive(Serialize)]
struct JsonHash<'a> {
    field: &'a str,
    value: &'a str,
    line: u32,
    quoted: bool,
}

#[derive(Serialize)]
struct JsonPlace {
    file: String,
    line: u32,
}

#[derive(Serialize)]
struct JsonDifference<'a> {
    kind: super::DiffKind,
    source: JsonPlace,
    translation: JsonPlace,
    message_id: &'a str,
    message: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::{DiffKind, Difference};

    fn page(status: Status, diverged: bool) -> PageDrift {
        PageDrift {
            rel: "lab/a.md".into(),
            locale: "ja".into(),
            lab: "lab".into(),
            status,
            source: "content/en/lab/a.md".into(),
            translation: "content/ja/lab/a.md".into(),
            source_hash: None,
            recorded: None,
            differences: if diverged {
                vec![Difference {
                    kind: DiffKind::CommandChanged,
                    source_line: 3,
                    translation_line: 4,
                    message: msg!("drift-finding-missing"),
                }]
            } else {
                Vec::new()
            },
            suggestion: None,
            git: None,
        }
    }

    #[test]
    fn fail_on_names_statuses_and_divergence_whatever_the_status() {
        let defaults = [
            FailOn::Stale,
            FailOn::Unstamped,
            FailOn::Orphan,
            FailOn::Diverged,
        ];
        assert!(fails(&page(Status::Stale, false), &defaults));
        assert!(!fails(&page(Status::Missing, false), &defaults));
        assert!(!fails(&page(Status::Current, false), &defaults));
        assert!(fails(&page(Status::Current, true), &defaults));
        assert!(!fails(&page(Status::Current, true), &[FailOn::Stale]));
        assert!(fails(&page(Status::Missing, false), &[FailOn::Missing]));
        assert!(!fails(&page(Status::Stale, true), &[FailOn::None]));
    }
}
