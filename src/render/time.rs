//! Reading time and `::required-time`.
//!
//! total = (reading time of the lab's pages + execution time) × factor,
//! rounded up to a multiple of 5 minutes.
//!
//! - Reading: English is read by words (about [`WORDS_PER_MINUTE`]), Japanese
//!   by characters (about [`CJK_CHARS_PER_MINUTE`]): Japanese has no spaces,
//!   so counting words would make any Japanese page a one-minute read. The
//!   counts come from the model ([`ProseStats`]); a page mixing both scripts
//!   adds both.
//! - Execution, first that applies: the durations recorded by
//!   `labrun run --record-durations` (sum over the lab's pages); the
//!   directive's `estimatedLabExecutionTimeMinutes`; the lab's timeouts and
//!   waits (an upper bound, computed as `labrun plan` does).
//! - Factor: `render.time-factor` in `labrun.yaml` (default 1.0).

use serde::Serialize;

use crate::content::Project;
pub use crate::durations::Durations;
use crate::model::{Lab, Page, ProseStats};

/// English reading speed (words per minute).
pub const WORDS_PER_MINUTE: f64 = 200.0;
/// Japanese (and other scripts without spaces) reading speed, in characters
/// per minute.
pub const CJK_CHARS_PER_MINUTE: f64 = 500.0;
/// The attribute of `::required-time` that gives the execution time.
pub const ESTIMATE_ATTR: &str = "estimatedLabExecutionTimeMinutes";

/// Minutes to read prose with these counts.
pub fn reading_minutes(stats: &ProseStats) -> f64 {
    stats.words as f64 / WORDS_PER_MINUTE + stats.cjk_chars as f64 / CJK_CHARS_PER_MINUTE
}

/// Rounds minutes up to the next multiple of 5 (0 stays 0). A hair of
/// floating-point noise above a multiple does not add 5 minutes.
pub fn round_up_to_5(minutes: f64) -> u64 {
    if minutes.is_nan() || minutes <= 0.0 {
        return 0;
    }
    let fives = (minutes / 5.0 - 1e-9).ceil().max(1.0);
    // `as` saturates: an absurd figure stays a large number, not a panic.
    (fives as u64).saturating_mul(5)
}

/// Where the execution time comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "source")]
pub enum Execution {
    /// Recorded by `labrun run --record-durations`.
    Recorded { seconds: f64, file: String },
    /// The directive's `estimatedLabExecutionTimeMinutes`.
    Estimated { minutes: f64 },
    /// Every timeout and wait of the lab added up: a run takes at most this.
    UpperBound { seconds: u64 },
}

impl Execution {
    pub fn minutes(&self) -> f64 {
        match self {
            Execution::Recorded { seconds, .. } => seconds / 60.0,
            Execution::Estimated { minutes } => *minutes,
            Execution::UpperBound { seconds } => *seconds as f64 / 60.0,
        }
    }

    /// `recorded`, `estimated` or `upper-bound`.
    pub fn source(&self) -> &'static str {
        match self {
            Execution::Recorded { .. } => "recorded",
            Execution::Estimated { .. } => "estimated",
            Execution::UpperBound { .. } => "upper-bound",
        }
    }

    pub fn is_upper_bound(&self) -> bool {
        matches!(self, Execution::UpperBound { .. })
    }
}

/// One page's share of the reading time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageTime {
    pub rel: String,
    pub title: String,
    pub words: usize,
    pub cjk_chars: usize,
    pub reading_minutes: f64,
    /// Recorded run time of the page's blocks, when the durations file has it.
    pub recorded_seconds: Option<f64>,
}

/// The required time of a lab, with its breakdown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RequiredTime {
    pub lab: String,
    pub locale: String,
    pub pages: Vec<PageTime>,
    pub reading_minutes: f64,
    pub execution: Execution,
    pub factor: f64,
    /// (reading + execution) × factor, unrounded.
    pub exact_minutes: f64,
    /// Rounded up to a multiple of 5.
    pub total_minutes: u64,
}

/// A `::required-time` estimate that is not a number.
#[derive(Clone, Debug, PartialEq)]
pub struct BadEstimate {
    pub value: String,
}

/// Parses `estimatedLabExecutionTimeMinutes` (`"25"`, `"7.5"`).
/// The range is [`crate::limits::estimate_minutes`]'s, which `check` uses too.
pub fn parse_estimate(value: &str) -> Result<f64, BadEstimate> {
    crate::limits::estimate_minutes(value).map_err(|_| BadEstimate {
        value: value.to_owned(),
    })
}

/// The first `::required-time` directive's estimate among the lab's pages.
pub fn lab_estimate(lab: &Lab) -> Option<(&Page, u32, &str)> {
    lab.pages.iter().find_map(|p| {
        p.directives
            .iter()
            .filter(|d| d.name == "required-time")
            .find_map(|d| d.attr(ESTIMATE_ATTR).map(|v| (p, d.pos.line, v)))
    })
}

/// Computes the required time of `lab`. `estimate` is the directive's
/// `estimatedLabExecutionTimeMinutes`, already parsed.
pub fn required_time(
    project: &Project,
    lab: &Lab,
    durations: Option<&Durations>,
    estimate: Option<f64>,
) -> RequiredTime {
    let pages: Vec<PageTime> = lab
        .pages
        .iter()
        .map(|p| PageTime {
            rel: p.rel.clone(),
            title: p.title.clone(),
            words: p.prose.words,
            cjk_chars: p.prose.cjk_chars,
            reading_minutes: reading_minutes(&p.prose),
            recorded_seconds: durations
                .and_then(|d| d.page_ms(&p.rel))
                .map(|ms| ms as f64 / 1000.0),
        })
        .collect();
    let reading: f64 = pages.iter().map(|p| p.reading_minutes).sum();
    let recorded: Vec<f64> = pages.iter().filter_map(|p| p.recorded_seconds).collect();
    let execution = if let (false, Some(d)) = (recorded.is_empty(), durations) {
        Execution::Recorded {
            seconds: recorded.iter().sum(),
            file: project.display_path(&d.file),
        }
    } else if let Some(minutes) = estimate {
        Execution::Estimated { minutes }
    } else {
        Execution::UpperBound {
            seconds: crate::plan::plan(project, lab, &project.config.variables)
                .totals
                .max_seconds,
        }
    };
    let factor = project.config.render.time_factor;
    let exact = (reading + execution.minutes()) * factor;
    RequiredTime {
        lab: lab.id.clone(),
        locale: lab.locale.clone(),
        pages,
        reading_minutes: reading,
        execution,
        factor,
        exact_minutes: exact,
        total_minutes: round_up_to_5(exact),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use std::path::Path;

    fn stats(text: &str) -> ProseStats {
        parse_page(Path::new("p.md"), "p.md", "en", text.as_bytes()).prose
    }

    #[test]
    fn english_reads_by_words() {
        let text = "word ".repeat(400);
        let s = stats(&text);
        assert_eq!(s.words, 400);
        assert!((reading_minutes(&s) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn japanese_reads_by_characters_not_words() {
        // 1000 characters without one space: by words this would be one
        // "word", a fraction of a minute.
        let text = "日本語の文章を読む。".repeat(100);
        let s = stats(&text);
        assert_eq!(s.words, 0);
        assert_eq!(s.cjk_chars, 900, "the 。 is punctuation, not counted");
        assert!((reading_minutes(&s) - 1.8).abs() < 1e-9);
        let long = stats(&"あ".repeat(5000));
        assert!((reading_minutes(&long) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn mixed_text_adds_both_measures() {
        let s = stats("この `kubectl` コマンドで Pod を確認します");
        assert_eq!(s.words, 2);
        assert!(s.cjk_chars >= 10);
        let m = reading_minutes(&s);
        assert!((m - (2.0 / 200.0 + s.cjk_chars as f64 / 500.0)).abs() < 1e-9);
    }

    #[test]
    fn rounding_goes_up_to_five() {
        assert_eq!(round_up_to_5(0.0), 0);
        assert_eq!(round_up_to_5(0.1), 5);
        assert_eq!(round_up_to_5(5.0), 5);
        assert_eq!(round_up_to_5(5.0 + 1e-12), 5);
        assert_eq!(round_up_to_5(5.01), 10);
        assert_eq!(round_up_to_5(27.3), 30);
        assert_eq!(round_up_to_5(30.0), 30);
        assert_eq!(round_up_to_5(f64::NAN), 0);
        // 0.1 + 0.2 style noise: 3 × (1/3 × 15) is 15 give or take a bit.
        assert_eq!(round_up_to_5((1.0 / 3.0) * 15.0 * 3.0 / 3.0 * 3.0 / 3.0), 5);
        assert_eq!(round_up_to_5(0.1 * 3.0 * 50.0), 15);
    }

    #[test]
    fn estimates_parse_or_are_refused() {
        assert_eq!(parse_estimate("25"), Ok(25.0));
        assert_eq!(parse_estimate(" 7.5 "), Ok(7.5));
        assert!(parse_estimate("soon").is_err());
        assert!(parse_estimate("-3").is_err());
        assert!(parse_estimate("inf").is_err());
    }
}
