//! End-to-end: `--all --shard K/N` covers every lab exactly once, and
//! `labrun report merge` of the shards equals one unsharded run.

mod run_support;

use std::collections::BTreeMap;

use run_support::*;

/// A report without what differs between two runs of the same labs:
/// durations, log and work paths, the shard label.
fn normalized(mut v: serde_json::Value) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["duration_ms", "log", "work_dir", "log_dir", "shard"] {
                    m.remove(k);
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

/// Suites with their cases and outcomes.
type Suites = Vec<(String, Vec<(String, String)>)>;

/// The JUnit XML as (suite, [(case, outcome)]) plus the root's counts.
fn junit_shape(xml: &str) -> (BTreeMap<String, String>, Suites) {
    let doc = roxmltree::Document::parse(xml).unwrap();
    let root = doc.root_element();
    let counts = ["tests", "failures", "errors", "skipped"]
        .iter()
        .filter_map(|a| root.attribute(*a).map(|v| (a.to_string(), v.to_owned())))
        .collect();
    let suites = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .map(|s| {
            let cases = s
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .map(|c| {
                    let outcome = c
                        .children()
                        .find(|n| n.is_element() && !n.has_tag_name("system-out"))
                        .map_or("passed".to_owned(), |n| n.tag_name().name().to_owned());
                    (c.attribute("name").unwrap().to_owned(), outcome)
                })
                .collect();
            (s.attribute("name").unwrap().to_owned(), cases)
        })
        .collect();
    (counts, suites)
}

fn labs_of(report: &serde_json::Value) -> Vec<String> {
    report["labs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}:{}",
                l["locale"].as_str().unwrap(),
                l["lab"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn shards_cover_every_lab_once_and_merge_into_the_unsharded_run() {
    let dir = fixture("workshop");
    let s = Scratch::new();
    let whole_json = s.path("whole.json");
    let whole_xml = s.path("whole.xml");
    let o = run(
        &dir,
        &s,
        &[
            "--all",
            "--lang",
            "all",
            "--report-json",
            whole_json.to_str().unwrap(),
            "--report-junit",
            whole_xml.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 1, "gamma fails: {}{}", stdout(&o), stderr(&o));
    let whole = s.json("whole.json");
    let all_labs = labs_of(&whole);
    assert_eq!(
        all_labs,
        [
            "en:alpha",
            "en:beta",
            "en:gamma",
            "en:section/delta",
            "en:section/epsilon",
            "en:drafts",
            "ja:alpha",
            "ja:beta"
        ]
    );

    for n in 1..=3usize {
        let mut seen: Vec<String> = Vec::new();
        let mut jsons = Vec::new();
        let mut xmls = Vec::new();
        for k in 1..=n {
            let json = s.path(&format!("shard-{k}-{n}.json"));
            let xml = s.path(&format!("shard-{k}-{n}.xml"));
            let o = run(
                &dir,
                &s,
                &[
                    "run",
                    "--all",
                    "--lang",
                    "all",
                    "--shard",
                    &format!("{k}/{n}"),
                    "--report-json",
                    json.to_str().unwrap(),
                    "--report-junit",
                    xml.to_str().unwrap(),
                ],
            );
            assert!(matches!(code(&o), 0 | 1), "{}", stderr(&o));
            let r: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            assert_eq!(r["shard"], format!("{k}/{n}"));
            seen.extend(labs_of(&r));
            jsons.push(json);
            xmls.push(xml);
        }
        seen.sort();
        let mut expected = all_labs.clone();
        expected.sort();
        assert_eq!(seen, expected, "{n} shards cover each lab exactly once");

        let merged_json = s.path(&format!("merged-{n}.json"));
        let merged_from_json_xml = s.path(&format!("merged-{n}-from-json.xml"));
        let mut args = vec![
            "report".to_owned(),
            "merge".to_owned(),
            "-o".to_owned(),
            merged_json.to_string_lossy().into_owned(),
            "--junit".to_owned(),
            merged_from_json_xml.to_string_lossy().into_owned(),
        ];
        args.extend(jsons.iter().map(|p| p.to_string_lossy().into_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&dir, &s, &args);
        assert_eq!(
            code(&o),
            1,
            "the merged run failed like the whole one: {}",
            stderr(&o)
        );
        let merged = s.json(&format!("merged-{n}.json"));
        assert_eq!(normalized(merged), normalized(whole.clone()), "{n} shards");

        let merged_xml = s.path(&format!("merged-{n}.xml"));
        let mut args = vec![
            "report".to_owned(),
            "merge".to_owned(),
            "--output".to_owned(),
            merged_xml.to_string_lossy().into_owned(),
        ];
        args.extend(xmls.iter().map(|p| p.to_string_lossy().into_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&dir, &s, &args);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let want = junit_shape(&std::fs::read_to_string(&whole_xml).unwrap());
        assert_eq!(
            junit_shape(&std::fs::read_to_string(&merged_xml).unwrap()),
            want
        );
        assert_eq!(
            junit_shape(&std::fs::read_to_string(&merged_from_json_xml).unwrap()),
            want
        );
    }
}

#[test]
fn shards_follow_recorded_durations() {
    // alpha (en and ja) are recorded as the longest labs: with three shards
    // each gets a shard of its own and everything else shares the third.
    let s = Scratch::new();
    let mut per_shard = Vec::new();
    for k in 1..=3 {
        let o = run(
            &fixture("workshop"),
            &s,
            &[
                "--all",
                "--lang",
                "all",
                "--shard",
                &format!("{k}/3"),
                "--dry-run",
            ],
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        per_shard.push(
            stdout(&o)
                .lines()
                .filter(|l| l.contains(", en)") || l.contains(", ja)"))
                .map(|l| {
                    l.split(" (")
                        .nth(1)
                        .unwrap()
                        .split(')')
                        .next()
                        .unwrap()
                        .to_owned()
                })
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(per_shard[0], ["alpha, en"]);
    assert_eq!(per_shard[1], ["alpha, ja"]);
    assert_eq!(per_shard[2].len(), 6, "{per_shard:?}");
}

#[test]
fn merge_refuses_mixed_formats_and_bad_files() {
    let s = Scratch::new();
    let json = s.path("a.json");
    let xml = s.path("b.xml");
    std::fs::write(&json, r#"{"schema":"labrun.run/v1","status":"passed","interrupted":false,"shard":null,"log_dir":null,"totals":{"labs":0,"pages":0,"blocks":0,"passed":0,"failed":0,"timed_out":0,"skipped":0,"warnings":0,"hooks_failed":0,"duration_ms":0},"labs":[]}"#).unwrap();
    std::fs::write(
        &xml,
        "<testsuites name=\"labrun\" tests=\"0\" failures=\"0\" errors=\"0\"></testsuites>",
    )
    .unwrap();
    let out = s.path("out");
    let o = run(
        &fixture("workshop"),
        &s,
        &[
            "report",
            "merge",
            "-o",
            out.to_str().unwrap(),
            json.to_str().unwrap(),
            xml.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    std::fs::write(&json, "{\"schema\": \"other\"}").unwrap();
    let o = run(
        &fixture("workshop"),
        &s,
        &[
            "report",
            "merge",
            "-o",
            out.to_str().unwrap(),
            json.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("a.json"), "{}", stderr(&o));
}
