//! A source page's git history: its revisions (following renames), the
//! version whose MD5 equals a recorded hash, and diffs between versions.
//! `--explain` (both the hash and the git judgement) and the editor's
//! hover build on it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

use crate::i18n::Msg;
use crate::msg;

use super::md5_hex;

/// Why git history could not be searched.
#[derive(Debug)]
pub enum GitError {
    /// No `git` program on PATH.
    Missing,
    /// The file is not inside a git work tree.
    NotARepository { path: PathBuf },
    /// git ran and failed.
    Failed { command: String, detail: String },
}

impl GitError {
    pub fn message(&self) -> Msg {
        match self {
            GitError::Missing => msg!("drift-explain-git-missing"),
            GitError::NotARepository { path } => msg!(
                "drift-explain-not-a-repository",
                path = path.display().to_string()
            ),
            GitError::Failed { command, detail } => msg!(
                "drift-explain-git-failed",
                command = command.as_str(),
                detail = detail.as_str()
            ),
        }
    }
}

/// A commit of the source file's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Revision {
    pub commit: String,
    pub short: String,
    pub date: String,
    pub subject: String,
    /// The file's path at that commit, relative to the repository root
    /// (it differs from today's after a rename).
    pub path: String,
}

/// The result of a history search.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryMatch {
    /// The newest revision whose content has the recorded hash.
    pub revision: Option<Revision>,
    /// How many revisions were examined.
    pub searched: usize,
    /// The matched version's content.
    #[serde(skip)]
    pub content: Vec<u8>,
}

/// Runs `git -C dir args…` and returns its standard output.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => GitError::Missing,
            _ => GitError::Failed {
                command: format!("git {}", args.join(" ")),
                detail: e.to_string(),
            },
        })?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(GitError::Failed {
            command: format!("git {}", args.join(" ")),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        })
    }
}

/// The work tree holding `file`.
pub fn repository_root(file: &Path) -> Result<PathBuf, GitError> {
    let dir = file.parent().unwrap_or(Path::new("."));
    match git(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(out) => Ok(PathBuf::from(String::from_utf8_lossy(&out).trim())),
        Err(GitError::Failed { .. }) => Err(GitError::NotARepository {
            path: file.to_owned(),
        }),
        Err(e) => Err(e),
    }
}

/// The commits that touched `file`, newest first, following renames.
pub fn history(file: &Path) -> Result<(PathBuf, Vec<Revision>), GitError> {
    let root = repository_root(file)?;
    let abs = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_owned());
    let root_abs = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
    let rel = abs
        .strip_prefix(&root_abs)
        .unwrap_or(&abs)
        .to_string_lossy()
        .replace('\\', "/");
    let out = git(
        &root,
        &[
            "log",
            "--follow",
            "--name-only",
            "--date=short",
            "--format=%x1e%H%x1f%h%x1f%ad%x1f%s",
            "--",
            &rel,
        ],
    )?;
    let text = String::from_utf8_lossy(&out);
    let mut revisions = Vec::new();
    for record in text.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let header = lines.next().unwrap_or("");
        let mut f = header.split('\u{1f}');
        let (Some(commit), Some(short), Some(date), subject) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let path = lines
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or(&rel)
            .to_owned();
        revisions.push(Revision {
            commit: commit.to_owned(),
            short: short.to_owned(),
            date: date.to_owned(),
            subject: subject.unwrap_or("").to_owned(),
            path,
        });
    }
    Ok((root, revisions))
}

/// Searches the file's history for the version whose MD5 is `recorded`.
pub fn find_version(file: &Path, recorded: &str) -> Result<HistoryMatch, GitError> {
    let (root, revisions) = history(file)?;
    let recorded = recorded.to_ascii_lowercase();
    // One `git cat-file --batch` reads every version without a process each.
    let mut child = Command::new("git")
        .arg("-C")
        .arg(&root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => GitError::Missing,
            _ => GitError::Failed {
                command: "git cat-file --batch".into(),
                detail: e.to_string(),
            },
        })?;
    {
        let mut stdin = child.stdin.take().expect("piped stdin");
        let mut request = String::new();
        for r in &revisions {
            request.push_str(&format!("{}:{}\n", r.commit, r.path));
        }
        // Writing can only fail if git died; its output then says so.
        let _ = stdin.write_all(request.as_bytes());
    }
    let out = child.wait_with_output().map_err(|e| GitError::Failed {
        command: "git cat-file --batch".into(),
        detail: e.to_string(),
    })?;
    let blobs = parse_batch(&out.stdout);
    for (r, blob) in revisions.iter().zip(blobs) {
        if let Some(content) = blob
            && md5_hex(&content) == recorded
        {
            return Ok(HistoryMatch {
                revision: Some(r.clone()),
                searched: revisions.len(),
                content,
            });
        }
    }
    Ok(HistoryMatch {
        revision: None,
        searched: revisions.len(),
        content: Vec::new(),
    })
}

/// Splits `git cat-file --batch` output into objects (`None` for a missing one).
pub fn parse_batch(out: &[u8]) -> Vec<Option<Vec<u8>>> {
    let mut objects = Vec::new();
    let mut i = 0;
    while i < out.len() {
        let Some(n) = out[i..].iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&out[i..i + n]).into_owned();
        i += n + 1;
        let parts: Vec<&str> = header.split(' ').collect();
        match parts.as_slice() {
            [_, _, size] => {
                let size: usize = size.parse().unwrap_or(0);
                let end = (i + size).min(out.len());
                objects.push(Some(out[i..end].to_vec()));
                i = end + 1;
            }
            _ => objects.push(None),
        }
    }
    objects
}

/// A unified diff for the terminal: headers bold, additions green,
/// removals red, hunk lines accented, context dim; one line each.
pub fn paint_diff(diff: &str, color: bool) -> String {
    use crate::ui::{self, Tone};
    let mut out = String::with_capacity(diff.len());
    for line in diff.lines() {
        let tone = if line.starts_with("+++") || line.starts_with("---") {
            Tone::Bold
        } else if line.starts_with('+') {
            Tone::Good
        } else if line.starts_with('-') {
            Tone::Error
        } else if line.starts_with("@@") {
            Tone::Accent
        } else {
            Tone::Dim
        };
        out.push_str(&ui::paint(color, tone, line));
        out.push('\n');
    }
    out
}

/// A unified diff from `old` to `new`, with file names in the header.
pub fn unified_diff(old: &[u8], new: &[u8], old_name: &str, new_name: &str) -> String {
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_output_is_split_by_size() {
        let out = b"abc blob 3\nx\ny\nmissing-ref missing\ndef blob 0\n\n";
        let objs = parse_batch(out);
        assert_eq!(objs, vec![Some(b"x\ny".to_vec()), None, Some(Vec::new())]);
    }

    #[test]
    fn diff_has_headers_and_changes() {
        let d = unified_diff(b"a\nb\n", b"a\nc\n", "old", "new");
        assert!(d.starts_with("--- old\n+++ new\n"), "{d}");
        assert!(d.contains("-b\n+c\n"), "{d}");
    }
}
