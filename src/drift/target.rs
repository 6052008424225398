//! What the user names: the translation locales to look at, a TARGET of
//! `labrun drift` as a [`Scope`], and a PAGE of `--explain` or `stamp` as a
//! translation and its source.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{Located, Project, Tree};
use crate::error::Error;
use crate::markdown;
use crate::model::Page;
use crate::msg;

use super::Scope;

/// The translation locales to look at: `wanted` (the content locale
/// `--lang` names) when it is a translation, else every locale but the
/// source.
pub fn locales(config: &Config, wanted: Option<&str>) -> Vec<String> {
    if let Some(l) = wanted
        && l != config.source_locale
    {
        return vec![l.to_owned()];
    }
    config
        .locales
        .iter()
        .filter(|l| **l != config.source_locale)
        .cloned()
        .collect()
}

/// The scope of a report and, when TARGET is a file of a translation, that
/// locale. TARGET is a file or directory of any locale, a path relative to
/// the locale roots, or a lab; `trees` are the loaded locales, source first.
pub fn scope(
    project: &Project,
    target: Option<&str>,
    trees: &[&Tree],
) -> Result<(Scope, Option<String>), Error> {
    let Some(arg) = target else {
        return Ok((Scope::All, None));
    };
    if let Some(Located {
        locale,
        rel,
        is_dir,
    }) = project.locate(Path::new(arg))
    {
        let only = (locale != project.config.source_locale).then_some(locale);
        let scope = match (is_dir, rel.is_empty()) {
            (_, true) => Scope::All,
            (true, false) => Scope::Dir(rel),
            (false, false) => Scope::Page(rel),
        };
        return Ok((scope, only));
    }
    if Path::new(arg).exists() {
        return Err(Error::Usage(msg!("drift-outside-content", path = arg)));
    }
    let key = arg.trim().trim_start_matches("./").trim_matches('/');
    if key.is_empty() || key == "." {
        return Ok((Scope::All, None));
    }
    for tree in trees {
        for candidate in [key.to_owned(), format!("{key}.md"), format!("{key}.mdx")] {
            if tree.pages.iter().any(|p| p.rel == candidate) {
                return Ok((Scope::Page(candidate), None));
            }
        }
    }
    for tree in trees {
        if tree.dirs.iter().any(|d| d.rel == key) {
            return Ok((Scope::Dir(key.to_owned()), None));
        }
    }
    // A prepare-environment id, or an unknown name with suggestions.
    let lab = trees[0].lab(key)?;
    Ok((
        if lab.id.is_empty() {
            Scope::All
        } else {
            Scope::Dir(lab.id)
        },
        None,
    ))
}

/// A translation and its source, read for `--explain` and `stamp`.
pub struct Pair {
    /// The translation's locale.
    pub locale: String,
    pub source_locale: String,
    /// Path relative to the locale roots.
    pub rel: String,
    pub source_file: PathBuf,
    pub translation_file: PathBuf,
}

impl Pair {
    /// The source page: its bytes and its parsed form.
    pub fn read_source(&self) -> Result<(Vec<u8>, Page), Error> {
        read_page(&self.source_file, &self.rel, &self.source_locale)
    }

    /// The translated page: its bytes and its parsed form.
    pub fn read_translation(&self) -> Result<(Vec<u8>, Page), Error> {
        read_page(&self.translation_file, &self.rel, &self.locale)
    }
}

/// Resolves PAGE (a file of any locale, or a path relative to the locale
/// root) to a translation in one of `locales` and its source.
pub fn pair(project: &Project, locales: &[String], arg: &str) -> Result<Pair, Error> {
    let c = &project.config;
    let (locale, rel) = match project.locate(Path::new(arg)) {
        Some(at) if at.is_dir => {
            return Err(Error::Usage(msg!("drift-page-is-directory", page = arg)));
        }
        Some(at) if at.locale != c.source_locale => (at.locale, at.rel),
        Some(at) => (single_target(locales, arg)?, at.rel),
        None if Path::new(arg).exists() => {
            return Err(Error::Usage(msg!("drift-outside-content", path = arg)));
        }
        None => {
            let locale = single_target(locales, arg)?;
            let key = arg.trim_start_matches("./").trim_matches('/');
            let roots = [c.locale_root(&locale), c.locale_root(&c.source_locale)];
            let found = [key.to_owned(), format!("{key}.md"), format!("{key}.mdx")]
                .into_iter()
                .find(|k| roots.iter().any(|r| r.join(k).is_file()))
                .ok_or_else(|| Error::Usage(msg!("drift-page-not-found", page = arg)))?;
            (locale, found)
        }
    };
    Ok(Pair {
        source_file: c.locale_root(&c.source_locale).join(&rel),
        translation_file: c.locale_root(&locale).join(&rel),
        source_locale: c.source_locale.clone(),
        locale,
        rel,
    })
}

fn single_target(locales: &[String], page: &str) -> Result<String, Error> {
    match locales {
        [one] => Ok(one.clone()),
        [] => Err(Error::Usage(msg!("drift-no-translations"))),
        _ => Err(Error::Usage(msg!(
            "drift-choose-locale",
            page = page,
            locales = locales.join(", ")
        ))),
    }
}

fn read_page(file: &Path, rel: &str, locale: &str) -> Result<(Vec<u8>, Page), Error> {
    let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
    let page = markdown::parse_page(file, rel, locale, &bytes);
    Ok((bytes, page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(locales: &str) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        for (file, text) in [
            ("content/en/lab/a.md", "# A\n"),
            ("content/ja/lab/a.md", "# エー\n"),
            ("content/en/lab/only-source.md", "# S\n"),
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let yaml = dir.path().join("labrun.yaml");
        std::fs::write(&yaml, format!("locales: [{locales}]\n")).unwrap();
        let config = Config::load(&yaml).unwrap();
        (dir, Project::new(config))
    }

    fn usage_id(e: Error) -> String {
        match e {
            Error::Usage(m) => m.id,
            other => panic!("not a usage error: {other:?}"),
        }
    }

    #[test]
    fn lang_picks_one_translation_and_the_source_means_all() {
        let (_dir, p) = project("en, ja, ko");
        let c = &p.config;
        assert_eq!(locales(c, None), ["ja", "ko"]);
        assert_eq!(locales(c, Some("ko")), ["ko"]);
        assert_eq!(locales(c, Some("en")), ["ja", "ko"]);
    }

    #[test]
    fn a_page_pairs_by_relative_path_file_or_name() {
        let (dir, p) = project("en, ja");
        let ja = ["ja".to_owned()];
        let by_name = pair(&p, &ja, "lab/a").unwrap();
        assert_eq!(
            (by_name.locale.as_str(), by_name.rel.as_str()),
            ("ja", "lab/a.md")
        );
        assert_eq!(
            by_name.source_file,
            p.config.locale_root("en").join("lab/a.md")
        );
        assert_eq!(
            by_name.translation_file,
            p.config.locale_root("ja").join("lab/a.md")
        );
        // The source's file names the same pair; a page only the source has
        // pairs with the translation it lacks.
        let by_source = pair(
            &p,
            &ja,
            dir.path().join("content/en/lab/a.md").to_str().unwrap(),
        );
        assert_eq!(
            by_source.unwrap().translation_file,
            by_name.translation_file
        );
        let lacking = pair(&p, &ja, "lab/only-source").unwrap();
        assert!(!lacking.translation_file.exists());
        let (bytes, page) = by_name.read_translation().unwrap();
        assert_eq!(
            (bytes.as_slice(), page.locale.as_str()),
            ("# エー\n".as_bytes(), "ja")
        );
    }

    #[test]
    fn pages_that_name_no_single_translation_are_usage_errors() {
        let (dir, p) = project("en, ja, ko");
        let both = ["ja".to_owned(), "ko".to_owned()];
        let one = ["ja".to_owned()];
        let id = |locales: &[String], arg: &str| usage_id(pair(&p, locales, arg).err().unwrap());
        assert_eq!(id(&both, "lab/a"), "drift-choose-locale");
        assert_eq!(id(&[], "lab/a"), "drift-no-translations");
        assert_eq!(id(&one, "lab/nothing"), "drift-page-not-found");
        let lab_dir = dir.path().join("content/ja/lab");
        assert_eq!(
            id(&one, lab_dir.to_str().unwrap()),
            "drift-page-is-directory"
        );
        let yaml = dir.path().join("labrun.yaml");
        assert_eq!(id(&one, yaml.to_str().unwrap()), "drift-outside-content");
    }
}
