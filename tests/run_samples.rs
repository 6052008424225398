//! End-to-end: sample-output verification (`verifyOutput=true`,
//! `--verify-output`) with real-world-shaped samples: a `kubectl get`
//! table, a curl error from inside a Pod, JSON with elided parts.

mod run_support;

use run_support::*;

#[test]
fn samples_match_another_runs_output_and_a_mismatch_fails_with_a_diff() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "samples",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
            "--report-junit",
            s.path("r.xml").to_str().unwrap(),
        ],
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}{}", stderr(&o));
    let r = s.json("r.json");
    let statuses = statuses(&r);
    assert_eq!(
        statuses,
        [
            ("samples/index.md".to_owned(), 9, "passed".to_owned()),
            ("samples/index.md".to_owned(), 21, "passed".to_owned()),
            ("samples/index.md".to_owned(), 29, "passed".to_owned()),
            ("samples/index.md".to_owned(), 50, "passed".to_owned()),
            ("samples/mismatch.md".to_owned(), 6, "failed".to_owned()),
            ("samples/mismatch.md".to_owned(), 14, "skipped".to_owned()),
        ],
        "{out}"
    );
    let b = block(&r, "samples/mismatch.md", 6);
    assert_eq!(b["failure"], "output");
    assert_eq!(b["exit_code"], 0);
    assert_eq!(b["command"]["line"], 9);
    let m = &b["output_mismatch"];
    assert_eq!(
        (m["command_line"].as_u64(), m["sample_line"].as_u64()),
        (Some(9), Some(11))
    );
    let diff: Vec<(String, Option<u64>)> = m["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["op"].as_str().unwrap().to_owned(), d["line"].as_u64()))
        .collect();
    assert_eq!(
        diff,
        [
            (" ".to_owned(), Some(10)),
            ("-".to_owned(), Some(11)),
            ("+".to_owned(), None)
        ]
    );
    // On the terminal: the page:line of the sample, the command, the diff.
    assert!(
        out.contains("content/en/samples/mismatch.md:6: the output of the command differs from its sample at content/en/samples/mismatch.md:11"),
        "{out}"
    );
    assert!(out.contains("command (line 9): printf"), "{out}");
    assert!(
        out.contains("   11 - catalog-5c8f7d9b6d-q7lzt   2/2     Running   0          31m"),
        "{out}"
    );
    assert!(
        out.contains("      + catalog-7f9c6b8d54-bz7gq   1/2     Running   3          2m"),
        "{out}"
    );
    // The after phase of the hook does not run after a mismatch.
    assert_eq!(s.trace_lines(), ["after-check before"]);
    let xml = std::fs::read_to_string(s.path("r.xml")).unwrap();
    assert!(
        xml.contains("message=\"the output of the command differs from its sample at content/en/samples/mismatch.md:11\" type=\"output\""),
        "{xml}"
    );
}

#[test]
fn verify_output_compares_every_block() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "samples",
            "--only",
            "index.md",
            "--verify-output",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let r = s.json("r.json");
    let b = block(&r, "samples/index.md", 50);
    assert_eq!(b["failure"], "output", "{b:#}");
    assert_eq!(b["output_mismatch"]["sample_line"], 52);
    for line in [9, 21, 29] {
        assert_eq!(block(&r, "samples/index.md", line)["status"], "passed");
    }
}

#[test]
fn the_japanese_report_of_a_mismatch() {
    let s = Scratch::new();
    let o = command(&fixture("lab"), &s, &["samples", "--only", "mismatch.md"])
        .env("LANG", "ja_JP.UTF-8")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}");
    assert!(
        out.contains("コマンドの出力が content/en/samples/mismatch.md:11 の出力例と一致しません"),
        "{out}"
    );
    assert!(out.contains("出力例（-）と実際の出力（+）"), "{out}");
}
