//! Evaluating expectations against the cluster: fetch with kubectl, judge,
//! and poll until the expectation holds or its timeout runs out. Results are
//! data ([`Outcome`], [`PhaseReport`]) for text and JSON reports alike.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::i18n::Msg;
use crate::msg;
use crate::ui::{self, Tone};

use super::expect::{CountTest, Expectation, HookSpec, Phase, Predicate, Quantity, ValueTest};
use super::kube::{Fetched, Kube};

/// How to evaluate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Poll each expectation until its `timeout`; false checks each once.
    pub wait: bool,
    /// The first pause between two checks; it doubles up to `max_interval`.
    pub first_interval: Duration,
    pub max_interval: Duration,
    /// How many expectations are evaluated at the same time.
    pub parallel: usize,
    /// Set from outside (Ctrl-C) to stop polling at once.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The longest any expectation may poll, whatever its own `timeout`: a
    /// run passes the block's `hookTimeout`, which bounds the whole hook.
    pub limit: Option<Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            wait: true,
            first_interval: Duration::from_millis(250),
            max_interval: Duration::from_secs(1),
            parallel: 4,
            cancel: None,
            limit: None,
        }
    }
}

impl Options {
    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

/// Where a hook belongs: the page and line of its block, for reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The page, as shown to the user (relative to the project root).
    pub page: String,
    /// The line of the block's opening fence.
    pub line: u32,
    /// The hook's name (`hook=NAME`).
    pub hook: String,
    /// The hook file, as shown to the user.
    pub file: String,
}

/// The result of one expectation.
#[derive(Clone, Debug, Serialize)]
pub struct Outcome {
    /// Line of the expectation in the hook file.
    pub line: u32,
    /// The objects looked at, in kubectl's words.
    pub target: String,
    pub passed: bool,
    #[serde(serialize_with = "msg_text")]
    pub expected: Msg,
    #[serde(serialize_with = "msg_text")]
    pub actual: Msg,
    /// The JSON looked at last (the selected values, the object, or a
    /// summary of the listed objects).
    pub fragment: Option<Value>,
    /// kubectl's error, when the last check could not read the cluster.
    #[serde(serialize_with = "opt_msg_text")]
    pub error: Option<Msg>,
    /// The author's `message`, for failures.
    pub message: Option<String>,
    pub attempts: u32,
    pub elapsed_ms: u64,
    pub timeout_s: f64,
    /// Polling was stopped from outside (interrupt) before the timeout.
    pub cancelled: bool,
}

/// The expectations of one hook for one phase.
#[derive(Clone, Debug, Serialize)]
pub struct PhaseReport {
    pub origin: Origin,
    pub phase: Phase,
    pub passed: bool,
    pub elapsed_ms: u64,
    pub outcomes: Vec<Outcome>,
}

impl PhaseReport {
    pub fn failures(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes.iter().filter(|o| !o.passed)
    }
}

fn msg_text<S: serde::Serializer>(m: &Msg, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.text())
}

fn opt_msg_text<S: serde::Serializer>(m: &Option<Msg>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => s.serialize_str(&m.text()),
        None => s.serialize_none(),
    }
}

/// One look at the cluster, judged.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub holds: bool,
    pub actual: Msg,
    pub fragment: Option<Value>,
    pub error: Option<Msg>,
}

/// Evaluates every expectation of a hook's phase, several at a time; the
/// outcomes keep the file's order.
pub fn evaluate_phase(
    kube: &Kube,
    spec: &HookSpec,
    phase: Phase,
    origin: Origin,
    options: &Options,
) -> PhaseReport {
    let start = Instant::now();
    let outcomes = evaluate_all(kube, spec.phase(phase), options);
    PhaseReport {
        origin,
        phase,
        passed: outcomes.iter().all(|o| o.passed),
        elapsed_ms: start.elapsed().as_millis() as u64,
        outcomes,
    }
}

/// Evaluates expectations concurrently (at most `options.parallel` at once).
pub fn evaluate_all(kube: &Kube, exps: &[Expectation], options: &Options) -> Vec<Outcome> {
    let slots: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; exps.len()]);
    let next = AtomicUsize::new(0);
    let workers = options.parallel.clamp(1, exps.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(exp) = exps.get(i) else { break };
                    let outcome = evaluate(kube, exp, options);
                    slots.lock().expect("no worker panics holding the lock")[i] = Some(outcome);
                }
            });
        }
    });
    slots
        .into_inner()
        .expect("workers are done")
        .into_iter()
        .map(|o| o.expect("every expectation was evaluated"))
        .collect()
}

/// Evaluates one expectation, polling until it holds or its timeout passes.
pub fn evaluate(kube: &Kube, exp: &Expectation, options: &Options) -> Outcome {
    let start = Instant::now();
    let budget = if options.wait {
        options.limit.map_or(exp.timeout, |l| exp.timeout.min(l))
    } else {
        Duration::ZERO
    };
    let deadline = start + budget;
    let mut interval = options.first_interval;
    let mut attempts = 0;
    let mut cancelled = false;
    let verdict = loop {
        attempts += 1;
        let remaining = deadline.saturating_duration_since(Instant::now());
        // One request may take the time left, but never less than a few
        // seconds (a single check) nor so long that a dead API stalls a run.
        let limit = (remaining + Duration::from_secs(2))
            .clamp(Duration::from_secs(5), Duration::from_secs(30));
        let verdict = check(kube, exp, limit);
        if verdict.holds || Instant::now() >= deadline {
            break verdict;
        }
        if options.cancelled() {
            cancelled = true;
            break verdict;
        }
        let pause_until = (Instant::now() + interval).min(deadline);
        while Instant::now() < pause_until {
            if options.cancelled() {
                break;
            }
            std::thread::sleep(
                pause_until
                    .saturating_duration_since(Instant::now())
                    .min(Duration::from_millis(50)),
            );
        }
        interval = (interval * 2).min(options.max_interval);
    };
    Outcome {
        line: exp.line,
        target: exp.target.describe(),
        passed: verdict.holds,
        expected: expected(exp),
        actual: verdict.actual,
        fragment: verdict.fragment,
        error: verdict.error,
        message: exp.message.clone(),
        attempts,
        elapsed_ms: start.elapsed().as_millis() as u64,
        timeout_s: budget.as_secs_f64(),
        cancelled,
    }
}

/// One look: fetch and judge.
pub fn check(kube: &Kube, exp: &Expectation, limit: Duration) -> Verdict {
    match kube.fetch(&exp.target, limit) {
        Ok(fetched) => judge(exp, &fetched),
        Err(e) => Verdict {
            holds: false,
            actual: msg!("verify-actual-unreadable"),
            fragment: None,
            error: Some(e.message()),
        },
    }
}

/// What the expectation asks for, in words.
pub fn expected(exp: &Expectation) -> Msg {
    let pred = exp.predicate.as_ref().map(describe_predicate);
    let named = exp.target.name.is_some();
    match (&exp.quantity, pred, named) {
        (Quantity::Absent, _, true) => msg!("verify-expect-absent"),
        (Quantity::Absent, _, false) => msg!("verify-expect-none"),
        (Quantity::Exists, None, true) => msg!("verify-expect-exists"),
        (Quantity::Exists, None, false) => msg!("verify-expect-some"),
        (Quantity::Exists, Some(p), true) => p,
        (Quantity::Exists, Some(p), false) => msg!("verify-expect-every", predicate = p.text()),
        (Quantity::Count(c), None, _) => {
            msg!("verify-expect-count", count = describe_count(c).text())
        }
        (Quantity::Count(c), Some(p), _) => msg!(
            "verify-expect-count-where",
            count = describe_count(c).text(),
            predicate = p.text()
        ),
    }
}

fn describe_predicate(p: &Predicate) -> Msg {
    match p {
        Predicate::Path { path, test } => {
            if test.is_empty() {
                msg!("verify-expect-path-selects", path = path.to_string())
            } else {
                msg!(
                    "verify-expect-path",
                    path = path.to_string(),
                    test = describe_test(test)
                )
            }
        }
        Predicate::Condition { kind, status } => msg!(
            "verify-expect-condition",
            condition = kind.as_str(),
            status = status.as_str()
        ),
    }
}

fn describe_test(t: &ValueTest) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &t.equals {
        parts.push(msg!("verify-op-equals", value = v.to_string()).text());
    }
    if let Some(p) = &t.matches {
        parts.push(msg!("verify-op-matches", pattern = p.0.as_str()).text());
    }
    if let Some(v) = &t.contains {
        parts.push(msg!("verify-op-contains", value = v.to_string()).text());
    }
    if let Some(n) = t.at_least {
        parts.push(msg!("verify-op-at-least", value = number_text(n)).text());
    }
    if let Some(n) = t.at_most {
        parts.push(msg!("verify-op-at-most", value = number_text(n)).text());
    }
    parts.join(&crate::t!("verify-op-and"))
}

fn describe_count(c: &CountTest) -> Msg {
    match (c.equals, c.at_least, c.at_most) {
        (Some(n), _, _) => msg!("verify-count-exactly", n = n),
        (None, Some(a), Some(b)) => msg!("verify-count-between", min = a, max = b),
        (None, Some(a), None) => msg!("verify-count-at-least", n = a),
        (None, None, Some(b)) => msg!("verify-count-at-most", n = b),
        (None, None, None) => msg!("verify-count-any"),
    }
}

/// `53` rather than `53.0` for whole numbers, as the author wrote them.
fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Judges what kubectl returned. Pure: the unit tests call it directly.
pub fn judge(exp: &Expectation, fetched: &Fetched) -> Verdict {
    let verdict = |holds, actual, fragment| Verdict {
        holds,
        actual,
        fragment,
        error: None,
    };
    match fetched {
        Fetched::One(None) => match exp.quantity {
            Quantity::Absent => verdict(true, msg!("verify-actual-not-found"), None),
            _ => verdict(false, msg!("verify-actual-not-found"), None),
        },
        Fetched::One(Some(obj)) => match (&exp.quantity, &exp.predicate) {
            (Quantity::Absent, _) => {
                verdict(false, msg!("verify-actual-exists"), Some(trimmed(obj)))
            }
            (_, None) => verdict(true, msg!("verify-actual-exists"), Some(identity(obj))),
            (_, Some(p)) => {
                let (holds, actual, fragment) = apply(p, obj);
                verdict(holds, actual, Some(fragment))
            }
        },
        Fetched::List(items) => judge_list(exp, items),
    }
}

fn judge_list(exp: &Expectation, items: &[Value]) -> Verdict {
    let n = items.len();
    let results: Vec<(bool, Msg, Value)> = items
        .iter()
        .map(|obj| match &exp.predicate {
            Some(p) => apply(p, obj),
            None => (true, msg!("verify-actual-exists"), Value::Null),
        })
        .collect();
    let summary: Vec<Value> = items
        .iter()
        .zip(&results)
        .take(FRAGMENT_ITEMS)
        .map(|(obj, (holds, _, value))| {
            let mut entry = serde_json::Map::new();
            entry.insert("name".into(), Value::String(object_name(obj)));
            if exp.predicate.is_some() {
                entry.insert("holds".into(), Value::Bool(*holds));
                entry.insert("value".into(), value.clone());
            }
            Value::Object(entry)
        })
        .collect();
    let fragment = Some(Value::Array(summary));
    let passing = results.iter().filter(|r| r.0).count();
    let names = |pred: &dyn Fn(bool) -> bool| {
        items
            .iter()
            .zip(&results)
            .filter(|(_, r)| pred(r.0))
            .map(|(o, _)| object_name(o))
            .take(5)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let holds_text = |holds: bool| Verdict {
        holds,
        actual: msg!("verify-actual-none"),
        fragment: fragment.clone(),
        error: None,
    };
    match &exp.quantity {
        _ if n == 0 => {
            let holds = match &exp.quantity {
                Quantity::Absent => true,
                Quantity::Exists => false,
                Quantity::Count(c) => c.holds(0),
            };
            holds_text(holds)
        }
        Quantity::Absent => {
            let mut v = holds_text(false);
            v.actual = msg!("verify-actual-listed", count = n, names = names(&|_| true));
            v
        }
        Quantity::Exists => {
            let mut v = holds_text(passing == n);
            if passing == n {
                v.actual = msg!("verify-actual-listed", count = n, names = names(&|_| true));
            } else {
                let (_, first, _) = results.iter().find(|r| !r.0).expect("a failing item");
                let name = items
                    .iter()
                    .zip(&results)
                    .find(|(_, r)| !r.0)
                    .map(|(o, _)| object_name(o))
                    .unwrap_or_default();
                v.actual = msg!(
                    "verify-actual-some-fail",
                    failing = n - passing,
                    count = n,
                    name = name,
                    actual = first.text()
                );
            }
            v
        }
        Quantity::Count(c) => {
            let mut v = holds_text(c.holds(passing as u64));
            v.actual = if exp.predicate.is_some() && passing == 0 {
                msg!("verify-actual-count-where-none", count = n)
            } else if exp.predicate.is_some() {
                msg!(
                    "verify-actual-count-where",
                    passing = passing,
                    count = n,
                    names = names(&|h| h)
                )
            } else {
                msg!("verify-actual-listed", count = n, names = names(&|_| true))
            };
            v
        }
    }
}

/// How many listed objects a fragment shows.
const FRAGMENT_ITEMS: usize = 20;

/// Applies a predicate to one object: (holds, actual, the JSON looked at).
fn apply(p: &Predicate, obj: &Value) -> (bool, Msg, Value) {
    match p {
        Predicate::Path { path, test } => {
            let nodes = path.query(obj).all();
            if nodes.is_empty() {
                return (false, msg!("verify-actual-path-empty"), trimmed(obj));
            }
            let holds = nodes.iter().all(|v| passes(test, v));
            let fragment = if nodes.len() == 1 {
                nodes[0].clone()
            } else {
                Value::Array(nodes.iter().map(|v| (*v).clone()).collect())
            };
            let actual = msg!("verify-actual-value", value = compact(&fragment));
            (holds || test.is_empty(), actual, fragment)
        }
        Predicate::Condition { kind, status } => {
            let conditions = obj
                .pointer("/status/conditions")
                .cloned()
                .unwrap_or(Value::Null);
            let found = conditions.as_array().and_then(|list| {
                list.iter()
                    .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
            });
            match found {
                None => (
                    false,
                    msg!("verify-actual-no-condition", condition = kind.as_str()),
                    conditions,
                ),
                Some(c) => {
                    let actual_status = c.get("status").and_then(Value::as_str).unwrap_or("");
                    let mut actual = msg!(
                        "verify-actual-condition",
                        condition = kind.as_str(),
                        status = actual_status
                    );
                    if let Some(reason) = c.get("reason").and_then(Value::as_str) {
                        actual = msg!(
                            "verify-actual-condition-reason",
                            condition = kind.as_str(),
                            status = actual_status,
                            reason = reason
                        );
                    }
                    (actual_status == status, actual, c.clone())
                }
            }
        }
    }
}

/// Whether one selected value passes every operator given.
pub fn passes(t: &ValueTest, v: &Value) -> bool {
    t.equals.as_ref().is_none_or(|e| loose_eq(v, e))
        && t.matches.as_ref().is_none_or(|p| p.0.is_match(&text_of(v)))
        && t.contains.as_ref().is_none_or(|c| contains(v, c))
        && t.at_least
            .is_none_or(|n| numeric(v).is_some_and(|x| x >= n))
        && t.at_most.is_none_or(|n| numeric(v).is_some_and(|x| x <= n))
}

/// Equality as authors mean it in YAML: numbers compare by value (`80` and
/// `80.0`), and a string equals a number or boolean with the same text
/// (`"80"` and `80`), since manifests are not consistent about either.
pub fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(s), Value::Number(_) | Value::Bool(_)) => {
            s.as_str() == b.to_string().as_str()
        }
        (Value::Number(_) | Value::Bool(_), Value::String(s)) => {
            s.as_str() == a.to_string().as_str()
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| loose_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loose_eq(v, w)))
        }
        _ => a == b,
    }
}

/// A list holds an equal element, a string holds the text, an object holds
/// the key.
fn contains(haystack: &Value, needle: &Value) -> bool {
    match haystack {
        Value::Array(items) => items.iter().any(|i| loose_eq(i, needle)),
        Value::String(s) => s.contains(&text_of(needle)),
        Value::Object(map) => needle.as_str().is_some_and(|k| map.contains_key(k)),
        _ => false,
    }
}

/// A value as text for pattern matching: strings as they are, the rest as JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A number, or a string holding one (`"3"`).
fn numeric(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn object_name(obj: &Value) -> String {
    let meta = obj.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("?");
    match meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
    {
        Some(ns) => format!("{ns}/{name}"),
        None => name.to_owned(),
    }
}

/// kind, apiVersion and name: enough to show which object was found.
fn identity(obj: &Value) -> Value {
    let mut m = serde_json::Map::new();
    for key in ["apiVersion", "kind"] {
        if let Some(v) = obj.get(key) {
            m.insert(key.into(), v.clone());
        }
    }
    m.insert("name".into(), Value::String(object_name(obj)));
    Value::Object(m)
}

/// The object without what only machines read (managed fields, the
/// last-applied annotation), which would bury the interesting part.
fn trimmed(obj: &Value) -> Value {
    let mut v = obj.clone();
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        if let Some(ann) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            ann.remove("kubectl.kubernetes.io/last-applied-configuration");
            if ann.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    v
}

/// A value on one line, shortened for messages.
pub fn compact(v: &Value) -> String {
    shorten(&v.to_string(), 200)
}

fn shorten(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max_chars).collect();
        out.push('…');
        out
    }
}

/// Pretty JSON cut to a screenful: at most `max_lines` lines, each at most
/// 120 characters.
pub fn pretty_fragment(v: &Value, max_lines: usize) -> String {
    let text = serde_json::to_string_pretty(v).expect("JSON values serialize");
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(max_lines)
        .map(|l| shorten(l, 120))
        .collect();
    if lines.len() > max_lines {
        out.push(crate::t!(
            "verify-fragment-more-lines",
            count = lines.len() - max_lines
        ));
    }
    out.join("\n")
}

/// A phase report for people: one line when it passed; each failure with
/// expected and actual, the JSON looked at, and where it is written.
pub fn render(report: &PhaseReport, color: bool) -> String {
    let o = &report.origin;
    let head = crate::t!(
        "verify-report-hook",
        hook = o.hook.as_str(),
        phase = report.phase.key(),
        page = o.page.as_str(),
        line = o.line
    );
    let total = report.outcomes.len();
    let mut out = String::new();
    if report.passed {
        out.push_str(&format!(
            "{} {}  {}\n",
            ui::paint(color, Tone::Good, "✓"),
            head,
            ui::paint(
                color,
                Tone::Dim,
                &crate::t!(
                    "verify-report-passed",
                    count = total,
                    seconds = format!("{:.1}", report.elapsed_ms as f64 / 1000.0)
                )
            )
        ));
        return out;
    }
    let failed = report.failures().count();
    out.push_str(&format!(
        "{} {}  {}\n",
        ui::paint(color, Tone::Error, "✗"),
        ui::paint(color, Tone::Bold, &head),
        crate::t!("verify-report-failed", failed = failed, count = total)
    ));
    for f in report.failures() {
        out.push_str(&render_failure(o, f, color));
    }
    out
}

fn render_failure(origin: &Origin, f: &Outcome, color: bool) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "  {}  {}\n",
        ui::paint(color, Tone::Accent, &format!("{}:{}", origin.file, f.line)),
        f.target
    ));
    let label = |id: &str| ui::paint(color, Tone::Bold, &crate::t!(id));
    out.push_str(&format!(
        "    {} {}\n",
        label("verify-label-expected"),
        f.expected
    ));
    out.push_str(&format!(
        "    {} {}\n",
        label("verify-label-actual"),
        f.actual
    ));
    if let Some(e) = &f.error {
        out.push_str(&format!("    {} {}\n", label("verify-label-kubectl"), e));
    }
    let when = if f.cancelled {
        crate::t!("verify-report-cancelled", attempts = f.attempts)
    } else if f.timeout_s > 0.0 {
        crate::t!(
            "verify-report-timed-out",
            attempts = f.attempts,
            seconds = format!("{:.1}", f.elapsed_ms as f64 / 1000.0)
        )
    } else {
        crate::t!("verify-report-checked-once")
    };
    out.push_str(&format!("    {}\n", ui::paint(color, Tone::Dim, &when)));
    if let Some(fragment) = &f.fragment {
        out.push_str(&format!("    {}\n", label("verify-label-looked-at")));
        for line in pretty_fragment(fragment, 30).lines() {
            out.push_str(&format!("      {line}\n"));
        }
    }
    if let Some(m) = &f.message {
        out.push_str(&format!("    {} {}\n", label("verify-label-note"), m));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::expect;
    use serde_json::json;
    use std::path::Path;

    #[test]
    fn a_limit_caps_every_expectation_timeout() {
        // A kubectl that finds nothing: the expectation never holds.
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("kubectl");
        std::fs::write(&fake, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let kube = Kube {
            program: fake,
            kubeconfig: None,
            context: None,
        };
        let e = exp("  - resource: configmap/settings\n    namespace: a\n    timeout: 60\n");
        let options = Options {
            limit: Some(Duration::from_millis(600)),
            first_interval: Duration::from_millis(50),
            ..Options::default()
        };
        let start = Instant::now();
        let out = evaluate(&kube, &e, &options);
        assert!(!out.passed);
        assert!((out.timeout_s - 0.6).abs() < 1e-9, "{}", out.timeout_s);
        assert!(out.attempts > 1, "it polled");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    fn exp(item: &str) -> Expectation {
        let spec = expect::parse(&format!("after:\n{item}"), Path::new("h.yaml"))
            .unwrap_or_else(|d| panic!("{d:?}"));
        spec.after.into_iter().next().unwrap()
    }

    fn policy() -> Value {
        json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "default-deny", "namespace": "shop-ui",
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                     "egress": [{"ports": [{"port": 53, "protocol": "UDP"}, {"port": "53"}]}]}
        })
    }

    fn pod(name: &str, phase: &str, restarts: u64) -> Value {
        json!({"metadata": {"name": name, "namespace": "shop"},
               "status": {"phase": phase, "containerStatuses": [{"restartCount": restarts}]}})
    }

    #[test]
    fn path_operators() {
        let obj = Fetched::One(Some(policy()));
        let holds = |item: &str| judge(&exp(item), &obj).holds;
        let base = "  - resource: netpol/default-deny\n    jsonpath: ";
        assert!(holds(&format!(
            "{base}$.spec.policyTypes[0]\n    equals: Ingress\n"
        )));
        assert!(!holds(&format!(
            "{base}$.spec.policyTypes[1]\n    equals: Ingress\n"
        )));
        assert!(holds(&format!(
            "{base}$.spec.policyTypes\n    equals: [Ingress, Egress]\n"
        )));
        assert!(holds(&format!(
            "{base}$.spec.policyTypes\n    contains: Egress\n"
        )));
        assert!(holds(&format!(
            "{base}$.spec.policyTypes[*]\n    matches: gress$\n"
        )));
        assert!(!holds(&format!(
            "{base}$.spec.policyTypes[*]\n    equals: Ingress\n"
        )));
        // "53" and 53 are the same port to an author.
        assert!(holds(&format!(
            "{base}$.spec.egress[0].ports[*].port\n    equals: 53\n"
        )));
        assert!(holds(&format!(
            "{base}$.spec.egress[0].ports[*].port\n    atLeast: 53\n    atMost: 53.0\n"
        )));
        assert!(!holds(&format!(
            "{base}$.spec.egress[0].ports[0].port\n    atLeast: 54\n"
        )));
        assert!(holds(&format!("{base}$.spec.podSelector\n")));
        assert!(!holds(&format!("{base}$.spec.ingress\n")));
        assert!(holds(&format!(
            "{base}\"$.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']\"\n    equals: '{{}}'\n"
        )));
        assert!(holds(&format!(
            "{base}$.metadata\n    contains: annotations\n"
        )));
        assert!(holds(&format!(
            "{base}$.spec.egress[?@.ports[0].protocol == 'UDP']\n"
        )));
    }

    #[test]
    fn failures_say_what_was_found() {
        let v = judge(
            &exp(
                "  - resource: netpol/default-deny\n    jsonpath: $.spec.policyTypes[1]\n    equals: Ingress\n",
            ),
            &Fetched::One(Some(policy())),
        );
        assert!(!v.holds);
        assert_eq!(v.fragment, Some(json!("Egress")));
        assert!(
            v.actual
                .text_in(crate::i18n::Lang::En)
                .contains("\"Egress\"")
        );
        let v = judge(
            &exp(
                "  - resource: netpol/default-deny\n    jsonpath: $.spec.nothing\n    equals: 1\n",
            ),
            &Fetched::One(Some(policy())),
        );
        // The whole object, without the last-applied noise.
        let fragment = v.fragment.unwrap();
        assert!(fragment.pointer("/spec/policyTypes").is_some());
        assert!(fragment.pointer("/metadata/annotations").is_none());
    }

    #[test]
    fn existence_and_absence_of_one_object() {
        let e = exp("  - resource: netpol/default-deny\n");
        assert!(judge(&e, &Fetched::One(Some(policy()))).holds);
        assert!(!judge(&e, &Fetched::One(None)).holds);
        let a = exp("  - resource: netpol/default-deny\n    absent: true\n");
        assert!(judge(&a, &Fetched::One(None)).holds);
        assert!(!judge(&a, &Fetched::One(Some(policy()))).holds);
    }

    #[test]
    fn lists_counts_and_every() {
        let pods = Fetched::List(vec![
            pod("a", "Running", 0),
            pod("b", "Running", 3),
            pod("c", "Pending", 0),
        ]);
        let holds = |item: &str| judge(&exp(item), &pods).holds;
        assert!(holds("  - resource: pod\n    count: 3\n"));
        assert!(!holds("  - resource: pod\n    count: {atMost: 2}\n"));
        assert!(holds(
            "  - resource: pod\n    count: {atLeast: 1, atMost: 3}\n"
        ));
        assert!(holds(
            "  - resource: pod\n    jsonpath: $.status.phase\n    equals: Running\n    count: 2\n"
        ));
        assert!(!holds(
            "  - resource: pod\n    jsonpath: $.status.phase\n    equals: Running\n"
        ));
        assert!(holds(
            "  - resource: pod\n    jsonpath: $.status.containerStatuses[*].restartCount\n    atMost: 3\n"
        ));
        assert!(!holds("  - resource: pod\n    absent: true\n"));
        assert!(holds("  - resource: pod\n"));
        let none = Fetched::List(Vec::new());
        assert!(judge(&exp("  - resource: pod\n    absent: true\n"), &none).holds);
        assert!(!judge(&exp("  - resource: pod\n"), &none).holds);
        assert!(judge(&exp("  - resource: pod\n    count: 0\n"), &none).holds);
        let v = judge(
            &exp("  - resource: pod\n    jsonpath: $.status.phase\n    equals: Running\n"),
            &pods,
        );
        let text = v.actual.text_in(crate::i18n::Lang::En);
        assert!(
            text.contains("shop/c") && text.contains("Pending"),
            "{text}"
        );
    }

    #[test]
    fn conditions() {
        let dep = json!({"metadata": {"name": "web"}, "status": {"conditions": [
            {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
            {"type": "Progressing", "status": "False"}]}});
        let one = Fetched::One(Some(dep));
        assert!(
            judge(
                &exp("  - resource: deploy/web\n    condition: Available\n"),
                &one
            )
            .holds
        );
        assert!(
            !judge(
                &exp("  - resource: deploy/web\n    condition: Progressing\n"),
                &one
            )
            .holds
        );
        assert!(
            judge(
                &exp("  - resource: deploy/web\n    condition: {type: Progressing, status: 'False'}\n"),
                &one
            )
            .holds
        );
        let v = judge(
            &exp("  - resource: deploy/web\n    condition: Ready\n"),
            &one,
        );
        assert!(!v.holds);
        assert!(v.actual.text_in(crate::i18n::Lang::En).contains("Ready"));
    }

    #[test]
    fn loose_equality() {
        assert!(loose_eq(&json!(80), &json!(80.0)));
        assert!(loose_eq(&json!("80"), &json!(80)));
        assert!(loose_eq(&json!(true), &json!("true")));
        assert!(!loose_eq(&json!("True"), &json!(true)));
        assert!(loose_eq(&json!({"a": [1, "2"]}), &json!({"a": ["1", 2]})));
        assert!(!loose_eq(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!loose_eq(&json!(null), &json!("")));
    }

    #[test]
    fn expected_texts_read_well() {
        let en = |item: &str| expected(&exp(item)).text_in(crate::i18n::Lang::En);
        let t = en("  - resource: netpol/x\n    jsonpath: $.a\n    equals: Ingress\n");
        assert!(t.contains("$.a") && t.contains("\"Ingress\""), "{t}");
        let t = en("  - resource: pod\n    count: {atLeast: 2}\n");
        assert!(t.contains('2'), "{t}");
    }

    #[test]
    fn fragments_are_cut_to_a_screen() {
        let big = Value::Array((0..100).map(Value::from).collect());
        let text = pretty_fragment(&big, 10);
        assert_eq!(text.lines().count(), 11);
    }
}
