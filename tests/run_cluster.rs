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
