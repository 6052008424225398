//! remark-directive lines: `::name[label]{attrs}` (leaf) and
//! `:::name[label]{attrs} title` … `:::` (container).

/// What one line holds.
#[derive(Debug, PartialEq)]
pub enum Line {
    Leaf(Parsed),
    /// Microsoft Docs' `:::image type="content" source="…":::`: a container
    /// opened and closed on one line.
    OneLine(Parsed),
    Open {
        colons: usize,
        parsed: Parsed,
    },
    Close {
        colons: usize,
    },
}

#[derive(Debug, PartialEq)]
pub struct Parsed {
    pub name: String,
    /// Byte offset of the first colon within the line.
    pub indent: usize,
    pub label: Option<String>,
    pub attrs: Vec<(String, String)>,
    /// Byte range of each attribute's value within the line (inside the
    /// quotes), parallel to `attrs`.
    pub spans: Vec<(usize, usize)>,
}

/// A directive-looking line that cannot be read; byte offset within the line.
#[derive(Debug, PartialEq)]
pub struct Malformed {
    pub offset: usize,
    pub what: &'static str,
}

/// Reads a line; `Ok(None)` when it is not a directive line at all.
pub fn parse_line(line: &str) -> Result<Option<Line>, Malformed> {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let colons = rest.len() - rest.trim_start_matches(':').len();
    if colons < 2 {
        return Ok(None);
    }
    let rest = &rest[colons..];
    if colons >= 3 && rest.trim().is_empty() {
        return Ok(Some(Line::Close { colons }));
    }
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Ok(None);
    }
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(rest.len());
    let name = rest[..name_len].to_owned();
    let mut pos = indent + colons + name_len;
    let mut label = None;
    if line[pos..].starts_with('[') {
        let end = closing(line, pos, b'[', b']').ok_or(Malformed {
            offset: pos,
            what: "label",
        })?;
        label = Some(line[pos + 1..end].to_owned());
        pos = end + 1;
    }
    let (mut attrs, mut spans) = (Vec::new(), Vec::new());
    if line[pos..].starts_with('{') {
        let end = attr_end(line, pos)?;
        (attrs, spans) = parse_attrs(line, pos + 1, end)?.into_iter().unzip();
        pos = end + 1;
    }
    let tail = line[pos..].trim();
    if colons == 3 && tail.len() > 3 && tail.ends_with(":::") {
        let label = tail.trim_end_matches(':').trim_end();
        let label = (!label.is_empty()).then(|| label.to_owned());
        // Microsoft Docs writes the attributes bare (`:::image type="content"
        // source="…" alt-text="…":::`); they read as attributes when they
        // parse as such. `alt-text` is prose a translation rewrites, so it
        // becomes the label, which (like a container's title) is prose.
        let (label, attrs, spans) = match (label, attrs.is_empty()) {
            (Some(l), true) => match parse_attrs(&l, 0, l.len()) {
                Ok(parsed) => {
                    // Spans were found in the label: place them in the line.
                    let base = line.find(l.as_str()).unwrap_or(0);
                    let (mut found, mut at): (Vec<_>, Vec<_>) = parsed
                        .into_iter()
                        .map(|(kv, (a, b))| (kv, (a + base, b + base)))
                        .unzip();
                    let alt = found.iter().position(|(k, _)| k == "alt-text").map(|i| {
                        at.remove(i);
                        found.remove(i).1
                    });
                    (alt, found, at)
                }
                Err(_) => (Some(l), attrs, spans),
            },
            (label, _) => (label, attrs, spans),
        };
        return Ok(Some(Line::OneLine(Parsed {
            name,
            indent,
            label,
            attrs,
            spans,
        })));
    }
    let parsed = |label| Parsed {
        name,
        indent,
        label,
        attrs,
        spans,
    };
    if colons == 2 {
        // A leaf directive is the whole line; anything after it makes the line prose.
        if !tail.is_empty() {
            return Ok(None);
        }
        Ok(Some(Line::Leaf(parsed(label))))
    } else {
        let label = label.or_else(|| (!tail.is_empty()).then(|| tail.to_owned()));
        Ok(Some(Line::Open {
            colons,
            parsed: parsed(label),
        }))
    }
}

/// The matching close bracket (nesting, backslash escapes).
fn closing(line: &str, open: usize, o: u8, c: u8) -> Option<usize> {
    let b = line.as_bytes();
    let mut depth = 0;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            x if x == o => depth += 1,
            x if x == c => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The `}` closing an attribute list, honouring quoted values.
fn attr_end(line: &str, open: usize) -> Result<usize, Malformed> {
    let b = line.as_bytes();
    let mut quote = None;
    for (i, &c) in b.iter().enumerate().skip(open + 1) {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'}') => return Ok(i),
            _ => {}
        }
    }
    Err(Malformed {
        offset: open,
        what: if quote.is_some() { "quote" } else { "brace" },
    })
}

/// Attributes with the byte range of each value.
type Attrs = Vec<((String, String), (usize, usize))>;

fn parse_attrs(line: &str, start: usize, end: usize) -> Result<Attrs, Malformed> {
    let b = line.as_bytes();
    let mut attrs = Vec::new();
    let mut i = start;
    while i < end {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let key_start = i;
        while i < end && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        let key = &line[key_start..i];
        if let Some(id) = key.strip_prefix('#') {
            attrs.push((("id".to_owned(), id.to_owned()), (key_start + 1, i)));
            continue;
        }
        if let Some(class) = key.strip_prefix('.') {
            attrs.push((("class".to_owned(), class.to_owned()), (key_start + 1, i)));
            continue;
        }
        if key.is_empty() {
            return Err(Malformed {
                offset: key_start,
                what: "attribute",
            });
        }
        if i >= end || b[i] != b'=' {
            attrs.push(((key.to_owned(), String::new()), (i, i)));
            continue;
        }
        i += 1;
        let value = if i < end && (b[i] == b'"' || b[i] == b'\'') {
            let q = b[i];
            let v_start = i + 1;
            let close = line[v_start..end].find(q as char).ok_or(Malformed {
                offset: i,
                what: "quote",
            })? + v_start;
            i = close + 1;
            (v_start, close)
        } else {
            let v_start = i;
            while i < end && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            (v_start, i)
        };
        attrs.push(((key.to_owned(), line[value.0..value.1].to_owned()), value));
    }
    Ok(attrs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(line: &str) -> Parsed {
        match parse_line(line) {
            Ok(Some(Line::Leaf(p))) => p,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn leaf_with_quoted_commas_and_braces() {
        let p = leaf(
            r#"::yaml{file="manifests/a.yaml" paths="metadata,spec.podSelector,spec.ingress" title="a {b}.yaml"}"#,
        );
        assert_eq!(p.name, "yaml");
        assert_eq!(
            p.attrs[1],
            (
                "paths".into(),
                "metadata,spec.podSelector,spec.ingress".into()
            )
        );
        assert_eq!(p.attrs[2].1, "a {b}.yaml");
    }

    #[test]
    fn leaf_forms() {
        assert_eq!(leaf("::required-time").name, "required-time");
        let p = leaf("::video[A talk]{#intro .wide src=x.mp4 autoplay}");
        assert_eq!(p.label.as_deref(), Some("A talk"));
        assert_eq!(
            p.attrs,
            [
                ("id".into(), "intro".into()),
                ("class".into(), "wide".into()),
                ("src".into(), "x.mp4".into()),
                ("autoplay".into(), "".into())
            ]
        );
        assert_eq!(leaf("::x{k='single quoted'}").attrs[0].1, "single quoted");
    }

    #[test]
    fn containers_open_and_close() {
        match parse_line(":::tip Before you start").unwrap() {
            Some(Line::Open { colons: 3, parsed }) => {
                assert_eq!(parsed.name, "tip");
                assert_eq!(parsed.label.as_deref(), Some("Before you start"));
            }
            other => panic!("{other:?}"),
        }
        match parse_line("::::details[More]").unwrap() {
            Some(Line::Open { colons: 4, parsed }) => {
                assert_eq!(parsed.label.as_deref(), Some("More"))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(parse_line(":::").unwrap(), Some(Line::Close { colons: 3 }));
        assert_eq!(
            parse_line("::::  ").unwrap(),
            Some(Line::Close { colons: 4 })
        );
    }

    #[test]
    fn docs_one_line_container() {
        match parse_line(r#":::image type="content" source="media/a.png" alt-text="A":::"#).unwrap()
        {
            Some(Line::OneLine(p)) => {
                assert_eq!(p.name, "image");
                assert_eq!(p.label.as_deref(), Some("A"));
                assert_eq!(
                    p.attrs,
                    [
                        ("type".to_owned(), "content".to_owned()),
                        ("source".to_owned(), "media/a.png".to_owned()),
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn prose_is_not_a_directive() {
        for line in [
            "VAR::NAME is here",
            "::",
            "::1abc",
            "std::vec",
            ":: not",
            "::name then text",
            "a ::b",
        ] {
            assert_eq!(parse_line(line).unwrap(), None, "{line}");
        }
    }

    #[test]
    fn malformed_attributes_are_errors() {
        assert_eq!(
            parse_line("::yaml{file=\"a.yaml}").unwrap_err().what,
            "quote"
        );
        assert_eq!(parse_line("::yaml{file=a.yaml").unwrap_err().what, "brace");
        assert_eq!(parse_line("::yaml[label").unwrap_err().what, "label");
    }
}
