//! Helpers of the hostile-input tests (tests/hostile_*.rs): a temporary
//! project with a sibling directory standing for "everything outside it",
//! the real binary run with a time limit and, where asked, a memory limit,
//! and a snapshot that proves nothing outside the project changed.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What any test allows a labrun command: far more than it needs, so only
/// a hang reaches it.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The address space every labrun (and what a run starts) gets in these
/// tests, unless a test asks for less.
pub const MEMORY_LIMIT: u64 = 2 << 30;

/// Limits the address space of the process about to be started.
fn limit_memory(c: &mut Command, bytes: u64) {
    // SAFETY: setrlimit is async-signal-safe.
    unsafe {
        c.pre_exec(move || {
            let lim = nix::libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if nix::libc::setrlimit(nix::libc::RLIMIT_AS, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// A temporary directory holding `project/` (the content project) and
/// `outside/` (a file the project must never read or write).
pub struct World {
    pub dir: tempfile::TempDir,
}

/// A file's content, mode, owner and modification time.
pub type Snapshot = BTreeMap<PathBuf, (Vec<u8>, u32, u32, i64)>;

impl World {
    /// A project with `labrun.yaml` (`config`) and the given files.
    pub fn new(config: &str, files: &[(&str, &str)]) -> World {
        let w = World {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(w.project()).unwrap();
        std::fs::create_dir_all(w.outside()).unwrap();
        std::fs::write(
            w.outside().join("secret.md"),
            "---\ntitle: SECRET-OUTSIDE\n---\n\nSECRET-OUTSIDE\n",
        )
        .unwrap();
        std::fs::write(w.outside().join("notes.txt"), "untouched\n").unwrap();
        w.write("labrun.yaml", config);
        for (path, text) in files {
            w.write(path, text);
        }
        w
    }

    pub fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    pub fn outside(&self) -> PathBuf {
        self.dir.path().join("outside")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.project().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// Every file outside the project, for comparing before and after.
    pub fn outside_snapshot(&self) -> Snapshot {
        snapshot(&self.outside())
    }

    /// Runs labrun in the project.
    pub fn labrun(&self, args: &[&str]) -> Run {
        labrun_in(&self.project(), args, None)
    }

    /// Runs labrun in the project with its address space limited.
    pub fn labrun_limited(&self, args: &[&str], bytes: u64) -> Run {
        labrun_in(&self.project(), args, Some(bytes))
    }
}

pub fn snapshot(dir: &Path) -> Snapshot {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        let m = std::fs::symlink_metadata(e.path()).unwrap();
        let bytes = if m.is_file() {
            std::fs::read(e.path()).unwrap()
        } else {
            Vec::new()
        };
        out.insert(
            e.path().to_owned(),
            (
                bytes,
                m.mode(),
                m.uid(),
                m.mtime_nsec() + m.mtime() * 1_000_000_000,
            ),
        );
    }
    out
}

/// How a labrun command ended.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// No panic, no abort: labrun ended by itself with an exit code.
    pub fn assert_clean_exit(&self, code: i32) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("overflow"),
            "labrun panicked:\n{}",
            self.stderr
        );
        assert_eq!(
            self.code,
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
    }
}

/// The binary with a neutral English locale and no colour, under
/// [`MEMORY_LIMIT`].
pub fn command(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_labrun"));
    c.args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("CLICOLOR_FORCE")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null());
    limit_memory(&mut c, MEMORY_LIMIT);
    c
}

/// Runs labrun to its end within [`TIME_LIMIT`] (killed and failed past
/// it), under `RLIMIT_AS` of `memory` when given (else [`MEMORY_LIMIT`]).
pub fn labrun_in(dir: &Path, args: &[&str], memory: Option<u64>) -> Run {
    let mut c = command(dir, args);
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(bytes) = memory {
        limit_memory(&mut c, bytes);
    }
    let start = Instant::now();
    let mut child = c.spawn().expect("labrun starts");
    // Read both pipes on threads so a full pipe never blocks labrun.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err, &mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("labrun {args:?} did not finish within {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&t_out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&t_err.join().unwrap()).into_owned(),
        elapsed: start.elapsed(),
    }
}

/// Whether a process still runs (a zombie has finished).
pub fn alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => {
            let state = s.rsplit_once(") ").and_then(|(_, r)| r.chars().next());
            !matches!(state, Some('Z' | 'X') | None)
        }
        Err(_) => false,
    }
}

/// Waits up to `limit` for a file to hold a line; returns its content.
pub fn wait_for_file(path: &Path, limit: Duration) -> String {
    let start = Instant::now();
    loop {
        if let Ok(s) = std::fs::read_to_string(path)
            && s.ends_with('\n')
        {
            return s;
        }
        assert!(
            start.elapsed() < limit,
            "{} did not appear within {limit:?}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A page with one runnable block.
pub fn page(title: &str, info: &str, commands: &str) -> String {
    format!("---\ntitle: {title}\n---\n\nIntro.\n\n```bash {info}\n{commands}```\n")
}
