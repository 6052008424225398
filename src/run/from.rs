//! `--from PAGE[:LINE]`: where a run starts, skipping what comes before.

use crate::content::Project;
use crate::error::Error;
use crate::model::{Lab, Page};
use crate::msg;

/// `--from PAGE[:LINE]`, resolved: the page (path within its locale) and the
/// opening line of the first block to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FromBlock {
    pub locale: String,
    pub page: String,
    pub line: Option<u32>,
}

/// `PAGE[:LINE]` against the labs to run: the page by path within its
/// locale (with or without `.md`), by file path, or by a unique ending; the
/// line must fall within a runnable block.
pub fn resolve(spec: &str, labs: &[Lab], project: &Project) -> Result<FromBlock, Error> {
    let usage = Error::Usage;
    let (page_spec, line) = match spec.rsplit_once(':') {
        Some((p, l)) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => (
            p,
            Some(
                l.parse::<u32>()
                    .map_err(|_| usage(msg!("run-from-unknown-page", page = spec)))?,
            ),
        ),
        _ => (spec, None),
    };
    let want = page_spec.trim_start_matches("./");
    let pages: Vec<&Page> = labs.iter().flat_map(|l| l.pages.iter()).collect();
    let exact: Vec<&&Page> = pages
        .iter()
        .filter(|p| {
            p.rel == want || p.rel == format!("{want}.md") || project.display_path(&p.file) == want
        })
        .collect();
    let matches: Vec<&&Page> = if exact.is_empty() {
        pages
            .iter()
            .filter(|p| {
                p.rel.ends_with(&format!("/{want}")) || p.rel.ends_with(&format!("/{want}.md"))
            })
            .collect()
    } else {
        exact
    };
    let page = match matches.as_slice() {
        [p] => **p,
        [p, rest @ ..] if rest.iter().all(|q| q.rel == p.rel) => **p,
        [] => {
            return Err(usage(msg!("run-from-unknown-page", page = page_spec)));
        }
        many => {
            let names: Vec<String> = many.iter().map(|p| p.rel.clone()).collect();
            return Err(usage(msg!(
                "run-from-ambiguous",
                page = page_spec,
                matches = names.join(", ")
            )));
        }
    };
    let line = match line {
        None => None,
        Some(l) => {
            let block = page
                .runnable_blocks()
                .find(|b| b.line <= l && l <= b.end_line)
                .ok_or_else(|| {
                    usage(msg!(
                        "run-from-no-block",
                        file = project.display_path(&page.file),
                        line = l
                    ))
                })?;
            Some(block.line)
        }
    };
    Ok(FromBlock {
        locale: page.locale.clone(),
        page: page.rel.clone(),
        line,
    })
}
