//! Mutational fuzzing with a time budget: the page parser, the YAML module
//! and `labrun.yaml` are fed the project's own fixtures, mutated (tokens of
//! every construct inserted, repeated thousands of times for depth, spans
//! deleted, duplicated, spliced from other files, bytes flipped), and must
//! neither panic, nor overflow the stack, nor take long.
//!
//! proptest generates the mutation lists and shrinks a failing one to the
//! fewest mutations. Each target runs for `LABRUN_FUZZ_SECONDS` (default 3;
//! `.ci/run` gives it longer); `LABRUN_FUZZ_SEED` (a number) repeats a run.
//! An input that hangs aborts the process after printing it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Fragments of every construct labrun reads, and of hostile input.
const TOKENS: &[&str] = &[
    "- ",
    "  ",
    "\n",
    "&a ",
    "*a",
    "&b [*a, *a, *a, *a]\n",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "? ",
    "!!str ",
    "---\n",
    "...\n",
    "```",
    "```bash timeout=",
    " wait=",
    " hookTimeout=",
    "$ ",
    "\\\n",
    "<<EOF\n",
    "EOF\n",
    ":::tip\n",
    ":::\n",
    "::::details\n",
    "::yaml{file=\"",
    "\" paths=\"a.b,0.c\"}",
    "::required-time{estimatedLabExecutionTimeMinutes=\"",
    "> ",
    "> [!NOTE]\n",
    "{{< x >}}",
    "{{% y %}}",
    "VAR::",
    "18446744073709551615",
    "0",
    "-1",
    "1e400",
    "\u{1b}]0;x\u{7}",
    "\r",
    "\t",
    "'",
    "\"",
    "# ",
    "|",
    "1. ",
    "日本語",
    "\u{202e}",
    "\0",
    "\u{feff}",
    "tmdTranslationSourceHash: ",
    "locales: [",
    "timeouts:\n  block: ",
];

/// One edit of a seed: (operation, position, argument).
type Mutation = (u8, u32, u16);

fn apply(seeds: &[Vec<u8>], seed: usize, mutations: &[Mutation]) -> Vec<u8> {
    let mut data = seeds[seed].clone();
    for &(op, pos, arg) in mutations {
        let at = if data.is_empty() {
            0
        } else {
            pos as usize % (data.len() + 1)
        };
        let token = TOKENS[arg as usize % TOKENS.len()].as_bytes();
        match op % 7 {
            0 => {
                data.splice(at..at, token.iter().copied());
            }
            1 => {
                let end = (at + arg as usize % 64).min(data.len());
                data.drain(at..end);
            }
            2 => {
                let end = (at + arg as usize % 128).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
            3 => {
                if at < data.len() {
                    data[at] = arg as u8;
                }
            }
            4 => {
                // Depth: a structure repeated up to 20,000 times.
                let times = 1 + arg as usize % 20_000;
                let repeated = token.repeat(times);
                data.splice(at..at, repeated);
            }
            5 => {
                let other = &seeds[arg as usize % seeds.len()];
                let from = pos as usize % (other.len() + 1);
                let end = (from + 200).min(other.len());
                data.splice(at..at, other[from..end].iter().copied());
            }
            _ => data.truncate(at),
        }
    }
    data
}

/// Every fixture of the given extensions under the repository's fixtures
/// and bundled content.
fn seeds(exts: &[&str]) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/fixtures", "content", "manifests"] {
        for e in walkdir::WalkDir::new(root.join(dir))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let p = e.path();
            if e.file_type().is_file()
                && p.extension().is_some_and(|x| exts.iter().any(|e| x == *e))
            {
                out.push(std::fs::read(p).unwrap());
            }
        }
    }
    if exts.contains(&"yaml") {
        out.push(std::fs::read(root.join("labrun.yaml")).unwrap());
    }
    assert!(!out.is_empty(), "no seeds for {exts:?}");
    out
}

fn budget() -> Duration {
    let secs = std::env::var("LABRUN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(3.0);
    Duration::from_secs_f64(secs)
}

/// Feeds mutated seeds to `target` until the budget is spent.
fn fuzz(name: &str, seeds: Vec<Vec<u8>>, target: fn(&[u8])) {
    let seed = std::env::var("LABRUN_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &key);
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, rng);
    let seeds = Arc::new(seeds);
    let strategy = (
        0..seeds.len(),
        proptest::collection::vec(
            (0u8..7, proptest::num::u32::ANY, proptest::num::u16::ANY),
            0..12,
        ),
    );

    // A hang is a failure too: a watchdog prints the input and aborts.
    let current: Arc<Mutex<Option<Vec<u8>>>> = Arc::new(Mutex::new(None));
    let started = Arc::new(Mutex::new(Instant::now()));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let (current, started, done) = (current.clone(), started.clone(), done.clone());
        let name = name.to_owned();
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(200));
                let since = started.lock().unwrap().elapsed();
                if since > Duration::from_secs(60) {
                    let input = current.lock().unwrap().clone().unwrap_or_default();
                    eprintln!(
                        "{name}: an input took over 60 s (seed {seed}):\n{:?}",
                        String::from_utf8_lossy(&input)
                    );
                    std::process::abort();
                }
            }
        });
    }

    let start = Instant::now();
    let mut cases = 0u64;
    let mut slowest = Duration::ZERO;
    while start.elapsed() < budget() {
        let tree = strategy.new_tree(&mut runner).unwrap();
        let s = seeds.clone();
        let (cur, st) = (current.clone(), started.clone());
        let took = std::cell::Cell::new(Duration::ZERO);
        let result = runner.run_one(tree, |(i, m)| {
            let input = apply(&s, i, &m);
            *cur.lock().unwrap() = Some(input.clone());
            *st.lock().unwrap() = Instant::now();
            let t = Instant::now();
            target(&input);
            took.set(t.elapsed());
            // A quadratic (or worse) path shows as a slow input.
            proptest::prop_assert!(
                took.get() < Duration::from_secs(10),
                "took {:?} on {:?}",
                took.get(),
                String::from_utf8_lossy(&input)
            );
            Ok(())
        });
        if let Err(e) = result {
            done.store(true, std::sync::atomic::Ordering::SeqCst);
            panic!("{name} (LABRUN_FUZZ_SEED={seed}): {e}");
        }
        slowest = slowest.max(took.get());
        cases += 1;
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(cases > 0);
    eprintln!(
        "{name}: {cases} inputs in {:.1?} (seed {seed}, slowest {slowest:.1?})",
        start.elapsed()
    );
}

#[test]
fn page_parser() {
    fuzz("page parser", seeds(&["md"]), |bytes| {
        let page = labrun::markdown::parse_page(Path::new("p.md"), "lab/p.md", "en", bytes);
        for d in &page.diagnostics {
            assert!(d.line >= 1 && d.col >= 1, "{d:?}");
        }
    });
}

#[test]
fn yaml_module() {
    fuzz("YAML module", seeds(&["yaml", "yml"]), |bytes| {
        let text = String::from_utf8_lossy(bytes);
        if let Ok(docs) = labrun::yaml::parse_documents(&text) {
            // What labrun does with a tree: compare, copy, convert.
            let copy = docs.clone();
            assert_eq!(copy, docs);
            for d in &docs {
                let _ = d.to_json();
            }
        }
    });
}

#[test]
fn project_configuration() {
    fuzz("labrun.yaml", seeds(&["yaml", "yml"]), |bytes| {
        let text = String::from_utf8_lossy(bytes);
        let root = PathBuf::from("/p");
        if let Ok(c) = labrun::config::Config::parse(&text, &root.join("labrun.yaml"), &root) {
            // Whatever is accepted is in range and names no path outside.
            assert!((1..=labrun::limits::MAX_SECONDS).contains(&c.timeouts.block));
            assert!((1..=labrun::limits::MAX_SECONDS).contains(&c.timeouts.hook));
            for l in c.locales.iter().chain([&c.source_locale]) {
                assert!(
                    !l.is_empty()
                        && l.chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                    "{l:?}"
                );
            }
            for p in [&c.content, &c.manifests, &c.i18n, &c.durations] {
                assert!(
                    p.is_relative() && !p.components().any(|c| c.as_os_str() == ".."),
                    "{p:?}"
                );
            }
        }
    });
}
