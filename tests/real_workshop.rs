//! labrun on workshops shaped like real sites (tests/fixtures/real):
//! a Docusaurus site with partials, category files, several sidebars,
//! templates kept beside the pages, orphaned translations with hooks, both
//! order keys, Helm templates, a fence typo, optional callouts and a folded
//! admonition; and a Hugo-style locale-dirs workshop whose translation has
//! not started. Each must end with exactly the problems planted in it.

mod common;

use std::path::{Path, PathBuf};

use common::labrun;
use serde_json::Value;

fn real(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const JA: &str = "website/i18n/ja/docusaurus-plugin-content-docs/current";

/// (rule, severity, file, line, col): everything wrong with the Docusaurus
/// fixture, and nothing else.
fn planted() -> Vec<(&'static str, &'static str, String, u64, u64)> {
    vec![
        (
            "yaml/callout-count",
            "error",
            "website/docs/networking/network-policies/egress.md".into(),
            9,
            1,
        ),
        (
            "fence/unknown-annotation",
            "warning",
            "website/docs/networking/network-policies/ingress.md".into(),
            11,
            9,
        ),
        (
            "link/broken",
            "error",
            "website/docs/security/index.md".into(),
            6,
            18,
        ),
        (
            "fence/unknown-annotation",
            "warning",
            format!("{JA}/networking/network-policies/ingress.md"),
            12,
            9,
        ),
        (
            "translation/orphan",
            "warning",
            format!("{JA}/networking/network-policies/old-egress.md"),
            4,
            1,
        ),
        (
            "link/broken",
            "error",
            format!("{JA}/security/index.md"),
            7,
            8,
        ),
    ]
}

#[test]
fn check_reports_exactly_the_planted_problems_as_json() {
    let dir = real("docusaurus");
    let (code, r) = common::check_json(&dir, &["--lang", "en"]);
    assert_eq!(code, 1);
    let got: Vec<(String, String, String, u64, u64)> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, String, u64, u64)> = planted()
        .into_iter()
        .map(|(r, s, f, l, c)| (r.to_owned(), s.to_owned(), f, l, c))
        .collect();
    assert_eq!(got, want, "{r:#}");
    // Partials and templates are not pages; every real page is checked.
    assert_eq!(r["summary"]["pages"], 15);
    let orphan = &r["diagnostics"][4];
    let message = orphan["message"].as_str().unwrap();
    assert!(
        message.contains("website/docs/networking/network-policies/egress.md")
            && message.contains("`outbound-check`"),
        "the orphan names its likely source and folds its hooks: {message}"
    );
    // The typo's message says what labrun does with it.
    assert!(
        r["diagnostics"][1]["message"]
            .as_str()
            .unwrap()
            .contains("ignored")
    );
}

#[test]
fn check_reports_the_same_problems_as_github_junit_and_for_people() {
    let dir = real("docusaurus");
    let out = labrun(&dir, &["check", "--format", "github", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let gh = text(&out.stdout);
    let lines: Vec<&str> = gh.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), planted().len(), "{gh}");
    for ((rule, severity, file, line, col), got) in planted().iter().zip(&lines) {
        let prefix = format!("::{severity} file={file},line={line},col={col},title={rule}::");
        assert!(got.starts_with(&prefix), "{got}\nwanted {prefix}");
    }

    let out = labrun(&dir, &["check", "--format", "junit", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = text(&out.stdout);
    let doc = roxmltree::Document::parse(&xml).expect("valid XML");
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 15, "one case per page");
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    let ja_security = format!("{JA}/security/index.md");
    assert_eq!(
        failed,
        [
            "website/docs/networking/network-policies/egress.md",
            "website/docs/security/index.md",
            ja_security.as_str(),
        ]
    );

    let out = labrun(&dir, &["check", "--lang", "en"]);
    let human = text(&out.stdout);
    assert!(
        human
            .trim_end()
            .ends_with("checked 15 pages (en, ja): 3 errors, 3 warnings"),
        "{human}"
    );
    for (rule, severity, file, line, col) in planted() {
        assert!(human.contains(&format!("{severity}[{rule}]")), "{human}");
        assert!(human.contains(&format!("{file}:{line}:{col}")), "{human}");
    }
}

/// The pages of a plan, by path.
fn plan_paths(dir: &Path, args: &[&str]) -> (i32, Vec<String>, Value, String) {
    let mut a = vec!["plan"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    let out = labrun(dir, &a);
    let stderr = text(&out.stderr);
    let plan: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stderr}"));
    let paths = plan["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_owned())
        .collect();
    (out.status.code().unwrap(), paths, plan, stderr)
}

#[test]
fn partials_templates_and_category_files_shape_the_tree_but_are_not_pages() {
    let dir = real("docusaurus");
    let (code, paths, _, _) = plan_paths(&dir, &["."]);
    assert_eq!(code, 0);
    assert_eq!(
        paths,
        [
            "introduction/index.mdx",
            "introduction/first-steps.mdx",
            "networking/index.md",
            "networking/network-policies/index.md",
            "networking/network-policies/ingress.md",
            "networking/network-policies/egress.md",
            "networking/helm-chart/index.md",
            "security/index.md",
        ],
        "category positions (1, 2) place their folders before security (10)"
    );
    // The category's label names the folder; the decimal position stays one.
    let (_, _, plan, _) = plan_paths(&dir, &["introduction"]);
    assert_eq!(plan["title"], "Introduction");
    assert_eq!(plan["pages"][1]["position"], 2.5);
    assert_eq!(plan["pages"][0]["position"], 1);
}

#[test]
fn a_fence_typo_warns_and_never_stops_plan_or_run() {
    let dir = real("docusaurus");
    let (code, paths, _, stderr) = plan_paths(&dir, &["website/docs/networking"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(paths.len(), 5);
    assert!(
        stderr.contains(
            "website/docs/networking/network-policies/ingress.md:11:9: warning[fence/unknown-annotation]"
        ),
        "{stderr}"
    );
    let out = labrun(&dir, &["run", "networking/network-policies", "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("warning[fence/unknown-annotation]"));
}

#[test]
fn content_folders_name_labs_as_users_type_them() {
    let dir = real("docusaurus");
    for (arg, locale, count) in [
        ("website/docs", "en", 8),
        ("website", "en", 8),
        ("website/docs/networking", "en", 5),
        (
            "website/docs/networking/network-policies/ingress.md",
            "en",
            1,
        ),
        (
            "website/i18n/ja/docusaurus-plugin-content-docs/current/networking",
            "ja",
            4,
        ),
    ] {
        let (code, paths, plan, stderr) = plan_paths(&dir, &[arg]);
        assert_eq!(code, 0, "{arg}: {stderr}");
        assert_eq!(plan["locale"], locale, "{arg}");
        assert_eq!(paths.len(), count, "{arg}: {paths:?}");
    }
    // From inside the docs folder, too.
    let (code, paths, _, stderr) = plan_paths(&dir.join("website/docs"), &["networking"]);
    assert_eq!((code, paths.len()), (0, 5), "{stderr}");
    // A path and --lang that disagree.
    let out = labrun(&dir, &["--lang", "en", "plan", &format!("{JA}/networking")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--lang"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn orphans_are_skipped_by_runs() {
    let dir = real("docusaurus");
    let (code, paths, plan, stderr) =
        plan_paths(&dir, &["--lang", "ja", "networking/network-policies"]);
    assert_eq!(code, 0, "{stderr}");
    let at = paths
        .iter()
        .position(|p| p.ends_with("old-egress.md"))
        .unwrap();
    assert_eq!(plan["pages"][at]["skipped"], "orphan");
    // Its missing hook does not stop the lab.
    assert!(!stderr.contains("missing-hook"), "{stderr}");
}

#[test]
fn run_all_without_a_cluster_runs_what_needs_none() {
    let dir = real("docusaurus");
    let scratch = tempfile::tempdir().unwrap();
    let report = scratch.path().join("run.json");
    let junit = scratch.path().join("run.xml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(["run", "--all", "--kubeconfig"])
        .arg(scratch.path().join("no-such-kubeconfig"))
        .arg("--report-json")
        .arg(&report)
        .arg("--report-junit")
        .arg(&junit)
        .arg("--log-dir")
        .arg(scratch.path().join("logs"))
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C")
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{all}");
    let not_run: Vec<&str> = all
        .lines()
        .filter(|l| l.contains("not run, it needs a cluster"))
        .collect();
    assert_eq!(not_run.len(), 1, "{all}");
    assert!(
        not_run[0].contains("networking/network-policies (en)"),
        "{all}"
    );
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let labs: Vec<(&str, &str, bool)> = r["labs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["lab"].as_str().unwrap(),
                l["status"].as_str().unwrap(),
                l["preflight"].is_string(),
            )
        })
        .collect();
    assert_eq!(
        labs,
        [
            ("introduction", "passed", false),
            ("networking/network-policies", "failed", true),
        ]
    );
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("networking/network-policies (preflight)"),
        "{xml}"
    );
}

#[test]
fn drift_on_a_real_tree() {
    let dir = real("docusaurus");
    let out = labrun(&dir, &["drift", "--format", "json", "--lang", "en"]);
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pages = r["pages"].as_array().expect("pages");
    let row = |rel: &str| {
        pages
            .iter()
            .find(|p| p["path"] == rel)
            .unwrap_or_else(|| panic!("{rel}: {r:#}"))
    };
    // The info box folded into the tip: the same lab runs.
    let folded = row("networking/network-policies/index.md");
    assert_eq!(folded["status"], "current");
    assert_eq!(folded["differences"], serde_json::json!([]));
    let orphan = row("networking/network-policies/old-egress.md");
    assert_eq!(orphan["status"], "orphan");
    assert_eq!(
        orphan["suggestion"],
        "website/docs/networking/network-policies/egress.md"
    );
    // Partials are not pages: no missing row for them.
    assert!(
        !pages
            .iter()
            .any(|p| p["path"].as_str().unwrap().contains("_partials"))
    );
    // The header does not call a tree with an orphan all current.
    let out = labrun(&dir, &["drift", "website/docs/networking", "--lang", "en"]);
    let head = text(&out.stdout);
    let first = head.lines().next().unwrap();
    assert!(first.contains("one orphaned translation"), "{head}");
    // --explain on the orphan repeats the suggestion.
    let out = labrun(
        &dir,
        &[
            "drift",
            "--explain",
            &format!("{JA}/networking/network-policies/old-egress.md"),
            "--lang",
            "en",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("renamed to website/docs/networking/network-policies/egress.md"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_workshop_not_yet_translated_checks_clean_and_drift_lists_every_page() {
    let dir = real("hugo");
    let (code, r) = common::check_json(&dir, &["--lang", "en"]);
    assert_eq!(code, 1);
    assert_eq!(
        common::rules_of(&r),
        ["reference/unknown-variable"],
        "{r:#}"
    );
    assert_eq!(r["diagnostics"].as_array().unwrap().len(), 1);
    let out = labrun(&dir, &["drift", "--format", "json", "--fail-on", "missing"]);
    assert_eq!(out.status.code(), Some(1));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    let statuses: Vec<&str> = d["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["missing"; 4]);
}

#[test]
fn order_by_chooses_between_weight_and_sidebar_position() {
    let dir = real("hugo");
    let (_, paths, _, _) = plan_paths(&dir, &["basics"]);
    assert_eq!(
        paths,
        ["basics/_index.md", "basics/second.md", "basics/first.md"],
        "weight first, as this workshop's CI runs them"
    );
    let copy = tempfile::tempdir().unwrap();
    common::copy_tree(&dir, copy.path());
    let config = copy.path().join("labrun.yaml");
    let yaml = std::fs::read_to_string(&config)
        .unwrap()
        .replace("order-by: [weight, sidebar_position]\n", "");
    std::fs::write(&config, yaml).unwrap();
    let (_, paths, _, _) = plan_paths(copy.path(), &["basics"]);
    assert_eq!(
        paths,
        ["basics/_index.md", "basics/first.md", "basics/second.md"],
        "the default: the site's sidebar_position"
    );
}
