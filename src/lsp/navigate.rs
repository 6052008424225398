//! Hover and go to definition: what the element under the cursor means
//! (the manifest lines a `::yaml` shows, with their callout numbers; how
//! `::required-time` comes to its figure; a variable's value; what changed
//! in the source of a stale translation) and where it is defined.

use std::fmt::Write as _;
use std::path::PathBuf;

use lsp_types::{
    GotoDefinitionResponse, Hover, HoverContents, Location, MarkupContent, MarkupKind,
    TextDocumentPositionParams,
};

use crate::check::incremental::Workspace;
use crate::check::normalize;
use crate::drift::{Status, history};
use crate::manifest::{Manifest, normalize_relative};
use crate::model::{Directive, Page};
use crate::render::time::{self, Durations};
use crate::render::{Highlight, YamlView};
use crate::t;

use super::cursor::{self, Target};
use super::{Server, diagnostics, text};

/// The page and cursor target of a request.
fn locate<'s>(
    s: &'s Server,
    p: &TextDocumentPositionParams,
) -> Option<(&'s Workspace, &'s Page, Target<'s>)> {
    let path = normalize(&text::path_of(&p.text_document.uri)?);
    let ws = s.ws.as_ref()?;
    let page = ws.page(&path)?;
    let t = s.text_of(&path)?;
    let line = text::line(&t, p.position.line);
    let col = text::col_of(line, p.position.character);
    let target = cursor::at(page, p.position.line + 1, col)?;
    Some((ws, page, target))
}

pub fn hover(s: &mut Server, p: &TextDocumentPositionParams) -> Option<Hover> {
    let (ws, page, target) = locate(s, p)?;
    let value = match target {
        Target::YamlAttr { directive, .. } => yaml(ws, directive),
        Target::Directive(d) if d.name == "yaml" => yaml(ws, d),
        Target::Directive(d) if d.name == "required-time" => required_time(ws, page, d)?,
        Target::Variable(v) => match ws.project().config.variables.get(&v.name) {
            Some(value) => t!(
                "lsp-hover-variable",
                name = v.name.as_str(),
                value = value.as_str()
            ),
            None => t!("lsp-hover-variable-unknown", name = v.name.as_str()),
        },
        Target::FrontMatter => translation(ws, page)?,
        Target::Hook { .. } | Target::Directive(_) => return None,
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    })
}

/// Circled callout numbers, as the rendered page shows them.
fn marker(n: usize) -> String {
    const CIRCLED: [char; 20] = [
        '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '⑪', '⑫', '⑬', '⑭', '⑮', '⑯', '⑰', '⑱',
        '⑲', '⑳',
    ];
    CIRCLED
        .get(n.wrapping_sub(1))
        .map_or_else(|| format!("({n})"), |c| c.to_string())
}

/// The lines a `::yaml` shows (its zoom window, else the highlighted
/// ranges), numbered, with each range's callout number where it starts,
/// then the callouts.
fn yaml(ws: &Workspace, d: &Directive) -> String {
    let Some(file) = d.attr("file") else {
        return t!(
            "check-directive-missing-attribute",
            name = "yaml",
            attr = "file"
        );
    };
    let m = match ws.manifests().get(file) {
        Ok(m) => m,
        Err(e) => return e.message().text(),
    };
    let mut out = String::new();
    let title = d
        .attr("title")
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(file);
    let _ = writeln!(out, "**{title}** — `{}`\n", m.rel);
    let mut ranges = Vec::new();
    for (i, path) in d.paths().into_iter().enumerate() {
        match m.resolve(path) {
            Ok(r) => ranges.push(Highlight {
                number: i + 1,
                path: path.to_owned(),
                range: r.range,
                even: i % 2 == 0,
            }),
            Err(e) => {
                let _ = writeln!(out, "⚠ {}\n", e.message().text());
            }
        }
    }
    let zoom = d
        .attr("zoomPath")
        .filter(|z| !z.trim().is_empty())
        .and_then(|z| {
            let n = |k: &str| d.attr(k).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            m.zoom(z.trim(), n("zoomBefore"), n("zoomAfter"))
                .ok()
                .map(|r| r.range)
        });
    let callouts = d.callouts.iter().map(|c| c.text.clone()).collect();
    let view = YamlView::build(
        &m,
        title.to_owned(),
        file.to_owned(),
        ranges,
        zoom,
        callouts,
    );
    out.push_str(&manifest_lines(&m, &view));
    for (i, c) in view.callouts.iter().enumerate() {
        let _ = writeln!(out, "{} {c}  ", marker(i + 1));
    }
    out
}

fn manifest_lines(m: &Manifest, view: &YamlView) -> String {
    let shown = |n: u32| view.zoom.is_some() || view.ranges.iter().any(|h| h.range.contains(n));
    let width = m.line_count().to_string().len();
    let mut out = String::from("```text\n");
    let mut last = None;
    for l in view.lines.iter().filter(|l| shown(l.number)) {
        if last.is_some_and(|p: u32| l.number > p + 1) {
            let _ = writeln!(out, "{:>width$}", "…");
        }
        let marks: String = l
            .markers
            .iter()
            .map(|&i| marker(view.ranges[i].number))
            .collect();
        let _ = writeln!(out, "{:>width$} {marks:<2}│ {}", l.number, l.text);
        last = Some(l.number);
    }
    out.push_str("```\n\n");
    out
}

/// `labrun time`'s breakdown of the page's lab.
fn required_time(ws: &Workspace, page: &Page, d: &Directive) -> Option<String> {
    let project = ws.project();
    let tree = ws.trees().iter().find(|t| t.locale == page.locale)?;
    let lab = tree.lab(page.dir()).ok()?;
    let estimate = match d.attr(time::ESTIMATE_ATTR) {
        Some(v) => match time::parse_estimate(v) {
            Ok(m) => Some(m),
            Err(e) => return Some(t!("render-time-bad-estimate", value = e.value)),
        },
        None => None,
    };
    let durations = Durations::load(&project.config.durations_file())
        .ok()
        .flatten();
    let rt = time::required_time(project, &lab, durations.as_ref(), estimate);
    Some(format!(
        "```text\n{}```",
        time::breakdown(&rt, &lab.title, false)
    ))
}

/// A translation's state; when stale, the source's diff since the version
/// the translation was made from (found in git history by its hash).
fn translation(ws: &Workspace, page: &Page) -> Option<String> {
    let s = diagnostics::staleness(ws, page)?;
    let source = ws.project().display_path(&s.source);
    Some(match s.status {
        Status::Current => t!("lsp-hover-current", source = source),
        Status::Unstamped => t!("lsp-translation-unstamped", source = source),
        Status::Stale => {
            let recorded = page.front.source_hash.as_ref()?;
            match history::find_version(&s.source, &recorded.value) {
                Ok(history::HistoryMatch {
                    revision: Some(r),
                    content,
                    ..
                }) => {
                    let current = std::fs::read(&s.source).ok()?;
                    let diff = history::unified_diff(
                        &content,
                        &current,
                        &format!("{source}@{}", r.short),
                        &source,
                    );
                    format!(
                        "{}\n\n```diff\n{diff}```",
                        t!(
                            "lsp-hover-stale",
                            source = source.as_str(),
                            commit = r.short.as_str(),
                            date = r.date.as_str(),
                            subject = r.subject.as_str()
                        )
                    )
                }
                Ok(found) => t!(
                    "drift-explain-no-match",
                    file = ws.project().display_path(&page.file),
                    recorded = recorded.value.as_str(),
                    source = source.as_str(),
                    searched = found.searched
                ),
                Err(e) => t!(
                    "lsp-hover-stale-no-history",
                    source = source,
                    detail = e.message().text()
                ),
            }
        }
        Status::Unverifiable | Status::Missing | Status::Orphan => return None,
    })
}

pub fn definition(
    s: &mut Server,
    p: &TextDocumentPositionParams,
) -> Option<GotoDefinitionResponse> {
    let (ws, page, target) = locate(s, p)?;
    let project = ws.project();
    let root = &project.config.root;
    let locations: Vec<Location> = match target {
        Target::YamlAttr {
            directive: d,
            attr,
            path,
        } => {
            let file = d.attr("file")?;
            let m = ws.manifests().get(file).ok()?;
            let wanted = match attr {
                "file" => d.paths().first().map(|p| p.to_string()),
                _ => path,
            };
            let line = wanted
                .and_then(|w| m.resolve(&w).ok())
                .map_or(1, |r| r.range.start);
            let target = root.join(normalize_relative(file).ok()?);
            vec![Location::new(text::uri_of(&target), text::line_start(line))]
        }
        Target::Hook { name, .. } => {
            let files = project.hook_files(page, &name);
            [files.script, files.expectations]
                .into_iter()
                .flatten()
                .map(|f| Location::new(text::uri_of(&normalize(&f)), text::line_start(1)))
                .collect()
        }
        Target::Variable(v) => {
            let file: PathBuf = project.config.file.clone()?;
            let config = std::fs::read_to_string(&file).ok()?;
            let line = variable_line(&config, &v.name).unwrap_or(1);
            vec![Location::new(text::uri_of(&file), text::line_start(line))]
        }
        Target::Directive(_) | Target::FrontMatter => return None,
    };
    (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations))
}

/// The line of `variables: NAME:` in labrun.yaml's text.
fn variable_line(config: &str, name: &str) -> Option<u32> {
    let docs = crate::yaml::parse_documents(config).ok()?;
    let (key, vars) = docs.first()?.get_entry("variables")?;
    match vars.get_entry(name) {
        Some((k, _)) => Some(k.start.line),
        None => Some(key.start.line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_in_labrun_yaml() {
        let c = "locales: [en]\nvariables:\n  REGION: x\n  CLUSTER: y\n";
        assert_eq!(variable_line(c, "CLUSTER"), Some(4));
        assert_eq!(variable_line(c, "NOPE"), Some(2));
        assert_eq!(variable_line("locales: [en]\n", "X"), None);
        assert_eq!(marker(2), "②");
        assert_eq!(marker(21), "(21)");
    }
}
