//! The content model shared by every job: plain data, produced once by the
//! Markdown engine ([`crate::markdown`]) and the content tree
//! ([`crate::content`]). Jobs read it; they never re-parse page text.

use std::path::PathBuf;

use serde::Serialize;

use crate::diag::Diagnostic;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }
}

/// One Markdown page of one locale.
#[derive(Clone, Debug, Serialize)]
pub struct Page {
    /// The file as found on disk (project root joined with the relative path).
    pub file: PathBuf,
    /// Path relative to its locale's root, with `/` separators:
    /// `networking/network-policies/index.md`. Equal across locales for a
    /// page and its translation.
    pub rel: String,
    pub locale: String,
    /// True for `index.md` / `_index.md`: the page that names its directory.
    pub is_index: bool,
    /// Excluded from runs by a `.notest` file in this or a parent directory.
    pub notest: bool,
    /// A translation whose source page no longer exists. The site does not
    /// build it (Docusaurus routes only pages of the source locale) and a
    /// run skips it; `check` and `drift` report it once.
    pub orphan: bool,
    pub front: FrontMatter,
    /// Title from front matter, else the first heading, else the file stem.
    pub title: String,
    pub blocks: Vec<Block>,
    pub directives: Vec<Directive>,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// `<a name="…">` / `<a id="…">` anchors in inline HTML.
    pub html_anchors: Vec<Anchor>,
    /// Microsoft Docs alerts: `> [!NOTE]`.
    pub alerts: Vec<Alert>,
    /// Hugo shortcodes: `{{< name >}}`, `{{% name %}}`.
    pub shortcodes: Vec<Shortcode>,
    /// `VAR::NAME` placeholders, in prose and in code.
    pub variables: Vec<VarRef>,
    /// HTML comments (`<!-- … -->`), for per-line rule silencing.
    pub comments: Vec<Comment>,
    pub prose: ProseStats,
    /// Problems found while parsing; `check` reports them, `run` refuses to
    /// start on errors among them.
    pub diagnostics: Vec<Diagnostic>,
}

impl Page {
    /// The directory part of [`Page::rel`] (`""` at the locale root).
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }

    /// Whether a run executes the page: not under `.notest`, not an orphan.
    pub fn runs(&self) -> bool {
        self.skip_reason().is_none()
    }

    /// Why a run skips the whole page (`notest`, `orphan`), if it does.
    pub fn skip_reason(&self) -> Option<&'static str> {
        if self.orphan {
            Some("orphan")
        } else if self.notest {
            Some("notest")
        } else {
            None
        }
    }

    /// The blocks a run executes: runnable language, `test` not false.
    pub fn runnable_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks
            .iter()
            .filter(|b| b.is_runnable() && b.annotations.test)
    }

    /// The ordering position: the first key of the project's `order-by`
    /// that the page has (by default `sidebar_position`, else `weight`).
    pub fn position(&self) -> Option<f64> {
        self.front.position.as_ref().map(|p| p.value)
    }
}

/// Counts of prose (text outside code, front matter and directives), for
/// reading time, per script: scripts written with spaces between words
/// (Latin, Cyrillic, …) in words; Han, kana and Hangul in characters, as
/// their readers read them (Korean has spaces, but a word of Hangul is a
/// few syllables that are each read like a Han character).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProseStats {
    /// Whitespace-separated tokens that contain a letter or digit of a
    /// space-separated script.
    pub words: usize,
    /// Han, kana and Hangul characters together.
    pub cjk_chars: usize,
    /// Han characters (kanji, hanzi, hanja).
    pub han: usize,
    /// Hiragana and katakana.
    pub kana: usize,
    /// Hangul syllables and jamo.
    pub hangul: usize,
}

/// Typed front matter fields, plus every top-level field as written.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FrontMatter {
    /// The front matter block's first and last line (the `---` lines), when present.
    pub span: Option<(u32, u32)>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The position that orders the page: the first of the project's
    /// `order-by` keys present in [`FrontMatter::positions`].
    pub position: Option<Position>,
    /// Every ordering key the page has (`sidebar_position`, `weight`).
    pub positions: Vec<Position>,
    /// The recorded hash of the source page a translation was made from.
    pub source_hash: Option<SourceHash>,
    /// Every top-level field, in document order, converted to JSON values.
    pub fields: Vec<Field>,
}

impl FrontMatter {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// Sets [`FrontMatter::position`] from the first of `keys` the page has.
    pub fn choose_position(&mut self, keys: &[&str]) {
        self.position = keys
            .iter()
            .find_map(|k| self.positions.iter().find(|p| p.key == *k))
            .cloned();
    }
}

/// Serializes a position as an integer when it is whole (`3`, not `3.0`),
/// as JSON readers of the plan expect.
pub fn serialize_position<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// [`serialize_position`] for an optional position.
pub fn serialize_opt_position<S: serde::Serializer>(
    v: &Option<f64>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => serialize_position(v, s),
        None => s.serialize_none(),
    }
}

/// A position for people: `3`, `2.5`.
pub fn position_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Field {
    pub key: String,
    pub value: serde_json::Value,
    /// Line of the key.
    pub line: u32,
}

/// An ordering key of the front matter. Docusaurus accepts any number
/// (`2.5` sits between 2 and 3); Hugo's `weight` is a whole number.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Position {
    /// `sidebar_position` or `weight`.
    pub key: String,
    #[serde(serialize_with = "serialize_position")]
    pub value: f64,
    pub line: u32,
}

/// The front matter fields that record a translation's source hash.
pub const SOURCE_HASH_FIELDS: [&str; 4] = [
    "tmdTranslationSourceHash",
    "kiteTranslationSourceHash",
    "wsmSourceHash",
    "ms.openlocfilehash",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceHash {
    /// The field name as written (one of [`SOURCE_HASH_FIELDS`]).
    pub field: String,
    pub value: String,
    /// Line of the field in the file.
    pub line: u32,
    /// Whether the value was quoted in the YAML.
    pub quoted: bool,
}

impl SourceHash {
    /// Microsoft Docs' hash uses an unpublished algorithm: it can be
    /// recognised but not recomputed.
    pub fn verifiable(&self) -> bool {
        self.field != "ms.openlocfilehash"
    }
}

/// Languages whose blocks are commands labrun runs.
pub const RUNNABLE_LANGS: [&str; 1] = ["bash"];

/// A fenced code block.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Block {
    /// Line of the opening fence.
    pub line: u32,
    /// Line of the closing fence (the last line of the file when unterminated).
    pub end_line: u32,
    /// First word of the info string (`bash`), empty when none.
    pub lang: String,
    /// The info string after the language, as written.
    pub info: String,
    pub annotations: Annotations,
    /// The code as it appears between the fences.
    pub code: String,
    /// Extracted commands (runnable blocks only). With `raw=true`, one command
    /// holding the whole block.
    pub commands: Vec<Command>,
    /// Sample output lines before the first command.
    pub leading_output: Vec<String>,
    /// Names of the container directives around the block, outermost first.
    pub containers: Vec<String>,
    pub closed: bool,
}

impl Block {
    pub fn is_runnable(&self) -> bool {
        RUNNABLE_LANGS.contains(&self.lang.as_str())
    }

    /// The script a run hands to the shell: the commands, one after the other.
    pub fn script(&self) -> String {
        let mut s = String::new();
        for c in &self.commands {
            s.push_str(&c.text);
            s.push('\n');
        }
        s
    }
}

/// A command of a `bash` block: its text without the `$ ` prompt, with
/// continuation lines and heredoc bodies included, and the sample output shown
/// after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Command {
    pub line: u32,
    pub text: String,
    pub output: Vec<String>,
}

impl Command {
    /// The page line of the first sample output line: the line after the
    /// command's own lines (continuations and heredoc bodies included).
    pub fn output_line(&self) -> u32 {
        self.line + self.text.split('\n').count() as u32
    }
}

/// Fence annotations. Typed fields hold the known keys; `entries` keeps every
/// token as written, with its column, for `check` and `drift`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Annotations {
    pub test: bool,
    pub timeout: Option<u64>,
    pub wait: Option<u64>,
    pub hook: Option<String>,
    pub hook_timeout: Option<u64>,
    pub expect_error: bool,
    pub raw: bool,
    /// `verifyOutput=true`: the run compares each command's output with
    /// the sample the page shows after it.
    pub verify_output: bool,
    pub entries: Vec<Annotation>,
}

impl Default for Annotations {
    fn default() -> Self {
        Annotations {
            test: true,
            timeout: None,
            wait: None,
            hook: None,
            hook_timeout: None,
            expect_error: false,
            raw: false,
            verify_output: false,
            entries: Vec::new(),
        }
    }
}

impl Annotations {
    /// Tokens whose key labrun does not know.
    pub fn unknown(&self) -> impl Iterator<Item = &Annotation> {
        self.entries
            .iter()
            .filter(|a| a.kind == AnnotationKind::Unknown)
    }

    /// The column of annotation `key` on the fence line (1 when absent).
    pub fn col(&self, key: &str) -> u32 {
        self.entries
            .iter()
            .find(|a| a.key == key)
            .map_or(1, |a| a.col)
    }
}

/// Annotation keys labrun acts on, with their value types.
pub const ANNOTATION_KEYS: [&str; 8] = [
    "test",
    "timeout",
    "wait",
    "hook",
    "hookTimeout",
    "expectError",
    "raw",
    "verifyOutput",
];

/// Keys site generators read for display; harmless to labrun.
pub const DISPLAY_ANNOTATION_KEYS: [&str; 2] = ["title", "showLineNumbers"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnnotationKind {
    /// One of [`ANNOTATION_KEYS`].
    Known,
    /// One of [`DISPLAY_ANNOTATION_KEYS`], or a `{1,3-4}` line highlight.
    Display,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Annotation {
    pub key: String,
    /// `None` for a bare flag (`showLineNumbers`).
    pub value: Option<String>,
    pub col: u32,
    pub kind: AnnotationKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectiveKind {
    /// `::name{…}` on its own line.
    Leaf,
    /// `:::name …` … `:::`.
    Container,
}

/// A remark-directive: `::yaml{file=…}`, `:::tip Title` … `:::`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Directive {
    pub name: String,
    pub kind: DirectiveKind,
    pub pos: Pos,
    /// `[label]`, or for containers the title text after the name.
    pub label: Option<String>,
    /// Attributes in order; `#id` is stored as `id`, `.class` as `class`.
    pub attrs: Vec<(String, String)>,
    /// Where each attribute's value starts and ends (exclusive) on the
    /// directive's line, as 1-based character columns (inside the quotes),
    /// parallel to `attrs`.
    pub value_cols: Vec<(u32, u32)>,
    /// For containers: the line of the closing `:::` (None when unterminated).
    pub end_line: Option<u32>,
    /// The numbered list right after a leaf directive (the callouts of `::yaml`).
    pub callouts: Vec<Callout>,
    /// A Microsoft Docs triple-colon extension rather than a remark
    /// container: `:::image …:::` closed on its own line, or `:::zone …`
    /// closed by `:::zone-end`.
    pub docs_extension: bool,
}

impl Directive {
    /// An attribute's value with its columns (see [`Directive::value_cols`]).
    pub fn attr_at(&self, key: &str) -> Option<(&str, (u32, u32))> {
        let i = self.attrs.iter().position(|(k, _)| k == key)?;
        let cols = self
            .value_cols
            .get(i)
            .copied()
            .unwrap_or((self.pos.col, self.pos.col));
        Some((self.attrs[i].1.as_str(), cols))
    }

    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The comma-separated `paths` attribute of `::yaml`, trimmed.
    pub fn paths(&self) -> Vec<&str> {
        self.attr("paths")
            .map(|p| {
                p.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Callout {
    pub line: u32,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// Explicit `{#id}` or `<a name>` id, when written.
    pub id: Option<String>,
    /// The anchor a link can target: the explicit id, else the slug of the text.
    pub anchor: String,
    pub line: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Link,
    Image,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    pub kind: LinkKind,
    pub dest: String,
    pub pos: Pos,
}

impl Link {
    /// A link to another file of the site (no scheme, not an absolute URL path,
    /// not a mail address); anchors alone (`#x`) count as relative.
    pub fn is_relative(&self) -> bool {
        let d = self.dest.as_str();
        !(d.is_empty()
            || d.contains("://")
            || d.starts_with('/')
            || d.starts_with("mailto:")
            || d.starts_with("tel:"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Anchor {
    pub id: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// `NOTE`, `TIP`, `IMPORTANT`, `WARNING`, `CAUTION`.
    pub kind: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Shortcode {
    pub name: String,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VarRef {
    pub name: String,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comment {
    pub line: u32,
    pub text: String,
}

/// A lab's id as people type it: `.` for the pages at the locale root.
pub fn lab_name(id: &str) -> &str {
    if id.is_empty() { "." } else { id }
}

/// A lab: a directory of pages in one locale, in the order the site shows them.
#[derive(Clone, Debug, Serialize)]
pub struct Lab {
    /// The content path (`networking/network-policies`), `""` for the whole tree.
    pub id: String,
    pub locale: String,
    pub title: String,
    /// The lab directory on disk.
    pub dir: PathBuf,
    pub pages: Vec<Page>,
    /// Ids passed to `prepare-environment` by the lab's blocks.
    pub environments: Vec<String>,
}
