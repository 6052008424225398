//! The static site of `render --html`: which pages it holds, its navigation
//! tree in workshop order, previous/next links, the language switch, the
//! home page, and the files written.
//!
//! A site is either the whole workshop (every page of every locale that has
//! content) or a lab with every page its links lead to, so that no link of
//! the site points at a page that is not in it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::Context;

use crate::content::{Dir, Project, Tree};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::i18n::Lang;
use crate::model::{LinkKind, Page};
use crate::msg;

use super::html::{self, Links, Templates};
use super::{Renderer, html_path, relative_url};

/// The stylesheet and script every page links to.
pub const STYLE: &str = include_str!("templates/style.css");
pub const SCRIPT: &str = include_str!("templates/site.js");

/// The pages of one locale in the site, in workshop order.
pub struct LocalePages {
    pub locale: String,
    pub pages: Vec<Page>,
    /// The locale's directories (titles of the navigation tree's folders).
    pub dirs: Vec<Dir>,
    /// The title of this locale's home: `title:` of labrun.yaml, the root
    /// index page, or the lab's title.
    pub title: String,
}

/// What `render --html` writes.
pub struct Site {
    /// Source locale first.
    pub locales: Vec<LocalePages>,
}

impl Site {
    /// Every page of every tree (trees source locale first).
    pub fn workshop(project: &Project, trees: &[&Tree]) -> Site {
        let locales = trees
            .iter()
            .filter(|t| !t.pages.is_empty())
            .map(|t| LocalePages {
                locale: t.locale.clone(),
                pages: t.pages.clone(),
                dirs: t.dirs.clone(),
                title: home_title(project, t, None),
            })
            .collect();
        Site { locales }
    }

    /// A lab's pages in each tree where it exists, with every page their
    /// links lead to (and the pages those lead to).
    pub fn lab(project: &Project, trees: &[&Tree], labs: &[crate::model::Lab]) -> Site {
        let mut locales = Vec::new();
        for tree in trees {
            let Some(lab) = labs.iter().find(|l| l.locale == tree.locale) else {
                continue;
            };
            let all: HashSet<String> = tree.pages.iter().map(|p| p.rel.clone()).collect();
            let by_rel: HashMap<&str, &Page> =
                tree.pages.iter().map(|p| (p.rel.as_str(), p)).collect();
            let mut wanted: HashSet<String> = lab.pages.iter().map(|p| p.rel.clone()).collect();
            let mut todo: Vec<String> = wanted.iter().cloned().collect();
            while let Some(rel) = todo.pop() {
                let Some(page) = by_rel.get(rel.as_str()) else {
                    continue;
                };
                for l in page.links.iter().filter(|l| l.kind == LinkKind::Link) {
                    if let Some((target, _)) = html::link_target(page.dir(), &l.dest, &all)
                        && wanted.insert(target.clone())
                    {
                        todo.push(target);
                    }
                }
            }
            locales.push(LocalePages {
                locale: tree.locale.clone(),
                pages: tree
                    .pages
                    .iter()
                    .filter(|p| wanted.contains(&p.rel))
                    .cloned()
                    .collect(),
                dirs: tree.dirs.clone(),
                title: home_title(project, tree, Some(&lab.title)),
            });
        }
        Site { locales }
    }

    pub fn page_count(&self) -> usize {
        self.locales.iter().map(|l| l.pages.len()).sum()
    }

    /// All pages, for diagnostics.
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        self.locales.iter().flat_map(|l| &l.pages)
    }
}

/// The root index page of a tree (`index.md`, `_index.md`).
fn root_index(tree: &Tree) -> Option<&Page> {
    tree.pages.iter().find(|p| p.is_index && p.dir().is_empty())
}

fn home_title(project: &Project, tree: &Tree, lab_title: Option<&str>) -> String {
    let config = &project.config;
    config
        .title_in(&tree.locale)
        .map(str::to_owned)
        .or_else(|| root_index(tree).map(|p| p.title.clone()))
        .or_else(|| {
            lab_title
                .filter(|t| !t.trim().is_empty())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| {
            config
                .root
                .file_name()
                .map_or_else(|| "labrun".to_owned(), |n| n.to_string_lossy().into_owned())
        })
}

/// One step of the navigation tree, flattened for the template: a folder
/// opens (with its index page as its link, when it has one), a page, a
/// folder closes.
#[derive(Debug, PartialEq, Serialize)]
struct NavEntry {
    kind: &'static str,
    title: String,
    href: Option<String>,
    /// This entry is the page shown.
    current: bool,
    /// A folder holding the page shown (drawn open).
    open: bool,
}

/// The navigation tree of `pages` (workshop order: a folder's index page
/// first, then its pages and sub-folders) as seen from `current`.
fn nav_tree(pages: &[Page], dirs: &[Dir], current: &Page, from: &str) -> Vec<NavEntry> {
    let title_of: HashMap<&str, &str> = dirs
        .iter()
        .map(|d| (d.rel.as_str(), d.title.as_str()))
        .collect();
    let inside =
        |page_dir: &str, dir: &str| page_dir == dir || page_dir.starts_with(&format!("{dir}/"));
    let href = |p: &Page| Some(relative_url(from, &html_path(&p.locale, &p.rel)));
    let mut out = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    for p in pages {
        let d = p.dir();
        while let Some(top) = stack.last() {
            if inside(d, top) {
                break;
            }
            stack.pop();
            out.push(NavEntry {
                kind: "close",
                title: String::new(),
                href: None,
                current: false,
                open: false,
            });
        }
        let base = stack.last().map_or(0, |s| s.len() + 1);
        if d.len() > base || (stack.is_empty() && !d.is_empty()) {
            // Open every folder between the innermost open one and the page's.
            let mut at = base.min(d.len());
            loop {
                let end = d[at..].find('/').map_or(d.len(), |i| at + i);
                let dir = &d[..end];
                let is_its_index = p.is_index && dir == d;
                out.push(NavEntry {
                    kind: "open",
                    title: title_of.get(dir).map_or_else(
                        || dir.rsplit('/').next().unwrap_or(dir).to_owned(),
                        |t| (*t).to_owned(),
                    ),
                    href: if is_its_index { href(p) } else { None },
                    current: is_its_index && p.rel == current.rel,
                    open: inside(current.dir(), dir),
                });
                stack.push(dir.to_owned());
                if end >= d.len() {
                    break;
                }
                at = end + 1;
            }
            if p.is_index {
                continue;
            }
        }
        out.push(NavEntry {
            kind: "page",
            title: p.title.clone(),
            href: href(p),
            current: p.rel == current.rel,
            open: false,
        });
    }
    for _ in stack {
        out.push(NavEntry {
            kind: "close",
            title: String::new(),
            href: None,
            current: false,
            open: false,
        });
    }
    out
}

#[derive(Serialize)]
struct PagerItem {
    title: String,
    href: String,
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

/// Files a page shows or links to that are not pages (Markdown images and
/// links, Microsoft Docs `:::image`): (path within the locale, file on
/// disk), from the page's locale or, for a translation that shares its
/// source's media, the source locale. Links that leave the locale root are
/// not copied.
fn page_files(r: &Renderer<'_>, page: &Page, pages: &HashSet<String>) -> Vec<(PathBuf, PathBuf)> {
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
        .filter(|l| l.is_relative())
        .map(|l| l.dest.as_str());
    let docs = page
        .directives
        .iter()
        .filter(|d| d.name == "image" && d.docs_extension)
        .filter_map(|d| d.attr("source"));
    markdown
        .chain(docs)
        .filter(|dest| !dest.contains("://") && !dest.starts_with(['/', '#']))
        .filter_map(|dest| {
            let path = dest.split(['?', '#']).next().unwrap_or("");
            let joined = if page.dir().is_empty() {
                path.to_owned()
            } else {
                format!("{}/{path}", page.dir())
            };
            let rel = crate::manifest::normalize_relative(&joined).ok()?;
            if pages.contains(&rel.to_string_lossy().replace('\\', "/")) {
                return None;
            }
            roots.iter().find_map(|(root, canonical)| {
                let file = root.join(&rel);
                let real = file.canonicalize().ok()?;
                (real.is_file() && real.starts_with(canonical)).then_some((rel.clone(), file))
            })
        })
        .collect()
}

/// Writes the site into `out`. Returns the files written.
pub fn write(
    r: &Renderer<'_>,
    site: &Site,
    out: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<PathBuf>, Error> {
    let t = Templates::new();
    let rendered: BTreeMap<&str, HashSet<String>> = site
        .locales
        .iter()
        .map(|l| {
            (
                l.locale.as_str(),
                l.pages.iter().map(|p| p.rel.clone()).collect(),
            )
        })
        .collect();
    let empty = HashSet::new();
    let source = &r.project.config.source_locale;
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
    written.push(write(out.join("site.js"), SCRIPT.as_bytes())?);
    // The language switch lists every locale of the project: those in the
    // site first (source first), then the rest in the project's order.
    let mut locales: Vec<String> = site.locales.iter().map(|l| l.locale.clone()).collect();
    for l in &r.project.config.locales {
        if !locales.contains(l) {
            locales.push(l.clone());
        }
    }
    for lp in &site.locales {
        let lang = Lang::from_tag(&lp.locale);
        let mine = &rendered[lp.locale.as_str()];
        let paths: Vec<String> = lp
            .pages
            .iter()
            .map(|p| html_path(&lp.locale, &p.rel))
            .collect();
        for (i, page) in lp.pages.iter().enumerate() {
            let from = &paths[i];
            let prepared = r.prepare(page, diags)?;
            let links = Links {
                from: from.clone(),
                locale: lp.locale.clone(),
                dir: page.dir().to_owned(),
                rendered: mine,
                fallback: (lp.locale != *source).then(|| {
                    (
                        source.clone(),
                        rendered.get(source.as_str()).unwrap_or(&empty),
                    )
                }),
            };
            let body = html::page_body(&t, &prepared, &links);
            let languages: Vec<LangItem> = locales
                .iter()
                .map(|locale| {
                    let has_page = rendered
                        .get(locale.as_str())
                        .is_some_and(|set| set.contains(&page.rel));
                    LangItem {
                        code: locale.clone(),
                        name: language_name(locale),
                        href: has_page.then(|| relative_url(from, &html_path(locale, &page.rel))),
                        current: *locale == lp.locale,
                        title: String::new(),
                    }
                })
                .collect();
            let item = |j: usize| {
                lp.pages.get(j).map(|p| PagerItem {
                    title: p.title.clone(),
                    href: relative_url(from, &paths[j]),
                })
            };
            let mut ctx = Context::new();
            ctx.insert("locale", &lp.locale);
            ctx.insert("title", &page.title);
            ctx.insert("site_title", &lp.title);
            ctx.insert("rel", &page.rel);
            ctx.insert("css", &relative_url(from, "style.css"));
            ctx.insert("js", &relative_url(from, "site.js"));
            ctx.insert("home", &relative_url(from, "index.html"));
            ctx.insert("languages", &languages);
            ctx.insert("lang_label", &msg!("render-html-languages").text_in(lang));
            ctx.insert(
                "untranslated_label",
                &msg!("render-html-untranslated").text_in(lang),
            );
            ctx.insert("nav_label", &msg!("render-html-pages").text_in(lang));
            ctx.insert("menu_label", &msg!("render-html-menu").text_in(lang));
            ctx.insert("pager_label", &msg!("render-html-pager").text_in(lang));
            ctx.insert("copied_label", &msg!("render-html-copied").text_in(lang));
            ctx.insert("nav", &nav_tree(&lp.pages, &lp.dirs, page, from));
            ctx.insert("prev", &i.checked_sub(1).and_then(item));
            ctx.insert("next", &item(i + 1));
            ctx.insert("has_h1", &page.headings.iter().any(|h| h.level == 1));
            ctx.insert("body", &body);
            written.push(write(
                out.join(from),
                t.render("page.html", &ctx).as_bytes(),
            )?);
            for (rel, file) in page_files(r, page, mine) {
                let bytes = std::fs::read(&file).map_err(|e| Error::io(&file, e))?;
                written.push(write(out.join(&lp.locale).join(&rel), &bytes)?);
            }
        }
    }
    written.push(write(out.join("index.html"), home(&t, site).as_bytes())?);
    Ok(written)
}

#[derive(Serialize)]
struct HomeSection {
    code: String,
    name: String,
    title: String,
    start: Option<String>,
    start_label: String,
    contents_label: String,
    entries: Vec<HomeEntry>,
}

#[derive(Serialize)]
struct HomeEntry {
    title: String,
    href: String,
}

/// The home page: the workshop's title, and for each language its title,
/// where to start and its top-level parts.
fn home(t: &Templates, site: &Site) -> String {
    let sections: Vec<HomeSection> = site
        .locales
        .iter()
        .map(|lp| {
            let lang = Lang::from_tag(&lp.locale);
            let title_of: HashMap<&str, &str> = lp
                .dirs
                .iter()
                .map(|d| (d.rel.as_str(), d.title.as_str()))
                .collect();
            // The first page of each top-level folder (or top-level page).
            let mut seen = HashSet::new();
            let entries = lp
                .pages
                .iter()
                .filter_map(|p| {
                    let top = p.rel.split('/').next().unwrap_or(&p.rel);
                    let is_dir = p.rel.contains('/');
                    if !seen.insert(top.to_owned()) {
                        return None;
                    }
                    let title = if is_dir {
                        title_of.get(top).map_or(top, |t| *t).to_owned()
                    } else {
                        p.title.clone()
                    };
                    Some(HomeEntry {
                        title,
                        href: html_path(&lp.locale, &p.rel),
                    })
                })
                .collect();
            HomeSection {
                code: lp.locale.clone(),
                name: language_name(&lp.locale),
                title: lp.title.clone(),
                start: lp.pages.first().map(|p| html_path(&lp.locale, &p.rel)),
                start_label: msg!("render-html-start").text_in(lang),
                contents_label: msg!("render-html-contents").text_in(lang),
                entries,
            }
        })
        .collect();
    let first = site.locales.first();
    let mut ctx = Context::new();
    ctx.insert("locale", &first.map_or("en", |l| l.locale.as_str()));
    ctx.insert("title", &first.map_or(String::new(), |l| l.title.clone()));
    ctx.insert("sections", &sections);
    t.render("index.html", &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;

    fn page(rel: &str) -> Page {
        let text = format!("---\ntitle: T {rel}\n---\n");
        let mut p = parse_page(Path::new(rel), rel, "en", text.as_bytes());
        p.is_index = rel.ends_with("index.md");
        p
    }

    fn dir(rel: &str, title: &str) -> Dir {
        Dir {
            rel: rel.into(),
            title: title.into(),
            position: None,
            notest: false,
        }
    }

    #[test]
    fn links_find_pages_in_every_form() {
        let pages: HashSet<String> = ["a/index.md", "a/b.md", "c/index.md", "index.md"]
            .map(String::from)
            .into();
        let t = |dir: &str, dest: &str| html::link_target(dir, dest, &pages);
        assert_eq!(t("a", "./b.md"), Some(("a/b.md".into(), String::new())));
        assert_eq!(t("a", "b#x"), Some(("a/b.md".into(), "x".into())));
        assert_eq!(
            t("a", "../c/index.md"),
            Some(("c/index.md".into(), String::new()))
        );
        assert_eq!(t("a", "../c/"), Some(("c/index.md".into(), String::new())));
        assert_eq!(t("a", "../c"), Some(("c/index.md".into(), String::new())));
        assert_eq!(t("a", ".."), Some(("index.md".into(), String::new())));
        assert_eq!(t("a", "../../x.md"), None, "leaves the root");
        assert_eq!(t("a", "https://x.test/b.md"), None);
        assert_eq!(t("a", "missing.md"), None);
    }

    #[test]
    fn the_navigation_tree_nests_folders_in_workshop_order() {
        let pages: Vec<Page> = [
            "index.md",
            "a/index.md",
            "a/one.md",
            "a/s/two.md",
            "b/three.md",
        ]
        .map(page)
        .into();
        let dirs = [dir("a", "Lab A"), dir("a/s", "Sub"), dir("b", "Lab B")];
        let nav = nav_tree(&pages, &dirs, &pages[3], "en/a/s/two.html");
        let shape: Vec<String> = nav
            .iter()
            .map(|e| match e.kind {
                "open" => format!(
                    "+{}{}{}",
                    e.title,
                    if e.href.is_some() { "@" } else { "" },
                    if e.open { "*" } else { "" }
                ),
                "close" => "-".into(),
                _ => format!("{}{}", e.title, if e.current { "!" } else { "" }),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "T index.md",
                "+Lab A@*",
                "T a/one.md",
                "+Sub*",
                "T a/s/two.md!",
                "-",
                "-",
                "+Lab B",
                "T b/three.md",
                "-"
            ]
        );
        assert_eq!(nav[1].href.as_deref(), Some("../index.html"));
    }
}
