//! Preflight, `--context`/`--kubeconfig` passthrough and leak detection,
//! end to end with the real kubectl against the Kubernetes API double.

mod verify_support;

use std::path::PathBuf;

use labrun::verify::preflight::{self, PreflightError};
use labrun::verify::{Kube, leaks};
use verify_support::{Double, closed_port, kubeconfig_text, labrun, stderr, stdout};

/// A kubeconfig file of its own in the double's directory.
fn write_kubeconfig(d: &Double, name: &str, text: &str) -> PathBuf {
    let path = d.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn preflight_fails_at_once_without_a_reachable_api() {
    let d = Double::start();
    let port = closed_port();
    let dead = write_kubeconfig(&d, "dead", &kubeconfig_text(port, "gone"));
    let env = vec![
        ("KUBECONFIG".to_owned(), dead.display().to_string()),
        (
            "KUBECACHEDIR".to_owned(),
            d.dir.path().join("cache").display().to_string(),
        ),
    ];
    let out = labrun(&["verify", "netlab", "--page", "index"], &env);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(
        err.contains(&format!(
            "the Kubernetes API of context `gone` (http://127.0.0.1:{port}) does not answer"
        )),
        "{err}"
    );
    assert!(err.contains("Nothing was checked"), "{err}");
    // kubectl's detail may end with its own `?` or `.`: never doubled.
    for doubled in ["?.", "..", ". ."] {
        assert!(!err.contains(doubled), "{doubled} in {err}");
    }
    let out = labrun(&["--lang", "ja", "verify", "netlab"], &env);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Kubernetes API が応答しません"),
        "{}",
        stderr(&out)
    );

    // The library call the runner makes, and its message for `labrun run`.
    let kube = Kube::new(Some(dead), None);
    match preflight::check(&kube) {
        Err(e @ PreflightError::Unreachable { .. }) => {
            let text = e.run_message().text_in(labrun::i18n::Lang::En);
            assert!(text.contains("--dry-run"), "{text}");
            assert!(text.contains("Nothing was run"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    // And with the live double it passes, naming the server.
    let info = preflight::check(&Kube::new(Some(d.kubeconfig.clone()), None)).unwrap();
    assert_eq!(info.context.as_deref(), Some("double"));
    assert_eq!(info.server.as_deref(), Some(d.server().as_str()));
    assert_eq!(info.version, "v1.32.0-double");
}

#[test]
fn preflight_without_a_context_or_kubectl() {
    let d = Double::start();
    let empty = write_kubeconfig(&d, "empty", "apiVersion: v1\nkind: Config\n");
    match preflight::check(&Kube::new(Some(empty), None)) {
        Err(PreflightError::NoContext { .. }) => {}
        other => panic!("{other:?}"),
    }
    let env = vec![
        (
            "LABRUN_KUBECTL".to_owned(),
            "/nonexistent/kubectl".to_owned(),
        ),
        ("KUBECONFIG".to_owned(), d.kubeconfig.display().to_string()),
    ];
    let out = labrun(&["verify", "netlab"], &env);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`/nonexistent/kubectl` is not installed or not on PATH"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn context_and_kubeconfig_pass_through_to_every_kubectl() {
    let d = Double::start();
    // Current context: a dead cluster. The live one is only reachable by name.
    let two = format!(
        "apiVersion: v1
kind: Config
clusters:
- name: dead
  cluster: {{server: 'http://127.0.0.1:{}'}}
- name: live
  cluster: {{server: 'http://127.0.0.1:{}'}}
contexts:
- name: dead
  context: {{cluster: dead, user: nobody}}
- name: live
  context: {{cluster: live, user: nobody}}
users:
- name: nobody
  user: {{}}
current-context: dead
",
        closed_port(),
        d.port
    );
    let path = write_kubeconfig(&d, "two-contexts", &two);
    let cache = d.dir.path().join("cache").display().to_string();
    // KUBECONFIG points nowhere useful: only the flags can make this work.
    let env = vec![
        ("KUBECONFIG".to_owned(), "/nonexistent/config".to_owned()),
        ("KUBECACHEDIR".to_owned(), cache.clone()),
    ];
    let path_s = path.display().to_string();
    let without = labrun(
        &[
            "verify",
            "netlab",
            "--phase",
            "before",
            "--kubeconfig",
            &path_s,
        ],
        &env,
    );
    assert_eq!(without.status.code(), Some(2), "{}", stderr(&without));
    let with = labrun(
        &[
            "verify",
            "netlab",
            "--page",
            "index",
            "--phase",
            "before",
            "--kubeconfig",
            &path_s,
            "--context",
            "live",
        ],
        &env,
    );
    assert_eq!(
        with.status.code(),
        Some(0),
        "{}{}",
        stdout(&with),
        stderr(&with)
    );
    assert!(
        stdout(&with).contains("on context live"),
        "{}",
        stdout(&with)
    );

    // What a runner gives blocks and bash hooks: their plain `kubectl` calls
    // reach the chosen context too.
    let kube = Kube::new(Some(path.clone()), Some("live".into()));
    let scratch = tempfile::tempdir().unwrap();
    let out = std::process::Command::new("bash")
        .args([
            "-c",
            "kubectl config current-context && kubectl create namespace from-a-block -o name",
        ])
        .envs(kube.env(scratch.path()).unwrap())
        .env("KUBECACHEDIR", &cache)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "live\nnamespace/from-a-block\n");
    assert!(
        d.kubectl(&["get", "namespace", "from-a-block", "-o", "name"])
            .contains("from-a-block")
    );
}

#[test]
fn leak_detection_finds_what_a_lab_forgot_to_delete() {
    let d = Double::start();
    let kube = Kube::new(Some(d.kubeconfig.clone()), None);
    let before = leaks::snapshot(&kube).unwrap();
    assert!(
        before
            .resources
            .iter()
            .any(|r| r == "networkpolicies.networking.k8s.io")
    );
    assert!(!before.resources.iter().any(|r| r == "events"));

    // The lab: a namespace with a ConfigMap, a Deployment (its Pods and
    // Events come from the controller), two policies.
    let lab = d.bash(
        "kubectl create namespace scratch
         kubectl create configmap notes -n scratch --from-literal=a=b
         kubectl create deployment web --image=nginx --replicas=2
         kubectl apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: default}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: forgotten, namespace: default}
spec: {podSelector: {}}
EOF",
        &[],
    );
    assert!(lab.status.success(), "{}", stderr(&lab));
    let during = leaks::snapshot(&kube).unwrap();
    let report = leaks::diff(&before, &during);
    let names: Vec<String> = report
        .leaked
        .iter()
        .map(|l| format!("{}/{}", l.kind, l.name))
        .collect();
    // Pods owned by the Deployment, Events and the namespace's defaults are
    // not listed; the namespace comes first.
    assert_eq!(
        names,
        [
            "Namespace/scratch",
            "Deployment/web",
            "NetworkPolicy/allow-web",
            "NetworkPolicy/forgotten",
            "ConfigMap/notes"
        ],
        "{report:#?}"
    );

    // Its cleanup forgets one policy.
    let cleanup = d.bash(
        "kubectl delete namespace scratch
         kubectl delete deployment web
         kubectl delete networkpolicy allow-web",
        &[],
    );
    assert!(cleanup.status.success(), "{}", stderr(&cleanup));
    let after = leaks::snapshot(&kube).unwrap();
    let report = leaks::diff(&before, &after);
    assert_eq!(report.leaked.len(), 1, "{report:#?}");
    let leak = &report.leaked[0];
    assert_eq!(
        (
            leak.kind.as_str(),
            leak.namespace.as_deref(),
            leak.name.as_str()
        ),
        ("NetworkPolicy", Some("default"), "forgotten")
    );
    assert_eq!(leak.api_version, "networking.k8s.io/v1");
    let table = report.table();
    assert!(table.contains("the lab left one object behind"), "{table}");
    assert!(
        table.lines().any(
            |l| l.starts_with("NetworkPolicy.networking.k8s.io  default")
                && l.contains("forgotten")
        ),
        "{table}"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["leaked"][0]["name"], "forgotten");

    // Deleting it leaves a clean cluster.
    d.kubectl(&["delete", "networkpolicy", "forgotten"]);
    let clean = leaks::diff(&before, &leaks::snapshot(&kube).unwrap());
    assert!(clean.is_clean(), "{clean:#?}");
    assert!(clean.table().starts_with("nothing left behind"));
}
