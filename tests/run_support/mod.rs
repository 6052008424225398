//! Helpers shared by the `labrun run` end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/run")
        .join(name)
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A test's scratch space: a trace file hooks and blocks append to, a pid
/// file, reports and logs.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn trace(&self) -> PathBuf {
        self.path("trace")
    }
    pub fn trace_lines(&self) -> Vec<String> {
        std::fs::read_to_string(self.trace())
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
    pub fn json(&self, name: &str) -> serde_json::Value {
        let text =
            std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap()
    }
}

/// The labrun binary, run in `dir` with a neutral English locale, no colour,
/// its logs in the scratch space and `TRACE` pointing at the trace file.
pub fn command(dir: &Path, scratch: &Scratch, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_labrun"));
    c.args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .env("TRACE", scratch.trace())
        .env("TMPDIR", scratch.dir.path());
    c
}

pub fn run(dir: &Path, scratch: &Scratch, args: &[&str]) -> Output {
    command(dir, scratch, args)
        .stdin(Stdio::null())
        .output()
        .expect("labrun runs")
}

pub fn spawn(dir: &Path, scratch: &Scratch, args: &[&str]) -> Child {
    command(dir, scratch, args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("labrun starts")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Each block of each page of each lab: (page path, line, status, skip reason).
pub fn blocks(report: &serde_json::Value) -> Vec<(String, u64, String, Option<String>)> {
    let mut out = Vec::new();
    for lab in report["labs"].as_array().unwrap() {
        for page in lab["pages"].as_array().unwrap() {
            for b in page["blocks"].as_array().unwrap() {
                out.push((
                    page["path"].as_str().unwrap().to_owned(),
                    b["line"].as_u64().unwrap(),
                    b["status"].as_str().unwrap().to_owned(),
                    b["skip_reason"].as_str().map(str::to_owned),
                ));
            }
        }
    }
    out
}

/// (page, line, status) of every block of a JSON report, in run order.
pub fn statuses(report: &serde_json::Value) -> Vec<(String, u64, String)> {
    blocks(report)
        .into_iter()
        .map(|(p, l, st, _)| (p, l, st))
        .collect()
}

pub fn block<'a>(report: &'a serde_json::Value, page: &str, line: u64) -> &'a serde_json::Value {
    for lab in report["labs"].as_array().unwrap() {
        for p in lab["pages"].as_array().unwrap() {
            if p["path"] == page {
                for b in p["blocks"].as_array().unwrap() {
                    if b["line"] == line {
                        return b;
                    }
                }
            }
        }
    }
    panic!("no block {page}:{line} in {report:#}")
}

/// Whether a process still runs (a zombie has ended).
pub fn running(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat[stat.rfind(')').unwrap() + 1..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            state != "Z" && state != "X"
        }
        Err(_) => false,
    }
}

pub fn pids(file: &Path) -> Vec<i32> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect()
}
