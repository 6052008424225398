//! Reading time and `::required-time`.
//!
//! total = (reading time of the lab's pages + execution time) × factor,
//! rounded up to a multiple of 5 minutes.
//!
//! - Reading, per script: scripts with spaces between words by words (about
//!   [`WORDS_PER_MINUTE`]); Han, kana and Hangul by characters (about
//!   [`CJK_CHARS_PER_MINUTE`] each, the usual figure for Chinese, Japanese
//!   and Korean): Japanese and Chinese have no spaces, so counting words
//!   would make any such page a one-minute read. The counts come from the
//!   model ([`ProseStats`]); a page mixing scripts adds them all.
//! - Execution, first that applies: the durations recorded by
//!   `labrun run --record-durations` (sum over the lab's pages); the
//!   directive's `estimatedLabExecutionTimeMinutes`; the lab's timeouts and
//!   waits (an upper bound, computed as `labrun plan` does).
//! - Factor: `render.time-factor` in `labrun.yaml` (default 1.0).

use serde::Serialize;
use textwrap::core::display_width;

use crate::content::Project;
pub use crate::durations::Durations;
use crate::model::{Lab, Page, ProseStats};
use crate::t;
use crate::ui::{self, Tone};

/// English reading speed (words per minute).
pub const WORDS_PER_MINUTE: f64 = 200.0;
/// Reading speed of Han, kana and Hangul, in characters per minute.
pub const CJK_CHARS_PER_MINUTE: f64 = 500.0;
/// Characters per minute of each script read by characters: (Han, kana,
/// Hangul).
pub const CHARS_PER_MINUTE: (f64, f64, f64) = (
    CJK_CHARS_PER_MINUTE,
    CJK_CHARS_PER_MINUTE,
    CJK_CHARS_PER_MINUTE,
);
/// The attribute of `::required-time` that gives the execution time.
pub const ESTIMATE_ATTR: &str = "estimatedLabExecutionTimeMinutes";

/// Minutes to read prose with these counts.
pub fn reading_minutes(stats: &ProseStats) -> f64 {
    let (han, kana, hangul) = CHARS_PER_MINUTE;
    stats.words as f64 / WORDS_PER_MINUTE
        + stats.han as f64 / han
        + stats.kana as f64 / kana
        + stats.hangul as f64 / hangul
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

    /// Where the figure comes from, for people.
    pub fn source_text(&self) -> String {
        match self {
            Execution::Recorded { file, .. } => {
                crate::t!("time-source-recorded", file = file.as_str())
            }
            Execution::Estimated { .. } => crate::t!("time-source-estimated"),
            Execution::UpperBound { .. } => crate::t!("time-source-upper-bound"),
        }
    }
}

/// One page's share of the reading time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PageTime {
    pub rel: String,
    pub title: String,
    pub words: usize,
    /// Han, kana and Hangul together.
    pub cjk_chars: usize,
    pub han: usize,
    pub kana: usize,
    pub hangul: usize,
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
            han: p.prose.han,
            kana: p.prose.kana,
            hangul: p.prose.hangul,
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

fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

/// The breakdown as a table, in the message language.
pub fn breakdown(rt: &RequiredTime, title: &str, color: bool) -> String {
    let mut out = String::new();
    let lab = crate::model::lab_name(&rt.lab);
    out.push_str(&ui::paint(
        color,
        Tone::Bold,
        &t!(
            "time-header",
            title = title,
            lab = lab,
            locale = rt.locale.as_str()
        ),
    ));
    out.push_str("\n\n");
    // Words always; a column per character-counted script the lab uses.
    type Count = fn(&PageTime) -> usize;
    let scripts: [(&str, Count); 3] = [
        ("time-col-han", |p| p.han),
        ("time-col-kana", |p| p.kana),
        ("time-col-hangul", |p| p.hangul),
    ];
    let used: Vec<(&str, Count)> = scripts
        .into_iter()
        .filter(|(_, count)| rt.pages.iter().any(|p| count(p) > 0))
        .collect();
    let mut head = vec![t!("time-col-page"), t!("time-col-words")];
    head.extend(used.iter().map(|(id, _)| crate::i18n::Msg::new(*id).text()));
    head.extend([t!("time-col-reading"), t!("time-col-recorded")]);
    let mut rows: Vec<Vec<String>> = rt
        .pages
        .iter()
        .map(|p| {
            let mut row = vec![p.rel.clone(), p.words.to_string()];
            row.extend(used.iter().map(|(_, count)| count(p).to_string()));
            row.push(t!(
                "time-minutes",
                minutes = super::fmt_minutes(p.reading_minutes)
            ));
            row.push(p.recorded_seconds.map_or_else(
                || "—".to_owned(),
                |s| t!("time-seconds", seconds = format!("{s:.0}")),
            ));
            row
        })
        .collect();
    let mut total = vec![
        t!("time-row-total"),
        rt.pages.iter().map(|p| p.words).sum::<usize>().to_string(),
    ];
    total.extend(
        used.iter()
            .map(|(_, count)| rt.pages.iter().map(count).sum::<usize>().to_string()),
    );
    total.extend([
        t!(
            "time-minutes",
            minutes = super::fmt_minutes(rt.reading_minutes)
        ),
        String::new(),
    ]);
    rows.push(total);
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter()
                .map(|r| display_width(&r[c]))
                .chain([display_width(&head[c])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(c, s)| pad(s, widths[c], c > 0))
            .collect();
        parts.join("  ").trim_end().to_owned()
    };
    out.push_str(&ui::paint(color, Tone::Bold, &line(&head)));
    out.push('\n');
    for (i, r) in rows.iter().enumerate() {
        if i + 1 == rows.len() {
            out.push_str(&ui::paint(
                color,
                Tone::Dim,
                &"─".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)),
            ));
            out.push('\n');
        }
        out.push_str(&line(r));
        out.push('\n');
    }
    out.push('\n');
    let source = rt.execution.source_text();
    let facts = [
        (
            t!("time-reading"),
            t!(
                "time-reading-rule",
                minutes = super::fmt_minutes(rt.reading_minutes)
            ),
        ),
        (
            t!("time-execution"),
            t!(
                "time-execution-value",
                minutes = super::fmt_minutes(rt.execution.minutes()),
                source = source
            ),
        ),
        (t!("time-factor"), format!("{}", rt.factor)),
        (
            t!("time-total"),
            t!(
                "time-total-value",
                formula = super::time_formula(rt, crate::i18n::lang()),
                minutes = rt.total_minutes
            ),
        ),
    ];
    let key_w = facts
        .iter()
        .map(|(k, _)| display_width(k))
        .max()
        .unwrap_or(0);
    for (k, v) in &facts {
        out.push_str(&format!("{}  {}\n", pad(k, key_w, false), v));
    }
    if rt.execution.is_upper_bound() {
        out.push_str(&ui::paint(
            color,
            Tone::Warning,
            &t!("render-time-upper-bound-note"),
        ));
        out.push('\n');
    }
    out
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
    fn korean_and_chinese_read_by_characters_per_script() {
        // Korean separates words with spaces, but is read by syllables.
        let ko = stats(&"한국어 문장을 읽습니다. ".repeat(50));
        assert_eq!((ko.words, ko.hangul, ko.han, ko.kana), (0, 500, 0, 0));
        assert!((reading_minutes(&ko) - 1.0).abs() < 1e-9);
        let zh = stats(&"这是中文句子。".repeat(100));
        assert_eq!((zh.words, zh.han, zh.hangul), (0, 600, 0));
        let ja = stats("日本語のテキスト");
        assert_eq!((ja.han, ja.kana, ja.cjk_chars), (3, 5, 8));
        // A Korean page with an English command name counts both.
        let mixed = stats("`kubectl` 명령으로 Pod를 확인합니다");
        assert_eq!(mixed.words, 2, "kubectl, Pod를");
        assert_eq!(mixed.hangul, 10);
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
