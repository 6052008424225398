//! End-to-end tests of `labrun render` and `labrun time` on the fixture
//! project `tests/fixtures/render/project`, with snapshot files under
//! `tests/fixtures/render/expected/`. Run with `LABRUN_BLESS=1` to rewrite
//! the snapshots after an intended change (then review the diff).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render")
}

fn labrun(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_labrun"));
    cmd.current_dir(fixture().join("project"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "en_US.UTF-8")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS");
    cmd
}

fn run(args: &[&str]) -> Output {
    labrun(args).output().expect("labrun runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 output")
}

/// Compares with the snapshot `name`, or rewrites it when blessing.
fn snapshot(name: &str, actual: &str) {
    common::snapshot(&fixture().join("expected").join(name), actual);
}

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    assert_eq!(stderr(&o), "", "{args:?}");
    stdout(&o)
}

#[test]
fn terminal_output_in_english() {
    snapshot("terminal-en.txt", &ok(&["render", "demo"]));
}

#[test]
fn terminal_output_in_japanese() {
    snapshot("terminal-ja.txt", &ok(&["--lang", "ja", "render", "demo"]));
}

#[test]
fn terminal_output_of_one_page_with_an_upper_bound() {
    let out = ok(&["render", "bound/index.md"]);
    assert!(out.contains("Upper bound"), "{out}");
    snapshot("terminal-bound.txt", &out);
}

#[test]
fn forced_colour_uses_ansi_codes_and_no_color_wins() {
    let o = labrun(&["render", "demo/manifest.md"])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    let out = stdout(&o);
    assert!(out.contains("\u{1b}["), "{out}");
    // The highlighted ranges alternate colours: green, then cyan.
    assert!(out.contains("\u{1b}[32m  name: \"<script>"), "{out}");
    assert!(out.contains("\u{1b}[36m"), "{out}");
    let plain = ok(&["render", "demo/manifest.md"]);
    assert!(!plain.contains('\u{1b}'));
}

#[test]
fn time_breakdown_in_both_languages() {
    snapshot("time-en.txt", &ok(&["time", "demo"]));
    snapshot("time-ja.txt", &ok(&["--lang", "ja", "time", "demo"]));
    snapshot("time-bound.txt", &ok(&["time", "bound"]));
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["time", "demo", "--format", "json"])).unwrap();
    assert_eq!(json["total_minutes"], 20);
    assert_eq!(json["execution"]["source"], "estimated");
    assert_eq!(json["factor"], 1.5);
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_owned())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn html_site_in_both_locales() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("site");
    let msg = ok(&["render", "demo", "--html", dir.to_str().unwrap()]);
    assert!(msg.contains("6 pages"), "{msg}");
    let written = files(&dir);
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "en/demo/assets/diagram.svg",
            "en/demo/extra.html",
            "en/demo/index.html",
            "en/demo/manifest.html",
            "index.html",
            "ja/demo/index.html",
            "ja/demo/manifest.html",
            "site.js",
            "style.css"
        ]
    );
    for rel in written.iter().filter(|p| !p.ends_with("diagram.svg")) {
        let text = std::fs::read_to_string(dir.join(rel)).unwrap();
        // No page text becomes markup: the fixture's <script>, <img
        // onerror>, <b> in prose, titles, callouts, commands and manifest
        // values all stay text. The one script is the site's own file.
        let own_script = text.matches("<script src=\"").count();
        assert_eq!(
            text.matches("<script").count(),
            own_script,
            "{}",
            rel.display()
        );
        assert!(own_script <= 1 && !text.contains("<script>"));
        for bad in ["<img src=x", "<img src=\"x\"", "<b>"] {
            assert!(!text.contains(bad), "{bad} in {}", rel.display());
        }
        snapshot(&format!("html/{}", rel.display()), &text);
    }
}

#[test]
fn html_pages_carry_ranges_callouts_and_language_switch() {
    let out = tempfile::tempdir().unwrap();
    ok(&["render", "demo", "--html", out.path().to_str().unwrap()]);
    let page = std::fs::read_to_string(out.path().join("en/demo/manifest.html")).unwrap();
    // Three ranges, alternating; the second ends where the third starts.
    assert_eq!(
        page.matches("class=\"line hl hl-even\" data-line=\"4\" data-callout=\"1\"")
            .count(),
        1
    );
    assert!(page.contains("class=\"line hl hl-odd\" data-line=\"19\" data-callout=\"2\""));
    assert!(page.contains("class=\"line hl hl-even\" data-line=\"22\" data-callout=\"3\""));
    assert_eq!(page.matches("<li id=\"yaml-1-c").count(), 3);
    // The zoomed listing shows lines 12-22 only.
    assert!(page.contains("data-zoom=\"12-22\""));
    assert!(page.contains("href=\"../../ja/demo/manifest.html\""));
    assert!(page.contains("~/environment/workshop/demo/app.yaml"));
    let extra = std::fs::read_to_string(out.path().join("en/demo/extra.html")).unwrap();
    assert!(!extra.contains("lang-link"), "no translation, no switch");
}

#[test]
fn variables_from_the_command_line_win() {
    let out = ok(&["render", "demo/index.md", "--var", "REPO=other/repo"]);
    assert!(out.contains("come from other/repo"), "{out}");
    let o = run(&["render", "demo/index.md", "--var", "no-equals"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("KEY=VALUE"), "{}", stderr(&o));
}

/// A copy of the fixture project to break.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture().join("project");
    for p in walk(&src) {
        let to = dir.path().join(p.strip_prefix(&src).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&p, &to).unwrap();
    }
    dir
}

#[test]
fn broken_directives_are_reported_with_file_and_line() {
    let dir = scratch();
    let page = dir.path().join("content/en/demo/manifest.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("containers.1.image\"", "containers.7.image\"")
        .replace("VAR::REPO", "VAR::MISSING");
    std::fs::write(&page, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(dir.path())
        .args(["render", "demo/manifest.md"])
        .env("NO_COLOR", "1")
        .env("LC_ALL", "en_US.UTF-8")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/en/demo/manifest.md:8:1: error[render/yaml-path]"),
        "{err}"
    );
    assert!(err.contains("warning[render/unknown-variable]"), "{err}");
    // The page is still drawn, with the problem in place of the listing.
    assert!(stdout(&o).contains("✗ ::yaml"), "{}", stdout(&o));
}

#[test]
fn recorded_durations_come_first() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("test-durations.json"),
        r#"{"/demo/index.md": 600000, "/demo/manifest.md": 1200000}"#,
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(dir.path())
        .args(["--lang", "ja", "time", "demo", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // The Japanese pages use the English pages' recorded run: 30 minutes,
    // plus reading, × 1.5.
    assert_eq!(json["execution"]["source"], "recorded");
    assert_eq!(json["execution"]["seconds"], 1800.0);
    assert_eq!(json["total_minutes"], 50);
    std::fs::write(
        dir.path().join("test-durations.json"),
        "{\"/demo/index.md\": \"soon\"}",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(dir.path())
        .args(["time", "demo"])
        .env("LC_ALL", "en_US.UTF-8")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("test-durations.json:1"),
        "{}",
        stderr(&o)
    );
}
