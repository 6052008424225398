//! No false findings on valid content shaped like real sites (EKS workshop,
//! Microsoft Docs, Hugo, a Docusaurus tree with multi-document manifests) and
//! on labrun's bundled content; and the same trees, broken on purpose, are
//! caught.

mod common;

use std::path::Path;

use common::{check_json, copy_tree, fixtures, rules_of};

fn passes(dir: &Path) {
    for lang in ["en", "ja"] {
        let (code, r) = check_json(dir, &["--deny", "warnings", "--lang", lang]);
        assert_eq!(
            r["diagnostics"].as_array().unwrap().len(),
            0,
            "{}: {r:#}",
            dir.display()
        );
        assert_eq!(code, 0);
    }
}

#[test]
fn real_world_shaped_trees_have_no_findings() {
    passes(&fixtures().join("real/locale-dirs"));
    passes(&fixtures().join("real/docusaurus"));
}

#[test]
fn bundled_content_has_no_findings() {
    let (code, r) = check_json(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["--deny", "warnings"],
    );
    assert_eq!(r["diagnostics"], serde_json::json!([]), "{r:#}");
    assert_eq!(code, 0);
    assert!(r["summary"]["pages"].as_u64().unwrap() >= 20);
}

/// Copies a fixture, applies edits (file, from, to: every occurrence),
/// returns the rules found.
fn mutated(fixture: &str, edits: &[(&str, &str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join(fixture), dir.path());
    for (file, from, to) in edits {
        let p = dir.path().join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file} lacks {from}");
        std::fs::write(&p, text.replace(from, to)).unwrap();
    }
    let (_, r) = check_json(dir.path(), &[]);
    rules_of(&r)
}

const JA: &str =
    "website/i18n/ja/docusaurus-plugin-content-docs/current/networking/network-policies/index.md";
const EN: &str = "website/docs/networking/network-policies/index.md";

#[test]
fn docusaurus_tree_broken_on_purpose_is_caught() {
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(EN, "1.spec.replicas", "1.spec.replica")]
        ),
        ["yaml/path-not-found"]
    );
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(JA, "2.spec.ports.0", "3.spec.ports.0")]
        ),
        ["yaml/path-not-found"]
    );
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(
                EN,
                "zoomPath=\"1.spec.template.spec.containers.0.env\"",
                "zoomPath=\"1.spec.template.spec.containers.1\""
            )]
        ),
        ["yaml/zoom-path-not-found"]
    );
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(JA, "(#始める前の準備)", "(#始める前に)")]
        ),
        ["link/broken-anchor"]
    );
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(JA, "(setup#check-the-namespace)", "(setup#check-namespace)")]
        ),
        ["link/broken-anchor"]
    );
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(EN, "(./01-setup.md)", "(./02-setup.md)")]
        ),
        ["link/broken"]
    );
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(
                "test-durations.json",
                "/networking/network-policies/",
                "/networking/other/"
            )]
        ),
        ["required-time/no-duration"]
    );
    assert_eq!(
        mutated(
            "real/docusaurus",
            &[(
                "manifests/modules/networking/network-policies/shop.yaml",
                "  replicas: 2",
                "  replicas: [2"
            )]
        ),
        ["yaml/invalid-manifest"]
    );
}

#[test]
fn locale_dirs_tree_broken_on_purpose_is_caught() {
    let ja = "content/ja/networking/policies/egress.md";
    assert_eq!(
        mutated(
            "real/locale-dirs",
            &[(ja, "%E6%AC%A1%E3%81%AE", "%E6%AC%A1%E3%81%AF")]
        ),
        ["link/broken-anchor"]
    );
    assert_eq!(
        mutated("real/locale-dirs", &[(ja, "hook=policies", "hook=policy")]),
        ["fence/missing-hook"]
    );
    assert_eq!(
        mutated(
            "real/locale-dirs",
            &[(
                "content/en/platform/index.md",
                "[faq]: faq.md#general",
                "[faq]: faq.md#specific"
            )]
        ),
        ["link/broken-anchor"]
    );
    assert_eq!(
        mutated(
            "real/locale-dirs",
            &[("content/ja/security/_index.md", "(#policies)", "(#policy)")]
        ),
        ["link/broken-anchor"]
    );
    assert_eq!(
        mutated(
            "real/locale-dirs",
            &[("labrun.yaml", "  MANIFESTS_REF: main\n", "")]
        ),
        ["reference/unknown-variable"]
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_project_is_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "spec:\n  x: 1\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("yaml/path-not-found/good"), dir.path());
    let link = dir.path().join("manifests/link.yaml");
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), &link).unwrap();
    let page = dir.path().join("content/en/lab/index.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("manifests/demo.yaml", "manifests/link.yaml");
    std::fs::write(&page, text).unwrap();
    let (code, r) = check_json(dir.path(), &[]);
    assert_eq!(rules_of(&r), ["yaml/file-outside-project"]);
    assert_eq!(code, 1);
}
