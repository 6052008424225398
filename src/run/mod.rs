//! `labrun run`: runs labs the way a careful person would at one terminal,
//! and tells CI exactly what happened.
//!
//! - [`session`]: the persistent shell and how blocks run in it;
//! - [`dry_run`]: what a run would do, and how long it would take;
//! - [`state`]: the shell state carried from block to block;
//! - [`procs`]: process trees, killing and reaping;
//! - [`runner`]: pages, blocks, hooks, failures;
//! - [`report`]: the JSON and JUnit reports, and merging them;
//! - [`shard`]: splitting a workshop across CI jobs;
//! - [`progress`]: what the person or the CI log sees;
//! - [`requires`]: the commands a lab's environments need;
//! - [`resume`]: the state saved after every page, and resuming from it;
//! - [`transcript`]: a block as a terminal shows it: its script, and its
//!   output per command;
//! - [`verify_output`]: each command's output against the page's sample.

pub mod dry_run;
pub mod prepare;
pub mod procs;
pub mod progress;
pub mod report;
pub mod requires;
pub mod resume;
pub mod runner;
pub mod session;
pub mod shard;
pub mod state;
pub mod transcript;
pub mod verify_output;

use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::content::Tree;
use crate::model::{Lab, Page};

/// Ctrl-C / SIGTERM: a flag, and a socket that becomes readable when it is
/// set, so that waits (blocks, `wait=`, `--step` prompts) end at once.
#[derive(Clone, Default)]
pub struct Stop {
    flag: Arc<AtomicBool>,
    wake: Option<Arc<UnixStream>>,
    waker: Option<Arc<UnixStream>>,
}

impl Stop {
    /// A stop that only [`Stop::trigger`] sets (tests, library use).
    pub fn new() -> std::io::Result<Stop> {
        let (r, w) = UnixStream::pair()?;
        r.set_nonblocking(true)?;
        w.set_nonblocking(true)?;
        Ok(Stop {
            flag: Arc::new(AtomicBool::new(false)),
            wake: Some(Arc::new(r)),
            waker: Some(Arc::new(w)),
        })
    }

    /// Also sets the flag on SIGINT, SIGTERM and SIGHUP (a closed terminal
    /// or SSH connection ends the run the same way: reports written, every
    /// process of the lab ended).
    pub fn install_signals(&self) -> std::io::Result<()> {
        let Some(w) = &self.waker else {
            return Ok(());
        };
        for sig in [
            signal_hook::consts::SIGINT,
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
        ] {
            signal_hook::flag::register(sig, Arc::clone(&self.flag))?;
            signal_hook::low_level::pipe::register(sig, w.try_clone()?)?;
        }
        Ok(())
    }

    /// The flag itself, for code that polls it (declarative hooks).
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.flag)
    }

    pub fn is_set(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Sets the flag by hand (as a signal would).
    pub fn trigger(&self) {
        self.flag.store(true, Ordering::SeqCst);
        if let Some(w) = &self.waker {
            use std::io::Write;
            let _ = (&**w).write(&[1]);
        }
    }

    pub fn wake_fd(&self) -> Option<BorrowedFd<'_>> {
        self.wake.as_deref().map(|s| s.as_fd())
    }

    /// Empties the wake socket.
    pub fn drain(&self) {
        if let Some(s) = &self.wake {
            use std::io::Read;
            let mut buf = [0u8; 64];
            while matches!((&**s).read(&mut buf), Ok(n) if n > 0) {}
        }
    }

    /// Sleeps, unless stopped first. Returns false when stopped.
    pub fn sleep(&self, d: Duration) -> bool {
        let end = crate::limits::deadline(Instant::now(), d);
        loop {
            if self.is_set() {
                return false;
            }
            let now = Instant::now();
            if now >= end {
                return true;
            }
            let ms = (end - now).as_millis().clamp(1, i32::MAX as u128) as i32;
            match self.wake_fd() {
                Some(fd) => {
                    let mut fds = [nix::poll::PollFd::new(fd, nix::poll::PollFlags::POLLIN)];
                    let _ = nix::poll::poll(
                        &mut fds,
                        nix::poll::PollTimeout::try_from(ms).unwrap_or(nix::poll::PollTimeout::MAX),
                    );
                    self.drain();
                }
                None => std::thread::sleep(Duration::from_millis(ms as u64)),
            }
        }
    }
}

/// The labs of a whole workshop, in site order: the outermost directories
/// whose own pages have runnable blocks (a lab's subdirectories belong to
/// it); pages with blocks at the locale root form a lab of their own.
pub fn workshop_labs(tree: &Tree) -> Vec<Lab> {
    let has_blocks = |dir: &str| {
        tree.pages
            .iter()
            .any(|p| p.dir() == dir && p.runnable_blocks().next().is_some())
    };
    let mut lab_dirs: Vec<&str> = Vec::new();
    for d in &tree.dirs {
        if d.rel.is_empty() || !has_blocks(&d.rel) {
            continue;
        }
        let inside_other = lab_dirs.iter().any(|l| d.rel.starts_with(&format!("{l}/")));
        if !inside_other {
            lab_dirs.retain(|l| !l.starts_with(&format!("{}/", d.rel)));
            lab_dirs.push(&d.rel);
        }
    }
    let mut labs: Vec<(usize, Lab)> = Vec::new();
    for d in lab_dirs {
        if let Ok(lab) = tree.lab(d) {
            let first = tree
                .pages
                .iter()
                .position(|p| p.rel == lab.pages[0].rel)
                .unwrap_or(usize::MAX);
            labs.push((first, lab));
        }
    }
    if has_blocks("") {
        let pages: Vec<Page> = tree
            .pages
            .iter()
            .filter(|p| p.dir().is_empty())
            .cloned()
            .collect();
        let title = tree
            .dirs
            .iter()
            .find(|d| d.rel.is_empty())
            .map_or_else(String::new, |d| d.title.clone());
        labs.push((
            0,
            Lab {
                id: String::new(),
                locale: tree.locale.clone(),
                title,
                dir: tree.root.clone(),
                environments: pages
                    .iter()
                    .flat_map(crate::content::environment_ids)
                    .collect(),
                pages,
            },
        ));
    }
    labs.sort_by_key(|(i, _)| *i);
    labs.into_iter().map(|(_, l)| l).collect()
}
