//! Parses a generated workshop of 2,000 pages (1,000 English + 1,000
//! Japanese) and reports pages per second, next to a baseline measured in
//! the same run: only reading the same files.
//!
//! Then a hostile page: one command continued over 40,000 lines (an
//! unterminated quote), against the baseline of a page of the same size
//! holding 40,000 one-line commands. Linear reading keeps the ratio near 1;
//! rescanning the command per line made it grow with the square.
//!
//! Run: `cargo bench --bench parse`

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

const PAGES_PER_LOCALE: usize = 1000;
const RUNS: usize = 7;

fn english_page(i: usize) -> String {
    let mut s = format!(
        "---\ntitle: \"Step {i}: traffic rules\"\nsidebar_position: {}\ndescription: \"Page {i} of the generated workshop.\"\n---\n\n",
        i % 50
    );
    if i.is_multiple_of(10) {
        s.push_str("::required-time\n\n:::tip Before you start\nPrepare the environment:\n\n```bash wait=30 timeout=600\n$ prepare-environment networking/generated\n```\n\n:::\n\n");
    }
    for p in 0..4 {
        let _ = writeln!(
            s,
            "## Section {p}\n\nKubernetes network policies let you decide which pods may talk to each other. \
             This paragraph has a [link](./page-{}.md) and `inline code`, and explains step {p} of page {i} in \
             enough words to look like real prose written for a workshop reader.\n",
            (i + 1) % PAGES_PER_LOCALE
        );
        let _ = writeln!(
            s,
            "```bash timeout=60 hook=check-{p}\n$ kubectl apply -f ~/environment/policy-{p}.yaml\nnetworkpolicy.networking.k8s.io/p{p} created\n$ kubectl get pods -n ui \\\n    -o wide\nNAME   READY\nui-1   1/1\n```\n"
        );
    }
    s.push_str("::yaml{file=\"manifests/modules/generated/policy.yaml\" paths=\"metadata,spec.podSelector,spec.ingress\" title=\"policy.yaml\"}\n\n1. The name\n2. The pods\n3. Who may connect\n\n");
    s.push_str("```bash\n$ cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nEOF\nconfigmap/c created\n```\n");
    s
}

fn japanese_page(i: usize) -> String {
    english_page(i)
        .replace("traffic rules", "トラフィックルール")
        .replace(
            "Kubernetes network policies let you decide which pods may talk to each other.",
            "Kubernetesのネットワークポリシーを使うと、どのPodどうしが通信できるかを決められます。",
        )
        .replace("Before you start", "始める前に")
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (locale, make) in [
        ("en", english_page as fn(usize) -> String),
        ("ja", japanese_page),
    ] {
        for i in 0..PAGES_PER_LOCALE {
            let rel = format!("content/{locale}/module-{:02}/page-{i}.md", i / 40);
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, make(i)).unwrap();
        }
    }
    let root = |l: &str| dir.path().join("content").join(l);
    let total = 2 * PAGES_PER_LOCALE;

    // Baseline: walk and read every page, no parsing.
    let read_all = |p: &Path| -> usize {
        walkdir::WalkDir::new(p)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| std::fs::read(e.path()).unwrap().len())
            .sum()
    };
    let mut read_times = Vec::new();
    let mut parse_times = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        let bytes = read_all(&root("en")) + read_all(&root("ja"));
        read_times.push(t.elapsed());
        assert!(bytes > 0);

        let t = Instant::now();
        let en = labrun::content::load_tree("en", &root("en")).unwrap();
        let ja = labrun::content::load_tree("ja", &root("ja")).unwrap();
        parse_times.push(t.elapsed());
        assert_eq!(en.pages.len() + ja.pages.len(), total);
        assert!(
            en.pages.iter().all(|p| p.diagnostics.is_empty()),
            "generated pages are valid"
        );
    }
    let read = median(read_times);
    let parse = median(parse_times);
    let pps = total as f64 / parse.as_secs_f64();
    println!(
        "pages: {total} (en + ja), median of {RUNS} runs, {} threads",
        rayon::current_num_threads()
    );
    println!(
        "baseline (walk + read only): {:>8.1} ms",
        read.as_secs_f64() * 1e3
    );
    println!(
        "labrun load + parse:         {:>8.1} ms  = {pps:.0} pages/s",
        parse.as_secs_f64() * 1e3
    );
    println!(
        "ratio parse / read:          {:>8.1}x",
        parse.as_secs_f64() / read.as_secs_f64()
    );

    let lines = 40_000;
    let one_line = format!("```bash\n{}```\n", "$ echo 'x y'\n".repeat(lines));
    let continued = format!("```bash\n$ echo '\n{}```\n", "x y z w v\n".repeat(lines));
    // The median time to parse `text`; `check` asserts what was parsed.
    let time = |text: &str, check: &dyn Fn(&labrun::model::Page)| {
        median(
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    let p = labrun::markdown::parse_page(
                        Path::new("p.md"),
                        "p.md",
                        "en",
                        text.as_bytes(),
                    );
                    let took = t.elapsed();
                    check(&p);
                    took
                })
                .collect(),
        )
    };
    let has_blocks = |p: &labrun::model::Page| assert!(!p.blocks.is_empty());
    let base = time(&one_line, &has_blocks);
    let hostile = time(&continued, &has_blocks);
    // Thousands of inline pieces after 20,000 tabs on one line (the fuzz
    // target's find) vs the same pieces one per line.
    let pieces = 10_000;
    let per_line = format!(
        "Intro.\n\n{}",
        "{{< x >}} `c` [l](a.md) VAR::X\n\n".repeat(pieces)
    );
    let one_long = format!(
        "Intro.\n{}{}\n",
        "\t".repeat(20_000),
        "{{< x >}} `c` [l](a.md) VAR::X ".repeat(pieces)
    );
    let all_pieces = |p: &labrun::model::Page| assert_eq!(p.shortcodes.len(), pieces);
    let spread = time(&per_line, &all_pieces);
    let long = time(&one_long, &all_pieces);
    println!(
        "{lines} one-line commands:      {:>8.1} ms (baseline)",
        base.as_secs_f64() * 1e3
    );
    println!(
        "one command over {lines} lines: {:>8.1} ms  = {:.2}x the baseline",
        hostile.as_secs_f64() * 1e3,
        hostile.as_secs_f64() / base.as_secs_f64()
    );
    println!(
        "{pieces} inline pieces, one a line: {:>8.1} ms (baseline)",
        spread.as_secs_f64() * 1e3
    );
    println!(
        "the same on one tab-led line:   {:>8.1} ms  = {:.2}x the baseline",
        long.as_secs_f64() * 1e3,
        long.as_secs_f64() / spread.as_secs_f64()
    );
}
