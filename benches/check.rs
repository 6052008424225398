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

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MODULES: usize = 10;
const LABS: usize = 10;
const PAGES: usize = 10;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn manifest(m: usize, l: usize, p: usize) -> String {
    let name = format!("app-{m}-{l}-{p}");
    format!(
        "# Generated manifest {m}/{l}/{p}\n\
         apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n    team: t{m}\n\
         ---\n\
         apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {name}\n\
         spec:\n  replicas: {r}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n\
         \x20   metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n\
         \x20       - name: main\n          image: \"registry.example.com/{name}:1.{p}\"\n\
         \x20         ports:\n            - containerPort: 8080\n          env:\n\
         \x20           - name: MODE\n              value: lab\n          command:\n\
         \x20           - /bin/sh\n            - -c\n            - |\n              # start\n\
         \x20             exec server --port 8080\n\
         ---\n\
         apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {name}}}\n\
         spec:\n  selector: {{app: {name}}}\n  ports: [{{port: 80, targetPort: 8080}}]\n",
        r = p % 3 + 1
    )
}

/// One page; `ja` switches the prose (commands and directives stay).
fn page(m: usize, l: usize, p: usize, ja: bool, source_hash: Option<&str>) -> String {
    let mut s = String::new();
    let title = if ja {
        format!("ラボ {m}-{l} のページ {p}")
    } else {
        format!("Lab {m}-{l} page {p}")
    };
    // An index page positions its lab among the module's labs.
    let position = if p == 0 { l + 1 } else { p + 1 };
    let _ = writeln!(s, "---\ntitle: \"{title}\"\nsidebar_position: {position}");
    let _ = writeln!(s, "description: \"Generated page {m}/{l}/{p}\"");
    if let Some(h) = source_hash {
        let _ = writeln!(s, "tmdTranslationSourceHash: {h}");
    }
    s.push_str("---\n\n");
    if p == 0 {
        s.push_str("::required-time{estimatedLabExecutionTimeMinutes=\"20\"}\n\n");
        let tip = if ja {
            "始める前に"
        } else {
            "Before you start"
        };
        let _ = writeln!(
            s,
            ":::tip {tip}\n\n```bash wait=30 timeout=600\n$ prepare-environment m{m}/l{l}\n```\n\n:::\n"
        );
    }
    let (setup, apply, check, next) = if ja {
        ("準備", "マニフェストの適用", "確認", "次のステップ")
    } else {
        ("Setup", "Applying the manifest", "Checking", "Next steps")
    };
    for (i, heading) in [setup, apply, check].iter().enumerate() {
        let _ = writeln!(s, "## {heading}\n");
        for k in 0..4 {
            if ja {
                let _ = writeln!(
                    s,
                    "この段落 {k} は手順 {i} を説明します。リージョンは VAR::REGION です。クラスターの状態を確認し、必要に応じて[公式ドキュメント](https://kubernetes.io/ja/docs/)を参照してください。"
                );
            } else {
                let _ = writeln!(
                    s,
                    "Paragraph {k} explains step {i}. The region is VAR::REGION. Look at the state of the cluster and read the [upstream docs](https://kubernetes.io/docs/) when in doubt."
                );
            }
            s.push('\n');
        }
    }
    let file = format!("manifests/modules/m{m}/l{l}/p{p}.yaml");
    let _ = writeln!(
        s,
        "::yaml{{file=\"{file}\" paths=\"0.metadata.labels,1.spec.replicas,1.spec.template.spec.containers.0.image,1.spec.template.spec.containers.0.command,2.spec.ports.0\" title=\"p{p}.yaml\"}}\n"
    );
    for k in 1..=5 {
        let _ = writeln!(s, "{k}. Callout {k}.");
    }
    let _ = writeln!(
        s,
        "\n::yaml{{file=\"manifests/shared/base.yaml\" zoomPath=\"1.spec.template\" zoomBefore=\"1\" zoomAfter=\"1\" paths=\"1.spec.template.metadata\"}}\n\n1. Shared metadata.\n"
    );
    let hook = if p == 1 { " hook=ready" } else { "" };
    let _ = writeln!(
        s,
        "```bash timeout=120{hook}\n$ kubectl apply -f ~/environment/{file}\nnamespace/app created\n$ kubectl -n app-{m}-{l}-{p} rollout status deployment/app-{m}-{l}-{p} \\\n    --timeout=60s\ndeployment successfully rolled out\n```\n"
    );
    s.push_str("```bash\n$ cat <<'EOF' > /tmp/notes.txt\nchecked\nEOF\n$ wc -l /tmp/notes.txt\n1 /tmp/notes.txt\n```\n\n");
    s.push_str("```yaml title=\"fragment.yaml\"\nspec:\n  replicas: 2\n```\n\n");
    s.push_str("![Diagram](./assets/diagram.png)\n\n");
    let _ = writeln!(s, "## {next}\n");
    if p + 1 < PAGES {
        let anchor = if ja { "%E6%BA%96%E5%82%99" } else { "setup" };
        let _ = writeln!(s, "[→](p{}.md#{anchor}) [↑](#{anchor})", p + 1);
    }
    let _ = writeln!(
        s,
        "[Lab](./) [Module](../index.md) [Other lab](../l{})",
        (l + 1) % LABS
    );
    s
}

fn generate(root: &Path) {
    write(
        root,
        "labrun.yaml",
        "locales: [en, ja]\nvariables:\n  REGION: us-west-2\n",
    );
    write(root, "manifests/shared/base.yaml", &manifest(0, 0, 0));
    for m in 0..MODULES {
        for l in 0..LABS {
            for p in 0..PAGES {
                write(
                    root,
                    &format!("manifests/modules/m{m}/l{l}/p{p}.yaml"),
                    &manifest(m, l, p),
                );
            }
        }
    }
    for locale in ["en", "ja"] {
        for m in 0..MODULES {
            write(
                root,
                &format!("content/{locale}/m{m}/index.md"),
                &format!(
                    "---\ntitle: Module {m}\nsidebar_position: {}\n---\n\nModule {m}.\n",
                    m + 1
                ),
            );
            for l in 0..LABS {
                let dir = format!("content/{locale}/m{m}/l{l}");
                for p in 0..PAGES {
                    let name = if p == 0 {
                        "index.md".to_owned()
                    } else {
                        format!("p{p}.md")
                    };
                    let hash = (locale == "ja").then_some("0123456789abcdef0123456789abcdef");
                    write(
                        root,
                        &format!("{dir}/{name}"),
                        &page(m, l, p, locale == "ja", hash),
                    );
                }
                // Japanese pages fall back to the English image and hooks.
                if locale == "en" {
                    write(root, &format!("{dir}/assets/diagram.png"), "\u{89}PNG");
                    write(
                        root,
                        &format!("{dir}/tests/hook-ready.sh"),
                        "#!/bin/sh\nexit 0\n",
                    );
                    write(
                        root,
                        &format!("{dir}/tests/hook-suite.sh"),
                        "#!/bin/sh\nexit 0\n",
                    );
                }
            }
        }
    }
}

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
        generate(&kept);
        return;
    }
    generate(root);
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
