//! The bundled AKS lab cannot run here (no Azure), but everything around it
//! must hold: a run without the Azure CLI stops at once with a clear
//! message, in both languages, before anything runs or any cluster is asked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A `PATH` holding `bash` and nothing else, so `az` is certainly missing.
fn bare_path() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let bash = ["/usr/bin/bash", "/bin/bash"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
        .expect("bash is installed");
    std::os::unix::fs::symlink(bash, bin.join("bash")).unwrap();
    (dir, bin)
}

fn labrun(args: &[&str], path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("labrun runs")
}

#[test]
fn a_run_without_the_azure_cli_stops_at_once() {
    let (_dir, bin) = bare_path();
    let start = std::time::Instant::now();
    let o = labrun(&["run", "networking/aks-egress-lockdown"], &bin);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "lab networking/aks-egress-lockdown (en) needs `az` for prepare-environment networking/aks-egress-lockdown, and it is not on PATH"
        ),
        "{err}"
    );
    assert!(err.contains("labrun.yaml"), "{err}");
    assert!(err.contains("--dry-run"), "{err}");
    // Refused before the cluster preflight (kubectl is missing too).
    assert!(!err.contains("kubectl"), "{err}");
    assert!(o.stdout.is_empty(), "nothing ran");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));

    let o = labrun(
        &["run", "networking/aks-egress-lockdown", "--lang", "ja"],
        &bin,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ラボ networking/aks-egress-lockdown（ja）の prepare-environment networking/aks-egress-lockdown には `az` が必要ですが、PATH にありません"),
        "{err}"
    );
}

#[test]
fn a_dry_run_needs_no_azure_cli() {
    let (_dir, bin) = bare_path();
    let o = labrun(
        &["run", "networking/aks-egress-lockdown", "--dry-run"],
        &bin,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("networking/aks-egress-lockdown/workload.md"),
        "{out}"
    );
}

#[test]
fn the_japanese_pages_are_microsoft_docs_translations_of_the_english_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for page in ["index.md", "firewall.md", "workload.md"] {
        let ja = std::fs::read_to_string(
            root.join("content/ja/networking/aks-egress-lockdown")
                .join(page),
        )
        .unwrap();
        let en = std::fs::read_to_string(
            root.join("content/en/networking/aks-egress-lockdown")
                .join(page),
        )
        .unwrap();
        for text in [&en, &ja] {
            assert!(text.contains("\nms.topic: tutorial\n"), "{page}");
            assert!(text.contains("> [!"), "{page}: Microsoft Docs alerts");
        }
        assert!(ja.contains("\nms.openlocfilehash: "), "{page}");
        assert!(ja.contains("\nms.contentlocale: ja-JP\n"), "{page}");
    }
}
