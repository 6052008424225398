//! Speed of `labrun check --watch`: from a one-page save to new findings on
//! a 750-page, 600-manifest workshop, against a full check of the same
//! tree measured in the same run.
//!
//! Generates the workshop (380 English + 380 Japanese pages, 601
//! manifests), then measures, each the median of several runs:
//! - baseline: a full check in this process (read and parse every page and
//!   manifest, run every rule), the work `labrun check` does after start;
//! - incremental, in this process: the file is written, then
//!   `Workspace::apply` and `Workspace::report` give the new findings. Three
//!   edits: a paragraph (one page re-checked), a heading other pages link to
//!   (the pages linking to it re-checked too), a manifest (the pages
//!   showing it);
//! - end to end: the real `labrun check --watch --format json` process;
//!   from writing the page to reading the new report on its stdout
//!   (inotify, the 5 ms batching quiet time, the re-check, JSON output).
//!
//! Target: end to end under 20 ms. Run: `cargo bench --bench watch`
//! (add `-- --runs N` for more runs).

#[path = "support/workshop.rs"]
mod workshop;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use labrun::check::incremental::Workspace;

/// 25 labs of 15 pages and 5 module pages in each locale: 760 pages;
/// 601 manifests.
const SHAPE: workshop::Shape = workshop::Shape {
    modules: 5,
    labs: 5,
    pages: 15,
    second_manifests: 9,
};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// An edit that toggles: odd runs break something, even runs repair it.
struct Edit {
    name: &'static str,
    file: PathBuf,
    good: String,
    bad: String,
    /// Findings the broken version has.
    findings: usize,
}

impl Edit {
    fn new(
        root: &Path,
        name: &'static str,
        rel: &str,
        bad: impl Fn(&str) -> String,
        findings: usize,
    ) -> Edit {
        let file = root.join(rel);
        let good = std::fs::read_to_string(&file).unwrap();
        let bad = bad(&good);
        assert_ne!(good, bad, "{name}: the edit changes nothing");
        Edit {
            name,
            file,
            good,
            bad,
            findings,
        }
    }

    fn write(&self, broken: bool) {
        std::fs::write(&self.file, if broken { &self.bad } else { &self.good }).unwrap();
    }
}

fn main() {
    let mut runs = 21;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(runs);
    }
    let runs = runs.max(2) & !1; // even: every edit is undone
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    workshop::generate(&root, &SHAPE);
    let project = labrun::content::Project::open(None, &root).unwrap();

    // Baseline: a full check, in process.
    let full_report = labrun::check::check(&project).unwrap();
    assert!(
        full_report.diagnostics.is_empty(),
        "generated tree has findings: {}",
        full_report.diagnostics[0]
    );
    let pages = full_report.files.len();
    let full = median(
        (0..runs.min(9))
            .map(|_| {
                let t = Instant::now();
                let r = labrun::check::check(&project).unwrap();
                let e = t.elapsed();
                assert!(r.diagnostics.is_empty());
                e
            })
            .collect(),
    );

    let edits = [
        Edit::new(
            &root,
            "paragraph (a broken link)",
            "content/en/m2/l2/p3.md",
            |t| format!("{t}\nSee [this](nowhere.md).\n"),
            1,
        ),
        Edit::new(
            &root,
            "heading other pages link to",
            "content/en/m2/l2/p3.md",
            // Its own `[↑](#setup)` and the previous page's `p3.md#setup`.
            |t| t.replacen("## Setup", "## Set up", 1),
            2,
        ),
        Edit::new(
            &root,
            "manifest two pages show",
            "manifests/modules/m2/l2/p3.yaml",
            |t| t.replacen("replicas:", "replica:", 1),
            2,
        ),
    ];

    let mut ws = Workspace::open(None, &root).unwrap();
    println!(
        "labrun check --watch bench: {pages} pages, {} manifests, median of {runs} saves",
        SHAPE.manifest_count()
    );
    println!("  full check (baseline)          {:8.2} ms", ms(full));
    let mut worst_ratio: f64 = 0.0;
    for edit in &edits {
        let mut times = Vec::new();
        let mut rechecked = 0;
        for i in 0..runs {
            let broken = i % 2 == 0;
            edit.write(broken);
            let t = Instant::now();
            let outcome = ws.apply(std::slice::from_ref(&edit.file)).unwrap();
            let report = ws.report();
            times.push(t.elapsed());
            rechecked = rechecked.max(outcome.rechecked);
            let want = if broken { edit.findings } else { 0 };
            assert_eq!(
                report.diagnostics.len(),
                want,
                "{}: {:?}",
                edit.name,
                report.diagnostics.first().map(|d| d.to_string())
            );
        }
        let m = median(times);
        worst_ratio = worst_ratio.max(ms(m) / ms(full));
        println!(
            "  incremental: {:<29}{:8.2} ms  ({:.3}x full; {rechecked} pages re-checked)",
            edit.name,
            ms(m),
            ms(m) / ms(full)
        );
    }
    drop(ws);

    // End to end: the real process, from the write to the new report.
    let mut child = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(["check", "--watch", "--format", "json"])
        .current_dir(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut next = || lines.next().unwrap().unwrap();
    let _first = next();
    let edit = &edits[0];
    let mut times = Vec::new();
    for i in 0..runs {
        let broken = i % 2 == 0;
        let t = Instant::now();
        edit.write(broken);
        let line = next();
        times.push(t.elapsed());
        let report: serde_json::Value = serde_json::from_str(&line).unwrap();
        let found = report["diagnostics"].as_array().unwrap().len();
        assert_eq!(found, if broken { 1 } else { 0 }, "{line}");
    }
    let _ = child.kill();
    let _ = child.wait();
    let e2e = median(times);
    println!(
        "  end to end (save → report)     {:8.2} ms  ({:.3}x full)",
        ms(e2e),
        ms(e2e) / ms(full)
    );
    println!(
        "  target < 20 ms end to end:     {}",
        if ms(e2e) < 20.0 { "met" } else { "NOT met" }
    );
    println!("  slowest incremental / full:    {worst_ratio:.3}x");
}
