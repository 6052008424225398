//! `labrun lsp`: a Language Server for the pages of a labrun project, over
//! stdio.
//!
//! Built on lsp-server (rust-analyzer's protocol scaffold) with lsp-types,
//! rather than tower-lsp: labrun's checker is synchronous and parallel with
//! rayon, and lsp-server hands over plain crossbeam channels, so one loop
//! waits on the client and on the file watcher at once with no async
//! runtime (tower-lsp would bring tokio and futures for nothing).
//!
//! The server keeps an incremental [`Workspace`]: an open page's text is
//! checked as typed (the same rules and severities as `labrun check`),
//! files changed on disk are picked up by the same watcher as
//! `check --watch`. Features: [`diagnostics`] (with translation staleness),
//! [`navigate`] (hover, go to definition), [`completion`], [`actions`]
//! (did-you-mean fixes, "mark as reviewed").

mod actions;
mod completion;
mod cursor;
mod diagnostics;
mod navigate;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crossbeam_channel::{Receiver, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, ExecuteCommandOptions,
    HoverProviderCapability, InitializeParams, MessageType, OneOf, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use serde_json::Value;

use crate::check::incremental::Workspace;
use crate::check::normalize;
use crate::check::watch::{Batch, Watcher};
use crate::error::Error;
use crate::i18n::{self, Lang};

/// The command behind the "mark as reviewed" code action.
pub const MARK_REVIEWED: &str = "labrun.markReviewed";

/// An open document: the editor's text.
struct Doc {
    uri: Uri,
    version: i32,
    text: String,
}

pub struct Server {
    conn: Connection,
    ws: Option<Workspace>,
    watcher: Option<Watcher>,
    /// Open documents by normalized path.
    docs: HashMap<PathBuf, Doc>,
    /// What was last published, by normalized path.
    published: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>>,
    /// Findings changed since they were last published.
    dirty: bool,
    /// `--lang` as given: it overrides the client's locale.
    lang_flag: Option<String>,
    next_request: i32,
}

/// Serves one client over stdin and stdout until it exits.
pub fn serve_stdio(lang_flag: Option<String>) -> Result<(), Error> {
    let (conn, io) = Connection::stdio();
    Server::new(conn, lang_flag).run()?;
    io.join().map_err(|e| Error::io(Path::new("<stdio>"), e))
}

fn protocol(e: impl std::fmt::Display) -> Error {
    Error::io(Path::new("<lsp>"), std::io::Error::other(e.to_string()))
}

impl Server {
    pub fn new(conn: Connection, lang_flag: Option<String>) -> Server {
        Server {
            conn,
            ws: None,
            watcher: None,
            docs: HashMap::new(),
            published: BTreeMap::new(),
            dirty: false,
            lang_flag,
            next_request: 0,
        }
    }

    fn capabilities() -> ServerCapabilities {
        ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(
                    [".", ",", "=", ":", "\"", " "].map(str::to_owned).to_vec(),
                ),
                ..Default::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            execute_command_provider: Some(ExecuteCommandOptions {
                commands: vec![MARK_REVIEWED.to_owned()],
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    /// The handshake, then messages until `exit`.
    pub fn run(mut self) -> Result<(), Error> {
        let (id, params) = self.conn.initialize_start().map_err(protocol)?;
        let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
        // Messages in the user's language: --lang, else the editor's.
        if self.lang_flag.is_none()
            && let Some(locale) = &init.locale
        {
            i18n::set_lang(Lang::from_tag(locale));
        }
        let result = serde_json::json!({
            "capabilities": Self::capabilities(),
            "serverInfo": ServerInfo {
                name: "labrun".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            },
        });
        self.conn.initialize_finish(id, result).map_err(protocol)?;
        #[allow(deprecated)] // rootUri is what older clients send
        let root = init
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(init.root_uri.clone())
            .and_then(|u| text::path_of(&u));
        if let Some(root) = root {
            self.open_project(&root);
        }
        self.main_loop()
    }

    /// Loads the project at or above `dir`; an error is shown, not fatal.
    fn open_project(&mut self, dir: &Path) {
        match Workspace::open(None, dir) {
            Ok(ws) => {
                self.watcher = Watcher::new(&ws.watch_dirs()).ok();
                self.ws = Some(ws);
                let open: Vec<(PathBuf, String)> = self
                    .docs
                    .iter()
                    .map(|(p, d)| (p.clone(), d.text.clone()))
                    .collect();
                for (p, t) in open {
                    self.set_buffer(&p, Some(t));
                }
                self.dirty = true;
            }
            Err(e) => self.show(
                MessageType::ERROR,
                crate::t!(
                    "lsp-no-project",
                    dir = dir.display().to_string(),
                    detail = e.message().text()
                ),
            ),
        }
    }

    fn main_loop(&mut self) -> Result<(), Error> {
        let never = crossbeam_channel::never();
        loop {
            let events: Receiver<_> = match &self.watcher {
                Some(w) => w.events().clone(),
                None => never.clone(),
            };
            select! {
                recv(self.conn.receiver) -> msg => {
                    let Ok(msg) = msg else { return Ok(()) };
                    match msg {
                        Message::Request(r) => {
                            if self.conn.handle_shutdown(&r).map_err(protocol)? {
                                return Ok(());
                            }
                            self.request(r);
                        }
                        Message::Notification(n) => self.notification(n),
                        // Answers to our workspace/applyEdit: nothing to do.
                        Message::Response(_) => {}
                    }
                }
                recv(events) -> ev => {
                    let mut batch = Batch::default();
                    if let Ok(ev) = ev {
                        batch.add(ev);
                    }
                    if let Some(w) = &self.watcher {
                        w.settle(&mut batch);
                    }
                    self.files_changed(batch);
                }
            }
            // Publish once the client has said everything it had to say:
            // typing fast, only the last text is checked for the user.
            if self.dirty && self.conn.receiver.is_empty() {
                self.publish();
            }
        }
    }

    fn files_changed(&mut self, batch: Batch) {
        let (Some(ws), Some(w)) = (&mut self.ws, &mut self.watcher) else {
            return;
        };
        if batch.is_empty() {
            return;
        }
        if let Err(e) = w.apply(ws, &batch) {
            self.show(
                MessageType::ERROR,
                crate::t!("check-watch-failed", detail = e.message().text()),
            );
        }
        // A source page saved changes its translations' staleness too.
        self.dirty = true;
    }

    fn set_buffer(&mut self, path: &Path, text: Option<String>) {
        let Some(ws) = &mut self.ws else { return };
        if let Err(e) = ws.set_buffer(path, text) {
            self.show(
                MessageType::ERROR,
                crate::t!("check-watch-failed", detail = e.message().text()),
            );
        }
        self.dirty = true;
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let Some(path) = text::path_of(&p.text_document.uri) else {
                    return;
                };
                let path = normalize(&path);
                if self.ws.is_none() {
                    // A client without a workspace folder: the project
                    // holding the first page opened.
                    if let Some(dir) = path.parent() {
                        self.open_project(dir);
                    }
                }
                self.docs.insert(
                    path.clone(),
                    Doc {
                        uri: p.text_document.uri,
                        version: p.text_document.version,
                        text: p.text_document.text.clone(),
                    },
                );
                self.set_buffer(&path, Some(p.text_document.text));
            }
            notif::DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let Some(path) = text::path_of(&p.text_document.uri).map(|p| normalize(&p)) else {
                    return;
                };
                // Full synchronisation: the last change is the whole text.
                let Some(change) = p.content_changes.into_iter().last() else {
                    return;
                };
                if let Some(doc) = self.docs.get_mut(&path) {
                    doc.version = p.text_document.version;
                    doc.text = change.text.clone();
                }
                self.set_buffer(&path, Some(change.text));
            }
            notif::DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                if let Some(path) = text::path_of(&p.text_document.uri).map(|p| normalize(&p)) {
                    self.docs.remove(&path);
                    self.set_buffer(&path, None);
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, r: Request) {
        let id = r.id.clone();
        let result: Result<Value, (ErrorCode, String)> = match r.method.as_str() {
            req::HoverRequest::METHOD => self.with(r, |s, p: lsp_types::HoverParams| {
                navigate::hover(s, &p.text_document_position_params)
            }),
            req::GotoDefinition::METHOD => self.with(r, |s, p: lsp_types::GotoDefinitionParams| {
                navigate::definition(s, &p.text_document_position_params)
            }),
            req::Completion::METHOD => self.with(r, |s, p: lsp_types::CompletionParams| {
                completion::complete(s, &p.text_document_position)
            }),
            req::CodeActionRequest::METHOD => self.with(r, |s, p: lsp_types::CodeActionParams| {
                actions::code_actions(s, &p)
            }),
            req::ExecuteCommand::METHOD => self.with(r, |s, p: lsp_types::ExecuteCommandParams| {
                actions::execute(s, &p)
            }),
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method {}", r.method),
            )),
        };
        let response = match result {
            Ok(v) => Response::new_ok(id, v),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        };
        let _ = self.conn.sender.send(Message::Response(response));
    }

    /// Decodes a request's parameters and encodes the handler's answer.
    fn with<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        &mut self,
        r: Request,
        f: impl FnOnce(&mut Self, P) -> Option<R>,
    ) -> Result<Value, (ErrorCode, String)> {
        let params: P = serde_json::from_value(r.params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        Ok(serde_json::to_value(f(self, params)).unwrap_or(Value::Null))
    }

    fn show(&self, typ: MessageType, message: String) {
        let n = Notification::new(
            notif::ShowMessage::METHOD.to_owned(),
            ShowMessageParams { typ, message },
        );
        let _ = self.conn.sender.send(Message::Notification(n));
    }

    /// Sends a request to the client (whose answer is not awaited).
    fn send_request<P: serde::Serialize>(&mut self, method: &str, params: P) {
        self.next_request += 1;
        let r = Request::new(
            RequestId::from(format!("labrun-{}", self.next_request)),
            method.to_owned(),
            params,
        );
        let _ = self.conn.sender.send(Message::Request(r));
    }

    /// The text of a page: the editor's when open, else the file's.
    fn text_of(&self, path: &Path) -> Option<String> {
        match self.docs.get(&normalize(path)) {
            Some(d) => Some(d.text.clone()),
            None => std::fs::read(path)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned()),
        }
    }

    /// Publishes the diagnostics of every file whose findings changed.
    fn publish(&mut self) {
        self.dirty = false;
        let Some(ws) = &self.ws else { return };
        let now = diagnostics::collect(ws, &|p| self.text_of(p), self.docs.keys());
        for (path, diags) in &now {
            if self.published.get(path) != Some(diags) {
                self.send_diagnostics(path, diags.clone());
            }
        }
        let gone: Vec<PathBuf> = self
            .published
            .keys()
            .filter(|p| !now.contains_key(*p))
            .cloned()
            .collect();
        for path in gone {
            self.send_diagnostics(&path, Vec::new());
        }
        self.published = now;
    }

    fn send_diagnostics(&self, path: &Path, diagnostics: Vec<lsp_types::Diagnostic>) {
        let (uri, version) = match self.docs.get(path) {
            Some(d) => (d.uri.clone(), Some(d.version)),
            None => (text::uri_of(path), None),
        };
        let n = Notification::new(
            notif::PublishDiagnostics::METHOD.to_owned(),
            lsp_types::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
        let _ = self.conn.sender.send(Message::Notification(n));
    }
}
