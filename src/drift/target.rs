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
