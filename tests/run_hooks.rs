//! End-to-end: block hooks, suite hooks and prepare-environment.

mod run_support;

use run_support::*;

#[test]
fn hooks_run_before_and_after_with_test_output_and_the_session_environment() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "hooks",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
            "--report-junit",
            s.path("r.xml").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        s.trace_lines(),
        [
            "suite before dir=hooks",
            "before line=12 page=index.md locale=en output=unset",
            // Exported variables and the directory of the session reach the
            // hook; plain shell variables do not (it is a separate process).
            "after line=12 exported=visible unexported= cwd=hookdir",
            "output: the block's output",
            "output: second line",
            "suite after dir=hooks",
        ]
    );
    let r = s.json("r.json");
    let ok = block(&r, "hooks/index.md", 12);
    assert_eq!(ok["status"], "passed");
    let phases: Vec<&str> = ok["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["before", "after"]);
    // wait=1 comes after the after hook, and counts in the block.
    assert!(ok["duration_ms"].as_u64().unwrap() >= 1000);
    // A failing after hook fails its block (hook-fussy.sh is not executable:
    // labrun runs it with bash) and skips the rest of the page.
    let bad = block(&r, "hooks/bad.md", 6);
    assert_eq!(bad["status"], "failed");
    assert_eq!(bad["failure"], "hook-after");
    assert_eq!(bad["hooks"][0]["phase"], "before");
    assert_eq!(bad["hooks"][1]["exit_code"], 4);
    assert_eq!(
        block(&r, "hooks/bad.md", 11)["skip_reason"],
        "after-failure"
    );
    let suites: Vec<(&str, &str)> = r["labs"][0]["suite_hooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["phase"].as_str().unwrap(), h["status"].as_str().unwrap()))
        .collect();
    assert_eq!(suites, [("before", "passed"), ("after", "passed")]);
    // The block failed as it should (expectError): the hook is the
    // failure, not the block's command.
    assert_eq!(bad["exit_code"], 1);
    assert!(bad["command"].is_null(), "{bad}");
    let out = stdout(&o);
    assert!(
        out.contains("content/en/hooks/bad.md:6: hook fussy (after) failed with exit code 4"),
        "{out}"
    );
    assert!(!out.contains("command (line"), "{out}");
    assert!(out.contains("last lines of hook fussy (after):"), "{out}");
    assert!(out.contains("got: not what the hook wants"), "{out}");
    // The log pointer is the hook's own part of the log.
    let hook = &bad["hooks"][1];
    let log = std::fs::read_to_string(hook["log"].as_str().unwrap()).unwrap();
    let at = hook["log_line"].as_u64().unwrap() as usize;
    assert_eq!(
        log.lines().nth(at - 1),
        Some("==> content/en/hooks/tests/hook-fussy.sh after"),
        "{log}"
    );
    assert!(
        out.contains(&format!("log: {}:{at}", hook["log"].as_str().unwrap())),
        "{out}"
    );
    // JUnit says the same: the hook's message, its output first.
    let xml = std::fs::read_to_string(s.path("r.xml")).unwrap();
    assert!(
        xml.contains(
            "<failure message=\"hook fussy (after) failed with exit code 4\" type=\"hook-after\">fussy: expected"
        ),
        "{xml}"
    );
}

#[test]
fn prepare_environment_cleans_up_the_previous_lab_and_sets_up_the_next() {
    let s = Scratch::new();
    let o = run(&fixture("lab"), &s, &["prepare"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(s.trace_lines(), ["setup one root=lab", "cleanup one"]);
}

#[test]
fn a_missing_tool_stops_the_run_before_anything_runs() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "--config",
            "labrun-requires.yaml",
            "prepare",
            "--report-json",
            s.path("r.json").to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "lab prepare (en) needs `labrun-no-such-tool` for prepare-environment prep/one, and it is not on PATH"
        ),
        "{err}"
    );
    assert!(err.contains("labrun-requires.yaml"), "{err}");
    assert!(err.contains("--dry-run"), "{err}");
    assert!(s.trace_lines().is_empty(), "nothing was set up");
    assert!(!s.path("r.json").exists(), "nothing ran, so no report");
}

#[test]
fn one_environment_can_need_a_tool_the_others_do_not() {
    let s = Scratch::new();
    let o = run(
        &fixture("lab"),
        &s,
        &["--config", "labrun-requires-env.yaml", "prepare"],
    );
    assert_eq!(code(&o), 2, "{}{}", stdout(&o), stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("needs `labrun-no-such-tool` for prepare-environment prep/two"),
        "{err}"
    );
    assert!(!err.contains("prep/one"), "prep/one needs only sh: {err}");
    assert!(s.trace_lines().is_empty(), "nothing was set up");

    // Tools that exist pass the check before the run and the one inside the
    // prepare-environment function (every matching pattern adds its tools).
    let o = run(
        &fixture("lab"),
        &s,
        &["--config", "labrun-requires-sh.yaml", "prepare"],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(s.trace_lines(), ["setup one root=lab", "cleanup one"]);
}

#[test]
fn a_state_file_remembers_the_prepared_lab_between_runs() {
    let s = Scratch::new();
    let project = s.path("project");
    copy_dir(&fixture("lab"), &project);
    std::fs::write(
        project.join("labrun.yaml"),
        "locales: [en, ja]\nprepare-environment:\n  state: .labrun/environment\n",
    )
    .unwrap();
    std::fs::create_dir_all(project.join(".labrun")).unwrap();
    // An earlier run prepared prep/one.
    std::fs::write(project.join(".labrun/environment"), "prep/one\n").unwrap();
    let o = run(&project, &s, &["prepare"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(
        s.trace_lines(),
        ["cleanup one", "setup one root=project", "cleanup one"]
    );
    assert_eq!(
        std::fs::read_to_string(project.join(".labrun/environment")).unwrap(),
        "prep/two\n"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
