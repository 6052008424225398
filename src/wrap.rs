//! Text laid out for a terminal by display width: CJK characters take two
//! columns and lines may break between them (never before closing
//! punctuation or small kana, never after an opening bracket); other text
//! breaks at spaces. Words longer than a line (URLs, paths) are kept whole
//! so they can still be copied. Used by `render`, help and tables.

/// Scripts written without spaces: a line may break between any two of
/// their characters.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0xAC00..=0xD7AF | 0x20000..=0x2FFFF)
}

/// Characters a Japanese line must not start with (closing punctuation,
/// small kana, the long vowel mark).
pub fn no_break_before(c: char) -> bool {
    "、。，．,.）」』】〉》〕］｝！？!?：；:;ー・…‥ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々"
        .contains(c)
}

/// Characters a line must not end with (opening brackets).
pub fn no_break_after(c: char) -> bool {
    "（「『【〈《〔［｛(".contains(c)
}

/// Words for wrapping: runs between spaces, and single characters of CJK
/// text (line-break rules kept for punctuation).
pub fn cjk_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut prev: Option<char> = None;
    for (i, c) in line.char_indices() {
        if let Some(p) = prev {
            let space_end = p == ' ' && c != ' ';
            let cjk_break = c != ' '
                && p != ' '
                && (is_cjk(c) || is_cjk(p))
                && !no_break_before(c)
                && !no_break_after(p);
            if (space_end || cjk_break) && i > start {
                words.push(textwrap::core::Word::from(&line[start..i]));
                start = i;
            }
        }
        prev = Some(c);
    }
    if start < line.len() {
        words.push(textwrap::core::Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

/// textwrap options for `width` columns with the rules above.
pub fn options(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width.max(1))
        .break_words(false)
        // `network-policies` is one word to copy, not two.
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .word_separator(textwrap::WordSeparator::Custom(cjk_words))
}

/// `text` wrapped to lines of at most `width` columns (indentation
/// included): the first indented by `first` spaces, the others by `rest`.
pub fn lines(text: &str, width: usize, first: usize, rest: usize) -> Vec<String> {
    let (first, rest) = (" ".repeat(first), " ".repeat(rest));
    let opts = options(width)
        .initial_indent(&first)
        .subsequent_indent(&rest);
    textwrap::wrap(text, opts)
        .into_iter()
        .map(|l| l.into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use textwrap::core::display_width;

    #[test]
    fn cjk_text_breaks_between_characters_with_the_line_rules() {
        let words: Vec<&str> = cjk_words("ab cd 日本語。テスト").map(|w| w.word).collect();
        assert_eq!(words, ["ab", "cd", "日", "本", "語。", "テ", "ス", "ト"]);
        let text = "メッセージとコンテンツの言語（en、ja）。省略時、メッセージは環境のロケール、コンテンツはソースロケール";
        let out = lines(text, 30, 0, 4);
        assert!(out.len() > 2, "{out:?}");
        for (i, l) in out.iter().enumerate() {
            assert!(display_width(l) <= 30, "{l}");
            if i > 0 {
                assert!(
                    l.starts_with("    ") && !l[4..].starts_with(no_break_before),
                    "{out:?}"
                );
            }
        }
    }

    #[test]
    fn long_words_stay_whole() {
        let url = "https://example.com/a/very/long/path/that/does/not/fit";
        let out = lines(&format!("see {url} now"), 20, 0, 0);
        assert!(out.contains(&url.to_owned()), "{out:?}");
        let out = lines("apply networking/network-policies now", 20, 0, 0);
        assert!(
            out.iter()
                .any(|l| l.contains("networking/network-policies")),
            "{out:?}"
        );
    }
}
