//! Numbers from content, labrun.yaml and flags: zero and absurd timeouts,
//! waits and shard counts get one clear verdict in every command (never a
//! hang, an overflow panic or a wrapped sum), and `check` accepts exactly
//! the estimates `render` and `time` accept.

mod hostile_support;

use hostile_support::{World, page};

const CONFIG: &str = "locales: [en]\n";

#[test]
fn zero_and_huge_annotations_are_content_errors_in_every_command() {
    for info in [
        "timeout=0",
        "hookTimeout=0",
        "timeout=18446744073709551615",
        "wait=18446744073709551615",
        "timeout=99999999999999999999999",
        "wait=604801",
    ] {
        let w = World::new(
            CONFIG,
            &[("content/en/lab/index.md", &page("Lab", info, "$ echo hi\n"))],
        );
        let before = w.outside_snapshot();
        let check = w.labrun(&["check"]);
        check.assert_clean_exit(1);
        assert!(
            check.stdout.contains("fence/bad-annotation-value")
                && check.stdout.contains("604800")
                && check.stdout.contains("content/en/lab/index.md:7:"),
            "{info}: {}",
            check.stdout
        );
        // Every command refuses the page the same way, before doing anything.
        for args in [
            &["plan", "lab"][..],
            &["plan", "lab", "--format", "json"],
            &["run", "lab"],
            &["run", "lab", "--dry-run"],
        ] {
            let r = w.labrun(args);
            r.assert_clean_exit(2);
            assert!(
                r.stderr.contains("fence/bad-annotation-value") && r.stderr.contains("604800"),
                "{info} {args:?}: {}",
                r.stderr
            );
        }
        assert_eq!(w.outside_snapshot(), before);
    }
}

#[test]
fn the_largest_values_add_up_without_wrapping() {
    let info = "timeout=604800 wait=604800 hookTimeout=604800 hook=h";
    let mut files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("content/en/lab/p{i:02}.md"),
                page(&format!("P{i}"), info, "$ echo hi\n"),
            )
        })
        .collect();
    files.push(("content/en/lab/tests/hook-h.sh".into(), "exit 0\n".into()));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let w = World::new(CONFIG, &refs);
    let plan = w.labrun(&["plan", "lab", "--format", "json"]);
    plan.assert_clean_exit(0);
    let json: serde_json::Value = serde_json::from_str(&plan.stdout).unwrap();
    // 40 × (1 + 1 + 2) weeks, exactly.
    assert_eq!(json["totals"]["max_seconds"], 40 * 4 * 604_800);
    w.labrun(&["time", "lab"]).assert_clean_exit(0);
    w.labrun(&["time", "lab", "--format", "json"])
        .assert_clean_exit(0);
    w.labrun(&["run", "lab", "--dry-run"]).assert_clean_exit(0);
    w.labrun(&["check"]).assert_clean_exit(0);
}

#[test]
fn flags_out_of_range_are_usage_errors() {
    let w = World::new(
        CONFIG,
        &[("content/en/lab/index.md", &page("Lab", "", "$ echo hi\n"))],
    );
    for args in [
        &["run", "lab", "--timeout", "0"][..],
        &["run", "lab", "--hook-timeout", "0"],
        &["run", "lab", "--timeout", "18446744073709551615"],
        &["run", "lab", "--timeout=-5"],
        &["run", "--all", "--shard", "1/18446744073709551615"],
        &["run", "--all", "--shard", "0/2"],
    ] {
        let r = w.labrun(args);
        r.assert_clean_exit(2);
        assert!(
            r.stderr.contains("604800") || r.stderr.contains("1 ≤ K ≤ N ≤ 1000"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let ja = w.labrun(&["--lang", "ja", "run", "lab", "--timeout", "0"]);
    ja.assert_clean_exit(2);
    assert!(ja.stderr.contains("までの整数の秒数"), "{}", ja.stderr);
}

#[test]
fn configuration_out_of_range_names_its_line() {
    for (yaml, line) in [
        ("locales: [en]\ntimeouts:\n  block: 0\n", 3),
        ("locales: [en]\ntimeouts:\n  hook: 0\n", 3),
        (
            "locales: [en]\ntimeouts:\n  block: 18446744073709551615\n",
            3,
        ),
        ("locales: [en]\nrender:\n  time-factor: 1e308\n", 3),
    ] {
        let w = World::new(
            yaml,
            &[("content/en/lab/index.md", &page("Lab", "", "$ echo hi\n"))],
        );
        for args in [
            &["check"][..],
            &["plan", "lab"],
            &["time", "lab"],
            &["run", "lab"],
        ] {
            let r = w.labrun(args);
            r.assert_clean_exit(2);
            assert!(
                r.stderr.contains(&format!("labrun.yaml:{line}:")),
                "{yaml} {args:?}: {}",
                r.stderr
            );
        }
    }
}

#[test]
fn check_render_and_time_agree_on_estimates() {
    for (value, ok) in [
        ("25", true),
        ("7.5", true),
        ("0", true),
        ("10080", true),
        ("10081", false),
        ("1e400", false),
        ("-3", false),
        ("soon", false),
        ("NaN", false),
    ] {
        let text = format!(
            "---\ntitle: Lab\n---\n\n::required-time{{estimatedLabExecutionTimeMinutes=\"{value}\"}}\n\nWords.\n"
        );
        let w = World::new(CONFIG, &[("content/en/lab/index.md", &text)]);
        let check = w.labrun(&["check"]);
        let render = w.labrun(&["render", "lab"]);
        let time = w.labrun(&["time", "lab"]);
        let codes = (check.code, render.code, time.code);
        if ok {
            assert_eq!(
                codes,
                (Some(0), Some(0), Some(0)),
                "{value}: {check:?} {render:?} {time:?}"
            );
        } else {
            check.assert_clean_exit(1);
            assert!(
                check.stdout.contains("directive/bad-attribute-value"),
                "{value}"
            );
            assert_ne!(render.code, Some(0), "{value}: render accepted it");
            time.assert_clean_exit(2);
        }
    }
}
