//! Just enough shell lexing to read commands out of documentation: where a
//! command line continues, which heredocs it opens, and where its comments
//! are. Quoting is honoured so that a `#`, `<<` or `\` inside quotes means
//! nothing special.

/// A heredoc redirection (`<<EOF`, `<<-'END'`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter with quotes removed.
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from body lines and the delimiter line.
    pub strip_tabs: bool,
}

impl Heredoc {
    /// Whether a body line ends this heredoc.
    pub fn is_end(&self, line: &str) -> bool {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let line = if self.strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        line == self.delimiter
    }
}

/// How a piece of shell text ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    Complete,
    /// Inside `'…'` or `"…"` that has not been closed.
    OpenQuote,
    /// A trailing backslash joins the next line.
    Backslash,
    /// A trailing `|`, `&&` or `||` expects another command.
    Operator,
}

impl Ending {
    pub fn continues(self) -> bool {
        self != Ending::Complete
    }
}

/// What [`scan`] learns about a logical command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scan {
    pub heredocs: Vec<Heredoc>,
    pub ending: Ending,
    /// Byte ranges of comments (from `#` to the end of its line).
    pub comments: Vec<std::ops::Range<usize>>,
}

fn is_word_break(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

/// Lexes shell text (one or more lines of one command, without heredoc bodies).
pub fn scan(text: &str) -> Scan {
    let mut lexer = Lexer::default();
    let ending = lexer.advance(text);
    lexer.finish(ending)
}

/// [`scan`] for a text that grows a line at a time (a command continued
/// over many lines): each call lexes only what was appended since the last,
/// so a command of n lines costs O(n), not O(n²) as scanning it again per
/// line would (a page with an unterminated quote must not stall `check`).
#[derive(Clone, Debug, Default)]
pub struct Lexer {
    /// How far the text has been read.
    pos: usize,
    quote: Option<u8>,
    heredocs: Vec<Heredoc>,
    comments: Vec<std::ops::Range<usize>>,
}

impl Lexer {
    /// Reads `text` from where the last call stopped (`text` must start
    /// with what was given before) and tells how it ends so far.
    pub fn advance(&mut self, text: &str) -> Ending {
        let b = text.as_bytes();
        let mut i = self.pos;
        while i < b.len() {
            let c = b[i];
            match self.quote {
                Some(b'\'') => {
                    if c == b'\'' {
                        self.quote = None;
                    }
                    i += 1;
                }
                Some(_) => {
                    if c == b'\\' {
                        i += 2;
                    } else {
                        if c == b'"' {
                            self.quote = None;
                        }
                        i += 1;
                    }
                }
                None => match c {
                    b'\\' => i += 2,
                    b'\'' | b'"' => {
                        self.quote = Some(c);
                        i += 1;
                    }
                    b'#' if i == 0 || is_word_break(b[i - 1]) => {
                        let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                        self.comments.push(i..end);
                        i = end;
                    }
                    // A here-string (`<<<`) is a single word, not a heredoc.
                    b'<' if b.get(i + 1) == Some(&b'<') && b.get(i + 2) == Some(&b'<') => i += 3,
                    b'<' if b.get(i + 1) == Some(&b'<') => {
                        i += 2;
                        let strip_tabs = b.get(i) == Some(&b'-');
                        if strip_tabs {
                            i += 1;
                        }
                        while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                            i += 1;
                        }
                        let (delimiter, next) = heredoc_word(text, i);
                        if !delimiter.is_empty() {
                            self.heredocs.push(Heredoc {
                                delimiter,
                                strip_tabs,
                            });
                        }
                        i = next.max(i + usize::from(next == i));
                    }
                    _ => i += 1,
                },
            }
        }
        self.pos = i;
        self.ending(text)
    }

    /// How the text read so far ends: looks only at its last line.
    fn ending(&self, text: &str) -> Ending {
        let line = text.trim_end_matches('\r');
        let ends_in_comment = self.comments.last().is_some_and(|r| r.end >= line.len());
        let code = match self.comments.last() {
            Some(r) if ends_in_comment => &text[..r.start],
            _ => line,
        };
        let trailing_backslashes = line.len() - line.trim_end_matches('\\').len();
        if self.quote.is_some() {
            Ending::OpenQuote
        } else if !ends_in_comment && trailing_backslashes % 2 == 1 {
            Ending::Backslash
        } else if code.trim_end().ends_with('|') || code.trim_end().ends_with("&&") {
            Ending::Operator
        } else {
            Ending::Complete
        }
    }

    /// The scan of everything read, given its last [`Lexer::advance`].
    pub fn finish(self, ending: Ending) -> Scan {
        Scan {
            heredocs: self.heredocs,
            ending,
            comments: self.comments,
        }
    }
}

/// Reads a heredoc delimiter word starting at `i`, removing quotes.
fn heredoc_word(text: &str, mut i: usize) -> (String, usize) {
    let b = text.as_bytes();
    let mut word = Vec::new();
    while i < b.len() && !is_word_break(b[i]) {
        match b[i] {
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    word.push(b[i]);
                    i += 1;
                }
                i += 1;
            }
            b'\\' => {
                if let Some(&n) = b.get(i + 1) {
                    word.push(n);
                }
                i += 2;
            }
            c => {
                word.push(c);
                i += 1;
            }
        }
    }
    (String::from_utf8_lossy(&word).into_owned(), i.min(b.len()))
}

/// The text with its comments removed and trailing blanks of each line trimmed.
/// `echo "a # b" # note` becomes `echo "a # b"`.
pub fn strip_comments(text: &str) -> String {
    let scan = scan(text);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for r in &scan.comments {
        out.push_str(&text[last..r.start]);
        last = r.end;
    }
    out.push_str(&text[last..]);
    out.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A whole script (one extracted command with its heredoc bodies, or a
/// `raw=true` block) with its comments removed: shell text goes through
/// [`strip_comments`], heredoc bodies are data and stay as written (only a
/// trailing `\r` and trailing blanks are dropped). [`strip_comments`] alone
/// would read a body line such as `it's # not shell` as shell text.
pub fn strip_script_comments(text: &str) -> String {
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut segment = lines[i].to_owned();
        i += 1;
        let mut lexed = scan(&segment);
        while lexed.ending.continues() && i < lines.len() {
            segment.push('\n');
            segment.push_str(lines[i]);
            i += 1;
            lexed = scan(&segment);
        }
        let code = strip_comments(&segment);
        if !code.is_empty() {
            out.push(code);
        }
        for heredoc in &lexed.heredocs {
            while i < lines.len() {
                let body = lines[i];
                i += 1;
                out.push(body.trim_end().to_owned());
                if heredoc.is_end(body) {
                    break;
                }
            }
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delims(text: &str) -> Vec<(String, bool)> {
        scan(text)
            .heredocs
            .into_iter()
            .map(|h| (h.delimiter, h.strip_tabs))
            .collect()
    }

    #[test]
    fn finds_heredocs_in_every_form() {
        assert_eq!(delims("cat <<EOF > f"), [("EOF".into(), false)]);
        assert_eq!(delims("cat <<'END'"), [("END".into(), false)]);
        assert_eq!(delims("cat << \"X Y\""), [("X Y".into(), false)]);
        assert_eq!(
            delims("cat <<-EOT | kubectl apply -f -"),
            [("EOT".into(), true)]
        );
        assert_eq!(delims("cat <<\\EOF"), [("EOF".into(), false)]);
        assert_eq!(
            delims("paste <<A <<B"),
            [("A".into(), false), ("B".into(), false)]
        );
    }

    #[test]
    fn ignores_heredoc_lookalikes() {
        assert!(delims("cat <<< \"$x\"").is_empty());
        assert!(delims("echo 'a <<EOF'").is_empty());
        assert!(delims("echo \"<<EOF\"").is_empty());
        assert!(delims("echo hi # see <<EOF").is_empty());
    }

    #[test]
    fn detects_continuations() {
        assert_eq!(scan("kubectl get pods \\").ending, Ending::Backslash);
        assert_eq!(scan("echo a\\\\").ending, Ending::Complete);
        assert_eq!(scan("echo 'a \\").ending, Ending::OpenQuote);
        assert_eq!(scan("kubectl patch -p '{").ending, Ending::OpenQuote);
        assert_eq!(scan("kubectl get pods |").ending, Ending::Operator);
        assert_eq!(scan("make && ").ending, Ending::Operator);
        assert_eq!(scan("echo done # all \\").ending, Ending::Complete);
        assert_eq!(scan("echo \"a\" 'b'").ending, Ending::Complete);
    }

    #[test]
    fn strips_comments_but_not_quoted_hashes() {
        assert_eq!(strip_comments("echo \"a # b\" # note"), "echo \"a # b\"");
        assert_eq!(strip_comments("echo 'x#y' #c"), "echo 'x#y'");
        assert_eq!(strip_comments("# whole line\nls"), "ls");
        assert_eq!(strip_comments("echo a#b"), "echo a#b");
        assert_eq!(strip_comments("echo \\# not"), "echo \\# not");
        assert_eq!(strip_comments("echo ${#arr[@]}"), "echo ${#arr[@]}");
    }

    #[test]
    fn heredoc_end_respects_tab_stripping() {
        let h = Heredoc {
            delimiter: "EOF".into(),
            strip_tabs: true,
        };
        assert!(h.is_end("\t\tEOF"));
        assert!(h.is_end("EOF\r"));
        let h = Heredoc {
            delimiter: "EOF".into(),
            strip_tabs: false,
        };
        assert!(!h.is_end("\tEOF"));
        assert!(!h.is_end("EOF "));
    }

    #[test]
    fn script_comments_spare_heredoc_bodies() {
        let script = "cat <<'EOF' > a.yaml # write it\n# it's data\nkey: v # kept\nEOF\n# next\nls -l  # list";
        assert_eq!(
            strip_script_comments(script),
            "cat <<'EOF' > a.yaml\n# it's data\nkey: v # kept\nEOF\nls -l"
        );
        // A translated comment changes nothing; a changed quoted `#` does.
        assert_eq!(
            strip_script_comments("echo \"a # b\" # note"),
            strip_script_comments("echo \"a # b\" # メモ")
        );
        assert_ne!(
            strip_script_comments("echo \"a # b\""),
            strip_script_comments("echo \"a # c\"")
        );
        assert_eq!(strip_script_comments("# only a comment"), "");
        assert_eq!(
            strip_script_comments("kubectl get pods \\\r\n  -n ui # ns\r\n"),
            "kubectl get pods \\\n  -n ui"
        );
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        /// A shell word: plain, single- or double-quoted (quotes may hold `#`).
        fn word() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-z0-9./=-]{1,8}",
                "[a-z #]{0,8}".prop_map(|w| format!("'{w}'")),
                "[a-z #]{0,8}".prop_map(|w| format!("\"{w}\"")),
            ]
        }

        fn command() -> impl Strategy<Value = String> {
            prop::collection::vec(word(), 1..6).prop_map(|w| w.join(" "))
        }

        proptest! {
            #[test]
            fn trailing_comments_never_change_a_command(
                cmd in command(),
                comment in "[^\n\r]{0,20}",
            ) {
                prop_assert_eq!(
                    strip_script_comments(&format!("{cmd} # {comment}")),
                    strip_script_comments(&cmd)
                );
                prop_assert_eq!(
                    strip_script_comments(&format!("# {comment}\n{cmd}")),
                    strip_script_comments(&cmd)
                );
            }

            #[test]
            fn lexing_line_by_line_reads_what_one_scan_reads(
                lines in prop::collection::vec(
                    prop::sample::select(vec![
                        "echo 'a", "b' \\", "\"x # y", "z\"", "a |", "&& b", "# c", "cat <<EOF",
                        "x \\\\", "\\", "'", "\"", "echo hi # note", "<<-'E O'", "",
                    ]),
                    1..12,
                ),
            ) {
                let mut lexer = Lexer::default();
                let mut text = String::new();
                let mut ending = Ending::Complete;
                for (i, l) in lines.iter().enumerate() {
                    if i > 0 {
                        text.push('\n');
                    }
                    text.push_str(l);
                    ending = lexer.advance(&text);
                    prop_assert_eq!(ending, scan(&text).ending, "{:?}", text);
                }
                prop_assert_eq!(lexer.finish(ending), scan(&text));
            }

            #[test]
            fn quoted_text_is_never_a_comment(a in "[a-z ]{0,6}", b in "[a-z ]{0,6}") {
                let x = strip_script_comments(&format!("echo \"{a}#{b}\""));
                prop_assert_eq!(x, format!("echo \"{a}#{b}\""));
            }
        }
    }
}
