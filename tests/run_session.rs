//! End-to-end: one shell session per lab, with real processes. State carries
//! over, annotations act, a timeout and Ctrl-C end whole process trees.

mod run_support;

use std::time::{Duration, Instant};

use run_support::*;

#[test]
fn state_carries_over_and_annotations_act() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &["state", "--report-json", s.path("r.json").to_str().unwrap()],
    );
    // A warning (expectError block that succeeded) does not fail the run.
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let r = s.json("r.json");
    let got = statuses(&r);
    let want = [
        ("state/index.md", 8, "passed"),
        ("state/index.md", 23, "passed"), // alias defined and used in one block
        ("state/index.md", 29, "passed"),
        ("state/next.md", 6, "passed"), // variable, export, cwd, function, alias, options, arrays…
        ("state/next.md", 22, "skipped"), // test=false
        ("state/next.md", 28, "passed"), // expectError=true that fails
        ("state/next.md", 34, "warning"), // expectError=true that succeeds
        ("state/next.md", 38, "passed"), // raw=true
        ("state/next.md", 44, "passed"), // wait=1
        ("state/next.md", 48, "passed"), // the file written during the wait is there
    ];
    let want: Vec<(String, u64, String)> = want
        .iter()
        .map(|(p, l, st)| (p.to_string(), *l, st.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(block(&r, "state/next.md", 22)["skip_reason"], "test-false");
    assert_eq!(block(&r, "state/next.md", 28)["exit_code"], 1);
    assert!(
        block(&r, "state/next.md", 44)["duration_ms"]
            .as_u64()
            .unwrap()
            >= 1000
    );
    assert_eq!(r["totals"]["warnings"], 1);
    assert!(
        stdout(&o).contains("expectError=true, but the block succeeded"),
        "{}",
        stdout(&o)
    );
    // The log holds the commands and their output.
    let log =
        std::fs::read_to_string(block(&r, "state/next.md", 38)["log"].as_str().unwrap()).unwrap();
    assert!(log.contains("raw works"), "{log}");
}

#[test]
fn without_the_first_page_the_state_checks_fail() {
    // The same checks fail when the page that sets the state did not run:
    // the passing test above is not passing by accident.
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "state",
            "--from",
            "state/next.md",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    let r = s.json("r.json");
    let b = block(&r, "state/next.md", 6);
    assert_eq!(b["status"], "failed");
    assert_eq!(b["command"]["line"], 7);
    assert_eq!(block(&r, "state/index.md", 8)["skip_reason"], "from");
}

#[test]
fn a_timeout_kills_the_block_and_everything_it_started() {
    let s = Scratch::new();
    let pid_file = s.path("pids");
    let var = format!("PIDS={}", pid_file.display());
    let start = Instant::now();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "timeout",
            "--var",
            &var,
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    );
    let elapsed = start.elapsed();
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    // timeout=1 plus at most the kill grace; nowhere near the sleeps.
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    let r = s.json("r.json");
    let b = block(&r, "timeout/index.md", 14);
    assert_eq!(b["status"], "timed-out");
    assert_eq!(b["failure"], "timeout");
    assert_eq!(b["command"]["line"], 20);
    assert_eq!(b["command"]["text"], "sleep 120");
    // The state from before the hung block is kept; the hung block's is not.
    assert_eq!(block(&r, "timeout/after.md", 6)["status"], "passed");
    let out = stdout(&o);
    assert!(out.contains("content/en/timeout/index.md:14"), "{out}");
    assert!(out.contains("timed out after 1 s"), "{out}");
    // Background children, a grandchild, one in its own session, and the
    // block's shell: none survives.
    let pids = pids(&pid_file);
    assert_eq!(pids.len(), 4, "{pids:?}");
    for pid in pids {
        assert!(!running(pid), "process {pid} survived the timeout");
    }
}

fn wait_for_pids(file: &std::path::Path, n: usize) -> Vec<i32> {
    let start = Instant::now();
    loop {
        let p = pids(file);
        if p.len() >= n {
            return p;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the block never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn interrupt_mid_block(signal: nix::sys::signal::Signal) {
    let s = Scratch::new();
    let pid_file = s.path("pids");
    let var = format!("PIDS={}", pid_file.display());
    let json = s.path("r.json");
    let junit = s.path("r.xml");
    let child = spawn(
        &fixture("lab"),
        &s,
        &[
            "interrupt",
            "--var",
            &var,
            "--report-json",
            json.to_str().unwrap(),
            "--report-junit",
            junit.to_str().unwrap(),
        ],
    );
    let pids = wait_for_pids(&pid_file, 2);
    let sent = Instant::now();
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(10),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(code(&o), 130, "{}{}", stdout(&o), stderr(&o));
    let r = s.json("r.json");
    assert_eq!(r["interrupted"], true);
    assert_eq!(block(&r, "interrupt/index.md", 6)["status"], "passed");
    assert_eq!(
        block(&r, "interrupt/index.md", 10)["failure"],
        "interrupted"
    );
    assert_eq!(
        block(&r, "interrupt/index.md", 16)["skip_reason"],
        "interrupted"
    );
    assert!(junit.is_file());
    for pid in pids {
        assert!(!running(pid), "process {pid} survived the interrupt");
    }
    assert!(stdout(&o).contains("interrupted"), "{}", stdout(&o));
}

#[test]
fn sigint_mid_block_kills_it_writes_reports_and_exits_130() {
    interrupt_mid_block(nix::sys::signal::Signal::SIGINT);
}

#[test]
fn sigterm_does_the_same() {
    interrupt_mid_block(nix::sys::signal::Signal::SIGTERM);
}
