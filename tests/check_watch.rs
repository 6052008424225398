//! `labrun check --watch` end to end: the real binary, real files, real
//! file system events.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// A running `labrun check --watch --format json` and its report lines.
struct Watch {
    child: Child,
    lines: Receiver<String>,
}

impl Watch {
    fn start(dir: &Path, extra: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_labrun"))
            .args(["check", "--watch", "--format", "json"])
            .args(extra)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .env("LC_ALL", "C")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("labrun starts");
        let (tx, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watch { child, lines }
    }

    /// The next report, failing the test after 20 s.
    fn report(&self) -> serde_json::Value {
        let line = self
            .lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a report within 20 s");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rules(report: &serde_json::Value) -> Vec<String> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["file"].as_str().unwrap(),
                d["rule"].as_str().unwrap()
            )
        })
        .collect()
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/authoring"),
        dir.path(),
    );
    dir
}

#[test]
fn a_save_prints_the_new_findings_and_labrun_yaml_reloads() {
    let dir = project();
    let d = dir.path();
    let w = Watch::start(d, &[]);
    let first = w.report();
    assert_eq!(first["schema"], "labrun.check/v1");
    assert_eq!(first["summary"]["pages"], 4);
    assert!(rules(&first).is_empty(), "{first}");

    // A page is saved with a broken link and an unknown variable.
    let page = d.join("content/en/lab/next.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nSee [x](gone.md) in VAR::ZONE.\n")).unwrap();
    let r = w.report();
    assert_eq!(
        rules(&r),
        [
            "content/en/lab/next.md:link/broken",
            "content/en/lab/next.md:reference/unknown-variable"
        ]
    );
    assert_eq!(r["ok"], false);

    // A manifest loses the path a page shows: the pages naming it, in both
    // locales, are checked again.
    let m = d.join("manifests/app.yaml");
    let yaml = std::fs::read_to_string(&m).unwrap();
    std::fs::write(&m, yaml.replace("replicas: 3", "replica: 3")).unwrap();
    let r = w.report();
    let found = rules(&r);
    assert!(
        found.contains(&"content/en/lab/index.md:yaml/path-not-found".to_owned()),
        "{found:?}"
    );
    assert!(
        found.contains(&"content/ja/lab/index.md:yaml/path-not-found".to_owned()),
        "{found:?}"
    );

    // labrun.yaml gains the variable: the project is read again.
    let config = d.join("labrun.yaml");
    let c = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{c}  ZONE: a\n")).unwrap();
    let r = w.report();
    assert!(
        !rules(&r).iter().any(|f| f.contains("unknown-variable")),
        "{r}"
    );

    // An unusable labrun.yaml is reported and the watch goes on.
    std::fs::write(&config, "locales: [\n").unwrap();
    std::fs::write(&config, c).unwrap();
    let r = w.report();
    assert!(
        rules(&r).iter().any(|f| f.contains("unknown-variable")),
        "{r}"
    );
}

#[test]
fn paths_restrict_each_report_and_junit_is_refused() {
    let dir = project();
    let d = dir.path();
    let w = Watch::start(d, &["content/ja"]);
    assert_eq!(w.report()["summary"]["pages"], 2);
    std::fs::write(d.join("content/en/lab/next.md"), "no title, [x](gone.md)\n").unwrap();
    std::fs::write(
        d.join("content/ja/lab/next.md"),
        "# 後片付け\n\n## Cleanup\n\n[x](gone.md)\n",
    )
    .unwrap();
    // Findings in English pages are not shown; the Japanese one is.
    loop {
        let r = w.report();
        let found = rules(&r);
        assert!(
            found.iter().all(|f| f.starts_with("content/ja/")),
            "{found:?}"
        );
        if found == ["content/ja/lab/next.md:link/broken"] {
            break;
        }
    }
    let out = common::labrun(d, &["check", "--watch", "--format", "junit"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("JUnit"), "{err}");
}
