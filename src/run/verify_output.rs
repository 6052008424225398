//! `verifyOutput=true` and `run --verify-output`: each command that ran and
//! whose sample the page shows is compared with what it printed
//! ([`crate::sample`] decides what matches). A command the page shows no
//! output for is not compared: the page does not say what it prints.

use serde::{Deserialize, Serialize};

use crate::model::Block;
use crate::sample::{self, DiffLine};
use crate::t;

use super::transcript::CommandOutput;

/// A command whose output does not match its sample.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutputMismatch {
    /// The page line of the command.
    pub command_line: u32,
    /// The page line of the first sample line that differs.
    pub sample_line: u32,
    /// The differences, with a line of context around each.
    pub diff: Vec<DiffLine>,
}

/// The first command whose output does not match its sample, if any.
/// `outputs` are the commands that ran, each with its own output; without
/// them (no offsets), `all` is the block's output and the samples are
/// compared together, an unshown command's output taken by an implicit
/// `...`.
pub fn check(block: &Block, outputs: &[CommandOutput], all: &[u8]) -> Option<OutputMismatch> {
    if outputs.is_empty() {
        return check_joined(block, all);
    }
    for o in outputs {
        let Some(c) = block.commands.iter().find(|c| c.line == o.line) else {
            continue;
        };
        if c.output.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        let items = sample::items(&c.output, c.output_line());
        let lines = sample::output_lines(&o.bytes);
        if !sample::matches(&items, &lines) {
            let diff = sample::diff(&items, &lines);
            return Some(OutputMismatch {
                command_line: c.line,
                sample_line: sample::first_difference(&diff, &items).unwrap_or(c.line),
                diff,
            });
        }
    }
    None
}

fn check_joined(block: &Block, all: &[u8]) -> Option<OutputMismatch> {
    let mut items = Vec::new();
    let mut any = false;
    for c in &block.commands {
        let shown = c.output.iter().any(|l| !l.trim().is_empty());
        if shown {
            any = true;
            items.extend(sample::items(&c.output, c.output_line()));
        } else {
            items.push(sample::Item::Elide { line: c.line });
        }
    }
    if !any {
        return None;
    }
    let lines = sample::output_lines(all);
    if sample::matches(&items, &lines) {
        return None;
    }
    let diff = sample::diff(&items, &lines);
    let first = block.commands.first().map_or(block.line, |c| c.line);
    Some(OutputMismatch {
        command_line: first,
        sample_line: sample::first_difference(&diff, &items).unwrap_or(first),
        diff,
    })
}

/// The diff for people: the sample's page line, `-` for the sample, `+`
/// for the output, `...` for lines an elision took, and how many lines
/// agree where none are shown.
pub fn diff_text(diff: &[DiffLine]) -> Vec<String> {
    diff.iter()
        .map(|d| {
            let line = d.line.map_or(String::new(), |l| l.to_string());
            let count = d.text.parse::<usize>().unwrap_or(0);
            match d.op.as_str() {
                "~" => format!("{:>5}   {}", "", t!("run-diff-hidden", count = count)),
                "..." => format!("{line:>5} ... {}", t!("run-diff-elided", count = count)),
                op => format!("{line:>5} {op} {}", d.text),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use std::path::Path;

    fn block(md: &str) -> Block {
        parse_page(Path::new("p.md"), "p.md", "en", md.as_bytes()).blocks[0].clone()
    }

    const PAGE: &str = "# T\n\n```bash verifyOutput=true\n$ export X=1\n$ echo $X\n1\n$ kubectl get ns\nNAME      STATUS   AGE\n...\n```\n";

    fn out(line: u32, text: &str) -> CommandOutput {
        CommandOutput {
            line,
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn each_command_is_held_to_its_own_sample() {
        let b = block(PAGE);
        let good = [
            out(4, ""),
            out(5, "1\n"),
            out(7, "NAME      STATUS   AGE\ndefault   Active   5d\n"),
        ];
        assert_eq!(check(&b, &good, b""), None);
        // The unshown command may print anything.
        let chatty = [out(4, "exported\n"), good[1].clone(), good[2].clone()];
        assert_eq!(check(&b, &chatty, b""), None);
        let bad = [good[0].clone(), out(5, "2\n"), good[2].clone()];
        let m = check(&b, &bad, b"").unwrap();
        assert_eq!((m.command_line, m.sample_line), (5, 6));
        let text = diff_text(&m.diff);
        assert_eq!(text, ["    6 - 1", "      + 2"]);
        // A command that did not run (the block ended before it) is not
        // compared.
        assert_eq!(check(&b, &good[..2], b""), None);
    }

    #[test]
    fn without_offsets_the_samples_are_compared_together() {
        let b = block(PAGE);
        assert_eq!(
            check(
                &b,
                &[],
                b"exported\n1\nNAME  STATUS  AGE\nkube-system   Active   5d\n"
            ),
            None
        );
        let m = check(&b, &[], b"1\nNAMES\n").unwrap();
        assert_eq!(m.sample_line, 8);
    }
}
