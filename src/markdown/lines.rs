//! Byte offsets to 1-based line:column, and line access without line endings.

use crate::model::Pos;

pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        // A final newline does not start another line.
        if starts.len() > 1 && *starts.last().unwrap() == text.len() {
            starts.pop();
        }
        LineIndex { text, starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    pub fn line_count(&self) -> u32 {
        self.starts.len() as u32
    }

    /// The 1-based line holding a byte offset.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset) as u32
    }

    pub fn pos(&self, offset: usize) -> Pos {
        let line = self.line_of(offset);
        let start = self.starts[line as usize - 1];
        let end = offset.min(self.text.len());
        let col = self
            .text
            .get(start..end)
            .map_or(1, |s| s.chars().count() as u32 + 1);
        Pos::new(line, col)
    }

    /// Byte offset where a 1-based line starts (text length past the end).
    pub fn line_start(&self, line: u32) -> usize {
        self.starts
            .get(line as usize - 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// A line's text without `\n` or `\r\n`.
    pub fn line(&self, line: u32) -> &'a str {
        let Some(&start) = self.starts.get(line as usize - 1) else {
            return "";
        };
        let end = self
            .starts
            .get(line as usize)
            .map_or(self.text.len(), |&e| e - 1);
        let s = &self.text[start..end.max(start)];
        s.strip_suffix('\r').unwrap_or(s)
    }

    /// A reader of positions for offsets that come in increasing order:
    /// each column is counted on from the previous one, so many positions
    /// on one long line cost one pass over it, not one each.
    pub fn cursor(&self) -> Cursor<'_, 'a> {
        Cursor {
            idx: self,
            at: 0,
            pos: Pos::new(1, 1),
        }
    }

    /// Column (1-based, in characters) of a byte offset within a line's text.
    pub fn col_in(line_text: &str, byte: usize) -> u32 {
        line_text
            .get(..byte)
            .map_or(1, |s| s.chars().count() as u32 + 1)
    }
}

/// See [`LineIndex::cursor`].
pub struct Cursor<'i, 'a> {
    idx: &'i LineIndex<'a>,
    /// The byte offset of `pos`.
    at: usize,
    pos: Pos,
}

impl Cursor<'_, '_> {
    /// The position of a byte offset (any offset; forward on the same line
    /// is the cheap case).
    pub fn pos(&mut self, offset: usize) -> Pos {
        let offset = offset.min(self.idx.text.len());
        let line = self.idx.line_of(offset);
        let same_line_forward = line == self.pos.line && offset >= self.at;
        let pos = match self.idx.text.get(self.at..offset) {
            Some(between) if same_line_forward => {
                Pos::new(line, self.pos.col + between.chars().count() as u32)
            }
            _ => self.idx.pos(offset),
        };
        (self.at, self.pos) = (offset, pos);
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_in_crlf_and_multibyte_text() {
        let text = "ab\r\nあいう\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line(1), "ab");
        assert_eq!(idx.line(2), "あいう");
        assert_eq!(idx.pos(text.find('う').unwrap()), Pos::new(2, 3));
        assert_eq!(idx.pos(text.len() - 1), Pos::new(3, 1));
        assert_eq!(idx.line(9), "");
    }

    #[test]
    fn a_cursor_gives_the_same_positions() {
        let text = "ab\tあい{{x}}\n\tう{{y}}{{z}}\n{{w}}";
        let idx = LineIndex::new(text);
        let mut c = idx.cursor();
        for (at, _) in text.match_indices("{{") {
            assert_eq!(c.pos(at), idx.pos(at), "{at}");
        }
        // Backwards is allowed too.
        assert_eq!(c.pos(1), idx.pos(1));
    }

    #[test]
    fn final_newline_adds_no_line() {
        assert_eq!(LineIndex::new("a\nb\n").line_count(), 2);
        assert_eq!(LineIndex::new("").line_count(), 1);
    }
}
