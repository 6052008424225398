//! `--from PAGE[:LINE]`: where a run starts, skipping what comes before.

use crate::content::Project;
use crate::error::Error;
use crate::model::{Lab, Page};
use crate::msg;

/// `--from PAGE[:LINE]`, resolved: the page (path within its locale) and the
/// opening line of the first block to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FromBlock {
    pub locale: String,
    pub page: String,
    pub line: Option<u32>,
}

/// `PAGE[:LINE]` against the labs to run: the page by path within its
/// locale (with or without `.md`), by file path, or by a unique ending; the
/// line must fall within a runnable block.
pub fn resolve(spec: &str, labs: &[Lab], project: &Project) -> Result<FromBlock, Error> {
    let usage = Error::Usage;
    let (page_spec, line) = match spec.rsplit_once(':') {
        Some((p, l)) if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) => (
            p,
            Some(
                l.parse::<u32>()
                    .map_err(|_| usage(msg!("run-from-unknown-page", page = spec)))?,
            ),
        ),
        _ => (spec, None),
    };
    let want = page_spec.trim_start_matches("./");
    let pages: Vec<&Page> = labs.iter().flat_map(|l| l.pages.iter()).collect();
    let exact: Vec<&&Page> = pages
        .iter()
        .filter(|p| {
            p.rel == want || p.rel == format!("{want}.md") || project.display_path(&p.file) == want
        })
        .collect();
    let matches: Vec<&&Page> = if exact.is_empty() {
        pages
            .iter()
            .filter(|p| {
                p.rel.ends_with(&format!("/{want}")) || p.rel.ends_with(&format!("/{want}.md"))
            })
            .collect()
    } else {
        exact
    };
    let page = match matches.as_slice() {
        [p] => **p,
        [p, rest @ ..] if rest.iter().all(|q| q.rel == p.rel) => **p,
        [] => {
            return Err(usage(msg!("run-from-unknown-page", page = page_spec)));
        }
        many => {
            let names: Vec<String> = many.iter().map(|p| p.rel.clone()).collect();
            return Err(usage(msg!(
                "run-from-ambiguous",
                page = page_spec,
                matches = names.join(", ")
            )));
        }
    };
    let line = match line {
        None => None,
        Some(l) => {
            let block = page
                .runnable_blocks()
                .find(|b| b.line <= l && l <= b.end_line)
                .ok_or_else(|| {
                    usage(msg!(
                        "run-from-no-block",
                        file = project.display_path(&page.file),
                        line = l
                    ))
                })?;
            Some(block.line)
        }
    };
    Ok(FromBlock {
        locale: page.locale.clone(),
        page: page.rel.clone(),
        line,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::run::select::test_lab;

    const PAGE: &str = "# Page\n\n```bash\n$ echo a\n$ echo b\n```\n\nText.\n";

    fn project() -> Project {
        let yaml = "locales: [en, ja]\n";
        Project::new(Config::parse(yaml, Path::new("/p/labrun.yaml"), Path::new("/p")).unwrap())
    }

    fn failure(e: Error) -> (String, String) {
        match e {
            Error::Usage(m) => {
                let text = m.text_in(crate::i18n::Lang::En);
                (m.id, text)
            }
            other => panic!("not a usage error: {other:?}"),
        }
    }

    #[test]
    fn a_page_is_found_by_path_file_or_ending_and_a_line_by_its_block() {
        let p = project();
        let labs = [
            test_lab("net", "en", &[("net/index.md", PAGE), ("net/two.md", PAGE)]),
            test_lab("net", "ja", &[("net/index.md", PAGE)]),
            test_lab("ops", "en", &[("ops/index.md", PAGE)]),
        ];
        let at = |spec: &str| resolve(spec, &labs, &p).unwrap();
        let two = FromBlock {
            locale: "en".into(),
            page: "net/two.md".into(),
            line: None,
        };
        for spec in [
            "net/two.md",
            "net/two",
            "./net/two",
            "content/en/net/two.md",
            "two",
        ] {
            assert_eq!(at(spec), two, "{spec}");
        }
        // A line inside a block starts at the block's opening line.
        for line in [3, 5, 6] {
            assert_eq!(at(&format!("two:{line}")).line, Some(3), "{line}");
        }
        // The same page in two locales is one page: the first to run.
        assert_eq!(at("net/index").locale, "en");
    }

    #[test]
    fn what_names_no_page_or_block_is_refused_with_what_to_type() {
        let p = project();
        let labs = [
            test_lab("net", "en", &[("net/index.md", PAGE)]),
            test_lab("ops", "en", &[("ops/index.md", PAGE)]),
        ];
        let refused = |spec: &str| failure(resolve(spec, &labs, &p).unwrap_err());
        let (id, text) = refused("index");
        assert_eq!(id, "run-from-ambiguous");
        assert!(text.contains("net/index.md, ops/index.md"), "{text}");
        assert_eq!(refused("nope").0, "run-from-unknown-page");
        assert_eq!(refused("net/index:99999999999").0, "run-from-unknown-page");
        let (id, text) = refused("net/index:8");
        assert_eq!(id, "run-from-no-block");
        assert!(text.contains("content/en/net/index.md"), "{text}");
    }
}
