//! `labrun time <lab>`: how `::required-time` comes to its figure.

use textwrap::core::display_width;

use crate::error::Error;
use crate::msg;
use crate::render::time::{self, Durations, RequiredTime};
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
    let durations = Durations::load(&ctx.project.config.durations_file())?;
    let mut texts = Vec::new();
    let mut times = Vec::new();
    for lab in super::labs_in_locales(ctx, &args.lab)? {
        let rt = required_time(ctx, &lab, durations.as_ref())?;
        texts.push(text(&rt, &lab.title, ui::color_enabled(false)));
        times.push(rt);
    }
    let out = match args.format {
        // One breakdown; with `--lang all`, an array of them.
        Format::Json if ctx.all_locales() => {
            serde_json::to_string_pretty(&times).expect("a required time serializes") + "\n"
        }
        Format::Json => {
            serde_json::to_string_pretty(&times[0]).expect("a required time serializes") + "\n"
        }
        Format::Text => texts.join("\n"),
    };
    let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
    Ok(exit::OK)
}

fn required_time(
    ctx: &Context,
    lab: &crate::model::Lab,
    durations: Option<&Durations>,
) -> Result<RequiredTime, Error> {
    let estimate = match time::lab_estimate(lab) {
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
    Ok(time::required_time(&ctx.project, lab, durations, estimate))
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
    // Words always; a column per character-counted script the lab uses.
    type Count = fn(&time::PageTime) -> usize;
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
            row.push(t!("time-minutes", minutes = fmt_minutes(p.reading_minutes)));
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
        t!("time-minutes", minutes = fmt_minutes(rt.reading_minutes)),
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
