//! A block as a terminal shows it: the script that runs it, and its output
//! split back into each command's share.
//!
//! # The script
//!
//! The session sources a block's script as a file named after the page
//! (`content/en/lab/index.md`, see [`super::session`]), and each command
//! sits on its own page line. So bash's own diagnostics name the page and
//! the line of the command, as `content/en/lab/index.md: line 7: greet:
//! command not found`, where a script handed over any other way would read
//! `/proc/21419/fd/12: line 2`.
//!
//! Line 1 of the file (a fence is never on a page's first line after the
//! `$` lines it opens) undoes the session's preparations. Before each
//! command, on the command's own first line, a group of labrun's statements
//! (their trace and errors go to `/dev/null`, so `set -x` shows only the
//! page's commands) checks the previous command's status, writes the
//! command to the log as a terminal shows it (`$ kubectl get pods`), notes
//! where in the log the command's output starts, and announces the command
//! on the control pipe. `$_` survives the group, so `mkdir -p x` then
//! `cd $_` works as typed.
//!
//! # Where each command's output is
//!
//! The command line is written through a file descriptor of its own, opened
//! on the log in append mode by the block's shell and used by nothing else;
//! its position after the write, read from `/proc/self/fdinfo`, is exactly
//! where the command line ends and its output begins, whatever else writes
//! to the log. [`split`] cuts a block's output at those offsets. Output a
//! background job of an earlier command writes lands wherever it lands in
//! time, as on a terminal.

use std::collections::BTreeMap;

use crate::model::Block;

use super::state::quote;

/// A command as the subshell announced it: its page line and, when the
/// system could tell, the log offset where its output begins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandStart {
    pub line: u32,
    pub output_at: Option<u64>,
}

/// A block, ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockScript {
    /// The script the session sources, one line per page line.
    pub text: String,
    /// Each command's page line, the text that runs (`VAR::` values
    /// substituted), and the lines the log shows for it.
    pub commands: Vec<ScriptCommand>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScriptCommand {
    pub line: u32,
    pub text: String,
    /// `$ first line\n  next line\n`: what the log shows before the output.
    pub echo: String,
}

/// Undoes what the session's job line did before sourcing the script: back
/// to the block's directory (and `OLDPWD`).
const RESTORE: &str = "{ if [[ -n ${__lr_moved-} ]]; then builtin cd -- \"$__lr_pwd\" || builtin exit 1; if [[ -n ${__lr_opwd+set} ]]; then OLDPWD=$__lr_opwd; else builtin unset -v OLDPWD; fi; fi";
/// Ends the first group: its trace and errors are not the page's; tracing
/// goes back on if the page had it on.
const RESTORED: &str = "; } 2>&\"$__lr_null\"; [[ $__lr_x != *x* ]] || builtin set -x";

/// The script's first `lines` lines: [`RESTORE`] and [`RESTORED`], joined
/// by backslash-newlines. bash counts each as a line but reads them as one
/// command, about three times faster than as many empty lines: a block far
/// down a long page would otherwise pay for every line above it.
fn first_lines(lines: u32) -> String {
    if lines <= 1 {
        return format!("{RESTORE}{RESTORED}\n");
    }
    let mut s = format!("{RESTORE}; : \\\n");
    for _ in 2..lines {
        s.push_str("\\\n");
    }
    s.push_str(RESTORED);
    s.push('\n');
    s
}

/// The terminal's view of a command: `$ ` before its first line, two
/// spaces before the others (continuations, heredoc bodies).
pub fn echo(text: &str) -> String {
    let mut out = String::new();
    for (i, l) in text.split('\n').enumerate() {
        out.push_str(if i == 0 { "$ " } else { "  " });
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// The statements before command `c`: check the previous one (unless the
/// block is `raw`), show the command in the log, note the offset, announce.
fn prefix(previous: Option<u32>, c: &ScriptCommand) -> String {
    let mut s = String::from("{ __lr_rc=$? __lr_u=$_; ");
    if let Some(prev) = previous {
        s.push_str(&check(prev));
        s.push_str("; ");
    }
    s.push_str(&format!(
        "builtin printf '%s' {} >&\"$__lr_cap\" || :; __lr_at=; IFS=$' \\t' builtin read -r __lr_k __lr_at </proc/self/fdinfo/\"$__lr_cap\" || :; builtin printf 'cmd\\0%s\\0%s\\0' {} \"$__lr_at\" >&3; builtin : \"$__lr_u\"; }} 2>&\"$__lr_null\"; ",
        quote(&c.echo),
        c.line
    ));
    s
}

/// Ends the block at the command on `line` if it failed.
fn check(line: u32) -> String {
    format!("[[ $__lr_rc == 0 ]] || __lr_end \"$__lr_rc\" {line}")
}

/// The script of a block. Each command starts on its page line; the first
/// that fails ends the block, as a careful person would stop, and reports
/// its line. `raw=true` runs the text as it is and only its status counts.
pub fn block_script(block: &Block, vars: &BTreeMap<String, String>) -> BlockScript {
    let commands: Vec<ScriptCommand> = block
        .commands
        .iter()
        .map(|c| {
            let text = crate::config::substitute_vars(&c.text, vars);
            ScriptCommand {
                line: c.line,
                echo: echo(&text),
                text,
            }
        })
        .collect();
    let first = commands.first().map_or(2, |c| c.line.max(2));
    let mut out = first_lines(first - 1);
    let mut at = first;
    let mut previous = None;
    for c in &commands {
        // Commands come in page order; a value substituted with a newline
        // in it pushes the rest down, which costs exact lines, nothing else.
        while at < c.line {
            out.push('\n');
            at += 1;
        }
        out.push_str(&prefix(previous, c));
        out.push_str(&c.text);
        out.push('\n');
        at += c.text.split('\n').count() as u32;
        if !block.annotations.raw {
            previous = Some(c.line);
        }
    }
    if let Some(last) = previous {
        out.push_str(&format!(
            "{{ __lr_rc=$?; {}; }} 2>&\"$__lr_null\"\n",
            check(last)
        ));
    }
    BlockScript {
        text: out,
        commands,
    }
}

/// A script of labrun's own (the cleanup) in the form the session runs.
pub fn plain_script(text: &str) -> String {
    format!("{}{text}", first_lines(1))
}

/// One command's output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandOutput {
    pub line: u32,
    pub bytes: Vec<u8>,
}

/// What a block printed, in the log from `start` on (`bytes`), cut at the
/// commands' offsets. The result: what came before the first command (a
/// background job of an earlier block), then each command that started,
/// with its output and without the `$ ` lines. When an offset is unknown
/// (no `/proc`), that command's output stays with the one before it.
pub fn split(
    bytes: &[u8],
    start: u64,
    script: &BlockScript,
    started: &[CommandStart],
) -> (Vec<u8>, Vec<CommandOutput>) {
    let end = start + bytes.len() as u64;
    let slice = |from: u64, to: u64| -> Vec<u8> {
        let a = from.clamp(start, end) - start;
        let b = to.clamp(start, end) - start;
        if a < b {
            bytes[a as usize..b as usize].to_vec()
        } else {
            Vec::new()
        }
    };
    // (line, where its `$ ` line starts, where its output starts)
    let mut cuts: Vec<(u32, u64, u64)> = Vec::new();
    for s in started {
        let Some(at) = s.output_at.filter(|at| (start..=end).contains(at)) else {
            continue;
        };
        let echo_len = script
            .commands
            .iter()
            .find(|c| c.line == s.line)
            .map_or(0, |c| c.echo.len() as u64);
        cuts.push((s.line, at.saturating_sub(echo_len).max(start), at));
    }
    let before = slice(start, cuts.first().map_or(end, |c| c.1));
    let mut outputs = Vec::new();
    for (i, (line, _, from)) in cuts.iter().enumerate() {
        let to = cuts.get(i + 1).map_or(end, |c| c.1);
        outputs.push(CommandOutput {
            line: *line,
            bytes: slice(*from, to),
        });
    }
    if cuts.is_empty() {
        // Nothing to cut at: the whole output, `$ ` lines removed by text.
        let text = String::from_utf8_lossy(bytes);
        let mut rest = String::new();
        let mut echoes: Vec<&str> = script
            .commands
            .iter()
            .flat_map(|c| c.echo.lines())
            .collect();
        echoes.reverse();
        for l in text.split_inclusive('\n') {
            if echoes
                .last()
                .is_some_and(|e| l.trim_end_matches('\n') == *e)
            {
                echoes.pop();
            } else {
                rest.push_str(l);
            }
        }
        return (rest.into_bytes(), Vec::new());
    }
    (before, outputs)
}

/// Everything the commands printed, without their `$ ` lines.
pub fn joined(before: &[u8], outputs: &[CommandOutput]) -> Vec<u8> {
    let mut all = before.to_vec();
    for o in outputs {
        all.extend_from_slice(&o.bytes);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use std::path::Path;

    fn block(text: &str) -> Block {
        let page = parse_page(Path::new("p.md"), "p.md", "en", text.as_bytes());
        page.blocks[0].clone()
    }

    #[test]
    fn commands_sit_on_their_page_lines() {
        let b = block(
            "# T\n\n```bash\n$ echo one\none\n$ kubectl get pods \\\n  -n ui \\\n  -o wide\n$ echo VAR::X\n```\n",
        );
        let vars = BTreeMap::from([("X".to_owned(), "ex".to_owned())]);
        let s = block_script(&b, &vars);
        let lines: Vec<&str> = s.text.lines().collect();
        assert!(lines[0].starts_with("{ if [[ -n ${__lr_moved-} ]]"));
        // Lines before the first command: one command, backslash-joined.
        assert!(lines[0].ends_with("; : \\"), "{}", lines[0]);
        assert_eq!(lines[1], "\\");
        assert!(
            lines[2].starts_with("; } 2>&\"$__lr_null\"; [[ $__lr_x"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].ends_with("} 2>&\"$__lr_null\"; echo one"),
            "{}",
            lines[3]
        );
        assert_eq!(lines[4], "", "sample output is not run");
        assert!(lines[5].ends_with("; kubectl get pods \\"));
        assert_eq!(lines[6], "  -n ui \\");
        assert!(lines[8].ends_with("; echo ex"), "{}", lines[8]);
        assert!(lines[8].contains("__lr_end \"$__lr_rc\" 6"), "{}", lines[8]);
        assert!(lines[9].contains("__lr_end \"$__lr_rc\" 9"), "{}", lines[9]);
        assert_eq!(
            s.commands[1].echo,
            "$ kubectl get pods \\\n    -n ui \\\n    -o wide\n"
        );
        assert_eq!(s.commands[2].text, "echo ex");
    }

    #[test]
    fn raw_blocks_are_not_checked_per_command() {
        let b = block("# T\n\n```bash raw=true\nfalse\ntrue\n```\n");
        let s = block_script(&b, &BTreeMap::new());
        assert!(!s.text.contains("__lr_end"), "{}", s.text);
    }

    fn script(lines: &[(u32, &str)]) -> BlockScript {
        BlockScript {
            text: String::new(),
            commands: lines
                .iter()
                .map(|(l, t)| ScriptCommand {
                    line: *l,
                    text: (*t).to_owned(),
                    echo: echo(t),
                })
                .collect(),
        }
    }

    #[test]
    fn output_splits_at_the_offsets() {
        let s = script(&[(5, "echo a"), (6, "echo $ echo b"), (7, "echo b")]);
        // A background job's line, then each command and its output; the
        // second command prints the third one's `$ ` line itself.
        let log = "bg\n$ echo a\na\n$ echo $ echo b\n$ echo b\n$ echo b\nb\n";
        let start = 100;
        let at = |needle: &str, nth: usize| {
            let mut from = 0;
            for _ in 0..nth {
                from += log[from..].find(needle).unwrap() + needle.len();
            }
            start + from as u64
        };
        let started = [
            CommandStart {
                line: 5,
                output_at: Some(at("$ echo a\n", 1)),
            },
            CommandStart {
                line: 6,
                output_at: Some(at("$ echo $ echo b\n", 1)),
            },
            CommandStart {
                line: 7,
                output_at: Some(at("$ echo b\n", 3)),
            },
        ];
        let (before, outs) = split(log.as_bytes(), start, &s, &started);
        assert_eq!(before, b"bg\n");
        let texts: Vec<(u32, String)> = outs
            .iter()
            .map(|o| (o.line, String::from_utf8(o.bytes.clone()).unwrap()))
            .collect();
        assert_eq!(
            texts,
            [
                (5, "a\n".to_owned()),
                (6, "$ echo b\n".to_owned()),
                (7, "b\n".to_owned())
            ]
        );
        assert_eq!(joined(&before, &outs), b"bg\na\n$ echo b\nb\n");
    }

    #[test]
    fn without_offsets_the_command_lines_are_removed_by_text() {
        let s = script(&[(5, "echo a"), (6, "echo b")]);
        let log = "$ echo a\na\n$ echo b\nb\n";
        let started = [
            CommandStart {
                line: 5,
                output_at: None,
            },
            CommandStart {
                line: 6,
                output_at: None,
            },
        ];
        let (all, outs) = split(log.as_bytes(), 0, &s, &started);
        assert_eq!(all, b"a\nb\n");
        assert!(outs.is_empty());
    }
}
