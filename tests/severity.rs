//! One verdict per rule in every command: for each rule that `plan` and
//! `run` look for, `check` reports it at its level, `plan` and `run` refuse
//! exactly when that level is error (and otherwise warn and go on), and
//! labrun.yaml's `check.levels` / `check.disable` and per-line comments move
//! all three together.

mod common;

use std::path::Path;

use common::labrun;
use labrun::rules::{Level, default_level};

/// (rule, page body after the front matter, line of the finding in the
/// page, whether a comment on the line before can silence it).
const CASES: &[(&str, &str, u32, bool)] = &[
    (
        "fence/unknown-annotation",
        "```bash timout=5\n$ echo a\n```\n",
        5,
        true,
    ),
    (
        "fence/bad-annotation-value",
        "```bash timeout=soon\n$ echo a\n```\n",
        5,
        true,
    ),
    (
        "fence/duplicate-annotation",
        "```bash wait=1 wait=2\n$ echo a\n```\n",
        5,
        true,
    ),
    ("fence/unterminated", "```bash\n$ echo a\n", 5, true),
    (
        "fence/unterminated-heredoc",
        "```bash\n$ cat <<EOF\nx\n```\n",
        6,
        false,
    ),
    (
        "fence/unterminated-quote",
        "```bash\n$ echo 'a\n```\n",
        6,
        false,
    ),
    ("fence/no-commands", "```bash\necho a\n```\n", 5, true),
    ("directive/malformed", "::yaml{file=\"x.yaml\n", 5, true),
    ("directive/unmatched-close", "Text.\n\n:::\n", 7, true),
    (
        "directive/unterminated-container",
        ":::tip Note\nText.\n",
        5,
        true,
    ),
    (
        "fence/missing-hook",
        "```bash hook=nope\n$ echo a\n```\n",
        5,
        true,
    ),
    (
        "reference/unknown-variable",
        "```bash\n$ echo VAR::NOPE\n```\n",
        6,
        false,
    ),
];

/// Front matter rules: the whole page.
const FRONT_MATTER: &[(&str, &str)] = &[
    ("front-matter/unterminated", "---\ntitle: Lab\n\n# Lab\n"),
    ("front-matter/invalid-yaml", "---\ntitle: [\n---\n\n# Lab\n"),
    ("front-matter/not-a-mapping", "---\n- a\n---\n\n# Lab\n"),
    (
        "front-matter/position-not-a-number",
        "---\ntitle: Lab\nsidebar_position: first\n---\n",
    ),
];

struct Project(tempfile::TempDir);

impl Project {
    fn new(page: &[u8], config: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/en/lab")).unwrap();
        std::fs::write(dir.path().join("content/en/lab/index.md"), page).unwrap();
        std::fs::write(
            dir.path().join("labrun.yaml"),
            format!("locales: [en]\n{config}"),
        )
        .unwrap();
        Project(dir)
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

/// What each command made of the rule: check's severity (None: not
/// reported), whether plan refused, whether run refused, and whether plan
/// and run mentioned the rule at all.
#[derive(Debug, PartialEq)]
struct Verdict {
    check: Option<String>,
    plan_refused: bool,
    run_refused: bool,
    plan_warned: bool,
    run_warned: bool,
}

fn verdict(project: &Project, rule: &str) -> Verdict {
    let (_, report) = common::check_json(project.path(), &["--lang", "en"]);
    let check = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == rule)
        .map(|d| d["severity"].as_str().unwrap().to_owned());
    let plan = labrun(project.path(), &["plan", "lab", "--lang", "en"]);
    let plan_err = String::from_utf8_lossy(&plan.stderr).into_owned();
    let run = labrun(project.path(), &["run", "lab", "--lang", "en"]);
    let run_err = String::from_utf8_lossy(&run.stderr).into_owned();
    let refused = |code: Option<i32>, stderr: &str| {
        code == Some(2) && stderr.contains(&format!("error[{rule}]"))
    };
    Verdict {
        check,
        plan_refused: refused(plan.status.code(), &plan_err),
        run_refused: refused(run.status.code(), &run_err),
        plan_warned: plan_err.contains(&format!("warning[{rule}]")),
        run_warned: run_err.contains(&format!("warning[{rule}]")),
    }
}

fn expected(level: Option<&str>) -> Verdict {
    Verdict {
        check: level.map(str::to_owned),
        plan_refused: level == Some("error"),
        run_refused: level == Some("error"),
        plan_warned: level == Some("warning"),
        run_warned: level == Some("warning"),
    }
}

fn all_cases() -> Vec<(&'static str, Vec<u8>, Option<u32>)> {
    let mut out: Vec<(&str, Vec<u8>, Option<u32>)> = CASES
        .iter()
        .map(|(rule, body, line, comment)| {
            let page = format!("---\ntitle: Lab\n---\n\n{body}");
            (*rule, page.into_bytes(), comment.then_some(*line))
        })
        .collect();
    out.extend(
        FRONT_MATTER
            .iter()
            .map(|(rule, page)| (*rule, page.as_bytes().to_vec(), None)),
    );
    out.push((
        "file/not-utf8",
        b"---\ntitle: Lab\n---\n\n\xff\xfe not text\n\n```bash\n$ echo a\n```\n".to_vec(),
        None,
    ));
    out
}

#[test]
fn each_rule_has_one_verdict_in_check_plan_and_run() {
    for (rule, page, _) in all_cases() {
        let level = match default_level(rule).expect("a registered rule") {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Pedantic => unreachable!("no pedantic rule stops a run"),
        };
        let p = Project::new(&page, "");
        assert_eq!(
            verdict(&p, rule),
            expected(Some(level)),
            "{rule} by default"
        );
    }
}

#[test]
fn levels_and_disable_in_labrun_yaml_apply_to_every_command() {
    for (rule, page, _) in all_cases() {
        let p = Project::new(&page, &format!("check:\n  levels:\n    {rule}: warning\n"));
        assert_eq!(
            verdict(&p, rule),
            expected(Some("warning")),
            "{rule} as a warning"
        );
        let p = Project::new(&page, &format!("check:\n  disable: [{rule}]\n"));
        assert_eq!(verdict(&p, rule), expected(None), "{rule} disabled");
        // A warning made an error stops plan and run too.
        if default_level(rule) == Some(Level::Warning) {
            let p = Project::new(&page, &format!("check:\n  levels:\n    {rule}: error\n"));
            assert_eq!(
                verdict(&p, rule),
                expected(Some("error")),
                "{rule} as an error"
            );
        }
    }
}

#[test]
fn a_comment_silences_a_line_in_every_command() {
    for (rule, page, line) in all_cases() {
        let Some(line) = line else { continue };
        let text = String::from_utf8(page).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        let comment = format!("<!-- labrun-disable-next-line {rule} -->");
        lines.insert(line as usize - 1, &comment);
        let p = Project::new((lines.join("\n") + "\n").as_bytes(), "");
        assert_eq!(
            verdict(&p, rule),
            expected(None),
            "{rule} silenced by a comment"
        );
    }
}
