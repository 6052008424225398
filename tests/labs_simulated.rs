//! The bundled networking labs, end to end, against the simulated cluster
//! of `tests/k8s_double`: the real labrun and kubectl, the labs' own
//! manifests, hooks, setup and cleanup scripts, and the test-only `aws` and
//! `terraform` of `tests/k8s_double/bin`. Connectivity (what `curl`, `nc`
//! and `pg_isready` print in a Pod) follows from the policies and security
//! groups the lab applies, so a broken manifest fails the lab where the page
//! shows its effect.
//!
//! `LABRUN_WAIT_SCALE=0` and the double's `--time-scale 0` keep the labs'
//! `wait=` pauses and curl's `--max-time` from being slept for real.

mod common;
mod verify_support;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use verify_support::{Double, stderr, stdout};

/// A copy of the repository's workshop (labrun.yaml, content, manifests):
/// labs write Terraform state beside their module, and one test breaks a
/// manifest.
fn workshop_copy() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root.join("labrun.yaml"), dir.path().join("labrun.yaml")).unwrap();
    for sub in ["content", "manifests"] {
        common::copy_tree(&root.join(sub), &dir.path().join(sub));
    }
    dir
}

/// The double, after checking that kubectl can `exec` into it: over
/// WebSocket, which kubectl speaks from 1.30 on (the double has no SPDY).
fn start_double() -> Double {
    let out = Command::new(verify_support::kubectl())
        .args(["version", "--client", "-o", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let minor: u32 = v["clientVersion"]["minor"]
        .as_str()
        .unwrap_or("0")
        .trim_end_matches('+')
        .parse()
        .unwrap_or(0);
    assert!(
        v["clientVersion"]["major"] == "1" && minor >= 30,
        "these tests need kubectl 1.30 or later (exec over WebSocket); found {}",
        v["clientVersion"]["gitVersion"]
    );
    Double::start_with(&["--time-scale", "0"])
}

/// Runs `labrun run <lab>` in the workshop copy against the double, with
/// the test-only aws and terraform first on PATH; returns the output and the
/// JSON report.
fn run_lab(
    d: &Double,
    workshop: &Path,
    lab: &str,
    lang: &str,
    extra: &[&str],
) -> (Output, serde_json::Value) {
    let scratch = workshop.join(".scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    let report = scratch.join(format!("{}-{lang}.json", lab.replace('/', "_")));
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/k8s_double/bin");
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(workshop)
        .args(["--lang", lang, "run", lab, "--check-leaks", "--report-json"])
        .arg(&report)
        .args(extra)
        .envs(d.env())
        .env("PATH", path)
        .env("EKS_CLUSTER_NAME", "labrun")
        .env("LABRUN_WAIT_SCALE", "0")
        .env("TMPDIR", &scratch)
        .env("NO_COLOR", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .stdin(Stdio::null())
        .output()
        .expect("labrun runs");
    let json = std::fs::read_to_string(&report)
        .unwrap_or_else(|e| panic!("no report ({e}):\n{}{}", stdout(&out), stderr(&out)));
    (out, serde_json::from_str(&json).unwrap())
}

/// Every block of the report: (page file, line, block JSON).
fn blocks(report: &serde_json::Value) -> Vec<(String, u64, serde_json::Value)> {
    let mut out = Vec::new();
    for lab in report["labs"].as_array().unwrap() {
        for page in lab["pages"].as_array().unwrap() {
            for b in page["blocks"].as_array().unwrap() {
                out.push((
                    page["file"].as_str().unwrap().to_owned(),
                    b["line"].as_u64().unwrap(),
                    b.clone(),
                ));
            }
        }
    }
    out
}

/// The seconds of `wait=` in a lab's blocks, from `labrun plan`.
fn planned_waits(workshop: &Path, lab: &str, lang: &str) -> u64 {
    let out = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(workshop)
        .args(["--lang", lang, "plan", lab, "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    plan["pages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["blocks"].as_array().unwrap())
        .filter_map(|b| b["wait"].as_u64())
        .sum()
}

/// Runs a lab in one language and checks that it passes as a learner would
/// see it: every block that runs passes, every command prints what its
/// sample on the page shows (`--verify-output`: names, ages, addresses and
/// timings of this run, the rest as written), the blocks that expect an
/// error get it from the command inside the Pod (not from kubectl or the
/// API), the `wait=` pauses were scaled, the lab's cleanup ran and left
/// nothing behind.
fn lab_passes(lab: &str, lang: &str, expect_blocks: usize) {
    let d = start_double();
    let workshop = workshop_copy();
    let started = Instant::now();
    let (out, report) = run_lab(&d, workshop.path(), lab, lang, &["--verify-output"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{text}");
    let all = blocks(&report);
    assert_eq!(all.len(), expect_blocks, "{text}");
    for (file, line, b) in &all {
        assert!(
            file.starts_with(&format!("content/{lang}/{lab}/")),
            "{file}"
        );
        if b["skip_reason"] == "test-false" {
            continue;
        }
        assert_eq!(b["status"], "passed", "{file}:{line} {b:#}\n{text}");
        if b["expect_error"] == true {
            let tail = b["output_tail"].to_string();
            assert!(
                tail.contains("command terminated with exit code"),
                "{file}:{line} failed, but not in the Pod: {tail}"
            );
        }
    }
    let waited = planned_waits(workshop.path(), lab, lang);
    // The labs ask for tens of seconds of waits; LABRUN_WAIT_SCALE=0 skips them.
    assert!(waited >= 30, "the lab's waits: {waited} s");
    assert!(
        started.elapsed() < Duration::from_secs(waited),
        "waits were slept: {:?}",
        started.elapsed()
    );
    let lab_report = &report["labs"][0];
    assert_eq!(lab_report["cleanup"]["status"], "passed", "{text}");
    assert_eq!(
        lab_report["leaks"]["leaked"].as_array().map(Vec::len),
        Some(0),
        "{:#}\n{text}",
        lab_report["leaks"]
    );
    let none = if lang == "ja" {
        "残っているオブジェクトはありません"
    } else {
        "nothing left behind"
    };
    assert!(text.contains(none), "{text}");
}

#[test]
fn network_policies_passes_in_english() {
    lab_passes("networking/network-policies", "en", 24);
}

#[test]
fn network_policies_passes_in_japanese() {
    lab_passes("networking/network-policies", "ja", 24);
}

#[test]
fn security_groups_for_pods_passes_in_english() {
    lab_passes("networking/securitygroups-for-pods", "en", 10);
}

#[test]
fn security_groups_for_pods_passes_in_japanese() {
    lab_passes("networking/securitygroups-for-pods", "ja", 10);
}

#[test]
fn egress_lockdown_passes_in_english() {
    lab_passes("networking/egress-lockdown", "en", 6);
}

#[test]
fn egress_lockdown_passes_in_japanese() {
    lab_passes("networking/egress-lockdown", "ja", 6);
}

/// Removing the ingress allow rule of `orders-ingress` keeps the frontend
/// from reaching the orders service: the lab fails at the page that shows
/// that path open, at the command that probes it, with curl's timeout.
#[test]
fn a_missing_ingress_rule_fails_the_block_that_shows_the_path() {
    let d = start_double();
    let workshop = workshop_copy();
    let manifest = workshop
        .path()
        .join("manifests/modules/networking/network-policies/ingress-rules.yaml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let at = text.find("name: orders-ingress").unwrap();
    let rule = at + text[at..].find("  ingress:\n").unwrap();
    std::fs::write(&manifest, format!("{}  ingress: []\n", &text[..rule])).unwrap();

    let (out, report) = run_lab(
        &d,
        workshop.path(),
        "networking/network-policies",
        "en",
        &[],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    let failed: Vec<(String, u64)> = blocks(&report)
        .into_iter()
        .filter(|(_, _, b)| b["status"] == "failed")
        .map(|(f, l, _)| (f, l))
        .collect();
    assert_eq!(
        failed,
        [(
            "content/en/networking/network-policies/egress.md".to_owned(),
            26
        )],
        "{text}"
    );
    let b = &blocks(&report)
        .into_iter()
        .find(|(_, l, b)| *l == 26 && b["status"] == "failed")
        .unwrap()
        .2;
    // The first command (to the catalog) passed; the second, to orders, timed out.
    assert_eq!(b["command"]["line"], 29, "{b:#}");
    assert_eq!(b["exit_code"], 28, "{b:#}");
    assert!(
        text.contains("✗ content/en/networking/network-policies/egress.md:26"),
        "{text}"
    );
    assert!(
        text.contains("curl: (28) Connection timed out after 5002 milliseconds"),
        "{text}"
    );
    // The lab's cleanup still ran, and nothing was left behind.
    assert_eq!(report["labs"][0]["cleanup"]["status"], "passed");
    assert_eq!(report["labs"][0]["leaks"]["leaked"], serde_json::json!([]));
}

/// A sample the cluster no longer prints (a policy's selector as the page
/// shows it, changed) fails the block that shows it, with the sample's
/// page:line and a diff, when the run compares samples.
#[test]
fn a_sample_that_no_longer_matches_fails_its_block_with_a_diff() {
    let d = start_double();
    let workshop = workshop_copy();
    let page = workshop
        .path()
        .join("content/en/networking/network-policies/debugging.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let shown = "orders-ingress   app.kubernetes.io/name=orders   9m";
    assert!(text.contains(shown));
    std::fs::write(
        &page,
        text.replace(shown, "orders-ingress   app.kubernetes.io/name=order    9m"),
    )
    .unwrap();
    let (out, report) = run_lab(
        &d,
        workshop.path(),
        "networking/network-policies",
        "en",
        &["--verify-output"],
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    let failed: Vec<(String, u64, serde_json::Value)> = blocks(&report)
        .into_iter()
        .filter(|(_, _, b)| b["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{text}");
    let (file, line, b) = &failed[0];
    assert_eq!(
        (file.as_str(), *line),
        ("content/en/networking/network-policies/debugging.md", 40)
    );
    assert_eq!(b["failure"], "output");
    assert_eq!(b["output_mismatch"]["sample_line"], 45, "{b:#}");
    assert!(
        text.contains(
            "differs from its sample at content/en/networking/network-policies/debugging.md:45"
        ),
        "{text}"
    );
    assert!(
        text.contains("   45 - orders-ingress   app.kubernetes.io/name=order    9m"),
        "{text}"
    );
    assert_eq!(report["labs"][0]["cleanup"]["status"], "passed");
}

/// `python3 tests/k8s_double/server.py --write-kubeconfig PATH`, as the
/// README shows it: it writes PATH once it answers, serves until Ctrl-C, and
/// never overwrites a kubeconfig it did not write.
#[test]
fn the_simulated_cluster_starts_for_a_person() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("sim.kubeconfig");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/k8s_double/server.py");
    let start = || {
        Command::new("python3")
            .arg(&script)
            .arg("--write-kubeconfig")
            .arg(&kubeconfig)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 runs the simulated cluster")
    };
    let mut child = start();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !kubeconfig.exists() {
        assert!(Instant::now() < deadline, "no kubeconfig after 20 s");
        assert!(child.try_wait().unwrap().is_none(), "the server ended");
        std::thread::sleep(Duration::from_millis(50));
    }
    let nodes = Command::new(verify_support::kubectl())
        .args(["get", "nodes", "-o", "name"])
        .env("KUBECONFIG", &kubeconfig)
        .env("KUBECACHEDIR", dir.path().join("cache"))
        .output()
        .unwrap();
    assert!(nodes.status.success(), "{}", stderr(&nodes));
    assert_eq!(stdout(&nodes).lines().count(), 2, "{}", stdout(&nodes));
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let out = wait_with_timeout(child, Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("Ctrl-C stops it"), "{}", stdout(&out));

    // Someone's own kubeconfig stays as it is.
    std::fs::write(&kubeconfig, "apiVersion: v1\nkind: Config\n").unwrap();
    let out = wait_with_timeout(start(), Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("was not written by this server"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(&kubeconfig).unwrap(),
        "apiVersion: v1\nkind: Config\n"
    );
}

fn wait_with_timeout(mut child: std::process::Child, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not stop within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}
