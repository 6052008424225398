//! Opens the generated HTML site in headless Chromium and checks the DOM the
//! browser built: highlighted ranges, callouts, the language switch, and
//! that no page text turned into markup or script.
//!
//! Needs Debian's `chromium` (`.ci/run` installs it). Without it the test
//! shows as ignored (build.rs sets `labrun_skip_chromium`); under
//! `CI=true` it runs and fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("LABRUN_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// The DOM Chromium built for a file, after the page loaded.
fn dump_dom(browser: &Path, file: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .stdout(out.reopen().unwrap())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "chromium failed: {status}");
                break;
            }
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within 90 s");
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    std::fs::read_to_string(out.path()).unwrap()
}

#[test]
#[cfg_attr(
    labrun_skip_chromium,
    ignore = "chromium is not installed (apt-get install chromium)"
)]
fn generated_site_in_headless_chromium() {
    let browser = chromium().expect("chromium is not installed; .ci/run installs it");
    let site = tempfile::tempdir().unwrap();
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/render/project");
    let o = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(&project)
        .args(["render", "demo", "--html"])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let dom = dump_dom(&browser, &site.path().join("en/demo/manifest.html"));
    assert!(dom.contains("<article"), "no page in the DOM: {dom}");
    // Highlighted ranges, alternating, each line tagged with its callout.
    assert!(
        dom.contains(r#"<span class="line hl hl-even" data-line="4" data-callout="1">"#),
        "{dom}"
    );
    assert_eq!(
        dom.matches(r#"class="line hl hl-odd" data-line="#).count(),
        2,
        "range 2 covers lines 19-20"
    );
    assert!(dom.contains(r#"<span class="line hl hl-even" data-line="22" data-callout="3">"#));
    // A numbered marker per range, and the callout items with the same numbers.
    assert_eq!(dom.matches(r#"<a class="callout-marker""#).count(), 4);
    for n in 1..=3 {
        assert!(
            dom.contains(&format!(r#"<li id="yaml-1-c{n}" class="callout"#)),
            "callout {n}"
        );
    }
    assert!(dom.contains(r#"<li id="yaml-2-c1""#));
    // The language switch leads to the translation.
    assert!(
        dom.contains(r#"<a class="lang-link" data-lang="ja" hreflang="ja" lang="ja" href="../../ja/demo/manifest.html">"#),
        "{dom}"
    );
    // Manifest values and callout text with <script> are text, not elements.
    assert!(!dom.contains("<script"), "{dom}");
    assert!(dom.contains("&lt;script&gt;alert('manifest')&lt;/script&gt;"));

    // The first page's prose holds an <img onerror> that would retitle the
    // page if it ever became markup.
    for lang in ["en", "ja"] {
        let dom = dump_dom(
            &browser,
            &site.path().join(format!("{lang}/demo/index.html")),
        );
        assert!(dom.contains("<title>"), "{dom}");
        assert!(!dom.contains("pwned</title>"), "{dom}");
        assert!(!dom.contains("<img"), "{dom}");
        assert!(
            dom.contains(r#"class="required-time" data-minutes="20""#),
            "{dom}"
        );
        assert!(
            dom.contains(r#"class="admonition admonition-tip""#),
            "{dom}"
        );
    }
}
