//! Pages drawn for a terminal: headings, wrapped prose, admonitions as
//! labelled boxes, `bash` blocks with `$ ` commands and dimmed output,
//! manifests with line numbers, alternating highlighted ranges, `[n]`
//! markers and the numbered callouts.
//!
//! Without colour every distinction stays visible in plain text (prompts,
//! gutter marks `┃`/`╏` for alternating ranges, `[n]` markers), so the
//! output reads the same in a CI log.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use textwrap::core::display_width;

use crate::i18n::Lang;
use crate::msg;
use crate::ui::{self, Tone};
use crate::wrap;

use super::{CodeLine, CodeView, Doc, Prepared, TimeView, View, YamlView};

#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub color: bool,
    /// Columns to wrap prose at.
    pub width: usize,
}

/// The Markdown options the model's parser uses, so both see the same page.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options as O;
    O::ENABLE_TABLES | O::ENABLE_HEADING_ATTRIBUTES | O::ENABLE_GFM | O::ENABLE_STRIKETHROUGH
}

/// Draws one prepared page. `header` is shown above it (e.g. its position in
/// a lab).
pub fn render_page(p: &Prepared<'_>, header: Option<&str>, opts: Options) -> String {
    let mut w = Writer::new(opts, p.lang);
    if let Some(h) = header {
        w.line(&w.paint(Tone::Dim, h));
    }
    // The site shows the front matter title when the page has no `# ` heading.
    if !p.page.headings.iter().any(|h| h.level == 1) {
        w.gap();
        let title = clean(&p.page.title);
        w.line(&w.paint(Tone::Bold, &format!("# {title}")));
    }
    markdown(&mut w, &p.doc.markdown, Some((&p.doc, &p.views)));
    w.finish()
}

/// Page text made safe for the terminal ([`ui::clean`]), tabs as spaces.
fn clean(s: &str) -> String {
    ui::clean(s).replace('\t', " ")
}

struct Prefix {
    first: String,
    rest: String,
    used: bool,
}

struct ListState {
    next: Option<u64>,
}

struct Writer {
    opts: Options,
    lang: Lang,
    out: String,
    prefixes: Vec<Prefix>,
    /// True right after a box or item opened: no blank line before its
    /// first block.
    fresh: bool,
    /// Nothing written yet.
    empty: bool,
    /// The last line written is a blank separator.
    blank: bool,
    /// A paragraph started: separate it from what came before once it
    /// turns out not to be a placeholder.
    para: bool,
    /// Inline text being collected: painted and plain forms.
    inline: String,
    plain: String,
    in_inline: bool,
    styles: Vec<Tone>,
    lists: Vec<ListState>,
    link_dest: Vec<String>,
    heading: Option<u8>,
    table: Option<Vec<Vec<String>>>,
    code: Option<String>,
}

impl Writer {
    fn new(opts: Options, lang: Lang) -> Writer {
        Writer {
            opts,
            lang,
            out: String::new(),
            prefixes: Vec::new(),
            fresh: false,
            empty: true,
            blank: false,
            para: false,
            inline: String::new(),
            plain: String::new(),
            in_inline: false,
            styles: Vec::new(),
            lists: Vec::new(),
            link_dest: Vec::new(),
            heading: None,
            table: None,
            code: None,
        }
    }

    fn paint(&self, tone: Tone, text: &str) -> String {
        ui::paint(self.opts.color, tone, text)
    }

    fn prefix_width(&self) -> usize {
        self.prefixes
            .iter()
            .map(|p| display_width(if p.used { &p.rest } else { &p.first }))
            .sum()
    }

    /// One output line behind the current prefixes.
    fn line(&mut self, text: &str) {
        for p in &mut self.prefixes {
            self.out.push_str(if p.used { &p.rest } else { &p.first });
            p.used = true;
        }
        self.out.push_str(text);
        // Trailing blanks of prefixes on empty lines would only add noise.
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push('\n');
        self.fresh = false;
        self.empty = false;
        self.blank = false;
    }

    /// A blank line between blocks (none at the start of a box or item).
    fn gap(&mut self) {
        if self.fresh || self.empty || self.blank {
            return;
        }
        self.blank = true;
        let mut s = String::new();
        for p in &self.prefixes {
            s.push_str(if p.used { &p.rest } else { &p.first });
        }
        self.out.push_str(s.trim_end());
        self.out.push('\n');
    }

    fn push_prefix(&mut self, first: String, rest: String) {
        self.prefixes.push(Prefix {
            first,
            rest,
            used: false,
        });
        self.fresh = true;
    }

    fn pop_prefix(&mut self) {
        self.prefixes.pop();
    }

    fn text(&mut self, t: &str) {
        let t = clean(t);
        self.in_inline = true;
        self.plain.push_str(&t);
        let painted = match self.styles.last() {
            Some(&tone) => self.paint(tone, &t),
            None => t,
        };
        self.inline.push_str(&painted);
    }

    /// Writes the collected inline text, wrapped; a placeholder paragraph
    /// becomes its piece instead.
    fn flush(&mut self, ctx: Option<(&Doc, &[View])>) {
        let para = std::mem::take(&mut self.para);
        if !self.in_inline {
            return;
        }
        let inline = std::mem::take(&mut self.inline);
        let plain = std::mem::take(&mut self.plain);
        self.in_inline = false;
        if let Some((doc, views)) = ctx
            && let Some(i) = doc.piece_of(&plain)
        {
            self.view(&views[i]);
            return;
        }
        if para {
            self.gap();
        }
        let (text, tone) = match self.heading.take() {
            Some(level) => (
                format!("{} {}", "#".repeat(level as usize), inline.trim()),
                Some(Tone::Bold),
            ),
            None => (inline.trim().to_owned(), None),
        };
        let width = self.opts.width.saturating_sub(self.prefix_width()).max(20);
        for hard in text.split('\n') {
            for l in textwrap::wrap(hard.trim(), wrap::options(width)) {
                let l = match tone {
                    Some(t) => self.paint(t, &l),
                    None => l.into_owned(),
                };
                self.line(&l);
            }
        }
    }

    fn finish(mut self) -> String {
        self.flush(None);
        while self.out.ends_with("\n\n") {
            self.out.pop();
        }
        self.out
    }

    fn view(&mut self, v: &View) {
        match v {
            View::Code(c) => self.code_view(c),
            View::Yaml(y) => self.yaml(y),
            View::Time(t) => self.time(t),
            View::Open { kind, label, title } => {
                self.gap();
                let tone = kind_tone(kind);
                let head = match title {
                    Some(t) => format!("{}: {}", label, clean(t)),
                    None => label.clone(),
                };
                let head = format!("╭─ {}", self.paint(tone, &head));
                self.line(&head);
                self.push_prefix("│ ".into(), "│ ".into());
            }
            View::Close { .. } => {
                self.pop_prefix();
                self.line("╰─");
            }
            View::Image { source, alt } => {
                self.gap();
                let text = if alt.trim().is_empty() {
                    clean(source)
                } else {
                    format!("{} ({})", clean(alt), clean(source))
                };
                let l = self.paint(Tone::Dim, &format!("[🖼 {text}]"));
                self.line(&l);
            }
            View::Other { name } => {
                self.gap();
                let l = self.paint(Tone::Dim, &format!("[::{}]", clean(name)));
                self.line(&l);
            }
            View::Problem { name, message } => {
                self.gap();
                let l = self.paint(Tone::Error, &format!("✗ ::{}: {}", clean(name), message));
                self.line(&l);
            }
        }
    }

    fn code_view(&mut self, c: &CodeView) {
        self.gap();
        for l in &c.lines {
            match l {
                CodeLine::Command(text) => {
                    for (i, part) in clean(text).split('\n').enumerate() {
                        let prompt = if i == 0 { "$ " } else { "  " };
                        let s = format!(
                            "    {}{}",
                            self.paint(Tone::Dim, prompt),
                            self.paint(Tone::Bold, part)
                        );
                        self.line(&s);
                    }
                }
                CodeLine::Output(text) => {
                    let s = format!("    {}", self.paint(Tone::Dim, &clean(text)));
                    self.line(&s);
                }
                CodeLine::Code(text) => {
                    let s = format!("    {}", clean(text));
                    self.line(&s);
                }
            }
        }
    }

    fn yaml(&mut self, y: &YamlView) {
        self.gap();
        // Title, path and zoom note on one line when they fit, else one
        // line each.
        let mut parts = vec![(Tone::Bold, clean(&y.title))];
        if y.shown_path != y.title {
            parts.push((Tone::Dim, clean(&y.shown_path)));
        }
        if let Some(z) = y.zoom {
            let note = msg!("render-yaml-zoomed", start = z.start, end = z.end).text_in(self.lang);
            parts.push((Tone::Dim, format!("({note})")));
        }
        let one_line: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
        let fits = display_width(&one_line.join("  ")) + self.prefix_width() <= self.opts.width;
        if fits {
            let head: Vec<String> = parts.iter().map(|(tone, t)| self.paint(*tone, t)).collect();
            self.line(&head.join("  "));
        } else {
            for (tone, t) in &parts {
                let l = self.paint(*tone, t);
                self.line(&l);
            }
        }
        let num_w = y
            .lines
            .iter()
            .map(|l| l.number.to_string().len())
            .max()
            .unwrap_or(1);
        let marks = |l: &super::YamlLine| -> String {
            l.markers
                .iter()
                .map(|&i| format!("[{}]", y.ranges[i].number))
                .collect()
        };
        let mark_w = y
            .lines
            .iter()
            .map(|l| marks(l).len())
            .max()
            .unwrap_or(0)
            .max(3);
        for l in &y.lines {
            let m = marks(l);
            let gutter = match (m.is_empty(), l.range) {
                (false, _) => self.paint(Tone::Bold, &format!("{m:>mark_w$}")),
                (true, Some(r)) => {
                    let bar = if y.ranges[r].even { "┃" } else { "╏" };
                    format!(
                        "{:>w$}{}",
                        " ",
                        bar,
                        w = mark_w.div_ceil(2).saturating_sub(1)
                    ) + &" ".repeat(mark_w - mark_w.div_ceil(2))
                }
                (true, None) => " ".repeat(mark_w),
            };
            let text = clean(&l.text);
            let text = match l.range {
                Some(r) if y.ranges[r].even => self.paint(Tone::Good, &text),
                Some(_) => self.paint(Tone::Accent, &text),
                None => text,
            };
            let s = format!(
                "  {} {} {}",
                self.paint(Tone::Dim, &format!("{:>num_w$}", l.number)),
                gutter,
                text
            );
            self.line(&s);
        }
        for (i, c) in y.callouts.iter().enumerate() {
            self.gap();
            let marker = format!("[{}] ", i + 1);
            let rest = " ".repeat(marker.len());
            self.push_prefix(self.paint(Tone::Bold, &marker), rest);
            markdown(self, c, None);
            self.pop_prefix();
        }
    }

    fn time(&mut self, t: &TimeView) {
        self.gap();
        let l = self.paint(Tone::Bold, &format!("⏱  {}", t.label));
        self.line(&l);
        let mut notes = vec![(Tone::Dim, t.detail.clone())];
        if t.time.execution.is_upper_bound() {
            let note = msg!("render-time-upper-bound-note").text_in(self.lang);
            notes.push((Tone::Warning, note));
        }
        self.push_prefix("   ".into(), "   ".into());
        for (tone, text) in notes {
            let width = self.opts.width.saturating_sub(self.prefix_width()).max(20);
            for l in textwrap::wrap(&text, wrap::options(width)) {
                let l = self.paint(tone, &l);
                self.line(&l);
            }
        }
        self.pop_prefix();
    }

    fn table(&mut self, rows: Vec<Vec<String>>) {
        self.gap();
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..cols)
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| display_width(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for (i, r) in rows.iter().enumerate() {
            let cells: Vec<String> = (0..cols)
                .map(|c| {
                    let s = r.get(c).map_or("", String::as_str);
                    format!("{s}{}", " ".repeat(widths[c] - display_width(s)))
                })
                .collect();
            let line = cells.join(" │ ");
            let line = if i == 0 {
                self.paint(Tone::Bold, &line)
            } else {
                line
            };
            self.line(line.trim_end());
            if i == 0 {
                let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
                self.line(&rule.join("─┼─"));
            }
        }
    }
}

fn kind_tone(kind: &str) -> Tone {
    match kind {
        "caution" | "warning" | "important" => Tone::Warning,
        "danger" => Tone::Error,
        "tip" => Tone::Good,
        _ => Tone::Accent,
    }
}

/// Walks Markdown; `ctx` supplies the page's placeholders and their views.
fn markdown(w: &mut Writer, md: &str, ctx: Option<(&Doc, &[View])>) {
    for ev in Parser::new_ext(md, markdown_options()) {
        if let Some(rows) = w.table.as_mut() {
            match ev {
                Event::End(TagEnd::Table) => {
                    let rows = w.table.take().unwrap_or_default();
                    w.table(rows);
                }
                Event::Start(Tag::TableHead | Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    if let Some(r) = rows.last_mut() {
                        r.push(String::new());
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(c) = rows.last_mut().and_then(|r| r.last_mut()) {
                        c.push_str(&clean(&t));
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Some(code) = w.code.as_mut() {
            match ev {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = w.code.take().unwrap_or_default();
                    w.gap();
                    for l in code.trim_end_matches('\n').split('\n') {
                        w.line(&format!("    {}", clean(l)));
                    }
                }
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(Tag::Paragraph) => {
                w.flush(ctx);
                w.para = true;
            }
            Event::End(TagEnd::Paragraph) => w.flush(ctx),
            Event::Start(Tag::Heading { level, .. }) => {
                w.flush(ctx);
                w.gap();
                w.heading = Some(match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                });
            }
            Event::End(TagEnd::Heading(_)) => w.flush(ctx),
            Event::Start(Tag::BlockQuote(kind)) => {
                w.flush(ctx);
                w.gap();
                w.push_prefix("│ ".into(), "│ ".into());
                if let Some(k) = kind {
                    let k = format!("{k:?}").to_lowercase();
                    let label = super::kind_label(&k, w.lang);
                    let l = w.paint(kind_tone(&k), &label);
                    w.line(&l);
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                w.flush(ctx);
                w.pop_prefix();
            }
            Event::Start(Tag::List(start)) => {
                w.flush(ctx);
                if w.lists.is_empty() {
                    w.gap();
                }
                w.lists.push(ListState { next: start });
            }
            Event::End(TagEnd::List(_)) => {
                w.flush(ctx);
                w.lists.pop();
            }
            Event::Start(Tag::Item) => {
                w.flush(ctx);
                let marker = match w.lists.last_mut().and_then(|l| l.next.as_mut()) {
                    Some(n) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    None => "• ".to_owned(),
                };
                let rest = " ".repeat(display_width(&marker));
                w.push_prefix(marker, rest);
            }
            Event::End(TagEnd::Item) => {
                w.flush(ctx);
                if w.prefixes.last().is_some_and(|p| !p.used) {
                    w.line("");
                }
                w.pop_prefix();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                w.flush(ctx);
                w.code = Some(String::new());
            }
            Event::Start(Tag::Table(_)) => {
                w.flush(ctx);
                w.table = Some(Vec::new());
            }
            Event::Start(Tag::Emphasis | Tag::Strong) => w.styles.push(Tone::Bold),
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                w.styles.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => w.link_dest.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(d) = w.link_dest.pop()
                    && !d.is_empty()
                    && d != w.plain.rsplit(' ').next().unwrap_or("")
                {
                    let s = w.paint(Tone::Dim, &format!(" ({})", clean(&d)));
                    w.inline.push_str(&s);
                    w.plain.push_str(&format!(" ({d})"));
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                w.text("[");
                w.link_dest.push(dest_url.to_string());
            }
            Event::End(TagEnd::Image) => {
                let d = w.link_dest.pop().unwrap_or_default();
                w.text(&format!("] ({d})"));
            }
            Event::Text(t) => w.text(&t),
            Event::Code(t) => {
                w.in_inline = true;
                let t = clean(&t);
                w.plain.push_str(&t);
                let s = if w.opts.color {
                    w.paint(Tone::Accent, &t)
                } else {
                    format!("`{t}`")
                };
                w.inline.push_str(&s);
            }
            Event::SoftBreak => w.text(" "),
            Event::HardBreak => {
                w.inline.push('\n');
                w.plain.push('\n');
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let t = h.trim();
                if !(t.starts_with("<!--") || t.is_empty()) {
                    w.text(&h);
                }
            }
            Event::Rule => {
                w.flush(ctx);
                w.gap();
                w.line(&"─".repeat(20));
            }
            Event::TaskListMarker(done) => w.text(if done { "[x] " } else { "[ ] " }),
            _ => {}
        }
    }
    w.flush(ctx);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use crate::render::{Vars, doc};
    use std::path::Path;

    fn draw(text: &str, color: bool) -> String {
        let page = parse_page(Path::new("p.md"), "p.md", "en", text.as_bytes());
        let d = doc::prepare(&page, text, &Vars::default());
        let views: Vec<View> = d
            .pieces
            .iter()
            .map(|p| match p {
                doc::Piece::Code(c) => View::Code(c.clone()),
                doc::Piece::Open { directive } => View::Open {
                    kind: directive.name.clone(),
                    label: "Tip".into(),
                    title: directive.label.clone(),
                },
                doc::Piece::Close { directive } => View::Close {
                    kind: directive.name.clone(),
                },
                doc::Piece::Leaf { directive, .. } => View::Other {
                    name: directive.name.clone(),
                },
            })
            .collect();
        let prepared = Prepared {
            page: &page,
            doc: d,
            views,
            lang: Lang::En,
        };
        render_page(&prepared, None, Options { color, width: 40 })
    }

    #[test]
    fn prose_wraps_and_boxes_nest() {
        let out = draw(
            "# Title\n\nA paragraph that is long enough to need wrapping at forty columns.\n\n:::tip Be careful\nInside the box.\n\n```bash\n$ echo hi\nhi\n```\n:::\n\n- one\n- two\n",
            false,
        );
        assert_eq!(
            out,
            "# Title\n\nA paragraph that is long enough to need\nwrapping at forty columns.\n\n╭─ Tip: Be careful\n│ Inside the box.\n│\n│     $ echo hi\n│     hi\n╰─\n\n• one\n• two\n"
        );
    }

    #[test]
    fn japanese_wraps_by_display_width() {
        let out = draw(&format!("{}\n", "あ".repeat(30)), false);
        let lines: Vec<&str> = out.lines().filter(|l| l.contains('あ')).collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines.iter().all(|l| display_width(l) <= 40));
    }

    #[test]
    fn japanese_breaks_between_characters_not_before_punctuation() {
        let text = format!("{}1 つのドキュメントにしています。\n", "あ".repeat(15));
        let out = draw(&text, false);
        let lines: Vec<&str> = out.lines().skip_while(|l| !l.contains('あ')).collect();
        // The line is filled up to the width instead of breaking at the
        // space; "キュ" stays together, so 38 columns.
        assert_eq!(display_width(lines[0]), 38, "{out}");
        assert!(lines[1].starts_with("キュ"), "{out}");
        for l in &lines {
            assert!(!l.starts_with(wrap::no_break_before), "{out}");
        }
        assert!(!lines[1].starts_with('。'), "{out}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let out = draw("Text \u{1b}[31mred\u{7} here\n", false);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        let colored = draw("`code` and **bold**\n", true);
        assert!(colored.contains('\u{1b}'));
    }
}
