//! The rules of `labrun check`, one concern per file. Page rules see one
//! page at a time (and run in parallel); project rules see every tree.

mod directives;
mod front_matter;
mod hooks;
mod links;
mod required_time;
mod translation;
mod variables;
mod yaml;

pub(crate) use links::{is_external, site_ids};

use crate::diag::Diagnostic;
use crate::model::Page;

use super::Ctx;

pub(crate) use crate::rules::finding;

/// Runs every page rule on one page, after the parser's own findings.
pub fn page(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    page_local(ctx, page, out);
    page_links(ctx, page, out);
}

/// The parser's findings and the page rules that read only the page and
/// the files it names (manifests, hooks, durations, labrun.yaml): another
/// page's edit cannot change them.
pub fn page_local(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    out.extend(page.diagnostics.iter().cloned());
    directives::check(ctx, page, out);
    yaml::check(ctx, page, out);
    required_time::check(ctx, page, out);
    hooks::check(ctx, page, out);
    front_matter::check(page, out);
    out.extend(crate::sample::unmatchable(page, false));
    variables::check(ctx, page, out);
}

/// The page rules that read other pages: links, images and anchors.
pub fn page_links(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    links::check(ctx, page, out);
}

/// Rules over the whole project, after the page rules.
pub fn project(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for tree in ctx.trees {
        front_matter::duplicate_positions(tree, out);
    }
    hooks::unused(ctx, out);
    translation::orphans(ctx, out);
    out.extend(super::durations_diagnostic(ctx));
}

/// The 1-based character column of `needle` in `line` at or after byte
/// `from`, if it is there.
pub(crate) fn col_of(line: &str, needle: &str, from: usize) -> Option<u32> {
    let at = line.get(from..)?.find(needle)? + from;
    Some(line[..at].chars().count() as u32 + 1)
}

#[cfg(test)]
mod tests {
    use crate::rules::RULES;

    #[test]
    fn parser_rules_are_registered() {
        // Every rule id the Markdown engine emits appears in RULES.
        let src = [
            include_str!("../../markdown/mod.rs"),
            include_str!("../../markdown/fence.rs"),
            include_str!("../../markdown/front_matter.rs"),
        ]
        .join("\n");
        for area in ["file/", "front-matter/", "fence/", "directive/"] {
            for (i, _) in src.match_indices(&format!("\"{area}")) {
                let id: String = src[i + 1..].chars().take_while(|c| *c != '"').collect();
                assert!(
                    RULES.iter().any(|(r, _)| *r == id),
                    "{id} is emitted by the parser but not in RULES"
                );
            }
        }
    }
}
