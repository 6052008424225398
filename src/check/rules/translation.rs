//! Translations: a translated page whose source page no longer exists is
//! reported once, with the source page it most likely became (the same
//! guess as `labrun drift`, folder moves included). What follows only from
//! it is folded into the one finding instead of being reported again: its
//! `hook=` names, whose files lived beside the vanished source (the hooks
//! rule skips orphans).

use crate::diag::Diagnostic;
use crate::drift::place_orphans;
use crate::model::Page;
use crate::msg;

use super::super::Ctx;
use super::finding;

pub fn orphans(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    let Some(source) = ctx.trees.iter().find(|t| t.locale == config.source_locale) else {
        return;
    };
    let source_root = config.locale_root(&config.source_locale);
    for tree in ctx
        .trees
        .iter()
        .filter(|t| t.locale != config.source_locale)
    {
        if !tree.pages.iter().any(|p| p.orphan) {
            continue;
        }
        let sources: Vec<&Page> = source.pages.iter().collect();
        let targets: Vec<&Page> = tree.pages.iter().collect();
        for (page, suggestion) in place_orphans(&sources, &targets) {
            let source = ctx.project.display_path(&source_root.join(&page.rel));
            let hooks = folded_hooks(ctx, page);
            let message = match suggestion {
                Some(s) => msg!(
                    "check-translation-orphan-suggest",
                    source = source.as_str(),
                    suggestion = ctx.project.display_path(&source_root.join(&s.rel)),
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
    }
}

/// The `hook=` names of an orphan that resolve nowhere, for its message
/// (`none` when every hook it names is there).
fn folded_hooks(ctx: &Ctx<'_>, page: &Page) -> String {
    let mut hooks: Vec<&str> = page
        .blocks
        .iter()
        .filter_map(|b| b.annotations.hook.as_deref())
        .filter(|name| super::hooks::hook_file(ctx, page, name).is_none())
        .collect();
    hooks.dedup();
    if hooks.is_empty() {
        "none".to_owned()
    } else {
        hooks
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
