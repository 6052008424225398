//! Pages as a small static site: one HTML file per page under
//! `<out>/<locale>/<path>.html`, navigation in lab order, a language switch
//! where a translation exists, and `<out>/index.html` listing the languages.
//!
//! Escaping: page text never becomes markup. Raw HTML in Markdown is turned
//! into text (HTML comments are dropped, `<a name|id>` anchors are rebuilt
//! from their id), heading attributes are dropped, link targets with a
//! scheme other than http(s), mailto and tel are neutralized, and every
//! piece drawn from the model goes through tera templates with autoescaping
//! (`.html` templates).

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use serde::Serialize;
use tera::{Context, Tera};

use crate::i18n::Lang;
use crate::model::Page;
use crate::msg;

use super::highlight::{self, Token};
use super::terminal::markdown_options;
use super::{CodeLine, Prepared, View, YamlView, html_path, relative_url};

const TEMPLATES: [(&str, &str); 9] = [
    ("image.html", include_str!("templates/image.html.tera")),
    ("page.html", include_str!("templates/page.html.tera")),
    ("index.html", include_str!("templates/index.html.tera")),
    ("code.html", include_str!("templates/code.html.tera")),
    ("yaml.html", include_str!("templates/yaml.html.tera")),
    ("open.html", include_str!("templates/open.html.tera")),
    ("close.html", include_str!("templates/close.html.tera")),
    ("time.html", include_str!("templates/time.html.tera")),
    ("other.html", include_str!("templates/other.html.tera")),
];

/// The embedded templates, parsed once.
pub struct Templates {
    tera: Tera,
}

impl Templates {
    pub fn new() -> Templates {
        let mut tera = Tera::default();
        // Autoescaping follows the template name: every name ends in `.html`.
        tera.autoescape_on([".html"]);
        for (name, text) in TEMPLATES {
            // Embedded and covered by tests: a parse error is a build defect.
            tera.add_raw_template(name, text)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        Templates { tera }
    }

    pub(crate) fn render(&self, name: &str, ctx: &Context) -> String {
        let mut ctx = ctx.clone();
        // Line breaks between the lines of code listings.
        ctx.insert("nl", "\n");
        self.tera
            .render(name, &ctx)
            .unwrap_or_else(|e| panic!("template {name}: {e:?}"))
    }
}

impl Default for Templates {
    fn default() -> Self {
        Templates::new()
    }
}

/// A link target without a dangerous scheme (`javascript:`, `data:`, …);
/// browsers ignore blanks and control characters inside a scheme, so they
/// are ignored here too.
pub fn safe_url(dest: &str) -> Option<&str> {
    let squeezed: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(32)
        .collect();
    let scheme_end = squeezed.find(':');
    let path_start = squeezed.find(['/', '?', '#']);
    match scheme_end {
        Some(e) if path_start.is_none_or(|p| e < p) => {
            let scheme = squeezed[..e].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel").then_some(dest)
        }
        _ => Some(dest),
    }
}

/// Where the site links a page's relative link to: the `.html` of a page
/// of the site (in the page's locale, else in the source locale's part of
/// the site), else the link as written.
pub struct Links<'a> {
    /// This page's site path (`en/lab/a.html`).
    pub from: String,
    pub locale: String,
    /// The page's directory within its locale.
    pub dir: String,
    /// Rendered pages of this locale (`lab/a.md`).
    pub rendered: &'a HashSet<String>,
    /// For a translation: the source locale and its rendered pages, where
    /// links to pages not translated yet go.
    pub fallback: Option<(String, &'a HashSet<String>)>,
}

impl Links<'_> {
    /// The href of a link; `None` for a link to a Markdown page that is not
    /// in the site (it would lead nowhere).
    pub fn href(&self, dest: &str) -> Option<String> {
        let Some(dest) = safe_url(dest) else {
            return Some("#".to_owned());
        };
        let targets = std::iter::once((self.locale.as_str(), self.rendered))
            .chain(self.fallback.as_ref().map(|(l, set)| (l.as_str(), *set)));
        for (locale, set) in targets {
            if let Some((page, frag)) = link_target(&self.dir, dest, set) {
                let url = relative_url(&self.from, &html_path(locale, &page));
                return Some(if frag.is_empty() {
                    url
                } else {
                    format!("{url}#{frag}")
                });
            }
        }
        let path = dest.split(['#', '?']).next().unwrap_or("");
        let is_page = [".md", ".mdx"].iter().any(|e| path.ends_with(e));
        (!is_page || dest.contains(':')).then(|| dest.to_owned())
    }

    /// [`Links::href`], with `#` for a link that leads nowhere.
    pub fn rewrite(&self, dest: &str) -> String {
        self.href(dest).unwrap_or_else(|| "#".to_owned())
    }
}

/// The id of a lone `<a name="x">` / `<a id="x">` (optionally closed).
fn html_anchor(h: &str) -> Option<String> {
    let t = h.trim();
    let inner = t.strip_prefix("<a ")?;
    let inner = inner.strip_suffix("</a>").unwrap_or(inner).trim_end();
    let inner = inner.strip_suffix('>')?.trim_end().trim_end_matches('/');
    let (key, value) = inner.trim().split_once('=')?;
    if !matches!(key.trim(), "name" | "id") {
        return None;
    }
    let v = value.trim().trim_matches(['"', '\'']);
    (!v.is_empty() && !v.contains(['"', '\'', '<', '>', ' '])).then(|| v.to_owned())
}

/// Markdown to HTML with page text kept as text. `pieces` replaces
/// placeholder paragraphs; `page` gives headings their anchors.
fn markdown_html(
    md: &str,
    page: Option<&Page>,
    placeholders: Option<(&super::Doc, &[String])>,
    links: &Links<'_>,
) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading_i = 0;
    let mut after_anchor = false;
    // Per open link: whether it leads nowhere and is drawn as text.
    let mut dead_links: Vec<bool> = Vec::new();
    for ev in Parser::new_ext(md, markdown_options()) {
        let ev = match ev {
            Event::Html(h) | Event::InlineHtml(h) => {
                let t = h.trim();
                if t.starts_with("<!--") || t.is_empty() {
                    continue;
                }
                if after_anchor && t == "</a>" {
                    after_anchor = false;
                    continue;
                }
                if let Some(id) = html_anchor(t) {
                    after_anchor = !t.ends_with("</a>");
                    let mut s = String::from("<a id=\"");
                    pulldown_cmark_escape_attr(&id, &mut s);
                    s.push_str("\"></a>");
                    Event::Html(s.into())
                } else {
                    Event::Text(h)
                }
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                let anchor = page
                    .and_then(|p| p.headings.get(heading_i))
                    .filter(|h| h.level == level as u8)
                    .map(|h| CowStr::from(h.anchor.clone()))
                    .or(id);
                heading_i += 1;
                Event::Start(Tag::Heading {
                    level,
                    id: anchor,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match links.href(&dest_url) {
                Some(href) => {
                    dead_links.push(false);
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: href.into(),
                        title,
                        id,
                    })
                }
                None => {
                    dead_links.push(true);
                    Event::Html("<span class=\"link-missing\">".into())
                }
            },
            Event::End(TagEnd::Link) => {
                if dead_links.pop().unwrap_or(false) {
                    Event::Html("</span>".into())
                } else {
                    Event::End(TagEnd::Link)
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: safe_url(&dest_url).unwrap_or("#").to_owned().into(),
                title,
                id,
            }),
            other => other,
        };
        events.push(ev);
    }
    let mut out_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        if let Some((doc, html)) = placeholders {
            let piece = |e: &Event<'_>| match e {
                Event::Text(t) => doc.piece_of(t),
                _ => None,
            };
            if matches!(events[i], Event::Start(Tag::Paragraph))
                && let (Some(k), Some(Event::End(TagEnd::Paragraph))) =
                    (events.get(i + 1).and_then(piece), events.get(i + 2))
            {
                out_events.push(Event::Html(html[k].clone().into()));
                i += 3;
                continue;
            }
            if let Some(k) = piece(&events[i]) {
                out_events.push(Event::Html(html[k].clone().into()));
                i += 1;
                continue;
            }
        }
        out_events.push(events[i].clone());
        i += 1;
    }
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, out_events.into_iter());
    out
}

fn pulldown_cmark_escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A callout item's Markdown as inline HTML (one paragraph unwrapped).
fn inline_html(md: &str, links: &Links<'_>) -> String {
    let html = markdown_html(md, None, None, links);
    let t = html.trim();
    match t.strip_prefix("<p>").and_then(|r| r.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => t.to_owned(),
    }
}

#[derive(Serialize)]
struct LineCtx {
    number: u32,
    tokens: Vec<Token>,
    callout: Option<usize>,
    parity: &'static str,
    markers: Vec<usize>,
}

#[derive(Serialize)]
struct CodeLineCtx {
    kind: &'static str,
    tokens: Vec<Token>,
}

/// Text as tokens: highlighted when `lang` is known (lines of a multi-line
/// text in turn, as one piece), one plain token otherwise.
fn tokens(lang: Option<&str>, text: &str) -> Vec<Token> {
    let plain = || {
        vec![Token {
            class: None,
            text: text.to_owned(),
        }]
    };
    let Some(lines) = lang.and_then(|l| highlight::text(l, text)) else {
        return plain();
    };
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push(Token {
                class: None,
                text: "\n".to_owned(),
            });
        }
        out.extend(line.iter().cloned());
    }
    out
}

fn yaml_html(t: &Templates, y: &YamlView, id: &str, lang: Lang, links: &Links<'_>) -> String {
    // The shown lines highlighted as one text (a block scalar spans lines).
    let text: Vec<&str> = y.lines.iter().map(|l| l.text.as_str()).collect();
    let highlighted = highlight::text("yaml", &text.join("\n"));
    let lines: Vec<LineCtx> = y
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| LineCtx {
            number: l.number,
            tokens: match highlighted.as_ref().and_then(|h| h.get(i)) {
                Some(t) => t.clone(),
                None => tokens(None, &l.text),
            },
            callout: l.range.map(|r| y.ranges[r].number),
            parity: match l.range {
                Some(r) if y.ranges[r].even => "even",
                Some(_) => "odd",
                None => "",
            },
            markers: l.markers.iter().map(|&m| y.ranges[m].number).collect(),
        })
        .collect();
    let callouts: Vec<String> = y.callouts.iter().map(|c| inline_html(c, links)).collect();
    let mut ctx = Context::new();
    ctx.insert("id", id);
    ctx.insert("title", &y.title);
    ctx.insert("shown_path", &y.shown_path);
    ctx.insert("zoom", &y.zoom.map(|z| format!("{}-{}", z.start, z.end)));
    ctx.insert(
        "zoom_note",
        &y.zoom
            .map(|z| msg!("render-yaml-zoomed", start = z.start, end = z.end).text_in(lang)),
    );
    ctx.insert("lines", &lines);
    ctx.insert("callouts", &callouts);
    t.render("yaml.html", &ctx)
}

/// Each view's HTML.
fn views_html(t: &Templates, p: &Prepared<'_>, links: &Links<'_>) -> Vec<String> {
    let mut yaml_n = 0;
    p.views
        .iter()
        .map(|v| {
            let mut ctx = Context::new();
            match v {
                View::Code(c) => {
                    let mut commands = Vec::new();
                    // Code that is no command (a file shown) is one text.
                    let code: Vec<&str> = c
                        .lines
                        .iter()
                        .filter_map(|l| match l {
                            CodeLine::Code(s) => Some(s.as_str()),
                            _ => None,
                        })
                        .collect();
                    let code = highlight::text(&c.lang, &code.join("\n"));
                    let mut code_line = 0;
                    let lines: Vec<CodeLineCtx> = c
                        .lines
                        .iter()
                        .map(|l| match l {
                            // Each command parses on its own: output lines
                            // between them are no shell.
                            CodeLine::Command(s) => {
                                commands.push(s.as_str());
                                CodeLineCtx {
                                    kind: "command",
                                    tokens: tokens(Some(&c.lang), s),
                                }
                            }
                            CodeLine::Output(s) => CodeLineCtx {
                                kind: "output",
                                tokens: tokens(None, s),
                            },
                            CodeLine::Code(s) => {
                                code_line += 1;
                                CodeLineCtx {
                                    kind: "code",
                                    tokens: match code.as_ref().and_then(|h| h.get(code_line - 1)) {
                                        Some(t) => t.clone(),
                                        None => tokens(None, s),
                                    },
                                }
                            }
                        })
                        .collect();
                    ctx.insert("lang", &c.lang);
                    ctx.insert("line", &c.line);
                    ctx.insert("lines", &lines);
                    // The copy button takes the commands only: no prompt,
                    // no sample output.
                    ctx.insert("copy", &(!commands.is_empty()).then(|| commands.join("\n")));
                    ctx.insert("copy_label", &msg!("render-html-copy").text_in(p.lang));
                    t.render("code.html", &ctx)
                }
                View::Yaml(y) => {
                    yaml_n += 1;
                    yaml_html(t, y, &format!("yaml-{yaml_n}"), p.lang, links)
                }
                View::Time(tv) => {
                    ctx.insert("minutes", &tv.time.total_minutes);
                    ctx.insert("source", tv.time.execution.source());
                    ctx.insert("label", &tv.label);
                    ctx.insert("detail", &tv.detail);
                    ctx.insert(
                        "note",
                        &tv.time
                            .execution
                            .is_upper_bound()
                            .then(|| msg!("render-time-upper-bound-note").text_in(p.lang)),
                    );
                    t.render("time.html", &ctx)
                }
                View::Open { kind, label, title } => {
                    ctx.insert("kind", kind);
                    ctx.insert("label", label);
                    ctx.insert("title", title);
                    t.render("open.html", &ctx)
                }
                View::Close { kind } => {
                    ctx.insert("kind", kind);
                    t.render("close.html", &ctx)
                }
                View::Image { source, alt } => {
                    ctx.insert("src", &links.rewrite(source));
                    ctx.insert("alt", alt);
                    t.render("image.html", &ctx)
                }
                View::Other { name } => {
                    ctx.insert("name", name);
                    ctx.insert("message", &Option::<String>::None);
                    t.render("other.html", &ctx)
                }
                View::Problem { name, message } => {
                    ctx.insert("name", name);
                    ctx.insert("message", message);
                    t.render("other.html", &ctx)
                }
            }
        })
        .collect()
}

/// The `<article>` content of a page.
pub fn page_body(t: &Templates, p: &Prepared<'_>, links: &Links<'_>) -> String {
    let pieces = views_html(t, p, links);
    markdown_html(
        &p.doc.markdown,
        Some(p.page),
        Some((&p.doc, &pieces)),
        links,
    )
}

/// Where a relative link of a page in `dir` leads among `pages` (page paths
/// of one locale): the page and the fragment. `None` for links that leave
/// the locale root or name no page.
pub fn link_target(dir: &str, dest: &str, pages: &HashSet<String>) -> Option<(String, String)> {
    if dest.is_empty() || dest.starts_with(['#', '/']) || dest.contains(':') {
        return None;
    }
    let (path, frag) = dest.split_once('#').unwrap_or((dest, ""));
    let path = path.split('?').next().unwrap_or("");
    let mut parts: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let target = parts.join("/");
    let join = |name: &str| {
        if target.is_empty() {
            name.to_owned()
        } else {
            format!("{target}/{name}")
        }
    };
    [
        target.clone(),
        format!("{target}.md"),
        format!("{target}.mdx"),
        join("index.md"),
        join("_index.md"),
        join("index.mdx"),
    ]
    .into_iter()
    .find(|c| pages.contains(c))
    .map(|found| (found, frag.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(rendered: &HashSet<String>) -> Links<'_> {
        Links {
            from: "en/lab/a.html".into(),
            locale: "en".into(),
            dir: "lab".into(),
            rendered,
            fallback: None,
        }
    }

    #[test]
    fn dangerous_schemes_are_neutralized() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " java\tscript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
        for good in [
            "https://example.com/a:b",
            "mailto:a@b",
            "../x.md",
            "#frag",
            "a/b:c",
        ] {
            assert_eq!(safe_url(good), Some(good));
        }
    }

    #[test]
    fn relative_links_go_to_rendered_pages() {
        let set: HashSet<String> = ["lab/b.md".to_owned(), "lab/sub/index.md".to_owned()].into();
        let l = links(&set);
        assert_eq!(l.rewrite("./b.md"), "b.html");
        assert_eq!(l.rewrite("b.md#step-2"), "b.html#step-2");
        assert_eq!(l.rewrite("./sub"), "sub/index.html");
        assert_eq!(l.href("../other/c.md"), None, "a page not in the site");
        assert_eq!(l.rewrite("../other/c.png"), "../other/c.png");
        assert_eq!(l.rewrite("javascript:alert(1)"), "#");
        assert_eq!(l.rewrite("https://x.test/"), "https://x.test/");
    }

    #[test]
    fn raw_html_in_prose_stays_text() {
        let set = HashSet::new();
        let l = links(&set);
        let html = markdown_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<div onclick=\"x\">block</div>\n\n<!-- hidden -->\n\n[x](javascript:alert(1))\n\n## Head {onclick=alert(1) .c}\n\n<a name=\"here\"></a>\n",
            None,
            None,
            &l,
        );
        // Every tag in the output is one Markdown itself produces.
        for (at, _) in html.match_indices('<') {
            let name: String = html[at + 1..]
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            assert!(
                ["p", "a", "h2"].contains(&name.as_str()),
                "<{name} in {html}"
            );
        }
        assert!(!html.contains("<h2 "), "heading attributes dropped: {html}");
        assert!(!html.contains("hidden"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(html.contains("<a id=\"here\"></a>"), "{html}");
    }

    #[test]
    fn templates_parse_and_escape() {
        let t = Templates::new();
        let mut ctx = Context::new();
        ctx.insert("name", "<b>x</b>");
        ctx.insert("message", "\"quoted\" & <i>");
        let out = t.render("other.html", &ctx);
        assert!(out.contains("&lt;b&gt;x&lt;/b&gt;"), "{out}");
        assert!(out.contains("&quot;quoted&quot; &amp; &lt;i&gt;"), "{out}");
    }
}
