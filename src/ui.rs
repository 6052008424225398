//! Terminal conventions: colour only for a terminal and never under
//! `NO_COLOR`; plain text otherwise, so CI logs stay clean.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Style};

/// Whether to colour output written to stdout (`stderr = false`) or stderr.
pub fn color_enabled(stderr: bool) -> bool {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    if stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    }
}

/// The width to lay text out in: `COLUMNS` when set (as clap and most
/// tools honour it), else the width of the terminal on stdout
/// (`stderr = false`) or stderr, else 80 (a pipe, a CI log).
pub fn terminal_width(stderr: bool) -> usize {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w >= 20)
    {
        return w;
    }
    let size = if stderr {
        terminal_size::terminal_size_of(std::io::stderr())
    } else {
        terminal_size::terminal_size_of(std::io::stdout())
    };
    size.map_or(80, |(w, _)| usize::from(w.0).max(20))
}

#[derive(Clone, Copy, Debug)]
pub enum Tone {
    Bold,
    Dim,
    Error,
    Warning,
    Good,
    Accent,
}

/// Wraps text in the tone's style when colour is on.
pub fn paint(color: bool, tone: Tone, text: &str) -> String {
    if !color {
        return text.to_owned();
    }
    let style = match tone {
        Tone::Bold => Style::new().bold(),
        Tone::Dim => Style::new().dimmed(),
        Tone::Error => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        Tone::Warning => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
        Tone::Good => Style::new().fg_color(Some(AnsiColor::Green.into())),
        Tone::Accent => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
    };
    format!("{style}{text}{style:#}")
}
