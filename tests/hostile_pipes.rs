//! A reader that goes away (`| head`, `| true`): every command stops
//! writing quietly and exits with the code it would have had, never with a
//! panic (exit 101).

mod hostile_support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use hostile_support::{World, command, page};

/// A project whose commands print a lot: 150 pages in English, half of them
/// translated, one translation stale (so `drift` and `check` have findings).
fn big_project() -> World {
    let mut files = Vec::new();
    for i in 0..150 {
        let text = page(
            &format!("Page {i}"),
            "timeout=30",
            "$ echo one\n$ echo two\n",
        );
        files.push((format!("content/en/lab/p{i:03}.md"), text.clone()));
        if i % 2 == 0 {
            let ja = text.replace("Intro.", "はじめに。").replace(
                "---\n\n",
                "tmdTranslationSourceHash: 00000000000000000000000000000000\n---\n\n",
            );
            files.push((format!("content/ja/lab/p{i:03}.md"), ja));
        }
    }
    files.push((
        "content/en/lab/broken.md".into(),
        "---\ntitle: B\n---\n\n[gone](./missing.md)\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    World::new("locales: [en, ja]\n", &refs)
}

/// Runs labrun with stdout a pipe whose reader is already gone: the first
/// write meets EPIPE. Returns (exit code, stderr).
fn with_closed_stdout(w: &World, args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = command(&w.project(), args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "{args:?} hangs");
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    (status.code(), err)
}

#[test]
fn a_closed_stdout_keeps_the_verdict_and_says_nothing() {
    let w = big_project();
    // (args, the exit code the command has with a reader)
    let cases: &[(&[&str], i32)] = &[
        (&["plan", "lab"], 0),
        (&["plan", "lab", "--format", "json"], 0),
        (&["check"], 1),
        (&["check", "--format", "json"], 1),
        (&["check", "--format", "github"], 1),
        (&["check", "--format", "junit"], 1),
        (&["drift"], 1),
        (&["drift", "--format", "json"], 1),
        (&["drift", "--format", "github"], 1),
        (&["time", "lab"], 0),
        (&["time", "lab", "--format", "json"], 0),
        (&["render", "lab"], 0),
        (&["run", "lab", "--dry-run"], 0),
        (&["--help"], 0),
    ];
    for (args, code) in cases {
        let with_reader = w.labrun(args);
        assert_eq!(with_reader.code, Some(*code), "{args:?}: {with_reader:?}");
        let (got, stderr) = with_closed_stdout(&w, args);
        assert_eq!(got, Some(*code), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn head_and_true_in_a_shell_pipeline() {
    let w = big_project();
    let labrun = env!("CARGO_BIN_EXE_labrun");
    for (pipeline, code) in [
        ("plan lab | head -c 10", 0),
        ("drift --format json | head -c 10", 1),
        ("check | true", 1),
        ("plan lab --format json | head -n 1", 0),
    ] {
        let (cmd, tail) = pipeline.split_once(" | ").unwrap();
        let script = format!(
            "set -o pipefail; ulimit -v 2097152; \"$LABRUN\" {cmd} 2>err.txt | {tail} >/dev/null; echo \"${{PIPESTATUS[0]}}\""
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(w.project())
            .env("LABRUN", labrun)
            .env("NO_COLOR", "1")
            .env("LANG", "C.UTF-8")
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        let status = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        let err = std::fs::read_to_string(w.path("err.txt")).unwrap();
        assert_eq!(status, code.to_string(), "{pipeline}: {err}");
        assert!(!err.contains("panicked"), "{pipeline}: {err}");
    }
}
