//! `labrun lsp` end to end: the real binary over stdio, JSON-RPC with
//! Content-Length framing, on a copy of tests/fixtures/authoring in a git
//! repository made by the test.

mod common;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use common::git;
use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Messages from the server not yet looked at.
    pending: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    fn start(lang: Option<&str>) -> Client {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_labrun"));
        if let Some(l) = lang {
            cmd.args(["--lang", l]);
        }
        let mut child = cmd
            .args(["lsp", "--stdio"])
            .current_dir("/")
            .env("LC_ALL", "C")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("labrun lsp starts");
        let stdin = child.stdin.take().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            loop {
                let mut len = 0;
                loop {
                    let mut header = String::new();
                    if out.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        len = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                out.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            pending: VecDeque::new(),
            next_id: 0,
        }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn recv(&mut self) -> Value {
        match self.incoming.recv_timeout(Duration::from_secs(30)) {
            Ok(v) => v,
            Err(e) => panic!("no answer within 30 s ({e}); unread: {:#?}", self.pending),
        }
    }

    /// Sends a request and returns its result; other messages are kept.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let m = self.recv();
            if m["id"] == id && m.get("method").is_none() {
                assert!(m.get("error").is_none(), "{method}: {m}");
                return m["result"].clone();
            }
            self.pending.push_back(m);
        }
    }

    /// The next server message with this method that `accept` takes.
    fn wait(&mut self, method: &str, accept: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self
            .pending
            .iter()
            .position(|m| m["method"] == method && accept(&m["params"]))
        {
            return self.pending.remove(i).unwrap();
        }
        loop {
            let m = self.recv();
            if m["method"] == method && accept(&m["params"]) {
                return m;
            }
            self.pending.push_back(m);
        }
    }

    /// The latest diagnostics published for `uri` that `accept` takes.
    fn diagnostics(&mut self, uri: &str, accept: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let m = self.wait("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri && accept(p["diagnostics"].as_array().unwrap())
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

fn codes(diags: &[Value]) -> Vec<&str> {
    diags.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

fn md5(bytes: &[u8]) -> String {
    labrun::drift::md5_hex(bytes)
}

/// The fixture in a git repository where the English index page changed
/// after the Japanese one recorded its hash.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/authoring"),
        &root,
    );
    let en = root.join("content/en/lab/index.md");
    let ja = root.join("content/ja/lab/index.md");
    let v1 = std::fs::read(&en).unwrap();
    let ja_text = std::fs::read_to_string(&ja)
        .unwrap()
        .replace("0123456789abcdef0123456789abcdef", &md5(&v1));
    std::fs::write(&ja, ja_text).unwrap();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "first version"]);
    let v2 = String::from_utf8(v1)
        .unwrap()
        .replace("## Deploy\n", "## Deploy\n\nA sentence added later.\n");
    std::fs::write(&en, v2).unwrap();
    git(&root, &["commit", "-qam", "explain more"]);
    (dir, root)
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

#[test]
fn the_server_checks_explains_navigates_completes_and_fixes() {
    let (_dir, root) = project();
    let mut c = Client::start(None);
    let init = c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}, "locale": "en"}),
    );
    let caps = &init["capabilities"];
    assert_eq!(caps["textDocumentSync"], 1, "{init}");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(
        caps["executeCommandProvider"]["commands"][0],
        "labrun.markReviewed"
    );
    c.notify("initialized", json!({}));

    // Diagnostics as you type, on text that is not saved.
    let en = root.join("content/en/lab/index.md");
    let en_uri = uri(&en);
    let saved = std::fs::read_to_string(&en).unwrap();
    let typed = saved
        .replace("in VAR::REGION.", "in VAR::REGON, see [x](nowhere.md).")
        .replace("hook=ready timeout=60", "hook=ready timout=60");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": en_uri, "languageId": "markdown", "version": 1, "text": typed}}),
    );
    let diags = c.diagnostics(&en_uri, |d| d.len() == 3);
    assert_eq!(
        codes(&diags),
        [
            "reference/unknown-variable",
            "link/broken",
            "fence/unknown-annotation"
        ]
    );
    let var = &diags[0];
    assert_eq!(var["severity"], 1);
    assert_eq!(var["source"], "labrun");
    // Line 12 (0-based 11), after "The cluster VAR::CLUSTER_NAME runs in ".
    assert_eq!(var["range"]["start"], pos(11, 38));
    assert_eq!(var["range"]["end"], pos(11, 48));
    assert_eq!(var["data"], json!({"replace": "REGON", "with": "REGION"}));

    // The did-you-mean fixes.
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": en_uri}, "range": var["range"],
               "context": {"diagnostics": [diags[0].clone(), diags[2].clone()]}}),
    );
    let edits: Vec<(String, Value)> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let e = &a["edit"]["changes"][&en_uri][0];
            (
                e["newText"].as_str().unwrap().to_owned(),
                e["range"].clone(),
            )
        })
        .collect();
    assert_eq!(
        edits[0],
        (
            "REGION".to_owned(),
            json!({"start": pos(11, 43), "end": pos(11, 48)})
        )
    );
    assert_eq!(edits[1].0, "timeout");
    assert_eq!(edits[1].1["start"], pos(18, 19));

    // Fixed as typed: the findings go.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": en_uri, "version": 2}, "contentChanges": [{"text": saved}]}),
    );
    c.diagnostics(&en_uri, |d| d.is_empty());

    // Hover: the manifest lines a ::yaml shows, with callout numbers.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": en_uri}, "position": pos(13, 3)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**app.yaml** — `manifests/app.yaml`"),
        "{text}"
    );
    assert!(text.contains("12 ① │   replicas: 3"), "{text}");
    assert!(
        text.contains("17 ② │           image: nginx:1.27"),
        "{text}"
    );
    assert!(text.contains("② The image to run."), "{text}");
    // ::required-time: labrun time's breakdown.
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": en_uri}, "position": pos(5, 5)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Deploying the app"), "{text}");
    assert!(text.contains("lab/next.md"), "{text}");

    // Go to definition: a path, a hook, a variable.
    let def = |c: &mut Client, line, ch| {
        c.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": en_uri}, "position": pos(line, ch)}),
        )
    };
    let image = def(&mut c, 13, 60);
    assert_eq!(image[0]["uri"], uri(&root.join("manifests/app.yaml")));
    assert_eq!(image[0]["range"]["start"], pos(16, 0));
    let file = def(&mut c, 13, 16);
    assert_eq!(
        file[0]["range"]["start"],
        pos(11, 0),
        "the first path's line"
    );
    let hook = def(&mut c, 18, 12);
    assert_eq!(
        hook[0]["uri"],
        uri(&root.join("content/en/lab/tests/hook-ready.sh"))
    );
    let var = def(&mut c, 11, 44);
    assert_eq!(var[0]["uri"], uri(&root.join("labrun.yaml")));
    assert_eq!(var[0]["range"]["start"], pos(2, 0));
    assert_eq!(def(&mut c, 9, 2), Value::Null);

    // Completion: manifest keys, annotations, hook names, variables.
    let typing = format!(
        "{saved}\n::yaml{{file=\"manifests/app.yaml\" paths=\"1.spec.re\n\n```bash ti\n\n```bash hook=\n\nVAR::CL\n"
    );
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": en_uri, "version": 3}, "contentChanges": [{"text": typing}]}),
    );
    let base = saved.lines().count() as u32 + 1;
    let labels = |c: &mut Client, line: u32, ch: u32| -> Vec<String> {
        let r = c.request(
            "textDocument/completion",
            json!({"textDocument": {"uri": en_uri}, "position": pos(line, ch)}),
        );
        r.as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(labels(&mut c, base, 52), ["replicas"]);
    assert_eq!(labels(&mut c, base + 2, 10), ["timeout="]);
    assert_eq!(labels(&mut c, base + 4, 13), ["ready"]);
    assert_eq!(labels(&mut c, base + 6, 7), ["CLUSTER_NAME"]);
    c.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": en_uri}}),
    );

    // A stale translation: a diagnostic on its hash, the source's diff in
    // the hover, and "mark as reviewed" stamping the file on disk.
    let ja = root.join("content/ja/lab/index.md");
    let ja_uri = uri(&ja);
    let ja_text = std::fs::read_to_string(&ja).unwrap();
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": ja_uri, "languageId": "markdown", "version": 1, "text": ja_text}}),
    );
    let diags = c.diagnostics(&ja_uri, |d| !d.is_empty());
    assert_eq!(codes(&diags), ["translation/stale"]);
    assert_eq!(diags[0]["severity"], 2);
    assert_eq!(diags[0]["range"]["start"], pos(3, 0));
    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": ja_uri}, "position": pos(3, 4)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("first version"), "{text}");
    assert!(text.contains("```diff"), "{text}");
    assert!(text.contains("+A sentence added later."), "{text}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": ja_uri}, "range": diags[0]["range"],
               "context": {"diagnostics": diags}}),
    );
    let mark = &actions[0];
    assert_eq!(mark["command"]["command"], "labrun.markReviewed");
    let done = c.request(
        "workspace/executeCommand",
        json!({"command": "labrun.markReviewed", "arguments": mark["command"]["arguments"]}),
    );
    assert!(
        done.as_str().unwrap().contains("marked as reviewed"),
        "{done}"
    );
    let stamped = std::fs::read_to_string(&ja).unwrap();
    let en_hash = md5(&std::fs::read(&en).unwrap());
    assert_eq!(
        stamped,
        ja_text.replace(
            &md5(saved.replace("\nA sentence added later.\n", "").as_bytes()),
            &en_hash
        )
    );
    c.diagnostics(&ja_uri, |d| d.is_empty());

    assert_eq!(c.request("shutdown", Value::Null), Value::Null);
    c.notify("exit", Value::Null);
    let status = c.child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn messages_follow_the_editor_language_and_unsaved_translations_are_stamped_in_the_buffer() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/authoring"),
        &root,
    );
    let mut c = Client::start(None);
    c.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}, "locale": "ja"}),
    );
    c.notify("initialized", json!({}));
    let ja = root.join("content/ja/lab/index.md");
    let ja_uri = uri(&ja);
    let on_disk = std::fs::read_to_string(&ja).unwrap();
    let typed = on_disk.replace("VAR::REGION", "VAR::ZONE");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": ja_uri, "languageId": "markdown", "version": 1, "text": typed}}),
    );
    let diags = c.diagnostics(&ja_uri, |d| d.len() == 2);
    assert_eq!(
        codes(&diags),
        ["reference/unknown-variable", "translation/stale"]
    );
    let msg = diags[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("VAR::ZONE") && msg.contains("labrun.yaml"),
        "{msg}"
    );
    assert!(!msg.is_ascii(), "Japanese: {msg}");
    // The buffer has unsaved changes: the stamp is an edit of the buffer,
    // and the file on disk stays as it is.
    let done = c.request(
        "workspace/executeCommand",
        json!({"command": "labrun.markReviewed", "arguments": [ja_uri]}),
    );
    assert!(done.as_str().unwrap().contains("保存"), "{done}");
    let apply = c.wait("workspace/applyEdit", |_| true);
    let edit = &apply["params"]["edit"]["changes"][&ja_uri][0];
    assert_eq!(edit["range"]["start"]["line"], 3);
    let en_hash = md5(&std::fs::read(root.join("content/en/lab/index.md")).unwrap());
    assert!(
        edit["newText"].as_str().unwrap().contains(&en_hash[..4]),
        "{edit}"
    );
    assert_eq!(std::fs::read_to_string(&ja).unwrap(), on_disk);
}
