//! `drift: {source: git | hash-then-git}`: translations without a source
//! hash judged from git history, on repositories built by the test.

mod common;
mod drift_util;

use std::fs;
use std::path::Path;

use common::git;
use drift_util::*;
use serde_json::Value;

fn write(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

const EN: &str = "---\ntitle: Page\n---\n\nFirst version.\n\n```bash\n$ kubectl get pods\n```\n";
const JA: &str = "---\ntitle: ページ\n---\n\n最初の版です。\n\n```bash\n$ kubectl get pods\n```\n";

fn en2() -> String {
    EN.replace("First version.", "Second version, with more to say.")
}

/// A repository with `labrun.yaml` choosing `source`, and one committed
/// page pair.
fn repo(source: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(
        d,
        "labrun.yaml",
        &format!("locales: [en, ja]\ndrift:\n  source: {source}\n"),
    );
    write(d, "content/en/lab/a.md", EN);
    write(d, "content/ja/lab/a.md", JA);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "add the page and its translation"]);
    dir
}

/// The status and, when git decided it, the finding message of one page.
fn status(dir: &Path, rel: &str) -> (String, Value) {
    let out = labrun(dir, &["drift", "--format", "json"]);
    assert!(
        matches!(code(&out), 0 | 1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let page = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == rel)
        .unwrap_or_else(|| panic!("{rel} in {json}"))
        .clone();
    (page["status"].as_str().unwrap().to_owned(), page)
}

#[test]
fn current_until_the_source_changes_then_stale_with_the_diff() {
    let dir = repo("git");
    let d = dir.path();
    assert_eq!(status(d, "lab/a.md").0, "current");
    let out = labrun(d, &["drift"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    // An uncommitted edit of the source already counts.
    write(d, "content/en/lab/a.md", &en2());
    let (s, page) = status(d, "lab/a.md");
    assert_eq!(s, "stale");
    assert_eq!(page["git"]["since"].as_array().unwrap().len(), 0);
    git(d, &["commit", "-qam", "say more in English"]);
    let (s, page) = status(d, "lab/a.md");
    assert_eq!(s, "stale");
    assert_eq!(page["git"]["since"][0]["subject"], "say more in English");
    assert_eq!(page["git"]["source_path"], "content/en/lab/a.md");

    let out = labrun(d, &["drift"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.contains("the source page changed in one commit since the translation's last commit"),
        "{text}"
    );
    assert!(
        text.contains("labrun drift --explain content/ja/lab/a.md"),
        "{text}"
    );

    let out = labrun(d, &["drift", "--explain", "content/ja/lab/a.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("changed in one commit. Changes to carry over"),
        "{text}"
    );
    assert!(text.contains("say more in English"), "{text}");
    assert!(text.contains("-First version."), "{text}");
    assert!(
        text.contains("+Second version, with more to say."),
        "{text}"
    );

    let out = labrun(
        d,
        &[
            "drift",
            "--explain",
            "content/ja/lab/a.md",
            "--format",
            "json",
        ],
    );
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["basis"], "git");
    assert_eq!(j["status"], "stale");
    assert_eq!(j["since"][0]["subject"], "say more in English");
    assert!(j["diff"].as_str().unwrap().contains("+Second version"));

    // The translator carries the change over and commits: current again.
    write(
        d,
        "content/ja/lab/a.md",
        &JA.replace("最初の版です。", "二番目の版です。"),
    );
    git(d, &["commit", "-qam", "translate the new version"]);
    assert_eq!(status(d, "lab/a.md").0, "current");
    let out = labrun(d, &["drift", "--explain", "content/ja/lab/a.md"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("is current"), "{}", stdout(&out));
}

#[test]
fn renames_are_followed_and_a_pure_rename_is_no_translation_work() {
    let dir = repo("git");
    let d = dir.path();
    // Both files renamed together, unchanged: still current; the source is
    // found under its new name.
    git(d, &["mv", "content/en/lab/a.md", "content/en/lab/b.md"]);
    git(d, &["mv", "content/ja/lab/a.md", "content/ja/lab/b.md"]);
    git(d, &["commit", "-qm", "rename"]);
    assert_eq!(status(d, "lab/b.md").0, "current");

    // The source is renamed and edited; the translation is only renamed
    // later: its last real change predates the English edit.
    git(d, &["mv", "content/en/lab/b.md", "content/en/lab/c.md"]);
    write(d, "content/en/lab/c.md", &en2());
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "rename and edit the English page"]);
    git(d, &["mv", "content/ja/lab/b.md", "content/ja/lab/c.md"]);
    git(d, &["commit", "-qm", "follow the rename in Japanese"]);
    let (s, page) = status(d, "lab/c.md");
    assert_eq!(s, "stale", "{page}");
    // The translation's last content change is the first commit (both
    // renames were pure), and the English file is read there under the
    // name it had then.
    assert_eq!(page["git"]["source_path"], "content/en/lab/a.md");
    assert_eq!(
        page["git"]["translated_at"]["subject"],
        "add the page and its translation"
    );
    let out = labrun(d, &["drift", "--explain", "content/ja/lab/c.md"]);
    let text = stdout(&out);
    assert!(text.contains("+Second version"), "{text}");
}

#[test]
fn merges_compare_with_the_source_in_the_translation_commit_tree() {
    let dir = repo("git");
    let d = dir.path();
    // A translator's branch forks; English changes on main meanwhile.
    git(d, &["checkout", "-qb", "translate"]);
    write(
        d,
        "content/ja/lab/a.md",
        &JA.replace("最初の版です。", "最初の版です（改訂）。"),
    );
    git(d, &["commit", "-qam", "polish the translation"]);
    git(d, &["checkout", "-q", "main"]);
    write(d, "content/en/lab/a.md", &en2());
    git(d, &["commit", "-qam", "English grows"]);
    git(d, &["merge", "-q", "--no-edit", "translate"]);
    // The translation commit is newer, but it was made against the old
    // English page: stale.
    let (s, page) = status(d, "lab/a.md");
    assert_eq!(s, "stale", "{page}");
    assert_eq!(
        page["git"]["translated_at"]["subject"],
        "polish the translation"
    );

    // The other way round: English changes on a branch that is merged
    // first, the translation follows on main.
    git(d, &["checkout", "-qb", "english"]);
    write(d, "content/en/lab/a.md", &EN.replace("First", "Third"));
    git(d, &["commit", "-qam", "English again"]);
    git(d, &["checkout", "-q", "main"]);
    git(d, &["merge", "-q", "--no-edit", "english"]);
    write(d, "content/ja/lab/a.md", &JA.replace("最初", "三番目"));
    git(d, &["commit", "-qam", "translate the third version"]);
    assert_eq!(status(d, "lab/a.md").0, "current");
}

#[test]
fn a_translation_committed_before_its_source_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q"]);
    write(
        d,
        "labrun.yaml",
        "locales: [en, ja]\ndrift:\n  source: git\n",
    );
    write(d, "content/ja/lab/a.md", JA);
    write(d, "content/en/other.md", "# Other\n");
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "translation first"]);
    write(d, "content/en/lab/a.md", EN);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "source later"]);
    let (s, page) = status(d, "lab/a.md");
    assert_eq!(s, "stale");
    assert_eq!(page["git"]["source_path"], Value::Null);
    let out = labrun(d, &["drift"]);
    assert!(
        stdout(&out).contains("before its source page existed"),
        "{}",
        stdout(&out)
    );
    let out = labrun(d, &["drift", "--explain", "content/ja/lab/a.md"]);
    let text = stdout(&out);
    assert!(
        text.contains("before content/en/lab/a.md existed"),
        "{text}"
    );
    assert!(text.contains("+First version."), "the whole page: {text}");
}

#[test]
fn a_shallow_clone_is_refused_with_what_to_do() {
    let dir = repo("git");
    let d = dir.path();
    write(d, "content/en/lab/a.md", &en2());
    git(d, &["commit", "-qam", "more"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", d.display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let out = labrun(&clone.path().join("shallow"), &["drift"]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("shallow clone"), "{err}");
    assert!(err.contains("git fetch --unshallow"), "{err}");
    assert!(err.contains("fetch-depth: 0"), "{err}");
    assert!(err.contains("content/ja/lab/a.md"), "{err}");
}

#[test]
fn hash_then_git_uses_a_checkable_hash_first() {
    let dir = repo("hash-then-git");
    let d = dir.path();
    // A wrong MD5 decides (stale), although git would say current.
    write(
        d,
        "content/ja/lab/b.md",
        &JA.replace(
            "title: ページ",
            "title: B\ntmdTranslationSourceHash: 00000000000000000000000000000000",
        ),
    );
    write(d, "content/en/lab/b.md", EN);
    // Microsoft's hash cannot be checked: git decides.
    write(
        d,
        "content/ja/lab/c.md",
        &JA.replace(
            "title: ページ",
            "title: C\nms.openlocfilehash: a76f4eb8680d07193feb29450fdba7bb2a710a68",
        ),
    );
    write(d, "content/en/lab/c.md", EN);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-qm", "more pages"]);
    assert_eq!(status(d, "lab/a.md").0, "current");
    let (s, page) = status(d, "lab/b.md");
    assert_eq!((s.as_str(), &page["git"]), ("stale", &Value::Null));
    let (s, page) = status(d, "lab/c.md");
    assert_eq!(s, "current");
    assert_eq!(page["recorded"]["field"], "ms.openlocfilehash");
    assert!(page["git"]["translated_at"]["commit"].is_string());

    // With the default (hash), the same pages are unstamped and unverifiable.
    write(d, "labrun.yaml", "locales: [en, ja]\n");
    assert_eq!(status(d, "lab/a.md").0, "unstamped");
    assert_eq!(status(d, "lab/c.md").0, "unverifiable");
}

#[test]
fn an_uncommitted_translation_and_a_project_outside_git() {
    let dir = repo("git");
    let d = dir.path();
    write(d, "content/en/lab/new.md", EN);
    write(d, "content/ja/lab/new.md", JA);
    let (s, _) = status(d, "lab/new.md");
    assert_eq!(s, "unstamped");
    let out = labrun(d, &["drift"]);
    assert!(
        stdout(&out).contains("the translation is not committed yet"),
        "{}",
        stdout(&out)
    );

    let plain = tempfile::tempdir().unwrap();
    let p = plain.path();
    write(
        p,
        "labrun.yaml",
        "locales: [en, ja]\ndrift:\n  source: git\n",
    );
    write(p, "content/en/a.md", EN);
    write(p, "content/ja/a.md", JA);
    let out = labrun(p, &["drift"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not in a git repository"),
        "{}",
        stderr(&out)
    );
    // hash-then-git without a repository: the hash rules, nothing fails hard.
    write(
        p,
        "labrun.yaml",
        "locales: [en, ja]\ndrift:\n  source: hash-then-git\n",
    );
    let out = labrun(p, &["drift", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
}
