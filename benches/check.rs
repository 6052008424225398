//! Speed of `labrun check` on a large generated project, against a baseline
//! measured in the same run.
//!
//! Generates, in a temporary directory, 2,000 pages (1,000 English + 1,000
//! Japanese; 100 labs of 10 pages) and 1,000 multi-document manifests, with
//! the directives, fences, hooks, links, anchors, images and placeholders
//! real labs have, all valid. Then times `labrun check` (the release binary)
//! and, as the baseline, reading every file of the tree once with
//! `find … | xargs cat`, each the median of several runs; prints wall
//! milliseconds and their ratio. Target: `labrun check` under 300 ms.
//!
//! Run: `cargo bench --bench check` (add `-- --runs N` for more runs, or
//! `-- --keep` to only generate the tree and keep it).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// Shared with the watch bench, which uses more of it.
#[allow(dead_code)]
#[path = "support/workshop.rs"]
mod workshop;

/// 100 labs of 10 pages in each locale.
const SHAPE: workshop::Shape = workshop::Shape {
    modules: 10,
    labs: 10,
    pages: 10,
    second_manifests: 0,
};

/// CPU seconds (user + system) used by this process's waited-for children,
/// from /proc (Linux); `None` elsewhere.
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at 3.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(13)?.parse::<f64>().ok()? + f.get(14)?.parse::<f64>().ok()?;
    // USER_HZ is 100 on Linux.
    Some(ticks / 100.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    f(); // warm the page cache
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let mut runs = 7;
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(runs);
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // `--keep`: leave the generated tree for profiling.
    if args.iter().any(|a| a == "--keep") {
        let kept = dir.keep();
        println!("tree kept in {}", kept.display());
        workshop::generate(&kept, &SHAPE);
        return;
    }
    workshop::generate(root, &SHAPE);
    let bin = env!("CARGO_BIN_EXE_labrun");

    // The generated tree is valid: the check must pass with no finding, so
    // the time measured is the full check, not an early exit.
    let out = Command::new(bin)
        .args(["check", "--format", "json"])
        .current_dir(root)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["diagnostics"].as_array().map(Vec::len),
        Some(0),
        "generated tree has findings: {:#}",
        report["diagnostics"][0]
    );
    let pages = report["summary"]["pages"].as_u64().unwrap();

    let cpu_before = children_cpu();
    let check = time(runs, || {
        let s = Command::new(bin)
            .arg("check")
            .current_dir(root)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(s.success());
    });
    let cpu = children_cpu()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / (runs + 1) as f64);
    let baseline = time(runs, || {
        let s = Command::new("sh")
            .args(["-c", "find . -type f -print0 | xargs -0 cat > /dev/null"])
            .current_dir(root)
            .status()
            .unwrap();
        assert!(s.success());
    });
    let files = walkdir::WalkDir::new(root)
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
        .count();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("labrun check bench: {pages} pages, {files} files, median of {runs} runs");
    println!("  labrun check          {:8.1} ms", ms(check));
    println!("  baseline (cat all)    {:8.1} ms", ms(baseline));
    println!("  ratio                 {:8.2}x", ms(check) / ms(baseline));
    if let Some(cpu) = cpu {
        println!(
            "  labrun CPU per run    {:8.1} ms (user + system, all threads)",
            cpu * 1000.0
        );
    }
    println!(
        "  target < 300 ms:      {}",
        if ms(check) < 300.0 { "met" } else { "NOT met" }
    );
}
