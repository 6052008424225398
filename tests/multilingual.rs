//! Content in any number of locales: a three-locale fixture (English source,
//! Japanese, Korean with one page not translated yet) through every command.
//! labrun's messages exist in English and Japanese; Korean falls back to
//! English.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multilingual")
}

fn labrun(args: &[&str]) -> Output {
    labrun_in(&fixture(), args)
}

fn labrun_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_labrun"))
        .args(args)
        .current_dir(dir)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .env("TMPDIR", std::env::temp_dir())
        .output()
        .expect("labrun runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", out(o), err(o)))
}

#[test]
fn check_reads_every_locale() {
    let o = labrun(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(
        out(&o).contains("checked 5 pages (en, ja, ko)"),
        "{}",
        out(&o)
    );
}

#[test]
fn drift_reports_each_translation_separately() {
    let o = labrun(&["drift", "--format", "json"]);
    let j = json(&o);
    assert_eq!(j["locales"], serde_json::json!(["ja", "ko"]));
    let totals = j["totals"].as_array().unwrap();
    assert_eq!(totals[0]["locale"], "ja");
    assert_eq!(totals[0]["translated_percent"], 100.0);
    assert_eq!(totals[1]["locale"], "ko");
    assert_eq!(totals[1]["counts"]["missing"], 1);
    assert_eq!(totals[1]["translated_percent"], 50.0);
    // Missing pages do not fail by default.
    assert_eq!(o.status.code(), Some(0));

    let o = labrun(&["drift", "--lang", "ko", "--format", "json"]);
    assert_eq!(json(&o)["locales"], serde_json::json!(["ko"]));
    let o = labrun(&["drift", "--lang", "all", "--format", "json"]);
    assert_eq!(json(&o)["locales"], serde_json::json!(["ja", "ko"]));
    let o = labrun(&["drift", "--lang", "ko"]);
    let text = out(&o);
    assert!(
        text.contains("Translation drift en → ko: 2 source pages, 50% translated and current"),
        "English messages for Korean content: {text}"
    );
    assert!(
        text.contains("content/ko/intro/steps.md  not translated yet"),
        "{text}"
    );
}

#[test]
fn reading_time_counts_hangul_by_characters() {
    let o = labrun(&["time", "intro", "--lang", "ko", "--format", "json"]);
    let t = json(&o);
    assert_eq!(t["locale"], "ko");
    let page = &t["pages"][0];
    assert_eq!(page["words"], 0);
    assert_eq!(page["hangul"], 75);
    assert_eq!(page["han"], 0);
    let minutes = page["reading_minutes"].as_f64().unwrap();
    assert!((minutes - 75.0 / 500.0).abs() < 1e-9, "{minutes}");

    let o = labrun(&["time", "intro", "--lang", "ko"]);
    let text = out(&o);
    assert!(text.starts_with("소개 (intro, ko)"), "{text}");
    assert!(
        text.contains("page            words  Hangul  reading"),
        "{text}"
    );

    // Every locale at once: an array, source first.
    let o = labrun(&["time", "intro", "--lang", "all", "--format", "json"]);
    let all = json(&o);
    let locales: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["locale"].as_str().unwrap())
        .collect();
    assert_eq!(locales, ["en", "ja", "ko"]);
    assert!(all[1]["pages"][0]["kana"].as_u64().unwrap() > 0);
}

#[test]
fn plan_and_dry_run_in_one_locale_or_all() {
    let o = labrun(&["plan", "intro", "--lang", "ko", "--format", "json"]);
    let p = json(&o);
    assert_eq!(p["locale"], "ko");
    assert_eq!(p["pages"].as_array().unwrap().len(), 1);

    let o = labrun(&["plan", "intro", "--lang", "all", "--format", "json"]);
    let plans = json(&o);
    let pages: Vec<usize> = plans
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pages"].as_array().unwrap().len())
        .collect();
    assert_eq!(pages, [2, 2, 1]);

    // `zh_CN`-style spellings and region tags find the locale too.
    let o = labrun(&["plan", "intro", "--lang", "ko_KR.UTF-8"]);
    assert!(
        out(&o).starts_with("소개 (intro, ko): one page"),
        "{}",
        out(&o)
    );

    let o = labrun(&["run", "intro", "--lang", "ko", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));

    // An unknown locale names the project's.
    let o = labrun(&["plan", "intro", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("en, ja, ko"), "{}", err(&o));
}

#[test]
fn run_with_lang_all_runs_the_lab_wherever_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    let o = labrun(&[
        "run",
        "intro",
        "--lang",
        "all",
        "--report-json",
        report.to_str().unwrap(),
        "--log-dir",
        dir.path().join("logs").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let labs: Vec<(String, usize)> = r["labs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["locale"].as_str().unwrap().to_owned(),
                l["pages"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(labs, [("en".into(), 2), ("ja".into(), 2), ("ko".into(), 1)]);
}

#[test]
fn render_shows_every_locale_and_the_switch_lists_them_all() {
    let o = labrun(&["render", "intro", "--lang", "all"]);
    let text = out(&o);
    for file in [
        "content/en/intro/index.md",
        "content/ja/intro/steps.md",
        "content/ko/intro/index.md",
    ] {
        assert!(text.contains(file), "{file}: {text}");
    }
    assert!(text.contains("이 짧은 실습은"), "{text}");

    let site = tempfile::tempdir().unwrap();
    let o = labrun(&["render", "intro", "--html", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", err(&o));
    let page = std::fs::read_to_string(site.path().join("en/intro/steps.html")).unwrap();
    assert!(
        page.contains(r#"<span class="lang-current" lang="en" aria-current="true">English</span>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="../../ja/intro/steps.html">日本語</a>"#),
        "{page}"
    );
    // Not translated into Korean: listed, without a link.
    assert!(
        page.contains(r#"<span class="lang-missing" data-lang="ko" lang="ko" title="not translated yet">한국어</span>"#),
        "{page}"
    );
    let ko = std::fs::read_to_string(site.path().join("ko/intro/index.html")).unwrap();
    assert!(ko.contains(r#"<html lang="ko">"#), "{ko}");
    assert!(
        ko.contains(r#"href="../../en/intro/index.html">English</a>"#),
        "{ko}"
    );
    let index = std::fs::read_to_string(site.path().join("index.html")).unwrap();
    for name in ["English", "日本語", "한국어"] {
        assert!(index.contains(name), "{name}: {index}");
    }
}

#[test]
fn one_locale_commands_say_so_for_lang_all() {
    let o = labrun(&["verify", "intro", "--lang", "all"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("one locale at a time"), "{}", err(&o));
}
