//! Terminal escapes in titles, file names, commands and command output are
//! shown, never obeyed: what labrun prints for people holds no control
//! character from content (with colour on, only labrun's own colour
//! sequences), while logs and reports keep the raw bytes.

mod hostile_support;

use hostile_support::{World, command};

/// Retitles the terminal, then hides text, then writes the clipboard.
const TITLE: &str = "Lab \u{1b}]0;pwned\u{7} \u{1b}[8mhidden \u{1b}]52;c;cHduZWQ=\u{7}";

fn hostile() -> World {
    let w = World::new("locales: [en]\n", &[]);
    let page = "---\ntitle: \"Lab \\e]0;pwned\\a \\e[8mhidden \\e]52;c;cHduZWQ=\\a\"\n---\n\n[gone](./missing\u{1b}[2J.md)\n\n```bash timeout=30\n$ printf 'out \\033]0;pwned\\007 \\033[8mhidden\\r\\033[2K\\n'; false\n```\n";
    w.write("content/en/lab/index.md", page);
    // A file name holding an escape sequence.
    w.write(
        "content/en/lab/\u{1b}[31mred.md",
        "---\ntitle: Red\n---\n\nText.\n",
    );
    w
}

/// Any byte of a control character labrun must not print raw (newline and
/// tab aside), and the 8-bit C1 controls.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
        })
        .collect()
}

#[test]
fn people_see_escapes_as_symbols() {
    let w = hostile();
    let log_dir = w.dir.path().join("logs");
    let report = w.dir.path().join("r.json");
    for args in [
        &["plan", "lab"][..],
        &["run", "lab", "--dry-run"],
        &["time", "lab"],
        &["render", "lab"],
        &["check"],
        &["drift"],
        &[
            "run",
            "lab",
            "--log-dir",
            log_dir.to_str().unwrap(),
            "--report-json",
            report.to_str().unwrap(),
        ],
    ] {
        let r = w.labrun(args);
        assert!(!r.stderr.contains("panicked"), "{args:?}: {}", r.stderr);
        assert_eq!(
            raw_controls(&r.stdout),
            [],
            "{args:?} stdout: {:?}",
            r.stdout
        );
        assert_eq!(
            raw_controls(&r.stderr),
            [],
            "{args:?} stderr: {:?}",
            r.stderr
        );
    }
    let r = w.labrun(&["plan", "lab"]);
    assert!(r.stdout.contains("Lab ␛]0;pwned␇"), "{}", r.stdout);
    assert!(r.stdout.contains("␛[31mred.md"), "{}", r.stdout);
    // The failure report shows the output's escapes and carriage return.
    let run = w.labrun(&["run", "lab", "--log-dir", log_dir.to_str().unwrap()]);
    assert!(
        run.stdout.contains("out ␛]0;pwned␇ ␛[8mhidden␍␛[2K"),
        "{}",
        run.stdout
    );

    // The log keeps the bytes as the command wrote them.
    let log = std::fs::read(log_dir.join("en/lab/index.md.log")).unwrap();
    let needle = b"out \x1b]0;pwned\x07 \x1b[8mhidden\r\x1b[2K";
    assert!(
        log.windows(needle.len()).any(|x| x == needle),
        "{:?}",
        String::from_utf8_lossy(&log)
    );
    // So does the JSON report (JSON escapes them).
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let tail = json["labs"][0]["pages"][0]["blocks"][0]["output_tail"][0]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(tail.contains("\u{1b}]0;pwned\u{7}"), "{tail:?}");
    let title = json["labs"][0]["pages"][0]["title"].as_str().unwrap();
    assert_eq!(title, TITLE);
}

#[test]
fn with_colour_on_only_labruns_own_colours_reach_the_terminal() {
    let w = hostile();
    for args in [
        &["plan", "lab"][..],
        &["run", "lab"],
        &["check"],
        &["time", "lab"],
    ] {
        let o = command(&w.project(), args)
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .env("TMPDIR", w.dir.path())
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("\u{1b}["), "{args:?}: colour is on: {out:?}");
        for bad in [
            "\u{1b}]",
            "\u{7}",
            "\u{1b}[8m",
            "\u{1b}[2J",
            "\u{1b}[2K",
            "\r",
        ] {
            assert!(!out.contains(bad), "{args:?}: {bad:?} in {out:?}");
        }
    }
}
