//! `labrun check` output formats, exit codes, path restriction and silencing,
//! on `tests/fixtures/check/mixed` (errors and a warning in two locales, some
//! findings silenced by comments and by labrun.yaml).

mod common;

use common::{check_json, fixtures, labrun};

fn mixed() -> std::path::PathBuf {
    fixtures().join("mixed")
}

/// (rule, file, line, col) of every finding the mixed fixture must report.
const EXPECTED: [(&str, &str, u64, u64); 4] = [
    ("link/broken", "content/en/lab/index.md", 6, 5),
    (
        "reference/unknown-variable",
        "content/en/lab/index.md",
        13,
        11,
    ),
    (
        "fence/unused-hook",
        "content/en/lab/tests/hook-orphan.sh",
        1,
        1,
    ),
    ("link/broken-anchor", "content/ja/lab/index.md", 8, 1),
];

#[test]
fn json_lists_every_unsilenced_finding_sorted() {
    let (code, r) = check_json(&mixed(), &["--lang", "en"]);
    assert_eq!(code, 1);
    assert_eq!(r["schema"], "labrun.check/v1");
    assert_eq!(r["ok"], false);
    assert_eq!(r["summary"]["pages"], 4);
    assert_eq!(r["summary"]["errors"], 2);
    assert_eq!(r["summary"]["warnings"], 2);
    assert_eq!(r["summary"]["locales"], serde_json::json!(["en", "ja"]));
    let got: Vec<(String, String, u64, u64)> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["col"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64, u64)> = EXPECTED
        .iter()
        .map(|(r, f, l, c)| (r.to_string(), f.to_string(), *l, *c))
        .collect();
    assert_eq!(got, want);
    let d = &r["diagnostics"][0];
    assert_eq!(d["message_id"], "check-link-broken");
    assert_eq!(d["args"]["dest"], "missing.md");
    assert_eq!(d["message"], "link target `missing.md` does not exist");
}

#[test]
fn github_format_annotates_each_finding() {
    let out = labrun(&mixed(), &["check", "--format", "github", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(lines.len(), EXPECTED.len(), "{text}");
    for ((rule, file, line, col), got) in EXPECTED.iter().zip(&lines) {
        let kind = if *rule == "fence/unused-hook" || *rule == "link/broken-anchor" {
            "warning"
        } else {
            "error"
        };
        let prefix = format!("::{kind} file={file},line={line},col={col},title={rule}::");
        assert!(got.starts_with(&prefix), "{got}\nwanted {prefix}");
    }
    assert_eq!(
        lines[0],
        "::error file=content/en/lab/index.md,line=6,col=5,title=link/broken::link target `missing.md` does not exist"
    );
}

#[test]
fn junit_has_a_test_case_per_file() {
    let out = labrun(&mixed(), &["check", "--format", "junit", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("valid XML");
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // Four pages and the hook file.
    let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(cases.len(), 5, "{names:?}");
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    // The Japanese page has only a warning (a broken anchor).
    assert_eq!(failed, ["content/en/lab/index.md"]);
    let failure = cases[0]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("first page fails");
    let text = failure.text().unwrap();
    assert!(text.contains("error[link/broken]"), "{text}");
    assert!(text.contains("error[reference/unknown-variable]"), "{text}");
    // The warning fails only when warnings are denied.
    let out = labrun(
        &mixed(),
        &["check", "--format", "junit", "--deny", "warnings"],
    );
    let xml = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert_eq!(failures, 3);
}

#[test]
fn human_format_shows_the_line_and_a_caret() {
    let out = labrun(&mixed(), &["check", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour under NO_COLOR");
    assert!(
        text.contains("error[link/broken]: link target `missing.md` does not exist"),
        "{text}"
    );
    assert!(text.contains("--> content/en/lab/index.md:6:5"), "{text}");
    assert!(
        text.contains("6 | See [a missing page](missing.md)."),
        "{text}"
    );
    assert!(
        text.contains("  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^"),
        "{text}"
    );
    assert!(text.contains("warning[fence/unused-hook]"), "{text}");
    assert!(
        text.trim_end()
            .ends_with("checked 4 pages (en, ja): 2 errors, 2 warnings"),
        "{text}"
    );
    let ja = labrun(&mixed(), &["check", "--lang", "ja"]);
    let ja = String::from_utf8(ja.stdout).unwrap();
    assert!(
        ja.contains("エラー[link/broken]: リンク先 `missing.md` がありません"),
        "{ja}"
    );
    assert!(ja.contains("警告[fence/unused-hook]"), "{ja}");
    assert!(ja.contains("エラー 2 件、警告 2 件"), "{ja}");
}

#[test]
fn colour_only_when_forced_or_on_a_terminal() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(["check", "--lang", "en"])
        .current_dir(mixed())
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn paths_restrict_the_report() {
    let (code, r) = check_json(&mixed(), &["content/ja"]);
    assert_eq!(code, 0, "only a warning is left");
    let files: Vec<&str> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["content/ja/lab/index.md"]);
    assert_eq!(r["summary"]["pages"], 1);
    // Only the warning is left: passes unless warnings are denied.
    let (code, r) = check_json(&mixed(), &["content/en/lab/tests"]);
    assert_eq!((code, r["summary"]["warnings"].as_u64()), (0, Some(1)));
    let (code, _) = check_json(&mixed(), &["content/en/lab/tests", "--deny", "warnings"]);
    assert_eq!(code, 1);
    let out = labrun(&mixed(), &["check", "no/such/dir"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/dir"));
}

#[test]
fn silencing_by_comment_and_by_configuration() {
    let (_, r) = check_json(&mixed(), &[]);
    let lines: Vec<(String, u64)> = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    // `gone.md` (next-line comment, line 9) and `also-gone.md` (same-line
    // comment, line 11) are silenced; the duplicate positions of a.md and
    // b.md are disabled in labrun.yaml.
    assert!(!lines.iter().any(|(_, l)| *l == 9 || *l == 11), "{lines:?}");
    assert!(
        !lines
            .iter()
            .any(|(r, _)| r == "front-matter/duplicate-position")
    );
    // Without those, they are found.
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&mixed(), dir.path());
    std::fs::write(
        dir.path().join("labrun.yaml"),
        "locales: [en, ja]\nvariables:\n  NAME: value\ncheck:\n  pedantic: true\n",
    )
    .unwrap();
    let page = dir.path().join("content/en/lab/index.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("labrun-disable", "note");
    std::fs::write(&page, text).unwrap();
    let (_, r) = check_json(dir.path(), &[]);
    let rules = common::rules_of(&r);
    assert!(rules.contains(&"front-matter/duplicate-position".to_owned()));
    let broken = r["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "link/broken")
        .count();
    assert_eq!(broken, 3);
}
