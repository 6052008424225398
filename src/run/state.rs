//! The shell state a run carries from block to block: variables (exported or
//! not), shell functions, aliases, `set` and `shopt` options and the working
//! directory. A block's subshell dumps it with bash's own builtins
//! (`declare -p`, `declare -f`, `alias -p`, `set +o`, `shopt -p`); this module
//! splits such a dump into entries and writes the script that brings the
//! session's shell from its old state to the new one, touching only what
//! changed (so a block that changes nothing costs nothing to carry over).

use std::collections::{BTreeMap, BTreeSet};

/// Variables bash maintains itself: read-only, dynamic, or describing the
/// current call stack. Restoring them would fail or do harm.
const SPECIAL_VARS: &[&str] = &[
    "_",
    "BASH",
    "BASHOPTS",
    "BASHPID",
    "BASH_ALIASES",
    "BASH_ARGC",
    "BASH_ARGV",
    "BASH_ARGV0",
    "BASH_CMDS",
    "BASH_COMMAND",
    "BASH_EXECUTION_STRING",
    "BASH_LINENO",
    "BASH_REMATCH",
    "BASH_SOURCE",
    "BASH_SUBSHELL",
    "BASH_VERSINFO",
    "BASH_VERSION",
    "COMP_WORDBREAKS",
    "DIRSTACK",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "EUID",
    "FUNCNAME",
    "GROUPS",
    "HISTCMD",
    "LINENO",
    "PIPESTATUS",
    "PPID",
    "PWD",
    "RANDOM",
    "SECONDS",
    "SHELLOPTS",
    "SHLVL",
    "SRANDOM",
    "UID",
];

/// labrun's own helpers in the session use this prefix.
pub const INTERNAL_PREFIX: &str = "__lr_";

/// `set -o` options the session manages itself.
const MANAGED_OPTIONS: &[&str] = &["monitor"];

/// What a dump record holds, in order, after its `state` tag.
pub const DUMP_FIELDS: usize = 10;

/// One dump, split into comparable parts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShellState {
    pub pwd: String,
    /// Enabled `set -o` options (from `$SHELLOPTS`), without managed ones.
    pub options: BTreeSet<String>,
    /// Enabled `shopt` options (from `$BASHOPTS`).
    pub shopts: BTreeSet<String>,
    /// `alias -p` output as written.
    pub aliases: String,
    /// Function names, with whether each is exported (`export -f`).
    pub function_names: Vec<(String, bool)>,
    /// `declare -f` output as written.
    pub functions: String,
    /// Variable name → its `declare` statement.
    pub vars: BTreeMap<String, Var>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Var {
    /// The flags after `declare`, e.g. `-x`, `-a`, `--`.
    pub flags: String,
    /// The whole statement as bash printed it.
    pub decl: String,
}

/// The end of a block, as its subshell reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dump {
    pub status: i32,
    /// Option names, in the session's first dump only.
    pub names: OptionNames,
    /// The line of the command that failed, 0 when none did.
    pub line: u32,
    pub state: ShellState,
}

/// Parses the fields of a `state` record: status, line, `$PWD`, `$-`,
/// `set +o`, `shopt -p`, `alias -p`, `declare -F`, `declare -f`, `declare -p`.
/// The `set +o` and `shopt -p` listings are only in the session's first dump
/// (they name every option, see [`OptionNames`]); later dumps carry the
/// enabled ones in `$SHELLOPTS` and `$BASHOPTS`, which is much shorter.
pub fn parse_dump(fields: &[Vec<u8>]) -> Option<Dump> {
    if fields.len() != DUMP_FIELDS {
        return None;
    }
    let text = |i: usize| String::from_utf8_lossy(&fields[i]).into_owned();
    let status = text(0).trim().parse().ok()?;
    let line = text(1).trim().parse().unwrap_or(0);
    let flags = text(3);
    let raw_vars = text(9);
    let mut options = BTreeSet::new();
    let mut shopts = BTreeSet::new();
    for stmt in split_statements(&raw_vars) {
        let Some(rest) = stmt.strip_prefix("declare ") else {
            continue;
        };
        let Some((_, assign)) = rest.split_once(' ') else {
            continue;
        };
        let (set, value) = if let Some(v) = assign.strip_prefix("SHELLOPTS=") {
            (&mut options, v)
        } else if let Some(v) = assign.strip_prefix("BASHOPTS=") {
            (&mut shopts, v)
        } else {
            continue;
        };
        set.extend(
            value
                .trim_matches('"')
                .split(':')
                .filter(|o| !o.is_empty() && !MANAGED_OPTIONS.contains(o))
                .map(str::to_owned),
        );
    }
    // The dump function turns tracing off so as not to trace itself; `$-`
    // taken before that tells whether the block left it on.
    if flags.contains('x') {
        options.insert("xtrace".to_owned());
    }
    let function_names = text(7)
        .lines()
        .filter_map(|l| {
            let (flags, name) = l.strip_prefix("declare -")?.split_once(' ')?;
            (!name.is_empty()).then(|| (name.to_owned(), flags.contains('x')))
        })
        .collect();
    Some(Dump {
        status,
        line,
        names: OptionNames::parse(&text(4), &text(5)),
        state: ShellState {
            pwd: text(2),
            options,
            shopts,
            aliases: text(6),
            function_names,
            functions: text(8),
            vars: parse_declarations(&raw_vars),
        },
    })
}

/// Every `set -o` and `shopt` option name of the session's bash.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OptionNames {
    pub set: Vec<String>,
    pub shopt: Vec<String>,
}

impl OptionNames {
    /// From `set +o` and `shopt -p` listings (`set -o errexit`, `shopt -u extglob`).
    pub fn parse(set: &str, shopt: &str) -> OptionNames {
        let last = |t: &str| -> Vec<String> {
            t.lines()
                .filter_map(|l| l.split_whitespace().last())
                .filter(|o| !MANAGED_OPTIONS.contains(o))
                .map(str::to_owned)
                .collect()
        };
        OptionNames {
            set: last(set),
            shopt: last(shopt),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.shopt.is_empty()
    }
}

/// Splits `declare -p` output into statements. Values are quoted (`"…"`,
/// `$'…'`, `'…'`, arrays in parentheses), so a statement ends at a newline
/// outside quotes; older bash versions print raw newlines inside `"…"`.
pub fn parse_declarations(text: &str) -> BTreeMap<String, Var> {
    let mut vars = BTreeMap::new();
    for stmt in split_statements(text) {
        let Some(rest) = stmt.strip_prefix("declare ") else {
            continue;
        };
        let Some((flags, rest)) = rest.split_once(' ') else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| *c != '=' && !c.is_whitespace())
            .collect();
        if name.is_empty()
            || name.starts_with(INTERNAL_PREFIX)
            || SPECIAL_VARS.contains(&name.as_str())
        {
            continue;
        }
        vars.insert(
            name,
            Var {
                flags: flags.to_owned(),
                decl: stmt.to_owned(),
            },
        );
    }
    vars
}

fn split_statements(text: &str) -> Vec<&str> {
    #[derive(PartialEq)]
    enum Q {
        None,
        Double,
        Single,
        Ansi,
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut q = Q::None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match q {
            Q::None => match b {
                b'\n' => {
                    if i > start {
                        out.push(&text[start..i]);
                    }
                    start = i + 1;
                }
                b'"' => q = Q::Double,
                b'\'' => q = Q::Single,
                b'$' if bytes.get(i + 1) == Some(&b'\'') => {
                    q = Q::Ansi;
                    i += 1;
                }
                b'\\' => i += 1,
                _ => {}
            },
            Q::Double | Q::Ansi => match b {
                b'\\' => i += 1,
                b'"' if q == Q::Double => q = Q::None,
                b'\'' if q == Q::Ansi => q = Q::None,
                _ => {}
            },
            Q::Single => {
                if b == b'\'' {
                    q = Q::None;
                }
            }
        }
        i += 1;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

impl ShellState {
    /// The value of a variable as a plain string, for scalars bash printed
    /// in double quotes (enough for labrun's own bookkeeping).
    pub fn scalar(&self, name: &str) -> Option<String> {
        let decl = &self.vars.get(name)?.decl;
        let (_, value) = decl.split_once('=')?;
        let inner = value.strip_prefix('"')?.strip_suffix('"')?;
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            } else {
                out.push(c);
            }
        }
        Some(out)
    }

    /// The script that turns a shell in state `self` into `new`, or `None`
    /// when nothing changed. It runs in the session's top-level shell, so it
    /// must survive the user's options: errexit is off while it runs, and
    /// aliases are not expanded while functions are redefined (their bodies
    /// already hold the expanded text).
    pub fn restore_script(&self, new: &ShellState, names: &OptionNames) -> Option<String> {
        let mut body = String::new();
        if new.pwd != self.pwd && !new.pwd.is_empty() {
            body.push_str(&format!("builtin cd -- {} 2>/dev/null\n", quote(&new.pwd)));
        }
        for (name, old) in &self.vars {
            match new.vars.get(name) {
                None => body.push_str(&unset_var(name, old)),
                Some(v) if v.flags != old.flags => body.push_str(&unset_var(name, old)),
                _ => {}
            }
        }
        for (name, var) in &new.vars {
            if self.vars.get(name).is_none_or(|old| old.decl != var.decl) {
                body.push_str(&global(&var.decl));
                body.push('\n');
            }
        }
        let functions_changed =
            new.functions != self.functions || new.function_names != self.function_names;
        if functions_changed {
            let gone: Vec<String> = self
                .function_names
                .iter()
                .filter(|(n, _)| !new.function_names.iter().any(|(m, _)| m == n))
                .map(|(n, _)| quote(n))
                .collect();
            if !gone.is_empty() {
                body.push_str(&format!("builtin unset -f {}\n", gone.join(" ")));
            }
            body.push_str(&new.functions);
            if !new.functions.ends_with('\n') {
                body.push('\n');
            }
            for (exported, how) in [(true, "-f"), (false, "-n -f")] {
                let names: Vec<String> = new
                    .function_names
                    .iter()
                    .filter(|(_, x)| *x == exported)
                    .map(|(n, _)| quote(n))
                    .collect();
                if !names.is_empty() {
                    body.push_str(&format!("builtin export {how} {}\n", names.join(" ")));
                }
            }
        }
        if new.aliases != self.aliases {
            body.push_str("builtin unalias -a\n");
            body.push_str(&new.aliases);
            if !new.aliases.ends_with('\n') {
                body.push('\n');
            }
        }
        if body.is_empty() && new.options == self.options && new.shopts == self.shopts {
            return None;
        }
        let errexit = "errexit".to_owned();
        let aliases = "expand_aliases".to_owned();
        let mut script = String::new();
        if self.options.contains(&errexit) {
            script.push_str("builtin set +o errexit\n");
        }
        let hide_aliases = functions_changed && self.shopts.contains(&aliases);
        if hide_aliases {
            script.push_str("builtin shopt -u expand_aliases\n");
        }
        script.push_str(&body);
        for name in &names.set {
            let (was, is) = (
                self.options.contains(name) && name != "errexit",
                new.options.contains(name),
            );
            if was != is {
                script.push_str(&format!(
                    "builtin set {}o {name}\n",
                    if is { '-' } else { '+' }
                ));
            }
        }
        for name in &names.shopt {
            let was = self.shopts.contains(name) && !(hide_aliases && *name == aliases);
            let is = new.shopts.contains(name);
            if was != is {
                script.push_str(&format!(
                    "builtin shopt {} {name}\n",
                    if is { "-s" } else { "-u" }
                ));
            }
        }
        Some(script)
    }
}

fn unset_var(name: &str, old: &Var) -> String {
    // `unset -v` on a nameref would unset its target.
    let how = if old.flags.contains('n') { "-n" } else { "-v" };
    format!("builtin unset {how} {} 2>/dev/null\n", quote(name))
}

/// `declare -x A="b"` → `declare -g -x A="b"`: the script may run inside a
/// function, where a plain `declare` would make a local variable. Not
/// `builtin declare`: bash parses `NAME=(…)` compound assignments only when
/// the command word itself is `declare`.
fn global(decl: &str) -> String {
    match decl.strip_prefix("declare ") {
        Some(rest) => format!("declare -g {rest}"),
        None => decl.to_owned(),
    }
}

/// Quotes a string for bash as `$'…'`, which can hold any text on one line.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 3);
    out.push_str("$'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_split_outside_quotes() {
        let text = "declare -- a=$'x\\ny'\ndeclare -a c=([0]=\"1\" [1]=\"2 3\")\ndeclare -- old=\"line\nbreak\"\ndeclare -- e=\"it's \\\"q\\\" \\\\ \\$\"\ndeclare -x PATH=\"/bin\"\ndeclare -- __lr_rc=\"0\"\ndeclare -i RANDOM\ndeclare -- u\ndeclare -A m=([\"q\\\"\"]=\"z\" [k]=\"v v\" )\n";
        let vars = parse_declarations(text);
        let names: Vec<&str> = vars.keys().map(String::as_str).collect();
        assert_eq!(names, ["PATH", "a", "c", "e", "m", "old", "u"]);
        assert_eq!(vars["old"].decl, "declare -- old=\"line\nbreak\"");
        assert_eq!(vars["PATH"].flags, "-x");
        assert_eq!(vars["m"].flags, "-A");
    }

    fn state(vars: &str) -> ShellState {
        ShellState {
            pwd: "/w".into(),
            options: BTreeSet::from(["hashall".to_owned()]),
            shopts: BTreeSet::from(["expand_aliases".to_owned()]),
            vars: parse_declarations(vars),
            ..Default::default()
        }
    }

    fn names() -> OptionNames {
        OptionNames::parse(
            "set -o errexit\nset -o hashall\nset +o monitor\nset +o nounset\n",
            "shopt -s expand_aliases\nshopt -u extglob\n",
        )
    }

    #[test]
    fn nothing_changed_means_no_script() {
        let a = state("declare -- x=\"1\"\n");
        assert_eq!(a.restore_script(&a.clone(), &names()), None);
    }

    #[test]
    fn only_changes_are_restored() {
        let a = state(
            "declare -- x=\"1\"\ndeclare -x Y=\"2\"\ndeclare -- gone=\"3\"\ndeclare -n r=\"x\"\n",
        );
        let mut b = state("declare -- x=\"1\"\ndeclare -- Y=\"2\"\ndeclare -- new=\"4\"\n");
        b.pwd = "/w/sub dir".into();
        let s = a.restore_script(&b, &names()).unwrap();
        assert!(s.starts_with("builtin cd"), "{s}");
        assert!(s.contains("builtin cd -- $'/w/sub dir'"), "{s}");
        assert!(s.contains("builtin unset -v $'gone'"), "{s}");
        assert!(s.contains("builtin unset -n $'r'"), "{s}");
        // Export removed: unset first, then declare again without -x.
        assert!(s.contains("builtin unset -v $'Y'"), "{s}");
        assert!(s.contains("\ndeclare -g -- Y=\"2\""), "{s}");
        assert!(s.contains("\ndeclare -g -- new=\"4\""), "{s}");
        assert!(!s.contains("x=\"1\""), "{s}");
        assert!(!s.contains("builtin set"), "{s}");
    }

    #[test]
    fn options_change_safely() {
        let mut a = state("");
        a.options.insert("errexit".into());
        a.function_names = vec![("f".into(), false)];
        a.functions = "f () \n{ \n    ll\n}\n".into();
        let mut b = a.clone();
        b.options.insert("nounset".into());
        b.shopts.insert("extglob".into());
        b.functions = "f () \n{ \n    ls -l\n}\n".into();
        let s = a.restore_script(&b, &names()).unwrap();
        assert_eq!(
            s,
            "builtin set +o errexit\nbuiltin shopt -u expand_aliases\nf () \n{ \n    ls -l\n}\nbuiltin export -n -f $'f'\nbuiltin set -o errexit\nbuiltin set -o nounset\nbuiltin shopt -s expand_aliases\nbuiltin shopt -s extglob\n"
        );
    }

    #[test]
    fn dumps_parse_and_keep_tracing_on() {
        let f = |s: &str| s.as_bytes().to_vec();
        let fields = vec![
            f("1"),
            f("17"),
            f("/tmp/w"),
            f("hxB"),
            f("set +o errexit\nset +o monitor\nset +o xtrace\n"),
            f("shopt -s expand_aliases\nshopt -u extglob\n"),
            f("alias k='kubectl'\n"),
            f("declare -f greet\ndeclare -fx prepare-environment\n"),
            f("greet () \n{ \n    echo hi\n}\n"),
            f(
                "declare -x LAB=\"a b\"\ndeclare -r SHELLOPTS=\"braceexpand:monitor:nounset\"\ndeclare -r BASHOPTS=\"expand_aliases\"\n",
            ),
        ];
        let d = parse_dump(&fields).unwrap();
        assert_eq!((d.status, d.line), (1, 17));
        assert_eq!(
            d.state.options.iter().collect::<Vec<_>>(),
            ["braceexpand", "nounset", "xtrace"]
        );
        assert_eq!(d.names.set, ["errexit", "xtrace"]);
        assert_eq!(d.names.shopt, ["expand_aliases", "extglob"]);
        assert!(d.state.shopts.contains("expand_aliases"));
        assert_eq!(
            d.state.function_names,
            [
                ("greet".to_owned(), false),
                ("prepare-environment".to_owned(), true)
            ]
        );
        assert_eq!(d.state.scalar("LAB").as_deref(), Some("a b"));
        assert!(parse_dump(&fields[..3]).is_none());
    }

    #[test]
    fn quoting_survives_bash() {
        let s = "it's a \\ \"test\"\n\ttab\x01 ü日本";
        let out = std::process::Command::new("bash")
            .args(["--noprofile", "--norc", "-c"])
            .arg(format!("printf %s {}", quote(s)))
            .output()
            .unwrap();
        assert_eq!(String::from_utf8(out.stdout).unwrap(), s);
    }
}
