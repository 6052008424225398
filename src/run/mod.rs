//! `labrun run`: runs labs the way a careful person would at one terminal,
//! and tells CI exactly what happened.
//!
//! - [`job`]: a whole run, from the labs asked for to its outcome;
//! - [`select`]: the labs and pages a run takes (`--all`, `--only`);
//! - [`from`]: where a run starts (`--from`);
//! - [`gate`]: what a run refuses before it starts;
//! - [`cluster`]: the cluster a run talks to, reached before it starts;
//! - [`session`]: the persistent shell and how blocks run in it;
//! - [`dry_run`]: what a run would do, and how long it would take;
//! - [`state`]: the shell state carried from block to block;
//! - [`procs`]: process trees, killing and reaping;
//! - [`runner`]: pages, blocks, hooks, failures;
//! - [`report`]: the JSON and JUnit reports, and merging them;
//! - [`shard`]: splitting a workshop across CI jobs;
//! - [`progress`]: what the person or the CI log sees;
//! - [`summary`]: the end of a run as a person reads it;
//! - [`requires`]: the commands a lab's environments need;
//! - [`prepare`]: `prepare-environment` in the lab's shell;
//! - [`resume`]: the state saved after every page, and resuming from it;
//! - [`transcript`]: a block as a terminal shows it: its script, and its
//!   output per command;
//! - [`verify_output`]: each command's output against the page's sample.

pub mod cluster;
pub mod dry_run;
pub mod from;
pub mod gate;
pub mod job;
pub mod prepare;
pub mod procs;
pub mod progress;
pub mod report;
pub mod requires;
pub mod resume;
pub mod runner;
pub mod select;
pub mod session;
pub mod shard;
pub mod state;
pub mod summary;
pub mod transcript;
pub mod verify_output;

use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
