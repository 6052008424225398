//! Every rule labrun reports, and the one place that decides how loud each
//! one is. `check`, `plan`, `run`, `render` and `verify` all go through
//! [`Policy`], so a rule has one verdict in every command:
//!
//! - **error**: the site build or a lab run would go wrong. `check` fails;
//!   `plan` and `run` refuse the pages it is found on (when they look for
//!   it at all: they never read links, for instance).
//! - **warning**: worth a look, never stops anything (`check --deny
//!   warnings` makes it fail `check` only).
//! - **pedantic**: off unless asked for (`check.pedantic: true`,
//!   `labrun check --pedantic`, or the rule named in `check.levels`); then
//!   a warning.
//!
//! labrun.yaml adjusts levels per rule or area (`check.levels`), turns rules
//! off (`check.disable`), and pages silence single lines with
//! `<!-- labrun-disable-next-line RULE -->` / `<!-- labrun-disable RULE -->`.
//! A rule is named by its id (`link/broken`), its area (`link/*`) or `*`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::error::Error;
use crate::i18n::Msg;
use crate::model::Page;

/// A rule's default level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    /// Reported (as a warning) only when asked for.
    Pedantic,
}

impl Level {
    pub fn id(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Pedantic => "pedantic",
        }
    }
}

/// Every rule with its default level. docs/check.md lists the same ids,
/// levels and the reason for each level (a test keeps them in step).
pub const RULES: &[(&str, Level)] = &[
    // Reading pages (the Markdown engine).
    ("file/not-utf8", Level::Error),
    ("front-matter/unterminated", Level::Error),
    ("front-matter/invalid-yaml", Level::Error),
    ("front-matter/not-a-mapping", Level::Error),
    ("front-matter/position-not-a-number", Level::Error),
    ("fence/unknown-annotation", Level::Warning),
    ("fence/bad-annotation-value", Level::Error),
    ("fence/duplicate-annotation", Level::Error),
    ("fence/unterminated", Level::Error),
    ("fence/unterminated-heredoc", Level::Error),
    ("fence/unterminated-quote", Level::Error),
    ("fence/no-commands", Level::Warning),
    ("fence/unmatchable-sample", Level::Warning),
    ("directive/malformed", Level::Error),
    ("directive/unmatched-close", Level::Error),
    ("directive/unterminated-container", Level::Error),
    // The checker's own (some also found by `run` before it starts).
    ("yaml/file-outside-project", Level::Error),
    ("yaml/file-not-found", Level::Error),
    ("yaml/invalid-manifest", Level::Error),
    ("yaml/path-not-found", Level::Error),
    ("yaml/zoom-path-not-found", Level::Error),
    ("yaml/callout-count", Level::Error),
    ("directive/unknown", Level::Error),
    ("directive/missing-attribute", Level::Error),
    ("directive/bad-attribute-value", Level::Error),
    ("required-time/no-duration", Level::Error),
    ("required-time/bad-durations-file", Level::Error),
    ("fence/missing-hook", Level::Error),
    ("fence/unused-hook", Level::Warning),
    ("front-matter/missing-title", Level::Warning),
    ("front-matter/duplicate-position", Level::Pedantic),
    ("reference/unknown-variable", Level::Error),
    ("link/broken", Level::Error),
    ("link/broken-anchor", Level::Warning),
    ("link/broken-image", Level::Error),
    ("translation/orphan", Level::Warning),
    ("category/invalid", Level::Error),
    // Declarative hooks (`tests/hook-NAME.yaml`, validated by `verify`).
    ("hook/yaml-syntax", Level::Error),
    ("hook/not-a-mapping", Level::Error),
    ("hook/unknown-key", Level::Error),
    ("hook/duplicate-key", Level::Error),
    ("hook/bad-value", Level::Error),
    ("hook/missing-key", Level::Error),
    ("hook/conflicting-keys", Level::Error),
    ("hook/bad-resource", Level::Error),
    ("hook/bad-selector", Level::Error),
    ("hook/bad-jsonpath", Level::Error),
    ("hook/bad-regex", Level::Error),
    ("hook/not-utf8", Level::Error),
    ("hook/unreadable", Level::Error),
    ("hook/empty", Level::Warning),
];

/// A rule's default level; `None` for an id that is not a rule.
pub fn default_level(rule: &str) -> Option<Level> {
    RULES.iter().find(|(id, _)| *id == rule).map(|(_, l)| *l)
}

/// The severity a rule reports with before the project's policy has its
/// say: pedantic rules as warnings, unknown ids as errors.
pub fn default_severity(rule: &str) -> Severity {
    match default_level(rule) {
        Some(Level::Error) | None => Severity::Error,
        Some(Level::Warning | Level::Pedantic) => Severity::Warning,
    }
}

/// A finding of a registered rule, at its default severity.
pub fn finding(rule: &str, file: &Path, line: u32, col: u32, message: Msg) -> Diagnostic {
    Diagnostic::new(
        rule,
        default_severity(rule),
        file,
        line,
        col.max(1),
        message,
    )
}

/// Whether `pattern` (an id, `area/*` or `*`) names `rule`.
pub fn matches(pattern: &str, rule: &str) -> bool {
    let pattern = pattern.trim();
    pattern == "*"
        || pattern == rule
        || pattern
            .strip_suffix("/*")
            .is_some_and(|area| rule.strip_prefix(area).is_some_and(|r| r.starts_with('/')))
}

/// How closely a pattern names a rule: an id beats an area beats `*`.
fn specificity(pattern: &str) -> u8 {
    match pattern.trim() {
        "*" => 0,
        p if p.ends_with("/*") => 1,
        _ => 2,
    }
}

/// Whether a pattern names at least one rule (for validating labrun.yaml).
pub fn is_known_pattern(pattern: &str) -> bool {
    RULES.iter().any(|(id, _)| matches(pattern, id))
}

/// The rule id nearest to an unknown pattern, for "did you mean".
pub fn suggest(pattern: &str) -> Option<&'static str> {
    RULES
        .iter()
        .map(|(id, _)| (strsim::jaro_winkler(pattern, id), *id))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, id)| id)
}

/// The project's verdict on every rule: labrun.yaml's `check` settings plus
/// `--pedantic`. Built by [`crate::config::CheckConfig::policy`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    /// `(pattern, severity)`; `None` turns the rule off.
    pub overrides: Vec<(String, Option<Severity>)>,
    /// Pedantic rules report as warnings.
    pub pedantic: bool,
}

impl Policy {
    /// The severity `rule` reports with under this policy, or `None` when it
    /// is off. `emitted` is used for ids that are not registered rules.
    pub fn severity(&self, rule: &str, emitted: Severity) -> Option<Severity> {
        let chosen = self
            .overrides
            .iter()
            .filter(|(p, _)| matches(p, rule))
            .max_by_key(|(p, _)| specificity(p));
        if let Some((_, level)) = chosen {
            return *level;
        }
        match default_level(rule) {
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Pedantic) => self.pedantic.then_some(Severity::Warning),
            None => Some(emitted),
        }
    }

    /// Gives each finding its severity under the policy and drops those that
    /// are off or silenced by a comment on their line. `page_of` finds the
    /// page a finding's file is, for its comments.
    pub fn apply<'p>(
        &self,
        diags: Vec<Diagnostic>,
        page_of: impl Fn(&Path) -> Option<&'p Page>,
    ) -> Vec<Diagnostic> {
        let mut cache: HashMap<PathBuf, Vec<Silence>> = HashMap::new();
        diags
            .into_iter()
            .filter_map(|mut d| {
                d.severity = self.severity(&d.rule, d.severity)?;
                let silenced = match cache.get(&d.file) {
                    Some(s) => silenced(s, &d),
                    None => {
                        let s = page_of(&d.file).map(silences).unwrap_or_default();
                        let hit = silenced(&s, &d);
                        cache.insert(d.file.clone(), s);
                        hit
                    }
                };
                (!silenced).then_some(d)
            })
            .collect()
    }

    /// What `plan` and `run` do about the findings on the pages they are
    /// about to use: the pages' own parse findings plus `extra` (found by
    /// the job itself), under the policy. Errors stop the job; the
    /// warnings are returned for the job to show.
    pub fn gate<'p>(
        &self,
        pages: impl IntoIterator<Item = &'p Page>,
        extra: Vec<Diagnostic>,
    ) -> Result<Vec<Diagnostic>, Error> {
        let pages: Vec<&Page> = pages.into_iter().collect();
        let mut diags: Vec<Diagnostic> = pages
            .iter()
            .flat_map(|p| p.diagnostics.iter().cloned())
            .collect();
        diags.extend(extra);
        let by_file: HashMap<&Path, &Page> = pages.iter().map(|p| (p.file.as_path(), *p)).collect();
        let mut kept = self.apply(diags, |f| by_file.get(f).copied());
        kept.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        kept.dedup();
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            kept.into_iter().partition(Diagnostic::is_error);
        if errors.is_empty() {
            Ok(warnings)
        } else {
            Err(Error::Content {
                diagnostics: errors,
            })
        }
    }
}

/// One silencing comment: the line it covers and the rules it names
/// (empty: all).
#[derive(Debug, PartialEq)]
pub struct Silence {
    pub line: u32,
    pub rules: Vec<String>,
}

fn silenced(silences: &[Silence], d: &Diagnostic) -> bool {
    silences.iter().any(|s| {
        s.line == d.line && (s.rules.is_empty() || s.rules.iter().any(|r| matches(r, &d.rule)))
    })
}

/// The silencing comments of a page:
/// `<!-- labrun-disable-next-line RULE[, RULE…] -->` covers the line after
/// the comment, `<!-- labrun-disable RULE[, RULE…] -->` its own line; no
/// rule named means every rule.
pub fn silences(page: &Page) -> Vec<Silence> {
    let mut out = Vec::new();
    for c in &page.comments {
        let text = c.text.trim();
        let (rest, line) = if let Some(rest) = text.strip_prefix("labrun-disable-next-line") {
            // The line after the comment's last line.
            (rest, c.line + c.text.matches('\n').count() as u32 + 1)
        } else if let Some(rest) = text.strip_prefix("labrun-disable") {
            (rest, c.line)
        } else {
            continue;
        };
        // `labrun-disabled` is not a directive: a separator must follow.
        if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            continue;
        }
        let rules = rest
            .split([',', ' ', '\t', '\n'])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect();
        out.push(Silence { line, rules });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use crate::msg;

    #[test]
    fn rule_ids_are_unique_and_area_slash_name() {
        let mut seen = std::collections::HashSet::new();
        for (id, _) in RULES {
            assert!(seen.insert(id), "{id} twice");
            let (area, name) = id.split_once('/').expect("area/name");
            assert!(!area.is_empty() && !name.is_empty());
        }
    }

    #[test]
    fn the_check_docs_list_every_rule_with_its_level() {
        let doc = include_str!("../docs/check.md");
        for (id, level) in RULES {
            let row = format!("| `{id}` | {} |", level.id());
            assert!(doc.contains(&row), "docs/check.md lacks `{row}`");
        }
    }

    #[test]
    fn patterns() {
        assert!(matches("link/broken", "link/broken"));
        assert!(matches("link/*", "link/broken-anchor"));
        assert!(!matches("link/*", "linked/x"));
        assert!(matches("*", "fence/missing-hook"));
        assert!(!matches("link/broken", "link/broken-anchor"));
        assert!(is_known_pattern("link/*") && !is_known_pattern("lnk/*"));
        assert_eq!(suggest("link/brokn"), Some("link/broken"));
    }

    #[test]
    fn the_most_specific_override_wins() {
        let p = Policy {
            overrides: vec![
                ("link/*".into(), None),
                ("link/broken".into(), Some(Severity::Warning)),
                ("*".into(), Some(Severity::Error)),
            ],
            pedantic: false,
        };
        assert_eq!(
            p.severity("link/broken", Severity::Error),
            Some(Severity::Warning)
        );
        assert_eq!(p.severity("link/broken-image", Severity::Error), None);
        assert_eq!(
            p.severity("fence/no-commands", Severity::Warning),
            Some(Severity::Error)
        );
    }

    #[test]
    fn pedantic_rules_are_off_until_asked_for() {
        let mut p = Policy::default();
        assert_eq!(
            p.severity("front-matter/duplicate-position", Severity::Warning),
            None
        );
        p.pedantic = true;
        assert_eq!(
            p.severity("front-matter/duplicate-position", Severity::Warning),
            Some(Severity::Warning)
        );
        // Ids outside the registry keep what their emitter said.
        assert_eq!(
            p.severity("render/yaml-path", Severity::Error),
            Some(Severity::Error)
        );
    }

    #[test]
    fn comments_name_lines_and_rules() {
        let text = "# T\n\n<!-- labrun-disable-next-line link/broken, reference/unknown-variable -->\n[x](nowhere.md) VAR::X\n\nSee [y](gone.md) <!-- labrun-disable link/broken -->\n\n<!-- labrun-disable-next-line -->\nVAR::Y\n\n<!-- labrun-disabled x -->\n";
        let page = parse_page(Path::new("/p/a.md"), "a.md", "en", text.as_bytes());
        let s = silences(&page);
        assert_eq!(
            s,
            [
                Silence {
                    line: 4,
                    rules: vec!["link/broken".into(), "reference/unknown-variable".into()]
                },
                Silence {
                    line: 6,
                    rules: vec!["link/broken".into()]
                },
                Silence {
                    line: 9,
                    rules: vec![]
                },
            ]
        );
    }

    #[test]
    fn the_gate_stops_on_errors_and_passes_warnings_on() {
        let text = "# T\n\n```bash timout=5\n$ true\n```\n\n<!-- labrun-disable-next-line -->\n```bash test=maybe\n$ true\n```\n";
        let page = parse_page(Path::new("/p/a.md"), "a.md", "en", text.as_bytes());
        let warnings = Policy::default().gate([&page], vec![]).unwrap();
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].rule, "fence/unknown-annotation");
        let extra = Diagnostic::error(
            "fence/missing-hook",
            Path::new("/p/a.md"),
            3,
            1,
            msg!("check-fence-missing-hook", name = "x", file = "y"),
        );
        assert!(matches!(
            Policy::default().gate([&page], vec![extra.clone()]),
            Err(Error::Content { diagnostics }) if diagnostics.len() == 1
        ));
        let off = Policy {
            overrides: vec![("fence/*".into(), None)],
            pedantic: false,
        };
        assert_eq!(off.gate([&page], vec![extra]).unwrap(), vec![]);
    }
}
