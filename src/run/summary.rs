//! The end of a run as a person reads it: the verdict and totals, each
//! failure by `file:line`, and where the logs, reports and kept work
//! directories are.

use std::path::Path;

use crate::t;
use crate::ui::{self, Tone};

use super::progress::{self, Console};
use super::report::{Outputs, RunReport};

/// The verdict, the totals, the failures, and the files written.
pub fn print(console: &Console, report: &RunReport, outputs: &Outputs) {
    let color = ui::color_enabled(false);
    let t = &report.totals;
    let status = if report.interrupted {
        ui::paint(color, Tone::Error, &t!("run-status-interrupted"))
    } else {
        ui::paint(
            color,
            if report.failed() {
                Tone::Error
            } else {
                Tone::Good
            },
            &progress::status_word(report.status),
        )
    };
    console.println("");
    console.println(&format!(
        "{status}: {}",
        t!(
            "run-summary",
            labs = t.labs,
            blocks = t.blocks,
            passed = t.passed,
            failed = t.failed,
            timed_out = t.timed_out,
            skipped = t.skipped,
            warnings = t.warnings,
            duration = progress::human_ms(t.duration_ms)
        )
    ));
    let failed = |what: String| {
        console.println(&format!("  {} {what}", ui::paint(color, Tone::Error, "✗")));
    };
    for lab in &report.labs {
        for page in &lab.pages {
            for b in page.blocks.iter().filter(|b| b.status.is_failure()) {
                failed(format!("{}:{}", page.file, b.line));
            }
        }
        for h in lab.suite_hooks.iter().filter(|h| h.status.is_failure()) {
            failed(format!("{} {}", h.file, h.phase));
        }
    }
    if let Some(d) = &report.log_dir {
        console.println(&format!("{} {d}", t!("run-summary-logs")));
    }
    let written = [
        (&outputs.json, "run-summary-json"),
        (&outputs.junit, "run-summary-junit"),
        (&outputs.durations, "run-summary-durations"),
    ];
    for (path, label) in written {
        if let Some(p) = path {
            console.println(&format!("{} {}", t!(label), p.display()));
        }
    }
}

/// The work directories a run that did not pass keeps for a look.
pub fn work_kept(console: &Console, dir: &Path) {
    console.println(&format!("{} {}", t!("run-summary-work"), dir.display()));
}
