//! Help as people expect it from a command-line tool: `--help` and
//! `labrun help [COMMAND]` laid out for the real terminal width (Japanese
//! wrapped by display width, between characters), shell completions
//! (`labrun completions SHELL`) and the man page (`labrun man`).
//!
//! clap renders the help without wrapping (`term_width(0)`); the lines are
//! wrapped here, because clap breaks lines only at spaces and counts
//! characters, which leaves Japanese sentences running past the edge.

use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;
use textwrap::core::display_width;

use crate::error::Error;
use crate::ui::{self, Tone};
use crate::{msg, wrap};

use super::{Cli, exit};

#[derive(clap::Args, Debug)]
pub struct HelpArgs {
    /// The command to explain (`labrun help run`); none for labrun itself.
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(clap::Args, Debug)]
pub struct ManArgs {
    /// Write labrun.1 and a page per command (labrun-run.1, …) into this directory instead of printing labrun.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Narrower help columns than this put the help text under the option.
const MIN_HELP_COLUMNS: usize = 28;

/// Lays out clap's unwrapped help for `width` columns. Option and command
/// lines keep their help text in its column, wrapped under it; when the
/// column leaves too little room, the text goes on the lines below.
pub fn layout(text: &str, width: usize, color: bool) -> String {
    let mut out = String::new();
    for line in text.trim_end().lines() {
        let indent = line.len() - line.trim_start().len();
        if line.trim().is_empty() {
            out.push('\n');
            continue;
        }
        // An item: `  --lang <LANG>  The language…` (two or more spaces
        // between the item and its help).
        let item = (indent > 0)
            .then(|| line[indent..].find("  ").map(|g| indent + g))
            .flatten()
            .map(|gap| {
                let start = gap + line[gap..].len() - line[gap..].trim_start().len();
                (gap, start)
            })
            .filter(|(_, start)| *start < line.len());
        match item {
            Some((gap, start)) => {
                let spec = &line[..gap];
                let help = &line[start..];
                let column = display_width(&line[..start]);
                out.push_str(&ui::paint(color, Tone::Bold, spec));
                if width.saturating_sub(column) >= MIN_HELP_COLUMNS {
                    out.push_str(&line[gap..start]);
                    let lines = wrap::lines(help, width, column, column);
                    // The first line's indentation is the item itself.
                    let text = lines.join("\n");
                    out.push_str(&text[column.min(text.len())..]);
                } else {
                    let under = indent + 8;
                    for l in wrap::lines(help, width.max(under + 20), under, under) {
                        out.push('\n');
                        out.push_str(&l);
                    }
                }
            }
            None if indent == 0 && line.ends_with([':', '：']) => {
                out.push_str(&ui::paint(color, Tone::Bold, line));
            }
            None => {
                let lines = wrap::lines(line.trim_start(), width.max(indent + 20), indent, indent);
                out.push_str(&lines.join("\n"));
            }
        }
        out.push('\n');
    }
    out
}

/// Prints clap's help text laid out for the terminal it goes to.
pub fn print(text: &str, stderr: bool) {
    let out = layout(text, ui::terminal_width(stderr), ui::color_enabled(stderr));
    // A closed pipe (`| head`) is no reason to panic.
    if stderr {
        let _ = std::io::stderr().write_all(out.as_bytes());
    } else {
        let _ = std::io::stdout().write_all(out.as_bytes());
    }
}

/// `labrun help [COMMAND]…`: the help `labrun COMMAND --help` prints.
pub fn exec_help(args: &HelpArgs) -> u8 {
    let mut argv = vec!["labrun".to_owned()];
    argv.extend(args.command.iter().cloned());
    argv.push("--help".to_owned());
    match super::localized_command().try_get_matches_from(&argv) {
        Err(e) => super::report_clap_error(&e),
        // `--help` always ends parsing; reaching here would be a clap change.
        Ok(_) => exit::OK,
    }
}

/// `labrun completions SHELL`: the completion script on stdout, with the
/// descriptions in the message language.
pub fn exec_completions(args: &CompletionsArgs) -> u8 {
    let mut cmd = super::localized_command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(args.shell, &mut cmd, "labrun", &mut out);
    exit::OK
}

/// The man page section headings clap_mangen writes, in the message
/// language.
fn localize_roff(roff: &str) -> String {
    let headings = [
        ("NAME", "cli-man-name"),
        ("SYNOPSIS", "cli-man-synopsis"),
        ("DESCRIPTION", "cli-man-description"),
        ("OPTIONS", "cli-man-options"),
        ("SUBCOMMANDS", "cli-man-subcommands"),
        ("VERSION", "cli-man-version"),
        ("EXTRA", "cli-man-extra"),
        ("AUTHORS", "cli-man-authors"),
    ];
    roff.lines()
        .map(|l| {
            let Some(heading) = l.strip_prefix(".SH ") else {
                return l.to_owned();
            };
            match headings.iter().find(|(en, _)| *en == heading.trim()) {
                Some((_, id)) => format!(".SH {}", msg!(*id).text()),
                // Headings taken from the command (its "Commands") follow
                // the man page convention of capitals.
                None => format!(".SH {}", heading.to_uppercase()),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn roff_of(cmd: clap::Command) -> Result<String, std::io::Error> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut buf)?;
    Ok(localize_roff(&String::from_utf8_lossy(&buf)))
}

/// `labrun man [--out DIR]`: the man page, built from the same command
/// definition as `--help` (so it cannot fall behind it).
pub fn exec_man(args: &ManArgs) -> Result<u8, Error> {
    let mut cmd = super::localized_command();
    cmd.build();
    let io = |p: &std::path::Path, e| Error::io(p, e);
    match &args.out {
        None => {
            let text = roff_of(cmd).map_err(|e| io(std::path::Path::new("-"), e))?;
            crate::ui::print_data(&text);
        }
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            let mut pages = vec![("labrun".to_owned(), cmd.clone())];
            for sub in cmd.get_subcommands() {
                let name = format!("labrun-{}", sub.get_name());
                pages.push((name.clone(), sub.clone().name(name)));
            }
            for (name, page) in pages {
                let file = dir.join(format!("{name}.1"));
                let text = roff_of(page).map_err(|e| io(&file, e))?;
                // Never through a link planted where a page goes.
                crate::files::write_generated(&file, text.as_bytes())?;
                crate::ui::println(&file.display().to_string());
            }
        }
    }
    Ok(exit::OK)
}

/// Every subcommand name (what `labrun <name>` never takes for a lab).
pub fn subcommand_names() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_keep_their_column_and_wrap_under_it() {
        let text = "About.\n\nOptions:\n      --lang <LANG>    The language of the content and of the messages, with a default taken from the environment\n  -h, --help           Print help\n";
        let out = layout(text, 60, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[3],
            "      --lang <LANG>    The language of the content and of"
        );
        assert!(lines[4].starts_with(&" ".repeat(23)) && !lines[4][23..].starts_with(' '));
        assert!(out.lines().all(|l| display_width(l) <= 60), "{out}");
        assert!(out.contains("  -h, --help           Print help\n"));
    }

    #[test]
    fn japanese_help_wraps_by_display_width() {
        let text = "オプション:\n      --lang <LANG>    メッセージとコンテンツの言語（en, ja）。省略時、メッセージは環境のロケール、コンテンツはソースロケール\n";
        for width in [60, 80] {
            let out = layout(text, width, false);
            assert!(out.lines().count() > 2, "{out}");
            for l in out.lines() {
                assert!(display_width(l) <= width, "{width}: {l}");
            }
        }
        // Too narrow for the column: the text goes under the option.
        let out = layout(text, 40, false);
        assert_eq!(out.lines().nth(1), Some("      --lang <LANG>"), "{out}");
        assert!(out.lines().all(|l| display_width(l) <= 40), "{out}");
    }
}
