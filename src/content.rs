//! The content tree: every page of a locale, read in parallel, in the order
//! the workshop site shows them, and labs resolved by name.
//!
//! Order rules (as the site generators do): within a directory the index page
//! (`index.md` / `_index.md`) comes first; then pages and subdirectories
//! together, by `sidebar_position` (or `weight`; a subdirectory takes its
//! index page's), those without a position last, ties by name. A `.notest`
//! file marks its subtree as not run. `tests/` directories hold hooks, never
//! pages.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::error::Error;
use crate::markdown;
use crate::model::{Lab, Page};

/// File extensions of declarative hooks (`tests/hook-NAME.yaml`).
pub const DECLARATIVE_HOOK_EXTENSIONS: [&str; 2] = ["yaml", "yml"];

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
}

#[derive(Clone, Debug, Serialize)]
pub struct Dir {
    /// Relative to the locale root, `""` for the root.
    pub rel: String,
    pub title: String,
    pub position: Option<i64>,
    pub notest: bool,
}

impl Project {
    /// Opens the project named by `--config`, else the one found by walking up
    /// from `cwd`.
    pub fn open(config: Option<&Path>, cwd: &Path) -> Result<Project, Error> {
        let config = match config {
            Some(file) => Config::load(file)?,
            None => Config::discover(cwd)?,
        };
        Ok(Project {
            config,
            roots_inside: Arc::default(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.config.root
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

    /// Reads and parses every page of a locale.
    pub fn load(&self, locale: &str) -> Result<Tree, Error> {
        self.check_locale(locale)?;
        let dir = self.config.locale_root(locale);
        if !self.root_inside(locale, &dir) {
            return Err(Error::Usage(crate::msg!(
                "files-read-outside",
                dir = dir.display().to_string(),
                root = self.root().display().to_string()
            )));
        }
        load_tree(locale, &dir)
    }

    /// Reads every locale (the source locale first), side by side: each
    /// walk and site ordering is serial, so locales are the cheap parallelism.
    pub fn load_all(&self) -> Result<Vec<Tree>, Error> {
        let mut locales = self.config.locales.clone();
        locales.sort_by_key(|l| *l != self.config.source_locale);
        locales.par_iter().map(|l| self.load(l)).collect()
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

/// Walks a locale root and parses its pages in parallel.
pub fn load_tree(locale: &str, root: &Path) -> Result<Tree, Error> {
    if !root.is_dir() {
        return Err(Error::NoContent {
            locale: locale.to_owned(),
            dir: root.to_owned(),
        });
    }
    let mut files = Vec::new();
    let mut hooks = Vec::new();
    let mut notest_dirs = BTreeSet::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.') && e.file_type().is_dir() || name == "node_modules")
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
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel_s = rel_string(rel);
        let in_tests = rel.components().any(|c| c.as_os_str() == "tests");
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if name == ".notest" {
            notest_dirs.insert(rel.parent().map(rel_string).unwrap_or_default());
        } else if in_tests {
            if name.ends_with(".sh") || name.ends_with(".yaml") || name.ends_with(".yml") {
                hooks.push(rel_s);
            }
        } else if name.ends_with(".md") || name.ends_with(".mdx") {
            files.push((entry.path().to_owned(), rel_s));
        }
    }
    let mut pages = files
        .par_iter()
        .map(|(path, rel)| {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            Ok(markdown::parse_page(path, rel, locale, &bytes))
        })
        .collect::<Result<Vec<Page>, Error>>()?;
    for page in &mut pages {
        let dir = page.dir().to_owned();
        page.notest = notest_dirs
            .iter()
            .any(|d| d.is_empty() || dir == *d || dir.starts_with(&format!("{d}/")));
    }
    let (pages, dirs) = site_order(pages, &notest_dirs);
    Ok(Tree {
        locale: locale.to_owned(),
        root: root.to_owned(),
        pages,
        dirs,
        hooks,
    })
}

enum Entry {
    Page(usize),
    Dir(String),
}

/// Each directory's pages and subdirectories with their sort keys.
type Children = BTreeMap<String, Vec<(Option<i64>, String, Entry)>>;

/// Sorts pages into site order and describes each directory.
fn site_order(pages: Vec<Page>, notest_dirs: &BTreeSet<String>) -> (Vec<Page>, Vec<Dir>) {
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
        Dir {
            rel: d.to_owned(),
            title: index.map_or_else(
                || d.rsplit('/').next().unwrap_or(d).to_owned(),
                |p| p.title.clone(),
            ),
            position: index.and_then(Page::position),
            notest: notest_dirs
                .iter()
                .any(|n| n.is_empty() || d == n || d.starts_with(&format!("{n}/"))),
        }
    };
    let dirs: Vec<Dir> = all_dirs.iter().map(|d| dir_info(d)).collect();
    let dir_pos: HashMap<&str, Option<i64>> =
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
        list.sort_by(|a, b| (a.0.is_none(), a.0, &a.1).cmp(&(b.0.is_none(), b.0, &b.1)));
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
