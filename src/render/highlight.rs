//! Syntax highlighting of code in the HTML site: each line cut into tokens
//! with a small set of classes (`tok-key`, `tok-string`, …) that the
//! stylesheet colours.
//!
//! syntect, because it ships the Sublime Text grammars of every language
//! workshop pages use (bash, YAML, JSON, Python, Go, JavaScript, …) in one
//! precompiled dump, and its `regex-fancy` engine is pure Rust: no C
//! library to build, unlike oniguruma or tree-sitter's per-language C
//! parsers. labrun maps scopes to its own classes instead of using a
//! syntect theme, so the colours are chosen to stay readable on the
//! manifest range tints and the callout backgrounds.

use std::collections::HashMap;
use std::sync::LazyLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// A piece of a line and its class (`None`: plain text).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Token {
    pub class: Option<&'static str>,
    pub text: String,
}

/// Code of one language, highlighted line after line (the state of
/// multi-line constructs carries over).
pub struct Highlighter {
    state: ParseState,
    stack: ScopeStack,
}

/// Fence languages named differently from the grammar.
fn grammar_token(lang: &str) -> &str {
    match lang {
        "shell" | "sh" | "console" | "shell-session" | "zsh" | "terminal" => "bash",
        "yml" => "yaml",
        "jsonc" | "json5" => "json",
        "py" => "python",
        "golang" => "go",
        "js" | "javascript" | "mjs" => "js",
        "ts" | "typescript" => "js",
        "rs" => "rust",
        other => other,
    }
}

impl Highlighter {
    /// A highlighter for a fence's language, if labrun knows it.
    pub fn new(lang: &str) -> Option<Highlighter> {
        let lang = lang.trim().to_ascii_lowercase();
        if lang.is_empty() || matches!(lang.as_str(), "text" | "txt" | "plain" | "output") {
            return None;
        }
        let syntax = SYNTAXES.find_syntax_by_token(grammar_token(&lang))?;
        Some(Highlighter {
            state: ParseState::new(syntax),
            stack: ScopeStack::new(),
        })
    }

    /// The tokens of one line (without its line break).
    pub fn line(&mut self, line: &str) -> Vec<Token> {
        let with_nl = format!("{line}\n");
        let Ok(ops) = self.state.parse_line(&with_nl, &SYNTAXES) else {
            // A grammar that fails keeps the text plain, never loses it.
            return vec![Token {
                class: None,
                text: line.to_owned(),
            }];
        };
        let mut out: Vec<Token> = Vec::new();
        let mut at = 0;
        let push = |out: &mut Vec<Token>, class: Option<&'static str>, text: &str| {
            if text.is_empty() {
                return;
            }
            match out.last_mut() {
                Some(last) if last.class == class => last.text.push_str(text),
                _ => out.push(Token {
                    class,
                    text: text.to_owned(),
                }),
            }
        };
        for (pos, op) in &ops {
            let pos = (*pos).min(line.len());
            if pos > at {
                push(&mut out, class_of(self.stack.as_slice()), &line[at..pos]);
                at = pos;
            }
            let _ = self.stack.apply(op);
        }
        if at < line.len() {
            push(&mut out, class_of(self.stack.as_slice()), &line[at..]);
        }
        out
    }
}

/// The tokens of each line of `text` in `lang`, highlighted as one piece
/// (multi-line constructs carry over); `None` for a language labrun does
/// not highlight. Remembered for the run: a site shows the same manifest
/// and the same commands on many pages (each translation repeats its
/// source's), and highlighting is most of what an HTML page costs.
pub fn text(lang: &str, text: &str) -> Option<std::sync::Arc<Vec<Vec<Token>>>> {
    type Key = (String, String);
    type Cache = std::sync::Mutex<HashMap<Key, Option<std::sync::Arc<Vec<Vec<Token>>>>>>;
    static CACHE: LazyLock<Cache> = LazyLock::new(Default::default);
    let key = (lang.to_owned(), text.to_owned());
    if let Some(hit) = CACHE.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return hit.clone();
    }
    let lines = Highlighter::new(lang)
        .map(|mut h| std::sync::Arc::new(text.split('\n').map(|l| h.line(l)).collect()));
    CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, lines.clone());
    lines
}

/// labrun's class for a scope stack: the innermost scope that has one. A
/// mapping key counts as a key even where the grammar calls it a string
/// (JSON).
fn class_of(stack: &[Scope]) -> Option<&'static str> {
    static KINDS: LazyLock<Vec<(Scope, &'static str)>> = LazyLock::new(|| {
        [
            ("comment", "tok-comment"),
            ("entity.name.tag", "tok-key"),
            ("support.type.property-name", "tok-key"),
            ("string", "tok-string"),
            ("constant.numeric", "tok-number"),
            ("constant.language", "tok-constant"),
            ("constant.character.escape", "tok-constant"),
            ("keyword", "tok-keyword"),
            ("storage", "tok-keyword"),
            ("support.function", "tok-function"),
            ("entity.name.function", "tok-function"),
            ("variable.function", "tok-function"),
            ("variable.parameter.option", "tok-option"),
            ("variable", "tok-variable"),
            ("punctuation.definition.variable", "tok-variable"),
            ("entity.name", "tok-name"),
            ("support", "tok-name"),
        ]
        .into_iter()
        .filter_map(|(s, c)| Scope::new(s).ok().map(|s| (s, c)))
        .collect()
    });
    static KEYS: LazyLock<Vec<Scope>> = LazyLock::new(|| {
        ["meta.mapping.key", "meta.structure.dictionary.key"]
            .into_iter()
            .filter_map(|s| Scope::new(s).ok())
            .collect()
    });
    let in_key = || {
        stack
            .iter()
            .any(|s| KEYS.iter().any(|k| k.is_prefix_of(*s)))
    };
    for scope in stack.iter().rev() {
        if let Some((_, class)) = KINDS.iter().find(|(kind, _)| kind.is_prefix_of(*scope)) {
            return Some(if *class == "tok-string" && in_key() {
                "tok-key"
            } else {
                class
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(lang: &str, lines: &[&str]) -> Vec<Vec<(Option<&'static str>, String)>> {
        let mut h = Highlighter::new(lang).expect(lang);
        lines
            .iter()
            .map(|l| {
                let tokens = h.line(l);
                assert_eq!(
                    tokens.iter().map(|t| t.text.as_str()).collect::<String>(),
                    *l
                );
                tokens.into_iter().map(|t| (t.class, t.text)).collect()
            })
            .collect()
    }

    fn has(tokens: &[(Option<&'static str>, String)], class: &str, text: &str) -> bool {
        tokens
            .iter()
            .any(|(c, t)| *c == Some(class) && t.contains(text))
    }

    #[test]
    fn yaml_keys_values_and_comments() {
        let lines = classes(
            "yaml",
            &[
                "# a comment",
                "metadata:",
                "  name: \"web\"",
                "  replicas: 3",
            ],
        );
        assert!(has(&lines[0], "tok-comment", "a comment"), "{lines:?}");
        assert!(has(&lines[1], "tok-key", "metadata"), "{lines:?}");
        assert!(has(&lines[2], "tok-string", "web"), "{lines:?}");
        assert!(has(&lines[3], "tok-number", "3"), "{lines:?}");
    }

    #[test]
    fn bash_commands_and_json() {
        let lines = classes("bash", &["kubectl get pods -n \"$NS\" # list"]);
        assert!(has(&lines[0], "tok-string", "\""), "{lines:?}");
        assert!(has(&lines[0], "tok-variable", "NS"), "{lines:?}");
        assert!(has(&lines[0], "tok-comment", "list"), "{lines:?}");
        let json = classes("json", &["{\"name\": \"x\", \"n\": 1, \"ok\": true}"]);
        assert!(has(&json[0], "tok-key", "name"), "{json:?}");
        assert!(has(&json[0], "tok-string", "x"), "{json:?}");
        assert!(has(&json[0], "tok-constant", "true"), "{json:?}");
    }

    #[test]
    fn unknown_and_plain_languages_are_not_highlighted() {
        assert!(Highlighter::new("").is_none());
        assert!(Highlighter::new("text").is_none());
        assert!(Highlighter::new("no-such-language").is_none());
        assert!(Highlighter::new("sh").is_some());
        assert!(Highlighter::new("YML").is_some());
    }
}
