//! `labrun drift [TARGET]` on fixture trees in both layouts.

mod drift_util;

use std::collections::BTreeMap;

use drift_util::*;
use serde_json::Value;

/// (status, diverged, [(difference kind, source line, translation line)]) per page.
type Summary = BTreeMap<String, (String, bool, Vec<(String, u64, u64)>)>;

fn summary(json: &Value) -> Summary {
    json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let diffs = p["differences"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    (
                        d["kind"].as_str().unwrap().to_owned(),
                        d["source"]["line"].as_u64().unwrap(),
                        d["translation"]["line"].as_u64().unwrap(),
                    )
                })
                .collect();
            (
                p["path"].as_str().unwrap().to_owned(),
                (
                    p["status"].as_str().unwrap().to_owned(),
                    p["diverged"].as_bool().unwrap(),
                    diffs,
                ),
            )
        })
        .collect()
}

fn json_report(layout: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["drift", "--format", "json"];
    all.extend_from_slice(args);
    let out = labrun(&fixture(layout), &all);
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)));
    (code(&out), json)
}

fn d(kind: &str, s: u64, t: u64) -> (String, u64, u64) {
    (kind.to_owned(), s, t)
}

#[test]
fn every_status_in_both_layouts() {
    for layout in LAYOUTS {
        let (code, json) = json_report(layout, &[]);
        assert_eq!(code, 1, "{layout}");
        assert_eq!(json["schema"], "labrun.drift/v1");
        assert_eq!(json["failed"], true);
        let s = summary(&json);
        let page = |p: &str| {
            s.get(p)
                .unwrap_or_else(|| panic!("{layout}: no {p}"))
                .clone()
        };
        let ok = |st: &str| (st.to_owned(), false, vec![]);
        assert_eq!(page("lab/index.md"), ok("current"), "{layout}");
        // Translated comments (full-line, trailing, `$ #`) and a translated
        // display title: current, not diverged.
        assert_eq!(page("lab/comments.md"), ok("current"), "{layout}");
        // A `#` inside a quoted argument changed.
        assert_eq!(
            page("lab/quoted-hash.md"),
            ("current".into(), true, vec![d("command-changed", 9, 10)]),
            "{layout}"
        );
        // kiteTranslationSourceHash, and a command that lost its prompt.
        assert_eq!(
            page("lab/prompt.md"),
            ("current".into(), true, vec![d("prompt-missing", 12, 13)]),
            "{layout}"
        );
        // wsmSourceHash, and a block only in the translation.
        assert_eq!(
            page("lab/extra-block.md"),
            (
                "current".into(),
                true,
                vec![d("block-only-in-translation", 10, 15)]
            ),
            "{layout}"
        );
        assert_eq!(
            page("lab/annotations.md"),
            (
                "stale".into(),
                true,
                vec![
                    d("ordering-changed", 3, 3),
                    d("directive-changed", 8, 9),
                    d("callouts-changed", 8, 9),
                    d("annotation-changed", 13, 13),
                ]
            ),
            "{layout}"
        );
        assert_eq!(page("lab/stale.md"), ok("stale"), "{layout}");
        assert_eq!(page("lab/unstamped.md"), ok("unstamped"), "{layout}");
        assert_eq!(page("lab/missing.md"), ok("missing"), "{layout}");
        assert_eq!(page("lab/restart-orders.md"), ok("missing"), "{layout}");
        assert_eq!(page("lab/old-page.md"), ok("orphan"), "{layout}");
        // BOM and CRLF: hashed over the raw bytes.
        assert_eq!(page("lab/crlf-bom.md"), ok("current"), "{layout}");
        assert_eq!(page("other/index.md"), ok("current"), "{layout}");
        assert_eq!(page("other/msdocs.md"), ok("unverifiable"), "{layout}");
        assert_eq!(page("other/deleted.md"), ok("orphan"), "{layout}");
        assert_eq!(s.len(), 15, "{layout}");

        let pages = json["pages"].as_array().unwrap();
        let get = |p: &str| pages.iter().find(|x| x["path"] == p).unwrap();
        let ja = ja_root(layout);
        let en = en_root(layout);
        assert_eq!(
            get("lab/old-page.md")["suggestion"],
            format!("{en}/lab/restart-orders.md")
        );
        assert_eq!(get("other/deleted.md")["suggestion"], Value::Null);
        // Quoted and unquoted values, each field name.
        let rec = |p: &str| get(p)["recorded"].clone();
        assert_eq!(rec("lab/index.md")["quoted"], false);
        assert_eq!(rec("lab/comments.md")["quoted"], true);
        assert_eq!(rec("lab/quoted-hash.md")["quoted"], true);
        assert_eq!(rec("lab/prompt.md")["field"], "kiteTranslationSourceHash");
        assert_eq!(rec("lab/extra-block.md")["field"], "wsmSourceHash");
        assert_eq!(rec("other/msdocs.md")["field"], "ms.openlocfilehash");
        assert_eq!(get("lab/unstamped.md")["recorded"], Value::Null);
        let crlf = std::fs::read(fixture(layout).join(en).join("lab/crlf-bom.md")).unwrap();
        assert!(crlf.starts_with(b"\xEF\xBB\xBF") && crlf.windows(2).any(|w| w == b"\r\n"));
        assert_eq!(get("lab/crlf-bom.md")["source_hash"], md5_hex(&crlf));
        assert_eq!(
            get("lab/missing.md")["translation"],
            format!("{ja}/lab/missing.md")
        );
        assert_eq!(get("lab/missing.md")["translation_exists"], false);

        // Per-lab counts and percent translated (current / source pages).
        let labs = json["labs"].as_array().unwrap();
        assert_eq!(labs.len(), 2);
        assert_eq!(labs[0]["lab"], "lab");
        let c = &labs[0]["counts"];
        assert_eq!(
            [
                &c["source_pages"],
                &c["current"],
                &c["stale"],
                &c["unstamped"],
                &c["missing"],
                &c["orphan"],
                &c["diverged"]
            ],
            [11, 6, 2, 1, 2, 1, 4]
        );
        assert_eq!(labs[0]["translated_percent"], 54.5);
        assert_eq!(labs[1]["lab"], "other");
        assert_eq!(labs[1]["counts"]["unverifiable"], 1);
        assert_eq!(json["totals"][0]["translated_percent"], 53.8);
    }
}

#[test]
fn text_report_names_both_sides() {
    for layout in LAYOUTS {
        let out = labrun(&fixture(layout), &["drift"]);
        assert_eq!(code(&out), 1);
        let text = stdout(&out);
        let (en, ja) = (en_root(layout), ja_root(layout));
        for want in [
            "Translation drift en → ja: 13 source pages, 53.8% translated and current".to_owned(),
            format!(
                "{en}/lab/quoted-hash.md:9 ↔ {ja}/lab/quoted-hash.md:10  command changed: `echo \"Step # 1: apply\"` ↔ `echo \"Step # 2: apply\"`"
            ),
            format!(
                "{en}/lab/prompt.md:12 ↔ {ja}/lab/prompt.md:13  `$ ` prompt missing in the translation: `kubectl logs ui-0 -n drift`"
            ),
            format!(
                "{ja}/lab/old-page.md:1  its source page {en}/lab/old-page.md no longer exists; it was probably renamed to {en}/lab/restart-orders.md"
            ),
            format!("{en}/lab/missing.md:1 ↔ {ja}/lab/missing.md  not translated yet"),
            format!("labrun drift --explain {ja}/lab/stale.md"),
            format!("labrun drift stamp {ja}/lab/unstamped.md"),
        ] {
            assert!(
                text.contains(&want),
                "{layout}: missing {want:?} in\n{text}"
            );
        }
        // The table: a row per lab with aligned counts and the percentage.
        let row = text
            .lines()
            .find(|l| l.starts_with("lab ") && l.ends_with('%'))
            .unwrap();
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(
            cells,
            ["lab", "11", "6", "2", "1", "0", "2", "1", "4", "54.5%"]
        );
        assert!(
            !text.contains("comments.md"),
            "a translated comment is no finding"
        );
        assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    }
}

#[test]
fn japanese_messages() {
    let out = labrun(&fixture("locale-dirs"), &["--lang", "ja", "drift", "lab"]);
    let text = stdout(&out);
    assert!(text.contains("コマンドが違います"), "{text}");
    assert!(
        text.contains("翻訳で `$ ` プロンプトが抜けています"),
        "{text}"
    );
    assert!(text.contains("ラボ"), "{text}");
}

#[test]
fn fail_on_and_targets_choose_the_exit_code() {
    let dir = fixture("locale-dirs");
    let run = |args: &[&str]| {
        let mut all = vec!["drift"];
        all.extend_from_slice(args);
        code(&labrun(&dir, &all))
    };
    assert_eq!(run(&["--fail-on", "none"]), 0);
    assert_eq!(run(&["lab/index.md"]), 0);
    assert_eq!(run(&["lab/comments.md"]), 0);
    assert_eq!(run(&["lab/quoted-hash.md"]), 1);
    assert_eq!(run(&["lab/missing.md"]), 0);
    assert_eq!(run(&["--fail-on", "missing", "lab/missing"]), 1);
    assert_eq!(run(&["--fail-on", "stale", "lab/prompt.md"]), 0);
    assert_eq!(run(&["--fail-on", "diverged", "lab/prompt.md"]), 1);
    assert_eq!(run(&["--fail-on", "unverifiable", "other/msdocs.md"]), 1);
    assert_eq!(run(&["other/msdocs.md"]), 0);
    assert_eq!(run(&["--fail-on", "sometimes"]), 2);
    // Files and directories of either locale name the same pages.
    assert_eq!(run(&["content/en/lab/index.md"]), 0);
    assert_eq!(run(&["content/ja/lab/index.md"]), 0);
    assert_eq!(run(&["content/ja/other/deleted.md"]), 1);
}

#[test]
fn target_scopes_the_report() {
    let (code, json) = json_report("docusaurus", &["other"]);
    assert_eq!(code, 1);
    let s = summary(&json);
    assert_eq!(
        s.keys().collect::<Vec<_>>(),
        ["other/deleted.md", "other/index.md", "other/msdocs.md"]
    );
    assert_eq!(json["labs"][0]["lab"], "other");
    let (_, json) = json_report(
        "docusaurus",
        &["website/i18n/ja/docusaurus-plugin-content-docs/current/lab/old-page.md"],
    );
    assert_eq!(summary(&json).len(), 1);
    assert_eq!(json["pages"][0]["status"], "orphan");
}

#[test]
fn unknown_target_is_a_usage_error_with_suggestions() {
    let out = labrun(&fixture("locale-dirs"), &["drift", "lab/stael.md"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no lab named `lab/stael.md`"),
        "{}",
        stderr(&out)
    );
    let out = labrun(&fixture("locale-dirs"), &["drift", "labrun.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("is not inside the content"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn github_annotations() {
    let out = labrun(&fixture("locale-dirs"), &["drift", "--format", "github"]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(
        text.lines().any(|l| l.starts_with(
            "::error file=content/ja/lab/quoted-hash.md,line=10,title=labrun drift%3A diverged::command changed:"
        )),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::notice file=content/en/lab/missing.md,line=1,")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error file=content/ja/lab/unstamped.md,line=1,")),
        "{text}"
    );
}

#[test]
fn a_translation_not_started_has_every_page_missing() {
    let dir = scratch("locale-dirs");
    std::fs::remove_dir_all(dir.path().join("content/ja")).unwrap();
    let out = labrun(dir.path(), &["drift", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["pages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["status"] == "missing")
    );
    assert_eq!(json["totals"][0]["translated_percent"], 0.0);
}

#[test]
fn unreadable_front_matter_stops_drift() {
    let dir = scratch("locale-dirs");
    std::fs::write(
        dir.path().join("content/ja/lab/index.md"),
        "---\ntitle: [broken\n---\n",
    )
    .unwrap();
    let out = labrun(dir.path(), &["drift"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("content/ja/lab/index.md:3"),
        "{}",
        stderr(&out)
    );
}

/// CI runs this: the bundled content must be fully translated and in step.
/// The AKS lab's translations are judged by git history (`hash-then-git`),
/// which a shallow clone does not have: there drift must say so and stop.
#[test]
fn bundled_content_has_no_drift() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shallow = std::process::Command::new("git")
        .args(["rev-parse", "--is-shallow-repository"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "true");
    let out = labrun(root, &["drift", "--format", "json"]);
    if shallow {
        assert_eq!(code(&out), 2);
        assert!(stderr(&out).contains("fetch-depth: 0"), "{}", stderr(&out));
        return;
    }
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let bad: Vec<String> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] != "current" || p["diverged"] == true)
        .map(|p| p.to_string())
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(code(&out), 0);
}

#[test]
fn several_translations_each_get_a_report() {
    let dir = scratch("locale-dirs");
    fs_write(
        &dir.path().join("labrun.yaml"),
        "locales: [en, ja, ko]\nsource-locale: en\n",
    );
    let en = std::fs::read(dir.path().join("content/en/other/index.md")).unwrap();
    fs_write(
        &dir.path().join("content/ko/other/index.md"),
        &format!(
            "---\ntitle: 기타\nsidebar_position: 2\ntmdTranslationSourceHash: {}\n---\n\n다른 문서 시스템의 페이지입니다.\n",
            md5_hex(&en)
        ),
    );
    let out = labrun(dir.path(), &["drift", "--format", "json", "other"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["locales"], serde_json::json!(["ja", "ko"]));
    let ko: Vec<&Value> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["locale"] == "ko")
        .collect();
    assert_eq!(ko.len(), 2);
    assert!(
        ko.iter()
            .any(|p| p["path"] == "other/index.md" && p["status"] == "current")
    );
    assert!(
        ko.iter()
            .any(|p| p["path"] == "other/msdocs.md" && p["status"] == "missing")
    );
    // --lang picks one translation.
    let out = labrun(dir.path(), &["--lang", "ko", "drift", "other"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("en → ko"));
    assert!(!stdout(&out).contains("en → ja"));
    // A page named by its source path is ambiguous without --lang.
    let out = labrun(dir.path(), &["drift", "stamp", "lab/stale.md"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("choose the translation with --lang (ja, ko)"),
        "{}",
        stderr(&out)
    );
}

fn fs_write(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
