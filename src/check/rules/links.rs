//! Relative links and images: the target exists, and so does the anchor.
//!
//! Never cry wolf: anything with a scheme (`https:`, `mailto:`), site-absolute
//! paths (`/docs/…`), `@site/…` aliases, template syntax and mail addresses
//! are not checked. A link resolves against the page's directory, then the
//! same directory of the source locale (a translation falls back to the
//! untranslated page or image, as the sites do). A link without an extension
//! is a site URL (Docusaurus, Hugo): it may name a page without `.md`, a
//! directory with an index page, a page by its number-prefix-free name or
//! front matter `id`/`slug`, and may be relative to the page's URL, which is
//! the page's directory, its parent (an index page served without a trailing
//! slash) or the page itself (a page served as a directory).

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use crate::diag::Diagnostic;
use crate::model::{Link, LinkKind, Page};
use crate::msg;

use super::super::{Ctx, Kind, normalize};
use super::finding;

const INDEX_NAMES: [&str; 5] = [
    "index.md",
    "_index.md",
    "index.mdx",
    "_index.mdx",
    "README.md",
];

pub fn check(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    for link in &page.links {
        if let Some(d) = check_link(ctx, page, link) {
            out.push(d);
        }
    }
}

/// Whether a destination is outside what a file check can judge.
pub fn is_external(dest: &str) -> bool {
    dest.is_empty()
        || dest.starts_with('/')
        || dest.starts_with('@')
        || dest.starts_with('~')
        || dest.contains("{{")
        || dest.contains("{%")
        || has_scheme(dest)
        || (dest.contains('@') && !dest.contains('/'))
}

/// `scheme:` as in RFC 3986 (`https:`, `mailto:`, `data:`; also the
/// `VAR::` of placeholders).
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// What a link points at.
enum Target<'a> {
    Page(&'a Page),
    /// A file or directory that is not a parsed page.
    Other,
}

fn check_link(ctx: &Ctx<'_>, page: &Page, link: &Link) -> Option<Diagnostic> {
    let dest = link.dest.trim();
    if is_external(dest) {
        return None;
    }
    let (path, anchor) = dest.split_once('#').unwrap_or((dest, ""));
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let (path, anchor) = (decode(path), decode(anchor));
    let image = link.kind == LinkKind::Image;
    let target = if path.is_empty() {
        Target::Page(page)
    } else {
        match resolve(ctx, page, &path, image) {
            Some(t) => t,
            None => {
                let (rule, id) = if image {
                    ("link/broken-image", "check-link-broken-image")
                } else {
                    ("link/broken", "check-link-broken")
                };
                return Some(finding(
                    rule,
                    &page.file,
                    link.pos.line,
                    link.pos.col,
                    msg!(id, dest = dest),
                ));
            }
        }
    };
    let Target::Page(target) = target else {
        return None;
    };
    if anchor.is_empty() || image || has_anchor(target, &anchor) {
        return None;
    }
    let shown = if std::ptr::eq(target, page) {
        crate::t!("check-this-page")
    } else {
        format!("`{}`", ctx.project.display_path(&target.file))
    };
    Some(finding(
        "link/broken-anchor",
        &page.file,
        link.pos.line,
        link.pos.col,
        msg!(
            "check-link-broken-anchor",
            dest = dest,
            anchor = anchor.as_str(),
            page = shown
        ),
    ))
}

fn resolve<'a>(ctx: &Ctx<'a>, page: &Page, path: &str, image: bool) -> Option<Target<'a>> {
    let dir = page.file.parent().unwrap_or(Path::new(""));
    let mut dirs = vec![dir.to_owned()];
    let config = ctx.config;
    if page.locale != config.source_locale {
        dirs.push(config.locale_root(&config.source_locale).join(page.dir()));
    }
    let site_url = !image
        && Path::new(path.trim_end_matches('/'))
            .extension()
            .is_none_or(|e| !e.eq_ignore_ascii_case("md") && !e.eq_ignore_ascii_case("mdx"));
    if site_url {
        let stem = Path::new(&page.rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        for d in dirs.clone() {
            if page.is_index {
                if let Some(parent) = d.parent() {
                    dirs.push(parent.to_owned());
                }
            } else {
                dirs.push(d.join(&stem));
            }
        }
    }
    dirs.iter()
        .find_map(|d| candidate(ctx, &normalize(&d.join(path)), site_url))
}

fn candidate<'a>(ctx: &Ctx<'a>, p: &Path, site_url: bool) -> Option<Target<'a>> {
    if let Some(page) = ctx.page_at_normalized(p) {
        return Some(Target::Page(page));
    }
    if site_url {
        for ext in ["md", "mdx"] {
            let mut f = p.as_os_str().to_owned();
            f.push(".");
            f.push(ext);
            if let Some(page) = ctx.page_at_normalized(Path::new(&f)) {
                return Some(Target::Page(page));
            }
        }
        if let Some(page) = ctx.page_by_site_id(p) {
            return Some(Target::Page(page));
        }
    }
    match ctx.fs.kind(p)? {
        Kind::File => Some(Target::Other),
        Kind::Dir => Some(
            INDEX_NAMES
                .iter()
                .find_map(|n| ctx.page_at_normalized(&p.join(n)))
                .map_or(Target::Other, Target::Page),
        ),
    }
}

/// Whether a page has an anchor: a heading's (with the `-1`, `-2` suffixes
/// site generators give repeated headings), an explicit `{#id}`, or an HTML
/// `<a name|id>`. Compared as written, then ignoring case.
pub fn has_anchor(page: &Page, anchor: &str) -> bool {
    let lower = anchor.to_lowercase();
    let same = |a: &str| a == anchor || a.to_lowercase() == lower;
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for h in &page.headings {
        let n = seen.entry(h.anchor.as_str()).or_insert(0);
        let matched = if *n == 0 {
            same(&h.anchor)
        } else {
            same(&format!("{}-{}", h.anchor, n))
        };
        *n += 1;
        if matched || h.id.as_deref().is_some_and(same) {
            return true;
        }
    }
    page.html_anchors.iter().any(|a| same(&a.id))
}

/// Site ids of pages: the file name without a Docusaurus number prefix
/// (`01-intro.md` → `intro`), and the front matter `id` or relative `slug`;
/// each joined to the page's directory.
pub fn site_ids(page: &Page) -> Vec<PathBuf> {
    let dir = page.file.parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    if let Some(stem) = page.file.file_stem().map(|s| s.to_string_lossy()) {
        let stripped = stem.trim_start_matches(|c: char| c.is_ascii_digit());
        if stripped.len() < stem.len()
            && let Some(rest) = stripped.strip_prefix(['-', '_', '.'])
            && !rest.is_empty()
        {
            out.push(dir.join(rest));
        }
    }
    for key in ["id", "slug"] {
        if let Some(v) = page.front.field(key).and_then(|f| f.value.as_str())
            && !v.is_empty()
            && !v.starts_with('/')
        {
            out.push(dir.join(v.trim_end_matches('/')));
        }
    }
    out.into_iter().map(|p| normalize(&p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_destinations() {
        for d in [
            "https://example.com/x",
            "mailto:a@b.c",
            "/docs/x",
            "@site/static/x.png",
            "someone@example.com",
            "https://github.com/VAR::OWNER/repo",
            "VAR::URL",
            "{{< ref \"x\" >}}",
            "data:image/png;base64,xx",
        ] {
            assert!(is_external(d), "{d}");
        }
        for d in ["x.md", "../a/b", "#anchor", "./img.png", "a/b.md#c"] {
            assert!(!is_external(d), "{d}");
        }
    }

    #[test]
    fn anchors_match_headings_ids_and_duplicates() {
        let text = "# Title\n\n## Example\n\n## Example\n\n## 日本語の見出し\n\n## Custom {#my-id}\n\n<a name=\"legacy\"></a>\n";
        let page = crate::markdown::parse_page(Path::new("/p.md"), "p.md", "ja", text.as_bytes());
        for a in [
            "title",
            "example",
            "example-1",
            "日本語の見出し",
            "my-id",
            "legacy",
            "Example",
        ] {
            assert!(has_anchor(&page, a), "{a}");
        }
        for a in ["example-2", "custom", "nothing"] {
            assert!(!has_anchor(&page, a), "{a}");
        }
    }
}
