//! Silencing findings: per line with an HTML comment in the page, per project
//! with `check.disable` in labrun.yaml.
//!
//! - `<!-- labrun-disable-next-line RULE[, RULE…] -->` silences the rules on
//!   the line after the comment;
//! - `<!-- labrun-disable RULE[, RULE…] -->` silences them on its own line.
//!
//! A rule is named by its id (`link/broken`), by its area (`link/*`), or
//! `*`; a comment that names no rule silences every rule.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::model::Page;

/// Whether `pattern` names `rule`.
pub fn matches(pattern: &str, rule: &str) -> bool {
    let pattern = pattern.trim();
    pattern == "*"
        || pattern == rule
        || pattern
            .strip_suffix("/*")
            .is_some_and(|area| rule.strip_prefix(area).is_some_and(|r| r.starts_with('/')))
}

/// One silencing comment: the line it covers and the rules it names
/// (empty: all).
#[derive(Debug, PartialEq)]
pub struct Silence {
    pub line: u32,
    pub rules: Vec<String>,
}

/// The silencing comments of a page.
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

/// Drops silenced findings.
pub fn apply(
    diags: Vec<Diagnostic>,
    pages: &HashMap<PathBuf, &Page>,
    disabled: &[String],
) -> Vec<Diagnostic> {
    let mut cache: HashMap<PathBuf, Vec<Silence>> = HashMap::new();
    diags
        .into_iter()
        .filter(|d| {
            if disabled.iter().any(|p| matches(p, &d.rule)) {
                return false;
            }
            let key = super::normalize(&d.file);
            let Some(page) = pages.get(&key) else {
                return true;
            };
            let s = cache.entry(key).or_insert_with(|| silences(page));
            !s.iter().any(|s| {
                s.line == d.line
                    && (s.rules.is_empty() || s.rules.iter().any(|r| matches(r, &d.rule)))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse_page;
    use std::path::Path;

    #[test]
    fn patterns() {
        assert!(matches("link/broken", "link/broken"));
        assert!(matches("link/*", "link/broken-anchor"));
        assert!(!matches("link/*", "linked/x"));
        assert!(matches("*", "fence/missing-hook"));
        assert!(!matches("link/broken", "link/broken-anchor"));
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
}
