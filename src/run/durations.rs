//! Recorded page durations: a JSON object mapping `/<path>.md` (the page's
//! path within its locale) to milliseconds, the shape the workshop site reads
//! for `::required-time`. Runs read it for ETAs, `--dry-run` and sharding, and
//! `--record-durations` merges new measurements into it.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::model::Page;
use crate::msg;

pub type Durations = BTreeMap<String, u64>;

/// The key of a page: `/networking/network-policies/index.md`.
pub fn key(page: &Page) -> String {
    format!("/{}", page.rel)
}

fn bad(path: &Path, detail: String) -> Error {
    Error::Usage(msg!(
        "run-durations-invalid",
        file = path.display().to_string(),
        detail = detail
    ))
}

/// Reads a durations file; a missing file is an empty map. Values that are
/// not numbers are an error naming the key.
pub fn load(path: &Path) -> Result<Durations, Error> {
    let map = match read_object(path)? {
        Some(m) => m,
        None => return Ok(Durations::new()),
    };
    let mut out = Durations::new();
    for (k, v) in map {
        match v.as_f64() {
            Some(ms) if ms >= 0.0 => {
                out.insert(k, ms.round() as u64);
            }
            _ => return Err(bad(path, format!("{k}: {v}"))),
        }
    }
    Ok(out)
}

fn read_object(path: &Path) -> Result<Option<serde_json::Map<String, serde_json::Value>>, Error> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    if text.trim().is_empty() {
        return Ok(Some(serde_json::Map::new()));
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(m)) => Ok(Some(m)),
        Ok(_) => Err(bad(path, "not a JSON object".into())),
        Err(e) => Err(bad(path, e.to_string())),
    }
}

/// Merges measurements into the file at `path`: keys of `new` are set, every
/// other key is kept as it was. Written to a temporary file beside it and
/// renamed, so a reader never sees half a file.
pub fn merge_into(path: &Path, new: &Durations) -> Result<(), Error> {
    let mut map = read_object(path)?.unwrap_or_default();
    for (k, v) in new {
        map.insert(k.clone(), serde_json::Value::from(*v));
    }
    let sorted: BTreeMap<_, _> = map.into_iter().collect();
    let mut text = serde_json::to_string_pretty(&sorted).expect("a map serializes");
    text.push('\n');
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    tmp.write_all(text.as_bytes())
        .map_err(|e| Error::io(tmp.path(), e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_other_keys_and_replaces_ours() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("d.json");
        std::fs::write(&f, r#"{"/other/index.md": 5, "/a/index.md": 1.5}"#).unwrap();
        let new = Durations::from([("/a/index.md".to_owned(), 42), ("/b.md".to_owned(), 7)]);
        merge_into(&f, &new).unwrap();
        let back = load(&f).unwrap();
        assert_eq!(back["/other/index.md"], 5);
        assert_eq!(back["/a/index.md"], 42);
        assert_eq!(back["/b.md"], 7);
        // Nothing else is left in the directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_is_empty_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(&dir.path().join("none.json")).unwrap().is_empty());
        let f = dir.path().join("bad.json");
        std::fs::write(&f, "[1,2]").unwrap();
        assert!(load(&f).is_err());
        std::fs::write(&f, r#"{"/a.md": "soon"}"#).unwrap();
        assert!(load(&f).is_err());
    }
}
