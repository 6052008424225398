//! The durations file: how long each page's blocks took in a recorded run.
//!
//! The shape is the one the workshop site reads for `::required-time`: one
//! flat JSON object mapping `/<path>.md` (the page's path within its locale,
//! with a leading slash) to milliseconds. A translation shares its source
//! page's key: both run the same commands. `labrun run --record-durations`
//! writes it; `check`, `render`, `time` and `run --shard` read it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::msg;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Durations {
    pub file: PathBuf,
    /// `/<path>.md` → milliseconds.
    pub pages: BTreeMap<String, u64>,
}

impl Durations {
    /// The key of a page given its locale-relative path.
    pub fn key(rel: &str) -> String {
        format!("/{}", rel.trim_start_matches('/'))
    }

    /// Reads a durations file; `Ok(None)` when there is none.
    pub fn load(file: &Path) -> Result<Option<Durations>, Error> {
        match std::fs::read_to_string(file) {
            Ok(text) => Durations::parse(&text, file).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(file, e)),
        }
    }

    pub fn parse(text: &str, file: &Path) -> Result<Durations, Error> {
        let bad = |line: usize, col: usize, detail: String| Error::Invalid {
            file: file.to_owned(),
            line: line as u32,
            col: col.max(1) as u32,
            detail,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(e.line(), e.column(), e.to_string()))?;
        let object = value
            .as_object()
            .ok_or_else(|| bad(1, 1, msg!("durations-not-an-object").text()))?;
        let mut pages = BTreeMap::new();
        for (key, v) in object {
            let ms = v
                .as_f64()
                .filter(|ms| ms.is_finite() && *ms >= 0.0)
                .ok_or_else(|| {
                    let line = text
                        .lines()
                        .position(|l| l.contains(&format!("\"{key}\"")))
                        .map_or(1, |i| i + 1);
                    bad(
                        line,
                        1,
                        msg!("durations-bad-value", page = key.as_str()).text(),
                    )
                })?;
            pages.insert(Durations::key(key), ms.round() as u64);
        }
        Ok(Durations {
            file: file.to_owned(),
            pages,
        })
    }

    /// The recorded milliseconds of a page (by its locale-relative path).
    pub fn page_ms(&self, rel: &str) -> Option<u64> {
        self.pages.get(&Durations::key(rel)).copied()
    }

    /// The summed milliseconds of the pages below a lab directory, when any
    /// is recorded (`""` is the whole workshop).
    pub fn lab_ms(&self, lab: &str) -> Option<u64> {
        let prefix = if lab.is_empty() {
            "/".to_owned()
        } else {
            format!("/{}/", lab.trim_matches('/'))
        };
        let mut found = false;
        let sum = self
            .pages
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .inspect(|_| found = true)
            .fold(0u64, |sum, (_, ms)| sum.saturating_add(*ms));
        found.then_some(sum)
    }

    /// Merges new records into the file (created when absent), replacing the
    /// pages given and keeping the others. Concurrent runs sharing the file
    /// take turns: the read, merge and write happen under the lock file
    /// beside it, so no run's pages are lost; the write is atomic (a
    /// temporary file, then a rename) and keeps the file's mode.
    pub fn merge_into(
        file: &Path,
        records: impl IntoIterator<Item = (String, u64)>,
    ) -> Result<Durations, Error> {
        let _lock = crate::files::lock_beside(file)?;
        let mut current = Durations::load(file)?.unwrap_or_else(|| Durations {
            file: file.to_owned(),
            pages: BTreeMap::new(),
        });
        for (rel, ms) in records {
            current.pages.insert(Durations::key(&rel), ms);
        }
        let mut text =
            serde_json::to_string_pretty(&current.pages).expect("a map of numbers serializes");
        text.push('\n');
        crate::files::write_atomic(file, text.as_bytes())?;
        Ok(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_site_shape() {
        let d = Durations::parse(
            r#"{"/net/np/index.md": 1500, "/net/np/egress.md": 2500.4, "/other/a.md": 9}"#,
            Path::new("d.json"),
        )
        .unwrap();
        assert_eq!(d.page_ms("net/np/index.md"), Some(1500));
        assert_eq!(d.page_ms("/net/np/egress.md"), Some(2500));
        assert_eq!(d.lab_ms("net/np"), Some(4000));
        assert_eq!(d.lab_ms("net"), Some(4000));
        assert_eq!(d.lab_ms("ne"), None);
        assert_eq!(d.lab_ms(""), Some(4009));
    }

    #[test]
    fn bad_files_name_their_line() {
        match Durations::parse(
            "{\n  \"/a.md\": 1,\n  \"/b.md\": \"soon\"\n}",
            Path::new("d.json"),
        ) {
            Err(Error::Invalid { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
        match Durations::parse("[1, 2]", Path::new("d.json")) {
            Err(Error::Invalid { line, .. }) => assert_eq!(line, 1),
            other => panic!("{other:?}"),
        }
        match Durations::parse("{\n  \"/a.md\": ", Path::new("d.json")) {
            Err(Error::Invalid { line, .. }) => assert_eq!(line, 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn merge_keeps_other_pages_and_replaces_given_ones() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("test-durations.json");
        std::fs::write(&file, r#"{"/a/index.md": 100, "/b/index.md": 200}"#).unwrap();
        Durations::merge_into(
            &file,
            [("a/index.md".to_owned(), 150), ("a/two.md".to_owned(), 50)],
        )
        .unwrap();
        let d = Durations::load(&file).unwrap().unwrap();
        assert_eq!(d.pages.len(), 3);
        assert_eq!(
            (
                d.page_ms("a/index.md"),
                d.page_ms("b/index.md"),
                d.page_ms("a/two.md")
            ),
            (Some(150), Some(200), Some(50))
        );
        let created = dir.path().join("new.json");
        Durations::merge_into(&created, [("x.md".to_owned(), 1)]).unwrap();
        assert_eq!(
            std::fs::read_to_string(&created).unwrap(),
            "{\n  \"/x.md\": 1\n}\n"
        );
    }
}
