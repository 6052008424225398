//! Commands as the workshop presents them. labrun runs blocks with
//! `LABRUN_ROOT` set to the project root, so pages write
//! `"$LABRUN_ROOT/manifests/…"`; a reader copies the command into a shell
//! where nothing set that variable. Rendering shows the path as the
//! reader's environment has it instead (`render.title-prefix`, else
//! `render.root`), keeping the command valid shell: a `~/` path is left
//! unquoted where it can be (tilde expansion does not happen inside quotes)
//! and written `$HOME/` where it must stay quoted.

/// The variable labrun exports to every block.
pub const ROOT_VAR: &str = "LABRUN_ROOT";

/// Replaces every `$LABRUN_ROOT` / `${LABRUN_ROOT}` (with the path after
/// it) in `text` by `shown(path)`, where `path` is relative to the project
/// root (`""` for the root itself) and `shown` returns the reader's form.
pub fn replace_root(text: &str, shown: impl Fn(&str) -> String) -> String {
    if !text.contains(ROOT_VAR) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    // The quoting of each nesting level: `$( … )` starts a fresh one, even
    // inside double quotes.
    let mut levels: Vec<Option<char>> = vec![None];
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let quote = *levels.last().unwrap_or(&None);
        if quote != Some('\'')
            && let Some(var_len) = root_var_len(rest)
        {
            let path_len = rest[var_len..]
                .find(|c: char| c.is_whitespace() || "\"'`$;|&<>()\\".contains(c))
                .unwrap_or(rest.len() - var_len);
            let path = &rest[var_len..var_len + path_len];
            let shown = shown(path.trim_start_matches('/'));
            let end = i + var_len + path_len;
            // `"$LABRUN_ROOT/x.yaml"`: the quotes only guarded the variable.
            let whole_quoted = quote == Some('"')
                && out.ends_with('"')
                && text[end..].starts_with('"')
                && is_plain_word(&shown);
            if whole_quoted {
                out.pop();
                out.push_str(&shown);
                if let Some(q) = levels.last_mut() {
                    *q = None;
                }
                i = end + 1;
                continue;
            }
            if quote.is_none() && is_plain_word(&shown) {
                out.push_str(&shown);
            } else if quote.is_none() {
                out.push('"');
                out.push_str(&home_form(&shown));
                out.push('"');
            } else {
                out.push_str(&home_form(&shown));
            }
            i = end;
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        let mut len = c.len_utf8();
        match (quote, c) {
            (Some('\''), '\'') => set_quote(&mut levels, None),
            (Some('\''), _) => {}
            (_, '$') if rest.starts_with("$(") => {
                levels.push(None);
                len = 2;
            }
            (None, ')') if levels.len() > 1 => {
                levels.pop();
            }
            (None, '\'' | '"') => set_quote(&mut levels, Some(c)),
            (Some('"'), '"') => set_quote(&mut levels, None),
            (_, '\\') => {
                // An escaped character changes no quoting.
                len += rest[1..].chars().next().map_or(0, char::len_utf8);
            }
            _ => {}
        }
        out.push_str(&rest[..len]);
        i += len;
    }
    out
}

fn set_quote(levels: &mut [Option<char>], q: Option<char>) {
    if let Some(l) = levels.last_mut() {
        *l = q;
    }
}

/// The length of `$LABRUN_ROOT` or `${LABRUN_ROOT}` at the start of `s`.
fn root_var_len(s: &str) -> Option<usize> {
    let braced = format!("${{{ROOT_VAR}}}");
    if s.starts_with(&braced) {
        return Some(braced.len());
    }
    let plain = s.strip_prefix('$')?.strip_prefix(ROOT_VAR)?;
    let ends = plain
        .chars()
        .next()
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
    ends.then_some(1 + ROOT_VAR.len())
}

/// A word bash takes as it is, tilde expansion included.
fn is_plain_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./~:@%+=,-".contains(c))
}

/// `~/x` as it works inside quotes: `$HOME/x`.
fn home_form(s: &str) -> String {
    match s.strip_prefix("~/") {
        Some(rest) => format!("$HOME/{rest}"),
        None if s == "~" => "$HOME".to_owned(),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(path: &str) -> String {
        match path.strip_prefix("manifests/") {
            Some(rest) => format!("~/environment/ws/{rest}"),
            None if path.is_empty() => "~/ws".to_owned(),
            None => format!("~/ws/{path}"),
        }
    }

    #[test]
    fn quoted_paths_lose_their_quotes_and_keep_working() {
        let r = |t: &str| replace_root(t, shown);
        assert_eq!(
            r(r#"kubectl apply -f "$LABRUN_ROOT/manifests/a/b.yaml""#),
            "kubectl apply -f ~/environment/ws/a/b.yaml"
        );
        assert_eq!(r("cat ${LABRUN_ROOT}/x.txt"), "cat ~/ws/x.txt");
        assert_eq!(r("cd $LABRUN_ROOT && ls"), "cd ~/ws && ls");
        assert_eq!(
            r(r#"envsubst < "$LABRUN_ROOT/manifests/p.yaml" | kubectl apply -f -"#),
            "envsubst < ~/environment/ws/p.yaml | kubectl apply -f -"
        );
    }

    #[test]
    fn inside_a_longer_quoted_string_the_home_form_is_used() {
        assert_eq!(
            replace_root(r#"echo "root: $LABRUN_ROOT/x" done"#, shown),
            r#"echo "root: $HOME/ws/x" done"#
        );
        assert_eq!(
            replace_root(r#"G=$(sed -n 1p "$LABRUN_ROOT/manifests/g.yaml")"#, shown),
            "G=$(sed -n 1p ~/environment/ws/g.yaml)"
        );
        // A command substitution inside double quotes quotes afresh.
        assert_eq!(
            replace_root(
                r#"greet "$(sed -n 1p "$LABRUN_ROOT/manifests/g.yaml")" x"#,
                shown
            ),
            r#"greet "$(sed -n 1p ~/environment/ws/g.yaml)" x"#
        );
        assert_eq!(
            replace_root(r#"echo "a $(cat "$LABRUN_ROOT/f") $LABRUN_ROOT""#, shown),
            r#"echo "a $(cat ~/ws/f) $HOME/ws""#
        );
    }

    #[test]
    fn other_text_is_untouched() {
        for t in [
            "echo $LABRUN_ROOTS",
            "echo '$LABRUN_ROOT'",
            "echo \\\"$HOME\\\"",
            "plain text",
            "LABRUN_ROOT=1 env",
        ] {
            assert_eq!(replace_root(t, shown), t, "{t}");
        }
        let spaced = |_: &str| "~/my ws/x".to_owned();
        assert_eq!(
            replace_root("cat $LABRUN_ROOT/x", spaced),
            r#"cat "$HOME/my ws/x""#
        );
    }
}
