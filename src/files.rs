//! How labrun changes files it did not create for itself: inside the root
//! they belong to, never through a symbolic link, atomically, keeping the
//! file's owner and mode; and the lock that serializes read-merge-write
//! updates of a shared file (the durations file).
//!
//! A symbolic link is refused rather than followed: a page in a pull
//! request may be a link to any file the CI user can write, and following
//! it (or replacing it with a regular file) changes something the user did
//! not ask labrun to change.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::i18n::Msg;
use crate::msg;

/// Why a file was not written.
#[derive(Debug)]
pub enum WriteError {
    /// The path is a symbolic link.
    Symlink(PathBuf),
    /// The path (its directory, links resolved) is outside its root.
    Outside {
        path: PathBuf,
        root: PathBuf,
    },
    Io(PathBuf, std::io::Error),
}

impl WriteError {
    pub fn message(&self) -> Msg {
        match self {
            WriteError::Symlink(p) => msg!("files-symlink", file = p.display().to_string()),
            WriteError::Outside { path, root } => msg!(
                "files-outside",
                file = path.display().to_string(),
                root = root.display().to_string()
            ),
            WriteError::Io(p, e) => msg!(
                "files-io",
                file = p.display().to_string(),
                detail = e.to_string()
            ),
        }
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().text())
    }
}

impl std::error::Error for WriteError {}

impl From<WriteError> for crate::Error {
    fn from(e: WriteError) -> Self {
        match e {
            WriteError::Io(path, e) => crate::Error::io(&path, e),
            other => crate::Error::Usage(other.message()),
        }
    }
}

/// Whether `path` lies inside `root` once symbolic links are resolved: its
/// nearest existing ancestor is resolved and the rest must be plain names.
/// Both may be relative to the current directory.
pub fn is_inside(root: &Path, path: &Path) -> bool {
    let dot = |p: &'_ Path| -> PathBuf {
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p.to_owned()
        }
    };
    let (root, path) = (dot(root), dot(path));
    let path = path.as_path();
    let Ok(root) = root.canonicalize() else {
        return false;
    };
    let mut rest = Vec::new();
    let mut cur = path;
    loop {
        if let Ok(real) = cur.canonicalize() {
            let plain = rest
                .iter()
                .all(|c: &std::path::Component<'_>| matches!(c, std::path::Component::Normal(_)));
            return plain && real.starts_with(&root);
        }
        match (cur.components().next_back(), cur.parent()) {
            (Some(last), Some(parent)) => {
                rest.push(last);
                cur = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
            }
            _ => return false,
        }
    }
}

/// Whether `base/rel` is a regular file reached without passing through a
/// symbolic link below `base` (each step checked with `lstat`, no more).
pub fn no_links_below(base: &Path, rel: &Path) -> bool {
    let mut path = base.to_path_buf();
    let mut parts = rel.components().peekable();
    while let Some(part) = parts.next() {
        let std::path::Component::Normal(name) = part else {
            return false;
        };
        path.push(name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return false,
            Ok(m) if parts.peek().is_none() => return m.is_file(),
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

/// Refuses a path that is outside `root` (links resolved).
pub fn require_inside(root: &Path, path: &Path) -> Result<(), WriteError> {
    if is_inside(root, path) {
        Ok(())
    } else {
        Err(WriteError::Outside {
            path: path.to_owned(),
            root: root.to_owned(),
        })
    }
}

/// Replaces (or creates) `path` with `bytes`: a temporary file in the same
/// directory is written, synced, given the old file's mode and owner, and
/// renamed over it, so readers see the old file or the new one, never a
/// part, and nothing is left behind on failure. A symbolic link at `path`
/// is refused. The owner is kept when the system allows it (root may give
/// a file to anyone; another user can only keep their own).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    replace(path, bytes, true)
}

/// [`write_atomic`] without waiting for the disk (no `fsync`): for output
/// labrun can make again (the HTML site), where syncing each of hundreds
/// of files would cost seconds. A file that does not exist yet is created
/// directly (`O_EXCL`, which never follows a link).
pub fn write_generated(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(mut f) => f
            .write_all(bytes)
            .map_err(|e| WriteError::Io(path.to_owned(), e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => replace(path, bytes, false),
        Err(e) => Err(WriteError::Io(path.to_owned(), e)),
    }
}

/// Directories below a root, made or found without following a link (a
/// link already in an output folder could lead anywhere). Remembers what it
/// has seen, so each directory costs one `lstat` however many files go in.
pub struct DirsBelow {
    root: PathBuf,
    seen: std::collections::HashSet<PathBuf>,
}

impl DirsBelow {
    pub fn new(root: &Path) -> DirsBelow {
        DirsBelow {
            root: root.to_owned(),
            seen: std::collections::HashSet::new(),
        }
    }

    /// Makes `dir` (the root or below it) and its parents as needed.
    pub fn create(&mut self, dir: &Path) -> Result<(), WriteError> {
        let outside = || WriteError::Outside {
            path: dir.to_owned(),
            root: self.root.clone(),
        };
        let rel = dir.strip_prefix(&self.root).map_err(|_| outside())?;
        let mut path = self.root.clone();
        for part in rel.components() {
            let std::path::Component::Normal(name) = part else {
                return Err(outside());
            };
            path.push(name);
            if self.seen.contains(&path) {
                continue;
            }
            match std::fs::symlink_metadata(&path) {
                Ok(m) if m.file_type().is_symlink() => return Err(outside()),
                Ok(m) if m.is_dir() => {}
                Ok(_) => {
                    return Err(WriteError::Io(
                        path.clone(),
                        std::io::Error::from(std::io::ErrorKind::NotADirectory),
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    match std::fs::create_dir(&path) {
                        Ok(()) => {}
                        // Made meanwhile by someone else: look again next time.
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                        Err(e) => return Err(WriteError::Io(path.clone(), e)),
                    }
                }
                Err(e) => return Err(WriteError::Io(path.clone(), e)),
            }
            self.seen.insert(path.clone());
        }
        Ok(())
    }
}

fn replace(path: &Path, bytes: &[u8], durable: bool) -> Result<(), WriteError> {
    let io = |e: std::io::Error| WriteError::Io(path.to_owned(), e);
    let old = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => return Err(WriteError::Symlink(path.to_owned())),
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".labrun-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.flush().map_err(io)?;
    let mode = match &old {
        Some(m) => m.permissions(),
        // A new file gets what the umask gives any new file, not the
        // temporary file's private 0600.
        None => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::Permissions::from_mode(0o666 & !umask())
        }
    };
    if let Some(m) = &old {
        let file = tmp.as_file();
        let mine = file.metadata().map_err(io)?;
        if (mine.uid(), mine.gid()) != (m.uid(), m.gid()) {
            // EPERM for an ordinary user: the file becomes theirs, as with
            // any editor's atomic save.
            let _ = std::os::unix::fs::fchown(file, Some(m.uid()), Some(m.gid()));
        }
    }
    tmp.as_file().set_permissions(mode).map_err(io)?;
    if durable {
        tmp.as_file().sync_all().map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    // Make the rename itself durable.
    if durable && let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The process's umask, read without changing it (setting it to read it
/// would race with other threads creating files).
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

/// An exclusive lock held until dropped: `flock` on `<file>.lock` beside
/// the file (the file itself is replaced by renames, so it cannot carry
/// the lock). The lock file stays; it is empty.
pub struct Lock {
    _file: nix::fcntl::Flock<File>,
}

/// Waits for the lock of `file` (another labrun may hold it).
pub fn lock_beside(file: &Path) -> Result<Lock, WriteError> {
    let mut name = file.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    let path = file.with_file_name(name);
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| WriteError::Io(path.clone(), e))?;
    let locked = nix::fcntl::Flock::lock(f, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| WriteError::Io(path.clone(), e.into()))?;
    Ok(Lock { _file: locked })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn replaces_content_and_keeps_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("page.md");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o640
        );
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A new file is not private.
        let n = dir.path().join("new.json");
        write_atomic(&n, b"{}").unwrap();
        let mode = std::fs::metadata(&n).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode, 0o600, "{mode:o}");
    }

    #[test]
    fn refuses_symbolic_links_and_leaves_their_targets_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.md");
        std::fs::write(&target, "outside").unwrap();
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(
            write_atomic(&link, b"x"),
            Err(WriteError::Symlink(_))
        ));
        assert_eq!(std::fs::read(&target).unwrap(), b"outside");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn containment_resolves_links_and_parent_steps() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let other = dir.path().join("other");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(&other).unwrap();
        std::os::unix::fs::symlink(&other, root.join("out")).unwrap();
        assert!(is_inside(&root, &root.join("a/b/new.html")));
        assert!(is_inside(&root, &root.join("a")));
        assert!(!is_inside(&root, &root.join("out/x.html")));
        assert!(!is_inside(&root, &root.join("a/../../other/x")));
        assert!(!is_inside(&root, &root.join("missing/../../other")));
        assert!(!is_inside(&root, Path::new("/etc/passwd")));
        // Links below a base, step by step.
        std::fs::write(root.join("a/f.sh"), "").unwrap();
        std::os::unix::fs::symlink(root.join("a/f.sh"), root.join("a/l.sh")).unwrap();
        assert!(no_links_below(&root, Path::new("a/f.sh")));
        assert!(!no_links_below(&root, Path::new("a/l.sh")));
        assert!(!no_links_below(&root, Path::new("out/x.sh")));
        assert!(!no_links_below(&root, Path::new("a")));
        assert!(!no_links_below(&root, Path::new("a/../a/f.sh")));
        assert!(!no_links_below(&root, Path::new("a/missing.sh")));
        // `--config labrun.yaml` gives an empty root: the current directory.
        assert!(is_inside(Path::new(""), Path::new("content/en")));
    }

    #[test]
    fn generated_files_and_their_directories_never_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("en")).unwrap();
        let mut dirs = DirsBelow::new(&out);
        dirs.create(&out.join("ja/lab")).unwrap();
        assert!(out.join("ja/lab").is_dir());
        assert!(matches!(
            dirs.create(&out.join("en/lab")),
            Err(WriteError::Outside { .. })
        ));
        assert!(std::fs::read_dir(&elsewhere).unwrap().next().is_none());
        let page = out.join("ja/lab/index.html");
        write_generated(&page, b"one").unwrap();
        write_generated(&page, b"two").unwrap();
        assert_eq!(std::fs::read(&page).unwrap(), b"two");
        std::os::unix::fs::symlink(elsewhere.join("x"), out.join("ja/link.html")).unwrap();
        assert!(matches!(
            write_generated(&out.join("ja/link.html"), b"x"),
            Err(WriteError::Symlink(_))
        ));
        assert!(!elsewhere.join("x").exists());
    }

    #[test]
    fn the_lock_is_exclusive() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("d.json");
        let held = lock_beside(&file).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let f = file.clone();
        let t = std::thread::spawn(move || {
            let _l = lock_beside(&f).unwrap();
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "a second lock was granted while the first was held"
        );
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        t.join().unwrap();
    }
}
