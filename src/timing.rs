//! One duration model for every figure labrun gives about how long a lab
//! takes (docs/run.md, "How long a lab takes"). Three figures, each for
//! its own question, each labelled as what it is wherever it is shown:
//!
//! - **bound** (`plan`'s "a run takes at most", `run --dry-run`): the
//!   longest a run of the lab may take before labrun ends it: every block
//!   that runs, its `timeout` plus its `wait`, plus twice its hook's
//!   `hookTimeout` (before and after). A limit, never an estimate.
//! - **expected run time** (`run --dry-run`, the ETA of a run, `--shard`):
//!   how long a run will take: per page, the time recorded by `run
//!   --record-durations`; for a page without one, [`GUESS_MS_PER_BLOCK`]
//!   per block plus its `wait`.
//! - **required time** (`::required-time`, `labrun time`): how long a
//!   learner needs: reading time plus execution time, times
//!   `render.time-factor`, rounded up to 5 minutes. The execution time is
//!   the recorded run time when any page has one, else the page's
//!   `estimatedLabExecutionTimeMinutes`, else the bound (see
//!   [`crate::render::time`]).
//!
//! So for a lab without recorded durations the expected run time is short
//! (blocks that do little take about a second), the bound long (timeouts
//! are generous), and the required time in between: a person reads, types
//! and waits.

use serde::Serialize;

use crate::durations::Durations;
use crate::model::{Block, Page};

/// The expected run time of a block no run has recorded: about a second
/// for the command itself, then its `wait`.
pub const GUESS_MS_PER_BLOCK: u64 = 1000;

/// The bound of one block, in seconds: its timeout and wait, and its
/// hook's timeout for each of the two phases.
pub fn block_bound_seconds(timeout: u64, wait: u64, hook_timeout: Option<u64>) -> u64 {
    timeout
        .saturating_add(wait)
        .saturating_add(hook_timeout.map_or(0, |h| h.saturating_mul(2)))
}

/// Where a page's expected run time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// `run --record-durations` measured it.
    Recorded,
    /// Not recorded: [`GUESS_MS_PER_BLOCK`] per block plus waits.
    Guessed,
    /// The page does not run (`.notest`, an orphan).
    NotRun,
}

/// The expected run time of a page, in milliseconds, and where it comes
/// from.
pub fn page_expected(page: &Page, recorded: &Durations) -> (u64, Source) {
    if let Some(ms) = recorded.page_ms(&page.rel) {
        return (ms, Source::Recorded);
    }
    if !page.runs() {
        return (0, Source::NotRun);
    }
    let ms = page
        .runnable_blocks()
        .map(block_guess_ms)
        .fold(0, u64::saturating_add);
    (ms, Source::Guessed)
}

fn block_guess_ms(b: &Block) -> u64 {
    GUESS_MS_PER_BLOCK.saturating_add(b.annotations.wait.unwrap_or(0).saturating_mul(1000))
}

/// The expected run time of a lab's pages, in milliseconds.
pub fn lab_expected(pages: &[Page], recorded: &Durations) -> u64 {
    pages
        .iter()
        .map(|p| page_expected(p, recorded).0)
        .fold(0, u64::saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use std::path::Path;

    #[test]
    fn recorded_else_a_second_per_block_plus_waits() {
        let page = parse_page(
            Path::new("/p/content/en/lab/a.md"),
            "lab/a.md",
            "en",
            b"# A\n\n```bash wait=30\n$ true\n```\n\n```bash test=false\n$ false\n```\n\n```bash timeout=5\n$ true\n```\n",
        );
        let none = Durations::default();
        assert_eq!(page_expected(&page, &none), (32_000, Source::Guessed));
        let mut recorded = Durations::default();
        recorded.pages.insert("/lab/a.md".into(), 4_200);
        assert_eq!(page_expected(&page, &recorded), (4_200, Source::Recorded));
        let mut notest = page.clone();
        notest.notest = true;
        assert_eq!(page_expected(&notest, &none), (0, Source::NotRun));
        assert_eq!(lab_expected(&[page, notest], &none), 32_000);
    }

    #[test]
    fn bounds_add_timeouts_waits_and_both_hook_phases() {
        assert_eq!(block_bound_seconds(120, 30, None), 150);
        assert_eq!(block_bound_seconds(120, 0, Some(300)), 720);
        assert_eq!(block_bound_seconds(u64::MAX, 1, Some(u64::MAX)), u64::MAX);
    }
}
