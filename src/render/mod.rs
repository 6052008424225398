//! `labrun render`: pages as a reader sees them, in the terminal or as a
//! small static HTML site, with directives resolved from the model:
//! `::yaml` manifests with highlighted ranges and numbered callouts,
//! `::required-time` computed ([`time`]), `VAR::NAME` replaced, admonitions
//! labelled, `bash` blocks with commands and sample output told apart.
//!
//! [`doc`] cuts a page into Markdown and pieces; [`Renderer::resolve`] turns
//! the pieces into [`View`]s; [`terminal`] and [`html`] draw them.

pub mod doc;
pub mod highlight;
pub mod html;
pub mod shown;
pub mod site;
pub mod terminal;
pub mod time;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::content::{Project, Tree};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::i18n::{Lang, Msg};
use crate::manifest::{LineRange, Manifest, ManifestCache};
use crate::model::{Directive, Page};
use crate::msg;

pub use doc::{CodeLine, CodeView, Doc, Piece, Vars};
pub use time::{Durations, Execution, RequiredTime};

/// A piece of a page, resolved and ready to draw.
#[derive(Clone, Debug)]
pub enum View {
    Code(CodeView),
    Yaml(Box<YamlView>),
    Time(Box<TimeView>),
    /// An admonition or other container opens: kind label and title.
    Open {
        kind: String,
        label: String,
        title: Option<String>,
    },
    Close {
        kind: String,
    },
    /// Microsoft Docs' `:::image type="content" source="…" alt-text="…":::`.
    Image {
        /// As written, relative to the page.
        source: String,
        alt: String,
    },
    /// A leaf directive labrun does not draw (`::video`, …): its name.
    Other {
        name: String,
    },
    /// A directive that could not be drawn, with the reason.
    Problem {
        name: String,
        message: String,
    },
}

/// `::yaml`: the manifest (or its zoom window) with highlighted ranges.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlView {
    pub title: String,
    /// The file as the reader's environment sees it (`render.title-prefix`).
    pub shown_path: String,
    /// The shown window, when `zoomPath` narrows the file.
    pub zoom: Option<LineRange>,
    pub lines: Vec<YamlLine>,
    pub ranges: Vec<Highlight>,
    /// The callout items' Markdown, numbered like the ranges (1-based).
    pub callouts: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct YamlLine {
    pub number: u32,
    pub text: String,
    /// The innermost highlighted range holding the line (index into ranges).
    pub range: Option<usize>,
    /// Ranges whose first line this is: their numbered markers go here.
    pub markers: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Highlight {
    /// 1-based, the callout number.
    pub number: usize,
    pub path: String,
    pub range: LineRange,
    /// Alternating styles: the 1st, 3rd, … range is "even" (as the site's
    /// `annotated-highlight-*-even`).
    pub even: bool,
}

/// `::required-time` with its computation.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeView {
    pub time: RequiredTime,
    /// "Estimated time required: 25 minutes", in the page's language.
    pub label: String,
    /// The breakdown, in the page's language.
    pub detail: String,
}

impl YamlView {
    /// Lays out the lines of `m` (within `zoom`, if any) with the ranges.
    pub fn build(
        m: &Manifest,
        title: String,
        shown_path: String,
        ranges: Vec<Highlight>,
        zoom: Option<LineRange>,
        callouts: Vec<String>,
    ) -> YamlView {
        let (first, last) = zoom.map_or((1, m.line_count()), |z| (z.start, z.end));
        let mut lines = Vec::new();
        for n in first..=last.min(m.line_count()) {
            let range = ranges
                .iter()
                .enumerate()
                .filter(|(_, h)| h.range.contains(n))
                .min_by_key(|(i, h)| (h.range.end - h.range.start, std::cmp::Reverse(*i)))
                .map(|(i, _)| i);
            // A range cut by the zoom window gets its marker on the first
            // line shown.
            let markers = ranges
                .iter()
                .enumerate()
                .filter(|(_, h)| h.range.start.max(first) == n && h.range.end >= first)
                .map(|(i, _)| i)
                .collect();
            lines.push(YamlLine {
                number: n,
                text: m.line(n).to_owned(),
                range,
                markers,
            });
        }
        YamlView {
            title,
            shown_path,
            zoom,
            lines,
            ranges,
            callouts,
        }
    }
}

/// Label of a container kind (`tip` → "Tip"/"ヒント"); unknown kinds show
/// their name.
pub fn kind_label(kind: &str, lang: Lang) -> String {
    let id = format!("render-kind-{kind}");
    let text = Msg::new(&id).text_in(lang);
    if text == id {
        let mut c = kind.chars();
        c.next()
            .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
    } else {
        text
    }
}

/// Minutes with at most one decimal (`4.25` → `4.3`, `5.0` → `5`).
pub fn fmt_minutes(m: f64) -> String {
    let r = (m * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Everything rendering a page needs besides the page.
pub struct Renderer<'a> {
    pub project: &'a Project,
    pub vars: Vars,
    pub durations: Option<Durations>,
    manifests: ManifestCache,
    trees: HashMap<String, Tree>,
}

/// A page ready to draw: its prepared Markdown and resolved pieces.
pub struct Prepared<'p> {
    pub page: &'p Page,
    pub doc: Doc,
    pub views: Vec<View>,
    pub lang: Lang,
}

impl<'a> Renderer<'a> {
    /// `extra_vars` (from `--var`) override `labrun.yaml`'s `variables`.
    pub fn new(
        project: &'a Project,
        trees: Vec<Tree>,
        extra_vars: &BTreeMap<String, String>,
    ) -> Result<Renderer<'a>, Error> {
        let mut vars = project.config.variables.clone();
        vars.extend(extra_vars.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(Renderer {
            project,
            vars: Vars(vars),
            durations: Durations::load(&project.config.durations_file())?,
            manifests: ManifestCache::new(project.root()),
            trees: trees.into_iter().map(|t| (t.locale.clone(), t)).collect(),
        })
    }

    pub fn tree(&self, locale: &str) -> Option<&Tree> {
        self.trees.get(locale)
    }

    /// Reads the page's file and resolves its pieces; problems go to `diags`.
    pub fn prepare<'p>(
        &self,
        page: &'p Page,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Prepared<'p>, Error> {
        let bytes = std::fs::read(&page.file).map_err(|e| Error::io(&page.file, e))?;
        let text = String::from_utf8_lossy(&bytes);
        let mut doc = doc::prepare(page, &text, &self.vars);
        for piece in &mut doc.pieces {
            if let Piece::Code(c) = piece {
                for l in &mut c.lines {
                    let (CodeLine::Command(t) | CodeLine::Output(t) | CodeLine::Code(t)) = l;
                    *t = self.shown_code(t);
                }
            }
        }
        for v in &page.variables {
            if !self.vars.knows(&v.name) {
                diags.push(Diagnostic::warning(
                    "render/unknown-variable",
                    &page.file,
                    v.pos.line,
                    v.pos.col,
                    msg!("render-unknown-variable", name = v.name.as_str()),
                ));
            }
        }
        let lang = Lang::from_tag(&page.locale);
        let views = doc
            .pieces
            .iter()
            .map(|p| self.resolve(page, p, lang, diags))
            .collect();
        Ok(Prepared {
            page,
            doc,
            views,
            lang,
        })
    }

    fn resolve(&self, page: &Page, piece: &Piece, lang: Lang, diags: &mut Vec<Diagnostic>) -> View {
        match piece {
            Piece::Code(c) => View::Code(c.clone()),
            Piece::Open { directive: d } => View::Open {
                kind: d.name.clone(),
                label: kind_label(&d.name, lang),
                title: d
                    .label
                    .clone()
                    .or_else(|| d.attr("title").map(str::to_owned))
                    .map(|t| self.vars.apply(&t))
                    .filter(|t| !t.trim().is_empty()),
            },
            Piece::Close { directive: d } => View::Close {
                kind: d.name.clone(),
            },
            Piece::Leaf {
                directive: d,
                callouts,
            } => {
                let result = match d.name.as_str() {
                    "yaml" => self.yaml(d, callouts).map(|v| View::Yaml(Box::new(v))),
                    "required-time" => self
                        .required_time(page, d, lang)
                        .map(|v| View::Time(Box::new(v))),
                    "image" if d.attr("source").is_some() => Ok(View::Image {
                        source: d.attr("source").unwrap_or_default().to_owned(),
                        alt: self.vars.apply(d.label.as_deref().unwrap_or_default()),
                    }),
                    _ => Ok(View::Other {
                        name: d.name.clone(),
                    }),
                };
                result.unwrap_or_else(|(rule, m)| {
                    diags.push(Diagnostic::error(
                        rule,
                        &page.file,
                        d.pos.line,
                        d.pos.col,
                        m.clone(),
                    ));
                    View::Problem {
                        name: d.name.clone(),
                        message: m.text_in(lang),
                    }
                })
            }
        }
    }

    fn yaml(&self, d: &Directive, callouts: &[String]) -> Result<YamlView, (&'static str, Msg)> {
        let file = d
            .attr("file")
            .ok_or(("render/yaml-file", msg!("render-yaml-no-file")))?;
        let m = self
            .manifests
            .get(file)
            .map_err(|e| ("render/yaml-file", e.message()))?;
        let mut ranges = Vec::new();
        for (i, path) in d.paths().into_iter().enumerate() {
            let r = m
                .resolve(path)
                .map_err(|e| ("render/yaml-path", e.message()))?;
            ranges.push(Highlight {
                number: i + 1,
                path: path.to_owned(),
                range: r.range,
                even: i % 2 == 0,
            });
        }
        let zoom = match d.attr("zoomPath").filter(|z| !z.trim().is_empty()) {
            Some(z) => {
                let lines = |key: &str| -> Result<u32, (&'static str, Msg)> {
                    d.attr(key).map_or(Ok(0), |v| {
                        v.trim().parse::<u32>().map_err(|_| {
                            (
                                "render/yaml-zoom",
                                msg!("render-yaml-bad-zoom", key = key, value = v),
                            )
                        })
                    })
                };
                let (before, after) = (lines("zoomBefore")?, lines("zoomAfter")?);
                Some(
                    m.zoom(z.trim(), before, after)
                        .map_err(|e| ("render/yaml-path", e.message()))?
                        .range,
                )
            }
            None => None,
        };
        let shown = self.shown_path(file);
        let title = d
            .attr("title")
            .filter(|t| !t.trim().is_empty())
            .map_or_else(|| shown.clone(), |t| self.vars.apply(t));
        Ok(YamlView::build(
            &m,
            title,
            shown,
            ranges,
            zoom,
            callouts.to_vec(),
        ))
    }

    /// The manifest path as the reader's environment has it: the longest
    /// matching `render.title-prefix` replaced.
    pub fn shown_path(&self, file: &str) -> String {
        let file = file.trim().trim_start_matches("./");
        self.prefixed(file).unwrap_or_else(|| file.to_owned())
    }

    fn prefixed(&self, file: &str) -> Option<String> {
        self.project
            .config
            .render
            .title_prefix
            .iter()
            .filter(|(from, _)| file.starts_with(from.as_str()))
            .max_by_key(|(from, _)| from.len())
            .map(|(from, to)| format!("{to}{}", &file[from.len()..]))
    }

    /// A command or listing line with `$LABRUN_ROOT/…` paths shown as the
    /// reader's environment has them ([`shown`]).
    pub fn shown_code(&self, text: &str) -> String {
        shown::replace_root(text, |rel| {
            self.prefixed(rel).unwrap_or_else(|| {
                let root = self.project.config.shown_root();
                if rel.is_empty() {
                    root
                } else {
                    format!("{root}/{rel}")
                }
            })
        })
    }

    fn required_time(
        &self,
        page: &Page,
        d: &Directive,
        lang: Lang,
    ) -> Result<TimeView, (&'static str, Msg)> {
        let estimate = match d.attr(time::ESTIMATE_ATTR) {
            Some(v) => Some(time::parse_estimate(v).map_err(|e| {
                (
                    "render/required-time",
                    msg!("render-time-bad-estimate", value = e.value),
                )
            })?),
            None => None,
        };
        let tree = self.tree(&page.locale).ok_or((
            "render/required-time",
            msg!("render-time-no-lab", page = page.rel.as_str()),
        ))?;
        let lab = tree
            .lab(page.dir())
            .map_err(|e| ("render/required-time", e.message()))?;
        let rt = time::required_time(self.project, &lab, self.durations.as_ref(), estimate);
        Ok(time_view(rt, lang))
    }
}

/// The label and breakdown of a required time, in `lang`.
pub fn time_view(rt: RequiredTime, lang: Lang) -> TimeView {
    let label = msg!("render-time-label", minutes = rt.total_minutes).text_in(lang);
    let detail = time_detail(&rt, lang);
    TimeView {
        time: rt,
        label,
        detail,
    }
}

/// "(reading 4.2 min + execution 5 min) × 1 = 9.2 min".
pub fn time_formula(rt: &RequiredTime, lang: Lang) -> String {
    msg!(
        "render-time-formula",
        reading = fmt_minutes(rt.reading_minutes),
        execution = fmt_minutes(rt.execution.minutes()),
        factor = format!("{}", rt.factor),
        exact = fmt_minutes(rt.exact_minutes)
    )
    .text_in(lang)
}

/// The formula and where the execution time comes from.
pub fn time_detail(rt: &RequiredTime, lang: Lang) -> String {
    msg!(
        "render-time-detail",
        formula = time_formula(rt, lang),
        source = rt.execution.source()
    )
    .text_in(lang)
}

/// Where a page's HTML goes in the site: `en/lab/page.html`.
pub fn html_path(locale: &str, rel: &str) -> String {
    let stem = rel
        .strip_suffix(".mdx")
        .or_else(|| rel.strip_suffix(".md"))
        .unwrap_or(rel);
    format!("{locale}/{stem}.html")
}

/// A relative URL from the file at `from` (site-relative) to `to`.
pub fn relative_url(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    for _ in common..from_dir.len() {
        out.push_str("../");
    }
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The display form of a path relative to the project root.
pub fn display(project: &Project, p: &Path) -> String {
    project.display_path(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_print_short() {
        assert_eq!(fmt_minutes(5.0), "5");
        assert_eq!(fmt_minutes(4.25), "4.3");
        assert_eq!(fmt_minutes(0.04), "0");
    }

    #[test]
    fn site_paths_and_relative_urls() {
        assert_eq!(html_path("en", "lab/index.md"), "en/lab/index.html");
        assert_eq!(
            relative_url("en/lab/a.html", "en/lab/b.html"),
            "b.html".to_owned()
        );
        assert_eq!(
            relative_url("en/lab/a.html", "ja/lab/a.html"),
            "../../ja/lab/a.html"
        );
        assert_eq!(
            relative_url("en/lab/sub/a.html", "style.css"),
            "../../../style.css"
        );
        assert_eq!(relative_url("index.html", "en/x.html"), "en/x.html");
    }

    fn manifest() -> Manifest {
        Manifest::parse(
            "m.yaml",
            "a: 1\nb:\n  c: 2\n  d:\n    - x\n    - y\ne: 3\n".to_owned(),
        )
        .unwrap()
    }

    fn hl(m: &Manifest, paths: &[&str]) -> Vec<Highlight> {
        paths
            .iter()
            .enumerate()
            .map(|(i, p)| Highlight {
                number: i + 1,
                path: p.to_string(),
                range: m.resolve(p).unwrap().range,
                even: i % 2 == 0,
            })
            .collect()
    }

    #[test]
    fn nested_ranges_mark_the_innermost_and_every_start() {
        let m = manifest();
        let ranges = hl(&m, &["b", "b.d.1", "e"]);
        let v = YamlView::build(&m, "t".into(), "m.yaml".into(), ranges, None, vec![]);
        let by_line = |n: u32| v.lines.iter().find(|l| l.number == n).unwrap();
        assert_eq!(v.lines.len(), 7);
        assert_eq!(by_line(1).range, None);
        assert_eq!(by_line(2).range, Some(0));
        assert_eq!(by_line(2).markers, [0]);
        assert_eq!(by_line(5).range, Some(0));
        assert_eq!(by_line(6).range, Some(1));
        assert_eq!(by_line(6).markers, [1]);
        assert_eq!(by_line(7).markers, [2]);
        assert!(v.ranges[0].even && !v.ranges[1].even && v.ranges[2].even);
    }

    #[test]
    fn zoom_window_cuts_lines_and_moves_cut_markers() {
        let m = manifest();
        let ranges = hl(&m, &["b", "e"]);
        let zoom = m.zoom("b.d", 0, 1).unwrap().range;
        assert_eq!((zoom.start, zoom.end), (4, 7));
        let v = YamlView::build(&m, "t".into(), "m.yaml".into(), ranges, Some(zoom), vec![]);
        let numbers: Vec<u32> = v.lines.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [4, 5, 6, 7]);
        assert_eq!(v.lines[0].markers, [0], "range b starts above the window");
        assert_eq!(v.lines[3].markers, [1]);
    }

    #[test]
    fn kind_labels_are_localized_with_a_fallback() {
        assert_eq!(kind_label("tip", Lang::En), "Tip");
        assert_ne!(kind_label("tip", Lang::Ja), "Tip");
        assert_eq!(kind_label("mystery", Lang::Ja), "Mystery");
    }
}
