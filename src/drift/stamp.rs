//! Writing the source hash into a reviewed translation: one line of the
//! front matter changes, every other byte stays, and the file is replaced
//! atomically (temporary file in the same directory, fsync, rename).

use std::path::Path;

use crate::content::Project;
use crate::error::Error;
use crate::i18n::Msg;
use crate::markdown;
use crate::model::{Page, SOURCE_HASH_FIELDS};
use crate::ui::{self, Tone};
use crate::{msg, t};

use super::short_hash;
use super::target::Pair;

/// The field written when a page has none.
pub const DEFAULT_FIELD: &str = "tmdTranslationSourceHash";

/// Why a page's bytes cannot be stamped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StampError {
    /// The page records `ms.openlocfilehash`, whose algorithm is not public.
    Unverifiable { line: u32 },
    /// The hash field's value is written in a form labrun does not rewrite
    /// (block scalar, anchor, flow collection…).
    UnsupportedValue { line: u32 },
    /// The front matter cannot be read (the page's diagnostics say why).
    BadFrontMatter,
}

impl StampError {
    pub fn message(&self, file: &str) -> Msg {
        match self {
            StampError::Unverifiable { line } => {
                msg!("drift-stamp-unverifiable", file = file, line = *line)
            }
            StampError::UnsupportedValue { line } => {
                msg!("drift-stamp-unsupported-value", file = file, line = *line)
            }
            StampError::BadFrontMatter => msg!("drift-stamp-bad-front-matter", file = file),
        }
    }
}

/// The byte range of each line, without its line ending, and the ending.
fn lines(bytes: &[u8]) -> Vec<(usize, usize, &'static [u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(n) => {
                let end = start + n;
                if end > start && bytes[end - 1] == b'\r' {
                    out.push((start, end - 1, b"\r\n" as &[u8]));
                } else {
                    out.push((start, end, b"\n" as &[u8]));
                }
                start = end + 1;
            }
            None => {
                out.push((start, bytes.len(), b"" as &[u8]));
                start = bytes.len();
            }
        }
    }
    out
}

/// The byte range of a field's value within its line (`line` without its
/// ending), or where to insert one when the value is empty.
fn value_range(line: &[u8], key: &str) -> Option<(usize, usize, bool)> {
    let mut i = 0;
    // The key, possibly quoted.
    match line.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let end = line[1..].iter().position(|&b| b == q)? + 1;
            if &line[1..end] != key.as_bytes() {
                return None;
            }
            i = end + 1;
        }
        _ => {
            if !line.starts_with(key.as_bytes()) {
                return None;
            }
            i += key.len();
        }
    }
    while line.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    if line.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let after_colon = i;
    while line.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
        i += 1;
    }
    match line.get(i) {
        // No value yet: insert after the colon.
        None | Some(b'#') => Some((after_colon, after_colon, true)),
        Some(&q @ (b'"' | b'\'')) => {
            let end = line[i + 1..].iter().position(|&b| b == q)? + i + 1;
            Some((i + 1, end, false))
        }
        Some(b'|' | b'>' | b'[' | b'{' | b'&' | b'*' | b'!') => None,
        Some(_) => {
            // A plain scalar runs to a ` #` comment or the end, minus blanks.
            let mut end = line.len();
            for k in i..line.len() {
                if line[k] == b'#' && (line[k - 1] == b' ' || line[k - 1] == b'\t') {
                    end = k;
                    break;
                }
            }
            while end > i && (line[end - 1] == b' ' || line[end - 1] == b'\t') {
                end -= 1;
            }
            Some((i, end, false))
        }
    }
}

/// The page's bytes with `hash` recorded: the existing hash field's value
/// replaced (its name, quoting and line ending kept), else a
/// `tmdTranslationSourceHash` line added before the closing `---`, else a
/// front matter holding only that line created at the top. `page` is the
/// parsed form of `bytes`.
pub fn stamp_bytes(bytes: &[u8], page: &Page, hash: &str) -> Result<Vec<u8>, StampError> {
    if page
        .diagnostics
        .iter()
        .any(|d| d.rule.starts_with("front-matter/") || d.rule == "file/not-utf8")
    {
        return Err(StampError::BadFrontMatter);
    }
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let body = &bytes[bom..];
    let lines = lines(body);
    let eol: &[u8] = lines
        .first()
        .map_or(b"\n" as &[u8], |l| if l.2.is_empty() { b"\n" } else { l.2 });
    let mut out = Vec::with_capacity(bytes.len() + 64);
    out.extend_from_slice(&bytes[..bom]);
    let Some((_, close)) = page.front.span else {
        out.extend_from_slice(b"---");
        out.extend_from_slice(eol);
        out.extend_from_slice(format!("{DEFAULT_FIELD}: {hash}").as_bytes());
        out.extend_from_slice(eol);
        out.extend_from_slice(b"---");
        out.extend_from_slice(eol);
        out.extend_from_slice(body);
        return Ok(out);
    };
    // The field in use: the recorded hash, else a hash key with no value.
    let field = page
        .front
        .source_hash
        .as_ref()
        .map(|h| (h.field.clone(), h.line))
        .or_else(|| {
            page.front
                .fields
                .iter()
                .find(|f| SOURCE_HASH_FIELDS.contains(&f.key.as_str()))
                .map(|f| (f.key.clone(), f.line))
        });
    match field {
        Some((key, line)) => {
            if key == "ms.openlocfilehash" {
                return Err(StampError::Unverifiable { line });
            }
            let (start, end, _) = *lines
                .get(line as usize - 1)
                .ok_or(StampError::UnsupportedValue { line })?;
            let text = &body[start..end];
            let (vs, ve, insert) =
                value_range(text, &key).ok_or(StampError::UnsupportedValue { line })?;
            out.extend_from_slice(&body[..start + vs]);
            if insert {
                out.push(b' ');
            }
            out.extend_from_slice(hash.as_bytes());
            out.extend_from_slice(&body[start + ve..]);
        }
        None => {
            let (start, _, _) = lines[close as usize - 1];
            // The ending of the line before the closing `---`, so a CRLF
            // file stays CRLF.
            let eol = if close >= 2 {
                lines[close as usize - 2].2
            } else {
                eol
            };
            out.extend_from_slice(&body[..start]);
            out.extend_from_slice(format!("{DEFAULT_FIELD}: {hash}").as_bytes());
            out.extend_from_slice(eol);
            out.extend_from_slice(&body[start..]);
        }
    }
    Ok(out)
}

/// Parses stamped bytes again and checks that they record `hash` and read
/// as cleanly as before: the edit must never damage a page.
pub fn verify(file: &Path, rel: &str, locale: &str, bytes: &[u8], hash: &str) -> bool {
    let page = markdown::parse_page(file, rel, locale, bytes);
    page.front
        .source_hash
        .as_ref()
        .is_some_and(|h| h.value == hash)
        && !page
            .diagnostics
            .iter()
            .any(|d| d.rule.starts_with("front-matter/"))
}

/// What stamping a translation comes to.
#[derive(Debug)]
pub enum Plan {
    /// The translation already records the source's hash.
    Current,
    /// The translation's new bytes, recording `hash`.
    Write { bytes: Vec<u8>, hash: String },
}

/// Why a translation is not stamped.
#[derive(Debug)]
pub enum Refusal {
    /// It no longer runs the same lab as its source (without `force`).
    Diverged(Vec<super::Difference>),
    Stamp(StampError),
    /// The stamped bytes would not read back as cleanly as before.
    VerifyFailed,
}

/// The checks `drift stamp` makes before it writes, and the bytes it would
/// write: same lab as the source (unless `force`), not already current, a
/// hash field it can rewrite, and a result that reads back cleanly.
/// `translation` is the parsed form of `bytes` (from disk or an editor).
pub fn plan(
    source: &Page,
    source_bytes: &[u8],
    translation: &Page,
    bytes: &[u8],
    force: bool,
) -> Result<Plan, Refusal> {
    let hash = super::md5_hex(source_bytes);
    let differences = super::compare(source, translation);
    if !differences.is_empty() && !force {
        return Err(Refusal::Diverged(differences));
    }
    if super::hash_status(translation.front.source_hash.as_ref(), &hash) == super::Status::Current {
        return Ok(Plan::Current);
    }
    let stamped = stamp_bytes(bytes, translation, &hash).map_err(Refusal::Stamp)?;
    if !verify(
        &translation.file,
        &translation.rel,
        &translation.locale,
        &stamped,
        &hash,
    ) {
        return Err(Refusal::VerifyFailed);
    }
    Ok(Plan::Write {
        bytes: stamped,
        hash,
    })
}

/// How `drift stamp` went; over several pages the worst decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Every page stamped, or already current.
    Done,
    /// A page was refused: missing, orphaned, diverged, or not stampable.
    Refused,
    /// A stamped page could not be written.
    WriteFailed,
}

/// `labrun drift stamp`: records each source's hash in its reviewed
/// translation, saying on stdout what was stamped and on stderr what was
/// refused and why. `force` stamps a page that no longer runs the same lab
/// as its source; `color` paints stderr. One page's refusal does not stop
/// the others.
pub fn run(project: &Project, pairs: &[Pair], force: bool, color: bool) -> Result<Outcome, Error> {
    let mut outcome = Outcome::Done;
    let refuse = |m: Msg| {
        ui::eprintln(&format!(
            "{}: {}",
            ui::paint(color, Tone::Error, &t!("drift-not-stamped")),
            m
        ));
    };
    for pair in pairs {
        let src_name = project.display_path(&pair.source_file);
        let tr_name = project.display_path(&pair.translation_file);
        if !pair.translation_file.is_file() {
            refuse(msg!("drift-no-translation", file = tr_name.as_str()));
            outcome = outcome.max(Outcome::Refused);
            continue;
        }
        if !pair.source_file.is_file() {
            refuse(msg!(
                "drift-stamp-orphan",
                file = tr_name.as_str(),
                source = src_name.as_str()
            ));
            outcome = outcome.max(Outcome::Refused);
            continue;
        }
        let (src_bytes, src_page) = pair.read_source()?;
        let (bytes, page) = pair.read_translation()?;
        let (stamped, hash) = match plan(&src_page, &src_bytes, &page, &bytes, force) {
            Ok(Plan::Write { bytes, hash }) => (bytes, hash),
            Ok(Plan::Current) => {
                ui::println(&t!("drift-stamp-already", file = tr_name.as_str()));
                continue;
            }
            Err(Refusal::Diverged(differences)) => {
                for d in &differences {
                    ui::eprintln(&format!(
                        "  {}:{} ↔ {}:{}  {}",
                        src_name, d.source_line, tr_name, d.translation_line, d.message
                    ));
                }
                refuse(msg!(
                    "drift-stamp-diverged",
                    file = tr_name.as_str(),
                    count = differences.len()
                ));
                outcome = outcome.max(Outcome::Refused);
                continue;
            }
            Err(Refusal::Stamp(e)) => {
                if e == StampError::BadFrontMatter {
                    ui::print_diagnostics(&page.diagnostics);
                }
                refuse(e.message(&tr_name));
                outcome = outcome.max(Outcome::Refused);
                continue;
            }
            Err(Refusal::VerifyFailed) => {
                refuse(msg!("drift-stamp-verify-failed", file = tr_name.as_str()));
                outcome = outcome.max(Outcome::Refused);
                continue;
            }
        };
        // Only inside the project, and never through a link: a page in a
        // pull request may point anywhere the CI user can write.
        let written = crate::files::require_inside(project.root(), &pair.translation_file)
            .and_then(|()| crate::files::write_atomic(&pair.translation_file, &stamped));
        if let Err(e) = written {
            refuse(msg!(
                "drift-stamp-write-failed",
                file = tr_name.as_str(),
                detail = e.message().text()
            ));
            outcome = outcome.max(Outcome::WriteFailed);
            continue;
        }
        let field = page
            .front
            .source_hash
            .as_ref()
            .map_or(DEFAULT_FIELD, |h| h.field.as_str());
        let old = page
            .front
            .source_hash
            .as_ref()
            .map_or_else(|| t!("drift-value-none"), |h| short_hash(&h.value));
        ui::println(&t!(
            "drift-stamped",
            file = tr_name.as_str(),
            field = field,
            old = old,
            new = short_hash(&hash)
        ));
    }
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "0123456789abcdef0123456789abcdef";

    fn stamp(text: &str) -> Result<String, StampError> {
        let page = markdown::parse_page(Path::new("p.md"), "p.md", "ja", text.as_bytes());
        stamp_bytes(text.as_bytes(), &page, H).map(|b| String::from_utf8(b).unwrap())
    }

    #[test]
    fn replaces_the_value_keeping_field_quotes_and_comment() {
        let old = "d41d8cd98f00b204e9800998ecf8427e";
        for (before, after) in [
            (
                format!("---\ntitle: x\ntmdTranslationSourceHash: {old}\n---\nbody\n"),
                format!("---\ntitle: x\ntmdTranslationSourceHash: {H}\n---\nbody\n"),
            ),
            (
                format!("---\nkiteTranslationSourceHash: \"{old}\"\n---\n"),
                format!("---\nkiteTranslationSourceHash: \"{H}\"\n---\n"),
            ),
            (
                format!("---\r\nwsmSourceHash: '{old}'   # by hand\r\ntitle: y\r\n---\r\n"),
                format!("---\r\nwsmSourceHash: '{H}'   # by hand\r\ntitle: y\r\n---\r\n"),
            ),
            (
                "---\ntmdTranslationSourceHash:\n---\n".to_owned(),
                format!("---\ntmdTranslationSourceHash: {H}\n---\n"),
            ),
        ] {
            assert_eq!(stamp(&before).unwrap(), after);
        }
    }

    #[test]
    fn adds_the_field_before_the_closing_line() {
        assert_eq!(
            stamp("---\r\ntitle: x\r\n---\r\n\r\nText\r\n").unwrap(),
            format!("---\r\ntitle: x\r\ntmdTranslationSourceHash: {H}\r\n---\r\n\r\nText\r\n")
        );
        assert_eq!(
            stamp("\u{feff}---\ntitle: x\n---\n").unwrap(),
            format!("\u{feff}---\ntitle: x\ntmdTranslationSourceHash: {H}\n---\n")
        );
    }

    #[test]
    fn creates_front_matter_when_there_is_none() {
        assert_eq!(
            stamp("# Title\r\n").unwrap(),
            format!("---\r\ntmdTranslationSourceHash: {H}\r\n---\r\n# Title\r\n")
        );
    }

    #[test]
    fn refuses_what_it_cannot_rewrite() {
        assert_eq!(
            stamp("---\nms.openlocfilehash: abc\n---\n"),
            Err(StampError::Unverifiable { line: 2 })
        );
        assert_eq!(
            stamp("---\ntmdTranslationSourceHash: >-\n  abc\n---\n"),
            Err(StampError::UnsupportedValue { line: 2 })
        );
        assert_eq!(
            stamp("---\ntitle: [unclosed\n---\n"),
            Err(StampError::BadFrontMatter)
        );
    }

    #[test]
    fn stamped_pages_verify() {
        let text = stamp("---\ntitle: x\n---\n").unwrap();
        assert!(verify(Path::new("p.md"), "p.md", "ja", text.as_bytes(), H));
        assert!(!verify(Path::new("p.md"), "p.md", "ja", b"---\n---\n", H));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Whatever else the page holds, stamping replaces or inserts
            /// exactly one line and keeps every other byte.
            #[test]
            fn exactly_one_line_changes(
                before in prop::collection::vec("[a-z]{1,6}: [a-z0-9 ]{0,10}", 0..4),
                after in prop::collection::vec("[a-z]{1,6}: [a-z0-9 ]{0,10}", 0..4),
                field in prop::option::of(prop_oneof![
                    Just("tmdTranslationSourceHash"),
                    Just("kiteTranslationSourceHash"),
                    Just("wsmSourceHash"),
                ]),
                quote in prop_oneof![Just(""), Just("\""), Just("'")],
                crlf in any::<bool>(),
                body in "[a-zA-Z#$ `\n-]{0,80}",
            ) {
                let eol = if crlf { "\r\n" } else { "\n" };
                // Distinct keys, so the front matter stays valid YAML.
                let mut lines: Vec<String> = vec!["---".into()];
                let mut seen = std::collections::HashSet::new();
                for l in before.iter() {
                    if seen.insert(l.split(':').next().unwrap().to_owned()) {
                        lines.push(l.trim_end().to_owned());
                    }
                }
                if let Some(f) = field {
                    lines.push(format!("{f}: {quote}d41d8cd98f00b204e9800998ecf8427e{quote}"));
                }
                for l in after.iter() {
                    if seen.insert(l.split(':').next().unwrap().to_owned()) {
                        lines.push(l.trim_end().to_owned());
                    }
                }
                lines.push("---".into());
                let text = format!("{}{eol}{}", lines.join(eol), body.replace('\n', eol));
                let page = markdown::parse_page(Path::new("p.md"), "p.md", "ja", text.as_bytes());
                prop_assume!(page.diagnostics.iter().all(|d| !d.rule.starts_with("front-matter/")));
                let out = stamp_bytes(text.as_bytes(), &page, H).unwrap();
                let old: Vec<&[u8]> = text.as_bytes().split_inclusive(|&b| b == b'\n').collect();
                let new: Vec<&[u8]> = out.split_inclusive(|&b| b == b'\n').collect();
                match field {
                    Some(_) => {
                        prop_assert_eq!(old.len(), new.len());
                        let changed: Vec<usize> = (0..old.len()).filter(|&i| old[i] != new[i]).collect();
                        prop_assert_eq!(changed.len(), 1);
                        let line = String::from_utf8_lossy(new[changed[0]]).into_owned();
                        prop_assert!(line.contains(&format!("{quote}{H}{quote}{eol}")), "{}", line);
                    }
                    None => {
                        prop_assert_eq!(old.len() + 1, new.len());
                        let at = (0..old.len()).find(|&i| old[i] != new[i]).unwrap();
                        let want = format!("{DEFAULT_FIELD}: {H}{eol}");
                        prop_assert_eq!(new[at], want.as_bytes());
                        prop_assert_eq!(&new[at + 1..], &old[at..]);
                        prop_assert_eq!(&new[..at], &old[..at]);
                    }
                }
                prop_assert!(verify(Path::new("p.md"), "p.md", "ja", &out, H));
            }
        }
    }
}
