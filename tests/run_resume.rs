//! End-to-end: the shell state saved after every page, and `--resume`.
//! The third page of the `resume` fixture calls a function, an alias and
//! variables the first two pages define.

mod run_support;

use run_support::*;

fn report_arg(s: &Scratch, name: &str) -> String {
    s.path(name).to_str().unwrap().to_owned()
}

/// `--from` alone only skips: the third page fails, and bash's own error
/// names the page and the line of the command.
#[test]
fn from_alone_skips_what_defines_the_state() {
    let s = Scratch::new();
    std::fs::write(format!("{}.ready", s.trace().display()), "").unwrap();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "resume",
            "--from",
            "three.md",
            "--report-json",
            &report_arg(&s, "r.json"),
        ],
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 1, "{out}{}", stderr(&o));
    let r = s.json("r.json");
    let b = block(&r, "resume/three.md", 8);
    assert_eq!(b["command"]["line"], 10, "{b:#}");
    assert!(
        b["output_tail"]
            .to_string()
            .contains("content/en/resume/three.md: line 10: greet: command not found"),
        "{b:#}"
    );
    assert!(
        out.contains("| content/en/resume/three.md: line 10: greet: command not found"),
        "{out}"
    );
    assert!(!out.contains("/proc/"), "{out}");
}

/// A run fails on the third page; once its cause is fixed, `--resume`
/// picks up there, in the same work directory, with the state the first
/// two pages left, and passes.
#[test]
fn a_failed_run_resumes_at_the_page_that_failed_with_its_state() {
    let s = Scratch::new();
    let logs = s.path("first-logs");
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "resume",
            "--log-dir",
            logs.to_str().unwrap(),
            "--report-json",
            &report_arg(&s, "first.json"),
        ],
    );
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let first = s.json("first.json");
    assert_eq!(block(&first, "resume/three.md", 8)["command"]["line"], 9);
    // The state after every page that ran is in the log directory.
    for page in ["index.md", "two.md", "three.md"] {
        let f = logs.join(format!("en/resume/{page}.state.json"));
        let saved: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        assert_eq!(saved["schema"], "labrun.state/v1");
        assert_eq!(saved["page"], format!("resume/{page}"));
    }
    let after_two: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(logs.join("en/resume/two.md.state.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(after_two["status"], "passed");
    assert!(
        after_two["state"]["functions"]
            .as_str()
            .unwrap()
            .contains("greet")
    );
    assert!(
        after_two["state"]["pwd"]
            .as_str()
            .unwrap()
            .ends_with("/work/area")
    );
    // Of the variables, what the lab set; not the environment labrun was
    // started with (it may hold secrets).
    let vars = after_two["state"]["vars"].as_object().unwrap();
    assert!(
        vars.contains_key("AUDIENCE") && vars.contains_key("LATER"),
        "{vars:?}"
    );
    assert!(
        !vars.contains_key("TRACE") && !vars.contains_key("PATH"),
        "{vars:?}"
    );

    std::fs::write(format!("{}.ready", s.trace().display()), "").unwrap();
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "resume",
            "--resume",
            logs.to_str().unwrap(),
            "--report-json",
            &report_arg(&s, "second.json"),
        ],
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}{}", stderr(&o));
    assert!(
        out.contains(&format!(
            "resuming at resume/three.md, with the shell state saved after resume/two.md in {}",
            logs.display()
        )),
        "{out}"
    );
    let r = s.json("second.json");
    let statuses: Vec<(String, String)> = blocks(&r)
        .into_iter()
        .map(|(p, _, st, why)| (p, format!("{st} {}", why.unwrap_or_default())))
        .collect();
    assert_eq!(
        statuses,
        [
            ("resume/index.md".to_owned(), "skipped resume".to_owned()),
            ("resume/two.md".to_owned(), "skipped resume".to_owned()),
            ("resume/three.md".to_owned(), "passed ".to_owned()),
        ]
    );
    let lab = &r["labs"][0];
    assert_eq!(lab["work_dir"], first["labs"][0]["work_dir"]);
    assert_eq!(
        lab["resumed"],
        serde_json::json!({
            "log_dir": logs.to_str().unwrap(),
            "page": "resume/three.md",
            "state_after": "resume/two.md",
            "work_dir_reused": true
        })
    );
    assert!(
        std::path::Path::new(lab["work_dir"].as_str().unwrap())
            .join("work/area/made-on-page-one")
            .is_file()
    );

    // Everything passed now: resuming from the second run has nothing to do.
    let o = run(
        &fixture("lab"),
        &s,
        &["resume", "--resume", r["log_dir"].as_str().unwrap()],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}

/// `--resume DIR --from PAGE` after a passing run: its work directory is
/// gone, so a fresh one takes its place (the page says so), and the state
/// still carries the function, alias, variables, options and directory.
#[test]
fn resume_from_a_page_of_a_passing_run() {
    let s = Scratch::new();
    std::fs::write(format!("{}.ready", s.trace().display()), "").unwrap();
    let logs = s.path("logs");
    let o = run(
        &fixture("lab"),
        &s,
        &["resume", "--log-dir", logs.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let o = run(
        &fixture("lab"),
        &s,
        &[
            "resume",
            "--resume",
            logs.to_str().unwrap(),
            "--from",
            "three.md",
            "--report-json",
            &report_arg(&s, "r.json"),
        ],
    );
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}{}", stderr(&o));
    assert!(
        out.contains("the earlier run's work directory is gone"),
        "{out}"
    );
    let r = s.json("r.json");
    assert_eq!(r["labs"][0]["resumed"]["work_dir_reused"], false);
    assert_eq!(block(&r, "resume/three.md", 8)["status"], "passed");
}

#[test]
fn resume_refuses_what_it_cannot_use() {
    let s = Scratch::new();
    // Not a directory.
    let o = run(
        &fixture("lab"),
        &s,
        &["resume", "--resume", s.path("nowhere").to_str().unwrap()],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("not a directory"), "{}", stderr(&o));
    // A directory without any state of the lab.
    let o = run(
        &fixture("lab"),
        &s,
        &["resume", "--resume", s.dir.path().to_str().unwrap()],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("no shell state saved"),
        "{}",
        stderr(&o)
    );
    // A broken state file is named with its line.
    let logs = s.path("logs");
    let o = run(
        &fixture("lab"),
        &s,
        &["resume", "--log-dir", logs.to_str().unwrap()],
    );
    assert_eq!(code(&o), 1);
    let broken = logs.join("en/resume/two.md.state.json");
    std::fs::write(
        &broken,
        "{\"schema\": \"labrun.state/v1\",\n  \"lab\": 7}\n",
    )
    .unwrap();
    let o = run(
        &fixture("lab"),
        &s,
        &["resume", "--resume", logs.to_str().unwrap()],
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(&format!("{}:2:", broken.display())),
        "{}",
        stderr(&o)
    );
}
