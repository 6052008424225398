//! The page dialects labrun reads, on fixture pages written for this
//! project (tests/fixtures/dialects): Docusaurus with remark directives and
//! fence annotations (English, and Japanese with `tmdTranslationSourceHash`
//! or the older `kiteTranslationSourceHash`), Microsoft Docs (`ms.*` front
//! matter, `> [!NOTE]` alerts, `<a name>` anchors, reference links) and
//! Hugo (`{{< >}}` / `{{% %}}` shortcodes, `{#id}` anchors, `weight`).
//! Each must parse without a finding and with what it says read exactly.

use std::path::{Path, PathBuf};

use labrun::markdown::parse_page;
use labrun::model::Page;

fn page(name: &str, locale: &str) -> Page {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dialects")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    let p = parse_page(&path, name, locale, &bytes);
    assert!(p.diagnostics.is_empty(), "{name}: {:?}", p.diagnostics);
    p
}

#[test]
fn docusaurus_pages_in_both_languages_run_the_same_lab() {
    let en = page("docusaurus-en.md", "en");
    let ja = page("docusaurus-ja-tmd.md", "ja");
    for p in [&en, &ja] {
        assert_eq!(p.position(), Some(30.0));
        assert_eq!(p.blocks.len(), 2);
        // A block inside a `:::tip` container runs like any other.
        let b = &p.blocks[0];
        assert_eq!(b.containers, ["tip"]);
        assert_eq!(
            (b.annotations.wait, b.annotations.timeout),
            (Some(30), Some(600))
        );
        assert_eq!(b.commands[0].text, "prepare-environment networking/ingress");
        let apply = &p.blocks[1];
        assert_eq!(
            apply.commands[0].text,
            "kubectl apply -f ~/environment/ingress.yaml"
        );
        assert_eq!(
            apply.commands[0].output,
            ["ingress.networking.k8s.io/shop created"]
        );
        let names: Vec<&str> = p.directives.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["required-time", "tip", "yaml"]);
        let y = &p.directives[2];
        assert_eq!(
            y.paths(),
            ["metadata", "spec.ingressClassName", "spec.rules"]
        );
        assert_eq!(y.callouts.len(), 3);
        assert_eq!(y.attr("title"), Some("shop-ingress.yaml"));
        assert_eq!(
            y.attr("file"),
            Some("manifests/modules/networking/ingress/ingress.yaml")
        );
    }
    assert!(en.front.source_hash.is_none());
    let hash = ja.front.source_hash.as_ref().unwrap();
    assert_eq!(hash.field, "tmdTranslationSourceHash");
    assert_eq!(hash.value, "2b1f0e5f7a3c4d9e8b6a5f4e3d2c1b0a");
    assert!(hash.verifiable());
    // Japanese prose is counted in characters, English in words.
    assert!(ja.prose.cjk_chars > 50, "{:?}", ja.prose);
    assert!(en.prose.words > 20 && en.prose.cjk_chars == 0);
}

#[test]
fn the_older_kite_hash_and_placeholders_in_links() {
    let p = page("docusaurus-ja-kite.md", "ja");
    let hash = p.front.source_hash.as_ref().unwrap();
    assert_eq!(hash.field, "kiteTranslationSourceHash");
    assert!(hash.verifiable());
    // sidebar_position wins over weight.
    assert_eq!(p.position(), Some(20.0));
    let names: Vec<&str> = p.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(
        names,
        ["MANIFESTS_OWNER", "MANIFESTS_REPOSITORY", "MANIFESTS_REF"]
    );
    assert_eq!(
        (
            p.blocks[0].annotations.timeout,
            p.blocks[0].annotations.wait
        ),
        (Some(900), Some(30))
    );
}

#[test]
fn microsoft_docs_pages_are_prose_with_alerts_and_anchors() {
    let p = page("msdocs-ja.md", "ja");
    assert!(p.blocks.is_empty() && p.directives.is_empty());
    // Written by Microsoft's tooling with an unpublished algorithm: read,
    // never verified or rewritten.
    let hash = p.front.source_hash.as_ref().unwrap();
    assert_eq!(hash.field, "ms.openlocfilehash");
    assert!(!hash.verifiable());
    let kinds: Vec<&str> = p.alerts.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(kinds, ["IMPORTANT", "NOTE", "WARNING"]);
    let ids: Vec<Option<&str>> = p.headings.iter().map(|h| h.id.as_deref()).collect();
    assert_eq!(
        ids,
        [Some("limit-outbound-traffic"), Some("required-ports")]
    );
    let dests: Vec<&str> = p.links.iter().map(|l| l.dest.as_str()).collect();
    assert!(dests.contains(&"./concepts-network.md"), "{dests:?}");
    assert!(dests.contains(&"./faq.md"), "{dests:?}");
    assert!(p.prose.cjk_chars > 100);
}

#[test]
fn hugo_pages_keep_shortcodes_out_of_directives_and_commands() {
    let p = page("hugo-ja.md", "ja");
    assert!(p.blocks.is_empty() && p.directives.is_empty());
    assert_eq!(p.position(), Some(70.0));
    assert!(p.front.source_hash.is_none());
    let names: Vec<&str> = p.shortcodes.iter().map(|s| s.name.as_str()).collect();
    for n in ["glossary_tooltip", "alert", "note"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    let anchors: Vec<&str> = p.headings.iter().map(|h| h.anchor.as_str()).collect();
    assert_eq!(anchors, ["persistent-volumes", "storage-classes"]);
    assert!(p.prose.cjk_chars > 100);
    assert_eq!(
        p.file,
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dialects/hugo-ja.md")
    );
}
