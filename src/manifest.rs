//! Manifests shown by `::yaml{file=… paths=… zoomPath=…}`: loading them
//! safely from inside the project, parsing each once, and resolving a path
//! (`1.spec.template.spec.containers.0`) to the lines it covers.
//!
//! [`Manifest::resolve`] is the one place that turns a path into a line
//! range: `check` verifies paths with it and `render` highlights with it, so
//! the two can never disagree.
//!
//! Path syntax: segments separated by `.`; a segment is a mapping key, or a
//! numeric index into a sequence. A leading numeric segment selects the
//! document of a multi-document file (`1.spec`); without one, document 0.
//! In a single-document file a leading number is a document index only when
//! the document is not a sequence and has no such key (so `0.metadata` works
//! in every file).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::i18n::Msg;
use crate::model::Pos;
use crate::msg;
use crate::yaml::{YNode, YValue, parse_documents};

/// Inclusive, 1-based line range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineRange {
    pub start: u32,
    pub end: u32,
}

impl LineRange {
    pub fn contains(&self, line: u32) -> bool {
        self.start <= line && line <= self.end
    }
}

/// A path resolved in a manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Resolved {
    /// Index of the document the path points into.
    pub doc: usize,
    /// From the line of the key (mapping entry) or of the `- ` (sequence
    /// item) to the last line of the value that has content.
    pub range: LineRange,
}

/// Why a path does not resolve. Every variant carries the whole path, the
/// failing segment and the part before it (`parent`, empty at the top of a
/// document), so a message can point at the exact place.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("empty segment in path `{path}`")]
    EmptySegment { path: String },
    #[error("document {segment} out of range ({count} documents) in `{path}`")]
    DocumentOutOfRange {
        path: String,
        segment: String,
        count: usize,
    },
    #[error("no key `{segment}` under `{parent}` in `{path}`")]
    NotFound {
        path: String,
        segment: String,
        parent: String,
        /// The nearest existing key, when one is close.
        suggestion: Option<String>,
    },
    #[error("index {segment} out of range ({len} items) under `{parent}` in `{path}`")]
    IndexOutOfRange {
        path: String,
        segment: String,
        parent: String,
        len: usize,
    },
    #[error("`{parent}` is not a mapping (key `{segment}`) in `{path}`")]
    NotAMapping {
        path: String,
        segment: String,
        parent: String,
    },
    #[error("`{parent}` is not a sequence (index `{segment}`) in `{path}`")]
    NotASequence {
        path: String,
        segment: String,
        parent: String,
    },
    /// The manifest does not parse, so no path can be resolved in it.
    #[error("{error}")]
    Unparsable { path: String, error: ManifestError },
}

impl PathError {
    pub fn segment(&self) -> &str {
        match self {
            PathError::EmptySegment { .. } | PathError::Unparsable { .. } => "",
            PathError::DocumentOutOfRange { segment, .. }
            | PathError::NotFound { segment, .. }
            | PathError::IndexOutOfRange { segment, .. }
            | PathError::NotAMapping { segment, .. }
            | PathError::NotASequence { segment, .. } => segment,
        }
    }

    /// The localized explanation.
    pub fn message(&self) -> Msg {
        fn depth(parent: &str) -> usize {
            usize::from(!parent.is_empty())
        }
        match self {
            PathError::Unparsable { error, .. } => error.message(),
            PathError::EmptySegment { path } => msg!("manifest-path-empty-segment", path = path),
            PathError::DocumentOutOfRange {
                path,
                segment,
                count,
            } => msg!(
                "manifest-path-document-out-of-range",
                path = path,
                segment = segment,
                count = *count
            ),
            PathError::NotFound {
                path,
                segment,
                parent,
                suggestion,
            } => match suggestion {
                Some(s) => msg!(
                    "manifest-path-not-found-suggest",
                    path = path,
                    segment = segment,
                    parent = parent,
                    depth = depth(parent),
                    suggestion = s
                ),
                None => msg!(
                    "manifest-path-not-found",
                    path = path,
                    segment = segment,
                    parent = parent,
                    depth = depth(parent)
                ),
            },
            PathError::IndexOutOfRange {
                path,
                segment,
                parent,
                len,
            } => msg!(
                "manifest-path-index-out-of-range",
                path = path,
                segment = segment,
                parent = parent,
                depth = depth(parent),
                len = *len
            ),
            PathError::NotAMapping {
                path,
                segment,
                parent,
            } => msg!(
                "manifest-path-not-a-mapping",
                path = path,
                segment = segment,
                parent = parent,
                depth = depth(parent)
            ),
            PathError::NotASequence {
                path,
                segment,
                parent,
            } => msg!(
                "manifest-path-not-a-sequence",
                path = path,
                segment = segment,
                parent = parent,
                depth = depth(parent)
            ),
        }
    }
}

/// Why a manifest cannot be used. `file` is the path as written in the page.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    #[error("empty file name")]
    Empty,
    #[error("`{file}` is absolute")]
    Absolute { file: String },
    #[error("`{file}` escapes the project")]
    Escapes { file: String },
    #[error("`{file}` does not exist")]
    NotFound { file: String },
    #[error("`{file}` cannot be read: {detail}")]
    Io { file: String, detail: String },
    #[error("`{file}` is not UTF-8")]
    NotUtf8 { file: String },
    #[error("`{file}` is not valid YAML at {}:{}: {detail}", pos.line, pos.col)]
    Yaml {
        file: String,
        pos: Pos,
        detail: String,
    },
}

impl ManifestError {
    /// Errors about where the file is (as opposed to what it holds).
    pub fn is_location(&self) -> bool {
        matches!(
            self,
            ManifestError::Empty
                | ManifestError::Absolute { .. }
                | ManifestError::Escapes { .. }
                | ManifestError::NotFound { .. }
        )
    }

    pub fn message(&self) -> Msg {
        match self {
            ManifestError::Empty => msg!("manifest-file-empty"),
            ManifestError::Absolute { file } => msg!("manifest-file-absolute", file = file),
            ManifestError::Escapes { file } => msg!("manifest-file-escapes", file = file),
            ManifestError::NotFound { file } => msg!("manifest-file-not-found", file = file),
            ManifestError::Io { file, detail } => {
                msg!("manifest-file-io", file = file, detail = detail)
            }
            ManifestError::NotUtf8 { file } => msg!("manifest-file-not-utf8", file = file),
            ManifestError::Yaml { file, pos, detail } => msg!(
                "manifest-file-invalid-yaml",
                file = file,
                line = pos.line,
                col = pos.col,
                detail = detail
            ),
        }
    }
}

/// `file` (as written in a page, relative to the project root) lexically
/// normalized: `.` dropped, `..` applied. Errors for absolute paths and for
/// `..` that climbs above the root; touches no file.
pub fn normalize_relative(file: &str) -> Result<PathBuf, ManifestError> {
    let trimmed = file.trim();
    if trimmed.is_empty() {
        return Err(ManifestError::Empty);
    }
    // A Windows drive or UNC path is absolute wherever labrun runs.
    let bytes = trimmed.as_bytes();
    let drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if drive || trimmed.starts_with('\\') {
        return Err(ManifestError::Absolute {
            file: file.to_owned(),
        });
    }
    let mut out = PathBuf::new();
    for c in Path::new(trimmed).components() {
        match c {
            Component::Normal(p) => out.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return Err(ManifestError::Escapes {
                        file: file.to_owned(),
                    });
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(ManifestError::Absolute {
                    file: file.to_owned(),
                });
            }
        }
    }
    if out.as_os_str().is_empty() {
        return Err(ManifestError::Empty);
    }
    Ok(out)
}

/// The file a page names, checked to be inside the project: relative, no
/// `..` above the root, and (after resolving symlinks) still under the root.
/// Returns the path to read (the root joined with the normalized path).
/// `canonical_root` is `root.canonicalize()`, computed once by the caller.
pub fn project_file(
    root: &Path,
    canonical_root: &Path,
    file: &str,
) -> Result<PathBuf, ManifestError> {
    let rel = normalize_relative(file)?;
    let joined = root.join(&rel);
    let real = joined.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ManifestError::NotFound {
            file: file.to_owned(),
        },
        _ => ManifestError::Io {
            file: file.to_owned(),
            detail: e.to_string(),
        },
    })?;
    if !real.starts_with(canonical_root) {
        return Err(ManifestError::Escapes {
            file: file.to_owned(),
        });
    }
    Ok(joined)
}

/// One manifest file. Its YAML is parsed the first time a path must be
/// resolved in it: a manifest shown as text (no `paths`, no zoom) may be a
/// Helm or Go template that is not YAML at all, and is never parsed.
#[derive(Debug)]
pub struct Manifest {
    /// The path as written in the page (normalized).
    pub rel: String,
    pub text: String,
    /// Byte range of each line (without its line break).
    lines: Vec<(usize, usize)>,
    parsed: OnceLock<Result<Parsed, ManifestError>>,
}

/// The YAML of a manifest.
#[derive(Debug)]
struct Parsed {
    docs: Vec<YNode>,
    /// Each document's lines: after its `---` (or the file start) to its
    /// last line with content.
    doc_ranges: Vec<LineRange>,
}

impl Manifest {
    /// Parses YAML text (every document) now.
    pub fn parse(rel: &str, text: String) -> Result<Manifest, ManifestError> {
        let m = Manifest::new(rel, text);
        m.syntax()?;
        Ok(m)
    }

    /// A manifest whose YAML is parsed when first needed.
    pub fn new(rel: &str, text: String) -> Manifest {
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                lines.push((start, end));
                start = i + 1;
            }
        }
        if start < text.len() {
            lines.push((start, text.len()));
        }
        Manifest {
            rel: rel.to_owned(),
            text,
            lines,
            parsed: OnceLock::new(),
        }
    }

    fn parsed(&self) -> Result<&Parsed, &ManifestError> {
        self.parsed
            .get_or_init(|| {
                let docs = parse_documents(&self.text).map_err(|e| ManifestError::Yaml {
                    file: self.rel.clone(),
                    pos: e.pos,
                    detail: e.message,
                })?;
                let doc_ranges = self.compute_doc_ranges(&docs);
                Ok(Parsed { docs, doc_ranges })
            })
            .as_ref()
    }

    /// Whether the manifest is valid YAML (parsing it if not done yet).
    pub fn syntax(&self) -> Result<(), ManifestError> {
        self.parsed().map(|_| ()).map_err(Clone::clone)
    }

    /// The parsed documents, or why a path cannot be resolved in them.
    fn tree(&self, path: &str) -> Result<&Parsed, PathError> {
        self.parsed().map_err(|e| PathError::Unparsable {
            path: path.to_owned(),
            error: e.clone(),
        })
    }

    /// Reads and parses a file; `rel` is how errors name it.
    pub fn load(path: &Path, rel: &str) -> Result<Manifest, ManifestError> {
        let bytes = std::fs::read(path).map_err(|e| ManifestError::Io {
            file: rel.to_owned(),
            detail: e.to_string(),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| ManifestError::NotUtf8 {
            file: rel.to_owned(),
        })?;
        Ok(Manifest::new(rel, text))
    }

    pub fn line_count(&self) -> u32 {
        self.lines.len() as u32
    }

    /// The text of a 1-based line (empty past the end).
    pub fn line(&self, n: u32) -> &str {
        match n.checked_sub(1).and_then(|i| self.lines.get(i as usize)) {
            Some(&(s, e)) => &self.text[s..e],
            None => "",
        }
    }

    /// The lines of a document (see [`Manifest::resolve`] for the index);
    /// `None` when there is no such document or the YAML does not parse.
    pub fn document_range(&self, doc: usize) -> Option<LineRange> {
        self.parsed().ok()?.doc_ranges.get(doc).copied()
    }

    /// Resolves a `::yaml` path to its document and line range.
    pub fn resolve(&self, path: &str) -> Result<Resolved, PathError> {
        let (doc, node, start) = self.walk(path)?;
        let end = self.last_line(node).max(start);
        Ok(Resolved {
            doc,
            range: LineRange { start, end },
        })
    }

    /// What a path may continue with: the keys of the mapping (or the
    /// indices of the sequence) it names, and at the top of a
    /// multi-document file the document indices too. `""` is the top.
    /// Empty when the path does not resolve or names a scalar.
    pub fn children(&self, parent: &str) -> Vec<String> {
        let Ok(parsed) = self.parsed() else {
            return Vec::new();
        };
        let node = if parent.trim().is_empty() {
            let Some(first) = parsed.docs.first() else {
                return Vec::new();
            };
            first
        } else {
            match self.walk(parent) {
                Ok((_, node, _)) => node,
                Err(_) => return Vec::new(),
            }
        };
        let mut out: Vec<String> = Vec::new();
        if parent.trim().is_empty() && parsed.docs.len() > 1 {
            out.extend((0..parsed.docs.len()).map(|i| i.to_string()));
        }
        match &node.value {
            YValue::Map(entries) => out.extend(entries.iter().filter_map(|(k, _)| k.scalar_text())),
            YValue::Seq(items) => out.extend((0..items.len()).map(|i| i.to_string())),
            _ => {}
        }
        out
    }

    /// The document, node and first line a path names.
    fn walk(&self, path: &str) -> Result<(usize, &YNode, u32), PathError> {
        let segs: Vec<&str> = path.split('.').map(str::trim).collect();
        if segs.iter().any(|s| s.is_empty()) {
            return Err(PathError::EmptySegment {
                path: path.to_owned(),
            });
        }
        let parsed = self.tree(path)?;
        let (doc, rest, prefix) = split_document(&parsed.docs, path, &segs)?;
        let root = &parsed.docs[doc];
        let mut node = root;
        // An empty document's node may sit on the next separator: clamp.
        let dr = parsed.doc_ranges[doc];
        let mut start = root.start.line.clamp(dr.start, dr.end);
        let mut parent = prefix;
        for seg in rest {
            let numeric = seg.parse::<usize>().ok();
            match &node.value {
                YValue::Map(entries) => {
                    let Some((k, v)) = entries
                        .iter()
                        .find(|(k, _)| k.scalar_text().as_deref() == Some(seg))
                    else {
                        return Err(PathError::NotFound {
                            path: path.to_owned(),
                            segment: (*seg).to_owned(),
                            parent,
                            suggestion: nearest_key(seg, entries),
                        });
                    };
                    start = k.start.line;
                    node = v;
                }
                YValue::Seq(items) => {
                    let Some(i) = numeric else {
                        return Err(PathError::NotAMapping {
                            path: path.to_owned(),
                            segment: (*seg).to_owned(),
                            parent,
                        });
                    };
                    let Some(item) = items.get(i) else {
                        return Err(PathError::IndexOutOfRange {
                            path: path.to_owned(),
                            segment: (*seg).to_owned(),
                            parent,
                            len: items.len(),
                        });
                    };
                    start = self.item_line(item);
                    node = item;
                }
                _ => {
                    let segment = (*seg).to_owned();
                    let path = path.to_owned();
                    return Err(if numeric.is_some() {
                        PathError::NotASequence {
                            path,
                            segment,
                            parent,
                        }
                    } else {
                        PathError::NotAMapping {
                            path,
                            segment,
                            parent,
                        }
                    });
                }
            }
            if !parent.is_empty() {
                parent.push('.');
            }
            parent.push_str(seg);
        }
        Ok((doc, node, start))
    }

    /// `zoomPath` widened by `before`/`after` lines, clamped to its document.
    pub fn zoom(&self, path: &str, before: u32, after: u32) -> Result<Resolved, PathError> {
        let r = self.resolve(path)?;
        let doc = self.tree(path)?.doc_ranges[r.doc];
        Ok(Resolved {
            doc: r.doc,
            range: LineRange {
                start: r.range.start.saturating_sub(before).max(doc.start),
                end: r.range.end.saturating_add(after).min(doc.end),
            },
        })
    }

    fn compute_doc_ranges(&self, docs: &[YNode]) -> Vec<LineRange> {
        let mut out: Vec<LineRange> = Vec::with_capacity(docs.len());
        for root in docs {
            let floor = out.last().map_or(1, |r| r.end + 1);
            let mut start = floor;
            for l in floor..root.start.line {
                let t = self.line(l);
                if t.starts_with("---") {
                    start = l + 1;
                }
            }
            let end = self.last_line(root).max(start);
            out.push(LineRange { start, end });
        }
        out
    }

    /// The character at a position, when there is one.
    fn char_at(&self, p: Pos) -> Option<char> {
        self.line(p.line)
            .chars()
            .nth(p.col.saturating_sub(1) as usize)
    }

    /// The line of the `- ` that introduces a sequence item: saphyr marks
    /// the item's content, which may sit after the dash or on a later line.
    fn item_line(&self, item: &YNode) -> u32 {
        let mut line = item.start.line;
        let mut col = item.start.col.saturating_sub(1) as usize;
        loop {
            let before: Vec<char> = self.line(line).chars().take(col).collect();
            match before.iter().rev().find(|c| !c.is_whitespace()) {
                Some('-') => return line,
                Some(_) => return item.start.line,
                None if line > 1 => {
                    line -= 1;
                    col = usize::MAX;
                }
                None => return item.start.line,
            }
        }
    }

    /// The last line of a node that has content. saphyr ends block
    /// collections and block scalars where the next token starts (possibly
    /// after blank lines and comments), so those are computed from their
    /// children or by scanning back; flow collections end at their closing
    /// bracket and plain or quoted scalars end exactly.
    fn last_line(&self, n: &YNode) -> u32 {
        match &n.value {
            YValue::Map(entries) if !self.is_flow(n, '}') => entries
                .last()
                .map_or(n.start.line, |(k, v)| self.last_line(v).max(k.start.line)),
            YValue::Seq(items) if !self.is_flow(n, ']') => {
                items.last().map_or(n.start.line, |v| self.last_line(v))
            }
            YValue::Map(_) | YValue::Seq(_) => n.end.line,
            _ if n.end.line <= n.start.line => n.start.line,
            _ => {
                // A multi-line scalar. Its end may be the start of the next
                // token; lines less indented than its content that are blank
                // or comments are not part of it.
                let before_end: String = self
                    .line(n.end.line)
                    .chars()
                    .take(n.end.col.saturating_sub(1) as usize)
                    .collect();
                let mut last = if before_end.trim().is_empty() {
                    n.end.line - 1
                } else {
                    n.end.line
                };
                let indent = n.start.col.saturating_sub(1) as usize;
                while last > n.start.line {
                    let t = self.line(last);
                    let lead = t.chars().take_while(|c| *c == ' ' || *c == '\t').count();
                    let rest = t.trim_start();
                    if rest.is_empty() || (rest.starts_with('#') && lead < indent) {
                        last -= 1;
                    } else {
                        break;
                    }
                }
                last
            }
        }
    }

    fn is_flow(&self, n: &YNode, close: char) -> bool {
        self.char_at(n.end) == Some(close)
    }
}
/// Picks the document a path addresses and the segments left within it.
/// The third value is the prefix consumed (for messages).
fn split_document<'p>(
    docs: &[YNode],
    path: &str,
    segs: &'p [&'p str],
) -> Result<(usize, &'p [&'p str], String), PathError> {
    let count = docs.len();
    let out_of_range = |segment: &str| PathError::DocumentOutOfRange {
        path: path.to_owned(),
        segment: segment.to_owned(),
        count,
    };
    let first = segs[0];
    let Ok(n) = first.parse::<usize>() else {
        return if count == 0 {
            Err(out_of_range("0"))
        } else {
            Ok((0, segs, String::new()))
        };
    };
    if count == 1 {
        let root = &docs[0];
        let addresses_root = match &root.value {
            YValue::Seq(_) => true,
            YValue::Map(_) => root.get(first).is_some(),
            _ => false,
        };
        if addresses_root {
            return Ok((0, segs, String::new()));
        }
    }
    if n >= count {
        return Err(out_of_range(first));
    }
    Ok((n, &segs[1..], first.to_owned()))
}

fn nearest_key(seg: &str, entries: &[(YNode, YNode)]) -> Option<String> {
    entries
        .iter()
        .filter_map(|(k, _)| k.scalar_text())
        .map(|k| (strsim::jaro_winkler(seg, &k), k))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

type Slot = Arc<OnceLock<Result<Arc<Manifest>, ManifestError>>>;

/// Manifests of one project, each read and parsed at most once however many
/// pages (on however many threads) ask for it.
#[derive(Debug)]
pub struct ManifestCache {
    root: PathBuf,
    canonical_root: Result<PathBuf, String>,
    slots: Mutex<HashMap<PathBuf, Slot>>,
    /// Directories resolved to their real path (many manifests share one).
    real_dirs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl ManifestCache {
    pub fn new(root: &Path) -> ManifestCache {
        ManifestCache {
            root: root.to_owned(),
            canonical_root: root.canonicalize().map_err(|e| e.to_string()),
            slots: Mutex::new(HashMap::new()),
            real_dirs: Mutex::new(HashMap::new()),
        }
    }

    /// The manifest `file` names (relative to the project root).
    pub fn get(&self, file: &str) -> Result<Arc<Manifest>, ManifestError> {
        let key = normalize_relative(file)?;
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.entry(key.clone()).or_default().clone()
        };
        // Parsing happens outside the map lock: other files proceed in
        // parallel, and a second asker for this file waits for the first.
        slot.get_or_init(|| {
            let canonical_root =
                self.canonical_root
                    .as_ref()
                    .map_err(|detail| ManifestError::Io {
                        file: file.to_owned(),
                        detail: detail.clone(),
                    })?;
            let path = self.inside(canonical_root, &key, file)?;
            let rel = key.to_string_lossy().replace('\\', "/");
            Manifest::load(&path, &rel).map(Arc::new)
        })
        .clone()
    }

    /// [`project_file`] for a normalized path, with the real path of its
    /// directory looked up once per directory: one `lstat` per manifest
    /// instead of one per path component.
    fn inside(
        &self,
        canonical_root: &Path,
        rel: &Path,
        file: &str,
    ) -> Result<PathBuf, ManifestError> {
        let joined = self.root.join(rel);
        let not_found = || ManifestError::NotFound {
            file: file.to_owned(),
        };
        let io = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => not_found(),
            _ => ManifestError::Io {
                file: file.to_owned(),
                detail: e.to_string(),
            },
        };
        let (Some(dir), Some(name)) = (joined.parent(), joined.file_name()) else {
            return Err(not_found());
        };
        let real_dir = {
            let mut dirs = self.real_dirs.lock().unwrap_or_else(|e| e.into_inner());
            dirs.entry(dir.to_owned())
                .or_insert_with(|| dir.canonicalize().ok())
                .clone()
        };
        let real_dir = real_dir.ok_or_else(not_found)?;
        let meta = std::fs::symlink_metadata(&joined).map_err(io)?;
        let real = if meta.file_type().is_symlink() {
            joined.canonicalize().map_err(io)?
        } else {
            real_dir.join(name)
        };
        if !real.starts_with(canonical_root) {
            return Err(ManifestError::Escapes {
                file: file.to_owned(),
            });
        }
        Ok(joined)
    }

    /// Forgets what was read of the file at `path` (absolute, under the
    /// root), so the next [`ManifestCache::get`] reads it again. Returns the
    /// normalized relative path, when the file is inside the project.
    pub fn forget(&self, path: &Path) -> Option<PathBuf> {
        let rel = path.strip_prefix(&self.root).ok()?;
        let rel = normalize_relative(&rel.to_string_lossy()).ok()?;
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&rel);
        // A directory may have appeared or gone with the file.
        self.real_dirs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        Some(rel)
    }

    /// How many distinct files were asked for.
    pub fn len(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Manifest {
        Manifest::parse("t.yaml", text.to_owned()).unwrap()
    }

    fn range(m: &Manifest, path: &str) -> (u32, u32) {
        let r = m.resolve(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        (r.range.start, r.range.end)
    }

    const POLICY: &str = "\
# leading comment
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: x
  labels:
    app: ui

  # a comment that belongs to nothing
spec:
  podSelector: {}
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: db
      ports:
        - port: 5432
    -
      to: [a,
        b]
  script: |
    echo hi
    # still script

# trailing comment
";

    #[test]
    fn mapping_entries_span_key_to_last_content_line() {
        let m = m(POLICY);
        assert_eq!(range(&m, "apiVersion"), (2, 2));
        // Ends at its last entry, not at the blank line or comment saphyr
        // counts into the block mapping.
        assert_eq!(range(&m, "metadata"), (4, 7));
        assert_eq!(range(&m, "metadata.labels"), (6, 7));
        assert_eq!(range(&m, "spec.podSelector"), (11, 11));
        assert_eq!(range(&m, "spec"), (10, 24));
    }

    #[test]
    fn sequence_items_start_at_their_dash() {
        let m = m(POLICY);
        assert_eq!(range(&m, "spec.egress"), (12, 21));
        assert_eq!(range(&m, "spec.egress.0"), (13, 18));
        assert_eq!(range(&m, "spec.egress.0.to.0"), (14, 16));
        assert_eq!(range(&m, "spec.egress.0.ports.0.port"), (18, 18));
        // A dash alone on its line.
        assert_eq!(range(&m, "spec.egress.1"), (19, 21));
        // A flow sequence over two lines, and an item inside it.
        assert_eq!(range(&m, "spec.egress.1.to"), (20, 21));
        assert_eq!(range(&m, "spec.egress.1.to.1"), (21, 21));
    }

    #[test]
    fn block_scalars_keep_comment_like_content() {
        let m = m(POLICY);
        assert_eq!(range(&m, "spec.script"), (22, 24));
    }

    #[test]
    fn document_index_prefix_selects_the_document() {
        let m = m("a: 1\nb:\n  c: 2\n---\n# second\na: 3\nd:\n  - x\n  - y\n---\n- p\n- q\n");
        assert_eq!(range(&m, "b.c"), (3, 3));
        assert_eq!(range(&m, "0.b.c"), (3, 3));
        assert_eq!(range(&m, "1.a"), (6, 6));
        assert_eq!(range(&m, "1.d.1"), (9, 9));
        assert_eq!(range(&m, "2.1"), (12, 12));
        // A bare document index: the whole document.
        assert_eq!(m.resolve("1").unwrap().doc, 1);
        assert_eq!(range(&m, "1"), (6, 9));
        assert_eq!(m.document_range(1), Some(LineRange { start: 5, end: 9 }));
        assert_eq!(m.document_range(2), Some(LineRange { start: 11, end: 12 }));
    }

    #[test]
    fn explicit_markers_and_flow_collections() {
        let m = m("---\na: 1\nb:\n  - x\n# trailing\n---\nc: {d: 1,\n  e: 2}\nf: [1, 2]\n...\n");
        assert_eq!(m.document_range(0), Some(LineRange { start: 2, end: 4 }));
        assert_eq!(m.document_range(1), Some(LineRange { start: 7, end: 9 }));
        assert_eq!(range(&m, "b"), (3, 4));
        assert_eq!(range(&m, "1.c"), (7, 8));
        assert_eq!(range(&m, "1.c.e"), (8, 8));
        assert_eq!(range(&m, "1.f.1"), (9, 9));
        let z = m.zoom("1.f", 5, 5).unwrap();
        assert_eq!(z.range, LineRange { start: 7, end: 9 });
    }

    #[test]
    fn single_document_numbers() {
        // `0.` is document 0 when the root is a mapping without that key.
        let map = m("metadata:\n  name: a\n");
        assert_eq!(range(&map, "0.metadata.name"), (2, 2));
        // A root sequence is indexed directly.
        let seq = m("- a\n- b: 1\n  c: 2\n");
        assert_eq!(range(&seq, "1.c"), (3, 3));
        // A numeric key is a key.
        let keyed = m("80: http\n443: https\n");
        assert_eq!(range(&keyed, "443"), (2, 2));
    }

    #[test]
    fn zoom_widens_and_clamps_to_the_document() {
        let m = m("a: 1\nb:\n  c: 2\n  d: 3\ne: 4\n---\nf: 5\ng:\n  h: 6\n");
        let z = m.zoom("b.c", 1, 1).unwrap();
        assert_eq!(z.range, LineRange { start: 2, end: 4 });
        let z = m.zoom("b.d", 10, 10).unwrap();
        assert_eq!(z.range, LineRange { start: 1, end: 5 });
        let z = m.zoom("1.g.h", 5, 5).unwrap();
        assert_eq!((z.doc, z.range), (1, LineRange { start: 7, end: 9 }));
    }

    #[test]
    fn errors_name_the_failing_segment() {
        let m = m("spec:\n  egress:\n    - to: x\n  name: n\n---\nb: 1\n");
        assert_eq!(
            m.resolve("spec.egres"),
            Err(PathError::NotFound {
                path: "spec.egres".into(),
                segment: "egres".into(),
                parent: "spec".into(),
                suggestion: Some("egress".into()),
            })
        );
        assert_eq!(
            m.resolve("spec.egress.3"),
            Err(PathError::IndexOutOfRange {
                path: "spec.egress.3".into(),
                segment: "3".into(),
                parent: "spec.egress".into(),
                len: 1,
            })
        );
        assert!(matches!(
            m.resolve("spec.egress.to"),
            Err(PathError::NotAMapping { ref segment, ref parent, .. })
                if segment == "to" && parent == "spec.egress"
        ));
        assert!(matches!(
            m.resolve("spec.name.0"),
            Err(PathError::NotASequence { ref segment, .. }) if segment == "0"
        ));
        assert!(matches!(
            m.resolve("1.b.c"),
            Err(PathError::NotAMapping { ref parent, .. }) if parent == "1.b"
        ));
        assert_eq!(
            m.resolve("2.a"),
            Err(PathError::DocumentOutOfRange {
                path: "2.a".into(),
                segment: "2".into(),
                count: 2
            })
        );
        assert!(matches!(
            m.resolve("spec..x"),
            Err(PathError::EmptySegment { .. })
        ));
        assert!(matches!(
            m.resolve("nothing"),
            Err(PathError::NotFound { ref parent, suggestion: None, .. }) if parent.is_empty()
        ));
        // Every error renders a message in both languages.
        let e = m.resolve("spec.egres").unwrap_err();
        for lang in crate::i18n::Lang::ALL {
            let text = e.message().text_in(lang);
            assert!(text.contains("egres"), "{text}");
        }
    }

    #[test]
    fn invalid_yaml_is_an_error_with_position() {
        let e = Manifest::parse("x.yaml", "a: [1, 2\nb: 3\n".into()).unwrap_err();
        assert!(matches!(e, ManifestError::Yaml { ref file, .. } if file == "x.yaml"));
    }

    #[test]
    fn paths_must_stay_inside_the_project() {
        assert!(matches!(
            normalize_relative("/etc/passwd"),
            Err(ManifestError::Absolute { .. })
        ));
        assert!(matches!(
            normalize_relative("../outside.yaml"),
            Err(ManifestError::Escapes { .. })
        ));
        assert!(matches!(
            normalize_relative("a/../../b.yaml"),
            Err(ManifestError::Escapes { .. })
        ));
        assert!(matches!(
            normalize_relative("C:\\x.yaml"),
            Err(ManifestError::Absolute { .. })
        ));
        assert_eq!(
            normalize_relative("./a/./b/../c.yaml").unwrap(),
            PathBuf::from("a/c.yaml")
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_project_are_rejected() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "a: 1\n").unwrap();
        let project = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join("ok.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.yaml"),
            project.path().join("link.yaml"),
        )
        .unwrap();
        std::os::unix::fs::symlink("ok.yaml", project.path().join("inside-link.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path(), project.path().join("outdir")).unwrap();
        let cache = ManifestCache::new(project.path());
        assert!(matches!(
            cache.get("link.yaml"),
            Err(ManifestError::Escapes { .. })
        ));
        assert!(cache.get("inside-link.yaml").is_ok());
        // A symlinked directory that leads out.
        assert!(matches!(
            cache.get("outdir/secret.yaml"),
            Err(ManifestError::Escapes { .. })
        ));
        assert!(matches!(
            cache.get("missing.yaml"),
            Err(ManifestError::NotFound { .. })
        ));
    }

    #[test]
    fn children_list_keys_indices_and_documents() {
        let m = m("a: 1\nb:\n  - x\n  - y\n---\nc: {d: 1}\n");
        assert_eq!(m.children(""), ["0", "1", "a", "b"]);
        assert_eq!(m.children("b"), ["0", "1"]);
        assert_eq!(m.children("1"), ["c"]);
        assert_eq!(m.children("1.c"), ["d"]);
        assert!(m.children("a").is_empty());
        assert!(m.children("zz").is_empty());
    }

    #[test]
    fn forgotten_files_are_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("m/a.yaml");
        let cache = ManifestCache::new(dir.path());
        assert!(matches!(
            cache.get("m/a.yaml"),
            Err(ManifestError::NotFound { .. })
        ));
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(&f, "a: 1\n").unwrap();
        // Still the remembered answer, until the file is forgotten.
        assert!(cache.get("m/a.yaml").is_err());
        assert_eq!(cache.forget(&f), Some(PathBuf::from("m/a.yaml")));
        assert_eq!(cache.get("./m/a.yaml").unwrap().children(""), ["a"]);
        assert_eq!(cache.forget(Path::new("/elsewhere/x.yaml")), None);
    }

    #[test]
    fn cache_parses_each_file_once_across_threads() {
        use rayon::prelude::*;
        let project = tempfile::tempdir().unwrap();
        std::fs::create_dir(project.path().join("m")).unwrap();
        std::fs::write(project.path().join("m/a.yaml"), "a: 1\n---\nb: 2\n").unwrap();
        std::fs::write(project.path().join("bad.yaml"), "a: [\n").unwrap();
        let cache = ManifestCache::new(project.path());
        let got: Vec<Arc<Manifest>> = (0..64)
            .into_par_iter()
            .map(|i| {
                let name = if i % 2 == 0 { "m/a.yaml" } else { "./m/a.yaml" };
                cache.get(name).unwrap()
            })
            .collect();
        assert!(got.iter().all(|m| Arc::ptr_eq(m, &got[0])));
        assert_eq!(cache.len(), 1);
        assert_eq!(got[0].rel, "m/a.yaml");
        // A file that does not parse loads (it may be shown as text); its
        // YAML fails only when a path must be resolved.
        let bad = cache.get("bad.yaml").unwrap();
        assert!(matches!(bad.syntax(), Err(ManifestError::Yaml { .. })));
        assert!(matches!(
            bad.resolve("a"),
            Err(PathError::Unparsable { .. })
        ));
        assert!(cache.get("missing.yaml").is_err());
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn a_template_is_text_until_a_path_is_asked_for() {
        let helm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n{{- if .Values.extra }}\ndata:\n  x: y\n{{- end }}\n";
        let m = Manifest::new("t.yaml", helm.to_owned());
        assert_eq!(m.line(4), "  name: {{ .Values.name }}");
        assert_eq!(m.line_count(), 8);
        match m.resolve("metadata") {
            Err(PathError::Unparsable {
                error: ManifestError::Yaml { pos, .. },
                ..
            }) => {
                assert!(pos.line >= 4, "{pos:?}")
            }
            other => panic!("{other:?}"),
        }
    }
}
