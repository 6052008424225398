//! The bundled network-policies lab's declarative hook, evaluated against the
//! Kubernetes API double with the real kubectl: it fails on an empty cluster
//! and holds once the lab's own manifests are applied.

mod verify_support;

use std::path::Path;
use std::process::{Command, Output};

use verify_support::Double;

fn labrun(root: &Path, args: &[&str], env: &[(String, String)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("labrun runs")
}

#[test]
fn default_deny_hook_fails_before_and_holds_after_the_manifests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = Double::start();
    let verify = |phase: &str| {
        labrun(
            root,
            &[
                "verify",
                "networking/network-policies",
                "--page",
                "default-deny",
                "--phase",
                phase,
            ],
            &d.env(),
        )
    };
    let out = verify("before");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("run prepare-environment networking/network-policies first"),
        "{text}"
    );

    let manifests = root.join("manifests");
    d.kubectl(&[
        "apply",
        "--validate=false",
        "-f",
        manifests
            .join("base-application/shop.yaml")
            .to_str()
            .unwrap(),
    ]);
    let out = verify("before");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = verify("after");
    assert_eq!(
        out.status.code(),
        Some(1),
        "no policy yet: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    let policies = manifests.join("modules/networking/network-policies/default-deny.yaml");
    d.kubectl(&[
        "apply",
        "--validate=false",
        "-f",
        policies.to_str().unwrap(),
    ]);
    let out = verify("after");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("3 expectations hold"), "{text}");
}
