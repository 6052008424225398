//! What people see in a real terminal, and the command-line conventions:
//! `render` and `--help` run in a pseudo-terminal of 60 and 160 columns
//! (the width comes from the terminal, not from `COLUMNS`), in English and
//! Japanese, compared with snapshots under `tests/fixtures/terminal/`;
//! `labrun help`, shell completions, the man page, and argument errors in
//! the message language.
//!
//! `LABRUN_BLESS=1 cargo test --test terminal` rewrites the snapshots after
//! an intended change (then review the diff).

mod common;

use std::io::Read;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use textwrap::core::display_width;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn labrun() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_labrun"));
    cmd.current_dir(fixtures().join("render/project"))
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C.UTF-8")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("COLUMNS")
        .env_remove("LANG")
        .env_remove("LC_MESSAGES");
    cmd
}

/// Runs labrun with stdout and stderr on a pseudo-terminal `cols` wide;
/// returns what the terminal received (line ends as `\n`) and the exit code.
fn in_terminal(cols: u16, args: &[&str]) -> (String, i32) {
    let size = nix::pty::Winsize {
        ws_row: 50,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    let pty = nix::pty::openpty(Some(&size), None).expect("a pseudo-terminal");
    let out: OwnedFd = pty.slave.try_clone().unwrap();
    let mut child = labrun()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(pty.slave))
        .spawn()
        .unwrap();
    // The child holds the only other ends: reading stops (EIO) once it exits.
    let mut master = std::fs::File::from(pty.master);
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
        }
    }
    let status = child.wait().unwrap();
    let text = String::from_utf8(bytes)
        .expect("UTF-8")
        .replace("\r\n", "\n");
    (text, status.code().unwrap_or(-1))
}

/// Compares with the snapshot `name`, or rewrites it when blessing.
fn snapshot(name: &str, actual: &str) {
    common::snapshot(&fixtures().join("terminal").join(name), actual);
}

#[test]
fn help_fits_the_terminal_in_english_and_japanese() {
    for cols in [60u16, 160] {
        for lang in ["en", "ja"] {
            for (name, args) in [("labrun", vec![]), ("render", vec!["render"])] {
                let mut all = vec!["--lang", lang];
                all.extend(args);
                all.push("--help");
                let (out, code) = in_terminal(cols, &all);
                assert_eq!(code, 0, "{out}");
                for l in out.lines() {
                    assert!(
                        display_width(l) <= cols as usize,
                        "{lang} {cols}: {} columns: {l}",
                        display_width(l)
                    );
                }
                snapshot(&format!("help-{name}-{lang}-{cols}.txt"), &out);
            }
        }
    }
    // Wider help uses the width: no line of the 160-column Japanese help
    // of `render` wraps its option texts.
    let (wide, _) = in_terminal(160, &["--lang", "ja", "render", "--help"]);
    let (narrow, _) = in_terminal(60, &["--lang", "ja", "render", "--help"]);
    assert!(wide.lines().count() < narrow.lines().count());
}

/// The lines of rendered output that are wrapped: all but commands and
/// code (indented by four, inside a box or not).
fn prose(out: &str) -> impl Iterator<Item = &str> {
    out.lines()
        .filter(|l| !l.starts_with("    ") && !l.starts_with("│     "))
}

#[test]
fn render_fits_the_terminal_in_english_and_japanese() {
    for cols in [60u16, 160] {
        for lang in ["en", "ja"] {
            let (out, code) = in_terminal(cols, &["--lang", lang, "render", "demo"]);
            assert_eq!(code, 0, "{out}");
            // Prose is wrapped to the width; commands and listings are not
            // (a broken command could not be copied).
            for l in prose(&out) {
                assert!(display_width(l) <= cols as usize, "{lang} {cols}: {l}");
            }
            snapshot(&format!("render-demo-{lang}-{cols}.txt"), &out);
        }
    }
    // The first paragraph is one line at 160 columns: no wrap at 80.
    let (wide, _) = in_terminal(160, &["render", "demo/index.md"]);
    assert!(
        wide.lines()
            .any(|l| l.starts_with("This lab shows") && display_width(l) > 100),
        "{wide}"
    );
    // `COLUMNS` still wins, as in clap and most tools.
    let o = labrun()
        .env("COLUMNS", "40")
        .args(["render", "demo/index.md"])
        .output()
        .unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(prose(&text).all(|l| display_width(l) <= 40), "{text}");
}

fn run(args: &[&str]) -> Output {
    labrun().args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

#[test]
fn help_command_prints_what_help_flags_print() {
    let empty = tempfile::tempdir().unwrap();
    for lang in ["en", "ja"] {
        let via_command = labrun()
            .current_dir(empty.path())
            .args(["--lang", lang, "help", "run"])
            .output()
            .unwrap();
        let via_flag = run(&["--lang", lang, "run", "--help"]);
        assert_eq!(via_command.status.code(), Some(0));
        assert_eq!(text(&via_command.stdout), text(&via_flag.stdout));
        let top = run(&["--lang", lang, "help"]);
        assert_eq!(top.status.code(), Some(0));
        assert_eq!(
            text(&top.stdout),
            text(&run(&["--lang", lang, "--help"]).stdout)
        );
        for name in ["help", "completions", "man"] {
            assert!(
                text(&top.stdout).contains(&format!("\n  {name} ")),
                "{name}"
            );
        }
    }
    let unknown = run(&["--lang", "ja", "help", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("コマンド 'nope' はありません"),
        "{}",
        text(&unknown.stderr)
    );
}

#[test]
fn completion_scripts_are_valid_shell() {
    // Commands about labrun itself need no project.
    let empty = tempfile::tempdir().unwrap();
    let o = labrun()
        .current_dir(empty.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let script = text(&o.stdout);
    assert!(
        script.contains("labrun") && script.contains("render"),
        "{script}"
    );
    let mut bash = Command::new("bash")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bash is installed");
    std::io::Write::write_all(bash.stdin.as_mut().unwrap(), script.as_bytes()).unwrap();
    let checked = bash.wait_with_output().unwrap();
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        assert!(text(&o.stdout).contains("completions"), "{shell}");
    }
    let bad = run(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("[possible values: bash, elvish, fish, powershell, zsh]"));
}

/// Writes the man pages into `dir`: (the one page, the per-command folder).
fn man_pages(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let roff = text(&o.stdout);
    assert!(roff.contains(".TH labrun 1"), "{roff}");
    for heading in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH COMMANDS"] {
        assert!(roff.contains(heading), "{heading}");
    }
    let page = dir.join("labrun.1");
    std::fs::write(&page, &roff).unwrap();
    // One page per command with --out.
    let out = dir.join("pages");
    let o = run(&["man", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for name in [
        "labrun.1",
        "labrun-run.1",
        "labrun-render.1",
        "labrun-help.1",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
    let ja = text(&run(&["--lang", "ja", "man"]).stdout);
    assert!(
        ja.contains(".SH 名前") && ja.contains(".SH オプション"),
        "{ja}"
    );
    (page, out)
}

#[test]
fn the_man_page_is_generated_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    man_pages(dir.path());
}

#[test]
#[cfg_attr(
    labrun_skip_man,
    ignore = "man is not installed (apt-get install man-db)"
)]
fn the_man_page_renders_with_man() {
    let dir = tempfile::tempdir().unwrap();
    let (page, out) = man_pages(dir.path());
    for file in [page, out.join("labrun-render.1")] {
        let shown = Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "80")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap();
        assert!(shown.status.success(), "{}", text(&shown.stderr));
        let page = text(&shown.stdout);
        assert!(page.contains("NAME") && page.contains("OPTIONS"), "{page}");
        assert!(page.contains("--lang"), "{page}");
    }
}

#[test]
fn argument_errors_speak_the_message_language() {
    let ja = run(&["--lang", "ja", "render", "--bogus"]);
    assert_eq!(ja.status.code(), Some(2));
    let err = text(&ja.stderr);
    assert!(
        err.starts_with("エラー: 想定していない引数 '--bogus' があります\n"),
        "{err}"
    );
    assert!(err.contains("使い方: labrun render"), "{err}");
    assert!(
        err.contains("詳しくは '--help' を参照してください。"),
        "{err}"
    );
    assert!(
        !err.contains("Usage") && !err.contains("unexpected"),
        "{err}"
    );

    // A Japanese locale without --lang, and a suggestion.
    let o = labrun()
        .env("LC_ALL", "ja_JP.UTF-8")
        .args(["render", "--htm", "x"])
        .output()
        .unwrap();
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("ヒント: よく似た引数があります: '--html'"),
        "{err}"
    );

    let o = run(&["--lang", "ja", "plan", "x", "--format", "xml"]);
    let err = text(&o.stderr);
    assert!(
        err.contains("'--format <FORMAT>' に 'xml' は指定できません"),
        "{err}"
    );
    assert!(err.contains("[指定できる値: text, json]"), "{err}");

    let o = run(&["--lang", "ja", "report"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a missing command shows the help as a usage error"
    );
    assert!(
        text(&o.stderr).contains("使い方: labrun report"),
        "{}",
        text(&o.stderr)
    );

    // English stays clap's wording, from the same messages.
    let en = run(&["render", "--htm", "x"]);
    let err = text(&en.stderr);
    assert!(
        err.starts_with("error: unexpected argument '--htm' found\n"),
        "{err}"
    );
    assert!(
        err.contains("tip: a similar argument exists: '--html'"),
        "{err}"
    );
    assert!(err.contains("\nUsage: labrun render"), "{err}");
    assert!(
        err.ends_with("For more information, try '--help'.\n"),
        "{err}"
    );
}
