//! `labrun check`: every problem a reader or a lab run would hit, found
//! without a cluster, as [`Diagnostic`]s sorted by file and line.
//!
//! The pages are read and parsed once, in parallel ([`Project::load_all`]);
//! the rules then run per page in parallel ([`rules`], one concern per
//! file) against shared, read-only context ([`Ctx`]): the manifest cache
//! (each manifest parsed once), an index of pages by file, the recorded
//! durations. Parse problems already in `page.diagnostics` are reported as
//! they are. Last, the project's policy ([`crate::rules::Policy`]) gives
//! every finding its level and drops those that are off or silenced.

pub mod incremental;
pub mod output;
pub mod rules;
pub mod watch;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Project, Tree};
use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use crate::manifest::ManifestCache;
use crate::model::Page;
use crate::msg;
use crate::rules::Policy;

/// What a check found.
#[derive(Debug)]
pub struct Report {
    /// Sorted by file, line, column, rule.
    pub diagnostics: Vec<Diagnostic>,
    /// Every page checked, in site order per locale.
    pub files: Vec<PathBuf>,
    pub locales: Vec<String>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Whether the check fails: any error, or any warning when warnings are
    /// denied.
    pub fn failed(&self, deny_warnings: bool) -> bool {
        self.errors() > 0 || (deny_warnings && self.warnings() > 0)
    }

    /// Keeps only findings in files under one of `paths` (absolute,
    /// normalized), and the checked files likewise; relative file names are
    /// taken from `cwd`.
    pub fn restrict(&mut self, paths: &[PathBuf], cwd: &Path) {
        let keep = |f: &Path| {
            let f = normalize(&cwd.join(f));
            paths.iter().any(|p| f.starts_with(p))
        };
        self.diagnostics.retain(|d| keep(&d.file));
        self.files.retain(|f| keep(f));
    }
}

/// Checks every locale of a project under its configured policy.
pub fn check(project: &Project) -> Result<Report, Error> {
    let (trees, fs) = load(project)?;
    let manifests = ManifestCache::new(&project.config.root);
    let policy = project.config.check.policy();
    Ok(check_trees(project, &trees, &fs, &manifests, &policy))
}

/// Reads every locale and, at the same time, indexes the files under the
/// locale roots (what links, images and hooks may point at).
pub fn load(project: &Project) -> Result<(Vec<Tree>, FsIndex), Error> {
    let config = &project.config;
    let roots: Vec<PathBuf> = config
        .locales
        .iter()
        .map(|l| config.locale_root(l))
        .collect();
    let (trees, fs) = rayon::join(|| project.load_all(), || FsIndex::build(&roots));
    Ok((trees?, fs))
}

/// Checks loaded trees (one per locale). The caller owns the file index and
/// the manifest cache (a command that exits next need not free them).
pub fn check_trees(
    project: &Project,
    trees: &[Tree],
    fs: &FsIndex,
    manifests: &ManifestCache,
    policy: &Policy,
) -> Report {
    let ctx = Ctx::new(project, trees, fs, manifests).with_policy(policy.clone());
    let pages: Vec<&Page> = trees.iter().flat_map(|t| &t.pages).collect();
    let mut diagnostics: Vec<Diagnostic> = pages
        .par_iter()
        .flat_map_iter(|page| page_findings(&ctx, page))
        .collect();
    diagnostics.extend(project_findings(&ctx));
    for tree in trees {
        diagnostics.extend(hook_findings(project, tree));
    }
    report(&ctx, diagnostics)
}

/// Every finding of one page's rules, not yet silenced. The incremental
/// checker ([`incremental`]) calls the two halves ([`rules::page_local`],
/// [`rules::page_links`]) on their own.
pub fn page_findings(ctx: &Ctx<'_>, page: &Page) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rules::page(ctx, page, &mut out);
    out
}

/// Findings of the rules over the whole project (positions among siblings,
/// unused hooks, unusable manifests, the durations file), not yet silenced.
pub fn project_findings(ctx: &Ctx<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rules::project(ctx, &mut out);
    out
}

/// Findings in a locale's own files that are not pages: its `_category_`
/// files, and its declarative hook files (`tests/hook-NAME.yaml`),
/// validated by their owner, [`crate::verify`].
pub fn hook_findings(project: &Project, tree: &Tree) -> Vec<Diagnostic> {
    let mut out = tree.diagnostics.clone();
    out.extend(crate::verify::validate_tree(
        tree,
        &project.config.variables,
    ));
    out
}

/// The project's policy on the findings of the pages a job is about to use
/// (plus what the job found itself): errors stop it before it starts,
/// warnings are shown on stderr and it goes on.
pub fn gate<'a>(
    project: &Project,
    pages: impl IntoIterator<Item = &'a Page>,
    extra: Vec<Diagnostic>,
) -> Result<(), Error> {
    let warnings = project.config.check.policy().gate(pages, extra)?;
    crate::ui::print_diagnostics(&warnings);
    Ok(())
}

/// The report of a set of findings under the context's policy (levels,
/// silenced ones dropped), sorted by file, line, column and rule,
/// duplicates removed.
pub fn report(ctx: &Ctx<'_>, diagnostics: Vec<Diagnostic>) -> Report {
    let mut diagnostics = ctx.policy.apply(diagnostics, |f| ctx.page_at(f));
    diagnostics
        .sort_by(|a, b| (&a.file, a.line, a.col, &a.rule).cmp(&(&b.file, b.line, b.col, &b.rule)));
    diagnostics.dedup_by(|a, b| {
        a.file == b.file && a.line == b.line && a.col == b.col && a.rule == b.rule
    });
    Report {
        diagnostics,
        files: ctx
            .trees
            .iter()
            .flat_map(|t| &t.pages)
            .map(|p| p.file.clone())
            .collect(),
        locales: ctx.trees.iter().map(|t| t.locale.clone()).collect(),
    }
}

/// The recorded lab durations, as `check` sees the durations file.
#[derive(Debug)]
pub enum Durations {
    /// No file: no lab has recorded durations.
    Missing,
    Loaded(crate::durations::Durations),
    /// The file cannot be used (line, column, detail).
    Invalid(u32, u32, String),
}

impl Durations {
    pub fn load(file: &Path) -> Durations {
        match crate::durations::Durations::load(file) {
            Ok(None) => Durations::Missing,
            Ok(Some(d)) => Durations::Loaded(d),
            Err(Error::Invalid {
                line, col, detail, ..
            }) => Durations::Invalid(line, col, detail),
            Err(e) => Durations::Invalid(1, 1, e.to_string()),
        }
    }

    /// Whether any page of the lab (its content path) has a recorded
    /// duration: a key `/<lab>/…`.
    pub fn has_lab(&self, lab: &str) -> bool {
        matches!(self, Durations::Loaded(d) if d.lab_ms(lab).is_some())
    }
}

/// Read-only context the rules share across threads.
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub config: &'a Config,
    pub trees: &'a [Tree],
    pub manifests: &'a ManifestCache,
    pub fs: &'a FsIndex,
    /// Every page by its (lexically normalized) file path.
    pub pages: HashMap<PathBuf, &'a Page>,
    pub durations: Durations,
    /// Pages by site id (number prefix dropped, front matter `id`/`slug`).
    pub site_ids: HashMap<PathBuf, &'a Page>,
    /// Page texts that are not on disk yet (an editor's unsaved buffers),
    /// by normalized path: findings read their lines from here first.
    pub buffers: Option<&'a HashMap<PathBuf, String>>,
    /// The project's verdict on each rule (labrun.yaml's, unless replaced).
    pub policy: Policy,
}

impl<'a> Ctx<'a> {
    pub fn new(
        project: &'a Project,
        trees: &'a [Tree],
        fs: &'a FsIndex,
        manifests: &'a ManifestCache,
    ) -> Ctx<'a> {
        let pages = trees
            .iter()
            .flat_map(|t| &t.pages)
            .map(|p| (normalize(&p.file), p))
            .collect();
        let site_ids = trees
            .iter()
            .flat_map(|t| &t.pages)
            .flat_map(|p| rules::site_ids(p).into_iter().map(move |id| (id, p)))
            .collect();
        Ctx {
            policy: project.config.check.policy(),
            site_ids,
            project,
            config: &project.config,
            trees,
            manifests,
            fs,
            pages,
            durations: Durations::load(&project.config.durations_file()),
            buffers: None,
        }
    }

    /// The same context, reading page lines from `buffers` where they hold
    /// the page.
    pub fn with_buffers(mut self, buffers: &'a HashMap<PathBuf, String>) -> Ctx<'a> {
        self.buffers = Some(buffers);
        self
    }

    /// Judges with this policy instead of labrun.yaml's alone (`--pedantic`).
    pub fn with_policy(mut self, policy: Policy) -> Ctx<'a> {
        self.policy = policy;
        self
    }

    /// A page by file path.
    pub fn page_at(&self, path: &Path) -> Option<&'a Page> {
        self.pages.get(&normalize(path)).copied()
    }

    /// A page by an already normalized file path.
    pub fn page_at_normalized(&self, path: &Path) -> Option<&'a Page> {
        self.pages.get(path).copied()
    }

    pub fn page_by_site_id(&self, path: &Path) -> Option<&'a Page> {
        self.site_ids.get(&normalize(path)).copied()
    }

    /// One line of a page's source, read again from disk: only findings
    /// need it (for a precise column), so the happy path does no extra I/O.
    pub fn source_line(&self, page: &Page, line: u32) -> Option<String> {
        let index = line.checked_sub(1)? as usize;
        if let Some(text) = self.buffers.and_then(|b| b.get(&normalize(&page.file))) {
            return text.lines().nth(index).map(str::to_owned);
        }
        let bytes = std::fs::read(&page.file).ok()?;
        let text = String::from_utf8_lossy(&bytes);
        text.lines().nth(index).map(str::to_owned)
    }
}

/// What a path is on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// Every file and directory under the locale roots, from one walk (no
/// `stat` per link); paths elsewhere are looked up on disk.
#[derive(Debug, Default)]
pub struct FsIndex {
    roots: Vec<PathBuf>,
    entries: HashMap<PathBuf, Kind>,
    /// Symlinks inside the roots: resolved on disk when asked for.
    links: std::collections::HashSet<PathBuf>,
}

impl FsIndex {
    pub fn build(roots: &[PathBuf]) -> FsIndex {
        let mut index = FsIndex::default();
        for root in roots {
            let root = normalize(root);
            for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
                let path = normalize(entry.path());
                let t = entry.file_type();
                if t.is_dir() {
                    index.entries.insert(path, Kind::Dir);
                } else if t.is_file() {
                    index.entries.insert(path, Kind::File);
                } else if t.is_symlink() {
                    index.links.insert(path);
                }
            }
            if index.entries.get(&root) == Some(&Kind::Dir) {
                index.roots.push(root);
            }
        }
        index
    }

    /// Records what `path` (normalized, under a root) is now: a file or
    /// directory (its ancestors become directories), or gone (`None`, with
    /// everything below it).
    pub fn set(&mut self, path: &Path, kind: Option<Kind>) {
        match kind {
            Some(kind) => {
                let mut dir = path.parent();
                while let Some(d) = dir {
                    if !self.roots.iter().any(|r| d.starts_with(r)) {
                        break;
                    }
                    self.entries.insert(d.to_owned(), Kind::Dir);
                    dir = d.parent();
                }
                self.entries.insert(path.to_owned(), kind);
            }
            None => {
                self.entries.retain(|p, _| !p.starts_with(path));
                self.links.retain(|p| !p.starts_with(path));
            }
        }
    }

    /// Whether the walk itself found `path` (normalized): no link on the way.
    pub fn walked(&self, path: &Path) -> bool {
        self.entries.contains_key(path)
    }

    /// What `path` (normalized) is, if it exists.
    pub fn kind(&self, path: &Path) -> Option<Kind> {
        if let Some(k) = self.entries.get(path) {
            return Some(*k);
        }
        let walked = self.roots.iter().any(|r| path.starts_with(r))
            && !self.links.iter().any(|l| path.starts_with(l));
        if walked {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            Some(Kind::Dir)
        } else {
            Some(Kind::File)
        }
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A diagnostic for the durations file itself.
pub(crate) fn durations_diagnostic(ctx: &Ctx<'_>) -> Option<Diagnostic> {
    match &ctx.durations {
        Durations::Invalid(line, col, detail) => Some(Diagnostic::new(
            "required-time/bad-durations-file",
            Severity::Error,
            &ctx.config.durations_file(),
            (*line).max(1),
            (*col).max(1),
            msg!(
                "check-required-time-bad-durations",
                detail = detail.as_str()
            ),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_match_lab_prefixes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("d.json");
        std::fs::write(&f, r#"{"/net/policies/index.md": 1200, "/netx/a.md": 5}"#).unwrap();
        let d = Durations::load(&f);
        assert!(d.has_lab("net/policies"));
        assert!(d.has_lab("net"));
        assert!(!d.has_lab("ne"));
        assert!(!d.has_lab("net/sg"));
        assert!(!Durations::load(&dir.path().join("none.json")).has_lab("net"));
        std::fs::write(&f, "[1, 2]").unwrap();
        assert!(matches!(Durations::load(&f), Durations::Invalid(..)));
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(
            normalize(Path::new("/r/a/./b/../c.md")),
            PathBuf::from("/r/a/c.md")
        );
    }
}
