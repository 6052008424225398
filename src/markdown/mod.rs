//! The Markdown engine: bytes of one page in, a [`Page`] out.
//!
//! Stages, in order (each a function below, each with its own module where it
//! is more than a few lines):
//! 1. decode (UTF-8, BOM) and index lines,
//! 2. front matter ([`front_matter`]),
//! 3. CommonMark events from pulldown-cmark with source offsets: fences,
//!    headings, links, lists, HTML, alerts, prose,
//! 4. directive lines outside code ([`directive`]), then callout lists and
//!    container nesting are attached,
//! 5. commands of runnable fences ([`fence`]),
//! 6. placeholders and shortcodes.
//!
//! Nothing here panics on any input; problems become [`Diagnostic`]s.

pub mod directive;
pub mod fence;
pub mod front_matter;
pub mod lines;

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diag::Diagnostic;
use crate::model::*;
use crate::msg;
use lines::LineIndex;

/// Parses one page. `rel` is the path relative to the locale root.
pub fn parse_page(file: &Path, rel: &str, locale: &str, bytes: &[u8]) -> Page {
    let mut diags = Vec::new();
    let decoded = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let col = String::from_utf8_lossy(
                &before[before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)..],
            )
            .chars()
            .count() as u32
                + 1;
            diags.push(crate::rules::finding(
                "file/not-utf8",
                file,
                line,
                col,
                msg!("diag-file-not-utf8"),
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let text = decoded.strip_prefix('\u{feff}').unwrap_or(&decoded);
    parse_text(file, rel, locale, text, diags)
}

struct Fence {
    line: u32,
    end_line: u32,
    info: String,
    info_col: u32,
    code: String,
    closed: bool,
}

struct ListAcc {
    line: u32,
    ordered: bool,
    items: Vec<Callout>,
}

/// Everything the CommonMark pass collects.
#[derive(Default)]
struct Collected {
    fences: Vec<Fence>,
    /// Lines covered by any code block (fenced or indented), where directive
    /// syntax means nothing.
    code_lines: Vec<(u32, u32)>,
    headings: Vec<Heading>,
    links: Vec<Link>,
    html_anchors: Vec<Anchor>,
    alerts: Vec<Alert>,
    comments: Vec<Comment>,
    lists: Vec<ListAcc>,
    prose: ProseStats,
}

fn parse_text(
    file: &Path,
    rel: &str,
    locale: &str,
    text: &str,
    mut diags: Vec<Diagnostic>,
) -> Page {
    let idx = LineIndex::new(text);
    let (front, body_line) = front_matter::parse(&idx, file, &mut diags);
    let body_start = idx.line_start(body_line);
    let c = commonmark(text, body_start, &idx);

    // One flag per line, so the per-line stages below ask in O(1).
    let mut code_flags = vec![false; idx.line_count() as usize + 2];
    for &(a, b) in &c.code_lines {
        for l in a..=b.min(idx.line_count()) {
            code_flags[l as usize] = true;
        }
    }
    let in_code = |line: u32| code_flags.get(line as usize).copied().unwrap_or(false);
    let mut directives = directives(&idx, body_line, &in_code, file, &mut diags);
    attach_callouts(&mut directives, &c.lists, &idx);

    let mut blocks = Vec::with_capacity(c.fences.len());
    for f in &c.fences {
        blocks.push(block(f, &directives, file, &mut diags));
    }

    let prose = c.prose;

    let (variables, shortcodes) = placeholders(&idx, body_line, &in_code);
    let title = front
        .title
        .clone()
        .or_else(|| {
            c.headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.text.clone())
        })
        .unwrap_or_else(|| {
            Path::new(rel)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let name = rel.rsplit('/').next().unwrap_or(rel);
    Page {
        file: file.to_owned(),
        rel: rel.to_owned(),
        locale: locale.to_owned(),
        is_index: matches!(name, "index.md" | "_index.md" | "index.mdx" | "_index.mdx"),
        notest: false,
        orphan: false,
        front,
        title,
        blocks,
        directives,
        headings: c.headings,
        links: c.links,
        html_anchors: c.html_anchors,
        alerts: c.alerts,
        shortcodes,
        variables,
        comments: c.comments,
        prose,
        diagnostics: diags,
    }
}

fn heading_level(l: HeadingLevel) -> u8 {
    l as u8
}

/// Stage 3: one pass over pulldown-cmark's events.
fn commonmark(text: &str, body_start: usize, idx: &LineIndex<'_>) -> Collected {
    let body = &text[body_start..];
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH;
    let mut c = Collected::default();
    let mut fence: Option<Fence> = None;
    let mut heading: Option<(u8, Option<String>, u32, String)> = None;
    let mut list_stack: Vec<ListAcc> = Vec::new();
    let mut item_text: Option<String> = None;
    // Link positions, counted on along a line (a line of thousands of
    // links would otherwise be counted again for each).
    let mut cursor = idx.cursor();
    // (line, whether it is a directive line) of the last text event.
    let mut directive_line = (0u32, false);
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        let start = body_start + range.start;
        let end = body_start + range.end;
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let line = idx.line_of(start);
                let last = idx.line_of(end.saturating_sub(1).max(start));
                c.code_lines.push((line, last));
                if let CodeBlockKind::Fenced(info) = kind {
                    let l = idx.line(line);
                    let marker_at = l.find(['`', '~']).unwrap_or(0);
                    let marker = l.as_bytes().get(marker_at).copied().unwrap_or(b'`');
                    let marker_len = l[marker_at..].bytes().take_while(|&b| b == marker).count();
                    let info_at = l[marker_at + marker_len..]
                        .find(|ch: char| !ch.is_whitespace())
                        .map_or(l.len(), |p| p + marker_at + marker_len);
                    let closing = idx.line(last).trim();
                    let closed = last > line
                        && closing.len() >= marker_len
                        && closing.bytes().all(|b| b == marker);
                    fence = Some(Fence {
                        line,
                        end_line: last,
                        info: info.to_string(),
                        info_col: LineIndex::col_in(l, info_at),
                        code: String::new(),
                        closed,
                    });
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(f) = fence.take() {
                    c.fences.push(f);
                }
            }
            Event::Text(t) if fence.is_some() => fence.as_mut().unwrap().code.push_str(&t),
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    heading_level(level),
                    id.map(|s| s.to_string()),
                    idx.line_of(start),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, line, text)) = heading.take() {
                    let text = text.trim().to_owned();
                    let anchor = id.clone().unwrap_or_else(|| slug(&text));
                    c.headings.push(Heading {
                        level,
                        text,
                        id,
                        anchor,
                        line,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => c.links.push(Link {
                kind: LinkKind::Link,
                dest: dest_url.to_string(),
                pos: cursor.pos(start),
            }),
            Event::Start(Tag::Image { dest_url, .. }) => c.links.push(Link {
                kind: LinkKind::Image,
                dest: dest_url.to_string(),
                pos: cursor.pos(start),
            }),
            Event::Start(Tag::BlockQuote(Some(kind))) => c.alerts.push(Alert {
                kind: format!("{kind:?}").to_uppercase(),
                line: idx.line_of(start),
            }),
            Event::Start(Tag::List(first)) => list_stack.push(ListAcc {
                line: idx.line_of(start),
                ordered: first.is_some(),
                items: Vec::new(),
            }),
            Event::End(TagEnd::List(_)) => {
                if let Some(list) = list_stack.pop()
                    && list_stack.is_empty()
                {
                    c.lists.push(list);
                }
            }
            Event::Start(Tag::Item) if list_stack.len() == 1 => {
                item_text = Some(String::new());
                let line = idx.line_of(start);
                list_stack[0].items.push(Callout {
                    line,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Item) if list_stack.len() == 1 => {
                if let (Some(t), Some(item)) = (item_text.take(), list_stack[0].items.last_mut()) {
                    item.text = t.trim().to_owned();
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(&t);
                }
                if let Some(it) = item_text.as_mut() {
                    it.push_str(&t);
                }
                // Directive lines read as paragraphs to CommonMark; they are
                // markup, not prose. Asked once per line: a line may hold
                // thousands of text events.
                let line = idx.line_of(start);
                if directive_line.0 != line {
                    directive_line = (line, idx.line(line).trim_start().starts_with("::"));
                }
                if !directive_line.1 {
                    count_prose(&t, &mut c.prose);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(it) = item_text.as_mut() {
                    it.push(' ');
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let line = idx.line_of(start);
                html(&h, line, &mut c);
                if let (Some(hd), Some(a)) = (heading.as_mut(), c.html_anchors.last())
                    && a.line == line
                    && hd.1.is_none()
                {
                    hd.1 = Some(a.id.clone());
                }
            }
            _ => {}
        }
    }
    c
}

/// Records HTML comments and `<a name|id="…">` anchors.
fn html(h: &str, line: u32, c: &mut Collected) {
    let t = h.trim();
    if let Some(inner) = t.strip_prefix("<!--") {
        let inner = inner.trim_end().strip_suffix("-->").unwrap_or(inner);
        c.comments.push(Comment {
            line,
            text: inner.trim().to_owned(),
        });
        return;
    }
    let mut rest = t;
    while let Some(p) = rest.find("<a ") {
        rest = &rest[p + 3..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..tag_end];
        for attr in ["name=", "id="] {
            if let Some(ap) = tag.find(attr) {
                let v = &tag[ap + attr.len()..];
                let q = v.chars().next();
                let id: String = match q {
                    Some(q @ ('"' | '\'')) => v[1..].chars().take_while(|&ch| ch != q).collect(),
                    _ => v
                        .chars()
                        .take_while(|ch| !ch.is_whitespace() && *ch != '/')
                        .collect(),
                };
                if !id.is_empty() {
                    c.html_anchors.push(Anchor { id, line });
                    break;
                }
            }
        }
    }
}

/// GitHub/Docusaurus-style heading slug: lowercase, punctuation dropped
/// (letters of every script kept), spaces to hyphens.
pub fn slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for ch in text.trim().chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() || ch == '-' || ch == '_' {
            s.push(ch);
        } else if ch == ' ' {
            s.push('-');
        }
    }
    s
}

/// Stage 4: directive lines outside code, with containers matched.
fn directives(
    idx: &LineIndex<'_>,
    body_line: u32,
    in_code: &dyn Fn(u32) -> bool,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Directive> {
    let mut out: Vec<Directive> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new(); // (index into out, colons)
    for line in body_line..=idx.line_count() {
        let text = idx.line(line);
        if !text.trim_start().starts_with("::") || in_code(line) {
            continue;
        }
        match directive::parse_line(text) {
            Ok(None) => {}
            Ok(Some(directive::Line::Leaf(p))) => {
                out.push(make_directive(p, DirectiveKind::Leaf, line, text));
            }
            Ok(Some(directive::Line::OneLine(p))) => {
                let mut d = make_directive(p, DirectiveKind::Container, line, text);
                d.end_line = Some(line);
                d.docs_extension = true;
                out.push(d);
            }
            // Microsoft Docs closes `:::zone` with `:::zone-end`.
            Ok(Some(directive::Line::Open { parsed, .. }))
                if parsed
                    .name
                    .strip_suffix("-end")
                    .is_some_and(|base| open.last().is_some_and(|&(i, _)| out[i].name == base)) =>
            {
                let (i, _) = open.pop().expect("checked above");
                out[i].end_line = Some(line);
                out[i].docs_extension = true;
            }
            Ok(Some(directive::Line::Open { colons, parsed })) => {
                open.push((out.len(), colons));
                out.push(make_directive(parsed, DirectiveKind::Container, line, text));
            }
            Ok(Some(directive::Line::Close { colons })) => {
                // The closing fence needs at least as many colons as its opener.
                match open.iter().rposition(|&(_, n)| n <= colons) {
                    Some(p) => {
                        for (i, _) in open.drain(p..).rev() {
                            out[i].end_line.get_or_insert(line);
                        }
                    }
                    None => diags.push(crate::rules::finding(
                        "directive/unmatched-close",
                        file,
                        line,
                        1,
                        msg!("diag-directive-unmatched-close"),
                    )),
                }
            }
            Err(m) => diags.push(crate::rules::finding(
                "directive/malformed",
                file,
                line,
                LineIndex::col_in(text, m.offset),
                msg!("diag-directive-malformed", what = m.what),
            )),
        }
    }
    for (i, _) in open {
        let d = &out[i];
        diags.push(crate::rules::finding(
            "directive/unterminated-container",
            file,
            d.pos.line,
            d.pos.col,
            msg!(
                "diag-directive-unterminated-container",
                name = d.name.as_str()
            ),
        ));
    }
    out
}

fn make_directive(p: directive::Parsed, kind: DirectiveKind, line: u32, text: &str) -> Directive {
    Directive {
        name: p.name,
        kind,
        pos: Pos::new(line, LineIndex::col_in(text, p.indent)),
        label: p.label,
        attrs: p.attrs,
        value_cols: p
            .spans
            .iter()
            .map(|&(a, b)| (LineIndex::col_in(text, a), LineIndex::col_in(text, b)))
            .collect(),
        end_line: None,
        callouts: Vec::new(),
        docs_extension: false,
    }
}

/// An ordered list that follows a leaf directive, with only blank lines
/// between, is that directive's callout list.
fn attach_callouts(directives: &mut [Directive], lists: &[ListAcc], idx: &LineIndex<'_>) {
    for d in directives
        .iter_mut()
        .filter(|d| d.kind == DirectiveKind::Leaf)
    {
        let Some(list) = lists.iter().find(|l| l.line > d.pos.line) else {
            continue;
        };
        if list.ordered && (d.pos.line + 1..list.line).all(|l| idx.line(l).trim().is_empty()) {
            d.callouts = list.items.clone();
        }
    }
}

/// Stage 5: a fence becomes a [`Block`].
fn block(f: &Fence, directives: &[Directive], file: &Path, diags: &mut Vec<Diagnostic>) -> Block {
    let (lang, info) = match f.info.trim().split_once(char::is_whitespace) {
        Some((l, rest)) => (l.to_owned(), rest.trim().to_owned()),
        None => (f.info.trim().to_owned(), String::new()),
    };
    let runnable = RUNNABLE_LANGS.contains(&lang.as_str());
    let info_col = f.info_col
        + f.info
            .trim()
            .find(&info)
            .map_or(0, |p| f.info.trim()[..p].chars().count() as u32);
    let annotations = fence::annotations(&info, f.line, info_col, runnable, file, diags);
    if !f.closed {
        diags.push(crate::rules::finding(
            "fence/unterminated",
            file,
            f.line,
            1,
            msg!("diag-fence-unterminated"),
        ));
    }
    let (commands, leading_output) = if runnable {
        let e = fence::commands(&f.code, f.line + 1, annotations.raw, file, diags);
        if e.commands.is_empty() && annotations.test {
            diags.push(crate::rules::finding(
                "fence/no-commands",
                file,
                f.line,
                1,
                msg!("diag-fence-no-commands"),
            ));
        }
        (e.commands, e.leading_output)
    } else {
        (Vec::new(), Vec::new())
    };
    let mut containers: Vec<&Directive> = directives
        .iter()
        .filter(|d| {
            d.kind == DirectiveKind::Container
                && d.pos.line < f.line
                && d.end_line.is_none_or(|e| e > f.line)
        })
        .collect();
    containers.sort_by_key(|d| d.pos.line);
    Block {
        line: f.line,
        end_line: f.end_line,
        lang,
        info,
        annotations,
        code: f.code.clone(),
        commands,
        leading_output,
        containers: containers.into_iter().map(|d| d.name.clone()).collect(),
        closed: f.closed,
    }
}

/// Scripts counted by characters.
enum CharScript {
    Han,
    Kana,
    Hangul,
}

fn char_script(c: char) -> Option<CharScript> {
    match c as u32 {
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F => {
            Some(CharScript::Han)
        }
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Some(CharScript::Kana),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF => {
            Some(CharScript::Hangul)
        }
        _ => None,
    }
}

fn count_prose(text: &str, stats: &mut ProseStats) {
    for word in text.split_whitespace() {
        let mut spaced = false;
        for c in word.chars() {
            match char_script(c) {
                Some(script) => {
                    stats.cjk_chars += 1;
                    match script {
                        CharScript::Han => stats.han += 1,
                        CharScript::Kana => stats.kana += 1,
                        CharScript::Hangul => stats.hangul += 1,
                    }
                }
                None if c.is_alphanumeric() => spaced = true,
                None => {}
            }
        }
        if spaced {
            stats.words += 1;
        }
    }
}

/// Stage 6: `VAR::NAME` placeholders (everywhere in the body) and Hugo
/// shortcodes (outside code).
fn placeholders(
    idx: &LineIndex<'_>,
    body_line: u32,
    in_code: &dyn Fn(u32) -> bool,
) -> (Vec<VarRef>, Vec<Shortcode>) {
    let mut vars = Vec::new();
    let mut shortcodes = Vec::new();
    // One search over the whole body per marker: most pages have none.
    let body_start = idx.line_start(body_line);
    let body = &idx.text()[body_start..];
    // Offsets come in order: one pass per line however many markers.
    let mut cursor = idx.cursor();
    for (at, _) in body.match_indices("VAR::") {
        let name: String = body[at + 5..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            vars.push(VarRef {
                name,
                pos: cursor.pos(body_start + at),
            });
        }
    }
    let mut cursor = idx.cursor();
    for (at, _) in body.match_indices("{{") {
        let rest = &body[at + 2..];
        if !(rest.starts_with('<') || rest.starts_with('%'))
            || in_code(idx.line_of(body_start + at))
        {
            continue;
        }
        let name: String = rest[1..]
            .trim_start()
            .trim_start_matches('/')
            .trim_start()
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '%')
            .collect();
        shortcodes.push(Shortcode {
            name,
            pos: cursor.pos(body_start + at),
        });
    }
    (vars, shortcodes)
}

#[cfg(test)]
mod tests;
