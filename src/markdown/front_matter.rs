//! YAML front matter between `---` lines at the top of a page.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::{Field, FrontMatter, Position, SOURCE_HASH_FIELDS, SourceHash};
use crate::msg;
use crate::yaml::{self, YValue};

use super::lines::LineIndex;

/// Parses the front matter, if any; returns it and the line where the body
/// starts.
pub fn parse(idx: &LineIndex<'_>, file: &Path, diags: &mut Vec<Diagnostic>) -> (FrontMatter, u32) {
    let mut fm = FrontMatter::default();
    if idx.line(1).trim_end() != "---" {
        return (fm, 1);
    }
    let Some(close) =
        (2..=idx.line_count()).find(|&l| matches!(idx.line(l).trim_end(), "---" | "..."))
    else {
        diags.push(crate::rules::finding(
            "front-matter/unterminated",
            file,
            1,
            1,
            msg!("diag-front-matter-unterminated"),
        ));
        return (fm, 1);
    };
    fm.span = Some((1, close));
    let body = close + 1;
    let yaml_text = &idx_text(idx, 2, close);
    // Lines in the YAML text are offset by the opening `---` line.
    let docs = match yaml::parse_documents(yaml_text) {
        Ok(docs) => docs,
        Err(e) => {
            diags.push(crate::rules::finding(
                "front-matter/invalid-yaml",
                file,
                e.pos.line + 1,
                e.pos.col,
                msg!("diag-front-matter-invalid-yaml", detail = e.message),
            ));
            return (fm, body);
        }
    };
    let Some(root) = docs.first() else {
        return (fm, body);
    };
    let entries = match &root.value {
        YValue::Map(entries) => entries,
        YValue::Null => return (fm, body),
        _ => {
            diags.push(crate::rules::finding(
                "front-matter/not-a-mapping",
                file,
                root.start.line + 1,
                root.start.col,
                msg!("diag-front-matter-not-a-mapping"),
            ));
            return (fm, body);
        }
    };
    for (k, v) in entries {
        let key = k.scalar_text().unwrap_or_default();
        let line = k.start.line + 1;
        match key.as_str() {
            "title" => fm.title = v.scalar_text(),
            "description" => fm.description = v.scalar_text().map(|s| s.trim().to_owned()),
            "sidebar_position" | "weight" => {
                let value = match v.value {
                    YValue::Int(n) => Some(n as f64),
                    YValue::Float(f) if f.is_finite() => Some(f),
                    // `"3"` is what some sites write; the site generators read it.
                    YValue::Str(ref t) => t.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
                    _ => None,
                };
                match value {
                    Some(value) => fm.positions.push(Position {
                        key: key.clone(),
                        value,
                        line,
                    }),
                    None => diags.push(crate::rules::finding(
                        "front-matter/position-not-a-number",
                        file,
                        v.start.line + 1,
                        v.start.col,
                        msg!(
                            "diag-front-matter-position-not-a-number",
                            key = key.as_str(),
                            value = v.scalar_text().unwrap_or_default()
                        ),
                    )),
                }
            }
            k if SOURCE_HASH_FIELDS.contains(&k) && fm.source_hash.is_none() => {
                if let Some(value) = v.scalar_text() {
                    let first = idx
                        .line(v.start.line + 1)
                        .chars()
                        .nth(v.start.col as usize - 1);
                    fm.source_hash = Some(SourceHash {
                        field: key.clone(),
                        value: value.trim().to_owned(),
                        line,
                        quoted: matches!(first, Some('"' | '\'')),
                    });
                }
            }
            _ => {}
        }
        fm.fields.push(Field {
            key,
            value: v.to_json(),
            line,
        });
    }
    // The project may choose another order (`order-by`); this is the default.
    fm.choose_position(&crate::config::DEFAULT_ORDER.map(|k| k.field()));
    (fm, body)
}

/// The text of lines `from..to` (1-based, `to` exclusive) joined with `\n`.
fn idx_text(idx: &LineIndex<'_>, from: u32, to: u32) -> String {
    let mut s = String::new();
    for l in from..to {
        s.push_str(idx.line(l));
        s.push('\n');
    }
    s
}
