//! Translation drift: which translated pages fall behind their source page,
//! and which no longer run the same lab.
//!
//! A translation records the MD5 (lowercase hex) of the source file's raw
//! bytes it was made from, in `tmdTranslationSourceHash` (older:
//! `kiteTranslationSourceHash`, `wsmSourceHash`). Pages pair up by their path
//! relative to the locale root, in both layouts. Microsoft Docs'
//! `ms.openlocfilehash` is recognised but cannot be recomputed.

pub mod compare;
pub mod explain;
pub mod git;
pub mod history;
pub mod report;
pub mod stamp;
pub mod target;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use md5::{Digest, Md5};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::Tree;
use crate::error::Error;
use crate::model::{Page, SourceHash};

pub use compare::{DiffKind, Difference, compare};

/// The state of one page pair's recorded hash (or of its absence).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The recorded hash equals the source file's.
    Current,
    /// The source changed since the translation was made (or the recorded
    /// value is not an MD5 at all).
    Stale,
    /// A translation without a hash field.
    Unstamped,
    /// `ms.openlocfilehash`: an unpublished algorithm.
    Unverifiable,
    /// A source page without a translation.
    Missing,
    /// A translation whose source page no longer exists.
    Orphan,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Current,
        Status::Stale,
        Status::Unstamped,
        Status::Unverifiable,
        Status::Missing,
        Status::Orphan,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Stale => "stale",
            Status::Unstamped => "unstamped",
            Status::Unverifiable => "unverifiable",
            Status::Missing => "missing",
            Status::Orphan => "orphan",
        }
    }
}

/// The MD5 of a file's bytes as stored, lowercase hex.
pub fn md5_hex(bytes: &[u8]) -> String {
    let digest = Md5::digest(bytes);
    let mut s = String::with_capacity(32);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Reads a file and hashes it.
pub fn hash_file(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(md5_hex(&bytes))
}

/// A hash as people read it: its first eight characters.
pub fn short_hash(h: &str) -> String {
    h.chars().take(8).collect()
}

/// Whether a recorded value can be an MD5 at all.
pub fn is_md5(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The hash status of a translation, given its recorded hash and the source
/// file's hash.
pub fn hash_status(recorded: Option<&SourceHash>, actual: &str) -> Status {
    match recorded {
        None => Status::Unstamped,
        Some(h) if !h.verifiable() => Status::Unverifiable,
        Some(h) if h.value.eq_ignore_ascii_case(actual) => Status::Current,
        Some(_) => Status::Stale,
    }
}

/// Which pages a drift run looks at, by path relative to the locale root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    /// A directory and everything below it.
    Dir(String),
    Page(String),
}

impl Scope {
    pub fn contains(&self, rel: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Dir(d) => rel.starts_with(&format!("{d}/")),
            Scope::Page(p) => rel == p,
        }
    }

    /// The directory labs are counted under.
    fn base(&self) -> &str {
        match self {
            Scope::All => "",
            Scope::Dir(d) => d,
            Scope::Page(p) => p.rsplit_once('/').map_or("", |(d, _)| d),
        }
    }

    /// The lab a page is counted in: the first directory below the scope's
    /// base (`networking` for `networking/network-policies/x.md` over the
    /// whole tree), or the base itself for pages directly in it.
    pub fn lab_of(&self, rel: &str) -> String {
        let base = self.base();
        let rest = if base.is_empty() {
            rel
        } else {
            rel.strip_prefix(base)
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(rel)
        };
        match rest.split_once('/') {
            Some((first, _)) if base.is_empty() => first.to_owned(),
            Some((first, _)) => format!("{base}/{first}"),
            None if base.is_empty() => ".".to_owned(),
            None => base.to_owned(),
        }
    }
}

/// One source page, translation, or pair, in one target locale.
#[derive(Clone, Debug, Serialize)]
pub struct PageDrift {
    /// Path relative to the locale roots.
    pub rel: String,
    /// The translation's locale.
    pub locale: String,
    pub lab: String,
    pub status: Status,
    /// The source file (where it would be, for an orphan).
    pub source: PathBuf,
    /// The translation file (where it would be, for a missing page).
    pub translation: PathBuf,
    /// MD5 of the source file (absent for an orphan).
    pub source_hash: Option<String>,
    /// The hash recorded in the translation.
    pub recorded: Option<SourceHash>,
    /// Structural differences: non-empty means `diverged`.
    pub differences: Vec<Difference>,
    /// For an orphan: the source page it most likely became.
    pub suggestion: Option<String>,
    /// When git history decided the status (`drift.source`): what it says.
    pub git: Option<git::GitBasis>,
}

impl PageDrift {
    pub fn diverged(&self) -> bool {
        !self.differences.is_empty()
    }
}

/// Counts of a set of page pairs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Source pages (the denominator of `translated_percent`).
    pub source_pages: usize,
    pub current: usize,
    pub stale: usize,
    pub unstamped: usize,
    pub unverifiable: usize,
    pub missing: usize,
    pub orphan: usize,
    pub diverged: usize,
}

impl Counts {
    pub fn add(&mut self, p: &PageDrift) {
        if p.status != Status::Orphan {
            self.source_pages += 1;
        }
        match p.status {
            Status::Current => self.current += 1,
            Status::Stale => self.stale += 1,
            Status::Unstamped => self.unstamped += 1,
            Status::Unverifiable => self.unverifiable += 1,
            Status::Missing => self.missing += 1,
            Status::Orphan => self.orphan += 1,
        }
        if p.diverged() {
            self.diverged += 1;
        }
    }

    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Current => self.current,
            Status::Stale => self.stale,
            Status::Unstamped => self.unstamped,
            Status::Unverifiable => self.unverifiable,
            Status::Missing => self.missing,
            Status::Orphan => self.orphan,
        }
    }

    /// Current translations per source page, in percent (100 when there are
    /// no source pages).
    pub fn translated_percent(&self) -> f64 {
        if self.source_pages == 0 {
            100.0
        } else {
            (self.current as f64 * 1000.0 / self.source_pages as f64).round() / 10.0
        }
    }
}

/// The counts of one lab in one target locale.
#[derive(Clone, Debug, Serialize)]
pub struct LabSummary {
    pub lab: String,
    pub locale: String,
    pub counts: Counts,
    pub translated_percent: f64,
}

/// Compares one target locale with the source locale over a scope. Pages
/// come in the source's site order, orphans last.
pub fn drift(source: &Tree, target: &Tree, scope: &Scope) -> Result<Vec<PageDrift>, Error> {
    let translations: HashMap<&str, &Page> = target
        .pages
        .iter()
        .filter(|p| scope.contains(&p.rel))
        .map(|p| (p.rel.as_str(), p))
        .collect();
    let sources: Vec<&Page> = source
        .pages
        .iter()
        .filter(|p| scope.contains(&p.rel))
        .collect();
    let mut out: Vec<PageDrift> = sources
        .par_iter()
        .map(|src| {
            let tr = translations.get(src.rel.as_str()).copied();
            let hash = hash_file(&src.file)?;
            let (status, recorded, differences) = match tr {
                None => (Status::Missing, None, Vec::new()),
                Some(t) => (
                    hash_status(t.front.source_hash.as_ref(), &hash),
                    t.front.source_hash.clone(),
                    compare(src, t),
                ),
            };
            Ok(PageDrift {
                rel: src.rel.clone(),
                locale: target.locale.clone(),
                lab: scope.lab_of(&src.rel),
                status,
                source: src.file.clone(),
                translation: tr.map_or_else(|| target.root.join(&src.rel), |t| t.file.clone()),
                source_hash: Some(hash),
                recorded,
                differences,
                suggestion: None,
                git: None,
            })
        })
        .collect::<Result<_, Error>>()?;

    // Orphans come last, in the translation's site order.
    let targets: Vec<&Page> = target
        .pages
        .iter()
        .filter(|p| scope.contains(&p.rel))
        .collect();
    let placed = place_orphans(&sources, &targets);
    for (t, suggestion) in placed {
        out.push(PageDrift {
            rel: t.rel.clone(),
            locale: target.locale.clone(),
            lab: scope.lab_of(&t.rel),
            status: Status::Orphan,
            source: source.root.join(&t.rel),
            translation: t.file.clone(),
            source_hash: None,
            recorded: t.front.source_hash.clone(),
            differences: Vec::new(),
            suggestion: suggestion.map(|p| p.rel.clone()),
            git: None,
        });
    }
    Ok(out)
}

/// The runnable content of a page, for recognising a renamed page.
fn fingerprint(page: &Page) -> HashSet<String> {
    let mut set = HashSet::new();
    for b in page.blocks.iter().filter(|b| b.is_runnable()) {
        for c in &b.commands {
            let n = compare::normalize_command(&c.text);
            if !n.is_empty() {
                set.insert(n);
            }
        }
    }
    for d in &page.directives {
        if !d.attrs.is_empty() {
            set.insert(format!("{}{:?}", d.name, d.attrs));
        }
    }
    set
}

fn stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// A source page an orphan may have become, with its fingerprint.
#[derive(Clone)]
pub struct Candidate<'a> {
    pub page: &'a Page,
    fingerprint: HashSet<String>,
}

impl<'a> Candidate<'a> {
    pub fn new(page: &'a Page) -> Candidate<'a> {
        Candidate {
            page,
            fingerprint: fingerprint(page),
        }
    }
}

/// The untranslated source page an orphan most likely became: a similar file
/// name in the same directory tree, or the same commands and directives.
pub fn suggest_source<'a>(orphan: &Page, candidates: &[Candidate<'a>]) -> Option<&'a Page> {
    let fp = fingerprint(orphan);
    let orphan_dir = orphan.dir();
    let mut best: Option<(f64, &Page)> = None;
    for cand in candidates {
        let c = cand.page;
        let mut name = strsim::jaro_winkler(stem(&orphan.rel), stem(&c.rel));
        if c.dir() != orphan_dir {
            name *= 0.9;
        }
        let content = {
            let other = &cand.fingerprint;
            if fp.is_empty() || other.is_empty() {
                0.0
            } else {
                let common = fp.intersection(other).count();
                common as f64 / (fp.len() + other.len() - common) as f64
            }
        };
        let score = name.max(content);
        let good = name >= 0.8 || content >= 0.5;
        if good && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, p)| p)
}

/// The source page each orphan most likely became. First each on its own
/// ([`suggest_source`]); then folders that moved, as the orphans placed so
/// far show them (`old-cli/index.md` → `new-cli/index.md`), place the
/// others: a page of the old folder becomes the page of the new folder with
/// the folder's name changed in its file name too
/// (`old-cli/old-cli-setup.md` → `new-cli/new-cli-setup.md`).
pub fn suggest_sources<'a>(
    orphans: &[&Page],
    candidates: &[Candidate<'a>],
) -> Vec<Option<&'a Page>> {
    let mut out: Vec<Option<&'a Page>> = orphans
        .iter()
        .map(|o| suggest_source(o, candidates))
        .collect();
    // Folder moves, by vote of the orphans placed in another folder.
    let mut votes: HashMap<(&str, &str), usize> = HashMap::new();
    for (o, s) in orphans.iter().zip(&out) {
        if let Some(s) = s
            && o.dir() != s.dir()
        {
            *votes.entry((o.dir(), s.dir())).or_default() += 1;
        }
    }
    let mut moves: HashMap<&str, (&str, usize)> = HashMap::new();
    for ((from, to), n) in votes {
        let best = moves.entry(from).or_insert((to, 0));
        if n > best.1 || (n == best.1 && to < best.0) {
            *best = (to, n);
        }
    }
    if moves.is_empty() {
        return out;
    }
    let by_rel: HashMap<&str, &'a Page> = candidates
        .iter()
        .map(|c| (c.page.rel.as_str(), c.page))
        .collect();
    for (o, s) in orphans.iter().zip(out.iter_mut()) {
        let Some((to, _)) = moves.get(o.dir()) else {
            continue;
        };
        if s.is_some_and(|s| s.dir() == *to) {
            continue;
        }
        let old_name = o.dir().rsplit('/').next().unwrap_or("");
        let new_name = to.rsplit('/').next().unwrap_or("");
        let file = o.rel.rsplit('/').next().unwrap_or(&o.rel);
        let renamed = if old_name.is_empty() {
            file.to_owned()
        } else {
            file.replace(old_name, new_name)
        };
        let moved = if to.is_empty() {
            renamed
        } else {
            format!("{to}/{renamed}")
        };
        if let Some(p) = by_rel.get(moved.as_str()) {
            *s = Some(p);
        } else if s.is_none() {
            // The folder moved, the file name did not follow: the most
            // similar page of the new folder, by content.
            let in_new: Vec<Candidate<'a>> = candidates
                .iter()
                .filter(|c| c.page.dir() == *to)
                .cloned()
                .collect();
            *s = suggest_source(o, &in_new);
        }
    }
    out
}

/// The translations among `targets` whose source page is not among
/// `sources`, each with the source page it most likely became: one of the
/// sources no translation is made from ([`suggest_sources`]). `drift`,
/// `drift --explain` and `check` place orphans with this one function.
pub fn place_orphans<'t, 's>(
    sources: &[&'s Page],
    targets: &[&'t Page],
) -> Vec<(&'t Page, Option<&'s Page>)> {
    let source_rels: HashSet<&str> = sources.iter().map(|p| p.rel.as_str()).collect();
    let orphans: Vec<&Page> = targets
        .iter()
        .copied()
        .filter(|p| !source_rels.contains(p.rel.as_str()))
        .collect();
    if orphans.is_empty() {
        return Vec::new();
    }
    // Fingerprinted once, and only when there is an orphan to place.
    let target_rels: HashSet<&str> = targets.iter().map(|p| p.rel.as_str()).collect();
    let candidates: Vec<Candidate<'s>> = sources
        .iter()
        .filter(|p| !target_rels.contains(p.rel.as_str()))
        .map(|p| Candidate::new(p))
        .collect();
    let suggestions = suggest_sources(&orphans, &candidates);
    orphans.into_iter().zip(suggestions).collect()
}

/// The source page an orphan of `target` (by path) most likely became,
/// judged among all of the locale's orphans as `labrun drift` does.
pub fn orphan_suggestion(source: &Tree, target: &Tree, rel: &str) -> Option<String> {
    let sources: Vec<&Page> = source.pages.iter().collect();
    let targets: Vec<&Page> = target.pages.iter().collect();
    place_orphans(&sources, &targets)
        .into_iter()
        .find(|(o, _)| o.rel == rel)?
        .1
        .map(|p| p.rel.clone())
}

/// Pages whose front matter cannot be read would be reported wrongly
/// (unstamped, or with ordering changes): drift stops on them. Other parse
/// problems, such as a bash block that lost every `$ ` prompt, are what drift
/// reports.
pub fn refuse_on_unreadable<'a>(pages: impl IntoIterator<Item = &'a Page>) -> Result<(), Error> {
    let errors: Vec<_> = pages
        .into_iter()
        .flat_map(|p| {
            p.diagnostics.iter().filter(|d| {
                d.is_error() && (d.rule.starts_with("front-matter/") || d.rule == "file/not-utf8")
            })
        })
        .cloned()
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Content {
            diagnostics: errors,
        })
    }
}

/// Per-lab counts, labs in order of first appearance, for one locale's pages.
pub fn summaries(pages: &[PageDrift]) -> Vec<LabSummary> {
    let mut out: Vec<LabSummary> = Vec::new();
    let mut index: HashMap<(&str, &str), usize> = HashMap::new();
    for p in pages {
        let i = match index.get(&(p.lab.as_str(), p.locale.as_str())) {
            Some(&i) => i,
            None => {
                index.insert((p.lab.as_str(), p.locale.as_str()), out.len());
                out.push(LabSummary {
                    lab: p.lab.clone(),
                    locale: p.locale.clone(),
                    counts: Counts::default(),
                    translated_percent: 0.0,
                });
                out.len() - 1
            }
        };
        out[i].counts.add(p);
    }
    for s in &mut out {
        s.translated_percent = s.counts.translated_percent();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load_tree;
    use std::fs;

    fn write(root: &std::path::Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    #[test]
    fn md5_matches_the_reference_vectors() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            md5_hex(b"The quick brown fox jumps over the lazy dog"),
            "9e107d9d372bb6826bd81d3542a419d6"
        );
        assert!(is_md5("9E107D9D372BB6826BD81D3542A419D6"));
        assert!(!is_md5("9e107d9d"));
    }

    fn recorded(field: &str, value: &str) -> SourceHash {
        SourceHash {
            field: field.into(),
            value: value.into(),
            line: 2,
            quoted: false,
        }
    }

    #[test]
    fn statuses_from_the_recorded_hash() {
        let h = "9e107d9d372bb6826bd81d3542a419d6";
        assert_eq!(hash_status(None, h), Status::Unstamped);
        for field in [
            "tmdTranslationSourceHash",
            "kiteTranslationSourceHash",
            "wsmSourceHash",
        ] {
            assert_eq!(hash_status(Some(&recorded(field, h)), h), Status::Current);
            assert_eq!(
                hash_status(Some(&recorded(field, "0".repeat(32).as_str())), h),
                Status::Stale
            );
        }
        assert_eq!(
            hash_status(Some(&recorded("ms.openlocfilehash", h)), h),
            Status::Unverifiable
        );
    }

    #[test]
    fn labs_are_the_first_directory_below_the_scope() {
        assert_eq!(Scope::All.lab_of("networking/np/a.md"), "networking");
        assert_eq!(Scope::All.lab_of("index.md"), ".");
        let d = Scope::Dir("networking".into());
        assert_eq!(d.lab_of("networking/np/a.md"), "networking/np");
        assert_eq!(d.lab_of("networking/index.md"), "networking");
        assert!(d.contains("networking/index.md") && !d.contains("networkingx/a.md"));
        let p = Scope::Page("a/b.md".into());
        assert_eq!(p.lab_of("a/b.md"), "a");
    }

    #[test]
    fn pairs_pages_and_suggests_the_renamed_source() {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| write(dir.path(), rel, text);
        let en = "---\ntitle: A\n---\n\n```bash\n$ kubectl apply -f policy.yaml\n```\n";
        w("en/lab/a.md", en);
        w(
            "en/lab/new-name.md",
            "```bash\n$ kubectl delete pod x\n```\n",
        );
        w("en/lab/untranslated.md", "# U\n");
        let hash = md5_hex(en.as_bytes());
        w(
            "ja/lab/a.md",
            &format!(
                "---\ntitle: ア\ntmdTranslationSourceHash: \"{hash}\"\n---\n\n```bash\n$ kubectl apply -f policy.yaml\n```\n"
            ),
        );
        w(
            "ja/lab/old-name.md",
            "```bash\n$ kubectl delete pod x\n```\n",
        );
        let src = load_tree("en", &dir.path().join("en")).unwrap();
        let tgt = load_tree("ja", &dir.path().join("ja")).unwrap();
        let pages = drift(&src, &tgt, &Scope::All).unwrap();
        let by: HashMap<&str, &PageDrift> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
        assert_eq!(by["lab/a.md"].status, Status::Current);
        assert!(!by["lab/a.md"].diverged());
        assert_eq!(by["lab/untranslated.md"].status, Status::Missing);
        assert_eq!(by["lab/new-name.md"].status, Status::Missing);
        assert_eq!(by["lab/old-name.md"].status, Status::Orphan);
        assert_eq!(
            by["lab/old-name.md"].suggestion.as_deref(),
            Some("lab/new-name.md")
        );
        let s = summaries(&pages);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].counts.orphan, 1);
        assert_eq!((s[0].counts.source_pages, s[0].counts.current), (3, 1));
        assert_eq!(s[0].translated_percent, 33.3);
    }

    #[test]
    fn a_folder_move_places_pages_whose_names_moved_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let w = |rel: &str, text: &str| write(dir.path(), rel, text);
        let index = "---\ntitle: CLI\n---\n\n```bash\n$ aws --version\n```\n";
        w("en/tools/new-cli/index.md", index);
        w(
            "en/tools/new-cli/new-cli-setup.md",
            "# Setup\n\nInstall it.\n",
        );
        w("en/tools/new-cli/new-cli-usage.md", "# Usage\n\nUse it.\n");
        w("en/tools/other/index.md", "# Other\n");
        w("ja/tools/old-cli/index.md", index);
        w(
            "ja/tools/old-cli/old-cli-setup.md",
            "# セットアップ\n\nインストールします。\n",
        );
        let src = load_tree("en", &dir.path().join("en")).unwrap();
        let tgt = load_tree("ja", &dir.path().join("ja")).unwrap();
        let pages = drift(&src, &tgt, &Scope::All).unwrap();
        let by: HashMap<&str, &PageDrift> = pages.iter().map(|p| (p.rel.as_str(), p)).collect();
        assert_eq!(
            by["tools/old-cli/index.md"].suggestion.as_deref(),
            Some("tools/new-cli/index.md")
        );
        // Neither name nor content says so on its own…
        let untranslated: Vec<Candidate> = src
            .pages
            .iter()
            .filter(|p| p.rel != "tools/new-cli/index.md")
            .map(Candidate::new)
            .collect();
        let setup = &tgt
            .pages
            .iter()
            .find(|p| p.rel.ends_with("setup.md"))
            .unwrap();
        assert_ne!(
            suggest_source(setup, &untranslated).map(|p| p.rel.as_str()),
            Some("tools/new-cli/new-cli-setup.md")
        );
        // …the folder's move does.
        assert_eq!(
            by["tools/old-cli/old-cli-setup.md"].suggestion.as_deref(),
            Some("tools/new-cli/new-cli-setup.md")
        );
    }
}
