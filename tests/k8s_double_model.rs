//! The simulated cluster's own unit tests: the Python `unittest` files
//! beside its code in `tests/k8s_double` (the NetworkPolicy model against
//! the documented semantics, the probes, the AWS model, patches, WebSocket
//! framing, the controllers), run here so that `cargo test` and CI run them.

use std::path::Path;
use std::process::Command;

#[test]
fn the_simulated_clusters_unit_tests_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/k8s_double");
    let out = Command::new("python3")
        .args([
            "-m",
            "unittest",
            "discover",
            "-s",
            ".",
            "-p",
            "test_*.py",
            "-v",
        ])
        .current_dir(&dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| {
            panic!("these tests need python3 (Debian: apt-get install python3): {e}")
        });
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{report}");
    // unittest prints "Ran N tests"; discovery that found nothing would pass.
    let ran: usize = report
        .lines()
        .find_map(|l| {
            l.strip_prefix("Ran ")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or(0);
    assert!(ran >= 60, "only {ran} tests ran:\n{report}");
}
