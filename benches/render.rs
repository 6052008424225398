//! Renders a generated two-language workshop (300 English + 300 Japanese pages,
//! each with a `::yaml` listing and callouts, a `bash` block and a tip) as
//! the HTML site and for the terminal, next to a baseline measured in the
//! same run: loading and parsing the same pages.
//!
//! Run: `cargo bench --bench render`

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use labrun::content::Project;
use labrun::render::site::{self, Site};
use labrun::render::{Renderer, terminal};

const PAGES: usize = 300;
const RUNS: usize = 5;

const MANIFEST: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: demo\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels:\n      app: ui\n  egress:\n    - to:\n        - podSelector: {}\n      ports:\n        - port: 53\n          protocol: UDP\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n";

fn page(i: usize, ja: bool) -> String {
    let mut s = format!("---\ntitle: Page {i}\nsidebar_position: {i}\n---\n\n");
    if i == 0 {
        s.push_str("::required-time{estimatedLabExecutionTimeMinutes=\"20\"}\n\n");
    }
    let prose = if ja {
        "ネットワークポリシーを使うと、どの Pod 同士が通信できるかを決められます。この段落には `inline code` と[リンク](./page-1.md)があります。\n\n"
    } else {
        "Network policies decide which pods may talk to each other. This paragraph has `inline code` and a [link](./page-1.md) in enough words to look like prose.\n\n"
    };
    for _ in 0..3 {
        s.push_str(prose);
    }
    s.push_str("::yaml{file=\"manifests/demo.yaml\" paths=\"metadata,spec.podSelector,spec.egress.0.ports,1.data\"}\n\n1. Names it.\n2. Selects `VAR::APP` pods.\n3. DNS only.\n4. The settings.\n\n");
    let _ = write!(
        s,
        ":::tip Careful\nCheck it:\n\n```bash timeout=30\n$ kubectl get networkpolicy -n shop demo-{i}\nNAME   POD-SELECTOR\ndemo   app=ui\n```\n:::\n"
    );
    s
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(root.join("labrun.yaml"), "variables:\n  APP: ui\n").unwrap();
    std::fs::create_dir_all(root.join("manifests")).unwrap();
    std::fs::write(root.join("manifests/demo.yaml"), MANIFEST).unwrap();
    for (locale, ja) in [("en", false), ("ja", true)] {
        let lab = root.join("content").join(locale).join("lab");
        std::fs::create_dir_all(&lab).unwrap();
        std::fs::write(lab.join("index.md"), page(0, ja)).unwrap();
        for i in 1..PAGES {
            std::fs::write(lab.join(format!("page-{i}.md")), page(i, ja)).unwrap();
        }
    }
    let project = Project::open(None, root).unwrap();
    let (mut load_t, mut html_t, mut term_t) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..RUNS {
        let t = Instant::now();
        let trees = vec![project.load("en").unwrap(), project.load("ja").unwrap()];
        load_t.push(t.elapsed());

        let t = Instant::now();
        let trees2 = vec![project.load("en").unwrap(), project.load("ja").unwrap()];
        let site = Site::workshop(&project, &trees2.iter().collect::<Vec<_>>());
        let r = Renderer::new(&project, trees2, &BTreeMap::new()).unwrap();
        let mut diags = Vec::new();
        let out = root.join(format!("site-{run}"));
        let written = site::write(&r, &site, &out, &mut diags).unwrap();
        html_t.push(t.elapsed());
        assert!(diags.is_empty(), "{diags:?}");
        // The pages, the stylesheet, the script and the home page.
        assert_eq!(written.len(), 2 * PAGES + 3);

        let t = Instant::now();
        let lab = trees[0].lab("lab").unwrap();
        let r = Renderer::new(&project, trees, &BTreeMap::new()).unwrap();
        let mut bytes = 0;
        for p in &lab.pages {
            let prepared = r.prepare(p, &mut diags).unwrap();
            let opts = terminal::Options {
                color: false,
                width: 80,
            };
            bytes += terminal::render_page(&prepared, None, opts).len();
        }
        term_t.push(t.elapsed());
        assert!(bytes > 0);
    }
    let (load, html, term) = (median(load_t), median(html_t), median(term_t));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("pages: {} (en + ja), median of {RUNS} runs", 2 * PAGES);
    println!(
        "baseline (load + parse both locales):  {:>8.1} ms",
        ms(load)
    );
    println!(
        "render --html (load + site, both):     {:>8.1} ms  = {:.1}x baseline, {:.0} pages/s",
        ms(html),
        html.as_secs_f64() / load.as_secs_f64(),
        (2 * PAGES) as f64 / html.as_secs_f64()
    );
    println!(
        "render terminal (en pages, no load):    {:>8.1} ms  = {:.1}x baseline",
        ms(term),
        term.as_secs_f64() / load.as_secs_f64()
    );
}
