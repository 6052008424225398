//! Fenced code blocks: the info string's annotations and, for runnable
//! blocks, the commands behind `$ ` prompts.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::limits::Seconds;
use crate::model::{
    ANNOTATION_KEYS, Annotation, AnnotationKind, Annotations, Command, DISPLAY_ANNOTATION_KEYS,
};
use crate::msg;
use crate::shell;

/// Splits an info string into whitespace-separated tokens, keeping quoted
/// values together. Returns (byte offset, token).
fn tokens(info: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let b = info.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let start = i;
        let mut quote = None;
        while i < b.len() {
            match (quote, b[i]) {
                (None, c) if c.is_ascii_whitespace() => break,
                (None, c @ (b'"' | b'\'')) => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            i += 1;
        }
        out.push((start, &info[start..i]));
    }
    out
}

fn unquote(v: &str) -> &str {
    let b = v.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        &v[1..v.len() - 1]
    } else {
        v
    }
}

/// The closest known annotation key, for "did you mean".
pub fn suggest_key(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    ANNOTATION_KEYS
        .iter()
        .map(|k| (k, strsim::jaro_winkler(&lower, &k.to_ascii_lowercase())))
        .filter(|(_, score)| *score >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| *k)
}

/// Parses the info string after the language. `col0` is the column of the
/// info string's first character; `runnable` decides whether unknown keys are
/// reported (other fences belong to the site generator).
pub fn annotations(
    info: &str,
    line: u32,
    col0: u32,
    runnable: bool,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Annotations {
    let mut a = Annotations::default();
    for (offset, tok) in tokens(info) {
        let col = col0 + info[..offset].chars().count() as u32;
        let (key, value) = match tok.split_once('=') {
            Some((k, v)) => (k, Some(unquote(v).to_owned())),
            None => (tok, None),
        };
        let kind = if tok.starts_with('{') || DISPLAY_ANNOTATION_KEYS.contains(&key) {
            AnnotationKind::Display
        } else if ANNOTATION_KEYS.contains(&key) {
            AnnotationKind::Known
        } else {
            AnnotationKind::Unknown
        };
        if kind == AnnotationKind::Known && a.entries.iter().any(|e| e.key == key) {
            diags.push(crate::rules::finding(
                "fence/duplicate-annotation",
                file,
                line,
                col,
                msg!("diag-fence-duplicate-annotation", key = key),
            ));
        }
        if kind == AnnotationKind::Known {
            let bad = |expected: &str, diags: &mut Vec<Diagnostic>| {
                diags.push(crate::rules::finding(
                    "fence/bad-annotation-value",
                    file,
                    line,
                    col,
                    msg!(
                        "diag-fence-bad-annotation-value",
                        key = key,
                        value = value.clone().unwrap_or_default(),
                        expected = expected
                    ),
                ));
            };
            match key {
                "test" | "expectError" | "raw" | "verifyOutput" => {
                    let v = match value.as_deref() {
                        None | Some("true") => Some(true),
                        Some("false") => Some(false),
                        Some(_) => None,
                    };
                    match (key, v) {
                        ("test", Some(v)) => a.test = v,
                        ("expectError", Some(v)) => a.expect_error = v,
                        ("raw", Some(v)) => a.raw = v,
                        ("verifyOutput", Some(v)) => a.verify_output = v,
                        _ => bad("true|false", diags),
                    }
                }
                "timeout" | "wait" | "hookTimeout" => {
                    let kind = if key == "wait" {
                        Seconds::Wait
                    } else {
                        Seconds::Timeout
                    };
                    match value.as_deref().map(|v| kind.parse(v)) {
                        Some(Ok(n)) => match key {
                            "timeout" => a.timeout = Some(n),
                            "wait" => a.wait = Some(n),
                            _ => a.hook_timeout = Some(n),
                        },
                        _ => bad(&kind.expected(), diags),
                    }
                }
                _ => match value.as_deref() {
                    Some(v)
                        if !v.is_empty()
                            && v.chars().all(|c| {
                                c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
                            }) =>
                    {
                        a.hook = Some(v.to_owned());
                    }
                    _ => bad("name", diags),
                },
            }
        } else if kind == AnnotationKind::Unknown && runnable {
            let message = match suggest_key(key) {
                Some(s) => msg!(
                    "diag-fence-unknown-annotation-suggest",
                    key = key,
                    suggestion = s
                ),
                None => msg!(
                    "diag-fence-unknown-annotation",
                    key = key,
                    known = ANNOTATION_KEYS.join(", ")
                ),
            };
            diags.push(crate::rules::finding(
                "fence/unknown-annotation",
                file,
                line,
                col,
                message,
            ));
        }
        a.entries.push(Annotation {
            key: key.to_owned(),
            value,
            col,
            kind,
        });
    }
    a
}

/// What command extraction yields for one block.
pub struct Extracted {
    pub commands: Vec<Command>,
    pub leading_output: Vec<String>,
}

/// Reads commands from a runnable block's code. `first_line` is the source
/// line of the code's first line.
pub fn commands(
    code: &str,
    first_line: u32,
    raw: bool,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Extracted {
    let lines: Vec<&str> = code
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if raw {
        let text = lines.join("\n");
        let commands = if text.trim().is_empty() {
            vec![]
        } else {
            vec![Command {
                line: first_line,
                text,
                output: vec![],
            }]
        };
        return Extracted {
            commands,
            leading_output: vec![],
        };
    }
    let mut commands: Vec<Command> = Vec::new();
    let mut leading_output = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(first) = line.strip_prefix("$ ") else {
            match commands.last_mut() {
                Some(c) => c.output.push(line.to_owned()),
                None => leading_output.push(line.to_owned()),
            }
            i += 1;
            continue;
        };
        let start = first_line + i as u32;
        let mut text = first.to_owned();
        i += 1;
        let mut lexer = shell::Lexer::default();
        let mut ending = lexer.advance(&text);
        while ending.continues() && i < lines.len() {
            text.push('\n');
            text.push_str(lines[i]);
            i += 1;
            ending = lexer.advance(&text);
        }
        let scan = lexer.finish(ending);
        if scan.ending == shell::Ending::OpenQuote {
            diags.push(crate::rules::finding(
                "fence/unterminated-quote",
                file,
                start,
                1,
                msg!("diag-fence-unterminated-quote"),
            ));
        }
        for heredoc in &scan.heredocs {
            loop {
                let Some(body) = lines.get(i) else {
                    diags.push(crate::rules::finding(
                        "fence/unterminated-heredoc",
                        file,
                        start,
                        1,
                        msg!(
                            "diag-fence-unterminated-heredoc",
                            delimiter = heredoc.delimiter.as_str()
                        ),
                    ));
                    break;
                };
                text.push('\n');
                text.push_str(body);
                i += 1;
                if heredoc.is_end(body) {
                    break;
                }
            }
        }
        commands.push(Command {
            line: start,
            text,
            output: vec![],
        });
    }
    for c in &mut commands {
        while c.output.last().is_some_and(|l| l.trim().is_empty()) {
            c.output.pop();
        }
    }
    Extracted {
        commands,
        leading_output,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn extract(code: &str) -> (Vec<Command>, Vec<Diagnostic>) {
        let mut d = vec![];
        let e = commands(code, 10, false, &PathBuf::from("p.md"), &mut d);
        (e.commands, d)
    }

    #[test]
    fn prompts_start_commands_and_other_lines_are_output() {
        let (c, d) = extract("$ kubectl get pods\nNAME   READY\nui-1   1/1\n$ echo done\ndone\n");
        assert!(d.is_empty());
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].line, c[0].text.as_str()), (10, "kubectl get pods"));
        assert_eq!(c[0].output, ["NAME   READY", "ui-1   1/1"]);
        assert_eq!(
            (c[1].line, c[1].output.as_slice()),
            (13, &["done".to_owned()][..])
        );
    }

    #[test]
    fn backslash_continues_a_command() {
        let (c, _) = extract("$ kubectl get pods \\\n    -n ui \\\n    -o wide\nout\n");
        assert_eq!(c[0].text, "kubectl get pods \\\n    -n ui \\\n    -o wide");
        assert_eq!(c[0].output, ["out"]);
    }

    #[test]
    fn heredoc_runs_to_its_delimiter_whatever_it_is() {
        let code = "$ cat <<'MANIFEST' | kubectl apply -f -\nkind: X\n$ not a command\nMANIFEST\nconfigured\n$ ls\n";
        let (c, d) = extract(code);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.len(), 2);
        assert_eq!(
            c[0].text,
            "cat <<'MANIFEST' | kubectl apply -f -\nkind: X\n$ not a command\nMANIFEST"
        );
        assert_eq!(c[0].output, ["configured"]);
        assert_eq!(c[1].line, 15);
    }

    #[test]
    fn tab_stripping_heredoc_ends_on_indented_delimiter() {
        let (c, d) = extract("$ cat <<-EOF\n\thello\n\tEOF\n$ ls\n");
        assert!(d.is_empty());
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn unterminated_heredoc_is_a_diagnostic() {
        let (c, d) = extract("$ cat <<EOF\nline\n");
        assert_eq!(c.len(), 1);
        assert_eq!(d[0].rule, "fence/unterminated-heredoc");
        assert_eq!(d[0].line, 10);
    }

    #[test]
    fn quoted_multiline_argument_continues() {
        let (c, _) = extract("$ kubectl patch x -p '{\n  \"a\": 1\n}'\npatched\n");
        assert_eq!(c[0].text.lines().count(), 3);
        assert_eq!(c[0].output, ["patched"]);
    }

    #[test]
    fn raw_block_is_one_script_even_with_prompts() {
        let mut d = vec![];
        let e = commands(
            "echo a\n$ echo b\n",
            3,
            true,
            &PathBuf::from("p.md"),
            &mut d,
        );
        assert_eq!(e.commands.len(), 1);
        assert_eq!(e.commands[0].text, "echo a\n$ echo b");
        assert_eq!(e.commands[0].line, 3);
    }

    #[test]
    fn crlf_lines_lose_their_carriage_return() {
        let (c, _) = extract("$ echo a\r\na\r\n");
        assert_eq!(c[0].text, "echo a");
        assert_eq!(c[0].output, ["a"]);
    }

    fn annots(info: &str, runnable: bool) -> (Annotations, Vec<Diagnostic>) {
        let mut d = vec![];
        let a = annotations(info, 5, 8, runnable, &PathBuf::from("p.md"), &mut d);
        (a, d)
    }

    #[test]
    fn parses_known_annotations() {
        let (a, d) = annots(
            "wait=30 timeout=600 hook=np-check hookTimeout=\"20\" expectError=true raw=false test=false verifyOutput",
            true,
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(a.verify_output);
        assert_eq!(
            (a.wait, a.timeout, a.hook_timeout),
            (Some(30), Some(600), Some(20))
        );
        assert_eq!(a.hook.as_deref(), Some("np-check"));
        assert!(a.expect_error && !a.raw && !a.test);
        assert_eq!(a.entries[1].col, 16);
        let (a, d) = annots("verifyOutput=false", true);
        assert!(d.is_empty() && !a.verify_output);
        assert_eq!(suggest_key("verifyoutput"), Some("verifyOutput"));
    }

    #[test]
    fn bad_values_and_unknown_keys_are_reported_with_column() {
        let (_, d) = annots("timeout=abc test=maybe expecterror=true", true);
        let rules: Vec<_> = d.iter().map(|d| (d.rule.as_str(), d.col)).collect();
        assert_eq!(
            rules,
            [
                ("fence/bad-annotation-value", 8),
                ("fence/bad-annotation-value", 20),
                ("fence/unknown-annotation", 31)
            ]
        );
        assert!(
            d[2].message
                .args
                .iter()
                .any(|(_, v)| *v == crate::i18n::Arg::from("expectError"))
        );
    }

    #[test]
    fn seconds_out_of_range_are_reported_with_the_range() {
        for info in [
            "timeout=0",
            "hookTimeout=0",
            "timeout=18446744073709551615",
            "timeout=99999999999999999999999",
            "wait=604801",
            "timeout=-1",
        ] {
            let (a, d) = annots(info, true);
            assert_eq!(d.len(), 1, "{info}: {d:?}");
            assert_eq!(d[0].rule, "fence/bad-annotation-value");
            let expected = d[0].message.args.iter().find(|(k, _)| k == "expected");
            assert!(
                matches!(expected, Some((_, crate::i18n::Arg::Str(s))) if s.contains("604800")),
                "{info}: {expected:?}"
            );
            assert_eq!((a.timeout, a.wait, a.hook_timeout), (None, None, None));
        }
        let (a, d) = annots("wait=0 timeout=604800 hookTimeout=1", true);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            (a.wait, a.timeout, a.hook_timeout),
            (Some(0), Some(604800), Some(1))
        );
    }

    #[test]
    fn display_keys_and_highlights_are_not_unknown() {
        let (a, d) = annots("title=\"my file.yaml\" {1,3-4} showLineNumbers", true);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(a.entries[0].value.as_deref(), Some("my file.yaml"));
        assert!(a.entries.iter().all(|e| e.kind == AnnotationKind::Display));
    }

    #[test]
    fn unknown_keys_on_non_runnable_fences_are_kept_silently() {
        let (a, d) = annots("foo=bar", false);
        assert!(d.is_empty());
        assert_eq!(a.unknown().count(), 1);
    }
}
