//! `labrun verify` end to end: the real binary and the real kubectl against
//! the Kubernetes API double, on the fixture project `tests/fixtures/verify`.

mod verify_support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use verify_support::{Double, block_script, fixture, labrun, stderr, stdout};

const INDEX: &str = "content/en/netlab/index.md";

/// Runs the blocks of the lab's first page, as a run would.
fn run_index_blocks(d: &Double) {
    let root = fixture().display().to_string();
    for line in [8, 15, 22] {
        let out = d.bash(
            &block_script("netlab", INDEX, line),
            &[("LABRUN_ROOT", root.as_str())],
        );
        assert!(out.status.success(), "block {line}: {}", stderr(&out));
    }
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", stdout(out), stderr(out)))
}

#[test]
fn expectations_that_hold_at_once() {
    let d = Double::start();
    run_index_blocks(&d);
    let out = labrun(&["verify", "netlab", "--page", "index"], &d.env());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains(&d.server()), "{text}");
    assert!(
        text.contains(
            "✓ hook policy (after) of content/en/netlab/index.md:15  6 expectations hold"
        ),
        "{text}"
    );
    assert!(
        text.contains("3 hooks, 12 expectations: all hold"),
        "{text}"
    );
    // Each expectation was looked at once: nothing needed polling.
    let out = labrun(
        &["verify", "netlab", "--page", "index", "--format", "json"],
        &d.env(),
    );
    let report = json(&out);
    assert_eq!(report["schema"], "labrun.verify/v1");
    assert_eq!(report["passed"], true);
    assert_eq!(report["totals"]["expectations"], 12);
    for hook in report["hooks"].as_array().unwrap() {
        for o in hook["outcomes"].as_array().unwrap() {
            assert_eq!(o["attempts"], 1, "{o}");
        }
    }
}

#[test]
fn before_expectations_and_absence_on_an_empty_cluster() {
    let d = Double::start();
    let out = labrun(
        &["verify", "netlab", "--page", "index", "--phase", "before"],
        &d.env(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("3 hooks, 3 expectations: all hold"));
    // After the lab, `before` no longer holds: the namespace is there.
    run_index_blocks(&d);
    let out = labrun(
        &["verify", "netlab", "--page", "index", "--phase", "before"],
        &d.env(),
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("hook-namespace.yaml:3  namespace/shop"),
        "{text}"
    );
    assert!(
        text.contains("expected: the object does not exist"),
        "{text}"
    );
    assert!(text.contains("actual:   the object exists"), "{text}");
    assert!(
        text.contains("note: the namespace is left from an earlier attempt"),
        "{text}"
    );
    // The object found is shown.
    assert!(
        text.contains("\"kubernetes.io/metadata.name\": \"shop\""),
        "{text}"
    );
}

#[test]
fn polling_until_the_blocks_create_the_objects() {
    // The Deployment controller of the double takes a second, as real ones do.
    let d = Double::start_with(&["--controller-delay", "1"]);
    let verify = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .arg("--config")
        .arg(fixture().join("labrun.yaml"))
        .args([
            "verify", "netlab", "--page", "index", "--wait", "--format", "json",
        ])
        .envs(d.env())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Once verify has seen the namespace missing, the blocks run.
    d.wait_for_request("GET", "/api/v1/namespaces/shop", 404);
    run_index_blocks(&d);
    let out = verify.wait_with_output().unwrap();
    let report = json(&out);
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    let outcomes: Vec<&Value> = report["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["outcomes"].as_array().unwrap())
        .collect();
    // The namespace was polled for until the first block created it.
    let first = outcomes[0];
    assert_eq!(first["target"], "namespace/shop");
    assert!(first["attempts"].as_u64().unwrap() > 1, "{first}");
    // The Deployment became Available only after the controller's delay.
    let available = outcomes
        .iter()
        .find(|o| o["target"] == "deployment/web -n shop")
        .unwrap();
    assert_eq!(available["passed"], true);
    assert_eq!(available["expected"], "condition Available is True");
}

#[test]
fn a_timeout_reports_expected_actual_fragment_and_place() {
    let d = Double::start();
    run_index_blocks(&d);
    let start = Instant::now();
    let out = labrun(&["verify", "netlab", "--page", "wrong", "--wait"], &d.env());
    let elapsed = start.elapsed();
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    // The hook's timeout is 2 s: it polled that long, not much longer.
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
    for want in [
        "✗ hook wrong (after) of content/en/netlab/wrong.md:9  the expectation failed",
        "content/en/netlab/tests/hook-wrong.yaml:2  networkpolicy/default-deny -n shop",
        "expected: $.spec.policyTypes[0] equals \"Egress\"",
        "actual:   \"Ingress\"",
        "still failing after",
        "looked at:",
        "note: the manifest lists Ingress first",
        "one hook, one expectation: one failed",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    let out = labrun(
        &["verify", "netlab", "--page", "wrong", "--format", "json"],
        &d.env(),
    );
    let report = json(&out);
    let o = &report["hooks"][0]["outcomes"][0];
    assert_eq!(report["passed"], false);
    assert_eq!(o["fragment"], "Ingress");
    assert_eq!(o["actual"], "\"Ingress\"");
    assert_eq!(
        report["hooks"][0]["origin"]["page"],
        "content/en/netlab/wrong.md"
    );
    assert_eq!(report["hooks"][0]["origin"]["line"], 9);
}

#[test]
fn label_selector_counts_and_absence_fail_with_what_was_found() {
    let d = Double::start();
    run_index_blocks(&d);
    // A third web Pod, and one the hook says must not exist.
    d.kubectl(&[
        "run",
        "web-extra",
        "-n",
        "shop",
        "--image=nginx",
        "--labels=app=web",
    ]);
    d.kubectl(&[
        "run",
        "api",
        "-n",
        "shop",
        "--image=nginx",
        "--labels=app=api",
    ]);
    let out = labrun(
        &["verify", "netlab", "--page", "index", "--format", "json"],
        &d.env(),
    );
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let web = report["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["origin"]["hook"] == "web")
        .unwrap();
    let by_line = |line: u64| {
        web["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["line"] == line)
            .unwrap()
    };
    let count = by_line(11);
    assert_eq!(count["passed"], false);
    assert_eq!(count["expected"], "exactly 2 objects");
    assert!(
        count["actual"]
            .as_str()
            .unwrap()
            .starts_with("3 objects: shop/web"),
        "{count}"
    );
    // app in (web, api): 4 Pods, all Running, at least 2 needed.
    assert_eq!(by_line(15)["passed"], true);
    let absent = by_line(21);
    assert_eq!(absent["passed"], false);
    assert_eq!(absent["actual"], "one object: shop/api");
    assert_eq!(absent["fragment"][0]["name"], "shop/api");
}

#[test]
fn japanese_reports() {
    let d = Double::start();
    let out = labrun(
        &["--lang", "ja", "verify", "netlab", "--page", "index"],
        &d.env(),
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("content/ja/netlab/index.md:9 のフック namespace"),
        "{text}"
    );
    assert!(text.contains("期待: オブジェクトが存在する"), "{text}");
    assert!(text.contains("実際: 見つかりません"), "{text}");
}

#[test]
fn broken_hook_files_stop_verify_with_file_and_line() {
    // No cluster is needed to find that out.
    let out = labrun(&["verify", "badlab"], &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("content/en/badlab/tests/hook-bad.yaml:3:5: error[hook/unknown-key]"),
        "{err}"
    );
    assert!(err.contains("did you mean `namespace`?"), "{err}");
    assert!(
        err.contains("hook-bad.yaml:5:15: error[hook/bad-jsonpath]"),
        "{err}"
    );
    assert!(err.contains("$.status.phase"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn usage_errors() {
    let out = labrun(&["verify", "netlab", "--page", "nope"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no page `nope` in this lab"),
        "{}",
        stderr(&out)
    );
    let out = labrun(
        &["verify", "netlab", "--page", "wrong", "--phase", "before"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no block of netlab has a declarative hook"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_fixture_hooks_are_valid() {
    let project =
        labrun::content::Project::open(Some(&fixture().join("labrun.yaml")), &fixture()).unwrap();
    let tree = project.load("en").unwrap();
    let diags: Vec<String> = labrun::verify::validate_tree(&tree, &Default::default())
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert!(
        diags.iter().all(|d| d.contains("hook-bad.yaml")),
        "{diags:?}"
    );
}
