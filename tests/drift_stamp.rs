//! `labrun drift stamp PAGE...`: one line changes, the rest stays byte for
//! byte, the write is atomic, diverged pages are refused.

mod drift_util;

use std::fs;
use std::path::Path;

use drift_util::*;

fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.split_inclusive(|&b| b == b'\n').collect()
}

/// Asserts that `after` equals `before` with line `n` (1-based) replaced by
/// `line`, or inserted before line `n` when `insert`.
fn assert_one_line(before: &[u8], after: &[u8], n: usize, line: &[u8], insert: bool) {
    let mut want: Vec<&[u8]> = lines(before);
    if insert {
        want.insert(n - 1, line);
    } else {
        want[n - 1] = line;
    }
    assert_eq!(
        String::from_utf8_lossy(&want.concat()),
        String::from_utf8_lossy(after)
    );
    assert_eq!(want.concat(), after);
}

fn en_hash(dir: &Path, rel: &str) -> String {
    md5_hex(&fs::read(dir.join("content/en").join(rel)).unwrap())
}

#[test]
fn stale_page_changes_only_its_hash_line() {
    let dir = scratch("locale-dirs");
    let page = dir.path().join("content/ja/lab/stale.md");
    let before = fs::read(&page).unwrap();
    let out = labrun(dir.path(), &["drift", "stamp", "content/ja/lab/stale.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hash = en_hash(dir.path(), "lab/stale.md");
    assert!(
        stdout(&out)
            .contains("stamped content/ja/lab/stale.md (tmdTranslationSourceHash: d69642aa → ")
    );
    let after = fs::read(&page).unwrap();
    assert_one_line(
        &before,
        &after,
        4,
        format!("tmdTranslationSourceHash: {hash}\n").as_bytes(),
        false,
    );
    assert_eq!(code(&labrun(dir.path(), &["drift", "lab/stale.md"])), 0);
    // Stamping again changes nothing.
    let out = labrun(dir.path(), &["drift", "stamp", "lab/stale.md"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("already current"));
    assert_eq!(fs::read(&page).unwrap(), after);
}

#[test]
fn field_name_and_quoting_in_use_are_kept() {
    let dir = scratch("locale-dirs");
    // Make two translations stale by changing their English pages.
    for rel in ["lab/comments.md", "lab/stale.md"] {
        let en = dir.path().join("content/en").join(rel);
        let mut text = fs::read(&en).unwrap();
        text.extend_from_slice(b"\nOne more English sentence.\n");
        fs::write(&en, text).unwrap();
    }
    // A legacy field name with single quotes.
    let stale = dir.path().join("content/ja/lab/stale.md");
    let text = fs::read_to_string(&stale).unwrap();
    let old = text.lines().nth(3).unwrap();
    let value = old.strip_prefix("tmdTranslationSourceHash: ").unwrap();
    fs::write(
        &stale,
        text.replace(old, &format!("wsmSourceHash: '{value}'")),
    )
    .unwrap();
    let comments = dir.path().join("content/ja/lab/comments.md");
    let before_c = fs::read(&comments).unwrap();
    let before_s = fs::read(&stale).unwrap();
    let out = labrun(
        dir.path(),
        &[
            "drift",
            "stamp",
            "lab/comments.md",
            "content/en/lab/stale.md",
        ],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert_one_line(
        &before_c,
        &fs::read(&comments).unwrap(),
        4,
        format!(
            "tmdTranslationSourceHash: \"{}\"\n",
            en_hash(dir.path(), "lab/comments.md")
        )
        .as_bytes(),
        false,
    );
    assert_one_line(
        &before_s,
        &fs::read(&stale).unwrap(),
        4,
        format!("wsmSourceHash: '{}'\n", en_hash(dir.path(), "lab/stale.md")).as_bytes(),
        false,
    );
    assert_eq!(code(&labrun(dir.path(), &["drift", "lab/stale.md"])), 0);
}

#[test]
fn unstamped_page_gets_the_line_before_the_closing_dashes() {
    let dir = scratch("locale-dirs");
    let page = dir.path().join("content/ja/lab/unstamped.md");
    let before = fs::read(&page).unwrap();
    let out = labrun(dir.path(), &["drift", "stamp", "lab/unstamped.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hash = en_hash(dir.path(), "lab/unstamped.md");
    assert_one_line(
        &before,
        &fs::read(&page).unwrap(),
        4,
        format!("tmdTranslationSourceHash: {hash}\n").as_bytes(),
        true,
    );
}

#[test]
fn crlf_and_bom_translation_stays_crlf() {
    let dir = scratch("locale-dirs");
    let page = dir.path().join("content/ja/lab/unstamped.md");
    let crlf = fs::read_to_string(&page).unwrap().replace('\n', "\r\n");
    let before = [b"\xEF\xBB\xBF".as_slice(), crlf.as_bytes()].concat();
    fs::write(&page, &before).unwrap();
    let out = labrun(dir.path(), &["drift", "stamp", "lab/unstamped.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hash = en_hash(dir.path(), "lab/unstamped.md");
    assert_one_line(
        &before,
        &fs::read(&page).unwrap(),
        4,
        format!("tmdTranslationSourceHash: {hash}\r\n").as_bytes(),
        true,
    );
}

#[test]
fn diverged_pages_are_refused_unless_forced() {
    let dir = scratch("locale-dirs");
    let page = dir.path().join("content/ja/lab/annotations.md");
    let before = fs::read(&page).unwrap();
    let out = labrun(dir.path(), &["drift", "stamp", "lab/annotations.md"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("content/en/lab/annotations.md:13 ↔ content/ja/lab/annotations.md:13  annotation changed: `wait=10` ↔ `wait=30`"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(fs::read(&page).unwrap(), before);

    let out = labrun(
        dir.path(),
        &["drift", "stamp", "--force", "lab/annotations.md"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_one_line(
        &before,
        &fs::read(&page).unwrap(),
        4,
        format!(
            "tmdTranslationSourceHash: {}\n",
            en_hash(dir.path(), "lab/annotations.md")
        )
        .as_bytes(),
        false,
    );
    // Now current, and still diverged.
    let out = labrun(
        dir.path(),
        &["drift", "--format", "json", "lab/annotations.md"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["pages"][0]["status"], "current");
    assert_eq!(json["pages"][0]["diverged"], true);
}

#[test]
fn pages_that_cannot_be_stamped() {
    let dir = scratch("locale-dirs");
    let snapshot = || {
        walkdir::WalkDir::new(dir.path().join("content/ja"))
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().to_owned(), fs::read(e.path()).unwrap()))
            .collect::<Vec<_>>()
    };
    let before = snapshot();
    for (page, want_code, want) in [
        ("lab/old-page.md", 1, "has no source page"),
        (
            "other/msdocs.md",
            1,
            "`ms.openlocfilehash` is written by Microsoft's tooling",
        ),
        ("lab/missing.md", 1, "the page is not translated"),
        ("lab/nothing-here.md", 2, "no page `lab/nothing-here.md`"),
        ("content/ja/lab", 2, "is a directory"),
    ] {
        let out = labrun(dir.path(), &["drift", "stamp", page]);
        assert_eq!(code(&out), want_code, "{page}: {}", stderr(&out));
        assert!(stderr(&out).contains(want), "{page}: {}", stderr(&out));
    }
    // One unknown page among good ones stamps nothing.
    let out = labrun(
        dir.path(),
        &["drift", "stamp", "lab/stale.md", "lab/typo.md"],
    );
    assert_eq!(code(&out), 2);
    assert_eq!(snapshot(), before);
}

#[test]
fn docusaurus_layout_stamps_the_i18n_page() {
    let dir = scratch("docusaurus");
    let rel = "website/i18n/ja/docusaurus-plugin-content-docs/current/lab/stale.md";
    let before = fs::read(dir.path().join(rel)).unwrap();
    let out = labrun(dir.path(), &["drift", "stamp", "website/docs/lab/stale.md"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hash = md5_hex(&fs::read(dir.path().join("website/docs/lab/stale.md")).unwrap());
    assert_one_line(
        &before,
        &fs::read(dir.path().join(rel)).unwrap(),
        4,
        format!("tmdTranslationSourceHash: {hash}\n").as_bytes(),
        false,
    );
}

/// A page big enough that a 1-block file size limit stops its write.
fn big_stale_page(dir: &Path) -> Vec<u8> {
    let page = dir.join("content/ja/lab/stale.md");
    let mut text = fs::read(&page).unwrap();
    for _ in 0..200 {
        text.extend_from_slice("このページを大きくするための文章です。\n".as_bytes());
    }
    fs::write(&page, &text).unwrap();
    text
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_write_leaves_the_original_intact() {
    let dir = scratch("locale-dirs");
    let before = big_stale_page(dir.path());
    let lab = dir.path().join("content/ja/lab");
    let names = files_in(&lab);
    // The kernel refuses to let the temporary file grow past the limit
    // (EFBIG, with SIGXFSZ ignored): the write fails half way.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1 && exec \"$0\" drift stamp lab/stale.md")
        .arg(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(dir.path())
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    assert!(
        stderr(&out).contains("cannot write content/ja/lab/stale.md"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("the page is unchanged"));
    assert_eq!(fs::read(lab.join("stale.md")).unwrap(), before);
    assert_eq!(files_in(&lab), names, "no temporary file is left behind");
}

#[test]
fn a_read_only_directory_leaves_the_original_intact() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("locale-dirs");
    let before = big_stale_page(dir.path());
    let lab = dir.path().join("content/ja/lab");
    fs::set_permissions(&lab, fs::Permissions::from_mode(0o555)).unwrap();
    // root ignores directory permissions; then this test can only show that
    // the stamp went through atomically.
    let probe = fs::File::create(lab.join(".probe")).is_ok();
    let out = labrun(dir.path(), &["drift", "stamp", "lab/stale.md"]);
    fs::set_permissions(&lab, fs::Permissions::from_mode(0o755)).unwrap();
    if probe {
        fs::remove_file(lab.join(".probe")).unwrap();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert_ne!(fs::read(lab.join("stale.md")).unwrap(), before);
    } else {
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(stderr(&out).contains("the page is unchanged"));
        assert_eq!(fs::read(lab.join("stale.md")).unwrap(), before);
    }
}
