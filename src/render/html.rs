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

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};
use serde::Serialize;
use tera::{Context, Tera};

use crate::diag::Diagnostic;
use crate::error::Error;
use crate::i18n::Lang;
use crate::model::{Lab, Page};
use crate::msg;

use super::terminal::markdown_options;
use super::{CodeLine, Prepared, Renderer, View, YamlView, html_path, relative_url};

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

/// The stylesheet every page links to.
pub const STYLE: &str = include_str!("templates/style.css");

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

    fn render(&self, name: &str, ctx: &Context) -> String {
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

/// Where the site links a page's relative link to: the `.html` of a
/// rendered page, else the link as written.
pub struct Links<'a> {
    /// This page's site path (`en/lab/a.html`).
    pub from: String,
    pub locale: String,
    /// The page's directory within its locale.
    pub dir: String,
    /// Rendered pages of this locale (`lab/a.md`).
    pub rendered: &'a HashSet<String>,
}

impl Links<'_> {
    pub fn rewrite(&self, dest: &str) -> String {
        let Some(dest) = safe_url(dest) else {
            return "#".to_owned();
        };
        if dest.is_empty() || dest.starts_with(['#', '/']) || dest.contains(':') {
            return dest.to_owned();
        }
        let (path, frag) = dest.split_once('#').map_or((dest, ""), |(p, f)| (p, f));
        let mut parts: Vec<&str> = if self.dir.is_empty() {
            Vec::new()
        } else {
            self.dir.split('/').collect()
        };
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return dest.to_owned();
                    }
                }
                s => parts.push(s),
            }
        }
        let target = parts.join("/");
        let candidates = [
            target.clone(),
            format!("{target}.md"),
            format!("{target}.mdx"),
            format!("{target}/index.md"),
        ];
        match candidates
            .iter()
            .find(|c| self.rendered.contains(c.as_str()))
        {
            Some(found) => {
                let url = relative_url(&self.from, &html_path(&self.locale, found));
                if frag.is_empty() {
                    url
                } else {
                    format!("{url}#{frag}")
                }
            }
            None => dest.to_owned(),
        }
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
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: links.rewrite(&dest_url).into(),
                title,
                id,
            }),
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
struct LineCtx<'a> {
    number: u32,
    text: &'a str,
    callout: Option<usize>,
    parity: &'static str,
    markers: Vec<usize>,
}

#[derive(Serialize)]
struct CodeLineCtx<'a> {
    kind: &'static str,
    text: &'a str,
}

fn yaml_html(t: &Templates, y: &YamlView, id: &str, lang: Lang, links: &Links<'_>) -> String {
    let lines: Vec<LineCtx<'_>> = y
        .lines
        .iter()
        .map(|l| LineCtx {
            number: l.number,
            text: &l.text,
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
                    let lines: Vec<CodeLineCtx<'_>> = c
                        .lines
                        .iter()
                        .map(|l| match l {
                            CodeLine::Command(s) => CodeLineCtx {
                                kind: "command",
                                text: s,
                            },
                            CodeLine::Output(s) => CodeLineCtx {
                                kind: "output",
                                text: s,
                            },
                            CodeLine::Code(s) => CodeLineCtx {
                                kind: "code",
                                text: s,
                            },
                        })
                        .collect();
                    ctx.insert("lang", &c.lang);
                    ctx.insert("line", &c.line);
                    ctx.insert("lines", &lines);
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

#[derive(Serialize)]
struct NavItem {
    title: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct LangItem {
    code: String,
    name: String,
    href: Option<String>,
    current: bool,
    title: String,
}

/// Names of languages in themselves, for the language switch: the
/// locales workshops are commonly translated into. English and Japanese
/// come from labrun's own messages; any other locale shows its code.
const AUTONYMS: [(&str, &str); 18] = [
    ("ko", "한국어"),
    ("zh-cn", "简体中文"),
    ("zh-hans", "简体中文"),
    ("zh-tw", "繁體中文"),
    ("zh-hant", "繁體中文"),
    ("zh", "中文"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("pt-br", "Português (Brasil)"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("pl", "Polski"),
    ("vi", "Tiếng Việt"),
    ("id", "Bahasa Indonesia"),
    ("hi", "हिन्दी"),
];

/// The name of a language in itself ("English", "日本語", "한국어").
pub fn language_name(locale: &str) -> String {
    let tag = locale.replace('_', "-").to_ascii_lowercase();
    let base = tag.split('-').next().unwrap_or(&tag);
    if matches!(base, "en" | "ja") {
        return msg!("render-language-name").text_in(Lang::from_tag(locale));
    }
    AUTONYMS
        .iter()
        .find(|(code, _)| *code == tag)
        .or_else(|| AUTONYMS.iter().find(|(code, _)| *code == base))
        .map_or_else(|| locale.to_owned(), |(_, name)| (*name).to_owned())
}

/// Images a page shows (Markdown images and Microsoft Docs `:::image`):
/// (path within the locale, file on disk), from the page's locale or, for a
/// translation that shares its source's media, the source locale. Links
/// that leave the locale root are not copied.
fn page_images(r: &Renderer<'_>, page: &Page) -> Vec<(PathBuf, PathBuf)> {
    let config = &r.project.config;
    let roots: Vec<(PathBuf, PathBuf)> = [&page.locale, &config.source_locale]
        .into_iter()
        .filter_map(|l| {
            let root = config.locale_root(l);
            let canonical = root.canonicalize().ok()?;
            Some((root, canonical))
        })
        .collect();
    let markdown = page
        .links
        .iter()
        .filter(|l| l.kind == crate::model::LinkKind::Image && l.is_relative())
        .map(|l| l.dest.as_str());
    let docs = page
        .directives
        .iter()
        .filter(|d| d.name == "image" && d.docs_extension)
        .filter_map(|d| d.attr("source"));
    markdown
        .chain(docs)
        .filter(|dest| !dest.contains("://") && !dest.starts_with('/'))
        .filter_map(|dest| {
            let path = dest.split(['?', '#']).next().unwrap_or("");
            let joined = if page.dir().is_empty() {
                path.to_owned()
            } else {
                format!("{}/{path}", page.dir())
            };
            let rel = crate::manifest::normalize_relative(&joined).ok()?;
            roots.iter().find_map(|(root, canonical)| {
                let file = root.join(&rel);
                let real = file.canonicalize().ok()?;
                (real.is_file() && real.starts_with(canonical)).then_some((rel.clone(), file))
            })
        })
        .collect()
}

/// Writes the site for a lab in every locale it exists in (`labs`, source
/// locale first). Returns the files written.
pub fn write_site(
    r: &Renderer<'_>,
    labs: &[Lab],
    out: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<PathBuf>, Error> {
    let t = Templates::new();
    let rendered: BTreeMap<&str, HashSet<String>> = labs
        .iter()
        .map(|l| {
            (
                l.locale.as_str(),
                l.pages.iter().map(|p| p.rel.clone()).collect(),
            )
        })
        .collect();
    let mut written = Vec::new();
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    // Every file lands inside `out`: the directories below it are made or
    // found without following a link, and no file is written through one.
    let mut dirs = crate::files::DirsBelow::new(out);
    let mut write = |path: PathBuf, bytes: &[u8]| -> Result<PathBuf, Error> {
        if let Some(dir) = path.parent() {
            dirs.create(dir)?;
        }
        crate::files::write_generated(&path, bytes)?;
        Ok(path)
    };
    written.push(write(out.join("style.css"), STYLE.as_bytes())?);
    // The language switch lists every locale of the project, those this
    // lab was rendered in first (source first), then the rest in the
    // project's order.
    let mut locales: Vec<String> = labs.iter().map(|l| l.locale.clone()).collect();
    for l in &r.project.config.locales {
        if !locales.contains(l) {
            locales.push(l.clone());
        }
    }
    for lab in labs {
        let lang = Lang::from_tag(&lab.locale);
        let nav_paths: Vec<String> = lab
            .pages
            .iter()
            .map(|p| html_path(&lab.locale, &p.rel))
            .collect();
        for (i, page) in lab.pages.iter().enumerate() {
            let from = &nav_paths[i];
            let prepared = r.prepare(page, diags)?;
            let links = Links {
                from: from.clone(),
                locale: lab.locale.clone(),
                dir: page.dir().to_owned(),
                rendered: &rendered[lab.locale.as_str()],
            };
            let body = page_body(&t, &prepared, &links);
            let nav: Vec<NavItem> = lab
                .pages
                .iter()
                .zip(&nav_paths)
                .map(|(p, path)| NavItem {
                    title: p.title.clone(),
                    href: relative_url(from, path),
                    current: p.rel == page.rel,
                })
                .collect();
            // Every locale of the project: a link where this page is
            // translated, its name alone where it is not (yet).
            let languages: Vec<LangItem> = locales
                .iter()
                .map(|locale| {
                    let other = labs.iter().find(|l| l.locale == *locale);
                    let has_page = rendered
                        .get(locale.as_str())
                        .is_some_and(|set| set.contains(&page.rel));
                    LangItem {
                        code: locale.clone(),
                        name: language_name(locale),
                        href: has_page.then(|| relative_url(from, &html_path(locale, &page.rel))),
                        current: *locale == lab.locale,
                        title: other.map_or_else(String::new, |o| o.title.clone()),
                    }
                })
                .collect();
            let item = |j: usize| {
                lab.pages.get(j).map(|p| NavItem {
                    title: p.title.clone(),
                    href: relative_url(from, &nav_paths[j]),
                    current: false,
                })
            };
            let mut ctx = Context::new();
            ctx.insert("locale", &lab.locale);
            ctx.insert("title", &page.title);
            ctx.insert("lab_title", &lab.title);
            ctx.insert("rel", &page.rel);
            ctx.insert("css", &relative_url(from, "style.css"));
            ctx.insert("home", &relative_url(from, "index.html"));
            ctx.insert("languages", &languages);
            ctx.insert("lang_label", &msg!("render-html-languages").text_in(lang));
            ctx.insert(
                "untranslated_label",
                &msg!("render-html-untranslated").text_in(lang),
            );
            ctx.insert("nav_label", &msg!("render-html-pages").text_in(lang));
            ctx.insert("pager_label", &msg!("render-html-pager").text_in(lang));
            ctx.insert("nav", &nav);
            ctx.insert("prev", &i.checked_sub(1).and_then(item));
            ctx.insert("next", &item(i + 1));
            ctx.insert("has_h1", &page.headings.iter().any(|h| h.level == 1));
            ctx.insert("body", &body);
            written.push(write(
                out.join(from),
                t.render("page.html", &ctx).as_bytes(),
            )?);
            for img in page_images(r, page) {
                let bytes = std::fs::read(&img.1).map_err(|e| Error::io(&img.1, e))?;
                written.push(write(out.join(&lab.locale).join(&img.0), &bytes)?);
            }
        }
    }
    let first = labs.first();
    let languages: Vec<LangItem> = labs
        .iter()
        .filter_map(|l| {
            let p = l.pages.first()?;
            Some(LangItem {
                code: l.locale.clone(),
                name: language_name(&l.locale),
                href: Some(html_path(&l.locale, &p.rel)),
                current: false,
                title: l.title.clone(),
            })
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("locale", &first.map_or("en", |l| l.locale.as_str()));
    ctx.insert("title", &first.map_or(String::new(), |l| l.title.clone()));
    ctx.insert("languages", &languages);
    written.push(write(
        out.join("index.html"),
        t.render("index.html", &ctx).as_bytes(),
    )?);
    Ok(written)
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
        assert_eq!(l.rewrite("../other/c.md"), "../other/c.md");
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
