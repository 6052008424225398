//! Processes of a run: finding a block's whole tree in `/proc`, killing it,
//! and reaping what a run leaves behind.
//!
//! A block runs as its own process group, so `killpg` reaches everything it
//! started that stayed in the group. A child that moved to a group or session
//! of its own (`setsid`, `set -m` inside the block) is still a descendant of
//! the block while its parent lives, so the tree is also walked through
//! `/proc` before the first signal. A daemon that double-forked away is no
//! descendant any more; with [`become_subreaper`] it is re-parented to labrun
//! instead of init, and [`kill_own_descendants`] ends it when the run ends.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

/// One line of `/proc/<pid>/stat`, the fields we need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    pub pgrp: i32,
    pub session: i32,
    /// `R`, `S`, `D`, `Z`, …
    pub state: char,
}

impl Proc {
    pub fn is_zombie(&self) -> bool {
        matches!(self.state, 'Z' | 'X')
    }
}

/// Parses `/proc/<pid>/stat`. The command name is in parentheses and may hold
/// spaces and parentheses itself, so fields are counted after the last `)`.
pub fn parse_stat(text: &str) -> Option<Proc> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let pid = text[..open].trim().parse().ok()?;
    let mut rest = text[close + 1..].split_whitespace();
    let state = rest.next()?.chars().next()?;
    let ppid = rest.next()?.parse().ok()?;
    let pgrp = rest.next()?.parse().ok()?;
    let session = rest.next()?.parse().ok()?;
    Some(Proc {
        pid,
        ppid,
        pgrp,
        session,
        state,
    })
}

/// Every process visible in `/proc` (those that vanish while reading are skipped).
pub fn snapshot() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let e = e.ok()?;
        let name = e.file_name();
        let name = name.to_str()?;
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let text = std::fs::read_to_string(format!("/proc/{name}/stat")).ok()?;
        parse_stat(&text)
    })
    .collect()
}

/// The state of one process, `None` when it no longer exists.
pub fn state_of(pid: i32) -> Option<Proc> {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|t| parse_stat(&t))
}

/// Whether a process still runs (a zombie has finished).
pub fn alive(pid: i32) -> bool {
    state_of(pid).is_some_and(|p| !p.is_zombie())
}

/// All descendants of `root` (not `root` itself), by parent links.
pub fn descendants(procs: &[Proc], root: i32) -> BTreeSet<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for p in procs {
        children.entry(p.ppid).or_default().push(p.pid);
    }
    let mut out = BTreeSet::new();
    let mut todo = vec![root];
    while let Some(pid) = todo.pop() {
        for &c in children.get(&pid).map(Vec::as_slice).unwrap_or_default() {
            if out.insert(c) {
                todo.push(c);
            }
        }
    }
    out
}

/// What to end: process groups, and single processes found in `/proc`.
#[derive(Clone, Debug, Default)]
pub struct Targets {
    pub groups: BTreeSet<i32>,
    pub pids: BTreeSet<i32>,
}

impl Targets {
    /// A block's process group with every process in it or below its leader.
    pub fn group_tree(pgid: i32) -> Targets {
        let procs = snapshot();
        let mut pids = descendants(&procs, pgid);
        pids.insert(pgid);
        pids.extend(procs.iter().filter(|p| p.pgrp == pgid).map(|p| p.pid));
        Targets {
            groups: BTreeSet::from([pgid]),
            pids,
        }
    }

    fn signal(&self, sig: Signal) {
        for &g in &self.groups {
            let _ = killpg(Pid::from_raw(g), sig);
        }
        for &p in &self.pids {
            let _ = kill(Pid::from_raw(p), sig);
        }
    }

    /// Whether anything targeted still runs (zombies have finished).
    pub fn any_alive(&self) -> bool {
        let procs = snapshot();
        procs.iter().any(|p| {
            !p.is_zombie() && (self.pids.contains(&p.pid) || self.groups.contains(&p.pgrp))
        })
    }

    /// SIGTERM, up to `grace` for everything to end (calling `tick` between
    /// looks, so the caller can drain pipes), then SIGKILL for the rest.
    pub fn terminate(&self, grace: Duration, tick: &mut dyn FnMut()) {
        if self.groups.is_empty() && self.pids.is_empty() {
            return;
        }
        self.signal(Signal::SIGTERM);
        // A stopped process would not see SIGTERM.
        self.signal(Signal::SIGCONT);
        let start = Instant::now();
        while start.elapsed() < grace {
            tick();
            if !self.any_alive() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.signal(Signal::SIGKILL);
        reap_orphans();
    }
}

static SUBREAPER: AtomicBool = AtomicBool::new(false);
/// Children we wait for ourselves (the sessions' shells); the orphan reaper
/// leaves them alone so their exit status is not stolen.
static OWN_CHILDREN: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Makes this process the reaper of orphaned descendants (Linux), so that a
/// daemon a block leaves behind stays findable and is ended with the run.
/// Only the labrun binary does this; library users keep their own setup.
pub fn become_subreaper() {
    if nix::sys::prctl::set_child_subreaper(true).is_ok() {
        SUBREAPER.store(true, Ordering::SeqCst);
    }
}

pub(crate) fn register_child(pid: i32) {
    OWN_CHILDREN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(pid);
}

pub(crate) fn unregister_child(pid: i32) {
    OWN_CHILDREN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|&p| p != pid);
}

/// Reaps orphans re-parented to us that have exited, so they do not linger
/// as zombies. Only with [`become_subreaper`]: otherwise orphans go to init.
pub fn reap_orphans() {
    if !SUBREAPER.load(Ordering::SeqCst) {
        return;
    }
    let me = std::process::id() as i32;
    let own = OWN_CHILDREN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    for p in snapshot() {
        if p.ppid == me && p.is_zombie() && !own.contains(&p.pid) {
            let _ = waitpid(Pid::from_raw(p.pid), Some(WaitPidFlag::WNOHANG));
        }
    }
}

/// Ends every descendant of this process (the end of a run: nothing it
/// started may survive it), then reaps them.
pub fn kill_own_descendants(grace: Duration) {
    let me = std::process::id() as i32;
    let pids = descendants(&snapshot(), me);
    let targets = Targets {
        groups: BTreeSet::new(),
        pids,
    };
    targets.terminate(grace, &mut || {});
    // Our direct children are reaped here; waiting on an unknown pid fails harmlessly.
    for _ in 0..100 {
        match waitpid(None::<Pid>, Some(WaitPidFlag::WNOHANG)) {
            Ok(nix::sys::wait::WaitStatus::StillAlive) | Err(Errno::ECHILD) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_parse_even_with_odd_command_names() {
        let p = parse_stat("1234 (my (odd) cmd) S 1 1234 1234 0 -1 4194304 0 0").unwrap();
        assert_eq!(
            p,
            Proc {
                pid: 1234,
                ppid: 1,
                pgrp: 1234,
                session: 1234,
                state: 'S'
            }
        );
        assert!(parse_stat("garbage").is_none());
    }

    #[test]
    fn descendants_follow_parent_links() {
        let p = |pid, ppid| Proc {
            pid,
            ppid,
            pgrp: 0,
            session: 0,
            state: 'S',
        };
        let procs = [p(2, 1), p(3, 2), p(4, 3), p(5, 1), p(6, 4)];
        assert_eq!(
            descendants(&procs, 2).into_iter().collect::<Vec<_>>(),
            [3, 4, 6]
        );
        assert!(descendants(&procs, 6).is_empty());
    }

    #[test]
    fn this_process_is_in_the_snapshot() {
        let me = std::process::id() as i32;
        assert!(snapshot().iter().any(|p| p.pid == me));
        assert!(alive(me));
    }
}
