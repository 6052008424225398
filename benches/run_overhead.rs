//! Per-block overhead of `labrun run`, against the naive way to keep state
//! between blocks (a new `bash -c` per block that reloads and dumps the
//! environment), measured in the same run on the same machine.
//!
//! `cargo bench --bench run_overhead` (release build). Prints ms per block
//! for both and their ratio; `RUN_BENCH_BLOCKS` changes the lab's size
//! (default 1000), `RUN_BENCH_ROUNDS` the repetitions (default 3, median).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The commands of block `i`: half change the state, half read it, the last
/// checks that every change arrived.
fn command(i: usize, blocks: usize) -> String {
    if i + 1 == blocks {
        format!("test \"$N\" = {}", blocks / 2)
    } else if i.is_multiple_of(2) {
        "export N=$((N+1))".to_owned()
    } else {
        "echo \"$N\" >/dev/null".to_owned()
    }
}

fn write_lab(root: &Path, blocks: usize) {
    let dir = root.join("content/en/bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(root.join("labrun.yaml"), "locales: [en]\n").unwrap();
    let mut page = String::from("---\ntitle: Bench\n---\n\n");
    for i in 0..blocks {
        page.push_str(&format!("```bash\n$ {}\n```\n\n", command(i, blocks)));
    }
    std::fs::write(dir.join("index.md"), page).unwrap();
}

fn labrun(root: &Path, logs: &Path) -> Duration {
    let start = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(["run", "bench", "--log-dir"])
        .arg(logs)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let t = start.elapsed();
    assert!(status.success(), "labrun failed on the bench lab");
    t
}

fn naive(dir: &Path, blocks: usize) -> Duration {
    let state = dir.join("env.sh");
    std::fs::write(&state, "").unwrap();
    let start = Instant::now();
    for i in 0..blocks {
        let script = format!(
            ". {s}\n{cmd}\nrc=$?\nexport -p > {s}\nexit $rc\n",
            s = state.display(),
            cmd = command(i, blocks)
        );
        let status = Command::new("bash")
            .args(["--noprofile", "--norc", "-c", &script])
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "naive block {i} failed");
    }
    start.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let blocks = env_num("RUN_BENCH_BLOCKS", 1000).max(2);
    let rounds = env_num("RUN_BENCH_ROUNDS", 3).max(1);
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big");
    let small = tmp.path().join("small");
    write_lab(&big, blocks);
    write_lab(&small, 2);
    let (mut full, mut fixed, mut base) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..rounds {
        full.push(labrun(&big, &tmp.path().join(format!("logs-big-{r}"))));
        fixed.push(labrun(&small, &tmp.path().join(format!("logs-small-{r}"))));
        let d = tmp.path().join(format!("naive-{r}"));
        std::fs::create_dir_all(&d).unwrap();
        base.push(naive(&d, blocks));
    }
    let (full, fixed, base) = (median(full), median(fixed), median(base));
    let per = |d: Duration, n: usize| d.as_secs_f64() * 1000.0 / n as f64;
    // labrun's start-up (reading the project, starting bash) is paid once per
    // lab; the per-block figure is the difference to a 2-block lab.
    let marginal = per(full.saturating_sub(fixed), blocks - 2);
    let naive_ms = per(base, blocks);
    println!(
        "run_overhead: {blocks} trivial blocks, median of {rounds} rounds, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "  labrun run:          {:8.3} ms/block  ({:.2} s in all, {:.0} ms start-up)",
        marginal,
        full.as_secs_f64(),
        fixed.as_secs_f64() * 1000.0
    );
    println!(
        "  naive bash -c + env: {:8.3} ms/block  ({:.2} s in all)",
        naive_ms,
        base.as_secs_f64()
    );
    println!("  ratio naive/labrun:  {:8.2}x", naive_ms / marginal);
    println!(
        "  target: labrun <= 2 ms/block: {}",
        if marginal <= 2.0 { "met" } else { "NOT met" }
    );
}
