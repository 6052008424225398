//! `labrun drift --explain PAGE`: what changed in the source page since
//! the translation was made. A recorded hash is looked up in the source's
//! git history ([`history`]) and the diff from that version to today's is
//! shown; a page judged by git history ([`git::explain`]) is explained from
//! its commits instead.

use serde::Serialize;

use crate::content::Project;
use crate::error::Error;
use crate::ui::{self, Tone};
use crate::{msg, t};

use super::target::Pair;
use super::{Status, git, history, short_hash};

#[derive(Serialize)]
struct JsonExplain<'a> {
    schema: &'static str,
    translation: String,
    source: String,
    field: &'a str,
    recorded: &'a str,
    source_hash: &'a str,
    status: Status,
    revision: Option<&'a history::Revision>,
    searched: usize,
    diff: String,
}

/// Explains `pair` on stdout (or why it cannot on stderr), as JSON
/// (`labrun.drift-explain/v1`) with `json`. `Ok(true)` when explained or
/// current; `Ok(false)` when the translation is an orphan, unstamped,
/// unverifiable, or its recorded version is not in the history.
pub fn run(project: &Project, pair: &Pair, json: bool, color: bool) -> Result<bool, Error> {
    let src_name = project.display_path(&pair.source_file);
    let tr_name = project.display_path(&pair.translation_file);
    if !pair.translation_file.is_file() {
        return Err(Error::Usage(msg!(
            "drift-no-translation",
            file = tr_name.as_str()
        )));
    }
    if !pair.source_file.is_file() {
        let c = &project.config;
        let source = project.load(&c.source_locale)?;
        let target = project.load(&pair.locale)?;
        let message = match super::orphan_suggestion(&source, &target, &pair.rel) {
            Some(s) => t!(
                "drift-explain-orphan-suggest",
                translation = tr_name.as_str(),
                source = src_name.as_str(),
                suggestion = project.display_path(&c.locale_root(&c.source_locale).join(s))
            ),
            None => t!(
                "drift-explain-orphan",
                translation = tr_name.as_str(),
                source = src_name.as_str()
            ),
        };
        ui::eprintln(&message);
        return Ok(false);
    }
    let (_, page) = pair.read_translation()?;
    super::refuse_on_unreadable([&page])?;
    let config = &project.config;
    if git::applies(config.drift.source, page.front.source_hash.as_ref()) {
        let shown = (src_name.as_str(), tr_name.as_str());
        return git::explain(
            config,
            &pair.source_file,
            &pair.translation_file,
            shown,
            json,
            color,
        );
    }
    let Some(recorded) = page.front.source_hash.clone() else {
        ui::eprintln(&t!("drift-explain-unstamped", file = tr_name.as_str()));
        return Ok(false);
    };
    if !recorded.verifiable() {
        ui::eprintln(&t!(
            "drift-explain-unverifiable",
            file = tr_name.as_str(),
            field = recorded.field.as_str()
        ));
        return Ok(false);
    }
    let current = std::fs::read(&pair.source_file).map_err(|e| Error::io(&pair.source_file, e))?;
    let actual = super::md5_hex(&current);
    let status = super::hash_status(Some(&recorded), &actual);
    let found = if status == Status::Current {
        None
    } else {
        Some(
            history::find_version(&pair.source_file, &recorded.value)
                .map_err(|e| Error::Usage(e.message()))?,
        )
    };
    let diff = match &found {
        Some(history::HistoryMatch {
            revision: Some(r),
            content,
            ..
        }) => history::unified_diff(
            content,
            &current,
            &format!("{src_name}@{}", r.short),
            &src_name,
        ),
        _ => String::new(),
    };
    let matched = found.as_ref().is_none_or(|f| f.revision.is_some());
    if json {
        let j = JsonExplain {
            schema: "labrun.drift-explain/v1",
            translation: tr_name.clone(),
            source: src_name.clone(),
            field: &recorded.field,
            recorded: &recorded.value,
            source_hash: &actual,
            status,
            revision: found.as_ref().and_then(|f| f.revision.as_ref()),
            searched: found.as_ref().map_or(0, |f| f.searched),
            diff,
        };
        ui::print_data(
            &(serde_json::to_string_pretty(&j).expect("an explanation serializes") + "\n"),
        );
        return Ok(matched);
    }
    match &found {
        None => ui::println(&ui::paint(
            color,
            Tone::Good,
            &t!(
                "drift-explain-current",
                file = tr_name.as_str(),
                source = src_name.as_str()
            ),
        )),
        Some(history::HistoryMatch {
            revision: Some(r), ..
        }) => {
            ui::println(&ui::paint(
                color,
                Tone::Bold,
                &t!(
                    "drift-explain-found",
                    file = tr_name.as_str(),
                    recorded = short_hash(&recorded.value),
                    source = src_name.as_str(),
                    commit = r.short.as_str(),
                    date = r.date.as_str(),
                    subject = r.subject.as_str()
                ),
            ));
            ui::println("");
            ui::print(&history::paint_diff(&diff, color));
        }
        Some(f) => ui::eprintln(&t!(
            "drift-explain-no-match",
            file = tr_name.as_str(),
            recorded = recorded.value.as_str(),
            source = src_name.as_str(),
            searched = f.searched
        )),
    }
    Ok(matched)
}
