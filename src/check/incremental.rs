//! The incremental checker behind `labrun check --watch` and `labrun lsp`:
//! the project stays loaded, with each page's findings, and a change
//! re-checks only what it can affect.
//!
//! What each finding depends on:
//! - a page's own rules ([`rules::page_local`]): the page, the manifests it
//!   names, the hook files beside it, the durations file, labrun.yaml;
//! - its link rules ([`rules::page_links`]): the pages and files its links
//!   point at. When a page appears, goes, or changes its anchors or site
//!   ids, only the pages with a link whose last segment names it are
//!   re-checked (a cheap, conservative filter);
//! - the project rules ([`super::project_findings`]): everything, but they
//!   are cheap and run after every change;
//! - a declarative hook file's validation: that file only.
//!
//! A change of labrun.yaml reloads everything. The rules are the same
//! functions a full `check` runs, so the findings are the same (a test
//! compares them after every edit).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{self, FileRole, Project, Tree};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::manifest::{ManifestCache, normalize_relative};
use crate::model::Page;

use super::{Ctx, FsIndex, Kind, Report, normalize, rules};

/// A loaded project and the findings of its last check.
pub struct Workspace {
    project: Project,
    /// How the project was found, to find it again on reload.
    config_arg: Option<PathBuf>,
    trees: Vec<Tree>,
    fs: FsIndex,
    manifests: ManifestCache,
    /// Findings of each page's own rules, by normalized file.
    local: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Findings of each page's links, by normalized file.
    links: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Findings in each declarative hook file.
    hook_files: HashMap<PathBuf, Vec<Diagnostic>>,
    project_findings: Vec<Diagnostic>,
    /// Page texts that differ from disk (an editor's unsaved buffers).
    buffers: HashMap<PathBuf, String>,
    /// The site conventions pages are read with (labrun.yaml's).
    opts: content::LoadOptions,
    /// `--pedantic`, on top of labrun.yaml's policy.
    pedantic: bool,
}

/// What one update did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// labrun.yaml changed (or the watcher lost track): everything was read again.
    pub reloaded: bool,
    /// Pages whose rules ran again (own rules or links).
    pub rechecked: usize,
}

/// What a page offers to links elsewhere: anchors and site ids.
#[derive(PartialEq, Eq)]
struct Surface(Vec<String>, Vec<PathBuf>);

impl Surface {
    fn of(page: &Page) -> Surface {
        let mut anchors: Vec<String> = page
            .headings
            .iter()
            .flat_map(|h| std::iter::once(h.anchor.clone()).chain(h.id.clone()))
            .collect();
        anchors.extend(page.html_anchors.iter().map(|a| a.id.clone()));
        Surface(anchors, rules::site_ids(page))
    }
}

/// The names a link's last segment may use for a page: its file name and
/// stem, the stem without a number prefix, its site ids and, for an index
/// page, its directory.
fn link_names(page: &Page, out: &mut HashSet<String>) {
    let name = page.rel.rsplit('/').next().unwrap_or(&page.rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    out.insert(name.to_owned());
    out.insert(stem.to_owned());
    let unnumbered = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    out.insert(unnumbered.trim_start_matches(['-', '_', '.']).to_owned());
    for id in rules::site_ids(page) {
        if let Some(last) = id.file_name() {
            out.insert(last.to_string_lossy().into_owned());
        }
    }
    if page.is_index {
        out.insert(page.dir().rsplit('/').next().unwrap_or("").to_owned());
        // Links to a directory (`./`, `..`) reach it too.
        out.insert(DIRECTORY.to_owned());
    }
}

/// The name an index page answers to for links ending in a directory.
const DIRECTORY: &str = "";

/// Whether a link may point at something named in `names` (a link to a
/// directory: at an index page).
fn may_name(dest: &str, names: &HashSet<String>) -> bool {
    let dest = dest.trim();
    if rules::is_external(dest) {
        return false;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        // `#anchor`: the page itself, which is re-checked anyway.
        return false;
    }
    let decoded;
    let path = if path.contains('%') {
        decoded = percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned();
        decoded.as_str()
    } else {
        path
    };
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    if last.is_empty() || last == "." || last == ".." {
        return names.contains(DIRECTORY);
    }
    let stem = last.rsplit_once('.').map_or(last, |(s, _)| s);
    names.contains(last) || names.contains(stem)
}

impl Workspace {
    /// Loads the project (`--config`, else found from `cwd`) and checks it all.
    pub fn open(config: Option<&Path>, cwd: &Path) -> Result<Workspace, Error> {
        let mut project = Project::open(config, cwd)?;
        // Watchers report absolute paths: the root must be one too.
        let c = &mut project.config;
        if !c.root.is_absolute() {
            c.root = normalize(&cwd.join(&c.root));
        }
        c.file = c.file.as_ref().map(|f| normalize(&cwd.join(f)));
        let (trees, fs) = super::load(&project)?;
        let manifests = ManifestCache::new(project.root());
        let opts = content::LoadOptions::for_config(&project.config);
        let mut ws = Workspace {
            opts,
            pedantic: false,
            project,
            config_arg: config.map(|c| cwd.join(c)),
            trees,
            fs,
            manifests,
            local: HashMap::new(),
            links: HashMap::new(),
            hook_files: HashMap::new(),
            project_findings: Vec::new(),
            buffers: HashMap::new(),
        };
        ws.check_all();
        Ok(ws)
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    pub fn trees(&self) -> &[Tree] {
        &self.trees
    }

    pub fn manifests(&self) -> &ManifestCache {
        &self.manifests
    }

    /// The page at `file`, as last read (from its buffer when it has one).
    pub fn page(&self, file: &Path) -> Option<&Page> {
        let key = normalize(file);
        self.trees
            .iter()
            .flat_map(|t| &t.pages)
            .find(|p| normalize(&p.file) == key)
    }

    /// The unsaved text of a page, if an editor holds one.
    pub fn buffer(&self, file: &Path) -> Option<&str> {
        self.buffers.get(&normalize(file)).map(String::as_str)
    }

    /// The rules' context over the current state.
    pub fn ctx(&self) -> Ctx<'_> {
        let mut policy = self.project.config.check.policy();
        policy.pedantic |= self.pedantic;
        Ctx::new(&self.project, &self.trees, &self.fs, &self.manifests)
            .with_buffers(&self.buffers)
            .with_policy(policy)
    }

    /// Reports pedantic rules too (as `check --pedantic`).
    pub fn set_pedantic(&mut self, on: bool) {
        self.pedantic = on;
    }

    /// Every finding, as `labrun check` would report it now.
    pub fn report(&self) -> Report {
        let count = self.local.values().map(Vec::len).sum::<usize>()
            + self.links.values().map(Vec::len).sum::<usize>()
            + self.project_findings.len();
        let mut all = Vec::with_capacity(count);
        for d in self
            .local
            .values()
            .chain(self.links.values())
            .chain(self.hook_files.values())
        {
            all.extend(d.iter().cloned());
        }
        all.extend(self.project_findings.iter().cloned());
        super::report(&self.ctx(), all)
    }

    /// Holds an editor's text for a page (`None`: the file on disk again)
    /// and re-checks what it affects.
    pub fn set_buffer(&mut self, file: &Path, text: Option<String>) -> Result<Outcome, Error> {
        let key = normalize(file);
        match text {
            Some(t) => {
                if self.buffers.get(&key) == Some(&t) {
                    return Ok(Outcome::default());
                }
                self.buffers.insert(key.clone(), t);
            }
            None => {
                if self.buffers.remove(&key).is_none() {
                    return Ok(Outcome::default());
                }
            }
        }
        self.apply(&[key])
    }

    fn check_all(&mut self) {
        let ctx = Ctx::new(&self.project, &self.trees, &self.fs, &self.manifests)
            .with_buffers(&self.buffers);
        let found: Vec<(PathBuf, Vec<Diagnostic>, Vec<Diagnostic>)> = self
            .trees
            .iter()
            .flat_map(|t| &t.pages)
            .collect::<Vec<_>>()
            .par_iter()
            .map(|p| {
                let (mut local, mut links) = (Vec::new(), Vec::new());
                rules::page_local(&ctx, p, &mut local);
                rules::page_links(&ctx, p, &mut links);
                (normalize(&p.file), local, links)
            })
            .collect();
        let project_findings = super::project_findings(&ctx);
        let vars = &self.project.config.variables;
        let hook_files = self
            .trees
            .iter()
            .flat_map(declarative_hooks)
            .map(|f| {
                let d = crate::verify::validate(&f, vars);
                (f, d)
            })
            .collect();
        drop(ctx);
        self.local.clear();
        self.links.clear();
        for (key, local, links) in found {
            self.local.insert(key.clone(), local);
            self.links.insert(key, links);
        }
        self.project_findings = project_findings;
        self.hook_files = hook_files;
    }

    /// Reads the project again from scratch, keeping the editor buffers.
    fn reload(&mut self) -> Result<(), Error> {
        let root = self.project.config.root.clone();
        let mut fresh = Workspace::open(self.config_arg.as_deref(), &root)?;
        fresh.buffers = std::mem::take(&mut self.buffers);
        fresh.pedantic = self.pedantic;
        if !fresh.buffers.is_empty() {
            let files: Vec<PathBuf> = fresh.buffers.keys().cloned().collect();
            fresh.apply(&files)?;
        }
        *self = fresh;
        Ok(())
    }

    /// Re-checks after files changed on disk (created, modified or
    /// removed: each path is looked at as it is now). On an error (an
    /// unusable labrun.yaml) the previous state stays.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Outcome, Error> {
        let config = &self.project.config;
        let root = config.root.clone();
        let config_file = config
            .file
            .clone()
            .unwrap_or_else(|| root.join(crate::config::FILE_NAME));
        let durations_file = normalize(&config.durations_file());
        let mut changes = Changes::default();
        for path in changed {
            let path = normalize(&root.join(path));
            if path == config_file {
                return self.rescan();
            }
            if path == durations_file {
                changes.durations = true;
            }
            self.file_changed(&path, &mut changes);
        }
        Ok(self.recheck(changes))
    }

    /// Updates the trees, the file index and the caches for one path.
    fn file_changed(&mut self, path: &Path, changes: &mut Changes) {
        let is_page_ext = path.extension().is_some_and(|e| e == "md" || e == "mdx");
        if !is_page_ext && let Some(rel) = self.manifests.forget(path) {
            changes.manifests.insert(rel);
        }
        let Some((t, rel)) = self.locate(path) else {
            return;
        };
        let kind = match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => Some(Kind::Dir),
            Ok(_) => Some(Kind::File),
            Err(_) => None,
        };
        let role = self.opts.file_role(&self.trees[t].root, &rel);
        match (kind, role) {
            (_, FileRole::Skipped) => {}
            // A directory came: what is inside may have come before the
            // watcher saw the directory.
            (Some(Kind::Dir), _) => {
                self.fs.set(path, Some(Kind::Dir));
                changes.names.insert(file_name(path));
                let inside: Vec<PathBuf> = walkdir::WalkDir::new(path)
                    .min_depth(1)
                    .into_iter()
                    .flatten()
                    .map(|e| normalize(e.path()))
                    .collect();
                for p in inside {
                    self.file_changed(&p, changes);
                }
            }
            (None, _) if self.fs.kind(path) == Some(Kind::Dir) => {
                // A directory went, with everything in it.
                let prefix = format!("{rel}/");
                let tree = &self.trees[t];
                let pages: Vec<String> = tree
                    .pages
                    .iter()
                    .filter(|p| p.rel.starts_with(&prefix))
                    .map(|p| p.rel.clone())
                    .collect();
                let hooks: Vec<String> = tree
                    .hooks
                    .iter()
                    .filter(|h| h.starts_with(&prefix))
                    .cloned()
                    .collect();
                for p in pages {
                    self.page_changed(t, &p, changes);
                }
                for h in hooks {
                    self.hook_changed(t, &h, false, changes);
                }
                self.fs.set(path, None);
                changes.names.insert(file_name(path));
            }
            (kind, FileRole::Page) => {
                self.fs.set(path, kind);
                self.page_changed(t, &rel, changes);
            }
            (kind, FileRole::Hook) => {
                self.fs.set(path, kind);
                self.hook_changed(t, &rel, kind.is_some(), changes);
            }
            (kind, FileRole::Category) => {
                self.fs.set(path, kind);
                self.trees[t].set_category(path, kind.is_some());
            }
            (kind, FileRole::Notest | FileRole::Other) => {
                self.fs.set(path, kind);
                changes.names.insert(file_name(path));
                if let Some(stem) = path.file_stem() {
                    changes.names.insert(stem.to_string_lossy().into_owned());
                }
            }
        }
    }

    /// The tree a path is under, and its path relative to that tree's root.
    fn locate(&self, path: &Path) -> Option<(usize, String)> {
        self.trees
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let rel = path.strip_prefix(normalize(&t.root)).ok()?;
                Some((i, rel))
            })
            // Nested roots (a Docusaurus source locale holding another):
            // the deepest wins.
            .min_by_key(|(_, rel)| rel.components().count())
            .map(|(i, rel)| {
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                (i, rel)
            })
            .filter(|(_, rel)| !rel.is_empty())
    }

    fn page_changed(&mut self, t: usize, rel: &str, changes: &mut Changes) {
        let tree = &self.trees[t];
        let file = tree.root.join(rel);
        let key = normalize(&file);
        let old = tree.pages.iter().find(|p| p.rel == rel);
        let old_surface = old.map(Surface::of);
        if let Some(old) = old {
            link_names(old, &mut changes.names_if_moved);
        }
        let new = match self.buffers.get(&key) {
            Some(text) => {
                Some(
                    self.opts
                        .parse_page_in(&tree.root, rel, &tree.locale, text.as_bytes()),
                )
            }
            None => self.opts.read_page(&tree.root, rel, &tree.locale).ok(),
        };
        let new_surface = new.as_ref().map(Surface::of);
        let tree = &mut self.trees[t];
        match new {
            Some(page) => {
                link_names(&page, &mut changes.names_if_moved);
                self.fs.set(&key, Some(Kind::File));
                tree.upsert_page(page);
                changes.local.insert(key.clone());
                changes.links.insert(key.clone());
            }
            None => {
                tree.remove_page(rel);
                self.local.remove(&key);
                self.links.remove(&key);
                changes.local.remove(&key);
                changes.links.remove(&key);
            }
        }
        if old_surface != new_surface {
            changes.names.extend(changes.names_if_moved.drain());
        }
        changes.names_if_moved.clear();
    }

    fn hook_changed(&mut self, t: usize, rel: &str, present: bool, changes: &mut Changes) {
        let tree = &mut self.trees[t];
        tree.set_hook(rel, present);
        let file = normalize(&tree.root.join(rel));
        if content::is_declarative_hook(rel) && present {
            let d = crate::verify::validate(&file, &self.project.config.variables);
            self.hook_files.insert(file, d);
        } else {
            self.hook_files.remove(&file);
        }
        // The pages of the hook's directory, in every locale (a
        // translation runs the source locale's hooks).
        let dir = match rel.rsplit_once("/tests/") {
            Some((d, _)) => d,
            None => "",
        };
        for tree in &self.trees {
            for p in tree.pages.iter().filter(|p| p.dir() == dir) {
                changes.local.insert(normalize(&p.file));
            }
        }
    }

    /// Runs the rules that the collected changes may affect.
    fn recheck(&mut self, mut changes: Changes) -> Outcome {
        // A source page that came or went makes or unmakes orphans, whose
        // hook findings are folded into the orphan finding.
        for file in content::mark_orphans(&mut self.trees) {
            changes.local.insert(normalize(&file));
        }
        for page in self.trees.iter().flat_map(|t| &t.pages) {
            let key = || normalize(&page.file);
            let names_manifest = !changes.manifests.is_empty()
                && page.directives.iter().any(|d| {
                    d.name == "yaml"
                        && d.attr("file")
                            .and_then(|f| normalize_relative(f).ok())
                            .is_some_and(|f| changes.manifests.contains(&f))
                });
            let times =
                changes.durations && page.directives.iter().any(|d| d.name == "required-time");
            if names_manifest || times {
                changes.local.insert(key());
            }
            if !changes.names.is_empty()
                && page.links.iter().any(|l| may_name(&l.dest, &changes.names))
            {
                changes.links.insert(key());
            }
        }
        let ctx = Ctx::new(&self.project, &self.trees, &self.fs, &self.manifests)
            .with_buffers(&self.buffers);
        let run = |keys: &HashSet<PathBuf>, links: bool| -> Vec<(PathBuf, Vec<Diagnostic>)> {
            keys.par_iter()
                .filter_map(|k| {
                    let page = ctx.page_at_normalized(k)?;
                    let mut out = Vec::new();
                    if links {
                        rules::page_links(&ctx, page, &mut out);
                    } else {
                        rules::page_local(&ctx, page, &mut out);
                    }
                    Some((k.clone(), out))
                })
                .collect()
        };
        let local = run(&changes.local, false);
        let links = run(&changes.links, true);
        let project_findings = super::project_findings(&ctx);
        drop(ctx);
        let rechecked = changes.local.union(&changes.links).count();
        self.local.extend(local);
        self.links.extend(links);
        self.project_findings = project_findings;
        Outcome {
            reloaded: false,
            rechecked,
        }
    }

    /// Reads everything again; for a watcher that lost events.
    pub fn rescan(&mut self) -> Result<Outcome, Error> {
        self.reload()?;
        Ok(Outcome {
            reloaded: true,
            rechecked: self.local.len(),
        })
    }

    /// The directories a watcher must watch: (path, recursive). The locale
    /// roots and the manifests directory with everything below them; the
    /// project root (labrun.yaml, the durations file) and the directory of
    /// each manifest a page names elsewhere, by themselves.
    pub fn watch_dirs(&self) -> Vec<(PathBuf, bool)> {
        let config = &self.project.config;
        let mut deep: Vec<PathBuf> = self.trees.iter().map(|t| normalize(&t.root)).collect();
        let manifests = normalize(&config.root.join(&config.manifests));
        if manifests.is_dir() {
            deep.push(manifests);
        }
        let covered = |p: &Path, deep: &[PathBuf]| deep.iter().any(|d| p.starts_with(d));
        let mut shallow: Vec<PathBuf> = vec![normalize(&config.root)];
        let mut wanted = vec![normalize(&config.durations_file())];
        for page in self.trees.iter().flat_map(|t| &t.pages) {
            for d in page.directives.iter().filter(|d| d.name == "yaml") {
                if let Some(rel) = d.attr("file").and_then(|f| normalize_relative(f).ok()) {
                    wanted.push(config.root.join(rel));
                }
            }
        }
        for f in wanted {
            // The nearest existing directory: a manifest may come later.
            let mut dir = f.parent().map(Path::to_path_buf);
            while let Some(d) = dir.clone() {
                if d.is_dir() || !d.starts_with(&config.root) {
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
            }
            if let Some(d) = dir
                && d.starts_with(&config.root)
                && !covered(&d, &deep)
                && !shallow.contains(&d)
            {
                shallow.push(d);
            }
        }
        deep.sort();
        deep.dedup();
        deep.retain(|d| d.is_dir());
        shallow.retain(|d| !covered(d, &deep));
        deep.into_iter()
            .map(|d| (d, true))
            .chain(shallow.into_iter().map(|d| (d, false)))
            .collect()
    }
}

/// What a set of file changes touches.
#[derive(Default)]
struct Changes {
    /// Pages whose own rules must run again.
    local: HashSet<PathBuf>,
    /// Pages whose links must be checked again.
    links: HashSet<PathBuf>,
    /// Names (file names, stems, site ids) of things that appeared, went or
    /// changed what links can reach.
    names: HashSet<String>,
    /// A page's names, kept only if its surface changed.
    names_if_moved: HashSet<String>,
    /// Manifests read again (normalized, relative to the root).
    manifests: HashSet<PathBuf>,
    durations: bool,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A tree's declarative hook files (absolute, normalized).
fn declarative_hooks(tree: &Tree) -> Vec<PathBuf> {
    tree.hooks
        .iter()
        .filter(|h| content::is_declarative_hook(h))
        .map(|h| normalize(&tree.root.join(h)))
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

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(
            r,
            "labrun.yaml",
            "locales: [en, ja]\nvariables:\n  REGION: x\ncheck:\n  pedantic: true\n",
        );
        write(r, "manifests/a.yaml", "kind: Pod\nspec:\n  replicas: 1\n");
        let a = "---\ntitle: A\nsidebar_position: 1\n---\n\n## Setup\n\nSee [B](b.md#usage) in VAR::REGION.\n\n::yaml{file=\"manifests/a.yaml\" paths=\"spec.replicas\"}\n\n1. Replicas.\n\n```bash hook=ready\n$ echo hi\n```\n";
        let b = "---\ntitle: B\nsidebar_position: 2\n---\n\n## Usage\n\n![d](./img/d.png)\n";
        for l in ["en", "ja"] {
            write(r, &format!("content/{l}/lab/a.md"), a);
            write(r, &format!("content/{l}/lab/b.md"), b);
        }
        write(r, "content/en/lab/tests/hook-ready.sh", "exit 0\n");
        write(r, "content/en/lab/img/d.png", "png");
        dir
    }

    type Key = (PathBuf, u32, u32, String, String);

    fn keys(report: &Report) -> Vec<Key> {
        report
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.file.clone(),
                    d.line,
                    d.col,
                    d.rule.clone(),
                    d.message.text_in(crate::i18n::Lang::En),
                )
            })
            .collect()
    }

    /// The incremental findings equal a full check's, and returns them.
    fn same_as_full(ws: &Workspace, root: &Path) -> Vec<String> {
        let project = Project::open(None, root).unwrap();
        let full = super::super::check(&project).unwrap();
        let inc = ws.report();
        assert_eq!(keys(&inc), keys(&full));
        assert_eq!(inc.files, full.files);
        let mut rules: Vec<String> = inc.diagnostics.iter().map(|d| d.rule.clone()).collect();
        rules.sort();
        rules
    }

    fn touch(ws: &mut Workspace, root: &Path, rels: &[&str]) -> Outcome {
        let paths: Vec<PathBuf> = rels.iter().map(|r| root.join(r)).collect();
        ws.apply(&paths).unwrap()
    }

    #[test]
    fn edits_give_the_findings_of_a_full_check() {
        let dir = project();
        let r = dir.path();
        let mut ws = Workspace::open(None, r).unwrap();
        assert!(same_as_full(&ws, r).is_empty());

        // A heading another page links to changes: the linking pages (both
        // locales fall back to nothing here: each links its own `b.md`).
        let b = r.join("content/en/lab/b.md");
        fs::write(&b, "---\ntitle: B\nsidebar_position: 2\n---\n\n## Use\n").unwrap();
        let o = touch(&mut ws, r, &["content/en/lab/b.md"]);
        // b.md, and both a.md: the filter goes by name, and the Japanese
        // page links to a `b.md` too.
        assert_eq!(o.rechecked, 3);
        assert_eq!(same_as_full(&ws, r), ["link/broken-anchor"]);

        // The linked page goes (its translation is an orphan now), then
        // comes back.
        fs::remove_file(&b).unwrap();
        touch(&mut ws, r, &["content/en/lab/b.md"]);
        assert_eq!(same_as_full(&ws, r), ["link/broken", "translation/orphan"]);
        write(r, "content/en/lab/b.md", "# B\n\n## Usage\n");
        touch(&mut ws, r, &["content/en/lab/b.md"]);
        assert!(same_as_full(&ws, r).is_empty());

        // A manifest goes, comes back broken, then right.
        fs::remove_file(r.join("manifests/a.yaml")).unwrap();
        touch(&mut ws, r, &["manifests/a.yaml"]);
        assert_eq!(
            same_as_full(&ws, r),
            ["yaml/file-not-found", "yaml/file-not-found"]
        );
        // Reported at each directive whose paths must be resolved in it.
        write(r, "manifests/a.yaml", "kind: [\n");
        touch(&mut ws, r, &["manifests/a.yaml"]);
        assert_eq!(
            same_as_full(&ws, r),
            ["yaml/invalid-manifest", "yaml/invalid-manifest"]
        );
        write(r, "manifests/a.yaml", "spec:\n  replica: 1\n");
        touch(&mut ws, r, &["manifests/a.yaml"]);
        assert_eq!(
            same_as_full(&ws, r),
            ["yaml/path-not-found", "yaml/path-not-found"]
        );
        write(r, "manifests/a.yaml", "spec:\n  replicas: 1\n");
        touch(&mut ws, r, &["manifests/a.yaml"]);

        // The hook goes: both locales' blocks lose it.
        fs::remove_file(r.join("content/en/lab/tests/hook-ready.sh")).unwrap();
        touch(&mut ws, r, &["content/en/lab/tests/hook-ready.sh"]);
        assert_eq!(
            same_as_full(&ws, r),
            ["fence/missing-hook", "fence/missing-hook"]
        );
        write(
            r,
            "content/ja/lab/tests/hook-ready.yaml",
            "after:\n  - bogus: 1\n",
        );
        touch(&mut ws, r, &["content/ja/lab/tests/hook-ready.yaml"]);
        let rules = same_as_full(&ws, r);
        assert!(
            rules.contains(&"fence/missing-hook".to_owned()),
            "{rules:?}"
        );
        assert!(rules.len() >= 2, "{rules:?}");
        fs::remove_dir_all(r.join("content/ja/lab/tests")).unwrap();
        touch(&mut ws, r, &["content/ja/lab/tests"]);
        write(r, "content/en/lab/tests/hook-ready.sh", "exit 0\n");
        touch(&mut ws, r, &["content/en/lab/tests/hook-ready.sh"]);
        assert!(same_as_full(&ws, r).is_empty());

        // An image goes (only the Japanese b.md still shows it; it falls
        // back to the English directory).
        fs::remove_file(r.join("content/en/lab/img/d.png")).unwrap();
        touch(&mut ws, r, &["content/en/lab/img/d.png"]);
        assert_eq!(same_as_full(&ws, r), ["link/broken-image"]);
        write(r, "content/en/lab/img/d.png", "png");
        touch(&mut ws, r, &["content/en/lab/img/d.png"]);

        // A new directory with pages, seen as one event; two pages that
        // share a position; then the directory goes.
        write(
            r,
            "content/en/more/index.md",
            "# More\n\n[A](../lab/a.md#setup)\n",
        );
        write(
            r,
            "content/en/more/x.md",
            "---\ntitle: X\nsidebar_position: 1\n---\n",
        );
        write(
            r,
            "content/en/more/y.md",
            "---\ntitle: Y\nsidebar_position: 1\n---\n[gone](nothing.md)\n",
        );
        touch(&mut ws, r, &["content/en/more"]);
        assert_eq!(
            same_as_full(&ws, r),
            ["front-matter/duplicate-position", "link/broken"]
        );
        fs::remove_dir_all(r.join("content/en/more")).unwrap();
        touch(&mut ws, r, &["content/en/more"]);
        assert!(same_as_full(&ws, r).is_empty());

        // labrun.yaml loses the variable: everything is read again.
        write(r, "labrun.yaml", "locales: [en, ja]\n");
        let o = touch(&mut ws, r, &["labrun.yaml"]);
        assert!(o.reloaded);
        assert_eq!(
            same_as_full(&ws, r),
            ["reference/unknown-variable", "reference/unknown-variable"]
        );
    }

    #[test]
    fn buffers_are_checked_instead_of_the_file() {
        let dir = project();
        let r = dir.path();
        let mut ws = Workspace::open(None, r).unwrap();
        let a = r.join("content/ja/lab/a.md");
        let text = "---\ntitle: A\n---\n\nSee [x](missing.md) and VAR::NOPE.\n";
        let o = ws.set_buffer(&a, Some(text.to_owned())).unwrap();
        assert_eq!(o.rechecked, 1);
        let report = ws.report();
        let found: Vec<(&str, u32, u32)> = report
            .diagnostics
            .iter()
            .map(|d| (d.rule.as_str(), d.line, d.col))
            .collect();
        assert_eq!(
            found,
            [("link/broken", 5, 5), ("reference/unknown-variable", 5, 25)]
        );
        assert_eq!(ws.buffer(&a), Some(text));
        assert_eq!(ws.page(&a).unwrap().title, "A");
        // The same text again does nothing; dropping the buffer reads the disk.
        assert_eq!(
            ws.set_buffer(&a, Some(text.to_owned())).unwrap().rechecked,
            0
        );
        ws.set_buffer(&a, None).unwrap();
        assert!(same_as_full(&ws, r).is_empty());
    }

    #[test]
    fn link_filter_names_pages_by_file_stem_site_id_and_directory() {
        let mut names = HashSet::new();
        let page = crate::markdown::parse_page(
            Path::new("/r/en/lab/01-intro.md"),
            "lab/01-intro.md",
            "en",
            b"---\nslug: start\n---\n",
        );
        link_names(&page, &mut names);
        for dest in ["01-intro.md#x", "../lab/intro", "start", "01-intro"] {
            assert!(may_name(dest, &names), "{dest}");
        }
        for dest in [
            "other.md",
            "#local",
            "https://x/01-intro.md",
            "img/intro2.png",
            "./",
            "..",
        ] {
            assert!(!may_name(dest, &names), "{dest}");
        }
        // An index page answers for its directory.
        let index = crate::markdown::parse_page(
            Path::new("/r/en/lab/index.md"),
            "lab/index.md",
            "en",
            b"# Lab\n",
        );
        let mut names = HashSet::new();
        link_names(&index, &mut names);
        for dest in ["./", "..", "../lab", "../lab/"] {
            assert!(may_name(dest, &names), "{dest}");
        }
    }

    #[test]
    fn watch_dirs_cover_content_manifests_and_the_root() {
        let dir = project();
        let r = dir.path();
        write(r, "elsewhere/m.yaml", "a: 1\n");
        write(
            r,
            "content/en/lab/c.md",
            "# C\n\n::yaml{file=\"elsewhere/m.yaml\"}\n",
        );
        let ws = Workspace::open(None, r).unwrap();
        let root = normalize(r);
        let dirs = ws.watch_dirs();
        assert_eq!(
            dirs,
            [
                (root.join("content/en"), true),
                (root.join("content/ja"), true),
                (root.join("manifests"), true),
                (root.clone(), false),
                (root.join("elsewhere"), false),
            ]
        );
    }
}
