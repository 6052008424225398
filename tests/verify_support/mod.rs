//! Test support for labrun's cluster tests: the Kubernetes API double of
//! `tests/k8s_double/server.py` on 127.0.0.1, a kubeconfig for it, and the
//! real `kubectl` and `labrun` binaries run against it.
//!
//! kubectl is required: without it these tests fail with a message saying
//! so, they never skip silently.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The kubectl these tests drive; `LABRUN_KUBECTL` may point elsewhere.
pub fn kubectl() -> PathBuf {
    let program = std::env::var_os("LABRUN_KUBECTL")
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("kubectl"), PathBuf::from);
    let found = Command::new(&program)
        .args(["version", "--client", "-o", "json"])
        .output();
    match found {
        Ok(out) if out.status.success() => program,
        other => panic!(
            "these tests need kubectl ({}): {other:?}; install it (Debian: apt-get install kubernetes-client)",
            program.display()
        ),
    }
}

/// A running API double. Dropping it stops the server.
pub struct Double {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
    /// A kubeconfig whose current context `double` points at the server.
    pub kubeconfig: PathBuf,
}

impl Double {
    pub fn start() -> Double {
        Double::start_with(&[])
    }

    /// Starts the server with extra arguments (`--controller-delay 2`).
    pub fn start_with(args: &[&str]) -> Double {
        kubectl();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/k8s_double/server.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .args(args)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 runs the API double");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(l) => l,
            Err(_) => {
                let _ = child.kill();
                panic!("the API double did not start within 20 s");
            }
        };
        let port: u16 = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the API double printed {line:?} instead of its port"));
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        std::fs::write(&kubeconfig, kubeconfig_text(port, "double")).unwrap();
        Double {
            child,
            port,
            dir,
            kubeconfig,
        }
    }

    pub fn server(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Environment for kubectl and labrun: this kubeconfig, and a discovery
    /// cache of the test's own.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("KUBECONFIG".into(), self.kubeconfig.display().to_string()),
            (
                "KUBECACHEDIR".into(),
                self.dir.path().join("cache").display().to_string(),
            ),
        ]
    }

    /// Runs kubectl against the double; panics when it fails.
    pub fn kubectl(&self, args: &[&str]) -> String {
        let out = self.kubectl_output(args);
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn kubectl_output(&self, args: &[&str]) -> Output {
        Command::new(kubectl())
            .args(args)
            .envs(self.env())
            .output()
            .expect("kubectl runs")
    }

    /// The API requests served so far: (method, path, status).
    pub fn requests(&self) -> Vec<(String, String, u16)> {
        let text = self.kubectl(&["get", "--raw", "/_double/requests"]);
        serde_json::from_str(&text).expect("the double lists its requests")
    }

    /// Waits until the double has answered `method path` with `status`.
    pub fn wait_for_request(&self, method: &str, path: &str, status: u16) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if self
                .requests()
                .iter()
                .any(|(m, p, s)| m == method && p == path && *s == status)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("no {method} {path} answered {status} within 30 s");
    }

    /// Runs a shell script (a block's commands) with this cluster's env.
    pub fn bash(&self, script: &str, extra_env: &[(&str, &str)]) -> Output {
        Command::new("bash")
            .args(["-euo", "pipefail", "-c", script])
            .envs(self.env())
            .envs(extra_env.iter().copied())
            .output()
            .expect("bash runs")
    }
}

impl Drop for Double {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A kubeconfig with one cluster at `127.0.0.1:<port>` and a context `name`.
pub fn kubeconfig_text(port: u16, name: &str) -> String {
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: {name}
  cluster:
    server: http://127.0.0.1:{port}
contexts:
- name: {name}
  context:
    cluster: {name}
    user: nobody
    namespace: default
users:
- name: nobody
  user: {{}}
current-context: {name}
"
    )
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The fixture project of these tests.
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verify")
}

/// Runs labrun on the fixture project with the given environment.
pub fn labrun(args: &[&str], env: &[(String, String)]) -> Output {
    let config = fixture().join("labrun.yaml");
    Command::new(env!("CARGO_BIN_EXE_labrun"))
        .arg("--config")
        .arg(&config)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .output()
        .expect("labrun runs")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The commands of the block at `line` of a page, from `labrun plan`:
/// what a run would execute.
pub fn block_script(lab: &str, page_file: &str, line: u32) -> String {
    let out = labrun(&["plan", lab, "--format", "json"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for page in plan["pages"].as_array().unwrap() {
        if page["file"] != page_file {
            continue;
        }
        for block in page["blocks"].as_array().unwrap() {
            if block["line"] == line {
                return block["commands"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| format!("{}\n", c["text"].as_str().unwrap()))
                    .collect();
            }
        }
    }
    panic!("no block at {page_file}:{line} in the plan of {lab}");
}
