//! YAML with source positions, for front matter, manifests, declarative
//! hooks and `labrun.yaml`: every YAML labrun reads goes through here.
//!
//! saphyr parses; this module turns its events into plain owned data
//! ([`YNode`]) with 1-based lines, which the rest of labrun shares.
//!
//! Untrusted YAML (a pull request's pages) gets two bounds, checked as the
//! events arrive so that neither memory nor the stack runs out first:
//! nesting deeper than [`MAX_DEPTH`] (saphyr's loader recurses once per
//! level, and a stack overflow aborts the process), and aliases that would
//! copy more than [`MAX_ALIAS_COPY`] of anchored data ("billion laughs": a
//! few hundred bytes expanding to gigabytes).

use std::collections::HashMap;

use crate::model::Pos;

/// The deepest nesting of sequences and mappings accepted. Real manifests
/// (CRD schemas included) stay well below 64.
pub const MAX_DEPTH: usize = 256;
/// How much anchored data aliases may copy in one stream, in bytes as
/// [`YNode::weight`] counts them (about 16 MiB of nodes).
pub const MAX_ALIAS_COPY: usize = 16 << 20;

#[derive(Clone, Debug, PartialEq)]
pub struct YNode {
    pub value: YValue,
    /// Where the node starts (for a mapping value, where the value starts).
    pub start: Pos,
    /// Just past the node's last character as saphyr reports it.
    pub end: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum YValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<YNode>),
    /// Entries in document order: (key, value).
    Map(Vec<(YNode, YNode)>),
}

/// A YAML syntax error at a 1-based position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

/// Parses every document of a YAML stream into [`YNode`]s, straight from
/// saphyr's parser events: no intermediate tree of hash maps (that tree made
/// manifest and front matter loading the slowest part of a check). Anchors
/// and aliases are resolved by copying; duplicate keys are errors.
pub fn parse_documents(text: &str) -> Result<Vec<YNode>, YamlError> {
    use saphyr_parser::SpannedEventReceiver;
    let mut b = Builder::default();
    // The parser's own `load` recurses per nesting level; pulling events
    // one at a time keeps the stack flat and lets a limit stop the parse.
    let parser = saphyr_parser::Parser::new_from_str(text);
    for event in parser {
        let (ev, span) = match event {
            Ok(e) => e,
            Err(e) => {
                return Err(YamlError {
                    pos: Pos::new(e.marker().line() as u32, e.marker().col() as u32 + 1),
                    message: e.info().to_owned(),
                });
            }
        };
        b.on_event(ev, span);
        if let Some(e) = b.error.take() {
            return Err(e);
        }
    }
    Ok(b.docs)
}

enum Frame {
    /// Start, anchor, items, weight so far.
    Seq(Pos, usize, Vec<YNode>, usize),
    /// Start, anchor, entries, the key waiting for its value, weight so far.
    Map(Pos, usize, Vec<(YNode, YNode)>, Option<YNode>, usize),
}

#[derive(Default)]
struct Builder {
    docs: Vec<YNode>,
    root: Option<YNode>,
    stack: Vec<Frame>,
    /// Anchored nodes of the current document and their weights.
    anchors: HashMap<usize, (YNode, usize)>,
    /// Weight copied so far for anchors and aliases.
    copied: usize,
    error: Option<YamlError>,
}

/// What a node costs to copy, roughly in bytes: its own size plus its text.
fn scalar_weight(value: &YValue) -> usize {
    std::mem::size_of::<YNode>()
        + match value {
            YValue::Str(s) => s.len(),
            _ => 0,
        }
}

fn marker_pos(m: &saphyr_parser::Marker) -> Pos {
    Pos::new(m.line() as u32, m.col() as u32 + 1)
}

impl Builder {
    fn fail(&mut self, at: &saphyr_parser::Marker, message: String) {
        if self.error.is_none() {
            self.error = Some(YamlError {
                pos: marker_pos(at),
                message,
            });
        }
    }

    /// Counts a copy of `weight` against the alias budget.
    fn copy_cost(&mut self, weight: usize, at: &saphyr_parser::Marker) -> bool {
        self.copied = self.copied.saturating_add(weight);
        if self.copied > MAX_ALIAS_COPY {
            self.fail(
                at,
                crate::t!("yaml-alias-budget", mib = MAX_ALIAS_COPY >> 20),
            );
            return false;
        }
        true
    }

    fn insert(
        &mut self,
        node: YNode,
        weight: usize,
        anchor: usize,
        key_mark: saphyr_parser::Marker,
    ) {
        if anchor > 0 {
            if !self.copy_cost(weight, &key_mark) {
                return;
            }
            self.anchors.insert(anchor, (node.clone(), weight));
        }
        match self.stack.last_mut() {
            Some(Frame::Seq(_, _, items, w)) => {
                items.push(node);
                *w = w.saturating_add(weight);
            }
            Some(Frame::Map(_, _, entries, key, w)) => {
                *w = w.saturating_add(weight);
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => {
                        // saphyr refuses duplicate keys; so does the manifest.
                        if entries.iter().any(|(e, _)| e.value == k.value) && self.error.is_none() {
                            self.error = Some(YamlError {
                                pos: marker_pos(&key_mark),
                                message: "duplicated key in mapping".to_owned(),
                            });
                        }
                        entries.push((k, node));
                    }
                }
            }
            None => self.root = Some(node),
        }
    }

    fn open(&mut self, frame: Frame, at: &saphyr_parser::Marker) {
        if self.stack.len() >= MAX_DEPTH {
            self.fail(at, crate::t!("yaml-too-deep", max = MAX_DEPTH));
            return;
        }
        self.stack.push(frame);
    }
}

impl<'input> saphyr_parser::SpannedEventReceiver<'input> for Builder {
    fn on_event(&mut self, ev: saphyr_parser::Event<'input>, span: saphyr_parser::Span) {
        use saphyr_parser::Event;
        if self.error.is_some() {
            return;
        }
        let start = marker_pos(&span.start);
        match ev {
            Event::DocumentStart(_) => {
                // Anchors are per document, as saphyr's own loader has them.
                self.anchors.clear();
            }
            Event::DocumentEnd => {
                let doc = self.root.take().unwrap_or(YNode {
                    value: YValue::Null,
                    start,
                    end: marker_pos(&span.end),
                });
                self.docs.push(doc);
            }
            Event::SequenceStart(anchor, _) => self.open(
                Frame::Seq(start, anchor, Vec::new(), std::mem::size_of::<YNode>()),
                &span.start,
            ),
            Event::MappingStart(anchor, _) => self.open(
                Frame::Map(
                    start,
                    anchor,
                    Vec::new(),
                    None,
                    std::mem::size_of::<YNode>(),
                ),
                &span.start,
            ),
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, node_start, anchor, weight) = match self.stack.pop() {
                    Some(Frame::Seq(s, a, items, w)) => (YValue::Seq(items), s, a, w),
                    Some(Frame::Map(s, a, entries, _, w)) => (YValue::Map(entries), s, a, w),
                    None => return,
                };
                let node = YNode {
                    value,
                    start: node_start,
                    end: start,
                };
                self.insert(node, weight, anchor, span.start);
            }
            Event::Scalar(v, style, anchor, tag) => {
                let value = match saphyr::Scalar::parse_from_cow_and_metadata(
                    v.clone(),
                    style,
                    tag.as_ref(),
                ) {
                    Some(saphyr::Scalar::Null) => YValue::Null,
                    Some(saphyr::Scalar::Boolean(b)) => YValue::Bool(b),
                    Some(saphyr::Scalar::Integer(i)) => YValue::Int(i),
                    Some(saphyr::Scalar::FloatingPoint(f)) => YValue::Float(f.into_inner()),
                    Some(saphyr::Scalar::String(s)) => YValue::Str(s.into_owned()),
                    None => YValue::Null,
                };
                let weight = scalar_weight(&value);
                let node = YNode {
                    value,
                    start,
                    end: marker_pos(&span.end),
                };
                self.insert(node, weight, anchor, span.start);
            }
            Event::Alias(id) => {
                let Some(weight) = self.anchors.get(&id).map(|(_, w)| *w) else {
                    // An anchor of an earlier document.
                    self.fail(&span.start, "unknown anchor".to_owned());
                    return;
                };
                // Counted before the copy is made, so a bomb never allocates.
                if !self.copy_cost(weight, &span.start) {
                    return;
                }
                let mut node = self.anchors[&id].0.clone();
                node.start = start;
                node.end = marker_pos(&span.end);
                self.insert(node, weight, 0, span.start);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
        }
    }
}

#[cfg(test)]
mod reference {
    use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

    use super::*;

    /// The straightforward reading through saphyr's annotated tree, kept as the
    /// reference the event loader is tested against.
    pub fn parse_documents_via_tree(text: &str) -> Result<Vec<YNode>, YamlError> {
        let docs = MarkedYaml::load_from_str(text).map_err(|e| YamlError {
            pos: Pos::new(e.marker().line() as u32, e.marker().col() as u32 + 1),
            message: e.info().to_owned(),
        })?;
        Ok(docs.iter().map(convert).collect())
    }

    fn pos(m: &saphyr::Marker) -> Pos {
        Pos::new(m.line() as u32, m.col() as u32 + 1)
    }

    fn convert(node: &MarkedYaml<'_>) -> YNode {
        let value = match &node.data {
            YamlData::Value(s) => scalar(s),
            YamlData::Representation(raw, _, _) => YValue::Str(raw.to_string()),
            YamlData::Sequence(items) => YValue::Seq(items.iter().map(convert).collect()),
            YamlData::Mapping(map) => {
                YValue::Map(map.iter().map(|(k, v)| (convert(k), convert(v))).collect())
            }
            YamlData::Tagged(_, inner) => return convert(inner),
            YamlData::Alias(_) | YamlData::BadValue => YValue::Null,
        };
        YNode {
            value,
            start: pos(&node.span.start),
            end: pos(&node.span.end),
        }
    }

    fn scalar(s: &Scalar<'_>) -> YValue {
        match s {
            Scalar::Null => YValue::Null,
            Scalar::Boolean(b) => YValue::Bool(*b),
            Scalar::Integer(i) => YValue::Int(*i),
            Scalar::FloatingPoint(f) => YValue::Float(f.into_inner()),
            Scalar::String(s) => YValue::Str(s.to_string()),
        }
    }
}

impl YNode {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            YValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The scalar as text, whatever its type (`10` → "10", `true` → "true").
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            YValue::Str(s) => Some(s.clone()),
            YValue::Int(i) => Some(i.to_string()),
            YValue::Float(f) => Some(f.to_string()),
            YValue::Bool(b) => Some(b.to_string()),
            YValue::Null => Some(String::new()),
            YValue::Seq(_) | YValue::Map(_) => None,
        }
    }

    pub fn entries(&self) -> Option<&[(YNode, YNode)]> {
        match &self.value {
            YValue::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The value under a mapping key.
    pub fn get(&self, key: &str) -> Option<&YNode> {
        self.get_entry(key).map(|(_, v)| v)
    }

    /// The (key, value) entry under a mapping key.
    pub fn get_entry(&self, key: &str) -> Option<&(YNode, YNode)> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.scalar_text().as_deref() == Some(key))
    }

    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            YValue::Null => Value::Null,
            YValue::Bool(b) => Value::Bool(*b),
            YValue::Int(i) => Value::from(*i),
            YValue::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            YValue::Str(s) => Value::String(s.clone()),
            YValue::Seq(items) => Value::Array(items.iter().map(YNode::to_json).collect()),
            YValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.scalar_text().unwrap_or_default(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let docs = parse_documents("a: 1\nb:\n  c: [x, y]\n").unwrap();
        let (k, v) = docs[0].get_entry("b").unwrap();
        assert_eq!(k.start, Pos::new(2, 1));
        let c = v.get("c").unwrap();
        assert_eq!(c.start.line, 3);
        assert_eq!(docs[0].get("a").unwrap().value, YValue::Int(1));
    }

    #[test]
    fn reports_syntax_errors_with_position() {
        let err = parse_documents("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.pos.line >= 1, "{err:?}");
        assert!(!err.message.is_empty());
    }

    #[test]
    fn reads_every_document() {
        let docs = parse_documents("a: 1\n---\nb: 2\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].get("b").unwrap().start.line, 3);
    }

    /// Runs `f` on a thread with a small stack: code that recursed per
    /// nesting level would overflow it.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn deep_nesting_is_an_error_at_its_line_not_a_stack_overflow() {
        let n = 20_000;
        let block_seqs = "- ".repeat(n) + "x\n";
        let indented: String = (0..n).map(|i| format!("{}-\n", " ".repeat(i))).collect();
        let flow = "[".repeat(n) + &"]".repeat(n);
        let maps = format!("a: 1\nb: {}1{}\n", "{k: ".repeat(n), "}".repeat(n));
        for (name, text) in [
            ("block sequences", block_seqs),
            ("indented sequences", indented),
            ("flow sequences", flow),
            ("flow mappings", maps.clone()),
        ] {
            let err = on_small_stack(move || parse_documents(&text)).unwrap_err();
            // saphyr's scanner stops flow collections at 255 levels itself.
            assert!(
                err.message.contains("256") || err.message == "recursion limit exceeded",
                "{name}: {err:?}"
            );
            assert!(err.pos.line >= 1, "{name}");
        }
        let err = parse_documents(&maps).unwrap_err();
        assert_eq!(err.pos.line, 2);
    }

    #[test]
    fn nesting_up_to_the_limit_is_read_and_used_without_trouble() {
        // Everything labrun does with a tree recurses per level (drop,
        // clone, comparison, JSON): at the limit it must fit a 2 MiB stack.
        let text = "- ".repeat(MAX_DEPTH) + "x\n";
        let ok = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let docs = parse_documents(&text).unwrap();
                let copy = docs.clone();
                let json = docs[0].to_json();
                copy == docs && json.is_array()
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(ok);
        let over = "- ".repeat(MAX_DEPTH + 1) + "x\n";
        assert!(parse_documents(&over).is_err());
    }

    #[test]
    fn alias_bombs_stop_before_they_allocate() {
        // The classic "billion laughs": 10^9 copies of "lol" from 9 levels.
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let start = std::time::Instant::now();
        let err = parse_documents(&bomb).unwrap_err();
        assert!(err.message.contains("MiB"), "{err:?}");
        assert!((2..=9).contains(&err.pos.line), "{err:?}");
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        // One long string copied many times is as bad as many nodes.
        let long = format!(
            "s: &s \"{}\"\nl: [{}]\n",
            "x".repeat(1 << 20),
            vec!["*s"; 64].join(",")
        );
        assert!(parse_documents(&long).is_err());
        // Ordinary reuse is fine.
        let fine = "base: &b {cpu: 1, memory: 2Gi}\nx: *b\ny: *b\nz: [*b, *b]\n";
        let docs = parse_documents(fine).unwrap();
        assert_eq!(docs[0].get("z").unwrap().to_json()[1]["memory"], "2Gi");
        // Anchors belong to their document.
        assert!(parse_documents("a: &x 1\n---\nb: *x\n").is_err());
    }

    #[test]
    fn event_loader_matches_saphyr_tree() {
        for text in [
            "kind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: ui}\n",
            "a: 1\n---\n# c\nb: [1, 2.5, true, ~, 'q']\n...\n---\n- x\n- {y: z}\n",
            "base: &b\n  k: v\nuse: *b\nt: !!str 12\nn: 0x1F\n",
            "",
            "---\n---\na: 1\n",
            "plain: multi\n  line\nquoted: \"a\n  b\"\n",
        ] {
            assert_eq!(
                parse_documents(text),
                reference::parse_documents_via_tree(text),
                "{text:?}"
            );
        }
        for bad in [
            "a: [1, 2\nb: 3\n",
            "a: 1\na: 2\n",
            "k: *nope\n",
            "a:\n\t- b\n",
        ] {
            let ours = parse_documents(bad);
            let theirs = reference::parse_documents_via_tree(bad);
            assert_eq!(
                ours.is_err(),
                theirs.is_err(),
                "{bad:?}: {ours:?} vs {theirs:?}"
            );
        }
    }
}
