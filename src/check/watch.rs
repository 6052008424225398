//! Watching a project's files for `labrun check --watch` and `labrun lsp`.
//!
//! notify (inotify on Linux, FSEvents, ReadDirectoryChangesW) reports each
//! change as it happens, so a save is seen in about a millisecond without
//! polling a 2,000-file tree. Only the directories the checker reads are
//! watched ([`super::incremental::Workspace::watch_dirs`]): not `.git`, not
//! `node_modules`. One save is often several events (a temporary file
//! renamed over the page, a truncate then a write), so events are taken in
//! batches: the first one, then every other until the file system has been
//! quiet for [`SETTLE`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::error::Error;

/// How long the file system must be quiet before a batch is handed over.
pub const SETTLE: Duration = Duration::from_millis(5);
/// The longest a batch waits for quiet (a checkout writing many files).
pub const MAX_BATCH: Duration = Duration::from_millis(200);

/// Changed paths, gathered from one or more events.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    /// Each changed path once, in the order first seen.
    pub paths: Vec<PathBuf>,
    /// Events were lost (the kernel queue overflowed): read everything again.
    pub rescan: bool,
    /// When the first event of the batch arrived.
    pub since: Option<Instant>,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && !self.rescan
    }

    /// Adds one event (reads and opens are not changes, and labrun's own
    /// reads make them).
    pub fn add(&mut self, event: notify::Result<notify::Event>) {
        self.since.get_or_insert_with(Instant::now);
        match event {
            Ok(e) if e.need_rescan() => self.rescan = true,
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
            Ok(e) => {
                for p in e.paths {
                    if !self.paths.contains(&p) {
                        self.paths.push(p);
                    }
                }
            }
            // The watcher failed (a watched directory went away): read
            // everything again rather than miss a change.
            Err(_) => self.rescan = true,
        }
    }
}

/// File system events for a set of directories.
pub struct Watcher {
    inner: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    watched: Vec<(PathBuf, bool)>,
}

impl Watcher {
    /// Watches `dirs` (path, recursive).
    pub fn new(dirs: &[(PathBuf, bool)]) -> Result<Watcher, Error> {
        let (tx, events) = crossbeam_channel::unbounded();
        let inner = notify::recommended_watcher(tx).map_err(|e| watch_error(Path::new("."), e))?;
        let mut w = Watcher {
            inner,
            events,
            watched: Vec::new(),
        };
        w.set(dirs)?;
        Ok(w)
    }

    /// Watches exactly `dirs` from now on (after labrun.yaml changed).
    pub fn set(&mut self, dirs: &[(PathBuf, bool)]) -> Result<(), Error> {
        for old in std::mem::take(&mut self.watched) {
            if !dirs.contains(&old) {
                // A directory that went is no longer watched anyway.
                let _ = self.inner.unwatch(&old.0);
            } else {
                self.watched.push(old);
            }
        }
        for (dir, recursive) in dirs {
            if self.watched.contains(&(dir.clone(), *recursive)) {
                continue;
            }
            let mode = if *recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            self.inner
                .watch(dir, mode)
                .map_err(|e| watch_error(dir, e))?;
            self.watched.push((dir.clone(), *recursive));
        }
        Ok(())
    }

    /// Applies a batch to the workspace (reading everything again when
    /// events were lost) and, when the project was read again, watches the
    /// directories it now has.
    pub fn apply(
        &mut self,
        ws: &mut super::incremental::Workspace,
        batch: &Batch,
    ) -> Result<super::incremental::Outcome, Error> {
        let outcome = if batch.rescan {
            ws.rescan()?
        } else {
            ws.apply(&batch.paths)?
        };
        if outcome.reloaded {
            self.set(&ws.watch_dirs())?;
        }
        Ok(outcome)
    }

    /// The raw events, for a caller that waits on other channels too.
    pub fn events(&self) -> &Receiver<notify::Result<notify::Event>> {
        &self.events
    }

    /// Blocks until something changes, then returns the batch.
    pub fn next_batch(&self) -> Option<Batch> {
        let first = self.events.recv().ok()?;
        let mut batch = Batch::default();
        batch.add(first);
        self.settle(&mut batch);
        Some(batch)
    }

    /// Adds the events that follow within [`SETTLE`] of each other.
    pub fn settle(&self, batch: &mut Batch) {
        let start = batch.since.unwrap_or_else(Instant::now);
        while start.elapsed() < MAX_BATCH {
            match self.events.recv_timeout(SETTLE) {
                Ok(e) => batch.add(e),
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
    }
}

/// One re-check after a batch of changes.
#[derive(Debug)]
pub struct Cycle {
    /// The paths that changed.
    pub changed: Vec<PathBuf>,
    pub outcome: super::incremental::Outcome,
    /// From the first event of the batch to the new findings.
    pub elapsed: Duration,
}

/// `check --watch`: calls `show` with the findings of the whole project,
/// then again after every batch of changes that re-checked something or
/// changed the findings; `failed` gets what stops a re-check (an unusable
/// labrun.yaml), and the watch goes on. Returns only if the watcher stops.
pub fn run(
    ws: &mut super::incremental::Workspace,
    mut show: impl FnMut(&super::Report, Option<&Cycle>),
    mut failed: impl FnMut(&Error),
) -> Result<(), Error> {
    let mut watcher = Watcher::new(&ws.watch_dirs())?;
    let mut last = ws.report();
    show(&last, None);
    while let Some(batch) = watcher.next_batch() {
        if batch.is_empty() {
            continue;
        }
        let outcome = match watcher.apply(ws, &batch) {
            Ok(o) => o,
            Err(e) => {
                failed(&e);
                continue;
            }
        };
        let report = ws.report();
        if outcome.rechecked == 0 && !outcome.reloaded && report.diagnostics == last.diagnostics {
            continue;
        }
        let cycle = Cycle {
            changed: batch.paths,
            outcome,
            elapsed: batch.since.map_or(Duration::ZERO, |t| t.elapsed()),
        };
        show(&report, Some(&cycle));
        last = report;
    }
    Ok(())
}

fn watch_error(path: &Path, e: notify::Error) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_is_one_batch_and_reads_are_not_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::check::normalize(&dir.path().canonicalize().unwrap());
        std::fs::create_dir(root.join("sub")).unwrap();
        let w = Watcher::new(&[(root.clone(), true)]).unwrap();
        let page = root.join("sub/page.md");
        // Written through a temporary file renamed over the page, as
        // editors do, after a plain read.
        let _ = std::fs::read_dir(&root).unwrap().count();
        std::fs::write(root.join("sub/.page.tmp"), "x").unwrap();
        std::fs::rename(root.join("sub/.page.tmp"), &page).unwrap();
        let batch = w.next_batch().unwrap();
        assert!(!batch.rescan);
        assert!(batch.paths.contains(&page), "{batch:?}");
        assert!(batch.since.is_some());
        // Nothing else is pending.
        assert!(w.events().try_recv().is_err());
        // Reading the page is not a change.
        let _ = std::fs::read(&page).unwrap();
        assert!(
            w.events()
                .recv_timeout(Duration::from_millis(50))
                .map(|e| matches!(e.unwrap().kind, EventKind::Access(_)))
                .unwrap_or(true)
        );
    }
}
