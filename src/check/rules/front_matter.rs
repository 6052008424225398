//! Front matter: a title, and distinct positions among siblings (a
//! pedantic rule). A position that is not a number is the parser's
//! `front-matter/position-not-a-number`.

use std::collections::BTreeMap;

use crate::content::Tree;
use crate::diag::Diagnostic;
use crate::model::Page;
use crate::msg;

use super::finding;

pub fn check(page: &Page, out: &mut Vec<Diagnostic>) {
    // Site generators fall back to the first `#` heading.
    let has_h1 = page.headings.iter().any(|h| h.level == 1);
    if page
        .front
        .title
        .as_deref()
        .is_none_or(|t| t.trim().is_empty())
        && !has_h1
    {
        let line = page.front.span.map_or(1, |(start, _)| start);
        out.push(finding(
            "front-matter/missing-title",
            &page.file,
            line,
            1,
            msg!("check-front-matter-missing-title"),
        ));
    }
}

/// Siblings (pages of a directory and its subdirectories, which take their
/// index page's position) that share a position.
pub fn duplicate_positions(tree: &Tree, out: &mut Vec<Diagnostic>) {
    // parent dir -> (position, name shown, page that sets the position)
    let mut siblings: BTreeMap<&str, Vec<(f64, &str, &Page)>> = BTreeMap::new();
    for page in &tree.pages {
        let Some(pos) = page.front.position.as_ref() else {
            continue;
        };
        if page.is_index {
            let dir = page.dir();
            if dir.is_empty() {
                continue;
            }
            let parent = dir.rsplit_once('/').map_or("", |(p, _)| p);
            siblings
                .entry(parent)
                .or_default()
                .push((pos.value, dir, page));
        } else {
            siblings
                .entry(page.dir())
                .or_default()
                .push((pos.value, page.rel.as_str(), page));
        }
    }
    for list in siblings.values_mut() {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        for pair in list.windows(2) {
            let (first, second) = (&pair[0], &pair[1]);
            if first.0 != second.0 {
                continue;
            }
            // Each later sibling names the first one with the position.
            let origin = list.iter().find(|e| e.0 == second.0).unwrap_or(first);
            let pos = second.2.front.position.as_ref().expect("filtered above");
            out.push(finding(
                "front-matter/duplicate-position",
                &second.2.file,
                pos.line,
                1,
                msg!(
                    "check-front-matter-duplicate-position",
                    key = pos.key.as_str(),
                    position = crate::model::position_text(pos.value),
                    other = origin.1
                ),
            ));
        }
    }
}
