//! YAML with source positions, for front matter and manifests.
//!
//! saphyr parses; this module turns its annotated tree into plain owned data
//! ([`YNode`]) with 1-based lines, which the rest of labrun shares.

use std::collections::HashMap;

use crate::model::Pos;

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
    let mut b = Builder::default();
    let mut parser = saphyr_parser::Parser::new_from_str(text);
    let loaded = parser.load(&mut b, true);
    match loaded.err().or(b.error) {
        Some(e) => Err(YamlError {
            pos: Pos::new(e.marker().line() as u32, e.marker().col() as u32 + 1),
            message: e.info().to_owned(),
        }),
        None => Ok(b.docs),
    }
}

enum Frame {
    Seq(Pos, usize, Vec<YNode>),
    /// Start, anchor, entries, the key waiting for its value.
    Map(Pos, usize, Vec<(YNode, YNode)>, Option<YNode>),
}

#[derive(Default)]
struct Builder {
    docs: Vec<YNode>,
    root: Option<YNode>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, YNode>,
    error: Option<saphyr_parser::ScanError>,
}

fn marker_pos(m: &saphyr_parser::Marker) -> Pos {
    Pos::new(m.line() as u32, m.col() as u32 + 1)
}

impl Builder {
    fn insert(&mut self, node: YNode, anchor: usize, key_mark: saphyr_parser::Marker) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            Some(Frame::Seq(_, _, items)) => items.push(node),
            Some(Frame::Map(_, _, entries, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    // saphyr refuses duplicate keys; so does the manifest.
                    if entries.iter().any(|(e, _)| e.value == k.value) && self.error.is_none() {
                        self.error = Some(saphyr_parser::ScanError::new_str(
                            key_mark,
                            "duplicated key in mapping",
                        ));
                    }
                    entries.push((k, node));
                }
            },
            None => self.root = Some(node),
        }
    }
}

impl<'input> saphyr_parser::SpannedEventReceiver<'input> for Builder {
    fn on_event(&mut self, ev: saphyr_parser::Event<'input>, span: saphyr_parser::Span) {
        use saphyr_parser::Event;
        let start = marker_pos(&span.start);
        match ev {
            Event::DocumentEnd => {
                let doc = self.root.take().unwrap_or(YNode {
                    value: YValue::Null,
                    start,
                    end: marker_pos(&span.end),
                });
                self.docs.push(doc);
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push(Frame::Seq(start, anchor, Vec::new()))
            }
            Event::MappingStart(anchor, _) => {
                self.stack.push(Frame::Map(start, anchor, Vec::new(), None))
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, node_start, anchor) = match self.stack.pop() {
                    Some(Frame::Seq(s, a, items)) => (YValue::Seq(items), s, a),
                    Some(Frame::Map(s, a, entries, _)) => (YValue::Map(entries), s, a),
                    None => return,
                };
                let node = YNode {
                    value,
                    start: node_start,
                    end: start,
                };
                self.insert(node, anchor, span.start);
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
                let node = YNode {
                    value,
                    start,
                    end: marker_pos(&span.end),
                };
                self.insert(node, anchor, span.start);
            }
            Event::Alias(id) => {
                let mut node = self.anchors.get(&id).cloned().unwrap_or(YNode {
                    value: YValue::Null,
                    start,
                    end: start,
                });
                node.start = start;
                node.end = marker_pos(&span.end);
                self.insert(node, 0, span.start);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart(_) => {}
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
