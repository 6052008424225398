//! Whether a translation still runs the same lab as its source page.
//!
//! What runs is compared; prose and its containers may differ (a translator
//! may fold an `:::info` box into the `:::tip` above it). Compared, in this
//! order: the `bash` blocks, their commands (comments removed, since
//! translators translate them; a `#` inside quotes is not a comment) and
//! annotations (display-only keys such as `title=` may be translated and are
//! ignored; `hook=` is not), the sample output of blocks marked
//! `verifyOutput=true` (as the run compares it: volatile tokens and
//! whitespace do not count, see [`crate::sample`]), leaf directives and their attributes
//! (`::yaml{file paths}`: what the reader is shown of a manifest), the
//! number of `::yaml` callouts, and the ordering keys of the front matter.
//! Code blocks of other languages and container directives are not
//! compared.
//!
//! Each difference names a line in both files: where an item is on one
//! side only, the other side's line is where it would be, just after the
//! nearest item before it that both sides have (blocks and directives
//! together).
//!
//! Sequences are aligned with a diff over exact keys first; where the diff
//! finds a changed region, items are paired by similarity so that one edited
//! block reads as "changed" rather than "removed here, added there".

use std::collections::HashSet;
use std::hash::Hash;

use serde::Serialize;
use similar::{Algorithm, DiffOp};

use crate::i18n::Msg;
use crate::model::{AnnotationKind, Block, Directive, DirectiveKind, Page};
use crate::msg;
use crate::shell;

/// What differs between a source page and its translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiffKind {
    BlockOnlyInSource,
    BlockOnlyInTranslation,
    LanguageChanged,
    AnnotationChanged,
    CommandChanged,
    CommandOnlyInSource,
    CommandOnlyInTranslation,
    /// A command lost its `$ ` prompt on one side and is shown as output there.
    PromptMissing,
    /// With `verifyOutput=true`, the sample after a command differs.
    SampleChanged,
    DirectiveOnlyInSource,
    DirectiveOnlyInTranslation,
    DirectiveChanged,
    CalloutsChanged,
    OrderingChanged,
}

/// One difference, placed on both sides. For an item present on one side
/// only, the other side's line is where it would be (after the previous
/// aligned item).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Difference {
    pub kind: DiffKind,
    pub source_line: u32,
    pub translation_line: u32,
    pub message: Msg,
}

/// How two aligned sequences correspond.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pair {
    Same(usize, usize),
    Changed(usize, usize),
    Left(usize),
    Right(usize),
}

/// Below this similarity two items are not taken for versions of each other.
const PAIR_THRESHOLD: f64 = 0.34;

/// Aligns `a` and `b` by key; inside changed regions, pairs items whose
/// similarity is at least [`PAIR_THRESHOLD`], keeping order.
fn align<K: Hash + Eq>(a: &[K], b: &[K], sim: impl Fn(usize, usize) -> f64) -> Vec<Pair> {
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Myers, a, b) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => out.extend((0..len).map(|k| Pair::Same(old_index + k, new_index + k))),
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend((old_index..old_index + old_len).map(Pair::Left)),
            DiffOp::Insert {
                new_index, new_len, ..
            } => out.extend((new_index..new_index + new_len).map(Pair::Right)),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => out.extend(pair_region(
                old_index..old_index + old_len,
                new_index..new_index + new_len,
                &sim,
            )),
        }
    }
    out
}

/// The order-keeping pairing of a changed region with the greatest total
/// similarity (a weighted longest common subsequence).
fn pair_region(
    a: std::ops::Range<usize>,
    b: std::ops::Range<usize>,
    sim: &impl Fn(usize, usize) -> f64,
) -> Vec<Pair> {
    let (n, m) = (a.len(), b.len());
    if n * m > 250_000 {
        // A pathological region: pair by position rather than spend quadratic time.
        let mut out: Vec<Pair> = (0..n.min(m))
            .map(|k| Pair::Changed(a.start + k, b.start + k))
            .collect();
        out.extend((a.start + m.min(n)..a.end).map(Pair::Left));
        out.extend((b.start + n.min(m)..b.end).map(Pair::Right));
        return out;
    }
    let s = |i: usize, j: usize| {
        let v = sim(a.start + i, b.start + j);
        if v >= PAIR_THRESHOLD {
            v
        } else {
            f64::NEG_INFINITY
        }
    };
    // score[i][j]: best total for a[i..] and b[j..].
    let w = m + 1;
    let mut score = vec![0.0f64; (n + 1) * w];
    let mut sims = vec![f64::NEG_INFINITY; n * m.max(1)];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let here = s(i, j);
            sims[i * m + j] = here;
            let mut best = score[(i + 1) * w + j].max(score[i * w + j + 1]);
            if here.is_finite() {
                best = best.max(here + score[(i + 1) * w + j + 1]);
            }
            score[i * w + j] = best;
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        let here = sims[i * m + j];
        if here.is_finite() && score[i * w + j] == here + score[(i + 1) * w + j + 1] {
            out.push(Pair::Changed(a.start + i, b.start + j));
            i += 1;
            j += 1;
        } else if score[i * w + j] == score[(i + 1) * w + j] {
            out.push(Pair::Left(a.start + i));
            i += 1;
        } else {
            out.push(Pair::Right(b.start + j));
            j += 1;
        }
    }
    out.extend((a.start + i..a.end).map(Pair::Left));
    out.extend((b.start + j..b.end).map(Pair::Right));
    out
}

fn jaccard<T: Eq + Hash>(a: &HashSet<T>, b: &HashSet<T>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

fn tokens(text: &str) -> HashSet<&str> {
    text.split_whitespace().collect()
}

/// Shortens text for a one-line message.
fn short(text: &str) -> String {
    let line = text.trim();
    if line.chars().count() > 80 {
        let mut s: String = line.chars().take(77).collect();
        s.push('…');
        s
    } else {
        line.to_owned()
    }
}

/// The first line of a command, shortened, for a one-line message.
fn first_line(command: &str) -> String {
    short(command.lines().next().unwrap_or(""))
}

/// A command as compared: comments removed, blank lines dropped.
pub fn normalize_command(text: &str) -> String {
    // Most commands have no comment and nothing to trim: skip the lexer.
    // `$  cmd` runs like `$ cmd`: leading blanks of the command don't count.
    let plain = !text.contains(['#', '\r'])
        && !text.starts_with([' ', '\t'])
        && text
            .split('\n')
            .all(|l| !l.is_empty() && !l.ends_with([' ', '\t']));
    if plain {
        text.to_owned()
    } else {
        shell::strip_script_comments(text)
            .trim_start_matches([' ', '\t'])
            .to_owned()
    }
}

/// What must match between two versions of a block.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct BlockKey {
    lang: String,
    annotations: Vec<(String, Option<String>)>,
    commands: Vec<String>,
    /// With `verifyOutput=true`: each command's sample, normalized as the
    /// run compares it (parallel to `commands`); otherwise empty.
    samples: Vec<Vec<String>>,
}

struct BlockView<'a> {
    block: &'a Block,
    key: BlockKey,
    /// Command lines as written (comments stripped) with their source line,
    /// parallel to `key.commands`.
    command_lines: Vec<u32>,
    /// With `verifyOutput=true`: each command's sample lines as written,
    /// with their page lines (parallel to `key.commands`).
    sample_lines: Vec<Vec<(u32, String)>>,
    /// Words of the code, for pairing changed blocks; computed only then.
    tokens: std::cell::OnceCell<HashSet<&'a str>>,
}

impl<'a> BlockView<'a> {
    fn tokens(&self) -> &HashSet<&'a str> {
        self.tokens.get_or_init(|| tokens(&self.block.code))
    }
}

fn block_view(block: &Block) -> BlockView<'_> {
    let mut annotations: Vec<(String, Option<String>)> = block
        .annotations
        .entries
        .iter()
        .filter(|a| a.kind != AnnotationKind::Display)
        .map(|a| (a.key.clone(), a.value.clone()))
        .collect();
    annotations.sort();
    let mut commands = Vec::new();
    let mut command_lines = Vec::new();
    let mut samples = Vec::new();
    let mut sample_lines = Vec::new();
    if block.is_runnable() {
        for c in &block.commands {
            let n = normalize_command(&c.text);
            if !n.is_empty() {
                commands.push(n);
                command_lines.push(c.line);
                if block.annotations.verify_output {
                    let lines: Vec<(u32, String)> =
                        crate::sample::items(&c.output, c.output_line())
                            .into_iter()
                            .map(|item| match item {
                                crate::sample::Item::Line { line, text, .. } => (line, text),
                                crate::sample::Item::Elide { line } => (line, "...".to_owned()),
                            })
                            .collect();
                    samples.push(
                        lines
                            .iter()
                            .map(|(_, t)| {
                                if crate::sample::is_elision(t) {
                                    "...".to_owned()
                                } else {
                                    crate::sample::normalize(t)
                                }
                            })
                            .collect(),
                    );
                    sample_lines.push(lines);
                }
            }
        }
    }
    BlockView {
        block,
        key: BlockKey {
            lang: block.lang.clone(),
            annotations,
            commands,
            samples,
        },
        command_lines,
        sample_lines,
        tokens: std::cell::OnceCell::new(),
    }
}

/// Lines of a block that are not commands (sample output), with their lines.
fn output_lines(block: &Block) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    for (k, l) in block.leading_output.iter().enumerate() {
        out.push((block.line + 1 + k as u32, l.as_str()));
    }
    for c in &block.commands {
        let first = c.output_line();
        for (k, l) in c.output.iter().enumerate() {
            out.push((first + k as u32, l.as_str()));
        }
    }
    out
}

/// The line of `block` where an output line reads like `command`: a command
/// whose `$ ` prompt was lost.
fn prompt_lost(block: &Block, command: &str) -> Option<u32> {
    let first = command.lines().next()?.trim();
    output_lines(block).into_iter().find_map(|(line, text)| {
        let t = text.trim();
        let t = t.strip_prefix('$').map_or(t, str::trim_start);
        (!t.is_empty() && shell::strip_comments(t).trim() == first).then_some(line)
    })
}

fn body_line(page: &Page) -> u32 {
    page.front.span.map_or(1, |(_, end)| end + 1)
}

/// Lines of an item both sides have: (source line, translation line).
type Anchor = (u32, u32);

/// Compares a source page with its translation.
pub fn compare(source: &Page, translation: &Page) -> Vec<Difference> {
    let mut diffs = Vec::new();
    let mut anchors = Vec::new();
    compare_blocks(source, translation, &mut diffs, &mut anchors);
    compare_directives(source, translation, &mut diffs, &mut anchors);
    place_one_sided(&mut diffs, &anchors, source, translation);
    compare_ordering(source, translation, &mut diffs);
    // Top to bottom, as a translator reads the page.
    diffs.sort_by_key(|d| (d.source_line, d.translation_line));
    diffs
}

/// Gives an item that one side lacks its place on that side: just after
/// the nearest item before it that both sides have.
fn place_one_sided(
    diffs: &mut [Difference],
    anchors: &[Anchor],
    source: &Page,
    translation: &Page,
) {
    for d in diffs {
        match d.kind {
            DiffKind::BlockOnlyInSource | DiffKind::DirectiveOnlyInSource => {
                d.translation_line = anchors
                    .iter()
                    .filter(|a| a.0 < d.source_line)
                    .max_by_key(|a| a.0)
                    .map_or_else(|| body_line(translation), |a| a.1);
            }
            DiffKind::BlockOnlyInTranslation | DiffKind::DirectiveOnlyInTranslation => {
                d.source_line = anchors
                    .iter()
                    .filter(|a| a.1 < d.translation_line)
                    .max_by_key(|a| a.1)
                    .map_or_else(|| body_line(source), |a| a.0);
            }
            _ => {}
        }
    }
}

fn annotation_text(key: &str, value: &Option<String>) -> String {
    match value {
        Some(v) => format!("{key}={v}"),
        None => key.to_owned(),
    }
}

fn block_label(view: &BlockView<'_>) -> String {
    if view.block.lang.is_empty() {
        "```".to_owned()
    } else {
        format!("```{}", view.block.lang)
    }
}

/// The common case, checked without normalizing blocks that are identical
/// as written: the same blocks in the same order.
fn blocks_match(a: &[&Block], b: &[&Block]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (x.lang == y.lang && x.info == y.info && x.code == y.code)
                || block_view(x).key == block_view(y).key
        })
}

fn compare_blocks(
    source: &Page,
    translation: &Page,
    diffs: &mut Vec<Difference>,
    anchors: &mut Vec<Anchor>,
) {
    // What runs: blocks of a runnable language (`test=false` ones too, as
    // their annotations are part of the lab).
    fn runnable(p: &Page) -> Vec<&Block> {
        p.blocks.iter().filter(|b| b.is_runnable()).collect()
    }
    let (sa, sb) = (runnable(source), runnable(translation));
    if blocks_match(&sa, &sb) {
        anchors.extend(sa.iter().zip(&sb).map(|(x, y)| (x.end_line, y.end_line)));
        return;
    }
    let a: Vec<BlockView> = sa.into_iter().map(block_view).collect();
    let b: Vec<BlockView> = sb.into_iter().map(block_view).collect();
    let ka: Vec<&BlockKey> = a.iter().map(|v| &v.key).collect();
    let kb: Vec<&BlockKey> = b.iter().map(|v| &v.key).collect();
    let sim = |i: usize, j: usize| {
        let lang = if a[i].key.lang == b[j].key.lang {
            0.25
        } else {
            0.0
        };
        lang + 0.75 * jaccard(a[i].tokens(), b[j].tokens())
    };
    for pair in align(&ka, &kb, sim) {
        match pair {
            Pair::Same(i, j) => {
                anchors.push((a[i].block.end_line, b[j].block.end_line));
            }
            Pair::Changed(i, j) => {
                compare_block(&a[i], &b[j], diffs);
                anchors.push((a[i].block.end_line, b[j].block.end_line));
            }
            Pair::Left(i) => {
                let first = a[i].key.commands.first().map(|c| first_line(c));
                diffs.push(Difference {
                    kind: DiffKind::BlockOnlyInSource,
                    source_line: a[i].block.line,
                    // Placed by `place_one_sided`.
                    translation_line: 0,
                    message: match first {
                        Some(c) => msg!(
                            "drift-block-only-source",
                            block = block_label(&a[i]),
                            command = c
                        ),
                        None => msg!("drift-block-only-source-plain", block = block_label(&a[i])),
                    },
                });
            }
            Pair::Right(j) => {
                let first = b[j].key.commands.first().map(|c| first_line(c));
                diffs.push(Difference {
                    kind: DiffKind::BlockOnlyInTranslation,
                    source_line: 0,
                    translation_line: b[j].block.line,
                    message: match first {
                        Some(c) => msg!(
                            "drift-block-only-translation",
                            block = block_label(&b[j]),
                            command = c
                        ),
                        None => msg!(
                            "drift-block-only-translation-plain",
                            block = block_label(&b[j])
                        ),
                    },
                });
            }
        }
    }
}

fn compare_block(a: &BlockView<'_>, b: &BlockView<'_>, diffs: &mut Vec<Difference>) {
    let (la, lb) = (a.block.line, b.block.line);
    if a.key.lang != b.key.lang {
        diffs.push(Difference {
            kind: DiffKind::LanguageChanged,
            source_line: la,
            translation_line: lb,
            message: msg!(
                "drift-language-changed",
                source = block_label(a),
                translation = block_label(b)
            ),
        });
    }
    // Annotations, in the source's order, then those only in the translation.
    let find = |list: &[(String, Option<String>)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    };
    let mut keys: Vec<&str> = Vec::new();
    for (k, _) in a.key.annotations.iter().chain(&b.key.annotations) {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    for key in keys {
        let (va, vb) = (find(&a.key.annotations, key), find(&b.key.annotations, key));
        if va == vb {
            continue;
        }
        let message = match (&va, &vb) {
            (Some(x), Some(y)) => msg!(
                "drift-annotation-changed",
                source = annotation_text(key, x),
                translation = annotation_text(key, y)
            ),
            (Some(x), None) => msg!(
                "drift-annotation-only-source",
                annotation = annotation_text(key, x)
            ),
            (None, Some(y)) => msg!(
                "drift-annotation-only-translation",
                annotation = annotation_text(key, y)
            ),
            (None, None) => continue,
        };
        diffs.push(Difference {
            kind: DiffKind::AnnotationChanged,
            source_line: la,
            translation_line: lb,
            message,
        });
    }
    if !(a.block.is_runnable() && b.block.is_runnable()) {
        return;
    }
    let (ca, cb) = (&a.key.commands, &b.key.commands);
    let (mut last_a, mut last_b) = (la, lb);
    for pair in align(ca, cb, |i, j| jaccard(&tokens(&ca[i]), &tokens(&cb[j]))) {
        match pair {
            Pair::Same(i, j) => {
                if let Some(d) = sample_difference(a, i, b, j) {
                    diffs.push(d);
                }
                last_a = a.command_lines[i];
                last_b = b.command_lines[j];
            }
            Pair::Changed(i, j) => {
                let (x, y) = first_difference(&ca[i], &cb[j]);
                diffs.push(Difference {
                    kind: DiffKind::CommandChanged,
                    source_line: a.command_lines[i],
                    translation_line: b.command_lines[j],
                    message: msg!("drift-command-changed", source = x, translation = y),
                });
                last_a = a.command_lines[i];
                last_b = b.command_lines[j];
            }
            Pair::Left(i) => {
                let command = first_line(&ca[i]);
                diffs.push(match prompt_lost(b.block, &ca[i]) {
                    Some(line) => Difference {
                        kind: DiffKind::PromptMissing,
                        source_line: a.command_lines[i],
                        translation_line: line,
                        message: msg!("drift-prompt-missing-translation", command = command),
                    },
                    None => Difference {
                        kind: DiffKind::CommandOnlyInSource,
                        source_line: a.command_lines[i],
                        translation_line: last_b,
                        message: msg!("drift-command-only-source", command = command),
                    },
                });
                last_a = a.command_lines[i];
            }
            Pair::Right(j) => {
                let command = first_line(&cb[j]);
                diffs.push(match prompt_lost(a.block, &cb[j]) {
                    Some(line) => Difference {
                        kind: DiffKind::PromptMissing,
                        source_line: line,
                        translation_line: b.command_lines[j],
                        message: msg!("drift-prompt-missing-source", command = command),
                    },
                    None => Difference {
                        kind: DiffKind::CommandOnlyInTranslation,
                        source_line: last_a,
                        translation_line: b.command_lines[j],
                        message: msg!("drift-command-only-translation", command = command),
                    },
                });
                last_b = b.command_lines[j];
            }
        }
    }
}

/// Where the samples of the same command differ in two blocks that both
/// compare them: the first differing line of each, or where one ends.
fn sample_difference(
    a: &BlockView<'_>,
    i: usize,
    b: &BlockView<'_>,
    j: usize,
) -> Option<Difference> {
    let (sa, sb) = (a.key.samples.get(i)?, b.key.samples.get(j)?);
    if sa == sb {
        return None;
    }
    let (la, lb) = (&a.sample_lines[i], &b.sample_lines[j]);
    let k = (0..sa.len().max(sb.len())).find(|&k| sa.get(k) != sb.get(k))?;
    // A side that ran out of lines is placed after its last one.
    let at = |lines: &[(u32, String)], command: u32| {
        lines
            .get(k)
            .or(lines.last())
            .map_or(command + 1, |(l, _)| *l)
    };
    let text = |lines: &[(u32, String)]| lines.get(k).map_or(String::new(), |(_, t)| short(t));
    Some(Difference {
        kind: DiffKind::SampleChanged,
        source_line: at(la, a.command_lines[i]),
        translation_line: at(lb, b.command_lines[j]),
        message: msg!(
            "drift-sample-changed",
            command = first_line(&a.key.commands[i]),
            source = text(la),
            translation = text(lb)
        ),
    })
}

/// The first line where two normalized commands differ, shortened.
fn first_difference(a: &str, b: &str) -> (String, String) {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    for k in 0..la.len().max(lb.len()) {
        let (x, y) = (la.get(k).copied(), lb.get(k).copied());
        if x != y {
            return (short(x.unwrap_or("")), short(y.unwrap_or("")));
        }
    }
    (short(a), short(b))
}

/// What must match between two versions of a directive.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct DirectiveKey<'a> {
    leaf: bool,
    name: &'a str,
    attrs: &'a [(String, String)],
}

fn directive_label(d: &Directive) -> String {
    match d.kind {
        DirectiveKind::Leaf => format!("::{}", d.name),
        DirectiveKind::Container => format!(":::{}", d.name),
    }
}

fn compare_directives(
    source: &Page,
    translation: &Page,
    diffs: &mut Vec<Difference>,
    anchors: &mut Vec<Anchor>,
) {
    // Containers hold prose: a translation may fold, split or drop them.
    fn leaves(p: &Page) -> Vec<&Directive> {
        p.directives
            .iter()
            .filter(|d| d.kind == DirectiveKind::Leaf)
            .collect()
    }
    let (a, b) = (leaves(source), leaves(translation));
    fn key(d: &Directive) -> DirectiveKey<'_> {
        DirectiveKey {
            leaf: d.kind == DirectiveKind::Leaf,
            name: d.name.as_str(),
            attrs: d.attrs.as_slice(),
        }
    }
    let ka: Vec<DirectiveKey> = a.iter().map(|d| key(d)).collect();
    let kb: Vec<DirectiveKey> = b.iter().map(|d| key(d)).collect();
    fn attr_set(d: &Directive) -> HashSet<(&str, &str)> {
        d.attrs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
    let sim = |i: usize, j: usize| {
        if a[i].name != b[j].name || a[i].kind != b[j].kind {
            return 0.0;
        }
        0.5 + 0.5 * jaccard(&attr_set(a[i]), &attr_set(b[j]))
    };
    for pair in align(&ka, &kb, sim) {
        match pair {
            Pair::Same(i, j) | Pair::Changed(i, j) => {
                let (da, db) = (a[i], b[j]);
                if matches!(pair, Pair::Changed(..)) {
                    compare_attrs(da, db, diffs);
                }
                if da.name == "yaml" && da.callouts.len() != db.callouts.len() {
                    diffs.push(Difference {
                        kind: DiffKind::CalloutsChanged,
                        source_line: da.pos.line,
                        translation_line: db.pos.line,
                        message: msg!(
                            "drift-callouts-changed",
                            source = da.callouts.len(),
                            translation = db.callouts.len()
                        ),
                    });
                }
                anchors.push((da.pos.line, db.pos.line));
            }
            Pair::Left(i) => {
                diffs.push(Difference {
                    kind: DiffKind::DirectiveOnlyInSource,
                    source_line: a[i].pos.line,
                    translation_line: 0,
                    message: msg!(
                        "drift-directive-only-source",
                        directive = directive_label(a[i])
                    ),
                });
            }
            Pair::Right(j) => {
                diffs.push(Difference {
                    kind: DiffKind::DirectiveOnlyInTranslation,
                    source_line: 0,
                    translation_line: b[j].pos.line,
                    message: msg!(
                        "drift-directive-only-translation",
                        directive = directive_label(b[j])
                    ),
                });
            }
        }
    }
}

fn compare_attrs(a: &Directive, b: &Directive, diffs: &mut Vec<Difference>) {
    let mut keys: Vec<&str> = Vec::new();
    for (k, _) in a.attrs.iter().chain(&b.attrs) {
        if !keys.contains(&k.as_str()) {
            keys.push(k);
        }
    }
    for key in keys {
        let (va, vb) = (a.attr(key), b.attr(key));
        if va == vb {
            continue;
        }
        let message = match (va, vb) {
            (Some(x), Some(y)) => msg!(
                "drift-attribute-changed",
                directive = directive_label(a),
                attribute = key,
                source = short(x),
                translation = short(y)
            ),
            (Some(x), None) => msg!(
                "drift-attribute-only-source",
                directive = directive_label(a),
                attribute = key,
                value = short(x)
            ),
            (None, Some(y)) => msg!(
                "drift-attribute-only-translation",
                directive = directive_label(a),
                attribute = key,
                value = short(y)
            ),
            (None, None) => continue,
        };
        diffs.push(Difference {
            kind: DiffKind::DirectiveChanged,
            source_line: a.pos.line,
            translation_line: b.pos.line,
            message,
        });
    }
}

/// The front matter keys that order pages in the site.
pub const ORDERING_KEYS: [&str; 2] = ["sidebar_position", "weight"];

fn compare_ordering(source: &Page, translation: &Page, diffs: &mut Vec<Difference>) {
    let none = || msg!("drift-value-none").text();
    for key in ORDERING_KEYS {
        let (fa, fb) = (source.front.field(key), translation.front.field(key));
        if fa.map(|f| &f.value) == fb.map(|f| &f.value) {
            continue;
        }
        let line = |f: Option<&crate::model::Field>, p: &Page| {
            f.map_or_else(|| p.front.span.map_or(1, |(s, _)| s), |f| f.line)
        };
        diffs.push(Difference {
            kind: DiffKind::OrderingChanged,
            source_line: line(fa, source),
            translation_line: line(fb, translation),
            message: msg!(
                "drift-ordering-changed",
                key = key,
                source = fa.map_or_else(none, |f| f.value.to_string()),
                translation = fb.map_or_else(none, |f| f.value.to_string())
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use std::path::Path;

    fn page(text: &str) -> Page {
        parse_page(Path::new("p.md"), "p.md", "en", text.as_bytes())
    }

    fn kinds(a: &str, b: &str) -> Vec<(DiffKind, u32, u32)> {
        compare(&page(a), &page(b))
            .into_iter()
            .map(|d| (d.kind, d.source_line, d.translation_line))
            .collect()
    }

    const SRC: &str = "---\ntitle: T\nsidebar_position: 3\n---\n\nIntro.\n\n```bash wait=5\n$ kubectl get pods # list them\nNAME\n$ echo \"a # b\"\n```\n\n::yaml{file=\"m.yaml\" paths=\"a,b\"}\n\n1. A\n2. B\n";

    #[test]
    fn identical_structure_with_translated_prose_and_comments() {
        let ja = SRC
            .replace("Intro.", "はじめに。")
            .replace("# list them", "# 一覧表示")
            .replace("1. A", "1. あ")
            .replace("title: T", "title: タイトル");
        assert_eq!(kinds(SRC, &ja), []);
    }

    #[test]
    fn quoted_hash_change_is_a_command_change() {
        let ja = SRC.replace("\"a # b\"", "\"a # c\"");
        assert_eq!(kinds(SRC, &ja), [(DiffKind::CommandChanged, 11, 11)]);
        let d = &compare(&page(SRC), &page(&ja))[0];
        assert!(
            d.message
                .args
                .iter()
                .any(|(_, v)| *v == "echo \"a # c\"".into())
        );
    }

    #[test]
    fn lost_prompt_is_reported_at_the_output_line() {
        let ja = SRC.replace("$ echo \"a # b\"", "echo \"a # b\"");
        assert_eq!(kinds(SRC, &ja), [(DiffKind::PromptMissing, 11, 11)]);
        // And the other way round.
        assert_eq!(kinds(&ja, SRC), [(DiffKind::PromptMissing, 11, 11)]);
    }

    #[test]
    fn extra_block_and_changed_annotation() {
        let ja = SRC
            .replace("wait=5", "wait=10")
            .replace("Intro.\n", "Intro.\n\n```bash\n$ rm -rf /tmp/x\n```\n");
        assert_eq!(
            kinds(SRC, &ja),
            [
                (DiffKind::BlockOnlyInTranslation, 5, 8),
                (DiffKind::AnnotationChanged, 8, 12),
            ]
        );
    }

    #[test]
    fn display_annotations_may_be_translated() {
        let a = "```yaml title=\"a.yaml\"\nk: v\n```\n";
        let b = "```yaml title=\"ファイル\"\nk: v\n```\n";
        assert_eq!(kinds(a, b), []);
    }

    #[test]
    fn samples_count_only_where_the_run_compares_them() {
        let a = "```bash verifyOutput=true\n$ kubectl get pods\nNAME   AGE\nui-7d9f8b6c4-x2x9z   5m\n$ echo done\ndone\n```\n";
        // Another run's names and ages, another column width: the same.
        let b = "```bash verifyOutput=true\n$ kubectl get pods\nNAME                 AGE\nui-5c8f7d9b6d-q7lzt  12s\n$ echo done\ndone\n```\n";
        assert_eq!(kinds(a, b), []);
        // A translated sample line is not: the run would fail on it.
        let c = a.replace("\ndone\n```", "\n完了\n```");
        assert_eq!(kinds(a, &c), [(DiffKind::SampleChanged, 6, 6)]);
        let short = a.replace("ui-7d9f8b6c4-x2x9z   5m\n", "");
        assert_eq!(kinds(a, &short), [(DiffKind::SampleChanged, 4, 3)]);
        // Without verifyOutput the sample is prose.
        let plain = |t: &str| t.replace(" verifyOutput=true", "");
        assert_eq!(kinds(&plain(a), &plain(&c)), []);
    }

    #[test]
    fn directives_callouts_and_ordering() {
        let ja = SRC
            .replace("paths=\"a,b\"", "paths=\"a,c\"")
            .replace("2. B\n", "")
            .replace("sidebar_position: 3", "sidebar_position: 4");
        assert_eq!(
            kinds(SRC, &ja),
            [
                (DiffKind::OrderingChanged, 3, 3),
                (DiffKind::DirectiveChanged, 14, 14),
                (DiffKind::CalloutsChanged, 14, 14),
            ]
        );
        let gone = SRC.replace("::yaml{file=\"m.yaml\" paths=\"a,b\"}\n", "");
        assert_eq!(kinds(SRC, &gone)[0].0, DiffKind::DirectiveOnlyInSource);
    }

    #[test]
    fn containers_may_be_folded_and_only_what_runs_is_compared() {
        let en = "# T\n\n:::tip Before you start\nPrepare:\n\n```bash wait=30\n$ prepare-environment x\n```\n\n:::\n\n:::info Note\nMore.\n:::\n\n```bash\n$ kubectl get pods\n```\n\n```yaml\nk: v\n```\n";
        // The info box folded into the tip; the yaml sample dropped.
        let ja = "# T\n\n:::tip 始める前に\n準備：\n\n```bash wait=30\n$ prepare-environment x\n```\n\n補足。\n:::\n\n```bash\n$ kubectl get pods\n```\n";
        assert_eq!(kinds(en, ja), []);
        // A hook is part of what runs.
        let hooked = ja.replace("```bash\n$ kubectl", "```bash hook=pods\n$ kubectl");
        assert_eq!(kinds(en, &hooked), [(DiffKind::AnnotationChanged, 16, 13)]);
    }

    #[test]
    fn a_one_sided_item_is_placed_after_the_last_item_both_have() {
        let en = "# T\n\n```bash\n$ echo a\n```\n\n::yaml{file=\"m.yaml\"}\n\nText.\n\n```bash\n$ echo b\n```\n\n```bash\n$ echo c\n```\n";
        // The translation lost the manifest and the last block, and has a
        // box of its own before the second block.
        let ja = "# T\n\n```bash\n$ echo a\n```\n\n:::note\n訳注。\n:::\n\n文。\n\n```bash\n$ echo b\n```\n";
        assert_eq!(
            kinds(en, ja),
            [
                // After `echo a` (ends at line 5 in both).
                (DiffKind::DirectiveOnlyInSource, 7, 5),
                // After `echo b` (ends at 13 in en, 15 in ja).
                (DiffKind::BlockOnlyInSource, 15, 15),
            ]
        );
    }

    #[test]
    fn one_changed_block_among_removed_ones_is_paired_by_similarity() {
        let a = "```bash\n$ echo one\n```\n\n```bash\n$ kubectl apply -f x.yaml -n ui\n```\n";
        let b = "```bash\n$ kubectl apply -f y.yaml -n ui\n```\n";
        assert_eq!(
            kinds(a, b),
            [
                (DiffKind::BlockOnlyInSource, 1, 1),
                (DiffKind::CommandChanged, 6, 2),
            ]
        );
    }

    #[test]
    fn heredoc_bodies_are_compared_as_written() {
        let a = "```bash\n$ cat <<EOF > f\nit's: 1\nEOF\n```\n";
        let b = "```bash\n$ cat <<EOF > f\nit's: 2\nEOF\n```\n";
        assert_eq!(kinds(a, a), []);
        assert_eq!(kinds(a, b), [(DiffKind::CommandChanged, 2, 2)]);
        // Extra blanks after the prompt change nothing.
        assert_eq!(kinds(a, &a.replace("$ cat", "$   cat")), []);
    }

    #[test]
    fn messages_quote_one_line_of_a_long_command() {
        let a = "```bash\n$ cat <<EOF > f\nx: 1\nEOF\n```\n";
        let d = compare(&page(a), &page(""));
        assert_eq!(d[0].kind, DiffKind::BlockOnlyInSource);
        assert!(
            d[0].message
                .args
                .iter()
                .any(|(_, v)| *v == crate::i18n::Arg::from("cat <<EOF > f"))
        );
    }
}
