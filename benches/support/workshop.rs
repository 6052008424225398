//! A generated workshop for the benchmarks: valid pages in English and
//! Japanese with the directives, fences, hooks, links, anchors, images and
//! placeholders real labs have, and their manifests.

use std::fmt::Write as _;
use std::path::Path;

/// How big a generated workshop is. Every page has its own manifest;
/// the first `second_manifests` pages of each lab show a second one.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub modules: usize,
    pub labs: usize,
    pub pages: usize,
    pub second_manifests: usize,
}

impl Shape {
    /// Manifest files, the shared one included.
    pub fn manifest_count(&self) -> usize {
        1 + self.modules * self.labs * (self.pages + self.second_manifests.min(self.pages))
    }
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

pub fn manifest(m: usize, l: usize, p: usize) -> String {
    let name = format!("app-{m}-{l}-{p}");
    format!(
        "# Generated manifest {m}/{l}/{p}\n\
         apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n    team: t{m}\n\
         ---\n\
         apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  namespace: {name}\n\
         spec:\n  replicas: {r}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n\
         \x20   metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n\
         \x20       - name: main\n          image: \"registry.example.com/{name}:1.{p}\"\n\
         \x20         ports:\n            - containerPort: 8080\n          env:\n\
         \x20           - name: MODE\n              value: lab\n          command:\n\
         \x20           - /bin/sh\n            - -c\n            - |\n              # start\n\
         \x20             exec server --port 8080\n\
         ---\n\
         apiVersion: v1\nkind: Service\nmetadata: {{name: {name}, namespace: {name}}}\n\
         spec:\n  selector: {{app: {name}}}\n  ports: [{{port: 80, targetPort: 8080}}]\n",
        r = p % 3 + 1
    )
}

/// One page; `ja` switches the prose (commands and directives stay).
pub fn page(
    shape: &Shape,
    (m, l, p): (usize, usize, usize),
    ja: bool,
    source_hash: Option<&str>,
) -> String {
    let mut s = String::new();
    let title = if ja {
        format!("ラボ {m}-{l} のページ {p}")
    } else {
        format!("Lab {m}-{l} page {p}")
    };
    // An index page positions its lab among the module's labs.
    let position = if p == 0 { l + 1 } else { p + 1 };
    let _ = writeln!(s, "---\ntitle: \"{title}\"\nsidebar_position: {position}");
    let _ = writeln!(s, "description: \"Generated page {m}/{l}/{p}\"");
    if let Some(h) = source_hash {
        let _ = writeln!(s, "tmdTranslationSourceHash: {h}");
    }
    s.push_str("---\n\n");
    if p == 0 {
        s.push_str("::required-time{estimatedLabExecutionTimeMinutes=\"20\"}\n\n");
        let tip = if ja {
            "始める前に"
        } else {
            "Before you start"
        };
        let _ = writeln!(
            s,
            ":::tip {tip}\n\n```bash wait=30 timeout=600\n$ prepare-environment m{m}/l{l}\n```\n\n:::\n"
        );
    }
    let (setup, apply, check, next) = if ja {
        ("準備", "マニフェストの適用", "確認", "次のステップ")
    } else {
        ("Setup", "Applying the manifest", "Checking", "Next steps")
    };
    for (i, heading) in [setup, apply, check].iter().enumerate() {
        let _ = writeln!(s, "## {heading}\n");
        for k in 0..4 {
            if ja {
                let _ = writeln!(
                    s,
                    "この段落 {k} は手順 {i} を説明します。リージョンは VAR::REGION です。クラスターの状態を確認し、必要に応じて[公式ドキュメント](https://kubernetes.io/ja/docs/)を参照してください。"
                );
            } else {
                let _ = writeln!(
                    s,
                    "Paragraph {k} explains step {i}. The region is VAR::REGION. Look at the state of the cluster and read the [upstream docs](https://kubernetes.io/docs/) when in doubt."
                );
            }
            s.push('\n');
        }
    }
    let file = format!("manifests/modules/m{m}/l{l}/p{p}.yaml");
    let _ = writeln!(
        s,
        "::yaml{{file=\"{file}\" paths=\"0.metadata.labels,1.spec.replicas,1.spec.template.spec.containers.0.image,1.spec.template.spec.containers.0.command,2.spec.ports.0\" title=\"p{p}.yaml\"}}\n"
    );
    for k in 1..=5 {
        let _ = writeln!(s, "{k}. Callout {k}.");
    }
    let _ = writeln!(
        s,
        "\n::yaml{{file=\"manifests/shared/base.yaml\" zoomPath=\"1.spec.template\" zoomBefore=\"1\" zoomAfter=\"1\" paths=\"1.spec.template.metadata\"}}\n\n1. Shared metadata.\n"
    );
    if p < shape.second_manifests {
        let _ = writeln!(
            s,
            "::yaml{{file=\"manifests/modules/m{m}/l{l}/p{p}-second.yaml\" paths=\"1.spec.replicas\"}}\n\n1. Replicas.\n"
        );
    }
    let hook = if p == 1 { " hook=ready" } else { "" };
    let _ = writeln!(
        s,
        "```bash timeout=120{hook}\n$ kubectl apply -f ~/environment/{file}\nnamespace/app created\n$ kubectl -n app-{m}-{l}-{p} rollout status deployment/app-{m}-{l}-{p} \\\n    --timeout=60s\ndeployment successfully rolled out\n```\n"
    );
    s.push_str("```bash\n$ cat <<'EOF' > /tmp/notes.txt\nchecked\nEOF\n$ wc -l /tmp/notes.txt\n1 /tmp/notes.txt\n```\n\n");
    s.push_str("```yaml title=\"fragment.yaml\"\nspec:\n  replicas: 2\n```\n\n");
    s.push_str("![Diagram](./assets/diagram.png)\n\n");
    let _ = writeln!(s, "## {next}\n");
    if p + 1 < shape.pages {
        let anchor = if ja { "%E6%BA%96%E5%82%99" } else { "setup" };
        let _ = writeln!(s, "[→](p{}.md#{anchor}) [↑](#{anchor})", p + 1);
    }
    let _ = writeln!(
        s,
        "[Lab](./) [Module](../index.md) [Other lab](../l{})",
        (l + 1) % shape.labs
    );
    s
}

/// Writes a valid workshop of `shape` under `root`.
pub fn generate(root: &Path, shape: &Shape) {
    write(
        root,
        "labrun.yaml",
        "locales: [en, ja]\nvariables:\n  REGION: us-west-2\n",
    );
    write(root, "manifests/shared/base.yaml", &manifest(0, 0, 0));
    for m in 0..shape.modules {
        for l in 0..shape.labs {
            for p in 0..shape.pages {
                write(
                    root,
                    &format!("manifests/modules/m{m}/l{l}/p{p}.yaml"),
                    &manifest(m, l, p),
                );
                if p < shape.second_manifests {
                    write(
                        root,
                        &format!("manifests/modules/m{m}/l{l}/p{p}-second.yaml"),
                        &manifest(m, l, p),
                    );
                }
            }
        }
    }
    for locale in ["en", "ja"] {
        for m in 0..shape.modules {
            write(
                root,
                &format!("content/{locale}/m{m}/index.md"),
                &format!(
                    "---\ntitle: Module {m}\nsidebar_position: {}\n---\n\nModule {m}.\n",
                    m + 1
                ),
            );
            for l in 0..shape.labs {
                let dir = format!("content/{locale}/m{m}/l{l}");
                for p in 0..shape.pages {
                    let name = if p == 0 {
                        "index.md".to_owned()
                    } else {
                        format!("p{p}.md")
                    };
                    let hash = (locale == "ja").then_some("0123456789abcdef0123456789abcdef");
                    write(
                        root,
                        &format!("{dir}/{name}"),
                        &page(shape, (m, l, p), locale == "ja", hash),
                    );
                }
                // Japanese pages fall back to the English image and hooks.
                if locale == "en" {
                    write(root, &format!("{dir}/assets/diagram.png"), "\u{89}PNG");
                    write(
                        root,
                        &format!("{dir}/tests/hook-ready.sh"),
                        "#!/bin/sh\nexit 0\n",
                    );
                    write(
                        root,
                        &format!("{dir}/tests/hook-suite.sh"),
                        "#!/bin/sh\nexit 0\n",
                    );
                }
            }
        }
    }
}
