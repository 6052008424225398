//! Opens the generated HTML site in headless Chromium and checks what the
//! browser built: highlighted ranges, callouts, the language switch, that
//! no page text turned into markup or script, and for the whole bundled
//! workshop at 1280 and 420 px wide: no page scrolls sideways, the sidebar
//! folds on the narrow screen, code is highlighted, the copy button copies
//! the commands only, and every internal link leads to a file of the site.
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
    dump_dom_with(browser, file, &[])
}

/// [`dump_dom`] with more Chromium flags.
fn dump_dom_with(browser: &Path, file: &Path, flags: &[&str]) -> String {
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
        .args(flags)
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
    // Manifest values and callout text with <script> are text, not
    // elements: the one script is the site's own file.
    assert_eq!(dom.matches("<script").count(), 1, "{dom}");
    assert!(
        dom.contains(r#"<script src="../../site.js" defer=""></script>"#),
        "{dom}"
    );
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

/// Every file under `dir`, relative to it.
fn site_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

/// The values of `attr="…"` in an HTML text (as the templates write them).
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.match_indices(&pat)
        .map(|(at, _)| {
            let rest = &html[at + pat.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The bundled workshop as one site, checked file by file.
#[test]
fn whole_workshop_site_links_resolve() {
    let site = tempfile::tempdir().unwrap();
    render_whole_workshop(site.path());
}

/// Renders the bundled workshop into `out` and checks it file by file;
/// returns its HTML pages.
fn render_whole_workshop(out: &Path) -> Vec<String> {
    let o = Command::new(env!("CARGO_BIN_EXE_labrun"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["render", "--html"])
        .arg(out)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let files = site_files(out);
    let pages: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    assert!(pages.len() > 30, "{pages:?}");
    for locale in ["en", "ja"] {
        assert!(
            pages
                .iter()
                .any(|p| p.starts_with(&format!("{locale}/networking/"))),
            "{locale}"
        );
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<title>labrun example workshop</title>"),
        "{home}"
    );
    assert!(home.contains("labrun サンプルワークショップ"), "{home}");

    // Without a browser: every internal href and src resolves (anchors
    // included), none is a Markdown file, and no command shows labrun's
    // variable.
    let mut ids: std::collections::HashMap<&str, Vec<String>> = Default::default();
    let texts: std::collections::HashMap<&str, String> = pages
        .iter()
        .map(|p| (p.as_str(), std::fs::read_to_string(out.join(p)).unwrap()))
        .collect();
    for (p, text) in &texts {
        ids.insert(
            p,
            attr_values(text, "id")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        );
    }
    let mut checked = 0;
    for (page, text) in &texts {
        assert!(
            !text.contains("$LABRUN_ROOT") && !text.contains("${LABRUN_ROOT}"),
            "{page}"
        );
        for link in attr_values(text, "href")
            .into_iter()
            .chain(attr_values(text, "src"))
        {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("tel:") {
                continue;
            }
            let (path, frag) = link.split_once('#').unwrap_or((link, ""));
            assert!(
                !path.ends_with(".md") && !path.ends_with(".mdx"),
                "{page}: {link}"
            );
            let target = if path.is_empty() {
                (*page).to_owned()
            } else {
                let dir = Path::new(page).parent().unwrap();
                let joined = dir.join(path);
                let mut parts: Vec<String> = Vec::new();
                for c in joined.components() {
                    match c {
                        std::path::Component::ParentDir => {
                            assert!(parts.pop().is_some(), "{page}: {link} leaves the site");
                        }
                        std::path::Component::Normal(n) => parts.push(n.to_string_lossy().into()),
                        _ => {}
                    }
                }
                parts.join("/")
            };
            assert!(
                files.contains(&target),
                "{page}: {link} → {target} is not in the site"
            );
            if !frag.is_empty() && target.ends_with(".html") {
                let decoded = percent_decode(frag);
                assert!(
                    ids[target.as_str()].contains(&decoded),
                    "{page}: {link}: no id {decoded} in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "{checked} links");
    pages.iter().map(|p| p.to_string()).collect()
}

/// The bundled workshop in Chromium at a desktop and a phone width.
#[test]
#[cfg_attr(
    labrun_skip_chromium,
    ignore = "chromium is not installed (apt-get install chromium)"
)]
fn whole_workshop_site_in_chromium_at_1280_and_420_px() {
    let browser = chromium().expect("chromium is not installed; .ci/run installs it");
    let site = tempfile::tempdir().unwrap();
    let pages = render_whole_workshop(site.path());
    // One browser run probes every page at both widths through same-origin
    // iframes (a frame's media queries follow its own width), then clicks
    // a copy button and a language link.
    let list = serde_json::to_string(&pages).unwrap();
    let harness = format!(
        r#"<!DOCTYPE html><html><body><pre id="out">pending</pre><script>
const pages = {list};
const results = {{pages: [], copy: null, lang: null}};
function frame(w) {{
  const f = document.createElement("iframe");
  f.style.width = w + "px"; f.style.height = "900px";
  document.body.appendChild(f);
  return f;
}}
function load(f, url) {{ return new Promise(r => {{ f.onload = r; if (url) f.src = url; }}); }}
(async () => {{
  try {{
    for (const w of [1280, 420]) for (const p of pages) {{
      const f = frame(w);
      await load(f, p);
      const d = f.contentDocument, de = d.documentElement;
      const shown = sel => {{ const e = d.querySelector(sel); return e ? getComputedStyle(e).display !== "none" : null; }};
      results.pages.push({{p, w, overflow: de.scrollWidth - de.clientWidth, nav: shown(".site-nav"),
        toggle: shown(".nav-toggle"), code: d.querySelectorAll("pre").length,
        tokens: d.querySelectorAll("pre [class^='tok-']").length, lang: de.lang}});
      f.remove();
    }}
    // The copy button: catch what the page's script puts on the clipboard.
    const f = frame(420);
    await load(f, "en/getting-started/manifests-and-variables.html");
    const d = f.contentDocument;
    d.execCommand = (c) => {{ results.copy = d.activeElement.value; return true; }};
    d.querySelector(".copy-button").click();
    await new Promise(r => setTimeout(r, 100));
    results.copyLabel = d.querySelector(".copy-button").textContent;
    // The language switch leads to the same page in Japanese.
    const nav = load(f, null);
    d.querySelector(".lang-link[data-lang='ja']").click();
    await nav;
    const j = f.contentDocument;
    results.lang = {{lang: j.documentElement.lang, path: f.contentWindow.location.pathname,
      current: j.querySelector(".lang-current").textContent}};
  }} catch (e) {{ results.error = String(e) + " " + e.stack; }}
  document.getElementById("out").textContent = JSON.stringify(results);
}})();
</script></body></html>"#
    );
    let probe = site.path().join("probe.html");
    std::fs::write(&probe, harness).unwrap();
    let dom = dump_dom_with(
        &browser,
        &probe,
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=600000",
        ],
    );
    let json = dom
        .split_once(r#"<pre id="out">"#)
        .and_then(|(_, r)| r.split_once("</pre>"))
        .map(|(j, _)| {
            j.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        })
        .unwrap_or_else(|| panic!("{dom}"));
    let r: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert!(r.get("error").is_none(), "{r}");
    let probed = r["pages"].as_array().unwrap();
    assert_eq!(probed.len(), 2 * pages.len(), "{r}");
    let mut highlighted = 0;
    for p in probed {
        let (page, w) = (p["p"].as_str().unwrap(), p["w"].as_i64().unwrap());
        assert_eq!(p["overflow"], 0, "{page} scrolls sideways at {w} px: {p}");
        if page == "index.html" {
            continue;
        }
        let narrow = w == 420;
        assert_eq!(p["nav"], !narrow, "{page} at {w} px: sidebar {p}");
        assert_eq!(p["toggle"], narrow, "{page} at {w} px: menu button {p}");
        assert_eq!(p["lang"], page.split('/').next().unwrap(), "{p}");
        if p["tokens"].as_i64().unwrap() > 0 {
            highlighted += 1;
        }
    }
    // Most pages have code, and their code is highlighted.
    let with_code = probed
        .iter()
        .filter(|p| p["code"].as_i64().unwrap() > 0)
        .count();
    assert!(
        highlighted * 10 >= with_code * 9,
        "{highlighted} of {with_code}"
    );
    assert_eq!(
        r["copy"],
        "basename \"$PWD\"\nsed -n 's/^  greeting: //p' ~/labrun/manifests/modules/getting-started/greeting-configmap.yaml",
        "the commands, without prompts or output: {r}"
    );
    assert_eq!(r["copyLabel"], "Copied");
    assert_eq!(r["lang"]["lang"], "ja", "{r}");
    assert_eq!(r["lang"]["current"], "日本語", "{r}");
    assert!(
        r["lang"]["path"]
            .as_str()
            .unwrap()
            .ends_with("/ja/getting-started/manifests-and-variables.html"),
        "{r}"
    );
}

/// `%E3%81%82` → `あ` (anchors of Japanese headings).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
