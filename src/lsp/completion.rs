//! Completion while typing: the keys a `paths=` / `zoomPath=` segment may
//! take in the manifest, fence annotations and hook names, `VAR::` names.
//!
//! The line being typed is often not yet well formed (an open quote, a
//! half-written key), so this reads the text before the cursor rather than
//! the page model, which only holds finished constructs.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, CompletionTextEdit, Position, Range,
    TextDocumentPositionParams, TextEdit,
};

use crate::check::incremental::Workspace;
use crate::check::normalize;
use crate::model::{ANNOTATION_KEYS, Page, RUNNABLE_LANGS};

use super::{Server, text};

pub fn complete(s: &mut Server, p: &TextDocumentPositionParams) -> Option<CompletionResponse> {
    let path = normalize(&text::path_of(&p.text_document.uri)?);
    let ws = s.ws.as_ref()?;
    let page = ws.page(&path)?;
    let t = s.text_of(&path)?;
    let line = text::line(&t, p.position.line);
    let before = &line[..text::byte_of_utf16(line, p.position.character)];
    let items = yaml_path(ws, line, before)
        .or_else(|| annotation(ws, page, line, before))
        .or_else(|| variable(ws, before))?;
    // Each item replaces the word being typed.
    let word = items.0;
    let start = Position::new(
        p.position.line,
        text::utf16_of_byte(line, before.len() - word.len()),
    );
    let range = Range::new(start, p.position);
    let list = items
        .1
        .into_iter()
        .filter(|(label, ..)| label.starts_with(word))
        .map(|(label, kind, detail)| CompletionItem {
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                label.clone(),
            ))),
            label,
            kind: Some(kind),
            detail,
            ..Default::default()
        })
        .collect();
    Some(CompletionResponse::Array(list))
}

/// (the word before the cursor, the candidates: label, kind, detail).
type Candidates<'l> = (&'l str, Vec<(String, CompletionItemKind, Option<String>)>);

/// A segment of `paths=` or `zoomPath=` on a `::yaml` line.
fn yaml_path<'l>(ws: &Workspace, line: &str, before: &'l str) -> Option<Candidates<'l>> {
    if !line.trim_start().starts_with("::yaml{") {
        return None;
    }
    let at = ["paths=", "zoomPath="]
        .iter()
        .filter_map(|k| before.rfind(k).map(|i| i + k.len()))
        .max()?;
    let value = &before[at..];
    let value = value.strip_prefix(['"', '\'']).unwrap_or(value);
    if value.contains(['"', '\'', ' ', '}']) {
        return None;
    }
    let current = value.rsplit(',').next().unwrap_or(value);
    let (parent, word) = current.rsplit_once('.').unwrap_or(("", current));
    let m = ws.manifests().get(&attr_value(line, "file")?).ok()?;
    let items = m
        .children(parent)
        .into_iter()
        .map(|k| {
            let detail = (!parent.is_empty()).then(|| format!("{parent}.{k}"));
            (k, CompletionItemKind::FIELD, detail)
        })
        .collect();
    Some((word, items))
}

/// An attribute's value on a directive line, quoted or not.
fn attr_value(line: &str, key: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = line[from..].find(&format!("{key}=")) {
        let start = from + i;
        from = start + key.len() + 1;
        // Not the tail of a longer key (`zoomfile=`).
        if line[..start].ends_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        let rest = &line[from..];
        return Some(match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or("").to_owned(),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '}')
                .next()
                .unwrap_or("")
                .to_owned(),
        });
    }
    None
}

/// A fence annotation after ```` ```bash ````, or a hook name after `hook=`.
fn annotation<'l>(
    ws: &Workspace,
    page: &Page,
    line: &str,
    before: &'l str,
) -> Option<Candidates<'l>> {
    let fence = line.trim_start();
    let info = fence
        .strip_prefix("```")
        .or_else(|| fence.strip_prefix("~~~"))?;
    let lang = info.split_whitespace().next()?;
    if !RUNNABLE_LANGS.contains(&lang) || !before.trim_end().contains(lang) {
        return None;
    }
    let word = before.rsplit(char::is_whitespace).next().unwrap_or(before);
    if word == before.trim_start() {
        // Still typing the language.
        return None;
    }
    if let Some(name) = word.strip_prefix("hook=") {
        let items = hook_names(ws, page)
            .into_iter()
            .map(|n| (n, CompletionItemKind::FILE, None))
            .collect();
        return Some((name, items));
    }
    let items = ANNOTATION_KEYS
        .iter()
        .map(|k| {
            let label = match *k {
                "test" => "test=false".to_owned(),
                "expectError" | "raw" => format!("{k}=true"),
                _ => format!("{k}="),
            };
            let doc = crate::t!(&format!("lsp-annotation-{}", k.to_lowercase()));
            (label, CompletionItemKind::PROPERTY, Some(doc))
        })
        .collect();
    Some((word, items))
}

/// Hook names a page's blocks can use: `tests/hook-NAME.*` beside it or
/// beside its source page.
fn hook_names(ws: &Workspace, page: &Page) -> Vec<String> {
    let mut names: Vec<String> = ws
        .project()
        .hook_candidates(&page.locale, page.dir(), "")
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_prefix("hook-")?;
            let (n, ext) = stem.rsplit_once('.')?;
            let runs = ext == "sh" || crate::content::is_declarative_hook(&name);
            (runs && n != "suite").then(|| n.to_owned())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A name after `VAR::`.
fn variable<'l>(ws: &Workspace, before: &'l str) -> Option<Candidates<'l>> {
    let at = before.rfind("VAR::")?;
    let word = &before[at + "VAR::".len()..];
    if !word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let items = ws
        .project()
        .config
        .variables
        .iter()
        .map(|(k, v)| (k.clone(), CompletionItemKind::VARIABLE, Some(v.clone())))
        .collect();
    Some((word, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_are_read_from_half_typed_lines() {
        let l = r#"::yaml{file="manifests/a b.yaml" paths="1.spec."#;
        assert_eq!(attr_value(l, "file").as_deref(), Some("manifests/a b.yaml"));
        assert_eq!(
            attr_value("::yaml{zoomfile=x file=y.yaml}", "file").as_deref(),
            Some("y.yaml")
        );
        assert_eq!(attr_value("::yaml{paths=a}", "file"), None);
    }
}
