//! Code actions: the did-you-mean fixes `check` suggests (an annotation,
//! a directive name, a manifest path segment, a variable name), and "mark
//! as reviewed" on a stale or unstamped translation, which stamps the
//! source hash the way `labrun drift stamp` does.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command,
    ExecuteCommandParams, MessageType, Range, TextEdit, WorkspaceEdit,
};
use serde_json::Value;

use crate::check::normalize;
use crate::content;
use crate::drift::Status;
use crate::drift::stamp::{self, Plan, Refusal};
use crate::t;

use super::{MARK_REVIEWED, Server, diagnostics, text};

pub fn code_actions(s: &mut Server, p: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
    let uri = &p.text_document.uri;
    let path = normalize(&text::path_of(uri)?);
    let t = s.text_of(&path)?;
    let mut out = Vec::new();
    for d in &p.context.diagnostics {
        let Some(data) = &d.data else { continue };
        let (Some(from), Some(to)) = (data["replace"].as_str(), data["with"].as_str()) else {
            continue;
        };
        let line = text::line(&t, d.range.start.line);
        let start = text::byte_of_utf16(line, d.range.start.character);
        let Some(at) = line[start..].find(from).map(|i| i + start) else {
            continue;
        };
        let range = Range::new(
            lsp_types::Position::new(d.range.start.line, text::utf16_of_byte(line, at)),
            lsp_types::Position::new(
                d.range.start.line,
                text::utf16_of_byte(line, at + from.len()),
            ),
        );
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: t!("lsp-action-replace", from = from, to = to),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(WorkspaceEdit::new(HashMap::from([(
                uri.clone(),
                vec![TextEdit::new(range, to.to_owned())],
            )]))),
            is_preferred: Some(true),
            ..Default::default()
        }));
    }
    // "Mark as reviewed" wherever the cursor is in a translation's front
    // matter, when it is stale or unstamped.
    let ws = s.ws.as_ref()?;
    if let Some(page) = ws.page(&path)
        && let (_, last) = page.front.span.unwrap_or((1, 1))
        && p.range.start.line < last
        && let Some(st) = diagnostics::staleness(ws, page)
        && matches!(st.status, Status::Stale | Status::Unstamped)
    {
        let title = t!("lsp-action-mark-reviewed");
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(
                p.context
                    .diagnostics
                    .iter()
                    .filter(|d| {
                        matches!(&d.code, Some(lsp_types::NumberOrString::String(c))
                            if c == diagnostics::STALE || c == diagnostics::UNSTAMPED)
                    })
                    .cloned()
                    .collect(),
            ),
            command: Some(Command::new(
                title,
                MARK_REVIEWED.to_owned(),
                Some(vec![serde_json::to_value(uri).unwrap_or(Value::Null)]),
            )),
            ..Default::default()
        }));
    }
    Some(out)
}

pub fn execute(s: &mut Server, p: &ExecuteCommandParams) -> Option<Value> {
    if p.command != MARK_REVIEWED {
        return None;
    }
    let uri: lsp_types::Uri = serde_json::from_value(p.arguments.first()?.clone()).ok()?;
    let message = match mark_reviewed(s, &uri) {
        Ok(m) => {
            s.show(MessageType::INFO, m.clone());
            m
        }
        Err(m) => {
            s.show(MessageType::ERROR, m.clone());
            m
        }
    };
    Some(Value::String(message))
}

/// Stamps the translation at `uri`: on disk, atomically, when the editor
/// holds no unsaved change to it; else in the editor's buffer (the user
/// saves it), so unsaved work is never overwritten.
fn mark_reviewed(s: &mut Server, uri: &lsp_types::Uri) -> Result<String, String> {
    let path = normalize(&text::path_of(uri).ok_or_else(|| uri.as_str().to_owned())?);
    let ws = s.ws.as_ref().ok_or_else(|| t!("drift-no-translations"))?;
    let page = ws
        .page(&path)
        .ok_or_else(|| t!("drift-outside-content", path = path.display().to_string()))?;
    let config = &ws.project().config;
    let name = ws.project().display_path(&path);
    let source_root = config.locale_root(&config.source_locale);
    let source_file = source_root.join(&page.rel);
    let source_name = ws.project().display_path(&source_file);
    let source_bytes = std::fs::read(&source_file).map_err(|_| {
        t!(
            "drift-stamp-orphan",
            file = name.as_str(),
            source = source_name.as_str()
        )
    })?;
    let opts = content::LoadOptions::for_config(config);
    let source = opts.parse_page_in(
        &source_root,
        &page.rel,
        &config.source_locale,
        &source_bytes,
    );
    let disk = std::fs::read(&path).map_err(|e| e.to_string())?;
    let buffer = ws.buffer(&path).map(|b| b.as_bytes().to_vec());
    let bytes = buffer.clone().unwrap_or_else(|| disk.clone());
    let root = config.locale_root(&page.locale);
    let translation = opts.parse_page_in(&root, &page.rel, &page.locale, &bytes);
    let (stamped, hash) = match stamp::plan(&source, &source_bytes, &translation, &bytes, false) {
        Ok(Plan::Write { bytes, hash }) => (bytes, hash),
        Ok(Plan::Current) => return Ok(t!("drift-stamp-already", file = name.as_str())),
        Err(Refusal::Diverged(d)) => {
            return Err(t!(
                "drift-stamp-diverged",
                file = name.as_str(),
                count = d.len()
            ));
        }
        Err(Refusal::Stamp(e)) => return Err(e.message(&name).text()),
        Err(Refusal::VerifyFailed) => {
            return Err(t!("drift-stamp-verify-failed", file = name.as_str()));
        }
    };
    let short = &hash[..8];
    if buffer.is_some_and(|b| b != disk) {
        let old = String::from_utf8_lossy(&bytes).into_owned();
        let new = String::from_utf8_lossy(&stamped).into_owned();
        let edit = text::minimal_edit(&old, &new);
        s.send_request(
            "workspace/applyEdit",
            lsp_types::ApplyWorkspaceEditParams {
                label: Some(t!("lsp-action-mark-reviewed")),
                edit: WorkspaceEdit::new(HashMap::from([(uri.clone(), vec![edit])])),
            },
        );
        return Ok(t!("lsp-stamped-buffer", file = name.as_str(), hash = short));
    }
    // The same writer as `drift stamp`: inside the project, never through a
    // link, owner and mode kept.
    crate::files::require_inside(ws.project().root(), &path)
        .and_then(|()| crate::files::write_atomic(&path, &stamped))
        .map_err(|e| {
            t!(
                "drift-stamp-write-failed",
                file = name.as_str(),
                detail = e.to_string()
            )
        })?;
    // An editor reloads a page it holds unchanged when the file changes
    // (VS Code by itself, Neovim on `:checktime`): check the stamped text
    // now rather than the old one until it does.
    let stamped = String::from_utf8_lossy(&stamped).into_owned();
    if let Some(doc) = s.docs.get_mut(&path) {
        doc.text = stamped.clone();
        s.set_buffer(&path, Some(stamped));
    } else if let Some(ws) = &mut s.ws {
        let _ = ws.apply(std::slice::from_ref(&path));
    }
    s.dirty = true;
    Ok(t!("lsp-stamped", file = name.as_str(), hash = short))
}
