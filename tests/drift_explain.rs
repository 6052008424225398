//! `labrun drift --explain PAGE` on git repositories built by the test.

mod common;
mod drift_util;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::git;
use drift_util::*;

const R1: &str = "---\ntitle: Page\nsidebar_position: 1\n---\n\nFirst version.\n\n```bash\n$ kubectl get pods\n```\n";

fn r2() -> String {
    R1.replace("First version.", "Second version, with a clearer sentence.")
}

fn r3() -> String {
    format!("{}\nA paragraph added in the third version.\n", r2())
}

fn ja(hash: &str) -> String {
    format!(
        "---\ntitle: ページ\nsidebar_position: 1\ntmdTranslationSourceHash: {hash}\n---\n\n訳文。\n\n```bash\n$ kubectl get pods\n```\n"
    )
}

/// A repository where content/en/lab/page.md went through three commits,
/// the first under another name.
fn repo() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    fs::write(d.join("labrun.yaml"), "locales: [en, ja]\n").unwrap();
    fs::create_dir_all(d.join("content/en/lab")).unwrap();
    fs::create_dir_all(d.join("content/ja/lab")).unwrap();
    let mut commits = Vec::new();
    fs::write(d.join("content/en/lab/first-name.md"), R1).unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "First version"]);
    commits.push(git(d, &["rev-parse", "--short", "HEAD"]));
    git(
        d,
        &[
            "mv",
            "content/en/lab/first-name.md",
            "content/en/lab/page.md",
        ],
    );
    fs::write(d.join("content/en/lab/page.md"), r2()).unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "Rename and clarify"]);
    commits.push(git(d, &["rev-parse", "--short", "HEAD"]));
    fs::write(d.join("content/en/lab/page.md"), r3()).unwrap();
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "Add a paragraph"]);
    commits.push(git(d, &["rev-parse", "--short", "HEAD"]));
    (dir, commits)
}

fn set_recorded(dir: &Path, content: &str) {
    fs::write(
        dir.join("content/ja/lab/page.md"),
        ja(&md5_hex(content.as_bytes())),
    )
    .unwrap();
}

#[test]
fn shows_the_changes_since_the_recorded_version() {
    let (dir, commits) = repo();
    set_recorded(dir.path(), &r2());
    let out = labrun(
        dir.path(),
        &["drift", "--explain", "content/ja/lab/page.md"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "content/ja/lab/page.md (hash {}) was translated from content/en/lab/page.md as of commit {} (",
            &md5_hex(r2().as_bytes())[..8],
            commits[1]
        )),
        "{text}"
    );
    assert!(text.contains("“Rename and clarify”"), "{text}");
    assert!(
        text.contains(&format!(
            "--- content/en/lab/page.md@{}\n+++ content/en/lab/page.md\n",
            commits[1]
        )),
        "{text}"
    );
    assert!(
        text.contains("+A paragraph added in the third version."),
        "{text}"
    );
    assert!(
        !text.contains("-Second version"),
        "only what changed since: {text}"
    );
}

#[test]
fn follows_renames_and_reaches_uncommitted_changes() {
    let (dir, commits) = repo();
    set_recorded(dir.path(), R1);
    // An uncommitted edit is part of what must be carried over.
    let en = dir.path().join("content/en/lab/page.md");
    fs::write(&en, format!("{}Not committed yet.\n", r3())).unwrap();
    let out = labrun(dir.path(), &["drift", "--explain", "lab/page.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("as of commit {}", commits[0])),
        "{text}"
    );
    assert!(text.contains("-First version."), "{text}");
    assert!(
        text.contains("+Second version, with a clearer sentence."),
        "{text}"
    );
    assert!(text.contains("+Not committed yet."), "{text}");
}

#[test]
fn json_explanation() {
    let (dir, commits) = repo();
    set_recorded(dir.path(), &r2());
    let out = labrun(
        dir.path(),
        &[
            "drift",
            "--explain",
            "content/en/lab/page.md",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], "labrun.drift-explain/v1");
    assert_eq!(json["status"], "stale");
    assert_eq!(json["revision"]["short"], commits[1].as_str());
    assert_eq!(json["revision"]["path"], "content/en/lab/page.md");
    assert_eq!(json["searched"], 3);
    assert!(
        json["diff"]
            .as_str()
            .unwrap()
            .contains("+A paragraph added")
    );
}

#[test]
fn says_clearly_when_no_version_matches() {
    let (dir, _) = repo();
    set_recorded(dir.path(), "a version nobody committed\n");
    let out = labrun(dir.path(), &["drift", "--explain", "lab/page.md"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains(
            "no version of content/en/lab/page.md in git history (3 commits searched) has the hash"
        ),
        "{err}"
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn current_unstamped_and_unverifiable_pages() {
    let (dir, _) = repo();
    set_recorded(dir.path(), &r3());
    let out = labrun(dir.path(), &["drift", "--explain", "lab/page.md"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("is current"), "{}", stdout(&out));

    let page = dir.path().join("content/ja/lab/page.md");
    fs::write(&page, "---\ntitle: ページ\n---\n").unwrap();
    let out = labrun(dir.path(), &["drift", "--explain", "lab/page.md"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("records no source hash"),
        "{}",
        stderr(&out)
    );

    fs::write(&page, "---\nms.openlocfilehash: 0f1e2d3c\n---\n").unwrap();
    let out = labrun(dir.path(), &["drift", "--explain", "lab/page.md"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("whose algorithm is not public"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn outside_a_repository() {
    let dir = scratch("locale-dirs");
    let out = labrun(dir.path(), &["drift", "--explain", "lab/stale.md"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("content/en/lab/stale.md is not in a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn without_git() {
    let (dir, _) = repo();
    set_recorded(dir.path(), &r2());
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(["drift", "--explain", "lab/page.md"])
        .current_dir(dir.path())
        .env("PATH", empty.path())
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`git` is not installed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn japanese_messages() {
    let (dir, _) = repo();
    set_recorded(dir.path(), "nothing\n");
    let out = labrun(
        dir.path(),
        &["--lang", "ja", "drift", "--explain", "lab/page.md"],
    );
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("一致する版"), "{}", stderr(&out));
}
