//! Hooks: `hook=X` needs `tests/hook-X.sh` (or a declarative
//! `tests/hook-X.yaml`) beside the page, or beside the source-locale page;
//! hook files that no block names are warnings (`hook-suite.sh` runs for
//! the whole directory and is always in use).

use std::collections::HashSet;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::model::Page;
use crate::msg;

use super::super::{Ctx, Kind, normalize};
use super::finding;

use crate::content::DECLARATIVE_HOOK_EXTENSIONS as DECLARATIVE;

/// The hook file `hook=name` runs for a page, if there is one: the same
/// candidates and verdict as [`crate::content::Project::hook_files`]
/// (a hook reached through a link leading outside is none), looked up in
/// the file index rather than on disk when the walk saw the file.
pub fn hook_file(ctx: &Ctx<'_>, page: &Page, name: &str) -> Option<PathBuf> {
    ["sh"]
        .into_iter()
        .chain(DECLARATIVE)
        .flat_map(|ext| {
            ctx.project
                .hook_candidates(&page.locale, page.dir(), &format!("hook-{name}.{ext}"))
        })
        .find(|p| {
            let n = normalize(p);
            ctx.fs.kind(&n) == Some(Kind::File)
                && (ctx.fs.walked(&n) || ctx.project.contained_file(p))
        })
}

pub fn check(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    // An orphan's hooks lived beside its vanished source: the orphan
    // finding names them.
    if page.orphan {
        return;
    }
    for b in &page.blocks {
        let Some(name) = &b.annotations.hook else {
            continue;
        };
        if hook_file(ctx, page, name).is_some() {
            continue;
        }
        let col = b.annotations.col("hook");
        let expected = ctx
            .config
            .locale_root(&page.locale)
            .join(page.dir())
            .join(format!("tests/hook-{name}.sh"));
        out.push(finding(
            "fence/missing-hook",
            &page.file,
            b.line,
            col,
            msg!(
                "check-fence-missing-hook",
                name = name.as_str(),
                file = ctx.project.display_path(&expected)
            ),
        ));
    }
}

/// `dir/tests/hook-NAME.ext` → (dir, NAME), for hook files labrun runs.
fn parse_hook(rel: &str) -> Option<(&str, &str)> {
    let (dir, file) = match rel.rsplit_once("/tests/") {
        Some((d, f)) => (d, f),
        None => ("", rel.strip_prefix("tests/")?),
    };
    let (stem, ext) = file.rsplit_once('.')?;
    let name = stem.strip_prefix("hook-")?;
    (!file.contains('/') && !name.is_empty() && (ext == "sh" || DECLARATIVE.contains(&ext)))
        .then_some((dir, name))
}

/// Hook files that no block of their directory's pages names.
pub fn unused(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let source_root = config.locale_root(&config.source_locale);
    let mut used: HashSet<(PathBuf, &str)> = HashSet::new();
    for page in ctx.trees.iter().flat_map(|t| &t.pages) {
        for name in page
            .blocks
            .iter()
            .filter_map(|b| b.annotations.hook.as_deref())
        {
            // A translation without its own hook runs the source locale's.
            for root in [config.locale_root(&page.locale), source_root.clone()] {
                used.insert((normalize(&root.join(page.dir())), name));
            }
        }
    }
    for tree in ctx.trees {
        for rel in &tree.hooks {
            let Some((dir, name)) = parse_hook(rel) else {
                continue;
            };
            if name == "suite" || used.contains(&(normalize(&tree.root.join(dir)), name)) {
                continue;
            }
            out.push(finding(
                "fence/unused-hook",
                &tree.root.join(rel),
                1,
                1,
                msg!(
                    "check-fence-unused-hook",
                    name = name,
                    dir = ctx.project.display_path(&tree.root.join(dir))
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hook_file_names() {
        assert_eq!(parse_hook("a/b/tests/hook-x.sh"), Some(("a/b", "x")));
        assert_eq!(parse_hook("tests/hook-y.yaml"), Some(("", "y")));
        assert_eq!(parse_hook("a/tests/helpers.sh"), None);
        assert_eq!(parse_hook("a/tests/sub/hook-x.sh"), None);
        assert_eq!(parse_hook("a/tests/hook-x.txt"), None);
    }
}
