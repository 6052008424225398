//! Sample output: the lines a page shows after a command, and whether what
//! the command really printed matches them.
//!
//! A sample is what one run printed; the next run differs in what is bound
//! to differ. So lines are compared after [`normalize`]:
//!
//! - **volatile tokens** match any value of their kind: timestamps
//!   (`2024-05-01T10:00:00Z`, `10:00:00`, `date`'s `Wed May  1 10:00:00 UTC
//!   2024`), UIDs, IPv4, IPv6 and MAC addresses, generated name suffixes
//!   (`ui-7d9f8b6c4-x2x9z`, `default-deny-4xq8s`, and the bare hash of
//!   `pod-template-hash=7d9f8b6c4`; Kubernetes draws them from an alphabet
//!   without vowels, so words are not mistaken for them), AWS resource ids
//!   (`sg-0a1b2c3d4e5f60718`, `eni-…`, `i-…`) and the generated part of an
//!   RDS endpoint (`db.c1x2y3z4a5b6.us-west-2.rds.amazonaws.com`), ages and
//!   durations (`5m`, `2d3h`, `350ms`, `1.5s`, `5002 milliseconds`) and
//!   resource versions (`resourceVersion: "4711"`);
//! - **whitespace** between words is one space however wide (tables
//!   realign their columns around longer values), and leading and trailing
//!   whitespace does not count; colours and carriage-return redraws are
//!   taken out of the output as a terminal would show it;
//! - a sample line `...` (or `…`) stands for any number of lines, none
//!   included;
//! - in a sample without `...`, the order of the lines does not count when
//!   the output has exactly the same lines: standard output and standard
//!   error reach the terminal in either order (`curl -w … ` prints its code
//!   and its error through the two).
//!
//! Trailing blank lines do not count on either side. Everything else is
//! compared as written.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::model::{Block, Page};
use crate::msg;

/// The rule of samples that cannot be matched.
pub const RULE: &str = "fence/unmatchable-sample";

/// Samples a run could not compare with what their commands print, in the
/// blocks that compare them (`verifyOutput=true`; every runnable block when
/// `every_block`, as `run --verify-output` does): lines before the first
/// command belong to none; a command sent to the background (`&`) prints
/// into whatever runs after it, so its sample and the later ones cannot be
/// told apart; and `raw=true` has no sample at all.
pub fn unmatchable(page: &Page, every_block: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for b in page.runnable_blocks() {
        if !(b.annotations.verify_output || every_block) {
            continue;
        }
        let finding =
            |line: u32, col: u32, m| crate::rules::finding(RULE, &page.file, line, col, m);
        if b.annotations.raw {
            if b.annotations.verify_output {
                let col = b.annotations.col("verifyOutput");
                out.push(finding(b.line, col, msg!("check-sample-raw")));
            }
            continue;
        }
        if let Some(k) = b.leading_output.iter().position(|l| !l.trim().is_empty())
            && !b.commands.is_empty()
        {
            out.push(finding(
                b.line + 1 + k as u32,
                1,
                msg!("check-sample-before-commands", line = b.commands[0].line),
            ));
        }
        if let Some((c, shown)) = background_with_samples(b) {
            out.push(finding(c, 1, msg!("check-sample-background", line = shown)));
        }
    }
    out
}

/// The first command that runs in the background, printing where the
/// block's output goes, while it or a later command of the block shows a
/// sample: (its line, the first such sample's line).
fn background_with_samples(b: &Block) -> Option<(u32, u32)> {
    let i = b.commands.iter().position(|c| {
        let code = crate::shell::strip_comments(&c.text);
        code.lines().any(|l| {
            let l = l.trim_end();
            l.ends_with('&') && !l.ends_with("&&") && !l.ends_with("|&") && !redirected(l)
        })
    })?;
    let shown = b.commands[i..]
        .iter()
        .find(|c| c.output.iter().any(|l| !l.trim().is_empty()))?;
    Some((b.commands[i].line, shown.output_line()))
}

/// Whether a command line sends both its output and its errors elsewhere
/// (`&>log`, `>log 2>&1`, `>/dev/null 2>err`).
fn redirected(line: &str) -> bool {
    let (mut out, mut err) = (false, false);
    for w in line.split_whitespace() {
        if w.starts_with("&>") || w.starts_with(">&") {
            return true;
        } else if w.starts_with("2>&1") {
            err = out;
        } else if w.starts_with("2>") {
            err = true;
        } else if w.starts_with('>') || w.starts_with("1>") {
            out = true;
        }
    }
    out && err
}

/// One line of a sample, as the comparison sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A line to match, with its page line.
    Line {
        line: u32,
        text: String,
        norm: String,
    },
    /// `...`: any number of lines.
    Elide { line: u32 },
}

/// The lines a page shows after a command (`first` is the page line of
/// the first), ready to compare.
pub fn items(lines: &[String], first: u32) -> Vec<Item> {
    let mut out: Vec<Item> = lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let line = first + i as u32;
            if is_elision(text) {
                Item::Elide { line }
            } else {
                Item::Line {
                    line,
                    text: text.clone(),
                    norm: normalize(text),
                }
            }
        })
        .collect();
    while matches!(out.last(), Some(Item::Line { norm, .. }) if norm.is_empty()) {
        out.pop();
    }
    out
}

/// Whether a sample line elides lines.
pub fn is_elision(line: &str) -> bool {
    matches!(line.trim(), "..." | "…")
}

/// One rule of [`normalize`]: what it finds and what it leaves instead.
struct Volatile {
    re: Regex,
    with: &'static str,
}

/// Kubernetes' alphabet for generated names (`SafeEncodeString`): no
/// vowels, no `0`, `1` or `3`, so that no word is spelt by chance.
const K8S: &str = "[bcdfghjklmnpqrstvwxz2456789]";

static VOLATILE: LazyLock<Vec<Volatile>> = LazyLock::new(|| {
    let v = |re: &str, with: &'static str| Volatile {
        re: Regex::new(re).expect("a valid pattern"),
        with,
    };
    let months = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec";
    vec![
        // Timestamps first: their digits would read as ages or addresses.
        v(
            r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}|\s?UTC)?)?\b",
            "⟨time⟩",
        ),
        v(
            &format!(
                r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? (?:\d{{1,2}} (?:{months})|(?:{months}) +\d{{1,2}}),? (?:\d{{4}} )?\d{{2}}:\d{{2}}:\d{{2}}(?: [A-Z]{{2,5}})?(?: \d{{4}})?\b"
            ),
            "⟨time⟩",
        ),
        // MAC addresses before times: `02:78:21:65:5e:ac` starts like one.
        v(r"\b[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5}\b", "⟨mac⟩"),
        v(r"\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b", "⟨time⟩"),
        v(
            r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b",
            "⟨uid⟩",
        ),
        v(r"\b\d{1,3}(?:\.\d{1,3}){3}\b", "⟨ip⟩"),
        v(
            r"\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}\b|::(?:[0-9a-fA-F]{1,4}:?)+\b",
            "⟨ip⟩",
        ),
        v(
            &format!(r"([A-Za-z0-9])-{K8S}{{6,10}}-{K8S}{{5}}\b"),
            "${1}-⟨id⟩",
        ),
        v(&format!(r"([A-Za-z0-9])-{K8S}{{8,10}}\b"), "${1}-⟨id⟩"),
        v(&format!(r"([A-Za-z0-9])-{K8S}{{5}}\b"), "${1}-⟨id⟩"),
        v(&format!(r"\b{K8S}{{8,10}}\b"), "⟨id⟩"),
        // AWS resource ids (`sg-0a1b2c3d4e5f60718`) and RDS endpoints.
        v(
            r"\b(sg|sgr|eni|i|vpc|vpce|subnet|rtb|igw|nat|eipalloc|eipassoc|vol|snap|ami|acl|pcx|tgw|lt)-(?:[0-9a-f]{17}|[0-9a-f]{8})\b",
            "${1}-⟨id⟩",
        ),
        v(
            r"\.[a-z0-9]{12}(\.[a-z]{2}(?:-[a-z]+)+-\d\.rds\.amazonaws\.com)\b",
            ".⟨id⟩${1}",
        ),
        v(r#"(resourceVersion"?\s*[:=]\s*"?)\d+"#, "${1}⟨version⟩"),
        v(
            r"\b\d+(?:\.\d+)?\s?(?:milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?)\b",
            "⟨time⟩",
        ),
        v(
            r"\b(?:\d+(?:\.\d+)?(?:ms|µs|us|ns|[smhdy])){1,4}\b",
            "⟨time⟩",
        ),
    ]
});

static ANSI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-B]").expect("valid"));

/// A line as it is compared: volatile tokens replaced by their kind,
/// whitespace runs made one space, ends trimmed.
pub fn normalize(line: &str) -> String {
    let mut s = line.to_owned();
    for v in VOLATILE.iter() {
        if v.re.is_match(&s) {
            s = v.re.replace_all(&s, v.with).into_owned();
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a command printed, as lines a terminal would show: colours out, a
/// carriage return redraws its line, trailing blank lines dropped.
pub fn output_lines(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut lines: Vec<String> = text
        .split('\n')
        .map(|l| {
            let l = ANSI.replace_all(l, "");
            let l = l.trim_end_matches('\r');
            l.rsplit('\r').next().unwrap_or("").to_owned()
        })
        .collect();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

/// Whether the output matches the sample. Lines between `...` items are
/// found leftmost, which is enough for a pattern of literal runs and
/// wildcards.
pub fn matches(sample: &[Item], output: &[String]) -> bool {
    let norm: Vec<String> = output.iter().map(|l| normalize(l)).collect();
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for item in sample {
        match item {
            Item::Elide { .. } => runs.push(Vec::new()),
            Item::Line { norm, .. } => runs.last_mut().expect("one run").push(norm),
        }
    }
    let same = |at: usize, run: &[&str]| {
        at + run.len() <= norm.len() && run.iter().zip(&norm[at..]).all(|(a, b)| a == b)
    };
    if runs.len() == 1 {
        if runs[0].len() != norm.len() {
            return false;
        }
        // A command's output and its errors reach the terminal through two
        // streams, in either order (kubectl exec copies them separately):
        // the same lines in another order are the same output.
        let mut want = runs[0].clone();
        let mut got: Vec<&str> = norm.iter().map(String::as_str).collect();
        want.sort_unstable();
        got.sort_unstable();
        return same(0, &runs[0]) || want == got;
    }
    let (first, rest) = runs.split_first().expect("runs");
    let (last, middle) = rest.split_last().expect("two runs at least");
    if !same(0, first) {
        return false;
    }
    let mut at = first.len();
    for run in middle {
        match (at..=norm.len()).find(|&i| same(i, run)) {
            Some(i) => at = i + run.len(),
            None => return false,
        }
    }
    norm.len() >= at + last.len() && same(norm.len() - last.len(), last)
}

/// A line of a diff between a sample and an output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffLine {
    /// `" "` (both agree), `"-"` (in the sample only), `"+"` (in the
    /// output only), `"..."` (lines the sample elides), `"~"` (diff lines
    /// left out).
    pub op: String,
    /// The sample's page line, for lines of the sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub text: String,
}

/// How far a diff shows agreeing lines around a difference.
const CONTEXT: usize = 1;
/// The longest diff a report shows.
pub const MAX_DIFF_LINES: usize = 24;
/// Sample × output cells the alignment may use; longer outputs are cut.
const MAX_CELLS: usize = 4_000_000;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Same(usize, usize),
    Elided(usize, usize),
    Sample(usize),
    Output(usize),
}

/// The differences between a sample and an output that do not match: the
/// alignment with the fewest lines only on one side (a `...` takes any
/// number of output lines for free), shown as hunks with one line of
/// context, at most [`MAX_DIFF_LINES`] lines.
pub fn diff(sample: &[Item], output: &[String]) -> Vec<DiffLine> {
    let n = sample.len();
    let m = output
        .len()
        .min(MAX_CELLS / (n + 1))
        .max(1)
        .min(output.len());
    let out_norm: Vec<String> = output[..m].iter().map(|l| normalize(l)).collect();
    let w = m + 1;
    // cost[i][j]: the cheapest alignment of sample[i..] with output[j..m].
    let mut cost = vec![0u32; (n + 1) * w];
    for j in (0..m).rev() {
        cost[n * w + j] = cost[n * w + j + 1] + 1;
    }
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let skip_out = if j < m {
                cost[i * w + j + 1] + 1
            } else {
                u32::MAX
            };
            cost[i * w + j] = match &sample[i] {
                Item::Elide { .. } => {
                    let take = if j < m { cost[i * w + j + 1] } else { u32::MAX };
                    cost[(i + 1) * w + j].min(take)
                }
                Item::Line { norm, .. } => {
                    let same = if j < m && *norm == out_norm[j] {
                        cost[(i + 1) * w + j + 1]
                    } else {
                        u32::MAX
                    };
                    same.min(cost[(i + 1) * w + j] + 1).min(skip_out)
                }
            };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        let here = cost[i * w + j];
        if i == n {
            ops.push(Op::Output(j));
            j += 1;
            continue;
        }
        match &sample[i] {
            Item::Elide { .. } => {
                if j < m && cost[i * w + j + 1] == here {
                    ops.push(Op::Elided(i, j));
                    j += 1;
                } else {
                    i += 1;
                }
            }
            Item::Line { norm, .. } => {
                if j < m && *norm == out_norm[j] && cost[(i + 1) * w + j + 1] == here {
                    ops.push(Op::Same(i, j));
                    i += 1;
                    j += 1;
                } else if cost[(i + 1) * w + j] + 1 == here {
                    ops.push(Op::Sample(i));
                    i += 1;
                } else {
                    ops.push(Op::Output(j));
                    j += 1;
                }
            }
        }
    }
    let mut lines = render(sample, output, &ops);
    if m < output.len() {
        lines.push(DiffLine {
            op: "~".into(),
            line: None,
            text: format!("{}", output.len() - m),
        });
    }
    lines
}

fn render(sample: &[Item], output: &[String], ops: &[Op]) -> Vec<DiffLine> {
    // The output lines one `...` takes are one line of the diff.
    let mut units: Vec<(Op, usize)> = Vec::new();
    for op in ops {
        match (units.last_mut(), op) {
            (Some((Op::Elided(a, _), n)), Op::Elided(b, _)) if a == b => *n += 1,
            _ => units.push((*op, 1)),
        }
    }
    let changed = |op: &Op| matches!(op, Op::Sample(_) | Op::Output(_));
    // Which units to show: the changes and their context.
    let mut show = vec![false; units.len()];
    for (k, (op, _)) in units.iter().enumerate() {
        if changed(op) {
            let from = k.saturating_sub(CONTEXT);
            let to = (k + CONTEXT + 1).min(units.len());
            show[from..to].iter_mut().for_each(|s| *s = true);
        }
    }
    let line_of = |i: usize| match &sample[i] {
        Item::Line { line, .. } | Item::Elide { line } => *line,
    };
    let mut out: Vec<DiffLine> = Vec::new();
    let mut k = 0;
    while k < units.len() {
        if !show[k] {
            let from = k;
            let mut lines = 0;
            while k < units.len() && !show[k] {
                lines += units[k].1;
                k += 1;
            }
            if from > 0 || k < units.len() {
                out.push(DiffLine {
                    op: "~".into(),
                    line: None,
                    text: format!("{lines}"),
                });
            }
            continue;
        }
        let (op, n) = units[k];
        out.push(match op {
            Op::Same(i, j) => DiffLine {
                op: " ".into(),
                line: Some(line_of(i)),
                text: output[j].clone(),
            },
            Op::Elided(i, _) => DiffLine {
                op: "...".into(),
                line: Some(line_of(i)),
                text: format!("{n}"),
            },
            Op::Sample(i) => DiffLine {
                op: "-".into(),
                line: Some(line_of(i)),
                text: match &sample[i] {
                    Item::Line { text, .. } => text.clone(),
                    Item::Elide { .. } => "...".into(),
                },
            },
            Op::Output(j) => DiffLine {
                op: "+".into(),
                line: None,
                text: output[j].clone(),
            },
        });
        k += 1;
    }
    if out.len() > MAX_DIFF_LINES {
        let rest = out.len() - MAX_DIFF_LINES;
        out.truncate(MAX_DIFF_LINES);
        out.push(DiffLine {
            op: "~".into(),
            line: None,
            text: format!("{rest}"),
        });
    }
    out
}

/// The page line of the first sample line the diff shows as missing or
/// different, else of the sample's first line.
pub fn first_difference(diff: &[DiffLine], sample: &[Item]) -> Option<u32> {
    diff.iter()
        .find(|d| d.op == "-")
        .and_then(|d| d.line)
        .or_else(|| {
            // Only extra output: name the sample line just before it.
            let mut last = None;
            for d in diff {
                if d.op == "+" {
                    return last.or_else(|| sample.first().map(item_line));
                }
                if d.line.is_some() {
                    last = d.line;
                }
            }
            None
        })
        .or_else(|| sample.first().map(item_line))
}

fn item_line(item: &Item) -> u32 {
    match item {
        Item::Line { line, .. } | Item::Elide { line } => *line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(text: &str) -> Vec<Item> {
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        items(&lines, 10)
    }

    fn out(text: &str) -> Vec<String> {
        output_lines(text.as_bytes())
    }

    #[test]
    fn kubectl_tables_match_with_other_names_ages_and_widths() {
        let s = sample(
            "NAME                       READY   STATUS    RESTARTS   AGE   LABELS\n\
             catalog-5c8f7d9b6d-q7lzt   2/2     Running   0          31m   app.kubernetes.io/name=catalog,pod-template-hash=5c8f7d9b6d\n",
        );
        let o = out(
            "NAME                        READY   STATUS    RESTARTS   AGE   LABELS\n\
             catalog-7f9c6b8d54-x2x9z    2/2     Running   0          2d3h  app.kubernetes.io/name=catalog,pod-template-hash=7f9c6b8d54\n",
        );
        assert!(matches(&s, &o));
        // A value that is not volatile must be the same.
        let o = out(
            "NAME                        READY   STATUS    RESTARTS   AGE   LABELS\n\
             catalog-7f9c6b8d54-x2x9z    1/2     Running   0          5s    app.kubernetes.io/name=catalog,pod-template-hash=7f9c6b8d54\n",
        );
        assert!(!matches(&s, &o));
        let d = diff(&s, &o);
        assert_eq!(
            d.iter().map(|l| l.op.as_str()).collect::<Vec<_>>(),
            [" ", "-", "+"]
        );
        assert_eq!(d[1].line, Some(11));
        assert_eq!(first_difference(&d, &s), Some(11));
    }

    #[test]
    fn network_policy_listings_and_endpoints() {
        let s = sample(
            "NAME                  AGE\ndefault-deny-4xq8s    15m\norders-egress-k2v9d   2m\n",
        );
        let o =
            out("NAME                  AGE\ndefault-deny-bz7gq    3s\norders-egress-w8tfc   0s\n");
        assert!(matches(&s, &o));
        // Words are not mistaken for generated suffixes.
        assert_eq!(normalize("orders-ingress   9m"), "orders-ingress ⟨time⟩");
        assert_eq!(normalize("catalog-api"), "catalog-api");
        assert!(!matches(
            &sample("orders-ingress\n"),
            &out("orders-egress\n")
        ));
    }

    #[test]
    fn output_and_errors_may_interleave_either_way() {
        // `curl -w '%{http_code}'` prints `000` on stdout, its error on
        // stderr; kubectl exec copies the two streams on their own.
        let s = sample(
            "000\ncurl: (28) Connection timed out after 5002 milliseconds\ncommand terminated with exit code 28\n",
        );
        assert!(matches(
            &s,
            &out(
                "curl: (28) Connection timed out after 5001 milliseconds\n000\ncommand terminated with exit code 28\n"
            )
        ));
        // The same lines, not others, and not fewer.
        assert!(!matches(
            &s,
            &out(
                "curl: (28) Connection timed out after 5001 milliseconds\n200\ncommand terminated with exit code 28\n"
            )
        ));
        assert!(!matches(
            &s,
            &out("000\ncommand terminated with exit code 28\n")
        ));
    }

    #[test]
    fn curl_errors_match_with_other_addresses_and_timings() {
        let s = sample(
            "curl: (28) Connection timed out after 5002 milliseconds\ncommand terminated with exit code 28\n",
        );
        assert!(matches(
            &s,
            &out(
                "curl: (28) Connection timed out after 5001 milliseconds\ncommand terminated with exit code 28\n"
            )
        ));
        // Another failure is another failure.
        assert!(!matches(
            &s,
            &out(
                "curl: (28) Resolving timed out after 5000 milliseconds\ncommand terminated with exit code 28\n"
            )
        ));
        let s = sample(
            "curl: (7) Failed to connect to 10.42.147.63 port 8080 after 3 ms: Couldn't connect to server\n",
        );
        assert!(matches(
            &s,
            &out(
                "curl: (7) Failed to connect to 10.100.0.12 port 8080 after 1 ms: Couldn't connect to server\n"
            )
        ));
        assert!(!matches(
            &s,
            &out(
                "curl: (7) Failed to connect to 10.100.0.12 port 80 after 1 ms: Couldn't connect to server\n"
            )
        ));
    }

    #[test]
    fn json_with_volatile_metadata_and_an_elision() {
        let s = sample(
            r#"{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "creationTimestamp": "2024-05-01T10:00:00Z",
...
        "resourceVersion": "4711",
        "uid": "0b5a2f6e-3c1d-4e8f-9a7b-6c5d4e3f2a1b"
    },
...
    "status": {
        "podIP": "10.42.0.7"
    }
}"#,
        );
        let o = out(r#"{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {
    "creationTimestamp": "2025-01-31T23:59:59Z",
    "labels": {
      "app": "ui"
    },
    "name": "ui-6d4f9b7c8d-p2k5m",
    "resourceVersion": "918273",
    "uid": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
  },
  "spec": {},
  "status": {
    "podIP": "fd00:10:244::7"
  }
}
"#);
        assert!(matches(&s, &o));
        let bad = out(r#"{
  "apiVersion": "v1",
  "kind": "Service"
}"#);
        assert!(!matches(&s, &bad));
        let d = diff(&s, &bad);
        // The cheapest alignment: the sample's lines are missing, and the
        // first `...` takes the Service line for free.
        assert!(
            d.iter().any(|l| l.op == "-" && l.text.contains("\"Pod\"")),
            "{d:?}"
        );
        assert_eq!(first_difference(&d, &s), Some(12));
    }

    #[test]
    fn elisions_take_any_number_of_lines_even_none() {
        let s = sample("first\n...\nlast\n");
        assert!(matches(&s, &out("first\nlast\n")));
        assert!(matches(&s, &out("first\na\nb\nlast\n")));
        assert!(!matches(&s, &out("first\na\n")));
        assert!(!matches(&s, &out("zero\nfirst\nlast\n")));
        assert!(matches(&sample("...\nlast\n"), &out("a\nb\nlast\n")));
        assert!(matches(&sample("first\n…\n"), &out("first\nrest\n")));
        // Trailing blank lines do not count, inner ones do.
        assert!(matches(&sample("a\n\n"), &out("a\n\n\n")));
        assert!(!matches(&sample("a\n\nb\n"), &out("a\nb\n")));
        // Without an elision, extra lines are a difference.
        let s = sample("a\nb\n");
        let o = out("a\nb\nc\n");
        assert!(!matches(&s, &o));
        let d = diff(&s, &o);
        assert_eq!(
            d,
            [
                DiffLine {
                    op: "~".into(),
                    line: None,
                    text: "1".into()
                },
                DiffLine {
                    op: " ".into(),
                    line: Some(11),
                    text: "b".into()
                },
                DiffLine {
                    op: "+".into(),
                    line: None,
                    text: "c".into()
                }
            ]
        );
        assert_eq!(first_difference(&d, &s), Some(11));
    }

    #[test]
    fn long_diffs_are_cut_and_elided_runs_are_one_line() {
        let s = sample("head\n...\ntail\n");
        let body: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let o = out(&format!("head\n{body}TAIL\n"));
        let d = diff(&s, &o);
        // `...` takes the hundred lines and `TAIL` for free: one line says
        // so, and `tail` is missing.
        assert_eq!(d.len(), 3, "{d:?}");
        assert_eq!((d[1].op.as_str(), d[1].text.as_str()), ("...", "101"));
        assert_eq!((d[2].op.as_str(), d[2].line), ("-", Some(12)));
        let s = sample(
            "head
tail
",
        );
        let d = diff(&s, &o);
        assert!(d.len() <= MAX_DIFF_LINES + 1, "{d:?}");
        assert_eq!(d.last().unwrap().op, "~");
    }

    #[test]
    fn samples_a_run_cannot_match_are_found() {
        let page = |md: &str| {
            crate::markdown::parse_page(std::path::Path::new("p.md"), "p.md", "en", md.as_bytes())
        };
        let p = page(
            "# T\n\n```bash verifyOutput=true\nNAME\n$ kubectl get pods\nNAME\n```\n\n```bash verifyOutput=true\n$ kubectl port-forward svc/ui 8080:80 &\n$ curl -s localhost:8080\nok\n```\n\n```bash raw=true verifyOutput=true\necho hi\n```\n\n```bash\nNAME\n$ true\n```\n",
        );
        let found: Vec<(u32, u32)> = unmatchable(&p, false)
            .iter()
            .map(|d| (d.line, d.col))
            .collect();
        assert_eq!(found, [(4, 1), (10, 1), (15, 18)]);
        assert!(unmatchable(&p, false).iter().all(|d| d.rule == RULE));
        // `run --verify-output` looks at every block; a raw block without
        // the annotation simply has nothing to compare.
        let all: Vec<u32> = unmatchable(&p, true).iter().map(|d| d.line).collect();
        assert_eq!(all, [4, 10, 15, 20]);
        // A background job whose output nobody shows is harmless, and `&&`
        // is not a background job.
        let p = page(
            "# T\n\n```bash verifyOutput=true\n$ sleep 1 &\n$ true && echo a\n```\n\n```bash verifyOutput=true\n$ true &&\n  echo a\na\n```\n\n```bash verifyOutput=true\n$ kubectl port-forward svc/ui 8080:80 >pf.log 2>&1 &\n$ kubectl logs x &>/dev/null &\n$ curl -s localhost:8080\nok\n```\n",
        );
        assert!(
            unmatchable(&p, false).is_empty(),
            "{:?}",
            unmatchable(&p, false)
        );
        assert!(
            !redirected("pf 2>&1 >log &"),
            "2>&1 first goes to the output"
        );
        assert!(!redirected("pf >log &"));
    }

    #[test]
    fn terminals_and_timestamps() {
        assert_eq!(
            output_lines(b"\x1b[32mok\x1b[0m\r\n10%\r50%\r100%\n\n"),
            ["ok", "100%"]
        );
        assert_eq!(
            normalize("Wed May  1 10:00:00 UTC 2024"),
            normalize("Thu Jan 30 23:01:02 UTC 2025")
        );
        assert_eq!(normalize("at 2024-05-01 10:00:00 UTC"), "at ⟨time⟩");
        assert_eq!(normalize("took 1.5s, 350ms"), "took ⟨time⟩, ⟨time⟩");
        assert_eq!(normalize("k8s v1.30"), "k8s v1.30");
        assert_eq!(
            normalize("replicaset.apps/ui-7d9f8b6c4"),
            "replicaset.apps/ui-⟨id⟩"
        );
        assert_eq!(
            normalize(
                "labrun-catalog.c1x2y3z4a5b6.us-west-2.rds.amazonaws.com sg-0a1b2c3d4e5f60718 eni-8c9dc61d"
            ),
            "labrun-catalog.⟨id⟩.us-west-2.rds.amazonaws.com sg-⟨id⟩ eni-⟨id⟩"
        );
        assert_eq!(normalize("sg-rules i-am-here"), "sg-rules i-am-here");
        assert_eq!(
            normalize("02:78:21:65:5e:ac"),
            normalize("02:8a:3b:4c:5d:6e")
        );
        assert_eq!(normalize("  a \t  b  "), "a b");
    }
}
