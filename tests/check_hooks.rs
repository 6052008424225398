//! `labrun check` validates declarative hook files (`tests/hook-NAME.yaml`)
//! with the rules of the verify module.

use std::path::Path;
use std::process::Command;

#[test]
fn a_misspelt_key_in_a_declarative_hook_is_reported_with_its_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-hooks");
    let out = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(["check", "--format", "json", "--lang", "en"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = report["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{report:#}");
    assert_eq!(diags[0]["rule"], "hook/unknown-key");
    assert_eq!(diags[0]["line"], 8);
    assert!(
        diags[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("content/en/lab/tests/hook-policy.yaml")
    );
    assert!(diags[0]["message"].as_str().unwrap().contains("timeout"));
}
