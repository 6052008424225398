//! `labrun drift [TARGET]`, `labrun drift --explain PAGE`,
//! `labrun drift stamp PAGE...`.
//!
//! `stamp` is a subcommand; everything else is an option of `drift` itself.
//! A lab literally named `stamp` is reached as `./stamp`.

use std::path::{Path, PathBuf};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::content::Tree;
use crate::drift::{
    self, Counts, LabSummary, PageDrift, Scope, Status, history as explain,
    stamp::{self, StampError},
};
use crate::error::Error;
use crate::i18n::Msg;
use crate::markdown;
use crate::model::Page;
use crate::msg;
use crate::t;
use crate::ui::{self, Tone};

use super::{Context, exit};

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    /// A lab (content path or prepare-environment id), a page, or a file or directory of any locale; default: everything.
    pub target: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Statuses that make the exit code 1 (comma-separated; `none` for never).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "stale,unstamped,orphan,diverged",
        value_name = "STATUS,..."
    )]
    pub fail_on: Vec<FailOn>,
    /// Show what changed in the source page since the translation PAGE was made (needs git).
    #[arg(long, value_name = "PAGE", conflicts_with = "target")]
    pub explain: Option<String>,
}

#[derive(clap::Subcommand, Debug)]
pub enum Action {
    /// Record the source page's current hash in reviewed translations.
    Stamp(StampArgs),
}

#[derive(clap::Args, Debug)]
pub struct StampArgs {
    /// Translated pages (files, or paths relative to the locale root with --lang).
    #[arg(required = true, value_name = "PAGE")]
    pub pages: Vec<String>,
    /// Stamp even a page that no longer runs the same lab as its source.
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Github,
}

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
    fn id(self) -> &'static str {
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

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    if let Some(Action::Stamp(s)) = &args.action {
        return exec_stamp(ctx, s);
    }
    if let Some(page) = &args.explain {
        return exec_explain(ctx, page, args.format);
    }
    exec_report(ctx, args)
}

/// The translation locales to look at: `--lang` when it names one, else
/// (or with `--lang all`) every locale but the source.
fn target_locales(ctx: &Context) -> Result<Vec<String>, Error> {
    let c = &ctx.project.config;
    if ctx.lang_flag.is_some() && !ctx.all_locales() {
        let l = ctx.content_locale()?;
        if l != c.source_locale {
            return Ok(vec![l]);
        }
    }
    Ok(c.locales
        .iter()
        .filter(|l| **l != c.source_locale)
        .cloned()
        .collect())
}

/// The scope of a report and, when TARGET is a file of a translation, that
/// locale.
fn scope_for(
    ctx: &Context,
    target: Option<&str>,
    trees: &[&Tree],
) -> Result<(Scope, Option<String>), Error> {
    let Some(arg) = target else {
        return Ok((Scope::All, None));
    };
    if let Some(crate::content::Located {
        locale,
        rel,
        is_dir,
    }) = ctx.project.locate(Path::new(arg))
    {
        let only = (locale != ctx.project.config.source_locale).then_some(locale);
        let scope = match (is_dir, rel.is_empty()) {
            (_, true) => Scope::All,
            (true, false) => Scope::Dir(rel),
            (false, false) => Scope::Page(rel),
        };
        return Ok((scope, only));
    }
    if Path::new(arg).exists() {
        return Err(Error::Usage(msg!("drift-outside-content", path = arg)));
    }
    let key = arg.trim().trim_start_matches("./").trim_matches('/');
    if key.is_empty() || key == "." {
        return Ok((Scope::All, None));
    }
    for tree in trees {
        for candidate in [key.to_owned(), format!("{key}.md"), format!("{key}.mdx")] {
            if tree.pages.iter().any(|p| p.rel == candidate) {
                return Ok((Scope::Page(candidate), None));
            }
        }
    }
    for tree in trees {
        if tree.dirs.iter().any(|d| d.rel == key) {
            return Ok((Scope::Dir(key.to_owned()), None));
        }
    }
    // A prepare-environment id, or an unknown name with suggestions.
    let lab = trees[0].lab(key)?;
    Ok((
        if lab.id.is_empty() {
            Scope::All
        } else {
            Scope::Dir(lab.id)
        },
        None,
    ))
}

/// Pages whose front matter cannot be read would be reported wrongly
/// (unstamped, or with ordering changes): drift stops on them. Other parse
/// problems, such as a bash block that lost every `$ ` prompt, are what drift
/// reports.
fn refuse_on_unreadable<'a>(pages: impl IntoIterator<Item = &'a Page>) -> Result<(), Error> {
    let errors: Vec<_> = pages
        .into_iter()
        .flat_map(|p| {
            p.diagnostics.iter().filter(|d| {
                d.is_error() && (d.rule.starts_with("front-matter/") || d.rule == "file/not-utf8")
            })
        })
        .cloned()
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Content {
            diagnostics: errors,
        })
    }
}

fn exec_report(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let c = &ctx.project.config;
    let source = ctx.project.load(&c.source_locale)?;
    let mut targets = Vec::new();
    for l in target_locales(ctx)? {
        targets.push(ctx.project.load(&l)?);
    }
    let (scope, only) = {
        let mut all: Vec<&Tree> = vec![&source];
        all.extend(targets.iter());
        scope_for(ctx, args.target.as_deref(), &all)?
    };
    if let Some(l) = only {
        targets.retain(|t| t.locale == l);
    }
    refuse_on_unreadable(
        std::iter::once(&source)
            .chain(targets.iter())
            .flat_map(|t| t.pages.iter())
            .filter(|p| scope.contains(&p.rel)),
    )?;
    let mut pages = Vec::new();
    for t in &targets {
        pages.extend(drift::drift(&source, t, &scope)?);
    }
    drift::git::apply(c, &mut pages)?;
    let failed = pages.iter().any(|p| fails(p, &args.fail_on));
    let report = Report {
        ctx,
        source_locale: &c.source_locale,
        locales: targets.iter().map(|t| t.locale.clone()).collect(),
        labs: drift::summaries(&pages),
        pages: &pages,
        fail_on: &args.fail_on,
        failed,
    };
    match args.format {
        Format::Text => ui::print(&report.text(ui::color_enabled(false))),
        Format::Json => ui::print_data(
            &(serde_json::to_string_pretty(&report.json()).expect("a drift report serializes")
                + "\n"),
        ),
        Format::Github => ui::print_data(&report.github()),
    }
    // Thousands of parsed pages are about to go with the process: freeing
    // them one by one costs more than the comparison itself.
    std::mem::forget(targets);
    std::mem::forget(source);
    Ok(if failed { exit::FAILED } else { exit::OK })
}

struct Report<'a> {
    ctx: &'a Context,
    source_locale: &'a str,
    locales: Vec<String>,
    labs: Vec<LabSummary>,
    pages: &'a [PageDrift],
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

fn short_hash(h: &str) -> String {
    h.chars().take(8).collect()
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

impl Report<'_> {
    fn display(&self, p: &Path) -> String {
        self.ctx.project.display_path(p)
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
        let git_message = drift::git::finding(p, &explain_cmd);
        let status = match p.status {
            Status::Current => None,
            Status::Stale => {
                let recorded = p.recorded.as_ref().map_or("", |h| h.value.as_str());
                let actual = p.source_hash.as_deref().unwrap_or("");
                let message = if let Some(m) = git_message {
                    m
                } else if drift::is_md5(recorded) {
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
                        let root = self.ctx.project.config.locale_root(self.source_locale);
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
        let statuses = [
            Status::Current,
            Status::Stale,
            Status::Unstamped,
            Status::Unverifiable,
            Status::Missing,
            Status::Orphan,
        ];
        for locale in &self.locales {
            let labs: Vec<&LabSummary> = self.labs.iter().filter(|l| l.locale == *locale).collect();
            let mut total = Counts::default();
            for p in self.pages.iter().filter(|p| p.locale == *locale) {
                total.add(p);
            }
            out.push_str(&ui::paint(
                color,
                Tone::Bold,
                &t!(
                    "drift-header",
                    source = self.source_locale,
                    locale = locale.as_str(),
                    pages = total.source_pages,
                    percent = percent(total.translated_percent()),
                    orphans = total.orphan,
                    diverged = total.diverged
                ),
            ));
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
        for p in self.pages {
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
            let mut total = Counts::default();
            for p in self.pages.iter().filter(|p| p.locale == *l) {
                total.add(p);
            }
            out.push_str(&t!(
                "drift-header",
                source = self.source_locale,
                locale = l.as_str(),
                pages = total.source_pages,
                percent = percent(total.translated_percent()),
                orphans = total.orphan,
                diverged = total.diverged
            ));
            out.push('\n');
        }
        out
    }

    fn json(&self) -> JsonReport<'_> {
        let mut totals = Vec::new();
        for l in &self.locales {
            let mut counts = Counts::default();
            for p in self.pages.iter().filter(|p| p.locale == *l) {
                counts.add(p);
            }
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
                                .ctx
                                .project
                                .config
                                .locale_root(self.source_locale)
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
            source_locale: self.source_locale,
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
    git: Option<&'a drift::git::GitBasis>,
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
    kind: drift::DiffKind,
    source: JsonPlace,
    translation: JsonPlace,
    message_id: &'a str,
    message: String,
}

/// A translation and its source, read for `--explain` and `stamp`.
struct Pair {
    locale: String,
    rel: String,
    source_file: PathBuf,
    translation_file: PathBuf,
}

/// Resolves PAGE (a file of any locale, or a path relative to the locale
/// root) to a translation and its source.
fn resolve_page(ctx: &Context, arg: &str) -> Result<Pair, Error> {
    let c = &ctx.project.config;
    let targets = target_locales(ctx)?;
    let (locale, rel) = match ctx.project.locate(Path::new(arg)) {
        Some(at) if at.is_dir => {
            return Err(Error::Usage(msg!("drift-page-is-directory", page = arg)));
        }
        Some(at) if at.locale != c.source_locale => (at.locale, at.rel),
        Some(at) => (single_target(&targets, arg)?, at.rel),
        None if Path::new(arg).exists() => {
            return Err(Error::Usage(msg!("drift-outside-content", path = arg)));
        }
        None => {
            let locale = single_target(&targets, arg)?;
            let key = arg.trim_start_matches("./").trim_matches('/');
            let roots = [c.locale_root(&locale), c.locale_root(&c.source_locale)];
            let found = [key.to_owned(), format!("{key}.md"), format!("{key}.mdx")]
                .into_iter()
                .find(|k| roots.iter().any(|r| r.join(k).is_file()))
                .ok_or_else(|| Error::Usage(msg!("drift-page-not-found", page = arg)))?;
            (locale, found)
        }
    };
    Ok(Pair {
        source_file: c.locale_root(&c.source_locale).join(&rel),
        translation_file: c.locale_root(&locale).join(&rel),
        locale,
        rel,
    })
}

fn single_target(targets: &[String], page: &str) -> Result<String, Error> {
    match targets {
        [one] => Ok(one.clone()),
        [] => Err(Error::Usage(msg!("drift-no-translations"))),
        _ => Err(Error::Usage(msg!(
            "drift-choose-locale",
            page = page,
            locales = targets.join(", ")
        ))),
    }
}

fn read_page(file: &Path, rel: &str, locale: &str) -> Result<(Vec<u8>, Page), Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let page = markdown::parse_page(file, rel, locale, &bytes);
    Ok((bytes, page))
}

#[derive(Serialize)]
struct JsonExplain<'a> {
    schema: &'static str,
    translation: String,
    source: String,
    field: &'a str,
    recorded: &'a str,
    source_hash: &'a str,
    status: Status,
    revision: Option<&'a explain::Revision>,
    searched: usize,
    diff: String,
}

fn exec_explain(ctx: &Context, arg: &str, format: Format) -> Result<u8, Error> {
    let pair = resolve_page(ctx, arg)?;
    let src_name = ctx.project.display_path(&pair.source_file);
    let tr_name = ctx.project.display_path(&pair.translation_file);
    if !pair.translation_file.is_file() {
        return Err(Error::Usage(msg!(
            "drift-no-translation",
            file = tr_name.as_str()
        )));
    }
    if !pair.source_file.is_file() {
        let c = &ctx.project.config;
        let source = ctx.project.load(&c.source_locale)?;
        let target = ctx.project.load(&pair.locale)?;
        let message = match drift::orphan_suggestion(&source, &target, &pair.rel) {
            Some(s) => t!(
                "drift-explain-orphan-suggest",
                translation = tr_name.as_str(),
                source = src_name.as_str(),
                suggestion = ctx
                    .project
                    .display_path(&c.locale_root(&c.source_locale).join(s))
            ),
            None => t!(
                "drift-explain-orphan",
                translation = tr_name.as_str(),
                source = src_name.as_str()
            ),
        };
        ui::eprintln(&message);
        return Ok(exit::FAILED);
    }
    let (_, page) = read_page(&pair.translation_file, &pair.rel, &pair.locale)?;
    refuse_on_unreadable([&page])?;
    let config = &ctx.project.config;
    if drift::git::applies(config.drift.source, page.front.source_hash.as_ref()) {
        let shown = (src_name.as_str(), tr_name.as_str());
        let json = format == Format::Json;
        let color = ui::color_enabled(false);
        return Ok(
            match drift::git::explain(
                config,
                &pair.source_file,
                &pair.translation_file,
                shown,
                json,
                color,
            )? {
                true => exit::OK,
                false => exit::FAILED,
            },
        );
    }
    let Some(recorded) = page.front.source_hash.clone() else {
        ui::eprintln(&t!("drift-explain-unstamped", file = tr_name.as_str()));
        return Ok(exit::FAILED);
    };
    if !recorded.verifiable() {
        ui::eprintln(&t!(
            "drift-explain-unverifiable",
            file = tr_name.as_str(),
            field = recorded.field.as_str()
        ));
        return Ok(exit::FAILED);
    }
    let current = std::fs::read(&pair.source_file).map_err(|e| Error::io(&pair.source_file, e))?;
    let actual = drift::md5_hex(&current);
    let status = drift::hash_status(Some(&recorded), &actual);
    let color = ui::color_enabled(false);
    let found = if status == Status::Current {
        None
    } else {
        Some(
            explain::find_version(&pair.source_file, &recorded.value)
                .map_err(|e| Error::Usage(e.message()))?,
        )
    };
    let diff = match &found {
        Some(explain::HistoryMatch {
            revision: Some(r),
            content,
            ..
        }) => explain::unified_diff(
            content,
            &current,
            &format!("{src_name}@{}", r.short),
            &src_name,
        ),
        _ => String::new(),
    };
    let matched = found.as_ref().is_none_or(|f| f.revision.is_some());
    if format == Format::Json {
        let j = JsonExplain {
            schema: "labrun.drift-explain/v1",
            translation: tr_name.clone(),
            source: src_name.clone(),
            field: &recorded.field,
            recorded: &recorded.value,
            source_hash: &actual,
            status,
            revision: found.as_ref().and_then(|f| f.revision.as_ref()),
            searched: found.as_ref().map_or(0, |f| f.searched),
            diff,
        };
        ui::print_data(
            &(serde_json::to_string_pretty(&j).expect("an explanation serializes") + "\n"),
        );
        return Ok(if matched { exit::OK } else { exit::FAILED });
    }
    match &found {
        None => ui::println(&ui::paint(
            color,
            Tone::Good,
            &t!(
                "drift-explain-current",
                file = tr_name.as_str(),
                source = src_name.as_str()
            ),
        )),
        Some(explain::HistoryMatch {
            revision: Some(r), ..
        }) => {
            ui::println(&ui::paint(
                color,
                Tone::Bold,
                &t!(
                    "drift-explain-found",
                    file = tr_name.as_str(),
                    recorded = short_hash(&recorded.value),
                    source = src_name.as_str(),
                    commit = r.short.as_str(),
                    date = r.date.as_str(),
                    subject = r.subject.as_str()
                ),
            ));
            ui::println("");
            ui::print(&explain::paint_diff(&diff, color));
        }
        Some(f) => ui::eprintln(&t!(
            "drift-explain-no-match",
            file = tr_name.as_str(),
            recorded = recorded.value.as_str(),
            source = src_name.as_str(),
            searched = f.searched
        )),
    }
    Ok(if matched { exit::OK } else { exit::FAILED })
}

fn exec_stamp(ctx: &Context, args: &StampArgs) -> Result<u8, Error> {
    // Resolve every page first, so a typo stamps nothing.
    let pairs = args
        .pages
        .iter()
        .map(|p| resolve_page(ctx, p))
        .collect::<Result<Vec<_>, _>>()?;
    let mut code = exit::OK;
    let color_err = ui::color_enabled(true);
    let refuse = |m: Msg| {
        ui::eprintln(&format!(
            "{}: {}",
            ui::paint(color_err, Tone::Error, &t!("drift-not-stamped")),
            m
        ));
    };
    for pair in &pairs {
        let src_name = ctx.project.display_path(&pair.source_file);
        let tr_name = ctx.project.display_path(&pair.translation_file);
        if !pair.translation_file.is_file() {
            refuse(msg!("drift-no-translation", file = tr_name.as_str()));
            code = code.max(exit::FAILED);
            continue;
        }
        if !pair.source_file.is_file() {
            refuse(msg!(
                "drift-stamp-orphan",
                file = tr_name.as_str(),
                source = src_name.as_str()
            ));
            code = code.max(exit::FAILED);
            continue;
        }
        let (src_bytes, src_page) = read_page(
            &pair.source_file,
            &pair.rel,
            &ctx.project.config.source_locale,
        )?;
        let (bytes, page) = read_page(&pair.translation_file, &pair.rel, &pair.locale)?;
        let (stamped, hash) = match stamp::plan(&src_page, &src_bytes, &page, &bytes, args.force) {
            Ok(stamp::Plan::Write { bytes, hash }) => (bytes, hash),
            Ok(stamp::Plan::Current) => {
                ui::println(&t!("drift-stamp-already", file = tr_name.as_str()));
                continue;
            }
            Err(stamp::Refusal::Diverged(differences)) => {
                for d in &differences {
                    ui::eprintln(&format!(
                        "  {}:{} ↔ {}:{}  {}",
                        src_name, d.source_line, tr_name, d.translation_line, d.message
                    ));
                }
                refuse(msg!(
                    "drift-stamp-diverged",
                    file = tr_name.as_str(),
                    count = differences.len()
                ));
                code = code.max(exit::FAILED);
                continue;
            }
            Err(stamp::Refusal::Stamp(e)) => {
                if e == StampError::BadFrontMatter {
                    ui::print_diagnostics(&page.diagnostics);
                }
                refuse(e.message(&tr_name));
                code = code.max(exit::FAILED);
                continue;
            }
            Err(stamp::Refusal::VerifyFailed) => {
                refuse(msg!("drift-stamp-verify-failed", file = tr_name.as_str()));
                code = code.max(exit::FAILED);
                continue;
            }
        };
        // Only inside the project, and never through a link: a page in a
        // pull request may point anywhere the CI user can write.
        let written = crate::files::require_inside(ctx.project.root(), &pair.translation_file)
            .and_then(|()| crate::files::write_atomic(&pair.translation_file, &stamped));
        if let Err(e) = written {
            refuse(msg!(
                "drift-stamp-write-failed",
                file = tr_name.as_str(),
                detail = e.message().text()
            ));
            code = code.max(exit::USAGE);
            continue;
        }
        let field = page
            .front
            .source_hash
            .as_ref()
            .map_or(stamp::DEFAULT_FIELD, |h| h.field.as_str());
        let old = page
            .front
            .source_hash
            .as_ref()
            .map_or_else(|| t!("drift-value-none"), |h| short_hash(&h.value));
        ui::println(&t!(
            "drift-stamped",
            file = tr_name.as_str(),
            field = field,
            old = old,
            new = short_hash(&hash)
        ));
    }
    Ok(code)
}
