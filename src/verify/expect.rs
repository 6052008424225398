//! Declarative hooks: `tests/hook-NAME.yaml`, lists of expectations about
//! cluster objects for the `before` and `after` phases of a block.
//!
//! ```yaml
//! timeout: 10                       # default for every expectation (seconds)
//! before:
//!   - resource: networkpolicy/default-deny
//!     namespace: shop-ui
//!     absent: true
//! after:
//!   - resource: networkpolicy/default-deny
//!     namespace: shop-ui
//!     timeout: 30
//!     jsonpath: $.spec.policyTypes[0]
//!     equals: Ingress
//!   - resource: pod
//!     selector: app.kubernetes.io/component=service
//!     namespace: shop-catalog
//!     count: {atLeast: 1}
//! ```
//!
//! Files are read with positions ([`crate::yaml`]) and checked by hand rather
//! than through serde, because every problem must name its line and the
//! rules between keys (exactly one target, operators need a path, …) are
//! where authors go wrong.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use serde::Serialize;
use serde_json::Value;
use serde_json_path::JsonPath;

use crate::diag::Diagnostic;
use crate::i18n::Msg;
use crate::model::Pos;
use crate::msg;
use crate::yaml::{self, YNode, YValue};

/// A declarative hook file, parsed and valid.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HookSpec {
    pub file: PathBuf,
    pub before: Vec<Expectation>,
    pub after: Vec<Expectation>,
}

impl HookSpec {
    pub fn phase(&self, phase: Phase) -> &[Expectation] {
        match phase {
            Phase::Before => &self.before,
            Phase::After => &self.after,
        }
    }
}

/// When a hook's expectations are checked: before its block runs, or after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Before,
    After,
}

impl Phase {
    pub fn key(self) -> &'static str {
        match self {
            Phase::Before => "before",
            Phase::After => "after",
        }
    }
}

/// One expectation: which objects, and what must hold of them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Expectation {
    /// Line of the list item in the hook file.
    pub line: u32,
    pub target: Target,
    /// How long to keep polling until it holds; zero checks once.
    #[serde(serialize_with = "secs")]
    pub timeout: Duration,
    /// What must hold of each object (none: that it exists).
    pub predicate: Option<Predicate>,
    pub quantity: Quantity,
    /// The author's explanation, shown when the expectation fails.
    pub message: Option<String>,
}

fn secs<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// The objects an expectation looks at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Target {
    /// As kubectl accepts it: `networkpolicy`, `netpol`, `deployments.apps`.
    pub kind: String,
    /// `kind/name` names one object; without it the target is a list.
    pub name: Option<String>,
    /// A label selector, for lists.
    pub selector: Option<String>,
    pub scope: Scope,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "scope", content = "namespace")]
pub enum Scope {
    /// The namespace of the kubeconfig context (or none, for cluster-scoped kinds).
    Default,
    Namespace(String),
    /// `allNamespaces: true`.
    All,
}

impl Target {
    /// kubectl-like words for reports: `networkpolicy/default-deny -n shop-ui`.
    pub fn describe(&self) -> String {
        let mut s = match &self.name {
            Some(n) => format!("{}/{}", self.kind, n),
            None => self.kind.clone(),
        };
        if let Some(sel) = &self.selector {
            s.push_str(&format!(" -l {sel}"));
        }
        match &self.scope {
            Scope::Default => {}
            Scope::Namespace(ns) => s.push_str(&format!(" -n {ns}")),
            Scope::All => s.push_str(" -A"),
        }
        s
    }
}

/// What must hold of one object.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum Predicate {
    /// The values an RFC 9535 JSONPath selects pass a test.
    Path { path: JsonPath, test: ValueTest },
    /// `status.conditions[type=…].status` equals `status`.
    Condition {
        #[serde(rename = "condition")]
        kind: String,
        status: String,
    },
}

/// Operators on the values a path selects; every one given must hold for
/// every value (and the path must select at least one).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueTest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "regex_text")]
    pub matches: Option<Pattern>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contains: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

/// A compiled regular expression that compares by its source text.
#[derive(Clone, Debug)]
pub struct Pattern(pub Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

fn regex_text<S: serde::Serializer>(p: &Option<Pattern>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_str(p.0.as_str()),
        None => s.serialize_none(),
    }
}

impl ValueTest {
    pub fn is_empty(&self) -> bool {
        *self == ValueTest::default()
    }
}

/// How many objects must be there (and pass the predicate).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum Quantity {
    /// A named object exists; for a list, at least one object matches and
    /// every one passes the predicate.
    Exists,
    /// The named object, or every object of the list, is absent.
    Absent,
    /// The number of listed objects passing the predicate.
    Count(CountTest),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CountTest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equals: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_least: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_most: Option<u64>,
}

impl CountTest {
    pub fn holds(&self, n: u64) -> bool {
        self.equals.is_none_or(|e| n == e)
            && self.at_least.is_none_or(|e| n >= e)
            && self.at_most.is_none_or(|e| n <= e)
    }
}

const TOP_KEYS: [&str; 3] = ["before", "after", "timeout"];
const ITEM_KEYS: [&str; 16] = [
    "resource",
    "namespace",
    "allNamespaces",
    "selector",
    "timeout",
    "message",
    "exists",
    "absent",
    "jsonpath",
    "equals",
    "matches",
    "contains",
    "atLeast",
    "atMost",
    "condition",
    "count",
];
const VALUE_OPS: [&str; 5] = ["equals", "matches", "contains", "atLeast", "atMost"];
/// An hour: longer waits are typos (`timeout: 300000`), and a run must end.
const MAX_TIMEOUT: f64 = 3600.0;

static KIND_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z0-9-]*(\.[A-Za-z0-9-]+)*$").unwrap());
static NAME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9]([A-Za-z0-9._:@-]*[A-Za-z0-9])?$").unwrap());
static NAMESPACE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$").unwrap());
static SELECTOR_REQ_RE: LazyLock<Regex> = LazyLock::new(|| {
    let key = r"([A-Za-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?";
    let value = r"([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?";
    Regex::new(&format!(
        r"^(!?\s*{key}|{key}\s*(=|==|!=)\s*{value}|{key}\s+(in|notin)\s+\(\s*{value}(\s*,\s*{value})*\s*\))$"
    ))
    .unwrap()
});
static DURATION_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)?)\s*(ms|s|m)?$").unwrap());

/// Reads and validates a hook file, with `VAR::NAME` placeholders replaced
/// from `vars` (line numbers stay as written). On any error, the diagnostics
/// (all of them, not just the first).
pub fn load(file: &Path, vars: &BTreeMap<String, String>) -> Result<HookSpec, Vec<Diagnostic>> {
    match std::fs::read(file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse(&crate::config::substitute_vars(&text, vars), file),
            Err(_) => Err(vec![Diagnostic::error(
                "hook/not-utf8",
                file,
                1,
                1,
                msg!("diag-hook-not-utf8"),
            )]),
        },
        Err(e) => Err(vec![Diagnostic::error(
            "hook/unreadable",
            file,
            1,
            1,
            msg!("diag-hook-unreadable", detail = e.to_string()),
        )]),
    }
}

/// Every problem of a hook file, for `labrun check`: errors, and warnings
/// (an empty phase list) that do not stop a run.
pub fn validate(file: &Path, vars: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    match load(file, vars) {
        Ok(spec) => warnings(&spec),
        Err(diags) => diags,
    }
}

fn warnings(spec: &HookSpec) -> Vec<Diagnostic> {
    if spec.before.is_empty() && spec.after.is_empty() {
        vec![Diagnostic::warning(
            "hook/empty",
            &spec.file,
            1,
            1,
            msg!("diag-hook-empty"),
        )]
    } else {
        Vec::new()
    }
}

/// Parses hook file text; `file` names it in diagnostics.
pub fn parse(text: &str, file: &Path) -> Result<HookSpec, Vec<Diagnostic>> {
    let mut p = Parser {
        file,
        diags: Vec::new(),
    };
    let spec = p.document(text);
    if p.diags.iter().any(Diagnostic::is_error) {
        Err(p.diags)
    } else {
        spec.ok_or(p.diags)
    }
}

struct Parser<'a> {
    file: &'a Path,
    diags: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn error(&mut self, rule: &str, pos: Pos, message: Msg) {
        self.diags.push(Diagnostic::error(
            rule, self.file, pos.line, pos.col, message,
        ));
    }

    fn document(&mut self, text: &str) -> Option<HookSpec> {
        let docs = match yaml::parse_documents(text) {
            Ok(d) => d,
            Err(e) => {
                self.error(
                    "hook/yaml-syntax",
                    e.pos,
                    msg!("diag-hook-yaml-syntax", detail = e.message),
                );
                return None;
            }
        };
        if docs.len() > 1 {
            self.error(
                "hook/not-a-mapping",
                docs[1].start,
                msg!("diag-hook-several-documents"),
            );
        }
        let Some(root) = docs.into_iter().next() else {
            return Some(HookSpec {
                file: self.file.to_owned(),
                before: Vec::new(),
                after: Vec::new(),
            });
        };
        if root.value == YValue::Null {
            return Some(HookSpec {
                file: self.file.to_owned(),
                before: Vec::new(),
                after: Vec::new(),
            });
        }
        let Some(entries) = root.entries() else {
            self.error(
                "hook/not-a-mapping",
                root.start,
                msg!("diag-hook-not-a-mapping"),
            );
            return None;
        };
        self.keys(entries, &TOP_KEYS);
        let default_timeout = root
            .get("timeout")
            .and_then(|t| self.timeout(t))
            .unwrap_or(Duration::ZERO);
        let before = self.phase(&root, "before", default_timeout);
        let after = self.phase(&root, "after", default_timeout);
        Some(HookSpec {
            file: self.file.to_owned(),
            before,
            after,
        })
    }

    /// Reports unknown and repeated keys of a mapping.
    fn keys(&mut self, entries: &[(YNode, YNode)], known: &[&str]) {
        let mut seen = BTreeSet::new();
        for (k, _) in entries {
            let key = k.scalar_text().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                let suggestion = known
                    .iter()
                    .map(|c| {
                        (
                            strsim::jaro_winkler(&key.to_lowercase(), &c.to_lowercase()),
                            c,
                        )
                    })
                    .filter(|(s, _)| *s >= 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, c)| *c);
                let message = match suggestion {
                    Some(s) => msg!(
                        "diag-hook-unknown-key-suggest",
                        key = key.as_str(),
                        suggestion = s
                    ),
                    None => msg!(
                        "diag-hook-unknown-key",
                        key = key.as_str(),
                        known = known.join(", ")
                    ),
                };
                self.error("hook/unknown-key", k.start, message);
            } else if !seen.insert(key.clone()) {
                self.error(
                    "hook/duplicate-key",
                    k.start,
                    msg!("diag-hook-duplicate-key", key = key.as_str()),
                );
            }
        }
    }

    fn bad_value(&mut self, key: &str, node: &YNode, expected: Msg) {
        self.error(
            "hook/bad-value",
            node.start,
            msg!(
                "diag-hook-bad-value",
                key = key,
                value = shown(node),
                expected = expected.text()
            ),
        );
    }

    fn phase(&mut self, root: &YNode, key: &str, default_timeout: Duration) -> Vec<Expectation> {
        let Some(list) = root.get(key) else {
            return Vec::new();
        };
        match &list.value {
            YValue::Null => Vec::new(),
            YValue::Seq(items) => items
                .iter()
                .filter_map(|item| self.expectation(item, default_timeout))
                .collect(),
            _ => {
                self.bad_value(key, list, msg!("verify-expected-list"));
                Vec::new()
            }
        }
    }

    fn timeout(&mut self, node: &YNode) -> Option<Duration> {
        let secs = match &node.value {
            YValue::Int(i) => Some(*i as f64),
            YValue::Float(f) => Some(*f),
            YValue::Str(s) => DURATION_RE.captures(s.trim()).map(|c| {
                let n: f64 = c[1].parse().unwrap_or(f64::NAN);
                match c.get(2).map(|m| m.as_str()) {
                    Some("ms") => n / 1000.0,
                    Some("m") => n * 60.0,
                    _ => n,
                }
            }),
            _ => None,
        };
        match secs {
            Some(s) if (0.0..=MAX_TIMEOUT).contains(&s) => Some(Duration::from_secs_f64(s)),
            _ => {
                self.bad_value("timeout", node, msg!("verify-expected-timeout"));
                None
            }
        }
    }

    fn string(&mut self, key: &str, node: &YNode) -> Option<String> {
        match &node.value {
            YValue::Str(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => {
                self.bad_value(key, node, msg!("verify-expected-text"));
                None
            }
        }
    }

    fn boolean(&mut self, key: &str, node: &YNode) -> Option<bool> {
        match node.value {
            YValue::Bool(b) => Some(b),
            _ => {
                self.bad_value(key, node, msg!("verify-expected-bool"));
                None
            }
        }
    }

    fn number(&mut self, key: &str, node: &YNode) -> Option<f64> {
        match node.value {
            YValue::Int(i) => Some(i as f64),
            YValue::Float(f) if f.is_finite() => Some(f),
            _ => {
                self.bad_value(key, node, msg!("verify-expected-number"));
                None
            }
        }
    }

    fn count_value(&mut self, key: &str, node: &YNode) -> Option<u64> {
        match node.value {
            YValue::Int(i) if i >= 0 => Some(i as u64),
            _ => {
                self.bad_value(key, node, msg!("verify-expected-count"));
                None
            }
        }
    }

    fn expectation(&mut self, item: &YNode, default_timeout: Duration) -> Option<Expectation> {
        let Some(entries) = item.entries() else {
            self.error(
                "hook/not-a-mapping",
                item.start,
                msg!("diag-hook-item-not-a-mapping"),
            );
            return None;
        };
        let errors_before = self.error_count();
        self.keys(entries, &ITEM_KEYS);
        let get = |k: &str| item.get_entry(k);

        // Which objects.
        let mut target = None;
        match get("resource") {
            None => self.error(
                "hook/missing-key",
                item.start,
                msg!("diag-hook-missing-resource"),
            ),
            Some((_, v)) => {
                if let Some(text) = self.string("resource", v) {
                    target = self.resource(&text, v);
                }
            }
        }
        let selector = get("selector").and_then(|(_, v)| {
            let s = self.string("selector", v)?;
            if split_selector(&s)
                .iter()
                .all(|r| SELECTOR_REQ_RE.is_match(r))
            {
                Some(s)
            } else {
                self.error(
                    "hook/bad-selector",
                    v.start,
                    msg!("diag-hook-bad-selector", selector = s.as_str()),
                );
                None
            }
        });
        let namespace = get("namespace").and_then(|(_, v)| {
            let s = self.string("namespace", v)?;
            if NAMESPACE_RE.is_match(&s) && s.len() <= 63 {
                Some(s)
            } else {
                self.bad_value("namespace", v, msg!("verify-expected-namespace"));
                None
            }
        });
        let all_namespaces = get("allNamespaces")
            .and_then(|(_, v)| self.boolean("allNamespaces", v))
            .unwrap_or(false);
        let timeout = get("timeout")
            .and_then(|(_, v)| self.timeout(v))
            .unwrap_or(default_timeout);
        let message = get("message").and_then(|(_, v)| self.string("message", v));

        // What must hold.
        let exists = get("exists").and_then(|(k, v)| Some((k.start, self.boolean("exists", v)?)));
        let absent = get("absent").and_then(|(k, v)| Some((k.start, self.boolean("absent", v)?)));
        let jsonpath = get("jsonpath").and_then(|(_, v)| {
            let text = self.string("jsonpath", v)?;
            self.jsonpath(&text, v)
        });
        let mut test = ValueTest::default();
        if let Some((_, v)) = get("equals") {
            test.equals = Some(v.to_json());
        }
        if let Some((_, v)) = get("contains") {
            test.contains = Some(v.to_json());
        }
        if let Some((_, v)) = get("matches")
            && let Some(text) = self.string("matches", v)
        {
            match Regex::new(&text) {
                Ok(r) => test.matches = Some(Pattern(r)),
                Err(e) => self.error(
                    "hook/bad-regex",
                    v.start,
                    msg!(
                        "diag-hook-bad-regex",
                        pattern = text.as_str(),
                        detail = first_line(&e.to_string())
                    ),
                ),
            }
        }
        if let Some((_, v)) = get("atLeast") {
            test.at_least = self.number("atLeast", v);
        }
        if let Some((_, v)) = get("atMost") {
            test.at_most = self.number("atMost", v);
        }
        let condition = get("condition").and_then(|(_, v)| self.condition(v));
        let count = get("count").and_then(|(_, v)| self.count(v));

        // Rules between keys.
        let first_op = VALUE_OPS.iter().find_map(|k| get(k));
        if let Some((k, _)) = first_op
            && get("jsonpath").is_none()
        {
            let key = k.scalar_text().unwrap_or_default();
            self.error(
                "hook/missing-key",
                k.start,
                msg!("diag-hook-operator-needs-jsonpath", key = key.as_str()),
            );
        }
        if let (Some((k, _)), Some(_)) = (get("condition"), get("jsonpath")) {
            self.conflict(k.start, "condition", "jsonpath");
        }
        if let (Some((k, _)), Some(_)) = (get("allNamespaces"), get("namespace")) {
            self.conflict(k.start, "allNamespaces", "namespace");
        }
        let named = target
            .as_ref()
            .is_some_and(|(_, n): &(String, Option<String>)| n.is_some());
        if named && let Some((k, _)) = get("selector") {
            self.error(
                "hook/conflicting-keys",
                k.start,
                msg!("diag-hook-selector-with-name"),
            );
        }
        if named
            && all_namespaces
            && let Some((k, _)) = get("allNamespaces")
        {
            self.error(
                "hook/conflicting-keys",
                k.start,
                msg!("diag-hook-all-namespaces-with-name"),
            );
        }
        if named && let Some((k, _)) = get("count") {
            self.error(
                "hook/conflicting-keys",
                k.start,
                msg!("diag-hook-count-with-name"),
            );
        }
        let wants_absent = match (exists, absent) {
            (Some((pos, e)), Some((_, a))) => {
                if e == a {
                    self.conflict(pos, "exists", "absent");
                }
                a
            }
            (Some((_, e)), None) => !e,
            (None, Some((_, a))) => a,
            (None, None) => false,
        };
        if wants_absent {
            for key in ["jsonpath", "condition", "count"] {
                if let Some((k, _)) = get(key) {
                    let with = if absent.is_some() { "absent" } else { "exists" };
                    self.conflict(k.start, key, with);
                }
            }
        }

        if self.error_count() > errors_before {
            return None;
        }
        let (kind, name) = target?;
        let predicate = match (jsonpath, condition) {
            (Some(path), _) => Some(Predicate::Path { path, test }),
            (None, Some((kind, status))) => Some(Predicate::Condition { kind, status }),
            (None, None) => None,
        };
        let quantity = if wants_absent {
            Quantity::Absent
        } else if let Some(c) = count {
            Quantity::Count(c)
        } else {
            Quantity::Exists
        };
        Some(Expectation {
            line: item.start.line,
            target: Target {
                kind,
                name,
                selector,
                scope: if all_namespaces {
                    Scope::All
                } else {
                    namespace.map_or(Scope::Default, Scope::Namespace)
                },
            },
            timeout,
            predicate,
            quantity,
            message,
        })
    }

    fn error_count(&self) -> usize {
        self.diags.iter().filter(|d| d.is_error()).count()
    }

    fn conflict(&mut self, pos: Pos, key: &str, other: &str) {
        self.error(
            "hook/conflicting-keys",
            pos,
            msg!("diag-hook-conflicting-keys", key = key, other = other),
        );
    }

    fn resource(&mut self, text: &str, node: &YNode) -> Option<(String, Option<String>)> {
        let (kind, name) = match text.split_once('/') {
            Some((k, n)) => (k.trim(), Some(n.trim())),
            None => (text, None),
        };
        let ok = KIND_RE.is_match(kind) && name.is_none_or(|n| NAME_RE.is_match(n));
        if ok {
            Some((kind.to_owned(), name.map(str::to_owned)))
        } else {
            self.error(
                "hook/bad-resource",
                node.start,
                msg!("diag-hook-bad-resource", resource = text),
            );
            None
        }
    }

    fn jsonpath(&mut self, text: &str, node: &YNode) -> Option<JsonPath> {
        match JsonPath::parse(text) {
            Ok(p) => Some(p),
            Err(e) => {
                let message = if !text.starts_with('$') {
                    let suggestion = format!(
                        "${}",
                        text.trim_start_matches('{')
                            .trim_end_matches('}')
                            .trim_start_matches('$')
                    );
                    msg!(
                        "diag-hook-jsonpath-root",
                        path = text,
                        suggestion = suggestion
                    )
                } else {
                    msg!(
                        "diag-hook-bad-jsonpath",
                        path = text,
                        detail = e.message(),
                        position = e.position()
                    )
                };
                self.error("hook/bad-jsonpath", node.start, message);
                None
            }
        }
    }

    fn condition(&mut self, node: &YNode) -> Option<(String, String)> {
        match &node.value {
            YValue::Str(s) if !s.trim().is_empty() => Some((s.trim().to_owned(), "True".into())),
            YValue::Map(entries) => {
                self.keys(entries, &["type", "status"]);
                let kind = match node.get("type") {
                    Some(t) => self.string("type", t)?,
                    None => {
                        self.error(
                            "hook/missing-key",
                            node.start,
                            msg!("diag-hook-condition-needs-type"),
                        );
                        return None;
                    }
                };
                let status = match node.get("status").map(|s| &s.value) {
                    None => "True".to_owned(),
                    Some(YValue::Bool(true)) => "True".to_owned(),
                    Some(YValue::Bool(false)) => "False".to_owned(),
                    Some(YValue::Str(s)) if !s.is_empty() => s.clone(),
                    Some(_) => {
                        let n = node.get("status").unwrap();
                        self.bad_value("status", n, msg!("verify-expected-condition-status"));
                        return None;
                    }
                };
                Some((kind, status))
            }
            _ => {
                self.bad_value("condition", node, msg!("verify-expected-condition"));
                None
            }
        }
    }

    fn count(&mut self, node: &YNode) -> Option<CountTest> {
        match &node.value {
            YValue::Int(_) => Some(CountTest {
                equals: self.count_value("count", node),
                ..CountTest::default()
            }),
            YValue::Map(entries) if !entries.is_empty() => {
                self.keys(entries, &["equals", "atLeast", "atMost"]);
                let mut c = CountTest::default();
                if let Some(v) = node.get("equals") {
                    c.equals = Some(self.count_value("equals", v)?);
                }
                if let Some(v) = node.get("atLeast") {
                    c.at_least = Some(self.count_value("atLeast", v)?);
                }
                if let Some(v) = node.get("atMost") {
                    c.at_most = Some(self.count_value("atMost", v)?);
                }
                Some(c)
            }
            _ => {
                self.bad_value("count", node, msg!("verify-expected-count-test"));
                None
            }
        }
    }
}

/// Splits a label selector into its requirements (commas inside `( )` belong
/// to a set).
pub fn split_selector(selector: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in selector.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(selector[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(selector[start..].trim());
    parts
}

/// A node as the author wrote it, for messages.
fn shown(node: &YNode) -> String {
    node.scalar_text()
        .unwrap_or_else(|| node.to_json().to_string())
}

fn first_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_before_parsing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("hook-x.yaml");
        std::fs::write(
            &file,
            "after:\n  - resource: configmap/VAR::NAME\n    namespace: VAR::NS\n",
        )
        .unwrap();
        let vars = BTreeMap::from([
            ("NS".to_owned(), "shop".to_owned()),
            ("NAME".to_owned(), "settings".to_owned()),
        ]);
        let spec = load(&file, &vars).unwrap();
        let t = &spec.after[0].target;
        assert_eq!(t.name.as_deref(), Some("settings"));
        assert_eq!(t.scope, Scope::Namespace("shop".into()));
        // An unknown placeholder stays as written, and is no namespace name.
        let diags = load(&file, &BTreeMap::new()).unwrap_err();
        assert_eq!(
            (diags[0].rule.as_str(), diags[0].line),
            ("hook/bad-value", 3)
        );
    }

    fn ok(text: &str) -> HookSpec {
        parse(text, Path::new("hook-x.yaml"))
            .unwrap_or_else(|d| panic!("{:?}", d.iter().map(|d| d.to_string()).collect::<Vec<_>>()))
    }

    /// (rule, line) of every diagnostic.
    fn errs(text: &str) -> Vec<(String, u32)> {
        match parse(text, Path::new("hook-x.yaml")) {
            Ok(spec) => warnings(&spec)
                .into_iter()
                .map(|d| (d.rule, d.line))
                .collect(),
            Err(d) => d.into_iter().map(|d| (d.rule, d.line)).collect(),
        }
    }

    #[test]
    fn parses_the_documented_example() {
        let spec = ok("timeout: 5
before:
  - resource: networkpolicy/default-deny
    namespace: shop-ui
    absent: true
after:
  - resource: networkpolicy/default-deny
    namespace: shop-ui
    timeout: 30
    jsonpath: $.spec.policyTypes[0]
    equals: Ingress
  - resource: pod
    selector: app.kubernetes.io/component=service
    namespace: shop-catalog
    count: {atLeast: 1}
  - resource: deployment/catalog
    namespace: shop-catalog
    condition: Available
");
        assert_eq!(spec.before.len(), 1);
        let b = &spec.before[0];
        assert_eq!(b.line, 3);
        assert_eq!(b.quantity, Quantity::Absent);
        assert_eq!(b.timeout, Duration::from_secs(5));
        assert_eq!(b.target.describe(), "networkpolicy/default-deny -n shop-ui");
        let a = &spec.after;
        assert_eq!(a[0].timeout, Duration::from_secs(30));
        match &a[0].predicate {
            Some(Predicate::Path { path, test }) => {
                assert_eq!(path.to_string(), "$.spec.policyTypes[0]");
                assert_eq!(test.equals, Some(Value::from("Ingress")));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            a[1].quantity,
            Quantity::Count(CountTest {
                at_least: Some(1),
                ..Default::default()
            })
        );
        assert_eq!(
            a[1].target.selector.as_deref(),
            Some("app.kubernetes.io/component=service")
        );
        assert_eq!(
            a[2].predicate,
            Some(Predicate::Condition {
                kind: "Available".into(),
                status: "True".into()
            })
        );
        assert_eq!(a[2].quantity, Quantity::Exists);
    }

    #[test]
    fn the_documented_example_is_valid() {
        let doc =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/verify.md"))
                .unwrap();
        let start = doc.find("```yaml\n").unwrap() + "```yaml\n".len();
        let end = start + doc[start..].find("```").unwrap();
        let spec = ok(&doc[start..end]);
        assert_eq!((spec.before.len(), spec.after.len()), (2, 4));
        assert!(
            spec.after
                .iter()
                .all(|e| e.timeout == Duration::from_secs(30))
        );
    }

    #[test]
    fn timeouts_accept_seconds_and_units() {
        let t = |v: &str| {
            ok(&format!("after:\n  - resource: pod\n    timeout: {v}\n")).after[0].timeout
        };
        assert_eq!(t("2"), Duration::from_secs(2));
        assert_eq!(t("1.5"), Duration::from_millis(1500));
        assert_eq!(t("\"500ms\""), Duration::from_millis(500));
        assert_eq!(t("2m"), Duration::from_secs(120));
        assert_eq!(
            errs("after:\n  - resource: pod\n    timeout: soon\n"),
            [("hook/bad-value".into(), 3)]
        );
        assert_eq!(
            errs("after:\n  - resource: pod\n    timeout: -1\n"),
            [("hook/bad-value".into(), 3)]
        );
    }

    #[test]
    fn count_forms_and_conditions() {
        let spec = ok("after:
  - resource: pods
    count: 3
  - resource: deploy/web
    condition: {type: Progressing, status: false}
  - resource: pods
    allNamespaces: true
    selector: app in (web, api),tier!=db,!canary
    jsonpath: $.status.phase
    equals: Running
    count: {atLeast: 2, atMost: 4}
");
        assert_eq!(
            spec.after[0].quantity,
            Quantity::Count(CountTest {
                equals: Some(3),
                ..Default::default()
            })
        );
        assert_eq!(
            spec.after[1].predicate,
            Some(Predicate::Condition {
                kind: "Progressing".into(),
                status: "False".into()
            })
        );
        assert_eq!(spec.after[2].target.scope, Scope::All);
        assert!(spec.after[2].predicate.is_some());
    }

    #[test]
    fn unknown_keys_name_their_line_and_suggest() {
        let text = "after:\n  - resource: pod\n    namspace: x\n";
        let d = parse(text, Path::new("h.yaml")).unwrap_err();
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].rule.as_str(), d[0].line, d[0].col),
            ("hook/unknown-key", 3, 5)
        );
        assert!(
            d[0].message.text().contains("namespace"),
            "{}",
            d[0].message
        );
        assert_eq!(errs("afterwards: []\n"), [("hook/unknown-key".into(), 1)]);
        // saphyr itself refuses a repeated key, with its line.
        let got = errs("after:\n  - resource: pod\n    resource: svc\n");
        assert_eq!(got.len(), 1);
        assert!(got[0].0.starts_with("hook/") && got[0].1 == 3, "{got:?}");
    }

    #[test]
    fn rules_between_keys() {
        let cases: &[(&str, &str, u32)] = &[
            (
                "  - resource: pod/x\n    equals: 1\n",
                "hook/missing-key",
                3,
            ),
            ("  - namespace: x\n", "hook/missing-key", 2),
            (
                "  - resource: pod/x\n    selector: a=b\n",
                "hook/conflicting-keys",
                3,
            ),
            (
                "  - resource: pod/x\n    count: 1\n",
                "hook/conflicting-keys",
                3,
            ),
            (
                "  - resource: pod/x\n    allNamespaces: true\n",
                "hook/conflicting-keys",
                3,
            ),
            (
                "  - resource: pod/x\n    absent: true\n    jsonpath: $.a\n",
                "hook/conflicting-keys",
                4,
            ),
            (
                "  - resource: pod/x\n    exists: false\n    condition: Ready\n",
                "hook/conflicting-keys",
                4,
            ),
            (
                "  - resource: pod/x\n    condition: Ready\n    jsonpath: $.a\n",
                "hook/conflicting-keys",
                3,
            ),
            (
                "  - resource: pod\n    allNamespaces: true\n    namespace: a\n",
                "hook/conflicting-keys",
                3,
            ),
            (
                "  - resource: pod/x\n    exists: true\n    absent: true\n",
                "hook/conflicting-keys",
                3,
            ),
            ("  - resource: a/b/c\n", "hook/bad-resource", 2),
            ("  - resource: /x\n", "hook/bad-resource", 2),
            (
                "  - resource: pod\n    namespace: Shop_UI\n",
                "hook/bad-value",
                3,
            ),
            (
                "  - resource: pod\n    selector: 'a=(b'\n",
                "hook/bad-selector",
                3,
            ),
            (
                "  - resource: pod/x\n    jsonpath: $.a[\n",
                "hook/bad-jsonpath",
                3,
            ),
            (
                "  - resource: pod/x\n    jsonpath: .spec.a\n",
                "hook/bad-jsonpath",
                3,
            ),
            (
                "  - resource: pod/x\n    jsonpath: $.a\n    matches: '(unclosed'\n",
                "hook/bad-regex",
                4,
            ),
            (
                "  - resource: pod/x\n    jsonpath: $.a\n    atLeast: many\n",
                "hook/bad-value",
                4,
            ),
            (
                "  - resource: pod\n    count: {atLeast: -1}\n",
                "hook/bad-value",
                3,
            ),
            ("  - resource: pod\n    count: lots\n", "hook/bad-value", 3),
            (
                "  - resource: pod/x\n    absent: yes please\n",
                "hook/bad-value",
                3,
            ),
            ("  - just a string\n", "hook/not-a-mapping", 2),
        ];
        for (item, rule, line) in cases {
            let text = format!("after:\n{item}");
            let got = errs(&text);
            assert!(
                got.iter().any(|(r, l)| r == rule && l == line),
                "{item:?}: expected {rule} at {line}, got {got:?}"
            );
        }
    }

    #[test]
    fn whole_file_problems() {
        assert_eq!(errs("after: [\n"), [("hook/yaml-syntax".into(), 2)]);
        assert_eq!(errs("- a\n- b\n"), [("hook/not-a-mapping".into(), 1)]);
        assert_eq!(errs("after: 3\n"), [("hook/bad-value".into(), 1)]);
        assert_eq!(errs(""), [("hook/empty".into(), 1)]);
        assert_eq!(errs("before: []\nafter:\n"), [("hook/empty".into(), 1)]);
        let d = parse("a: 1\n---\nb: 2\n", Path::new("h.yaml")).unwrap_err();
        assert!(
            d.iter()
                .any(|d| d.rule == "hook/not-a-mapping" && d.line == 3)
        );
    }

    #[test]
    fn kubectl_style_paths_get_a_suggestion() {
        let d = parse(
            "after:\n  - resource: pod/x\n    jsonpath: '{.status.phase}'\n",
            Path::new("h.yaml"),
        )
        .unwrap_err();
        assert!(
            d[0].message.text().contains("$.status.phase"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn every_error_is_reported_not_just_the_first() {
        let got = errs("after:\n  - resource: a/b/c\n  - resource: pod\n    colour: red\n");
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn selectors_split_on_top_level_commas() {
        assert_eq!(
            split_selector("a in (x, y),b=c, !d"),
            ["a in (x, y)", "b=c", "!d"]
        );
    }
}
