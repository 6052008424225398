//! What a run takes: the lab named (in each of its locales) or every lab of
//! the workshop, and with `--only` the pages whose path matches.

use crate::content::{Project, Tree};
use crate::error::Error;
use crate::model::{Lab, Page};
use crate::msg;

/// The labs to run, in run order: `lab` in each of `locales`, or (`None`)
/// every lab of the workshop in each. With `all_locales` (`--lang all`), a
/// lab not translated into a locale yet runs where it exists; the source
/// locale must have it.
pub fn labs(
    project: &Project,
    locales: &[String],
    lab: Option<&str>,
    all_locales: bool,
) -> Result<Vec<Lab>, Error> {
    let mut labs = Vec::new();
    for locale in locales {
        let tree = project.load(locale)?;
        match lab {
            Some(name) => match tree.lab(name) {
                Ok(lab) => labs.push(lab),
                Err(Error::UnknownLab { .. })
                    if all_locales && *locale != project.config.source_locale => {}
                Err(e) => return Err(e),
            },
            None => labs.extend(workshop_labs(&tree)),
        }
    }
    Ok(labs)
}

/// The labs of a whole workshop, in site order: the outermost directories
/// whose own pages have runnable blocks (a lab's subdirectories belong to
/// it); pages with blocks at the locale root form a lab of their own.
pub fn workshop_labs(tree: &Tree) -> Vec<Lab> {
    let has_blocks = |dir: &str| {
        tree.pages
            .iter()
            .any(|p| p.dir() == dir && p.runnable_blocks().next().is_some())
    };
    let mut lab_dirs: Vec<&str> = Vec::new();
    for d in &tree.dirs {
        if d.rel.is_empty() || !has_blocks(&d.rel) {
            continue;
        }
        let inside_other = lab_dirs.iter().any(|l| d.rel.starts_with(&format!("{l}/")));
        if !inside_other {
            lab_dirs.retain(|l| !l.starts_with(&format!("{}/", d.rel)));
            lab_dirs.push(&d.rel);
        }
    }
    let mut labs: Vec<(usize, Lab)> = Vec::new();
    for d in lab_dirs {
        if let Ok(lab) = tree.lab(d) {
            let first = tree
                .pages
                .iter()
                .position(|p| p.rel == lab.pages[0].rel)
                .unwrap_or(usize::MAX);
            labs.push((first, lab));
        }
    }
    if has_blocks("") {
        let pages: Vec<Page> = tree
            .pages
            .iter()
            .filter(|p| p.dir().is_empty())
            .cloned()
            .collect();
        let title = tree
            .dirs
            .iter()
            .find(|d| d.rel.is_empty())
            .map_or_else(String::new, |d| d.title.clone());
        labs.push((
            0,
            Lab {
                id: String::new(),
                locale: tree.locale.clone(),
                title,
                dir: tree.root.clone(),
                environments: pages
                    .iter()
                    .flat_map(crate::content::environment_ids)
                    .collect(),
                pages,
            },
        ));
    }
    labs.sort_by_key(|(i, _)| *i);
    labs.into_iter().map(|(_, l)| l).collect()
}

/// `--only GLOB`: a page runs when its path within its locale, or within
/// its lab, matches.
#[derive(Clone, Debug)]
pub struct Only(glob::Pattern);

impl Only {
    /// The glob, refused when it is malformed or matches no page of `labs`
    /// (a typo would otherwise run nothing and pass).
    pub fn new(glob: &str, labs: &[Lab]) -> Result<Only, Error> {
        let pattern = glob::Pattern::new(glob)
            .map_err(|e| Error::Usage(msg!("run-bad-glob", glob = glob, detail = e.to_string())))?;
        let only = Only(pattern);
        if !labs
            .iter()
            .any(|l| l.pages.iter().any(|p| only.takes(l, p)))
        {
            return Err(Error::Usage(msg!("run-only-matches-nothing", glob = glob)));
        }
        Ok(only)
    }

    /// Whether `page` of `lab` runs.
    pub fn takes(&self, lab: &Lab, page: &Page) -> bool {
        let in_lab = page
            .rel
            .strip_prefix(&format!("{}/", lab.id))
            .unwrap_or(&page.rel);
        self.0.matches(&page.rel) || self.0.matches(in_lab)
    }
}

/// A lab of pages parsed from text (path within the locale, Markdown),
/// with files under `/p/content/<locale>`, for tests.
#[cfg(test)]
pub(crate) fn test_lab(id: &str, locale: &str, pages: &[(&str, &str)]) -> Lab {
    let root = std::path::Path::new("/p/content").join(locale);
    Lab {
        id: id.to_owned(),
        locale: locale.to_owned(),
        title: id.to_owned(),
        dir: root.join(id),
        pages: pages
            .iter()
            .map(|(rel, md)| {
                crate::markdown::parse_page(&root.join(rel), rel, locale, md.as_bytes())
            })
            .collect(),
        environments: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage_id(e: Error) -> String {
        match e {
            Error::Usage(m) => m.id,
            other => panic!("not a usage error: {other:?}"),
        }
    }

    #[test]
    fn only_matches_within_the_locale_or_within_the_lab() {
        let block = "```bash\n$ true\n```\n";
        let labs = [
            test_lab(
                "net",
                "en",
                &[("net/index.md", block), ("net/two.md", block)],
            ),
            test_lab("ops", "en", &[("ops/two.md", block)]),
        ];
        let taken = |glob: &str| -> Vec<String> {
            let only = Only::new(glob, &labs).unwrap();
            labs.iter()
                .flat_map(|l| l.pages.iter().filter(|p| only.takes(l, p)))
                .map(|p| p.rel.clone())
                .collect()
        };
        assert_eq!(taken("two.md"), ["net/two.md", "ops/two.md"]);
        assert_eq!(taken("net/*"), ["net/index.md", "net/two.md"]);
        assert_eq!(taken("*/index.md"), ["net/index.md"]);
        // A typo would run nothing and pass: it is refused, as is a
        // malformed glob.
        assert_eq!(
            usage_id(Only::new("tow.md", &labs).unwrap_err()),
            "run-only-matches-nothing"
        );
        assert_eq!(usage_id(Only::new("[", &labs).unwrap_err()), "run-bad-glob");
    }
}
