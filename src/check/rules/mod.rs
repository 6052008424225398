//! The rules of `labrun check`, one concern per file. Page rules see one
//! page at a time (and run in parallel); project rules see every tree.

mod directives;
mod front_matter;
mod hooks;
mod links;
mod required_time;
mod variables;
mod yaml;

pub(crate) use links::{is_external, site_ids};

use crate::diag::{Diagnostic, Severity};
use crate::model::Page;

use super::Ctx;

/// Every rule `labrun check` reports, with its severity: the parser's (from
/// `page.diagnostics`) and the checker's own. The README's table lists the
/// same ids (a test keeps them in step).
pub const RULES: &[(&str, Severity)] = &[
    // Reading pages (the Markdown engine).
    ("file/not-utf8", Severity::Error),
    ("front-matter/unterminated", Severity::Error),
    ("front-matter/invalid-yaml", Severity::Error),
    ("front-matter/not-a-mapping", Severity::Error),
    ("front-matter/position-not-integer", Severity::Error),
    ("fence/unknown-annotation", Severity::Error),
    ("fence/bad-annotation-value", Severity::Error),
    ("fence/duplicate-annotation", Severity::Error),
    ("fence/unterminated", Severity::Error),
    ("fence/unterminated-heredoc", Severity::Error),
    ("fence/unterminated-quote", Severity::Error),
    ("fence/no-commands", Severity::Warning),
    ("directive/malformed", Severity::Error),
    ("directive/unmatched-close", Severity::Error),
    ("directive/unterminated-container", Severity::Error),
    // The checker's own.
    ("yaml/file-outside-project", Severity::Error),
    ("yaml/file-not-found", Severity::Error),
    ("yaml/invalid-manifest", Severity::Error),
    ("yaml/path-not-found", Severity::Error),
    ("yaml/zoom-path-not-found", Severity::Error),
    ("yaml/callout-count", Severity::Error),
    ("directive/unknown", Severity::Error),
    ("directive/missing-attribute", Severity::Error),
    ("directive/bad-attribute-value", Severity::Error),
    ("required-time/no-duration", Severity::Error),
    ("required-time/bad-durations-file", Severity::Error),
    ("fence/missing-hook", Severity::Error),
    ("fence/unused-hook", Severity::Warning),
    ("front-matter/missing-title", Severity::Error),
    ("front-matter/duplicate-position", Severity::Warning),
    ("reference/unknown-variable", Severity::Error),
    ("link/broken", Severity::Error),
    ("link/broken-anchor", Severity::Error),
    ("link/broken-image", Severity::Error),
];

/// The severity a rule reports with.
pub fn severity(rule: &str) -> Severity {
    RULES
        .iter()
        .find(|(id, _)| *id == rule)
        .map_or(Severity::Error, |(_, s)| *s)
}

/// A finding of one of the checker's rules, at its registered severity.
pub(crate) fn finding(
    rule: &str,
    file: &std::path::Path,
    line: u32,
    col: u32,
    message: crate::i18n::Msg,
) -> Diagnostic {
    Diagnostic::new(rule, severity(rule), file, line, col.max(1), message)
}

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
    yaml::manifest_failures(ctx, out);
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
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_area_slash_name() {
        let mut seen = std::collections::HashSet::new();
        for (id, _) in RULES {
            assert!(seen.insert(id), "{id} twice");
            let (area, name) = id.split_once('/').expect("area/name");
            assert!(!area.is_empty() && !name.is_empty());
        }
    }

    #[test]
    fn the_check_docs_list_every_rule_with_its_severity() {
        let doc = include_str!("../../../docs/check.md");
        for (id, sev) in RULES {
            let sev = match sev {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            assert!(
                doc.contains(&format!("| `{id}` | {sev} |")),
                "docs/check.md lacks `| `{id}` | {sev} |`"
            );
        }
    }

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
