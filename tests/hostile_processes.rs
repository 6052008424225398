//! labrun killed mid-block: SIGHUP ends the run like SIGTERM (reports
//! written, exit 130), and even SIGKILL, which labrun cannot see, leaves no
//! process of the lab running: not the session shell, not the block, not
//! what the block started in the background.

mod hostile_support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use hostile_support::{World, alive, command, wait_for_file};

/// A lab whose block records the session shell (`$$`), the block's
/// subshell and a background child, then sleeps.
fn sleeper() -> World {
    let w = World::new("locales: [en]\n", &[]);
    let pids = w.dir.path().join("pids");
    let text = format!(
        "---\ntitle: Sleeper\n---\n\n```bash timeout=600\n$ sleep 300 & echo \"$$ $BASHPID $!\" > {}\n$ sleep 300\n```\n",
        pids.display()
    );
    w.write("content/en/lab/index.md", &text);
    w
}

fn pids(w: &World) -> Vec<i32> {
    let text = wait_for_file(&w.dir.path().join("pids"), Duration::from_secs(30));
    let pids: Vec<i32> = text
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 3, "{text}");
    pids
}

fn all_gone(pids: &[i32], within: Duration) -> Vec<i32> {
    let start = Instant::now();
    loop {
        let left: Vec<i32> = pids.iter().copied().filter(|&p| alive(p)).collect();
        if left.is_empty() || start.elapsed() > within {
            return left;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn signal(pid: u32, sig: i32) {
    // SAFETY: kill has no memory preconditions.
    assert_eq!(unsafe { nix::libc::kill(pid as i32, sig) }, 0);
}

#[test]
fn sigkill_leaves_no_process_of_the_lab_behind() {
    let w = sleeper();
    let mut child = command(&w.project(), &["run", "lab"])
        .env("TMPDIR", w.dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lab = pids(&w);
    assert!(lab.iter().all(|&p| alive(p)), "{lab:?}");
    signal(child.id(), nix::libc::SIGKILL);
    child.wait().unwrap();
    let left = all_gone(&lab, Duration::from_secs(15));
    // Clean up whatever survived before failing.
    for &p in &left {
        // SAFETY: as above.
        unsafe { nix::libc::kill(p, nix::libc::SIGKILL) };
    }
    assert!(left.is_empty(), "still running after labrun died: {left:?}");
}

#[test]
fn sighup_ends_the_run_like_sigterm_with_reports() {
    let w = sleeper();
    let report = w.dir.path().join("report.json");
    let child = command(
        &w.project(),
        &["run", "lab", "--report-json", report.to_str().unwrap()],
    )
    .env("TMPDIR", w.dir.path())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let lab = pids(&w);
    let start = Instant::now();
    signal(child.id(), nix::libc::SIGHUP);
    let out = child.wait_with_output().unwrap();
    assert!(start.elapsed() < Duration::from_secs(30));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("interrupted"), "{stdout}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["interrupted"], true);
    let left = all_gone(&lab, Duration::from_secs(10));
    for &p in &left {
        // SAFETY: as above.
        unsafe { nix::libc::kill(p, nix::libc::SIGKILL) };
    }
    assert!(left.is_empty(), "still running: {left:?}");
}
