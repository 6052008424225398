//! The loop of a run: labs, their pages in site order, each page's blocks
//! with their hooks, suite hooks around directories, and what a failure,
//! `--bail`, `--from`, `--only`, `--step` and Ctrl-C do to it.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::content::Project;
use crate::error::Error;
use crate::model::{Block, Lab, Page};
use crate::msg;

use super::Stop;
use super::cluster::Cluster;
use super::from::FromBlock;
use super::report::{
    BlockReport, CommandRef, FailureKind, HookReport, LabReport, PageReport, Resumed, SkipReason,
    Status,
};
use super::resume::{SavedState, Start};
use super::select::Only;
use super::session::{End, Event, Finished, Session, SessionOptions};

/// Lines of output kept in reports and failure messages.
pub const TAIL_LINES: usize = 20;
/// Longest line kept in a tail.
const TAIL_LINE_CHARS: usize = 400;
/// `TEST_OUTPUT` holds at most this many bytes (the end of the output): one
/// environment string may not exceed 128 KiB on Linux.
pub const TEST_OUTPUT_MAX: usize = 100_000;

/// How a run goes, from the command line and `labrun.yaml`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub bash: PathBuf,
    /// Per-run log directory: `<locale>/<page>.log` for each page.
    pub log_dir: PathBuf,
    /// Each lab starts in a fresh directory below this one.
    pub work_root: PathBuf,
    /// Seconds, for blocks without `timeout=`.
    pub block_timeout: u64,
    /// Seconds, for hooks of blocks without `hookTimeout=` and suite hooks.
    pub hook_timeout: u64,
    /// `VAR::NAME` values.
    pub variables: BTreeMap<String, String>,
    pub bail: bool,
    pub from: Option<FromBlock>,
    pub only: Option<Only>,
    pub step: bool,
    pub verbose: bool,
    /// Variables exported into every lab's session (e.g. `KUBECONFIG` for
    /// `--context`/`--kubeconfig`).
    pub env: Vec<(String, String)>,
    /// The cluster, when a lab needs one: declarative hooks are checked
    /// against it, and leaks looked for with `check_leaks`.
    pub cluster: Option<Cluster>,
    pub check_leaks: bool,
    /// `wait=` pauses last this fraction of their seconds (1 normally;
    /// `LABRUN_WAIT_SCALE` for tests against a simulated cluster).
    pub wait_scale: f64,
    /// `--verify-output`: every block's samples are compared, as with
    /// `verifyOutput=true`.
    pub verify_output: bool,
    /// `--resume DIR`: where each lab picks up, from that run's saved states.
    pub resume: Option<super::resume::Resume>,
}

/// An answer at the `--step` prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepChoice {
    Run,
    Skip,
    Quit,
}

/// What the person or the CI log sees of a run ([`super::progress`]).
pub trait Observer {
    fn lab_start(&mut self, lab: &Lab, blocks: usize);
    fn page_start(&mut self, page: &Page);
    fn block_start(&mut self, page: &Page, block: &Block);
    /// A command of the running block starts (its page line).
    fn command(&mut self, page: &Page, line: u32);
    /// Live output (`--verbose`).
    fn output(&mut self, bytes: &[u8]);
    fn block_done(&mut self, page: &Page, block: &BlockReport);
    fn suite_hook_done(&mut self, hook: &HookReport);
    /// `--check-leaks`: the lab's cleanup ran (before the after-snapshot).
    fn cleanup_done(&mut self, hook: &HookReport);
    fn page_done(&mut self, page: &PageReport);
    fn lab_done(&mut self, lab: &LabReport);
    /// `--check-leaks`: what the lab left in the cluster, as a table.
    fn leaks(&mut self, table: &str);
    /// `--resume`: where the lab picks up, with which state.
    fn resumed(&mut self, lab: &Lab, how: &Resumed);
    /// `--step`: show the block's commands as they will run (`VAR::`
    /// values substituted) and ask.
    fn ask_step(
        &mut self,
        page: &Page,
        block: &Block,
        commands: &[String],
        stop: &Stop,
    ) -> StepChoice;
}

/// Runs labs one after the other; carries `--bail`, `--from`, `--step` quit
/// and interrupts across them, and the prepared environment id.
pub struct Runner<'a> {
    project: &'a Project,
    settings: &'a Settings,
    stop: Stop,
    obs: &'a mut dyn Observer,
    /// The last id given to `prepare-environment`.
    environment: Option<String>,
    from_reached: bool,
    bailed: bool,
    quit: bool,
    interrupted: bool,
    /// The current lab's shell is gone: the rest of the lab cannot run.
    session_lost: bool,
}

/// A page's log file, and how far labrun has accounted for it.
struct PageLog {
    path: PathBuf,
    file: File,
    bytes: u64,
    lines: u64,
}

impl PageLog {
    fn open(path: PathBuf) -> std::io::Result<PageLog> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)?;
        let mut log = PageLog {
            path,
            bytes: 0,
            lines: 0,
            file: file.try_clone()?,
        };
        file.flush()?;
        log.catch_up()?;
        Ok(log)
    }

    /// Accounts for bytes others appended (a background job of an earlier
    /// block may still write) and returns them.
    fn catch_up(&mut self) -> std::io::Result<Vec<u8>> {
        let len = self.file.metadata()?.len();
        if len <= self.bytes {
            return Ok(Vec::new());
        }
        let mut buf = Vec::with_capacity((len - self.bytes) as usize);
        self.file.seek(SeekFrom::Start(self.bytes))?;
        (&mut self.file)
            .take(len - self.bytes)
            .read_to_end(&mut buf)?;
        self.bytes += buf.len() as u64;
        self.lines += bytecount(&buf);
        Ok(buf)
    }

    /// Appends labrun's own text (headers); returns the line it starts on.
    fn write(&mut self, text: &str) -> std::io::Result<u64> {
        self.catch_up()?;
        let line = self.lines + 1;
        self.file.write_all(text.as_bytes())?;
        self.bytes += text.len() as u64;
        self.lines += bytecount(text.as_bytes());
        Ok(line)
    }
}

fn bytecount(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

/// The last lines of some output, for reports.
pub fn tail(bytes: &[u8], n: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let lines: Vec<&str> = text.trim_end_matches('\n').lines().collect();
    if lines.len() == 1 && lines[0].is_empty() {
        return Vec::new();
    }
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| {
            let l = l.trim_end_matches('\r');
            if l.chars().count() > TAIL_LINE_CHARS {
                let mut s: String = l.chars().take(TAIL_LINE_CHARS).collect();
                s.push('…');
                s
            } else {
                l.to_owned()
            }
        })
        .collect()
}

/// The directories from the locale root down to `dir`: `""`, `a`, `a/b`.
fn chain(dir: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    if !dir.is_empty() {
        let mut acc = String::new();
        for part in dir.split('/') {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(part);
            out.push(acc.clone());
        }
    }
    out
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

impl<'a> Runner<'a> {
    pub fn new(
        project: &'a Project,
        settings: &'a Settings,
        stop: Stop,
        obs: &'a mut dyn Observer,
    ) -> Runner<'a> {
        Runner {
            project,
            settings,
            stop,
            obs,
            environment: super::prepare::remembered(
                &project.config.prepare_environment,
                project.root(),
            ),
            from_reached: settings.from.is_none(),
            bailed: false,
            quit: false,
            interrupted: false,
            session_lost: false,
        }
    }

    pub fn interrupted(&self) -> bool {
        self.interrupted || self.stop.is_set()
    }

    /// Why nothing more runs, if that is so.
    fn halted(&self) -> Option<SkipReason> {
        if self.interrupted() {
            Some(SkipReason::Interrupted)
        } else if self.quit {
            Some(SkipReason::Quit)
        } else if self.bailed {
            Some(SkipReason::Bail)
        } else if self.session_lost {
            Some(SkipReason::SessionLost)
        } else {
            None
        }
    }

    fn display(&self, path: &Path) -> String {
        self.project.display_path(path)
    }

    /// Why a page does not run, before anything runs; `None` when it does.
    /// Also tells, for the `--from` page, the first block line to run.
    fn static_skip(&mut self, lab: &Lab, page: &Page) -> (Option<SkipReason>, Option<u32>) {
        if page.orphan {
            return (Some(SkipReason::Orphan), None);
        }
        if page.notest {
            return (Some(SkipReason::Notest), None);
        }
        if let Some(only) = &self.settings.only
            && !only.takes(lab, page)
        {
            return (Some(SkipReason::Only), None);
        }
        if !self.from_reached {
            match &self.settings.from {
                Some(f) if f.page == page.rel && f.locale == page.locale => {
                    self.from_reached = true;
                    return (None, f.line);
                }
                _ => return (Some(SkipReason::From), None),
            }
        }
        (None, None)
    }

    /// Runs `labs` (each with its place in the run) one after the other,
    /// until the last, an interrupt or an error.
    pub fn run_labs(&mut self, labs: &[(usize, Lab)]) -> Result<Vec<LabReport>, Error> {
        let mut reports = Vec::new();
        for (order, lab) in labs {
            if self.interrupted() {
                break;
            }
            reports.push(self.run_lab(*order, lab)?);
        }
        Ok(reports)
    }

    /// Runs one lab in a fresh session and directory.
    pub fn run_lab(&mut self, order: usize, lab: &Lab) -> Result<LabReport, Error> {
        let started = Instant::now();
        let slug = if lab.id.is_empty() {
            "_root".to_owned()
        } else {
            lab.id.replace('/', "__")
        };
        let start = self
            .settings
            .resume
            .as_ref()
            .and_then(|r| r.labs.get(&(lab.locale.clone(), lab.id.clone())))
            .cloned()
            .unwrap_or(Start::Fresh);
        let saved = match &start {
            Start::At { state, .. } => state.as_deref(),
            _ => None,
        };
        // A resumed lab goes on in the earlier run's directory, if it is
        // still there: the files its pages made are.
        let reused = saved.map(|s| s.work_dir.clone()).filter(|d| d.is_dir());
        let work_dir = reused
            .clone()
            .unwrap_or_else(|| self.settings.work_root.join(&lab.locale).join(&slug));
        std::fs::create_dir_all(&work_dir).map_err(|e| Error::io(&work_dir, e))?;
        let log_base = self.settings.log_dir.join(&lab.locale);
        let blocks = lab
            .pages
            .iter()
            .filter(|p| p.runs())
            .map(|p| p.runnable_blocks().count())
            .sum();
        self.obs.lab_start(lab, blocks);

        let mut plans: Vec<(Option<SkipReason>, Option<u32>)> =
            lab.pages.iter().map(|p| self.static_skip(lab, p)).collect();
        // Pages the resumed run got past are not run again.
        let resume_at = match &start {
            Start::At { page, .. } => lab.pages.iter().position(|p| &p.rel == page),
            Start::Done => Some(lab.pages.len()),
            Start::Fresh => None,
        };
        if let Some(at) = resume_at {
            for (i, plan) in plans.iter_mut().enumerate() {
                if i < at && plan.0.is_none() {
                    *plan = (Some(SkipReason::Resume), None);
                } else if i == at
                    && plan.0.is_none()
                    && let Start::At { line, .. } = &start
                {
                    plan.1 = plan.1.or(*line);
                }
            }
        }
        let resumed = match &start {
            Start::Fresh => None,
            Start::At { page, .. } => Some(Resumed {
                log_dir: self
                    .settings
                    .resume
                    .as_ref()
                    .map_or(String::new(), |r| r.dir.to_string_lossy().into_owned()),
                page: Some(page.clone()),
                state_after: saved.map(|s| s.page.clone()),
                work_dir_reused: reused.is_some(),
            }),
            Start::Done => Some(Resumed {
                log_dir: self
                    .settings
                    .resume
                    .as_ref()
                    .map_or(String::new(), |r| r.dir.to_string_lossy().into_owned()),
                page: None,
                state_after: None,
                work_dir_reused: false,
            }),
        };
        if let Some(r) = &resumed {
            self.obs.resumed(lab, r);
        }
        self.session_lost = false;
        let mut session: Option<Session> = None;
        let mut initial = None;
        let mut before: Option<crate::verify::Snapshot> = None;
        if plans.iter().any(|(s, _)| s.is_none()) && self.halted().is_none() {
            if self.settings.check_leaks
                && let Some(c) = &self.settings.cluster
            {
                before = crate::verify::leaks::snapshot(&c.kube).ok();
            }
            let mut sess = self.start_session(lab, &work_dir, &log_base, &slug)?;
            initial = Some(sess.state().clone());
            if let Some(saved) = saved {
                let target = super::resume::target(sess.state(), saved, &work_dir);
                if let Err(e) =
                    std::fs::create_dir_all(&target.pwd).and_then(|_| sess.restore(&target))
                {
                    let file = super::resume::state_file(
                        &self.settings.resume.as_ref().expect("resuming").dir,
                        &lab.locale,
                        &saved.page,
                    );
                    return Err(Error::io(&file, e));
                }
            }
            session = Some(sess);
        }

        let mut cleanup: Option<HookReport> = None;
        let mut suite_open: Vec<(String, PathBuf, bool)> = Vec::new(); // dir, hook, before ok
        let mut suite_reports = Vec::new();
        let suite_log = log_base.join(format!("{slug}.suite.log"));
        let mut hook_cache: HashMap<String, Option<PathBuf>> = HashMap::new();
        let mut pages = Vec::new();
        for (page, (skip, from_line)) in lab.pages.iter().zip(plans) {
            let skip = skip.or_else(|| self.halted());
            if let Some(reason) = skip {
                pages.push(self.skipped_page(page, reason));
                continue;
            }
            let Some(sess) = session.as_mut() else {
                pages.push(self.skipped_page(page, SkipReason::SessionLost));
                continue;
            };
            // Suite hooks: leave directories this page is not in, enter its own.
            let want = chain(page.dir());
            while let Some((dir, _, _)) = suite_open.last() {
                if want.contains(dir) {
                    break;
                }
                let (dir, hook, _) = suite_open.pop().expect("checked");
                let r = self.suite_hook(sess, &hook, &dir, "after", &suite_log, &lab.locale);
                suite_reports.push(r);
            }
            for dir in &want {
                if suite_open.iter().any(|(d, _, _)| d == dir) {
                    continue;
                }
                let hook = hook_cache
                    .entry(dir.clone())
                    .or_insert_with(|| self.project.suite_hook(&lab.locale, dir))
                    .clone();
                if let Some(hook) = hook {
                    let r = self.suite_hook(sess, &hook, dir, "before", &suite_log, &lab.locale);
                    let ok = !r.status.is_failure();
                    suite_reports.push(r);
                    suite_open.push((dir.clone(), hook, ok));
                }
            }
            if let Some(reason) = self.halted() {
                pages.push(self.skipped_page(page, reason));
                continue;
            }
            if suite_open.iter().any(|(_, _, ok)| !ok) {
                pages.push(self.skipped_page(page, SkipReason::SuiteHookFailed));
                continue;
            }
            let report = self.run_page(sess, page, from_line, &log_base)?;
            if !self.session_lost
                && let Some(initial) = &initial
            {
                super::resume::save(
                    &self.settings.log_dir,
                    &SavedState::new(
                        lab,
                        &page.rel,
                        report.status,
                        &work_dir,
                        initial,
                        sess.state(),
                    ),
                )?;
            }
            if self.session_lost {
                session = None;
            }
            pages.push(report);
        }
        if let Some(sess) = session.as_mut() {
            if !self.interrupted() {
                while let Some((dir, hook, _)) = suite_open.pop() {
                    let r = self.suite_hook(sess, &hook, &dir, "after", &suite_log, &lab.locale);
                    suite_reports.push(r);
                }
            }
            if let Some(id) = sess.state().scalar("LABRUN_ENVIRONMENT") {
                self.environment = Some(id);
            }
            // --check-leaks: the lab's cleanup runs before the after-snapshot,
            // so that only what the cleanup misses counts as left behind.
            if before.is_some() && !self.interrupted() {
                cleanup = self.cleanup(sess, &log_base, &slug)?;
            }
            sess.close();
        }
        super::procs::reap_orphans();
        let leaks = match (&before, &self.settings.cluster) {
            (Some(b), Some(c)) if !self.interrupted() => crate::verify::leaks::snapshot(&c.kube)
                .ok()
                .map(|after| crate::verify::leaks::diff(b, &after)),
            _ => None,
        };
        let status = Status::combine(pages.iter().map(|p: &PageReport| p.status).chain(
            suite_reports.iter().chain(&cleanup).map(|h: &HookReport| {
                if h.status.is_failure() {
                    Status::Failed
                } else {
                    Status::Skipped
                }
            }),
        ));
        if status.is_failure() && self.settings.bail {
            self.bailed = true;
        }
        let report = LabReport {
            order,
            lab: lab.id.clone(),
            locale: lab.locale.clone(),
            title: lab.title.clone(),
            status,
            duration_ms: ms(started.elapsed()),
            work_dir: work_dir.to_string_lossy().into_owned(),
            suite_hooks: suite_reports,
            cleanup,
            pages,
            leaks: leaks
                .as_ref()
                .map(|l| serde_json::to_value(l).expect("a leak report serializes")),
            preflight: None,
            resumed,
        };
        if let Some(l) = &leaks {
            self.obs.leaks(&l.table());
        }
        self.obs.lab_done(&report);
        Ok(report)
    }

    /// Runs the cleanup of the environment the lab prepared (the script
    /// `prepare-environment` of the next lab would run) and forgets it;
    /// `None` when there is nothing to clean up.
    fn cleanup(
        &mut self,
        sess: &mut Session,
        log_base: &Path,
        slug: &str,
    ) -> Result<Option<HookReport>, Error> {
        let Some(id) = sess.state().scalar("LABRUN_ENVIRONMENT") else {
            return Ok(None);
        };
        let cfg = &self.project.config.prepare_environment;
        let root = self.project.root();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
        let Some(file) = super::prepare::cleanup_script(cfg, &root, &id) else {
            return Ok(None);
        };
        let log_path = log_base.join(format!("{slug}.cleanup.log"));
        let mut log = PageLog::open(log_path.clone()).map_err(|e| Error::io(&log_path, e))?;
        let io = |e: std::io::Error| Error::io(&log_path, e);
        let log_line = log
            .write(&format!("==> {} ({id})\n", self.display(&file)))
            .map_err(io)?;
        let f = sess
            .run_block(
                "cleanup",
                &super::transcript::plain_script(super::prepare::CLEANUP),
                &log_path,
                Duration::from_secs(self.settings.block_timeout),
                &mut |_| {},
            )
            .map_err(io)?;
        let report = self.finish_hook("cleanup", "after", &file, &f, &mut log, log_line)?;
        if report.status == Status::Passed {
            self.environment = None;
        }
        self.obs.cleanup_done(&report);
        Ok(Some(report))
    }

    fn start_session(
        &mut self,
        lab: &Lab,
        work_dir: &Path,
        log_base: &Path,
        slug: &str,
    ) -> Result<Session, Error> {
        let root = self.project.root();
        let root = root.canonicalize().unwrap_or_else(|_| root.to_owned());
        let mut env = vec![
            (
                "LABRUN_ROOT".to_owned(),
                root.to_string_lossy().into_owned(),
            ),
            ("LABRUN_LOCALE".to_owned(), lab.locale.clone()),
            ("LABRUN_LAB".to_owned(), lab.id.clone()),
        ];
        if let Some(id) = &self.environment {
            env.push(("LABRUN_ENVIRONMENT".to_owned(), id.clone()));
        }
        env.extend(self.settings.env.iter().cloned());
        std::fs::create_dir_all(log_base).map_err(|e| Error::io(log_base, e))?;
        let opts = SessionOptions {
            bash: self.settings.bash.clone(),
            work_dir: work_dir.to_owned(),
            env,
            log: log_base.join(format!("{slug}.session.log")),
            prelude: super::prepare::function(
                &self.project.config.prepare_environment,
                &root,
                &self.settings.bash,
            ),
        };
        Session::start(&opts, self.stop.clone()).map_err(|e| {
            Error::Usage(msg!(
                "run-session-start-failed",
                bash = self.settings.bash.display().to_string(),
                detail = e.to_string()
            ))
        })
    }

    fn skipped_page(&mut self, page: &Page, reason: SkipReason) -> PageReport {
        let t = &self.settings;
        let report = PageReport {
            path: page.rel.clone(),
            file: self.display(&page.file),
            title: page.title.clone(),
            status: Status::Skipped,
            skip_reason: Some(reason),
            duration_ms: 0,
            log: None,
            blocks: page
                .blocks
                .iter()
                .filter(|b| b.is_runnable())
                .map(|b| {
                    let reason = if b.annotations.test {
                        reason
                    } else {
                        SkipReason::TestFalse
                    };
                    BlockReport::skipped(
                        b.line,
                        b.end_line,
                        reason,
                        b.annotations.timeout.unwrap_or(t.block_timeout),
                        b.annotations.expect_error,
                    )
                })
                .collect(),
        };
        self.obs.page_done(&report);
        report
    }

    fn run_page(
        &mut self,
        sess: &mut Session,
        page: &Page,
        from_line: Option<u32>,
        log_base: &Path,
    ) -> Result<PageReport, Error> {
        let started = Instant::now();
        let log_path = log_base.join(format!("{}.log", page.rel));
        // Opened when the first block runs: a page without one leaves no file.
        let mut log: Option<PageLog> = None;
        self.obs.page_start(page);
        let mut failed = false;
        let mut blocks = Vec::new();
        for block in page.blocks.iter().filter(|b| b.is_runnable()) {
            let a = &block.annotations;
            let timeout = a.timeout.unwrap_or(self.settings.block_timeout);
            let skip = |reason| {
                BlockReport::skipped(block.line, block.end_line, reason, timeout, a.expect_error)
            };
            let report = if !a.test {
                skip(SkipReason::TestFalse)
            } else if let Some(reason) = self.halted() {
                skip(reason)
            } else if failed {
                skip(SkipReason::AfterFailure)
            } else if from_line.is_some_and(|l| block.line < l) {
                skip(SkipReason::From)
            } else {
                let script = super::transcript::block_script(block, &self.settings.variables);
                let choice = if self.settings.step {
                    let commands: Vec<String> =
                        script.commands.iter().map(|c| c.text.clone()).collect();
                    self.obs.ask_step(page, block, &commands, &self.stop)
                } else {
                    StepChoice::Run
                };
                match choice {
                    StepChoice::Skip => skip(SkipReason::Step),
                    StepChoice::Quit => {
                        if self.stop.is_set() {
                            self.interrupted = true;
                            skip(SkipReason::Interrupted)
                        } else {
                            self.quit = true;
                            skip(SkipReason::Quit)
                        }
                    }
                    StepChoice::Run => {
                        if log.is_none() {
                            log = Some(
                                PageLog::open(log_path.clone())
                                    .map_err(|e| Error::io(&log_path, e))?,
                            );
                        }
                        let log = log.as_mut().expect("opened above");
                        let r = self.run_block(sess, page, block, &script, log)?;
                        if r.status.is_failure() {
                            failed = true;
                            if self.settings.bail {
                                self.bailed = true;
                            }
                        }
                        r
                    }
                }
            };
            if report.status == Status::Skipped {
                self.obs.block_done(page, &report);
            }
            blocks.push(report);
        }
        let status = Status::combine(blocks.iter().map(|b| b.status));
        let report = PageReport {
            path: page.rel.clone(),
            file: self.display(&page.file),
            title: page.title.clone(),
            status,
            skip_reason: None,
            duration_ms: ms(started.elapsed()),
            log: log.map(|l| l.path.to_string_lossy().into_owned()),
            blocks,
        };
        self.obs.page_done(&report);
        Ok(report)
    }

    fn run_block(
        &mut self,
        sess: &mut Session,
        page: &Page,
        block: &Block,
        script: &super::transcript::BlockScript,
        log: &mut PageLog,
    ) -> Result<BlockReport, Error> {
        let a = &block.annotations;
        let timeout = a.timeout.unwrap_or(self.settings.block_timeout);
        let hook_timeout = a.hook_timeout.unwrap_or(self.settings.hook_timeout);
        let log_file = log.path.clone();
        let io = |e: std::io::Error| Error::io(&log_file, e);
        self.obs.block_start(page, block);
        let started = Instant::now();
        let mut report = BlockReport::skipped(
            block.line,
            block.end_line,
            SkipReason::TestFalse,
            timeout,
            a.expect_error,
        );
        report.skip_reason = None;
        report.log = Some(log.path.to_string_lossy().into_owned());
        let hook = a
            .hook
            .as_ref()
            .map(|name| (name.clone(), self.project.hook_files(page, name)));
        let mut context = vec![
            (
                "LABRUN_PAGE".to_owned(),
                page.file.to_string_lossy().into_owned(),
            ),
            ("LABRUN_LINE".to_owned(), block.line.to_string()),
            ("LABRUN_LOCALE".to_owned(), page.locale.clone()),
        ];
        if let Some((name, files)) = &hook {
            context.push(("LABRUN_HOOK".to_owned(), name.clone()));
            let ok = self.hook_phase(
                sess,
                (page, block, name, files),
                crate::verify::Phase::Before,
                &context,
                log,
                hook_timeout,
                None,
                &mut report.hooks,
            )?;
            if !ok {
                return Ok(self.finish_hook_failure(
                    page,
                    report,
                    FailureKind::HookBefore,
                    started,
                ));
            }
        }

        // The block's commands follow in the log as they run, each before
        // its output ([`super::transcript`]).
        let shown = self.display(&page.file);
        let header = format!("==> {shown}:{}\n", block.line);
        report.log_line = Some(log.write(&header).map_err(io)?);
        let start_bytes = log.bytes;
        let mut streamed = start_bytes;
        let verbose = self.settings.verbose;
        let log_path = log.path.clone();
        let obs = &mut *self.obs;
        let finished = {
            let mut on = |e: Event| match e {
                Event::Command(line) => obs.command(page, line),
                Event::Tick if verbose => {
                    if let Ok(bytes) = read_from(&log_path, streamed) {
                        streamed += bytes.len() as u64;
                        obs.output(&bytes);
                    }
                }
                Event::Tick => {}
            };
            sess.run_block(
                &shown,
                &script.text,
                &log_path,
                Duration::from_secs(timeout),
                &mut on,
            )
            .map_err(io)?
        };
        let region = log.catch_up().map_err(io)?;
        if verbose && log.bytes > streamed {
            let from = (streamed - start_bytes) as usize;
            self.obs.output(&region[from.min(region.len())..]);
        }
        let (before, outputs) =
            super::transcript::split(&region, start_bytes, script, &finished.commands);
        let output = super::transcript::joined(&before, &outputs);
        report.output_tail = tail(&output, TAIL_LINES);
        self.classify(&mut report, block, &finished);
        // The samples are compared before the after-hook, which, as after
        // any failure, does not run when they differ.
        if !report.status.is_failure()
            && (self.settings.verify_output || a.verify_output)
            && let Some(m) = super::verify_output::check(block, &outputs, &output)
        {
            report.status = Status::Failed;
            report.failure = Some(FailureKind::Output);
            report.command = block
                .commands
                .iter()
                .zip(&script.commands)
                .find(|(c, _)| c.line == m.command_line)
                .map(|(c, s)| CommandRef {
                    line: c.line,
                    text: s.text.clone(),
                });
            report.output_mismatch = Some(m);
        }
        if !report.status.is_failure()
            && let Some((name, files)) = &hook
        {
            let start = output.len().saturating_sub(TEST_OUTPUT_MAX);
            let mut text = String::from_utf8_lossy(&output[start..]).replace('\0', "");
            if text.ends_with('\n') {
                text.pop();
            }
            let ok = self.hook_phase(
                sess,
                (page, block, name, files),
                crate::verify::Phase::After,
                &context,
                log,
                hook_timeout,
                Some(text),
                &mut report.hooks,
            )?;
            if !ok {
                return Ok(self.finish_hook_failure(page, report, FailureKind::HookAfter, started));
            }
        }
        if !report.status.is_failure()
            && let Some(w) = a.wait.filter(|w| *w > 0)
            && !self.stop.sleep(scaled_wait(w, self.settings.wait_scale))
        {
            self.interrupted = true;
        }
        report.duration_ms = ms(started.elapsed());
        self.obs.block_done(page, &report);
        Ok(report)
    }

    fn finish_hook_failure(
        &mut self,
        page: &Page,
        mut report: BlockReport,
        kind: FailureKind,
        started: Instant,
    ) -> BlockReport {
        let hook = report.hooks.last().expect("a hook ran");
        // The hook is the failure; a command an `expectError` block ended
        // on is not.
        report.command = None;
        report.status = if hook.status == Status::TimedOut {
            Status::TimedOut
        } else {
            Status::Failed
        };
        report.failure = Some(kind);
        if hook.exit_code.is_none() && self.stop.is_set() {
            self.interrupted = true;
            report.failure = Some(FailureKind::Interrupted);
        }
        report.duration_ms = ms(started.elapsed());
        self.obs.block_done(page, &report);
        report
    }

    /// Sets status, failure, exit code and command from how the block ended.
    fn classify(&mut self, r: &mut BlockReport, block: &Block, f: &Finished) {
        let expect = block.annotations.expect_error;
        let command_at = |line: u32| {
            block
                .commands
                .iter()
                .find(|c| c.line == line)
                .map(|c| CommandRef {
                    line: c.line,
                    text: crate::config::substitute_vars(&c.text, &self.settings.variables),
                })
        };
        match f.end {
            End::Exited(0) => {
                r.exit_code = Some(0);
                r.status = if expect {
                    Status::Warning
                } else {
                    Status::Passed
                };
            }
            End::Exited(code) => {
                r.exit_code = Some(code);
                let line = f.dump.as_ref().map(|d| d.line).filter(|l| *l > 0);
                r.command = line.or(f.last_command).and_then(command_at);
                if expect {
                    r.status = Status::Passed;
                } else {
                    r.status = Status::Failed;
                    r.failure = Some(FailureKind::Exit);
                }
            }
            End::TimedOut => {
                r.status = Status::TimedOut;
                r.failure = Some(FailureKind::Timeout);
                r.command = f.last_command.and_then(command_at);
            }
            End::Interrupted => {
                self.interrupted = true;
                r.status = Status::Failed;
                r.failure = Some(FailureKind::Interrupted);
                r.command = f.last_command.and_then(command_at);
            }
            End::SessionLost => {
                self.session_lost = true;
                r.status = Status::Failed;
                r.failure = Some(FailureKind::SessionLost);
                r.command = f.last_command.and_then(command_at);
            }
        }
    }

    /// One phase of a block's hook: the declarative expectations
    /// (`tests/hook-NAME.yaml`) first, then the script (`tests/hook-NAME.sh`).
    /// Returns whether everything passed; the reports go to `out`.
    #[allow(clippy::too_many_arguments)]
    fn hook_phase(
        &mut self,
        sess: &mut Session,
        (page, block, name, files): (&Page, &Block, &str, &crate::verify::HookFiles),
        phase: crate::verify::Phase,
        context: &[(String, String)],
        log: &mut PageLog,
        timeout: u64,
        test_output: Option<String>,
        out: &mut Vec<HookReport>,
    ) -> Result<bool, Error> {
        if let Some(file) = &files.expectations {
            let h = self.expectations(page, block, name, file, phase, log)?;
            let ok = h.status == Status::Passed;
            out.push(h);
            if !ok {
                return Ok(false);
            }
        }
        if let Some(file) = &files.script {
            let h = self.hook(
                sess,
                name,
                file,
                phase.key(),
                context,
                log,
                timeout,
                test_output,
            )?;
            let ok = h.status == Status::Passed;
            out.push(h);
            return Ok(ok);
        }
        Ok(true)
    }

    /// Checks a declarative hook's expectations for a phase against the cluster.
    fn expectations(
        &mut self,
        page: &Page,
        block: &Block,
        name: &str,
        file: &Path,
        phase: crate::verify::Phase,
        log: &mut PageLog,
    ) -> Result<HookReport, Error> {
        let log_file = log.path.clone();
        let io = |e: std::io::Error| Error::io(&log_file, e);
        let header = format!("==> {} {}\n", self.display(file), phase.key());
        let log_line = log.write(&header).map_err(io)?;
        let started = Instant::now();
        let (status, text) = match (
            &self.settings.cluster,
            self.settings
                .cluster
                .as_ref()
                .and_then(|c| c.specs.get(file)),
        ) {
            (Some(cluster), Some(spec)) => {
                let hook_timeout = block
                    .annotations
                    .hook_timeout
                    .unwrap_or(self.settings.hook_timeout);
                let options = crate::verify::Options {
                    cancel: Some(self.stop.flag()),
                    limit: Some(Duration::from_secs(hook_timeout)),
                    ..crate::verify::Options::default()
                };
                let origin = crate::verify::origin(self.project, page, block, name, file);
                let r = crate::verify::evaluate_phase(&cluster.kube, spec, phase, origin, &options);
                let text = crate::verify::eval::render(&r, false);
                (
                    if r.passed {
                        Status::Passed
                    } else {
                        Status::Failed
                    },
                    text,
                )
            }
            // Cannot happen: a run loads every hook file and checks the
            // cluster before it starts.
            _ => (Status::Failed, String::new()),
        };
        log.write(&text).map_err(io)?;
        if self.stop.is_set() {
            self.interrupted = true;
        }
        Ok(HookReport {
            name: name.to_owned(),
            phase: phase.key().to_owned(),
            file: self.display(file),
            dir: None,
            status,
            exit_code: None,
            duration_ms: ms(started.elapsed()),
            output_tail: tail(text.as_bytes(), TAIL_LINES),
            log: Some(log.path.to_string_lossy().into_owned()),
            log_line: Some(log_line),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn hook(
        &mut self,
        sess: &mut Session,
        name: &str,
        file: &Path,
        phase: &str,
        context: &[(String, String)],
        log: &mut PageLog,
        timeout: u64,
        test_output: Option<String>,
    ) -> Result<HookReport, Error> {
        let log_file = log.path.clone();
        let io = |e: std::io::Error| Error::io(&log_file, e);
        let mut env = context.to_vec();
        env.push(("LABRUN_PHASE".to_owned(), phase.to_owned()));
        if let Some(t) = test_output {
            env.push(("TEST_OUTPUT".to_owned(), t));
        }
        let header = format!("==> {} {phase}\n", self.display(file));
        let log_line = log.write(&header).map_err(io)?;
        let f = sess
            .run_program(
                &self.hook_argv(file, phase),
                &env,
                &log.path.clone(),
                Duration::from_secs(timeout),
                &mut |_| {},
            )
            .map_err(io)?;
        self.finish_hook(name, phase, file, &f, log, log_line)
    }

    /// The report of a hook (or the cleanup) that ran into `log` from
    /// `log_line`; notes an interrupt or a lost session.
    fn finish_hook(
        &mut self,
        name: &str,
        phase: &str,
        file: &Path,
        f: &Finished,
        log: &mut PageLog,
        log_line: u64,
    ) -> Result<HookReport, Error> {
        let output = log.catch_up().map_err(|e| Error::io(&log.path, e))?;
        if self.settings.verbose {
            self.obs.output(&output);
        }
        match f.end {
            End::Interrupted => self.interrupted = true,
            End::SessionLost => self.session_lost = true,
            _ => {}
        }
        Ok(HookReport {
            name: name.to_owned(),
            phase: phase.to_owned(),
            file: self.display(file),
            dir: None,
            status: match f.end {
                End::Exited(0) => Status::Passed,
                End::TimedOut => Status::TimedOut,
                _ => Status::Failed,
            },
            exit_code: f.status(),
            duration_ms: ms(f.elapsed),
            output_tail: tail(&output, TAIL_LINES),
            log: Some(log.path.to_string_lossy().into_owned()),
            log_line: Some(log_line),
        })
    }

    fn hook_argv(&self, file: &Path, phase: &str) -> Vec<String> {
        use std::os::unix::fs::PermissionsExt;
        let executable = std::fs::metadata(file).is_ok_and(|m| m.permissions().mode() & 0o111 != 0);
        let mut argv = Vec::new();
        if !executable {
            argv.push(self.settings.bash.to_string_lossy().into_owned());
        }
        argv.push(file.to_string_lossy().into_owned());
        argv.push(phase.to_owned());
        argv
    }

    fn suite_hook(
        &mut self,
        sess: &mut Session,
        file: &Path,
        dir: &str,
        phase: &str,
        log_path: &Path,
        locale: &str,
    ) -> HookReport {
        let abs_dir = self.project.config.locale_root(locale).join(dir);
        let context = vec![
            (
                "LABRUN_DIR".to_owned(),
                abs_dir.to_string_lossy().into_owned(),
            ),
            ("LABRUN_LOCALE".to_owned(), locale.to_owned()),
            ("LABRUN_HOOK".to_owned(), "suite".to_owned()),
        ];
        let result = PageLog::open(log_path.to_owned())
            .map_err(|e| Error::io(log_path, e))
            .and_then(|mut log| {
                self.hook(
                    sess,
                    "suite",
                    file,
                    phase,
                    &context,
                    &mut log,
                    self.settings.hook_timeout,
                    None,
                )
            });
        let mut report = result.unwrap_or_else(|e| HookReport {
            name: "suite".to_owned(),
            phase: phase.to_owned(),
            file: self.display(file),
            dir: None,
            status: Status::Failed,
            exit_code: None,
            duration_ms: 0,
            output_tail: vec![e.to_string()],
            log: None,
            log_line: None,
        });
        report.dir = Some(dir.to_owned());
        self.obs.suite_hook_done(&report);
        report
    }
}

/// A `wait=` pause of `seconds`, times the run's wait scale.
pub fn scaled_wait(seconds: u64, scale: f64) -> Duration {
    Duration::from_secs_f64(seconds as f64 * scale)
}

/// Bytes of a file from an offset on (live output).
fn read_from(path: &Path, offset: u64) -> std::io::Result<Vec<u8>> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_substituted_by_name() {
        let vars = BTreeMap::from([
            ("REF".to_owned(), "main".to_owned()),
            ("OWNER".to_owned(), "me".to_owned()),
        ]);
        assert_eq!(
            crate::config::substitute_vars(
                "git clone x/VAR::OWNER/y -b VAR::REF; echo VAR::NOPE VAR::",
                &vars
            ),
            "git clone x/me/y -b main; echo VAR::NOPE VAR::"
        );
    }

    #[test]
    fn tails_keep_the_last_lines() {
        assert_eq!(tail(b"a\nb\nc\n", 2), ["b", "c"]);
        assert!(tail(b"", 2).is_empty());
        assert_eq!(tail(b"x", 5), ["x"]);
    }

    #[test]
    fn waits_scale() {
        assert_eq!(scaled_wait(30, 1.0), Duration::from_secs(30));
        assert_eq!(scaled_wait(30, 0.01), Duration::from_millis(300));
        assert_eq!(scaled_wait(30, 0.0), Duration::ZERO);
    }

    #[test]
    fn directory_chains_start_at_the_root() {
        assert_eq!(chain(""), [""]);
        assert_eq!(chain("a/b"), ["", "a", "a/b"]);
    }
}
