//! `labrun drift` over 2,000 page pairs, against a baseline measured in the
//! same run: one `md5sum` process reading and hashing every page of both
//! locales (the least any drift check must do).
//!
//! Run: `cargo bench --bench drift` (release build). Prints the medians of
//! 11 runs each and their ratio. Target: drift under 300 ms.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const PAIRS: usize = 2_000;
const RUNS: usize = 11;

fn md5_hex(bytes: &[u8]) -> String {
    labrun::drift::md5_hex(bytes)
}

/// A realistic English page: front matter, directives, callouts, a tip with
/// a prepare-environment block, commands with output, a heredoc, prose.
fn english(lab: usize, page: usize) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "---\ntitle: \"Lab {lab} step {page}\"\nsidebar_position: {page}\ndescription: \"Step {page} of lab {lab}: apply a policy and check traffic.\"\n---\n\n"
    );
    if page == 0 {
        let _ = write!(
            s,
            "::required-time{{estimatedLabExecutionTimeMinutes=\"20\"}}\n\n:::tip Before you start\nPrepare your environment for this section:\n\n```bash wait=30 timeout=600\n$ prepare-environment labs/lab-{lab}\n```\n\n:::\n\n"
        );
    }
    for para in 0..4 {
        let _ = write!(
            s,
            "By default, Kubernetes allows all pods to communicate with each other. In step {page} of lab {lab} (paragraph {para}) we restrict traffic between the `ui` and `orders` components, observe the effect with `kubectl`, and then open exactly the ports the application needs.\n\n"
        );
    }
    let _ = write!(
        s,
        "::yaml{{file=\"manifests/modules/lab-{lab}/policy-{page}.yaml\" paths=\"metadata,spec.podSelector,spec.policyTypes,spec.ingress.0.from\" title=\"policy-{page}.yaml\"}}\n\n1. `metadata` names the policy\n2. `spec.podSelector` selects the `ui` pods\n3. `spec.policyTypes` restricts ingress\n4. `spec.ingress.0.from` allows traffic from the `orders` namespace\n\n"
    );
    let _ = write!(
        s,
        "Apply it:\n\n```bash wait=10\n# Apply the policy for step {page}\n$ kubectl apply -f ~/environment/manifests/modules/lab-{lab}/policy-{page}.yaml # creates it\nnetworkpolicy.networking.k8s.io/policy-{page} created\n$ kubectl get networkpolicy -n ui -o jsonpath='{{.items[*].metadata.name}}' # names only\npolicy-{page}\n```\n\nThen check the traffic:\n\n```bash expectError=true timeout=30\n$ kubectl exec deployment/orders -n orders -- curl -s --max-time 5 \\\n    http://ui.ui.svc/health # fails while the policy blocks it\ncommand terminated with exit code 28\n```\n\nWrite the settings used by the next step:\n\n```bash\n$ cat <<'EOF' > ~/environment/step-{page}.env\nLAB={lab}\nSTEP={page}\nEOF\n```\n\n:::info\nThe `orders` namespace carries the label `app.kubernetes.io/part-of=retail-store`.\n:::\n"
    );
    s
}

/// Its translation: Japanese prose and comments, same commands.
fn japanese(en: &str, lab: usize, page: usize, hash: &str) -> String {
    let mut s = en
        .replace(
            "By default, Kubernetes allows all pods to communicate with each other.",
            "デフォルトでは、Kubernetes はすべてのポッド間の通信を許可します。",
        )
        .replace(
            "we restrict traffic between the",
            "の手順で、次のコンポーネント間の通信を制限します:",
        )
        .replace("Apply it:", "適用します。")
        .replace("Then check the traffic:", "次に通信を確認します。")
        .replace(
            "# Apply the policy for step",
            "# 次の手順のポリシーを適用します:",
        )
        .replace("# creates it", "# 作成されます")
        .replace("# names only", "# 名前だけ")
        .replace("Before you start", "始める前に");
    s = s.replacen(
        "---\n\n",
        &format!("tmdTranslationSourceHash: {hash}\n---\n\n"),
        1,
    );
    // A few pages drift, as in real life.
    if (lab * 31 + page).is_multiple_of(17) {
        s = s.replace("--max-time 5", "--max-time 10");
    }
    s
}

fn generate(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    std::fs::write(root.join("labrun.yaml"), "locales: [en, ja]\n").unwrap();
    for n in 0..PAIRS {
        let (lab, page) = (n / 10, n % 10);
        let rel = if page == 0 {
            format!("lab-{lab}/index.md")
        } else {
            format!("lab-{lab}/step-{page}.md")
        };
        let en = english(lab, page);
        // Every 50th translation is stale.
        let hash = if n % 50 == 7 {
            md5_hex(b"an older version")
        } else {
            md5_hex(en.as_bytes())
        };
        let ja = japanese(&en, lab, page, &hash);
        for (locale, text) in [("en", &en), ("ja", &ja)] {
            let p = root.join("content").join(locale).join(&rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
            files.push(p);
        }
    }
    files
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// CPU time (user + system) used by this process's finished children, from
/// `/proc/self/stat` (Linux; clock ticks of 10 ms).
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    // After the command name: state is field 3, cutime 16, cstime 17.
    let ticks: u64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|v| v.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

/// The median wall time of RUNS runs (after one warm-up) and the mean CPU time.
fn time(
    mut cmd: impl FnMut() -> Command,
    check: impl Fn(&std::process::Output),
) -> (Duration, Duration) {
    let mut times = Vec::new();
    let mut cpu_start = Duration::ZERO;
    for i in 0..=RUNS {
        let mut c = cmd();
        let start = Instant::now();
        let out = c.output().expect("benchmark command runs");
        let took = start.elapsed();
        check(&out);
        if i == 0 {
            // The first run warms the page cache.
            cpu_start = children_cpu();
        } else {
            times.push(took);
        }
    }
    let cpu = (children_cpu() - cpu_start) / RUNS as u32;
    (median(times), cpu)
}

fn main() {
    // `cargo bench` passes harness flags such as `--bench`; nothing to parse.
    // DRIFT_BENCH_DIR keeps the generated tree for profiling.
    let kept = std::env::var_os("DRIFT_BENCH_DIR").map(PathBuf::from);
    let tmp = tempfile::tempdir().unwrap();
    let root = kept.as_deref().unwrap_or(tmp.path());
    std::fs::create_dir_all(root).unwrap();
    let files = generate(root);
    let bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    let labrun = env!("CARGO_BIN_EXE_labrun");
    let (drift, drift_cpu) = time(
        || {
            let mut c = Command::new(labrun);
            c.args(["drift", "--format", "json"])
                .current_dir(root)
                .env("LC_ALL", "C");
            c
        },
        |out| {
            assert_eq!(out.status.code(), Some(1), "stale and diverged pages exist");
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(json["pages"].as_array().unwrap().len(), PAIRS);
            assert_eq!(json["totals"][0]["counts"]["stale"], PAIRS / 50);
        },
    );
    let (baseline, baseline_cpu) = time(
        || {
            let mut c = Command::new("md5sum");
            c.args(&files).current_dir(root);
            c
        },
        |out| assert!(out.status.success()),
    );
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "labrun drift, {PAIRS} page pairs ({:.1} MB): median {:.0} ms wall, {:.0} ms CPU; \
         baseline md5sum of all {} files: median {:.0} ms wall, {:.0} ms CPU; \
         ratio {:.1}x wall, {:.1}x CPU; {} cores, load average {}",
        bytes as f64 / 1e6,
        ms(drift),
        ms(drift_cpu),
        files.len(),
        ms(baseline),
        ms(baseline_cpu),
        drift.as_secs_f64() / baseline.as_secs_f64(),
        drift_cpu.as_secs_f64() / baseline_cpu.as_secs_f64().max(1e-3),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
    if drift > Duration::from_millis(300) {
        println!("above the 300 ms target");
    }
}
