//! `VAR::` values are shell code, pasted into commands as they are: `plan`,
//! `run --dry-run` and the JSON plan show each command as it will run, so
//! a reviewer sees the `$(…)` a value brings, and neither executes it.

mod hostile_support;

use hostile_support::World;

#[test]
fn plan_and_dry_run_show_commands_with_values_substituted() {
    // Unknown names would stop plan and run (an error by default): made a
    // warning here, so they show what they would run with them.
    let w = World::new(
        "locales: [en]\nvariables:\n  REF: \"main $(touch pwned-by-config)\"\ncheck:\n  levels:\n    reference/unknown-variable: warning\n",
        &[(
            "content/en/lab/index.md",
            "---\ntitle: Lab\n---\n\n```bash\n$ git checkout VAR::REF\n$ echo VAR::TARGET VAR::UNKNOWN\n```\n",
        )],
    );
    let plan = w.labrun(&["plan", "lab"]);
    plan.assert_clean_exit(0);
    assert!(
        plan.stdout
            .contains("$ git checkout main $(touch pwned-by-config)"),
        "{}",
        plan.stdout
    );
    let json = w.labrun(&["plan", "lab", "--format", "json"]);
    json.assert_clean_exit(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let c = &v["pages"][0]["blocks"][0]["commands"];
    assert_eq!(c[0]["text"], "git checkout VAR::REF");
    assert_eq!(c[0]["runs"], "git checkout main $(touch pwned-by-config)");
    // --var wins over labrun.yaml in a dry run; unknown names stay as written.
    let dry = w.labrun(&[
        "run",
        "lab",
        "--dry-run",
        "--var",
        "REF=v2",
        "--var",
        "TARGET=`id`",
    ]);
    dry.assert_clean_exit(0);
    assert!(dry.stdout.contains("$ git checkout v2"), "{}", dry.stdout);
    assert!(
        dry.stdout.contains("$ echo `id` VAR::UNKNOWN"),
        "{}",
        dry.stdout
    );
    // Showing is not running.
    assert!(!w.path("pwned-by-config").exists());
}
