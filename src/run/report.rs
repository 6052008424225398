//! What a run found: the JSON report (schema `labrun.run/v1`, documented in
//! `docs/run.md`), the JUnit XML made from it, and merging the reports
//! of several shards into the report of one run.

use std::path::{Path, PathBuf};

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use serde::{Deserialize, Serialize};

use crate::error::Error;

use super::verify_output::{OutputMismatch, diff_text};

pub const SCHEMA: &str = "labrun.run/v1";

/// The outcome of a block, a hook, a page, a lab or a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Passed,
    Failed,
    Skipped,
    TimedOut,
    /// Passed, but not as the page said: an `expectError=true` block succeeded.
    Warning,
}

impl Status {
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Failed | Status::TimedOut)
    }

    /// The status of a whole made of parts: failed if any part failed,
    /// skipped if nothing ran, warning if a part warned.
    pub fn combine(parts: impl IntoIterator<Item = Status>) -> Status {
        let mut any_ran = false;
        let mut warning = false;
        for s in parts {
            match s {
                Status::Failed | Status::TimedOut => return Status::Failed,
                Status::Warning => {
                    warning = true;
                    any_ran = true
                }
                Status::Passed => any_ran = true,
                Status::Skipped => {}
            }
        }
        if warning {
            Status::Warning
        } else if any_ran {
            Status::Passed
        } else {
            Status::Skipped
        }
    }
}

/// Why something did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// `test=false`.
    TestFalse,
    /// The page is under a `.notest` file.
    Notest,
    /// A translation whose source page no longer exists.
    Orphan,
    /// An earlier block of the page failed.
    AfterFailure,
    /// `--bail` stopped the run after a failure.
    Bail,
    /// Before the `--from` block.
    From,
    /// Not matched by `--only`.
    Only,
    /// Skipped at the `--step` prompt.
    Step,
    /// `q` at the `--step` prompt.
    Quit,
    /// A suite hook's `before` failed.
    SuiteHookFailed,
    /// The lab needs a cluster and none answered.
    NoCluster,
    /// Ctrl-C or SIGTERM.
    Interrupted,
    /// The session's shell ended.
    SessionLost,
    /// `--resume`: the run it resumes got past it.
    Resume,
}

/// How a failed block or hook failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// A command exited non-zero.
    Exit,
    /// The timeout ended it.
    Timeout,
    /// The block's `before` hook failed.
    HookBefore,
    /// The block's `after` hook failed.
    HookAfter,
    /// Ctrl-C or SIGTERM ended it.
    Interrupted,
    /// The session's shell ended while it ran.
    SessionLost,
    /// A command's output does not match the sample the page shows
    /// (`verifyOutput=true`, `--verify-output`).
    Output,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub schema: String,
    pub status: Status,
    pub interrupted: bool,
    /// `K/N` for one shard of a run.
    pub shard: Option<String>,
    /// Where the run's logs are (`null` in a merged report).
    pub log_dir: Option<String>,
    pub totals: Totals,
    pub labs: Vec<LabReport>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub labs: usize,
    pub pages: usize,
    pub blocks: usize,
    pub passed: usize,
    pub failed: usize,
    pub timed_out: usize,
    pub skipped: usize,
    pub warnings: usize,
    pub hooks_failed: usize,
    pub duration_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabReport {
    /// The lab's place among all the labs of the run before sharding (merge
    /// sorts by it, so merged shards read like one run).
    pub order: usize,
    pub lab: String,
    pub locale: String,
    pub title: String,
    pub status: Status,
    pub duration_ms: u64,
    pub work_dir: String,
    /// `tests/hook-suite.sh` calls around the lab's directories.
    pub suite_hooks: Vec<HookReport>,
    /// `--check-leaks`: the cleanup of the environment the lab prepared,
    /// run before the after-snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleanup: Option<HookReport>,
    pub pages: Vec<PageReport>,
    /// `--check-leaks`: what the lab left in the cluster (see the verify
    /// documentation for its fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leaks: Option<serde_json::Value>,
    /// Why the lab did not run at all (it needs a cluster and none
    /// answered); the lab counts as failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preflight: Option<String>,
    /// `--resume`: where the lab picked up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resumed: Option<Resumed>,
}

/// Where a resumed lab picked up, and with what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Resumed {
    /// The log directory of the run it resumes.
    pub log_dir: String,
    /// The page it started at; `null` when every page had passed.
    pub page: Option<String>,
    /// The page whose saved state the session started with; `null` at the
    /// lab's first page.
    pub state_after: Option<String>,
    /// Whether the earlier run's work directory was still there and used.
    pub work_dir_reused: bool,
}

impl LabReport {
    /// A lab the preflight kept from running: failed, every block skipped.
    pub fn not_run(
        order: usize,
        lab: &crate::model::Lab,
        files: &[String],
        why: String,
    ) -> LabReport {
        let pages = lab
            .pages
            .iter()
            .zip(files)
            .map(|(p, file)| PageReport {
                path: p.rel.clone(),
                file: file.clone(),
                title: p.title.clone(),
                status: Status::Skipped,
                skip_reason: Some(SkipReason::NoCluster),
                duration_ms: 0,
                log: None,
                blocks: p
                    .runnable_blocks()
                    .map(|b| {
                        BlockReport::skipped(
                            b.line,
                            b.end_line,
                            SkipReason::NoCluster,
                            b.annotations.timeout.unwrap_or(0),
                            b.annotations.expect_error,
                        )
                    })
                    .collect(),
            })
            .collect();
        LabReport {
            order,
            lab: lab.id.clone(),
            locale: lab.locale.clone(),
            title: lab.title.clone(),
            status: Status::Failed,
            duration_ms: 0,
            work_dir: String::new(),
            suite_hooks: Vec::new(),
            cleanup: None,
            pages,
            leaks: None,
            preflight: Some(why),
            resumed: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageReport {
    /// Path within the locale (`getting-started/index.md`).
    pub path: String,
    /// The file, relative to the project root.
    pub file: String,
    pub title: String,
    pub status: Status,
    pub skip_reason: Option<SkipReason>,
    pub duration_ms: u64,
    /// The page's log: every block's commands and full output, in order.
    pub log: Option<String>,
    pub blocks: Vec<BlockReport>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommandRef {
    pub line: u32,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockReport {
    /// Line of the opening fence.
    pub line: u32,
    pub end_line: u32,
    pub status: Status,
    pub skip_reason: Option<SkipReason>,
    pub failure: Option<FailureKind>,
    pub duration_ms: u64,
    pub exit_code: Option<i32>,
    pub expect_error: bool,
    pub timeout_s: u64,
    /// The command that failed or was running at the timeout.
    pub command: Option<CommandRef>,
    /// The last lines the block printed.
    pub output_tail: Vec<String>,
    pub log: Option<String>,
    /// Line of the block's header in the log.
    pub log_line: Option<u64>,
    pub hooks: Vec<HookReport>,
    /// How the output differs from the page's sample (`failure: output`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_mismatch: Option<OutputMismatch>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HookReport {
    pub name: String,
    /// `before` or `after`.
    pub phase: String,
    /// The script, relative to the project root.
    pub file: String,
    /// For suite hooks: the directory they wrap (relative to the locale root).
    pub dir: Option<String>,
    pub status: Status,
    pub exit_code: Option<i32>,
    pub duration_ms: u64,
    pub output_tail: Vec<String>,
    pub log: Option<String>,
    pub log_line: Option<u64>,
}

impl BlockReport {
    /// The hook whose failure failed the block, when that is what happened.
    pub fn failed_hook(&self) -> Option<&HookReport> {
        match self.failure {
            Some(FailureKind::HookBefore | FailureKind::HookAfter) => {
                self.hooks.iter().rev().find(|h| h.status.is_failure())
            }
            _ => None,
        }
    }

    /// A block that did not run.
    pub fn skipped(
        line: u32,
        end_line: u32,
        reason: SkipReason,
        timeout_s: u64,
        expect_error: bool,
    ) -> BlockReport {
        BlockReport {
            line,
            end_line,
            status: Status::Skipped,
            skip_reason: Some(reason),
            failure: None,
            duration_ms: 0,
            exit_code: None,
            expect_error,
            timeout_s,
            command: None,
            output_tail: Vec::new(),
            log: None,
            log_line: None,
            hooks: Vec::new(),
            output_mismatch: None,
        }
    }
}

impl RunReport {
    pub fn new(
        labs: Vec<LabReport>,
        interrupted: bool,
        shard: Option<String>,
        log_dir: Option<String>,
    ) -> RunReport {
        let mut r = RunReport {
            schema: SCHEMA.to_owned(),
            status: Status::Skipped,
            interrupted,
            shard,
            log_dir,
            totals: Totals::default(),
            labs,
        };
        r.recount();
        r
    }

    fn recount(&mut self) {
        let mut t = Totals {
            labs: self.labs.len(),
            ..Totals::default()
        };
        for lab in &self.labs {
            // Merged reports are read from files: saturate, never wrap.
            t.duration_ms = t.duration_ms.saturating_add(lab.duration_ms);
            t.hooks_failed += lab
                .suite_hooks
                .iter()
                .chain(&lab.cleanup)
                .filter(|h| h.status.is_failure())
                .count();
            for page in &lab.pages {
                t.pages += 1;
                for b in &page.blocks {
                    t.blocks += 1;
                    match b.status {
                        Status::Passed => t.passed += 1,
                        Status::Failed => t.failed += 1,
                        Status::TimedOut => t.timed_out += 1,
                        Status::Skipped => t.skipped += 1,
                        Status::Warning => t.warnings += 1,
                    }
                    t.hooks_failed += b.hooks.iter().filter(|h| h.status.is_failure()).count();
                }
            }
        }
        self.totals = t;
        self.status = Status::combine(self.labs.iter().map(|l| l.status));
    }

    /// Joins the reports of the shards of one run. Labs come back in the
    /// order of the unsharded run.
    pub fn merge(parts: Vec<RunReport>) -> RunReport {
        let interrupted = parts.iter().any(|p| p.interrupted);
        let mut labs: Vec<LabReport> = parts.into_iter().flat_map(|p| p.labs).collect();
        labs.sort_by_key(|l| l.order);
        RunReport::new(labs, interrupted, None, None)
    }

    /// Whether the run failed (a block or hook).
    pub fn failed(&self) -> bool {
        self.status.is_failure()
    }

    /// Writes the JSON report to `path`.
    pub fn write_json(&self, path: &Path) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(self).expect("a report serializes") + "\n";
        write_file(path, &text)
    }

    /// What `--record-durations` keeps: each page that ran, whole and
    /// without failing (`test=false` blocks aside), with its duration.
    /// `labs` are the labs of the report, in its order.
    pub fn page_durations(&self, labs: &[crate::model::Lab]) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        for (lab, lr) in labs.iter().zip(&self.labs) {
            for (page, pr) in lab.pages.iter().zip(&lr.pages) {
                let ran = pr.blocks.iter().any(|b| b.status != Status::Skipped);
                let whole = pr.blocks.iter().all(|b| {
                    b.status == Status::Passed
                        || b.status == Status::Warning
                        || b.skip_reason == Some(SkipReason::TestFalse)
                });
                if ran && whole {
                    out.push((page.rel.clone(), pr.duration_ms));
                }
            }
        }
        out
    }

    /// The JUnit form: one test suite per page (named `<locale>/<path>`), one
    /// test case per block (named `file:line`), and a suite per lab for its
    /// suite hooks. Each suite carries `labrun.order` so that merged
    /// shards sort back into run order.
    pub fn junit(&self) -> Report {
        let mut report = Report::new("labrun");
        for lab in &self.labs {
            if let Some(why) = &lab.preflight {
                let name = format!("{}/{} (preflight)", lab.locale, lab.lab);
                let mut suite = TestSuite::new(name);
                suite.add_property(Property::new(
                    "labrun.order",
                    format!("{:06}.000000", lab.order),
                ));
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_type("preflight");
                status.set_message(why.clone());
                let mut case = TestCase::new("preflight", status);
                case.set_classname(format!("{}/{}", lab.locale, lab.lab));
                suite.add_test_case(case);
                report.add_test_suite(suite);
            }
            if !lab.suite_hooks.is_empty() {
                let name = format!("{}/{} (hook-suite)", lab.locale, lab.lab);
                let mut suite = TestSuite::new(name);
                suite.add_property(Property::new(
                    "labrun.order",
                    format!("{:06}.000000", lab.order),
                ));
                for h in &lab.suite_hooks {
                    let mut case = TestCase::new(format!("{} {}", h.file, h.phase), hook_status(h));
                    case.set_classname(format!("{}/{}", lab.locale, lab.lab));
                    case.set_time(std::time::Duration::from_millis(h.duration_ms));
                    suite.add_test_case(case);
                }
                report.add_test_suite(suite);
            }
            if let Some(h) = &lab.cleanup {
                let mut suite = TestSuite::new(format!("{}/{} (cleanup)", lab.locale, lab.lab));
                suite.add_property(Property::new(
                    "labrun.order",
                    format!("{:06}.999999", lab.order),
                ));
                let mut case = TestCase::new(format!("{} {}", h.file, h.phase), hook_status(h));
                case.set_classname(format!("{}/{}", lab.locale, lab.lab));
                case.set_time(std::time::Duration::from_millis(h.duration_ms));
                suite.add_test_case(case);
                report.add_test_suite(suite);
            }
            for (i, page) in lab.pages.iter().enumerate() {
                let mut suite = TestSuite::new(format!("{}/{}", lab.locale, page.path));
                suite.add_property(Property::new(
                    "labrun.order",
                    format!("{:06}.{:06}", lab.order, i + 1),
                ));
                suite.set_time(std::time::Duration::from_millis(page.duration_ms));
                for b in &page.blocks {
                    let mut case = TestCase::new(
                        format!("{}:{}", page.file, b.line),
                        block_status(b, &page.file),
                    );
                    case.set_classname(format!("{}/{}", lab.locale, lab.lab));
                    case.set_time(std::time::Duration::from_millis(b.duration_ms));
                    if b.status == Status::Warning {
                        case.set_system_out(crate::t!("run-junit-unexpected-success"));
                    }
                    suite.add_test_case(case);
                }
                report.add_test_suite(suite);
            }
        }
        report.set_time(std::time::Duration::from_millis(self.totals.duration_ms));
        report
    }
}

fn tail_text(lines: &[String]) -> String {
    lines.join("\n")
}

fn block_status(b: &BlockReport, file: &str) -> TestCaseStatus {
    match b.status {
        Status::Passed | Status::Warning => TestCaseStatus::success(),
        Status::Skipped => {
            let mut s = TestCaseStatus::skipped();
            if let Some(r) = b.skip_reason {
                s.set_message(kebab(&r));
            }
            s
        }
        Status::Failed | Status::TimedOut => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            let kind = b
                .failure
                .map(|k| kebab(&k))
                .unwrap_or_else(|| "exit".into());
            s.set_type(kind.clone());
            // A failing hook is the failure: its message and output come
            // first, the block's output after.
            if let Some(h) = b.failed_hook() {
                s.set_message(hook_message(h));
                s.set_description(format!(
                    "{}\n--- {}\n{}",
                    tail_text(&h.output_tail),
                    crate::t!("run-junit-block-output"),
                    tail_text(&b.output_tail)
                ));
                return s;
            }
            if let Some(m) = &b.output_mismatch {
                s.set_message(crate::t!(
                    "run-failure-sample",
                    at = format!("{file}:{}", m.sample_line)
                ));
                s.set_description(diff_text(&m.diff).join("\n"));
                return s;
            }
            let mut message = match b.exit_code {
                Some(code) => {
                    crate::t!("run-junit-block-failed", kind = kind.as_str(), code = code)
                }
                None => kind.clone(),
            };
            if let Some(c) = &b.command {
                message.push_str(&format!(": {}", c.text.lines().next().unwrap_or("")));
            }
            s.set_message(message);
            s.set_description(tail_text(&b.output_tail));
            s
        }
    }
}

/// What failed, for a hook: its exit code, its timeout, or (declarative
/// hooks, which have no exit code) an expectation.
fn hook_message(h: &HookReport) -> String {
    let (name, phase) = (h.name.as_str(), h.phase.as_str());
    match (h.status, h.exit_code) {
        (Status::TimedOut, _) => crate::t!("run-junit-hook-timed-out", name = name, phase = phase),
        (_, Some(c)) => crate::t!(
            "run-junit-hook-failed",
            name = name,
            phase = phase,
            code = c
        ),
        (_, None) => crate::t!("run-failure-hook-expectations", name = name, phase = phase),
    }
}

fn hook_status(h: &HookReport) -> TestCaseStatus {
    match h.status {
        Status::Passed | Status::Warning => TestCaseStatus::success(),
        Status::Skipped => TestCaseStatus::skipped(),
        Status::Failed | Status::TimedOut => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_type(if h.status == Status::TimedOut {
                "timeout"
            } else {
                "exit"
            });
            s.set_message(hook_message(h));
            s.set_description(tail_text(&h.output_tail));
            s
        }
    }
}

/// The serde name of a unit enum value.
fn kebab<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Joins JUnit reports of shards: all test suites, sorted by their
/// `labrun.order` property (suites without one keep their place at the end),
/// totals recomputed.
pub fn merge_junit(parts: Vec<Report>) -> Report {
    let mut suites: Vec<(String, usize, TestSuite)> = Vec::new();
    let mut time = std::time::Duration::ZERO;
    for part in parts {
        if let Some(t) = part.time {
            time = time.saturating_add(t);
        }
        for suite in part.test_suites {
            let order = suite
                .properties
                .iter()
                .find(|p| p.name.as_str() == "labrun.order")
                .map(|p| p.value.as_str().to_owned())
                .unwrap_or_else(|| "~".to_owned());
            let n = suites.len();
            suites.push((order, n, suite));
        }
    }
    suites.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut report = Report::new("labrun");
    report.add_test_suites(suites.into_iter().map(|(_, _, s)| s));
    report.set_time(time);
    report
}

/// The files a run writes what it found to: `--report-json`,
/// `--report-junit`, `--record-durations`.
#[derive(Clone, Debug, Default)]
pub struct Outputs {
    pub json: Option<PathBuf>,
    pub junit: Option<PathBuf>,
    pub durations: Option<PathBuf>,
}

impl Outputs {
    /// Writes each file asked for; `labs` are the labs of `report`, in its
    /// order.
    pub fn write(&self, report: &RunReport, labs: &[crate::model::Lab]) -> Result<(), Error> {
        if let Some(p) = &self.json {
            report.write_json(p)?;
        }
        if let Some(p) = &self.junit {
            write_junit(&report.junit(), p)?;
        }
        if let Some(p) = &self.durations {
            crate::durations::Durations::merge_into(p, report.page_durations(labs))?;
        }
        Ok(())
    }
}

/// Writes a JUnit report to `path`.
pub fn write_junit(report: &Report, path: &Path) -> Result<(), Error> {
    let text = report
        .to_string()
        .map_err(|e| Error::io(path, std::io::Error::other(e.to_string())))?;
    write_file(path, &text)
}

/// Writes a report file: its directory made when missing, the file
/// replaced atomically.
pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    Ok(crate::files::write_atomic(path, text.as_bytes())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(line: u32, status: Status) -> BlockReport {
        let mut b = BlockReport::skipped(line, line + 2, SkipReason::TestFalse, 120, false);
        b.status = status;
        if status != Status::Skipped {
            b.skip_reason = None;
        }
        if status == Status::Failed {
            b.failure = Some(FailureKind::Exit);
            b.exit_code = Some(3);
            b.command = Some(CommandRef {
                line: line + 1,
                text: "false".into(),
            });
            b.output_tail = vec!["boom".into()];
        }
        b
    }

    fn lab(order: usize, name: &str, statuses: &[Status]) -> LabReport {
        LabReport {
            order,
            lab: name.into(),
            locale: "en".into(),
            title: name.into(),
            status: Status::combine(statuses.iter().copied()),
            duration_ms: 10,
            work_dir: "/w".into(),
            suite_hooks: Vec::new(),
            cleanup: None,
            leaks: None,
            preflight: None,
            resumed: None,
            pages: vec![PageReport {
                path: format!("{name}/index.md"),
                file: format!("content/en/{name}/index.md"),
                title: name.into(),
                status: Status::combine(statuses.iter().copied()),
                skip_reason: None,
                duration_ms: 10,
                log: None,
                blocks: statuses
                    .iter()
                    .enumerate()
                    .map(|(i, s)| block(10 * (i as u32 + 1), *s))
                    .collect(),
            }],
        }
    }

    #[test]
    fn statuses_combine() {
        use Status::*;
        assert_eq!(Status::combine([Passed, Skipped]), Passed);
        assert_eq!(Status::combine([Passed, Warning]), Warning);
        assert_eq!(Status::combine([Warning, TimedOut]), Failed);
        assert_eq!(Status::combine([Skipped]), Skipped);
        assert_eq!(Status::combine([]), Skipped);
    }

    #[test]
    fn merged_shards_equal_one_run() {
        use Status::*;
        let a = lab(0, "a", &[Passed, Failed]);
        let b = lab(1, "b", &[Passed, Skipped]);
        let c = lab(2, "c", &[Warning]);
        let whole = RunReport::new(vec![a.clone(), b.clone(), c.clone()], false, None, None);
        let s1 = RunReport::new(
            vec![b.clone()],
            false,
            Some("1/2".into()),
            Some("/l1".into()),
        );
        let s2 = RunReport::new(vec![a, c], false, Some("2/2".into()), Some("/l2".into()));
        assert_eq!(RunReport::merge(vec![s1.clone(), s2.clone()]), whole);
        assert_eq!(whole.totals.failed, 1);
        assert_eq!(whole.status, Failed);
        let merged = merge_junit(vec![s1.junit(), s2.junit()]);
        assert_eq!(
            merged.to_string().unwrap(),
            whole.junit().to_string().unwrap()
        );
    }

    #[test]
    fn junit_has_a_suite_per_page_and_a_case_per_block() {
        let r = RunReport::new(
            vec![lab(0, "a", &[Status::Passed, Status::Failed])],
            false,
            None,
            None,
        );
        let xml = r.junit().to_string().unwrap();
        assert!(xml.contains("testsuite name=\"en/a/index.md\""), "{xml}");
        assert!(
            xml.contains("testcase name=\"content/en/a/index.md:20\""),
            "{xml}"
        );
        assert!(xml.contains("(exit code 3): false"), "{xml}");
        let back = Report::deserialize_from_str(&xml).unwrap();
        assert_eq!(back.test_suites[0].test_cases.len(), 2);
    }
}
