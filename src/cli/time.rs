//! `labrun time <lab>`: how `::required-time` comes to its figure.

use textwrap::core::display_width;

use crate::error::Error;
use crate::msg;
use crate::render::time::{self, Durations, Execution, RequiredTime};
use crate::render::{fmt_minutes, time_formula};
use crate::t;
use crate::ui::{self, Tone};

use super::{Context, exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The lab: a content path (networking/network-policies), a page, or a prepare-environment id.
    pub lab: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub use super::TextOrJson as Format;

pub fn exec(ctx: &Context, args: &Args) -> Result<u8, Error> {
    let tree = ctx.project.load(&ctx.content_locale()?)?;
    let lab = tree.lab(&args.lab)?;
    let estimate = match time::lab_estimate(&lab) {
        Some((page, line, value)) => Some(time::parse_estimate(value).map_err(|e| {
            Error::Usage(msg!(
                "time-bad-estimate",
                file = ctx.project.display_path(&page.file),
                line = line,
                value = e.value
            ))
        })?),
        None => None,
    };
    let durations = Durations::load(&ctx.project.config.durations_file())?;
    let rt = time::required_time(&ctx.project, &lab, durations.as_ref(), estimate);
    let out = match args.format {
        Format::Json => {
            serde_json::to_string_pretty(&rt).expect("a required time serializes") + "\n"
        }
        Format::Text => text(&rt, &lab.title, ui::color_enabled(false)),
    };
    match args.format {
        Format::Json => ui::print_data(&out),
        Format::Text => ui::print(&out),
    }
    Ok(exit::OK)
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
pub fn text(rt: &RequiredTime, title: &str, color: bool) -> String {
    let mut out = String::new();
    let lab = if rt.lab.is_empty() { "." } else { &rt.lab };
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
    let head = [
        t!("time-col-page"),
        t!("time-col-words"),
        t!("time-col-chars"),
        t!("time-col-reading"),
        t!("time-col-recorded"),
    ];
    let mut rows: Vec<[String; 5]> = rt
        .pages
        .iter()
        .map(|p| {
            [
                p.rel.clone(),
                p.words.to_string(),
                p.cjk_chars.to_string(),
                t!("time-minutes", minutes = fmt_minutes(p.reading_minutes)),
                p.recorded_seconds.map_or_else(
                    || "—".to_owned(),
                    |s| t!("time-seconds", seconds = format!("{s:.0}")),
                ),
            ]
        })
        .collect();
    rows.push([
        t!("time-row-total"),
        rt.pages.iter().map(|p| p.words).sum::<usize>().to_string(),
        rt.pages
            .iter()
            .map(|p| p.cjk_chars)
            .sum::<usize>()
            .to_string(),
        t!("time-minutes", minutes = fmt_minutes(rt.reading_minutes)),
        String::new(),
    ]);
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            rows.iter()
                .map(|r| display_width(&r[c]))
                .chain([display_width(&head[c])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String; 5]| -> String {
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
                &"─".repeat(widths.iter().sum::<usize>() + 8),
            ));
            out.push('\n');
        }
        out.push_str(&line(r));
        out.push('\n');
    }
    out.push('\n');
    let source = match &rt.execution {
        Execution::Recorded { file, .. } => t!("time-source-recorded", file = file.as_str()),
        Execution::Estimated { .. } => t!("time-source-estimated"),
        Execution::UpperBound { .. } => t!("time-source-upper-bound"),
    };
    let facts = [
        (
            t!("time-reading"),
            t!(
                "time-reading-rule",
                minutes = fmt_minutes(rt.reading_minutes)
            ),
        ),
        (
            t!("time-execution"),
            t!(
                "time-execution-value",
                minutes = fmt_minutes(rt.execution.minutes()),
                source = source
            ),
        ),
        (t!("time-factor"), format!("{}", rt.factor)),
        (
            t!("time-total"),
            t!(
                "time-total-value",
                formula = time_formula(rt, crate::i18n::lang()),
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
