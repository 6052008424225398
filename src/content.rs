//! The content tree: every page of a locale, read in parallel, in the order
//! the workshop site shows them, and labs resolved by name.
//!
//! Order rules (as the site generators do): within a directory the index page
//! (`index.md` / `_index.md`) comes first; then pages and subdirectories
//! together, by position (the first of labrun.yaml's `order-by` keys a page
//! has, `sidebar_position` then `weight` by default; a subdirectory takes
//! its `_category_` file's position, else its index page's), those without a
//! position last, ties by name. A `.notest` file marks its subtree as not
//! run. `tests/` directories hold hooks, never pages.
//!
//! What is not a page: anything matching labrun.yaml's `exclude` globs, and
//! in the Docusaurus layout every file or directory whose name starts with
//! `_` (partials, imported by MDX pages and never routed) — as the site's own
//! docs plugin excludes them. `_category_.json` / `_category_.yml` give their
//! directory its label and position.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::{Config, Layout, OrderKey};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::markdown;
use crate::model::{Lab, Page};
use crate::msg;

/// File extensions of declarative hooks (`tests/hook-NAME.yaml`).
pub const DECLARATIVE_HOOK_EXTENSIONS: [&str; 2] = ["yaml", "yml"];

/// Whether a hook file (a path ending in its file name) is a declarative
/// hook: `hook-NAME.yaml` or `.yml`.
pub fn is_declarative_hook(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.starts_with("hook-")
        && DECLARATIVE_HOOK_EXTENSIONS
            .iter()
            .any(|e| name.strip_suffix(e).is_some_and(|s| s.ends_with('.')))
}

/// The files a `hook=NAME` refers to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookFiles {
    /// `tests/hook-NAME.sh`.
    pub script: Option<PathBuf>,
    /// `tests/hook-NAME.yaml` (or `.yml`).
    pub expectations: Option<PathBuf>,
}

impl HookFiles {
    pub fn is_empty(&self) -> bool {
        self.script.is_none() && self.expectations.is_none()
    }
}

/// A file or directory of the content, as [`Project::locate`] finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub locale: String,
    /// Relative to the locale root, `/`-separated; `""` for the root.
    pub rel: String,
    pub is_dir: bool,
}

/// A content project: its configuration and where it lives.
#[derive(Clone, Debug)]
pub struct Project {
    pub config: Config,
    /// Whether each locale's root lies inside the project (links resolved),
    /// found out once per locale.
    roots_inside: Arc<Mutex<HashMap<String, bool>>>,
}

/// One locale's pages, in site order.
#[derive(Clone, Debug, Serialize)]
pub struct Tree {
    pub locale: String,
    pub root: PathBuf,
    pub pages: Vec<Page>,
    /// Every directory holding pages, with the title and position its index
    /// page gives it.
    pub dirs: Vec<Dir>,
    /// Hook scripts found in `tests/` directories, relative to the locale root.
    pub hooks: Vec<String>,
    /// Problems with the tree's own files (`_category_.json`), not pages.
    pub diagnostics: Vec<Diagnostic>,
    /// What each folder's `_category_` file says, by folder.
    #[serde(skip)]
    categories: HashMap<String, Category>,
}

impl Tree {
    /// Marks the pages whose source page does not exist.
    pub fn mark_orphans(&mut self, has_source: impl Fn(&str) -> bool) {
        for p in &mut self.pages {
            p.orphan = !has_source(&p.rel);
        }
    }

    /// A locale with no pages yet (a translation not started).
    pub fn empty(locale: &str, root: &Path) -> Tree {
        Tree {
            locale: locale.to_owned(),
            root: root.to_owned(),
            pages: Vec::new(),
            dirs: Vec::new(),
            hooks: Vec::new(),
            diagnostics: Vec::new(),
            categories: HashMap::new(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Dir {
    /// Relative to the locale root, `""` for the root.
    pub rel: String,
    pub title: String,
    #[serde(serialize_with = "crate::model::serialize_opt_position")]
    pub position: Option<f64>,
    pub notest: bool,
}

/// How a locale's files become pages: the project's site conventions.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Docusaurus: `_`-prefixed files and directories are not pages, and
    /// `_category_` files describe directories.
    pub site_partials: bool,
    /// labrun.yaml `exclude`.
    pub exclude: Vec<glob::Pattern>,
    /// The project root, for `exclude` globs written from it.
    pub project_root: Option<PathBuf>,
    pub order_by: Vec<OrderKey>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            site_partials: false,
            exclude: Vec::new(),
            project_root: None,
            order_by: crate::config::DEFAULT_ORDER.to_vec(),
        }
    }
}

impl LoadOptions {
    pub fn for_config(config: &Config) -> LoadOptions {
        LoadOptions {
            site_partials: config.layout == Layout::Docusaurus,
            exclude: config.exclude.clone(),
            project_root: Some(config.root.clone()),
            order_by: config.order_by.clone(),
        }
    }

    /// Whether a file or directory (relative to the locale root at `root`)
    /// is excluded by a glob.
    fn excluded(&self, root: &Path, rel: &str) -> bool {
        if self.exclude.is_empty() {
            return false;
        }
        let opts = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: false,
        };
        let from_project = self
            .project_root
            .as_deref()
            .and_then(|p| root.join(rel).strip_prefix(p).ok().map(rel_string));
        self.exclude.iter().any(|g| {
            g.matches_with(rel, opts)
                || from_project
                    .as_deref()
                    .is_some_and(|r| g.matches_with(r, opts))
        })
    }
}

impl Project {
    /// Opens the project named by `--config`, else the one found by walking up
    /// from `cwd`.
    pub fn open(config: Option<&Path>, cwd: &Path) -> Result<Project, Error> {
        let config = match config {
            Some(file) => Config::load(file)?,
            None => Config::discover(cwd)?,
        };
        Ok(Project::new(config))
    }

    /// The project a configuration describes.
    pub fn new(config: Config) -> Project {
        Project {
            config,
            roots_inside: Arc::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.config.root
    }

    /// Where an existing file or directory lies among the locale roots: its
    /// locale and its path relative to that root. A directory that holds
    /// the source locale's root (`website` for `website/docs`) is that
    /// root. `None` for a path that does not exist or lies elsewhere.
    pub fn locate(&self, path: &Path) -> Option<Located> {
        let abs = std::fs::canonicalize(path).ok()?;
        let c = &self.config;
        // The deepest root wins: a Docusaurus docs dir could in theory hold
        // the i18n dir.
        let mut best: Option<(usize, Located)> = None;
        for l in &c.locales {
            let Ok(root) = std::fs::canonicalize(c.locale_root(l)) else {
                continue;
            };
            if let Ok(rest) = abs.strip_prefix(&root) {
                let depth = root.components().count();
                if best.as_ref().is_none_or(|(d, _)| depth > *d) {
                    let located = Located {
                        locale: l.clone(),
                        rel: rel_string(rest),
                        is_dir: abs.is_dir(),
                    };
                    best = Some((depth, located));
                }
            }
        }
        if best.is_none()
            && abs.is_dir()
            && std::fs::canonicalize(c.locale_root(&c.source_locale))
                .is_ok_and(|root| root.starts_with(&abs))
        {
            return Some(Located {
                locale: c.source_locale.clone(),
                rel: String::new(),
                is_dir: true,
            });
        }
        best.map(|(_, l)| l)
    }

    /// A path shown to the user: relative to the project root when inside it.
    pub fn display_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.config.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    fn check_locale(&self, locale: &str) -> Result<(), Error> {
        if self.config.locales.iter().any(|l| l == locale) {
            Ok(())
        } else {
            Err(Error::UnknownLocale {
                locale: locale.to_owned(),
                locales: self.config.locales.clone(),
            })
        }
    }

    /// Whether a locale's content directory lies inside the project once
    /// links are resolved: one linked elsewhere would have `check` read
    /// (and quote) files outside it.
    fn root_inside(&self, locale: &str, dir: &Path) -> bool {
        let mut known = self.roots_inside.lock().unwrap_or_else(|p| p.into_inner());
        *known
            .entry(locale.to_owned())
            .or_insert_with(|| !dir.exists() || crate::files::is_inside(self.root(), dir))
    }

    /// Whether a file beside the pages (a hook) is a regular file reached
    /// without a symbolic link below its locale's root, inside the project.
    /// Cheaper than resolving the whole path, which `check` would do for
    /// every block with a hook.
    pub(crate) fn contained_file(&self, path: &Path) -> bool {
        // Most candidates do not exist: one `stat` says so.
        if !path.is_file() {
            return false;
        }
        self.config.locales.iter().any(|l| {
            let root = self.config.locale_root(l);
            path.strip_prefix(&root).is_ok_and(|rel| {
                self.root_inside(l, &root) && crate::files::no_links_below(&root, rel)
            })
        })
    }

    /// Reads and parses every page of a locale. A translation that has no
    /// directory yet is an empty tree; the source locale must exist.
    pub fn load(&self, locale: &str) -> Result<Tree, Error> {
        let opts = LoadOptions::for_config(&self.config);
        let mut tree = self.read(locale, &opts)?;
        if locale != self.config.source_locale {
            let source = page_rels(&self.config.locale_root(&self.config.source_locale), &opts)?;
            tree.mark_orphans(|rel| source.contains(rel));
        }
        Ok(tree)
    }

    /// A locale's pages, orphans not marked yet.
    fn read(&self, locale: &str, opts: &LoadOptions) -> Result<Tree, Error> {
        self.check_locale(locale)?;
        let root = self.config.locale_root(locale);
        if locale != self.config.source_locale && !root.exists() {
            return Ok(Tree::empty(locale, &root));
        }
        self.refuse_outside(locale, &root)?;
        load_tree_with(locale, &root, opts)
    }

    /// A locale's content directory that links outside the project is not
    /// read at all.
    fn refuse_outside(&self, locale: &str, dir: &Path) -> Result<(), Error> {
        if self.root_inside(locale, dir) {
            Ok(())
        } else {
            Err(Error::Usage(crate::msg!(
                "files-read-outside",
                dir = dir.display().to_string(),
                root = self.root().display().to_string()
            )))
        }
    }

    /// Reads every locale (the source locale first), side by side: each
    /// walk and site ordering is serial, so locales are the cheap parallelism.
    pub fn load_all(&self) -> Result<Vec<Tree>, Error> {
        let mut locales = self.config.locales.clone();
        locales.sort_by_key(|l| *l != self.config.source_locale);
        let opts = LoadOptions::for_config(&self.config);
        let mut trees = locales
            .par_iter()
            .map(|l| self.read(l, &opts))
            .collect::<Result<Vec<Tree>, Error>>()?;
        mark_orphans(&mut trees);
        Ok(trees)
    }

    /// Where a hook file of a page directory may be, in order: beside the
    /// page in its own locale, then (for a translation) beside its source
    /// page. One list for every kind of hook, so all lookups agree.
    pub fn hook_candidates(&self, locale: &str, dir: &str, file: &str) -> Vec<PathBuf> {
        let mut locales = vec![locale];
        if locale != self.config.source_locale {
            locales.push(&self.config.source_locale);
        }
        locales
            .into_iter()
            .map(|l| {
                self.config
                    .locale_root(l)
                    .join(dir)
                    .join("tests")
                    .join(file)
            })
            .collect()
    }

    /// The files `hook=NAME` refers to beside a page: the script
    /// `tests/hook-NAME.sh` and the declarative `tests/hook-NAME.yaml`
    /// (or `.yml`), each the first of [`Project::hook_candidates`] that exists.
    pub fn hook_files(&self, page: &Page, name: &str) -> HookFiles {
        let find = |exts: &[&str]| {
            exts.iter()
                .flat_map(|ext| {
                    self.hook_candidates(&page.locale, page.dir(), &format!("hook-{name}.{ext}"))
                })
                .find(|p| self.contained_file(p))
        };
        HookFiles {
            script: find(&["sh"]),
            expectations: find(&DECLARATIVE_HOOK_EXTENSIONS),
        }
    }

    /// The suite hook `tests/hook-suite.sh` of a directory (relative to the
    /// locale root).
    pub fn suite_hook(&self, locale: &str, dir: &str) -> Option<PathBuf> {
        self.hook_candidates(locale, dir, "hook-suite.sh")
            .into_iter()
            .find(|p| self.contained_file(p))
    }
}

fn rel_string(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// What a file under a locale root is to labrun.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// A `.md` / `.mdx` page.
    Page,
    /// A hook file in a `tests/` directory (`.sh`, `.yaml`, `.yml`).
    Hook,
    /// A `.notest` marker.
    Notest,
    /// A Docusaurus `_category_.json` / `.yml`: its folder's label and
    /// position.
    Category,
    /// Anything else a link may point at (images, downloads).
    Other,
    /// Not content: inside a hidden directory or `node_modules`, excluded
    /// by `exclude`, or (Docusaurus) a `_` partial. Never read as a page.
    Skipped,
}

impl LoadOptions {
    /// Whether a directory (relative to the locale root `root`, named
    /// `name`) is left out with everything in it.
    fn skips_dir(&self, root: &Path, rel: &str, name: &str) -> bool {
        name.starts_with('.')
            || name == "node_modules"
            || (self.site_partials && name.starts_with('_'))
            || self.excluded(root, rel)
    }

    /// The role of the file at `rel` (relative to the locale root `root`,
    /// `/`-separated): the one classification the loader and the
    /// incremental checker share.
    pub fn file_role(&self, root: &Path, rel: &str) -> FileRole {
        let parts: Vec<&str> = rel.split('/').filter(|p| !p.is_empty()).collect();
        let Some((_, dirs)) = parts.split_last() else {
            return FileRole::Skipped;
        };
        let mut dir = String::new();
        for d in dirs {
            if !dir.is_empty() {
                dir.push('/');
            }
            dir.push_str(d);
            if self.skips_dir(root, &dir, d) {
                return FileRole::Skipped;
            }
        }
        self.role_in_walked_dir(root, rel)
    }

    /// [`LoadOptions::file_role`] for a file whose directories are already
    /// known to be content (the walk prunes the others as it goes).
    fn role_in_walked_dir(&self, root: &Path, rel: &str) -> FileRole {
        let (dirs, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        if name == ".notest" {
            return FileRole::Notest;
        }
        if name == "tests" || dirs.split('/').any(|d| d == "tests") {
            let hook = [".sh", ".yaml", ".yml"].iter().any(|e| name.ends_with(e));
            return if hook {
                FileRole::Hook
            } else {
                FileRole::Other
            };
        }
        if self.site_partials && is_category_file(name) {
            return FileRole::Category;
        }
        if (self.site_partials && name.starts_with('_')) || self.excluded(root, rel) {
            return FileRole::Skipped;
        }
        if name.ends_with(".md") || name.ends_with(".mdx") {
            FileRole::Page
        } else {
            FileRole::Other
        }
    }

    /// Parses a page's bytes (read from disk or an editor's buffer) as the
    /// page at `rel` of the locale rooted at `root`: `.notest` marks and
    /// the project's order key included.
    pub fn parse_page_in(&self, root: &Path, rel: &str, locale: &str, bytes: &[u8]) -> Page {
        let mut page = markdown::parse_page(&root.join(rel), rel, locale, bytes);
        let keys: Vec<&str> = self.order_by.iter().map(|k| k.field()).collect();
        page.front.choose_position(&keys);
        let mut dir = page.dir().to_owned();
        page.notest = loop {
            if root.join(&dir).join(".notest").is_file() {
                break true;
            }
            match dir.rsplit_once('/') {
                Some((parent, _)) => dir = parent.to_owned(),
                None if !dir.is_empty() => dir = String::new(),
                None => break false,
            }
        };
        page
    }

    /// Reads and parses one page file of a locale (`rel` relative to its
    /// root).
    pub fn read_page(&self, root: &Path, rel: &str, locale: &str) -> Result<Page, Error> {
        let path = root.join(rel);
        let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
        Ok(self.parse_page_in(root, rel, locale, &bytes))
    }
}

/// Walks a locale root with the default options (labrun's own layout).
pub fn load_tree(locale: &str, root: &Path) -> Result<Tree, Error> {
    load_tree_with(locale, root, &LoadOptions::default())
}

/// `_category_.json`, `_category_.yml`, `_category_.yaml`.
fn is_category_file(name: &str) -> bool {
    matches!(
        name,
        "_category_.json" | "_category_.yml" | "_category_.yaml"
    )
}

/// What a `_category_` file says about its directory.
#[derive(Clone, Debug, Default, PartialEq)]
struct Category {
    label: Option<String>,
    position: Option<f64>,
}

/// Reads a `_category_` file. The site build fails on one it cannot read,
/// so a problem is an error finding at the file.
fn read_category(path: &Path) -> Result<Category, Diagnostic> {
    let bad = |line: u32, col: u32, detail: String| {
        crate::rules::finding(
            "category/invalid",
            path,
            line,
            col,
            msg!("content-category-invalid", detail = detail),
        )
    };
    let bytes = std::fs::read(path).map_err(|e| bad(1, 1, e.to_string()))?;
    let text = String::from_utf8_lossy(&bytes);
    let value: serde_json::Value = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text)
            .map_err(|e| bad(e.line() as u32, e.column() as u32, e.to_string()))?
    } else {
        match crate::yaml::parse_documents(&text) {
            Ok(docs) => docs
                .first()
                .map_or(serde_json::Value::Null, |d| d.to_json()),
            Err(e) => return Err(bad(e.pos.line, e.pos.col, e.message)),
        }
    };
    let obj = match &value {
        serde_json::Value::Object(o) => o,
        serde_json::Value::Null => return Ok(Category::default()),
        _ => return Err(bad(1, 1, crate::t!("content-category-not-an-object"))),
    };
    let position = match obj.get("position") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => match v.as_f64() {
            Some(f) => Some(f),
            None => {
                return Err(bad(
                    1,
                    1,
                    crate::t!("content-category-bad-position", value = v.to_string()),
                ));
            }
        },
    };
    Ok(Category {
        label: obj.get("label").and_then(|v| v.as_str()).map(str::to_owned),
        position,
    })
}

/// What one walk of a locale root finds.
#[derive(Default)]
struct Walked {
    /// Page files: (path, path relative to the root).
    files: Vec<(PathBuf, String)>,
    hooks: Vec<String>,
    notest_dirs: BTreeSet<String>,
    /// `_category_` files: (directory relative to the root, file).
    categories: Vec<(String, PathBuf)>,
}

/// Finds the pages, hooks and metadata files of a locale root, without
/// reading them.
fn walk(root: &Path, opts: &LoadOptions) -> Result<Walked, Error> {
    let mut w = Walked::default();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        // Whole directories that are not content are never entered; files
        // are classified by `file_role`.
        .filter_entry(|e| {
            if e.depth() == 0 || !e.file_type().is_dir() {
                return true;
            }
            let rel = e
                .path()
                .strip_prefix(root)
                .map(rel_string)
                .unwrap_or_default();
            !opts.skips_dir(root, &rel, &e.file_name().to_string_lossy())
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(root).to_owned();
            Error::io(
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop")),
            )
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel_s = rel_string(rel);
        // `filter_entry` has pruned the directories that are not content.
        match opts.role_in_walked_dir(root, &rel_s) {
            FileRole::Notest => {
                w.notest_dirs
                    .insert(rel.parent().map(rel_string).unwrap_or_default());
            }
            FileRole::Hook => w.hooks.push(rel_s),
            FileRole::Category => w.categories.push((
                rel.parent().map(rel_string).unwrap_or_default(),
                entry.path().to_owned(),
            )),
            FileRole::Page => w.files.push((entry.path().to_owned(), rel_s)),
            FileRole::Other | FileRole::Skipped => {}
        }
    }
    Ok(w)
}

/// The pages of a locale root by path, without parsing them.
pub fn page_rels(root: &Path, opts: &LoadOptions) -> Result<HashSet<String>, Error> {
    if !root.is_dir() {
        return Ok(HashSet::new());
    }
    Ok(walk(root, opts)?
        .files
        .into_iter()
        .map(|(_, rel)| rel)
        .collect())
}

/// Walks a locale root and parses its pages in parallel.
pub fn load_tree_with(locale: &str, root: &Path, opts: &LoadOptions) -> Result<Tree, Error> {
    if !root.is_dir() {
        return Err(Error::NoContent {
            locale: locale.to_owned(),
            dir: root.to_owned(),
        });
    }
    let Walked {
        files,
        hooks,
        notest_dirs,
        categories,
    } = walk(root, opts)?;
    let order_keys: Vec<&str> = opts.order_by.iter().map(|k| k.field()).collect();
    let mut pages = files
        .par_iter()
        .map(|(path, rel)| {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            let mut page = markdown::parse_page(path, rel, locale, &bytes);
            page.front.choose_position(&order_keys);
            Ok(page)
        })
        .collect::<Result<Vec<Page>, Error>>()?;
    for page in &mut pages {
        let dir = page.dir().to_owned();
        page.notest = notest_dirs
            .iter()
            .any(|d| d.is_empty() || dir == *d || dir.starts_with(&format!("{d}/")));
    }
    let mut diagnostics = Vec::new();
    let mut meta: HashMap<String, Category> = HashMap::new();
    for (dir, path) in categories {
        match read_category(&path) {
            Ok(c) => {
                meta.insert(dir, c);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let (pages, dirs) = site_order(pages, &notest_dirs, &meta);
    Ok(Tree {
        locale: locale.to_owned(),
        root: root.to_owned(),
        pages,
        dirs,
        hooks,
        diagnostics,
        categories: meta,
    })
}

/// Marks the translations whose source page does not exist, in trees whose
/// first is the source locale's. Returns the pages whose mark changed.
pub fn mark_orphans(trees: &mut [Tree]) -> Vec<PathBuf> {
    let Some((source, translations)) = trees.split_first_mut() else {
        return Vec::new();
    };
    let rels: HashSet<&str> = source.pages.iter().map(|p| p.rel.as_str()).collect();
    let mut flipped = Vec::new();
    for t in translations {
        for p in &mut t.pages {
            let orphan = !rels.contains(p.rel.as_str());
            if p.orphan != orphan {
                p.orphan = orphan;
                flipped.push(p.file.clone());
            }
        }
    }
    flipped
}

enum Entry {
    Page(usize),
    Dir(String),
}

/// Each directory's pages and subdirectories with their sort keys.
type Children = BTreeMap<String, Vec<(Option<f64>, String, Entry)>>;

/// Sorts pages into site order and describes each directory.
fn site_order(
    pages: Vec<Page>,
    notest_dirs: &BTreeSet<String>,
    categories: &HashMap<String, Category>,
) -> (Vec<Page>, Vec<Dir>) {
    // Every directory that holds pages, and its ancestors.
    let mut all_dirs: BTreeSet<String> = BTreeSet::new();
    for p in &pages {
        let mut d = p.dir().to_owned();
        loop {
            all_dirs.insert(d.clone());
            match d.rsplit_once('/') {
                Some((parent, _)) => d = parent.to_owned(),
                None if !d.is_empty() => d = String::new(),
                None => break,
            }
        }
    }
    let index_of: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_index)
        .map(|(i, p)| (p.dir(), i))
        .collect();
    let dir_info = |d: &str| {
        let index = index_of.get(d).map(|&i| &pages[i]);
        let category = categories.get(d);
        Dir {
            rel: d.to_owned(),
            title: category
                .and_then(|c| c.label.clone())
                .or_else(|| index.map(|p| p.title.clone()))
                .unwrap_or_else(|| d.rsplit('/').next().unwrap_or(d).to_owned()),
            position: category
                .and_then(|c| c.position)
                .or_else(|| index.and_then(Page::position)),
            notest: notest_dirs
                .iter()
                .any(|n| n.is_empty() || d == n || d.starts_with(&format!("{n}/"))),
        }
    };
    let dirs: Vec<Dir> = all_dirs.iter().map(|d| dir_info(d)).collect();
    let dir_pos: HashMap<&str, Option<f64>> =
        dirs.iter().map(|d| (d.rel.as_str(), d.position)).collect();

    let mut children: Children = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if !p.is_index {
            let name = p.rel.rsplit('/').next().unwrap_or(&p.rel).to_owned();
            children.entry(p.dir().to_owned()).or_default().push((
                p.position(),
                name,
                Entry::Page(i),
            ));
        }
    }
    for d in all_dirs.iter().filter(|d| !d.is_empty()) {
        let (parent, name) = d.rsplit_once('/').unwrap_or(("", d));
        children.entry(parent.to_owned()).or_default().push((
            dir_pos[d.as_str()],
            name.to_owned(),
            Entry::Dir(d.clone()),
        ));
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| {
            let pos = match (a.0, b.0) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (x, y) => x.is_none().cmp(&y.is_none()),
            };
            pos.then_with(|| a.1.cmp(&b.1))
        });
    }
    let mut order = Vec::with_capacity(pages.len());
    fn visit(
        dir: &str,
        index_of: &HashMap<&str, usize>,
        children: &Children,
        order: &mut Vec<usize>,
    ) {
        if let Some(&i) = index_of.get(dir) {
            order.push(i);
        }
        for (_, _, e) in children.get(dir).map(Vec::as_slice).unwrap_or_default() {
            match e {
                Entry::Page(i) => order.push(*i),
                Entry::Dir(d) => visit(d, index_of, children, order),
            }
        }
    }
    visit("", &index_of, &children, &mut order);
    let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
    let sorted = order.into_iter().filter_map(|i| slots[i].take()).collect();
    (sorted, dirs)
}

/// The id a page passes to `prepare-environment`, if it does.
pub fn environment_ids(page: &Page) -> Vec<String> {
    let mut ids = Vec::new();
    for b in page.runnable_blocks() {
        for c in &b.commands {
            let mut words = c.text.split_whitespace();
            while let Some(w) = words.next() {
                if w == "prepare-environment"
                    && let Some(id) = words.next()
                {
                    ids.push(id.trim_matches(['"', '\'']).to_owned());
                }
            }
        }
    }
    ids
}

impl Tree {
    /// Puts a page, new or read again, in its place in site order (its
    /// position may have changed).
    pub fn upsert_page(&mut self, page: Page) {
        match self.pages.iter_mut().find(|p| p.rel == page.rel) {
            Some(slot) => *slot = page,
            None => self.pages.push(page),
        }
        self.reorder();
    }

    /// Takes a page out of the tree.
    pub fn remove_page(&mut self, rel: &str) -> Option<Page> {
        let i = self.pages.iter().position(|p| p.rel == rel)?;
        let page = self.pages.remove(i);
        self.reorder();
        Some(page)
    }

    /// Records a hook file (relative to the root) as present or gone.
    pub fn set_hook(&mut self, rel: &str, present: bool) {
        let at = self.hooks.iter().position(|h| h == rel);
        match (at, present) {
            (None, true) => self.hooks.push(rel.to_owned()),
            (Some(i), false) => {
                self.hooks.remove(i);
            }
            _ => {}
        }
    }

    fn reorder(&mut self) {
        let notest_dirs: BTreeSet<String> = self
            .dirs
            .iter()
            .filter(|d| d.notest)
            .map(|d| d.rel.clone())
            .chain(
                self.pages
                    .iter()
                    .filter(|p| p.notest)
                    .map(|p| p.dir().to_owned()),
            )
            .collect();
        let pages = std::mem::take(&mut self.pages);
        (self.pages, self.dirs) = site_order(pages, &notest_dirs, &self.categories);
    }

    /// Reads a folder's `_category_` file again (`present: false`: it is
    /// gone), replacing what the tree knew of it.
    pub fn set_category(&mut self, file: &Path, present: bool) {
        let dir = file
            .parent()
            .and_then(|d| d.strip_prefix(&self.root).ok())
            .map(rel_string)
            .unwrap_or_default();
        self.diagnostics.retain(|d| d.file != file);
        self.categories.remove(&dir);
        if present {
            match read_category(file) {
                Ok(c) => {
                    self.categories.insert(dir, c);
                }
                Err(d) => self.diagnostics.push(d),
            }
        }
        self.reorder();
    }

    /// Resolves a lab by content path (`networking/network-policies`), page
    /// path (`getting-started/basics.md`), or the id the lab passes to
    /// `prepare-environment`. `""` or `.` is the whole tree.
    pub fn lab(&self, name: &str) -> Result<Lab, Error> {
        let key = normalize(name);
        let under = |dir: &str| -> Vec<Page> {
            self.pages
                .iter()
                .filter(|p| {
                    dir.is_empty() || p.dir() == dir || p.dir().starts_with(&format!("{dir}/"))
                })
                .cloned()
                .collect()
        };
        let (dir, pages) =
            if let Some(d) = self.dirs.iter().find(|d| d.rel == key) {
                (d.rel.clone(), under(&d.rel))
            } else if let Some(p) = self.pages.iter().find(|p| {
                p.rel == key || p.rel == format!("{key}.md") || p.rel == format!("{key}.mdx")
            }) {
                (p.dir().to_owned(), vec![p.clone()])
            } else if let Some(p) = self
                .pages
                .iter()
                .find(|p| environment_ids(p).contains(&key))
            {
                (p.dir().to_owned(), under(p.dir()))
            } else {
                return Err(Error::UnknownLab {
                    name: name.to_owned(),
                    suggestions: self.suggestions(&key),
                });
            };
        let title = self
            .dirs
            .iter()
            .find(|d| d.rel == dir)
            .map_or_else(|| dir.clone(), |d| d.title.clone());
        let mut environments: Vec<String> = Vec::new();
        for p in &pages {
            for id in environment_ids(p) {
                if !environments.contains(&id) {
                    environments.push(id);
                }
            }
        }
        Ok(Lab {
            id: dir.clone(),
            locale: self.locale.clone(),
            title,
            dir: self.root.join(&dir),
            pages,
            environments,
        })
    }

    /// Every name [`Tree::lab`] accepts.
    pub fn lab_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .dirs
            .iter()
            .filter(|d| !d.rel.is_empty())
            .map(|d| d.rel.clone())
            .collect();
        for p in &self.pages {
            names.extend(environment_ids(p));
        }
        names.sort();
        names.dedup();
        names
    }

    fn suggestions(&self, key: &str) -> Vec<String> {
        let last = key.rsplit('/').next().unwrap_or(key);
        let mut scored: Vec<(f64, String)> = self
            .lab_names()
            .into_iter()
            .map(|n| {
                let tail = n.rsplit('/').next().unwrap_or(&n);
                let score = strsim::normalized_damerau_levenshtein(key, &n)
                    .max(strsim::normalized_damerau_levenshtein(last, tail))
                    .max(if !last.is_empty() && n.contains(last) {
                        0.9
                    } else {
                        0.0
                    });
                (score, n)
            })
            .filter(|(s, _)| *s >= 0.5)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        scored.into_iter().take(3).map(|(_, n)| n).collect()
    }
}

fn normalize(name: &str) -> String {
    let n = name.trim().trim_start_matches("./").trim_matches('/');
    if n == "." {
        String::new()
    } else {
        n.to_owned()
    }
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

    fn fm(title: &str, pos: Option<i64>) -> String {
        match pos {
            Some(p) => format!("---\ntitle: {title}\nsidebar_position: {p}\n---\n"),
            None => format!("---\ntitle: {title}\n---\n"),
        }
    }

    fn sample() -> (tempfile::TempDir, Tree) {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, "index.md", &fm("Home", None));
        write(r, "networking/index.md", &fm("Networking", Some(20)));
        write(
            r,
            "networking/policies/index.md",
            &format!(
                "{}```bash\n$ prepare-environment net/np\n```\n",
                fm("Policies", Some(10))
            ),
        );
        write(r, "networking/policies/egress.md", &fm("Egress", Some(3)));
        write(
            r,
            "networking/policies/b-ingress.md",
            &fm("Ingress B", Some(2)),
        );
        write(
            r,
            "networking/policies/a-ingress.md",
            &fm("Ingress A", Some(2)),
        );
        write(
            r,
            "networking/policies/zz-unpositioned.md",
            &fm("Loose", None),
        );
        write(r, "networking/policies/tests/hook-np.sh", "#!/bin/sh\n");
        write(r, "networking/policies/tests/notes.md", "not a page");
        write(r, "networking/sg/index.md", &fm("SG", Some(5)));
        write(r, "networking/sg/extra.md", &fm("Extra", Some(1)));
        write(r, "basics/index.md", &fm("Basics", Some(10)));
        write(r, "basics/.notest", "");
        write(r, "basics/skipped.md", &fm("Skipped", Some(1)));
        let tree = load_tree("en", r).unwrap();
        (dir, tree)
    }

    #[test]
    fn pages_come_in_site_order() {
        let (_d, tree) = sample();
        let order: Vec<&str> = tree.pages.iter().map(|p| p.rel.as_str()).collect();
        assert_eq!(
            order,
            [
                "index.md",
                "basics/index.md",
                "basics/skipped.md",
                "networking/index.md",
                "networking/sg/index.md",
                "networking/sg/extra.md",
                "networking/policies/index.md",
                "networking/policies/a-ingress.md",
                "networking/policies/b-ingress.md",
                "networking/policies/egress.md",
                "networking/policies/zz-unpositioned.md",
            ]
        );
        assert_eq!(tree.hooks, ["networking/policies/tests/hook-np.sh"]);
    }

    #[test]
    fn notest_marks_the_subtree() {
        let (_d, tree) = sample();
        let flagged: Vec<&str> = tree
            .pages
            .iter()
            .filter(|p| p.notest)
            .map(|p| p.rel.as_str())
            .collect();
        assert_eq!(flagged, ["basics/index.md", "basics/skipped.md"]);
    }

    #[test]
    fn labs_resolve_by_path_page_and_environment_id() {
        let (_d, tree) = sample();
        let lab = tree.lab("networking/policies/").unwrap();
        assert_eq!(lab.pages.len(), 5);
        assert_eq!(lab.title, "Policies");
        assert_eq!(lab.environments, ["net/np"]);
        assert_eq!(tree.lab("net/np").unwrap().id, "networking/policies");
        assert_eq!(tree.lab("networking/sg/extra").unwrap().pages.len(), 1);
        assert_eq!(tree.lab("networking").unwrap().pages.len(), 8);
        assert_eq!(tree.lab(".").unwrap().pages.len(), 11);
    }

    #[test]
    fn unknown_lab_suggests_nearest_names() {
        let (_d, tree) = sample();
        match tree.lab("networking/polices") {
            Err(Error::UnknownLab { suggestions, .. }) => {
                assert_eq!(suggestions[0], "networking/policies")
            }
            other => panic!("{other:?}"),
        }
        match tree.lab("zzzzzzzzzz") {
            Err(Error::UnknownLab { suggestions, .. }) => assert!(suggestions.is_empty()),
            other => panic!("{other:?}"),
        }
    }
}
