//! One terminal's worth of shell for a whole lab.
//!
//! # Mechanism
//!
//! A single `bash --noprofile --norc` (the *keeper*) runs in a session of its
//! own (`setsid`) and holds the lab's state. It reads labrun's commands from
//! its stdin and never runs user code itself. For each block it forks a
//! subshell with job control on for that one fork (`set -m … & set +m`), which
//! makes the subshell the leader of a new process group; job control is off
//! again inside it, so everything the block starts stays in that group and
//! one `killpg` ends the lot. The subshell inherits all state by `fork`:
//! exported and plain variables, functions, aliases, options, the directory.
//!
//! When the block ends, the subshell dumps its state with bash's builtins
//! (`declare -p`, `declare -f`, `alias -p`, `$SHELLOPTS`, `$BASHOPTS`, `$PWD`)
//! into an in-memory file labrun holds, says so on a control pipe (fd 3), and
//! exits. (bash writes such a dump a line at a time; into a pipe, each line
//! would wake labrun.) labrun compares the dump with what the
//! keeper has and sends the keeper only the statements that changed
//! ([`super::state`]). No file is written per block and no process is
//! started other than the fork, which is what makes this several times
//! cheaper than a new `bash -c` per block (see `benches/run_overhead.rs`).
//!
//! The block's script is a file the subshell sources (`.`) under the page's
//! name, relative to a private directory it steps into just for that: bash
//! names the file it reads in its diagnostics, and the script keeps each
//! command on its page line ([`super::transcript`]), so an error reads
//! `content/en/lab/index.md: line 7: greet: command not found`. The script's
//! first line steps back (and restores `OLDPWD`); a directory that is gone
//! or closed is not left, and the file is then sourced by its full path.
//!
//! Messages on the control pipe are NUL-separated fields: `pid <pid>` (the
//! subshell, first thing; only one process writes at a time, so records
//! never interleave), `cmd <line> <offset>` (a command starts; its output
//! starts at that offset of the log, empty when unknown),
//! `state <10 fields>` (the dump), `done <pid> <status>` (the keeper reaped
//! the block). A block killed for its timeout sends no dump: the keeper keeps
//! the state from before it.
//!
//! A block that ends the subshell early (`exit`, `set -e`) still reports its
//! state through an EXIT trap, unless it replaced that trap with its own.
//!
//! Limits that follow: traps and background jobs (`jobs`, `wait %1`) belong
//! to the block that set them; `$$` is the keeper's pid.
//!
//! # When labrun dies
//!
//! Nothing a lab started may outlive labrun, even when labrun is killed
//! with SIGKILL and cleans up nothing. Each session has a *watchdog*: a
//! small bash in a session of its own (so Ctrl-C at the terminal does not
//! reach it) whose stdin is a pipe only labrun holds open. When labrun
//! exits in any way, the kernel closes the pipe; the watchdog reads end of
//! file and ends every process in the keeper's session (SIGTERM, a grace,
//! SIGKILL), found in `/proc`. `PR_SET_PDEATHSIG` alone would not do: it
//! fires when the *thread* that spawned the child ends, not the process,
//! and it is not inherited across `fork`, so it could reach the keeper but
//! not the blocks it forks. A block that leaves the session (`setsid`) is
//! ended by [`Session::close`] while labrun lives, but not by the watchdog.

use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use super::Stop;
use super::procs::{self, Targets};
use super::state::{self, Dump, ShellState, quote};
use super::transcript::CommandStart;

/// How long a block gets between SIGTERM and SIGKILL.
pub const KILL_GRACE: Duration = Duration::from_secs(2);
/// How often a waiting session wakes up (progress, live output, liveness).
const TICK: Duration = Duration::from_millis(100);

/// Helpers defined in the keeper before anything else. Every command they use
/// is called through `builtin`, so the user's functions and aliases named
/// `printf`, `wait`, `set`… cannot break them; they survive `set -u`,
/// `set -e` and `noclobber`.
const PRELUDE: &str = r#"builtin shopt -s expand_aliases
__lr_dump() {
  builtin printf 'state\0%s\0%s\0%s\0%s\0' "$1" "$2" "$PWD" "$3"
  if [[ $1 == init ]]; then builtin set +o; builtin printf '\0'; builtin shopt -p; builtin printf '\0'; else builtin printf '\0\0'; fi
  builtin alias -p; builtin printf '\0'
  builtin declare -F; builtin printf '\0'
  builtin declare -f; builtin printf '\0'
  builtin declare -p; builtin printf '\0'
}
__lr_end() {
  __lr_f=$-
  { builtin set +x; builtin trap - EXIT; } 2>/dev/null
  if [[ -n ${__lr_dump_to-} ]]; then
    __lr_dump "$1" "$2" "$__lr_f" >|"$__lr_dump_to"
    builtin printf 'dumped\0' >&3
  else
    __lr_dump "$1" "$2" "$__lr_f" >&3
  fi
  builtin exit "$1"
}
__lr_wait() {
  __lr_s=0
  builtin wait "$1" || __lr_s=$?
  builtin printf 'done\0%s\0%s\0' "$1" "$__lr_s" >&3
}
"#;

/// The watchdog: waits for end of file on stdin (labrun is gone), then ends
/// every process of session `$1` (the keeper's pid): SIGTERM, up to two
/// seconds, SIGKILL. Only builtins, so it needs nothing on PATH; it pauses
/// by reading, with a timeout, a pipe it holds both ends of.
const WATCHDOG: &str = r#"builtin exec {__lr_tick}<> <(:)
builtin read -r __lr_line
__lr_sid=$1
__lr_find() {
  __lr_pids=()
  for __lr_f in /proc/[0-9]*/stat; do
    { builtin read -r __lr_s <"$__lr_f"; } 2>/dev/null || builtin continue
    __lr_s=${__lr_s##*) }
    builtin set -- $__lr_s
    [[ $4 == "$__lr_sid" && $1 != Z ]] && __lr_pids+=("${__lr_f:6:-5}")
  done
}
__lr_find
(( ${#__lr_pids[@]} )) && builtin kill -TERM "${__lr_pids[@]}" 2>/dev/null
for __lr_i in 1 2 3 4 5 6 7 8 9 10; do
  __lr_find
  (( ${#__lr_pids[@]} )) || builtin exit 0
  builtin read -r -t 0.2 -u "$__lr_tick" __lr_line
done
for __lr_i in 1 2 3; do
  __lr_find
  (( ${#__lr_pids[@]} )) || builtin exit 0
  builtin kill -KILL "${__lr_pids[@]}" 2>/dev/null
  builtin read -r -t 0.1 -u "$__lr_tick" __lr_line
done
"#;

/// A watchdog process and the pipe that keeps it waiting.
struct Watchdog {
    pid: i32,
    _pipe: std::process::ChildStdin,
}

impl Watchdog {
    fn start(bash: &Path, keeper: i32) -> std::io::Result<Watchdog> {
        let mut cmd = Command::new(bash);
        cmd.args(["--noprofile", "--norc", "-c", WATCHDOG, "labrun-watchdog"])
            .arg(keeper.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                if nix::libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn()?;
        let pid = child.id() as i32;
        procs::register_child(pid);
        let pipe = child.stdin.take().expect("stdin is piped");
        // Reaped by pid in `stop`.
        drop(child);
        Ok(Watchdog { pid, _pipe: pipe })
    }

    /// Ends the watchdog without letting it act (labrun cleans up itself).
    fn stop(self) {
        let _ = kill(Pid::from_raw(self.pid), Signal::SIGKILL);
        let _ = waitpid(Pid::from_raw(self.pid), None);
        procs::unregister_child(self.pid);
    }
}

/// How to start a session.
#[derive(Clone, Debug)]
pub struct SessionOptions {
    pub bash: PathBuf,
    /// The directory the lab starts in.
    pub work_dir: PathBuf,
    /// Variables exported into the session, on top of labrun's environment.
    pub env: Vec<(String, String)>,
    /// Where the keeper's own stdout and stderr go.
    pub log: PathBuf,
    /// More shell code to define in the session (e.g. `prepare-environment`).
    pub prelude: String,
}

/// Something that happens while a job runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The command on this page line starts.
    Command(u32),
    /// Time passes (about every 100 ms).
    Tick,
}

/// How a job ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    /// It ran to its end (or to its first failing command) and exited with
    /// this status.
    Exited(i32),
    /// The timeout ended it.
    TimedOut,
    /// Ctrl-C or SIGTERM ended it.
    Interrupted,
    /// The session's shell itself is gone (a block killed it).
    SessionLost,
}

#[derive(Clone, Debug)]
pub struct Finished {
    pub end: End,
    /// The subshell's report, when it got to make one (blocks only).
    pub dump: Option<Dump>,
    /// The last command that started (its page line).
    pub last_command: Option<u32>,
    /// Every command that started, in order (blocks only).
    pub commands: Vec<CommandStart>,
    pub elapsed: Duration,
}

impl Finished {
    /// The exit status to report: the subshell's own, or the keeper's view
    /// of it (128 + signal) when it could not tell.
    pub fn status(&self) -> Option<i32> {
        match self.end {
            End::Exited(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug)]
enum Msg {
    Pid(i32),
    /// The dump is in the scratch file.
    Dumped,
    Cmd(u32, Option<u64>),
    State(Vec<Vec<u8>>),
    Done(i32, i32),
}

pub struct Session {
    keeper: i32,
    stdin: Option<ChildStdin>,
    ctrl: std::io::PipeReader,
    buf: Vec<u8>,
    state: ShellState,
    names: state::OptionNames,
    /// Every process group a job ran in: what must end with the session.
    groups: Vec<i32>,
    stop: Stop,
    closed: bool,
    scratch: Option<Scratch>,
    watchdog: Option<Watchdog>,
    /// Where block scripts are found under their pages' names (links to
    /// the in-memory script, else files).
    sources: tempfile::TempDir,
    /// The names made in `sources` so far.
    named: std::collections::HashSet<String>,
    /// labrun's helpers, as first defined in the keeper.
    prelude: String,
}

/// In-memory files the keeper reaches through `/proc/<labrun>/fd/N`: the
/// restore script, the job, the dump a block's subshell writes, and the
/// block's script (which the subshell reaches by a page's name, a link).
struct Scratch {
    files: [std::fs::File; 4],
    paths: [String; 4],
}

/// The slot of the block's script in [`Scratch`].
const BLOCK: usize = 3;

impl Scratch {
    fn new() -> Option<Scratch> {
        use nix::sys::memfd::{MFdFlags, memfd_create};
        let make = |name: &str| -> Option<(std::fs::File, String)> {
            let fd = memfd_create(name, MFdFlags::MFD_CLOEXEC).ok()?;
            let path = format!("/proc/{}/fd/{}", std::process::id(), fd.as_raw_fd());
            // Without /proc the keeper could not read it: send text inline.
            Path::new(&path)
                .exists()
                .then(|| (std::fs::File::from(fd), path))
        };
        let (a, pa) = make("labrun-restore")?;
        let (b, pb) = make("labrun-job")?;
        let (c, pc) = make("labrun-dump")?;
        let (d, pd) = make("labrun-block")?;
        Some(Scratch {
            files: [a, b, c, d],
            paths: [pa, pb, pc, pd],
        })
    }

    /// The dump the subshell wrote, as the fields of a `state` message.
    fn read_dump(&self) -> Option<Vec<Vec<u8>>> {
        use std::os::unix::fs::FileExt;
        let file = &self.files[2];
        let len = file.metadata().ok()?.len() as usize;
        let mut buf = vec![0u8; len];
        file.read_exact_at(&mut buf, 0).ok()?;
        let mut fields: Vec<Vec<u8>> = buf.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
        // The text ends with a NUL: the split leaves an empty last piece.
        if fields.last().is_some_and(Vec::is_empty) {
            fields.pop();
        }
        (fields.len() == 1 + state::DUMP_FIELDS && fields[0] == b"state").then_some(fields)
    }
}

impl Session {
    pub fn start(opts: &SessionOptions, stop: Stop) -> std::io::Result<Session> {
        let (ctrl, ctrl_w) = std::io::pipe()?;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&opts.log)?;
        let sources = tempfile::Builder::new().prefix("labrun-src-").tempdir()?;
        let mut cmd = Command::new(&opts.bash);
        cmd.args(["--noprofile", "--norc", "-s"])
            .current_dir(&opts.work_dir)
            .envs(opts.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(log.try_clone()?)
            .stderr(log);
        let fd = ctrl_w.as_raw_fd();
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                // Its own session: no terminal signals reach the lab, and
                // the lab's processes are found by session id at the end.
                if nix::libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if fd == 3 {
                    let flags = nix::libc::fcntl(3, nix::libc::F_GETFD);
                    nix::libc::fcntl(3, nix::libc::F_SETFD, flags & !nix::libc::FD_CLOEXEC);
                } else if nix::libc::dup2(fd, 3) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn()?;
        drop(ctrl_w);
        let keeper = child.id() as i32;
        procs::register_child(keeper);
        let watchdog = match Watchdog::start(&opts.bash, keeper) {
            Ok(w) => Some(w),
            Err(e) => {
                let _ = kill(Pid::from_raw(keeper), Signal::SIGKILL);
                let _ = waitpid(Pid::from_raw(keeper), None);
                procs::unregister_child(keeper);
                return Err(e);
            }
        };
        let stdin = child.stdin.take();
        // We reap the keeper ourselves by pid (see `close`).
        drop(child);
        let mut session = Session {
            keeper,
            stdin,
            ctrl,
            buf: Vec::new(),
            state: ShellState::default(),
            names: state::OptionNames::default(),
            groups: Vec::new(),
            stop,
            closed: false,
            scratch: Scratch::new(),
            watchdog,
            sources,
            named: std::collections::HashSet::new(),
            prelude: String::new(),
        };
        let mut init = String::from(PRELUDE);
        if let Some(sc) = &session.scratch {
            init.push_str(&format!("__lr_dump_to={}\n", quote(&sc.paths[2])));
        }
        init.push_str(&opts.prelude);
        if !init.ends_with('\n') {
            init.push('\n');
        }
        session.prelude = init.clone();
        if let Err(e) = session.send(&init).and_then(|_| session.read_back()) {
            session.close();
            return Err(e);
        }
        Ok(session)
    }

    /// Asks the keeper for its whole state and takes it as the session's.
    fn read_back(&mut self) -> std::io::Result<()> {
        self.send("__lr_dump init 0 \"$-\" >&3\n")?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            match self.next_msg(deadline)? {
                Some(Msg::State(mut fields)) => {
                    fields[1] = b"0".to_vec();
                    let dump = state::parse_dump(&fields[1..]).ok_or_else(|| {
                        std::io::Error::other("the session shell sent a state it cannot read")
                    })?;
                    self.state = dump.state;
                    self.names = dump.names;
                    return Ok(());
                }
                Some(_) => {}
                None => return Err(std::io::Error::other("the session shell did not answer")),
            }
        }
    }

    /// Brings the session to `target` (a state an earlier run saved, see
    /// [`super::resume`]): variables, functions, aliases, options and the
    /// directory; then defines labrun's own helpers again, so that they
    /// are this run's whatever the target held.
    pub fn restore(&mut self, target: &ShellState) -> std::io::Result<()> {
        if let Some(script) = self.state.restore_script(target, &self.names) {
            self.submit(0, &script)?;
        }
        let prelude = self.prelude.clone();
        self.send(&prelude)?;
        self.read_back()
    }

    /// The keeper's pid (also the session id of everything a lab runs).
    pub fn pid(&self) -> i32 {
        self.keeper
    }

    /// The state the keeper holds now.
    pub fn state(&self) -> &ShellState {
        &self.state
    }

    fn send(&mut self, text: &str) -> std::io::Result<()> {
        match self.stdin.as_mut() {
            Some(s) => s.write_all(text.as_bytes()),
            None => Err(std::io::ErrorKind::BrokenPipe.into()),
        }
    }

    /// Hands the keeper a script to run at its top level. bash reads a pipe
    /// one byte per system call (so as not to read past its command), which
    /// costs more than the rest of a short block; so the text goes into an
    /// in-memory file that bash sources with one `read`, and only the short
    /// `.` command crosses the pipe. `slot` keeps the restore script and the
    /// block apart: the keeper may still be about to source one while the
    /// other is written.
    fn submit(&mut self, slot: usize, text: &str) -> std::io::Result<()> {
        if let Some(scratch) = &self.scratch {
            use std::os::unix::fs::FileExt;
            let file = &scratch.files[slot];
            file.set_len(0)?;
            file.write_all_at(text.as_bytes(), 0)?;
            let line = format!(". {}\n", scratch.paths[slot]);
            return self.send(&line);
        }
        self.send(text)
    }

    /// Runs a block's script ([`super::transcript::block_script`]) in a
    /// subshell of its own, its output appended to `log`. `name` is the
    /// page as bash should name it in its diagnostics (a relative path).
    pub fn run_block(
        &mut self,
        name: &str,
        script: &str,
        log: &Path,
        timeout: Duration,
        on: &mut dyn FnMut(Event),
    ) -> std::io::Result<Finished> {
        let name = source_name(name);
        let file = self.sources.path().join(&name);
        if !self.named.contains(&name) {
            if let Some(dir) = file.parent() {
                std::fs::create_dir_all(dir)?;
            }
            if let Some(sc) = &self.scratch {
                std::os::unix::fs::symlink(&sc.paths[BLOCK], &file)?;
            }
            self.named.insert(name.clone());
        }
        // The script goes to memory when it can: a file written per block
        // would cost a disk write (and a discard) each time.
        match &self.scratch {
            Some(sc) => {
                use std::os::unix::fs::FileExt;
                sc.files[BLOCK].set_len(0)?;
                sc.files[BLOCK].write_all_at(script.as_bytes(), 0)?;
            }
            None => std::fs::write(&file, script)?,
        }
        let dir = self.sources.path().to_string_lossy();
        let log = quote(&log.to_string_lossy());
        let line = format!(
            "builtin set -m; ( {{ builtin set +m; builtin printf 'pid\\0%s\\0' \"$BASHPID\" >&3; builtin trap '{{ __lr_end \"$?\" 0; }} 2>/dev/null' EXIT; __lr_x=$-; builtin set +x; builtin exec {{__lr_cap}}>>{log} {{__lr_null}}>/dev/null; __lr_pwd=$PWD; builtin unset -v __lr_opwd __lr_moved; [[ -z ${{OLDPWD+set}} ]] || __lr_opwd=$OLDPWD; [[ -d $PWD && -x $PWD ]] && builtin cd -- {dir} && __lr_moved=1; }} 2>/dev/null; if [[ -n ${{__lr_moved-}} ]]; then builtin . {rel}; else builtin . {abs}; fi; {{ __lr_end \"$?\" 0; }} 2>/dev/null ) </dev/null >>{log} 2>&1 & builtin set +m; __lr_wait \"$!\"\n",
            dir = quote(&dir),
            rel = quote(&name),
            abs = quote(&file.to_string_lossy()),
        );
        let finished = self.run_job(&line, timeout, on)?;
        if let Some(dump) = &finished.dump {
            self.adopt(dump.state.clone())?;
        }
        Ok(finished)
    }

    /// Runs a program (a hook) as a separate process with the session's
    /// exported variables and directory plus `env`, in a process group of
    /// its own, its output appended to `log`.
    pub fn run_program(
        &mut self,
        argv: &[String],
        env: &[(String, String)],
        log: &Path,
        timeout: Duration,
        on: &mut dyn FnMut(Event),
    ) -> std::io::Result<Finished> {
        let mut inner = String::new();
        for (k, v) in env {
            inner.push_str(&format!("builtin export {k}={}; ", quote(v)));
        }
        inner.push_str("builtin exec");
        for a in argv {
            inner.push(' ');
            inner.push_str(&quote(a));
        }
        let line = format!(
            "builtin set -m; ( builtin set +m; builtin printf 'pid\\0%s\\0' \"$BASHPID\" >&3; {inner} ) </dev/null >>{} 2>&1 & builtin set +m; __lr_wait \"$!\"\n",
            quote(&log.to_string_lossy())
        );
        self.run_job(&line, timeout, on)
    }

    /// Makes the keeper's state equal to `new`, sending only what changed.
    fn adopt(&mut self, new: ShellState) -> std::io::Result<()> {
        if let Some(script) = self.state.restore_script(&new, &self.names) {
            self.submit(0, &script)?;
        }
        self.state = new;
        Ok(())
    }

    fn run_job(
        &mut self,
        line: &str,
        timeout: Duration,
        on: &mut dyn FnMut(Event),
    ) -> std::io::Result<Finished> {
        let start = Instant::now();
        let mut finished = Finished {
            end: End::SessionLost,
            dump: None,
            last_command: None,
            commands: Vec::new(),
            elapsed: Duration::ZERO,
        };
        if self.submit(1, line).is_err() {
            finished.elapsed = start.elapsed();
            return Ok(finished);
        }
        let deadline = crate::limits::deadline(start, timeout);
        let mut pid: Option<i32> = None;
        let mut killed: Option<End> = None;
        // Why the job must end, decided before its pid came: the kill waits
        // for the pid (reading the pipe, not spinning), or for the grace.
        let mut pending: Option<(End, Instant)> = None;
        loop {
            let wake_at = if killed.is_some() || pending.is_some() {
                Instant::now() + TICK
            } else {
                deadline.min(Instant::now() + TICK)
            };
            match self.next_msg(wake_at)? {
                Some(Msg::Pid(p)) => {
                    pid = Some(p);
                    self.groups.push(p);
                    if let Some((why, _)) = pending.take() {
                        killed = Some(why);
                        self.kill_group(p);
                    }
                }
                Some(Msg::Cmd(l, at)) => {
                    finished.last_command = Some(l);
                    finished.commands.push(CommandStart {
                        line: l,
                        output_at: at,
                    });
                    on(Event::Command(l));
                }
                Some(Msg::State(fields)) => finished.dump = state::parse_dump(&fields[1..]),
                Some(Msg::Dumped) => {
                    finished.dump = self
                        .scratch
                        .as_ref()
                        .and_then(Scratch::read_dump)
                        .and_then(|f| state::parse_dump(&f[1..]));
                }
                Some(Msg::Done(p, status)) if Some(p) == pid || pid.is_none() => {
                    if killed.is_none() {
                        killed = pending.take().map(|(why, _)| why);
                    }
                    finished.end = killed.unwrap_or(End::Exited(status));
                    if let (End::Exited(_), Some(d)) = (&finished.end, &finished.dump) {
                        // The subshell's own status wins: the keeper sees the
                        // same number, but the dump also knows the line.
                        finished.end = End::Exited(d.status);
                    }
                    if killed.is_some() {
                        finished.dump = None;
                    }
                    break;
                }
                Some(Msg::Done(..)) => {}
                None => {
                    on(Event::Tick);
                    if !self.keeper_alive() {
                        finished.end = End::SessionLost;
                        finished.dump = None;
                        self.closed = true;
                        break;
                    }
                    if let Some((_, since)) = pending
                        && since.elapsed() >= KILL_GRACE
                    {
                        // The keeper never started the job: it is stuck,
                        // and a session that cannot run a job is lost.
                        let _ = kill(Pid::from_raw(self.keeper), Signal::SIGKILL);
                        finished.end = End::SessionLost;
                        finished.dump = None;
                        self.closed = true;
                        break;
                    }
                    if killed.is_none() && pending.is_none() {
                        let why = if self.stop.is_set() {
                            Some(End::Interrupted)
                        } else if Instant::now() >= deadline {
                            Some(End::TimedOut)
                        } else {
                            None
                        };
                        match (why, pid) {
                            (Some(why), Some(p)) => {
                                killed = Some(why);
                                self.kill_group(p);
                            }
                            (Some(why), None) => pending = Some((why, Instant::now())),
                            (None, _) => {}
                        }
                    }
                }
            }
        }
        finished.elapsed = start.elapsed();
        Ok(finished)
    }

    /// Ends a job's process group and tree: SIGTERM, a grace period, SIGKILL.
    fn kill_group(&mut self, pgid: i32) {
        let targets = Targets::group_tree(pgid);
        // Keep reading the pipe meanwhile so that no writer blocks on it.
        {
            let ctrl = &mut self.ctrl;
            let buf = &mut self.buf;
            targets.terminate(KILL_GRACE, &mut || {
                let mut fds = [PollFd::new(ctrl.as_fd(), PollFlags::POLLIN)];
                if poll(&mut fds, PollTimeout::ZERO).unwrap_or(0) > 0 {
                    let mut chunk = [0u8; 4096];
                    if let Ok(n) = ctrl.read(&mut chunk) {
                        buf.extend_from_slice(&chunk[..n]);
                    }
                }
            });
        }
    }

    fn keeper_alive(&self) -> bool {
        !self.closed && procs::alive(self.keeper)
    }

    /// The next complete message, or `None` once `until` has passed. An
    /// interrupt also returns `None` early.
    fn next_msg(&mut self, until: Instant) -> std::io::Result<Option<Msg>> {
        loop {
            if let Some(m) = self.take_msg() {
                return Ok(Some(m));
            }
            let now = Instant::now();
            if now >= until {
                return Ok(None);
            }
            let ms = (until - now).as_millis().min(i32::MAX as u128) as i32;
            let ms = ms.max(1);
            let stop_fd = self.stop.wake_fd();
            let ready = {
                let mut fds = vec![PollFd::new(self.ctrl.as_fd(), PollFlags::POLLIN)];
                if let Some(fd) = stop_fd {
                    fds.push(PollFd::new(fd, PollFlags::POLLIN));
                }
                match poll(
                    &mut fds,
                    PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
                ) {
                    Ok(_) => {}
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(e) => return Err(e.into()),
                }
                let ctrl_ready = fds[0].any().unwrap_or(false);
                let stop_ready = fds.get(1).is_some_and(|f| f.any().unwrap_or(false));
                (ctrl_ready, stop_ready)
            };
            if ready.1 {
                self.stop.drain();
                return Ok(None);
            }
            if ready.0 {
                let mut chunk = [0u8; 4096];
                let n = self.ctrl.read(&mut chunk)?;
                if n == 0 {
                    // Every writer is gone: the keeper and all it started.
                    self.closed = true;
                    return Ok(None);
                }
                self.buf.extend_from_slice(&chunk[..n]);
            }
        }
    }

    fn take_msg(&mut self) -> Option<Msg> {
        let mut fields: Vec<&[u8]> = Vec::new();
        let mut pos = 0;
        let arity = |tag: &[u8]| match tag {
            b"dumped" => Some(1),
            b"pid" => Some(2),
            b"cmd" | b"done" => Some(3),
            b"state" => Some(1 + state::DUMP_FIELDS),
            _ => None,
        };
        loop {
            let rest = &self.buf[pos..];
            let end = rest.iter().position(|&b| b == 0)?;
            fields.push(&rest[..end]);
            pos += end + 1;
            match arity(fields[0]) {
                Some(n) if fields.len() == n => break,
                Some(_) => {}
                None => {
                    // Not ours (cannot happen unless a block writes to fd 3):
                    // skip the field and resynchronise on the next one.
                    self.buf.drain(..pos);
                    return self.take_msg();
                }
            }
        }
        let num = |f: &[u8]| {
            String::from_utf8_lossy(f)
                .trim()
                .parse::<i64>()
                .unwrap_or(0)
        };
        let msg = match fields[0] {
            b"pid" => Msg::Pid(num(fields[1]) as i32),
            b"cmd" => Msg::Cmd(
                num(fields[1]) as u32,
                String::from_utf8_lossy(fields[2]).trim().parse().ok(),
            ),
            b"done" => Msg::Done(num(fields[1]) as i32, num(fields[2]) as i32),
            b"dumped" => Msg::Dumped,
            _ => Msg::State(fields.iter().map(|f| f.to_vec()).collect()),
        };
        self.buf.drain(..pos);
        Some(msg)
    }

    /// Ends the session and everything it started: every process in its
    /// session or process groups, or below the keeper.
    pub fn close(&mut self) {
        if let Some(w) = self.watchdog.take() {
            w.stop();
        }
        if self.stdin.is_none() && self.closed {
            return;
        }
        let procs_now = procs::snapshot();
        let mut targets = Targets::default();
        for p in &procs_now {
            if (p.session == self.keeper || self.groups.contains(&p.pgrp)) && !p.is_zombie() {
                targets.pids.insert(p.pid);
                if p.pgrp != self.keeper && self.groups.contains(&p.pgrp) {
                    targets.groups.insert(p.pgrp);
                }
            }
        }
        targets
            .pids
            .extend(procs::descendants(&procs_now, self.keeper));
        targets.pids.insert(self.keeper);
        self.stdin = None;
        targets.terminate(Duration::from_secs(1), &mut || {});
        let _ = kill(Pid::from_raw(self.keeper), Signal::SIGKILL);
        match waitpid(Pid::from_raw(self.keeper), Some(WaitPidFlag::empty())) {
            Ok(WaitStatus::Exited(..)) | Ok(WaitStatus::Signaled(..)) | Ok(_) | Err(_) => {}
        }
        procs::unregister_child(self.keeper);
        procs::reap_orphans();
        self.closed = true;
    }
}

/// `name` as a path the session may create below its private directory:
/// its normal components only (no root, no `..`); a bare file name gets
/// `./`, so that `.` does not look for it on `PATH`.
fn source_name(name: &str) -> String {
    use std::path::Component;
    let parts: Vec<String> = Path::new(name)
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    match parts.as_slice() {
        [] => "./block".to_owned(),
        [one] => format!("./{one}"),
        _ => parts.join("/"),
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(dir: &Path) -> Session {
        let opts = SessionOptions {
            bash: PathBuf::from("bash"),
            work_dir: dir.to_owned(),
            env: vec![("LABRUN_TEST".into(), "1".into())],
            log: dir.join("session.log"),
            prelude: String::new(),
        };
        Session::start(&opts, Stop::new().unwrap()).unwrap()
    }

    /// Runs commands as a block of a page: the fence on line 1, command
    /// `i` (from 0) on page line `i + 2`.
    fn block(s: &mut Session, dir: &Path, commands: &[&str]) -> Finished {
        let (f, _) = run_page_block(s, dir, commands);
        f
    }

    fn run_page_block(
        s: &mut Session,
        dir: &Path,
        commands: &[&str],
    ) -> (Finished, super::super::transcript::BlockScript) {
        let mut md = String::from("```bash\n");
        for c in commands {
            md.push_str(&format!("$ {c}\n"));
        }
        md.push_str("```\n");
        run_markdown(s, dir, "content/en/lab/page.md", &md)
    }

    /// Runs the first block of a page's Markdown, named `name`.
    fn run_markdown(
        s: &mut Session,
        dir: &Path,
        name: &str,
        md: &str,
    ) -> (Finished, super::super::transcript::BlockScript) {
        let page = crate::markdown::parse_page(Path::new("p.md"), "p.md", "en", md.as_bytes());
        let script = super::super::transcript::block_script(
            &page.blocks[0],
            &std::collections::BTreeMap::new(),
        );
        let f = s
            .run_block(
                name,
                &script.text,
                &dir.join("out.log"),
                Duration::from_secs(20),
                &mut |_| {},
            )
            .unwrap();
        (f, script)
    }

    fn log(dir: &Path) -> String {
        std::fs::read_to_string(dir.join("out.log")).unwrap_or_default()
    }

    #[test]
    fn state_survives_the_users_options_and_functions() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        // The user's strict mode and functions shadowing builtins must not
        // break the session's own helpers.
        let f = block(
            &mut s,
            d,
            &[
                "set -euo pipefail",
                "set -o noclobber",
                "printf() { echo hijacked; }",
                "wait() { return 9; }",
                "alias set=false",
                "A=1; declare -A M=([k]='v w')",
            ],
        );
        assert_eq!(f.end, End::Exited(0));
        // Under the user's `set -e` the subshell exits at `false`; its EXIT
        // trap still reports the state, and the last command names the line.
        let f = block(
            &mut s,
            d,
            &["test \"$A\" = 1", "B=2", "false", "echo not reached"],
        );
        assert_eq!(f.end, End::Exited(1));
        assert!(f.dump.is_some());
        assert_eq!(f.last_command, Some(4));
        let f = block(
            &mut s,
            d,
            &[
                "test \"${M[k]}\" = 'v w'",
                "[[ -o nounset ]]",
                "test $B = 2",
            ],
        );
        assert_eq!(f.end, End::Exited(0), "{}", log(d));
    }

    #[test]
    fn a_new_session_takes_a_saved_state() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        let f = block(
            &mut s,
            d,
            &[
                "greet() { echo \"hi $1\"; }",
                "alias ll='echo listed'",
                "export WHO=you; set -o pipefail; mkdir -p sub && cd sub",
            ],
        );
        assert_eq!(f.end, End::Exited(0), "{}", log(d));
        let saved = s.state().clone();
        s.close();
        let mut t = session(d);
        t.restore(&saved).unwrap();
        assert_eq!(t.state().pwd, saved.pwd);
        let f = block(
            &mut t,
            d,
            &[
                "test \"$(greet \"$WHO\")\" = 'hi you'",
                "test \"$(ll)\" = listed",
                "[[ -o pipefail ]]",
                "test \"${PWD##*/}\" = sub",
            ],
        );
        assert_eq!(f.end, End::Exited(0), "{}", log(d));
    }

    #[test]
    fn bash_names_the_page_and_line_of_a_failing_command() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        let f = block(&mut s, d, &["echo hi", "greet"]);
        assert_eq!(f.end, End::Exited(127));
        assert_eq!(f.last_command, Some(3));
        let out = log(d);
        assert!(
            out.contains("content/en/lab/page.md: line 3: greet: command not found"),
            "{out}"
        );
        assert!(!out.contains("/proc/"), "{out}");
        // The log shows each command before its output, as a terminal does.
        assert!(out.starts_with("$ echo hi\nhi\n$ greet\n"), "{out}");
    }

    #[test]
    fn lines_far_down_a_page_are_still_the_pages() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        let md = format!(
            "{}```bash\n$ echo one\none\n\n$ greet\n```\n",
            "text\n".repeat(400)
        );
        let (f, _) = run_markdown(&mut s, d, "far.md", &md);
        assert_eq!(f.end, End::Exited(127));
        assert_eq!(f.last_command, Some(405));
        assert!(
            log(d).contains("far.md: line 405: greet: command not found"),
            "{}",
            log(d)
        );
    }

    #[test]
    fn the_blocks_directory_and_last_argument_are_the_users() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        let f = block(
            &mut s,
            d,
            &[
                "mkdir -p one two",
                "cd two && cd ../one",
                "test \"$(basename \"$OLDPWD\")\" = two",
                "mkdir -p deeper",
                "cd $_",
                "test \"$(basename \"$PWD\")\" = deeper",
                "set -x",
                "echo traced",
            ],
        );
        assert_eq!(f.end, End::Exited(0), "{}", log(d));
        // The next block starts where this one ended, tracing only what
        // the page runs.
        std::fs::remove_file(d.join("out.log")).unwrap();
        let f = block(&mut s, d, &["test \"$(basename \"$PWD\")\" = deeper"]);
        assert_eq!(f.end, End::Exited(0), "{}", log(d));
        let out = log(d);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert_eq!(lines[0], "$ test \"$(basename \"$PWD\")\" = deeper");
        assert!(
            lines[1].ends_with(&format!(" basename {}", s.state().pwd)),
            "{out}"
        );
        assert!(lines[2].ends_with(" test deeper = deeper"), "{out}");
    }

    #[test]
    fn each_commands_output_is_found_in_the_log() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        std::fs::write(d.join("out.log"), "earlier\n").unwrap();
        let (f, script) = run_page_block(
            &mut s,
            d,
            &[
                "echo one; echo err >&2",
                "true",
                "printf 'x\\n$ echo three\\n'",
                "echo three",
            ],
        );
        assert_eq!(f.end, End::Exited(0));
        let bytes = std::fs::read(d.join("out.log")).unwrap();
        let start = "earlier\n".len();
        let (before, outs) =
            super::super::transcript::split(&bytes[start..], start as u64, &script, &f.commands);
        assert!(before.is_empty());
        let texts: Vec<(u32, String)> = outs
            .into_iter()
            .map(|o| (o.line, String::from_utf8(o.bytes).unwrap()))
            .collect();
        assert_eq!(
            texts,
            [
                (2, "one\nerr\n".to_owned()),
                (3, String::new()),
                (4, "x\n$ echo three\n".to_owned()),
                (5, "three\n".to_owned()),
            ]
        );
    }

    #[test]
    fn without_in_memory_files_everything_goes_through_the_pipes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        // As on a system without /proc: commands inline, dumps on fd 3.
        s.scratch = None;
        s.send("__lr_dump_to=\n").unwrap();
        let big = "x".repeat(100_000);
        let f = block(
            &mut s,
            d,
            &[&format!("BIG={big}"), "f() { echo fn; }", "cd /"],
        );
        assert_eq!(f.end, End::Exited(0));
        let f = block(
            &mut s,
            d,
            &["test ${#BIG} = 100000", "f | grep -q fn", "test $PWD = /"],
        );
        assert_eq!(f.end, End::Exited(0));
    }

    #[test]
    fn exit_in_a_block_ends_the_block_and_keeps_the_state() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        assert_eq!(block(&mut s, d, &["KEEP=yes"]).end, End::Exited(0));
        let f = block(&mut s, d, &["SET=yes", "exit 3", "NOT=reached"]);
        assert_eq!(f.end, End::Exited(3));
        assert_eq!(f.last_command, Some(3));
        let f = block(
            &mut s,
            d,
            &["test \"$KEEP$SET\" = yesyes", "test -z \"${NOT-}\""],
        );
        assert_eq!(f.end, End::Exited(0));
        // A block that takes the EXIT trap for itself loses its changes
        // when it exits early, but the session goes on.
        let f = block(&mut s, d, &["trap 'echo bye' EXIT", "LOST=yes", "exit 4"]);
        assert_eq!(f.end, End::Exited(4));
        assert!(f.dump.is_none());
        let f = block(&mut s, d, &["test -z \"${LOST-}\""]);
        assert_eq!(f.end, End::Exited(0));
    }

    #[test]
    fn programs_see_exported_variables_and_the_directory_only() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        block(
            &mut s,
            d,
            &["export E=exported", "P=plain", "mkdir -p x && cd x"],
        );
        let out = d.join("prog.log");
        let f = s
            .run_program(
                &[
                    "bash".into(),
                    "-c".into(),
                    "echo \"$E|${P-}|${EXTRA}|${PWD##*/}|$LABRUN_TEST\"".into(),
                ],
                &[("EXTRA".into(), "it's \"quoted\"".into())],
                &out,
                Duration::from_secs(20),
                &mut |_| {},
            )
            .unwrap();
        assert_eq!(f.end, End::Exited(0));
        assert_eq!(
            std::fs::read_to_string(out).unwrap(),
            "exported||it's \"quoted\"|x|1\n"
        );
    }

    #[test]
    fn a_zero_timeout_and_an_early_stop_end_the_block_before_its_pid_is_known() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        // The deadline has passed before the subshell reports its pid: the
        // session must wait for the pid and kill, not spin forever.
        let start = Instant::now();
        let f = s
            .run_block(
                "content/en/lab/index.md",
                "sleep 30\n",
                &d.join("out.log"),
                Duration::ZERO,
                &mut |_| {},
            )
            .unwrap();
        assert_eq!(f.end, End::TimedOut);
        assert!(start.elapsed() < Duration::from_secs(10));
        // A stop that came before the job started ends it as well.
        s.stop.trigger();
        let start = Instant::now();
        let f = block(&mut s, d, &["sleep 30"]);
        assert_eq!(f.end, End::Interrupted);
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn the_watchdog_ends_the_session_when_the_pipe_closes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        // A background job outlives its block, in the keeper's session.
        let f = block(&mut s, d, &["sleep 300 & echo $! > bg.pid"]);
        assert_eq!(f.end, End::Exited(0));
        let bg: i32 = std::fs::read_to_string(d.join("bg.pid"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let keeper = s.pid();
        assert!(procs::alive(bg) && procs::alive(keeper));
        // As if labrun died: its end of the pipe closes, nothing else runs.
        let w = s.watchdog.take().unwrap();
        drop(w._pipe);
        let start = Instant::now();
        while (procs::alive(bg) || procs::alive(keeper))
            && start.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(!procs::alive(bg), "the background job survived");
        assert!(!procs::alive(keeper), "the keeper survived");
        let _ = waitpid(Pid::from_raw(w.pid), None);
        procs::unregister_child(w.pid);
        s.close();
    }

    #[test]
    fn a_stop_ends_the_running_block() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let mut s = session(d);
        let stop = s.stop.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            stop.trigger();
        });
        let start = Instant::now();
        let f = block(&mut s, d, &["sleep 30"]);
        t.join().unwrap();
        assert_eq!(f.end, End::Interrupted);
        assert!(start.elapsed() < Duration::from_secs(10));
        let keeper = s.pid();
        s.close();
        assert!(!procs::alive(keeper));
    }
}
