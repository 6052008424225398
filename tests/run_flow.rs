//! End-to-end: what a failure does, --bail, --from, --only, --step, .notest,
//! languages, refusals, reports and durations.

mod run_support;

use run_support::*;

#[test]
fn a_failure_skips_the_rest_of_its_page_and_is_reported_in_full() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "run",
            "failing",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let r = s.json("r.json");
    let statuses = statuses(&r);
    assert_eq!(
        statuses,
        [
            ("failing/index.md".to_owned(), 6, "passed".to_owned()),
            ("failing/index.md".to_owned(), 10, "failed".to_owned()),
            ("failing/index.md".to_owned(), 16, "skipped".to_owned()),
            // Later pages still run.
            ("failing/later.md".to_owned(), 6, "passed".to_owned()),
        ]
    );
    let b = block(&r, "failing/index.md", 10);
    assert_eq!(b["exit_code"], 3);
    assert_eq!(b["command"]["line"], 12);
    assert_eq!(
        b["output_tail"],
        serde_json::json!(["about to fail", "boom"])
    );
    assert_eq!(
        block(&r, "failing/index.md", 16)["skip_reason"],
        "after-failure"
    );
    // The report on the terminal: file:line, command, exit code, output, log.
    let out = stdout(&o);
    assert!(
        out.contains("content/en/failing/index.md:10: the block failed with exit code 3"),
        "{out}"
    );
    assert!(
        out.contains("command (line 12): sh -c 'echo boom >&2; exit 3'"),
        "{out}"
    );
    assert!(out.contains("| boom"), "{out}");
    assert!(!out.contains("never printed"), "{out}");
    let log_line = b["log_line"].as_u64().unwrap() as usize;
    let log = std::fs::read_to_string(b["log"].as_str().unwrap()).unwrap();
    // Each command, then its output, as a terminal shows them; the
    // command the failure ended the block before never shows.
    let from_header: Vec<&str> = log.lines().skip(log_line - 1).take(5).collect();
    assert_eq!(
        from_header,
        [
            "==> content/en/failing/index.md:10",
            "$ echo about to fail",
            "about to fail",
            "$ sh -c 'echo boom >&2; exit 3'",
            "boom",
        ],
        "{log}"
    );
    assert!(!log.contains("$ echo never printed"), "{log}");
    assert!(
        out.contains(&format!("{}:{log_line}", b["log"].as_str().unwrap())),
        "{out}"
    );
}

#[test]
fn bail_stops_at_the_first_failure() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "failing",
            "--bail",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 1);
    let r = s.json("r.json");
    assert_eq!(block(&r, "failing/later.md", 6)["skip_reason"], "bail");
}

#[test]
fn from_resumes_at_a_block() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &["steps", "--from", "steps/index.md:11"],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(s.trace_lines(), ["en-one-2", "en-one-3", "en-two-1"]);

    let s = Scratch::new();
    let o = run(&fixture("lab"), &s, &["steps", "--from", "two.md"]);
    assert_eq!(code(&o), 0);
    assert_eq!(s.trace_lines(), ["en-two-1"]);

    // A line between blocks, or an unknown page: nothing runs, exit 2.
    for from in ["steps/index.md:9", "nope.md"] {
        let s = Scratch::new();
        let o = run(&fixture("lab"), &s, &["steps", "--from", from]);
        assert_eq!(code(&o), 2, "{from}");
        assert!(s.trace_lines().is_empty());
    }
}

#[test]
fn only_runs_matching_pages() {
    let s = Scratch::new();
    let o = run(&fixture("lab"), &s, &["steps", "--only", "two.md"]);
    assert_eq!(code(&o), 0);
    assert_eq!(s.trace_lines(), ["en-two-1"]);
    let o = run(&fixture("lab"), &s, &["steps", "--only", "*/nothing*"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn step_reads_run_skip_quit_from_stdin() {
    use std::io::Write;
    let s = Scratch::new();
    let mut child = command(
        &fixture("lab"),
        &s,
        &[
            "steps",
            "--step",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    )
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    child.stdin.take().unwrap().write_all(b"r\ns\nq\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(s.trace_lines(), ["en-one-1"]);
    let reasons: Vec<Option<String>> = blocks(&s.json("r.json")).into_iter().map(|b| b.3).collect();
    assert_eq!(
        reasons,
        [
            None,
            Some("step".into()),
            Some("quit".into()),
            Some("quit".into())
        ]
    );
    assert!(stdout(&o).contains("[r]un, [s]kip, [q]uit"));
}

#[test]
fn notest_pages_do_not_run() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "notest",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(s.trace_lines().is_empty());
    assert_eq!(blocks(&s.json("r.json"))[0].3.as_deref(), Some("notest"));
}

#[test]
fn the_same_lab_in_japanese() {
    let s = Scratch::new();
    let o = run(&fixture("lab"), &s, &["--lang", "ja", "steps"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(
        s.trace_lines(),
        ["ja-one-1", "ja-one-2", "ja-one-3", "ja-two-1"]
    );
    let out = stdout(&o);
    assert!(
        out.contains("▶ 手順（steps、ja）: 2 ページ、4 ブロック"),
        "{out}"
    );
    assert!(out.contains("成功"), "{out}");
    assert!(!out.contains("passed"), "{out}");
    // Messages follow LANG when --lang is not given; content stays English.
    let s = Scratch::new();
    let o = command(&fixture("lab"), &s, &["steps"])
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("成功"));
    assert_eq!(s.trace_lines()[0], "en-one-1");
}

#[test]
fn a_run_refuses_to_start_on_content_it_cannot_run() {
    for (lab, place, rule) in [
        (
            "annotation",
            "content/en/annotation/index.md:7:9",
            "fence/bad-annotation-value",
        ),
        (
            "variable",
            "content/en/variable/index.md:12:8",
            "reference/unknown-variable",
        ),
        ("hook", "content/en/hook/index.md:5:9", "fence/missing-hook"),
    ] {
        let s = Scratch::new();
        let o = run(&fixture("broken"), &s, &[lab]);
        assert_eq!(code(&o), 2, "{lab}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(place) && err.contains(rule), "{lab}: {err}");
        assert!(stdout(&o).is_empty(), "nothing ran: {}", stdout(&o));
    }
    // --var defines what labrun.yaml does not.
    let s = Scratch::new();
    let o = run(
        &fixture("broken"),
        &s,
        &["variable", "--var", "NOT_DEFINED=x"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // What `check` calls a warning is shown and never stops a run.
    let s = Scratch::new();
    let o = run(&fixture("broken"), &s, &["typo"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("content/en/typo/index.md:7:14")
            && err.contains("warning[fence/unknown-annotation]")
            && err.contains("timeout"),
        "{err}"
    );
}

#[test]
fn junit_has_a_suite_per_page_and_a_case_per_block() {
    let s = Scratch::new();
    let xml_path = s.path("junit.xml");
    let o = run(
        &fixture("lab"),
        &s,
        &["failing", "--report-junit", xml_path.to_str().unwrap()],
    );
    assert_eq!(code(&o), 1);
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(root.attribute("tests"), Some("4"));
    assert_eq!(root.attribute("failures"), Some("1"));
    let suites: Vec<roxmltree::Node> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(names, ["en/failing/index.md", "en/failing/later.md"]);
    let cases: Vec<roxmltree::Node> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let case_names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
    assert_eq!(
        case_names,
        [
            "content/en/failing/index.md:6",
            "content/en/failing/index.md:10",
            "content/en/failing/index.md:16"
        ]
    );
    let failure = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .expect("a failure");
    assert!(
        failure
            .attribute("message")
            .unwrap()
            .contains("exit code 3")
    );
    assert!(failure.text().unwrap_or("").contains("boom"));
    assert!(cases[2].children().any(|n| n.has_tag_name("skipped")));
    assert!(!cases[0].children().any(|n| n.is_element()));
}

#[test]
fn durations_merge_into_an_existing_file() {
    let s = Scratch::new();
    let file = s.path("durations.json");
    std::fs::write(
        &file,
        "{\n  \"/elsewhere/index.md\": 1234,\n  \"/steps/two.md\": 99999999\n}\n",
    )
    .unwrap();
    let o = run(
        &fixture("lab"),
        &s,
        &["steps", "--record-durations", file.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0);
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let keys: Vec<&str> = map.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["/elsewhere/index.md", "/steps/index.md", "/steps/two.md"]
    );
    assert_eq!(map["/elsewhere/index.md"], 1234);
    let two = map["/steps/two.md"].as_u64().unwrap();
    assert!(two < 99999999, "re-measured: {two}");
    // Failed pages are not recorded.
    let o = run(
        &fixture("lab"),
        &s,
        &["failing", "--record-durations", file.to_str().unwrap()],
    );
    assert_eq!(code(&o), 1);
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(map.contains_key("/failing/later.md"));
    assert!(!map.contains_key("/failing/index.md"));
    // A broken file is refused before anything runs.
    std::fs::write(&file, "not json").unwrap();
    let s2 = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s2,
        &["steps", "--record-durations", file.to_str().unwrap()],
    );
    assert_eq!(code(&o), 2);
    assert!(s2.trace_lines().is_empty());
}

#[test]
fn dry_run_prints_the_plan_with_expected_durations_and_runs_nothing() {
    let s = Scratch::new();
    let o = run(&fixture("workshop"), &s, &["alpha", "--dry-run"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("$ echo alpha-1"), "{out}");
    // The three figures, each labelled with what it is.
    assert!(out.contains("Expected run time, page by page"), "{out}");
    assert!(out.contains("alpha/index.md  9.0 s"), "{out}");
    assert!(
        out.contains("Expected run time of the lab: 17.0 s"),
        "{out}"
    );
    assert!(out.contains("A run takes at most "), "{out}");
    assert!(
        out.contains("Required time shown to learners (::required-time): "),
        "{out}"
    );
    // The same as JSON, in the plan's schema family.
    let o = run(
        &fixture("workshop"),
        &s,
        &["alpha", "--dry-run", "--format", "json"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let d: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(d["schema"], "labrun.dry-run/v1");
    let lab = &d["labs"][0];
    assert_eq!(lab["plan"]["schema"], "labrun.plan/v1");
    assert_eq!(lab["plan"]["lab"], "alpha");
    let du = &lab["durations"];
    assert_eq!(du["expected_ms"], 17_000);
    assert_eq!(du["bound_seconds"], lab["plan"]["totals"]["max_seconds"]);
    assert_eq!(du["pages"][0]["source"], "recorded");
    assert_eq!(du["pages"][0]["expected_ms"], 9_000);
    assert!(du["required_time"]["total_minutes"].as_u64().unwrap() >= 5);
    assert_eq!(d["totals"]["expected_ms"], 17_000);
    // --format is for --dry-run.
    let o = run(&fixture("workshop"), &s, &["alpha", "--format", "json"]);
    assert_eq!(code(&o), 2);
    let o = run(&fixture("lab"), &s, &["steps", "--dry-run"]);
    assert_eq!(code(&o), 0);
    assert!(s.trace_lines().is_empty());
}

#[test]
fn the_bundled_getting_started_lab_passes_in_both_languages() {
    for lang in ["en", "ja"] {
        let s = Scratch::new();
        let o = run(&repo_root(), &s, &["getting-started", "--lang", lang]);
        assert_eq!(code(&o), 0, "{lang}: {}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn verbose_streams_block_output() {
    let s = Scratch::new();
    let quiet = run(&fixture("lab"), &s, &["failing"]);
    assert!(!stdout(&quiet).contains("later pages still run"));
    let o = run(&fixture("lab"), &s, &["failing", "--verbose"]);
    let out = stdout(&o);
    assert!(out.contains("first block\n"), "{out}");
    assert!(out.contains("later pages still run\n"), "{out}");
}
