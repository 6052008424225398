//! YAML bombs and deep nesting, wherever labrun reads YAML (front matter,
//! manifests, declarative hooks, labrun.yaml): a finding (or a
//! configuration error) naming the file and line, within a memory limit the
//! expansion would blow through, and no stack overflow.

mod hostile_support;

use hostile_support::World;

/// The address space labrun gets: ample for these tiny projects, a small
/// fraction of what the bomb would take (the issue saw 24 GB).
const MEMORY: u64 = 1 << 30;

/// "Billion laughs": 367 bytes that expand to 10^9 strings.
fn bomb(indent: &str) -> String {
    let mut s = format!(
        "{indent}a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        s.push_str(&format!("{indent}{}: &{} [{refs}]\n", w[1], w[1]));
    }
    s
}

fn deep(levels: usize) -> String {
    format!("{}x\n", "- ".repeat(levels))
}

const PAGE_WITH_MANIFEST: &str =
    "---\ntitle: Lab\n---\n\n::yaml{file=\"manifests/m.yaml\" paths=\"kind\"}\n\n1. The kind\n";

#[test]
fn a_bomb_or_a_deep_tree_in_a_manifest_is_a_finding() {
    for (name, manifest, mark) in [
        ("bomb", format!("kind: X\n{}", bomb("")), "MiB"),
        ("deep", format!("kind: X\nspec:\n{}", deep(20_000)), "256"),
    ] {
        let w = World::new(
            "locales: [en]\n",
            &[
                ("content/en/lab/index.md", PAGE_WITH_MANIFEST),
                ("manifests/m.yaml", &manifest),
            ],
        );
        let before = w.outside_snapshot();
        let r = w.labrun_limited(&["check"], MEMORY);
        r.assert_clean_exit(1);
        assert!(
            r.stdout.contains("yaml/invalid-manifest") && r.stdout.contains(mark),
            "{name}: {}",
            r.stdout
        );
        assert!(
            r.stdout.contains("manifests/m.yaml"),
            "{name}: {}",
            r.stdout
        );
        // render shows the manifest: it must refuse it the same way.
        let render = w.labrun_limited(&["render", "lab"], MEMORY);
        assert!(
            !render.stderr.contains("panicked") && render.code.is_some_and(|c| c != 0),
            "{name}: {render:?}"
        );
        assert_eq!(w.outside_snapshot(), before);
    }
}

#[test]
fn a_bomb_or_a_deep_tree_in_front_matter_is_a_finding_in_every_command() {
    for (name, fm, mark, line) in [
        ("bomb", bomb(""), "MiB", 7),
        (
            "deep",
            format!("title: T\nlist:\n{}", deep(20_000)),
            "256",
            4,
        ),
    ] {
        let text = format!("---\n{fm}---\n\nBody.\n\n```bash\n$ echo hi\n```\n");
        let w = World::new("locales: [en]\n", &[("content/en/lab/index.md", &text)]);
        let r = w.labrun_limited(&["check"], MEMORY);
        r.assert_clean_exit(1);
        assert!(
            r.stdout.contains("front-matter/invalid-yaml")
                && r.stdout.contains(mark)
                && r.stdout.contains("content/en/lab/index.md:"),
            "{name}: {}",
            r.stdout
        );
        assert!(
            r.stdout.contains(&format!("index.md:{line}:")),
            "{name}: the finding names line {line}: {}",
            r.stdout
        );
        for args in [
            &["plan", "lab"][..],
            &["run", "lab"],
            &["time", "lab"],
            &["drift"],
            &["render", "lab"],
        ] {
            let o = w.labrun_limited(args, MEMORY);
            assert!(
                !o.stderr.contains("panicked") && o.code.is_some() && o.code != Some(101),
                "{name} {args:?}: {o:?}"
            );
        }
    }
}

#[test]
fn a_bomb_in_a_declarative_hook_is_a_finding() {
    let page = "---\ntitle: Lab\n---\n\n```bash hook=h\n$ echo hi\n```\n";
    let hook = format!(
        "before:\n  - kind: Pod\n    name: x\n    extra:\n{}",
        bomb("      ")
    );
    let w = World::new(
        "locales: [en]\n",
        &[
            ("content/en/lab/index.md", page),
            ("content/en/lab/tests/hook-h.yaml", &hook),
        ],
    );
    let r = w.labrun_limited(&["check"], MEMORY);
    r.assert_clean_exit(1);
    assert!(
        r.stdout.contains("hook/yaml-syntax") && r.stdout.contains("MiB"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("tests/hook-h.yaml:"), "{}", r.stdout);
}

#[test]
fn a_bomb_or_a_deep_tree_in_labrun_yaml_is_a_configuration_error() {
    for (config, mark, line) in [
        (
            format!("locales: [en]\nvariables:\n{}", bomb("  ")),
            "MiB",
            8,
        ),
        (
            format!("locales: [en]\nvariables:\n{}", deep(20_000)),
            "256",
            3,
        ),
    ] {
        let w = World::new(
            &config,
            &[("content/en/lab/index.md", "---\ntitle: L\n---\n")],
        );
        for args in [&["check"][..], &["plan", "lab"], &["run", "lab"]] {
            let r = w.labrun_limited(args, MEMORY);
            r.assert_clean_exit(2);
            assert!(
                r.stderr.contains(&format!("labrun.yaml:{line}:")) && r.stderr.contains(mark),
                "{args:?}: {}",
                r.stderr
            );
        }
    }
}
