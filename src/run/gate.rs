//! The gate before a run: what the project's policy says of the pages
//! that will run and of what the run finds before it starts. `plan` asks
//! the same, so that it refuses what a run would refuse.

use std::collections::BTreeMap;

use crate::content::Project;
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::model::{Block, Lab};
use crate::msg;

/// Errors stop the run of `labs` before anything is created; warnings are
/// shown on stderr and it goes on. `variables` and `verify_all` as for
/// [`preflight`].
pub fn check(
    project: &Project,
    labs: &[Lab],
    variables: &BTreeMap<String, String>,
    verify_all: bool,
) -> Result<(), Error> {
    crate::check::gate(
        project,
        labs.iter()
            .flat_map(|l| l.pages.iter())
            .filter(|p| p.runs()),
        preflight(project, labs, variables, verify_all),
    )
}

/// Problems a run finds before it starts, under the same rule ids as
/// `check` (so the project's policy treats them alike): unknown `VAR::`
/// names in code that will run (`variables` from labrun.yaml and `--var`),
/// `hook=NAME` without its files, and samples it cannot compare (in every
/// block with `verify_all`, as `--verify-output` compares them all).
pub fn preflight(
    project: &Project,
    labs: &[Lab],
    variables: &BTreeMap<String, String>,
    verify_all: bool,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for lab in labs {
        for page in lab.pages.iter().filter(|p| p.runs()) {
            diags.extend(crate::sample::unmatchable(page, verify_all));
            let blocks: Vec<&Block> = page.runnable_blocks().collect();
            for v in &page.variables {
                let in_block = blocks
                    .iter()
                    .any(|b| b.line < v.pos.line && v.pos.line < b.end_line.max(b.line + 1));
                if in_block && !variables.contains_key(&v.name) {
                    let mut known: Vec<&str> = variables.keys().map(String::as_str).collect();
                    known.sort_unstable();
                    diags.push(crate::rules::finding(
                        "reference/unknown-variable",
                        &page.file,
                        v.pos.line,
                        v.pos.col,
                        msg!(
                            "run-unknown-variable",
                            name = v.name.as_str(),
                            known = if known.is_empty() {
                                "-".to_owned()
                            } else {
                                known.join(", ")
                            }
                        ),
                    ));
                }
            }
            for b in &blocks {
                if let Some(name) = &b.annotations.hook
                    && project.hook_files(page, name).is_empty()
                {
                    let col = b.annotations.col("hook");
                    diags.push(crate::rules::finding(
                        "fence/missing-hook",
                        &page.file,
                        b.line,
                        col,
                        msg!(
                            "run-hook-missing",
                            name = name.as_str(),
                            file = project.display_path(
                                &project
                                    .config
                                    .locale_root(&page.locale)
                                    .join(page.dir())
                                    .join(format!("tests/hook-{name}.sh"))
                            )
                        ),
                    ));
                }
            }
        }
    }
    diags
}
