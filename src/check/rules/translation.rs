//! Translations: a translated page whose source page no longer exists is
//! reported once. What follows only from that is folded into the one
//! finding instead of being reported again: its `hook=` names, whose files
//! lived beside the vanished source (the hooks rule skips orphans).

use crate::diag::Diagnostic;
use crate::drift::{Candidate, suggest_source};
use crate::model::Page;
use crate::msg;

use super::super::Ctx;
use super::finding;

pub fn check(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    if !page.orphan {
        return;
    }
    let config = ctx.config;
    let source_root = config.locale_root(&config.source_locale);
    let source = ctx.project.display_path(&source_root.join(&page.rel));
    let mut hooks: Vec<&str> = page
        .blocks
        .iter()
        .filter_map(|b| b.annotations.hook.as_deref())
        .filter(|name| super::hooks::hook_file(ctx, page, name).is_none())
        .collect();
    hooks.dedup();
    let hooks = if hooks.is_empty() {
        "none".to_owned()
    } else {
        hooks
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = match suggestion(ctx, page) {
        Some(s) => msg!(
            "check-translation-orphan-suggest",
            source = source.as_str(),
            suggestion = ctx.project.display_path(&source_root.join(s)),
            hooks = hooks.as_str()
        ),
        None => msg!(
            "check-translation-orphan",
            source = source.as_str(),
            hooks = hooks.as_str()
        ),
    };
    let line = page.front.source_hash.as_ref().map_or(1, |h| h.line);
    out.push(finding("translation/orphan", &page.file, line, 1, message));
}

/// The source page the orphan most likely became: one of the source pages
/// its locale has no translation of (the same guess as `labrun drift`).
fn suggestion<'a>(ctx: &Ctx<'a>, orphan: &Page) -> Option<&'a str> {
    let source = ctx
        .trees
        .iter()
        .find(|t| t.locale == ctx.config.source_locale)?;
    let translated = ctx.trees.iter().find(|t| t.locale == orphan.locale)?;
    let candidates: Vec<Candidate<'a>> = source
        .pages
        .iter()
        .filter(|p| !translated.pages.iter().any(|t| t.rel == p.rel))
        .map(Candidate::new)
        .collect();
    suggest_source(orphan, &candidates).map(|p| p.rel.as_str())
}
