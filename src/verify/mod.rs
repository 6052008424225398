//! Cluster verification: declarative hooks, `labrun verify`, the preflight
//! check and leak detection. Everything talks to the cluster through
//! `kubectl` ([`kube`]).
//!
//! - [`expect`]: the `tests/hook-NAME.yaml` format, parsed with positions;
//!   [`validate`] is what `labrun check` calls.
//! - [`eval`]: polling evaluation with expected/actual/fragment results.
//! - [`preflight`]: is a cluster reachable, does a lab need one.
//! - [`leaks`]: snapshots and their difference.
//!
//! A block's `hook=NAME` may have a bash script `tests/hook-NAME.sh`, a
//! declarative file `tests/hook-NAME.yaml`, or both: then, for each phase,
//! the expectations are checked first and the script runs after them.

pub mod eval;
pub mod expect;
pub mod kube;
pub mod leaks;
pub mod preflight;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::content::{Project, Tree};
use crate::diag::Diagnostic;
use crate::model::{Block, Lab, Page};

pub use eval::{Options, Origin, Outcome, PhaseReport, evaluate_phase};
pub use expect::{Expectation, HookSpec, Phase, validate};
pub use kube::{Kube, KubeError};
pub use leaks::{LeakReport, Snapshot};
pub use preflight::{ClusterInfo, PreflightError};

pub use crate::content::HookFiles;

/// A block of a lab with a declarative hook.
#[derive(Clone, Debug)]
pub struct BlockHook<'a> {
    pub page: &'a Page,
    pub block: &'a Block,
    pub name: String,
    pub file: PathBuf,
}

impl BlockHook<'_> {
    /// Where the hook belongs, with paths as the user sees them.
    pub fn origin(&self, project: &Project) -> Origin {
        origin(project, self.page, self.block, &self.name, &self.file)
    }
}

/// Where a block's hook belongs, for reports: the page and line of the
/// block, the hook's name and file, with paths as the user sees them.
pub fn origin(project: &Project, page: &Page, block: &Block, name: &str, file: &Path) -> Origin {
    Origin {
        page: project.display_path(&page.file),
        line: block.line,
        hook: name.to_owned(),
        file: project.display_path(file),
    }
}

/// Every declarative hook file the lab's runnable blocks use, loaded once
/// each. A run calls this before starting, and refuses to start (exit 2) on
/// the diagnostics it returns.
pub fn load_lab_hooks(
    project: &Project,
    lab: &Lab,
    vars: &BTreeMap<String, String>,
) -> Result<BTreeMap<PathBuf, HookSpec>, Vec<Diagnostic>> {
    let pages: Vec<&Page> = lab.pages.iter().collect();
    let hooks = declarative_hooks(project, &pages);
    load_specs(hooks.iter().map(|h| h.file.as_path()), vars)
}

/// The blocks a run would execute that have a declarative hook, in order.
pub fn declarative_hooks<'a>(project: &Project, pages: &[&'a Page]) -> Vec<BlockHook<'a>> {
    let mut hooks = Vec::new();
    for page in pages.iter().filter(|p| p.runs()) {
        for block in page.runnable_blocks() {
            if let Some(name) = &block.annotations.hook
                && let Some(file) = project.hook_files(page, name).expectations
            {
                hooks.push(BlockHook {
                    page,
                    block,
                    name: name.clone(),
                    file,
                });
            }
        }
    }
    hooks
}

/// Loads each distinct hook file once. Errors: every diagnostic of every
/// invalid file.
pub fn load_specs<'a>(
    hooks: impl IntoIterator<Item = &'a Path>,
    vars: &BTreeMap<String, String>,
) -> Result<BTreeMap<PathBuf, HookSpec>, Vec<Diagnostic>> {
    let mut specs = BTreeMap::new();
    let mut errors = Vec::new();
    for file in hooks {
        if specs.contains_key(file) {
            continue;
        }
        match expect::load(file, vars) {
            Ok(spec) => {
                specs.insert(file.to_owned(), spec);
            }
            Err(d) => errors.extend(d),
        }
    }
    if errors.is_empty() {
        Ok(specs)
    } else {
        errors.dedup();
        Err(errors)
    }
}

/// Every declarative hook file of a locale's tree, validated (for `check`).
pub fn validate_tree(tree: &Tree, vars: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    tree.hooks
        .iter()
        .filter(|h| crate::content::is_declarative_hook(h))
        .flat_map(|h| validate(&tree.root.join(h), vars))
        .collect()
}

/// The pages of a lab that `--page` selects: the page path within the
/// locale (`networking/network-policies/ingress.md`), the path within the
/// lab (`ingress.md`), or either without `.md`.
pub fn select_pages<'a>(lab: &'a Lab, page: Option<&str>) -> Vec<&'a Page> {
    let Some(wanted) = page else {
        return lab.pages.iter().collect();
    };
    let wanted = wanted.trim().trim_start_matches("./").trim_end_matches('/');
    lab.pages
        .iter()
        .filter(|p| {
            let in_lab = if lab.id.is_empty() {
                p.rel.as_str()
            } else {
                p.rel
                    .strip_prefix(&format!("{}/", lab.id))
                    .unwrap_or(&p.rel)
            };
            [p.rel.as_str(), in_lab].iter().any(|c| {
                *c == wanted
                    || c.strip_suffix(".md").or_else(|| c.strip_suffix(".mdx")) == Some(wanted)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    #[test]
    fn hooks_are_found_beside_pages_with_locale_fallback() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let page = "---\ntitle: P\n---\n\n```bash hook=netpol\n$ kubectl get ns\n```\n\n```bash hook=script-only\n$ echo\n```\n";
        write(root, "content/en/lab/index.md", page);
        write(root, "content/ja/lab/index.md", page);
        write(root, "content/en/lab/tests/hook-netpol.yaml", "after: []\n");
        write(root, "content/en/lab/tests/hook-script-only.sh", "exit 0\n");
        let project = Project::open(None, root).unwrap();
        for locale in ["en", "ja"] {
            let tree = project.load(locale).unwrap();
            let lab = tree.lab("lab").unwrap();
            let files = project.hook_files(&lab.pages[0], "netpol");
            assert!(
                files
                    .expectations
                    .unwrap()
                    .ends_with("content/en/lab/tests/hook-netpol.yaml")
            );
            assert!(files.script.is_none());
            let pages: Vec<&Page> = lab.pages.iter().collect();
            let hooks = declarative_hooks(&project, &pages);
            assert_eq!(hooks.len(), 1);
            assert_eq!(hooks[0].origin(&project).line, 5);
            assert!(preflight::lab_needs_kubectl(&project, &lab));
        }
        let tree = project.load("en").unwrap();
        assert!(
            validate_tree(&tree, &BTreeMap::new())
                .iter()
                .any(|d| d.rule == "hook/empty")
        );
        let lab = tree.lab("lab").unwrap();
        assert_eq!(
            load_lab_hooks(&project, &lab, &BTreeMap::new())
                .unwrap()
                .len(),
            1
        );
        write(
            root,
            "content/en/lab/tests/hook-netpol.yaml",
            "after:\n  - kind: x\n",
        );
        let diags = load_lab_hooks(&project, &lab, &BTreeMap::new()).unwrap_err();
        assert!(diags.iter().all(|d| d.line == 2), "{diags:?}");
    }

    #[test]
    fn pages_are_selected_by_several_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "content/en/lab/index.md", "# Lab\n");
        write(root, "content/en/lab/second.md", "# Second\n");
        let project = Project::open(None, root).unwrap();
        let lab = project.load("en").unwrap().lab("lab").unwrap();
        for spelling in ["second.md", "second", "lab/second.md", "lab/second"] {
            let got = select_pages(&lab, Some(spelling));
            assert_eq!(got.len(), 1, "{spelling}");
            assert_eq!(got[0].rel, "lab/second.md");
        }
        assert!(select_pages(&lab, Some("third")).is_empty());
        assert_eq!(select_pages(&lab, None).len(), 2);
        assert!(!preflight::lab_needs_kubectl(&project, &lab));
    }
}
