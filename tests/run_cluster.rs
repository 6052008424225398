//! `labrun run` against the Kubernetes API double: declarative hooks, the
//! kubeconfig reaching blocks, leak detection and the preflight check.

mod verify_support;

use verify_support::{Double, closed_port, kubeconfig_text, labrun, stderr, stdout};

#[test]
fn a_lab_runs_against_a_cluster_with_declarative_hooks_and_leak_detection() {
    let d = Double::start();
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let mut env = d.env();
    env.push(("TMPDIR".into(), dir.path().display().to_string()));
    // The kubeconfig comes from --kubeconfig only: blocks must get it too.
    env.retain(|(k, _)| k != "KUBECONFIG");
    env.push(("KUBECONFIG".into(), "/nonexistent".into()));
    let out = labrun(
        &[
            "run",
            "netlab",
            "--kubeconfig",
            d.kubeconfig.to_str().unwrap(),
            "--check-leaks",
            "--report-json",
            json.to_str().unwrap(),
        ],
        &env,
    );
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    assert!(text.contains("context double"), "{text}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let pages = r["labs"][0]["pages"].as_array().unwrap();
    let index = &pages[0]["blocks"];
    for (i, line) in [8, 15, 22, 29].iter().enumerate() {
        assert_eq!(index[i]["line"], *line);
        assert_eq!(index[i]["status"], "passed", "{:#}", index[i]);
    }
    // Declarative hooks were checked before and after (the namespace block).
    let hooks: Vec<(&str, &str, &str)> = index[0]["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["phase"].as_str().unwrap(),
                h["file"].as_str().unwrap(),
                h["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        hooks,
        [
            (
                "before",
                "content/en/netlab/tests/hook-namespace.yaml",
                "passed"
            ),
            (
                "after",
                "content/en/netlab/tests/hook-namespace.yaml",
                "passed"
            ),
        ]
    );
    // A wrong expectation fails its block, with what was found.
    let wrong = &pages[1]["blocks"][0];
    assert_eq!(wrong["status"], "failed");
    assert_eq!(wrong["failure"], "hook-after");
    assert!(
        text.contains("expected: $.spec.policyTypes[0] equals \"Egress\""),
        "{text}"
    );
    // What the lab created is left behind, and reported.
    let leaked: Vec<&str> = r["labs"][0]["leaks"]["leaked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert!(
        leaked.contains(&"shop") && leaked.contains(&"default-deny"),
        "{leaked:?}"
    );
    assert!(text.contains("the lab left 3 objects behind"), "{text}");
}

#[test]
fn no_cluster_means_nothing_runs() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    std::fs::write(&kubeconfig, kubeconfig_text(closed_port(), "gone")).unwrap();
    let env = vec![
        ("KUBECONFIG".to_owned(), kubeconfig.display().to_string()),
        ("TMPDIR".to_owned(), dir.path().display().to_string()),
    ];
    let out = labrun(&["run", "netlab"], &env);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(stderr(&out).contains("Nothing was run"), "{}", stderr(&out));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
}

/// Runs the cleanup fixture's lab with `--check-leaks`; `broken` makes its
/// cleanup script fail.
fn run_cleanlab(
    d: &Double,
    broken: bool,
) -> (
    std::process::Output,
    serde_json::Value,
    String,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let junit = dir.path().join("r.xml");
    let project = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cleanup");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_labrun"));
    cmd.current_dir(&project)
        .args(["run", "cleanlab", "--check-leaks", "--report-json"])
        .arg(&json)
        .arg("--report-junit")
        .arg(&junit)
        .envs(d.env())
        .env("TMPDIR", dir.path())
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    if broken {
        cmd.env("BREAK_CLEANUP", "1");
    }
    let out = cmd.output().expect("labrun runs");
    let report = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let junit = std::fs::read_to_string(&junit).unwrap();
    (out, report, junit, dir)
}

#[test]
fn check_leaks_runs_the_labs_cleanup_before_the_after_snapshot() {
    let d = Double::start();
    let (out, r, _, _scratch) = run_cleanlab(&d, false);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    let lab = &r["labs"][0];
    assert_eq!(lab["cleanup"]["status"], "passed", "{lab:#}");
    assert_eq!(lab["cleanup"]["exit_code"], 0);
    assert_eq!(
        lab["cleanup"]["file"],
        "manifests/modules/cleanlab/.workshop/cleanup.sh"
    );
    // The namespace and the config map in it went with the cleanup.
    assert_eq!(lab["leaks"]["leaked"], serde_json::json!([]), "{lab:#}");
    assert!(
        text.contains(
            "✓ the lab's cleanup manifests/modules/cleanlab/.workshop/cleanup.sh: passed"
        ),
        "{text}"
    );
    assert!(text.contains("nothing left behind"), "{text}");
    // The cleanup ran in the session, after the last block, and is logged.
    let log = std::fs::read_to_string(lab["cleanup"]["log"].as_str().unwrap()).unwrap();
    assert!(log.contains("namespace \"cleanlab\" deleted"), "{log}");
}

#[test]
fn a_failing_cleanup_fails_the_lab_and_its_leaks_are_reported() {
    let d = Double::start();
    let (out, r, junit, _scratch) = run_cleanlab(&d, true);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    let lab = &r["labs"][0];
    assert_eq!(lab["status"], "failed");
    assert_eq!(lab["cleanup"]["status"], "failed");
    assert_eq!(lab["cleanup"]["exit_code"], 3);
    assert_eq!(r["totals"]["hooks_failed"], 1);
    for page in lab["pages"].as_array().unwrap() {
        assert_eq!(page["status"], "passed");
    }
    assert!(text.contains("✗ the lab's cleanup"), "{text}");
    assert!(
        text.contains("| cleanup: cannot reach the cluster"),
        "{text}"
    );
    let leaked: Vec<&str> = lab["leaks"]["leaked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(leaked, ["cleanlab", "notes"], "{lab:#}");
    assert!(junit.contains("en/cleanlab (cleanup)"), "{junit}");
    assert!(junit.contains("<failure"), "{junit}");
}
