//! What a person (a progress bar with an ETA from recorded durations) or a
//! CI log (plain lines, one per block) sees of a run. Every word comes from
//! `locales/*/run.ftl`.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::durations::Durations;
use crate::model::{Block, Lab, Page};
use crate::t;
use crate::ui::{self, Tone};

use super::Stop;
use super::report::{BlockReport, FailureKind, HookReport, LabReport, PageReport, Status};
use super::runner::{Observer, StepChoice};

/// Expected time of each page (by `/<path>` key), for the ETA.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    /// Page key → (expected ms, runnable blocks).
    pub pages: HashMap<String, (u64, usize)>,
    pub total_ms: u64,
}

impl Expectations {
    /// The expected run time of each page of `labs` that runs
    /// ([`crate::timing`]), and of them all.
    pub fn of<'a>(labs: impl IntoIterator<Item = &'a Lab>, recorded: &Durations) -> Expectations {
        let mut expect = Expectations::default();
        for lab in labs {
            for p in lab.pages.iter().filter(|p| p.runs()) {
                let (ms, _) = crate::timing::page_expected(p, recorded);
                expect.total_ms = expect.total_ms.saturating_add(ms);
                expect
                    .pages
                    .insert(Durations::key(&p.rel), (ms, p.runnable_blocks().count()));
            }
        }
        expect
    }
}

pub struct Console {
    color: bool,
    bar: Option<ProgressBar>,
    /// Columns left for the bar's message: the bar line never reaches the
    /// terminal's last columns, so the `^C` the terminal echoes stays on it
    /// and is cleared with it instead of wrapping and leaving a stale copy
    /// of the bar above the interrupt report.
    msg_width: usize,
    expect: Expectations,
    /// Expected ms of each block of the current page (for the bar).
    block_ms: u64,
    lab: String,
    page: String,
    verbose: bool,
    /// Live output not yet shown: the start of a character cut by a read.
    carry: Vec<u8>,
}

/// Prints a line on stdout; a closed stdout (`| head`) is not an error
/// worth stopping a run for.
pub fn say(text: &str) {
    ui::println(text);
}

/// Milliseconds for people: `850 ms`, `12.3 s`, `4 min 5 s`.
pub fn human_ms(ms: u64) -> String {
    if ms < 1000 {
        t!("run-ms", ms = ms)
    } else if ms < 60_000 {
        t!(
            "run-seconds",
            seconds = format!("{:.1}", ms as f64 / 1000.0)
        )
    } else {
        t!(
            "run-minutes",
            minutes = ms / 60_000,
            seconds = (ms % 60_000) / 1000
        )
    }
}

pub fn status_word(s: Status) -> String {
    match s {
        Status::Passed => t!("run-status-passed"),
        Status::Failed => t!("run-status-failed"),
        Status::Skipped => t!("run-status-skipped"),
        Status::TimedOut => t!("run-status-timed-out"),
        Status::Warning => t!("run-status-warning"),
    }
}

fn tone(s: Status) -> Tone {
    match s {
        Status::Passed => Tone::Good,
        Status::Failed | Status::TimedOut => Tone::Error,
        Status::Skipped => Tone::Dim,
        Status::Warning => Tone::Warning,
    }
}

fn mark(s: Status) -> &'static str {
    match s {
        Status::Passed => "✓",
        Status::Failed | Status::TimedOut => "✗",
        Status::Skipped => "-",
        Status::Warning => "!",
    }
}

impl Console {
    /// A suite hook's or the cleanup's line, with its output when it failed.
    fn hook_line(&mut self, text: &str, h: &HookReport) {
        self.println(&format!(
            "  {} {}",
            self.paint(tone(h.status), mark(h.status)),
            text
        ));
        if h.status.is_failure() {
            for l in &h.output_tail {
                self.println(&format!(
                    "    {} {}",
                    self.paint(Tone::Dim, "|"),
                    ui::clean(l)
                ));
            }
            if let (Some(log), Some(line)) = (&h.log, h.log_line) {
                self.println(&format!("    {} {log}:{line}", t!("run-failure-log")));
            }
        }
    }

    /// A progress bar when stdout is a terminal, plain lines otherwise.
    pub fn new(expect: Expectations, verbose: bool) -> Console {
        let color = ui::color_enabled(false);
        let bar = std::io::stdout().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(expect.total_ms.max(1)),
                ProgressDrawTarget::term_like(Box::new(ShortOfTheEdge)),
            );
            let template = format!(
                "{{spinner}} [{{elapsed_precise}}] {{bar:24}} {{percent:>3}}% {} {{eta:>3}}  {{msg}}",
                t!("run-progress-eta")
            );
            bar.set_style(
                ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        // Spinner, elapsed time, bar, percentage, ETA and their spaces.
        let fixed = 46 + textwrap::core::display_width(&t!("run-progress-eta"));
        Console {
            color,
            bar,
            msg_width: ui::terminal_width(false).saturating_sub(fixed + ECHO_ROOM),
            expect,
            block_ms: 1000,
            lab: String::new(),
            page: String::new(),
            verbose,
            carry: Vec::new(),
        }
    }

    /// Writes lines above the bar (or plainly).
    pub fn println(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| say(text)),
            None => say(text),
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn paint(&self, tone: Tone, text: &str) -> String {
        ui::paint(self.color, tone, text)
    }

    fn set_message(&self, line: Option<u32>) {
        if let Some(bar) = &self.bar {
            let mut m = format!("{} › {}", self.lab, self.page);
            if let Some(l) = line {
                m.push_str(&format!(":{l}"));
            }
            // The bar draws straight to the terminal, past ui's sinks.
            bar.set_message(fit_tail(&ui::clean(&m), self.msg_width));
        }
    }

    /// The lines that explain a failed block.
    pub fn failure_lines(&self, file: &str, b: &BlockReport) -> Vec<String> {
        let mut out = Vec::new();
        let hook = b.failed_hook();
        let head = match b.failure {
            Some(FailureKind::Timeout) => t!("run-failure-timeout", seconds = b.timeout_s),
            Some(FailureKind::HookBefore) | Some(FailureKind::HookAfter) => match hook {
                Some(h) if h.status == Status::TimedOut => t!(
                    "run-failure-hook-timeout",
                    name = h.name.as_str(),
                    phase = h.phase.as_str()
                ),
                Some(h) => match h.exit_code {
                    Some(code) => t!(
                        "run-failure-hook",
                        name = h.name.as_str(),
                        phase = h.phase.as_str(),
                        code = code
                    ),
                    // A declarative hook has no exit code.
                    None => t!(
                        "run-failure-hook-expectations",
                        name = h.name.as_str(),
                        phase = h.phase.as_str()
                    ),
                },
                None => t!("run-failure-exit", code = "?"),
            },
            Some(FailureKind::Output) => t!(
                "run-failure-sample",
                at = format!(
                    "{file}:{}",
                    b.output_mismatch.as_ref().map_or(0, |m| m.sample_line)
                )
            ),
            Some(FailureKind::Interrupted) => t!("run-failure-interrupted"),
            Some(FailureKind::SessionLost) => t!("run-failure-session-lost"),
            _ => t!(
                "run-failure-exit",
                code = b.exit_code.map_or("?".to_owned(), |c| c.to_string())
            ),
        };
        out.push(format!(
            "{} {}:{}: {}",
            self.paint(Tone::Error, mark(b.status)),
            file,
            b.line,
            self.paint(Tone::Error, &head)
        ));
        // When a hook failed, the block itself did what it should: its
        // command is not the failure, the hook and its output are.
        if let (Some(c), None) = (&b.command, hook) {
            let mut lines = c.text.lines();
            out.push(format!(
                "    {} {}",
                t!("run-failure-command", line = c.line),
                ui::clean(lines.next().unwrap_or(""))
            ));
            for l in lines.take(5) {
                out.push(format!("      {}", ui::clean(l)));
            }
        }
        let mut tail_of = |label: String, lines: &[String]| {
            if !lines.is_empty() {
                out.push(format!("    {label}"));
                for l in lines {
                    out.push(format!(
                        "    {} {}",
                        self.paint(Tone::Dim, "|"),
                        ui::clean(l)
                    ));
                }
            }
        };
        let (log, log_line) = match (hook, &b.output_mismatch) {
            (None, Some(m)) => {
                out.push(format!("    {}", t!("run-failure-sample-diff")));
                for l in super::verify_output::diff_text(&m.diff) {
                    let tone = match l.get(6..7) {
                        Some("-") => Tone::Error,
                        Some("+") => Tone::Good,
                        _ => Tone::Dim,
                    };
                    out.push(format!("    {}", self.paint(tone, &l)));
                }
                (&b.log, b.log_line)
            }
            (Some(h), _) => {
                tail_of(
                    t!(
                        "run-failure-hook-output",
                        name = h.name.as_str(),
                        phase = h.phase.as_str()
                    ),
                    &h.output_tail,
                );
                (&h.log, h.log_line)
            }
            (None, None) => {
                tail_of(t!("run-failure-output"), &b.output_tail);
                (&b.log, b.log_line)
            }
        };
        if let (Some(log), Some(line)) = (log, log_line) {
            out.push(format!("    {} {log}:{line}", t!("run-failure-log")));
        }
        out
    }
}

impl Observer for Console {
    fn lab_start(&mut self, lab: &Lab, blocks: usize) {
        self.lab = crate::model::lab_name(&lab.id).to_owned();
        let pages = lab.pages.len();
        self.println(&self.paint(
            Tone::Bold,
            &t!(
                "run-lab-start",
                title = lab.title.as_str(),
                lab = self.lab.as_str(),
                locale = lab.locale.as_str(),
                pages = pages,
                blocks = blocks
            ),
        ));
    }

    fn page_start(&mut self, page: &Page) {
        self.page = page.rel.clone();
        let key = format!("/{}", page.rel);
        let (ms, blocks) = self.expect.pages.get(&key).copied().unwrap_or((0, 0));
        self.block_ms = if blocks > 0 { ms / blocks as u64 } else { 0 };
        if self.bar.is_none() {
            say(&format!(
                "  {} {}",
                self.paint(Tone::Accent, &page.rel),
                self.paint(Tone::Dim, &page.title)
            ));
        }
        self.set_message(None);
    }

    fn block_start(&mut self, _page: &Page, block: &Block) {
        self.set_message(Some(block.line));
    }

    fn command(&mut self, _page: &Page, line: u32) {
        self.set_message(Some(line));
    }

    fn output(&mut self, bytes: &[u8]) {
        if !self.verbose || bytes.is_empty() {
            return;
        }
        // Live output is cleaned like everything else shown; a character
        // split between two reads waits for its other half.
        self.carry.extend_from_slice(bytes);
        let valid = match std::str::from_utf8(&self.carry) {
            Ok(_) => self.carry.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => self.carry.len(),
        };
        let chunk: Vec<u8> = self.carry.drain(..valid).collect();
        let text = String::from_utf8_lossy(&chunk).into_owned();
        let write = || ui::print(&text);
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }

    fn block_done(&mut self, page: &Page, b: &BlockReport) {
        if let Some(bar) = &self.bar {
            bar.inc(self.block_ms);
        }
        let file = ui::shown_path(&page.file);
        if b.status.is_failure() {
            for l in self.failure_lines(&file, b) {
                self.println(&l);
            }
            return;
        }
        if self.bar.is_some() && b.status != Status::Warning {
            return;
        }
        let mut line = format!(
            "    {} :{} {}",
            self.paint(tone(b.status), mark(b.status)),
            b.line,
            self.paint(tone(b.status), &status_word(b.status))
        );
        if b.status == Status::Skipped {
            if let Some(r) = b.skip_reason {
                line.push_str(&format!(" ({})", skip_word(r)));
            }
        } else {
            line.push_str(&format!(" ({})", human_ms(b.duration_ms)));
        }
        if b.status == Status::Warning {
            line.push_str(&format!(" — {}", t!("run-warning-unexpected-success")));
        }
        self.println(&line);
    }

    fn suite_hook_done(&mut self, h: &HookReport) {
        let text = t!(
            "run-suite-hook",
            file = h.file.as_str(),
            phase = h.phase.as_str(),
            status = status_word(h.status)
        );
        self.hook_line(&text, h);
    }

    fn cleanup_done(&mut self, h: &HookReport) {
        let text = t!(
            "run-cleanup",
            file = h.file.as_str(),
            status = status_word(h.status)
        );
        self.hook_line(&text, h);
    }

    fn page_done(&mut self, p: &PageReport) {
        if self.bar.is_some() {
            self.println(&format!(
                "{} {} {}",
                self.paint(tone(p.status), mark(p.status)),
                p.path,
                self.paint(Tone::Dim, &format!("({})", human_ms(p.duration_ms)))
            ));
        } else if let Some(r) = p.skip_reason {
            say(&format!(
                "  {} {} ({})",
                self.paint(Tone::Dim, &p.path),
                self.paint(Tone::Dim, &status_word(Status::Skipped)),
                skip_word(r)
            ));
        }
    }

    fn lab_done(&mut self, lab: &LabReport) {
        self.println(&format!(
            "{} {}",
            self.paint(tone(lab.status), &status_word(lab.status)),
            t!(
                "run-lab-done",
                lab = crate::model::lab_name(&lab.lab),
                locale = lab.locale.as_str(),
                duration = human_ms(lab.duration_ms)
            )
        ));
    }

    fn leaks(&mut self, table: &str) {
        self.println(table.trim_end());
    }

    fn resumed(&mut self, _lab: &Lab, how: &super::report::Resumed) {
        let line = match (&how.page, &how.state_after) {
            (None, _) => t!("run-resume-done", dir = how.log_dir.as_str()),
            (Some(page), Some(after)) => t!(
                "run-resume-at",
                page = page.as_str(),
                after = after.as_str(),
                dir = how.log_dir.as_str()
            ),
            (Some(page), None) => t!("run-resume-at-start", page = page.as_str()),
        };
        self.println(&format!("  {}", self.paint(Tone::Accent, &line)));
        if how.state_after.is_some() && !how.work_dir_reused {
            self.println(&format!(
                "  {}",
                self.paint(Tone::Warning, &t!("run-resume-fresh-work-dir"))
            ));
        }
    }

    fn ask_step(
        &mut self,
        page: &Page,
        block: &Block,
        commands: &[String],
        stop: &Stop,
    ) -> StepChoice {
        let mut text = format!("{}:{}\n", ui::shown_path(&page.file), block.line);
        for c in commands {
            for (i, l) in c.lines().enumerate() {
                text.push_str(if i == 0 { "  $ " } else { "    " });
                text.push_str(&ui::clean(l));
                text.push('\n');
            }
        }
        text.push_str(&t!("run-step-prompt"));
        let ask = || -> StepChoice {
            ui::print(&format!("{text} "));
            loop {
                // Wait for input or Ctrl-C, whichever comes first.
                if let Some(fd) = stop.wake_fd() {
                    use std::os::fd::AsFd;
                    let stdin = std::io::stdin();
                    let mut fds = [
                        nix::poll::PollFd::new(stdin.as_fd(), nix::poll::PollFlags::POLLIN),
                        nix::poll::PollFd::new(fd, nix::poll::PollFlags::POLLIN),
                    ];
                    let _ = nix::poll::poll(&mut fds, nix::poll::PollTimeout::NONE);
                    if stop.is_set() {
                        return StepChoice::Quit;
                    }
                    if !fds[0].any().unwrap_or(false) {
                        stop.drain();
                        continue;
                    }
                }
                let mut line = String::new();
                match std::io::stdin().lock().read_line(&mut line) {
                    Ok(0) | Err(_) => return StepChoice::Quit,
                    Ok(_) => {}
                }
                match line.trim().to_lowercase().as_str() {
                    "" | "r" | "run" => return StepChoice::Run,
                    "s" | "skip" => return StepChoice::Skip,
                    "q" | "quit" => return StepChoice::Quit,
                    _ => ui::print(&format!("{} ", t!("run-step-prompt"))),
                }
            }
        };
        match &self.bar {
            Some(bar) => bar.suspend(ask),
            None => {
                let c = ask();
                say("");
                c
            }
        }
    }
}

/// Columns kept free at the end of the bar line for the terminal's echo.
const ECHO_ROOM: usize = 4;

/// Standard output as indicatif's terminal, [`ECHO_ROOM`] columns narrower
/// than it is. indicatif pads the bar line to the terminal's width; on a
/// full line the `^C` the terminal echoes wraps onto a new line, and
/// clearing the bar then clears that line and leaves the bar above the
/// interrupt report.
#[derive(Debug)]
struct ShortOfTheEdge;

impl ShortOfTheEdge {
    fn size() -> (u16, u16) {
        terminal_size::terminal_size_of(std::io::stdout()).map_or((80, 24), |(w, h)| (w.0, h.0))
    }

    fn write(s: &str) -> std::io::Result<()> {
        std::io::Write::write_all(&mut std::io::stdout().lock(), s.as_bytes())
    }
}

impl indicatif::TermLike for ShortOfTheEdge {
    fn width(&self) -> u16 {
        Self::size().0.saturating_sub(ECHO_ROOM as u16).max(20)
    }

    fn height(&self) -> u16 {
        Self::size().1
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            Ok(())
        } else {
            Self::write(&format!("\x1b[{n}A"))
        }
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            Ok(())
        } else {
            Self::write(&format!("\x1b[{n}B"))
        }
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            Ok(())
        } else {
            Self::write(&format!("\x1b[{n}C"))
        }
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        if n == 0 {
            Ok(())
        } else {
            Self::write(&format!("\x1b[{n}D"))
        }
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        Self::write(&format!("{s}\n"))
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        Self::write(s)
    }

    fn clear_line(&self) -> std::io::Result<()> {
        Self::write("\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        std::io::Write::flush(&mut std::io::stdout().lock())
    }
}

/// `text` within `width` columns, keeping its end (the page and line) and
/// marking the cut with `…`.
fn fit_tail(text: &str, width: usize) -> String {
    use textwrap::core::display_width;
    if display_width(text) <= width {
        return text.to_owned();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    std::iter::once('…').chain(kept.into_iter().rev()).collect()
}

pub fn skip_word(r: super::report::SkipReason) -> String {
    use super::report::SkipReason::*;
    match r {
        TestFalse => t!("run-skip-test-false"),
        Notest => t!("run-skip-notest"),
        Orphan => t!("run-skip-orphan"),
        NoCluster => t!("run-skip-no-cluster"),
        AfterFailure => t!("run-skip-after-failure"),
        Bail => t!("run-skip-bail"),
        From => t!("run-skip-from"),
        Only => t!("run-skip-only"),
        Step => t!("run-skip-step"),
        Quit => t!("run-skip-quit"),
        SuiteHookFailed => t!("run-skip-suite-hook"),
        Interrupted => t!("run-skip-interrupted"),
        SessionLost => t!("run-skip-session-lost"),
        Resume => t!("run-skip-resume"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_messages_keep_their_end_within_the_width() {
        assert_eq!(fit_tail("lab › page.md:12", 40), "lab › page.md:12");
        assert_eq!(
            fit_tail("networking › policies/egress.md:26", 16),
            "…es/egress.md:26"
        );
        assert_eq!(fit_tail("ラボ › ページ.md:3", 10), "…ージ.md:3");
        assert_eq!(fit_tail("abc", 0), "…");
    }
}
