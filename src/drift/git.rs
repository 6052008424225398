//! Drift from git history, for translations without a source hash.
//!
//! kubernetes.io's translations record no hash: localisation teams compare
//! the English file's commits since the translation's last commit. With
//! `drift: {source: git}` (or `hash-then-git` for pages without a hash that
//! can be checked), labrun takes the English file as it was at the
//! translation's last commit as the version it was made from: the page is
//! current when the English file is the same today (uncommitted edits
//! included), stale otherwise.
//!
//! - The translation's last commit is the newest one that changed its
//!   content: a pure rename (`git mv`) is no translation work.
//! - Renames of either file are followed (`git log -M`), so the English
//!   file is found under the name it had at that commit.
//! - "As it was at that commit" reads the commit's own tree, so merges are
//!   right: a translation updated on a branch that forked before an English
//!   change is stale after both are merged.
//! - A translation committed before its English file existed is stale:
//!   there is no version it can have been made from.
//! - In a shallow clone, a translation whose last commit is a boundary of
//!   the clone has an unknown history: that is an error that says how to
//!   fetch the history, never a guess.
//!
//! git is run as a program, as `--explain` already does: it is the
//! reference for shallow clones, worktrees, `safe.directory` and rename
//! detection, and needs no library. A drift run starts four or five git
//! processes whatever the number of pages: one `git log` over the content
//! directories, one `git cat-file --batch` for every old version.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::config::{Config, DriftSource};
use crate::error::Error;
use crate::i18n::Msg;
use crate::model::SourceHash;
use crate::msg;

use super::history::{self, GitError, Revision};
use super::{PageDrift, Status};

/// What git history says about one translation.
#[derive(Clone, Debug, Serialize)]
pub struct GitBasis {
    /// The translation's last commit that changed its content; `None` when
    /// the translation was never committed.
    pub translated_at: Option<Revision>,
    /// The source file's path (relative to the repository) at that commit;
    /// `None` when it did not exist yet.
    pub source_path: Option<String>,
    /// Commits that changed the source file after that one, newest first.
    pub since: Vec<Revision>,
    /// The source file's content at that commit.
    #[serde(skip)]
    pub source_then: Option<Vec<u8>>,
}

/// Whether a page's status comes from git history under `source`.
pub fn applies(source: DriftSource, recorded: Option<&SourceHash>) -> bool {
    match source {
        DriftSource::Hash => false,
        DriftSource::Git => true,
        DriftSource::HashThenGit => recorded.is_none_or(|h| !h.verifiable()),
    }
}

/// One change of one commit, from `git log --name-status`.
struct Change {
    /// `A`, `M`, `D`, `R087`, …
    status: String,
    /// The path before a rename or copy.
    old: Option<String>,
    path: String,
}

struct Commit {
    revision: Revision,
    changes: Vec<Change>,
}

/// The history of the content directories, newest first, with an index
/// from path to the commits that changed it.
pub struct History {
    /// The repository's work tree, canonical.
    top: PathBuf,
    commits: Vec<Commit>,
    /// path → (commit index, change index), commit index ascending.
    by_path: HashMap<String, Vec<(usize, usize)>>,
    /// Boundary commits of a shallow clone.
    shallow: HashSet<String>,
}

/// One entry of a file's history.
struct Step {
    commit: usize,
    status: String,
    /// The file's path at that commit.
    path: String,
}

fn git_error(e: GitError) -> Error {
    Error::Usage(e.message())
}

impl History {
    /// Reads the history of the directories `dirs` (absolute, inside one
    /// repository). `Ok(None)`: not a git repository, or git is missing.
    pub fn read(dirs: &[PathBuf]) -> Result<Option<History>, Error> {
        let Some(first) = dirs.iter().find(|d| d.is_dir()) else {
            return Ok(None);
        };
        let top = match history::git(first, &["rev-parse", "--show-toplevel"]) {
            Ok(out) => PathBuf::from(String::from_utf8_lossy(&out).trim()),
            Err(GitError::Failed { .. } | GitError::Missing) => return Ok(None),
            Err(e) => return Err(git_error(e)),
        };
        let top = std::fs::canonicalize(&top).unwrap_or(top);
        let mut shallow = HashSet::new();
        let is_shallow =
            history::git(&top, &["rev-parse", "--is-shallow-repository"]).map_err(git_error)?;
        if String::from_utf8_lossy(&is_shallow).trim() == "true" {
            let file =
                history::git(&top, &["rev-parse", "--git-path", "shallow"]).map_err(git_error)?;
            let file = PathBuf::from(String::from_utf8_lossy(&file).trim());
            let file = if file.is_absolute() {
                file
            } else {
                top.join(file)
            };
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            shallow.extend(text.lines().map(|l| l.trim().to_owned()));
        }
        let specs: Vec<String> = dirs
            .iter()
            .filter(|d| d.is_dir())
            .filter_map(|d| relative_to(&top, d))
            .map(|rel| if rel.is_empty() { ".".to_owned() } else { rel })
            .collect();
        // A repository without commits has no history to read.
        if history::git(&top, &["rev-parse", "--verify", "-q", "HEAD"]).is_err() {
            return Ok(Some(History {
                top,
                commits: Vec::new(),
                by_path: HashMap::new(),
                shallow,
            }));
        }
        let mut args = vec![
            "-c",
            "core.quotePath=false",
            "log",
            "-M",
            "--name-status",
            "--date=short",
            "--format=%x1e%H%x1f%h%x1f%ad%x1f%s",
            "--",
        ];
        args.extend(specs.iter().map(String::as_str));
        let out = history::git(&top, &args).map_err(git_error)?;
        let commits = parse_log(&String::from_utf8_lossy(&out));
        let mut by_path: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (i, c) in commits.iter().enumerate() {
            for (j, ch) in c.changes.iter().enumerate() {
                by_path.entry(ch.path.clone()).or_default().push((i, j));
            }
        }
        Ok(Some(History {
            top,
            commits,
            by_path,
            shallow,
        }))
    }

    /// A file's path relative to the repository.
    fn rel(&self, file: &Path) -> Option<String> {
        let abs = std::fs::canonicalize(file).ok().or_else(|| {
            // A file that does not exist (yet): its directory does.
            let dir = std::fs::canonicalize(file.parent()?).ok()?;
            Some(dir.join(file.file_name()?))
        })?;
        relative_to(&self.top, &abs)
    }

    /// The commits that changed the file now at `path`, newest first,
    /// following renames back to where it was added.
    fn steps(&self, path: &str) -> Vec<Step> {
        let mut out = Vec::new();
        let mut name = path.to_owned();
        let mut from = 0;
        while let Some(list) = self.by_path.get(&name) {
            let at = list.partition_point(|&(c, _)| c < from);
            let Some(&(c, j)) = list.get(at) else { break };
            let change = &self.commits[c].changes[j];
            out.push(Step {
                commit: c,
                status: change.status.clone(),
                path: name.clone(),
            });
            match (&change.old, change.status.as_bytes().first()) {
                (Some(old), Some(b'R')) => name = old.clone(),
                (_, Some(b'A')) => break,
                _ => {}
            }
            from = c + 1;
        }
        out
    }

    fn shallow_error(&self, commit: &Revision, file: &str) -> Error {
        Error::Usage(msg!(
            "drift-git-shallow",
            file = file,
            commit = commit.short.as_str()
        ))
    }

    /// What history says about the translation `translation` of `source`.
    /// `shown` names the translation in messages.
    fn basis_of(&self, source: &Path, translation: &Path, shown: &str) -> Result<Basis, Error> {
        let Some(tr_rel) = self.rel(translation) else {
            return Ok(Basis::uncommitted());
        };
        // The newest commit that changed the translation's content.
        let Some(step) = self.steps(&tr_rel).into_iter().find(|s| s.status != "R100") else {
            return Ok(Basis::uncommitted());
        };
        let commit = &self.commits[step.commit];
        if self.shallow.contains(&commit.revision.commit) {
            return Err(self.shallow_error(&commit.revision, shown));
        }
        let source_steps = self.rel(source).map(|s| {
            let steps = self.steps(&s);
            (s, steps)
        });
        let (names, since) = match &source_steps {
            Some((current, steps)) => {
                let mut names = vec![current.clone()];
                for s in steps {
                    if !names.contains(&s.path) {
                        names.push(s.path.clone());
                    }
                }
                let since = steps
                    .iter()
                    .filter(|s| s.commit < step.commit)
                    .map(|s| {
                        let mut r = self.commits[s.commit].revision.clone();
                        r.path = s.path.clone();
                        r
                    })
                    .collect();
                (names, since)
            }
            None => (Vec::new(), Vec::new()),
        };
        Ok(Basis {
            revision: Some(commit.revision.clone()),
            names,
            since,
        })
    }
}

/// A translation's commit and where to look for the source at it.
struct Basis {
    revision: Option<Revision>,
    /// The source file's names, newest first.
    names: Vec<String>,
    since: Vec<Revision>,
}

impl Basis {
    fn uncommitted() -> Basis {
        Basis {
            revision: None,
            names: Vec::new(),
            since: Vec::new(),
        }
    }
}

fn relative_to(top: &Path, path: &Path) -> Option<String> {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let rest = abs.strip_prefix(top).ok()?;
    Some(
        rest.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

fn parse_log(text: &str) -> Vec<Commit> {
    let mut commits = Vec::new();
    for record in text.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let mut f = lines.next().unwrap_or("").split('\u{1f}');
        let (Some(commit), Some(short), Some(date)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let subject = f.next().unwrap_or("").to_owned();
        let mut changes = Vec::new();
        for line in lines.filter(|l| !l.trim().is_empty()) {
            let parts: Vec<&str> = line.split('\t').collect();
            match parts.as_slice() {
                [status, old, new] => changes.push(Change {
                    status: (*status).to_owned(),
                    old: Some((*old).to_owned()),
                    path: (*new).to_owned(),
                }),
                [status, path] => changes.push(Change {
                    status: (*status).to_owned(),
                    old: None,
                    path: (*path).to_owned(),
                }),
                _ => {}
            }
        }
        commits.push(Commit {
            revision: Revision {
                commit: commit.to_owned(),
                short: short.to_owned(),
                date: date.to_owned(),
                subject,
                path: String::new(),
            },
            changes,
        });
    }
    commits
}

/// Reads `commit:path` objects in one `git cat-file --batch`.
fn read_objects(top: &Path, specs: &[String]) -> Result<Vec<Option<Vec<u8>>>, Error> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let failed = |detail: String| {
        Error::Usage(
            GitError::Failed {
                command: "git cat-file --batch".into(),
                detail,
            }
            .message(),
        )
    };
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| failed(e.to_string()))?;
    let mut request = String::new();
    for s in specs {
        request.push_str(s);
        request.push('\n');
    }
    let mut stdin = child.stdin.take().expect("piped stdin");
    // Write from another thread: git answers while it reads, and a large
    // request would otherwise fill both pipes.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(request.as_bytes());
    });
    let out = child
        .wait_with_output()
        .map_err(|e| failed(e.to_string()))?;
    let _ = writer.join();
    Ok(history::parse_batch(&out.stdout))
}

/// Settles the status of the pages that git history decides under the
/// project's `drift.source`. Without a repository (or without git), pages
/// keep their status under `hash-then-git`; under `git` that is an error.
pub fn apply(config: &Config, pages: &mut [PageDrift]) -> Result<(), Error> {
    let source = config.drift.source;
    let wanted: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            !matches!(p.status, Status::Missing | Status::Orphan)
                && applies(source, p.recorded.as_ref())
        })
        .map(|(i, _)| i)
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let mut dirs = vec![config.locale_root(&config.source_locale)];
    for p in &wanted {
        let root = config.locale_root(&pages[*p].locale);
        if !dirs.contains(&root) {
            dirs.push(root);
        }
    }
    let Some(history) = History::read(&dirs)? else {
        return match source {
            DriftSource::Git => Err(Error::Usage(msg!(
                "drift-git-no-repository",
                dir = config
                    .locale_root(&config.source_locale)
                    .display()
                    .to_string()
            ))),
            _ => Ok(()),
        };
    };
    let mut bases = Vec::with_capacity(wanted.len());
    for &i in &wanted {
        let p = &pages[i];
        let shown = p.translation.display().to_string();
        bases.push(history.basis_of(&p.source, &p.translation, &shown)?);
    }
    // Every candidate name of every source at its translation's commit,
    // read in one go.
    let mut specs = Vec::new();
    let mut spans = Vec::with_capacity(bases.len());
    for b in &bases {
        let start = specs.len();
        if let Some(r) = &b.revision {
            for n in &b.names {
                specs.push(format!("{}:{n}", r.commit));
            }
        }
        spans.push(start..specs.len());
    }
    let objects = read_objects(&history.top, &specs)?;
    for ((&i, basis), span) in wanted.iter().zip(bases).zip(spans) {
        let found = span
            .clone()
            .find_map(|k| objects.get(k).cloned().flatten().map(|o| (k, o)));
        let page = &mut pages[i];
        let Some(revision) = basis.revision else {
            page.status = Status::Unstamped;
            page.git = Some(GitBasis {
                translated_at: None,
                source_path: None,
                since: Vec::new(),
                source_then: None,
            });
            continue;
        };
        let now = std::fs::read(&page.source).map_err(|e| Error::io(&page.source, e))?;
        page.status = match &found {
            Some((_, then)) if *then == now => Status::Current,
            _ => Status::Stale,
        };
        page.git = Some(GitBasis {
            translated_at: Some(revision),
            source_path: found.as_ref().map(|(k, _)| {
                let spec = &specs[*k];
                spec.split_once(':')
                    .map_or(spec.as_str(), |(_, p)| p)
                    .to_owned()
            }),
            since: basis.since,
            source_then: found.map(|(_, o)| o),
        });
    }
    Ok(())
}

/// The finding message of a page whose status git history decided, if it
/// is one. `explain` is the `--explain` command for the page.
pub fn finding(page: &PageDrift, explain: &str) -> Option<Msg> {
    let git = page.git.as_ref()?;
    let Some(at) = &git.translated_at else {
        return Some(msg!("drift-finding-git-uncommitted"));
    };
    match page.status {
        Status::Stale if git.source_path.is_none() => Some(msg!(
            "drift-finding-git-before-source",
            commit = at.short.as_str(),
            date = at.date.as_str()
        )),
        Status::Stale => Some(msg!(
            "drift-finding-git-stale",
            commit = at.short.as_str(),
            date = at.date.as_str(),
            count = git.since.len(),
            command = explain
        )),
        _ => None,
    }
}

/// `--explain` for a translation judged by git history: its last commit,
/// the source's commits since, and the diff from the source as it was then
/// to the source now. `Ok(true)` when explained or current.
pub fn explain(
    config: &Config,
    source: &Path,
    translation: &Path,
    names: (&str, &str),
    json: bool,
    color: bool,
) -> Result<bool, Error> {
    let (src_name, tr_name) = names;
    let mut pages = [PageDrift {
        rel: String::new(),
        locale: String::new(),
        lab: String::new(),
        status: Status::Unstamped,
        source: source.to_owned(),
        translation: translation.to_owned(),
        source_hash: None,
        recorded: None,
        differences: Vec::new(),
        suggestion: None,
        git: None,
    }];
    // Every page of `--explain` is judged by history, whatever its hash.
    let mut forced = config.clone();
    forced.drift.source = DriftSource::Git;
    apply(&forced, &mut pages)?;
    let page = &pages[0];
    let git = page.git.as_ref().expect("apply sets the basis");
    let now = std::fs::read(source).map_err(|e| Error::io(source, e))?;
    let diff = match (&git.translated_at, page.status) {
        (Some(at), Status::Stale) => history::unified_diff(
            git.source_then.as_deref().unwrap_or_default(),
            &now,
            &format!("{src_name}@{}", at.short),
            src_name,
        ),
        _ => String::new(),
    };
    if json {
        #[derive(Serialize)]
        struct JsonExplain<'a> {
            schema: &'static str,
            translation: &'a str,
            source: &'a str,
            basis: &'static str,
            status: Status,
            translated_at: Option<&'a Revision>,
            source_path: Option<&'a str>,
            since: &'a [Revision],
            diff: String,
        }
        let j = JsonExplain {
            schema: "labrun.drift-explain/v1",
            translation: tr_name,
            source: src_name,
            basis: "git",
            status: page.status,
            translated_at: git.translated_at.as_ref(),
            source_path: git.source_path.as_deref(),
            since: &git.since,
            diff,
        };
        crate::ui::print_data(
            &(serde_json::to_string_pretty(&j).expect("an explanation serializes") + "\n"),
        );
        return Ok(git.translated_at.is_some());
    }
    use crate::ui::{self, Tone};
    let Some(at) = &git.translated_at else {
        ui::eprintln(&msg!("drift-explain-git-uncommitted", file = tr_name).text());
        return Ok(false);
    };
    let header = match (page.status, &git.source_path) {
        (Status::Current, _) => msg!(
            "drift-explain-git-current",
            file = tr_name,
            source = src_name,
            commit = at.short.as_str(),
            date = at.date.as_str()
        ),
        (_, None) => msg!(
            "drift-explain-git-before-source",
            file = tr_name,
            source = src_name,
            commit = at.short.as_str(),
            date = at.date.as_str()
        ),
        _ => msg!(
            "drift-explain-git-stale",
            file = tr_name,
            source = src_name,
            commit = at.short.as_str(),
            date = at.date.as_str(),
            subject = at.subject.as_str(),
            count = git.since.len()
        ),
    };
    let tone = if page.status == Status::Current {
        Tone::Good
    } else {
        Tone::Bold
    };
    // Commit subjects and the diff come from the repository: cleaned.
    ui::println(&ui::paint(color, tone, &header.text()));
    for r in &git.since {
        ui::println(&format!(
            "  {} {} {}",
            ui::paint(color, Tone::Accent, &r.short),
            r.date,
            r.subject
        ));
    }
    if !diff.is_empty() {
        ui::println("");
        ui::print(&history::paint_diff(&diff, color));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_records_parse_with_renames() {
        let text = "\u{1e}aaa\u{1f}a\u{1f}2025-01-02\u{1f}move\n\nR100\ten/a.md\ten/b.md\nM\tja/b.md\n\u{1e}bbb\u{1f}b\u{1f}2025-01-01\u{1f}add\n\nA\ten/a.md\n";
        let c = parse_log(text);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].revision.subject, "move");
        assert_eq!(c[0].changes[0].old.as_deref(), Some("en/a.md"));
        assert_eq!(c[0].changes[0].path, "en/b.md");
        assert_eq!(c[1].changes[0].status, "A");
    }

    #[test]
    fn which_pages_git_decides() {
        let h = |field: &str| SourceHash {
            field: field.into(),
            value: "x".into(),
            line: 2,
            quoted: false,
        };
        let md5 = h("tmdTranslationSourceHash");
        let ms = h("ms.openlocfilehash");
        assert!(!applies(DriftSource::Hash, None));
        assert!(applies(DriftSource::Git, Some(&md5)));
        assert!(applies(DriftSource::HashThenGit, None));
        assert!(applies(DriftSource::HashThenGit, Some(&ms)));
        assert!(!applies(DriftSource::HashThenGit, Some(&md5)));
    }
}
