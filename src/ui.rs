//! Terminal conventions: colour only for a terminal and never under
//! `NO_COLOR`; plain text otherwise, so CI logs stay clean.
//!
//! Every line labrun prints goes through [`print`] / [`eprint`] (and their
//! `ln` forms). A reader that goes away (`labrun plan . | head`) closes the
//! pipe: the first write that finds it closed ends all output to that
//! stream quietly, and the command finishes with the exit code it would
//! have had (the verdict does not depend on who reads it). `println!`
//! would panic there, and restoring SIGPIPE's default would kill `run`
//! mid-lab without its reports or its cleanup. Any other write error (a
//! full disk) is kept for [`output_error`], which makes the command fail.
//!
//! Text from pages and from commands may hold control characters:
//! `ESC ] 0 ; … BEL` retitles a terminal, `ESC ] 52` writes the clipboard,
//! `\r` and backspaces hide what a command really does, bidi controls
//! reorder it. [`clean`] makes them visible instead (`␛`, `␍`, `�`).
//! [`paint`] cleans what it paints, and the human-output sinks clean every
//! line they print, keeping only the colour sequences labrun's own painting
//! made (and none when colour is off). Machine formats ([`print_data`]:
//! JSON, JUnit, GitHub annotations) and log files keep the raw text; JSON
//! escapes control characters itself.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anstyle::{AnsiColor, Style};

use crate::diag::Diagnostic;

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

/// Wraps text in the tone's style when colour is on; the text is cleaned
/// ([`clean`]) either way.
pub fn paint(color: bool, tone: Tone, text: &str) -> String {
    let text = clean(text);
    if !color {
        return text.into_owned();
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

#[derive(Clone, Copy)]
enum Stream {
    Out,
    Err,
}

static OUT_CLOSED: AtomicBool = AtomicBool::new(false);
static ERR_CLOSED: AtomicBool = AtomicBool::new(false);
static WRITE_ERROR: Mutex<Option<std::io::Error>> = Mutex::new(None);

/// Whether a character would drive a terminal rather than show: C0 controls
/// but newline and tab, DEL, C1 controls, and the bidi embeddings,
/// overrides and isolates ("Trojan Source").
fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f' | '\u{80}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// The length of an SGR (colour) sequence at the start of `s`: `ESC [ 1;31 m`.
fn sgr_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\x1b[")?;
    let params = rest
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';' || *b == b':')
        .count();
    (rest.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

fn clean_keeping(text: &str, keep_sgr: bool) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if c == '\x1b'
            && keep_sgr
            && let Some(n) = sgr_len(&text[i..])
        {
            out.push_str(&text[i..i + n]);
            i += n;
            continue;
        }
        match c {
            // Control Pictures: ␀ … ␟, and ␡ for DEL.
            '\0'..='\x1f' if is_unsafe(c) => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
            }
            '\x7f' => out.push('\u{2421}'),
            // One character for one, so columns stay where they were.
            c if is_unsafe(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
        i += c.len_utf8();
    }
    Cow::Owned(out)
}

/// Text from content or commands, safe to show on a terminal: every
/// character that would drive the terminal is replaced by a visible one.
/// Newlines and tabs stay.
pub fn clean(text: &str) -> Cow<'_, str> {
    clean_keeping(text, false)
}

fn write(stream: Stream, text: &str) {
    let closed = match stream {
        Stream::Out => &OUT_CLOSED,
        Stream::Err => &ERR_CLOSED,
    };
    if closed.load(Ordering::Relaxed) {
        return;
    }
    write_raw(stream, text, closed);
}

/// Human output: cleaned, colour sequences kept only when colour is on.
fn write_clean(stream: Stream, text: &str) {
    let color = color_enabled(matches!(stream, Stream::Err));
    write(stream, &clean_keeping(text, color));
}

fn write_raw(stream: Stream, text: &str, closed: &AtomicBool) {
    // Flushed at once, so that a closed pipe shows here and not at exit.
    let result = match stream {
        Stream::Out => {
            let mut o = std::io::stdout().lock();
            o.write_all(text.as_bytes()).and_then(|_| o.flush())
        }
        Stream::Err => {
            let mut e = std::io::stderr().lock();
            e.write_all(text.as_bytes()).and_then(|_| e.flush())
        }
    };
    if let Err(e) = result {
        closed.store(true, Ordering::Relaxed);
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let mut slot = WRITE_ERROR.lock().unwrap_or_else(|p| p.into_inner());
            slot.get_or_insert(e);
        }
    }
}

/// Writes text for people to stdout (cleaned).
pub fn print(text: &str) {
    write_clean(Stream::Out, text);
}

/// Writes a line for people to stdout (cleaned).
pub fn println(text: &str) {
    write_clean(Stream::Out, &format!("{text}\n"));
}

/// Writes text for people to stderr (cleaned).
pub fn eprint(text: &str) {
    write_clean(Stream::Err, text);
}

/// Writes a line for people to stderr (cleaned).
pub fn eprintln(text: &str) {
    write_clean(Stream::Err, &format!("{text}\n"));
}

/// Writes a machine format (JSON, JUnit, GitHub annotations) to stdout as
/// it is: programs read it, and the format escapes what it must.
pub fn print_data(text: &str) {
    write(Stream::Out, text);
}

/// The first write error that was not a closed pipe, if any.
pub fn output_error() -> Option<std::io::Error> {
    WRITE_ERROR.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// A path as the user should see it: relative to the current directory when
/// it lies below it, so editors and terminals can open `file:line`.
pub fn shown_path(path: &std::path::Path) -> String {
    let cwd = std::env::current_dir().ok();
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    }
}

/// Prints diagnostics to stderr, one line each.
pub fn print_diagnostics(diags: &[Diagnostic]) {
    let color = color_enabled(true);
    for d in diags {
        let tone = if d.is_error() {
            Tone::Error
        } else {
            Tone::Warning
        };
        eprintln(&format!(
            "{}:{}:{}: {}: {}",
            shown_path(&d.file),
            d.line,
            d.col,
            paint(color, tone, &format!("{}[{}]", d.severity.label(), d.rule)),
            d.message
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_below_the_working_directory_are_shown_relative() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            shown_path(&cwd.join("content").join("a.md")),
            std::path::Path::new("content")
                .join("a.md")
                .display()
                .to_string()
        );
        let elsewhere = std::path::Path::new("/nowhere-near/a.md");
        assert_eq!(shown_path(elsewhere), elsewhere.display().to_string());
    }

    #[test]
    fn clean_shows_what_would_drive_the_terminal() {
        assert_eq!(
            clean("plain 日本語\tand\nlines"),
            "plain 日本語\tand\nlines"
        );
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(clean("a\x1b]0;pwned\x07b"), "a\u{241b}]0;pwned\u{2407}b");
        assert_eq!(clean("\x1b[31mred\x1b[0m"), "\u{241b}[31mred\u{241b}[0m");
        assert_eq!(clean("rm -rf /\recho ok"), "rm -rf /\u{240d}echo ok");
        assert_eq!(clean("x\x08\x7f"), "x\u{2408}\u{2421}");
        assert_eq!(clean("\u{9b}2J"), "\u{fffd}2J");
        assert_eq!(clean("a\u{202e}b"), "a\u{fffd}b");
    }

    #[test]
    fn only_colour_sequences_survive_when_colour_is_on() {
        assert_eq!(
            clean_keeping("\x1b[1;31mred\x1b[0m \x1b]52;c;eA==\x07", true),
            "\x1b[1;31mred\x1b[0m \u{241b}]52;c;eA==\u{2407}"
        );
        // A painted title cannot smuggle its own sequences past the sink.
        let p = paint(true, Tone::Bold, "t\x1b[8m");
        assert!(!clean_keeping(&p, true).contains("\x1b[8m"), "{p:?}");
    }
}
