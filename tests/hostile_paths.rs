//! Escaping the project: locale names that are paths, pages and
//! directories that are symbolic links to elsewhere, an HTML output folder
//! with a link inside. Nothing outside the temporary project is read into
//! the output or changed, and what labrun does change keeps its owner and
//! mode.

mod hostile_support;

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use hostile_support::World;

const EN: &str = "---\ntitle: Lab\n---\n\nIntro.\n\n```bash\n$ echo hi\n```\n";
const JA: &str = "---\ntitle: ラボ\ntmdTranslationSourceHash: 00000000000000000000000000000000\n---\n\nはじめに。\n\n```bash\n$ echo hi\n```\n";

#[test]
fn locale_names_that_are_paths_are_refused_before_anything_is_read() {
    let w = World::new("locales: [en]\n", &[("content/en/lab/index.md", EN)]);
    let outside = w.outside().display().to_string();
    for locales in [
        "[en, \"../outside\"]".to_owned(),
        "[en, \"../../outside\"]".to_owned(),
        format!("[en, \"{outside}\"]"),
        "[en, \"ja/../..\"]".to_owned(),
    ] {
        w.write("labrun.yaml", &format!("locales: {locales}\n"));
        let before = w.outside_snapshot();
        for args in [
            &["check"][..],
            &["plan", "lab"],
            &["drift"],
            &["drift", "stamp", "--force", "lab/index.md"],
            &["render", "lab", "--html", "site"],
        ] {
            let r = w.labrun(args);
            r.assert_clean_exit(2);
            assert!(
                r.stderr.contains("labrun.yaml:1:") && r.stderr.contains("letters, digits"),
                "{locales} {args:?}: {}",
                r.stderr
            );
            assert!(!r.stdout.contains("SECRET") && !r.stderr.contains("SECRET"));
        }
        assert_eq!(w.outside_snapshot(), before, "{locales}");
        assert!(!w.path("site").exists());
    }
    // source-locale too.
    w.write("labrun.yaml", "locales: [en]\nsource-locale: /etc\n");
    w.labrun(&["check"]).assert_clean_exit(2);
}

#[test]
fn drift_stamp_refuses_a_page_that_is_a_symbolic_link() {
    let w = World::new(
        "locales: [en, ja]\n",
        &[
            ("content/en/lab/index.md", EN),
            ("content/en/lab/two.md", EN),
        ],
    );
    // The translation is a link to a file outside the project.
    std::fs::write(w.outside().join("target.md"), JA).unwrap();
    std::fs::create_dir_all(w.path("content/ja/lab")).unwrap();
    std::os::unix::fs::symlink(
        w.outside().join("target.md"),
        w.path("content/ja/lab/index.md"),
    )
    .unwrap();
    // And a translation directory linked outside.
    std::fs::create_dir_all(w.outside().join("dir")).unwrap();
    std::fs::write(w.outside().join("dir/two.md"), JA).unwrap();
    let before = w.outside_snapshot();
    // Named by its file, the link resolves outside the content: refused.
    let r = w.labrun(&["drift", "stamp", "--force", "content/ja/lab/index.md"]);
    r.assert_clean_exit(2);
    // Named by its path in the locale, it is found, and not written.
    let r = w.labrun(&["drift", "stamp", "--force", "--lang", "ja", "lab/index.md"]);
    r.assert_clean_exit(2);
    assert!(r.stderr.contains("シンボリックリンク"), "{}", r.stderr);
    assert!(
        std::fs::symlink_metadata(w.path("content/ja/lab/index.md"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link itself was replaced"
    );
    assert_eq!(w.outside_snapshot(), before);

    // A link to a file inside the project is not written through either.
    std::fs::remove_file(w.path("content/ja/lab/index.md")).unwrap();
    std::fs::write(w.path("content/ja/lab/other.md"), JA).unwrap();
    std::os::unix::fs::symlink("other.md", w.path("content/ja/lab/index.md")).unwrap();
    let r = w.labrun(&["drift", "stamp", "--force", "--lang", "ja", "lab/index.md"]);
    r.assert_clean_exit(2);
    assert!(r.stderr.contains("シンボリックリンク"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(w.path("content/ja/lab/other.md")).unwrap(),
        JA
    );

    std::fs::remove_file(w.path("content/ja/lab/index.md")).unwrap();
    std::fs::remove_file(w.path("content/ja/lab/other.md")).unwrap();
    std::fs::remove_dir(w.path("content/ja/lab")).unwrap();
    std::os::unix::fs::symlink(w.outside().join("dir"), w.path("content/ja/lab")).unwrap();
    let r = w.labrun(&["drift", "stamp", "--force", "--lang", "ja", "lab/two.md"]);
    assert_ne!(r.code, Some(0), "{r:?}");
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(w.outside_snapshot(), before);
}

#[test]
fn drift_stamp_keeps_owner_and_mode() {
    let w = World::new(
        "locales: [en, ja]\n",
        &[
            ("content/en/lab/index.md", EN),
            ("content/ja/lab/index.md", JA),
        ],
    );
    let page = w.path("content/ja/lab/index.md");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o640)).unwrap();
    // As root (CI containers), give the page to someone else first: a
    // stamp must not make it root's.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { nix::libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&page, Some(4321), Some(4321)).unwrap();
    }
    let before = w.outside_snapshot();
    let r = w.labrun(&["drift", "stamp", "content/ja/lab/index.md"]);
    r.assert_clean_exit(0);
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(!text.contains("00000000000000000000000000000000"), "{text}");
    let m = std::fs::metadata(&page).unwrap();
    assert_eq!(m.mode() & 0o777, 0o640);
    if root {
        assert_eq!((m.uid(), m.gid()), (4321, 4321));
    }
    assert_eq!(w.outside_snapshot(), before);
}

#[test]
fn render_html_writes_only_inside_its_output_folder() {
    let w = World::new("locales: [en]\n", &[("content/en/lab/index.md", EN)]);
    // The output folder holds a link to elsewhere where a page would go.
    std::fs::create_dir_all(w.path("site")).unwrap();
    std::os::unix::fs::symlink(w.outside(), w.path("site/en")).unwrap();
    let before = w.outside_snapshot();
    let r = w.labrun(&["render", "lab", "--html", "site"]);
    r.assert_clean_exit(2);
    assert!(r.stderr.contains("outside"), "{}", r.stderr);
    assert_eq!(w.outside_snapshot(), before);
    // An index.html that is a link is not written through either.
    std::fs::remove_file(w.path("site/en")).unwrap();
    std::os::unix::fs::symlink(w.outside().join("notes.txt"), w.path("site/index.html")).unwrap();
    let r = w.labrun(&["render", "lab", "--html", "site"]);
    r.assert_clean_exit(2);
    assert!(r.stderr.contains("symbolic link"), "{}", r.stderr);
    assert_eq!(w.outside_snapshot(), before);
}

#[test]
fn content_linked_outside_the_project_is_not_read() {
    let w = World::new("locales: [en]\n", &[]);
    std::fs::create_dir_all(w.path("content")).unwrap();
    std::os::unix::fs::symlink(w.outside(), w.path("content/en")).unwrap();
    for args in [&["check"][..], &["plan", "."], &["render", "."]] {
        let r = w.labrun(args);
        r.assert_clean_exit(2);
        assert!(
            r.stderr.contains("outside the project"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(!r.stdout.contains("SECRET"), "{args:?}: {}", r.stdout);
    }
}

#[test]
fn a_hook_linked_outside_the_project_is_not_read() {
    let w = World::new(
        "locales: [en]\n",
        &[(
            "content/en/lab/index.md",
            "---\ntitle: Lab\n---\n\n```bash hook=h\n$ echo hi\n```\n",
        )],
    );
    std::fs::write(w.outside().join("hook.yaml"), "SECRET-OUTSIDE: [\n").unwrap();
    std::fs::create_dir_all(w.path("content/en/lab/tests")).unwrap();
    std::os::unix::fs::symlink(
        w.outside().join("hook.yaml"),
        w.path("content/en/lab/tests/hook-h.yaml"),
    )
    .unwrap();
    let r = w.labrun(&["check"]);
    r.assert_clean_exit(1);
    assert!(r.stdout.contains("fence/missing-hook"), "{}", r.stdout);
    assert!(!r.stdout.contains("SECRET"), "{}", r.stdout);
    // A tests/ directory linked outside is no better.
    std::fs::remove_file(w.path("content/en/lab/tests/hook-h.yaml")).unwrap();
    std::fs::remove_dir(w.path("content/en/lab/tests")).unwrap();
    std::fs::rename(
        w.outside().join("hook.yaml"),
        w.outside().join("hook-h.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(w.outside(), w.path("content/en/lab/tests")).unwrap();
    let r = w.labrun(&["check"]);
    r.assert_clean_exit(1);
    assert!(!r.stdout.contains("SECRET"), "{}", r.stdout);
}
