//! A page prepared for rendering: its Markdown body, with every part the
//! model describes (fenced blocks, directives, callout lists, containers)
//! cut out and replaced by a placeholder paragraph, and those parts as
//! [`Piece`]s built from the model. The terminal and HTML renderers walk the
//! remaining Markdown with pulldown-cmark and put their rendering of each
//! piece where its placeholder is.
//!
//! The page text is only *located* through the model's line numbers here:
//! commands, annotations, directive attributes and callouts come from the
//! model, never from re-reading the text.

use std::collections::BTreeMap;

use crate::markdown::lines::LineIndex;
use crate::model::{Block, Directive, DirectiveKind, Page};

/// A part of the page rendered from the model.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// A fenced block.
    Code(CodeView),
    /// A leaf directive (`::yaml`, `::required-time`, others); `callouts`
    /// holds the Markdown source of each callout item, marker removed.
    Leaf {
        directive: Directive,
        callouts: Vec<String>,
    },
    /// The opening line of a container directive (`:::tip Title`).
    Open { directive: Directive },
    /// Its closing `:::`.
    Close { directive: Directive },
}

/// A fenced block as a reader sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeView {
    pub line: u32,
    pub lang: String,
    pub lines: Vec<CodeLine>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CodeLine {
    /// A command of a `bash` block (possibly several lines: continuations,
    /// heredoc bodies), without its `$ ` prompt.
    Command(String),
    /// Sample output of a `bash` block.
    Output(String),
    /// A line of any other block.
    Code(String),
}

impl CodeView {
    fn from_block(b: &Block, vars: &Vars) -> CodeView {
        let mut lines = Vec::new();
        if b.is_runnable() && !b.commands.is_empty() {
            lines.extend(
                b.leading_output
                    .iter()
                    .map(|o| CodeLine::Output(vars.apply(o))),
            );
            for c in &b.commands {
                lines.push(CodeLine::Command(vars.apply(&c.text)));
                lines.extend(c.output.iter().map(|o| CodeLine::Output(vars.apply(o))));
            }
        } else {
            lines.extend(
                b.code
                    .strip_suffix('\n')
                    .unwrap_or(&b.code)
                    .split('\n')
                    .filter(|_| !b.code.is_empty())
                    .map(|l| CodeLine::Code(vars.apply(l))),
            );
        }
        CodeView {
            line: b.line,
            lang: b.lang.clone(),
            lines,
        }
    }
}

/// `VAR::NAME` values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Vars(pub BTreeMap<String, String>);

impl Vars {
    /// Replaces every `VAR::NAME` whose name is known; unknown ones stay as
    /// written (the renderer reports them from the model).
    pub fn apply(&self, text: &str) -> String {
        crate::config::substitute_vars(text, &self.0)
    }

    pub fn knows(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }
}

/// The prepared page.
#[derive(Clone, Debug)]
pub struct Doc {
    /// The body with placeholders, variables replaced.
    pub markdown: String,
    /// Placeholders are this prefix followed by the piece's index.
    pub token: String,
    pub pieces: Vec<Piece>,
}

impl Doc {
    /// The piece a paragraph's text stands for, if it is a placeholder.
    pub fn piece_of(&self, text: &str) -> Option<usize> {
        text.trim()
            .strip_prefix(&self.token)?
            .parse::<usize>()
            .ok()
            .filter(|&i| i < self.pieces.len())
    }
}

enum Slot {
    Keep,
    Drop,
    Piece(usize),
}

/// The leading part of a line that puts it inside its container blocks:
/// indentation and blockquote markers (`  > `).
fn container_prefix(line: &str) -> &str {
    let end = line
        .find(|c: char| !(c == ' ' || c == '\t' || c == '>'))
        .unwrap_or(line.len());
    &line[..end]
}

/// Builds the [`Doc`] of a page from its text (as read from disk) and model.
pub fn prepare(page: &Page, text: &str, vars: &Vars) -> Doc {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let idx = LineIndex::new(text);
    let n = idx.line_count() as usize;
    let mut slots: Vec<Slot> = (0..=n).map(|_| Slot::Keep).collect();
    let mut pieces = Vec::new();
    let mut set = |slots: &mut Vec<Slot>, from: u32, to: u32, piece: Option<Piece>| {
        for l in from..=to.min(n as u32) {
            slots[l as usize] = Slot::Drop;
        }
        if let Some(p) = piece
            && (from as usize) <= n
        {
            slots[from as usize] = Slot::Piece(pieces.len());
            pieces.push(p);
        }
    };
    if let Some((a, b)) = page.front.span {
        set(&mut slots, a, b, None);
    }
    for b in &page.blocks {
        set(
            &mut slots,
            b.line,
            b.end_line.max(b.line),
            Some(Piece::Code(CodeView::from_block(b, vars))),
        );
    }
    let mut unclosed = Vec::new();
    for d in &page.directives {
        // `:::image …:::` opens and closes on one line: one piece, like a leaf.
        let one_line = d.docs_extension && d.end_line == Some(d.pos.line);
        match d.kind {
            DirectiveKind::Container if !one_line => {
                set(
                    &mut slots,
                    d.pos.line,
                    d.pos.line,
                    Some(Piece::Open {
                        directive: d.clone(),
                    }),
                );
                match d.end_line {
                    Some(e) => set(
                        &mut slots,
                        e,
                        e,
                        Some(Piece::Close {
                            directive: d.clone(),
                        }),
                    ),
                    None => unclosed.push(d.clone()),
                }
            }
            _ => {
                let (callouts, last) = callout_sources(d, &idx);
                set(&mut slots, d.pos.line, d.pos.line, None);
                if let Some((first, last)) = d.callouts.first().map(|c| c.line).zip(last) {
                    set(&mut slots, first, last, None);
                }
                let callouts = callouts.iter().map(|c| vars.apply(c)).collect();
                set(
                    &mut slots,
                    d.pos.line,
                    d.pos.line,
                    Some(Piece::Leaf {
                        directive: d.clone(),
                        callouts,
                    }),
                );
            }
        }
    }
    let token = unique_token(text);
    let mut md = String::with_capacity(text.len() + pieces.len() * 24);
    for (l, slot) in slots.iter().enumerate().skip(1) {
        let line = idx.line(l as u32);
        match *slot {
            Slot::Keep => {
                md.push_str(&vars.apply(line));
                md.push('\n');
            }
            Slot::Drop => {}
            Slot::Piece(i) => {
                let prefix = container_prefix(line);
                let blank = prefix.trim_end();
                // A longer `::::` fence can close inner containers too: the
                // line then stands for every close, innermost first.
                let ids: Vec<usize> = match &pieces[i] {
                    Piece::Close { .. } => closes_on_line(page, l as u32, i, &mut pieces),
                    _ => vec![i],
                };
                for id in ids {
                    md.push_str(&format!("{blank}\n{prefix}{token}{id}\n{blank}\n"));
                }
            }
        }
    }
    for d in unclosed.into_iter().rev() {
        md.push_str(&format!("\n{token}{}\n\n", pieces.len()));
        pieces.push(Piece::Close { directive: d });
    }
    Doc {
        markdown: md,
        token,
        pieces,
    }
}

/// The pieces closing containers on line `line`: the one already made
/// (`made`) for the first container, new ones for the others, innermost first.
fn closes_on_line(page: &Page, line: u32, made: usize, pieces: &mut Vec<Piece>) -> Vec<usize> {
    let mut closing: Vec<&Directive> = page
        .directives
        .iter()
        .filter(|d| d.kind == DirectiveKind::Container && d.end_line == Some(line))
        .collect();
    closing.sort_by_key(|d| std::cmp::Reverse(d.pos.line));
    let mut ids = Vec::new();
    for d in closing {
        if matches!(&pieces[made], Piece::Close { directive } if directive == d) {
            ids.push(made);
        } else {
            ids.push(pieces.len());
            pieces.push(Piece::Close {
                directive: d.clone(),
            });
        }
    }
    if ids.is_empty() {
        ids.push(made);
    }
    ids
}

/// A placeholder prefix that occurs nowhere in the page.
fn unique_token(text: &str) -> String {
    let mut token = String::from("labrunpiece");
    while text.contains(&token) {
        token.push('x');
    }
    token.push('x');
    token
}

/// The Markdown source of each callout item (list marker removed,
/// continuation lines dedented) and the last line of the list.
fn callout_sources(d: &Directive, idx: &LineIndex<'_>) -> (Vec<String>, Option<u32>) {
    let Some(last_item) = d.callouts.last().map(|c| c.line) else {
        return (Vec::new(), None);
    };
    // The last item runs on over non-blank lines, and over blank lines
    // followed by indented ones (a second paragraph of the item).
    let count = idx.line_count();
    let mut end = last_item;
    let mut l = last_item + 1;
    while l <= count {
        let t = idx.line(l);
        if !t.trim().is_empty() {
            if end + 1 < l && !t.starts_with([' ', '\t']) {
                break;
            }
            if end + 1 == l && list_marker_len(t).is_some() && !t.starts_with([' ', '\t']) {
                break;
            }
            end = l;
        } else if !idx.line(l + 1).starts_with([' ', '\t']) || idx.line(l + 1).trim().is_empty() {
            break;
        }
        l += 1;
    }
    let mut out = Vec::new();
    for (i, c) in d.callouts.iter().enumerate() {
        let stop = d
            .callouts
            .get(i + 1)
            .map_or(end, |n| n.line.saturating_sub(1));
        let mut src = String::new();
        for l in c.line..=stop.max(c.line) {
            let t = idx.line(l);
            if l == c.line {
                let t = t.trim_start();
                src.push_str(&t[list_marker_len(t).unwrap_or(0)..]);
            } else {
                src.push_str(t.trim_start());
            }
            src.push('\n');
        }
        out.push(src.trim().to_owned());
    }
    (out, Some(end))
}

/// Length of an ordered or bullet list marker with its following space.
fn list_marker_len(t: &str) -> Option<usize> {
    let t0 = t.trim_start();
    let lead = t.len() - t0.len();
    let digits = t0.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if digits > 0 && matches!(t0.as_bytes().get(digits), Some(b'.' | b')')) {
        digits + 1
    } else if matches!(t0.as_bytes().first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        return None;
    };
    let spaces = t0[marker..].bytes().take_while(|&b| b == b' ').count();
    (spaces > 0 || t0.len() == marker).then_some(lead + marker + spaces)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use std::path::Path;

    fn doc(text: &str, vars: &[(&str, &str)]) -> (Page, Doc) {
        let page = parse_page(Path::new("p.md"), "p.md", "en", text.as_bytes());
        let vars = Vars(
            vars.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let d = prepare(&page, text, &vars);
        (page, d)
    }

    #[test]
    fn variables_are_replaced_where_known() {
        let v = Vars([("REF".to_owned(), "main".to_owned())].into());
        assert_eq!(v.apply("on VAR::REF, VAR::NOPE."), "on main, VAR::NOPE.");
        assert_eq!(v.apply("VAR::"), "VAR::");
        assert_eq!(v.apply("xVAR::REFy VAR::REF"), "xVAR::REFy main");
    }

    #[test]
    fn parts_from_the_model_become_placeholders() {
        let text = "---\ntitle: T\n---\n\nIntro VAR::X.\n\n::yaml{file=\"m.yaml\" paths=\"a,b\"}\n\n1. First `a`\n   continued.\n2. Second\n\nAfter.\n\n:::tip Careful\nInside.\n\n```bash wait=1\n$ echo VAR::X\nVAR::X\n```\n:::\n";
        let (_, d) = doc(text, &[("X", "ex")]);
        assert!(!d.markdown.contains("title: T"));
        assert!(d.markdown.contains("Intro ex."));
        assert!(!d.markdown.contains("First"), "{}", d.markdown);
        assert!(d.markdown.contains("After."));
        assert!(!d.markdown.contains("echo"));
        assert_eq!(d.pieces.len(), 4);
        match &d.pieces[1] {
            Piece::Leaf {
                directive,
                callouts,
            } => {
                assert_eq!(directive.name, "yaml");
                assert_eq!(callouts, &["First `a`\ncontinued.", "Second"]);
            }
            other => panic!("{other:?}"),
        }
        match &d.pieces[0] {
            Piece::Code(c) => assert_eq!(
                c.lines,
                [
                    CodeLine::Command("echo ex".into()),
                    CodeLine::Output("ex".into())
                ]
            ),
            other => panic!("{other:?}"),
        }
        let placeholders: Vec<usize> = d.markdown.lines().filter_map(|l| d.piece_of(l)).collect();
        assert_eq!(placeholders.len(), 4);
    }

    #[test]
    fn placeholders_keep_list_and_quote_nesting() {
        let text = "1. Step\n\n   ```bash\n   $ ls\n   ```\n\n> ```sh\n> x\n> ```\n";
        let (_, d) = doc(text, &[]);
        assert!(d.markdown.contains(&format!("   {}0", d.token)));
        assert!(d.markdown.contains(&format!("> {}1", d.token)));
    }

    #[test]
    fn tokens_avoid_page_text() {
        let text = "labrunpiecex0 is a word here\n";
        let (_, d) = doc(text, &[]);
        assert_ne!(d.token, "labrunpiecex");
        assert!(d.markdown.contains("labrunpiecex0 is a word"));
        assert_eq!(d.piece_of("labrunpiecex0 is a word here"), None);
    }

    #[test]
    fn unclosed_containers_close_at_the_end() {
        let (_, d) = doc(":::note\ntext\n", &[]);
        assert!(matches!(d.pieces.last(), Some(Piece::Close { .. })));
    }
}
