//! kubectl, labrun's only way to a cluster: any cluster a user can reach
//! with kubectl (EKS, AKS, kind, k3s) works, with the user's own credentials
//! and plugins, and labrun needs no Kubernetes client library.
//!
//! Every call gets the `--kubeconfig`/`--context` the user chose, runs with a
//! hard deadline (the process is killed past it), and reads JSON.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::i18n::Msg;
use crate::msg;

use super::expect::{Scope, Target};

/// Overrides the kubectl program (a path, or a name on PATH), e.g. to use a
/// specific client version.
pub const KUBECTL_ENV: &str = "LABRUN_KUBECTL";

/// How labrun reaches a cluster: the kubectl program and the user's choice
/// of kubeconfig and context.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Kube {
    pub program: PathBuf,
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

impl Default for Kube {
    fn default() -> Self {
        Kube::new(None, None)
    }
}

/// Why a kubectl call gave no usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KubeError {
    /// The program is not installed (not on PATH).
    Missing { program: String },
    /// It could not be started for another reason.
    Spawn { program: String, detail: String },
    /// It ran and failed; `detail` is the end of its error output.
    Failed { command: String, detail: String },
    /// It did not finish in time and was stopped.
    TimedOut { command: String, seconds: u64 },
    /// It succeeded but printed something that is not the JSON asked for.
    BadOutput { command: String, detail: String },
}

impl KubeError {
    pub fn message(&self) -> Msg {
        match self {
            KubeError::Missing { program } => {
                msg!("verify-kube-missing", program = program.as_str())
            }
            KubeError::Spawn { program, detail } => msg!(
                "verify-kube-spawn",
                program = program.as_str(),
                detail = detail.as_str()
            ),
            KubeError::Failed { command, detail } => msg!(
                "verify-kube-failed",
                command = command.as_str(),
                detail = detail.as_str()
            ),
            KubeError::TimedOut { command, seconds } => msg!(
                "verify-kube-timed-out",
                command = command.as_str(),
                seconds = *seconds
            ),
            KubeError::BadOutput { command, detail } => msg!(
                "verify-kube-bad-output",
                command = command.as_str(),
                detail = detail.as_str()
            ),
        }
    }
}

impl std::fmt::Display for KubeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for KubeError {}

/// What a get returned: one named object (None when it does not exist), or
/// the items of a list.
#[derive(Clone, Debug, PartialEq)]
pub enum Fetched {
    One(Option<Value>),
    List(Vec<Value>),
}

impl Kube {
    /// `kubectl` (or `$LABRUN_KUBECTL`) with the given kubeconfig and context.
    pub fn new(kubeconfig: Option<PathBuf>, context: Option<String>) -> Kube {
        let program = std::env::var_os(KUBECTL_ENV)
            .filter(|p| !p.is_empty())
            .map_or_else(|| PathBuf::from("kubectl"), PathBuf::from);
        Kube {
            program,
            kubeconfig,
            context,
        }
    }

    /// The flags every call gets.
    pub fn global_args(&self) -> Vec<OsString> {
        let mut args = Vec::new();
        if let Some(k) = &self.kubeconfig {
            args.push("--kubeconfig".into());
            args.push(k.clone().into_os_string());
        }
        if let Some(c) = &self.context {
            args.push("--context".into());
            args.push(c.into());
        }
        args
    }

    /// The command as a person would type it, for messages.
    pub fn command_line(&self, args: &[&str]) -> String {
        let mut words = vec![self.program.display().to_string()];
        words.extend(
            self.global_args()
                .iter()
                .map(|a| a.to_string_lossy().into_owned()),
        );
        words.extend(args.iter().map(|a| shell_word(a)));
        words.join(" ")
    }

    /// Runs kubectl with `args`, stopping it after `limit`. Its exit status is
    /// the caller's business; only failing to run or to finish is an error.
    pub fn output(&self, args: &[&str], limit: Duration) -> Result<Output, KubeError> {
        let program = self.program.display().to_string();
        let mut all = self.global_args();
        all.extend(args.iter().map(OsString::from));
        // As an OsString, not a Path: duct would read a bare `kubectl` path as
        // `./kubectl`.
        let handle = duct::cmd(self.program.as_os_str().to_owned(), all)
            .stdin_null()
            .stdout_capture()
            .stderr_capture()
            .unchecked()
            .start()
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    KubeError::Missing {
                        program: program.clone(),
                    }
                } else {
                    KubeError::Spawn {
                        program: program.clone(),
                        detail: e.to_string(),
                    }
                }
            })?;
        let deadline = Instant::now() + limit;
        match handle.wait_deadline(deadline) {
            Ok(Some(_)) => handle.into_output().map_err(|e| KubeError::Spawn {
                program,
                detail: e.to_string(),
            }),
            Ok(None) => {
                let _ = handle.kill();
                Err(KubeError::TimedOut {
                    command: self.command_line(args),
                    seconds: limit.as_secs().max(1),
                })
            }
            Err(e) => Err(KubeError::Spawn {
                program,
                detail: e.to_string(),
            }),
        }
    }

    /// Runs kubectl and returns its standard output; a failure carries the
    /// end of its error output.
    pub fn text(&self, args: &[&str], limit: Duration) -> Result<String, KubeError> {
        let out = self.output(args, limit)?;
        if !out.status.success() {
            return Err(KubeError::Failed {
                command: self.command_line(args),
                detail: error_detail(&out.stderr),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Runs kubectl and parses its output as JSON.
    pub fn json(&self, args: &[&str], limit: Duration) -> Result<Value, KubeError> {
        let text = self.text(args, limit)?;
        serde_json::from_str(&text).map_err(|e| KubeError::BadOutput {
            command: self.command_line(args),
            detail: e.to_string(),
        })
    }

    /// Reads the objects an expectation names. Each API request may take
    /// `limit`; kubectl is stopped a little after that.
    pub fn fetch(&self, target: &Target, limit: Duration) -> Result<Fetched, KubeError> {
        let request_timeout = format!("--request-timeout={}s", limit.as_secs().max(1));
        // Values from a hook file are content: each flag value is glued to
        // its flag, and kind and name come after `--`, so that a kind such
        // as `--kubeconfig=evil` (whose exec plugin would run code) is only
        // ever an unknown resource type.
        let selector = target.selector.as_ref().map(|s| format!("--selector={s}"));
        let namespace = match &target.scope {
            Scope::Namespace(ns) => Some(format!("--namespace={ns}")),
            _ => None,
        };
        let mut args: Vec<&str> = vec!["get", "-o", "json", &request_timeout];
        args.extend(selector.as_deref());
        args.extend(namespace.as_deref());
        if matches!(target.scope, Scope::All) {
            args.push("--all-namespaces");
        }
        if target.name.is_some() {
            args.push("--ignore-not-found");
        }
        args.extend(["--", target.kind.as_str()]);
        if let Some(name) = &target.name {
            args.push(name);
        }
        if target.name.is_some() {
            let text = self.text(&args, limit + Duration::from_secs(2))?;
            if text.trim().is_empty() {
                return Ok(Fetched::One(None));
            }
            let value: Value = serde_json::from_str(&text).map_err(|e| KubeError::BadOutput {
                command: self.command_line(&args),
                detail: e.to_string(),
            })?;
            Ok(Fetched::One(Some(value)))
        } else {
            let value = self.json(&args, limit + Duration::from_secs(2))?;
            match value {
                Value::Object(mut map) if map.contains_key("items") => match map.remove("items") {
                    Some(Value::Array(items)) => Ok(Fetched::List(items)),
                    _ => Ok(Fetched::List(Vec::new())),
                },
                // A kind that names one object type still answers with a
                // list; anything else is one object.
                other => Ok(Fetched::List(vec![other])),
            }
        }
    }

    /// Environment variables that make every `kubectl` in a block or a bash
    /// hook use the same kubeconfig and context as labrun's own calls.
    ///
    /// A context cannot be chosen through the environment, but kubectl merges
    /// the files of `KUBECONFIG` and the first `current-context` wins: a small
    /// file naming the context, written into `scratch`, goes first.
    pub fn env(&self, scratch: &Path) -> std::io::Result<Vec<(String, OsString)>> {
        let mut files: Vec<PathBuf> = Vec::new();
        if let Some(c) = &self.context {
            let overlay = scratch.join("labrun-context.kubeconfig");
            let body = format!(
                "apiVersion: v1\nkind: Config\ncurrent-context: {}\n",
                serde_json::to_string(c).expect("a string serializes")
            );
            std::fs::write(&overlay, body)?;
            files.push(overlay);
        }
        if self.context.is_none() && self.kubeconfig.is_none() {
            return Ok(Vec::new());
        }
        let base: Vec<PathBuf> = match &self.kubeconfig {
            Some(k) => vec![absolute(k)],
            None => match std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
                Some(list) => std::env::split_paths(&list).collect(),
                None => home_kubeconfig().into_iter().collect(),
            },
        };
        files.extend(base);
        let joined = std::env::join_paths(&files)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
        Ok(vec![("KUBECONFIG".to_owned(), joined)])
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_owned())
}

fn home_kubeconfig() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".kube").join("config"))
}

/// The useful end of kubectl's error output: its last non-empty lines,
/// without klog's timestamp prefixes.
pub fn error_detail(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let tail = &lines[lines.len().saturating_sub(3)..];
    let detail = tail.join(" / ");
    if detail.is_empty() {
        crate::t!("verify-kube-no-error-output")
    } else {
        detail
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_flags_pass_through() {
        let k = Kube {
            program: "kubectl".into(),
            kubeconfig: Some("/k/config".into()),
            context: Some("lab".into()),
        };
        assert_eq!(
            k.command_line(&["get", "pods", "-l", "app in (a,b)"]),
            "kubectl --kubeconfig /k/config --context lab get pods -l 'app in (a,b)'"
        );
    }

    #[test]
    fn env_puts_the_context_first() {
        let dir = tempfile::tempdir().unwrap();
        let k = Kube {
            program: "kubectl".into(),
            kubeconfig: Some("/k/config".into()),
            context: Some("lab \"x\"".into()),
        };
        let env = k.env(dir.path()).unwrap();
        assert_eq!(env[0].0, "KUBECONFIG");
        let files: Vec<PathBuf> = std::env::split_paths(&env[0].1).collect();
        assert_eq!(files[1], PathBuf::from("/k/config"));
        let overlay = std::fs::read_to_string(&files[0]).unwrap();
        assert!(
            overlay.contains(r#"current-context: "lab \"x\"""#),
            "{overlay}"
        );
        let none = Kube {
            program: "kubectl".into(),
            kubeconfig: None,
            context: None,
        };
        assert!(none.env(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn values_from_hook_files_never_become_kubectl_flags() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let argv = dir.path().join("argv");
        let fake = dir.path().join("kubectl");
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\necho '{{\"items\": []}}'\n",
                argv.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let k = Kube {
            program: fake,
            kubeconfig: None,
            context: None,
        };
        let target = crate::verify::expect::Target {
            kind: "--kubeconfig=evil.yaml".into(),
            name: Some("--as=admin".into()),
            selector: Some("-o".into()),
            scope: Scope::Namespace("--context=other".into()),
        };
        let _ = k.fetch(&target, Duration::from_secs(5));
        let args: Vec<String> = std::fs::read_to_string(&argv)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        let end = args
            .iter()
            .position(|a| a == "--")
            .expect("`--` ends the flags");
        assert_eq!(args[end + 1..], ["--kubeconfig=evil.yaml", "--as=admin"]);
        assert!(args.contains(&"--selector=-o".to_owned()), "{args:?}");
        assert!(
            args.contains(&"--namespace=--context=other".to_owned()),
            "{args:?}"
        );
        for a in &args[..end] {
            assert!(
                !a.starts_with("--kubeconfig") && !a.starts_with("--as"),
                "{args:?}"
            );
        }
    }

    #[test]
    fn a_missing_program_is_its_own_error() {
        let k = Kube {
            program: "/nonexistent/kubectl".into(),
            kubeconfig: None,
            context: None,
        };
        assert!(matches!(
            k.output(&["version"], Duration::from_secs(5)),
            Err(KubeError::Missing { .. })
        ));
    }

    #[test]
    fn slow_programs_are_stopped() {
        let k = Kube {
            program: "sleep".into(),
            kubeconfig: None,
            context: None,
        };
        let start = Instant::now();
        let r = k.output(&["30"], Duration::from_millis(200));
        assert!(matches!(r, Err(KubeError::TimedOut { .. })), "{r:?}");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn error_detail_keeps_the_last_lines() {
        assert_eq!(
            error_detail(b"\nE1 first\n\nerror: the server doesn't have a resource type \"x\"\n"),
            "E1 first / error: the server doesn't have a resource type \"x\""
        );
        assert!(!error_detail(b"").is_empty());
    }
}
