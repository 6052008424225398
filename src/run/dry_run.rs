//! `run --dry-run`: each lab's plan and the three figures of the duration
//! model ([`crate::timing`]), each labelled with what it is, for people or
//! as JSON (schema `labrun.dry-run/v1`, which embeds `labrun.plan/v1`).

use serde::Serialize;

use crate::content::Project;
use crate::durations::Durations;
use crate::model::Lab;
use crate::plan::Plan;
use crate::render::time::{self, RequiredTime};
use crate::t;
use crate::timing::{self, Source};
use crate::ui::{self, Tone};

use super::progress::human_ms;

pub const SCHEMA: &str = "labrun.dry-run/v1";

#[derive(Clone, Debug, Serialize)]
pub struct DryRun {
    pub schema: &'static str,
    /// `K/N` for one shard of a run.
    pub shard: Option<String>,
    pub labs: Vec<DryLab>,
    pub totals: Totals,
}

#[derive(Clone, Debug, Serialize)]
pub struct DryLab {
    /// The lab's place among all the labs of the run before sharding.
    pub order: usize,
    /// The plan, as `labrun plan --format json` prints it.
    pub plan: Plan,
    pub durations: LabDurations,
}

/// The three figures of a lab.
#[derive(Clone, Debug, Serialize)]
pub struct LabDurations {
    /// Expected run time: recorded, else guessed, page by page.
    pub expected_ms: u64,
    /// The bound: the longest a run may take before labrun ends it.
    pub bound_seconds: u64,
    /// What `::required-time` shows learners, with its breakdown (as
    /// `labrun time --format json` prints it).
    pub required_time: RequiredTime,
    pub pages: Vec<PageDuration>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PageDuration {
    pub path: String,
    pub expected_ms: u64,
    /// `recorded`, `guessed` or `not-run`.
    pub source: Source,
    /// Why a page does not run (`notest`, `orphan`), as in the plan.
    pub skipped: Option<&'static str>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Totals {
    pub labs: usize,
    pub expected_ms: u64,
    pub bound_seconds: u64,
}

/// The dry run of `labs` (each with its place in the unsharded run).
pub fn build(
    project: &Project,
    labs: &[(usize, Lab)],
    recorded: &Durations,
    shard: Option<&str>,
    variables: &std::collections::BTreeMap<String, String>,
) -> DryRun {
    let mut totals = Totals {
        labs: labs.len(),
        ..Totals::default()
    };
    let labs = labs
        .iter()
        .map(|(order, lab)| {
            let plan = crate::plan::plan(project, lab, variables);
            let pages: Vec<PageDuration> = lab
                .pages
                .iter()
                .map(|p| {
                    let (ms, source) = timing::page_expected(p, recorded);
                    PageDuration {
                        path: p.rel.clone(),
                        expected_ms: ms,
                        source,
                        skipped: p.skip_reason(),
                    }
                })
                .collect();
            let estimate =
                time::lab_estimate(lab).and_then(|(_, _, v)| time::parse_estimate(v).ok());
            let durations = LabDurations {
                expected_ms: timing::lab_expected(&lab.pages, recorded),
                bound_seconds: plan.totals.max_seconds,
                required_time: time::required_time(project, lab, Some(recorded), estimate),
                pages,
            };
            totals.expected_ms = totals.expected_ms.saturating_add(durations.expected_ms);
            totals.bound_seconds = totals.bound_seconds.saturating_add(durations.bound_seconds);
            DryLab {
                order: *order,
                plan,
                durations,
            }
        })
        .collect();
    DryRun {
        schema: SCHEMA,
        shard: shard.map(str::to_owned),
        labs,
        totals,
    }
}

/// How a dry run is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// For people: each plan, then its figures.
    Text,
    /// `labrun.dry-run/v1`.
    Json,
}

/// Prints the dry run on stdout.
pub fn print(d: &DryRun, format: Format) {
    match format {
        Format::Json => {
            ui::print_data(&(serde_json::to_string_pretty(d).expect("a dry run serializes") + "\n"))
        }
        Format::Text => {
            super::progress::say(text(d, ui::color_enabled(false)).trim_end_matches('\n'))
        }
    }
}

/// The dry run for people: each plan, then its figures, labelled.
pub fn text(d: &DryRun, color: bool) -> String {
    let mut out = String::new();
    let mut say = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    if let Some(s) = &d.shard {
        say(&ui::paint(
            color,
            Tone::Bold,
            &t!("run-dry-shard", shard = s.as_str(), labs = d.labs.len()),
        ));
    }
    for lab in &d.labs {
        say(crate::plan::text(&lab.plan, color).trim_end_matches('\n'));
        let du = &lab.durations;
        say(&format!(
            "     {}",
            ui::paint(color, Tone::Bold, &t!("run-dry-expected"))
        ));
        for p in &du.pages {
            let how = match p.source {
                Source::Recorded => human_ms(p.expected_ms),
                Source::Guessed => t!("run-dry-estimated", duration = human_ms(p.expected_ms)),
                Source::NotRun => match p.skipped {
                    Some("orphan") => t!("run-skip-orphan"),
                    Some(_) => t!("run-skip-notest"),
                    None => t!("run-dry-not-run"),
                },
            };
            say(&format!("       {}  {how}", p.path));
        }
        say(&format!(
            "     {}",
            t!("run-dry-lab-total", duration = human_ms(du.expected_ms))
        ));
        say(&format!(
            "     {}",
            t!("run-dry-bound", minutes = du.bound_seconds.div_ceil(60))
        ));
        let rt = &du.required_time;
        say(&format!(
            "     {}",
            t!(
                "run-dry-required",
                minutes = rt.total_minutes,
                formula = crate::render::time_formula(rt, crate::i18n::lang()),
                source = rt.execution.source_text()
            )
        ));
    }
    if d.labs.len() > 1 {
        say(&t!(
            "run-dry-total",
            labs = d.labs.len(),
            duration = human_ms(d.totals.expected_ms),
            minutes = d.totals.bound_seconds.div_ceil(60)
        ));
    }
    out
}
