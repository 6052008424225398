//! `::yaml{file=… paths=… zoomPath=… zoomBefore=… zoomAfter=…}`: the file is
//! inside the project; when a path must be resolved, it parses and every
//! path and the zoom path resolve (with [`crate::manifest`], the resolver
//! `render` uses too). A manifest shown without paths is shown as text and
//! never parsed: Helm and Go templates are fine there. A callout list is
//! optional; one that is there has one item per path.

use crate::diag::Diagnostic;
use crate::manifest::ManifestError;
use crate::model::{Directive, Page};
use crate::msg;

use super::super::Ctx;
use super::{col_of, finding};

pub fn check(ctx: &Ctx<'_>, page: &Page, out: &mut Vec<Diagnostic>) {
    for d in page.directives.iter().filter(|d| d.name == "yaml") {
        directive(ctx, page, d, out);
    }
}

fn directive(ctx: &Ctx<'_>, page: &Page, d: &Directive, out: &mut Vec<Diagnostic>) {
    let paths = d.paths();
    // Without a list the site highlights the ranges unnumbered.
    if !paths.is_empty() && !d.callouts.is_empty() && d.callouts.len() != paths.len() {
        out.push(finding(
            "yaml/callout-count",
            &page.file,
            d.callouts[0].line,
            1,
            msg!(
                "check-yaml-callout-count",
                paths = paths.len(),
                callouts = d.callouts.len()
            ),
        ));
    }
    let mut zoom = [0u32; 2];
    for (i, attr) in ["zoomBefore", "zoomAfter"].into_iter().enumerate() {
        if let Some(v) = d.attr(attr) {
            match v.trim().parse::<u32>() {
                Ok(n) => zoom[i] = n,
                Err(_) => out.push(super::directives::bad_number(ctx, page, d, attr, v)),
            }
        }
    }
    // A missing `file` is the directives rule's finding.
    let Some(file) = d.attr("file") else {
        return;
    };
    let manifest = match ctx.manifests.get(file) {
        Ok(m) => m,
        Err(e) => {
            let rule = match e {
                ManifestError::NotFound { .. } => "yaml/file-not-found",
                ManifestError::Empty
                | ManifestError::Absolute { .. }
                | ManifestError::Escapes { .. } => "yaml/file-outside-project",
                ManifestError::Io { .. }
                | ManifestError::NotUtf8 { .. }
                | ManifestError::Yaml { .. } => "yaml/invalid-manifest",
            };
            let col = attr_col(ctx, page, d, "file", file);
            out.push(finding(rule, &page.file, d.pos.line, col, e.message()));
            return;
        }
    };
    let zoom_path = d.attr("zoomPath").map(str::trim).filter(|z| !z.is_empty());
    if paths.is_empty() && zoom_path.is_none() {
        return;
    }
    // A path must be resolved: the manifest must be YAML. The finding is
    // the directive's; its message names the manifest's line.
    if let Err(e) = manifest.syntax() {
        let col = attr_col(ctx, page, d, "file", file);
        out.push(finding(
            "yaml/invalid-manifest",
            &page.file,
            d.pos.line,
            col,
            e.message(),
        ));
        return;
    }
    for p in &paths {
        if let Err(e) = manifest.resolve(p) {
            let col = attr_col(ctx, page, d, "paths", p);
            out.push(finding(
                "yaml/path-not-found",
                &page.file,
                d.pos.line,
                col,
                e.message(),
            ));
        }
    }
    if let Some(z) = zoom_path
        && let Err(e) = manifest.zoom(z, zoom[0], zoom[1])
    {
        let col = attr_col(ctx, page, d, "zoomPath", z);
        out.push(finding(
            "yaml/zoom-path-not-found",
            &page.file,
            d.pos.line,
            col,
            e.message(),
        ));
    }
}

/// The column of `value` inside attribute `attr` on the directive's line.
fn attr_col(ctx: &Ctx<'_>, page: &Page, d: &Directive, attr: &str, value: &str) -> u32 {
    ctx.source_line(page, d.pos.line)
        .and_then(|line| {
            let at = line.find(&format!("{attr}="))?;
            let attr_start = at + attr.len() + 1;
            // The value itself (a path inside `paths`), else the attribute.
            let within = value_end(&line, attr_start);
            let text = &line[attr_start..within];
            // The comma-separated piece that is this value (`paths` may
            // hold one path inside another, as in `spec,spec.x`).
            let mut offset = 0;
            let mut found = None;
            for piece in text.split(',') {
                let lead = piece.len() - piece.trim_start_matches(['"', '\'', ' ']).len();
                if piece.trim_matches(['"', '\'', ' ']) == value {
                    found = Some(offset + lead);
                    break;
                }
                offset += piece.len() + 1;
            }
            found
                .map(|p| line[..attr_start + p].chars().count() as u32 + 1)
                .or_else(|| col_of(&line, attr, at))
        })
        .unwrap_or(d.pos.col)
}

/// Where an attribute value that starts at `start` ends (quoted or bare).
fn value_end(line: &str, start: usize) -> usize {
    let rest = &line[start..];
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(line.len(), |p| start + 1 + p + 1),
        _ => rest
            .find(|c: char| c.is_whitespace() || c == '}')
            .map_or(line.len(), |p| start + p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_end_at_quotes_or_spaces() {
        let l = r#"::yaml{file="a b.yaml" paths=x,y title='t'}"#;
        let s = l.find("file=").unwrap() + 5;
        assert_eq!(&l[s..value_end(l, s)], "\"a b.yaml\"");
        let s = l.find("paths=").unwrap() + 6;
        assert_eq!(&l[s..value_end(l, s)], "x,y");
    }
}
