//! One fixture per rule: `tests/fixtures/check/<area>/<name>/bad` triggers the
//! rule (and nothing else), `…/good` is the same content fixed and passes.
//! (The `hook/*` rules of declarative hook files are the verify module's,
//! tested beside it and in tests/check_hooks.rs.) A pedantic rule's fixture
//! turns pedantic rules on in its labrun.yaml.

mod common;

use common::{check_json, fixtures, labrun, rules_of};
use labrun::rules::Level;

/// Every rule with a fixture here.
fn rules() -> impl Iterator<Item = &'static (&'static str, Level)> {
    labrun::rules::RULES
        .iter()
        .filter(|(id, _)| !id.starts_with("hook/"))
}

#[test]
fn every_rule_has_a_bad_and_a_good_fixture() {
    for (rule, _) in rules() {
        for kind in ["bad", "good"] {
            let dir = fixtures().join(rule).join(kind);
            assert!(
                dir.join("labrun.yaml").is_file(),
                "missing fixture {}",
                dir.display()
            );
        }
    }
}

#[test]
fn bad_fixtures_trigger_their_rule_only() {
    for (rule, level) in rules() {
        let dir = fixtures().join(rule).join("bad");
        let (code, report) = check_json(&dir, &["--lang", "en"]);
        assert_eq!(
            rules_of(&report),
            vec![rule.to_string()],
            "{rule}: {report:#}"
        );
        let expected = match level {
            Level::Error => 1,
            Level::Warning | Level::Pedantic => 0,
        };
        assert_eq!(code, expected, "{rule}: exit code");
        // Warnings fail under --deny warnings.
        let (code, _) = check_json(&dir, &["--deny", "warnings"]);
        assert_eq!(code, 1, "{rule} with --deny warnings");
        for d in report["diagnostics"].as_array().unwrap() {
            assert_eq!(
                d["severity"],
                match level {
                    Level::Error => "error",
                    Level::Warning | Level::Pedantic => "warning",
                },
                "{rule}"
            );
            assert!(d["line"].as_u64().unwrap() >= 1 && d["col"].as_u64().unwrap() >= 1);
        }
    }
}

#[test]
fn good_fixtures_pass() {
    for (rule, _) in rules() {
        let dir = fixtures().join(rule).join("good");
        let (code, report) = check_json(&dir, &["--deny", "warnings"]);
        assert_eq!(
            rules_of(&report),
            Vec::<String>::new(),
            "{rule}: {report:#}"
        );
        assert_eq!(code, 0, "{rule}");
        let out = labrun(&dir, &["check"]);
        assert!(out.status.success(), "{rule}");
    }
}

#[test]
fn findings_are_localized_in_english_and_japanese() {
    let japanese = |s: &str| {
        s.chars()
            .any(|c| matches!(c as u32, 0x3040..=0x30FF | 0x4E00..=0x9FFF))
    };
    for (rule, _) in rules() {
        let dir = fixtures().join(rule).join("bad");
        let (_, en) = check_json(&dir, &["--lang", "en"]);
        let (_, ja) = check_json(&dir, &["--lang", "ja"]);
        let en = en["diagnostics"].as_array().unwrap().clone();
        let ja = ja["diagnostics"].as_array().unwrap().clone();
        assert_eq!(en.len(), ja.len(), "{rule}");
        for (e, j) in en.iter().zip(&ja) {
            let (e, j) = (
                e["message"].as_str().unwrap(),
                j["message"].as_str().unwrap(),
            );
            assert!(!japanese(e), "{rule}: {e}");
            assert!(japanese(j), "{rule}: {j}");
            assert_ne!(e, j, "{rule}");
        }
    }
}
