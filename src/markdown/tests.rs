//! Unit tests for the Markdown engine, on pages written for these tests that
//! reproduce each construct real workshop pages use.

use std::path::PathBuf;

use super::*;

fn page(text: &str) -> Page {
    parse_page(
        &PathBuf::from("content/en/lab/page.md"),
        "lab/page.md",
        "en",
        text.as_bytes(),
    )
}

fn errors(p: &Page) -> Vec<(&str, u32)> {
    p.diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.line))
        .collect()
}

const MODULE_PAGE: &str = r#"---
title: "Traffic rules"
sidebar_position: 10
sidebar_custom_props: { "module": true }
description: "Limit which pods may talk to each other."
---

::required-time

:::tip Before you begin
Get the environment ready:

```bash wait=30 timeout=600
$ prepare-environment networking/traffic-rules
```

:::

Some prose with a [link](./other.md) and an ![image](./assets/a.webp).

::yaml{file="manifests/modules/networking/traffic-rules/policy.yaml" paths="metadata,spec.podSelector,spec.ingress" title="policy.yaml"}

1. The name
2. Which pods
3. Who may connect

## Next steps {#next}
"#;

#[test]
fn module_page_extracts_everything() {
    let p = page(MODULE_PAGE);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.title, "Traffic rules");
    assert_eq!(
        p.front
            .position
            .as_ref()
            .map(|x| (x.key.as_str(), x.value, x.line)),
        Some(("sidebar_position", 10.0, 3))
    );
    assert_eq!(
        p.front.description.as_deref(),
        Some("Limit which pods may talk to each other.")
    );
    assert_eq!(
        p.front.field("sidebar_custom_props").unwrap().value,
        serde_json::json!({"module": true})
    );

    let names: Vec<_> = p
        .directives
        .iter()
        .map(|d| (d.name.as_str(), d.kind, d.pos.line))
        .collect();
    assert_eq!(
        names,
        [
            ("required-time", DirectiveKind::Leaf, 8),
            ("tip", DirectiveKind::Container, 10),
            ("yaml", DirectiveKind::Leaf, 21)
        ]
    );
    let tip = &p.directives[1];
    assert_eq!(
        (tip.label.as_deref(), tip.end_line),
        (Some("Before you begin"), Some(17))
    );

    assert_eq!(p.blocks.len(), 1);
    let b = &p.blocks[0];
    assert_eq!(
        (b.line, b.end_line, b.lang.as_str(), b.info.as_str()),
        (13, 15, "bash", "wait=30 timeout=600")
    );
    assert_eq!(
        (b.annotations.wait, b.annotations.timeout),
        (Some(30), Some(600))
    );
    assert_eq!(b.containers, ["tip"]);
    assert_eq!(b.commands.len(), 1);
    assert_eq!(
        (b.commands[0].line, b.commands[0].text.as_str()),
        (14, "prepare-environment networking/traffic-rules")
    );

    let yaml = &p.directives[2];
    assert_eq!(
        yaml.paths(),
        ["metadata", "spec.podSelector", "spec.ingress"]
    );
    let callouts: Vec<_> = yaml
        .callouts
        .iter()
        .map(|c| (c.line, c.text.as_str()))
        .collect();
    assert_eq!(
        callouts,
        [
            (23, "The name"),
            (24, "Which pods"),
            (25, "Who may connect")
        ]
    );

    assert_eq!(p.links.len(), 2);
    assert_eq!(
        (p.links[0].dest.as_str(), p.links[0].pos),
        ("./other.md", Pos::new(19, 19))
    );
    assert_eq!(p.links[1].kind, LinkKind::Image);
    assert_eq!(p.headings[0].anchor, "next");
    assert!(p.prose.words > 10);
}

#[test]
fn crlf_and_bom_give_the_same_model() {
    let crlf = format!("\u{feff}{}", MODULE_PAGE.replace('\n', "\r\n"));
    let a = page(MODULE_PAGE);
    let b = page(&crlf);
    assert!(b.diagnostics.is_empty(), "{:?}", b.diagnostics);
    assert_eq!(a.blocks, b.blocks);
    assert_eq!(a.directives, b.directives);
    assert_eq!(a.front.fields, b.front.fields);
    assert_eq!(a.title, b.title);
}

#[test]
fn non_utf8_is_a_diagnostic_with_its_line() {
    let mut bytes = b"---\ntitle: x\n---\n\nok line\nbad \xff here\n".to_vec();
    bytes.extend_from_slice(b"```bash\n$ ls\n```\n");
    let p = parse_page(&PathBuf::from("x.md"), "x.md", "en", &bytes);
    assert_eq!(errors(&p), [("file/not-utf8", 6)]);
    assert_eq!(p.diagnostics[0].col, 5);
    assert_eq!(p.blocks.len(), 1, "the rest of the page is still read");
}

#[test]
fn front_matter_problems_name_their_line() {
    assert_eq!(
        errors(&page("---\n- a\n- b\n---\n")),
        [("front-matter/not-a-mapping", 2)]
    );
    assert_eq!(
        errors(&page("---\ntitle: x\n")),
        [("front-matter/unterminated", 1)]
    );
    let p = page("---\ntitle: x\nweight: [\n---\n");
    assert_eq!(p.diagnostics[0].rule, "front-matter/invalid-yaml");
    assert!(p.diagnostics[0].line >= 3);
    assert_eq!(
        errors(&page("---\ntitle: x\nsidebar_position: first\n---\n")),
        [("front-matter/position-not-a-number", 3)]
    );
    // Docusaurus accepts any number; both keys are kept for `order-by`.
    let p = page("---\ntitle: x\nsidebar_position: 2.5\nweight: 7\n---\n");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.position(), Some(2.5));
    assert_eq!(p.front.positions.len(), 2);
    // An empty front matter is fine.
    assert!(page("---\n---\n# T\n").diagnostics.is_empty());
}

#[test]
fn translation_hash_fields_quoted_or_not() {
    let p =
        page("---\ntitle: t\ntmdTranslationSourceHash: 2431e68bee7e383213ec838021213041\n---\n");
    let h = p.front.source_hash.unwrap();
    assert_eq!(
        (h.field.as_str(), h.value.as_str(), h.line, h.quoted),
        (
            "tmdTranslationSourceHash",
            "2431e68bee7e383213ec838021213041",
            3,
            false
        )
    );
    let p = page("---\nkiteTranslationSourceHash: \"fb907266e509b1d5fbe7bfadb17c5ccf\"\n---\n");
    let h = p.front.source_hash.unwrap();
    assert_eq!(
        (h.field.as_str(), h.quoted),
        ("kiteTranslationSourceHash", true)
    );
    let p = page(
        "---\nms.openlocfilehash: a76f4eb8680d07193feb29450fdba7bb2a710a68\nms.locfileid: \"77595010\"\n---\n",
    );
    assert!(!p.front.source_hash.unwrap().verifiable());
    let p = page("---\nwsmSourceHash: 'abc'\n---\n");
    assert!(p.front.source_hash.unwrap().quoted);
}

#[test]
fn hugo_weight_and_folded_description() {
    let p = page(
        "---\ntitle: \"Security\"\nweight: 85\ndescription: >\n  Concepts for keeping\n  workloads safe\n---\n\n{{< glossary_tooltip text=\"CNCF\" term_id=\"cncf\" >}} and {{% thirdparty-content vendor=\"true\" %}}\n\n## Mechanisms {#security-mechanisms}\n",
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.position(), Some(85.0));
    assert_eq!(
        p.front.description.as_deref(),
        Some("Concepts for keeping workloads safe")
    );
    let sc: Vec<_> = p.shortcodes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(sc, ["glossary_tooltip", "thirdparty-content"]);
    assert!(p.directives.is_empty() && p.blocks.is_empty());
    assert_eq!(p.headings[0].id.as_deref(), Some("security-mechanisms"));
}

#[test]
fn ms_docs_alerts_anchors_and_reference_links() {
    let text = "---\ntitle: t\n---\n# <a name=\"control-egress\"></a>Control egress\n\n> [!IMPORTANT]\n> Read [the policy][network-policy] first.\n\n<!-- LINKS - internal -->\n[network-policy]: use-network-policies.md\n";
    let p = page(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(
        p.alerts,
        [Alert {
            kind: "IMPORTANT".into(),
            line: 6
        }]
    );
    assert_eq!(p.headings[0].anchor, "control-egress");
    assert_eq!(p.links[0].dest, "use-network-policies.md");
    assert_eq!(p.comments[0].text, "LINKS - internal");
    assert!(p.blocks.is_empty() && p.directives.is_empty());
}

#[test]
fn fence_inside_nested_containers() {
    let text =
        "::::details[More]\n:::note Inner\n```bash hook=check\n$ echo hi\nhi\n```\n:::\n::::\n";
    let p = page(text);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.blocks[0].containers, ["details", "note"]);
    assert_eq!(p.directives[0].end_line, Some(8));
    assert_eq!(p.directives[1].end_line, Some(7));
    assert_eq!(p.blocks[0].commands[0].output, ["hi"]);
}

#[test]
fn directive_syntax_inside_code_is_code() {
    let p = page("```markdown\n::yaml{file=x}\n:::tip\n```\n\n    ::indented{code=1}\n");
    assert!(p.directives.is_empty());
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
}

#[test]
fn unterminated_fence_and_container() {
    assert_eq!(
        errors(&page("text\n\n```bash\n$ ls\n")),
        [("fence/unterminated", 3)]
    );
    assert_eq!(
        errors(&page(":::tip\ntext\n")),
        [("directive/unterminated-container", 1)]
    );
    assert_eq!(
        errors(&page("text\n:::\n")),
        [("directive/unmatched-close", 2)]
    );
    assert_eq!(
        errors(&page("::yaml{file=\"x}\n")),
        [("directive/malformed", 1)]
    );
}

#[test]
fn microsoft_docs_triple_colon_extensions_are_closed() {
    let p = page(
        ":::image type=\"content\" source=\"media/a.png\":::\n\n:::zone pivot=\"cli\"\n\n```bash\n$ az aks list\n```\n\n:::zone-end\n",
    );
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let d: Vec<_> = p
        .directives
        .iter()
        .map(|d| (d.name.as_str(), d.end_line, d.docs_extension))
        .collect();
    assert_eq!(d, [("image", Some(1), true), ("zone", Some(9), true)]);
    assert_eq!(p.blocks[0].containers, ["zone"]);
    // A remark container stays one.
    assert!(!page(":::tip\nx\n:::\n").directives[0].docs_extension);
}

#[test]
fn raw_block_keeps_dollar_lines_as_script() {
    let p = page("```bash raw=true\nset -e\n$ this is part of the script\n```\n");
    assert_eq!(p.blocks[0].commands.len(), 1);
    assert_eq!(
        p.blocks[0].commands[0].text,
        "set -e\n$ this is part of the script"
    );
}

#[test]
fn bash_block_without_prompt_warns_unless_skipped() {
    assert_eq!(
        errors(&page("```bash\nls -l\n```\n")),
        [("fence/no-commands", 1)]
    );
    assert!(
        page("```bash test=false\nls -l\n```\n")
            .diagnostics
            .is_empty()
    );
    assert!(page("```yaml\na: 1\n```\n").diagnostics.is_empty());
}

#[test]
fn variables_in_links_and_code() {
    let p = page(
        "See [here](https://example.com/VAR::OWNER/VAR::REPO/tree/VAR::REF/x).\n\n```bash\n$ echo VAR::REF\n```\n",
    );
    let names: Vec<_> = p
        .variables
        .iter()
        .map(|v| (v.name.as_str(), v.pos.line))
        .collect();
    assert_eq!(names, [("OWNER", 1), ("REPO", 1), ("REF", 1), ("REF", 4)]);
}

#[test]
fn japanese_prose_is_counted_in_characters() {
    let p =
        page("---\ntitle: t\n---\nデフォルトでは、Kubernetesはすべてのポッドが通信できます。\n");
    assert!(p.prose.cjk_chars >= 20, "{:?}", p.prose);
    assert_eq!(p.prose.words, 1);
}

#[test]
fn callouts_need_an_ordered_list_right_after() {
    let p = page("::yaml{file=a.yaml paths=\"a,b\"}\n\nSome prose.\n\n1. later list\n");
    assert!(p.directives[0].callouts.is_empty());
    let p = page("::yaml{file=a.yaml paths=\"a,b\"}\n1. one\n2. two with `code`\n");
    assert_eq!(p.directives[0].callouts.len(), 2);
    assert_eq!(p.directives[0].callouts[1].text, "two with code");
}

#[test]
fn title_falls_back_to_heading_then_file_name() {
    assert_eq!(page("# Hello\n").title, "Hello");
    assert_eq!(page("text\n").title, "page");
}

#[test]
fn slugs_keep_every_script() {
    assert_eq!(slug("Before you begin"), "before-you-begin");
    assert_eq!(
        slug("AKS クラスターの必要なポート"),
        "aks-クラスターの必要なポート"
    );
    assert_eq!(slug("What's next?"), "whats-next");
}

/// The reference pages in `../shared/seeds` (real workshop pages) must parse
/// with no error and with their commands, annotations and directives read
/// exactly. They are read in place, never copied into the repository: an
/// optional extra beside our own dialect fixtures (tests/dialects.rs).
/// Ignored without them (build.rs), failing under `CI=true`.
#[test]
#[cfg_attr(labrun_skip_seeds, ignore = "../shared/seeds is not present")]
fn reference_pages_parse_exactly() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    assert!(
        dir.is_dir(),
        "{} is not present; CI must provide it",
        dir.display()
    );
    let read = |name: &str| {
        let path = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
            .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        parse_page(&path, "x.md", "en", &bytes)
    };
    for (prefix, env_id, wait, timeout) in [
        ("003_", "networking/network-policies", 30, 600),
        ("000_", "networking/network-policies", 30, 600),
        ("001_", "networking/securitygroups-for-pods", 30, 900),
    ] {
        let p = read(prefix);
        assert!(p.diagnostics.is_empty(), "{prefix}: {:?}", p.diagnostics);
        assert_eq!(p.blocks.len(), 1, "{prefix}");
        let b = &p.blocks[0];
        assert_eq!(b.commands.len(), 1);
        assert_eq!(b.commands[0].text, format!("prepare-environment {env_id}"));
        assert_eq!(
            (b.annotations.wait, b.annotations.timeout),
            (Some(wait), Some(timeout))
        );
        assert_eq!(b.containers, ["tip"]);
        assert_eq!(p.directives[0].name, "required-time");
        assert_eq!(p.directives[1].name, "tip");
    }
    for prefix in ["003_", "000_"] {
        let p = read(prefix);
        let y = &p.directives[2];
        assert_eq!(y.name, "yaml");
        assert_eq!(
            y.paths(),
            [
                "metadata",
                "spec.podSelector",
                "spec.policyTypes",
                "spec.ingress",
                "spec.egress"
            ]
        );
        assert_eq!(y.callouts.len(), 5);
        assert_eq!(y.attr("title"), Some("example-network-policy.yaml"));
    }
    assert_eq!(
        read("000_").front.source_hash.unwrap().field,
        "tmdTranslationSourceHash"
    );
    let sg = read("001_");
    assert_eq!(
        sg.front.source_hash.as_ref().unwrap().field,
        "kiteTranslationSourceHash"
    );
    assert_eq!(sg.variables.len(), 3);
    let aks = read("002_");
    assert!(aks.diagnostics.is_empty(), "{:?}", aks.diagnostics);
    assert!(aks.blocks.is_empty() && aks.directives.is_empty());
    assert!(!aks.front.source_hash.unwrap().verifiable());
    assert!(aks.alerts.len() >= 4);
    let k8s = read("004_");
    assert!(k8s.diagnostics.is_empty(), "{:?}", k8s.diagnostics);
    assert!(k8s.blocks.is_empty() && k8s.directives.is_empty());
    assert_eq!(k8s.position(), Some(85.0));
    assert!(k8s.prose.cjk_chars > 500);
}

#[test]
fn directive_attribute_values_have_columns() {
    let text = "前置き\n\n::yaml{file=\"m/a.yaml\" paths=x.y,z #top}\n";
    let page = parse_page(Path::new("/p.md"), "p.md", "en", text.as_bytes());
    let d = &page.directives[0];
    assert_eq!(d.attr_at("file"), Some(("m/a.yaml", (14, 22))));
    assert_eq!(d.attr_at("paths"), Some(("x.y,z", (30, 35))));
    assert_eq!(d.attr_at("id"), Some(("top", (37, 40))));
    let line = text.lines().nth(2).unwrap();
    let (v, (s, e)) = d.attr_at("paths").unwrap();
    let shown: String = line
        .chars()
        .skip(s as usize - 1)
        .take((e - s) as usize)
        .collect();
    assert_eq!(shown, v);
}
