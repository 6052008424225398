//! YAML with source positions, for front matter and manifests.
//!
//! saphyr parses; this module turns its annotated tree into plain owned data
//! ([`YNode`]) with 1-based lines, which the rest of labrun shares.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

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

/// Parses every document of a YAML stream.
pub fn parse_documents(text: &str) -> Result<Vec<YNode>, YamlError> {
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
}
