//! End-to-end: the real binary plans fixture labs in both layouts and locales.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/plan")
        .join(name)
}

fn labrun(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(args)
        .current_dir(dir)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .output()
        .expect("labrun runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let o = labrun(dir, args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("plan JSON parses")
}

#[test]
fn locale_dirs_plan_in_site_order() {
    let plan = json(
        &fixture("locale-dirs"),
        &["plan", "kitchen", "--format", "json"],
    );
    assert_eq!(plan["schema"], "labrun.plan/v1");
    assert_eq!(plan["locale"], "en");
    let pages: Vec<&str> = plan["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        pages,
        [
            "kitchen/index.md",
            "kitchen/boiling.md",
            "kitchen/chopping.md",
            "kitchen/drafts/index.md"
        ]
    );
    let chopping = &plan["pages"][2];
    assert_eq!(chopping["file"], "content/en/kitchen/chopping.md");
    let b = &chopping["blocks"][0];
    assert_eq!(b["line"], 6);
    assert_eq!(b["wait"], 1);
    assert_eq!(b["hook"]["file"], "content/en/kitchen/tests/hook-knife.sh");
    assert_eq!(b["commands"][1]["text"], "echo \"knife is $KNIFE\"");
    assert_eq!(b["commands"][1]["output"][0], "knife is sharp");
    assert_eq!(chopping["blocks"][1]["skip"], true);
    assert_eq!(plan["pages"][3]["skipped"], "notest");
    assert_eq!(plan["pages"][0]["blocks"][0]["containers"][0], "tip");
    // Runs: the tip block, boiling, chopping's first block; not test=false, not .notest.
    assert_eq!(plan["totals"]["blocks"], 3);
}

#[test]
fn japanese_plan_reads_the_japanese_pages_and_speaks_japanese() {
    let dir = fixture("locale-dirs");
    let plan = json(
        &dir,
        &["plan", "kitchen", "--lang", "ja", "--format", "json"],
    );
    assert_eq!(plan["locale"], "ja");
    assert_eq!(plan["title"], "台所の基本");
    assert_eq!(plan["pages"][0]["file"], "content/ja/kitchen/index.md");
    // The Japanese tree has no hooks of its own: the English one is used.
    assert_eq!(
        plan["pages"][2]["blocks"][0]["hook"]["file"],
        "content/en/kitchen/tests/hook-knife.sh"
    );
    let text = stdout(&labrun(&dir, &["plan", "kitchen", "--lang", "ja"]));
    assert!(text.contains("台所の基本（kitchen、ja）"), "{text}");
    assert!(text.contains("エラーを期待"), "{text}");
    let english = stdout(&labrun(&dir, &["plan", "kitchen"]));
    assert!(
        english.contains("Kitchen basics (kitchen, en)"),
        "{english}"
    );
    assert!(english.contains("expects an error"), "{english}");
}

#[test]
fn a_lab_can_be_named_by_its_environment_id() {
    let plan = json(
        &fixture("locale-dirs"),
        &["plan", "kitchen-setup", "--format", "json"],
    );
    assert_eq!(plan["lab"], "kitchen");
}

#[test]
fn docusaurus_layout_in_both_locales() {
    let dir = fixture("docusaurus");
    let en = json(&dir, &["plan", "brewing", "--format", "json"]);
    assert_eq!(en["pages"][0]["file"], "website/docs/brewing/index.md");
    let cmds = &en["pages"][0]["blocks"][0]["commands"];
    assert_eq!(
        cmds.as_array().unwrap().len(),
        2,
        "the heredoc body is not a command"
    );
    assert_eq!(
        cmds[0]["text"],
        "cat <<'TEA' > order.txt\n$ not a command, part of the heredoc\nTEA"
    );
    assert_eq!(
        en["pages"][0]["blocks"][0]["hook"]["file"],
        "website/docs/brewing/tests/hook-kettle.sh"
    );
    let ja = json(
        &dir,
        &["plan", "brewing", "--lang", "ja", "--format", "json"],
    );
    assert_eq!(ja["title"], "淹れる");
    assert_eq!(
        ja["pages"][0]["file"],
        "website/i18n/ja/docusaurus-plugin-content-docs/current/brewing/index.md"
    );
    assert_eq!(
        ja["pages"][0]["blocks"][0]["hook"]["file"],
        "website/docs/brewing/tests/hook-kettle.sh"
    );
}

#[test]
fn config_flag_works_from_any_directory() {
    let config = fixture("docusaurus").join("labrun.yaml");
    let plan = json(
        Path::new("/"),
        &[
            "--config",
            config.to_str().unwrap(),
            "plan",
            "brewing",
            "--format",
            "json",
        ],
    );
    assert_eq!(plan["title"], "Brewing");
}

#[test]
fn unknown_lab_is_a_usage_error_with_suggestions() {
    let dir = fixture("locale-dirs");
    let o = labrun(&dir, &["plan", "kitchn"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no lab named `kitchn`; did you mean: kitchen"),
        "{}",
        stderr(&o)
    );
    let o = labrun(&dir, &["plan", "kitchn", "--lang", "ja"]);
    assert!(
        stderr(&o).contains("`kitchn` という名前のラボはありません"),
        "{}",
        stderr(&o)
    );
    let o = labrun(&dir, &["plan", "kitchen", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no locale `fr`"), "{}", stderr(&o));
}

/// Writes a throwaway project and returns its directory.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, bytes) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    dir
}

#[test]
fn broken_pages_stop_the_plan_with_file_and_line() {
    let dir = project(&[
        ("labrun.yaml", b"locales: [en]\n"),
        (
            "content/en/lab/index.md",
            b"---\ntitle: Lab\n---\n\n```bash timeout=soon\n$ ls\n```\n",
        ),
        (
            "content/en/lab/two.md",
            b"---\ntitle: Two\n---\n\n\xff\xfe broken\n",
        ),
    ]);
    let o = labrun(dir.path(), &["plan", "lab"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("content/en/lab/index.md:5:9: error[fence/bad-annotation-value]"),
        "{err}"
    );
    assert!(
        err.contains("content/en/lab/two.md:5:1: error[file/not-utf8]"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_configuration_names_file_and_line() {
    let dir = project(&[
        ("labrun.yaml", b"locales: [en]\ntimeouts:\n  blok: 3\n"),
        ("content/en/lab/index.md", b"# Lab\n"),
    ]);
    let o = labrun(dir.path(), &["plan", "lab"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("labrun.yaml:3:3: invalid configuration"),
        "{err}"
    );
    assert!(err.contains("blok"), "{err}");
}

#[test]
fn bundled_lab_plans_in_both_locales() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for lang in ["en", "ja"] {
        let plan = json(
            root,
            &[
                "plan",
                "getting-started",
                "--lang",
                lang,
                "--format",
                "json",
            ],
        );
        assert!(plan["totals"]["blocks"].as_u64().unwrap() >= 5, "{lang}");
        assert_eq!(plan["pages"][0]["path"], "getting-started/index.md");
    }
}

/// Every bundled lab plans, and passes `--dry-run`, in both locales, with the
/// same pages in the same order.
#[test]
fn every_bundled_lab_plans_and_dry_runs_in_both_locales() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for lab in [
        "getting-started",
        "networking/network-policies",
        "networking/securitygroups-for-pods",
        "networking/egress-lockdown",
        "networking/aks-egress-lockdown",
        "security",
    ] {
        let en = json(root, &["plan", lab, "--format", "json"]);
        let ja = json(root, &["plan", lab, "--lang", "ja", "--format", "json"]);
        let paths = |p: &serde_json::Value| -> Vec<String> {
            p["pages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["path"].as_str().unwrap().to_owned())
                .collect()
        };
        assert!(!paths(&en).is_empty(), "{lab}");
        assert_eq!(paths(&en), paths(&ja), "{lab}");
        assert_eq!(en["totals"], ja["totals"], "{lab}");
        for lang in ["en", "ja"] {
            let o = labrun(root, &[lab, "--dry-run", "--lang", lang]);
            assert!(o.status.success(), "{lab} {lang}: {}", stderr(&o));
        }
    }
}

#[test]
fn outside_a_content_project_the_error_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let o = labrun(dir.path(), &["plan", "getting-started"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("no pages for locale `en`"), "{err}");
    assert!(err.contains("--config"), "{err}");
}
