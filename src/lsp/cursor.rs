//! What the cursor is on, from the page model: a `::yaml` attribute (and
//! which path of `paths=`), a `::yaml` or `::required-time` directive, a
//! fence's `hook=NAME`, a `VAR::NAME`, or a translation's front matter.

use crate::model::{Directive, Page, VarRef};

/// The `::yaml` attributes that name a place in the manifest.
pub const YAML_ATTRS: [&str; 3] = ["file", "paths", "zoomPath"];

#[derive(Debug)]
pub enum Target<'p> {
    /// Inside the value of `attr` of a `::yaml` directive; for `paths`, the
    /// path under the cursor.
    YamlAttr {
        directive: &'p Directive,
        attr: &'static str,
        path: Option<String>,
    },
    /// Elsewhere on a leaf directive's line.
    Directive(&'p Directive),
    Hook {
        name: String,
    },
    Variable(&'p VarRef),
    FrontMatter,
}

/// The element at a 1-based line and character column.
pub fn at(page: &Page, line: u32, col: u32) -> Option<Target<'_>> {
    if let Some(v) = page.variables.iter().find(|v| {
        let len = "VAR::".len() as u32 + v.name.chars().count() as u32;
        v.pos.line == line && v.pos.col <= col && col <= v.pos.col + len
    }) {
        return Some(Target::Variable(v));
    }
    if let Some(d) = page
        .directives
        .iter()
        .find(|d| d.pos.line == line && d.kind == crate::model::DirectiveKind::Leaf)
    {
        if d.name == "yaml" {
            for attr in YAML_ATTRS {
                let Some((value, (start, end))) = d.attr_at(attr) else {
                    continue;
                };
                if col < start || col > end {
                    continue;
                }
                let path = (attr == "paths").then(|| piece_at(value, col - start));
                return Some(Target::YamlAttr {
                    directive: d,
                    attr,
                    path: path
                        .flatten()
                        .or_else(|| (attr == "zoomPath").then(|| value.trim().to_owned())),
                });
            }
        }
        return Some(Target::Directive(d));
    }
    if let Some(b) = page.blocks.iter().find(|b| b.line == line) {
        let hook = b.annotations.entries.iter().find(|a| a.key == "hook")?;
        let value = hook.value.as_deref()?;
        let end = hook.col + "hook=".len() as u32 + value.chars().count() as u32;
        if hook.col <= col && col <= end {
            return Some(Target::Hook {
                name: value.to_owned(),
            });
        }
        return None;
    }
    match page.front.span {
        Some((start, end)) if start <= line && line <= end => Some(Target::FrontMatter),
        _ => None,
    }
}

/// The comma-separated piece of `value` holding character offset `at`.
fn piece_at(value: &str, at: u32) -> Option<String> {
    let mut offset = 0u32;
    for piece in value.split(',') {
        let len = piece.chars().count() as u32;
        if at <= offset + len {
            let p = piece.trim();
            return (!p.is_empty()).then(|| p.to_owned());
        }
        offset += len + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_cursor_finds_paths_hooks_variables_and_front_matter() {
        let text = "---\ntitle: T\n---\n\n::yaml{file=\"m.yaml\" paths=\"a.b,c\"}\n\n1. x\n2. y\n\n```bash hook=ready\n$ echo VAR::REGION\n```\n";
        let page = crate::markdown::parse_page(Path::new("/p.md"), "p.md", "en", text.as_bytes());
        assert!(matches!(at(&page, 2, 3), Some(Target::FrontMatter)));
        match at(&page, 5, 14) {
            Some(Target::YamlAttr {
                attr: "file",
                path: None,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
        match at(&page, 5, 31) {
            Some(Target::YamlAttr {
                attr: "paths",
                path: Some(p),
                ..
            }) => assert_eq!(p, "a.b"),
            other => panic!("{other:?}"),
        }
        match at(&page, 5, 34) {
            Some(Target::YamlAttr { path: Some(p), .. }) => assert_eq!(p, "c"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(at(&page, 5, 1), Some(Target::Directive(_))));
        match at(&page, 10, 10) {
            Some(Target::Hook { name, .. }) => assert_eq!(name, "ready"),
            other => panic!("{other:?}"),
        }
        assert!(at(&page, 10, 3).is_none());
        match at(&page, 11, 9) {
            Some(Target::Variable(v)) => assert_eq!(v.name, "REGION"),
            other => panic!("{other:?}"),
        }
        assert!(at(&page, 7, 1).is_none());
    }
}
