//! Preflight: before a lab that talks to Kubernetes runs, make sure a cluster
//! answers, so that a missing cluster is one clear message (exit 2) instead
//! of every block failing in turn.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::content::Project;
use crate::i18n::Msg;
use crate::model::Lab;
use crate::msg;

use super::kube::{Kube, KubeError};

/// How long the API may take to answer `/version`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// The cluster that answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterInfo {
    /// The context used (`None` when kubectl runs without one, in a Pod).
    pub context: Option<String>,
    pub server: Option<String>,
    /// The API server's `gitVersion`.
    pub version: String,
}

/// Why no cluster can be used. A runner maps every variant to exit code 2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreflightError {
    /// kubectl is not installed.
    KubectlMissing { program: String },
    /// The kubeconfig names no current context (or not the one asked for)
    /// and kubectl cannot reach a cluster without one.
    NoContext { detail: String },
    /// The API server did not answer.
    Unreachable {
        context: Option<String>,
        server: Option<String>,
        detail: String,
    },
}

impl PreflightError {
    /// What went wrong, in the user's language.
    pub fn message(&self) -> Msg {
        match self {
            PreflightError::KubectlMissing { program } => {
                msg!(
                    "verify-preflight-kubectl-missing",
                    program = program.as_str()
                )
            }
            PreflightError::NoContext { detail } => {
                msg!("verify-preflight-no-context", detail = detail.as_str())
            }
            PreflightError::Unreachable {
                context,
                server,
                detail,
            } => msg!(
                "verify-preflight-unreachable",
                context = context.as_deref().unwrap_or("-"),
                server = server.as_deref().unwrap_or("-"),
                detail = detail.as_str()
            ),
        }
    }

    /// The message for `labrun run`, ending with the advice to use
    /// `--dry-run` (or `--context`/`--kubeconfig`).
    pub fn run_message(&self) -> Msg {
        msg!(
            "verify-preflight-run-hint",
            problem = crate::i18n::sentence(&self.message().text(), crate::i18n::lang()),
            hint = msg!("verify-preflight-hint-dry-run").text()
        )
    }
}

impl std::fmt::Display for PreflightError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message())
    }
}

impl std::error::Error for PreflightError {}

/// For `labrun run`: a preflight failure is a usage error (exit 2) whose
/// message suggests `--dry-run`.
impl From<PreflightError> for crate::Error {
    fn from(e: PreflightError) -> Self {
        crate::Error::Usage(e.run_message())
    }
}

/// Checks that the API server of the chosen context answers.
pub fn check(kube: &Kube) -> Result<ClusterInfo, PreflightError> {
    let missing = |e: &KubeError| match e {
        KubeError::Missing { program } => Some(PreflightError::KubectlMissing {
            program: program.clone(),
        }),
        _ => None,
    };
    // The context and its server, for the message; `--minify` honours
    // --context and --kubeconfig and fails when there is no context.
    let view = kube.json(
        &["config", "view", "--minify", "-o", "json"],
        Duration::from_secs(10),
    );
    let (context, server, no_context) = match &view {
        Ok(v) => (
            v.get("current-context")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .or_else(|| kube.context.clone()),
            v.pointer("/clusters/0/cluster/server")
                .and_then(Value::as_str)
                .map(str::to_owned),
            None,
        ),
        Err(e) => {
            if let Some(m) = missing(e) {
                return Err(m);
            }
            (kube.context.clone(), None, Some(detail(e)))
        }
    };
    let timeout = format!("--request-timeout={}s", REQUEST_TIMEOUT.as_secs());
    match kube.json(
        &["get", "--raw", "/version", &timeout],
        REQUEST_TIMEOUT + Duration::from_secs(5),
    ) {
        Ok(v) => Ok(ClusterInfo {
            context,
            server,
            version: v
                .get("gitVersion")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
        }),
        Err(e) => {
            if let Some(m) = missing(&e) {
                return Err(m);
            }
            // Without a context kubectl would try localhost:8080; say what
            // is really wrong.
            match no_context {
                Some(detail) => Err(PreflightError::NoContext { detail }),
                None => Err(PreflightError::Unreachable {
                    context,
                    server,
                    detail: detail(&e),
                }),
            }
        }
    }
}

fn detail(e: &KubeError) -> String {
    match e {
        KubeError::Failed { detail, .. }
        | KubeError::BadOutput { detail, .. }
        | KubeError::Spawn { detail, .. } => detail.clone(),
        other => other.message().text(),
    }
}

/// Whether a lab talks to Kubernetes: a command or a bash hook mentions
/// `kubectl`, a block has a declarative hook, the lab prepares an
/// environment with scripts that do, or the project requires kubectl for
/// `prepare-environment`.
pub fn lab_needs_kubectl(project: &Project, lab: &Lab) -> bool {
    let pages = lab.pages.iter().filter(|p| p.runs());
    for page in pages {
        for block in page.runnable_blocks() {
            if block.commands.iter().any(|c| mentions_kubectl(&c.text)) {
                return true;
            }
            if let Some(name) = &block.annotations.hook {
                let files = project.hook_files(page, name);
                if files.expectations.is_some() {
                    return true;
                }
                if files
                    .script
                    .and_then(|s| std::fs::read_to_string(s).ok())
                    .is_some_and(|text| mentions_kubectl(&text))
                {
                    return true;
                }
            }
        }
        if let Some(suite) = project.suite_hook(&page.locale, page.dir())
            && std::fs::read_to_string(suite).is_ok_and(|t| mentions_kubectl(&t))
        {
            return true;
        }
    }
    if lab.environments.is_empty() {
        return false;
    }
    let pe = &project.config.prepare_environment;
    if pe.requires.iter().any(|r| r == "kubectl") {
        return true;
    }
    lab.environments.iter().any(|id| {
        [&pe.setup, &pe.cleanup].iter().any(|tmpl| {
            let path = project.root().join(tmpl.replace("{id}", id));
            std::fs::read_to_string(path).is_ok_and(|t| mentions_kubectl(&t))
        })
    })
}

/// `kubectl` as a word (not `mykubectlrc`), outside comments.
pub fn mentions_kubectl(script: &str) -> bool {
    // A whole script: heredoc bodies are data, not shell text.
    let code = crate::shell::strip_script_comments(script);
    code.match_indices("kubectl").any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + "kubectl".len()..].chars().next();
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !word(before) && !word(after)
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_quote_inside_a_heredoc_does_not_hide_what_follows() {
        // Read as shell text, the apostrophe would open a quote, so the
        // comment after it would not be one and `kubectl` would count.
        let script = "cat <<EOF\nit's data\nEOF\necho done # kubectl is not used here\n";
        assert!(!mentions_kubectl(script));
        assert!(mentions_kubectl(
            "cat <<EOF\nit's data\nEOF\nkubectl get pods\n"
        ));
    }

    use super::*;

    #[test]
    fn kubectl_as_a_word() {
        assert!(mentions_kubectl("kubectl get pods"));
        assert!(mentions_kubectl("x=$(kubectl get ns -o name)"));
        assert!(mentions_kubectl("/usr/bin/kubectl apply -f x"));
        assert!(!mentions_kubectl("echo hello # kubectl later"));
        assert!(!mentions_kubectl("cat ~/.kubectlrc"));
        assert!(!mentions_kubectl("echo hi"));
    }

    #[test]
    fn messages_suggest_dry_run_for_runs() {
        let e = PreflightError::Unreachable {
            context: Some("lab".into()),
            server: Some("https://127.0.0.1:1".into()),
            detail: "connection refused".into(),
        };
        for lang in crate::i18n::Lang::ALL {
            let text = e.run_message().text_in(lang);
            assert!(text.contains("--dry-run"), "{text}");
            assert!(text.contains("https://127.0.0.1:1"), "{text}");
        }
        assert!(matches!(crate::Error::from(e), crate::Error::Usage(_)));
    }
}
