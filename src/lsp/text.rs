//! Places in text as the protocol names them: `file://` URIs, 0-based
//! lines and UTF-16 code unit offsets (the protocol's default encoding);
//! labrun's model uses paths, 1-based lines and character columns.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};
use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// Characters escaped in a `file://` URI path (RFC 3986: everything but
/// unreserved characters, `/` and a few sub-delimiters editors leave as is).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The file a `file://` URI names (`None` for other schemes).
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://host/path`: only the local host is ours.
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.strip_prefix("localhost")?
    };
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    Some(PathBuf::from(decoded.as_ref()))
}

/// The `file://` URI of an absolute path.
pub fn uri_of(path: &Path) -> Uri {
    let encoded = utf8_percent_encode(&path.to_string_lossy(), PATH).to_string();
    Uri::from_str(&format!("file://{encoded}")).expect("an encoded path is a valid URI")
}

/// Line `line0` (0-based) of a text, without its line ending.
pub fn line(text: &str, line0: u32) -> &str {
    let l = text.split('\n').nth(line0 as usize).unwrap_or("");
    l.strip_suffix('\r').unwrap_or(l)
}

/// The byte offset of a UTF-16 offset within a line (clamped to it).
pub fn byte_of_utf16(line: &str, character: u32) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= character as usize {
            return i;
        }
        units += c.len_utf16();
    }
    line.len()
}

/// The UTF-16 offset of a byte offset within a line.
pub fn utf16_of_byte(line: &str, byte: usize) -> u32 {
    line.get(..byte.min(line.len()))
        .unwrap_or(line)
        .encode_utf16()
        .count() as u32
}

/// The 1-based character column of a protocol position's offset.
pub fn col_of(line: &str, character: u32) -> u32 {
    line[..byte_of_utf16(line, character)].chars().count() as u32 + 1
}

/// The protocol offset of a 1-based character column.
pub fn utf16_of_col(line: &str, col: u32) -> u32 {
    let byte = line
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    utf16_of_byte(line, byte)
}

/// A range on one line (1-based line, 1-based columns, end exclusive).
pub fn range_on(text_line: &str, line1: u32, start_col: u32, end_col: u32) -> Range {
    let l = line1.saturating_sub(1);
    Range::new(
        Position::new(l, utf16_of_col(text_line, start_col)),
        Position::new(l, utf16_of_col(text_line, end_col)),
    )
}

/// The start of a 1-based line.
pub fn line_start(line1: u32) -> Range {
    let p = Position::new(line1.saturating_sub(1), 0);
    Range::new(p, p)
}

/// One edit turning `old` into `new`: the span between their common
/// prefix and suffix (stamping changes one line).
pub fn minimal_edit(old: &str, new: &str) -> lsp_types::TextEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let (o, n) = (&old[prefix..], &new[prefix..]);
    let suffix = o
        .chars()
        .rev()
        .zip(n.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let start = position_of(old, prefix);
    let end = position_of(old, old.len() - suffix);
    lsp_types::TextEdit::new(Range::new(start, end), n[..n.len() - suffix].to_owned())
}

/// The protocol position of a byte offset in a text.
pub fn position_of(text: &str, byte: usize) -> Position {
    let before = &text[..byte];
    let line0 = before.matches('\n').count() as u32;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position::new(line0, before[line_start..].encode_utf16().count() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip_paths_with_spaces_and_japanese() {
        let p = Path::new("/tmp/a b/日本語/#x.md");
        let u = uri_of(p);
        assert_eq!(
            u.as_str(),
            "file:///tmp/a%20b/%E6%97%A5%E6%9C%AC%E8%AA%9E/%23x.md"
        );
        assert_eq!(path_of(&u).unwrap(), p);
        let local = Uri::from_str("file://localhost/tmp/x.md").unwrap();
        assert_eq!(path_of(&local).unwrap(), Path::new("/tmp/x.md"));
        assert_eq!(
            path_of(&Uri::from_str("untitled:Untitled-1").unwrap()),
            None
        );
    }

    #[test]
    fn columns_count_utf16_units_for_the_protocol() {
        let l = "日本 𝄞 VAR::X";
        // 𝄞 is two UTF-16 units and one character.
        assert_eq!(utf16_of_col(l, 6), 6);
        assert_eq!(col_of(l, 6), 6);
        assert_eq!(col_of(l, 5), 5);
        assert_eq!(byte_of_utf16(l, 100), l.len());
        assert_eq!(line("a\r\nb\n", 0), "a");
        assert_eq!(line("a\r\nb\n", 1), "b");
        assert_eq!(line("a", 5), "");
    }

    #[test]
    fn minimal_edits_cover_the_changed_line_only() {
        let old = "---\ntitle: x\nh: 1\n---\n本文\n";
        let new = "---\ntitle: x\nh: 22\n---\n本文\n";
        let e = minimal_edit(old, new);
        assert_eq!(
            e.range,
            Range::new(Position::new(2, 3), Position::new(2, 4))
        );
        assert_eq!(e.new_text, "22");
        let e = minimal_edit("a\nb\n", "a\nx: y\nb\n");
        assert_eq!(
            (e.range.start, e.range.end),
            (Position::new(1, 0), Position::new(1, 0))
        );
        assert_eq!(e.new_text, "x: y\n");
    }
}
